//! The free space map (PostgreSQL's `storage/freespace`): for each heap page, roughly how
//! many bytes are free, so inserts can reuse space VACUUM reclaimed instead of extending
//! the relation.
//!
//! Rules:
//! 1. **Advisory only.** A page's entry is a category (free bytes / 32, as PostgreSQL's
//!    `FSM_CAT_STEP`), never trusted: the inserter re-checks the page under its exclusive
//!    lock and, if it is short, records the real amount and asks again. Two inserters sent
//!    to one page therefore cannot both overfill it.
//! 2. **Kept in memory, not in an `_fsm` fork.** The map is lost at restart and rebuilt by
//!    the next VACUUM of each table. PostgreSQL's FSM is not WAL-logged or crash-critical
//!    either (a stale or empty map only costs space), so losing it changes nothing but
//!    where rows go until then. It lives in the [`crate::BufferPool`], shared by all
//!    backends, and forgets a relation when its buffers are dropped (drop, truncation).
//! 3. **Recorded by VACUUM**, for every page it scanned, after its second pass (the
//!    heap access method's `record_free_space`); inserts update entries they found wrong.
//!
//! Entry points: [`FreeSpaceMap::record`], [`FreeSpaceMap::search`].

use std::collections::HashMap;

use parking_lot::Mutex;
use tusk_types::{BlockNumber, RelFileLocator};

/// Bytes per category step (`FSM_CAT_STEP` for 8 KB pages).
const CATEGORY_STEP: usize = 32;

/// The shared free space map of every relation's main fork (see the module header).
#[derive(Debug, Default)]
pub struct FreeSpaceMap {
    relations: Mutex<HashMap<RelFileLocator, Vec<u8>>>,
}

fn category(free: usize) -> u8 {
    (free / CATEGORY_STEP).min(u8::MAX as usize) as u8
}

impl FreeSpaceMap {
    /// Records that block `block` of `rel` has `free` bytes free (`RecordPageWithFreeSpace`).
    pub fn record(&self, rel: RelFileLocator, block: BlockNumber, free: usize) {
        let mut rels = self.relations.lock();
        let pages = rels.entry(rel).or_default();
        let at = block.0 as usize;
        if pages.len() <= at {
            pages.resize(at + 1, 0);
        }
        pages[at] = category(free);
    }

    /// A block of `rel` recorded with at least `needed` bytes free, other than `exclude`
    /// (`GetPageWithFreeSpace`): the lowest such block, so rows fill the front of the
    /// table first and trailing pages can empty.
    pub fn search(
        &self,
        rel: RelFileLocator,
        needed: usize,
        exclude: Option<BlockNumber>,
    ) -> Option<BlockNumber> {
        // Round up: a page in the category may have up to one step less than its bound.
        let want = needed.div_ceil(CATEGORY_STEP).min(u8::MAX as usize) as u8;
        let rels = self.relations.lock();
        let pages = rels.get(&rel)?;
        pages
            .iter()
            .enumerate()
            .find(|&(b, &c)| c >= want && c > 0 && Some(BlockNumber(b as u32)) != exclude)
            .map(|(b, _)| BlockNumber(b as u32))
    }

    /// The recorded free bytes of a block (a lower bound of the category), if any.
    pub fn recorded(&self, rel: RelFileLocator, block: BlockNumber) -> Option<usize> {
        let rels = self.relations.lock();
        rels.get(&rel)
            .and_then(|p| p.get(block.0 as usize))
            .map(|&c| c as usize * CATEGORY_STEP)
    }

    /// Forgets blocks `>= from` of `rel` (`FreeSpaceMapPrepareTruncateRel`).
    pub fn truncate(&self, rel: RelFileLocator, from: BlockNumber) {
        if let Some(pages) = self.relations.lock().get_mut(&rel) {
            pages.truncate(from.0 as usize);
        }
    }

    /// Forgets the relations `matches` selects (dropped relations or databases).
    pub fn forget_matching(&self, matches: impl Fn(&RelFileLocator) -> bool) {
        self.relations.lock().retain(|rel, _| !matches(rel));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::Oid;

    fn rel(n: u32) -> RelFileLocator {
        RelFileLocator {
            spc_oid: Oid(1663),
            db_oid: Oid(5),
            rel_number: Oid(n),
        }
    }

    #[test]
    fn search_finds_the_lowest_block_with_enough_room_and_skips_the_excluded_one() {
        let fsm = FreeSpaceMap::default();
        fsm.record(rel(1), BlockNumber(0), 100);
        fsm.record(rel(1), BlockNumber(2), 4000);
        fsm.record(rel(1), BlockNumber(3), 8000);
        assert_eq!(fsm.search(rel(1), 50, None), Some(BlockNumber(0)));
        assert_eq!(fsm.search(rel(1), 200, None), Some(BlockNumber(2)));
        assert_eq!(
            fsm.search(rel(1), 200, Some(BlockNumber(2))),
            Some(BlockNumber(3))
        );
        assert_eq!(fsm.search(rel(1), 8100, None), None);
        assert_eq!(fsm.search(rel(2), 1, None), None);
    }

    #[test]
    fn a_category_never_promises_more_than_was_recorded() {
        let fsm = FreeSpaceMap::default();
        fsm.record(rel(1), BlockNumber(0), 63);
        // 63 bytes is category 1 (32..64): a 40-byte request must not be sent there.
        assert_eq!(fsm.search(rel(1), 40, None), None);
        assert_eq!(fsm.search(rel(1), 32, None), Some(BlockNumber(0)));
        fsm.record(rel(1), BlockNumber(0), 0);
        assert_eq!(fsm.search(rel(1), 1, None), None);
    }

    #[test]
    fn truncation_and_forgetting_remove_entries() {
        let fsm = FreeSpaceMap::default();
        fsm.record(rel(1), BlockNumber(0), 1000);
        fsm.record(rel(1), BlockNumber(5), 1000);
        fsm.truncate(rel(1), BlockNumber(1));
        assert_eq!(fsm.recorded(rel(1), BlockNumber(5)), None);
        assert_eq!(fsm.search(rel(1), 500, None), Some(BlockNumber(0)));
        fsm.forget_matching(|r| r.rel_number == Oid(1));
        assert_eq!(fsm.search(rel(1), 500, None), None);
    }
}
