//! The text form of arrays (`array_in` / `array_out`, PostgreSQL docs §8.15.6).
//!
//! ```text
//!   [lower:upper][...]={{elem,elem},{elem,"quoted elem"},{NULL,\"escaped}}
//! ```
//!
//! Parsing is in two passes, as PostgreSQL 15 does it: the first checks the brace
//! structure with a state machine (each state names what may follow, and a character that
//! may not gives the `malformed array literal` DETAIL PostgreSQL gives) and counts
//! dimensions; the second splits the elements, removing quotes and backslashes and
//! trimming unquoted whitespace, and places each by its brace position. An unquoted
//! `NULL` (any case) is a NULL element. Element strings go through the element type's
//! input function in the caller, which knows the types.
//!
//! Output quotes an element that is empty, reads `NULL`, or holds a brace, a quote, a
//! backslash, the delimiter or whitespace; a lower bound other than 1 in any dimension
//! adds the `[lower:upper]...=` decoration.
//!
//! Entry points: [`parse_array_literal`], [`format_array`].

use super::{element_count, too_many_dimensions, Array, ArrayDim, MAXDIM};
use crate::adt::is_pg_space;
use crate::{pg_err, Datum, Error, Result};

/// An array literal split into its shape and its element strings.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedArray {
    /// Dimensions (empty for `{}`).
    pub dims: Vec<ArrayDim>,
    /// Element strings in row-major order, `None` for NULL.
    pub items: Vec<Option<String>>,
}

fn malformed(input: &str, detail: impl Into<String>) -> Error {
    pg_err!(
        INVALID_TEXT_REPRESENTATION,
        "malformed array literal: \"{}\"",
        input
    )
    .detail(detail)
}

/// What the brace-structure pass has just seen (PostgreSQL's `ArrayParseState`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    NoLevel,
    LevelStarted,
    ElemStarted,
    QuotedElemStarted,
    QuotedElemCompleted,
    ElemDelimited,
    LevelCompleted,
    LevelDelimited,
}

/// Splits an array literal (`'{1,2}'`, `'[0:1]={a,b}'`) into its shape and element
/// strings, with `delim` between elements (`pg_type.typdelim`: `,` except `;` for box).
///
/// Errors: 22P02 `malformed array literal: "..."` with PostgreSQL 15's DETAIL lines;
/// 2202E `upper bound cannot be less than lower bound`; 54000 for more than six
/// dimensions or too many elements.
pub fn parse_array_literal(input: &str, delim: u8) -> Result<ParsedArray> {
    let bytes = input.as_bytes();
    let mut p = 0;
    let mut explicit: Vec<ArrayDim> = Vec::new();
    loop {
        while p < bytes.len() && is_pg_space(bytes[p]) {
            p += 1;
        }
        if bytes.get(p) != Some(&b'[') {
            break;
        }
        p += 1;
        if explicit.len() >= MAXDIM {
            return Err(too_many_dimensions(explicit.len() + 1));
        }
        let number = |from: usize| {
            let mut q = from;
            while q < bytes.len() && (bytes[q].is_ascii_digit() || matches!(bytes[q], b'-' | b'+'))
            {
                q += 1;
            }
            q
        };
        let mut q = number(p);
        if q == p {
            return Err(malformed(
                input,
                "\"[\" must introduce explicitly-specified array dimensions.",
            ));
        }
        let lower = if bytes.get(q) == Some(&b':') {
            let lower = atoi(&input[p..q]);
            p = q + 1;
            q = number(p);
            if q == p {
                return Err(malformed(input, "Missing array dimension value."));
            }
            lower
        } else {
            1
        };
        if bytes.get(q) != Some(&b']') {
            return Err(malformed(input, "Missing \"]\" after array dimensions."));
        }
        let upper = atoi(&input[p..q]);
        p = q + 1;
        if upper < lower {
            return Err(pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "upper bound cannot be less than lower bound"
            ));
        }
        explicit.push(ArrayDim {
            len: (upper as i64 - lower as i64 + 1).min(i32::MAX as i64) as i32,
            lower,
        });
    }
    let counted = if explicit.is_empty() {
        if bytes.get(p) != Some(&b'{') {
            return Err(malformed(
                input,
                "Array value must start with \"{\" or dimension information.",
            ));
        }
        count_dimensions(input, p, delim)?
    } else {
        if bytes.get(p) != Some(&b'=') {
            return Err(malformed(input, "Missing \"=\" after array dimensions."));
        }
        p += 1;
        while p < bytes.len() && is_pg_space(bytes[p]) {
            p += 1;
        }
        if bytes.get(p) != Some(&b'{') {
            return Err(malformed(input, "Array contents must start with \"{\"."));
        }
        let counted = count_dimensions(input, p, delim)?;
        if counted.len() != explicit.len()
            || counted
                .iter()
                .zip(&explicit)
                .any(|(c, e)| *c as i64 != e.len as i64)
        {
            return Err(malformed(
                input,
                "Specified array dimensions do not match array contents.",
            ));
        }
        counted
    };
    if counted.is_empty() || counted.contains(&0) {
        return Ok(ParsedArray {
            dims: Vec::new(),
            items: Vec::new(),
        });
    }
    let dims: Vec<ArrayDim> = if explicit.is_empty() {
        counted
            .iter()
            .map(|n| ArrayDim {
                len: *n as i32,
                lower: 1,
            })
            .collect()
    } else {
        explicit
    };
    let n = element_count(&dims)?;
    super::check_bounds(&dims)?;
    let items = read_elements(input, p, delim, &dims, n)?;
    Ok(ParsedArray { dims, items })
}

