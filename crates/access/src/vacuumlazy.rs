//! Lazy VACUUM of one heap and its indexes (PostgreSQL's `vacuumlazy.c`: `lazy_scan_heap`,
//! `lazy_vacuum`, `lazy_vacuum_heap_rel`).
//!
//! ```text
//!  pass 1 (each page)        index pass (each index)        pass 2 (pages with dead items)
//!  prune ──► LP_DEAD TIDs ──► bulk_delete(tid ∈ dead) ──────► LP_DEAD ──► LP_UNUSED
//!            collected        entries pointing at them go     free space recorded
//! ```
//!
//! Rules:
//! 1. **Index entries go before their line pointers.** A dead line pointer becomes unused
//!    (and reusable by inserts) only after every index of the table has dropped the entries
//!    naming it; otherwise an index entry could lead to an unrelated new row.
//! 2. **Pass 1 prunes under a cleanup lock** when it can get one at once (heap rule 6).
//!    A page pinned by someone else is not waited for: its existing `LP_DEAD` items are
//!    still collected under a shared lock (PostgreSQL's `lazy_scan_noprune`), and its dead
//!    tuples are left for the next VACUUM.
//! 3. **Pass 2 needs only the exclusive lock**: `LP_DEAD` line pointers have no storage, so
//!    nothing moves. Only VACUUM turns `LP_DEAD` into `LP_UNUSED`, and VACUUMs of one table
//!    exclude each other (ShareUpdateExclusiveLock), so each collected item is still
//!    `LP_DEAD` when pass 2 reaches it.
//! 4. **Bounded memory**: the dead TIDs are kept up to `max_dead_items`
//!    (`maintenance_work_mem` / 6 bytes, as PostgreSQL sizes them); when the next page might
//!    not fit, an index pass and a heap pass run and the scan continues.
//! 5. **A table without indexes** needs no index pass: pass 1 makes its dead items unused
//!    on the spot (PostgreSQL's one-pass strategy).
//! 6. **Free space** of every page is recorded in the free space map once the page is
//!    final: after pass 1 when it has no dead items left, else after pass 2.
//!
//! Not done here: truncating empty pages at the end of the heap (`lazy_truncate_heap`
//! needs an AccessExclusiveLock and every backend to forget cached target blocks past the
//! new end), freezing, and the visibility map.
//!
//! Entry points: [`HeapRelation::lazy_vacuum`], [`LazyVacuumOptions`], [`LazyVacuumStats`].

use tusk_storage::{Checkpointer, LpFlags, Page, PageWriteGuard};
use tusk_types::{BlockNumber, ItemPointer, OffsetNumber, Result, Xid};

use crate::heap_wal::{PageOp, XLOG_HEAP_PRUNE, XLOG_HEAP_VACUUM};
use crate::heapam::{BlockChange, HeapRelation, MAX_HEAP_TUPLES_PER_PAGE};
use crate::nbtree::BTreeIndex;
use crate::prune::{plan_prune, XmaxFate};
use crate::tuple::HeapTupleHeader;

/// Bytes one dead TID takes in PostgreSQL's dead-items array (`sizeof(ItemPointerData)`),
/// for sizing [`LazyVacuumOptions::max_dead_items`] from `maintenance_work_mem`.
pub const DEAD_ITEM_BYTES: usize = 6;

/// What a tuple left on a page after pruning is, for VACUUM's counts
/// (`HeapTupleSatisfiesVacuum` minus `DEAD`, which pruning removed).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TupleLiveness {
    /// Visible to everyone who sees committed data (also a running deleter's tuple).
    Live,
    /// Deleted by a committed transaction some snapshot may still not see.
    RecentlyDead,
    /// Inserted by a transaction still running (not counted).
    InsertInProgress,
    /// Dead, yet kept by pruning: an aborted insert whose `HEAP_XMIN_INVALID` hint is not
    /// set yet (pruning trusts only the hint). PostgreSQL removes these at once; here a
    /// later prune does, after a reader set the hint. Not counted, as PostgreSQL's counts
    /// would not include a removed tuple.
    Dead,
}

