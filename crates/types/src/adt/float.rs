//! `real` (float4) and `double precision` (float8): text input/output and arithmetic with
//! PostgreSQL 15's rules (PostgreSQL docs §8.1.3 and §9.3).
//!
//! Input is C's `strtod` as glibc implements it, which PostgreSQL calls: optional
//! whitespace, decimal or hexadecimal (`0x1p4`) notation, `NaN`, `Inf`/`Infinity` with an
//! optional sign, any case. A finite input that rounds to infinity, or a nonzero input that
//! rounds to zero, is 22003; denormal results are accepted.
//!
//! Output depends on `extra_float_digits` (PostgreSQL 12+): above zero, the shortest text
//! that reads back to the same value (`0.1`, `1e+100`, `1.5e-07`), fixed-point when the
//! decimal exponent is in `-4..15` (float8) or `-4..6` (float4); otherwise C's `%.*g` with
//! `DBL_DIG`/`FLT_DIG` plus `extra_float_digits` significant digits.
//!
//! Arithmetic follows PostgreSQL's `float.h` checks: an infinite result from finite operands
//! is 22003 `value out of range: overflow`, a zero result from nonzero operands is 22003
//! `value out of range: underflow`, a zero divisor is 22012 `division by zero`.
//!
//! Entry points: [`float8_in`], [`float4_in`], [`float8_out`], [`float4_out`],
//! `float8_{add,sub,mul,div}`, `float4_{add,sub,mul,div}`, [`float8_cmp`], [`float8_to_int4`].

use std::cmp::Ordering;

use crate::{pg_err, Error, Result};

use super::int::division_by_zero;
use super::is_pg_space;

/// `DBL_DIG`: decimal digits a double always preserves.
const DBL_DIG: i32 = 15;
/// `FLT_DIG`: decimal digits a float always preserves.
const FLT_DIG: i32 = 6;

/// What the `strtod`-style scanner found at the start of its input.
struct Scanned {
    /// Bytes consumed.
    len: usize,
    /// What kind of number the prefix spells.
    kind: ScannedKind,
}

enum ScannedKind {
    NaN,
    Infinity {
        negative: bool,
    },
    /// Decimal text (sign, digits, point, exponent) to hand to Rust's correctly rounded parser.
    Decimal {
        nonzero: bool,
    },
    /// Hexadecimal: `mantissa * 2^exponent` (a sticky low bit stands for dropped digits).
    Hex {
        negative: bool,
        mantissa: u64,
        exponent: i64,
    },
}

fn eat_ci(bytes: &[u8], at: usize, word: &str) -> bool {
    bytes.len() >= at + word.len()
        && bytes[at..at + word.len()].eq_ignore_ascii_case(word.as_bytes())
}

