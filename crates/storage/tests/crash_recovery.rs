//! Crash safety of the buffer pool, checkpoints and recovery, in process.
//!
//! A deterministic workload changes pages of one relation through the buffer pool, WAL-logging
//! every change through a small test resource manager (full-page images after each checkpoint),
//! with evictions (4 frames for 6 pages), background-writer rounds, online checkpoints and
//! commit-style acknowledgements (`Wal::flush`). It is run once per fsync point with the
//! fault-injecting file system frozen there, then "crashed" (unsynced writes dropped, or the
//! last write torn). After recovery:
//! - every change acknowledged before the crash point is present;
//! - each page holds exactly the value of the last change replayed (a prefix of the WAL:
//!   nothing unacknowledged is half-applied, nothing is ahead of the WAL);
//! - every page's checksum verifies.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use tusk_io::{CrashMode, FaultVfs, ManualClock, Vfs};
use tusk_storage::page::verify_page;
use tusk_storage::storage_wal::create_record;
use tusk_storage::{
    needs_full_page_image, recover, BgWriter, BgWriterConfig, BufferPool, BufferPoolConfig,
    CheckpointKind, Checkpointer, ItemPlacement, NoWalFlush, Page, ReadBufferMode, RedoRegistry,
    Smgr, SmgrConfig, PAGE_SIZE,
};
use tusk_types::{BlockNumber, ForkNumber, Lsn, OffsetNumber, Oid, RelFileLocator, Xid};
use tusk_wal::{
    BlockRef, ControlFile, DbState, RecordBuilder, RmgrId, Wal, WalCompression, WalConfig,
};

/// The test resource manager (the id PostgreSQL gives generic WAL).
const TEST_RMGR: RmgrId = RmgrId(20);
const INFO_INIT: u8 = 0x00;
const INFO_SET: u8 = 0x10;
const BLOCKS: u32 = 6;
const OPS: u64 = 120;

fn datadir() -> PathBuf {
    PathBuf::from("/data")
}

fn wal_dir() -> PathBuf {
    datadir().join("pg_wal")
}

fn rel() -> RelFileLocator {
    RelFileLocator {
        spc_oid: Oid(1663),
        db_oid: Oid(5),
        rel_number: Oid(16384),
    }
}

thread_local! {
    /// `wal_compression` of the WAL this test thread's clusters open.
    static COMPRESSION: std::cell::Cell<WalCompression> =
        const { std::cell::Cell::new(WalCompression::Off) };
}

fn wal_config() -> WalConfig {
    WalConfig {
        wal_compression: COMPRESSION.with(|c| c.get()),
        wal_buffers_bytes: 64 * 1024,
        segment_size: 64 * 1024,
        system_identifier: 7,
        recycle_segments: 1,
        ..WalConfig::default()
    }
}

fn registry() -> RedoRegistry {
    let mut registry = RedoRegistry::new();
    registry.register(TEST_RMGR, test_redo);
    registry
}

/// Redo of the test resource manager: INIT puts one 8-byte item on a fresh page, SET
/// overwrites it.
fn test_redo(
    ctx: &tusk_storage::RedoContext<'_>,
    record: &tusk_wal::DecodedRecord,
) -> tusk_types::Result<()> {
    let data = &record.blocks[0].data;
    if let Some(mut page) = ctx.block(0) {
        match record.info {
            INFO_INIT => {
                page.init(0);
                page.add_item(data, ItemPlacement::Append)
                    .expect("one item fits");
            }
            INFO_SET => {
                page.item_mut(OffsetNumber(1)).expect("item 1")[..8].copy_from_slice(data);
            }
            other => panic!("unknown test record {other}"),
        }
    }
    Ok(())
}

struct Cluster {
    pool: Arc<BufferPool>,
    wal: Arc<Wal>,
    checkpointer: Checkpointer,
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000),
    ))
}

fn new_pool(vfs: Arc<dyn Vfs>) -> Arc<BufferPool> {
    let smgr = Arc::new(Smgr::new(
        vfs,
        datadir(),
        SmgrConfig {
            segment_blocks: 4,
            ..SmgrConfig::default()
        },
    ));
    Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers: 4,
            data_checksums: true,
        },
        smgr,
        Arc::new(NoWalFlush),
    ))
}

