//! Tests of the WAL as a whole: insert → flush → crash (through `FaultVfs`) → read back.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use proptest::prelude::*;
use tusk_io::{CrashMode, FaultVfs, File, MemVfs, OpenOptions, Vfs};
use tusk_types::{BlockNumber, ForkNumber, Lsn, Oid, RelFileLocator, Severity, SqlState, Xid};

use crate::page::{segment_file_name, WAL_PAGE_SIZE};
use crate::*;

const SEG: u64 = 64 * 1024;

fn config() -> WalConfig {
    WalConfig {
        wal_buffers_bytes: 4 * 8192,
        segment_size: SEG,
        ..WalConfig::default()
    }
}

fn wal_dir() -> PathBuf {
    PathBuf::from("/data/pg_wal")
}

fn fault_vfs() -> FaultVfs {
    let vfs = FaultVfs::new();
    vfs.create_dir_all(&wal_dir()).expect("mkdir");
    vfs.sync_everything();
    vfs
}

fn locator() -> RelFileLocator {
    RelFileLocator {
        spc_oid: Oid(1663),
        db_oid: Oid(5),
        rel_number: Oid(16384),
    }
}

/// A heap-like record whose size varies with `i` (some carry a full-page image).
fn record(i: u32) -> RecordBuilder {
    let mut block = BlockRef::new(locator(), ForkNumber::Main, BlockNumber(i / 10));
    block.data = vec![i as u8; (i as usize * 37) % 300];
    if i % 13 == 5 {
        block.image = Some(Box::new([i as u8; PAGE_IMAGE_SIZE]));
    }
    RecordBuilder::new(RmgrId::HEAP, 0x10)
        .with_xid(Xid(1000 + i))
        .with_block(block)
        .with_main_data(vec![(i % 251) as u8; (i as usize * 101) % 1500])
}

fn commit(i: u32) -> RecordBuilder {
    RecordBuilder::new(RmgrId::XACT, xact_info::COMMIT)
        .with_xid(Xid(1000 + i))
        .with_main_data(XactRecord::new(Xid(1000 + i), i as i64).encode())
}

fn read_all(vfs: Arc<dyn Vfs>, start: Lsn) -> tusk_types::Result<Vec<DecodedRecord>> {
    let mut reader = WalReader::new(vfs, &wal_dir(), start);
    let mut out = Vec::new();
    while let Some(rec) = reader.next()? {
        out.push(rec);
    }
    Ok(out)
}

fn same_record(decoded: &DecodedRecord, built: &RecordBuilder) -> bool {
    decoded.xid == built.xid
        && decoded.rmgr == built.rmgr
        && decoded.info == built.info
        && decoded.blocks == built.blocks
        && decoded.main_data == built.main_data
}

