//! `to_timestamp(text, text)` and `to_date(text, text)` (PostgreSQL docs §9.8): reading
//! date/time fields from text by a template.
//!
//! The walk over the template collects raw field values ([`FromCharFields`]); a field set
//! twice to different values is 22007 `conflicting values`. Outside `FX` mode, white space
//! before fields is skipped, a separator or space in the template matches one separator
//! or space of the input or nothing, and other template characters skip one input
//! character. Numeric fields take their nominal width unless `FM` is given or the next
//! template element is not a digit field, in which case they take as many digits as
//! there are. Parsing stops silently at the end of the input; what remains of the input
//! is ignored. The collected fields are then combined as PostgreSQL does (`CC` with `YY`,
//! `J`, ISO weeks, `DDD`, 12-hour clock) and range-checked.
//!
//! In strict mode (SQL/JSON `.datetime(template)`, [`parse_datetime`]) template separators
//! and quoted characters must match the input exactly, unquoted letters that are not
//! keywords are rejected, and the template must consume the whole input.
//!
//! Entry points: [`to_timestamp`], [`to_date`], [`parse_datetime`].

use super::datetime_template::{parse_datetime_template, DateTimeKeyword as K, TemplateNode};
use crate::adt::datetime::timestamp::adjust_timestamp_for_typmod;
use crate::adt::datetime::{
    date2j, days_in_month, is_valid_julian, j2date, j2day, Date, TimeZone, Timestamp, TimestampTz,
    Tm, POSTGRES_EPOCH_JDATE, USECS_PER_SEC,
};
use crate::{pg_err, Error, Result};

/// Which calendar a template's date fields use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Convention {
    Gregorian,
    IsoWeek,
}

fn convention(k: K) -> Option<Convention> {
    match k {
        K::DDD
        | K::DD
        | K::D
        | K::MM
        | K::MONTH
        | K::Month
        | K::MonthLower
        | K::MON
        | K::Mon
        | K::MonLower
        | K::RM
        | K::RMLower
        | K::WW
        | K::W
        | K::YCommaYYY
        | K::YYYY
        | K::YYY
        | K::YY
        | K::Y => Some(Convention::Gregorian),
        K::IDDD | K::ID | K::IW | K::IYYY | K::IYY | K::IY | K::I => Some(Convention::IsoWeek),
        _ => None,
    }
}

/// Raw field values read from the input (`TmFromChar`); zero means "not given".
#[derive(Clone, Debug, Default)]
struct FromCharFields {
    mode: Option<Convention>,
    hh: i32,
    pm: i32,
    mi: i32,
    ss: i32,
    ssss: i32,
    d: i32,
    dd: i32,
    ddd: i32,
    mm: i32,
    ms: i32,
    year: i32,
    bc: i32,
    ww: i32,
    w: i32,
    cc: i32,
    j: i32,
    us: i32,
    yysz: i32,
    twelve_hour: bool,
    tzsign: i32,
    tzh: i32,
    tzm: i32,
    ff: i32,
}

