//! WITH RECURSIVE: the recursive union and the scan of its work table (PostgreSQL's
//! RecursiveUnion and WorkTableScan). Each step rebuilds the recursive term's operators
//! over the previous step's rows; the loop ends when a step yields no (new) rows.
//! Also the scan of a data-modifying CTE's RETURNING rows.

use std::collections::HashSet;
use std::rc::Rc;

use tusk_types::{Datum, Result};

use super::{build, row_key, BoxedOperator, Env, KeyPart, Operator};
use crate::plan::Plan;
use crate::EvalContext;

pub(super) struct WorkTableScan {
    pub rows: Rc<Vec<Vec<Datum>>>,
    pub next: usize,
}

impl Operator for WorkTableScan {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        ctx.session.check_interrupts()?;
        let row = self.rows.get(self.next).cloned();
        self.next += 1;
        Ok(row)
    }
}

/// The RETURNING rows of a data-modifying CTE, which runs on the first read
/// (`modifying_cte.rs`; PostgreSQL's CteScan over a ModifyTable).
pub(super) struct ModifyingCteScan {
    pub id: usize,
    pub rows: Option<Rc<Vec<Vec<Datum>>>>,
    pub next: usize,
}

impl Operator for ModifyingCteScan {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        ctx.session.check_interrupts()?;
        let rows = match &self.rows {
            Some(rows) => rows,
            None => self.rows.insert(crate::modifying_cte::rows(ctx, self.id)?),
        };
        let row = rows.get(self.next).cloned();
        self.next += 1;
        Ok(row)
    }
}

pub(super) struct RecursiveUnion<'a> {
    id: usize,
    all: bool,
    /// The operator producing the current step's rows.
    current: BoxedOperator<'a>,
    recursive: &'a Plan,
    env: Env<'a>,
    /// Rows of the current step, the next work table.
    step: Vec<Vec<Datum>>,
    /// Every row produced (UNION without ALL).
    seen: HashSet<Vec<KeyPart>>,
}

impl<'a> RecursiveUnion<'a> {
    pub fn new(
        id: usize,
        all: bool,
        non_recursive: BoxedOperator<'a>,
        recursive: &'a Plan,
        env: Env<'a>,
    ) -> RecursiveUnion<'a> {
        RecursiveUnion {
            id,
            all,
            current: non_recursive,
            recursive,
            env,
            step: Vec::new(),
            seen: HashSet::new(),
        }
    }
}

impl Operator for RecursiveUnion<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        loop {
            ctx.session.check_interrupts()?;
            match self.current.next(ctx)? {
                Some(row) => {
                    if !self.all && !self.seen.insert(row_key(&row)) {
                        continue;
                    }
                    self.step.push(row.clone());
                    return Ok(Some(row));
                }
                None => {
                    if self.step.is_empty() {
                        self.env.work_tables.borrow_mut().remove(&self.id);
                        return Ok(None);
                    }
                    let rows = Rc::new(std::mem::take(&mut self.step));
                    self.env.work_tables.borrow_mut().insert(self.id, rows);
                    self.current = build(self.recursive, &self.env)?;
                }
            }
        }
    }
}
