//! Identifiers in text: qualified names as the `reg*` input functions and
//! `regclass`-style arguments read them (PostgreSQL's `stringToQualifiedNameList`).
//!
//! Entry point: [`split_qualified_name`].

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