const AMPM: &[&str] = &["am", "pm", "AM", "PM"];
const AMPM_LONG: &[&str] = &["a.m.", "p.m.", "A.M.", "P.M."];
const ADBC: &[&str] = &["ad", "bc", "AD", "BC"];
const ADBC_LONG: &[&str] = &["a.d.", "b.c.", "A.D.", "B.C."];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_FULL: &[&str] = &[
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
const DAYS: &[&str] = &[
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const DAYS_SHORT: &[&str] = &["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/// Roman months from December down, so that longer numerals match first.
const RM_DESCENDING: &[&str] = &[
    "xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i",
];

fn invalid_format(message: String) -> Error {
    Error::new(crate::SqlState::INVALID_DATETIME_FORMAT, message)
}

/// Sets a field, failing if it already holds a different value (`from_char_set_int`).
fn set_field(dest: &mut i32, value: i32, name: &str) -> Result<()> {
    if *dest != 0 && *dest != value {
        return Err(invalid_format(format!(
            "conflicting values for \"{name}\" field in formatting string"
        ))
        .detail("This value contradicts a previous setting for the same field type."));
    }
    *dest = value;
    Ok(())
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// C's `strtol` over `s`: optional white space and sign, then digits. Returns the value
/// (saturated; `overflow` set beyond `i64`) and the bytes consumed (0 when no digits).
fn strtol(s: &[u8]) -> (i64, usize, bool) {
    let mut i = 0;
    while i < s.len() && crate::adt::is_pg_space(s[i]) {
        i += 1;
    }
    let negative = match s.get(i) {
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
    let mut value: i64 = 0;
    let mut overflow = false;
    while i < s.len() && s[i].is_ascii_digit() {
        let digit = i64::from(s[i] - b'0');
        match value.checked_mul(10).and_then(|v| {
            if negative {
                v.checked_sub(digit)
            } else {
                v.checked_add(digit)
            }
        }) {
            Some(v) => value = v,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return (0, 0, false);
    }
    (value, i, overflow)
}

/// The text of `s` up to the first white space, for error messages.
fn up_to_space(s: &[u8]) -> String {
    let end = s
        .iter()
        .position(|&b| crate::adt::is_pg_space(b))
        .unwrap_or(s.len());
    String::from_utf8_lossy(&s[..end]).into_owned()
}

/// The reading state: input, position and the template.
struct Reader<'a> {
    input: &'a [u8],
    at: usize,
    nodes: &'a [TemplateNode],
}

impl Reader<'_> {
    fn rest(&self) -> &[u8] {
        &self.input[self.at.min(self.input.len())..]
    }

    /// Whether the node after `index` cannot continue a number (`is_next_separator`).
    fn next_is_separator(&self, index: usize) -> bool {
        if let Some(TemplateNode::Keyword(_, m, _)) = self.nodes.get(index) {
            if m.ordinal.is_some() {
                return true;
            }
        }
        match self.nodes.get(index + 1) {
            None => true,
            Some(TemplateNode::Keyword(k, _, _)) => !k.is_digit(),
            Some(TemplateNode::Literal(c)) => !c.is_ascii_digit(),
            Some(_) => true,
        }
    }

    /// Reads an integer field of nominal width `len` (`from_char_parse_int_len`).
    /// Returns the value and how many bytes it took.
    fn parse_int(&mut self, index: usize, len: usize, name: &str) -> Result<(i32, usize)> {
        while self.rest().first() == Some(&b' ') {
            self.at += 1;
        }
        let init = self.at;
        let rest = self.rest();
        let copy_len = len.min(rest.len());
        let copy = String::from_utf8_lossy(&rest[..copy_len]).into_owned();
        let fill_mode =
            matches!(self.nodes.get(index), Some(TemplateNode::Keyword(_, m, _)) if m.fill_mode);
        let (value, overflow) = if fill_mode || self.next_is_separator(index) {
            let (value, used, overflow) = strtol(rest);
            self.at += used;
            (value, overflow)
        } else {
            if rest.len() < len {
                return Err(invalid_format(format!(
                    "source string too short for \"{name}\" formatting field"
                ))
                .detail(format!(
                    "Field requires {len} characters, but only {} remain.",
                    rest.len()
                ))
                .hint("If your source string is not fixed-width, try using the \"FM\" modifier."));
            }
            let (value, used, overflow) = strtol(&rest[..len]);
            if used > 0 && used < len {
                return Err(invalid_format(format!("invalid value \"{copy}\" for \"{name}\""))
                    .detail(format!(
                        "Field requires {len} characters, but only {used} could be parsed."
                    ))
                    .hint(
                        "If your source string is not fixed-width, try using the \"FM\" modifier.",
                    ));
            }
            self.at += used;
            (value, overflow)
        };
        if self.at == init {
            return Err(
                invalid_format(format!("invalid value \"{copy}\" for \"{name}\""))
                    .detail("Value must be an integer."),
            );
        }
        let value = match i32::try_from(value) {
            Ok(v) if !overflow => v,
            _ => {
                return Err(pg_err!(
                    DATETIME_FIELD_OVERFLOW,
                    "value for \"{}\" in source string is out of range",
                    name
                )
                .detail("Value must be in the range -2147483648 to 2147483647."))
            }
        };
        Ok((value, self.at - init))
    }

    /// Matches one of `words` (ASCII, case-insensitive) at the current position
    /// (`from_char_seq_search`); returns its index.
    fn seq_search(&mut self, words: &[&str], name: &str) -> Result<usize> {
        let rest = self.rest();
        for (i, w) in words.iter().enumerate() {
            let w = w.as_bytes();
            if rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w) {
                self.at += w.len();
                return Ok(i);
            }
        }
        Err(invalid_format(format!(
            "invalid value \"{}\" for \"{name}\"",
            up_to_space(rest)
        ))
        .detail("The given value did not match any of the allowed values for this field."))
    }

    fn skip_ordinal(&mut self, index: usize) {
        if let Some(TemplateNode::Keyword(_, m, _)) = self.nodes.get(index) {
            if m.ordinal.is_some() {
                for _ in 0..2 {
                    if let Some(&b) = self.rest().first() {
                        self.at += utf8_len(b);
                    }
                }
            }
        }
    }
}

/// `adjust_partial_year_to_2020`: two- and three-digit years land near 2020.
fn adjust_partial_year(year: i32) -> i32 {
    if year < 70 {
        year + 2000
    } else if year < 100 {
        year + 1900
    } else if year < 520 {
        year + 2000
    } else if year < 1000 {
        year + 1000
    } else {
        year
    }
}

/// Walks the template over the input (`DCH_from_char`).
fn read_fields(input: &str, template: &str, strict: bool) -> Result<FromCharFields> {
    let nodes = parse_datetime_template(template);
    let mut consumed_nodes = nodes.len();
    let mut r = Reader {
        input: input.as_bytes(),
        at: 0,
        nodes: &nodes,
    };
    let mut out = FromCharFields::default();
    let mut fx_mode = strict;
    let mut extra_skip: i32 = 0;
    for (index, node) in nodes.iter().enumerate() {
        if r.at >= r.input.len() {
            consumed_nodes = index;
            break;
        }
        let is_keyword = matches!(node, TemplateNode::Keyword(..));
        if !fx_mode
            && !matches!(node, TemplateNode::Keyword(K::FX, _, _))
            && (is_keyword || index == 0)
        {
            while r
                .rest()
                .first()
                .is_some_and(|&b| crate::adt::is_pg_space(b))
            {
                r.at += 1;
                extra_skip += 1;
            }
        }
        let (keyword, m, name) = match node {
            TemplateNode::Separator(c) if strict => {
                if r.rest().first() != Some(&(*c as u8)) {
                    return Err(invalid_format(format!(
                        "unmatched format separator \"{c}\""
                    )));
                }
                r.at += 1;
                continue;
            }
            TemplateNode::Space(_) if strict => {
                if !r
                    .rest()
                    .first()
                    .is_some_and(|&b| crate::adt::is_pg_space(b))
                {
                    return Err(invalid_format("unmatched format separator \" \"".into()));
                }
                r.at += 1;
                continue;
            }
            TemplateNode::Space(_) | TemplateNode::Separator(_) => {
                if !fx_mode {
                    extra_skip -= 1;
                    if let Some(&b) = r.rest().first() {
                        if crate::adt::is_pg_space(b)
                            || super::datetime_template::is_separator_char(b as char)
                        {
                            r.at += 1;
                            extra_skip += 1;
                        }
                    }
                } else if let Some(&b) = r.rest().first() {
                    r.at += utf8_len(b);
                }
                continue;
            }
            TemplateNode::Literal(c) if strict => {
                let mut buf = [0; 4];
                if !r.rest().starts_with(c.encode_utf8(&mut buf).as_bytes()) {
                    return Err(invalid_format(format!(
                        "unmatched format character \"{c}\""
                    )));
                }
                r.at += c.len_utf8();
                continue;
            }
            TemplateNode::Literal(_) => {
                if fx_mode || extra_skip <= 0 {
                    if let Some(&b) = r.rest().first() {
                        r.at += utf8_len(b);
                    }
                } else {
                    extra_skip -= 1;
                }
                continue;
            }
            TemplateNode::Keyword(k, m, name) => (*k, *m, *name),
        };
        if let Some(c) = convention(keyword) {
            match out.mode {
                None => out.mode = Some(c),
                Some(existing) if existing != c => {
                    return Err(invalid_format("invalid combination of date conventions".into())
                        .hint("Do not mix Gregorian and ISO week date conventions in a formatting template."));
                }
                Some(_) => {}
            }
        }
        let nominal = name.len();
        match keyword {
            K::FX => fx_mode = true,
            K::AMUpperDots | K::PMUpperDots | K::AMLowerDots | K::PMLowerDots => {
                let v = r.seq_search(AMPM_LONG, name)? as i32;
                set_field(&mut out.pm, v % 2, name)?;
                out.twelve_hour = true;
            }
            K::AMUpper | K::PMUpper | K::AMLower | K::PMLower => {
                let v = r.seq_search(AMPM, name)? as i32;
                set_field(&mut out.pm, v % 2, name)?;
                out.twelve_hour = true;
            }
            K::HH | K::HH12 => {
                let (v, _) = r.parse_int(index, 2, name)?;
                set_field(&mut out.hh, v, name)?;
                out.twelve_hour = true;
                r.skip_ordinal(index);
            }
            K::HH24 => {
                let (v, _) = r.parse_int(index, 2, name)?;
                set_field(&mut out.hh, v, name)?;
                r.skip_ordinal(index);
            }
            K::MI
            | K::SS
            | K::SSSS
            | K::MM
            | K::DDD
            | K::DD
            | K::D
            | K::WW
            | K::IW
            | K::CC
            | K::W
            | K::J => {
                let (v, _) = r.parse_int(index, nominal, name)?;
                let dest = match keyword {
                    K::MI => &mut out.mi,
                    K::SS => &mut out.ss,
                    K::SSSS => &mut out.ssss,
                    K::MM => &mut out.mm,
                    K::DDD => &mut out.ddd,
                    K::DD => &mut out.dd,
                    K::D => &mut out.d,
                    K::WW | K::IW => &mut out.ww,
                    K::CC => &mut out.cc,
                    K::W => &mut out.w,
                    _ => &mut out.j,
                };
                set_field(dest, v, name)?;
                r.skip_ordinal(index);
            }
            K::Q => {
                r.parse_int(index, nominal, name)?;
                r.skip_ordinal(index);
            }
            K::MS => {
                let (v, len) = r.parse_int(index, 3, name)?;
                set_field(&mut out.ms, v, name)?;
                out.ms *= match len {
                    1 => 100,
                    2 => 10,
                    _ => 1,
                };
                r.skip_ordinal(index);
            }
            K::FF1 | K::FF2 | K::FF3 | K::FF4 | K::FF5 | K::FF6 | K::US => {
                let width = match keyword {
                    K::FF1 => 1,
                    K::FF2 => 2,
                    K::FF3 => 3,
                    K::FF4 => 4,
                    K::FF5 => 5,
                    _ => 6,
                };
                if keyword != K::US {
                    out.ff = width as i32;
                }
                let (v, len) = r.parse_int(index, width, name)?;
                set_field(&mut out.us, v, name)?;
                out.us *= 10_i32.pow(6_u32.saturating_sub(len.min(6) as u32));
                r.skip_ordinal(index);
            }
            K::TZ | K::TZLower | K::OF => {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "formatting field \"{}\" is only supported in to_char",
                    name
                ));
            }
            K::TZH => {
                match r.rest().first() {
                    Some(&c) if c == b'+' || c == b'-' || c == b' ' => {
                        out.tzsign = if c == b'-' { -1 } else { 1 };
                        r.at += 1;
                    }
                    _ => {
                        out.tzsign = if extra_skip > 0 && r.at > 0 && r.input[r.at - 1] == b'-' {
                            -1
                        } else {
                            1
                        };
                    }
                }
                let (v, _) = r.parse_int(index, 2, name)?;
                set_field(&mut out.tzh, v, name)?;
            }
            K::TZM => {
                if out.tzsign == 0 {
                    out.tzsign = 1;
                }
                let (v, _) = r.parse_int(index, 2, name)?;
                set_field(&mut out.tzm, v, name)?;
            }
            K::ADUpperDots | K::BCUpperDots | K::ADLowerDots | K::BCLowerDots => {
                let v = r.seq_search(ADBC_LONG, name)? as i32;
                set_field(&mut out.bc, v % 2, name)?;
            }
            K::ADUpper | K::BCUpper | K::ADLower | K::BCLower => {
                let v = r.seq_search(ADBC, name)? as i32;
                set_field(&mut out.bc, v % 2, name)?;
            }
            K::MONTH | K::Month | K::MonthLower => {
                let v = r.seq_search(MONTHS_FULL, name)? as i32;
                set_field(&mut out.mm, v + 1, name)?;
            }
            K::MON | K::Mon | K::MonLower => {
                let v = r.seq_search(MONTHS, name)? as i32;
                set_field(&mut out.mm, v + 1, name)?;
            }
            K::DAY | K::Day | K::DayLower => {
                let v = r.seq_search(DAYS, name)? as i32;
                set_field(&mut out.d, v, name)?;
                out.d += 1;
            }
            K::DY | K::Dy | K::DyLower => {
                let v = r.seq_search(DAYS_SHORT, name)? as i32;
                set_field(&mut out.d, v, name)?;
                out.d += 1;
            }
            K::IDDD => {
                let (v, _) = r.parse_int(index, 3, name)?;
                set_field(&mut out.ddd, v, name)?;
                r.skip_ordinal(index);
            }
            K::ID => {
                let (v, _) = r.parse_int(index, 1, name)?;
                set_field(&mut out.d, v, name)?;
                out.d += 1;
                if out.d > 7 {
                    out.d = 1;
                }
                r.skip_ordinal(index);
            }
            K::YCommaYYY => {
                let rest = r.rest();
                let (millennia, used, _) = strtol(rest);
                let mut pos = used;
                let years = if used > 0 && rest.get(pos) == Some(&b',') {
                    pos += 1;
                    while rest.get(pos).is_some_and(|&b| crate::adt::is_pg_space(b)) {
                        pos += 1;
                    }
                    let end = (pos + 3).min(rest.len());
                    let (years, used3, _) = strtol(&rest[pos..end]);
                    pos += used3;
                    (used3 > 0).then_some(years)
                } else {
                    None
                };
                let Some(years) = years else {
                    return Err(invalid_format("invalid input string for \"Y,YYY\"".into()));
                };
                let value = years + millennia * 1000;
                set_field(&mut out.year, value as i32, name)?;
                out.yysz = 4;
                r.at += pos;
                r.skip_ordinal(index);
            }
            K::YYYY | K::IYYY => {
                let (v, _) = r.parse_int(index, nominal, name)?;
                set_field(&mut out.year, v, name)?;
                out.yysz = 4;
                r.skip_ordinal(index);
            }
            K::YYY | K::IYY | K::YY | K::IY | K::Y | K::I => {
                let (v, len) = r.parse_int(index, nominal, name)?;
                set_field(&mut out.year, v, name)?;
                if len < 4 {
                    out.year = adjust_partial_year(out.year);
                }
                out.yysz = nominal as i32;
                r.skip_ordinal(index);
            }
            K::RM | K::RMLower => {
                let v = r.seq_search(RM_DESCENDING, name)? as i32;
                set_field(&mut out.mm, 12 - v, name)?;
            }
        }
        let _ = m;
        if !fx_mode {
            extra_skip = 0;
            while r
                .rest()
                .first()
                .is_some_and(|&b| crate::adt::is_pg_space(b))
            {
                r.at += 1;
                extra_skip += 1;
            }
        }
    }
    if strict {
        if consumed_nodes < nodes.len() {
            return Err(invalid_format(
                "input string is too short for datetime format".into(),
            ));
        }
        if r.rest().iter().any(|&b| !crate::adt::is_pg_space(b)) {
            return Err(invalid_format(
                "trailing characters remain in input string after datetime format".into(),
            ));
        }
    }
    Ok(out)
}

/// Julian day of the Monday of ISO week `week` of ISO year `year` (`isoweek2j`).
fn isoweek2j(year: i32, week: i32) -> i32 {
    let day4 = date2j(year, 1, 4);
    let day0 = j2day(day4 - 1);
    (week - 1) * 7 + (day4 - day0)
}

fn field_overflow(input: &str) -> Error {
    pg_err!(
        DATETIME_FIELD_OVERFLOW,
        "date/time field value out of range: \"{}\"",
        input
    )
}

/// The date, time and zone a template reads from `input` (`do_to_timestamp`): broken-down
/// fields (year 0 is 1 BC), microseconds, an explicit UTC offset east of Greenwich in
/// seconds when `TZH`/`TZM` were given, and the `FFn` precision (0 when none).
fn do_to_timestamp(input: &str, template: &str, strict: bool) -> Result<(Tm, Option<i32>, i32)> {
    let mut f = read_fields(input, template, strict)?;
    let mut tm = Tm {
        mon: 1,
        mday: 1,
        ..Tm::default()
    };
    let mut date_fields = (false, false, false);
    if f.ssss != 0 {
        let x = f.ssss;
        tm.hour = x / 3600;
        tm.min = x % 3600 / 60;
        tm.sec = x % 60;
    }
    if f.ss != 0 {
        tm.sec = f.ss;
    }
    if f.mi != 0 {
        tm.min = f.mi;
    }
    if f.hh != 0 {
        tm.hour = f.hh;
    }
    if f.twelve_hour {
        if tm.hour < 1 || tm.hour > 12 {
            return Err(invalid_format(format!(
                "hour \"{}\" is invalid for the 12-hour clock",
                tm.hour
            ))
            .hint("Use the 24-hour clock, or give an hour between 1 and 12."));
        }
        if f.pm != 0 && tm.hour < 12 {
            tm.hour += 12;
        } else if f.pm == 0 && tm.hour == 12 {
            tm.hour = 0;
        }
    }
    if f.year != 0 {
        if f.cc != 0 && f.yysz <= 2 {
            if f.bc != 0 {
                f.cc = -f.cc;
            }
            tm.year = f.year % 100;
            if tm.year != 0 {
                if f.cc >= 0 {
                    tm.year += (f.cc - 1) * 100;
                } else {
                    tm.year = (f.cc + 1) * 100 - tm.year + 1;
                }
            } else {
                tm.year = f.cc * 100 + if f.cc >= 0 { 0 } else { 1 };
            }
        } else {
            tm.year = f.year;
            if f.bc != 0 {
                tm.year = -tm.year;
            }
            if tm.year < 0 {
                tm.year += 1;
            }
        }
        date_fields.0 = true;
    } else if f.cc != 0 {
        if f.bc != 0 {
            f.cc = -f.cc;
        }
        tm.year = if f.cc >= 0 {
            (f.cc - 1) * 100 + 1
        } else {
            f.cc * 100 + 1
        };
        date_fields.0 = true;
    }
    if f.j != 0 {
        (tm.year, tm.mon, tm.mday) = j2date(f.j);
        date_fields = (true, true, true);
    }
    if f.ww != 0 {
        if f.mode == Some(Convention::IsoWeek) {
            let mut jday = isoweek2j(tm.year, f.ww);
            if f.d != 0 {
                jday += if f.d > 1 { f.d - 2 } else { 6 };
            }
            (tm.year, tm.mon, tm.mday) = j2date(jday);
            date_fields = (true, true, true);
        } else {
            f.ddd = (f.ww - 1) * 7 + 1;
        }
    }
    if f.w != 0 {
        f.dd = (f.w - 1) * 7 + 1;
    }
    if f.dd != 0 {
        tm.mday = f.dd;
        date_fields.2 = true;
    }
    if f.mm != 0 {
        tm.mon = f.mm;
        date_fields.1 = true;
    }
    if f.ddd != 0 && (tm.mon <= 1 || tm.mday <= 1) {
        if tm.year == 0 && f.bc == 0 {
            return Err(invalid_format(
                "cannot calculate day of year without year information".into(),
            ));
        }
        if f.mode == Some(Convention::IsoWeek) {
            let j0 = isoweek2j(tm.year, 1) - 1;
            (tm.year, tm.mon, tm.mday) = j2date(j0 + f.ddd);
            date_fields = (true, true, true);
        } else {
            let leap = crate::adt::datetime::is_leap(tm.year);
            let mut cumulative = [0; 13];
            for m in 1..=12 {
                cumulative[m] =
                    cumulative[m - 1] + days_in_month(if leap { 2000 } else { 2001 }, m as i32);
            }
            let mut i = 1;
            while i <= 12 && f.ddd > cumulative[i] {
                i += 1;
            }
            let i = i.min(12);
            if tm.mon <= 1 {
                tm.mon = i as i32;
            }
            if tm.mday <= 1 {
                tm.mday = f.ddd - cumulative[i - 1];
            }
            date_fields.1 = true;
            date_fields.2 = true;
        }
    }
    let mut fsec = 0_i64;
    if f.ms != 0 {
        fsec += i64::from(f.ms) * 1000;
    }
    if f.us != 0 {
        fsec += i64::from(f.us);
    }
    // ValidateDate with the fields that were set.
    if date_fields.1 && !(1..=12).contains(&tm.mon) {
        return Err(field_overflow(input));
    }
    if date_fields.2 && !(1..=31).contains(&tm.mday) {
        return Err(field_overflow(input));
    }
    if date_fields == (true, true, true) && tm.mday > days_in_month(tm.year, tm.mon) {
        return Err(field_overflow(input));
    }
    if !(0..24).contains(&tm.hour)
        || !(0..60).contains(&tm.min)
        || !(0..60).contains(&tm.sec)
        || !(0..USECS_PER_SEC).contains(&fsec)
    {
        return Err(field_overflow(input));
    }
    tm.fsec = fsec as i32;
    let offset = if f.tzsign != 0 {
        if !(0..=crate::adt::datetime::MAX_TZDISP_HOUR).contains(&f.tzh)
            || !(0..60).contains(&f.tzm)
        {
            return Err(pg_err!(
                INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                "time zone displacement out of range: \"{}\"",
                input
            ));
        }
        Some(f.tzsign * (f.tzh * 3600 + f.tzm * 60))
    } else {
        None
    };
    Ok((tm, offset, f.ff))
}

/// `to_timestamp(text, text)`: the instant the input names, in the session zone `tz`
/// unless the template reads `TZH`/`TZM`.
///
/// Errors: 22007 for input that does not match the template (`invalid value "x" for
/// "MON"` with a DETAIL, `conflicting values for "MM" field ...`, `source string too short
/// ...`, `hour "13" is invalid for the 12-hour clock`); 22008 `date/time field value out
/// of range: "..."`, `timestamp out of range`; 22009 for a bad `TZH`/`TZM`; 0A000 for `TZ`
/// and `OF`.
pub fn to_timestamp(input: &str, template: &str, tz: &TimeZone) -> Result<TimestampTz> {
    let (tm, offset, precision) = do_to_timestamp(input, template, false)?;
    to_timestamp_parts(tm, offset, precision, tz)
}

fn to_timestamp_parts(
    tm: Tm,
    offset: Option<i32>,
    precision: i32,
    tz: &TimeZone,
) -> Result<TimestampTz> {
    let out_of_range = || pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range");
    if !is_valid_julian(tm.year, tm.mon) {
        return Err(out_of_range());
    }
    let local = Timestamp::from_tm(&tm).map_err(|_| out_of_range())?;
    let result = match offset {
        Some(east) => {
            let usecs = local
                .0
                .checked_sub(i64::from(east) * USECS_PER_SEC)
                .filter(|v| Timestamp::is_valid(*v))
                .ok_or_else(out_of_range)?;
            TimestampTz(usecs)
        }
        None => local.to_timestamptz(tz).map_err(|_| out_of_range())?,
    };
    if precision > 0 {
        return Ok(TimestampTz(adjust_timestamp_for_typmod(
            result.0, precision,
        )?));
    }
    Ok(result)
}

/// `to_date(text, text)`: the date the input names (time fields are read and dropped).
///
/// Errors: as [`to_timestamp`]; 22008 `date out of range: "..."`.
pub fn to_date(input: &str, template: &str) -> Result<Date> {
    let (tm, _, _) = do_to_timestamp(input, template, false)?;
    date_from_tm(input, &tm)
}

fn date_from_tm(input: &str, tm: &Tm) -> Result<Date> {
    let out_of_range = || {
        pg_err!(
            DATETIME_VALUE_OUT_OF_RANGE,
            "date out of range: \"{}\"",
            input
        )
    };
    if !is_valid_julian(tm.year, tm.mon) {
        return Err(out_of_range());
    }
    let days = i64::from(date2j(tm.year, tm.mon, tm.mday)) - i64::from(POSTGRES_EPOCH_JDATE);
    if !Date::is_valid(days) {
        return Err(out_of_range());
    }
    Ok(Date(days as i32))
}

/// A value read by a template in the strict mode of SQL/JSON's `.datetime(template)`,
/// typed by the fields the template names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedDatetime {
    /// A date.
    Date(Date),
    /// Microseconds since midnight.
    Time(i64),
    /// Microseconds since midnight and the UTC offset east of Greenwich in seconds.
    TimeTz(i64, i32),
    /// A timestamp without time zone.
    Timestamp(Timestamp),
    /// The instant and the UTC offset east of Greenwich it was written with.
    TimestampTz(TimestampTz, i32),
}

