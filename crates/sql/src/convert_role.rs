//! Conversion of PostgreSQL's `CreateRoleStmt`, `AlterRoleStmt`, `DropRoleStmt`,
//! `GrantRoleStmt` and role `RenameStmt` raw trees into [`crate::ast_role`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result, SqlState};

use crate::ast::Statement;
use crate::ast_role::{RoleOption, RoleSpec, RoleStmt, RoleStmtKind};
use crate::convert::loc;

/// A `RoleSpec` node as [`RoleSpec`].
pub(crate) fn role_spec(r: &pb::RoleSpec) -> RoleSpec {
    match pb::RoleSpecType::from_i32(r.roletype) {
        Some(pb::RoleSpecType::RolespecCurrentUser) => RoleSpec::CurrentUser,
        Some(pb::RoleSpecType::RolespecCurrentRole) => RoleSpec::CurrentRole,
        Some(pb::RoleSpecType::RolespecSessionUser) => RoleSpec::SessionUser,
        Some(pb::RoleSpecType::RolespecPublic) => RoleSpec::Public,
        _ => RoleSpec::Name(r.rolename.clone()),
    }
}

fn role_specs(nodes: &[pb::Node]) -> Vec<RoleSpec> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::RoleSpec(r)) => Some(role_spec(r)),
            _ => None,
        })
        .collect()
}

fn bool_arg(d: &pb::DefElem) -> bool {
    match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::Boolean(b)) => b.boolval,
        Some(NodeEnum::Integer(i)) => i.ival != 0,
        _ => true,
    }
}

fn string_arg(d: &pb::DefElem) -> Option<String> {
    match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::String(s)) => Some(s.sval.clone()),
        _ => None,
    }
}

fn list_arg(d: &pb::DefElem) -> Vec<RoleSpec> {
    match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::List(l)) => role_specs(&l.items),
        Some(NodeEnum::RoleSpec(r)) => vec![role_spec(r)],
        _ => Vec::new(),
    }
}

/// The options of a role statement with their offsets.
///
/// Errors: 42601 for an option the grammar produced that tusk does not know.
fn options(nodes: &[pb::Node]) -> Result<Vec<(RoleOption, usize)>> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        let Some(NodeEnum::DefElem(d)) = node.node.as_ref() else {
            continue;
        };
        let option = match d.defname.as_str() {
            "superuser" => RoleOption::Superuser(bool_arg(d)),
            "createdb" => RoleOption::CreateDb(bool_arg(d)),
            "createrole" => RoleOption::CreateRole(bool_arg(d)),
            "canlogin" => RoleOption::Login(bool_arg(d)),
            "inherit" => RoleOption::Inherit(bool_arg(d)),
            "isreplication" => RoleOption::Replication(bool_arg(d)),
            "bypassrls" => RoleOption::BypassRls(bool_arg(d)),
            "connectionlimit" => {
                RoleOption::ConnectionLimit(match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::Integer(i)) => i.ival,
                    _ => -1,
                })
            }
            "password" => RoleOption::Password(string_arg(d)),
            "validUntil" => RoleOption::ValidUntil(string_arg(d).unwrap_or_default()),
            "addroleto" => RoleOption::InRole(list_arg(d)),
            "rolemembers" => RoleOption::Role(list_arg(d)),
            "adminmembers" => RoleOption::Admin(list_arg(d)),
            "sysid" => RoleOption::SysId,
            other => {
                return Err(Error::new(
                    SqlState::SYNTAX_ERROR,
                    format!("unrecognized role option \"{other}\""),
                ))
            }
        };
        out.push((option, loc(d.location)));
    }
    Ok(out)
}

/// `CREATE ROLE | USER | GROUP`.
pub(crate) fn create_role(s: &pb::CreateRoleStmt) -> Result<Statement> {
    let kind = match pb::RoleStmtType::from_i32(s.stmt_type) {
        Some(pb::RoleStmtType::RolestmtUser) => RoleStmtKind::User,
        Some(pb::RoleStmtType::RolestmtGroup) => RoleStmtKind::Group,
        _ => RoleStmtKind::Role,
    };
    Ok(Statement::Role(Box::new(RoleStmt::Create {
        kind,
        name: s.role.clone(),
        options: options(&s.options)?,
    })))
}

/// `ALTER ROLE | USER | GROUP` with options.
pub(crate) fn alter_role(s: &pb::AlterRoleStmt) -> Result<Statement> {
    let role = s
        .role
        .as_ref()
        .map(role_spec)
        .ok_or_else(|| Error::internal("ALTER ROLE without a role"))?;
    Ok(Statement::Role(Box::new(RoleStmt::Alter {
        role,
        options: options(&s.options)?,
        action: s.action,
    })))
}

