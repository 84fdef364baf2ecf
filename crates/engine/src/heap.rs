//! Heap access under MVCC for one backend: which row versions a snapshot sees
//! (`HeapTupleSatisfiesMVCC`), and whether a row may be updated or deleted now
//! (`HeapTupleSatisfiesUpdate` with `heap_update`'s waits): a row changed by a transaction
//! still running is waited for; one changed by a committed transaction is reported as
//! updated (with its newest version) or deleted, or is a serialization failure under
//! REPEATABLE READ and SERIALIZABLE.
//!
//! Entry points: [`ReadView`], [`HeapScanIter`], [`HeapWriter`].

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use tusk_access::{form_tuple_toast, AttributeDesc, HeapRelation, HeapTupleHeader};
use tusk_access::{HeapTuple, HeapTupleRef};
use tusk_storage::{BufferPool, Checkpointer};
use tusk_txn::{satisfies_mvcc, Clog, CurrentTransaction, Snapshot, TupleHeaderView, XidStatus};
use tusk_types::{pg_err, BlockNumber, Datum, Error, ItemPointer, Result, Xid};

use tusk_sql::ast_lock::RowLockStrength;

use crate::transaction::Isolation;
use crate::xact_services::XactServices;

/// What a scan sees: a snapshot, the scanning transaction's own xids and its command id.
#[derive(Debug, Clone)]
pub struct ReadView {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// The transaction's own xids.
    pub xids: Vec<Xid>,
    /// Current command id.
    pub curcid: u32,
}

pub(crate) fn header_view(h: &HeapTupleHeader) -> TupleHeaderView {
    // tusk keeps one command id per tuple: the insert's, replaced by the delete's when the
    // same transaction deletes it (PostgreSQL's combo command ids are not kept).
    TupleHeaderView {
        xmin: h.xmin,
        xmax: h.xmax,
        cmin: h.cid,
        cmax: h.cid,
        infomask: h.infomask,
    }
}

impl ReadView {
    /// True if the row version is visible.
    ///
    /// Errors: commit-log lookup errors.
    pub fn sees(&self, clog: &Clog, header: &HeapTupleHeader) -> Result<bool> {
        let current = CurrentTransaction {
            xids: &self.xids,
            curcid: self.curcid,
        };
        Ok(satisfies_mvcc(&header_view(header), &self.snapshot, &current, clog)?.visible)
    }
}

/// A sequential scan yielding visible rows as values (page at a time).
pub struct HeapScanIter {
    relation: Arc<HeapRelation>,
    attrs: Arc<Vec<AttributeDesc>>,
    view: ReadView,
    clog: Arc<Clog>,
    nblocks: BlockNumber,
    next_block: BlockNumber,
    page: std::vec::IntoIter<(ItemPointer, HeapTuple)>,
    failed: bool,
}

impl HeapScanIter {
    /// A scan of `relation`'s current blocks.
    ///
    /// Errors: I/O errors reading the relation's size.
    pub fn new(
        relation: Arc<HeapRelation>,
        attrs: Arc<Vec<AttributeDesc>>,
        view: ReadView,
        clog: Arc<Clog>,
    ) -> Result<HeapScanIter> {
        let nblocks = relation.nblocks()?;
        Ok(HeapScanIter {
            relation,
            attrs,
            view,
            clog,
            nblocks,
            next_block: BlockNumber(0),
            page: Vec::new().into_iter(),
            failed: false,
        })
    }

    fn load(&mut self, block: BlockNumber) -> Result<()> {
        let error = RefCell::new(None);
        let view = &self.view;
        let clog = &self.clog;
        let tuples = self
            .relation
            .page_tuples(
                block,
                &mut |_, t: &HeapTupleRef<'_>| match view.sees(clog, t.header()) {
                    Ok(v) => v,
                    Err(e) => {
                        error.borrow_mut().get_or_insert(e);
                        false
                    }
                },
            )?;
        if let Some(e) = error.into_inner() {
            return Err(e);
        }
        self.page = tuples.into_iter();
        Ok(())
    }
}

