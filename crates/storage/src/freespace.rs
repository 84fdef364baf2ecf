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

/// One relation's page categories with a max-tree over them, so finding the lowest page
/// with room costs O(log n) steps instead of a pass over every page (PostgreSQL's FSM
/// pages are such trees too). A bulk load that fills page after page asks for room each
/// time a page fills; a linear search made that quadratic in the relation's size.
#[derive(Debug, Default)]
struct PageCategories {
    /// Blocks recorded (leaves in use); leaves past it are 0.
    len: usize,
    /// Leaves: a power of two at least `len` (0 while empty).
    cap: usize,
    /// `tree[1]` is the root, node `i` has children `2i` and `2i + 1`, the leaves are
    /// `tree[cap..2 * cap]`; each inner node holds the largest category below it.
    tree: Vec<u8>,
}

impl PageCategories {
    fn get(&self, at: usize) -> Option<u8> {
        (at < self.len).then(|| self.tree[self.cap + at])
    }

    fn set(&mut self, at: usize, category: u8) {
        if at >= self.cap {
            self.grow(at + 1);
        }
        self.len = self.len.max(at + 1);
        let mut i = self.cap + at;
        self.tree[i] = category;
        while i > 1 {
            i /= 2;
            let max = self.tree[2 * i].max(self.tree[2 * i + 1]);
            if self.tree[i] == max {
                break; // the ancestors already agree
            }
            self.tree[i] = max;
        }
    }

    /// Room for at least `min_len` leaves (doubling, so growth is amortised O(1)).
    fn grow(&mut self, min_len: usize) {
        let cap = min_len.next_power_of_two().max(self.cap * 2).max(1);
        let mut tree = vec![0u8; 2 * cap];
        tree[cap..cap + self.len].copy_from_slice(&self.tree[self.cap..self.cap + self.len]);
        for i in (1..cap).rev() {
            tree[i] = tree[2 * i].max(tree[2 * i + 1]);
        }
        self.cap = cap;
        self.tree = tree;
    }

    /// The lowest block `>= from` whose category is at least `want` (`want >= 1`).
    fn first_at_least(&self, want: u8, from: usize) -> Option<usize> {
        if self.cap == 0 {
            return None;
        }
        self.descend(1, 0, self.cap, want, from)
    }

    fn descend(&self, node: usize, lo: usize, hi: usize, want: u8, from: usize) -> Option<usize> {
        if hi <= from || self.tree[node] < want {
            return None;
        }
        if hi - lo == 1 {
            return Some(lo);
        }
        let mid = (lo + hi) / 2;
        self.descend(2 * node, lo, mid, want, from)
            .or_else(|| self.descend(2 * node + 1, mid, hi, want, from))
    }

    /// Forgets blocks `>= from`.
    fn truncate(&mut self, from: usize) {
        for at in from..self.len {
            self.set(at, 0);
        }
        self.len = self.len.min(from);
    }
}

/// The shared free space map of every relation's main fork (see the module header).
#[derive(Debug, Default)]
pub struct FreeSpaceMap {
    relations: Mutex<HashMap<RelFileLocator, PageCategories>>,
}

fn category(free: usize) -> u8 {
    (free / CATEGORY_STEP).min(u8::MAX as usize) as u8
}

impl FreeSpaceMap {
    /// Records that block `block` of `rel` has `free` bytes free (`RecordPageWithFreeSpace`).
    pub fn record(&self, rel: RelFileLocator, block: BlockNumber, free: usize) {
        let mut rels = self.relations.lock();
        rels.entry(rel)
            .or_default()
            .set(block.0 as usize, category(free));
    }

    /// A block of `rel` recorded with at least `needed` bytes free, other than `exclude`
    /// (`GetPageWithFreeSpace`): the lowest such block, so rows fill the front of the
    /// table first and trailing pages can empty. O(log n) in the relation's pages.
    pub fn search(
        &self,
        rel: RelFileLocator,
        needed: usize,
        exclude: Option<BlockNumber>,
    ) -> Option<BlockNumber> {
        // Round up: a page in the category may have up to one step less than its bound.
        let want = needed.div_ceil(CATEGORY_STEP).clamp(1, u8::MAX as usize) as u8;
        let rels = self.relations.lock();
        let pages = rels.get(&rel)?;
        let found = match pages.first_at_least(want, 0) {
            Some(b) if Some(BlockNumber(b as u32)) == exclude => pages.first_at_least(want, b + 1),
            found => found,
        };
        found.map(|b| BlockNumber(b as u32))
    }

    /// The recorded free bytes of a block (a lower bound of the category), if any.
    pub fn recorded(&self, rel: RelFileLocator, block: BlockNumber) -> Option<usize> {
        let rels = self.relations.lock();
        rels.get(&rel)
            .and_then(|p| p.get(block.0 as usize))
            .map(|c| c as usize * CATEGORY_STEP)
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
    fn search_agrees_with_a_linear_scan_of_the_recorded_pages() {
        // A deterministic pseudo-random mix of records, truncations and searches against
        // a plain vector of categories.
        let fsm = FreeSpaceMap::default();
        let mut model: Vec<u8> = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..20_000 {
            match next(10) {
                0 => {
                    let from = next(300) as usize;
                    fsm.truncate(rel(1), BlockNumber(from as u32));
                    model.truncate(from);
                }
                1..=5 => {
                    let (block, free) = (next(300) as usize, next(8192) as usize);
                    fsm.record(rel(1), BlockNumber(block as u32), free);
                    if model.len() <= block {
                        model.resize(block + 1, 0);
                    }
                    model[block] = category(free);
                }
                _ => {
                    let needed = next(8192) as usize;
                    let exclude = (next(2) == 0).then(|| BlockNumber(next(300) as u32));
                    let want = needed.div_ceil(CATEGORY_STEP).clamp(1, 255) as u8;
                    let expected = model
                        .iter()
                        .enumerate()
                        .find(|&(b, &c)| c >= want && Some(BlockNumber(b as u32)) != exclude)
                        .map(|(b, _)| BlockNumber(b as u32));
                    assert_eq!(fsm.search(rel(1), needed, exclude), expected);
                }
            }
        }
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
