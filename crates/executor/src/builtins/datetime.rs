//! Date/time operators, casts and functions (PostgreSQL docs §9.9, Tables 9.31-9.33):
//! arithmetic (`date + integer`, `timestamp - interval`, `interval * float8`, ...), the
//! cross-type comparisons between `date`, `timestamp` and `timestamptz`, the casts among
//! the date/time types, `extract`/`date_part`, `date_trunc`, `date_bin`, `age`,
//! `justify_*`, `make_*`, `to_timestamp(float8)`, `isfinite` and `AT TIME ZONE`.
//!
//! The value logic lives in `tusk_types::adt::datetime`; this module unpacks [`Datum`]s,
//! supplies the session's `TimeZone` where PostgreSQL uses it (everything involving
//! `timestamptz` and local time), and registers each implementation under its
//! `pg_proc.prosrc` name. Same-type comparisons (`date_lt`, `timestamp_eq`, ...) are in
//! `compare.rs`.
//!
//! Invariants: infinite values follow PostgreSQL 15 exactly (arithmetic keeps them,
//! subtraction of two of them is 22008, `extract` gives ±Infinity or NULL); the cross-type
//! comparisons never fail: a date beyond the timestamp range compares above every finite
//! timestamp and below `infinity`, as `date_cmp_timestamp` does.
//!
//! Submodules: `timetz` (`time with time zone`), `zone` (zone names for `AT TIME ZONE`, `date_trunc(..., zone)`,
//! `make_timestamptz(..., zone)`) and `sql_language` (`OVERLAPS` and what the catalog's
//! `LANGUAGE sql` date/time functions compute, found by OID).
//!
//! Entry points: [`register`]; [`sql_language_function`] for the SQL-language functions.

use std::cmp::Ordering;

use tusk_types::adt::datetime::interval::interval_out_of_range;
use tusk_types::adt::datetime::interval_parse::adjust_interval_for_typmod;
use tusk_types::adt::datetime::time::{adjust_time_for_typmod, time_add_micros};
use tusk_types::adt::datetime::timestamp::{adjust_timestamp_for_typmod, timestamp_out_of_range};
use tusk_types::adt::datetime::{
    fields, make, Date, Interval, Time, TimeZone, Timestamp, TimestampTz, END_TIMESTAMP,
    MIN_TIMESTAMP, POSTGRES_EPOCH_JDATE, TIMESTAMP_END_JULIAN, USECS_PER_DAY, USECS_PER_SEC,
};
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};
use crate::EvalContext;

mod sql_language;
mod timetz;
mod zone;

pub(super) use sql_language::sql_language_function;
pub(super) use timetz::sql_language_function as timetz_sql_language_function;
use zone::{resolve_zone, sane_zone_offset, ZoneSpec};

fn date(d: &Datum) -> Result<Date> {
    match d {
        Datum::Date(v) => Ok(Date(*v)),
        _ => Err(Error::internal("date argument expected")),
    }
}

/// A `timestamp` or `timestamptz` argument's microseconds (functions such as
/// `timestamp_mi` serve both types).
fn usecs(d: &Datum) -> Result<i64> {
    match d {
        Datum::Timestamp(v) | Datum::TimestampTz(v) => Ok(*v),
        _ => Err(Error::internal("timestamp argument expected")),
    }
}

fn time(d: &Datum) -> Result<Time> {
    match d {
        Datum::Time(v) => Ok(Time(*v)),
        _ => Err(Error::internal("time argument expected")),
    }
}

fn interval(d: &Datum) -> Result<Interval> {
    match d {
        Datum::Interval {
            months,
            days,
            micros,
        } => Ok(Interval::new(*months, *days, *micros)),
        _ => Err(Error::internal("interval argument expected")),
    }
}

fn text(d: &Datum) -> Result<&str> {
    match d {
        Datum::Text(s) => Ok(s),
        _ => Err(Error::internal("text argument expected")),
    }
}

fn int4(d: &Datum) -> Result<i32> {
    match d {
        Datum::Int4(v) => Ok(*v),
        Datum::Int2(v) => Ok(i32::from(*v)),
        _ => Err(Error::internal("integer argument expected")),
    }
}

fn float8(d: &Datum) -> Result<f64> {
    match d {
        Datum::Float8(v) => Ok(*v),
        Datum::Float4(v) => Ok(f64::from(*v)),
        _ => Err(Error::internal("double precision argument expected")),
    }
}

fn interval_datum(iv: Interval) -> Datum {
    Datum::Interval {
        months: iv.months,
        days: iv.days,
        micros: iv.micros,
    }
}

fn session_zone<'a>(ctx: &'a EvalContext<'_>) -> &'a TimeZone {
    &ctx.output.time_zone
}

fn is_infinite_usecs(v: i64) -> bool {
    v == i64::MIN || v == i64::MAX
}

/// Fails as PostgreSQL does (22008 `timestamp out of range`) when adding `days` to the
/// local time `local` would leave the Julian-day range, before the calendar routines see
/// the out-of-range day number.
fn check_day_step(local: i64, days: i32) -> Result<()> {
    let julian = local.div_euclid(USECS_PER_DAY) + i64::from(POSTGRES_EPOCH_JDATE);
    let target = julian + i64::from(days);
    if days != 0 && !(0..i64::from(TIMESTAMP_END_JULIAN)).contains(&target) {
        return Err(timestamp_out_of_range());
    }
    Ok(())
}

/// `timestamp + interval` (`timestamp_pl_interval`).
///
/// Errors: 22008 `timestamp out of range`.
fn timestamp_plus(ts: Timestamp, span: &Interval) -> Result<Timestamp> {
    if ts.is_infinite() {
        return Ok(ts);
    }
    let after_months = ts.add_interval(&Interval::new(span.months, 0, 0))?;
    check_day_step(after_months.0, span.days)?;
    ts.add_interval(span)
}

/// `timestamp - interval` (`timestamp_mi_interval`).
///
/// Errors: 22008 `interval out of range`, `timestamp out of range`.
fn timestamp_minus(ts: Timestamp, span: &Interval) -> Result<Timestamp> {
    timestamp_plus(ts, &span.neg()?)
}

/// `timestamptz + interval` (`timestamptz_pl_interval`) in the session zone.
///
/// Errors: 22008 `timestamp out of range`.
fn timestamptz_plus(ts: TimestampTz, span: &Interval, tz: &TimeZone) -> Result<TimestampTz> {
    if ts.is_infinite() {
        return Ok(ts);
    }
    let after_months = ts.add_interval(&Interval::new(span.months, 0, 0), tz)?;
    check_day_step(after_months.to_local(tz)?.0, span.days)?;
    ts.add_interval(span, tz)
}