impl Iterator for HeapScanIter {
    type Item = Result<(ItemPointer, Vec<Datum>)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.failed {
                return None;
            }
            if let Some((tid, tuple)) = self.page.next() {
                let row = self.relation.deform(&self.attrs, &tuple.as_ref());
                return Some(row.map(|row| (tid, row)));
            }
            if self.next_block >= self.nblocks {
                return None;
            }
            let block = self.next_block;
            self.next_block.0 += 1;
            if let Err(e) = self.load(block) {
                self.failed = true;
                return Some(Err(e));
            }
        }
    }
}

/// Outcome of an update or delete attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteOutcome {
    /// Done; the new version's TID for an update.
    Done(ItemPointer),
    /// The row was deleted (or already changed by this command).
    Deleted,
    /// The row was updated by a committed transaction; its next version is at this TID.
    Updated(ItemPointer),
}

/// Why the xmax check declined.
enum Decline {
    Wait(Xid),
    Deleted,
    Updated(ItemPointer),
}

/// Writes row versions for one transaction.
pub struct HeapWriter<'a> {
    /// Shared buffers.
    pub pool: &'a Arc<BufferPool>,
    /// WAL insertion.
    pub checkpointer: &'a Checkpointer,
    /// Transaction services.
    pub services: &'a XactServices,
    /// The writing xid.
    pub xid: Xid,
    /// The writing command id.
    pub cid: u32,
    /// Own xids (top and live subtransactions).
    pub own_xids: &'a [Xid],
    /// Isolation level (REPEATABLE READ and SERIALIZABLE fail on concurrent updates).
    pub isolation: Isolation,
    /// The session's backend id and `deadlock_timeout`, for waits.
    pub backend: tusk_txn::BackendId,
    /// `deadlock_timeout`.
    pub deadlock_timeout: Duration,
    /// Cancel and statement-timeout checks between waits.
    pub check_interrupts: &'a dyn Fn() -> Result<()>,
}

