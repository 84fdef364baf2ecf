//! SQL/MED objects in the catalog: decoded `pg_foreign_data_wrapper`,
//! `pg_foreign_server` and `pg_user_mapping` rows, generic options (`text[]` of
//! `name=value`, PostgreSQL's `transformGenericOptions`), the built-in
//! `postgresql_fdw_validator`, and what ties the objects to roles and to each other.
//!
//! Rules:
//! 1. Options are kept in the order given; `ADD` (or no keyword) of a present option and
//!    `SET`/`DROP` of an absent one fail (42710 / 42704), before the validator runs on the
//!    resulting list.
//! 2. Dependencies are read from the columns themselves, as tusk does for its other
//!    objects: a server depends on its wrapper (`srvfdw`), a user mapping and a foreign
//!    table on their server (`umserver`, `ftserver`); a wrapper depends on its handler
//!    and validator functions. Dependents are reported in ascending OID order, each
//!    followed by its own (PostgreSQL's report order for objects created in turn).
//! 3. Roles: owners (`fdwowner`, `srvowner`), the users of user mappings (`umuser`, 0
//!    for PUBLIC) and the roles the ACLs name are what DROP ROLE reports.
//!
//! Entry points: [`wrappers`], [`servers`], [`user_mappings`], [`transform_options`],
//! [`Session::foreign_data_role_dependencies`].

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_sql::ast_foreign::{GenericOption, OptionAction};
use tusk_types::adt::acl::acl_from_datum;
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::Session;
use crate::relcache::CatalogReader;

/// `pg_foreign_data_wrapper`'s OID.
pub(crate) const PG_FOREIGN_DATA_WRAPPER: Oid = Oid(2328);
/// `pg_foreign_server`'s OID.
pub(crate) const PG_FOREIGN_SERVER: Oid = Oid(1417);
/// `pg_user_mapping`'s OID.
pub(crate) const PG_USER_MAPPING: Oid = Oid(1418);
/// `pg_foreign_table`'s OID.
pub(crate) const PG_FOREIGN_TABLE: Oid = Oid(3118);
/// `postgresql_fdw_validator(text[], oid)`.
pub(crate) const POSTGRESQL_FDW_VALIDATOR: Oid = Oid(2316);

pub(crate) fn catalog(oid: Oid) -> &'static SysCatalog {
    syscat::system_catalog(oid).expect("SQL/MED catalogs are system catalogs")
}

/// Generic options as `(name, value)` pairs, in order.
pub(crate) type Options = Vec<(String, String)>;

/// One `pg_foreign_data_wrapper` row.
#[derive(Debug, Clone)]
pub(crate) struct WrapperRow {
    pub oid: Oid,
    pub name: String,
    pub owner: Oid,
    pub handler: Oid,
    pub validator: Oid,
    pub acl: Datum,
    pub options: Options,
}

/// One `pg_foreign_server` row.
#[derive(Debug, Clone)]
pub(crate) struct ServerRow {
    pub oid: Oid,
    pub name: String,
    pub owner: Oid,
    pub wrapper: Oid,
    pub acl: Datum,
    pub options: Options,
}

/// One `pg_user_mapping` row.
#[derive(Debug, Clone)]
pub(crate) struct MappingRow {
    pub oid: Oid,
    /// `umuser`: 0 for PUBLIC.
    pub user: Oid,
    pub server: Oid,
    pub options: Options,
}

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn text_of(d: &Datum) -> String {
    match d {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    }
}

/// A `text[]` of `name=value` entries as pairs.
pub(crate) fn options_of(d: &Datum) -> Options {
    let Datum::Array(a) = d else {
        return Vec::new();
    };
    a.elems
        .iter()
        .map(|e| {
            let t = text_of(e);
            match t.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (t, String::new()),
            }
        })
        .collect()
}

/// Options as the `text[]` the catalogs store (NULL when there are none, as PostgreSQL
/// stores them).
pub(crate) fn options_datum(options: &Options) -> Datum {
    if options.is_empty() {
        return Datum::Null;
    }
    Datum::Array(Box::new(Array::from_elements(
        type_oid::TEXT,
        options
            .iter()
            .map(|(n, v)| Datum::Text(format!("{n}={v}")))
            .collect(),
    )))
}

