//! Mathematical functions on `double precision` with PostgreSQL 15's special cases and
//! errors (PostgreSQL docs §9.3, Tables 9.5, 9.7, 9.8; `float.c`).
//!
//! Results come from the platform's libm, as in PostgreSQL. Where Rust's standard library
//! computes differently from glibc (`cbrt`, `asinh`, `acosh`, `atanh`), this module carries
//! glibc's algorithms (fdlibm's, and glibc's own `cbrt`) so the last digit agrees with
//! PostgreSQL on Linux. Beyond that, what this module adds is the error checking: an infinite result from finite input is 22003
//! `value out of range: overflow`, a zero result from nonzero input 22003
//! `value out of range: underflow`; domain errors carry the SQL-standard SQLSTATEs
//! (2201E for logarithms, 2201F for powers and square roots, 22003 `input is out of range`
//! for trigonometric functions).
//!
//! Entry points: [`float8_sqrt`], [`float8_cbrt`], [`float8_pow`], [`float8_exp`],
//! [`float8_ln`], [`float8_log10`], the trigonometric and hyperbolic functions, and
//! [`float8_round`]/[`float8_trunc`]/[`float8_ceil`]/[`float8_floor`]/[`float8_sign`].

use crate::{pg_err, Error, Result};

use super::float::{float_overflow_error, float_underflow_error};

/// `check_float8_val`: overflow when the result is infinite but no input was, underflow
/// when it is zero but no input was.
fn check(result: f64, inf_is_valid: bool, zero_is_valid: bool) -> Result<f64> {
    if result.is_infinite() && !inf_is_valid {
        return Err(float_overflow_error());
    }
    if result == 0.0 && !zero_is_valid {
        return Err(float_underflow_error());
    }
    Ok(result)
}

fn out_of_range() -> Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range")
}

/// `sqrt(x)` / `|/ x` (`dsqrt`).
///
/// Errors: 2201F `cannot take square root of a negative number`.
pub fn float8_sqrt(x: f64) -> Result<f64> {
    if x < 0.0 {
        return Err(pg_err!(
            INVALID_ARGUMENT_FOR_POWER_FUNCTION,
            "cannot take square root of a negative number"
        ));
    }
    check(x.sqrt(), x.is_infinite(), x == 0.0)
}

/// `cbrt(x)` / `||/ x` (`dcbrt`).
pub fn float8_cbrt(x: f64) -> Result<f64> {
    check(glibc_cbrt(x), x.is_infinite(), x == 0.0)
}

