//! `numeric` arithmetic with PostgreSQL's result scales and special-value rules
//! (PostgreSQL's `numeric_add`, `numeric_sub`, `numeric_mul`, `numeric_div`, `numeric_mod`,
//! `numeric_round`, `numeric_trunc`, `numeric_ceil`, `numeric_floor`).
//!
//! Result scales:
//! - `+`, `-`: `max(dscale1, dscale2)`, exact;
//! - `*`: `dscale1 + dscale2`, exact, rounded only when that exceeds 16383;
//! - `/`: [`select_div_scale`]: enough fractional digits for 16 significant digits, at least
//!   either input's scale, at most 1000; the quotient is rounded half away from zero;
//! - `%`: `a - trunc(a / b) * b`, scale `max(dscale1, dscale2)`, the dividend's sign.
//!
//! Special values (PostgreSQL 14+): NaN in, NaN out; `Inf - Inf`, `Inf * 0`, `Inf / Inf`,
//! `Inf % x` are NaN; `x / Inf` is 0; `x % Inf` is x. A zero divisor is 22012
//! `division by zero` (also `Inf / 0`); a result beyond the storage limits is 22003
//! `value overflows numeric format`.
//!
//! The magnitude routines work on base-10000 digit slices, most significant first, with the
//! weight of the first digit: schoolbook addition, subtraction and multiplication, and
//! Knuth's algorithm D for division.

use std::cmp::Ordering;

use crate::adt::int::division_by_zero;
use crate::Result;

use super::NUMERIC_MIN_SIG_DIGITS;
use super::{Numeric, NumericSign, DEC_DIGITS, NBASE, NUMERIC_DSCALE_MAX};
use super::{NUMERIC_MAX_DISPLAY_SCALE, NUMERIC_MAX_RESULT_SCALE, NUMERIC_MIN_DISPLAY_SCALE};

/// The digit of weight `w` in `digits` (first digit of weight `weight`); 0 outside.
fn digit_at(digits: &[u16], weight: i32, w: i32) -> u32 {
    let index = i64::from(weight) - i64::from(w);
    if index < 0 || index >= digits.len() as i64 {
        0
    } else {
        u32::from(digits[index as usize])
    }
}

/// Weight of the last digit.
fn low_weight(digits: &[u16], weight: i32) -> i32 {
    weight - digits.len() as i32 + 1
}

/// Compares `|a|` with `|b|`; both normalized (no leading zero digits; zero is empty).
pub(crate) fn cmp_abs(a: &[u16], aw: i32, b: &[u16], bw: i32) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (false, false) => {}
    }
    if aw != bw {
        return aw.cmp(&bw);
    }
    let len = a.len().max(b.len());
    for i in 0..len {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    Ordering::Equal
}

/// `|a| + |b|`: digits and weight (possibly with a leading zero digit).
fn add_abs(a: &[u16], aw: i32, b: &[u16], bw: i32) -> (Vec<u16>, i32) {
    if a.is_empty() {
        return (b.to_vec(), bw);
    }
    if b.is_empty() {
        return (a.to_vec(), aw);
    }
    let high = aw.max(bw) + 1;
    let low = low_weight(a, aw).min(low_weight(b, bw));
    let mut out = vec![0u16; (high - low + 1) as usize];
    let mut carry = 0u32;
    for w in low..=high {
        let sum = digit_at(a, aw, w) + digit_at(b, bw, w) + carry;
        carry = sum / NBASE;
        out[(high - w) as usize] = (sum % NBASE) as u16;
    }
    debug_assert_eq!(carry, 0);
    (out, high)
}

/// `|a| - |b|` for `|a| >= |b|`.
fn sub_abs(a: &[u16], aw: i32, b: &[u16], bw: i32) -> (Vec<u16>, i32) {
    if b.is_empty() {
        return (a.to_vec(), aw);
    }
    let high = aw.max(bw);
    let low = low_weight(a, aw).min(low_weight(b, bw));
    let mut out = vec![0u16; (high - low + 1) as usize];
    let mut borrow = 0i32;
    for w in low..=high {
        let mut diff = digit_at(a, aw, w) as i32 - digit_at(b, bw, w) as i32 - borrow;
        borrow = 0;
        if diff < 0 {
            diff += NBASE as i32;
            borrow = 1;
        }
        out[(high - w) as usize] = diff as u16;
    }
    debug_assert_eq!(borrow, 0, "sub_abs needs |a| >= |b|");
    (out, high)
}

