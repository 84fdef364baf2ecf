//! Transaction id assignment (PostgreSQL's `varsup.c`, `GetNewTransactionId`).
//!
//! Invariants:
//! 1. `next_xid` is never a special xid: after 2^32 − 1 it wraps to
//!    [`Xid::FIRST_NORMAL`], skipping 0, 1 and 2.
//! 2. Before an xid is handed out, its commit-log page exists ([`Clog::extend`]), so a status
//!    can always be set for it.
//! 3. `next_xid` is persisted by the checkpointer ([`XidGenerator::next_xid`] into the
//!    checkpoint record) and restored at startup ([`XidGenerator::set_next_xid`]); redo
//!    advances it past every xid seen in WAL ([`XidGenerator::advance_past`]).
//! 4. The epoch (how many times `next_xid` wrapped) goes up by one each time `next_xid`
//!    wraps, by assignment or by redo, and is persisted beside it; together they are the
//!    64-bit full transaction id (`FullTransactionId`, the `xid8` values users see).
//!
//! Comparisons are circular (`TransactionIdPrecedes`): see [`xid_precedes_or_equals`],
//! [`xid_follows`] and [`xid_follows_or_equals`].
//!
//! Entry points: [`XidGenerator::new`], [`XidGenerator::assign`].

use parking_lot::Mutex;
use tusk_types::{Result, Xid};

use crate::clog::Clog;

/// The xid after `xid`, skipping the special xids (`TransactionIdAdvance`).
pub fn xid_next(xid: Xid) -> Xid {
    let next = xid.0.wrapping_add(1);
    if next < Xid::FIRST_NORMAL.0 {
        Xid::FIRST_NORMAL
    } else {
        Xid(next)
    }
}

/// `TransactionIdPrecedesOrEquals`.
pub fn xid_precedes_or_equals(a: Xid, b: Xid) -> bool {
    a == b || a.precedes(b)
}

/// `TransactionIdFollows`.
pub fn xid_follows(a: Xid, b: Xid) -> bool {
    b.precedes(a)
}

/// `TransactionIdFollowsOrEquals`.
pub fn xid_follows_or_equals(a: Xid, b: Xid) -> bool {
    a == b || b.precedes(a)
}

/// The 64-bit transaction id of `xid` (`FullTransactionIdFromAllowableAt`): `xid` with
/// the epoch it belongs to, given that `next` (a full xid) has not been assigned yet and
/// `xid` is no more than 2^31 xids older. Special xids (invalid, bootstrap, frozen) are
/// in epoch 0.
pub fn full_xid_of(next: u64, xid: Xid) -> u64 {
    if !xid.is_normal() {
        return u64::from(xid.0);
    }
    let next_epoch = (next >> 32) as u32;
    let next_xid = next as u32;
    let epoch = if xid.0 > next_xid {
        next_epoch.saturating_sub(1)
    } else {
        next_epoch
    };
    (u64::from(epoch) << 32) | u64::from(xid.0)
}

/// Hands out transaction ids (PostgreSQL's `TransamVariables->nextXid`): the 32-bit xid
/// stamped on tuples, with the epoch counting its wraparounds.
#[derive(Debug)]
pub struct XidGenerator {
    next: Mutex<Next>,
}

/// The next xid and its epoch.
#[derive(Debug, Clone, Copy)]
struct Next {
    epoch: u32,
    xid: Xid,
}

impl Next {
    /// Moves to the xid after `xid`, counting a wraparound into the epoch.
    fn advance_after(&mut self, xid: Xid) {
        let following = xid_next(xid);
        if following.0 < self.xid.0 {
            self.epoch = self.epoch.wrapping_add(1);
        }
        self.xid = following;
    }
}

fn normal_or_first(xid: Xid) -> Xid {
    if xid.is_normal() {
        xid
    } else {
        Xid::FIRST_NORMAL
    }
}

impl XidGenerator {
    /// A generator whose next xid is `next` in epoch 0 (a new cluster starts at
    /// [`Xid::FIRST_NORMAL`]). A special `next` is moved to `FIRST_NORMAL`.
    pub fn new(next: Xid) -> XidGenerator {
        XidGenerator::with_epoch(0, next)
    }

    /// A generator whose next xid is `next` in `epoch` (from the control file).
    pub fn with_epoch(epoch: u32, next: Xid) -> XidGenerator {
        XidGenerator {
            next: Mutex::new(Next {
                epoch,
                xid: normal_or_first(next),
            }),
        }
    }

    /// The next xid to assign (`ReadNextTransactionId`); the proc array's snapshot xmax and
    /// the checkpointer's `next_xid`.
    pub fn next_xid(&self) -> Xid {
        self.next.lock().xid
    }

