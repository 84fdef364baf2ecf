//! PostgreSQL's date/time input parser: a tokenizer ([`parse_date_time`], PostgreSQL's
//! `ParseDateTime`) and decoders that give each field a meaning ([`decode_date_time`] for
//! dates and timestamps, [`decode_time_only`] for times; PostgreSQL's `DecodeDateTime` and
//! `DecodeTimeOnly`), following Appendix B "Date/Time Support" of the PostgreSQL docs.
//!
//! Tokenizing sorts the text into fields:
//!
//! ```text
//!   "Jan 8, 99 BC 04:05:06.789-08"
//!    ──┬ ─┬ ─┬ ─┬ ────────┬───────┬
//!   STRING NUMBER NUMBER STRING TIME TZ
//! ```
//!
//! Decoding then walks the fields left to right, keeping a bit mask of what has been seen
//! (year, month, day, hour, ...; a repeated kind is an error) and using the `DateStyle`
//! field order only where the text itself is ambiguous (`01/02/03`). Zone names are
//! resolved after the date is known, so their DST rules apply to that date.
//!
//! All offsets in this module are seconds east of UTC (PostgreSQL's internal sign is the
//! opposite).

use super::abbreviations::{lookup_abbreviation, Abbrev};
use super::timezone::TimeZone;
use super::{
    date2j, days_in_month, j2date, DateOrder, DateTimeError, Tm, MAX_TZDISP_HOUR,
    POSTGRES_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_SEC,
};

/// The most fields a date/time string may have (`MAXDATEFIELDS`).
pub const MAXDATEFIELDS: usize = 25;
/// The longest date/time string PostgreSQL reads into its work buffer (`MAXDATELEN`).
pub const MAXDATELEN: usize = 128;

/// What the tokenizer thinks a field is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FieldType {
    /// Digits, possibly with a decimal point (`DTK_NUMBER`).
    Number,
    /// Letters: a month, weekday, keyword or zone (`DTK_STRING`).
    String,
    /// A date with separators, or a zone name with punctuation (`DTK_DATE`).
    Date,
    /// Digits with colons (`DTK_TIME`).
    Time,
    /// A signed number: zone displacement (`DTK_TZ`).
    Tz,
    /// A signed word such as `-infinity` (`DTK_SPECIAL`).
    Special,
}

/// One field of date/time input: lower-cased text and its type.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Field {
    /// The field's text (letters lower-cased).
    pub text: String,
    /// The field's type.
    pub ftype: FieldType,
}

fn is_space(b: u8) -> bool {
    crate::adt::is_pg_space(b)
}

/// Tokenizes date/time input (`ParseDateTime`). `buffer_len` is the caller's work-buffer
/// size in PostgreSQL (`MAXDATELEN + 1` for date, `MAXDATELEN + MAXDATEFIELDS` for
/// timestamps and times): longer input is a syntax error, as there.
pub fn parse_date_time(s: &str, buffer_len: usize) -> Result<Vec<Field>, DateTimeError> {
    let b = s.as_bytes();
    let mut fields: Vec<Field> = Vec::new();
    let mut used = 0usize; // bytes of PostgreSQL's work buffer in use
    let mut i = 0;
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    while i < b.len() {
        if is_space(b[i]) {
            i += 1;
            continue;
        }
        let mut text = String::new();
        let mut push = |c: u8, text: &mut String| -> Result<(), DateTimeError> {
            if used + 1 >= buffer_len {
                return Err(DateTimeError::BadFormat);
            }
            used += 1;
            text.push(char::from(c.to_ascii_lowercase()));
            Ok(())
        };
        let ftype;
        let c = b[i];
        if c.is_ascii_digit() {
            while at(i).is_ascii_digit() {
                push(b[i], &mut text)?;
                i += 1;
            }
            if at(i) == b':' {
                ftype = FieldType::Time;
                push(b':', &mut text)?;
                i += 1;
                while at(i).is_ascii_digit() || at(i) == b':' || at(i) == b'.' {
                    push(b[i], &mut text)?;
                    i += 1;
                }
            } else if matches!(at(i), b'-' | b'/' | b'.') {
                let delim = b[i];
                push(delim, &mut text)?;
                i += 1;
                if at(i).is_ascii_digit() {
                    let mut t = if delim == b'.' {
                        FieldType::Number
                    } else {
                        FieldType::Date
                    };
                    while at(i).is_ascii_digit() {
                        push(b[i], &mut text)?;
                        i += 1;
                    }
                    if at(i) == delim {
                        t = FieldType::Date;
                        push(delim, &mut text)?;
                        i += 1;
                        while at(i).is_ascii_digit() || at(i) == delim {
                            push(b[i], &mut text)?;
                            i += 1;
                        }
                    }
                    ftype = t;
                } else {
                    ftype = FieldType::Date;
                    while at(i).is_ascii_alphanumeric() || at(i) == delim {
                        push(b[i], &mut text)?;
                        i += 1;
                    }
                }
            } else {
                ftype = FieldType::Number;
            }
        } else if c == b'.' {
            push(b'.', &mut text)?;
            i += 1;
            while at(i).is_ascii_digit() {
                push(b[i], &mut text)?;
                i += 1;
            }
            ftype = FieldType::Number;
        } else if c.is_ascii_alphabetic() {
            while at(i).is_ascii_alphabetic() {
                push(b[i], &mut text)?;
                i += 1;
            }
            // A date with embedded separators, or a zone name with punctuation; a digit or
            // '+' after a known keyword does not start a zone name.
            let next = at(i);
            let is_date = matches!(next, b'-' | b'/' | b'.')
                || ((next == b'+' || next.is_ascii_digit()) && lookup_keyword(&text).is_none());
            if is_date {
                loop {
                    push(b[i], &mut text)?;
                    i += 1;
                    let n = at(i);
                    if !(matches!(n, b'+' | b'-' | b'/' | b'_' | b'.' | b':')
                        || n.is_ascii_alphanumeric())
                    {
                        break;
                    }
                }
                ftype = FieldType::Date;
            } else {
                ftype = FieldType::String;
            }
        } else if c == b'+' || c == b'-' {
            push(c, &mut text)?;
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            if at(i).is_ascii_digit() {
                while at(i).is_ascii_digit() || matches!(at(i), b':' | b'.' | b'-') {
                    push(b[i], &mut text)?;
                    i += 1;
                }
                ftype = FieldType::Tz;
            } else if at(i).is_ascii_alphabetic() {
                while at(i).is_ascii_alphabetic() {
                    push(b[i], &mut text)?;
                    i += 1;
                }
                ftype = FieldType::Special;
            } else {
                return Err(DateTimeError::BadFormat);
            }
        } else if c.is_ascii_punctuation() {
            i += 1;
            continue;
        } else {
            return Err(DateTimeError::BadFormat);
        }
        used += 1; // the field's terminator
        fields.push(Field { text, ftype });
        if fields.len() >= MAXDATEFIELDS {
            return Err(DateTimeError::BadFormat);
        }
    }
    Ok(fields)
}

