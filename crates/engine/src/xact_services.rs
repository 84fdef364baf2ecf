//! The cluster-wide transaction services every backend shares: the commit log, the proc
//! array with its xid generator, commit/abort records, the OID counter, and the wait for a
//! transaction to end (PostgreSQL's `XactLockTableWait`).
//!
//! OIDs (PostgreSQL's `GetNewObjectId`): assigned from a counter starting at
//! `FirstNormalObjectId` (16384) and wrapping back to it; every 8192 OIDs a `NEXTOID` record
//! is logged ahead of use, so that after a crash the counter resumes past every OID that may
//! have been handed out. Checkpoints record the logged limit.
//!
//! Waiting: a backend that finds a row changed by a transaction still running waits on one
//! condition variable signalled at every transaction end, re-checking whether that xid
//! still runs; cancellation is checked between waits. Deadlocks between waiting backends
//! are found by following "waits for xid → backend running it → waits for ..." chains
//! (PostgreSQL's deadlock detector, on transaction waits only) after `deadlock_timeout`.
//!
//! Entry points: [`XactServices`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use tusk_catalog::syscat::FIRST_NORMAL_OBJECT_ID;
use tusk_txn::{BackendId, Clog, ProcArray, TransactionManager, XidGenerator};
use tusk_types::{pg_err, Oid, Result, Xid};
use tusk_wal::{xlog_info, RecordBuilder, RmgrId, Wal};

/// OIDs logged ahead by one `NEXTOID` record (PostgreSQL's `VAR_OID_PREFETCH`).
const OID_PREFETCH: u32 = 8192;

/// The OID counter (see the module header).
#[derive(Debug)]
pub struct OidCounter {
    /// (next OID to hand out, first OID not covered by a logged `NEXTOID` record).
    state: Mutex<(u32, u32)>,
}

impl OidCounter {
    /// A counter resuming at `next` (from the control file), nothing logged ahead yet.
    pub fn new(next: Oid) -> OidCounter {
        let next = next.0.max(FIRST_NORMAL_OBJECT_ID);
        OidCounter {
            state: Mutex::new((next, next)),
        }
    }

    /// A new OID, logging a `NEXTOID` record to `wal` first when the logged range is used up.
    pub fn next_oid(&self, wal: &Wal) -> Oid {
        let mut state = self.state.lock();
        if state.0 < FIRST_NORMAL_OBJECT_ID {
            // Wrapped around: user OIDs never go below FirstNormalObjectId.
            *state = (FIRST_NORMAL_OBJECT_ID, FIRST_NORMAL_OBJECT_ID);
        }
        if state.0 == state.1 {
            let limit = state.0.wrapping_add(OID_PREFETCH);
            wal.insert(
                &RecordBuilder::new(RmgrId::XLOG, xlog_info::NEXTOID)
                    .with_main_data(limit.to_le_bytes().to_vec()),
            );
            state.1 = limit;
        }
        let oid = state.0;
        state.0 = state.0.wrapping_add(1);
        Oid(oid)
    }

    /// Moves the counter to at least `next` (redo of `NEXTOID` records).
    pub fn advance_to(&self, next: u32) {
        let mut state = self.state.lock();
        if next > state.0 {
            *state = (next, next);
        }
    }

    /// What a checkpoint records: no OID below it was handed out.
    pub fn checkpoint_value(&self) -> Oid {
        let state = self.state.lock();
        Oid(state.0.max(state.1))
    }
}

/// Shared transaction state of a running cluster.
pub struct XactServices {
    /// The commit log (`pg_xact`).
    pub clog: Arc<Clog>,
    /// Running transactions and snapshots.
    pub procarray: ProcArray,
    /// Commit and abort records.
    pub manager: TransactionManager,
    /// OID assignment.
    pub oids: OidCounter,
    ended: Mutex<u64>,
    ended_cv: Condvar,
    /// Backend → the xid it waits for.
    waits: Mutex<HashMap<BackendId, Xid>>,
    /// Bumped by every commit that changed catalogs (relation caches compare it).
    pub catalog_generation: std::sync::atomic::AtomicU64,
    /// Table-level locks.
    pub locks: crate::lock::LockManager,
    /// Row-level locks (`row_lock.rs`).
    pub row_locks: crate::row_lock::RowLockTable,
    /// Cumulative statistics, added to as transactions end (`pgstat.rs`).
    pub stats: crate::pgstat::StatsStore,
}