/// `timestamptz - interval` (`timestamptz_mi_interval`).
///
/// Errors: 22008 `interval out of range`, `timestamp out of range`.
fn timestamptz_minus(ts: TimestampTz, span: &Interval, tz: &TimeZone) -> Result<TimestampTz> {
    timestamptz_plus(ts, &span.neg()?, tz)
}

/// `date - integer` (`date_mii`).
///
/// Errors: 22008 `date out of range`.
fn date_minus_days(d: Date, days: i32) -> Result<Date> {
    if d.is_infinite() {
        return Ok(d);
    }
    let result = i64::from(d.0) - i64::from(days);
    if !Date::is_valid(result) {
        return Err(pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "date out of range"));
    }
    Ok(Date(result as i32))
}

/// `date + time` (`datetime_timestamp`).
///
/// Errors: 22008 `date out of range for timestamp`, `timestamp out of range`.
fn date_plus_time(d: Date, t: Time) -> Result<Timestamp> {
    let ts = d.to_timestamp()?;
    if ts.is_infinite() {
        return Ok(ts);
    }
    let v = ts.0 + t.0;
    if !Timestamp::is_valid(v) {
        return Err(timestamp_out_of_range());
    }
    Ok(Timestamp(v))
}

/// `timestamp::date` (`timestamp_date`), also the local date of a `timestamptz`.
fn timestamp_to_date(ts: i64) -> Date {
    match ts {
        i64::MIN => Date::NEG_INFINITY,
        i64::MAX => Date::INFINITY,
        v => Date(v.div_euclid(USECS_PER_DAY) as i32),
    }
}

/// `interval::time` (`interval_time`): the time part modulo one day.
fn interval_to_time(iv: &Interval) -> Time {
    Time(iv.micros.rem_euclid(USECS_PER_DAY))
}

/// Where an out-of-range conversion would land: above or below every finite timestamp.
enum Converted {
    Value(i64),
    Above,
    Below,
}

/// `date2timestamp_opt_overflow`.
fn date_to_timestamp_opt(d: Date) -> Converted {
    match d.to_timestamp() {
        Ok(ts) => Converted::Value(ts.0),
        Err(_) => Converted::Above,
    }
}

/// `date2timestamptz_opt_overflow` in the session zone.
fn date_to_timestamptz_opt(d: Date, tz: &TimeZone) -> Converted {
    let local = match d.to_timestamp() {
        Ok(ts) => ts,
        Err(_) => return Converted::Above,
    };
    if local.is_infinite() {
        return Converted::Value(local.0);
    }
    local_to_utc_opt(local.0, tz)
}

/// `timestamp2timestamptz_opt_overflow` in the session zone.
fn timestamp_to_timestamptz_opt(ts: i64, tz: &TimeZone) -> Converted {
    if is_infinite_usecs(ts) {
        return Converted::Value(ts);
    }
    local_to_utc_opt(ts, tz)
}

fn local_to_utc_opt(local: i64, tz: &TimeZone) -> Converted {
    let (offset, _) = tz.local_offset(local);
    let utc = i128::from(local) - i128::from(offset) * i128::from(USECS_PER_SEC);
    if utc < i128::from(MIN_TIMESTAMP) {
        Converted::Below
    } else if utc >= i128::from(END_TIMESTAMP) {
        Converted::Above
    } else {
        Converted::Value(utc as i64)
    }
}

/// Compares a converted left value with a right timestamp (`*_cmp_*_internal`).
fn cmp_converted(left: Converted, right: i64) -> Ordering {
    match left {
        Converted::Value(v) => v.cmp(&right),
        // Beyond every finite value but short of infinity.
        Converted::Above => {
            if right == i64::MAX {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        Converted::Below => {
            if right == i64::MIN {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

fn cmp_date_timestamp(_: &EvalContext<'_>, a: &Datum, b: &Datum) -> Result<Ordering> {
    Ok(cmp_converted(date_to_timestamp_opt(date(a)?), usecs(b)?))
}

fn cmp_timestamp_date(ctx: &EvalContext<'_>, a: &Datum, b: &Datum) -> Result<Ordering> {
    cmp_date_timestamp(ctx, b, a).map(Ordering::reverse)
}

fn cmp_date_timestamptz(ctx: &EvalContext<'_>, a: &Datum, b: &Datum) -> Result<Ordering> {
    Ok(cmp_converted(
        date_to_timestamptz_opt(date(a)?, session_zone(ctx)),
        usecs(b)?,
    ))
}

fn cmp_timestamptz_date(ctx: &EvalContext<'_>, a: &Datum, b: &Datum) -> Result<Ordering> {
    cmp_date_timestamptz(ctx, b, a).map(Ordering::reverse)
}

fn cmp_timestamp_timestamptz(ctx: &EvalContext<'_>, a: &Datum, b: &Datum) -> Result<Ordering> {
    Ok(cmp_converted(
        timestamp_to_timestamptz_opt(usecs(a)?, session_zone(ctx)),
        usecs(b)?,
    ))
}

fn cmp_timestamptz_timestamp(ctx: &EvalContext<'_>, a: &Datum, b: &Datum) -> Result<Ordering> {
    cmp_timestamp_timestamptz(ctx, b, a).map(Ordering::reverse)
}

fn cmp_int(o: Ordering) -> Datum {
    Datum::Int4(match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    })
}

/// Registers `<a>_{eq,ne,lt,le,gt,ge,cmp}_<b>` over one cross-type ordering.
macro_rules! cross_compare {
    ($t:ident, $a:literal, $b:literal, $cmp:path) => {{
        reg($t, &[concat!($a, "_eq_", $b)], |ctx, a| {
            Ok(Datum::Bool($cmp(ctx, &a[0], &a[1])?.is_eq()))
        });
        reg($t, &[concat!($a, "_ne_", $b)], |ctx, a| {
            Ok(Datum::Bool($cmp(ctx, &a[0], &a[1])?.is_ne()))
        });
        reg($t, &[concat!($a, "_lt_", $b)], |ctx, a| {
            Ok(Datum::Bool($cmp(ctx, &a[0], &a[1])?.is_lt()))
        });
        reg($t, &[concat!($a, "_le_", $b)], |ctx, a| {
            Ok(Datum::Bool($cmp(ctx, &a[0], &a[1])?.is_le()))
        });
        reg($t, &[concat!($a, "_gt_", $b)], |ctx, a| {
            Ok(Datum::Bool($cmp(ctx, &a[0], &a[1])?.is_gt()))
        });
        reg($t, &[concat!($a, "_ge_", $b)], |ctx, a| {
            Ok(Datum::Bool($cmp(ctx, &a[0], &a[1])?.is_ge()))
        });
        reg($t, &[concat!($a, "_cmp_", $b)], |ctx, a| {
            Ok(cmp_int($cmp(ctx, &a[0], &a[1])?))
        });
    }};
}

fn checked_timestamp(v: i128) -> Result<i64> {
    match i64::try_from(v) {
        Ok(v) if Timestamp::is_valid(v) => Ok(v),
        _ => Err(timestamp_out_of_range()),
    }
}

/// `date_bin(stride, source, origin)` (`timestamp_bin`, `timestamptz_bin`).
///
/// Errors: 22008 `origin out of range`, `stride must be greater than zero`, `interval out
/// of range`, `timestamp out of range`; 0A000 for strides with months.
fn date_bin(stride: &Interval, source: i64, origin: i64) -> Result<i64> {
    if is_infinite_usecs(source) {
        return Ok(source);
    }
    if is_infinite_usecs(origin) {
        return Err(pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "origin out of range"));
    }
    if stride.months != 0 {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "timestamps cannot be binned into intervals containing months or years"
        ));
    }
    let stride_usecs = i64::from(stride.days)
        .checked_mul(USECS_PER_DAY)
        .and_then(|v| v.checked_add(stride.micros))
        .ok_or_else(interval_out_of_range)?;
    if stride_usecs <= 0 {
        return Err(pg_err!(
            DATETIME_VALUE_OUT_OF_RANGE,
            "stride must be greater than zero"
        ));
    }
    let diff = source
        .checked_sub(origin)
        .ok_or_else(interval_out_of_range)?;
    let remainder = diff % stride_usecs;
    let mut delta = diff - remainder;
    // The start of the bin even when the origin lies after the source.
    if remainder < 0 {
        delta -= stride_usecs;
    }
    origin
        .checked_add(delta)
        .filter(|v| Timestamp::is_valid(*v))
        .ok_or_else(timestamp_out_of_range)
}

/// `timeofday()`: the current time as text, `Sat Nov 21 04:30:00.123456 2026 UTC`.
fn time_of_day(now: i64, tz: &TimeZone) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let tm = TimestampTz(now).to_tm(tz);
    let jd = tusk_types::adt::datetime::date2j(tm.year, tm.mon, tm.mday);
    format!(
        "{} {} {:02} {:02}:{:02}:{:02}.{:06} {} {}",
        DAYS[tusk_types::adt::datetime::j2day(jd) as usize],
        MONTHS[(tm.mon - 1) as usize],
        tm.mday,
        tm.hour,
        tm.min,
        tm.sec,
        tm.fsec,
        tm.year,
        tm.zone.as_deref().unwrap_or("")
    )
}

fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> Datum) -> Datum {
    v.map(f).unwrap_or(Datum::Null)
}