/// How to vacuum one heap (see [`HeapRelation::lazy_vacuum`]).
pub struct LazyVacuumOptions<'a> {
    /// Whether a deleter or updater committed before the removal horizon, may still, or
    /// aborted (pruning's test).
    pub xmax_fate: &'a dyn Fn(Xid) -> XmaxFate,
    /// The liveness of a tuple pruning kept.
    pub liveness: &'a dyn Fn(&HeapTupleHeader) -> Result<TupleLiveness>,
    /// Dead TIDs kept before an index and heap pass must run (rule 4); at least one
    /// page's worth is always allowed.
    pub max_dead_items: usize,
    /// Called before each page (query cancel, statement timeout).
    pub check_interrupts: &'a dyn Fn() -> Result<()>,
}

/// What [`HeapRelation::lazy_vacuum`] did (the counts `VACUUM VERBOSE` reports).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct LazyVacuumStats {
    /// Pages in the heap when the scan started.
    pub rel_pages: u32,
    /// Pages pass 1 pruned or could not prune (rule 2).
    pub pruned_pages: u32,
    /// Pages skipped for pruning because another backend held a pin.
    pub unpruned_pages: u32,
    /// Tuples removed by pruning.
    pub tuples_deleted: u64,
    /// Dead line pointers made unused.
    pub lpdead_items: u64,
    /// Tuples left that everyone can see.
    pub live_tuples: u64,
    /// Tuples left that are dead but not yet removable.
    pub recently_dead_tuples: u64,
    /// Index passes run (once per round of rule 4, 0 without indexes or dead items).
    pub index_scans: u32,
    /// Index entries removed, over all indexes.
    pub index_tuples_removed: u64,
}

impl HeapRelation {
    /// VACUUMs this heap and `indexes` (see the module header): prunes every page,
    /// removes the index entries of dead line pointers, then makes those line pointers
    /// unused and records each page's free space. The caller holds at least
    /// ShareUpdateExclusiveLock on the table (rule 3).
    ///
    /// Errors: I/O errors; `liveness`'s and `check_interrupts`' errors. Work already done
    /// stays done (every page change is WAL-logged on its own).
    pub fn lazy_vacuum(
        &self,
        wal: &Checkpointer,
        indexes: &[&BTreeIndex],
        options: &LazyVacuumOptions<'_>,
    ) -> Result<LazyVacuumStats> {
        let mut stats = LazyVacuumStats::default();
        let nblocks = self.nblocks()?;
        stats.rel_pages = nblocks.0;
        let limit = options
            .max_dead_items
            .max(MAX_HEAP_TUPLES_PER_PAGE as usize);
        let mut dead: Vec<ItemPointer> = Vec::new();
        for b in 0..nblocks.0 {
            (options.check_interrupts)()?;
            let block = BlockNumber(b);
            if !indexes.is_empty() && dead.len() + MAX_HEAP_TUPLES_PER_PAGE as usize > limit {
                self.vacuum_round(wal, indexes, &mut dead, &mut stats)?;
            }
            let pin = self.read(block)?;
            let cleanup = pin.try_lock_cleanup();
            if let Some(mut guard) = cleanup {
                if guard.is_new() {
                    self.record_free_space(block, &guard);
                    continue;
                }
                stats.pruned_pages += 1;
                if let Some((ops, result)) = plan_prune(&guard, block, options.xmax_fate) {
                    stats.tuples_deleted += (result.dead + result.unused) as u64;
                    self.log_changes(
                        wal,
                        Xid::INVALID,
                        XLOG_HEAP_PRUNE,
                        &mut [BlockChange {
                            guard: &mut guard,
                            ops,
                            will_init: false,
                        }],
                    );
                }
                let page_dead = count_items(&guard, options.liveness, &mut stats)?;
                if page_dead.is_empty() {
                    self.record_free_space(block, &guard);
                } else if indexes.is_empty() {
                    // Rule 5: nothing points at these line pointers.
                    stats.lpdead_items += page_dead.len() as u64;
                    self.vacuum_page(wal, &mut guard, &page_dead);
                    self.record_free_space(block, &guard);
                } else {
                    dead.extend(
                        page_dead
                            .into_iter()
                            .map(|offset| ItemPointer { block, offset }),
                    );
                }
            } else {
                // Rule 2: pinned elsewhere; collect what is already dead.
                let guard = pin.lock_shared();
                if guard.is_new() {
                    continue;
                }
                stats.unpruned_pages += 1;
                let page_dead = count_items(&guard, options.liveness, &mut stats)?;
                dead.extend(
                    page_dead
                        .into_iter()
                        .map(|offset| ItemPointer { block, offset }),
                );
            }
        }
        if !dead.is_empty() {
            self.vacuum_round(wal, indexes, &mut dead, &mut stats)?;
        }
        Ok(stats)
    }

