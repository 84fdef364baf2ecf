//! Foreign tables (PostgreSQL docs: CREATE FOREIGN TABLE, DROP FOREIGN TABLE): a
//! `pg_class` row of relkind `f` without storage, its `pg_foreign_table` row (server and
//! options) and its columns' `attfdwoptions`.
//!
//! Rules:
//! 1. CREATE FOREIGN TABLE is CREATE TABLE's steps with relkind `f` (the session's
//!    `creating_foreign_table` flag): no relation file, no TOAST table, no indexes.
//!    PRIMARY KEY, UNIQUE, FOREIGN KEY and EXCLUDE constraints are refused first (42809),
//!    as PostgreSQL's parse analysis does; NOT NULL and CHECK are kept.
//! 2. The creator needs USAGE on the server; options are checked by the wrapper's
//!    validator (`pg_foreign_table` and `pg_attribute` contexts).
//! 3. tusk has no wrapper to run, so any statement reading or writing a foreign table
//!    fails before it runs, as PostgreSQL's planner does for a wrapper without a handler
//!    (`foreign_data_ddl` rule 5).
//!
//! Entry points: [`Session::create_foreign_table`], [`Session::check_foreign_table_uses`],
//! [`Session::remove_foreign_table_row`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::RelationUse;
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::CreateTableStmt;
use tusk_sql::ast_foreign::GenericOption;
use tusk_types::adt::acl::ObjectKind;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::foreign_data_catalog::{
    catalog, foreign_tables, options_datum, options_of, transform_options, validate_options,
    PG_FOREIGN_TABLE,
};
use super::privilege::permission_denied;
use super::Session;
use crate::sink::Sink;