/// `|a| × |b|`, exact.
fn mul_abs(a: &[u16], aw: i32, b: &[u16], bw: i32) -> (Vec<u16>, i32) {
    if a.is_empty() || b.is_empty() {
        return (Vec::new(), 0);
    }
    // Column k of the product holds weight aw + bw + 1 - k. Each column sum stays far below
    // u64::MAX: at most min(len) products below 10^8.
    let mut columns = vec![0u64; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        if x == 0 {
            continue;
        }
        for (j, &y) in b.iter().enumerate() {
            columns[i + j + 1] += u64::from(x) * u64::from(y);
        }
    }
    let mut out = vec![0u16; columns.len()];
    let mut carry = 0u64;
    for k in (0..columns.len()).rev() {
        let v = columns[k] + carry;
        out[k] = (v % u64::from(NBASE)) as u16;
        carry = v / u64::from(NBASE);
    }
    debug_assert_eq!(carry, 0);
    (out, aw + bw + 1)
}

/// Integer long division of big-endian base-10000 magnitudes: `floor(u / v)`, `v` without
/// leading zeros. Knuth, TAOCP vol. 2, §4.3.1, algorithm D.
pub(crate) fn div_integer(u: &[u32], v: &[u32]) -> Vec<u32> {
    let base = i64::from(NBASE);
    debug_assert!(!v.is_empty() && v[0] != 0);
    if u.len() < v.len() {
        return Vec::new();
    }
    if v.len() == 1 {
        let divisor = i64::from(v[0]);
        let mut rem = 0i64;
        return u
            .iter()
            .map(|&d| {
                let cur = rem * base + i64::from(d);
                rem = cur % divisor;
                (cur / divisor) as u32
            })
            .collect();
    }
    // D1: normalize so that the divisor's first digit is at least base / 2.
    let scale = base / (i64::from(v[0]) + 1);
    let multiply = |x: &[u32]| -> Vec<i64> {
        let mut out = vec![0i64; x.len() + 1];
        let mut carry = 0i64;
        for (i, &d) in x.iter().enumerate().rev() {
            let p = i64::from(d) * scale + carry;
            out[i + 1] = p % base;
            carry = p / base;
        }
        out[0] = carry;
        out
    };
    let mut un = multiply(u); // length m + n + 1
    let vn_full = multiply(v);
    debug_assert_eq!(vn_full[0], 0);
    let vn = &vn_full[1..];
    let n = vn.len();
    let m = u.len() - n;
    let mut q = vec![0u32; m + 1];
    for j in 0..=m {
        // D3: estimate the quotient digit from the top digits.
        let top = un[j] * base + un[j + 1];
        let mut qhat = top / vn[0];
        let mut rhat = top % vn[0];
        while qhat >= base || qhat * vn[1] > rhat * base + un[j + 2] {
            qhat -= 1;
            rhat += vn[0];
            if rhat >= base {
                break;
            }
        }
        // D4: multiply and subtract.
        let mut borrow = 0i64;
        let mut carry = 0i64;
        for i in (0..n).rev() {
            let p = qhat * vn[i] + carry;
            carry = p / base;
            let mut t = un[j + i + 1] - p % base - borrow;
            borrow = 0;
            if t < 0 {
                t += base;
                borrow = 1;
            }
            un[j + i + 1] = t;
        }
        let t = un[j] - carry - borrow;
        un[j] = t;
        if t < 0 {
            // D6: add back (rare).
            qhat -= 1;
            let mut carry = 0i64;
            for i in (0..n).rev() {
                let s = un[j + i + 1] + vn[i] + carry;
                un[j + i + 1] = s % base;
                carry = s / base;
            }
            un[j] += carry;
            debug_assert_eq!(un[j], 0);
        }
        q[j] = qhat as u32;
    }
    q
}