/// Scans the longest prefix of `bytes` that glibc's `strtod` would convert; `None` when it
/// would convert nothing.
fn scan_strtod(bytes: &[u8]) -> Option<Scanned> {
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
    if eat_ci(bytes, i, "inf") {
        let len = if eat_ci(bytes, i, "infinity") {
            i + 8
        } else {
            i + 3
        };
        return Some(Scanned {
            len,
            kind: ScannedKind::Infinity { negative },
        });
    }
    if eat_ci(bytes, i, "nan") {
        let mut len = i + 3;
        if bytes.get(len) == Some(&b'(') {
            let mut j = len + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            if bytes.get(j) == Some(&b')') {
                len = j + 1;
            }
        }
        return Some(Scanned {
            len,
            kind: ScannedKind::NaN,
        });
    }
    if bytes.get(i) == Some(&b'0')
        && matches!(bytes.get(i + 1), Some(b'x' | b'X'))
        && (bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            || (bytes.get(i + 2) == Some(&b'.')
                && bytes.get(i + 3).is_some_and(u8::is_ascii_hexdigit)))
    {
        return Some(scan_hex(bytes, i + 2, negative));
    }
    let mut j = i;
    let mut digits = 0;
    let mut nonzero = false;
    while j < bytes.len() && bytes[j].is_ascii_digit() {
        nonzero |= bytes[j] != b'0';
        digits += 1;
        j += 1;
    }
    if bytes.get(j) == Some(&b'.') {
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            nonzero |= bytes[j] != b'0';
            digits += 1;
            j += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(bytes.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(bytes.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if bytes.get(k).is_some_and(u8::is_ascii_digit) {
            while k < bytes.len() && bytes[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    Some(Scanned {
        len: j,
        kind: ScannedKind::Decimal { nonzero },
    })
}

/// Scans hexadecimal digits from `start` (just past `0x`), an optional point and fraction,
/// and an optional binary exponent `p[+-]digits`.
fn scan_hex(bytes: &[u8], start: usize, negative: bool) -> Scanned {
    let mut mantissa: u64 = 0;
    let mut exponent: i64 = 0;
    let mut sticky = false;
    let mut j = start;
    let mut seen_point = false;
    while j < bytes.len() {
        let b = bytes[j];
        if b == b'.' && !seen_point {
            seen_point = true;
            j += 1;
            continue;
        }
        let Some(d) = (b as char).to_digit(16) else {
            break;
        };
        if mantissa >> 60 == 0 {
            mantissa = (mantissa << 4) | u64::from(d);
            if seen_point {
                exponent -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exponent += 4;
            }
        }
        j += 1;
    }
    if matches!(bytes.get(j), Some(b'p' | b'P')) {
        let mut k = j + 1;
        let exp_negative = match bytes.get(k) {
            Some(b'-') => {
                k += 1;
                true
            }
            Some(b'+') => {
                k += 1;
                false
            }
            _ => false,
        };
        if bytes.get(k).is_some_and(u8::is_ascii_digit) {
            let mut e: i64 = 0;
            while k < bytes.len() && bytes[k].is_ascii_digit() {
                e = (e * 10 + i64::from(bytes[k] - b'0')).min(1 << 20);
                k += 1;
            }
            exponent += if exp_negative { -e } else { e };
            j = k;
        }
    }
    if sticky {
        // The mantissa holds at least 61 significant bits, so a sticky low bit rounds
        // exactly as the dropped digits would.
        mantissa |= 1;
    }
    Scanned {
        len: j,
        kind: ScannedKind::Hex {
            negative,
            mantissa,
            exponent,
        },
    }
}

/// `mantissa * 2^exponent`, computed without intermediate overflow or underflow when the
/// result is representable.
fn scale_by_power_of_two(mut value: f64, mut exponent: i64) -> f64 {
    while exponent > 0 && value.is_finite() {
        let step = exponent.min(1000);
        value *= 2f64.powi(step as i32);
        exponent -= step;
    }
    while exponent < 0 && value != 0.0 {
        let step = (-exponent).min(1000);
        value /= 2f64.powi(step as i32);
        exponent += step;
    }
    value
}

/// Outcome of [`float_in`] before it is narrowed to a type.
enum FloatInput {
    Value(f64),
    Syntax,
    /// Out of range; carries the numeric text as PostgreSQL quotes it.
    Range(String),
}

/// The shared body of `float4in`/`float8in`; `narrow` converts decimal text to the target
/// precision (exactly rounded) and reports it as f64.
fn float_in(s: &str, narrow: impl Fn(&str) -> f64, narrow_f64: impl Fn(f64) -> f64) -> FloatInput {
    match float_prefix(s, narrow, narrow_f64) {
        Ok((value, end)) if end == s.len() => FloatInput::Value(value),
        Ok(_) => FloatInput::Syntax,
        Err(input) => input,
    }
}

/// Reads one number at the start of `s` (leading and trailing white space skipped), as
/// `strtod` with PostgreSQL's special values does; returns it with the byte offset where
/// reading stopped, or the failure.
fn float_prefix(
    s: &str,
    narrow: impl Fn(&str) -> f64,
    narrow_f64: impl Fn(f64) -> f64,
) -> std::result::Result<(f64, usize), FloatInput> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && is_pg_space(bytes[i]) {
        i += 1;
    }
    if i == bytes.len() {
        return Err(FloatInput::Syntax);
    }
    let Some(scanned) = scan_strtod(&bytes[i..]) else {
        return Err(FloatInput::Syntax);
    };
    let text = &s[i..i + scanned.len];
    let value = match scanned.kind {
        ScannedKind::NaN => f64::NAN,
        ScannedKind::Infinity { negative } => {
            if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
        ScannedKind::Decimal { nonzero } => {
            let v = narrow(text);
            if v.is_infinite() || (v == 0.0 && nonzero) {
                return Err(FloatInput::Range(text.to_string()));
            }
            v
        }
        ScannedKind::Hex {
            negative,
            mantissa,
            exponent,
        } => {
            let magnitude = narrow_f64(scale_by_power_of_two(mantissa as f64, exponent));
            if magnitude.is_infinite() || (magnitude == 0.0 && mantissa != 0) {
                return Err(FloatInput::Range(text.to_string()));
            }
            if negative {
                -magnitude
            } else {
                magnitude
            }
        }
    };
    let mut end = i + scanned.len;
    while end < bytes.len() && is_pg_space(bytes[end]) {
        end += 1;
    }
    Ok((value, end))
}

/// `float8in_internal` with an end pointer: one `double precision` at the start of `s`,
/// white space around it skipped; returns the value and the bytes consumed. Geometric
/// input reads its coordinates this way.
///
/// Errors: 22P02 `invalid input syntax for type <type_name>: "<orig>"`, 22003
/// `"1e400" is out of range for type double precision`.
pub fn float8_in_prefix(s: &str, type_name: &str, orig: &str) -> Result<(f64, usize)> {
    float_prefix(
        s,
        |text| {
            text.parse::<f64>()
                .expect("scanner accepts only valid decimal syntax")
        },
        |v| v,
    )
    .map_err(|input| match input {
        FloatInput::Range(text) => pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "\"{}\" is out of range for type double precision",
            text
        ),
        _ => pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type {}: \"{}\"",
            type_name,
            orig
        ),
    })
}

fn float_input_error(input: FloatInput, s: &str, type_name: &str) -> Result<f64> {
    match input {
        FloatInput::Value(v) => Ok(v),
        FloatInput::Syntax => Err(pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type {}: \"{}\"",
            type_name,
            s
        )),
        FloatInput::Range(text) => Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "\"{}\" is out of range for type {}",
            text,
            type_name
        )),
    }
}

