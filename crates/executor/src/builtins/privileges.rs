//! The access privilege inquiry functions (PostgreSQL docs §9.26, table 9.68):
//! `has_table_privilege`, `has_column_privilege`, `has_any_column_privilege`,
//! `has_database_privilege`, `has_schema_privilege`, `has_function_privilege`,
//! `has_sequence_privilege`, `has_language_privilege`, `has_tablespace_privilege`,
//! `has_type_privilege`, `has_foreign_data_wrapper_privilege`, `has_server_privilege`
//! and `has_parameter_privilege`, in all their `(user, object, privilege)` forms.
//!
//! Each call validates the privilege list (`SELECT, UPDATE WITH GRANT OPTION`) and finds
//! the role and the object as PostgreSQL does: a name that does not exist is an error, an
//! OID that does not exist gives NULL. A superuser holds every privilege; other roles
//! are answered from the object's ACL (`privileges_acl.rs`).
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::catalog_info::{catalog, oid_arg, row_by_oid};
use super::privileges_acl as acl;
use super::{reg, Table};
use crate::{EvalContext, SessionContext};

/// The kinds of object a privilege function asks about.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Table,
    Column,
    AnyColumn,
    Database,
    Schema,
    Function,
    Sequence,
    Language,
    Tablespace,
    Type,
    ForeignDataWrapper,
    Server,
    Parameter,
}

impl Kind {
    /// The privilege names valid for this kind (without `WITH GRANT OPTION`).
    fn privileges(self) -> &'static [&'static str] {
        match self {
            Kind::Table => &[
                "SELECT",
                "INSERT",
                "UPDATE",
                "DELETE",
                "TRUNCATE",
                "REFERENCES",
                "TRIGGER",
            ],
            Kind::Column | Kind::AnyColumn => &["SELECT", "INSERT", "UPDATE", "REFERENCES"],
            Kind::Database => &["CREATE", "CONNECT", "TEMPORARY", "TEMP"],
            Kind::Schema => &["CREATE", "USAGE"],
            Kind::Function => &["EXECUTE"],
            Kind::Sequence => &["USAGE", "SELECT", "UPDATE"],
            Kind::Language | Kind::Type | Kind::ForeignDataWrapper | Kind::Server => &["USAGE"],
            Kind::Tablespace => &["CREATE"],
            Kind::Parameter => &["SET", "ALTER SYSTEM"],
        }
    }
}

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

/// Validates a privilege list such as `select, insert with grant option`.
///
/// Errors: 22023 `unrecognized privilege type: "x"`.
fn check_privileges(kind: Kind, list: &str) -> Result<()> {
    for item in list.split(',') {
        let upper = item.trim().to_ascii_uppercase();
        let name = upper
            .strip_suffix("WITH GRANT OPTION")
            .map_or(upper.as_str(), str::trim_end);
        if !kind.privileges().contains(&name) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "unrecognized privilege type: \"{}\"",
                item.trim()
            ));
        }
    }
    Ok(())
}

/// The row of `catalog` whose `column` is `name`.
fn row_by_name(
    session: &dyn SessionContext,
    catalog_name: &str,
    column: &str,
    name: &str,
) -> Result<Option<Vec<Datum>>> {
    let cat = catalog(catalog_name);
    let col = cat.col(column);
    Ok(session
        .catalog_rows(cat.oid)?
        .iter()
        .find(|r| text(&r[col]) == name)
        .cloned())
}

