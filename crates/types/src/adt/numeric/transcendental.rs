//! `exp`, `ln`, `log` on `numeric` (PostgreSQL's `numeric_exp`, `numeric_ln`,
//! `numeric_log`), with PostgreSQL's choice of result scale.
//!
//! The result scale gives at least 16 significant digits and at least the input's display
//! scale (at most 1000), estimated as PostgreSQL does. The value is computed with guard
//! digits (argument reduction by square roots or halving, then the `atanh` or Taylor
//! series) and rounded half away from zero, which gives PostgreSQL's digits except, rarely,
//! where its own guard digits fall short of correct rounding.

use crate::{pg_err, Result};

use super::{numeric_overflow, NUMERIC_MIN_SIG_DIGITS};
use super::{Numeric, NumericSign, DEC_DIGITS};
use super::{NUMERIC_MAX_DISPLAY_SCALE, NUMERIC_MAX_RESULT_SCALE, NUMERIC_MIN_DISPLAY_SCALE};

/// Guard digits carried beyond the target scale.
const GUARD: i32 = 12;

/// log10(e) as PostgreSQL writes it (15 digits, not `f64::consts::LOG10_E`): scale
/// estimates truncate products with it, so the exact literal matters at the edges.
#[allow(clippy::approx_constant)]
const PG_LOG10_E: f64 = 0.434294481903252;

fn n(s: &str) -> Numeric {
    Numeric::parse(s).expect("constant literal")
}

/// Decimal weight of the most significant digit (`10^dweight <= |x| < 10^(dweight+1)`).
fn dweight(x: &Numeric) -> i32 {
    let first = x.digits.first().copied().unwrap_or(0);
    let len = match first {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 4,
    };
    x.weight * DEC_DIGITS + len - 1
}

/// `round(a * b, scale)` on intermediate values (beyond `round()`'s SQL-level limit and
/// the storage limits, as PostgreSQL's internal variables may be).
fn mul_at(a: &Numeric, b: &Numeric, scale: i32) -> Result<Numeric> {
    Ok(a.mul_unchecked(b, scale))
}

/// `2 * atanh(z)` by its series `2 (z + z^3/3 + z^5/5 + ...)`, to `scale` decimals.
fn two_atanh(z: &Numeric, scale: i32) -> Result<Numeric> {
    let z2 = mul_at(z, z, scale)?;
    let mut power = z.clone();
    let mut sum = z.clone();
    let mut k: i64 = 1;
    loop {
        power = mul_at(&power, &z2, scale)?;
        if power.is_zero() {
            break;
        }
        k += 2;
        let term = power.div_at_scale(&Numeric::from(k), scale, true)?;
        if term.is_zero() {
            break;
        }
        sum = sum.add(&term)?;
    }
    sum.add(&sum)?.round_to(scale)
}

/// `ln(x)` for finite `x > 0`, to `scale` decimals plus rounding error in the last guard
/// digit.
fn ln_at(x: &Numeric, scale: i32) -> Result<Numeric> {
    // x = m * 10^k with 1 <= m < 10.
    let k = dweight(x);
    let ten_k = Numeric::parse(&format!("1e{k}")).expect("power of ten");
    let work = scale + GUARD + (k.unsigned_abs().max(1) as f64).log10().ceil() as i32 + 2;
    let mut m = x.div_at_scale(&ten_k, work + 2, false)?;
    // Bring m below 1.1 by square roots; each halves ln(m).
    let mut factor = 1i64;
    let bound = n("1.1");
    while m > bound {
        m = m.sqrt_at_scale(work + 4)?;
        factor *= 2;
    }
    let one = Numeric::from(1i64);
    let z = m.sub(&one)?.div_at_scale(&m.add(&one)?, work + 4, true)?;
    let ln_m = two_atanh(&z, work + 4)?.mul(&Numeric::from(factor))?;
    let mut result = ln_m;
    if k != 0 {
        // ln 10 = 3 ln 2 + ln 1.25 = 6 atanh(1/3) + 2 atanh(1/9).
        let third = one.div_at_scale(&Numeric::from(3i64), work + 4, true)?;
        let ninth = one.div_at_scale(&Numeric::from(9i64), work + 4, true)?;
        let ln10 = two_atanh(&third, work + 4)?
            .mul(&Numeric::from(3i64))?
            .add(&two_atanh(&ninth, work + 4)?)?;
        result = result.add(&ln10.mul(&Numeric::from(i64::from(k)))?)?;
    }
    result.round_to(work)
}

