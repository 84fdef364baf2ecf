//! CREATE SEQUENCE, DROP SEQUENCE, and the sequences of `serial` columns (PostgreSQL's
//! `DefineSequence`, `init_params`): parameter defaults and checks with PostgreSQL's
//! messages, the `pg_class` (relkind `S`), `pg_attribute`, `pg_sequence` and, for owned
//! sequences, `pg_depend` (deptype `a`) rows, and the sequence's one-page relation.

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::Analyzer;
use tusk_sql::ast_ddl::{CreateSequenceStmt, SequenceOptions};
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::lookup::SessionLookup;
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::sequence::SeqParams;
use crate::sink::{NoticeSeverity, Sink};

/// Computes a new sequence's parameters from its options (`init_params`).
///
/// Errors: 22023 with PostgreSQL's messages for invalid combinations.
pub(crate) fn sequence_params(options: &SequenceOptions, type_oid: Oid) -> Result<SeqParams> {
    let (type_min, type_max, type_name) = match type_oid {
        type_oid::INT2 => (i64::from(i16::MIN), i64::from(i16::MAX), "smallint"),
        type_oid::INT4 => (i64::from(i32::MIN), i64::from(i32::MAX), "integer"),
        _ => (i64::MIN, i64::MAX, "bigint"),
    };
    let increment = options.increment.unwrap_or(1);
    if increment == 0 {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "INCREMENT must not be zero"
        ));
    }
    let max = options
        .max
        .flatten()
        .unwrap_or(if increment > 0 { type_max } else { -1 });
    let min = options
        .min
        .flatten()
        .unwrap_or(if increment > 0 { 1 } else { type_min });
    if max < type_min || max > type_max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "MAXVALUE ({}) is out of range for sequence data type {}",
            max,
            type_name
        ));
    }
    if min < type_min || min > type_max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "MINVALUE ({}) is out of range for sequence data type {}",
            min,
            type_name
        ));
    }
    if min >= max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "MINVALUE ({}) must be less than MAXVALUE ({})",
            min,
            max
        ));
    }
    let start = options
        .start
        .unwrap_or(if increment > 0 { min } else { max });
    if start < min {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "START value ({}) cannot be less than MINVALUE ({})",
            start,
            min
        ));
    }
    if start > max {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "START value ({}) cannot be greater than MAXVALUE ({})",
            start,
            max
        ));
    }
    let cache = options.cache.unwrap_or(1);
    if cache <= 0 {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "CACHE ({}) must be greater than zero",
            cache
        ));
    }
    Ok(SeqParams {
        start,
        increment,
        max,
        min,
        cache,
        cycle: options.cycle.unwrap_or(false),
    })
}

