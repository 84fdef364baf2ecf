//! Index scans (PostgreSQL's `btgettuple`, `_bt_first`, `_bt_next`, `_bt_readpage`,
//! `_bt_preprocess_keys`, `_bt_checkkeys`).
//!
//! A scan takes [`ScanKey`]s (`column op value`, ANDed). They are first put in index terms:
//! on a `DESC` column `<` becomes "before in index order", and so on. The start position is
//! built from consecutive columns: `=` keys extend the prefix, the first column with only
//! a lower bound ends it (`>=`: minus infinity after it, `>`: plus infinity). The scan then
//! reads leaf pages left to right, page at a time (btree rule 3): under the page's shared
//! lock every item is tested against all keys, matches are copied out, the right-link is
//! remembered, the lock is dropped. A key is *required* when every earlier column has an
//! `=` key and it is `=` or an upper bound: once an item fails a required key by being
//! beyond it (or is NULL there with NULLs at the end), no later item can match and the scan
//! ends. NULL scan-key values match nothing (the operators are strict).
//!
//! Backward scans mirror this: they start at the last item at or before the upper bound,
//! read each leaf from its end, and move left through `btpo_prev`, walking right from the
//! remembered left sibling if it split meanwhile (`_bt_walk_left`); required keys are then
//! `=` and lower bounds, and NULLs end a required column when they sort first.
//!
//! Entry points: [`BTreeIndex::scan`], [`BTreeIndex::scan_shared`], [`BTreeScan`].

use std::cmp::Ordering;
use std::collections::VecDeque;

use tusk_storage::Page;
use tusk_types::{pg_err, BlockNumber, Datum, Error, ItemPointer, OffsetNumber, Result};

use super::compare::comparable;
use super::key::{IndexColumn, SearchKey};
use super::page::{first_data_offset, opaque, tuple_at, BtOpaque};
use super::tuple::decode_key;
use super::BTreeIndex;

/// A B-tree operator strategy (`BTLessStrategyNumber` .. `BTGreaterStrategyNumber`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScanStrategy {
    /// `<` (strategy 1).
    Less,
    /// `<=` (strategy 2).
    LessEqual,
    /// `=` (strategy 3).
    Equal,
    /// `>=` (strategy 4).
    GreaterEqual,
    /// `>` (strategy 5).
    Greater,
}

impl ScanStrategy {
    /// The strategy with its operands' order in the index reversed (`DESC` columns).
    fn commute(self) -> ScanStrategy {
        match self {
            ScanStrategy::Less => ScanStrategy::Greater,
            ScanStrategy::LessEqual => ScanStrategy::GreaterEqual,
            ScanStrategy::Equal => ScanStrategy::Equal,
            ScanStrategy::GreaterEqual => ScanStrategy::LessEqual,
            ScanStrategy::Greater => ScanStrategy::Less,
        }
    }

    /// True if `ordering` (index value compared with the key value) satisfies it.
    fn holds(self, ordering: Ordering) -> bool {
        match self {
            ScanStrategy::Less => ordering == Ordering::Less,
            ScanStrategy::LessEqual => ordering != Ordering::Greater,
            ScanStrategy::Equal => ordering == Ordering::Equal,
            ScanStrategy::GreaterEqual => ordering != Ordering::Less,
            ScanStrategy::Greater => ordering == Ordering::Greater,
        }
    }
}

/// One scan condition: `column strategy value` (`ScanKeyData`).
#[derive(Clone, Debug, PartialEq)]
pub struct ScanKey {
    /// 0-based key column of the index.
    pub column: usize,
    /// The operator.
    pub strategy: ScanStrategy,
    /// The comparison value; NULL matches nothing.
    pub value: Datum,
}

/// Scan direction (`ScanDirection`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScanDirection {
    /// Index order.
    Forward,
    /// Reverse index order.
    Backward,
}

/// One entry returned by a scan: the heap TID and the key (for index-only scans).
#[derive(Clone, Debug, PartialEq)]
pub struct IndexEntry {
    /// The heap row.
    pub tid: ItemPointer,
    /// The key values, one per index column.
    pub key: Vec<Datum>,
}

