//! The text form of ranges (PostgreSQL's `range_parse` and `range_bound_escape`):
//! `empty`, or `[` / `(`, an optional lower bound, `,`, an optional upper bound, `]` / `)`.
//! A bound may be double-quoted (`""` inside quotes is a quote) and any character may be
//! backslash-escaped; an omitted bound is infinite.
//!
//! The bounds stay text here: the caller runs them through the subtype's input function
//! (which needs session settings such as `DateStyle`).

use std::borrow::Cow;

use crate::adt::is_pg_space;
use crate::{pg_err, Error, Result};

/// A parsed range literal, bounds still as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RangeText {
    /// `empty`.
    Empty,
    /// Two bounds; `None` is an infinite (omitted) bound.
    Bounds {
        /// Lower bound text.
        lower: Option<String>,
        /// Upper bound text.
        upper: Option<String>,
        /// `[` rather than `(`.
        lower_inclusive: bool,
        /// `]` rather than `)`.
        upper_inclusive: bool,
    },
}

fn malformed(input: &str, detail: &str) -> Error {
    pg_err!(
        INVALID_TEXT_REPRESENTATION,
        "malformed range literal: \"{}\"",
        input
    )
    .detail(detail)
}

fn skip_spaces(s: &[u8], mut at: usize) -> usize {
    while at < s.len() && is_pg_space(s[at]) {
        at += 1;
    }
    at
}

/// Parses a range literal (`range_parse`).
///
/// Errors: 22P02 `malformed range literal: "..."` with PostgreSQL's detail (`Missing left
/// parenthesis or bracket.`, `Missing comma after lower bound.`, `Too many commas.`,
/// `Junk after right parenthesis or bracket.`, `Junk after "empty" key word.`,
/// `Unexpected end of input.`).
pub fn parse_range(input: &str) -> Result<RangeText> {
    let s = input.as_bytes();
    let mut at = skip_spaces(s, 0);
    if s.len() >= at + 5 && s[at..at + 5].eq_ignore_ascii_case(b"empty") {
        at = skip_spaces(s, at + 5);
        if at != s.len() {
            return Err(malformed(input, "Junk after \"empty\" key word."));
        }
        return Ok(RangeText::Empty);
    }
    let lower_inclusive = match s.get(at) {
        Some(b'[') => true,
        Some(b'(') => false,
        _ => return Err(malformed(input, "Missing left parenthesis or bracket.")),
    };
    at += 1;
    let (lower, next) = parse_bound(input, at)?;
    at = next;
    if s.get(at) != Some(&b',') {
        return Err(malformed(input, "Missing comma after lower bound."));
    }
    let (upper, next) = parse_bound(input, at + 1)?;
    at = next;
    let upper_inclusive = match s.get(at) {
        Some(b']') => true,
        Some(b')') => false,
        _ => return Err(malformed(input, "Too many commas.")),
    };
    if skip_spaces(s, at + 1) != s.len() {
        return Err(malformed(input, "Junk after right parenthesis or bracket."));
    }
    Ok(RangeText::Bounds {
        lower,
        upper,
        lower_inclusive,
        upper_inclusive,
    })
}

/// One bound starting at byte `at` (`range_parse_bound`): its text (`None` when empty,
/// meaning infinite) and the offset of the delimiter that ended it.
fn parse_bound(input: &str, mut at: usize) -> Result<(Option<String>, usize)> {
    let s = input.as_bytes();
    let is_delimiter = |b: Option<&u8>| matches!(b, Some(b',' | b')' | b']'));
    if is_delimiter(s.get(at)) {
        return Ok((None, at));
    }
    let mut out = Vec::new();
    let mut in_quote = false;
    while in_quote || !is_delimiter(s.get(at)) {
        let Some(&ch) = s.get(at) else {
            return Err(malformed(input, "Unexpected end of input."));
        };
        at += 1;
        match ch {
            b'\\' => {
                let Some(&next) = s.get(at) else {
                    return Err(malformed(input, "Unexpected end of input."));
                };
                out.push(next);
                at += 1;
            }
            b'"' if !in_quote => in_quote = true,
            b'"' if s.get(at) == Some(&b'"') => {
                out.push(b'"');
                at += 1;
            }
            b'"' => in_quote = false,
            other => out.push(other),
        }
    }
    // Only ASCII bytes were dropped or split on, so the bytes are still UTF-8.
    let text = String::from_utf8(out).expect("bound text is a UTF-8 subsequence");
    Ok((Some(text), at))
}

/// A bound's text as `range_out` writes it (`range_bound_escape`): double-quoted, with
/// `"` and `\` doubled, when empty or holding `"`, `\`, `(`, `)`, `[`, `]`, `,` or white
/// space.
pub fn quote_bound(text: &str) -> Cow<'_, str> {
    let needs_quotes = text.is_empty()
        || text.bytes().any(|b| {
            matches!(b, b'"' | b'\\' | b'(' | b')' | b'[' | b']' | b',') || is_pg_space(b)
        });
    if !needs_quotes {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        if ch == '"' || ch == '\\' {
            out.push(ch);
        }
        out.push(ch);
    }
    out.push('"');
    Cow::Owned(out)
}
