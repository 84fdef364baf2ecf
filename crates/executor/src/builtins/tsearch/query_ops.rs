//! `tsquery` operators and functions: comparisons, `&&`, `||`, `!!`, `<->`
//! (`tsquery_phrase`), `numnode`, `querytree`, `@>` / `<@`.

use std::collections::HashSet;

use tusk_types::adt::tsearch::{tsquery_cmp, QueryNode, TsQuery, MAX_PHRASE_DISTANCE};
use tusk_types::{pg_err, Datum, Result};

use super::{ordering_int, query_arg, query_datum, text_arg};
use crate::builtins::{reg, Table};

fn cmp(a: &[Datum]) -> Result<std::cmp::Ordering> {
    Ok(tsquery_cmp(&query_arg(&a[0])?, &query_arg(&a[1])?))
}

/// Joins two queries with a binary operator; an empty side yields the other.
fn join(
    a: &[Datum],
    make: impl FnOnce(Box<QueryNode>, Box<QueryNode>) -> QueryNode,
) -> Result<Datum> {
    let (l, r) = (query_arg(&a[0])?, query_arg(&a[1])?);
    let root = match (l.root, r.root) {
        (None, other) | (other, None) => other,
        (Some(l), Some(r)) => Some(make(Box::new(l), Box::new(r))),
    };
    Ok(query_datum(&TsQuery { root }))
}

fn phrase(a: &[Datum], distance: i64) -> Result<Datum> {
    if !(0..=MAX_PHRASE_DISTANCE).contains(&distance) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "distance in phrase operator must be an integer value between zero and {} inclusive",
            MAX_PHRASE_DISTANCE
        ));
    }
    join(a, |l, r| QueryNode::Phrase(l, r, distance as u16))
}

/// The query without its negated parts (`clean_NOT`): `!x` goes, `|` with a side gone
/// goes, `&` and `<->` keep the other side.
fn without_not(node: QueryNode) -> Option<QueryNode> {
    match node {
        QueryNode::Operand(_) => Some(node),
        QueryNode::Not(_) => None,
        QueryNode::Or(l, r) => {
            let l = without_not(*l)?;
            let r = without_not(*r)?;
            Some(QueryNode::Or(Box::new(l), Box::new(r)))
        }
        QueryNode::And(l, r) => match (without_not(*l), without_not(*r)) {
            (Some(l), Some(r)) => Some(QueryNode::And(Box::new(l), Box::new(r))),
            (x, None) | (None, x) => x,
        },
        QueryNode::Phrase(l, r, d) => match (without_not(*l), without_not(*r)) {
            (Some(l), Some(r)) => Some(QueryNode::Phrase(Box::new(l), Box::new(r), d)),
            (x, None) | (None, x) => x,
        },
    }
}

fn operand_words<'q>(node: &'q QueryNode, out: &mut HashSet<&'q str>) {
    match node {
        QueryNode::Operand(o) => {
            out.insert(&o.word);
        }
        QueryNode::Not(x) => operand_words(x, out),
        QueryNode::And(l, r) | QueryNode::Or(l, r) | QueryNode::Phrase(l, r, _) => {
            operand_words(l, out);
            operand_words(r, out);
        }
    }
}

/// `tsq_mcontains`: `a` has at least as many items as `b` and every operand of `b`.
fn contains(a: &TsQuery, b: &TsQuery) -> bool {
    let count = |q: &TsQuery| q.root.as_ref().map_or(0, QueryNode::count);
    if count(a) < count(b) {
        return false;
    }
    let (mut wa, mut wb) = (HashSet::new(), HashSet::new());
    if let Some(r) = &a.root {
        operand_words(r, &mut wa);
    }
    if let Some(r) = &b.root {
        operand_words(r, &mut wb);
    }
    wb.is_subset(&wa)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["tsqueryin"], |_, a| {
        Ok(query_datum(&TsQuery::parse(text_arg(&a[0]))?))
    });
    reg(t, &["tsqueryout"], |_, a| {
        Ok(Datum::Text(query_arg(&a[0])?.output()))
    });
    reg(t, &["tsquery_eq"], |_, a| Ok(Datum::Bool(cmp(a)?.is_eq())));
    reg(t, &["tsquery_ne"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ne())));
    reg(t, &["tsquery_lt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_lt())));
    reg(t, &["tsquery_le"], |_, a| Ok(Datum::Bool(cmp(a)?.is_le())));
    reg(t, &["tsquery_gt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_gt())));
    reg(t, &["tsquery_ge"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ge())));
    reg(t, &["tsquery_cmp"], |_, a| Ok(ordering_int(cmp(a)?)));
    reg(t, &["tsquery_and"], |_, a| join(a, QueryNode::And));
    reg(t, &["tsquery_or"], |_, a| join(a, QueryNode::Or));
    reg(t, &["tsquery_phrase"], |_, a| phrase(a, 1));
    reg(t, &["tsquery_phrase_distance"], |_, a| {
        let d = match a[2] {
            Datum::Int4(d) => d as i64,
            _ => 1,
        };
        phrase(a, d)
    });
    reg(t, &["tsquery_not"], |_, a| {
        let q = query_arg(&a[0])?;
        Ok(query_datum(&TsQuery {
            root: q.root.map(|r| QueryNode::Not(Box::new(r))),
        }))
    });
    reg(t, &["tsquery_numnode"], |_, a| {
        Ok(Datum::Int4(
            query_arg(&a[0])?.root.as_ref().map_or(0, QueryNode::count) as i32,
        ))
    });
    reg(t, &["tsquerytree"], |_, a| {
        let q = query_arg(&a[0])?;
        let Some(root) = q.root else {
            return Ok(Datum::Text(String::new()));
        };
        Ok(Datum::Text(match without_not(root) {
            None => "T".to_string(),
            Some(r) => TsQuery { root: Some(r) }.output(),
        }))
    });
    reg(t, &["tsq_mcontains"], |_, a| {
        Ok(Datum::Bool(contains(
            &query_arg(&a[0])?,
            &query_arg(&a[1])?,
        )))
    });
    reg(t, &["tsq_mcontained"], |_, a| {
        Ok(Datum::Bool(contains(
            &query_arg(&a[1])?,
            &query_arg(&a[0])?,
        )))
    });
}
