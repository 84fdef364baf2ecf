//! `to_char` for `timestamp`, `timestamptz` and `interval` (PostgreSQL docs §9.8,
//! Tables 9.26 and 9.27).
//!
//! The value is first broken into [`CharFields`] (local fields for timestamps, the
//! interval's own months/days/time for intervals), then each template node prints one
//! piece. Numeric fields are zero-padded to their nominal width unless `FM` is given;
//! names are padded to 9 characters (`MONTH`, `DAY`) unless `FM` or `TM` is given.
//! Fields tied to calendar dates (`DAY`, `D`, `AD`, `TZ`, ...) are 22007 for intervals.
//!
//! Entry points: [`timestamp_to_char`], [`timestamptz_to_char`], [`interval_to_char`].

use super::datetime_template::{
    parse_datetime_template, DateTimeKeyword as K, Modifiers, OrdinalCase, TemplateNode,
};
use super::ordinal_suffix;
use crate::adt::datetime::fields::{date2isoweek, date2isoyear};
use crate::adt::datetime::{
    date2j, j2day, Interval, TimeZone, Timestamp, TimestampTz, Tm, DAYS_PER_MONTH, MONTHS_PER_YEAR,
    USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
};
use crate::{pg_err, Error, Result};

const MONTHS_FULL: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS_FULL: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
/// Roman numerals for months 1-12.
pub(crate) const ROMAN_MONTHS: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

/// English month names, full (`January`).
pub(crate) fn month_name(month: usize) -> &'static str {
    MONTHS_FULL[month]
}

/// English day names, full (`Sunday`).
pub(crate) fn day_name(day: usize) -> &'static str {
    DAYS_FULL[day]
}

/// The fields `to_char` prints from.
#[derive(Clone, Debug, Default)]
pub struct CharFields {
    /// Year (astronomical for timestamps; the interval's years for intervals).
    pub year: i32,
    /// Month 1-12 (0-11 for intervals).
    pub mon: i32,
    /// Day of month (the interval's days).
    pub mday: i32,
    /// Hour (may exceed 23 for intervals).
    pub hour: i64,
    /// Minute.
    pub min: i32,
    /// Second.
    pub sec: i32,
    /// Microseconds.
    pub fsec: i32,
    /// Day of week, 0 = Sunday.
    pub wday: i32,
    /// Day of year, 1-based (approximate total days for intervals).
    pub yday: i32,
    /// UTC offset in seconds east of Greenwich.
    pub gmtoff: i32,
    /// Zone abbreviation, for `timestamptz` only.
    pub zone: Option<String>,
    /// Whether the value is an interval.
    pub is_interval: bool,
}

impl CharFields {
    fn from_tm(tm: &Tm) -> CharFields {
        let jd = date2j(tm.year, tm.mon, tm.mday);
        CharFields {
            year: tm.year,
            mon: tm.mon,
            mday: tm.mday,
            hour: i64::from(tm.hour),
            min: tm.min,
            sec: tm.sec,
            fsec: tm.fsec,
            wday: j2day(jd),
            yday: jd - date2j(tm.year, 1, 1) + 1,
            gmtoff: tm.gmtoff.unwrap_or(0),
            zone: tm.zone.clone(),
            is_interval: false,
        }
    }
}

/// `to_char(timestamp, text)`: `None` (SQL NULL) for infinite values or an empty template.
///
/// Errors: as [`format_datetime`].
pub fn timestamp_to_char(ts: Timestamp, template: &str) -> Result<Option<String>> {
    if ts.is_infinite() || template.is_empty() {
        return Ok(None);
    }
    format_datetime(&CharFields::from_tm(&ts.to_tm()), template).map(Some)
}

/// `to_char(timestamptz, text)` in the session zone `tz`.
///
/// Errors: as [`format_datetime`].
pub fn timestamptz_to_char(
    ts: TimestampTz,
    tz: &TimeZone,
    template: &str,
) -> Result<Option<String>> {
    if ts.is_infinite() || template.is_empty() {
        return Ok(None);
    }
    format_datetime(&CharFields::from_tm(&ts.to_tm(tz)), template).map(Some)
}