/// `double precision` input (`float8in`).
///
/// Errors: 22P02 `invalid input syntax for type double precision: "…"` (quoting the whole
/// input), 22003 `"1e400" is out of range for type double precision` (quoting the number).
pub fn float8_in(s: &str) -> Result<f64> {
    let input = float_in(
        s,
        |text| {
            text.parse::<f64>()
                .expect("scanner accepts only valid decimal syntax")
        },
        |v| v,
    );
    float_input_error(input, s, "double precision")
}

/// `real` input (`float4in`), rounding the text directly to single precision.
///
/// Errors: 22P02 `invalid input syntax for type real: "…"`, 22003
/// `"1e40" is out of range for type real`.
pub fn float4_in(s: &str) -> Result<f32> {
    let input = float_in(
        s,
        |text| {
            f64::from(
                text.parse::<f32>()
                    .expect("scanner accepts only valid decimal syntax"),
            )
        },
        |v| f64::from(v as f32),
    );
    float_input_error(input, s, "real").map(|v| v as f32)
}

/// Decimal digits and exponent of a finite value as Rust's `{:e}` prints them:
/// `("15", -7)` for 1.5e-7. The sign is returned separately.
fn split_exponent(text: &str) -> (bool, String, i32) {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = text.split_once('e').expect("{:e} output has an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exponent = exponent.parse().expect("{:e} exponent is an integer");
    (negative, digits, exponent)
}

/// Lays out `digits` (first digit before the point) × 10^`exponent` as PostgreSQL's
/// shortest-output code does: fixed when `-4 <= exponent < fixed_limit`, else `d.ddde±XX`.
fn layout_shortest(negative: bool, digits: &str, exponent: i32, fixed_limit: i32) -> String {
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    if (-4..fixed_limit).contains(&exponent) {
        if exponent < 0 {
            out.push_str("0.");
            for _ in 0..(-exponent - 1) {
                out.push('0');
            }
            out.push_str(digits);
        } else {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                out.push_str(digits);
                for _ in digits.len()..int_len {
                    out.push('0');
                }
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        push_scientific(&mut out, digits, exponent);
    }
    out
}

/// Appends `d[.ddd]e±XX` (at least two exponent digits, as C prints).
fn push_scientific(out: &mut String, digits: &str, exponent: i32) {
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    out.push('e');
    out.push(if exponent < 0 { '-' } else { '+' });
    let magnitude = exponent.unsigned_abs();
    if magnitude < 10 {
        out.push('0');
    }
    out.push_str(&magnitude.to_string());
}

/// C's `%.*g` for a finite value with `precision` significant digits (at least 1).
pub(crate) fn format_g(v: f64, precision: i32) -> String {
    let precision = precision.max(1);
    let rounded = format!("{:.*e}", (precision - 1) as usize, v);
    let (negative, digits, exponent) = split_exponent(&rounded);
    if exponent < -4 || exponent >= precision {
        let trimmed = digits.trim_end_matches('0');
        let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        push_scientific(&mut out, trimmed, exponent);
        out
    } else {
        let decimals = (precision - 1 - exponent) as usize;
        let mut out = format!("{:.*}", decimals, v);
        if out.contains('.') {
            let keep = out.trim_end_matches('0').trim_end_matches('.').len();
            out.truncate(keep);
        }
        out
    }
}

/// A finite nonzero binary float as `mantissa * 2^exponent` (hidden bit included).
#[derive(Clone, Copy)]
struct BinaryParts {
    mantissa: u64,
    exponent: i32,
    normal: bool,
    hidden_bit: u64,
}

/// Whether the decimal `digits` × 10^`exponent10` (first digit before the point) lies
/// exactly halfway between the value and one of its neighbours.
///
/// PostgreSQL's Ryu excludes those halfway points from the round-trip interval
/// (`STRICTLY_SHORTEST` is off), while Rust's shortest formatting includes them for even
/// mantissas. Only values whose halfway points are integers (binary exponent ≥ 1) can meet
/// a shortest decimal, so only those are checked.
fn is_halfway_point(binary: BinaryParts, digits: &str, exponent10: i32) -> bool {
    let BinaryParts {
        mantissa: m,
        exponent: k,
        normal,
        hidden_bit,
    } = binary;
    let t = exponent10 - (digits.len() as i32 - 1);
    if !normal || k < 1 || t < 0 {
        return false;
    }
    let Ok(d) = digits.parse::<u64>() else {
        return false;
    };
    if d == 0 {
        return false;
    }
    let twos = d.trailing_zeros() as i32 + t;
    let Some(odd) = 5u128
        .checked_pow(t as u32)
        .and_then(|p| p.checked_mul(u128::from(d >> d.trailing_zeros())))
    else {
        return false;
    };
    let m = u128::from(m);
    let upper = odd == 2 * m + 1 && twos == k - 1;
    let lower = if m == u128::from(hidden_bit) {
        odd == 4 * m - 1 && twos == k - 2
    } else {
        odd == 2 * m - 1 && twos == k - 1
    };
    upper || lower
}

/// The shortest digits PostgreSQL's Ryu prints: the shortest round-trip length found by
/// Rust's formatting, with the digits of that length nearest the value (ties to even); when
/// those sit exactly on a halfway point, the correctly rounded digits of the next lengths
/// are tried (`round(p)` formats with `p` significant digits).
fn shortest_digits(
    first: String,
    binary: BinaryParts,
    round: impl Fn(usize) -> String,
    round_trips: impl Fn(&str) -> bool,
    max_digits: usize,
) -> (bool, String, i32) {
    let (negative, digits, exponent) = split_exponent(&first);
    if !is_halfway_point(binary, &digits, exponent) {
        // Several strings of this length may round-trip; Ryu prints the one nearest the
        // value, ties to even, which is the correctly rounded one when it round-trips.
        let nearest = round(digits.len());
        let (_, nearest_digits, nearest_exponent) = split_exponent(&nearest);
        if nearest_digits != digits
            && round_trips(&nearest)
            && !is_halfway_point(binary, &nearest_digits, nearest_exponent)
        {
            let trimmed = nearest_digits.trim_end_matches('0');
            return (negative, trimmed.to_string(), nearest_exponent);
        }
        return (negative, digits, exponent);
    }
    for p in digits.len() + 1..=max_digits {
        let text = round(p);
        let (negative, digits, exponent) = split_exponent(&text);
        if round_trips(&text) && !is_halfway_point(binary, &digits, exponent) {
            let trimmed = digits.trim_end_matches('0');
            return (negative, trimmed.to_string(), exponent);
        }
    }
    (negative, digits, exponent)
}

fn special_out(v: f64) -> Option<String> {
    if v.is_nan() {
        Some("NaN".to_string())
    } else if v.is_infinite() {
        Some(if v > 0.0 { "Infinity" } else { "-Infinity" }.to_string())
    } else {
        None
    }
}

/// `double precision` output (`float8out`) under the given `extra_float_digits` (-15..=3,
/// default 1): shortest round-trip text when positive, `%.{15+extra}g` otherwise.
/// Specials print as `NaN`, `Infinity`, `-Infinity`; negative zero as `-0`.
pub fn float8_out(v: f64, extra_float_digits: i32) -> String {
    if let Some(special) = special_out(v) {
        return special;
    }
    if extra_float_digits > 0 {
        let bits = v.to_bits();
        let binary = BinaryParts {
            mantissa: (bits & ((1 << 52) - 1)) | (1 << 52),
            exponent: ((bits >> 52) & 0x7ff) as i32 - 1075,
            normal: (bits >> 52) & 0x7ff != 0,
            hidden_bit: 1 << 52,
        };
        let (negative, digits, exponent) = shortest_digits(
            format!("{v:e}"),
            binary,
            |p| format!("{:.*e}", p - 1, v),
            |text| text.parse::<f64>().ok() == Some(v),
            17,
        );
        layout_shortest(negative, &digits, exponent, DBL_DIG)
    } else {
        format_g(v, DBL_DIG + extra_float_digits)
    }
}

/// `real` output (`float4out`): shortest single-precision round-trip text when
/// `extra_float_digits` is positive (fixed-point for exponents `-4..6`), `%.{6+extra}g`
/// otherwise.
pub fn float4_out(v: f32, extra_float_digits: i32) -> String {
    if let Some(special) = special_out(f64::from(v)) {
        return special;
    }
    if extra_float_digits > 0 {
        let bits = v.to_bits();
        let binary = BinaryParts {
            mantissa: u64::from((bits & ((1 << 23) - 1)) | (1 << 23)),
            exponent: ((bits >> 23) & 0xff) as i32 - 150,
            normal: (bits >> 23) & 0xff != 0,
            hidden_bit: 1 << 23,
        };
        let (negative, digits, exponent) = shortest_digits(
            format!("{v:e}"),
            binary,
            |p| format!("{:.*e}", p - 1, v),
            |text| text.parse::<f32>().ok() == Some(v),
            9,
        );
        layout_shortest(negative, &digits, exponent, FLT_DIG)
    } else {
        format_g(f64::from(v), FLT_DIG + extra_float_digits)
    }
}

/// 22003 `value out of range: overflow`.
pub fn float_overflow_error() -> Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow")
}

/// 22003 `value out of range: underflow`.
pub fn float_underflow_error() -> Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow")
}

