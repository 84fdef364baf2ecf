//! Spread checkpoints, the checkpoint report (`log_checkpoints`), WAL segment retention at
//! checkpoints, and `fsync = off`, driven deterministically: a `ManualClock` that only the
//! checkpoint's naps advance, and `FaultVfs` sync counts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use tusk_io::{Clock, FaultVfs, ManualClock, Vfs};
use tusk_storage::{
    BufferPool, BufferPoolConfig, CheckpointKind, CheckpointPacing, CheckpointReport, Checkpointer,
    ItemPlacement, NoWalFlush, Smgr, SmgrConfig, SyncStats,
};
use tusk_types::{BlockNumber, ForkNumber, Lsn, Oid, RelFileLocator, Xid};
use tusk_wal::{
    BlockRef, ControlFile, DbState, RecordBuilder, RmgrId, SegmentCleanup, SegmentRetention, Wal,
    WalConfig,
};

const SEG: u64 = 64 * 1024;

fn datadir() -> PathBuf {
    PathBuf::from("/data")
}

fn rel() -> RelFileLocator {
    RelFileLocator {
        spc_oid: Oid(1663),
        db_oid: Oid(5),
        rel_number: Oid(16384),
    }
}

struct Setup {
    vfs: FaultVfs,
    clock: ManualClock,
    pool: Arc<BufferPool>,
    wal: Arc<Wal>,
    checkpointer: Checkpointer,
}

fn setup(fsync: bool) -> Setup {
    let vfs = FaultVfs::new();
    for dir in ["/data/global", "/data/base/5", "/data/pg_wal"] {
        vfs.create_dir_all(Path::new(dir)).expect("mkdir");
    }
    vfs.sync_everything();
    let dyn_vfs: Arc<dyn Vfs> = Arc::new(vfs.clone());
    let wal_config = WalConfig {
        segment_size: SEG,
        wal_buffers_bytes: 64 * 1024,
        fsync,
        ..WalConfig::default()
    };
    let wal = Arc::new(
        Wal::open(
            dyn_vfs.clone(),
            &datadir().join("pg_wal"),
            wal_config,
            Lsn::INVALID,
        )
        .expect("open wal"),
    );
    let smgr = Arc::new(Smgr::new(
        dyn_vfs.clone(),
        datadir(),
        SmgrConfig {
            segment_blocks: 8,
            fsync,
        },
    ));
    let pool = Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers: 32,
            data_checksums: true,
        },
        smgr,
        Arc::new(NoWalFlush),
    ));
    pool.set_wal_flusher(wal.clone());
    let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let control = ControlFile {
        system_identifier: 7,
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
        wal_segment_size: SEG as u32,
        block_size: 8192,
        data_checksums: true,
    };
    let checkpointer = Checkpointer::new(
        dyn_vfs,
        datadir(),
        wal.clone(),
        pool.clone(),
        Arc::new(clock.clone()),
        control,
    );
    pool.smgr()
        .create(rel(), ForkNumber::Main, false)
        .expect("create relation");
    Setup {
        vfs,
        clock,
        pool,
        wal,
        checkpointer,
    }
}

/// Dirties `count` pages: new pages at first, changed pages once they exist.
fn dirty_pages(s: &Setup, count: u32) {
    let existing = s.pool.nblocks(rel(), ForkNumber::Main).expect("nblocks").0;
    for block in 0..count {
        let pin = if block < existing {
            s.pool
                .read_buffer(
                    rel(),
                    ForkNumber::Main,
                    BlockNumber(block),
                    tusk_storage::ReadBufferMode::Normal,
                )
                .expect("read")
        } else {
            s.pool.new_page(rel(), ForkNumber::Main).expect("extend")
        };
        let mut page = pin.lock_exclusive();
        page.init(0);
        page.add_item(&[block as u8; 16], ItemPlacement::Append)
            .expect("fits");
        let end = s.checkpointer.insert_with_redo(|_| {
            let mut b = BlockRef::new(rel(), ForkNumber::Main, BlockNumber(block));
            b.image = Some(Box::new(*page.as_bytes()));
            RecordBuilder::new(RmgrId(20), 0).with_block(b)
        });
        page.mark_dirty(end);
    }
}

