//! TRUNCATE, VACUUM and ANALYZE.
//!
//! TRUNCATE gives each table a new relfilenode in the transaction (PostgreSQL's
//! `ExecuteTruncate` with `RelationSetNewRelfilenumber`): the new empty file is removed if
//! the transaction aborts, the old one after it commits; `pg_class.relfilenode` is updated
//! in place through MVCC, so concurrent snapshots keep reading the old file.
//!
//! VACUUM is PostgreSQL's lazy vacuum (`tusk_access::vacuumlazy`): each page of each table
//! is pruned (row versions whose deleter committed before the oldest snapshot still
//! running, and aborted inserts, are removed), the index entries of the dead line pointers
//! left behind are deleted from every index of the table, and then those line pointers
//! become unused, with each page's free space recorded in the free space map
//! (`tusk_storage::freespace`) for later inserts. The dead-TID array is bounded by
//! `maintenance_work_mem`. A table's TOAST relation is vacuumed with it. VACUUM and ANALYZE
//! then record `relpages` and `reltuples`, and report live and not-yet-removable dead row
//! versions to the cumulative statistics. Not done: trailing empty pages are not truncated,
//! tuples are not frozen, `VERBOSE` prints nothing. Autovacuum runs the same code
//! ([`Session::vacuum_relation`]) from `crate::autovacuum`.

use tusk_access::nbtree::BTreeIndex;
use tusk_access::vacuumlazy::DEAD_ITEM_BYTES;
use tusk_access::{LazyVacuumOptions, LazyVacuumStats, TupleLiveness};
use tusk_catalog::syscat;
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::{TruncateStmt, VacuumStmt};
use tusk_txn::{satisfies_vacuum, VacuumVerdict};
use tusk_types::{pg_err, Datum, Error, Oid, Result};

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
            // Autovacuum never waits (ConditionalLockRelationOid): 55P03 if taken.
            let nowait = self.autovacuum_activity.is_some();
            self.lock_relation_nowait_if(oid, mode, nowait, &rv.name)?;
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
        // VACUUM and ANALYZE take materialized views too; TRUNCATE does not.
        let matview_ok = mode != crate::lock::LockMode::AccessExclusive;
        if !(matches!(entry.info.kind, b'r' | b'p') || (matview_ok && entry.info.kind == b'm')) {
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

    /// Replaces the row of object `oid` in catalog `class` (matched on its `oid` column)
    /// by `change(row, column index by name)`, then advances the command counter so the
    /// statement's next catalog reads see the new row.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn update_object_row(
        &mut self,
        class: &'static syscat::SysCatalog,
        oid: Oid,
        change: impl FnOnce(&mut Vec<Datum>, &dyn Fn(&str) -> usize),
    ) -> Result<()> {
        let c_oid = class.col("oid");
        let col = |n: &str| class.col(n);
        self.update_catalog_row(
            class,
            |r| r[c_oid] == Datum::Oid(oid.0),
            |row| change(row, &col),
        )?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Deletes the row of object `oid` from catalog `class` and the `pg_depend` rows of
    /// its own dependencies (`classid` = the catalog, `objid` = `oid`).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_object_rows(
        &mut self,
        class: &'static syscat::SysCatalog,
        oid: Oid,
    ) -> Result<()> {
        let c_oid = class.col("oid");
        self.delete_catalog_rows(class.oid, move |r| r[c_oid] == Datum::Oid(oid.0))?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let (c_class, c_obj) = (depend.col("classid"), depend.col("objid"));
        let class_oid = class.oid;
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r| {
            r[c_class] == Datum::Oid(class_oid.0) && r[c_obj] == Datum::Oid(oid.0)
        })?;
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
    pub(crate) fn vacuum(
        &mut self,
        stmt: &VacuumStmt,
        in_block: bool,
        sink: &mut dyn crate::sink::Sink,
    ) -> Result<String> {
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
                .filter(|(_, r)| matches!(&r[c_kind], Datum::Text(k) if k == "r" || k == "m"))
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
            let mut out = Vec::new();
            for rv in &stmt.relations {
                match self.maintenance_target(rv, true, crate::lock::LockMode::ShareUpdateExclusive)
                {
                    Ok(entry) => out.push(entry),
                    Err(e)
                        if self.autovacuum_activity.is_some()
                            && e.code == tusk_types::SqlState::LOCK_NOT_AVAILABLE =>
                    {
                        tracing::info!(
                            "skipping {} of \"{}\" --- lock not available",
                            if stmt.vacuum { "vacuum" } else { "analyze" },
                            rv.name
                        );
                    }
                    Err(e) => return Err(e),
                }
            }
            out
        };
        let auto = self.autovacuum_activity.is_some();
        for entry in targets {
            if !self.vacuum_permitted(&entry, stmt.vacuum, sink)? {
                continue;
            }
            if stmt.relations.is_empty() {
                // PostgreSQL's VACUUM takes each table's lock as it reaches it.
                self.lock_relation(entry.info.oid, crate::lock::LockMode::ShareUpdateExclusive)?;
            }
            self.vacuum_relation(&entry, stmt.vacuum, stmt.analyze, auto)?;
        }
        Ok(tag.into())
    }
}