/// C's `atoi` over a run of digits and signs: the leading number, 0 if none.
fn atoi(s: &str) -> i32 {
    let b = s.as_bytes();
    let (neg, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut v: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = (v * 10 + (b[i] - b'0') as i64).min(i64::from(u32::MAX) + 1);
        i += 1;
    }
    (if neg { -v } else { v }) as i32
}

/// The first pass (PostgreSQL 15's `ArrayCount`): validates the brace structure from
/// `start` (a `{`; errors quote the literal from there) and returns the dimension lengths (empty for `{}`), counted the way
/// PostgreSQL 15 counts them.
fn count_dimensions(input: &str, start: usize, delim: u8) -> Result<Vec<usize>> {
    // PostgreSQL names the literal from its first brace on in these errors.
    let input = &input[start..];
    let start = 0;
    let bytes = input.as_bytes();
    let unexpected = |c: u8| malformed(input, format!("Unexpected \"{}\" character.", c as char));
    let mut nest = 0usize;
    let mut ndim = 1usize;
    let mut temp = [0usize; MAXDIM];
    let mut nelems = [1usize; MAXDIM];
    let mut nelems_last = [0usize; MAXDIM];
    let mut in_quotes = false;
    let mut empty = true;
    let mut state = State::NoLevel;
    let mut p = start;
    let mut end_of_array = false;
    while !end_of_array {
        let mut item_done = false;
        while !item_done {
            if matches!(state, State::ElemStarted | State::QuotedElemStarted) {
                empty = false;
            }
            let Some(&c) = bytes.get(p) else {
                return Err(malformed(input, "Unexpected end of input."));
            };
            match c {
                b'\\' => {
                    if !matches!(
                        state,
                        State::LevelStarted
                            | State::ElemStarted
                            | State::QuotedElemStarted
                            | State::ElemDelimited
                    ) {
                        return Err(unexpected(b'\\'));
                    }
                    if state != State::QuotedElemStarted {
                        state = State::ElemStarted;
                    }
                    if p + 1 < bytes.len() {
                        p += 1;
                    } else {
                        return Err(malformed(input, "Unexpected end of input."));
                    }
                }
                b'"' => {
                    if !matches!(
                        state,
                        State::LevelStarted | State::QuotedElemStarted | State::ElemDelimited
                    ) {
                        return Err(malformed(input, "Unexpected array element."));
                    }
                    in_quotes = !in_quotes;
                    state = if in_quotes {
                        State::QuotedElemStarted
                    } else {
                        State::QuotedElemCompleted
                    };
                }
                b'{' if !in_quotes => {
                    if !matches!(
                        state,
                        State::NoLevel | State::LevelStarted | State::LevelDelimited
                    ) {
                        return Err(unexpected(b'{'));
                    }
                    state = State::LevelStarted;
                    if nest >= MAXDIM {
                        return Err(too_many_dimensions(nest + 1));
                    }
                    temp[nest] = 0;
                    nest += 1;
                    ndim = ndim.max(nest);
                }
                b'}' if !in_quotes => {
                    let closes_empty_outer = nest == 1 && state == State::LevelStarted;
                    let closes_content = matches!(
                        state,
                        State::ElemStarted | State::QuotedElemCompleted | State::LevelCompleted
                    );
                    if !closes_content && !closes_empty_outer {
                        return Err(unexpected(b'}'));
                    }
                    state = State::LevelCompleted;
                    if nest == 0 {
                        return Err(malformed(input, "Unmatched \"}\" character."));
                    }
                    nest -= 1;
                    if nelems_last[nest] != 0 && nelems[nest] != nelems_last[nest] {
                        return Err(malformed(
                            input,
                            "Multidimensional arrays must have sub-arrays with matching dimensions.",
                        ));
                    }
                    nelems_last[nest] = nelems[nest];
                    nelems[nest] = 1;
                    if nest == 0 {
                        end_of_array = true;
                        item_done = true;
                    } else {
                        temp[nest - 1] += 1;
                    }
                }
                _ if !in_quotes => {
                    if c == delim {
                        if !matches!(
                            state,
                            State::ElemStarted | State::QuotedElemCompleted | State::LevelCompleted
                        ) {
                            return Err(unexpected(delim));
                        }
                        state = if state == State::LevelCompleted {
                            State::LevelDelimited
                        } else {
                            State::ElemDelimited
                        };
                        item_done = true;
                        nelems[nest - 1] += 1;
                    } else if !is_pg_space(c) {
                        if !matches!(
                            state,
                            State::LevelStarted | State::ElemStarted | State::ElemDelimited
                        ) {
                            return Err(malformed(input, "Unexpected array element."));
                        }
                        state = State::ElemStarted;
                    }
                }
                _ => {}
            }
            if !item_done {
                p += 1;
            }
        }
        temp[ndim - 1] += 1;
        p += 1;
    }
    if bytes[p.min(bytes.len())..].iter().any(|b| !is_pg_space(*b)) {
        return Err(malformed(input, "Junk after closing right brace."));
    }
    if empty {
        return Ok(Vec::new());
    }
    Ok(temp[..ndim].to_vec())
}

