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

/// Hands out transaction ids (PostgreSQL's `TransamVariables->nextXid`, 32 bits here).
#[derive(Debug)]
pub struct XidGenerator {
    next: Mutex<Xid>,
}

impl XidGenerator {
    /// A generator whose next xid is `next` (from the checkpoint record; a new cluster
    /// starts at [`Xid::FIRST_NORMAL`]). A special `next` is moved to `FIRST_NORMAL`.
    pub fn new(next: Xid) -> XidGenerator {
        XidGenerator {
            next: Mutex::new(if next.is_normal() {
                next
            } else {
                Xid::FIRST_NORMAL
            }),
        }
    }

    /// The next xid to assign (`ReadNextTransactionId`); the proc array's snapshot xmax and
    /// the checkpointer's `next_xid`.
    pub fn next_xid(&self) -> Xid {
        *self.next.lock()
    }

    /// Sets the next xid (startup from a checkpoint). A special xid becomes `FIRST_NORMAL`.
    pub fn set_next_xid(&self, next: Xid) {
        *self.next.lock() = if next.is_normal() {
            next
        } else {
            Xid::FIRST_NORMAL
        };
    }

    /// Moves the next xid past `seen` if it does not already follow it (redo of a record
    /// written by `seen`).
    pub fn advance_past(&self, seen: Xid) {
        if !seen.is_normal() {
            return;
        }
        let mut next = self.next.lock();
        if xid_follows_or_equals(seen, *next) {
            *next = xid_next(seen);
        }
    }

    /// Assigns a new xid (`GetNewTransactionId`), extending the commit log first (rule 2).
    /// The caller must publish it in the proc array before the next snapshot is taken by
    /// anyone who could see its effects; [`crate::ProcArray::assign_xid`] does both.
    ///
    /// Errors: commit-log I/O errors.
    pub fn assign(&self, clog: &Clog) -> Result<Xid> {
        let mut next = self.next.lock();
        let xid = *next;
        clog.extend(xid)?;
        *next = xid_next(xid);
        Ok(xid)
    }

    /// Assigns an xid while `publish` runs under the generator's lock, so that no snapshot
    /// can read a `next_xid` past `xid` before `xid` is visible as running.
    pub(crate) fn assign_with(&self, clog: &Clog, publish: impl FnOnce(Xid)) -> Result<Xid> {
        let mut next = self.next.lock();
        let xid = *next;
        clog.extend(xid)?;
        publish(xid);
        *next = xid_next(xid);
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
}