/// PostgreSQL's `estimate_ln_dweight`: the decimal weight of `ln(x)`, for choosing scales.
fn estimate_ln_dweight(x: &Numeric) -> i32 {
    if x.sign != NumericSign::Positive {
        return 0;
    }
    if *x >= n("0.9") && *x <= n("1.1") {
        let diff = x.sub(&Numeric::from(1i64)).expect("small values");
        match diff.digits.first() {
            Some(&d) => diff.weight * DEC_DIGITS + f64::from(d).log10() as i32,
            None => 0,
        }
    } else if let Some(&first) = x.digits.first() {
        let mut digits = f64::from(first);
        let mut dw = x.weight * DEC_DIGITS;
        if let Some(&second) = x.digits.get(1) {
            digits = digits * 10000.0 + f64::from(second);
            dw -= DEC_DIGITS;
        }
        let ln = digits.ln() + f64::from(dw) * std::f64::consts::LN_10;
        ln.abs().log10() as i32
    } else {
        0
    }
}

fn clamp_scale(rscale: i32) -> i32 {
    rscale.clamp(NUMERIC_MIN_DISPLAY_SCALE, NUMERIC_MAX_DISPLAY_SCALE)
}

impl Numeric {
    /// `ln(self)` (`numeric_ln`); NaN and Infinity return themselves.
    ///
    /// Errors: 2201E `cannot take logarithm of zero`, `cannot take logarithm of a negative
    /// number` (also for `-Infinity`).
    pub fn ln(&self) -> Result<Numeric> {
        match self.sign {
            NumericSign::NaN | NumericSign::PositiveInfinity => return Ok(self.clone()),
            NumericSign::NegativeInfinity | NumericSign::Negative => {
                return Err(pg_err!(
                    INVALID_ARGUMENT_FOR_LOG,
                    "cannot take logarithm of a negative number"
                ))
            }
            NumericSign::Positive => {}
        }
        if self.is_zero() {
            return Err(pg_err!(
                INVALID_ARGUMENT_FOR_LOG,
                "cannot take logarithm of zero"
            ));
        }
        let rscale =
            clamp_scale((NUMERIC_MIN_SIG_DIGITS - estimate_ln_dweight(self)).max(self.dscale));
        ln_at(self, rscale)?.round(rscale)
    }

    /// `log(base, self)` (`numeric_log`): `ln(self) / ln(base)`.
    ///
    /// Errors: as [`Numeric::ln`] for either argument; 22012 `division by zero` when
    /// `base` is 1.
    pub fn log(&self, base: &Numeric) -> Result<Numeric> {
        if self.is_nan() || base.is_nan() {
            return Ok(Numeric::nan());
        }
        let zero = || pg_err!(INVALID_ARGUMENT_FOR_LOG, "cannot take logarithm of zero");
        let negative = || {
            pg_err!(
                INVALID_ARGUMENT_FOR_LOG,
                "cannot take logarithm of a negative number"
            )
        };
        if self.is_infinite() || base.is_infinite() {
            // Signs first, then zeros, then the infinite cases.
            if self.is_negative() || base.is_negative() {
                return Err(negative());
            }
            if self.is_zero() || base.is_zero() {
                return Err(zero());
            }
            return Ok(match (base.is_infinite(), self.is_infinite()) {
                (true, true) => Numeric::nan(),
                (true, false) => Numeric::zero(),
                _ => Numeric::infinity(),
            });
        }
        for v in [base, self] {
            if v.is_zero() {
                return Err(zero());
            }
            if v.is_negative() {
                return Err(negative());
            }
        }
        let ln_base_dweight = estimate_ln_dweight(base);
        let ln_num_dweight = estimate_ln_dweight(self);
        let rscale = clamp_scale(
            (NUMERIC_MIN_SIG_DIGITS - (ln_num_dweight - ln_base_dweight))
                .max(base.dscale)
                .max(self.dscale),
        );
        let ln_base_rscale = (rscale + ln_num_dweight - 2 * ln_base_dweight + GUARD).max(GUARD);
        let ln_num_rscale = (rscale + GUARD).max(GUARD);
        let ln_base = ln_at(base, ln_base_rscale)?;
        if ln_base.is_zero() {
            return Err(pg_err!(DIVISION_BY_ZERO, "division by zero"));
        }
        let ln_num = ln_at(self, ln_num_rscale)?;
        ln_num.div_at_scale(&ln_base, rscale, true)
    }

