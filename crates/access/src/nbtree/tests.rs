//! B-tree tests over a small in-memory cluster: random insertions against a `BTreeMap`
//! model (duplicates, NULLs, multi-column keys), scans with every strategy, unique checks,
//! concurrent inserters, bulk build and bulk delete, each ending with [`BTreeIndex::verify`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use tusk_io::{ManualClock, MemVfs, Vfs};
use tusk_storage::storage_wal::create_record;
use tusk_storage::{
    BufferPool, BufferPoolConfig, CheckpointKind, Checkpointer, NoWalFlush, Smgr, SmgrConfig,
    PAGE_SIZE,
};
use tusk_types::{
    type_oid, BlockNumber, Datum, ForkNumber, ItemPointer, Lsn, OffsetNumber, Oid, RelFileLocator,
    SqlState, Xid,
};
use tusk_wal::{ControlFile, DbState, Wal, WalConfig};

use super::*;

struct TestCluster {
    pool: Arc<BufferPool>,
    wal: Arc<Wal>,
    checkpointer: Checkpointer,
}

fn cluster(shared_buffers: usize) -> TestCluster {
    let vfs: Arc<dyn Vfs> = Arc::new(MemVfs::new());
    for dir in [
        "/data",
        "/data/global",
        "/data/base",
        "/data/base/5",
        "/data/pg_wal",
    ] {
        vfs.create_dir_all(Path::new(dir)).expect("mkdir");
    }
    let config = WalConfig {
        wal_buffers_bytes: 256 * 1024,
        segment_size: 1024 * 1024,
        system_identifier: 7,
        ..WalConfig::default()
    };
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
        wal_segment_size: config.segment_size as u32,
        block_size: PAGE_SIZE as u32,
        data_checksums: true,
    };
    let wal = Arc::new(
        Wal::open(vfs.clone(), Path::new("/data/pg_wal"), config, Lsn::INVALID).expect("wal"),
    );
    let smgr = Arc::new(Smgr::new(
        vfs.clone(),
        PathBuf::from("/data"),
        SmgrConfig::default(),
    ));
    let pool = Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers,
            data_checksums: true,
        },
        smgr,
        Arc::new(NoWalFlush),
    ));
    pool.set_wal_flusher(wal.clone());
    let clock = Arc::new(ManualClock::new(
        UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000),
    ));
    let checkpointer = Checkpointer::new(
        vfs,
        PathBuf::from("/data"),
        wal.clone(),
        pool.clone(),
        clock,
        control,
    );
    checkpointer
        .checkpoint(CheckpointKind::Shutdown)
        .expect("first checkpoint");
    TestCluster {
        pool,
        wal,
        checkpointer,
    }
}

fn locator(n: u32) -> RelFileLocator {
    RelFileLocator {
        spc_oid: Oid(1663),
        db_oid: Oid(5),
        rel_number: Oid(16384 + n),
    }
}

impl TestCluster {
    fn index(&self, n: u32, columns: Vec<IndexColumn>, fillfactor: u8) -> BTreeIndex {
        self.wal
            .insert(&create_record(locator(n), ForkNumber::Main));
        self.pool
            .smgr()
            .create(locator(n), ForkNumber::Main, false)
            .expect("create");
        BTreeIndex::new(
            self.pool.clone(),
            locator(n),
            IndexDesc {
                name: format!("i{n}"),
                table_name: "t".into(),
                columns,
                fillfactor,
            },
        )
        .expect("index")
    }
}

fn tid(n: u32) -> ItemPointer {
    ItemPointer {
        block: BlockNumber(n / 50),
        offset: OffsetNumber((n % 50 + 1) as u16),
    }
}

/// A deterministic generator (no external randomness in tests).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// Model key for (int4 nullable, text): NULLs last in both ascending columns.
type ModelKey = (Option<i32>, Option<String>, (u32, u16));

fn model_key(values: &[Datum], t: ItemPointer) -> ModelKey {
    let a = match &values[0] {
        Datum::Int4(v) => Some(*v),
        _ => None,
    };
    let b = match &values[1] {
        Datum::Text(s) => Some(s.clone()),
        _ => None,
    };
    (a, b, (t.block.0, t.offset.0))
}