/// Registers the date/time operators, casts and functions.
pub(super) fn register(t: &mut Table) {
    register_arithmetic(t);
    register_comparisons(t);
    register_casts(t);
    register_fields(t);
    register_constructors(t);
    zone::register(t);
    timetz::register(t);
    register_series(t);
}

fn register_arithmetic(t: &mut Table) {
    reg(t, &["date_pli"], |_, a| {
        Ok(Datum::Date(date(&a[0])?.add_days(int4(&a[1])?)?.0))
    });
    reg(t, &["date_mii"], |_, a| {
        Ok(Datum::Date(date_minus_days(date(&a[0])?, int4(&a[1])?)?.0))
    });
    reg(t, &["date_mi"], |_, a| {
        Ok(Datum::Int4(date(&a[0])?.days_between(date(&a[1])?)?))
    });
    reg(t, &["date_pl_interval"], |_, a| {
        let ts = date(&a[0])?.to_timestamp()?;
        Ok(Datum::Timestamp(timestamp_plus(ts, &interval(&a[1])?)?.0))
    });
    reg(t, &["date_mi_interval"], |_, a| {
        let ts = date(&a[0])?.to_timestamp()?;
        Ok(Datum::Timestamp(timestamp_minus(ts, &interval(&a[1])?)?.0))
    });
    reg(t, &["datetime_timestamp"], |_, a| {
        Ok(Datum::Timestamp(
            date_plus_time(date(&a[0])?, time(&a[1])?)?.0,
        ))
    });
    reg(t, &["timestamp_pl_interval"], |_, a| {
        let ts = Timestamp(usecs(&a[0])?);
        Ok(Datum::Timestamp(timestamp_plus(ts, &interval(&a[1])?)?.0))
    });
    reg(t, &["timestamp_mi_interval"], |_, a| {
        let ts = Timestamp(usecs(&a[0])?);
        Ok(Datum::Timestamp(timestamp_minus(ts, &interval(&a[1])?)?.0))
    });
    reg(t, &["timestamptz_pl_interval"], |ctx, a| {
        let ts = TimestampTz(usecs(&a[0])?);
        let r = timestamptz_plus(ts, &interval(&a[1])?, session_zone(ctx))?;
        Ok(Datum::TimestampTz(r.0))
    });
    // pg_sleep_for(interval) and pg_sleep_until(timestamptz), SQL functions over pg_sleep
    // in PostgreSQL: sleep until the clock reaches now + the interval, or the given time.
    reg(t, &["pg_sleep_for"], |ctx, a| {
        let now = ctx.session.clock_now();
        let until = timestamptz_plus(TimestampTz(now), &interval(&a[0])?, session_zone(ctx))?;
        if until.0 > now {
            ctx.session.sleep((until.0 - now) as u64)?;
        }
        Ok(crate::io::void_value())
    });
    reg(t, &["pg_sleep_until"], |ctx, a| {
        let (now, until) = (ctx.session.clock_now(), usecs(&a[0])?);
        if until > now {
            ctx.session.sleep((until - now) as u64)?;
        }
        Ok(crate::io::void_value())
    });
    reg(t, &["timestamptz_mi_interval"], |ctx, a| {
        let ts = TimestampTz(usecs(&a[0])?);
        let r = timestamptz_minus(ts, &interval(&a[1])?, session_zone(ctx))?;
        Ok(Datum::TimestampTz(r.0))
    });
    // Serves timestamp - timestamp and timestamptz - timestamptz.
    reg(t, &["timestamp_mi"], |_, a| {
        let r = Timestamp(usecs(&a[0])?).sub_timestamp(Timestamp(usecs(&a[1])?))?;
        Ok(interval_datum(r))
    });
    reg(t, &["interval_pl"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.add(&interval(&a[1])?)?))
    });
    reg(t, &["interval_mi"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.sub(&interval(&a[1])?)?))
    });
    reg(t, &["interval_um"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.neg()?))
    });
    reg(t, &["interval_mul"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.mul(float8(&a[1])?)?))
    });
    reg(t, &["mul_d_interval"], |_, a| {
        Ok(interval_datum(interval(&a[1])?.mul(float8(&a[0])?)?))
    });
    reg(t, &["interval_div"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.div(float8(&a[1])?)?))
    });
    reg(t, &["time_pl_interval"], |_, a| {
        Ok(Datum::Time(
            time_add_micros(time(&a[0])?, interval(&a[1])?.micros).0,
        ))
    });
    reg(t, &["time_mi_interval"], |_, a| {
        let t = time(&a[0])?;
        let micros = interval(&a[1])?.micros % USECS_PER_DAY;
        Ok(Datum::Time((t.0 - micros).rem_euclid(USECS_PER_DAY)))
    });
    reg(t, &["time_mi_time"], |_, a| {
        Ok(interval_datum(Interval::new(
            0,
            0,
            time(&a[0])?.0 - time(&a[1])?.0,
        )))
    });
    reg(t, &["interval_justify_hours"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.justify_hours()?))
    });
    reg(t, &["interval_justify_days"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.justify_days()?))
    });
    reg(t, &["interval_justify_interval"], |_, a| {
        Ok(interval_datum(interval(&a[0])?.justify_interval()?))
    });
    reg(t, &["timestamp_age"], |_, a| {
        let r = make::timestamp_age(Timestamp(usecs(&a[0])?), Timestamp(usecs(&a[1])?))?;
        Ok(interval_datum(r))
    });
    reg(t, &["timestamptz_age"], |ctx, a| {
        let r = make::timestamptz_age(
            TimestampTz(usecs(&a[0])?),
            TimestampTz(usecs(&a[1])?),
            session_zone(ctx),
        )?;
        Ok(interval_datum(r))
    });
    reg(t, &["timestamp_bin"], |_, a| {
        Ok(Datum::Timestamp(date_bin(
            &interval(&a[0])?,
            usecs(&a[1])?,
            usecs(&a[2])?,
        )?))
    });
    reg(t, &["timestamptz_bin"], |_, a| {
        Ok(Datum::TimestampTz(date_bin(
            &interval(&a[0])?,
            usecs(&a[1])?,
            usecs(&a[2])?,
        )?))
    });
}

