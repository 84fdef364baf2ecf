//! `to_char` for numbers and `to_number` (PostgreSQL docs §9.8, Table 9.28).
//!
//! `to_char` first renders the value as plain digits rounded to the template's decimal
//! places (`numeric` exactly, `float4`/`float8` limited to 6/15 significant digits as
//! PostgreSQL does), decides how many leading positions stay blank, and replaces the
//! digits with `#` when the integer part does not fit. A processor then walks the
//! template, placing digits, signs (`S`, `MI`, `PL`, `SG`, `PR`), separators, the decimal
//! point and ordinal suffixes; `FM` drops padding and trailing zeros. `to_number` walks the
//! same template over the input and collects a sign, digits and the decimal point.
//!
//! The session's `lc_numeric`/`lc_monetary` is "C": `D` is `.`, `G` is `,`, `L` is a
//! space, and the locale signs are `+`/`-`.
//!
//! Entry points: [`numeric_to_char`], [`int4_to_char`], [`int8_to_char`],
//! [`float4_to_char`], [`float8_to_char`], [`numeric_to_number`].

use super::number_template::{LocaleSign, NumberKeyword as K, NumberNode, NumberTemplate};
use super::ordinal_suffix;
use crate::adt::numeric::io::NumericTypmod;
use crate::adt::numeric::Numeric;
use crate::{pg_err, Result};

/// Significant decimal digits of `float8` (`DBL_DIG`).
const FLOAT8_DIGITS: usize = 15;
/// Significant decimal digits of `float4` (`FLT_DIG`).
const FLOAT4_DIGITS: usize = 6;

/// `to_char(numeric, text)`.
///
/// Errors: 42601 for invalid templates; 22003 when `RN` meets a value beyond `integer`.
pub fn numeric_to_char(value: &Numeric, template: &str) -> Result<String> {
    let mut t = NumberTemplate::parse(template)?;
    let (number, pre_spaces, sign) = if t.roman {
        let rounded = value.round(0)?;
        (int_to_roman(rounded.to_i32()?), 0, '+')
    } else if t.eeee {
        let text = if value.is_finite() {
            numeric_out_sci(value, t.post)?
        } else {
            String::new()
        };
        if !value.is_finite() {
            (eeee_overflow(&t), 0, '+')
        } else if let Some(rest) = text.strip_prefix('-') {
            (format!("-{rest}"), 0, '+')
        } else {
            (format!(" {text}"), 0, '+')
        }
    } else {
        let mut scaled = value.clone();
        if t.multiply {
            let factor = Numeric::parse(&format!("1{}", "0".repeat(t.multi)))?;
            scaled = scaled.mul(&factor)?;
            t.pre += t.multi;
        }
        let rounded = scaled.round(t.post as i32)?;
        let text = rounded.to_string();
        layout_digits(&t, text)
    };
    process_to_char(&mut t, number.into_bytes(), pre_spaces, sign)
}

/// `to_char(integer, text)`.
///
/// Errors: 42601 for invalid templates.
pub fn int4_to_char(value: i32, template: &str) -> Result<String> {
    integer_to_char(i64::from(value), template, true)
}

/// `to_char(bigint, text)`.
///
/// Errors: 42601 for invalid templates; 22003 `integer out of range` for `RN` beyond
/// `integer`.
pub fn int8_to_char(value: i64, template: &str) -> Result<String> {
    integer_to_char(value, template, false)
}

