//! `json` and `jsonb` values (PostgreSQL docs §8.14, "JSON Types").
//!
//! - [`parse`] reads JSON text with PostgreSQL's grammar and error reports: 22P02
//!   `invalid input syntax for type json` with the DETAIL of `jsonapi.c` ("Token "x" is
//!   invalid.", "Expected ":", but found "1".", ...) and the CONTEXT line `JSON data, line
//!   N: ...` cut as PostgreSQL cuts it. It yields a [`JsonNode`] tree that remembers each
//!   value's byte span, so `json` operators can return a member's original text.
//! - [`JsonValue`] is the `jsonb` model: object keys unique (the last duplicate wins) and
//!   sorted shorter-first then bytewise, numbers as `numeric`, strings de-escaped. Its
//!   [`fmt::Display`] is `jsonb_out` (`{"a": 1, "b": [true, null]}`); [`JsonValue::pretty`]
//!   is `jsonb_pretty`.
//! - Comparison ([`compare`]: Object > Array > Boolean > Number > String > Null; more pairs
//!   or elements sort later), containment ([`contains`], `@>`) and existence follow
//!   PostgreSQL's `jsonb` operators (§9.16).
//!
//! tusk keeps a `jsonb` datum as its canonical text (the output form), which every
//! function re-reads with [`JsonValue::parse_jsonb`]; `json` keeps the input text verbatim
//! once [`parse`] has validated it.
//!
//! Nesting deeper than [`MAX_DEPTH`] is refused with 54001 `stack depth limit exceeded`,
//! as PostgreSQL's default `max_stack_depth` refuses it.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

use crate::adt::numeric::Numeric;
use crate::{Error, Result, SqlState};

/// Deepest nesting of arrays and objects accepted (PostgreSQL's 2 MB `max_stack_depth`
/// gives out between 10,000 and 20,000 levels).
pub const MAX_DEPTH: usize = 12_000;

/// A parsed JSON value with the byte span `start..end` of its text in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonNode {
    /// The value.
    pub kind: NodeKind,
    /// Byte offset of the value's first byte.
    pub start: usize,
    /// Byte offset just past the value.
    pub end: usize,
}

/// The kinds of [`JsonNode`].
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (its text is the node's span).
    Number,
    /// A string, de-escaped (`\u0000` kept as the six characters when parsing `json`).
    String(String),
    /// An array.
    Array(Vec<JsonNode>),
    /// An object, pairs in input order, duplicates kept (as `json` keeps them).
    Object(Vec<(String, JsonNode)>),
}

/// Which input function is parsing: `jsonb` refuses `\u0000` and unpaired surrogates;
/// `json` only validates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `json_in`.
    Json,
    /// `jsonb_in`.
    Jsonb,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    ObjectStart,
    ObjectEnd,
    ArrayStart,
    ArrayEnd,
    Comma,
    Colon,
    String(String),
    Number,
    True,
    False,
    Null,
    End,
}

struct Lexer<'a> {
    input: &'a str,
    bytes: &'a [u8],
    flavor: Flavor,
    /// Start of the current token.
    token_start: usize,
    /// Just past the current token (or the offending character).
    token_end: usize,
    line_number: usize,
    line_start: usize,
    at_end: bool,
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

