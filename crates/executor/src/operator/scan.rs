//! Leaf operators: one empty row, VALUES, a function in FROM, and the sequential scan of
//! a relation through [`TableAccess::scan`].

use tusk_sql::analyze::TypedExpr;
use tusk_types::{Datum, Oid, Result};

use super::project::{compile_target, Target};
use super::Operator;
use crate::{EvalContext, ExprEvaluator, RowIter, TableAccess};

/// One row with no columns (a query without FROM).
pub(super) struct OneRow {
    pub done: bool,
}

impl Operator for OneRow {
    fn next(&mut self, _: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.done {
            return Ok(None);
        }
        self.done = true;
        Ok(Some(Vec::new()))
    }
}

/// VALUES rows, evaluated as they are read.
pub(super) struct ValuesScan {
    rows: std::vec::IntoIter<Vec<ExprEvaluator>>,
}

impl ValuesScan {
    pub fn new(rows: &[Vec<TypedExpr>]) -> Result<ValuesScan> {
        let compiled = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(ExprEvaluator::compile)
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ValuesScan {
            rows: compiled.into_iter(),
        })
    }
}

impl Operator for ValuesScan {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        let Some(row) = self.rows.next() else {
            return Ok(None);
        };
        ctx.session.check_interrupts()?;
        let mut values = Vec::with_capacity(row.len());
        for e in &row {
            values.push(e.eval(ctx, &[])?);
        }
        Ok(Some(values))
    }
}

/// A function in FROM: all its values, computed at the first read.
pub(super) struct FunctionScan {
    target: Target,
    ordinality: bool,
    rows: Option<std::vec::IntoIter<Vec<Datum>>>,
    position: i64,
}

impl FunctionScan {
    pub fn new(call: &TypedExpr, ordinality: bool) -> Result<FunctionScan> {
        Ok(FunctionScan {
            target: compile_target(call)?,
            ordinality,
            rows: None,
            position: 0,
        })
    }
}

impl Operator for FunctionScan {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.rows.is_none() {
            let rows: Vec<Vec<Datum>> = match &self.target {
                Target::Set { f, args, strict } => {
                    super::project::call_set(*f, args, *strict, ctx, &[])?
                        .into_iter()
                        .map(|v| vec![v])
                        .collect()
                }
                Target::Rows { f, args, strict } => {
                    super::project::call_rows(*f, args, *strict, ctx, &[])?
                }
                Target::Scalar(e) => vec![vec![e.eval(ctx, &[])?]],
                Target::User { proc, args, retset } => {
                    super::project::call_user(*proc, args, *retset, ctx, &[])?.0
                }
            };
            self.rows = Some(rows.into_iter());
        }
        ctx.session.check_interrupts()?;
        let Some(mut row) = self.rows.as_mut().and_then(Iterator::next) else {
            return Ok(None);
        };
        self.position += 1;
        if self.ordinality {
            row.push(Datum::Int8(self.position));
        }
        Ok(Some(row))
    }
}

/// A relation's rows, one value per attribute (dropped ones NULL).
pub(super) struct SeqScan<'a> {
    rel: Oid,
    width: usize,
    tables: &'a dyn TableAccess,
    rows: Option<RowIter<'a>>,
    /// The relation's attribute count, read at the first row.
    attributes: Option<usize>,
}

impl<'a> SeqScan<'a> {
    pub fn new(rel: Oid, width: usize, tables: &'a dyn TableAccess) -> SeqScan<'a> {
        SeqScan {
            rel,
            width,
            tables,
            rows: None,
            attributes: None,
        }
    }
}

impl Operator for SeqScan<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.rows.is_none() {
            self.rows = Some(self.tables.scan(self.rel)?);
        }
        ctx.session.check_interrupts()?;
        match self.rows.as_mut().and_then(Iterator::next) {
            None => Ok(None),
            Some(row) => {
                let (tid, mut values) = row?;
                super::complete_relation_row(
                    self.tables,
                    self.rel,
                    self.width,
                    &mut self.attributes,
                    tid,
                    &mut values,
                )?;
                Ok(Some(values))
            }
        }
    }
}
