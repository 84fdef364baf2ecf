//! Tuple visibility for MVCC scans (PostgreSQL's `HeapTupleSatisfiesMVCC` in
//! `heapam_visibility.c`; docs 13.2 "Transaction Isolation").
//!
//! A tuple is visible to a snapshot when its inserter (`xmin`) is visible and its deleter
//! (`xmax`), if any, is not:
//!
//! ```text
//!   xmin: own transaction ─► visible iff inserted by an earlier command (cmin < curcid)
//!         in snapshot     ─► invisible (still running for us)
//!         committed       ─► go on to xmax            aborted/crashed ─► invisible
//!   xmax: invalid or lock-only ─► visible
//!         own transaction ─► visible iff deleted by this or a later command (cmax >= curcid)
//!         in snapshot     ─► visible (deleter still running for us)
//!         committed       ─► invisible                aborted/crashed ─► visible
//! ```
//!
//! Hint bits (`SetHintBits`): once a commit-log lookup finds an xid finished, the tuple's
//! infomask may cache the answer so later checks skip the lookup. This module never writes
//! the tuple; it returns the bits the caller may set ([`MvccVerdict::hints`]).
//! `*_COMMITTED` hints are suggested only once WAL is flushed to the transaction's commit
//! record ([`XidStatusLookup::commit_hint_allowed`]; only matters with
//! `synchronous_commit = off`), as PostgreSQL's `SetHintBits` does.
//!
//! Entry points: [`satisfies_mvcc`], [`TupleHeaderView`], [`CurrentTransaction`],
//! [`XidStatusLookup`].

use tusk_types::{pg_err, Result, Xid};

use crate::clog::{Clog, XidStatus};
use crate::snapshot::Snapshot;

/// A command id within a transaction (`CommandId`): statements number their changes.
pub type CommandId = u32;

/// `infomask` bits (values as PostgreSQL's `htup_details.h`).
pub mod infomask {
    /// `HEAP_XMAX_KEYSHR_LOCK`: xmax is a key-share locker.
    pub const XMAX_KEYSHR_LOCK: u16 = 0x0010;
    /// `HEAP_XMAX_EXCL_LOCK`: xmax is an exclusive locker.
    pub const XMAX_EXCL_LOCK: u16 = 0x0040;
    /// `HEAP_XMAX_LOCK_ONLY`: xmax, if valid, only locked the row.
    pub const XMAX_LOCK_ONLY: u16 = 0x0080;
    /// `HEAP_XMAX_SHR_LOCK`: both lock bits, a share locker.
    pub const XMAX_SHR_LOCK: u16 = XMAX_EXCL_LOCK | XMAX_KEYSHR_LOCK;
    /// `HEAP_XMIN_COMMITTED`: hint, xmin committed.
    pub const XMIN_COMMITTED: u16 = 0x0100;
    /// `HEAP_XMIN_INVALID`: hint, xmin aborted.
    pub const XMIN_INVALID: u16 = 0x0200;
    /// `HEAP_XMIN_FROZEN`: both xmin hints, the tuple is frozen (visible to all).
    pub const XMIN_FROZEN: u16 = XMIN_COMMITTED | XMIN_INVALID;
    /// `HEAP_XMAX_COMMITTED`: hint, xmax committed.
    pub const XMAX_COMMITTED: u16 = 0x0400;
    /// `HEAP_XMAX_INVALID`: hint, xmax invalid or aborted.
    pub const XMAX_INVALID: u16 = 0x0800;
    /// `HEAP_XMAX_IS_MULTI`: xmax is a multixact id.
    pub const XMAX_IS_MULTI: u16 = 0x1000;
    /// `HEAP_UPDATED`: the tuple is the new version of an update.
    pub const UPDATED: u16 = 0x2000;
    /// `HEAP_XMAX_LOCK_MASK`.
    pub const XMAX_LOCK_MASK: u16 = XMAX_SHR_LOCK | XMAX_EXCL_LOCK | XMAX_KEYSHR_LOCK;

