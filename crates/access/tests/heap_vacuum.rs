//! Lazy VACUUM of a heap with a B-tree index: dead tuples pruned, their index entries
//! removed, their line pointers made unused and reused by later inserts through the free
//! space map, in more than one round when the dead-TID budget is small; redo after a crash
//! rebuilds the same pages.

mod common;

use common::{fresh_cluster, rel, start, Cluster};
use tusk_access::inspect::heap_page_items;
use tusk_access::nbtree::ScanDirection;
use tusk_access::{
    form_tuple, AttributeDesc, BTreeIndex, HeapRelation, HeapTuple, IndexColumn, IndexDesc,
    LazyVacuumOptions, LazyVacuumStats, TupleLiveness, XmaxFate,
};
use tusk_io::CrashMode;
use tusk_storage::storage_wal::create_record;
use tusk_storage::ReadBufferMode;
use tusk_types::{type_oid, BlockNumber, Datum, ForkNumber, ItemPointer, Oid, RelFileLocator, Xid};

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

fn row(id: i32) -> HeapTuple {
    form_tuple(&attrs(), &[Datum::Int4(id), Datum::Text("v".repeat(100))]).expect("form")
}

fn index_locator() -> RelFileLocator {
    RelFileLocator {
        rel_number: Oid(rel().rel_number.0 + 1),
        ..rel()
    }
}

fn open_index(c: &Cluster) -> BTreeIndex {
    BTreeIndex::new(
        c.pool.clone(),
        index_locator(),
        IndexDesc {
            name: "t_id".into(),
            table_name: "t".into(),
            columns: vec![IndexColumn::new("id", type_oid::INT4)],
            fillfactor: 90,
        },
    )
    .expect("index")
}

fn dump_all(heap: &HeapRelation, c: &Cluster) -> String {
    let mut out = String::new();
    for b in 0..heap.nblocks().expect("nblocks").0 {
        let pin = c
            .pool
            .read_buffer(
                heap.locator(),
                ForkNumber::Main,
                BlockNumber(b),
                ReadBufferMode::Normal,
            )
            .expect("read");
        out += &format!("block {b}\n{}", heap_page_items(&pin.lock_shared()));
    }
    out
}

/// Xids up to `horizon` count as committed deleters before the horizon.
fn vacuum(
    heap: &HeapRelation,
    c: &Cluster,
    indexes: &[&BTreeIndex],
    horizon: u32,
    max_dead_items: usize,
) -> LazyVacuumStats {
    let xmax_fate = |x: Xid| match x.0 <= horizon {
        true => XmaxFate::Dead,
        false => XmaxFate::Pending,
    };
    let liveness = |h: &tusk_access::HeapTupleHeader| {
        Ok(if h.xmax_is_update_or_delete() {
            TupleLiveness::RecentlyDead
        } else {
            TupleLiveness::Live
        })
    };
    heap.lazy_vacuum(
        &c.checkpointer,
        indexes,
        &LazyVacuumOptions {
            xmax_fate: &xmax_fate,
            liveness: &liveness,
            max_dead_items,
            check_interrupts: &|| Ok(()),
        },
    )
    .expect("vacuum")
}

