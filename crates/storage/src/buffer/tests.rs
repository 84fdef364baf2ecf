use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use proptest::prelude::*;
use tusk_io::MemVfs;
use tusk_types::{BlockNumber, Error, ForkNumber, Lsn, OffsetNumber, Oid, RelFileLocator, Result};

use super::*;
use crate::golden::assert_golden;
use crate::page::{ItemPlacement, Page, PAGE_SIZE};
use crate::smgr::{Smgr, SmgrConfig};

const MAIN: ForkNumber = ForkNumber::Main;

fn rel(n: u32) -> RelFileLocator {
    RelFileLocator {
        spc_oid: Oid(1663),
        db_oid: Oid(5),
        rel_number: Oid(n),
    }
}

/// Records every WAL flush request; fails them when `fail` is set.
#[derive(Default)]
struct RecordingWal {
    flushed: AtomicU64,
    calls: Mutex<Vec<Lsn>>,
    fail: std::sync::atomic::AtomicBool,
}

impl WalFlusher for RecordingWal {
    fn flush(&self, upto: Lsn) -> Result<()> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(Error::io(
                "could not fsync file \"pg_wal/000000010000000000000001\"",
                &std::io::Error::from_raw_os_error(5),
            ));
        }
        self.calls.lock().push(upto);
        self.flushed.fetch_max(upto.0, Ordering::SeqCst);
        Ok(())
    }
}

/// A page holding one item naming its block.
fn marked_page(block: u32) -> Page {
    let mut page = Page::new_zeroed();
    page.init(0);
    page.add_item(format!("block {block}").as_bytes(), ItemPlacement::Append)
        .expect("fits");
    page
}

fn marker(page: &Page) -> String {
    String::from_utf8(page.item(OffsetNumber(1)).expect("item").to_vec()).expect("utf8")
}

struct Fixture {
    vfs: Arc<MemVfs>,
    pool: Arc<BufferPool>,
    wal: Arc<RecordingWal>,
}

/// A pool of `frames` frames over relation 1 with `blocks` marked pages on disk.
fn fixture(frames: usize, blocks: u32, checksums: bool) -> Fixture {
    let vfs = Arc::new(MemVfs::new());
    let smgr = Arc::new(Smgr::new(vfs.clone(), "/data", SmgrConfig::default()));
    smgr.create(rel(1), MAIN, false).expect("create");
    for b in 0..blocks {
        let mut page = marked_page(b);
        if checksums {
            page.set_checksum(b);
        }
        smgr.extend(rel(1), MAIN, BlockNumber(b), page.as_bytes())
            .expect("extend");
    }
    let wal = Arc::new(RecordingWal::default());
    let pool = Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers: frames,
            data_checksums: checksums,
        },
        smgr,
        wal.clone(),
    ));
    Fixture { vfs, pool, wal }
}

fn read(pool: &Arc<BufferPool>, block: u32) -> PinnedBuffer {
    pool.read_buffer(rel(1), MAIN, BlockNumber(block), ReadBufferMode::Normal)
        .expect("read_buffer")
}

#[test]
fn hit_and_miss_are_counted() {
    let f = fixture(4, 2, false);
    let a = read(&f.pool, 0);
    assert!(!a.was_hit());
    assert_eq!(marker(&a.lock_shared()), "block 0");
    let b = read(&f.pool, 0);
    assert!(b.was_hit());
    assert_eq!(a.buffer_id(), b.buffer_id());
    let stats = f.pool.stats();
    assert_eq!((stats.blks_read, stats.blks_hit), (1, 1));
}