    /// `HEAP_XMAX_IS_LOCKED_ONLY`: xmax only locked the row (explicit lock-only bit, or the
    /// pre-9.3 "exclusive lock without multi" encoding).
    pub fn xmax_is_locked_only(mask: u16) -> bool {
        mask & XMAX_LOCK_ONLY != 0 || mask & (XMAX_IS_MULTI | XMAX_LOCK_MASK) == XMAX_EXCL_LOCK
    }
}

/// The fields of a heap tuple header that visibility reads (`HeapTupleHeaderData` subset).
/// `cmin`/`cmax` are the command ids of the insert and delete (PostgreSQL packs them into
/// one combo command id; the heap layer resolves it before calling).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TupleHeaderView {
    /// Inserting transaction.
    pub xmin: Xid,
    /// Deleting or locking transaction, `Xid::INVALID` if none.
    pub xmax: Xid,
    /// Command id of the insert (meaningful to the inserting transaction only).
    pub cmin: CommandId,
    /// Command id of the delete (meaningful to the deleting transaction only).
    pub cmax: CommandId,
    /// [`infomask`] bits.
    pub infomask: u16,
}

/// The scanning transaction: its own xids and its current command.
#[derive(Clone, Copy, Debug)]
pub struct CurrentTransaction<'a> {
    /// The top-level xid and the xids of its live (not aborted) subtransactions; empty if
    /// none was assigned (`TransactionIdIsCurrentTransactionId`).
    pub xids: &'a [Xid],
    /// The current command id (`curcid`): changes of this command and later are invisible.
    pub curcid: CommandId,
}

impl CurrentTransaction<'_> {
    /// `TransactionIdIsCurrentTransactionId`.
    pub fn is_current(&self, xid: Xid) -> bool {
        xid.is_normal() && self.xids.contains(&xid)
    }
}

/// Where visibility looks up finished transactions' outcomes.
pub trait XidStatusLookup {
    /// The commit-log status of `xid`. Errors: as [`Clog::status`].
    fn xid_status(&self, xid: Xid) -> Result<XidStatus>;

    /// `TransactionIdDidCommit`: committed per the commit log. Sub-committed counts as not
    /// committed: without its parent's commit bit the subtransaction never committed.
    fn did_commit(&self, xid: Xid) -> Result<bool> {
        Ok(self.xid_status(xid)? == XidStatus::Committed)
    }

    /// True if a `*_COMMITTED` hint bit for committed `xid` may be set now: its commit
    /// record is flushed (`SetHintBits`). Defaults to true.
    fn commit_hint_allowed(&self, _xid: Xid) -> bool {
        true
    }
}

impl XidStatusLookup for Clog {
    fn xid_status(&self, xid: Xid) -> Result<XidStatus> {
        self.status(xid)
    }

    fn commit_hint_allowed(&self, xid: Xid) -> bool {
        Clog::commit_hint_allowed(self, xid)
    }
}

/// The answer of [`satisfies_mvcc`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MvccVerdict {
    /// True if the snapshot sees the tuple.
    pub visible: bool,
    /// [`infomask`] hint bits the caller may OR into the tuple's infomask (0 if none).
    pub hints: u16,
}