/// C's `frexp` for finite nonzero `x`: `(m, e)` with `x = m × 2^e`, `0.5 <= |m| < 1`.
fn frexp(x: f64) -> (f64, i32) {
    let (x, extra) = if x.abs() < f64::MIN_POSITIVE {
        (x * 2f64.powi(54), -54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i32;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, e - 1022 + extra)
}

/// C's `ldexp`: `x × 2^e` (exact in the steps taken for the exponents `cbrt` produces).
fn ldexp(x: f64, e: i32) -> f64 {
    let mut r = x;
    let mut e = e;
    while e > 1000 {
        r *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        r *= 2f64.powi(-1000);
        e += 1000;
    }
    r * 2f64.powi(e)
}

/// glibc's `cbrt`: a polynomial first guess on the reduced argument, one rational
/// refinement step, and the exponent divided by three. The literals are glibc's, digit for
/// digit, so that they round to the same doubles.
#[allow(clippy::excessive_precision)]
fn glibc_cbrt(x: f64) -> f64 {
    const CBRT2: f64 = 1.2599210498948731648;
    const SQR_CBRT2: f64 = 1.5874010519681994748;
    let factor = [1.0 / SQR_CBRT2, 1.0 / CBRT2, 1.0, CBRT2, SQR_CBRT2];
    if x == 0.0 || !x.is_finite() {
        return x + x;
    }
    let (xm, xe) = frexp(x.abs());
    let u = 0.354895765043919860
        + ((1.50819193781584896
            + ((-2.11499494167371287
                + ((2.44693122563534430
                    + ((-1.83469277483613086
                        + (0.784932344976639262 - 0.145263899385486377 * xm) * xm)
                        * xm))
                    * xm))
                * xm))
            * xm);
    let t2 = u * u * u;
    let ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * factor[(2 + xe % 3) as usize];
    ldexp(if x > 0.0 { ym } else { -ym }, xe / 3)
}

/// ln 2 (fdlibm's `ln2` is this same double).
const LN2: f64 = std::f64::consts::LN_2;

/// The high 32 bits of a double, as fdlibm's `GET_HIGH_WORD`.
fn high_word(x: f64) -> i32 {
    (x.to_bits() >> 32) as u32 as i32
}

/// `power(x, y)` / `x ^ y` (`dpow`), with POSIX's rules for NaN and infinities.
///
/// Errors: 2201F `zero raised to a negative power is undefined`, 2201F `a negative number
/// raised to a non-integer power yields a complex result`; 22003 overflow/underflow.
pub fn float8_pow(x: f64, y: f64) -> Result<f64> {
    if x.is_nan() {
        return Ok(if y.is_nan() || y != 0.0 {
            f64::NAN
        } else {
            1.0
        });
    }
    if y.is_nan() {
        return Ok(if x != 1.0 { f64::NAN } else { 1.0 });
    }
    if x == 0.0 && y < 0.0 {
        return Err(pg_err!(
            INVALID_ARGUMENT_FOR_POWER_FUNCTION,
            "zero raised to a negative power is undefined"
        ));
    }
    if x < 0.0 && y.floor() != y {
        return Err(pg_err!(
            INVALID_ARGUMENT_FOR_POWER_FUNCTION,
            "a negative number raised to a non-integer power yields a complex result"
        ));
    }
    if y.is_infinite() {
        let absx = x.abs();
        return Ok(if absx == 1.0 {
            1.0
        } else if y > 0.0 {
            if absx > 1.0 {
                y
            } else {
                0.0
            }
        } else if absx > 1.0 {
            0.0
        } else {
            -y
        });
    }
    if x.is_infinite() {
        if y == 0.0 {
            return Ok(1.0);
        }
        if x > 0.0 {
            return Ok(if y > 0.0 { x } else { 0.0 });
        }
        let half = y / 2.0;
        let odd = half.floor() != half;
        return Ok(if y > 0.0 {
            if odd {
                x
            } else {
                -x
            }
        } else if odd {
            -0.0
        } else {
            0.0
        });
    }
    let result = x.powf(y);
    if result.is_nan() {
        // Only a libm failure for huge |y| gets here; decide as PostgreSQL does.
        if x == 0.0 {
            return Ok(0.0);
        }
        let absx = x.abs();
        if absx == 1.0 {
            return Ok(1.0);
        }
        let grows = if y >= 0.0 { absx > 1.0 } else { absx < 1.0 };
        return Err(if grows {
            float_overflow_error()
        } else {
            float_underflow_error()
        });
    }
    if result.is_infinite() {
        return Err(float_overflow_error());
    }
    if result == 0.0 && x != 0.0 {
        return Err(float_underflow_error());
    }
    Ok(result)
}

/// `exp(x)` (`dexp`); `exp(-Infinity)` is 0.
///
/// Errors: 22003 overflow/underflow.
pub fn float8_exp(x: f64) -> Result<f64> {
    if x.is_nan() {
        return Ok(x);
    }
    if x.is_infinite() {
        return Ok(if x > 0.0 { x } else { 0.0 });
    }
    let result = x.exp();
    if result.is_infinite() {
        return Err(float_overflow_error());
    }
    if result == 0.0 {
        return Err(float_underflow_error());
    }
    Ok(result)
}

fn log_domain(x: f64) -> Result<()> {
    if x == 0.0 {
        return Err(pg_err!(
            INVALID_ARGUMENT_FOR_LOG,
            "cannot take logarithm of zero"
        ));
    }
    if x < 0.0 {
        return Err(pg_err!(
            INVALID_ARGUMENT_FOR_LOG,
            "cannot take logarithm of a negative number"
        ));
    }
    Ok(())
}

/// `ln(x)` (`dlog1`).
///
/// Errors: 2201E `cannot take logarithm of zero`, `cannot take logarithm of a negative
/// number`.
pub fn float8_ln(x: f64) -> Result<f64> {
    log_domain(x)?;
    check(x.ln(), x.is_infinite(), x == 1.0)
}

/// `log(x)` / `log10(x)` (`dlog10`).
///
/// Errors: as [`float8_ln`].
pub fn float8_log10(x: f64) -> Result<f64> {
    log_domain(x)?;
    check(x.log10(), x.is_infinite(), x == 1.0)
}

/// `acos(x)`.
///
/// Errors: 22003 `input is out of range` outside [-1, 1].
pub fn float8_acos(x: f64) -> Result<f64> {
    if x.is_nan() {
        return Ok(f64::NAN);
    }
    if !(-1.0..=1.0).contains(&x) {
        return Err(out_of_range());
    }
    check(x.acos(), false, true)
}

/// `asin(x)`.
///
/// Errors: 22003 `input is out of range` outside [-1, 1].
pub fn float8_asin(x: f64) -> Result<f64> {
    if x.is_nan() {
        return Ok(f64::NAN);
    }
    if !(-1.0..=1.0).contains(&x) {
        return Err(out_of_range());
    }
    check(x.asin(), false, true)
}

/// `atan(x)`.
pub fn float8_atan(x: f64) -> Result<f64> {
    if x.is_nan() {
        return Ok(f64::NAN);
    }
    check(x.atan(), false, true)
}

/// `atan2(y, x)`.
pub fn float8_atan2(y: f64, x: f64) -> Result<f64> {
    if y.is_nan() || x.is_nan() {
        return Ok(f64::NAN);
    }
    check(y.atan2(x), false, true)
}

/// Shared body of `cos`/`sin`/`tan`: infinite input is out of range.
fn periodic(x: f64, f: fn(f64) -> f64, inf_is_valid: bool) -> Result<f64> {
    if x.is_nan() {
        return Ok(f64::NAN);
    }
    if x.is_infinite() {
        return Err(out_of_range());
    }
    check(f(x), inf_is_valid, true)
}

/// `cos(x)`.
///
/// Errors: 22003 `input is out of range` for ±Infinity.
pub fn float8_cos(x: f64) -> Result<f64> {
    periodic(x, f64::cos, false)
}

/// `sin(x)`.
///
/// Errors: 22003 `input is out of range` for ±Infinity.
pub fn float8_sin(x: f64) -> Result<f64> {
    periodic(x, f64::sin, false)
}

/// `tan(x)`.
///
/// Errors: 22003 `input is out of range` for ±Infinity.
pub fn float8_tan(x: f64) -> Result<f64> {
    periodic(x, f64::tan, true)
}

/// `cot(x)`: `1 / tan(x)`; `cot(0)` is Infinity.
///
/// Errors: 22003 `input is out of range` for ±Infinity.
pub fn float8_cot(x: f64) -> Result<f64> {
    periodic(x, f64::tan, true).map(|t| 1.0 / t)
}

/// `sinh(x)`; overflow saturates to ±Infinity.
pub fn float8_sinh(x: f64) -> Result<f64> {
    Ok(x.sinh())
}

/// `cosh(x)`; overflow saturates to Infinity.
///
/// Errors: 22003 underflow (cannot happen for finite input).
pub fn float8_cosh(x: f64) -> Result<f64> {
    check(x.cosh(), true, false)
}

/// `tanh(x)`.
pub fn float8_tanh(x: f64) -> Result<f64> {
    check(x.tanh(), false, true)
}

/// `asinh(x)` (fdlibm's algorithm, as glibc).
pub fn float8_asinh(x: f64) -> Result<f64> {
    let ix = high_word(x) & 0x7fff_ffff;
    if ix < 0x3e30_0000 {
        return Ok(x);
    }
    let w = if ix > 0x41b0_0000 {
        if ix >= 0x7ff0_0000 {
            return Ok(x + x);
        }
        x.abs().ln() + LN2
    } else {
        let xa = x.abs();
        if ix > 0x4000_0000 {
            (2.0 * xa + 1.0 / ((xa * xa + 1.0).sqrt() + xa)).ln()
        } else {
            let t = xa * xa;
            (xa + t / (1.0 + (1.0 + t).sqrt())).ln_1p()
        }
    };
    Ok(w.copysign(x))
}

/// `acosh(x)` (fdlibm's algorithm, as glibc).
///
/// Errors: 22003 `input is out of range` below 1.
pub fn float8_acosh(x: f64) -> Result<f64> {
    if x < 1.0 {
        return Err(out_of_range());
    }
    let hx = high_word(x);
    let lx = x.to_bits() as u32;
    if hx >= 0x41b0_0000 {
        if hx >= 0x7ff0_0000 {
            return Ok(x + x);
        }
        return Ok(x.ln() + LN2);
    }
    if ((hx - 0x3ff0_0000) as u32 | lx) == 0 {
        return Ok(0.0);
    }
    if hx > 0x4000_0000 {
        let t = x * x;
        return Ok((2.0 * x - 1.0 / (x + (t - 1.0).sqrt())).ln());
    }
    let t = x - 1.0;
    Ok((t + (2.0 * t + t * t).sqrt()).ln_1p())
}

/// `atanh(x)`: ±Infinity at ±1 (glibc's algorithm).
///
/// Errors: 22003 `input is out of range` outside [-1, 1].
pub fn float8_atanh(x: f64) -> Result<f64> {
    if x.is_nan() {
        return Ok(x);
    }
    if !(-1.0..=1.0).contains(&x) {
        return Err(out_of_range());
    }
    if x == -1.0 {
        return Ok(f64::NEG_INFINITY);
    }
    if x == 1.0 {
        return Ok(f64::INFINITY);
    }
    let xa = x.abs();
    let t = if xa < 0.5 {
        if xa < 2f64.powi(-28) {
            return Ok(x);
        }
        let t2 = xa + xa;
        0.5 * (t2 + t2 * xa / (1.0 - xa)).ln_1p()
    } else {
        // 0.5 <= |x| < 1 here.
        0.5 * ((xa + xa) / (1.0 - xa)).ln_1p()
    };
    Ok(t.copysign(x))
}

/// `round(x)` (`dround`): half to even, as C's `rint`.
pub fn float8_round(x: f64) -> f64 {
    x.round_ties_even()
}

/// `trunc(x)` (`dtrunc`).
pub fn float8_trunc(x: f64) -> f64 {
    x.trunc()
}

/// `ceil(x)` (`dceil`).
pub fn float8_ceil(x: f64) -> f64 {
    x.ceil()
}

/// `floor(x)` (`dfloor`).
pub fn float8_floor(x: f64) -> f64 {
    x.floor()
}

/// `sign(x)` (`dsign`): -1, 0 or 1 (0 for NaN, as the C comparisons give).
pub fn float8_sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    #[test]
    fn domain_errors_carry_sql_standard_codes() {
        let e = float8_sqrt(-1.0).unwrap_err();
        assert_eq!(e.code, SqlState::INVALID_ARGUMENT_FOR_POWER_FUNCTION);
        assert_eq!(e.message, "cannot take square root of a negative number");
        let e = float8_ln(0.0).unwrap_err();
        assert_eq!(e.code, SqlState::INVALID_ARGUMENT_FOR_LOG);
        assert_eq!(e.message, "cannot take logarithm of zero");
        assert_eq!(
            float8_log10(-1.0).unwrap_err().message,
            "cannot take logarithm of a negative number"
        );
        assert_eq!(
            float8_pow(0.0, -1.0).unwrap_err().message,
            "zero raised to a negative power is undefined"
        );
        assert_eq!(
            float8_pow(-8.0, 1.0 / 3.0).unwrap_err().message,
            "a negative number raised to a non-integer power yields a complex result"
        );
        assert_eq!(
            float8_acos(2.0).unwrap_err().message,
            "input is out of range"
        );
        assert_eq!(
            float8_cos(f64::INFINITY).unwrap_err().message,
            "input is out of range"
        );
    }

    #[test]
    fn special_values_follow_posix() {
        assert_eq!(float8_pow(f64::NAN, 0.0).unwrap(), 1.0);
        assert_eq!(float8_pow(1.0, f64::NAN).unwrap(), 1.0);
        assert!(float8_pow(2.0, f64::NAN).unwrap().is_nan());
        assert_eq!(float8_pow(0.5, f64::INFINITY).unwrap(), 0.0);
        assert_eq!(
            float8_pow(f64::NEG_INFINITY, 3.0).unwrap(),
            f64::NEG_INFINITY
        );
        assert_eq!(float8_pow(2.0, 10.0).unwrap(), 1024.0);
        assert_eq!(
            float8_pow(1e-200, 2.0).unwrap_err().message,
            "value out of range: underflow"
        );
        assert_eq!(float8_pow(2.0, -1074.0).unwrap(), 5e-324);
        assert_eq!(float8_exp(f64::NEG_INFINITY).unwrap(), 0.0);
        assert_eq!(
            float8_exp(710.0).unwrap_err().message,
            "value out of range: overflow"
        );
        assert_eq!(
            float8_exp(-746.0).unwrap_err().message,
            "value out of range: underflow"
        );
        assert!(float8_exp(-740.0).unwrap() > 0.0);
        assert_eq!(float8_cosh(1000.0).unwrap(), f64::INFINITY);
        assert_eq!(float8_atanh(1.0).unwrap(), f64::INFINITY);
        assert_eq!(float8_round(2.5), 2.0);
        assert_eq!(float8_cot(0.0).unwrap(), f64::INFINITY);
    }
}
