//! Dates, times, timestamps and intervals as PostgreSQL 15 represents, reads and prints
//! them (PostgreSQL docs §8.5, §9.9, Appendix B).
//!
//! Representation (all counts from the PostgreSQL epoch, 2000-01-01 00:00:00):
//!
//! ```text
//!   Date(i32)          days since 2000-01-01; i32::MIN / i32::MAX are -infinity / infinity
//!   Timestamp(i64)     microseconds since 2000-01-01 00:00:00 (local, no zone)
//!   TimestampTz(i64)   microseconds since 2000-01-01 00:00:00 UTC
//!   Time(i64)          microseconds since midnight, 0..=86_400_000_000
//!   TimeTz             Time plus a UTC offset in seconds (east of Greenwich positive)
//!   Interval           months, days and microseconds, kept apart (a month is not 30 days)
//! ```
//!
//! Calendar arithmetic goes through Julian day numbers ([`date2j`], [`j2date`]), which cover
//! 4713 BC to 5874897 AD (proleptic Gregorian; year 0 is 1 BC). Valid timestamps run from
//! 4713 BC to 294276 AD.
//!
//! Input goes through PostgreSQL's two-step parser: [`parse::parse_date_time`] splits the
//! text into typed fields, [`parse::decode_date_time`] assigns them to year, month, ...,
//! time zone. Output is [`mod@format`] per `DateStyle` and `IntervalStyle`. Zone rules come from
//! [`timezone::TimeZone`].
//!
//! Entry points: [`date::date_in`], [`date::date_out`], [`timestamp::timestamp_in`],
//! [`timestamp::timestamptz_in`], [`timestamp::timestamp_out`],
//! [`timestamp::timestamptz_out`], [`time::time_in`], [`time::timetz_in`],
//! [`interval::interval_in`], [`interval::interval_out`]; `extract`/`date_trunc` in
//! [`fields`]; `make_*`, `to_timestamp` and `age` in [`make`].

pub mod abbreviations;
pub mod date;
pub mod fields;
pub mod format;
pub mod interval;
pub mod interval_parse;
pub mod make;
pub mod parse;
pub mod time;
pub mod timestamp;
pub mod timezone;

use crate::{pg_err, Error};

pub use date::Date;
pub use interval::Interval;
pub use time::{Time, TimeTz};
pub use timestamp::{Timestamp, TimestampTz};
pub use timezone::TimeZone;

/// Julian day number of 2000-01-01, the PostgreSQL epoch.
pub const POSTGRES_EPOCH_JDATE: i32 = 2_451_545;
/// Julian day number of 1970-01-01, the Unix epoch.
pub const UNIX_EPOCH_JDATE: i32 = 2_440_588;
/// Microseconds per day.
pub const USECS_PER_DAY: i64 = 86_400_000_000;
/// Microseconds per hour.
pub const USECS_PER_HOUR: i64 = 3_600_000_000;
/// Microseconds per minute.
pub const USECS_PER_MINUTE: i64 = 60_000_000;
/// Microseconds per second.
pub const USECS_PER_SEC: i64 = 1_000_000;
/// Seconds per day.
pub const SECS_PER_DAY: i64 = 86_400;
/// Seconds per hour.
pub const SECS_PER_HOUR: i32 = 3600;
/// Seconds per minute.
pub const SECS_PER_MINUTE: i32 = 60;
/// Days per month for interval conversions (`DAYS_PER_MONTH`).
pub const DAYS_PER_MONTH: i32 = 30;
/// Months per year.
pub const MONTHS_PER_YEAR: i32 = 12;
/// Largest time zone displacement accepted, in seconds (15:59:59).
pub const MAX_TZDISP_HOUR: i32 = 15;
/// First valid Julian day (4713-11-24 BC).
pub const JULIAN_MINYEAR: i32 = -4713;
/// First valid Julian month in [`JULIAN_MINYEAR`].
pub const JULIAN_MINMONTH: i32 = 11;
/// Last valid Julian year.
pub const JULIAN_MAXYEAR: i32 = 5_874_898;
/// First invalid month in [`JULIAN_MAXYEAR`].
pub const JULIAN_MAXMONTH: i32 = 6;
/// Julian day of 5874898-01-01, one past the last valid date.
pub const DATE_END_JULIAN: i32 = 2_147_483_494;
/// Julian day of 294277-01-01, one past the last valid timestamp date.
pub const TIMESTAMP_END_JULIAN: i32 = 109_203_528;
/// Smallest valid timestamp (4714-11-24 00:00:00 BC), microseconds.
pub const MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
/// One past the largest valid timestamp (294277-01-01 00:00:00), microseconds.
pub const END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;

