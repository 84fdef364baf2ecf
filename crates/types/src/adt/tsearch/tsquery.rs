//! `tsquery`: a tree of lexemes (with an optional weight mask and prefix flag) under
//! `!`, `&`, `|` and the phrase operator `<N>` (PostgreSQL's `tsquery.c`).
//!
//! Parsing follows PostgreSQL's operator precedence (`!` > `<->` > `&` > `|`, the binary
//! operators left-associative); output puts parentheses exactly where PostgreSQL does.
//! PostgreSQL stores the tree in prefix order with each operator's right operand right
//! after it; the binary form and the order of [`tsquery_cmp`] follow that layout.

use std::cmp::Ordering;

use super::lexer::Lexer;
use super::{is_space, quote_lexeme};
use crate::{pg_err, Result};

/// The largest distance of a phrase operator (`MAXENTRYPOS`).
pub const MAX_PHRASE_DISTANCE: i64 = 1 << 14;

/// A lexeme of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryOperand {
    /// The lexeme.
    pub word: String,
    /// Weight mask: A = 8, B = 4, C = 2, D = 1; 0 = any.
    pub weight: u8,
    /// `:*`: matches lexemes starting with `word`.
    pub prefix: bool,
}

/// A node of a query tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryNode {
    /// A lexeme.
    Operand(QueryOperand),
    /// `!x`.
    Not(Box<QueryNode>),
    /// `x & y`.
    And(Box<QueryNode>, Box<QueryNode>),
    /// `x | y`.
    Or(Box<QueryNode>, Box<QueryNode>),
    /// `x <N> y` (`<->` is distance 1).
    Phrase(Box<QueryNode>, Box<QueryNode>, u16),
}

/// A `tsquery` value; `None` is the empty query.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TsQuery {
    /// The tree.
    pub root: Option<QueryNode>,
}

const OP_NOT: u8 = 1;
const OP_AND: u8 = 2;
const OP_OR: u8 = 3;
const OP_PHRASE: u8 = 4;

fn priority(op: u8) -> i32 {
    match op {
        OP_NOT => 4,
        OP_AND => 2,
        OP_OR => 1,
        _ => 3,
    }
}

impl QueryNode {
    fn op(&self) -> Option<u8> {
        match self {
            QueryNode::Operand(_) => None,
            QueryNode::Not(_) => Some(OP_NOT),
            QueryNode::And(..) => Some(OP_AND),
            QueryNode::Or(..) => Some(OP_OR),
            QueryNode::Phrase(..) => Some(OP_PHRASE),
        }
    }

    /// Number of items (operands and operators) in the tree, `numnode`.
    pub fn count(&self) -> usize {
        match self {
            QueryNode::Operand(_) => 1,
            QueryNode::Not(x) => 1 + x.count(),
            QueryNode::And(l, r) | QueryNode::Or(l, r) | QueryNode::Phrase(l, r, _) => {
                1 + l.count() + r.count()
            }
        }
    }

    fn operand_bytes(&self) -> usize {
        match self {
            QueryNode::Operand(o) => o.word.len() + 1,
            QueryNode::Not(x) => x.operand_bytes(),
            QueryNode::And(l, r) | QueryNode::Or(l, r) | QueryNode::Phrase(l, r, _) => {
                l.operand_bytes() + r.operand_bytes()
            }
        }
    }

    /// Appends the infix text (`infix` in PostgreSQL) with the parent's priority.
    fn infix(&self, parent: i32, right_phrase: bool, out: &mut String) {
        match self {
            QueryNode::Operand(o) => {
                quote_lexeme(&o.word, out);
                if o.weight != 0 || o.prefix {
                    out.push(':');
                    if o.prefix {
                        out.push('*');
                    }
                    for (bit, c) in [(8, 'A'), (4, 'B'), (2, 'C'), (1, 'D')] {
                        if o.weight & bit != 0 {
                            out.push(c);
                        }
                    }
                }
            }
            QueryNode::Not(x) => {
                let p = priority(OP_NOT);
                let paren = p < parent;
                if paren {
                    out.push_str("( ");
                }
                out.push('!');
                x.infix(p, false, out);
                if paren {
                    out.push_str(" )");
                }
            }
            QueryNode::And(l, r) | QueryNode::Or(l, r) | QueryNode::Phrase(l, r, _) => {
                let op = self.op().expect("operator");
                let p = priority(op);
                let paren = p < parent || (op == OP_PHRASE && right_phrase);
                if paren {
                    out.push_str("( ");
                }
                l.infix(p, false, out);
                match self {
                    QueryNode::Or(..) => out.push_str(" | "),
                    QueryNode::And(..) => out.push_str(" & "),
                    QueryNode::Phrase(_, _, 1) => out.push_str(" <-> "),
                    QueryNode::Phrase(_, _, d) => out.push_str(&format!(" <{d}> ")),
                    _ => {}
                }
                r.infix(p, op == OP_PHRASE, out);
                if paren {
                    out.push_str(" )");
                }
            }
        }
    }

