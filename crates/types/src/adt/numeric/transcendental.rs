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

/// `round(a * b, scale)` (working scales may exceed `round()`'s SQL-level limit).
fn mul_at(a: &Numeric, b: &Numeric, scale: i32) -> Result<Numeric> {
    a.mul(b)?.round_to(scale)
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
        // As PostgreSQL's numericvar_to_double_no_overflow: tiny values read as 0, huge as
        // infinity.
        let val: f64 = self
            .to_string()
            .parse()
            .expect("numeric text is a valid float");
        let estimate = (val * PG_LOG10_E).clamp(
            -f64::from(NUMERIC_MAX_RESULT_SCALE),
            f64::from(NUMERIC_MAX_RESULT_SCALE),
        );
        let rscale = clamp_scale((NUMERIC_MIN_SIG_DIGITS - estimate as i32).max(self.dscale));
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
        let divisor = Numeric::from(1i64 << halvings.min(62));
        let mut y = self.div_at_scale(&divisor, work + 4, true)?;
        for _ in 62..halvings {
            y = y.div_at_scale(&Numeric::from(2i64), work + 4, true)?;
        }
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
        sum.round(rscale)
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
