//! Conversion of `CreateOpFamilyStmt`, `CreateOpClassStmt`, `AlterOpFamilyStmt` and the
//! `DropStmt`s of operator families and classes into [`crate::ast_opclass`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;

use crate::ast::{Statement, TypeName};
use crate::ast_opclass::{OpClassItem, OpClassStmt};
use crate::convert::type_name;
use crate::convert_ddl::key_names;
use crate::convert_function::function_name;

fn stmt(s: OpClassStmt) -> Statement {
    Statement::OpClass(Box::new(s))
}

fn type_names(nodes: &[pb::Node]) -> Vec<TypeName> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
            _ => None,
        })
        .collect()
}

/// PostgreSQL's `OPCLASS_ITEM_*` codes.
const ITEM_OPERATOR: i32 = 1;
const ITEM_FUNCTION: i32 = 2;

fn items(nodes: &[pb::Node]) -> Vec<OpClassItem> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::CreateOpClassItem(i)) => Some(item(i)),
            _ => None,
        })
        .collect()
}

fn item(i: &pb::CreateOpClassItem) -> OpClassItem {
    match i.itemtype {
        ITEM_OPERATOR => {
            let (name, args) = match &i.name {
                Some(o) => (
                    key_names(&o.objname),
                    // The grammar leaves `objargs` empty when no types are written.
                    (!o.objargs.is_empty()).then(|| {
                        o.objargs
                            .iter()
                            .map(|n| match n.node.as_ref() {
                                Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                                _ => None,
                            })
                            .collect()
                    }),
                ),
                // A DROP names the operand types only.
                None => (
                    Vec::new(),
                    Some(type_names(&i.class_args).into_iter().map(Some).collect()),
                ),
            };
            OpClassItem::Operator {
                number: i.number,
                name,
                args,
                order_family: (!i.order_family.is_empty()).then(|| key_names(&i.order_family)),
            }
        }
        ITEM_FUNCTION => OpClassItem::Function {
            number: i.number,
            function: i.name.as_ref().map(function_name),
            class_args: type_names(&i.class_args),
        },
        _ => OpClassItem::Storage(i.storedtype.as_ref().map(type_name)),
    }
}

/// `CREATE OPERATOR FAMILY`.
pub(crate) fn create_family(s: &pb::CreateOpFamilyStmt) -> Statement {
    stmt(OpClassStmt::CreateFamily {
        name: key_names(&s.opfamilyname),
        method: s.amname.clone(),
    })
}

/// `CREATE OPERATOR CLASS`.
pub(crate) fn create_class(s: &pb::CreateOpClassStmt) -> Statement {
    stmt(OpClassStmt::CreateClass {
        name: key_names(&s.opclassname),
        method: s.amname.clone(),
        default: s.is_default,
        for_type: s.datatype.as_ref().map(type_name),
        family: (!s.opfamilyname.is_empty()).then(|| key_names(&s.opfamilyname)),
        items: items(&s.items),
    })
}

/// `ALTER OPERATOR FAMILY ... ADD | DROP`.
pub(crate) fn alter_family(s: &pb::AlterOpFamilyStmt) -> Statement {
    stmt(OpClassStmt::AlterFamily {
        name: key_names(&s.opfamilyname),
        method: s.amname.clone(),
        drop: s.is_drop,
        items: items(&s.items),
    })
}

/// `DROP OPERATOR FAMILY | CLASS`; `None` for other objects.
pub(crate) fn drop(s: &pb::DropStmt) -> Option<Statement> {
    use pb::ObjectType as O;
    let class = match O::from_i32(s.remove_type)? {
        O::ObjectOpclass => true,
        O::ObjectOpfamily => false,
        O::ObjectOperator => return Some(drop_operator(s)),
        _ => return None,
    };
    let objects = s
        .objects
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::List(l)) => {
                let mut names = key_names(&l.items);
                (!names.is_empty()).then(|| {
                    let method = names.remove(0);
                    (names, method)
                })
            }
            _ => None,
        })
        .collect();
    Some(stmt(OpClassStmt::Drop {
        class,
        objects,
        missing_ok: s.missing_ok,
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    }))
}

