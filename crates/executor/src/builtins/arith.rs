//! Arithmetic on integers, floats and numeric, with PostgreSQL's overflow and division
//! errors (22003 `integer out of range`, 22012 `division by zero`).

use tusk_types::adt::float;
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};

/// The integer width of a result.
#[derive(Clone, Copy)]
enum Width {
    I2,
    I4,
    I8,
}

fn int_arg(d: &Datum) -> i64 {
    match d {
        Datum::Int2(v) => *v as i64,
        Datum::Int4(v) => *v as i64,
        Datum::Int8(v) => *v,
        _ => 0,
    }
}

fn out_of_range(w: Width) -> Error {
    match w {
        Width::I2 => pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "smallint out of range"),
        Width::I4 => pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"),
        Width::I8 => pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range"),
    }
}

fn narrow(v: Option<i64>, w: Width) -> Result<Datum> {
    let v = v.ok_or_else(|| out_of_range(w))?;
    match w {
        Width::I2 => i16::try_from(v)
            .map(Datum::Int2)
            .map_err(|_| out_of_range(w)),
        Width::I4 => i32::try_from(v)
            .map(Datum::Int4)
            .map_err(|_| out_of_range(w)),
        Width::I8 => Ok(Datum::Int8(v)),
    }
}

fn int_op(w: Width, a: &Datum, b: &Datum, op: fn(i64, i64) -> Option<i64>) -> Result<Datum> {
    narrow(op(int_arg(a), int_arg(b)), w)
}

fn div(w: Width, a: &Datum, b: &Datum) -> Result<Datum> {
    let (x, y) = (int_arg(a), int_arg(b));
    if y == 0 {
        return Err(pg_err!(DIVISION_BY_ZERO, "division by zero"));
    }
    narrow(x.checked_div(y), w)
}

fn modulo(w: Width, a: &Datum, b: &Datum) -> Result<Datum> {
    let (x, y) = (int_arg(a), int_arg(b));
    if y == 0 {
        return Err(pg_err!(DIVISION_BY_ZERO, "division by zero"));
    }
    // i64::MIN % -1 is 0 in PostgreSQL, not an overflow.
    narrow(Some(x.checked_rem(y).unwrap_or(0)), w)
}

macro_rules! int_family {
    ($t:ident, $w:expr, [$($name:literal),*], $op:expr) => {
        reg($t, &[$($name),*], |_, a| int_op($w, &a[0], &a[1], $op));
    };
}

fn f8(d: &Datum) -> f64 {
    match d {
        Datum::Float8(v) => *v,
        Datum::Float4(v) => *v as f64,
        Datum::Int2(v) => *v as f64,
        Datum::Int4(v) => *v as f64,
        Datum::Int8(v) => *v as f64,
        _ => 0.0,
    }
}

fn f4(d: &Datum) -> f32 {
    match d {
        Datum::Float4(v) => *v,
        other => f8(other) as f32,
    }
}

fn numeric(d: &Datum) -> Result<tusk_types::adt::numeric::Numeric> {
    use tusk_types::adt::numeric::Numeric;
    Ok(match d {
        Datum::Numeric(n) => n.clone(),
        Datum::Int2(v) => Numeric::from(*v as i64),
        Datum::Int4(v) => Numeric::from(*v as i64),
        Datum::Int8(v) => Numeric::from(*v),
        Datum::Float8(v) => Numeric::from_f64(*v),
        Datum::Float4(v) => Numeric::from_f32(*v),
        _ => return Err(Error::internal("numeric argument expected")),
    })
}

