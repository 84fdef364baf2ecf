//! Commit-log persistence and crash tests (clog rules 1–4, xact redo).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use tusk_io::{CrashMode, FaultVfs, ManualClock, MemVfs, Vfs};
use tusk_types::{Lsn, Xid};
use tusk_wal::{RmgrId, SyncMode, Wal, WalConfig, WalReader};

use tusk_storage::recovery::replay;
use tusk_storage::{BufferPool, BufferPoolConfig, NoWalFlush, RedoRegistry, Smgr, SmgrConfig};

use crate::{
    clog_page, register_redo, segment_file_name, xid_next, Clog, ProcArray, TransactionManager,
    XidGenerator, XidStatus, CLOG_XACTS_PER_PAGE, SLRU_PAGES_PER_SEGMENT,
};

const SEG: u64 = 64 * 1024;

fn datadir() -> PathBuf {
    PathBuf::from("/data")
}

fn wal_dir() -> PathBuf {
    datadir().join("pg_wal")
}

fn wal_config() -> WalConfig {
    WalConfig {
        wal_buffers_bytes: 4 * 8192,
        segment_size: SEG,
        ..WalConfig::default()
    }
}

fn fault_vfs() -> FaultVfs {
    let vfs = FaultVfs::new();
    vfs.create_dir_all(&wal_dir()).expect("mkdir pg_wal");
    vfs.create_dir_all(&datadir().join("pg_xact"))
        .expect("mkdir pg_xact");
    vfs.sync_everything();
    vfs
}

struct Cluster {
    wal: Arc<Wal>,
    clog: Arc<Clog>,
    procs: ProcArray,
    manager: TransactionManager,
}

fn cluster(vfs: &FaultVfs, buffers: usize) -> Cluster {
    let vfs: Arc<dyn Vfs> = Arc::new(vfs.clone());
    let wal = Arc::new(
        Wal::open(Arc::clone(&vfs), &wal_dir(), wal_config(), Lsn::INVALID).expect("open wal"),
    );
    let clog =
        Arc::new(Clog::open(vfs, &datadir(), Some(Arc::clone(&wal)), buffers).expect("clog"));
    let procs = ProcArray::new(Arc::new(XidGenerator::new(Xid::FIRST_NORMAL)));
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH));
    let manager = TransactionManager::new(Arc::clone(&wal), Arc::clone(&clog), clock);
    Cluster {
        wal,
        clog,
        procs,
        manager,
    }
}

/// Opens the commit log of a crashed file system and replays its WAL into it through the
/// storage layer's recovery loop with this crate's redo routines registered.
fn recover(crashed: FaultVfs) -> (Arc<Clog>, Arc<XidGenerator>) {
    let vfs: Arc<dyn Vfs> = Arc::new(crashed);
    let clog = Arc::new(Clog::open(Arc::clone(&vfs), &datadir(), None, 4).expect("clog"));
    let xids = Arc::new(XidGenerator::new(Xid::FIRST_NORMAL));
    let mut registry = RedoRegistry::new();
    register_redo(&mut registry, Arc::clone(&clog), Arc::clone(&xids));
    let smgr = Arc::new(Smgr::new(
        Arc::clone(&vfs),
        datadir(),
        SmgrConfig::default(),
    ));
    let pool = Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers: 8,
            data_checksums: false,
        },
        smgr,
        Arc::new(NoWalFlush),
    ));
    let mut reader = WalReader::new(vfs, &wal_dir(), Wal::initial_lsn(SEG));
    let outcome = replay(&pool, &registry, &mut reader).expect("replay");
    assert!(outcome.records > 0);
    (clog, xids)
}

