//! Insertion (PostgreSQL's `_bt_doinsert`, `_bt_findinsertloc`, `_bt_insertonpg`,
//! `_bt_split`, `_bt_insert_parent`, `_bt_newroot`, `_bt_check_unique`).
//!
//! ```text
//!  descend (shared locks, one at a time) ──► leaf: lock exclusive, move right (coupled)
//!     [unique: check equal keys here and on right siblings]            │
//!                                                                      ▼
//!  insert_on_page(page, item) ── fits ──► log one record for every prepared page, install
//!        │ full
//!        ▼ plan split, allocate the right page, lock the old right sibling,
//!   root? ── yes ──► new root page + metapage ──► log, install
//!        │ no
//!        ▼ lock the parent (stack entry, moving right until the downlink is found)
//!   insert_on_page(parent, pivot of the right page)   (recursion: one frame per level)
//! ```
//!
//! Each frame keeps its pages locked until the record is logged (btree rules 4 and 5).
//!
//! Entry points: [`BTreeIndex::insert`], [`BTreeIndex::insert_unique`].

use std::cmp::Ordering;

use tusk_storage::page::maxalign;
use tusk_storage::{Checkpointer, PageWriteGuard, PinnedBuffer};
use tusk_types::{pg_err, BlockNumber, Datum, ItemPointer, Lsn, OffsetNumber, Result, Xid};

use super::key::{compare_keys, SearchKey};
use super::page::{
    first_data_offset, high_key, opaque, tuple_at, BtMeta, BtOpaque, BTP_LEAF, BTP_ROOT,
    BTREE_METAPAGE, BT_MAX_ITEM_SIZE,
};
use super::search::StackEntry;
use super::split::plan_split;
use super::tuple::{decode_key, form_leaf_tuple, minus_infinity, to_pivot, TupleRef};
use super::wal::{
    BtOp, XLOG_BTREE_INSERT_LEAF, XLOG_BTREE_INSERT_UPPER, XLOG_BTREE_NEWROOT, XLOG_BTREE_SPLIT_L,
    XLOG_BTREE_SPLIT_R,
};
use super::{BTreeIndex, Pending, BTREE_NONLEAF_FILLFACTOR};

/// The caller's verdict on an existing entry with an equal key, found by a unique check.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UniqueCheck {
    /// The row is live (or committed and not deleted): the insertion violates uniqueness.
    Conflict,
    /// The row's inserter or deleter is still running: wait for it, then retry.
    WaitFor(Xid),
    /// The row is dead to everyone (or is the row being updated): not a conflict.
    Ignore,
}

/// What [`BTreeIndex::insert_unique`] did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UniqueInsert {
    /// The entry was inserted.
    Inserted,
    /// Nothing was inserted: the caller waits for the transaction, then calls again
    /// (PostgreSQL's `XactLockTableWait` and retry in `_bt_doinsert`).
    WaitFor(Xid),
    /// Nothing was inserted: the entry for the live row at `existing` has an equal key. The
    /// caller reports 23505 with [`super::unique_violation_error`].
    Duplicate {
        /// Heap TID of the conflicting row.
        existing: ItemPointer,
    },
}

/// What one insertion is changing, collected frame by frame (btree rule 5).
#[derive(Default)]
struct Cascade {
    pending: Vec<Pending>,
    info: Option<u8>,
}

impl Cascade {
    fn push(&mut self, pending: Pending) -> usize {
        self.pending.push(pending);
        self.pending.len() - 1
    }
}

