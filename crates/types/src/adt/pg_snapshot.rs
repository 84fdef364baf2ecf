//! `xid8` and `pg_snapshot` (PostgreSQL docs §8.19 "Object Identifier Types" and §9.27.5
//! "Transaction ID and Snapshot Information Functions", `utils/adt/xid8funcs.c`).
//!
//! An `xid8` is a full transaction id: the 32-bit xid stamped on tuples in the low half,
//! the number of xid wraparounds before it (the epoch) in the high half. It is carried in
//! `Datum::Int8` with the same bits and compares unsigned. `txid_*` functions use the
//! same values as `bigint`.
//!
//! A `pg_snapshot` (also `txid_snapshot`) is `xmin:xmax:xip,...`: every transaction before
//! `xmin` had ended, none from `xmax` on had started, and those listed were running. Its
//! text form is kept in `Datum::Text`, normalised by [`PgSnapshot::parse`].

use crate::{pg_err, Result};

/// C's `strtoull(text, NULL, 0)` as PostgreSQL's `xidin`, `xid8in` and `cidin` use it:
/// leading white space, an optional sign (a minus negates modulo 2^64), then a `0x` hex,
/// `0` octal or decimal number; parsing stops at the first other character, so garbage
/// reads as 0, and an overflowing number is `u64::MAX`.
pub fn strtou64_base0(text: &str) -> u64 {
    let bytes = text
        .trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c'])
        .as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let rest = &bytes[i..];
    let (radix, digits) = if rest.len() > 2
        && rest[0] == b'0'
        && (rest[1] | 0x20) == b'x'
        && rest[2].is_ascii_hexdigit()
    {
        (16, &rest[2..])
    } else if rest.first() == Some(&b'0') {
        (8, rest)
    } else {
        (10, rest)
    };
    let mut value: u64 = 0;
    let mut overflow = false;
    for &b in digits {
        let Some(d) = (b as char).to_digit(radix) else {
            break;
        };
        match value
            .checked_mul(u64::from(radix))
            .and_then(|v| v.checked_add(u64::from(d)))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
    }
    if overflow {
        u64::MAX
    } else if negative {
        value.wrapping_neg()
    } else {
        value
    }
}

/// Whether full transaction id `fxid` is valid: its 32-bit xid is not 0
/// (`FullTransactionIdIsValid`).
pub fn full_xid_is_valid(fxid: u64) -> bool {
    fxid as u32 != 0
}

/// A snapshot of full transaction ids (`pg_snapshot`).
///
/// Invariants: `xmin` and `xmax` are valid and `xmin <= xmax`; `xip` is sorted, without
/// duplicates, each in `[xmin, xmax)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgSnapshot {
    /// Oldest transaction still running; all before it had ended.
    pub xmin: u64,
    /// First transaction not yet started.
    pub xmax: u64,
    /// Transactions running between them.
    pub xip: Vec<u64>,
}

