//! `encode(bytea, text)` and `decode(text, text)` in PostgreSQL's three textual formats
//! (`hex`, `base64`, `escape`), and `md5(bytea)`.
//!
//! Invariants, as PostgreSQL 15: base64 output breaks a line after every 76 characters;
//! hex and base64 input skip whitespace (hex only between digit pairs); `escape` writes
//! NUL and high-bit bytes as `\ooo` and a backslash as `\\`.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use md5::{Digest, Md5};
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn bytes(d: &Datum) -> &[u8] {
    match d {
        Datum::Bytea(b) => b,
        Datum::Text(s) => s.as_bytes(),
        _ => &[],
    }
}

fn format_name(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

/// 22023 `unrecognized encoding: "name"`.
fn unrecognized(name: &str) -> Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "unrecognized encoding: \"{}\"",
        name
    )
}

/// `encode(data, format)`.
///
/// Errors: 22023 for an unknown format.
pub fn encode(data: &[u8], format: &str) -> Result<String> {
    match format.to_ascii_lowercase().as_str() {
        "hex" => Ok(data.iter().map(|b| format!("{b:02x}")).collect()),
        "base64" => Ok(base64_encode(data)),
        "escape" => Ok(escape_encode(data)),
        _ => Err(unrecognized(format)),
    }
}

/// `decode(text, format)`.
///
/// Errors: 22023 for an unknown format or malformed hex/base64 input; 22P02
/// `invalid input syntax for type bytea` for malformed escape input.
pub fn decode(text: &str, format: &str) -> Result<Vec<u8>> {
    match format.to_ascii_lowercase().as_str() {
        "hex" => hex_decode(text),
        "base64" => base64_decode(text),
        "escape" => escape_decode(text.as_bytes()),
        _ => Err(unrecognized(format)),
    }
}

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() * 4 / 3 + 4);
    let mut line = 0;
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(BASE64[(n >> shift) as usize & 0x3f] as char);
            } else {
                out.push('=');
            }
        }
        line += 4;
        if line >= 76 {
            out.push('\n');
            line = 0;
        }
    }
    out
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// The character starting at byte `at` of `text`, for error messages.
fn char_at(text: &str, at: usize) -> &str {
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    &text[at..at + len]
}

fn base64_decode(text: &str) -> Result<Vec<u8>> {
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len() * 3 / 4);
    let (mut buf, mut pos, mut end) = (0u32, 0, 0);
    for (at, &c) in src.iter().enumerate() {
        if is_space(c) {
            continue;
        }
        let b = if c == b'=' {
            if end == 0 {
                end = match pos {
                    2 => 1,
                    3 => 2,
                    _ => {
                        return Err(pg_err!(
                            INVALID_PARAMETER_VALUE,
                            "unexpected \"=\" while decoding base64 sequence"
                        ))
                    }
                };
            }
            0
        } else {
            match BASE64.iter().position(|&x| x == c) {
                Some(v) => v as u32,
                None => {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "invalid symbol \"{}\" found while decoding base64 sequence",
                        char_at(text, at)
                    ))
                }
            }
        };
        buf = (buf << 6) | b;
        pos += 1;
        if pos == 4 {
            out.push((buf >> 16) as u8);
            if end == 0 || end > 1 {
                out.push((buf >> 8) as u8);
            }
            if end == 0 || end > 2 {
                out.push(buf as u8);
            }
            buf = 0;
            pos = 0;
        }
    }
    if pos != 0 {
        return Err(
            pg_err!(INVALID_PARAMETER_VALUE, "invalid base64 end sequence")
                .hint("Input data is missing padding, is truncated, or is otherwise corrupted."),
        );
    }
    Ok(out)
}

fn hex_value(text: &str, at: usize) -> Result<u8> {
    let c = text.as_bytes()[at];
    (c as char).to_digit(16).map(|v| v as u8).ok_or_else(|| {
        pg_err!(
            INVALID_PARAMETER_VALUE,
            "invalid hexadecimal digit: \"{}\"",
            char_at(text, at)
        )
    })
}

