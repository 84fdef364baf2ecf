//! Bitwise operators on the integer types (`&`, `|`, `#`, `~`, `<<`, `>>`; PostgreSQL
//! docs §9.3), and `float4send`/`float8send` (a float's binary send format, big-endian
//! IEEE 754 bytes).
//!
//! Invariants: shifts take the count modulo the operand width after promotion to at
//! least 32 bits (as PostgreSQL's C shifts do on common hardware); `smallint` shifts are
//! computed in `integer` and truncated back; `>>` is arithmetic.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{Datum, Error, Result};

use super::{reg, Table};

fn int(d: &Datum) -> Result<i64> {
    match d {
        Datum::Int2(v) => Ok(i64::from(*v)),
        Datum::Int4(v) => Ok(i64::from(*v)),
        Datum::Int8(v) => Ok(*v),
        other => Err(Error::internal(format!("integer expected, got {other:?}"))),
    }
}

/// The shift count's bits, as a C shift of a promoted operand reads them.
fn count(d: &Datum) -> Result<u32> {
    Ok(int(d)? as i32 as u32)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["int2and"], |_, a| {
        Ok(Datum::Int2((int(&a[0])? & int(&a[1])?) as i16))
    });
    reg(t, &["int2or"], |_, a| {
        Ok(Datum::Int2((int(&a[0])? | int(&a[1])?) as i16))
    });
    reg(t, &["int2xor"], |_, a| {
        Ok(Datum::Int2((int(&a[0])? ^ int(&a[1])?) as i16))
    });
    reg(t, &["int2not"], |_, a| {
        Ok(Datum::Int2(!(int(&a[0])? as i16)))
    });
    reg(t, &["int2shl"], |_, a| {
        Ok(Datum::Int2(
            (int(&a[0])? as i32).wrapping_shl(count(&a[1])?) as i16,
        ))
    });
    reg(t, &["int2shr"], |_, a| {
        Ok(Datum::Int2(
            (int(&a[0])? as i32).wrapping_shr(count(&a[1])?) as i16,
        ))
    });
    reg(t, &["int4and"], |_, a| {
        Ok(Datum::Int4((int(&a[0])? & int(&a[1])?) as i32))
    });
    reg(t, &["int4or"], |_, a| {
        Ok(Datum::Int4((int(&a[0])? | int(&a[1])?) as i32))
    });
    reg(t, &["int4xor"], |_, a| {
        Ok(Datum::Int4((int(&a[0])? ^ int(&a[1])?) as i32))
    });
    reg(t, &["int4not"], |_, a| {
        Ok(Datum::Int4(!(int(&a[0])? as i32)))
    });
    reg(t, &["int4shl"], |_, a| {
        Ok(Datum::Int4(
            (int(&a[0])? as i32).wrapping_shl(count(&a[1])?),
        ))
    });
    reg(t, &["int4shr"], |_, a| {
        Ok(Datum::Int4(
            (int(&a[0])? as i32).wrapping_shr(count(&a[1])?),
        ))
    });
    reg(t, &["int8and"], |_, a| {
        Ok(Datum::Int8(int(&a[0])? & int(&a[1])?))
    });
    reg(t, &["int8or"], |_, a| {
        Ok(Datum::Int8(int(&a[0])? | int(&a[1])?))
    });
    reg(t, &["int8xor"], |_, a| {
        Ok(Datum::Int8(int(&a[0])? ^ int(&a[1])?))
    });
    reg(t, &["int8not"], |_, a| Ok(Datum::Int8(!int(&a[0])?)));
    reg(t, &["int8shl"], |_, a| {
        Ok(Datum::Int8(int(&a[0])?.wrapping_shl(count(&a[1])?)))
    });
    reg(t, &["int8shr"], |_, a| {
        Ok(Datum::Int8(int(&a[0])?.wrapping_shr(count(&a[1])?)))
    });
    reg(t, &["float4send"], |_, a| match &a[0] {
        Datum::Float4(v) => Ok(Datum::Bytea(v.to_bits().to_be_bytes().to_vec())),
        other => Err(Error::internal(format!("real expected, got {other:?}"))),
    });
    reg(t, &["float8send"], |_, a| match &a[0] {
        Datum::Float8(v) => Ok(Datum::Bytea(v.to_bits().to_be_bytes().to_vec())),
        other => Err(Error::internal(format!("double expected, got {other:?}"))),
    });
}

#[cfg(test)]
mod tests {
    use super::super::datetime::test_support::call;
    use super::*;

    fn run(prosrc: &str, args: &[Datum]) -> Datum {
        call("UTC", prosrc, args).expect(prosrc)
    }

    #[test]
    fn integer_bit_operations_keep_their_width() {
        assert_eq!(
            run("int4and", &[Datum::Int4(6), Datum::Int4(3)]),
            Datum::Int4(2)
        );
        assert_eq!(
            run("int2xor", &[Datum::Int2(6), Datum::Int2(3)]),
            Datum::Int2(5)
        );
        assert_eq!(run("int8not", &[Datum::Int8(0)]), Datum::Int8(-1));
        assert_eq!(
            run("int2shl", &[Datum::Int2(1), Datum::Int4(15)]),
            Datum::Int2(i16::MIN)
        );
        assert_eq!(
            run("int4shr", &[Datum::Int4(-8), Datum::Int4(1)]),
            Datum::Int4(-4)
        );
        assert_eq!(
            run("int8shl", &[Datum::Int8(1), Datum::Int4(40)]),
            Datum::Int8(1 << 40)
        );
    }

    #[test]
    fn float_send_is_big_endian_ieee() {
        assert_eq!(
            run("float4send", &[Datum::Float4(1.0)]),
            Datum::Bytea(vec![0x3f, 0x80, 0, 0])
        );
    }
}