/// Field-kind bits (PostgreSQL's token types, used as `DTK_M(type)`).
pub(crate) mod mask {
    pub const RESERV: u32 = 1 << 0;
    pub const MONTH: u32 = 1 << 1;
    pub const YEAR: u32 = 1 << 2;
    pub const DAY: u32 = 1 << 3;
    pub const TZ: u32 = 1 << 5;
    pub const DTZ: u32 = 1 << 6;
    pub const HOUR: u32 = 1 << 10;
    pub const MINUTE: u32 = 1 << 11;
    pub const SECOND: u32 = 1 << 12;
    pub const MILLISECOND: u32 = 1 << 13;
    pub const MICROSECOND: u32 = 1 << 14;
    pub const DOY: u32 = 1 << 15;
    pub const DOW: u32 = 1 << 16;
    pub const ADBC: u32 = 1 << 18;
    pub const AMPM: u32 = 1 << 9;
    pub const DTZMOD: u32 = 1 << 28;
    pub const ALL_SECS: u32 = SECOND | MILLISECOND | MICROSECOND;
    pub const DATE: u32 = YEAR | MONTH | DAY;
    pub const TIME: u32 = HOUR | MINUTE | ALL_SECS;
}

/// Units named in input (`y2001m02d04`, `J2451187`, `T`), PostgreSQL's `DTK_*` unit codes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Unit {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Julian,
    Time,
    Dow,
    Doy,
    IsoDow,
    IsoYear,
}

/// Reserved words (`RESERV` tokens).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Reserved {
    Now,
    Today,
    Tomorrow,
    Yesterday,
    Epoch,
    Late,
    Early,
    Zulu,
}

/// A keyword's meaning (PostgreSQL's `datetktbl`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Keyword {
    Reserved(Reserved),
    Month(i32),
    Dow(i32),
    Ampm { pm: bool },
    AdBc { bc: bool },
    Units(Unit),
    IsoTime,
    Ignore,
    DstModifier,
}

/// The date/time keyword table, sorted by token.
static KEYWORDS: &[(&str, Keyword)] = &[
    ("-infinity", Keyword::Reserved(Reserved::Early)),
    ("ad", Keyword::AdBc { bc: false }),
    ("allballs", Keyword::Reserved(Reserved::Zulu)),
    ("am", Keyword::Ampm { pm: false }),
    ("apr", Keyword::Month(4)),
    ("april", Keyword::Month(4)),
    ("at", Keyword::Ignore),
    ("aug", Keyword::Month(8)),
    ("august", Keyword::Month(8)),
    ("bc", Keyword::AdBc { bc: true }),
    ("d", Keyword::Units(Unit::Day)),
    ("dec", Keyword::Month(12)),
    ("december", Keyword::Month(12)),
    ("dow", Keyword::Units(Unit::Dow)),
    ("doy", Keyword::Units(Unit::Doy)),
    ("dst", Keyword::DstModifier),
    ("epoch", Keyword::Reserved(Reserved::Epoch)),
    ("feb", Keyword::Month(2)),
    ("february", Keyword::Month(2)),
    ("fri", Keyword::Dow(5)),
    ("friday", Keyword::Dow(5)),
    ("h", Keyword::Units(Unit::Hour)),
    ("infinity", Keyword::Reserved(Reserved::Late)),
    ("isodow", Keyword::Units(Unit::IsoDow)),
    ("isoyear", Keyword::Units(Unit::IsoYear)),
    ("j", Keyword::Units(Unit::Julian)),
    ("jan", Keyword::Month(1)),
    ("january", Keyword::Month(1)),
    ("jd", Keyword::Units(Unit::Julian)),
    ("jul", Keyword::Month(7)),
    ("julian", Keyword::Units(Unit::Julian)),
    ("july", Keyword::Month(7)),
    ("jun", Keyword::Month(6)),
    ("june", Keyword::Month(6)),
    ("m", Keyword::Units(Unit::Month)),
    ("mar", Keyword::Month(3)),
    ("march", Keyword::Month(3)),
    ("may", Keyword::Month(5)),
    ("mm", Keyword::Units(Unit::Minute)),
    ("mon", Keyword::Dow(1)),
    ("monday", Keyword::Dow(1)),
    ("nov", Keyword::Month(11)),
    ("november", Keyword::Month(11)),
    ("now", Keyword::Reserved(Reserved::Now)),
    ("oct", Keyword::Month(10)),
    ("october", Keyword::Month(10)),
    ("on", Keyword::Ignore),
    ("pm", Keyword::Ampm { pm: true }),
    ("s", Keyword::Units(Unit::Second)),
    ("sat", Keyword::Dow(6)),
    ("saturday", Keyword::Dow(6)),
    ("sep", Keyword::Month(9)),
    ("sept", Keyword::Month(9)),
    ("september", Keyword::Month(9)),
    ("sun", Keyword::Dow(0)),
    ("sunday", Keyword::Dow(0)),
    ("t", Keyword::IsoTime),
    ("thu", Keyword::Dow(4)),
    ("thur", Keyword::Dow(4)),
    ("thurs", Keyword::Dow(4)),
    ("thursday", Keyword::Dow(4)),
    ("today", Keyword::Reserved(Reserved::Today)),
    ("tomorrow", Keyword::Reserved(Reserved::Tomorrow)),
    ("tue", Keyword::Dow(2)),
    ("tues", Keyword::Dow(2)),
    ("tuesday", Keyword::Dow(2)),
    ("wed", Keyword::Dow(3)),
    ("wednesday", Keyword::Dow(3)),
    ("weds", Keyword::Dow(3)),
    ("y", Keyword::Units(Unit::Year)),
    ("yesterday", Keyword::Reserved(Reserved::Yesterday)),
];

/// Looks a lower-case token up in the keyword table (compares at most 10 characters, as
/// PostgreSQL's `TOKMAXLEN`).
pub(crate) fn lookup_keyword(token: &str) -> Option<Keyword> {
    let key = &token[..token.len().min(10)];
    KEYWORDS
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| KEYWORDS[i].1)
}