#[test]
fn dirty_victim_is_written_after_wal_flush() {
    let f = fixture(1, 2, true);
    {
        let buf = read(&f.pool, 0);
        let mut page = buf.lock_exclusive();
        page.item_mut(OffsetNumber(1)).expect("item")[0] = b'B';
        page.mark_dirty(Lsn(0x500));
    }
    // Reading block 1 into the only frame evicts block 0.
    drop(read(&f.pool, 1));
    assert_eq!(*f.wal.calls.lock(), vec![Lsn(0x500)]);
    assert_eq!(f.pool.stats().buffers_backend, 1);
    let on_disk = f
        .vfs
        .contents(std::path::Path::new("/data/base/5/1"))
        .expect("file");
    let mut bytes = [0u8; PAGE_SIZE];
    bytes.copy_from_slice(&on_disk[..PAGE_SIZE]);
    let page = Page::from_bytes(&bytes);
    assert_eq!(page.lsn(), Lsn(0x500));
    assert_eq!(marker(&page), "Block 0");
    crate::page::verify_page(&bytes, 0, true, "base/5/1").expect("checksum set on write");
    // And it reads back through the pool.
    assert_eq!(marker(&read(&f.pool, 0).lock_shared()), "Block 0");
}

#[test]
fn failed_wal_flush_keeps_page_dirty_and_unwritten() {
    let f = fixture(1, 2, false);
    {
        let buf = read(&f.pool, 0);
        let mut page = buf.lock_exclusive();
        page.item_mut(OffsetNumber(1)).expect("item")[0] = b'X';
        page.mark_dirty(Lsn(0x900));
    }
    f.wal.fail.store(true, Ordering::SeqCst);
    let err = f
        .pool
        .read_buffer(rel(1), MAIN, BlockNumber(1), ReadBufferMode::Normal)
        .expect_err("eviction needs the WAL flush");
    assert_eq!(err.code.class(), "58");
    assert!(f.pool.debug_dump().contains("blk 0 pin=0 usage=0 dirty"));
    let on_disk = f
        .vfs
        .contents(std::path::Path::new("/data/base/5/1"))
        .expect("file");
    assert_eq!(
        on_disk[8184], b'b',
        "page must not reach disk before its WAL"
    );
    f.wal.fail.store(false, Ordering::SeqCst);
    assert_eq!(f.pool.flush_all(|_, _| {}).expect("flush"), 1);
    assert_eq!(f.pool.stats().buffers_checkpoint, 1);
}

#[test]
fn corrupted_page_fails_verification() {
    let f = fixture(2, 1, true);
    let path = std::path::Path::new("/data/base/5/1");
    let mut bytes = f.vfs.contents(path).expect("file");
    bytes[5000] ^= 1;
    let file = tusk_io::Vfs::open(&*f.vfs, path, tusk_io::OpenOptions::EXISTING).expect("open");
    file.write_all_at(&bytes, 0).expect("write");
    let err = f
        .pool
        .read_buffer(rel(1), MAIN, BlockNumber(0), ReadBufferMode::Normal)
        .expect_err("checksum mismatch");
    assert_eq!(err.code, tusk_types::SqlState::DATA_CORRUPTED);
    assert_eq!(err.message, "invalid page in block 0 of relation base/5/1");
    let zeroed = f
        .pool
        .read_buffer(rel(1), MAIN, BlockNumber(0), ReadBufferMode::ZeroOnError)
        .expect("zero on error");
    assert!(zeroed.lock_shared().is_new());
}

#[test]
fn all_pinned_reports_no_unpinned_buffers() {
    let f = fixture(2, 3, false);
    let _a = read(&f.pool, 0);
    let _b = read(&f.pool, 1);
    let err = f
        .pool
        .read_buffer(rel(1), MAIN, BlockNumber(2), ReadBufferMode::Normal)
        .expect_err("all pinned");
    assert_eq!(err.message, "no unpinned buffers available");
}

#[test]
fn new_page_extends_relation() {
    let f = fixture(4, 2, false);
    let buf = f.pool.new_page(rel(1), MAIN).expect("extend");
    assert_eq!(buf.block(), BlockNumber(2));
    {
        let mut page = buf.lock_exclusive();
        assert!(page.is_new());
        *page = marked_page(2);
        page.mark_dirty(Lsn(0x10));
    }
    assert_eq!(f.pool.nblocks(rel(1), MAIN).expect("n"), BlockNumber(3));
    drop(buf);
    f.pool.flush_all(|_, _| {}).expect("flush");
    let mut bytes = [0u8; PAGE_SIZE];
    f.pool
        .smgr()
        .read(rel(1), MAIN, BlockNumber(2), &mut bytes)
        .expect("read");
    assert_eq!(marker(&Page::from_bytes(&bytes)), "block 2");
}