#[test]
fn records_round_trip_across_pages_and_segments() {
    let vfs = Arc::new(fault_vfs());
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    let start = wal.next_record_lsn();
    assert_eq!(start, Lsn(SEG + 40));
    let mut ends = Vec::new();
    for i in 0..300 {
        ends.push(wal.insert_record(&record(i)));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    assert_eq!(wal.flushed_lsn(), wal.insert_lsn());
    let records = read_all(vfs.clone(), start).expect("read");
    assert_eq!(records.len(), 300);
    let mut prev = Lsn::INVALID;
    for (i, rec) in records.iter().enumerate() {
        assert!(same_record(rec, &record(i as u32)), "record {i}");
        assert_eq!((rec.lsn, rec.end_lsn), ends[i]);
        assert_eq!(rec.prev, prev);
        prev = rec.lsn;
    }
    let segments = vfs.read_dir(&wal_dir()).expect("ls").len();
    assert!(segments > 3, "records span {segments} segments");
    let stats = wal.stats();
    assert_eq!(stats.records, 300);
    assert_eq!(stats.fpi, 23);
    assert!(stats.buffers_full > 0);
}

#[test]
fn record_larger_than_buffers_and_segments() {
    let vfs = Arc::new(MemVfs::new());
    vfs.create_dir_all(&wal_dir()).expect("mkdir");
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    let mut big = RecordBuilder::new(RmgrId::XLOG, xlog_info::FPI);
    for b in 0..MAX_BLOCK_REFS as u32 {
        let mut block = BlockRef::new(locator(), ForkNumber::Main, BlockNumber(b));
        block.image = Some(Box::new([b as u8; PAGE_IMAGE_SIZE]));
        big.blocks.push(block);
    }
    let first = wal.insert(&commit(1));
    let end = wal.insert(&big);
    wal.insert(&commit(2));
    assert!(end.0 - first.0 > 4 * SEG);
    wal.flush(wal.insert_lsn()).expect("flush");
    let records = read_all(vfs, Lsn(SEG)).expect("read");
    assert_eq!(records.len(), 3);
    assert!(same_record(&records[1], &big));
    assert!(same_record(&records[2], &commit(2)));
}

#[test]
fn full_page_image_decision_is_rechecked_at_insert() {
    let vfs = Arc::new(MemVfs::new());
    let wal = Wal::open(vfs, &wal_dir(), config(), Lsn::INVALID).expect("open");
    let page_lsn = wal.insert(&commit(1));
    let redo = wal.redo_lsn();
    assert!(!wal.needs_full_page_image(page_lsn, redo));
    // A checkpoint begins between the decision and the insertion.
    let new_redo = wal.begin_checkpoint();
    assert_eq!(new_redo, wal.next_record_lsn());
    assert!(wal.insert_if_redo_unchanged(&record(1), redo).is_none());
    assert!(wal.needs_full_page_image(page_lsn, new_redo));
    let (start, _) = wal
        .insert_if_redo_unchanged(&record(5), new_redo)
        .expect("redo unchanged");
    assert_eq!(start, new_redo);
    let off = Wal::open(
        Arc::new(MemVfs::new()),
        &wal_dir(),
        WalConfig {
            full_page_writes: false,
            ..config()
        },
        Lsn::INVALID,
    )
    .expect("open");
    assert!(!off.needs_full_page_image(Lsn(1), off.begin_checkpoint()));
}

#[test]
fn preallocated_segment_is_used_as_is() {
    let vfs = Arc::new(fault_vfs());
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    assert!(wal.preallocate_next_segment().expect("create"));
    assert!(!wal.preallocate_next_segment().expect("exists"));
    let next = wal_dir().join(segment_file_name(1, 2, SEG));
    assert_eq!(vfs.contents(&next).expect("full length").len() as u64, SEG);
    let ends: Vec<Lsn> = (0..120).map(|i| wal.insert(&record(i))).collect();
    wal.flush(ends[119]).expect("flush");
    assert!(ends[119].0 > 2 * SEG);
    let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    assert_eq!(read_all(after, Lsn(SEG)).expect("read").len(), 120);
}

#[test]
fn concurrent_inserts_flushes_and_writer_steps_lose_nothing() {
    const THREADS: u32 = 4;
    const PER_THREAD: u32 = 150;
    let vfs = Arc::new(fault_vfs());
    let wal = Arc::new(Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open"));
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let wal = wal.clone();
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    let n = t * PER_THREAD + i;
                    let end = wal.insert(&record(n));
                    if n.is_multiple_of(7) {
                        wal.flush(end).expect("flush");
                        assert!(wal.flushed_lsn() >= end);
                    }
                    if n.is_multiple_of(11) {
                        wal.writer_step().expect("writer step");
                    }
                }
            });
        }
    });
    wal.flush(wal.insert_lsn()).expect("flush");
    let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    let records = read_all(after, Lsn(SEG)).expect("read");
    let mut seen: Vec<u32> = records.iter().map(|r| r.xid.0 - 1000).collect();
    for rec in &records {
        assert!(same_record(rec, &record(rec.xid.0 - 1000)));
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..THREADS * PER_THREAD).collect::<Vec<_>>());
}

#[test]
fn real_file_system_round_trip() {
    let root = tempfile::tempdir().expect("temporary directory");
    let dir = root.path().join("pg_wal");
    let vfs: Arc<dyn Vfs> = Arc::new(tusk_io::RealVfs::new());
    let wal = Wal::open(vfs.clone(), &dir, config(), Lsn::INVALID).expect("open");
    for i in 0..100 {
        wal.insert(&record(i));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"000000010000000000000001".to_string()),
        "{names:?}"
    );
    let len = std::fs::metadata(dir.join("000000010000000000000001"))
        .expect("stat")
        .len();
    assert_eq!(len, SEG);
    let mut reader = WalReader::new(vfs, &dir, Lsn(SEG));
    let mut n = 0;
    while let Some(rec) = reader.next().expect("read") {
        assert!(same_record(&rec, &record(n)));
        n += 1;
    }
    assert_eq!(n, 100);
}

#[test]
fn reader_stops_at_a_limit() {
    let vfs = Arc::new(MemVfs::new());
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    let ends: Vec<Lsn> = (0..10).map(|i| wal.insert(&commit(i))).collect();
    wal.flush(ends[9]).expect("flush");
    let mut reader = WalReader::new(vfs, &wal_dir(), Lsn(SEG)).stop_at(ends[4]);
    let mut n = 0;
    while reader.next().expect("read").is_some() {
        n += 1;
    }
    assert_eq!(n, 5);
    assert_eq!(reader.end_of_wal(), ends[4]);
}

#[test]
fn flush_beyond_insert_position_is_an_error() {
    let vfs = Arc::new(MemVfs::new());
    let wal = Wal::open(vfs, &wal_dir(), config(), Lsn::INVALID).expect("open");
    let end = wal.insert(&commit(1));
    let err = wal.flush(Lsn(end.0 + 8)).expect_err("beyond");
    assert_eq!(err.code, SqlState::INTERNAL_ERROR);
    wal.flush(end).expect("flush");
}

#[test]
fn torn_tail_ends_the_wal_cleanly() {
    for keep_bytes in [0, 1, 24, 100, 4096, 8191, 8192, 8200, 12000, 20000] {
        let vfs = Arc::new(fault_vfs());
        let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
        for i in 0..40 {
            wal.insert(&record(i));
        }
        wal.flush(wal.insert_lsn()).expect("flush");
        let durable = 40;
        // More records written to the OS but never synced; the crash tears the last write.
        for i in 40..60 {
            wal.insert(&record(i));
        }
        wal.writer_step().expect("write without flush");
        assert!(wal.flushed_lsn() < wal.written_lsn());
        let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::TearLastWrite { keep_bytes }));
        let records = read_all(after, Lsn(SEG)).expect("torn tail is the end, not corruption");
        assert!(
            records.len() >= durable,
            "keep {keep_bytes}: lost synced records"
        );
        for (i, rec) in records.iter().enumerate() {
            assert!(
                same_record(rec, &record(i as u32)),
                "keep {keep_bytes}: record {i}"
            );
        }
    }
}