/// `HeapTupleSatisfiesMVCC`: is `tuple` visible to `snapshot` for the scanning transaction
/// `current`? Follows PostgreSQL's rules step by step (see the module header).
///
/// Errors: 0A000 (feature_not_supported) for a multixact xmax; commit-log lookup errors.
pub fn satisfies_mvcc(
    tuple: &TupleHeaderView,
    snapshot: &Snapshot,
    current: &CurrentTransaction<'_>,
    clog: &dyn XidStatusLookup,
) -> Result<MvccVerdict> {
    use infomask::*;
    let mask = tuple.infomask;
    let mut hints = 0u16;
    let verdict = |visible: bool, hints: u16| Ok(MvccVerdict { visible, hints });

    if mask & XMIN_COMMITTED == 0 {
        if mask & XMIN_INVALID != 0 {
            return verdict(false, 0);
        }
        if current.is_current(tuple.xmin) {
            if tuple.cmin >= current.curcid {
                return verdict(false, 0); // inserted after the scan started
            }
            if mask & XMAX_INVALID != 0 || xmax_is_locked_only(mask) {
                return verdict(true, 0);
            }
            if mask & XMAX_IS_MULTI != 0 {
                return Err(multixact_unsupported());
            }
            if !current.is_current(tuple.xmax) {
                // The deleting subtransaction aborted.
                return verdict(true, XMAX_INVALID);
            }
            return verdict(tuple.cmax >= current.curcid, 0);
        }
        if snapshot.xid_in_progress(tuple.xmin) {
            return verdict(false, 0);
        }
        if clog.did_commit(tuple.xmin)? {
            if clog.commit_hint_allowed(tuple.xmin) {
                hints |= XMIN_COMMITTED;
            }
        } else {
            // Aborted, or crashed while running.
            return verdict(false, XMIN_INVALID);
        }
    } else if mask & XMIN_FROZEN != XMIN_FROZEN && snapshot.xid_in_progress(tuple.xmin) {
        // Committed, but not yet when the snapshot was taken.
        return verdict(false, 0);
    }

    // The inserter committed, as far as this snapshot is concerned.
    if mask & XMAX_INVALID != 0 || tuple.xmax == Xid::INVALID {
        return verdict(true, hints);
    }
    if xmax_is_locked_only(mask) {
        return verdict(true, hints);
    }
    if mask & XMAX_IS_MULTI != 0 {
        return Err(multixact_unsupported());
    }
    if mask & XMAX_COMMITTED == 0 {
        if current.is_current(tuple.xmax) {
            return verdict(tuple.cmax >= current.curcid, hints);
        }
        if snapshot.xid_in_progress(tuple.xmax) {
            return verdict(true, hints);
        }
        if !clog.did_commit(tuple.xmax)? {
            return verdict(true, hints | XMAX_INVALID);
        }
        if clog.commit_hint_allowed(tuple.xmax) {
            hints |= XMAX_COMMITTED;
        }
    } else if snapshot.xid_in_progress(tuple.xmax) {
        return verdict(true, hints);
    }
    verdict(false, hints)
}

fn multixact_unsupported() -> tusk_types::Error {
    pg_err!(
        FEATURE_NOT_SUPPORTED,
        "multixact tuple lockers are not supported"
    )
}