/// `to_char(interval, text)`: the interval's years, months, days and time of day, with
/// `DDD` the approximate total number of days.
///
/// Errors: 22007 `invalid format specification for an interval value` for calendar-only
/// fields.
pub fn interval_to_char(iv: &Interval, template: &str) -> Result<Option<String>> {
    if template.is_empty() {
        return Ok(None);
    }
    let year = iv.months / MONTHS_PER_YEAR;
    let mon = iv.months % MONTHS_PER_YEAR;
    let mut rest = iv.micros;
    let hour = rest / USECS_PER_HOUR;
    rest -= hour * USECS_PER_HOUR;
    let min = (rest / USECS_PER_MINUTE) as i32;
    rest -= i64::from(min) * USECS_PER_MINUTE;
    let sec = (rest / USECS_PER_SEC) as i32;
    let fsec = (rest - i64::from(sec) * USECS_PER_SEC) as i32;
    let fields = CharFields {
        year,
        mon,
        mday: iv.days,
        hour,
        min,
        sec,
        fsec,
        wday: 0,
        yday: (year.wrapping_mul(MONTHS_PER_YEAR).wrapping_add(mon))
            .wrapping_mul(DAYS_PER_MONTH)
            .wrapping_add(iv.days),
        gmtoff: 0,
        zone: None,
        is_interval: true,
    };
    format_datetime(&fields, template).map(Some)
}

fn invalid_for_interval() -> Error {
    pg_err!(
        INVALID_DATETIME_FORMAT,
        "invalid format specification for an interval value"
    )
    .hint("Intervals are not tied to specific calendar dates.")
}

/// `%0*d`: `value` zero-padded to `width` characters (the sign counts), or unpadded in
/// fill mode.
fn padded(value: i64, width: usize, fill_mode: bool) -> String {
    if fill_mode {
        value.to_string()
    } else if value < 0 {
        format!(
            "-{:0>w$}",
            value.unsigned_abs(),
            w = width.saturating_sub(1)
        )
    } else {
        format!("{value:0>width$}")
    }
}

/// Width 2 for non-negative, 3 for negative values (`(x >= 0) ? 2 : 3`).
fn two(value: i64, fill_mode: bool) -> String {
    padded(value, if value >= 0 { 2 } else { 3 }, fill_mode)
}

fn name_padded(name: &str, m: Modifiers) -> String {
    if m.fill_mode || m.translate {
        name.to_string()
    } else {
        format!("{name:<9}")
    }
}

