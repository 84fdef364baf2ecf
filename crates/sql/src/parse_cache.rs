//! A backend's cache of parsed query strings, keyed by the text with its literal constants
//! blanked out, so statements that differ only in their constants (`WHERE aid = 41` and
//! `WHERE aid = 97`) go through PostgreSQL's grammar once.
//!
//! Rules:
//! 1. The key is the query string with each plain literal (an unprefixed `'...'` string, an
//!    integer, a decimal or exponent number) replaced by a run of one class character of
//!    the same byte length, and every other byte kept. Two strings with one key differ only
//!    inside literals of the same class and length, so their trees have the same shape and
//!    the same byte locations everywhere.
//! 2. A string is cached only if each literal of it is exactly one constant of the
//!    converted tree, found by [`visit_constants`] at the literal's location and holding
//!    the value [`literal_value`] computes from the literal's text; a number written right
//!    after `-` may instead be the negated constant at the sign's location, as the grammar
//!    folds `-5`. A literal the grammar turns into something else (`- 5` with a space,
//!    adjacent strings, a type modifier, `SET x = 1`) or that sits where the walk does not
//!    look makes the string uncacheable: it is parsed every time, which is always correct.
//! 3. A string with literals is cached only when its statements are SELECT, VALUES,
//!    INSERT, UPDATE and DELETE (the statements [`visit_constants`] walks). A string
//!    without literals is cached whatever its statements, since equal texts parse alike.
//! 4. A hit clones the cached statements and rewrites the constant at each literal's
//!    location from the new text. The nesting estimate for `max_stack_depth` is kept
//!    with the entry and checked against the current limit on every use.
//! 5. Texts that are prefixed strings (`E'..'`, `B'..'`, `U&'..'`), dollar-quoted
//!    strings, quoted identifiers, comments and parameters are kept verbatim in the key.
//!    Anything the scan cannot classify with certainty (a number running into a letter or
//!    a dot, an unterminated quote or comment) leaves the string uncached.

use std::collections::HashMap;
use std::sync::Arc;

use tusk_types::Result;

use crate::ast::{
    Expr, FrameBound, FromItem, GroupingElement, InsertSource, InsertValue, JoinQual, Literal,
    RawStatement, SelectStmt, SetClause, SortBy, Statement, WindowSpec, WithClause,
};

/// How many distinct keys a backend keeps before starting over.
const CACHE_LIMIT: usize = 256;

/// The class of a literal in the key (rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotKind {
    /// Digits only: `integer` if it fits, else `numeric` (PostgreSQL's ICONST/FCONST).
    Integer,
    /// Digits with a point or an exponent: `numeric` as written.
    Decimal,
    /// An unprefixed single-quoted string.
    String,
}

/// One literal of a query string: its byte range and class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    start: usize,
    end: usize,
    kind: SlotKind,
    /// A number written right after `-`: the grammar may fold the sign into the constant
    /// (`x = -5`, PostgreSQL's `doNegate`) and place it at the sign's location.
    minus: bool,
}

/// Where the constant of one literal sits in the tree, and whether the grammar folded a
/// leading `-` into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placement {
    location: usize,
    negated: bool,
}

/// A query string's key and literals (rule 1).
#[derive(Debug, PartialEq, Eq)]
struct Template {
    key: String,
    slots: Vec<Slot>,
}

/// What the cache knows about one key.
enum Entry {
    /// Parsed statements whose constants at the slots' locations are rewritten per use.
    Cached {
        statements: Arc<Vec<RawStatement>>,
        /// One per literal, in text order (so sorted by location).
        placements: Vec<Placement>,
        nesting: usize,
    },
    /// Strings with this key are always parsed (rule 2).
    Uncacheable,
}

/// A backend's parse cache (rules in the module documentation).
#[derive(Default)]
pub struct ParseCache {
    entries: HashMap<String, Entry>,
}

