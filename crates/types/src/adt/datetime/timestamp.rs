//! `timestamp` and `timestamp with time zone`: microseconds since 2000-01-01 00:00:00
//! (local for `timestamp`, UTC for `timestamptz`), with `-infinity`/`infinity`
//! (PostgreSQL docs §8.5, §9.9).
//!
//! Valid values run from 4713-11-24 BC to 294276-12-31 AD. Arithmetic with intervals adds
//! months first (clamping the day to the month's length: Jan 31 + 1 month = Feb 29 in a
//! leap year), then days, then microseconds; for `timestamptz` the month and day steps
//! happen in local time of the session zone, so `+ '1 day'` crosses DST keeping the
//! wall-clock time.
//!
//! Entry points: [`timestamp_in`], [`timestamptz_in`], [`timestamp_out`],
//! [`timestamptz_out`], [`Timestamp::add_interval`], [`TimestampTz::add_interval`],
//! [`Timestamp::sub_timestamp`], [`adjust_timestamp_for_typmod`].

use crate::{pg_err, Error, Result};

use super::format::encode_date_time;
use super::interval::Interval;
use super::parse::{
    decode_date_time, parse_date_time, tm_to_local_usecs, usecs_to_tm, DecodeContext, DecodedKind,
    MAXDATEFIELDS, MAXDATELEN,
};
use super::timezone::TimeZone;
use super::{
    date2j, days_in_month, is_valid_julian, j2date, DateStyle, Tm, END_TIMESTAMP, MIN_TIMESTAMP,
    POSTGRES_EPOCH_JDATE, UNIX_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_SEC,
};

/// A `timestamp without time zone`: local microseconds since 2000-01-01 00:00:00;
/// `i64::MIN`/`i64::MAX` are `-infinity`/`infinity`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(pub i64);

/// A `timestamp with time zone`: microseconds since 2000-01-01 00:00:00 UTC;
/// `i64::MIN`/`i64::MAX` are `-infinity`/`infinity`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct TimestampTz(pub i64);

/// 22008 `timestamp out of range`.
pub fn timestamp_out_of_range() -> Error {
    pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range")
}

impl Timestamp {
    /// `-infinity`.
    pub const NEG_INFINITY: Timestamp = Timestamp(i64::MIN);
    /// `infinity`.
    pub const INFINITY: Timestamp = Timestamp(i64::MAX);

    /// Whether this is `infinity` or `-infinity`.
    pub fn is_infinite(self) -> bool {
        self.0 == i64::MIN || self.0 == i64::MAX
    }

    /// Whether a microsecond count is in the valid range (`IS_VALID_TIMESTAMP`).
    pub fn is_valid(usecs: i64) -> bool {
        (MIN_TIMESTAMP..END_TIMESTAMP).contains(&usecs)
    }

    /// Broken-down fields of a finite value (`timestamp2tm` without zone).
    pub fn to_tm(self) -> Tm {
        usecs_to_tm(self.0)
    }

    /// The value of broken-down fields (`tm2timestamp` without zone).
    ///
    /// Errors: 22008 `timestamp out of range`.
    pub fn from_tm(tm: &Tm) -> Result<Timestamp> {
        tm_to_usecs_checked(tm, 0).map(Timestamp)
    }

    /// `timestamp + interval` (`timestamp_pl_interval`).
    ///
    /// Errors: 22008 `timestamp out of range`.
    pub fn add_interval(self, span: &Interval) -> Result<Timestamp> {
        if self.is_infinite() {
            return Ok(self);
        }
        let mut ts = self.0;
        if span.months != 0 {
            let mut tm = usecs_to_tm(ts);
            add_months(&mut tm, span.months);
            ts = tm_to_usecs_checked(&tm, 0)?;
        }
        if span.days != 0 {
            let mut tm = usecs_to_tm(ts);
            let (y, m, d) = j2date(date2j(tm.year, tm.mon, tm.mday) + span.days);
            tm.year = y;
            tm.mon = m;
            tm.mday = d;
            ts = tm_to_usecs_checked(&tm, 0)?;
        }
        let ts = ts
            .checked_add(span.micros)
            .ok_or_else(timestamp_out_of_range)?;
        if !Timestamp::is_valid(ts) {
            return Err(timestamp_out_of_range());
        }
        Ok(Timestamp(ts))
    }

