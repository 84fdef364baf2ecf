//! Structural checks of a B-tree, in the spirit of `amcheck`'s `bt_index_parent_check`.
//!
//! Checked, with the index quiescent (callers hold a lock that excludes writers):
//! 1. the metapage names a root whose level matches, flagged `BTP_ROOT`, alone on its level;
//! 2. each level is a doubly linked chain: right-links and left-links agree, levels and the
//!    leaf flag match, no page appears twice;
//! 3. within a page, keys (with heap TIDs) strictly increase and stay below the high key;
//!    the first item of an internal page is minus infinity and only it;
//! 4. the downlinks of a level, in order, are exactly the pages of the level below in
//!    right-link order; each child's high key equals the next pivot of its parent (or the
//!    parent's high key for the last child), and its first key is at or above the pivot
//!    leading to it.
//!
//! Violations are `XX002` `index_corrupted` errors naming the index and block.
//!
//! Entry points: [`BTreeIndex::verify`], [`VerifyReport`].

use std::cmp::Ordering;

use tusk_types::{pg_err, BlockNumber, Datum, Error, ItemPointer, OffsetNumber, Result};

use super::key::{compare_entries, IndexColumn};
use super::page::{first_data_offset, high_key, opaque, tuple_at, BtOpaque, BTP_ROOT};
use super::tuple::decode_key;
use super::BTreeIndex;

/// What a successful verification found.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct VerifyReport {
    /// Pages on each level, leaves first (empty for an index without a root).
    pub pages_per_level: Vec<usize>,
    /// Entries on leaf pages.
    pub leaf_entries: u64,
}

/// A decoded key with its TID; empty with `None` for minus infinity.
type Entry = (Vec<Datum>, Option<ItemPointer>);

struct PageInfo {
    block: BlockNumber,
    high_key: Option<Entry>,
    /// Data items with their downlinks (internal pages).
    items: Vec<(Entry, Option<BlockNumber>)>,
}

fn cmp_entry(columns: &[IndexColumn], a: &Entry, b: &Entry) -> Ordering {
    match (a.1, b.1) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => compare_entries(columns, (&a.0, x), (&b.0, y)),
    }
}

impl BTreeIndex {
    fn corrupt(&self, block: BlockNumber, what: impl std::fmt::Display) -> Error {
        pg_err!(
            INDEX_CORRUPTED,
            "index \"{}\" block {}: {}",
            self.desc.name,
            block.0,
            what
        )
    }

    fn read_level_page(&self, block: BlockNumber, level: u32) -> Result<(BtOpaque, PageInfo)> {
        let columns = &self.desc.columns;
        let pin = self.read(block)?;
        let page = pin.lock_shared();
        let o = opaque(&page)?;
        if o.level != level || o.is_leaf() != (level == 0) {
            return Err(self.corrupt(
                block,
                format!(
                    "page level {} (leaf {}) on level {level}",
                    o.level,
                    o.is_leaf()
                ),
            ));
        }
        let decode = |off: OffsetNumber| -> Result<(Entry, Option<BlockNumber>)> {
            let t = tuple_at(&page, off)?;
            Ok(((decode_key(columns, t)?, t.heap_tid()), t.downlink()))
        };
        let high_key = match high_key(&page)? {
            Some(h) => Some((decode_key(columns, h)?, h.heap_tid())),
            None => None,
        };
        let first = first_data_offset(&o);
        let mut items = Vec::new();
        for off in first.0..=page.max_offset() {
            let (entry, downlink) = decode(OffsetNumber(off))?;
            let minus_infinity = entry.1.is_none();
            if level > 0 && minus_infinity != (off == first.0) {
                return Err(self.corrupt(block, format!("item {off}: minus infinity misplaced")));
            }
            if (level > 0) != downlink.is_some() {
                return Err(self.corrupt(block, format!("item {off}: downlink on wrong level")));
            }
            if let Some((prev, _)) = items.last() {
                if cmp_entry(columns, prev, &entry) != Ordering::Less {
                    return Err(self.corrupt(block, format!("item {off} out of order")));
                }
            }
            if let Some(h) = &high_key {
                if h.1.is_none() || cmp_entry(columns, &entry, h) != Ordering::Less {
                    return Err(self.corrupt(block, format!("item {off} not below the high key")));
                }
            }
            items.push((entry, downlink));
        }
        Ok((
            o,
            PageInfo {
                block,
                high_key,
                items,
            },
        ))
    }