/// Orders like the index: `None` (NULL) after every value.
fn null_last<T: Ord>(a: &Option<T>, b: &Option<T>) -> std::cmp::Ordering {
    match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Greater,
        (_, None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    }
}

fn sorted_model(model: &[ModelKey]) -> Vec<ModelKey> {
    let mut v = model.to_vec();
    v.sort_by(|x, y| {
        null_last(&x.0, &y.0)
            .then_with(|| null_last(&x.1, &y.1))
            .then_with(|| x.2.cmp(&y.2))
    });
    v
}

fn two_columns() -> Vec<IndexColumn> {
    vec![
        IndexColumn::new("a", type_oid::INT4),
        IndexColumn::new("b", type_oid::TEXT),
    ]
}

fn random_row(rng: &mut Lcg) -> Vec<Datum> {
    let a = if rng.next().is_multiple_of(10) {
        Datum::Null
    } else {
        Datum::Int4((rng.next() % 200) as i32 - 100)
    };
    let b = if rng.next().is_multiple_of(7) {
        Datum::Null
    } else {
        // Long-ish values so pages split often; few distinct ones, many duplicates.
        Datum::Text(format!(
            "{:03}{}",
            rng.next() % 5,
            "x".repeat((rng.next() % 60) as usize)
        ))
    };
    vec![a, b]
}

fn scan_dir(index: &BTreeIndex, keys: &[ScanKey], direction: ScanDirection) -> Vec<ModelKey> {
    index
        .scan(keys, direction)
        .expect("scan")
        .map(|e| {
            let e = e.expect("entry");
            model_key(&e.key, e.tid)
        })
        .collect()
}

fn scan_all(index: &BTreeIndex, keys: &[ScanKey]) -> Vec<ModelKey> {
    scan_dir(index, keys, ScanDirection::Forward)
}

/// Scans both ways and compares with `expected` (in index order).
fn assert_scans(index: &BTreeIndex, keys: &[ScanKey], expected: &[ModelKey], what: &str) {
    assert_eq!(scan_all(index, keys), expected, "forward: {what}");
    let mut backward = scan_dir(index, keys, ScanDirection::Backward);
    backward.reverse();
    assert_eq!(backward, expected, "backward: {what}");
}