    /// `timestamp - interval` (`timestamp_mi_interval`).
    ///
    /// Errors: 22008 `interval out of range`, `timestamp out of range`.
    pub fn sub_interval(self, span: &Interval) -> Result<Timestamp> {
        self.add_interval(&span.neg()?)
    }

    /// `timestamp - timestamp` (`timestamp_mi`): the difference in microseconds, with whole
    /// days moved into the day field (`justify_hours`).
    ///
    /// Errors: 22008 `cannot subtract infinite timestamps`, `interval out of range`.
    pub fn sub_timestamp(self, other: Timestamp) -> Result<Interval> {
        if self.is_infinite() || other.is_infinite() {
            return Err(pg_err!(
                DATETIME_VALUE_OUT_OF_RANGE,
                "cannot subtract infinite timestamps"
            ));
        }
        // PostgreSQL 15 does not check this subtraction: far-apart values wrap.
        let micros = self.0.wrapping_sub(other.0);
        Interval {
            months: 0,
            days: 0,
            micros,
        }
        .justify_hours()
    }

    /// The `timestamptz` for this local time in `tz` (`timestamp2timestamptz`).
    ///
    /// Errors: 22008 `timestamp out of range`.
    pub fn to_timestamptz(self, tz: &TimeZone) -> Result<TimestampTz> {
        if self.is_infinite() {
            return Ok(TimestampTz(self.0));
        }
        let (offset, _) = tz.local_offset(self.0);
        let utc = self.0 - i64::from(offset) * USECS_PER_SEC;
        if !Timestamp::is_valid(utc) {
            return Err(timestamp_out_of_range());
        }
        Ok(TimestampTz(utc))
    }
}

impl TimestampTz {
    /// `-infinity`.
    pub const NEG_INFINITY: TimestampTz = TimestampTz(i64::MIN);
    /// `infinity`.
    pub const INFINITY: TimestampTz = TimestampTz(i64::MAX);

    /// Whether this is `infinity` or `-infinity`.
    pub fn is_infinite(self) -> bool {
        self.0 == i64::MIN || self.0 == i64::MAX
    }

    /// From microseconds since the Unix epoch.
    pub fn from_unix_micros(micros: i64) -> TimestampTz {
        TimestampTz(micros - i64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)
    }

    /// Local time in `tz` (`timestamptz_timestamp`), as a `timestamp`.
    ///
    /// Errors: 22008 `timestamp out of range`.
    pub fn to_local(self, tz: &TimeZone) -> Result<Timestamp> {
        if self.is_infinite() {
            return Ok(Timestamp(self.0));
        }
        let offset = tz.utc_to_local(self.0).offset;
        let local = self.0 + i64::from(offset) * USECS_PER_SEC;
        if !Timestamp::is_valid(local) {
            return Err(timestamp_out_of_range());
        }
        Ok(Timestamp(local))
    }

    /// Broken-down local fields in `tz`, with offset and abbreviation filled in.
    pub fn to_tm(self, tz: &TimeZone) -> Tm {
        let info = tz.utc_to_local(self.0);
        let mut tm = usecs_to_tm(self.0 + i64::from(info.offset) * USECS_PER_SEC);
        tm.gmtoff = Some(info.offset);
        tm.isdst = Some(info.is_dst);
        tm.zone = Some(info.abbreviation);
        tm
    }

    /// `timestamptz + interval` (`timestamptz_pl_interval`): months and days are added in
    /// local time of `tz`.
    ///
    /// Errors: 22008 `timestamp out of range`.
    pub fn add_interval(self, span: &Interval, tz: &TimeZone) -> Result<TimestampTz> {
        if self.is_infinite() {
            return Ok(self);
        }
        let mut ts = self.0;
        let relocalize = |tm: &Tm| -> Result<i64> {
            let local = tm_to_usecs_checked(tm, 0)?;
            let (offset, _) = tz.local_offset(local);
            tm_to_usecs_checked(tm, offset)
        };
        if span.months != 0 {
            let mut tm = self.to_tm(tz);
            add_months(&mut tm, span.months);
            ts = relocalize(&tm)?;
        }
        if span.days != 0 {
            let mut tm = TimestampTz(ts).to_tm(tz);
            let (y, m, d) = j2date(date2j(tm.year, tm.mon, tm.mday) + span.days);
            tm.year = y;
            tm.mon = m;
            tm.mday = d;
            ts = relocalize(&tm)?;
        }
        let ts = ts
            .checked_add(span.micros)
            .ok_or_else(timestamp_out_of_range)?;
        if !Timestamp::is_valid(ts) {
            return Err(timestamp_out_of_range());
        }
        Ok(TimestampTz(ts))
    }

