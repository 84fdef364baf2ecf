//! Conversion of PostgreSQL's `CreatedbStmt`, `DropdbStmt`, `AlterDatabaseStmt`,
//! `AlterDatabaseSetStmt`, `AlterRoleSetStmt` and the database forms of `RenameStmt` and
//! `AlterOwnerStmt` into [`crate::ast_database`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast::Statement;
use crate::ast_database::{DatabaseOption, DatabaseStmt, SettingTarget};
use crate::convert::loc;
use crate::convert_role::role_spec;

fn wrap(stmt: DatabaseStmt) -> Statement {
    Statement::Database(Box::new(stmt))
}

/// The `DefElem` options of a database statement.
fn options(nodes: &[pb::Node]) -> Vec<DatabaseOption> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::DefElem(d)) => Some(d),
            _ => None,
        })
        .map(|d| {
            let (value, numeric) = match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
                Some(NodeEnum::String(s)) => (Some(s.sval.clone()), false),
                Some(NodeEnum::Integer(i)) => (Some(i.ival.to_string()), true),
                Some(NodeEnum::Float(f)) => (Some(f.fval.clone()), true),
                Some(NodeEnum::Boolean(b)) => (Some(b.boolval.to_string()), false),
                Some(NodeEnum::RoleSpec(r)) => match role_spec(r) {
                    crate::ast_role::RoleSpec::Name(n) => (Some(n), false),
                    _ => (Some(r.rolename.clone()), false),
                },
                Some(NodeEnum::List(l)) => (
                    l.items.first().and_then(|n| match n.node.as_ref() {
                        Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                        _ => None,
                    }),
                    false,
                ),
                _ => (None, false),
            };
            DatabaseOption {
                name: d.defname.clone(),
                value,
                numeric,
                location: loc(d.location),
            }
        })
        .collect()
}

/// `CREATE DATABASE`.
pub(crate) fn create_database(s: &pb::CreatedbStmt) -> Statement {
    wrap(DatabaseStmt::Create {
        name: s.dbname.clone(),
        options: options(&s.options),
    })
}

/// `DROP DATABASE`.
pub(crate) fn drop_database(s: &pb::DropdbStmt) -> Statement {
    wrap(DatabaseStmt::Drop {
        name: s.dbname.clone(),
        missing_ok: s.missing_ok,
        force: options(&s.options).iter().any(|o| o.name == "force"),
    })
}

/// `ALTER DATABASE name [WITH] options`.
pub(crate) fn alter_database(s: &pb::AlterDatabaseStmt) -> Statement {
    wrap(DatabaseStmt::Alter {
        name: s.dbname.clone(),
        options: options(&s.options),
    })
}

/// `ALTER DATABASE name SET | RESET ...`.
///
/// Errors: those of the SET conversion.
pub(crate) fn alter_database_set(s: &pb::AlterDatabaseSetStmt) -> Result<Statement> {
    let set = s
        .setstmt
        .as_ref()
        .ok_or_else(|| Error::internal("ALTER DATABASE SET without a SET"))?;
    Ok(wrap(DatabaseStmt::Set {
        target: SettingTarget::Database(s.dbname.clone()),
        set: crate::convert::set_stmt(set)?,
    }))
}

/// `ALTER ROLE name | ALL [IN DATABASE db] SET | RESET ...`.
///
/// Errors: those of the SET conversion.
pub(crate) fn alter_role_set(s: &pb::AlterRoleSetStmt) -> Result<Statement> {
    let set = s
        .setstmt
        .as_ref()
        .ok_or_else(|| Error::internal("ALTER ROLE SET without a SET"))?;
    Ok(wrap(DatabaseStmt::Set {
        target: SettingTarget::Role {
            role: s.role.as_ref().map(role_spec),
            database: (!s.database.is_empty()).then(|| s.database.clone()),
        },
        set: crate::convert::set_stmt(set)?,
    }))
}

/// `ALTER DATABASE name RENAME TO new`, if `s` is that form.
pub(crate) fn rename_database(s: &pb::RenameStmt) -> Option<Statement> {
    (s.rename_type == pb::ObjectType::ObjectDatabase as i32).then(|| {
        wrap(DatabaseStmt::Rename {
            name: s.subname.clone(),
            new_name: s.newname.clone(),
        })
    })
}

/// `ALTER DATABASE name OWNER TO role`, if `s` is that form.
pub(crate) fn alter_database_owner(s: &pb::AlterOwnerStmt) -> Option<Statement> {
    if s.object_type != pb::ObjectType::ObjectDatabase as i32 {
        return None;
    }
    let name = match s.object.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::String(n)) => n.sval.clone(),
        _ => return None,
    };
    Some(wrap(DatabaseStmt::Owner {
        name,
        owner: role_spec(s.newowner.as_ref()?),
    }))
}
