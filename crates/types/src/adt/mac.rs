//! `macaddr` (6 bytes) and `macaddr8` (8 bytes, EUI-64): PostgreSQL's
//! `utils/adt/mac.c` and `mac8.c` (PostgreSQL docs §8.9.3, §8.9.4 and §9.12).
//!
//! In a `Datum` a value is `Datum::Bytea` of exactly 6 or 8 bytes; PostgreSQL orders
//! both types bytewise, so the bytes' order is the type's.
//!
//! Entry points: [`macaddr_in`], [`macaddr_out`], [`macaddr8_in`], [`macaddr8_out`],
//! the conversions [`macaddr_to_macaddr8`] / [`macaddr8_to_macaddr`].

use crate::{pg_err, Result};

/// One `%x` / `%2x` conversion of C's `sscanf`: leading white space skipped, an optional
/// sign and `0x` prefix, hexadecimal digits up to `width` characters (0 = no limit).
fn scan_hex(s: &[u8], i: &mut usize, width: usize) -> Option<i64> {
    while s.get(*i).is_some_and(|c| c.is_ascii_whitespace()) {
        *i += 1;
    }
    let limit = if width == 0 { usize::MAX } else { width };
    let mut used = 0;
    let mut negative = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(*i) {
        if used < limit {
            negative = c == b'-';
            *i += 1;
            used += 1;
        }
    }
    if used + 2 <= limit
        && s.get(*i) == Some(&b'0')
        && matches!(s.get(*i + 1), Some(b'x' | b'X'))
        && s.get(*i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        *i += 2;
        used += 2;
    }
    let mut value: i64 = 0;
    let mut digits = 0;
    while used < limit {
        let Some(d) = s.get(*i).and_then(|c| (*c as char).to_digit(16)) else {
            break;
        };
        value = value.saturating_mul(16).saturating_add(d as i64);
        *i += 1;
        used += 1;
        digits += 1;
    }
    (digits > 0).then_some(if negative { -value } else { value })
}

/// Runs one of `macaddr_in`'s `sscanf` formats: `width` per field and the separator
/// expected after each of the first five (`None`: none). True when all six fields
/// matched and nothing but white space follows.
fn scan_format(s: &[u8], width: usize, separators: [Option<u8>; 5], out: &mut [i64; 6]) -> bool {
    let mut i = 0;
    for (k, slot) in out.iter_mut().enumerate() {
        match scan_hex(s, &mut i, width) {
            Some(v) => *slot = v,
            None => return false,
        }
        if k < 5 {
            if let Some(sep) = separators[k] {
                if s.get(i) != Some(&sep) {
                    return false;
                }
                i += 1;
            }
        }
    }
    s[i..].iter().all(u8::is_ascii_whitespace)
}

/// `macaddr_in`: `08:00:2b:01:02:03`, `08-00-2b-01-02-03`, `08002b:010203`,
/// `08002b-010203`, `0800.2b01.0203`, `0800-2b01-0203`, `08002b010203`.
///
/// Errors: 22P02 `invalid input syntax for type macaddr: "..."`; 22003 `invalid octet
/// value in "macaddr" value: "..."`.
pub fn macaddr_in(text: &str) -> Result<[u8; 6]> {
    let s = text.as_bytes();
    let c = Some(b':');
    let h = Some(b'-');
    let d = Some(b'.');
    let formats: [(usize, [Option<u8>; 5]); 7] = [
        (0, [c, c, c, c, c]),
        (0, [h, h, h, h, h]),
        (2, [None, None, c, None, None]),
        (2, [None, None, h, None, None]),
        (2, [None, d, None, d, None]),
        (2, [None, h, None, h, None]),
        (2, [None; 5]),
    ];
    let mut v = [0i64; 6];
    if !formats
        .iter()
        .any(|(width, seps)| scan_format(s, *width, *seps, &mut v))
    {
        return Err(pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type {}: \"{}\"",
            "macaddr",
            text
        ));
    }
    if v.iter().any(|o| !(0..=255).contains(o)) {
        return Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "invalid octet value in \"macaddr\" value: \"{}\"",
            text
        ));
    }
    Ok(v.map(|o| o as u8))
}

/// `macaddr_out`: six lower-case hex pairs joined by colons.
pub fn macaddr_out(b: &[u8]) -> String {
    hex_pairs(b)
}

/// `macaddr8_out`: eight lower-case hex pairs joined by colons.
pub fn macaddr8_out(b: &[u8]) -> String {
    hex_pairs(b)
}

