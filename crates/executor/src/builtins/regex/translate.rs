//! PostgreSQL's regular expressions (ARE flavour, docs §9.7.3) rewritten into the syntax
//! of the `regex` crate, and `similar_to_escape` (SQL `SIMILAR TO` patterns into AREs).
//!
//! What is translated: ARE escapes that differ (`\m` `\M` `\y` `\Y` `\Z`, `\b` as
//! backspace, `\e`, `\B`, `\x` with any number of digits, `\u`, `\U`, `\c`, octal),
//! escaped punctuation (always literal in PostgreSQL), bracket expressions (`]` first is
//! literal, `[` is literal inside, POSIX classes `[:alpha:]`, single-character collating
//! elements `[.x.]` and equivalence classes `[=x=]`), `{` not starting a bound (literal),
//! the `***:` and `***=` directors, embedded options at the start (`(?i)`, `(?n)`, ...),
//! and the flags of the `regexp_*` functions. The default is PostgreSQL's: `.` and
//! negated brackets match newline; newline-sensitive modes (`n`, `p`, `w`) follow
//! PostgreSQL's split between `.`/brackets and `^`/`$`.
//!
//! What cannot be expressed is 2201B `invalid regular expression: ...`: back-references,
//! lookahead and lookbehind constraints, named or multi-character collating elements
//! (`[[.hyphen.]]`), and the basic (BRE) flavour. Matching itself is the `regex` crate's leftmost-first search,
//! where PostgreSQL prefers the longest match for a greedy RE: `substring('ab' from
//! 'a|ab')` is `ab` in PostgreSQL and `a` here.
//!
//! Entry points: [`RegexFlags::parse`], [`translate`], [`similar_to_escape`].

use tusk_types::{pg_err, Error, Result};

/// Options for one regular expression: the operator's case sensitivity or a
/// `regexp_*` function's flags string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RegexFlags {
    /// `g`: every match, not just the first.
    pub global: bool,
    /// `i`: case-insensitive.
    pub case_insensitive: bool,
    /// `n`/`m`/`p`: `.` and negated brackets do not match newline.
    pub newline_stops_dot: bool,
    /// `n`/`m`/`w`: `^` and `$` match at line boundaries.
    pub newline_anchors: bool,
    /// `x`: expanded syntax (white space and `#` comments ignored).
    pub expanded: bool,
    /// `q`: the pattern is a literal string.
    pub literal: bool,
}

impl RegexFlags {
    /// Reads a flags string (`parse_re_flags`).
    ///
    /// Errors: 22023 `invalid regular expression option: "z"`; 0A000 for `b` (basic
    /// regular expressions).
    pub fn parse(flags: &str) -> Result<RegexFlags> {
        let mut f = RegexFlags::default();
        for c in flags.chars() {
            match c {
                'g' => f.global = true,
                'b' => {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "basic regular expressions (flag \"b\") are not supported"
                    ))
                }
                'c' => f.case_insensitive = false,
                'e' => {}
                'i' => f.case_insensitive = true,
                'm' | 'n' => {
                    f.newline_stops_dot = true;
                    f.newline_anchors = true;
                }
                'p' => {
                    f.newline_stops_dot = true;
                    f.newline_anchors = false;
                }
                'q' => f.literal = true,
                's' => {
                    f.newline_stops_dot = false;
                    f.newline_anchors = false;
                }
                't' => f.expanded = false,
                'w' => {
                    f.newline_stops_dot = false;
                    f.newline_anchors = true;
                }
                'x' => f.expanded = true,
                other => {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "invalid regular expression option: \"{}\"",
                        other
                    ))
                }
            }
        }
        Ok(f)
    }
}

/// 2201B `invalid regular expression: <what>`.
pub fn invalid_regex(what: impl std::fmt::Display) -> Error {
    pg_err!(
        INVALID_REGULAR_EXPRESSION,
        "invalid regular expression: {}",
        what
    )
}

fn unsupported(what: &str) -> Error {
    invalid_regex(format!("{what} are not supported"))
}

fn push_literal(out: &mut String, c: char) {
    let mut buf = [0; 4];
    out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
}

/// A character as it may appear inside a `regex` crate class.
fn push_class_char(out: &mut String, c: char) {
    if matches!(c, '[' | ']' | '\\' | '^' | '-' | '&' | '~') || c.is_whitespace() {
        out.push('\\');
        if c.is_whitespace() && c != ' ' {
            out.push_str(&format!("x{{{:x}}}", c as u32));
            return;
        }
    }
    out.push(c);
}