/// C's `strtol` prefix parse as PostgreSQL's `strtoint` uses it: optional whitespace and
/// sign, digits. Returns the value (`None` on int overflow) and the rest of the text; when
/// no digits are found, the rest is the whole input and the value is 0.
pub(crate) fn strtoint(s: &str) -> (Option<i32>, &str) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let negative = match b.get(i) {
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
    let mut v: i64 = 0;
    let mut overflow = false;
    while i < b.len() && b[i].is_ascii_digit() {
        v = v * 10 + i64::from(b[i] - b'0');
        if v > i64::from(i32::MAX) + 1 {
            overflow = true;
            v = i64::from(i32::MAX) + 1;
        }
        i += 1;
    }
    if i == start {
        return (Some(0), s);
    }
    let v = if negative { -v } else { v };
    if overflow || v > i64::from(i32::MAX) || v < i64::from(i32::MIN) {
        return (None, &s[i..]);
    }
    (Some(v as i32), &s[i..])
}

/// `atoi` on a digit string (saturating instead of undefined on overflow).
fn atoi(s: &str) -> i32 {
    let (v, _) = strtoint(s);
    v.unwrap_or(if s.starts_with('-') {
        i32::MIN
    } else {
        i32::MAX
    })
}

/// C's `strtod` on a fraction `.ddd` (only digits follow the point in tokenized fields);
/// returns the value and the unparsed rest.
fn strtod_fraction(s: &str) -> (Option<f64>, &str) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'.' && !s[..i].contains('.'))) {
        i += 1;
    }
    let digits = &s[..i];
    if !digits.bytes().any(|c| c.is_ascii_digit()) {
        return (None, s);
    }
    (digits.parse::<f64>().ok(), &s[i..])
}

/// `ParseFractionalSecond`: `.ddd` with nothing after it, as microseconds.
fn parse_fractional_second(s: &str) -> Result<i32, DateTimeError> {
    parse_fraction(s).map(|frac| (frac * 1_000_000.0).round_ties_even() as i32)
}

/// `ParseFraction`: `.ddd` with nothing after it, as a fraction; a lone `.` is zero.
fn parse_fraction(s: &str) -> Result<f64, DateTimeError> {
    if s == "." {
        return Ok(0.0);
    }
    match strtod_fraction(s) {
        (Some(frac), "") => Ok(frac),
        _ => Err(DateTimeError::BadFormat),
    }
}

/// What a decoder found besides the broken-down time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DecodedKind {
    /// An ordinary date/time in the [`Tm`].
    Date,
    /// A time of day (time-only input).
    Time,
    /// `epoch`.
    Epoch,
    /// `infinity`.
    Late,
    /// `-infinity`.
    Early,
}

/// The result of decoding: kind, broken-down fields and the zone offset (seconds east),
/// which is the session zone's when the text names none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// What was found.
    pub kind: DecodedKind,
    /// Year, month, ... with `fsec` in microseconds.
    pub tm: Tm,
    /// Zone offset, seconds east of UTC.
    pub tz_east: i32,
}

/// Session state the decoders need: field order, session zone and the current time
/// (transaction start, microseconds since 2000-01-01 UTC) for `now`, `today`, ...
#[derive(Clone, Copy, Debug)]
pub struct DecodeContext<'a> {
    /// `DateStyle`'s field order.
    pub order: DateOrder,
    /// The session `TimeZone`.
    pub timezone: &'a TimeZone,
    /// Current transaction timestamp.
    pub now: i64,
}

impl DecodeContext<'_> {
    /// `GetCurrentTimeUsec`: the current time as local broken-down time and its offset.
    fn current_time(&self) -> (Tm, i32) {
        let info = self.timezone.utc_to_local(self.now);
        let local = self.now + i64::from(info.offset) * USECS_PER_SEC;
        (usecs_to_tm(local), info.offset)
    }

    /// `GetCurrentDateTime`: today's local date as a Julian day.
    fn current_julian(&self) -> i32 {
        let (tm, _) = self.current_time();
        date2j(tm.year, tm.mon, tm.mday)
    }
}

/// Splits local microseconds since 2000-01-01 into a [`Tm`] (`timestamp2tm` without zone).
pub fn usecs_to_tm(usecs: i64) -> Tm {
    let days = usecs.div_euclid(USECS_PER_DAY);
    let time = usecs.rem_euclid(USECS_PER_DAY);
    let (year, mon, mday) = j2date((days + i64::from(POSTGRES_EPOCH_JDATE)) as i32);
    let secs = time / USECS_PER_SEC;
    Tm {
        year,
        mon,
        mday,
        hour: (secs / 3600) as i32,
        min: (secs / 60 % 60) as i32,
        sec: (secs % 60) as i32,
        fsec: (time % USECS_PER_SEC) as i32,
        ..Tm::default()
    }
}

/// Local microseconds of a [`Tm`]'s date and time, saturating at the `i64` range (callers
/// range-check the result).
pub fn tm_to_local_usecs(tm: &Tm) -> i64 {
    let days = i128::from(date2j(tm.year, tm.mon, tm.mday)) - i128::from(POSTGRES_EPOCH_JDATE);
    let total = days * i128::from(USECS_PER_DAY)
        + i128::from(time_to_usecs(tm.hour, tm.min, tm.sec, tm.fsec));
    total.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Microseconds of a time of day.
pub fn time_to_usecs(hour: i32, min: i32, sec: i32, fsec: i32) -> i64 {
    ((i64::from(hour) * 60 + i64::from(min)) * 60 + i64::from(sec)) * USECS_PER_SEC
        + i64::from(fsec)
}

/// `time_overflows`: fields out of range, or past 24:00:00.
pub fn time_overflows(hour: i32, min: i32, sec: i32, fsec: i32) -> bool {
    if !(0..=24).contains(&hour)
        || !(0..60).contains(&min)
        || !(0..=60).contains(&sec)
        || !(0..=1_000_000).contains(&fsec)
    {
        return true;
    }
    time_to_usecs(hour, min, sec, fsec) > USECS_PER_DAY
}

/// `DecodeTimezone`: `+hh`, `-hh:mm[:ss]`, `+hhmm`; seconds east.
pub(crate) fn decode_timezone(s: &str) -> Result<i32, DateTimeError> {
    let sign = match s.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(DateTimeError::BadFormat),
    };
    let (hr, mut rest) = strtoint(&s[1..]);
    let mut hr = hr.ok_or(DateTimeError::TzDispOverflow)?;
    let mut min = 0;
    let mut sec = 0;
    if let Some(after) = rest.strip_prefix(':') {
        let (m, r) = strtoint(after);
        min = m.ok_or(DateTimeError::TzDispOverflow)?;
        rest = r;
        if let Some(after) = rest.strip_prefix(':') {
            let (sv, r) = strtoint(after);
            sec = sv.ok_or(DateTimeError::TzDispOverflow)?;
            rest = r;
        }
    } else if rest.is_empty() && s.len() > 3 {
        min = hr % 100;
        hr /= 100;
    }
    if !(0..=MAX_TZDISP_HOUR).contains(&hr) || !(0..60).contains(&min) || !(0..60).contains(&sec) {
        return Err(DateTimeError::TzDispOverflow);
    }
    if !rest.is_empty() {
        return Err(DateTimeError::BadFormat);
    }
    Ok(sign * ((hr * 60 + min) * 60 + sec))
}