fn integer_to_char(value: i64, template: &str, is_int4: bool) -> Result<String> {
    let mut t = NumberTemplate::parse(template)?;
    let (number, pre_spaces, sign) = if t.roman {
        let v = i32::try_from(value)
            .map_err(|_| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"))?;
        (int_to_roman(v), 0, '+')
    } else if t.eeee {
        (c_exponential(value as f64, t.post), 0, '+')
    } else {
        let digits = if t.multiply {
            let shifted = if is_int4 {
                // int4 multiplies in 32 bits (wrapping, as PostgreSQL's C does).
                i64::from((value as i32).wrapping_mul(10_f64.powi(t.multi as i32) as i32))
            } else {
                let factor = Numeric::parse(&format!("1{}", "0".repeat(t.multi)))?;
                Numeric::from(value).mul(&factor)?.to_i64()?
            };
            t.pre += t.multi;
            shifted.to_string()
        } else {
            value.to_string()
        };
        let (sign, digits) = match digits.strip_prefix('-') {
            Some(rest) => ('-', rest.to_string()),
            None => ('+', digits),
        };
        let pre_len = digits.len();
        let mut number = digits;
        if t.post > 0 {
            number.push('.');
            number.push_str(&"0".repeat(t.post));
        }
        let (number, pre_spaces) = fit(&t, number, pre_len);
        (number, pre_spaces, sign)
    };
    process_to_char(&mut t, number.into_bytes(), pre_spaces, sign)
}

/// `to_char(double precision, text)`.
///
/// Errors: 42601 for invalid templates; 22P02 `"NaN" is not a number` for `TH` on NaN.
pub fn float8_to_char(value: f64, template: &str) -> Result<String> {
    float_to_char(value, template, FLOAT8_DIGITS)
}

/// `to_char(real, text)`.
///
/// Errors: 42601 for invalid templates; 22P02 `"NaN" is not a number` for `TH` on NaN.
pub fn float4_to_char(value: f32, template: &str) -> Result<String> {
    float_to_char(f64::from(value), template, FLOAT4_DIGITS)
}

fn float_to_char(value: f64, template: &str, max_digits: usize) -> Result<String> {
    let mut t = NumberTemplate::parse(template)?;
    let (number, pre_spaces, sign) = if t.roman {
        // Values beyond `integer` (and NaN) print as the 15 `#`s of an out-of-range
        // numeral.
        let rounded = value.round_ties_even();
        let numeral = if (1.0..=3999.0).contains(&rounded) {
            int_to_roman(rounded as i32)
        } else {
            int_to_roman(0)
        };
        (numeral, 0, '+')
    } else if t.eeee {
        if value.is_finite() {
            (c_exponential(value, t.post), 0, '+')
        } else {
            (eeee_overflow(&t), 0, '+')
        }
    } else {
        let mut v = value;
        if t.multiply {
            v *= 10_f64.powi(t.multi as i32);
            t.pre += t.multi;
        }
        let whole = c_fixed(v.abs(), 0);
        let whole_len = whole.len();
        if whole_len >= max_digits {
            t.post = 0;
        } else if whole_len + t.post > max_digits {
            t.post = max_digits - whole_len;
        }
        let text = c_fixed(v, t.post);
        layout_digits(&t, text)
    };
    process_to_char(&mut t, number.into_bytes(), pre_spaces, sign)
}

/// Splits off the sign of a rendered number and fits it to the template's integer digits.
fn layout_digits(t: &NumberTemplate, text: String) -> (String, usize, char) {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ('-', rest.to_string()),
        None => ('+', text),
    };
    let pre_len = digits.find('.').unwrap_or(digits.len());
    let (number, pre_spaces) = fit(t, digits, pre_len);
    (number, pre_spaces, sign)
}

/// Blank positions before the digits, or `#`s when the integer part is too long.
fn fit(t: &NumberTemplate, number: String, pre_len: usize) -> (String, usize) {
    if pre_len < t.pre {
        (number, t.pre - pre_len)
    } else if pre_len > t.pre {
        let mut hashes = "#".repeat(t.pre + t.post + 1);
        hashes.replace_range(t.pre..=t.pre, ".");
        (hashes, 0)
    } else {
        (number, 0)
    }
}

/// `#`s in the shape of `EEEE` output for NaN and infinities: sign, digits, point,
/// `e`, exponent sign and two digits.
fn eeee_overflow(t: &NumberTemplate) -> String {
    let mut s: Vec<u8> = vec![b'#'; t.pre + t.post + 6];
    s[0] = b' ';
    s[t.pre + 1] = b'.';
    String::from_utf8(s).expect("ASCII")
}

/// C's `%.*f` as PostgreSQL's `snprintf` prints it (`NaN`, `Infinity`).
fn c_fixed(v: f64, digits: usize) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        let s = format!("{v:.digits$}");
        // C prints negative zero with its sign; so does Rust: keep it.
        s
    }
}

/// C's `%+.*e` with the leading `+` replaced by a space: ` 1.23e+04`.
fn c_exponential(v: f64, digits: usize) -> String {
    let s = format!("{:.*e}", digits, v.abs());
    let (mantissa, exponent) = s.split_once('e').expect("exponential format has an e");
    let exponent: i32 = exponent.parse().expect("exponent is an integer");
    let sign = if v.is_sign_negative() { '-' } else { ' ' };
    let exp_sign = if exponent < 0 { '-' } else { '+' };
    format!("{sign}{mantissa}e{exp_sign}{:02}", exponent.unsigned_abs())
}