fn hex_decode(text: &str) -> Result<Vec<u8>> {
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 2);
    let mut at = 0;
    while at < src.len() {
        if is_space(src[at]) {
            at += 1;
            continue;
        }
        let hi = hex_value(text, at)?;
        if at + 1 >= src.len() {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid hexadecimal data: odd number of digits"
            ));
        }
        let lo = hex_value(text, at + 1)?;
        out.push((hi << 4) | lo);
        at += 2;
    }
    Ok(out)
}

fn escape_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for &b in data {
        if b == 0 || b >= 0x80 {
            out.push_str(&format!("\\{b:03o}"));
        } else if b == b'\\' {
            out.push_str("\\\\");
        } else {
            out.push(b as char);
        }
    }
    out
}

fn escape_decode(src: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(src.len());
    let mut at = 0;
    while at < src.len() {
        let rest = &src[at..];
        if rest[0] != b'\\' {
            out.push(rest[0]);
            at += 1;
        } else if rest.len() >= 4
            && (b'0'..=b'3').contains(&rest[1])
            && (b'0'..=b'7').contains(&rest[2])
            && (b'0'..=b'7').contains(&rest[3])
        {
            out.push(((rest[1] - b'0') << 6) | ((rest[2] - b'0') << 3) | (rest[3] - b'0'));
            at += 4;
        } else if rest.len() >= 2 && rest[1] == b'\\' {
            out.push(b'\\');
            at += 2;
        } else {
            return Err(pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type bytea"
            ));
        }
    }
    Ok(out)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["binary_encode"], |_, a| {
        encode(bytes(&a[0]), format_name(&a[1])).map(Datum::Text)
    });
    reg(t, &["binary_decode"], |_, a| {
        decode(format_name(&a[0]), format_name(&a[1])).map(Datum::Bytea)
    });
    reg(t, &["md5_bytea"], |_, a| {
        let digest = Md5::digest(bytes(&a[0]));
        Ok(Datum::Text(
            digest.iter().map(|b| format!("{b:02x}")).collect(),
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::SqlState;

    #[test]
    fn base64_breaks_lines_after_76_characters() {
        let out = encode(&[b'a'; 57], "base64").expect("encodes");
        assert_eq!(out.len(), 77);
        assert!(out.ends_with('\n'));
        assert_eq!(encode(&[b'a'; 58], "base64").expect("encodes").len(), 81);
        assert_eq!(encode(b"AB", "BASE64").expect("encodes"), "QUI=");
    }

    #[test]
    fn base64_decodes_padding_and_reports_bad_input() {
        assert_eq!(decode("QQ==", "base64").expect("decodes"), b"A");
        assert_eq!(decode("QUI=", "base64").expect("decodes"), b"AB");
        assert_eq!(decode("QQ==QQ==", "base64").expect("decodes"), b"AA");
        let err = decode("Q=Q=", "base64").expect_err("bad =");
        assert_eq!(
            err.message,
            "unexpected \"=\" while decoding base64 sequence"
        );
        let err = decode("QQ=", "base64").expect_err("truncated");
        assert_eq!(err.message, "invalid base64 end sequence");
        let err = decode("QQ!=", "base64").expect_err("bad symbol");
        assert_eq!(
            err.message,
            "invalid symbol \"!\" found while decoding base64 sequence"
        );
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE);
    }

    #[test]
    fn hex_skips_whitespace_between_pairs_only() {
        assert_eq!(decode(" 41 42 ", "hex").expect("decodes"), b"AB");
        let err = decode("4 1", "hex").expect_err("split pair");
        assert_eq!(err.message, "invalid hexadecimal digit: \" \"");
        let err = decode("4", "hex").expect_err("odd");
        assert_eq!(
            err.message,
            "invalid hexadecimal data: odd number of digits"
        );
    }

    #[test]
    fn escape_round_trips_nul_high_bytes_and_backslashes() {
        let data = [0u8, 0xff, b'\\', b'A'];
        let text = encode(&data, "escape").expect("encodes");
        assert_eq!(text, "\\000\\377\\\\A");
        assert_eq!(decode(&text, "escape").expect("decodes"), data);
        let err = decode("a\\q", "escape").expect_err("bad escape");
        assert_eq!(err.code, SqlState::INVALID_TEXT_REPRESENTATION);
    }

    #[test]
    fn unknown_format_is_22023() {
        let err = encode(b"a", "foo").expect_err("unknown");
        assert_eq!(err.message, "unrecognized encoding: \"foo\"");
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE);
    }
}