    /// `log(self)` / `log10(self)`: base-10 logarithm.
    ///
    /// Errors: as [`Numeric::ln`].
    pub fn log10(&self) -> Result<Numeric> {
        if self.is_infinite() && !self.is_negative() {
            return Ok(self.clone());
        }
        self.log(&Numeric::from(10i64))
    }

    /// `exp(self)` (`numeric_exp`); `exp(-Infinity)` is 0.
    ///
    /// Errors: 22003 `value overflows numeric format` for results beyond numeric's range.
    pub fn exp(&self) -> Result<Numeric> {
        match self.sign {
            NumericSign::NaN | NumericSign::PositiveInfinity => return Ok(self.clone()),
            NumericSign::NegativeInfinity => return Ok(Numeric::zero()),
            NumericSign::Positive | NumericSign::Negative => {}
        }
        let val = to_f64_no_overflow(self);
        let estimate = (val * PG_LOG10_E).clamp(
            -f64::from(NUMERIC_MAX_RESULT_SCALE),
            f64::from(NUMERIC_MAX_RESULT_SCALE),
        );
        let rscale = clamp_scale((NUMERIC_MIN_SIG_DIGITS - estimate as i32).max(self.dscale));
        exp_at(self, rscale)
    }

    /// `power(self, exponent)` / `self ^ exponent` (`numeric_power`), with POSIX's rules for
    /// NaN and infinities. Integral exponents multiply by repeated squaring; others go
    /// through `exp(exponent * ln(self))`.
    ///
    /// Errors: 2201F `zero raised to a negative power is undefined`, 2201F `a negative
    /// number raised to a non-integer power yields a complex result`, 22003
    /// `value overflows numeric format`.
    pub fn power(&self, exponent: &Numeric) -> Result<Numeric> {
        let one = Numeric::from(1i64);
        if self.is_nan() {
            return Ok(if exponent.is_finite() && exponent.is_zero() {
                one
            } else {
                Numeric::nan()
            });
        }
        if exponent.is_nan() {
            return Ok(if self.is_finite() && *self == one {
                one
            } else {
                Numeric::nan()
            });
        }
        let sign = |v: &Numeric| {
            if v.is_zero() {
                0
            } else if v.is_negative() {
                -1
            } else {
                1
            }
        };
        let (sign1, sign2) = (sign(self), sign(exponent));
        let integral = |v: &Numeric| v.is_finite() && v.digits.len() as i32 <= v.weight + 1;
        if sign1 == 0 && sign2 < 0 {
            return Err(pg_err!(
                INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                "zero raised to a negative power is undefined"
            ));
        }
        if sign1 < 0 && !integral(exponent) && !exponent.is_infinite() {
            return Err(pg_err!(
                INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                "a negative number raised to a non-integer power yields a complex result"
            ));
        }
        if self.is_infinite() || exponent.is_infinite() {
            return Ok(power_special(self, exponent, sign1, sign2));
        }
        if integral(exponent) {
            if let Ok(n) = exponent.to_i64() {
                if let Ok(n) = i32::try_from(n) {
                    let rscale = clamp_scale(NUMERIC_MIN_SIG_DIGITS.max(self.dscale));
                    return power_int(self, n, rscale);
                }
            }
        }
        if self.is_zero() {
            return Ok(Numeric::zero().with_dscale(NUMERIC_MIN_SIG_DIGITS));
        }
        if self.is_negative() {
            // Only integral exponents get here: the sign follows the exponent's parity.
            let odd = exponent.digits.len() as i32 == exponent.weight + 1
                && exponent.digits.last().is_some_and(|d| d % 2 == 1);
            let result = self.abs().power(exponent)?;
            return Ok(if odd { result.neg() } else { result });
        }
        let ln_dweight = estimate_ln_dweight(self);
        let local_rscale = (8 - ln_dweight).max(NUMERIC_MIN_DISPLAY_SCALE);
        let ln_base = ln_at(self, local_rscale)?.round_to(local_rscale)?;
        let ln_num = mul_at(&ln_base, exponent, local_rscale)?;
        let val = to_f64_no_overflow(&ln_num);
        if val.abs() > f64::from(NUMERIC_MAX_RESULT_SCALE) * 3.01 {
            if val > 0.0 {
                return Err(numeric_overflow());
            }
            return Ok(Numeric::zero().with_dscale(NUMERIC_MAX_DISPLAY_SCALE));
        }
        let val = val * PG_LOG10_E;
        let rscale = clamp_scale(
            (NUMERIC_MIN_SIG_DIGITS - val as i32)
                .max(self.dscale)
                .max(exponent.dscale),
        );
        let sig_digits = (rscale + val as i32).max(0);
        let local_rscale = (sig_digits - ln_dweight + 8).max(NUMERIC_MIN_DISPLAY_SCALE);
        let ln_base = ln_at(self, local_rscale)?.round_to(local_rscale)?;
        let ln_num = mul_at(&ln_base, exponent, local_rscale)?;
        exp_at(&ln_num, rscale)
    }
}

