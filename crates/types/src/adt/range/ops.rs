//! Range operators and functions (PostgreSQL docs §9.20, `rangetypes.c`): containment,
//! overlap, position (`<<`, `>>`, `&<`, `&>`), adjacency, union, intersection and
//! difference. All take ranges of one subtype; results are built with [`make_range`].

use std::cmp::Ordering;

use super::{compare_bound_values, compare_bounds, compare_values, make_range, Range, RangeBound};
use crate::{pg_err, Datum, Result};

/// `range @> element` (`range_contains_elem`).
pub fn contains_element(range: &Range, value: &Datum) -> bool {
    let Some((lower, upper)) = range.bounds() else {
        return false;
    };
    if let Some(l) = &lower.value {
        match compare_values(l, value) {
            Ordering::Greater => return false,
            Ordering::Equal if !lower.inclusive => return false,
            _ => {}
        }
    }
    if let Some(u) = &upper.value {
        match compare_values(u, value) {
            Ordering::Less => return false,
            Ordering::Equal if !upper.inclusive => return false,
            _ => {}
        }
    }
    true
}

/// `r1 @> r2` (`range_contains`): every point of `r2` is in `r1`; anything contains the
/// empty range.
pub fn contains(r1: &Range, r2: &Range) -> bool {
    match (r1.bounds(), r2.bounds()) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((l1, u1)), Some((l2, u2))) => {
            compare_bounds(l1, l2) != Ordering::Greater && compare_bounds(u1, u2) != Ordering::Less
        }
    }
}

/// `r1 && r2` (`range_overlaps`).
pub fn overlaps(r1: &Range, r2: &Range) -> bool {
    let (Some((l1, u1)), Some((l2, u2))) = (r1.bounds(), r2.bounds()) else {
        return false;
    };
    (compare_bounds(l1, l2) != Ordering::Less && compare_bounds(l1, u2) != Ordering::Greater)
        || (compare_bounds(l2, l1) != Ordering::Less && compare_bounds(l2, u1) != Ordering::Greater)
}

/// `r1 << r2` (`range_before`): `r1` ends before `r2` starts.
pub fn before(r1: &Range, r2: &Range) -> bool {
    both(r1, r2, |(_, u1), (l2, _)| {
        compare_bounds(u1, l2) == Ordering::Less
    })
}

/// `r1 >> r2` (`range_after`): `r1` starts after `r2` ends.
pub fn after(r1: &Range, r2: &Range) -> bool {
    both(r1, r2, |(l1, _), (_, u2)| {
        compare_bounds(l1, u2) == Ordering::Greater
    })
}

/// `r1 &< r2` (`range_overleft`): `r1` does not extend to the right of `r2`.
pub fn over_left(r1: &Range, r2: &Range) -> bool {
    both(r1, r2, |(_, u1), (_, u2)| {
        compare_bounds(u1, u2) != Ordering::Greater
    })
}

/// `r1 &> r2` (`range_overright`): `r1` does not extend to the left of `r2`.
pub fn over_right(r1: &Range, r2: &Range) -> bool {
    both(r1, r2, |(l1, _), (l2, _)| {
        compare_bounds(l1, l2) != Ordering::Less
    })
}

/// `r1 -|- r2` (`range_adjacent`): the ranges touch without overlapping.
pub fn adjacent(r1: &Range, r2: &Range) -> bool {
    both(r1, r2, |(l1, u1), (l2, u2)| {
        bounds_adjacent(u1, l2) || bounds_adjacent(u2, l1)
    })
}

fn both(
    r1: &Range,
    r2: &Range,
    test: impl Fn((&RangeBound, &RangeBound), (&RangeBound, &RangeBound)) -> bool,
) -> bool {
    match (r1.bounds(), r2.bounds()) {
        (Some(a), Some(b)) => test(a, b),
        _ => false,
    }
}

