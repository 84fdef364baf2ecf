//! Range values (PostgreSQL's `rangetypes.c`, docs §8.17 "Range Types"): `int4range`,
//! `int8range`, `numrange`, `daterange`, `tsrange`, `tstzrange`.
//!
//! A [`Range`] is either empty or a pair of [`RangeBound`]s, each finite (a subtype value,
//! inclusive or exclusive) or infinite. Bound values are `Datum`s of the subtype's
//! representation (`Int4`, `Int8`, `Numeric`, `Date`, `Timestamp`, `TimestampTz`), so a
//! range compares and canonicalises without knowing its SQL type.
//!
//! Invariants, kept by [`make_range`] (PostgreSQL's `make_range`/`range_serialize`):
//! - lower <= upper (else 22000), and a range with no points is [`Range::Empty`];
//! - infinite bounds are exclusive (`'[,5]'` is `(,5]`);
//! - discrete subtypes (`int4`, `int8`, `date`) are canonical: `[lower, upper)`.
//!
//! Entry points: [`make_range`], [`Range::range_cmp`], [`range_subtype`], [`range_type_of`];
//! text form in [`text`] ([`parse_range`], [`quote_bound`]); operators in [`ops`].
//!
//! See also: `executor::io` (input and output through the subtype's functions),
//! `executor::builtins::range` (SQL functions and operators).

pub mod ops;
pub mod text;

#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use crate::{pg_err, type_oid, Datum, Oid, Result};

pub use text::{parse_range, quote_bound, RangeText};

/// One bound of a range (PostgreSQL's `RangeBound`).
#[derive(Clone, Debug, PartialEq)]
pub struct RangeBound {
    /// The bound's value; `None` for an infinite bound.
    pub value: Option<Datum>,
    /// Whether the value itself belongs to the range (always false when infinite).
    pub inclusive: bool,
    /// True for a lower bound, false for an upper one.
    pub lower: bool,
}

impl RangeBound {
    /// A lower bound at `value` (`None`: -infinity).
    pub fn lower(value: Option<Datum>, inclusive: bool) -> RangeBound {
        RangeBound {
            value,
            inclusive,
            lower: true,
        }
    }

    /// An upper bound at `value` (`None`: +infinity).
    pub fn upper(value: Option<Datum>, inclusive: bool) -> RangeBound {
        RangeBound {
            value,
            inclusive,
            lower: false,
        }
    }

    /// True for an infinite bound.
    pub fn is_infinite(&self) -> bool {
        self.value.is_none()
    }
}

/// A range value.
#[derive(Clone, Debug, PartialEq)]
pub enum Range {
    /// The range with no points (`'empty'`).
    Empty,
    /// A range between two bounds (`lower.lower` is true, `upper.lower` false).
    Bounds {
        /// The lower bound.
        lower: RangeBound,
        /// The upper bound.
        upper: RangeBound,
    },
}

/// Range type OID, subtype OID, and whether the subtype is discrete (has a canonical
/// function), for the built-in range types (`pg_range`).
const BUILTIN_RANGES: &[(Oid, Oid, bool)] = &[
    (type_oid::INT4RANGE, type_oid::INT4, true),
    (type_oid::INT8RANGE, type_oid::INT8, true),
    (type_oid::NUMRANGE, type_oid::NUMERIC, false),
    (type_oid::DATERANGE, type_oid::DATE, true),
    (type_oid::TSRANGE, type_oid::TIMESTAMP, false),
    (type_oid::TSTZRANGE, type_oid::TIMESTAMPTZ, false),
];

/// The subtype of a built-in range type (`pg_range.rngsubtype`), `None` for other types.
pub fn range_subtype(range_type: Oid) -> Option<Oid> {
    BUILTIN_RANGES
        .iter()
        .find(|(r, _, _)| *r == range_type)
        .map(|(_, s, _)| *s)
}

/// The built-in range type over `subtype`, `None` if there is none.
pub fn range_type_of(subtype: Oid) -> Option<Oid> {
    BUILTIN_RANGES
        .iter()
        .find(|(_, s, _)| *s == subtype)
        .map(|(r, _, _)| *r)
}

