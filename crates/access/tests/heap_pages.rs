//! Heap page behaviour through the buffer pool and WAL: goldenscript-style page listings
//! after inserts, deletes, HOT and non-HOT updates and pruning, plus fillfactor, extension,
//! error cases, and redo reproducing the same pages.

mod common;

use common::{assert_golden, fresh_cluster, start};
use tusk_access::inspect::heap_page_items;
use tusk_access::{
    deform_tuple, form_tuple, AttributeDesc, HeapRelation, HeapTuple, XmaxFate, MAX_HEAP_TUPLE_SIZE,
};
use tusk_io::CrashMode;
use tusk_storage::ReadBufferMode;
use tusk_types::{
    type_oid, BlockNumber, Datum, ForkNumber, ItemPointer, OffsetNumber, SqlState, Xid,
};

fn attrs() -> [AttributeDesc; 2] {
    [
        AttributeDesc {
            type_oid: type_oid::INT4,
        },
        AttributeDesc {
            type_oid: type_oid::TEXT,
        },
    ]
}

/// Text that LZ4 cannot shrink (xorshift64 over letters), so rows stay as large as
/// they look (rows over 2032 bytes are otherwise compressed).
fn incompressible(n: usize) -> String {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

fn row(id: i32, name: &str) -> HeapTuple {
    form_tuple(&attrs(), &[Datum::Int4(id), Datum::Text(name.into())]).expect("form")
}

fn tid(block: u32, offset: u16) -> ItemPointer {
    ItemPointer {
        block: BlockNumber(block),
        offset: OffsetNumber(offset),
    }
}

fn dump(
    heap: &HeapRelation,
    pool: &std::sync::Arc<tusk_storage::BufferPool>,
    block: u32,
) -> String {
    let pin = pool
        .read_buffer(
            heap.locator(),
            ForkNumber::Main,
            BlockNumber(block),
            ReadBufferMode::Normal,
        )
        .expect("read");
    let page = pin.lock_shared();
    heap_page_items(&page)
}

#[test]
fn golden_heap_page_lifecycle() {
    let (vfs, c) = fresh_cluster(16);
    c.create_relation();
    let heap = c.heap(100);
    let wal = &c.checkpointer;
    let mut out = String::new();
    let step = |out: &mut String, what: &str, heap: &HeapRelation| {
        *out += &format!("> {what}\n{}", dump(heap, &c.pool, 0));
    };
    for (i, name) in ["alpha", "beta", "gamma"].iter().enumerate() {
        let t = heap
            .insert(wal, &row(i as i32 + 1, name), Xid(100), i as u32)
            .expect("insert");
        assert_eq!(t, tid(0, i as u16 + 1));
    }
    step(&mut out, "insert 3 rows (xid 100)", &heap);
    heap.delete(wal, tid(0, 2), Xid(101), 0).expect("delete");
    step(&mut out, "delete (0,2) (xid 101)", &heap);
    let v2 = heap
        .update(wal, tid(0, 1), &row(1, "alpha-2"), Xid(102), 0, true)
        .expect("hot update");
    assert_eq!(v2, tid(0, 4));
    let v3 = heap
        .update(wal, v2, &row(1, "alpha-3"), Xid(103), 0, true)
        .expect("hot update");
    assert_eq!(v3, tid(0, 5));
    step(&mut out, "HOT update (0,1) by 102 and again by 103", &heap);
    let (found, _) = heap
        .fetch_hot_chain(tid(0, 1), |_, t| t.header().xmin == Xid(103))
        .expect("hot search")
        .expect("found");
    assert_eq!(found, tid(0, 5), "the chain runs (0,1) -> (0,4) -> (0,5)");

    let g2 = heap
        .update(wal, tid(0, 3), &row(3, "gamma-2"), Xid(104), 0, false)
        .expect("update");
    assert_eq!(g2, tid(0, 6));
    step(&mut out, "non-HOT update (0,3) by 104", &heap);
    let r = heap
        .prune_page(wal, BlockNumber(0), |x| fate(x.0 <= 102))
        .expect("prune")
        .expect("something to prune");
    out += &format!("{r:?}\n");
    step(&mut out, "prune, horizon: xids <= 102 dead", &heap);
    let r = heap
        .prune_page(wal, BlockNumber(0), |x| fate(x.0 <= 200))
        .expect("prune")
        .expect("something to prune");
    out += &format!("{r:?}\n");
    step(&mut out, "prune, horizon: xids <= 200 dead", &heap);
    assert_eq!(
        heap.prune_page(wal, BlockNumber(0), |x| fate(x.0 <= 200))
            .expect("prune"),
        None,
        "nothing left to prune"
    );
    let current =
        |_: ItemPointer, t: &tusk_access::HeapTupleRef<'_>| !t.header().xmax_is_update_or_delete();
    let (found, _) = heap
        .fetch_hot_chain(tid(0, 1), current)
        .expect("hot search")
        .expect("the chain has a live version");
    assert_eq!(
        found,
        tid(0, 5),
        "the root redirect leads to the live version"
    );
    assert_eq!(
        heap.fetch_hot_chain(tid(0, 2), current)
            .expect("hot search"),
        None
    );
    let d = heap
        .insert(wal, &row(4, "delta"), Xid(105), 0)
        .expect("insert");
    step(
        &mut out,
        &format!("insert reuses a free line pointer: {d}"),
        &heap,
    );
    out += "> scan (rows without a deleter)\n";
    let live: Vec<_> = heap
        .scan(|_, t| !t.header().xmax_is_update_or_delete())
        .expect("scan")
        .map(|r| r.expect("scan row"))
        .collect();
    for (t, tuple) in &live {
        out += &format!(
            "  {t} {:?}\n",
            deform_tuple(&attrs(), &tuple.as_ref()).expect("deform")
        );
    }
    assert_golden("heap_page_lifecycle.txt", &out);

    // Crash after a flush and recover: redo rebuilds the same page.
    let before = dump(&heap, &c.pool, 0);
    c.wal.flush(c.wal.insert_lsn()).expect("flush");
    drop(live);
    let after = vfs.crash(CrashMode::DropUnsynced);
    let (restarted, outcome) = start(&after, 16);
    assert!(outcome.crashed);
    let heap2 = restarted.heap(100);
    assert_eq!(dump(&heap2, &restarted.pool, 0), before);
}

#[test]
fn fillfactor_leaves_room_and_relation_extends() {
    let (_vfs, c) = fresh_cluster(16);
    c.create_relation();
    let heap = c.heap(50);
    let wal = &c.checkpointer;
    let big = "x".repeat(500);
    let mut tids = Vec::new();
    for i in 0..40 {
        tids.push(
            heap.insert(wal, &row(i, &big), Xid(100), 0)
                .expect("insert"),
        );
    }
    let blocks = heap.nblocks().expect("nblocks").0;
    assert!(
        blocks >= 4,
        "40 rows of ~530 bytes at fillfactor 50 need >= 4 pages, got {blocks}"
    );
    for b in 0..blocks - 1 {
        let pin = c
            .pool
            .read_buffer(
                heap.locator(),
                ForkNumber::Main,
                BlockNumber(b),
                ReadBufferMode::Normal,
            )
            .expect("read");
        let free = pin.lock_shared().free_space();
        assert!(
            free >= 8192 / 2 - 600,
            "block {b} has only {free} bytes free"
        );
    }
    for (i, t) in tids.iter().enumerate() {
        let tuple = heap.fetch(*t).expect("fetch").expect("present");
        let values = deform_tuple(&attrs(), &tuple.as_ref()).expect("deform");
        assert_eq!(values[0], Datum::Int4(i as i32));
        assert_eq!(tuple.header().xmin, Xid(100));
        assert_eq!(tuple.header().ctid, *t);
    }
    // HOT updates may use the reserved space.
    let new = heap
        .update(wal, tids[0], &row(0, &big), Xid(101), 0, true)
        .expect("update");
    assert_eq!(new.block, tids[0].block);
    // A non-HOT update on a full page moves the row elsewhere and links the versions.
    let old = heap.fetch(tids[1]).expect("fetch").expect("present");
    assert_eq!(old.header().xmax, Xid::INVALID);
    let moved = heap
        .update(
            wal,
            tids[1],
            &row(1, &incompressible(5000)),
            Xid(102),
            0,
            false,
        )
        .expect("update");
    assert_ne!(moved.block, tids[1].block);
    let old = heap.fetch(tids[1]).expect("fetch").expect("present");
    assert_eq!(old.header().xmax, Xid(102));
    assert_eq!(old.header().ctid, moved);
    assert!(!old.header().is_hot_updated());
}

#[test]
fn changing_a_row_twice_fails_like_simple_heap_update() {
    let (_vfs, c) = fresh_cluster(8);
    c.create_relation();
    let heap = c.heap(100);
    let wal = &c.checkpointer;
    let t = heap.insert(wal, &row(1, "a"), Xid(100), 0).expect("insert");
    heap.delete(wal, t, Xid(101), 0).expect("delete");
    let err = heap.delete(wal, t, Xid(101), 1).expect_err("twice");
    assert_eq!(err.message, "tuple already updated by self");
    let err = heap.delete(wal, t, Xid(102), 0).expect_err("other");
    assert_eq!(err.message, "tuple concurrently deleted");
    let t2 = heap.insert(wal, &row(2, "b"), Xid(100), 0).expect("insert");
    heap.update(wal, t2, &row(2, "c"), Xid(103), 0, true)
        .expect("update");
    let err = heap
        .update(wal, t2, &row(2, "d"), Xid(104), 0, true)
        .expect_err("concurrent");
    assert_eq!(err.message, "tuple concurrently updated");
    let err = heap
        .insert(
            wal,
            &row(3, &incompressible(MAX_HEAP_TUPLE_SIZE)),
            Xid(100),
            0,
        )
        .expect_err("too big");
    assert_eq!(err.code, SqlState::PROGRAM_LIMIT_EXCEEDED);
    assert!(
        err.message.starts_with("row is too big: size "),
        "{}",
        err.message
    );
    assert_eq!(heap.fetch(tid(9, 1)).expect("fetch"), None);
}

#[test]
fn concurrent_inserts_and_updates_keep_every_row() {
    let (_vfs, c) = fresh_cluster(8);
    c.create_relation();
    let heap = c.heap(80);
    let threads = 4;
    let per_thread = 60;
    std::thread::scope(|s| {
        for t in 0..threads {
            let heap = &heap;
            let wal = &c.checkpointer;
            s.spawn(move || {
                for i in 0..per_thread {
                    let id = t * 1000 + i;
                    let xid = Xid(100 + id as u32);
                    let tid = heap.insert(wal, &row(id, "first"), xid, 0).expect("insert");
                    if i % 2 == 0 {
                        heap.update(
                            wal,
                            tid,
                            &row(id, &"second".repeat(i as usize % 50)),
                            xid,
                            1,
                            i % 4 == 0,
                        )
                        .expect("update");
                    }
                }
            });
        }
    });
    let mut ids: Vec<i32> = heap
        .scan(|_, t| !t.header().xmax_is_update_or_delete())
        .expect("scan")
        .map(|r| {
            let (_, tuple) = r.expect("row");
            match deform_tuple(&attrs(), &tuple.as_ref()).expect("deform")[0] {
                Datum::Int4(id) => id,
                ref other => panic!("unexpected {other:?}"),
            }
        })
        .collect();
    ids.sort_unstable();
    let mut expected: Vec<i32> = (0..threads)
        .flat_map(|t| (0..per_thread).map(move |i| t * 1000 + i))
        .collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
}

#[test]
fn hint_bits_log_a_full_page_image_only_after_a_checkpoint() {
    use tusk_access::tuple::{HEAP_XMAX_INVALID, HEAP_XMIN_COMMITTED};
    let (vfs, c) = fresh_cluster(8);
    c.create_relation();
    let heap = c.heap(100);
    let wal = &c.checkpointer;
    let t = heap.insert(wal, &row(1, "a"), Xid(100), 0).expect("insert");
    let t2 = heap.insert(wal, &row(2, "b"), Xid(100), 0).expect("insert");
    c.checkpointer
        .checkpoint(tusk_storage::CheckpointKind::Online)
        .expect("checkpoint");
    let before = c.wal.insert_lsn();
    assert!(heap
        .set_hint_bits(wal, t, HEAP_XMIN_COMMITTED)
        .expect("hint"));
    let with_image = c.wal.insert_lsn().0 - before.0;
    assert!(
        with_image > 8192,
        "first change after a checkpoint logs the page ({with_image} bytes)"
    );
    let before = c.wal.insert_lsn();
    assert!(heap
        .set_hint_bits(wal, t2, HEAP_XMIN_COMMITTED)
        .expect("hint"));
    let without = c.wal.insert_lsn().0 - before.0;
    assert!(without < 100, "later hints log no image ({without} bytes)");
    // Setting bits already set logs nothing.
    let before = c.wal.insert_lsn();
    heap.set_hint_bits(wal, t2, HEAP_XMIN_COMMITTED)
        .expect("hint");
    assert_eq!(c.wal.insert_lsn(), before);
    assert!(!heap
        .set_hint_bits(wal, tid(0, 9), HEAP_XMIN_COMMITTED)
        .expect("hint"));
    let h = heap.fetch(t).expect("fetch").expect("row").header();
    assert_eq!(
        h.infomask & (HEAP_XMIN_COMMITTED | HEAP_XMAX_INVALID),
        HEAP_XMIN_COMMITTED | HEAP_XMAX_INVALID
    );
    // After a torn write of the page and a crash, the image repairs it.
    c.wal.flush(c.wal.insert_lsn()).expect("flush");
    c.pool.flush_all(|_, _| {}).expect("flush buffers");
    let after = vfs.crash(CrashMode::TearLastWrite { keep_bytes: 4096 });
    let (restarted, _) = start(&after, 8);
    let heap2 = restarted.heap(100);
    let h = heap2.fetch(t).expect("fetch").expect("row").header();
    assert_eq!(h.infomask & HEAP_XMIN_COMMITTED, HEAP_XMIN_COMMITTED);
    assert!(heap2.fetch(t2).expect("fetch").is_some());
}

#[test]
fn opportunistic_pruning_waits_for_a_short_page_and_the_horizon() {
    let (_vfs, c) = fresh_cluster(16);
    c.create_relation();
    let heap = c.heap(100);
    let wal = &c.checkpointer;
    let dead = |x: Xid, horizon: Xid| fate(x.precedes(horizon));
    let mut at = heap.insert(wal, &row(1, "v"), Xid(100), 0).expect("insert");
    let mut xid = 101;
    // A few versions: the page has room, so nothing is pruned whatever the horizon.
    for _ in 0..3 {
        at = heap
            .update(wal, at, &row(1, "v"), Xid(xid), 0, true)
            .expect("hot update");
        xid += 1;
    }
    let none = heap
        .prune_opt(wal, BlockNumber(0), || Xid(10_000), dead)
        .expect("prune_opt");
    assert_eq!(none, None, "a page with room is left alone");
    // Fill the page with versions of the same row until less than a tenth is free.
    let name = "x".repeat(200);
    while at.block == BlockNumber(0) {
        at = heap
            .update(wal, at, &row(1, &name), Xid(xid), 0, true)
            .expect("update");
        xid += 1;
    }
    let none = heap
        .prune_opt(wal, BlockNumber(0), || Xid(100), dead)
        .expect("prune_opt");
    assert_eq!(none, None, "no version is dead before the horizon");
    let pruned = heap
        .prune_opt(wal, BlockNumber(0), || Xid(xid + 1), dead)
        .expect("prune_opt")
        .expect("a short page with dead versions is pruned");
    assert!(pruned.unused > 10, "{pruned:?}");
}

/// A committed xmax's fate: dead before the horizon, else pending.
fn fate(dead: bool) -> XmaxFate {
    match dead {
        true => XmaxFate::Dead,
        false => XmaxFate::Pending,
    }
}
