//! Range functions and operators (PostgreSQL docs §9.20, "Range/Multirange Functions and
//! Operators"): the constructors `int4range(lower, upper [, bounds])` and friends,
//! comparison by `range_cmp`, containment (`@>`, `<@`, with ranges or elements), `&&`,
//! `<<`, `>>`, `&<`, `&>`, `-|-`, `+`, `*`, `-`, `lower`, `upper`, `isempty`,
//! `lower_inc`, `upper_inc`, `lower_inf`, `upper_inf`, `range_merge`, and the aggregate
//! `range_intersect_agg`.
//!
//! The semantics live in `tusk_types::adt::range`; this file adapts them to SQL calls.

use std::cmp::Ordering;

use tusk_types::adt::range::{make_range, ops, Range, RangeBound};
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};
use crate::EvalContext;

fn range(d: &Datum) -> Result<&Range> {
    match d {
        Datum::Range(r) => Ok(r),
        other => Err(Error::internal(format!(
            "range function called with {other:?}"
        ))),
    }
}

fn value(r: Range) -> Datum {
    Datum::Range(Box::new(r))
}

fn bound_value(d: &Datum) -> Option<Datum> {
    (!d.is_null()).then(|| d.clone())
}

/// `range_constructor2`/`range_constructor3`: NULL bounds are infinite; the bounds text is
/// `[]`, `[)`, `(]` or `()` (default `[)`).
///
/// Errors: 22000 `range constructor flags argument must not be null`; 42601 `invalid range
/// bound flags` (hint lists the valid values); [`make_range`]'s errors.
fn construct(_: &mut EvalContext<'_>, args: &[Datum]) -> Result<Datum> {
    let (lower_inclusive, upper_inclusive) = match args.get(2) {
        None => (true, false),
        Some(Datum::Null) => {
            return Err(pg_err!(
                DATA_EXCEPTION,
                "range constructor flags argument must not be null"
            ))
        }
        Some(Datum::Text(flags)) => parse_flags(flags)?,
        Some(other) => return Err(Error::internal(format!("range flags {other:?}"))),
    };
    Ok(value(make_range(
        RangeBound::lower(bound_value(&args[0]), lower_inclusive),
        RangeBound::upper(bound_value(&args[1]), upper_inclusive),
    )?))
}

/// `range_parse_flags`.
fn parse_flags(flags: &str) -> Result<(bool, bool)> {
    let invalid = || {
        pg_err!(SYNTAX_ERROR, "invalid range bound flags")
            .hint("Valid values are \"[]\", \"[)\", \"(]\", and \"()\".")
    };
    let b = flags.as_bytes();
    if b.len() != 2 {
        return Err(invalid());
    }
    let lower = match b[0] {
        b'[' => true,
        b'(' => false,
        _ => return Err(invalid()),
    };
    let upper = match b[1] {
        b']' => true,
        b')' => false,
        _ => return Err(invalid()),
    };
    Ok((lower, upper))
}

macro_rules! range_compare {
    ($test:expr) => {
        |_: &mut EvalContext<'_>, a: &[Datum]| {
            Ok(Datum::Bool(($test)(range(&a[0])?.range_cmp(range(&a[1])?))))
        }
    };
}

fn bool_op(f: fn(&Range, &Range) -> bool) -> impl Fn(&[Datum]) -> Result<Datum> {
    move |a| Ok(Datum::Bool(f(range(&a[0])?, range(&a[1])?)))
}

macro_rules! range_predicate {
    ($f:path) => {
        |_: &mut EvalContext<'_>, a: &[Datum]| bool_op($f)(a)
    };
}

macro_rules! range_result {
    ($f:path) => {
        |_: &mut EvalContext<'_>, a: &[Datum]| Ok(value($f(range(&a[0])?, range(&a[1])?)?))
    };
}

/// `lower(r)` / `upper(r)`: NULL for the empty range or an infinite bound.
fn bound_of(a: &Datum, lower: bool) -> Result<Datum> {
    Ok(match range(a)?.bounds() {
        None => Datum::Null,
        Some((l, u)) => {
            let b = if lower { l } else { u };
            b.value.clone().unwrap_or(Datum::Null)
        }
    })
}