/// `numeric_out_sci`: one digit before the point, `digits` after, exponent of at least two
/// digits (`1.23e+04`); the significand is rounded after scaling, so it may read `10.0`.
fn numeric_out_sci(value: &Numeric, digits: usize) -> Result<String> {
    let text = value.abs().to_string();
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let all: String = format!("{int_part}{frac_part}");
    let exponent: i64 = match all.bytes().position(|b| b != b'0') {
        Some(first) => int_part.len() as i64 - first as i64 - 1,
        None => 0,
    };
    let significand = if exponent == 0 {
        value.abs()
    } else {
        let power = Numeric::parse(&format!("1e{}", exponent.unsigned_abs()))?;
        if exponent > 0 {
            value.abs().div(&power)?
        } else {
            value.abs().mul(&power)?
        }
    };
    let rounded = significand.round(digits as i32)?;
    let sign = if value.is_negative() { "-" } else { "" };
    Ok(format!(
        "{sign}{rounded}e{}{:02}",
        if exponent < 0 { '-' } else { '+' },
        exponent.unsigned_abs()
    ))
}

/// Roman numerals for 1..=3999; 15 `#`s otherwise.
fn int_to_roman(number: i32) -> String {
    const THOUSANDS: [&str; 4] = ["", "M", "MM", "MMM"];
    const HUNDREDS: [&str; 10] = ["", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"];
    const TENS: [&str; 10] = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"];
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    if !(1..=3999).contains(&number) {
        return "#".repeat(15);
    }
    let n = number as usize;
    format!(
        "{}{}{}{}",
        THOUSANDS[n / 1000],
        HUNDREDS[n / 100 % 10],
        TENS[n / 10 % 10],
        ONES[n % 10]
    )
}

/// The last significant decimal digit (or the point itself when all decimals are zero).
fn last_relevant_decimal(number: &[u8]) -> Option<usize> {
    let point = number.iter().position(|&b| b == b'.')?;
    let mut result = point;
    for (i, &b) in number.iter().enumerate().skip(point + 1) {
        if b != b'0' {
            result = i;
        }
    }
    Some(result)
}

/// State of the `to_char` walk over the template (`NUMProc`).
struct ToChar<'a> {
    t: &'a mut NumberTemplate,
    number: Vec<u8>,
    /// Index of the next digit of `number` to print.
    pos: usize,
    out: Vec<u8>,
    sign: char,
    sign_wrote: bool,
    num_in: bool,
    num_curr: usize,
    num_count: isize,
    out_pre_spaces: usize,
    last_relevant: Option<usize>,
}