/// Whether y-m falls in the Julian-day routines' range (`IS_VALID_JULIAN`; the day is not
/// examined, as in PostgreSQL).
pub fn is_valid_julian(year: i32, month: i32) -> bool {
    (year > JULIAN_MINYEAR || (year == JULIAN_MINYEAR && month >= JULIAN_MINMONTH))
        && (year < JULIAN_MAXYEAR || (year == JULIAN_MAXYEAR && month < JULIAN_MAXMONTH))
}

/// Julian day number of a proleptic Gregorian date (year 0 is 1 BC).
pub fn date2j(year: i32, month: i32, day: i32) -> i32 {
    let (y, m) = if month > 2 {
        (i64::from(year) + 4800, i64::from(month) + 1)
    } else {
        (i64::from(year) + 4799, i64::from(month) + 13)
    };
    let century = y / 100;
    let mut julian = y * 365 - 32167;
    julian += y / 4 - century + century / 4;
    julian += 7834 * m / 256 + i64::from(day);
    julian as i32
}

/// Year, month, day of a Julian day number (inverse of [`date2j`]).
pub fn j2date(jd: i32) -> (i32, i32, i32) {
    let mut julian = (jd as u32).wrapping_add(32044);
    let mut quad = julian / 146_097;
    let extra = (julian - quad * 146_097) * 4 + 3;
    julian += 60 + quad * 3 + extra / 146_097;
    quad = julian / 1461;
    julian -= quad * 1461;
    let mut y = julian * 4 / 1461;
    julian = if y != 0 {
        (julian + 305) % 365
    } else {
        (julian + 306) % 366
    } + 123;
    y += quad * 4;
    let year = y as i32 - 4800;
    let quad = julian * 2141 / 65536;
    let day = julian - 7834 * quad / 256;
    let month = (quad + 10) % 12 + 1;
    (year, month as i32, day as i32)
}

/// Day of week of a Julian day number: 0 = Sunday .. 6 = Saturday.
pub fn j2day(jd: i32) -> i32 {
    (i64::from(jd) + 1).rem_euclid(7) as i32
}

/// Whether `year` is a Gregorian leap year (year 0 is).
pub fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1-12) of `year`.
pub fn days_in_month(year: i32, month: i32) -> i32 {
    const DAYS: [i32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if month == 2 && is_leap(year) {
        29
    } else {
        DAYS[(month - 1) as usize]
    }
}

/// Broken-down date and time (PostgreSQL's `struct pg_tm` plus `fsec`): what input
/// decoding produces and output encoding consumes. Years are astronomical (0 = 1 BC).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tm {
    /// Year, astronomical numbering.
    pub year: i32,
    /// Month 1-12.
    pub mon: i32,
    /// Day of month 1-31.
    pub mday: i32,
    /// Hour 0-24.
    pub hour: i32,
    /// Minute 0-59.
    pub min: i32,
    /// Second 0-60.
    pub sec: i32,
    /// Fractional second in microseconds.
    pub fsec: i32,
    /// Day of week, 0 = Sunday (filled by output routines).
    pub wday: i32,
    /// Daylight-saving flag: `Some(true)` in daylight time, `None` unknown.
    pub isdst: Option<bool>,
    /// UTC offset in seconds east of Greenwich, when known.
    pub gmtoff: Option<i32>,
    /// Zone abbreviation for output (`PST`), when known.
    pub zone: Option<String>,
}

/// `DateStyle`'s output format part.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum DateStyleFormat {
    /// `2024-01-08 04:05:06.789-08` (the default).
    #[default]
    Iso,
    /// `01/08/2024 04:05:06.789 PST` (`DMY`: `08/01/2024`).
    Sql,
    /// `Mon Jan 08 04:05:06.789 2024 PST`.
    Postgres,
    /// `08.01.2024 04:05:06.789 PST`.
    German,
}