#[test]
fn status_round_trips_through_cache_and_files() {
    let vfs: Arc<dyn Vfs> = Arc::new(MemVfs::new());
    let clog = Clog::open(Arc::clone(&vfs), Path::new("/d"), None, 2).expect("clog");
    let xids = [Xid(3), Xid(4), Xid(5), Xid(6), Xid(CLOG_XACTS_PER_PAGE + 1)];
    let statuses = [
        XidStatus::Committed,
        XidStatus::Aborted,
        XidStatus::SubCommitted,
        XidStatus::InProgress,
        XidStatus::Committed,
    ];
    for (&xid, &status) in xids.iter().zip(&statuses) {
        clog.set_status(xid, status, Lsn::INVALID).expect("set");
    }
    // Touch a third page so the least recently used one is evicted (written).
    let far = Xid(5 * CLOG_XACTS_PER_PAGE);
    clog.set_status(far, XidStatus::Aborted, Lsn::INVALID)
        .expect("set");
    for (&xid, &status) in xids.iter().zip(&statuses) {
        assert_eq!(clog.status(xid).expect("status"), status, "{xid}");
    }
    clog.flush().expect("flush");
    let reopened = Clog::open(vfs, Path::new("/d"), None, 2).expect("clog");
    for (&xid, &status) in xids.iter().zip(&statuses) {
        assert_eq!(reopened.status(xid).expect("status"), status, "{xid}");
    }
    assert_eq!(reopened.status(far).expect("status"), XidStatus::Aborted);
    assert_eq!(
        reopened.status(Xid(1000)).expect("status"),
        XidStatus::InProgress
    );
    assert_eq!(
        reopened.status(Xid::FROZEN).expect("status"),
        XidStatus::Committed
    );
    assert_eq!(
        reopened.status(Xid::INVALID).expect("status"),
        XidStatus::Aborted
    );
}

#[test]
fn segment_layout_is_postgresql_slru() {
    assert_eq!(CLOG_XACTS_PER_PAGE, 32768);
    assert_eq!(clog_page(Xid(32767)), 0);
    assert_eq!(clog_page(Xid(32768)), 1);
    assert_eq!(segment_file_name(0), "0000");
    assert_eq!(segment_file_name(SLRU_PAGES_PER_SEGMENT), "0001");
    assert_eq!(segment_file_name(clog_page(Xid(u32::MAX))), "0FFF");
    let vfs = MemVfs::new();
    let clog = Clog::open(Arc::new(vfs.clone()), Path::new("/d"), None, 2).expect("clog");
    // Page 33 lives in segment 0001 at offset (33 % 32) * 8192.
    let xid = Xid(33 * CLOG_XACTS_PER_PAGE + 5);
    clog.set_status(xid, XidStatus::Committed, Lsn::INVALID)
        .expect("set");
    clog.flush().expect("flush");
    let bytes = vfs
        .contents(Path::new("/d/pg_xact/0001"))
        .expect("segment 0001");
    assert_eq!(bytes.len(), 2 * 8192);
    assert_eq!(
        bytes[8192 + 1],
        1 << 2,
        "xid 5 of the page: byte 1, bits 2-3"
    );
}

#[test]
fn truncate_removes_whole_old_segments_only() {
    let vfs = MemVfs::new();
    let clog = Clog::open(Arc::new(vfs.clone()), Path::new("/d"), None, 2).expect("clog");
    let per_segment = CLOG_XACTS_PER_PAGE * SLRU_PAGES_PER_SEGMENT;
    for segment in 0..3 {
        let xid = Xid(segment * per_segment + 10);
        clog.set_status(xid, XidStatus::Committed, Lsn::INVALID)
            .expect("set");
    }
    clog.flush().expect("flush");
    let removed = clog.truncate(Xid(2 * per_segment + 5)).expect("truncate");
    assert_eq!(removed, 2);
    assert!(!vfs.exists(Path::new("/d/pg_xact/0000")));
    assert!(!vfs.exists(Path::new("/d/pg_xact/0001")));
    assert!(vfs.exists(Path::new("/d/pg_xact/0002")));
    let kept = Xid(2 * per_segment + 10);
    assert_eq!(clog.status(kept).expect("status"), XidStatus::Committed);
}

#[test]
fn clog_page_reaches_disk_only_after_its_commit_wal() {
    let vfs = fault_vfs();
    let c = cluster(&vfs, 2);
    let xid = c.procs.assign_xid(1, &c.clog).expect("xid");
    let commit = c
        .manager
        .commit_with(xid, &[], SyncMode::Off, &[])
        .expect("async commit");
    assert!(c.wal.flushed_lsn() < commit, "async commit does not flush");
    // Evict the page by touching two other pages: the eviction must flush WAL first.
    for page in [3, 4] {
        c.clog
            .set_status(
                Xid(page * CLOG_XACTS_PER_PAGE),
                XidStatus::Aborted,
                Lsn::INVALID,
            )
            .expect("set");
    }
    assert!(c.wal.flushed_lsn() >= commit, "clog rule 1 on eviction");

    let vfs2 = fault_vfs();
    let c2 = cluster(&vfs2, 4);
    let xid2 = c2.procs.assign_xid(1, &c2.clog).expect("xid");
    let commit2 = c2
        .manager
        .commit_with(xid2, &[], SyncMode::Off, &[])
        .expect("async commit");
    c2.clog.flush().expect("checkpoint the clog");
    assert!(c2.wal.flushed_lsn() >= commit2, "clog rule 1 at checkpoint");
}