    /// Checks the whole tree (see the module header) and counts pages and entries.
    ///
    /// Errors: `XX002` naming the first violation found; I/O errors.
    pub fn verify(&self) -> Result<VerifyReport> {
        let columns = &self.desc.columns;
        let meta = self.meta()?;
        let Some(root) = meta.root else {
            return Ok(VerifyReport::default());
        };
        let nblocks = self.nblocks()?.0 as usize;
        let mut seen = vec![false; nblocks];
        let mut levels: Vec<Vec<PageInfo>> = Vec::new();
        let mut start = root;
        for level in (0..=meta.level).rev() {
            let mut pages = Vec::new();
            let mut prev = None;
            let mut block = Some(start);
            while let Some(b) = block {
                if b.0 as usize >= nblocks || std::mem::replace(&mut seen[b.0 as usize], true) {
                    return Err(self.corrupt(b, "page reached twice or past the end"));
                }
                let (o, info) = self.read_level_page(b, level)?;
                if o.prev != prev {
                    return Err(self.corrupt(b, "left-link does not match the right-link chain"));
                }
                if level == meta.level && (o.flags & BTP_ROOT == 0 || b != root) {
                    return Err(self.corrupt(b, "page on the root level is not the root"));
                }
                prev = Some(b);
                block = o.next;
                pages.push(info);
            }
            if level > 0 {
                start = pages[0]
                    .items
                    .first()
                    .and_then(|(_, d)| *d)
                    .ok_or_else(|| self.corrupt(pages[0].block, "internal page without items"))?;
            }
            levels.push(pages);
        }
        // Parent/child consistency, top down.
        for pair in levels.windows(2) {
            let (parents, children) = (&pair[0], &pair[1]);
            let mut child_iter = children.iter();
            for parent in parents {
                for (i, (pivot, downlink)) in parent.items.iter().enumerate() {
                    let child_block = downlink.expect("checked: internal items have downlinks");
                    let child = child_iter.next().ok_or_else(|| {
                        self.corrupt(parent.block, "more downlinks than pages on the level below")
                    })?;
                    if child.block != child_block {
                        return Err(self.corrupt(
                            parent.block,
                            format!(
                                "downlink {} to block {} but the level below has block {} there",
                                i + 1,
                                child_block.0,
                                child.block.0
                            ),
                        ));
                    }
                    let upper = parent
                        .items
                        .get(i + 1)
                        .map(|(e, _)| e)
                        .or(parent.high_key.as_ref());
                    let matches = match (upper, &child.high_key) {
                        (None, None) => true,
                        (Some(u), Some(h)) => cmp_entry(columns, u, h) == Ordering::Equal,
                        _ => false,
                    };
                    if !matches {
                        return Err(self.corrupt(
                            child.block,
                            "high key differs from the parent's next pivot",
                        ));
                    }
                    if pivot.1.is_some() {
                        if let Some((first, _)) = child.items.iter().find(|(e, _)| e.1.is_some()) {
                            if cmp_entry(columns, first, pivot) == Ordering::Less {
                                return Err(self.corrupt(
                                    child.block,
                                    "first key is below the parent's pivot",
                                ));
                            }
                        }
                    }
                }
            }
            if let Some(extra) = child_iter.next() {
                return Err(self.corrupt(extra.block, "page without a downlink"));
            }
        }
        let leaf_entries = levels
            .last()
            .map_or(0, |l| l.iter().map(|p| p.items.len() as u64).sum());
        let mut pages_per_level: Vec<usize> = levels.iter().map(Vec::len).collect();
        pages_per_level.reverse();
        Ok(VerifyReport {
            pages_per_level,
            leaf_entries,
        })
    }
}