/// Mutable decoding state shared by the date and number helpers.
struct DateState {
    tm: Tm,
    yday: i32,
    is2digits: bool,
}

/// `DecodeNumberField`: run-together `yyyymmdd`, `hhmmss[.fff]`, `hhmm`. Returns the mask
/// of fields set, and whether a date (vs time) was read.
fn decode_number_field(s: &str, fmask: u32, st: &mut DateState) -> Result<u32, DateTimeError> {
    let mut digits = s;
    if let Some(dot) = s.find('.') {
        let frac = strtod_fraction(&s[dot..])
            .0
            .ok_or(DateTimeError::BadFormat)?;
        st.tm.fsec = (frac * 1_000_000.0).round_ties_even() as i32;
        digits = &s[..dot];
    } else if fmask & mask::DATE != mask::DATE && digits.len() >= 6 {
        let len = digits.len();
        st.tm.mday = atoi(&digits[len - 2..]);
        st.tm.mon = atoi(&digits[len - 4..len - 2]);
        st.tm.year = atoi(&digits[..len - 4]);
        if len - 4 == 2 {
            st.is2digits = true;
        }
        return Ok(mask::DATE);
    }
    if fmask & mask::TIME != mask::TIME {
        if digits.len() == 6 {
            st.tm.sec = atoi(&digits[4..]);
            st.tm.min = atoi(&digits[2..4]);
            st.tm.hour = atoi(&digits[..2]);
            return Ok(mask::TIME);
        } else if digits.len() == 4 {
            st.tm.sec = 0;
            st.tm.min = atoi(&digits[2..]);
            st.tm.hour = atoi(&digits[..2]);
            return Ok(mask::TIME);
        }
    }
    Err(DateTimeError::BadFormat)
}

/// `DecodeNumber`: one numeric field, placed by what has been seen and the field order.
fn decode_number(
    s: &str,
    have_text_month: bool,
    fmask: u32,
    order: DateOrder,
    st: &mut DateState,
) -> Result<u32, DateTimeError> {
    let flen = s.len();
    let (val, rest) = strtoint(s);
    if rest.len() == s.len() {
        return Err(DateTimeError::BadFormat);
    }
    let val = val.ok_or(DateTimeError::FieldOverflow)?;
    if rest.starts_with('.') {
        if flen - rest.len() > 2 {
            return decode_number_field(s, fmask | mask::DATE, st);
        }
        st.tm.fsec = parse_fractional_second(rest)?;
    } else if !rest.is_empty() {
        return Err(DateTimeError::BadFormat);
    }
    if flen == 3 && fmask & mask::DATE == mask::YEAR && (1..=366).contains(&val) {
        st.yday = val;
        return Ok(mask::DOY | mask::MONTH | mask::DAY);
    }
    let tmask = match fmask & mask::DATE {
        0 => {
            if flen >= 3 || order == DateOrder::Ymd {
                st.tm.year = val;
                mask::YEAR
            } else if order == DateOrder::Dmy {
                st.tm.mday = val;
                mask::DAY
            } else {
                st.tm.mon = val;
                mask::MONTH
            }
        }
        mask::YEAR => {
            st.tm.mon = val;
            mask::MONTH
        }
        mask::MONTH => {
            if have_text_month && (flen >= 3 || order == DateOrder::Ymd) {
                st.tm.year = val;
                mask::YEAR
            } else {
                st.tm.mday = val;
                mask::DAY
            }
        }
        m if m == mask::YEAR | mask::MONTH => {
            if have_text_month && flen >= 3 && st.is2digits {
                st.tm.mday = st.tm.year;
                st.tm.year = val;
                st.is2digits = false;
            } else {
                st.tm.mday = val;
            }
            mask::DAY
        }
        mask::DAY => {
            st.tm.mon = val;
            mask::MONTH
        }
        m if m == mask::MONTH | mask::DAY => {
            st.tm.year = val;
            mask::YEAR
        }
        mask::DATE => return decode_number_field(s, fmask, st),
        _ => return Err(DateTimeError::BadFormat),
    };
    if tmask == mask::YEAR {
        st.is2digits = flen <= 2;
    }
    Ok(tmask)
}

/// `DecodeDate`: a date field with separators (`2024-01-08`, `8-jan-2024`, `1/8/2024`).
fn decode_date(
    s: &str,
    fmask: u32,
    order: DateOrder,
    st: &mut DateState,
) -> Result<u32, DateTimeError> {
    // Split into runs of digits or letters; each run swallows one following character.
    let b = s.as_bytes();
    let mut parts: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < b.len() && parts.len() < MAXDATEFIELDS {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return Err(DateTimeError::BadFormat);
        }
        let start = i;
        if b[i].is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
        }
        parts.push(&s[start..i]);
        if i < b.len() {
            i += 1;
        }
    }
    // PostgreSQL checks against the caller's mask too: a date after a time is an error.
    let mut fmask_local = fmask;
    let mut tmask = 0u32;
    let mut have_text_month = false;
    let mut done = vec![false; parts.len()];
    for (k, part) in parts.iter().enumerate() {
        if part.as_bytes()[0].is_ascii_alphabetic() {
            let dmask = match lookup_keyword(part) {
                Some(Keyword::Ignore) => continue,
                Some(Keyword::Month(m)) => {
                    st.tm.mon = m;
                    have_text_month = true;
                    mask::MONTH
                }
                _ => return Err(DateTimeError::BadFormat),
            };
            if fmask_local & dmask != 0 {
                return Err(DateTimeError::BadFormat);
            }
            fmask_local |= dmask;
            tmask |= dmask;
            done[k] = true;
        }
    }
    for (k, part) in parts.iter().enumerate() {
        if done[k] {
            continue;
        }
        if part.is_empty() {
            return Err(DateTimeError::BadFormat);
        }
        let dmask = decode_number(part, have_text_month, fmask_local, order, st)?;
        if fmask_local & dmask != 0 {
            return Err(DateTimeError::BadFormat);
        }
        fmask_local |= dmask;
        tmask |= dmask;
    }
    if fmask_local & !(mask::DOY | mask::TZ) != mask::DATE {
        return Err(DateTimeError::BadFormat);
    }
    Ok(tmask)
}