macro_rules! float_ops {
    ($t:ty, $name:literal, $add:ident, $sub:ident, $mul:ident, $div:ident) => {
        #[doc = concat!("`", $name, " + ", $name,
                        "`; 22003 `value out of range: overflow` when finite operands give infinity.")]
        pub fn $add(a: $t, b: $t) -> Result<$t> {
            let r = a + b;
            if r.is_infinite() && !a.is_infinite() && !b.is_infinite() {
                return Err(float_overflow_error());
            }
            Ok(r)
        }

        #[doc = concat!("`", $name, " - ", $name,
                        "`; 22003 `value out of range: overflow` when finite operands give infinity.")]
        pub fn $sub(a: $t, b: $t) -> Result<$t> {
            let r = a - b;
            if r.is_infinite() && !a.is_infinite() && !b.is_infinite() {
                return Err(float_overflow_error());
            }
            Ok(r)
        }

        #[doc = concat!("`", $name, " * ", $name,
                        "`; 22003 `value out of range: overflow`/`underflow` as PostgreSQL checks.")]
        pub fn $mul(a: $t, b: $t) -> Result<$t> {
            let r = a * b;
            if r.is_infinite() && !a.is_infinite() && !b.is_infinite() {
                return Err(float_overflow_error());
            }
            if r == 0.0 && a != 0.0 && b != 0.0 {
                return Err(float_underflow_error());
            }
            Ok(r)
        }

        #[doc = concat!("`", $name, " / ", $name,
                        "`; 22012 `division by zero` (unless the dividend is NaN), 22003 ",
                        "`value out of range: overflow`/`underflow`.")]
        pub fn $div(a: $t, b: $t) -> Result<$t> {
            if b == 0.0 && !a.is_nan() {
                return Err(division_by_zero());
            }
            let r = a / b;
            if r.is_infinite() && !a.is_infinite() {
                return Err(float_overflow_error());
            }
            if r == 0.0 && a != 0.0 && !b.is_infinite() {
                return Err(float_underflow_error());
            }
            Ok(r)
        }
    };
}

