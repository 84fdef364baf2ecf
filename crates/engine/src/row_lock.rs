//! Row-level locks (`SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE`):
//! PostgreSQL's `heap_lock_tuple` and the waits UPDATE and DELETE make for row lockers.
//!
//! Where a lock lives (see `docs/design/heap.md`, "Row locks"):
//!
//! ```text
//!   tuple header                           RowLockTable (shared memory, one per cluster)
//!   xmax = a locker's xid,                 (relfilenode, ctid) → [(xid, backend, strength)]
//!   HEAP_XMAX_LOCK_ONLY | mode bits        every live lock of every row; authoritative
//!   (WAL-logged LOCK record; informative:  emptied per backend at transaction end;
//!    what `xmax` shows, never trusted      empty after a restart (lockers do not survive
//!    for conflicts)                        a crash)
//! ```
//!
//! PostgreSQL keeps several lockers of one row in a MultiXactId; tusk keeps every locker
//! in the in-memory [`RowLockTable`] instead and stamps the tuple only when its xmax holds
//! no updater, so an updater's xmax is never overwritten and a crash loses nothing that
//! matters: every locker ended with it.
//!
//! Rules:
//! 1. A locker or writer checks, under the tuple's page lock, first the tuple's updater
//!    (as `heap.rs` does), then the table's other live lockers; conflicts follow
//!    [`RowLockStrength::conflicts_with`]. UPDATE takes `NoKeyUpdate` when no indexed
//!    column changes, else `Update`; DELETE takes `Update`.
//! 2. A transaction's own locks (any of its xids) never block it.
//! 3. Entries whose xid no longer runs (ended, or an aborted subtransaction) are dead:
//!    ignored by checks, dropped when their backend's transaction ends.
//!
//! Entry points: [`RowLockTable`], [`HeapWriter::lock_tuple`], [`LockOutcome`].

use std::collections::HashMap;

use parking_lot::Mutex;
use tusk_access::tuple::{
    HEAP_KEYS_UPDATED, HEAP_XMAX_COMMITTED, HEAP_XMAX_EXCL_LOCK, HEAP_XMAX_INVALID,
    HEAP_XMAX_KEYSHR_LOCK, HEAP_XMAX_LOCK_ONLY, HEAP_XMAX_SHR_LOCK,
};
use tusk_access::{HeapRelation, HeapTupleHeader};
use tusk_sql::ast_lock::{RowLockStrength, RowLockWait};
use tusk_txn::{BackendId, ProcArray, XidStatus};
use tusk_types::{pg_err, Error, ItemPointer, RelFileLocator, Result, Xid};

use crate::heap::HeapWriter;

/// Identifies one row version: its relation's files and its TID.
pub type RowKey = (RelFileLocator, ItemPointer);

#[derive(Debug, Clone, Copy)]
struct Locker {
    xid: Xid,
    backend: BackendId,
    strength: RowLockStrength,
}

#[derive(Debug, Default)]
struct Inner {
    rows: HashMap<RowKey, Vec<Locker>>,
    by_backend: HashMap<BackendId, Vec<RowKey>>,
}

/// Every live row lock of the cluster (see the module header).
#[derive(Debug, Default)]
pub struct RowLockTable {
    inner: Mutex<Inner>,
}

impl RowLockTable {
    /// An empty table.
    pub fn new() -> RowLockTable {
        RowLockTable::default()
    }

    /// A live locker of `key`, not one of `own` xids, whose lock conflicts with
    /// `strength` (rules 1 to 3), if any.
    pub fn conflicting(
        &self,
        key: &RowKey,
        strength: RowLockStrength,
        own: &[Xid],
        procarray: &ProcArray,
    ) -> Option<Xid> {
        let inner = self.inner.lock();
        conflict_in(&inner, key, strength, own, procarray)
    }

    /// Takes `strength` on `key` for `xid` of `backend` unless a live locker conflicts:
    /// Err(that locker's xid) then.
    pub fn acquire(
        &self,
        key: RowKey,
        xid: Xid,
        backend: BackendId,
        strength: RowLockStrength,
        own: &[Xid],
        procarray: &ProcArray,
    ) -> std::result::Result<(), Xid> {
        let mut inner = self.inner.lock();
        if let Some(x) = conflict_in(&inner, &key, strength, own, procarray) {
            return Err(x);
        }
        let lockers = inner.rows.entry(key).or_default();
        lockers.retain(|l| own.contains(&l.xid) || procarray.is_running(l.xid));
        if let Some(l) = lockers.iter_mut().find(|l| l.xid == xid) {
            l.strength = l.strength.max(strength);
            return Ok(());
        }
        lockers.push(Locker {
            xid,
            backend,
            strength,
        });
        inner.by_backend.entry(backend).or_default().push(key);
        Ok(())
    }

