//! Size formatting: `pg_size_pretty(bigint)` and `pg_size_bytes(text)` (PostgreSQL docs
//! §9.27.7), and `pg_database_size` of the current database: the bytes of every relation
//! in it (catalogs included), as the directory PostgreSQL measures holds them.
//!
//! Invariants, as PostgreSQL 15: a unit is used while the magnitude stays below its limit
//! (10240 bytes, then 20480 - 1 of each larger unit); kB and up are rounded half away
//! from zero; units step by 1024 and parse case-insensitively.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use super::catalog_info::{catalog, oid_arg};
use super::{reg, Table};
use crate::EvalContext;

/// `pg_database_size(name | oid)`: NULL for an unknown OID.
///
/// Errors: 3D000 `database "x" does not exist`; I/O errors measuring another database's
/// directory.
fn database_size(ctx: &mut EvalContext<'_>, arg: &Datum) -> Result<Datum> {
    let db = catalog("pg_database");
    let rows = ctx.session.catalog_rows(db.oid)?;
    let name_of = |r: &Vec<Datum>| match &r[db.col("datname")] {
        Datum::Text(s) => s.clone(),
        _ => String::new(),
    };
    let target = match arg {
        Datum::Text(name) => match rows.iter().find(|r| name_of(r) == *name) {
            Some(r) => r,
            None => {
                return Err(pg_err!(
                    UNDEFINED_DATABASE,
                    "database \"{}\" does not exist",
                    name
                ))
            }
        },
        other => match rows
            .iter()
            .find(|r| oid_arg(&r[db.col("oid")]) == oid_arg(other))
        {
            Some(r) => r,
            None => return Ok(Datum::Null),
        },
    };
    if name_of(target) != ctx.database {
        // Another database's catalogs are not readable here: its directory is measured.
        let oid = oid_arg(&target[db.col("oid")]).unwrap_or(Oid::INVALID);
        return Ok(Datum::Int8(ctx.session.database_size(oid)?));
    }
    let class = catalog("pg_class");
    let mut total = 0i64;
    for row in ctx.session.catalog_rows(class.oid)?.iter() {
        let rel = oid_arg(&row[class.col("oid")]).unwrap_or(Oid::INVALID);
        total += ctx.session.relation_size(rel)?.unwrap_or(0);
    }
    Ok(Datum::Int8(total))
}

/// A size unit: name, limit below which it is used, whether it rounds, and its power
/// of two.
struct Unit {
    name: &'static str,
    limit: i64,
    round: bool,
    bits: u32,
}

const UNITS: [Unit; 6] = [
    Unit {
        name: "bytes",
        limit: 10 * 1024,
        round: false,
        bits: 0,
    },
    Unit {
        name: "kB",
        limit: 20 * 1024 - 1,
        round: true,
        bits: 10,
    },
    Unit {
        name: "MB",
        limit: 20 * 1024 - 1,
        round: true,
        bits: 20,
    },
    Unit {
        name: "GB",
        limit: 20 * 1024 - 1,
        round: true,
        bits: 30,
    },
    Unit {
        name: "TB",
        limit: 20 * 1024 - 1,
        round: true,
        bits: 40,
    },
    Unit {
        name: "PB",
        limit: 20 * 1024 - 1,
        round: true,
        bits: 50,
    },
];

fn half_rounded(x: i64) -> i64 {
    (x + if x < 0 { -1 } else { 1 }) / 2
}

/// `pg_size_pretty(bigint)`: `10 kB`, `-977 kB`, ...
pub fn size_pretty(mut size: i64) -> String {
    let mut i = 0;
    while i + 1 < UNITS.len() && size.unsigned_abs() >= UNITS[i].limit.unsigned_abs() {
        let (unit, next) = (&UNITS[i], &UNITS[i + 1]);
        let bits = next.bits - unit.bits - u32::from(next.round) + u32::from(unit.round);
        size /= 1i64 << bits;
        i += 1;
    }
    if UNITS[i].round {
        size = half_rounded(size);
    }
    format!("{size} {}", UNITS[i].name)
}

