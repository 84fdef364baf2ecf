//! The heap access method at page and tuple level: insert, fetch, delete, update (HOT when
//! the new version fits on the old page), and sequential scans (PostgreSQL's `heapam.c`,
//! `hio.c`; `src/backend/access/heap/README.HOT`).
//!
//! Every change follows buffer rule 3: under the page's exclusive content lock, compute the
//! page operations and check they apply (space, offsets), then, with nothing left that may
//! fail, apply them ([`apply_ops`]), insert the WAL record through
//! [`Checkpointer::insert_with_redo`] (full-page image on the first change after a
//! checkpoint, buffer rule 8) and `mark_dirty` with its end LSN. Pages of one change are
//! locked lower block first (buffer rule 6).
//!
//! Visibility is not decided here: callers (which own snapshots and the commit log) pass a
//! closure to scans and pruning, and check a row is theirs to change before `delete` /
//! `update`. The checks here are PostgreSQL's `simple_heap_*` ones: a row whose xmax is
//! already set by a deleter or updater cannot be changed again.
//!
//! Target pages: a per-relation "last page with space" cache, then a page the free space map
//! names (`tusk_storage::freespace`, filled by VACUUM), then the last block, then a new
//! block from `BufferPool::new_page`.
//! Inserts leave `(100 - fillfactor)%` of each page free for later HOT updates
//! (`RelationGetTargetPageFreeSpace`); HOT updates may use it.
//!
//! Entry points: [`HeapRelation`] and its methods, [`HeapScan`].

use std::sync::Arc;

use parking_lot::Mutex;
use tusk_storage::page::{maxalign, LINE_POINTER_SIZE, MAX_ITEM_SIZE, PAGE_HEADER_SIZE};
use tusk_storage::{
    needs_full_page_image, BufferPool, Checkpointer, LpFlags, Page, PageWriteGuard, PinnedBuffer,
    ReadBufferMode, PAGE_SIZE,
};
use tusk_types::{
    pg_err, BlockNumber, Error, ForkNumber, ItemPointer, OffsetNumber, RelFileLocator, Result, Xid,
};
use tusk_wal::{BlockRef, RecordBuilder, RmgrId};

use crate::heap_wal::{
    apply_ops, encode_ops, PageOp, XLOG_HEAP_DELETE, XLOG_HEAP_HOT_UPDATE, XLOG_HEAP_INIT_PAGE,
    XLOG_HEAP_INSERT, XLOG_HEAP_LOCK, XLOG_HEAP_PRUNE, XLOG_HEAP_UPDATE,
};
use crate::prune::{pending_prune_xid, plan_prune, PruneResult, XmaxFate};
use crate::tuple::{
    HeapTuple, HeapTupleHeader, HeapTupleRef, HEAP_HOT_UPDATED, HEAP_KEYS_UPDATED, HEAP_NATTS_MASK,
    HEAP_ONLY_TUPLE, HEAP_UPDATED, HEAP_XMAX_BITS, HEAP_XMAX_COMMITTED, HEAP_XMAX_INVALID,
    HEAP_XMAX_LOCK_ONLY, HEAP_XMIN_COMMITTED, HEAP_XMIN_FROZEN, HEAP_XMIN_INVALID,
};

/// `MaxHeapTupleSize`: the largest tuple that fits on an empty page, in bytes.
pub const MAX_HEAP_TUPLE_SIZE: usize = PAGE_SIZE - maxalign(PAGE_HEADER_SIZE + LINE_POINTER_SIZE);
/// `MaxHeapTuplesPerPage`: line pointers a heap page may have.
pub const MAX_HEAP_TUPLES_PER_PAGE: u16 = ((PAGE_SIZE - PAGE_HEADER_SIZE)
    / (maxalign(crate::tuple::HEAP_TUPLE_HEADER_SIZE) + LINE_POINTER_SIZE))
    as u16;
/// `HEAP_DEFAULT_FILLFACTOR`.
pub const HEAP_DEFAULT_FILLFACTOR: u8 = 100;
/// `HEAP_MIN_FILLFACTOR`.
pub const HEAP_MIN_FILLFACTOR: u8 = 10;

/// One heap relation's main fork, reached through the shared buffer pool.
pub struct HeapRelation {
    pool: Arc<BufferPool>,
    locator: RelFileLocator,
    fillfactor: u8,
    /// Last block an insert used (`rd_targblock`).
    target_block: Mutex<Option<BlockNumber>>,
    /// The table's TOAST relation (`reltoastrelid`), if it has one.
    toast: Option<Arc<crate::toast_relation::ToastRelation>>,
}

impl std::fmt::Debug for HeapRelation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeapRelation")
            .field("locator", &self.locator)
            .field("fillfactor", &self.fillfactor)
            .finish_non_exhaustive()
    }
}

/// A page change to log: its guard, operations, and whether redo initialises the page.
pub(crate) struct BlockChange<'g, 'b> {
    pub(crate) guard: &'g mut PageWriteGuard<'b>,
    pub(crate) ops: Vec<PageOp>,
    pub(crate) will_init: bool,
}

/// The line pointer a new tuple gets: the first unused one without storage, else the next.
pub(crate) fn next_offset(page: &Page) -> Option<OffsetNumber> {
    if page.is_new() {
        return Some(OffsetNumber(1));
    }
    let max = page.max_offset();
    if page.flags() & tusk_storage::page::PD_HAS_FREE_LINES != 0 {
        let free = (1..=max).map(OffsetNumber).find(|&o| {
            page.line_pointer(o)
                .is_some_and(|lp| !lp.is_used() && !lp.has_storage())
        });
        if free.is_some() {
            return free;
        }
    }
    (max < MAX_HEAP_TUPLES_PER_PAGE).then_some(OffsetNumber(max + 1))
}

