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
use tusk_sql::ast_ddl::CreateTableStmt;
use tusk_sql::ast_foreign::GenericOption;
use tusk_types::adt::acl::ObjectKind;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::foreign_data_catalog::{
    catalog, foreign_tables, options_datum, transform_options, validate_options, PG_FOREIGN_TABLE,
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