impl HeapWriter<'_> {
    /// Inserts a row.
    ///
    /// Errors: 54000 for a row too big; 0A000 for a type the heap cannot store; I/O errors.
    pub fn insert(
        &self,
        relation: &HeapRelation,
        attrs: &[AttributeDesc],
        row: &[Datum],
    ) -> Result<ItemPointer> {
        self.insert_with_options(relation, attrs, row, false)
    }

    /// [`HeapWriter::insert`], the tuple written frozen when `frozen` (COPY FREEZE:
    /// [`HeapRelation::insert_with_options`]; out-of-line values are written as usual).
    ///
    /// Errors: as [`HeapWriter::insert`].
    pub fn insert_with_options(
        &self,
        relation: &HeapRelation,
        attrs: &[AttributeDesc],
        row: &[Datum],
        frozen: bool,
    ) -> Result<ItemPointer> {
        let tuple = self.form(relation, attrs, row)?;
        relation.insert_with_options(self.checkpointer, &tuple, self.xid, self.cid, frozen)
    }

    /// The tuple of `row`, toasted into `relation`'s TOAST relation when it has one
    /// (`crate::toast` rule 2), else only compressed.
    fn form(
        &self,
        relation: &HeapRelation,
        attrs: &[AttributeDesc],
        row: &[Datum],
    ) -> Result<HeapTuple> {
        match relation.toast() {
            Some(toast) => {
                let mut store = crate::toast::ToastInserter {
                    writer: self,
                    toast,
                };
                form_tuple_toast(attrs, row, Some(&mut store))
            }
            None => form_tuple_toast(attrs, row, None),
        }
    }

    /// [`HeapWriter::delete`] of a row of a table described by `attrs`, deleting its
    /// out-of-line values with it (`crate::toast` rule 3).
    ///
    /// Errors: as [`HeapWriter::delete`].
    pub fn delete_row(
        &self,
        relation: &HeapRelation,
        attrs: &[AttributeDesc],
        tid: ItemPointer,
        pids: &dyn Fn(tusk_txn::BackendId) -> i32,
    ) -> Result<WriteOutcome> {
        let outcome = self.delete(relation, tid, pids)?;
        if outcome == WriteOutcome::Done(tid) {
            crate::toast::delete_toast_values(self, relation, attrs, tid)?;
        }
        Ok(outcome)
    }

    /// `HeapTupleSatisfiesUpdate` on the header of the version at `tid`, under its page
    /// lock, then the row's lockers (`row_lock.rs` rule 1) against `strength`: Ok(None)
    /// to go ahead, or why not.
    fn check(
        &self,
        relation: &HeapRelation,
        header: &HeapTupleHeader,
        tid: ItemPointer,
        strength: RowLockStrength,
    ) -> Result<Option<Decline>> {
        match self.check_updater(header, tid)? {
            None => Ok(self
                .conflicting_locker(relation, tid, strength)
                .map(Decline::Wait)),
            declined => Ok(declined),
        }
    }

    fn check_updater(&self, header: &HeapTupleHeader, tid: ItemPointer) -> Result<Option<Decline>> {
        use tusk_access::tuple::{HEAP_XMAX_COMMITTED, HEAP_XMAX_INVALID, HEAP_XMAX_LOCK_ONLY};
        let xmax = header.xmax;
        if xmax == Xid::INVALID
            || header.infomask & HEAP_XMAX_INVALID != 0
            || header.infomask & HEAP_XMAX_LOCK_ONLY != 0
        {
            return Ok(None);
        }
        let next = || {
            if header.ctid == tid {
                Decline::Deleted
            } else {
                Decline::Updated(header.ctid)
            }
        };
        if self.own_xids.contains(&xmax) {
            // Changed by this transaction already (an earlier command, or this one).
            return Ok(Some(Decline::Deleted));
        }
        if header.infomask & HEAP_XMAX_COMMITTED == 0 {
            if self.services.procarray.is_running(xmax) {
                return Ok(Some(Decline::Wait(xmax)));
            }
            match self.services.clog.status(xmax)? {
                XidStatus::Committed => {}
                // Aborted or crashed: the change never happened.
                _ => return Ok(None),
            }
        }
        if self.isolation.uses_transaction_snapshot() {
            return Err(pg_err!(
                T_R_SERIALIZATION_FAILURE,
                "could not serialize access due to concurrent {}",
                if header.ctid == tid {
                    "delete"
                } else {
                    "update"
                }
            ));
        }
        Ok(Some(next()))
    }

    fn wait(&self, xid: Xid, pids: &dyn Fn(tusk_txn::BackendId) -> i32) -> Result<()> {
        self.services.wait_for(
            self.backend,
            pids,
            xid,
            self.deadlock_timeout,
            self.check_interrupts,
        )
    }

    /// Waits for transaction `xid` to end (a unique check found its row version).
    ///
    /// Errors: 40P01, 57014.
    pub fn wait_for_xid(&self, xid: Xid, pids: &dyn Fn(tusk_txn::BackendId) -> i32) -> Result<()> {
        self.wait(xid, pids)
    }

    /// Deletes the row version at `tid` (waiting for a running writer of it first).
    ///
    /// Errors: 40001 under REPEATABLE READ/SERIALIZABLE when a committed transaction changed
    /// the row; 40P01; 57014; I/O errors.
    pub fn delete(
        &self,
        relation: &HeapRelation,
        tid: ItemPointer,
        pids: &dyn Fn(tusk_txn::BackendId) -> i32,
    ) -> Result<WriteOutcome> {
        loop {
            let mut declined: Option<Decline> = None;
            let mut failure: Option<Error> = None;
            let done =
                relation.delete_checked(self.checkpointer, tid, self.xid, self.cid, &mut |h| {
                    match self.check(relation, h, tid, RowLockStrength::Update) {
                        Ok(None) => Ok(true),
                        Ok(Some(d)) => {
                            declined = Some(d);
                            Ok(false)
                        }
                        Err(e) => {
                            failure = Some(e);
                            Ok(false)
                        }
                    }
                })?;
            if let Some(e) = failure {
                return Err(e);
            }
            if done {
                return Ok(WriteOutcome::Done(tid));
            }
            match declined {
                Some(Decline::Wait(xid)) => self.wait(xid, pids)?,
                Some(Decline::Deleted) | None => return Ok(WriteOutcome::Deleted),
                Some(Decline::Updated(next)) => return Ok(WriteOutcome::Updated(next)),
            }
        }
    }

    /// Replaces the row version at `tid` with `row` (HOT when allowed), deleting the old
    /// version's out-of-line values (`crate::toast` rule 3).
    ///
    /// Errors: as [`HeapWriter::delete`], and those of [`HeapWriter::insert`].
    pub fn update(
        &self,
        relation: &HeapRelation,
        attrs: &[AttributeDesc],
        tid: ItemPointer,
        row: &[Datum],
        hot_allowed: bool,
        pids: &dyn Fn(tusk_txn::BackendId) -> i32,
    ) -> Result<WriteOutcome> {
        let tuple = self.form(relation, attrs, row)?;
        // An update that changes no indexed column keeps the key (row_lock.rs rule 1).
        let strength = if hot_allowed {
            RowLockStrength::NoKeyUpdate
        } else {
            RowLockStrength::Update
        };
        loop {
            let mut declined: Option<Decline> = None;
            let mut failure: Option<Error> = None;
            let done = relation.update_checked(
                self.checkpointer,
                tid,
                &tuple,
                self.xid,
                self.cid,
                hot_allowed,
                &mut |h| match self.check(relation, h, tid, strength) {
                    Ok(None) => Ok(true),
                    Ok(Some(d)) => {
                        declined = Some(d);
                        Ok(false)
                    }
                    Err(e) => {
                        failure = Some(e);
                        Ok(false)
                    }
                },
            )?;
            if let Some(e) = failure {
                return Err(e);
            }
            if let Some(new_tid) = done {
                // The old version's out-of-line values go with it (crate::toast rule 3).
                crate::toast::delete_toast_values(self, relation, attrs, tid)?;
                return Ok(WriteOutcome::Done(new_tid));
            }
            if !matches!(declined, Some(Decline::Wait(_))) {
                // Values stored for a version that will not be written.
                if let Some(toast) = relation.toast() {
                    crate::toast::delete_values_of(self, toast, attrs, &tuple.as_ref())?;
                }
            }
            match declined {
                Some(Decline::Wait(xid)) => self.wait(xid, pids)?,
                Some(Decline::Deleted) | None => return Ok(WriteOutcome::Deleted),
                Some(Decline::Updated(next)) => return Ok(WriteOutcome::Updated(next)),
            }
        }
    }
}