    fn send(&self, out: &mut Vec<u8>) {
        match self {
            QueryNode::Operand(o) => {
                out.push(1);
                out.push(o.weight);
                out.push(u8::from(o.prefix));
                out.extend_from_slice(o.word.as_bytes());
                out.push(0);
            }
            QueryNode::Not(x) => {
                out.extend_from_slice(&[2, OP_NOT]);
                x.send(out);
            }
            QueryNode::And(l, r) | QueryNode::Or(l, r) | QueryNode::Phrase(l, r, _) => {
                out.push(2);
                out.push(self.op().expect("operator"));
                if let QueryNode::Phrase(_, _, d) = self {
                    out.extend_from_slice(&(*d as i16).to_be_bytes());
                }
                r.send(out);
                l.send(out);
            }
        }
    }
}

/// The CRC PostgreSQL keeps per operand (`valcrc`, its legacy CRC-32), as a signed value.
fn operand_crc(word: &str) -> i32 {
    let mut crc: u32 = 0xFFFF_FFFF;
    for &b in word.as_bytes() {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    (crc ^ 0xFFFF_FFFF) as i32
}

/// `QTNodeCompare`: operators before operands, then by operator code (higher first),
/// children right to left; operands by CRC (higher first) then text.
fn node_cmp(a: &QueryNode, b: &QueryNode) -> Ordering {
    match (a, b) {
        (QueryNode::Operand(x), QueryNode::Operand(y)) => {
            let (cx, cy) = (operand_crc(&x.word), operand_crc(&y.word));
            if cx != cy {
                return cy.cmp(&cx);
            }
            x.word.as_bytes().cmp(y.word.as_bytes())
        }
        (QueryNode::Operand(_), _) => Ordering::Less,
        (_, QueryNode::Operand(_)) => Ordering::Greater,
        _ => {
            let (oa, ob) = (a.op().expect("op"), b.op().expect("op"));
            if oa != ob {
                return ob.cmp(&oa);
            }
            let children = |n: &QueryNode| -> Vec<QueryNode> {
                match n {
                    QueryNode::Not(x) => vec![(**x).clone()],
                    QueryNode::And(l, r) | QueryNode::Or(l, r) | QueryNode::Phrase(l, r, _) => {
                        vec![(**r).clone(), (**l).clone()]
                    }
                    QueryNode::Operand(_) => vec![],
                }
            };
            for (x, y) in children(a).iter().zip(children(b).iter()) {
                let c = node_cmp(x, y);
                if c != Ordering::Equal {
                    return c;
                }
            }
            if let (QueryNode::Phrase(_, _, da), QueryNode::Phrase(_, _, db)) = (a, b) {
                if da != db {
                    return db.cmp(da);
                }
            }
            Ordering::Equal
        }
    }
}

/// `tsquery_cmp`: by item count, then the operands' total length, then the trees.
pub fn tsquery_cmp(a: &TsQuery, b: &TsQuery) -> Ordering {
    let count = |q: &TsQuery| q.root.as_ref().map_or(0, QueryNode::count);
    let bytes = |q: &TsQuery| q.root.as_ref().map_or(0, QueryNode::operand_bytes);
    count(a)
        .cmp(&count(b))
        .then_with(|| bytes(a).cmp(&bytes(b)))
        .then_with(|| match (&a.root, &b.root) {
            (Some(x), Some(y)) => node_cmp(x, y),
            _ => Ordering::Equal,
        })
}

enum Token {
    Value(String, u8, bool),
    Operator(u8, u16),
    Open,
    Close,
    End,
}

/// The query reader's state (`gettoken_query_standard`).
struct QueryReader<'a> {
    lexer: Lexer<'a>,
    waiting_operand: bool,
    first_operand: bool,
    input: &'a str,
}

