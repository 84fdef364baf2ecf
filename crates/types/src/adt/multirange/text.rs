//! The text form of multiranges (PostgreSQL's `multirange_in` / `multirange_out`):
//! `{` then range literals or `empty` separated by commas, then `}`; white space is
//! allowed around every token. Each range's text goes to the range type's input function
//! as soon as its closing bracket is found, so a bad range is reported before later
//! syntax errors, as PostgreSQL does.

use super::Multirange;
use crate::adt::is_pg_space;
use crate::adt::range::Range;
use crate::{pg_err, Error, Result};

fn malformed(input: &str, detail: &str) -> Error {
    pg_err!(
        INVALID_TEXT_REPRESENTATION,
        "malformed multirange literal: \"{}\"",
        input
    )
    .detail(detail)
}

/// Where the scanner is, between the braces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeforeRange,
    InRange,
    InRangeEscaped,
    InRangeQuoted,
    InRangeQuotedEscaped,
    AfterRange,
}

/// Parses a multirange literal, each range through `range_in`, into its canonical form.
///
/// Errors: 22P02 `malformed multirange literal: "..."` with PostgreSQL's detail (`Missing
/// left brace.`, `Expected range start.`, `Expected comma or end of multirange.`,
/// `Unexpected end of input.`, `Junk after closing right brace.`), and `range_in`'s.
pub fn parse_multirange(
    input: &str,
    mut range_in: impl FnMut(&str) -> Result<Range>,
) -> Result<Multirange> {
    let s = input.as_bytes();
    let mut at = 0;
    while at < s.len() && is_pg_space(s[at]) {
        at += 1;
    }
    if s.get(at) != Some(&b'{') {
        return Err(malformed(input, "Missing left brace."));
    }
    at += 1;
    let mut ranges = Vec::new();
    let mut seen = 0usize;
    let mut range_start = 0;
    let mut state = State::BeforeRange;
    loop {
        let Some(&ch) = s.get(at) else {
            return Err(malformed(input, "Unexpected end of input."));
        };
        at += 1;
        if is_pg_space(ch) {
            continue;
        }
        match state {
            State::BeforeRange => {
                if ch == b'[' || ch == b'(' {
                    range_start = at - 1;
                    state = State::InRange;
                } else if ch == b'}' && seen == 0 {
                    break;
                } else if s.len() >= at + 4 && s[at - 1..at + 4].eq_ignore_ascii_case(b"empty") {
                    seen += 1;
                    at += 4;
                    state = State::AfterRange;
                } else {
                    return Err(malformed(input, "Expected range start."));
                }
            }
            State::InRange => match ch {
                b']' | b')' => {
                    seen += 1;
                    let range = range_in(&input[range_start..at])?;
                    if !range.is_empty() {
                        ranges.push(range);
                    }
                    state = State::AfterRange;
                }
                b'"' => state = State::InRangeQuoted,
                b'\\' => state = State::InRangeEscaped,
                _ => {}
            },
            State::InRangeEscaped => state = State::InRange,
            State::InRangeQuoted => match ch {
                b'"' if s.get(at) == Some(&b'"') => at += 1,
                b'"' => state = State::InRange,
                b'\\' => state = State::InRangeQuotedEscaped,
                _ => {}
            },
            State::InRangeQuotedEscaped => state = State::InRangeQuoted,
            State::AfterRange => match ch {
                b',' => state = State::BeforeRange,
                b'}' => break,
                _ => return Err(malformed(input, "Expected comma or end of multirange.")),
            },
        }
    }
    while at < s.len() && is_pg_space(s[at]) {
        at += 1;
    }
    if at != s.len() {
        return Err(malformed(input, "Junk after closing right brace."));
    }
    Multirange::new(ranges)
}

/// `multirange_out`: `{` and each range's text (from `range_out`) joined by commas, `}`.
pub fn format_multirange(
    value: &Multirange,
    mut range_out: impl FnMut(&Range) -> Result<String>,
) -> Result<String> {
    let mut out = String::from("{");
    for (i, r) in value.ranges().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&range_out(r)?);
    }
    out.push('}');
    Ok(out)
}
