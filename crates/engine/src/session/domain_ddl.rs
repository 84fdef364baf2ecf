//! CREATE DOMAIN and DROP DOMAIN (PostgreSQL's `DefineDomain` and `RemoveObjects` for
//! domains): a `pg_type` row with `typtype = 'd'` whose storage attributes (`typlen`,
//! `typbyval`, `typalign`, `typstorage`, `typcategory`, output and send functions) are
//! its base type's, an array type `_name`, and one `pg_constraint` row per CHECK
//! constraint (`contypid` the domain, `conrelid` 0), all written in the session's
//! transaction.
//!
//! Rules:
//! 1. A CHECK expression names the value checked `VALUE`: it is analysed with one column
//!    `value` of the base type in scope and stored as its SQL text (`conbin`), as tusk
//!    stores table CHECK constraints. The default is analysed and coerced to the base
//!    type and stored as its SQL text (`typdefault`).
//! 2. An unnamed CHECK constraint is named `<domain>_check`, then `<domain>_check1`, ...
//!    (PostgreSQL's `ChooseConstraintName` within the domain).
//! 3. A domain a column uses cannot be dropped (2BP01); `CASCADE` dropping those
//!    columns is not supported yet (0A000). Type DDL takes turns on `pg_type` (see
//!    `enum_ddl`).
//!
//! Entry points: [`Session::create_domain`], [`Session::alter_domain`], [`Session::drop_domain_rows`],
//! [`Session::domain_base_types`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::{Analyzer, CoercionContext, Scope, ScopeColumn};
use tusk_sql::ast_type::{AlterDomainAction, CreateDomain};
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::enum_ddl::{proc_oid, split_name};
use super::lookup::SessionLookup;
use super::Session;
use crate::sink::{NoticeSeverity, Sink};
use crate::user_types::{self as catalog_types, UserTypeRow};

/// The columns of a domain's `pg_type` row copied from its base type's row.
const COPIED_FROM_BASE: [&str; 9] = [
    "typlen",
    "typbyval",
    "typcategory",
    "typdelim",
    "typoutput",
    "typsend",
    "typalign",
    "typstorage",
    "typcollation",
];

/// The name for an unnamed CHECK constraint of domain `domain` (rule 2).
fn choose_check_name(domain: &str, taken: &[String]) -> String {
    let base = format!("{domain}_check");
    let mut candidate = base.clone();
    let mut n = 0;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{base}{n}");
    }
    candidate
}

fn with_position(e: Error, location: usize) -> Error {
    if e.position.is_some() {
        e
    } else {
        e.position(location as u32 + 1)
    }
}