#[test]
fn zeroed_tail_and_missing_segment_end_the_wal() {
    let vfs = Arc::new(fault_vfs());
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    for i in 0..30 {
        wal.insert(&commit(i));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    let end = wal.insert_lsn();
    let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    let mut reader = WalReader::new(after, &wal_dir(), Lsn(SEG));
    let mut n = 0;
    while reader.next().expect("read").is_some() {
        n += 1;
    }
    assert_eq!(n, 30);
    assert_eq!(reader.end_of_wal(), end);
    assert!(reader.next().expect("stays ended").is_none());
    // An empty directory is an empty WAL.
    let empty = Arc::new(MemVfs::new());
    empty.create_dir_all(&wal_dir()).expect("mkdir");
    assert!(read_all(empty, Lsn(SEG)).expect("empty").is_empty());
}

/// Flips one byte of the WAL at LSN `at`.
fn damage(vfs: &dyn Vfs, at: Lsn) {
    let path = wal_dir().join(segment_file_name(1, at.0 / SEG, SEG));
    let file = vfs.open(&path, OpenOptions::EXISTING).expect("segment");
    let mut byte = [0u8];
    file.read_exact_at(&mut byte, at.0 % SEG).expect("read");
    file.write_all_at(&[byte[0] ^ 0x40], at.0 % SEG)
        .expect("write");
}

#[test]
fn corruption_followed_by_valid_records_is_an_error() {
    let vfs = Arc::new(MemVfs::new());
    vfs.create_dir_all(&wal_dir()).expect("mkdir");
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    let positions: Vec<(Lsn, Lsn)> = (0..60).map(|i| wal.insert_record(&commit(i))).collect();
    wal.flush(wal.insert_lsn()).expect("flush");

    // A damaged body in the middle: the record after it is valid.
    damage(vfs.as_ref(), Lsn(positions[10].0 .0 + 30));
    let mut reader = WalReader::new(vfs.clone(), &wal_dir(), Lsn(SEG));
    for i in 0..10 {
        let rec = reader.next().expect("valid").expect("present");
        assert!(same_record(&rec, &commit(i)));
    }
    let err = reader.next().expect_err("mid-stream corruption");
    assert_eq!(err.code, SqlState::DATA_CORRUPTED);
    let at = positions[10].0;
    assert!(
        err.message
            .starts_with(&format!("invalid WAL record at {at}: ")),
        "{}",
        err.message
    );

    // The same damage in the last record is just the end of the WAL.
    let vfs = Arc::new(MemVfs::new());
    vfs.create_dir_all(&wal_dir()).expect("mkdir");
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    let positions: Vec<(Lsn, Lsn)> = (0..60).map(|i| wal.insert_record(&commit(i))).collect();
    wal.flush(wal.insert_lsn()).expect("flush");
    damage(vfs.as_ref(), Lsn(positions[59].0 .0 + 30));
    assert_eq!(read_all(vfs.clone(), Lsn(SEG)).expect("end").len(), 59);

    // A damaged length field: found through the next page's continuation data.
    damage(vfs.as_ref(), Lsn(positions[20].0 .0 + 2));
    let err = read_all(vfs, Lsn(SEG))
        .map(|r| r.len())
        .expect_err("bad length mid-stream");
    assert_eq!(err.code, SqlState::DATA_CORRUPTED);
}

#[test]
fn damaged_page_header_mid_stream_is_an_error() {
    let vfs = Arc::new(MemVfs::new());
    vfs.create_dir_all(&wal_dir()).expect("mkdir");
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    for i in 0..100 {
        wal.insert(&record(i));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    // The page address field of the third page.
    damage(vfs.as_ref(), Lsn(SEG + 2 * WAL_PAGE_SIZE + 9));
    let err = read_all(vfs.clone(), Lsn(SEG))
        .map(|r| r.len())
        .expect_err("corrupt");
    assert_eq!(err.code, SqlState::DATA_CORRUPTED);
    // PostgreSQL's behaviour on request: the WAL just ends there.
    let mut reader = WalReader::new(vfs, &wal_dir(), Lsn(SEG)).end_at_first_invalid();
    let mut n = 0;
    while reader.next().expect("no error").is_some() {
        n += 1;
    }
    assert!(n > 0 && n < 100);
    assert_eq!(err.code, SqlState::DATA_CORRUPTED);
}

#[test]
fn fsync_failure_breaks_the_wal_for_good() {
    let vfs = Arc::new(fault_vfs());
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    let end = wal.insert(&commit(1));
    wal.flush(end).expect("first flush");
    let end = wal.insert(&commit(2));
    vfs.fail_sync_after(1);
    let err = wal.flush(end).expect_err("fsync fails");
    assert_eq!(err.severity, Severity::Panic);
    assert!(
        err.message.starts_with("could not fsync file"),
        "{}",
        err.message
    );
    assert!(wal.flushed_lsn() < end);
    // Later syncs would succeed, but no commit may be acknowledged after a failed fsync.
    let err = wal.flush(end).expect_err("still broken");
    assert_eq!(err.severity, Severity::Panic);
    assert!(wal.writer_step().is_err());
}

#[test]
fn writer_step_honours_flush_after() {
    let vfs = Arc::new(fault_vfs());
    let cfg = WalConfig {
        wal_writer_flush_after_bytes: 32 * 1024,
        wal_buffers_bytes: 64 * 8192,
        ..config()
    };
    let wal = Wal::open(vfs.clone(), &wal_dir(), cfg, Lsn::INVALID).expect("open");
    let start = wal.flushed_lsn();
    for i in 0..5 {
        wal.insert(&commit(i));
    }
    wal.writer_step().expect("step");
    assert_eq!(wal.written_lsn(), wal.insert_lsn());
    assert_eq!(wal.flushed_lsn(), start, "little WAL: written, not flushed");
    wal.writer_step().expect("step");
    assert_eq!(
        wal.flushed_lsn(),
        wal.insert_lsn(),
        "flushed on the next round"
    );
    for i in 0..40 {
        wal.insert(&record(i));
    }
    wal.writer_step().expect("step");
    assert_eq!(
        wal.flushed_lsn(),
        wal.insert_lsn(),
        "past flush_after: flushed at once"
    );
    wal.writer_step().expect("idle step");
}

/// A VFS whose first armed `sync_data` waits until `expected` commits were inserted, so that
/// the batching of group commit is forced without timing.
struct GatedVfs {
    inner: FaultVfs,
    gate: Arc<Gate>,
}

struct Gate {
    armed: AtomicBool,
    expected: usize,
    inserted: Mutex<usize>,
    changed: Condvar,
    data_syncs: AtomicUsize,
}

struct GatedFile {
    inner: Arc<dyn File>,
    gate: Arc<Gate>,
}

impl Vfs for GatedVfs {
    fn open(&self, path: &Path, opts: OpenOptions) -> std::io::Result<Arc<dyn File>> {
        Ok(Arc::new(GatedFile {
            inner: self.inner.open(path, opts)?,
            gate: self.gate.clone(),
        }))
    }
    fn remove_file(&self, path: &Path) -> std::io::Result<()> {
        self.inner.remove_file(path)
    }
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        self.inner.rename(from, to)
    }
    fn create_dir_all(&self, path: &Path) -> std::io::Result<()> {
        self.inner.create_dir_all(path)
    }
    fn remove_dir(&self, path: &Path) -> std::io::Result<()> {
        self.inner.remove_dir(path)
    }
    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<PathBuf>> {
        self.inner.read_dir(path)
    }
    fn exists(&self, path: &Path) -> bool {
        self.inner.exists(path)
    }
    fn sync_dir(&self, path: &Path) -> std::io::Result<()> {
        self.inner.sync_dir(path)
    }
}

impl File for GatedFile {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        self.inner.read_at(buf, offset)
    }
    fn write_all_at(&self, buf: &[u8], offset: u64) -> std::io::Result<()> {
        self.inner.write_all_at(buf, offset)
    }
    fn sync_data(&self) -> std::io::Result<()> {
        if self.gate.armed.swap(false, Ordering::SeqCst) {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut inserted = self.gate.inserted.lock();
            while *inserted < self.gate.expected && Instant::now() < deadline {
                self.gate.changed.wait_until(&mut inserted, deadline);
            }
        }
        self.gate.data_syncs.fetch_add(1, Ordering::SeqCst);
        self.inner.sync_data()
    }
    fn sync_all(&self) -> std::io::Result<()> {
        self.inner.sync_all()
    }
    fn len(&self) -> std::io::Result<u64> {
        self.inner.len()
    }
    fn set_len(&self, len: u64) -> std::io::Result<()> {
        self.inner.set_len(len)
    }
}

