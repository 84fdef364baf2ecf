//! `numeric`: arbitrary-precision decimal numbers as PostgreSQL stores and computes them
//! (PostgreSQL docs §8.1.2, §9.3).
//!
//! A finite value is a sign, base-10000 digits (`NBASE`, four decimal digits each), the
//! `weight` of the first digit and a display scale `dscale`:
//!
//! ```text
//!   value = ± Σ digits[i] × 10000^(weight - i), printed with exactly dscale decimals
//!
//!   12345.6   → digits [1, 2345, 6000], weight 1,  dscale 1
//!   -0.00012  → digits [1, 2000],       weight -1, dscale 5, sign Negative
//!   1.50      → digits [1, 5000],       weight 0,  dscale 2
//! ```
//!
//! Invariants of a stored [`Numeric`] (what PostgreSQL's `make_result` guarantees):
//! 1. digits carry no leading or trailing zero digits; zero has no digits, weight 0 and
//!    a positive sign (there is no negative zero);
//! 2. the value has no nonzero decimal digit beyond `dscale` (arithmetic rounds first);
//! 3. `weight <= 32767` (131072 decimal digits before the point) and `dscale <= 16383`;
//!    a result outside is 22003 `value overflows numeric format`;
//! 4. NaN and ±Infinity carry no digits; NaN equals NaN and sorts above everything,
//!    `+Infinity` above every finite value, `-Infinity` below.
//!
//! Equality, ordering and hashing ignore `dscale` (`1.0 = 1.00`); display keeps it.
//!
//! Entry points: [`Numeric::parse`] and `Display` (see [`io`]), [`Numeric::apply_typmod`],
//! arithmetic in [`arithmetic`] ([`Numeric::add`], [`Numeric::div`], [`Numeric::round`],
//! ...), conversions in [`convert`], [`Numeric::sqrt`] in [`sqrt`], and [`Numeric::exp`],
//! [`Numeric::ln`], [`Numeric::log`], [`Numeric::power`] in [`transcendental`].

pub mod arithmetic;
pub mod convert;
pub mod io;
pub mod sqrt;
pub mod transcendental;

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use crate::{pg_err, Error, Result};

/// The base of a numeric digit.
pub const NBASE: u32 = 10000;
/// Decimal digits per numeric digit.
pub const DEC_DIGITS: i32 = 4;
/// Largest weight a value may have (`NUMERIC_WEIGHT_MAX`).
pub const NUMERIC_WEIGHT_MAX: i32 = i16::MAX as i32;
/// Largest display scale a value may carry (`NUMERIC_DSCALE_MAX`).
pub const NUMERIC_DSCALE_MAX: i32 = 0x3FFF;
/// Largest precision a `numeric(p, s)` type modifier may declare.
pub const NUMERIC_MAX_PRECISION: i32 = 1000;
/// Smallest scale a `numeric(p, s)` type modifier may declare.
pub const NUMERIC_MIN_SCALE: i32 = -1000;
/// Largest scale a `numeric(p, s)` type modifier may declare.
pub const NUMERIC_MAX_SCALE: i32 = 1000;
/// Largest display scale chosen for a computed result such as a quotient.
pub const NUMERIC_MAX_DISPLAY_SCALE: i32 = NUMERIC_MAX_PRECISION;
/// Smallest display scale chosen for a computed result.
pub const NUMERIC_MIN_DISPLAY_SCALE: i32 = 0;
/// Largest scale accepted by `round()`/`trunc()`.
pub const NUMERIC_MAX_RESULT_SCALE: i32 = NUMERIC_MAX_PRECISION * 2;
/// Significant digits a quotient carries at least (so numeric is no less precise than
/// float8).
pub const NUMERIC_MIN_SIG_DIGITS: i32 = 16;

/// The sign of a [`Numeric`], with the special values as PostgreSQL encodes them.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum NumericSign {
    /// A finite value ≥ 0.
    Positive,
    /// A finite value < 0.
    Negative,
    /// Not-a-number.
    NaN,
    /// `Infinity`.
    PositiveInfinity,
    /// `-Infinity`.
    NegativeInfinity,
}

/// A `numeric` value; see the module header for its representation and invariants.
#[derive(Clone)]
pub struct Numeric {
    pub(crate) sign: NumericSign,
    pub(crate) weight: i32,
    pub(crate) dscale: i32,
    pub(crate) digits: Vec<u16>,
}

impl Numeric {
    /// `NaN`.
    pub fn nan() -> Numeric {
        Numeric::special(NumericSign::NaN)
    }

    /// `Infinity`.
    pub fn infinity() -> Numeric {
        Numeric::special(NumericSign::PositiveInfinity)
    }

    /// `-Infinity`.
    pub fn neg_infinity() -> Numeric {
        Numeric::special(NumericSign::NegativeInfinity)
    }

    /// Zero with display scale 0.
    pub fn zero() -> Numeric {
        Numeric::special(NumericSign::Positive)
    }

    fn special(sign: NumericSign) -> Numeric {
        Numeric {
            sign,
            weight: 0,
            dscale: 0,
            digits: Vec::new(),
        }
    }