/// initdb: directories, control file, WAL, and a shutdown checkpoint.
fn initdb(vfs: &FaultVfs) {
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
    let pool = new_pool(dyn_vfs.clone());
    pool.set_wal_flusher(wal.clone());
    let checkpointer = Checkpointer::new(dyn_vfs, datadir(), wal, pool, clock(), control);
    checkpointer
        .checkpoint(CheckpointKind::Shutdown)
        .expect("initdb checkpoint");
    vfs.sync_everything();
}

/// Server start: recovery, WAL open at its end, end-of-recovery checkpoint.
fn start(vfs: &FaultVfs) -> (Cluster, tusk_storage::RecoveryOutcome) {
    start_with(vfs, &registry())
}

/// [`start`] with a given redo registry.
fn start_with(vfs: &FaultVfs, registry: &RedoRegistry) -> (Cluster, tusk_storage::RecoveryOutcome) {
    let dyn_vfs: Arc<dyn Vfs> = Arc::new(vfs.clone());
    let pool = new_pool(dyn_vfs.clone());
    let outcome =
        recover(dyn_vfs.clone(), &datadir(), &pool, &wal_dir(), registry).expect("recovery");
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
    (
        Cluster {
            pool,
            wal,
            checkpointer,
        },
        outcome,
    )
}

/// One logged change: block, value, end LSN of its record.
#[derive(Clone, Copy, Debug)]
struct Change {
    block: u32,
    value: u64,
    end: Lsn,
}

/// An acknowledgement: every change up to `upto` is durable, as of sync count `syncs`.
#[derive(Clone, Copy, Debug)]
struct Ack {
    upto: Lsn,
    syncs: u64,
}

fn log_change(c: &Cluster, block: u32, value: u64, init: bool) -> Lsn {
    let pin = if init {
        c.pool.new_page(rel(), ForkNumber::Main).expect("extend")
    } else {
        c.pool
            .read_buffer(
                rel(),
                ForkNumber::Main,
                BlockNumber(block),
                ReadBufferMode::Normal,
            )
            .expect("read")
    };
    assert_eq!(pin.block(), BlockNumber(block));
    let mut page = pin.lock_exclusive();
    let old_lsn = page.lsn();
    let bytes = value.to_le_bytes();
    if init {
        page.init(0);
        page.add_item(&bytes, ItemPlacement::Append).expect("fits");
    } else {
        page.item_mut(OffsetNumber(1)).expect("item")[..8].copy_from_slice(&bytes);
    }
    let end = c.checkpointer.insert_with_redo(|redo| {
        let mut block_ref = BlockRef::new(rel(), ForkNumber::Main, BlockNumber(block));
        block_ref.data = bytes.to_vec();
        block_ref.will_init = init;
        if !init && needs_full_page_image(old_lsn, redo) {
            block_ref.image = Some(Box::new(*page.as_bytes()));
        }
        RecordBuilder::new(TEST_RMGR, if init { INFO_INIT } else { INFO_SET }).with_block(block_ref)
    });
    page.mark_dirty(end);
    end
}

/// Runs the workload; returns the changes and acknowledgements made.
fn workload(vfs: &FaultVfs, c: &Cluster) -> (Vec<Change>, Vec<Ack>) {
    let mut changes = Vec::new();
    let mut acks = Vec::new();
    let create_end = c.wal.insert(&create_record(rel(), ForkNumber::Main));
    c.pool
        .smgr()
        .create(rel(), ForkNumber::Main, false)
        .expect("create relation");
    for block in 0..BLOCKS {
        let end = log_change(c, block, 1000 + block as u64, true);
        changes.push(Change {
            block,
            value: 1000 + block as u64,
            end,
        });
    }
    let _ = create_end;
    let bgwriter = BgWriter::new(c.pool.clone(), BgWriterConfig::default());
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    for op in 0..OPS {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let block = ((rng >> 33) % BLOCKS as u64) as u32;
        let value = 2000 + op;
        let end = log_change(c, block, value, false);
        changes.push(Change { block, value, end });
        if op % 7 == 6 {
            c.wal.flush(end).expect("commit flush");
            acks.push(Ack {
                upto: end,
                syncs: vfs.sync_count(),
            });
        }
        if op % 11 == 10 {
            bgwriter.run_once();
        }
        if op % 40 == 39 {
            c.checkpointer
                .checkpoint(CheckpointKind::Online)
                .expect("checkpoint");
        }
    }
    (changes, acks)
}