impl Session {
    /// PostgreSQL's `vacuum_is_permitted_for_relation`: the table's owner or the
    /// database's owner (or a superuser) may VACUUM or ANALYZE it; anyone else gets a
    /// WARNING `skipping "t" --- only table or database owner can vacuum it` (`analyze`
    /// for ANALYZE alone, `superuser or database owner` for a system catalog) and the
    /// table is left alone.
    ///
    /// Errors: catalog read errors.
    fn vacuum_permitted(
        &self,
        entry: &RelEntry,
        vacuum: bool,
        sink: &mut dyn crate::sink::Sink,
    ) -> Result<bool> {
        if self.superuser
            || self.check_relation_owner(entry.info.oid).is_ok()
            || self.owns_current_database()?
        {
            return Ok(true);
        }
        let who = if entry.info.namespace == "pg_catalog" {
            "superuser or database owner"
        } else {
            "table or database owner"
        };
        sink.notice(
            crate::sink::NoticeSeverity::Warning,
            &pg_err!(
                WARNING,
                "skipping \"{}\" --- only {} can {} it",
                entry.info.name,
                who,
                if vacuum { "vacuum" } else { "analyze" }
            ),
        );
        Ok(false)
    }

    /// VACUUM (`vacuum`) and/or ANALYZE (`analyze`) of one table the caller has locked
    /// (ShareUpdateExclusiveLock at least); `auto` when autovacuum runs it, for the
    /// statistics. VACUUM runs [`HeapRelation::lazy_vacuum`](tusk_access::HeapRelation)
    /// over the table with its indexes, then over its TOAST relation; `relpages` and
    /// `reltuples` are recorded, and the live and not-yet-removable dead row versions
    /// reported to the cumulative statistics.
    ///
    /// Errors: I/O errors; 57014 on cancel; catalog write errors.
    pub(crate) fn vacuum_relation(
        &mut self,
        entry: &RelEntry,
        vacuum: bool,
        analyze: bool,
        auto: bool,
    ) -> Result<()> {
        let cluster = self.db.cluster.clone();
        let mut vacuumed = None;
        if vacuum {
            let indexes: Vec<BTreeIndex> =
                super::index_ddl::table_indexes_of(&self.catalog_reader(), entry)?
                    .into_iter()
                    .map(|ix| BTreeIndex::new(cluster.pool.clone(), ix.locator, ix.desc))
                    .collect::<Result<_>>()?;
            let indexes: Vec<&BTreeIndex> = indexes.iter().collect();
            vacuumed = Some(self.lazy_vacuum_heap(&entry.heap, &indexes)?);
            self.vacuum_toast_table(entry)?;
        }
        if entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
            return Ok(());
        }
        let services = &cluster.xact;
        let live = match vacuumed {
            Some(stats) if !analyze => stats.live_tuples as i64,
            _ => {
                let view = ReadView {
                    snapshot: self.txn.catalog_snapshot(services),
                    xids: self.txn.current_xids(services),
                    curcid: self.txn.cid,
                };
                HeapScanIter::new(
                    entry.heap.clone(),
                    entry.attrs.clone(),
                    view,
                    services.clog.clone(),
                )?
                .count() as i64
            }
        };
        let pages = entry.heap.nblocks()?.0;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_pages, c_tuples, c_subclass) = (
            class.col("relpages"),
            class.col("reltuples"),
            class.col("relhassubclass"),
        );
        // ANALYZE of a table whose children are all gone clears relhassubclass, as
        // PostgreSQL's inherited sampling does.
        let childless = analyze && {
            let inherits = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
            let reader = self.catalog_reader();
            let rows = reader.rows(inherits)?;
            let none = rows
                .matching(inherits.col("inhparent"), entry.info.oid)
                .next()
                .is_none();
            none
        };
        self.update_class_row(entry.info.oid, |row| {
            row[c_pages] = Datum::Int4(pages as i32);
            row[c_tuples] = Datum::Float4(live as f32);
            if childless {
                row[c_subclass] = Datum::Bool(false);
            }
        })?;
        if let Some(stats) = vacuumed {
            services.stats.report_maintenance(
                self.db_oid,
                entry.info.oid,
                true,
                auto,
                super::now_pg_micros(),
                stats.live_tuples as i64,
                Some(stats.recently_dead_tuples as i64),
            );
        }
        if analyze {
            services.stats.report_maintenance(
                self.db_oid,
                entry.info.oid,
                false,
                auto,
                super::now_pg_micros(),
                live,
                None,
            );
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// [`HeapRelation::lazy_vacuum`](tusk_access::HeapRelation) of `heap` and `indexes`
    /// with the removal horizon of now (`procarray.global_xmin`), the dead-TID budget of
    /// `maintenance_work_mem`, and this session's cancel checks.
    ///
    /// Errors: as `lazy_vacuum`.
    pub(crate) fn lazy_vacuum_heap(
        &self,
        heap: &tusk_access::HeapRelation,
        indexes: &[&BTreeIndex],
    ) -> Result<LazyVacuumStats> {
        let cluster = self.db.cluster.clone();
        let xact = &cluster.xact;
        let horizon = xact.procarray.global_xmin();
        let clog = xact.clog.as_ref();
        let xmax_fate = |xid: tusk_types::Xid| crate::heap::xmax_fate(clog, xid, horizon);
        let running = |xid: tusk_types::Xid| xact.procarray.is_running(xid);
        let liveness = |h: &tusk_access::HeapTupleHeader| -> Result<TupleLiveness> {
            let view = crate::heap::header_view(h);
            let (verdict, _) = satisfies_vacuum(&view, horizon, &running, clog)?;
            Ok(match verdict {
                VacuumVerdict::Live | VacuumVerdict::DeleteInProgress => TupleLiveness::Live,
                VacuumVerdict::RecentlyDead => TupleLiveness::RecentlyDead,
                VacuumVerdict::Dead => TupleLiveness::Dead,
                VacuumVerdict::InsertInProgress => TupleLiveness::InsertInProgress,
            })
        };
        let signals = self.signals.clone();
        let deadline = self.statement_deadline;
        let check = move || super::interrupts::check_signals(&signals, deadline);
        let work_mem_kb = self.config.get_int("maintenance_work_mem").max(1024) as usize;
        heap.lazy_vacuum(
            &cluster.checkpointer,
            indexes,
            &LazyVacuumOptions {
                xmax_fate: &xmax_fate,
                liveness: &liveness,
                max_dead_items: work_mem_kb * 1024 / DEAD_ITEM_BYTES,
                check_interrupts: &check,
            },
        )
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
            self.lock_relation_nowait_if(oid, mode, stmt.nowait, &rv.name)?;
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