/// True if a user-defined range type (CREATE TYPE ... AS RANGE) may have `subtype`:
/// a type whose values [`compare_values`] orders as its default B-tree class does
/// (text bytewise, the C collation) and that is not discrete.
pub fn user_range_subtype_supported(subtype: Oid) -> bool {
    matches!(
        subtype,
        type_oid::TEXT
            | type_oid::VARCHAR
            | type_oid::INT2
            | type_oid::FLOAT4
            | type_oid::FLOAT8
            | type_oid::NUMERIC
            | type_oid::TIME
            | type_oid::TIMESTAMP
            | type_oid::TIMESTAMPTZ
    )
}

/// Compares two finite bound values of one subtype (the subtype's btree order).
pub fn compare_values(a: &Datum, b: &Datum) -> Ordering {
    match (a, b) {
        (Datum::Int4(x), Datum::Int4(y)) | (Datum::Date(x), Datum::Date(y)) => x.cmp(y),
        (Datum::Int8(x), Datum::Int8(y))
        | (Datum::Time(x), Datum::Time(y))
        | (Datum::Timestamp(x), Datum::Timestamp(y))
        | (Datum::TimestampTz(x), Datum::TimestampTz(y)) => x.cmp(y),
        (Datum::Int2(x), Datum::Int2(y)) => x.cmp(y),
        (Datum::Numeric(x), Datum::Numeric(y)) => x.cmp(y),
        (Datum::Text(x), Datum::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Datum::Float4(x), Datum::Float4(y)) => {
            crate::adt::float::float8_cmp(f64::from(*x), f64::from(*y))
        }
        (Datum::Float8(x), Datum::Float8(y)) => crate::adt::float::float8_cmp(*x, *y),
        _ => {
            debug_assert!(false, "range bounds of different subtypes: {a:?} {b:?}");
            Ordering::Equal
        }
    }
}

