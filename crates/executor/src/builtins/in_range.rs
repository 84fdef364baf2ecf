//! The B-tree `in_range` support functions (PostgreSQL's `in_range_*`), which decide a
//! `RANGE` window frame with an offset: `in_range(val, base, offset, sub, less)` is
//! `val <= base ± offset` when `less`, else `val >= base ± offset` (`-` when `sub`).
//!
//! Rules every variant keeps: a negative (or NaN) offset is 22013 `invalid preceding or
//! following size in window function`; NaN sorts above every other value, so it is only
//! "within" a NaN base; a sum that would overflow (integers) or be undefined
//! (`+inf - +inf`) answers as if the sum were infinitely far away in its direction.
//!
//! Entry point: [`register`]. See also `operator/window.rs`, the frame that calls them.

use std::cmp::Ordering;

use tusk_types::adt::datetime::TimeTz;
use tusk_types::adt::float::float8_cmp;
use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, Datum, Error, Result};

use super::{by_src, compare_values, reg, Builtin, Table};
use crate::EvalContext;

pub(super) fn register(t: &mut Table) {
    reg(
        t,
        &[
            "in_range_int8_int8",
            "in_range_int4_int8",
            "in_range_int4_int4",
            "in_range_int4_int2",
            "in_range_int2_int8",
            "in_range_int2_int4",
            "in_range_int2_int2",
        ],
        |_, a| {
            let offset = integer(&a[2])?;
            if offset < 0 {
                return Err(invalid_size());
            }
            let (val, base) = (integer(&a[0])?, integer(&a[1])?);
            let sum = if flag(&a[3]) {
                base - offset
            } else {
                base + offset
            };
            Ok(Datum::Bool(decide(val.cmp(&sum), flag(&a[4]))))
        },
    );
    reg(
        t,
        &["in_range_float8_float8", "in_range_float4_float8"],
        |_, a| {
            let (val, base, offset) = (float(&a[0])?, float(&a[1])?, float(&a[2])?);
            let (sub, less) = (flag(&a[3]), flag(&a[4]));
            if offset.is_nan() || offset < 0.0 {
                return Err(invalid_size());
            }
            if val.is_nan() || base.is_nan() {
                return Ok(Datum::Bool(nan_answer(val.is_nan(), base.is_nan(), less)));
            }
            // +inf infinitely precedes +inf (and -inf infinitely follows -inf): every value
            // is in such a frame.
            if offset.is_infinite()
                && base.is_infinite()
                && (if sub { base > 0.0 } else { base < 0.0 })
            {
                return Ok(Datum::Bool(true));
            }
            let sum = if sub { base - offset } else { base + offset };
            Ok(Datum::Bool(decide(float8_cmp(val, sum), less)))
        },
    );
    reg(t, &["in_range_numeric_numeric"], |_, a| {
        let (val, base, offset) = (numeric(&a[0])?, numeric(&a[1])?, numeric(&a[2])?);
        let (sub, less) = (flag(&a[3]), flag(&a[4]));
        if offset.is_nan() || offset.is_negative() {
            return Err(invalid_size());
        }
        if val.is_nan() || base.is_nan() {
            return Ok(Datum::Bool(nan_answer(val.is_nan(), base.is_nan(), less)));
        }
        if offset.is_infinite()
            && base.is_infinite()
            && (if sub {
                !base.is_negative()
            } else {
                base.is_negative()
            })
        {
            return Ok(Datum::Bool(true));
        }
        let sum = if sub {
            base.sub(offset)?
        } else {
            base.add(offset)?
        };
        Ok(Datum::Bool(decide(val.cmp(&sum), less)))
    });
    reg(t, &["in_range_timestamp_interval"], |ctx, a| {
        datetime_in_range(ctx, a, "timestamp_pl_interval", "timestamp_mi_interval")
    });
    reg(t, &["in_range_timestamptz_interval"], |ctx, a| {
        datetime_in_range(ctx, a, "timestamptz_pl_interval", "timestamptz_mi_interval")
    });
    reg(t, &["in_range_interval_interval"], |ctx, a| {
        datetime_in_range(ctx, a, "interval_pl", "interval_mi")
    });
    reg(t, &["in_range_date_interval"], |ctx, a| {
        // Dates are compared as the timestamps they cast to.
        let val = call(ctx, "date_timestamp", &[a[0].clone()])?;
        let base = call(ctx, "date_timestamp", &[a[1].clone()])?;
        let args = [val, base, a[2].clone(), a[3].clone(), a[4].clone()];
        datetime_in_range(ctx, &args, "timestamp_pl_interval", "timestamp_mi_interval")
    });
    reg(t, &["in_range_time_interval"], |_, a| {
        // Only the interval's time part counts (as in time ± interval), without the
        // wrap at midnight that those operators have.
        let micros = interval_micros(&a[2])?;
        let (Datum::Time(val), Datum::Time(base)) = (&a[0], &a[1]) else {
            return Err(Error::internal("time argument expected"));
        };
        let sum = if flag(&a[3]) {
            base - micros
        } else {
            base + micros
        };
        Ok(Datum::Bool(decide(val.cmp(&sum), flag(&a[4]))))
    });
    reg(t, &["in_range_timetz_interval"], |_, a| {
        let micros = interval_micros(&a[2])?;
        let (val, base) = (timetz(&a[0])?, timetz(&a[1])?);
        let sum = TimeTz {
            time: if flag(&a[3]) {
                base.time - micros
            } else {
                base.time + micros
            },
            offset_secs: base.offset_secs,
        };
        Ok(Datum::Bool(decide(val.cmp(&sum), flag(&a[4]))))
    });
}