/// Every wrapper, in OID order.
///
/// Errors: catalog read errors.
pub(crate) fn wrappers(reader: &CatalogReader<'_>) -> Result<Vec<WrapperRow>> {
    let c = catalog(PG_FOREIGN_DATA_WRAPPER);
    let mut out: Vec<WrapperRow> = reader
        .rows(c)?
        .iter()
        .map(|r| WrapperRow {
            oid: oid_of(&r[c.col("oid")]),
            name: text_of(&r[c.col("fdwname")]),
            owner: oid_of(&r[c.col("fdwowner")]),
            handler: oid_of(&r[c.col("fdwhandler")]),
            validator: oid_of(&r[c.col("fdwvalidator")]),
            acl: r[c.col("fdwacl")].clone(),
            options: options_of(&r[c.col("fdwoptions")]),
        })
        .collect();
    out.sort_by_key(|w| w.oid);
    Ok(out)
}

/// Every server, in OID order.
///
/// Errors: catalog read errors.
pub(crate) fn servers(reader: &CatalogReader<'_>) -> Result<Vec<ServerRow>> {
    let c = catalog(PG_FOREIGN_SERVER);
    let mut out: Vec<ServerRow> = reader
        .rows(c)?
        .iter()
        .map(|r| ServerRow {
            oid: oid_of(&r[c.col("oid")]),
            name: text_of(&r[c.col("srvname")]),
            owner: oid_of(&r[c.col("srvowner")]),
            wrapper: oid_of(&r[c.col("srvfdw")]),
            acl: r[c.col("srvacl")].clone(),
            options: options_of(&r[c.col("srvoptions")]),
        })
        .collect();
    out.sort_by_key(|s| s.oid);
    Ok(out)
}

/// Every user mapping, in OID order.
///
/// Errors: catalog read errors.
pub(crate) fn user_mappings(reader: &CatalogReader<'_>) -> Result<Vec<MappingRow>> {
    let c = catalog(PG_USER_MAPPING);
    let mut out: Vec<MappingRow> = reader
        .rows(c)?
        .iter()
        .map(|r| MappingRow {
            oid: oid_of(&r[c.col("oid")]),
            user: oid_of(&r[c.col("umuser")]),
            server: oid_of(&r[c.col("umserver")]),
            options: options_of(&r[c.col("umoptions")]),
        })
        .collect();
    out.sort_by_key(|m| m.oid);
    Ok(out)
}

/// The foreign tables as `(relation, server)` pairs, in relation OID order.
///
/// Errors: catalog read errors.
pub(crate) fn foreign_tables(reader: &CatalogReader<'_>) -> Result<Vec<(Oid, Oid)>> {
    let c = catalog(PG_FOREIGN_TABLE);
    let mut out: Vec<(Oid, Oid)> = reader
        .rows(c)?
        .iter()
        .map(|r| (oid_of(&r[c.col("ftrelid")]), oid_of(&r[c.col("ftserver")])))
        .collect();
    out.sort();
    Ok(out)
}

/// Applies `changes` to `current` (rule 1).
///
/// Errors: 42710 `option "x" provided more than once`; 42704 `option "x" not found`.
pub(crate) fn transform_options(
    mut current: Options,
    changes: &[GenericOption],
) -> Result<Options> {
    for change in changes {
        let at = current.iter().position(|(n, _)| *n == change.name);
        match (change.action, at) {
            (OptionAction::Unspecified | OptionAction::Add, Some(_)) => {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "option \"{}\" provided more than once",
                    change.name
                ))
            }
            (OptionAction::Set | OptionAction::Drop, None) => {
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "option \"{}\" not found",
                    change.name
                ))
            }
            (OptionAction::Unspecified | OptionAction::Add, None) => current.push((
                change.name.clone(),
                change.value.clone().unwrap_or_default(),
            )),
            (OptionAction::Set, Some(i)) => current[i].1 = change.value.clone().unwrap_or_default(),
            (OptionAction::Drop, Some(i)) => {
                current.remove(i);
            }
        }
    }
    Ok(current)
}

