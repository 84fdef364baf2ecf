//! Numbers with units: parsing `'1.5MB'`, `'30s'`, `'0x100'` into a parameter's base unit,
//! and printing a base-unit value with the largest unit that divides it exactly, as
//! PostgreSQL's `parse_int`, `parse_real` and `_ShowOption` do (docs §20.1.1).
//!
//! Unit names are case-sensitive (`kB`, not `KB`). A fractional value in a larger unit is
//! rounded to the next smaller unit first (`30.1GB` becomes a whole number of MB), then to
//! the base unit.

use super::def::GucUnit;

/// Hint for a bad memory unit.
pub(crate) const MEMORY_UNITS_HINT: &str =
    "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".";
/// Hint for a bad time unit.
pub(crate) const TIME_UNITS_HINT: &str =
    "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";
/// Hint for an integer outside the 32-bit range.
pub(crate) const INTEGER_RANGE_HINT: &str = "Value exceeds integer range.";

const BLOCK_KB: f64 = 8.0;

/// The conversion table for one base unit: (unit name, base units per unit), largest first.
fn conversions(base: GucUnit) -> Vec<(&'static str, f64)> {
    let kb = 1024.0;
    match base {
        GucUnit::Byte => vec![
            ("TB", kb * kb * kb * kb),
            ("GB", kb * kb * kb),
            ("MB", kb * kb),
            ("kB", kb),
            ("B", 1.0),
        ],
        GucUnit::Kilobyte => vec![
            ("TB", kb * kb * kb),
            ("GB", kb * kb),
            ("MB", kb),
            ("kB", 1.0),
            ("B", 1.0 / kb),
        ],
        GucUnit::Megabyte => vec![
            ("TB", kb * kb),
            ("GB", kb),
            ("MB", 1.0),
            ("kB", 1.0 / kb),
            ("B", 1.0 / (kb * kb)),
        ],
        GucUnit::Block => vec![
            ("TB", kb * kb * kb / BLOCK_KB),
            ("GB", kb * kb / BLOCK_KB),
            ("MB", kb / BLOCK_KB),
            ("kB", 1.0 / BLOCK_KB),
            ("B", 1.0 / (BLOCK_KB * kb)),
        ],
        GucUnit::Millisecond => vec![
            ("d", 1000.0 * 60.0 * 60.0 * 24.0),
            ("h", 1000.0 * 60.0 * 60.0),
            ("min", 1000.0 * 60.0),
            ("s", 1000.0),
            ("ms", 1.0),
            ("us", 1.0 / 1000.0),
        ],
        GucUnit::Second => vec![
            ("d", 60.0 * 60.0 * 24.0),
            ("h", 60.0 * 60.0),
            ("min", 60.0),
            ("s", 1.0),
            ("ms", 1.0 / 1000.0),
            ("us", 1.0 / (1000.0 * 1000.0)),
        ],
        GucUnit::Minute => vec![
            ("d", 60.0 * 24.0),
            ("h", 60.0),
            ("min", 1.0),
            ("s", 1.0 / 60.0),
            ("ms", 1.0 / (1000.0 * 60.0)),
            ("us", 1.0 / (1000.0 * 1000.0 * 60.0)),
        ],
    }
}

/// Why a number failed to parse; the caller words the error.
#[derive(Debug, PartialEq)]
pub(crate) enum NumberError {
    /// Not a number (no hint).
    Invalid,
    /// Bad unit or garbage after it; carries the hint.
    Hint(&'static str),
}

fn units_hint(unit: GucUnit) -> &'static str {
    if unit.is_memory() {
        MEMORY_UNITS_HINT
    } else {
        TIME_UNITS_HINT
    }
}

