//! The SQL/JSON path functions and operators (PostgreSQL docs §9.16.2, table 9.49):
//! `jsonb_path_exists`, `jsonb_path_match`, `jsonb_path_query` (a set),
//! `jsonb_path_query_array`, `jsonb_path_query_first`, their `_tz` twins, and the
//! operators `@?` (exists) and `@@` (match), which run silently.
//!
//! A `jsonpath` datum is its canonical text (`tusk_types::adt::jsonpath`); each call
//! parses it again and evaluates it with `exec`. `like_regex` runs through the regular
//! expression engine of `builtins/regex` with XQuery's flags mapped onto PostgreSQL's.
//!
//! Entry points: `register` (called from `builtins/mod.rs`), [`check_jsonpath_regex`]
//! (for `jsonpath` input).

mod datetime;
mod exec;

use tusk_types::adt::json::JsonValue;
use tusk_types::adt::jsonpath::{self, JsonPath, RegexFlags as PathFlags};
use tusk_types::{pg_err, Datum, Result};

use super::json::{jsonb_arg, jsonb_datum};
use super::regex::{check_regex, regex_is_match, RegexFlags};
use super::{reg, Builtin, Table};
use exec::{execute, Exec, JVal, SessionZone};
use tusk_types::adt::datetime::TimeZone;

/// PostgreSQL's reading of `like_regex` flags (`jspConvertRegexFlags`).
///
/// Errors: 0A000 for `x`, which PostgreSQL does not implement.
fn are_flags(flags: PathFlags) -> Result<RegexFlags> {
    if flags.quote {
        return Ok(RegexFlags {
            case_insensitive: flags.icase,
            literal: true,
            ..RegexFlags::default()
        });
    }
    if flags.wspace {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "XQuery \"x\" flag (expanded regular expressions) is not implemented"
        ));
    }
    Ok(RegexFlags {
        case_insensitive: flags.icase,
        newline_stops_dot: !flags.dotall,
        newline_anchors: flags.multiline,
        ..RegexFlags::default()
    })
}

/// Validates a `like_regex` pattern while reading a `jsonpath`.
///
/// Errors: 2201B for an invalid pattern; 0A000 for the `x` flag.
pub(crate) fn check_jsonpath_regex(pattern: &str, flags: PathFlags) -> Result<()> {
    check_regex(pattern, &are_flags(flags)?)
}

fn like_regex(pattern: &str, flags: PathFlags, hay: &str) -> Result<bool> {
    regex_is_match(pattern, &are_flags(flags)?, hay)
}

fn path_arg(d: &Datum) -> Result<JsonPath> {
    match d {
        Datum::Text(s) => jsonpath::parse(s, &check_jsonpath_regex),
        _ => Err(tusk_types::Error::internal("jsonpath argument is not text")),
    }
}

/// The arguments of every path function: target, path, vars (`{}` by default), silent.
struct Call {
    target: JsonValue,
    path: JsonPath,
    vars: Option<JsonValue>,
    silent: bool,
}

fn call(a: &[Datum], silent_default: bool) -> Result<Call> {
    let vars = match a.get(2) {
        Some(d @ Datum::Text(_)) => Some(jsonb_arg(d)?),
        _ => None,
    };
    let silent = match a.get(3) {
        Some(Datum::Bool(b)) => *b,
        _ => silent_default,
    };
    Ok(Call {
        target: jsonb_arg(&a[0])?,
        path: path_arg(&a[1])?,
        vars,
        silent,
    })
}

fn run(zone: &TimeZone, c: &Call, use_tz: bool, found: Option<&mut Vec<JVal>>) -> Result<Exec> {
    execute(
        &c.path,
        &c.target,
        c.vars.as_ref(),
        !c.silent,
        found,
        &like_regex,
        SessionZone {
            zone,
            usable: use_tz,
        },
    )
}