fn register_series(t: &mut Table) {
    t.insert(
        "generate_series_timestamp",
        super::Builtin::Set(|ctx, a| timestamp_series(ctx, a, false)),
    );
    t.insert(
        "generate_series_timestamptz",
        super::Builtin::Set(|ctx, a| timestamp_series(ctx, a, true)),
    );
}

fn register_comparisons(t: &mut Table) {
    cross_compare!(t, "date", "timestamp", cmp_date_timestamp);
    cross_compare!(t, "date", "timestamptz", cmp_date_timestamptz);
    cross_compare!(t, "timestamp", "date", cmp_timestamp_date);
    cross_compare!(t, "timestamptz", "date", cmp_timestamptz_date);
    cross_compare!(t, "timestamp", "timestamptz", cmp_timestamp_timestamptz);
    cross_compare!(t, "timestamptz", "timestamp", cmp_timestamptz_timestamp);

    reg(t, &["date_cmp"], |_, a| {
        Ok(cmp_int(date(&a[0])?.cmp(&date(&a[1])?)))
    });
    reg(t, &["time_cmp"], |_, a| {
        Ok(cmp_int(time(&a[0])?.cmp(&time(&a[1])?)))
    });
    reg(t, &["timestamp_cmp"], |_, a| {
        Ok(cmp_int(usecs(&a[0])?.cmp(&usecs(&a[1])?)))
    });
    reg(t, &["interval_cmp"], |_, a| {
        Ok(cmp_int(interval(&a[0])?.cmp(&interval(&a[1])?)))
    });
    // larger/smaller return the second argument on ties, as PostgreSQL does (visible for
    // intervals such as '1 mon' and '30 days').
    reg(
        t,
        &[
            "date_larger",
            "time_larger",
            "timestamp_larger",
            "interval_larger",
        ],
        |_, a| {
            Ok(if order(&a[0], &a[1])?.is_gt() {
                a[0].clone()
            } else {
                a[1].clone()
            })
        },
    );
    reg(
        t,
        &[
            "date_smaller",
            "time_smaller",
            "timestamp_smaller",
            "interval_smaller",
        ],
        |_, a| {
            Ok(if order(&a[0], &a[1])?.is_lt() {
                a[0].clone()
            } else {
                a[1].clone()
            })
        },
    );
    reg(t, &["date_finite"], |_, a| {
        Ok(Datum::Bool(!date(&a[0])?.is_infinite()))
    });
    reg(t, &["timestamp_finite"], |_, a| {
        Ok(Datum::Bool(!is_infinite_usecs(usecs(&a[0])?)))
    });
    reg(t, &["interval_finite"], |_, _| Ok(Datum::Bool(true)));
    reg(t, &["overlaps_timestamp", "overlaps_time"], |_, a| {
        sql_language::overlaps(a)
    });
}

/// Ordering of two values of the same date/time type.
fn order(a: &Datum, b: &Datum) -> Result<Ordering> {
    Ok(match (a, b) {
        (Datum::Date(x), Datum::Date(y)) => x.cmp(y),
        (Datum::Time(x), Datum::Time(y))
        | (Datum::Timestamp(x), Datum::Timestamp(y))
        | (Datum::TimestampTz(x), Datum::TimestampTz(y)) => x.cmp(y),
        _ => interval(a)?.cmp(&interval(b)?),
    })
}