    /// The next xid with its epoch (`ReadNextFullTransactionId`): epoch in the high 32
    /// bits, xid in the low ones.
    pub fn next_full_xid(&self) -> u64 {
        let next = *self.next.lock();
        (u64::from(next.epoch) << 32) | u64::from(next.xid.0)
    }

    /// Sets the next xid, keeping the epoch. A special xid becomes `FIRST_NORMAL`.
    pub fn set_next_xid(&self, next: Xid) {
        self.next.lock().xid = normal_or_first(next);
    }

    /// Moves the next xid past `seen` if it does not already follow it (redo of a record
    /// written by `seen`), counting a wraparound into the epoch.
    pub fn advance_past(&self, seen: Xid) {
        if !seen.is_normal() {
            return;
        }
        let mut next = self.next.lock();
        if xid_follows_or_equals(seen, next.xid) {
            next.advance_after(seen);
        }
    }

    /// Assigns a new xid (`GetNewTransactionId`), extending the commit log first (rule 2).
    /// The caller must publish it in the proc array before the next snapshot is taken by
    /// anyone who could see its effects; [`crate::ProcArray::assign_xid`] does both.
    ///
    /// Errors: commit-log I/O errors.
    pub fn assign(&self, clog: &Clog) -> Result<Xid> {
        let mut next = self.next.lock();
        let xid = next.xid;
        clog.extend(xid)?;
        next.advance_after(xid);
        Ok(xid)
    }

    /// Assigns an xid while `publish` runs under the generator's lock, so that no snapshot
    /// can read a `next_xid` past `xid` before `xid` is visible as running.
    pub(crate) fn assign_with(&self, clog: &Clog, publish: impl FnOnce(Xid)) -> Result<Xid> {
        let mut next = self.next.lock();
        let xid = next.xid;
        clog.extend(xid)?;
        publish(xid);
        next.advance_after(xid);
        Ok(xid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_skips_special_xids_at_wraparound() {
        assert_eq!(xid_next(Xid(u32::MAX)), Xid::FIRST_NORMAL);
        assert_eq!(xid_next(Xid(u32::MAX - 1)), Xid(u32::MAX));
        assert_eq!(xid_next(Xid(3)), Xid(4));
    }

    #[test]
    fn comparisons_are_circular_near_two_to_the_32() {
        let old = Xid(u32::MAX - 5);
        let new = Xid(10); // assigned after wrapping
        assert!(old.precedes(new));
        assert!(!new.precedes(old));
        assert!(xid_follows(new, old));
        assert!(xid_precedes_or_equals(old, old));
        assert!(xid_follows_or_equals(new, new));
        // Half the space away: 2^31 ahead is "in the past".
        let far = Xid(old.0.wrapping_add(1 << 31));
        assert!(far.precedes(old) || old.precedes(far));
        // Special xids precede every normal one.
        assert!(Xid::FROZEN.precedes(Xid(u32::MAX)));
        assert!(Xid::FROZEN.precedes(new));
    }

    #[test]
    fn advance_past_moves_only_forward() {
        let gen = XidGenerator::new(Xid(100));
        gen.advance_past(Xid(50));
        assert_eq!(gen.next_xid(), Xid(100));
        gen.advance_past(Xid(100));
        assert_eq!(gen.next_xid(), Xid(101));
        gen.set_next_xid(Xid(u32::MAX));
        gen.advance_past(Xid(u32::MAX));
        assert_eq!(gen.next_xid(), Xid::FIRST_NORMAL);
        gen.set_next_xid(Xid::INVALID);
        assert_eq!(gen.next_xid(), Xid::FIRST_NORMAL);
    }

    #[test]
    fn wraparound_counts_into_the_epoch() {
        let gen = XidGenerator::with_epoch(4, Xid(u32::MAX - 1));
        assert_eq!(gen.next_full_xid(), (4 << 32) | u64::from(u32::MAX - 1));
        gen.advance_past(Xid(u32::MAX - 1));
        assert_eq!(gen.next_full_xid() >> 32, 4);
        gen.advance_past(Xid(u32::MAX));
        assert_eq!(gen.next_full_xid(), (5 << 32) | 3);
        // A record from before the wrap does not move it back.
        gen.advance_past(Xid(u32::MAX - 10));
        assert_eq!(gen.next_full_xid(), (5 << 32) | 3);
    }

    #[test]
    fn full_xid_of_older_xids_takes_the_previous_epoch_across_a_wrap() {
        let next = (5u64 << 32) | 100;
        assert_eq!(full_xid_of(next, Xid(99)), (5 << 32) | 99);
        assert_eq!(
            full_xid_of(next, Xid(u32::MAX - 3)),
            (4 << 32) | u64::from(u32::MAX - 3)
        );
        assert_eq!(full_xid_of(next, Xid::FROZEN), 2);
        assert_eq!(full_xid_of(100, Xid(50)), 50);
    }
}