#[test]
fn drop_relation_buffers_discards_pages() {
    let f = fixture(4, 3, false);
    for b in 0..3 {
        let buf = read(&f.pool, b);
        buf.lock_exclusive().mark_dirty(Lsn(0x20));
    }
    f.pool.drop_relation_buffers(rel(1), MAIN, BlockNumber(1));
    let dump = f.pool.debug_dump();
    assert!(dump.contains("blk 0"));
    assert!(!dump.contains("blk 1") && !dump.contains("blk 2"), "{dump}");
    assert_eq!(f.pool.flush_all(|_, _| {}).expect("flush"), 1);
}

#[test]
fn strategy_ring_recycles_its_own_buffers() {
    let f = fixture(16, 10, false);
    let mut ring = f.pool.strategy(StrategyKind::BulkRead);
    assert_eq!(ring.ring_size(), 2);
    let mut frames = std::collections::BTreeSet::new();
    for b in 0..10 {
        let buf = f
            .pool
            .read_buffer_with_strategy(
                rel(1),
                MAIN,
                BlockNumber(b),
                ReadBufferMode::Normal,
                Some(&mut ring),
            )
            .expect("read");
        frames.insert(buf.buffer_id());
    }
    assert_eq!(frames.len(), 2, "a bulk read cycles through its ring");
}

#[test]
fn cleanup_lock_waits_for_other_pins() {
    let f = fixture(4, 1, false);
    let mine = read(&f.pool, 0);
    let other = read(&f.pool, 0);
    assert!(mine.try_lock_cleanup().is_none());
    let pool = f.pool.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = &pool;
        let guard = mine.lock_cleanup();
        tx.send(guard.max_offset()).expect("send");
    });
    drop(other);
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("cleanup lock granted once the other pin is gone");
    assert_eq!(got, 1);
    waiter.join().expect("waiter");
}

#[test]
fn bgwriter_cleans_ahead_of_the_clock() {
    let f = fixture(8, 8, false);
    let bgwriter = BgWriter::new(
        f.pool.clone(),
        BgWriterConfig {
            lru_maxpages: 3,
            lru_multiplier: 2.0,
        },
    );
    for b in 0..8 {
        let buf = read(&f.pool, b);
        buf.lock_exclusive().mark_dirty(Lsn(0x30 + b as u64));
    }
    // Age every frame to usage count 0 with one sweep that finds nothing to evict... by
    // reading with a strategy that cannot hit, then checking the writer's effect.
    for id in 0..8 {
        f.pool.descs[id].header.lock().usage_count = 0;
    }
    let written = bgwriter.run_once();
    assert_eq!(written, 3, "bounded by bgwriter_lru_maxpages");
    let stats = f.pool.stats();
    assert_eq!((stats.buffers_clean, stats.maxwritten_clean), (3, 1));
    assert_eq!(*f.wal.calls.lock(), vec![Lsn(0x30), Lsn(0x31), Lsn(0x32)]);
}