fn register_casts(t: &mut Table) {
    reg(t, &["date_timestamp"], |_, a| {
        Ok(Datum::Timestamp(date(&a[0])?.to_timestamp()?.0))
    });
    reg(t, &["date_timestamptz"], |ctx, a| {
        Ok(Datum::TimestampTz(
            date(&a[0])?.to_timestamptz(session_zone(ctx))?.0,
        ))
    });
    reg(t, &["timestamp_date"], |_, a| {
        Ok(Datum::Date(timestamp_to_date(usecs(&a[0])?).0))
    });
    reg(t, &["timestamptz_date"], |ctx, a| {
        let local = TimestampTz(usecs(&a[0])?).to_local(session_zone(ctx))?;
        Ok(Datum::Date(timestamp_to_date(local.0).0))
    });
    reg(t, &["timestamp_timestamptz"], |ctx, a| {
        let r = Timestamp(usecs(&a[0])?).to_timestamptz(session_zone(ctx))?;
        Ok(Datum::TimestampTz(r.0))
    });
    reg(t, &["timestamptz_timestamp"], |ctx, a| {
        let r = TimestampTz(usecs(&a[0])?).to_local(session_zone(ctx))?;
        Ok(Datum::Timestamp(r.0))
    });
    // The time of an infinite timestamp is NULL.
    reg(t, &["timestamp_time"], |_, a| {
        let ts = usecs(&a[0])?;
        Ok(if is_infinite_usecs(ts) {
            Datum::Null
        } else {
            Datum::Time(ts.rem_euclid(USECS_PER_DAY))
        })
    });
    reg(t, &["timestamptz_time"], |ctx, a| {
        let ts = usecs(&a[0])?;
        if is_infinite_usecs(ts) {
            return Ok(Datum::Null);
        }
        let local = TimestampTz(ts).to_local(session_zone(ctx))?;
        Ok(Datum::Time(local.0.rem_euclid(USECS_PER_DAY)))
    });
    reg(t, &["time_interval"], |_, a| {
        Ok(interval_datum(Interval::new(0, 0, time(&a[0])?.0)))
    });
    reg(t, &["interval_time"], |_, a| {
        Ok(Datum::Time(interval_to_time(&interval(&a[0])?).0))
    });
    // Type modifiers: fractional-second precision (and interval field ranges).
    reg(t, &["time_scale"], |_, a| {
        Ok(Datum::Time(adjust_time_for_typmod(
            time(&a[0])?.0,
            int4(&a[1])?,
        )))
    });
    reg(t, &["timestamp_scale"], |_, a| {
        Ok(Datum::Timestamp(adjust_timestamp_for_typmod(
            usecs(&a[0])?,
            int4(&a[1])?,
        )?))
    });
    reg(t, &["timestamptz_scale"], |_, a| {
        Ok(Datum::TimestampTz(adjust_timestamp_for_typmod(
            usecs(&a[0])?,
            int4(&a[1])?,
        )?))
    });
    reg(t, &["interval_scale"], |_, a| {
        Ok(interval_datum(adjust_interval_for_typmod(
            interval(&a[0])?,
            int4(&a[1])?,
        )?))
    });
}

fn register_fields(t: &mut Table) {
    reg(t, &["timestamp_part"], |_, a| {
        let v = fields::date_part_timestamp(text(&a[0])?, Timestamp(usecs(&a[1])?))?;
        Ok(or_null(v, Datum::Float8))
    });
    reg(t, &["timestamptz_part"], |ctx, a| {
        let v = fields::date_part_timestamptz(
            text(&a[0])?,
            TimestampTz(usecs(&a[1])?),
            session_zone(ctx),
        )?;
        Ok(or_null(v, Datum::Float8))
    });
    reg(t, &["interval_part"], |_, a| {
        Ok(Datum::Float8(fields::date_part_interval(
            text(&a[0])?,
            &interval(&a[1])?,
        )?))
    });
    reg(t, &["time_part"], |_, a| {
        Ok(Datum::Float8(fields::date_part_time(
            text(&a[0])?,
            time(&a[1])?,
        )?))
    });
    reg(t, &["extract_date"], |_, a| {
        let v = fields::extract_date(text(&a[0])?, date(&a[1])?)?;
        Ok(or_null(v, Datum::Numeric))
    });
    reg(t, &["extract_timestamp"], |_, a| {
        let v = fields::extract_timestamp(text(&a[0])?, Timestamp(usecs(&a[1])?))?;
        Ok(or_null(v, Datum::Numeric))
    });
    reg(t, &["extract_timestamptz"], |ctx, a| {
        let v = fields::extract_timestamptz(
            text(&a[0])?,
            TimestampTz(usecs(&a[1])?),
            session_zone(ctx),
        )?;
        Ok(or_null(v, Datum::Numeric))
    });
    reg(t, &["extract_interval"], |_, a| {
        Ok(Datum::Numeric(fields::extract_interval(
            text(&a[0])?,
            &interval(&a[1])?,
        )?))
    });
    reg(t, &["extract_time"], |_, a| {
        Ok(Datum::Numeric(fields::extract_time(
            text(&a[0])?,
            time(&a[1])?,
        )?))
    });
    reg(t, &["timestamp_trunc"], |_, a| {
        let r = fields::timestamp_trunc(text(&a[0])?, Timestamp(usecs(&a[1])?))?;
        Ok(Datum::Timestamp(r.0))
    });
    reg(t, &["timestamptz_trunc"], |ctx, a| {
        let r =
            fields::timestamptz_trunc(text(&a[0])?, TimestampTz(usecs(&a[1])?), session_zone(ctx))?;
        Ok(Datum::TimestampTz(r.0))
    });
    reg(t, &["timestamptz_trunc_zone"], |_, a| {
        let ts = TimestampTz(usecs(&a[1])?);
        // No zone lookup for infinite input, as in PostgreSQL.
        if ts.is_infinite() {
            return Ok(Datum::TimestampTz(ts.0));
        }
        let zone = match resolve_zone(text(&a[2])?)? {
            ZoneSpec::Fixed(offset) => TimeZone::fixed(offset),
            ZoneSpec::Dynamic(_, tz) | ZoneSpec::Named(tz) => tz,
        };
        let r = fields::timestamptz_trunc(text(&a[0])?, ts, &zone)?;
        Ok(Datum::TimestampTz(r.0))
    });
    reg(t, &["interval_trunc"], |_, a| {
        Ok(interval_datum(fields::interval_trunc(
            text(&a[0])?,
            &interval(&a[1])?,
        )?))
    });
}