/// A relation named as `regclass` input names it (`schema.name` or a name found along
/// the search path); unquoted names fold to lower case.
fn relation_by_name(session: &dyn SessionContext, name: &str) -> Result<Option<Oid>> {
    let fold = |s: &str| {
        let s = s.trim();
        match s.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => s.to_lowercase(),
        }
    };
    let (schema, rel) = match name.split_once('.') {
        Some((s, r)) => (Some(fold(s)), fold(r)),
        None => (None, fold(name)),
    };
    let nsp = catalog("pg_namespace");
    let namespaces = session.catalog_rows(nsp.oid)?;
    let namespace_oid = |n: &str| {
        namespaces
            .iter()
            .find(|r| text(&r[nsp.col("nspname")]) == n)
            .and_then(|r| oid_arg(&r[nsp.col("oid")]))
    };
    let class = catalog("pg_class");
    let rows = session.catalog_rows(class.oid)?;
    let find = |ns: Oid| {
        rows.iter()
            .find(|r| {
                text(&r[class.col("relname")]) == rel
                    && oid_arg(&r[class.col("relnamespace")]) == Some(ns)
            })
            .and_then(|r| oid_arg(&r[class.col("oid")]))
    };
    Ok(match schema {
        Some(s) => namespace_oid(&s).and_then(find),
        None => session
            .search_path()
            .iter()
            .filter_map(|s| namespace_oid(s))
            .find_map(find),
    })
}

/// Whether the object exists: `Ok(false)` for an unknown OID (the function gives NULL);
/// an unknown name is an error.
fn object_exists(ctx: &EvalContext<'_>, kind: Kind, object: &Datum) -> Result<bool> {
    let session = &*ctx.session;
    let by_oid = |catalog_name: &str| -> Result<bool> {
        let oid = oid_arg(object).unwrap_or(Oid::INVALID);
        Ok(row_by_oid(session, catalog(catalog_name), oid)?.is_some())
    };
    if !matches!(object, Datum::Text(_)) {
        return match kind {
            Kind::Table | Kind::Column | Kind::AnyColumn | Kind::Sequence => by_oid("pg_class"),
            Kind::Database => by_oid("pg_database"),
            Kind::Schema => by_oid("pg_namespace"),
            Kind::Function => by_oid("pg_proc"),
            Kind::Language => by_oid("pg_language"),
            Kind::Tablespace => by_oid("pg_tablespace"),
            Kind::Type => by_oid("pg_type"),
            Kind::ForeignDataWrapper => by_oid("pg_foreign_data_wrapper"),
            Kind::Server => by_oid("pg_foreign_server"),
            Kind::Parameter => Ok(true),
        };
    }
    let name = text(object);
    let missing = |e: Error| Err(e);
    match kind {
        Kind::Table | Kind::Column | Kind::AnyColumn | Kind::Sequence => {
            match relation_by_name(session, name)? {
                Some(_) => Ok(true),
                None => missing(pg_err!(
                    UNDEFINED_TABLE,
                    "relation \"{}\" does not exist",
                    name
                )),
            }
        }
        Kind::Database => match row_by_name(session, "pg_database", "datname", name)? {
            Some(_) => Ok(true),
            None => missing(pg_err!(
                UNDEFINED_DATABASE,
                "database \"{}\" does not exist",
                name
            )),
        },
        Kind::Schema => match row_by_name(session, "pg_namespace", "nspname", name)? {
            Some(_) => Ok(true),
            None => missing(pg_err!(
                INVALID_SCHEMA_NAME,
                "schema \"{}\" does not exist",
                name
            )),
        },
        Kind::Language => match row_by_name(session, "pg_language", "lanname", name)? {
            Some(_) => Ok(true),
            None => missing(pg_err!(
                UNDEFINED_OBJECT,
                "language \"{}\" does not exist",
                name
            )),
        },
        Kind::Tablespace => match row_by_name(session, "pg_tablespace", "spcname", name)? {
            Some(_) => Ok(true),
            None => missing(pg_err!(
                UNDEFINED_OBJECT,
                "tablespace \"{}\" does not exist",
                name
            )),
        },
        Kind::ForeignDataWrapper => {
            match row_by_name(session, "pg_foreign_data_wrapper", "fdwname", name)? {
                Some(_) => Ok(true),
                None => missing(pg_err!(
                    UNDEFINED_OBJECT,
                    "foreign-data wrapper \"{}\" does not exist",
                    name
                )),
            }
        }
        Kind::Server => match row_by_name(session, "pg_foreign_server", "srvname", name)? {
            Some(_) => Ok(true),
            None => missing(pg_err!(
                UNDEFINED_OBJECT,
                "server \"{}\" does not exist",
                name
            )),
        },
        Kind::Function => {
            crate::io::text_in(name, type_oid::REGPROCEDURE, -1, ctx.output)?;
            Ok(true)
        }
        Kind::Type => {
            crate::io::text_in(name, type_oid::REGTYPE, -1, ctx.output)?;
            Ok(true)
        }
        Kind::Parameter => Ok(true),
    }
}

