//! The proc array (PostgreSQL's `procarray.c`): which transactions are running, for
//! snapshots and for the vacuum horizon.
//!
//! Rules (`src/backend/access/transam/README`, "Interlocking Transaction Begin, Transaction
//! End, and Snapshots"):
//! 1. An xid is published here before `next_xid` moves past it (assignment holds the xid
//!    generator's lock while publishing), so a snapshot whose `xmax` is past an xid either
//!    lists it as running or sees it finished.
//! 2. A transaction's commit-log status is set before it leaves the proc array
//!    ([`ProcArray::end_transaction`]), so a snapshot that does not list it finds its final
//!    status in the commit log.
//! 3. A backend's `xmin` is set by its first snapshot of a transaction and cleared at its
//!    end; [`ProcArray::global_xmin`] is the oldest xid any backend may still need.
//!
//! Lock order: xid generator, then proc array. Snapshots read `next_xid` first and release
//! that lock before locking the proc array.
//!
//! Entry points: [`ProcArray::assign_xid`], [`ProcArray::assign_subxid`],
//! [`ProcArray::snapshot`], [`ProcArray::end_transaction`], [`ProcArray::global_xmin`].

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use tusk_types::{Result, Xid};

use crate::clog::Clog;
use crate::snapshot::Snapshot;
use crate::xid::XidGenerator;

/// A backend's slot number (PostgreSQL's `BackendId` / `pgprocno`).
pub type BackendId = u32;

#[derive(Clone, Default, Debug)]
struct ProcEntry {
    /// Top-level xid, once assigned.
    xid: Option<Xid>,
    /// Oldest xid this backend's snapshots may consider running.
    xmin: Option<Xid>,
    /// Assigned subtransaction xids (not yet aborted).
    subxids: Vec<Xid>,
}

/// Running transactions by backend (`ProcArrayStruct` with each backend's `PGPROC`).
#[derive(Debug)]
pub struct ProcArray {
    xids: Arc<XidGenerator>,
    procs: Mutex<HashMap<BackendId, ProcEntry>>,
}

impl ProcArray {
    /// An empty proc array assigning xids from `xids`.
    pub fn new(xids: Arc<XidGenerator>) -> ProcArray {
        ProcArray {
            xids,
            procs: Mutex::new(HashMap::new()),
        }
    }

    /// The xid generator.
    pub fn xid_generator(&self) -> &Arc<XidGenerator> {
        &self.xids
    }

    /// The top-level xid of `backend`'s transaction, assigning one if it has none
    /// (`GetTopTransactionId`, rule 1).
    ///
    /// Errors: commit-log I/O errors.
    pub fn assign_xid(&self, backend: BackendId, clog: &Clog) -> Result<Xid> {
        if let Some(xid) = self.procs.lock().get(&backend).and_then(|p| p.xid) {
            return Ok(xid);
        }
        self.xids.assign_with(clog, |xid| {
            self.procs.lock().entry(backend).or_default().xid = Some(xid);
        })
    }

    /// Assigns a subtransaction xid to `backend` (`AssignTransactionId` for a
    /// subtransaction), assigning the top-level xid first if needed, as PostgreSQL does
    /// (a parent's xid precedes its children's).
    ///
    /// Errors: commit-log I/O errors.
    pub fn assign_subxid(&self, backend: BackendId, clog: &Clog) -> Result<Xid> {
        self.assign_xid(backend, clog)?;
        self.xids.assign_with(clog, |xid| {
            self.procs
                .lock()
                .entry(backend)
                .or_default()
                .subxids
                .push(xid);
        })
    }

    /// Forgets the subtransactions of `backend` listed in `subxids`, after their abort is
    /// recorded in the commit log (`XidCacheRemoveRunningXids`).
    pub fn remove_subxids(&self, backend: BackendId, subxids: &[Xid]) {
        if let Some(proc) = self.procs.lock().get_mut(&backend) {
            proc.subxids.retain(|x| !subxids.contains(x));
        }
    }