/// Checks the recovered cluster against the workload's history.
fn verify(vfs: &FaultVfs, crash_sync: u64, mode: CrashMode, changes: &[Change], acks: &[Ack]) {
    // The pages as the crash left them, before recovery rewrites any.
    let raw = Smgr::new(
        Arc::new(vfs.clone()),
        datadir(),
        SmgrConfig {
            segment_blocks: 4,
            ..SmgrConfig::default()
        },
    );
    let mut crashed_pages = Vec::new();
    if raw.exists(rel(), ForkNumber::Main) {
        let n = raw.nblocks(rel(), ForkNumber::Main).expect("nblocks").0;
        for block in 0..n {
            let mut bytes = [0u8; PAGE_SIZE];
            raw.read(rel(), ForkNumber::Main, BlockNumber(block), &mut bytes)
                .expect("read crashed page");
            crashed_pages.push((block, bytes));
        }
    }
    let (c, outcome) = start(vfs);
    let end = outcome.end_of_wal;
    // Buffer rule 4: no intact page on disk is ahead of the durable WAL. (A torn page fails
    // its checksum; a full-page image in the WAL repairs it.)
    for (block, bytes) in &crashed_pages {
        let page = Page::from_bytes(bytes);
        if !page.is_new() && verify_page(bytes, *block, true, "base/5/16384").is_ok() {
            assert!(
                page.lsn() <= end,
                "crash at sync {crash_sync} ({mode:?}): block {block} on disk has LSN {} past the end of durable WAL {end}",
                page.lsn()
            );
        }
    }
    for ack in acks.iter().filter(|a| a.syncs <= crash_sync) {
        assert!(
            ack.upto <= end,
            "crash at sync {crash_sync} ({mode:?}): acknowledged WAL up to {} lost (recovered to {end})",
            ack.upto
        );
    }
    let smgr = c.pool.smgr();
    let nblocks = if smgr.exists(rel(), ForkNumber::Main) {
        smgr.nblocks(rel(), ForkNumber::Main).expect("nblocks").0
    } else {
        0
    };
    for block in 0..BLOCKS {
        let expected = changes
            .iter()
            .rev()
            .find(|ch| ch.block == block && ch.end <= end)
            .map(|ch| ch.value);
        let actual = if block < nblocks {
            let pin = c
                .pool
                .read_buffer(
                    rel(),
                    ForkNumber::Main,
                    BlockNumber(block),
                    ReadBufferMode::Normal,
                )
                .unwrap_or_else(|e| panic!("crash at sync {crash_sync} ({mode:?}): {e}"));
            let page = pin.lock_shared();
            if page.is_new() {
                None
            } else {
                let item = page.item(OffsetNumber(1)).expect("item");
                Some(u64::from_le_bytes(item[..8].try_into().expect("8 bytes")))
            }
        } else {
            None
        };
        assert_eq!(
            actual, expected,
            "crash at sync {crash_sync} ({mode:?}): block {block} after recovery to {end}"
        );
    }
    // The end-of-recovery checkpoint wrote every page with a checksum.
    for block in 0..nblocks {
        let mut bytes = [0u8; PAGE_SIZE];
        smgr.read(rel(), ForkNumber::Main, BlockNumber(block), &mut bytes)
            .expect("read");
        verify_page(&bytes, block, true, "base/5/16384")
            .unwrap_or_else(|e| panic!("crash at sync {crash_sync} ({mode:?}): {e}"));
        let page = Page::from_bytes(&bytes);
        assert!(
            page.lsn() <= c.wal.flushed_lsn(),
            "page LSN ahead of durable WAL"
        );
    }
}