/// `trunc(|a| / |b|)` with its last digit at weight `-fraction_digits` (base-10000
/// fractional digits). `b` must be nonzero.
fn div_abs_trunc(a: &[u16], aw: i32, b: &[u16], bw: i32, fraction_digits: i32) -> (Vec<u16>, i32) {
    if a.is_empty() {
        return (Vec::new(), 0);
    }
    // a = A × NBASE^ea, b = B × NBASE^eb with integers A, B; the wanted quotient is
    // floor(A × NBASE^shift / B) with shift = ea - eb + fraction_digits.
    let ea = i64::from(low_weight(a, aw));
    let eb = i64::from(low_weight(b, bw));
    let shift = ea - eb + i64::from(fraction_digits);
    let mut numerator: Vec<u32> = a.iter().map(|&d| u32::from(d)).collect();
    if shift >= 0 {
        numerator.extend(std::iter::repeat_n(0, shift as usize));
    } else {
        let drop = (-shift) as usize;
        if drop >= numerator.len() {
            return (Vec::new(), 0);
        }
        numerator.truncate(numerator.len() - drop);
    }
    let divisor: Vec<u32> = b.iter().map(|&d| u32::from(d)).collect();
    let q = div_integer(&numerator, &divisor);
    let weight = q.len() as i32 - 1 - fraction_digits;
    (q.into_iter().map(|d| d as u16).collect(), weight)
}

/// Rounds (half away from zero) or truncates a magnitude to `rscale` decimal digits after
/// the point (negative: before it); returns normalized digits and weight.
pub(crate) fn round_digits(
    digits: &[u16],
    weight: i32,
    rscale: i32,
    round: bool,
) -> (Vec<u16>, i32) {
    if digits.is_empty() {
        return (Vec::new(), 0);
    }
    // The last kept decimal digit has exponent p; it lies in the group of weight `group`
    // at decimal position `offset` (0 = units of the group).
    let p = -i64::from(rscale);
    let group = p.div_euclid(i64::from(DEC_DIGITS));
    let offset = (p - group * i64::from(DEC_DIGITS)) as u32;
    let last_weight = i64::from(low_weight(digits, weight));
    if last_weight > group || (last_weight == group && offset == 0) {
        return (digits.to_vec(), weight);
    }
    // One spare leading group takes the carry; more if the kept position is above the top.
    let top = (i64::from(weight).max(group)) + 1;
    let mut v: Vec<u16> = vec![0; (top - i64::from(weight)) as usize];
    v.extend_from_slice(digits);
    let index = (top - group) as usize;
    let pow = 10u16.pow(offset);
    let next_digit = if offset > 0 {
        (v.get(index).copied().unwrap_or(0) / 10u16.pow(offset - 1)) % 10
    } else {
        v.get(index + 1).copied().unwrap_or(0) / 1000
    };
    if index < v.len() {
        v[index] = v[index] / pow * pow;
        v.truncate(index + 1);
    } else {
        v.resize(index + 1, 0);
    }
    if round && next_digit >= 5 {
        let mut k = index;
        v[k] += pow;
        while v[k] >= NBASE as u16 {
            v[k] -= NBASE as u16;
            k -= 1;
            v[k] += 1;
        }
    }
    strip(v, top as i32)
}

/// Removes leading and trailing zero digits.
fn strip(mut digits: Vec<u16>, mut weight: i32) -> (Vec<u16>, i32) {
    let leading = digits.iter().take_while(|d| **d == 0).count();
    if leading == digits.len() {
        return (Vec::new(), 0);
    }
    digits.drain(..leading);
    weight -= leading as i32;
    let trailing = digits.iter().rev().take_while(|d| **d == 0).count();
    digits.truncate(digits.len() - trailing);
    (digits, weight)
}

