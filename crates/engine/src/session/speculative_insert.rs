//! Speculative insertion for `INSERT ... ON CONFLICT` (PostgreSQL's
//! `ExecCheckIndexConstraints` + `heap_insert` with a speculative token +
//! `heap_abort_speculative`), over [`SessionTables`]:
//!
//! ```text
//!  loop:
//!    pre-check: each arbiter index, equal key, dirty reading
//!       live row        ──▶ Conflict(tid, row)
//!       writer running  ──▶ wait for it, loop
//!    insert heap version, then index entries
//!       an arbiter index has a live equal key now (lost the race)
//!                       ──▶ delete own version ("super-delete"), loop
//!    ──▶ Inserted(tid)
//! ```
//!
//! Rules:
//! 1. An arbiter key with a NULL never conflicts.
//! 2. The pre-check and the index insertion see the same dirty reading
//!    (`index_maintenance` rules 1, 2 and 4), so two concurrent upserts of one key end
//!    with one insertion and one conflict, never a unique violation.
//! 3. Under REPEATABLE READ and SERIALIZABLE a conflicting row the snapshot cannot see
//!    is a serialization failure (40001), as in PostgreSQL.
//! 4. Into a partitioned table, the row is routed to its leaf partition first; there
//!    the arbiters are the leaf's unique indexes on the same columns as the partitioned
//!    table's arbiter indexes (all the leaf's unique indexes without a conflict
//!    target), and DO UPDATE changes the row in place: a new row that
//!    belongs to another partition is refused (0A000), as PostgreSQL does.
//!
//! Entry points: [`SessionTables::resolve_conflict_arbiters`],
//! [`SessionTables::speculative_insert`].

use tusk_access::nbtree::key::compare_keys;
use tusk_access::nbtree::{ScanDirection, ScanKey, ScanStrategy};
use tusk_catalog::syscat;
use tusk_executor::{is_index_expression, predicate_implied, SpeculativeInsert};
use tusk_sql::analyze::ConflictArbiter;
use tusk_types::{pg_err, Datum, Error, ItemPointer, Oid, Result};

use super::partition_index::index_signature;
use super::tables::SessionTables;
use crate::heap::HeapWriter;
use crate::index_maintenance::{
    dirty_liveness, insert_index_entries_speculative, IndexEntries, Liveness, OpenIndex,
};
use crate::relcache::RelEntry;

fn no_match() -> Error {
    pg_err!(
        INVALID_COLUMN_REFERENCE,
        "there is no unique or exclusion constraint matching the ON CONFLICT specification"
    )
}