    /// Drops every lock `backend` took (its transaction ended).
    pub fn release_backend(&self, backend: BackendId) {
        let mut inner = self.inner.lock();
        let Some(keys) = inner.by_backend.remove(&backend) else {
            return;
        };
        for key in keys {
            if let Some(lockers) = inner.rows.get_mut(&key) {
                lockers.retain(|l| l.backend != backend);
                if lockers.is_empty() {
                    inner.rows.remove(&key);
                }
            }
        }
    }

    /// Number of rows with a lock entry (for tests).
    pub fn locked_rows(&self) -> usize {
        self.inner.lock().rows.len()
    }
}

fn conflict_in(
    inner: &Inner,
    key: &RowKey,
    strength: RowLockStrength,
    own: &[Xid],
    procarray: &ProcArray,
) -> Option<Xid> {
    inner.rows.get(key)?.iter().find_map(|l| {
        (!own.contains(&l.xid)
            && l.strength.conflicts_with(strength)
            && procarray.is_running(l.xid))
        .then_some(l.xid)
    })
}

/// The infomask lock bits PostgreSQL stamps for `strength`.
fn lock_bits(strength: RowLockStrength) -> u16 {
    match strength {
        RowLockStrength::KeyShare => HEAP_XMAX_KEYSHR_LOCK,
        RowLockStrength::Share => HEAP_XMAX_SHR_LOCK,
        RowLockStrength::NoKeyUpdate | RowLockStrength::Update => HEAP_XMAX_EXCL_LOCK,
    }
}

/// What became of a row lock attempt ([`HeapWriter::lock_tuple`]).
#[derive(Debug, Clone, PartialEq)]
pub enum LockOutcome {
    /// The row version is locked.
    Locked,
    /// SKIP LOCKED: someone else holds a conflicting lock or change.
    Skipped,
    /// The row was deleted by a committed transaction (or changed by this one).
    Deleted,
    /// The row was updated by a committed transaction; its next version is at this TID
    /// (READ COMMITTED locks the newest version after re-checking it).
    Updated(ItemPointer),
}

enum Step {
    Wait(Xid),
    Outcome(LockOutcome),
}

