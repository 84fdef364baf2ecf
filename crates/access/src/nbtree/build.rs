//! Bulk build for CREATE INDEX over existing rows (PostgreSQL's `nbtsort.c`).
//!
//! The entries are sorted by `(key, heap TID)` in memory (PostgreSQL spills to disk through
//! tuplesort; tusk does not yet), then pages are filled bottom-up: leaves left to right to
//! `fillfactor` percent, each level above from the first keys of the level below
//! ([`BTREE_NONLEAF_FILLFACTOR`] full), until one page remains, the root. Every page is
//! written through shared buffers and WAL-logged whole (a full-page image record, as
//! PostgreSQL's `log_newpage`), then the metapage.
//!
//! Entry points: [`BTreeIndex::build`], [`BuildOutcome`].

use tusk_storage::page::{maxalign, LINE_POINTER_SIZE};
use tusk_storage::{Checkpointer, Page};
use tusk_types::{BlockNumber, Datum, Error, ForkNumber, ItemPointer, Result};
use tusk_wal::{BlockRef, RecordBuilder, RmgrId};

use super::key::compare_entries;
use super::page::{BtMeta, BtOpaque, BTP_LEAF, BTP_ROOT, BTREE_METAPAGE};
use super::split::USABLE_SPACE;
use super::tuple::{minus_infinity, to_pivot, TupleRef};
use super::wal::{apply_ops, BtOp};
use super::{BTreeIndex, BTREE_NONLEAF_FILLFACTOR};

/// What [`BTreeIndex::build`] did.
#[derive(Clone, PartialEq, Debug)]
pub enum BuildOutcome {
    /// The index holds the entries.
    Built {
        /// Entries indexed.
        entries: u64,
    },
    /// A unique build found two entries with this (non-null) key; nothing was written.
    /// The caller reports [`super::build_duplicate_error`].
    Duplicate {
        /// The duplicated key.
        key: Vec<Datum>,
    },
}

/// One page being assembled: its data items (no high key yet).
struct Node {
    items: Vec<Vec<u8>>,
}

/// Cuts `items` into pages filled to `fillfactor`, leaving room for a high key as big as
/// the largest pivot.
fn pack(items: Vec<Vec<u8>>, fillfactor: u8) -> Vec<Node> {
    let limit = USABLE_SPACE * fillfactor as usize / 100;
    let mut nodes = vec![Node { items: Vec::new() }];
    // Bytes the last node's items take (kept as it grows: summing them per item made
    // packing quadratic in the items per page).
    let mut used = 0;
    for item in items {
        let node = nodes.last_mut().expect("at least one node");
        let size = maxalign(item.len()) + LINE_POINTER_SIZE;
        let hikey_room = maxalign(item.len() + 6) + LINE_POINTER_SIZE;
        let fits_goal = used + size <= limit;
        let fits_page = used + size + hikey_room <= USABLE_SPACE;
        if node.items.len() >= 2 && !(fits_goal && fits_page) {
            nodes.push(Node { items: vec![item] });
            used = size;
        } else {
            node.items.push(item);
            used += size;
        }
    }
    nodes
}