/// `DateStyle`'s field-order part, used to read ambiguous input like `01/02/03`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum DateOrder {
    /// Month, day, year (the default).
    #[default]
    Mdy,
    /// Day, month, year.
    Dmy,
    /// Year, month, day.
    Ymd,
}

/// The `DateStyle` setting: output format and input field order.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct DateStyle {
    /// Output format.
    pub style: DateStyleFormat,
    /// Field order for ambiguous input (and for the SQL/Postgres output formats).
    pub order: DateOrder,
}

impl DateStyle {
    /// The setting as `SHOW datestyle` prints it: `ISO, MDY`.
    pub fn show(&self) -> String {
        let style = match self.style {
            DateStyleFormat::Iso => "ISO",
            DateStyleFormat::Sql => "SQL",
            DateStyleFormat::Postgres => "Postgres",
            DateStyleFormat::German => "German",
        };
        let order = match self.order {
            DateOrder::Mdy => "MDY",
            DateOrder::Dmy => "DMY",
            DateOrder::Ymd => "YMD",
        };
        format!("{style}, {order}")
    }

    /// Applies a `SET datestyle` value (comma- or space-separated words, as
    /// `check_datestyle` accepts: ISO, SQL, POSTGRES, GERMAN, YMD, DMY/EURO/EUROPEAN,
    /// MDY/US/NONEURO/NONEUROPEAN, DEFAULT); `None` for an invalid value.
    pub fn parse_setting(&self, value: &str) -> Option<DateStyle> {
        let mut result = *self;
        let mut have_style = false;
        let mut have_order = false;
        for word in value
            .split(|c: char| c == ',' || c.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
        {
            let w = word.to_ascii_lowercase();
            let (style, order) = match w.as_str() {
                "iso" => (Some(DateStyleFormat::Iso), None),
                "sql" => (Some(DateStyleFormat::Sql), None),
                "postgres" => (Some(DateStyleFormat::Postgres), None),
                "german" => {
                    // German also implies DMY unless an order was given.
                    if !have_order {
                        result.order = DateOrder::Dmy;
                    }
                    (Some(DateStyleFormat::German), None)
                }
                "ymd" => (None, Some(DateOrder::Ymd)),
                "dmy" | "euro" | "european" => (None, Some(DateOrder::Dmy)),
                "mdy" | "us" | "noneuro" | "noneuropean" => (None, Some(DateOrder::Mdy)),
                "default" => (Some(DateStyleFormat::Iso), Some(DateOrder::Mdy)),
                _ => return None,
            };
            if let Some(s) = style {
                if have_style && result.style != s {
                    return None;
                }
                have_style = true;
                result.style = s;
            }
            if let Some(o) = order {
                if have_order && result.order != o {
                    return None;
                }
                have_order = true;
                result.order = o;
            }
        }
        Some(result)
    }
}

/// The `IntervalStyle` setting.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum IntervalStyle {
    /// `1 year 2 mons 3 days 04:05:06` (the default).
    #[default]
    Postgres,
    /// `@ 1 year 2 mons 3 days 4 hours 5 mins 6 secs`.
    PostgresVerbose,
    /// `1-2 3 4:05:06`.
    SqlStandard,
    /// `P1Y2M3DT4H5M6S`.
    Iso8601,
}

impl IntervalStyle {
    /// The setting's name as `SHOW intervalstyle` prints it.
    pub fn name(self) -> &'static str {
        match self {
            IntervalStyle::Postgres => "postgres",
            IntervalStyle::PostgresVerbose => "postgres_verbose",
            IntervalStyle::SqlStandard => "sql_standard",
            IntervalStyle::Iso8601 => "iso_8601",
        }
    }

    /// Reads a `SET intervalstyle` value (case-insensitive); `None` if unknown.
    pub fn parse_setting(value: &str) -> Option<IntervalStyle> {
        [
            IntervalStyle::Postgres,
            IntervalStyle::PostgresVerbose,
            IntervalStyle::SqlStandard,
            IntervalStyle::Iso8601,
        ]
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(value.trim()))
    }
}

