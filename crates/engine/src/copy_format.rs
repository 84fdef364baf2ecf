//! COPY's text and CSV formats (PostgreSQL docs, COPY "File Formats"): options with their
//! checks, splitting a byte stream into records and records into fields, and writing rows.
//!
//! Text format: one row per line, fields separated by the delimiter (tab), `\N` for NULL,
//! backslash escapes (`\b \f \n \r \t \v`, octal `\NNN`, hex `\xHH`, any other character
//! itself); a line `\.` ends the data. CSV: fields separated by the delimiter (comma),
//! quoted with `"` when they contain the delimiter, a quote, CR or LF (quotes doubled, or
//! escaped with ESCAPE), NULL as an unquoted empty field (NULL option), optional HEADER.
//!
//! Entry points: [`CopyOptions::parse`], [`RecordSplitter`], [`split_fields`],
//! [`format_row`].

use tusk_types::{pg_err, Error, Result, SqlState};

/// COPY's data format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFormat {
    /// `text`.
    Text,
    /// `csv`.
    Csv,
    /// `binary`.
    Binary,
}

/// Parsed COPY options.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyOptions {
    /// FORMAT.
    pub format: CopyFormat,
    /// DELIMITER (one byte).
    pub delimiter: u8,
    /// NULL string.
    pub null: String,
    /// HEADER.
    pub header: bool,
    /// QUOTE (CSV).
    pub quote: u8,
    /// ESCAPE (CSV).
    pub escape: u8,
    /// FORCE_QUOTE columns (`*` = all).
    pub force_quote: Vec<String>,
    /// FORCE_NOT_NULL columns.
    pub force_not_null: Vec<String>,
    /// FORCE_NULL columns.
    pub force_null: Vec<String>,
    /// FREEZE.
    pub freeze: bool,
}

fn conflicting() -> Error {
    pg_err!(SYNTAX_ERROR, "conflicting or redundant options")
}

fn bool_option(name: &str, value: &Option<String>) -> Result<bool> {
    match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("true") | Some("on") | Some("1") => Ok(true),
        Some("false") | Some("off") | Some("0") => Ok(false),
        Some(_) => Err(pg_err!(SYNTAX_ERROR, "{} requires a Boolean value", name)),
    }
}

fn single_byte(value: &str, what: &str) -> Result<u8> {
    match value.as_bytes() {
        [b] => Ok(*b),
        _ => Err(Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!("COPY {what} must be a single one-byte character"),
        )),
    }
}

fn list(value: &Option<String>) -> Vec<String> {
    value
        .as_deref()
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default()
}

