//! The grammar of the SQL/JSON path language (PostgreSQL's `jsonpath_gram.y`) as a
//! recursive-descent parser over the tokens of `scan`.
//!
//! Precedence, lowest first: `||`, `&&`, `!`, comparisons / `starts with` /
//! `like_regex` (not chained), `+ -`, `* / %`, unary `+ -`, accessors. Predicates and
//! value expressions are distinct: a predicate is an operand only of `&&`, `||`, `!`,
//! `is unknown` and filters, unless parenthesized and followed by an accessor.

use super::scan::{syntax_error, tokenize, Tok, Token};
use super::{BinaryOp, Item, ItemKind, JsonPath, Method, RegexFlags, ANY_LAST};
use crate::adt::numeric::Numeric;
use crate::{pg_err, Error, Result, SqlState};

/// `jsonpath_in`: reads a path; `check_regex` validates each `like_regex` pattern with
/// its flags (the regular expression engine lives above this crate).
///
/// Errors: 22P02 for empty input; 42601 syntax errors worded as PostgreSQL's
/// (`syntax error at or near "..." of jsonpath input`, `LAST is allowed only in array
/// subscripts`, `@ is not allowed in root expressions`, ...); `check_regex`'s own.
pub fn parse(text: &str, check_regex: &dyn Fn(&str, RegexFlags) -> Result<()>) -> Result<JsonPath> {
    let tokens = tokenize(text)?;
    if tokens[0].kind == Tok::End {
        return Err(pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type jsonpath: \"{}\"",
            text
        ));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        check_regex,
    };
    let strict = match p.peek() {
        Tok::Keyword("strict", _) => {
            p.pos += 1;
            true
        }
        Tok::Keyword("lax", _) => {
            p.pos += 1;
            false
        }
        _ => false,
    };
    let expr = p.or()?;
    if p.peek() != &Tok::End {
        return Err(p.error());
    }
    check_item(&expr, 0, false)?;
    Ok(JsonPath { strict, expr })
}

