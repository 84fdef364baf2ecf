//! `extract`/`date_part` and `date_trunc` (PostgreSQL docs §9.9.1 and §9.9.2).
//!
//! A unit name (`'year'`, `'microseconds'`, `'isodow'`, `'epoch'`, ...) is looked up as
//! PostgreSQL's `DecodeUnits` then `DecodeSpecial` do: case-insensitively, comparing at most
//! ten characters. A name that is no unit is 22023 `unit "x" not recognized for type …`; a
//! unit that does not apply to the type is 0A000 `unit "x" not supported for type …`.
//!
//! `extract` returns `numeric` (seconds with six decimals, milliseconds with three, epoch
//! with six for timestamps); `date_part` returns `double precision`. For infinite inputs,
//! fields that grow with time (year, epoch, julian, ...) are ±Infinity and the others NULL
//! (`None`).
//!
//! Entry points: [`extract_timestamp`], [`extract_timestamptz`], [`extract_date`],
//! [`extract_time`], [`extract_timetz`], [`extract_interval`], [`date_part_timestamp`],
//! [`timestamp_trunc`], [`timestamptz_trunc`], [`interval_trunc`].

use crate::adt::numeric::Numeric;
use crate::{pg_err, Error, Result};

use super::date::Date;
use super::format::IntervalFields;
use super::interval::{interval_out_of_range, Interval};
use super::parse::{lookup_keyword, usecs_to_tm, Keyword, Reserved, Unit};
use super::time::{Time, TimeTz};
use super::timestamp::{timestamp_out_of_range, Timestamp, TimestampTz};
use super::timezone::TimeZone;
use super::{
    date2j, j2date, j2day, Tm, POSTGRES_EPOCH_JDATE, SECS_PER_DAY, UNIX_EPOCH_JDATE, USECS_PER_DAY,
    USECS_PER_SEC,
};

/// A field of a date/time value that `extract` and `date_trunc` name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DateTimeUnit {
    /// Seconds field × 1,000,000 plus microseconds.
    Microseconds,
    /// Seconds field × 1,000 plus fraction.
    Milliseconds,
    /// Seconds with fraction.
    Second,
    /// Minutes field.
    Minute,
    /// Hours field.
    Hour,
    /// Day of month (or interval days).
    Day,
    /// ISO 8601 week number.
    Week,
    /// Month.
    Month,
    /// Quarter 1-4.
    Quarter,
    /// Year.
    Year,
    /// Year / 10.
    Decade,
    /// Century.
    Century,
    /// Millennium.
    Millennium,
    /// Julian day number with fraction.
    Julian,
    /// ISO 8601 week-numbering year.
    IsoYear,
    /// Day of week, Sunday = 0.
    Dow,
    /// Day of week, Monday = 1 .. Sunday = 7.
    IsoDow,
    /// Day of year.
    Doy,
    /// UTC offset in seconds.
    Timezone,
    /// Hours part of the UTC offset.
    TimezoneHour,
    /// Minutes part of the UTC offset.
    TimezoneMinute,
    /// Seconds since 1970-01-01 00:00:00 UTC (a reserved word, not a unit, in PostgreSQL).
    Epoch,
}

/// What a unit name resolves to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lookup {
    Unit(DateTimeUnit),
    /// `epoch`, which `extract` accepts but `date_trunc` does not.
    Epoch,
    /// Another reserved word (`now`, `infinity`, ...): recognized, never supported.
    OtherReserved,
    Unknown,
}

/// `deltatktbl`'s unit words (keys cut to ten characters), sorted.
static DELTA_UNITS: &[(&str, DateTimeUnit)] = &[
    ("c", DateTimeUnit::Century),
    ("cent", DateTimeUnit::Century),
    ("centuries", DateTimeUnit::Century),
    ("century", DateTimeUnit::Century),
    ("d", DateTimeUnit::Day),
    ("day", DateTimeUnit::Day),
    ("days", DateTimeUnit::Day),
    ("dec", DateTimeUnit::Decade),
    ("decade", DateTimeUnit::Decade),
    ("decades", DateTimeUnit::Decade),
    ("decs", DateTimeUnit::Decade),
    ("h", DateTimeUnit::Hour),
    ("hour", DateTimeUnit::Hour),
    ("hours", DateTimeUnit::Hour),
    ("hr", DateTimeUnit::Hour),
    ("hrs", DateTimeUnit::Hour),
    ("m", DateTimeUnit::Minute),
    ("microsecon", DateTimeUnit::Microseconds),
    ("mil", DateTimeUnit::Millennium),
    ("millennia", DateTimeUnit::Millennium),
    ("millennium", DateTimeUnit::Millennium),
    ("millisecon", DateTimeUnit::Milliseconds),
    ("mils", DateTimeUnit::Millennium),
    ("min", DateTimeUnit::Minute),
    ("mins", DateTimeUnit::Minute),
    ("minute", DateTimeUnit::Minute),
    ("minutes", DateTimeUnit::Minute),
    ("mon", DateTimeUnit::Month),
    ("mons", DateTimeUnit::Month),
    ("month", DateTimeUnit::Month),
    ("months", DateTimeUnit::Month),
    ("ms", DateTimeUnit::Milliseconds),
    ("msec", DateTimeUnit::Milliseconds),
    ("msecond", DateTimeUnit::Milliseconds),
    ("mseconds", DateTimeUnit::Milliseconds),
    ("msecs", DateTimeUnit::Milliseconds),
    ("qtr", DateTimeUnit::Quarter),
    ("quarter", DateTimeUnit::Quarter),
    ("s", DateTimeUnit::Second),
    ("sec", DateTimeUnit::Second),
    ("second", DateTimeUnit::Second),
    ("seconds", DateTimeUnit::Second),
    ("secs", DateTimeUnit::Second),
    ("timezone", DateTimeUnit::Timezone),
    ("timezone_h", DateTimeUnit::TimezoneHour),
    ("timezone_m", DateTimeUnit::TimezoneMinute),
    ("us", DateTimeUnit::Microseconds),
    ("usec", DateTimeUnit::Microseconds),
    ("usecond", DateTimeUnit::Microseconds),
    ("useconds", DateTimeUnit::Microseconds),
    ("usecs", DateTimeUnit::Microseconds),
    ("w", DateTimeUnit::Week),
    ("week", DateTimeUnit::Week),
    ("weeks", DateTimeUnit::Week),
    ("y", DateTimeUnit::Year),
    ("year", DateTimeUnit::Year),
    ("years", DateTimeUnit::Year),
    ("yr", DateTimeUnit::Year),
    ("yrs", DateTimeUnit::Year),
];