/// `ALTER OPERATOR name(left, right) SET (...)`.
pub(crate) fn alter_operator(s: &pb::AlterOperatorStmt) -> Statement {
    let (name, left, right) = match &s.opername {
        Some(o) => {
            let mut types = o.objargs.iter().map(|n| match n.node.as_ref() {
                Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                _ => None,
            });
            let left = types.next().flatten();
            let right = types.next().flatten();
            (key_names(&o.objname), left, right)
        }
        None => (Vec::new(), None, None),
    };
    let options = s
        .options
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::DefElem(d)) => {
                let value = d.arg.as_ref().and_then(|a| match a.node.as_ref() {
                    Some(NodeEnum::TypeName(t)) => Some(key_names(&t.names)),
                    Some(NodeEnum::String(v)) => Some(vec![v.sval.clone()]),
                    Some(NodeEnum::List(l)) => Some(key_names(&l.items)),
                    _ => None,
                });
                Some((d.defname.clone(), value))
            }
            _ => None,
        })
        .collect();
    stmt(OpClassStmt::AlterOperatorSet {
        name,
        left,
        right,
        options,
    })
}

/// `DROP OPERATOR name(left, right) [, ...]`.
fn drop_operator(s: &pb::DropStmt) -> Statement {
    let operators = s
        .objects
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::ObjectWithArgs(o)) => {
                let mut types = o.objargs.iter().map(|n| match n.node.as_ref() {
                    Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                    _ => None,
                });
                let left = types.next().flatten();
                let right = types.next().flatten();
                Some((key_names(&o.objname), left, right))
            }
            _ => None,
        })
        .collect();
    stmt(OpClassStmt::DropOperator {
        operators,
        missing_ok: s.missing_ok,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(sql: &str) -> OpClassStmt {
        match crate::parse(sql).expect("parses").pop().expect("one").stmt {
            Statement::OpClass(s) => *s,
            other => panic!("not an operator class statement: {other:?}"),
        }
    }

    #[test]
    fn create_class_keeps_items_in_order() {
        let OpClassStmt::CreateClass {
            name,
            method,
            default,
            items,
            family,
            ..
        } = one(
            "CREATE OPERATOR CLASS s.c DEFAULT FOR TYPE int4 USING btree FAMILY f AS \
             OPERATOR 1 <, FUNCTION 1 btint4cmp(int4, int4), STORAGE int4",
        )
        else {
            panic!("not CREATE OPERATOR CLASS");
        };
        assert_eq!(name, vec!["s".to_string(), "c".to_string()]);
        assert_eq!(method, "btree");
        assert!(default);
        assert_eq!(family, Some(vec!["f".to_string()]));
        assert_eq!(items.len(), 3);
        assert!(matches!(
            &items[0],
            OpClassItem::Operator {
                number: 1,
                args: None,
                ..
            }
        ));
        assert!(matches!(&items[2], OpClassItem::Storage(_)));
    }

    #[test]
    fn drop_and_alter_family_name_method_and_types() {
        let OpClassStmt::Drop { class, objects, .. } =
            one("DROP OPERATOR FAMILY IF EXISTS s.f USING hash")
        else {
            panic!("not DROP");
        };
        assert!(!class);
        assert_eq!(objects, vec![(vec!["s".into(), "f".into()], "hash".into())]);
        let OpClassStmt::AlterFamily { drop, items, .. } =
            one("ALTER OPERATOR FAMILY f USING btree DROP OPERATOR 1 (int4, int2)")
        else {
            panic!("not ALTER");
        };
        assert!(drop);
        let OpClassItem::Operator { args, .. } = &items[0] else {
            panic!("not an operator");
        };
        assert_eq!(args.as_ref().map(Vec::len), Some(2));
    }

    #[test]
    fn alter_operator_set_keeps_attributes_as_written() {
        let OpClassStmt::AlterOperatorSet { name, options, .. } = one(
            "ALTER OPERATOR === (bool, bool) SET (RESTRICT = pg_catalog.eqsel, JOIN = NONE, \"Join\" = x)",
        ) else {
            panic!("not ALTER OPERATOR");
        };
        assert_eq!(name, vec!["===".to_string()]);
        assert_eq!(
            options,
            vec![
                (
                    "restrict".to_string(),
                    Some(vec!["pg_catalog".to_string(), "eqsel".to_string()])
                ),
                ("join".to_string(), None),
                ("Join".to_string(), Some(vec!["x".to_string()])),
            ]
        );
    }

    #[test]
    fn drop_operator_keeps_operand_types() {
        let OpClassStmt::DropOperator {
            operators,
            missing_ok,
        } = one("DROP OPERATOR IF EXISTS @#@ (int, int), ~~~ (NONE, text)")
        else {
            panic!("not DROP OPERATOR");
        };
        assert!(missing_ok);
        assert_eq!(operators.len(), 2);
        assert!(operators[0].1.is_some() && operators[0].2.is_some());
        assert!(operators[1].1.is_none() && operators[1].2.is_some());
    }
}