fn indexed_ids(index: &BTreeIndex, heap: &HeapRelation) -> Vec<i32> {
    let mut ids: Vec<i32> = index
        .scan(&[], ScanDirection::Forward)
        .expect("scan")
        .map(|e| {
            let tid = e.expect("entry").tid;
            let tuple = heap
                .fetch(tid)
                .expect("fetch")
                .expect("entry leads to a tuple");
            match tusk_access::deform_tuple(&attrs(), &tuple.as_ref()).expect("deform")[0] {
                Datum::Int4(id) => id,
                ref other => panic!("id {other:?}"),
            }
        })
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn vacuum_removes_dead_rows_and_their_index_entries_and_inserts_reuse_the_space() {
    let (vfs, c) = fresh_cluster(32);
    c.create_relation();
    c.wal
        .insert(&create_record(index_locator(), ForkNumber::Main));
    c.pool
        .smgr()
        .create(index_locator(), ForkNumber::Main, false)
        .expect("create index");
    let heap = c.heap(100);
    let index = open_index(&c);
    index.build_empty(&c.checkpointer).expect("build");
    let wal = &c.checkpointer;
    let mut tids: Vec<ItemPointer> = Vec::new();
    for id in 0..600 {
        let tid = heap.insert(wal, &row(id), Xid(100), 0).expect("insert");
        index.insert(wal, &[Datum::Int4(id)], tid).expect("index");
        tids.push(tid);
    }
    let pages = heap.nblocks().expect("nblocks");
    assert!(pages.0 >= 6, "600 rows of ~130 bytes span pages: {pages:?}");
    for (id, tid) in tids.iter().enumerate() {
        if id % 2 == 0 {
            heap.delete(wal, *tid, Xid(101), 0).expect("delete");
        }
    }
    // One row deleted by a transaction the horizon does not pass: recently dead.
    heap.delete(wal, tids[1], Xid(200), 0).expect("delete");

    // A budget below one page's worth forces a round per page with dead items.
    let stats = vacuum(&heap, &c, &[&index], 150, 1);
    assert_eq!(stats.rel_pages, pages.0);
    assert_eq!(stats.tuples_deleted, 300);
    assert_eq!(stats.lpdead_items, 300);
    assert_eq!(stats.index_tuples_removed, 300);
    assert_eq!(stats.live_tuples, 299);
    assert_eq!(stats.recently_dead_tuples, 1);
    assert!(stats.index_scans >= 2, "several rounds: {stats:?}");
    index.verify().expect("index valid");
    let expected: Vec<i32> = (0..600).filter(|id| id % 2 == 1).collect();
    assert_eq!(indexed_ids(&index, &heap), expected);
    for (id, tid) in tids.iter().enumerate() {
        if id % 2 == 0 {
            assert_eq!(heap.fetch(*tid).expect("fetch"), None, "row {id} gone");
        }
    }
    // Nothing left to do: a second VACUUM changes no line pointer.
    let again = vacuum(&heap, &c, &[&index], 150, 1_000);
    assert_eq!((again.lpdead_items, again.index_scans), (0, 0));

    // The freed line pointers and space take new rows without extending the heap.
    for id in 1000..1290 {
        let tid = heap.insert(wal, &row(id), Xid(300), 0).expect("insert");
        assert!(tid.block < pages, "row {id} went to {tid}, past {pages:?}");
        index.insert(wal, &[Datum::Int4(id)], tid).expect("index");
    }
    assert_eq!(heap.nblocks().expect("nblocks"), pages);
    index.verify().expect("index valid");

    // Crash: redo of prune, vacuum and insert records rebuilds the same pages.
    let before = dump_all(&heap, &c);
    c.wal.flush(c.wal.insert_lsn()).expect("flush");
    let after = vfs.crash(CrashMode::DropUnsynced);
    let (restarted, outcome) = start(&after, 32);
    assert!(outcome.crashed);
    let heap2 = restarted.heap(100);
    assert_eq!(dump_all(&heap2, &restarted), before);
    let index2 = open_index(&restarted);
    index2.verify().expect("index valid after redo");
    let mut expected = expected;
    expected.extend(1000..1290);
    assert_eq!(indexed_ids(&index2, &heap2), expected);
}

#[test]
fn a_table_without_indexes_is_vacuumed_in_one_pass() {
    let (_vfs, c) = fresh_cluster(16);
    c.create_relation();
    let heap = c.heap(100);
    let wal = &c.checkpointer;
    let tids: Vec<ItemPointer> = (0..100)
        .map(|id| heap.insert(wal, &row(id), Xid(100), 0).expect("insert"))
        .collect();
    for tid in &tids[..50] {
        heap.delete(wal, *tid, Xid(101), 0).expect("delete");
    }
    let stats = vacuum(&heap, &c, &[], 150, 1_000);
    assert_eq!((stats.tuples_deleted, stats.lpdead_items), (50, 50));
    assert_eq!(stats.index_scans, 0);
    assert_eq!(stats.live_tuples, 50);
    let listing = dump_all(&heap, &c);
    assert!(!listing.contains("DEAD"), "{listing}");
}