struct Translator<'a> {
    chars: Vec<char>,
    pos: usize,
    flags: &'a RegexFlags,
    out: String,
    /// Output positions of the open groups' `(` and the length of each opening token.
    open_groups: Vec<(usize, usize)>,
    /// The group that ends the output so far, if the last thing emitted was `)`.
    last_group: Option<(usize, usize)>,
}

impl Translator<'_> {
    /// A non-greedy quantifier on a group makes the group prefer its shortest match, as in
    /// PostgreSQL: the group's body becomes `(?U:...)`, where quantifiers are lazy.
    fn prefer_shortest(&mut self, group: Option<(usize, usize)>) {
        if let Some((start, open_len)) = group {
            let close = self.out.len() - 1;
            self.out.insert(close, ')');
            self.out.insert_str(start + open_len, "(?U:");
        }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// Reads up to `max` digits of `radix` after the current position.
    fn digits(&mut self, radix: u32, max: usize) -> Option<u32> {
        let mut value: u32 = 0;
        let mut n = 0;
        while n < max {
            match self.peek(0).and_then(|c| c.to_digit(radix)) {
                Some(d) => {
                    value = value.checked_mul(radix)?.checked_add(d)?;
                    self.pos += 1;
                    n += 1;
                }
                None => break,
            }
        }
        (n > 0).then_some(value)
    }

    fn code_point(value: Option<u32>) -> Result<char> {
        value
            .and_then(char::from_u32)
            .ok_or_else(|| invalid_regex("invalid escape \\ sequence"))
    }

    /// An escape after `\` (the backslash is consumed). Returns either a literal
    /// character or a ready piece of Rust syntax.
    fn escape(&mut self, in_class: bool) -> Result<Escaped> {
        let Some(c) = self.peek(0) else {
            return Err(invalid_regex("invalid escape \\ sequence"));
        };
        self.pos += 1;
        Ok(match c {
            'a' => Escaped::Char('\x07'),
            'b' => Escaped::Char('\x08'),
            'B' => Escaped::Char('\\'),
            'e' => Escaped::Char('\x1b'),
            'f' => Escaped::Char('\x0c'),
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            't' => Escaped::Char('\t'),
            'v' => Escaped::Char('\x0b'),
            'c' => {
                let ctl = self
                    .peek(0)
                    .ok_or_else(|| invalid_regex("invalid escape \\ sequence"))?;
                self.pos += 1;
                Escaped::Char(Self::code_point(Some(ctl as u32 & 0x1f))?)
            }
            'u' => Escaped::Char(Self::code_point(self.digits(16, 4))?),
            'U' => Escaped::Char(Self::code_point(self.digits(16, 8))?),
            'x' => Escaped::Char(Self::code_point(self.digits(16, 8))?),
            '0' => {
                let value = self.digits(8, 2).unwrap_or(0);
                Escaped::Char(Self::code_point(Some(value))?)
            }
            '1'..='9' if !in_class => return Err(unsupported("back-references")),
            'd' | 's' | 'w' | 'D' | 'S' | 'W' => Escaped::Syntax(format!("\\{c}")),
            'A' | 'm' | 'M' | 'y' | 'Y' | 'Z' if in_class => {
                return Err(invalid_regex("invalid escape \\ sequence"))
            }
            'A' => Escaped::Syntax("\\A".into()),
            'Z' => Escaped::Syntax("\\z".into()),
            'm' => Escaped::Syntax("\\b{start}".into()),
            'M' => Escaped::Syntax("\\b{end}".into()),
            'y' => Escaped::Syntax("(?:\\b)".into()),
            'Y' => Escaped::Syntax("(?:\\B)".into()),
            c if c.is_alphanumeric() => return Err(invalid_regex("invalid escape \\ sequence")),
            other => Escaped::Char(other),
        })
    }

    fn bracket(&mut self) -> Result<()> {
        // After '['.
        let mut class = String::from("[");
        if self.peek(0) == Some('^') {
            self.pos += 1;
            class.push('^');
            if self.flags.newline_stops_dot {
                class.push_str("\\n");
            }
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek(0) else {
                return Err(invalid_regex("brackets [] not balanced"));
            };
            self.pos += 1;
            match c {
                ']' if !first => break,
                '[' if matches!(self.peek(0), Some(':' | '.' | '=')) => {
                    let kind = self.peek(0).expect("peeked");
                    self.pos += 1;
                    let start = self.pos;
                    while self.pos < self.chars.len()
                        && !(self.chars[self.pos] == kind && self.peek(1) == Some(']'))
                    {
                        self.pos += 1;
                    }
                    if self.pos >= self.chars.len() {
                        return Err(invalid_regex("brackets [] not balanced"));
                    }
                    let name: String = self.chars[start..self.pos].iter().collect();
                    self.pos += 2;
                    if kind == ':' {
                        const CLASSES: &[&str] = &[
                            "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
                            "print", "punct", "space", "upper", "word", "xdigit",
                        ];
                        if !CLASSES.contains(&name.as_str()) {
                            return Err(invalid_regex("invalid character class"));
                        }
                        class.push_str(&format!("[:{name}:]"));
                    } else {
                        let mut it = name.chars();
                        match (it.next(), it.next()) {
                            (Some(single), None) => push_class_char(&mut class, single),
                            _ => return Err(invalid_regex("invalid collating element")),
                        }
                    }
                }
                '\\' => match self.escape(true)? {
                    Escaped::Char(ch) => push_class_char(&mut class, ch),
                    Escaped::Syntax(s) => class.push_str(&s),
                },
                '-' if !first && self.peek(0) != Some(']') => class.push('-'),
                other => push_class_char(&mut class, other),
            }
            first = false;
        }
        class.push(']');
        self.out.push_str(&class);
        Ok(())
    }

    /// Whether a `{` at the current position starts a bound `{m}`, `{m,}`, `{m,n}`.
    fn is_bound(&self) -> bool {
        let mut i = self.pos;
        let mut saw_digit = false;
        while i < self.chars.len() && self.chars[i].is_ascii_digit() {
            i += 1;
            saw_digit = true;
        }
        if !saw_digit {
            return false;
        }
        if i < self.chars.len() && self.chars[i] == ',' {
            i += 1;
            while i < self.chars.len() && self.chars[i].is_ascii_digit() {
                i += 1;
            }
        }
        i < self.chars.len() && self.chars[i] == '}'
    }

    fn run(&mut self) -> Result<()> {
        let mut can_quantify = false;
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            let group = self.last_group.take();
            match c {
                '\\' => {
                    match self.escape(false)? {
                        Escaped::Char(ch) => push_literal(&mut self.out, ch),
                        Escaped::Syntax(s) => self.out.push_str(&s),
                    }
                    can_quantify = true;
                }
                '[' => {
                    self.bracket()?;
                    can_quantify = true;
                }
                '(' => {
                    if self.peek(0) == Some('?') {
                        match (self.peek(1), self.peek(2)) {
                            (Some(':'), _) => {
                                self.pos += 2;
                                self.open_groups.push((self.out.len(), 3));
                                self.out.push_str("(?:");
                            }
                            (Some('=' | '!'), _) | (Some('<'), Some('=' | '!')) => {
                                return Err(unsupported("lookahead and lookbehind constraints"))
                            }
                            _ => return Err(invalid_regex("quantifier operand invalid")),
                        }
                    } else {
                        self.open_groups.push((self.out.len(), 1));
                        self.out.push('(');
                    }
                    can_quantify = false;
                }
                ')' => {
                    let Some(open) = self.open_groups.pop() else {
                        return Err(invalid_regex("parentheses () not balanced"));
                    };
                    self.out.push(')');
                    self.last_group = Some(open);
                    can_quantify = true;
                }
                '*' | '+' | '?' => {
                    if !can_quantify {
                        return Err(invalid_regex("quantifier operand invalid"));
                    }
                    if self.peek(0) == Some('?') {
                        self.pos += 1;
                        self.prefer_shortest(group);
                        self.out.push(c);
                        self.out.push('?');
                    } else {
                        self.out.push(c);
                    }
                    can_quantify = false;
                }
                '{' if self.is_bound() => {
                    if !can_quantify {
                        return Err(invalid_regex("quantifier operand invalid"));
                    }
                    let mut bound = String::from("{");
                    while let Some(d) = self.peek(0) {
                        self.pos += 1;
                        bound.push(d);
                        if d == '}' {
                            break;
                        }
                    }
                    if self.peek(0) == Some('?') {
                        self.pos += 1;
                        self.prefer_shortest(group);
                        bound.push('?');
                    }
                    self.out.push_str(&bound);
                    can_quantify = false;
                }
                '.' => {
                    self.out.push_str(if self.flags.newline_stops_dot {
                        "[^\\n]"
                    } else {
                        "(?s:.)"
                    });
                    can_quantify = true;
                }
                '^' | '$' => {
                    self.out.push(c);
                    can_quantify = false;
                }
                '|' => {
                    self.out.push('|');
                    can_quantify = false;
                }
                '#' if self.flags.expanded => {
                    while let Some(n) = self.peek(0) {
                        self.pos += 1;
                        if n == '\n' {
                            break;
                        }
                    }
                }
                w if self.flags.expanded && w.is_whitespace() => {}
                other => {
                    push_literal(&mut self.out, other);
                    can_quantify = true;
                }
            }
        }
        if !self.open_groups.is_empty() {
            return Err(invalid_regex("parentheses () not balanced"));
        }
        Ok(())
    }
}