/// Bytes a new tuple may use on `page` (`PageGetHeapFreeSpace`): the free space, less a
/// new line pointer unless an unused one can be reused, and 0 when no line pointer is left.
pub fn heap_free_space(page: &Page) -> usize {
    if page.is_new() {
        return MAX_HEAP_TUPLE_SIZE;
    }
    match next_offset(page) {
        None => 0,
        Some(off) if off.0 <= page.max_offset() => page.exact_free_space(),
        Some(_) => page.free_space(),
    }
}

/// True if a tuple of `len` bytes fits on `page` leaving `reserve` bytes free.
pub(crate) fn page_has_room(page: &Page, len: usize, reserve: usize) -> bool {
    page.is_new() || heap_free_space(page) >= maxalign(len) + reserve
}

/// The normal tuple at `off`, or an error naming the TID.
fn tuple_at(page: &Page, tid: ItemPointer) -> Result<HeapTupleHeader> {
    page.line_pointer(tid.offset)
        .filter(|lp| lp.flags == LpFlags::Normal)
        .and_then(|_| page.item(tid.offset))
        .and_then(HeapTupleHeader::decode)
        .ok_or_else(|| Error::internal(format!("no live heap tuple at {tid}")))
}

/// PostgreSQL's `simple_heap_delete`/`simple_heap_update` checks: the row must not already
/// have a deleter or updater.
///
/// Errors: `XX000` `tuple already updated by self`, `tuple concurrently updated`, or
/// `tuple concurrently deleted`.
fn check_xmax(header: &HeapTupleHeader, tid: ItemPointer, xid: Xid) -> Result<()> {
    if !header.xmax_is_update_or_delete() {
        return Ok(());
    }
    Err(Error::internal(if header.xmax == xid {
        "tuple already updated by self"
    } else if header.ctid != tid {
        "tuple concurrently updated"
    } else {
        "tuple concurrently deleted"
    }))
}

/// `PageSetPrunable`: remember the oldest xid that may make a tuple prunable.
fn prunable_op(page: &Page, xid: Xid) -> Option<PageOp> {
    let current = page.prune_xid();
    (current == Xid::INVALID || xid.precedes(current)).then_some(PageOp::SetPruneXid(xid))
}

/// A fresh tuple header for a new row version by `xid`/`cid` at `tid`.
fn stamp_new(
    tuple: &HeapTuple,
    xid: Xid,
    cid: u32,
    tid: ItemPointer,
    infomask2_bits: u16,
    infomask_bits: u16,
) -> Vec<u8> {
    let mut t = tuple.clone();
    let mut h = t.header();
    h.xmin = xid;
    h.xmax = Xid::INVALID;
    h.cid = cid;
    h.ctid = tid;
    h.infomask = (h.infomask
        & !(HEAP_XMAX_BITS | HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID | HEAP_UPDATED))
        | HEAP_XMAX_INVALID
        | infomask_bits;
    h.infomask2 = (h.infomask2 & HEAP_NATTS_MASK) | infomask2_bits;
    t.set_header(h);
    t.bytes().to_vec()
}

fn too_big(len: usize) -> Error {
    pg_err!(
        PROGRAM_LIMIT_EXCEEDED,
        "row is too big: size {}, maximum size {}",
        len,
        MAX_HEAP_TUPLE_SIZE
    )
}

impl HeapRelation {
    /// The heap of `locator` (its main fork must exist) with `fillfactor` percent (10..=100;
    /// values outside are clamped, PostgreSQL rejects them at `CREATE TABLE`).
    pub fn new(pool: Arc<BufferPool>, locator: RelFileLocator, fillfactor: u8) -> HeapRelation {
        HeapRelation {
            pool,
            locator,
            fillfactor: fillfactor.clamp(HEAP_MIN_FILLFACTOR, 100),
            target_block: Mutex::new(None),
            toast: None,
        }
    }

    /// This heap with `toast` as its TOAST relation (see `crate::toast`).
    pub fn with_toast(mut self, toast: Arc<crate::toast_relation::ToastRelation>) -> HeapRelation {
        self.toast = Some(toast);
        self
    }

    /// The TOAST relation, if the table has one.
    pub fn toast(&self) -> Option<&Arc<crate::toast_relation::ToastRelation>> {
        self.toast.as_ref()
    }

    /// The values of one of this heap's tuples described by `attrs`, out-of-line values
    /// read from the TOAST relation ([`crate::row::deform_tuple_toast`]).
    ///
    /// Errors: as [`crate::row::deform_tuple_toast`].
    pub fn deform(
        &self,
        attrs: &[crate::row::AttributeDesc],
        tuple: &HeapTupleRef<'_>,
    ) -> Result<Vec<tusk_types::Datum>> {
        let fetch = self
            .toast
            .as_deref()
            .map(|t| t as &dyn crate::toast::ToastFetch);
        crate::row::deform_tuple_toast(attrs, tuple, fetch)
    }

    /// The relation's files.
    pub fn locator(&self) -> RelFileLocator {
        self.locator
    }

    /// Bytes an insert leaves free on a page (`RelationGetTargetPageFreeSpace`).
    fn reserve(&self) -> usize {
        PAGE_SIZE * (100 - self.fillfactor as usize) / 100
    }