    /// The xids of `backend`'s transaction: top-level first, then live subtransactions
    /// (`TransactionIdIsCurrentTransactionId`'s set). Empty before an xid is assigned.
    pub fn current_xids(&self, backend: BackendId) -> Vec<Xid> {
        let procs = self.procs.lock();
        let Some(proc) = procs.get(&backend) else {
            return Vec::new();
        };
        proc.xid
            .into_iter()
            .chain(proc.subxids.iter().copied())
            .collect()
    }

    /// Takes a snapshot for `backend` (`GetSnapshotData`): `xmax` = the next xid, `xip` and
    /// `subxip` = the other backends' running xids, `xmin` = the oldest of those (or
    /// `xmax`). Sets the backend's xmin if it has none (rule 3), which holds back
    /// [`ProcArray::global_xmin`] until [`ProcArray::end_transaction`].
    pub fn snapshot(&self, backend: BackendId) -> Snapshot {
        let xmax = self.xids.next_xid();
        let mut procs = self.procs.lock();
        let mut xmin = xmax;
        let mut xip = Vec::new();
        let mut subxip = Vec::new();
        for (&id, proc) in procs.iter() {
            if id == backend {
                continue;
            }
            // Rule 1: an xid published after we read next_xid is at or past xmax and
            // counts as running anyway; leave it out of the lists.
            if let Some(xid) = proc.xid.filter(|x| x.precedes(xmax)) {
                if xid.precedes(xmin) {
                    xmin = xid;
                }
                xip.push(xid);
                subxip.extend(proc.subxids.iter().copied().filter(|x| x.precedes(xmax)));
            }
        }
        let own = procs.entry(backend).or_default();
        if own.xmin.is_none() {
            own.xmin = Some(xmin);
        }
        Snapshot {
            xmin,
            xmax,
            xip,
            subxip,
            suboverflowed: false,
        }
    }

    /// Ends `backend`'s transaction (`ProcArrayEndTransaction`): its xids, subxids and xmin
    /// are cleared. The caller has already set the commit-log status (rule 2).
    pub fn end_transaction(&self, backend: BackendId) {
        if let Some(proc) = self.procs.lock().get_mut(&backend) {
            *proc = ProcEntry::default();
        }
    }

    /// Removes `backend` entirely (session exit; `ProcArrayRemove`).
    pub fn remove(&self, backend: BackendId) {
        self.procs.lock().remove(&backend);
    }

    /// The vacuum horizon (`GetOldestNonRemovableTransactionId`): the oldest xid that is
    /// running or that some backend's snapshot may consider running; `next_xid` if none.
    /// Tuples deleted by a committed xid preceding it are dead to everyone.
    pub fn global_xmin(&self) -> Xid {
        let mut horizon = self.xids.next_xid();
        for proc in self.procs.lock().values() {
            for xid in proc.xid.into_iter().chain(proc.xmin) {
                if xid.precedes(horizon) {
                    horizon = xid;
                }
            }
        }
        horizon
    }

    /// `TransactionIdIsInProgress`: true if `xid` is a running top-level transaction or a
    /// live subtransaction of one (used to decide whether to wait for a row's locker or
    /// deleter, and by [`crate::satisfies_vacuum`]).
    pub fn is_running(&self, xid: Xid) -> bool {
        xid.is_normal()
            && self
                .procs
                .lock()
                .values()
                .any(|p| p.xid == Some(xid) || p.subxids.contains(&xid))
    }

    /// The backend running `xid` as its top-level transaction or a live subtransaction.
    pub fn backend_running(&self, xid: Xid) -> Option<BackendId> {
        if !xid.is_normal() {
            return None;
        }
        self.procs
            .lock()
            .iter()
            .find(|(_, p)| p.xid == Some(xid) || p.subxids.contains(&xid))
            .map(|(&id, _)| id)
    }

