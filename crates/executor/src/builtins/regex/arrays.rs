//! The regular expression functions that answer arrays: `regexp_match`,
//! `regexp_matches` (a set of arrays) and `regexp_split_to_array`.
//!
//! A match becomes the array of its parenthesized subexpressions (NULL for a group that
//! did not participate), or a one-element array of the whole match when the expression
//! has no groups, as PostgreSQL's `build_regexp_match_result` does.
//!
//! Entry point: [`register`].

use regex::Captures;
use tusk_types::adt::array::Array;
use tusk_types::{type_oid, Datum, Result};

use super::{compile, flags_without_global, matches, regexp_split_named, text, RegexFlags};
use crate::builtins::{Builtin, Table};

fn text_array(elems: Vec<Datum>) -> Datum {
    Datum::Array(Box::new(Array::from_elements(type_oid::TEXT, elems)))
}

/// The array for one match.
fn match_array(caps: &Captures<'_>) -> Datum {
    let groups: Vec<Datum> = if caps.len() > 1 {
        (1..caps.len())
            .map(|i| {
                caps.get(i)
                    .map_or(Datum::Null, |m| Datum::Text(m.as_str().to_string()))
            })
            .collect()
    } else {
        let whole = caps.get(0).expect("group 0 always participates");
        vec![Datum::Text(whole.as_str().to_string())]
    };
    text_array(groups)
}

/// `regexp_match(string, pattern[, flags])`: the first match's array, NULL without one.
///
/// Errors: 22023 for the `g` flag (with PostgreSQL's hint) and bad flags; 2201B for a bad
/// expression.
fn regexp_match(s: &str, pattern: &str, flags: &str) -> Result<Datum> {
    let f = flags_without_global(flags, "regexp_match")
        .map_err(|e| e.hint("Use the regexp_matches function instead."))?;
    let re = compile(pattern, &f)?;
    Ok(matches(&re, s, 0, false)
        .first()
        .map_or(Datum::Null, match_array))
}

/// `regexp_matches(string, pattern[, flags])`: one array per match (every match with `g`,
/// else at most one).
fn regexp_matches(s: &str, pattern: &str, flags: &str) -> Result<Vec<Datum>> {
    let f = RegexFlags::parse(flags)?;
    let re = compile(pattern, &f)?;
    Ok(matches(&re, s, 0, f.global)
        .iter()
        .map(match_array)
        .collect())
}

fn flags_arg(a: &[Datum]) -> Result<&str> {
    Ok(a.get(2).map(text).transpose()?.unwrap_or(""))
}

/// Registers the functions under their `prosrc` names.
pub(in crate::builtins) fn register(t: &mut Table) {
    for name in ["regexp_match", "regexp_match_no_flags"] {
        t.insert(
            name,
            Builtin::Scalar(|_, a| regexp_match(text(&a[0])?, text(&a[1])?, flags_arg(a)?)),
        );
    }
    for name in ["regexp_matches", "regexp_matches_no_flags"] {
        t.insert(
            name,
            Builtin::Set(|_, a| regexp_matches(text(&a[0])?, text(&a[1])?, flags_arg(a)?)),
        );
    }
    for name in ["regexp_split_to_array", "regexp_split_to_array_no_flags"] {
        t.insert(
            name,
            Builtin::Scalar(|_, a| {
                let pieces = regexp_split_named(
                    text(&a[0])?,
                    text(&a[1])?,
                    flags_arg(a)?,
                    "regexp_split_to_array",
                )?;
                Ok(text_array(pieces))
            }),
        );
    }
}
