//! `interval` input: PostgreSQL's `DecodeInterval` (units words, `hh:mm:ss`, SQL `y-m`,
//! `ago`) with `DecodeISO8601Interval` (`P1Y2M3DT4H5M6S`, `P0001-02-03T04:05:06`) as the
//! fallback, per PostgreSQL docs §8.5.4.
//!
//! Fields are read right to left so that a unit word applies to the number before it; a
//! bare number takes the unit of the field to its right (seconds at the end, days before
//! a time). Fractions cascade down: `1.5 months` is 1 month 15 days, `1.5 days` is 1 day 12
//! hours. In `sql_standard` style a leading `-` applies to every field when no other field
//! carries a sign.

use crate::Result;

use super::interval::{interval_out_of_range, Interval};
use super::parse::{parse_date_time, strtoint, Field, FieldType};
use super::{DateTimeError, IntervalStyle, DAYS_PER_MONTH, USECS_PER_DAY, USECS_PER_SEC};

const USECS_PER_HOUR: i64 = 3_600_000_000;
const USECS_PER_MINUTE: i64 = 60_000_000;

/// Interval units (PostgreSQL's `DTK_*` delta codes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Unit {
    Microsecond,
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
    TimeZone,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Unit(Unit),
    Ago,
    Ignore,
}

/// PostgreSQL's `deltatktbl`, keys cut to 10 characters (`TOKMAXLEN`), sorted.
static UNITS: &[(&str, Word)] = &[
    ("@", Word::Ignore),
    ("ago", Word::Ago),
    ("c", Word::Unit(Unit::Century)),
    ("cent", Word::Unit(Unit::Century)),
    ("centuries", Word::Unit(Unit::Century)),
    ("century", Word::Unit(Unit::Century)),
    ("d", Word::Unit(Unit::Day)),
    ("day", Word::Unit(Unit::Day)),
    ("days", Word::Unit(Unit::Day)),
    ("dec", Word::Unit(Unit::Decade)),
    ("decade", Word::Unit(Unit::Decade)),
    ("decades", Word::Unit(Unit::Decade)),
    ("decs", Word::Unit(Unit::Decade)),
    ("h", Word::Unit(Unit::Hour)),
    ("hour", Word::Unit(Unit::Hour)),
    ("hours", Word::Unit(Unit::Hour)),
    ("hr", Word::Unit(Unit::Hour)),
    ("hrs", Word::Unit(Unit::Hour)),
    ("m", Word::Unit(Unit::Minute)),
    ("microsecon", Word::Unit(Unit::Microsecond)),
    ("mil", Word::Unit(Unit::Millennium)),
    ("millennia", Word::Unit(Unit::Millennium)),
    ("millennium", Word::Unit(Unit::Millennium)),
    ("millisecon", Word::Unit(Unit::Millisecond)),
    ("mils", Word::Unit(Unit::Millennium)),
    ("min", Word::Unit(Unit::Minute)),
    ("mins", Word::Unit(Unit::Minute)),
    ("minute", Word::Unit(Unit::Minute)),
    ("minutes", Word::Unit(Unit::Minute)),
    ("mon", Word::Unit(Unit::Month)),
    ("mons", Word::Unit(Unit::Month)),
    ("month", Word::Unit(Unit::Month)),
    ("months", Word::Unit(Unit::Month)),
    ("ms", Word::Unit(Unit::Millisecond)),
    ("msec", Word::Unit(Unit::Millisecond)),
    ("msecond", Word::Unit(Unit::Millisecond)),
    ("mseconds", Word::Unit(Unit::Millisecond)),
    ("msecs", Word::Unit(Unit::Millisecond)),
    ("qtr", Word::Unit(Unit::Quarter)),
    ("quarter", Word::Unit(Unit::Quarter)),
    ("s", Word::Unit(Unit::Second)),
    ("sec", Word::Unit(Unit::Second)),
    ("second", Word::Unit(Unit::Second)),
    ("seconds", Word::Unit(Unit::Second)),
    ("secs", Word::Unit(Unit::Second)),
    ("timezone", Word::Unit(Unit::TimeZone)),
    ("timezone_h", Word::Unit(Unit::TimeZone)),
    ("timezone_m", Word::Unit(Unit::TimeZone)),
    ("us", Word::Unit(Unit::Microsecond)),
    ("usec", Word::Unit(Unit::Microsecond)),
    ("usecond", Word::Unit(Unit::Microsecond)),
    ("useconds", Word::Unit(Unit::Microsecond)),
    ("usecs", Word::Unit(Unit::Microsecond)),
    ("w", Word::Unit(Unit::Week)),
    ("week", Word::Unit(Unit::Week)),
    ("weeks", Word::Unit(Unit::Week)),
    ("y", Word::Unit(Unit::Year)),
    ("year", Word::Unit(Unit::Year)),
    ("years", Word::Unit(Unit::Year)),
    ("yr", Word::Unit(Unit::Year)),
    ("yrs", Word::Unit(Unit::Year)),
];

