//! Joins for every kind: INNER (and cross products), LEFT, RIGHT and FULL; a nested loop
//! over a materialised inner side, a parameterized nested loop that rescans its inner
//! side per outer row (INNER and LEFT), and a hash join on equality keys. Unmatched outer rows of LEFT/FULL joins are
//! emitted right after their inner pass; unmatched inner rows of RIGHT/FULL joins after
//! the last outer row.

use std::collections::HashMap;

use tusk_sql::analyze::{Query, TypedExpr};
use tusk_sql::ast::JoinKind;
use tusk_types::{Datum, Result};

use super::{key_part, BoxedOperator, KeyPart, Operator};
use crate::subquery::{bind_outer, run_rows};
use crate::{EvalContext, ExprEvaluator};

/// The concatenation of an outer and an inner row if `condition` (none: always) is true
/// of it; `None` when the condition is false or NULL.
fn join_if(
    condition: Option<&ExprEvaluator>,
    ctx: &mut EvalContext<'_>,
    outer_row: &[Datum],
    inner_row: impl IntoIterator<Item = Datum>,
    width: usize,
) -> Result<Option<Vec<Datum>>> {
    let mut joined = Vec::with_capacity(width);
    joined.extend(outer_row.iter().cloned());
    joined.extend(inner_row);
    let ok = match condition {
        None => true,
        Some(c) => c.eval(ctx, &joined)? == Datum::Bool(true),
    };
    Ok(ok.then_some(joined))
}

/// An outer row extended with NULLs for the inner side's columns (`width` in all).
fn null_extended(mut row: Vec<Datum>, width: usize) -> Vec<Datum> {
    row.resize(width, Datum::Null);
    row
}

pub(super) struct NestedLoop<'a> {
    kind: JoinKind,
    outer: BoxedOperator<'a>,
    inner_input: Option<BoxedOperator<'a>>,
    condition: Option<ExprEvaluator>,
    outer_width: usize,
    inner_width: usize,
    /// The inner rows, once read, with whether any outer row matched each.
    inner: Vec<(Vec<Datum>, bool)>,
    /// The current outer row, the next inner position, and whether it matched yet.
    current: Option<(Vec<Datum>, usize, bool)>,
    /// Position in the unmatched-inner pass, once the outer side is exhausted.
    tail: Option<usize>,
}

impl<'a> NestedLoop<'a> {
    pub fn new(
        kind: JoinKind,
        outer: BoxedOperator<'a>,
        inner: BoxedOperator<'a>,
        condition: Option<&TypedExpr>,
        outer_width: usize,
        inner_width: usize,
    ) -> Result<NestedLoop<'a>> {
        Ok(NestedLoop {
            kind,
            outer,
            inner_input: Some(inner),
            condition: condition.map(ExprEvaluator::compile).transpose()?,
            outer_width,
            inner_width,
            inner: Vec::new(),
            current: None,
            tail: None,
        })
    }
}

impl Operator for NestedLoop<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if let Some(mut input) = self.inner_input.take() {
            while let Some(row) = input.next(ctx)? {
                ctx.session.check_interrupts()?;
                self.inner.push((row, false));
            }
        }
        loop {
            ctx.session.check_interrupts()?;
            if let Some(pos) = &mut self.tail {
                // Inner rows no outer row matched (RIGHT and FULL joins).
                while *pos < self.inner.len() {
                    let (row, matched) = &self.inner[*pos];
                    *pos += 1;
                    if !matched {
                        let mut out = vec![Datum::Null; self.outer_width];
                        out.extend(row.iter().cloned());
                        return Ok(Some(out));
                    }
                }
                return Ok(None);
            }
            let Some((outer_row, pos, matched)) = &mut self.current else {
                match self.outer.next(ctx)? {
                    Some(row) => self.current = Some((row, 0, false)),
                    None => {
                        if matches!(self.kind, JoinKind::Right | JoinKind::Full) {
                            self.tail = Some(0);
                            continue;
                        }
                        return Ok(None);
                    }
                }
                continue;
            };
            while *pos < self.inner.len() {
                ctx.session.check_interrupts()?;
                let index = *pos;
                *pos += 1;
                let width = self.outer_width + self.inner_width;
                let inner_row = self.inner[index].0.iter().cloned();
                if let Some(joined) =
                    join_if(self.condition.as_ref(), ctx, outer_row, inner_row, width)?
                {
                    *matched = true;
                    self.inner[index].1 = true;
                    return Ok(Some(joined));
                }
            }
            let unmatched = !*matched && matches!(self.kind, JoinKind::Left | JoinKind::Full);
            let (row, _, _) = self.current.take().expect("current outer row");
            if unmatched {
                return Ok(Some(null_extended(
                    row,
                    self.outer_width + self.inner_width,
                )));
            }
        }
    }
}