/// Whether `role` (a name, an OID, or the current user when `None`) is a superuser.
///
/// Errors: 42704 `role "x" does not exist`.
fn role_is_superuser(ctx: &EvalContext<'_>, role: Option<&Datum>) -> Result<bool> {
    let authid = catalog("pg_authid");
    let row = match role {
        None => row_by_name(&*ctx.session, "pg_authid", "rolname", ctx.current_user)?,
        Some(Datum::Text(name)) => {
            match row_by_name(&*ctx.session, "pg_authid", "rolname", name)? {
                Some(r) => Some(r),
                None => {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "role \"{}\" does not exist",
                        name
                    ))
                }
            }
        }
        Some(other) => row_by_oid(
            &*ctx.session,
            authid,
            oid_arg(other).unwrap_or(Oid::INVALID),
        )?,
    };
    Ok(row.is_some_and(|r| matches!(r[authid.col("rolsuper")], Datum::Bool(true))))
}

/// One privilege function: `shape` is the `prosrc` suffix (`name_name`, `id`,
/// `name_id_attnum`, ...), telling whether a role comes first and whether a column
/// follows the object.
fn privilege(ctx: &mut EvalContext<'_>, a: &[Datum], kind: Kind, shape: &str) -> Result<Datum> {
    let parts: Vec<&str> = shape.split('_').collect();
    let has_column = kind == Kind::Column;
    let object_parts = if has_column { 2 } else { 1 };
    let has_role = parts.len() > object_parts;
    let (role, object) = if has_role {
        (Some(&a[0]), &a[1])
    } else {
        (None, &a[0])
    };
    let privileges = text(&a[a.len() - 1]);
    check_privileges(kind, privileges)?;
    let superuser = role_is_superuser(ctx, role)?;
    if !object_exists(ctx, kind, object)? {
        return Ok(Datum::Null);
    }
    if kind == Kind::Sequence {
        let rel = match object {
            Datum::Text(name) => relation_by_name(&*ctx.session, name)?,
            other => oid_arg(other),
        }
        .unwrap_or(Oid::INVALID);
        let class = catalog("pg_class");
        if let Some(row) = row_by_oid(&*ctx.session, class, rel)? {
            if text(&row[class.col("relkind")]) != "S" {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "\"{}\" is not a sequence",
                    text(&row[class.col("relname")])
                ));
            }
        }
    }
    if has_column {
        let column = &a[a.len() - 2];
        let rel = match object {
            Datum::Text(name) => relation_by_name(&*ctx.session, name)?,
            other => oid_arg(other),
        }
        .unwrap_or(Oid::INVALID);
        let attr = catalog("pg_attribute");
        let attributes = ctx.session.catalog_rows(attr.oid)?;
        let found = attributes.matching(attr.col("attrelid"), rel).any(|r| {
            !matches!(r[attr.col("attisdropped")], Datum::Bool(true))
                && match column {
                    Datum::Text(name) => text(&r[attr.col("attname")]) == name,
                    Datum::Int2(n) => matches!(r[attr.col("attnum")], Datum::Int2(m) if m == *n),
                    _ => false,
                }
        });
        if !found {
            return match column {
                Datum::Text(name) => Err(pg_err!(
                    UNDEFINED_COLUMN,
                    "column \"{}\" of relation \"{}\" does not exist",
                    name,
                    text(object)
                )),
                _ => Ok(Datum::Null),
            };
        }
    }
    if superuser {
        return Ok(Datum::Bool(true));
    }
    let role = match role {
        None => role_oid_by_name(&*ctx.session, ctx.current_user)?,
        Some(Datum::Text(name)) => role_oid_by_name(&*ctx.session, name)?,
        Some(other) => oid_arg(other).unwrap_or(Oid::INVALID),
    };
    let Some(oid) = object_oid(ctx, kind, object)? else {
        return Ok(Datum::Null);
    };
    Ok(Datum::Bool(acl::holds_any(
        &*ctx.session,
        kind,
        oid,
        role,
        privileges,
    )?))
}