#[test]
fn concurrent_increments_survive_eviction() {
    // 4 threads increment counters on 32 pages through an 8-frame pool: every increment must
    // survive the evictions, write-outs and re-reads racing with it.
    const THREADS: u64 = 4;
    const OPS: u64 = 1500;
    let f = fixture(8, 32, true);
    let lsn = Arc::new(AtomicU64::new(1));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let pool = f.pool.clone();
            let lsn = lsn.clone();
            std::thread::spawn(move || {
                let mut rng = 0x2545_F491_4F6C_DD1D_u64.wrapping_mul(t + 1);
                for _ in 0..OPS {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    let block = (rng % 32) as u32;
                    let buf = read(&pool, block);
                    let mut page = buf.lock_exclusive();
                    let item = page.item_mut(OffsetNumber(1)).expect("item");
                    item[0] = item[0].wrapping_add(1);
                    let carry = item[0] == 0;
                    if carry {
                        item[1] = item[1].wrapping_add(1);
                    }
                    page.mark_dirty(Lsn(lsn.fetch_add(1, Ordering::SeqCst)));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    // Each page started as "block N": its first two bytes are b"bl" (0x62, 0x6c).
    let mut total = 0u64;
    for b in 0..32 {
        let buf = read(&f.pool, b);
        let page = buf.lock_shared();
        let item = page.item(OffsetNumber(1)).expect("item");
        let count = u64::from(item[1]) * 256 + u64::from(item[0]) - (0x6c * 256 + 0x62);
        total += count;
    }
    assert_eq!(total, THREADS * OPS);
    assert!(f.pool.stats().buffers_backend > 0, "evictions wrote pages");
}

#[test]
fn full_page_image_decision() {
    assert!(needs_full_page_image(Lsn(100), Lsn(100)));
    assert!(needs_full_page_image(Lsn(0), Lsn(100)));
    assert!(!needs_full_page_image(Lsn(101), Lsn(100)));
}

#[test]
fn golden_clock_sweep_four_frames() {
    let f = fixture(4, 8, false);
    let mut out = String::new();
    let mut held: Vec<PinnedBuffer> = Vec::new();
    let step = |out: &mut String, what: &str, held: &mut Vec<PinnedBuffer>| {
        let mut words = what.split_whitespace();
        match (
            words.next(),
            words.next().map(|w| w.parse::<u32>().expect("block")),
        ) {
            (Some("pin"), Some(b)) => held.push(read(&f.pool, b)),
            (Some("read"), Some(b)) => drop(read(&f.pool, b)),
            (Some("dirty"), Some(b)) => {
                let buf = read(&f.pool, b);
                buf.lock_exclusive().mark_dirty(Lsn(0x100 + b as u64));
            }
            (Some("unpin"), Some(b)) => held.retain(|p| p.block() != BlockNumber(b)),
            _ => panic!("bad step {what}"),
        }
        *out += &format!("> {what}\n{}", f.pool.debug_dump());
    };
    for what in [
        "read 0", "read 1", "read 0", "dirty 2", "pin 3", "read 0", "read 4", "read 5", "read 6",
        "unpin 3", "read 7",
    ] {
        step(&mut out, what, &mut held);
    }
    let stats = f.pool.stats();
    out += &format!(
        "hits={} reads={} backend_writes={} wal_flushes={:?}\n",
        stats.blks_hit,
        stats.blks_read,
        stats.buffers_backend,
        f.wal.calls.lock()
    );
    assert_golden("buffer_clock_sweep.txt", &out);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn pinned_buffer_is_never_evicted(ops in proptest::collection::vec((0u8..4, 0u32..12), 1..200)) {
        let f = fixture(4, 12, false);
        let mut held: Vec<PinnedBuffer> = Vec::new();
        for (op, block) in ops {
            match op {
                0 | 1 => match f.pool.read_buffer(rel(1), MAIN, BlockNumber(block), ReadBufferMode::Normal) {
                    Ok(buf) => {
                        if op == 0 { held.push(buf) } else {
                            let mut page = buf.lock_exclusive();
                            page.mark_dirty(Lsn(u64::from(block) + 1));
                        }
                    }
                    Err(e) => {
                        prop_assert_eq!(e.message.as_str(), "no unpinned buffers available");
                        let distinct: std::collections::BTreeSet<_> = held.iter().map(|p| p.buffer_id()).collect();
                        prop_assert_eq!(distinct.len(), 4);
                    }
                },
                2 if !held.is_empty() => { held.remove(block as usize % held.len()); }
                _ => {}
            }
            for pin in &held {
                let page = pin.lock_shared();
                prop_assert_eq!(marker(&page), format!("block {}", pin.block().0));
                let h = f.pool.descs[pin.buffer_id()].header.lock();
                prop_assert_eq!(h.tag, Some(pin.tag()));
                prop_assert!(h.valid && h.pin_count >= 1);
            }
        }
        drop(held);
        for d in f.pool.descs.iter() {
            prop_assert_eq!(d.header.lock().pin_count, 0);
        }
    }
}
