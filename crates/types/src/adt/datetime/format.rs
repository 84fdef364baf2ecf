//! Date/time output per `DateStyle` and `IntervalStyle` (PostgreSQL's `EncodeDateOnly`,
//! `EncodeDateTime`, `EncodeTimeOnly`, `EncodeInterval`; docs §8.5.2 and §8.5.5).
//!
//! ```text
//!   DateStyle   date         timestamp with time zone
//!   ISO         2024-01-08   2024-01-08 04:05:06.789-08
//!   SQL         01/08/2024   01/08/2024 04:05:06.789 PST
//!   Postgres    01-08-2024   Mon Jan 08 04:05:06.789 2024 PST
//!   German      08.01.2024   08.01.2024 04:05:06.789 PST
//! ```
//!
//! Years ≤ 0 print as `n BC`; fractional seconds print without trailing zeros.

use super::{date2j, j2day, DateOrder, DateStyle, DateStyleFormat, IntervalStyle, Tm};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// The year as printed: astronomical year ≤ 0 is `1 - year` BC.
fn display_year(year: i32) -> i64 {
    if year > 0 {
        i64::from(year)
    } else {
        -(i64::from(year) - 1)
    }
}

/// Appends seconds (two digits unless `fill` is false) and a fraction without trailing
/// zeros (`AppendSeconds`); signs are the caller's business.
pub fn append_seconds(out: &mut String, sec: i64, fsec: i64, fill: bool) {
    if fill {
        out.push_str(&format!("{:02}", sec.abs()));
    } else {
        out.push_str(&sec.abs().to_string());
    }
    if fsec != 0 {
        let frac = format!("{:06}", fsec.abs());
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
}

/// `EncodeTimezone`: `+hh`, `+hh:mm` or `+hh:mm:ss` for an offset east of UTC.
pub fn encode_timezone(out: &mut String, tz_east: i32) {
    let abs = tz_east.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    out.push(if tz_east >= 0 { '+' } else { '-' });
    if s != 0 {
        out.push_str(&format!("{h:02}:{m:02}:{s:02}"));
    } else if m != 0 {
        out.push_str(&format!("{h:02}:{m:02}"));
    } else {
        out.push_str(&format!("{h:02}"));
    }
}

/// `EncodeDateOnly`: a date in the given style.
pub fn encode_date_only(tm: &Tm, style: &DateStyle) -> String {
    let year = display_year(tm.year);
    let mut out = match style.style {
        DateStyleFormat::Iso => format!("{year:04}-{:02}-{:02}", tm.mon, tm.mday),
        DateStyleFormat::Sql => {
            if style.order == DateOrder::Dmy {
                format!("{:02}/{:02}/{year:04}", tm.mday, tm.mon)
            } else {
                format!("{:02}/{:02}/{year:04}", tm.mon, tm.mday)
            }
        }
        DateStyleFormat::German => format!("{:02}.{:02}.{year:04}", tm.mday, tm.mon),
        DateStyleFormat::Postgres => {
            if style.order == DateOrder::Dmy {
                format!("{:02}-{:02}-{year:04}", tm.mday, tm.mon)
            } else {
                format!("{:02}-{:02}-{year:04}", tm.mon, tm.mday)
            }
        }
    };
    if tm.year <= 0 {
        out.push_str(" BC");
    }
    out
}

/// `EncodeTimeOnly`: `hh:mm:ss[.ffffff]`, plus the offset when `tz_east` is given.
pub fn encode_time_only(tm: &Tm, tz_east: Option<i32>) -> String {
    let mut out = format!("{:02}:{:02}:", tm.hour, tm.min);
    append_seconds(&mut out, i64::from(tm.sec), i64::from(tm.fsec), true);
    if let Some(tz) = tz_east {
        encode_timezone(&mut out, tz);
    }
    out
}

/// `EncodeDateTime`: a timestamp in the given style. With `tz` (offset east and optional
/// abbreviation) the zone is printed: numerically in ISO style, by abbreviation in the
/// others when one is known.
pub fn encode_date_time(tm: &Tm, tz: Option<(i32, Option<&str>)>, style: &DateStyle) -> String {
    let year = display_year(tm.year);
    let mut out = String::with_capacity(40);
    let time = |out: &mut String| {
        out.push_str(&format!("{:02}:{:02}:", tm.hour, tm.min));
        append_seconds(out, i64::from(tm.sec), i64::from(tm.fsec), true);
    };
    let named_zone = |out: &mut String, leading_space_numeric: bool| {
        if let Some((offset, abbrev)) = tz {
            match abbrev {
                Some(a) => {
                    out.push(' ');
                    out.push_str(a);
                }
                None => {
                    if leading_space_numeric {
                        out.push(' ');
                    }
                    encode_timezone(out, offset);
                }
            }
        }
    };
    match style.style {
        DateStyleFormat::Iso => {
            out.push_str(&format!("{year:04}-{:02}-{:02} ", tm.mon, tm.mday));
            time(&mut out);
            if let Some((offset, _)) = tz {
                encode_timezone(&mut out, offset);
            }
        }
        DateStyleFormat::Sql => {
            if style.order == DateOrder::Dmy {
                out.push_str(&format!("{:02}/{:02}", tm.mday, tm.mon));
            } else {
                out.push_str(&format!("{:02}/{:02}", tm.mon, tm.mday));
            }
            out.push_str(&format!("/{year:04} "));
            time(&mut out);
            named_zone(&mut out, false);
        }
        DateStyleFormat::German => {
            out.push_str(&format!("{:02}.{:02}.{year:04} ", tm.mday, tm.mon));
            time(&mut out);
            named_zone(&mut out, false);
        }
        DateStyleFormat::Postgres => {
            let wday = j2day(date2j(tm.year, tm.mon, tm.mday));
            out.push_str(DAYS[wday as usize]);
            out.push(' ');
            let month = MONTHS[(tm.mon - 1) as usize];
            if style.order == DateOrder::Dmy {
                out.push_str(&format!("{:02} {month}", tm.mday));
            } else {
                out.push_str(&format!("{month} {:02}", tm.mday));
            }
            out.push(' ');
            time(&mut out);
            out.push_str(&format!(" {year:04}"));
            named_zone(&mut out, true);
        }
    }
    if tm.year <= 0 {
        out.push_str(" BC");
    }
    out
}

/// Interval fields as `interval2itm` splits them: years, months, days, hours (may exceed
/// 24), minutes, seconds, microseconds; each carries the sign of its source part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntervalFields {
    /// Whole years of the month part.
    pub year: i64,
    /// Remaining months.
    pub mon: i64,
    /// Days.
    pub mday: i64,
    /// Hours of the time part.
    pub hour: i64,
    /// Minutes.
    pub min: i64,
    /// Seconds.
    pub sec: i64,
    /// Microseconds.
    pub usec: i64,
}