impl SessionTables<'_> {
    /// The arbiter indexes of `arbiter` on `rel` (PostgreSQL's `infer_arbiter_indexes`):
    /// every unique index for no target (none for a partitioned table: all unique indexes
    /// of the leaf decide), the unique indexes on exactly the inference columns, or the
    /// index of the named constraint.
    ///
    /// Errors: 42P10 when inference columns match no unique index; 42704 `constraint "c"
    /// for table "t" does not exist`; 42809 for a constraint without an index.
    pub(crate) fn resolve_conflict_arbiters(
        &self,
        rel: Oid,
        arbiter: &ConflictArbiter,
    ) -> Result<Vec<Oid>> {
        let entry = self.entry(rel)?;
        let indexes = super::index_ddl::table_indexes_of(&self.catalog, &entry)?;
        let unique = indexes.iter().filter(|ix| ix.unique);
        match arbiter {
            // A partitioned table's rows are checked against all unique indexes of
            // the leaf they go to (rule 4).
            ConflictArbiter::Any if entry.info.kind == b'p' => Ok(Vec::new()),
            ConflictArbiter::Any => Ok(unique.map(|ix| ix.oid).collect()),
            ConflictArbiter::Columns(attnums) => {
                let found: Vec<Oid> = unique
                    .filter(|ix| {
                        ix.expressions.is_none()
                            && ix.attnums.iter().all(|a| attnums.contains(a))
                            && attnums.iter().all(|a| ix.attnums.contains(a))
                    })
                    .map(|ix| ix.oid)
                    .collect();
                if found.is_empty() {
                    return Err(no_match());
                }
                Ok(found)
            }
            ConflictArbiter::Inferred {
                attnums,
                exprs,
                predicate,
            } => {
                let query: Vec<tusk_sql::analyze::TypedExpr> = match predicate {
                    Some(tusk_sql::analyze::TypedExpr::And(items)) => items.clone(),
                    Some(p) => vec![p.clone()],
                    None => Vec::new(),
                };
                let found: Vec<Oid> = unique
                    .filter(|ix| {
                        let plain: Vec<i16> =
                            ix.attnums.iter().copied().filter(|&a| a != 0).collect();
                        let (index_exprs, index_predicate) = match &ix.expressions {
                            Some(x) => (x.exprs(), x.predicate()),
                            None => (&[][..], None),
                        };
                        plain.iter().all(|a| attnums.contains(a))
                            && attnums.iter().all(|a| plain.contains(a))
                            && index_exprs
                                .iter()
                                .all(|e| exprs.iter().any(|x| is_index_expression(x, e)))
                            && exprs
                                .iter()
                                .all(|x| index_exprs.iter().any(|e| is_index_expression(x, e)))
                            && predicate_implied(index_predicate, &query)
                    })
                    .map(|ix| ix.oid)
                    .collect();
                if found.is_empty() {
                    return Err(no_match());
                }
                Ok(found)
            }
            ConflictArbiter::Constraint(name) => {
                let c = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
                let row = self.catalog.scan(c)?.into_iter().find(|(_, r)| {
                    r[c.col("conrelid")] == Datum::Oid(rel.0)
                        && r[c.col("conname")] == Datum::Text(name.clone())
                });
                let Some((_, row)) = row else {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "constraint \"{}\" for table \"{}\" does not exist",
                        name,
                        entry.info.name
                    ));
                };
                let kind = &row[c.col("contype")];
                if *kind != Datum::Text("p".into()) && *kind != Datum::Text("u".into()) {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "constraint in ON CONFLICT clause has no associated index"
                    ));
                }
                match row[c.col("conindid")] {
                    Datum::Oid(o) => Ok(vec![Oid(o)]),
                    _ => Err(no_match()),
                }
            }
        }
    }

    /// Inserts `row` into `rel` unless an arbiter index holds a live equal key (see the
    /// module header).
    ///
    /// Errors: as [`tusk_executor::TableAccess::insert`]; 40P01, 57014 while waiting.
    pub(crate) fn speculative_insert(
        &self,
        rel: Oid,
        row: &[Datum],
        arbiters: &[Oid],
    ) -> Result<SpeculativeInsert> {
        let target = self.entry(rel)?;
        if target.info.kind == b'p' {
            return self.speculative_insert_routed(&target, row, arbiters);
        }
        let entry = self.writable(rel, "INSERT")?;
        let indexes = self.indexes(&entry)?;
        let is_arbiter = |i: usize| arbiters.contains(&indexes[i].oid);
        let outcome = self.with_writer(|w| loop {
            (self.check_interrupts)()?;
            let mut wait = None;
            for (i, ix) in indexes.iter().enumerate() {
                if !is_arbiter(i) {
                    continue;
                }
                match conflicting_row(w, &entry, ix)(row)? {
                    Probe::Conflict(tid, existing) => {
                        self.conflict_visible(&entry, tid, w)?;
                        return Ok(SpeculativeInsert::Conflict {
                            rel,
                            tid,
                            row: existing,
                        });
                    }
                    Probe::Wait(xid) => {
                        wait = Some(xid);
                        break;
                    }
                    Probe::Free => {}
                }
            }
            if let Some(xid) = wait {
                w.wait_for_xid(xid, self.pid_of)?;
                continue;
            }
            let tid = w.insert(&entry.heap, &entry.attrs, row)?;
            let entries = IndexEntries {
                writer: w,
                heap: &entry.heap,
                attrs: &entry.attrs,
                indexes: &indexes,
                output: self.output,
                pids: self.pid_of,
            };
            match insert_index_entries_speculative(&entries, row, tid, &is_arbiter)? {
                None => return Ok(SpeculativeInsert::Inserted { rel, tid }),
                // Lost the race for the key: super-delete and look again.
                Some(_) => {
                    w.delete_row(&entry.heap, &entry.attrs, tid, self.pid_of)?;
                }
            }
        })?;
        if matches!(outcome, SpeculativeInsert::Inserted { .. }) {
            self.queue_foreign_key_events(rel, None, Some(row))?;
        }
        Ok(outcome)
    }
}

