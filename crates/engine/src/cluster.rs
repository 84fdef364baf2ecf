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
//! Checkpoints (docs §30.5): a timed or WAL-triggered checkpoint spreads its writes over
//! `checkpoint_completion_target` of the interval; `CHECKPOINT`, shutdown and end of
//! recovery write at full speed and hurry a spread checkpoint in progress
//! ([`Cluster::request_immediate_checkpoint`]). Each checkpoint removes or recycles old WAL
//! segments as `wal_keep_size`, `min_wal_size` and `max_wal_size` say, and with
//! `log_checkpoints` logs PostgreSQL 15's two lines.
//!
//! Entry points: [`bootstrap`], [`Cluster::start`], [`Cluster::checkpoint`],
//! [`Cluster::shutdown`], [`Cluster::apply_settings`], and the auxiliary steps
//! [`Cluster::wal_writer_step`], [`Cluster::bgwriter_step`], [`Cluster::checkpoint_due`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tusk_io::{Clock, RealClock, RealVfs, Vfs};
use tusk_storage::{
    recover, BgWriter, BgWriterConfig, BufferPool, BufferPoolConfig, CheckpointCounters,
    CheckpointKind, CheckpointPacing, CheckpointReport, Checkpointer, NoWalFlush, RecoveryOutcome,
    RedoRegistry, Smgr, SmgrConfig, PAGE_SIZE,
};
use tusk_txn::{Clog, TransactionManager, XidGenerator};
use tusk_types::{Error, Lsn, Oid, Result, Xid};
use tusk_wal::{
    xlog_info, ControlFile, DbState, RmgrId, SegmentRetention, Wal, WalCompression, WalConfig,
};

use crate::xact_services::{OidCounter, XactServices};

use crate::guc::ServerConfig;

/// Catalog version written to the control file (bumped when the catalog layout changes).
pub const CATALOG_VERSION: u32 = 202611211;

const MB: u64 = 1024 * 1024;

/// `min_wal_size`, `max_wal_size`, `wal_keep_size` (MB), `checkpoint_completion_target` and
/// `wal_recycle` as the checkpointer's segment retention.
fn segment_retention(config: &ServerConfig) -> SegmentRetention {
    SegmentRetention {
        wal_keep_size_bytes: config.int("wal_keep_size").max(0) as u64 * MB,
        min_wal_size_bytes: config.int("min_wal_size").max(2) as u64 * MB,
        max_wal_size_bytes: config.int("max_wal_size").max(2) as u64 * MB,
        checkpoint_completion_target: config.real("checkpoint_completion_target").clamp(0.0, 1.0),
        wal_recycle: config.bool("wal_recycle"),
    }
}

/// `checkpoint_completion_target`, `checkpoint_timeout` (s) and `max_wal_size` (MB).
fn checkpoint_pacing(config: &ServerConfig) -> CheckpointPacing {
    CheckpointPacing {
        completion_target: config.real("checkpoint_completion_target").clamp(0.0, 1.0),
        checkpoint_timeout: Duration::from_secs(config.int("checkpoint_timeout").max(30) as u64),
        max_wal_size_bytes: config.int("max_wal_size").max(2) as u64 * MB,
    }
}

/// `wal_compression`: `lz4`, with `on`/`pglz` mapped to it; `zstd` is refused (0A000).
fn wal_compression(config: &ServerConfig) -> Result<WalCompression> {
    WalCompression::from_setting(&config.string("wal_compression"))
}

fn wal_config(config: &ServerConfig, system_identifier: u64) -> Result<WalConfig> {
    let wal_buffers = config.int("wal_buffers");
    let shared_buffers = config.int("shared_buffers");
    // wal_buffers = -1: 1/32 of shared_buffers, between 64 kB and one segment (PostgreSQL).
    let wal_buffers_bytes = if wal_buffers < 0 {
        ((shared_buffers * 8192) / 32).clamp(64 * 1024, 16 * 1024 * 1024) as usize
    } else {
        (wal_buffers * 8192).max(32 * 1024) as usize
    };
    Ok(WalConfig {
        wal_buffers_bytes,
        fsync: config.bool("fsync"),
        wal_writer_flush_after_bytes: (config.int("wal_writer_flush_after") * 8192) as u64,
        system_identifier,
        full_page_writes: config.bool("full_page_writes"),
        wal_init_zero: config.bool("wal_init_zero"),
        wal_compression: wal_compression(config)?,
        ..WalConfig::default()
    })
}