/// PostgreSQL's `range_cmp_bounds`: orders bounds as points on the line, where an
/// exclusive lower bound lies just after its value and an exclusive upper bound just
/// before it.
pub fn compare_bounds(b1: &RangeBound, b2: &RangeBound) -> Ordering {
    let by_value = compare_bound_values(b1, b2);
    if by_value != Ordering::Equal || b1.value.is_none() {
        return by_value;
    }
    // Equal finite values: an exclusive bound lies just inside its side.
    let side = |lower: bool| {
        if lower {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    };
    match (b1.inclusive, b2.inclusive) {
        (false, false) if b1.lower == b2.lower => Ordering::Equal,
        (false, _) => side(b1.lower).reverse(),
        (_, false) => side(b2.lower),
        (true, true) => Ordering::Equal,
    }
}

/// PostgreSQL's `range_cmp_bound_values`: compares only the bounds' values (infinite
/// bounds at their ends), ignoring inclusivity.
pub fn compare_bound_values(b1: &RangeBound, b2: &RangeBound) -> Ordering {
    let side = |lower: bool| {
        if lower {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    };
    match (&b1.value, &b2.value) {
        (None, None) if b1.lower == b2.lower => Ordering::Equal,
        (None, _) => side(b1.lower),
        (_, None) => side(b2.lower).reverse(),
        (Some(v1), Some(v2)) => compare_values(v1, v2),
    }
}

/// Builds a range from two bounds as PostgreSQL's `make_range` does: infinite bounds
/// become exclusive, equal values with a non-inclusive side make the empty range, and
/// discrete subtypes are canonicalised to `[lower, upper)`.
///
/// Errors: 22000 `range lower bound must be less than or equal to range upper bound`;
/// 22003 `integer out of range` / `bigint out of range` and 22008 `date out of range` when
/// canonicalising steps past the subtype's end.
pub fn make_range(lower: RangeBound, upper: RangeBound) -> Result<Range> {
    let range = serialize(lower, upper)?;
    match range {
        Range::Bounds { lower, upper } if is_discrete(&lower, &upper) => {
            let lower = canonical_bound(lower)?;
            let upper = canonical_bound(upper)?;
            serialize(lower, upper)
        }
        other => Ok(other),
    }
}

/// PostgreSQL's `range_serialize` checks: order of the bounds and emptiness.
fn serialize(mut lower: RangeBound, mut upper: RangeBound) -> Result<Range> {
    lower.lower = true;
    upper.lower = false;
    if lower.value.is_none() {
        lower.inclusive = false;
    }
    if upper.value.is_none() {
        upper.inclusive = false;
    }
    if let (Some(l), Some(u)) = (&lower.value, &upper.value) {
        match compare_values(l, u) {
            Ordering::Greater => {
                return Err(pg_err!(
                    DATA_EXCEPTION,
                    "range lower bound must be less than or equal to range upper bound"
                ))
            }
            Ordering::Equal if !(lower.inclusive && upper.inclusive) => return Ok(Range::Empty),
            _ => {}
        }
    }
    Ok(Range::Bounds { lower, upper })
}

/// True when the bounds' subtype is discrete (`int4`, `int8`, `date`).
fn is_discrete(lower: &RangeBound, upper: &RangeBound) -> bool {
    let value = lower.value.as_ref().or(upper.value.as_ref());
    matches!(
        value,
        Some(Datum::Int4(_) | Datum::Int8(_) | Datum::Date(_))
    )
}

/// `int4range_canonical` and friends for one bound: an exclusive lower bound and an
/// inclusive upper bound move one step up. Infinite dates stay as they are.
fn canonical_bound(bound: RangeBound) -> Result<RangeBound> {
    let step = bound.lower != bound.inclusive;
    let Some(value) = bound.value.as_ref().filter(|_| step) else {
        return Ok(bound);
    };
    let next = match value {
        Datum::Int4(v) => Datum::Int4(
            v.checked_add(1)
                .ok_or_else(|| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"))?,
        ),
        Datum::Int8(v) => Datum::Int8(
            v.checked_add(1)
                .ok_or_else(|| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range"))?,
        ),
        Datum::Date(v) if *v == i32::MIN || *v == i32::MAX => return Ok(bound),
        Datum::Date(v) => Datum::Date(
            v.checked_add(1)
                .filter(|d| *d < i32::MAX)
                .ok_or_else(|| pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "date out of range"))?,
        ),
        _ => return Ok(bound),
    };
    Ok(RangeBound {
        value: Some(next),
        inclusive: bound.lower,
        lower: bound.lower,
    })
}

impl Range {
    /// True for the empty range.
    pub fn is_empty(&self) -> bool {
        matches!(self, Range::Empty)
    }

    /// The bounds, `None` for the empty range.
    pub fn bounds(&self) -> Option<(&RangeBound, &RangeBound)> {
        match self {
            Range::Empty => None,
            Range::Bounds { lower, upper } => Some((lower, upper)),
        }
    }

    /// PostgreSQL's `range_cmp` (the btree order): the empty range sorts first, then by
    /// lower bound, then by upper bound.
    pub fn range_cmp(&self, other: &Range) -> Ordering {
        match (self.bounds(), other.bounds()) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some((l1, u1)), Some((l2, u2))) => {
                compare_bounds(l1, l2).then_with(|| compare_bounds(u1, u2))
            }
        }
    }

    /// The flags byte of PostgreSQL's range representation (`range_send`): 0x01 empty,
    /// 0x02 lower inclusive, 0x04 upper inclusive, 0x08 lower infinite, 0x10 upper
    /// infinite.
    pub fn flags(&self) -> u8 {
        match self.bounds() {
            None => RANGE_EMPTY,
            Some((l, u)) => {
                let mut f = 0;
                if l.inclusive {
                    f |= RANGE_LB_INC;
                }
                if u.inclusive {
                    f |= RANGE_UB_INC;
                }
                if l.is_infinite() {
                    f |= RANGE_LB_INF;
                }
                if u.is_infinite() {
                    f |= RANGE_UB_INF;
                }
                f
            }
        }
    }
}

/// Flag: the range is empty.
pub const RANGE_EMPTY: u8 = 0x01;
/// Flag: the lower bound is inclusive.
pub const RANGE_LB_INC: u8 = 0x02;
/// Flag: the upper bound is inclusive.
pub const RANGE_UB_INC: u8 = 0x04;
/// Flag: the lower bound is -infinity.
pub const RANGE_LB_INF: u8 = 0x08;
/// Flag: the upper bound is +infinity.
pub const RANGE_UB_INF: u8 = 0x10;
