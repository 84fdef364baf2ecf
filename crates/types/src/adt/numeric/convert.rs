//! Conversions between `numeric` and the integer and float types (PostgreSQL's
//! `int8_numeric`, `numeric_int8`, `float8_numeric`, `numeric_float8`, ...).
//!
//! - integers → numeric: exact, scale 0;
//! - numeric → integers: rounded half away from zero, then range-checked (22003
//!   `bigint out of range` / `integer out of range` / `smallint out of range`); NaN and
//!   ±Infinity are 0A000 `cannot convert NaN to bigint`, `cannot convert infinity to integer`;
//! - float → numeric: through `%.15g` (float8) or `%.6g` (float4) text, as PostgreSQL does,
//!   so `0.1::float8::numeric` is `0.1`; NaN and ±Infinity map to their numeric twins;
//! - numeric → float: the decimal text read back by `float8in`/`float4in` (correctly
//!   rounded; out-of-range values are 22003 `"…" is out of range for type double precision`).

use crate::adt::float::{float4_in, float8_in, float8_out};
use crate::adt::int::{int2_out_of_range, int4_out_of_range, int8_out_of_range};
use crate::{pg_err, Error, Result};

use super::{Numeric, NumericSign, NBASE};

impl From<i64> for Numeric {
    /// Exact, display scale 0.
    fn from(v: i64) -> Numeric {
        let mut magnitude = v.unsigned_abs();
        let mut digits = Vec::new();
        while magnitude > 0 {
            digits.push((magnitude % u64::from(NBASE)) as u16);
            magnitude /= u64::from(NBASE);
        }
        digits.reverse();
        let weight = digits.len() as i32 - 1;
        Numeric::normalized(v < 0, weight, 0, digits)
    }
}

impl From<i32> for Numeric {
    /// Exact, display scale 0.
    fn from(v: i32) -> Numeric {
        Numeric::from(i64::from(v))
    }
}

impl From<i16> for Numeric {
    /// Exact, display scale 0.
    fn from(v: i16) -> Numeric {
        Numeric::from(i64::from(v))
    }
}

fn cannot_convert(what: &str, type_name: &str) -> Error {
    pg_err!(
        FEATURE_NOT_SUPPORTED,
        "cannot convert {} to {}",
        what,
        type_name
    )
}

impl Numeric {
    /// `float8::numeric`: the value's `%.15g` text as numeric; NaN and ±Infinity map over.
    pub fn from_f64(v: f64) -> Numeric {
        Numeric::from_float_text(v, float8_out(v, 0))
    }

    /// `float4::numeric`: the value's `%.6g` text as numeric.
    pub fn from_f32(v: f32) -> Numeric {
        Numeric::from_float_text(f64::from(v), crate::adt::float::float4_out(v, 0))
    }

    fn from_float_text(v: f64, text: String) -> Numeric {
        if v.is_nan() {
            Numeric::nan()
        } else if v == f64::INFINITY {
            Numeric::infinity()
        } else if v == f64::NEG_INFINITY {
            Numeric::neg_infinity()
        } else {
            Numeric::parse(&text).expect("%g text of a finite float is a valid numeric")
        }
    }

    /// The value rounded to an integer within `[min, max]`, or the range error given.
    fn to_integer(&self, type_name: &str, min: i64, max: i64, range: fn() -> Error) -> Result<i64> {
        match self.sign {
            NumericSign::NaN => return Err(cannot_convert("NaN", type_name)),
            NumericSign::PositiveInfinity | NumericSign::NegativeInfinity => {
                return Err(cannot_convert("infinity", type_name))
            }
            NumericSign::Positive | NumericSign::Negative => {}
        }
        let rounded = self.round(0).map_err(|_| range())?;
        if rounded.weight > 4 {
            return Err(range());
        }
        let mut magnitude: i128 = 0;
        for w in (0..=rounded.weight).rev() {
            let index = (rounded.weight - w) as usize;
            let digit = rounded.digits.get(index).copied().unwrap_or(0);
            magnitude = magnitude * i128::from(NBASE) + i128::from(digit);
        }
        let value = if rounded.is_negative() {
            -magnitude
        } else {
            magnitude
        };
        if value < i128::from(min) || value > i128::from(max) {
            return Err(range());
        }
        Ok(value as i64)
    }

    /// `numeric::bigint`: rounds half away from zero.
    ///
    /// Errors: 22003 `bigint out of range`; 0A000 `cannot convert NaN to bigint`,
    /// `cannot convert infinity to bigint`.
    pub fn to_i64(&self) -> Result<i64> {
        self.to_integer("bigint", i64::MIN, i64::MAX, int8_out_of_range)
    }

