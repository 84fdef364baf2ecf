//! Conversion of PostgreSQL's type statements (enum, domain, composite, and the
//! `CREATE TYPE` forms tusk refuses) and `ALTER TYPE ... RENAME TO` into
//! [`crate::ast_type::TypeStmt`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;

use crate::ast::Statement;
use crate::ast_type::{
    AlterAttribute, AlterDomainAction, CompositeAttribute, CreateDomain, DomainCheck, TypeStmt,
};
use tusk_types::{Error, Result};

fn names(nodes: &[pb::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// `CREATE DOMAIN name [AS] type [DEFAULT expr] [constraints]`.
///
/// Errors: 42601 for a constraint kind domains cannot have (converted into
/// [`CreateDomain::invalid`] where PostgreSQL reports it at analysis).
pub(crate) fn create_domain(s: &pb::CreateDomainStmt) -> Result<Statement> {
    use pb::ConstrType as C;
    let Some(base) = s.type_name.as_ref() else {
        return Err(Error::internal("CREATE DOMAIN without a type"));
    };
    let mut out = CreateDomain {
        name: names(&s.domainname),
        base: crate::convert::type_name(base),
        default: None,
        not_null: None,
        checks: Vec::new(),
        unsupported: None,
        invalid: None,
        collation: None,
    };
    if let Some(c) = s.coll_clause.as_deref() {
        out.collation = Some((names(&c.collname), c.location.max(0) as usize));
    }
    for node in &s.constraints {
        let Some(NodeEnum::Constraint(k)) = node.node.as_ref() else {
            continue;
        };
        let location = k.location.max(0) as usize;
        let mut invalid = |message: &str| {
            out.invalid
                .get_or_insert_with(|| (message.to_string(), location));
        };
        match C::from_i32(k.contype) {
            Some(C::ConstrDefault) => {
                if out.default.is_some() {
                    invalid("multiple default expressions");
                } else if let Some(raw) = k.raw_expr.as_deref() {
                    out.default = Some((
                        crate::convert::expr(raw)?,
                        crate::convert_ddl::deparse_expr(raw)?,
                    ));
                }
            }
            Some(C::ConstrNotnull) => {
                if out.not_null == Some(false) {
                    invalid("conflicting NULL/NOT NULL constraints");
                }
                out.not_null = Some(true);
            }
            Some(C::ConstrNull) => {
                if out.not_null == Some(true) {
                    invalid("conflicting NULL/NOT NULL constraints");
                }
                out.not_null = Some(false);
            }
            Some(C::ConstrCheck) => {
                if k.is_no_inherit {
                    invalid("check constraints for domains cannot be marked NO INHERIT");
                }
                let Some(raw) = k.raw_expr.as_deref() else {
                    return Err(Error::internal("CHECK without an expression"));
                };
                out.checks.push(DomainCheck {
                    name: (!k.conname.is_empty()).then(|| k.conname.clone()),
                    expr: crate::convert::expr(raw)?,
                    sql: crate::convert_ddl::deparse_expr(raw)?,
                    location,
                });
            }
            Some(C::ConstrUnique) => invalid("unique constraints not possible for domains"),
            Some(C::ConstrPrimary) => invalid("primary key constraints not possible for domains"),
            Some(C::ConstrExclusion) => invalid("exclusion constraints not possible for domains"),
            Some(C::ConstrForeign) => invalid("foreign key constraints not possible for domains"),
            _ => {
                out.unsupported
                    .get_or_insert_with(|| ("this domain constraint".into(), location));
            }
        }
    }
    Ok(Statement::TypeDdl(Box::new(TypeStmt::CreateDomain(
        Box::new(out),
    ))))
}

/// `ALTER DOMAIN name SET DEFAULT | DROP DEFAULT | SET NOT NULL | DROP NOT NULL |
/// ADD CONSTRAINT | DROP CONSTRAINT ...`.
///
/// Errors: expression conversion errors.
pub(crate) fn alter_domain(s: &pb::AlterDomainStmt) -> Result<Statement> {
    use pb::ConstrType as C;
    let constraint = match s.def.as_deref().and_then(|d| d.node.as_ref()) {
        Some(NodeEnum::Constraint(k)) => Some(k),
        _ => None,
    };
    let action = match s.subtype.as_str() {
        "T" => AlterDomainAction::SetDefault(match s.def.as_deref() {
            Some(raw) => Some((
                crate::convert::expr(raw)?,
                crate::convert_ddl::deparse_expr(raw)?,
            )),
            None => None,
        }),
        "N" => AlterDomainAction::SetNotNull(false),
        "O" => AlterDomainAction::SetNotNull(true),
        "X" => AlterDomainAction::DropConstraint {
            name: s.name.clone(),
            missing_ok: s.missing_ok,
        },
        "C" => match constraint {
            Some(k) if C::from_i32(k.contype) == Some(C::ConstrCheck) && !k.skip_validation => {
                let Some(raw) = k.raw_expr.as_deref() else {
                    return Err(Error::internal("CHECK without an expression"));
                };
                AlterDomainAction::AddCheck(DomainCheck {
                    name: (!k.conname.is_empty()).then(|| k.conname.clone()),
                    expr: crate::convert::expr(raw)?,
                    sql: crate::convert_ddl::deparse_expr(raw)?,
                    location: k.location.max(0) as usize,
                })
            }
            _ => AlterDomainAction::Unsupported("ALTER DOMAIN ... ADD of this constraint".into()),
        },
        "V" => AlterDomainAction::Unsupported("ALTER DOMAIN ... VALIDATE CONSTRAINT".into()),
        _ => AlterDomainAction::Unsupported("this ALTER DOMAIN form".into()),
    };
    Ok(Statement::TypeDdl(Box::new(TypeStmt::AlterDomain {
        name: names(&s.type_name),
        action,
    })))
}

/// `CREATE TYPE name AS ENUM (...)`.
pub(crate) fn create_enum(s: &pb::CreateEnumStmt) -> Statement {
    Statement::TypeDdl(Box::new(TypeStmt::CreateEnum {
        name: names(&s.type_name),
        labels: names(&s.vals),
    }))
}

/// `ALTER TYPE name ADD VALUE ...` / `RENAME VALUE ...`.
pub(crate) fn alter_enum(s: &pb::AlterEnumStmt) -> Statement {
    let name = names(&s.type_name);
    Statement::TypeDdl(Box::new(if s.old_val.is_empty() {
        TypeStmt::AddEnumValue {
            name,
            label: s.new_val.clone(),
            neighbor: (!s.new_val_neighbor.is_empty())
                .then(|| (s.new_val_neighbor.clone(), s.new_val_is_after)),
            if_not_exists: s.skip_if_new_val_exists,
        }
    } else {
        TypeStmt::RenameEnumValue {
            name,
            old: s.old_val.clone(),
            new: s.new_val.clone(),
        }
    }))
}

/// `ALTER TYPE name RENAME TO new_name`.
pub(crate) fn rename_type(s: &pb::RenameStmt) -> Statement {
    let name = match s.object.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::List(list)) => names(&list.items),
        _ => Vec::new(),
    };
    Statement::TypeDdl(Box::new(TypeStmt::RenameType {
        name,
        new_name: s.newname.clone(),
    }))
}