fn lookup_unit(token: &str) -> Option<Word> {
    let key = &token[..token.len().min(10)];
    UNITS
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| UNITS[i].1)
}

/// Interval fields being accumulated (`pg_itm_in`).
#[derive(Default)]
struct ItmIn {
    usec: i64,
    mday: i32,
    mon: i32,
    year: i32,
}

type Step = std::result::Result<(), DateTimeError>;

impl ItmIn {
    fn fract_micros(&mut self, frac: f64, scale: i64) -> Step {
        if frac == 0.0 {
            return Ok(());
        }
        let frac = frac * scale as f64;
        let mut usec = frac as i64;
        let rest = frac - usec as f64;
        if rest > 0.5 {
            usec += 1;
        } else if rest < -0.5 {
            usec -= 1;
        }
        self.usec = self
            .usec
            .checked_add(usec)
            .ok_or(DateTimeError::FieldOverflow)?;
        Ok(())
    }

    fn fract_days(&mut self, frac: f64, scale: i32) -> Step {
        if frac == 0.0 {
            return Ok(());
        }
        let frac = frac * f64::from(scale);
        let extra_days = frac as i32;
        self.mday = self
            .mday
            .checked_add(extra_days)
            .ok_or(DateTimeError::FieldOverflow)?;
        self.fract_micros(frac - f64::from(extra_days), USECS_PER_DAY)
    }

    fn fract_years(&mut self, frac: f64, scale: i32) -> Step {
        let extra_months = (frac * f64::from(scale) * 12.0).round_ties_even() as i32;
        self.mon = self
            .mon
            .checked_add(extra_months)
            .ok_or(DateTimeError::FieldOverflow)?;
        Ok(())
    }

    fn micros(&mut self, val: i64, fval: f64, scale: i64) -> Step {
        let v = val.checked_mul(scale).ok_or(DateTimeError::FieldOverflow)?;
        self.usec = self
            .usec
            .checked_add(v)
            .ok_or(DateTimeError::FieldOverflow)?;
        self.fract_micros(fval, scale)
    }

    fn days(&mut self, val: i64, scale: i32) -> Step {
        let v = i32::try_from(val).map_err(|_| DateTimeError::FieldOverflow)?;
        let d = v.checked_mul(scale).ok_or(DateTimeError::FieldOverflow)?;
        self.mday = self
            .mday
            .checked_add(d)
            .ok_or(DateTimeError::FieldOverflow)?;
        Ok(())
    }

    fn months(&mut self, val: i64) -> Step {
        let v = i32::try_from(val).map_err(|_| DateTimeError::FieldOverflow)?;
        self.mon = self
            .mon
            .checked_add(v)
            .ok_or(DateTimeError::FieldOverflow)?;
        Ok(())
    }

    fn years(&mut self, val: i64, scale: i32) -> Step {
        let v = i32::try_from(val).map_err(|_| DateTimeError::FieldOverflow)?;
        let y = v.checked_mul(scale).ok_or(DateTimeError::FieldOverflow)?;
        self.year = self
            .year
            .checked_add(y)
            .ok_or(DateTimeError::FieldOverflow)?;
        Ok(())
    }
}