fn register_constructors(t: &mut Table) {
    reg(t, &["make_date"], |_, a| {
        Ok(Datum::Date(
            make::make_date(int4(&a[0])?, int4(&a[1])?, int4(&a[2])?)?.0,
        ))
    });
    reg(t, &["make_time"], |_, a| {
        Ok(Datum::Time(make::make_time(
            int4(&a[0])?,
            int4(&a[1])?,
            float8(&a[2])?,
        )?))
    });
    reg(t, &["make_timestamp"], |_, a| {
        let r = make::make_timestamp(
            int4(&a[0])?,
            int4(&a[1])?,
            int4(&a[2])?,
            int4(&a[3])?,
            int4(&a[4])?,
            float8(&a[5])?,
        )?;
        Ok(Datum::Timestamp(r.0))
    });
    reg(t, &["make_timestamptz"], |ctx, a| {
        let r = make::make_timestamptz(
            int4(&a[0])?,
            int4(&a[1])?,
            int4(&a[2])?,
            int4(&a[3])?,
            int4(&a[4])?,
            float8(&a[5])?,
            session_zone(ctx),
        )?;
        Ok(Datum::TimestampTz(r.0))
    });
    reg(t, &["make_timestamptz_at_timezone"], |_, a| {
        let local = make::make_timestamp(
            int4(&a[0])?,
            int4(&a[1])?,
            int4(&a[2])?,
            int4(&a[3])?,
            int4(&a[4])?,
            float8(&a[5])?,
        )?;
        let offset = sane_zone_offset(text(&a[6])?, local.0)?;
        Ok(Datum::TimestampTz(checked_timestamp(
            i128::from(local.0) - i128::from(offset) * i128::from(USECS_PER_SEC),
        )?))
    });
    reg(t, &["make_interval"], |_, a| {
        Ok(interval_datum(make::make_interval(
            int4(&a[0])?,
            int4(&a[1])?,
            int4(&a[2])?,
            int4(&a[3])?,
            int4(&a[4])?,
            int4(&a[5])?,
            float8(&a[6])?,
        )?))
    });
    reg(t, &["float8_timestamptz"], |_, a| {
        Ok(Datum::TimestampTz(make::to_timestamp(float8(&a[0])?)?.0))
    });
    reg(t, &["timeofday"], |ctx, _| {
        let now = ctx.session.clock_now();
        Ok(Datum::Text(time_of_day(now, session_zone(ctx))))
    });
}

/// Rows of `generate_series(start, stop, step)` over `timestamp` or `timestamptz`
/// (`generate_series_timestamp[tz]`): `start`, `start + step`, ... while not past `stop`.
/// Checks for cancellation as it goes, since a series towards `infinity` never ends.
///
/// Errors: 22023 `step size cannot equal zero`; 22008 `timestamp out of range`.
fn timestamp_series(
    ctx: &mut EvalContext<'_>,
    args: &[Datum],
    with_zone: bool,
) -> Result<Vec<Datum>> {
    let (start, stop, step) = (usecs(&args[0])?, usecs(&args[1])?, interval(&args[2])?);
    let sign = step.cmp(&Interval::default());
    if sign.is_eq() {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "step size cannot equal zero"
        ));
    }
    let wrap = if with_zone {
        Datum::TimestampTz
    } else {
        Datum::Timestamp
    };
    let mut out = Vec::new();
    let mut current = start;
    while if sign.is_gt() {
        current <= stop
    } else {
        current >= stop
    } {
        if out.len() % 4096 == 0 {
            ctx.session.check_interrupts()?;
        }
        out.push(wrap(current));
        current = if with_zone {
            timestamptz_plus(TimestampTz(current), &step, session_zone(ctx))?.0
        } else {
            timestamp_plus(Timestamp(current), &step)?.0
        };
    }
    Ok(out)
}

/// Test support: an evaluation context over a stub session.
#[cfg(test)]
pub(super) mod test_support {
    use crate::{EvalContext, OutputSettings, SessionContext};
    use tusk_types::adt::datetime::TimeZone;
    use tusk_types::{Datum, Result};

    struct StubSession;

    impl SessionContext for StubSession {
        fn setting(&self, name: &str) -> Result<String> {
            Ok(name.to_string())
        }
        fn set_setting(&mut self, _: &str, value: &str, _: bool) -> Result<String> {
            Ok(value.to_string())
        }
        fn check_interrupts(&self) -> Result<()> {
            Ok(())
        }
        fn sleep(&self, _: u64) -> Result<()> {
            Ok(())
        }
        fn clock_now(&self) -> i64 {
            // 2024-01-08 12:00:00.5 UTC
            8773 * 86_400_000_000 + 12 * 3_600_000_000 + 500_000
        }
    }

    /// Runs `f` with an evaluation context whose session zone is `zone` and whose
    /// transaction started at 2024-01-08 12:00:00 UTC.
    pub(crate) fn with_context<R>(zone: &str, f: impl FnOnce(&mut EvalContext<'_>) -> R) -> R {
        let output = OutputSettings {
            time_zone: TimeZone::named(zone).expect("known zone"),
            ..OutputSettings::default()
        };
        let mut session = StubSession;
        let mut ctx = EvalContext {
            modifying_ctes: Default::default(),
            session: &mut session,
            output: &output,
            statement_start: 0,
            transaction_start: 8773 * 86_400_000_000 + 12 * 3_600_000_000,
            current_user: "postgres",
            session_user: "postgres",
            database: "postgres",
            backend_pid: 1,
            params: &[],
            tables: &crate::NoTables,
        };
        f(&mut ctx)
    }

    /// Calls the registered function `prosrc` with `args` in session zone `zone`.
    pub(crate) fn call(zone: &str, prosrc: &str, args: &[Datum]) -> Result<Datum> {
        match super::super::table().get(prosrc) {
            Some(super::super::Builtin::Scalar(f)) => with_context(zone, |ctx| f(ctx, args)),
            _ => panic!("{prosrc} is not registered as a scalar function"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::call;
    use super::*;
    use tusk_types::adt::datetime::date::date_in;
    use tusk_types::adt::datetime::interval::interval_in;
    use tusk_types::adt::datetime::timestamp::{
        timestamp_in, timestamp_out, timestamptz_in, timestamptz_out,
    };
    use tusk_types::adt::datetime::{DateStyle, IntervalStyle};

    const LA: &str = "America/Los_Angeles";

    fn zone(name: &str) -> TimeZone {
        TimeZone::named(name).expect("zone")
    }
    fn d(s: &str) -> Datum {
        let now = TimestampTz(0);
        Datum::Date(
            date_in(s, &DateStyle::default(), &TimeZone::utc(), now)
                .expect("date")
                .0,
        )
    }
    fn ts(s: &str) -> Datum {
        let now = TimestampTz(0);
        Datum::Timestamp(
            timestamp_in(s, &DateStyle::default(), &TimeZone::utc(), now)
                .expect("timestamp")
                .0,
        )
    }
    fn tstz(s: &str, z: &str) -> Datum {
        let now = TimestampTz(0);
        Datum::TimestampTz(
            timestamptz_in(s, &DateStyle::default(), &zone(z), now)
                .expect("timestamptz")
                .0,
        )
    }
    fn iv(s: &str) -> Datum {
        interval_datum(interval_in(s, IntervalStyle::Postgres).expect("interval"))
    }
    fn show(v: &Datum, z: &str) -> String {
        let style = DateStyle::default();
        match v {
            Datum::Date(x) => tusk_types::adt::datetime::date::date_out(Date(*x), &style),
            Datum::Timestamp(x) => timestamp_out(Timestamp(*x), &style),
            Datum::TimestampTz(x) => timestamptz_out(TimestampTz(*x), &style, &zone(z)),
            Datum::Time(x) => tusk_types::adt::datetime::time::time_out(Time(*x)),
            Datum::Interval { .. } => tusk_types::adt::datetime::interval::interval_out(
                &interval(v).expect("interval"),
                IntervalStyle::Postgres,
            ),
            Datum::Numeric(n) => n.to_string(),
            other => format!("{other:?}"),
        }
    }
    fn run(z: &str, prosrc: &str, args: &[Datum]) -> String {
        match call(z, prosrc, args) {
            Ok(v) => show(&v, z),
            Err(e) => format!("ERR {} {}", e.code.code(), e.message),
        }
    }
    fn txt(s: &str) -> Datum {
        Datum::Text(s.to_string())
    }

    #[test]
    fn date_arithmetic_matches_postgres() {
        assert_eq!(
            run("UTC", "date_pli", &[d("2024-02-28"), Datum::Int4(2)]),
            "2024-03-01"
        );
        assert_eq!(
            run("UTC", "date_mii", &[d("2024-03-01"), Datum::Int4(1)]),
            "2024-02-29"
        );
        assert_eq!(
            run("UTC", "date_mi", &[d("2024-03-01"), d("2023-03-01")]),
            "Int4(366)"
        );
        assert_eq!(
            run("UTC", "date_mi", &[d("infinity"), d("2023-03-01")]),
            "ERR 22008 cannot subtract infinite dates"
        );
        assert_eq!(
            run("UTC", "date_pli", &[d("5874897-12-31"), Datum::Int4(1)]),
            "ERR 22008 date out of range"
        );
        assert_eq!(
            run("UTC", "date_pl_interval", &[d("2024-01-31"), iv("1 month")]),
            "2024-02-29 00:00:00"
        );
        assert_eq!(
            run(
                "UTC",
                "datetime_timestamp",
                &[d("2024-01-31"), Datum::Time(3_600_000_000)]
            ),
            "2024-01-31 01:00:00"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_mi_interval",
                &[ts("2000-01-01"), iv("2451546 days")]
            ),
            "ERR 22008 timestamp out of range"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamptz_pl_interval",
                &[tstz("2000-01-01", "UTC"), iv("-2483590 days")]
            ),
            "ERR 22008 timestamp out of range"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_mi_interval",
                &[ts("2000-01-01"), iv("2451545 days")]
            ),
            "4714-11-24 00:00:00 BC"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_mi",
                &[ts("2024-03-01 12:00"), ts("2024-02-28 06:30")]
            ),
            "2 days 05:30:00"
        );
    }