impl CopyOptions {
    /// Parses and checks the WITH options (PostgreSQL's `ProcessCopyOptions`).
    ///
    /// Errors: 22023 for an unknown format; 42601 for repeated options or an unknown
    /// option (`option "x" not recognized`); 0A000 for options that need CSV, or invalid
    /// delimiters/quotes, with PostgreSQL's messages.
    pub fn parse(options: &[(String, Option<String>)], is_from: bool) -> Result<CopyOptions> {
        let mut format = None;
        let mut delimiter = None;
        let mut null = None;
        let mut header = None;
        let mut quote = None;
        let mut escape = None;
        let mut force_quote = None;
        let mut force_not_null = None;
        let mut force_null = None;
        let mut freeze = None;
        for (name, value) in options {
            let text = value.clone().unwrap_or_default();
            match name.as_str() {
                "format" => {
                    if format.is_some() {
                        return Err(conflicting());
                    }
                    format = Some(match text.to_ascii_lowercase().as_str() {
                        "text" => CopyFormat::Text,
                        "csv" => CopyFormat::Csv,
                        "binary" => CopyFormat::Binary,
                        other => {
                            return Err(pg_err!(
                                INVALID_PARAMETER_VALUE,
                                "COPY format \"{}\" not recognized",
                                other
                            ))
                        }
                    });
                }
                "delimiter" if delimiter.is_none() => delimiter = Some(text),
                "null" if null.is_none() => null = Some(text),
                "header" if header.is_none() => {
                    header = Some(if text.eq_ignore_ascii_case("match") {
                        true
                    } else {
                        bool_option("header", value)?
                    })
                }
                "quote" if quote.is_none() => quote = Some(text),
                "escape" if escape.is_none() => escape = Some(text),
                "force_quote" if force_quote.is_none() => force_quote = Some(list(value)),
                "force_not_null" if force_not_null.is_none() => force_not_null = Some(list(value)),
                "force_null" if force_null.is_none() => force_null = Some(list(value)),
                "freeze" if freeze.is_none() => freeze = Some(bool_option("freeze", value)?),
                "encoding" => {
                    if !matches!(
                        text.to_ascii_uppercase().as_str(),
                        "UTF8" | "UTF-8" | "SQL_ASCII"
                    ) {
                        return Err(Error::new(
                            SqlState::FEATURE_NOT_SUPPORTED,
                            format!("COPY encoding \"{text}\" is not supported"),
                        ));
                    }
                }
                "delimiter" | "null" | "header" | "quote" | "escape" | "force_quote"
                | "force_not_null" | "force_null" | "freeze" => return Err(conflicting()),
                other => return Err(pg_err!(SYNTAX_ERROR, "option \"{}\" not recognized", other)),
            }
        }
        let format = format.unwrap_or(CopyFormat::Text);
        let csv = format == CopyFormat::Csv;
        if format == CopyFormat::Binary && (delimiter.is_some() || null.is_some()) {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "cannot specify {} in BINARY mode",
                if delimiter.is_some() {
                    "DELIMITER"
                } else {
                    "NULL"
                }
            ));
        }
        let needs_csv = |present: bool, what: &str| -> Result<()> {
            if present && !csv {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("COPY {what} available only in CSV mode"),
                ));
            }
            Ok(())
        };
        needs_csv(quote.is_some(), "quote")?;
        needs_csv(escape.is_some(), "escape")?;
        needs_csv(force_quote.is_some(), "force quote")?;
        needs_csv(force_not_null.is_some(), "force not null")?;
        needs_csv(force_null.is_some(), "force null")?;
        if force_quote.is_some() && is_from {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "COPY force quote only available using COPY TO",
            ));
        }
        if (force_not_null.is_some() || force_null.is_some()) && !is_from {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!(
                    "COPY force {} only available using COPY FROM",
                    if force_not_null.is_some() {
                        "not null"
                    } else {
                        "null"
                    }
                ),
            ));
        }
        let delimiter = match delimiter {
            Some(d) => single_byte(&d, "delimiter")?,
            None if csv => b',',
            None => b'\t',
        };
        if delimiter == b'\r' || delimiter == b'\n' {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "COPY delimiter cannot be newline or carriage return"
            ));
        }
        let null = null.unwrap_or_else(|| if csv { String::new() } else { "\\N".into() });
        if null.contains('\r') || null.contains('\n') {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "COPY null representation cannot use newline or carriage return"
            ));
        }
        let quote = match quote {
            Some(q) => single_byte(&q, "quote")?,
            None => b'"',
        };
        let escape = match escape {
            Some(e) => single_byte(&e, "escape")?,
            None => quote,
        };
        if csv && delimiter == quote {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "COPY delimiter and quote must be different"
            ));
        }
        if !csv && (delimiter == b'\\' || delimiter.is_ascii_alphanumeric()) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "COPY delimiter cannot be \"{}\"",
                delimiter as char
            ));
        }
        Ok(CopyOptions {
            format,
            delimiter,
            null,
            header: header.unwrap_or(false),
            quote,
            escape,
            force_quote: force_quote.unwrap_or_default(),
            force_not_null: force_not_null.unwrap_or_default(),
            force_null: force_null.unwrap_or_default(),
            freeze: freeze.unwrap_or(false),
        })
    }
}

/// Splits incoming COPY data into records (lines, or CSV records that may span lines).
#[derive(Debug, Default)]
pub struct RecordSplitter {
    buffer: Vec<u8>,
    /// Scan position in `buffer` and CSV quote state there.
    scanned: usize,
    in_quotes: bool,
}

impl RecordSplitter {
    /// Appends received bytes.
    pub fn push(&mut self, data: &[u8]) {
        self.buffer.extend_from_slice(data);
    }