/// `DecodeUnits`, then (for `extract`, not `date_trunc`) `DecodeSpecial`.
fn lookup(lower: &str, units_only: bool) -> Lookup {
    let key = &lower[..lower.len().min(10)];
    if let Ok(i) = DELTA_UNITS.binary_search_by(|(k, _)| (*k).cmp(key)) {
        return Lookup::Unit(DELTA_UNITS[i].1);
    }
    if units_only {
        return Lookup::Unknown;
    }
    match lookup_keyword(lower) {
        Some(Keyword::Units(u)) => Lookup::Unit(match u {
            Unit::Year => DateTimeUnit::Year,
            Unit::Month => DateTimeUnit::Month,
            Unit::Day => DateTimeUnit::Day,
            Unit::Hour => DateTimeUnit::Hour,
            Unit::Minute => DateTimeUnit::Minute,
            Unit::Second => DateTimeUnit::Second,
            Unit::Julian => DateTimeUnit::Julian,
            Unit::Dow => DateTimeUnit::Dow,
            Unit::Doy => DateTimeUnit::Doy,
            Unit::IsoDow => DateTimeUnit::IsoDow,
            Unit::IsoYear => DateTimeUnit::IsoYear,
            Unit::Time => return Lookup::Unknown,
        }),
        Some(Keyword::Reserved(Reserved::Epoch)) => Lookup::Epoch,
        Some(Keyword::Reserved(_)) => Lookup::OtherReserved,
        _ => Lookup::Unknown,
    }
}

fn not_recognized(units: &str, type_name: &str) -> Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "unit \"{}\" not recognized for type {}",
        units,
        type_name
    )
}

fn not_supported(units: &str, type_name: &str) -> Error {
    pg_err!(
        FEATURE_NOT_SUPPORTED,
        "unit \"{}\" not supported for type {}",
        units,
        type_name
    )
}

/// Which function resolves a unit name, as each treats names differently.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// `date_trunc`: only the interval unit words (no `epoch`, `dow`, `julian`, ...).
    Trunc,
    /// `extract` on timestamps and dates: other reserved words are "not supported".
    ExtractDate,
    /// `extract` on times and intervals: other reserved words are "not recognized".
    ExtractTime,
}

fn resolve(units: &str, type_name: &str, caller: Caller) -> Result<(String, DateTimeUnit)> {
    let lower = units.to_lowercase();
    match (lookup(&lower, caller == Caller::Trunc), caller) {
        (Lookup::Unit(u), _) => Ok((lower, u)),
        (Lookup::Epoch, Caller::ExtractDate | Caller::ExtractTime) => {
            Ok((lower, DateTimeUnit::Epoch))
        }
        (Lookup::OtherReserved, Caller::ExtractDate) => Err(not_supported(&lower, type_name)),
        _ => Err(not_recognized(&lower, type_name)),
    }
}

/// `date2isoweek`: ISO 8601 week number of a date.
pub fn date2isoweek(year: i32, mon: i32, mday: i32) -> i32 {
    let dayn = date2j(year, mon, mday);
    let mut day4 = date2j(year, 1, 4);
    let mut day0 = j2day(day4 - 1);
    if dayn < day4 - day0 {
        day4 = date2j(year - 1, 1, 4);
        day0 = j2day(day4 - 1);
    }
    let mut result = (dayn - (day4 - day0)) / 7 + 1;
    if result >= 52 {
        day4 = date2j(year + 1, 1, 4);
        day0 = j2day(day4 - 1);
        if dayn >= day4 - day0 {
            result = (dayn - (day4 - day0)) / 7 + 1;
        }
    }
    result
}

