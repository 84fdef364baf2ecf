//! Conversion of `RenameStmt`, `AlterOwnerStmt` and `AlterObjectSchemaStmt` for objects
//! other than relations, and of `AlterFunctionStmt`, into [`crate::ast_alter_object`].
//!
//! pg_query's `object` field is shaped by the grammar: an `ObjectWithArgs` for routines
//! and operators, a list of names for types, conversions and (with the access method
//! first) operator classes and families, a bare string for schemas and languages.

use pg_query::protobuf as pb;
use pg_query::NodeEnum;

use crate::ast::Statement;
use crate::ast_alter_object::{
    AlterFunctionStmt, AlterObject, AlterObjectAction, AlterObjectStmt, FunctionAttribute,
    RoutineObject,
};
use crate::convert::{string_of, type_name};
use crate::convert_ddl::{def_value, key_names};
use crate::convert_function::function_name;
use crate::convert_role::role_spec;

/// The object `object_type` and `object` name; `None` for kinds other converters own
/// (relations, databases, roles, publications, foreign-data objects, ...).
pub(crate) fn object(object_type: i32, object: Option<&pb::Node>) -> Option<AlterObject> {
    use pb::ObjectType as O;
    let node = object.and_then(|n| n.node.as_ref());
    let list = || match node {
        Some(NodeEnum::List(l)) => key_names(&l.items),
        Some(NodeEnum::String(s)) => vec![s.sval.clone()],
        _ => Vec::new(),
    };
    let word = || match node {
        Some(NodeEnum::String(s)) => s.sval.clone(),
        _ => String::new(),
    };
    let routine = |kind| match node {
        Some(NodeEnum::ObjectWithArgs(o)) => Some(AlterObject::Routine {
            kind,
            function: function_name(o),
        }),
        _ => None,
    };
    // Operator classes and families: the access method, then the name.
    let with_method = || {
        let mut names = list();
        let method = if names.is_empty() {
            String::new()
        } else {
            names.remove(0)
        };
        (names, method)
    };
    Some(match O::from_i32(object_type)? {
        O::ObjectFunction => routine(RoutineObject::Function)?,
        O::ObjectProcedure => routine(RoutineObject::Procedure)?,
        O::ObjectRoutine => routine(RoutineObject::Routine)?,
        O::ObjectAggregate => routine(RoutineObject::Aggregate)?,
        O::ObjectType => AlterObject::Type {
            name: list(),
            domain: false,
        },
        O::ObjectDomain => AlterObject::Type {
            name: list(),
            domain: true,
        },
        O::ObjectSchema => AlterObject::Schema(word()),
        O::ObjectLanguage => AlterObject::Language(word()),
        O::ObjectConversion => AlterObject::Conversion(list()),
        O::ObjectOperator => match node {
            Some(NodeEnum::ObjectWithArgs(o)) => {
                let operand = |i: usize| match o.objargs.get(i).and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                    _ => None,
                };
                AlterObject::Operator {
                    name: key_names(&o.objname),
                    left: operand(0),
                    right: operand(1),
                }
            }
            _ => return None,
        },
        O::ObjectOpfamily => {
            let (name, method) = with_method();
            AlterObject::OperatorFamily { name, method }
        }
        O::ObjectOpclass => {
            let (name, method) = with_method();
            AlterObject::OperatorClass { name, method }
        }
        O::ObjectCollation => AlterObject::Other("ALTER COLLATION".into()),
        O::ObjectTsparser => AlterObject::Other("ALTER TEXT SEARCH PARSER".into()),
        O::ObjectTsdictionary => AlterObject::Other("ALTER TEXT SEARCH DICTIONARY".into()),
        O::ObjectTstemplate => AlterObject::Other("ALTER TEXT SEARCH TEMPLATE".into()),
        O::ObjectTsconfiguration => AlterObject::Other("ALTER TEXT SEARCH CONFIGURATION".into()),
        O::ObjectStatisticExt => AlterObject::Other("ALTER STATISTICS".into()),
        O::ObjectEventTrigger => AlterObject::Other("ALTER EVENT TRIGGER".into()),
        O::ObjectLargeobject => AlterObject::Other("ALTER LARGE OBJECT".into()),
        O::ObjectTablespace => AlterObject::Other("ALTER TABLESPACE".into()),
        _ => return None,
    })
}

fn statement(object: AlterObject, action: AlterObjectAction, missing_ok: bool) -> Statement {
    Statement::AlterObject(Box::new(AlterObjectStmt {
        object,
        action,
        missing_ok,
    }))
}

/// `ALTER <object> RENAME TO name`; `None` for objects other converters own.
pub(crate) fn rename(s: &pb::RenameStmt) -> Option<Statement> {
    if s.relation.is_some() {
        return None;
    }
    let object = object(s.rename_type, s.object.as_deref())?;
    Some(statement(
        object,
        AlterObjectAction::Rename(s.newname.clone()),
        s.missing_ok,
    ))
}

/// `ALTER <object> OWNER TO role`; `None` for objects other converters own.
pub(crate) fn alter_owner(s: &pb::AlterOwnerStmt) -> Option<Statement> {
    if s.relation.is_some() {
        return None;
    }
    let object = object(s.object_type, s.object.as_deref())?;
    Some(statement(
        object,
        AlterObjectAction::Owner(role_spec(s.newowner.as_ref()?)),
        false,
    ))
}

/// `ALTER <object> SET SCHEMA name`; `None` for objects other converters own.
pub(crate) fn set_schema(s: &pb::AlterObjectSchemaStmt) -> Option<Statement> {
    if s.relation.is_some() {
        return None;
    }
    let object = object(s.object_type, s.object.as_deref())?;
    Some(statement(
        object,
        AlterObjectAction::SetSchema(s.newschema.clone()),
        s.missing_ok,
    ))
}

