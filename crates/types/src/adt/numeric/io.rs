//! `numeric` text input and output, and the `numeric(precision, scale)` type modifier
//! (PostgreSQL's `numeric_in`, `numeric_out`, `numerictypmodin`, `apply_typmod`).
//!
//! Input: optional whitespace; `NaN`, `Infinity`, `+Infinity`, `-Infinity`, `inf`, `+inf`,
//! `-inf` in any case (no sign on NaN); or an optional sign, decimal digits with at most one
//! point (at least one digit), and an optional exponent `e[ws][+-]digits`; then optional
//! whitespace. The display scale is the number of fractional digits written, less the
//! exponent (never below 0): `'1.500'` keeps scale 3, `'1.5e-3'` gets scale 4.
//!
//! Output prints exactly `dscale` fractional digits, no exponent; `NaN`, `Infinity`,
//! `-Infinity` for the special values.

use std::fmt;

use crate::{pg_err, Result};

use super::arithmetic::round_digits;
use super::{numeric_overflow, Numeric, NumericSign, DEC_DIGITS, NUMERIC_MAX_PRECISION};
use super::{NUMERIC_MAX_SCALE, NUMERIC_MIN_SCALE};
use crate::adt::is_pg_space;

/// `VARHDRSZ`, the offset PostgreSQL adds to every varlena type modifier.
const VARHDRSZ: i32 = 4;

fn invalid_numeric(s: &str) -> crate::Error {
    pg_err!(
        INVALID_TEXT_REPRESENTATION,
        "invalid input syntax for type numeric: \"{}\"",
        s
    )
}

/// Case-insensitive prefix test on bytes.
fn starts_with_ci(bytes: &[u8], word: &str) -> bool {
    bytes.len() >= word.len() && bytes[..word.len()].eq_ignore_ascii_case(word.as_bytes())
}

impl Numeric {
    /// `numeric` input without a type modifier (`numeric_in`).
    ///
    /// Errors: 22P02 `invalid input syntax for type numeric: "…"`; 22003
    /// `value overflows numeric format` beyond 131072 digits before the point or 16383
    /// after it.
    pub fn parse(s: &str) -> Result<Numeric> {
        numeric_in(s, None)
    }

    /// Rounds to `scale` fractional digits and checks that at most `precision - scale`
    /// digits remain before the point: coercion to `numeric(precision, scale)`.
    /// The result's display scale is `max(scale, 0)`. NaN passes unchanged.
    ///
    /// Errors: 22003 `numeric field overflow`, with DETAIL `A field with precision 5, scale
    /// 2 must round to an absolute value less than 10^3.` or, for ±Infinity, `… cannot hold
    /// an infinite value.`
    pub fn apply_typmod(&self, precision: i32, scale: i32) -> Result<Numeric> {
        match self.sign {
            NumericSign::NaN => return Ok(self.clone()),
            NumericSign::PositiveInfinity | NumericSign::NegativeInfinity => {
                return Err(field_overflow().detail(format!(
                    "A field with precision {precision}, scale {scale} cannot hold an infinite value."
                )))
            }
            NumericSign::Positive | NumericSign::Negative => {}
        }
        let rounded = self.round_to(scale)?;
        let max_digits = precision - scale;
        if let Some(&first) = rounded.digits.first() {
            let first_len = match first {
                0..=9 => 1,
                10..=99 => 2,
                100..=999 => 3,
                _ => 4,
            };
            let integer_digits = rounded.weight * DEC_DIGITS + first_len;
            if integer_digits > max_digits {
                let bound = if max_digits != 0 {
                    format!("10^{max_digits}")
                } else {
                    "1".to_string()
                };
                return Err(field_overflow().detail(format!(
                    "A field with precision {precision}, scale {scale} must round to an absolute value less than {bound}."
                )));
            }
        }
        Ok(rounded)
    }

    /// Rounds half away from zero to `scale` fractional digits (negative: to tens,
    /// hundreds, ...) and sets the display scale to `max(scale, 0)`; limits checked.
    pub(crate) fn round_to(&self, scale: i32) -> Result<Numeric> {
        if !self.is_finite() {
            return Ok(self.clone());
        }
        let (digits, weight) = round_digits(&self.digits, self.weight, scale, true);
        Numeric::from_parts(self.is_negative(), weight, scale.max(0), digits)
    }
}

fn field_overflow() -> crate::Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow")
}