/// PostgreSQL's `numericvar_to_double_no_overflow`: tiny values read as 0, huge as ±inf.
fn to_f64_no_overflow(x: &Numeric) -> f64 {
    x.to_string()
        .parse()
        .expect("numeric text is a valid float")
}

/// `exp(x)` for finite `x`, rounded to `rscale` (`exp_var`).
fn exp_at(x: &Numeric, rscale: i32) -> Result<Numeric> {
    let val = to_f64_no_overflow(x);
    if val.abs() >= f64::from(NUMERIC_MAX_RESULT_SCALE) * 3.0 {
        if val > 0.0 {
            return Err(numeric_overflow());
        }
        return Ok(Numeric::zero().with_dscale(rscale));
    }
    // Halve until |y| < 0.01, sum the Taylor series, square back.
    let mut halvings = 0i32;
    let mut y_f = val.abs();
    while y_f >= 0.01 {
        y_f /= 2.0;
        halvings += 1;
    }
    let result_dweight = ((val * PG_LOG10_E) as i32).max(0);
    let work = rscale + result_dweight + (f64::from(halvings) * 0.302).ceil() as i32 + GUARD;
    let y = x.div_at_scale(&Numeric::from(1i64 << halvings), work + 4, true)?;
    let mut sum = Numeric::from(1i64).add(&y)?;
    let mut term = y.clone();
    let mut k = 1i64;
    loop {
        k += 1;
        term = mul_at(&term, &y, work + 4)?.div_at_scale(&Numeric::from(k), work + 4, true)?;
        if term.is_zero() {
            break;
        }
        sum = sum.add(&term)?;
    }
    for _ in 0..halvings {
        sum = mul_at(&sum, &sum, work)?;
    }
    sum.round_to(rscale)
}

