//! Composite values (`record` and named row types): the value model, and the text form
//! of PostgreSQL's `record_out`/`record_in`.
//!
//! A [`Record`] carries its descriptor ([`RecordDesc`]: the row type's OID, and each
//! field's name, type and typmod) beside its field values, so a record can be printed,
//! sent, compared or turned into JSON without a catalog. Descriptors are shared (`Arc`)
//! between the records an expression builds, one per row.
//!
//! Text form (PostgreSQL's `record_out`): `(f1,f2,...)`; a NULL field is empty; a field
//! is double-quoted when it is empty or contains `"`, `\`, `(`, `)`, `,` or white space,
//! and inside quotes `"` and `\` are doubled. [`split_record_text`] reads the form back
//! into per-field strings (`None` for NULL) with `record_in`'s errors.
//!
//! Entry points: [`Record`], [`RecordDesc`], [`record_text`], [`split_record_text`].

use std::sync::Arc;

use crate::{pg_err, Datum, Oid, Result};

/// One field of a row type: `pg_attribute`'s name, type and typmod.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordField {
    /// Field name (`f1`, `f2`, ... for an anonymous `ROW(...)`).
    pub name: String,
    /// Field type.
    pub type_oid: Oid,
    /// Field typmod (-1 if none).
    pub typmod: i32,
}

/// The shape of a record: its row type and fields.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordDesc {
    /// The row type: a table's or composite type's `pg_type` OID, or `record` (2249).
    pub type_oid: Oid,
    /// Fields in order.
    pub fields: Vec<RecordField>,
}

/// A composite value: one value per field of its descriptor (NULL fields are
/// [`Datum::Null`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The descriptor, shared between records of one shape.
    pub desc: Arc<RecordDesc>,
    /// Field values, as many as `desc.fields`.
    pub values: Vec<Datum>,
}

impl Record {
    /// A record of `desc` with `values` (one per field).
    pub fn new(desc: Arc<RecordDesc>, values: Vec<Datum>) -> Record {
        debug_assert_eq!(desc.fields.len(), values.len(), "one value per field");
        Record { desc, values }
    }
}

/// Whether `record_out` quotes a field's text.
fn needs_quotes(text: &str) -> bool {
    text.is_empty()
        || text
            .bytes()
            .any(|b| matches!(b, b'"' | b'\\' | b'(' | b')' | b',') || super::is_pg_space(b))
}

/// `record_out`: the text form from each field's text (`None` for NULL).
pub fn record_text<'a>(fields: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut out = String::from("(");
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let Some(text) = field else { continue };
        if !needs_quotes(text) {
            out.push_str(text);
            continue;
        }
        out.push('"');
        for c in text.chars() {
            if c == '"' || c == '\\' {
                out.push(c);
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push(')');
    out
}

/// `record_in`'s reading of the text form: each field's text (`None` for an empty,
/// unquoted field, which is NULL), expecting `nfields` fields.
///
/// Errors: 22P02 `malformed record literal: "..."` with PostgreSQL's details (`Missing
/// left parenthesis.`, `Too few columns.`, `Too many columns.`, `Unexpected end of
/// input.`, `Junk after right parenthesis.`).
pub fn split_record_text(text: &str, nfields: usize) -> Result<Vec<Option<String>>> {
    let malformed = |detail: &str| {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "malformed record literal: \"{}\"",
            text
        )
        .detail(detail.to_string())
    };
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii() && super::is_pg_space(bytes[i] as u8) {
        i += 1;
    }
    if bytes.get(i) != Some(&'(') {
        return Err(malformed("Missing left parenthesis."));
    }
    i += 1;
    let mut fields = Vec::with_capacity(nfields);
    let mut need_comma = false;
    for _ in 0..nfields {
        if need_comma {
            if bytes.get(i) == Some(&',') {
                i += 1;
            } else {
                return Err(malformed("Too few columns."));
            }
        }
        if matches!(bytes.get(i), Some(',') | Some(')')) {
            fields.push(None);
        } else {
            let mut value = String::new();
            let mut in_quote = false;
            loop {
                let Some(&c) = bytes.get(i) else {
                    return Err(malformed("Unexpected end of input."));
                };
                i += 1;
                if c == '\\' {
                    match bytes.get(i) {
                        Some(&n) => {
                            value.push(n);
                            i += 1;
                        }
                        None => return Err(malformed("Unexpected end of input.")),
                    }
                } else if c == '"' {
                    if !in_quote {
                        in_quote = true;
                    } else if bytes.get(i) == Some(&'"') {
                        value.push('"');
                        i += 1;
                    } else {
                        in_quote = false;
                    }
                } else if !in_quote && (c == ',' || c == ')') {
                    i -= 1;
                    break;
                } else {
                    value.push(c);
                }
            }
            fields.push(Some(value));
        }
        need_comma = true;
    }
    if bytes.get(i) != Some(&')') {
        return Err(malformed("Too many columns."));
    }
    i += 1;
    while i < bytes.len() && bytes[i].is_ascii() && super::is_pg_space(bytes[i] as u8) {
        i += 1;
    }
    if i < bytes.len() {
        return Err(malformed("Junk after right parenthesis."));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_text_quotes_like_record_out() {
        assert_eq!(record_text([Some("1"), Some("a")]), "(1,a)");
        assert_eq!(record_text([Some("1"), None]), "(1,)");
        assert_eq!(record_text([None, None]), "(,)");
        assert_eq!(record_text([Some("")]), "(\"\")");
        assert_eq!(record_text([Some("a b")]), "(\"a b\")");
        assert_eq!(record_text([Some("(1,2)")]), "(\"(1,2)\")");
        assert_eq!(record_text([Some("a\"b\\c")]), "(\"a\"\"b\\\\c\")");
        assert_eq!(record_text(std::iter::empty()), "()");
    }

    #[test]
    fn split_record_text_reads_quotes_escapes_and_nulls() {
        assert_eq!(
            split_record_text(" (1, \"a\"\"b\" ,,\\x) ", 4).expect("valid"),
            vec![
                Some("1".into()),
                Some(" a\"b ".into()),
                None,
                Some("x".into())
            ]
        );
        assert_eq!(
            split_record_text("(\"\")", 1).expect("valid"),
            vec![Some(String::new())]
        );
    }

    #[test]
    fn split_record_text_reports_record_in_errors() {
        let detail = |t: &str, n: usize| {
            split_record_text(t, n)
                .expect_err("malformed")
                .detail
                .expect("detail")
        };
        assert_eq!(detail("1,2", 2), "Missing left parenthesis.");
        assert_eq!(detail("(1)", 2), "Too few columns.");
        assert_eq!(detail("(1,2,3)", 2), "Too many columns.");
        assert_eq!(detail("(1,\"2", 2), "Unexpected end of input.");
        assert_eq!(detail("(1,2) x", 2), "Junk after right parenthesis.");
        let e = split_record_text("x", 1).expect_err("malformed");
        assert_eq!(e.message, "malformed record literal: \"x\"");
    }
}