fn initcap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if i == 0 {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// `ADJUST_YEAR`: BC years count from 1 for timestamps; interval years are printed as is.
fn adjust_year(year: i32, is_interval: bool) -> i64 {
    if is_interval || year > 0 {
        i64::from(year)
    } else {
        -(i64::from(year) - 1)
    }
}

/// Formats `fields` by `template`.
///
/// Errors: 22007 for calendar-only fields of an interval.
pub fn format_datetime(fields: &CharFields, template: &str) -> Result<String> {
    let f = fields;
    let mut out = String::new();
    for node in parse_datetime_template(template) {
        let (keyword, m) = match node {
            TemplateNode::Keyword(k, m, _) => (k, m),
            TemplateNode::Literal(c) | TemplateNode::Separator(c) | TemplateNode::Space(c) => {
                out.push(c);
                continue;
            }
        };
        let fm = m.fill_mode;
        let calendar_only = matches!(
            keyword,
            K::ADUpperDots
                | K::ADUpper
                | K::BCUpperDots
                | K::BCUpper
                | K::ADLowerDots
                | K::ADLower
                | K::BCLowerDots
                | K::BCLower
                | K::DAY
                | K::Day
                | K::DayLower
                | K::DY
                | K::Dy
                | K::DyLower
                | K::D
                | K::ID
                | K::TZ
                | K::TZLower
                | K::TZH
                | K::TZM
                | K::OF
                | K::MONTH
                | K::Month
                | K::MonthLower
                | K::MON
                | K::Mon
                | K::MonLower
        );
        if calendar_only && f.is_interval {
            return Err(invalid_for_interval());
        }
        let pm = f.hour.rem_euclid(24) >= 12;
        let bc = f.year <= 0;
        let mut number: Option<String> = None;
        match keyword {
            K::AMUpper | K::PMUpper => out.push_str(if pm { "PM" } else { "AM" }),
            K::AMLower | K::PMLower => out.push_str(if pm { "pm" } else { "am" }),
            K::AMUpperDots | K::PMUpperDots => out.push_str(if pm { "P.M." } else { "A.M." }),
            K::AMLowerDots | K::PMLowerDots => out.push_str(if pm { "p.m." } else { "a.m." }),
            K::ADUpper | K::BCUpper => out.push_str(if bc { "BC" } else { "AD" }),
            K::ADLower | K::BCLower => out.push_str(if bc { "bc" } else { "ad" }),
            K::ADUpperDots | K::BCUpperDots => out.push_str(if bc { "B.C." } else { "A.D." }),
            K::ADLowerDots | K::BCLowerDots => out.push_str(if bc { "b.c." } else { "a.d." }),
            K::HH | K::HH12 => {
                let h12 = if f.hour % 12 == 0 { 12 } else { f.hour % 12 };
                number = Some(padded(h12, if f.hour >= 0 { 2 } else { 3 }, fm));
            }
            K::HH24 => number = Some(two(f.hour, fm)),
            K::MI => number = Some(two(i64::from(f.min), fm)),
            K::SS => number = Some(two(i64::from(f.sec), fm)),
            K::FF1 | K::FF2 | K::FF3 | K::FF4 | K::FF5 | K::FF6 | K::MS | K::US => {
                let digits: u32 = match keyword {
                    K::FF1 => 1,
                    K::FF2 => 2,
                    K::FF3 | K::MS => 3,
                    K::FF4 => 4,
                    K::FF5 => 5,
                    _ => 6,
                };
                let value = i64::from(f.fsec) / 10_i64.pow(6 - digits);
                number = Some(padded(value, digits as usize, false));
            }
            K::SSSS => {
                number =
                    Some((f.hour * 3600 + i64::from(f.min) * 60 + i64::from(f.sec)).to_string())
            }
            K::TZ | K::TZLower => {
                if let Some(zone) = &f.zone {
                    out.push_str(&if keyword == K::TZ {
                        zone.to_ascii_uppercase()
                    } else {
                        zone.to_ascii_lowercase()
                    });
                }
            }
            K::TZH => {
                let sign = if f.gmtoff >= 0 { '+' } else { '-' };
                out.push_str(&format!("{sign}{:02}", f.gmtoff.unsigned_abs() / 3600));
            }
            K::TZM => number = Some(format!("{:02}", (f.gmtoff.unsigned_abs() % 3600) / 60)),
            K::OF => {
                let sign = if f.gmtoff >= 0 { '+' } else { '-' };
                let abs = f.gmtoff.unsigned_abs();
                out.push(sign);
                out.push_str(&padded(i64::from(abs / 3600), 2, fm));
                if !abs.is_multiple_of(3600) {
                    out.push_str(&format!(":{:02}", (abs % 3600) / 60));
                }
            }
            K::MONTH | K::Month | K::MonthLower => {
                if f.mon == 0 {
                    continue;
                }
                let name = month_name(month_index(f.mon));
                let name = match keyword {
                    K::MONTH => name.to_ascii_uppercase(),
                    K::Month => initcap(name),
                    _ => name.to_ascii_lowercase(),
                };
                out.push_str(&name_padded(&name, m));
            }
            K::MON | K::Mon | K::MonLower => {
                if f.mon == 0 {
                    continue;
                }
                let name = &month_name(month_index(f.mon))[..3];
                out.push_str(&match keyword {
                    K::MON => name.to_ascii_uppercase(),
                    K::Mon => name.to_string(),
                    _ => name.to_ascii_lowercase(),
                });
            }
            K::MM => number = Some(two(i64::from(f.mon), fm)),
            K::DAY | K::Day | K::DayLower => {
                let name = day_name(f.wday.rem_euclid(7) as usize);
                let name = match keyword {
                    K::DAY => name.to_ascii_uppercase(),
                    K::Day => name.to_string(),
                    _ => name.to_ascii_lowercase(),
                };
                out.push_str(&name_padded(&name, m));
            }
            K::DY | K::Dy | K::DyLower => {
                let name = &day_name(f.wday.rem_euclid(7) as usize)[..3];
                out.push_str(&match keyword {
                    K::DY => name.to_ascii_uppercase(),
                    K::Dy => name.to_string(),
                    _ => name.to_ascii_lowercase(),
                });
            }
            K::DDD => number = Some(padded(i64::from(f.yday), 3, fm)),
            K::IDDD => {
                let iso_day = iso_day_of_year(f.year, f.mon, f.mday);
                number = Some(padded(i64::from(iso_day), 3, fm));
            }
            K::DD => number = Some(padded(i64::from(f.mday), 2, fm)),
            K::D => number = Some((f.wday + 1).to_string()),
            K::ID => number = Some((if f.wday == 0 { 7 } else { f.wday }).to_string()),
            K::WW => number = Some(padded(i64::from((f.yday - 1) / 7 + 1), 2, fm)),
            K::IW => number = Some(two(i64::from(date2isoweek(f.year, f.mon, f.mday)), fm)),
            K::Q => {
                if f.mon == 0 {
                    continue;
                }
                number = Some(((f.mon - 1) / 3 + 1).to_string());
            }
            K::CC => {
                let century = if f.is_interval {
                    f.year / 100
                } else if f.year > 0 {
                    (f.year + 99) / 100
                } else {
                    f.year / 100 - 1
                };
                number = Some(if (-99..=99).contains(&century) {
                    two(i64::from(century), fm)
                } else {
                    century.to_string()
                });
            }
            K::YCommaYYY => {
                let year = adjust_year(f.year, f.is_interval);
                let thousands = year / 1000;
                number = Some(format!("{thousands},{:03}", year - thousands * 1000));
            }
            K::YYYY | K::IYYY | K::YYY | K::IYY | K::YY | K::IY | K::Y | K::I => {
                let iso = matches!(keyword, K::IYYY | K::IYY | K::IY | K::I);
                let year = if iso {
                    adjust_year(date2isoyear(f.year, f.mon, f.mday), f.is_interval)
                } else {
                    adjust_year(f.year, f.is_interval)
                };
                let (modulus, width) = match keyword {
                    K::YYYY | K::IYYY => (None, 4),
                    K::YYY | K::IYY => (Some(1000), 3),
                    K::YY | K::IY => (Some(100), 2),
                    _ => (Some(10), 1),
                };
                let value = modulus.map_or(year, |md| year % md);
                number = Some(if width == 1 {
                    value.to_string()
                } else {
                    padded(value, if year >= 0 { width } else { width + 1 }, fm)
                });
            }
            K::RM | K::RMLower => {
                // Interval months run -11..=11; whole years print as XII (or I when
                // negative), negative months count back from December.
                let month = match f.mon {
                    0 if f.year == 0 => continue,
                    0 if f.year >= 0 => 12,
                    0 => 1,
                    m if m < 0 => 13 + m,
                    m => m,
                };
                let numeral = ROMAN_MONTHS[month_index(month)];
                let numeral = if keyword == K::RM {
                    numeral.to_string()
                } else {
                    numeral.to_ascii_lowercase()
                };
                out.push_str(&if fm { numeral } else { format!("{numeral:<4}") });
            }
            K::W => number = Some(((f.mday - 1) / 7 + 1).to_string()),
            K::J => number = Some(date2j(f.year, f.mon, f.mday).to_string()),
            K::FX => {}
        }
        if let Some(mut digits) = number {
            if let Some(case) = m.ordinal {
                digits.push_str(ordinal_suffix(&digits, case == OrdinalCase::Upper)?);
            }
            out.push_str(&digits);
        }
    }
    Ok(out)
}

/// Index 0-11 of a month 1-12; interval months may be negative and index from the end, as
/// PostgreSQL's arrays would be read.
fn month_index(mon: i32) -> usize {
    (mon - 1).rem_euclid(12) as usize
}

/// ISO day of year (1-371): days since the Monday of ISO week 1.
fn iso_day_of_year(year: i32, mon: i32, mday: i32) -> i32 {
    let week = date2isoweek(year, mon, mday);
    let dow = j2day(date2j(year, mon, mday));
    let iso_dow = if dow == 0 { 7 } else { dow };
    (week - 1) * 7 + iso_dow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::timestamp::{timestamp_in, timestamptz_in};
    use crate::adt::datetime::{DateStyle, TimestampTz};

    fn ts(s: &str) -> Timestamp {
        timestamp_in(s, &DateStyle::default(), &TimeZone::utc(), TimestampTz(0)).expect("ts")
    }

    fn fmt(s: &str, template: &str) -> String {
        timestamp_to_char(ts(s), template)
            .expect("to_char")
            .expect("not null")
    }

    #[test]
    fn timestamp_fields_match_postgres() {
        // Expected strings from PostgreSQL 15.
        let t = "1997-02-10 17:32:01.123456";
        assert_eq!(
            fmt(t, "DAY Day day DY Dy dy"),
            "MONDAY    Monday    monday    MON Mon mon"
        );
        assert_eq!(
            fmt(t, "MONTH Month month RM MON Mon mon"),
            "FEBRUARY  February  february  II   FEB Feb feb"
        );
        assert_eq!(fmt(t, "HH HH12 HH24 MI SS SSSS"), "05 05 17 32 01 63121");
        assert_eq!(
            fmt(t, "MS US FF1 FF2 FF3 FF4 FF5 FF6"),
            "123 123456 1 12 123 1234 12345 123456"
        );
        assert_eq!(
            fmt(t, "Y,YYY YYYY YYY YY Y CC Q"),
            "1,997 1997 997 97 7 20 1"
        );
        assert_eq!(
            fmt(t, "DDD DD D W WW IW IYYY IDDD ID J"),
            "041 10 2 2 06 07 1997 043 1 2450490"
        );
        assert_eq!(
            fmt(t, "AM PM am pm A.M. p.m. AD bc B.C."),
            "PM PM pm pm P.M. p.m. AD ad A.D."
        );
        assert_eq!(fmt(t, "FMDDTH FMddth FMMonth FMHH"), "10TH 10th February 5");
        assert_eq!(
            fmt(t, r#""HH24 is" HH24 \"quoted\""#),
            "HH24 is 17 \"1uote2\""
        );
        assert_eq!(fmt("0044-03-15 BC", "YYYY BC CC"), "0044 BC -01");
        assert_eq!(fmt(t, "TZ OF TZH:TZM"), " +00 +00:00");
        assert_eq!(fmt("2001-01-01", "DDDth Dth FMIWth"), "001st 2nd 1st");
    }

    #[test]
    fn timestamptz_zone_fields() {
        let la = TimeZone::named("America/Los_Angeles").expect("zone");
        let v = timestamptz_in(
            "2024-07-04 12:00:00+00",
            &DateStyle::default(),
            &la,
            TimestampTz(0),
        )
        .expect("tstz");
        let s = timestamptz_to_char(v, &la, "HH24 TZ tz OF TZH TZM")
            .expect("ok")
            .expect("not null");
        assert_eq!(s, "05 PDT pdt -07 -07 00");
    }

    #[test]
    fn interval_fields_and_errors() {
        let iv = Interval::new(15, 3, 26 * USECS_PER_HOUR + 5 * USECS_PER_MINUTE);
        let s = interval_to_char(&iv, "YYYY MM DD HH24 HH MI DDD")
            .expect("ok")
            .expect("not null");
        assert_eq!(s, "0001 03 03 26 02 05 453");
        let err = interval_to_char(&iv, "DAY").expect_err("calendar field");
        assert_eq!(err.code.code(), "22007");
    }
}