/// `power_var_int`: `base ^ n` by repeated squaring with PostgreSQL's working scales.
fn power_int(base: &Numeric, n: i32, rscale: i32) -> Result<Numeric> {
    let one = Numeric::from(1i64);
    match n {
        0 => return Ok(one.with_dscale(rscale)),
        1 => return base.round_to(rscale),
        -1 => return one.div_at_scale(base, rscale, true),
        2 => return mul_at(base, base, rscale),
        _ => {}
    }
    if base.is_zero() {
        return Ok(Numeric::zero().with_dscale(rscale));
    }
    // Estimate the result's decimal weight: base ~= f * 10^p.
    let mut f = f64::from(base.digits[0]);
    let mut p = base.weight * DEC_DIGITS;
    let mut i = 1;
    while i < base.digits.len() && (i as i32) * DEC_DIGITS < 16 {
        f = f * 10000.0 + f64::from(base.digits[i]);
        p -= DEC_DIGITS;
        i += 1;
    }
    let f = f64::from(n) * (f.log10() + f64::from(p));
    if f > 3.0 * 32767.0 * 4.0 {
        return Err(numeric_overflow());
    }
    if f + 1.0 < -f64::from(rscale) || f + 1.0 < -f64::from(NUMERIC_MAX_DISPLAY_SCALE) {
        return Ok(Numeric::zero().with_dscale(rscale));
    }
    let sig_digits = 1 + rscale + f as i32 + (f64::from(n).abs().ln()) as i32 + 8;
    let negative = n < 0;
    let mut mask = n.unsigned_abs();
    let mut base_prod = base.clone();
    let mut result = if mask & 1 == 1 {
        base.clone()
    } else {
        one.clone()
    };
    loop {
        mask >>= 1;
        if mask == 0 {
            break;
        }
        let local = (sig_digits - 2 * base_prod.weight * DEC_DIGITS)
            .min(2 * base_prod.dscale)
            .max(NUMERIC_MIN_DISPLAY_SCALE);
        base_prod = mul_at(&base_prod, &base_prod, local)?;
        if mask & 1 == 1 {
            let local = (sig_digits - (base_prod.weight + result.weight) * DEC_DIGITS)
                .min(base_prod.dscale + result.dscale)
                .max(NUMERIC_MIN_DISPLAY_SCALE);
            result = mul_at(&base_prod, &result, local)?;
        }
        if base_prod.weight > 32767 || result.weight > 32767 {
            if !negative {
                return Err(numeric_overflow());
            }
            return Ok(Numeric::zero().with_dscale(rscale));
        }
    }
    if negative {
        one.div_at_scale(&result, rscale, true)
    } else {
        result.round_to(rscale)
    }
}

/// POSIX's `pow` rules when an argument is infinite (signs and zero already checked).
fn power_special(base: &Numeric, exponent: &Numeric, sign1: i32, sign2: i32) -> Numeric {
    let one = Numeric::from(1i64);
    if base.is_finite() && *base == one {
        return one;
    }
    if sign2 == 0 {
        return one;
    }
    if sign1 == 0 {
        return Numeric::zero();
    }
    if exponent.is_infinite() {
        let abs_gt_one = if base.is_infinite() {
            true
        } else {
            if *base == Numeric::from(-1i64) {
                return one;
            }
            base.abs() > one
        };
        return if abs_gt_one == (sign2 > 0) {
            Numeric::infinity()
        } else {
            Numeric::zero()
        };
    }
    if base.sign == NumericSign::PositiveInfinity {
        return if sign2 > 0 {
            Numeric::infinity()
        } else {
            Numeric::zero()
        };
    }
    // base is -Infinity, exponent finite and integral.
    if sign2 < 0 {
        return Numeric::zero();
    }
    let odd = exponent.digits.len() as i32 == exponent.weight + 1
        && exponent.digits.last().is_some_and(|d| d % 2 == 1);
    if odd {
        Numeric::neg_infinity()
    } else {
        Numeric::infinity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(r: Result<Numeric>) -> String {
        match r {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    #[test]
    fn values_match_postgres() {
        assert_eq!(show(n("2").ln()), "0.6931471805599453");
        assert_eq!(show(n("10").ln()), "2.3025850929940457");
        assert_eq!(show(n("1").exp()), "2.7182818284590452");
        assert_eq!(show(n("0").ln()), "ERR 2201E cannot take logarithm of zero");
        assert_eq!(
            show(n("-1").ln()),
            "ERR 2201E cannot take logarithm of a negative number"
        );
        assert_eq!(show(n("100").log10()), "2.0000000000000000");
        assert_eq!(show(n("-Infinity").exp()), "0");
        assert_eq!(
            show(n("7000").exp()),
            "ERR 22003 value overflows numeric format"
        );
    }
}
