//! A table's TOAST relation (`pg_toast.pg_toast_<table oid>`): a heap of rows
//! `(chunk_id oid, chunk_seq int4, chunk_data bytea)` with a B-tree index on
//! `(chunk_id, chunk_seq)`, as PostgreSQL's `toast_internals.c` keeps them.
//!
//! Rules:
//! 1. A value's chunks are inserted by the transaction that formed the row pointing at
//!    them, each chunk row WAL-logged with its index entry like any heap/index insert, so
//!    crash recovery replays them; their value id is a fresh OID, never reused while a
//!    row points at it.
//! 2. Chunks are read by the index on `chunk_id` in `chunk_seq` order. Every chunk row is
//!    read unless its xmin is known invalid (PostgreSQL's `SnapshotToast`): chunks are
//!    never updated and a value id has one writer, so the pointer that leads here says
//!    which chunks belong to the value; rows that check keys of versions of any
//!    visibility (unique and foreign key checks) can read values of aborted versions
//!    too. A line pointer reused after VACUUM may hold another value's chunk, so
//!    `chunk_id` is checked on every row fetched.
//! 3. Deleting a row (DELETE, or UPDATE's old version) deletes its chunks in the same
//!    transaction (`toast_delete`): xmax is set, so a rollback keeps them and VACUUM
//!    reclaims them once the deleter committed.
//!
//! Entry point: [`ToastRelation`].

use tusk_storage::Checkpointer;
use tusk_types::{type_oid, Datum, Error, ItemPointer, Oid, Result, Xid};

use crate::heapam::HeapRelation;
use crate::nbtree::scan::{ScanDirection, ScanKey, ScanStrategy};
use crate::nbtree::{BTreeIndex, IndexColumn, IndexDesc};
use crate::row::{deform_tuple, form_tuple, AttributeDesc};
use crate::toast::{assemble_chunks, ToastFetch, ToastPointer, TOAST_MAX_CHUNK_SIZE};
use crate::tuple::{
    HeapTupleHeader, HEAP_XMAX_INVALID, HEAP_XMAX_LOCK_ONLY, HEAP_XMIN_COMMITTED, HEAP_XMIN_INVALID,
};

/// The columns of a TOAST relation: `chunk_id oid, chunk_seq int4, chunk_data bytea`.
pub const TOAST_ATTRIBUTES: [AttributeDesc; 3] = [
    AttributeDesc {
        type_oid: type_oid::OID,
    },
    AttributeDesc {
        type_oid: type_oid::INT4,
    },
    AttributeDesc {
        type_oid: type_oid::BYTEA,
    },
];

/// Answers whether a transaction aborted (the commit log, which this crate cannot read).
pub type XidAborted = Box<dyn Fn(Xid) -> Result<bool> + Send + Sync>;

/// One table's TOAST relation: its heap and its `(chunk_id, chunk_seq)` index.
pub struct ToastRelation {
    oid: Oid,
    name: String,
    heap: HeapRelation,
    index: BTreeIndex,
    aborted: XidAborted,
}