/// PostgreSQL's `select_div_scale`: the display scale of `a / b`.
pub fn select_div_scale(a: &Numeric, b: &Numeric) -> i32 {
    let (w1, f1) = a.digits.first().map_or((0, 0), |&d| (a.weight, d));
    let (w2, f2) = b.digits.first().map_or((0, 0), |&d| (b.weight, d));
    let mut qweight = w1 - w2;
    if f1 <= f2 {
        qweight -= 1;
    }
    let rscale = (NUMERIC_MIN_SIG_DIGITS - qweight * DEC_DIGITS)
        .max(a.dscale)
        .max(b.dscale)
        .max(NUMERIC_MIN_DISPLAY_SCALE);
    rscale.min(NUMERIC_MAX_DISPLAY_SCALE)
}

/// Signed sum of two finite values with the given display scale.
fn add_finite(a: &Numeric, b: &Numeric, dscale: i32) -> Result<Numeric> {
    let (an, bn) = (a.is_negative(), b.is_negative());
    if an == bn {
        let (d, w) = add_abs(&a.digits, a.weight, &b.digits, b.weight);
        return Numeric::from_parts(an, w, dscale, d);
    }
    match cmp_abs(&a.digits, a.weight, &b.digits, b.weight) {
        Ordering::Equal => Ok(Numeric::zero().with_dscale(dscale)),
        Ordering::Greater => {
            let (d, w) = sub_abs(&a.digits, a.weight, &b.digits, b.weight);
            Numeric::from_parts(an, w, dscale, d)
        }
        Ordering::Less => {
            let (d, w) = sub_abs(&b.digits, b.weight, &a.digits, a.weight);
            Numeric::from_parts(bn, w, dscale, d)
        }
    }
}

impl Numeric {
    /// `self + other` (`numeric_add`); scale `max(dscale1, dscale2)`.
    ///
    /// Errors: 22003 `value overflows numeric format`.
    pub fn add(&self, other: &Numeric) -> Result<Numeric> {
        use NumericSign::*;
        match (self.sign, other.sign) {
            (NaN, _) | (_, NaN) => Ok(Numeric::nan()),
            (PositiveInfinity, NegativeInfinity) | (NegativeInfinity, PositiveInfinity) => {
                Ok(Numeric::nan())
            }
            (PositiveInfinity | NegativeInfinity, _) => Ok(self.clone()),
            (_, PositiveInfinity | NegativeInfinity) => Ok(other.clone()),
            _ => add_finite(self, other, self.dscale.max(other.dscale)),
        }
    }

    /// `self - other` (`numeric_sub`); scale `max(dscale1, dscale2)`.
    ///
    /// Errors: 22003 `value overflows numeric format`.
    pub fn sub(&self, other: &Numeric) -> Result<Numeric> {
        self.add(&other.neg())
    }

    /// `self * other` (`numeric_mul`); exact with scale `dscale1 + dscale2`, rounded to
    /// 16383 fractional digits if that is exceeded.
    ///
    /// Errors: 22003 `value overflows numeric format`.
    pub fn mul(&self, other: &Numeric) -> Result<Numeric> {
        use NumericSign::*;
        if self.is_nan() || other.is_nan() {
            return Ok(Numeric::nan());
        }
        if self.is_infinite() || other.is_infinite() {
            if self.is_zero() || other.is_zero() {
                return Ok(Numeric::nan());
            }
            return Ok(if self.is_negative() != other.is_negative() {
                Numeric::neg_infinity()
            } else {
                Numeric::infinity()
            });
        }
        let negative = (self.sign == Negative) != (other.sign == Negative);
        let (d, w) = mul_abs(&self.digits, self.weight, &other.digits, other.weight);
        let dscale = self.dscale + other.dscale;
        if dscale > NUMERIC_DSCALE_MAX {
            let (d, w) = round_digits(&d, w, NUMERIC_DSCALE_MAX, true);
            return Numeric::from_parts(negative, w, NUMERIC_DSCALE_MAX, d);
        }
        Numeric::from_parts(negative, w, dscale, d)
    }

