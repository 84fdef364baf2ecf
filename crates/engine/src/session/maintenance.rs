//! TRUNCATE, VACUUM and ANALYZE.
//!
//! TRUNCATE gives each table a new relfilenode in the transaction (PostgreSQL's
//! `ExecuteTruncate` with `RelationSetNewRelfilenumber`): the new empty file is removed if
//! the transaction aborts, the old one after it commits; `pg_class.relfilenode` is updated
//! in place through MVCC, so concurrent snapshots keep reading the old file.
//!
//! VACUUM prunes every page of each table: row versions whose deleter committed before
//! the oldest snapshot still running (and aborted inserts already marked so) are removed
//! and their space defragmented (`heap_page_prune`). Without indexes nothing points at the
//! dead line pointers left behind; reclaiming them and the free space map come with
//! vacuum's second pass. A table's TOAST relation is pruned and truncated with it. VACUUM
//! and ANALYZE then record `relpages` and `reltuples`.

use tusk_catalog::syscat;
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::{TruncateStmt, VacuumStmt};
use tusk_txn::XidStatus;
use tusk_types::{pg_err, BlockNumber, Datum, Error, Oid, Result};

use super::Session;
use crate::heap::{HeapScanIter, HeapWriter, ReadView, WriteOutcome};
use crate::relcache::{catalog_attrs, catalog_locator, RelEntry};

