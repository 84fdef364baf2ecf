//! The `postgresql.conf` reader: PostgreSQL's configuration-file syntax (docs §20.1.2) and
//! its `include`, `include_if_exists` and `include_dir` directives.
//!
//! One setting per line: `name = value` or `name value`; `#` starts a comment. A value is
//! an identifier, a number (with optional unit letters), an unquoted string of letters,
//! digits and `-._:/`, or a single-quoted string where `''` and backslash escapes
//! (`\n`, `\t`, `\b`, `\f`, `\r`, octal `\ooo`, any other `\c` → `c`) are recognised.
//! Included paths are relative to the including file's directory; `include_dir` reads the
//! directory's `*.conf` files (not starting with `.`) in name order. Nesting is limited to
//! 10 levels. Entries come out in file order, so later settings win.
//!
//! Entry point: [`parse_config_file`]. Errors are collected as PostgreSQL's log messages;
//! any error means the caller must apply nothing.

use std::path::{Path, PathBuf};

/// One `name = value` line.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigItem {
    /// Parameter name as written.
    pub name: String,
    /// Value with quotes and escapes removed.
    pub value: String,
    /// Absolute path of the file it came from.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: u32,
}

/// The result of reading a configuration file and everything it includes.
#[derive(Debug, Default)]
pub struct ParsedConfig {
    /// Settings in the order they were read.
    pub items: Vec<ConfigItem>,
    /// Error messages in PostgreSQL's wording (`syntax error in file "..." line N, ...`).
    pub errors: Vec<String>,
    /// Informational messages (`skipping missing configuration file "..."`).
    pub notices: Vec<String>,
    /// The first file that had an error.
    pub file_with_error: Option<PathBuf>,
}

const MAX_DEPTH: u32 = 10;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Token {
    Eol,
    Eof,
    Id,
    QualifiedId,
    String,
    UnquotedString,
    Integer,
    Real,
    Equals,
    Error,
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: u32,
    text: &'a str,
    text_start: usize,
    text_end: usize,
}

