//! Multirange operators (PostgreSQL docs §9.20, `multirangetypes.c`): containment and
//! overlap with elements, ranges and multiranges, position and adjacency (which look
//! only at the outermost bounds, so they reuse the range operators on the span), union,
//! difference and intersection.
//!
//! Every operand is canonical ([`Multirange::new`]): ranges sorted, disjoint and
//! non-adjacent, which is what lets containment of a range look for one range holding it.

use super::Multirange;
use crate::adt::range::{make_range, ops, Range, RangeBound};
use crate::{Datum, Result};

/// `multirange @> element`.
pub fn contains_element(mr: &Multirange, value: &Datum) -> bool {
    mr.ranges().iter().any(|r| ops::contains_element(r, value))
}

/// `multirange @> range`: the empty range is in every multirange; otherwise one range of
/// the multirange must hold it (they are disjoint and not adjacent).
pub fn contains_range(mr: &Multirange, r: &Range) -> bool {
    r.is_empty() || mr.ranges().iter().any(|m| ops::contains(m, r))
}

/// `range @> multirange`: the range holds the multirange's span.
pub fn range_contains(r: &Range, mr: &Multirange) -> bool {
    mr.is_empty() || ops::contains(r, &mr.span())
}

/// `mr1 @> mr2`: every range of `mr2` lies in one range of `mr1`.
pub fn contains(mr1: &Multirange, mr2: &Multirange) -> bool {
    mr2.ranges().iter().all(|r| contains_range(mr1, r))
}

/// `range && multirange`.
pub fn overlaps_range(mr: &Multirange, r: &Range) -> bool {
    mr.ranges().iter().any(|m| ops::overlaps(m, r))
}

/// `mr1 && mr2`.
pub fn overlaps(mr1: &Multirange, mr2: &Multirange) -> bool {
    mr1.ranges().iter().any(|r| overlaps_range(mr2, r))
}

/// `mr1 + mr2` (`multirange_union`).
pub fn union(mr1: &Multirange, mr2: &Multirange) -> Result<Multirange> {
    let mut all = mr1.ranges().to_vec();
    all.extend_from_slice(mr2.ranges());
    Multirange::new(all)
}

/// The parts of `r` outside `s`: before `s`'s lower bound and after its upper bound.
fn range_minus_split(r: &Range, s: &Range) -> Result<[Range; 2]> {
    let Some((lower, upper)) = s.bounds() else {
        return Ok([r.clone(), Range::Empty]);
    };
    let before = match &lower.value {
        None => Range::Empty,
        Some(v) => ops::intersect(
            r,
            &make_range(
                RangeBound::lower(None, false),
                RangeBound::upper(Some(v.clone()), !lower.inclusive),
            )?,
        )?,
    };
    let after = match &upper.value {
        None => Range::Empty,
        Some(v) => ops::intersect(
            r,
            &make_range(
                RangeBound::lower(Some(v.clone()), !upper.inclusive),
                RangeBound::upper(None, false),
            )?,
        )?,
    };
    Ok([before, after])
}

/// `mr1 - mr2` (`multirange_minus`): the points of `mr1` not in `mr2`.
pub fn minus(mr1: &Multirange, mr2: &Multirange) -> Result<Multirange> {
    let mut pieces = mr1.ranges().to_vec();
    for s in mr2.ranges() {
        let mut next = Vec::with_capacity(pieces.len() + 1);
        for p in &pieces {
            if ops::overlaps(p, s) {
                next.extend(range_minus_split(p, s)?);
            } else {
                next.push(p.clone());
            }
        }
        pieces = next;
    }
    Multirange::new(pieces)
}

/// `mr1 * mr2` (`multirange_intersect`).
pub fn intersect(mr1: &Multirange, mr2: &Multirange) -> Result<Multirange> {
    let mut out = Vec::new();
    for a in mr1.ranges() {
        for b in mr2.ranges() {
            if ops::overlaps(a, b) {
                out.push(ops::intersect(a, b)?);
            }
        }
    }
    Multirange::new(out)
}