impl Session {
    /// The table named by `rv`, for a maintenance command.
    ///
    /// Errors: 42P01, 42809, 42501 (system catalogs).
    fn maintenance_target(
        &self,
        rv: &RangeVar,
        catalogs_ok: bool,
        mode: crate::lock::LockMode,
    ) -> Result<std::sync::Arc<RelEntry>> {
        if let Some(oid) = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?
        {
            self.lock_relation(oid, mode)?;
        }
        let reader = self.catalog_reader();
        let shown = match &rv.schema {
            Some(s) => format!("{s}.{}", rv.name),
            None => rv.name.clone(),
        };
        let entry = match reader.resolve(rv.schema.as_deref(), &rv.name)? {
            Some(oid) => reader.entry(oid)?,
            None => None,
        }
        .ok_or_else(|| pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown))?;
        if entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID && !catalogs_ok {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied: \"{}\" is a system catalog",
                entry.info.name
            ));
        }
        if !matches!(entry.info.kind, b'r' | b'p') {
            return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not a table", shown));
        }
        Ok(entry)
    }

    /// Replaces the `pg_class` row of `rel` by `change(row)`.
    pub(crate) fn update_class_row(
        &mut self,
        rel: Oid,
        change: impl FnOnce(&mut Vec<Datum>),
    ) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_oid = class.col("oid");
        let found = self.update_catalog_row(class, |r| r[c_oid] == Datum::Oid(rel.0), change)?;
        if !found {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation with OID {} does not exist",
                rel.0
            ));
        }
        Ok(())
    }

    /// Replaces the first row of `class` that `matches` selects by `change(row)`; false
    /// if there is none.
    pub(crate) fn update_catalog_row(
        &mut self,
        class: &'static syscat::SysCatalog,
        matches: impl Fn(&[Datum]) -> bool,
        change: impl FnOnce(&mut Vec<Datum>),
    ) -> Result<bool> {
        let found = self
            .catalog_reader()
            .scan(class)?
            .into_iter()
            .find(|(_, r)| matches(r));
        let Some((tid, mut row)) = found else {
            return Ok(false);
        };
        change(&mut row);
        let cluster = self.db.cluster.clone();
        let services = &cluster.xact;
        let xid = self.txn.writing_xid(services)?;
        let own = self.txn.current_xids(services);
        let heap = tusk_access::HeapRelation::new(
            cluster.pool.clone(),
            catalog_locator(self.db_oid, class),
            tusk_access::HEAP_DEFAULT_FILLFACTOR,
        );
        let signals = self.signals.clone();
        let deadline = self.statement_deadline;
        let check = move || super::interrupts::check_signals(&signals, deadline);
        let writer = HeapWriter {
            pool: &cluster.pool,
            checkpointer: &cluster.checkpointer,
            services,
            xid,
            cid: self.txn.cid,
            own_xids: &own,
            isolation: self.txn.isolation,
            backend: self.txn.backend,
            deadlock_timeout: std::time::Duration::from_secs(1),
            check_interrupts: &check,
        };
        let pids = |b: u32| b as i32;
        match writer.update(&heap, &catalog_attrs(class), tid, &row, false, &pids)? {
            WriteOutcome::Done(_) => {
                self.txn.catalog_changed();
                // Own catalog changes invalidate what this backend cached (others never saw them).
                self.relcache.borrow_mut().clear();
                Ok(true)
            }
            _ => Err(Error::internal("tuple concurrently updated")),
        }
    }

    /// `TRUNCATE [RESTART IDENTITY]`.
    ///
    /// Errors: 42P01, 42809, 42501, 25006; 0A000 for a table referenced by a foreign key
    /// of a table not truncated too (without CASCADE).
    pub(crate) fn truncate(
        &mut self,
        stmt: &TruncateStmt,
        sink: &mut dyn crate::sink::Sink,
    ) -> Result<String> {
        if self.config.get_string("transaction_read_only") == "on" {
            return Err(pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute TRUNCATE TABLE in a read-only transaction"
            ));
        }
        let mut targets = Vec::new();
        for rv in &stmt.relations {
            let entry =
                self.maintenance_target(rv, false, crate::lock::LockMode::AccessExclusive)?;
            if !targets
                .iter()
                .any(|e: &std::sync::Arc<RelEntry>| e.info.oid == entry.info.oid)
            {
                targets.push(entry.clone());
            }
            if rv.inh {
                // Without ONLY, the table's inheritance descendants are truncated too.
                let descendants = super::inheritance::inheritance_descendants(
                    &self.catalog_reader(),
                    entry.info.oid,
                )?;
                for rel in descendants {
                    self.lock_relation(rel, crate::lock::LockMode::AccessExclusive)?;
                    let child = self.catalog_reader().entry(rel)?;
                    if let Some(child) = child {
                        if !targets.iter().any(|e| e.info.oid == rel) {
                            targets.push(child);
                        }
                    }
                }
            }
        }
        for entry in &targets {
            self.check_relation_privilege(entry.info.oid, tusk_types::adt::acl::ACL_TRUNCATE)?;
        }
        self.truncate_foreign_key_targets(&mut targets, stmt.cascade, sink)?;
        if stmt.restart_identity {
            // The serial and identity sequences of every truncated table restart.
            for entry in &targets {
                for seq in self.owned_sequences(entry.info.oid)? {
                    if self.catalog_reader().entry(seq)?.map(|e| e.info.kind) == Some(b'S') {
                        self.reset_sequence(seq)?;
                        self.txn.command_counter_increment();
                    }
                }
            }
        }
        for entry in targets {
            self.truncate_toast_table(&entry)?;
            let (new_node, _) = self.new_relation_file()?;
            self.set_relation_file(entry.info.oid, new_node, entry.locator, Some((0, -1.0)))?;
            self.txn.command_counter_increment();
            self.reset_table_indexes(&entry)?;
            self.txn.command_counter_increment();
        }
        Ok("TRUNCATE TABLE".into())
    }

    /// `VACUUM` and `ANALYZE` (see the module header).
    ///
    /// Errors: 42P01, 42809; 25001 for VACUUM inside a transaction block; 0A000 for FULL.
    pub(crate) fn vacuum(&mut self, stmt: &VacuumStmt, in_block: bool) -> Result<String> {
        let tag = if stmt.vacuum { "VACUUM" } else { "ANALYZE" };
        if stmt.vacuum && in_block {
            return Err(pg_err!(
                ACTIVE_SQL_TRANSACTION,
                "VACUUM cannot run inside a transaction block"
            ));
        }
        if stmt.full {
            return Err(Error::new(
                tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                "VACUUM FULL is not supported yet",
            ));
        }
        let targets: Vec<std::sync::Arc<RelEntry>> = if stmt.relations.is_empty() {
            let reader = self.catalog_reader();
            let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
            let (c_oid, c_kind) = (class.col("oid"), class.col("relkind"));
            let oids: Vec<Oid> = reader
                .scan(class)?
                .into_iter()
                .filter(|(_, r)| r[c_kind] == Datum::Text("r".into()))
                .filter_map(|(_, r)| match r[c_oid] {
                    Datum::Oid(o) if o >= syscat::FIRST_NORMAL_OBJECT_ID => Some(Oid(o)),
                    _ => None,
                })
                .collect();
            let mut out = Vec::new();
            for oid in oids {
                if let Some(e) = reader.entry(oid)? {
                    out.push(e);
                }
            }
            out
        } else {
            stmt.relations
                .iter()
                .map(|rv| {
                    self.maintenance_target(rv, true, crate::lock::LockMode::ShareUpdateExclusive)
                })
                .collect::<Result<_>>()?
        };
        let cluster = self.db.cluster.clone();
        for entry in targets {
            if stmt.vacuum {
                let horizon = cluster.xact.procarray.global_xmin();
                let clog = cluster.xact.clog.clone();
                let nblocks = entry.heap.nblocks()?;
                for block in 0..nblocks.0 {
                    let dead = |xid: tusk_types::Xid| {
                        xid.precedes(horizon)
                            && matches!(clog.status(xid), Ok(XidStatus::Committed))
                    };
                    entry
                        .heap
                        .prune_page(&cluster.checkpointer, BlockNumber(block), dead)?;
                }
                self.vacuum_toast_table(&entry)?;
            }
            if entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
                continue;
            }
            let services = &cluster.xact;
            let view = ReadView {
                snapshot: self.txn.catalog_snapshot(services),
                xids: self.txn.current_xids(services),
                curcid: self.txn.cid,
            };
            let live = HeapScanIter::new(
                entry.heap.clone(),
                entry.attrs.clone(),
                view,
                services.clog.clone(),
            )?
            .count();
            let pages = entry.heap.nblocks()?.0;
            let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
            let (c_pages, c_tuples) = (class.col("relpages"), class.col("reltuples"));
            self.update_class_row(entry.info.oid, |row| {
                row[c_pages] = Datum::Int4(pages as i32);
                row[c_tuples] = Datum::Float4(live as f32);
            })?;
            // VACUUM removed what no snapshot can see; versions deleted too recently to
            // remove are not counted separately yet.
            services.stats.report_maintenance(
                self.db_oid,
                entry.info.oid,
                stmt.vacuum,
                super::now_pg_micros(),
                live as i64,
                stmt.vacuum.then_some(0),
            );
            if stmt.vacuum && stmt.analyze {
                services.stats.report_maintenance(
                    self.db_oid,
                    entry.info.oid,
                    false,
                    super::now_pg_micros(),
                    live as i64,
                    None,
                );
            }
            self.txn.command_counter_increment();
        }
        Ok(tag.into())
    }
}