impl Session {
    /// `CREATE FOREIGN TABLE` (rules 1 and 2).
    ///
    /// Errors: 42809 `<kind> constraints are not supported on foreign tables`; those of
    /// CREATE TABLE; 42704 for a missing server; 42501 without USAGE on it; 42601 for
    /// options the validator refuses.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_foreign_table(
        &mut self,
        table: &CreateTableStmt,
        server: &str,
        options: &[GenericOption],
        column_options: &[(String, Vec<GenericOption>)],
        refused: Option<(&'static str, usize)>,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if let Some((what, location)) = refused {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "{} constraints are not supported on foreign tables",
                what
            )
            .position(tusk_sql::char_position(sql, location)));
        }
        self.creating_foreign_table = true;
        let created = self.create_table(table, sql, sink);
        self.creating_foreign_table = false;
        created?;
        let rel = self
            .catalog_reader()
            .resolve(table.relation.schema.as_deref(), &table.relation.name)?
            .ok_or_else(|| tusk_types::Error::internal("created foreign table vanished"))?;
        let caller = self.caller()?;
        let server = self.server_by_name(server)?;
        if !caller.has_usage(
            caller.me,
            server.owner,
            &server.acl,
            ObjectKind::ForeignServer,
        ) {
            return Err(permission_denied("foreign server", &server.name));
        }
        let fdw = self.wrapper_by_oid(server.wrapper)?;
        let options = transform_options(Vec::new(), options)?;
        validate_options(fdw.validator, &options, PG_FOREIGN_TABLE)?;
        self.insert_catalog_row(
            CatalogRow::new(catalog(PG_FOREIGN_TABLE))
                .set("ftrelid", Datum::Oid(rel.0))
                .set("ftserver", Datum::Oid(server.oid.0))
                .set("ftoptions", options_datum(&options)),
        )?;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        for (column, changes) in column_options {
            let options = transform_options(Vec::new(), changes)?;
            validate_options(fdw.validator, &options, syscat::PG_ATTRIBUTE)?;
            let (c_rel, c_name) = (attribute.col("attrelid"), attribute.col("attname"));
            let (key, name) = (Datum::Oid(rel.0), Datum::Text(column.clone()));
            self.update_catalog_row(
                attribute,
                |r| r[c_rel] == key && r[c_name] == name,
                |r| r[attribute.col("attfdwoptions")] = options_datum(&options),
            )?;
        }
        Ok(())
    }

    /// `ALTER FOREIGN TABLE t OPTIONS (...)` and `ALTER COLUMN c OPTIONS (...)` (rule 2's
    /// validation).
    ///
    /// Errors: 42P01 (a NOTICE with IF EXISTS); 42809 `"t" is not a foreign table`;
    /// 42501 for a non-owner; 428C9 / 42703 for a system or missing column; the option
    /// errors of `foreign_data_catalog` rule 1 and the validator's.
    pub(crate) fn alter_foreign_table_options(
        &mut self,
        relation: &RangeVar,
        missing_ok: bool,
        changes: &[(Option<String>, Vec<GenericOption>)],
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let Some(entry) = self.alter_target(relation, missing_ok, sink)? else {
            return Ok(());
        };
        if entry.info.kind != b'f' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a foreign table",
                entry.info.name
            ));
        }
        let rel = entry.info.oid;
        self.check_relation_owner(rel)?;
        let reader = self.catalog_reader();
        let server = foreign_tables(&reader)?
            .into_iter()
            .find(|(r, _)| *r == rel)
            .map(|(_, s)| s)
            .ok_or_else(|| tusk_types::Error::internal("foreign table without a server"))?;
        drop(reader);
        let validator = {
            let reader = self.catalog_reader();
            let wrapper = super::foreign_data_catalog::servers(&reader)?
                .into_iter()
                .find(|s| s.oid == server)
                .map(|s| s.wrapper)
                .unwrap_or(Oid::INVALID);
            self.wrapper_by_oid(wrapper)?.validator
        };
        let key = Datum::Oid(rel.0);
        for (column, changes) in changes {
            match column {
                None => {
                    let c = catalog(PG_FOREIGN_TABLE);
                    let current = self
                        .catalog_reader()
                        .rows(c)?
                        .first_matching(c.col("ftrelid"), rel)
                        .map(|r| options_of(&r[c.col("ftoptions")]))
                        .unwrap_or_default();
                    let options = transform_options(current, changes)?;
                    validate_options(validator, &options, PG_FOREIGN_TABLE)?;
                    self.update_catalog_row(
                        c,
                        |r| r[c.col("ftrelid")] == key,
                        |r| r[c.col("ftoptions")] = options_datum(&options),
                    )?;
                }
                Some(name) => {
                    let entry = self.reload_relation(rel)?;
                    let attnum = self.alter_column_attnum(&entry, name)?;
                    let attribute =
                        syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
                    let (c_rel, c_num, c_opt) = (
                        attribute.col("attrelid"),
                        attribute.col("attnum"),
                        attribute.col("attfdwoptions"),
                    );
                    let current = self
                        .catalog_reader()
                        .rows(attribute)?
                        .matching(c_rel, rel)
                        .find(|r| r[c_num] == Datum::Int2(attnum))
                        .map(|r| options_of(&r[c_opt]))
                        .unwrap_or_default();
                    let options = transform_options(current, changes)?;
                    validate_options(validator, &options, syscat::PG_ATTRIBUTE)?;
                    self.update_catalog_row(
                        attribute,
                        |r| r[c_rel] == key && r[c_num] == Datum::Int2(attnum),
                        |r| r[c_opt] = options_datum(&options),
                    )?;
                }
            }
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// Deletes the `pg_foreign_table` row of `rel`, if it has one.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_foreign_table_row(&mut self, rel: Oid) -> Result<()> {
        let c = catalog(PG_FOREIGN_TABLE);
        let key = Datum::Oid(rel.0);
        self.delete_catalog_rows(PG_FOREIGN_TABLE, |r| r[c.col("ftrelid")] == key)?;
        Ok(())
    }

    /// Rule 3: fails if a statement uses a foreign table.
    ///
    /// Errors: 55000 `foreign-data wrapper "w" has no handler` (0A000 when it has one).
    pub(crate) fn check_foreign_table_uses(&self, uses: &[RelationUse]) -> Result<()> {
        let reader = self.catalog_reader();
        if reader
            .rows(catalog(PG_FOREIGN_TABLE))?
            .iter()
            .next()
            .is_none()
        {
            return Ok(());
        }
        let tables = foreign_tables(&reader)?;
        for u in uses {
            if let Some((_, server)) = tables.iter().find(|(rel, _)| *rel == u.relation) {
                return Err(self.foreign_server_routine_error(*server)?);
            }
        }
        Ok(())
    }
}

/// ALTER FOREIGN TABLE ... ADD CONSTRAINT: only CHECK constraints (rule 1).
///
/// Errors: 42809 `primary key constraints are not supported on foreign tables` (unique,
/// foreign key), at the constraint.
pub(crate) fn check_foreign_table_constraint(
    constraint: &tusk_sql::ast_ddl::TableConstraint,
    sql: &str,
) -> Result<()> {
    use tusk_sql::ast_ddl::TableConstraint as C;
    let (what, location) = match constraint {
        C::Check { .. } => return Ok(()),
        C::Unique {
            primary, location, ..
        } => (if *primary { "primary key" } else { "unique" }, *location),
        C::ForeignKey(def) => ("foreign key", def.location),
    };
    let err = pg_err!(
        WRONG_OBJECT_TYPE,
        "{} constraints are not supported on foreign tables",
        what
    );
    Err(if location == usize::MAX {
        err
    } else {
        err.position(tusk_sql::char_position(sql, location))
    })
}