/// `date2isoyear`: ISO 8601 week-numbering year of a date.
pub fn date2isoyear(year: i32, mon: i32, mday: i32) -> i32 {
    let mut year = year;
    let dayn = date2j(year, mon, mday);
    let mut day4 = date2j(year, 1, 4);
    let mut day0 = j2day(day4 - 1);
    if dayn < day4 - day0 {
        day4 = date2j(year - 1, 1, 4);
        day0 = j2day(day4 - 1);
        year -= 1;
    }
    let result = (dayn - (day4 - day0)) / 7 + 1;
    if result >= 52 {
        day4 = date2j(year + 1, 1, 4);
        day0 = j2day(day4 - 1);
        if dayn >= day4 - day0 {
            year += 1;
        }
    }
    year
}

/// `isoweek2date`: the Monday of ISO week `woy` of ISO year `year`.
fn isoweek2date(woy: i32, year: i32) -> (i32, i32, i32) {
    let day4 = date2j(year, 1, 4);
    let day0 = j2day(day4 - 1);
    j2date((woy - 1) * 7 + (day4 - day0))
}

/// A value in one of the two result types.
enum Part {
    Int(i64),
    /// `value / 10^scale` with that display scale.
    Scaled(i64, u32),
    Numeric(Numeric),
}

impl Part {
    fn to_numeric(&self) -> Numeric {
        match self {
            Part::Int(v) => Numeric::from(*v),
            Part::Scaled(v, scale) => scaled_numeric(*v, *scale),
            Part::Numeric(n) => n.clone(),
        }
    }

    fn to_f64(&self, float: Option<f64>) -> f64 {
        if let Some(f) = float {
            return f;
        }
        match self {
            Part::Int(v) => *v as f64,
            Part::Scaled(v, scale) => *v as f64 / 10f64.powi(*scale as i32),
            Part::Numeric(n) => n.to_f64().unwrap_or(f64::NAN),
        }
    }
}

/// `int64_div_fast_to_numeric`: `value / 10^scale` as numeric with display scale `scale`.
fn scaled_numeric(value: i64, scale: u32) -> Numeric {
    let digits = value.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    let sign = if value < 0 { "-" } else { "" };
    let text = if scale > 0 {
        format!("{sign}{int}.{frac}")
    } else {
        format!("{sign}{int}")
    };
    Numeric::parse(&text).expect("formatted digits are a valid numeric")
}

/// Year-based fields shared by timestamps and dates.
fn year_part(unit: DateTimeUnit, year: i32) -> Option<i64> {
    let y = i64::from(year);
    Some(match unit {
        DateTimeUnit::Year => {
            if y > 0 {
                y
            } else {
                y - 1
            }
        }
        DateTimeUnit::Decade => {
            if y >= 0 {
                y / 10
            } else {
                -((8 - (y - 1)) / 10)
            }
        }
        DateTimeUnit::Century => {
            if y > 0 {
                (y + 99) / 100
            } else {
                -((99 - (y - 1)) / 100)
            }
        }
        DateTimeUnit::Millennium => {
            if y > 0 {
                (y + 999) / 1000
            } else {
                -((999 - (y - 1)) / 1000)
            }
        }
        _ => return None,
    })
}

/// Date-based fields shared by timestamps and dates.
fn date_part_of(unit: DateTimeUnit, tm: &Tm) -> Option<i64> {
    if let Some(v) = year_part(unit, tm.year) {
        return Some(v);
    }
    let (y, m, d) = (tm.year, tm.mon, tm.mday);
    Some(match unit {
        DateTimeUnit::Day => i64::from(d),
        DateTimeUnit::Month => i64::from(m),
        DateTimeUnit::Quarter => i64::from((m - 1) / 3 + 1),
        DateTimeUnit::Week => i64::from(date2isoweek(y, m, d)),
        DateTimeUnit::IsoYear => {
            let iy = date2isoyear(y, m, d);
            i64::from(if iy <= 0 { iy - 1 } else { iy })
        }
        DateTimeUnit::Dow | DateTimeUnit::IsoDow => {
            let dow = j2day(date2j(y, m, d));
            i64::from(if unit == DateTimeUnit::IsoDow && dow == 0 {
                7
            } else {
                dow
            })
        }
        DateTimeUnit::Doy => i64::from(date2j(y, m, d) - date2j(y, 1, 1) + 1),
        _ => return None,
    })
}

/// Second-based fields: (numeric part, float part).
fn seconds_part(unit: DateTimeUnit, sec: i32, fsec: i32) -> Option<(Part, Option<f64>)> {
    let micros = i64::from(sec) * 1_000_000 + i64::from(fsec);
    Some(match unit {
        DateTimeUnit::Microseconds => (Part::Int(micros), None),
        DateTimeUnit::Milliseconds => (
            Part::Scaled(micros, 3),
            Some(f64::from(sec) * 1000.0 + f64::from(fsec) / 1000.0),
        ),
        DateTimeUnit::Second => (
            Part::Scaled(micros, 6),
            Some(f64::from(sec) + f64::from(fsec) / 1_000_000.0),
        ),
        _ => return None,
    })
}

