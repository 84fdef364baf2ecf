//! Index key columns and the comparison of search keys with index tuples
//! (PostgreSQL's `BTScanInsert` and `_bt_compare`).
//!
//! A column orders its values by [`compare_datums`], reversed when `descending`; NULLs go
//! last unless `nulls_first` (PostgreSQL's default: `ASC NULLS LAST`, `DESC NULLS FIRST`).
//! Whole keys order column by column, then by heap TID.
//!
//! A [`SearchKey`] is a prefix of key values plus, optionally, a heap TID. Where the prefix
//! is shorter than the key, or has no TID, the missing part is minus infinity (the search
//! key sorts before every tuple with an equal prefix), or plus infinity when `next_key`
//! (PostgreSQL's `nextkey`: the first tuple *after* the prefix). A minus-infinity pivot sorts
//! before every search key.
//!
//! Entry points: [`IndexColumn`], [`SearchKey`], [`compare_search_key`].

use std::cmp::Ordering;

use tusk_types::{Datum, ItemPointer, Oid, Result};

use super::compare::compare_datums;
use super::tuple::{decode_key, TupleRef};

/// One key column of a B-tree index (`pg_index.indkey` entry with its `indoption`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IndexColumn {
    /// Column name, for error details (`Key (name)=(...)`).
    pub name: String,
    /// The column's type (`atttypid`); must be [`super::btree_orderable`].
    pub type_oid: Oid,
    /// `DESC` (`INDOPTION_DESC`).
    pub descending: bool,
    /// `NULLS FIRST` (`INDOPTION_NULLS_FIRST`).
    pub nulls_first: bool,
}

impl IndexColumn {
    /// An `ASC NULLS LAST` column.
    pub fn new(name: &str, type_oid: Oid) -> IndexColumn {
        IndexColumn {
            name: name.to_string(),
            type_oid,
            descending: false,
            nulls_first: false,
        }
    }

    /// Compares two values of this column in index order, NULLs included.
    pub fn compare(&self, a: &Datum, b: &Datum) -> Ordering {
        match (a.is_null(), b.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) if self.nulls_first => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, true) if self.nulls_first => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                let c = compare_datums(self.type_oid, a, b);
                if self.descending {
                    c.reverse()
                } else {
                    c
                }
            }
        }
    }
}

/// Compares two key prefixes column by column (over the shorter length).
pub fn compare_keys(columns: &[IndexColumn], a: &[Datum], b: &[Datum]) -> Ordering {
    for ((column, x), y) in columns.iter().zip(a).zip(b) {
        let c = column.compare(x, y);
        if c != Ordering::Equal {
            return c;
        }
    }
    Ordering::Equal
}

/// Compares whole entries `(key, heap TID)`.
pub fn compare_entries(
    columns: &[IndexColumn],
    a: (&[Datum], ItemPointer),
    b: (&[Datum], ItemPointer),
) -> Ordering {
    compare_keys(columns, a.0, b.0).then_with(|| tid_order(a.1, b.1))
}

/// Heap TIDs order by block, then line pointer.
pub fn tid_order(a: ItemPointer, b: ItemPointer) -> Ordering {
    (a.block.0, a.offset.0).cmp(&(b.block.0, b.offset.0))
}

/// Where a search starts (`BTScanInsertData`); see the module header.
#[derive(Clone, Debug)]
pub struct SearchKey {
    /// Key values for the first `values.len()` columns.
    pub values: Vec<Datum>,
    /// Heap TID tiebreaker, only with values for every column.
    pub heap_tid: Option<ItemPointer>,
    /// Missing attributes are plus infinity instead of minus infinity.
    pub next_key: bool,
}

impl SearchKey {
    /// The key of an insertion: every value and the heap TID.
    pub fn insertion(values: &[Datum], tid: ItemPointer) -> SearchKey {
        SearchKey {
            values: values.to_vec(),
            heap_tid: Some(tid),
            next_key: false,
        }
    }

    /// Minus infinity on every column: the start of the index.
    pub fn first() -> SearchKey {
        SearchKey {
            values: Vec::new(),
            heap_tid: None,
            next_key: false,
        }
    }
}

/// Compares `key` with the tuple `tuple` (`_bt_compare`): `Less` if the key sorts before it.
///
/// Errors: `XX002` if the tuple does not decode.
pub fn compare_search_key(
    columns: &[IndexColumn],
    key: &SearchKey,
    tuple: TupleRef<'_>,
) -> Result<Ordering> {
    if tuple.is_minus_infinity() {
        return Ok(Ordering::Greater);
    }
    let values = decode_key(columns, tuple)?;
    Ok(compare_search_key_decoded(
        columns,
        key,
        &values,
        tuple.heap_tid(),
    ))
}

/// [`compare_search_key`] against already decoded values and heap TID.
pub fn compare_search_key_decoded(
    columns: &[IndexColumn],
    key: &SearchKey,
    values: &[Datum],
    tid: Option<ItemPointer>,
) -> Ordering {
    let c = compare_keys(columns, &key.values, values);
    if c != Ordering::Equal {
        return c;
    }
    let infinity = if key.next_key {
        Ordering::Greater
    } else {
        Ordering::Less
    };
    if key.values.len() < columns.len() {
        return infinity;
    }
    match (key.heap_tid, tid) {
        (Some(a), Some(b)) => tid_order(a, b),
        _ => infinity,
    }
}