#[test]
fn unflushed_commit_is_lost_and_flushed_commit_is_redone() {
    let vfs = fault_vfs();
    let c = cluster(&vfs, 4);
    let durable = c.procs.assign_xid(1, &c.clog).expect("xid");
    let sub = c.procs.assign_subxid(1, &c.clog).expect("subxid");
    let aborted = c.procs.assign_xid(2, &c.clog).expect("xid");
    let lost = c.procs.assign_xid(3, &c.clog).expect("xid");
    c.manager.commit(durable, &[sub]).expect("sync commit");
    c.manager.abort(aborted, &[]).expect("abort");
    c.manager
        .commit_with(lost, &[], SyncMode::Off, &[])
        .expect("async commit");
    for backend in 1..=3 {
        c.procs.end_transaction(backend);
    }
    assert_eq!(c.clog.status(lost).expect("status"), XidStatus::Committed);

    // Power loss: the clog pages were never written; the async commit record never flushed.
    let crashed = vfs.crash(CrashMode::DropUnsynced);
    let (clog, xids) = recover(crashed);
    assert_eq!(clog.status(durable).expect("status"), XidStatus::Committed);
    assert_eq!(clog.status(sub).expect("status"), XidStatus::Committed);
    assert_eq!(clog.status(lost).expect("status"), XidStatus::InProgress);
    // The abort record was never flushed: the xid reads as crashed, i.e. not committed.
    assert_ne!(clog.status(aborted).expect("status"), XidStatus::Committed);
    assert!(xid_after(xids.next_xid(), sub));
}

#[test]
fn checkpointed_clog_survives_crash_without_redo() {
    let vfs = fault_vfs();
    let c = cluster(&vfs, 4);
    let xid = c.procs.assign_xid(1, &c.clog).expect("xid");
    c.manager
        .commit_with(xid, &[], SyncMode::Off, &[])
        .expect("async commit");
    c.clog.flush().expect("checkpoint clog");
    let crashed: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    let clog = Clog::open(crashed, &datadir(), None, 4).expect("clog");
    assert_eq!(clog.status(xid).expect("status"), XidStatus::Committed);
}

#[test]
fn page_zeroing_is_logged_and_redone() {
    let vfs = fault_vfs();
    let c = cluster(&vfs, 4);
    c.procs
        .xid_generator()
        .set_next_xid(Xid(CLOG_XACTS_PER_PAGE - 1));
    let before = c.procs.assign_xid(1, &c.clog).expect("xid");
    c.clog
        .set_status(
            Xid(CLOG_XACTS_PER_PAGE + 7),
            XidStatus::Aborted,
            Lsn::INVALID,
        )
        .expect("stale bit on the next page");
    let first = c.procs.assign_xid(2, &c.clog).expect("xid");
    assert_eq!(first, Xid(CLOG_XACTS_PER_PAGE));
    // Extending zeroed the new page.
    assert_eq!(
        c.clog.status(Xid(CLOG_XACTS_PER_PAGE + 7)).expect("status"),
        XidStatus::InProgress
    );
    c.manager.commit(first, &[]).expect("commit");
    c.manager.commit(before, &[]).expect("commit");
    let (clog, xids) = recover(vfs.crash(CrashMode::DropUnsynced));
    assert_eq!(clog.status(first).expect("status"), XidStatus::Committed);
    assert_eq!(clog.status(before).expect("status"), XidStatus::Committed);
    assert_eq!(xids.next_xid(), Xid(CLOG_XACTS_PER_PAGE + 1));
}

fn xid_after(next: Xid, seen: Xid) -> bool {
    seen.precedes(next)
}

