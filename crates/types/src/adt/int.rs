//! `smallint` (int2), `integer` (int4) and `bigint` (int8): text input/output and checked
//! arithmetic with PostgreSQL 15's error codes and messages (PostgreSQL docs §8.1.1 and §9.3).
//!
//! Input follows PostgreSQL 15's `pg_strtoint16/32/64`: optional leading and trailing
//! whitespace, an optional sign, then one or more decimal digits; nothing else (no
//! underscores, no hexadecimal, no decimal point; those came in PostgreSQL 16).
//!
//! Arithmetic never wraps: a result outside the type's range is 22003 `integer out of range`
//! (`smallint out of range`, `bigint out of range`); a zero divisor is 22012
//! `division by zero`. Promotion between widths (int2 + int4 → int4) is the caller's job.
//!
//! Entry points: [`int2_in`], [`int4_in`], [`int8_in`], [`int4_out`]-style output, and
//! `intN_{add,sub,mul,div,mod,neg,abs}`.

use crate::{pg_err, Error, Result};

use super::is_pg_space;

/// Why [`parse_int`] rejected its input.
enum ParseIntError {
    Syntax,
    Range,
}

/// Parses PostgreSQL's integer syntax into an `i64` bounded by `[min, max]`.
fn parse_int(s: &str, min: i64, max: i64) -> std::result::Result<i64, ParseIntError> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && is_pg_space(bytes[i]) {
        i += 1;
    }
    let negative = match bytes.get(i) {
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
    let digits_start = i;
    // Accumulate as a negative number so that the minimum value fits. As in PostgreSQL 15,
    // overflowing the type while reading digits is a range error even if garbage follows.
    let mut value: i64 = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        let digit = i64::from(bytes[i] - b'0');
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_sub(digit))
            .filter(|v| *v >= min)
            .ok_or(ParseIntError::Range)?;
        i += 1;
    }
    if i == digits_start {
        return Err(ParseIntError::Syntax);
    }
    while i < bytes.len() && is_pg_space(bytes[i]) {
        i += 1;
    }
    if i != bytes.len() {
        return Err(ParseIntError::Syntax);
    }
    let value = if negative {
        value
    } else {
        value.checked_neg().ok_or(ParseIntError::Range)?
    };
    if value < min || value > max {
        return Err(ParseIntError::Range);
    }
    Ok(value)
}

fn int_in(s: &str, min: i64, max: i64, type_name: &str) -> Result<i64> {
    parse_int(s, min, max).map_err(|e| match e {
        ParseIntError::Syntax => pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type {}: \"{}\"",
            type_name,
            s
        ),
        ParseIntError::Range => pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "value \"{}\" is out of range for type {}",
            s,
            type_name
        ),
    })
}

/// `smallint` input (`int2in`).
///
/// Errors: 22P02 `invalid input syntax for type smallint: "…"`, 22003
/// `value "…" is out of range for type smallint`.
pub fn int2_in(s: &str) -> Result<i16> {
    int_in(s, i16::MIN.into(), i16::MAX.into(), "smallint")
        .map(|v| i16::try_from(v).expect("range checked by parse_int"))
}

/// `integer` input (`int4in`).
///
/// Errors: 22P02 `invalid input syntax for type integer: "…"`, 22003
/// `value "…" is out of range for type integer`.
pub fn int4_in(s: &str) -> Result<i32> {
    int_in(s, i32::MIN.into(), i32::MAX.into(), "integer")
        .map(|v| i32::try_from(v).expect("range checked by parse_int"))
}

/// `bigint` input (`int8in`).
///
/// Errors: 22P02 `invalid input syntax for type bigint: "…"`, 22003
/// `value "…" is out of range for type bigint`.
pub fn int8_in(s: &str) -> Result<i64> {
    int_in(s, i64::MIN, i64::MAX, "bigint")
}

/// `smallint` output: plain decimal, `-` for negatives.
pub fn int2_out(v: i16) -> String {
    v.to_string()
}

/// `integer` output: plain decimal, `-` for negatives.
pub fn int4_out(v: i32) -> String {
    v.to_string()
}

