//! UNION, INTERSECT and EXCEPT, with and without ALL, by hashing whole rows (NULLs equal
//! each other, as set operations treat them). UNION streams both inputs; INTERSECT and
//! EXCEPT count the right input's rows first, then stream the left:
//!
//! | operation     | a row occurring l times left, r times right, comes out |
//! |---------------|-------------------------------------------------------|
//! | UNION ALL     | l + r times                                           |
//! | UNION         | once                                                  |
//! | INTERSECT ALL | min(l, r) times                                       |
//! | INTERSECT     | once if l > 0 and r > 0                               |
//! | EXCEPT ALL    | max(l - r, 0) times                                   |
//! | EXCEPT        | once if l > 0 and r = 0                               |

use std::collections::{HashMap, HashSet};

use tusk_sql::ast::SetOpKind;
use tusk_types::{Datum, Result};

use super::{row_key, BoxedOperator, KeyPart, Operator};
use crate::EvalContext;

pub(super) struct SetOp<'a> {
    op: SetOpKind,
    all: bool,
    left: BoxedOperator<'a>,
    right: Option<BoxedOperator<'a>>,
    /// Rows already returned (distinct forms).
    seen: HashSet<Vec<KeyPart>>,
    /// Right-side counts (INTERSECT, EXCEPT).
    counts: Option<HashMap<Vec<KeyPart>, usize>>,
    left_done: bool,
}

impl<'a> SetOp<'a> {
    pub fn new(
        op: SetOpKind,
        all: bool,
        left: BoxedOperator<'a>,
        right: BoxedOperator<'a>,
    ) -> SetOp<'a> {
        SetOp {
            op,
            all,
            left,
            right: Some(right),
            seen: HashSet::new(),
            counts: None,
            left_done: false,
        }
    }

    fn union(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        loop {
            ctx.session.check_interrupts()?;
            let row = if !self.left_done {
                match self.left.next(ctx)? {
                    Some(r) => Some(r),
                    None => {
                        self.left_done = true;
                        continue;
                    }
                }
            } else {
                match &mut self.right {
                    Some(right) => right.next(ctx)?,
                    None => None,
                }
            };
            let Some(row) = row else { return Ok(None) };
            if self.all || self.seen.insert(row_key(&row)) {
                return Ok(Some(row));
            }
        }
    }
}

impl Operator for SetOp<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.op == SetOpKind::Union {
            return self.union(ctx);
        }
        if self.counts.is_none() {
            let mut counts = HashMap::new();
            if let Some(mut right) = self.right.take() {
                while let Some(row) = right.next(ctx)? {
                    ctx.session.check_interrupts()?;
                    *counts.entry(row_key(&row)).or_insert(0usize) += 1;
                }
            }
            self.counts = Some(counts);
        }
        let counts = self.counts.as_mut().expect("counted above");
        while let Some(row) = self.left.next(ctx)? {
            ctx.session.check_interrupts()?;
            let key = row_key(&row);
            let in_right = counts.get_mut(&key);
            let keep = match (self.op, self.all) {
                (SetOpKind::Intersect, true) => match in_right {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        true
                    }
                    _ => false,
                },
                (SetOpKind::Intersect, false) => {
                    in_right.is_some_and(|n| *n > 0) && self.seen.insert(key)
                }
                (SetOpKind::Except, true) => match in_right {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                },
                (SetOpKind::Except, false) => in_right.is_none() && self.seen.insert(key),
                (SetOpKind::Union, _) => unreachable!("UNION is handled above"),
            };
            if keep {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}