#[test]
fn spread_checkpoint_naps_while_ahead_of_the_time_schedule() {
    let s = setup(true);
    dirty_pages(&s, 20);
    let pacing = CheckpointPacing {
        completion_target: 0.5,
        checkpoint_timeout: Duration::from_secs(10),
        max_wal_size_bytes: 1 << 40,
    };
    // Each nap takes 1 s of (manual) time. After buffer i of 20 the checkpoint may have used
    // i/20 · 0.5 · 10 s = i/4 s, so it naps after buffers 1, 4, 8, 12, 16 and 20.
    let mut naps = Vec::new();
    let report = s
        .checkpointer
        .checkpoint_spread(CheckpointKind::Online, Some(pacing), &mut |d| {
            assert_eq!(d, tusk_storage::CHECKPOINT_NAP);
            naps.push(s.clock.monotonic());
            s.clock.advance(Duration::from_secs(1));
        })
        .expect("checkpoint");
    assert_eq!(report.buffers_written, 20);
    assert_eq!(naps.len(), 6, "naps at {naps:?}");
    assert_eq!(report.write_time, Duration::from_secs(6));
    assert_eq!(report.total_time, Duration::from_secs(6));
    assert_eq!(s.pool.stats().buffers_checkpoint, 20);
    assert!(report.complete_message(32).starts_with(
        "checkpoint complete: wrote 20 buffers (62.5%); 0 WAL file(s) added, 0 removed, 2 recycled; write=6.000 s, sync=0.000 s, total=6.000 s; sync files=3, longest=0.000 s, average=0.000 s; distance=0 kB, estimate=0 kB"
    ), "{}", report.complete_message(32));
}

#[test]
fn spread_checkpoint_stops_napping_when_wal_outruns_it() {
    let s = setup(true);
    dirty_pages(&s, 20);
    let pacing = CheckpointPacing {
        completion_target: 1.0,
        checkpoint_timeout: Duration::from_secs(3600),
        // A WAL budget of 80 KB: the 9 KB written during each nap uses it up quickly.
        max_wal_size_bytes: 160 * 1024,
    };
    let mut naps = 0;
    let report = s
        .checkpointer
        .checkpoint_spread(CheckpointKind::Online, Some(pacing), &mut |_| {
            naps += 1;
            dirty_pages(&s, 1);
        })
        .expect("checkpoint");
    assert!(report.buffers_written >= 20);
    assert!(naps > 0 && naps < 15, "{naps} naps");
}

#[test]
fn immediate_request_ends_the_pacing() {
    let s = setup(true);
    dirty_pages(&s, 20);
    let pacing = CheckpointPacing {
        completion_target: 0.9,
        checkpoint_timeout: Duration::from_secs(300),
        max_wal_size_bytes: 1 << 40,
    };
    let mut naps = 0;
    s.checkpointer
        .checkpoint_spread(CheckpointKind::Online, Some(pacing), &mut |_| {
            naps += 1;
            // Shutdown or a CHECKPOINT command asks for an immediate finish.
            s.checkpointer.request_immediate();
        })
        .expect("checkpoint");
    assert_eq!(naps, 1);
    // Unpaced (CHECKPOINT, shutdown, end of recovery): never naps.
    dirty_pages(&s, 20);
    let report = s
        .checkpointer
        .checkpoint_spread(CheckpointKind::Online, None, &mut |_| {
            panic!("an immediate checkpoint does not nap")
        })
        .expect("checkpoint");
    assert_eq!(report.buffers_written, 20);
    // The real-time variant returns without waiting once asked to hurry.
    dirty_pages(&s, 20);
    std::thread::scope(|scope| {
        let running = scope.spawn(|| {
            s.checkpointer
                .checkpoint_paced(CheckpointKind::Online, Some(pacing))
                .expect("checkpoint")
        });
        while !running.is_finished() {
            s.checkpointer.request_immediate();
            std::thread::yield_now();
        }
        assert_eq!(running.join().expect("join").buffers_written, 20);
    });
}

