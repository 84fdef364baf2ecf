//! `pg_has_role` (PostgreSQL docs §9.26, table 9.68), in its six `(user, role,
//! privilege)` forms: whether a role may use another role's privileges (`USAGE`, PostgreSQL's
//! `has_privs_of_role`: membership through roles with `rolinherit`) or is a member of it at
//! all (`MEMBER`), optionally `WITH ADMIN OPTION` / `WITH GRANT OPTION`. A superuser holds
//! every one.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{pg_err, Datum, Oid, Result};

use super::catalog_info::{catalog, oid_arg, row_by_oid};
use super::privileges_acl::roles_with_privileges_of;
use super::{reg, Table};
use crate::{EvalContext, SessionContext};

/// What one privilege item asks.
#[derive(Clone, Copy, PartialEq)]
enum RoleMode {
    Usage,
    Member,
    Admin,
}

/// The privilege list (`'USAGE, MEMBER WITH ADMIN OPTION'`).
///
/// Errors: 22023 `unrecognized privilege type: "x"`.
fn modes(list: &str) -> Result<Vec<RoleMode>> {
    let mut out = Vec::new();
    for item in list.split(',') {
        let words: Vec<String> = item
            .split_whitespace()
            .map(str::to_ascii_uppercase)
            .collect();
        let mode = match words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["USAGE"] => RoleMode::Usage,
            ["MEMBER"] => RoleMode::Member,
            ["USAGE" | "MEMBER", "WITH", "ADMIN" | "GRANT", "OPTION"] => RoleMode::Admin,
            _ => {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "unrecognized privilege type: \"{}\"",
                    item.trim()
                ))
            }
        };
        out.push(mode);
    }
    Ok(out)
}

/// The row of a role given by name or OID: `Ok(None)` for an OID naming no role.
///
/// Errors: 42704 `role "x" does not exist` for a name.
fn role_row(session: &dyn SessionContext, role: &Datum) -> Result<Option<Vec<Datum>>> {
    let authid = catalog("pg_authid");
    match role {
        Datum::Text(name) => {
            let rows = session.catalog_rows(authid.oid)?;
            let found = rows
                .iter()
                .find(|r| matches!(&r[authid.col("rolname")], Datum::Text(n) if n == name))
                .cloned();
            found
                .map(Some)
                .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "role \"{}\" does not exist", name))
        }
        other => row_by_oid(session, authid, oid_arg(other).unwrap_or(Oid::INVALID)),
    }
}

/// Whether `member` belongs to `role` through any chain of memberships, and whether some
/// link of such a chain ending at `role` carries the admin option.
fn membership(session: &dyn SessionContext, member: Oid, role: Oid) -> Result<(bool, bool)> {
    let members = catalog("pg_auth_members");
    let rows = session.catalog_rows(members.oid)?;
    let mut reached = vec![member];
    let mut frontier = vec![member];
    let mut admin = false;
    while let Some(m) = frontier.pop() {
        for row in rows.matching(members.col("member"), m) {
            let Some(granted) = oid_arg(&row[members.col("roleid")]) else {
                continue;
            };
            if granted == role && matches!(row[members.col("admin_option")], Datum::Bool(true)) {
                admin = true;
            }
            if !reached.contains(&granted) {
                reached.push(granted);
                frontier.push(granted);
            }
        }
    }
    Ok((reached.contains(&role), admin))
}

/// `pg_has_role([user,] role, privilege)`. As in PostgreSQL, an OID that names no role
/// is no error: such a user holds nothing, and a superuser holds even such a role.
fn pg_has_role(
    ctx: &mut EvalContext<'_>,
    user: Option<&Datum>,
    role: &Datum,
    list: &str,
) -> Result<Datum> {
    let current = Datum::Text(ctx.current_user.to_string());
    let user = user.unwrap_or(&current);
    let authid = catalog("pg_authid");
    let user_row = role_row(&*ctx.session, user)?;
    let role_row = role_row(&*ctx.session, role)?;
    let modes = modes(list)?;
    let Some(user_row) = user_row else {
        return Ok(Datum::Bool(false));
    };
    if matches!(user_row[authid.col("rolsuper")], Datum::Bool(true)) {
        return Ok(Datum::Bool(true));
    }
    let Some(role_row) = role_row else {
        return Ok(Datum::Bool(false));
    };
    let oid = |r: &[Datum]| oid_arg(&r[authid.col("oid")]).unwrap_or(Oid::INVALID);
    let (user_oid, role_oid) = (oid(&user_row), oid(&role_row));
    let (member, admin) = membership(&*ctx.session, user_oid, role_oid)?;
    for mode in modes {
        let holds = match mode {
            RoleMode::Member => member,
            RoleMode::Usage => {
                roles_with_privileges_of(&*ctx.session, user_oid)?.contains(&role_oid)
            }
            RoleMode::Admin => admin,
        };
        if holds {
            return Ok(Datum::Bool(true));
        }
    }
    Ok(Datum::Bool(false))
}

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

pub(super) fn register(t: &mut Table) {
    for name in [
        "pg_has_role_name_name",
        "pg_has_role_name_id",
        "pg_has_role_id_name",
        "pg_has_role_id_id",
    ] {
        reg(t, &[name], |ctx, a| {
            pg_has_role(ctx, Some(&a[0]), &a[1], text(&a[2]))
        });
    }
    for name in ["pg_has_role_name", "pg_has_role_id"] {
        reg(t, &[name], |ctx, a| {
            pg_has_role(ctx, None, &a[0], text(&a[1]))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privilege_lists_parse_like_postgres() {
        assert!(matches!(
            modes("usage").expect("usage")[..],
            [RoleMode::Usage]
        ));
        assert!(matches!(
            modes("MEMBER, usage with admin option").expect("two")[..],
            [RoleMode::Member, RoleMode::Admin]
        ));
        let err = modes("select").err().expect("bad");
        assert_eq!(err.message, "unrecognized privilege type: \"select\"");
    }
}