/// Converts `value` given in `unit_text` (already trimmed of leading space) to `base`.
fn convert_to_base_unit(value: f64, unit_text: &str, base: GucUnit) -> Option<f64> {
    let unit = unit_text.trim_end_matches(|c: char| c.is_ascii_whitespace());
    if unit.len() > 3 || unit.contains(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let table = conversions(base);
    let at = table.iter().position(|(name, _)| *name == unit)?;
    let mut converted = value * table[at].1;
    if let Some((_, smaller)) = table.get(at + 1) {
        converted = (converted / smaller).round_ties_even() * smaller;
    }
    Some(converted)
}

/// C's `strtod` prefix: the longest prefix of `s` that is a decimal floating-point number
/// (also `inf`/`infinity`/`nan`), returning (value, bytes consumed).
pub(crate) fn strtod_prefix(s: &str) -> Option<(f64, usize)> {
    let start = s.len()
        - s.trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len();
    let b = s.as_bytes();
    let mut i = start;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let rest = s[i..].to_ascii_lowercase();
    for word in ["infinity", "inf", "nan"] {
        if rest.starts_with(word) {
            let end = i + word.len();
            let negative = b[start] == b'-';
            let v = if word == "nan" {
                f64::NAN
            } else if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            return Some((v, end));
        }
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut had_digits = i > digits_start;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if had_digits || j > frac_start {
            had_digits = true;
            i = j;
        }
    }
    if !had_digits {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    let value: f64 = s[start..i].parse().ok()?;
    Some((value, i))
}

/// C's `strtol(s, &end, 0)` prefix: decimal, `0x` hex or leading-`0` octal.
/// Returns (value, bytes consumed, overflowed).
fn strtol_prefix(s: &str) -> Option<(i64, usize, bool)> {
    let start = s.len()
        - s.trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len();
    let b = s.as_bytes();
    let mut i = start;
    let mut negative = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    let (radix, digits_start) =
        if i + 1 < b.len() && b[i] == b'0' && (b[i + 1] == b'x' || b[i + 1] == b'X') {
            if i + 2 < b.len() && b[i + 2].is_ascii_hexdigit() {
                (16, i + 2)
            } else {
                // "0x" without hex digits: strtol reads just the "0".
                return Some((0, i + 1, false));
            }
        } else if i < b.len() && b[i] == b'0' {
            (8, i)
        } else {
            (10, i)
        };
    let mut j = digits_start;
    let mut value: i128 = 0;
    let mut overflow = false;
    while j < b.len() {
        let d = match (b[j] as char).to_digit(radix) {
            Some(d) => d,
            None => break,
        };
        value = value * radix as i128 + d as i128;
        if value > i64::MAX as i128 + 1 {
            overflow = true;
            value = i64::MAX as i128 + 1;
        }
        j += 1;
    }
    if j == digits_start {
        return None;
    }
    let signed = if negative { -value } else { value };
    let clamped = signed.clamp(i64::MIN as i128, i64::MAX as i128);
    Some((clamped as i64, j, overflow || clamped != signed))
}

/// Parses an integer parameter value (PostgreSQL's `parse_int`): `strtol` with base 0,
/// falling back to `strtod` for fractions and exponents; optional unit; result rounded
/// and checked against the 32-bit range.
pub(crate) fn parse_int(text: &str, unit: Option<GucUnit>) -> Result<i64, NumberError> {
    let (mut value, mut end) = match strtol_prefix(text) {
        Some((v, end, overflow)) => {
            let next = text.as_bytes().get(end).copied();
            if overflow || matches!(next, Some(b'.') | Some(b'e') | Some(b'E')) {
                let (v, end) = strtod_prefix(text).ok_or(NumberError::Invalid)?;
                (v, end)
            } else {
                (v as f64, end)
            }
        }
        None => strtod_prefix(text).ok_or(NumberError::Invalid)?,
    };
    if value.is_nan() {
        return Err(NumberError::Invalid);
    }
    end += text[end..].len()
        - text[end..]
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len();
    if end < text.len() {
        let unit = unit.ok_or(NumberError::Invalid)?;
        value = convert_to_base_unit(value, &text[end..], unit)
            .ok_or(NumberError::Hint(units_hint(unit)))?;
    }
    let value = value.round_ties_even();
    if value > i32::MAX as f64 || value < i32::MIN as f64 {
        return Err(NumberError::Hint(INTEGER_RANGE_HINT));
    }
    Ok(value as i64)
}

/// Parses a real parameter value (PostgreSQL's `parse_real`): `strtod`, optional unit.
pub(crate) fn parse_real(text: &str, unit: Option<GucUnit>) -> Result<f64, NumberError> {
    let (mut value, mut end) = strtod_prefix(text).ok_or(NumberError::Invalid)?;
    if value.is_nan() || value.is_infinite() && !text.to_ascii_lowercase().contains("inf") {
        return Err(NumberError::Invalid);
    }
    end += text[end..].len()
        - text[end..]
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len();
    if end < text.len() {
        let unit = unit.ok_or(NumberError::Invalid)?;
        value = convert_to_base_unit(value, &text[end..], unit)
            .ok_or(NumberError::Hint(units_hint(unit)))?;
    }
    Ok(value)
}

/// SHOW text of an integer: positive values with a unit use the largest unit that
/// divides them exactly (`4096` kB shows as `4MB`); others print bare.
pub(crate) fn show_int(value: i64, unit: Option<GucUnit>) -> String {
    match unit {
        Some(unit) if value > 0 => {
            for (name, mult) in conversions(unit) {
                if mult <= 1.0 || value % (mult as i64) == 0 {
                    return format!("{}{}", (value as f64 / mult).round_ties_even() as i64, name);
                }
            }
            value.to_string()
        }
        _ => value.to_string(),
    }
}

/// SHOW text of a real: like [`show_int`], but a unit is accepted when the quotient is
/// within 1e-8 of an integer, falling back to the smallest unit; printed with `%g`.
pub(crate) fn show_real(value: f64, unit: Option<GucUnit>) -> String {
    match unit {
        Some(unit) if value > 0.0 => {
            let mut shown = (value, "");
            for (name, mult) in conversions(unit) {
                let v = value / mult;
                shown = (v, name);
                if v > 0.0 && ((v.round_ties_even() / v) - 1.0).abs() <= 1e-8 {
                    break;
                }
            }
            format!("{}{}", format_g(shown.0), shown.1)
        }
        _ => format_g(value),
    }
}

/// C's `%g` (6 significant digits, trailing zeros removed, exponent form when needed).
pub(crate) fn format_g(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    const PRECISION: i32 = 6;
    let sci = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    if !(-4..PRECISION).contains(&exp) {
        let mantissa = trim_fraction(mantissa);
        format!(
            "{}e{}{:02}",
            mantissa,
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    } else {
        let decimals = (PRECISION - 1 - exp).max(0) as usize;
        trim_fraction(&format!("{:.*}", decimals, value)).to_string()
    }
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_with_units_and_radix_prefixes() {
        let kb = Some(GucUnit::Kilobyte);
        assert_eq!(parse_int("4096", kb), Ok(4096));
        assert_eq!(parse_int("4MB", kb), Ok(4096));
        assert_eq!(parse_int("1.5MB", kb), Ok(1536));
        assert_eq!(parse_int(" 100 kB ", kb), Ok(100));
        assert_eq!(parse_int("0x100", kb), Ok(256));
        assert_eq!(parse_int("010", kb), Ok(8));
        assert_eq!(parse_int("1e3", kb), Ok(1000));
        assert_eq!(parse_int("1GB", kb), Ok(1024 * 1024));
        assert_eq!(parse_int("1024B", kb), Ok(1));
        assert_eq!(parse_int("abc", kb), Err(NumberError::Invalid));
        assert_eq!(
            parse_int("10 XB", kb),
            Err(NumberError::Hint(MEMORY_UNITS_HINT))
        );
        assert_eq!(
            parse_int("10kb", kb),
            Err(NumberError::Hint(MEMORY_UNITS_HINT))
        );
        assert_eq!(
            parse_int("3000000000", kb),
            Err(NumberError::Hint(INTEGER_RANGE_HINT))
        );
        assert_eq!(parse_int("10MB", None), Err(NumberError::Invalid));
        let ms = Some(GucUnit::Millisecond);
        assert_eq!(parse_int("1.5s", ms), Ok(1500));
        assert_eq!(parse_int("100us", ms), Ok(0));
        assert_eq!(parse_int("2min", ms), Ok(120_000));
        assert_eq!(parse_int("1x", ms), Err(NumberError::Hint(TIME_UNITS_HINT)));
        assert_eq!(parse_int("128MB", Some(GucUnit::Block)), Ok(16384));
        assert_eq!(parse_int("-1", Some(GucUnit::Block)), Ok(-1));
    }

    #[test]
    fn reals_parse_with_units() {
        let ms = Some(GucUnit::Millisecond);
        assert_eq!(parse_real("1.5ms", ms), Ok(1.5));
        assert_eq!(parse_real("500us", ms), Ok(0.5));
        assert_eq!(parse_real("1s", ms), Ok(1000.0));
        assert_eq!(parse_real("0.25", None), Ok(0.25));
        assert_eq!(parse_real("abc", None), Err(NumberError::Invalid));
        assert_eq!(parse_real("nan", None), Err(NumberError::Invalid));
    }

    #[test]
    fn show_picks_the_largest_exact_unit() {
        assert_eq!(show_int(4096, Some(GucUnit::Kilobyte)), "4MB");
        assert_eq!(show_int(1536, Some(GucUnit::Kilobyte)), "1536kB");
        assert_eq!(show_int(16384, Some(GucUnit::Block)), "128MB");
        assert_eq!(show_int(512, Some(GucUnit::Block)), "4MB");
        assert_eq!(show_int(300, Some(GucUnit::Second)), "5min");
        assert_eq!(show_int(1500, Some(GucUnit::Millisecond)), "1500ms");
        assert_eq!(show_int(600_000, Some(GucUnit::Millisecond)), "10min");
        assert_eq!(show_int(1024, Some(GucUnit::Byte)), "1kB");
        assert_eq!(show_int(1024, Some(GucUnit::Megabyte)), "1GB");
        assert_eq!(show_int(0, Some(GucUnit::Millisecond)), "0");
        assert_eq!(show_int(-1, Some(GucUnit::Kilobyte)), "-1");
        assert_eq!(show_int(1440, Some(GucUnit::Minute)), "1d");
        assert_eq!(show_real(2.0, Some(GucUnit::Millisecond)), "2ms");
        assert_eq!(show_real(1.5, Some(GucUnit::Millisecond)), "1500us");
        assert_eq!(show_real(0.0, Some(GucUnit::Millisecond)), "0");
        assert_eq!(show_real(1.0, None), "1");
        assert_eq!(show_real(0.1, None), "0.1");
    }

    #[test]
    fn format_g_matches_c() {
        assert_eq!(format_g(1.79769e308), "1.79769e+308");
        assert_eq!(format_g(f64::MAX), "1.79769e+308");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(0.00001), "1e-05");
        assert_eq!(format_g(100000.0), "100000");
        assert_eq!(format_g(1000000.0), "1e+06");
        assert_eq!(format_g(0.005), "0.005");
        assert_eq!(format_g(-1.0), "-1");
        assert_eq!(format_g(4.0), "4");
    }
}