    /// `numeric::integer`: rounds half away from zero.
    ///
    /// Errors: 22003 `integer out of range`; 0A000 `cannot convert NaN to integer`,
    /// `cannot convert infinity to integer`.
    pub fn to_i32(&self) -> Result<i32> {
        self.to_integer(
            "integer",
            i32::MIN.into(),
            i32::MAX.into(),
            int4_out_of_range,
        )
        .map(|v| v as i32)
    }

    /// `numeric::smallint`: rounds half away from zero.
    ///
    /// Errors: 22003 `smallint out of range`; 0A000 `cannot convert NaN to smallint`,
    /// `cannot convert infinity to smallint`.
    pub fn to_i16(&self) -> Result<i16> {
        self.to_integer(
            "smallint",
            i16::MIN.into(),
            i16::MAX.into(),
            int2_out_of_range,
        )
        .map(|v| v as i16)
    }

    /// `numeric::double precision`: correctly rounded; NaN and ±Infinity map over.
    ///
    /// Errors: 22003 `"…" is out of range for type double precision` (quoting the full
    /// decimal text) when the magnitude is beyond float8's range, or nonzero and below it.
    pub fn to_f64(&self) -> Result<f64> {
        match self.sign {
            NumericSign::NaN => Ok(f64::NAN),
            NumericSign::PositiveInfinity => Ok(f64::INFINITY),
            NumericSign::NegativeInfinity => Ok(f64::NEG_INFINITY),
            NumericSign::Positive | NumericSign::Negative => float8_in(&self.to_string()),
        }
    }

    /// `numeric::real`: correctly rounded; NaN and ±Infinity map over.
    ///
    /// Errors: 22003 `"…" is out of range for type real`.
    pub fn to_f32(&self) -> Result<f32> {
        match self.sign {
            NumericSign::NaN => Ok(f32::NAN),
            NumericSign::PositiveInfinity => Ok(f32::INFINITY),
            NumericSign::NegativeInfinity => Ok(f32::NEG_INFINITY),
            NumericSign::Positive | NumericSign::Negative => float4_in(&self.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    fn n(s: &str) -> Numeric {
        Numeric::parse(s).unwrap()
    }

    #[test]
    fn integers_round_trip() {
        for v in [0i64, 1, -1, 9999, 10000, -123456789, i64::MAX, i64::MIN] {
            assert_eq!(Numeric::from(v).to_string(), v.to_string());
            assert_eq!(Numeric::from(v).to_i64().unwrap(), v);
        }
        assert_eq!(n("2.5").to_i32().unwrap(), 3);
        assert_eq!(n("-2.5").to_i32().unwrap(), -3);
        assert_eq!(n("2147483647.4").to_i32().unwrap(), i32::MAX);
        assert_eq!(
            n("2147483647.5").to_i32().unwrap_err().message,
            "integer out of range"
        );
        assert_eq!(
            n("32767.5").to_i16().unwrap_err().message,
            "smallint out of range"
        );
        assert_eq!(
            n("1e30").to_i64().unwrap_err().message,
            "bigint out of range"
        );
        assert_eq!(n("-9223372036854775808.4").to_i64().unwrap(), i64::MIN);
        let e = n("NaN").to_i32().unwrap_err();
        assert_eq!(e.code, SqlState::FEATURE_NOT_SUPPORTED);
        assert_eq!(e.message, "cannot convert NaN to integer");
        assert_eq!(
            n("-inf").to_i64().unwrap_err().message,
            "cannot convert infinity to bigint"
        );
    }

    #[test]
    fn floats_convert_like_postgres() {
        assert_eq!(Numeric::from_f64(0.1).to_string(), "0.1");
        assert_eq!(
            Numeric::from_f64(1.0 / 3.0).to_string(),
            "0.333333333333333"
        );
        assert_eq!(Numeric::from_f64(1e-5).to_string(), "0.00001");
        assert_eq!(Numeric::from_f64(f64::INFINITY).to_string(), "Infinity");
        assert_eq!(Numeric::from_f32(0.1).to_string(), "0.1");
        assert_eq!(Numeric::from_f64(1e20).to_string(), "100000000000000000000");
        assert_eq!(n("0.1").to_f64().unwrap(), 0.1);
        assert!(n("NaN").to_f64().unwrap().is_nan());
        let e = n("1e400").to_f64().unwrap_err();
        assert_eq!(e.code, SqlState::NUMERIC_VALUE_OUT_OF_RANGE);
        assert!(e
            .message
            .ends_with("is out of range for type double precision"));
        assert_eq!(n("1.5").to_f32().unwrap(), 1.5);
    }
}
