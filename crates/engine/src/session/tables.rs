//! The executor's heap access for one statement ([`tusk_executor::TableAccess`]): scans
//! under the statement's snapshot and command id, writes with the transaction's xid
//! (assigned at the first write), waits and re-checks as `heap.rs` decides.
//!
//! Rules: a read-only transaction refuses writes (25006); writes to system catalogs
//! through SQL are refused (42501), as PostgreSQL refuses them without
//! `allow_system_table_mods`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tusk_access::nbtree::{BTreeIndex, ScanKey, ScanStrategy};
use tusk_executor::{
    IndexColumnInfo, IndexInfo, IndexScanKey, IndexStrategy, ModifyResult, RowIter, ScanDirection,
    TableAccess,
};
use tusk_types::{pg_err, Datum, ItemPointer, Oid, Result};

use crate::cluster::Cluster;
use crate::heap::{newest_version, HeapScanIter, HeapWriter, ReadView, WriteOutcome};
use crate::index_maintenance::{hot_allowed, insert_index_entries, OpenIndex};
use crate::index_scan::IndexHeapScan;
use crate::relcache::{CatalogReader, RelEntry};
use crate::transaction::Transaction;

/// Heap access for one statement.
pub struct SessionTables<'a> {
    /// The cluster's storage and transaction services.
    pub cluster: &'a Cluster,
    /// Catalog reads (relation descriptors by OID).
    pub catalog: CatalogReader<'a>,
    /// The transaction.
    pub txn: RefCell<&'a mut Transaction>,
    /// What scans see (its command id advances with each statement a PL/pgSQL function
    /// runs: [`TableAccess::command_counter_increment`]).
    pub view: RefCell<ReadView>,
    /// `deadlock_timeout`.
    pub deadlock_timeout: Duration,
    /// Cancel and timeout checks while waiting.
    pub check_interrupts: &'a dyn Fn() -> Result<()>,
    /// `transaction_read_only`.
    pub read_only: bool,
    /// Backend pids by backend id, for deadlock reports.
    pub pid_of: &'a dyn Fn(u32) -> i32,
    /// Takes a table lock until the transaction ends.
    pub locker: &'a dyn Fn(Oid, crate::lock::LockMode) -> Result<()>,
    /// How values print (unique-violation details).
    pub output: &'a tusk_executor::OutputSettings,
    /// Tables' indexes, opened at a table's first write in the statement.
    pub indexes: RefCell<HashMap<Oid, Arc<Vec<OpenIndex>>>>,
    /// Foreign keys and the events queued for the end of the statement.
    pub foreign_keys: super::foreign_key_triggers::ForeignKeyQueue,
    /// The transaction's deferred constraint events and SET CONSTRAINTS state.
    pub deferred: &'a RefCell<super::deferred_constraints::DeferredConstraints>,
    /// Partitioned tables' keys and partitions, read once per statement for routing.
    pub partition_descs: super::partition_routing::PartitionDescs,
    /// The table a COPY FREEZE loads: its rows are inserted frozen (the COPY checked that
    /// the table's file was created by the current subtransaction).
    pub frozen_inserts: Option<Oid>,
}