/// Fields of a finite timestamp's broken-down local time (and its offset, for timestamptz).
fn timestamp_part(
    unit: DateTimeUnit,
    usecs: i64,
    tm: &Tm,
    tz_east: Option<i32>,
    units: &str,
    type_name: &str,
) -> Result<(Part, Option<f64>)> {
    if let Some(p) = seconds_part(unit, tm.sec, tm.fsec) {
        return Ok(p);
    }
    if let Some(v) = date_part_of(unit, tm) {
        return Ok((Part::Int(v), None));
    }
    Ok(match unit {
        DateTimeUnit::Minute => (Part::Int(i64::from(tm.min)), None),
        DateTimeUnit::Hour => (Part::Int(i64::from(tm.hour)), None),
        DateTimeUnit::Julian => {
            let jd = i64::from(date2j(tm.year, tm.mon, tm.mday));
            let day_micros = ((i64::from(tm.hour) * 60 + i64::from(tm.min)) * 60
                + i64::from(tm.sec))
                * 1_000_000
                + i64::from(tm.fsec);
            let fraction = Numeric::from(day_micros).div(&Numeric::from(USECS_PER_DAY))?;
            let numeric = Numeric::from(jd).add(&fraction)?;
            let float = jd as f64
                + ((f64::from(tm.hour) * 60.0 + f64::from(tm.min)) * 60.0
                    + f64::from(tm.sec)
                    + f64::from(tm.fsec) / 1_000_000.0)
                    / SECS_PER_DAY as f64;
            (Part::Numeric(numeric), Some(float))
        }
        DateTimeUnit::Epoch => {
            let epoch = -i64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
            match usecs.checked_sub(epoch) {
                Some(v) => (Part::Scaled(v, 6), Some(v as f64 / 1_000_000.0)),
                None => {
                    let n = Numeric::from(usecs)
                        .sub(&Numeric::from(epoch))?
                        .div(&Numeric::from(1_000_000i64))?
                        .round(6)?;
                    (
                        Part::Numeric(n),
                        Some((usecs as f64 - epoch as f64) / 1_000_000.0),
                    )
                }
            }
        }
        DateTimeUnit::Timezone | DateTimeUnit::TimezoneHour | DateTimeUnit::TimezoneMinute => {
            let Some(tz) = tz_east else {
                return Err(not_supported(units, type_name));
            };
            let v = match unit {
                DateTimeUnit::Timezone => tz,
                DateTimeUnit::TimezoneHour => tz / 3600,
                _ => (tz / 60) % 60,
            };
            (Part::Int(i64::from(v)), None)
        }
        _ => return Err(not_supported(units, type_name)),
    })
}

/// For an infinite timestamp or date: NULL for cyclic fields, ±Infinity for growing ones.
fn non_finite_part(unit: DateTimeUnit, negative: bool) -> Option<f64> {
    match unit {
        DateTimeUnit::Year
        | DateTimeUnit::Decade
        | DateTimeUnit::Century
        | DateTimeUnit::Millennium
        | DateTimeUnit::Julian
        | DateTimeUnit::IsoYear
        | DateTimeUnit::Epoch => Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }),
        _ => None,
    }
}

fn infinite_numeric(v: f64) -> Numeric {
    if v > 0.0 {
        Numeric::infinity()
    } else {
        Numeric::neg_infinity()
    }
}

const TIMESTAMP: &str = "timestamp without time zone";
const TIMESTAMPTZ: &str = "timestamp with time zone";

/// Shared body of timestamp/timestamptz extraction: numeric and float results.
fn timestamp_extract(
    units: &str,
    usecs: i64,
    tz: Option<&TimeZone>,
) -> Result<Option<(Numeric, f64)>> {
    let type_name = if tz.is_some() { TIMESTAMPTZ } else { TIMESTAMP };
    let (lower, unit) = resolve(units, type_name, Caller::ExtractDate)?;
    if usecs == i64::MIN || usecs == i64::MAX {
        return Ok(non_finite_part(unit, usecs == i64::MIN).map(|f| (infinite_numeric(f), f)));
    }
    let (tm, tz_east) = match tz {
        Some(zone) => {
            let tm = TimestampTz(usecs).to_tm(zone);
            let off = tm.gmtoff;
            (tm, off)
        }
        None => (usecs_to_tm(usecs), None),
    };
    let (part, float) = timestamp_part(unit, usecs, &tm, tz_east, &lower, type_name)?;
    Ok(Some((part.to_numeric(), part.to_f64(float))))
}

/// `extract(field from timestamp)`; `None` is SQL NULL.
///
/// Errors: 22023 `unit "x" not recognized for type timestamp without time zone`, 0A000
/// `unit "timezone" not supported for type timestamp without time zone`.
pub fn extract_timestamp(units: &str, ts: Timestamp) -> Result<Option<Numeric>> {
    Ok(timestamp_extract(units, ts.0, None)?.map(|(n, _)| n))
}

