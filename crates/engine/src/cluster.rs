//! The storage side of a running server: the WAL, shared buffers and checkpointer of one
//! data directory, created by initdb and brought up at start with crash recovery
//! (PostgreSQL's `BootStrapXLOG` and `StartupXLOG`, docs §30.4 "WAL Configuration").
//!
//! Start-up order (rule): recover (replay from the last checkpoint's redo point if the
//! control file says the server did not shut down cleanly), open the WAL at the end of
//! valid WAL, install it as the buffer pool's flusher, take an end-of-recovery checkpoint;
//! only then accept connections. A clean shutdown takes a shutdown checkpoint, so the next
//! start replays nothing.
//!
//! Entry points: [`bootstrap`], [`Cluster::start`], [`Cluster::checkpoint`],
//! [`Cluster::shutdown`], and the auxiliary steps [`Cluster::wal_writer_step`],
//! [`Cluster::bgwriter_step`], [`Cluster::checkpoint_due`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use parking_lot::Mutex;
use tusk_io::{Clock, RealClock, RealVfs, Vfs};
use tusk_storage::{
    recover, BgWriter, BgWriterConfig, BufferPool, BufferPoolConfig, CheckpointKind, Checkpointer,
    NoWalFlush, RecoveryOutcome, RedoRegistry, Smgr, SmgrConfig, PAGE_SIZE,
};
use tusk_types::{Error, Lsn, Oid, Result, Xid};
use tusk_wal::{ControlFile, DbState, Wal, WalConfig};

use crate::guc::ServerConfig;

/// Catalog version written to the control file (bumped when the catalog layout changes).
pub const CATALOG_VERSION: u32 = 202611211;

fn wal_config(config: &ServerConfig, system_identifier: u64) -> WalConfig {
    let wal_buffers = config.int("wal_buffers");
    let shared_buffers = config.int("shared_buffers");
    // wal_buffers = -1: 1/32 of shared_buffers, between 64 kB and one segment (PostgreSQL).
    let wal_buffers_bytes = if wal_buffers < 0 {
        ((shared_buffers * 8192) / 32).clamp(64 * 1024, 16 * 1024 * 1024) as usize
    } else {
        (wal_buffers * 8192).max(32 * 1024) as usize
    };
    WalConfig {
        wal_buffers_bytes,
        fsync: config.bool("fsync"),
        wal_writer_flush_after_bytes: (config.int("wal_writer_flush_after") * 8192) as u64,
        system_identifier,
        full_page_writes: config.bool("full_page_writes"),
        wal_init_zero: config.bool("wal_init_zero"),
        ..WalConfig::default()
    }
}

fn new_pool(
    vfs: Arc<dyn Vfs>,
    data_dir: &Path,
    shared_buffers: usize,
    checksums: bool,
) -> Arc<BufferPool> {
    let smgr = Arc::new(Smgr::new(
        vfs,
        data_dir.to_path_buf(),
        SmgrConfig::default(),
    ));
    Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers,
            data_checksums: checksums,
        },
        smgr,
        Arc::new(NoWalFlush),
    ))
}

/// initdb's storage step: control file, first WAL segment, a shutdown checkpoint.
///
/// Errors: I/O errors creating the files.
pub fn bootstrap(data_dir: &Path, data_checksums: bool) -> Result<()> {
    let vfs: Arc<dyn Vfs> = Arc::new(RealVfs);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    // PostgreSQL: seconds in the high bits, microseconds and the pid below.
    let system_identifier = (now.as_secs() << 32)
        | ((now.subsec_micros() as u64) << 12)
        | (std::process::id() as u64 & 0xfff);
    let config = WalConfig {
        system_identifier,
        ..WalConfig::default()
    };
    let control = ControlFile {
        system_identifier,
        catalog_version: CATALOG_VERSION,
        state: DbState::InProduction,
        time: now.as_secs(),
        checkpoint: Lsn::INVALID,
        redo: Lsn::INVALID,
        min_recovery_point: Lsn::INVALID,
        timeline: 1,
        prev_timeline: 1,
        next_xid: Xid::FIRST_NORMAL,
        next_oid: Oid(16384),
        oldest_xid: Xid::FIRST_NORMAL,
        wal_segment_size: config.segment_size as u32,
        block_size: PAGE_SIZE as u32,
        data_checksums,
    };
    let wal = Arc::new(Wal::open(
        vfs.clone(),
        &data_dir.join("pg_wal"),
        config,
        Lsn::INVALID,
    )?);
    let pool = new_pool(vfs.clone(), data_dir, 16, data_checksums);
    pool.set_wal_flusher(wal.clone());
    let clock: Arc<dyn Clock> = Arc::new(RealClock::new());
    let checkpointer = Checkpointer::new(vfs, data_dir.to_path_buf(), wal, pool, clock, control);
    checkpointer.checkpoint(CheckpointKind::Shutdown)?;
    Ok(())
}

/// The running storage of one data directory.
pub struct Cluster {
    data_dir: PathBuf,
    /// Shared buffers.
    pub pool: Arc<BufferPool>,
    /// The write-ahead log.
    pub wal: Arc<Wal>,
    /// Checkpoints.
    pub checkpointer: Checkpointer,
    bgwriter: BgWriter,
    shared_buffers: usize,
    last_checkpoint: Mutex<(Instant, Lsn)>,
}

/// How a checkpoint was asked for (`log_checkpoints` prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointReason {
    /// `checkpoint_timeout` elapsed.
    Time,
    /// WAL since the last checkpoint passed `max_wal_size`.
    Wal,
    /// The `CHECKPOINT` command.
    Immediate,
    /// Server shutdown.
    Shutdown,
}

