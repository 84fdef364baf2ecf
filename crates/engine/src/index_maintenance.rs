//! Index maintenance for heap writes (PostgreSQL's `ExecInsertIndexTuples` and
//! `_bt_check_unique`): after a row version is inserted into the heap, an entry goes into
//! every index of the table; unique indexes first check the entries with an equal key.
//!
//! Rules:
//! 1. An equal key is a conflict when its row version is live under a "dirty" reading
//!    (`SnapshotDirty`): inserted by a committed transaction or this one, and not deleted
//!    by a committed transaction or this one. Versions of aborted inserters and versions
//!    deleted by committed transactions (or by this one, as an UPDATE's old version) are
//!    not conflicts; the whole HOT chain from the entry's TID is examined.
//!    A live version whose key differs (a line pointer reused after VACUUM) is no conflict.
//! 2. An equal key whose inserter or deleter is still running makes the writer wait for
//!    that transaction (nothing is inserted meanwhile), then check again: the other's
//!    commit or abort decides.
//! 3. An UPDATE is HOT (no new index entries) only when no indexed column changed (a
//!    column an index expression or predicate reads included) and the new version
//!    landed on the old version's page.
//! 4. A version inserted and deleted by the same transaction is dead to everyone at once
//!    (PostgreSQL's "super-deleted" speculative tuple): a speculative insertion that lost
//!    the race for a key deletes its own version, and nobody waits for its transaction.
//! 5. A partial index gets entries only for rows its predicate accepts, so its unique
//!    checks compare those rows only (`index_expressions.rs`).
//!
//! Entry points: [`OpenIndex`], [`insert_index_entries`],
//! [`insert_index_entries_speculative`], [`hot_allowed`].

use tusk_access::nbtree::key::compare_keys;
use tusk_access::nbtree::{unique_violation_error, BTreeIndex, UniqueCheck, UniqueInsert};
use tusk_access::tuple::{
    HeapTupleHeader, HEAP_XMAX_COMMITTED, HEAP_XMAX_INVALID, HEAP_XMAX_LOCK_ONLY,
    HEAP_XMIN_COMMITTED, HEAP_XMIN_INVALID,
};
use tusk_access::HeapRelation;
use tusk_executor::OutputSettings;
use tusk_txn::XidStatus;
use tusk_types::{Datum, ItemPointer, Oid, Result, Xid};

use crate::heap::HeapWriter;
use crate::index_expressions::{index_key, row_is_indexed, IndexExpressions};

/// One index of a table, opened for inserting entries.
#[derive(Debug)]
pub struct OpenIndex {
    /// The index's `pg_class.oid`.
    pub oid: Oid,
    /// Key columns as table attribute numbers (1-based; 0 for an expression column).
    pub attnums: Vec<i16>,
    /// The expressions of its expression columns and its predicate, if any.
    pub expressions: Option<std::sync::Arc<IndexExpressions>>,
    /// `indisunique`.
    pub unique: bool,
    /// Key column types (for the text of a violation's DETAIL).
    pub types: Vec<Oid>,
    /// The B-tree (shared with the statement's index scans).
    pub index: std::sync::Arc<BTreeIndex>,
}

impl OpenIndex {
    /// The index key of a table row (expressions evaluated).
    ///
    /// Errors: those of evaluating an index expression.
    pub fn key(&self, row: &[Datum]) -> Result<Vec<Datum>> {
        index_key(&self.attnums, self.expressions.as_deref(), row)
    }

    /// Whether a table row has an entry in this index (rule 5).
    ///
    /// Errors: those of evaluating the predicate.
    pub fn covers(&self, row: &[Datum]) -> Result<bool> {
        row_is_indexed(self.expressions.as_deref(), row)
    }

    /// Whether the index has a predicate (a partial index).
    pub fn is_partial(&self) -> bool {
        self.expressions
            .as_ref()
            .is_some_and(|x| x.predicate().is_some())
    }
}

/// Whether an UPDATE from `old` to `new` may be HOT as far as `indexes` go (rule 3): no
/// indexed column changed, nor one an index expression or predicate reads.
pub fn hot_allowed(indexes: &[OpenIndex], old: &[Datum], new: &[Datum]) -> bool {
    indexes.iter().all(|ix| {
        key_unchanged(ix.attnums.iter().filter(|&&a| a != 0), old, new)
            && ix
                .expressions
                .as_ref()
                .is_none_or(|x| key_unchanged(x.columns().iter(), old, new))
    })
}

