//! Subqueries in expressions (PostgreSQL's SubPlans): the subquery is planned and run
//! for the row being evaluated, after its references to that row
//! ([`TypedExpr::OuterColumn`] one level up) are replaced by the row's values. A
//! subquery without such references runs once per evaluator and its values are kept.
//!
//! Entry point: [`SubqueryRunner::values`].

use std::cell::RefCell;

use tusk_sql::analyze::walk::{is_correlated, map_query};
use tusk_sql::analyze::{Query, TypedExpr};
use tusk_types::{Datum, Result};

use crate::operator;
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
