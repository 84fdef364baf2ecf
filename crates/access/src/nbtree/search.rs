//! Descending the tree (PostgreSQL's `_bt_search`, `_bt_moveright`, `_bt_binsrch`).
//!
//! A descent holds one content lock at a time (shared), as Lehman and Yao allow: read the
//! metapage for the root, then on each page first move right while the search key is at
//! or beyond the high key (the page split after its parent was read), then binary-search
//! the downlink to follow and remember it on the stack (for inserting a downlink after a
//! split). The leaf is returned pinned but unlocked: callers lock it in the mode they need
//! and move right again, since it may have split in between.
//!
//! Entry points: `BTreeIndex::descend`, `BTreeIndex::move_right_target`,
//! `BTreeIndex::binsearch`.

use std::cmp::Ordering;

use tusk_storage::{Checkpointer, Page, PinnedBuffer};
use tusk_types::{pg_err, BlockNumber, OffsetNumber, Result};

use super::key::{compare_search_key, SearchKey};
use super::page::{
    first_data_offset, high_key, opaque, tuple_at, BTP_DELETED, BTP_HALF_DEAD, BTP_ROOT,
};
use super::BTreeIndex;

/// Where a descent passed through an internal page (`BTStackData`).
#[derive(Clone, Copy, Debug)]
pub struct StackEntry {
    /// The internal page.
    pub block: BlockNumber,
    /// The offset of the downlink followed.
    pub offset: OffsetNumber,
}

impl BTreeIndex {
    /// The right sibling to move to if `key` is at or beyond `page`'s high key
    /// (`_bt_moveright`), `None` to stay.
    ///
    /// Errors: `XX002` for a damaged page.
    pub(crate) fn move_right_target(
        &self,
        page: &Page,
        key: &SearchKey,
    ) -> Result<Option<BlockNumber>> {
        let Some(hikey) = high_key(page)? else {
            return Ok(None);
        };
        if compare_search_key(&self.desc.columns, key, hikey)? == Ordering::Less {
            return Ok(None);
        }
        Ok(opaque(page)?.next)
    }

    /// The first data offset whose item sorts after `key` (`_bt_binsrch`); one past the last
    /// item if none does. On an internal page the downlink to follow is the item just
    /// before it.
    ///
    /// Errors: `XX002` for a damaged page.
    pub(crate) fn binsearch(&self, page: &Page, key: &SearchKey) -> Result<OffsetNumber> {
        let o = opaque(page)?;
        let mut lo = first_data_offset(&o).0;
        let mut hi = page.max_offset() + 1;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let item = tuple_at(page, OffsetNumber(mid))?;
            if compare_search_key(&self.desc.columns, key, item)? == Ordering::Less {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Ok(OffsetNumber(lo))
    }

    /// Descends from the root to the leaf whose key range holds `key`, returning it pinned
    /// (not locked) with the stack of internal pages passed. `None` for an empty index,
    /// unless `create_root` is given: then the first root leaf is created (WAL-logged).
    ///
    /// Errors: I/O reading pages; `XX002` for damaged pages.
    pub(crate) fn descend(
        &self,
        key: &SearchKey,
        create_root: Option<&Checkpointer>,
    ) -> Result<Option<(PinnedBuffer, Vec<StackEntry>)>> {
        let mut pin = match self.cached_root_page()? {
            Some(pin) => pin,
            None => {
                let (root, level) = loop {
                    let meta = self.meta()?;
                    match meta.root {
                        Some(root) => break (root, meta.level),
                        None => match create_root {
                            Some(wal) => self.create_root_leaf(wal)?,
                            None => return Ok(None),
                        },
                    }
                };
                self.cached_root.store(
                    (u64::from(root.0) << 32) | u64::from(level),
                    std::sync::atomic::Ordering::Relaxed,
                );
                self.read(root)?
            }
        };
        let mut stack = Vec::new();
        loop {
            let next = {
                let page = pin.lock_shared();
                if let Some(right) = self.move_right_target(&page, key)? {
                    right
                } else {
                    let o = opaque(&page)?;
                    if o.is_leaf() {
                        break;
                    }
                    let at = self.binsearch(&page, key)?;
                    let offset = OffsetNumber(at.0 - 1);
                    if offset < first_data_offset(&o) {
                        return Err(pg_err!(
                            INDEX_CORRUPTED,
                            "internal page {} of index \"{}\" has no downlink for the key",
                            pin.block().0,
                            self.desc.name
                        ));
                    }
                    let child = tuple_at(&page, offset)?.downlink().ok_or_else(|| {
                        pg_err!(
                            INDEX_CORRUPTED,
                            "item {} of internal page {} of index \"{}\" has no downlink",
                            offset.0,
                            pin.block().0,
                            self.desc.name
                        )
                    })?;
                    stack.push(StackEntry {
                        block: pin.block(),
                        offset,
                    });
                    child
                }
            };
            pin = self.read(next)?;
        }
        Ok(Some((pin, stack)))
    }

    /// The cached root's page, pinned, if it still is the root at the cached level: not
    /// deleted, flagged `BTP_ROOT`, the only page of its level (`_bt_getroot`'s check of
    /// its cached metapage). A root split clears the old root's flag and gives it a right
    /// sibling, so a stale entry fails the check and the metapage is read again.
    ///
    /// Errors: I/O reading the page.
    fn cached_root_page(&self) -> Result<Option<PinnedBuffer>> {
        let packed = self.cached_root.load(std::sync::atomic::Ordering::Relaxed);
        if packed == super::NO_CACHED_ROOT {
            return Ok(None);
        }
        let (block, level) = (BlockNumber((packed >> 32) as u32), packed as u32);
        if block >= self.nblocks()? {
            return Ok(None);
        }
        let pin = self.read(block)?;
        let still_root = {
            let page = pin.lock_shared();
            !page.is_new()
                && opaque(&page).is_ok_and(|o| {
                    o.level == level
                        && o.flags & BTP_ROOT != 0
                        && o.flags & (BTP_DELETED | BTP_HALF_DEAD) == 0
                        && o.is_leftmost()
                        && o.is_rightmost()
                })
        };
        Ok(still_root.then_some(pin))
    }

    /// The leftmost page of `level` (`_bt_get_endpoint`), found by following first
    /// downlinks from the root.
    ///
    /// Errors: `XX002` if the tree has no such level.
    pub(crate) fn leftmost_at_level(&self, level: u32) -> Result<BlockNumber> {
        let meta = self.meta()?;
        let mut block = meta.root.filter(|_| meta.level >= level).ok_or_else(|| {
            pg_err!(
                INDEX_CORRUPTED,
                "index \"{}\" has no level {}",
                self.desc.name,
                level
            )
        })?;
        loop {
            let pin = self.read(block)?;
            let page = pin.lock_shared();
            let o = opaque(&page)?;
            if o.level == level {
                return Ok(block);
            }
            if o.is_leaf() || o.level < level {
                return Err(pg_err!(
                    INDEX_CORRUPTED,
                    "index \"{}\" has no level {}",
                    self.desc.name,
                    level
                ));
            }
            block = tuple_at(&page, first_data_offset(&o))?
                .downlink()
                .ok_or_else(|| {
                    pg_err!(
                        INDEX_CORRUPTED,
                        "first item of internal page {} has no downlink",
                        block.0
                    )
                })?;
        }
    }
}
