//! `ALTER SEQUENCE [IF EXISTS] name options` (PostgreSQL's `AlterSequence`).
//!
//! Rules, as PostgreSQL 15:
//! 1. Options not written keep their values; `AS type` moves a bound that sat at the old
//!    type's limit to the new type's (`init_params`).
//! 2. `RESTART [WITH n]` sets the next value (the start value without `WITH`); the
//!    current or restarted value must lie within the new bounds (22023 `RESTART value
//!    (n) cannot be less than MINVALUE (m)`).
//! 3. Changes of type, increment, bounds, cycling or a restart give the sequence new
//!    storage holding its state, swapped in at commit: a rolled-back ALTER SEQUENCE leaves
//!    the old state, and `nextval` calls made since then in the transaction are lost with
//!    it.
//! 4. `OWNED BY table.column | NONE` replaces the sequence's `a` dependency; an identity
//!    sequence's ownership cannot change (0A000).
//!
//! Entry point: [`Session::alter_sequence`].

use tusk_catalog::syscat;
use tusk_sql::ast_ddl::{AlterSequenceStmt, SequenceOptions};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::sequence_ddl::{init_params, owned_by_target, sequence_type};
use super::Session;
use crate::sequence::{SeqParams, SeqState};
use crate::sink::{NoticeSeverity, Sink};