/// `bigint` output: plain decimal, `-` for negatives.
pub fn int8_out(v: i64) -> String {
    v.to_string()
}

/// 22012 `division by zero`.
pub(crate) fn division_by_zero() -> Error {
    pg_err!(DIVISION_BY_ZERO, "division by zero")
}

macro_rules! int_ops {
    ($t:ty, $type_name:literal, $add:ident, $sub:ident, $mul:ident, $div:ident, $rem:ident,
     $neg:ident, $abs:ident, $range:ident) => {
        #[doc = concat!("22003 `", $type_name, " out of range`.")]
        pub fn $range() -> Error {
            pg_err!(
                NUMERIC_VALUE_OUT_OF_RANGE,
                concat!($type_name, " out of range")
            )
        }

        #[doc = concat!("`", $type_name, " + ", $type_name, "`; 22003 `", $type_name,
                                " out of range` on overflow.")]
        pub fn $add(a: $t, b: $t) -> Result<$t> {
            a.checked_add(b).ok_or_else($range)
        }

        #[doc = concat!("`", $type_name, " - ", $type_name, "`; 22003 `", $type_name,
                                " out of range` on overflow.")]
        pub fn $sub(a: $t, b: $t) -> Result<$t> {
            a.checked_sub(b).ok_or_else($range)
        }

        #[doc = concat!("`", $type_name, " * ", $type_name, "`; 22003 `", $type_name,
                                " out of range` on overflow.")]
        pub fn $mul(a: $t, b: $t) -> Result<$t> {
            a.checked_mul(b).ok_or_else($range)
        }

        #[doc = concat!("`", $type_name, " / ", $type_name,
                                "`, truncating toward zero; 22012 `division by zero`, 22003 `",
                                $type_name, " out of range` for the minimum value divided by -1.")]
        pub fn $div(a: $t, b: $t) -> Result<$t> {
            if b == 0 {
                return Err(division_by_zero());
            }
            a.checked_div(b).ok_or_else($range)
        }

        #[doc = concat!("`", $type_name, " % ", $type_name,
                                "`: remainder with the dividend's sign; 22012 `division by zero`. ",
                                "The minimum value modulo -1 is 0, as in PostgreSQL.")]
        pub fn $rem(a: $t, b: $t) -> Result<$t> {
            if b == 0 {
                return Err(division_by_zero());
            }
            Ok(a.checked_rem(b).unwrap_or(0))
        }

        #[doc = concat!("Unary `-`; 22003 `", $type_name, " out of range` for the minimum value.")]
        pub fn $neg(a: $t) -> Result<$t> {
            a.checked_neg().ok_or_else($range)
        }

        #[doc = concat!("`abs()` / `@`; 22003 `", $type_name,
                                " out of range` for the minimum value.")]
        pub fn $abs(a: $t) -> Result<$t> {
            a.checked_abs().ok_or_else($range)
        }
    };
}

int_ops!(
    i16,
    "smallint",
    int2_add,
    int2_sub,
    int2_mul,
    int2_div,
    int2_mod,
    int2_neg,
    int2_abs,
    int2_out_of_range
);
int_ops!(
    i32,
    "integer",
    int4_add,
    int4_sub,
    int4_mul,
    int4_div,
    int4_mod,
    int4_neg,
    int4_abs,
    int4_out_of_range
);
int_ops!(
    i64,
    "bigint",
    int8_add,
    int8_sub,
    int8_mul,
    int8_div,
    int8_mod,
    int8_neg,
    int8_abs,
    int8_out_of_range
);

/// `integer::smallint` (`i4toi2`).
///
/// Errors: 22003 `smallint out of range`.
pub fn int4_to_int2(v: i32) -> Result<i16> {
    i16::try_from(v).map_err(|_| int2_out_of_range())
}

/// `bigint::integer` (`int84`).
///
/// Errors: 22003 `integer out of range`.
pub fn int8_to_int4(v: i64) -> Result<i32> {
    i32::try_from(v).map_err(|_| int4_out_of_range())
}