impl QueryReader<'_> {
    fn at(&self, i: usize) -> char {
        self.lexer.chars.get(i).copied().unwrap_or('\0')
    }

    fn modifiers(&mut self) -> (u8, bool) {
        let (mut weight, mut prefix) = (0u8, false);
        if self.at(self.lexer.pos) == ':' {
            self.lexer.pos += 1;
            loop {
                match self.at(self.lexer.pos) {
                    'a' | 'A' => weight |= 8,
                    'b' | 'B' => weight |= 4,
                    'c' | 'C' => weight |= 2,
                    'd' | 'D' => weight |= 1,
                    '*' => prefix = true,
                    _ => break,
                }
                self.lexer.pos += 1;
            }
        }
        (weight, prefix)
    }

    /// `<N>` or `<->` after the `<` at the current position.
    fn phrase_operator(&mut self) -> Result<Option<u16>> {
        let mut i = self.lexer.pos + 1;
        let distance;
        if self.at(i) == '-' {
            distance = 1;
            i += 1;
        } else if self.at(i).is_ascii_digit() {
            let start = i;
            while self.at(i).is_ascii_digit() {
                i += 1;
            }
            let digits: String = self.lexer.chars[start..i].iter().collect();
            match digits.parse::<i64>() {
                Ok(d) if d <= MAX_PHRASE_DISTANCE => distance = d as u16,
                _ => {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "distance in phrase operator must be an integer value between zero and {} inclusive",
                        MAX_PHRASE_DISTANCE
                    ))
                }
            }
        } else {
            return Ok(None);
        }
        if self.at(i) != '>' {
            return Ok(None);
        }
        self.lexer.pos = i + 1;
        Ok(Some(distance))
    }

    fn next(&mut self) -> Result<Token> {
        loop {
            let c = self.at(self.lexer.pos);
            let at_end = self.lexer.pos >= self.lexer.chars.len();
            if self.waiting_operand {
                if c == '!' {
                    self.lexer.pos += 1;
                    self.first_operand = false;
                    return Ok(Token::Operator(OP_NOT, 0));
                } else if c == '(' {
                    self.lexer.pos += 1;
                    self.first_operand = false;
                    return Ok(Token::Open);
                } else if c == ':' {
                    return Err(self.lexer.syntax_error());
                } else if !is_space(c) || at_end {
                    match self.lexer.next_token()? {
                        Some((word, _)) => {
                            let (weight, prefix) = self.modifiers();
                            self.waiting_operand = false;
                            self.first_operand = false;
                            return Ok(Token::Value(word, weight, prefix));
                        }
                        None if self.first_operand => return Ok(Token::End),
                        None => {
                            return Err(pg_err!(
                                SYNTAX_ERROR,
                                "no operand in tsquery: \"{}\"",
                                self.input
                            ))
                        }
                    }
                }
            } else if at_end {
                return Ok(Token::End);
            } else if c == '&' {
                self.lexer.pos += 1;
                self.waiting_operand = true;
                return Ok(Token::Operator(OP_AND, 0));
            } else if c == '|' {
                self.lexer.pos += 1;
                self.waiting_operand = true;
                return Ok(Token::Operator(OP_OR, 0));
            } else if c == '<' {
                match self.phrase_operator()? {
                    Some(d) => {
                        self.waiting_operand = true;
                        return Ok(Token::Operator(OP_PHRASE, d));
                    }
                    None => return Err(self.lexer.syntax_error()),
                }
            } else if c == ')' {
                self.lexer.pos += 1;
                return Ok(Token::Close);
            } else if !is_space(c) {
                return Err(self.lexer.syntax_error());
            }
            self.lexer.pos += 1;
        }
    }
}

/// Builds the tree: operands and operators in postfix order onto a stack.
struct Builder {
    stack: Vec<QueryNode>,
    input: String,
}

impl Builder {
    fn push_operator(&mut self, op: u8, distance: u16) -> Result<()> {
        let err = || pg_err!(SYNTAX_ERROR, "syntax error in tsquery: \"{}\"", self.input);
        let node = if op == OP_NOT {
            QueryNode::Not(Box::new(self.stack.pop().ok_or_else(err)?))
        } else {
            let r = self.stack.pop().ok_or_else(err)?;
            let l = self.stack.pop().ok_or_else(err)?;
            let (l, r) = (Box::new(l), Box::new(r));
            match op {
                OP_AND => QueryNode::And(l, r),
                OP_OR => QueryNode::Or(l, r),
                _ => QueryNode::Phrase(l, r, distance),
            }
        };
        self.stack.push(node);
        Ok(())
    }