/// `strtoi64`-style prefix parse: sign and digits; `None` on overflow.
fn strtoi64(s: &str) -> (Option<i64>, &str) {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut v: i128 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = (v * 10 + i128::from(b[i] - b'0')).min(i128::from(u64::MAX));
        i += 1;
    }
    if i == start {
        return (Some(0), s);
    }
    let v = if negative { -v } else { v };
    (i64::try_from(v).ok(), &s[i..])
}

/// `.ddd` with nothing after it.
fn parse_fraction(s: &str) -> std::result::Result<f64, DateTimeError> {
    let digits = &s[1..];
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(DateTimeError::BadFormat);
    }
    if digits.is_empty() {
        return Ok(0.0);
    }
    format!("0.{digits}")
        .parse::<f64>()
        .map_err(|_| DateTimeError::BadFormat)
}

/// `DecodeTimeForInterval`: `[-]hh:mm[:ss[.fff]]` or `mm:ss.fff` as microseconds; with a
/// `MINUTE TO SECOND` range, `a:b` is minutes and seconds.
fn decode_time_for_interval(s: &str, range: i32) -> std::result::Result<i64, DateTimeError> {
    let (hour, rest) = strtoi64(s);
    let hour = hour.ok_or(DateTimeError::FieldOverflow)?;
    let rest = rest.strip_prefix(':').ok_or(DateTimeError::BadFormat)?;
    let (min, rest) = strtoint(rest);
    let min = i64::from(min.ok_or(DateTimeError::FieldOverflow)?);
    let (mut h, mut m, mut sec, mut fsec) = (hour, min, 0i64, 0i64);
    if rest.is_empty() {
        if range == range::MINUTE | range::SECOND {
            sec = min;
            m = hour;
            h = 0;
        }
    } else if rest.starts_with('.') {
        fsec = (parse_fraction(rest)? * 1_000_000.0).round_ties_even() as i64;
        sec = min;
        m = hour;
        h = 0;
    } else if let Some(rest) = rest.strip_prefix(':') {
        let (sv, rest) = strtoint(rest);
        sec = i64::from(sv.ok_or(DateTimeError::FieldOverflow)?);
        if rest.starts_with('.') {
            fsec = (parse_fraction(rest)? * 1_000_000.0).round_ties_even() as i64;
        } else if !rest.is_empty() {
            return Err(DateTimeError::BadFormat);
        }
    } else {
        return Err(DateTimeError::BadFormat);
    }
    if h < 0
        || !(0..60).contains(&m)
        || !(0..=60).contains(&sec)
        || !(0..=USECS_PER_SEC).contains(&fsec)
    {
        return Err(DateTimeError::FieldOverflow);
    }
    h.checked_mul(USECS_PER_HOUR)
        .and_then(|v| v.checked_add(m * USECS_PER_MINUTE + sec * USECS_PER_SEC + fsec))
        .ok_or(DateTimeError::FieldOverflow)
}