enum LexError {
    InvalidToken,
    EscapeFormat,
    EscapingInvalid,
    EscapingRequired(u8),
    HighSurrogate,
    LowSurrogate,
    CodePointZero,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a str, flavor: Flavor) -> Lexer<'a> {
        Lexer {
            input,
            bytes: input.as_bytes(),
            flavor,
            token_start: 0,
            token_end: 0,
            line_number: 1,
            line_start: 0,
            at_end: false,
        }
    }

    fn next(&mut self) -> Result<Token> {
        let b = self.bytes;
        let mut s = self.token_end;
        while s < b.len() && matches!(b[s], b' ' | b'\t' | b'\n' | b'\r') {
            if b[s] == b'\n' {
                self.line_number += 1;
                self.line_start = s + 1;
            }
            s += 1;
        }
        self.token_start = s;
        if s >= b.len() {
            self.token_end = s;
            self.at_end = true;
            return Ok(Token::End);
        }
        let single = |t: Token, me: &mut Lexer<'_>| {
            me.token_end = s + 1;
            Ok(t)
        };
        match b[s] {
            b'{' => single(Token::ObjectStart, self),
            b'}' => single(Token::ObjectEnd, self),
            b'[' => single(Token::ArrayStart, self),
            b']' => single(Token::ArrayEnd, self),
            b',' => single(Token::Comma, self),
            b':' => single(Token::Colon, self),
            b'"' => match self.string(s) {
                Ok(t) => Ok(t),
                Err(e) => Err(self.lex_error(e)),
            },
            b'-' | b'0'..=b'9' => self.number(s),
            _ => {
                let mut p = s;
                while p < b.len() && is_alnum(b[p]) {
                    p += 1;
                }
                if p == s {
                    self.token_end = s + utf8_len(b[s]).min(b.len() - s);
                    return Err(self.lex_error(LexError::InvalidToken));
                }
                self.token_end = p;
                match &self.input[s..p] {
                    "true" => Ok(Token::True),
                    "false" => Ok(Token::False),
                    "null" => Ok(Token::Null),
                    _ => Err(self.lex_error(LexError::InvalidToken)),
                }
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<Token> {
        let b = self.bytes;
        let mut s = start;
        let mut error = false;
        if b[s] == b'-' {
            s += 1;
        }
        if s < b.len() && b[s] == b'0' {
            s += 1;
        } else if s < b.len() && b[s].is_ascii_digit() {
            while s < b.len() && b[s].is_ascii_digit() {
                s += 1;
            }
        } else {
            error = true;
        }
        if s < b.len() && b[s] == b'.' {
            s += 1;
            if s >= b.len() || !b[s].is_ascii_digit() {
                error = true;
            } else {
                while s < b.len() && b[s].is_ascii_digit() {
                    s += 1;
                }
            }
        }
        if s < b.len() && (b[s] == b'e' || b[s] == b'E') {
            s += 1;
            if s < b.len() && (b[s] == b'+' || b[s] == b'-') {
                s += 1;
            }
            if s >= b.len() || !b[s].is_ascii_digit() {
                error = true;
            } else {
                while s < b.len() && b[s].is_ascii_digit() {
                    s += 1;
                }
            }
        }
        while s < b.len() && is_alnum(b[s]) {
            error = true;
            s += 1;
        }
        self.token_end = s;
        if error {
            return Err(self.lex_error(LexError::InvalidToken));
        }
        Ok(Token::Number)
    }

    /// A string token starting at the quote `start`; sets `token_end`.
    fn string(&mut self, start: usize) -> std::result::Result<Token, LexError> {
        let b = self.bytes;
        let mut out = String::new();
        let mut s = start + 1;
        let mut hi_surrogate: Option<u32> = None;
        let strict = self.flavor == Flavor::Jsonb;
        loop {
            if s >= b.len() {
                self.token_end = b.len();
                return Err(LexError::InvalidToken);
            }
            let c = b[s];
            if c == b'"' {
                if hi_surrogate.is_some() && strict {
                    self.token_end = s + 1;
                    return Err(LexError::LowSurrogate);
                }
                break;
            }
            if c < 0x20 {
                self.token_end = s;
                return Err(LexError::EscapingRequired(c));
            }
            if c == b'\\' {
                s += 1;
                if s >= b.len() {
                    self.token_end = b.len();
                    return Err(LexError::InvalidToken);
                }
                if b[s] == b'u' {
                    let mut ch: u32 = 0;
                    for _ in 0..4 {
                        s += 1;
                        if s >= b.len() {
                            self.token_end = b.len();
                            return Err(LexError::InvalidToken);
                        }
                        match (b[s] as char).to_digit(16) {
                            Some(d) => ch = ch * 16 + d,
                            None => {
                                self.token_end = s + utf8_len(b[s]).min(b.len() - s);
                                return Err(LexError::EscapeFormat);
                            }
                        }
                    }
                    self.token_end = s + 1;
                    if !strict {
                        // json_in only validates; the text is kept verbatim.
                        s += 1;
                        match char::from_u32(ch) {
                            Some(c) if ch != 0 => out.push(c),
                            _ => out.push_str(&self.input[s - 6..s]),
                        }
                        continue;
                    }
                    if (0xd800..0xdc00).contains(&ch) {
                        if hi_surrogate.is_some() {
                            return Err(LexError::HighSurrogate);
                        }
                        hi_surrogate = Some(ch);
                        s += 1;
                        continue;
                    } else if (0xdc00..0xe000).contains(&ch) {
                        let Some(hi) = hi_surrogate.take() else {
                            return Err(LexError::LowSurrogate);
                        };
                        ch = ((hi & 0x3ff) << 10) + (ch & 0x3ff) + 0x10000;
                    }
                    if hi_surrogate.is_some() {
                        return Err(LexError::LowSurrogate);
                    }
                    if ch == 0 {
                        return Err(LexError::CodePointZero);
                    }
                    out.push(char::from_u32(ch).unwrap_or(char::REPLACEMENT_CHARACTER));
                    s += 1;
                    continue;
                }
                if hi_surrogate.is_some() && strict {
                    self.token_end = s + 1;
                    return Err(LexError::LowSurrogate);
                }
                let unescaped = match b[s] {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    other => {
                        self.token_start = s;
                        self.token_end = s + utf8_len(other).min(b.len() - s);
                        return Err(LexError::EscapingInvalid);
                    }
                };
                out.push(unescaped);
                s += 1;
                continue;
            }
            if hi_surrogate.is_some() && strict {
                self.token_end = s + utf8_len(c).min(b.len() - s);
                return Err(LexError::LowSurrogate);
            }
            let len = utf8_len(c).min(b.len() - s);
            out.push_str(&self.input[s..s + len]);
            s += len;
        }
        self.token_end = s + 1;
        Ok(Token::String(out))
    }

    fn lex_error(&self, e: LexError) -> Error {
        let (code, detail) = match e {
            LexError::InvalidToken => (
                SqlState::INVALID_TEXT_REPRESENTATION,
                format!(
                    "Token \"{}\" is invalid.",
                    &self.input[self.token_start..self.token_end]
                ),
            ),
            LexError::EscapeFormat => (
                SqlState::INVALID_TEXT_REPRESENTATION,
                "\"\\u\" must be followed by four hexadecimal digits.".to_string(),
            ),
            LexError::EscapingInvalid => (
                SqlState::INVALID_TEXT_REPRESENTATION,
                format!(
                    "Escape sequence \"\\{}\" is invalid.",
                    &self.input[self.token_start..self.token_end]
                ),
            ),
            LexError::EscapingRequired(c) => (
                SqlState::INVALID_TEXT_REPRESENTATION,
                format!("Character with value 0x{c:02x} must be escaped."),
            ),
            LexError::HighSurrogate => (
                SqlState::INVALID_TEXT_REPRESENTATION,
                "Unicode high surrogate must not follow a high surrogate.".to_string(),
            ),
            LexError::LowSurrogate => (
                SqlState::INVALID_TEXT_REPRESENTATION,
                "Unicode low surrogate must follow a high surrogate.".to_string(),
            ),
            LexError::CodePointZero => {
                return Error::new(
                    SqlState::UNTRANSLATABLE_CHARACTER,
                    "unsupported Unicode escape sequence",
                )
                .detail("\\u0000 cannot be converted to text.")
                .context(self.context_line());
            }
        };
        Error::new(code, "invalid input syntax for type json")
            .detail(detail)
            .context(self.context_line())
    }

    /// The `JSON data, line N: ...` context: the current line up to the end of the
    /// offending token, at most 50 bytes, with "..." where it was cut.
    fn context_line(&self) -> String {
        let line_start = self.line_start.min(self.token_end);
        let end = self.token_end.min(self.bytes.len());
        let mut start = line_start;
        while end - start >= 50 {
            start += 1;
            while start < end && !self.input.is_char_boundary(start) {
                start += 1;
            }
        }
        if start - line_start <= 3 {
            start = line_start;
        }
        let prefix = if start > line_start { "..." } else { "" };
        let suffix = if !self.at_end
            && end < self.bytes.len()
            && self.bytes[end] != b'\n'
            && self.bytes[end] != b'\r'
        {
            "..."
        } else {
            ""
        };
        format!(
            "JSON data, line {}: {}{}{}",
            self.line_number,
            prefix,
            &self.input[start..end],
            suffix
        )
    }

    fn found(&self) -> &str {
        &self.input[self.token_start..self.token_end]
    }

    fn parse_error(&self, expected: Expected) -> Error {
        if self.at_end {
            return Error::new(
                SqlState::INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type json",
            )
            .detail("The input string ended unexpectedly.")
            .context(self.context_line());
        }
        let what = match expected {
            Expected::ArrayFirst => "array element or \"]\"",
            Expected::ArrayNext => "\",\" or \"]\"",
            Expected::Colon => "\":\"",
            Expected::End => "end of input",
            Expected::Value => "JSON value",
            Expected::ObjectFirst => "string or \"}\"",
            Expected::ObjectNext => "\",\" or \"}\"",
            Expected::String => "string",
        };
        Error::new(
            SqlState::INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type json",
        )
        .detail(format!("Expected {what}, but found \"{}\".", self.found()))
        .context(self.context_line())
    }
}

#[derive(Clone, Copy)]
enum Expected {
    ArrayFirst,
    ArrayNext,
    Colon,
    End,
    Value,
    ObjectFirst,
    ObjectNext,
    String,
}

fn too_deep(stack_kb: usize) -> Error {
    Error::new(SqlState::STATEMENT_TOO_COMPLEX, "stack depth limit exceeded").hint(format!(
        "Increase the configuration parameter \"max_stack_depth\" (currently {stack_kb}kB), after ensuring the platform's stack depth limit is adequate."
    ))
}

struct Parser<'a> {
    lex: Lexer<'a>,
    token: Token,
    max_depth: usize,
    stack_kb: usize,
}