fn new_pool(
    vfs: Arc<dyn Vfs>,
    data_dir: &Path,
    shared_buffers: usize,
    checksums: bool,
    fsync: bool,
) -> Arc<BufferPool> {
    let smgr = Arc::new(Smgr::new(
        vfs,
        data_dir.to_path_buf(),
        SmgrConfig {
            fsync,
            ..SmgrConfig::default()
        },
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

/// Commit-log buffers for `shared_buffers` pages (PostgreSQL's `CLOGShmemBuffers`).
fn clog_buffers(shared_buffers: usize) -> usize {
    (shared_buffers / 512).clamp(4, 128)
}

/// Redo routines of every resource manager tusk writes: XLOG (with `NEXTOID`), STORAGE,
/// HEAP, BTREE, XACT (also unlinking the files of relations dropped by a replayed commit) and
/// CLOG. Every replayed record moves the xid counter past its xid.
fn redo_registry(
    clog: &Arc<Clog>,
    xids: &Arc<XidGenerator>,
    oids: &Arc<OidCounter>,
) -> RedoRegistry {
    let mut registry = RedoRegistry::new();
    let next_oids = oids.clone();
    registry.register(RmgrId::XLOG, move |_, record| {
        if record.info & 0xF0 == xlog_info::NEXTOID && record.main_data.len() >= 4 {
            let data = &record.main_data;
            next_oids.advance_to(u32::from_le_bytes([data[0], data[1], data[2], data[3]]));
        }
        Ok(())
    });
    let heap_xids = xids.clone();
    registry.register(RmgrId::HEAP, move |ctx, record| {
        heap_xids.advance_past(record.xid);
        tusk_access::heap_redo(ctx, record)
    });
    tusk_txn::register_redo(&mut registry, clog.clone(), xids.clone());
    tusk_access::nbtree::register_btree_redo(&mut registry);
    registry.register(RmgrId::SEQUENCE, crate::sequence::redo_sequence);
    let xact_clog = clog.clone();
    let xact_xids = xids.clone();
    registry.register(RmgrId::XACT, move |ctx, record| {
        tusk_txn::redo_xact(&xact_clog, &xact_xids, record)?;
        if record.info & 0xF0 == tusk_wal::xact_info::COMMIT {
            let payload = tusk_wal::XactRecord::decode(&record.main_data)?;
            for locator in payload.drop_relations {
                ctx.pool().drop_relation_all_buffers(locator);
                ctx.pool().smgr().unlink(locator, None)?;
            }
        }
        Ok(())
    });
    registry
}

/// After crash recovery: removes the directories of databases that no committed
/// `pg_database` row names (a CREATE DATABASE that never committed, or a DROP DATABASE
/// whose commit came before its directory's removal), then the files of relations that no
/// committed `pg_class` row names (created by transactions that never committed, or the
/// new files of TRUNCATEs that did not), in every database directory. Only relfilenodes
/// of user relations (16384 and up) are considered.
///
/// Errors: I/O errors reading the catalogs or the directories.
fn remove_orphaned_relations(
    pool: &Arc<BufferPool>,
    xact: &XactServices,
    data_dir: &Path,
) -> Result<()> {
    use tusk_catalog::syscat;
    let next = xact.procarray.xid_generator().next_xid();
    let view = crate::heap::ReadView {
        snapshot: tusk_txn::Snapshot {
            xmin: next,
            xmax: next,
            xip: Vec::new(),
            subxip: Vec::new(),
            suboverflowed: false,
        },
        xids: Vec::new(),
        curcid: 0,
    };
    let database = syscat::system_catalog_by_name("pg_database").expect("pg_database");
    let c_db_oid = database.col("oid");
    let mut databases = std::collections::HashSet::new();
    for row in crate::heap::HeapScanIter::new(
        Arc::new(tusk_access::HeapRelation::new(
            pool.clone(),
            crate::relcache::catalog_locator(Oid::INVALID, database),
            tusk_access::HEAP_DEFAULT_FILLFACTOR,
        )),
        Arc::new(crate::relcache::catalog_attrs(database)),
        view.clone(),
        xact.clog.clone(),
    )? {
        if let tusk_types::Datum::Oid(db) = row?.1[c_db_oid] {
            databases.insert(db);
        }
    }
    let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let c_node = class.col("relfilenode");
    let base = data_dir.join("base");
    let Ok(entries) = std::fs::read_dir(&base) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let Some(db) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if !databases.is_empty() && !databases.contains(&db) {
            tracing::info!("removing orphaned database directory \"base/{}\"", db);
            crate::transaction::remove_database(pool, Oid(db));
            continue;
        }
        let heap = Arc::new(tusk_access::HeapRelation::new(
            pool.clone(),
            crate::relcache::catalog_locator(Oid(db), class),
            tusk_access::HEAP_DEFAULT_FILLFACTOR,
        ));
        let mut live = std::collections::HashSet::new();
        for row in crate::heap::HeapScanIter::new(
            heap,
            Arc::new(crate::relcache::catalog_attrs(class)),
            view.clone(),
            xact.clog.clone(),
        )? {
            if let tusk_types::Datum::Oid(node) = row?.1[c_node] {
                live.insert(node);
            }
        }
        let Ok(files) = std::fs::read_dir(entry.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().to_string();
            let number: String = name.chars().take_while(char::is_ascii_digit).collect();
            let Ok(node) = number.parse::<u32>() else {
                continue;
            };
            if node >= syscat::FIRST_NORMAL_OBJECT_ID && !live.contains(&node) {
                let locator = tusk_types::RelFileLocator {
                    spc_oid: crate::transaction::DEFAULT_TABLESPACE,
                    db_oid: Oid(db),
                    rel_number: Oid(node),
                };
                tracing::info!("removing orphaned relation file \"base/{}/{}\"", db, name);
                crate::transaction::remove_relation(pool, locator);
            }
        }
    }
    Ok(())
}

/// initdb's storage step: control file, first WAL segment, the catalogs of `template1`,
/// a shutdown checkpoint, then `template0` and `postgres` as copies of `template1`.
///
/// Errors: I/O errors creating the files.
pub fn bootstrap(data_dir: &Path, data_checksums: bool) -> Result<()> {
    bootstrap_template1(data_dir, data_checksums)?;
    copy_template_databases(data_dir)
}

/// [`bootstrap`] without the copies: storage files and `template1`'s catalogs, ending
/// with a shutdown checkpoint (initdb runs its SQL step in `template1` before copying).
///
/// Errors: I/O errors creating the files.
pub fn bootstrap_template1(data_dir: &Path, data_checksums: bool) -> Result<()> {
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
        next_xid_epoch: 0,
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
    let pool = new_pool(vfs.clone(), data_dir, 1024, data_checksums, true);
    pool.set_wal_flusher(wal.clone());
    let clock: Arc<dyn Clock> = Arc::new(RealClock::new());
    let checkpointer = Checkpointer::new(
        vfs.clone(),
        data_dir.to_path_buf(),
        wal,
        pool.clone(),
        clock,
        control,
    );
    let superuser =
        std::fs::read_to_string(data_dir.join(crate::database::BOOTSTRAP_SUPERUSER_FILE))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "postgres".to_string());
    crate::catalog_bootstrap::bootstrap_catalogs(
        &pool,
        &checkpointer,
        TEMPLATE1_OID,
        true,
        &superuser,
    )?;
    checkpointer.checkpoint(CheckpointKind::Shutdown)?;
    Ok(())
}

/// Makes `template0` and `postgres` copies of `template1` (CREATE DATABASE's file copy),
/// replacing earlier copies. The storage is shut down.
///
/// Errors: I/O errors of the copies.
pub fn copy_template_databases(data_dir: &Path) -> Result<()> {
    let template = data_dir.join("base").join(TEMPLATE1_OID.0.to_string());
    for db in [TEMPLATE0_OID, POSTGRES_OID] {
        let target = data_dir.join("base").join(db.0.to_string());
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| {
                Error::io(
                    format_args!("could not remove directory \"{}\"", target.display()),
                    &e,
                )
            })?;
        }
        copy_dir(&template, &target)?;
    }
    Ok(())
}