impl ToChar<'_> {
    fn current(&self) -> u8 {
        self.number.get(self.pos).copied().unwrap_or(0)
    }

    /// `IS_PREDEC_SPACE`: a lone leading `0` before the point prints as a blank.
    fn predec_space(&self) -> bool {
        !self.t.zero && self.pos == 0 && self.number.first() == Some(&b'0') && self.t.post != 0
    }

    fn last_relevant_is_point(&self) -> bool {
        self.last_relevant
            .is_some_and(|i| self.number.get(i) == Some(&b'.'))
    }

    /// One digit position or decimal point (`NUM_numpart_to_char`).
    fn numpart(&mut self, keyword: K) {
        if self.t.roman {
            return;
        }
        self.num_in = false;
        let zero_start = self.t.zero_start;
        if !self.sign_wrote
            && (self.num_curr >= self.out_pre_spaces
                || (self.t.zero && zero_start == self.num_curr))
            && (!self.predec_space() || self.last_relevant_is_point())
        {
            if self.t.lsign != LocaleSign::None {
                if self.t.lsign == LocaleSign::Pre {
                    self.out.push(if self.sign == '-' { b'-' } else { b'+' });
                    self.sign_wrote = true;
                }
            } else if self.t.bracket {
                self.out.push(if self.sign == '+' { b' ' } else { b'<' });
                self.sign_wrote = true;
            } else if self.sign == '+' {
                if !self.t.fill_mode {
                    self.out.push(b' ');
                }
                self.sign_wrote = true;
            } else if self.sign == '-' {
                self.out.push(b'-');
                self.sign_wrote = true;
            }
        }
        if matches!(keyword, K::Nine | K::Zero | K::D | K::Dec) {
            if self.num_curr < self.out_pre_spaces && (zero_start > self.num_curr || !self.t.zero) {
                if !self.t.fill_mode {
                    self.out.push(b' ');
                }
            } else if self.t.zero
                && self.num_curr < self.out_pre_spaces
                && zero_start <= self.num_curr
            {
                self.out.push(b'0');
                self.num_in = true;
            } else {
                if self.current() == b'.' {
                    if !self.last_relevant_is_point() || self.t.fill_mode {
                        self.out.push(b'.');
                    }
                } else if self.last_relevant.is_some_and(|l| self.pos > l) && keyword != K::Zero {
                } else if self.predec_space() {
                    if !self.t.fill_mode {
                        self.out.push(b' ');
                    } else if self.last_relevant_is_point() {
                        self.out.push(b'0');
                    }
                } else {
                    self.out.push(self.current());
                    self.num_in = true;
                }
                if self.current() != 0 {
                    self.pos += 1;
                }
            }
            let mut end =
                self.num_count + isize::from(self.out_pre_spaces > 0) + isize::from(self.t.decimal);
            if self.last_relevant.is_some_and(|l| l == self.pos) {
                end = self.num_curr as isize;
            }
            if self.num_curr as isize + 1 == end {
                if self.sign_wrote && self.t.bracket {
                    self.out.push(if self.sign == '+' { b' ' } else { b'>' });
                } else if self.t.lsign == LocaleSign::Post {
                    self.out.push(if self.sign == '-' { b'-' } else { b'+' });
                }
            }
        }
        self.num_curr += 1;
    }
}

