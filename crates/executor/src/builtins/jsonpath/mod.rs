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

mod exec;

use tusk_types::adt::json::JsonValue;
use tusk_types::adt::jsonpath::{self, JsonPath, RegexFlags as PathFlags};
use tusk_types::{pg_err, Datum, Result};

use super::json::{jsonb_arg, jsonb_datum};
use super::regex::{check_regex, regex_is_match, RegexFlags};
use super::{reg, Builtin, Table};
use exec::{execute, Exec, JVal};

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

fn run(c: &Call, found: Option<&mut Vec<JVal>>) -> Result<Exec> {
    execute(
        &c.path,
        &c.target,
        c.vars.as_ref(),
        !c.silent,
        found,
        &like_regex,
    )
}

/// `jsonb_path_exists`: NULL when the path fails silently.
fn path_exists(a: &[Datum], silent: bool) -> Result<Datum> {
    let c = call(a, silent)?;
    Ok(match run(&c, None)? {
        Exec::Ok => Datum::Bool(true),
        Exec::NotFound => Datum::Bool(false),
        Exec::Error => Datum::Null,
    })
}

/// `jsonb_path_match`: the single boolean (or null) result.
///
/// Errors: 22038 `single boolean result is expected` unless silent.
fn path_match(a: &[Datum], silent: bool) -> Result<Datum> {
    let c = call(a, silent)?;
    let mut found = Vec::new();
    run(&c, Some(&mut found))?;
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

fn path_query(a: &[Datum]) -> Result<Vec<JsonValue>> {
    let c = call(a, false)?;
    let mut found = Vec::new();
    run(&c, Some(&mut found))?;
    Ok(found.into_iter().map(|v| v.v).collect())
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["jsonb_path_exists", "jsonb_path_exists_tz"], |_, a| {
        path_exists(a, false)
    });
    reg(t, &["jsonb_path_exists_opr"], |_, a| path_exists(a, true));
    reg(t, &["jsonb_path_match", "jsonb_path_match_tz"], |_, a| {
        path_match(a, false)
    });
    reg(t, &["jsonb_path_match_opr"], |_, a| path_match(a, true));
    reg(
        t,
        &["jsonb_path_query_array", "jsonb_path_query_array_tz"],
        |_, a| Ok(jsonb_datum(&JsonValue::Array(path_query(a)?))),
    );
    reg(
        t,
        &["jsonb_path_query_first", "jsonb_path_query_first_tz"],
        |_, a| {
            Ok(path_query(a)?
                .into_iter()
                .next()
                .map_or(Datum::Null, |v| jsonb_datum(&v)))
        },
    );
    for name in ["jsonb_path_query", "jsonb_path_query_tz"] {
        t.insert(
            name,
            Builtin::Set(|_, a| Ok(path_query(a)?.iter().map(jsonb_datum).collect())),
        );
    }
}

#[cfg(test)]
mod tests;
