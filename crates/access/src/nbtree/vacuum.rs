//! Bulk deletion of index entries (`btbulkdelete`, without page deletion).
//!
//! Leaves are visited left to right along the right-links; on each, under the exclusive
//! lock, the entries whose heap TID the callback names are removed and the page is logged
//! rebuilt (`VACUUM` record). Pages are never unlinked, so an emptied leaf stays in the
//! tree with its high key (PostgreSQL deletes such pages later; tusk does not yet). Pivots
//! copied from removed entries stay valid bounds.
//!
//! Scans copy a page's matching TIDs and then release the page (btree rule 3); a TID
//! removed here and reused by the heap afterwards can therefore reach an MVCC scan, whose
//! snapshot cannot see the new row — the same argument PostgreSQL makes for dropping pins
//! in MVCC scans. Non-MVCC scans must not overlap a vacuum.
//!
//! Entry points: [`BTreeIndex::bulk_delete`], [`BulkDeleteStats`].

use tusk_storage::Checkpointer;
use tusk_types::{ItemPointer, OffsetNumber, Result};

use super::page::{first_data_offset, opaque, tuple_at};
use super::wal::{BtOp, XLOG_BTREE_VACUUM};
use super::{BTreeIndex, Pending};

/// Counts from [`BTreeIndex::bulk_delete`] (`IndexBulkDeleteResult`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct BulkDeleteStats {
    /// Leaf pages visited.
    pub pages: u64,
    /// Entries removed.
    pub tuples_removed: u64,
    /// Entries left.
    pub num_index_tuples: u64,
}

impl BTreeIndex {
    /// Removes every entry for which `dead(heap_tid)` is true (`btbulkdelete`).
    ///
    /// Errors: I/O errors; `XX002` for a damaged index. Pages already cleaned stay so.
    pub fn bulk_delete(
        &self,
        wal: &Checkpointer,
        mut dead: impl FnMut(ItemPointer) -> bool,
    ) -> Result<BulkDeleteStats> {
        let mut stats = BulkDeleteStats::default();
        let meta = self.meta()?;
        if meta.root.is_none() {
            return Ok(stats);
        }
        let mut next = Some(self.leftmost_at_level(0)?);
        while let Some(block) = next {
            let pin = self.read(block)?;
            let mut guard = pin.lock_exclusive();
            let o = opaque(&guard)?;
            stats.pages += 1;
            let first = first_data_offset(&o);
            let mut keep = Vec::new();
            if !o.is_rightmost() {
                keep.push(guard.item(OffsetNumber(1)).expect("high key").to_vec());
            }
            let mut removed = 0;
            for off in first.0..=guard.max_offset() {
                let t = tuple_at(&guard, OffsetNumber(off))?;
                if dead(t.heap_tid().expect("a leaf tuple has a heap TID")) {
                    removed += 1;
                } else {
                    keep.push(t.bytes().to_vec());
                    stats.num_index_tuples += 1;
                }
            }
            if removed > 0 {
                stats.tuples_removed += removed;
                let pending = [Pending::new(&guard, block, vec![BtOp::Rebuild(o, keep)])];
                let lsn = self.log(wal, XLOG_BTREE_VACUUM, &pending);
                pending[0].install(&mut guard, lsn);
            }
            next = o.next;
        }
        Ok(stats)
    }
}