impl BTreeIndex {
    /// Builds the index from `entries` (`btbuild`): the main fork must be empty. With
    /// `unique`, two entries with equal keys and no NULL stop the build (the caller passes
    /// only rows that are live, as PostgreSQL's unique spool does).
    ///
    /// Errors: `54000` for an entry too large; `XX000` for values of the wrong type or a
    /// non-empty fork; I/O errors.
    pub fn build(
        &self,
        wal: &Checkpointer,
        entries: Vec<(Vec<Datum>, ItemPointer)>,
        unique: bool,
    ) -> Result<BuildOutcome> {
        if self.nblocks()?.0 != 0 {
            return Err(Error::internal(format!(
                "index \"{}\" already contains data",
                self.desc.name
            )));
        }
        let columns = &self.desc.columns;
        let mut entries = entries;
        entries.sort_by(|a, b| compare_entries(columns, (&a.0, a.1), (&b.0, b.1)));
        if unique {
            for pair in entries.windows(2) {
                let (a, b) = (&pair[0].0, &pair[1].0);
                if !a.iter().any(Datum::is_null)
                    && super::key::compare_keys(columns, a, b) == std::cmp::Ordering::Equal
                {
                    return Ok(BuildOutcome::Duplicate { key: a.clone() });
                }
            }
        }
        let count = entries.len() as u64;
        let mut items = Vec::with_capacity(entries.len());
        for (values, tid) in &entries {
            items.push(self.leaf_tuple(values, *tid)?);
        }
        drop(entries);
        self.build_empty(wal)?;
        if items.is_empty() {
            return Ok(BuildOutcome::Built { entries: 0 });
        }
        let mut level = 0u32;
        let mut nodes = pack(items, self.desc.fillfactor);
        loop {
            let first_block = self.nblocks()?.0;
            let n = nodes.len() as u32;
            let blocks: Vec<BlockNumber> = (0..n).map(|i| BlockNumber(first_block + i)).collect();
            // The first key of each page (before any minus-infinity truncation).
            let firsts: Vec<Vec<u8>> = nodes.iter().map(|node| node.items[0].clone()).collect();
            let root = n == 1;
            for (i, node) in nodes.iter().enumerate() {
                let opaque = BtOpaque {
                    prev: (i > 0).then(|| blocks[i - 1]),
                    next: blocks.get(i + 1).copied(),
                    level,
                    flags: if level == 0 { BTP_LEAF } else { 0 } | if root { BTP_ROOT } else { 0 },
                    cycle_id: 0,
                };
                let mut page_items = Vec::with_capacity(node.items.len() + 1);
                if let Some(next_first) = firsts.get(i + 1) {
                    page_items.push(to_pivot(TupleRef::new(next_first)?, None));
                }
                for (j, item) in node.items.iter().enumerate() {
                    if level > 0 && j == 0 {
                        page_items.push(minus_infinity(
                            TupleRef::new(item)?
                                .downlink()
                                .expect("internal build items have downlinks"),
                        ));
                    } else {
                        page_items.push(item.clone());
                    }
                }
                self.write_new_page(wal, blocks[i], |page| {
                    apply_ops(page, &[BtOp::Rebuild(opaque, page_items)]);
                })?;
            }
            if root {
                let root_block = blocks[0];
                let pin = self.read(BTREE_METAPAGE)?;
                let mut guard = pin.lock_exclusive();
                let pending = [super::Pending::new(
                    &guard,
                    BTREE_METAPAGE,
                    vec![BtOp::Meta(BtMeta {
                        root: Some(root_block),
                        level,
                        fast_root: Some(root_block),
                        fast_level: level,
                    })],
                )];
                let lsn = self.log(wal, super::wal::XLOG_BTREE_NEWROOT, &pending);
                pending[0].install(&mut guard, lsn);
                return Ok(BuildOutcome::Built { entries: count });
            }
            let mut uppers = Vec::with_capacity(firsts.len());
            for (first, block) in firsts.iter().zip(&blocks) {
                let t = TupleRef::new(first)?;
                uppers.push(if t.is_minus_infinity() || t.heap_tid().is_none() {
                    minus_infinity(*block)
                } else {
                    to_pivot(t, Some(*block))
                });
            }
            nodes = pack(uppers, BTREE_NONLEAF_FILLFACTOR);
            level += 1;
        }
    }

    /// Extends the relation by `block`, fills the page with `fill`, and logs it whole
    /// (`log_newpage`).
    fn write_new_page(
        &self,
        wal: &Checkpointer,
        block: BlockNumber,
        fill: impl FnOnce(&mut Page),
    ) -> Result<()> {
        let pin = self.new_page()?;
        if pin.block() != block {
            return Err(Error::internal(format!(
                "index \"{}\" grew concurrently during its build",
                self.desc.name
            )));
        }
        let mut guard = pin.lock_exclusive();
        fill(&mut guard);
        let image = Box::new(*guard.as_bytes());
        let lsn = wal.insert_with_redo(|_| {
            let mut b = BlockRef::new(self.locator, ForkNumber::Main, block);
            b.image = Some(image);
            RecordBuilder::new(RmgrId::XLOG, tusk_wal::xlog_info::FPI).with_block(b)
        });
        guard.mark_dirty(lsn);
        Ok(())
    }
}