/// `ALTER FUNCTION | PROCEDURE | ROUTINE name(args) action ...`.
pub(crate) fn alter_function(s: &pb::AlterFunctionStmt) -> Statement {
    use pb::ObjectType as O;
    let kind = match O::from_i32(s.objtype) {
        Some(O::ObjectProcedure) => RoutineObject::Procedure,
        Some(O::ObjectRoutine) => RoutineObject::Routine,
        _ => RoutineObject::Function,
    };
    let function =
        s.func
            .as_ref()
            .map(function_name)
            .unwrap_or(crate::ast_function::FunctionName {
                name: Vec::new(),
                args: None,
            });
    let mut actions = Vec::with_capacity(s.actions.len());
    for a in &s.actions {
        let Some(NodeEnum::DefElem(d)) = a.node.as_ref() else {
            continue;
        };
        let value = def_value(&d.arg);
        let flag = value.as_deref() == Some("true");
        actions.push(match d.defname.as_str() {
            "volatility" => FunctionAttribute::Volatility(match value.as_deref() {
                Some("immutable") => b'i',
                Some("stable") => b's',
                _ => b'v',
            }),
            "strict" => FunctionAttribute::Strict(flag),
            "security" => FunctionAttribute::SecurityDefiner(flag),
            "leakproof" => FunctionAttribute::Leakproof(flag),
            "cost" => FunctionAttribute::Cost(value.unwrap_or_default()),
            "rows" => FunctionAttribute::Rows(value.unwrap_or_default()),
            "parallel" => FunctionAttribute::Parallel(match value.as_deref() {
                Some("safe") => Ok(b's'),
                Some("restricted") => Ok(b'r'),
                Some("unsafe") => Ok(b'u'),
                other => Err(other.unwrap_or_default().to_string()),
            }),
            "support" => {
                FunctionAttribute::Support(match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::List(l)) => key_names(&l.items),
                    _ => value.into_iter().collect(),
                })
            }
            other => FunctionAttribute::Config(
                d.arg
                    .as_deref()
                    .and_then(|n| match n.node.as_ref() {
                        Some(NodeEnum::VariableSetStmt(v)) => Some(v.name.clone()),
                        _ => string_of(n),
                    })
                    .unwrap_or_else(|| other.to_string()),
            ),
        });
    }
    Statement::AlterFunction(Box::new(AlterFunctionStmt {
        kind,
        function,
        actions,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast_role::RoleSpec;

    fn one(sql: &str) -> Statement {
        crate::parse(sql).expect("parses").pop().expect("one").stmt
    }

    fn alter(sql: &str) -> AlterObjectStmt {
        match one(sql) {
            Statement::AlterObject(a) => *a,
            other => panic!("not a generic ALTER: {other:?}"),
        }
    }

    #[test]
    fn aggregate_rename_names_its_argument_types() {
        let a = alter("ALTER AGGREGATE s.agg(int) RENAME TO agg2");
        let AlterObject::Routine { kind, function } = a.object else {
            panic!("not a routine");
        };
        assert_eq!(kind, RoutineObject::Aggregate);
        assert_eq!(function.name, vec!["s".to_string(), "agg".to_string()]);
        assert_eq!(function.args.map(|a| a.len()), Some(1));
        assert_eq!(a.action, AlterObjectAction::Rename("agg2".into()));
    }

    #[test]
    fn owner_and_schema_of_types_schemas_and_languages() {
        let a = alter("ALTER DOMAIN d OWNER TO CURRENT_USER");
        assert_eq!(
            a.object,
            AlterObject::Type {
                name: vec!["d".into()],
                domain: true
            }
        );
        assert_eq!(a.action, AlterObjectAction::Owner(RoleSpec::CurrentUser));
        let a = alter("ALTER SCHEMA s OWNER TO r");
        assert_eq!(a.object, AlterObject::Schema("s".into()));
        let a = alter("ALTER LANGUAGE plpgsql RENAME TO pl");
        assert_eq!(a.object, AlterObject::Language("plpgsql".into()));
        let a = alter("ALTER TYPE t SET SCHEMA other");
        assert_eq!(a.action, AlterObjectAction::SetSchema("other".into()));
    }

    #[test]
    fn operator_family_names_carry_their_access_method() {
        let a = alter("ALTER OPERATOR FAMILY s.f USING hash RENAME TO g");
        assert_eq!(
            a.object,
            AlterObject::OperatorFamily {
                name: vec!["s".into(), "f".into()],
                method: "hash".into()
            }
        );
        let a = alter("ALTER OPERATOR @+@(int4, NONE) OWNER TO r");
        let AlterObject::Operator { name, left, right } = a.object else {
            panic!("not an operator");
        };
        assert_eq!(name, vec!["@+@".to_string()]);
        assert!(left.is_some() && right.is_none());
    }

    #[test]
    fn alter_function_actions_convert_in_order() {
        let Statement::AlterFunction(f) =
            one("ALTER FUNCTION f(int) IMMUTABLE STRICT NOT LEAKPROOF COST 5 PARALLEL SAFE")
        else {
            panic!("not ALTER FUNCTION");
        };
        assert_eq!(
            f.actions,
            vec![
                FunctionAttribute::Volatility(b'i'),
                FunctionAttribute::Strict(true),
                FunctionAttribute::Leakproof(false),
                FunctionAttribute::Cost("5".into()),
                FunctionAttribute::Parallel(Ok(b's')),
            ]
        );
    }
}