    /// One index pass over `indexes` and the heap's second pass over `dead` (sorted, as
    /// pass 1 collects them); empties `dead`.
    fn vacuum_round(
        &self,
        wal: &Checkpointer,
        indexes: &[&BTreeIndex],
        dead: &mut Vec<ItemPointer>,
        stats: &mut LazyVacuumStats,
    ) -> Result<()> {
        debug_assert!(dead.windows(2).all(|w| w[0] < w[1]), "dead TIDs sorted");
        for index in indexes {
            let removed = index.bulk_delete(wal, |tid| dead.binary_search(&tid).is_ok())?;
            stats.index_tuples_removed += removed.tuples_removed;
        }
        if !indexes.is_empty() {
            stats.index_scans += 1;
        }
        // Rule 1 holds from here: no index entry names a collected TID.
        for page_items in dead.chunk_by(|a, b| a.block == b.block) {
            let block = page_items[0].block;
            let offsets: Vec<OffsetNumber> = page_items.iter().map(|t| t.offset).collect();
            let pin = self.read(block)?;
            let mut guard = pin.lock_exclusive();
            self.vacuum_page(wal, &mut guard, &offsets);
            self.record_free_space(block, &guard);
            stats.lpdead_items += offsets.len() as u64;
        }
        dead.clear();
        Ok(())
    }

    /// Makes the dead line pointers `offsets` of the locked page unused and logs a
    /// `VACUUM` record (`lazy_vacuum_heap_page`). The caller holds the exclusive lock.
    fn vacuum_page(
        &self,
        wal: &Checkpointer,
        guard: &mut PageWriteGuard<'_>,
        offsets: &[OffsetNumber],
    ) {
        let ops: Vec<PageOp> = offsets
            .iter()
            .map(|&off| {
                let lp = guard
                    .line_pointer(off)
                    .expect("collected line pointer exists");
                assert_eq!(
                    lp.flags,
                    LpFlags::Dead,
                    "vacuum rule 3: {off:?} is still LP_DEAD"
                );
                PageOp::Unused(off)
            })
            .collect();
        self.log_changes(
            wal,
            Xid::INVALID,
            XLOG_HEAP_VACUUM,
            &mut [BlockChange {
                guard,
                ops,
                will_init: false,
            }],
        );
    }
}

/// The `LP_DEAD` line pointers of `page`, counting its remaining tuples into `stats`.
fn count_items(
    page: &Page,
    liveness: &dyn Fn(&HeapTupleHeader) -> Result<TupleLiveness>,
    stats: &mut LazyVacuumStats,
) -> Result<Vec<OffsetNumber>> {
    let mut dead = Vec::new();
    for o in 1..=page.max_offset() {
        let off = OffsetNumber(o);
        let Some(lp) = page.line_pointer(off) else {
            continue;
        };
        match lp.flags {
            LpFlags::Dead => dead.push(off),
            LpFlags::Normal => {
                let header = page
                    .item(off)
                    .and_then(HeapTupleHeader::decode)
                    .ok_or_else(|| {
                        tusk_types::pg_err!(DATA_CORRUPTED, "invalid heap tuple at offset {}", o)
                    })?;
                match liveness(&header)? {
                    TupleLiveness::Live => stats.live_tuples += 1,
                    TupleLiveness::RecentlyDead => stats.recently_dead_tuples += 1,
                    TupleLiveness::InsertInProgress | TupleLiveness::Dead => {}
                }
            }
            LpFlags::Redirect | LpFlags::Unused => {}
        }
    }
    Ok(dead)
}