/// Follows the update chain from `tid` to the newest committed version (for READ
/// COMMITTED's re-check): Ok(None) if the chain ends in a deleted row.
///
/// Errors: I/O errors; XX000 for a broken chain.
pub fn newest_version(
    relation: &HeapRelation,
    attrs: &[AttributeDesc],
    clog: &Clog,
    mut tid: ItemPointer,
) -> Result<Option<(ItemPointer, Vec<Datum>)>> {
    use tusk_access::tuple::{HEAP_XMAX_INVALID, HEAP_XMAX_LOCK_ONLY};
    for _ in 0..100_000 {
        let Some(tuple) = relation.fetch(tid)? else {
            return Ok(None);
        };
        let h = tuple.header();
        // A lock-only xmax (a row lock) changed nothing.
        let changed = h.xmax != Xid::INVALID
            && h.infomask & (HEAP_XMAX_INVALID | HEAP_XMAX_LOCK_ONLY) == 0
            && clog.status(h.xmax)? == XidStatus::Committed;
        if !changed || h.ctid == tid {
            if changed {
                return Ok(None);
            }
            return Ok(Some((tid, relation.deform(attrs, &tuple.as_ref())?)));
        }
        tid = h.ctid;
    }
    Err(Error::internal("update chain too long"))
}

/// What a tuple's xmax means for pruning ([`tusk_access::XmaxFate`]) with removal horizon
/// `horizon`: committed before it is dead, committed after it or running is pending, and
/// aborted (or in progress in `pg_xact` yet older than the horizon, so lost in a crash) is
/// aborted. A status that cannot be read counts as pending, which only delays pruning.
pub(crate) fn xmax_fate(clog: &Clog, xid: Xid, horizon: Xid) -> tusk_access::XmaxFate {
    use tusk_access::XmaxFate;
    match clog.status(xid) {
        Ok(XidStatus::Committed) if xid.precedes(horizon) => XmaxFate::Dead,
        Ok(XidStatus::Aborted) => XmaxFate::Aborted,
        Ok(XidStatus::InProgress) if xid.precedes(horizon) => XmaxFate::Aborted,
        _ => XmaxFate::Pending,
    }
}
