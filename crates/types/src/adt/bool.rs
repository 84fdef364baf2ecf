//! `boolean`: text input and output (PostgreSQL docs §8.6).
//!
//! Input accepts, case-insensitively and with surrounding whitespace, any prefix of `true`,
//! `false`, `yes`, `no`, and `on`, `of`/`off`, `1`, `0` (PostgreSQL's `parse_bool`). Output
//! is `t` or `f`.
//!
//! Entry points: [`bool_in`], [`bool_out`], [`parse_bool`].

use crate::{pg_err, Result};

use super::trim_pg_space;

/// PostgreSQL's `parse_bool`: the boolean a (pre-trimmed) word spells, if any. Also used for
/// boolean settings (`SET enable_seqscan = off`).
pub fn parse_bool(word: &str) -> Option<bool> {
    let len = word.len();
    let is_prefix_of = |full: &str, min_len: usize| {
        len >= min_len
            && len <= full.len()
            && full.as_bytes()[..len].eq_ignore_ascii_case(word.as_bytes())
    };
    match word.as_bytes().first()?.to_ascii_lowercase() {
        b't' if is_prefix_of("true", 1) => Some(true),
        b'f' if is_prefix_of("false", 1) => Some(false),
        b'y' if is_prefix_of("yes", 1) => Some(true),
        b'n' if is_prefix_of("no", 1) => Some(false),
        b'o' if is_prefix_of("on", 2) => Some(true),
        b'o' if is_prefix_of("off", 2) => Some(false),
        b'1' if len == 1 => Some(true),
        b'0' if len == 1 => Some(false),
        _ => None,
    }
}

/// `boolean` input (`boolin`).
///
/// Errors: 22P02 `invalid input syntax for type boolean: "…"` (quoting the whole input).
pub fn bool_in(s: &str) -> Result<bool> {
    parse_bool(trim_pg_space(s)).ok_or_else(|| {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type boolean: \"{}\"",
            s
        )
    })
}

/// `boolean` output (`boolout`): `"t"` or `"f"`.
pub fn bool_out(b: bool) -> &'static str {
    if b {
        "t"
    } else {
        "f"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    #[test]
    fn accepts_postgres_spellings() {
        for t in ["t", "TRUE", "tr", " yes ", "Y", "on", "ON", "1", "\ttrue\n"] {
            assert!(bool_in(t).unwrap(), "{t:?}");
        }
        for f in ["f", "False", "fal", "no", "N", "off", "of", "OFF", "0"] {
            assert!(!bool_in(f).unwrap(), "{f:?}");
        }
    }

    #[test]
    fn rejects_others() {
        for bad in [
            "", "o", "x", "truex", "yess", "onn", "offf", "10", "2", "t rue",
        ] {
            let e = bool_in(bad).unwrap_err();
            assert_eq!(e.code, SqlState::INVALID_TEXT_REPRESENTATION, "{bad:?}");
            assert_eq!(
                e.message,
                format!("invalid input syntax for type boolean: \"{bad}\"")
            );
        }
        assert_eq!(bool_out(true), "t");
        assert_eq!(bool_out(false), "f");
    }
}