/// Hash join: the inner rows are read into a table keyed by their key values (rows
/// with a NULL key are kept for outer joins but never match); each outer row probes it.
pub(super) struct HashJoin<'a> {
    kind: JoinKind,
    outer: BoxedOperator<'a>,
    inner_input: Option<BoxedOperator<'a>>,
    outer_keys: Vec<ExprEvaluator>,
    inner_keys: Vec<ExprEvaluator>,
    residual: Option<ExprEvaluator>,
    outer_width: usize,
    inner_width: usize,
    inner: Vec<(Vec<Datum>, bool)>,
    table: HashMap<Vec<KeyPart>, Vec<usize>>,
    /// The current outer row, its candidate inner rows, the next candidate, matched yet.
    current: Option<(Vec<Datum>, Vec<usize>, usize, bool)>,
    tail: Option<usize>,
}

/// The key values of `row`, or `None` if one is NULL (`=` is never true then).
fn keys_of(
    keys: &[ExprEvaluator],
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<Option<Vec<KeyPart>>> {
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let v = k.eval(ctx, row)?;
        if v.is_null() {
            return Ok(None);
        }
        out.push(key_part(&v));
    }
    Ok(Some(out))
}

impl<'a> HashJoin<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: JoinKind,
        outer: BoxedOperator<'a>,
        inner: BoxedOperator<'a>,
        outer_keys: &[TypedExpr],
        inner_keys: &[TypedExpr],
        residual: Option<&TypedExpr>,
        outer_width: usize,
        inner_width: usize,
    ) -> Result<HashJoin<'a>> {
        let compile = |keys: &[TypedExpr]| -> Result<Vec<ExprEvaluator>> {
            keys.iter().map(ExprEvaluator::compile).collect()
        };
        Ok(HashJoin {
            kind,
            outer,
            inner_input: Some(inner),
            outer_keys: compile(outer_keys)?,
            inner_keys: compile(inner_keys)?,
            residual: residual.map(ExprEvaluator::compile).transpose()?,
            outer_width,
            inner_width,
            inner: Vec::new(),
            table: HashMap::new(),
            current: None,
            tail: None,
        })
    }
}

impl Operator for HashJoin<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if let Some(mut input) = self.inner_input.take() {
            while let Some(row) = input.next(ctx)? {
                ctx.session.check_interrupts()?;
                if let Some(key) = keys_of(&self.inner_keys, ctx, &row)? {
                    self.table.entry(key).or_default().push(self.inner.len());
                }
                self.inner.push((row, false));
            }
        }
        loop {
            ctx.session.check_interrupts()?;
            if let Some(pos) = &mut self.tail {
                while *pos < self.inner.len() {
                    let (row, matched) = &self.inner[*pos];
                    *pos += 1;
                    if !matched {
                        let mut out = vec![Datum::Null; self.outer_width];
                        out.extend(row.iter().cloned());
                        return Ok(Some(out));
                    }
                }
                return Ok(None);
            }
            let Some((outer_row, candidates, pos, matched)) = &mut self.current else {
                match self.outer.next(ctx)? {
                    Some(row) => {
                        let candidates = match keys_of(&self.outer_keys, ctx, &row)? {
                            Some(key) => self.table.get(&key).cloned().unwrap_or_default(),
                            None => Vec::new(),
                        };
                        self.current = Some((row, candidates, 0, false));
                    }
                    None => {
                        if matches!(self.kind, JoinKind::Right | JoinKind::Full) {
                            self.tail = Some(0);
                            continue;
                        }
                        return Ok(None);
                    }
                }
                continue;
            };
            while *pos < candidates.len() {
                ctx.session.check_interrupts()?;
                let index = candidates[*pos];
                *pos += 1;
                let width = self.outer_width + self.inner_width;
                let inner_row = self.inner[index].0.iter().cloned();
                if let Some(joined) =
                    join_if(self.residual.as_ref(), ctx, outer_row, inner_row, width)?
                {
                    *matched = true;
                    self.inner[index].1 = true;
                    return Ok(Some(joined));
                }
            }
            let unmatched = !*matched && matches!(self.kind, JoinKind::Left | JoinKind::Full);
            let (row, _, _, _) = self.current.take().expect("current outer row");
            if unmatched {
                return Ok(Some(null_extended(
                    row,
                    self.outer_width + self.inner_width,
                )));
            }
        }
    }
}