/// A key in index terms.
#[derive(Clone, Debug)]
struct PreparedKey {
    column: usize,
    /// Strategy in index order (commuted on DESC columns).
    strategy: ScanStrategy,
    value: Datum,
    required: bool,
}

/// The index a scan reads: borrowed, or shared so that the scan owns it
/// ([`BTreeIndex::scan_shared`]).
enum ScannedIndex<'i> {
    Borrowed(&'i BTreeIndex),
    Shared(std::sync::Arc<BTreeIndex>),
}

impl std::ops::Deref for ScannedIndex<'_> {
    type Target = BTreeIndex;

    fn deref(&self) -> &BTreeIndex {
        match self {
            ScannedIndex::Borrowed(index) => index,
            ScannedIndex::Shared(index) => index,
        }
    }
}

/// An index scan (see [`BTreeIndex::scan`]); yields `Result<IndexEntry>` in index order
/// (or reversed).
pub struct BTreeScan<'i> {
    index: ScannedIndex<'i>,
    keys: Vec<PreparedKey>,
    start: SearchKey,
    backward: bool,
    started: bool,
    /// Forward: the right sibling of the last leaf read.
    next_block: Option<BlockNumber>,
    /// Backward: the left sibling of the last leaf read, and that leaf.
    left: Option<(BlockNumber, BlockNumber)>,
    done: bool,
    buffer: VecDeque<IndexEntry>,
}

impl std::fmt::Debug for BTreeScan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BTreeScan")
            .field("keys", &self.keys)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Index-order comparison of an item value with a key value, NULL items handled by the
/// caller.
fn index_order(column: &IndexColumn, item: &Datum, key: &Datum) -> Ordering {
    column.compare(item, key)
}

impl BTreeIndex {
    /// Starts a scan for entries satisfying every key (`btbeginscan` + `btrescan`).
    ///
    /// Errors: `XX000` for a key on a column the index does not have; `0A000` when a key's
    /// value cannot be compared with its column by the column's operator family (the planner
    /// casts first). I/O errors surface from the iterator.
    pub fn scan(&self, keys: &[ScanKey], direction: ScanDirection) -> Result<BTreeScan<'_>> {
        self.begin_scan(ScannedIndex::Borrowed(self), keys, direction)
    }

    /// [`BTreeIndex::scan`] of a shared index, the scan holding a reference to it (so it
    /// may outlive the caller's borrow).
    ///
    /// Errors: as [`BTreeIndex::scan`].
    pub fn scan_shared(
        index: &std::sync::Arc<BTreeIndex>,
        keys: &[ScanKey],
        direction: ScanDirection,
    ) -> Result<BTreeScan<'static>> {
        index.begin_scan(ScannedIndex::Shared(index.clone()), keys, direction)
    }

    fn begin_scan<'i>(
        &self,
        handle: ScannedIndex<'i>,
        keys: &[ScanKey],
        direction: ScanDirection,
    ) -> Result<BTreeScan<'i>> {
        let columns = &self.desc.columns;
        let mut prepared = Vec::with_capacity(keys.len());
        let mut impossible = false;
        for k in keys {
            let column = columns.get(k.column).ok_or_else(|| {
                Error::internal(format!(
                    "scan key on column {} of index \"{}\" with {} columns",
                    k.column + 1,
                    self.desc.name,
                    columns.len()
                ))
            })?;
            if k.value.is_null() {
                impossible = true;
                continue;
            }
            if !comparable(column.type_oid, &k.value) {
                return Err(Error::feature_not_supported(format!(
                    "comparing index column \"{}\" with a value of another type family",
                    column.name
                )));
            }
            prepared.push(PreparedKey {
                column: k.column,
                strategy: if column.descending {
                    k.strategy.commute()
                } else {
                    k.strategy
                },
                value: k.value.clone(),
                required: false,
            });
        }
        prepared.sort_by_key(|k| k.column);
        let backward = direction == ScanDirection::Backward;
        // Bounds that end the scan in its direction, and bounds that position it.
        let (ending, starting): (&[ScanStrategy], &[ScanStrategy]) = if backward {
            (
                &[ScanStrategy::Greater, ScanStrategy::GreaterEqual],
                &[ScanStrategy::Less, ScanStrategy::LessEqual],
            )
        } else {
            (
                &[ScanStrategy::Less, ScanStrategy::LessEqual],
                &[ScanStrategy::Greater, ScanStrategy::GreaterEqual],
            )
        };
        // Required keys and the start position (`_bt_preprocess_keys`, `_bt_first`).
        let mut start = SearchKey::first();
        start.next_key = backward;
        let mut prefix_open = true;
        for col in 0..columns.len() {
            let on_col: Vec<usize> = (0..prepared.len())
                .filter(|&i| prepared[i].column == col)
                .collect();
            for &i in &on_col {
                let s = prepared[i].strategy;
                prepared[i].required = s == ScanStrategy::Equal || ending.contains(&s);
            }
            if prefix_open {
                if let Some(&i) = on_col
                    .iter()
                    .find(|&&i| prepared[i].strategy == ScanStrategy::Equal)
                {
                    start.values.push(prepared[i].value.clone());
                    continue;
                }
                if let Some(&i) = on_col
                    .iter()
                    .find(|&&i| starting.contains(&prepared[i].strategy))
                {
                    start.values.push(prepared[i].value.clone());
                    // Forward: `>` starts after the value. Backward: `<=` starts after it
                    // (then steps back), `<` before it.
                    start.next_key = matches!(
                        prepared[i].strategy,
                        ScanStrategy::Greater | ScanStrategy::LessEqual
                    );
                }
                prefix_open = false;
            }
            if !on_col
                .iter()
                .any(|&i| prepared[i].strategy == ScanStrategy::Equal)
            {
                // Keys on later columns stay not required.
                break;
            }
        }
        Ok(BTreeScan {
            index: handle,
            keys: prepared,
            start,
            backward,
            started: false,
            next_block: None,
            left: None,
            done: impossible,
            buffer: VecDeque::new(),
        })
    }
}