/// `DecodeTime`: `hh:mm[:ss[.fff]]` (or `mm:ss.fff`). Returns the fields in the state.
fn decode_time(s: &str, st: &mut DateState) -> Result<u32, DateTimeError> {
    let (hour, rest) = strtoint(s);
    let hour = hour.ok_or(DateTimeError::FieldOverflow)?;
    let Some(rest) = rest.strip_prefix(':') else {
        return Err(DateTimeError::BadFormat);
    };
    let (min, rest) = strtoint(rest);
    let min = min.ok_or(DateTimeError::FieldOverflow)?;
    let (mut h, mut m, mut sec, mut fsec) = (hour, min, 0, 0);
    if rest.is_empty() {
    } else if rest.starts_with('.') {
        fsec = parse_fractional_second(rest)?;
        sec = min;
        m = hour;
        h = 0;
    } else if let Some(rest) = rest.strip_prefix(':') {
        let (s_val, rest) = strtoint(rest);
        sec = s_val.ok_or(DateTimeError::FieldOverflow)?;
        if rest.starts_with('.') {
            fsec = parse_fractional_second(rest)?;
        } else if !rest.is_empty() {
            return Err(DateTimeError::BadFormat);
        }
    } else {
        return Err(DateTimeError::BadFormat);
    }
    if h < 0
        || !(0..60).contains(&m)
        || !(0..=60).contains(&sec)
        || !(0..=1_000_000).contains(&fsec)
    {
        return Err(DateTimeError::FieldOverflow);
    }
    st.tm.hour = h;
    st.tm.min = m;
    st.tm.sec = sec;
    st.tm.fsec = fsec;
    Ok(mask::TIME)
}

/// `ValidateDate`: year numbering (BC, two-digit years), day-of-year, month/day ranges.
fn validate_date(
    fmask: u32,
    is_julian: bool,
    bc: bool,
    st: &mut DateState,
) -> Result<(), DateTimeError> {
    let tm = &mut st.tm;
    if fmask & mask::YEAR != 0 {
        if is_julian {
        } else if bc {
            if tm.year <= 0 {
                return Err(DateTimeError::FieldOverflow);
            }
            tm.year = -(tm.year - 1);
        } else if st.is2digits {
            if tm.year < 0 {
                return Err(DateTimeError::FieldOverflow);
            }
            if tm.year < 70 {
                tm.year += 2000;
            } else if tm.year < 100 {
                tm.year += 1900;
            }
        } else if tm.year <= 0 {
            return Err(DateTimeError::FieldOverflow);
        }
    }
    if fmask & mask::DOY != 0 {
        let (y, m, d) = j2date(date2j(tm.year, 1, 1) + st.yday - 1);
        tm.year = y;
        tm.mon = m;
        tm.mday = d;
    }
    if fmask & mask::MONTH != 0 && !(1..=12).contains(&tm.mon) {
        return Err(DateTimeError::MdFieldOverflow);
    }
    if fmask & mask::DAY != 0 && !(1..=31).contains(&tm.mday) {
        return Err(DateTimeError::MdFieldOverflow);
    }
    if fmask & mask::DATE == mask::DATE && tm.mday > days_in_month(tm.year, tm.mon) {
        return Err(DateTimeError::FieldOverflow);
    }
    Ok(())
}

/// A zone token's meaning after the abbreviation table and keywords are consulted.
enum Token {
    Abbrev(Abbrev),
    Keyword(Keyword),
    Unknown,
}

fn classify(text: &str) -> Token {
    if let Some(a) = lookup_abbreviation(text) {
        return Token::Abbrev(a);
    }
    match lookup_keyword(text) {
        Some(k) => Token::Keyword(k),
        None => Token::Unknown,
    }
}

fn named_zone(name: &str) -> Result<TimeZone, DateTimeError> {
    TimeZone::named(name).ok_or_else(|| DateTimeError::UnknownTimeZone(name.to_string()))
}

/// Applies AM/PM to the hour.
fn apply_meridian(meridian: Option<bool>, tm: &mut Tm) -> Result<(), DateTimeError> {
    if let Some(pm) = meridian {
        if tm.hour > 12 {
            return Err(DateTimeError::FieldOverflow);
        }
        if !pm && tm.hour == 12 {
            tm.hour = 0;
        } else if pm && tm.hour != 12 {
            tm.hour += 12;
        }
    }
    Ok(())
}

/// Shared state of the two decoders.
struct Decoder<'c, 'z> {
    ctx: &'c DecodeContext<'z>,
    st: DateState,
    fmask: u32,
    prefix: Option<Unit>,
    have_text_month: bool,
    is_julian: bool,
    bc: bool,
    meridian: Option<bool>,
    named_tz: Option<TimeZone>,
    abbrev_tz: Option<(TimeZone, String)>,
    tz_east: i32,
    kind: DecodedKind,
}

impl<'c, 'z> Decoder<'c, 'z> {
    fn new(ctx: &'c DecodeContext<'z>, kind: DecodedKind) -> Self {
        Decoder {
            ctx,
            st: DateState {
                tm: Tm::default(),
                yday: 0,
                is2digits: false,
            },
            fmask: 0,
            prefix: None,
            have_text_month: false,
            is_julian: false,
            bc: false,
            meridian: None,
            named_tz: None,
            abbrev_tz: None,
            tz_east: 0,
            kind,
        }
    }