impl ParseCache {
    /// [`crate::parse_with_stack_limit`], answered from the cache when a string with the
    /// same key was parsed before (same results, errors and positions).
    pub fn parse(&mut self, sql: &str, max_stack_depth_kb: usize) -> Result<Vec<RawStatement>> {
        let Some(template) = template(sql) else {
            return crate::parse_with_stack_limit(sql, max_stack_depth_kb);
        };
        if let Some(entry) = self.entries.get(&template.key) {
            return match entry {
                Entry::Uncacheable => crate::parse_with_stack_limit(sql, max_stack_depth_kb),
                Entry::Cached {
                    statements,
                    placements,
                    nesting,
                } => {
                    crate::parser::check_nesting(*nesting, max_stack_depth_kb)?;
                    let mut statements = Vec::clone(statements);
                    if !placements.is_empty() {
                        for raw in &mut statements {
                            visit_constants(&mut raw.stmt, &mut |literal, location| {
                                if let Ok(i) =
                                    placements.binary_search_by_key(&location, |p| p.location)
                                {
                                    let value = literal_value(sql, template.slots[i]);
                                    *literal = match placements[i].negated {
                                        true => negate(value),
                                        false => value,
                                    };
                                }
                            });
                        }
                    }
                    Ok(statements)
                }
            };
        }
        let nesting = crate::depth::estimate_nesting(sql);
        crate::parser::check_nesting(nesting, max_stack_depth_kb)?;
        let statements = crate::parser::parse_unchecked(sql)?;
        let entry = match verify(sql, &template, &statements) {
            Some(placements) => Entry::Cached {
                statements: Arc::new(statements.clone()),
                placements,
                nesting,
            },
            None => Entry::Uncacheable,
        };
        if self.entries.len() >= CACHE_LIMIT {
            self.entries.clear();
        }
        self.entries.insert(template.key, entry);
        Ok(statements)
    }
}

/// Rule 2: every literal is exactly one constant of the tree, holding its value (or, for
/// a number after `-`, its negation at the sign's location). The constants' placements,
/// one per literal, or `None` if the string is not to be cached.
fn verify(sql: &str, template: &Template, statements: &[RawStatement]) -> Option<Vec<Placement>> {
    let mut found: Vec<Vec<Placement>> = vec![Vec::new(); template.slots.len()];
    let mut values_match = true;
    for raw in statements {
        if template.slots.is_empty() {
            break;
        }
        let mut stmt = raw.stmt.clone();
        let walked = visit_constants(&mut stmt, &mut |literal, location| {
            for (i, slot) in template.slots.iter().enumerate() {
                let negated = if slot.start == location {
                    false
                } else if slot.minus && slot.start == location + 1 {
                    true
                } else {
                    continue;
                };
                let value = literal_value(sql, *slot);
                let expected = if negated { negate(value) } else { value };
                values_match &= *literal == expected;
                found[i].push(Placement { location, negated });
            }
        });
        if !walked {
            return None;
        }
    }
    if !values_match {
        return None;
    }
    found
        .into_iter()
        .map(|p| match p.as_slice() {
            [one] => Some(*one),
            _ => None,
        })
        .collect()
}

/// The constant PostgreSQL's grammar makes of `-` and a numeric constant (`doNegate`):
/// the integer negated, or the numeric text with its sign flipped.
fn negate(value: Literal) -> Literal {
    match value {
        Literal::Integer(v) => Literal::Integer(-v),
        Literal::Numeric(text) => match text.strip_prefix('-') {
            Some(rest) => Literal::Numeric(rest.to_string()),
            None => Literal::Numeric(format!("-{text}")),
        },
        other => other,
    }
}

/// The constant PostgreSQL's grammar makes of one literal (its scanner's ICONST, FCONST
/// and SCONST with `standard_conforming_strings` on, as libpg_query always parses).
fn literal_value(sql: &str, slot: Slot) -> Literal {
    let text = &sql[slot.start..slot.end];
    match slot.kind {
        SlotKind::Integer => {
            let digits = text.trim_start_matches('0');
            match digits.parse::<i64>() {
                Ok(v) if v <= i64::from(i32::MAX) => Literal::Integer(v),
                _ if digits.is_empty() => Literal::Integer(0),
                _ => Literal::Numeric(text.to_string()),
            }
        }
        SlotKind::Decimal => Literal::Numeric(text.to_string()),
        SlotKind::String => Literal::String(text[1..text.len() - 1].replace("''", "'")),
    }
}

