//! What the SQL-language date/time functions of PostgreSQL 15's catalog compute, and the
//! `OVERLAPS` predicate they build on.
//!
//! Functions such as `age(timestamp)`, `date_part(text, date)`, `integer + date` and the
//! `OVERLAPS` forms with intervals are `LANGUAGE sql` in `pg_proc`: their `prosrc` names no
//! implementation, so they are found by OID ([`sql_language_function`]); each computes
//! what its SQL body does.
//!
//! Entry points: [`sql_language_function`], [`overlaps`].

use std::cmp::Ordering;

use tusk_types::adt::datetime::{fields, make, Date, Timestamp, TimestampTz};
use tusk_types::{Datum, Error, Result};

use super::{
    date, date_plus_time, interval_datum, or_null, session_zone, text, time, timestamp_to_date,
    usecs,
};
use crate::EvalContext;

/// `(s1, e1) OVERLAPS (s2, e2)` (`overlaps_timestamp`, `overlaps_time`), with the SQL
/// standard's NULL rules: a period with one NULL end is the instant at its other end, and
/// the answer is NULL whenever it depends on a missing end. Not strict: `args` may hold
/// NULLs.
pub(super) fn overlaps(args: &[Datum]) -> Result<Datum> {
    let key = |d: &Datum| -> Result<Option<i64>> {
        Ok(match d {
            Datum::Null => None,
            Datum::Time(v) => Some(*v),
            other => Some(usecs(other)?),
        })
    };
    let period = |s: Option<i64>, e: Option<i64>| -> Option<(i64, Option<i64>)> {
        match (s, e) {
            (None, None) => None,
            (None, Some(e)) => Some((e, None)),
            (Some(s), None) => Some((s, None)),
            (Some(s), Some(e)) => Some((s.min(e), Some(s.max(e)))),
        }
    };
    let Some((ts1, te1)) = period(key(&args[0])?, key(&args[1])?) else {
        return Ok(Datum::Null);
    };
    let Some((ts2, te2)) = period(key(&args[2])?, key(&args[3])?) else {
        return Ok(Datum::Null);
    };
    let answer = match ts1.cmp(&ts2) {
        Ordering::Greater => match (te2, te1) {
            (None, _) => None,
            (Some(te2), _) if ts1 < te2 => Some(true),
            (_, None) => None,
            _ => Some(false),
        },
        Ordering::Less => match (te1, te2) {
            (None, _) => None,
            (Some(te1), _) if ts2 < te1 => Some(true),
            (_, None) => None,
            _ => Some(false),
        },
        Ordering::Equal => (te1.is_some() && te2.is_some()).then_some(true),
    };
    Ok(or_null(answer, Datum::Bool))
}

/// `CURRENT_DATE`: the transaction start's date in the session zone.
fn current_date(ctx: &EvalContext<'_>) -> Result<Date> {
    let local = TimestampTz(ctx.transaction_start).to_local(session_zone(ctx))?;
    Ok(timestamp_to_date(local.0))
}

/// `$2 + $1` for the commuted operators (`integer + date`, `interval + timestamp`, ...):
/// the sum of the arguments in the other order, by the types of the values.
fn commuted_plus(ctx: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let prosrc = match (&a[1], &a[0]) {
        (Datum::Date(_), Datum::Int4(_)) => "date_pli",
        (Datum::Date(_), Datum::Interval { .. }) => "date_pl_interval",
        (Datum::Date(_), Datum::Time(_)) => "datetime_timestamp",
        (Datum::Timestamp(_), Datum::Interval { .. }) => "timestamp_pl_interval",
        (Datum::TimestampTz(_), Datum::Interval { .. }) => "timestamptz_pl_interval",
        (Datum::Time(_), Datum::Interval { .. }) => "time_pl_interval",
        _ => return Err(Error::internal("unexpected operand types for a commuted +")),
    };
    match super::super::table().get(prosrc) {
        Some(super::super::Builtin::Scalar(f)) => f(ctx, &[a[1].clone(), a[0].clone()]),
        _ => Err(Error::internal("date/time addition is not registered")),
    }
}

/// `$1 + $2` as `OVERLAPS` argument: NULL if either is NULL.
fn plus_or_null(ctx: &mut EvalContext<'_>, start: &Datum, span: &Datum) -> Result<Datum> {
    if start.is_null() || span.is_null() {
        return Ok(Datum::Null);
    }
    commuted_plus(ctx, &[span.clone(), start.clone()])
}

/// The SQL-language date/time functions of PostgreSQL 15's catalog (`prolang` sql, so
/// their `prosrc` names no implementation), by `pg_proc` OID: `age(timestamp)`,
/// `date_part(text, date)`, `integer + date`, `interval + timestamp`, the `OVERLAPS`
/// forms with intervals, ... Each computes what its SQL body does.
pub(in crate::builtins) fn sql_language_function(proc: u32) -> Option<super::super::ScalarFn> {
    Some(match proc {
        // timestamptz(date, time): ($1 + $2)::timestamptz
        1176 => |ctx, a| {
            let local = date_plus_time(date(&a[0])?, time(&a[1])?)?;
            Ok(Datum::TimestampTz(
                local.to_timestamptz(session_zone(ctx))?.0,
            ))
        },
        // timedate_pl, interval_pl_time, interval_pl_date, interval_pl_timestamp[tz],
        // integer_pl_date: $2 + $1
        1296 | 1848 | 2546 | 2548 | 2549 | 2550 => commuted_plus,
        // date_part(text, date): date_part($1, $2::timestamp)
        1384 => |_, a| {
            let ts = date(&a[1])?.to_timestamp()?;
            Ok(or_null(
                fields::date_part_timestamp(text(&a[0])?, ts)?,
                Datum::Float8,
            ))
        },
        // age(timestamptz): age(CURRENT_DATE::timestamptz, $1)
        1386 => |ctx, a| {
            let today = current_date(ctx)?.to_timestamptz(session_zone(ctx))?;
            Ok(interval_datum(make::timestamptz_age(
                today,
                TimestampTz(usecs(&a[0])?),
                session_zone(ctx),
            )?))
        },
        // age(timestamp): age(CURRENT_DATE::timestamp, $1)
        2059 => |ctx, a| {
            let today = current_date(ctx)?.to_timestamp()?;
            Ok(interval_datum(make::timestamp_age(
                today,
                Timestamp(usecs(&a[0])?),
            )?))
        },
        // overlaps(s1, span1, s2, span2)
        1305 | 1309 | 2042 => |ctx, a| {
            let e1 = plus_or_null(ctx, &a[0], &a[1])?;
            let e2 = plus_or_null(ctx, &a[2], &a[3])?;
            overlaps(&[a[0].clone(), e1, a[2].clone(), e2])
        },
        // overlaps(s1, e1, s2, span2)
        1306 | 1310 | 2043 => |ctx, a| {
            let e2 = plus_or_null(ctx, &a[2], &a[3])?;
            overlaps(&[a[0].clone(), a[1].clone(), a[2].clone(), e2])
        },
        // overlaps(s1, span1, s2, e2)
        1307 | 1311 | 2044 => |ctx, a| {
            let e1 = plus_or_null(ctx, &a[0], &a[1])?;
            overlaps(&[a[0].clone(), e1, a[2].clone(), a[3].clone()])
        },
        _ => return None,
    })
}