/// PostgreSQL's checks after parsing: `@` only inside filters, `last` only inside array
/// subscripts.
fn check_item(item: &Item, nesting: u32, in_subscript: bool) -> Result<()> {
    match &item.kind {
        ItemKind::Current if nesting == 0 => {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "@ is not allowed in root expressions"
            ))
        }
        ItemKind::Last if !in_subscript => {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "LAST is allowed only in array subscripts"
            ))
        }
        ItemKind::Binary(_, l, r) => {
            check_item(l, nesting, in_subscript)?;
            check_item(r, nesting, in_subscript)?;
        }
        ItemKind::Unary { arg, .. }
        | ItemKind::Not(arg)
        | ItemKind::IsUnknown(arg)
        | ItemKind::Exists(arg)
        | ItemKind::LikeRegex { expr: arg, .. } => check_item(arg, nesting, in_subscript)?,
        ItemKind::Filter(arg) => check_item(arg, nesting + 1, in_subscript)?,
        ItemKind::IndexArray(elems) => {
            for (from, to) in elems {
                check_item(from, nesting, true)?;
                if let Some(to) = to {
                    check_item(to, nesting, true)?;
                }
            }
        }
        _ => {}
    }
    match &item.next {
        Some(next) => check_item(next, nesting, in_subscript),
        None => Ok(()),
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    check_regex: &'a dyn Fn(&str, RegexFlags) -> Result<()>,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].kind
    }

    fn peek_at(&self, n: usize) -> &Tok {
        let i = (self.pos + n).min(self.tokens.len() - 1);
        &self.tokens[i].kind
    }

    fn advance(&mut self) -> Tok {
        let t = self.tokens[self.pos].kind.clone();
        if t != Tok::End {
            self.pos += 1;
        }
        t
    }

    /// A syntax error at the current token.
    fn error(&self) -> Error {
        syntax_error("syntax error", self.tokens[self.pos].near.as_deref())
    }

    fn expect_punct(&mut self, c: char) -> Result<()> {
        if self.peek() == &Tok::Punct(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn predicate(&self, item: Item) -> Result<Item> {
        if item.is_predicate() {
            Ok(item)
        } else {
            Err(self.error())
        }
    }

    fn expr(&self, item: Item) -> Result<Item> {
        if item.is_predicate() {
            Err(self.error())
        } else {
            Ok(item)
        }
    }

    fn or(&mut self) -> Result<Item> {
        let mut left = self.and()?;
        while self.peek() == &Tok::Op("||") {
            left = self.predicate(left)?;
            self.pos += 1;
            let right = self.and()?;
            let right = self.predicate(right)?;
            left = binary(BinaryOp::Or, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Item> {
        let mut left = self.not()?;
        while self.peek() == &Tok::Op("&&") {
            left = self.predicate(left)?;
            self.pos += 1;
            let right = self.not()?;
            let right = self.predicate(right)?;
            left = binary(BinaryOp::And, left, right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Item> {
        if self.peek() != &Tok::Punct('!') {
            return self.comparison();
        }
        self.pos += 1;
        match self.peek() {
            Tok::Punct('(') => {
                self.pos += 1;
                let inner = self.or()?;
                let inner = self.predicate(inner)?;
                self.expect_punct(')')?;
                Ok(Item::new(ItemKind::Not(Box::new(inner))))
            }
            Tok::Keyword("exists", _) => {
                let inner = self.exists()?;
                Ok(Item::new(ItemKind::Not(Box::new(inner))))
            }
            _ => Err(self.error()),
        }
    }

    fn exists(&mut self) -> Result<Item> {
        self.pos += 1;
        self.expect_punct('(')?;
        let inner = self.or()?;
        let inner = self.expr(inner)?;
        self.expect_punct(')')?;
        Ok(Item::new(ItemKind::Exists(Box::new(inner))))
    }

    fn comparison(&mut self) -> Result<Item> {
        let left = self.additive()?;
        let op = match self.peek() {
            Tok::Op("==") => BinaryOp::Equal,
            Tok::Op("!=") => BinaryOp::NotEqual,
            Tok::Op("<=") => BinaryOp::LessOrEqual,
            Tok::Op(">=") => BinaryOp::GreaterOrEqual,
            Tok::Punct('<') => BinaryOp::Less,
            Tok::Punct('>') => BinaryOp::Greater,
            Tok::Keyword("starts", _) => {
                let left = self.expr(left)?;
                self.pos += 1;
                if !matches!(self.peek(), Tok::Keyword("with", _)) {
                    return Err(self.error());
                }
                self.pos += 1;
                let initial = match self.peek().clone() {
                    Tok::String(s) => ItemKind::String(s),
                    Tok::Variable(v) => ItemKind::Variable(v),
                    _ => return Err(self.error()),
                };
                self.pos += 1;
                return Ok(binary(BinaryOp::StartsWith, left, Item::new(initial)));
            }
            Tok::Keyword("like_regex", _) => {
                let left = self.expr(left)?;
                self.pos += 1;
                let Tok::String(pattern) = self.peek().clone() else {
                    return Err(self.error());
                };
                self.pos += 1;
                let mut flags = RegexFlags::default();
                if matches!(self.peek(), Tok::Keyword("flag", _)) {
                    self.pos += 1;
                    let Tok::String(f) = self.peek().clone() else {
                        return Err(self.error());
                    };
                    self.pos += 1;
                    flags = regex_flags(&f)?;
                }
                (self.check_regex)(&pattern, flags)?;
                return Ok(Item::new(ItemKind::LikeRegex {
                    expr: Box::new(left),
                    pattern,
                    flags,
                }));
            }
            _ => return Ok(left),
        };
        let left = self.expr(left)?;
        self.pos += 1;
        let right = self.additive()?;
        let right = self.expr(right)?;
        Ok(binary(op, left, right))
    }

    fn additive(&mut self) -> Result<Item> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Punct('+') => BinaryOp::Add,
                Tok::Punct('-') => BinaryOp::Sub,
                _ => return Ok(left),
            };
            left = self.expr(left)?;
            self.pos += 1;
            let right = self.multiplicative()?;
            let right = self.expr(right)?;
            left = binary(op, left, right);
        }
    }

    fn multiplicative(&mut self) -> Result<Item> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Punct('*') => BinaryOp::Mul,
                Tok::Punct('/') => BinaryOp::Div,
                Tok::Punct('%') => BinaryOp::Mod,
                _ => return Ok(left),
            };
            left = self.expr(left)?;
            self.pos += 1;
            let right = self.unary()?;
            let right = self.expr(right)?;
            left = binary(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Item> {
        let minus = match self.peek() {
            Tok::Punct('+') => false,
            Tok::Punct('-') => true,
            _ => return self.accessor_expr(),
        };
        self.pos += 1;
        let arg = self.unary()?;
        let arg = self.expr(arg)?;
        Ok(match arg {
            Item {
                kind: ItemKind::Numeric(n),
                next: None,
            } => Item::new(ItemKind::Numeric(if minus { n.neg() } else { n })),
            arg => Item::new(ItemKind::Unary {
                minus,
                arg: Box::new(arg),
            }),
        })
    }

    fn accessor_expr(&mut self) -> Result<Item> {
        let mut item = match self.peek().clone() {
            Tok::Punct('(') => {
                self.pos += 1;
                let inner = self.or()?;
                self.expect_punct(')')?;
                if matches!(self.peek(), Tok::Keyword("is", _)) {
                    if !matches!(self.peek_at(1), Tok::Keyword("unknown", _)) {
                        self.pos += 1;
                        return Err(self.error());
                    }
                    let inner = self.predicate(inner)?;
                    self.pos += 2;
                    return Ok(Item::new(ItemKind::IsUnknown(Box::new(inner))));
                }
                inner
            }
            Tok::Keyword("exists", _) => return self.exists(),
            Tok::String(s) => self.primary(ItemKind::String(s)),
            Tok::Keyword("null", _) => self.primary(ItemKind::Null),
            Tok::Keyword("true", _) => self.primary(ItemKind::Bool(true)),
            Tok::Keyword("false", _) => self.primary(ItemKind::Bool(false)),
            Tok::Keyword("last", _) => self.primary(ItemKind::Last),
            Tok::Numeric(n) | Tok::Int(n) => self.primary(ItemKind::Numeric(Numeric::parse(&n)?)),
            Tok::Variable(v) => self.primary(ItemKind::Variable(v)),
            Tok::Punct('$') => self.primary(ItemKind::Root),
            Tok::Punct('@') => self.primary(ItemKind::Current),
            _ => return Err(self.error()),
        };
        while let Some(acc) = self.accessor()? {
            item.append(acc);
        }
        Ok(item)
    }

    fn primary(&mut self, kind: ItemKind) -> Item {
        self.pos += 1;
        Item::new(kind)
    }

    /// One accessor (`.key`, `[...]`, `?(...)`, a method), if one follows.
    fn accessor(&mut self) -> Result<Option<Item>> {
        match self.peek() {
            Tok::Punct('.') => {
                self.pos += 1;
                self.dot_accessor().map(Some)
            }
            Tok::Punct('[') => {
                self.pos += 1;
                self.array_accessor().map(Some)
            }
            Tok::Punct('?') => {
                self.pos += 1;
                self.expect_punct('(')?;
                let inner = self.or()?;
                let inner = self.predicate(inner)?;
                self.expect_punct(')')?;
                Ok(Some(Item::new(ItemKind::Filter(Box::new(inner)))))
            }
            _ => Ok(None),
        }
    }

    fn dot_accessor(&mut self) -> Result<Item> {
        let kind = match self.advance() {
            Tok::Punct('*') => ItemKind::AnyKey,
            Tok::Op("**") => self.any_path()?,
            Tok::Keyword(kw, spelling) => {
                let method = match kw {
                    "abs" => Some(Method::Abs),
                    "size" => Some(Method::Size),
                    "type" => Some(Method::Type),
                    "floor" => Some(Method::Floor),
                    "double" => Some(Method::Double),
                    "ceiling" => Some(Method::Ceiling),
                    "keyvalue" => Some(Method::KeyValue),
                    _ => None,
                };
                if self.peek() != &Tok::Punct('(') {
                    ItemKind::Key(spelling)
                } else if let Some(m) = method {
                    self.pos += 1;
                    self.expect_punct(')')?;
                    ItemKind::Method(m)
                } else if kw == "datetime" {
                    self.pos += 1;
                    let template = match self.peek().clone() {
                        Tok::String(s) => {
                            self.pos += 1;
                            Some(s)
                        }
                        _ => None,
                    };
                    self.expect_punct(')')?;
                    ItemKind::Datetime(template)
                } else {
                    ItemKind::Key(spelling)
                }
            }
            Tok::Ident(s) | Tok::String(s) => ItemKind::Key(s),
            Tok::End => return Err(self.error()),
            _ => {
                self.pos -= 1;
                return Err(self.error());
            }
        };
        Ok(Item::new(kind))
    }

    fn any_path(&mut self) -> Result<ItemKind> {
        if self.peek() != &Tok::Punct('{') {
            return Ok(ItemKind::Any {
                first: 0,
                last: ANY_LAST,
            });
        }
        self.pos += 1;
        let first = self.any_level()?;
        let last = if matches!(self.peek(), Tok::Keyword("to", _)) {
            self.pos += 1;
            self.any_level()?
        } else {
            first
        };
        self.expect_punct('}')?;
        Ok(ItemKind::Any { first, last })
    }

    fn any_level(&mut self) -> Result<u32> {
        match self.peek().clone() {
            Tok::Int(n) => {
                self.pos += 1;
                n.parse::<u32>().map_err(|_| self.error())
            }
            Tok::Keyword("last", _) => {
                self.pos += 1;
                Ok(ANY_LAST)
            }
            _ => Err(self.error()),
        }
    }

    fn array_accessor(&mut self) -> Result<Item> {
        if self.peek() == &Tok::Punct('*') && self.peek_at(1) == &Tok::Punct(']') {
            self.pos += 2;
            return Ok(Item::new(ItemKind::AnyArray));
        }
        let mut elems = Vec::new();
        loop {
            let from = self.additive()?;
            let from = self.expr(from)?;
            let to = if matches!(self.peek(), Tok::Keyword("to", _)) {
                self.pos += 1;
                let to = self.additive()?;
                Some(self.expr(to)?)
            } else {
                None
            };
            elems.push((from, to));
            match self.advance() {
                Tok::Punct(',') => continue,
                Tok::Punct(']') => break,
                Tok::End => return Err(self.error()),
                _ => {
                    self.pos -= 1;
                    return Err(self.error());
                }
            }
        }
        Ok(Item::new(ItemKind::IndexArray(elems)))
    }
}

fn binary(op: BinaryOp, left: Item, right: Item) -> Item {
    Item::new(ItemKind::Binary(op, Box::new(left), Box::new(right)))
}

/// The flags string of `like_regex`.
///
/// Errors: 42601 `invalid input syntax for type jsonpath` with the character.
fn regex_flags(text: &str) -> Result<RegexFlags> {
    let mut f = RegexFlags::default();
    for c in text.chars() {
        match c {
            'i' => f.icase = true,
            's' => f.dotall = true,
            'm' => f.multiline = true,
            'x' => f.wspace = true,
            'q' => f.quote = true,
            other => {
                return Err(Error::new(
                    SqlState::SYNTAX_ERROR,
                    "invalid input syntax for type jsonpath",
                )
                .detail(format!(
                    "Unrecognized flag character \"{other}\" in LIKE_REGEX predicate."
                )))
            }
        }
    }
    Ok(f)
}
