//! `money` operators and functions (PostgreSQL docs §8.2, `cash.c`): comparison, checked
//! addition and subtraction, multiplication and division by integers (truncating) and
//! floats (rounding), `money / money` as `float8`, `cashlarger`/`cashsmaller`,
//! `cash_words`, and the casts between money and numeric, int4, int8.
//!
//! Values are `Datum::Int8` cents (text forms in `io`, arithmetic in
//! `tusk_types::adt::money`). Entry point: `register` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::adt::money::{self, out_of_range, SCALE};
use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, Datum, Error, Result};

use super::{reg, Table};

fn cents(d: &Datum) -> Result<i64> {
    match d {
        Datum::Int8(v) => Ok(*v),
        other => Err(Error::internal(format!("money expected, got {other:?}"))),
    }
}

fn integer(d: &Datum) -> Result<i64> {
    match d {
        Datum::Int2(v) => Ok(i64::from(*v)),
        Datum::Int4(v) => Ok(i64::from(*v)),
        Datum::Int8(v) => Ok(*v),
        other => Err(Error::internal(format!("integer expected, got {other:?}"))),
    }
}

fn float(d: &Datum) -> Result<f64> {
    match d {
        Datum::Float4(v) => Ok(f64::from(*v)),
        Datum::Float8(v) => Ok(*v),
        other => Err(Error::internal(format!("float expected, got {other:?}"))),
    }
}

fn cmp(a: &[Datum]) -> Result<Ordering> {
    Ok(cents(&a[0])?.cmp(&cents(&a[1])?))
}

fn division_by_zero() -> Error {
    pg_err!(DIVISION_BY_ZERO, "division by zero")
}

/// `float8_mul` / `float8_div` with their overflow checks, then rounding to cents.
fn times_float(c: i64, f: f64) -> Result<Datum> {
    let product = c as f64 * f;
    if product.is_infinite() && f.is_finite() {
        return Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "value out of range: overflow"
        ));
    }
    Ok(Datum::Int8(money::from_float(product)?))
}

fn divided_by_float(c: i64, f: f64) -> Result<Datum> {
    if f == 0.0 {
        return Err(division_by_zero());
    }
    let quotient = c as f64 / f;
    if quotient.is_infinite() && f.is_finite() {
        return Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "value out of range: overflow"
        ));
    }
    Ok(Datum::Int8(money::from_float(quotient)?))
}

fn times_int(c: i64, i: i64) -> Result<Datum> {
    c.checked_mul(i).map(Datum::Int8).ok_or_else(out_of_range)
}

fn divided_by_int(c: i64, i: i64) -> Result<Datum> {
    if i == 0 {
        return Err(division_by_zero());
    }
    // Truncates toward zero; i64::MIN / -1 overflows.
    c.checked_div(i).map(Datum::Int8).ok_or_else(out_of_range)
}

/// `cash_numeric`: the amount with two decimal places, exactly.
fn to_numeric(c: i64) -> Result<Datum> {
    let magnitude = c.unsigned_abs();
    let scale = SCALE as u64;
    let sign = if c < 0 { "-" } else { "" };
    Ok(Datum::Numeric(Numeric::parse(&format!(
        "{sign}{}.{:02}",
        magnitude / scale,
        magnitude % scale
    ))?))
}

/// `numeric_cash`: rounded to cents; `bigint out of range` beyond the 64-bit range.
fn from_numeric(n: &Numeric) -> Result<Datum> {
    Ok(Datum::Int8(n.mul(&Numeric::from(SCALE))?.to_i64()?))
}

