//! Crash safety of the heap, in process (modelled on tusk-storage's crash test).
//!
//! A deterministic workload of heap inserts, HOT and non-HOT updates, deletes and prunes runs
//! over a 4-frame buffer pool (so pages are evicted and written), with background-writer
//! rounds, online checkpoints (so full-page images are logged) and commit-style
//! acknowledgements (`Wal::flush`). It is rerun once per fsync point with the fault-injecting
//! file system frozen there, then crashed (unsynced writes dropped, or the last write torn).
//! After recovery:
//! - every acknowledged change is within the recovered WAL;
//! - every heap page lists exactly as it did right after the last change the recovered WAL
//!   contains (nothing half-applied, nothing lost from that prefix);
//! - every page's checksum verifies.

mod common;

use common::{fresh_cluster, rel, smgr_config, start, Cluster};
use tusk_access::inspect::heap_page_items;
use tusk_access::{form_tuple, AttributeDesc, HeapRelation, HeapTuple, XmaxFate};
use tusk_io::{CrashMode, FaultVfs};
use tusk_storage::page::verify_page;
use tusk_storage::{BgWriter, BgWriterConfig, CheckpointKind, ReadBufferMode, Smgr, PAGE_SIZE};
use tusk_types::{type_oid, BlockNumber, Datum, ForkNumber, ItemPointer, Lsn, Xid};

const OPS: u32 = 90;

fn row(id: i32, version: u32) -> HeapTuple {
    let attrs = [
        AttributeDesc {
            type_oid: type_oid::INT4,
        },
        AttributeDesc {
            type_oid: type_oid::TEXT,
        },
    ];
    let pad = "p".repeat(150 + (id as usize * 37) % 200);
    form_tuple(
        &attrs,
        &[Datum::Int4(id), Datum::Text(format!("v{version}-{pad}"))],
    )
    .expect("form")
}

fn page_lsn(c: &Cluster, block: BlockNumber) -> Lsn {
    let pin = c
        .pool
        .read_buffer(rel(), ForkNumber::Main, block, ReadBufferMode::Normal)
        .expect("read");
    let lsn = pin.lock_shared().lsn();
    lsn
}

/// Listing of every initialised page of the relation (trailing new pages left by an
/// extension whose WAL was lost are not listed).
fn listing(c: &Cluster) -> Vec<String> {
    let heap = c.heap(90);
    let n = heap.nblocks().expect("nblocks").0;
    let mut pages: Vec<String> = (0..n)
        .map(|b| {
            let pin = c
                .pool
                .read_buffer(
                    rel(),
                    ForkNumber::Main,
                    BlockNumber(b),
                    ReadBufferMode::Normal,
                )
                .expect("read");
            let page = pin.lock_shared();
            heap_page_items(&page)
        })
        .collect();
    while pages.last().is_some_and(|p| p == "new page\n") {
        pages.pop();
    }
    pages
}

/// One logged change: its end LSN and the relation's listing right after it.
struct Step {
    end: Lsn,
    listing: Vec<String>,
}

struct Ack {
    upto: Lsn,
    syncs: u64,
}

fn workload(vfs: &FaultVfs, c: &Cluster) -> (Vec<Step>, Vec<Ack>) {
    c.create_relation();
    let heap: HeapRelation = c.heap(90);
    let wal = &c.checkpointer;
    let bgwriter = BgWriter::new(c.pool.clone(), BgWriterConfig::default());
    let mut steps = Vec::new();
    let mut acks = Vec::new();
    let mut live: Vec<(i32, ItemPointer)> = Vec::new();
    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next_id = 0;
    for op in 0..OPS {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let pick = (rng >> 33) as usize;
        let xid = Xid(100 + op);
        let block = match pick % 10 {
            _ if live.len() < 4 => None,
            0..=3 => None,
            4..=5 => {
                let i = pick / 10 % live.len();
                let (id, tid) = live[i];
                let new = heap
                    .update(wal, tid, &row(id, op), xid, 0, !pick.is_multiple_of(3))
                    .expect("update");
                live[i] = (id, new);
                Some(new.block)
            }
            6 => {
                let i = pick / 10 % live.len();
                let (_, tid) = live.swap_remove(i);
                heap.delete(wal, tid, xid, 0).expect("delete");
                Some(tid.block)
            }
            _ => {
                let nblocks = heap.nblocks().expect("nblocks").0;
                let b = BlockNumber((pick / 10) as u32 % nblocks);
                // Everything before this op has "committed" and is past the horizon.
                heap.prune_page(wal, b, |x| match x.0 < xid.0 {
                    true => XmaxFate::Dead,
                    false => XmaxFate::Pending,
                })
                .expect("prune")
                .map(|_| b)
            }
        };
        let block = block.or_else(|| {
            if pick % 10 <= 3 || live.len() < 4 {
                let tid = heap.insert(wal, &row(next_id, op), xid, 0).expect("insert");
                live.push((next_id, tid));
                next_id += 1;
                Some(tid.block)
            } else {
                None
            }
        });
        if let Some(block) = block {
            steps.push(Step {
                end: page_lsn(c, block),
                listing: listing(c),
            });
        }
        if op % 5 == 4 {
            if let Some(last) = steps.last() {
                c.wal.flush(last.end).expect("commit flush");
                acks.push(Ack {
                    upto: last.end,
                    syncs: vfs.sync_count(),
                });
            }
        }
        if op % 7 == 6 {
            bgwriter.run_once();
        }
        if op % 30 == 29 {
            c.checkpointer
                .checkpoint(CheckpointKind::Online)
                .expect("checkpoint");
        }
    }
    (steps, acks)
}

