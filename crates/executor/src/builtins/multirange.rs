//! Multirange functions and operators (PostgreSQL docs §9.20, "Range/Multirange
//! Functions and Operators"): the constructors `int4multirange()`,
//! `int4multirange(range, ...)` and `multirange(range)` (also the range-to-multirange
//! cast), comparison by `multirange_cmp`, `@>`/`<@` with elements, ranges and
//! multiranges, `&&`, `<<`, `>>`, `&<`, `&>`, `-|-`, `+`, `-`, `*`, `lower`, `upper`,
//! `isempty`, `lower_inc`, `upper_inc`, `lower_inf`, `upper_inf`, `range_merge`,
//! `unnest`, and the aggregates `range_agg` and `range_intersect_agg(anymultirange)`.
//!
//! The semantics live in `tusk_types::adt::multirange`; this file adapts them to SQL
//! calls. Position operators look only at a multirange's outermost bounds, so they are
//! the range operators applied to its span.

use std::cmp::Ordering;

use tusk_types::adt::multirange::{ops as mops, Multirange};
use tusk_types::adt::range::{ops, Range};
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Builtin, Table};
use crate::EvalContext;

fn multirange(d: &Datum) -> Result<&Multirange> {
    match d {
        Datum::Multirange(m) => Ok(m),
        other => Err(Error::internal(format!(
            "multirange function called with {other:?}"
        ))),
    }
}

fn range(d: &Datum) -> Result<&Range> {
    match d {
        Datum::Range(r) => Ok(r),
        other => Err(Error::internal(format!(
            "multirange function called with {other:?}"
        ))),
    }
}

fn value(m: Multirange) -> Datum {
    Datum::Multirange(Box::new(m))
}

/// `multirange_constructor2`: the ranges of a variadic call (one argument each, or one
/// array with `VARIADIC`).
///
/// Errors: 22004 `multirange values cannot contain null members`.
fn construct(_: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    let null_member = || {
        pg_err!(
            NULL_VALUE_NOT_ALLOWED,
            "multirange values cannot contain null members"
        )
    };
    let mut ranges = Vec::with_capacity(args.len());
    for a in args {
        match a {
            Datum::Range(r) => ranges.push((**r).clone()),
            Datum::Array(arr) => {
                for e in &arr.elems {
                    ranges.push(range(e).map_err(|_| null_member())?.clone());
                }
            }
            Datum::Null => return Err(null_member()),
            other => return Err(Error::internal(format!("multirange member {other:?}"))),
        }
    }
    Ok(value(Multirange::new(ranges)?))
}

fn compare(a: &[Datum]) -> Result<Ordering> {
    Ok(multirange(&a[0])?.multirange_cmp(multirange(&a[1])?))
}

macro_rules! compare_op {
    ($test:expr) => {
        |_: &mut EvalContext<'_>, a: &[Datum]| Ok(Datum::Bool(($test)(compare(a)?)))
    };
}

/// The operand as a multirange's span or a range itself, for the position operators.
fn span_of(d: &Datum) -> Result<Range> {
    match d {
        Datum::Multirange(m) => Ok(m.span()),
        other => range(other).cloned(),
    }
}

macro_rules! position_op {
    ($f:path) => {
        |_: &mut EvalContext<'_>, a: &[Datum]| {
            Ok(Datum::Bool($f(&span_of(&a[0])?, &span_of(&a[1])?)))
        }
    };
}

macro_rules! set_op {
    ($f:path) => {
        |_: &mut EvalContext<'_>, a: &[Datum]| {
            Ok(value($f(multirange(&a[0])?, multirange(&a[1])?)?))
        }
    };
}

/// `lower(mr)` / `upper(mr)`: NULL when empty or infinite.
fn bound_of(a: &Datum, lower: bool) -> Result<Datum> {
    Ok(match multirange(a)?.span_bounds() {
        None => Datum::Null,
        Some((l, u)) => {
            let b = if lower { l } else { u };
            b.value.clone().unwrap_or(Datum::Null)
        }
    })
}

fn span_flag(
    a: &Datum,
    test: fn(&tusk_types::adt::range::RangeBound, &tusk_types::adt::range::RangeBound) -> bool,
) -> Result<Datum> {
    Ok(Datum::Bool(
        multirange(a)?
            .span_bounds()
            .is_some_and(|(l, u)| test(l, u)),
    ))
}

fn unnest(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Vec<Datum>> {
    Ok(multirange(&a[0])?
        .ranges()
        .iter()
        .map(|r| Datum::Range(Box::new(r.clone())))
        .collect())
}

/// `range_agg(anyrange)` and `range_agg(anymultirange)`: the union of all non-NULL
/// inputs, NULL over no rows.
#[derive(Default)]
pub(crate) struct RangeAgg(Option<Vec<Range>>);

impl super::aggregate::AggState for RangeAgg {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let acc = self.0.get_or_insert_with(Vec::new);
        match &args[0] {
            Datum::Null => {}
            Datum::Range(r) => acc.push((**r).clone()),
            other => acc.extend_from_slice(multirange(other)?.ranges()),
        }
        Ok(())
    }

    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        match &self.0 {
            None => Ok(Datum::Null),
            Some(ranges) => Ok(value(Multirange::new(ranges.clone())?)),
        }
    }
}

/// `range_intersect_agg(anymultirange)`: the intersection of all non-NULL inputs, NULL
/// over no rows.
#[derive(Default)]
pub(crate) struct MultirangeIntersectAgg(Option<Multirange>);