    /// A number after a unit label (`y2001`, `J2451187`, `T040506`).
    fn prefixed_number(&mut self, unit: Unit, text: &str) -> Result<u32, DateTimeError> {
        let (val, rest) = strtoint(text);
        let val = val.ok_or(DateTimeError::FieldOverflow)?;
        if rest.starts_with('.') {
            if !matches!(unit, Unit::Julian | Unit::Time | Unit::Second) {
                return Err(DateTimeError::BadFormat);
            }
        } else if !rest.is_empty() {
            return Err(DateTimeError::BadFormat);
        }
        let tm = &mut self.st.tm;
        let tmask = match unit {
            Unit::Year => {
                tm.year = val;
                mask::YEAR
            }
            Unit::Month => {
                if self.fmask & mask::MONTH != 0 && self.fmask & mask::HOUR != 0 {
                    tm.min = val;
                    mask::MINUTE
                } else {
                    tm.mon = val;
                    mask::MONTH
                }
            }
            Unit::Day => {
                tm.mday = val;
                mask::DAY
            }
            Unit::Hour => {
                tm.hour = val;
                mask::HOUR
            }
            Unit::Minute => {
                tm.min = val;
                mask::MINUTE
            }
            Unit::Second => {
                tm.sec = val;
                if rest.starts_with('.') {
                    tm.fsec = parse_fractional_second(rest)?;
                    mask::ALL_SECS
                } else {
                    mask::SECOND
                }
            }
            Unit::Julian => {
                if val < 0 {
                    return Err(DateTimeError::FieldOverflow);
                }
                let (y, m, d) = j2date(val);
                tm.year = y;
                tm.mon = m;
                tm.mday = d;
                self.is_julian = true;
                let mut tmask = mask::DATE;
                if rest.starts_with('.') {
                    let frac = parse_fraction(rest)?;
                    let usecs = (frac * USECS_PER_DAY as f64) as i64;
                    let secs = usecs / USECS_PER_SEC;
                    tm.hour = (secs / 3600) as i32;
                    tm.min = (secs / 60 % 60) as i32;
                    tm.sec = (secs % 60) as i32;
                    tm.fsec = (usecs % USECS_PER_SEC) as i32;
                    tmask |= mask::TIME;
                }
                tmask
            }
            Unit::Time => {
                let tmask = decode_number_field(text, self.fmask | mask::DATE, &mut self.st)?;
                if tmask != mask::TIME {
                    return Err(DateTimeError::BadFormat);
                }
                tmask
            }
            _ => return Err(DateTimeError::BadFormat),
        };
        self.prefix = None;
        Ok(tmask)
    }

    /// A letters field (or signed word): abbreviation, keyword or zone name.
    fn word(
        &mut self,
        fields: &[Field],
        i: usize,
        time_only: bool,
    ) -> Result<Option<u32>, DateTimeError> {
        let text = fields[i].text.as_str();
        let tm = &mut self.st.tm;
        let tmask = match classify(text) {
            Token::Abbrev(Abbrev::Fixed { offset, dst }) => {
                self.tz_east = offset;
                tm.isdst = Some(dst);
                if dst {
                    mask::DTZ | mask::TZ
                } else {
                    mask::TZ
                }
            }
            Token::Abbrev(Abbrev::Dynamic(zone)) => {
                let tz = TimeZone::named(zone).ok_or(DateTimeError::BadFormat)?;
                self.abbrev_tz = Some((tz, text.to_string()));
                mask::TZ | (1 << 7)
            }
            Token::Keyword(Keyword::Ignore) => return Ok(None),
            Token::Keyword(Keyword::Reserved(r)) => {
                if time_only {
                    match r {
                        Reserved::Now => {
                            let (now, _) = self.ctx.current_time();
                            tm.hour = now.hour;
                            tm.min = now.min;
                            tm.sec = now.sec;
                            tm.fsec = now.fsec;
                            self.kind = DecodedKind::Time;
                            mask::TIME
                        }
                        Reserved::Zulu => {
                            tm.hour = 0;
                            tm.min = 0;
                            tm.sec = 0;
                            tm.isdst = Some(false);
                            self.kind = DecodedKind::Time;
                            mask::TIME | mask::TZ
                        }
                        _ => return Err(DateTimeError::BadFormat),
                    }
                } else {
                    self.kind = DecodedKind::Date;
                    match r {
                        Reserved::Now => {
                            let (now, offset) = self.ctx.current_time();
                            *tm = now;
                            self.tz_east = offset;
                            mask::DATE | mask::TIME | mask::TZ
                        }
                        Reserved::Today | Reserved::Tomorrow | Reserved::Yesterday => {
                            let delta = match r {
                                Reserved::Tomorrow => 1,
                                Reserved::Yesterday => -1,
                                _ => 0,
                            };
                            let (y, m, d) = j2date(self.ctx.current_julian() + delta);
                            tm.year = y;
                            tm.mon = m;
                            tm.mday = d;
                            mask::DATE
                        }
                        Reserved::Zulu => {
                            tm.hour = 0;
                            tm.min = 0;
                            tm.sec = 0;
                            self.tz_east = 0;
                            mask::TIME | mask::TZ
                        }
                        Reserved::Epoch | Reserved::Late | Reserved::Early => {
                            // Other fields may accompany these and are ignored.
                            self.kind = match r {
                                Reserved::Epoch => DecodedKind::Epoch,
                                Reserved::Late => DecodedKind::Late,
                                _ => DecodedKind::Early,
                            };
                            mask::RESERV
                        }
                    }
                }
            }
            Token::Keyword(Keyword::Month(m)) => {
                if time_only {
                    return Err(DateTimeError::BadFormat);
                }
                let mut tmask = mask::MONTH;
                if self.fmask & mask::MONTH != 0
                    && !self.have_text_month
                    && self.fmask & mask::DAY == 0
                    && (1..=31).contains(&tm.mon)
                {
                    tm.mday = tm.mon;
                    tmask = mask::DAY;
                }
                self.have_text_month = true;
                tm.mon = m;
                tmask
            }
            Token::Keyword(Keyword::DstModifier) => {
                tm.isdst = Some(true);
                self.tz_east += 3600;
                mask::DTZMOD | mask::DTZ
            }
            Token::Keyword(Keyword::Ampm { pm }) => {
                self.meridian = Some(pm);
                mask::AMPM
            }
            Token::Keyword(Keyword::AdBc { bc }) => {
                self.bc = bc;
                mask::ADBC
            }
            Token::Keyword(Keyword::Dow(d)) => {
                if time_only {
                    return Err(DateTimeError::BadFormat);
                }
                tm.wday = d;
                mask::DOW
            }
            Token::Keyword(Keyword::Units(u)) => {
                if self.prefix.is_some() {
                    return Err(DateTimeError::BadFormat);
                }
                self.prefix = Some(u);
                0
            }
            Token::Keyword(Keyword::IsoTime) => {
                if !time_only {
                    if self.fmask & mask::DATE != mask::DATE {
                        return Err(DateTimeError::BadFormat);
                    }
                    match fields.get(i + 1).map(|f| f.ftype) {
                        Some(FieldType::Number | FieldType::Time | FieldType::Date) => {}
                        _ => return Err(DateTimeError::BadFormat),
                    }
                } else if self.prefix.is_some() {
                    return Err(DateTimeError::BadFormat);
                }
                self.prefix = Some(Unit::Time);
                0
            }
            Token::Unknown => {
                let tz = TimeZone::named(text).ok_or(DateTimeError::BadFormat)?;
                self.named_tz = Some(tz);
                mask::TZ
            }
        };
        Ok(Some(tmask))
    }

