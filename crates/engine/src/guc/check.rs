//! Per-parameter validation of string parameters (PostgreSQL's check hooks): DateStyle,
//! TimeZone and log_timezone, client_encoding, identifier lists such as search_path,
//! application_name, the locale parameters and log_destination. Each check returns the
//! canonical text that is stored and shown (`SET datestyle = sql, dmy` shows `SQL, DMY`).
//!
//! Errors are 22023 `invalid value for parameter "<canonical name>": "<value>"` with the
//! DETAIL PostgreSQL gives; client_encoding values tusk cannot convert give 0A000 with
//! PostgreSQL's "Conversion between ... is not supported." detail.

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::tz::{TimeZone, TimeZoneDatabase};
use tusk_types::{pg_err, Error, Result, SqlState};

use super::def::GucDef;

/// What a check sees: the proposed text, and the current and reset values.
#[derive(Clone, Copy)]
pub(crate) struct CheckInput<'a> {
    /// The proposed value.
    pub value: &'a str,
    /// The current value, if any.
    pub current: Option<&'a str>,
    /// The reset value, if any.
    pub reset: Option<&'a str>,
}

fn invalid(def: &GucDef, value: &str) -> Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"{}\": \"{}\"",
        def.name,
        value
    )
}

/// Validates a string parameter and returns its canonical text.
pub(crate) fn check_string(def: &GucDef, input: CheckInput<'_>) -> Result<String> {
    let value = input.value;
    match def.name {
        "DateStyle" => check_datestyle(def, value, input.current, input.reset, 0),
        "TimeZone" => check_timezone(def, value, true),
        "log_timezone" => check_timezone(def, value, false),
        "client_encoding" => check_client_encoding(def, value),
        "search_path"
        | "temp_tablespaces"
        | "local_preload_libraries"
        | "session_preload_libraries"
        | "shared_preload_libraries"
        | "unix_socket_directories" => {
            split_identifier_list(value, ',')
                .ok_or_else(|| invalid(def, value).detail("List syntax is invalid."))?;
            Ok(value.to_string())
        }
        "application_name" | "cluster_name" => Ok(clean_ascii(value)),
        "lc_messages" | "lc_monetary" | "lc_numeric" | "lc_time" => {
            if is_known_locale(value) {
                Ok(value.to_string())
            } else {
                Err(invalid(def, value))
            }
        }
        "log_destination" => {
            check_keyword_list(def, value, &["stderr", "csvlog", "jsonlog", "syslog"])
        }
        "restrict_nonsystem_relation_kind" => {
            check_keyword_list(def, value, &["view", "foreign-table"])
        }
        _ => Ok(value.to_string()),
    }
}

/// Replaces each byte outside printable ASCII with `?` (PostgreSQL's `pg_clean_ascii`).
fn clean_ascii(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if (b' '..=b'~').contains(&b) {
                b as char
            } else {
                '?'
            }
        })
        .collect()
}

/// The locales tusk provides (names are case-sensitive, as the C library's).
fn is_known_locale(value: &str) -> bool {
    matches!(value, "" | "C" | "POSIX" | "C.UTF-8" | "C.utf8")
}