/// A `numeric(precision, scale)` type modifier.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct NumericTypmod {
    /// Total significant digits, 1..=1000.
    pub precision: i32,
    /// Fractional digits, -1000..=1000 (may exceed precision, PostgreSQL 15+).
    pub scale: i32,
}

impl NumericTypmod {
    /// Validates `numeric(precision[, scale])` as `numerictypmodin` does; scale defaults to 0.
    ///
    /// Errors: 22023 `NUMERIC precision 0 must be between 1 and 1000`,
    /// `NUMERIC scale 1001 must be between -1000 and 1000`.
    pub fn new(precision: i32, scale: Option<i32>) -> Result<NumericTypmod> {
        if !(1..=NUMERIC_MAX_PRECISION).contains(&precision) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "NUMERIC precision {} must be between 1 and {}",
                precision,
                NUMERIC_MAX_PRECISION
            ));
        }
        let scale = scale.unwrap_or(0);
        if !(NUMERIC_MIN_SCALE..=NUMERIC_MAX_SCALE).contains(&scale) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "NUMERIC scale {} must be between {} and {}",
                scale,
                NUMERIC_MIN_SCALE,
                NUMERIC_MAX_SCALE
            ));
        }
        Ok(NumericTypmod { precision, scale })
    }

    /// Decodes an `atttypmod`; `None` for -1 (unconstrained) or anything invalid.
    pub fn from_typmod(typmod: i32) -> Option<NumericTypmod> {
        if typmod < VARHDRSZ {
            return None;
        }
        let raw = typmod - VARHDRSZ;
        Some(NumericTypmod {
            precision: (raw >> 16) & 0xffff,
            scale: ((raw & 0x7ff) ^ 1024) - 1024,
        })
    }

    /// Encodes as PostgreSQL's `atttypmod`: `((precision << 16) | (scale & 0x7ff)) + 4`.
    pub fn typmod(self) -> i32 {
        ((self.precision << 16) | (self.scale & 0x7ff)) + VARHDRSZ
    }
}

impl fmt::Display for NumericTypmod {
    /// `numerictypmodout`: `(5,2)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({},{})", self.precision, self.scale)
    }
}

/// `numeric` input with an optional type modifier, applied before the storage limits are
/// checked, as `numeric_in` does.
///
/// Errors: as [`Numeric::parse`] and [`Numeric::apply_typmod`].
pub fn numeric_in(s: &str, typmod: Option<NumericTypmod>) -> Result<Numeric> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && is_pg_space(bytes[i]) {
        i += 1;
    }
    let rest = &bytes[i..];
    let special = [
        ("NaN", NumericSign::NaN),
        ("Infinity", NumericSign::PositiveInfinity),
        ("+Infinity", NumericSign::PositiveInfinity),
        ("-Infinity", NumericSign::NegativeInfinity),
        ("inf", NumericSign::PositiveInfinity),
        ("+inf", NumericSign::PositiveInfinity),
        ("-inf", NumericSign::NegativeInfinity),
    ]
    .into_iter()
    .find(|(word, _)| starts_with_ci(rest, word));
    if let Some((word, sign)) = special {
        let tail = &rest[word.len()..];
        if !tail.iter().all(|b| is_pg_space(*b)) {
            return Err(invalid_numeric(s));
        }
        let value = Numeric::special(sign);
        return match typmod {
            Some(t) => value.apply_typmod(t.precision, t.scale),
            None => Ok(value),
        };
    }
    let parsed = parse_decimal(rest).ok_or_else(|| invalid_numeric(s))?;
    let (value, end) = parsed?;
    if !rest[end..].iter().all(|b| is_pg_space(*b)) {
        return Err(invalid_numeric(s));
    }
    let value = match typmod {
        Some(t) => value.apply_typmod(t.precision, t.scale)?,
        None => value,
    };
    value.check_limits()?;
    Ok(value)
}