/// A join with a LATERAL inner side: the inner query runs once per outer row, with its
/// references to that row bound; INNER and LEFT only (PostgreSQL allows no other).
pub(super) struct LateralLoop<'a> {
    kind: JoinKind,
    outer: BoxedOperator<'a>,
    inner: &'a Query,
    left_base: usize,
    condition: Option<ExprEvaluator>,
    outer_width: usize,
    inner_width: usize,
    /// The current outer row, its inner rows, the next one, matched yet.
    current: Option<(Vec<Datum>, std::vec::IntoIter<Vec<Datum>>, bool)>,
}

impl<'a> LateralLoop<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: JoinKind,
        outer: BoxedOperator<'a>,
        inner: &'a Query,
        left_base: usize,
        condition: Option<&TypedExpr>,
        outer_width: usize,
        inner_width: usize,
    ) -> Result<LateralLoop<'a>> {
        Ok(LateralLoop {
            kind,
            outer,
            inner,
            left_base,
            condition: condition.map(ExprEvaluator::compile).transpose()?,
            outer_width,
            inner_width,
            current: None,
        })
    }
}

impl Operator for LateralLoop<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        loop {
            ctx.session.check_interrupts()?;
            let Some((outer_row, inner_rows, matched)) = &mut self.current else {
                let Some(row) = self.outer.next(ctx)? else {
                    return Ok(None);
                };
                let bound = bind_outer(self.inner, &row, self.left_base);
                let rows = run_rows(ctx, &bound, None)?;
                self.current = Some((row, rows.into_iter(), false));
                continue;
            };
            for inner_row in inner_rows.by_ref() {
                ctx.session.check_interrupts()?;
                let width = self.outer_width + self.inner_width;
                if let Some(joined) =
                    join_if(self.condition.as_ref(), ctx, outer_row, inner_row, width)?
                {
                    *matched = true;
                    return Ok(Some(joined));
                }
            }
            let unmatched = !*matched && self.kind == JoinKind::Left;
            let (row, _, _) = self.current.take().expect("current outer row");
            if unmatched {
                return Ok(Some(null_extended(
                    row,
                    self.outer_width + self.inner_width,
                )));
            }
        }
    }
}

/// A nested loop whose inner input is rescanned with each outer row as its parameters
/// (an index scan keyed by that row's values); INNER and LEFT.
pub(super) struct ParameterizedNestedLoop<'a> {
    kind: JoinKind,
    outer: BoxedOperator<'a>,
    inner: BoxedOperator<'a>,
    condition: Option<ExprEvaluator>,
    outer_width: usize,
    inner_width: usize,
    /// The current outer row and whether it matched yet.
    current: Option<(Vec<Datum>, bool)>,
}

impl<'a> ParameterizedNestedLoop<'a> {
    pub fn new(
        kind: JoinKind,
        outer: BoxedOperator<'a>,
        inner: BoxedOperator<'a>,
        condition: Option<&TypedExpr>,
        outer_width: usize,
        inner_width: usize,
    ) -> Result<ParameterizedNestedLoop<'a>> {
        Ok(ParameterizedNestedLoop {
            kind,
            outer,
            inner,
            condition: condition.map(ExprEvaluator::compile).transpose()?,
            outer_width,
            inner_width,
            current: None,
        })
    }
}

impl Operator for ParameterizedNestedLoop<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        loop {
            ctx.session.check_interrupts()?;
            let Some((outer_row, matched)) = &mut self.current else {
                let Some(row) = self.outer.next(ctx)? else {
                    return Ok(None);
                };
                self.inner.rescan(ctx, &row)?;
                self.current = Some((row, false));
                continue;
            };
            while let Some(inner_row) = self.inner.next(ctx)? {
                let width = self.outer_width + self.inner_width;
                if let Some(joined) =
                    join_if(self.condition.as_ref(), ctx, outer_row, inner_row, width)?
                {
                    *matched = true;
                    return Ok(Some(joined));
                }
            }
            let unmatched = !*matched && self.kind == JoinKind::Left;
            let (row, _) = self.current.take().expect("current outer row");
            if unmatched {
                return Ok(Some(null_extended(
                    row,
                    self.outer_width + self.inner_width,
                )));
            }
        }
    }
}