float_ops!(
    f64,
    "double precision",
    float8_add,
    float8_sub,
    float8_mul,
    float8_div
);
float_ops!(f32, "real", float4_add, float4_sub, float4_mul, float4_div);

/// PostgreSQL's float ordering (`float8_cmp_internal`): NaN equals NaN and sorts above
/// every other value, including infinity; -0 equals 0.
pub fn float8_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).expect("neither operand is NaN"),
    }
}

/// [`float8_cmp`] for `real`.
pub fn float4_cmp(a: f32, b: f32) -> Ordering {
    float8_cmp(f64::from(a), f64::from(b))
}

/// `double precision` → `smallint` (`dtoi2`): rounds half to even, then range-checks;
/// 22003 `smallint out of range` (also for NaN).
pub fn float8_to_int2(v: f64) -> Result<i16> {
    let r = v.round_ties_even();
    if r.is_nan() || !(-32768.0..32768.0).contains(&r) {
        return Err(super::int::int2_out_of_range());
    }
    Ok(r as i16)
}

/// `double precision` → `integer` (`dtoi4`): rounds half to even, then range-checks;
/// 22003 `integer out of range` (also for NaN).
pub fn float8_to_int4(v: f64) -> Result<i32> {
    let r = v.round_ties_even();
    if r.is_nan() || !(-2147483648.0..2147483648.0).contains(&r) {
        return Err(super::int::int4_out_of_range());
    }
    Ok(r as i32)
}

