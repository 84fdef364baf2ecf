//! Converts pg_query's `LockingClause` nodes into [`crate::ast_lock::LockingClause`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast_lock::{LockingClause, RowLockStrength, RowLockWait};
use crate::convert::range_var;

/// The locking clauses of a SELECT, in order.
///
/// Errors: XX000 for a clause pg_query left without a strength.
pub(crate) fn locking_clauses(nodes: &[pb::Node]) -> Result<Vec<LockingClause>> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        let Some(NodeEnum::LockingClause(c)) = node.node.as_ref() else {
            return Err(Error::internal("unexpected node in a locking clause list"));
        };
        let strength = match pb::LockClauseStrength::from_i32(c.strength) {
            Some(pb::LockClauseStrength::LcsForkeyshare) => RowLockStrength::KeyShare,
            Some(pb::LockClauseStrength::LcsForshare) => RowLockStrength::Share,
            Some(pb::LockClauseStrength::LcsFornokeyupdate) => RowLockStrength::NoKeyUpdate,
            Some(pb::LockClauseStrength::LcsForupdate) => RowLockStrength::Update,
            _ => return Err(Error::internal("locking clause without a strength")),
        };
        let wait = match pb::LockWaitPolicy::from_i32(c.wait_policy) {
            Some(pb::LockWaitPolicy::LockWaitSkip) => RowLockWait::SkipLocked,
            Some(pb::LockWaitPolicy::LockWaitError) => RowLockWait::NoWait,
            _ => RowLockWait::Block,
        };
        let relations = c
            .locked_rels
            .iter()
            .filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::RangeVar(rv)) => Some(range_var(rv)),
                _ => None,
            })
            .collect();
        out.push(LockingClause {
            strength,
            relations,
            wait,
        });
    }
    Ok(out)
}