impl SessionTables<'_> {
    /// [`SessionTables::speculative_insert`] into partitioned table `root` (rule 4): the
    /// row goes to its leaf partition, whose indexes matching the arbiters decide.
    fn speculative_insert_routed(
        &self,
        root: &RelEntry,
        row: &[Datum],
        arbiters: &[Oid],
    ) -> Result<SpeculativeInsert> {
        let Some((leaf, leaf_row)) = self.route_insert(root.info.oid, row)? else {
            return Err(Error::internal("partitioned table routed to itself"));
        };
        self.check_leaf_constraints(root.info.oid, row, leaf, &leaf_row)?;
        let leaf_entry = self.entry(leaf)?;
        let root_indexes = super::index_ddl::table_indexes_of(&self.catalog, root)?;
        let leaf_indexes = super::index_ddl::table_indexes_of(&self.catalog, &leaf_entry)?;
        let mut leaf_arbiters = Vec::with_capacity(arbiters.len());
        if arbiters.is_empty() {
            // No conflict target: every unique index of the leaf arbitrates.
            leaf_arbiters.extend(leaf_indexes.iter().filter(|l| l.unique).map(|l| l.oid));
        }
        for ix in root_indexes.iter().filter(|ix| arbiters.contains(&ix.oid)) {
            let wanted = index_signature(root, ix);
            let found = leaf_indexes
                .iter()
                .find(|l| index_signature(&leaf_entry, l) == wanted);
            match found {
                Some(l) => leaf_arbiters.push(l.oid),
                None => return Err(no_match()),
            }
        }
        Ok(
            match self.speculative_insert(leaf, &leaf_row, &leaf_arbiters)? {
                SpeculativeInsert::Conflict { rel, tid, row } => SpeculativeInsert::Conflict {
                    rel,
                    row: self.map_partition_row(rel, root.info.oid, &row)?,
                    tid,
                },
                inserted => inserted,
            },
        )
    }

    /// The DO UPDATE of a conflicting row of `rel`, a leaf partition of `root` (or `root`
    /// itself), with `row` in `root`'s layout (rule 4).
    ///
    /// Errors: 0A000 `invalid ON UPDATE specification` when the row would move to
    /// another partition; as [`SessionTables::update`].
    pub(crate) fn update_conflicting_row(
        &self,
        root: Oid,
        rel: Oid,
        tid: ItemPointer,
        row: &[Datum],
    ) -> Result<tusk_executor::ModifyResult> {
        use tusk_executor::TableAccess;
        if root == rel {
            return self.update(rel, tid, row);
        }
        let leaf_row = self.map_partition_row(root, rel, row)?;
        if !self.fits_partition(rel, &leaf_row)? {
            return Err(pg_err!(FEATURE_NOT_SUPPORTED, "invalid ON UPDATE specification")
                .detail("The result tuple would appear in a different partition than the original tuple."));
        }
        self.check_leaf_constraints(root, row, rel, &leaf_row)?;
        self.update(rel, tid, &leaf_row)
    }

    /// Rule 3: under REPEATABLE READ and SERIALIZABLE, the conflicting row version must
    /// be visible to the transaction's snapshot unless this transaction wrote it
    /// (PostgreSQL's `ExecCheckTupleVisible`).
    ///
    /// Errors: 40001 `could not serialize access due to concurrent update`.
    fn conflict_visible(
        &self,
        entry: &RelEntry,
        tid: ItemPointer,
        w: &HeapWriter<'_>,
    ) -> Result<()> {
        if !w.isolation.uses_transaction_snapshot() {
            return Ok(());
        }
        let Some(tuple) = entry.heap.fetch(tid)? else {
            return Ok(());
        };
        let header = tuple.header();
        if w.own_xids.contains(&header.xmin)
            || self.view.borrow().sees(&self.cluster.xact.clog, &header)?
        {
            return Ok(());
        }
        Err(pg_err!(
            T_R_SERIALIZATION_FAILURE,
            "could not serialize access due to concurrent update"
        ))
    }
}

/// What the pre-check found in one arbiter index.
enum Probe {
    Free,
    Conflict(ItemPointer, Vec<Datum>),
    Wait(tusk_types::Xid),
}

/// The pre-check of one arbiter index `ix` of `entry` for a proposed row.
fn conflicting_row<'a>(
    writer: &'a HeapWriter<'a>,
    entry: &'a RelEntry,
    ix: &'a OpenIndex,
) -> impl Fn(&[Datum]) -> Result<Probe> + 'a {
    move |row: &[Datum]| {
        // A row a partial arbiter index leaves out cannot conflict in it.
        if !ix.covers(row)? {
            return Ok(Probe::Free);
        }
        let key = ix.key(row)?;
        if key.iter().any(Datum::is_null) {
            return Ok(Probe::Free);
        }
        let scan_keys: Vec<ScanKey> = key
            .iter()
            .enumerate()
            .map(|(column, value)| ScanKey {
                column,
                strategy: ScanStrategy::Equal,
                value: value.clone(),
            })
            .collect();
        let mut roots = Vec::new();
        for item in ix.index.scan(&scan_keys, ScanDirection::Forward)? {
            roots.push(item?.tid);
        }
        let columns = &ix.index.desc().columns;
        for root in roots {
            let mut failure: Option<Error> = None;
            let mut wait = None;
            let mut live = None;
            entry.heap.fetch_hot_chain(root, |tid, t| {
                let values = match entry.heap.deform(&entry.attrs, t) {
                    Ok(v) => v,
                    Err(e) => {
                        failure.get_or_insert(e);
                        return true;
                    }
                };
                // A line pointer reused after VACUUM may hold another key.
                let existing = match ix.key(&values) {
                    Ok(k) => k,
                    Err(e) => {
                        failure.get_or_insert(e);
                        return true;
                    }
                };
                if compare_keys(columns, &existing, &key) != std::cmp::Ordering::Equal {
                    return false;
                }
                match dirty_liveness(writer, t.header()) {
                    Ok(Liveness::Live) => {
                        live = Some((tid, values));
                        true
                    }
                    Ok(Liveness::Dead) => false,
                    Ok(Liveness::Wait(x)) => {
                        wait.get_or_insert(x);
                        false
                    }
                    Err(e) => {
                        failure.get_or_insert(e);
                        true
                    }
                }
            })?;
            if let Some(e) = failure {
                return Err(e);
            }
            if let Some((tid, values)) = live {
                return Ok(Probe::Conflict(tid, values));
            }
            if let Some(x) = wait {
                return Ok(Probe::Wait(x));
            }
        }
        Ok(Probe::Free)
    }
}