    /// Builds a finite value from raw parts, normalizing digits (invariant 1) and checking
    /// the storage limits (invariant 3): PostgreSQL's `make_result`.
    ///
    /// Errors: 22003 `value overflows numeric format`.
    pub(crate) fn from_parts(
        negative: bool,
        weight: i32,
        dscale: i32,
        digits: Vec<u16>,
    ) -> Result<Numeric> {
        let n = Numeric::normalized(negative, weight, dscale, digits);
        n.check_limits()?;
        Ok(n)
    }

    /// Normalizes without checking limits (for intermediate results).
    pub(crate) fn normalized(
        negative: bool,
        mut weight: i32,
        dscale: i32,
        mut digits: Vec<u16>,
    ) -> Numeric {
        let leading = digits.iter().take_while(|d| **d == 0).count();
        if leading == digits.len() {
            return Numeric {
                sign: NumericSign::Positive,
                weight: 0,
                dscale,
                digits: Vec::new(),
            };
        }
        digits.drain(..leading);
        weight -= leading as i32;
        let trailing = digits.iter().rev().take_while(|d| **d == 0).count();
        digits.truncate(digits.len() - trailing);
        Numeric {
            sign: if negative {
                NumericSign::Negative
            } else {
                NumericSign::Positive
            },
            weight,
            dscale,
            digits,
        }
    }

    /// Invariant 3.
    pub(crate) fn check_limits(&self) -> Result<()> {
        if self.weight > NUMERIC_WEIGHT_MAX || self.dscale > NUMERIC_DSCALE_MAX {
            return Err(numeric_overflow());
        }
        Ok(())
    }

    /// The sign, or which special value this is.
    pub fn sign(&self) -> NumericSign {
        self.sign
    }

    /// Whether this is `NaN`.
    pub fn is_nan(&self) -> bool {
        self.sign == NumericSign::NaN
    }

    /// Whether this is `Infinity` or `-Infinity`.
    pub fn is_infinite(&self) -> bool {
        matches!(
            self.sign,
            NumericSign::PositiveInfinity | NumericSign::NegativeInfinity
        )
    }

    /// Whether this is a finite value (not NaN, not infinite).
    pub fn is_finite(&self) -> bool {
        matches!(self.sign, NumericSign::Positive | NumericSign::Negative)
    }

    /// Whether this is (finite) zero.
    pub fn is_zero(&self) -> bool {
        self.is_finite() && self.digits.is_empty()
    }

    /// Whether this is below zero (including `-Infinity`).
    pub fn is_negative(&self) -> bool {
        matches!(
            self.sign,
            NumericSign::Negative | NumericSign::NegativeInfinity
        )
    }

    /// The display scale: decimal digits printed after the point.
    pub fn dscale(&self) -> i32 {
        self.dscale
    }

    /// The weight of the first base-10000 digit (0 for zero and the special values).
    pub fn weight(&self) -> i32 {
        self.weight
    }

    /// The base-10000 digits, most significant first, without leading or trailing zeros.
    pub fn digits(&self) -> &[u16] {
        &self.digits
    }

    /// The same value with another display scale, without rounding; the caller guarantees
    /// no nonzero digit lies beyond `dscale` (invariant 2).
    pub(crate) fn with_dscale(mut self, dscale: i32) -> Numeric {
        if self.is_finite() {
            self.dscale = dscale;
        }
        self
    }

    /// `scale(self)`: the display scale; `None` (SQL NULL) for NaN and infinities.
    pub fn scale(&self) -> Option<i32> {
        self.is_finite().then_some(self.dscale)
    }

    /// `min_scale(self)`: the fewest decimals that represent the value exactly; `None` for
    /// NaN and infinities.
    pub fn min_scale(&self) -> Option<i32> {
        if !self.is_finite() {
            return None;
        }
        let Some(&last) = self.digits.last() else {
            return Some(0);
        };
        let last_weight = self.weight - self.digits.len() as i32 + 1;
        if last_weight >= 0 {
            return Some(0);
        }
        let mut trailing_zeros = 0;
        let mut d = last;
        while d % 10 == 0 {
            d /= 10;
            trailing_zeros += 1;
        }
        Some(-last_weight * DEC_DIGITS - trailing_zeros)
    }

    /// `trim_scale(self)`: the value with its display scale reduced to [`Numeric::min_scale`].
    pub fn trim_scale(&self) -> Numeric {
        match self.min_scale() {
            Some(scale) => self.clone().with_dscale(scale),
            None => self.clone(),
        }
    }

    /// `-self` (`numeric_uminus`): zero stays positive, infinities swap, NaN stays.
    pub fn neg(&self) -> Numeric {
        let mut r = self.clone();
        r.sign = match self.sign {
            NumericSign::Positive if !self.digits.is_empty() => NumericSign::Negative,
            NumericSign::Negative => NumericSign::Positive,
            NumericSign::PositiveInfinity => NumericSign::NegativeInfinity,
            NumericSign::NegativeInfinity => NumericSign::PositiveInfinity,
            other => other,
        };
        r
    }

