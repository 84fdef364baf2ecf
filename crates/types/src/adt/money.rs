//! `money` (PostgreSQL docs §8.2): a signed 64-bit count of cents, printed and read with
//! the C locale's monetary conventions (`lc_monetary = C`: `$` before the amount, `,`
//! between groups of three digits, `.` before two fraction digits, `-` for negatives).
//!
//! Values are `Datum::Int8` holding the cents; the SQL type tells them apart from
//! `bigint`. Entry points: [`cash_in`], [`cash_out`], [`cash_words`] and the checked
//! arithmetic helpers; the operators live in the executor's `builtins/money.rs`.

use crate::{pg_err, Result};

/// Digits after the decimal point (the C locale's `frac_digits` is unset; PostgreSQL
/// then uses 2).
const FRACTION_DIGITS: u32 = 2;

/// Cents per unit of currency.
pub const SCALE: i64 = 10i64.pow(FRACTION_DIGITS);

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `cash_in`: an optional `$`, a sign (`-`, `+` or a parenthesis), digits with `,`
/// separators, a `.` and fraction digits (a third fraction digit rounds), then trailing
/// spaces, `)`, signs or `$`.
///
/// Errors: 22P02 `invalid input syntax for type money: "..."`; 22003 `value "..." is
/// out of range for type money`.
pub fn cash_in(text: &str) -> Result<i64> {
    let out_of_range = || {
        pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "value \"{}\" is out of range for type money",
            text
        )
    };
    let s = text.as_bytes();
    let mut i = 0;
    let skip_space_and_symbol = |i: &mut usize| {
        while *i < s.len() && is_space(s[*i]) {
            *i += 1;
        }
        if s.get(*i) == Some(&b'$') {
            *i += 1;
        }
        while *i < s.len() && is_space(s[*i]) {
            *i += 1;
        }
    };
    skip_space_and_symbol(&mut i);
    let mut negative = false;
    match s.get(i) {
        Some(b'-') | Some(b'(') => {
            negative = true;
            i += 1;
        }
        Some(b'+') => i += 1,
        _ => {}
    }
    skip_space_and_symbol(&mut i);
    // The amount accumulates negated: the negative range is one larger.
    let mut value: i64 = 0;
    let mut seen_dot = false;
    let mut decimals = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() && (!seen_dot || decimals < FRACTION_DIGITS) {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_sub(i64::from(c - b'0')))
                .ok_or_else(out_of_range)?;
            if seen_dot {
                decimals += 1;
            }
        } else if c == b'.' && !seen_dot {
            seen_dot = true;
        } else if c != b',' {
            break;
        }
        i += 1;
    }
    if s.get(i).is_some_and(|c| (b'5'..=b'9').contains(c)) {
        value = value.checked_sub(1).ok_or_else(out_of_range)?;
    }
    for _ in decimals..FRACTION_DIGITS {
        value = value.checked_mul(10).ok_or_else(out_of_range)?;
    }
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    while i < s.len() {
        match s[i] {
            c if is_space(c) || c == b')' => {}
            b'-' => negative = true,
            b'+' | b'$' => {}
            _ => {
                return Err(pg_err!(
                    INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type money: \"{}\"",
                    text
                ))
            }
        }
        i += 1;
    }
    if negative {
        Ok(value)
    } else {
        value.checked_neg().ok_or_else(out_of_range)
    }
}

/// `cash_out`: `$1,234.56`, `-$0.01`.
pub fn cash_out(cents: i64) -> String {
    let magnitude = cents.unsigned_abs();
    let units = (magnitude / SCALE as u64).to_string();
    let mut out = String::with_capacity(units.len() * 4 / 3 + 6);
    if cents < 0 {
        out.push('-');
    }
    out.push('$');
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out.push('.');
    out.push_str(&format!(
        "{:0width$}",
        magnitude % SCALE as u64,
        width = FRACTION_DIGITS as usize
    ));
    out
}

const SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 10] = [
    "", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Words for 0..=999 as `cash_words` spells them ("one hundred and five", "one hundred
/// twenty three").
fn number_words(value: u64) -> String {
    let below_hundred = |v: u64| -> String {
        if v < 20 {
            SMALL[v as usize].to_string()
        } else if v.is_multiple_of(10) {
            TENS[(v / 10) as usize].to_string()
        } else {
            format!("{} {}", TENS[(v / 10) as usize], SMALL[(v % 10) as usize])
        }
    };
    let hundreds = value / 100;
    let rest = value % 100;
    if value < 20 {
        SMALL[value as usize].to_string()
    } else if hundreds == 0 {
        below_hundred(rest)
    } else if rest == 0 {
        format!("{} hundred", SMALL[hundreds as usize])
    } else if rest < 20 {
        format!(
            "{} hundred and {}",
            SMALL[hundreds as usize], SMALL[rest as usize]
        )
    } else {
        format!(
            "{} hundred {}",
            SMALL[hundreds as usize],
            below_hundred(rest)
        )
    }
}

/// `cash_words`: the amount in English words, capitalized ("One hundred twenty three
/// dollars and forty five cents"), spaces as PostgreSQL leaves them.
pub fn cash_words(cents: i64) -> String {
    let mut out = String::new();
    if cents < 0 {
        out.push_str("minus ");
    }
    let prefix = out.len();
    let value = cents.unsigned_abs();
    let group = |divisor: u64| (value / divisor) % 1000;
    for (divisor, name) in [
        (100_000_000_000_000_000u64, "quadrillion"),
        (100_000_000_000_000, "trillion"),
        (100_000_000_000, "billion"),
        (100_000_000, "million"),
        (100_000, "thousand"),
    ] {
        let g = group(divisor);
        if g != 0 {
            out.push_str(&number_words(g));
            out.push(' ');
            out.push_str(name);
            out.push(' ');
        }
    }
    let hundreds = group(100);
    if hundreds != 0 {
        out.push_str(&number_words(hundreds));
    }
    if out.len() == prefix {
        out.push_str("zero");
    }
    out.push_str(if value / 100 == 1 {
        " dollar and "
    } else {
        " dollars and "
    });
    let cents_part = value % 100;
    out.push_str(&number_words(cents_part));
    out.push_str(if cents_part == 1 { " cent" } else { " cents" });
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => out,
    }
}

/// `money out of range` (22003), the arithmetic operators' overflow error.
pub fn out_of_range() -> crate::Error {
    pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "money out of range")
}

/// `cash_mul_flt8` and the float divisions: the rounded product must fit in 64 bits.
///
/// Errors: 22003 `money out of range` (also for NaN and infinities).
pub fn from_float(value: f64) -> Result<i64> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    let rounded = value.round_ties_even();
    if rounded.is_nan() || !(-LIMIT..LIMIT).contains(&rounded) {
        return Err(out_of_range());
    }
    Ok(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_accepts_symbols_separators_and_rounds_a_third_fraction_digit() {
        assert_eq!(cash_in("123").unwrap(), 12300);
        assert_eq!(cash_in("$123.45").unwrap(), 12345);
        assert_eq!(cash_in("$123.455").unwrap(), 12346);
        assert_eq!(cash_in("$123.454").unwrap(), 12345);
        assert_eq!(cash_in("($123,456.78)").unwrap(), -12345678);
        assert_eq!(cash_in("(1)").unwrap(), -100);
        assert_eq!(cash_in("-92233720368547758.08").unwrap(), i64::MIN);
        assert_eq!(cash_in("92233720368547758.07").unwrap(), i64::MAX);
        assert!(cash_in("92233720368547758.08").is_err());
        assert!(cash_in("-92233720368547758.085").is_err());
        assert!(cash_in("12x").is_err());
    }

    #[test]
    fn output_groups_thousands_and_puts_the_sign_before_the_symbol() {
        assert_eq!(cash_out(12300), "$123.00");
        assert_eq!(cash_out(-100), "-$1.00");
        assert_eq!(cash_out(123456789), "$1,234,567.89");
        assert_eq!(cash_out(i64::MIN), "-$92,233,720,368,547,758.08");
        assert_eq!(cash_out(5), "$0.05");
    }

    #[test]
    fn words_spell_dollars_and_cents() {
        assert_eq!(
            cash_words(12300),
            "One hundred twenty three dollars and zero cents"
        );
        assert_eq!(
            cash_words(12423),
            "One hundred twenty four dollars and twenty three cents"
        );
        assert_eq!(cash_words(101), "One dollar and one cent");
        assert_eq!(cash_words(2000), "Twenty dollars and zero cents");
        assert_eq!(
            cash_words(2_000_020),
            "Twenty thousand  dollars and twenty cents"
        );
        assert_eq!(
            cash_words(-10500),
            "Minus one hundred and five dollars and zero cents"
        );
    }
}
