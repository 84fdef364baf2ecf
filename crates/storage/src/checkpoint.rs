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
//! 5. removes or recycles WAL segments before the redo point (honouring `wal_keep_size`,
//!    `min_wal_size` and `max_wal_size` once [`Checkpointer::set_segment_retention`] was
//!    called), and preallocates the next segment.
//!
//! A crash anywhere before step 4 leaves the previous checkpoint in force, and its redo point
//! still has all the WAL it needs. Recovery ([`recover`]) reads the control file, replays from
//! its redo point to the end of valid WAL, and returns where WAL ends; the caller then opens
//! the WAL there, installs it as the pool's flusher and runs an
//! [`CheckpointKind::EndOfRecovery`] checkpoint.
//!
//! Step 2 may be spread ([`Checkpointer::checkpoint_spread`], module `pacing`): a timed or
//! WAL-triggered checkpoint paces its buffer writes to finish at
//! `checkpoint_completion_target` of the interval; an immediate request hurries it.
//! Each checkpoint returns a [`CheckpointReport`] with the figures `log_checkpoints` prints.
//!
//! Entry points: [`Checkpointer::checkpoint`], [`Checkpointer::checkpoint_spread`],
//! [`Checkpointer::request_immediate`], [`recover`]. See also `recovery` (the replay loop)
//! and `docs/design/buffer.md`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use parking_lot::{Mutex, RwLock};
use tusk_io::{Clock, Vfs};
use tusk_types::{Lsn, Oid, Result, Xid};
use tusk_wal::{
    xlog_info, CheckPoint, ControlFile, DbState, RecordBuilder, RmgrId, SegmentCleanup,
    SegmentRetention, Wal, WalReader,
};

use crate::buffer::{BufferPool, NoWalFlush};
use crate::pacing::{CheckpointPacing, CheckpointRequests, CheckpointSchedule, CHECKPOINT_NAP};
use crate::recovery::{apply_record, RedoRegistry};
use crate::smgr::SyncStats;

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
    /// The epoch of `next_xid`.
    pub next_xid_epoch: u32,
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
    /// Immediate-finish requests for a spread checkpoint in progress.
    requests: CheckpointRequests,
    /// WAL segment retention; `None` keeps the WAL's `recycle_segments` behaviour.
    retention: Mutex<Option<SegmentRetention>>,
    /// Bytes of WAL between checkpoints, smoothed (PostgreSQL's `CheckPointDistanceEstimate`).
    distance_estimate: AtomicU64,
    /// Runs after the redo point is fixed and the buffers are written, before the
    /// checkpoint record: flushes other caches (the commit log) and refreshes the counters.
    guts_hook: Mutex<Option<CheckpointHook>>,
}

/// See [`Checkpointer::set_guts_hook`].
pub type CheckpointHook = Arc<dyn Fn(&Checkpointer) -> Result<()> + Send + Sync>;

/// What one checkpoint did: the figures of PostgreSQL's `log_checkpoints` line
/// ([`CheckpointReport::complete_message`]) and where it put the checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckpointReport {
    /// Start LSN of the checkpoint record.
    pub lsn: Lsn,
    /// Its redo point.
    pub redo: Lsn,
    /// Dirty buffers written.
    pub buffers_written: usize,
    /// WAL segment files created while the checkpoint ran, by backends or by the
    /// checkpoint's preallocation of the next segment (PostgreSQL counts the latter only).
    pub segments_added: u64,
    /// Old segments removed and recycled afterwards.
    pub segments: SegmentCleanup,
    /// Time spent writing buffers (pauses of a spread checkpoint included).
    pub write_time: Duration,
    /// Time spent syncing relation files.
    pub sync_time: Duration,
    /// Start to end.
    pub total_time: Duration,
    /// The file syncs.
    pub sync: SyncStats,
    /// Bytes of WAL between the previous checkpoint's redo point and this one's.
    pub distance_bytes: u64,
    /// The smoothed estimate of that distance after this checkpoint.
    pub estimate_bytes: u64,
}

