//! B-tree verification for amcheck's `bt_index_check` and `bt_index_parent_check`
//! (PostgreSQL docs F.2, `amcheck`), built into tusk and declared by its extension script.
//!
//! Rules:
//! 1. The table and the index are locked in `ShareLock` while the check runs, so no writer
//!    changes the tree under it. (PostgreSQL's `bt_index_check` makes do with
//!    `AccessShareLock` by tolerating concurrent splits; tusk's structural check
//!    (`BTreeIndex::verify`) wants a quiescent tree, so both functions take the stronger
//!    lock `bt_index_parent_check` takes.)
//! 2. The structural check is the same for both functions: every level's sibling links,
//!    key order within and across pages, high keys, and downlinks against the level below.
//! 3. With `heapallindexed`, every row the statement's snapshot sees, and that a partial
//!    index's predicate admits, must have an entry whose TID is its HOT chain's root and
//!    whose key is the row's key. A missing one is XX002 with PostgreSQL's message.
//!
//! Entry point: [`verify_index`].

use std::collections::HashMap;

use tusk_catalog::syscat;
use tusk_types::{
    pg_err, BlockNumber, Datum, Error, ItemPointer, OffsetNumber, Oid, Result, SqlState,
};

use super::tables::SessionTables;
use crate::lock::LockMode;

/// Verifies index `index` (rules 1–3).
///
/// Errors: XX000 `could not open relation with OID n`; 42809 `"x" is not an index`;
/// 0A000 for a partitioned index (not a B-tree of its own); XX002 for corruption.
pub(crate) fn verify_index(
    tables: &SessionTables<'_>,
    index: Oid,
    heapallindexed: bool,
) -> Result<()> {
    let entry = tables
        .catalog
        .entry(index)?
        .ok_or_else(|| Error::internal(format!("could not open relation with OID {}", index.0)))?;
    match entry.info.kind {
        b'i' => {}
        b'I' => {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "only B-Tree indexes are supported as targets for verification",
            )
            .detail(format!(
                "Relation \"{}\" is not a B-Tree index.",
                entry.info.name
            )))
        }
        _ => {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not an index",
                entry.info.name
            ))
        }
    }
    let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
    let (c_index, c_table) = (pg_index.col("indexrelid"), pg_index.col("indrelid"));
    let table = tables
        .catalog
        .scan(pg_index)?
        .into_iter()
        .find(|(_, r)| r[c_index] == Datum::Oid(index.0))
        .and_then(|(_, r)| match r[c_table] {
            Datum::Oid(t) => Some(Oid(t)),
            _ => None,
        })
        .ok_or_else(|| Error::internal(format!("cache lookup failed for index {}", index.0)))?;
    let table_entry = tables.entry(table)?;
    if table_entry.info.kind == b'p' {
        // A partitioned table's index is not a B-tree of its own (relkind `I` in
        // PostgreSQL).
        return Err(Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            "only B-Tree indexes are supported as targets for verification",
        )
        .detail(format!(
            "Relation \"{}\" is not a B-Tree index.",
            entry.info.name
        )));
    }
    (tables.locker)(table, LockMode::Share)?;
    (tables.locker)(index, LockMode::Share)?;
    let open = tables.indexes(&table_entry)?;
    let ix = open
        .iter()
        .find(|ix| ix.oid == index)
        .ok_or_else(|| Error::internal(format!("could not open index with OID {}", index.0)))?;
    ix.index.verify()?;
    if !heapallindexed {
        return Ok(());
    }
    // Rule 3: the index's entries by TID, then every visible row looked up.
    let mut entries: HashMap<ItemPointer, Vec<Vec<Datum>>> = HashMap::new();
    for item in ix
        .index
        .scan(&[], tusk_access::nbtree::ScanDirection::Forward)?
    {
        let item = item?;
        entries.entry(item.tid).or_default().push(item.key);
    }
    let mut roots: HashMap<BlockNumber, Vec<Option<OffsetNumber>>> = HashMap::new();
    let scan = crate::heap::HeapScanIter::new(
        table_entry.heap.clone(),
        table_entry.attrs.clone(),
        tables.view.borrow().clone(),
        tables.cluster.xact.clog.clone(),
    )?;
    for row in scan {
        let (tid, values) = row?;
        (tables.check_interrupts)()?;
        if !ix.covers(&values)? {
            continue;
        }
        let block_roots = match roots.entry(tid.block) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(table_entry.heap.hot_chain_roots(tid.block)?)
            }
        };
        let root = block_roots
            .get(tid.offset.0 as usize)
            .copied()
            .flatten()
            .unwrap_or(tid.offset);
        let root_tid = ItemPointer {
            block: tid.block,
            offset: root,
        };
        let key = ix.key(&values)?;
        let found = entries
            .get(&root_tid)
            .is_some_and(|keys| keys.contains(&key));
        if !found {
            return Err(pg_err!(
                INDEX_CORRUPTED,
                "heap tuple ({},{}) from table \"{}\" lacks matching index tuple within index \"{}\"",
                tid.block.0,
                tid.offset.0,
                table_entry.info.name,
                entry.info.name
            ));
        }
    }
    Ok(())
}