/// Whether the columns `attnums` (1-based) hold equal values in `old` and `new`.
fn key_unchanged<'a>(
    mut attnums: impl Iterator<Item = &'a i16>,
    old: &[Datum],
    new: &[Datum],
) -> bool {
    attnums.all(|&a| {
        let i = a as usize - 1;
        old.get(i) == new.get(i)
    })
}

/// What a dirty reading makes of a row version (rules 1, 2 and 4).
pub(crate) enum Liveness {
    /// Live: a conflict.
    Live,
    /// Dead: no conflict.
    Dead,
    /// Written by a transaction still running: wait for it, then look again.
    Wait(Xid),
}

/// Whether a row version with header `h` is live under a dirty reading by `writer`'s
/// transaction (rules 1, 2 and 4).
///
/// Errors: commit log read errors.
pub(crate) fn dirty_liveness(writer: &HeapWriter<'_>, h: &HeapTupleHeader) -> Result<Liveness> {
    let services = writer.services;
    let own = |x: Xid| writer.own_xids.contains(&x);
    // The inserter.
    if h.infomask & HEAP_XMIN_INVALID != 0 && h.infomask & HEAP_XMIN_COMMITTED == 0 {
        return Ok(Liveness::Dead);
    }
    if inserted_and_deleted_by_one_transaction(h) {
        return Ok(Liveness::Dead);
    }
    if h.infomask & HEAP_XMIN_COMMITTED == 0 && h.xmin.is_normal() && !own(h.xmin) {
        if services.procarray.is_running(h.xmin) {
            return Ok(Liveness::Wait(h.xmin));
        }
        if services.clog.status(h.xmin)? != XidStatus::Committed {
            return Ok(Liveness::Dead);
        }
    }
    // The deleter.
    let xmax = h.xmax;
    if xmax == Xid::INVALID
        || h.infomask & HEAP_XMAX_INVALID != 0
        || h.infomask & HEAP_XMAX_LOCK_ONLY != 0
    {
        return Ok(Liveness::Live);
    }
    if own(xmax) || h.infomask & HEAP_XMAX_COMMITTED != 0 {
        return Ok(Liveness::Dead);
    }
    if services.procarray.is_running(xmax) {
        return Ok(Liveness::Wait(xmax));
    }
    Ok(match services.clog.status(xmax)? {
        XidStatus::Committed => Liveness::Dead,
        _ => Liveness::Live,
    })
}

/// Rule 4: a version deleted by the very transaction that inserted it is dead whatever
/// that transaction's fate (commit deletes it, abort never inserted it).
pub(crate) fn inserted_and_deleted_by_one_transaction(h: &HeapTupleHeader) -> bool {
    h.xmin.is_normal()
        && h.xmax == h.xmin
        && h.infomask & HEAP_XMAX_INVALID == 0
        && h.infomask & HEAP_XMAX_LOCK_ONLY == 0
}

/// Inserts the entries of the row version `row` at `tid` of `heap` into `indexes`,
/// checking unique indexes (rules 1 and 2).
///
/// Errors: 23505 `duplicate key value violates unique constraint "name"` with DETAIL
/// `Key (a)=(1) already exists.`; 40P01 and 57014 while waiting; 54000 for an entry too
/// large; I/O errors.
#[allow(clippy::too_many_arguments)]
pub fn insert_index_entries(
    writer: &HeapWriter<'_>,
    heap: &HeapRelation,
    attrs: &[tusk_access::row::AttributeDesc],
    indexes: &[OpenIndex],
    row: &[Datum],
    tid: ItemPointer,
    output: &OutputSettings,
    pids: &dyn Fn(tusk_txn::BackendId) -> i32,
) -> Result<()> {
    let entries = IndexEntries {
        writer,
        heap,
        attrs,
        indexes,
        output,
        pids,
    };
    entries.insert(row, tid, &|_| false).map(|_| ())
}

/// What [`insert_index_entries`] and [`insert_index_entries_speculative`] work on.
pub struct IndexEntries<'a> {
    /// The writing transaction.
    pub writer: &'a HeapWriter<'a>,
    /// The table.
    pub heap: &'a HeapRelation,
    /// Its attributes.
    pub attrs: &'a [tusk_access::row::AttributeDesc],
    /// Its indexes.
    pub indexes: &'a [OpenIndex],
    /// How key values print in a violation's DETAIL.
    pub output: &'a OutputSettings,
    /// Backend pids, for deadlock reports.
    pub pids: &'a dyn Fn(tusk_txn::BackendId) -> i32,
}

