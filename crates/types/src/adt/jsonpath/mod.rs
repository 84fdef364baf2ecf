//! The `jsonpath` type (PostgreSQL docs §8.14.7 and §9.16.2): the SQL/JSON path language
//! read into a tree ([`JsonPath`]) and printed back in PostgreSQL's canonical form.
//!
//! A path is a chain of items: each [`Item`] has a kind and an optional next item that
//! applies to each of its results (`$.a[*]` is Root → Key "a" → AnyArray). Operators hold
//! their operands as chains of their own.
//!
//! A `jsonpath` datum is its canonical text (what [`JsonPath`]'s `Display` prints); the
//! text reads back into the same tree, so functions re-parse it. The binary form is a
//! version byte 1 followed by that text, as PostgreSQL's `jsonpath_send`.
//!
//! Entry points: [`parse`], [`JsonPath`] (`Display` is `jsonpath_out`), [`recv`],
//! [`send`]. See also `scan` (the lexer) and `parse` (the grammar); evaluation lives in
//! the executor (`builtins/jsonpath`).

mod parse;
mod scan;

use std::fmt::{self, Write as _};

use crate::adt::json::escape_json;
use crate::adt::numeric::Numeric;
use crate::{pg_err, Result};

pub use parse::parse;

/// The `**{... to last}` bound.
pub const ANY_LAST: u32 = u32::MAX;

/// A parsed path: its mode and its expression.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    /// `strict` (true) or `lax` (the default).
    pub strict: bool,
    /// The expression or predicate.
    pub expr: Item,
}

/// One item of a chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What the item does.
    pub kind: ItemKind,
    /// The item applied to each result of this one.
    pub next: Option<Box<Item>>,
}

/// Binary operators: predicates and arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `==`
    Equal,
    /// `!=` / `<>`
    NotEqual,
    /// `<`
    Less,
    /// `>`
    Greater,
    /// `<=`
    LessOrEqual,
    /// `>=`
    GreaterOrEqual,
    /// `starts with`
    StartsWith,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
}

impl BinaryOp {
    /// The operator as PostgreSQL names it in text and messages.
    pub fn name(self) -> &'static str {
        match self {
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Equal => "==",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::Greater => ">",
            BinaryOp::LessOrEqual => "<=",
            BinaryOp::GreaterOrEqual => ">=",
            BinaryOp::StartsWith => "starts with",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
        }
    }

    /// True for the operators that give a boolean (predicates).
    pub fn is_predicate(self) -> bool {
        !matches!(
            self,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod
        )
    }
}

/// Item methods without arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `.type()`
    Type,
    /// `.size()`
    Size,
    /// `.double()`
    Double,
    /// `.ceiling()`
    Ceiling,
    /// `.floor()`
    Floor,
    /// `.abs()`
    Abs,
    /// `.keyvalue()`
    KeyValue,
}

impl Method {
    /// The method's name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Type => "type",
            Method::Size => "size",
            Method::Double => "double",
            Method::Ceiling => "ceiling",
            Method::Floor => "floor",
            Method::Abs => "abs",
            Method::KeyValue => "keyvalue",
        }
    }
}

/// `like_regex` flags (XQuery's `i`, `s`, `m`, `x`, `q`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RegexFlags {
    /// `i`: case-insensitive.
    pub icase: bool,
    /// `s`: `.` matches newline.
    pub dotall: bool,
    /// `m`: `^` and `$` match at lines.
    pub multiline: bool,
    /// `x`: expanded (refused by the parser, as PostgreSQL does).
    pub wspace: bool,
    /// `q`: the pattern is a literal string.
    pub quote: bool,
}