#[test]
fn group_commit_serves_many_commits_with_few_fsyncs() {
    const COMMITS: usize = 8;
    let fault = fault_vfs();
    let gate = Arc::new(Gate {
        armed: AtomicBool::new(false),
        expected: COMMITS,
        inserted: Mutex::new(0),
        changed: Condvar::new(),
        data_syncs: AtomicUsize::new(0),
    });
    let vfs = Arc::new(GatedVfs {
        inner: fault.clone(),
        gate: gate.clone(),
    });
    let wal = Arc::new(Wal::open(vfs, &wal_dir(), config(), Lsn::INVALID).expect("open"));
    gate.data_syncs.store(0, Ordering::SeqCst);
    gate.armed.store(true, Ordering::SeqCst);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    std::thread::scope(|scope| {
        for t in 0..COMMITS as u32 {
            let (wal, gate, acknowledged) = (wal.clone(), gate.clone(), acknowledged.clone());
            scope.spawn(move || {
                let end = wal.insert(&commit(t));
                *gate.inserted.lock() += 1;
                gate.changed.notify_all();
                wal.flush(end).expect("flush");
                assert!(wal.flushed_lsn() >= end);
                acknowledged.lock().push(t);
            });
        }
    });
    let fsyncs = gate.data_syncs.load(Ordering::SeqCst);
    assert_eq!(acknowledged.lock().len(), COMMITS);
    assert!(
        (1..=2).contains(&fsyncs),
        "{COMMITS} commits took {fsyncs} fsyncs"
    );
    assert!(fsyncs < COMMITS);
    // Every acknowledged commit survives a power loss.
    let after: Arc<dyn Vfs> = Arc::new(fault.crash(CrashMode::DropUnsynced));
    let mut xids: Vec<u32> = read_all(after, Lsn(SEG))
        .expect("read")
        .iter()
        .map(|r| r.xid.0 - 1000)
        .collect();
    xids.sort_unstable();
    assert_eq!(xids, (0..COMMITS as u32).collect::<Vec<_>>());
}

