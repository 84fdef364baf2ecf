//! Checkpoints and crash-recovery startup: the layer that sees both the WAL and the buffer pool
//! (PostgreSQL's `CreateCheckPoint` and the start of `StartupXLOG`).
//!
//! A checkpoint (buffer rule 9):
//! 1. notes the redo point: where the next WAL record will start. From here on, the first
//!    change of each page carries a full-page image (buffer rule 8, [`Checkpointer::redo_lsn`]);
//! 2. writes every dirty buffer (`BufferPool::flush_all`, each write after its WAL flush) and
//!    syncs the relation files (`Smgr::sync_all`);
//! 3. inserts the checkpoint record (XLOG `CHECKPOINT_ONLINE` / `CHECKPOINT_SHUTDOWN`,
//!    payload `tusk_wal::CheckPoint`) and flushes the WAL through it;
//! 4. rewrites the control file atomically with the record's location and redo point;
//! 5. removes or recycles WAL segments before the redo point.
//!
//! A crash anywhere before step 4 leaves the previous checkpoint in force, and its redo point
//! still has all the WAL it needs. Recovery ([`recover`]) reads the control file, replays from
//! its redo point to the end of valid WAL, and returns where WAL ends; the caller then opens
//! the WAL there, installs it as the pool's flusher and runs an
//! [`CheckpointKind::EndOfRecovery`] checkpoint.
//!
//! Entry points: [`Checkpointer::checkpoint`], [`recover`]. See also `recovery` (the replay
//! loop) and `docs/design/buffer.md`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use parking_lot::{Mutex, RwLock};
use tusk_io::{Clock, Vfs};
use tusk_types::{Lsn, Oid, Result, Xid};
use tusk_wal::{
    xlog_info, CheckPoint, ControlFile, DbState, RecordBuilder, RmgrId, Wal, WalReader,
};

use crate::buffer::{BufferPool, NoWalFlush};
use crate::recovery::{apply_record, RedoRegistry};

/// What kind of checkpoint to take.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CheckpointKind {
    /// At shutdown: nothing else writes WAL; the control file says "shut down", so the next
    /// start needs no replay.
    Shutdown,
    /// While running (timed, requested, or `CHECKPOINT`): other backends keep writing WAL.
    Online,
    /// Right after crash recovery, before backends start: like `Shutdown` (redo point = the
    /// record itself) but the cluster goes on "in production".
    EndOfRecovery,
}

/// Transaction and OID counters recorded in each checkpoint, kept up to date by the
/// transaction layer through [`Checkpointer::set_counters`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CheckpointCounters {
    /// Next transaction id to assign.
    pub next_xid: Xid,
    /// Next OID to assign.
    pub next_oid: Oid,
    /// Oldest unfrozen xid in the cluster.
    pub oldest_xid: Xid,
    /// Database holding `oldest_xid`.
    pub oldest_xid_db: Oid,
    /// Oldest xid still running (for standbys).
    pub oldest_active_xid: Xid,
}

/// Takes checkpoints of one cluster. One checkpoint runs at a time.
pub struct Checkpointer {
    vfs: Arc<dyn Vfs>,
    datadir: PathBuf,
    wal: Arc<Wal>,
    pool: Arc<BufferPool>,
    clock: Arc<dyn Clock>,
    control: Mutex<ControlFile>,
    counters: Mutex<CheckpointCounters>,
    redo: AtomicU64,
    /// Held shared from a record's full-page-image decision to its insertion, exclusively
    /// while the redo pointer moves (buffer rule 8).
    redo_lock: RwLock<()>,
}

impl std::fmt::Debug for Checkpointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkpointer")
            .field("datadir", &self.datadir)
            .field("redo", &self.redo_lsn())
            .finish_non_exhaustive()
    }
}

impl Checkpointer {
    /// A checkpointer starting from the control file `control` (as read at startup, or
    /// written by initdb).
    pub fn new(
        vfs: Arc<dyn Vfs>,
        datadir: impl Into<PathBuf>,
        wal: Arc<Wal>,
        pool: Arc<BufferPool>,
        clock: Arc<dyn Clock>,
        control: ControlFile,
    ) -> Checkpointer {
        let counters = CheckpointCounters {
            next_xid: control.next_xid,
            next_oid: control.next_oid,
            oldest_xid: control.oldest_xid,
            oldest_xid_db: Oid::INVALID,
            oldest_active_xid: Xid::INVALID,
        };
        Checkpointer {
            vfs,
            datadir: datadir.into(),
            wal,
            pool,
            clock,
            redo: AtomicU64::new(control.redo.0),
            control: Mutex::new(control),
            counters: Mutex::new(counters),
            redo_lock: RwLock::new(()),
        }
    }

    /// The redo point of the latest checkpoint begun: a page whose LSN is not past it needs a
    /// full-page image in its next WAL record (`needs_full_page_image`).
    pub fn redo_lsn(&self) -> Lsn {
        Lsn(self.redo.load(Ordering::Acquire))
    }

    /// Builds a WAL record with `build(redo_lsn)` and inserts it, returning its end LSN. The
    /// redo pointer cannot move in between, so full-page-image decisions made in `build` with
    /// `needs_full_page_image(page_lsn, redo_lsn)` stay right (buffer rule 8; PostgreSQL
    /// rechecks `RedoRecPtr` in `XLogInsertRecord` instead). The caller holds the exclusive
    /// locks of the pages the record changes, and calls `mark_dirty` with the result.
    pub fn insert_with_redo(&self, build: impl FnOnce(Lsn) -> RecordBuilder) -> Lsn {
        let _redo = self.redo_lock.read();
        let record = build(self.redo_lsn());
        self.wal.insert(&record)
    }

