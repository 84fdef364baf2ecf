//! TOAST in the engine: opening a table's TOAST relation for the relation cache, and the
//! writer's side of `heap_toast_insert_or_update` / `toast_delete` (see
//! `tusk_access::toast` for the format and `tusk_access::toast_relation` for its rules).
//!
//! Rules:
//! 1. A table with a varlena column has a TOAST relation from CREATE TABLE (or the first
//!    ALTER TABLE ADD COLUMN of one): `pg_toast.pg_toast_<table oid>` with the index
//!    `pg_toast_<table oid>_index`, named by the table's `reltoastrelid`
//!    (`session/toast_ddl.rs`). Its heap is the `HeapRelation::toast` of the table's
//!    cached heap, so every reader of the table's rows can fetch out-of-line values.
//! 2. Forming a row for a table with a TOAST relation may store values out of line, each
//!    under a fresh OID, in the writing transaction ([`ToastInserter`]).
//! 3. Deleting or updating a row deletes the chunks of the old version's out-of-line
//!    values in the same transaction ([`delete_toast_values`]); an UPDATE that keeps a
//!    toasted column re-toasts it under a new value id (the old row's values are read
//!    back in full), so nothing is shared between versions and nothing is lost.
//!
//! Entry points: [`open_toast_relation`], [`ToastInserter`], [`delete_toast_values`].

use std::sync::Arc;

use tusk_access::nbtree::BTreeIndex;
use tusk_access::row::external_pointers;
use tusk_access::{HeapRelation, HeapTupleRef, ToastRelation, ToastStore, HEAP_DEFAULT_FILLFACTOR};
use tusk_catalog::syscat;
use tusk_storage::BufferPool;
use tusk_txn::{Clog, XidStatus};
use tusk_types::{Datum, Error, ItemPointer, Oid, RelFileLocator, Result};

use crate::heap::HeapWriter;
use crate::relcache::CatalogReader;
use crate::transaction::DEFAULT_TABLESPACE;

/// The TOAST relation `toast_oid` (a `reltoastrelid`) with its heap and index, read from
/// `pg_class` and `pg_index` through `reader`; `None` if its rows are not visible.
///
/// Errors: catalog read errors; 0A000 from the index's column types (never for the
/// fixed `(oid, int4)` key).
pub fn open_toast_relation(
    reader: &CatalogReader<'_>,
    toast_oid: Oid,
) -> Result<Option<Arc<ToastRelation>>> {
    let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
    let classes = reader.rows(class)?;
    let relfilenode = |row: &[Datum]| match row[class.col("relfilenode")] {
        Datum::Oid(o) => Oid(o),
        _ => Oid(0),
    };
    let Some(toast_row) = classes.first_matching(class.col("oid"), toast_oid) else {
        return Ok(None);
    };
    let name = match &toast_row[class.col("relname")] {
        Datum::Text(t) => t.clone(),
        _ => format!("pg_toast_{}", toast_oid.0),
    };
    let indexes = reader.rows(index)?;
    let Some(Datum::Oid(index_oid)) = indexes
        .first_matching(index.col("indrelid"), toast_oid)
        .map(|r| r[index.col("indexrelid")].clone())
    else {
        return Ok(None);
    };
    let Some(index_row) = classes.first_matching(class.col("oid"), Oid(index_oid)) else {
        return Ok(None);
    };
    let locator = |rel_number: Oid| RelFileLocator {
        spc_oid: DEFAULT_TABLESPACE,
        db_oid: reader.db,
        rel_number,
    };
    toast_relation_at(
        reader.pool,
        reader.clog,
        toast_oid,
        name,
        locator(relfilenode(toast_row)),
        locator(relfilenode(index_row)),
    )
    .map(Some)
}

/// TOAST relation `toast_oid` named `name` over the heap file `heap` and index file
/// `index` (a rewrite's new files, or those `pg_class` names).
///
/// Errors: none in practice (the index's fixed key types are orderable).
pub fn toast_relation_at(
    pool: &Arc<BufferPool>,
    clog: &Arc<Clog>,
    toast_oid: Oid,
    name: String,
    heap: RelFileLocator,
    index: RelFileLocator,
) -> Result<Arc<ToastRelation>> {
    let heap = HeapRelation::new(pool.clone(), heap, HEAP_DEFAULT_FILLFACTOR);
    let index = BTreeIndex::new(pool.clone(), index, ToastRelation::index_desc(&name))?;
    let clog = clog.clone();
    let aborted = Box::new(move |xid| Ok(clog.status(xid)? == XidStatus::Aborted));
    Ok(Arc::new(ToastRelation::new(
        toast_oid, name, heap, index, aborted,
    )))
}

/// Stores out-of-line values for one writer (rule 2): chunks inserted with the writer's
/// xid and command id, value ids from the OID counter.
pub struct ToastInserter<'a> {
    /// The writing transaction.
    pub writer: &'a HeapWriter<'a>,
    /// The table's TOAST relation.
    pub toast: &'a ToastRelation,
}

impl ToastStore for ToastInserter<'_> {
    fn store(&mut self, stored: &[u8]) -> Result<(Oid, Oid)> {
        let w = self.writer;
        let value_id = w.services.oids.next_oid(w.checkpointer.wal());
        self.toast
            .insert_value(w.checkpointer, value_id, stored, w.xid, w.cid)?;
        Ok((value_id, self.toast.oid()))
    }
}

/// Deletes the chunks of the out-of-line values of the row version at `tid` of
/// `relation` (rule 3), whose attributes are `attrs`; nothing for a heap without a TOAST
/// relation or a version without out-of-line values.
///
/// Errors: I/O errors; XX001 for a damaged tuple.
pub fn delete_toast_values(
    writer: &HeapWriter<'_>,
    relation: &HeapRelation,
    attrs: &[tusk_access::AttributeDesc],
    tid: ItemPointer,
) -> Result<()> {
    let Some(toast) = relation.toast() else {
        return Ok(());
    };
    let Some(tuple) = relation.fetch(tid)? else {
        return Err(Error::internal(format!(
            "row version {tid:?} vanished before its TOAST values were deleted"
        )));
    };
    delete_values_of(writer, toast, attrs, &tuple.as_ref())
}

/// Deletes the chunks of `tuple`'s out-of-line values (rule 3).
///
/// Errors: as [`delete_toast_values`].
pub fn delete_values_of(
    writer: &HeapWriter<'_>,
    toast: &ToastRelation,
    attrs: &[tusk_access::AttributeDesc],
    tuple: &HeapTupleRef<'_>,
) -> Result<()> {
    for pointer in external_pointers(attrs, tuple)? {
        toast.delete_value(writer.checkpointer, &pointer, writer.xid, writer.cid)?;
    }
    Ok(())
}
