//! String functions that rebuild or split text (PostgreSQL docs §9.4, §9.5, §9.7.1):
//! `overlay` (text and bytea), `translate`, `string_to_table`, `bit_length`,
//! `pg_client_encoding`, `unistr`, and `like_escape` (what `LIKE ... ESCAPE e` calls). Positions and lengths count characters for text, bytes for
//! bytea.
//!
//! Entry points: [`register`]; [`sql_language_function`] for `bit_length`, which
//! PostgreSQL's catalog defines in SQL.

use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Builtin, ScalarFn, Table};
use crate::EvalContext;

fn text(d: &Datum) -> Result<&str> {
    match d {
        Datum::Text(s) => Ok(s),
        _ => Err(Error::internal("text argument expected")),
    }
}

fn int4(d: &Datum) -> Result<i32> {
    match d {
        Datum::Int4(v) => Ok(*v),
        Datum::Int2(v) => Ok(i32::from(*v)),
        _ => Err(Error::internal("integer argument expected")),
    }
}

/// The 1-based range `[start, start + length)` of a sequence of `len` items, clipped
/// (SQL `substring`); `None` length means to the end.
fn clip(len: usize, start: i64, length: Option<i64>) -> (usize, usize) {
    let begin = start.max(1);
    let end = match length {
        Some(l) => start.saturating_add(l),
        None => i64::MAX,
    };
    if end <= begin {
        return (0, 0);
    }
    let from = usize::try_from(begin - 1).unwrap_or(usize::MAX).min(len);
    let to = usize::try_from(end - 1).unwrap_or(usize::MAX).min(len);
    (from, to.max(from))
}

