//! Subqueries in expressions (PostgreSQL's SubPlans): the subquery is planned and run
//! for the row being evaluated, after its references to that row
//! ([`TypedExpr::OuterColumn`] one level up) are replaced by the row's values. A
//! subquery without such references runs once per evaluator and its values are kept.
//!
//! `x = ANY (subquery)` over an uncorrelated subquery whose `=` hashes (PostgreSQL's
//! hashed SubPlan) keeps the subquery's values in a hash set ([`HashedValues`]) and
//! answers each row with one probe: true if found; else NULL if `x` is NULL or a value
//! was NULL; false for no rows at all.
//!
//! Entry points: [`SubqueryRunner::values`], [`hashed_test`].

use std::cell::RefCell;
use std::collections::HashSet;

use tusk_sql::analyze::walk::{is_correlated, map_expr_deep, map_query};
use tusk_sql::analyze::{Query, TypedExpr};
use tusk_types::{Datum, Result};

use crate::operator::{self, KeyPart};
use crate::plan::plan_query;
use crate::EvalContext;

/// A subquery ready to run for rows of the enclosing query.
pub(crate) struct SubqueryRunner {
    query: Query,
    correlated: bool,
    /// At most how many rows are ever needed (EXISTS 1, a scalar subquery 2).
    limit: Option<usize>,
    cache: RefCell<Option<Vec<Datum>>>,
}

impl SubqueryRunner {
    pub fn new(query: &Query, limit: Option<usize>) -> SubqueryRunner {
        SubqueryRunner {
            correlated: is_correlated(query),
            query: query.clone(),
            limit,
            cache: RefCell::new(None),
        }
    }

    /// The type of the subquery's output column `index` (0 past its last column).
    pub fn column_type(&self, index: usize) -> tusk_types::Oid {
        self.query
            .columns
            .get(index)
            .map_or(tusk_types::Oid::INVALID, |c| c.type_oid)
    }

    /// The first column of the subquery's rows for `row` of the enclosing query (NULL
    /// for a subquery without columns), at most `limit` of them.
    pub fn values(&self, ctx: &mut EvalContext<'_>, row: &[Datum]) -> Result<Vec<Datum>> {
        if !self.correlated {
            if let Some(v) = self.cache.borrow().as_ref() {
                return Ok(v.clone());
            }
            let v = self.run(ctx, &self.query)?;
            *self.cache.borrow_mut() = Some(v.clone());
            return Ok(v);
        }
        let bound = bind_outer(&self.query, row, 0);
        self.run(ctx, &bound)
    }

    fn run(&self, ctx: &mut EvalContext<'_>, query: &Query) -> Result<Vec<Datum>> {
        Ok(run_rows(ctx, query, self.limit)?
            .into_iter()
            .map(|r| r.into_iter().next().unwrap_or(Datum::Null))
            .collect())
    }
}

/// `query` with its references to the enclosing row (`levels_up` one more than the
/// level they occur at) replaced by `row[index - base]`.
pub(crate) fn bind_outer(query: &Query, row: &[Datum], base: usize) -> Query {
    map_query(query.clone(), 0, &mut |e, depth| match e {
        TypedExpr::OuterColumn {
            levels_up, index, ..
        } if levels_up == depth + 1 => TypedExpr::Const {
            value: index
                .checked_sub(base)
                .and_then(|i| row.get(i))
                .cloned()
                .unwrap_or(Datum::Null),
            type_oid: e.type_oid(),
            typmod: e.typmod(),
            location: usize::MAX,
        },
        other => other,
    })
}

/// All rows of `query` (at most `limit`).
pub(crate) fn run_rows(
    ctx: &mut EvalContext<'_>,
    query: &Query,
    limit: Option<usize>,
) -> Result<Vec<Vec<Datum>>> {
    let tables = ctx.tables;
    let plan = plan_query(query, tables)?;
    let mut root = operator::build(&plan, &operator::Env::new(tables))?;
    let mut out = Vec::new();
    while limit.is_none_or(|l| out.len() < l) {
        ctx.session.check_interrupts()?;
        match root.next(ctx)? {
            Some(r) => out.push(r),
            None => break,
        }
    }
    Ok(out)
}

/// The values of a hashed `= ANY` subquery.
#[derive(Debug, Default)]
pub(crate) struct HashedValues {
    /// The subquery's row count.
    pub rows: usize,
    /// Keys of the non-NULL values (after the comparison's coercion).
    pub keys: HashSet<KeyPart>,
    /// Whether some value was NULL.
    pub any_null: bool,
}

/// The sides of an `= ANY` comparison that can be hashed: `left = right` where the
/// operator is an equality whose two types hash alike, `right` reads only the subquery's
/// value (a `CaseTest`, possibly coerced) and `left` does not read it.
pub(crate) fn hashed_test(test: &TypedExpr) -> Option<(&TypedExpr, &TypedExpr)> {
    let TypedExpr::Func { proc, args, .. } = test else {
        return None;
    };
    let [left, right] = args.as_slice() else {
        return None;
    };
    if !crate::plan::is_hashable_equality(*proc, left.type_oid(), right.type_oid()) {
        return None;
    }
    let mut right_ok = true;
    let mut tests = 0;
    map_expr_deep(right.clone(), 0, &mut |e, _| {
        match &e {
            TypedExpr::CaseTest { .. } => tests += 1,
            TypedExpr::Column { .. }
            | TypedExpr::OuterColumn { .. }
            | TypedExpr::SubLink { .. }
            | TypedExpr::Param { .. } => right_ok = false,
            _ => {}
        }
        e
    });
    let mut left_ok = true;
    map_expr_deep(left.clone(), 0, &mut |e, _| {
        if matches!(e, TypedExpr::CaseTest { .. }) {
            left_ok = false;
        }
        e
    });
    (right_ok && left_ok && tests == 1).then_some((left, right))
}