/// Splits a comma-separated identifier list the way PostgreSQL's `SplitIdentifierString`
/// does: double-quoted names keep case (`""` is a quote), others are downcased; `None`
/// on bad syntax (empty unquoted item, unbalanced quotes, junk after a name).
pub fn split_identifier_list(value: &str, separator: char) -> Option<Vec<String>> {
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    while i < chars.len() && is_space(chars[i]) {
        i += 1;
    }
    let mut names = Vec::new();
    if i == chars.len() {
        return Some(names);
    }
    loop {
        let mut name = String::new();
        if chars[i] == '"' {
            i += 1;
            loop {
                if i >= chars.len() {
                    return None;
                }
                if chars[i] == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        name.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                name.push(chars[i]);
                i += 1;
            }
        } else {
            let start = i;
            while i < chars.len() && chars[i] != separator && !is_space(chars[i]) {
                i += 1;
            }
            if start == i {
                return None;
            }
            name = chars[start..i]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
        }
        while i < chars.len() && is_space(chars[i]) {
            i += 1;
        }
        names.push(name);
        if i == chars.len() {
            return Some(names);
        }
        if chars[i] != separator {
            return None;
        }
        i += 1;
        while i < chars.len() && is_space(chars[i]) {
            i += 1;
        }
        if i == chars.len() {
            // A trailing separator leaves an empty unquoted name.
            return None;
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum DateStyleKind {
    Iso,
    Sql,
    Postgres,
    German,
}

#[derive(Clone, Copy, PartialEq)]
enum DateOrder {
    Ymd,
    Dmy,
    Mdy,
}

fn parse_canonical_datestyle(text: Option<&str>) -> (DateStyleKind, DateOrder) {
    let text = text.unwrap_or("ISO, MDY");
    let (style, order) = text.split_once(", ").unwrap_or((text, "MDY"));
    let style = match style {
        "SQL" => DateStyleKind::Sql,
        "Postgres" => DateStyleKind::Postgres,
        "German" => DateStyleKind::German,
        _ => DateStyleKind::Iso,
    };
    let order = match order {
        "YMD" => DateOrder::Ymd,
        "DMY" => DateOrder::Dmy,
        _ => DateOrder::Mdy,
    };
    (style, order)
}

/// DateStyle: a list of a style (ISO, SQL, Postgres, German) and an order (YMD, DMY/Euro,
/// MDY/US/NonEuro) or DEFAULT; unspecified parts keep the current value.
fn check_datestyle(
    def: &GucDef,
    value: &str,
    current: Option<&str>,
    reset: Option<&str>,
    depth: u32,
) -> Result<String> {
    let items = split_identifier_list(value, ',')
        .ok_or_else(|| invalid(def, value).detail("List syntax is invalid."))?;
    let (mut style, mut order) = parse_canonical_datestyle(current);
    let (mut have_style, mut have_order, mut ok) = (false, false, true);
    let mut set_style = |new: DateStyleKind, style: &mut DateStyleKind, have: &mut bool| {
        if *have && *style != new {
            ok = false;
        }
        *style = new;
        *have = true;
    };
    let mut order_conflict = false;
    let mut set_order = |new: DateOrder, order: &mut DateOrder, have: &mut bool| {
        if *have && *order != new {
            order_conflict = true;
        }
        *order = new;
        *have = true;
    };
    for item in &items {
        let tok = item.to_ascii_lowercase();
        if tok == "iso" {
            set_style(DateStyleKind::Iso, &mut style, &mut have_style);
        } else if tok == "sql" {
            set_style(DateStyleKind::Sql, &mut style, &mut have_style);
        } else if tok.starts_with("postgres") {
            set_style(DateStyleKind::Postgres, &mut style, &mut have_style);
        } else if tok == "german" {
            set_style(DateStyleKind::German, &mut style, &mut have_style);
            if !have_order {
                order = DateOrder::Dmy;
            }
        } else if tok == "ymd" {
            set_order(DateOrder::Ymd, &mut order, &mut have_order);
        } else if tok == "dmy" || tok.starts_with("euro") {
            set_order(DateOrder::Dmy, &mut order, &mut have_order);
        } else if tok == "mdy" || tok == "us" || tok.starts_with("noneuro") {
            set_order(DateOrder::Mdy, &mut order, &mut have_order);
        } else if tok == "default" {
            if depth > 0 {
                return Err(invalid(def, value));
            }
            let sub = check_datestyle(def, reset.unwrap_or("ISO, MDY"), current, None, depth + 1)?;
            let (sub_style, sub_order) = parse_canonical_datestyle(Some(&sub));
            if !have_style {
                style = sub_style;
            }
            if !have_order {
                order = sub_order;
            }
            have_style = true;
            have_order = true;
        } else {
            return Err(invalid(def, value).detail(format!("Unrecognized key word: \"{item}\".")));
        }
    }
    if !ok || order_conflict {
        return Err(invalid(def, value).detail("Conflicting \"datestyle\" specifications."));
    }
    let style = match style {
        DateStyleKind::Iso => "ISO",
        DateStyleKind::Sql => "SQL",
        DateStyleKind::German => "German",
        DateStyleKind::Postgres => "Postgres",
    };
    let order = match order {
        DateOrder::Ymd => "YMD",
        DateOrder::Dmy => "DMY",
        DateOrder::Mdy => "MDY",
    };
    Ok(format!("{style}, {order}"))
}

/// The bundled time zone database and a map from lower-cased names to canonical names.
fn zone_names() -> &'static (TimeZoneDatabase, HashMap<String, String>) {
    static ZONES: OnceLock<(TimeZoneDatabase, HashMap<String, String>)> = OnceLock::new();
    ZONES.get_or_init(|| {
        let db = TimeZoneDatabase::bundled();
        let names = db
            .available()
            .map(|n| (n.as_str().to_ascii_lowercase(), n.as_str().to_string()))
            .collect();
        (db, names)
    })
}

/// Looks a zone name up: returns the canonical spelling (as PostgreSQL prints it) and the
/// zone, for IANA names (any case), `GMT`, and POSIX-style specifications (uppercased).
pub fn resolve_time_zone(name: &str) -> Option<(String, TimeZone)> {
    if name.eq_ignore_ascii_case("GMT") {
        return Some(("GMT".to_string(), TimeZone::UTC));
    }
    let (db, names) = zone_names();
    if let Some(canonical) = names.get(&name.to_ascii_lowercase()) {
        if let Ok(tz) = db.get(canonical) {
            return Some((canonical.clone(), tz));
        }
    }
    let upper = name.to_ascii_uppercase();
    if bare_posix_offset(name).is_some() {
        // A POSIX offset without an abbreviation (`+02:00`: two hours west of UTC), as
        // PostgreSQL's zone code accepts it; printed as given.
        let seconds_east = -bare_posix_offset(name)?;
        return Some((
            name.to_string(),
            TimeZone::fixed(jiff::tz::Offset::from_seconds(seconds_east as i32).ok()?),
        ));
    }
    if upper.starts_with(':') || !upper.starts_with(|c: char| c.is_ascii_alphabetic() || c == '<') {
        return None;
    }
    TimeZone::posix(&upper).ok().map(|tz| (upper, tz))
}

/// `[+-]hh[:mm[:ss]]` with a colon (a POSIX offset, seconds WEST of UTC), else None.
/// Plain numbers are hours east and handled before zone lookup.
pub fn bare_posix_offset(text: &str) -> Option<i64> {
    let t = text.trim();
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if !body.contains(':') || !body.chars().all(|c| c.is_ascii_digit() || c == ':') {
        return None;
    }
    let mut parts = body.split(':').map(|p| p.parse::<i64>().ok());
    let h = parts.next()??;
    let m = parts.next().unwrap_or(Some(0))?;
    let sec = parts.next().unwrap_or(Some(0))?;
    if parts.next().is_some() || h > 167 || m > 59 || sec > 59 {
        return None;
    }
    let west = h * 3600 + m * 60 + sec;
    Some(if t.starts_with('-') { -west } else { west })
}

/// PostgreSQL's name for a fixed offset zone: seconds east of UTC → `<+05>-05` style.
fn offset_zone_name(seconds_east: i64) -> String {
    let abs = seconds_east.abs();
    let mut text = format!("{:02}", abs / 3600);
    let rest = abs % 3600;
    if rest != 0 {
        text.push_str(&format!(":{:02}", rest / 60));
        if rest % 60 != 0 {
            text.push_str(&format!(":{:02}", rest % 60));
        }
    }
    if seconds_east < 0 {
        format!("<-{text}>+{text}")
    } else {
        format!("<+{text}>-{text}")
    }
}

/// Parses the interval of `INTERVAL '...'` as SET TIME ZONE accepts it: `[+-]hh[:mm[:ss]]`
/// or `N hour(s)`/`N minute(s)`; returns seconds.
fn parse_zone_interval(text: &str) -> Option<i64> {
    let t = text.trim();
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let seconds = if body.contains(':') {
        let mut parts = body.split(':');
        let h: i64 = parts.next()?.trim().parse().ok()?;
        let m: i64 = parts
            .next()
            .map(|p| p.trim().parse().ok())
            .unwrap_or(Some(0))?;
        let s: i64 = parts
            .next()
            .map(|p| p.trim().parse().ok())
            .unwrap_or(Some(0))?;
        h * 3600 + m * 60 + s
    } else {
        let mut words = body.split_whitespace();
        let n: f64 = words.next()?.parse().ok()?;
        let mult = match words.next().map(|w| w.to_ascii_lowercase()) {
            None => 1.0,
            Some(w) if w.starts_with("hour") => 3600.0,
            Some(w) if w.starts_with("min") => 60.0,
            Some(w) if w.starts_with("sec") => 1.0,
            _ => return None,
        };
        (n * mult).round() as i64
    };
    Some(if negative { -seconds } else { seconds })
}

/// TimeZone (and log_timezone, which accepts names only).
fn check_timezone(def: &GucDef, value: &str, allow_offsets: bool) -> Result<String> {
    if allow_offsets {
        let lower = value.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("interval") {
            let quoted = rest.trim();
            let inner = quoted
                .strip_prefix('\'')
                .and_then(|r| r.strip_suffix('\''))
                .ok_or_else(|| invalid(def, value))?;
            let seconds = parse_zone_interval(inner).ok_or_else(|| invalid(def, value))?;
            return fixed_offset(def, value, seconds);
        }
        if let Some((hours, used)) = super::units::strtod_prefix(value) {
            if used == value.len() && hours.is_finite() {
                return fixed_offset(def, value, (hours * 3600.0).round() as i64);
            }
        }
    }
    match resolve_time_zone(value) {
        Some((name, _)) => Ok(name),
        None => Err(invalid(def, value)),
    }
}

fn fixed_offset(def: &GucDef, value: &str, seconds_east: i64) -> Result<String> {
    // PostgreSQL's zone code accepts offsets of less than a week.
    if seconds_east.abs() >= 168 * 3600 {
        return Err(invalid(def, value).detail("UTC timezone offset is out of range."));
    }
    Ok(offset_zone_name(seconds_east))
}

/// Encodings PostgreSQL knows, by canonical name.
const ENCODINGS: &[&str] = &[
    "SQL_ASCII",
    "EUC_JP",
    "EUC_CN",
    "EUC_KR",
    "EUC_TW",
    "EUC_JIS_2004",
    "UTF8",
    "MULE_INTERNAL",
    "LATIN1",
    "LATIN2",
    "LATIN3",
    "LATIN4",
    "LATIN5",
    "LATIN6",
    "LATIN7",
    "LATIN8",
    "LATIN9",
    "LATIN10",
    "WIN1256",
    "WIN1258",
    "WIN866",
    "WIN874",
    "KOI8R",
    "WIN1251",
    "WIN1252",
    "ISO_8859_5",
    "ISO_8859_6",
    "ISO_8859_7",
    "ISO_8859_8",
    "WIN1250",
    "WIN1253",
    "WIN1254",
    "WIN1255",
    "WIN1257",
    "KOI8U",
    "SJIS",
    "BIG5",
    "GBK",
    "UHC",
    "GB18030",
    "JOHAB",
    "SHIFT_JIS_2004",
];

/// Aliases PostgreSQL accepts (normalised: lower case, alphanumerics only).
const ENCODING_ALIASES: &[(&str, &str)] = &[
    ("unicode", "UTF8"),
    ("iso88591", "LATIN1"),
    ("iso88592", "LATIN2"),
    ("iso88593", "LATIN3"),
    ("iso88594", "LATIN4"),
    ("iso88599", "LATIN5"),
    ("iso885910", "LATIN6"),
    ("iso885913", "LATIN7"),
    ("iso885914", "LATIN8"),
    ("iso885915", "LATIN9"),
    ("iso885916", "LATIN10"),
    ("koi8", "KOI8R"),
    ("shiftjis", "SJIS"),
    ("mskanji", "SJIS"),
    ("tcvn", "WIN1258"),
    ("tcvn5712", "WIN1258"),
    ("vscii", "WIN1258"),
    ("alt", "WIN866"),
    ("windows1250", "WIN1250"),
    ("windows1251", "WIN1251"),
    ("windows1252", "WIN1252"),
    ("windows1253", "WIN1253"),
    ("windows1254", "WIN1254"),
    ("windows1255", "WIN1255"),
    ("windows1256", "WIN1256"),
    ("windows1257", "WIN1257"),
    ("windows1258", "WIN1258"),
    ("windows866", "WIN866"),
    ("windows874", "WIN874"),
    ("win", "WIN1251"),
    ("abc", "WIN1258"),
];

fn normalize_encoding_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The canonical name of an encoding PostgreSQL knows (`utf-8` → `UTF8`), if any.
pub fn canonical_encoding_name(name: &str) -> Option<&'static str> {
    let norm = normalize_encoding_name(name);
    ENCODINGS
        .iter()
        .find(|e| normalize_encoding_name(e) == norm)
        .copied()
        .or_else(|| {
            ENCODING_ALIASES
                .iter()
                .find(|(alias, _)| *alias == norm)
                .map(|(_, e)| *e)
        })
}

/// client_encoding: tusk stores text as UTF-8 and converts nothing, so UTF8 and SQL_ASCII
/// (no conversion, as PostgreSQL does for SQL_ASCII clients) are accepted.
fn check_client_encoding(def: &GucDef, value: &str) -> Result<String> {
    match canonical_encoding_name(value) {
        Some(name @ ("UTF8" | "SQL_ASCII")) => Ok(name.to_string()),
        Some(name) => Err(
            Error::new(SqlState::FEATURE_NOT_SUPPORTED, invalid(def, value).message).detail(
                format!("Conversion between {name} and UTF8 is not supported."),
            ),
        ),
        None => Err(invalid(def, value)),
    }
}

/// A list of key words from `allowed` (any case), as log_destination and
/// restrict_nonsystem_relation_kind accept.
fn check_keyword_list(def: &GucDef, value: &str, allowed: &[&str]) -> Result<String> {
    let items = split_identifier_list(value, ',')
        .ok_or_else(|| invalid(def, value).detail("List syntax is invalid."))?;
    for item in &items {
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(item)) {
            return Err(invalid(def, value).detail(format!("Unrecognized key word: \"{item}\".")));
        }
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guc::def::lookup;

    fn check(name: &str, value: &str, current: Option<&str>) -> Result<String> {
        let def = lookup(name).expect("known");
        check_string(
            def,
            CheckInput {
                value,
                current,
                reset: Some("ISO, MDY"),
            },
        )
    }

    #[test]
    fn datestyle_canonicalises_and_keeps_unspecified_parts() {
        assert_eq!(
            check("DateStyle", "sql, dmy", None).expect("ok"),
            "SQL, DMY"
        );
        assert_eq!(
            check("DateStyle", "german", Some("SQL, MDY")).expect("ok"),
            "German, DMY"
        );
        assert_eq!(
            check("DateStyle", "european", Some("German, DMY")).expect("ok"),
            "German, DMY"
        );
        assert_eq!(
            check("DateStyle", "Postgres", Some("SQL, DMY")).expect("ok"),
            "Postgres, DMY"
        );
        assert_eq!(
            check("DateStyle", "US", Some("SQL, DMY")).expect("ok"),
            "SQL, MDY"
        );
        assert_eq!(
            check("DateStyle", "default", Some("SQL, DMY")).expect("ok"),
            "ISO, MDY"
        );
        let err = check("DateStyle", "foo", None).expect_err("bad");
        assert_eq!(
            err.message,
            "invalid value for parameter \"DateStyle\": \"foo\""
        );
        assert_eq!(
            err.detail.as_deref(),
            Some("Unrecognized key word: \"foo\".")
        );
        let err = check("DateStyle", "iso, sql", None).expect_err("conflict");
        assert_eq!(
            err.detail.as_deref(),
            Some("Conflicting \"datestyle\" specifications.")
        );
    }

    #[test]
    fn timezones_resolve_like_postgres() {
        assert_eq!(
            check("TimeZone", "america/new_york", None).expect("ok"),
            "America/New_York"
        );
        assert_eq!(check("TimeZone", "UTC", None).expect("ok"), "UTC");
        assert_eq!(check("TimeZone", "gmt", None).expect("ok"), "GMT");
        assert_eq!(check("TimeZone", "PST8PDT", None).expect("ok"), "PST8PDT");
        assert_eq!(check("TimeZone", "+05", None).expect("ok"), "<+05>-05");
        assert_eq!(check("TimeZone", "-7", None).expect("ok"), "<-07>+07");
        assert_eq!(
            check("TimeZone", "5.5", None).expect("ok"),
            "<+05:30>-05:30"
        );
        assert_eq!(
            check("TimeZone", "INTERVAL '+02:00'", None).expect("ok"),
            "<+02>-02"
        );
        let err = check("TimeZone", "Foo/Bar", None).expect_err("unknown zone");
        assert_eq!(
            err.message,
            "invalid value for parameter \"TimeZone\": \"Foo/Bar\""
        );
        assert_eq!(check("TimeZone", "167", None).expect("ok"), "<+167>-167");
        let err = check("TimeZone", "168", None).expect_err("out of range");
        assert_eq!(
            err.detail.as_deref(),
            Some("UTC timezone offset is out of range.")
        );
        assert_eq!(check("TimeZone", "xyz3", None).expect("ok"), "XYZ3");
        assert_eq!(check("TimeZone", "est", None).expect("ok"), "EST");
        assert!(check("log_timezone", "+05", None).is_err());
    }

    #[test]
    fn client_encoding_accepts_utf8_spellings_only() {
        for v in ["UTF8", "utf-8", "unicode", "Utf8"] {
            assert_eq!(check("client_encoding", v, None).expect("ok"), "UTF8");
        }
        assert_eq!(
            check("client_encoding", "sql_ascii", None).expect("ok"),
            "SQL_ASCII"
        );
        let err = check("client_encoding", "latin1", None).expect_err("unsupported");
        assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED);
        assert_eq!(
            err.message,
            "invalid value for parameter \"client_encoding\": \"latin1\""
        );
        assert_eq!(
            err.detail.as_deref(),
            Some("Conversion between LATIN1 and UTF8 is not supported.")
        );
        let err = check("client_encoding", "foo", None).expect_err("unknown");
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE);
    }

    #[test]
    fn identifier_lists_split_like_postgres() {
        assert_eq!(
            split_identifier_list("a, \"B c\",D", ',').expect("ok"),
            vec!["a", "B c", "d"]
        );
        assert_eq!(
            split_identifier_list("  ", ',').expect("ok"),
            Vec::<String>::new()
        );
        assert!(split_identifier_list("a,,b", ',').is_none());
        assert!(split_identifier_list("\"a", ',').is_none());
        assert!(split_identifier_list("a b", ',').is_none());
        let err = check("search_path", "a,,b", None).expect_err("bad list");
        assert_eq!(err.detail.as_deref(), Some("List syntax is invalid."));
    }

    #[test]
    fn keyword_lists_are_checked() {
        assert_eq!(
            check(
                "restrict_nonsystem_relation_kind",
                "view, foreign-table",
                None
            )
            .expect("ok"),
            "view, foreign-table"
        );
        let err = check("restrict_nonsystem_relation_kind", "table", None).expect_err("bad");
        assert_eq!(
            err.detail.as_deref(),
            Some("Unrecognized key word: \"table\".")
        );
        assert!(check("log_destination", "stderr,csvlog", None).is_ok());
    }

    #[test]
    fn application_name_is_cleaned() {
        assert_eq!(
            check("application_name", "café", None).expect("ok"),
            "caf??"
        );
    }
}