    fn clean_stack(&mut self, ops: &mut Vec<(u8, u16)>, op: u8) -> Result<()> {
        let p = priority(op);
        while let Some(&(top, d)) = ops.last() {
            // `!` is right-associative, the others left-associative.
            let stop = if op != OP_NOT {
                p > priority(top)
            } else {
                p >= priority(top)
            };
            if stop {
                break;
            }
            ops.pop();
            self.push_operator(top, d)?;
        }
        Ok(())
    }
}

/// How a query's operands are turned into query nodes: `tsqueryin` takes them as they
/// are; `to_tsquery` runs them through a text search configuration.
pub type OperandFn<'a> = dyn FnMut(&str, u8, bool) -> Result<Option<QueryNode>> + 'a;

impl TsQuery {
    /// `tsqueryin`: operands taken as they are.
    ///
    /// Errors: 42601 `syntax error in tsquery`, `no operand in tsquery`; 22023 for a
    /// phrase distance out of range; 54000 for too long words.
    pub fn parse(text: &str) -> Result<TsQuery> {
        TsQuery::parse_with(text, &mut |word, weight, prefix| {
            if word.len() > super::MAX_STR_LEN - 1 {
                return Err(pg_err!(
                    PROGRAM_LIMIT_EXCEEDED,
                    "word is too long in tsquery: \"{}\"",
                    text
                ));
            }
            Ok(Some(QueryNode::Operand(QueryOperand {
                word: word.to_string(),
                weight,
                prefix,
            })))
        })
    }

    /// Parses query syntax, each operand through `operand`, which may return a subtree or
    /// nothing (a stop word: the operators around it drop it, `clean_stopwords`).
    pub fn parse_with(text: &str, operand: &mut OperandFn<'_>) -> Result<TsQuery> {
        let chars: Vec<char> = text.chars().collect();
        let mut reader = QueryReader {
            lexer: Lexer::new(&chars, text, true),
            waiting_operand: true,
            first_operand: true,
            input: text,
        };
        // Operands become `Some`; stop words `None` until cleaned.
        let mut builder = Builder {
            stack: Vec::new(),
            input: text.to_string(),
        };
        let mut stopword_slots = 0usize;
        let root = make_tree(&mut reader, &mut builder, operand, 0, &mut stopword_slots)?;
        Ok(TsQuery { root })
    }

    /// `tsqueryout`.
    pub fn output(&self) -> String {
        let mut out = String::new();
        if let Some(root) = &self.root {
            root.infix(-1, false, &mut out);
        }
        out
    }

    /// `tsquerysend`.
    pub fn send(&self, out: &mut Vec<u8>) {
        let count = self.root.as_ref().map_or(0, QueryNode::count);
        out.extend_from_slice(&(count as i32).to_be_bytes());
        if let Some(root) = &self.root {
            root.send(out);
        }
    }

    /// `tsqueryrecv`.
    ///
    /// Errors: 22P03 for malformed data.
    pub fn recv(bytes: &[u8]) -> Result<TsQuery> {
        let bad = |m: &str| pg_err!(INVALID_BINARY_REPRESENTATION, "{}", m);
        if bytes.len() < 4 {
            return Err(bad("insufficient data left in message"));
        }
        let count = i32::from_be_bytes(bytes[..4].try_into().expect("4 bytes"));
        if count < 0 || count as usize > bytes.len() {
            return Err(bad("invalid size of tsquery"));
        }
        let mut rest = &bytes[4..];
        if count == 0 {
            return Ok(TsQuery { root: None });
        }
        let root = recv_node(&mut rest, 0)?;
        if root.count() != count as usize {
            return Err(bad("malformed tsquery: operand not found"));
        }
        Ok(TsQuery { root: Some(root) })
    }
}