    pub(crate) fn read(&self, block: BlockNumber) -> Result<PinnedBuffer> {
        self.pool.read_buffer(
            self.locator,
            ForkNumber::Main,
            block,
            ReadBufferMode::Normal,
        )
    }

    /// Number of blocks in the main fork.
    pub fn nblocks(&self) -> Result<BlockNumber> {
        self.pool.nblocks(self.locator, ForkNumber::Main)
    }

    /// A pinned page that had room for `len` bytes (with the fillfactor reserve) when checked
    /// (`RelationGetBufferForTuple`); the caller re-checks under its exclusive lock. Never
    /// `exclude`. Tries, in order: the target block (the page the last insert used), a page
    /// the free space map names (`crate::freespace` in storage: space VACUUM reclaimed),
    /// the last block, and finally extends the relation.
    ///
    /// The target block is tried before the relation's size is asked for: it exists, since
    /// relations never shrink in place (TRUNCATE and rewrites give them a new relfilenode),
    /// and it usually has room, so a run of inserts costs no size lookup (a file-system
    /// call) per row. A page found short of room has its real free space recorded, so the
    /// map never sends the next insert to it again for this size.
    fn find_target(&self, len: usize, exclude: Option<BlockNumber>) -> Result<PinnedBuffer> {
        let fsm = self.pool.free_space_map();
        let target = *self.target_block.lock();
        if let Some(block) = target.filter(|b| Some(*b) != exclude) {
            let pin = self.read(block)?;
            let page = pin.lock_shared();
            if page_has_room(&page, len, self.reserve()) {
                drop(page);
                return Ok(pin);
            }
            fsm.record(self.locator, block, heap_free_space(&page));
        }
        let needed = maxalign(len) + self.reserve();
        let mut nblocks = None;
        while let Some(block) = fsm.search(self.locator, needed, exclude) {
            let size = match nblocks {
                Some(n) => n,
                None => *nblocks.insert(self.nblocks()?),
            };
            if block >= size {
                fsm.truncate(self.locator, size);
                break;
            }
            let pin = self.read(block)?;
            let page = pin.lock_shared();
            if page_has_room(&page, len, self.reserve()) {
                drop(page);
                *self.target_block.lock() = Some(block);
                return Ok(pin);
            }
            fsm.record(self.locator, block, heap_free_space(&page));
        }
        let nblocks = match nblocks {
            Some(n) => n,
            None => self.nblocks()?,
        };
        if nblocks.0 > 0 {
            let last = BlockNumber(nblocks.0 - 1);
            if Some(last) != exclude && Some(last) != target {
                let pin = self.read(last)?;
                if page_has_room(&pin.lock_shared(), len, self.reserve()) {
                    *self.target_block.lock() = Some(last);
                    return Ok(pin);
                }
            }
        }
        let pin = self.pool.new_page(self.locator, ForkNumber::Main)?;
        *self.target_block.lock() = Some(pin.block());
        Ok(pin)
    }

    /// Records the free space of a page in the free space map, as seen under `page`'s lock.
    pub(crate) fn record_free_space(&self, block: BlockNumber, page: &Page) {
        self.pool
            .free_space_map()
            .record(self.locator, block, heap_free_space(page));
    }

    /// Applies each change, logs one record for all of them and stamps the pages
    /// (buffer rules 3 and 8). Nothing here returns an error: this is the critical section.
    pub(crate) fn log_changes(
        &self,
        wal: &Checkpointer,
        xid: Xid,
        info: u8,
        changes: &mut [BlockChange<'_, '_>],
    ) {
        let old_lsns: Vec<_> = changes.iter().map(|c| c.guard.lsn()).collect();
        for change in changes.iter_mut() {
            apply_ops(change.guard, &change.ops);
        }
        let end = wal.insert_with_redo(|redo| {
            let mut record = RecordBuilder::new(RmgrId::HEAP, info).with_xid(xid);
            for (change, old_lsn) in changes.iter().zip(&old_lsns) {
                let mut block = BlockRef::new(
                    self.locator,
                    ForkNumber::Main,
                    change.guard.buffer().block(),
                );
                block.data = encode_ops(&change.ops);
                block.will_init = change.will_init;
                if !change.will_init && needs_full_page_image(*old_lsn, redo) {
                    block.image = Some(Box::new(*change.guard.as_bytes()));
                }
                record = record.with_block(block);
            }
            record
        });
        for change in changes.iter_mut() {
            change.guard.mark_dirty(end);
        }
    }

    /// Inserts `tuple` as a new row version by transaction `xid`, command `cid`
    /// (`heap_insert`): stamps xmin, cid and ctid, WAL-logs an `INSERT`. Returns its TID.
    ///
    /// Errors: `54000` `row is too big: size %zu, maximum size %zu`; I/O errors (class 58)
    /// from reading or extending the relation.
    pub fn insert(
        &self,
        wal: &Checkpointer,
        tuple: &HeapTuple,
        xid: Xid,
        cid: u32,
    ) -> Result<ItemPointer> {
        self.insert_with_options(wal, tuple, xid, cid, false)
    }