/// `date_part(text, timestamp)` as `double precision`.
///
/// Errors: as [`extract_timestamp`].
pub fn date_part_timestamp(units: &str, ts: Timestamp) -> Result<Option<f64>> {
    Ok(timestamp_extract(units, ts.0, None)?.map(|(_, f)| f))
}

/// `extract(field from timestamptz)` in zone `tz`; `timezone*` fields give its offset.
///
/// Errors: 22023 / 0A000 as [`extract_timestamp`], for type timestamp with time zone.
pub fn extract_timestamptz(units: &str, ts: TimestampTz, tz: &TimeZone) -> Result<Option<Numeric>> {
    Ok(timestamp_extract(units, ts.0, Some(tz))?.map(|(n, _)| n))
}

/// `date_part(text, timestamptz)` as `double precision`.
///
/// Errors: as [`extract_timestamptz`].
pub fn date_part_timestamptz(units: &str, ts: TimestampTz, tz: &TimeZone) -> Result<Option<f64>> {
    Ok(timestamp_extract(units, ts.0, Some(tz))?.map(|(_, f)| f))
}

/// `extract(field from date)` (`extract_date`). (`date_part(text, date)` is
/// [`date_part_timestamp`] on the date's midnight, as in PostgreSQL.)
///
/// Errors: 22023 `unit "x" not recognized for type date`, 0A000
/// `unit "hour" not supported for type date`.
pub fn extract_date(units: &str, d: Date) -> Result<Option<Numeric>> {
    let (lower, unit) = resolve(units, "date", Caller::ExtractDate)?;
    if d.is_infinite() {
        return match unit {
            DateTimeUnit::Day
            | DateTimeUnit::Month
            | DateTimeUnit::Quarter
            | DateTimeUnit::Week
            | DateTimeUnit::Dow
            | DateTimeUnit::IsoDow
            | DateTimeUnit::Doy => Ok(None),
            DateTimeUnit::Year
            | DateTimeUnit::Decade
            | DateTimeUnit::Century
            | DateTimeUnit::Millennium
            | DateTimeUnit::Julian
            | DateTimeUnit::IsoYear
            | DateTimeUnit::Epoch => Ok(Some(if d == Date::NEG_INFINITY {
                Numeric::neg_infinity()
            } else {
                Numeric::infinity()
            })),
            _ => Err(not_supported(&lower, "date")),
        };
    }
    let (year, mon, mday) = d.to_ymd();
    let tm = Tm {
        year,
        mon,
        mday,
        ..Tm::default()
    };
    let v = match unit {
        DateTimeUnit::Julian => i64::from(d.0) + i64::from(POSTGRES_EPOCH_JDATE),
        DateTimeUnit::Epoch => {
            (i64::from(d.0) + i64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)) * SECS_PER_DAY
        }
        DateTimeUnit::Week
        | DateTimeUnit::Day
        | DateTimeUnit::Month
        | DateTimeUnit::Quarter
        | DateTimeUnit::Year
        | DateTimeUnit::Decade
        | DateTimeUnit::Century
        | DateTimeUnit::Millennium
        | DateTimeUnit::IsoYear
        | DateTimeUnit::Dow
        | DateTimeUnit::IsoDow
        | DateTimeUnit::Doy => date_part_of(unit, &tm).expect("a date field"),
        _ => return Err(not_supported(&lower, "date")),
    };
    Ok(Some(Numeric::from(v)))
}

/// Shared body of time/timetz extraction.
fn time_extract(units: &str, t: Time, tz_east: Option<i32>) -> Result<(Numeric, f64)> {
    let type_name = if tz_east.is_some() {
        "time with time zone"
    } else {
        "time without time zone"
    };
    let (lower, unit) = resolve(units, type_name, Caller::ExtractTime)?;
    let tm = t.to_tm();
    if let Some((part, float)) = seconds_part(unit, tm.sec, tm.fsec) {
        return Ok((part.to_numeric(), part.to_f64(float)));
    }
    let part = match (unit, tz_east) {
        (DateTimeUnit::Minute, _) => Part::Int(i64::from(tm.min)),
        (DateTimeUnit::Hour, _) => Part::Int(i64::from(tm.hour)),
        (DateTimeUnit::Timezone, Some(tz)) => Part::Int(i64::from(tz)),
        (DateTimeUnit::TimezoneHour, Some(tz)) => Part::Int(i64::from(tz / 3600)),
        (DateTimeUnit::TimezoneMinute, Some(tz)) => Part::Int(i64::from((tz / 60) % 60)),
        (DateTimeUnit::Epoch, _) => {
            let utc = t.0 - i64::from(tz_east.unwrap_or(0)) * USECS_PER_SEC;
            let float = utc as f64 / 1_000_000.0;
            return Ok((scaled_numeric(utc, 6), float));
        }
        _ => return Err(not_supported(&lower, type_name)),
    };
    Ok((part.to_numeric(), part.to_f64(None)))
}

/// `extract(field from time)`.
///
/// Errors: 22023 / 0A000 for type time without time zone.
pub fn extract_time(units: &str, t: Time) -> Result<Numeric> {
    time_extract(units, t, None).map(|(n, _)| n)
}

