//! Choosing where a full page splits (PostgreSQL's `_bt_findsplitloc`, simplified).
//!
//! The page's data items plus the new item, in key order, are cut at one position `s`:
//! items before `s` stay left, the rest move to the new right page. The left page gets a
//! new high key copied from the first right item (as a pivot); the right page keeps the old
//! high key, if any. On an internal page the first right item becomes the right page's
//! minus-infinity item (its key lives on as the left high key and as the parent's new
//! pivot). Both halves must fit; among the cuts that fit, a page that is rightmost on its
//! level leaves the left half `fillfactor` full (ascending insertions then pack pages, as
//! PostgreSQL's rightmost split does), any other page splits evenly by bytes.
//!
//! Entry point: [`plan_split`].

use tusk_storage::page::{maxalign, LINE_POINTER_SIZE, PAGE_HEADER_SIZE};
use tusk_storage::{Page, PAGE_SIZE};
use tusk_types::{pg_err, OffsetNumber, Result};

use super::page::{first_data_offset, items_from, BtOpaque, BT_SPECIAL_SIZE, P_HIKEY};
use super::tuple::{to_minus_infinity, to_pivot, TupleRef};

/// Bytes for items and line pointers on an index page.
pub const USABLE_SPACE: usize = PAGE_SIZE - PAGE_HEADER_SIZE - BT_SPECIAL_SIZE;

/// The two halves of a split page.
#[derive(Debug)]
pub struct SplitPlan {
    /// Items of the left page, high key first.
    pub left: Vec<Vec<u8>>,
    /// Items of the right page: the old high key first if there was one.
    pub right: Vec<Vec<u8>>,
    /// The first item that moved right, before any truncation: the parent's new pivot and
    /// the left high key are made from it.
    pub first_right: Vec<u8>,
    /// True if the new item went to the left page.
    pub new_item_left: bool,
}

fn item_space(len: usize) -> usize {
    maxalign(len) + LINE_POINTER_SIZE
}

/// Plans the split of `page` (special area `opaque`) when `item` is inserted at `offset`.
///
/// Errors: `XX002` if the page does not parse or no cut fits both halves.
pub fn plan_split(
    page: &Page,
    opaque: &BtOpaque,
    item: Vec<u8>,
    offset: OffsetNumber,
    fillfactor: u8,
) -> Result<SplitPlan> {
    let first = first_data_offset(opaque);
    let mut data = items_from(page, first);
    let at = (offset.0 - first.0) as usize;
    assert!(
        at <= data.len(),
        "insertion offset past the end of the page"
    );
    data.insert(at, item);
    let old_high_key = if opaque.is_rightmost() {
        None
    } else {
        Some(
            page.item(P_HIKEY)
                .expect("a non-rightmost page has a high key")
                .to_vec(),
        )
    };
    let leaf = opaque.is_leaf();
    let n = data.len();
    let sizes: Vec<usize> = data.iter().map(|d| item_space(d.len())).collect();
    let total: usize = sizes.iter().sum();
    let old_hikey_space = old_high_key.as_ref().map_or(0, |h| item_space(h.len()));
    let mut best: Option<(usize, usize)> = None;
    let mut left_items = 0;
    for s in 1..n {
        left_items += sizes[s - 1];
        let first_right = TupleRef::new(&data[s])?;
        let hikey_space = item_space(to_pivot(first_right, None).len());
        let left = left_items + hikey_space;
        let right_first = if leaf {
            sizes[s]
        } else {
            item_space(to_minus_infinity(first_right).len())
        };
        let right = total - left_items - sizes[s] + right_first + old_hikey_space;
        if left > USABLE_SPACE || right > USABLE_SPACE {
            continue;
        }
        let goal = if opaque.is_rightmost() {
            USABLE_SPACE * fillfactor as usize / 100
        } else {
            (left + right) / 2
        };
        let distance = left.abs_diff(goal);
        if best.is_none_or(|(_, d)| distance < d) {
            best = Some((s, distance));
        }
    }
    let (s, _) = best.ok_or_else(|| {
        pg_err!(
            INDEX_CORRUPTED,
            "could not find a feasible split point for an index page"
        )
    })?;
    let first_right = data[s].clone();
    let first_right_ref = TupleRef::new(&first_right)?;
    let mut left = Vec::with_capacity(s + 1);
    left.push(to_pivot(first_right_ref, None));
    left.extend(data[..s].iter().cloned());
    let mut right = Vec::with_capacity(n - s + 1);
    right.extend(old_high_key);
    right.push(if leaf {
        first_right.clone()
    } else {
        to_minus_infinity(first_right_ref)
    });
    right.extend(data[s + 1..].iter().cloned());
    Ok(SplitPlan {
        left,
        right,
        first_right,
        new_item_left: at < s,
    })
}