    /// The next complete record without its line ending, if one is buffered.
    pub fn next_record(&mut self, options: &CopyOptions) -> Option<Vec<u8>> {
        let csv = options.format == CopyFormat::Csv;
        let mut i = self.scanned;
        while i < self.buffer.len() {
            let b = self.buffer[i];
            if csv {
                if self.in_quotes {
                    if b == options.escape
                        && options.escape != options.quote
                        && self.buffer.get(i + 1) == Some(&options.quote)
                    {
                        i += 2;
                        continue;
                    }
                    if b == options.quote {
                        self.in_quotes = false;
                    }
                    i += 1;
                    continue;
                }
                if b == options.quote {
                    self.in_quotes = true;
                    i += 1;
                    continue;
                }
            } else if b == b'\\' {
                // An escaped character (even a newline) belongs to the field.
                i += 2;
                continue;
            }
            if b == b'\n' {
                let mut record: Vec<u8> = self.buffer.drain(..=i).collect();
                record.pop();
                if record.last() == Some(&b'\r') {
                    record.pop();
                }
                self.scanned = 0;
                return Some(record);
            }
            i += 1;
        }
        self.scanned = i.min(self.buffer.len());
        None
    }

    /// What is left at the end of the data: a last record without a newline.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        if self.buffer.is_empty() {
            return None;
        }
        let mut record = std::mem::take(&mut self.buffer);
        if record.last() == Some(&b'\r') {
            record.pop();
        }
        self.scanned = 0;
        Some(record)
    }
}