/// Parses `[+-]digits[.digits][e[ws][+-]digits]` from the start of `bytes`; `None` for a
/// syntax error, `Some(Err)` for an exponent beyond PostgreSQL's limit. The value is
/// normalized but its limits are not checked yet.
fn parse_decimal(bytes: &[u8]) -> Option<Result<(Numeric, usize)>> {
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut decimal: Vec<u8> = Vec::new();
    let mut integer_digits: i64 = 0;
    let mut fraction_digits: i64 = 0;
    let mut seen_point = false;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => {
                decimal.push(bytes[i] - b'0');
                if seen_point {
                    fraction_digits += 1;
                } else {
                    integer_digits += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if decimal.is_empty() {
        return None;
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        // strtol: optional whitespace, optional sign, digits.
        let mut j = i + 1;
        while j < bytes.len() && is_pg_space(bytes[j]) {
            j += 1;
        }
        let exponent_negative = match bytes.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        if !bytes.get(j).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            exponent = (exponent * 10 + i64::from(bytes[j] - b'0')).min(i64::from(i32::MAX));
            j += 1;
        }
        if exponent >= i64::from(i32::MAX / 2) {
            return Some(Err(numeric_overflow()));
        }
        if exponent_negative {
            exponent = -exponent;
        }
        i = j;
    }
    // Decimal weight of the first digit, and the display scale.
    let decimal_weight = integer_digits - 1 + exponent;
    let dscale = (fraction_digits - exponent).max(0);
    if dscale > i64::from(i32::MAX / 2) {
        return Some(Err(numeric_overflow()));
    }
    // Align the first digit within its base-10000 group.
    let group_weight = decimal_weight.div_euclid(i64::from(DEC_DIGITS));
    let offset = decimal_weight - group_weight * i64::from(DEC_DIGITS);
    let pad_front = (i64::from(DEC_DIGITS) - 1 - offset) as usize;
    let mut aligned = vec![0u8; pad_front];
    aligned.extend_from_slice(&decimal);
    let padded = aligned.len().div_ceil(DEC_DIGITS as usize) * DEC_DIGITS as usize;
    aligned.resize(padded, 0);
    let digits: Vec<u16> = aligned
        .chunks(DEC_DIGITS as usize)
        .map(|c| c.iter().fold(0u16, |acc, d| acc * 10 + u16::from(*d)))
        .collect();
    let Ok(weight) = i32::try_from(group_weight) else {
        return Some(Err(numeric_overflow()));
    };
    let value = Numeric::normalized(negative, weight, dscale as i32, digits);
    Some(Ok((value, i)))
}

impl std::str::FromStr for Numeric {
    type Err = crate::Error;

    /// [`Numeric::parse`].
    fn from_str(s: &str) -> Result<Numeric> {
        Numeric::parse(s)
    }
}

impl fmt::Display for Numeric {
    /// `numeric_out`: plain notation with exactly `dscale` fractional digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sign {
            NumericSign::NaN => return f.write_str("NaN"),
            NumericSign::PositiveInfinity => return f.write_str("Infinity"),
            NumericSign::NegativeInfinity => return f.write_str("-Infinity"),
            NumericSign::Positive | NumericSign::Negative => {}
        }
        f.write_str(&self.to_plain_string())
    }
}