/// `double precision` → `bigint` (`dtoi8`): rounds half to even, then range-checks;
/// 22003 `bigint out of range` (also for NaN).
pub fn float8_to_int8(v: f64) -> Result<i64> {
    let r = v.round_ties_even();
    if r.is_nan() || !(-9223372036854775808.0..9223372036854775808.0).contains(&r) {
        return Err(super::int::int8_out_of_range());
    }
    Ok(r as i64)
}

/// `real` → `smallint` (`ftoi2`): rounds half to even in single precision, then
/// range-checks; 22003 `smallint out of range` (also for NaN).
pub fn float4_to_int2(v: f32) -> Result<i16> {
    let r = v.round_ties_even();
    if r.is_nan() || !(-32768.0..32768.0).contains(&r) {
        return Err(super::int::int2_out_of_range());
    }
    Ok(r as i16)
}

/// `real` → `integer` (`ftoi4`); 22003 `integer out of range` (also for NaN).
pub fn float4_to_int4(v: f32) -> Result<i32> {
    let r = v.round_ties_even();
    if r.is_nan() || !(-2147483648.0..2147483648.0).contains(&r) {
        return Err(super::int::int4_out_of_range());
    }
    Ok(r as i32)
}

/// `real` → `bigint` (`ftoi8`); 22003 `bigint out of range` (also for NaN).
pub fn float4_to_int8(v: f32) -> Result<i64> {
    let r = v.round_ties_even();
    if r.is_nan() || !(-9223372036854775808.0..9223372036854775808.0).contains(&r) {
        return Err(super::int::int8_out_of_range());
    }
    Ok(r as i64)
}