/// `pg_size_pretty(numeric)`: [`size_pretty`] in numeric arithmetic, so sizes beyond
/// bigint print too; fractions stay in a value printed in bytes, larger units truncate
/// and then round half away from zero; NaN and infinities print in PB.
///
/// Errors: none in practice (numeric division by a power of two).
pub fn size_pretty_numeric(size: &Numeric) -> Result<String> {
    let mut size = size.clone();
    let mut i = 0;
    while i + 1 < UNITS.len()
        && size
            .abs()
            .cmp_numeric(&Numeric::from(UNITS[i].limit))
            .is_ge()
    {
        let (unit, next) = (&UNITS[i], &UNITS[i + 1]);
        let bits = next.bits - unit.bits - u32::from(next.round) + u32::from(unit.round);
        size = size.div_trunc(&Numeric::from(1i64 << bits))?;
        i += 1;
    }
    if UNITS[i].round {
        let half = Numeric::from(if size.is_negative() { -1 } else { 1 });
        size = size.add(&half)?.div_trunc(&Numeric::from(2))?;
    }
    Ok(format!("{size} {}", UNITS[i].name))
}

fn invalid_size(input: &str) -> Error {
    pg_err!(INVALID_PARAMETER_VALUE, "invalid size: \"{}\"", input)
}

fn skip_digits(b: &[u8], mut at: usize) -> usize {
    while at < b.len() && b[at].is_ascii_digit() {
        at += 1;
    }
    at
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// `pg_size_bytes(text)`: a number (sign, decimals and exponent allowed) and an optional
/// unit, in bytes, rounded to a whole number.
///
/// Errors: 22023 `invalid size: "..."` (with the unit in the detail when the unit is
/// wrong); 22003 `bigint out of range`.
pub fn size_bytes(input: &str) -> Result<i64> {
    let b = input.as_bytes();
    let mut start = 0;
    while start < b.len() && is_space(b[start]) {
        start += 1;
    }
    let mut end = start;
    if end < b.len() && matches!(b[end], b'-' | b'+') {
        end += 1;
    }
    let mut have_digits = false;
    let after = skip_digits(b, end);
    if after > end {
        have_digits = true;
        end = after;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
        let after = skip_digits(b, end);
        if after > end {
            have_digits = true;
            end = after;
        }
    }
    if !have_digits {
        return Err(invalid_size(input));
    }
    if end < b.len() && matches!(b[end], b'e' | b'E') {
        // As strtol: optional white space and sign, then digits; otherwise the `e` is
        // left for the unit.
        let mut cp = end + 1;
        while cp < b.len() && is_space(b[cp]) {
            cp += 1;
        }
        if cp < b.len() && matches!(b[cp], b'-' | b'+') {
            cp += 1;
        }
        let after = skip_digits(b, cp);
        if after > cp {
            end = after;
        }
    }
    let mut num = Numeric::parse(&input[start..end])?;
    let unit = input[end..].trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8));
    if !unit.is_empty() {
        let unit = unit.trim_end_matches(|c: char| c.is_ascii() && is_space(c as u8));
        let Some(found) = UNITS.iter().find(|u| u.name.eq_ignore_ascii_case(unit)) else {
            return Err(invalid_size(input)
                .detail(format!("Invalid size unit: \"{unit}\"."))
                .hint("Valid units are \"bytes\", \"kB\", \"MB\", \"GB\", \"TB\", and \"PB\"."));
        };
        if found.bits > 0 {
            num = num.mul(&Numeric::from(1i64 << found.bits))?;
        }
    }
    num.to_i64()
}