/// 22013, the error of every `in_range` for a negative or NaN offset.
fn invalid_size() -> Error {
    pg_err!(
        INVALID_PRECEDING_OR_FOLLOWING_SIZE,
        "invalid preceding or following size in window function"
    )
}

/// `val <= sum` (`less`) or `val >= sum`, from `val`'s order against the sum.
fn decide(order: Ordering, less: bool) -> bool {
    if less {
        order != Ordering::Greater
    } else {
        order != Ordering::Less
    }
}

/// The answer when `val` or `base` is NaN: NaN equals NaN and sorts above the rest,
/// whatever the offset.
fn nan_answer(val_nan: bool, base_nan: bool, less: bool) -> bool {
    match (val_nan, base_nan) {
        (true, true) => true,
        (true, false) => !less,
        _ => less,
    }
}

/// `base ± offset` through the type's own operator functions, then compared.
fn datetime_in_range(
    ctx: &mut EvalContext<'_>,
    a: &[Datum],
    plus: &str,
    minus: &str,
) -> Result<Datum> {
    let zero = Datum::Interval {
        months: 0,
        days: 0,
        micros: 0,
    };
    if compare_values(&a[2], &zero) == Ordering::Less {
        return Err(invalid_size());
    }
    let sum = call(
        ctx,
        if flag(&a[3]) { minus } else { plus },
        &[a[1].clone(), a[2].clone()],
    )?;
    Ok(Datum::Bool(decide(
        compare_values(&a[0], &sum),
        flag(&a[4]),
    )))
}

fn call(ctx: &mut EvalContext<'_>, src: &str, args: &[Datum]) -> Result<Datum> {
    match by_src(src) {
        Some(Builtin::Scalar(f)) => f(ctx, args),
        _ => Err(Error::internal(format!("built-in function {src} missing"))),
    }
}

fn flag(d: &Datum) -> bool {
    matches!(d, Datum::Bool(true))
}

fn integer(d: &Datum) -> Result<i128> {
    match d {
        Datum::Int2(v) => Ok(i128::from(*v)),
        Datum::Int4(v) => Ok(i128::from(*v)),
        Datum::Int8(v) => Ok(i128::from(*v)),
        _ => Err(Error::internal("integer argument expected")),
    }
}

fn float(d: &Datum) -> Result<f64> {
    match d {
        Datum::Float4(v) => Ok(f64::from(*v)),
        Datum::Float8(v) => Ok(*v),
        _ => Err(Error::internal("float argument expected")),
    }
}

fn numeric(d: &Datum) -> Result<&Numeric> {
    match d {
        Datum::Numeric(n) => Ok(n),
        _ => Err(Error::internal("numeric argument expected")),
    }
}

/// The time part of an interval offset, which must not be negative.
fn interval_micros(d: &Datum) -> Result<i64> {
    match d {
        Datum::Interval { micros, .. } if *micros < 0 => Err(invalid_size()),
        Datum::Interval { micros, .. } => Ok(*micros),
        _ => Err(Error::internal("interval argument expected")),
    }
}

fn timetz(d: &Datum) -> Result<TimeTz> {
    match d {
        Datum::Bytea(key) => {
            TimeTz::from_key(key).ok_or_else(|| Error::internal("malformed timetz datum"))
        }
        _ => Err(Error::internal("time with time zone argument expected")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_is_only_within_nan_and_sorts_last() {
        assert!(nan_answer(true, true, false));
        assert!(nan_answer(true, true, true));
        assert!(!nan_answer(true, false, true));
        assert!(nan_answer(true, false, false));
        assert!(nan_answer(false, true, true));
        assert!(!nan_answer(false, true, false));
    }

    #[test]
    fn decide_includes_the_sum_itself() {
        assert!(decide(Ordering::Equal, true));
        assert!(decide(Ordering::Equal, false));
        assert!(decide(Ordering::Less, true));
        assert!(!decide(Ordering::Less, false));
    }
}