impl Session {
    /// `LOCK TABLE`: takes the mode on each table until the transaction ends.
    ///
    /// Errors: 25P01 outside a transaction block; 42P01; 42809 for a non-table; 55P03
    /// with NOWAIT; 40P01, 57014 while waiting.
    pub(crate) fn lock_tables(
        &mut self,
        stmt: &tusk_sql::ast_ddl::LockStmt,
        in_block: bool,
    ) -> Result<String> {
        if !in_block {
            return Err(pg_err!(
                NO_ACTIVE_SQL_TRANSACTION,
                "LOCK TABLE can only be used in transaction blocks"
            ));
        }
        let mode = crate::lock::LockMode::from_number(stmt.mode)
            .ok_or_else(|| Error::internal("unknown lock mode"))?;
        for rv in &stmt.relations {
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            let oid = self
                .catalog_reader()
                .resolve(rv.schema.as_deref(), &rv.name)?
                .ok_or_else(|| pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown))?;
            self.check_lock_table_privilege(oid, mode)?;
            if stmt.nowait {
                let cluster = self.db.cluster.clone();
                cluster.xact.locks.lock(
                    self.txn.backend,
                    (self.db_oid, oid),
                    mode,
                    true,
                    &|| rv.name.clone(),
                    std::time::Duration::from_secs(1),
                    &|b| b as i32,
                    &|| Ok(()),
                )?;
            } else {
                self.lock_relation(oid, mode)?;
            }
            let entry = self.catalog_reader().entry(oid)?;
            if let Some(e) = entry {
                if !matches!(e.info.kind, b'r' | b'p' | b'v') {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "\"{}\" is not a table or view",
                        shown
                    ));
                }
            }
        }
        Ok("LOCK TABLE".into())
    }
}