/// `lower_inc` and friends: false for the empty range.
fn bound_flag(a: &Datum, test: fn(&RangeBound, &RangeBound) -> bool) -> Result<Datum> {
    Ok(Datum::Bool(
        range(a)?.bounds().is_some_and(|(l, u)| test(l, u)),
    ))
}

/// `range_intersect_agg(anyrange)`: the intersection of all non-NULL input ranges, NULL
/// over no rows.
#[derive(Default)]
pub(crate) struct RangeIntersectAgg(Option<Range>);

impl super::aggregate::AggState for RangeIntersectAgg {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let next = range(&args[0])?;
        self.0 = Some(match &self.0 {
            None => next.clone(),
            Some(acc) => ops::intersect(acc, next)?,
        });
        Ok(())
    }

    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.0.clone().map_or(Datum::Null, value))
    }
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["range_constructor2", "range_constructor3"], construct);
    reg(
        t,
        &["range_eq"],
        range_compare!(|o: Ordering| o == Ordering::Equal),
    );
    reg(
        t,
        &["range_ne"],
        range_compare!(|o: Ordering| o != Ordering::Equal),
    );
    reg(
        t,
        &["range_lt"],
        range_compare!(|o: Ordering| o == Ordering::Less),
    );
    reg(
        t,
        &["range_le"],
        range_compare!(|o: Ordering| o != Ordering::Greater),
    );
    reg(
        t,
        &["range_gt"],
        range_compare!(|o: Ordering| o == Ordering::Greater),
    );
    reg(
        t,
        &["range_ge"],
        range_compare!(|o: Ordering| o != Ordering::Less),
    );
    reg(t, &["range_cmp"], |_, a| {
        Ok(Datum::Int4(match range(&a[0])?.range_cmp(range(&a[1])?) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["range_contains"], range_predicate!(ops::contains));
    reg(t, &["range_contained_by"], |_, a| {
        Ok(Datum::Bool(ops::contains(range(&a[1])?, range(&a[0])?)))
    });
    reg(t, &["range_contains_elem"], |_, a| {
        Ok(Datum::Bool(ops::contains_element(range(&a[0])?, &a[1])))
    });
    reg(t, &["elem_contained_by_range"], |_, a| {
        Ok(Datum::Bool(ops::contains_element(range(&a[1])?, &a[0])))
    });
    reg(t, &["range_overlaps"], range_predicate!(ops::overlaps));
    reg(t, &["range_before"], range_predicate!(ops::before));
    reg(t, &["range_after"], range_predicate!(ops::after));
    reg(t, &["range_overleft"], range_predicate!(ops::over_left));
    reg(t, &["range_overright"], range_predicate!(ops::over_right));
    reg(t, &["range_adjacent"], range_predicate!(ops::adjacent));
    reg(t, &["range_union"], range_result!(ops::union));
    reg(t, &["range_merge"], range_result!(ops::merge));
    reg(t, &["range_intersect"], range_result!(ops::intersect));
    reg(t, &["range_minus"], range_result!(ops::minus));
    reg(t, &["range_lower"], |_, a| bound_of(&a[0], true));
    reg(t, &["range_upper"], |_, a| bound_of(&a[0], false));
    reg(t, &["range_empty"], |_, a| {
        Ok(Datum::Bool(range(&a[0])?.is_empty()))
    });
    reg(t, &["range_lower_inc"], |_, a| {
        bound_flag(&a[0], |l, _| l.inclusive)
    });
    reg(t, &["range_upper_inc"], |_, a| {
        bound_flag(&a[0], |_, u| u.inclusive)
    });
    reg(t, &["range_lower_inf"], |_, a| {
        bound_flag(&a[0], |l, _| l.is_infinite())
    });
    reg(t, &["range_upper_inf"], |_, a| {
        bound_flag(&a[0], |_, u| u.is_infinite())
    });
}