    #[test]
    fn timestamptz_arithmetic_uses_session_zone() {
        // Crossing the spring-forward transition keeps the wall-clock time.
        assert_eq!(
            run(
                LA,
                "timestamptz_pl_interval",
                &[tstz("2024-03-09 12:00", LA), iv("1 day")]
            ),
            "2024-03-10 12:00:00-07"
        );
        assert_eq!(
            run(
                LA,
                "timestamptz_pl_interval",
                &[tstz("2024-03-09 12:00", LA), iv("24 hours")]
            ),
            "2024-03-10 13:00:00-07"
        );
    }

    #[test]
    fn interval_arithmetic() {
        assert_eq!(
            run("UTC", "interval_mul", &[iv("1 month"), Datum::Float8(1.5)]),
            "1 mon 15 days"
        );
        assert_eq!(
            run("UTC", "interval_div", &[iv("1 day"), Datum::Float8(0.0)]),
            "ERR 22012 division by zero"
        );
        assert_eq!(
            run("UTC", "time_mi_interval", &[Datum::Time(0), iv("1 hour")]),
            "23:00:00"
        );
        assert_eq!(
            run("UTC", "interval_larger", &[iv("1 mon"), iv("30 days")]),
            "30 days"
        );
    }

    #[test]
    fn cross_type_comparisons_handle_overflow() {
        assert_eq!(
            call(
                "UTC",
                "date_lt_timestamp",
                &[d("2024-01-01"), ts("2024-01-01 00:00:01")]
            )
            .ok(),
            Some(Datum::Bool(true))
        );
        // Beyond the timestamp range but below infinity.
        assert_eq!(
            call(
                "UTC",
                "date_cmp_timestamp",
                &[d("5874897-01-01"), ts("infinity")]
            )
            .ok(),
            Some(Datum::Int4(-1))
        );
        assert_eq!(
            call(
                "UTC",
                "date_cmp_timestamp",
                &[d("5874897-01-01"), ts("294276-01-01")]
            )
            .ok(),
            Some(Datum::Int4(1))
        );
        // Midnight in Los Angeles is 08:00 UTC.
        assert_eq!(
            call(
                LA,
                "timestamptz_eq_date",
                &[tstz("2024-01-01 08:00+00", LA), d("2024-01-01")]
            )
            .ok(),
            Some(Datum::Bool(true))
        );
        assert_eq!(
            call(
                LA,
                "timestamp_gt_timestamptz",
                &[ts("2024-01-01 00:00"), tstz("2024-01-01 07:59+00", LA)]
            )
            .ok(),
            Some(Datum::Bool(true))
        );
    }

    #[test]
    fn casts_between_types() {
        assert_eq!(
            run(LA, "timestamptz_date", &[tstz("2024-01-01 03:00+00", LA)]),
            "2023-12-31"
        );
        assert_eq!(
            run("UTC", "timestamp_date", &[ts("1999-12-31 23:59:59.999999")]),
            "1999-12-31"
        );
        assert_eq!(
            run(LA, "timestamp_timestamptz", &[ts("2024-07-01 12:00")]),
            "2024-07-01 12:00:00-07"
        );
        assert_eq!(
            call("UTC", "timestamp_time", &[ts("infinity")]).ok(),
            Some(Datum::Null)
        );
        assert_eq!(run("UTC", "interval_time", &[iv("-1 hour")]), "23:00:00");
        assert_eq!(
            run(
                "UTC",
                "timestamp_scale",
                &[ts("2024-01-01 00:00:00.555"), Datum::Int4(1)]
            ),
            "2024-01-01 00:00:00.6"
        );
    }