/// `parse_datetime` in strict mode: reads `input` by `template`, which must consume all
/// of it, and types the result by the template's fields: zoned and dated is
/// `timestamptz`, zoned and timed `timetz`, dated and timed `timestamp`, else `date` or
/// `time`. A zoned value without an offset in the input takes `tz`'s.
///
/// Errors: as [`to_timestamp`]; 22007 `input string is too short for datetime format`,
/// `trailing characters remain in input string after datetime format`, `datetime format
/// is zoned but not timed`, `datetime format is not dated and not timed`.
pub fn parse_datetime(input: &str, template: &str, tz: &TimeZone) -> Result<ParsedDatetime> {
    if let Some(c) = super::datetime_template::first_unquoted_literal(template) {
        return Err(invalid_format(format!(
            "invalid datetime format separator: \"{c}\""
        )));
    }
    let (mut dated, mut timed, mut zoned) = (false, false, false);
    for node in parse_datetime_template(template) {
        if let TemplateNode::Keyword(k, _, _) = node {
            match k {
                K::TZH | K::TZM | K::TZ | K::TZLower | K::OF => zoned = true,
                K::HH24
                | K::HH12
                | K::HH
                | K::MI
                | K::SS
                | K::SSSS
                | K::MS
                | K::US
                | K::FF1
                | K::FF2
                | K::FF3
                | K::FF4
                | K::FF5
                | K::FF6
                | K::AMUpperDots
                | K::AMUpper
                | K::PMUpperDots
                | K::PMUpper
                | K::AMLowerDots
                | K::AMLower
                | K::PMLowerDots
                | K::PMLower => timed = true,
                K::FX => {}
                _ => dated = true,
            }
        }
    }
    let (tm, offset, precision) = do_to_timestamp(input, template, true)?;
    if zoned && !timed {
        return Err(invalid_format(
            "datetime format is zoned but not timed".into(),
        ));
    }
    if !dated && !timed {
        return Err(invalid_format(
            "datetime format is not dated and not timed".into(),
        ));
    }
    let mut time = ((i64::from(tm.hour) * 60 + i64::from(tm.min)) * 60 + i64::from(tm.sec))
        * USECS_PER_SEC
        + i64::from(tm.fsec);
    if precision > 0 && !dated {
        time = adjust_timestamp_for_typmod(time, precision)?;
    }
    if !dated {
        return Ok(match (zoned, offset) {
            (false, _) => ParsedDatetime::Time(time),
            (true, Some(east)) => ParsedDatetime::TimeTz(time, east),
            (true, None) => ParsedDatetime::TimeTz(time, tz.fixed_offset().unwrap_or(0)),
        });
    }
    if !timed {
        return date_from_tm(input, &tm).map(ParsedDatetime::Date);
    }
    if zoned {
        let ts = to_timestamp_parts(tm, offset, precision, tz)?;
        let east = match offset {
            Some(east) => east,
            None => {
                let local = ts.to_local(tz)?;
                ((local.0 - ts.0) / USECS_PER_SEC) as i32
            }
        };
        return Ok(ParsedDatetime::TimestampTz(ts, east));
    }
    let out_of_range = || pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "timestamp out of range");
    if !is_valid_julian(tm.year, tm.mon) {
        return Err(out_of_range());
    }
    let local = Timestamp::from_tm(&tm).map_err(|_| out_of_range())?;
    let usecs = if precision > 0 {
        adjust_timestamp_for_typmod(local.0, precision)?
    } else {
        local.0
    };
    Ok(ParsedDatetime::Timestamp(Timestamp(usecs)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::date::date_out;
    use crate::adt::datetime::timestamp::timestamptz_out;
    use crate::adt::datetime::DateStyle;

    fn ts(input: &str, template: &str) -> Result<String> {
        let tz = TimeZone::named("America/Los_Angeles").expect("zone");
        to_timestamp(input, template, &tz).map(|v| timestamptz_out(v, &DateStyle::default(), &tz))
    }

    fn date(input: &str, template: &str) -> Result<String> {
        to_date(input, template).map(|d| date_out(d, &DateStyle::default()))
    }

    #[test]
    fn reads_postgres_examples() {
        // Expected values from PostgreSQL 15 with TimeZone America/Los_Angeles.
        assert_eq!(
            ts("05 Dec 2000", "DD Mon YYYY").expect("ok"),
            "2000-12-05 00:00:00-08"
        );
        assert_eq!(
            ts("2000-12-05 13:14:15.678", "YYYY-MM-DD HH24:MI:SS.MS").expect("ok"),
            "2000-12-05 13:14:15.678-08"
        );
        assert_eq!(
            ts("2011-12-18 11:38 PM", "YYYY-MM-DD HH12:MI PM").expect("ok"),
            "2011-12-18 23:38:00-08"
        );
        assert_eq!(
            ts("2011-12-18 11:38 +05:30", "YYYY-MM-DD HH12:MI TZH:TZM").expect("ok"),
            "2011-12-17 22:08:00-08"
        );
        assert_eq!(
            ts("2000JUN", "YYYYMON").expect("ok"),
            "2000-06-01 00:00:00-07"
        );
        assert_eq!(
            date("2009-W01-1", "IYYY-\"W\"IW-ID").expect("ok"),
            "2008-12-29"
        );
        assert_eq!(date("2458872", "J").expect("ok"), "2020-01-23");
        assert_eq!(
            date("44-02-01 BC", "YYYY-MM-DD BC").expect("ok"),
            "0044-02-01 BC"
        );
        assert_eq!(date("2000 366", "YYYY DDD").expect("ok"), "2000-12-31");
        assert_eq!(date("1 4 1902", "Q MM YYYY").expect("ok"), "1902-04-01");
        assert_eq!(date("20 97", "CC YY").expect("ok"), "1997-01-01");
        assert_eq!(
            date("3 Dec 2000", "FMDD Mon YYYY").expect("ok"),
            "2000-12-03"
        );
    }

    #[test]
    fn errors_match_postgres() {
        let e = date("2000 Foo", "YYYY MON").expect_err("bad month");
        assert_eq!(e.code.code(), "22007");
        assert_eq!(e.message, "invalid value \"Foo\" for \"MON\"");
        assert_eq!(
            e.detail.as_deref(),
            Some("The given value did not match any of the allowed values for this field.")
        );
        let e = date("2016-13-01", "YYYY-MM-DD").expect_err("month 13");
        assert_eq!(e.code.code(), "22008");
        assert_eq!(
            e.message,
            "date/time field value out of range: \"2016-13-01\""
        );
        let e = ts("13:00 PM", "HH12:MI PM").expect_err("12-hour clock");
        assert_eq!(e.message, "hour \"13\" is invalid for the 12-hour clock");
        let e = date("1997-07 10", "YYYY-MM IW").expect_err("mixed conventions");
        assert_eq!(e.message, "invalid combination of date conventions");
        let e = ts("x", "TZ").expect_err("TZ");
        assert_eq!(e.code.code(), "0A000");
    }

    #[test]
    fn strict_parse_types_results_by_template_fields() {
        let utc = TimeZone::utc();
        let p = |input: &str, template: &str| parse_datetime(input, template, &utc);
        assert!(matches!(
            p("10-03-2017", "dd-mm-yyyy"),
            Ok(ParsedDatetime::Date(_))
        ));
        assert_eq!(
            p("12:34:56", "HH24:MI:SS").unwrap(),
            ParsedDatetime::Time(45_296_000_000)
        );
        assert_eq!(
            p("12:34 +05:30", "HH24:MI TZH:TZM").unwrap(),
            ParsedDatetime::TimeTz(45_240_000_000, 19_800)
        );
        assert!(matches!(
            p("10-03-2017 12:34", "dd-mm-yyyy HH24:MI"),
            Ok(ParsedDatetime::Timestamp(_))
        ));
        assert!(matches!(
            p("10-03-2017 12:34 -2", "dd-mm-yyyy HH24:MI TZH"),
            Ok(ParsedDatetime::TimestampTz(_, -7200))
        ));
        let msg = |input: &str, template: &str| p(input, template).unwrap_err().message;
        assert_eq!(
            msg("10-03-2017 12:34", "dd-mm-yyyy"),
            "trailing characters remain in input string after datetime format"
        );
        assert_eq!(
            msg("12:34", "HH24:MI TZH"),
            "input string is too short for datetime format"
        );
        assert_eq!(
            msg("12:34", "aaa"),
            "invalid datetime format separator: \"a\""
        );
        assert_eq!(
            msg("2017-03-10t12:34:56", "yyyy-mm-dd\"T\"HH24:MI:SS"),
            "unmatched format character \"T\""
        );
        assert_eq!(msg("+05", "TZH"), "datetime format is zoned but not timed");
        // to_timestamp keeps its lenient reading of the same input.
        assert!(to_timestamp("10-03-2017 12:34", "dd-mm-yyyy", &utc).is_ok());
    }
}