    /// `timestamptz - interval`.
    ///
    /// Errors: 22008 `interval out of range`, `timestamp out of range`.
    pub fn sub_interval(self, span: &Interval, tz: &TimeZone) -> Result<TimestampTz> {
        self.add_interval(&span.neg()?, tz)
    }

    /// `timestamptz - timestamptz` (`timestamp_mi`), justified into days and time.
    ///
    /// Errors: 22008 `cannot subtract infinite timestamps`, `interval out of range`.
    pub fn sub_timestamptz(self, other: TimestampTz) -> Result<Interval> {
        Timestamp(self.0).sub_timestamp(Timestamp(other.0))
    }
}

/// Adds months to broken-down fields, clamping the day to the new month's length.
fn add_months(tm: &mut Tm, months: i32) {
    let total = i64::from(tm.year) * 12 + i64::from(tm.mon - 1) + i64::from(months);
    tm.year = total.div_euclid(12) as i32;
    tm.mon = total.rem_euclid(12) as i32 + 1;
    tm.mday = tm.mday.min(days_in_month(tm.year, tm.mon));
}

/// `tm2timestamp`: fields at offset `tz_east` to UTC (or local, with 0) microseconds, with
/// PostgreSQL's range checks.
fn tm_to_usecs_checked(tm: &Tm, tz_east: i32) -> Result<i64> {
    if !is_valid_julian(tm.year, tm.mon) {
        return Err(timestamp_out_of_range());
    }
    let local = i128::from(tm_to_local_usecs(tm));
    let utc = local - i128::from(tz_east) * i128::from(USECS_PER_SEC);
    match i64::try_from(utc) {
        Ok(v) if Timestamp::is_valid(v) => Ok(v),
        _ => Err(timestamp_out_of_range()),
    }
}

/// Parses and decodes timestamp input; returns the kind, fields and zone offset.
fn decode_timestamp(
    s: &str,
    style: &DateStyle,
    tz: &TimeZone,
    now: TimestampTz,
    type_name: &str,
) -> Result<super::parse::Decoded> {
    let ctx = DecodeContext {
        order: style.order,
        timezone: tz,
        now: now.0,
    };
    parse_date_time(s, MAXDATELEN + MAXDATEFIELDS)
        .and_then(|fields| decode_date_time(&fields, &ctx))
        .map_err(|e| e.into_error(s, type_name))
}

/// `timestamp` input (`timestamp_in`): date and time in any accepted layout; a zone in the
/// text is ignored; `epoch`, `infinity`, `-infinity`, `now`, `today`, ... (relative to
/// `now` in `tz`).
///
/// Errors: 22007 `invalid input syntax for type timestamp: "…"`, 22008
/// `date/time field value out of range: "…"`, 22008 `timestamp out of range: "…"`.
pub fn timestamp_in(
    s: &str,
    style: &DateStyle,
    tz: &TimeZone,
    now: TimestampTz,
) -> Result<Timestamp> {
    let decoded = decode_timestamp(s, style, tz, now, "timestamp")?;
    match decoded.kind {
        DecodedKind::Date => tm_to_usecs_checked(&decoded.tm, 0)
            .map(Timestamp)
            .map_err(|_| {
                pg_err!(
                    DATETIME_VALUE_OUT_OF_RANGE,
                    "timestamp out of range: \"{}\"",
                    s
                )
            }),
        DecodedKind::Epoch => Ok(Timestamp(
            -i64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY,
        )),
        DecodedKind::Late => Ok(Timestamp::INFINITY),
        DecodedKind::Early => Ok(Timestamp::NEG_INFINITY),
        DecodedKind::Time => Err(super::DateTimeError::BadFormat.into_error(s, "timestamp")),
    }
}