fn verify(vfs: &FaultVfs, crash_sync: u64, mode: CrashMode, steps: &[Step], acks: &[Ack]) {
    let (c, outcome) = start(vfs, 4);
    let end = outcome.end_of_wal;
    for ack in acks.iter().filter(|a| a.syncs <= crash_sync) {
        assert!(
            ack.upto <= end,
            "crash at sync {crash_sync} ({mode:?}): acknowledged WAL up to {} lost (recovered to {end})",
            ack.upto
        );
    }
    let expected: Vec<String> = steps
        .iter()
        .rev()
        .find(|s| s.end <= end)
        .map(|s| s.listing.clone())
        .unwrap_or_default();
    let smgr = c.pool.smgr();
    let actual = if smgr.exists(rel(), ForkNumber::Main) {
        listing(&c)
    } else {
        Vec::new()
    };
    assert_eq!(
        actual, expected,
        "crash at sync {crash_sync} ({mode:?}): heap after recovery to {end}"
    );
    // The end-of-recovery checkpoint wrote every page with a checksum.
    let raw = Smgr::new(
        std::sync::Arc::new(vfs.clone()),
        common::datadir(),
        smgr_config(),
    );
    if raw.exists(rel(), ForkNumber::Main) {
        let n = raw.nblocks(rel(), ForkNumber::Main).expect("nblocks").0;
        for block in 0..n {
            let mut bytes = [0u8; PAGE_SIZE];
            raw.read(rel(), ForkNumber::Main, BlockNumber(block), &mut bytes)
                .expect("read");
            verify_page(&bytes, block, true, "base/5/16384")
                .unwrap_or_else(|e| panic!("crash at sync {crash_sync} ({mode:?}): {e}"));
        }
    }
}

#[test]
fn heap_changes_survive_a_crash_at_every_fsync_point() {
    let (vfs, c) = fresh_cluster(4);
    let base = vfs.sync_count();
    let (steps, acks) = workload(&vfs, &c);
    let total = vfs.sync_count() - base;
    assert!(
        total > 10,
        "workload should hit many sync points, got {total}"
    );
    assert!(acks.len() > 10 && steps.len() > 60);
    drop(c);
    for n in 1..=total {
        for mode in [
            CrashMode::DropUnsynced,
            CrashMode::TearLastWrite { keep_bytes: 4096 },
        ] {
            let (vfs, c) = fresh_cluster(4);
            let base = vfs.sync_count();
            vfs.crash_at_sync(n);
            let (run_steps, run_acks) = workload(&vfs, &c);
            assert_eq!(run_steps.len(), steps.len(), "workload is deterministic");
            let after = vfs.crash(mode);
            let acks: Vec<Ack> = run_acks
                .into_iter()
                .map(|a| Ack {
                    upto: a.upto,
                    syncs: a.syncs - base,
                })
                .collect();
            verify(&after, n, mode, &run_steps, &acks);
        }
    }
}

#[test]
fn clean_shutdown_keeps_every_change() {
    let (vfs, c) = fresh_cluster(4);
    let (steps, _) = workload(&vfs, &c);
    c.checkpointer
        .checkpoint(CheckpointKind::Shutdown)
        .expect("shutdown checkpoint");
    let after = vfs.crash(CrashMode::DropUnsynced);
    let (restarted, outcome) = start(&after, 4);
    assert!(!outcome.crashed);
    assert_eq!(listing(&restarted), steps.last().expect("steps").listing);
}
