//! Identifiers in text: qualified names as the `reg*` input functions and
//! `regclass`-style arguments read them (PostgreSQL's `stringToQualifiedNameList`).
//!
//! Entry points: [`split_qualified_name`], [`quote_identifier`].

use tusk_types::Result;

/// Splits `a."B c".d` into identifiers: unquoted parts are lower-cased, quoted ones kept.
///
/// Errors: 42602 `invalid name syntax`.
pub fn split_qualified_name(text: &str) -> Result<Vec<String>> {
    let invalid = || tusk_types::pg_err!(INVALID_NAME, "invalid name syntax");
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(invalid()),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
            part = part.trim().to_string();
        }
        if part.is_empty() {
            return Err(invalid());
        }
        out.push(part);
        match chars.next() {
            None => return Ok(out),
            Some('.') => continue,
            Some(_) => return Err(invalid()),
        }
    }
}

/// `name` as PostgreSQL's `quote_identifier` writes it (and so `quote_ident`,
/// `format('%I')`, `regclass` output): bare when it is lower-case letters, digits and `_`
/// starting with a letter or `_` and not a keyword that needs quoting, double-quoted
/// with embedded quotes doubled otherwise.
pub fn quote_identifier(name: &str) -> String {
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !crate::keywords::needs_quoting_as_identifier(name);
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}