    /// Updates the counters recorded by the next checkpoint.
    pub fn set_counters(&self, counters: CheckpointCounters) {
        *self.counters.lock() = counters;
    }

    /// The control file as last written.
    pub fn control_file(&self) -> ControlFile {
        *self.control.lock()
    }

    /// Takes a checkpoint and returns the start LSN of its record (steps in the module doc).
    ///
    /// Errors: write, fsync or WAL errors (class 58); the previous checkpoint stays in force.
    pub fn checkpoint(&self, kind: CheckpointKind) -> Result<Lsn> {
        self.checkpoint_with_progress(kind, |_, _| {})
    }

    /// [`Checkpointer::checkpoint`], reporting `(buffers_written, buffers_to_write)` after
    /// each buffer so the caller can spread the writes (`checkpoint_completion_target`).
    pub fn checkpoint_with_progress(
        &self,
        kind: CheckpointKind,
        progress: impl FnMut(usize, usize),
    ) -> Result<Lsn> {
        let mut control = self.control.lock();
        let redo = {
            let _moving = self.redo_lock.write();
            let redo = self.wal.next_record_lsn();
            self.redo.fetch_max(redo.0, Ordering::AcqRel);
            redo
        };
        self.pool.flush_all(progress)?;
        self.pool.smgr().sync_all()?;
        let counters = *self.counters.lock();
        let now = self
            .clock
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let payload = CheckPoint {
            redo,
            timeline: control.timeline,
            prev_timeline: control.timeline,
            next_xid: counters.next_xid,
            next_oid: counters.next_oid,
            oldest_xid: counters.oldest_xid,
            oldest_xid_db: counters.oldest_xid_db,
            oldest_active_xid: counters.oldest_active_xid,
            full_page_writes: true,
            time: now,
        };
        let info = match kind {
            CheckpointKind::Online => xlog_info::CHECKPOINT_ONLINE,
            CheckpointKind::Shutdown | CheckpointKind::EndOfRecovery => {
                xlog_info::CHECKPOINT_SHUTDOWN
            }
        };
        let record = RecordBuilder::new(RmgrId::XLOG, info).with_main_data(payload.encode());
        let (start, end) = self.wal.insert_record(&record);
        if kind != CheckpointKind::Online {
            debug_assert_eq!(
                start, redo,
                "nothing may insert WAL during a shutdown checkpoint"
            );
        }
        self.wal.flush(end)?;
        let mut updated = *control;
        updated.state = if kind == CheckpointKind::Shutdown {
            DbState::Shutdowned
        } else {
            DbState::InProduction
        };
        updated.time = now;
        updated.checkpoint = start;
        updated.redo = redo;
        updated.next_xid = counters.next_xid;
        updated.next_oid = counters.next_oid;
        updated.oldest_xid = counters.oldest_xid;
        updated.write(&*self.vfs, &self.datadir)?;
        *control = updated;
        self.wal.remove_old_segments(redo)?;
        Ok(start)
    }
}

/// What [`recover`] found and did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RecoveryOutcome {
    /// The control file as read at startup.
    pub control: ControlFile,
    /// True if the cluster was not shut down cleanly and WAL was replayed.
    pub crashed: bool,
    /// Where valid WAL ends: open the WAL here.
    pub end_of_wal: Lsn,
    /// Start of the last valid record (`Wal::open_with_prev`'s `prev`).
    pub last_record: Option<Lsn>,
    /// Records replayed.
    pub records: u64,
}

/// Startup: reads the control file of `datadir`; unless the cluster was shut down cleanly,
/// marks it "in crash recovery" and replays WAL from `wal_dir` starting at the checkpoint's
/// redo point through `registry`, up to the end of valid WAL (PostgreSQL's `StartupXLOG`).
/// Sets the pool's WAL flusher to `NoWalFlush` (replayed WAL is on disk already); the caller
/// then opens the WAL at `end_of_wal`, installs it with `BufferPool::set_wal_flusher`, and
/// takes an [`CheckpointKind::EndOfRecovery`] checkpoint.
///
/// Errors: a missing or corrupt control file (58P01 / XX001); corrupt WAL before its end
/// (XX001); redo errors; I/O errors.
pub fn recover(
    vfs: Arc<dyn Vfs>,
    datadir: &Path,
    pool: &Arc<BufferPool>,
    wal_dir: &Path,
    registry: &RedoRegistry,
) -> Result<RecoveryOutcome> {
    let control = ControlFile::read(&*vfs, datadir)?;
    let mut crashed = control.state != DbState::Shutdowned;
    pool.set_wal_flusher(Arc::new(NoWalFlush));
    let mark_in_recovery = || {
        let mut marking = control;
        marking.state = DbState::InCrashRecovery;
        marking.write(&*vfs, datadir)
    };
    if crashed {
        mark_in_recovery()?;
    }
    // After a clean shutdown the redo point is the shutdown checkpoint record itself.
    let start = if crashed {
        control.redo
    } else {
        control.checkpoint
    };
    let mut reader = WalReader::new(vfs.clone(), wal_dir, start)
        .with_segment_size(u64::from(control.wal_segment_size))
        .with_timeline(control.timeline);
    let mut records = 0;
    while let Some(record) = reader.next()? {
        if !crashed && record.lsn != control.checkpoint {
            // WAL continues past the shutdown checkpoint: replay it as after a crash.
            crashed = true;
            mark_in_recovery()?;
        }
        if crashed {
            apply_record(pool, registry, &record)?;
        }
        records += 1;
    }
    Ok(RecoveryOutcome {
        control,
        crashed,
        end_of_wal: reader.end_of_wal(),
        last_record: reader.last_record_lsn(),
        records,
    })
}
