//! `bytea` functions (PostgreSQL docs §9.5, "Binary String Functions and Operators"):
//! `substring` / `substr`, `btrim` / `ltrim` / `rtrim`, `position`, `get_byte` /
//! `set_byte`, `get_bit` / `set_bit`, `bit_count`, `sha224` .. `sha512`, and `LIKE` /
//! `NOT LIKE` / `like_escape` over bytes.
//!
//! Invariants, as PostgreSQL 15: byte offsets of get/set_byte count from 0, bit `n` is bit
//! `n % 8` (least significant first) of byte `n / 8`; substring positions count from 1
//! and may start before the value; LIKE compares bytes, with `\` escaping by default.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use sha2::Digest;
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};

fn bytes(d: &Datum) -> &[u8] {
    match d {
        Datum::Bytea(b) => b,
        Datum::Text(s) => s.as_bytes(),
        _ => &[],
    }
}

fn int(d: &Datum) -> i64 {
    match d {
        Datum::Int2(v) => i64::from(*v),
        Datum::Int4(v) => i64::from(*v),
        Datum::Int8(v) => *v,
        _ => 0,
    }
}

/// `substring(bytes from start [for count])`: positions count from 1; a start before 1
/// shortens the count by the difference.
///
/// Errors: 22011 `negative substring length not allowed`; 22003 `integer out of range`
/// when start + count overflows.
pub fn substring(value: &[u8], start: i32, count: Option<i32>) -> Result<Vec<u8>> {
    let first = start.max(1) as usize - 1;
    let end = match count {
        None => value.len(),
        Some(count) if count < 0 => {
            return Err(pg_err!(
                SUBSTRING_ERROR,
                "negative substring length not allowed"
            ))
        }
        Some(count) => {
            let end = start
                .checked_add(count)
                .ok_or_else(|| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"))?;
            if end < 1 {
                return Ok(Vec::new());
            }
            (end as usize - 1).min(value.len())
        }
    };
    Ok(if first >= end {
        Vec::new()
    } else {
        value[first..end].to_vec()
    })
}

/// `btrim` / `ltrim` / `rtrim` of bytea: removes bytes found in `set` from the chosen ends.
pub fn trim(value: &[u8], set: &[u8], left: bool, right: bool) -> Vec<u8> {
    let mut from = 0;
    let mut to = value.len();
    if left {
        while from < to && set.contains(&value[from]) {
            from += 1;
        }
    }
    if right {
        while to > from && set.contains(&value[to - 1]) {
            to -= 1;
        }
    }
    value[from..to].to_vec()
}

/// `position(needle in haystack)`: 1-based, 0 when absent, 1 for an empty needle.
pub fn position(haystack: &[u8], needle: &[u8]) -> i32 {
    if needle.is_empty() {
        return 1;
    }
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .map_or(0, |i| i as i32 + 1)
}

fn index_error(index: i64, len_units: i64) -> Error {
    pg_err!(
        ARRAY_SUBSCRIPT_ERROR,
        "index {} out of valid range, 0..{}",
        index,
        len_units - 1
    )
}

/// SQL LIKE over bytes with `%`, `_` and `\` as escape.
///
/// Errors: 22025 `LIKE pattern must not end with escape character`.
pub fn like(value: &[u8], pattern: &[u8]) -> Result<bool> {
    // Iterative matching that backtracks to the last `%` on a mismatch.
    let (mut vi, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None; // (pattern after the %, value position)
    while vi < value.len() {
        if pi < pattern.len() {
            match pattern[pi] {
                b'%' => {
                    pi += 1;
                    star = Some((pi, vi));
                    continue;
                }
                b'_' => {
                    vi += 1;
                    pi += 1;
                    continue;
                }
                b'\\' => {
                    let Some(&literal) = pattern.get(pi + 1) else {
                        return Err(pg_err!(
                            INVALID_ESCAPE_SEQUENCE,
                            "LIKE pattern must not end with escape character"
                        ));
                    };
                    if value[vi] == literal {
                        vi += 1;
                        pi += 2;
                        continue;
                    }
                }
                c if value[vi] == c => {
                    vi += 1;
                    pi += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((star_p, star_v)) => {
                star = Some((star_p, star_v + 1));
                pi = star_p;
                vi = star_v + 1;
            }
            None => return Ok(false),
        }
    }
    while pi < pattern.len() && pattern[pi] == b'%' {
        pi += 1;
    }
    Ok(pi == pattern.len())
}

/// `like_escape(pattern, escape)` for bytea: the pattern rewritten to use `\` as its
/// escape (an empty escape makes every `\` literal).
///
/// Errors: 22025 `invalid escape string` for an escape of more than one byte.
pub fn like_escape(pattern: &[u8], escape: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(pattern.len() * 2);
    match escape {
        [] => {
            for &c in pattern {
                if c == b'\\' {
                    out.push(b'\\');
                }
                out.push(c);
            }
        }
        [b'\\'] => out.extend_from_slice(pattern),
        [e] => {
            let mut after_escape = false;
            for &c in pattern {
                if c == *e && !after_escape {
                    out.push(b'\\');
                    after_escape = true;
                } else if c == b'\\' {
                    out.push(b'\\');
                    if !after_escape {
                        out.push(b'\\');
                    }
                    after_escape = false;
                } else {
                    out.push(c);
                    after_escape = false;
                }
            }
        }
        _ => {
            return Err(pg_err!(INVALID_ESCAPE_SEQUENCE, "invalid escape string")
                .hint("Escape string must be empty or one character."))
        }
    }
    Ok(out)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["bytea_substr"], |_, a| {
        let count = int(&a[2]) as i32;
        substring(bytes(&a[0]), int(&a[1]) as i32, Some(count)).map(Datum::Bytea)
    });
    reg(t, &["bytea_substr_no_len"], |_, a| {
        substring(bytes(&a[0]), int(&a[1]) as i32, None).map(Datum::Bytea)
    });
    reg(t, &["byteatrim"], |_, a| {
        Ok(Datum::Bytea(trim(bytes(&a[0]), bytes(&a[1]), true, true)))
    });
    reg(t, &["bytealtrim"], |_, a| {
        Ok(Datum::Bytea(trim(bytes(&a[0]), bytes(&a[1]), true, false)))
    });
    reg(t, &["byteartrim"], |_, a| {
        Ok(Datum::Bytea(trim(bytes(&a[0]), bytes(&a[1]), false, true)))
    });
    reg(t, &["byteapos"], |_, a| {
        Ok(Datum::Int4(position(bytes(&a[0]), bytes(&a[1]))))
    });
    reg(t, &["byteaGetByte"], |_, a| {
        let (value, n) = (bytes(&a[0]), int(&a[1]));
        match usize::try_from(n).ok().and_then(|i| value.get(i)) {
            Some(&b) => Ok(Datum::Int4(i32::from(b))),
            None => Err(index_error(n, value.len() as i64)),
        }
    });
    reg(t, &["byteaSetByte"], |_, a| {
        let (mut value, n) = (bytes(&a[0]).to_vec(), int(&a[1]));
        match usize::try_from(n).ok().and_then(|i| value.get_mut(i)) {
            Some(b) => *b = int(&a[2]) as u8,
            None => return Err(index_error(n, value.len() as i64)),
        }
        Ok(Datum::Bytea(value))
    });
    reg(t, &["byteaGetBit"], |_, a| {
        let (value, n) = (bytes(&a[0]), int(&a[1]));
        let bits = value.len() as i64 * 8;
        if !(0..bits).contains(&n) {
            return Err(index_error(n, bits));
        }
        let byte = value[(n / 8) as usize];
        Ok(Datum::Int4(i32::from((byte >> (n % 8)) & 1)))
    });
    reg(t, &["byteaSetBit"], |_, a| {
        let (mut value, n, bit) = (bytes(&a[0]).to_vec(), int(&a[1]), int(&a[2]));
        let bits = value.len() as i64 * 8;
        if !(0..bits).contains(&n) {
            return Err(index_error(n, bits));
        }
        if bit != 0 && bit != 1 {
            return Err(pg_err!(INVALID_PARAMETER_VALUE, "new bit must be 0 or 1"));
        }
        let byte = &mut value[(n / 8) as usize];
        if bit == 1 {
            *byte |= 1 << (n % 8);
        } else {
            *byte &= !(1 << (n % 8));
        }
        Ok(Datum::Bytea(value))
    });
    reg(t, &["bytea_bit_count"], |_, a| {
        Ok(Datum::Int8(
            bytes(&a[0]).iter().map(|b| i64::from(b.count_ones())).sum(),
        ))
    });
    reg(t, &["sha224_bytea"], |_, a| {
        Ok(Datum::Bytea(sha2::Sha224::digest(bytes(&a[0])).to_vec()))
    });
    reg(t, &["sha256_bytea"], |_, a| {
        Ok(Datum::Bytea(sha2::Sha256::digest(bytes(&a[0])).to_vec()))
    });
    reg(t, &["sha384_bytea"], |_, a| {
        Ok(Datum::Bytea(sha2::Sha384::digest(bytes(&a[0])).to_vec()))
    });
    reg(t, &["sha512_bytea"], |_, a| {
        Ok(Datum::Bytea(sha2::Sha512::digest(bytes(&a[0])).to_vec()))
    });
    reg(t, &["bytealike"], |_, a| {
        Ok(Datum::Bool(like(bytes(&a[0]), bytes(&a[1]))?))
    });
    reg(t, &["byteanlike"], |_, a| {
        Ok(Datum::Bool(!like(bytes(&a[0]), bytes(&a[1]))?))
    });
    reg(t, &["like_escape_bytea"], |_, a| {
        like_escape(bytes(&a[0]), bytes(&a[1])).map(Datum::Bytea)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_counts_from_one_and_clips() {
        let v = b"\x01\x02\xff";
        assert_eq!(substring(v, 2, None).unwrap(), b"\x02\xff");
        assert_eq!(substring(v, 0, Some(2)).unwrap(), b"\x01");
        assert_eq!(substring(v, -5, Some(3)).unwrap(), b"");
        assert_eq!(substring(v, 3, Some(10)).unwrap(), b"\xff");
        assert_eq!(substring(v, 9, None).unwrap(), b"");
        assert!(substring(v, 1, Some(-1)).is_err());
        assert!(substring(v, i32::MAX, Some(1)).is_err());
    }

    #[test]
    fn like_matches_bytes_with_wildcards_and_escapes() {
        assert!(like(b"abc", b"a%").unwrap());
        assert!(like(b"abc", b"%c").unwrap());
        assert!(like(b"abc", b"_b_").unwrap());
        assert!(like(b"abc", b"%").unwrap());
        assert!(like(b"", b"%").unwrap());
        assert!(like(b"", b"").unwrap());
        assert!(!like(b"abc", b"").unwrap());
        assert!(!like(b"abc", b"a_").unwrap());
        assert!(like(b"a%c", b"a\\%c").unwrap());
        assert!(!like(b"abc", b"a\\%c").unwrap());
        assert!(like(b"aXbXc", b"a%b%c").unwrap());
        assert!(!like(b"aXbXd", b"a%b%c").unwrap());
        assert!(like(b"\\", b"\\").is_err());
    }

    #[test]
    fn like_escape_rewrites_to_backslash() {
        assert_eq!(like_escape(b"%A", b"A").unwrap(), b"%\\");
        assert_eq!(like_escape(b"a\\b", b"").unwrap(), b"a\\\\b");
        assert_eq!(like_escape(b"a!%b", b"!").unwrap(), b"a\\%b");
        assert!(like_escape(b"x", b"ab").is_err());
    }

    #[test]
    fn trim_position_and_bits() {
        assert_eq!(trim(b"\x01\x02\x01", b"\x01", true, true), b"\x02");
        assert_eq!(trim(b"\x01\x02\x01", b"\x01", true, false), b"\x02\x01");
        assert_eq!(position(b"\x01\x02\xff", b"\x02"), 2);
        assert_eq!(position(b"\x01", b""), 1);
        assert_eq!(position(b"\x01", b"\x03"), 0);
    }
}