impl Session {
    /// `CREATE DOMAIN name [AS] base_type [DEFAULT expr] [[CONSTRAINT c] NOT NULL | NULL |
    /// CHECK (expr)] ...` (rules 1 and 2).
    ///
    /// Errors: 42710 `type "x" already exists`; 42704 for an unknown base type; 42804
    /// `"x" is not a valid base type for a domain` for pseudo-types; 42601 for
    /// constraint kinds domains cannot have and conflicting NULL/NOT NULL; 42710
    /// `constraint "c" for domain "d" already exists`; analysis errors of the default and
    /// CHECK expressions; the collation errors of `Session::column_collation`; 3F000 for an
    /// unknown schema.
    pub(crate) fn create_domain(&mut self, stmt: &CreateDomain, sql: &str) -> Result<()> {
        if let Some((message, location)) = &stmt.invalid {
            return Err(pg_err!(SYNTAX_ERROR, "{}", message).position(*location as u32 + 1));
        }
        if let Some((what, location)) = &stmt.unsupported {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!("{what} in CREATE DOMAIN is not supported yet"),
            )
            .position(*location as u32 + 1));
        }
        let (schema, name) = split_name(&stmt.name);
        let (namespace, _) = self.checked_creation_namespace(schema)?;
        self.check_type_name_free(namespace, name)?;
        let (base, typmod, default, checks) = {
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
            let (base, typmod) = analyzer.resolve_type_name(&stmt.base)?;
            let typtype = tusk_catalog::builtin()
                .type_by_oid(base)
                .map(|t| t.typtype)
                .or_else(|| {
                    catalog_types::user_type(&reader, base)
                        .ok()
                        .flatten()
                        .map(|t| t.typtype)
                })
                .unwrap_or(b'b');
            if !matches!(typtype, b'b' | b'd' | b'e' | b'r' | b'm') {
                return Err(with_position(
                    pg_err!(
                        DATATYPE_MISMATCH,
                        "\"{}\" is not a valid base type for a domain",
                        lookup_format_type(&self.output, &reader, base)
                    ),
                    stmt.base.location,
                ));
            }
            let default = match &stmt.default {
                Some((expr, text)) => {
                    let typed = analyzer.analyze_expr(expr, &Scope::default())?;
                    analyzer.coerce(
                        typed,
                        base,
                        typmod,
                        CoercionContext::Assignment,
                        expr.location(),
                    )?;
                    Some(text.clone())
                }
                None => None,
            };
            let scope = Scope::single(
                None,
                vec![ScopeColumn::slot("value".into(), 0, base, typmod)],
            );
            let mut checks: Vec<(String, String)> = Vec::new();
            for check in &stmt.checks {
                let typed = analyzer.analyze_expr(&check.expr, &scope)?;
                analyzer.coerce_to_boolean(typed, "CHECK", check.expr.location())?;
                let taken: Vec<String> = checks.iter().map(|(n, _)| n.clone()).collect();
                let conname = match &check.name {
                    Some(n) if taken.contains(n) => {
                        return Err(pg_err!(
                            DUPLICATE_OBJECT,
                            "constraint \"{}\" for domain \"{}\" already exists",
                            n,
                            name
                        ));
                    }
                    Some(n) => n.clone(),
                    None => choose_check_name(name, &taken),
                };
                checks.push((conname, check.sql.clone()));
            }
            (base, typmod, default, checks)
        };
        let collation = match &stmt.collation {
            // PostgreSQL reports these without a position.
            Some((names, _)) => Some(self.column_collation(names, base)?),
            None => None,
        };
        let cluster = self.db.cluster.clone();
        let domain_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let array_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let owner = self.role_oid(&self.user.clone())?;
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let base_row: Vec<Datum> = self
            .catalog_reader()
            .rows(pg_type)?
            .first_matching(pg_type.col("oid"), base)
            .map(|r| r.to_vec())
            .ok_or_else(|| Error::internal(format!("no pg_type row for type {}", base.0)))?;
        let mut row = CatalogRow::new(pg_type);
        for column in COPIED_FROM_BASE {
            row = row.set(column, base_row[pg_type.col(column)].clone());
        }
        if let Some(collation) = collation {
            row = row.set("typcollation", Datum::Oid(collation.0));
        }
        let typalign = base_row[pg_type.col("typalign")].clone();
        self.insert_catalog_row(
            row.set("oid", Datum::Oid(domain_oid.0))
                .set("typname", Datum::Text(name.to_string()))
                .set("typnamespace", Datum::Oid(namespace.0))
                .set("typowner", Datum::Oid(owner.0))
                .set("typtype", Datum::Text("d".into()))
                .set("typisdefined", Datum::Bool(true))
                .set("typarray", Datum::Oid(array_oid.0))
                .set("typinput", proc_oid("domain_in"))
                .set("typreceive", proc_oid("domain_recv"))
                .set("typnotnull", Datum::Bool(stmt.not_null == Some(true)))
                .set("typbasetype", Datum::Oid(base.0))
                .set("typtypmod", Datum::Int4(typmod))
                .set("typdefault", default.map_or(Datum::Null, Datum::Text)),
        )?;
        self.insert_catalog_row(
            super::enum_ddl::array_type_columns(CatalogRow::new(pg_type), domain_oid)
                .set("oid", Datum::Oid(array_oid.0))
                .set("typname", Datum::Text(format!("_{name}")))
                .set("typnamespace", Datum::Oid(namespace.0))
                .set("typowner", Datum::Oid(owner.0))
                .set("typisdefined", Datum::Bool(true))
                .set("typdelim", Datum::Text(",".into()))
                .set(
                    "typalign",
                    if typalign == Datum::Text("d".into()) {
                        typalign
                    } else {
                        Datum::Text("i".into())
                    },
                )
                .set("typstorage", Datum::Text("x".into()))
                .set("typtypmod", Datum::Int4(-1))
                .set(
                    "typcollation",
                    collation.map_or(base_row[pg_type.col("typcollation")].clone(), |c| {
                        Datum::Oid(c.0)
                    }),
                ),
        )?;
        for (conname, text) in &checks {
            self.insert_domain_check(namespace, domain_oid, conname, text)?;
        }
        Ok(())
    }

    /// One `pg_constraint` row for CHECK constraint `conname` of domain `domain`.
    fn insert_domain_check(
        &mut self,
        namespace: Oid,
        domain: Oid,
        conname: &str,
        text: &str,
    ) -> Result<()> {
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_catalog_row(
            super::constraint_ddl::check_constraint_row(oid, conname, namespace, text)
                .set("contypid", Datum::Oid(domain.0))
                .set("connoinherit", Datum::Bool(true)),
        )
    }

    /// `ALTER DOMAIN name SET DEFAULT expr | DROP DEFAULT | SET NOT NULL | DROP NOT NULL |
    /// ADD [CONSTRAINT c] CHECK (expr) | DROP CONSTRAINT [IF EXISTS] c`.
    ///
    /// Errors: 42704 `type "x" does not exist`; 42809 `"x" is not a domain`; 42710
    /// `constraint "c" for domain "d" already exists`; 42704 `constraint "c" of domain
    /// "d" does not exist` (a NOTICE with IF EXISTS); analysis errors of the expression;
    /// 0A000 for SET NOT NULL and ADD CONSTRAINT on a domain columns use (their values
    /// are not re-checked yet) and for the other forms.
    pub(crate) fn alter_domain(
        &mut self,
        names: &[String],
        action: &AlterDomainAction,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let (schema, name) = split_name(names);
        let found = catalog_types::user_type_by_name(&self.catalog_reader(), schema, name)?;
        let Some(ty) = found else {
            if let Some(t) = tusk_catalog::builtin().types_by_name(name) {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "\"{}\" is not a domain",
                    tusk_executor::io::format_type(t.oid)
                ));
            }
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "type \"{}\" does not exist",
                names.join(".")
            ));
        };
        if ty.typtype != b'd' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a domain",
                ty.name
            ));
        }
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let c_oid = pg_type.col("oid");
        let key = Datum::Oid(ty.oid.0);
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let (c_typid, c_name) = (constraint.col("contypid"), constraint.col("conname"));
        let existing: Vec<String> = self
            .catalog_reader()
            .rows(constraint)?
            .iter()
            .filter(|r| r[c_typid] == key)
            .map(|r| match &r[c_name] {
                Datum::Text(s) => s.clone(),
                _ => String::new(),
            })
            .collect();
        let refuse_if_used = |session: &Self, what: &str| -> Result<()> {
            if session.columns_using_type(&[ty.oid, ty.array])?.is_empty() {
                return Ok(());
            }
            Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!("ALTER DOMAIN ... {what} on a domain columns use is not supported yet"),
            ))
        };
        match action {
            AlterDomainAction::SetDefault(default) => {
                let text = match default {
                    Some((expr, text)) => {
                        self.analyze_domain_expr(sql, &ty, expr, false)?;
                        Datum::Text(text.clone())
                    }
                    None => Datum::Null,
                };
                let c_default = pg_type.col("typdefault");
                self.update_catalog_row(pg_type, |r| r[c_oid] == key, |r| r[c_default] = text)?;
            }
            AlterDomainAction::SetNotNull(not_null) => {
                if *not_null && !ty.not_null {
                    refuse_if_used(self, "SET NOT NULL")?;
                }
                let c_not_null = pg_type.col("typnotnull");
                let value = Datum::Bool(*not_null);
                self.update_catalog_row(pg_type, |r| r[c_oid] == key, |r| r[c_not_null] = value)?;
            }
            AlterDomainAction::AddCheck(check) => {
                self.analyze_domain_expr(sql, &ty, &check.expr, true)?;
                let conname = match &check.name {
                    Some(n) if existing.contains(n) => {
                        return Err(pg_err!(
                            DUPLICATE_OBJECT,
                            "constraint \"{}\" for domain \"{}\" already exists",
                            n,
                            ty.name
                        ));
                    }
                    Some(n) => n.clone(),
                    None => choose_check_name(&ty.name, &existing),
                };
                refuse_if_used(self, "ADD CONSTRAINT")?;
                self.insert_domain_check(ty.namespace, ty.oid, &conname, &check.sql)?;
            }
            AlterDomainAction::DropConstraint {
                name: conname,
                missing_ok,
            } => {
                if !existing.contains(conname) {
                    let message = format!(
                        "constraint \"{}\" of domain \"{}\" does not exist",
                        conname, ty.name
                    );
                    if *missing_ok {
                        sink.notice(
                            NoticeSeverity::Notice,
                            &pg_err!(SUCCESSFUL_COMPLETION, "{}, skipping", message),
                        );
                        return Ok(());
                    }
                    return Err(pg_err!(UNDEFINED_OBJECT, "{}", message));
                }
                let target = Datum::Text(conname.clone());
                self.delete_catalog_rows(syscat::PG_CONSTRAINT, |r| {
                    r[c_typid] == key && r[c_name] == target
                })?;
            }
            AlterDomainAction::Unsupported(what) => {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("{what} is not supported yet"),
                ));
            }
        }
        Ok(())
    }

    /// Analyses a default (coerced to the base type) or a CHECK expression (boolean,
    /// over `VALUE`) of domain `ty`.
    fn analyze_domain_expr(
        &self,
        sql: &str,
        ty: &UserTypeRow,
        expr: &tusk_sql::ast::Expr,
        is_check: bool,
    ) -> Result<()> {
        let reader = self.catalog_reader();
        let lookup = SessionLookup {
            builtin: tusk_executor::BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
        if is_check {
            let scope = Scope::single(
                None,
                vec![ScopeColumn::slot(
                    "value".into(),
                    0,
                    ty.base_type,
                    ty.typmod,
                )],
            );
            let typed = analyzer.analyze_expr(expr, &scope)?;
            analyzer.coerce_to_boolean(typed, "CHECK", expr.location())?;
        } else {
            let typed = analyzer.analyze_expr(expr, &Scope::default())?;
            analyzer.coerce(
                typed,
                ty.base_type,
                ty.typmod,
                CoercionContext::Assignment,
                expr.location(),
            )?;
        }
        Ok(())
    }

    /// `types` (type, typmod) with each domain replaced by its base type, through
    /// domains over domains, and the domain's typmod where the column has none
    /// (PostgreSQL's `getBaseTypeAndTypmod`).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn domain_base_types(&self, types: Vec<(Oid, i32)>) -> Result<Vec<(Oid, i32)>> {
        let reader = self.catalog_reader();
        types
            .into_iter()
            .map(|(mut t, mut typmod)| {
                // Domains cannot be circular; the bound guards against a corrupt catalog.
                for _ in 0..32 {
                    match catalog_types::user_type(&reader, t)? {
                        Some(d) if d.typtype == b'd' => {
                            if typmod < 0 {
                                typmod = d.typmod;
                            }
                            t = d.base_type;
                        }
                        _ => break,
                    }
                }
                Ok((t, typmod))
            })
            .collect()
    }

    /// Deletes domain `ty`'s `pg_type` rows (its own and its array type's) and its
    /// `pg_constraint` rows; the caller has checked that nothing depends on it (rule 3).
    ///
    /// Errors: catalog write errors.
    pub(crate) fn drop_domain_rows(&mut self, ty: &UserTypeRow) -> Result<()> {
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let c_type = pg_type.col("oid");
        let (t, a) = (Datum::Oid(ty.oid.0), Datum::Oid(ty.array.0));
        self.delete_catalog_rows(syscat::PG_TYPE, |r| r[c_type] == t || r[c_type] == a)?;
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let c_typid = constraint.col("contypid");
        let t = Datum::Oid(ty.oid.0);
        self.delete_catalog_rows(syscat::PG_CONSTRAINT, |r| r[c_typid] == t)?;
        Ok(())
    }
}

/// `format_type` of a built-in or user-defined type through the session's snapshot.
fn lookup_format_type(
    settings: &tusk_executor::OutputSettings,
    reader: &crate::relcache::CatalogReader<'_>,
    oid: Oid,
) -> String {
    settings
        .user_types
        .format_type(oid)
        .or_else(|| {
            catalog_types::user_type(reader, oid)
                .ok()
                .flatten()
                .map(|t| t.name)
        })
        .unwrap_or_else(|| tusk_executor::io::format_type(oid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unnamed_checks_are_numbered_after_the_domain() {
        assert_eq!(choose_check_name("d", &[]), "d_check");
        assert_eq!(choose_check_name("d", &["d_check".into()]), "d_check1");
        assert_eq!(
            choose_check_name("d", &["d_check".into(), "d_check1".into()]),
            "d_check2"
        );
    }

    #[test]
    fn names_split_into_schema_and_name() {
        assert_eq!(split_name(&["s".into(), "d".into()]), (Some("s"), "d"));
        assert_eq!(split_name(&["d".into()]), (None, "d"));
    }
}