    fn add_mask(&mut self, tmask: u32) -> Result<(), DateTimeError> {
        if tmask & self.fmask != 0 {
            return Err(DateTimeError::BadFormat);
        }
        self.fmask |= tmask;
        Ok(())
    }
}

/// `DecodeDateTime`: fields of a date or timestamp. Without a zone in the text, the session
/// zone's offset for that local time is returned.
pub fn decode_date_time(
    fields: &[Field],
    ctx: &DecodeContext<'_>,
) -> Result<Decoded, DateTimeError> {
    let mut d = Decoder::new(ctx, DecodedKind::Date);
    for i in 0..fields.len() {
        let f = &fields[i];
        let tmask = match f.ftype {
            FieldType::Date => {
                if d.prefix == Some(Unit::Julian) {
                    let (val, rest) = strtoint(&f.text);
                    let val = val
                        .filter(|v| *v >= 0)
                        .ok_or(DateTimeError::FieldOverflow)?;
                    let (y, m, dd) = j2date(val);
                    d.st.tm.year = y;
                    d.st.tm.mon = m;
                    d.st.tm.mday = dd;
                    d.is_julian = true;
                    d.tz_east = decode_timezone(rest)?;
                    d.prefix = None;
                    mask::DATE | mask::TIME | mask::TZ
                } else if d.prefix.is_some()
                    || d.fmask & (mask::MONTH | mask::DAY) == mask::MONTH | mask::DAY
                {
                    if f.text.as_bytes()[0].is_ascii_digit() || d.prefix.is_some() {
                        if d.fmask & mask::TIME == mask::TIME {
                            return Err(DateTimeError::BadFormat);
                        }
                        let dash = f.text.find('-').ok_or(DateTimeError::BadFormat)?;
                        d.tz_east = decode_timezone(&f.text[dash..])?;
                        let tmask = decode_number_field(&f.text[..dash], d.fmask, &mut d.st)?;
                        tmask | mask::TZ
                    } else {
                        d.named_tz = Some(named_zone(&f.text)?);
                        mask::TZ
                    }
                } else {
                    decode_date(&f.text, d.fmask, ctx.order, &mut d.st)?
                }
            }
            FieldType::Time => {
                if let Some(p) = d.prefix {
                    if p != Unit::Time {
                        return Err(DateTimeError::BadFormat);
                    }
                    d.prefix = None;
                }
                let tmask = decode_time(&f.text, &mut d.st)?;
                let tm = &d.st.tm;
                if time_overflows(tm.hour, tm.min, tm.sec, tm.fsec) {
                    return Err(DateTimeError::FieldOverflow);
                }
                tmask
            }
            FieldType::Tz => {
                d.tz_east = decode_timezone(&f.text)?;
                mask::TZ
            }
            FieldType::Number => {
                if let Some(unit) = d.prefix {
                    if unit == Unit::Julian || unit == Unit::Time || unit == Unit::Second {
                        // handled inside
                    }
                    let tmask = d.prefixed_number(unit, &f.text)?;
                    d.kind = DecodedKind::Date;
                    tmask
                } else {
                    let flen = f.text.len();
                    let dot = f.text.find('.');
                    if dot.is_some() && d.fmask & mask::DATE == 0 {
                        decode_date(&f.text, d.fmask, ctx.order, &mut d.st)?
                    } else if dot.is_some_and(|p| p > 2)
                        || (flen >= 6 && (d.fmask & mask::DATE == 0 || d.fmask & mask::TIME == 0))
                    {
                        decode_number_field(&f.text, d.fmask, &mut d.st)?
                    } else {
                        decode_number(&f.text, d.have_text_month, d.fmask, ctx.order, &mut d.st)?
                    }
                }
            }
            FieldType::String | FieldType::Special => match d.word(fields, i, false)? {
                Some(m) => m,
                None => continue,
            },
        };
        d.add_mask(tmask)?;
    }
    if d.kind == DecodedKind::Date {
        validate_date(d.fmask, d.is_julian, d.bc, &mut d.st)?;
        apply_meridian(d.meridian, &mut d.st.tm)?;
        if d.fmask & mask::DATE != mask::DATE {
            return Err(DateTimeError::BadFormat);
        }
        let local = tm_to_local_usecs(&d.st.tm);
        if let Some(tz) = &d.named_tz {
            if d.fmask & mask::DTZMOD != 0 {
                return Err(DateTimeError::BadFormat);
            }
            let (offset, dst) = tz.local_offset(local);
            d.tz_east = offset;
            d.st.tm.isdst = Some(dst);
        }
        if let Some((tz, abbrev)) = &d.abbrev_tz {
            if d.fmask & mask::DTZMOD != 0 {
                return Err(DateTimeError::BadFormat);
            }
            let (offset, dst) = tz.abbreviation_offset(local, abbrev);
            d.tz_east = offset;
            d.st.tm.isdst = Some(dst);
        }
        if d.fmask & mask::TZ == 0 {
            if d.fmask & mask::DTZMOD != 0 {
                return Err(DateTimeError::BadFormat);
            }
            let (offset, dst) = ctx.timezone.local_offset(local);
            d.tz_east = offset;
            d.st.tm.isdst = Some(dst);
        }
    }
    Ok(Decoded {
        kind: d.kind,
        tm: d.st.tm,
        tz_east: d.tz_east,
    })
}