/// `date_part(text, time)`.
///
/// Errors: as [`extract_time`].
pub fn date_part_time(units: &str, t: Time) -> Result<f64> {
    time_extract(units, t, None).map(|(_, f)| f)
}

/// `extract(field from timetz)`.
///
/// Errors: 22023 / 0A000 for type time with time zone.
pub fn extract_timetz(units: &str, t: TimeTz) -> Result<Numeric> {
    time_extract(units, Time(t.time), Some(t.offset_secs)).map(|(n, _)| n)
}

/// `date_part(text, timetz)`.
///
/// Errors: as [`extract_timetz`].
pub fn date_part_timetz(units: &str, t: TimeTz) -> Result<f64> {
    time_extract(units, Time(t.time), Some(t.offset_secs)).map(|(_, f)| f)
}

fn interval_extract(units: &str, iv: &Interval) -> Result<(Numeric, f64)> {
    let (lower, unit) = resolve(units, "interval", Caller::ExtractTime)?;
    let f = IntervalFields::from_parts(iv.months, iv.days, iv.micros);
    let micros = f.sec * 1_000_000 + f.usec;
    let (part, float) = match unit {
        DateTimeUnit::Microseconds => (Part::Int(micros), None),
        DateTimeUnit::Milliseconds => (
            Part::Scaled(micros, 3),
            Some(f.sec as f64 * 1000.0 + f.usec as f64 / 1000.0),
        ),
        DateTimeUnit::Second => (
            Part::Scaled(micros, 6),
            Some(f.sec as f64 + f.usec as f64 / 1_000_000.0),
        ),
        DateTimeUnit::Minute => (Part::Int(f.min), None),
        DateTimeUnit::Hour => (Part::Int(f.hour), None),
        DateTimeUnit::Day => (Part::Int(f.mday), None),
        DateTimeUnit::Month => (Part::Int(f.mon), None),
        DateTimeUnit::Quarter => (Part::Int(f.mon / 3 + 1), None),
        DateTimeUnit::Year => (Part::Int(f.year), None),
        DateTimeUnit::Decade => (Part::Int(f.year / 10), None),
        DateTimeUnit::Century => (Part::Int(f.year / 100), None),
        DateTimeUnit::Millennium => (Part::Int(f.year / 1000), None),
        DateTimeUnit::Epoch => {
            // 365.25 days per year, 30 per month.
            let secs_from_day_month = (1461 * i64::from(iv.months / 12)
                + 120 * i64::from(iv.months % 12)
                + 4 * i64::from(iv.days))
                * (SECS_PER_DAY / 4);
            // The float result sums in PostgreSQL's order, rounding as it does.
            let mut float = iv.micros as f64 / 1_000_000.0;
            float += 365.25 * SECS_PER_DAY as f64 * f64::from(iv.months / 12);
            float += 30.0 * SECS_PER_DAY as f64 * f64::from(iv.months % 12);
            float += SECS_PER_DAY as f64 * f64::from(iv.days);
            match secs_from_day_month
                .checked_mul(1_000_000)
                .and_then(|v| v.checked_add(iv.micros))
            {
                Some(v) => (Part::Scaled(v, 6), Some(float)),
                None => {
                    let n = Numeric::from(secs_from_day_month)
                        .mul(&Numeric::from(1_000_000i64))?
                        .add(&Numeric::from(iv.micros))?
                        .div(&Numeric::from(1_000_000i64))?
                        .round(6)?;
                    (Part::Numeric(n), Some(float))
                }
            }
        }
        _ => return Err(not_supported(&lower, "interval")),
    };
    Ok((part.to_numeric(), part.to_f64(float)))
}

/// `extract(field from interval)`.
///
/// Errors: 22023 `unit "x" not recognized for type interval`, 0A000
/// `unit "dow" not supported for type interval`.
pub fn extract_interval(units: &str, iv: &Interval) -> Result<Numeric> {
    interval_extract(units, iv).map(|(n, _)| n)
}

/// `date_part(text, interval)`.
///
/// Errors: as [`extract_interval`].
pub fn date_part_interval(units: &str, iv: &Interval) -> Result<f64> {
    interval_extract(units, iv).map(|(_, f)| f)
}