impl BTreeIndex {
    /// Encodes the leaf tuple for `values` at `tid` and checks its size.
    ///
    /// Errors: `54000` `index row size %zu exceeds btree version 4 maximum 2704 for index
    /// "%s"` (PostgreSQL's message, detail and hint); `XX000` for values of the wrong type.
    pub(crate) fn leaf_tuple(&self, values: &[Datum], tid: ItemPointer) -> Result<Vec<u8>> {
        let item = form_leaf_tuple(&self.desc.columns, values, tid)?;
        if item.len() > BT_MAX_ITEM_SIZE {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "index row size {} exceeds btree version {} maximum {} for index \"{}\"",
                item.len(),
                super::page::BTREE_VERSION,
                BT_MAX_ITEM_SIZE,
                self.desc.name
            )
            .detail(format!(
                "Index row references tuple ({},{}) in relation \"{}\".",
                tid.block.0, tid.offset.0, self.desc.table_name
            ))
            .hint(
                "Values larger than 1/3 of a buffer page cannot be indexed.\n\
                 Consider a function index of an MD5 hash of the value, or use full text indexing.",
            ));
        }
        Ok(item)
    }

    /// Inserts the entry `(values, tid)` (`btinsert` without a uniqueness check): one value
    /// per key column, NULLs allowed. Creates the root on the first insertion.
    ///
    /// Errors: as `leaf_tuple` above (54000, XX000); I/O errors; `XX002` for a damaged
    /// index. Nothing has changed when an error is returned.
    pub fn insert(&self, wal: &Checkpointer, values: &[Datum], tid: ItemPointer) -> Result<()> {
        let item = self.leaf_tuple(values, tid)?;
        let key = SearchKey::insertion(values, tid);
        let (pin, stack) = self
            .descend(&key, Some(wal))?
            .expect("descend creates the root");
        let guard = pin.lock_exclusive();
        self.insert_moving_right(wal, &pin, guard, &key, item, &stack)?;
        Ok(())
    }

    /// Inserts `(values, tid)` into a unique index (`_bt_doinsert` with
    /// `UNIQUE_CHECK_YES`). Before inserting, every entry with an equal key is handed to
    /// `check` (its heap TID), while the first leaf that may hold the key is exclusively
    /// locked (btree rule 6); `check` decides from the heap row's visibility. A key with a
    /// NULL never conflicts (`NULLS DISTINCT`) and is inserted without checking.
    ///
    /// `check` runs with index pages locked: it may read heap pages but must not wait for
    /// other transactions (return [`UniqueCheck::WaitFor`] instead) nor touch this index.
    ///
    /// Errors: as [`BTreeIndex::insert`].
    pub fn insert_unique(
        &self,
        wal: &Checkpointer,
        values: &[Datum],
        tid: ItemPointer,
        mut check: impl FnMut(ItemPointer) -> UniqueCheck,
    ) -> Result<UniqueInsert> {
        if values.iter().any(Datum::is_null) {
            self.insert(wal, values, tid)?;
            return Ok(UniqueInsert::Inserted);
        }
        let item = self.leaf_tuple(values, tid)?;
        let check_key = SearchKey {
            values: values.to_vec(),
            heap_tid: None,
            next_key: false,
        };
        let (leaf, stack) = self
            .descend(&check_key, Some(wal))?
            .expect("descend creates the root");
        let mut pin = leaf;
        let guard = loop {
            let g = pin.lock_exclusive();
            match self.move_right_target(&g, &check_key)? {
                Some(next) => {
                    drop(g);
                    pin = self.read(next)?;
                }
                None => break g,
            }
        };
        if let Some(verdict) = self.check_unique(&pin, &guard, values, &mut check)? {
            return Ok(verdict);
        }
        let key = SearchKey::insertion(values, tid);
        self.insert_moving_right(wal, &pin, guard, &key, item, &stack)?;
        Ok(UniqueInsert::Inserted)
    }

    /// `_bt_check_unique`: visits entries equal to `values` from the locked leaf on (right
    /// siblings under shared locks, one at a time) and returns the first verdict that stops
    /// the insertion.
    fn check_unique(
        &self,
        first_pin: &PinnedBuffer,
        first: &PageWriteGuard<'_>,
        values: &[Datum],
        check: &mut impl FnMut(ItemPointer) -> UniqueCheck,
    ) -> Result<Option<UniqueInsert>> {
        let columns = &self.desc.columns;
        let key = SearchKey {
            values: values.to_vec(),
            heap_tid: None,
            next_key: false,
        };
        // Visits one page; returns the right sibling to continue on, if equal keys may go on.
        let mut visit = |page: &tusk_storage::Page,
                         from: OffsetNumber|
         -> Result<
            std::ops::ControlFlow<Option<UniqueInsert>, Option<BlockNumber>>,
        > {
            use std::ops::ControlFlow;
            for o in from.0..=page.max_offset() {
                let t = tuple_at(page, OffsetNumber(o))?;
                if compare_keys(columns, values, &decode_key(columns, t)?) != Ordering::Equal {
                    return Ok(ControlFlow::Break(None));
                }
                let tid = t.heap_tid().expect("a leaf tuple has a heap TID");
                match check(tid) {
                    UniqueCheck::Conflict => {
                        return Ok(ControlFlow::Break(Some(UniqueInsert::Duplicate {
                            existing: tid,
                        })))
                    }
                    UniqueCheck::WaitFor(xid) => {
                        return Ok(ControlFlow::Break(Some(UniqueInsert::WaitFor(xid))))
                    }
                    UniqueCheck::Ignore => {}
                }
            }
            match high_key(page)? {
                Some(h)
                    if compare_keys(columns, values, &decode_key(columns, h)?)
                        == Ordering::Equal =>
                {
                    Ok(ControlFlow::Continue(opaque(page)?.next))
                }
                _ => Ok(ControlFlow::Break(None)),
            }
        };
        let _ = first_pin;
        let start = self.binsearch(first, &key)?;
        let mut next = match visit(first, start)? {
            std::ops::ControlFlow::Break(verdict) => return Ok(verdict),
            std::ops::ControlFlow::Continue(next) => next,
        };
        while let Some(block) = next {
            let pin = self.read(block)?;
            let page = pin.lock_shared();
            let from = first_data_offset(&opaque(&page)?);
            next = match visit(&page, from)? {
                std::ops::ControlFlow::Break(verdict) => return Ok(verdict),
                std::ops::ControlFlow::Continue(next) => next,
            };
        }
        Ok(None)
    }

    /// Moves right from the exclusively locked `pin` while `key` is at or past the high key
    /// (lock coupling: the right page is locked before the left is released), then inserts
    /// `item` in order (`_bt_findinsertloc`).
    fn insert_moving_right(
        &self,
        wal: &Checkpointer,
        pin: &PinnedBuffer,
        guard: PageWriteGuard<'_>,
        key: &SearchKey,
        item: Vec<u8>,
        stack: &[StackEntry],
    ) -> Result<Lsn> {
        if let Some(next) = self.move_right_target(&guard, key)? {
            let right = self.read(next)?;
            let right_guard = right.lock_exclusive();
            drop(guard);
            return self.insert_moving_right(wal, &right, right_guard, key, item, stack);
        }
        let offset = self.binsearch(&guard, key)?;
        let mut guard = guard;
        let mut cascade = Cascade::default();
        self.insert_on_page(wal, pin, &mut guard, item, offset, stack, &mut cascade)
    }

    /// Inserts `item` at `offset` of the exclusively locked page `pin` (`_bt_insertonpg`),
    /// splitting it and recursing into the parent if it is full. Returns the record's end
    /// LSN after installing this frame's pages.
    #[allow(clippy::too_many_arguments)]
    fn insert_on_page(
        &self,
        wal: &Checkpointer,
        pin: &PinnedBuffer,
        guard: &mut PageWriteGuard<'_>,
        item: Vec<u8>,
        offset: OffsetNumber,
        stack: &[StackEntry],
        cascade: &mut Cascade,
    ) -> Result<Lsn> {
        let o = opaque(guard)?;
        let block = pin.block();
        if guard.free_space() >= maxalign(item.len()) {
            let at = cascade.push(Pending::new(
                guard,
                block,
                vec![BtOp::InsertItem(offset, item)],
            ));
            let info = cascade.info.unwrap_or(if o.is_leaf() {
                XLOG_BTREE_INSERT_LEAF
            } else {
                XLOG_BTREE_INSERT_UPPER
            });
            let lsn = self.log(wal, info, &cascade.pending);
            cascade.pending[at].install(guard, lsn);
            return Ok(lsn);
        }

        // Split (`_bt_split`): plan on copies, then take the other pages of this level.
        let fillfactor = if o.is_leaf() {
            self.desc.fillfactor
        } else {
            BTREE_NONLEAF_FILLFACTOR
        };
        let plan = plan_split(guard, &o, item, offset, fillfactor)?;
        let right_pin = self.new_page()?;
        let mut right_guard = right_pin.lock_exclusive();
        let right_block = right_pin.block();
        let sibling_pin = match o.next {
            Some(b) => Some(self.read(b)?),
            None => None,
        };
        let mut sibling_guard = sibling_pin.as_ref().map(|p| p.lock_exclusive());
        let left_opaque = BtOpaque {
            prev: o.prev,
            next: Some(right_block),
            level: o.level,
            flags: o.flags & !BTP_ROOT,
            cycle_id: 0,
        };
        let right_opaque = BtOpaque {
            prev: Some(block),
            next: o.next,
            ..left_opaque
        };
        let left_at = cascade.push(Pending::new(
            guard,
            block,
            vec![BtOp::Rebuild(left_opaque, plan.left)],
        ));
        let right_at = cascade.push(Pending::new(
            &right_guard,
            right_block,
            vec![BtOp::Rebuild(right_opaque, plan.right)],
        ));
        let sibling_at = match (&sibling_pin, &sibling_guard) {
            (Some(p), Some(g)) => {
                let mut so = opaque(g)?;
                if so.prev != Some(block) {
                    return Err(pg_err!(
                        INDEX_CORRUPTED,
                        "right sibling's left-link doesn't match: block {} links to {} instead of expected {} in index \"{}\"",
                        p.block().0,
                        so.prev.map_or(0, |b| b.0),
                        block.0,
                        self.desc.name
                    ));
                }
                so.prev = Some(right_block);
                Some(cascade.push(Pending::new(g, p.block(), vec![BtOp::SetOpaque(so)])))
            }
            _ => None,
        };
        if cascade.info.is_none() {
            cascade.info = Some(if plan.new_item_left {
                XLOG_BTREE_SPLIT_L
            } else {
                XLOG_BTREE_SPLIT_R
            });
        }
        let first_right = TupleRef::new(&plan.first_right)?;
        let downlink = to_pivot(first_right, Some(right_block));

        let lsn = if o.flags & BTP_ROOT != 0 {
            self.new_root(wal, block, downlink, o.level + 1, cascade)?
        } else {
            self.insert_into_parent(wal, block, o.level, downlink, stack, cascade)?
        };
        cascade.pending[left_at].install(guard, lsn);
        cascade.pending[right_at].install(&mut right_guard, lsn);
        if let (Some(at), Some(g)) = (sibling_at, sibling_guard.as_mut()) {
            cascade.pending[at].install(g, lsn);
        }
        Ok(lsn)
    }

    /// `_bt_insert_parent`: finds and locks the parent of `child` (level `level`) and inserts
    /// the new right sibling's `downlink` just after `child`'s.
    fn insert_into_parent(
        &self,
        wal: &Checkpointer,
        child: BlockNumber,
        level: u32,
        downlink: Vec<u8>,
        stack: &[StackEntry],
        cascade: &mut Cascade,
    ) -> Result<Lsn> {
        // With an empty stack the child was the root when the descent read the metapage;
        // the root split since, so start at the leftmost page of the level above.
        let (start, hint, rest) = match stack.split_last() {
            Some((entry, rest)) => (entry.block, Some(entry.offset), rest),
            None => (self.leftmost_at_level(level + 1)?, None, stack),
        };
        let mut parent = self.read(start)?;
        let mut hint = hint;
        let (mut parent_guard, at) = loop {
            let g = parent.lock_exclusive();
            if let Some(at) = self.find_downlink(&g, child, hint)? {
                break (g, at);
            }
            let next = opaque(&g)?.next.ok_or_else(|| {
                pg_err!(
                    INDEX_CORRUPTED,
                    "failed to re-find parent key in index \"{}\" for split pages {}",
                    self.desc.name,
                    child.0
                )
            })?;
            drop(g);
            parent = self.read(next)?;
            hint = None;
        };
        self.insert_on_page(
            wal,
            &parent,
            &mut parent_guard,
            downlink,
            OffsetNumber(at.0 + 1),
            rest,
            cascade,
        )
    }

    /// `_bt_getstackbuf`'s search of one page: the offset of the item whose downlink is
    /// `child`, looking at `hint` and after it first (items only move right).
    fn find_downlink(
        &self,
        page: &tusk_storage::Page,
        child: BlockNumber,
        hint: Option<OffsetNumber>,
    ) -> Result<Option<OffsetNumber>> {
        let o = opaque(page)?;
        let first = first_data_offset(&o).0;
        let max = page.max_offset();
        let start = hint.map_or(first, |h| h.0.clamp(first, max.max(first)));
        let order = (start..=max).chain(first..start);
        for off in order {
            if tuple_at(page, OffsetNumber(off))?.downlink() == Some(child) {
                return Ok(Some(OffsetNumber(off)));
            }
        }
        Ok(None)
    }

    /// `_bt_newroot`: a new root above the split old root `left`, pointing at it (minus
    /// infinity) and at the new right page (`downlink`), and the metapage pointing at it.
    fn new_root(
        &self,
        wal: &Checkpointer,
        left: BlockNumber,
        downlink: Vec<u8>,
        level: u32,
        cascade: &mut Cascade,
    ) -> Result<Lsn> {
        let root_pin = self.new_page()?;
        let mut root_guard = root_pin.lock_exclusive();
        let meta_pin = self.read(BTREE_METAPAGE)?;
        let mut meta_guard = meta_pin.lock_exclusive();
        let root = root_pin.block();
        let opaque = BtOpaque {
            level,
            flags: BTP_ROOT,
            ..BtOpaque::default()
        };
        debug_assert_eq!(opaque.flags & BTP_LEAF, 0);
        let root_at = cascade.push(Pending::new(
            &root_guard,
            root,
            vec![BtOp::Rebuild(opaque, vec![minus_infinity(left), downlink])],
        ));
        let meta_at = cascade.push(Pending::new(
            &meta_guard,
            BTREE_METAPAGE,
            vec![BtOp::Meta(BtMeta {
                root: Some(root),
                level,
                fast_root: Some(root),
                fast_level: level,
            })],
        ));
        let lsn = self.log(wal, XLOG_BTREE_NEWROOT, &cascade.pending);
        cascade.pending[root_at].install(&mut root_guard, lsn);
        cascade.pending[meta_at].install(&mut meta_guard, lsn);
        Ok(lsn)
    }
}