impl IntervalFields {
    /// Splits months, days and microseconds (truncating division, as C does).
    pub fn from_parts(months: i32, days: i32, micros: i64) -> IntervalFields {
        let hour = micros / 3_600_000_000;
        let rest = micros - hour * 3_600_000_000;
        let min = rest / 60_000_000;
        let rest = rest - min * 60_000_000;
        let sec = rest / 1_000_000;
        IntervalFields {
            year: i64::from(months / 12),
            mon: i64::from(months % 12),
            mday: i64::from(days),
            hour,
            min,
            sec,
            usec: rest - sec * 1_000_000,
        }
    }
}

/// `EncodeInterval`: an interval in the given style.
pub fn encode_interval(f: IntervalFields, style: IntervalStyle) -> String {
    let IntervalFields {
        year,
        mon,
        mday,
        hour,
        min,
        sec,
        usec,
    } = f;
    let mut out = String::new();
    let mut is_zero = true;
    let mut is_before = false;
    match style {
        IntervalStyle::SqlStandard => {
            let has_negative =
                year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || usec < 0;
            let has_positive =
                year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || usec > 0;
            let has_year_month = year != 0 || mon != 0;
            let has_day_time = mday != 0 || hour != 0 || min != 0 || sec != 0 || usec != 0;
            let has_day = mday != 0;
            let standard = !(has_negative && has_positive || has_year_month && has_day_time);
            let (mut year, mut mon, mut mday, mut hour, mut min, mut sec, mut usec) =
                (year, mon, mday, hour, min, sec, usec);
            if has_negative && standard {
                out.push('-');
                year = -year;
                mon = -mon;
                mday = -mday;
                hour = -hour;
                min = -min;
                sec = -sec;
                usec = -usec;
            }
            if !has_negative && !has_positive {
                out.push('0');
            } else if !standard {
                let year_sign = if year < 0 || mon < 0 { '-' } else { '+' };
                let day_sign = if mday < 0 { '-' } else { '+' };
                let sec_sign = if hour < 0 || min < 0 || sec < 0 || usec < 0 {
                    '-'
                } else {
                    '+'
                };
                out.push_str(&format!(
                    "{year_sign}{}-{} {day_sign}{} {sec_sign}{}:{:02}:",
                    year.abs(),
                    mon.abs(),
                    mday.abs(),
                    hour.abs(),
                    min.abs()
                ));
                append_seconds(&mut out, sec, usec, true);
            } else if has_year_month {
                out.push_str(&format!("{year}-{mon}"));
            } else if has_day {
                out.push_str(&format!("{mday} {hour}:{min:02}:"));
                append_seconds(&mut out, sec, usec, true);
            } else {
                out.push_str(&format!("{hour}:{min:02}:"));
                append_seconds(&mut out, sec, usec, true);
            }
        }
        IntervalStyle::Iso8601 => {
            if year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && usec == 0
            {
                return "PT0S".to_string();
            }
            out.push('P');
            let part = |out: &mut String, v: i64, unit: char| {
                if v != 0 {
                    out.push_str(&format!("{v}{unit}"));
                }
            };
            part(&mut out, year, 'Y');
            part(&mut out, mon, 'M');
            part(&mut out, mday, 'D');
            if hour != 0 || min != 0 || sec != 0 || usec != 0 {
                out.push('T');
            }
            part(&mut out, hour, 'H');
            part(&mut out, min, 'M');
            if sec != 0 || usec != 0 {
                if sec < 0 || usec < 0 {
                    out.push('-');
                }
                append_seconds(&mut out, sec, usec, false);
                out.push('S');
            }
        }
        IntervalStyle::Postgres => {
            let mut part = |out: &mut String, v: i64, unit: &str| {
                if v == 0 {
                    return;
                }
                out.push_str(&format!(
                    "{}{}{v} {unit}{}",
                    if is_zero { "" } else { " " },
                    if is_before && v > 0 { "+" } else { "" },
                    if v != 1 { "s" } else { "" }
                ));
                is_before = v < 0;
                is_zero = false;
            };
            part(&mut out, year, "year");
            part(&mut out, mon, "mon");
            part(&mut out, mday, "day");
            if is_zero || hour != 0 || min != 0 || sec != 0 || usec != 0 {
                let minus = hour < 0 || min < 0 || sec < 0 || usec < 0;
                out.push_str(&format!(
                    "{}{}{:02}:{:02}:",
                    if is_zero { "" } else { " " },
                    if minus {
                        "-"
                    } else if is_before {
                        "+"
                    } else {
                        ""
                    },
                    hour.abs(),
                    min.abs()
                ));
                append_seconds(&mut out, sec, usec, true);
            }
        }
        IntervalStyle::PostgresVerbose => {
            out.push('@');
            let mut part = |out: &mut String, v: i64, unit: &str| {
                if v == 0 {
                    return;
                }
                let mut v = v;
                if is_zero {
                    is_before = v < 0;
                    v = v.abs();
                } else if is_before {
                    v = -v;
                }
                out.push_str(&format!(" {v} {unit}{}", if v == 1 { "" } else { "s" }));
                is_zero = false;
            };
            part(&mut out, year, "year");
            part(&mut out, mon, "mon");
            part(&mut out, mday, "day");
            part(&mut out, hour, "hour");
            part(&mut out, min, "min");
            if sec != 0 || usec != 0 {
                out.push(' ');
                if sec < 0 || (sec == 0 && usec < 0) {
                    if is_zero {
                        is_before = true;
                    } else if !is_before {
                        out.push('-');
                    }
                } else if is_before {
                    out.push('-');
                }
                append_seconds(&mut out, sec, usec, false);
                out.push_str(if sec.abs() != 1 || usec != 0 {
                    " secs"
                } else {
                    " sec"
                });
                is_zero = false;
            }
            if is_zero {
                out.push_str(" 0");
            }
            if is_before {
                out.push_str(" ago");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tm(year: i32, mon: i32, mday: i32, hour: i32, min: i32, sec: i32, fsec: i32) -> Tm {
        Tm {
            year,
            mon,
            mday,
            hour,
            min,
            sec,
            fsec,
            ..Tm::default()
        }
    }

    fn style(s: DateStyleFormat, order: DateOrder) -> DateStyle {
        DateStyle { style: s, order }
    }

    #[test]
    fn timestamps_in_each_style() {
        let t = tm(2024, 1, 8, 4, 5, 6, 789_000);
        let tz = Some((-28800, Some("PST")));
        let mdy = DateOrder::Mdy;
        assert_eq!(
            encode_date_time(&t, tz, &style(DateStyleFormat::Iso, mdy)),
            "2024-01-08 04:05:06.789-08"
        );
        assert_eq!(
            encode_date_time(&t, tz, &style(DateStyleFormat::Sql, mdy)),
            "01/08/2024 04:05:06.789 PST"
        );
        assert_eq!(
            encode_date_time(&t, tz, &style(DateStyleFormat::Postgres, mdy)),
            "Mon Jan 08 04:05:06.789 2024 PST"
        );
        assert_eq!(
            encode_date_time(&t, tz, &style(DateStyleFormat::German, mdy)),
            "08.01.2024 04:05:06.789 PST"
        );
        assert_eq!(
            encode_date_time(&t, None, &style(DateStyleFormat::Postgres, DateOrder::Dmy)),
            "Mon 08 Jan 04:05:06.789 2024"
        );
        let bc = tm(-98, 1, 8, 0, 0, 0, 0);
        assert_eq!(
            encode_date_time(&bc, Some((19800, None)), &style(DateStyleFormat::Iso, mdy)),
            "0099-01-08 00:00:00+05:30 BC"
        );
        assert_eq!(
            encode_date_only(&bc, &style(DateStyleFormat::Iso, mdy)),
            "0099-01-08 BC"
        );
    }

    #[test]
    fn intervals_in_each_style() {
        let f = IntervalFields::from_parts(14, 3, 4 * 3_600_000_000 + 5 * 60_000_000 + 6_000_000);
        assert_eq!(
            encode_interval(f, IntervalStyle::Postgres),
            "1 year 2 mons 3 days 04:05:06"
        );
        assert_eq!(
            encode_interval(f, IntervalStyle::PostgresVerbose),
            "@ 1 year 2 mons 3 days 4 hours 5 mins 6 secs"
        );
        assert_eq!(
            encode_interval(f, IntervalStyle::SqlStandard),
            "+1-2 +3 +4:05:06"
        );
        assert_eq!(encode_interval(f, IntervalStyle::Iso8601), "P1Y2M3DT4H5M6S");
        let zero = IntervalFields::from_parts(0, 0, 0);
        assert_eq!(encode_interval(zero, IntervalStyle::Postgres), "00:00:00");
        assert_eq!(encode_interval(zero, IntervalStyle::PostgresVerbose), "@ 0");
        assert_eq!(encode_interval(zero, IntervalStyle::SqlStandard), "0");
        assert_eq!(encode_interval(zero, IntervalStyle::Iso8601), "PT0S");
        let neg = IntervalFields::from_parts(-1, -2, -1_500_000);
        assert_eq!(
            encode_interval(neg, IntervalStyle::Postgres),
            "-1 mons -2 days -00:00:01.5"
        );
        assert_eq!(
            encode_interval(neg, IntervalStyle::PostgresVerbose),
            "@ 1 mon 2 days 1.5 secs ago"
        );
    }
}