/// `DecodeTimeOnly`: fields of a `time` or `time with time zone`. Without a zone in the
/// text, the session zone's offset on the given date (or today) is returned.
pub fn decode_time_only(
    fields: &[Field],
    ctx: &DecodeContext<'_>,
) -> Result<Decoded, DateTimeError> {
    let mut d = Decoder::new(ctx, DecodedKind::Time);
    let nf = fields.len();
    for i in 0..nf {
        let f = &fields[i];
        let tmask = match f.ftype {
            FieldType::Date => {
                if i == 0
                    && nf >= 2
                    && (fields[nf - 1].ftype == FieldType::Date
                        || fields[1].ftype == FieldType::Time)
                {
                    decode_date(&f.text, d.fmask, ctx.order, &mut d.st)?
                } else if f.text.as_bytes()[0].is_ascii_digit() {
                    if d.fmask & mask::TIME == mask::TIME {
                        return Err(DateTimeError::BadFormat);
                    }
                    let dash = f.text.find('-').ok_or(DateTimeError::BadFormat)?;
                    d.tz_east = decode_timezone(&f.text[dash..])?;
                    let tmask =
                        decode_number_field(&f.text[..dash], d.fmask | mask::DATE, &mut d.st)?;
                    tmask | mask::TZ
                } else {
                    d.named_tz = Some(named_zone(&f.text)?);
                    mask::TZ
                }
            }
            FieldType::Time => decode_time(&f.text, &mut d.st)?,
            FieldType::Tz => {
                d.tz_east = decode_timezone(&f.text)?;
                mask::TZ
            }
            FieldType::Number => {
                if let Some(unit) = d.prefix {
                    let tmask = d.prefixed_number(unit, &f.text)?;
                    d.kind = DecodedKind::Date;
                    tmask
                } else {
                    let flen = f.text.len();
                    if let Some(dot) = f.text.find('.') {
                        if i == 0 && nf >= 2 && fields[nf - 1].ftype == FieldType::Date {
                            decode_date(&f.text, d.fmask, ctx.order, &mut d.st)?
                        } else if dot > 2 {
                            decode_number_field(&f.text, d.fmask | mask::DATE, &mut d.st)?
                        } else {
                            return Err(DateTimeError::BadFormat);
                        }
                    } else if flen > 4 {
                        decode_number_field(&f.text, d.fmask | mask::DATE, &mut d.st)?
                    } else {
                        decode_number(&f.text, false, d.fmask | mask::DATE, ctx.order, &mut d.st)?
                    }
                }
            }
            FieldType::String | FieldType::Special => match d.word(fields, i, true)? {
                Some(m) => m,
                None => continue,
            },
        };
        d.add_mask(tmask)?;
    }
    validate_date(d.fmask, d.is_julian, d.bc, &mut d.st)?;
    apply_meridian(d.meridian, &mut d.st.tm)?;
    let tm = &d.st.tm;
    if time_overflows(tm.hour, tm.min, tm.sec, tm.fsec) {
        return Err(DateTimeError::FieldOverflow);
    }
    if d.fmask & mask::TIME != mask::TIME {
        return Err(DateTimeError::BadFormat);
    }
    // The date that zone rules are applied on: the one given, or today.
    let local_on = |d: &Decoder<'_, '_>| -> Result<i64, DateTimeError> {
        let tm = &d.st.tm;
        let julian = if d.fmask & mask::DATE == 0 {
            ctx.current_julian()
        } else if d.fmask & mask::DATE != mask::DATE {
            return Err(DateTimeError::BadFormat);
        } else {
            date2j(tm.year, tm.mon, tm.mday)
        };
        Ok(i64::from(julian - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY
            + time_to_usecs(tm.hour, tm.min, tm.sec, 0))
    };
    if let Some(tz) = d.named_tz.clone() {
        if d.fmask & mask::DTZMOD != 0 {
            return Err(DateTimeError::BadFormat);
        }
        d.tz_east = match tz.constant_offset() {
            Some(offset) => offset,
            None => {
                if d.fmask & mask::DATE != mask::DATE {
                    return Err(DateTimeError::BadFormat);
                }
                tz.local_offset(tm_to_local_usecs(&d.st.tm)).0
            }
        };
    }
    if let Some((tz, abbrev)) = d.abbrev_tz.clone() {
        if d.fmask & mask::DTZMOD != 0 {
            return Err(DateTimeError::BadFormat);
        }
        let (offset, dst) = tz.abbreviation_offset(local_on(&d)?, &abbrev);
        d.tz_east = offset;
        d.st.tm.isdst = Some(dst);
    }
    if d.fmask & mask::TZ == 0 {
        if d.fmask & mask::DTZMOD != 0 {
            return Err(DateTimeError::BadFormat);
        }
        let (offset, dst) = ctx.timezone.local_offset(local_on(&d)?);
        d.tz_east = offset;
        d.st.tm.isdst = Some(dst);
    }
    Ok(Decoded {
        kind: d.kind,
        tm: d.st.tm,
        tz_east: d.tz_east,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(s: &str) -> Vec<(String, FieldType)> {
        parse_date_time(s, MAXDATELEN + MAXDATEFIELDS)
            .unwrap()
            .into_iter()
            .map(|f| (f.text, f.ftype))
            .collect()
    }

    #[test]
    fn tokenizer_sorts_fields() {
        use FieldType::*;
        assert_eq!(
            types("Jan 8, 99 BC 04:05:06.789-08"),
            vec![
                ("jan".into(), String),
                ("8".into(), Number),
                ("99".into(), Number),
                ("bc".into(), String),
                ("04:05:06.789".into(), Time),
                ("-08".into(), Tz),
            ]
        );
        assert_eq!(types("2024-01-08")[0], ("2024-01-08".into(), Date));
        assert_eq!(
            types("America/New_York")[0],
            ("america/new_york".into(), Date)
        );
        assert_eq!(
            types("J2451187"),
            vec![("j".into(), String), ("2451187".into(), Number)]
        );
        assert_eq!(types("-infinity")[0], ("-infinity".into(), Special));
        assert_eq!(types("12.5")[0].1, Number);
        assert_eq!(types("1.2.3")[0].1, Date);
        assert!(parse_date_time("2024-01-08 #", 200).is_ok());
        assert!(parse_date_time(&"1".repeat(200), MAXDATELEN + 1).is_err());
    }

    #[test]
    fn timezone_displacements() {
        assert_eq!(decode_timezone("+05:30"), Ok(19800));
        assert_eq!(decode_timezone("-0800"), Ok(-28800));
        assert_eq!(decode_timezone("+5"), Ok(18000));
        assert_eq!(decode_timezone("+16"), Err(DateTimeError::TzDispOverflow));
        assert_eq!(decode_timezone("+05:3x"), Err(DateTimeError::BadFormat));
    }
}