/// Truncates broken-down fields to `unit` (the body of `timestamp_trunc`); returns whether
/// the zone offset must be recomputed (units of a day and more).
fn truncate_tm(unit: DateTimeUnit, tm: &mut Tm, units: &str, type_name: &str) -> Result<bool> {
    use DateTimeUnit::*;
    let rank = |u: DateTimeUnit| match u {
        Millennium => 9,
        Century => 8,
        Decade => 7,
        Year => 6,
        Quarter => 5,
        Month => 4,
        Day => 3,
        Hour => 2,
        Minute => 1,
        Second => 0,
        _ => -1,
    };
    match unit {
        Week => {
            let woy = date2isoweek(tm.year, tm.mon, tm.mday);
            let mut year = tm.year;
            if woy >= 52 && tm.mon == 1 {
                year -= 1;
            }
            if woy <= 1 && tm.mon == 12 {
                year += 1;
            }
            let (y, m, d) = isoweek2date(woy, year);
            tm.year = y;
            tm.mon = m;
            tm.mday = d;
            tm.hour = 0;
            tm.min = 0;
            tm.sec = 0;
            tm.fsec = 0;
            return Ok(true);
        }
        Milliseconds => {
            tm.fsec = tm.fsec / 1000 * 1000;
            return Ok(false);
        }
        Microseconds => return Ok(false),
        _ => {}
    }
    let r = rank(unit);
    if r < 0 {
        return Err(not_supported(units, type_name));
    }
    if unit == Millennium {
        tm.year = if tm.year > 0 {
            (tm.year + 999) / 1000 * 1000 - 999
        } else {
            -((999 - (tm.year - 1)) / 1000) * 1000 + 1
        };
    }
    if unit == Millennium || unit == Century {
        tm.year = if tm.year > 0 {
            (tm.year + 99) / 100 * 100 - 99
        } else {
            -((99 - (tm.year - 1)) / 100) * 100 + 1
        };
    }
    if unit == Decade {
        tm.year = if tm.year > 0 {
            tm.year / 10 * 10
        } else {
            -((8 - (tm.year - 1)) / 10) * 10
        };
    }
    if r >= rank(Year) {
        tm.mon = 1;
    }
    if r >= rank(Quarter) {
        tm.mon = 3 * ((tm.mon - 1) / 3) + 1;
    }
    if r >= rank(Month) {
        tm.mday = 1;
    }
    if r >= rank(Day) {
        tm.hour = 0;
    }
    if r >= rank(Hour) {
        tm.min = 0;
    }
    if r >= rank(Minute) {
        tm.sec = 0;
    }
    tm.fsec = 0;
    Ok(r >= rank(Day))
}

/// `date_trunc(field, timestamp)`; infinities are returned unchanged.
///
/// Errors: 22023 `unit "x" not recognized for type timestamp without time zone`, 0A000
/// `unit "timezone" not supported for type timestamp without time zone`, 22008
/// `timestamp out of range`.
pub fn timestamp_trunc(units: &str, ts: Timestamp) -> Result<Timestamp> {
    if ts.is_infinite() {
        return Ok(ts);
    }
    let (lower, unit) = resolve(units, TIMESTAMP, Caller::Trunc)?;
    let mut tm = ts.to_tm();
    truncate_tm(unit, &mut tm, &lower, TIMESTAMP)?;
    Timestamp::from_tm(&tm).map_err(|_| timestamp_out_of_range())
}

/// `date_trunc(field, timestamptz)` in zone `tz`: truncates local time, then, for a day or
/// longer, recomputes the offset for the truncated local time.
///
/// Errors: as [`timestamp_trunc`], for type timestamp with time zone.
pub fn timestamptz_trunc(units: &str, ts: TimestampTz, tz: &TimeZone) -> Result<TimestampTz> {
    if ts.is_infinite() {
        return Ok(ts);
    }
    let (lower, unit) = resolve(units, TIMESTAMPTZ, Caller::Trunc)?;
    let mut tm = ts.to_tm(tz);
    let mut offset = tm.gmtoff.unwrap_or(0);
    let redo = truncate_tm(unit, &mut tm, &lower, TIMESTAMPTZ)?;
    let local = Timestamp::from_tm(&tm).map_err(|_| timestamp_out_of_range())?;
    if redo {
        offset = tz.local_offset(local.0).0;
    }
    let utc = local.0 - i64::from(offset) * USECS_PER_SEC;
    if !Timestamp::is_valid(utc) {
        return Err(timestamp_out_of_range());
    }
    Ok(TimestampTz(utc))
}