#[test]
fn random_inserts_match_a_sorted_model_and_every_scan_strategy() {
    let c = cluster(64);
    let index = c.index(1, two_columns(), 90);
    index.build_empty(&c.checkpointer).expect("build empty");
    assert_eq!(scan_all(&index, &[]), Vec::new());
    let mut rng = Lcg(42);
    let mut model = Vec::new();
    for n in 0..3000 {
        let row = random_row(&mut rng);
        index.insert(&c.checkpointer, &row, tid(n)).expect("insert");
        model.push(model_key(&row, tid(n)));
    }
    let report = index.verify().expect("valid tree");
    assert!(report.pages_per_level.len() >= 2, "{report:?}");
    assert_eq!(report.leaf_entries, 3000);
    let sorted = sorted_model(&model);
    assert_eq!(scan_all(&index, &[]), sorted);
    let backward: Vec<ModelKey> = index
        .scan(&[], ScanDirection::Backward)
        .expect("scan")
        .map(|e| {
            let e = e.expect("entry");
            model_key(&e.key, e.tid)
        })
        .collect();
    assert_eq!(backward, sorted.iter().rev().cloned().collect::<Vec<_>>());
    use ScanStrategy::*;
    for probe in [-101, -100, -37, 0, 5, 99, 100] {
        for strategy in [Less, LessEqual, Equal, GreaterEqual, Greater] {
            let keys = [ScanKey {
                column: 0,
                strategy,
                value: Datum::Int8(probe),
            }];
            let expected: Vec<ModelKey> = sorted
                .iter()
                .filter(|k| {
                    k.0.is_some_and(|a| {
                        let a = i64::from(a);
                        match strategy {
                            Less => a < probe,
                            LessEqual => a <= probe,
                            Equal => a == probe,
                            GreaterEqual => a >= probe,
                            Greater => a > probe,
                        }
                    })
                })
                .cloned()
                .collect();
            assert_scans(&index, &keys, &expected, &format!("a {strategy:?} {probe}"));
        }
    }
    // Two columns: a = 7 AND b > '002', and a range on a with b = '001...'.
    let keys = [
        ScanKey {
            column: 0,
            strategy: Equal,
            value: Datum::Int4(7),
        },
        ScanKey {
            column: 1,
            strategy: Greater,
            value: Datum::Text("002".into()),
        },
    ];
    let expected: Vec<ModelKey> = sorted
        .iter()
        .filter(|k| k.0 == Some(7) && k.1.as_deref().is_some_and(|b| b > "002"))
        .cloned()
        .collect();
    assert_scans(&index, &keys, &expected, "a = 7 and b > '002'");
    for strategy in [Less, LessEqual, Equal, GreaterEqual, Greater] {
        let keys = [
            ScanKey {
                column: 0,
                strategy: Equal,
                value: Datum::Int4(-3),
            },
            ScanKey {
                column: 1,
                strategy,
                value: Datum::Text("002".into()),
            },
        ];
        let expected: Vec<ModelKey> = sorted
            .iter()
            .filter(|k| {
                k.0 == Some(-3)
                    && k.1.as_deref().is_some_and(|b| match strategy {
                        Less => b < "002",
                        LessEqual => b <= "002",
                        Equal => b == "002",
                        GreaterEqual => b >= "002",
                        Greater => b > "002",
                    })
            })
            .cloned()
            .collect();
        assert_scans(
            &index,
            &keys,
            &expected,
            &format!("a = -3 and b {strategy:?}"),
        );
    }
    let keys = [
        ScanKey {
            column: 0,
            strategy: GreaterEqual,
            value: Datum::Int4(-10),
        },
        ScanKey {
            column: 0,
            strategy: Less,
            value: Datum::Int4(10),
        },
        ScanKey {
            column: 1,
            strategy: LessEqual,
            value: Datum::Text("001".into()),
        },
    ];
    let expected: Vec<ModelKey> = sorted
        .iter()
        .filter(|k| {
            k.0.is_some_and(|a| (-10..10).contains(&a))
                && k.1.as_deref().is_some_and(|b| b <= "001")
        })
        .cloned()
        .collect();
    assert_scans(&index, &keys, &expected, "range on a, b <= '001'");
    // NULL comparison values match nothing; incomparable types are refused.
    let null_key = [ScanKey {
        column: 0,
        strategy: Equal,
        value: Datum::Null,
    }];
    assert!(scan_all(&index, &null_key).is_empty());
    let err = index
        .scan(
            &[ScanKey {
                column: 0,
                strategy: Equal,
                value: Datum::Text("1".into()),
            }],
            ScanDirection::Forward,
        )
        .expect_err("text against int4");
    assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED);
}

#[test]
fn descending_nulls_first_column_scans_in_its_order() {
    let c = cluster(32);
    let mut col = IndexColumn::new("v", type_oid::INT8);
    col.descending = true;
    col.nulls_first = true;
    let index = c.index(2, vec![col], 90);
    index.build_empty(&c.checkpointer).expect("build empty");
    for n in 0..1500u32 {
        let v = if n % 11 == 0 {
            Datum::Null
        } else {
            Datum::Int8(i64::from(n % 300))
        };
        index.insert(&c.checkpointer, &[v], tid(n)).expect("insert");
    }
    index.verify().expect("valid");
    let values = |keys: &[ScanKey]| -> Vec<Option<i64>> {
        index
            .scan(keys, ScanDirection::Forward)
            .expect("scan")
            .map(|e| match e.expect("entry").key[0] {
                Datum::Int8(v) => Some(v),
                _ => None,
            })
            .collect()
    };
    let all = values(&[]);
    assert_eq!(all.len(), 1500);
    let nulls = all.iter().take_while(|v| v.is_none()).count();
    assert_eq!(nulls, 1500usize.div_ceil(11));
    assert!(all[nulls..].windows(2).all(|w| w[0] >= w[1]), "descending");
    let below = values(&[ScanKey {
        column: 0,
        strategy: ScanStrategy::Less,
        value: Datum::Int4(10),
    }]);
    assert!(!below.is_empty());
    assert!(below.iter().all(|v| v.is_some_and(|v| v < 10)));
    assert_eq!(below.first(), Some(&Some(9)));
    assert_eq!(
        below.len(),
        all.iter().filter(|v| v.is_some_and(|v| v < 10)).count()
    );
    for strategy in [
        ScanStrategy::Less,
        ScanStrategy::LessEqual,
        ScanStrategy::Equal,
        ScanStrategy::GreaterEqual,
        ScanStrategy::Greater,
    ] {
        let keys = [ScanKey {
            column: 0,
            strategy,
            value: Datum::Int8(150),
        }];
        let forward = values(&keys);
        let mut backward: Vec<Option<i64>> = index
            .scan(&keys, ScanDirection::Backward)
            .expect("scan")
            .map(|e| match e.expect("entry").key[0] {
                Datum::Int8(v) => Some(v),
                _ => None,
            })
            .collect();
        backward.reverse();
        assert_eq!(forward, backward, "{strategy:?}");
        assert!(!forward.is_empty());
    }
}