fn hex_pairs(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// `macaddr8_in`: 6 or 8 hex pairs, optionally separated by one of `:`, `-`, `.` used
/// throughout, with white space allowed around them; a 6-byte address becomes EUI-64 by
/// inserting `ff:fe` in the middle.
///
/// Errors: 22P02 `invalid input syntax for type macaddr8: "..."`.
pub fn macaddr8_in(text: &str) -> Result<[u8; 8]> {
    let bad = || {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type {}: \"{}\"",
            "macaddr8",
            text
        )
    };
    let s = text.as_bytes();
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while at(i).is_ascii_whitespace() {
        i += 1;
    }
    let mut bytes = [0u8; 8];
    let mut count = 0;
    let mut spacer = 0u8;
    while at(i) != 0 && at(i + 1) != 0 {
        count += 1;
        if count > 8 {
            return Err(bad());
        }
        let hi = (at(i) as char).to_digit(16).ok_or_else(bad)?;
        let lo = (at(i + 1) as char).to_digit(16).ok_or_else(bad)?;
        bytes[count - 1] = (hi * 16 + lo) as u8;
        i += 2;
        let c = at(i);
        if matches!(c, b':' | b'-' | b'.') {
            if spacer == 0 {
                spacer = c;
            } else if spacer != c {
                return Err(bad());
            }
            i += 1;
        }
        if (count == 6 || count == 8) && at(i).is_ascii_whitespace() {
            i += 1;
            while at(i) != 0 && at(i).is_ascii_whitespace() {
                i += 1;
            }
            if at(i) != 0 {
                return Err(bad());
            }
        }
    }
    match count {
        6 => Ok([
            bytes[0], bytes[1], bytes[2], 0xff, 0xfe, bytes[3], bytes[4], bytes[5],
        ]),
        8 => Ok(bytes),
        _ => Err(bad()),
    }
}

/// `macaddr8(macaddr)`: EUI-48 to EUI-64 with `ff:fe` inserted (`macaddrtomacaddr8`).
pub fn macaddr_to_macaddr8(b: &[u8]) -> [u8; 8] {
    [b[0], b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]]
}

/// `macaddr(macaddr8)` (`macaddr8tomacaddr`).
///
/// Errors: 22003 `macaddr8 data out of range to convert to macaddr` unless the 4th and
/// 5th bytes are `ff:fe`.
pub fn macaddr8_to_macaddr(b: &[u8]) -> Result<[u8; 6]> {
    if b[3] != 0xff || b[4] != 0xfe {
        return Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "macaddr8 data out of range to convert to macaddr"
        )
        .hint(
            "Only addresses that have FF and FE as values in the 4th and 5th bytes from \
             the left, for example xx:xx:xx:ff:fe:xx:xx:xx, are eligible to be converted \
             from macaddr8 to macaddr.",
        ));
    }
    Ok([b[0], b[1], b[2], b[5], b[6], b[7]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macaddr_accepts_postgres_formats() {
        for input in [
            "08:00:2b:01:02:03",
            "08-00-2b-01-02-03",
            "08002b:010203",
            "08002b-010203",
            "0800.2b01.0203",
            "0800-2b01-0203",
            "08002b010203",
            "8:0:2b:1:2:3",
            " 08:00:2B:01:02:03 ",
        ] {
            assert_eq!(
                macaddr_out(&macaddr_in(input).expect(input)),
                "08:00:2b:01:02:03",
                "{input}"
            );
        }
        for bad in [
            "0800:2b01:0203",
            "not even close",
            "08:00:2b:01:02",
            "08:00:2b:01:02:03:04",
        ] {
            let e = macaddr_in(bad).expect_err(bad);
            assert_eq!(
                e.message,
                format!("invalid input syntax for type macaddr: \"{bad}\"")
            );
        }
        let e = macaddr_in("08:00:2b:01:02:100").expect_err("octet");
        assert_eq!(e.code.code(), "22003");
    }

    #[test]
    fn macaddr8_accepts_6_or_8_bytes() {
        assert_eq!(
            macaddr8_out(&macaddr8_in("  08:00:2b:01:02:03  ").expect("6 bytes")),
            "08:00:2b:ff:fe:01:02:03"
        );
        assert_eq!(
            macaddr8_out(&macaddr8_in("0800.2b01.0203.0405").expect("dots")),
            "08:00:2b:01:02:03:04:05"
        );
        for bad in [
            "123    08:00:2b:01:02:03",
            "08:00:2b:01:02:03  123",
            "08:00:2b:01:02:03:04:05:06:07",
            "08:00-2b:01:02:03:04:05",
            "0z002b0102030405",
        ] {
            assert!(macaddr8_in(bad).is_err(), "{bad}");
        }
        let b = macaddr8_in("08:00:2b:01:02:03:04:05").expect("valid");
        assert_eq!(
            macaddr8_to_macaddr(&b).expect_err("no ff:fe").code.code(),
            "22003"
        );
        let b = macaddr_to_macaddr8(&[8, 0, 0x2b, 1, 2, 3]);
        assert_eq!(
            macaddr8_to_macaddr(&b).expect("ff:fe"),
            [8, 0, 0x2b, 1, 2, 3]
        );
    }
}