    #[test]
    fn fields_and_truncation() {
        assert_eq!(
            run(
                "UTC",
                "extract_timestamp",
                &[txt("epoch"), ts("2024-01-01 00:00:00.5")]
            ),
            "1704067200.500000"
        );
        assert_eq!(
            call("UTC", "timestamp_part", &[txt("dow"), ts("infinity")]).ok(),
            Some(Datum::Null)
        );
        assert_eq!(
            run("UTC", "timestamp_trunc", &[txt("foo"), ts("2024-01-01")]),
            "ERR 22023 unit \"foo\" not recognized for type timestamp without time zone"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamptz_trunc_zone",
                &[
                    txt("day"),
                    tstz("2024-01-01 03:00+00", "UTC"),
                    txt("America/New_York")
                ]
            ),
            "2023-12-31 05:00:00+00"
        );
    }

    #[test]
    fn time_zones() {
        assert_eq!(
            run(
                "UTC",
                "timestamptz_zone",
                &[txt("PST"), tstz("2024-07-01 12:00+00", "UTC")]
            ),
            "2024-07-01 04:00:00"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_zone",
                &[txt("America/New_York"), ts("2024-07-01 12:00")]
            ),
            "2024-07-01 16:00:00+00"
        );
        // POSIX sign convention: '+05' and '5' are five hours west.
        assert_eq!(
            run(
                "UTC",
                "timestamp_zone",
                &[txt("+05"), ts("2024-07-01 12:00")]
            ),
            "2024-07-01 17:00:00+00"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_zone",
                &[txt("-05:30"), ts("2024-07-01 12:00")]
            ),
            "2024-07-01 06:30:00+00"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_zone",
                &[txt("Mars/Olympus"), ts("2024-07-01 12:00")]
            ),
            "ERR 22023 time zone \"Mars/Olympus\" not recognized"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamptz_izone",
                &[iv("1 day"), tstz("2024-07-01 12:00+00", "UTC")]
            ),
            "ERR 22023 interval time zone \"1 day\" must not include months or days"
        );
        assert_eq!(
            run(
                "UTC",
                "make_timestamptz_at_timezone",
                &[
                    Datum::Int4(2024),
                    Datum::Int4(1),
                    Datum::Int4(1),
                    Datum::Int4(0),
                    Datum::Int4(0),
                    Datum::Float8(0.0),
                    txt("+05:30")
                ]
            ),
            "2023-12-31 18:30:00+00"
        );
    }

    #[test]
    fn overlaps_follows_the_null_rules() {
        let o = |a: &[Datum]| call("UTC", "overlaps_timestamp", a).expect("overlaps");
        let (t1, t2, t3, t4) = (
            ts("2024-01-01"),
            ts("2024-01-03"),
            ts("2024-01-02"),
            ts("2024-01-05"),
        );
        assert_eq!(
            o(&[t1.clone(), t2.clone(), t3.clone(), t4.clone()]),
            Datum::Bool(true)
        );
        // Reversed ends are swapped.
        assert_eq!(
            o(&[t2.clone(), t1.clone(), t4.clone(), t3.clone()]),
            Datum::Bool(true)
        );
        assert_eq!(
            o(&[t1.clone(), t1.clone(), t4.clone(), t3.clone()]),
            Datum::Bool(false)
        );
        assert_eq!(
            o(&[t1.clone(), Datum::Null, t3.clone(), t4.clone()]),
            Datum::Null
        );
        assert_eq!(
            o(&[t3.clone(), Datum::Null, t1.clone(), t4.clone()]),
            Datum::Bool(true)
        );
        assert_eq!(o(&[Datum::Null, Datum::Null, t1, t4]), Datum::Null);
    }

    #[test]
    fn sql_language_functions_compute_their_bodies() {
        let f = |z: &str, oid: u32, args: &[Datum]| {
            let f = sql_language_function(oid).expect("known oid");
            match test_support::with_context(z, |ctx| f(ctx, args)) {
                Ok(v) => show(&v, z),
                Err(e) => format!("ERR {} {}", e.code.code(), e.message),
            }
        };
        assert_eq!(
            f("UTC", 2550, &[Datum::Int4(1), d("2024-01-01")]),
            "2024-01-02"
        );
        assert_eq!(
            f("UTC", 2548, &[iv("1 day"), ts("2024-01-01")]),
            "2024-01-02 00:00:00"
        );
        assert_eq!(
            f(LA, 1176, &[d("2024-07-01"), Datum::Time(3_600_000_000)]),
            "2024-07-01 01:00:00-07"
        );
        assert_eq!(
            f("UTC", 1384, &[txt("year"), d("2024-01-01")]),
            "Float8(2024.0)"
        );
        // The stub transaction started on 2024-01-08.
        assert_eq!(f("UTC", 2059, &[ts("2000-01-01")]), "24 years 7 days");
        assert_eq!(
            f(
                "UTC",
                2042,
                &[
                    ts("2024-01-01"),
                    iv("2 days"),
                    ts("2024-01-02"),
                    iv("1 day")
                ]
            ),
            "Bool(true)"
        );
        assert!(sql_language_function(1).is_none());
    }

    #[test]
    fn timestamp_series_steps_by_calendar() {
        let rows = match super::super::table().get("generate_series_timestamp") {
            Some(super::super::Builtin::Set(f)) => test_support::with_context("UTC", |ctx| {
                f(ctx, &[ts("2024-01-31"), ts("2024-05-01"), iv("1 month")])
            }),
            _ => panic!("not registered"),
        }
        .expect("series");
        let shown: Vec<String> = rows.iter().map(|v| show(v, "UTC")).collect();
        assert_eq!(
            shown,
            [
                "2024-01-31 00:00:00",
                "2024-02-29 00:00:00",
                "2024-03-29 00:00:00",
                "2024-04-29 00:00:00"
            ]
        );
    }

    #[test]
    fn date_bin_and_timeofday() {
        assert_eq!(
            run(
                "UTC",
                "timestamp_bin",
                &[
                    iv("15 minutes"),
                    ts("2020-02-11 15:44:17"),
                    ts("2001-01-01")
                ]
            ),
            "2020-02-11 15:30:00"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_bin",
                &[iv("1 month"), ts("2020-02-11"), ts("2001-01-01")]
            ),
            "ERR 0A000 timestamps cannot be binned into intervals containing months or years"
        );
        // An origin after the source: the bin still starts at or before the source.
        assert_eq!(
            run(
                "UTC",
                "timestamp_bin",
                &[
                    iv("15 minutes"),
                    ts("2020-02-11 15:10:00"),
                    ts("2020-02-11 15:45:00")
                ]
            ),
            "2020-02-11 15:00:00"
        );
        assert_eq!(
            run(
                "UTC",
                "timestamp_bin",
                &[
                    iv("15 minutes"),
                    ts("2020-02-11 15:30:00"),
                    ts("2020-02-11 15:45:00")
                ]
            ),
            "2020-02-11 15:30:00"
        );
        assert_eq!(
            call("UTC", "timeofday", &[]).ok(),
            Some(Datum::Text("Mon Jan 08 12:00:00.500000 2024 UTC".into()))
        );
    }
}
