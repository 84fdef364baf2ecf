//! Parameter values: parsing text into a typed [`GucValue`] with PostgreSQL 15's validation
//! and messages (`parse_and_validate_value` in guc.c), and printing values the two ways
//! PostgreSQL does: the raw `pg_settings.setting` (base unit, no unit suffix) and SHOW's text
//! (largest exact unit).
//!
//! Errors (all ERROR level; the caller may promote them to FATAL):
//! - 22023 `parameter "x" requires a Boolean value`
//! - 22023 `invalid value for parameter "x": "y"` (+ unit hint, `Available values: ...`)
//! - 22023 `N unit is outside the valid range for parameter "x" (min .. max)`
//!
//! Messages use the parameter name as the user typed it, except those raised by the
//! per-parameter checks in [`super::check`], which use the canonical name (as PostgreSQL).

use tusk_types::{pg_err, Result};

use super::check::{self, CheckInput};
use super::def::{GucDef, GucType};
use super::units::{self, format_g, NumberError};

/// A typed parameter value. Enum values hold their canonical (visible) name.
#[derive(Clone, Debug, PartialEq)]
pub enum GucValue {
    /// A boolean parameter.
    Bool(bool),
    /// An integer parameter, in its base unit.
    Int(i64),
    /// A real parameter, in its base unit.
    Real(f64),
    /// A string parameter (`None` for PostgreSQL's NULL boot value) or an enum's name.
    Str(Option<String>),
}

impl GucValue {
    /// The `pg_settings.setting` text: base-unit numbers, `on`/`off`, names; "" for NULL.
    pub fn setting_text(&self) -> String {
        match self {
            GucValue::Bool(b) => if *b { "on" } else { "off" }.to_string(),
            GucValue::Int(i) => i.to_string(),
            GucValue::Real(r) => format_g(*r),
            GucValue::Str(s) => s.clone().unwrap_or_default(),
        }
    }

    /// SHOW's text for this value of `def`: numbers with the largest exact unit.
    pub fn show_text(&self, def: &GucDef) -> String {
        match self {
            GucValue::Int(i) => units::show_int(*i, def.unit),
            GucValue::Real(r) => units::show_real(*r, def.unit),
            other => other.setting_text(),
        }
    }

    /// The value as an integer (booleans as 0/1, reals truncated; strings 0).
    pub fn as_int(&self) -> i64 {
        match self {
            GucValue::Bool(b) => *b as i64,
            GucValue::Int(i) => *i,
            GucValue::Real(r) => *r as i64,
            GucValue::Str(_) => 0,
        }
    }

    /// The value as a real.
    pub fn as_real(&self) -> f64 {
        match self {
            GucValue::Real(r) => *r,
            other => other.as_int() as f64,
        }
    }

    /// The value as a boolean (non-zero numbers are true; strings use boolean spelling).
    pub fn as_bool(&self) -> bool {
        match self {
            GucValue::Bool(b) => *b,
            GucValue::Str(Some(s)) => parse_bool(s).unwrap_or(false),
            other => other.as_int() != 0,
        }
    }
}

/// PostgreSQL's `parse_bool`: on/off/true/false/yes/no/1/0 and unique prefixes, any case.
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.to_ascii_lowercase();
    if t.is_empty() {
        return None;
    }
    let prefix_of = |word: &str, min: usize| t.len() >= min && word.starts_with(t.as_str());
    match t.as_bytes()[0] {
        b't' if prefix_of("true", 1) => Some(true),
        b'f' if prefix_of("false", 1) => Some(false),
        b'y' if prefix_of("yes", 1) => Some(true),
        b'n' if prefix_of("no", 1) => Some(false),
        b'o' if prefix_of("on", 2) => Some(true),
        b'o' if prefix_of("off", 2) => Some(false),
        b'1' if t.len() == 1 => Some(true),
        b'0' if t.len() == 1 => Some(false),
        _ => None,
    }
}

fn invalid_value(name: &str, text: &str) -> tusk_types::Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "invalid value for parameter \"{}\": \"{}\"",
        name,
        text
    )
}

/// The largest `max_stack_depth` accepted, in kB: an 8 MB stack less PostgreSQL's 512 kB
/// safety margin (backend threads get at least an 8 MB stack).
pub const MAX_STACK_DEPTH_LIMIT_KB: i64 = 7680;

/// The values that validation of a string parameter may depend on.
#[derive(Clone, Copy, Default)]
pub struct ParseContext<'a> {
    /// The parameter's current value (DateStyle keeps unspecified parts of it).
    pub current: Option<&'a str>,
    /// The parameter's reset value (DateStyle's `DEFAULT` keyword).
    pub reset: Option<&'a str>,
}