    /// [`HeapRelation::insert`], with `frozen` as PostgreSQL's `HEAP_INSERT_FROZEN` (COPY
    /// FREEZE): the tuple is written with `HEAP_XMIN_FROZEN`, visible to every snapshot at
    /// once, so no later VACUUM or reader has to set hint bits or freeze it. Only for a
    /// relation file created by the inserting subtransaction, which disappears with the
    /// rows should it abort.
    ///
    /// Errors: as [`HeapRelation::insert`].
    pub fn insert_with_options(
        &self,
        wal: &Checkpointer,
        tuple: &HeapTuple,
        xid: Xid,
        cid: u32,
        frozen: bool,
    ) -> Result<ItemPointer> {
        let infomask_bits = if frozen { HEAP_XMIN_FROZEN } else { 0 };
        if tuple.len() > MAX_HEAP_TUPLE_SIZE {
            return Err(too_big(tuple.len()));
        }
        loop {
            let pin = self.find_target(tuple.len(), None)?;
            let mut guard = pin.lock_exclusive();
            if !page_has_room(&guard, tuple.len(), self.reserve()) {
                // Another backend filled it since `find_target` looked (FSM rule 1).
                self.record_free_space(pin.block(), &guard);
                *self.target_block.lock() = None;
                continue;
            }
            let init = guard.is_new();
            let offset = next_offset(&guard).expect("page_has_room found a line pointer");
            let tid = ItemPointer {
                block: pin.block(),
                offset,
            };
            let mut ops = Vec::with_capacity(2);
            if init {
                ops.push(PageOp::InitPage);
            }
            ops.push(PageOp::PutTuple(
                offset,
                stamp_new(tuple, xid, cid, tid, 0, infomask_bits),
            ));
            let info = XLOG_HEAP_INSERT | if init { XLOG_HEAP_INIT_PAGE } else { 0 };
            self.log_changes(
                wal,
                xid,
                info,
                &mut [BlockChange {
                    guard: &mut guard,
                    ops,
                    will_init: init,
                }],
            );
            return Ok(tid);
        }
    }

    /// The tuple at `tid` if its line pointer is normal (`heap_fetch` without the visibility
    /// check; redirects are not followed). `None` for unused, dead or redirect line pointers
    /// and offsets past the end.
    ///
    /// Errors: I/O or corruption (XX001) reading the page; a block past the end of the
    /// relation reads as `None`.
    pub fn fetch(&self, tid: ItemPointer) -> Result<Option<HeapTuple>> {
        if tid.block >= self.nblocks()? {
            return Ok(None);
        }
        let pin = self.read(tid.block)?;
        let page = pin.lock_shared();
        if page.is_new() {
            return Ok(None);
        }
        Ok(page
            .line_pointer(tid.offset)
            .filter(|lp| lp.flags == LpFlags::Normal)
            .and_then(|_| page.item(tid.offset))
            .and_then(HeapTupleRef::new)
            .map(|t| t.to_owned_tuple()))
    }