/// One commit per flush; returns for each commit the sync count once its flush returned.
fn commit_workload(vfs: &FaultVfs, commits: u32) -> Vec<u64> {
    let wal = Wal::open(Arc::new(vfs.clone()), &wal_dir(), config(), Lsn::INVALID).expect("open");
    (0..commits)
        .map(|i| {
            wal.insert(&record(i));
            let end = wal.insert(&commit(i));
            wal.flush(end).expect("flush");
            vfs.sync_count()
        })
        .collect()
}

#[test]
fn crash_at_every_sync_point_keeps_acknowledged_commits() {
    const COMMITS: u32 = 25;
    let probe = fault_vfs();
    let base = probe.sync_count();
    let acked_at = commit_workload(&probe, COMMITS);
    let total = probe.sync_count() - base;
    for point in 0..=total {
        for mode in [
            CrashMode::DropUnsynced,
            CrashMode::TearLastWrite { keep_bytes: 5000 },
        ] {
            let vfs = fault_vfs();
            vfs.crash_at_sync(point);
            commit_workload(&vfs, COMMITS);
            let after = vfs.crash(mode);
            let mut reader = WalReader::new(Arc::new(after.clone()), &wal_dir(), Lsn(SEG));
            let mut records = Vec::new();
            while let Some(rec) = reader.next().expect("crash leaves no corruption") {
                records.push(rec);
            }
            let durable = acked_at.iter().filter(|s| **s - base <= point).count();
            assert!(
                records.len() >= 2 * durable,
                "sync point {point}: {} records, {durable} commits acknowledged",
                records.len()
            );
            // Recovery continues the WAL at its end; old and new records read as one chain.
            let end = reader.end_of_wal();
            let after: Arc<dyn Vfs> = Arc::new(after);
            let wal = Wal::open(after.clone(), &wal_dir(), config(), end).expect("reopen");
            let last = wal.insert(&commit(999));
            wal.flush(last).expect("flush");
            let again = read_all(after, Lsn(SEG)).expect("read after restart");
            assert_eq!(again.len(), records.len() + 1, "sync point {point}");
            assert!(same_record(again.last().expect("last"), &commit(999)));
        }
    }
}

#[test]
fn reopen_finds_prev_link_across_segments() {
    let vfs = Arc::new(MemVfs::new());
    vfs.create_dir_all(&wal_dir()).expect("mkdir");
    let mut ends = Vec::new();
    {
        let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
        for i in 0..200 {
            ends.push(wal.insert_record(&record(i)));
        }
        wal.flush(wal.insert_lsn()).expect("flush");
    }
    // Reopen at several record boundaries, including ones right at segment starts.
    for &(start, end) in ends.iter().rev().step_by(37) {
        let vfs = Arc::new(vfs.deep_clone());
        let wal = Wal::open(vfs.clone(), &wal_dir(), config(), end).expect("reopen");
        let (next, _) = wal.insert_record(&commit(7));
        wal.flush(wal.insert_lsn()).expect("flush");
        let mut reader = WalReader::new(vfs, &wal_dir(), start);
        assert_eq!(reader.next().expect("read").expect("record").lsn, start);
        let rec = reader.next().expect("read").expect("new record");
        assert_eq!((rec.lsn, rec.prev), (next, start));
        assert!(reader.next().expect("end").is_none());
    }
}

#[test]
fn old_segments_are_recycled_and_removed() {
    let vfs = Arc::new(fault_vfs());
    let cfg = WalConfig {
        recycle_segments: 2,
        ..config()
    };
    let wal = Wal::open(vfs.clone(), &wal_dir(), cfg, Lsn::INVALID).expect("open");
    let mut lsns = Vec::new();
    for i in 0..150 {
        lsns.push(wal.insert_record(&record(i)));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    let before = vfs.read_dir(&wal_dir()).expect("ls");
    let keep = lsns[100].0;
    wal.remove_old_segments(keep).expect("remove");
    let after = vfs.read_dir(&wal_dir()).expect("ls");
    let keep_name = segment_file_name(1, keep.0 / SEG, SEG);
    let current = wal.insert_lsn().0 / SEG;
    let names: Vec<String> = after
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.as_str() >= keep_name.as_str()),
        "{names:?}"
    );
    let future = names
        .iter()
        .filter(|n| n.as_str() > segment_file_name(1, current, SEG).as_str())
        .count();
    assert_eq!(future, 2, "two segments recycled: {before:?} -> {names:?}");
    assert!(!wal
        .preallocate_next_segment()
        .expect("recycled one is there"));
    // Writing on into recycled segments (stale content) still reads back exactly.
    for i in 150..400 {
        lsns.push(wal.insert_record(&record(i)));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    let records = read_all(after, keep).expect("read");
    assert_eq!(records.len(), 300);
    assert!(same_record(records.last().expect("last"), &record(399)));
}