fn recv_node(rest: &mut &[u8], depth: usize) -> Result<QueryNode> {
    let bad = |m: &str| pg_err!(INVALID_BINARY_REPRESENTATION, "{}", m);
    let mut take = |n: usize| -> Result<Vec<u8>> {
        if rest.len() < n {
            return Err(bad("insufficient data left in message"));
        }
        let (a, b) = rest.split_at(n);
        *rest = b;
        Ok(a.to_vec())
    };
    if depth > 10_000 {
        return Err(bad("malformed tsquery: operand not found"));
    }
    let kind = take(1)?[0];
    match kind {
        1 => {
            let weight = take(1)?[0];
            let prefix = take(1)?[0] != 0;
            if weight > 0xF {
                return Err(bad("invalid tsquery: invalid weight bitmap"));
            }
            let mut word = Vec::new();
            loop {
                let b = take(1)?[0];
                if b == 0 {
                    break;
                }
                word.push(b);
            }
            let word = String::from_utf8(word)
                .map_err(|_| bad("invalid byte sequence for encoding \"UTF8\""))?;
            Ok(QueryNode::Operand(QueryOperand {
                word,
                weight,
                prefix,
            }))
        }
        2 => {
            let op = take(1)?[0];
            let distance = if op == OP_PHRASE {
                let d = take(2)?;
                i16::from_be_bytes([d[0], d[1]]) as u16
            } else {
                0
            };
            if op == OP_NOT {
                return Ok(QueryNode::Not(Box::new(recv_node(rest, depth + 1)?)));
            }
            let r = Box::new(recv_node(rest, depth + 1)?);
            let l = Box::new(recv_node(rest, depth + 1)?);
            match op {
                OP_AND => Ok(QueryNode::And(l, r)),
                OP_OR => Ok(QueryNode::Or(l, r)),
                OP_PHRASE => Ok(QueryNode::Phrase(l, r, distance)),
                _ => Err(bad("unrecognized operator type in tsquery")),
            }
        }
        _ => Err(bad("unrecognized tsquery node type")),
    }
}

/// One parenthesised level of `makepol`: operands and operators until `)` or the end.
fn make_tree(
    reader: &mut QueryReader<'_>,
    builder: &mut Builder,
    operand: &mut OperandFn<'_>,
    depth: usize,
    stopwords: &mut usize,
) -> Result<Option<QueryNode>> {
    let base = builder.stack.len();
    let mut ops: Vec<(u8, u16)> = Vec::new();
    // Stop words are kept as placeholder operands while building, then cleaned.
    loop {
        match reader.next()? {
            Token::Value(word, weight, prefix) => {
                let node = operand(&word, weight, prefix)?;
                builder.stack.push(node.unwrap_or_else(|| {
                    *stopwords += 1;
                    stop_placeholder()
                }));
            }
            Token::Operator(op, d) => {
                builder.clean_stack(&mut ops, op)?;
                ops.push((op, d));
            }
            Token::Open => {
                let inner = make_tree(reader, builder, operand, depth + 1, stopwords)?;
                match inner {
                    Some(node) => builder.stack.push(node),
                    None => return Err(reader.lexer.syntax_error()),
                }
                reader.waiting_operand = false;
            }
            Token::Close => {
                if depth == 0 {
                    return Err(reader.lexer.syntax_error());
                }
                builder.clean_stack(&mut ops, OP_OR)?;
                break;
            }
            Token::End => {
                if depth > 0 {
                    return Err(reader.lexer.syntax_error());
                }
                builder.clean_stack(&mut ops, OP_OR)?;
                break;
            }
        }
    }
    match builder.stack.len() - base {
        0 if depth == 0 => Ok(None),
        1 => Ok(builder.stack.pop()),
        _ => Err(reader.lexer.syntax_error()),
    }
}

/// The placeholder a stop word leaves in a query being built (`QI_VALSTOP`), removed
/// by [`clean_stopwords`].
pub fn stop_placeholder() -> QueryNode {
    QueryNode::Operand(QueryOperand {
        word: String::new(),
        weight: 0xFF,
        prefix: false,
    })
}

/// True for the placeholder a stop word leaves while a query is built.
pub(crate) fn is_stopword_placeholder(node: &QueryNode) -> bool {
    matches!(node, QueryNode::Operand(o) if o.weight == 0xFF && o.word.is_empty())
}

/// Removes stop-word placeholders: an operator with one side gone becomes the other
/// side (a phrase operator adds the gone side's width to its distance), `!` of nothing
/// is nothing (`clean_stopwords`).
pub fn clean_stopwords(node: QueryNode) -> Option<QueryNode> {
    clean(node).0
}