impl Session {
    /// `ALTER SEQUENCE [IF EXISTS] name options` (module rules 1-4).
    ///
    /// Errors: 42P01 (a NOTICE with IF EXISTS); 42809 `"x" is not a sequence`; 22023 for
    /// invalid parameters; as OWNED BY; 25006.
    pub(crate) fn alter_sequence(
        &mut self,
        stmt: &AlterSequenceStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("ALTER SEQUENCE")?;
        super::sequence_ddl::refuse_sequence_name(&stmt.options)?;
        let rv = &stmt.relation;
        let entry = {
            let reader = self.catalog_reader();
            match reader.resolve(rv.schema.as_deref(), &rv.name)? {
                Some(oid) => reader.entry(oid)?,
                None => None,
            }
        };
        let Some(entry) = entry else {
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            let error = pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown);
            if stmt.missing_ok {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "relation \"{}\" does not exist, skipping",
                        shown
                    ),
                );
                return Ok("ALTER SEQUENCE".into());
            }
            return Err(error);
        };
        if entry.info.kind != b'S' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a sequence",
                entry.info.name
            ));
        }
        let seq = entry.info.oid;
        self.check_relation_owner(seq)?;
        self.lock_relation(seq, crate::lock::LockMode::ShareRowExclusive)?;
        self.alter_sequence_options(seq, &stmt.options, sql)?;
        Ok("ALTER SEQUENCE".into())
    }

    /// Applies `options` to sequence `seq` (module rules 1-4); also ALTER TABLE's identity
    /// column options.
    ///
    /// Errors: as [`Session::alter_sequence`].
    pub(crate) fn alter_sequence_options(
        &mut self,
        seq: Oid,
        options: &SequenceOptions,
        sql: &str,
    ) -> Result<()> {
        let entry = self.reload_relation(seq)?;
        let sequence = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        let (old, old_type) = {
            let reader = self.catalog_reader();
            let rows = reader.rows(sequence)?;
            let row = rows
                .iter()
                .find(|r| r[sequence.col("seqrelid")] == Datum::Oid(seq.0))
                .ok_or_else(|| {
                    tusk_types::Error::internal(format!(
                        "cache lookup failed for sequence {}",
                        seq.0
                    ))
                })?;
            let int = |name: &str| match row[sequence.col(name)] {
                Datum::Int8(n) => n,
                _ => 0,
            };
            let old_type = match row[sequence.col("seqtypid")] {
                Datum::Oid(o) => Oid(o),
                _ => tusk_types::type_oid::INT8,
            };
            (
                SeqParams {
                    start: int("seqstart"),
                    increment: int("seqincrement"),
                    max: int("seqmax"),
                    min: int("seqmin"),
                    cache: int("seqcache"),
                    cycle: row[sequence.col("seqcycle")] == Datum::Bool(true),
                },
                old_type,
            )
        };
        let (new_type, owner) = {
            let reader = self.catalog_reader();
            (
                sequence_type(&self.output, &reader, options, sql)?.unwrap_or(old_type),
                owned_by_target(&reader, options, entry.namespace_oid)?,
            )
        };
        let params = init_params(options, Some((&old, old_type)), new_type)?;
        let cluster = self.db.cluster.clone();
        let current = crate::sequence::read_state(&cluster.pool, entry.locator)?;
        let state = match options.restart {
            Some(value) => SeqState {
                last_value: value.unwrap_or(params.start),
                log_cnt: 0,
                is_called: false,
            },
            None => current,
        };
        if state.last_value < params.min {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "RESTART value ({}) cannot be less than MINVALUE ({})",
                state.last_value,
                params.min
            ));
        }
        if state.last_value > params.max {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "RESTART value ({}) cannot be greater than MAXVALUE ({})",
                state.last_value,
                params.max
            ));
        }
        if let Some(owner) = owner {
            self.set_sequence_owner(seq, &entry.info.name, owner)?;
        }
        if params != old || new_type != old_type {
            self.update_catalog_row(
                sequence,
                |r| r[sequence.col("seqrelid")] == Datum::Oid(seq.0),
                |r| {
                    r[sequence.col("seqtypid")] = Datum::Oid(new_type.0);
                    r[sequence.col("seqstart")] = Datum::Int8(params.start);
                    r[sequence.col("seqincrement")] = Datum::Int8(params.increment);
                    r[sequence.col("seqmax")] = Datum::Int8(params.max);
                    r[sequence.col("seqmin")] = Datum::Int8(params.min);
                    r[sequence.col("seqcache")] = Datum::Int8(params.cache);
                    r[sequence.col("seqcycle")] = Datum::Bool(params.cycle);
                },
            )?;
        }
        let rewrite = options.as_type.is_some()
            || options.increment.is_some()
            || options.min.is_some()
            || options.max.is_some()
            || options.cycle.is_some()
            || options.restart.is_some();
        if rewrite {
            let (node, locator) = self.new_relation_file()?;
            crate::sequence::create_storage_with(
                &cluster.pool,
                &cluster.checkpointer,
                locator,
                SeqState {
                    log_cnt: 0,
                    ..state
                },
            )?;
            self.set_relation_file(seq, node, entry.locator, None)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `OWNED BY`: replaces the `a` dependency of sequence `seq` by one on `owner`'s
    /// column (none for OWNED BY NONE).
    ///
    /// Errors: 0A000 `cannot change ownership of identity sequence`.
    fn set_sequence_owner(
        &mut self,
        seq: Oid,
        name: &str,
        owner: Option<(Oid, i16)>,
    ) -> Result<()> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let c = |n: &str| depend.col(n);
        let identity_table = self
            .catalog_reader()
            .rows(depend)?
            .iter()
            .find(|r| {
                r[c("classid")] == Datum::Oid(syscat::PG_CLASS.0)
                    && r[c("objid")] == Datum::Oid(seq.0)
                    && r[c("deptype")] == Datum::Text("i".into())
            })
            .map(|r| r[c("refobjid")].clone());
        if let Some(Datum::Oid(table)) = identity_table {
            let table = self.reload_relation(Oid(table))?.info.name.clone();
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot change ownership of identity sequence"
            )
            .detail(format!(
                "Sequence \"{name}\" is linked to table \"{table}\"."
            )));
        }
        let (c_class, c_obj, c_type) = (c("classid"), c("objid"), c("deptype"));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r: &[Datum]| {
            r[c_class] == Datum::Oid(syscat::PG_CLASS.0)
                && r[c_obj] == Datum::Oid(seq.0)
                && r[c_type] == Datum::Text("a".into())
        })?;
        if let Some((table, attnum)) = owner {
            self.insert_owned_by(seq, table, attnum, b'a')?;
        }
        Ok(())
    }
}
