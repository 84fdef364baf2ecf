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
//! Backward scans read the range forward and return it reversed (PostgreSQL walks left;
//! this keeps the scan's whole result in memory and is correct but not lazy).
//!
//! Entry points: [`BTreeIndex::scan`], [`BTreeScan`].

use std::cmp::Ordering;
use std::collections::VecDeque;

use tusk_types::{pg_err, BlockNumber, Datum, Error, ItemPointer, OffsetNumber, Result};

use super::compare::comparable;
use super::key::{IndexColumn, SearchKey};
use super::page::{first_data_offset, opaque, tuple_at};
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

/// An index scan (see [`BTreeIndex::scan`]); yields `Result<IndexEntry>` in index order
/// (or reversed).
pub struct BTreeScan<'i> {
    index: &'i BTreeIndex,
    keys: Vec<PreparedKey>,
    start: SearchKey,
    started: bool,
    next_block: Option<BlockNumber>,
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
        // Required keys and the start position.
        let mut start = SearchKey::first();
        let mut prefix_open = true;
        for col in 0..columns.len() {
            let on_col: Vec<usize> = (0..prepared.len())
                .filter(|&i| prepared[i].column == col)
                .collect();
            for &i in &on_col {
                prepared[i].required = matches!(
                    prepared[i].strategy,
                    ScanStrategy::Equal | ScanStrategy::Less | ScanStrategy::LessEqual
                );
            }
            if prefix_open {
                if let Some(&i) = on_col
                    .iter()
                    .find(|&&i| prepared[i].strategy == ScanStrategy::Equal)
                {
                    start.values.push(prepared[i].value.clone());
                    continue;
                }
                if let Some(&i) = on_col.iter().find(|&&i| {
                    matches!(
                        prepared[i].strategy,
                        ScanStrategy::Greater | ScanStrategy::GreaterEqual
                    )
                }) {
                    start.values.push(prepared[i].value.clone());
                    start.next_key = prepared[i].strategy == ScanStrategy::Greater;
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
        let mut scan = BTreeScan {
            index: self,
            keys: prepared,
            start,
            started: false,
            next_block: None,
            done: impossible,
            buffer: VecDeque::new(),
        };
        if direction == ScanDirection::Backward && !scan.done {
            let mut all: Vec<IndexEntry> = Vec::new();
            for entry in scan.by_ref() {
                all.push(entry?);
            }
            all.reverse();
            return Ok(BTreeScan {
                index: self,
                keys: Vec::new(),
                start: SearchKey::first(),
                started: true,
                next_block: None,
                done: true,
                buffer: all.into(),
            });
        }
        Ok(scan)
    }
}

/// What testing an item against the keys says.
enum Verdict {
    Match,
    Skip,
    End,
}

impl BTreeScan<'_> {
    fn check(&self, key_values: &[Datum]) -> Verdict {
        let columns = &self.index.desc.columns;
        for k in &self.keys {
            let column = &columns[k.column];
            let value = &key_values[k.column];
            if value.is_null() {
                // NULLs never satisfy a strict operator; they sit at one end of the column.
                if k.required && !column.nulls_first {
                    return Verdict::End;
                }
                return Verdict::Skip;
            }
            let ord = index_order(column, value, &k.value);
            if !k.strategy.holds(ord) {
                // A failed upper bound, or `=` with the item past the value: beyond the range.
                let beyond = ord == Ordering::Greater
                    || matches!(k.strategy, ScanStrategy::Less | ScanStrategy::LessEqual);
                if k.required && beyond {
                    return Verdict::End;
                }
                return Verdict::Skip;
            }
        }
        Verdict::Match
    }

    /// Reads the matches of one leaf page (`_bt_readpage`). On the first page, returns
    /// the right sibling instead if a split moved the start position there.
    fn read_page(&mut self, block: BlockNumber, first: bool) -> Result<Option<BlockNumber>> {
        let pin = self.index.read(block)?;
        let page = pin.lock_shared();
        let o = opaque(&page)?;
        if !o.is_leaf() {
            return Err(pg_err!(
                INDEX_CORRUPTED,
                "right-link of a leaf in index \"{}\" leads to non-leaf block {}",
                self.index.desc.name,
                block.0
            ));
        }
        let from = if first {
            if let Some(next) = self.index.move_right_target(&page, &self.start)? {
                return Ok(Some(next));
            }
            self.index.binsearch(&page, &self.start)?
        } else {
            first_data_offset(&o)
        };
        let columns = &self.index.desc.columns;
        for off in from.0..=page.max_offset() {
            let t = tuple_at(&page, OffsetNumber(off))?;
            let key = decode_key(columns, t)?;
            match self.check(&key) {
                Verdict::Match => self.buffer.push_back(IndexEntry {
                    tid: t.heap_tid().expect("a leaf tuple has a heap TID"),
                    key,
                }),
                Verdict::Skip => {}
                Verdict::End => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
        self.next_block = o.next;
        self.done = o.next.is_none();
        Ok(None)
    }

    /// Reads the next page with matches or ends the scan.
    fn advance(&mut self) -> Result<()> {
        if !self.started {
            self.started = true;
            let Some((pin, _)) = self.index.descend(&self.start, None)? else {
                self.done = true;
                return Ok(());
            };
            let mut block = pin.block();
            drop(pin);
            while let Some(next) = self.read_page(block, true)? {
                block = next;
            }
            return Ok(());
        }
        match self.next_block.take() {
            Some(block) => self.read_page(block, false).map(|_| ()),
            None => {
                self.done = true;
                Ok(())
            }
        }
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