impl SessionTables<'_> {
    pub(super) fn entry(&self, rel: Oid) -> Result<Arc<RelEntry>> {
        self.catalog.entry(rel)?.ok_or_else(|| {
            pg_err!(
                UNDEFINED_TABLE,
                "could not open relation with OID {}",
                rel.0
            )
        })
    }

    /// The relation a scan reads: a materialized view must be populated (statements
    /// run from functions reach here without the check before execution).
    ///
    /// Errors: 42P01; 55000 `materialized view "x" has not been populated`.
    fn scannable_entry(&self, rel: Oid) -> Result<Arc<RelEntry>> {
        let entry = self.entry(rel)?;
        if entry.info.kind == b'm' && !entry.populated {
            return Err(super::matview::not_populated(&entry.info.name));
        }
        Ok(entry)
    }

    pub(super) fn writable(&self, rel: Oid, command: &str) -> Result<Arc<RelEntry>> {
        if self.read_only {
            return Err(pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute {} in a read-only transaction",
                command
            ));
        }
        (self.locker)(rel, crate::lock::LockMode::RowExclusive)?;
        let entry = self.entry(rel)?;
        if entry.info.kind == b'S' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot change sequence \"{}\"",
                entry.info.name
            ));
        }
        if rel.0 < tusk_catalog::syscat::FIRST_NORMAL_OBJECT_ID {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied for table {}",
                entry.info.name
            ));
        }
        Ok(entry)
    }

    pub(super) fn with_writer<R>(&self, f: impl FnOnce(&HeapWriter<'_>) -> Result<R>) -> Result<R> {
        let services = &self.cluster.xact;
        let mut txn = self.txn.borrow_mut();
        let xid = txn.writing_xid(services)?;
        let own = txn.current_xids(services);
        let writer = HeapWriter {
            pool: &self.cluster.pool,
            checkpointer: &self.cluster.checkpointer,
            services,
            xid,
            cid: txn.cid,
            own_xids: &own,
            isolation: txn.isolation,
            backend: txn.backend,
            deadlock_timeout: self.deadlock_timeout,
            check_interrupts: self.check_interrupts,
        };
        drop(txn);
        f(&writer)
    }

    /// The indexes of `entry`'s table (rows of `pg_index`), opened once per statement and
    /// kept in the relation cache until the catalogs change.
    pub(super) fn indexes(&self, entry: &RelEntry) -> Result<Arc<Vec<OpenIndex>>> {
        if let Some(found) = self.indexes.borrow().get(&entry.info.oid) {
            return Ok(found.clone());
        }
        if let Some(found) = self.catalog.cached_indexes(entry.info.oid) {
            self.indexes
                .borrow_mut()
                .insert(entry.info.oid, found.clone());
            return Ok(found);
        }
        let mut opened = Vec::new();
        for ix in super::index_ddl::table_indexes_of(&self.catalog, entry)? {
            opened.push(OpenIndex {
                oid: ix.oid,
                types: ix.desc.columns.iter().map(|c| c.type_oid).collect(),
                attnums: ix.attnums,
                expressions: ix.expressions,
                unique: ix.unique,
                index: Arc::new(tusk_access::nbtree::BTreeIndex::new(
                    self.cluster.pool.clone(),
                    ix.locator,
                    ix.desc,
                )?),
            });
        }
        let opened = Arc::new(opened);
        self.catalog.cache_indexes(entry.info.oid, opened.clone());
        self.indexes
            .borrow_mut()
            .insert(entry.info.oid, opened.clone());
        Ok(opened)
    }

    fn outcome(&self, entry: &RelEntry, outcome: WriteOutcome) -> Result<ModifyResult> {
        Ok(match outcome {
            WriteOutcome::Done(tid) => ModifyResult::Done(tid),
            WriteOutcome::Deleted => ModifyResult::Deleted,
            WriteOutcome::Updated(next) => {
                match newest_version(&entry.heap, &entry.attrs, &self.cluster.xact.clog, next)? {
                    Some((tid, row)) => ModifyResult::Updated { tid, row },
                    None => ModifyResult::Deleted,
                }
            }
        })
    }
}