#[test]
fn unique_inserts_report_conflicts_waits_and_ignore_dead_rows() {
    let c = cluster(32);
    let index = c.index(3, vec![IndexColumn::new("id", type_oid::INT4)], 90);
    index.build_empty(&c.checkpointer).expect("build empty");
    let wal = &c.checkpointer;
    for n in 0..2000u32 {
        let got = index
            .insert_unique(wal, &[Datum::Int4(n as i32)], tid(n), |_| {
                panic!("no equal keys yet")
            })
            .expect("insert");
        assert_eq!(got, UniqueInsert::Inserted);
    }
    let got = index
        .insert_unique(wal, &[Datum::Int4(1234)], tid(9000), |_| {
            UniqueCheck::Conflict
        })
        .expect("check");
    assert_eq!(
        got,
        UniqueInsert::Duplicate {
            existing: tid(1234)
        }
    );
    let got = index
        .insert_unique(wal, &[Datum::Int4(1234)], tid(9000), |_| {
            UniqueCheck::WaitFor(Xid(77))
        })
        .expect("check");
    assert_eq!(got, UniqueInsert::WaitFor(Xid(77)));
    // Many dead versions of one key, spanning pages: each is shown to the callback once.
    for n in 0..600u32 {
        let got = index
            .insert_unique(wal, &[Datum::Int4(5000)], tid(10_000 + n), |_| {
                UniqueCheck::Ignore
            })
            .expect("insert dead versions");
        assert_eq!(got, UniqueInsert::Inserted);
    }
    let mut seen = BTreeSet::new();
    let got = index
        .insert_unique(wal, &[Datum::Int4(5000)], tid(20_000), |t| {
            assert!(seen.insert((t.block.0, t.offset.0)), "each entry once");
            UniqueCheck::Ignore
        })
        .expect("insert");
    assert_eq!(got, UniqueInsert::Inserted);
    assert_eq!(seen.len(), 600);
    // NULLs never conflict.
    let c2 = c.index(4, two_columns(), 90);
    c2.build_empty(wal).expect("build empty");
    for n in 0..3 {
        let got = c2
            .insert_unique(wal, &[Datum::Int4(1), Datum::Null], tid(n), |_| {
                UniqueCheck::Conflict
            })
            .expect("insert");
        assert_eq!(got, UniqueInsert::Inserted);
    }
    index.verify().expect("valid");
    let err = unique_violation_error("t_pkey", &["id"], &[Some("1234")]);
    assert_eq!(
        err.detail.as_deref(),
        Some("Key (id)=(1234) already exists.")
    );
}