enum Escaped {
    Char(char),
    Syntax(String),
}

/// Rewrites a PostgreSQL ARE into `regex` crate syntax under `flags` (which embedded
/// options at the pattern's start may change).
///
/// Errors: 2201B `invalid regular expression: ...` for malformed patterns and for
/// back-references and lookaround constraints.
pub fn translate(pattern: &str, flags: &RegexFlags) -> Result<String> {
    let mut flags = *flags;
    let mut body = pattern;
    if let Some(rest) = body.strip_prefix("***=") {
        flags.literal = true;
        body = rest;
    } else if let Some(rest) = body.strip_prefix("***:") {
        body = rest;
    }
    if !flags.literal {
        if let Some(rest) = body.strip_prefix("(?") {
            if let Some(end) = rest.find(')') {
                let options = &rest[..end];
                if !options.is_empty() && options.chars().all(|c| c.is_ascii_alphabetic()) {
                    for c in options.chars() {
                        match c {
                            'b' => {
                                return Err(pg_err!(
                                    FEATURE_NOT_SUPPORTED,
                                    "basic regular expressions are not supported"
                                ))
                            }
                            'e' => {}
                            _ => {
                                let one = RegexFlags::parse(&c.to_string())
                                    .map_err(|_| invalid_regex("invalid embedded option"))?;
                                if one.literal {
                                    flags.literal = true;
                                } else if c == 'c' {
                                    flags.case_insensitive = false;
                                } else if c == 'i' {
                                    flags.case_insensitive = true;
                                } else if c == 'x' {
                                    flags.expanded = true;
                                } else if c == 't' {
                                    flags.expanded = false;
                                } else {
                                    flags.newline_stops_dot = one.newline_stops_dot;
                                    flags.newline_anchors = one.newline_anchors;
                                }
                            }
                        }
                    }
                    body = &rest[end + 1..];
                }
            }
        }
    }
    let mut out = String::new();
    if flags.case_insensitive {
        out.push_str("(?i)");
    }
    if flags.newline_anchors {
        out.push_str("(?m)");
    }
    if flags.literal {
        out.push_str(&regex::escape(body));
        return Ok(out);
    }
    let mut t = Translator {
        chars: body.chars().collect(),
        pos: 0,
        flags: &flags,
        out,
        open_groups: Vec::new(),
        last_group: None,
    };
    t.run()?;
    Ok(t.out)
}