fn is_letter(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_letter_or_digit(b: u8) -> bool {
    is_letter(b) || b.is_ascii_digit()
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            src: text.as_bytes(),
            pos: 0,
            line: 1,
            text,
            text_start: 0,
            text_end: 0,
        }
    }

    fn token_text(&self) -> &'a str {
        &self.text[self.text_start..self.text_end]
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.src.get(i).copied()
    }

    /// Length of an `{ID}` match at `i`.
    fn id_len(&self, i: usize) -> usize {
        match self.at(i) {
            Some(b) if is_letter(b) => {
                let mut j = i + 1;
                while self.at(j).is_some_and(is_letter_or_digit) {
                    j += 1;
                }
                j - i
            }
            _ => 0,
        }
    }

    fn qualified_id_len(&self, i: usize) -> usize {
        let first = self.id_len(i);
        if first == 0 || self.at(i + first) != Some(b'.') {
            return 0;
        }
        let second = self.id_len(i + first + 1);
        if second == 0 {
            0
        } else {
            first + 1 + second
        }
    }

    fn unquoted_string_len(&self, i: usize) -> usize {
        match self.at(i) {
            Some(b) if is_letter(b) => {
                let mut j = i + 1;
                while self
                    .at(j)
                    .is_some_and(|b| is_letter_or_digit(b) || b"-._:/".contains(&b))
                {
                    j += 1;
                }
                j - i
            }
            _ => 0,
        }
    }

    fn string_len(&self, i: usize) -> usize {
        if self.at(i) != Some(b'\'') {
            return 0;
        }
        let mut j = i + 1;
        loop {
            match self.at(j) {
                None | Some(b'\n') => return 0,
                Some(b'\\') => {
                    if self.at(j + 1).is_none() {
                        return 0;
                    }
                    j += 2;
                }
                Some(b'\'') => {
                    if self.at(j + 1) == Some(b'\'') {
                        j += 2;
                    } else {
                        return j + 1 - i;
                    }
                }
                Some(_) => j += 1,
            }
        }
    }

    fn digits(&self, mut j: usize) -> usize {
        while self.at(j).is_some_and(|b| b.is_ascii_digit()) {
            j += 1;
        }
        j
    }

    fn integer_len(&self, i: usize) -> usize {
        let mut j = i;
        if matches!(self.at(j), Some(b'-') | Some(b'+')) {
            j += 1;
        }
        let body_start = j;
        if self.at(j) == Some(b'0')
            && matches!(self.at(j + 1), Some(b'x'))
            && self.at(j + 2).is_some_and(|b| b.is_ascii_hexdigit())
        {
            j += 2;
            while self.at(j).is_some_and(|b| b.is_ascii_hexdigit()) {
                j += 1;
            }
        } else {
            j = self.digits(j);
            if j == body_start {
                return 0;
            }
        }
        while self.at(j).is_some_and(|b| b.is_ascii_alphabetic()) {
            j += 1;
        }
        j - i
    }

    fn real_len(&self, i: usize) -> usize {
        let mut j = i;
        if matches!(self.at(j), Some(b'-') | Some(b'+')) {
            j += 1;
        }
        j = self.digits(j);
        if self.at(j) != Some(b'.') {
            return 0;
        }
        j = self.digits(j + 1);
        if matches!(self.at(j), Some(b'e') | Some(b'E')) {
            let mut k = j + 1;
            if matches!(self.at(k), Some(b'-') | Some(b'+')) {
                k += 1;
            }
            let end = self.digits(k);
            if end > k {
                j = end;
            }
        }
        j - i
    }

    fn next(&mut self) -> Token {
        loop {
            match self.at(self.pos) {
                Some(b' ') | Some(b'\t') | Some(b'\r') => self.pos += 1,
                Some(b'#') => {
                    while self.at(self.pos).is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        self.text_start = self.pos;
        let Some(b) = self.at(self.pos) else {
            self.text_end = self.pos;
            return Token::Eof;
        };
        if b == b'\n' {
            self.pos += 1;
            self.line += 1;
            self.text_end = self.pos;
            return Token::Eol;
        }
        // Longest match wins; on a tie the earlier rule (in this order) wins, as in flex.
        let candidates = [
            (Token::Id, self.id_len(self.pos)),
            (Token::QualifiedId, self.qualified_id_len(self.pos)),
            (Token::String, self.string_len(self.pos)),
            (Token::UnquotedString, self.unquoted_string_len(self.pos)),
            (Token::Integer, self.integer_len(self.pos)),
            (Token::Real, self.real_len(self.pos)),
            (Token::Equals, usize::from(b == b'=')),
        ];
        let mut best = (Token::Error, 0);
        for (token, len) in candidates {
            if len > best.1 {
                best = (token, len);
            }
        }
        if best.1 == 0 {
            let ch_len = self.text[self.pos..]
                .chars()
                .next()
                .map(char::len_utf8)
                .unwrap_or(1);
            best = (Token::Error, ch_len);
        }
        self.pos += best.1;
        self.text_end = self.pos;
        best.0
    }
}

/// Removes the quotes of a `'...'` token and processes its escapes.
fn deescape_quoted(token: &str) -> String {
    let inner = &token[1..token.len() - 1];
    let bytes = inner.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() => {
                let c = bytes[i + 1];
                i += 2;
                match c {
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'0'..=b'7' => {
                        let mut value = u32::from(c - b'0');
                        let mut n = 1;
                        while n < 3 && i < bytes.len() && (b'0'..=b'7').contains(&bytes[i]) {
                            value = value * 8 + u32::from(bytes[i] - b'0');
                            i += 1;
                            n += 1;
                        }
                        out.push(value as u8);
                    }
                    other => out.push(other),
                }
            }
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => {
                out.push(b'\'');
                i += 2;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Makes `path` absolute, relative to the directory of `calling_file` when given.
pub fn absolute_config_location(path: &str, calling_file: Option<&Path>) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    match calling_file.and_then(Path::parent) {
        Some(dir) => dir.join(p),
        None => std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf()),
    }
}

fn io_message(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Reads `path` (absolute) and its includes, appending to `out`. `strict`: a missing
/// file is an error (otherwise a notice). Returns false on any error.
pub fn parse_config_file(path: &Path, strict: bool, out: &mut ParsedConfig) -> bool {
    parse_file(path, strict, None, 0, out)
}

fn record_error(out: &mut ParsedConfig, file: &Path, message: String) {
    out.errors.push(message);
    if out.file_with_error.is_none() {
        out.file_with_error = Some(file.to_path_buf());
    }
}

fn parse_file(
    path: &Path,
    strict: bool,
    calling_file: Option<&Path>,
    depth: u32,
    out: &mut ParsedConfig,
) -> bool {
    let shown = path.display().to_string();
    if depth > MAX_DEPTH || calling_file == Some(path) {
        record_error(
            out,
            calling_file.unwrap_or(path),
            format!(
                "could not open configuration file \"{shown}\": maximum nesting depth exceeded"
            ),
        );
        return false;
    }
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) => {
            if strict {
                record_error(
                    out,
                    calling_file.unwrap_or(path),
                    format!(
                        "could not open configuration file \"{shown}\": {}",
                        io_message(&err)
                    ),
                );
                return false;
            }
            out.notices
                .push(format!("skipping missing configuration file \"{shown}\""));
            return true;
        }
    };
    parse_text(&text, path, depth, out)
}

fn parse_directory(dir: &str, calling_file: &Path, depth: u32, out: &mut ParsedConfig) -> bool {
    let path = absolute_config_location(dir, Some(calling_file));
    let shown = path.display().to_string();
    let entries = match std::fs::read_dir(&path) {
        Ok(entries) => entries,
        Err(err) => {
            record_error(
                out,
                calling_file,
                format!(
                    "could not open configuration directory \"{shown}\": {}",
                    io_message(&err)
                ),
            );
            return false;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && name.ends_with(".conf") && e.path().is_file()
        })
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut ok = true;
    for file in files {
        ok &= parse_file(&file, true, Some(calling_file), depth + 1, out);
    }
    ok
}

fn parse_text(text: &str, file: &Path, depth: u32, out: &mut ParsedConfig) -> bool {
    let shown = file.display().to_string();
    let mut lexer = Lexer::new(text);
    let mut ok = true;
    let mut error_count = 0;
    loop {
        let mut token = lexer.next();
        if token == Token::Eof {
            break;
        }
        if token == Token::Eol {
            continue;
        }
        let parsed: Result<(String, String), Token> = (|| {
            if token != Token::Id && token != Token::QualifiedId {
                return Err(token);
            }
            let name = lexer.token_text().to_string();
            token = lexer.next();
            if token == Token::Equals {
                token = lexer.next();
            }
            let value = match token {
                Token::String => deescape_quoted(lexer.token_text()),
                Token::Id | Token::Integer | Token::Real | Token::UnquotedString => {
                    lexer.token_text().to_string()
                }
                other => return Err(other),
            };
            token = lexer.next();
            if token != Token::Eol && token != Token::Eof {
                return Err(token);
            }
            Ok((name, value))
        })();
        match parsed {
            Ok((name, value)) => {
                // After a newline the lexer's line is one past this setting's line.
                let line = if token == Token::Eol {
                    lexer.line - 1
                } else {
                    lexer.line
                };
                let lower = name.to_ascii_lowercase();
                if lower == "include_dir" {
                    ok &= parse_directory(&value, file, depth, out);
                } else if lower == "include_if_exists" || lower == "include" {
                    let target = absolute_config_location(&value, Some(file));
                    ok &= parse_file(&target, lower == "include", Some(file), depth + 1, out);
                } else {
                    out.items.push(ConfigItem {
                        name,
                        value,
                        file: file.to_path_buf(),
                        line,
                    });
                }
                if token == Token::Eof {
                    break;
                }
            }
            Err(bad) => {
                if bad == Token::Eol || bad == Token::Eof {
                    let line = if bad == Token::Eol {
                        lexer.line - 1
                    } else {
                        lexer.line
                    };
                    record_error(
                        out,
                        file,
                        format!("syntax error in file \"{shown}\" line {line}, near end of line"),
                    );
                } else {
                    record_error(
                        out,
                        file,
                        format!(
                            "syntax error in file \"{shown}\" line {}, near token \"{}\"",
                            lexer.line,
                            lexer.token_text()
                        ),
                    );
                }
                ok = false;
                error_count += 1;
                if error_count >= 100 {
                    out.errors.push(format!(
                        "too many syntax errors found, abandoning file \"{shown}\""
                    ));
                    break;
                }
                let mut t = bad;
                while t != Token::Eol && t != Token::Eof {
                    t = lexer.next();
                }
                if t == Token::Eof {
                    break;
                }
            }
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guc::server::tests::TempDir;

    fn parse_str(text: &str) -> ParsedConfig {
        let mut out = ParsedConfig::default();
        parse_text(text, Path::new("/conf/postgresql.conf"), 0, &mut out);
        out
    }

    fn pairs(parsed: &ParsedConfig) -> Vec<(String, String, u32)> {
        parsed
            .items
            .iter()
            .map(|i| (i.name.clone(), i.value.clone(), i.line))
            .collect()
    }

    #[test]
    fn settings_with_and_without_equals_and_comments() {
        let parsed = parse_str(
            "# comment\n\nwork_mem = 4MB # trailing\nshared_buffers 128MB\n\
             search_path = '\"$user\", public'\nlisten_addresses='*'\n\
             log_line_prefix = '%m [%p] it''s\\n'\nmyapp.flag = on\n\
             seq_page_cost = 1.5\nlog_directory = pg_log/sub\nport = 0x10\nlast = -5",
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(
            pairs(&parsed),
            vec![
                ("work_mem".into(), "4MB".into(), 3),
                ("shared_buffers".into(), "128MB".into(), 4),
                ("search_path".into(), "\"$user\", public".into(), 5),
                ("listen_addresses".into(), "*".into(), 6),
                ("log_line_prefix".into(), "%m [%p] it's\n".into(), 7),
                ("myapp.flag".into(), "on".into(), 8),
                ("seq_page_cost".into(), "1.5".into(), 9),
                ("log_directory".into(), "pg_log/sub".into(), 10),
                ("port".into(), "0x10".into(), 11),
                ("last".into(), "-5".into(), 12),
            ]
        );
    }

    #[test]
    fn syntax_errors_name_the_token_and_line() {
        let parsed = parse_str("work_mem = 4MB\nshared_buffers = = 1\nport\nok = 1\n");
        assert_eq!(
            parsed.errors,
            vec![
                "syntax error in file \"/conf/postgresql.conf\" line 2, near token \"=\"",
                "syntax error in file \"/conf/postgresql.conf\" line 3, near end of line",
            ]
        );
        assert_eq!(parsed.items.len(), 2);
        let parsed = parse_str("x = /tmp/sock\n");
        assert_eq!(
            parsed.errors,
            vec!["syntax error in file \"/conf/postgresql.conf\" line 1, near token \"/\""]
        );
        let parsed = parse_str("x = 'unterminated\n");
        assert_eq!(
            parsed.errors,
            vec!["syntax error in file \"/conf/postgresql.conf\" line 1, near token \"'\""]
        );
    }

    #[test]
    fn includes_are_relative_to_the_including_file() {
        let dir = TempDir::new();
        let main = dir.0.join("postgresql.conf");
        std::fs::create_dir(dir.0.join("conf.d")).expect("mkdir");
        std::fs::write(
            &main,
            "work_mem = 1MB\ninclude 'extra.conf'\ninclude_if_exists 'missing.conf'\n\
             include_dir 'conf.d'\nport = 6000\n",
        )
        .expect("write");
        std::fs::write(dir.0.join("extra.conf"), "work_mem = 2MB\n").expect("write");
        std::fs::write(dir.0.join("conf.d/b.conf"), "port = 5001\n").expect("write");
        std::fs::write(dir.0.join("conf.d/a.conf"), "port = 5000\n").expect("write");
        std::fs::write(dir.0.join("conf.d/.hidden.conf"), "port = 1\n").expect("write");
        std::fs::write(dir.0.join("conf.d/c.txt"), "port = 2\n").expect("write");
        let mut out = ParsedConfig::default();
        assert!(parse_config_file(&main, true, &mut out), "{:?}", out.errors);
        let values: Vec<(&str, &str)> = out
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.value.as_str()))
            .collect();
        assert_eq!(
            values,
            vec![
                ("work_mem", "1MB"),
                ("work_mem", "2MB"),
                ("port", "5000"),
                ("port", "5001"),
                ("port", "6000")
            ]
        );
        assert_eq!(out.items[1].file, dir.0.join("extra.conf"));
        assert_eq!(out.notices.len(), 1);
        assert!(out.notices[0].starts_with("skipping missing configuration file"));
    }

    #[test]
    fn missing_include_and_recursion_are_errors() {
        let dir = TempDir::new();
        let main = dir.0.join("postgresql.conf");
        std::fs::write(&main, "include 'nope.conf'\n").expect("write");
        let mut out = ParsedConfig::default();
        assert!(!parse_config_file(&main, true, &mut out));
        assert!(out.errors[0].starts_with(&format!(
            "could not open configuration file \"{}\": ",
            dir.0.join("nope.conf").display()
        )));
        std::fs::write(&main, "include 'postgresql.conf'\n").expect("write");
        let mut out = ParsedConfig::default();
        assert!(!parse_config_file(&main, true, &mut out));
        assert!(out.errors[0].ends_with("maximum nesting depth exceeded"));
    }
}