/// `timestamptz` input (`timestamptz_in`): like [`timestamp_in`]; a zone in the text
/// (`-08`, `PST`, `America/New_York`) gives the offset, else the session zone `tz` does.
///
/// Errors: 22007 `invalid input syntax for type timestamp with time zone: "…"`, 22008
/// `date/time field value out of range: "…"`, 22008 `timestamp out of range: "…"`, 22009
/// `time zone displacement out of range: "…"`, 22023 `time zone "…" not recognized`.
pub fn timestamptz_in(
    s: &str,
    style: &DateStyle,
    tz: &TimeZone,
    now: TimestampTz,
) -> Result<TimestampTz> {
    let decoded = decode_timestamp(s, style, tz, now, "timestamp with time zone")?;
    match decoded.kind {
        DecodedKind::Date => tm_to_usecs_checked(&decoded.tm, decoded.tz_east)
            .map(TimestampTz)
            .map_err(|_| {
                pg_err!(
                    DATETIME_VALUE_OUT_OF_RANGE,
                    "timestamp out of range: \"{}\"",
                    s
                )
            }),
        DecodedKind::Epoch => Ok(TimestampTz(
            -i64::from(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY,
        )),
        DecodedKind::Late => Ok(TimestampTz::INFINITY),
        DecodedKind::Early => Ok(TimestampTz::NEG_INFINITY),
        DecodedKind::Time => {
            Err(super::DateTimeError::BadFormat.into_error(s, "timestamp with time zone"))
        }
    }
}

/// `timestamp` output (`timestamp_out`) in the given `DateStyle`.
pub fn timestamp_out(ts: Timestamp, style: &DateStyle) -> String {
    match ts {
        Timestamp::INFINITY => "infinity".to_string(),
        Timestamp::NEG_INFINITY => "-infinity".to_string(),
        _ => encode_date_time(&ts.to_tm(), None, style),
    }
}

/// `timestamptz` output (`timestamptz_out`): local time in `tz` with its offset (ISO) or
/// abbreviation (other styles).
pub fn timestamptz_out(ts: TimestampTz, style: &DateStyle, tz: &TimeZone) -> String {
    match ts {
        TimestampTz::INFINITY => "infinity".to_string(),
        TimestampTz::NEG_INFINITY => "-infinity".to_string(),
        _ => {
            let tm = ts.to_tm(tz);
            let offset = tm.gmtoff.unwrap_or(0);
            encode_date_time(&tm, Some((offset, tm.zone.as_deref())), style)
        }
    }
}

/// Rounds to `precision` (0..=6) fractional digits, half away from zero, as a
/// `timestamp(p)` column does (`AdjustTimestampForTypmod`); infinities pass.
///
/// Errors: 22008 `timestamp out of range` if rounding leaves the valid range.
pub fn adjust_timestamp_for_typmod(usecs: i64, precision: i32) -> Result<i64> {
    if usecs == i64::MIN || usecs == i64::MAX || !(0..6).contains(&precision) {
        return Ok(usecs);
    }
    let scale = 10i64.pow((6 - precision) as u32);
    let offset = scale / 2;
    let rounded = if usecs >= 0 {
        (usecs + offset) / scale * scale
    } else {
        -((-usecs + offset) / scale * scale)
    };
    if !Timestamp::is_valid(rounded) {
        return Err(timestamp_out_of_range());
    }
    Ok(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::{DateOrder, DateStyleFormat, IntervalStyle};

    fn now() -> TimestampTz {
        TimestampTz(
            i64::from(date2j(2024, 1, 8) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY
                + 12 * 3_600_000_000,
        )
    }

    fn la() -> TimeZone {
        TimeZone::named("America/Los_Angeles").unwrap()
    }

    fn tstz(s: &str, style: DateStyleFormat) -> String {
        let st = DateStyle {
            style,
            order: DateOrder::Mdy,
        };
        match timestamptz_in(s, &DateStyle::default(), &la(), now()) {
            Ok(t) => timestamptz_out(t, &st, &la()),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    fn ts(s: &str) -> String {
        let st = DateStyle::default();
        match timestamp_in(s, &st, &la(), now()) {
            Ok(t) => timestamp_out(t, &st),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    #[test]
    fn timestamptz_round_trips_in_each_style() {
        let input = "2024-01-08 04:05:06.789-08";
        assert_eq!(
            tstz(input, DateStyleFormat::Iso),
            "2024-01-08 04:05:06.789-08"
        );
        assert_eq!(
            tstz(input, DateStyleFormat::Postgres),
            "Mon Jan 08 04:05:06.789 2024 PST"
        );
        assert_eq!(
            tstz(input, DateStyleFormat::Sql),
            "01/08/2024 04:05:06.789 PST"
        );
        assert_eq!(
            tstz(input, DateStyleFormat::German),
            "08.01.2024 04:05:06.789 PST"
        );
        assert_eq!(
            tstz("2024-07-08 04:05 EST", DateStyleFormat::Iso),
            "2024-07-08 02:05:00-07"
        );
        assert_eq!(
            tstz("2024-07-08 04:05 America/New_York", DateStyleFormat::Iso),
            "2024-07-08 01:05:00-07"
        );
        assert_eq!(tstz("now", DateStyleFormat::Iso), "2024-01-08 04:00:00-08");
        assert_eq!(
            tstz("epoch", DateStyleFormat::Iso),
            "1969-12-31 16:00:00-08"
        );
        assert_eq!(tstz("infinity", DateStyleFormat::Iso), "infinity");
        assert_eq!(
            tstz("2024-01-08 04:05 Foo/Bar", DateStyleFormat::Iso),
            "ERR 22023 time zone \"foo/bar\" not recognized"
        );
        assert_eq!(
            tstz("2024-01-08 04:05+16", DateStyleFormat::Iso),
            "ERR 22009 time zone displacement out of range: \"2024-01-08 04:05+16\""
        );
    }

    #[test]
    fn timestamp_input_layouts() {
        assert_eq!(ts("2024-01-08 04:05:06"), "2024-01-08 04:05:06");
        assert_eq!(ts("2024-01-08T04:05:06Z"), "2024-01-08 04:05:06");
        assert_eq!(ts("January 8 04:05:06 1999 PST"), "1999-01-08 04:05:06");
        assert_eq!(ts("1999-01-08 04:05:06 PM"), "1999-01-08 16:05:06");
        assert_eq!(
            ts("1999-01-08 13:05:06 PM"),
            "ERR 22008 date/time field value out of range: \"1999-01-08 13:05:06 PM\""
        );
        assert_eq!(ts("1999-01-08 4:05 PM"), "1999-01-08 16:05:00");
        assert_eq!(ts("20240108 040506"), "2024-01-08 04:05:06");
        assert_eq!(
            ts("allballs 2024-01-08"),
            "ERR 22007 invalid input syntax for type timestamp: \"allballs 2024-01-08\""
        );
        assert_eq!(
            ts("04:05:06 2024-01-08"),
            "ERR 22007 invalid input syntax for type timestamp: \"04:05:06 2024-01-08\""
        );
        assert_eq!(
            ts("294277-01-01"),
            "ERR 22008 timestamp out of range: \"294277-01-01\""
        );
        assert_eq!(ts("4714-11-24 00:00:00 BC"), "4714-11-24 00:00:00 BC");
        assert_eq!(ts("2024-01-08 24:00:00"), "2024-01-09 00:00:00");
    }

    #[test]
    fn interval_arithmetic_clamps_month_ends() {
        let st = DateStyle::default();
        let t = timestamp_in("2024-01-31 10:00", &st, &TimeZone::utc(), now()).unwrap();
        let one_month = Interval {
            months: 1,
            days: 0,
            micros: 0,
        };
        assert_eq!(
            timestamp_out(t.add_interval(&one_month).unwrap(), &st),
            "2024-02-29 10:00:00"
        );
        assert_eq!(
            timestamp_out(t.sub_interval(&one_month).unwrap(), &st),
            "2023-12-31 10:00:00"
        );
        let t2 = timestamp_in("2024-03-01 09:30", &st, &TimeZone::utc(), now()).unwrap();
        let diff = t2.sub_timestamp(t).unwrap();
        assert_eq!(
            super::super::interval::interval_out(&diff, IntervalStyle::Postgres),
            "29 days 23:30:00"
        );
        // Across the DST change, one day keeps the wall-clock time.
        let tz = la();
        let before = timestamptz_in("2024-03-09 12:00", &st, &tz, now()).unwrap();
        let day = Interval {
            months: 0,
            days: 1,
            micros: 0,
        };
        assert_eq!(
            timestamptz_out(before.add_interval(&day, &tz).unwrap(), &st, &tz),
            "2024-03-10 12:00:00-07"
        );
        assert_eq!(
            adjust_timestamp_for_typmod(1_500_000, 0).unwrap(),
            2_000_000
        );
        assert_eq!(
            adjust_timestamp_for_typmod(-1_500_000, 0).unwrap(),
            -2_000_000
        );
        assert_eq!(
            adjust_timestamp_for_typmod(1_234_567, 3).unwrap(),
            1_235_000
        );
    }
}
