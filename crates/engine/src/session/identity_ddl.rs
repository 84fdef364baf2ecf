//! ALTER TABLE's identity column subcommands (PostgreSQL's `ATExecAddIdentity`,
//! `ATExecSetIdentity`, `ATExecDropIdentity`).
//!
//! Rules, as PostgreSQL 15:
//! 1. ADD makes a NOT NULL integer column without a default an identity column: a new
//!    sequence `<table>_<column>_seq` (numbered on collision) belonging to the column
//!    (`pg_depend` deptype `i`) and `attidentity` `a` or `d`.
//! 2. SET changes `attidentity` and/or the sequence's options (ALTER SEQUENCE's rules,
//!    RESTART included).
//! 3. DROP clears `attidentity` and drops the sequence.
//!
//! Entry point: [`Session::at_identity`].

use std::sync::Arc;

use tusk_catalog::syscat;
use tusk_sql::ast_ddl::IdentityCmd;
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::Session;
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

impl Session {
    /// Runs one identity subcommand on `table` (module rules 1-3).
    ///
    /// Errors: 42703 for an unknown column; 55000 `column "a" of relation "t" must be
    /// declared NOT NULL before identity can be added`, `... is already an identity
    /// column`, `... already has a default value`, `... is not an identity column`; 22023
    /// for a non-integer column or invalid sequence options.
    pub(super) fn at_identity(
        &mut self,
        table: &Arc<RelEntry>,
        command: &IdentityCmd,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let column = match command {
            IdentityCmd::Add { column, .. }
            | IdentityCmd::Set { column, .. }
            | IdentityCmd::Drop { column, .. } => column,
        };
        let table = self.reload_relation(table.info.oid)?;
        let attnum = self.alter_column_attnum(&table, column)?;
        let info = table.info.columns[attnum as usize - 1].clone();
        let state_error = |what: &str| {
            pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "column \"{}\" of relation \"{}\" {}",
                column,
                table.info.name,
                what
            )
        };
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_identity = attribute.col("attidentity");
        match command {
            IdentityCmd::Add { kind, options, .. } => {
                if !matches!(
                    info.type_oid,
                    type_oid::INT2 | type_oid::INT4 | type_oid::INT8
                ) {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "identity column type must be smallint, integer, or bigint"
                    ));
                }
                if !info.not_null {
                    return Err(state_error(
                        "must be declared NOT NULL before identity can be added",
                    ));
                }
                if info.identity != 0 {
                    return Err(state_error("is already an identity column"));
                }
                if info.default.is_some() {
                    return Err(state_error("already has a default value"));
                }
                let (namespace, name) = self.column_sequence_name(
                    table.namespace_oid,
                    &table.info.name,
                    column,
                    options,
                )?;
                let seq_type = {
                    let reader = self.catalog_reader();
                    super::sequence_ddl::sequence_type(&self.output, &reader, options, sql)?
                        .unwrap_or(info.type_oid)
                };
                let params = super::sequence_ddl::sequence_params(options, seq_type)?;
                self.define_sequence(
                    namespace,
                    &name,
                    &params,
                    seq_type,
                    Some((table.info.oid, attnum, b'i')),
                )?;
                let kind = *kind;
                self.update_attribute_row(table.info.oid, attnum, |r| {
                    r[c_identity] = Datum::Text((kind as char).to_string())
                })?;
            }
            IdentityCmd::Set { kind, options, .. } => {
                if info.identity == 0 {
                    return Err(state_error("is not an identity column"));
                }
                if let Some(kind) = *kind {
                    self.update_attribute_row(table.info.oid, attnum, |r| {
                        r[c_identity] = Datum::Text((kind as char).to_string())
                    })?;
                }
                super::sequence_ddl::refuse_sequence_name(options)?;
                if **options != tusk_sql::ast_ddl::SequenceOptions::default() {
                    let seq = self.identity_sequence(table.info.oid, attnum)?;
                    self.alter_sequence_options(seq, options, sql)?;
                }
            }
            IdentityCmd::Drop { missing_ok, .. } => {
                if info.identity == 0 {
                    if *missing_ok {
                        sink.notice(
                            NoticeSeverity::Notice,
                            &pg_err!(
                                SUCCESSFUL_COMPLETION,
                                "column \"{}\" of relation \"{}\" is not an identity column, skipping",
                                column,
                                table.info.name
                            ),
                        );
                        return Ok(());
                    }
                    return Err(state_error("is not an identity column"));
                }
                let seq = self.identity_sequence(table.info.oid, attnum)?;
                self.update_attribute_row(table.info.oid, attnum, |r| {
                    r[c_identity] = Datum::Text(String::new())
                })?;
                self.drop_relation_object(seq)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// The identity sequence of column `attnum` of `table`.
    ///
    /// Errors: XX000 if the column has none.
    fn identity_sequence(&self, table: Oid, attnum: i16) -> Result<Oid> {
        self.column_sequence(table, attnum, "i")?.ok_or_else(|| {
            tusk_types::Error::internal(format!(
                "no sequence found for identity column {attnum} of relation {}",
                table.0
            ))
        })
    }
}
