//! `pg_lsn`: a WAL location as PostgreSQL shows it, `X/X` (the high and low 32 bits in
//! upper-case hex), PostgreSQL's `utils/adt/pg_lsn.c`.
//!
//! The value is an unsigned 64-bit byte position, carried in `Datum::Int8` with the same
//! bits; comparisons must treat it as unsigned ([`compare`]). Arithmetic with byte counts
//! goes through `numeric`, as PostgreSQL's `pg_lsn_pli` / `pg_lsn_mii` / `pg_lsn_mi` do.

use std::cmp::Ordering;

use crate::adt::numeric::Numeric;
use crate::{pg_err, Result};

/// Parses `X/X` (1 to 8 hex digits each side), PostgreSQL's `pg_lsn_in_internal`.
///
/// Errors: 22P02 `invalid input syntax for type pg_lsn: "..."`.
pub fn pg_lsn_in(text: &str) -> Result<u64> {
    let bad = || {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type {}: \"{}\"",
            "pg_lsn",
            text
        )
    };
    let (hi, lo) = text.split_once('/').ok_or_else(bad)?;
    let half = |s: &str| -> Result<u64> {
        if s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        u64::from_str_radix(s, 16).map_err(|_| bad())
    };
    Ok((half(hi)? << 32) | half(lo)?)
}

/// `X/X` in upper-case hex, PostgreSQL's `pg_lsn_out`.
pub fn pg_lsn_out(lsn: u64) -> String {
    format!("{:X}/{:X}", lsn >> 32, lsn & 0xFFFF_FFFF)
}

/// Orders two LSNs carried as `i64` bits (unsigned comparison).
pub fn compare(a: i64, b: i64) -> Ordering {
    (a as u64).cmp(&(b as u64))
}

/// `lsn1 - lsn2` in bytes (may be negative), `pg_lsn_mi` / `pg_wal_lsn_diff`.
pub fn difference(a: u64, b: u64) -> Numeric {
    let (big, small, negative) = if a >= b { (a, b, false) } else { (b, a, true) };
    let n = numeric_of(big - small);
    if negative {
        n.neg()
    } else {
        n
    }
}

fn numeric_of(v: u64) -> Numeric {
    Numeric::parse(&v.to_string()).expect("an unsigned integer is a valid numeric")
}

/// `numeric::pg_lsn`: rounds to a whole byte position, PostgreSQL's `numeric_pg_lsn`.
///
/// Errors: 0A000 "cannot convert NaN to pg_lsn" / "cannot convert infinity to pg_lsn";
/// 22003 "pg_lsn out of range" outside 0 .. 2^64-1.
pub fn from_numeric(n: &Numeric) -> Result<u64> {
    if n.is_nan() {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "cannot convert NaN to {}",
            "pg_lsn"
        ));
    }
    if n.is_infinite() {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "cannot convert infinity to {}",
            "pg_lsn"
        ));
    }
    let rounded = n.round(0)?;
    rounded
        .to_string()
        .parse::<u64>()
        .map_err(|_| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "pg_lsn out of range"))
}

/// `lsn + bytes` (`subtract` false) or `lsn - bytes`, PostgreSQL's `pg_lsn_pli` /
/// `pg_lsn_mii`.
///
/// Errors: 0A000 "cannot add NaN to pg_lsn" / "cannot subtract NaN from pg_lsn"; those of
/// [`from_numeric`] for a result outside the range.
pub fn add_bytes(lsn: u64, bytes: &Numeric, subtract: bool) -> Result<u64> {
    if bytes.is_nan() {
        return Err(if subtract {
            pg_err!(FEATURE_NOT_SUPPORTED, "cannot subtract NaN from pg_lsn")
        } else {
            pg_err!(FEATURE_NOT_SUPPORTED, "cannot add NaN to pg_lsn")
        });
    }
    let base = numeric_of(lsn);
    let result = if subtract {
        base.sub(bytes)?
    } else {
        base.add(bytes)?
    };
    from_numeric(&result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_like_postgres() {
        assert_eq!(pg_lsn_in("0/16AE7F7").expect("valid"), 0x16AE7F7);
        assert_eq!(pg_lsn_out(0x16AE7F7), "0/16AE7F7");
        assert_eq!(
            pg_lsn_out(pg_lsn_in("ffffffff/ffffffff").expect("valid")),
            "FFFFFFFF/FFFFFFFF"
        );
        for bad in [
            "G/0",
            "-1/0",
            " 0/12345678",
            "ABCD/",
            "/ABCD",
            "0/123456789",
            "",
        ] {
            let e = pg_lsn_in(bad).expect_err(bad);
            assert_eq!(
                e.message,
                format!("invalid input syntax for type pg_lsn: \"{bad}\"")
            );
        }
    }

    #[test]
    fn order_is_unsigned_and_arithmetic_goes_through_numeric() {
        let max = u64::MAX as i64;
        assert_eq!(compare(max, 1), Ordering::Greater);
        assert_eq!(difference(0, u64::MAX).to_string(), "-18446744073709551615");
        let n = |s: &str| Numeric::parse(s).expect("numeric");
        assert_eq!(add_bytes(10, &n("16.4"), false).expect("fits"), 26);
        assert_eq!(add_bytes(10, &n("10"), true).expect("fits"), 0);
        assert_eq!(
            add_bytes(10, &n("11"), true).expect_err("negative").message,
            "pg_lsn out of range"
        );
        assert_eq!(
            add_bytes(u64::MAX, &n("1"), false)
                .expect_err("too big")
                .message,
            "pg_lsn out of range"
        );
        assert_eq!(
            add_bytes(1, &Numeric::nan(), false)
                .expect_err("NaN")
                .message,
            "cannot add NaN to pg_lsn"
        );
    }
}