fn fresh_cluster() -> (FaultVfs, Cluster) {
    let vfs = FaultVfs::new();
    initdb(&vfs);
    let (cluster, outcome) = start(&vfs);
    assert!(!outcome.crashed, "initdb ends with a clean shutdown");
    (vfs, cluster)
}

#[test]
fn clean_shutdown_needs_no_replay() {
    let (vfs, c) = fresh_cluster();
    let (changes, _) = workload(&vfs, &c);
    c.checkpointer
        .checkpoint(CheckpointKind::Shutdown)
        .expect("shutdown checkpoint");
    let after = vfs.crash(CrashMode::DropUnsynced);
    let (restarted, outcome) = start(&after);
    assert!(!outcome.crashed);
    let last = changes
        .iter()
        .rev()
        .find(|ch| ch.block == 0)
        .expect("block 0 changed");
    let pin = restarted
        .pool
        .read_buffer(
            rel(),
            ForkNumber::Main,
            BlockNumber(0),
            ReadBufferMode::Normal,
        )
        .expect("read");
    let page = pin.lock_shared();
    assert_eq!(
        page.item(OffsetNumber(1)).expect("item")[..8],
        last.value.to_le_bytes()
    );
}

#[test]
fn crash_at_every_fsync_point_recovers_acknowledged_changes() {
    crash_at_every_fsync_point();
}

#[test]
fn crash_at_every_fsync_point_with_compressed_full_page_images() {
    COMPRESSION.with(|c| c.set(WalCompression::Lz4));
    crash_at_every_fsync_point();
}

fn crash_at_every_fsync_point() {
    // A dry run counts the sync points of the workload (it is deterministic).
    let (vfs, c) = fresh_cluster();
    let base = vfs.sync_count();
    let (changes, acks) = workload(&vfs, &c);
    let total = vfs.sync_count() - base;
    assert!(
        total > 20,
        "workload should hit many sync points, got {total}"
    );
    assert!(acks.len() > 10);
    drop(c);
    for n in 1..=total {
        for mode in [
            CrashMode::DropUnsynced,
            CrashMode::TearLastWrite { keep_bytes: 4096 },
        ] {
            let (vfs, c) = fresh_cluster();
            let base = vfs.sync_count();
            vfs.crash_at_sync(n);
            let (run_changes, run_acks) = workload(&vfs, &c);
            assert_eq!(
                run_changes.len(),
                changes.len(),
                "workload is deterministic"
            );
            let after = vfs.crash(mode);
            let acks: Vec<Ack> = run_acks
                .iter()
                .map(|a| Ack {
                    upto: a.upto,
                    syncs: a.syncs - base,
                })
                .collect();
            verify(&after, n, mode, &run_changes, &acks);
        }
    }
}