/// As [`insert_index_entries`] for a speculative insertion (INSERT ... ON CONFLICT): a
/// live equal key in one of the indexes `arbiter` accepts (by position in `indexes`)
/// stops the insertion of entries and returns that position instead of failing with
/// 23505; the caller then deletes its row version (rule 4 makes it dead to everyone at
/// once) and starts over.
///
/// Errors: as [`insert_index_entries`] for the other indexes.
pub fn insert_index_entries_speculative(
    entries: &IndexEntries<'_>,
    row: &[Datum],
    tid: ItemPointer,
    arbiter: &dyn Fn(usize) -> bool,
) -> Result<Option<usize>> {
    entries.insert(row, tid, arbiter)
}

impl IndexEntries<'_> {
    fn insert(
        &self,
        row: &[Datum],
        tid: ItemPointer,
        arbiter: &dyn Fn(usize) -> bool,
    ) -> Result<Option<usize>> {
        let IndexEntries {
            writer,
            heap,
            attrs,
            indexes,
            output,
            pids,
        } = *self;
        for (position, ix) in indexes.iter().enumerate() {
            if !ix.covers(row)? {
                continue;
            }
            let key = ix.key(row)?;
            if !ix.unique {
                ix.index.insert(writer.checkpointer, &key, tid)?;
                continue;
            }
            loop {
                let mut failure = None;
                let outcome =
                    ix.index
                        .insert_unique(writer.checkpointer, &key, tid, |existing| {
                            let mut wait = None;
                            let mut error = None;
                            let found = heap.fetch_hot_chain(existing, |_, t| {
                                match dirty_liveness(writer, t.header()) {
                                    // A line pointer reused after VACUUM may hold another key.
                                    Ok(Liveness::Live) => match heap
                                        .deform(attrs, t)
                                        .and_then(|values| ix.key(&values))
                                    {
                                        Ok(existing) => {
                                            compare_keys(&ix.index.desc().columns, &existing, &key)
                                                == std::cmp::Ordering::Equal
                                        }
                                        Err(e) => {
                                            error.get_or_insert(e);
                                            true
                                        }
                                    },
                                    Ok(Liveness::Dead) => false,
                                    Ok(Liveness::Wait(x)) => {
                                        wait.get_or_insert(x);
                                        false
                                    }
                                    Err(e) => {
                                        error.get_or_insert(e);
                                        true
                                    }
                                }
                            });
                            if let Some(e) = error {
                                failure = Some(e);
                                return UniqueCheck::Conflict;
                            }
                            match found {
                                Err(e) => {
                                    failure = Some(e);
                                    UniqueCheck::Conflict
                                }
                                Ok(Some(_)) => UniqueCheck::Conflict,
                                Ok(None) => match wait {
                                    Some(x) => UniqueCheck::WaitFor(x),
                                    None => UniqueCheck::Ignore,
                                },
                            }
                        })?;
                if let Some(e) = failure {
                    return Err(e);
                }
                match outcome {
                    UniqueInsert::Inserted => break,
                    UniqueInsert::WaitFor(xid) => writer.wait_for_xid(xid, pids)?,
                    UniqueInsert::Duplicate { .. } if arbiter(position) => {
                        return Ok(Some(position));
                    }
                    UniqueInsert::Duplicate { .. } => {
                        let desc = ix.index.desc();
                        let cols: Vec<&str> =
                            desc.columns.iter().map(|c| c.name.as_str()).collect();
                        let mut texts = Vec::with_capacity(key.len());
                        for (v, t) in key.iter().zip(&ix.types) {
                            texts.push(if v.is_null() {
                                None
                            } else {
                                Some(tusk_executor::io::text_out_string(v, *t, output)?)
                            });
                        }
                        let texts: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
                        return Err(unique_violation_error(&desc.name, &cols, &texts));
                    }
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_are_hot_only_when_indexed_columns_keep_their_values() {
        let old = [Datum::Int4(1), Datum::Text("a".into()), Datum::Null];
        let other_column = [Datum::Int4(1), Datum::Text("b".into()), Datum::Null];
        assert!(key_unchanged([1].iter(), &old, &other_column));
        assert!(key_unchanged([1, 3].iter(), &old, &other_column));
        assert!(!key_unchanged([2].iter(), &old, &other_column));
        let null_to_value = [Datum::Int4(1), Datum::Text("a".into()), Datum::Int4(5)];
        assert!(!key_unchanged([3].iter(), &old, &null_to_value));
    }
}
