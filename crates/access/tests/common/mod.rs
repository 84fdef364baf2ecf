//! A small in-process cluster over `FaultVfs` for heap tests: initdb, start (with recovery),
//! and a heap relation on it (modelled on tusk-storage's crash test).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use tusk_access::{register_btree_redo, register_heap_redo, HeapRelation};
use tusk_io::{FaultVfs, ManualClock, Vfs};
use tusk_storage::storage_wal::create_record;
use tusk_storage::{
    recover, BufferPool, BufferPoolConfig, CheckpointKind, Checkpointer, NoWalFlush,
    RecoveryOutcome, RedoRegistry, Smgr, SmgrConfig, PAGE_SIZE,
};
use tusk_types::{ForkNumber, Lsn, Oid, RelFileLocator, Xid};
use tusk_wal::{ControlFile, DbState, Wal, WalConfig};

pub fn datadir() -> PathBuf {
    PathBuf::from("/data")
}

pub fn wal_dir() -> PathBuf {
    datadir().join("pg_wal")
}

pub fn rel() -> RelFileLocator {
    RelFileLocator {
        spc_oid: Oid(1663),
        db_oid: Oid(5),
        rel_number: Oid(16384),
    }
}

pub fn wal_config() -> WalConfig {
    WalConfig {
        wal_buffers_bytes: 64 * 1024,
        segment_size: 64 * 1024,
        system_identifier: 7,
        recycle_segments: 1,
        ..WalConfig::default()
    }
}

pub fn registry() -> RedoRegistry {
    let mut registry = RedoRegistry::new();
    register_heap_redo(&mut registry);
    register_btree_redo(&mut registry);
    registry
}

pub struct Cluster {
    pub pool: Arc<BufferPool>,
    pub wal: Arc<Wal>,
    pub checkpointer: Checkpointer,
}

impl Cluster {
    /// The test relation (created by [`Cluster::create_relation`]).
    pub fn heap(&self, fillfactor: u8) -> HeapRelation {
        HeapRelation::new(self.pool.clone(), rel(), fillfactor)
    }

    /// Logs and creates the test relation's main fork.
    pub fn create_relation(&self) {
        self.wal.insert(&create_record(rel(), ForkNumber::Main));
        self.pool
            .smgr()
            .create(rel(), ForkNumber::Main, false)
            .expect("create relation");
    }
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000),
    ))
}

pub fn smgr_config() -> SmgrConfig {
    SmgrConfig {
        segment_blocks: 4,
        ..SmgrConfig::default()
    }
}

fn new_pool(vfs: Arc<dyn Vfs>, shared_buffers: usize) -> Arc<BufferPool> {
    let smgr = Arc::new(Smgr::new(vfs, datadir(), smgr_config()));
    Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers,
            data_checksums: true,
        },
        smgr,
        Arc::new(NoWalFlush),
    ))
}

pub fn initdb(vfs: &FaultVfs) {
    let dyn_vfs: Arc<dyn Vfs> = Arc::new(vfs.clone());
    for dir in [
        "/data",
        "/data/global",
        "/data/base",
        "/data/base/5",
        "/data/pg_wal",
    ] {
        vfs.create_dir_all(Path::new(dir)).expect("mkdir");
    }
    let config = wal_config();
    let control = ControlFile {
        system_identifier: config.system_identifier,
        catalog_version: 1,
        state: DbState::InProduction,
        time: 0,
        checkpoint: Lsn::INVALID,
        redo: Lsn::INVALID,
        min_recovery_point: Lsn::INVALID,
        timeline: 1,
        prev_timeline: 1,
        next_xid: Xid(3),
        next_xid_epoch: 0,
        next_oid: Oid(16384),
        oldest_xid: Xid(3),
        wal_segment_size: config.segment_size as u32,
        block_size: PAGE_SIZE as u32,
        data_checksums: true,
    };
    let wal = Arc::new(Wal::open(dyn_vfs.clone(), &wal_dir(), config, Lsn::INVALID).expect("wal"));
    let pool = new_pool(dyn_vfs.clone(), 4);
    pool.set_wal_flusher(wal.clone());
    let checkpointer = Checkpointer::new(dyn_vfs, datadir(), wal, pool, clock(), control);
    checkpointer
        .checkpoint(CheckpointKind::Shutdown)
        .expect("initdb checkpoint");
    vfs.sync_everything();
}

/// Server start with `shared_buffers` frames: recovery, WAL open, end-of-recovery checkpoint.
pub fn start(vfs: &FaultVfs, shared_buffers: usize) -> (Cluster, RecoveryOutcome) {
    try_start(vfs, shared_buffers).expect("recovery")
}

/// [`start`], returning recovery's error instead of panicking.
pub fn try_start(
    vfs: &FaultVfs,
    shared_buffers: usize,
) -> tusk_types::Result<(Cluster, RecoveryOutcome)> {
    let dyn_vfs: Arc<dyn Vfs> = Arc::new(vfs.clone());
    let pool = new_pool(dyn_vfs.clone(), shared_buffers);
    let outcome = recover(dyn_vfs.clone(), &datadir(), &pool, &wal_dir(), &registry())?;
    let wal = Arc::new(
        Wal::open_with_prev(
            dyn_vfs.clone(),
            &wal_dir(),
            wal_config(),
            outcome.end_of_wal,
            outcome.last_record.unwrap_or(Lsn::INVALID),
        )
        .expect("open wal after recovery"),
    );
    pool.set_wal_flusher(wal.clone());
    let checkpointer = Checkpointer::new(
        dyn_vfs,
        datadir(),
        wal.clone(),
        pool.clone(),
        clock(),
        outcome.control,
    );
    checkpointer
        .checkpoint(CheckpointKind::EndOfRecovery)
        .expect("end-of-recovery checkpoint");
    Ok((
        Cluster {
            pool,
            wal,
            checkpointer,
        },
        outcome,
    ))
}

pub fn fresh_cluster(shared_buffers: usize) -> (FaultVfs, Cluster) {
    let vfs = FaultVfs::new();
    initdb(&vfs);
    let (cluster, outcome) = start(&vfs, shared_buffers);
    assert!(!outcome.crashed, "initdb ends with a clean shutdown");
    (vfs, cluster)
}

/// Compares `actual` with `tests/golden/<name>`, or rewrites it with `UPDATE_GOLDEN=1`.
pub fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected =
        std::fs::read_to_string(&path).expect("golden file (UPDATE_GOLDEN=1 creates it)");
    assert_eq!(expected, actual, "output differs from {}", path.display());
}