fn range_var_names(rv: &pb::RangeVar) -> Vec<String> {
    [&rv.catalogname, &rv.schemaname, &rv.relname]
        .into_iter()
        .filter(|n| !n.is_empty())
        .cloned()
        .collect()
}

fn attribute(c: &pb::ColumnDef) -> Result<CompositeAttribute> {
    let Some(t) = c.type_name.as_ref() else {
        return Err(Error::internal("attribute without a type"));
    };
    Ok(CompositeAttribute {
        name: c.colname.clone(),
        type_name: crate::convert::type_name(t),
        collation: c.coll_clause.as_deref().map(|k| names(&k.collname)),
    })
}

/// `CREATE TYPE name AS (attribute type, ...)`.
///
/// Errors: internal errors for malformed trees only.
pub(crate) fn create_composite(s: &pb::CompositeTypeStmt) -> Result<Statement> {
    let mut attributes = Vec::with_capacity(s.coldeflist.len());
    for node in &s.coldeflist {
        if let Some(NodeEnum::ColumnDef(c)) = node.node.as_ref() {
            attributes.push(attribute(c)?);
        }
    }
    Ok(Statement::TypeDdl(Box::new(TypeStmt::CreateComposite {
        name: s.typevar.as_ref().map(range_var_names).unwrap_or_default(),
        attributes,
    })))
}