/// The second pass (PostgreSQL's `ReadArrayStr`): the element strings, each placed by
/// the subscripts its braces give it.
fn read_elements(
    input: &str,
    start: usize,
    delim: u8,
    dims: &[ArrayDim],
    n: usize,
) -> Result<Vec<Option<String>>> {
    let input = &input[start..];
    let start = 0;
    let bytes = input.as_bytes();
    let ndim = dims.len();
    let mismatch = || {
        malformed(
            input,
            "Multidimensional arrays must have sub-arrays with matching dimensions.",
        )
    };
    let offset = |indx: &[usize]| -> Option<usize> {
        let mut off = 0usize;
        for (i, d) in dims.iter().enumerate() {
            if indx[i] >= d.len as usize {
                return None;
            }
            off = off * d.len as usize + indx[i];
        }
        Some(off)
    };
    let mut items: Vec<Option<String>> = vec![None; n];
    let mut indx = [0usize; MAXDIM];
    let mut nest = 0usize;
    let mut p = start;
    let mut in_quotes = false;
    let mut end_of_array = false;
    while !end_of_array {
        let mut item: Vec<u8> = Vec::new();
        let mut end_len = 0usize;
        let mut leading_space = true;
        let mut quoted = false;
        let mut position: Option<Option<usize>> = None;
        let mut item_done = false;
        while !item_done {
            let Some(&c) = bytes.get(p) else {
                return Err(malformed(input, "Unexpected end of input."));
            };
            match c {
                b'\\' => {
                    p += 1;
                    let Some(&next) = bytes.get(p) else {
                        return Err(malformed(input, "Unexpected end of input."));
                    };
                    item.push(next);
                    end_len = item.len();
                    quoted = true;
                    leading_space = false;
                    p += 1;
                }
                b'"' => {
                    in_quotes = !in_quotes;
                    if in_quotes {
                        leading_space = false;
                    } else {
                        end_len = item.len();
                    }
                    quoted = true;
                    p += 1;
                }
                b'{' if !in_quotes => {
                    if nest >= ndim {
                        return Err(mismatch());
                    }
                    nest += 1;
                    indx[nest - 1] = 0;
                    p += 1;
                }
                b'}' if !in_quotes => {
                    if nest == 0 {
                        return Err(mismatch());
                    }
                    if position.is_none() {
                        position = Some(offset(&indx[..ndim]));
                    }
                    indx[nest - 1] = 0;
                    nest -= 1;
                    if nest == 0 {
                        end_of_array = true;
                        item_done = true;
                    } else {
                        indx[nest - 1] += 1;
                    }
                    p += 1;
                }
                _ if in_quotes => {
                    item.push(c);
                    p += 1;
                }
                _ if c == delim => {
                    if position.is_none() {
                        position = Some(offset(&indx[..ndim]));
                    }
                    indx[ndim - 1] += 1;
                    p += 1;
                    item_done = true;
                }
                _ if is_pg_space(c) => {
                    if !leading_space {
                        item.push(c);
                    }
                    p += 1;
                }
                _ => {
                    item.push(c);
                    leading_space = false;
                    end_len = item.len();
                    p += 1;
                }
            }
        }
        // A brace closing a level after a level's last element ends no further element.
        if item.is_empty() && !quoted && leading_space {
            continue;
        }
        item.truncate(end_len);
        let at = match position {
            Some(Some(at)) if at < n => at,
            _ => return Err(mismatch()),
        };
        let text = String::from_utf8(item).map_err(|_| {
            pg_err!(
                CHARACTER_NOT_IN_REPERTOIRE,
                "invalid byte sequence for encoding \"UTF8\""
            )
        })?;
        items[at] = if !quoted && text.eq_ignore_ascii_case("NULL") {
            None
        } else {
            Some(text)
        };
    }
    Ok(items)
}