    /// Follows the HOT chain whose root is `tid` and returns the first version `visible`
    /// accepts (`heap_hot_search_buffer`): a redirect is followed to its target, then each
    /// `HEAP_HOT_UPDATED` version leads to the next on the same page while the next one's
    /// xmin equals the previous xmax. This is how an index entry (which names the root)
    /// finds the current version. `None` if no member is accepted or the root is gone.
    ///
    /// Errors: I/O or corruption reading the page.
    pub fn fetch_hot_chain<F>(
        &self,
        tid: ItemPointer,
        visible: F,
    ) -> Result<Option<(ItemPointer, HeapTuple)>>
    where
        F: FnMut(ItemPointer, &HeapTupleRef<'_>) -> bool,
    {
        if tid.block >= self.nblocks()? {
            return Ok(None);
        }
        let pin = self.read(tid.block)?;
        Ok(hot_chain_on_page(&pin, tid, visible))
    }

    /// [`HeapRelation::prune_opt`] of the block of `tid`, then
    /// [`HeapRelation::fetch_hot_chain`] of `tid`, with one buffer read when the block
    /// needs no pruning (`heap_page_prune_opt` on the buffer `index_fetch_heap` pinned).
    ///
    /// Errors: I/O or corruption reading the page.
    pub fn prune_opt_and_fetch_hot_chain<F>(
        &self,
        wal: &Checkpointer,
        tid: ItemPointer,
        horizon: impl FnOnce() -> Xid,
        xmax_fate: impl Fn(Xid, Xid) -> XmaxFate,
        visible: F,
    ) -> Result<Option<(ItemPointer, HeapTuple)>>
    where
        F: FnMut(ItemPointer, &HeapTupleRef<'_>) -> bool,
    {
        if tid.block >= self.nblocks()? {
            return Ok(None);
        }
        let mut pin = self.read(tid.block)?;
        let candidate = self.prune_candidate(&pin.lock_shared());
        if let Some(prune_xid) = candidate {
            let horizon = horizon();
            if prune_xid.precedes(horizon) {
                drop(pin);
                self.prune_page(wal, tid.block, |xid| xmax_fate(xid, horizon))?;
                pin = self.read(tid.block)?;
            }
        }
        Ok(hot_chain_on_page(&pin, tid, visible))
    }

    /// The page's `pd_prune_xid` when pruning may be worth it: set, and the page short of
    /// space (less free than the fillfactor reserves, or a tenth of the page).
    fn prune_candidate(&self, page: &Page) -> Option<Xid> {
        if page.is_new() {
            return None;
        }
        let min_free = self.reserve().max(PAGE_SIZE / 10);
        let prune_xid = page.prune_xid();
        (prune_xid.is_normal() && page.free_space() < min_free).then_some(prune_xid)
    }

    /// Sets commit-status hint bits (`HEAP_XMIN_COMMITTED`, `HEAP_XMIN_INVALID`,
    /// `HEAP_XMAX_COMMITTED`, `HEAP_XMAX_INVALID`) on the tuple at `tid` (`SetHintBits`).
    /// Hints are not WAL-logged themselves and may be lost in a crash, but with data
    /// checksums the first change of a page after a checkpoint logs a full-page image
    /// (`MarkBufferDirtyHint` / `XLOG_FPI_FOR_HINT`), so a page torn while being written
    /// can still be repaired. Returns false if there is no normal tuple at `tid`.
    ///
    /// Panics if `bits` has any other bit (a caller bug). Errors: I/O reading the page.
    pub fn set_hint_bits(&self, wal: &Checkpointer, tid: ItemPointer, bits: u16) -> Result<bool> {
        const HINTS: u16 =
            HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID | HEAP_XMAX_COMMITTED | HEAP_XMAX_INVALID;
        assert_eq!(bits & !HINTS, 0, "only commit-status hint bits");
        let pin = self.read(tid.block)?;
        let mut guard = pin.lock_exclusive();
        let Ok(mut header) = tuple_at(&guard, tid) else {
            return Ok(false);
        };
        if header.infomask & bits == bits {
            return Ok(true);
        }
        header.infomask |= bits;
        let item = guard.item_mut(tid.offset).expect("tuple_at found the item");
        header.encode(&mut item[..crate::tuple::HEAP_TUPLE_HEADER_SIZE]);
        self.mark_dirty_hint(wal, &mut guard, tid.block);
        Ok(true)
    }

    /// Marks a page dirty after a hint-only change (`MarkBufferDirtyHint`): without data
    /// checksums just dirty; with them, the first change after a checkpoint logs a
    /// full-page image (`XLOG_FPI_FOR_HINT`) so a torn write can be repaired.
    fn mark_dirty_hint(
        &self,
        wal: &Checkpointer,
        guard: &mut PageWriteGuard<'_>,
        block: BlockNumber,
    ) {
        if !self.pool.data_checksums() {
            guard.mark_dirty_unlogged();
            return;
        }
        let old_lsn = guard.lsn();
        // The decision and the dirtying happen while the redo pointer cannot move
        // (buffer rule 8): a page dirtied without an image must be dirty before a checkpoint
        // starts, so that checkpoint writes it. `insert_with_redo` always inserts a record;
        // without an image it is an empty `FPI_FOR_HINT` (a few dozen bytes of WAL).
        let mut logged = false;
        let guard_ref = &mut *guard;
        let end = wal.insert_with_redo(|redo| {
            let mut record = RecordBuilder::new(RmgrId::XLOG, tusk_wal::xlog_info::FPI_FOR_HINT);
            if needs_full_page_image(old_lsn, redo) {
                let mut image = BlockRef::new(self.locator, ForkNumber::Main, block);
                image.image = Some(Box::new(*guard_ref.as_bytes()));
                record = record.with_block(image);
                logged = true;
            } else {
                guard_ref.mark_dirty_unlogged();
            }
            record
        });
        if logged {
            guard.mark_dirty(end);
        }
    }

    /// Marks the row at `tid` deleted by `xid`/`cid` (`heap_delete`): sets xmax, clears the
    /// xmax hint and lock bits, sets `HEAP_KEYS_UPDATED`, WAL-logs a `DELETE`.
    ///
    /// Errors: `XX000` if there is no tuple at `tid` or it already has a deleter/updater
    /// (see PostgreSQL's `simple_heap_delete` messages); I/O errors.
    pub fn delete(&self, wal: &Checkpointer, tid: ItemPointer, xid: Xid, cid: u32) -> Result<()> {
        self.delete_checked(wal, tid, xid, cid, &mut |h| {
            check_xmax(h, tid, xid).map(|()| true)
        })
        .map(|_| ())
    }

    /// [`HeapRelation::delete`] with the caller's test of the current version's header in
    /// place of the `simple_heap_delete` check: `check` runs under the page's exclusive
    /// lock (so nobody changes xmax meanwhile; it must not take buffer locks) and returns
    /// false to leave the row alone (PostgreSQL's `HeapTupleSatisfiesUpdate` answering
    /// "being modified", "updated" or "deleted"). Returns whether the row was deleted.
    ///
    /// Errors: XX000 if there is no tuple at `tid`; `check`'s errors; I/O errors.
    pub fn delete_checked(
        &self,
        wal: &Checkpointer,
        tid: ItemPointer,
        xid: Xid,
        cid: u32,
        check: &mut dyn FnMut(&HeapTupleHeader) -> Result<bool>,
    ) -> Result<bool> {
        let pin = self.read(tid.block)?;
        let mut guard = pin.lock_exclusive();
        let header = tuple_at(&guard, tid)?;
        if !check(&header)? {
            return Ok(false);
        }
        let mut ops = vec![PageOp::SetHeader {
            offset: tid.offset,
            xmax: xid,
            cid,
            ctid: tid,
            infomask2: (header.infomask2 & !HEAP_HOT_UPDATED) | HEAP_KEYS_UPDATED,
            infomask: header.infomask & !HEAP_XMAX_BITS,
        }];
        ops.extend(prunable_op(&guard, xid));
        self.log_changes(
            wal,
            xid,
            XLOG_HEAP_DELETE,
            &mut [BlockChange {
                guard: &mut guard,
                ops,
                will_init: false,
            }],
        );
        Ok(true)
    }

    /// Locks the row at `tid` for `xid` (`heap_lock_tuple`): `check` runs on its header
    /// under the page's exclusive lock, as for [`HeapRelation::delete_checked`], and
    /// answers `None` to leave the row alone, `Some(false)` to lock it without changing
    /// the page (the caller records the lock elsewhere), or `Some(true)` to set xmax to
    /// `xid` with `HEAP_XMAX_LOCK_ONLY` and `lock_bits` (`HEAP_XMAX_KEYSHR_LOCK`,
    /// `HEAP_XMAX_SHR_LOCK` or `HEAP_XMAX_EXCL_LOCK`), logged as a `LOCK` record. The
    /// caller must only answer `Some(true)` when xmax holds no live updater or deleter.
    /// Returns whether the row was locked.
    ///
    /// Errors: XX000 if there is no tuple at `tid`; `check`'s errors; I/O errors.
    pub fn lock_checked(
        &self,
        wal: &Checkpointer,
        tid: ItemPointer,
        xid: Xid,
        lock_bits: u16,
        check: &mut dyn FnMut(&HeapTupleHeader) -> Result<Option<bool>>,
    ) -> Result<bool> {
        let pin = self.read(tid.block)?;
        let mut guard = pin.lock_exclusive();
        let header = tuple_at(&guard, tid)?;
        let stamp = match check(&header)? {
            None => return Ok(false),
            Some(stamp) => stamp,
        };
        if !stamp {
            return Ok(true);
        }
        let ops = vec![PageOp::SetHeader {
            offset: tid.offset,
            xmax: xid,
            cid: header.cid,
            ctid: header.ctid,
            infomask2: header.infomask2,
            infomask: (header.infomask & !HEAP_XMAX_BITS) | HEAP_XMAX_LOCK_ONLY | lock_bits,
        }];
        self.log_changes(
            wal,
            xid,
            XLOG_HEAP_LOCK,
            &mut [BlockChange {
                guard: &mut guard,
                ops,
                will_init: false,
            }],
        );
        Ok(true)
    }

    /// Replaces the row at `tid` with `new_tuple`, by `xid`/`cid` (`heap_update`). The old
    /// version gets xmax and a ctid pointing at the new one. When `hot_allowed` (no indexed
    /// column changed) and the new version fits on the old page, the update is HOT: the old
    /// version is marked `HEAP_HOT_UPDATED`, the new one `HEAP_ONLY_TUPLE`, one page changes
    /// (`HOT_UPDATE` record). A new version that fits on the old page but may not be HOT
    /// stays there too (`UPDATE` record over one page). Otherwise it goes where an insert
    /// would put it (`UPDATE` record: block 0 the new page, block 1 the old). Returns the new
    /// version's TID.
    ///
    /// Errors: as [`HeapRelation::delete`], and `54000` for a row that is too big.
    pub fn update(
        &self,
        wal: &Checkpointer,
        tid: ItemPointer,
        new_tuple: &HeapTuple,
        xid: Xid,
        cid: u32,
        hot_allowed: bool,
    ) -> Result<ItemPointer> {
        self.update_checked(wal, tid, new_tuple, xid, cid, hot_allowed, &mut |h| {
            check_xmax(h, tid, xid).map(|()| true)
        })
        .map(|t| t.expect("check_xmax never declines"))
    }

    /// [`HeapRelation::update`] with the caller's `check` of the old version's header, as
    /// for [`HeapRelation::delete_checked`] (it may run more than once, each time under the
    /// old page's exclusive lock). Returns the new version's TID, or `None` if `check`
    /// declined.
    ///
    /// Errors: as [`HeapRelation::update`], and `check`'s errors.
    #[allow(clippy::too_many_arguments)]
    pub fn update_checked(
        &self,
        wal: &Checkpointer,
        tid: ItemPointer,
        new_tuple: &HeapTuple,
        xid: Xid,
        cid: u32,
        hot_allowed: bool,
        check: &mut dyn FnMut(&HeapTupleHeader) -> Result<bool>,
    ) -> Result<Option<ItemPointer>> {
        let len = new_tuple.len();
        if len > MAX_HEAP_TUPLE_SIZE {
            return Err(too_big(len));
        }
        loop {
            let old_pin = self.read(tid.block)?;
            {
                let mut guard = old_pin.lock_exclusive();
                let header = tuple_at(&guard, tid)?;
                if !check(&header)? {
                    return Ok(None);
                }
                // PostgreSQL keeps the new version on the old page whenever it fits there
                // (the fillfactor reserve is for exactly this); HOT only if allowed.
                if page_has_room(&guard, len, 0) {
                    let offset = next_offset(&guard).expect("page_has_room found a line pointer");
                    let new_tid = ItemPointer {
                        block: tid.block,
                        offset,
                    };
                    let (old_bits, new_bits, info) = if hot_allowed {
                        (HEAP_HOT_UPDATED, HEAP_ONLY_TUPLE, XLOG_HEAP_HOT_UPDATE)
                    } else {
                        (0, 0, XLOG_HEAP_UPDATE)
                    };
                    let mut ops = vec![
                        PageOp::PutTuple(
                            offset,
                            stamp_new(new_tuple, xid, cid, new_tid, new_bits, HEAP_UPDATED),
                        ),
                        old_version_op(&header, tid, new_tid, xid, cid, old_bits),
                    ];
                    ops.extend(prunable_op(&guard, xid));
                    self.log_changes(
                        wal,
                        xid,
                        info,
                        &mut [BlockChange {
                            guard: &mut guard,
                            ops,
                            will_init: false,
                        }],
                    );
                    return Ok(Some(new_tid));
                }
            }
            let new_pin = self.find_target(len, Some(tid.block))?;
            // Buffer rule 6: lower block first.
            let (mut old_guard, mut new_guard) = if new_pin.block() < tid.block {
                let n = new_pin.lock_exclusive();
                (old_pin.lock_exclusive(), n)
            } else {
                let o = old_pin.lock_exclusive();
                (o, new_pin.lock_exclusive())
            };
            let header = tuple_at(&old_guard, tid)?;
            if !check(&header)? {
                return Ok(None);
            }
            if !page_has_room(&new_guard, len, self.reserve()) {
                self.record_free_space(new_pin.block(), &new_guard);
                *self.target_block.lock() = None;
                continue;
            }
            let init = new_guard.is_new();
            let offset = next_offset(&new_guard).expect("page_has_room found a line pointer");
            let new_tid = ItemPointer {
                block: new_pin.block(),
                offset,
            };
            let mut new_ops = Vec::with_capacity(2);
            if init {
                new_ops.push(PageOp::InitPage);
            }
            new_ops.push(PageOp::PutTuple(
                offset,
                stamp_new(new_tuple, xid, cid, new_tid, 0, HEAP_UPDATED),
            ));
            let mut old_ops = vec![old_version_op(&header, tid, new_tid, xid, cid, 0)];
            old_ops.extend(prunable_op(&old_guard, xid));
            let info = XLOG_HEAP_UPDATE | if init { XLOG_HEAP_INIT_PAGE } else { 0 };
            self.log_changes(
                wal,
                xid,
                info,
                &mut [
                    BlockChange {
                        guard: &mut new_guard,
                        ops: new_ops,
                        will_init: init,
                    },
                    BlockChange {
                        guard: &mut old_guard,
                        ops: old_ops,
                        will_init: false,
                    },
                ],
            );
            return Ok(Some(new_tid));
        }
    }

    /// Prunes block `block` (`heap_page_prune`): HOT chains whose leading versions are dead
    /// are shortened (root line pointer redirected to the first live version, dead heap-only
    /// versions made unused), dead chains and dead non-HOT tuples leave `LP_DEAD` line
    /// pointers (index entries may still point at them; vacuum frees them), and the page is
    /// defragmented. `xmax_fate(xid)` says whether a deleter/updater committed before the
    /// removal horizon ([`XmaxFate`]); tuples with `HEAP_XMIN_INVALID` (aborted inserts) are
    /// dead too.
    ///
    /// Needs a cleanup lock (buffer rule 2): returns `Ok(None)` if another backend holds a
    /// pin (PostgreSQL's opportunistic pruning skips such pages), or if nothing was dead;
    /// then `pd_prune_xid` is still brought up to date, as a hint (prune rule 6).
    ///
    /// Errors: I/O or corruption reading the page.
    pub fn prune_page(
        &self,
        wal: &Checkpointer,
        block: BlockNumber,
        xmax_fate: impl Fn(Xid) -> XmaxFate,
    ) -> Result<Option<PruneResult>> {
        let pin = self.read(block)?;
        let Some(mut guard) = pin.try_lock_cleanup() else {
            return Ok(None);
        };
        if guard.is_new() {
            return Ok(None);
        }
        let Some((ops, result)) = plan_prune(&guard, block, &xmax_fate) else {
            let prune_xid = pending_prune_xid(&guard, &[], &xmax_fate);
            if prune_xid != guard.prune_xid() {
                guard.set_prune_xid(prune_xid);
                self.mark_dirty_hint(wal, &mut guard, block);
            }
            return Ok(None);
        };
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
        Ok(Some(result))
    }

    /// Opportunistic pruning (PostgreSQL's `heap_page_prune_opt`), for readers about to
    /// visit block `block`: prunes it as [`HeapRelation::prune_page`] does when its
    /// `pd_prune_xid` says a version may be dead to everyone (it precedes `horizon()`, the
    /// oldest xid any snapshot may still need) and the page is short of space (less free
    /// than the fillfactor reserves, or a tenth of the page). Skipped, at the cost of one
    /// shared lock, when either does not hold or another backend holds a pin.
    ///
    /// Errors: I/O or corruption reading the page.
    pub fn prune_opt(
        &self,
        wal: &Checkpointer,
        block: BlockNumber,
        horizon: impl FnOnce() -> Xid,
        xmax_fate: impl Fn(Xid, Xid) -> XmaxFate,
    ) -> Result<Option<PruneResult>> {
        let Some(prune_xid) = self.prune_candidate(&self.read(block)?.lock_shared()) else {
            return Ok(None);
        };
        let horizon = horizon();
        if !prune_xid.precedes(horizon) {
            return Ok(None);
        }
        self.prune_page(wal, block, |xid| xmax_fate(xid, horizon))
    }

    /// The HOT chain root of each line pointer of block `block`
    /// ([`crate::prune::hot_chain_roots`]); empty past the end or for a new page.
    ///
    /// Errors: I/O errors.
    pub fn hot_chain_roots(&self, block: BlockNumber) -> Result<Vec<Option<OffsetNumber>>> {
        if block >= self.nblocks()? {
            return Ok(Vec::new());
        }
        let pin = self.read(block)?;
        let page = pin.lock_shared();
        if page.is_new() {
            return Ok(Vec::new());
        }
        Ok(crate::prune::hot_chain_roots(&page, block))
    }

    /// The normal tuples of block `block` that `visible` accepts, copied out under a
    /// shared lock (one page of a page-at-a-time scan). A block past the end or a new
    /// page has none.
    ///
    /// Errors: I/O errors; XX001 for a malformed tuple.
    pub fn page_tuples<F>(
        &self,
        block: BlockNumber,
        visible: &mut F,
    ) -> Result<Vec<(ItemPointer, HeapTuple)>>
    where
        F: FnMut(ItemPointer, &HeapTupleRef<'_>) -> bool,
    {
        let pin = self.read(block)?;
        let page = pin.lock_shared();
        let mut out = Vec::new();
        if page.is_new() {
            return Ok(out);
        }
        for o in 1..=page.max_offset() {
            let offset = OffsetNumber(o);
            let is_normal = page
                .line_pointer(offset)
                .is_some_and(|lp| lp.flags == LpFlags::Normal);
            if !is_normal {
                continue;
            }
            let tid = ItemPointer { block, offset };
            let item = page.item(offset).expect("normal line pointer has an item");
            let tuple = HeapTupleRef::new(item)
                .ok_or_else(|| pg_err!(DATA_CORRUPTED, "invalid heap tuple at {} ", tid))?;
            if visible(tid, &tuple) {
                out.push((tid, tuple.to_owned_tuple()));
            }
        }
        Ok(out)
    }

    /// A sequential scan over the blocks that exist now (`heap_beginscan`; later
    /// extensions are not seen), yielding `(tid, tuple)` for every normal tuple `visible`
    /// accepts. Each page is read under a shared lock and its visible tuples copied out
    /// (page-at-a-time mode).
    pub fn scan<F>(&self, visible: F) -> Result<HeapScan<'_, F>>
    where
        F: FnMut(ItemPointer, &HeapTupleRef<'_>) -> bool,
    {
        Ok(HeapScan {
            relation: self,
            nblocks: self.nblocks()?,
            next_block: BlockNumber(0),
            page: Vec::new().into_iter(),
            visible,
        })
    }
}

/// The `SetHeader` operation for an old row version replaced by `new_tid`.
fn old_version_op(
    header: &HeapTupleHeader,
    tid: ItemPointer,
    new_tid: ItemPointer,
    xid: Xid,
    cid: u32,
    infomask2_bits: u16,
) -> PageOp {
    PageOp::SetHeader {
        offset: tid.offset,
        xmax: xid,
        cid,
        ctid: new_tid,
        infomask2: (header.infomask2 & !HEAP_HOT_UPDATED) | infomask2_bits,
        infomask: header.infomask & !HEAP_XMAX_BITS,
    }
}

/// A sequential scan (see [`HeapRelation::scan`]); yields `Result<(ItemPointer, HeapTuple)>`.
pub struct HeapScan<'r, F> {
    relation: &'r HeapRelation,
    nblocks: BlockNumber,
    next_block: BlockNumber,
    page: std::vec::IntoIter<(ItemPointer, HeapTuple)>,
    visible: F,
}

impl<F> HeapScan<'_, F>
where
    F: FnMut(ItemPointer, &HeapTupleRef<'_>) -> bool,
{
    fn load_page(&mut self, block: BlockNumber) -> Result<Vec<(ItemPointer, HeapTuple)>> {
        self.relation.page_tuples(block, &mut self.visible)
    }
}

impl<F> Iterator for HeapScan<'_, F>
where
    F: FnMut(ItemPointer, &HeapTupleRef<'_>) -> bool,
{
    type Item = Result<(ItemPointer, HeapTuple)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            if self.next_block >= self.nblocks {
                return None;
            }
            let block = self.next_block;
            self.next_block.0 += 1;
            match self.load_page(block) {
                Ok(tuples) => self.page = tuples.into_iter(),
                Err(e) => {
                    self.next_block = self.nblocks;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Checks that [`MAX_HEAP_TUPLE_SIZE`] fits a page item.
const _: () = assert!(MAX_HEAP_TUPLE_SIZE <= MAX_ITEM_SIZE);

/// The first member of the HOT chain rooted at `tid` on the pinned page that `visible`
/// accepts (the chain walk of [`HeapRelation::fetch_hot_chain`]).
fn hot_chain_on_page<F>(
    pin: &PinnedBuffer,
    tid: ItemPointer,
    mut visible: F,
) -> Option<(ItemPointer, HeapTuple)>
where
    F: FnMut(ItemPointer, &HeapTupleRef<'_>) -> bool,
{
    let page = pin.lock_shared();
    if page.is_new() {
        return None;
    }
    let mut offset = tid.offset;
    let mut prev_xmax: Option<Xid> = None;
    // A chain never has more members than the page has line pointers.
    for _ in 0..=page.max_offset() {
        let lp = page.line_pointer(offset)?;
        match lp.flags {
            LpFlags::Redirect if prev_xmax.is_none() && offset == tid.offset => {
                offset = OffsetNumber(lp.offset);
                prev_xmax = Some(Xid::INVALID);
                continue;
            }
            LpFlags::Normal => {}
            _ => return None,
        }
        let tuple = page.item(offset).and_then(HeapTupleRef::new)?;
        let h = *tuple.header();
        match prev_xmax {
            Some(x) if x != Xid::INVALID && (h.xmin != x || !h.is_heap_only()) => return None,
            Some(_) if !h.is_heap_only() => return None,
            _ => {}
        }
        let here = ItemPointer {
            block: tid.block,
            offset,
        };
        if visible(here, &tuple) {
            return Some((here, tuple.to_owned_tuple()));
        }
        if !h.is_hot_updated() || h.ctid.block != tid.block {
            return None;
        }
        prev_xmax = Some(h.xmax);
        offset = h.ctid.offset;
    }
    None
}
