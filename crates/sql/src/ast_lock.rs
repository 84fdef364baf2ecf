//! Syntax tree of a SELECT's locking clauses: `FOR UPDATE`, `FOR NO KEY UPDATE`,
//! `FOR SHARE`, `FOR KEY SHARE`, each with an optional `OF table, ...` list and
//! `NOWAIT` or `SKIP LOCKED` (PostgreSQL's `LockingClause`).
//!
//! See also: `analyze/row_mark.rs` (which relations a clause locks), the executor's
//! `LockRows` operator, and the engine's `row_lock.rs` (the tuple lock itself).

use crate::ast::RangeVar;

/// How strongly a row is locked, weakest first (PostgreSQL's `LockClauseStrength`; the
/// tuple lock modes `LockTupleKeyShare` .. `LockTupleExclusive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowLockStrength {
    /// `FOR KEY SHARE`: blocks only changes of the key (DELETE, key-changing UPDATE,
    /// `FOR UPDATE`).
    KeyShare,
    /// `FOR SHARE`: blocks every change of the row and the two update locks.
    Share,
    /// `FOR NO KEY UPDATE` (also what a non-key UPDATE takes): blocks every lock but
    /// `FOR KEY SHARE`.
    NoKeyUpdate,
    /// `FOR UPDATE` (also what DELETE and a key-changing UPDATE take): blocks every
    /// other lock.
    Update,
}

impl RowLockStrength {
    /// The clause's words as PostgreSQL prints them in errors (`FOR NO KEY UPDATE`).
    pub fn clause_name(self) -> &'static str {
        match self {
            RowLockStrength::KeyShare => "FOR KEY SHARE",
            RowLockStrength::Share => "FOR SHARE",
            RowLockStrength::NoKeyUpdate => "FOR NO KEY UPDATE",
            RowLockStrength::Update => "FOR UPDATE",
        }
    }

    /// Whether two lockers (or a locker and a writer taking the lock an UPDATE or DELETE
    /// implies) of one row exclude each other: PostgreSQL's tuple lock conflict table
    /// (docs §13.3.2, "Conflicting Row-Level Locks").
    pub fn conflicts_with(self, other: RowLockStrength) -> bool {
        use RowLockStrength::*;
        match (self, other) {
            (KeyShare, Update) | (Update, KeyShare) => true,
            (KeyShare, _) | (_, KeyShare) => false,
            (Share, Share) => false,
            _ => true,
        }
    }
}

/// What to do when a row is locked by someone else, mildest first (PostgreSQL's
/// `LockWaitPolicy`; when clauses name a relation twice the strictest wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowLockWait {
    /// Wait for the other transaction to end.
    Block,
    /// `SKIP LOCKED`: leave the row out of the result.
    SkipLocked,
    /// `NOWAIT`: fail with 55P03.
    NoWait,
}

/// One `FOR ... [OF ...] [NOWAIT | SKIP LOCKED]` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct LockingClause {
    /// The strength.
    pub strength: RowLockStrength,
    /// `OF` names (empty: every relation of the FROM clause).
    pub relations: Vec<RangeVar>,
    /// The wait policy.
    pub wait: RowLockWait,
}

#[cfg(test)]
mod tests {
    use super::RowLockStrength::*;

    #[test]
    fn conflict_table_is_postgresqls() {
        // Rows: requested; columns: held (KeyShare, Share, NoKeyUpdate, Update).
        let table = [
            (KeyShare, [false, false, false, true]),
            (Share, [false, false, true, true]),
            (NoKeyUpdate, [false, true, true, true]),
            (Update, [true, true, true, true]),
        ];
        for (requested, row) in table {
            for (held, expected) in [KeyShare, Share, NoKeyUpdate, Update].into_iter().zip(row) {
                assert_eq!(
                    requested.conflicts_with(held),
                    expected,
                    "{requested:?} vs {held:?}"
                );
                assert_eq!(held.conflicts_with(requested), expected);
            }
        }
    }
}