impl CheckpointReason {
    fn words(self) -> &'static str {
        match self {
            CheckpointReason::Time => "time",
            CheckpointReason::Wal => "wal",
            CheckpointReason::Immediate => "immediate force wait",
            CheckpointReason::Shutdown => "shutdown immediate",
        }
    }
}

impl Cluster {
    /// Brings storage up: crash recovery if needed, then an end-of-recovery checkpoint.
    /// Returns the cluster and what recovery did (for the start-up log).
    ///
    /// Errors: a missing or corrupt control file, corrupt WAL before its end (XX001), I/O.
    pub fn start(data_dir: &Path, config: &ServerConfig) -> Result<(Cluster, RecoveryOutcome)> {
        let vfs: Arc<dyn Vfs> = Arc::new(RealVfs);
        let control = ControlFile::read(&*vfs, data_dir)?;
        let shared_buffers = config.int("shared_buffers").max(16) as usize;
        let pool = new_pool(
            vfs.clone(),
            data_dir,
            shared_buffers,
            control.data_checksums,
        );
        let wal_dir = data_dir.join("pg_wal");
        let outcome = recover(vfs.clone(), data_dir, &pool, &wal_dir, &RedoRegistry::new())?;
        let wal = Arc::new(Wal::open_with_prev(
            vfs.clone(),
            &wal_dir,
            wal_config(config, control.system_identifier),
            outcome.end_of_wal,
            outcome.last_record.unwrap_or(Lsn::INVALID),
        )?);
        pool.set_wal_flusher(wal.clone());
        let clock: Arc<dyn Clock> = Arc::new(RealClock::new());
        let checkpointer = Checkpointer::new(
            vfs,
            data_dir.to_path_buf(),
            wal.clone(),
            pool.clone(),
            clock,
            outcome.control,
        );
        if outcome.crashed {
            checkpointer.checkpoint(CheckpointKind::EndOfRecovery)?;
        }
        let bgwriter = BgWriter::new(
            pool.clone(),
            BgWriterConfig {
                lru_maxpages: config.int("bgwriter_lru_maxpages").max(0) as usize,
                lru_multiplier: config.real("bgwriter_lru_multiplier"),
            },
        );
        let insert = wal.insert_lsn();
        Ok((
            Cluster {
                data_dir: data_dir.to_path_buf(),
                pool,
                wal,
                checkpointer,
                bgwriter,
                shared_buffers,
                last_checkpoint: Mutex::new((Instant::now(), insert)),
            },
            outcome,
        ))
    }

    /// Takes a checkpoint; with `log_checkpoints` writes PostgreSQL's two log lines.
    ///
    /// Errors: I/O errors (a failed fsync is PANIC severity).
    pub fn checkpoint(&self, reason: CheckpointReason, log: bool) -> Result<Lsn> {
        let started = Instant::now();
        if log {
            tracing::info!("checkpoint starting: {}", reason.words());
        }
        let before = self.wal.insert_lsn();
        let mut written = 0usize;
        let kind = if reason == CheckpointReason::Shutdown {
            CheckpointKind::Shutdown
        } else {
            CheckpointKind::Online
        };
        let lsn = self
            .checkpointer
            .checkpoint_with_progress(kind, |done, _| written = done)?;
        let mut last = self.last_checkpoint.lock();
        let distance_kb = before.0.saturating_sub(last.1 .0) / 1024;
        *last = (Instant::now(), before);
        if log {
            let total = self.shared_buffers.max(1);
            tracing::info!(
                "checkpoint complete: wrote {written} buffers ({:.1}%); total={:.3} s; distance={distance_kb} kB; lsn={lsn}, redo lsn={}",
                written as f64 * 100.0 / total as f64,
                started.elapsed().as_secs_f64(),
                self.checkpointer.redo_lsn()
            );
        }
        Ok(lsn)
    }

    /// Whether a checkpoint is due: `checkpoint_timeout` (seconds) elapsed, or WAL since
    /// the last one passed `max_wal_size` (MB).
    pub fn checkpoint_due(
        &self,
        timeout_secs: u64,
        max_wal_size_mb: u64,
    ) -> Option<CheckpointReason> {
        let (at, lsn) = *self.last_checkpoint.lock();
        let insert = self.wal.insert_lsn();
        if insert.0.saturating_sub(lsn.0) >= max_wal_size_mb * 1024 * 1024 {
            return Some(CheckpointReason::Wal);
        }
        (at.elapsed().as_secs() >= timeout_secs && insert != lsn).then_some(CheckpointReason::Time)
    }

    /// One round of the WAL writer.
    pub fn wal_writer_step(&self) -> Result<()> {
        self.wal.writer_step()
    }

    /// One round of the background writer; returns buffers written.
    pub fn bgwriter_step(&self) -> usize {
        self.bgwriter.run_once()
    }

    /// Clean shutdown: a shutdown checkpoint, after which the next start replays nothing.
    pub fn shutdown(&self, log: bool) -> Result<()> {
        self.checkpoint(CheckpointReason::Shutdown, log).map(|_| ())
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// Whether `data_dir` has a control file (an initialised storage layer).
pub fn has_control_file(data_dir: &Path) -> bool {
    data_dir.join("global").join("pg_control").exists()
}

/// Error for a data directory without storage files.
pub fn missing_control_file(data_dir: &Path) -> Error {
    Error::new(
        tusk_types::SqlState::UNDEFINED_FILE,
        format!(
            "could not open file \"{}\": No such file or directory",
            data_dir.join("global/pg_control").display()
        ),
    )
}
