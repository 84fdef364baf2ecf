//! `date`: days since 2000-01-01, with `-infinity`/`infinity` (PostgreSQL docs §8.5.1.1,
//! §9.9).
//!
//! Valid dates run from 4713-11-24 BC to 5874897-12-31 AD. Entry points: [`date_in`],
//! [`date_out`], [`Date::add_days`], [`Date::days_between`], [`Date::to_timestamp`],
//! [`Date::to_timestamptz`].

use crate::{pg_err, Error, Result};

use super::format::encode_date_only;
use super::parse::{decode_date_time, parse_date_time, DecodeContext, DecodedKind, MAXDATELEN};
use super::timestamp::{Timestamp, TimestampTz};
use super::timezone::TimeZone;
use super::{
    date2j, is_valid_julian, j2date, DateStyle, Tm, DATE_END_JULIAN, POSTGRES_EPOCH_JDATE,
    TIMESTAMP_END_JULIAN, USECS_PER_DAY, USECS_PER_SEC,
};

/// A `date`: days since 2000-01-01; `i32::MIN` is `-infinity`, `i32::MAX` is `infinity`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(pub i32);

/// 22008 `date out of range`.
fn date_out_of_range() -> Error {
    pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "date out of range")
}

impl Date {
    /// `-infinity`.
    pub const NEG_INFINITY: Date = Date(i32::MIN);
    /// `infinity`.
    pub const INFINITY: Date = Date(i32::MAX);

    /// Whether this is `infinity` or `-infinity`.
    pub fn is_infinite(self) -> bool {
        self == Date::INFINITY || self == Date::NEG_INFINITY
    }

    /// Whether a day count lies in the valid range (`IS_VALID_DATE`).
    pub fn is_valid(days: i64) -> bool {
        (i64::from(-POSTGRES_EPOCH_JDATE)..i64::from(DATE_END_JULIAN - POSTGRES_EPOCH_JDATE))
            .contains(&days)
    }

    /// The date of a proleptic Gregorian year (0 = 1 BC), month and day; `None` if invalid
    /// or out of range.
    pub fn from_ymd(year: i32, month: i32, day: i32) -> Option<Date> {
        if !(1..=12).contains(&month) || day < 1 || day > super::days_in_month(year, month) {
            return None;
        }
        if !is_valid_julian(year, month) {
            return None;
        }
        let days = i64::from(date2j(year, month, day)) - i64::from(POSTGRES_EPOCH_JDATE);
        Date::is_valid(days).then_some(Date(days as i32))
    }

    /// Year (0 = 1 BC), month, day of a finite date.
    pub fn to_ymd(self) -> (i32, i32, i32) {
        j2date(self.0 + POSTGRES_EPOCH_JDATE)
    }

    /// `date + integer` (`date_pli`); infinities stay.
    ///
    /// Errors: 22008 `date out of range`.
    pub fn add_days(self, days: i32) -> Result<Date> {
        if self.is_infinite() {
            return Ok(self);
        }
        let result = i64::from(self.0) + i64::from(days);
        if !Date::is_valid(result) {
            return Err(date_out_of_range());
        }
        Ok(Date(result as i32))
    }

    /// `date - date` in days (`date_mi`).
    ///
    /// Errors: 22008 `cannot subtract infinite dates`.
    pub fn days_between(self, other: Date) -> Result<i32> {
        if self.is_infinite() || other.is_infinite() {
            return Err(pg_err!(
                DATETIME_VALUE_OUT_OF_RANGE,
                "cannot subtract infinite dates"
            ));
        }
        Ok(self.0 - other.0)
    }

    /// Midnight of this date as a `timestamp` (`date2timestamp`).
    ///
    /// Errors: 22008 `date out of range for timestamp`.
    pub fn to_timestamp(self) -> Result<Timestamp> {
        match self {
            Date::NEG_INFINITY => Ok(Timestamp::NEG_INFINITY),
            Date::INFINITY => Ok(Timestamp::INFINITY),
            Date(days) => {
                if days >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE {
                    return Err(pg_err!(
                        DATETIME_VALUE_OUT_OF_RANGE,
                        "date out of range for timestamp"
                    ));
                }
                Ok(Timestamp(i64::from(days) * USECS_PER_DAY))
            }
        }
    }

    /// Local midnight of this date in `tz` as a `timestamptz` (`date2timestamptz`).
    ///
    /// Errors: 22008 `date out of range for timestamp`.
    pub fn to_timestamptz(self, tz: &TimeZone) -> Result<TimestampTz> {
        let local = self.to_timestamp()?;
        if local.is_infinite() {
            return Ok(TimestampTz(local.0));
        }
        let (offset, _) = tz.local_offset(local.0);
        let utc = local.0 - i64::from(offset) * USECS_PER_SEC;
        if !Timestamp::is_valid(utc) {
            return Err(pg_err!(
                DATETIME_VALUE_OUT_OF_RANGE,
                "date out of range for timestamp"
            ));
        }
        Ok(TimestampTz(utc))
    }
}