#[test]
fn waldump_style_listing() {
    let vfs = Arc::new(MemVfs::new());
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    let checkpoint = CheckPoint {
        redo: wal.next_record_lsn(),
        timeline: 1,
        prev_timeline: 1,
        next_xid: Xid(3),
        next_xid_epoch: 0,
        next_oid: Oid(10000),
        full_page_writes: true,
        ..CheckPoint::default()
    };
    wal.insert(
        &RecordBuilder::new(RmgrId::XLOG, xlog_info::CHECKPOINT_SHUTDOWN)
            .with_main_data(checkpoint.encode()),
    );
    for i in [0, 5, 7] {
        wal.insert(&record(i));
    }
    wal.insert(&commit(7));
    wal.flush(wal.insert_lsn()).expect("flush");
    let mut out = String::new();
    for rec in read_all(vfs, Lsn(SEG)).expect("read") {
        out += &format!(
            "rmgr: {:<11} len: {:>5} xid: {:>4} lsn: {} prev: {} info: 0x{:02X}",
            rec.rmgr.name(),
            rec.end_lsn.0 - rec.lsn.0,
            rec.xid.0,
            rec.lsn,
            rec.prev,
            rec.info
        );
        for block in &rec.blocks {
            out += &format!(
                " blk {} {}",
                block.block,
                if block.image.is_some() { "FPI" } else { "" }
            );
        }
        out.push('\n');
    }
    let expected = "\
rmgr: XLOG        len:    88 xid:    0 lsn: 0/10028 prev: 0/0 info: 0x00
rmgr: Heap        len:    56 xid: 1000 lsn: 0/10080 prev: 0/10028 info: 0x10 blk 0 
rmgr: Heap        len:  8960 xid: 1005 lsn: 0/100B8 prev: 0/10080 info: 0x10 blk 0 FPI
rmgr: Heap        len:  1016 xid: 1007 lsn: 0/123B8 prev: 0/100B8 info: 0x10 blk 0 
rmgr: Transaction len:    56 xid: 1007 lsn: 0/127B0 prev: 0/123B8 info: 0x00
";
    assert_eq!(out, expected, "actual:\n{out}");
}

/// Builds a small valid WAL in a `MemVfs` (two 16 KiB segments' worth).
fn small_wal() -> (MemVfs, WalConfig) {
    let vfs = MemVfs::new();
    vfs.create_dir_all(&wal_dir()).expect("mkdir");
    let cfg = WalConfig {
        segment_size: 16 * 1024,
        ..config()
    };
    let wal =
        Wal::open(Arc::new(vfs.clone()), &wal_dir(), cfg.clone(), Lsn::INVALID).expect("open");
    for i in 0..12 {
        wal.insert(&record(i * 3));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    (vfs, cfg)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn reader_never_panics_on_damaged_wal(
        damage in proptest::collection::vec((any::<u16>(), any::<u8>(), 0u8..3), 1..20),
    ) {
        let (vfs, cfg) = small_wal();
        let segments = vfs.read_dir(&wal_dir()).expect("ls");
        for (n, (offset, value, which)) in damage.into_iter().enumerate() {
            let path = &segments[(which as usize + n) % segments.len()];
            let file = vfs.open(path, OpenOptions::EXISTING).expect("open");
            let at = offset as u64 % cfg.segment_size;
            file.write_all_at(&[value], at).expect("write");
        }
        let mut reader = WalReader::new(Arc::new(vfs), &wal_dir(), Lsn(cfg.segment_size))
            .with_segment_size(cfg.segment_size);
        for _ in 0..100 {
            match reader.next() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(err) => {
                    prop_assert_eq!(err.code, SqlState::DATA_CORRUPTED);
                    break;
                }
            }
        }
    }

    #[test]
    fn reader_never_panics_on_arbitrary_segments(
        pages in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 1..6),
        start in any::<u64>(),
    ) {
        // Each segment: a valid-looking long header, then arbitrary bytes.
        let vfs = MemVfs::new();
        vfs.create_dir_all(&wal_dir()).expect("mkdir");
        let seg = 16 * 1024u64;
        for (segno, junk) in pages.iter().enumerate() {
            let segno = segno as u64 + 1;
            let mut bytes = vec![0u8; seg as usize];
            crate::page::PageHeader {
                info: 0,
                timeline: 1,
                page_addr: segno * seg,
                rem_len: 0,
                long: Some((0, seg as u32, 8192)),
            }
            .encode(&mut bytes);
            for (i, b) in junk.iter().enumerate() {
                bytes[40 + (i * 97) % (seg as usize - 40)] = *b;
            }
            let path = wal_dir().join(segment_file_name(1, segno, seg));
            vfs.open(&path, OpenOptions::CREATE).expect("create").write_all_at(&bytes, 0).expect("write");
        }
        for begin in [Lsn(seg), Lsn(seg + 40), Lsn(start & !7), Lsn(start), Lsn(u64::MAX), Lsn(u64::MAX - 7)] {
            let mut reader = WalReader::new(Arc::new(vfs.clone()), &wal_dir(), begin);
            for _ in 0..100 {
                if !matches!(reader.next(), Ok(Some(_))) {
                    break;
                }
            }
        }
    }
}

