//! Building date/time values from numbers and differences of timestamps: `make_date`,
//! `make_time`, `make_timestamp`, `make_timestamptz`, `make_interval`,
//! `to_timestamp(double precision)` and `age` (PostgreSQL docs §9.9, Table 9.33).
//!
//! Negative years mean BC in `make_date`/`make_timestamp` (year 0 does not exist).

use crate::adt::float::format_g;
use crate::{pg_err, Result};

use super::interval::{interval_out_of_range, Interval};
use super::parse::usecs_to_tm;
use super::timestamp::{timestamp_out_of_range, Timestamp, TimestampTz};
use super::timezone::TimeZone;
use super::{
    date2j, days_in_month, is_valid_julian, Date, MONTHS_PER_YEAR, POSTGRES_EPOCH_JDATE,
    SECS_PER_DAY, TIMESTAMP_END_JULIAN, UNIX_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_SEC,
};

/// C's `%02g`: `%g` with six significant digits, zero-padded to two characters.
fn g02(v: f64) -> String {
    let text = if v.is_nan() {
        "nan".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format_g(v, 6)
    };
    if text.len() < 2 {
        format!("0{text}")
    } else {
        text
    }
}

/// Validates year (negative = BC), month and day as `ValidateDate` does for `make_date`;
/// returns the astronomical year.
fn validate_ymd(year: i32, month: i32, day: i32) -> Option<i32> {
    let astronomical = if year < 0 {
        year + 1
    } else if year == 0 {
        return None;
    } else {
        year
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if day > days_in_month(astronomical, month) {
        return None;
    }
    Some(astronomical)
}

/// `make_date(year, month, day)`.
///
/// Errors: 22008 `date field value out of range: 2024-02-30`, 22008
/// `date out of range: …`.
pub fn make_date(year: i32, month: i32, day: i32) -> Result<Date> {
    let Some(y) = validate_ymd(year, month, day) else {
        // PostgreSQL reports its fields as they stood when validation failed: a BC year has
        // already become astronomical by the time the month or day is checked.
        let shown = if year < 0 {
            i64::from(year) + 1
        } else {
            i64::from(year)
        };
        return Err(pg_err!(
            DATETIME_FIELD_OVERFLOW,
            "date field value out of range: {}-{:02}-{:02}",
            shown,
            month,
            day
        ));
    };
    let out_of_range = || {
        pg_err!(
            DATETIME_VALUE_OUT_OF_RANGE,
            "date out of range: {}-{:02}-{:02}",
            y,
            month,
            day
        )
    };
    if !is_valid_julian(y, month) {
        return Err(out_of_range());
    }
    let days = i64::from(date2j(y, month, day)) - i64::from(POSTGRES_EPOCH_JDATE);
    if !Date::is_valid(days) {
        return Err(out_of_range());
    }
    Ok(Date(days as i32))
}

/// `float_time_overflows`: the fields (seconds rounded to microseconds) outside a day.
fn float_time_overflows(hour: i32, min: i32, sec: f64) -> bool {
    if !(0..=24).contains(&hour) || !(0..60).contains(&min) || sec.is_nan() {
        return true;
    }
    let usec = (sec * USECS_PER_SEC as f64).round_ties_even();
    if usec < 0.0 || usec > 60.0 * USECS_PER_SEC as f64 {
        return true;
    }
    (i64::from(hour) * 60 + i64::from(min)) * 60 * USECS_PER_SEC + usec as i64 > USECS_PER_DAY
}

/// Microseconds of a validated time of day.
fn time_usecs(hour: i32, min: i32, sec: f64) -> i64 {
    (i64::from(hour) * 60 + i64::from(min)) * 60 * USECS_PER_SEC
        + (sec * USECS_PER_SEC as f64).round_ties_even() as i64
}

/// `make_time(hour, min, sec)`: microseconds since midnight.
///
/// Errors: 22008 `time field value out of range: 25:00:00`.
pub fn make_time(hour: i32, min: i32, sec: f64) -> Result<i64> {
    if float_time_overflows(hour, min, sec) {
        return Err(pg_err!(
            DATETIME_FIELD_OVERFLOW,
            "time field value out of range: {}:{:02}:{}",
            hour,
            min,
            g02(sec)
        ));
    }
    Ok(time_usecs(hour, min, sec))
}

/// `make_timestamp(year, month, mday, hour, min, sec)`.
///
/// Errors: 22008 `date field value out of range: …`, `date out of range: …`,
/// `time field value out of range: …`, `timestamp out of range: 294277-01-01 0:00:00`.
pub fn make_timestamp(
    year: i32,
    month: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: f64,
) -> Result<Timestamp> {
    let Some(y) = validate_ymd(year, month, mday) else {
        return Err(pg_err!(
            DATETIME_FIELD_OVERFLOW,
            "date field value out of range: {}-{:02}-{:02}",
            year,
            month,
            mday
        ));
    };
    if !is_valid_julian(y, month) {
        return Err(pg_err!(
            DATETIME_VALUE_OUT_OF_RANGE,
            "date out of range: {}-{:02}-{:02}",
            year,
            month,
            mday
        ));
    }
    if float_time_overflows(hour, min, sec) {
        return Err(pg_err!(
            DATETIME_FIELD_OVERFLOW,
            "time field value out of range: {}:{:02}:{}",
            hour,
            min,
            g02(sec)
        ));
    }
    let date = i64::from(date2j(y, month, mday)) - i64::from(POSTGRES_EPOCH_JDATE);
    let result = date
        .checked_mul(USECS_PER_DAY)
        .and_then(|d| d.checked_add(time_usecs(hour, min, sec)))
        .filter(|v| Timestamp::is_valid(*v));
    result.map(Timestamp).ok_or_else(|| {
        pg_err!(
            DATETIME_VALUE_OUT_OF_RANGE,
            "timestamp out of range: {}-{:02}-{:02} {}:{:02}:{}",
            year,
            month,
            mday,
            hour,
            min,
            g02(sec)
        )
    })
}

/// `make_timestamptz(…)`: [`make_timestamp`] read as local time in `tz`.
///
/// Errors: as [`make_timestamp`].
pub fn make_timestamptz(
    year: i32,
    month: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: f64,
    tz: &TimeZone,
) -> Result<TimestampTz> {
    make_timestamp(year, month, mday, hour, min, sec)?.to_timestamptz(tz)
}

/// `make_interval(years, months, weeks, days, hours, mins, secs)`.
///
/// Errors: 22008 `interval out of range`.
#[allow(clippy::too_many_arguments)]
pub fn make_interval(
    years: i32,
    months: i32,
    weeks: i32,
    days: i32,
    hours: i32,
    mins: i32,
    secs: f64,
) -> Result<Interval> {
    if !secs.is_finite() {
        return Err(interval_out_of_range());
    }
    let month = years
        .checked_mul(MONTHS_PER_YEAR)
        .and_then(|m| m.checked_add(months))
        .ok_or_else(interval_out_of_range)?;
    let day = weeks
        .checked_mul(7)
        .and_then(|d| d.checked_add(days))
        .ok_or_else(interval_out_of_range)?;
    let secs = (secs * USECS_PER_SEC as f64).round_ties_even();
    if secs < i64::MIN as f64 || secs >= -(i64::MIN as f64) {
        return Err(interval_out_of_range());
    }
    let micros = i64::from(hours)
        .checked_mul(3_600_000_000)
        .and_then(|v| v.checked_add(i64::from(mins) * 60_000_000))
        .and_then(|v| v.checked_add(secs as i64))
        .ok_or_else(interval_out_of_range)?;
    Ok(Interval {
        months: month,
        days: day,
        micros,
    })
}

/// `to_timestamp(double precision)`: Unix epoch seconds to `timestamptz`; ±Infinity map
/// to ±infinity.
///
/// Errors: 22008 `timestamp cannot be NaN`, 22008 `timestamp out of range: "1e+20"`.
pub fn to_timestamp(seconds: f64) -> Result<TimestampTz> {
    if seconds.is_nan() {
        return Err(pg_err!(
            DATETIME_VALUE_OUT_OF_RANGE,
            "timestamp cannot be NaN"
        ));
    }
    if seconds.is_infinite() {
        return Ok(if seconds < 0.0 {
            TimestampTz::NEG_INFINITY
        } else {
            TimestampTz::INFINITY
        });
    }
    let out_of_range = || {
        pg_err!(
            DATETIME_VALUE_OUT_OF_RANGE,
            "timestamp out of range: \"{}\"",
            format_g(seconds, 6)
        )
    };
    let min = SECS_PER_DAY as f64 * f64::from(-UNIX_EPOCH_JDATE);
    let max = SECS_PER_DAY as f64 * f64::from(TIMESTAMP_END_JULIAN - UNIX_EPOCH_JDATE);
    if seconds < min || seconds >= max {
        return Err(out_of_range());
    }
    let shifted =
        seconds - f64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY as f64;
    let usecs = (shifted * USECS_PER_SEC as f64).round_ties_even() as i64;
    if !Timestamp::is_valid(usecs) {
        return Err(out_of_range());
    }
    Ok(TimestampTz(usecs))
}

/// `age(a, b)` on local fields: the symbolic difference in years, months, days and time,
/// borrowing month lengths as PostgreSQL's `timestamp_age` does.
fn age_fields(a: i64, b: i64, tm1: &super::Tm, tm2: &super::Tm) -> Result<Interval> {
    let mut fsec = i64::from(tm1.fsec) - i64::from(tm2.fsec);
    let mut sec = tm1.sec - tm2.sec;
    let mut min = tm1.min - tm2.min;
    let mut hour = tm1.hour - tm2.hour;
    let mut mday = tm1.mday - tm2.mday;
    let mut mon = tm1.mon - tm2.mon;
    let mut year = tm1.year - tm2.year;
    let flip = a < b;
    let negate = |fsec: &mut i64, v: &mut [&mut i32; 6]| {
        *fsec = -*fsec;
        for x in v.iter_mut() {
            **x = -**x;
        }
    };
    if flip {
        negate(
            &mut fsec,
            &mut [
                &mut sec, &mut min, &mut hour, &mut mday, &mut mon, &mut year,
            ],
        );
    }
    while fsec < 0 {
        fsec += USECS_PER_SEC;
        sec -= 1;
    }
    while sec < 0 {
        sec += 60;
        min -= 1;
    }
    while min < 0 {
        min += 60;
        hour -= 1;
    }
    while hour < 0 {
        hour += 24;
        mday -= 1;
    }
    while mday < 0 {
        let base = if flip { tm1 } else { tm2 };
        mday += days_in_month(base.year, base.mon);
        mon -= 1;
    }
    while mon < 0 {
        mon += 12;
        year -= 1;
    }
    if flip {
        negate(
            &mut fsec,
            &mut [
                &mut sec, &mut min, &mut hour, &mut mday, &mut mon, &mut year,
            ],
        );
    }
    let months = year
        .checked_mul(12)
        .and_then(|m| m.checked_add(mon))
        .ok_or_else(interval_out_of_range)?;
    let micros = i64::from(hour) * 3_600_000_000
        + i64::from(min) * 60_000_000
        + i64::from(sec) * USECS_PER_SEC
        + fsec;
    Ok(Interval {
        months,
        days: mday,
        micros,
    })
}

/// `timestamp2tm` as `age` uses it: PostgreSQL 15 does not special-case infinity here, so
/// `infinity` breaks down as the far-future instant its bits encode, and `-infinity` (a
/// negative Julian day) is out of range.
fn age_tm(usecs: i64, tz: Option<&TimeZone>) -> Result<super::Tm> {
    let local = match tz {
        Some(zone) => {
            let offset = zone.utc_to_local(usecs).offset;
            usecs
                .checked_add(i64::from(offset) * USECS_PER_SEC)
                .ok_or_else(timestamp_out_of_range)?
        }
        None => usecs,
    };
    if local.div_euclid(USECS_PER_DAY) + i64::from(POSTGRES_EPOCH_JDATE) < 0 {
        return Err(timestamp_out_of_range());
    }
    Ok(usecs_to_tm(local))
}

/// `age(timestamp, timestamp)` (`timestamp_age`).
///
/// Errors: 22008 `timestamp out of range` for `-infinity`, `interval out of range`.
pub fn timestamp_age(a: Timestamp, b: Timestamp) -> Result<Interval> {
    age_fields(a.0, b.0, &age_tm(a.0, None)?, &age_tm(b.0, None)?)
}

/// `age(timestamptz, timestamptz)` (`timestamptz_age`): fields in local time of `tz`.
///
/// Errors: as [`timestamp_age`].
pub fn timestamptz_age(a: TimestampTz, b: TimestampTz, tz: &TimeZone) -> Result<Interval> {
    age_fields(a.0, b.0, &age_tm(a.0, Some(tz))?, &age_tm(b.0, Some(tz))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::date::date_out;
    use crate::adt::datetime::interval::interval_out;
    use crate::adt::datetime::timestamp::timestamp_out;
    use crate::adt::datetime::{DateStyle, IntervalStyle};

    #[test]
    fn constructors_match_postgres() {
        let st = DateStyle::default();
        assert_eq!(
            date_out(make_date(-44, 3, 15).unwrap(), &st),
            "0044-03-15 BC"
        );
        assert_eq!(
            make_date(2024, 2, 30).unwrap_err().message,
            "date field value out of range: 2024-02-30"
        );
        assert_eq!(
            make_date(0, 3, 15).unwrap_err().message,
            "date field value out of range: 0-03-15"
        );
        assert_eq!(
            timestamp_out(make_timestamp(2024, 1, 8, 4, 5, 6.789).unwrap(), &st),
            "2024-01-08 04:05:06.789"
        );
        assert_eq!(
            make_time(25, 0, 0.0).unwrap_err().message,
            "time field value out of range: 25:00:00"
        );
        assert_eq!(make_time(1, 2, 60.0000001).unwrap(), 3_780_000_000);
        assert_eq!(
            make_timestamp(294277, 1, 1, 0, 0, 0.0).unwrap_err().message,
            "timestamp out of range: 294277-01-01 0:00:00"
        );
        assert_eq!(
            interval_out(
                &make_interval(1, 2, 3, 4, 5, 6, 7.5).unwrap(),
                IntervalStyle::Postgres
            ),
            "1 year 2 mons 25 days 05:06:07.5"
        );
        assert_eq!(
            to_timestamp(1e20).unwrap_err().message,
            "timestamp out of range: \"1e+20\""
        );
        assert_eq!(
            to_timestamp(f64::NAN).unwrap_err().message,
            "timestamp cannot be NaN"
        );
        assert_eq!(to_timestamp(0.0).unwrap().0, -946_684_800_000_000);
        assert_eq!(
            make_date(-44, 13, 1).unwrap_err().message,
            "date field value out of range: -43-13-01"
        );
        let ts = |s: &str| {
            crate::adt::datetime::timestamp::timestamp_in(s, &st, &TimeZone::utc(), TimestampTz(0))
                .unwrap()
        };
        let age = |a: &str, b: &str| {
            interval_out(
                &timestamp_age(ts(a), ts(b)).unwrap(),
                IntervalStyle::Postgres,
            )
        };
        assert_eq!(
            age("2024-03-31", "2024-02-29 12:00"),
            "1 mon 1 day 12:00:00"
        );
        assert_eq!(age("2001-04-10", "1957-06-13"), "43 years 9 mons 27 days");
        assert_eq!(
            age("1957-06-13", "2001-04-10"),
            "-43 years -9 mons -27 days"
        );
    }
}