/// `double precision` → `real` (`dtof`): 22003 `value out of range: overflow` when a finite
/// value becomes infinite, `value out of range: underflow` when a nonzero one becomes zero.
pub fn float8_to_float4(v: f64) -> Result<f32> {
    let r = v as f32;
    if r.is_infinite() && !v.is_infinite() {
        return Err(float_overflow_error());
    }
    if r == 0.0 && v != 0.0 {
        return Err(float_underflow_error());
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    #[test]
    fn input_matches_postgres() {
        assert_eq!(float8_in("0x10").unwrap(), 16.0);
        assert!(float8_in(" nan ").unwrap().is_nan());
        assert!(float8_in("nan(1)").unwrap().is_nan());
        assert_eq!(float8_in("infinity").unwrap(), f64::INFINITY);
        assert_eq!(float8_in("-inf").unwrap(), f64::NEG_INFINITY);
        assert_eq!(float8_in("+INFINITY").unwrap(), f64::INFINITY);
        assert_eq!(float8_in("  1.5  ").unwrap(), 1.5);
        assert_eq!(float8_in(".5").unwrap(), 0.5);
        assert_eq!(float8_in("5.").unwrap(), 5.0);
        assert_eq!(float8_in("4.9e-324").unwrap(), 5e-324);
        assert_eq!(float8_in("0e-400").unwrap(), 0.0);
        assert_eq!(float8_in("0x1.8p1").unwrap(), 3.0);
        assert!(float8_in("-0").unwrap().is_sign_negative());
        for bad in ["", " ", "1e", "1_000", "+-1", "abc", "1.5x", "0x", "."] {
            let e = float8_in(bad).unwrap_err();
            assert_eq!(e.code, SqlState::INVALID_TEXT_REPRESENTATION, "{bad:?}");
            assert_eq!(
                e.message,
                format!("invalid input syntax for type double precision: \"{bad}\"")
            );
        }
        let e = float8_in("1e400").unwrap_err();
        assert_eq!(e.code, SqlState::NUMERIC_VALUE_OUT_OF_RANGE);
        assert_eq!(
            e.message,
            "\"1e400\" is out of range for type double precision"
        );
        assert_eq!(
            float8_in(" -1e-400x").unwrap_err().message,
            "\"-1e-400\" is out of range for type double precision"
        );
        assert_eq!(
            float4_in("1e40").unwrap_err().message,
            "\"1e40\" is out of range for type real"
        );
        assert_eq!(
            float4_in("x").unwrap_err().message,
            "invalid input syntax for type real: \"x\""
        );
        assert_eq!(float4_in("1e-40").unwrap(), 1e-40f32);
    }

    #[test]
    fn shortest_output_matches_postgres() {
        let cases: &[(f64, &str)] = &[
            (0.1, "0.1"),
            (1e100, "1e+100"),
            (1.5e-7, "1.5e-07"),
            (1e15, "1e+15"),
            (1e14, "100000000000000"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0"),
            (0.0, "0"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123.456, "123.456"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (-2.5, "-2.5"),
        ];
        for (v, want) in cases {
            assert_eq!(float8_out(*v, 1), *want, "{v:e}");
        }
        assert_eq!(float4_out(1e6, 1), "1e+06");
        assert_eq!(float4_out(123456.0, 1), "123456");
        assert_eq!(float4_out(0.1, 1), "0.1");
        assert_eq!(float4_out(1.0e-40, 1), "1e-40");
    }

    #[test]
    fn printf_output_matches_postgres() {
        assert_eq!(float8_out(0.1, 0), "0.1");
        assert_eq!(float8_out(1.0 / 3.0, 0), "0.333333333333333");
        assert_eq!(float8_out(1e15, 0), "1e+15");
        assert_eq!(float8_out(123456789012345.0, 0), "123456789012345");
        assert_eq!(float8_out(1.5e-7, 0), "1.5e-07");
        assert_eq!(float8_out(-0.0, 0), "-0");
        assert_eq!(float8_out(2.5, -15), "2");
        assert_eq!(float8_out(f64::NAN, 0), "NaN");
        assert_eq!(float4_out(0.1, 0), "0.1");
        assert_eq!(float4_out(1.0 / 3.0, 0), "0.333333");
        assert_eq!(float4_out(1e6, 0), "1e+06");
    }

    #[test]
    fn arithmetic_checks_match_postgres() {
        assert_eq!(float8_add(1.0, 2.0).unwrap(), 3.0);
        assert_eq!(
            float8_mul(1e200, 1e200).unwrap_err().message,
            "value out of range: overflow"
        );
        assert_eq!(
            float8_mul(1e-200, 1e-200).unwrap_err().message,
            "value out of range: underflow"
        );
        assert_eq!(float8_add(f64::INFINITY, 1.0).unwrap(), f64::INFINITY);
        let e = float8_div(1.0, 0.0).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (SqlState::DIVISION_BY_ZERO, "division by zero")
        );
        assert!(float8_div(f64::NAN, 0.0).unwrap().is_nan());
        assert_eq!(float8_div(1.0, f64::INFINITY).unwrap(), 0.0);
        assert_eq!(
            float4_mul(1e30, 1e30).unwrap_err().message,
            "value out of range: overflow"
        );
        assert_eq!(float8_cmp(f64::NAN, f64::INFINITY), Ordering::Greater);
        assert_eq!(float8_cmp(-0.0, 0.0), Ordering::Equal);
        assert_eq!(float8_to_int4(2.5).unwrap(), 2);
        assert_eq!(float8_to_int4(-3.5).unwrap(), -4);
        assert_eq!(float8_to_int4(2147483647.4).unwrap(), i32::MAX);
        assert_eq!(
            float8_to_int4(f64::NAN).unwrap_err().message,
            "integer out of range"
        );
        assert_eq!(
            float8_to_int2(32767.6).unwrap_err().message,
            "smallint out of range"
        );
        assert_eq!(float4_to_int4(2.5).unwrap(), 2);
        assert_eq!(
            float4_to_int4(2147483648.0).unwrap_err().message,
            "integer out of range"
        );
        assert_eq!(
            float4_to_int8(f32::NAN).unwrap_err().message,
            "bigint out of range"
        );
    }
}