/// `CREATE TYPE name AS RANGE (attribute = value, ...)`.
pub(crate) fn create_range(s: &pb::CreateRangeStmt) -> Statement {
    let params = s
        .params
        .iter()
        .filter_map(|p| match p.node.as_ref() {
            Some(NodeEnum::DefElem(d)) => Some(crate::ast_type::RangeParam {
                name: d.defname.clone(),
                type_name: match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
                    Some(NodeEnum::TypeName(t)) => Some(crate::convert::type_name(t)),
                    Some(NodeEnum::List(l)) => Some(crate::ast::TypeName {
                        names: names(&l.items),
                        typmods: Vec::new(),
                        array_bounds: Vec::new(),
                        location: 0,
                    }),
                    Some(NodeEnum::String(v)) => Some(crate::ast::TypeName {
                        names: vec![v.sval.clone()],
                        typmods: Vec::new(),
                        array_bounds: Vec::new(),
                        location: 0,
                    }),
                    _ => None,
                },
            }),
            _ => None,
        })
        .collect();
    Statement::TypeDdl(Box::new(TypeStmt::CreateRange {
        name: names(&s.type_name),
        params,
    }))
}

/// `CREATE TYPE name` (a shell type) and `CREATE TYPE name (INPUT = ..., OUTPUT = ...)`
/// (a base type): `None` for other `DefineStmt`s (aggregates, operators, ...).
pub(crate) fn define_type(s: &pb::DefineStmt) -> Option<Statement> {
    if s.kind != pb::ObjectType::ObjectType as i32 {
        return None;
    }
    let name = names(&s.defnames);
    Some(Statement::TypeDdl(Box::new(if s.definition.is_empty() {
        TypeStmt::Unsupported(
            "shell types (CREATE TYPE name without a definition) are not supported".into(),
        )
    } else {
        TypeStmt::CreateBase {
            name: name.last().cloned().unwrap_or_default(),
        }
    })))
}

/// `ALTER TYPE name ADD | DROP | ALTER ATTRIBUTE ...`: `None` unless the statement's
/// object type is `TYPE`.
///
/// Errors: internal errors for malformed trees only.
pub(crate) fn alter_type(s: &pb::AlterTableStmt) -> Result<Option<Statement>> {
    use pb::AlterTableType as A;
    if s.objtype != pb::ObjectType::ObjectType as i32 {
        return Ok(None);
    }
    let name = s.relation.as_ref().map(range_var_names).unwrap_or_default();
    let mut actions = Vec::with_capacity(s.cmds.len());
    for node in &s.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = node.node.as_ref() else {
            continue;
        };
        let def = cmd.def.as_deref().and_then(|d| d.node.as_ref());
        actions.push(match (A::from_i32(cmd.subtype), def) {
            (Some(A::AtAddColumn), Some(NodeEnum::ColumnDef(c))) => {
                AlterAttribute::Add(attribute(c)?)
            }
            (Some(A::AtDropColumn), _) => AlterAttribute::Drop {
                name: cmd.name.clone(),
                missing_ok: cmd.missing_ok,
            },
            (Some(A::AtAlterColumnType), Some(NodeEnum::ColumnDef(c))) => {
                let mut a = attribute(c)?;
                a.name = cmd.name.clone();
                AlterAttribute::SetType(a)
            }
            _ => AlterAttribute::Other("this ALTER TYPE form".into()),
        });
    }
    Ok(Some(Statement::TypeDdl(Box::new(
        TypeStmt::AlterComposite { name, actions },
    ))))
}