pub(super) fn register(t: &mut Table) {
    reg(
        t,
        &["pg_database_size_name", "pg_database_size_oid"],
        |ctx, a| database_size(ctx, &a[0]),
    );
    reg(t, &["pg_size_pretty"], |_, a| match &a[0] {
        Datum::Int8(v) => Ok(Datum::Text(size_pretty(*v))),
        other => Err(Error::internal(format!("bigint expected, got {other:?}"))),
    });
    reg(t, &["pg_size_pretty_numeric"], |_, a| match &a[0] {
        Datum::Numeric(v) => size_pretty_numeric(v).map(Datum::Text),
        other => Err(Error::internal(format!("numeric expected, got {other:?}"))),
    });
    reg(t, &["pg_size_bytes"], |_, a| match &a[0] {
        Datum::Text(s) => size_bytes(s).map(Datum::Int8),
        other => Err(Error::internal(format!("text expected, got {other:?}"))),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::SqlState;

    #[test]
    fn numeric_pretty_sizes_follow_the_bigint_ones() {
        let pretty = |s: &str| size_pretty_numeric(&Numeric::parse(s).unwrap()).unwrap();
        for v in [0, 10239, 10240, -1_000_000, 10_485_248, i64::MIN, i64::MAX] {
            assert_eq!(pretty(&v.to_string()), size_pretty(v), "{v}");
        }
        assert_eq!(pretty("1.5"), "1.5 bytes");
        assert_eq!(pretty("-10240.7"), "-10 kB");
        assert_eq!(pretty("10485247.9"), "10239 kB");
        assert_eq!(
            pretty("123456789012345678901234567890"),
            "109651655766237 PB"
        );
        assert_eq!(pretty("NaN"), "NaN PB");
        assert_eq!(pretty("Infinity"), "Infinity PB");
    }

    #[test]
    fn pretty_sizes_change_unit_at_the_limits() {
        assert_eq!(size_pretty(8192), "8192 bytes");
        assert_eq!(size_pretty(123_456_789), "118 MB");
        assert_eq!(size_pretty(-20_000), "-20 kB");
        assert_eq!(size_pretty(10239), "10239 bytes");
        assert_eq!(size_pretty(10240), "10 kB");
        assert_eq!(size_pretty(-1_000_000), "-977 kB");
        assert_eq!(size_pretty(10_485_248), "10 MB");
        assert_eq!(size_pretty(11_258_449_312_612_351), "10239 TB");
        assert_eq!(size_pretty(11_258_449_312_612_352), "10 PB");
        assert_eq!(size_pretty(i64::MIN), "-8192 PB");
        assert_eq!(size_pretty(i64::MAX), "8192 PB");
    }

    #[test]
    fn sizes_parse_with_units_signs_and_exponents() {
        assert_eq!(size_bytes("123bYteS").expect("parses"), 123);
        assert_eq!(size_bytes(" 1.5 gB ").expect("parses"), 1_610_612_736);
        assert_eq!(size_bytes("1e6 MB").expect("parses"), 1_048_576_000_000);
        assert_eq!(size_bytes("-10e-1 MB").expect("parses"), -1_048_576);
        assert_eq!(size_bytes("-.1kb").expect("parses"), -102);
        assert_eq!(size_bytes("-1.").expect("parses"), -1);
    }

    #[test]
    fn bad_sizes_are_22023_and_huge_ones_22003() {
        let err = size_bytes("1 AB A    ").expect_err("bad unit");
        assert_eq!(err.message, "invalid size: \"1 AB A    \"");
        assert_eq!(err.detail.as_deref(), Some("Invalid size unit: \"AB A\"."));
        assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE);
        for bad in ["", "kb", "..", "-.", "-. kb", ".+912", "++123 kB"] {
            let err = size_bytes(bad).expect_err(bad);
            assert_eq!(err.message, format!("invalid size: \"{bad}\""));
        }
        let err = size_bytes("+912+ kB").expect_err("bad unit");
        assert_eq!(err.detail.as_deref(), Some("Invalid size unit: \"+ kB\"."));
        let err = size_bytes("1e100").expect_err("too big");
        assert_eq!(err.code, SqlState::NUMERIC_VALUE_OUT_OF_RANGE);
    }
}
