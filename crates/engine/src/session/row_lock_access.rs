//! `SELECT ... FOR UPDATE/SHARE` for one statement: the executor's
//! [`tusk_executor::TableAccess::lock_row`] over `row_lock.rs`, following a row updated
//! by a committed transaction to its newest version (READ COMMITTED's EvalPlanQual
//! fetch) and locking that.
//!
//! Rules: the relation is locked `ROW SHARE` first (PostgreSQL's lock for relations with
//! row marks); a read-only transaction refuses (25006), as PostgreSQL's
//! `PreventCommandIfReadOnly("SELECT FOR UPDATE")` does.

use tusk_executor::RowLockResult;
use tusk_sql::ast_lock::{RowLockStrength, RowLockWait};
use tusk_types::{pg_err, ItemPointer, Oid, Result};

use super::tables::SessionTables;
use crate::heap::newest_version;
use crate::lock::LockMode;
use crate::row_lock::LockOutcome;

impl SessionTables<'_> {
    /// See [`tusk_executor::TableAccess::lock_row`].
    pub(super) fn lock_row_version(
        &self,
        rel: Oid,
        name: &str,
        mut tid: ItemPointer,
        strength: RowLockStrength,
        wait: RowLockWait,
    ) -> Result<RowLockResult> {
        if self.read_only {
            return Err(pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute SELECT {} in a read-only transaction",
                strength.clause_name()
            ));
        }
        (self.locker)(rel, LockMode::RowShare)?;
        let entry = self.entry(rel)?;
        if entry.info.kind != b'r' {
            let noun = match entry.info.kind {
                b'm' => "materialized view",
                _ => "relation",
            };
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot lock rows in {} \"{}\"",
                noun,
                entry.info.name
            ));
        }
        let mut newer = None;
        loop {
            let outcome = self.with_writer(|w| {
                w.lock_tuple(&entry.heap, name, tid, strength, wait, self.pid_of)
            })?;
            match outcome {
                LockOutcome::Locked => return Ok(RowLockResult::Locked { tid, newer }),
                LockOutcome::Skipped => return Ok(RowLockResult::Skipped),
                LockOutcome::Deleted => return Ok(RowLockResult::Deleted),
                LockOutcome::Updated(next) => {
                    match newest_version(&entry.heap, &entry.attrs, &self.cluster.xact.clog, next)?
                    {
                        Some((newest, row)) => {
                            tid = newest;
                            newer = Some(row);
                        }
                        None => return Ok(RowLockResult::Deleted),
                    }
                }
            }
        }
    }
}