impl Parser<'_> {
    fn advance(&mut self) -> Result<()> {
        self.token = self.lex.next()?;
        Ok(())
    }

    fn value(&mut self, depth: usize, expected: Expected) -> Result<JsonNode> {
        let start = self.lex.token_start;
        let kind = match std::mem::replace(&mut self.token, Token::End) {
            Token::ObjectStart => return self.object(depth + 1),
            Token::ArrayStart => return self.array(depth + 1),
            Token::String(s) => NodeKind::String(s),
            Token::Number => NodeKind::Number,
            Token::True => NodeKind::Bool(true),
            Token::False => NodeKind::Bool(false),
            Token::Null => NodeKind::Null,
            other => {
                self.token = other;
                return Err(self.lex.parse_error(expected));
            }
        };
        let end = self.lex.token_end;
        self.advance()?;
        Ok(JsonNode { kind, start, end })
    }

    /// The container closed by the current token, which is consumed.
    fn close(&mut self, kind: NodeKind, start: usize) -> Result<JsonNode> {
        let end = self.lex.token_end;
        self.advance()?;
        Ok(JsonNode { kind, start, end })
    }

    fn array(&mut self, depth: usize) -> Result<JsonNode> {
        if depth > self.max_depth {
            return Err(too_deep(self.stack_kb));
        }
        let start = self.lex.token_start;
        self.advance()?;
        let mut items = Vec::new();
        if self.token == Token::ArrayEnd {
            return self.close(NodeKind::Array(items), start);
        }
        loop {
            // PostgreSQL names the array's own expectation only for a first token that
            // cannot start a value and is not a comma.
            let expected = if items.is_empty() && self.token != Token::Comma {
                Expected::ArrayFirst
            } else {
                Expected::Value
            };
            items.push(self.value(depth, expected)?);
            match self.token {
                Token::Comma => self.advance()?,
                Token::ArrayEnd => return self.close(NodeKind::Array(items), start),
                _ => return Err(self.lex.parse_error(Expected::ArrayNext)),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonNode> {
        if depth > self.max_depth {
            return Err(too_deep(self.stack_kb));
        }
        let start = self.lex.token_start;
        self.advance()?;
        let mut pairs = Vec::new();
        if self.token == Token::ObjectEnd {
            return self.close(NodeKind::Object(pairs), start);
        }
        loop {
            let key = match std::mem::replace(&mut self.token, Token::End) {
                Token::String(s) => s,
                other => {
                    self.token = other;
                    return Err(self.lex.parse_error(if pairs.is_empty() {
                        Expected::ObjectFirst
                    } else {
                        Expected::String
                    }));
                }
            };
            self.advance()?;
            if self.token != Token::Colon {
                return Err(self.lex.parse_error(Expected::Colon));
            }
            self.advance()?;
            let value = self.value(depth, Expected::Value)?;
            pairs.push((key, value));
            match self.token {
                Token::Comma => self.advance()?,
                Token::ObjectEnd => return self.close(NodeKind::Object(pairs), start),
                _ => return Err(self.lex.parse_error(Expected::ObjectNext)),
            }
        }
    }
}

/// Parses JSON text (`json_in` / `jsonb_in`'s grammar, RFC 7159 with PostgreSQL's error
/// reports).
///
/// Errors: 22P02 `invalid input syntax for type json` (DETAIL and CONTEXT as PostgreSQL's);
/// 22P05 for `\u0000` in `jsonb`; 54001 for nesting beyond [`MAX_DEPTH`].
pub fn parse(text: &str, flavor: Flavor) -> Result<JsonNode> {
    parse_with_limit(text, flavor, MAX_DEPTH, 2048)
}

/// Nesting levels accepted under `max_stack_depth` = `stack_kb` (about 160 bytes of
/// stack per level, as PostgreSQL's recursive descent uses), at most [`MAX_DEPTH`].
pub fn depth_for_stack(stack_kb: usize) -> usize {
    (stack_kb * 1024 / 160).min(MAX_DEPTH)
}

/// [`parse`] refusing nesting deeper than `max_depth` (54001, naming `stack_kb` in the
/// HINT as PostgreSQL names `max_stack_depth`).
///
/// Errors: as [`parse`].
pub fn parse_with_limit(
    text: &str,
    flavor: Flavor,
    max_depth: usize,
    stack_kb: usize,
) -> Result<JsonNode> {
    let mut lex = Lexer::new(text, flavor);
    let token = lex.next()?;
    let mut p = Parser {
        lex,
        token,
        max_depth,
        stack_kb,
    };
    let node = p.value(0, Expected::Value)?;
    if p.token != Token::End {
        return Err(p.lex.parse_error(Expected::End));
    }
    Ok(node)
}

/// A `jsonb` value.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(Numeric),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object: keys unique, in [`key_order`].
    Object(Vec<(String, JsonValue)>),
}

/// The order of `jsonb` object keys: shorter first, then bytewise.
pub fn key_order(a: &str, b: &str) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

impl JsonValue {
    /// Reads `jsonb` input text (see [`parse`]).
    ///
    /// Errors: as [`parse`]; 22P02 for a number `numeric` cannot hold.
    pub fn parse_jsonb(text: &str) -> Result<JsonValue> {
        let node = parse(text, Flavor::Jsonb)?;
        JsonValue::from_node(&node, text)
    }

    /// [`JsonValue::parse_jsonb`] with the nesting bound of `max_stack_depth` =
    /// `stack_kb` (see [`depth_for_stack`]).
    ///
    /// Errors: as [`parse_with_limit`].
    pub fn parse_jsonb_limited(text: &str, stack_kb: usize) -> Result<JsonValue> {
        let node = parse_with_limit(text, Flavor::Jsonb, depth_for_stack(stack_kb), stack_kb)?;
        JsonValue::from_node(&node, text)
    }

    /// Reads a `json` value into the `jsonb` model (`json::jsonb` cast).
    ///
    /// Errors: as [`JsonValue::parse_jsonb`].
    pub fn from_json_text(text: &str) -> Result<JsonValue> {
        JsonValue::parse_jsonb(text)
    }

    /// Converts a parsed node of `text` (object keys sorted and made unique, the last
    /// duplicate winning, as `jsonb_in` does).
    ///
    /// Errors: 22P02 for a number `numeric` cannot hold.
    pub fn from_node(node: &JsonNode, text: &str) -> Result<JsonValue> {
        Ok(match &node.kind {
            NodeKind::Null => JsonValue::Null,
            NodeKind::Bool(b) => JsonValue::Bool(*b),
            NodeKind::Number => JsonValue::Number(Numeric::parse(&text[node.start..node.end])?),
            NodeKind::String(s) => JsonValue::String(s.clone()),
            NodeKind::Array(items) => JsonValue::Array(
                items
                    .iter()
                    .map(|i| JsonValue::from_node(i, text))
                    .collect::<Result<_>>()?,
            ),
            NodeKind::Object(pairs) => {
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    out.push((k.clone(), JsonValue::from_node(v, text)?));
                }
                JsonValue::object(out)
            }
        })
    }

    /// An object from pairs in any order: sorted by [`key_order`], the last of equal
    /// keys kept.
    pub fn object(mut pairs: Vec<(String, JsonValue)>) -> JsonValue {
        // A stable sort keeps equal keys in input order; the last one wins.
        pairs.sort_by(|a, b| key_order(&a.0, &b.0));
        let mut out: Vec<(String, JsonValue)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        JsonValue::Object(out)
    }

    /// `jsonb_typeof`: object, array, string, number, boolean or null.
    pub fn type_name(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "boolean",
            JsonValue::Number(_) => "number",
            JsonValue::String(_) => "string",
            JsonValue::Array(_) => "array",
            JsonValue::Object(_) => "object",
        }
    }

    /// True for arrays and objects.
    pub fn is_container(&self) -> bool {
        matches!(self, JsonValue::Array(_) | JsonValue::Object(_))
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        match self {
            JsonValue::Object(pairs) => pairs
                .binary_search_by(|(k, _)| key_order(k, key))
                .ok()
                .map(|i| &pairs[i].1),
            _ => None,
        }
    }

    /// Element `index` of an array (negative counts from the end).
    pub fn element(&self, index: i64) -> Option<&JsonValue> {
        match self {
            JsonValue::Array(items) => {
                let i = if index < 0 {
                    items.len() as i64 + index
                } else {
                    index
                };
                usize::try_from(i).ok().and_then(|i| items.get(i))
            }
            _ => None,
        }
    }

    /// The text `->>` gives: strings de-escaped, `null` as SQL NULL (`None`), others in
    /// their `jsonb` form.
    pub fn as_text(&self) -> Option<String> {
        match self {
            JsonValue::Null => None,
            JsonValue::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// `jsonb_pretty`: four-space indentation, one member per line.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, level: usize) {
        let indent = |out: &mut String, level: usize| {
            for _ in 0..level {
                out.push_str("    ");
            }
        };
        match self {
            JsonValue::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('\n');
                    indent(out, level + 1);
                    item.write_pretty(out, level + 1);
                }
                out.push('\n');
                indent(out, level);
                out.push(']');
            }
            JsonValue::Object(pairs) => {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('\n');
                    indent(out, level + 1);
                    escape_json(out, k);
                    out.push_str(": ");
                    v.write_pretty(out, level + 1);
                }
                out.push('\n');
                indent(out, level);
                out.push('}');
            }
            other => {
                let _ = write!(out, "{other}");
            }
        }
    }

    /// `jsonb_strip_nulls`: object members whose value is null removed, at every level.
    pub fn strip_nulls(self) -> JsonValue {
        match self {
            JsonValue::Array(items) => {
                JsonValue::Array(items.into_iter().map(JsonValue::strip_nulls).collect())
            }
            JsonValue::Object(pairs) => JsonValue::Object(
                pairs
                    .into_iter()
                    .filter(|(_, v)| *v != JsonValue::Null)
                    .map(|(k, v)| (k, v.strip_nulls()))
                    .collect(),
            ),
            other => other,
        }
    }
}