/// `date` input (`date_in`): any date/time layout PostgreSQL accepts (a time or zone may
/// follow and is ignored), `epoch`, `infinity`, `-infinity`, `today`, `tomorrow`,
/// `yesterday` (relative to `now`, in `tz`).
///
/// Errors: 22007 `invalid input syntax for type date: "…"`, 22008
/// `date/time field value out of range: "…"`, 22008 `date out of range: "…"`, 22023
/// `time zone "…" not recognized`.
pub fn date_in(s: &str, style: &DateStyle, tz: &TimeZone, now: TimestampTz) -> Result<Date> {
    let ctx = DecodeContext {
        order: style.order,
        timezone: tz,
        now: now.0,
    };
    let decoded = parse_date_time(s, MAXDATELEN + 1)
        .and_then(|fields| decode_date_time(&fields, &ctx))
        .map_err(|e| e.into_error(s, "date"))?;
    let tm = match decoded.kind {
        DecodedKind::Date => decoded.tm,
        DecodedKind::Epoch => Tm {
            year: 1970,
            mon: 1,
            mday: 1,
            ..Tm::default()
        },
        DecodedKind::Late => return Ok(Date::INFINITY),
        DecodedKind::Early => return Ok(Date::NEG_INFINITY),
        DecodedKind::Time => return Err(super::DateTimeError::BadFormat.into_error(s, "date")),
    };
    let out_of_range = || pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "date out of range: \"{}\"", s);
    if !is_valid_julian(tm.year, tm.mon) {
        return Err(out_of_range());
    }
    let days = i64::from(date2j(tm.year, tm.mon, tm.mday)) - i64::from(POSTGRES_EPOCH_JDATE);
    if !Date::is_valid(days) {
        return Err(out_of_range());
    }
    Ok(Date(days as i32))
}

/// `date` output (`date_out`) in the given `DateStyle`: `2024-01-08`, `01/08/2024`,
/// `01-08-2024`, `08.01.2024`; `infinity`, `-infinity`; `0099-01-08 BC`.
pub fn date_out(d: Date, style: &DateStyle) -> String {
    match d {
        Date::INFINITY => "infinity".to_string(),
        Date::NEG_INFINITY => "-infinity".to_string(),
        _ => {
            let (year, mon, mday) = d.to_ymd();
            encode_date_only(
                &Tm {
                    year,
                    mon,
                    mday,
                    ..Tm::default()
                },
                style,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::{DateOrder, DateStyleFormat};
    use crate::SqlState;

    fn now() -> TimestampTz {
        // 2024-01-08 12:00:00 UTC
        TimestampTz(
            i64::from(date2j(2024, 1, 8) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY
                + 12 * 3_600_000_000,
        )
    }

    fn iso(s: &str) -> String {
        let style = DateStyle::default();
        match date_in(s, &style, &TimeZone::utc(), now()) {
            Ok(d) => date_out(d, &style),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    #[test]
    fn input_layouts() {
        assert_eq!(iso("2024-01-08"), "2024-01-08");
        assert_eq!(iso("January 8, 99 BC"), "0099-01-08 BC");
        assert_eq!(iso("1/8/1999"), "1999-01-08");
        assert_eq!(iso("1999-Jan-08"), "1999-01-08");
        assert_eq!(iso("08-Jan-1999"), "1999-01-08");
        assert_eq!(iso("Jan-08-1999"), "1999-01-08");
        assert_eq!(iso("19990108"), "1999-01-08");
        assert_eq!(iso("990108"), "1999-01-08");
        assert_eq!(iso("1999.008"), "1999-01-08");
        assert_eq!(iso("J2451187"), "1999-01-08");
        assert_eq!(iso("epoch"), "1970-01-01");
        assert_eq!(iso("infinity"), "infinity");
        assert_eq!(iso("-infinity"), "-infinity");
        assert_eq!(iso("today"), "2024-01-08");
        assert_eq!(iso("tomorrow"), "2024-01-09");
        assert_eq!(iso("yesterday"), "2024-01-07");
        assert_eq!(iso("2024-01-08 04:05:06 PST"), "2024-01-08");
        assert_eq!(iso("  2024-01-08  "), "2024-01-08");
    }

    #[test]
    fn input_errors() {
        assert_eq!(
            iso("2024-02-30"),
            "ERR 22008 date/time field value out of range: \"2024-02-30\""
        );
        assert_eq!(
            iso("x"),
            "ERR 22007 invalid input syntax for type date: \"x\""
        );
        assert_eq!(
            iso("5874898-01-01"),
            "ERR 22008 date out of range: \"5874898-01-01\""
        );
        assert_eq!(
            iso("2024-13-01"),
            "ERR 22008 date/time field value out of range: \"2024-13-01\""
        );
        let e = date_in("13/01/2024", &DateStyle::default(), &TimeZone::utc(), now()).unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("Perhaps you need a different \"datestyle\" setting.")
        );
        assert_eq!(e.code, SqlState::DATETIME_FIELD_OVERFLOW);
    }

    #[test]
    fn output_styles_and_arithmetic() {
        let d = Date::from_ymd(2024, 1, 8).unwrap();
        let sql_dmy = DateStyle {
            style: DateStyleFormat::Sql,
            order: DateOrder::Dmy,
        };
        assert_eq!(date_out(d, &sql_dmy), "08/01/2024");
        assert_eq!(
            d.add_days(-8)
                .map(|x| date_out(x, &DateStyle::default()))
                .unwrap(),
            "2023-12-31"
        );
        assert_eq!(
            d.days_between(Date::from_ymd(2023, 1, 8).unwrap()).unwrap(),
            365
        );
        assert_eq!(
            Date::INFINITY.days_between(d).unwrap_err().message,
            "cannot subtract infinite dates"
        );
        assert_eq!(
            Date(DATE_END_JULIAN - POSTGRES_EPOCH_JDATE - 1)
                .add_days(1)
                .unwrap_err()
                .message,
            "date out of range"
        );
        assert_eq!(d.to_timestamp().unwrap().0, d.0 as i64 * USECS_PER_DAY);
    }
}