    /// The top-level xids currently running, in no particular order (for the standby's
    /// running-xacts record and for diagnostics).
    pub fn running_xids(&self) -> Vec<Xid> {
        self.procs.lock().values().filter_map(|p| p.xid).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clog::XidStatus;
    use std::path::Path;
    use tusk_io::MemVfs;

    fn setup(next: u32) -> (ProcArray, Clog) {
        let clog = Clog::open(Arc::new(MemVfs::new()), Path::new("/data"), None, 4).expect("clog");
        (ProcArray::new(Arc::new(XidGenerator::new(Xid(next)))), clog)
    }

    #[test]
    fn snapshot_lists_other_running_transactions() {
        let (procs, clog) = setup(100);
        let a = procs.assign_xid(1, &clog).expect("xid");
        let b = procs.assign_xid(2, &clog).expect("xid");
        let sub = procs.assign_subxid(2, &clog).expect("subxid");
        assert_eq!((a, b, sub), (Xid(100), Xid(101), Xid(102)));
        assert_eq!(procs.assign_xid(1, &clog).expect("same"), a);
        let s = procs.snapshot(3);
        assert_eq!(s.xmin, Xid(100));
        assert_eq!(s.xmax, Xid(103));
        let mut xip = s.xip.clone();
        xip.sort_by_key(|x| x.0);
        assert_eq!(xip, vec![a, b]);
        assert_eq!(s.subxip, vec![sub]);
        // Own xid is not listed.
        let own = procs.snapshot(1);
        assert_eq!(own.xip, vec![b]);
        assert_eq!(procs.current_xids(2), vec![b, sub]);
        assert!(procs.is_running(sub) && procs.is_running(a));
        procs.end_transaction(2);
        assert!(!procs.is_running(sub) && !procs.is_running(b));
    }

    #[test]
    fn global_xmin_is_held_back_by_snapshots_until_end() {
        let (procs, clog) = setup(50);
        let a = procs.assign_xid(1, &clog).expect("xid");
        let snap = procs.snapshot(2);
        assert_eq!(snap.xmin, a);
        procs.end_transaction(1);
        // Backend 2's snapshot still considers `a` running.
        assert_eq!(procs.global_xmin(), a);
        procs.end_transaction(2);
        assert_eq!(procs.global_xmin(), Xid(51));
        procs.remove(1);
        procs.remove(2);
        assert!(procs.running_xids().is_empty());
    }

    #[test]
    fn horizon_across_wraparound() {
        let (procs, clog) = setup(u32::MAX);
        let old = procs.assign_xid(1, &clog).expect("xid");
        let new = procs.assign_xid(2, &clog).expect("xid");
        assert_eq!((old, new), (Xid(u32::MAX), Xid::FIRST_NORMAL));
        assert_eq!(procs.global_xmin(), old);
        let s = procs.snapshot(3);
        assert_eq!((s.xmin, s.xmax), (old, Xid(4)));
        procs.end_transaction(1);
        procs.end_transaction(3);
        assert_eq!(procs.global_xmin(), new);
    }

    #[test]
    fn snapshot_never_misses_a_running_transaction_under_concurrency() {
        let (procs, clog) = setup(3);
        std::thread::scope(|scope| {
            for backend in 1..=2u32 {
                let (procs, clog) = (&procs, &clog);
                scope.spawn(move || {
                    for i in 0..2000 {
                        let xid = procs.assign_xid(backend, clog).expect("xid");
                        let status = if i % 3 == 0 {
                            XidStatus::Aborted
                        } else {
                            XidStatus::Committed
                        };
                        // Rule 2: status first, then leave the proc array.
                        clog.set_status(xid, status, tusk_types::Lsn::INVALID)
                            .expect("set");
                        procs.end_transaction(backend);
                    }
                });
            }
            for _ in 0..500 {
                let snap = procs.snapshot(99);
                let mut xid = snap.xmin;
                while xid.precedes(snap.xmax) {
                    if !snap.xip.contains(&xid) {
                        let status = clog.status(xid).expect("status");
                        assert_ne!(status, XidStatus::InProgress, "{xid} in {snap:?}");
                    }
                    xid = crate::xid::xid_next(xid);
                }
                procs.end_transaction(99);
            }
        });
        assert_eq!(procs.xid_generator().next_xid(), Xid(4003));
    }
}
