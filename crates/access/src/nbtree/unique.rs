//! Unique-violation errors in PostgreSQL's words (`_bt_check_unique`,
//! `BuildIndexValueDescription`, `comparetup_index_btree`).
//!
//! The key values arrive as text from the caller (the executor owns the types' output
//! functions); `None` is a NULL and prints as `null`. Column names are quoted as
//! `quote_identifier` would for names that are not plain lower-case identifiers; an
//! expression column's text (`lower(email)`, `(a + b)`: always with a parenthesis, as
//! ruleutils prints it) is printed as it is. (A column whose name holds a parenthesis
//! therefore prints unquoted.)
//!
//! Entry points: [`unique_violation_error`], [`build_duplicate_error`],
//! [`index_value_description`].

use tusk_types::{pg_err, Error};

/// `quote_identifier` without the keyword check: plain names (lower-case letter or `_`
/// first, then lower-case letters, digits, `_`) stay bare, anything else is double-quoted
/// with embedded quotes doubled.
pub fn quote_identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `(a, b)=(1, null)`: the part of the DETAIL naming columns and values
/// (`BuildIndexValueDescription`).
pub fn index_value_description(columns: &[&str], values: &[Option<&str>]) -> String {
    let names: Vec<String> = columns
        .iter()
        .map(|c| {
            if c.contains('(') {
                c.to_string()
            } else {
                quote_identifier(c)
            }
        })
        .collect();
    let vals: Vec<&str> = values.iter().map(|v| v.unwrap_or("null")).collect();
    format!("({})=({})", names.join(", "), vals.join(", "))
}

/// `23505` `duplicate key value violates unique constraint "name"` with DETAIL
/// `Key (id)=(1) already exists.`
pub fn unique_violation_error(
    index_name: &str,
    columns: &[&str],
    values: &[Option<&str>],
) -> Error {
    pg_err!(
        UNIQUE_VIOLATION,
        "duplicate key value violates unique constraint \"{}\"",
        index_name
    )
    .detail(format!(
        "Key {} already exists.",
        index_value_description(columns, values)
    ))
}

/// `23505` `could not create unique index "name"` with DETAIL `Key (id)=(1) is
/// duplicated.` (CREATE UNIQUE INDEX over existing duplicates).
pub fn build_duplicate_error(index_name: &str, columns: &[&str], values: &[Option<&str>]) -> Error {
    pg_err!(
        UNIQUE_VIOLATION,
        "could not create unique index \"{}\"",
        index_name
    )
    .detail(format!(
        "Key {} is duplicated.",
        index_value_description(columns, values)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_match_postgresql() {
        let e = unique_violation_error("t_pkey", &["id"], &[Some("1")]);
        assert_eq!(e.code.code(), "23505");
        assert_eq!(
            e.message,
            "duplicate key value violates unique constraint \"t_pkey\""
        );
        assert_eq!(e.detail.as_deref(), Some("Key (id)=(1) already exists."));
        let e = build_duplicate_error("u", &["a", "Mixed Case"], &[Some("x"), None]);
        assert_eq!(e.message, "could not create unique index \"u\"");
        assert_eq!(
            e.detail.as_deref(),
            Some("Key (a, \"Mixed Case\")=(x, null) is duplicated.")
        );
        let e = unique_violation_error("u", &["lower(email)"], &[Some("a@x")]);
        assert_eq!(
            e.detail.as_deref(),
            Some("Key (lower(email))=(a@x) already exists.")
        );
    }
}
