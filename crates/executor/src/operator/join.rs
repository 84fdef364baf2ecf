//! Nested-loop join over a materialised inner side, for every join kind: INNER (and
//! cross products), LEFT, RIGHT and FULL. Unmatched outer rows of LEFT/FULL joins are
//! emitted right after their inner pass; unmatched inner rows of RIGHT/FULL joins after
//! the last outer row.

use tusk_sql::analyze::TypedExpr;
use tusk_sql::ast::JoinKind;
use tusk_types::{Datum, Result};

use super::{BoxedOperator, Operator};
use crate::{EvalContext, ExprEvaluator};

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
                let mut joined = Vec::with_capacity(self.outer_width + self.inner_width);
                joined.extend(outer_row.iter().cloned());
                joined.extend(self.inner[index].0.iter().cloned());
                let ok = match &self.condition {
                    None => true,
                    Some(c) => c.eval(ctx, &joined)? == Datum::Bool(true),
                };
                if ok {
                    *matched = true;
                    self.inner[index].1 = true;
                    return Ok(Some(joined));
                }
            }
            let unmatched = !*matched && matches!(self.kind, JoinKind::Left | JoinKind::Full);
            let (row, _, _) = self.current.take().expect("current outer row");
            if unmatched {
                let mut out = row;
                out.resize(self.outer_width + self.inner_width, Datum::Null);
                return Ok(Some(out));
            }
        }
    }
}
