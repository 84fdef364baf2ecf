//! `sqrt(numeric)` (PostgreSQL's `numeric_sqrt`): the square root correctly rounded (half
//! away from zero) to a scale giving at least 16 significant digits, and at least the
//! input's display scale (at most 1000).
//!
//! The root is computed exactly: the input scaled to an integer `N`, `floor(sqrt(N))` by
//! Newton's iteration on base-10000 integers (with precision doubling), then one decimal
//! rounding step. An irrational
//! root has no ties, so truncating one digit past the target and rounding half up is
//! correct rounding.

use crate::{pg_err, Result};

use super::arithmetic::{div_integer, round_digits};
use super::{Numeric, NumericSign, DEC_DIGITS, NBASE};
use super::{NUMERIC_MAX_DISPLAY_SCALE, NUMERIC_MIN_DISPLAY_SCALE, NUMERIC_MIN_SIG_DIGITS};

/// `a + b` on big-endian base-10000 integers.
fn add_integer(a: &[u32], b: &[u32]) -> Vec<u32> {
    let len = a.len().max(b.len()) + 1;
    let mut out = vec![0u32; len];
    let mut carry = 0u32;
    for i in 0..len {
        let x = if i < a.len() { a[a.len() - 1 - i] } else { 0 };
        let y = if i < b.len() { b[b.len() - 1 - i] } else { 0 };
        let s = x + y + carry;
        out[len - 1 - i] = s % NBASE;
        carry = s / NBASE;
    }
    strip_leading(out)
}

/// `a / 2`, truncating.
fn halve(a: &[u32]) -> Vec<u32> {
    let mut rem = 0u32;
    let out = a
        .iter()
        .map(|&d| {
            let cur = rem * NBASE + d;
            rem = cur % 2;
            cur / 2
        })
        .collect();
    strip_leading(out)
}

fn strip_leading(mut v: Vec<u32>) -> Vec<u32> {
    let zeros = v.iter().take_while(|d| **d == 0).count();
    v.drain(..zeros);
    v
}

/// Compares big-endian integers without leading zeros.
fn cmp_integer(a: &[u32], b: &[u32]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `floor(sqrt(n))` for a big-endian base-10000 integer without leading zeros.
///
/// Precision doubling: the root of `n` without its `2k` lowest digits, plus one, times
/// `10000^k`, is an overestimate good to about half the digits; Newton's iteration
/// `x ← (x + n / x) / 2` from an overestimate falls monotonically to the root, and from
/// there it takes one or two full-size steps.
fn isqrt(n: &[u32]) -> Vec<u32> {
    if n.len() <= 4 {
        // Below 10000^4 = 10^16: exact in u128 arithmetic.
        let v = n
            .iter()
            .fold(0u128, |acc, &d| acc * u128::from(NBASE) + u128::from(d));
        let mut r = (v as f64).sqrt() as u128;
        while r * r > v {
            r -= 1;
        }
        while (r + 1) * (r + 1) <= v {
            r += 1;
        }
        let mut out = Vec::new();
        while r > 0 {
            out.push((r % u128::from(NBASE)) as u32);
            r /= u128::from(NBASE);
        }
        out.reverse();
        return out;
    }
    let k = (n.len() - 1) / 4;
    let upper = &n[..n.len() - 2 * k];
    let mut x = add_integer(&isqrt(upper), &[1]);
    x.extend(std::iter::repeat_n(0, k));
    loop {
        let q = strip_leading(div_integer(n, &x));
        let y = halve(&add_integer(&x, &q));
        if cmp_integer(&y, &x) != std::cmp::Ordering::Less {
            return x;
        }
        x = y;
    }
}

impl Numeric {
    /// `sqrt(self)` (`numeric_sqrt`); NaN and Infinity return themselves.
    ///
    /// Errors: 2201F `cannot take square root of a negative number` (also for
    /// `-Infinity`).
    pub fn sqrt(&self) -> Result<Numeric> {
        match self.sign {
            NumericSign::NaN | NumericSign::PositiveInfinity => return Ok(self.clone()),
            NumericSign::NegativeInfinity | NumericSign::Negative => {
                return Err(pg_err!(
                    INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                    "cannot take square root of a negative number"
                ))
            }
            NumericSign::Positive => {}
        }
        let sweight = (self.weight + 1) * DEC_DIGITS / 2 - 1;
        let rscale = (NUMERIC_MIN_SIG_DIGITS - sweight)
            .max(self.dscale)
            .clamp(NUMERIC_MIN_DISPLAY_SCALE, NUMERIC_MAX_DISPLAY_SCALE);
        self.sqrt_at_scale(rscale)
    }

    /// The square root of a finite value ≥ 0, correctly rounded to `rscale` decimals.
    pub(crate) fn sqrt_at_scale(&self, rscale: i32) -> Result<Numeric> {
        debug_assert!(self.is_finite() && !self.is_negative());
        if self.is_zero() {
            return Ok(Numeric::zero().with_dscale(rscale));
        }
        // self = A × 10000^low (A an integer). Aim for the root with r + 1 decimals, i.e.
        // floor(sqrt(self × 10^(2r + 2))), in whole base-10000 digits: pick f fractional
        // base digits (4f >= r + 1) and compute floor(sqrt(A × 10000^(2f + low))).
        let low = self.weight - self.digits.len() as i32 + 1;
        let f = (rscale + 1 + DEC_DIGITS - 1) / DEC_DIGITS;
        let shift = 2 * f + low;
        let mut n: Vec<u32> = self.digits.iter().map(|&d| u32::from(d)).collect();
        if shift >= 0 {
            n.extend(std::iter::repeat_n(0, shift as usize));
        } else {
            let drop = (-shift) as usize;
            n.truncate(n.len().saturating_sub(drop));
        }
        let root = isqrt(&strip_leading(n));
        let weight = root.len() as i32 - 1 - f;
        let digits: Vec<u16> = root.into_iter().map(|d| d as u16).collect();
        let (digits, weight) = round_digits(&digits, weight, rscale, true);
        Numeric::from_parts(false, weight, rscale, digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqrt(s: &str) -> String {
        match Numeric::parse(s).unwrap().sqrt() {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    #[test]
    fn matches_postgres() {
        assert_eq!(sqrt("0"), "0.000000000000000");
        assert_eq!(sqrt("2"), "1.414213562373095");
        assert_eq!(sqrt("1e-10"), "0.000010000000000000000");
        assert_eq!(sqrt("100"), "10.000000000000000");
        assert_eq!(sqrt("0.0001"), "0.01000000000000000");
        assert_eq!(sqrt("1.000"), "1.000000000000000");
        assert_eq!(sqrt("12345678901234567890"), "3513641828.8201443");
        assert_eq!(sqrt("NaN"), "NaN");
        assert_eq!(sqrt("Infinity"), "Infinity");
        assert_eq!(
            sqrt("-1"),
            "ERR 2201F cannot take square root of a negative number"
        );
        assert_eq!(
            sqrt("-Infinity"),
            "ERR 2201F cannot take square root of a negative number"
        );
    }
}