impl PgSnapshot {
    /// Parses `xmin:xmax:xip1,xip2,...` (decimal), dropping repeated xips
    /// (`pg_snapshot_in`).
    ///
    /// Errors: 22P02 `invalid input syntax for type pg_snapshot: "..."` (also for
    /// `txid_snapshot`, as PostgreSQL words it) when a part is missing, a bound is
    /// invalid, `xmax` precedes `xmin`, or the xips are out of order or out of bounds.
    pub fn parse(text: &str) -> Result<PgSnapshot> {
        let bad = || {
            pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type pg_snapshot: \"{}\"",
                text
            )
        };
        // strtou64(.., 10): white space and a sign may lead; digits until anything else.
        fn number(s: &str) -> (u64, &str) {
            let trimmed = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
            let (negative, body) = match trimmed.as_bytes().first() {
                Some(b'-') => (true, &trimmed[1..]),
                Some(b'+') => (false, &trimmed[1..]),
                _ => (false, trimmed),
            };
            let end = body
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(body.len());
            if end == 0 {
                return (0, s);
            }
            let value = body[..end].parse::<u64>().unwrap_or(u64::MAX);
            let value = if negative {
                value.wrapping_neg()
            } else {
                value
            };
            (value, &body[end..])
        }
        let (xmin, rest) = number(text);
        let rest = rest.strip_prefix(':').ok_or_else(bad)?;
        let (xmax, rest) = number(rest);
        let mut rest = rest.strip_prefix(':').ok_or_else(bad)?;
        if !full_xid_is_valid(xmin) || !full_xid_is_valid(xmax) || xmax < xmin {
            return Err(bad());
        }
        let mut xip: Vec<u64> = Vec::new();
        let mut last = 0u64;
        while !rest.is_empty() {
            let (value, after) = number(rest);
            rest = after;
            if value < xmin || value >= xmax || value < last {
                return Err(bad());
            }
            if value != last {
                xip.push(value);
            }
            last = value;
            if let Some(after) = rest.strip_prefix(',') {
                rest = after;
            } else if !rest.is_empty() {
                return Err(bad());
            }
        }
        Ok(PgSnapshot { xmin, xmax, xip })
    }

    /// The text form, `xmin:xmax:xip1,xip2` (`pg_snapshot_out`).
    pub fn to_text(&self) -> String {
        let xip: Vec<String> = self.xip.iter().map(u64::to_string).collect();
        format!("{}:{}:{}", self.xmin, self.xmax, xip.join(","))
    }

    /// Whether transaction `fxid`'s effects are visible in the snapshot: it ended before
    /// `xmin`, or it is before `xmax` and was not running (`pg_visible_in_snapshot`).
    pub fn is_visible(&self, fxid: u64) -> bool {
        if fxid < self.xmin {
            true
        } else if fxid >= self.xmax {
            false
        } else {
            self.xip.binary_search(&fxid).is_err()
        }
    }

    /// The binary form (`pg_snapshot_send`): int4 count of xips, int8 xmin, int8 xmax,
    /// then each xip as int8, big-endian.
    pub fn send(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20 + 8 * self.xip.len());
        out.extend_from_slice(&(self.xip.len() as i32).to_be_bytes());
        out.extend_from_slice(&self.xmin.to_be_bytes());
        out.extend_from_slice(&self.xmax.to_be_bytes());
        for x in &self.xip {
            out.extend_from_slice(&x.to_be_bytes());
        }
        out
    }

    /// Reads the binary form (`pg_snapshot_recv`), dropping repeated xips.
    ///
    /// Errors: 22P03 `invalid external pg_snapshot data` for a wrong length, invalid
    /// bounds or xips out of order or out of bounds.
    pub fn recv(bytes: &[u8]) -> Result<PgSnapshot> {
        let bad = || {
            pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "invalid external pg_snapshot data"
            )
        };
        let int8 = |at: usize| -> Result<u64> {
            bytes
                .get(at..at + 8)
                .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
                .ok_or_else(bad)
        };
        let count = bytes
            .get(..4)
            .map(|b| i32::from_be_bytes(b.try_into().expect("4 bytes")))
            .ok_or_else(bad)?;
        let count = usize::try_from(count).map_err(|_| bad())?;
        if bytes.len() != 20 + 8 * count {
            return Err(bad());
        }
        let (xmin, xmax) = (int8(4)?, int8(12)?);
        if !full_xid_is_valid(xmin) || !full_xid_is_valid(xmax) || xmax < xmin {
            return Err(bad());
        }
        let mut xip: Vec<u64> = Vec::with_capacity(count);
        let mut last = 0u64;
        for i in 0..count {
            let value = int8(20 + 8 * i)?;
            if value < last || value < xmin || value >= xmax {
                return Err(bad());
            }
            if value != last {
                xip.push(value);
            }
            last = value;
        }
        Ok(PgSnapshot { xmin, xmax, xip })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtou64_reads_as_c_does() {
        assert_eq!(strtou64_base0("010"), 8);
        assert_eq!(strtou64_base0("42"), 42);
        assert_eq!(strtou64_base0("0xffffffffffffffff"), u64::MAX);
        assert_eq!(strtou64_base0("-1"), u64::MAX);
        assert_eq!(strtou64_base0(""), 0);
        assert_eq!(strtou64_base0("asdf"), 0);
        assert_eq!(strtou64_base0("  12abc"), 12);
        assert_eq!(strtou64_base0("99999999999999999999999"), u64::MAX);
        assert_eq!(strtou64_base0("0x"), 0);
    }

    #[test]
    fn parse_normalises_and_checks_order() {
        let s = PgSnapshot::parse("12:16:14,14").unwrap();
        assert_eq!(s.to_text(), "12:16:14");
        assert_eq!(PgSnapshot::parse("12:13:").unwrap().to_text(), "12:13:");
        for bad in [
            "31:12:",
            "0:1:",
            "12:13:0",
            "12:16:14,13",
            "1:9223372036854775808:3",
            "1:2",
            "a:b:",
        ] {
            assert!(PgSnapshot::parse(bad).is_err(), "{bad}");
        }
        assert!(PgSnapshot::parse("1:9223372036854775807:3").is_ok());
    }

    #[test]
    fn visibility_follows_the_three_ranges() {
        let s = PgSnapshot::parse("12:20:13,15,18").unwrap();
        let visible: Vec<u64> = (11..=21).filter(|x| s.is_visible(*x)).collect();
        assert_eq!(visible, vec![11, 12, 14, 16, 17, 19]);
    }

    #[test]
    fn binary_round_trip() {
        let s = PgSnapshot::parse("100:150:101,120").unwrap();
        assert_eq!(PgSnapshot::recv(&s.send()).unwrap(), s);
        assert!(PgSnapshot::recv(&[0, 0, 0, 1]).is_err());
    }
}