/// `template1`'s OID.
pub const TEMPLATE1_OID: Oid = Oid(1);
/// `template0`'s OID.
pub const TEMPLATE0_OID: Oid = Oid(4);
/// `postgres`'s OID.
pub const POSTGRES_OID: Oid = Oid(5);

/// Copies a database directory file by file, syncing each copy and the directory.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let io = |what: &str, path: &Path, e: std::io::Error| {
        Error::io(format_args!("could not {what} \"{}\"", path.display()), &e)
    };
    std::fs::create_dir_all(to).map_err(|e| io("create directory", to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| io("open directory", from, e))? {
        let entry = entry.map_err(|e| io("read directory", from, e))?;
        let target = to.join(entry.file_name());
        std::fs::copy(entry.path(), &target).map_err(|e| io("copy file", &target, e))?;
        std::fs::File::open(&target)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("fsync file", &target, e))?;
    }
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("fsync directory", to, e))
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
    clock: Arc<dyn Clock>,
    /// Monotonic time and insert LSN when the last checkpoint ended.
    last_checkpoint: Mutex<(Duration, Lsn)>,
    /// Pacing of timed and WAL-triggered checkpoints (updated by `checkpoint_due` and
    /// `apply_settings`).
    pacing: Mutex<CheckpointPacing>,
    /// Commit log, proc array, commit records, OIDs.
    pub xact: Arc<XactServices>,
    /// Checkpoints taken since start-up, for `pg_stat_bgwriter`.
    checkpoint_counts: Mutex<CheckpointCounts>,
}