#[test]
fn truncate_is_circular_after_wraparound() {
    let vfs = MemVfs::new();
    let clog = Clog::open(Arc::new(vfs.clone()), Path::new("/d"), None, 2).expect("clog");
    let per_segment = CLOG_XACTS_PER_PAGE * SLRU_PAGES_PER_SEGMENT;
    let last_segment = u32::MAX / per_segment;
    // Old xids near 2^32, then current ones after the wrap in segment 0.
    let old = Xid(last_segment * per_segment + 10);
    let oldest_needed = Xid(u32::MAX - 100);
    let current = Xid(50);
    for xid in [Xid((last_segment - 1) * per_segment + 5), old, current] {
        clog.set_status(xid, XidStatus::Committed, Lsn::INVALID)
            .expect("set");
    }
    clog.flush().expect("flush");
    let removed = clog.truncate(oldest_needed).expect("truncate");
    assert_eq!(removed, 1, "only the segment before the oldest needed one");
    assert!(
        vfs.exists(Path::new("/d/pg_xact/0000")),
        "current xids kept"
    );
    assert!(vfs.exists(&Path::new("/d/pg_xact").join(segment_file_name(clog_page(old)))));
    assert_eq!(clog.status(current).expect("status"), XidStatus::Committed);
    assert_eq!(clog.status(old).expect("status"), XidStatus::Committed);
}

#[test]
fn commit_hints_wait_for_the_commit_record_flush() {
    let vfs = fault_vfs();
    let c = cluster(&vfs, 4);
    let xid = c.procs.assign_xid(1, &c.clog).expect("xid");
    let lsn = c
        .manager
        .commit_with(xid, &[], SyncMode::Off, &[])
        .expect("async commit");
    assert_eq!(c.clog.commit_lsn(xid), lsn);
    assert!(!c.clog.commit_hint_allowed(xid));
    c.wal.flush(lsn).expect("flush");
    assert!(c.clog.commit_hint_allowed(xid));
}

#[test]
fn savepoint_rollback_aborts_only_the_subtransactions() {
    let vfs = fault_vfs();
    let c = cluster(&vfs, 4);
    let top = c.procs.assign_xid(1, &c.clog).expect("xid");
    let kept = c.procs.assign_subxid(1, &c.clog).expect("subxid");
    let rolled_back = c.procs.assign_subxid(1, &c.clog).expect("subxid");
    c.manager
        .abort_subtransactions(top, &[rolled_back])
        .expect("rollback to savepoint");
    c.procs.remove_subxids(1, &[rolled_back]);
    assert_eq!(c.procs.current_xids(1), vec![top, kept]);
    assert_eq!(
        c.clog.status(rolled_back).expect("status"),
        XidStatus::Aborted
    );
    assert_eq!(c.clog.status(top).expect("status"), XidStatus::InProgress);
    c.manager.commit(top, &[kept]).expect("commit");
    c.procs.end_transaction(1);
    let (clog, _) = recover(vfs.crash(CrashMode::DropUnsynced));
    assert_eq!(clog.status(top).expect("status"), XidStatus::Committed);
    assert_eq!(clog.status(kept).expect("status"), XidStatus::Committed);
    assert_eq!(
        clog.status(rolled_back).expect("status"),
        XidStatus::Aborted
    );
}

#[test]
fn redo_routines_register_for_xact_and_clog() {
    let vfs: Arc<dyn Vfs> = Arc::new(MemVfs::new());
    let clog = Arc::new(Clog::open(vfs, Path::new("/d"), None, 2).expect("clog"));
    let mut registry = RedoRegistry::new();
    register_redo(&mut registry, clog, Arc::new(XidGenerator::new(Xid(3))));
    assert!(registry.contains(RmgrId::XACT));
    assert!(registry.contains(RmgrId::CLOG));
}

#[test]
fn recovered_clog_takes_the_wal_afterwards() {
    let vfs = fault_vfs();
    let c = cluster(&vfs, 4);
    let xid = c.procs.assign_xid(1, &c.clog).expect("xid");
    c.manager.commit(xid, &[]).expect("commit");
    let crashed = vfs.crash(CrashMode::DropUnsynced);
    let (clog, xids) = recover(crashed.clone());
    let after: Arc<dyn Vfs> = Arc::new(crashed);
    let wal = Arc::new(
        Wal::open(after, &wal_dir(), wal_config(), c.wal.flushed_lsn()).expect("reopen wal"),
    );
    assert!(clog.attach_wal(Arc::clone(&wal)));
    assert!(!clog.attach_wal(wal), "attached once");
    assert_eq!(xids.next_xid(), xid_next(xid));
    assert_eq!(clog.status(xid).expect("status"), XidStatus::Committed);
}
