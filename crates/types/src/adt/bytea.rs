//! `bytea`: binary strings in hex and escape text formats (PostgreSQL docs §8.4).
//!
//! Input: text starting with `\x` is hex, two digits per byte, any case, with spaces, tabs,
//! newlines or carriage returns allowed between bytes (not inside one). Anything else is the
//! escape format: `\\` is a backslash, `\ooo` (first digit 0-3) an octal byte, every other
//! byte stands for itself, and any other backslash is an error.
//!
//! Output follows the `bytea_output` setting: `hex` (`\x0102ff`, lower case) or `escape`
//! (printable ASCII as is, backslash doubled, other bytes as `\ooo`).
//!
//! Entry points: [`bytea_in`], [`bytea_out`], [`ByteaOutput`].

use crate::{pg_err, Result};

/// The `bytea_output` setting.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum ByteaOutput {
    /// `\x` followed by two lower-case hex digits per byte (the default).
    #[default]
    Hex,
    /// The traditional escape format.
    Escape,
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// 22023 `invalid hexadecimal digit: "…"`, quoting the whole character at `at`.
fn invalid_hex_digit(s: &str, at: usize) -> crate::Error {
    let c = s[at..]
        .chars()
        .next()
        .expect("a character starts at a byte boundary");
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "invalid hexadecimal digit: \"{}\"",
        c
    )
}

/// PostgreSQL's `hex_decode`: pairs of hex digits with whitespace allowed between pairs.
///
/// Errors: 22023 `invalid hexadecimal digit: "g"`, 22023
/// `invalid hexadecimal data: odd number of digits`.
pub fn hex_decode(s: &str) -> Result<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b' ' | b'\n' | b'\t' | b'\r') {
            i += 1;
            continue;
        }
        let high = hex_value(bytes[i]).ok_or_else(|| invalid_hex_digit(s, i))?;
        i += 1;
        if i >= bytes.len() {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid hexadecimal data: odd number of digits"
            ));
        }
        let low = hex_value(bytes[i]).ok_or_else(|| invalid_hex_digit(s, i))?;
        i += 1;
        out.push(high << 4 | low);
    }
    Ok(out)
}

/// `bytea` input (`byteain`): hex when the text starts with `\x`, escape format otherwise.
///
/// Errors: 22023 for bad hex digits or an odd digit count (see [`hex_decode`]); 22P02
/// `invalid input syntax for type bytea` for a stray backslash in escape format.
pub fn bytea_in(s: &str) -> Result<Vec<u8>> {
    if let Some(hex) = s.strip_prefix("\\x") {
        return hex_decode(hex);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
        } else if i + 3 < bytes.len()
            && (b'0'..=b'3').contains(&bytes[i + 1])
            && (b'0'..=b'7').contains(&bytes[i + 2])
            && (b'0'..=b'7').contains(&bytes[i + 3])
        {
            out.push(
                ((bytes[i + 1] - b'0') << 6) | ((bytes[i + 2] - b'0') << 3) | (bytes[i + 3] - b'0'),
            );
            i += 4;
        } else if bytes.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else {
            return Err(pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type bytea"
            ));
        }
    }
    Ok(out)
}

/// `bytea` output (`byteaout`) in the given `bytea_output` format.
pub fn bytea_out(v: &[u8], format: ByteaOutput) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match format {
        ByteaOutput::Hex => {
            let mut out = String::with_capacity(2 + v.len() * 2);
            out.push_str("\\x");
            for &b in v {
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
            out
        }
        ByteaOutput::Escape => {
            let mut out = String::with_capacity(v.len());
            for &b in v {
                if b == b'\\' {
                    out.push_str("\\\\");
                } else if !(0x20..=0x7e).contains(&b) {
                    out.push('\\');
                    out.push(char::from(b'0' + (b >> 6)));
                    out.push(char::from(b'0' + ((b >> 3) & 7)));
                    out.push(char::from(b'0' + (b & 7)));
                } else {
                    out.push(char::from(b));
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    #[test]
    fn hex_input_and_output() {
        assert_eq!(bytea_in("\\x0102FF").unwrap(), vec![1, 2, 255]);
        assert_eq!(bytea_in("\\x 01 02\n\tff ").unwrap(), vec![1, 2, 255]);
        assert_eq!(bytea_in("\\x").unwrap(), Vec::<u8>::new());
        assert_eq!(bytea_out(&[1, 2, 255], ByteaOutput::Hex), "\\x0102ff");
        let e = bytea_in("\\x0").unwrap_err();
        assert_eq!(e.code, SqlState::INVALID_PARAMETER_VALUE);
        assert_eq!(e.message, "invalid hexadecimal data: odd number of digits");
        assert_eq!(
            bytea_in("\\x0g").unwrap_err().message,
            "invalid hexadecimal digit: \"g\""
        );
        assert_eq!(
            bytea_in("\\x1 2").unwrap_err().message,
            "invalid hexadecimal digit: \" \""
        );
        assert_eq!(
            bytea_in("\\xé0").unwrap_err().message,
            "invalid hexadecimal digit: \"é\""
        );
    }

    #[test]
    fn escape_input_and_output() {
        assert_eq!(bytea_in("abc").unwrap(), b"abc".to_vec());
        assert_eq!(bytea_in("a\\\\b").unwrap(), b"a\\b".to_vec());
        assert_eq!(bytea_in("\\000\\377x").unwrap(), vec![0, 255, b'x']);
        assert_eq!(
            bytea_in("\\X01").unwrap_err().code,
            SqlState::INVALID_TEXT_REPRESENTATION
        );
        for bad in ["\\", "\\4", "\\400", "a\\b", "\\12"] {
            let e = bytea_in(bad).unwrap_err();
            assert_eq!(e.message, "invalid input syntax for type bytea", "{bad:?}");
        }
        assert_eq!(
            bytea_out(&[0, b'a', b'\\', 0x7f, 200, b' '], ByteaOutput::Escape),
            "\\000a\\\\\\177\\310 "
        );
    }
}