impl Numeric {
    /// The finite value in `numeric_out`'s notation.
    fn to_plain_string(&self) -> String {
        let digit_at = |w: i32| -> u16 {
            let index = i64::from(self.weight) - i64::from(w);
            if index < 0 {
                0
            } else {
                self.digits.get(index as usize).copied().unwrap_or(0)
            }
        };
        let mut out =
            String::with_capacity((self.weight.max(0) as usize + 1) * 4 + self.dscale as usize + 2);
        if self.sign == NumericSign::Negative {
            out.push('-');
        }
        if self.weight < 0 {
            out.push('0');
        } else {
            out.push_str(&digit_at(self.weight).to_string());
            for w in (0..self.weight).rev() {
                out.push_str(&format!("{:04}", digit_at(w)));
            }
        }
        if self.dscale > 0 {
            out.push('.');
            let start = out.len();
            let mut w = -1;
            while ((out.len() - start) as i32) < self.dscale {
                out.push_str(&format!("{:04}", digit_at(w)));
                w -= 1;
            }
            out.truncate(start + self.dscale as usize);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    fn roundtrip(s: &str) -> String {
        Numeric::parse(s).unwrap().to_string()
    }

    #[test]
    fn input_output_matches_postgres() {
        let cases = [
            ("inf", "Infinity"),
            ("-inf", "-Infinity"),
            ("+Infinity", "Infinity"),
            (" NaN ", "NaN"),
            ("nan", "NaN"),
            (" 1.5e+2 ", "150"),
            (".5", "0.5"),
            ("5.", "5"),
            ("+.5e1", "5"),
            ("-0", "0"),
            ("-0.000", "0.000"),
            ("00012.3400", "12.3400"),
            ("1.5e-3", "0.0015"),
            ("1.234e1", "12.34"),
            ("1e 5", "100000"),
            ("0e131072", "0"),
            ("1.50", "1.50"),
            ("-123456789.000000001", "-123456789.000000001"),
            ("10000", "10000"),
            ("0.0001", "0.0001"),
            ("99999999", "99999999"),
        ];
        for (input, want) in cases {
            assert_eq!(roundtrip(input), want, "{input:?}");
        }
        assert_eq!(roundtrip("1e-16383").len(), 16385);
        assert_eq!(roundtrip("1e131071").len(), 131072);
    }

    #[test]
    fn input_errors_match_postgres() {
        for bad in [
            "-NaN",
            "+NaN",
            ".",
            "1e",
            "1e+",
            "1e+ 5",
            "1e-+5",
            "1_0",
            "0x1",
            "1 2",
            " infinityx",
            "1.2.3",
            "1e5.5",
            "e5",
            "-",
            "+",
            "",
        ] {
            let e = Numeric::parse(bad).unwrap_err();
            assert_eq!(e.code, SqlState::INVALID_TEXT_REPRESENTATION, "{bad:?}");
            assert_eq!(
                e.message,
                format!("invalid input syntax for type numeric: \"{bad}\"")
            );
        }
        for big in [
            "1e-16384",
            "0e-16384",
            "1e131072",
            "1e2147483646",
            "1e-2147483646",
        ] {
            let e = Numeric::parse(big).unwrap_err();
            assert_eq!(e.code, SqlState::NUMERIC_VALUE_OUT_OF_RANGE, "{big:?}");
            assert_eq!(e.message, "value overflows numeric format");
        }
    }

    #[test]
    fn typmod_rounds_and_checks_like_postgres() {
        let apply = |s: &str, p: i32, sc: i32| {
            Numeric::parse(s)
                .unwrap()
                .apply_typmod(p, sc)
                .map(|v| v.to_string())
        };
        assert_eq!(apply("0.5", 1, 0).unwrap(), "1");
        assert_eq!(apply("1234", 2, -2).unwrap(), "1200");
        assert_eq!(apply("0.001234", 3, 5).unwrap(), "0.00123");
        assert_eq!(apply("1.5", 5, 2).unwrap(), "1.50");
        assert_eq!(apply("-2.345", 5, 2).unwrap(), "-2.35");
        assert_eq!(apply("NaN", 5, 2).unwrap(), "NaN");
        let e = apply("12345.678", 5, 2).unwrap_err();
        assert_eq!(e.code, SqlState::NUMERIC_VALUE_OUT_OF_RANGE);
        assert_eq!(e.message, "numeric field overflow");
        assert_eq!(
            e.detail.as_deref(),
            Some(
                "A field with precision 5, scale 2 must round to an absolute value less than 10^3."
            )
        );
        assert_eq!(
            apply("9.995", 3, 2).unwrap_err().detail.as_deref(),
            Some(
                "A field with precision 3, scale 2 must round to an absolute value less than 10^1."
            )
        );
        assert_eq!(
            apply("1", 2, 2).unwrap_err().detail.as_deref(),
            Some("A field with precision 2, scale 2 must round to an absolute value less than 1.")
        );
        assert_eq!(
            apply("inf", 5, 2).unwrap_err().detail.as_deref(),
            Some("A field with precision 5, scale 2 cannot hold an infinite value.")
        );
        let t = NumericTypmod::new(5, Some(2)).unwrap();
        assert_eq!(t.typmod(), 327686);
        assert_eq!(NumericTypmod::from_typmod(327686), Some(t));
        assert_eq!(
            NumericTypmod::from_typmod(NumericTypmod::new(3, Some(-2)).unwrap().typmod())
                .unwrap()
                .scale,
            -2
        );
        assert_eq!(t.to_string(), "(5,2)");
        assert_eq!(
            NumericTypmod::new(0, None).unwrap_err().message,
            "NUMERIC precision 0 must be between 1 and 1000"
        );
        assert_eq!(
            NumericTypmod::new(5, Some(1001)).unwrap_err().message,
            "NUMERIC scale 1001 must be between -1000 and 1000"
        );
        assert_eq!(numeric_in("12.345", Some(t)).unwrap().to_string(), "12.35");
    }
}