    /// `self * other` rounded to (and displayed with) `rscale` decimals, without the
    /// storage limits: for
    /// intermediate results of longer computations (PostgreSQL's `mul_var` on
    /// `NumericVar`s), whose values may briefly exceed what a stored numeric can hold.
    pub(crate) fn mul_unchecked(&self, other: &Numeric, rscale: i32) -> Numeric {
        debug_assert!(self.is_finite() && other.is_finite());
        let negative = self.is_negative() != other.is_negative();
        let (d, w) = mul_abs(&self.digits, self.weight, &other.digits, other.weight);
        let exact_scale = self.dscale + other.dscale;
        if rscale >= exact_scale {
            return Numeric::normalized(negative, w, rscale, d);
        }
        let (d, w) = round_digits(&d, w, rscale, true);
        Numeric::normalized(negative, w, rscale.max(0), d)
    }

    /// `self / other` (`numeric_div`) at [`select_div_scale`], rounded half away from zero.
    ///
    /// Errors: 22012 `division by zero`; 22003 `value overflows numeric format`.
    pub fn div(&self, other: &Numeric) -> Result<Numeric> {
        if let Some(special) = div_special(self, other)? {
            return Ok(special);
        }
        let rscale = select_div_scale(self, other);
        self.div_at_scale(other, rscale, true)
    }

    /// `self / other` computed to `rscale` fractional digits, rounded or truncated; both
    /// finite, divisor nonzero.
    pub(crate) fn div_at_scale(
        &self,
        other: &Numeric,
        rscale: i32,
        round: bool,
    ) -> Result<Numeric> {
        debug_assert!(self.is_finite() && other.is_finite() && !other.is_zero());
        let negative = self.is_negative() != other.is_negative();
        // One more base-10000 digit than rscale needs, so rounding sees the next decimal.
        let fraction_digits = rscale.div_euclid(DEC_DIGITS) + 2;
        let (q, w) = div_abs_trunc(
            &self.digits,
            self.weight,
            &other.digits,
            other.weight,
            fraction_digits,
        );
        let (q, w) = round_digits(&q, w, rscale, round);
        Numeric::from_parts(negative, w, rscale.max(0), q)
    }

    /// `div(self, other)`: the quotient truncated toward zero, scale 0 (`numeric_div_trunc`).
    ///
    /// Errors: 22012 `division by zero`.
    pub fn div_trunc(&self, other: &Numeric) -> Result<Numeric> {
        if let Some(special) = div_special(self, other)? {
            return Ok(special.trunc(0));
        }
        self.div_at_scale(other, 0, false)
    }

    /// `self % other` (`numeric_mod`): `self - trunc(self / other) * other`, taking the
    /// dividend's sign; scale `max(dscale1, dscale2)`.
    ///
    /// Errors: 22012 `division by zero`.
    pub fn modulo(&self, other: &Numeric) -> Result<Numeric> {
        if self.is_nan() || other.is_nan() {
            return Ok(Numeric::nan());
        }
        if self.is_infinite() {
            if other.is_zero() {
                return Err(division_by_zero());
            }
            return Ok(Numeric::nan());
        }
        if other.is_infinite() {
            return Ok(self.clone());
        }
        if other.is_zero() {
            return Err(division_by_zero());
        }
        let q = self.div_at_scale(other, 0, false)?;
        let product = q.mul(other)?;
        add_finite(self, &product.neg(), self.dscale.max(other.dscale))
    }

    /// `round(self, scale)` (`numeric_round`): half away from zero; a negative scale rounds
    /// to tens, hundreds, ...; the result's scale is `max(scale, 0)`. Scale is clamped to
    /// ±2000. Special values are returned unchanged.
    ///
    /// Errors: 22003 `value overflows numeric format` (rounding up at the very top).
    pub fn round(&self, scale: i32) -> Result<Numeric> {
        let scale = scale.clamp(-NUMERIC_MAX_RESULT_SCALE, NUMERIC_MAX_RESULT_SCALE);
        self.round_to(scale)
    }

