//! Transaction commit and abort (PostgreSQL's `RecordTransactionCommit` /
//! `RecordTransactionAbort` in `xact.c`) and their redo (`xact_redo`).
//!
//! Commit, in order (`src/backend/access/transam/README`, "Transaction Commit"):
//! 1. insert the XACT commit record ([`XactRecord`], info `COMMIT`) carrying the subxids;
//! 2. wait for it to be flushed as `synchronous_commit` says ([`Wal::commit_flush`]);
//! 3. set the commit-log bits with the record's end LSN as the page's group LSN, so the
//!    clog page cannot reach disk before the record (clog rule 1);
//! 4. the caller then leaves the proc array ([`crate::ProcArray::end_transaction`]).
//!
//! Abort writes an abort record without waiting for it (a lost abort record reads as
//! "crashed", which is also aborted) and sets the aborted bits.
//!
//! Redo sets the same bits from the records and moves `next_xid` past every replayed xid.
//!
//! Entry points: [`TransactionManager::commit`], [`TransactionManager::abort`],
//! [`redo_xact`], [`register_redo`].

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tusk_io::Clock;
use tusk_storage::RedoRegistry;
use tusk_types::{Lsn, Result, Xid};
use tusk_wal::{xact_info, DecodedRecord, RecordBuilder, RmgrId, SyncMode, Wal, XactRecord};

use crate::clog::{Clog, XidStatus};
use crate::xid::{xid_follows, XidGenerator};

/// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 00:00 UTC).
const POSTGRES_EPOCH_UNIX_MICROS: i64 = 946_684_800_000_000;

/// `TimestampTz` (microseconds since 2000-01-01 UTC) of a wall-clock time.
pub fn timestamp_tz(at: SystemTime) -> i64 {
    let unix = match at.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_micros() as i64,
        Err(e) => -(e.duration().as_micros() as i64),
    };
    unix - POSTGRES_EPOCH_UNIX_MICROS
}

/// Writes commit and abort records and records the outcome in the commit log.
pub struct TransactionManager {
    wal: Arc<Wal>,
    clog: Arc<Clog>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for TransactionManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactionManager").finish_non_exhaustive()
    }
}

impl TransactionManager {
    /// A manager logging to `wal`, recording outcomes in `clog` (which should flush to the
    /// same `wal`), stamping records with `clock`'s wall time.
    pub fn new(wal: Arc<Wal>, clog: Arc<Clog>, clock: Arc<dyn Clock>) -> TransactionManager {
        TransactionManager { wal, clog, clock }
    }

    /// The commit log.
    pub fn clog(&self) -> &Arc<Clog> {
        &self.clog
    }

    /// Commits `xid` with its committed subtransactions `subxids` with
    /// `synchronous_commit = on`; see [`TransactionManager::commit_with`].
    pub fn commit(&self, xid: Xid, subxids: &[Xid]) -> Result<Lsn> {
        self.commit_with(xid, subxids, SyncMode::On, &[])
    }

    /// Commits (steps 1–3 of the module header) and returns the commit record's end LSN.
    /// `drop_relations` are relation files to delete once the commit is durable (carried
    /// in the record for redo; the caller unlinks them). When `mode` waits for the flush,
    /// the commit is durable on return and may be acknowledged.
    ///
    /// Errors: WAL flush errors (the server must PANIC: the record may or may not be
    /// durable) and commit-log I/O errors.
    pub fn commit_with(
        &self,
        xid: Xid,
        subxids: &[Xid],
        mode: SyncMode,
        drop_relations: &[tusk_types::RelFileLocator],
    ) -> Result<Lsn> {
        let mut record = XactRecord::new(xid, timestamp_tz(self.clock.now()));
        record.subxacts = subxids.to_vec();
        record.drop_relations = drop_relations.to_vec();
        let end = self.wal.insert(
            &RecordBuilder::new(RmgrId::XACT, xact_info::COMMIT)
                .with_xid(xid)
                .with_main_data(record.encode()),
        );
        self.wal.commit_flush(end, mode)?;
        self.clog
            .set_tree_status(xid, subxids, XidStatus::Committed, end)?;
        Ok(end)
    }

    /// Aborts `xid` and its subtransactions `subxids` (all of them, aborted earlier or not),
    /// returning the abort record's end LSN. Not flushed (see the module header).
    ///
    /// Errors: commit-log I/O errors.
    pub fn abort(&self, xid: Xid, subxids: &[Xid]) -> Result<Lsn> {
        let mut record = XactRecord::new(xid, timestamp_tz(self.clock.now()));
        record.subxacts = subxids.to_vec();
        let end = self.wal.insert(
            &RecordBuilder::new(RmgrId::XACT, xact_info::ABORT)
                .with_xid(xid)
                .with_main_data(record.encode()),
        );
        self.clog
            .set_tree_status(xid, subxids, XidStatus::Aborted, Lsn::INVALID)?;
        Ok(end)
    }

    /// Aborts subtransactions only (`ROLLBACK TO SAVEPOINT`,
    /// `RecordTransactionAbort(isSubXact = true)`): an abort record naming `top` with the
    /// aborted `subxids`, which are marked aborted; `top` itself stays running.
    ///
    /// Errors: commit-log I/O errors.
    pub fn abort_subtransactions(&self, top: Xid, subxids: &[Xid]) -> Result<Lsn> {
        let Some((&first, rest)) = subxids.split_first() else {
            return Ok(Lsn::INVALID);
        };
        let mut record = XactRecord::new(first, timestamp_tz(self.clock.now()));
        record.subxacts = rest.to_vec();
        let end = self.wal.insert(
            &RecordBuilder::new(RmgrId::XACT, xact_info::ABORT)
                .with_xid(top)
                .with_main_data(record.encode()),
        );
        for &sub in subxids {
            self.clog
                .set_status(sub, XidStatus::Aborted, Lsn::INVALID)?;
        }
        Ok(end)
    }
}

/// Replays an XACT record (`xact_redo`): commit and abort records set the commit-log bits
/// of the transaction and its subtransactions, and move `xids` past them. Other XACT
/// records (prepare, assignment) only advance `xids`.
///
/// Errors: XX001 (data_corrupted) for a malformed payload; commit-log I/O errors.
pub fn redo_xact(clog: &Clog, xids: &XidGenerator, record: &DecodedRecord) -> Result<()> {
    xids.advance_past(record.xid);
    let status = match record.info & 0xF0 {
        xact_info::COMMIT | xact_info::COMMIT_PREPARED => XidStatus::Committed,
        xact_info::ABORT | xact_info::ABORT_PREPARED => XidStatus::Aborted,
        _ => return Ok(()),
    };
    let payload = XactRecord::decode(&record.main_data)?;
    let mut latest = payload.xid;
    for &sub in &payload.subxacts {
        if xid_follows(sub, latest) {
            latest = sub;
        }
    }
    xids.advance_past(latest);
    if payload.xid.is_normal() {
        clog.set_tree_status(payload.xid, &payload.subxacts, status, Lsn::INVALID)?;
    }
    Ok(())
}

/// Registers the XACT and CLOG redo routines with `registry`, replaying into `clog` (opened
/// without a WAL) and advancing `xids`.
pub fn register_redo(registry: &mut RedoRegistry, clog: Arc<Clog>, xids: Arc<XidGenerator>) {
    let xact_clog = Arc::clone(&clog);
    registry.register(RmgrId::XACT, move |_, record| {
        redo_xact(&xact_clog, &xids, record)
    });
    registry.register(RmgrId::CLOG, move |_, record| clog.redo(record));
}
