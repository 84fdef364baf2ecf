//! The lexer of the SQL/JSON path language, after PostgreSQL's `jsonpath_scan.l`.
//!
//! Rules kept from PostgreSQL: punctuation is a fixed set of special characters; any run
//! of other characters is an identifier (a keyword when it matches one, ignoring case);
//! numbers are taken longest-first against the identifier and "trailing junk" forms
//! (`1a`, `00`, `1.e` are errors, `1..e` is `1.` then `.e`); `$name` and `$"name"` are
//! variables; strings and identifiers share JSON-like escapes plus `\xHH`, `\u{H..}` and
//! `\v`, any other escaped character standing for itself; `/* ... */` is a comment.
//!
//! Errors are 42601 `<message> at or near "<text>" of jsonpath input` (or `at end of
//! jsonpath input`), as `jsonpath_yyerror` words them.

use crate::{pg_err, Error, Result, SqlState};

/// A token and the text an error near it quotes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub kind: Tok,
    /// What `at or near "..."` shows (None: at end of input).
    pub near: Option<String>,
}

/// Token kinds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// A special character: `? % $ . [ ] { } ( ) , * : - + / @ < > = ! | & #`.
    Punct(char),
    /// `&&`, `||`, `==`, `!=`/`<>`, `<=`, `>=`, `**`.
    Op(&'static str),
    /// A quoted string.
    String(String),
    /// An unquoted identifier that is no keyword.
    Ident(String),
    /// A keyword (lower case) and its spelling.
    Keyword(&'static str, String),
    /// `$name` / `$"name"`.
    Variable(String),
    /// An integer literal.
    Int(String),
    /// A decimal or exponent literal.
    Numeric(String),
    /// End of input.
    End,
}

const KEYWORDS: &[&str] = &[
    "abs",
    "ceiling",
    "datetime",
    "double",
    "exists",
    "false",
    "flag",
    "floor",
    "is",
    "keyvalue",
    "last",
    "lax",
    "like_regex",
    "null",
    "size",
    "starts",
    "strict",
    "to",
    "true",
    "type",
    "unknown",
    "with",
];

fn is_special(c: char) -> bool {
    matches!(
        c,
        '?' | '%'
            | '$'
            | '.'
            | '['
            | ']'
            | '{'
            | '}'
            | '('
            | ')'
            | '|'
            | '&'
            | '!'
            | '='
            | '<'
            | '>'
            | '@'
            | '#'
            | ','
            | '*'
            | ':'
            | '-'
            | '+'
            | '/'
            | '\\'
            | '"'
    ) || is_blank(c)
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

fn is_other(c: char) -> bool {
    !is_special(c)
}

/// 42601 `<message> at or near "<near>" of jsonpath input`.
pub(super) fn syntax_error(message: &str, near: Option<&str>) -> Error {
    match near {
        Some(n) => pg_err!(
            SYNTAX_ERROR,
            "{} at or near \"{}\" of jsonpath input",
            message,
            n
        ),
        None => pg_err!(SYNTAX_ERROR, "{} at end of jsonpath input", message),
    }
}

/// Splits `text` into tokens, ending with [`Tok::End`].
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut s = Scanner { chars, pos: 0 };
    let mut out = Vec::new();
    loop {
        let t = s.next_token()?;
        let end = t.kind == Tok::End;
        out.push(t);
        if end {
            return Ok(out);
        }
    }
}

struct Scanner {
    chars: Vec<char>,
    pos: usize,
}

impl Scanner {
    fn peek(&self, at: usize) -> Option<char> {
        self.chars.get(self.pos + at).copied()
    }

    fn slice(&self, from: usize, to: usize) -> String {
        self.chars[from..to].iter().collect()
    }

    fn next_token(&mut self) -> Result<Token> {
        loop {
            while self.peek(0).is_some_and(is_blank) {
                self.pos += 1;
            }
            if self.peek(0) == Some('/') && self.peek(1) == Some('*') {
                self.pos += 2;
                loop {
                    match (self.peek(0), self.peek(1)) {
                        (Some('*'), Some('/')) => {
                            self.pos += 2;
                            break;
                        }
                        (Some(_), _) => self.pos += 1,
                        (None, _) => {
                            return Err(syntax_error("unexpected end of comment", None));
                        }
                    }
                }
                continue;
            }
            break;
        }
        let Some(c) = self.peek(0) else {
            return Ok(Token {
                kind: Tok::End,
                near: None,
            });
        };
        let start = self.pos;
        let two: String = self.chars[start..(start + 2).min(self.chars.len())]
            .iter()
            .collect();
        let op = match two.as_str() {
            "&&" => Some("&&"),
            "||" => Some("||"),
            "==" => Some("=="),
            "!=" | "<>" => Some("!="),
            "<=" => Some("<="),
            ">=" => Some(">="),
            "**" => Some("**"),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 2;
            return Ok(Token {
                kind: Tok::Op(op),
                near: Some(two),
            });
        }
        if c.is_ascii_digit() || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit())) {
            if let Some(t) = self.number()? {
                return Ok(t);
            }
        }
        if c == '$' {
            if self.peek(1) == Some('"') {
                self.pos += 2;
                let s = self.quoted()?;
                return Ok(Token {
                    kind: Tok::Variable(s),
                    near: Some("\"".into()),
                });
            }
            if self.peek(1).is_some_and(is_other) {
                self.pos += 1;
                while self.peek(0).is_some_and(is_other) {
                    self.pos += 1;
                }
                let name = self.slice(start + 1, self.pos);
                return Ok(Token {
                    kind: Tok::Variable(name),
                    near: Some(self.slice(start, self.pos)),
                });
            }
        }
        if c == '"' {
            self.pos += 1;
            let s = self.quoted()?;
            return Ok(Token {
                kind: Tok::String(s),
                near: Some("\"".into()),
            });
        }
        if c == '\\' || is_other(c) {
            let word = self.unquoted()?;
            // PostgreSQL's scanner reports the character after an identifier.
            let near = self.peek(0).map(String::from);
            let kind = match KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(&word)) {
                Some(k) => Tok::Keyword(k, word),
                None => Tok::Ident(word),
            };
            return Ok(Token { kind, near });
        }
        self.pos += 1;
        Ok(Token {
            kind: Tok::Punct(c),
            near: Some(c.to_string()),
        })
    }

    /// A number at the cursor, or None when an identifier is the longer match.
    fn number(&mut self) -> Result<Option<Token>> {
        let digits = |from: usize| {
            let mut i = from;
            while self.chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            i
        };
        let start = self.pos;
        let at = |i: usize| self.chars.get(i).copied();
        // decinteger: 0 | [1-9][0-9]*
        let int_end = match at(start) {
            Some('0') => Some(start + 1),
            Some(c) if c.is_ascii_digit() => Some(digits(start + 1)),
            _ => None,
        };
        // decimal: decinteger '.' digits* | '.' digits+
        let dec_end = match int_end {
            Some(e) if at(e) == Some('.') => Some(digits(e + 1)),
            Some(_) => None,
            None => Some(digits(start + 1)),
        };
        let base_end = dec_end
            .or(int_end)
            .expect("a digit or '.' digit starts here");
        let mut real_end = None;
        let mut real_fail_end = None;
        if matches!(at(base_end), Some('e' | 'E')) {
            let mut i = base_end + 1;
            if matches!(at(i), Some('+' | '-')) {
                i += 1;
                if at(i).is_some_and(|c| c.is_ascii_digit()) {
                    real_end = Some(digits(i));
                } else {
                    real_fail_end = Some(i);
                }
            } else if at(i).is_some_and(|c| c.is_ascii_digit()) {
                real_end = Some(digits(i));
            }
        }
        let junk = |end: Option<usize>| end.filter(|e| at(*e).is_some_and(is_other)).map(|e| e + 1);
        // Flex takes the longest match, the earlier rule on a tie.
        let candidates = [
            (real_end, 0),
            (dec_end, 1),
            (int_end, 2),
            (real_fail_end, 3),
            (junk(int_end), 4),
            (junk(dec_end), 4),
            (junk(real_end), 4),
        ];
        let mut best: Option<(usize, u8)> = None;
        for (end, rule) in candidates {
            if let Some(e) = end {
                if best.is_none_or(|(b, _)| e > b) {
                    best = Some((e, rule));
                }
            }
        }
        let (end, rule) = best.expect("some number form matches");
        let ident_end = {
            let mut i = start;
            while at(i).is_some_and(is_other) {
                i += 1;
            }
            i
        };
        if ident_end > end {
            return Ok(None);
        }
        let text = self.slice(start, end);
        self.pos = end;
        match rule {
            0 | 1 => Ok(Some(Token {
                kind: Tok::Numeric(text.clone()),
                near: Some(text),
            })),
            2 => Ok(Some(Token {
                kind: Tok::Int(text.clone()),
                near: Some(text),
            })),
            3 => Err(syntax_error("invalid numeric literal", Some(&text))),
            _ => Err(syntax_error(
                "trailing junk after numeric literal",
                Some(&text),
            )),
        }
    }

    /// An unquoted identifier: other characters and escapes.
    fn unquoted(&mut self) -> Result<String> {
        let mut out = String::new();
        while let Some(c) = self.peek(0) {
            if c == '\\' {
                self.escape(&mut out)?;
            } else if is_other(c) {
                out.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(out)
    }

    /// The rest of a quoted string after its opening quote.
    fn quoted(&mut self) -> Result<String> {
        let mut out = String::new();
        loop {
            match self.peek(0) {
                None => return Err(syntax_error("unexpected end of quoted string", None)),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => self.escape(&mut out)?,
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// An escape at the cursor (a backslash).
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let start = self.pos;
        let Some(c) = self.peek(1) else {
            return Err(syntax_error("unexpected end after backslash", None));
        };
        self.pos += 2;
        match c {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            'x' => {
                let hex = |c: Option<char>| c.and_then(|c| c.to_digit(16));
                match (hex(self.peek(0)), hex(self.peek(1))) {
                    (Some(h), Some(l)) => {
                        self.pos += 2;
                        let code = h * 16 + l;
                        if code == 0 {
                            return Err(nul_escape());
                        }
                        out.push(char::from_u32(code).expect("below 256"));
                    }
                    (Some(_), None) => {
                        self.pos += 1;
                        return Err(syntax_error(
                            "invalid hex character sequence",
                            Some(&self.slice(start, self.pos)),
                        ));
                    }
                    _ => {
                        return Err(syntax_error(
                            "invalid hex character sequence",
                            Some(&self.slice(start, self.pos)),
                        ))
                    }
                }
            }
            'u' => {
                let code = self.unicode(start)?;
                self.unicode_char(code, out)?;
            }
            other => out.push(other),
        }
        Ok(())
    }

    /// The code point of `\uXXXX` or `\u{X...}` whose digits start at the cursor.
    fn unicode(&mut self, start: usize) -> Result<u32> {
        let fail = |s: &Scanner, end: usize| {
            syntax_error("invalid unicode sequence", Some(&s.slice(start, end)))
        };
        if self.peek(0) == Some('{') {
            let mut i = 1;
            let mut code: u32 = 0;
            while i <= 6 && self.peek(i).is_some_and(|c| c.is_ascii_hexdigit()) {
                code = code * 16 + self.peek(i).and_then(|c| c.to_digit(16)).expect("hex");
                i += 1;
            }
            if i == 1 || self.peek(i) != Some('}') {
                return Err(fail(self, self.pos + i));
            }
            self.pos += i + 1;
            return Ok(code);
        }
        let mut code: u32 = 0;
        for i in 0..4 {
            match self.peek(i).and_then(|c| c.to_digit(16)) {
                Some(d) => code = code * 16 + d,
                None => return Err(fail(self, self.pos + i)),
            }
        }
        self.pos += 4;
        Ok(code)
    }

    /// Adds a code point, pairing a high surrogate with the `\u` low one after it.
    fn unicode_char(&mut self, code: u32, out: &mut String) -> Result<()> {
        let surrogate_error = |detail: &str| {
            Error::new(
                SqlState::INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type jsonpath",
            )
            .detail(detail.to_string())
        };
        if code == 0 {
            return Err(nul_escape());
        }
        if (0xD800..0xDC00).contains(&code) {
            if self.peek(0) == Some('\\') && self.peek(1) == Some('u') {
                let start = self.pos;
                self.pos += 2;
                let low = self.unicode(start)?;
                if (0xDC00..0xE000).contains(&low) {
                    let c = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    out.push(char::from_u32(c).expect("valid surrogate pair"));
                    return Ok(());
                }
                return Err(surrogate_error(
                    "Unicode low surrogate must follow a high surrogate.",
                ));
            }
            return Err(surrogate_error(
                "Unicode low surrogate must follow a high surrogate.",
            ));
        }
        if (0xDC00..0xE000).contains(&code) {
            return Err(surrogate_error(
                "Unicode low surrogate must follow a high surrogate.",
            ));
        }
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => Err(surrogate_error(
                "Unicode escape value could not be translated to the server's encoding UTF8.",
            )),
        }
    }
}

/// 22P05 for `\u0000`, which text cannot hold.
fn nul_escape() -> Error {
    Error::new(
        SqlState::UNTRANSLATABLE_CHARACTER,
        "unsupported Unicode escape sequence",
    )
    .detail("\\u0000 cannot be converted to text.")
}