/// `bigint::smallint` (`int82`).
///
/// Errors: 22003 `smallint out of range`.
pub fn int8_to_int2(v: i64) -> Result<i16> {
    i16::try_from(v).map_err(|_| int2_out_of_range())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    #[test]
    fn input_accepts_whitespace_and_sign() {
        assert_eq!(int4_in("  42  ").unwrap(), 42);
        assert_eq!(int4_in("\t-17\n").unwrap(), -17);
        assert_eq!(int4_in("+5").unwrap(), 5);
        assert_eq!(int4_in("-2147483648").unwrap(), i32::MIN);
        assert_eq!(int4_in("2147483647").unwrap(), i32::MAX);
        assert_eq!(int2_in("-32768").unwrap(), i16::MIN);
        assert_eq!(int8_in("-9223372036854775808").unwrap(), i64::MIN);
        assert_eq!(int8_in("0009223372036854775807").unwrap(), i64::MAX);
    }

    #[test]
    fn input_errors_match_postgres() {
        let e = int4_in("abc").unwrap_err();
        assert_eq!(e.code, SqlState::INVALID_TEXT_REPRESENTATION);
        assert_eq!(e.message, "invalid input syntax for type integer: \"abc\"");
        for bad in [
            "", " ", "+", "-", "1 2", "1_000", "0x10", "1.0", "1e3", "--1", "12a",
        ] {
            assert_eq!(
                int4_in(bad).unwrap_err().code,
                SqlState::INVALID_TEXT_REPRESENTATION,
                "{bad:?}"
            );
        }
        let e = int4_in("99999999999").unwrap_err();
        assert_eq!(e.code, SqlState::NUMERIC_VALUE_OUT_OF_RANGE);
        assert_eq!(
            e.message,
            "value \"99999999999\" is out of range for type integer"
        );
        assert_eq!(
            int2_in("32768").unwrap_err().message,
            "value \"32768\" is out of range for type smallint"
        );
        assert_eq!(
            int8_in("9223372036854775808").unwrap_err().message,
            "value \"9223372036854775808\" is out of range for type bigint"
        );
        assert_eq!(
            int8_in("x").unwrap_err().message,
            "invalid input syntax for type bigint: \"x\""
        );
        assert_eq!(
            int2_in(" 1x").unwrap_err().message,
            "invalid input syntax for type smallint: \" 1x\""
        );
        // Overflow while reading digits wins over trailing garbage (PostgreSQL 15).
        assert_eq!(
            int4_in("99999999999x").unwrap_err().message,
            "value \"99999999999x\" is out of range for type integer"
        );
        assert_eq!(
            int4_in("2147483648x").unwrap_err().code,
            SqlState::INVALID_TEXT_REPRESENTATION
        );
    }

    #[test]
    fn arithmetic_checks_overflow_and_zero() {
        assert_eq!(int4_add(1, 2).unwrap(), 3);
        assert_eq!(
            int4_add(i32::MAX, 1).unwrap_err().message,
            "integer out of range"
        );
        assert_eq!(
            int2_mul(200, 200).unwrap_err().message,
            "smallint out of range"
        );
        assert_eq!(
            int8_sub(i64::MIN, 1).unwrap_err().message,
            "bigint out of range"
        );
        let e = int4_div(1, 0).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (SqlState::DIVISION_BY_ZERO, "division by zero")
        );
        assert_eq!(
            int4_div(i32::MIN, -1).unwrap_err().message,
            "integer out of range"
        );
        assert_eq!(int4_div(-7, 2).unwrap(), -3);
        assert_eq!(int4_mod(-7, 2).unwrap(), -1);
        assert_eq!(int4_mod(i32::MIN, -1).unwrap(), 0);
        assert_eq!(int8_mod(5, 0).unwrap_err().code, SqlState::DIVISION_BY_ZERO);
        assert_eq!(
            int2_neg(i16::MIN).unwrap_err().message,
            "smallint out of range"
        );
        assert_eq!(int8_abs(-5).unwrap(), 5);
        assert_eq!(int4_out(-12), "-12");
        assert_eq!(
            int4_to_int2(40000).unwrap_err().message,
            "smallint out of range"
        );
        assert_eq!(int8_to_int4(-5).unwrap(), -5);
        assert_eq!(
            int8_to_int4(1 << 40).unwrap_err().message,
            "integer out of range"
        );
    }
}