    /// `trunc(self, scale)` (`numeric_trunc`): toward zero, otherwise like [`Numeric::round`];
    /// never overflows.
    pub fn trunc(&self, scale: i32) -> Numeric {
        if !self.is_finite() {
            return self.clone();
        }
        let scale = scale.clamp(-NUMERIC_MAX_RESULT_SCALE, NUMERIC_MAX_RESULT_SCALE);
        let (d, w) = round_digits(&self.digits, self.weight, scale, false);
        Numeric::normalized(self.is_negative(), w, scale.max(0), d)
    }

    /// `ceil(self)` (`numeric_ceil`): smallest integer ≥ self, scale 0.
    ///
    /// Errors: 22003 `value overflows numeric format`.
    pub fn ceil(&self) -> Result<Numeric> {
        self.floor_or_ceil(false)
    }

    /// `floor(self)` (`numeric_floor`): largest integer ≤ self, scale 0.
    ///
    /// Errors: 22003 `value overflows numeric format`.
    pub fn floor(&self) -> Result<Numeric> {
        self.floor_or_ceil(true)
    }

    fn floor_or_ceil(&self, floor: bool) -> Result<Numeric> {
        if !self.is_finite() {
            return Ok(self.clone());
        }
        let truncated = self.trunc(0);
        let away = if floor {
            self.is_negative()
        } else {
            !self.is_negative()
        };
        if away && truncated != *self {
            let step = if floor {
                Numeric::from(-1i64)
            } else {
                Numeric::from(1i64)
            };
            truncated.add(&step)
        } else {
            Ok(truncated)
        }
    }
}