/// PostgreSQL's `bounds_adjacent`: upper bound `a` and lower bound `b` meet with no point
/// between them (for discrete subtypes: the range between them is empty).
fn bounds_adjacent(a: &RangeBound, b: &RangeBound) -> bool {
    match compare_bound_values(a, b) {
        Ordering::Less => {
            let discrete = matches!(
                a.value.as_ref().or(b.value.as_ref()),
                Some(Datum::Int4(_) | Datum::Int8(_) | Datum::Date(_))
            );
            if !discrete {
                return false;
            }
            let between = make_range(
                RangeBound::lower(a.value.clone(), !a.inclusive),
                RangeBound::upper(b.value.clone(), !b.inclusive),
            );
            matches!(between, Ok(Range::Empty))
        }
        Ordering::Equal => a.inclusive != b.inclusive,
        Ordering::Greater => false,
    }
}

/// `r1 + r2` (`range_union`).
///
/// Errors: 22000 `result of range union would not be contiguous`.
pub fn union(r1: &Range, r2: &Range) -> Result<Range> {
    if !r1.is_empty() && !r2.is_empty() && !overlaps(r1, r2) && !adjacent(r1, r2) {
        return Err(pg_err!(
            DATA_EXCEPTION,
            "result of range union would not be contiguous"
        ));
    }
    merge(r1, r2)
}

/// `range_merge(r1, r2)`: the smallest range containing both (gaps included).
pub fn merge(r1: &Range, r2: &Range) -> Result<Range> {
    let (Some((l1, u1)), Some((l2, u2))) = (r1.bounds(), r2.bounds()) else {
        return Ok(if r1.is_empty() {
            r2.clone()
        } else {
            r1.clone()
        });
    };
    let lower = if compare_bounds(l1, l2) == Ordering::Greater {
        l2
    } else {
        l1
    };
    let upper = if compare_bounds(u1, u2) == Ordering::Less {
        u2
    } else {
        u1
    };
    make_range(lower.clone(), upper.clone())
}

/// `r1 * r2` (`range_intersect`).
pub fn intersect(r1: &Range, r2: &Range) -> Result<Range> {
    let (Some((l1, u1)), Some((l2, u2))) = (r1.bounds(), r2.bounds()) else {
        return Ok(Range::Empty);
    };
    if !overlaps(r1, r2) {
        return Ok(Range::Empty);
    }
    let lower = if compare_bounds(l1, l2) == Ordering::Less {
        l2
    } else {
        l1
    };
    let upper = if compare_bounds(u1, u2) == Ordering::Greater {
        u2
    } else {
        u1
    };
    make_range(lower.clone(), upper.clone())
}

/// `r1 - r2` (`range_minus`).
///
/// Errors: 22000 `result of range difference would not be contiguous` when `r2` lies
/// strictly inside `r1`.
pub fn minus(r1: &Range, r2: &Range) -> Result<Range> {
    let (Some((l1, u1)), Some((l2, u2))) = (r1.bounds(), r2.bounds()) else {
        return Ok(r1.clone());
    };
    let l1l2 = compare_bounds(l1, l2);
    let l1u2 = compare_bounds(l1, u2);
    let u1l2 = compare_bounds(u1, l2);
    let u1u2 = compare_bounds(u1, u2);
    use Ordering::*;
    if l1l2 == Less && u1u2 == Greater {
        return Err(pg_err!(
            DATA_EXCEPTION,
            "result of range difference would not be contiguous"
        ));
    }
    if l1u2 == Greater || u1l2 == Less {
        return Ok(r1.clone());
    }
    if l1l2 != Less && u1u2 != Greater {
        return Ok(Range::Empty);
    }
    if l1l2 != Greater && u1l2 != Less && u1u2 != Greater {
        let upper = RangeBound::upper(l2.value.clone(), !l2.inclusive);
        return make_range(l1.clone(), upper);
    }
    if l1l2 != Less && u1u2 != Less && l1u2 != Greater {
        let lower = RangeBound::lower(u2.value.clone(), !u2.inclusive);
        return make_range(lower, u1.clone());
    }
    Err(crate::Error::internal("unexpected case in range_minus"))
}