/// Walks the template and writes the output (`NUM_processor` for `to_char`).
fn process_to_char(
    t: &mut NumberTemplate,
    number: Vec<u8>,
    out_pre_spaces: usize,
    sign: char,
) -> Result<String> {
    if t.eeee {
        return Ok(String::from_utf8(number).expect("ASCII"));
    }
    if t.zero_start > 0 {
        t.zero_start -= 1;
    }
    let mut sign = sign;
    let mut out_pre_spaces = out_pre_spaces;
    if t.roman {
        t.lsign = LocaleSign::None;
        t.pre_lsign_num = 0;
        t.post = 0;
        t.pre = 0;
        out_pre_spaces = 0;
        sign = '\0';
        let fill_mode = t.fill_mode;
        let nodes = std::mem::take(&mut t.nodes);
        *t = NumberTemplate {
            nodes,
            fill_mode,
            roman: true,
            ..NumberTemplate::default()
        };
    }
    let sign_wrote;
    if t.plus || t.minus {
        sign_wrote = !t.plus || t.minus;
    } else {
        if sign != '-' && t.fill_mode {
            t.bracket = false;
        }
        sign_wrote = sign == '+' && t.fill_mode && t.lsign == LocaleSign::None;
        if t.lsign == LocaleSign::Pre && t.pre == t.pre_lsign_num {
            t.lsign = LocaleSign::Post;
        }
    }
    let mut num_count = t.post as isize + t.pre as isize - 1;
    let mut last_relevant = None;
    if t.fill_mode && t.decimal {
        last_relevant = last_relevant_decimal(&number);
        if let Some(l) = last_relevant {
            if t.zero_end > out_pre_spaces {
                let last_zero = (number.len() - 1).min(t.zero_end - out_pre_spaces);
                if l < last_zero {
                    last_relevant = Some(last_zero);
                }
            }
        }
    }
    if !sign_wrote && out_pre_spaces == 0 {
        num_count += 1;
    }
    let nodes = t.nodes.clone();
    let mut p = ToChar {
        t,
        number,
        pos: 0,
        out: Vec::new(),
        sign,
        sign_wrote,
        num_in: false,
        num_curr: 0,
        num_count,
        out_pre_spaces,
        last_relevant,
    };
    for node in nodes {
        let keyword = match node {
            NumberNode::Literal(c) => {
                let mut buf = [0; 4];
                p.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            NumberNode::Keyword(k) => k,
        };
        match keyword {
            K::Nine | K::Zero | K::Dec | K::D => p.numpart(keyword),
            K::Comma | K::G => {
                if p.num_in {
                    p.out.push(b',');
                } else if !p.t.fill_mode {
                    p.out.push(b' ');
                }
            }
            K::L => p.out.push(b' '),
            K::RNUpper | K::RNLower => {
                let numeral = String::from_utf8_lossy(&p.number).into_owned();
                let numeral = if keyword == K::RNLower {
                    numeral.to_ascii_lowercase()
                } else {
                    numeral
                };
                if p.t.fill_mode {
                    p.out.extend_from_slice(numeral.as_bytes());
                } else {
                    p.out.extend_from_slice(format!("{numeral:>15}").as_bytes());
                }
            }
            K::THUpper | K::THLower => {
                if p.t.roman || p.number.first() == Some(&b'#') || p.sign == '-' || p.t.decimal {
                    continue;
                }
                let digits = String::from_utf8_lossy(&p.number).into_owned();
                let suffix = ordinal_suffix(&digits, keyword == K::THUpper)?;
                p.out.extend_from_slice(suffix.as_bytes());
            }
            K::MI => {
                if p.sign == '-' {
                    p.out.push(b'-');
                } else if !p.t.fill_mode {
                    p.out.push(b' ');
                }
            }
            K::PL => {
                if p.sign == '+' {
                    p.out.push(b'+');
                } else if !p.t.fill_mode {
                    p.out.push(b' ');
                }
            }
            K::SG => p.out.push(p.sign as u8),
            K::B | K::C | K::Eeee | K::FM | K::PR | K::SP | K::S | K::V => {}
        }
    }
    // A NUL written from past the end of the digits ends the C string.
    if let Some(nul) = p.out.iter().position(|&b| b == 0) {
        p.out.truncate(nul);
    }
    Ok(String::from_utf8_lossy(&p.out).into_owned())
}

/// `to_number(text, text)`: reads `input` by the template.
///
/// Errors: 42601 for invalid templates; 0A000 `"EEEE" not supported for input` and
/// `"RN" not supported for input`; 22P02 `invalid input syntax for type numeric: " "`
/// when no digits are found; 22003 `numeric field overflow` as a `numeric(p,s)` cast.
pub fn numeric_to_number(input: &str, template: &str) -> Result<Numeric> {
    let t = NumberTemplate::parse(template)?;
    if t.eeee {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "\"EEEE\" not supported for input"
        ));
    }
    if t.roman {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "\"RN\" not supported for input"
        ));
    }
    let inp = input.as_bytes();
    let mut r = FromChar {
        t: &t,
        inp,
        at: 0,
        sign: b' ',
        digits: Vec::new(),
        read_pre: 0,
        read_post: 0,
        read_dec: false,
    };
    for node in &t.nodes {
        if r.at >= inp.len() {
            break;
        }
        match node {
            NumberNode::Literal(_) => {
                r.at += utf8_len(inp[r.at]);
                continue;
            }
            NumberNode::Keyword(k) => match k {
                K::Nine | K::Zero | K::Dec | K::D => r.numpart(*k),
                K::Comma => {
                    if t.fill_mode || inp[r.at] != b',' {
                        continue;
                    }
                }
                K::G => {
                    if t.fill_mode || inp[r.at] != b',' {
                        continue;
                    }
                }
                K::L => {
                    if inp[r.at] != b' ' {
                        r.eat_non_data(1);
                        continue;
                    }
                }
                K::THUpper | K::THLower => {
                    r.eat_non_data(2);
                    continue;
                }
                K::MI => {
                    if inp[r.at] == b'-' {
                        r.sign = b'-';
                    } else {
                        r.eat_non_data(1);
                        continue;
                    }
                }
                K::PL => {
                    if inp[r.at] == b'+' {
                        r.sign = b'+';
                    } else {
                        r.eat_non_data(1);
                        continue;
                    }
                }
                K::SG => {
                    if inp[r.at] == b'-' || inp[r.at] == b'+' {
                        r.sign = inp[r.at];
                    } else {
                        r.eat_non_data(1);
                        continue;
                    }
                }
                _ => continue,
            },
        }
        r.at += 1;
    }
    if r.digits.last() == Some(&b'.') {
        r.digits.pop();
    }
    let mut text = String::with_capacity(r.digits.len() + 1);
    text.push(r.sign as char);
    text.push_str(std::str::from_utf8(&r.digits).expect("ASCII digits"));
    let scale = r.read_post as i32;
    let precision = (t.pre + t.multi) as i32 + scale;
    let typmod = NumericTypmod::new(precision.max(1), Some(scale)).ok();
    let mut value = crate::adt::numeric::io::numeric_in(&text, typmod)?;
    if t.multiply {
        let factor = Numeric::parse(&format!("1{}", "0".repeat(t.multi)))?;
        value = value.div(&factor)?;
    }
    Ok(value)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// State of the `to_number` walk.