/// The cleaned node and the widths to add at its left and right edges
/// (`clean_stopwords_intree`).
fn clean(node: QueryNode) -> (Option<QueryNode>, u16, u16) {
    if is_stopword_placeholder(&node) {
        return (None, 0, 0);
    }
    match node {
        QueryNode::Operand(_) => (Some(node), 0, 0),
        QueryNode::Not(x) => match clean(*x) {
            (Some(x), l, r) => (Some(QueryNode::Not(Box::new(x))), l, r),
            (None, l, r) => (None, l, r),
        },
        QueryNode::And(l, r) => binary(*l, *r, None).finish(None),
        QueryNode::Or(l, r) => binary(*l, *r, Some(false)).finish(None),
        QueryNode::Phrase(l, r, d) => binary(*l, *r, Some(true)).with_distance(d),
    }
}

/// A binary node's cleaning, before a phrase operator's own distance is applied.
struct Cleaned {
    left: Option<QueryNode>,
    right: Option<QueryNode>,
    adds: [u16; 4],
    or: bool,
}

impl Cleaned {
    fn with_distance(self, d: u16) -> (Option<QueryNode>, u16, u16) {
        self.finish(Some(d))
    }

    fn finish(self, phrase: Option<u16>) -> (Option<QueryNode>, u16, u16) {
        let [lladd, lradd, rladd, rradd] = self.adds;
        let nd = phrase.unwrap_or(0);
        match (self.left, self.right) {
            (None, None) => {
                let w = lladd + nd + rradd;
                (None, w, w)
            }
            (None, Some(r)) => (Some(r), lladd + nd + rladd, rradd),
            (Some(l), None) => (Some(l), lladd, lradd + nd + rradd),
            (Some(l), Some(r)) => {
                let (l, r) = (Box::new(l), Box::new(r));
                match phrase {
                    Some(d) => (
                        Some(QueryNode::Phrase(l, r, d + lradd + rladd)),
                        lladd,
                        rradd,
                    ),
                    None if self.or => (Some(QueryNode::Or(l, r)), 0, 0),
                    None => (Some(QueryNode::And(l, r)), 0, 0),
                }
            }
        }
    }
}

fn binary(l: QueryNode, r: QueryNode, kind: Option<bool>) -> Cleaned {
    let (left, lladd, lradd) = clean(l);
    let (right, rladd, rradd) = clean(r);
    Cleaned {
        left,
        right,
        adds: [lladd, lradd, rladd, rradd],
        or: kind == Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(s: &str) -> String {
        TsQuery::parse(s).expect("parses").output()
    }

    #[test]
    fn output_parenthesises_like_postgres() {
        assert_eq!(round("!(!1|!2)"), "!( !'1' | !'2' )");
        assert_eq!(round("1|2&3"), "'1' | '2' & '3'");
        assert_eq!(round("(1|2)&3"), "( '1' | '2' ) & '3'");
        assert_eq!(
            round("1&(2&(4&(5|!6)))"),
            "'1' & '2' & '4' & ( '5' | !'6' )"
        );
        assert_eq!(round("(a|b)<->c"), "( 'a' | 'b' ) <-> 'c'");
        assert_eq!(round("a <-> (b <-> c)"), "'a' <-> ( 'b' <-> 'c' )");
        assert_eq!(round("(a<->b)<->c"), "'a' <-> 'b' <-> 'c'");
        assert_eq!(
            round("a:* & nbb:*ac | doo:a* | goo"),
            "'a':* & 'nbb':*AC | 'doo':*A | 'goo'"
        );
        assert_eq!(round("!!b"), "!!'b'");
        assert_eq!(round("a<1>b"), "'a' <-> 'b'");
        assert_eq!(round(""), "");
    }

    #[test]
    fn malformed_queries_fail_like_postgres() {
        for bad in ["a b", "(a", "a)", "a:1", "a <-1> b", "a & (b"] {
            let e = TsQuery::parse(bad).expect_err(bad);
            assert_eq!(e.message, format!("syntax error in tsquery: \"{bad}\""));
        }
        assert_eq!(
            TsQuery::parse("a &").expect_err("no operand").message,
            "no operand in tsquery: \"a &\""
        );
    }

    #[test]
    fn binary_form_round_trips() {
        let q = TsQuery::parse("a:*B & !(b <3> c) | d").expect("parses");
        let mut buf = Vec::new();
        q.send(&mut buf);
        assert_eq!(TsQuery::recv(&buf).expect("recv"), q);
    }
}