#[test]
fn concurrent_inserters_leave_a_valid_tree_with_every_entry() {
    let c = cluster(128);
    let index = Arc::new(c.index(5, two_columns(), 90));
    index.build_empty(&c.checkpointer).expect("build empty");
    let checkpointer = &c.checkpointer;
    std::thread::scope(|s| {
        for t in 0..4u32 {
            let index = index.clone();
            s.spawn(move || {
                let mut rng = Lcg(u64::from(t) + 1);
                for n in 0..1500u32 {
                    let row = random_row(&mut rng);
                    index
                        .insert(checkpointer, &row, tid(t * 100_000 + n))
                        .expect("insert");
                }
            });
        }
        // A scanner running alongside sees entries in order.
        let index = index.clone();
        s.spawn(move || {
            for round in 0..20 {
                let direction = if round % 2 == 0 {
                    ScanDirection::Forward
                } else {
                    ScanDirection::Backward
                };
                let mut entries = scan_dir(&index, &[], direction);
                if direction == ScanDirection::Backward {
                    entries.reverse();
                }
                let sorted = sorted_model(&entries);
                assert_eq!(
                    entries, sorted,
                    "{direction:?} scan order under concurrent splits"
                );
            }
        });
    });
    let report = index.verify().expect("valid tree");
    assert_eq!(report.leaf_entries, 6000);
    let mut expected = Vec::new();
    for t in 0..4u32 {
        let mut rng = Lcg(u64::from(t) + 1);
        for n in 0..1500u32 {
            expected.push(model_key(&random_row(&mut rng), tid(t * 100_000 + n)));
        }
    }
    assert_eq!(scan_all(&index, &[]), sorted_model(&expected));
}

#[test]
fn concurrent_unique_inserters_admit_one_row_per_key() {
    let c = cluster(128);
    let index = Arc::new(c.index(6, vec![IndexColumn::new("id", type_oid::INT4)], 90));
    index.build_empty(&c.checkpointer).expect("build empty");
    let checkpointer = &c.checkpointer;
    let inserted = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for t in 0..4u32 {
            let index = index.clone();
            let inserted = &inserted;
            s.spawn(move || {
                for n in 0..800u32 {
                    let key = (n * 7 + t) % 1000;
                    // Every existing entry is a live row.
                    let got = index
                        .insert_unique(
                            checkpointer,
                            &[Datum::Int4(key as i32)],
                            tid(t * 100_000 + n),
                            |_| UniqueCheck::Conflict,
                        )
                        .expect("insert");
                    if got == UniqueInsert::Inserted {
                        inserted.lock().expect("lock").push(key);
                    }
                }
            });
        }
    });
    let mut keys = inserted.into_inner().expect("lock");
    keys.sort_unstable();
    let distinct = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), distinct, "a key was admitted twice");
    let report = index.verify().expect("valid");
    assert_eq!(report.leaf_entries as usize, distinct);
}

#[test]
fn bulk_build_equals_incremental_build_and_finds_duplicates() {
    let c = cluster(64);
    let mut rng = Lcg(9);
    let rows: Vec<(Vec<Datum>, ItemPointer)> =
        (0..5000).map(|n| (random_row(&mut rng), tid(n))).collect();
    let built = c.index(7, two_columns(), 90);
    let outcome = built
        .build(&c.checkpointer, rows.clone(), false)
        .expect("build");
    assert_eq!(outcome, build::BuildOutcome::Built { entries: 5000 });
    let report = built.verify().expect("valid");
    assert_eq!(report.leaf_entries, 5000);
    assert!(report.pages_per_level.len() >= 2);
    let model: Vec<ModelKey> = rows.iter().map(|(v, t)| model_key(v, *t)).collect();
    assert_eq!(scan_all(&built, &[]), sorted_model(&model));
    // Inserting after a build splits the built pages correctly.
    for n in 0..2000 {
        let row = random_row(&mut rng);
        built
            .insert(&c.checkpointer, &row, tid(100_000 + n))
            .expect("insert");
    }
    assert_eq!(built.verify().expect("valid").leaf_entries, 7000);
    let unique = c.index(8, vec![IndexColumn::new("id", type_oid::INT4)], 90);
    let rows = vec![
        (vec![Datum::Int4(3)], tid(1)),
        (vec![Datum::Null], tid(2)),
        (vec![Datum::Null], tid(3)),
        (vec![Datum::Int4(3)], tid(4)),
    ];
    assert_eq!(
        unique.build(&c.checkpointer, rows, true).expect("build"),
        build::BuildOutcome::Duplicate {
            key: vec![Datum::Int4(3)]
        }
    );
    let empty = c.index(9, two_columns(), 90);
    empty
        .build(&c.checkpointer, Vec::new(), true)
        .expect("build");
    assert_eq!(empty.verify().expect("valid"), VerifyReport::default());
}

