//! `bit` and `bit varying` operators and functions (PostgreSQL docs §9.6, `varbit.c`):
//! comparison, `||`, `& | # ~ << >>`, `length`, `octet_length`, `position`,
//! `substring`, `overlay`, `get_bit`, `set_bit`, `bit_count`, the casts to and from
//! `int4`/`int8`, and the length coercions `bit(n)` / `varbit(n)`.
//!
//! Values are `Datum::Bytea` holding `BitString::to_key` (see `tusk_types::adt::bit`);
//! `bit varying` shares `bit`'s functions, as in PostgreSQL. Entry points: `register`
//! and `sql_language_function` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::adt::bit::{malformed, BitString};
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};

fn bits(d: &Datum) -> Result<BitString> {
    match d {
        Datum::Bytea(key) => BitString::from_key(key).ok_or_else(malformed),
        other => Err(Error::internal(format!(
            "bit string expected, got {other:?}"
        ))),
    }
}

fn int4(d: &Datum) -> Result<i32> {
    match d {
        Datum::Int4(v) => Ok(*v),
        other => Err(Error::internal(format!("integer expected, got {other:?}"))),
    }
}

fn value(b: BitString) -> Datum {
    Datum::Bytea(b.to_key())
}

/// The keys order as `bitcmp` does (see the encoding's module header).
fn cmp(a: &[Datum]) -> Result<Ordering> {
    match (&a[0], &a[1]) {
        (Datum::Bytea(x), Datum::Bytea(y)) => Ok(x.cmp(y)),
        _ => Err(malformed()),
    }
}

fn combine(a: &[Datum], name: &str, f: fn(u8, u8) -> u8) -> Result<Datum> {
    Ok(value(bits(&a[0])?.combine(&bits(&a[1])?, name, f)?))
}

/// The typmod argument of `bitfromint4(int4, typmod)`: no typmod means `bit(1)`.
fn target_length(typmod: &Datum) -> Result<usize> {
    let n = int4(typmod)?;
    Ok(if n <= 0 || n as usize > tusk_types::adt::bit::MAX_BITS {
        1
    } else {
        n as usize
    })
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["biteq"], |_, a| Ok(Datum::Bool(cmp(a)?.is_eq())));
    reg(t, &["bitne"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ne())));
    reg(t, &["bitlt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_lt())));
    reg(t, &["bitle"], |_, a| Ok(Datum::Bool(cmp(a)?.is_le())));
    reg(t, &["bitgt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_gt())));
    reg(t, &["bitge"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ge())));
    reg(t, &["bitcmp"], |_, a| Ok(Datum::Int4(cmp(a)? as i32)));
    reg(t, &["bitcat"], |_, a| {
        Ok(value(bits(&a[0])?.concat(&bits(&a[1])?)))
    });
    reg(t, &["bit_and"], |_, a| combine(a, "AND", |x, y| x & y));
    reg(t, &["bit_or"], |_, a| combine(a, "OR", |x, y| x | y));
    reg(t, &["bitxor"], |_, a| combine(a, "XOR", |x, y| x ^ y));
    reg(t, &["bitnot"], |_, a| Ok(value(bits(&a[0])?.not())));
    reg(t, &["bitshiftleft"], |_, a| {
        Ok(value(bits(&a[0])?.shift_left(int4(&a[1])?)))
    });
    reg(t, &["bitshiftright"], |_, a| {
        let n = int4(&a[1])?;
        Ok(value(
            bits(&a[0])?.shift_left(n.checked_neg().unwrap_or(i32::MAX)),
        ))
    });
    reg(t, &["bitlength"], |_, a| {
        Ok(Datum::Int4(bits(&a[0])?.len() as i32))
    });
    reg(t, &["bitoctetlength"], |_, a| {
        Ok(Datum::Int4(bits(&a[0])?.len().div_ceil(8) as i32))
    });
    reg(t, &["bitposition"], |_, a| {
        Ok(Datum::Int4(bits(&a[0])?.position(&bits(&a[1])?)))
    });
    reg(t, &["bitsubstr"], |_, a| {
        Ok(value(
            bits(&a[0])?.substring(int4(&a[1])?, Some(int4(&a[2])?))?,
        ))
    });
    reg(t, &["bitsubstr_no_len"], |_, a| {
        Ok(value(bits(&a[0])?.substring(int4(&a[1])?, None)?))
    });
    reg(t, &["bitoverlay"], |_, a| {
        Ok(value(bits(&a[0])?.overlay(
            &bits(&a[1])?,
            int4(&a[2])?,
            int4(&a[3])?,
        )?))
    });
    reg(t, &["bitoverlay_no_len"], |_, a| {
        let with = bits(&a[1])?;
        let length = with.len() as i32;
        Ok(value(bits(&a[0])?.overlay(&with, int4(&a[2])?, length)?))
    });
    reg(t, &["bitgetbit"], |_, a| {
        let b = bits(&a[0])?;
        let i = b.check_index(int4(&a[1])?)?;
        Ok(Datum::Int4(i32::from(b.get(i))))
    });
    reg(t, &["bitsetbit"], |_, a| {
        let mut b = bits(&a[0])?;
        let i = b.check_index(int4(&a[1])?)?;
        let on = match int4(&a[2])? {
            0 => false,
            1 => true,
            _ => return Err(pg_err!(INVALID_PARAMETER_VALUE, "new bit must be 0 or 1")),
        };
        b.set(i, on);
        Ok(value(b))
    });
    reg(t, &["bit_bit_count"], |_, a| {
        Ok(Datum::Int8(bits(&a[0])?.count_ones()))
    });
    reg(t, &["bitfromint4"], |_, a| {
        Ok(value(BitString::from_int(
            i64::from(int4(&a[0])?),
            32,
            target_length(&a[1])?,
        )))
    });
    reg(t, &["bitfromint8"], |_, a| match &a[0] {
        Datum::Int8(v) => Ok(value(BitString::from_int(*v, 64, target_length(&a[1])?))),
        other => Err(Error::internal(format!("bigint expected, got {other:?}"))),
    });
    reg(t, &["bittoint4"], |_, a| {
        Ok(Datum::Int4(bits(&a[0])?.to_int(32)? as i32))
    });
    reg(t, &["bittoint8"], |_, a| {
        Ok(Datum::Int8(bits(&a[0])?.to_int(64)?))
    });
    reg(t, &["bit"], |_, a| {
        let n = int4(&a[1])?;
        let explicit = matches!(a[2], Datum::Bool(true));
        let b = bits(&a[0])?;
        Ok(value(if n > 0 {
            b.coerce_bit(n as usize, explicit)?
        } else {
            b
        }))
    });
    reg(t, &["varbit"], |_, a| {
        let n = int4(&a[1])?;
        let explicit = matches!(a[2], Datum::Bool(true));
        let b = bits(&a[0])?;
        Ok(value(if n > 0 {
            b.coerce_varbit(n as usize, explicit)?
        } else {
            b
        }))
    });
}

/// SQL-language built-ins over bit strings, by `pg_proc` OID.
pub(super) fn sql_language_function(proc: u32) -> Option<super::ScalarFn> {
    Some(match proc {
        // bit_length(bit): length($1)
        1812 => |_, a| Ok(Datum::Int4(bits(&a[0])?.len() as i32)),
        _ => return None,
    })
}