/// Checkpoints taken since start-up (`pg_stat_bgwriter`'s `checkpoints_timed`,
/// `checkpoints_req`, `checkpoint_write_time`, `checkpoint_sync_time`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CheckpointCounts {
    /// Started because `checkpoint_timeout` elapsed.
    pub timed: i64,
    /// Asked for: WAL volume, `CHECKPOINT`, shutdown.
    pub requested: i64,
    /// Time writing buffers, in milliseconds.
    pub write_ms: f64,
    /// Time syncing files, in milliseconds.
    pub sync_ms: f64,
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
    /// The flags PostgreSQL's `checkpoint starting:` line prints for this reason.
    pub fn words(self) -> &'static str {
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
        let wal_config = wal_config(config, control.system_identifier)?;
        let pool = new_pool(
            vfs.clone(),
            data_dir,
            shared_buffers,
            control.data_checksums,
            wal_config.fsync,
        );
        let wal_dir = data_dir.join("pg_wal");
        let clog = Arc::new(Clog::open(
            vfs.clone(),
            data_dir,
            None,
            clog_buffers(shared_buffers),
        )?);
        let xids = Arc::new(XidGenerator::with_epoch(
            control.next_xid_epoch,
            control.next_xid,
        ));
        let oids = Arc::new(OidCounter::new(control.next_oid));
        let registry = redo_registry(&clog, &xids, &oids);
        let outcome = recover(vfs.clone(), data_dir, &pool, &wal_dir, &registry)?;
        let wal = Arc::new(Wal::open_with_prev(
            vfs.clone(),
            &wal_dir,
            wal_config,
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
            clock.clone(),
            outcome.control,
        );
        checkpointer.set_segment_retention(segment_retention(config));
        clog.attach_wal(wal.clone());
        let xact = Arc::new(XactServices::new(
            clog.clone(),
            xids,
            TransactionManager::new(wal.clone(), clog, clock.clone()),
            oids.checkpoint_value(),
        ));
        if outcome.crashed {
            remove_orphaned_relations(&pool, &xact, data_dir)?;
        }
        let hook_xact = Arc::downgrade(&xact);
        checkpointer.set_guts_hook(Arc::new(move |checkpointer: &Checkpointer| {
            let Some(xact) = hook_xact.upgrade() else {
                return Ok(());
            };
            xact.clog.flush()?;
            let next = xact.procarray.xid_generator().next_full_xid();
            checkpointer.set_counters(CheckpointCounters {
                next_xid: Xid(next as u32),
                next_xid_epoch: (next >> 32) as u32,
                next_oid: xact.oids.checkpoint_value(),
                oldest_xid: Xid::FIRST_NORMAL,
                oldest_xid_db: Oid(1),
                oldest_active_xid: xact.procarray.global_xmin(),
            });
            Ok(())
        }));
        if outcome.crashed {
            let log = config.bool("log_checkpoints");
            if log {
                tracing::info!("checkpoint starting: end-of-recovery immediate wait");
            }
            let report = checkpointer.checkpoint_paced(CheckpointKind::EndOfRecovery, None)?;
            if log {
                tracing::info!("{}", report.complete_message(shared_buffers));
            }
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
                last_checkpoint: Mutex::new((clock.monotonic(), insert)),
                checkpoint_counts: Mutex::new(CheckpointCounts::default()),
                pacing: Mutex::new(checkpoint_pacing(config)),
                clock,
                xact,
            },
            outcome,
        ))
    }

    /// Takes a checkpoint; with `log_checkpoints` writes PostgreSQL 15's two log lines
    /// (`checkpoint starting: time`, `checkpoint complete: wrote ...`). `Time` and `Wal`
    /// checkpoints are spread over `checkpoint_completion_target` of the interval (naps that
    /// [`Cluster::request_immediate_checkpoint`] cuts short); `Immediate` and `Shutdown` first
    /// hurry any spread checkpoint in progress, then run at full speed. Returns the start LSN
    /// of the checkpoint record.
    ///
    /// Errors: I/O errors (a failed fsync is PANIC severity).
    pub fn checkpoint(&self, reason: CheckpointReason, log: bool) -> Result<Lsn> {
        self.checkpoint_report(reason, log).map(|r| r.lsn)
    }

    /// [`Cluster::checkpoint`], returning what it did.
    ///
    /// Errors: as [`Cluster::checkpoint`].
    pub fn checkpoint_report(
        &self,
        reason: CheckpointReason,
        log: bool,
    ) -> Result<CheckpointReport> {
        let (kind, pacing) = match reason {
            CheckpointReason::Time | CheckpointReason::Wal => {
                (CheckpointKind::Online, Some(*self.pacing.lock()))
            }
            CheckpointReason::Immediate => {
                self.checkpointer.request_immediate();
                (CheckpointKind::Online, None)
            }
            CheckpointReason::Shutdown => {
                self.checkpointer.request_immediate();
                (CheckpointKind::Shutdown, None)
            }
        };
        if log {
            tracing::info!("checkpoint starting: {}", reason.words());
        }
        let report = self.checkpointer.checkpoint_paced(kind, pacing)?;
        *self.last_checkpoint.lock() = (self.clock.monotonic(), self.wal.insert_lsn());
        {
            let mut counts = self.checkpoint_counts.lock();
            if reason == CheckpointReason::Time {
                counts.timed += 1;
            } else {
                counts.requested += 1;
            }
            counts.write_ms += report.write_time.as_secs_f64() * 1000.0;
            counts.sync_ms += report.sync_time.as_secs_f64() * 1000.0;
        }
        if log {
            tracing::info!("{}", report.complete_message(self.shared_buffers));
        }
        Ok(report)
    }

    /// Checkpoints taken since start-up.
    pub fn checkpoint_counts(&self) -> CheckpointCounts {
        *self.checkpoint_counts.lock()
    }

    /// Asks a spread checkpoint in progress to finish at full speed (PostgreSQL's shutdown
    /// request to the checkpointer). The supervisor calls this before stopping the
    /// checkpointer thread, so shutdown does not wait for a paced checkpoint's naps.
    pub fn request_immediate_checkpoint(&self) {
        self.checkpointer.request_immediate();
    }

    /// Applies reloaded settings (SIGHUP): checkpoint pacing, WAL segment retention and
    /// `wal_compression`.
    ///
    /// Errors: 0A000 for `wal_compression = zstd` (the other settings are applied).
    pub fn apply_settings(&self, config: &ServerConfig) -> Result<()> {
        *self.pacing.lock() = checkpoint_pacing(config);
        self.checkpointer
            .set_segment_retention(segment_retention(config));
        self.wal.set_wal_compression(wal_compression(config)?);
        Ok(())
    }

    /// Whether a checkpoint is due: `checkpoint_timeout` (seconds) elapsed since the last
    /// one ended and WAL was written since, or the WAL since then passed
    /// `max_wal_size / (1 + checkpoint_completion_target)` (MB; PostgreSQL's
    /// `CheckPointSegments`, so that WAL stays within `max_wal_size` while spread
    /// checkpoints run). Both values also become the pacing of the next spread checkpoint.
    pub fn checkpoint_due(
        &self,
        timeout_secs: u64,
        max_wal_size_mb: u64,
    ) -> Option<CheckpointReason> {
        let budget = {
            let mut pacing = self.pacing.lock();
            pacing.checkpoint_timeout = Duration::from_secs(timeout_secs);
            pacing.max_wal_size_bytes = max_wal_size_mb * MB;
            pacing.wal_budget_bytes()
        };
        let (at, lsn) = *self.last_checkpoint.lock();
        let insert = self.wal.insert_lsn();
        if insert.0.saturating_sub(lsn.0) >= budget {
            return Some(CheckpointReason::Wal);
        }
        let elapsed = self.clock.monotonic().saturating_sub(at);
        (elapsed.as_secs() >= timeout_secs && insert != lsn).then_some(CheckpointReason::Time)
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

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_wal::{RecordBuilder, RmgrId, SyncMode};

    /// A fresh data directory under the system temporary directory, removed on drop.
    struct TempDataDir(PathBuf);

    impl TempDataDir {
        fn new(name: &str) -> TempDataDir {
            let dir = std::env::temp_dir().join(format!(
                "tusk-cluster-{name}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create data directory");
            TempDataDir(dir)
        }
    }

    impl Drop for TempDataDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn checkpoints_are_due_by_wal_volume_and_run_spread_or_immediate() {
        let dir = TempDataDir::new("due");
        bootstrap(&dir.0, false).expect("bootstrap");
        let mut config = ServerConfig::boot();
        config.set_override("wal_compression", "lz4").expect("set");
        let (cluster, outcome) = Cluster::start(&dir.0, &config).expect("start");
        assert!(!outcome.crashed);
        assert_eq!(cluster.wal.wal_compression(), WalCompression::Lz4);
        assert_eq!(cluster.checkpoint_due(300, 1024), None);
        // 2 MB of max_wal_size with target 0.9: due after 2 MB / 1.9 ≈ 1.05 MB of WAL.
        let record = RecordBuilder::new(RmgrId::XLOG, 0).with_main_data(vec![7u8; 60_000]);
        let mut end = Lsn::INVALID;
        for _ in 0..17 {
            end = cluster.wal.insert(&record);
        }
        assert!(!cluster
            .wal
            .commit_flush(end, SyncMode::Off)
            .expect("async commit"));
        assert_eq!(cluster.checkpoint_due(300, 2), None, "1.02 MB of WAL");
        for _ in 0..2 {
            end = cluster.wal.insert(&record);
        }
        assert_eq!(cluster.checkpoint_due(300, 2), Some(CheckpointReason::Wal));
        let report = cluster
            .checkpoint_report(CheckpointReason::Wal, true)
            .expect("spread checkpoint");
        assert!(cluster.wal.flushed_lsn() >= end);
        assert_eq!(report.buffers_written, 0);
        assert_eq!(cluster.checkpoint_due(300, 2), None, "nothing new since");
        let lsn = cluster
            .checkpoint(CheckpointReason::Immediate, true)
            .expect("CHECKPOINT");
        assert_eq!(cluster.checkpointer.control_file().checkpoint, lsn);
        cluster.request_immediate_checkpoint();
        cluster.shutdown(true).expect("shutdown");
        assert_eq!(
            ControlFile::read(&RealVfs, &dir.0).expect("control").state,
            DbState::Shutdowned
        );
    }

    #[test]
    fn zstd_wal_compression_is_refused() {
        let dir = TempDataDir::new("zstd");
        bootstrap(&dir.0, false).expect("bootstrap");
        let mut config = ServerConfig::boot();
        config.set_override("wal_compression", "zstd").expect("set");
        let err = Cluster::start(&dir.0, &config)
            .err()
            .expect("zstd is not built in");
        assert_eq!(err.code, tusk_types::SqlState::FEATURE_NOT_SUPPORTED);
    }
}