/// `overlay(string placing replacement from start [for count])` over items: the first
/// `start - 1` items, the replacement, then the items from `start + count` on.
///
/// Errors: 22011 `negative substring length not allowed` for `start` < 1; 22003
/// `integer out of range` when `start + count` overflows.
fn overlay<T: Clone>(string: &[T], replacement: &[T], start: i32, count: i32) -> Result<Vec<T>> {
    if start <= 0 {
        return Err(pg_err!(
            SUBSTRING_ERROR,
            "negative substring length not allowed"
        ));
    }
    let after = start
        .checked_add(count)
        .ok_or_else(|| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"))?;
    let (_, head_end) = clip(string.len(), 1, Some(i64::from(start) - 1));
    let (tail_start, tail_end) = clip(string.len(), i64::from(after), None);
    let mut out = string[..head_end].to_vec();
    out.extend_from_slice(replacement);
    out.extend_from_slice(&string[tail_start..tail_end]);
    Ok(out)
}

/// `translate(string, from, to)`: each character found in `from` becomes the character
/// at the same place in `to`, or is dropped when `to` is shorter.
fn translate(string: &str, from: &str, to: &str) -> String {
    let from: Vec<char> = from.chars().collect();
    let to: Vec<char> = to.chars().collect();
    string
        .chars()
        .filter_map(|c| match from.iter().position(|f| *f == c) {
            Some(i) => to.get(i).copied(),
            None => Some(c),
        })
        .collect()
}

/// `string_to_table(string, delimiter [, null_string])`: the pieces between delimiters
/// (each character when the delimiter is NULL, the whole string when it is empty); pieces
/// equal to `null_string` are NULL; an empty string gives no rows.
fn string_to_table(a: &[Datum]) -> Result<Vec<Datum>> {
    let string = match &a[0] {
        Datum::Null => return Ok(Vec::new()),
        d => text(d)?,
    };
    if string.is_empty() {
        return Ok(Vec::new());
    }
    let null_string = match a.get(2) {
        None | Some(Datum::Null) => None,
        Some(d) => Some(text(d)?),
    };
    let pieces: Vec<&str> = match &a[1] {
        Datum::Null => string
            .char_indices()
            .map(|(i, c)| &string[i..i + c.len_utf8()])
            .collect(),
        d => {
            let delimiter = text(d)?;
            if delimiter.is_empty() {
                vec![string]
            } else {
                string.split(delimiter).collect()
            }
        }
    };
    Ok(pieces
        .into_iter()
        .map(|p| {
            if Some(p) == null_string {
                Datum::Null
            } else {
                Datum::Text(p.to_string())
            }
        })
        .collect())
}

/// `like_escape(pattern, escape)`: `pattern` rewritten so that backslash is its escape
/// character: `escape` becomes `\`, literal backslashes are doubled; an empty `escape`
/// means no escape character at all.
///
/// Errors: 22025 `invalid escape string` when `escape` is longer than one character.
fn like_escape(pattern: &str, escape: &str) -> Result<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut escape_chars = escape.chars();
    let escape = match (escape_chars.next(), escape_chars.next()) {
        (None, _) => {
            for c in pattern.chars() {
                if c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            return Ok(out);
        }
        (Some(e), None) => e,
        _ => {
            return Err(pg_err!(INVALID_ESCAPE_SEQUENCE, "invalid escape string")
                .hint("Escape string must be empty or one character."))
        }
    };
    if escape == '\\' {
        return Ok(pattern.to_string());
    }
    let mut after_escape = false;
    for c in pattern.chars() {
        if c == escape && !after_escape {
            out.push('\\');
            after_escape = true;
        } else if c == '\\' {
            out.push('\\');
            if !after_escape {
                out.push('\\');
            }
            after_escape = false;
        } else {
            out.push(c);
            after_escape = false;
        }
    }
    Ok(out)
}

/// `unistr(text)`: `\XXXX`, `\+XXXXXX`, `\uXXXX` and `\UXXXXXXXX` escapes (UTF-16
/// surrogate pairs combined) and `\\` for a backslash.
///
/// Errors: 42601 `invalid Unicode escape` (with PostgreSQL's hint) and `invalid Unicode
/// surrogate pair`; 22023 `invalid Unicode code point: XXXX`.
fn unistr(input: &str) -> Result<String> {
    let invalid_escape = || {
        pg_err!(SYNTAX_ERROR, "invalid Unicode escape")
            .hint("Unicode escapes must be \\XXXX, \\+XXXXXX, \\uXXXX, or \\UXXXXXXXX.")
    };
    let invalid_pair = || pg_err!(SYNTAX_ERROR, "invalid Unicode surrogate pair");
    let chars: Vec<char> = input.chars().collect();
    let hex = |from: usize, n: usize| -> Option<u32> {
        let digits = chars.get(from..from + n)?;
        digits
            .iter()
            .try_fold(0_u32, |acc, c| Some(acc * 16 + c.to_digit(16)?))
    };
    let mut out = String::with_capacity(input.len());
    let mut pair_first: Option<u32> = None;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' {
            if pair_first.is_some() {
                return Err(invalid_pair());
            }
            out.push(chars[i]);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'\\') {
            if pair_first.is_some() {
                return Err(invalid_pair());
            }
            out.push('\\');
            i += 2;
            continue;
        }
        let (code, width) = if let Some(v) = hex(i + 1, 4) {
            (v, 5)
        } else if chars.get(i + 1) == Some(&'+') && hex(i + 2, 6).is_some() {
            (hex(i + 2, 6).expect("checked"), 8)
        } else if chars.get(i + 1) == Some(&'u') && hex(i + 2, 4).is_some() {
            (hex(i + 2, 4).expect("checked"), 6)
        } else if chars.get(i + 1) == Some(&'U') && hex(i + 2, 8).is_some() {
            (hex(i + 2, 8).expect("checked"), 10)
        } else {
            return Err(invalid_escape());
        };
        if code == 0 || code > 0x10FFFF {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid Unicode code point: {:04X}",
                code
            ));
        }
        let is_high = (0xD800..0xDC00).contains(&code);
        let is_low = (0xDC00..0xE000).contains(&code);
        let code = match pair_first.take() {
            Some(high) if is_low => 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00),
            Some(_) => return Err(invalid_pair()),
            None if is_low => return Err(invalid_pair()),
            None => code,
        };
        if is_high {
            pair_first = Some(code);
        } else {
            out.push(char::from_u32(code).ok_or_else(invalid_pair)?);
        }
        i += width;
    }
    if pair_first.is_some() {
        return Err(invalid_pair());
    }
    Ok(out)
}

/// `bit_length(text)` / `bit_length(bytea)`: bytes times eight.
fn bit_length(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let bytes = match &a[0] {
        Datum::Null => return Ok(Datum::Null),
        Datum::Text(s) => s.len(),
        Datum::Bytea(b) => b.len(),
        _ => return Err(Error::internal("text or bytea argument expected")),
    };
    Ok(Datum::Int4((bytes * 8) as i32))
}

/// The SQL-language functions of this module, by `pg_proc` OID.
pub(super) fn sql_language_function(oid: u32) -> Option<ScalarFn> {
    match oid {
        1810 | 1811 => Some(bit_length),
        _ => None,
    }
}