/// `DROP ROLE | USER | GROUP`.
pub(crate) fn drop_role(s: &pb::DropRoleStmt) -> Statement {
    Statement::Role(Box::new(RoleStmt::Drop {
        roles: role_specs(&s.roles),
        missing_ok: s.missing_ok,
    }))
}

/// `REASSIGN OWNED BY role, ... TO role`.
pub(crate) fn reassign_owned(s: &pb::ReassignOwnedStmt) -> Statement {
    Statement::Role(Box::new(RoleStmt::ReassignOwned {
        roles: role_specs(&s.roles),
        new_role: s.newrole.as_ref().map_or(RoleSpec::CurrentUser, role_spec),
    }))
}

/// `DROP OWNED BY role, ... [CASCADE | RESTRICT]`.
pub(crate) fn drop_owned(s: &pb::DropOwnedStmt) -> Statement {
    Statement::Role(Box::new(RoleStmt::DropOwned {
        roles: role_specs(&s.roles),
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    }))
}

/// `GRANT | REVOKE role TO | FROM role`.
pub(crate) fn grant_role(s: &pb::GrantRoleStmt) -> Statement {
    let granted = s
        .granted_roles
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::AccessPriv(p)) => Some(p.priv_name.clone()),
            _ => None,
        })
        .collect();
    Statement::Role(Box::new(RoleStmt::GrantRole {
        is_grant: s.is_grant,
        granted,
        grantees: role_specs(&s.grantee_roles),
        admin_option: s.admin_opt,
        grantor: s.grantor.as_ref().map(role_spec),
    }))
}

/// `ALTER ROLE name RENAME TO new_name`; `None` for other renames.
pub(crate) fn rename_role(s: &pb::RenameStmt) -> Option<Statement> {
    if pb::ObjectType::from_i32(s.rename_type) != Some(pb::ObjectType::ObjectRole) {
        return None;
    }
    Some(Statement::Role(Box::new(RoleStmt::Rename {
        name: s.subname.clone(),
        new_name: s.newname.clone(),
    })))
}

#[cfg(test)]
mod tests {
    use crate::ast::Statement;
    use crate::ast_role::{RoleOption, RoleSpec, RoleStmt, RoleStmtKind};

    fn role_stmt(sql: &str) -> RoleStmt {
        let stmts = crate::parse(sql).expect("parses");
        match &stmts[0].stmt {
            Statement::Role(r) => (**r).clone(),
            other => panic!("not a role statement: {other:?}"),
        }
    }

    #[test]
    fn create_user_options_convert_in_order() {
        let RoleStmt::Create {
            kind,
            name,
            options,
        } = role_stmt(
            "CREATE USER Alice WITH NOSUPERUSER CREATEDB CONNECTION LIMIT 3 PASSWORD 'x' IN ROLE g1, g2",
        )
        else {
            panic!("not CREATE")
        };
        assert_eq!(kind, RoleStmtKind::User);
        assert_eq!(name, "alice");
        let options: Vec<RoleOption> = options.into_iter().map(|(o, _)| o).collect();
        assert_eq!(
            options,
            vec![
                RoleOption::Superuser(false),
                RoleOption::CreateDb(true),
                RoleOption::ConnectionLimit(3),
                RoleOption::Password(Some("x".into())),
                RoleOption::InRole(vec![
                    RoleSpec::Name("g1".into()),
                    RoleSpec::Name("g2".into())
                ]),
            ]
        );
    }

    #[test]
    fn grant_and_revoke_role_convert() {
        assert_eq!(
            role_stmt("GRANT g TO u, CURRENT_USER WITH ADMIN OPTION"),
            RoleStmt::GrantRole {
                is_grant: true,
                granted: vec!["g".into()],
                grantees: vec![RoleSpec::Name("u".into()), RoleSpec::CurrentUser],
                admin_option: true,
                grantor: None,
            }
        );
        assert!(matches!(
            role_stmt("REVOKE ADMIN OPTION FOR g FROM u"),
            RoleStmt::GrantRole {
                is_grant: false,
                admin_option: true,
                ..
            }
        ));
    }

    #[test]
    fn rename_drop_and_alter_group_convert() {
        assert_eq!(
            role_stmt("ALTER ROLE a RENAME TO b"),
            RoleStmt::Rename {
                name: "a".into(),
                new_name: "b".into()
            }
        );
        assert_eq!(
            role_stmt("DROP ROLE IF EXISTS a, b"),
            RoleStmt::Drop {
                roles: vec![RoleSpec::Name("a".into()), RoleSpec::Name("b".into())],
                missing_ok: true
            }
        );
        let RoleStmt::Alter {
            options, action, ..
        } = role_stmt("ALTER GROUP g DROP USER u")
        else {
            panic!("not ALTER")
        };
        assert_eq!(action, -1);
        assert_eq!(
            options[0].0,
            RoleOption::Role(vec![RoleSpec::Name("u".into())])
        );
    }
}