impl super::aggregate::AggState for MultirangeIntersectAgg {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        if args[0].is_null() {
            return Ok(());
        }
        let next = multirange(&args[0])?;
        self.0 = Some(match &self.0 {
            None => next.clone(),
            Some(acc) => mops::intersect(acc, next)?,
        });
        Ok(())
    }

    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.0.clone().map_or(Datum::Null, value))
    }
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["multirange_constructor0"], |_, _| {
        Ok(value(Multirange::empty()))
    });
    reg(t, &["multirange_constructor1"], |_, a| match a.first() {
        Some(r) => Ok(value(Multirange::new(vec![range(r)?.clone()])?)),
        // A call without arguments reaching this constructor builds the empty value, as
        // multirange_constructor0 does.
        None => Ok(value(Multirange::empty())),
    });
    reg(t, &["multirange_constructor2"], construct);
    reg(t, &["multirange_eq"], compare_op!(|o| o == Ordering::Equal));
    reg(t, &["multirange_ne"], compare_op!(|o| o != Ordering::Equal));
    reg(t, &["multirange_lt"], compare_op!(|o| o == Ordering::Less));
    reg(
        t,
        &["multirange_le"],
        compare_op!(|o| o != Ordering::Greater),
    );
    reg(
        t,
        &["multirange_gt"],
        compare_op!(|o| o == Ordering::Greater),
    );
    reg(t, &["multirange_ge"], compare_op!(|o| o != Ordering::Less));
    reg(t, &["multirange_cmp"], |_, a| {
        Ok(Datum::Int4(match compare(a)? {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["multirange_contains_elem"], |_, a| {
        Ok(Datum::Bool(mops::contains_element(
            multirange(&a[0])?,
            &a[1],
        )))
    });
    reg(t, &["elem_contained_by_multirange"], |_, a| {
        Ok(Datum::Bool(mops::contains_element(
            multirange(&a[1])?,
            &a[0],
        )))
    });
    reg(t, &["multirange_contains_range"], |_, a| {
        Ok(Datum::Bool(mops::contains_range(
            multirange(&a[0])?,
            range(&a[1])?,
        )))
    });
    reg(t, &["range_contained_by_multirange"], |_, a| {
        Ok(Datum::Bool(mops::contains_range(
            multirange(&a[1])?,
            range(&a[0])?,
        )))
    });
    reg(t, &["range_contains_multirange"], |_, a| {
        Ok(Datum::Bool(mops::range_contains(
            range(&a[0])?,
            multirange(&a[1])?,
        )))
    });
    reg(t, &["multirange_contained_by_range"], |_, a| {
        Ok(Datum::Bool(mops::range_contains(
            range(&a[1])?,
            multirange(&a[0])?,
        )))
    });
    reg(t, &["multirange_contains_multirange"], |_, a| {
        Ok(Datum::Bool(mops::contains(
            multirange(&a[0])?,
            multirange(&a[1])?,
        )))
    });
    reg(t, &["multirange_contained_by_multirange"], |_, a| {
        Ok(Datum::Bool(mops::contains(
            multirange(&a[1])?,
            multirange(&a[0])?,
        )))
    });
    reg(t, &["range_overlaps_multirange"], |_, a| {
        Ok(Datum::Bool(mops::overlaps_range(
            multirange(&a[1])?,
            range(&a[0])?,
        )))
    });
    reg(t, &["multirange_overlaps_range"], |_, a| {
        Ok(Datum::Bool(mops::overlaps_range(
            multirange(&a[0])?,
            range(&a[1])?,
        )))
    });
    reg(t, &["multirange_overlaps_multirange"], |_, a| {
        Ok(Datum::Bool(mops::overlaps(
            multirange(&a[0])?,
            multirange(&a[1])?,
        )))
    });
    reg(
        t,
        &[
            "range_before_multirange",
            "multirange_before_range",
            "multirange_before_multirange",
        ],
        position_op!(ops::before),
    );
    reg(
        t,
        &[
            "range_after_multirange",
            "multirange_after_range",
            "multirange_after_multirange",
        ],
        position_op!(ops::after),
    );
    reg(
        t,
        &[
            "range_overleft_multirange",
            "multirange_overleft_range",
            "multirange_overleft_multirange",
        ],
        position_op!(ops::over_left),
    );
    reg(
        t,
        &[
            "range_overright_multirange",
            "multirange_overright_range",
            "multirange_overright_multirange",
        ],
        position_op!(ops::over_right),
    );
    reg(
        t,
        &[
            "range_adjacent_multirange",
            "multirange_adjacent_range",
            "multirange_adjacent_multirange",
        ],
        position_op!(ops::adjacent),
    );
    reg(t, &["multirange_union"], set_op!(mops::union));
    reg(t, &["multirange_minus"], set_op!(mops::minus));
    reg(t, &["multirange_intersect"], set_op!(mops::intersect));
    reg(t, &["multirange_lower"], |_, a| bound_of(&a[0], true));
    reg(t, &["multirange_upper"], |_, a| bound_of(&a[0], false));
    reg(t, &["multirange_empty"], |_, a| {
        Ok(Datum::Bool(multirange(&a[0])?.is_empty()))
    });
    reg(t, &["multirange_lower_inc"], |_, a| {
        span_flag(&a[0], |l, _| l.inclusive)
    });
    reg(t, &["multirange_upper_inc"], |_, a| {
        span_flag(&a[0], |_, u| u.inclusive)
    });
    reg(t, &["multirange_lower_inf"], |_, a| {
        span_flag(&a[0], |l, _| l.is_infinite())
    });
    reg(t, &["multirange_upper_inf"], |_, a| {
        span_flag(&a[0], |_, u| u.is_infinite())
    });
    reg(t, &["range_merge_from_multirange"], |_, a| {
        Ok(Datum::Range(Box::new(multirange(&a[0])?.span())))
    });
    t.insert("multirange_unnest", Builtin::Set(unnest));
}