/// Registers the functions.
pub(super) fn register(t: &mut Table) {
    reg(t, &["textoverlay", "textoverlay_no_len"], |_, a| {
        let string: Vec<char> = text(&a[0])?.chars().collect();
        let replacement: Vec<char> = text(&a[1])?.chars().collect();
        let count = match a.get(3) {
            Some(d) => int4(d)?,
            None => replacement.len() as i32,
        };
        let out = overlay(&string, &replacement, int4(&a[2])?, count)?;
        Ok(Datum::Text(out.into_iter().collect()))
    });
    reg(t, &["byteaoverlay", "byteaoverlay_no_len"], |_, a| {
        let (Datum::Bytea(string), Datum::Bytea(replacement)) = (&a[0], &a[1]) else {
            return Err(Error::internal("bytea arguments expected"));
        };
        let count = match a.get(3) {
            Some(d) => int4(d)?,
            None => replacement.len() as i32,
        };
        Ok(Datum::Bytea(overlay(
            string,
            replacement,
            int4(&a[2])?,
            count,
        )?))
    });
    reg(t, &["unistr"], |_, a| {
        Ok(Datum::Text(unistr(text(&a[0])?)?))
    });
    reg(t, &["like_escape"], |_, a| {
        Ok(Datum::Text(like_escape(text(&a[0])?, text(&a[1])?)?))
    });
    reg(t, &["translate"], |_, a| {
        Ok(Datum::Text(translate(
            text(&a[0])?,
            text(&a[1])?,
            text(&a[2])?,
        )))
    });
    reg(t, &["pg_client_encoding", "getdatabaseencoding"], |_, _| {
        Ok(Datum::Text("UTF8".into()))
    });
    for name in ["text_to_table", "text_to_table_null"] {
        t.insert(name, Builtin::Set(|_, a| string_to_table(a)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txt(s: &str) -> Datum {
        Datum::Text(s.into())
    }

    #[test]
    fn overlay_and_translate_match_postgres() {
        // Expected values from PostgreSQL 15.
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        let o = |s: &str, r: &str, start: i32, count: i32| -> String {
            overlay(&chars(s), &chars(r), start, count)
                .expect("overlay")
                .into_iter()
                .collect()
        };
        assert_eq!(o("Txxxxas", "hom", 2, 4), "Thomas");
        assert_eq!(o("abc", "X", 2, -1), "aXabc");
        assert_eq!(
            overlay(&chars("abc"), &chars("X"), 0, 1)
                .expect_err("start 0")
                .code
                .code(),
            "22011"
        );
        assert_eq!(
            overlay(&[0x12_u8, 0x34], &[0x99], 2, 1).expect("bytea"),
            vec![0x12, 0x99]
        );
        assert_eq!(translate("12345", "143", "ax"), "a2x5");
    }

    #[test]
    fn unistr_matches_postgres() {
        assert_eq!(unistr("\\0064at\\+0000610").expect("ok"), "data0");
        assert_eq!(unistr("d\\u0061t\\U000000610").expect("ok"), "data0");
        assert_eq!(unistr("a\\\\b").expect("ok"), "a\\b");
        assert_eq!(unistr("\\D83D\\DE00").expect("ok"), "\u{1F600}");
        let message = |s: &str| unistr(s).expect_err(s).message;
        assert_eq!(message("wrong: \\db99"), "invalid Unicode surrogate pair");
        assert_eq!(
            message("wrong: \\db99\\0061"),
            "invalid Unicode surrogate pair"
        );
        assert_eq!(
            message("wrong: \\+2FFFFF"),
            "invalid Unicode code point: 2FFFFF"
        );
        assert_eq!(message("wrong: \\xyz"), "invalid Unicode escape");
        assert_eq!(message("x\\0000"), "invalid Unicode code point: 0000");
    }

    #[test]
    fn like_escape_matches_postgres() {
        assert_eq!(like_escape("a#%b\\c", "#").expect("ok"), "a\\%b\\\\c");
        assert_eq!(like_escape("a\\%", "").expect("ok"), "a\\\\%");
        assert_eq!(like_escape("a\\%", "\\").expect("ok"), "a\\%");
        assert_eq!(like_escape("##", "#").expect("ok"), "\\#");
        assert_eq!(
            like_escape("x", "ab").expect_err("long").code.code(),
            "22025"
        );
    }

    #[test]
    fn string_to_table_matches_postgres() {
        assert_eq!(
            string_to_table(&[txt("a,b,,c"), txt(","), txt("")]).expect("ok"),
            vec![txt("a"), txt("b"), Datum::Null, txt("c")]
        );
        assert_eq!(
            string_to_table(&[txt("abc"), Datum::Null]).expect("ok"),
            vec![txt("a"), txt("b"), txt("c")]
        );
        assert_eq!(
            string_to_table(&[txt("abc"), txt("")]).expect("ok"),
            vec![txt("abc")]
        );
        assert!(string_to_table(&[txt(""), txt(",")])
            .expect("ok")
            .is_empty());
    }
}