/// The options `postgresql_fdw_validator` accepts, with the catalog each belongs to
/// (libpq's connection options as PostgreSQL 15 lists them).
const LIBPQ_OPTIONS: &[(&str, Oid)] = &[
    ("authtype", PG_FOREIGN_SERVER),
    ("service", PG_FOREIGN_SERVER),
    ("user", PG_USER_MAPPING),
    ("password", PG_USER_MAPPING),
    ("connect_timeout", PG_FOREIGN_SERVER),
    ("dbname", PG_FOREIGN_SERVER),
    ("host", PG_FOREIGN_SERVER),
    ("hostaddr", PG_FOREIGN_SERVER),
    ("port", PG_FOREIGN_SERVER),
    ("tty", PG_FOREIGN_SERVER),
    ("options", PG_FOREIGN_SERVER),
    ("requiressl", PG_FOREIGN_SERVER),
    ("sslmode", PG_FOREIGN_SERVER),
    ("gsslib", PG_FOREIGN_SERVER),
];

/// Runs wrapper validator `validator` on the options of an object of catalog `context`.
///
/// Errors: 42601 `invalid option "x"` with PostgreSQL's hint listing the valid ones;
/// 0A000 for validators other than the built-in one, which tusk cannot call.
pub(crate) fn validate_options(validator: Oid, options: &Options, context: Oid) -> Result<()> {
    if validator == Oid::INVALID {
        return Ok(());
    }
    if validator != POSTGRESQL_FDW_VALIDATOR {
        if options.is_empty() {
            return Ok(());
        }
        return Err(Error::feature_not_supported(
            "foreign-data wrapper validators other than postgresql_fdw_validator",
        ));
    }
    for (name, _) in options {
        if LIBPQ_OPTIONS
            .iter()
            .any(|(n, c)| n == name && *c == context)
        {
            continue;
        }
        let valid: Vec<&str> = LIBPQ_OPTIONS
            .iter()
            .filter(|(_, c)| *c == context)
            .map(|(n, _)| *n)
            .collect();
        let hint = if valid.is_empty() {
            "There are no valid options in this context.".to_string()
        } else {
            format!("Valid options in this context are: {}", valid.join(", "))
        };
        return Err(pg_err!(SYNTAX_ERROR, "invalid option \"{}\"", name).hint(hint));
    }
    Ok(())
}

/// The error of running anything through server `server`'s wrapper: tusk ships no
/// wrapper handlers.
///
/// Errors: catalog read errors. Returns 55000 `foreign-data wrapper "w" has no handler`
/// (PostgreSQL's `GetFdwRoutineByServerId`), or 0A000 when the wrapper names a handler.
pub(crate) fn routine_error(reader: &CatalogReader<'_>, server: Oid) -> Result<Error> {
    let s = servers(reader)?
        .into_iter()
        .find(|s| s.oid == server)
        .ok_or_else(|| Error::internal("cache lookup failed for foreign server"))?;
    let fdw = wrappers(reader)?
        .into_iter()
        .find(|w| w.oid == s.wrapper)
        .ok_or_else(|| Error::internal("cache lookup failed for foreign-data wrapper"))?;
    Ok(if fdw.handler == Oid::INVALID {
        pg_err!(
            OBJECT_NOT_IN_PREREQUISITE_STATE,
            "foreign-data wrapper \"{}\" has no handler",
            fdw.name
        )
    } else {
        Error::feature_not_supported("foreign-data wrapper handlers")
    })
}

/// The error of scanning or changing foreign table `rel` (see [`routine_error`]).
///
/// Errors: catalog read errors.
pub(crate) fn foreign_table_error(reader: &CatalogReader<'_>, rel: Oid) -> Result<Error> {
    match foreign_tables(reader)?.into_iter().find(|(r, _)| *r == rel) {
        Some((_, server)) => routine_error(reader, server),
        None => Ok(Error::internal(
            "foreign table without a pg_foreign_table row",
        )),
    }
}

/// PostgreSQL's name of a user mapping's user: the role's name, or `public`.
pub(crate) fn mapping_user_name(session: &Session, user: Oid) -> Result<String> {
    if user == Oid::INVALID {
        return Ok("public".into());
    }
    Ok(session
        .role_rows()?
        .into_iter()
        .find(|r| r.oid == user)
        .map(|r| r.name)
        .unwrap_or_else(|| user.0.to_string()))
}