impl TableAccess for SessionTables<'_> {
    fn current_full_xid(&self, assign: bool) -> Result<Option<u64>> {
        let services = &self.cluster.xact;
        let mut txn = self.txn.borrow_mut();
        let xid = match txn.top_xid() {
            Some(x) => x,
            None if assign => txn.assign_top_xid(services)?,
            None => return Ok(None),
        };
        let next = services.procarray.xid_generator().next_full_xid();
        Ok(Some(tusk_txn::full_xid_of(next, xid)))
    }

    fn current_snapshot(&self) -> Result<(u64, u64, Vec<u64>)> {
        let next = self.cluster.xact.procarray.xid_generator().next_full_xid();
        let full = |x: tusk_types::Xid| tusk_txn::full_xid_of(next, x);
        let view = self.view.borrow();
        let snapshot = &view.snapshot;
        let mut xip: Vec<u64> = snapshot.xip.iter().map(|x| full(*x)).collect();
        xip.sort_unstable();
        xip.dedup();
        // tusk's snapshot leaves the transaction's own xid out of xmin, and its xmax is the
        // next xid to assign; PostgreSQL counts its own xid in xmin and shows one past
        // the latest completed transaction as xmax (`latestCompletedXid + 1`). Both
        // describe the same visibility; print PostgreSQL's form.
        let mut xmax = full(snapshot.xmax);
        let own = self.txn.borrow().top_xid().map(full).filter(|x| *x < xmax);
        let xmin = own.map_or(full(snapshot.xmin), |o| o.min(full(snapshot.xmin)));
        let running = |x: u64| own == Some(x) || xip.binary_search(&x).is_ok();
        while xmax > xmin && running(xmax - 1) {
            xmax -= 1;
        }
        xip.retain(|x| *x < xmax);
        Ok((xmin, xmax, xip))
    }

    fn transaction_status(&self, fxid: u64) -> Result<Option<&'static str>> {
        use tusk_txn::XidStatus;
        let services = &self.cluster.xact;
        let next = services.procarray.xid_generator().next_full_xid();
        if fxid >= next {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "transaction ID {} is in the future",
                fxid
            ));
        }
        let xid = tusk_types::Xid(fxid as u32);
        // More than 2^31 transactions back, the 32-bit xid may name a newer transaction.
        if xid.is_normal() && next - fxid >= 1 << 31 {
            return Ok(None);
        }
        if xid.is_normal() && self.txn.borrow().current_xids(services).contains(&xid) {
            return Ok(Some("in progress"));
        }
        Ok(Some(match services.clog.status(xid)? {
            XidStatus::Committed => "committed",
            XidStatus::Aborted => "aborted",
            XidStatus::InProgress | XidStatus::SubCommitted => {
                // Not marked either way: running, or ended by a crash before it could be.
                if xid.precedes(self.view.borrow().snapshot.xmin) {
                    "aborted"
                } else {
                    "in progress"
                }
            }
        }))
    }

    fn command_counter_increment(&self) {
        let mut txn = self.txn.borrow_mut();
        txn.command_counter_increment();
        let mut view = self.view.borrow_mut();
        view.curcid = txn.cid;
        view.xids = txn.current_xids(&self.cluster.xact);
    }

    fn begin_subtransaction(&self) -> Result<usize> {
        let mut txn = self.txn.borrow_mut();
        txn.push_savepoint();
        Ok(txn.savepoint_depth())
    }

    fn end_subtransaction(&self, depth: usize, commit: bool) -> Result<()> {
        {
            let mut txn = self.txn.borrow_mut();
            if commit {
                txn.release_to(depth - 1);
                self.deferred.borrow_mut().at_release(depth - 1);
            } else {
                txn.rollback_to(depth, &self.cluster.xact, &self.cluster.pool)?;
                txn.release_to(depth - 1);
                self.deferred.borrow_mut().at_rollback_to(depth);
            }
        }
        self.command_counter_increment();
        Ok(())
    }

    fn scan(&self, rel: Oid) -> Result<RowIter<'_>> {
        let entry = self.scannable_entry(rel)?;
        if entry.info.kind == b'f' {
            // No storage: the wrapper would have to read it.
            return Err(super::foreign_data_catalog::foreign_table_error(
                &self.catalog,
                rel,
            )?);
        }
        if entry.info.kind == b'S' {
            // A sequence reads as its one row (last_value, log_cnt, is_called).
            let state = crate::sequence::read_state(&self.cluster.pool, entry.locator)?;
            let row = vec![
                Datum::Int8(state.last_value),
                Datum::Int8(state.log_cnt),
                Datum::Bool(state.is_called),
            ];
            let tid = ItemPointer {
                block: tusk_types::BlockNumber(0),
                offset: tusk_types::OffsetNumber(1),
            };
            return Ok(Box::new(std::iter::once(Ok((tid, row)))));
        }
        let scan = HeapScanIter::new(
            entry.heap.clone(),
            entry.attrs.clone(),
            self.view.borrow().clone(),
            self.cluster.xact.clog.clone(),
        )?;
        self.txn
            .borrow_mut()
            .stats()
            .count_scan(rel, |s| s.scans += 1);
        Ok(Box::new(CountedRows {
            inner: Box::new(scan),
            txn: &self.txn,
            rel,
            index: false,
            returned: 0,
        }))
    }

    fn insert(&self, rel: Oid, row: &[Datum]) -> Result<ItemPointer> {
        Ok(self.insert_routed(rel, row)?.1)
    }

    fn insert_routed(&self, rel: Oid, row: &[Datum]) -> Result<(Oid, ItemPointer)> {
        // A partitioned table's rows go to its leaves (`partition_routing.rs`).
        let routed = self.route_insert(rel, row)?;
        if let Some((leaf, leaf_row)) = &routed {
            self.check_leaf_constraints(rel, row, *leaf, leaf_row)?;
        }
        let (rel, row) = match &routed {
            Some((leaf, leaf_row)) => (*leaf, leaf_row.as_slice()),
            None => (rel, row),
        };
        let entry = self.writable(rel, "INSERT")?;
        let indexes = self.indexes(&entry)?;
        let inserted = self.with_writer(|w| {
            let frozen = self.frozen_inserts == Some(rel);
            let tid = w.insert_with_options(&entry.heap, &entry.attrs, row, frozen)?;
            insert_index_entries(
                w,
                &entry.heap,
                &entry.attrs,
                &indexes,
                row,
                tid,
                self.output,
                self.pid_of,
            )?;
            Ok(tid)
        })?;
        self.txn
            .borrow_mut()
            .stats()
            .count_change(rel, |c| c.insert());
        self.queue_foreign_key_events(rel, None, Some(row))?;
        Ok((rel, inserted))
    }

    fn update_from(
        &self,
        root: Oid,
        rel: Oid,
        tid: ItemPointer,
        row: &[Datum],
    ) -> Result<(Oid, ModifyResult)> {
        if self.fits_partition(rel, row)? {
            return Ok((rel, self.update(rel, tid, row)?));
        }
        // Row movement: out of this partition, into the one the target routes it to.
        match self.delete(rel, tid)? {
            ModifyResult::Done(_) => {
                let moved = self.map_partition_row(rel, root, row)?;
                let (leaf, new_tid) = self.insert_routed(root, &moved)?;
                Ok((leaf, ModifyResult::Done(new_tid)))
            }
            other => Ok((rel, other)),
        }
    }

    fn update(&self, rel: Oid, tid: ItemPointer, row: &[Datum]) -> Result<ModifyResult> {
        if !self.fits_partition(rel, row)? {
            return Err(self.partition_constraint_error(rel, row)?);
        }
        let entry = self.writable(rel, "UPDATE")?;
        let indexes = self.indexes(&entry)?;
        let foreign_keys = self.has_foreign_keys(rel)?;
        let old = if foreign_keys || !indexes.is_empty() {
            entry
                .heap
                .fetch(tid)?
                .map(|t| entry.heap.deform(&entry.attrs, &t.as_ref()))
                .transpose()?
        } else {
            None
        };
        // HOT only when no indexed column changes (index_maintenance rule 3).
        let hot = indexes.is_empty()
            || old
                .as_ref()
                .is_some_and(|old| hot_allowed(&indexes, old, row));
        let outcome = self.with_writer(|w| {
            let outcome = w.update(&entry.heap, &entry.attrs, tid, row, hot, self.pid_of)?;
            if let WriteOutcome::Done(new_tid) = outcome {
                if !(hot && new_tid.block == tid.block) {
                    insert_index_entries(
                        w,
                        &entry.heap,
                        &entry.attrs,
                        &indexes,
                        row,
                        new_tid,
                        self.output,
                        self.pid_of,
                    )?;
                }
            }
            Ok(outcome)
        })?;
        if let WriteOutcome::Done(new_tid) = outcome {
            let heap_only = hot && new_tid.block == tid.block;
            self.txn
                .borrow_mut()
                .stats()
                .count_change(rel, |c| c.update(heap_only));
        }
        if let (WriteOutcome::Done(_), true, Some(old)) = (&outcome, foreign_keys, &old) {
            self.queue_foreign_key_events(rel, Some(old), Some(row))?;
        }
        self.outcome(&entry, outcome)
    }

    fn delete(&self, rel: Oid, tid: ItemPointer) -> Result<ModifyResult> {
        let entry = self.writable(rel, "DELETE")?;
        let old = if self.has_foreign_keys(rel)? {
            entry
                .heap
                .fetch(tid)?
                .map(|t| entry.heap.deform(&entry.attrs, &t.as_ref()))
                .transpose()?
        } else {
            None
        };
        let outcome =
            self.with_writer(|w| w.delete_row(&entry.heap, &entry.attrs, tid, self.pid_of))?;
        if let WriteOutcome::Done(_) = outcome {
            self.txn
                .borrow_mut()
                .stats()
                .count_change(rel, |c| c.delete());
        }
        if let (WriteOutcome::Done(_), Some(old)) = (&outcome, &old) {
            self.queue_foreign_key_events(rel, Some(old), None)?;
        }
        self.outcome(&entry, outcome)
    }

    fn after_statement(&self) -> Result<()> {
        self.fire_foreign_key_events()
    }

    fn fire_deferred_constraints(&self, constraints: Option<&[Oid]>) -> Result<()> {
        self.fire_deferred_foreign_keys(constraints)
    }

    fn lock_row(
        &self,
        rel: Oid,
        name: &str,
        tid: ItemPointer,
        strength: tusk_sql::ast_lock::RowLockStrength,
        wait: tusk_sql::ast_lock::RowLockWait,
    ) -> Result<tusk_executor::RowLockResult> {
        self.lock_row_version(rel, name, tid, strength, wait)
    }

    fn attribute_count(&self, rel: Oid) -> Result<usize> {
        Ok(self.entry(rel)?.info.columns.len())
    }

    fn system_columns(&self, rel: Oid, tid: ItemPointer) -> Result<Vec<Datum>> {
        let entry = self.entry(rel)?;
        let (xmin, cid, xmax) = if entry.info.kind == b'S' {
            // A sequence's one tuple is written frozen (PostgreSQL's fill_seq_with_data).
            (tusk_types::Xid(2), 0, tusk_types::Xid(0))
        } else {
            let tuple = entry.heap.fetch(tid)?.ok_or_else(|| {
                tusk_types::Error::internal(format!(
                    "tuple ({},{}) of relation \"{}\" vanished",
                    tid.block.0, tid.offset.0, entry.info.name
                ))
            })?;
            let header = tuple.header();
            (header.xmin, header.cid, header.xmax)
        };
        Ok(vec![
            tusk_types::adt::tid::tid_datum(tid),
            Datum::Oid(xmin.0),
            Datum::Oid(cid),
            Datum::Oid(xmax.0),
            Datum::Oid(cid),
            Datum::Oid(rel.0),
        ])
    }

    fn conflict_arbiters(
        &self,
        rel: Oid,
        arbiter: &tusk_sql::analyze::ConflictArbiter,
    ) -> Result<Vec<Oid>> {
        self.resolve_conflict_arbiters(rel, arbiter)
    }

    fn insert_speculative(
        &self,
        rel: Oid,
        row: &[Datum],
        arbiters: &[Oid],
    ) -> Result<tusk_executor::SpeculativeInsert> {
        self.speculative_insert(rel, row, arbiters)
    }

    fn update_conflicting(
        &self,
        root: Oid,
        rel: Oid,
        tid: ItemPointer,
        row: &[Datum],
    ) -> Result<ModifyResult> {
        self.update_conflicting_row(root, rel, tid, row)
    }

    fn verify_index(&self, index: Oid, heapallindexed: bool) -> Result<()> {
        super::amcheck::verify_index(self, index, heapallindexed)
    }

    fn indexes(&self, rel: Oid) -> Result<Vec<IndexInfo>> {
        let entry = self.entry(rel)?;
        // System catalogs are read without their indexes; only tables have B-trees here.
        if rel.0 < tusk_catalog::syscat::FIRST_NORMAL_OBJECT_ID || entry.info.kind != b'r' {
            return Ok(Vec::new());
        }
        Ok(self
            .indexes(&entry)?
            .iter()
            .map(|ix| IndexInfo {
                oid: ix.oid,
                name: ix.index.desc().name.clone(),
                unique: ix.unique,
                columns: {
                    let mut exprs = ix
                        .expressions
                        .as_ref()
                        .map(|x| x.exprs().to_vec())
                        .unwrap_or_default()
                        .into_iter();
                    ix.attnums
                        .iter()
                        .zip(&ix.index.desc().columns)
                        .map(|(&attnum, c)| IndexColumnInfo {
                            attnum,
                            expr: if attnum == 0 { exprs.next() } else { None },
                            type_oid: c.type_oid,
                            descending: c.descending,
                            nulls_first: c.nulls_first,
                        })
                        .collect()
                },
                predicate: ix.expressions.as_ref().and_then(|x| x.predicate().cloned()),
            })
            .collect())
    }

    fn index_scan(
        &self,
        rel: Oid,
        index: Oid,
        keys: &[IndexScanKey],
        direction: ScanDirection,
    ) -> Result<RowIter<'_>> {
        let entry = self.scannable_entry(rel)?;
        let indexes = self.indexes(&entry)?;
        let ix = indexes.iter().find(|ix| ix.oid == index).ok_or_else(|| {
            tusk_types::Error::internal(format!(
                "relation \"{}\" has no index with OID {}",
                entry.info.name, index.0
            ))
        })?;
        let scan_keys: Vec<ScanKey> = keys
            .iter()
            .map(|k| ScanKey {
                column: k.column,
                strategy: match k.strategy {
                    IndexStrategy::Less => ScanStrategy::Less,
                    IndexStrategy::LessEqual => ScanStrategy::LessEqual,
                    IndexStrategy::Equal => ScanStrategy::Equal,
                    IndexStrategy::GreaterEqual => ScanStrategy::GreaterEqual,
                    IndexStrategy::Greater => ScanStrategy::Greater,
                },
                value: k.value.clone(),
            })
            .collect();
        let scan = BTreeIndex::scan_shared(
            &ix.index,
            &scan_keys,
            match direction {
                ScanDirection::Forward => tusk_access::nbtree::ScanDirection::Forward,
                ScanDirection::Backward => tusk_access::nbtree::ScanDirection::Backward,
            },
        )?;
        self.txn
            .borrow_mut()
            .stats()
            .count_scan(index, |s| s.scans += 1);
        let scan: RowIter<'_> = Box::new(IndexHeapScan {
            scan,
            heap: entry.heap.clone(),
            attrs: entry.attrs.clone(),
            view: self.view.borrow().clone(),
            clog: self.cluster.xact.clog.clone(),
            attnums: ix.attnums.clone(),
            expressions: ix.expressions.clone(),
            keys: keys.to_vec(),
            returned: Default::default(),
            failed: false,
            cluster: Some(self.cluster),
            last_block: None,
        });
        Ok(Box::new(CountedRows {
            inner: scan,
            txn: &self.txn,
            rel: index,
            index: true,
            returned: 0,
        }))
    }
}

/// Rows of a scan, counted for the cumulative statistics (`pgstat.rs`) when the scan is
/// dropped: rows a sequential scan returned, or index entries an index scan returned
/// and the rows it fetched through them (tusk counts only entries that led to a visible
/// row, so the two are equal).
struct CountedRows<'s, 'a> {
    inner: RowIter<'s>,
    txn: &'s RefCell<&'a mut Transaction>,
    /// The table (sequential scan) or index (index scan).
    rel: Oid,
    index: bool,
    returned: i64,
}

impl Iterator for CountedRows<'_, '_> {
    type Item = Result<(ItemPointer, Vec<Datum>)>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = self.inner.next();
        if let Some(Ok(_)) = &next {
            self.returned += 1;
        }
        next
    }
}

impl Drop for CountedRows<'_, '_> {
    fn drop(&mut self) {
        if self.returned == 0 {
            return;
        }
        // A scan dropped while its statement writes (never the case today) goes uncounted
        // rather than panic on the borrow.
        if let Ok(mut txn) = self.txn.try_borrow_mut() {
            let (returned, index) = (self.returned, self.index);
            txn.stats().count_scan(self.rel, |s| {
                s.returned += returned;
                if index {
                    s.fetched += returned;
                }
            });
        }
    }
}
