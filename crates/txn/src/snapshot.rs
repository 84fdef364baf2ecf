//! MVCC snapshots (PostgreSQL's `SnapshotData` for `SNAPSHOT_MVCC`, docs 13.2 "Transaction
//! Isolation"): which transactions' effects a statement or transaction may see.
//!
//! ```text
//!        committed before ◄── xmin ── [ xip / subxip: running ] ── xmax ──► not yet started
//!   xid < xmin: finished (look it up in the clog);   xid >= xmax: in progress (invisible);
//!   xmin <= xid < xmax: in progress iff listed in xip or subxip, else finished.
//! ```
//!
//! Entry points: [`Snapshot::xid_in_progress`]; snapshots are made by
//! [`crate::ProcArray::snapshot`].

use tusk_types::Xid;

use crate::xid::xid_follows_or_equals;

/// An MVCC snapshot (`SnapshotData`).
///
/// Invariants: `xmin` precedes or equals `xmax`; every xid in `xip` and `subxip` lies in
/// `[xmin, xmax)` (circularly); the owning transaction's own xids are not listed (its own
/// changes are judged by command id instead).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Snapshot {
    /// Every xid before this one had finished when the snapshot was taken (`xmin`).
    pub xmin: Xid,
    /// The first xid not yet assigned when the snapshot was taken (`xmax`): it and later
    /// xids are invisible.
    pub xmax: Xid,
    /// Top-level xids running when the snapshot was taken (`xip`), unsorted.
    pub xip: Vec<Xid>,
    /// Subtransaction xids of running transactions (`subxip`).
    pub subxip: Vec<Xid>,
    /// True if a backend's subxid cache overflowed (`suboverflowed`); never set by this
    /// proc array, which keeps every subxid.
    pub suboverflowed: bool,
}

impl Snapshot {
    /// `XidInMVCCSnapshot`: true if `xid` must be treated as still running (so its effects
    /// are invisible) for this snapshot, whatever the commit log says now. Special xids
    /// (frozen, bootstrap, invalid) are never in progress.
    pub fn xid_in_progress(&self, xid: Xid) -> bool {
        if !xid.is_normal() {
            return false;
        }
        if xid.precedes(self.xmin) {
            return false;
        }
        if xid_follows_or_equals(xid, self.xmax) {
            return true;
        }
        self.xip.contains(&xid) || self.subxip.contains(&xid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(xmin: u32, xmax: u32, xip: &[u32]) -> Snapshot {
        Snapshot {
            xmin: Xid(xmin),
            xmax: Xid(xmax),
            xip: xip.iter().map(|&x| Xid(x)).collect(),
            subxip: Vec::new(),
            suboverflowed: false,
        }
    }

    #[test]
    fn in_progress_follows_the_three_ranges() {
        let s = snap(100, 110, &[100, 105]);
        assert!(!s.xid_in_progress(Xid(99)));
        assert!(s.xid_in_progress(Xid(100)));
        assert!(!s.xid_in_progress(Xid(101)));
        assert!(s.xid_in_progress(Xid(105)));
        assert!(s.xid_in_progress(Xid(110)));
        assert!(s.xid_in_progress(Xid(5000)));
        assert!(!s.xid_in_progress(Xid::FROZEN));
    }

    #[test]
    fn in_progress_across_wraparound() {
        let s = snap(u32::MAX - 2, 5, &[u32::MAX - 2, 4]);
        assert!(s.xid_in_progress(Xid(u32::MAX - 2)));
        assert!(!s.xid_in_progress(Xid(u32::MAX)));
        assert!(!s.xid_in_progress(Xid(3)));
        assert!(s.xid_in_progress(Xid(4)));
        assert!(s.xid_in_progress(Xid(5)));
        assert!(!s.xid_in_progress(Xid(u32::MAX - 3)));
    }

    #[test]
    fn subtransactions_count_as_running() {
        let mut s = snap(10, 20, &[12]);
        s.subxip.push(Xid(15));
        assert!(s.xid_in_progress(Xid(15)));
        assert!(!s.xid_in_progress(Xid(16)));
    }
}