#[test]
fn compressed_full_page_images_round_trip_and_survive_a_crash() {
    let vfs = Arc::new(fault_vfs());
    let cfg = WalConfig {
        wal_compression: WalCompression::Lz4,
        ..config()
    };
    let wal = Wal::open(vfs.clone(), &wal_dir(), cfg, Lsn::INVALID).expect("open");
    assert_eq!(wal.wal_compression(), WalCompression::Lz4);
    let start = wal.next_record_lsn();
    for i in 0..60 {
        wal.insert(&record(i));
    }
    let compressed_bytes = wal.insert_lsn().0 - start.0;
    let plain =
        Wal::open(Arc::new(MemVfs::new()), &wal_dir(), config(), Lsn::INVALID).expect("open");
    for i in 0..60 {
        plain.insert(&record(i));
    }
    let raw_bytes = plain.insert_lsn().0 - start.0;
    // Five 8 KB images, each compressing to a few dozen bytes.
    assert!(
        compressed_bytes + 5 * 8000 < raw_bytes,
        "lz4 {compressed_bytes} bytes vs raw {raw_bytes} bytes"
    );
    // Switching off at run time: later images are stored raw; both forms read back.
    wal.set_wal_compression(WalCompression::Off);
    for i in 60..120 {
        wal.insert(&record(i));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    let records = read_all(after, start).expect("read");
    assert_eq!(records.len(), 120);
    for (i, rec) in records.iter().enumerate() {
        assert!(same_record(rec, &record(i as u32)), "record {i}");
    }
    assert_eq!(wal.stats().fpi, 9);
}

#[test]
fn compressed_image_flag_is_in_the_block_header() {
    let mut rec = record(5);
    let bytes = rec.encode_compressed(Lsn(8), WalCompression::Lz4);
    assert_eq!(bytes[42], BLOCK_HAS_IMAGE | BLOCK_IMAGE_COMPRESSED);
    assert!(bytes.len() < rec.encoded_len() - 8000);
    let decoded = DecodedRecord::decode(&bytes, Lsn(8), Lsn(16)).expect("decode");
    assert!(same_record(&decoded, &rec));
    // A damaged compressed image is an invalid record, not a panic (the CRC is recomputed
    // so the decompressor itself sees the damage).
    let mut bad = bytes.clone();
    let image_at = RECORD_HEADER_SIZE + 1 + BLOCK_HEADER_SIZE + 4 + 2;
    bad[image_at] ^= 0xff;
    let body_crc = crc32c::crc32c(&bad[RECORD_HEADER_SIZE..]);
    let crc = crc32c::crc32c_append(body_crc, &bad[..20]);
    bad[20..24].copy_from_slice(&crc.to_le_bytes());
    assert!(DecodedRecord::decode(&bad, Lsn(8), Lsn(16)).is_err());
    // Incompressible images stay raw with the flag clear.
    let mut x = 99u32;
    let mut image = [0u8; PAGE_IMAGE_SIZE];
    for b in image.iter_mut() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    rec.blocks[0].image = Some(Box::new(image));
    let bytes = rec.encode_compressed(Lsn(8), WalCompression::Lz4);
    assert_eq!(bytes[42], BLOCK_HAS_IMAGE);
    assert_eq!(bytes.len(), rec.encoded_len());
}

#[test]
fn asynchronous_commit_returns_before_the_flush_and_the_writer_flushes_it() {
    let vfs = Arc::new(fault_vfs());
    let cfg = WalConfig {
        wal_writer_flush_after_bytes: 1024 * 1024,
        ..config()
    };
    let wal = Wal::open(vfs.clone(), &wal_dir(), cfg, Lsn::INVALID).expect("open");
    let syncs = vfs.sync_count();
    let end = wal.insert(&commit(1));
    assert!(!wal.commit_flush(end, SyncMode::Off).expect("off"));
    assert_eq!(
        vfs.sync_count(),
        syncs,
        "off: no fsync before acknowledging"
    );
    assert!(wal.flushed_lsn() < end);
    assert_eq!(wal.async_commit_lsn(), end);
    // First WAL writer round writes it, the next one flushes it.
    wal.writer_step().expect("round 1");
    wal.writer_step().expect("round 2");
    assert!(wal.flushed_lsn() >= end);
    let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    assert_eq!(read_all(after, Lsn(SEG)).expect("read").len(), 1);
    // Every other mode waits for the flush (no standbys: remote_* are local).
    for (i, mode) in [
        SyncMode::Local,
        SyncMode::RemoteWrite,
        SyncMode::On,
        SyncMode::RemoteApply,
    ]
    .into_iter()
    .enumerate()
    {
        let end = wal.insert(&commit(2 + i as u32));
        assert!(wal.commit_flush(end, mode).expect("flush"));
        assert!(wal.flushed_lsn() >= end, "{mode:?}");
    }
    assert_eq!(
        SyncMode::from_setting("remote_apply"),
        Some(SyncMode::RemoteApply)
    );
    assert_eq!(SyncMode::from_setting("OFF"), Some(SyncMode::Off));
    assert_eq!(SyncMode::from_setting("true"), Some(SyncMode::On));
    assert_eq!(SyncMode::from_setting("sometimes"), None);
}

#[test]
fn fsync_off_issues_no_sync_calls() {
    let vfs = Arc::new(fault_vfs());
    let cfg = WalConfig {
        fsync: false,
        recycle_segments: 1,
        ..config()
    };
    let before = vfs.sync_count();
    let wal = Wal::open(vfs.clone(), &wal_dir(), cfg.clone(), Lsn::INVALID).expect("open");
    for i in 0..200 {
        let end = wal.insert(&record(i));
        if i % 10 == 0 {
            wal.flush(end).expect("flush");
        }
    }
    wal.preallocate_next_segment().expect("preallocate");
    wal.writer_step().expect("step");
    wal.writer_step().expect("step");
    let redo = wal.begin_checkpoint();
    let cleanup = wal
        .remove_old_segments_at_checkpoint(redo, &SegmentRetention::default(), 0)
        .expect("cleanup");
    assert!(cleanup.removed + cleanup.recycled > 0);
    let end = wal.insert_lsn();
    drop(wal);
    let reopened = Wal::open(vfs.clone(), &wal_dir(), cfg, end).expect("reopen");
    reopened.flush(reopened.insert(&commit(1))).expect("flush");
    assert_eq!(vfs.sync_count(), before, "fsync = off: no sync calls");
    assert!(reopened.flushed_lsn() > end, "flushed counts as done");
}

#[test]
fn retention_keeps_wal_keep_size_and_recycles_within_min_and_max_wal_size() {
    const MB: u64 = 1024 * 1024;
    let seg = 16 * MB;
    // KeepLogSeg: the redo segment, or wal_keep_size behind the insert position.
    assert_eq!(crate::wal::keep_from_segment(10, 12, 0), 10);
    assert_eq!(crate::wal::keep_from_segment(10, 12, 5), 7);
    assert_eq!(crate::wal::keep_from_segment(10, 30, 5), 10);
    assert_eq!(crate::wal::keep_from_segment(3, 4, 100), 1);
    // XLOGfileslop: 80 MB min, 1 GB max with 16 MB segments.
    let r = SegmentRetention::default();
    let redo = Lsn(100 * seg + 123);
    assert_eq!(crate::wal::recycle_upto_segment(redo, seg, &r, 0), 104);
    let estimate = 200 * MB;
    // ceil((redo + 1.9 * 200 MB * 1.1) / 16 MB) = 100 + ceil(418 MB / 16 MB) = 127.
    assert_eq!(
        crate::wal::recycle_upto_segment(redo, seg, &r, estimate),
        127
    );
    assert_eq!(
        crate::wal::recycle_upto_segment(redo, seg, &r, 10_000 * MB),
        163
    );

    // On disk: 64 KiB segments; min_wal_size of 3 segments, wal_keep_size of 2.
    let vfs = Arc::new(fault_vfs());
    let wal = Wal::open(vfs.clone(), &wal_dir(), config(), Lsn::INVALID).expect("open");
    for i in 0..300 {
        wal.insert(&record(i));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    let current = wal.insert_lsn().0 / SEG;
    assert!(current >= 6, "WAL reaches segment {current}");
    let redo = wal.begin_checkpoint();
    let retention = SegmentRetention {
        wal_keep_size_bytes: 2 * SEG,
        min_wal_size_bytes: 3 * SEG,
        max_wal_size_bytes: 8 * SEG,
        checkpoint_completion_target: 0.9,
        wal_recycle: true,
    };
    let segments = |vfs: &FaultVfs| -> Vec<u64> {
        vfs.read_dir(&wal_dir())
            .expect("ls")
            .iter()
            .filter_map(|p| parse_segment_file_name(p.file_name()?.to_str()?, SEG).map(|(_, s)| s))
            .collect()
    };
    let before = segments(&vfs);
    let cleanup = wal
        .remove_old_segments_at_checkpoint(redo, &retention, 0)
        .expect("cleanup");
    let after = segments(&vfs);
    // Kept: the 2 segments behind the current one, and the current one.
    assert_eq!(after.first().copied(), Some(current - 2), "{after:?}");
    // Recycled up to redo's segment + 3 - 1 = current + 2.
    assert_eq!(after.last().copied(), Some(current + 2), "{after:?}");
    assert_eq!(cleanup.recycled, 2);
    assert_eq!(
        cleanup.removed as usize + cleanup.recycled as usize,
        before.len() - 3
    );
    // wal_recycle = off removes instead.
    for i in 300..500 {
        wal.insert(&record(i));
    }
    wal.flush(wal.insert_lsn()).expect("flush");
    let redo = wal.begin_checkpoint();
    let cleanup = wal
        .remove_old_segments_at_checkpoint(
            redo,
            &SegmentRetention {
                wal_recycle: false,
                wal_keep_size_bytes: 0,
                ..retention
            },
            0,
        )
        .expect("cleanup");
    assert_eq!(cleanup.recycled, 0);
    assert!(cleanup.removed > 0);
    let current = wal.insert_lsn().0 / SEG;
    assert_eq!(segments(&vfs).first().copied(), Some(current));
    // Everything from the redo point still reads back.
    let after: Arc<dyn Vfs> = Arc::new(vfs.crash(CrashMode::DropUnsynced));
    assert!(read_all(after, redo).expect("read").is_empty());
}