impl std::fmt::Debug for XactServices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XactServices").finish_non_exhaustive()
    }
}

impl XactServices {
    /// Services over `clog` (with the WAL attached), xids from `xids`, OIDs from `next_oid`.
    pub fn new(
        clog: Arc<Clog>,
        xids: Arc<XidGenerator>,
        manager: TransactionManager,
        next_oid: Oid,
    ) -> XactServices {
        XactServices {
            clog,
            procarray: ProcArray::new(xids),
            manager,
            oids: OidCounter::new(next_oid),
            ended: Mutex::new(0),
            ended_cv: Condvar::new(),
            waits: Mutex::new(HashMap::new()),
            catalog_generation: std::sync::atomic::AtomicU64::new(0),
            locks: crate::lock::LockManager::new(),
            row_locks: crate::row_lock::RowLockTable::new(),
            stats: crate::pgstat::StatsStore::default(),
        }
    }

    /// Ends `backend`'s transaction in the proc array and wakes every waiter.
    pub fn end_transaction(&self, backend: BackendId) {
        self.procarray.end_transaction(backend);
        self.row_locks.release_backend(backend);
        *self.ended.lock() += 1;
        self.ended_cv.notify_all();
    }

    /// Waits until `xid` is no longer running (`XactLockTableWait`). `check_interrupts`
    /// runs between waits (cancel, statement timeout); after `deadlock_timeout` the wait
    /// graph is checked for a cycle through `backend`.
    ///
    /// Errors: 40P01 `deadlock detected` with PostgreSQL's DETAIL; whatever
    /// `check_interrupts` returns.
    pub fn wait_for(
        &self,
        backend: BackendId,
        backend_pid: impl Fn(BackendId) -> i32,
        xid: Xid,
        deadlock_timeout: Duration,
        check_interrupts: &dyn Fn() -> Result<()>,
    ) -> Result<()> {
        self.waits.lock().insert(backend, xid);
        let started = Instant::now();
        let mut checked = false;
        let result = loop {
            let mut ended = self.ended.lock();
            if !self.procarray.is_running(xid) {
                break Ok(());
            }
            self.ended_cv
                .wait_for(&mut ended, Duration::from_millis(50));
            drop(ended);
            if let Err(e) = check_interrupts() {
                break Err(e);
            }
            if !checked && started.elapsed() >= deadlock_timeout {
                checked = true;
                if let Some(cycle) = self.find_cycle(backend) {
                    let detail = cycle
                        .iter()
                        .map(|(waiter, xid, holder)| {
                            format!(
                                "Process {} waits for ShareLock on transaction {}; blocked by process {}.",
                                backend_pid(*waiter),
                                xid.0,
                                backend_pid(*holder)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    break Err(pg_err!(T_R_DEADLOCK_DETECTED, "deadlock detected")
                        .detail(detail)
                        .hint("See server log for query details."));
                }
            }
        };
        self.waits.lock().remove(&backend);
        result
    }

    /// A cycle of waits through `start`: (waiter, awaited xid, backend running it) edges.
    /// Finding one removes `start` from the wait graph in the same critical section, so
    /// of two backends checking at once only one is chosen.
    fn find_cycle(&self, start: BackendId) -> Option<Vec<(BackendId, Xid, BackendId)>> {
        let mut waits = self.waits.lock();
        let mut path = Vec::new();
        let mut at = start;
        for _ in 0..=waits.len() {
            let xid = *waits.get(&at)?;
            let holder = self.procarray.backend_running(xid)?;
            path.push((at, xid, holder));
            if holder == start {
                waits.remove(&start);
                return Some(path);
            }
            at = holder;
        }
        None
    }
}