    /// `abs(self)` / `@ self` (`numeric_abs`).
    pub fn abs(&self) -> Numeric {
        let mut r = self.clone();
        r.sign = match self.sign {
            NumericSign::Negative => NumericSign::Positive,
            NumericSign::NegativeInfinity => NumericSign::PositiveInfinity,
            other => other,
        };
        r
    }

    /// `sign(self)` (`numeric_sign`): -1, 0 or 1 with scale 0; NaN for NaN; ±1 for ±Infinity.
    pub fn signum(&self) -> Numeric {
        match self.sign {
            NumericSign::NaN => Numeric::nan(),
            _ if self.is_zero() => Numeric::zero(),
            NumericSign::Negative | NumericSign::NegativeInfinity => Numeric::from(-1i64),
            _ => Numeric::from(1i64),
        }
    }

    /// Rank of the sign class for ordering: -Inf < finite < +Inf < NaN.
    fn order_class(&self) -> i8 {
        match self.sign {
            NumericSign::NegativeInfinity => 0,
            NumericSign::Positive | NumericSign::Negative => 1,
            NumericSign::PositiveInfinity => 2,
            NumericSign::NaN => 3,
        }
    }

    /// PostgreSQL's `cmp_numerics`: NaN equals NaN and sorts above everything.
    pub fn cmp_numeric(&self, other: &Numeric) -> Ordering {
        let class = self.order_class().cmp(&other.order_class());
        if class != Ordering::Equal || !self.is_finite() {
            return class;
        }
        match (self.sign, other.sign) {
            (NumericSign::Positive, NumericSign::Negative) => {
                if self.is_zero() && other.is_zero() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            (NumericSign::Negative, NumericSign::Positive) => Ordering::Less,
            (NumericSign::Negative, _) => {
                arithmetic::cmp_abs(&other.digits, other.weight, &self.digits, self.weight)
            }
            _ => arithmetic::cmp_abs(&self.digits, self.weight, &other.digits, other.weight),
        }
    }
}

/// 22003 `value overflows numeric format`.
pub(crate) fn numeric_overflow() -> Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format")
}

impl PartialEq for Numeric {
    fn eq(&self, other: &Numeric) -> bool {
        self.cmp_numeric(other) == Ordering::Equal
    }
}

impl Eq for Numeric {}

impl PartialOrd for Numeric {
    fn partial_cmp(&self, other: &Numeric) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Numeric {
    fn cmp(&self, other: &Numeric) -> Ordering {
        self.cmp_numeric(other)
    }
}

impl Hash for Numeric {
    /// Consistent with `Eq`: dscale does not take part.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.sign.hash(state);
        self.weight.hash(state);
        self.digits.hash(state);
    }
}

impl std::fmt::Debug for Numeric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Numeric({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn n(s: &str) -> Numeric {
        Numeric::parse(s).unwrap()
    }

    fn hash_of(v: &Numeric) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    #[test]
    fn equality_ignores_display_scale() {
        assert_eq!(n("1.0"), n("1.00"));
        assert_eq!(hash_of(&n("1.0")), hash_of(&n("1.000")));
        assert_eq!(n("-0.00"), n("0"));
        assert_eq!(hash_of(&n("-0.00")), hash_of(&n("0")));
        assert_ne!(n("1.01"), n("1.1"));
    }

    #[test]
    fn ordering_places_specials_like_postgres() {
        let mut v = vec![
            n("NaN"),
            n("Infinity"),
            n("1"),
            n("-Infinity"),
            n("-1.5"),
            n("0"),
            n("-1.25"),
            n("10000"),
            n("9999.9999"),
        ];
        v.sort();
        let shown: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            shown,
            [
                "-Infinity",
                "-1.5",
                "-1.25",
                "0",
                "1",
                "9999.9999",
                "10000",
                "Infinity",
                "NaN"
            ]
        );
        assert_eq!(n("NaN"), n("nan"));
    }

    #[test]
    fn scale_functions() {
        assert_eq!(n("1.2300").scale(), Some(4));
        assert_eq!(n("1.2300").min_scale(), Some(2));
        assert_eq!(n("1.2300").trim_scale().to_string(), "1.23");
        assert_eq!(n("100.000").trim_scale().to_string(), "100");
        assert_eq!(n("0.00").min_scale(), Some(0));
        assert_eq!(n("0.00010").min_scale(), Some(4));
        assert_eq!(n("NaN").scale(), None);
        assert_eq!(n("-5.5").trim_scale().to_string(), "-5.5");
    }

    #[test]
    fn sign_neg_abs() {
        assert_eq!(n("-2.50").abs().to_string(), "2.50");
        assert_eq!(n("0.0").neg().to_string(), "0.0");
        assert!(!n("0").neg().is_negative());
        assert_eq!(n("-Infinity").neg().to_string(), "Infinity");
        assert_eq!(n("-3.7").signum().to_string(), "-1");
        assert_eq!(n("0.00").signum().to_string(), "0");
        assert_eq!(n("NaN").signum().to_string(), "NaN");
    }
}