/// True if an element's text must be double-quoted in an array's text form.
pub fn needs_quotes(text: &str, delim: u8) -> bool {
    text.is_empty()
        || text.eq_ignore_ascii_case("NULL")
        || text
            .bytes()
            .any(|b| matches!(b, b'{' | b'}' | b'"' | b'\\') || b == delim || is_pg_space(b))
}

/// Writes `text` as one element of an array's text form, quoted and escaped if needed.
pub fn push_element(out: &mut String, text: &str, delim: u8) {
    if !needs_quotes(text, delim) {
        out.push_str(text);
        return;
    }
    out.push('"');
    for ch in text.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
}

/// `array_out`: the text form of `array`, each non-NULL element written by
/// `element_out` (the element type's output function).
///
/// Errors: whatever `element_out` returns.
pub fn format_array(
    array: &Array,
    delim: u8,
    mut element_out: impl FnMut(&Datum) -> Result<String>,
) -> Result<String> {
    if array.dims.is_empty() {
        return Ok("{}".to_string());
    }
    let mut out = String::new();
    if array.dims.iter().any(|d| d.lower != 1) {
        for d in &array.dims {
            out.push_str(&format!("[{}:{}]", d.lower, d.upper()));
        }
        out.push('=');
    }
    let ndim = array.dims.len();
    let mut counters = vec![0i32; ndim];
    for _ in 0..ndim {
        out.push('{');
    }
    for (i, elem) in array.elems.iter().enumerate() {
        if i > 0 {
            // Close the levels the previous element finished, then open them again.
            let mut closed = 0;
            let mut k = ndim;
            while k > 0 {
                k -= 1;
                counters[k] += 1;
                if counters[k] < array.dims[k].len {
                    break;
                }
                counters[k] = 0;
                closed += 1;
            }
            for _ in 0..closed {
                out.push('}');
            }
            out.push(delim as char);
            for _ in 0..closed {
                out.push('{');
            }
        }
        match elem {
            Datum::Null => out.push_str("NULL"),
            v => push_element(&mut out, &element_out(v)?, delim),
        }
    }
    for _ in 0..ndim {
        out.push('}');
    }
    Ok(out)
}