impl HeapWriter<'_> {
    /// Locks the row version at `tid` of `relation` (called `name` in errors) with
    /// `strength` (PostgreSQL's `heap_lock_tuple`), waiting, failing or skipping as
    /// `wait` says when another transaction holds a conflicting lock or change.
    ///
    /// Errors: 55P03 `could not obtain lock on row in relation "t"` (NOWAIT); 40001
    /// `could not serialize access due to concurrent update` (or delete) under
    /// REPEATABLE READ and SERIALIZABLE; 40P01; 57014; I/O errors.
    pub fn lock_tuple(
        &self,
        relation: &HeapRelation,
        name: &str,
        tid: ItemPointer,
        strength: RowLockStrength,
        wait: RowLockWait,
        pids: &dyn Fn(BackendId) -> i32,
    ) -> Result<LockOutcome> {
        let key = (relation.locator(), tid);
        loop {
            let mut step: Option<Step> = None;
            let mut failure: Option<Error> = None;
            let locked = relation.lock_checked(
                self.checkpointer,
                tid,
                self.xid,
                lock_bits(strength),
                &mut |h| match self.lock_check(h, key, tid, strength) {
                    Ok(Ok(stamp)) => Ok(Some(stamp)),
                    Ok(Err(s)) => {
                        step = Some(s);
                        Ok(None)
                    }
                    Err(e) => {
                        failure = Some(e);
                        Ok(None)
                    }
                },
            )?;
            if let Some(e) = failure {
                return Err(e);
            }
            if locked {
                return Ok(LockOutcome::Locked);
            }
            match step {
                Some(Step::Outcome(o)) => return Ok(o),
                Some(Step::Wait(xid)) => match wait {
                    RowLockWait::Block => self.wait_for_xid(xid, pids)?,
                    RowLockWait::SkipLocked => return Ok(LockOutcome::Skipped),
                    RowLockWait::NoWait => {
                        return Err(pg_err!(
                            LOCK_NOT_AVAILABLE,
                            "could not obtain lock on row in relation \"{}\"",
                            name
                        ))
                    }
                },
                None => return Err(Error::internal("row lock check gave no answer")),
            }
        }
    }

    /// Under the page lock: Ok(Ok(stamp)) when the lock is taken (registered in the
    /// table; `stamp` when the header's xmax may carry it), Ok(Err(step)) otherwise.
    fn lock_check(
        &self,
        h: &HeapTupleHeader,
        key: RowKey,
        tid: ItemPointer,
        strength: RowLockStrength,
    ) -> Result<std::result::Result<bool, Step>> {
        let services = self.services;
        let has_updater = h.xmax != Xid::INVALID
            && h.infomask & HEAP_XMAX_INVALID == 0
            && h.infomask & HEAP_XMAX_LOCK_ONLY == 0;
        let mut xmax_free = !has_updater;
        if has_updater {
            let xmax = h.xmax;
            let deleted = h.ctid == tid;
            if self.own_xids.contains(&xmax) {
                return Ok(Err(Step::Outcome(LockOutcome::Deleted)));
            }
            let committed = h.infomask & HEAP_XMAX_COMMITTED != 0;
            if !committed && services.procarray.is_running(xmax) {
                // A KEY SHARE lock is compatible with an update that keeps the key.
                let key_kept = !deleted && h.infomask2 & HEAP_KEYS_UPDATED == 0;
                if !(strength == RowLockStrength::KeyShare && key_kept) {
                    return Ok(Err(Step::Wait(xmax)));
                }
            } else if committed || services.clog.status(xmax)? == XidStatus::Committed {
                if self.isolation.uses_transaction_snapshot() {
                    return Err(pg_err!(
                        T_R_SERIALIZATION_FAILURE,
                        "could not serialize access due to concurrent {}",
                        if deleted { "delete" } else { "update" }
                    ));
                }
                return Ok(Err(Step::Outcome(if deleted {
                    LockOutcome::Deleted
                } else {
                    LockOutcome::Updated(h.ctid)
                })));
            } else {
                // Aborted or crashed: the change never happened.
                xmax_free = true;
            }
        }
        if let Err(xid) = services.row_locks.acquire(
            key,
            self.xid,
            self.backend,
            strength,
            self.own_xids,
            &services.procarray,
        ) {
            return Ok(Err(Step::Wait(xid)));
        }
        let already = h.xmax == self.xid
            && h.infomask & HEAP_XMAX_LOCK_ONLY != 0
            && h.infomask & lock_bits(strength) == lock_bits(strength);
        Ok(Ok(xmax_free && !already))
    }

    /// Rule 1 for UPDATE and DELETE: a live locker of `tid` conflicting with `strength`.
    pub(crate) fn conflicting_locker(
        &self,
        relation: &HeapRelation,
        tid: ItemPointer,
        strength: RowLockStrength,
    ) -> Option<Xid> {
        self.services.row_locks.conflicting(
            &(relation.locator(), tid),
            strength,
            self.own_xids,
            &self.services.procarray,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tusk_txn::XidGenerator;
    use tusk_types::{BlockNumber, OffsetNumber};

    fn procarray() -> (ProcArray, tusk_txn::Clog) {
        let vfs = Arc::new(tusk_io::MemVfs::new());
        let clog = tusk_txn::Clog::open(vfs, std::path::Path::new("/data"), None, 4).expect("clog");
        (ProcArray::new(Arc::new(XidGenerator::new(Xid(100)))), clog)
    }

    fn key(offset: u16) -> RowKey {
        (
            RelFileLocator::default(),
            ItemPointer {
                block: BlockNumber(0),
                offset: OffsetNumber(offset),
            },
        )
    }

    #[test]
    fn share_lockers_coexist_and_exclusive_waits_for_them() {
        let (procarray, clog) = procarray();
        let a = procarray.assign_xid(1, &clog).expect("xid");
        let b = procarray.assign_xid(2, &clog).expect("xid");
        let c = procarray.assign_xid(3, &clog).expect("xid");
        let table = RowLockTable::new();
        let share = RowLockStrength::Share;
        assert_eq!(table.acquire(key(1), a, 1, share, &[a], &procarray), Ok(()));
        assert_eq!(table.acquire(key(1), b, 2, share, &[b], &procarray), Ok(()));
        let update = RowLockStrength::Update;
        assert!(table
            .acquire(key(1), c, 3, update, &[c], &procarray)
            .is_err());
        // Another row is free; one's own share lock never blocks one's update.
        assert_eq!(
            table.acquire(key(2), c, 3, update, &[c], &procarray),
            Ok(())
        );
        procarray.end_transaction(1);
        table.release_backend(1);
        assert_eq!(
            table.conflicting(&key(1), update, &[c], &procarray),
            Some(b)
        );
        procarray.end_transaction(2);
        assert_eq!(table.conflicting(&key(1), update, &[c], &procarray), None);
        table.release_backend(2);
        table.release_backend(3);
        assert_eq!(table.locked_rows(), 0);
    }

    #[test]
    fn key_share_is_compatible_with_no_key_update() {
        let (procarray, clog) = procarray();
        let a = procarray.assign_xid(1, &clog).expect("xid");
        let b = procarray.assign_xid(2, &clog).expect("xid");
        let table = RowLockTable::new();
        let nku = RowLockStrength::NoKeyUpdate;
        assert_eq!(table.acquire(key(1), a, 1, nku, &[a], &procarray), Ok(()));
        let ks = RowLockStrength::KeyShare;
        assert_eq!(table.acquire(key(1), b, 2, ks, &[b], &procarray), Ok(()));
        assert_eq!(
            table.conflicting(&key(1), RowLockStrength::Update, &[], &procarray),
            Some(a)
        );
    }
}