impl Session {
    /// Creates a sequence named `name` in `namespace`; with `owner`, it belongs to that
    /// table column (dropped with it). Returns the sequence's OID.
    ///
    /// Errors: as [`sequence_params`]; I/O errors.
    pub(crate) fn define_sequence(
        &mut self,
        namespace: Oid,
        name: &str,
        params: &SeqParams,
        type_oid: Oid,
        owner: Option<(Oid, i16, u8)>,
    ) -> Result<Oid> {
        let cluster = self.db.cluster.clone();
        let persistence = (self.namespace_persistence(namespace)? as char).to_string();
        let seq = cluster.xact.oids.next_oid(&cluster.wal);
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(seq.0))
                .set("relname", Datum::Text(name.to_string()))
                .set("relnamespace", Datum::Oid(namespace.0))
                .set("relowner", Datum::Oid(self.current_user_oid()?.0))
                .set("relfilenode", Datum::Oid(seq.0))
                .set("relpages", Datum::Int4(1))
                .set("reltuples", Datum::Float4(1.0))
                .set("relpersistence", Datum::Text(persistence))
                .set("relkind", Datum::Text("S".into()))
                .set("relnatts", Datum::Int2(3))
                .set("relispopulated", Datum::Bool(true))
                .set("relreplident", Datum::Text("n".into())),
        )?;
        for (i, (col, t)) in [
            ("last_value", type_oid::INT8),
            ("log_cnt", type_oid::INT8),
            ("is_called", type_oid::BOOL),
        ]
        .into_iter()
        .enumerate()
        {
            self.insert_catalog_row(attribute_row(seq, i as i16 + 1, col, t, -1, true))?;
        }
        self.insert_system_attribute_rows(seq)?;
        let sequence = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        self.insert_catalog_row(
            CatalogRow::new(sequence)
                .set("seqrelid", Datum::Oid(seq.0))
                .set("seqtypid", Datum::Oid(type_oid.0))
                .set("seqstart", Datum::Int8(params.start))
                .set("seqincrement", Datum::Int8(params.increment))
                .set("seqmax", Datum::Int8(params.max))
                .set("seqmin", Datum::Int8(params.min))
                .set("seqcache", Datum::Int8(params.cache))
                .set("seqcycle", Datum::Bool(params.cycle)),
        )?;
        if let Some((table, attnum, deptype)) = owner {
            self.insert_owned_by(seq, table, attnum, deptype)?;
        }
        let locator = self.create_relation_file(seq)?;
        crate::sequence::create_storage(
            &cluster.pool,
            &cluster.checkpointer,
            locator,
            params.start,
        )?;
        Ok(seq)
    }

    /// A `pg_depend` row making sequence `seq` belong to column `attnum` of `table`.
    /// Restarts sequence `seq` at its start value transactionally, as PostgreSQL's
    /// `ResetSequence` does for `TRUNCATE ... RESTART IDENTITY`: new storage holding the
    /// start value replaces the old at commit.
    ///
    /// Errors: 42P01 if `seq` is gone; catalog and storage errors.
    pub(crate) fn reset_sequence(&mut self, seq: Oid) -> Result<()> {
        let entry = self.catalog_reader().entry(seq)?.ok_or_else(|| {
            pg_err!(
                UNDEFINED_TABLE,
                "relation with OID {} does not exist",
                seq.0
            )
        })?;
        let sequence = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        let start = self
            .catalog_reader()
            .scan(sequence)?
            .into_iter()
            .find(|(_, r)| r[sequence.col("seqrelid")] == Datum::Oid(seq.0))
            .and_then(|(_, r)| match r[sequence.col("seqstart")] {
                Datum::Int8(n) => Some(n),
                _ => None,
            })
            .unwrap_or(1);
        let cluster = self.db.cluster.clone();
        let (node, locator) = self.new_relation_file()?;
        crate::sequence::create_storage(&cluster.pool, &cluster.checkpointer, locator, start)?;
        self.set_relation_file(seq, node, entry.locator, None)
    }

    fn insert_owned_by(&mut self, seq: Oid, table: Oid, attnum: i16, deptype: u8) -> Result<()> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        self.insert_catalog_row(
            CatalogRow::new(depend)
                .set("classid", Datum::Oid(syscat::PG_CLASS.0))
                .set("objid", Datum::Oid(seq.0))
                .set("objsubid", Datum::Int4(0))
                .set("refclassid", Datum::Oid(syscat::PG_CLASS.0))
                .set("refobjid", Datum::Oid(table.0))
                .set("refobjsubid", Datum::Int4(i32::from(attnum)))
                .set("deptype", Datum::Text((deptype as char).to_string())),
        )
    }

    /// `CREATE SEQUENCE`.
    ///
    /// Errors: 42P07, 3F000, 22023 (parameters), 25006, 42704 for an unknown type,
    /// 22023 `sequence type must be smallint, integer, or bigint`.
    pub(crate) fn create_sequence(
        &mut self,
        stmt: &CreateSequenceStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        if self.config.get_string("transaction_read_only") == "on" {
            return Err(pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute CREATE SEQUENCE in a read-only transaction"
            ));
        }
        let rv = &stmt.relation;
        let (ns, _) = if self.is_temp_creation(stmt.persistence, rv)? {
            self.temp_creation_namespace()?
        } else {
            self.catalog_reader()
                .creation_namespace(rv.schema.as_deref())?
        };
        self.lock_relation(ns, crate::lock::LockMode::AccessExclusive)?;
        let (namespace, seq_type, owner) = {
            let reader = self.catalog_reader();
            if reader.relation_oid(ns, &rv.name)?.is_some() {
                if stmt.if_not_exists {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            DUPLICATE_TABLE,
                            "relation \"{}\" already exists, skipping",
                            rv.name
                        ),
                    );
                    return Ok("CREATE SEQUENCE".into());
                }
                return Err(pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" already exists",
                    rv.name
                ));
            }
            let seq_type = match &stmt.options.as_type {
                Some(t) => {
                    let lookup = SessionLookup {
                        builtin: tusk_executor::BuiltinLookup {
                            settings: &self.output,
                        },
                        catalog: &reader,
                    };
                    let (oid, _) = Analyzer::new(&lookup, sql, Vec::new()).resolve_type_name(t)?;
                    if !matches!(oid, type_oid::INT2 | type_oid::INT4 | type_oid::INT8) {
                        return Err(pg_err!(
                            INVALID_PARAMETER_VALUE,
                            "sequence type must be smallint, integer, or bigint"
                        ));
                    }
                    oid
                }
                None => type_oid::INT8,
            };
            let owner = match stmt.options.owned_by.as_deref() {
                None | Some([]) => None,
                Some(names) if names.len() >= 2 => {
                    let (table, column) = (&names[names.len() - 2], &names[names.len() - 1]);
                    let schema = (names.len() > 2).then(|| names[names.len() - 3].as_str());
                    let entry = match reader.resolve(schema, table)? {
                        Some(oid) => reader.entry(oid)?,
                        None => None,
                    }
                    .ok_or_else(|| {
                        pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", table)
                    })?;
                    let attnum = entry
                        .info
                        .columns
                        .iter()
                        .position(|c| !c.dropped && c.name == *column)
                        .ok_or_else(|| {
                            pg_err!(
                                UNDEFINED_COLUMN,
                                "column \"{}\" of relation \"{}\" does not exist",
                                column,
                                table
                            )
                        })?;
                    Some((entry.info.oid, attnum as i16 + 1))
                }
                Some(_) => {
                    return Err(pg_err!(INVALID_PARAMETER_VALUE, "invalid OWNED BY option")
                        .hint("Specify OWNED BY table.column or OWNED BY NONE."))
                }
            };
            (ns, seq_type, owner)
        };
        let params = sequence_params(&stmt.options, seq_type)?;
        self.define_sequence(
            namespace,
            &rv.name,
            &params,
            seq_type,
            owner.map(|(table, attnum)| (table, attnum, b'a')),
        )?;
        self.txn.command_counter_increment();
        Ok("CREATE SEQUENCE".into())
    }
}