#[test]
fn bulk_delete_removes_named_entries_and_keeps_the_tree_valid() {
    let c = cluster(64);
    let index = c.index(10, vec![IndexColumn::new("id", type_oid::INT4)], 90);
    index.build_empty(&c.checkpointer).expect("build empty");
    for n in 0..4000u32 {
        index
            .insert(&c.checkpointer, &[Datum::Int4((n % 1000) as i32)], tid(n))
            .expect("insert");
    }
    let stats = index
        .bulk_delete(&c.checkpointer, |t| {
            (t.block.0 * 50 + u32::from(t.offset.0)) % 3 == 0
        })
        .expect("bulk delete");
    assert!(stats.pages > 1);
    assert_eq!(stats.tuples_removed + stats.num_index_tuples, 4000);
    let report = index.verify().expect("valid");
    assert_eq!(report.leaf_entries, stats.num_index_tuples);
    let left: Vec<ItemPointer> = index
        .scan(&[], ScanDirection::Forward)
        .expect("scan")
        .map(|e| e.expect("entry").tid)
        .collect();
    assert!(left
        .iter()
        .all(|t| (t.block.0 * 50 + u32::from(t.offset.0)) % 3 != 0));
    // Inserting into the thinned tree still works.
    for n in 0..1000u32 {
        index
            .insert(&c.checkpointer, &[Datum::Int4(n as i32)], tid(50_000 + n))
            .expect("insert");
    }
    index.verify().expect("valid");
}

#[test]
fn oversized_entries_are_rejected_with_postgresql_message() {
    let c = cluster(16);
    let index = c.index(11, vec![IndexColumn::new("t", type_oid::TEXT)], 90);
    index.build_empty(&c.checkpointer).expect("build empty");
    let err = index
        .insert(&c.checkpointer, &[Datum::Text("x".repeat(3000))], tid(1))
        .expect_err("too big");
    assert_eq!(err.code, SqlState::PROGRAM_LIMIT_EXCEEDED);
    assert_eq!(
        err.message,
        "index row size 3012 exceeds btree version 4 maximum 2704 for index \"i11\""
    );
    assert_eq!(
        err.detail.as_deref(),
        Some("Index row references tuple (0,2) in relation \"t\".")
    );
    // Near-maximum entries still split fine.
    for n in 0..40u32 {
        let v = format!("{n:04}{}", "y".repeat(2680));
        index
            .insert(&c.checkpointer, &[Datum::Text(v)], tid(n))
            .expect("insert large");
    }
    assert_eq!(index.verify().expect("valid").leaf_entries, 40);
    let err = BTreeIndex::new(
        c.pool.clone(),
        locator(12),
        IndexDesc {
            name: "p".into(),
            table_name: "t".into(),
            columns: vec![IndexColumn::new("p", type_oid::POINT)],
            fillfactor: 90,
        },
    )
    .expect_err("point has no btree opclass");
    assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED);
}

#[test]
fn concurrent_ascending_inserters_contend_on_the_rightmost_leaf_with_evictions() {
    // A small pool: pages are evicted and re-read while cascades hold their locks.
    let c = cluster(40);
    let index = Arc::new(c.index(13, two_columns(), 90));
    index.build_empty(&c.checkpointer).expect("build empty");
    let checkpointer = &c.checkpointer;
    std::thread::scope(|s| {
        for t in 0..4u32 {
            let index = index.clone();
            s.spawn(move || {
                for n in 0..1200u32 {
                    let k = (n * 4 + t) as i32;
                    let row = [Datum::Int4(k), Datum::Text("z".repeat(200))];
                    index
                        .insert(checkpointer, &row, tid(k as u32))
                        .expect("insert");
                }
            });
        }
    });
    let report = index.verify().expect("valid tree");
    assert_eq!(report.leaf_entries, 4800);
    assert!(report.pages_per_level.len() >= 3, "{report:?}");
    let keys: Vec<i32> = index
        .scan(&[], ScanDirection::Forward)
        .expect("scan")
        .map(|e| match e.expect("entry").key[0] {
            Datum::Int4(v) => v,
            ref other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(keys, (0..4800).collect::<Vec<i32>>());
}