/// `jsonb_path_exists`: NULL when the path fails silently.
fn path_exists(zone: &TimeZone, a: &[Datum], silent: bool, use_tz: bool) -> Result<Datum> {
    let c = call(a, silent)?;
    Ok(match run(zone, &c, use_tz, None)? {
        Exec::Ok => Datum::Bool(true),
        Exec::NotFound => Datum::Bool(false),
        Exec::Error => Datum::Null,
    })
}

/// `jsonb_path_match`: the single boolean (or null) result.
///
/// Errors: 22038 `single boolean result is expected` unless silent.
fn path_match(zone: &TimeZone, a: &[Datum], silent: bool, use_tz: bool) -> Result<Datum> {
    let c = call(a, silent)?;
    let mut found = Vec::new();
    run(zone, &c, use_tz, Some(&mut found))?;
    if let [one] = found.as_slice() {
        match &one.v {
            JsonValue::Bool(b) => return Ok(Datum::Bool(*b)),
            JsonValue::Null => return Ok(Datum::Null),
            _ => {}
        }
    }
    if !c.silent {
        return Err(pg_err!(
            SINGLETON_SQL_JSON_ITEM_REQUIRED,
            "single boolean result is expected"
        ));
    }
    Ok(Datum::Null)
}

fn path_query(zone: &TimeZone, a: &[Datum], use_tz: bool) -> Result<Vec<JsonValue>> {
    let c = call(a, false)?;
    let mut found = Vec::new();
    run(zone, &c, use_tz, Some(&mut found))?;
    Ok(found.into_iter().map(|v| v.v).collect())
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["jsonb_path_exists"], |ctx, a| {
        path_exists(&ctx.output.time_zone, a, false, false)
    });
    reg(t, &["jsonb_path_exists_tz"], |ctx, a| {
        path_exists(&ctx.output.time_zone, a, false, true)
    });
    reg(t, &["jsonb_path_exists_opr"], |ctx, a| {
        path_exists(&ctx.output.time_zone, a, true, false)
    });
    reg(t, &["jsonb_path_match"], |ctx, a| {
        path_match(&ctx.output.time_zone, a, false, false)
    });
    reg(t, &["jsonb_path_match_tz"], |ctx, a| {
        path_match(&ctx.output.time_zone, a, false, true)
    });
    reg(t, &["jsonb_path_match_opr"], |ctx, a| {
        path_match(&ctx.output.time_zone, a, true, false)
    });
    reg(t, &["jsonb_path_query_array"], |ctx, a| {
        Ok(jsonb_datum(&JsonValue::Array(path_query(
            &ctx.output.time_zone,
            a,
            false,
        )?)))
    });
    reg(t, &["jsonb_path_query_array_tz"], |ctx, a| {
        Ok(jsonb_datum(&JsonValue::Array(path_query(
            &ctx.output.time_zone,
            a,
            true,
        )?)))
    });
    reg(t, &["jsonb_path_query_first"], |ctx, a| {
        Ok(first(path_query(&ctx.output.time_zone, a, false)?))
    });
    reg(t, &["jsonb_path_query_first_tz"], |ctx, a| {
        Ok(first(path_query(&ctx.output.time_zone, a, true)?))
    });
    t.insert(
        "jsonb_path_query",
        Builtin::Set(|ctx, a| {
            Ok(path_query(&ctx.output.time_zone, a, false)?
                .iter()
                .map(jsonb_datum)
                .collect())
        }),
    );
    t.insert(
        "jsonb_path_query_tz",
        Builtin::Set(|ctx, a| {
            Ok(path_query(&ctx.output.time_zone, a, true)?
                .iter()
                .map(jsonb_datum)
                .collect())
        }),
    );
}

fn first(vals: Vec<JsonValue>) -> Datum {
    vals.into_iter()
        .next()
        .map_or(Datum::Null, |v| jsonb_datum(&v))
}

#[cfg(test)]
mod tests;