/// Whether an ACL names `role` as grantee or grantor, other than as `owner`.
fn acl_mentions(acl: &Datum, role: Oid, owner: Oid) -> bool {
    owner != role
        && acl_from_datum(acl)
            .is_some_and(|items| items.iter().any(|i| i.grantee == role || i.grantor == role))
}

impl Session {
    /// DROP ROLE's DETAIL lines for the SQL/MED objects tied to `role` (rule 3), in OID
    /// order: `owner of foreign-data wrapper w`, `privileges for server s`, `owner of
    /// user mapping for r on server s`.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn foreign_data_role_dependencies(&self, role: Oid) -> Result<Vec<String>> {
        let reader = self.catalog_reader();
        let servers = servers(&reader)?;
        let mut lines: Vec<(Oid, String)> = Vec::new();
        for w in wrappers(&reader)? {
            if w.owner == role {
                lines.push((w.oid, format!("owner of foreign-data wrapper {}", w.name)));
            } else if acl_mentions(&w.acl, role, w.owner) {
                lines.push((
                    w.oid,
                    format!("privileges for foreign-data wrapper {}", w.name),
                ));
            }
        }
        for s in &servers {
            if s.owner == role {
                lines.push((s.oid, format!("owner of server {}", s.name)));
            } else if acl_mentions(&s.acl, role, s.owner) {
                lines.push((s.oid, format!("privileges for server {}", s.name)));
            }
        }
        let name = mapping_user_name(self, role)?;
        for m in user_mappings(&reader)? {
            if m.user == role {
                let server = servers
                    .iter()
                    .find(|s| s.oid == m.server)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                lines.push((
                    m.oid,
                    format!("owner of user mapping for {name} on server {server}"),
                ));
            }
        }
        lines.sort_by_key(|(oid, _)| *oid);
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(name: &str, value: Option<&str>, action: OptionAction) -> GenericOption {
        GenericOption {
            name: name.into(),
            value: value.map(str::to_string),
            action,
        }
    }

    #[test]
    fn alter_options_add_set_and_drop_in_order() {
        let current = vec![("a".to_string(), "1".to_string()), ("b".into(), "2".into())];
        let out = transform_options(
            current,
            &[
                option("a", None, OptionAction::Drop),
                option("b", Some("3"), OptionAction::Set),
                option("c", Some("4"), OptionAction::Add),
            ],
        )
        .expect("valid changes");
        assert_eq!(
            out,
            vec![("b".to_string(), "3".to_string()), ("c".into(), "4".into())]
        );
    }

    #[test]
    fn duplicate_and_missing_options_fail() {
        let dup = transform_options(
            Vec::new(),
            &[
                option("t", Some("1"), OptionAction::Unspecified),
                option("t", Some("2"), OptionAction::Unspecified),
            ],
        )
        .expect_err("duplicate");
        assert_eq!(dup.message, "option \"t\" provided more than once");
        let missing = transform_options(Vec::new(), &[option("c", None, OptionAction::Drop)])
            .expect_err("missing");
        assert_eq!(missing.message, "option \"c\" not found");
    }

    #[test]
    fn postgresql_validator_lists_the_options_of_each_context() {
        let err = validate_options(
            POSTGRESQL_FDW_VALIDATOR,
            &vec![("username".into(), "x".into())],
            PG_USER_MAPPING,
        )
        .expect_err("invalid");
        assert_eq!(
            err.hint.as_deref(),
            Some("Valid options in this context are: user, password")
        );
        let err = validate_options(
            POSTGRESQL_FDW_VALIDATOR,
            &vec![("x".into(), "1".into())],
            PG_FOREIGN_DATA_WRAPPER,
        )
        .expect_err("invalid");
        assert_eq!(
            err.hint.as_deref(),
            Some("There are no valid options in this context.")
        );
        validate_options(
            POSTGRESQL_FDW_VALIDATOR,
            &vec![("host".into(), "h".into()), ("dbname".into(), "d".into())],
            PG_FOREIGN_SERVER,
        )
        .expect("valid");
    }
}
