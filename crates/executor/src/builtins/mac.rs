//! `macaddr` and `macaddr8` operators and functions (PostgreSQL docs §9.12, `mac.c`,
//! `mac8.c`): bytewise comparison, bitwise `~ & |`, `trunc`, `macaddr8_set7bit` and the
//! conversions between the two types.
//!
//! Values are `Datum::Bytea` of 6 or 8 bytes (text forms in `io`).
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::adt::mac;
use tusk_types::{Datum, Error, Result};

use super::{reg, Table};

fn bytes(d: &Datum) -> Result<&[u8]> {
    match d {
        Datum::Bytea(b) if b.len() == 6 || b.len() == 8 => Ok(b),
        other => Err(Error::internal(format!("macaddr expected, got {other:?}"))),
    }
}

fn cmp(a: &[Datum]) -> Result<Ordering> {
    Ok(bytes(&a[0])?.cmp(bytes(&a[1])?))
}

fn combine(a: &[Datum], f: fn(u8, u8) -> u8) -> Result<Datum> {
    let (x, y) = (bytes(&a[0])?, bytes(&a[1])?);
    Ok(Datum::Bytea(
        x.iter().zip(y).map(|(p, q)| f(*p, *q)).collect(),
    ))
}

/// Keeps the first three bytes (the manufacturer's OUI), zeroes the rest.
fn trunc(a: &[Datum]) -> Result<Datum> {
    let b = bytes(&a[0])?;
    Ok(Datum::Bytea(
        b.iter()
            .enumerate()
            .map(|(i, x)| if i < 3 { *x } else { 0 })
            .collect(),
    ))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["macaddr_eq", "macaddr8_eq"], |_, a| {
        Ok(Datum::Bool(cmp(a)?.is_eq()))
    });
    reg(t, &["macaddr_ne", "macaddr8_ne"], |_, a| {
        Ok(Datum::Bool(cmp(a)?.is_ne()))
    });
    reg(t, &["macaddr_lt", "macaddr8_lt"], |_, a| {
        Ok(Datum::Bool(cmp(a)?.is_lt()))
    });
    reg(t, &["macaddr_le", "macaddr8_le"], |_, a| {
        Ok(Datum::Bool(cmp(a)?.is_le()))
    });
    reg(t, &["macaddr_gt", "macaddr8_gt"], |_, a| {
        Ok(Datum::Bool(cmp(a)?.is_gt()))
    });
    reg(t, &["macaddr_ge", "macaddr8_ge"], |_, a| {
        Ok(Datum::Bool(cmp(a)?.is_ge()))
    });
    reg(t, &["macaddr_cmp", "macaddr8_cmp"], |_, a| {
        Ok(Datum::Int4(match cmp(a)? {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["macaddr_not", "macaddr8_not"], |_, a| {
        Ok(Datum::Bytea(bytes(&a[0])?.iter().map(|x| !x).collect()))
    });
    reg(t, &["macaddr_and", "macaddr8_and"], |_, a| {
        combine(a, |x, y| x & y)
    });
    reg(t, &["macaddr_or", "macaddr8_or"], |_, a| {
        combine(a, |x, y| x | y)
    });
    reg(t, &["macaddr_trunc", "macaddr8_trunc"], |_, a| trunc(a));
    reg(t, &["macaddr8_set7bit"], |_, a| {
        let mut b = bytes(&a[0])?.to_vec();
        b[0] |= 0x02;
        Ok(Datum::Bytea(b))
    });
    reg(t, &["macaddrtomacaddr8"], |_, a| {
        Ok(Datum::Bytea(
            mac::macaddr_to_macaddr8(bytes(&a[0])?).to_vec(),
        ))
    });
    reg(t, &["macaddr8tomacaddr"], |_, a| {
        Ok(Datum::Bytea(
            mac::macaddr8_to_macaddr(bytes(&a[0])?)?.to_vec(),
        ))
    });
}