/// Parses and validates `text` for `def`. `given_name` is the name as the user wrote it.
pub fn parse_value(
    def: &GucDef,
    given_name: &str,
    text: &str,
    ctx: ParseContext<'_>,
) -> Result<GucValue> {
    match def.vartype {
        GucType::Bool => {
            let value = parse_bool(text).ok_or_else(|| {
                pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "parameter \"{}\" requires a Boolean value",
                    given_name
                )
            })?;
            if value && def.name == "default_with_oids" {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "tables declared WITH OIDS are not supported"
                ));
            }
            Ok(GucValue::Bool(value))
        }
        GucType::Integer => {
            let value = units::parse_int(text, def.unit).map_err(|e| {
                let err = invalid_value(given_name, text);
                match e {
                    NumberError::Invalid => err,
                    NumberError::Hint(hint) => err.hint(hint),
                }
            })?;
            let (min, max) = (
                def.min.unwrap_or(i32::MIN as f64) as i64,
                def.max.unwrap_or(i32::MAX as f64) as i64,
            );
            if value < min || value > max {
                let unit = def
                    .unit
                    .map(|u| format!(" {}", u.as_str()))
                    .unwrap_or_default();
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "{}{} is outside the valid range for parameter \"{}\" ({} .. {})",
                    value,
                    unit,
                    given_name,
                    min,
                    max
                ));
            }
            if def.name == "max_stack_depth" && value > MAX_STACK_DEPTH_LIMIT_KB {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"{}\": {}",
                    def.name,
                    value
                )
                .detail(format!(
                    "\"max_stack_depth\" must not exceed {MAX_STACK_DEPTH_LIMIT_KB}kB."
                ))
                .hint("Increase the platform's stack depth limit via \"ulimit -s\" or local equivalent."));
            }
            Ok(GucValue::Int(value))
        }
        GucType::Real => {
            let value = units::parse_real(text, def.unit).map_err(|e| {
                let err = invalid_value(given_name, text);
                match e {
                    NumberError::Invalid => err,
                    NumberError::Hint(hint) => err.hint(hint),
                }
            })?;
            let (min, max) = (def.min.unwrap_or(f64::MIN), def.max.unwrap_or(f64::MAX));
            if value < min || value > max {
                let unit = def
                    .unit
                    .map(|u| format!(" {}", u.as_str()))
                    .unwrap_or_default();
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "{}{} is outside the valid range for parameter \"{}\" ({} .. {})",
                    format_g(value),
                    unit,
                    given_name,
                    format_g(min),
                    format_g(max)
                ));
            }
            Ok(GucValue::Real(value))
        }
        GucType::Enum => def
            .enum_options
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(text))
            .map(|o| GucValue::Str(Some(o.canonical.to_string())))
            .ok_or_else(|| {
                invalid_value(given_name, text).hint(format!(
                    "Available values: {}.",
                    def.enum_values().join(", ")
                ))
            }),
        GucType::String => check::check_string(
            def,
            CheckInput {
                value: text,
                current: ctx.current,
                reset: ctx.reset,
            },
        )
        .map(|v| GucValue::Str(Some(v))),
    }
}

/// The typed boot value of `def` (tusk's, for report-only parameters).
pub fn boot_value(def: &GucDef) -> GucValue {
    let text = match def.boot_val {
        Some(t) => t,
        None => return GucValue::Str(None),
    };
    match def.vartype {
        GucType::Bool => GucValue::Bool(parse_bool(text).expect("boot bool parses")),
        GucType::Integer => GucValue::Int(text.parse().expect("boot integer parses")),
        GucType::Real => GucValue::Real(text.parse().expect("boot real parses")),
        GucType::Enum | GucType::String => GucValue::Str(Some(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guc::def::lookup;
    use tusk_types::SqlState;

    fn parse(name: &str, text: &str) -> Result<GucValue> {
        parse_value(
            lookup(name).expect("known"),
            name,
            text,
            ParseContext::default(),
        )
    }

    #[test]
    fn booleans_accept_postgres_spellings() {
        for t in ["on", "ON", "true", "t", "tr", "yes", "y", "1"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["off", "OF", "false", "f", "no", "n", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "maybe", "2", "", "onn", "10"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
        let err = parse("enable_seqscan", "maybe").expect_err("not boolean");
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE);
        assert_eq!(
            err.message,
            "parameter \"enable_seqscan\" requires a Boolean value"
        );
    }

    #[test]
    fn integer_errors_match_postgres() {
        let err = parse("work_mem", "abc").expect_err("not a number");
        assert_eq!(
            err.message,
            "invalid value for parameter \"work_mem\": \"abc\""
        );
        assert_eq!(err.hint, None);
        let err = parse("work_mem", "-1").expect_err("below min");
        assert_eq!(
            err.message,
            "-1 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)"
        );
        let err = parse("work_mem", "10 XB").expect_err("bad unit");
        assert_eq!(
            err.hint.as_deref(),
            Some("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".")
        );
        let err = parse("max_connections", "0").expect_err("below min");
        assert_eq!(
            err.message,
            "0 is outside the valid range for parameter \"max_connections\" (1 .. 262143)"
        );
        assert_eq!(parse("work_mem", "1.5MB").expect("ok"), GucValue::Int(1536));
        let err = parse("max_stack_depth", "100MB").expect_err("too deep");
        assert_eq!(
            err.message,
            "invalid value for parameter \"max_stack_depth\": 102400"
        );
        assert_eq!(
            err.detail.as_deref(),
            Some("\"max_stack_depth\" must not exceed 7680kB.")
        );
        assert_eq!(
            parse("max_stack_depth", "7680kB").expect("ok"),
            GucValue::Int(7680)
        );
    }

    #[test]
    fn real_errors_match_postgres() {
        let err = parse("seq_page_cost", "-1").expect_err("below min");
        assert_eq!(
            err.message,
            "-1 is outside the valid range for parameter \"seq_page_cost\" (0 .. 1.79769e+308)"
        );
        let err = parse("vacuum_cost_delay", "1s").expect_err("above max");
        assert_eq!(
            err.message,
            "1000 ms is outside the valid range for parameter \"vacuum_cost_delay\" (0 .. 100)"
        );
    }

    #[test]
    fn enums_match_case_insensitively_and_hint_visible_values() {
        assert_eq!(
            parse("synchronous_commit", "TRUE").expect("hidden spelling"),
            GucValue::Str(Some("on".into()))
        );
        assert_eq!(
            parse("wal_compression", "on").expect("hidden spelling"),
            GucValue::Str(Some("pglz".into()))
        );
        let err = parse("intervalstyle", "foo").expect_err("bad enum");
        assert_eq!(
            err.message,
            "invalid value for parameter \"intervalstyle\": \"foo\""
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("Available values: postgres, postgres_verbose, sql_standard, iso_8601.")
        );
    }
}