#[cfg(test)]
mod tests {
    use super::infomask::*;
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<u32, XidStatus>);
    impl XidStatusLookup for Map {
        fn xid_status(&self, xid: Xid) -> Result<XidStatus> {
            Ok(*self.0.get(&xid.0).unwrap_or(&XidStatus::InProgress))
        }
    }

    fn clog() -> Map {
        Map(HashMap::from([
            (10, XidStatus::Committed),
            (11, XidStatus::Aborted),
            (12, XidStatus::Committed),
            (13, XidStatus::SubCommitted),
        ]))
    }

    fn snapshot(xip: &[u32]) -> Snapshot {
        Snapshot {
            xmin: Xid(10),
            xmax: Xid(30),
            xip: xip.iter().map(|&x| Xid(x)).collect(),
            subxip: Vec::new(),
            suboverflowed: false,
        }
    }

    fn tuple(xmin: u32, xmax: u32, infomask: u16) -> TupleHeaderView {
        TupleHeaderView {
            xmin: Xid(xmin),
            xmax: Xid(xmax),
            cmin: 0,
            cmax: 0,
            infomask,
        }
    }

    fn check(t: &TupleHeaderView, xip: &[u32], own: &[u32], curcid: CommandId) -> MvccVerdict {
        let xids: Vec<Xid> = own.iter().map(|&x| Xid(x)).collect();
        let cur = CurrentTransaction {
            xids: &xids,
            curcid,
        };
        satisfies_mvcc(t, &snapshot(xip), &cur, &clog()).expect("visibility")
    }

    #[test]
    fn committed_insert_is_visible_and_hinted() {
        let v = check(&tuple(10, 0, XMAX_INVALID), &[], &[], 0);
        assert_eq!(
            v,
            MvccVerdict {
                visible: true,
                hints: XMIN_COMMITTED
            }
        );
        let v = check(&tuple(10, 0, 0), &[], &[], 0);
        assert!(v.visible);
    }

    #[test]
    fn aborted_or_crashed_insert_is_invisible() {
        let v = check(&tuple(11, 0, 0), &[], &[], 0);
        assert_eq!(
            v,
            MvccVerdict {
                visible: false,
                hints: XMIN_INVALID
            }
        );
        // In progress in the clog but not running per the snapshot: crashed.
        let v = check(&tuple(20, 0, 0), &[], &[], 0);
        assert_eq!(
            v,
            MvccVerdict {
                visible: false,
                hints: XMIN_INVALID
            }
        );
        // Sub-committed without a committed parent.
        assert!(!check(&tuple(13, 0, 0), &[], &[], 0).visible);
        assert!(!check(&tuple(10, 0, XMIN_INVALID), &[], &[], 0).visible);
    }

    #[test]
    fn insert_running_for_the_snapshot_is_invisible_even_if_hinted() {
        assert!(!check(&tuple(12, 0, 0), &[12], &[], 0).visible);
        assert!(!check(&tuple(12, 0, XMIN_COMMITTED), &[12], &[], 0).visible);
        assert!(check(&tuple(12, 0, XMIN_FROZEN), &[12], &[], 0).visible);
        assert!(!check(&tuple(40, 0, 0), &[], &[], 0).visible);
    }

    #[test]
    fn own_insert_visible_only_to_later_commands() {
        let mut t = tuple(25, 0, XMAX_INVALID);
        t.cmin = 3;
        assert!(!check(&t, &[], &[25], 3).visible);
        assert!(check(&t, &[], &[25], 4).visible);
    }

    #[test]
    fn own_delete_hides_from_later_commands() {
        let mut t = tuple(25, 25, 0);
        t.cmin = 1;
        t.cmax = 2;
        assert!(check(&t, &[], &[25], 2).visible);
        assert!(!check(&t, &[], &[25], 3).visible);
        // Deleted by an aborted subtransaction (no longer among the current xids).
        let mut t = tuple(25, 26, 0);
        t.cmax = 2;
        assert_eq!(
            check(&t, &[], &[25], 3),
            MvccVerdict {
                visible: true,
                hints: XMAX_INVALID
            }
        );
        // Own delete of another transaction's row.
        let mut t = tuple(10, 25, XMIN_COMMITTED);
        t.cmax = 5;
        assert!(check(&t, &[], &[25], 5).visible);
        assert!(!check(&t, &[], &[25], 6).visible);
    }

    #[test]
    fn committed_delete_is_invisible_unless_in_snapshot() {
        let v = check(&tuple(10, 12, XMIN_COMMITTED), &[], &[], 0);
        assert_eq!(
            v,
            MvccVerdict {
                visible: false,
                hints: XMAX_COMMITTED
            }
        );
        assert!(check(&tuple(10, 12, XMIN_COMMITTED), &[12], &[], 0).visible);
        assert!(
            check(
                &tuple(10, 12, XMIN_COMMITTED | XMAX_COMMITTED),
                &[12],
                &[],
                0
            )
            .visible
        );
        assert!(!check(&tuple(10, 12, XMIN_COMMITTED | XMAX_COMMITTED), &[], &[], 0).visible);
    }

    #[test]
    fn aborted_and_lock_only_xmax_are_ignored() {
        let v = check(&tuple(10, 11, XMIN_COMMITTED), &[], &[], 0);
        assert_eq!(
            v,
            MvccVerdict {
                visible: true,
                hints: XMAX_INVALID
            }
        );
        assert!(check(&tuple(10, 12, XMIN_COMMITTED | XMAX_LOCK_ONLY), &[], &[], 0).visible);
        assert!(check(&tuple(10, 12, XMIN_COMMITTED | XMAX_EXCL_LOCK), &[], &[], 0).visible);
        assert!(check(&tuple(10, 20, XMIN_COMMITTED), &[20], &[], 0).visible);
    }

    #[test]
    fn multixact_xmax_is_unsupported() {
        let xids = [];
        let cur = CurrentTransaction {
            xids: &xids,
            curcid: 0,
        };
        let err = satisfies_mvcc(
            &tuple(10, 12, XMIN_COMMITTED | XMAX_IS_MULTI),
            &snapshot(&[]),
            &cur,
            &clog(),
        )
        .expect_err("multi");
        assert_eq!(err.code, tusk_types::SqlState::FEATURE_NOT_SUPPORTED);
    }
}
