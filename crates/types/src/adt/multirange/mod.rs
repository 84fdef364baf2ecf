//! Multirange values (PostgreSQL's `multirangetypes.c`, docs §8.17.1 and §9.20):
//! `int4multirange`, `int8multirange`, `nummultirange`, `datemultirange`, `tsmultirange`,
//! `tstzmultirange`.
//!
//! A [`Multirange`] is an ordered list of non-empty, pairwise disjoint and non-adjacent
//! ranges of one range type. [`Multirange::new`] is PostgreSQL's
//! `multirange_canonicalize`: it drops empty ranges, sorts the rest by
//! [`Range::range_cmp`] and merges those that overlap or touch, so equal sets of points
//! have equal values and comparisons can walk the lists.
//!
//! ```text
//!   input  {[5,7), empty, [1,3), [2,4), [7,8)}
//!   sorted {[1,3), [2,4), [5,7), [7,8)}
//!   merged {[1,4), [5,8)}
//! ```
//!
//! Entry points: [`Multirange::new`], [`Multirange::multirange_cmp`],
//! [`multirange_range_type`], [`range_multirange_type`]; the text form in [`text`]; the
//! operators in [`ops`].
//!
//! See also: [`crate::adt::range`] (the ranges themselves), `executor::io` (text and
//! binary I/O), `executor::builtins::multirange` (SQL functions and operators).

pub mod ops;
pub mod text;

#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use crate::adt::range::{self, Range, RangeBound};
use crate::{type_oid, Oid, Result};

pub use text::parse_multirange;

/// Multirange type OID and its range type (`pg_range.rngmultitypid`), for the built-in
/// multirange types.
const BUILTIN_MULTIRANGES: &[(Oid, Oid)] = &[
    (type_oid::INT4MULTIRANGE, type_oid::INT4RANGE),
    (type_oid::NUMMULTIRANGE, type_oid::NUMRANGE),
    (type_oid::TSMULTIRANGE, type_oid::TSRANGE),
    (type_oid::TSTZMULTIRANGE, type_oid::TSTZRANGE),
    (type_oid::DATEMULTIRANGE, type_oid::DATERANGE),
    (type_oid::INT8MULTIRANGE, type_oid::INT8RANGE),
];

/// The range type of a built-in multirange type, `None` for other types.
pub fn multirange_range_type(multirange_type: Oid) -> Option<Oid> {
    BUILTIN_MULTIRANGES
        .iter()
        .find(|(m, _)| *m == multirange_type)
        .map(|(_, r)| *r)
}

/// The built-in multirange type over the range type `range_type`, `None` if there is none.
pub fn range_multirange_type(range_type: Oid) -> Option<Oid> {
    BUILTIN_MULTIRANGES
        .iter()
        .find(|(_, r)| *r == range_type)
        .map(|(m, _)| *m)
}

/// The subtype of a built-in multirange type's ranges.
pub fn multirange_subtype(multirange_type: Oid) -> Option<Oid> {
    multirange_range_type(multirange_type).and_then(range::range_subtype)
}

/// A multirange value in canonical form (see the module header).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Multirange {
    ranges: Vec<Range>,
}

impl Multirange {
    /// The empty multirange `{}`.
    pub fn empty() -> Multirange {
        Multirange { ranges: Vec::new() }
    }

    /// The canonical multirange of `ranges` (PostgreSQL's `multirange_canonicalize`).
    ///
    /// Errors: those of [`range::make_range`] when merging discrete ranges (none in
    /// practice: merged bounds are bounds of the inputs).
    pub fn new(mut ranges: Vec<Range>) -> Result<Multirange> {
        ranges.retain(|r| !r.is_empty());
        ranges.sort_by(Range::range_cmp);
        let mut out: Vec<Range> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match out.last_mut() {
                Some(last) if !range::ops::before(last, &r) || range::ops::adjacent(last, &r) => {
                    *last = range::ops::merge(last, &r)?;
                }
                _ => out.push(r),
            }
        }
        Ok(Multirange { ranges: out })
    }

    /// The ranges, in order.
    pub fn ranges(&self) -> &[Range] {
        &self.ranges
    }

    /// True for the empty multirange.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The lower bound of the first range and the upper bound of the last, `None` when
    /// empty.
    pub fn span_bounds(&self) -> Option<(&RangeBound, &RangeBound)> {
        let (first, _) = self.ranges.first()?.bounds()?;
        let (_, last) = self.ranges.last()?.bounds()?;
        Some((first, last))
    }

    /// The smallest range containing every range (`range_merge(anymultirange)`), the
    /// empty range for the empty multirange.
    pub fn span(&self) -> Range {
        match self.span_bounds() {
            None => Range::Empty,
            Some((lower, upper)) => Range::Bounds {
                lower: lower.clone(),
                upper: upper.clone(),
            },
        }
    }

    /// PostgreSQL's `multirange_cmp` (the btree order): range by range, a shorter
    /// multirange sorting before a longer one it is a prefix of (so `{}` sorts first).
    pub fn multirange_cmp(&self, other: &Multirange) -> Ordering {
        for (a, b) in self.ranges.iter().zip(&other.ranges) {
            let c = a.range_cmp(b);
            if c != Ordering::Equal {
                return c;
            }
        }
        self.ranges.len().cmp(&other.ranges.len())
    }
}