/// `DecodeInterval` over tokenized fields.
fn decode_interval(
    fields: &[Field],
    style: IntervalStyle,
    range: i32,
) -> std::result::Result<ItmIn, DateTimeError> {
    let mut itm = ItmIn::default();
    let nf = fields.len();
    let mut force_negative = false;
    if style == IntervalStyle::SqlStandard && nf > 0 && fields[0].text.starts_with('-') {
        force_negative = !fields[1..]
            .iter()
            .any(|f| f.text.starts_with('-') || f.text.starts_with('+'));
    }
    let mut unit: Option<Unit> = None;
    let mut is_before = false;
    let mut fmask = 0u32;
    for f in fields.iter().rev() {
        let mut tmask = 0u32;
        let mut numeric = false;
        match f.ftype {
            FieldType::Time => {
                itm.usec = decode_time_for_interval(&f.text, range)?;
                if force_negative && itm.usec > 0 {
                    itm.usec = -itm.usec;
                }
                tmask = 1 << 10 | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 14;
                unit = Some(Unit::Day);
            }
            FieldType::Tz
                if f.text[1..].contains(':')
                    && decode_time_for_interval(&f.text[1..], range).is_ok() =>
            {
                let mut usec = decode_time_for_interval(&f.text[1..], range)?;
                if f.text.starts_with('-') {
                    usec = -usec;
                }
                if force_negative && usec > 0 {
                    usec = -usec;
                }
                itm.usec = usec;
                tmask = 1 << 10 | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 14;
                unit = Some(Unit::Day);
            }
            FieldType::Tz | FieldType::Date | FieldType::Number => numeric = true,
            FieldType::String | FieldType::Special => match lookup_unit(&f.text) {
                Some(Word::Ignore) => continue,
                Some(Word::Unit(u)) => unit = Some(u),
                Some(Word::Ago) => is_before = true,
                None => return Err(DateTimeError::BadFormat),
            },
        }
        if numeric {
            let u = *unit.get_or_insert_with(|| rightmost_unit(range));
            let (val, rest) = strtoi64(&f.text);
            let mut val = val.ok_or(DateTimeError::FieldOverflow)?;
            let mut fval;
            let mut u = u;
            if let Some(after) = rest.strip_prefix('-') {
                let (val2, rest2) = strtoint(after);
                let mut val2 = val2.ok_or(DateTimeError::FieldOverflow)?;
                if !(0..12).contains(&val2) {
                    return Err(DateTimeError::FieldOverflow);
                }
                if !rest2.is_empty() {
                    return Err(DateTimeError::BadFormat);
                }
                u = Unit::Month;
                unit = Some(Unit::Month);
                if f.text.starts_with('-') {
                    val2 = -val2;
                }
                val = val
                    .checked_mul(12)
                    .and_then(|v| v.checked_add(i64::from(val2)))
                    .ok_or(DateTimeError::FieldOverflow)?;
                fval = 0.0;
            } else if rest.starts_with('.') {
                fval = parse_fraction(rest)?;
                if f.text.starts_with('-') {
                    fval = -fval;
                }
            } else if rest.is_empty() {
                fval = 0.0;
            } else {
                return Err(DateTimeError::BadFormat);
            }
            if force_negative {
                if val > 0 {
                    val = -val;
                }
                if fval > 0.0 {
                    fval = -fval;
                }
            }
            tmask = match u {
                Unit::Microsecond => {
                    itm.micros(val, fval, 1)?;
                    1 << 14
                }
                Unit::Millisecond => {
                    itm.micros(val, fval, 1000)?;
                    1 << 13
                }
                Unit::Second => {
                    itm.micros(val, fval, USECS_PER_SEC)?;
                    if fval == 0.0 {
                        1 << 12
                    } else {
                        1 << 12 | 1 << 13 | 1 << 14
                    }
                }
                Unit::Minute => {
                    itm.micros(val, fval, USECS_PER_MINUTE)?;
                    1 << 11
                }
                Unit::Hour => {
                    itm.micros(val, fval, USECS_PER_HOUR)?;
                    unit = Some(Unit::Day);
                    1 << 10
                }
                Unit::Day => {
                    itm.days(val, 1)?;
                    itm.fract_micros(fval, USECS_PER_DAY)?;
                    1 << 3
                }
                Unit::Week => {
                    itm.days(val, 7)?;
                    itm.fract_days(fval, 7)?;
                    1 << 24
                }
                Unit::Month => {
                    itm.months(val)?;
                    itm.fract_days(fval, DAYS_PER_MONTH)?;
                    1 << 1
                }
                Unit::Year => {
                    itm.years(val, 1)?;
                    itm.fract_years(fval, 1)?;
                    1 << 2
                }
                Unit::Decade => {
                    itm.years(val, 10)?;
                    itm.fract_years(fval, 10)?;
                    1 << 25
                }
                Unit::Century => {
                    itm.years(val, 100)?;
                    itm.fract_years(fval, 100)?;
                    1 << 26
                }
                Unit::Millennium => {
                    itm.years(val, 1000)?;
                    itm.fract_years(fval, 1000)?;
                    1 << 27
                }
                Unit::Quarter | Unit::TimeZone => return Err(DateTimeError::BadFormat),
            };
        }
        if tmask & fmask != 0 {
            return Err(DateTimeError::BadFormat);
        }
        fmask |= tmask;
    }
    if fmask == 0 {
        return Err(DateTimeError::BadFormat);
    }
    if is_before {
        itm.usec = itm.usec.checked_neg().ok_or(DateTimeError::FieldOverflow)?;
        itm.mday = itm.mday.checked_neg().ok_or(DateTimeError::FieldOverflow)?;
        itm.mon = itm.mon.checked_neg().ok_or(DateTimeError::FieldOverflow)?;
        itm.year = itm.year.checked_neg().ok_or(DateTimeError::FieldOverflow)?;
    }
    Ok(itm)
}