pub(super) fn register(t: &mut Table) {
    use Width::*;
    // `count`'s transition functions, usable in CREATE AGGREGATE: the bigint state plus
    // one (`int8inc_any` and `int8inc_float8_float8` ignore their other arguments).
    super::reg(
        t,
        &["int8inc", "int8inc_any", "int8inc_float8_float8"],
        |_, args| match args.first() {
            Some(Datum::Int8(n)) => n.checked_add(1).map(Datum::Int8).ok_or_else(|| {
                tusk_types::pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range")
            }),
            _ => Err(Error::internal("int8inc of a non-bigint state")),
        },
    );
    int_family!(t, I2, ["int2pl"], i64::checked_add);
    int_family!(t, I2, ["int2mi"], i64::checked_sub);
    int_family!(t, I2, ["int2mul"], i64::checked_mul);
    int_family!(t, I4, ["int4pl", "int24pl", "int42pl"], i64::checked_add);
    int_family!(t, I4, ["int4mi", "int24mi", "int42mi"], i64::checked_sub);
    int_family!(t, I4, ["int4mul", "int24mul", "int42mul"], i64::checked_mul);
    int_family!(
        t,
        I8,
        ["int8pl", "int48pl", "int84pl", "int28pl", "int82pl"],
        i64::checked_add
    );
    int_family!(
        t,
        I8,
        ["int8mi", "int48mi", "int84mi", "int28mi", "int82mi"],
        i64::checked_sub
    );
    int_family!(
        t,
        I8,
        ["int8mul", "int48mul", "int84mul", "int28mul", "int82mul"],
        i64::checked_mul
    );
    reg(t, &["int2div"], |_, a| div(Width::I2, &a[0], &a[1]));
    reg(t, &["int4div", "int24div", "int42div"], |_, a| {
        div(Width::I4, &a[0], &a[1])
    });
    reg(
        t,
        &["int8div", "int48div", "int84div", "int28div", "int82div"],
        |_, a| div(Width::I8, &a[0], &a[1]),
    );
    reg(t, &["int2mod"], |_, a| modulo(Width::I2, &a[0], &a[1]));
    reg(t, &["int4mod"], |_, a| modulo(Width::I4, &a[0], &a[1]));
    reg(t, &["int8mod"], |_, a| modulo(Width::I8, &a[0], &a[1]));
    reg(t, &["int2um"], |_, a| {
        narrow(int_arg(&a[0]).checked_neg(), Width::I2)
    });
    reg(t, &["int4um"], |_, a| {
        narrow(int_arg(&a[0]).checked_neg(), Width::I4)
    });
    reg(t, &["int8um"], |_, a| {
        narrow(int_arg(&a[0]).checked_neg(), Width::I8)
    });
    reg(
        t,
        &[
            "int2up",
            "int4up",
            "int8up",
            "float4up",
            "float8up",
            "numeric_uplus",
        ],
        |_, a| Ok(a[0].clone()),
    );
    reg(t, &["int2abs"], |_, a| {
        narrow(int_arg(&a[0]).checked_abs(), Width::I2)
    });
    reg(t, &["int4abs"], |_, a| {
        narrow(int_arg(&a[0]).checked_abs(), Width::I4)
    });
    reg(t, &["int8abs"], |_, a| {
        narrow(int_arg(&a[0]).checked_abs(), Width::I8)
    });

    // Float arithmetic with PostgreSQL's overflow, underflow and division checks lives in
    // `types::adt::float`; mixed float4/float8 operators compute in float8.
    reg(t, &["float8pl", "float48pl", "float84pl"], |_, a| {
        Ok(Datum::Float8(float::float8_add(f8(&a[0]), f8(&a[1]))?))
    });
    reg(t, &["float8mi", "float48mi", "float84mi"], |_, a| {
        Ok(Datum::Float8(float::float8_sub(f8(&a[0]), f8(&a[1]))?))
    });
    reg(t, &["float8mul", "float48mul", "float84mul"], |_, a| {
        Ok(Datum::Float8(float::float8_mul(f8(&a[0]), f8(&a[1]))?))
    });
    reg(t, &["float8div", "float48div", "float84div"], |_, a| {
        Ok(Datum::Float8(float::float8_div(f8(&a[0]), f8(&a[1]))?))
    });
    reg(t, &["float4pl"], |_, a| {
        Ok(Datum::Float4(float::float4_add(f4(&a[0]), f4(&a[1]))?))
    });
    reg(t, &["float4mi"], |_, a| {
        Ok(Datum::Float4(float::float4_sub(f4(&a[0]), f4(&a[1]))?))
    });
    reg(t, &["float4mul"], |_, a| {
        Ok(Datum::Float4(float::float4_mul(f4(&a[0]), f4(&a[1]))?))
    });
    reg(t, &["float4div"], |_, a| {
        Ok(Datum::Float4(float::float4_div(f4(&a[0]), f4(&a[1]))?))
    });
    reg(t, &["float8um"], |_, a| Ok(Datum::Float8(-f8(&a[0]))));
    reg(t, &["float4um"], |_, a| Ok(Datum::Float4(-f4(&a[0]))));
    reg(t, &["float8abs"], |_, a| Ok(Datum::Float8(f8(&a[0]).abs())));
    reg(t, &["float4abs"], |_, a| Ok(Datum::Float4(f4(&a[0]).abs())));
    reg(t, &["dfloor"], |_, a| Ok(Datum::Float8(f8(&a[0]).floor())));
    reg(t, &["dceil"], |_, a| Ok(Datum::Float8(f8(&a[0]).ceil())));
    reg(t, &["dround"], |_, a| {
        Ok(Datum::Float8(f8(&a[0]).round_ties_even()))
    });
    reg(t, &["dtrunc"], |_, a| Ok(Datum::Float8(f8(&a[0]).trunc())));
    reg(t, &["dsign"], |_, a| {
        let x = f8(&a[0]);
        Ok(Datum::Float8(if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            0.0
        }))
    });
    reg(t, &["dpi"], |_, _| Ok(Datum::Float8(std::f64::consts::PI)));

    reg(t, &["numeric_add"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.add(&numeric(&a[1])?)?))
    });
    reg(t, &["numeric_sub"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.sub(&numeric(&a[1])?)?))
    });
    reg(t, &["numeric_mul"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.mul(&numeric(&a[1])?)?))
    });
    reg(t, &["numeric_div"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.div(&numeric(&a[1])?)?))
    });
    reg(t, &["numeric_div_trunc"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.div_trunc(&numeric(&a[1])?)?))
    });
    reg(t, &["numeric_mod"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.modulo(&numeric(&a[1])?)?))
    });
    reg(t, &["numeric_uminus"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.neg()))
    });
    reg(t, &["numeric_abs"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.abs()))
    });
    reg(t, &["numeric_sign"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.signum()))
    });
    reg(t, &["numeric_ceil"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.ceil()?))
    });
    reg(t, &["numeric_floor"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.floor()?))
    });
    reg(t, &["numeric_round"], |_, a| {
        Ok(Datum::Numeric(
            numeric(&a[0])?.round(int_arg(&a[1]) as i32)?,
        ))
    });
    reg(t, &["numeric_trunc"], |_, a| {
        Ok(Datum::Numeric(numeric(&a[0])?.trunc(int_arg(&a[1]) as i32)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_overflow_and_division() {
        assert!(int_op(
            Width::I4,
            &Datum::Int4(i32::MAX),
            &Datum::Int4(1),
            i64::checked_add
        )
        .is_err());
        assert_eq!(
            int_op(
                Width::I8,
                &Datum::Int4(i32::MAX),
                &Datum::Int8(1),
                i64::checked_add
            )
            .ok(),
            Some(Datum::Int8(2147483648))
        );
        let e = div(Width::I4, &Datum::Int4(1), &Datum::Int4(0)).expect_err("division by zero");
        assert_eq!(e.code.code(), "22012");
        assert_eq!(
            modulo(Width::I8, &Datum::Int8(i64::MIN), &Datum::Int8(-1)).ok(),
            Some(Datum::Int8(0))
        );
        assert!(div(Width::I4, &Datum::Int4(i32::MIN), &Datum::Int4(-1)).is_err());
    }
}