/// Special-value and zero-divisor handling shared by `/` and `div()`: `Some` when the
/// result does not need a real division.
fn div_special(a: &Numeric, b: &Numeric) -> Result<Option<Numeric>> {
    if a.is_nan() || b.is_nan() {
        return Ok(Some(Numeric::nan()));
    }
    if a.is_infinite() {
        if b.is_infinite() {
            return Ok(Some(Numeric::nan()));
        }
        if b.is_zero() {
            return Err(division_by_zero());
        }
        return Ok(Some(if a.is_negative() != b.is_negative() {
            Numeric::neg_infinity()
        } else {
            Numeric::infinity()
        }));
    }
    if b.is_infinite() {
        return Ok(Some(Numeric::zero()));
    }
    if b.is_zero() {
        return Err(division_by_zero());
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    fn n(s: &str) -> Numeric {
        Numeric::parse(s).unwrap()
    }

    fn op(a: &str, f: fn(&Numeric, &Numeric) -> Result<Numeric>, b: &str) -> String {
        match f(&n(a), &n(b)) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {}", e.message),
        }
    }

    #[test]
    fn add_sub_keep_larger_scale() {
        assert_eq!(op("1.5", Numeric::add, "2.25"), "3.75");
        assert_eq!(op("1.50", Numeric::sub, "1.5"), "0.00");
        assert_eq!(op("9999.9999", Numeric::add, "0.0001"), "10000.0000");
        assert_eq!(op("-5", Numeric::add, "3.000"), "-2.000");
        assert_eq!(op("0.0001", Numeric::sub, "10000"), "-9999.9999");
        assert_eq!(op("Infinity", Numeric::sub, "Infinity"), "NaN");
        assert_eq!(op("Infinity", Numeric::add, "-5"), "Infinity");
        assert_eq!(op("1", Numeric::sub, "Infinity"), "-Infinity");
        assert_eq!(op("NaN", Numeric::add, "1"), "NaN");
        assert_eq!(
            op("9e131071", Numeric::add, "9e131071"),
            "ERR value overflows numeric format"
        );
    }

    #[test]
    fn mul_is_exact() {
        assert_eq!(op("1.5", Numeric::mul, "1.5"), "2.25");
        assert_eq!(op("0.10", Numeric::mul, "0.10"), "0.0100");
        assert_eq!(
            op("-12345678.9", Numeric::mul, "98765.4321"),
            "-1219326311126.35269"
        );
        assert_eq!(op("Infinity", Numeric::mul, "0"), "NaN");
        assert_eq!(op("-Infinity", Numeric::mul, "-2"), "Infinity");
        assert_eq!(op("99999999", Numeric::mul, "99999999"), "9999999800000001");
    }

    #[test]
    fn div_uses_select_div_scale() {
        assert_eq!(op("1", Numeric::div, "3"), "0.33333333333333333333");
        assert_eq!(op("2", Numeric::div, "3"), "0.66666666666666666667");
        assert_eq!(op("10", Numeric::div, "4"), "2.5000000000000000");
        assert_eq!(op("1", Numeric::div, "8"), "0.12500000000000000000");
        assert_eq!(op("0", Numeric::div, "5"), "0.00000000000000000000");
        assert_eq!(op("100000000", Numeric::div, "3"), "33333333.333333333333");
        assert_eq!(op("1.000000", Numeric::div, "7"), "0.14285714285714285714");
        assert_eq!(op("-7", Numeric::div, "2"), "-3.5000000000000000");
        assert_eq!(op("1", Numeric::div, "0"), "ERR division by zero");
        assert_eq!(op("Infinity", Numeric::div, "0"), "ERR division by zero");
        assert_eq!(op("NaN", Numeric::div, "0"), "NaN");
        assert_eq!(op("5", Numeric::div, "-Infinity"), "0");
        assert_eq!(op("-Infinity", Numeric::div, "2"), "-Infinity");
        assert_eq!(op("Infinity", Numeric::div, "Infinity"), "NaN");
        let e = n("1").div(&n("0")).unwrap_err();
        assert_eq!(e.code, SqlState::DIVISION_BY_ZERO);
    }

    #[test]
    fn modulo_takes_dividend_sign() {
        assert_eq!(op("10", Numeric::modulo, "3"), "1");
        assert_eq!(op("-10", Numeric::modulo, "3"), "-1");
        assert_eq!(op("10.5", Numeric::modulo, "3"), "1.5");
        assert_eq!(op("10", Numeric::modulo, "-3.00"), "1.00");
        assert_eq!(op("5", Numeric::modulo, "0"), "ERR division by zero");
        assert_eq!(op("5", Numeric::modulo, "Infinity"), "5");
        assert_eq!(op("Infinity", Numeric::modulo, "5"), "NaN");
        assert_eq!(op("Infinity", Numeric::modulo, "0"), "ERR division by zero");
    }

    #[test]
    fn round_trunc_ceil_floor() {
        assert_eq!(n("2.5").round(0).unwrap().to_string(), "3");
        assert_eq!(n("-2.5").round(0).unwrap().to_string(), "-3");
        assert_eq!(n("1234.5678").round(2).unwrap().to_string(), "1234.57");
        assert_eq!(n("1234.5678").round(-2).unwrap().to_string(), "1200");
        assert_eq!(n("1250").round(-2).unwrap().to_string(), "1300");
        assert_eq!(n("9999.99").round(1).unwrap().to_string(), "10000.0");
        assert_eq!(n("0.5").round(5).unwrap().to_string(), "0.50000");
        assert_eq!(n("49").round(-2).unwrap().to_string(), "0");
        assert_eq!(n("50").round(-2).unwrap().to_string(), "100");
        assert_eq!(n("5").round(-4).unwrap().to_string(), "0");
        assert_eq!(n("5000").round(-4).unwrap().to_string(), "10000");
        assert_eq!(n("1234.5678").trunc(2).to_string(), "1234.56");
        assert_eq!(n("-1234.5678").trunc(-2).to_string(), "-1200");
        assert_eq!(n("-0.5").trunc(0).to_string(), "0");
        assert_eq!(n("-1.5").ceil().unwrap().to_string(), "-1");
        assert_eq!(n("-1.5").floor().unwrap().to_string(), "-2");
        assert_eq!(n("1.0001").ceil().unwrap().to_string(), "2");
        assert_eq!(n("3.00").floor().unwrap().to_string(), "3");
        assert_eq!(n("Infinity").round(2).unwrap().to_string(), "Infinity");
        assert_eq!(n("7.5").div_trunc(&n("2")).unwrap().to_string(), "3");
    }
}