impl std::fmt::Debug for ToastRelation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToastRelation")
            .field("oid", &self.oid)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl ToastRelation {
    /// The TOAST relation `oid` named `name` (`pg_toast_<table oid>`, for messages) over
    /// `heap` and `index` (see [`ToastRelation::index_desc`]); `aborted` reads the commit
    /// log for rule 2.
    pub fn new(
        oid: Oid,
        name: String,
        heap: HeapRelation,
        index: BTreeIndex,
        aborted: XidAborted,
    ) -> ToastRelation {
        ToastRelation {
            oid,
            name,
            heap,
            index,
            aborted,
        }
    }

    /// What the index on `(chunk_id, chunk_seq)` of TOAST relation `toast_name` is.
    pub fn index_desc(toast_name: &str) -> IndexDesc {
        IndexDesc {
            name: format!("{toast_name}_index"),
            table_name: toast_name.to_string(),
            columns: vec![
                IndexColumn::new("chunk_id", type_oid::OID),
                IndexColumn::new("chunk_seq", type_oid::INT4),
            ],
            fillfactor: crate::nbtree::BTREE_DEFAULT_FILLFACTOR,
        }
    }

    /// The relation's OID (a pointer's `toast_relid`).
    pub fn oid(&self) -> Oid {
        self.oid
    }

    /// Its heap (for VACUUM).
    pub fn heap(&self) -> &HeapRelation {
        &self.heap
    }

    /// Its index on `(chunk_id, chunk_seq)` (for VACUUM).
    pub fn index(&self) -> &BTreeIndex {
        &self.index
    }

    /// Stores `stored` as the chunks of value `value_id`, inserted by `xid`/`cid` (rule 1).
    ///
    /// Errors: the heap's and index's write errors (I/O).
    pub fn insert_value(
        &self,
        wal: &Checkpointer,
        value_id: Oid,
        stored: &[u8],
        xid: Xid,
        cid: u32,
    ) -> Result<()> {
        for (seq, chunk) in stored.chunks(TOAST_MAX_CHUNK_SIZE).enumerate() {
            let key = [Datum::Oid(value_id.0), Datum::Int4(seq as i32)];
            let row = [key[0].clone(), key[1].clone(), Datum::Bytea(chunk.to_vec())];
            let tuple = form_tuple(&TOAST_ATTRIBUTES, &row)?;
            let tid = self.heap.insert(wal, &tuple, xid, cid)?;
            self.index.insert(wal, &key, tid)?;
        }
        Ok(())
    }

    /// TIDs the index has for value `value_id`, in `chunk_seq` order.
    fn chunk_tids(&self, value_id: Oid) -> Result<Vec<ItemPointer>> {
        let key = ScanKey {
            column: 0,
            strategy: ScanStrategy::Equal,
            value: Datum::Oid(value_id.0),
        };
        self.index
            .scan(&[key], ScanDirection::Forward)?
            .map(|entry| entry.map(|e| e.tid))
            .collect()
    }

    /// Rule 2's test: the row's xmin is known invalid.
    fn xmin_invalid(h: &HeapTupleHeader) -> bool {
        h.infomask & (HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID) == HEAP_XMIN_INVALID
            || h.xmin == Xid::INVALID
    }

    fn inserter_aborted(&self, h: &HeapTupleHeader) -> Result<bool> {
        if h.infomask & HEAP_XMIN_COMMITTED != 0 {
            return Ok(false);
        }
        Ok(Self::xmin_invalid(h) || (self.aborted)(h.xmin)?)
    }

    /// Deletes the chunks of `pointer`'s value for `xid`/`cid` (rule 3); chunks already
    /// deleted by a transaction that did not abort are left alone.
    ///
    /// Errors: I/O errors; XX000 for a pointer into another relation.
    pub fn delete_value(
        &self,
        wal: &Checkpointer,
        pointer: &ToastPointer,
        xid: Xid,
        cid: u32,
    ) -> Result<()> {
        self.check_relation(pointer)?;
        for tid in self.chunk_tids(pointer.value_id)? {
            let Some(tuple) = self.heap.fetch(tid)? else {
                continue;
            };
            let row = deform_tuple(&TOAST_ATTRIBUTES, &tuple.as_ref())?;
            if row[0] != Datum::Oid(pointer.value_id.0) {
                continue;
            }
            let mut failure = None;
            self.heap.delete_checked(wal, tid, xid, cid, &mut |h| {
                let deletable = || -> Result<bool> {
                    if self.inserter_aborted(h)? {
                        return Ok(false);
                    }
                    Ok(h.xmax == Xid::INVALID
                        || h.infomask & (HEAP_XMAX_INVALID | HEAP_XMAX_LOCK_ONLY) != 0
                        || (h.xmax != xid && (self.aborted)(h.xmax)?))
                };
                Ok(deletable().unwrap_or_else(|e| {
                    failure = Some(e);
                    false
                }))
            })?;
            if let Some(e) = failure {
                return Err(e);
            }
        }
        Ok(())
    }

    fn check_relation(&self, pointer: &ToastPointer) -> Result<()> {
        if pointer.toast_relid != self.oid {
            return Err(Error::internal(format!(
                "toast value {} belongs to TOAST relation {}, not {}",
                pointer.value_id.0, pointer.toast_relid.0, self.name
            )));
        }
        Ok(())
    }
}

impl ToastFetch for ToastRelation {
    fn fetch(&self, pointer: &ToastPointer) -> Result<Vec<u8>> {
        self.check_relation(pointer)?;
        let mut chunks = Vec::new();
        for tid in self.chunk_tids(pointer.value_id)? {
            let Some(tuple) = self.heap.fetch(tid)? else {
                continue;
            };
            if Self::xmin_invalid(&tuple.header()) {
                continue;
            }
            let mut row = deform_tuple(&TOAST_ATTRIBUTES, &tuple.as_ref())?.into_iter();
            if let (Some(Datum::Oid(id)), Some(Datum::Int4(seq)), Some(Datum::Bytea(data))) =
                (row.next(), row.next(), row.next())
            {
                if id == pointer.value_id.0 {
                    chunks.push((seq, data));
                }
            }
        }
        assemble_chunks(pointer, &self.name, chunks)
    }
}