struct FromChar<'a> {
    t: &'a NumberTemplate,
    inp: &'a [u8],
    at: usize,
    sign: u8,
    digits: Vec<u8>,
    read_pre: usize,
    read_post: usize,
    read_dec: bool,
}

impl FromChar<'_> {
    fn overloaded(&self) -> bool {
        self.at >= self.inp.len()
    }

    fn has(&self, n: usize) -> bool {
        self.at + n <= self.inp.len()
    }

    fn eat_non_data(&mut self, n: usize) {
        for _ in 0..n {
            if self.overloaded() || b"0123456789.,+-".contains(&self.inp[self.at]) {
                break;
            }
            self.at += utf8_len(self.inp[self.at]);
        }
    }

    /// One digit position or decimal point (`NUM_numpart_from_char`).
    fn numpart(&mut self, keyword: K) {
        if self.overloaded() {
            return;
        }
        if self.inp[self.at] == b' ' {
            self.at += 1;
        }
        if self.overloaded() {
            return;
        }
        if self.sign == b' '
            && matches!(keyword, K::Zero | K::Nine)
            && self.read_pre + self.read_post == 0
        {
            let c = self.inp[self.at];
            if c == b'-' || (self.t.bracket && c == b'<' && self.t.lsign == LocaleSign::None) {
                self.sign = b'-';
                self.at += 1;
            } else if c == b'+' {
                self.sign = b'+';
                self.at += 1;
            }
        }
        if self.overloaded() {
            return;
        }
        let mut read = false;
        let c = self.inp[self.at];
        if c.is_ascii_digit() {
            if self.read_dec && self.read_post == self.t.post {
                return;
            }
            self.digits.push(c);
            if self.read_dec {
                self.read_post += 1;
            } else {
                self.read_pre += 1;
            }
            read = true;
        } else if self.t.decimal && !self.read_dec && self.has(1) && c == b'.' {
            self.digits.push(b'.');
            self.read_dec = true;
            read = true;
        }
        if self.overloaded() {
            return;
        }
        if self.sign == b' ' && self.read_pre + self.read_post > 0 {
            if self.t.lsign != LocaleSign::None
                && read
                && self.at + 1 < self.inp.len()
                && !self.inp[self.at + 1].is_ascii_digit()
            {
                let next = self.inp[self.at + 1];
                if next == b'-' || next == b'+' {
                    self.sign = next;
                    self.at += 1;
                }
            } else if !read
                && self.t.lsign == LocaleSign::None
                && (self.t.plus || self.t.minus)
                && (c == b'-' || c == b'+')
            {
                self.sign = c;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Numeric {
        Numeric::parse(s).expect("numeric")
    }

    #[test]
    fn numeric_to_char_matches_postgres() {
        // Expected strings from PostgreSQL 15.
        let cases = [
            (
                "-34338492.215397047",
                "9,999,999,999,999,999.999,999,999,999,999",
                "           -34,338,492.215,397,047,000,000",
            ),
            (
                "-34338492.215397047",
                "FM9999999999999999.999999999999999",
                "-34338492.215397047",
            ),
            ("0", "9.99", "  .00"),
            ("0", "FM9.99", "0."),
            ("0.5", "FM9.99", ".5"),
            ("-0.5", "FM9.99", "-.5"),
            ("485", "999", " 485"),
            ("-485", "999", "-485"),
            ("485", "9 9 9", " 4 8 5"),
            ("1485", "9,999", " 1,485"),
            ("1485", "9G999", " 1,485"),
            ("148.5", "999.999", " 148.500"),
            ("148.5", "FM999.999", "148.5"),
            ("148.5", "FM999.990", "148.500"),
            ("3.148", "999D99", "   3.15"),
            ("-485", "999S", "485-"),
            ("-485", "999MI", "485-"),
            ("485", "999MI", "485 "),
            ("485", "FM999MI", "485"),
            ("485", "PL999", "+ 485"),
            ("485", "SG999", "+485"),
            ("-485", "SG999", "-485"),
            ("-485", "9SG99", "4-85"),
            ("-485", "999PR", "<485>"),
            ("485", "L999", "  485"),
            ("485", "RN", "        CDLXXXV"),
            ("485", "FMRN", "CDLXXXV"),
            ("5.2", "FMRN", "V"),
            ("482", "999th", " 482nd"),
            ("485", "\"Good number:\"999", "Good number: 485"),
            ("485.8", "\"Pre:\"999\" Post:\" .999", "Pre: 485 Post: .800"),
            ("12", "99V999", " 12000"),
            ("12.4", "99V999", " 12400"),
            ("12.45", "99V9", " 125"),
            ("0.0004859", "9.99EEEE", " 4.86e-04"),
            ("-1234.5", "9.9EEEE", "-1.2e+03"),
            ("12345", "99", " ##"),
            ("12345.6", "99.9", " ##.#"),
            ("NaN", "999.9", " NaN"),
            ("100", "0000", " 0100"),
            ("-1", "S0000", "-0001"),
            ("1", "9.9S9", "1.00+"),
        ];
        for (value, template, expected) in cases {
            assert_eq!(
                numeric_to_char(&n(value), template).expect(template),
                expected,
                "to_char({value}, {template})"
            );
        }
    }

    #[test]
    fn integer_and_float_to_char() {
        assert_eq!(int4_to_char(-123, "S9999").expect("ok"), " -123");
        assert_eq!(int4_to_char(123, "9999.99").expect("ok"), "  123.00");
        assert_eq!(
            int8_to_char(4567890123456789, "FM9,999,999,999,999,999").expect("ok"),
            "4,567,890,123,456,789"
        );
        assert_eq!(int4_to_char(12345, "9.99EEEE").expect("ok"), " 1.23e+04");
        assert_eq!(float8_to_char(0.1, "9.99").expect("ok"), "  .10");
        assert_eq!(float8_to_char(f64::INFINITY, "9999").expect("ok"), " ####");
        assert_eq!(float8_to_char(f64::NAN, "9999").expect("ok"), "  NaN");
        assert_eq!(
            float8_to_char(1234567890.1234567, "9999999999.99999").expect("ok"),
            " 1234567890.12346"
        );
        assert_eq!(float4_to_char(1.5, "9.9999999").expect("ok"), " 1.50000");
    }

    #[test]
    fn template_errors() {
        let code = |t: &str| {
            numeric_to_char(&n("1"), t)
                .expect_err(t)
                .code
                .code()
                .to_string()
        };
        assert_eq!(code("9..9"), "42601");
        assert_eq!(code("99PRS"), "42601");
        assert_eq!(code("9EEEE9"), "42601");
        assert_eq!(code("FMEEEE"), "42601");
    }

    #[test]
    fn to_number_reads_postgres_examples() {
        let cases = [
            ("-34,338,492", "99G999G999", "-34338492"),
            (
                "-34,338,492.654,878",
                "99G999G999D999G999",
                "-34338492.654878",
            ),
            ("<564646.654564>", "999999.999999PR", "-564646.654564"),
            ("0.00001-", "9.999999S", "-0.00001"),
            ("5.01-", "FM9.999999S", "-5.01"),
            ("5.01-", "FM9.999999MI", "-5.01"),
            ("5 4 4 4 4 8 . 7 8", "9 9 9 9 9 9 . 9 9", "544448.78"),
            (".01", "FM9.99", "0.01"),
            (".0", "99999999.99999999", "0.0"),
            ("0", "99.99", "0"),
            (".-01", "S99.99", "-0.01"),
            ("$1234.56", "L9,999.99", "1234.56"),
            ("1234.56", "L99,999.99", "1234.56"),
            ("1,234.56", "L99,999.99", "1234.56"),
            ("42nd", "99th", "42"),
            ("12345", "99", "12"),
        ];
        for (input, template, expected) in cases {
            let v = numeric_to_number(input, template).expect(input);
            assert_eq!(v.to_string(), expected, "to_number({input}, {template})");
        }
        let err = numeric_to_number("x", "999").expect_err("no digits");
        assert_eq!(err.code.code(), "22P02");
        assert_eq!(
            numeric_to_number("1", "RN").expect_err("rn").code.code(),
            "0A000"
        );
    }
}
