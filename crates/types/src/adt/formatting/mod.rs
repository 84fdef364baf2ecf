//! Data type formatting functions (PostgreSQL docs §9.8): `to_char`, `to_number`,
//! `to_date` and `to_timestamp(text, text)`.
//!
//! Templates are read into nodes first ([`datetime_template`], [`number_template`]), then
//! interpreted: [`datetime_to_char`] prints date/time fields, [`datetime_from_char`] reads
//! them back, [`number`] prints and reads numbers. Everything here is pure: the session's
//! time zone is passed in, and the locale is PostgreSQL's "C" locale (English names, `.`
//! and `,`).
//!
//! Entry points: [`datetime_to_char::timestamp_to_char`],
//! [`datetime_to_char::timestamptz_to_char`], [`datetime_to_char::interval_to_char`],
//! [`number::numeric_to_char`] (and the `int4`/`int8`/`float4`/`float8` variants),
//! [`number::numeric_to_number`], [`datetime_from_char::to_timestamp`],
//! [`datetime_from_char::to_date`].

pub mod datetime_from_char;
pub mod datetime_template;
pub mod datetime_to_char;
pub mod number;
pub mod number_template;

use crate::{pg_err, Result};

/// The English ordinal suffix for the number whose text is `digits` (`1` → `st`,
/// `12` → `th`, `22` → `nd`), upper-case when `upper`.
///
/// Errors: 22P02 `"x" is not a number` when `digits` does not end in a digit.
pub(crate) fn ordinal_suffix(digits: &str, upper: bool) -> Result<&'static str> {
    let bytes = digits.as_bytes();
    let last = *bytes.last().filter(|b| b.is_ascii_digit()).ok_or_else(|| {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "\"{}\" is not a number",
            digits
        )
    })?;
    let teen = bytes.len() > 1 && bytes[bytes.len() - 2] == b'1';
    let lower = match last {
        b'1' if !teen => "st",
        b'2' if !teen => "nd",
        b'3' if !teen => "rd",
        _ => "th",
    };
    Ok(match (upper, lower) {
        (false, s) => s,
        (true, "st") => "ST",
        (true, "nd") => "ND",
        (true, "rd") => "RD",
        (true, _) => "TH",
    })
}

#[cfg(test)]
mod tests {
    use super::ordinal_suffix;

    #[test]
    fn ordinals() {
        assert_eq!(ordinal_suffix("1", false).expect("digit"), "st");
        assert_eq!(ordinal_suffix("11", true).expect("digit"), "TH");
        assert_eq!(ordinal_suffix("22", false).expect("digit"), "nd");
        assert_eq!(ordinal_suffix("113", false).expect("digit"), "th");
        assert_eq!(ordinal_suffix("103", false).expect("digit"), "rd");
        assert!(ordinal_suffix("x", false).is_err());
    }
}