/// Appends `s` as a JSON string literal (PostgreSQL's `escape_json`).
pub fn escape_json(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl fmt::Display for JsonValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonValue::Null => f.write_str("null"),
            JsonValue::Bool(true) => f.write_str("true"),
            JsonValue::Bool(false) => f.write_str("false"),
            JsonValue::Number(n) => write!(f, "{n}"),
            JsonValue::String(s) => {
                let mut out = String::with_capacity(s.len() + 2);
                escape_json(&mut out, s);
                f.write_str(&out)
            }
            JsonValue::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            JsonValue::Object(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let mut key = String::with_capacity(k.len() + 2);
                    escape_json(&mut key, k);
                    write!(f, "{key}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn type_rank(v: &JsonValue) -> u8 {
    match v {
        JsonValue::Null => 0,
        JsonValue::String(_) => 1,
        JsonValue::Number(_) => 2,
        JsonValue::Bool(_) => 3,
        JsonValue::Array(_) => 4,
        JsonValue::Object(_) => 5,
    }
}

/// `jsonb_cmp`: the B-tree order of `jsonb` (PostgreSQL docs §8.14.4): Object > Array >
/// Boolean > Number > String > Null; an object with more pairs and an array with more
/// elements sort later; otherwise members compare in storage order (keys then values);
/// strings compare bytewise. At top level a scalar is stored as a one-element array, so
/// it sorts after an empty array (the documented exception: `'[]' < 'null'`).
pub fn compare(a: &JsonValue, b: &JsonValue) -> Ordering {
    match (a, b) {
        (JsonValue::Array(x), y) if x.is_empty() && !y.is_container() => Ordering::Less,
        (x, JsonValue::Array(y)) if y.is_empty() && !x.is_container() => Ordering::Greater,
        _ => compare_values(a, b),
    }
}

/// [`compare`] below top level.
fn compare_values(a: &JsonValue, b: &JsonValue) -> Ordering {
    match (a, b) {
        (JsonValue::Null, JsonValue::Null) => Ordering::Equal,
        (JsonValue::Bool(x), JsonValue::Bool(y)) => x.cmp(y),
        (JsonValue::Number(x), JsonValue::Number(y)) => x.cmp_numeric(y),
        (JsonValue::String(x), JsonValue::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (JsonValue::Array(x), JsonValue::Array(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y)
                .map(|(p, q)| compare_values(p, q))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        }),
        (JsonValue::Object(x), JsonValue::Object(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y)
                .map(|((k1, v1), (k2, v2))| {
                    k1.as_bytes()
                        .cmp(k2.as_bytes())
                        .then_with(|| compare_values(v1, v2))
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        }),
        _ => type_rank(a).cmp(&type_rank(b)),
    }
}

/// `jsonb @> jsonb` (PostgreSQL docs §8.14.3): every member of `b` appears in `a`; an
/// array contains a scalar at top level; a scalar never contains an array.
pub fn contains(a: &JsonValue, b: &JsonValue) -> bool {
    match (a, b) {
        (JsonValue::Array(_), b) if !b.is_container() => {
            contains_deep(a, &JsonValue::Array(vec![b.clone()]))
        }
        _ => contains_deep(a, b),
    }
}

fn contains_deep(a: &JsonValue, b: &JsonValue) -> bool {
    match (a, b) {
        (JsonValue::Object(_), JsonValue::Object(y)) => y.iter().all(|(k, vy)| {
            a.get(k).is_some_and(|vx| {
                if vy.is_container() {
                    std::mem::discriminant(vx) == std::mem::discriminant(vy)
                        && contains_deep(vx, vy)
                } else {
                    !vx.is_container() && compare(vx, vy).is_eq()
                }
            })
        }),
        (JsonValue::Array(x), JsonValue::Array(y)) => y.iter().all(|vy| {
            if vy.is_container() {
                x.iter().any(|vx| {
                    std::mem::discriminant(vx) == std::mem::discriminant(vy)
                        && contains_deep(vx, vy)
                })
            } else {
                x.iter().any(|vx| compare(vx, vy).is_eq())
            }
        }),
        (x, y) if !x.is_container() && !y.is_container() => compare(x, y).is_eq(),
        _ => false,
    }
}

/// `jsonb ? text`: `key` is a top-level object key or a top-level string element (or the
/// top-level scalar string itself).
pub fn exists(v: &JsonValue, key: &str) -> bool {
    match v {
        JsonValue::Object(_) => v.get(key).is_some(),
        JsonValue::Array(items) => items
            .iter()
            .any(|i| matches!(i, JsonValue::String(s) if s == key)),
        JsonValue::String(s) => s == key,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, flavor: Flavor) -> (String, String, String) {
        let e = parse(text, flavor).expect_err("should fail");
        (
            e.message.clone(),
            e.detail.clone().unwrap_or_default(),
            e.context.clone().unwrap_or_default(),
        )
    }

    fn jsonb(text: &str) -> String {
        JsonValue::parse_jsonb(text).expect("valid").to_string()
    }

    #[test]
    fn jsonb_normalises_as_postgres_does() {
        assert_eq!(
            jsonb(r#"{"b":1, "a":2, "aa":3, "a":4}"#),
            r#"{"a": 4, "b": 1, "aa": 3}"#
        );
        assert_eq!(
            jsonb("[1, 1.0, 1e3, -0, 1E-2, 12345678901234567890.5]"),
            "[1, 1.0, 1000, 0, 0.01, 12345678901234567890.5]"
        );
        assert_eq!(
            jsonb(r#"  { "x" : [ true , null ] }  "#),
            r#"{"x": [true, null]}"#
        );
        assert_eq!(jsonb(r#""\ud83d\ude00""#), "\"😀\"");
        assert_eq!(
            jsonb(r#""a\"\\\/\b\f\n\r\t\u0001""#),
            r#""a\"\\/\b\f\n\r\t\u0001""#
        );
        assert_eq!(jsonb("{}"), "{}");
        assert_eq!(jsonb("[]"), "[]");
    }

    #[test]
    fn errors_match_postgres() {
        let j = Flavor::Json;
        assert_eq!(
            err(r#"{"a":1,}"#, j),
            (
                "invalid input syntax for type json".into(),
                "Expected string, but found \"}\".".into(),
                "JSON data, line 1: {\"a\":1,}".into()
            )
        );
        assert_eq!(err("[1,2", j).1, "The input string ended unexpectedly.");
        assert_eq!(err("[1,2", j).2, "JSON data, line 1: [1,2");
        assert_eq!(err(r#"{"a" 1}"#, j).1, "Expected \":\", but found \"1\".");
        assert_eq!(err(r#"{"a" 1}"#, j).2, "JSON data, line 1: {\"a\" 1...");
        assert_eq!(err("tru", j).1, "Token \"tru\" is invalid.");
        assert_eq!(err("\"abc", j).1, "Token \"\"abc\" is invalid.");
        assert_eq!(
            err(r#""\u00""#, j).1,
            "\"\\u\" must be followed by four hexadecimal digits."
        );
        assert_eq!(err(r#"{"a":1}x"#, j).1, "Token \"x\" is invalid.");
        assert_eq!(err("", j).2, "JSON data, line 1: ");
        assert_eq!(err("01", j).1, "Token \"01\" is invalid.");
        assert_eq!(err("1.", j).1, "Token \"1.\" is invalid.");
        assert_eq!(err("-a", j).1, "Token \"-a\" is invalid.");
        assert_eq!(err("é", j).1, "Token \"é\" is invalid.");
        assert_eq!(err(r#""\x""#, j).1, "Escape sequence \"\\x\" is invalid.");
        assert_eq!(err(r#""\x""#, j).2, "JSON data, line 1: \"\\x...");
        assert_eq!(
            err("\"a\tb\"", j).1,
            "Character with value 0x09 must be escaped."
        );
        assert_eq!(err("\"a\tb\"", j).2, "JSON data, line 1: \"a...");
        assert_eq!(
            err("[1,2] 3", j).1,
            "Expected end of input, but found \"3\"."
        );
        assert_eq!(err("[,]", j).1, "Expected JSON value, but found \",\".");
        assert_eq!(
            err("{,}", j).1,
            "Expected string or \"}\", but found \",\"."
        );
        assert_eq!(
            err(r#"{"a":1 "b"}"#, j).1,
            "Expected \",\" or \"}\", but found \"\"b\"\"."
        );
        assert_eq!(
            err("[1 2]", j).1,
            "Expected \",\" or \"]\", but found \"2\"."
        );
        assert_eq!(err("]", j).1, "Expected JSON value, but found \"]\".");
        assert_eq!(
            err("{\"a\":\n 1,\n \"b\" : x}", j).2,
            "JSON data, line 3:  \"b\" : x..."
        );
        let long = "x".repeat(100);
        assert_eq!(
            err(&long, j).2,
            format!("JSON data, line 1: ...{}", "x".repeat(49))
        );
    }

    #[test]
    fn jsonb_refuses_what_json_accepts() {
        assert!(parse(r#""\ud800""#, Flavor::Json).is_ok());
        assert!(parse(r#""\u0000""#, Flavor::Json).is_ok());
        let b = Flavor::Jsonb;
        assert_eq!(
            err(r#""\ud800""#, b).1,
            "Unicode low surrogate must follow a high surrogate."
        );
        assert_eq!(err(r#""\ud800x""#, b).2, "JSON data, line 1: \"\\ud800x...");
        assert_eq!(
            err(r#""\ud800\ud800""#, b).1,
            "Unicode high surrogate must not follow a high surrogate."
        );
        assert_eq!(
            err(r#""\udc00abc""#, b).2,
            "JSON data, line 1: \"\\udc00..."
        );
        let e = parse(r#"["\u0000abc"]"#, b).expect_err("NUL");
        assert_eq!(e.code, SqlState::UNTRANSLATABLE_CHARACTER);
        assert_eq!(
            e.context.as_deref(),
            Some("JSON data, line 1: [\"\\u0000...")
        );
    }

    #[test]
    fn depth_is_bounded() {
        // Backends run on a large stack; so does this test.
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(depth_is_bounded_on_a_large_stack)
            .expect("spawn")
            .join()
            .expect("no panic");
    }

    fn depth_is_bounded_on_a_large_stack() {
        let ok = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&ok, Flavor::Jsonb).is_ok());
        let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(
            parse(&deep, Flavor::Jsonb).expect_err("deep").code,
            SqlState::STATEMENT_TOO_COMPLEX
        );
    }

    #[test]
    fn ordering_and_containment() {
        let v = |t: &str| JsonValue::parse_jsonb(t).expect("valid");
        let mut items: Vec<JsonValue> = [
            "{}",
            "[]",
            "true",
            "1",
            "\"a\"",
            "null",
            "[1, 2]",
            "{\"a\": 1}",
        ]
        .iter()
        .map(|t| v(t))
        .collect();
        items.sort_by(compare);
        let names: Vec<String> = items.iter().map(|i| i.to_string()).collect();
        assert_eq!(
            names,
            [
                // An empty top-level array sorts first (PostgreSQL's documented exception).
                "[]",
                "null",
                "\"a\"",
                "1",
                "true",
                "[1, 2]",
                "{}",
                "{\"a\": 1}"
            ]
        );
        assert!(compare(&v("1.0"), &v("1")).is_eq());
        assert!(contains(
            &v(r#"{"a":1,"b":{"c":[1,2]}}"#),
            &v(r#"{"b":{"c":[2]}}"#)
        ));
        assert!(!contains(&v(r#"{"a":1}"#), &v(r#"{"a":2}"#)));
        assert!(contains(&v(r#"["foo","bar"]"#), &v(r#""foo""#)));
        assert!(!contains(&v(r#""foo""#), &v(r#"["foo"]"#)));
        assert!(contains(&v("[1,2,[3]]"), &v("[[3]]")));
        assert!(!contains(&v("[1,2,[3]]"), &v("[3]")));
        assert!(contains(&v("{}"), &v("{}")));
        assert!(exists(&v(r#"["a","b"]"#), "a"));
        assert!(exists(&v(r#"{"a":null}"#), "a"));
        assert!(!exists(&v(r#"{"a":{"b":1}}"#), "b"));
    }

    #[test]
    fn pretty_prints_as_jsonb_pretty() {
        let v = JsonValue::parse_jsonb(r#"{"a":1,"b":[1,{"c":[]}],"d":{}}"#).expect("valid");
        assert_eq!(
            v.pretty(),
            "{\n    \"a\": 1,\n    \"b\": [\n        1,\n        {\n            \"c\": [\n            ]\n        }\n    ],\n    \"d\": {\n    }\n}"
        );
    }
}
