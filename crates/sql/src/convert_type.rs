//! Conversion of PostgreSQL's enum type statements and `ALTER TYPE ... RENAME TO` into
//! [`crate::ast_type::TypeStmt`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;

use crate::ast::Statement;
use crate::ast_type::TypeStmt;

fn names(nodes: &[pb::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
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