/// Milliseconds, rounded up (PostgreSQL's `TimestampDifferenceMilliseconds` and the
/// `+ 999` of `LogCheckpointEnd`), printed as `%ld.%03d`.
fn seconds(d: Duration) -> String {
    let ms = d.as_micros().div_ceil(1000);
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

impl CheckpointReport {
    /// PostgreSQL 15's `checkpoint complete: ...` log line for a pool of `shared_buffers`
    /// frames (`LogCheckpointEnd`).
    pub fn complete_message(&self, shared_buffers: usize) -> String {
        let average = if self.sync.files > 0 {
            self.sync.total / self.sync.files
        } else {
            Duration::ZERO
        };
        format!(
            "checkpoint complete: wrote {} buffers ({:.1}%); {} WAL file(s) added, {} removed, \
             {} recycled; write={} s, sync={} s, total={} s; sync files={}, longest={} s, \
             average={} s; distance={} kB, estimate={} kB",
            self.buffers_written,
            self.buffers_written as f64 * 100.0 / shared_buffers.max(1) as f64,
            self.segments_added,
            self.segments.removed,
            self.segments.recycled,
            seconds(self.write_time),
            seconds(self.sync_time),
            seconds(self.total_time),
            self.sync.files,
            seconds(self.sync.longest),
            seconds(average),
            (self.distance_bytes as f64 / 1024.0) as u64,
            (self.estimate_bytes as f64 / 1024.0) as u64,
        )
    }
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
            next_xid_epoch: control.next_xid_epoch,
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
            requests: CheckpointRequests::new(),
            retention: Mutex::new(None),
            distance_estimate: AtomicU64::new(0),
            guts_hook: Mutex::new(None),
        }
    }

    /// Sets the hook every checkpoint runs after fixing its redo point and writing the
    /// buffers, before reading the counters and inserting its record (PostgreSQL's
    /// `CheckPointGuts` flushing the SLRUs: the commit log of every commit before the redo
    /// point must be on disk when the checkpoint record says replay starts there).
    pub fn set_guts_hook(&self, hook: CheckpointHook) {
        *self.guts_hook.lock() = Some(hook);
    }

    /// Sets how much old WAL checkpoints keep and recycle (`wal_keep_size`, `min_wal_size`,
    /// `max_wal_size`, `wal_recycle`; see `Wal::remove_old_segments_at_checkpoint`).
    pub fn set_segment_retention(&self, retention: SegmentRetention) {
        *self.retention.lock() = Some(retention);
    }

    /// Asks a spread checkpoint in progress to finish at full speed (shutdown, or a
    /// `CHECKPOINT` command about to wait for the next checkpoint); wakes it if it naps.
    pub fn request_immediate(&self) {
        self.requests.request_immediate();
    }

    /// The smoothed WAL distance between checkpoints in bytes (`CheckPointDistanceEstimate`).
    pub fn distance_estimate(&self) -> u64 {
        self.distance_estimate.load(Ordering::Relaxed)
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

    /// The WAL this checkpointer logs to.
    pub fn wal(&self) -> &Arc<Wal> {
        &self.wal
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
    /// each buffer.
    pub fn checkpoint_with_progress(
        &self,
        kind: CheckpointKind,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Lsn> {
        let report = self.run(kind, None, &mut |done, total, _| progress(done, total))?;
        Ok(report.lsn)
    }

    /// Takes a checkpoint whose buffer writes are spread according to `pacing` (a timed or
    /// WAL-triggered checkpoint), or written at full speed with `None` (`CHECKPOINT`,
    /// shutdown, end of recovery). While ahead of schedule it pauses [`CHECKPOINT_NAP`]
    /// after a buffer by calling `nap` with that duration; the production nap is
    /// [`Checkpointer::nap`] (a condition-variable wait ended early by
    /// [`Checkpointer::request_immediate`]); tests pass one that advances a `ManualClock`.
    /// After an immediate request the rest is written without pauses.
    ///
    /// Errors: as [`Checkpointer::checkpoint`].
    pub fn checkpoint_spread(
        &self,
        kind: CheckpointKind,
        pacing: Option<CheckpointPacing>,
        nap: &mut dyn FnMut(Duration),
    ) -> Result<CheckpointReport> {
        self.run(kind, pacing, &mut |_, _, pause| {
            if pause {
                nap(CHECKPOINT_NAP);
            }
        })
    }

    /// [`Checkpointer::checkpoint_spread`] with real pauses that an immediate request cuts
    /// short.
    ///
    /// Errors: as [`Checkpointer::checkpoint`].
    pub fn checkpoint_paced(
        &self,
        kind: CheckpointKind,
        pacing: Option<CheckpointPacing>,
    ) -> Result<CheckpointReport> {
        let seen = self.requests.generation();
        self.checkpoint_spread(kind, pacing, &mut |d| self.requests.nap(seen, d))
    }

    /// A real-time pause of a spread checkpoint, ended early by an immediate request made
    /// after the request counter read `seen`.
    pub fn nap(&self, seen: u64, limit: Duration) {
        self.requests.nap(seen, limit);
    }

    /// The checkpoint itself; `step(done, total, pause)` runs after each buffer write, with
    /// `pause` true when the schedule says to nap.
    fn run(
        &self,
        kind: CheckpointKind,
        pacing: Option<CheckpointPacing>,
        step: &mut dyn FnMut(usize, usize, bool),
    ) -> Result<CheckpointReport> {
        let mut control = self.control.lock();
        let seen = self.requests.generation();
        let started = self.clock.monotonic();
        let segments_before = self.wal.stats().segments_created;
        let redo = {
            let _moving = self.redo_lock.write();
            let redo = self.wal.next_record_lsn();
            self.redo.fetch_max(redo.0, Ordering::AcqRel);
            redo
        };
        let schedule = pacing.map(|p| CheckpointSchedule::new(p, started, redo));
        let buffers_written = self.pool.flush_all(|done, total| {
            let pause = schedule.as_ref().is_some_and(|s| {
                !self.requests.requested_since(seen)
                    && s.is_on_schedule(
                        done as f64 / total.max(1) as f64,
                        self.clock.monotonic(),
                        self.wal.insert_lsn(),
                    )
            });
            step(done, total, pause);
        })?;
        let sync_started = self.clock.monotonic();
        let sync = self.pool.smgr().sync_all_timed(&*self.clock)?;
        let hook = self.guts_hook.lock().clone();
        if let Some(hook) = hook {
            hook(self)?;
        }
        let sync_done = self.clock.monotonic();
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
            next_xid_epoch: counters.next_xid_epoch,
            next_oid: counters.next_oid,
            oldest_xid: counters.oldest_xid,
            oldest_xid_db: counters.oldest_xid_db,
            oldest_active_xid: counters.oldest_active_xid,
            full_page_writes: self.wal.config().full_page_writes,
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
        let prior_redo = control.redo;
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
        updated.next_xid_epoch = counters.next_xid_epoch;
        updated.next_oid = counters.next_oid;
        updated.oldest_xid = counters.oldest_xid;
        updated.write_with_fsync(&*self.vfs, &self.datadir, self.wal.config().fsync)?;
        *control = updated;
        // PostgreSQL's UpdateCheckPointDistanceEstimate: jump up at once, decay slowly.
        let distance = if prior_redo == Lsn::INVALID {
            0
        } else {
            redo.0.saturating_sub(prior_redo.0)
        };
        let estimate = if prior_redo == Lsn::INVALID {
            self.distance_estimate()
        } else {
            let old = self.distance_estimate();
            let new = if old < distance {
                distance
            } else {
                (0.90 * old as f64 + 0.10 * distance as f64) as u64
            };
            self.distance_estimate.store(new, Ordering::Relaxed);
            new
        };
        let retention = *self.retention.lock();
        let segments = match retention {
            Some(r) => self
                .wal
                .remove_old_segments_at_checkpoint(redo, &r, estimate)?,
            None => self.wal.remove_old_segments(redo)?,
        };
        // PostgreSQL's PreallocXlogFiles: have the next segment ready before it is needed.
        self.wal.preallocate_next_segment()?;
        let finished = self.clock.monotonic();
        Ok(CheckpointReport {
            lsn: start,
            redo,
            buffers_written,
            segments_added: self
                .wal
                .stats()
                .segments_created
                .saturating_sub(segments_before),
            segments,
            write_time: sync_started.saturating_sub(started),
            sync_time: sync_done.saturating_sub(sync_started),
            total_time: finished.saturating_sub(started),
            sync,
            distance_bytes: distance,
            estimate_bytes: estimate,
        })
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