/// `date_trunc(field, interval)`.
///
/// Errors: 22023 `unit "x" not recognized for type interval`, 0A000
/// `unit "week" not supported for type interval` (DETAIL `Months usually have fractional
/// weeks.`), 22008 `interval out of range`.
pub fn interval_trunc(units: &str, iv: &Interval) -> Result<Interval> {
    use DateTimeUnit::*;
    let (lower, unit) = resolve(units, "interval", Caller::Trunc)?;
    let mut f = IntervalFields::from_parts(iv.months, iv.days, iv.micros);
    let rank = match unit {
        Millennium => 9,
        Century => 8,
        Decade => 7,
        Year => 6,
        Quarter => 5,
        Month => 4,
        Day => 3,
        Hour => 2,
        Minute => 1,
        Second => 0,
        Milliseconds => {
            f.usec = f.usec / 1000 * 1000;
            -1
        }
        Microseconds => -1,
        _ => {
            let e = not_supported(&lower, "interval");
            return Err(if unit == Week {
                e.detail("Months usually have fractional weeks.")
            } else {
                e
            });
        }
    };
    if unit == Millennium {
        f.year = f.year / 1000 * 1000;
    }
    if rank >= 8 {
        f.year = f.year / 100 * 100;
    }
    if rank >= 7 {
        f.year = f.year / 10 * 10;
    }
    if rank >= 6 {
        f.mon = 0;
    }
    if rank >= 5 {
        f.mon = 3 * (f.mon / 3);
    }
    if rank >= 4 {
        f.mday = 0;
    }
    if rank >= 3 {
        f.hour = 0;
    }
    if rank >= 2 {
        f.min = 0;
    }
    if rank >= 1 {
        f.sec = 0;
    }
    if rank >= 0 {
        f.usec = 0;
    }
    let months = f
        .year
        .checked_mul(12)
        .and_then(|m| m.checked_add(f.mon))
        .and_then(|m| i32::try_from(m).ok())
        .ok_or_else(interval_out_of_range)?;
    let micros = f
        .hour
        .checked_mul(3_600_000_000)
        .and_then(|v| v.checked_add(f.min * 60_000_000))
        .and_then(|v| v.checked_add(f.sec * 1_000_000))
        .and_then(|v| v.checked_add(f.usec))
        .ok_or_else(interval_out_of_range)?;
    Ok(Interval {
        months,
        days: f.mday as i32,
        micros,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::interval::interval_in;
    use crate::adt::datetime::timestamp::{timestamp_in, timestamp_out};
    use crate::adt::datetime::{DateStyle, IntervalStyle};
    use crate::SqlState;

    fn ts(s: &str) -> Timestamp {
        timestamp_in(s, &DateStyle::default(), &TimeZone::utc(), TimestampTz(0)).unwrap()
    }

    fn ex(unit: &str, s: &str) -> String {
        match extract_timestamp(unit, ts(s)) {
            Ok(Some(n)) => n.to_string(),
            Ok(None) => "NULL".to_string(),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    #[test]
    fn extract_matches_postgres() {
        let t = "2024-01-08 04:05:06.5";
        assert_eq!(ex("second", t), "6.500000");
        assert_eq!(ex("epoch", t), "1704686706.500000");
        assert_eq!(ex("microseconds", t), "6500000");
        assert_eq!(ex("milliseconds", t), "6500.000");
        assert_eq!(ex("julian", t), "2460318.17021412037037037037");
        assert_eq!(ex("year", "0001-01-01 BC"), "-1");
        assert_eq!(ex("century", "0001-01-01 BC"), "-1");
        assert_eq!(ex("isodow", "2024-01-07"), "7");
        assert_eq!(ex("week", "2021-01-01"), "53");
        assert_eq!(ex("isoyear", "2021-01-01"), "2020");
        assert_eq!(ex("year", "infinity"), "Infinity");
        assert_eq!(ex("month", "infinity"), "NULL");
        assert_eq!(
            ex("foo", t),
            "ERR 22023 unit \"foo\" not recognized for type timestamp without time zone"
        );
        assert_eq!(
            ex("timezone", t),
            "ERR 0A000 unit \"timezone\" not supported for type timestamp without time zone"
        );
        assert_eq!(date_part_timestamp("second", ts(t)).unwrap(), Some(6.5));
        let d = Date::from_ymd(2024, 1, 8).unwrap();
        assert_eq!(
            extract_date("epoch", d).unwrap().unwrap().to_string(),
            "1704672000"
        );
        assert_eq!(
            extract_date("hour", d).unwrap_err().message,
            "unit \"hour\" not supported for type date"
        );
        let iv = interval_in("1 year 2 days 3.5 seconds", IntervalStyle::Postgres).unwrap();
        assert_eq!(
            extract_interval("epoch", &iv).unwrap().to_string(),
            "31730403.500000"
        );
        assert_eq!(
            extract_interval("dow", &iv).unwrap_err().code,
            SqlState::FEATURE_NOT_SUPPORTED
        );
    }

    #[test]
    fn trunc_matches_postgres() {
        let st = DateStyle::default();
        let tr = |u: &str, s: &str| match timestamp_trunc(u, ts(s)) {
            Ok(t) => timestamp_out(t, &st),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        };
        assert_eq!(tr("week", "2024-01-10 04:05"), "2024-01-08 00:00:00");
        assert_eq!(tr("quarter", "2024-05-10 04:05"), "2024-04-01 00:00:00");
        assert_eq!(tr("century", "2024-05-10"), "2001-01-01 00:00:00");
        assert_eq!(tr("millennium", "2024-05-10"), "2001-01-01 00:00:00");
        assert_eq!(tr("decade", "2024-05-10"), "2020-01-01 00:00:00");
        assert_eq!(
            tr("milliseconds", "2024-05-10 01:02:03.456789"),
            "2024-05-10 01:02:03.456"
        );
        assert_eq!(
            tr("epoch", "2024-05-10"),
            "ERR 22023 unit \"epoch\" not recognized for type timestamp without time zone"
        );
        let iv = interval_in("1 day 04:05", IntervalStyle::Postgres).unwrap();
        assert_eq!(
            super::super::interval::interval_out(
                &interval_trunc("day", &iv).unwrap(),
                IntervalStyle::Postgres
            ),
            "1 day"
        );
        let e = interval_trunc("week", &iv).unwrap_err();
        assert_eq!(
            e.detail.as_deref(),
            Some("Months usually have fractional weeks.")
        );
    }
}
