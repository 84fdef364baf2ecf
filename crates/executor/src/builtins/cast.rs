//! Cast functions between the numeric types and bool (`pg_cast` rows with a function).

use tusk_types::adt::float;
use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};

fn int(d: &Datum) -> i64 {
    match d {
        Datum::Int2(v) => *v as i64,
        Datum::Int4(v) => *v as i64,
        Datum::Int8(v) => *v,
        _ => 0,
    }
}

fn f8(d: &Datum) -> f64 {
    match d {
        Datum::Float4(v) => *v as f64,
        Datum::Float8(v) => *v,
        other => int(other) as f64,
    }
}

fn num(d: &Datum) -> Result<Numeric> {
    match d {
        Datum::Numeric(n) => Ok(n.clone()),
        _ => Err(Error::internal("numeric argument expected")),
    }
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["int48", "int28"], |_, a| Ok(Datum::Int8(int(&a[0]))));
    reg(t, &["i2toi4"], |_, a| Ok(Datum::Int4(int(&a[0]) as i32)));
    reg(t, &["int84"], |_, a| {
        i32::try_from(int(&a[0]))
            .map(Datum::Int4)
            .map_err(|_| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"))
    });
    reg(t, &["i4toi2", "int82"], |_, a| {
        i16::try_from(int(&a[0]))
            .map(Datum::Int2)
            .map_err(|_| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "smallint out of range"))
    });
    reg(t, &["i4tod", "i2tod", "i8tod", "ftod"], |_, a| {
        Ok(Datum::Float8(f8(&a[0])))
    });
    reg(t, &["i4tof", "i2tof", "i8tof"], |_, a| {
        Ok(Datum::Float4(f8(&a[0]) as f32))
    });
    reg(t, &["dtof"], |_, a| {
        Ok(Datum::Float4(float::float8_to_float4(f8(&a[0]))?))
    });
    reg(t, &["dtoi4", "ftoi4"], |_, a| {
        Ok(Datum::Int4(float::float8_to_int4(f8(&a[0]))?))
    });
    reg(t, &["dtoi2", "ftoi2"], |_, a| {
        Ok(Datum::Int2(float::float8_to_int2(f8(&a[0]))?))
    });
    reg(t, &["dtoi8", "ftoi8"], |_, a| {
        Ok(Datum::Int8(float::float8_to_int8(f8(&a[0]))?))
    });
    reg(
        t,
        &["int4_numeric", "int2_numeric", "int8_numeric"],
        |_, a| Ok(Datum::Numeric(Numeric::from(int(&a[0])))),
    );
    reg(t, &["float8_numeric"], |_, a| {
        Ok(Datum::Numeric(Numeric::from_f64(f8(&a[0]))))
    });
    reg(t, &["float4_numeric"], |_, a| {
        Ok(Datum::Numeric(match &a[0] {
            Datum::Float4(v) => Numeric::from_f32(*v),
            other => Numeric::from_f64(f8(other)),
        }))
    });
    reg(t, &["numeric_int4"], |_, a| {
        Ok(Datum::Int4(num(&a[0])?.to_i32()?))
    });
    reg(t, &["numeric_int2"], |_, a| {
        Ok(Datum::Int2(num(&a[0])?.to_i16()?))
    });
    reg(t, &["numeric_int8"], |_, a| {
        Ok(Datum::Int8(num(&a[0])?.to_i64()?))
    });
    reg(t, &["numeric_float8"], |_, a| {
        Ok(Datum::Float8(num(&a[0])?.to_f64()?))
    });
    reg(t, &["numeric_float4"], |_, a| {
        Ok(Datum::Float4(num(&a[0])?.to_f32()?))
    });
    reg(t, &["bool_int4"], |_, a| {
        Ok(Datum::Int4(i32::from(matches!(a[0], Datum::Bool(true)))))
    });
    reg(t, &["int4_bool"], |_, a| Ok(Datum::Bool(int(&a[0]) != 0)));
}