/// The OID of role `name`.
///
/// Errors: 42704 `role "x" does not exist`.
fn role_oid_by_name(session: &dyn SessionContext, name: &str) -> Result<Oid> {
    let authid = catalog("pg_authid");
    row_by_name(session, "pg_authid", "rolname", name)?
        .and_then(|r| oid_arg(&r[authid.col("oid")]))
        .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "role \"{}\" does not exist", name))
}

/// The OID of the object a privilege function names (already known to exist).
fn object_oid(ctx: &EvalContext<'_>, kind: Kind, object: &Datum) -> Result<Option<Oid>> {
    let Datum::Text(name) = object else {
        return Ok(oid_arg(object));
    };
    let session = &*ctx.session;
    let by_name = |catalog_name: &str, column: &str| -> Result<Option<Oid>> {
        let cat = catalog(catalog_name);
        Ok(row_by_name(session, catalog_name, column, name)?
            .and_then(|r| oid_arg(&r[cat.col("oid")])))
    };
    match kind {
        Kind::Table | Kind::Column | Kind::AnyColumn | Kind::Sequence => {
            relation_by_name(session, name)
        }
        Kind::Database => by_name("pg_database", "datname"),
        Kind::Schema => by_name("pg_namespace", "nspname"),
        Kind::Language => by_name("pg_language", "lanname"),
        Kind::Tablespace => by_name("pg_tablespace", "spcname"),
        Kind::ForeignDataWrapper => by_name("pg_foreign_data_wrapper", "fdwname"),
        Kind::Server => by_name("pg_foreign_server", "srvname"),
        Kind::Function => Ok(oid_arg(&crate::io::text_in(
            name,
            type_oid::REGPROCEDURE,
            -1,
            ctx.output,
        )?)),
        Kind::Type => Ok(oid_arg(&crate::io::text_in(
            name,
            type_oid::REGTYPE,
            -1,
            ctx.output,
        )?)),
        Kind::Parameter => Ok(None),
    }
}

macro_rules! register_kind {
    ($t:expr, $prefix:literal, $kind:expr, [$($shape:literal),*]) => {
        $(
            reg($t, &[concat!($prefix, "_", $shape)], |ctx, a| privilege(ctx, a, $kind, $shape));
        )*
    };
}

pub(super) fn register(t: &mut Table) {
    register_kind!(
        t,
        "has_table_privilege",
        Kind::Table,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_sequence_privilege",
        Kind::Sequence,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_any_column_privilege",
        Kind::AnyColumn,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_database_privilege",
        Kind::Database,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_schema_privilege",
        Kind::Schema,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_function_privilege",
        Kind::Function,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_language_privilege",
        Kind::Language,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_tablespace_privilege",
        Kind::Tablespace,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_type_privilege",
        Kind::Type,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_foreign_data_wrapper_privilege",
        Kind::ForeignDataWrapper,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_server_privilege",
        Kind::Server,
        ["name_name", "name_id", "id_name", "id_id", "name", "id"]
    );
    register_kind!(
        t,
        "has_parameter_privilege",
        Kind::Parameter,
        ["name_name", "name", "id_name"]
    );
    register_kind!(
        t,
        "has_column_privilege",
        Kind::Column,
        [
            "name_name_name",
            "name_name_attnum",
            "name_id_name",
            "name_id_attnum",
            "id_name_name",
            "id_name_attnum",
            "id_id_name",
            "id_id_attnum",
            "name_name",
            "name_attnum",
            "id_name",
            "id_attnum"
        ]
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privilege_lists_are_validated() {
        assert!(check_privileges(Kind::Table, "select, INSERT with grant option").is_ok());
        assert!(check_privileges(Kind::Database, "temp").is_ok());
        assert!(check_privileges(Kind::Parameter, "alter system").is_ok());
        assert_eq!(
            check_privileges(Kind::Table, "foo")
                .expect_err("bad")
                .message,
            "unrecognized privilege type: \"foo\""
        );
        assert!(check_privileges(Kind::Schema, "select").is_err());
    }
}
