//! `LockRows`: locks, for each input row, the rows of the marked relations it came
//! from (`SELECT ... FOR UPDATE / SHARE`), through [`TableAccess::lock_row`].
//!
//! Rules:
//! 1. A row whose version was deleted by a committed transaction, or that SKIP LOCKED
//!    leaves out, is dropped.
//! 2. When a committed transaction updated the row (READ COMMITTED), the newest version
//!    is locked and, for a query over one relation, checked against WHERE and projected
//!    again (PostgreSQL's EvalPlanQual); if it no longer qualifies the row is dropped.
//!    Over several relations this re-check is not supported (0A000).

use tusk_sql::analyze::TypedExpr;
use tusk_types::adt::tid::tid_from_datum;
use tusk_types::{Datum, Error, Result};

use super::{BoxedOperator, Operator};
use crate::plan::{LockRowsMark, LockRowsRecheck};
use crate::{EvalContext, ExprEvaluator, RowLockResult, TableAccess};

struct Recheck {
    width: usize,
    filter: Option<ExprEvaluator>,
    exprs: Vec<ExprEvaluator>,
}

/// The running `LockRows` node.
pub(super) struct LockRows<'a> {
    input: BoxedOperator<'a>,
    marks: Vec<LockRowsMark>,
    recheck: Option<Recheck>,
    tables: &'a dyn TableAccess,
    /// The relation's attribute count, once read (for the re-check's system columns).
    attributes: Option<usize>,
}

impl<'a> LockRows<'a> {
    pub fn new(
        input: BoxedOperator<'a>,
        marks: Vec<LockRowsMark>,
        recheck: Option<&LockRowsRecheck>,
        tables: &'a dyn TableAccess,
    ) -> Result<LockRows<'a>> {
        let compile = |e: &TypedExpr| ExprEvaluator::compile(e);
        let recheck = recheck
            .map(|r| {
                Ok::<_, Error>(Recheck {
                    width: r.width,
                    filter: r.filter.as_ref().map(compile).transpose()?,
                    exprs: r.exprs.iter().map(compile).collect::<Result<_>>()?,
                })
            })
            .transpose()?;
        Ok(LockRows {
            input,
            marks,
            recheck,
            tables,
            attributes: None,
        })
    }

    /// Locks every mark's row of `row`; Ok(None) drops the row (rules 1 and 2).
    fn lock(
        &mut self,
        ctx: &mut EvalContext<'_>,
        mut row: Vec<Datum>,
    ) -> Result<Option<Vec<Datum>>> {
        for i in 0..self.marks.len() {
            let mark = &self.marks[i];
            // NULL: the row came from no version of this relation.
            let Some(tid) = row.get(mark.column).and_then(tid_from_datum) else {
                continue;
            };
            match self
                .tables
                .lock_row(mark.relation, &mark.name, tid, mark.strength, mark.wait)?
            {
                RowLockResult::Locked { newer: None, .. } => {}
                RowLockResult::Locked {
                    tid,
                    newer: Some(mut values),
                } => {
                    let Some(recheck) = &self.recheck else {
                        return Err(Error::feature_not_supported(format!(
                            "{} of a join whose row a concurrent transaction updated",
                            mark.strength.clause_name()
                        )));
                    };
                    super::complete_relation_row(
                        self.tables,
                        mark.relation,
                        recheck.width,
                        &mut self.attributes,
                        tid,
                        &mut values,
                    )?;
                    if let Some(f) = &recheck.filter {
                        if f.eval(ctx, &values)? != Datum::Bool(true) {
                            return Ok(None);
                        }
                    }
                    row = recheck
                        .exprs
                        .iter()
                        .map(|e| e.eval(ctx, &values))
                        .collect::<Result<_>>()?;
                }
                RowLockResult::Skipped | RowLockResult::Deleted => return Ok(None),
            }
        }
        Ok(Some(row))
    }
}

impl Operator for LockRows<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        loop {
            let Some(row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            ctx.session.check_interrupts()?;
            if let Some(row) = self.lock(ctx, row)? {
                return Ok(Some(row));
            }
        }
    }
}
