//! Leaf operators: one empty row, VALUES, a function in FROM, and the sequential scan of
//! a relation through [`TableAccess::scan`].

use tusk_sql::analyze::{FunctionCall, TypedExpr};
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

/// Functions in FROM: all their values, computed at the first read; several (ROWS
/// FROM) are zipped, each function's columns NULL once its rows run out.
pub(super) struct FunctionScan {
    targets: Vec<(Target, usize)>,
    ordinality: bool,
    rows: Option<std::vec::IntoIter<Vec<Datum>>>,
    position: i64,
}

impl FunctionScan {
    pub fn new(calls: &[FunctionCall], ordinality: bool) -> Result<FunctionScan> {
        Ok(FunctionScan {
            targets: calls
                .iter()
                .map(|c| Ok((compile_target(&c.call)?, c.width)))
                .collect::<Result<_>>()?,
            ordinality,
            rows: None,
            position: 0,
        })
    }
}

/// A built-in function's value as a FROM row of `width` columns: a composite value
/// (`unnest` of an array of a composite type) gives one column per field, NULL all
/// NULLs.
fn value_row(value: Datum, width: usize) -> Vec<Datum> {
    if width <= 1 {
        return vec![value];
    }
    match value {
        Datum::Record(r) => {
            let mut values = r.values;
            values.resize(width, Datum::Null);
            values
        }
        _ => vec![Datum::Null; width],
    }
}

/// All the rows of one function in FROM, giving `width` columns.
fn target_rows(
    target: &Target,
    width: usize,
    ctx: &mut EvalContext<'_>,
) -> Result<Vec<Vec<Datum>>> {
    Ok(match target {
        Target::Set { f, args, strict } => super::project::call_set(*f, args, *strict, ctx, &[])?
            .into_iter()
            .map(|v| value_row(v, width))
            .collect(),
        Target::Rows { f, args, strict } => super::project::call_rows(*f, args, *strict, ctx, &[])?,
        Target::Scalar(e) => vec![value_row(e.eval(ctx, &[])?, width)],
        Target::User {
            proc,
            arg_types,
            args,
            retset,
        } => super::project::call_user(*proc, arg_types, args, *retset, ctx, &[])?.0,
    })
}

/// The rows of several functions side by side: as many as the longest has, each
/// function's `width` columns NULL where its rows ran out.
fn zip_rows(sets: Vec<(Vec<Vec<Datum>>, usize)>) -> Vec<Vec<Datum>> {
    let count = sets.iter().map(|(rows, _)| rows.len()).max().unwrap_or(0);
    let width: usize = sets.iter().map(|(_, w)| w).sum();
    let mut out: Vec<Vec<Datum>> = (0..count).map(|_| Vec::with_capacity(width)).collect();
    for (rows, w) in sets {
        let mut rows = rows.into_iter();
        for row in &mut out {
            let mut values = rows.next().unwrap_or_default();
            values.resize(w, Datum::Null);
            row.extend(values);
        }
    }
    out
}

impl Operator for FunctionScan {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.rows.is_none() {
            let rows = if let [(target, width)] = self.targets.as_slice() {
                target_rows(target, *width, ctx)?
            } else {
                let mut sets = Vec::with_capacity(self.targets.len());
                for (target, width) in &self.targets {
                    sets.push((target_rows(target, *width, ctx)?, *width));
                }
                zip_rows(sets)
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