#[test]
fn report_has_distance_estimate_and_segment_counts() {
    let s = setup(true);
    s.checkpointer.set_segment_retention(SegmentRetention {
        wal_keep_size_bytes: 0,
        min_wal_size_bytes: 2 * SEG,
        max_wal_size_bytes: 4 * SEG,
        checkpoint_completion_target: 0.9,
        wal_recycle: true,
    });
    let first = s
        .checkpointer
        .checkpoint_spread(CheckpointKind::Online, None, &mut |_| {})
        .expect("first");
    assert_eq!((first.distance_bytes, first.estimate_bytes), (0, 0));
    // About 5 segments of WAL (full-page images of 8 KB each).
    for _ in 0..5 {
        dirty_pages(&s, 8);
    }
    let second = s
        .checkpointer
        .checkpoint_spread(CheckpointKind::Online, None, &mut |_| {})
        .expect("second");
    let distance = second.redo.0 - first.redo.0;
    assert_eq!(second.distance_bytes, distance);
    assert_eq!(second.estimate_bytes, distance, "first estimate jumps up");
    // Backends created the segments; the checkpoint preallocates at most one.
    assert!(second.segments_added <= 1, "{second:?}");
    assert_eq!(
        second.segments.removed + second.segments.recycled,
        (second.redo.0 / SEG - first.redo.0 / SEG) as u32
    );
    assert!(second.segments.recycled >= 1);
    // A shorter interval lowers the estimate slowly (0.9 · old + 0.1 · new).
    dirty_pages(&s, 2);
    let third = s
        .checkpointer
        .checkpoint_spread(CheckpointKind::Online, None, &mut |_| {})
        .expect("third");
    let expected = (0.9 * distance as f64 + 0.1 * third.distance_bytes as f64) as u64;
    assert_eq!(third.estimate_bytes, expected);
    assert_eq!(s.checkpointer.distance_estimate(), expected);
}

#[test]
fn complete_message_has_postgresql_15_shape() {
    let report = CheckpointReport {
        lsn: Lsn(0x100_0028),
        redo: Lsn(0x100_0028),
        buffers_written: 3,
        segments_added: 1,
        segments: SegmentCleanup {
            removed: 2,
            recycled: 3,
        },
        write_time: Duration::from_micros(1_234_100),
        sync_time: Duration::from_micros(5_001),
        total_time: Duration::from_millis(1_300),
        sync: SyncStats {
            files: 4,
            longest: Duration::from_micros(2_500),
            total: Duration::from_micros(4_000),
        },
        distance_bytes: 10 * 1024 + 1000,
        estimate_bytes: 20 * 1024,
    };
    assert_eq!(
        report.complete_message(128),
        "checkpoint complete: wrote 3 buffers (2.3%); 1 WAL file(s) added, 2 removed, 3 recycled; \
         write=1.235 s, sync=0.006 s, total=1.300 s; sync files=4, longest=0.003 s, \
         average=0.001 s; distance=10 kB, estimate=20 kB"
    );
}

#[test]
fn fsync_off_makes_no_sync_calls_in_checkpoints_and_flushes() {
    let s = setup(false);
    let before = s.vfs.sync_count();
    for _ in 0..3 {
        dirty_pages(&s, 10);
        let end = s.wal.insert(&RecordBuilder::new(RmgrId::XACT, 0));
        s.wal.flush(end).expect("commit flush");
        s.checkpointer
            .checkpoint(CheckpointKind::Online)
            .expect("checkpoint");
    }
    s.checkpointer
        .checkpoint(CheckpointKind::Shutdown)
        .expect("shutdown checkpoint");
    assert_eq!(s.vfs.sync_count(), before, "fsync = off: no sync calls");
    assert_eq!(
        ControlFile::read(&s.vfs, &datadir())
            .expect("control file")
            .state,
        DbState::Shutdowned
    );
    // The same work with fsync on does sync (the counter is live).
    let on = setup(true);
    let before = on.vfs.sync_count();
    dirty_pages(&on, 10);
    on.checkpointer
        .checkpoint(CheckpointKind::Online)
        .expect("checkpoint");
    assert!(on.vfs.sync_count() > before);
}