/// What testing an item against the keys says.
enum Verdict {
    Match,
    Skip,
    End,
}

impl BTreeScan<'_> {
    /// `_bt_checkkeys`: tests an item's key values against every scan key.
    fn check(&self, key_values: &[Datum]) -> Verdict {
        let columns = &self.index.desc.columns;
        for k in &self.keys {
            let column = &columns[k.column];
            let value = &key_values[k.column];
            if value.is_null() {
                // NULLs never satisfy a strict operator; they sit at one end of the column.
                let nulls_ahead = column.nulls_first == self.backward;
                if k.required && nulls_ahead {
                    return Verdict::End;
                }
                return Verdict::Skip;
            }
            let ord = index_order(column, value, &k.value);
            if !k.strategy.holds(ord) {
                // Past the range in the scan's direction: a failed ending bound, or `=`
                // with the item beyond the value.
                let beyond = if self.backward {
                    ord == Ordering::Less
                        || matches!(
                            k.strategy,
                            ScanStrategy::Greater | ScanStrategy::GreaterEqual
                        )
                } else {
                    ord == Ordering::Greater
                        || matches!(k.strategy, ScanStrategy::Less | ScanStrategy::LessEqual)
                };
                if k.required && beyond {
                    return Verdict::End;
                }
                return Verdict::Skip;
            }
        }
        Verdict::Match
    }

    /// Tests items `range` of a locked leaf in scan order and buffers the matches
    /// (`_bt_readpage`); false once the scan has ended.
    fn collect(&mut self, page: &Page, range: std::ops::Range<u16>) -> Result<bool> {
        let columns = &self.index.desc.columns;
        let offsets: Box<dyn Iterator<Item = u16>> = if self.backward {
            Box::new(range.rev())
        } else {
            Box::new(range)
        };
        for off in offsets {
            let t = tuple_at(page, OffsetNumber(off))?;
            let key = decode_key(columns, t)?;
            match self.check(&key) {
                Verdict::Match => self.buffer.push_back(IndexEntry {
                    tid: t.heap_tid().expect("a leaf tuple has a heap TID"),
                    key,
                }),
                Verdict::Skip => {}
                Verdict::End => {
                    self.done = true;
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    fn check_leaf(&self, page: &Page, block: BlockNumber) -> Result<BtOpaque> {
        let o = opaque(page)?;
        if !o.is_leaf() {
            return Err(pg_err!(
                INDEX_CORRUPTED,
                "sibling link of a leaf in index \"{}\" leads to non-leaf block {}",
                self.index.desc.name,
                block.0
            ));
        }
        Ok(o)
    }

    /// Reads the leaf where the scan starts; returns the right sibling instead if a split
    /// moved the start position there after the descent.
    fn read_first(&mut self, block: BlockNumber) -> Result<Option<BlockNumber>> {
        let pin = self.index.read(block)?;
        let page = pin.lock_shared();
        let o = self.check_leaf(&page, block)?;
        if let Some(next) = self.index.move_right_target(&page, &self.start)? {
            return Ok(Some(next));
        }
        // First item after the start key: forward scans begin there, backward scans just
        // before it.
        let at = self.index.binsearch(&page, &self.start)?.0;
        let first = first_data_offset(&o).0;
        let range = if self.backward {
            first..at
        } else {
            at..page.max_offset() + 1
        };
        if self.collect(&page, range)? {
            self.set_next(&o, block);
        }
        Ok(None)
    }

    /// Remembers where to continue after leaf `block`.
    fn set_next(&mut self, o: &BtOpaque, block: BlockNumber) {
        if self.backward {
            self.left = o.prev.map(|left| (left, block));
            self.done = o.prev.is_none();
        } else {
            self.next_block = o.next;
            self.done = o.next.is_none();
        }
    }

    /// Reads the next leaf in scan order (`_bt_steppage`). Moving left, the remembered left
    /// sibling may have split since: walk right from it to the page whose right-link is the
    /// page just read (`_bt_walk_left`; pages are never deleted, so the walk ends there).
    fn read_next(&mut self) -> Result<()> {
        if !self.backward {
            let Some(block) = self.next_block.take() else {
                self.done = true;
                return Ok(());
            };
            let pin = self.index.read(block)?;
            let page = pin.lock_shared();
            let o = self.check_leaf(&page, block)?;
            let first = first_data_offset(&o).0;
            if self.collect(&page, first..page.max_offset() + 1)? {
                self.set_next(&o, block);
            }
            return Ok(());
        }
        let Some((mut block, from)) = self.left.take() else {
            self.done = true;
            return Ok(());
        };
        loop {
            let pin = self.index.read(block)?;
            let page = pin.lock_shared();
            let o = self.check_leaf(&page, block)?;
            match o.next {
                Some(next) if next == from => {
                    let first = first_data_offset(&o).0;
                    if self.collect(&page, first..page.max_offset() + 1)? {
                        self.set_next(&o, block);
                    }
                    return Ok(());
                }
                Some(next) => block = next,
                None => {
                    return Err(pg_err!(
                        INDEX_CORRUPTED,
                        "could not find left sibling of block {} in index \"{}\"",
                        from.0,
                        self.index.desc.name
                    ))
                }
            }
        }
    }

    /// Reads the next page with matches or ends the scan.
    fn advance(&mut self) -> Result<()> {
        if self.started {
            return self.read_next();
        }
        self.started = true;
        let Some((pin, _)) = self.index.descend(&self.start, None)? else {
            self.done = true;
            return Ok(());
        };
        let mut block = pin.block();
        drop(pin);
        while let Some(next) = self.read_first(block)? {
            block = next;
        }
        Ok(())
    }
}

impl Iterator for BTreeScan<'_> {
    type Item = Result<IndexEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(entry) = self.buffer.pop_front() {
                return Some(Ok(entry));
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.advance() {
                self.done = true;
                self.next_block = None;
                return Some(Err(e));
            }
        }
    }
}