/// Compares `actual` with `tests/golden/<name>`, or rewrites it with `UPDATE_GOLDEN=1`.
fn assert_golden(name: &str, actual: &str) {
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

fn read_value(c: &Cluster, block: u32) -> Option<u64> {
    let smgr = c.pool.smgr();
    if !smgr.exists(rel(), ForkNumber::Main)
        || block >= smgr.nblocks(rel(), ForkNumber::Main).expect("nblocks").0
    {
        return None;
    }
    let pin = c
        .pool
        .read_buffer(
            rel(),
            ForkNumber::Main,
            BlockNumber(block),
            ReadBufferMode::Normal,
        )
        .expect("read");
    let page = pin.lock_shared();
    page.item(OffsetNumber(1))
        .map(|item| u64::from_le_bytes(item[..8].try_into().expect("8 bytes")))
}

#[test]
fn golden_recovery_after_crash() {
    let (vfs, c) = fresh_cluster();
    let mut out = String::new();
    let step = |out: &mut String, what: &str| *out += &format!("> {what}\n");
    step(
        &mut out,
        "create relation; init blocks 0..3 = 1000..1002; commit",
    );
    c.wal.insert(&create_record(rel(), ForkNumber::Main));
    c.pool
        .smgr()
        .create(rel(), ForkNumber::Main, false)
        .expect("create");
    let mut last = Lsn::INVALID;
    for block in 0..3 {
        last = log_change(&c, block, 1000 + u64::from(block), true);
    }
    c.wal.flush(last).expect("commit");
    step(&mut out, "set 0 = 2000; set 1 = 2001; commit");
    log_change(&c, 0, 2000, false);
    last = log_change(&c, 1, 2001, false);
    c.wal.flush(last).expect("commit");
    step(&mut out, "checkpoint (online)");
    c.checkpointer
        .checkpoint(CheckpointKind::Online)
        .expect("checkpoint");
    step(&mut out, "set 0 = 2002; set 2 = 2003; commit");
    log_change(&c, 0, 2002, false);
    last = log_change(&c, 2, 2003, false);
    c.wal.flush(last).expect("commit");
    step(&mut out, "set 1 = 2004; set 0 = 2005 (not committed)");
    log_change(&c, 1, 2004, false);
    log_change(&c, 0, 2005, false);
    step(&mut out, "crash (unsynced writes lost); restart");
    let after = vfs.crash(CrashMode::DropUnsynced);

    let replayed = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut registry = RedoRegistry::new();
    let log = replayed.clone();
    registry.register(RmgrId::XLOG, move |_, record| {
        log.lock()
            .expect("log")
            .push(format!("XLOG info=0x{:02x}", record.info));
        Ok(())
    });
    let log = replayed.clone();
    registry.register(RmgrId::STORAGE, move |ctx, record| {
        log.lock()
            .expect("log")
            .push(format!("Storage info=0x{:02x}", record.info));
        tusk_storage::storage_wal::redo_storage(ctx, record)
    });
    let log = replayed.clone();
    registry.register(TEST_RMGR, move |ctx, record| {
        let b = &record.blocks[0];
        log.lock().expect("log").push(format!(
            "Generic {} blk {}{}{}",
            if record.info == INFO_INIT {
                "INIT"
            } else {
                "SET"
            },
            b.block,
            if b.image.is_some() { " FPI" } else { "" },
            if b.will_init { " will-init" } else { "" },
        ));
        test_redo(ctx, record)
    });
    let (restarted, outcome) = start_with(&after, &registry);
    out += &format!(
        "crashed={} records replayed={}\n",
        outcome.crashed, outcome.records
    );
    for line in replayed.lock().expect("log").iter() {
        out += &format!("  {line}\n");
    }
    for block in 0..3 {
        out += &format!("block {block} = {:?}\n", read_value(&restarted, block));
    }
    assert_golden("recovery_after_crash.txt", &out);
}

#[test]
fn fsync_failure_in_checkpoint_is_a_panic_and_recovery_keeps_acknowledged_changes() {
    let (vfs, c) = fresh_cluster();
    let mut last = Lsn::INVALID;
    c.wal.insert(&create_record(rel(), ForkNumber::Main));
    c.pool
        .smgr()
        .create(rel(), ForkNumber::Main, false)
        .expect("create");
    for block in 0..BLOCKS {
        last = log_change(&c, block, 1000 + u64::from(block), true);
    }
    c.wal.flush(last).expect("commit");
    let control_before = c.checkpointer.control_file();
    vfs.fail_sync_after(1);
    let err = c
        .checkpointer
        .checkpoint(CheckpointKind::Online)
        .expect_err("the data file fsync fails");
    assert_eq!(err.severity, tusk_types::Severity::Panic);
    assert!(err.message.starts_with("could not fsync file"), "{err}");
    assert_eq!(c.checkpointer.control_file(), control_before);
    // PANIC: the server restarts and recovers from the previous checkpoint.
    let after = vfs.crash(CrashMode::DropUnsynced);
    let (restarted, outcome) = start(&after);
    assert!(outcome.crashed);
    for block in 0..BLOCKS {
        assert_eq!(read_value(&restarted, block), Some(1000 + u64::from(block)));
    }
}