/// Bytes that continue an identifier in PostgreSQL's scanner (`ident_cont`).
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Bytes that start a dollar-quote tag or identifier (`ident_start`).
fn is_tag_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Rule 1 and 5: the key and literals of `sql`, or `None` when the scan cannot be sure.
fn template(sql: &str) -> Option<Template> {
    let b = sql.as_bytes();
    let n = b.len();
    let mut key: Vec<u8> = Vec::with_capacity(n);
    let mut slots = Vec::new();
    let mut i = 0;
    while i < n {
        let c = b[i];
        let prev_ident = i > 0 && is_ident_byte(b[i - 1]);
        let next = b.get(i + 1).copied();
        match c {
            b'-' if next == Some(b'-') => {
                let end = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(n, |p| i + p + 1);
                key.extend_from_slice(&b[i..end]);
                i = end;
            }
            b'/' if next == Some(b'*') => {
                let mut depth = 0usize;
                let mut j = i;
                loop {
                    if j + 1 >= n {
                        return None;
                    }
                    if b[j] == b'/' && b[j + 1] == b'*' {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b[j + 1] == b'/' {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                key.extend_from_slice(&b[i..j]);
                i = j;
            }
            b'\'' => {
                let escapes =
                    prev_ident && (b[i - 1] | 0x20) == b'e' && (i < 2 || !is_ident_byte(b[i - 2]));
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        None => return None,
                        Some(b'\\') if escapes => j += 2,
                        Some(b'\'') if b.get(j + 1) == Some(&b'\'') => j += 2,
                        Some(b'\'') => break,
                        Some(_) => j += 1,
                    }
                }
                let end = j + 1;
                if prev_ident {
                    key.extend_from_slice(&b[i..end]);
                } else {
                    key.push(b'\'');
                    key.resize(key.len() + (end - i - 2), b'S');
                    key.push(b'\'');
                    slots.push(Slot {
                        start: i,
                        end,
                        kind: SlotKind::String,
                        minus: false,
                    });
                }
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                loop {
                    match b.get(j) {
                        None => return None,
                        Some(b'"') if b.get(j + 1) == Some(&b'"') => j += 2,
                        Some(b'"') => break,
                        Some(_) => j += 1,
                    }
                }
                key.extend_from_slice(&b[i..=j]);
                i = j + 1;
            }
            b'$' if !prev_ident && next.is_some_and(|x| x == b'$' || is_tag_start(x)) => {
                let mut j = i + 1;
                while j < n && b[j] != b'$' && is_ident_byte(b[j]) {
                    j += 1;
                }
                if j >= n || b[j] != b'$' {
                    // `$name` without a closing `$` is not a dollar quote.
                    key.extend_from_slice(&b[i..j]);
                    i = j;
                    continue;
                }
                let tag = &b[i..=j];
                let body = j + 1;
                let close = b[body..].windows(tag.len()).position(|w| w == tag)?;
                let end = body + close + tag.len();
                key.extend_from_slice(&b[i..end]);
                i = end;
            }
            b'0'..=b'9' | b'.'
                if !prev_ident && (c != b'.' || next.is_some_and(|x| x.is_ascii_digit())) =>
            {
                let mut j = i;
                let mut decimal = false;
                while j < n && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j < n && b[j] == b'.' {
                    if b.get(j + 1) == Some(&b'.') {
                        return None;
                    }
                    decimal = true;
                    j += 1;
                    while j < n && b[j].is_ascii_digit() {
                        j += 1;
                    }
                }
                if j < n && (b[j] | 0x20) == b'e' {
                    let mut k = j + 1;
                    if k < n && (b[k] == b'+' || b[k] == b'-') {
                        k += 1;
                    }
                    if !(k < n && b[k].is_ascii_digit()) {
                        return None;
                    }
                    while k < n && b[k].is_ascii_digit() {
                        k += 1;
                    }
                    decimal = true;
                    j = k;
                }
                if j < n && (is_ident_byte(b[j]) || b[j] == b'.') {
                    return None;
                }
                let kind = if decimal {
                    SlotKind::Decimal
                } else {
                    SlotKind::Integer
                };
                key.resize(key.len() + (j - i), if decimal { b'F' } else { b'I' });
                slots.push(Slot {
                    start: i,
                    end: j,
                    kind,
                    minus: i > 0 && b[i - 1] == b'-',
                });
                i = j;
            }
            b'.' if prev_ident && next.is_some_and(|x| x.is_ascii_digit()) => return None,
            _ => {
                key.push(c);
                i += 1;
            }
        }
    }
    // Only ASCII class characters replaced whole literals, and verbatim runs are whole
    // UTF-8 sequences, so the key is valid UTF-8.
    Some(Template {
        key: String::from_utf8(key).ok()?,
        slots,
    })
}

/// Calls `f` with every constant of a SELECT, VALUES, INSERT, UPDATE or DELETE and its
/// location. `false` (and possibly some calls already made) for any other statement, or
/// one holding parts the walk does not cover (an unsupported clause, a deferred error).
fn visit_constants(stmt: &mut Statement, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    match stmt {
        Statement::Select(s) => select(s, f),
        Statement::Insert(s) => {
            if s.deferred_error.is_some() || !with(&mut s.with, f) {
                return false;
            }
            let source = match &mut s.source {
                InsertSource::DefaultValues => true,
                InsertSource::Values(rows) => rows.iter_mut().flatten().all(|v| insert_value(v, f)),
                InsertSource::Select(q) => select(q, f),
            };
            if !source {
                return false;
            }
            if let Some(oc) = &mut s.on_conflict {
                if !(oc.target.iter_mut().all(|e| expr(e, f))
                    && opt(&mut oc.infer_where, f)
                    && set_clauses(&mut oc.assignments, f)
                    && opt(&mut oc.where_clause, f))
                {
                    return false;
                }
            }
            s.returning.iter_mut().all(|t| expr(&mut t.expr, f))
        }
        Statement::Update(s) => {
            s.deferred_error.is_none()
                && with(&mut s.with, f)
                && set_clauses(&mut s.assignments, f)
                && s.from.iter_mut().all(|i| from_item(i, f))
                && opt(&mut s.where_clause, f)
                && s.returning.iter_mut().all(|t| expr(&mut t.expr, f))
        }
        Statement::Delete(s) => {
            s.deferred_error.is_none()
                && with(&mut s.with, f)
                && s.using.iter_mut().all(|i| from_item(i, f))
                && opt(&mut s.where_clause, f)
                && s.returning.iter_mut().all(|t| expr(&mut t.expr, f))
        }
        _ => false,
    }
}

fn opt(e: &mut Option<Expr>, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    e.as_mut().is_none_or(|e| expr(e, f))
}

fn insert_value(v: &mut InsertValue, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    match v {
        InsertValue::Expr(e) => expr(e, f),
        InsertValue::Default(_) => true,
    }
}

fn set_clauses(list: &mut [SetClause], f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    list.iter_mut().all(|s| insert_value(&mut s.value, f))
}

fn sort_by(list: &mut [SortBy], f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    list.iter_mut().all(|s| expr(&mut s.expr, f))
}

fn with(w: &mut Option<WithClause>, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    let Some(w) = w else { return true };
    w.ctes.iter_mut().all(|cte| {
        select(&mut cte.query, f)
            && cte.modify.as_mut().is_none_or(|m| visit_constants(m, f))
            && cte
                .cycle
                .as_mut()
                .is_none_or(|c| opt(&mut c.mark_value, f) && opt(&mut c.mark_default, f))
    })
}

fn window(w: &mut WindowSpec, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    let bound = |b: &mut FrameBound, f: &mut dyn FnMut(&mut Literal, usize)| match b {
        FrameBound::Preceding(e) | FrameBound::Following(e) => expr(e, f),
        _ => true,
    };
    w.partition_by.iter_mut().all(|e| expr(e, f))
        && sort_by(&mut w.order_by, f)
        && w.frame
            .as_mut()
            .is_none_or(|fr| bound(&mut fr.start, f) && bound(&mut fr.end, f))
}

fn grouping(g: &mut GroupingElement, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    match g {
        GroupingElement::Simple(list) => list.iter_mut().all(|e| expr(e, f)),
        GroupingElement::Rollup(sets, _) | GroupingElement::Cube(sets, _) => {
            sets.iter_mut().flatten().all(|e| expr(e, f))
        }
        GroupingElement::Sets(items, _) => items.iter_mut().all(|g| grouping(g, f)),
    }
}

fn select(s: &mut SelectStmt, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    if s.unsupported.is_some() {
        return false;
    }
    let set_op = match &mut s.set_op {
        Some(op) => select(&mut op.left, f) && select(&mut op.right, f),
        None => true,
    };
    set_op
        && with(&mut s.with, f)
        && s.targets.iter_mut().all(|t| expr(&mut t.expr, f))
        && s.from.iter_mut().all(|i| from_item(i, f))
        && opt(&mut s.where_clause, f)
        && s.values.iter_mut().flatten().all(|e| expr(e, f))
        && sort_by(&mut s.order_by, f)
        && opt(&mut s.limit, f)
        && opt(&mut s.offset, f)
        && s.distinct
            .as_mut()
            .is_none_or(|d| d.iter_mut().all(|e| expr(e, f)))
        && s.group_by.iter_mut().all(|g| grouping(g, f))
        && opt(&mut s.having, f)
        && s.windows.iter_mut().all(|(_, w)| window(w, f))
}

fn from_item(item: &mut FromItem, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    match item {
        FromItem::Relation(_) => true,
        FromItem::Function { functions, .. } => functions.iter_mut().all(|c| expr(&mut c.call, f)),
        FromItem::Subquery { query, .. } => select(query, f),
        FromItem::Join(j) => {
            from_item(&mut j.left, f)
                && from_item(&mut j.right, f)
                && match &mut j.qual {
                    JoinQual::On(e) => expr(e, f),
                    _ => true,
                }
        }
        FromItem::Other(..) => false,
    }
}

fn exprs(list: &mut [Expr], f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    list.iter_mut().all(|e| expr(e, f))
}

fn expr(e: &mut Expr, f: &mut dyn FnMut(&mut Literal, usize)) -> bool {
    match e {
        Expr::Const(literal, location) => {
            f(literal, *location);
            true
        }
        Expr::Column(..) | Expr::Param(..) | Expr::SqlValue(..) => true,
        Expr::Op { left, right, .. } => {
            left.as_deref_mut().is_none_or(|l| expr(l, f)) && expr(right, f)
        }
        Expr::Distinct { left, right, .. } | Expr::NullIf(left, right, _) => {
            expr(left, f) && expr(right, f)
        }
        Expr::InList {
            expr: tested, list, ..
        } => expr(tested, f) && exprs(list, f),
        Expr::Between {
            expr: tested,
            low,
            high,
            ..
        } => expr(tested, f) && expr(low, f) && expr(high, f),
        Expr::Row(list, _)
        | Expr::Grouping(list, _)
        | Expr::And(list)
        | Expr::Or(list)
        | Expr::Coalesce(list, _)
        | Expr::Array(list, _)
        | Expr::MinMax { args: list, .. } => exprs(list, f),
        Expr::Not(arg)
        | Expr::Cast { arg, .. }
        | Expr::NullTest { arg, .. }
        | Expr::BoolTest { arg, .. }
        | Expr::FieldSelect { arg, .. } => expr(arg, f),
        Expr::Func {
            args,
            filter,
            order_by,
            over,
            ..
        } => {
            exprs(args, f)
                && filter.as_deref_mut().is_none_or(|e| expr(e, f))
                && sort_by(order_by, f)
                && over.as_deref_mut().is_none_or(|w| window(w, f))
        }
        Expr::Case {
            arg,
            whens,
            default,
            ..
        } => {
            arg.as_deref_mut().is_none_or(|e| expr(e, f))
                && whens.iter_mut().all(|(w, t)| expr(w, f) && expr(t, f))
                && default.as_deref_mut().is_none_or(|e| expr(e, f))
        }
        Expr::SubLink { test, query, .. } => {
            test.as_deref_mut().is_none_or(|e| expr(e, f)) && select(query, f)
        }
        Expr::Subscript { arg, indices } => {
            expr(arg, f)
                && indices
                    .iter_mut()
                    .all(|i| opt(&mut i.lower, f) && opt(&mut i.upper, f))
        }
        Expr::AnyAll { left, right, .. } => expr(left, f) && expr(right, f),
        Expr::Xml(_) | Expr::Unsupported(..) | Expr::Default(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(sql: &str) -> Option<String> {
        template(sql).map(|t| t.key)
    }

    #[test]
    fn literals_become_classes_of_the_same_length() {
        assert_eq!(
            key("SELECT a FROM t WHERE b = 123 AND c = 'xy''z' AND d = 1.5e3").as_deref(),
            Some("SELECT a FROM t WHERE b = III AND c = 'SSSSS' AND d = FFFFF")
        );
        // Identifiers with digits, parameters, prefixed and dollar-quoted strings,
        // quoted identifiers and comments stay verbatim.
        let verbatim = "SELECT t1.x, $1, E'a\\'b', B'101', $q$ 'x' 1 $q$, \"7\" -- 'c' 9\n/* 3 */";
        assert_eq!(key(verbatim).as_deref(), Some(verbatim));
    }

    #[test]
    fn unclear_scans_give_no_key() {
        assert_eq!(key("SELECT 1abc"), None);
        assert_eq!(key("SELECT 'open"), None);
        assert_eq!(key("SELECT 1..2"), None);
        assert_eq!(key("SELECT 1e"), None);
        assert_eq!(key("SELECT /* open"), None);
    }

    #[test]
    fn literal_values_follow_the_scanner() {
        let sql = "2147483647 2147483648 007 1.50 'it''s'";
        let t = template(sql).expect("template");
        let values: Vec<Literal> = t.slots.iter().map(|s| literal_value(sql, *s)).collect();
        assert_eq!(
            values,
            vec![
                Literal::Integer(2147483647),
                Literal::Numeric("2147483648".into()),
                Literal::Integer(7),
                Literal::Numeric("1.50".into()),
                Literal::String("it's".into()),
            ]
        );
    }

    #[test]
    fn hits_rewrite_constants_and_match_a_fresh_parse() {
        let mut cache = ParseCache::default();
        let texts = [
            "SELECT abalance FROM pgbench_accounts WHERE aid = 12345;",
            "SELECT abalance FROM pgbench_accounts WHERE aid = 99999;",
            "SELECT abalance FROM pgbench_accounts WHERE aid = 3000000000;",
            "UPDATE t SET a = a + 5, b = 'x' WHERE id = 7 RETURNING a * 2",
            "UPDATE t SET a = a + 9, b = 'y' WHERE id = 8 RETURNING a * 3",
            "INSERT INTO h VALUES (1, 2, 3, -4, now())",
            "INSERT INTO h VALUES (5, 6, 7, -8, now())",
            "UPDATE a SET b = b + -1234 WHERE c = 5-3",
            "UPDATE a SET b = b + -9876 WHERE c = 7-1",
            "SELECT -2147483648, -1.5e3, -9223372036854775808",
            "SELECT -2147483647, -2.5e3, -9223372036854775807",
            "SELECT x FROM t ORDER BY 1 LIMIT 10; SELECT 'a' || 'b'",
            "SELECT x FROM t ORDER BY 2 LIMIT 20; SELECT 'c' || 'd'",
            "SELECT 'a'\n'b'",
            "SELECT 'c'\n'd'",
            "SET work_mem = 64",
            "SET work_mem = 65",
            "BEGIN",
            "BEGIN",
        ];
        for _ in 0..2 {
            for sql in texts {
                let cached = cache.parse(sql, 2048).expect("parses");
                let fresh = crate::parse(sql).expect("parses");
                assert_eq!(cached, fresh, "{sql}");
            }
        }
        let e1 = cache.parse("SELECT 1 +", 2048).expect_err("syntax error");
        let e2 = crate::parse("SELECT 1 +").expect_err("syntax error");
        assert_eq!((e1.message, e1.position), (e2.message, e2.position));
    }

    #[test]
    fn folded_literals_are_not_cached_but_signs_are() {
        let mut cache = ParseCache::default();
        cache.parse("SELECT - 1", 2048).expect("parses");
        let t = template("SELECT - 1").expect("template");
        assert!(matches!(
            cache.entries.get(&t.key),
            Some(Entry::Uncacheable)
        ));
        cache.parse("SELECT 'a'\n'b'", 2048).expect("parses");
        let t = template("SELECT 'a'\n'b'").expect("template");
        assert!(matches!(
            cache.entries.get(&t.key),
            Some(Entry::Uncacheable)
        ));
        let negative = "UPDATE a SET b = b + -1234 WHERE c = 5";
        cache.parse(negative, 2048).expect("parses");
        let t = template(negative).expect("template");
        assert!(matches!(
            cache.entries.get(&t.key),
            Some(Entry::Cached { .. })
        ));
        cache.parse("SELECT 1 + 2", 2048).expect("parses");
        let t = template("SELECT 1 + 2").expect("template");
        assert!(matches!(
            cache.entries.get(&t.key),
            Some(Entry::Cached { .. })
        ));
    }

    #[test]
    fn stack_depth_is_checked_on_hits() {
        let mut cache = ParseCache::default();
        let deep = format!("SELECT {}", vec!["1"; 60].join("+"));
        cache.parse(&deep, 2048).expect("parses");
        let err = cache.parse(&deep, 20).expect_err("too deep");
        assert_eq!(err.message, "stack depth limit exceeded");
    }
}
