//! Rewriting every expression of a query tree, with the query level each one belongs
//! to: 0 for the query itself, +1 inside each subquery (in FROM or in an expression).
//! The inputs of a set operation are at the set operation's own level, matching how the
//! analyzer counts `levels_up` of [`TypedExpr::OuterColumn`].
//!
//! Entry points: [`map_query`], [`map_expr_deep`], [`is_correlated`].

use super::select::{Aggregation, FromSource, Query};
use super::typed::TypedExpr;

/// A rewrite of one expression node at a query level.
pub type ExprRewrite<'f> = dyn FnMut(TypedExpr, usize) -> TypedExpr + 'f;

/// Applies `f` to every node of `e` (children first), descending into subqueries.
pub fn map_expr_deep(e: TypedExpr, depth: usize, f: &mut ExprRewrite<'_>) -> TypedExpr {
    let e = match e {
        TypedExpr::SubLink {
            kind,
            test,
            query,
            type_oid,
        } => TypedExpr::SubLink {
            kind,
            test: test.map(|t| Box::new(map_expr_deep(*t, depth, f))),
            query: Box::new(map_query(*query, depth + 1, f)),
            type_oid,
        },
        TypedExpr::Window(w) => TypedExpr::Window(Box::new(
            w.map_exprs(&mut |x| Ok(map_expr_deep(x, depth, f)))
                .expect("the rewrite cannot fail"),
        )),
        TypedExpr::Aggregate(mut a) => {
            a.args = a
                .args
                .into_iter()
                .map(|x| map_expr_deep(x, depth, f))
                .collect();
            a.filter = a.filter.map(|x| map_expr_deep(x, depth, f));
            for k in &mut a.order_by {
                k.expr = map_expr_deep(k.expr.clone(), depth, f);
            }
            TypedExpr::Aggregate(a)
        }
        other => other
            .map_children(&mut |c| Ok(map_expr_deep(c, depth, f)))
            .expect("the rewrite cannot fail"),
    };
    f(e, depth)
}

/// Applies `f` to every expression node of `q` (which is at level `depth`).
pub fn map_query(mut q: Query, depth: usize, f: &mut ExprRewrite<'_>) -> Query {
    let one = |e: TypedExpr, f: &mut ExprRewrite<'_>| map_expr_deep(e, depth, f);
    q.source = map_source(q.source, depth, f);
    q.filter = q.filter.map(|e| one(e, f));
    if let Some(agg) = q.aggregation.take() {
        q.aggregation = Some(Aggregation {
            keys: agg.keys.into_iter().map(|e| one(e, f)).collect(),
            aggregates: agg
                .aggregates
                .into_iter()
                .map(|a| match one(TypedExpr::Aggregate(Box::new(a)), f) {
                    TypedExpr::Aggregate(a) => *a,
                    _ => unreachable!("an aggregate stays an aggregate"),
                })
                .collect(),
            grouping_sets: agg.grouping_sets,
            having: agg.having.map(|e| one(e, f)),
        });
    }
    q.windows = q
        .windows
        .into_iter()
        .map(|w| match one(TypedExpr::Window(Box::new(w)), f) {
            TypedExpr::Window(w) => *w,
            _ => unreachable!("a window call stays a window call"),
        })
        .collect();
    q.targets = q.targets.into_iter().map(|e| one(e, f)).collect();
    for k in &mut q.sort {
        k.expr = one(k.expr.clone(), f);
    }
    q.distinct = q
        .distinct
        .map(|d| d.into_iter().map(|e| one(e, f)).collect());
    q.limit = q.limit.map(|e| one(e, f));
    q.offset = q.offset.map(|e| one(e, f));
    q
}

fn map_source(source: FromSource, depth: usize, f: &mut ExprRewrite<'_>) -> FromSource {
    match source {
        FromSource::OneRow
        | FromSource::Relation { .. }
        | FromSource::WorkTable { .. }
        | FromSource::ModifyingCte { .. } => source,
        FromSource::RecursiveUnion {
            id,
            all,
            non_recursive,
            recursive,
        } => FromSource::RecursiveUnion {
            id,
            all,
            non_recursive: Box::new(map_query(*non_recursive, depth, f)),
            recursive: Box::new(map_query(*recursive, depth, f)),
        },
        FromSource::Values(rows) => FromSource::Values(
            rows.into_iter()
                .map(|r| r.into_iter().map(|e| map_expr_deep(e, depth, f)).collect())
                .collect(),
        ),
        FromSource::Function { calls, ordinality } => FromSource::Function {
            calls: calls
                .into_iter()
                .map(|c| super::select::FunctionCall {
                    call: map_expr_deep(c.call, depth, f),
                    width: c.width,
                })
                .collect(),
            ordinality,
        },
        FromSource::Subquery(q) => FromSource::Subquery(Box::new(map_query(*q, depth + 1, f))),
        FromSource::Lateral { query, left_base } => FromSource::Lateral {
            query: Box::new(map_query(*query, depth + 1, f)),
            left_base,
        },
        FromSource::SetOp {
            op,
            all,
            left,
            right,
        } => FromSource::SetOp {
            op,
            all,
            left: Box::new(map_query(*left, depth, f)),
            right: Box::new(map_query(*right, depth, f)),
        },
        FromSource::Join {
            kind,
            left,
            right,
            condition,
            left_width,
            right_width,
        } => FromSource::Join {
            kind,
            left: Box::new(map_source(*left, depth, f)),
            right: Box::new(map_source(*right, depth, f)),
            condition: condition.map(|e| map_expr_deep(e, depth, f)),
            left_width,
            right_width,
        },
    }
}

/// True if `q` refers to the row of a query enclosing it (a correlated subquery).
pub fn is_correlated(q: &Query) -> bool {
    let mut found = false;
    map_query(q.clone(), 0, &mut |e, depth| {
        if let TypedExpr::OuterColumn { levels_up, .. } = e {
            found |= levels_up > depth;
        }
        e
    });
    found
}

/// True if `e` reads a slot below `below` of this level's FROM row, itself or through an
/// outer reference of a subquery (PostgreSQL marks such columns as needing SELECT
/// privilege: `markVarForSelectPriv`).
pub(crate) fn reads_slots_below(e: &TypedExpr, below: usize) -> bool {
    let mut found = false;
    map_expr_deep(e.clone(), 0, &mut |node, depth| {
        match &node {
            TypedExpr::Column { index, .. } if depth == 0 => found |= *index < below,
            TypedExpr::OuterColumn {
                levels_up, index, ..
            } if depth > 0 && *levels_up == depth => found |= *index < below,
            _ => {}
        }
        node
    });
    found
}

/// `e` with its references to this level's FROM row moved by `moved`.
pub(crate) fn remap_columns(e: TypedExpr, moved: &dyn Fn(usize) -> usize) -> TypedExpr {
    map_expr_deep(e, 0, &mut |node, depth| match node {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } if depth == 0 => TypedExpr::Column {
            index: moved(index),
            type_oid,
            typmod,
            location,
        },
        TypedExpr::OuterColumn {
            levels_up,
            index,
            type_oid,
            typmod,
            location,
        } if depth > 0 && levels_up == depth => TypedExpr::OuterColumn {
            levels_up,
            index: moved(index),
            type_oid,
            typmod,
            location,
        },
        other => other,
    })
}