/// `ALTER TYPE name RENAME ATTRIBUTE a TO b`: `None` for other renames.
pub(crate) fn rename_attribute(s: &pb::RenameStmt) -> Option<Statement> {
    if s.rename_type != pb::ObjectType::ObjectAttribute as i32 {
        return None;
    }
    Some(Statement::TypeDdl(Box::new(TypeStmt::RenameAttribute {
        name: s.relation.as_ref().map(range_var_names).unwrap_or_default(),
        old: s.subname.clone(),
        new: s.newname.clone(),
    })))
}

#[cfg(test)]
mod tests {
    use crate::ast::Statement;
    use crate::ast_type::TypeStmt;

    fn one(sql: &str) -> Statement {
        crate::parse(sql).expect("parses").remove(0).stmt
    }

    #[test]
    fn create_and_alter_enum_convert() {
        assert_eq!(
            one("CREATE TYPE s.mood AS ENUM ('sad', 'ok')"),
            Statement::TypeDdl(Box::new(TypeStmt::CreateEnum {
                name: vec!["s".into(), "mood".into()],
                labels: vec!["sad".into(), "ok".into()],
            }))
        );
        assert_eq!(
            one("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok'"),
            Statement::TypeDdl(Box::new(TypeStmt::AddEnumValue {
                name: vec!["mood".into()],
                label: "meh".into(),
                neighbor: Some(("ok".into(), false)),
                if_not_exists: true,
            }))
        );
        assert_eq!(
            one("ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'"),
            Statement::TypeDdl(Box::new(TypeStmt::RenameEnumValue {
                name: vec!["mood".into()],
                old: "ok".into(),
                new: "fine".into(),
            }))
        );
    }

    #[test]
    fn composite_type_statements_convert() {
        let Statement::TypeDdl(t) = one("CREATE TYPE s.pair AS (a int, b text COLLATE \"C\")")
        else {
            panic!("not type DDL");
        };
        let TypeStmt::CreateComposite { name, attributes } = *t else {
            panic!("not a composite type");
        };
        assert_eq!(name, vec!["s".to_string(), "pair".to_string()]);
        assert_eq!(attributes.len(), 2);
        assert_eq!(attributes[1].collation, Some(vec!["C".to_string()]));
        let Statement::TypeDdl(t) =
            one("ALTER TYPE pair ADD ATTRIBUTE c int, DROP ATTRIBUTE IF EXISTS a")
        else {
            panic!("not type DDL");
        };
        let TypeStmt::AlterComposite { actions, .. } = *t else {
            panic!("not ALTER TYPE");
        };
        assert!(matches!(&actions[0], crate::ast_type::AlterAttribute::Add(a) if a.name == "c"));
        assert!(matches!(
            &actions[1],
            crate::ast_type::AlterAttribute::Drop { name, missing_ok: true } if name == "a"
        ));
        assert_eq!(
            one("ALTER TYPE pair RENAME ATTRIBUTE a TO z"),
            Statement::TypeDdl(Box::new(TypeStmt::RenameAttribute {
                name: vec!["pair".into()],
                old: "a".into(),
                new: "z".into(),
            }))
        );
        assert!(matches!(
            one("CREATE TYPE shell"),
            Statement::TypeDdl(t) if matches!(*t, TypeStmt::Unsupported(_))
        ));
    }

    #[test]
    fn rename_type_converts() {
        assert_eq!(
            one("ALTER TYPE s.mood RENAME TO feeling"),
            Statement::TypeDdl(Box::new(TypeStmt::RenameType {
                name: vec!["s".into(), "mood".into()],
                new_name: "feeling".into(),
            }))
        );
    }

    #[test]
    fn drop_type_names_its_types() {
        let Statement::Drop(d) = one("DROP TYPE IF EXISTS s.mood, other CASCADE") else {
            panic!("not a DROP");
        };
        assert_eq!(d.kind, crate::ast_ddl::DropKind::Type);
        assert!(d.missing_ok && d.cascade);
        assert_eq!(d.objects.len(), 2);
        assert_eq!(d.objects[0].schema.as_deref(), Some("s"));
        assert_eq!(d.objects[1].name, "other");
    }
}
