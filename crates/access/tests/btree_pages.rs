//! Goldenscript of B-tree pages: the tree listed after the first leaf split (a new root),
//! after ascending insertions fill the rightmost leaves (fillfactor splits), and after
//! insertions in the middle (even splits, downlinks inserted after their left page).
//! `UPDATE_GOLDEN=1` rewrites `tests/golden/btree_splits.txt`.

mod common;

use common::{assert_golden, fresh_cluster};
use tusk_access::{BTreeIndex, IndexColumn, IndexDesc};
use tusk_storage::storage_wal::create_record;
use tusk_types::{
    type_oid, BlockNumber, Datum, ForkNumber, ItemPointer, OffsetNumber, Oid, RelFileLocator,
};

#[test]
fn btree_splits_golden() {
    let (_vfs, c) = fresh_cluster(16);
    let rel = RelFileLocator {
        spc_oid: Oid(1663),
        db_oid: Oid(5),
        rel_number: Oid(16400),
    };
    c.wal.insert(&create_record(rel, ForkNumber::Main));
    c.pool
        .smgr()
        .create(rel, ForkNumber::Main, false)
        .expect("create");
    let index = BTreeIndex::new(
        c.pool.clone(),
        rel,
        IndexDesc {
            name: "t_k_pad_idx".into(),
            table_name: "t".into(),
            columns: vec![
                IndexColumn::new("k", type_oid::INT4),
                IndexColumn::new("pad", type_oid::TEXT),
            ],
            fillfactor: 90,
        },
    )
    .expect("index");
    index.build_empty(&c.checkpointer).expect("build empty");
    let mut script = String::new();
    let mut n = 0u32;
    let mut insert = |k: i32, script: &mut String| {
        n += 1;
        let tid = ItemPointer {
            block: BlockNumber(n / 8),
            offset: OffsetNumber((n % 8 + 1) as u16),
        };
        // ~900-byte entries: eight fit on a leaf.
        index
            .insert(
                &c.checkpointer,
                &[Datum::Int4(k), Datum::Text("p".repeat(900))],
                tid,
            )
            .expect("insert");
        script.push_str(&format!("insert {k}\n"));
    };
    for k in 1..=9 {
        insert(k * 10, &mut script);
    }
    script.push_str("> after the first split\n");
    script.push_str(&index.dump().expect("dump"));
    for k in 10..=24 {
        insert(k * 10, &mut script);
    }
    script.push_str("> ascending insertions\n");
    script.push_str(&index.dump().expect("dump"));
    for k in 0..10 {
        insert(15 + k, &mut script);
    }
    script.push_str("> insertions in the middle\n");
    script.push_str(&index.dump().expect("dump"));
    index.verify().expect("valid");
    assert_golden("btree_splits.txt", &script);
}
