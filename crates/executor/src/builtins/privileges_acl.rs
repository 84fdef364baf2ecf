//! The ACL side of the privilege inquiry functions: what a role (not a superuser) holds
//! on an object, from the object's ACL column and owner (a NULL ACL is the owner's
//! default), the role's memberships through INHERIT roles, PUBLIC, and the predefined
//! roles `pg_read_all_data` / `pg_write_all_data` (PostgreSQL's `aclmask`,
//! `has_privs_of_role`).
//!
//! Column privileges are the table's (tusk keeps no column ACLs yet).
//!
//! Entry point: [`holds_any`].

use tusk_types::adt::acl::{
    acl_default, acl_from_datum, acl_mask, privilege_by_name, AclMode, ObjectKind, ACL_DELETE,
    ACL_INSERT, ACL_SELECT, ACL_UPDATE, ACL_USAGE,
};
use tusk_types::{Datum, Oid, Result};

use super::catalog_info::{catalog, oid_arg, row_by_oid};
use super::privileges::Kind;
use crate::SessionContext;

/// `pg_read_all_data`.
const PG_READ_ALL_DATA: Oid = Oid(6181);
/// `pg_write_all_data`.
const PG_WRITE_ALL_DATA: Oid = Oid(6182);

/// `role` and every role whose privileges it has (membership chains through roles with
/// `rolinherit`).
pub(super) fn roles_with_privileges_of(
    session: &dyn SessionContext,
    role: Oid,
) -> Result<Vec<Oid>> {
    let authid = catalog("pg_authid");
    let members = catalog("pg_auth_members");
    let roles = session.catalog_rows(authid.oid)?;
    let memberships = session.catalog_rows(members.oid)?;
    let inherits = |r: Oid| {
        roles
            .first_matching(authid.col("oid"), r)
            .is_some_and(|row| matches!(row[authid.col("rolinherit")], Datum::Bool(true)))
    };
    let mut out = vec![role];
    let mut frontier = vec![role];
    while let Some(m) = frontier.pop() {
        if !inherits(m) {
            continue;
        }
        for row in memberships.matching(members.col("member"), m) {
            if let Some(granted) = oid_arg(&row[members.col("roleid")]) {
                if !out.contains(&granted) {
                    out.push(granted);
                    frontier.push(granted);
                }
            }
        }
    }
    Ok(out)
}

/// The catalog, owner column and ACL column of a kind of object, and its ACL kind.
fn acl_source(kind: Kind) -> Option<(&'static str, &'static str, &'static str, ObjectKind)> {
    Some(match kind {
        Kind::Table | Kind::Column | Kind::AnyColumn => {
            ("pg_class", "relowner", "relacl", ObjectKind::Relation)
        }
        Kind::Sequence => ("pg_class", "relowner", "relacl", ObjectKind::Sequence),
        Kind::Database => ("pg_database", "datdba", "datacl", ObjectKind::Database),
        Kind::Schema => ("pg_namespace", "nspowner", "nspacl", ObjectKind::Schema),
        Kind::Function => ("pg_proc", "proowner", "proacl", ObjectKind::Function),
        Kind::Language => ("pg_language", "lanowner", "lanacl", ObjectKind::Language),
        Kind::Tablespace => (
            "pg_tablespace",
            "spcowner",
            "spcacl",
            ObjectKind::Tablespace,
        ),
        Kind::Type => ("pg_type", "typowner", "typacl", ObjectKind::Type),
        Kind::ForeignDataWrapper => (
            "pg_foreign_data_wrapper",
            "fdwowner",
            "fdwacl",
            ObjectKind::ForeignDataWrapper,
        ),
        Kind::Server => (
            "pg_foreign_server",
            "srvowner",
            "srvacl",
            ObjectKind::ForeignServer,
        ),
        Kind::Parameter => return None,
    })
}

/// Whether `role` (not a superuser) holds any privilege of `list` (`select, update with
/// grant option`, already validated) on object `oid` of `kind`.
///
/// Errors: catalog read errors.
pub(super) fn holds_any(
    session: &dyn SessionContext,
    kind: Kind,
    oid: Oid,
    role: Oid,
    list: &str,
) -> Result<bool> {
    let Some((catalog_name, owner_col, acl_col, acl_kind)) = acl_source(kind) else {
        return Ok(false);
    };
    let cat = catalog(catalog_name);
    let Some(row) = row_by_oid(session, cat, oid)? else {
        return Ok(false);
    };
    let owner = oid_arg(&row[cat.col(owner_col)]).unwrap_or(Oid::INVALID);
    let items =
        acl_from_datum(&row[cat.col(acl_col)]).unwrap_or_else(|| acl_default(acl_kind, owner));
    let roles = roles_with_privileges_of(session, role)?;
    let (mut have, mut options) = acl_mask(&items, &roles);
    if roles.contains(&owner) {
        // The owner's grant options are implicit.
        options |= acl_kind.all_rights();
    }
    let mut predefined: AclMode = 0;
    if roles.contains(&PG_READ_ALL_DATA) {
        predefined |= match kind {
            Kind::Schema => ACL_USAGE,
            Kind::Table | Kind::Column | Kind::AnyColumn | Kind::Sequence => ACL_SELECT,
            _ => 0,
        };
    }
    if roles.contains(&PG_WRITE_ALL_DATA) {
        predefined |= match kind {
            Kind::Schema => ACL_USAGE,
            Kind::Table | Kind::Column | Kind::AnyColumn => ACL_INSERT | ACL_UPDATE | ACL_DELETE,
            _ => 0,
        };
    }
    have |= predefined;
    for item in list.split(',') {
        let upper = item.trim().to_ascii_uppercase();
        let (name, grant_option) = match upper.strip_suffix("WITH GRANT OPTION") {
            Some(n) => (n.trim_end(), true),
            None => (upper.as_str(), false),
        };
        let Some(bit) = privilege_by_name(name) else {
            continue;
        };
        let held = if grant_option { options } else { have };
        if held & bit != 0 {
            return Ok(true);
        }
    }
    Ok(false)
}
