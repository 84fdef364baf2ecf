//! Tuple liveness for vacuum and pruning (PostgreSQL's `HeapTupleSatisfiesVacuum` in
//! `heapam_visibility.c`; docs 25.1 "Routine Vacuuming").
//!
//! Unlike MVCC visibility this asks about everyone, not one snapshot: a tuple whose deleter
//! committed before the horizon ([`crate::ProcArray::global_xmin`]) is dead to every
//! current and future snapshot and may be removed.
//!
//! Entry points: [`satisfies_vacuum`], [`VacuumVerdict`].

use tusk_types::{pg_err, Result, Xid};

use crate::clog::XidStatus;
use crate::visibility::{infomask, TupleHeaderView, XidStatusLookup};

/// The answer of [`satisfies_vacuum`] (`HTSV_Result`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VacuumVerdict {
    /// `HEAPTUPLE_DEAD`: invisible to everyone; may be removed.
    Dead,
    /// `HEAPTUPLE_LIVE`: visible to everyone who can see committed data.
    Live,
    /// `HEAPTUPLE_RECENTLY_DEAD`: deleted by a committed transaction some snapshot may
    /// still not see; keep it.
    RecentlyDead,
    /// `HEAPTUPLE_INSERT_IN_PROGRESS`: the inserter is still running.
    InsertInProgress,
    /// `HEAPTUPLE_DELETE_IN_PROGRESS`: the deleter is still running.
    DeleteInProgress,
}

/// `HeapTupleSatisfiesVacuum`: the liveness of `tuple` given the horizon `oldest_xmin` and
/// `running` (`TransactionIdIsInProgress`, e.g. [`crate::ProcArray::is_running`]). Returns
/// the verdict and the hint bits the caller may set, as [`crate::satisfies_mvcc`] does.
///
/// Errors: 0A000 (feature_not_supported) for a multixact xmax; commit-log lookup errors.
pub fn satisfies_vacuum(
    tuple: &TupleHeaderView,
    oldest_xmin: Xid,
    running: &dyn Fn(Xid) -> bool,
    clog: &dyn XidStatusLookup,
) -> Result<(VacuumVerdict, u16)> {
    use infomask::*;
    let mask = tuple.infomask;
    let mut hints = 0u16;

    if mask & XMIN_COMMITTED == 0 {
        if mask & XMIN_INVALID != 0 {
            return Ok((VacuumVerdict::Dead, 0));
        }
        if running(tuple.xmin) {
            let verdict = if mask & XMAX_INVALID != 0
                || tuple.xmax == Xid::INVALID
                || xmax_is_locked_only(mask)
                || tuple.xmax != tuple.xmin
            {
                VacuumVerdict::InsertInProgress
            } else {
                VacuumVerdict::DeleteInProgress
            };
            return Ok((verdict, 0));
        }
        if clog.did_commit(tuple.xmin)? {
            if clog.commit_hint_allowed(tuple.xmin) {
                hints |= XMIN_COMMITTED;
            }
        } else {
            // Aborted, or crashed while running.
            return Ok((VacuumVerdict::Dead, XMIN_INVALID));
        }
    }

    // The inserter committed.
    if mask & XMAX_INVALID != 0 || tuple.xmax == Xid::INVALID {
        return Ok((VacuumVerdict::Live, hints));
    }
    if mask & XMAX_IS_MULTI != 0 {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "multixact tuple lockers are not supported"
        ));
    }
    if xmax_is_locked_only(mask) {
        if mask & XMAX_COMMITTED == 0 && !running(tuple.xmax) {
            // The locker is gone: the lock no longer matters.
            hints |= XMAX_INVALID;
        }
        return Ok((VacuumVerdict::Live, hints));
    }
    if mask & XMAX_COMMITTED == 0 {
        if running(tuple.xmax) {
            return Ok((VacuumVerdict::DeleteInProgress, hints));
        }
        if clog.xid_status(tuple.xmax)? != XidStatus::Committed {
            // The deleter aborted or crashed.
            return Ok((VacuumVerdict::Live, hints | XMAX_INVALID));
        }
        if clog.commit_hint_allowed(tuple.xmax) {
            hints |= XMAX_COMMITTED;
        }
    }
    // The deleter committed: dead once no snapshot can still see the tuple.
    if tuple.xmax.precedes(oldest_xmin) {
        Ok((VacuumVerdict::Dead, hints))
    } else {
        Ok((VacuumVerdict::RecentlyDead, hints))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infomask::*;
    use std::collections::HashMap;

    struct Map(HashMap<u32, XidStatus>);
    impl XidStatusLookup for Map {
        fn xid_status(&self, xid: Xid) -> Result<XidStatus> {
            Ok(*self.0.get(&xid.0).unwrap_or(&XidStatus::InProgress))
        }
    }

    fn verdict(xmin: u32, xmax: u32, mask: u16, horizon: u32) -> (VacuumVerdict, u16) {
        let clog = Map(HashMap::from([
            (10, XidStatus::Committed),
            (11, XidStatus::Aborted),
            (20, XidStatus::Committed),
        ]));
        let tuple = TupleHeaderView {
            xmin: Xid(xmin),
            xmax: Xid(xmax),
            cmin: 0,
            cmax: 0,
            infomask: mask,
        };
        let running = |xid: Xid| xid == Xid(30);
        satisfies_vacuum(&tuple, Xid(horizon), &running, &clog).expect("vacuum")
    }

    #[test]
    fn live_dead_and_recently_dead() {
        assert_eq!(
            verdict(10, 0, XMAX_INVALID, 25),
            (VacuumVerdict::Live, XMIN_COMMITTED)
        );
        assert_eq!(verdict(11, 0, 0, 25), (VacuumVerdict::Dead, XMIN_INVALID));
        assert_eq!(
            verdict(12, 0, 0, 25),
            (VacuumVerdict::Dead, XMIN_INVALID),
            "crashed"
        );
        assert_eq!(
            verdict(10, 20, XMIN_COMMITTED, 25),
            (VacuumVerdict::Dead, XMAX_COMMITTED)
        );
        assert_eq!(
            verdict(10, 20, XMIN_COMMITTED, 15),
            (VacuumVerdict::RecentlyDead, XMAX_COMMITTED)
        );
        assert_eq!(
            verdict(10, 11, XMIN_COMMITTED, 25),
            (VacuumVerdict::Live, XMAX_INVALID)
        );
    }

    #[test]
    fn running_inserters_deleters_and_lockers() {
        assert_eq!(
            verdict(30, 0, XMAX_INVALID, 25).0,
            VacuumVerdict::InsertInProgress
        );
        assert_eq!(verdict(30, 30, 0, 25).0, VacuumVerdict::DeleteInProgress);
        assert_eq!(
            verdict(10, 30, XMIN_COMMITTED, 25).0,
            VacuumVerdict::DeleteInProgress
        );
        assert_eq!(
            verdict(10, 30, XMIN_COMMITTED | XMAX_LOCK_ONLY, 25),
            (VacuumVerdict::Live, 0)
        );
        assert_eq!(
            verdict(10, 20, XMIN_COMMITTED | XMAX_LOCK_ONLY, 25),
            (VacuumVerdict::Live, XMAX_INVALID)
        );
    }
}