/// `ParseISO8601Number`: a decimal number (sign, digits, point, exponent) split into an
/// integer part and a fraction of the same sign; magnitudes above 1e15 overflow.
fn parse_iso8601_number(s: &str) -> std::result::Result<(i64, f64, &str), DateTimeError> {
    let b = s.as_bytes();
    if !b
        .first()
        .is_some_and(|c| c.is_ascii_digit() || *c == b'-' || *c == b'.')
    {
        return Err(DateTimeError::BadFormat);
    }
    let mut i = usize::from(b[0] == b'-');
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return Err(DateTimeError::BadFormat);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let val: f64 = s[..i].parse().map_err(|_| DateTimeError::BadFormat)?;
    if val.is_nan() || !(-1.0e15..=1.0e15).contains(&val) {
        return Err(DateTimeError::FieldOverflow);
    }
    let ipart = val.trunc() as i64;
    Ok((ipart, val - ipart as f64, &s[i..]))
}

fn integer_width(s: &str) -> usize {
    let s = s.strip_prefix('-').unwrap_or(s);
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// `DecodeISO8601Interval`: `P[nY][nM][nW][nD][T[nH][nM][nS]]` and the alternative formats
/// `PYYYYMMDDTHHMMSS` / `PYYYY-MM-DDTHH:MM:SS`.
fn decode_iso8601_interval(s: &str) -> std::result::Result<ItmIn, DateTimeError> {
    let mut itm = ItmIn::default();
    if s.len() < 2 || !s.starts_with('P') {
        return Err(DateTimeError::BadFormat);
    }
    let mut rest = &s[1..];
    let mut datepart = true;
    let mut havefield = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('T') {
            datepart = false;
            havefield = false;
            rest = r;
            continue;
        }
        let fieldstart = rest;
        let (val, fval, r) = parse_iso8601_number(rest)?;
        let unit = r.bytes().next().unwrap_or(0);
        rest = if r.is_empty() { r } else { &r[1..] };
        if datepart {
            match unit {
                b'Y' => {
                    itm.years(val, 1)?;
                    itm.fract_years(fval, 1)?;
                }
                b'M' => {
                    itm.months(val)?;
                    itm.fract_days(fval, DAYS_PER_MONTH)?;
                }
                b'W' => {
                    itm.days(val, 7)?;
                    itm.fract_days(fval, 7)?;
                }
                b'D' => {
                    itm.days(val, 1)?;
                    itm.fract_micros(fval, USECS_PER_DAY)?;
                }
                b'T' | 0 | b'-' => {
                    if unit != b'-' && integer_width(fieldstart) == 8 && !havefield {
                        itm.years(val / 10000, 1)?;
                        itm.months((val / 100) % 100)?;
                        itm.days(val % 100, 1)?;
                        itm.fract_micros(fval, USECS_PER_DAY)?;
                        if unit == 0 {
                            return Ok(itm);
                        }
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    if havefield {
                        return Err(DateTimeError::BadFormat);
                    }
                    itm.years(val, 1)?;
                    itm.fract_years(fval, 1)?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    if unit == b'T' {
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    let (val, fval, r) = parse_iso8601_number(rest)?;
                    itm.months(val)?;
                    itm.fract_days(fval, DAYS_PER_MONTH)?;
                    rest = r;
                    if rest.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(r) = rest.strip_prefix('T') {
                        rest = r;
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    rest = rest.strip_prefix('-').ok_or(DateTimeError::BadFormat)?;
                    let (val, fval, r) = parse_iso8601_number(rest)?;
                    itm.days(val, 1)?;
                    itm.fract_micros(fval, USECS_PER_DAY)?;
                    rest = r;
                    if rest.is_empty() {
                        return Ok(itm);
                    }
                    if let Some(r) = rest.strip_prefix('T') {
                        rest = r;
                        datepart = false;
                        havefield = false;
                        continue;
                    }
                    return Err(DateTimeError::BadFormat);
                }
                _ => return Err(DateTimeError::BadFormat),
            }
        } else {
            match unit {
                b'H' => itm.micros(val, fval, USECS_PER_HOUR)?,
                b'M' => itm.micros(val, fval, USECS_PER_MINUTE)?,
                b'S' => itm.micros(val, fval, USECS_PER_SEC)?,
                0 | b':' => {
                    if unit == 0 && integer_width(fieldstart) == 6 && !havefield {
                        itm.micros(val / 10000, 0.0, USECS_PER_HOUR)?;
                        itm.micros((val / 100) % 100, 0.0, USECS_PER_MINUTE)?;
                        itm.micros(val % 100, 0.0, USECS_PER_SEC)?;
                        itm.fract_micros(fval, 1)?;
                        return Ok(itm);
                    }
                    if havefield {
                        return Err(DateTimeError::BadFormat);
                    }
                    itm.micros(val, fval, USECS_PER_HOUR)?;
                    if unit == 0 {
                        return Ok(itm);
                    }
                    let (val, fval, r) = parse_iso8601_number(rest)?;
                    itm.micros(val, fval, USECS_PER_MINUTE)?;
                    rest = r;
                    if rest.is_empty() {
                        return Ok(itm);
                    }
                    rest = rest.strip_prefix(':').ok_or(DateTimeError::BadFormat)?;
                    let (val, fval, r) = parse_iso8601_number(rest)?;
                    itm.micros(val, fval, USECS_PER_SEC)?;
                    if r.is_empty() {
                        return Ok(itm);
                    }
                    return Err(DateTimeError::BadFormat);
                }
                _ => return Err(DateTimeError::BadFormat),
            }
        }
        havefield = true;
    }
    Ok(itm)
}

/// `interval` input (`interval_in`): `1 year 2 mons 3 days 04:05:06`, `@ 1 day ago`,
/// `1-2 3 4:05:06` (SQL), `P1Y2M3DT4H5M6S` (ISO 8601), with the given `IntervalStyle`
/// deciding how a leading `-` in SQL-standard input applies.
///
/// Errors: 22007 `invalid input syntax for type interval: "…"`, 22015
/// `interval field value out of range: "…"`, 22008 `interval out of range`.
pub fn interval_in(s: &str, style: IntervalStyle) -> Result<Interval> {
    interval_in_typmod(s, style, -1)
}

/// Field bits of an interval type modifier's range (`INTERVAL_MASK`): `INTERVAL HOUR TO
/// MINUTE` is `HOUR | MINUTE`.
pub mod range {
    /// Months.
    pub const MONTH: i32 = 1 << 1;
    /// Years.
    pub const YEAR: i32 = 1 << 2;
    /// Days.
    pub const DAY: i32 = 1 << 3;
    /// Hours.
    pub const HOUR: i32 = 1 << 10;
    /// Minutes.
    pub const MINUTE: i32 = 1 << 11;
    /// Seconds.
    pub const SECOND: i32 = 1 << 12;
    /// All fields (no range given).
    pub const FULL: i32 = 0x7FFF;
}

/// "No precision given" in an interval type modifier.
pub const INTERVAL_FULL_PRECISION: i32 = 0xFFFF;

/// Builds an interval `atttypmod` (`INTERVAL_TYPMOD`) from a [`range`] mask and an optional
/// fractional-second precision (0..=6).
///
/// Errors: 22023 `interval(7) precision must be between 0 and 6`.
pub fn interval_typmod(range_mask: i32, precision: Option<i32>) -> Result<i32> {
    let precision = match precision {
        Some(p) if !(0..=6).contains(&p) => {
            return Err(crate::pg_err!(
                INVALID_PARAMETER_VALUE,
                "interval({}) precision must be between 0 and 6",
                p
            ))
        }
        Some(p) => p,
        None => INTERVAL_FULL_PRECISION,
    };
    Ok(((range_mask << 16) | precision) & 0x7FFF_FFFF)
}

/// The unit of a bare number at the right end of interval input, from the range.
fn rightmost_unit(range_mask: i32) -> Unit {
    use range::*;
    match range_mask {
        YEAR => Unit::Year,
        m if m == MONTH || m == YEAR | MONTH => Unit::Month,
        DAY => Unit::Day,
        m if m == HOUR || m == DAY | HOUR => Unit::Hour,
        m if m == MINUTE || m == HOUR | MINUTE || m == DAY | HOUR | MINUTE => Unit::Minute,
        _ => Unit::Second,
    }
}

/// `AdjustIntervalForTypmod`: zeroes fields right of the range's last field and rounds the
/// seconds to the precision (half away from zero). `typmod` -1 leaves the value alone.
///
/// Errors: 22023 `interval(7) precision must be between 0 and 6`.
pub fn adjust_interval_for_typmod(iv: Interval, typmod: i32) -> Result<Interval> {
    use range::*;
    if typmod < 0 {
        return Ok(iv);
    }
    let range_mask = (typmod >> 16) & 0x7FFF;
    let precision = typmod & 0xFFFF;
    let mut r = iv;
    let truncate = |v: i64, unit: i64| v / unit * unit;
    match range_mask {
        YEAR => {
            r.months = r.months / 12 * 12;
            r.days = 0;
            r.micros = 0;
        }
        m if m == MONTH || m == YEAR | MONTH => {
            r.days = 0;
            r.micros = 0;
        }
        DAY => r.micros = 0,
        m if m == HOUR || m == DAY | HOUR => r.micros = truncate(r.micros, USECS_PER_HOUR),
        m if m == MINUTE || m == DAY | HOUR | MINUTE || m == HOUR | MINUTE => {
            r.micros = truncate(r.micros, USECS_PER_MINUTE)
        }
        _ => {}
    }
    if precision != INTERVAL_FULL_PRECISION {
        if !(0..=6).contains(&precision) {
            return Err(crate::pg_err!(
                INVALID_PARAMETER_VALUE,
                "interval({}) precision must be between 0 and 6",
                precision
            ));
        }
        let scale = 10i64.pow((6 - precision) as u32);
        let offset = scale / 2;
        r.micros = if r.micros >= 0 {
            (r.micros + offset) / scale * scale
        } else {
            -((-r.micros + offset) / scale * scale)
        };
    }
    Ok(r)
}

/// `interval` input under a type modifier (`interval_in` with `typmod`, as for
/// `INTERVAL '1 2' DAY TO HOUR` or an `interval(2)` column): the range decides what a bare
/// number means, then [`adjust_interval_for_typmod`] applies. `typmod` -1 is plain input.
///
/// Errors: as [`interval_in`].
pub fn interval_in_typmod(s: &str, style: IntervalStyle, typmod: i32) -> Result<Interval> {
    let range_mask = if typmod >= 0 {
        (typmod >> 16) & 0x7FFF
    } else {
        range::FULL
    };
    let decoded =
        parse_date_time(s, 256).and_then(|fields| decode_interval(&fields, style, range_mask));
    let itm = match decoded {
        Err(DateTimeError::BadFormat) => decode_iso8601_interval(s),
        other => other,
    }
    .map_err(|e| {
        let e = if e == DateTimeError::FieldOverflow {
            DateTimeError::IntervalOverflow
        } else {
            e
        };
        e.into_error(s, "interval")
    })?;
    let months = i64::from(itm.year) * 12 + i64::from(itm.mon);
    let months = i32::try_from(months).map_err(|_| interval_out_of_range())?;
    adjust_interval_for_typmod(
        Interval {
            months,
            days: itm.mday,
            micros: itm.usec,
        },
        typmod,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::interval::interval_out;

    fn rt(s: &str) -> String {
        match interval_in(s, IntervalStyle::Postgres) {
            Ok(v) => interval_out(&v, IntervalStyle::Postgres),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    #[test]
    fn postgres_style_input() {
        assert_eq!(
            rt("1 year 2 mons 3 days 04:05:06"),
            "1 year 2 mons 3 days 04:05:06"
        );
        assert_eq!(rt("@ 1 day ago"), "-1 days");
        assert_eq!(rt("1.5 months"), "1 mon 15 days");
        assert_eq!(rt("1.5 days"), "1 day 12:00:00");
        assert_eq!(rt("2 weeks"), "14 days");
        assert_eq!(rt("1-2"), "1 year 2 mons");
        assert_eq!(rt("3 4:05:06"), "3 days 04:05:06");
        assert_eq!(rt("-1 +02:03"), "-1 days +02:03:00");
        assert_eq!(rt("10"), "00:00:10");
        assert_eq!(rt("1.5"), "00:00:01.5");
        assert_eq!(rt("100:00:00"), "100:00:00");
        assert_eq!(rt("1 century 2 decades"), "120 years");
        assert_eq!(rt("5 ms"), "00:00:00.005");
        assert_eq!(
            rt("x"),
            "ERR 22007 invalid input syntax for type interval: \"x\""
        );
        assert_eq!(
            rt("1 day 1 day"),
            "ERR 22007 invalid input syntax for type interval: \"1 day 1 day\""
        );
        assert_eq!(
            rt("2147483648 days"),
            "ERR 22015 interval field value out of range: \"2147483648 days\""
        );
    }

    #[test]
    fn typmod_ranges_and_precision() {
        let typed = |s: &str, r: i32, p: Option<i32>| {
            let t = interval_typmod(r, p).unwrap();
            interval_out(
                &interval_in_typmod(s, IntervalStyle::Postgres, t).unwrap(),
                IntervalStyle::Postgres,
            )
        };
        assert_eq!(
            typed("1 2", range::DAY | range::HOUR, None),
            "1 day 02:00:00"
        );
        assert_eq!(typed("12", range::YEAR, None), "12 years");
        assert_eq!(
            typed("1:30", range::MINUTE | range::SECOND, None),
            "00:01:30"
        );
        assert_eq!(
            typed("1 day 04:05:06.789", range::HOUR | range::MINUTE, None),
            "1 day 04:05:00"
        );
        assert_eq!(typed("1 year 13 mons 2 days", range::YEAR, None), "2 years");
        assert_eq!(typed("04:05:06.789", range::FULL, Some(1)), "04:05:06.8");
        assert_eq!(
            interval_typmod(range::FULL, Some(7)).unwrap_err().message,
            "interval(7) precision must be between 0 and 6"
        );
    }

    #[test]
    fn iso8601_and_sql_standard_input() {
        assert_eq!(rt("P1Y2M3DT4H5M6S"), "1 year 2 mons 3 days 04:05:06");
        assert_eq!(rt("PT1.5S"), "00:00:01.5");
        assert_eq!(rt("P1W"), "7 days");
        assert_eq!(rt("P0001-02-03T04:05:06"), "1 year 2 mons 3 days 04:05:06");
        assert_eq!(rt("P00010203T040506"), "1 year 2 mons 3 days 04:05:06");
        assert_eq!(rt("P1.5Y"), "1 year 6 mons");
        let sql = interval_in("-1 2:03:04", IntervalStyle::SqlStandard).unwrap();
        assert_eq!(
            interval_out(&sql, IntervalStyle::Postgres),
            "-1 days -02:03:04"
        );
        let pg = interval_in("-1 2:03:04", IntervalStyle::Postgres).unwrap();
        assert_eq!(
            interval_out(&pg, IntervalStyle::Postgres),
            "-1 days +02:03:04"
        );
    }
}