/// What an item does.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Numeric(Numeric),
    /// A string.
    String(String),
    /// `$name`
    Variable(String),
    /// `$`
    Root,
    /// `@`
    Current,
    /// `last` (inside array subscripts)
    Last,
    /// `.key`
    Key(String),
    /// `.*`
    AnyKey,
    /// `[*]`
    AnyArray,
    /// `[a, b to c]`
    IndexArray(Vec<(Item, Option<Item>)>),
    /// `.**{first to last}` ([`ANY_LAST`] for `last`)
    Any {
        /// The lowest level.
        first: u32,
        /// The highest level.
        last: u32,
    },
    /// A binary operator.
    Binary(BinaryOp, Box<Item>, Box<Item>),
    /// Unary `+` (false) or `-` (true).
    Unary {
        /// `-` rather than `+`.
        minus: bool,
        /// The operand.
        arg: Box<Item>,
    },
    /// `!(predicate)`
    Not(Box<Item>),
    /// `(predicate) is unknown`
    IsUnknown(Box<Item>),
    /// `exists (expr)`
    Exists(Box<Item>),
    /// `?(predicate)`
    Filter(Box<Item>),
    /// `expr like_regex "pattern" flag "flags"`
    LikeRegex {
        /// The tested expression.
        expr: Box<Item>,
        /// The pattern.
        pattern: String,
        /// The flags.
        flags: RegexFlags,
    },
    /// An item method without arguments.
    Method(Method),
    /// `.datetime()` / `.datetime("template")`
    Datetime(Option<String>),
}

impl Item {
    /// An item without a next one.
    pub fn new(kind: ItemKind) -> Item {
        Item { kind, next: None }
    }

    /// True when the item is a predicate giving a boolean (and has no next item).
    pub fn is_predicate(&self) -> bool {
        self.next.is_none()
            && match &self.kind {
                ItemKind::Binary(op, _, _) => op.is_predicate(),
                ItemKind::Not(_)
                | ItemKind::IsUnknown(_)
                | ItemKind::Exists(_)
                | ItemKind::LikeRegex { .. } => true,
                _ => false,
            }
    }

    /// Appends `tail` at the end of this item's chain.
    pub fn append(&mut self, tail: Item) {
        let mut at = self;
        while at.next.is_some() {
            at = at.next.as_mut().expect("checked above");
        }
        at.next = Some(Box::new(tail));
    }

    fn priority(&self) -> u8 {
        match &self.kind {
            ItemKind::Binary(op, _, _) => match op {
                BinaryOp::Or => 0,
                BinaryOp::And => 1,
                BinaryOp::Equal
                | BinaryOp::NotEqual
                | BinaryOp::Less
                | BinaryOp::Greater
                | BinaryOp::LessOrEqual
                | BinaryOp::GreaterOrEqual
                | BinaryOp::StartsWith => 2,
                BinaryOp::Add | BinaryOp::Sub => 3,
                BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 4,
            },
            ItemKind::Unary { .. } => 5,
            _ => 6,
        }
    }