/// 22008 `date/time field value out of range: "…"`.
pub fn field_overflow(input: &str) -> Error {
    pg_err!(
        DATETIME_FIELD_OVERFLOW,
        "date/time field value out of range: \"{}\"",
        input
    )
}

/// Why decoding a date/time string failed (PostgreSQL's `DTERR_*` codes); turned into the
/// user-facing error by [`DateTimeError::into_error`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateTimeError {
    /// The text does not fit any accepted layout.
    BadFormat,
    /// A field is out of range.
    FieldOverflow,
    /// A month/day field is out of range, probably because of the field order.
    MdFieldOverflow,
    /// An interval field is out of range.
    IntervalOverflow,
    /// A numeric time zone displacement is out of range.
    TzDispOverflow,
    /// A time zone name or abbreviation is not known (carries the name).
    UnknownTimeZone(String),
}

impl DateTimeError {
    /// The ERROR PostgreSQL reports for this failure on input `input` of type `type_name`
    /// (`DateTimeParseError`): 22007 `invalid input syntax for type date: "…"`, 22008
    /// `date/time field value out of range: "…"` (with a `datestyle` HINT for month/day
    /// overflows), 22015 `interval field value out of range: "…"`, 22009
    /// `time zone displacement out of range: "…"`, 22023 `time zone "…" not recognized`.
    pub fn into_error(self, input: &str, type_name: &str) -> Error {
        match self {
            DateTimeError::BadFormat => pg_err!(
                INVALID_DATETIME_FORMAT,
                "invalid input syntax for type {}: \"{}\"",
                type_name,
                input
            ),
            DateTimeError::FieldOverflow => field_overflow(input),
            DateTimeError::MdFieldOverflow => {
                field_overflow(input).hint("Perhaps you need a different \"datestyle\" setting.")
            }
            DateTimeError::IntervalOverflow => pg_err!(
                INTERVAL_FIELD_OVERFLOW,
                "interval field value out of range: \"{}\"",
                input
            ),
            DateTimeError::TzDispOverflow => pg_err!(
                INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                "time zone displacement out of range: \"{}\"",
                input
            ),
            DateTimeError::UnknownTimeZone(name) => pg_err!(
                INVALID_PARAMETER_VALUE,
                "time zone \"{}\" not recognized",
                name
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_day_round_trip() {
        assert_eq!(date2j(2000, 1, 1), POSTGRES_EPOCH_JDATE);
        assert_eq!(date2j(1970, 1, 1), UNIX_EPOCH_JDATE);
        assert_eq!(date2j(JULIAN_MAXYEAR, 1, 1), DATE_END_JULIAN);
        assert_eq!(date2j(294_277, 1, 1), TIMESTAMP_END_JULIAN);
        assert_eq!(date2j(-4713, 11, 24), 0);
        for jd in [
            0,
            1,
            59,
            60,
            1_000_000,
            2_451_545,
            2_460_000,
            100_000_000,
            2_147_483_493,
        ] {
            let (y, m, d) = j2date(jd);
            assert_eq!(date2j(y, m, d), jd, "{jd}");
        }
        assert_eq!(j2date(2_451_545), (2000, 1, 1));
        assert_eq!(j2day(POSTGRES_EPOCH_JDATE), 6); // a Saturday
        assert!(is_leap(2000) && !is_leap(1900) && is_leap(0));
    }

    #[test]
    fn datestyle_setting() {
        let d = DateStyle::default();
        assert_eq!(d.show(), "ISO, MDY");
        let s = d.parse_setting("SQL, DMY").unwrap();
        assert_eq!(s.show(), "SQL, DMY");
        assert_eq!(d.parse_setting("German").unwrap().show(), "German, DMY");
        assert_eq!(d.parse_setting("postgres").unwrap().show(), "Postgres, MDY");
        assert!(d.parse_setting("ISO, SQL").is_none());
        assert!(d.parse_setting("bogus").is_none());
        assert_eq!(
            IntervalStyle::parse_setting("SQL_STANDARD"),
            Some(IntervalStyle::SqlStandard)
        );
        assert_eq!(IntervalStyle::Iso8601.name(), "iso_8601");
        assert!(IntervalStyle::parse_setting("iso").is_none());
    }
}