fn text_unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b != b'\\' || i + 1 >= raw.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let c = raw[i + 1];
        i += 2;
        match c {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' if raw.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let mut v = 0u32;
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(d) if d.is_ascii_hexdigit() => {
                            v = v * 16 + (*d as char).to_digit(16).expect("hex digit");
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
    out
}

/// A record's fields: `None` for NULL. `Err` is 22021 for invalid UTF-8.
///
/// Errors: 22P04 `unterminated CSV quoted field`; 22021 invalid byte sequence.
pub fn split_fields(record: &[u8], options: &CopyOptions) -> Result<Vec<Option<String>>> {
    let mut fields: Vec<(Vec<u8>, bool, bool)> = Vec::new(); // (bytes, quoted, raw_matches_null)
    if options.format == CopyFormat::Csv {
        let mut field = Vec::new();
        let mut quoted = false;
        let mut in_quotes = false;
        let mut i = 0;
        loop {
            if i >= record.len() {
                if in_quotes {
                    return Err(pg_err!(
                        BAD_COPY_FILE_FORMAT,
                        "unterminated CSV quoted field"
                    ));
                }
                let is_null = !quoted && field == options.null.as_bytes();
                fields.push((std::mem::take(&mut field), quoted, is_null));
                break;
            }
            let b = record[i];
            if in_quotes {
                if b == options.escape && record.get(i + 1) == Some(&options.quote) {
                    field.push(options.quote);
                    i += 2;
                    continue;
                }
                if b == options.quote {
                    in_quotes = false;
                    i += 1;
                    continue;
                }
                field.push(b);
                i += 1;
                continue;
            }
            if b == options.quote {
                in_quotes = true;
                quoted = true;
                i += 1;
                continue;
            }
            if b == options.delimiter {
                let is_null = !quoted && field == options.null.as_bytes();
                fields.push((std::mem::take(&mut field), quoted, is_null));
                quoted = false;
                i += 1;
                continue;
            }
            field.push(b);
            i += 1;
        }
    } else {
        let mut start = 0;
        let mut i = 0;
        while i <= record.len() {
            if i == record.len() || record[i] == options.delimiter {
                let raw = &record[start..i];
                let is_null = raw == options.null.as_bytes();
                fields.push((text_unescape(raw), false, is_null));
                start = i + 1;
                i += 1;
                continue;
            }
            if record[i] == b'\\' {
                i += 2;
                continue;
            }
            i += 1;
        }
        if start < record.len() && fields.is_empty() {
            fields.push((text_unescape(&record[start..]), false, false));
        }
    }
    fields
        .into_iter()
        .map(|(bytes, _, is_null)| {
            if is_null {
                return Ok(None);
            }
            String::from_utf8(bytes).map(Some).map_err(|e| {
                let bad = e.as_bytes()[e.utf8_error().valid_up_to()];
                pg_err!(
                    CHARACTER_NOT_IN_REPERTOIRE,
                    "invalid byte sequence for encoding \"UTF8\": 0x{:02x}",
                    bad
                )
            })
        })
        .collect()
}

/// Appends one row in `options`' format, with its newline. `force_quote[i]` quotes column
/// `i` in CSV whatever its value.
pub fn format_row(
    out: &mut Vec<u8>,
    values: &[Option<String>],
    force_quote: &[bool],
    options: &CopyOptions,
) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(options.delimiter);
        }
        match v {
            None => out.extend_from_slice(options.null.as_bytes()),
            Some(text) if options.format == CopyFormat::Csv => {
                let bytes = text.as_bytes();
                let needs = force_quote.get(i).copied().unwrap_or(false)
                    || text == &options.null
                    || bytes.iter().any(|&b| {
                        b == options.delimiter || b == options.quote || b == b'\n' || b == b'\r'
                    })
                    || (i == 0 && values.len() == 1 && text == "\\.");
                if needs {
                    out.push(options.quote);
                    for &b in bytes {
                        if b == options.quote || b == options.escape {
                            out.push(options.escape);
                        }
                        out.push(b);
                    }
                    out.push(options.quote);
                } else {
                    out.extend_from_slice(bytes);
                }
            }
            Some(text) => {
                for &b in text.as_bytes() {
                    match b {
                        b'\\' => out.extend_from_slice(b"\\\\"),
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        b'\t' => out.extend_from_slice(b"\\t"),
                        8 => out.extend_from_slice(b"\\b"),
                        12 => out.extend_from_slice(b"\\f"),
                        11 => out.extend_from_slice(b"\\v"),
                        d if d == options.delimiter => {
                            out.push(b'\\');
                            out.push(d);
                        }
                        other => out.push(other),
                    }
                }
            }
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(o: &[(&str, Option<&str>)]) -> CopyOptions {
        let o: Vec<(String, Option<String>)> = o
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect();
        CopyOptions::parse(&o, true).expect("valid options")
    }

    #[test]
    fn text_records_fields_and_escapes() {
        let o = opts(&[]);
        let mut s = RecordSplitter::default();
        s.push(b"1\tab\\tc\t\\N\n2\tx\\\ny");
        assert_eq!(s.next_record(&o), Some(b"1\tab\\tc\t\\N".to_vec()));
        assert_eq!(s.next_record(&o), None);
        s.push(b"\t\\101\n");
        let r = s.next_record(&o).expect("second record");
        assert_eq!(
            split_fields(&r, &o).expect("fields"),
            vec![Some("2".into()), Some("x\ny".into()), Some("A".into())]
        );
        assert_eq!(
            split_fields(b"1\tab\\tc\t\\N", &o).expect("fields"),
            vec![Some("1".into()), Some("ab\tc".into()), None]
        );
        let mut out = Vec::new();
        format_row(&mut out, &[Some("a\tb\\".into()), None], &[], &o);
        assert_eq!(out, b"a\\tb\\\\\t\\N\n");
    }

    #[test]
    fn csv_quotes_span_lines_and_nulls() {
        let o = opts(&[("format", Some("csv"))]);
        let mut s = RecordSplitter::default();
        s.push(b"1,\"a,\"\"b\nc\",,\"\"\r\n");
        let r = s.next_record(&o).expect("record");
        assert_eq!(
            split_fields(&r, &o).expect("fields"),
            vec![
                Some("1".into()),
                Some("a,\"b\nc".into()),
                None,
                Some(String::new())
            ]
        );
        let mut out = Vec::new();
        format_row(
            &mut out,
            &[Some("x,y".into()), Some(String::new()), None],
            &[],
            &o,
        );
        assert_eq!(out, b"\"x,y\",\"\",\n");
        assert!(split_fields(b"\"open", &o).is_err());
    }

    #[test]
    fn option_errors_are_postgres_messages() {
        let bad = |o: &[(&str, Option<&str>)]| {
            let o: Vec<(String, Option<String>)> = o
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect();
            CopyOptions::parse(&o, true).expect_err("invalid").message
        };
        assert_eq!(
            bad(&[("format", Some("xml"))]),
            "COPY format \"xml\" not recognized"
        );
        assert_eq!(
            bad(&[("quote", Some("'"))]),
            "COPY quote available only in CSV mode"
        );
        assert_eq!(
            bad(&[("delimiter", Some("ab"))]),
            "COPY delimiter must be a single one-byte character"
        );
        assert_eq!(bad(&[("bogus", None)]), "option \"bogus\" not recognized");
    }
}