fn bigint_out_of_range() -> Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range")
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["cash_eq"], |_, a| Ok(Datum::Bool(cmp(a)?.is_eq())));
    reg(t, &["cash_ne"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ne())));
    reg(t, &["cash_lt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_lt())));
    reg(t, &["cash_le"], |_, a| Ok(Datum::Bool(cmp(a)?.is_le())));
    reg(t, &["cash_gt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_gt())));
    reg(t, &["cash_ge"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ge())));
    reg(t, &["cash_cmp"], |_, a| Ok(Datum::Int4(cmp(a)? as i32)));
    reg(t, &["cashlarger"], |_, a| {
        Ok(Datum::Int8(cents(&a[0])?.max(cents(&a[1])?)))
    });
    reg(t, &["cashsmaller"], |_, a| {
        Ok(Datum::Int8(cents(&a[0])?.min(cents(&a[1])?)))
    });
    reg(t, &["cash_pl"], |_, a| {
        cents(&a[0])?
            .checked_add(cents(&a[1])?)
            .map(Datum::Int8)
            .ok_or_else(out_of_range)
    });
    reg(t, &["cash_mi"], |_, a| {
        cents(&a[0])?
            .checked_sub(cents(&a[1])?)
            .map(Datum::Int8)
            .ok_or_else(out_of_range)
    });
    reg(t, &["cash_mul_flt8", "cash_mul_flt4"], |_, a| {
        times_float(cents(&a[0])?, float(&a[1])?)
    });
    reg(t, &["flt8_mul_cash", "flt4_mul_cash"], |_, a| {
        times_float(cents(&a[1])?, float(&a[0])?)
    });
    reg(t, &["cash_div_flt8", "cash_div_flt4"], |_, a| {
        divided_by_float(cents(&a[0])?, float(&a[1])?)
    });
    reg(
        t,
        &["cash_mul_int8", "cash_mul_int4", "cash_mul_int2"],
        |_, a| times_int(cents(&a[0])?, integer(&a[1])?),
    );
    reg(
        t,
        &["int8_mul_cash", "int4_mul_cash", "int2_mul_cash"],
        |_, a| times_int(cents(&a[1])?, integer(&a[0])?),
    );
    reg(
        t,
        &["cash_div_int8", "cash_div_int4", "cash_div_int2"],
        |_, a| divided_by_int(cents(&a[0])?, integer(&a[1])?),
    );
    reg(t, &["cash_div_cash"], |_, a| {
        let divisor = cents(&a[1])?;
        if divisor == 0 {
            return Err(division_by_zero());
        }
        Ok(Datum::Float8(cents(&a[0])? as f64 / divisor as f64))
    });
    reg(t, &["cash_words"], |_, a| {
        Ok(Datum::Text(money::cash_words(cents(&a[0])?)))
    });
    reg(t, &["cash_numeric"], |_, a| to_numeric(cents(&a[0])?));
    reg(t, &["numeric_cash"], |_, a| match &a[0] {
        Datum::Numeric(n) => from_numeric(n),
        other => Err(Error::internal(format!("numeric expected, got {other:?}"))),
    });
    reg(t, &["int4_cash", "int8_cash"], |_, a| {
        integer(&a[0])?
            .checked_mul(SCALE)
            .map(Datum::Int8)
            .ok_or_else(bigint_out_of_range)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_division_rounds_and_integer_division_truncates() {
        assert_eq!(divided_by_float(87808, 11.0).unwrap(), Datum::Int8(7983));
        assert_eq!(divided_by_int(87808, 11).unwrap(), Datum::Int8(7982));
        assert!(divided_by_int(100, 0).is_err());
        assert!(times_float(42, f64::INFINITY).is_err());
        assert!(times_int(i64::MAX, 2).is_err());
    }

    #[test]
    fn numeric_conversions_keep_two_decimals() {
        let Datum::Numeric(n) = to_numeric(-1234).unwrap() else {
            panic!("numeric expected")
        };
        assert_eq!(n.to_string(), "-12.34");
        let Datum::Numeric(n) = to_numeric(i64::MIN).unwrap() else {
            panic!("numeric expected")
        };
        assert_eq!(n.to_string(), "-92233720368547758.08");
        assert_eq!(
            from_numeric(&Numeric::parse("12.345").unwrap()).unwrap(),
            Datum::Int8(1235)
        );
    }
}