    /// Prints the item as `jsonpath_out` does: `in_key` when it follows another item
    /// (accessors then start with `.`), `brackets` when an operator must be
    /// parenthesized.
    fn print(&self, out: &mut String, in_key: bool, brackets: bool) {
        match &self.kind {
            ItemKind::Null => out.push_str("null"),
            ItemKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            ItemKind::Numeric(n) => {
                if self.next.is_some() {
                    let _ = write!(out, "({n})");
                } else {
                    let _ = write!(out, "{n}");
                }
            }
            ItemKind::String(s) => escape_json(out, s),
            ItemKind::Variable(name) => {
                out.push('$');
                escape_json(out, name);
            }
            ItemKind::Root => out.push('$'),
            ItemKind::Current => out.push('@'),
            ItemKind::Last => out.push_str("last"),
            ItemKind::Key(k) => {
                if in_key {
                    out.push('.');
                }
                escape_json(out, k);
            }
            ItemKind::AnyKey => {
                if in_key {
                    out.push('.');
                }
                out.push('*');
            }
            ItemKind::AnyArray => out.push_str("[*]"),
            ItemKind::IndexArray(elems) => {
                out.push('[');
                for (i, (from, to)) in elems.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    from.print(out, false, false);
                    if let Some(to) = to {
                        out.push_str(" to ");
                        to.print(out, false, false);
                    }
                }
                out.push(']');
            }
            ItemKind::Any { first, last } => {
                if in_key {
                    out.push('.');
                }
                let level = |v: u32| {
                    if v == ANY_LAST {
                        "last".to_string()
                    } else {
                        v.to_string()
                    }
                };
                if *first == 0 && *last == ANY_LAST {
                    out.push_str("**");
                } else if first == last {
                    let _ = write!(out, "**{{{}}}", level(*first));
                } else {
                    let _ = write!(out, "**{{{} to {}}}", level(*first), level(*last));
                }
            }
            ItemKind::Binary(op, left, right) => {
                if brackets {
                    out.push('(');
                }
                left.print(out, false, left.priority() <= self.priority());
                out.push(' ');
                out.push_str(op.name());
                out.push(' ');
                right.print(out, false, right.priority() <= self.priority());
                if brackets {
                    out.push(')');
                }
            }
            ItemKind::Unary { minus, arg } => {
                if brackets {
                    out.push('(');
                }
                out.push(if *minus { '-' } else { '+' });
                arg.print(out, false, arg.priority() <= self.priority());
                if brackets {
                    out.push(')');
                }
            }
            ItemKind::LikeRegex {
                expr,
                pattern,
                flags,
            } => {
                if brackets {
                    out.push('(');
                }
                expr.print(out, false, expr.priority() <= self.priority());
                out.push_str(" like_regex ");
                escape_json(out, pattern);
                if *flags != RegexFlags::default() {
                    out.push_str(" flag \"");
                    for (on, c) in [
                        (flags.icase, 'i'),
                        (flags.dotall, 's'),
                        (flags.multiline, 'm'),
                        (flags.wspace, 'x'),
                        (flags.quote, 'q'),
                    ] {
                        if on {
                            out.push(c);
                        }
                    }
                    out.push('"');
                }
                if brackets {
                    out.push(')');
                }
            }
            ItemKind::Filter(arg) => {
                out.push_str("?(");
                arg.print(out, false, false);
                out.push(')');
            }
            ItemKind::Not(arg) => {
                out.push_str("!(");
                arg.print(out, false, false);
                out.push(')');
            }
            ItemKind::IsUnknown(arg) => {
                out.push('(');
                arg.print(out, false, false);
                out.push_str(") is unknown");
            }
            ItemKind::Exists(arg) => {
                out.push_str("exists (");
                arg.print(out, false, false);
                out.push(')');
            }
            ItemKind::Method(m) => {
                let _ = write!(out, ".{}()", m.name());
            }
            ItemKind::Datetime(template) => {
                out.push_str(".datetime(");
                if let Some(t) = template {
                    escape_json(out, t);
                }
                out.push(')');
            }
        }
        if let Some(next) = &self.next {
            next.print(out, true, true);
        }
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        if self.strict {
            out.push_str("strict ");
        }
        self.expr.print(&mut out, false, true);
        f.write_str(&out)
    }
}

/// `jsonpath_send`: version 1, then the canonical text.
pub fn send(canonical: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(canonical.len() + 1);
    out.push(1);
    out.extend_from_slice(canonical.as_bytes());
    out
}

/// `jsonpath_recv`: the version byte (1) and the path's text, read as [`parse`] does.
///
/// Errors: XX000 `unsupported jsonpath version number: N` for a version other than 1, as
/// PostgreSQL; 22P03 for an empty message; the text's own errors as [`parse`].
pub fn recv(
    bytes: &[u8],
    check_regex: &dyn Fn(&str, RegexFlags) -> Result<()>,
) -> Result<JsonPath> {
    match bytes.split_first() {
        Some((1, text)) => {
            let text = std::str::from_utf8(text).map_err(|_| {
                pg_err!(
                    CHARACTER_NOT_IN_REPERTOIRE,
                    "invalid byte sequence for encoding \"UTF8\""
                )
            })?;
            parse(text, check_regex)
        }
        Some((v, _)) => Err(pg_err!(
            INTERNAL_ERROR,
            "unsupported jsonpath version number: {}",
            v
        )),
        None => Err(pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "insufficient data left in message"
        )),
    }
}

#[cfg(test)]
mod tests;