/// `similar_to_escape(pattern [, escape])`: a SQL `SIMILAR TO` pattern as an anchored
/// ARE (`%` → `.*`, `_` → `.`, parentheses non-capturing, the escape-double-quote
/// separators of `substring(... SIMILAR ...)` marking the returned part). `escape` is
/// `None` for the default backslash and `Some("")` for no escape character.
///
/// Errors: 22025 `invalid escape string` when `escape` is longer than one character;
/// 2200C `SQL regular expression may not contain more than two escape-double-quote
/// separators`.
pub fn similar_to_escape(pattern: &str, escape: Option<&str>) -> Result<String> {
    let escape_char = match escape {
        None => Some('\\'),
        Some(e) => {
            let mut it = e.chars();
            match (it.next(), it.next()) {
                (None, _) => None,
                (Some(c), None) => Some(c),
                _ => {
                    return Err(pg_err!(INVALID_ESCAPE_SEQUENCE, "invalid escape string")
                        .hint("Escape string must be empty or one character."))
                }
            }
        }
    };
    let mut out = String::from("^(?:");
    let mut after_escape = false;
    let mut in_class = false;
    let mut quotes = 0;
    for c in pattern.chars() {
        if after_escape {
            if c == '"' && !in_class {
                match quotes {
                    0 => out.push_str("){1,1}?("),
                    1 => out.push_str("){1,1}(?:"),
                    _ => {
                        return Err(pg_err!(
                            INVALID_USE_OF_ESCAPE_CHARACTER,
                            "SQL regular expression may not contain more than two escape-double-quote separators"
                        ))
                    }
                }
                quotes += 1;
            } else {
                out.push('\\');
                out.push(c);
            }
            after_escape = false;
        } else if Some(c) == escape_char {
            after_escape = true;
        } else if in_class {
            if c == '\\' {
                out.push('\\');
            }
            out.push(c);
            if c == ']' {
                in_class = false;
            }
        } else {
            match c {
                '[' => {
                    out.push('[');
                    in_class = true;
                }
                '%' => out.push_str(".*"),
                '_' => out.push('.'),
                '(' => out.push_str("(?:"),
                '\\' | '.' | '^' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                other => out.push(other),
            }
        }
    }
    out.push_str(")$");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(p: &str) -> String {
        translate(p, &RegexFlags::default()).expect(p)
    }

    #[test]
    fn translates_are_syntax() {
        assert_eq!(tr("a.b"), "a(?s:.)b");
        assert_eq!(tr("a{"), "a\\{");
        assert_eq!(tr("x{2,3}?"), "x{2,3}?");
        assert_eq!(tr("[]a]"), "[\\]a]");
        assert_eq!(tr("[[:digit:]x-z]"), "[[:digit:]x-z]");
        assert_eq!(tr("[a[]"), "[a\\[]");
        assert_eq!(tr("\\mfoo\\M"), "\\b{start}foo\\b{end}");
        assert_eq!(tr("\\<"), "<");
        assert_eq!(tr("***=a.b"), "a\\.b");
        assert_eq!(tr("(?i)abc"), "(?i)abc");
        assert_eq!(tr("(a*){1,1}?(b)"), "((?U:a*)){1,1}?(b)");
        assert_eq!(tr("(?:x+)*?"), "(?:(?U:x+))*?");
        let n = RegexFlags::parse("n").expect("flags");
        assert_eq!(translate("^.[^a]$", &n).expect("n"), "(?m)^[^\\n][^\\na]$");
    }

    #[test]
    fn rejects_what_cannot_be_expressed() {
        let e = translate("(a)\\1", &RegexFlags::default()).expect_err("backref");
        assert_eq!(e.code.code(), "2201B");
        assert_eq!(
            e.message,
            "invalid regular expression: back-references are not supported"
        );
        let e = translate("a(?=b)", &RegexFlags::default()).expect_err("lookahead");
        assert_eq!(e.code.code(), "2201B");
        let e = translate("(a", &RegexFlags::default()).expect_err("parens");
        assert_eq!(
            e.message,
            "invalid regular expression: parentheses () not balanced"
        );
        let e = translate("[a", &RegexFlags::default()).expect_err("brackets");
        assert_eq!(
            e.message,
            "invalid regular expression: brackets [] not balanced"
        );
        let e = translate("*a", &RegexFlags::default()).expect_err("quantifier");
        assert_eq!(
            e.message,
            "invalid regular expression: quantifier operand invalid"
        );
        let e = RegexFlags::parse("z").expect_err("flag");
        assert_eq!(e.message, "invalid regular expression option: \"z\"");
    }

    #[test]
    fn similar_to_escape_matches_postgres() {
        // Expected strings from PostgreSQL 15's similar_to_escape.
        assert_eq!(similar_to_escape("abc%", None).expect("ok"), "^(?:abc.*)$");
        assert_eq!(
            similar_to_escape("a_(b|c)", None).expect("ok"),
            "^(?:a.(?:b|c))$"
        );
        assert_eq!(
            similar_to_escape("%#\"o_b#\"%", Some("#")).expect("ok"),
            "^(?:.*){1,1}?(o.b){1,1}(?:.*)$"
        );
        assert_eq!(
            similar_to_escape("a.b$", Some("")).expect("ok"),
            "^(?:a\\.b\\$)$"
        );
        assert_eq!(
            similar_to_escape("x", Some("ab"))
                .expect_err("escape")
                .code
                .code(),
            "22025"
        );
    }
}
