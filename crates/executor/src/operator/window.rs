//! Window functions (PostgreSQL's WindowAgg): all input rows are read, then for each
//! window call the rows are split into partitions by hashing the PARTITION BY keys, each
//! sorted by the ORDER BY keys and walked in order. Ranking functions, `lag`, `lead` and
//! `ntile` are computed here over peer groups (rows equal in the ORDER BY keys);
//! aggregates, `first_value`, `last_value` and `nth_value` over each row's frame
//! (`window_frame.rs`).
//!
//! Rows come out partition by partition (in PARTITION BY key order), in the last window
//! call's order within each, extended by one value per window call.

use std::cmp::Ordering;
use std::collections::HashMap;

use tusk_sql::analyze::{WindowCall, WindowFunction};
use tusk_types::{Datum, Result};

use super::window_frame::CompiledFrame;
use super::{key_part, scalar, BoxedOperator, KeyPart, Operator};
use crate::builtins::aggregate::{for_call, Aggregate};
use crate::builtins::{compare_values, ScalarFn};
use crate::eval::sort_compare;
use crate::{EvalContext, ExprEvaluator};

pub(super) struct CompiledWindow {
    pub(super) function: Function,
    pub(super) frame: CompiledFrame,
    partition_by: Vec<ExprEvaluator>,
    /// ORDER BY keys with their `<` function, DESC and NULLS FIRST.
    pub(super) order_by: Vec<(ExprEvaluator, ScalarFn, bool, bool)>,
}

pub(super) enum Function {
    Aggregate {
        implementation: Aggregate,
        args: Vec<ExprEvaluator>,
        filter: Option<ExprEvaluator>,
    },
    RowNumber,
    Rank,
    DenseRank,
    PercentRank,
    CumeDist,
    Ntile(ExprEvaluator),
    Shift {
        lead: bool,
        args: Vec<ExprEvaluator>,
    },
    Edge {
        last: bool,
        value: ExprEvaluator,
    },
    NthValue {
        value: ExprEvaluator,
        n: ExprEvaluator,
    },
}

pub(super) struct WindowAgg<'a> {
    input: Option<BoxedOperator<'a>>,
    windows: Vec<CompiledWindow>,
    output: std::vec::IntoIter<Vec<Datum>>,
}

impl<'a> WindowAgg<'a> {
    pub fn new(input: BoxedOperator<'a>, windows: &[WindowCall]) -> Result<WindowAgg<'a>> {
        let windows = windows
            .iter()
            .map(|w| {
                let function = match &w.function {
                    WindowFunction::Aggregate(a) => Function::Aggregate {
                        implementation: for_call(a)?,
                        args: a
                            .args
                            .iter()
                            .map(ExprEvaluator::compile)
                            .collect::<Result<_>>()?,
                        filter: a.filter.as_ref().map(ExprEvaluator::compile).transpose()?,
                    },
                    WindowFunction::RowNumber => Function::RowNumber,
                    WindowFunction::Rank => Function::Rank,
                    WindowFunction::DenseRank => Function::DenseRank,
                    WindowFunction::PercentRank => Function::PercentRank,
                    WindowFunction::CumeDist => Function::CumeDist,
                    WindowFunction::Ntile(e) => Function::Ntile(ExprEvaluator::compile(e)?),
                    WindowFunction::Shift { lead, args } => Function::Shift {
                        lead: *lead,
                        args: args
                            .iter()
                            .map(ExprEvaluator::compile)
                            .collect::<Result<_>>()?,
                    },
                    WindowFunction::Edge { last, value } => Function::Edge {
                        last: *last,
                        value: ExprEvaluator::compile(value)?,
                    },
                    WindowFunction::NthValue { value, n } => Function::NthValue {
                        value: ExprEvaluator::compile(value)?,
                        n: ExprEvaluator::compile(n)?,
                    },
                };
                Ok(CompiledWindow {
                    function,
                    frame: CompiledFrame::new(w.frame.as_ref())?,
                    partition_by: w
                        .partition_by
                        .iter()
                        .map(ExprEvaluator::compile)
                        .collect::<Result<_>>()?,
                    order_by: w
                        .order_by
                        .iter()
                        .map(|k| {
                            Ok((
                                ExprEvaluator::compile(&k.expr)?,
                                scalar(k.lt_proc)?,
                                k.descending,
                                k.nulls_first,
                            ))
                        })
                        .collect::<Result<_>>()?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(WindowAgg {
            input: Some(input),
            windows,
            output: Vec::new().into_iter(),
        })
    }
}

/// One input row with the keys of the window being computed.
pub(super) struct Keyed {
    pub(super) row: usize,
    partition: Vec<Datum>,
    pub(super) order: Vec<Datum>,
}

pub(super) fn order_compare(
    ctx: &mut EvalContext<'_>,
    w: &CompiledWindow,
    a: &Keyed,
    b: &Keyed,
) -> Result<Ordering> {
    for ((_, lt, desc, nulls_first), (x, y)) in w.order_by.iter().zip(a.order.iter().zip(&b.order))
    {
        let o = sort_compare(ctx, *lt, x, y, *desc, *nulls_first)?;
        if o != Ordering::Equal {
            return Ok(o);
        }
    }
    Ok(Ordering::Equal)
}

impl WindowAgg<'_> {
    /// The values of window `w` for `rows`, by row index; and the row order it sorted.
    fn compute(
        &self,
        ctx: &mut EvalContext<'_>,
        w: &CompiledWindow,
        rows: &[Vec<Datum>],
    ) -> Result<(Vec<Datum>, Vec<usize>)> {
        let mut keyed = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            ctx.session.check_interrupts()?;
            let mut partition = Vec::with_capacity(w.partition_by.len());
            for p in &w.partition_by {
                partition.push(p.eval(ctx, r)?);
            }
            let mut order = Vec::with_capacity(w.order_by.len());
            for (o, ..) in &w.order_by {
                order.push(o.eval(ctx, r)?);
            }
            keyed.push(Keyed {
                row: i,
                partition,
                order,
            });
        }
        // Partitions by hashing their keys, in the order first seen; rows within a
        // partition sorted (stably) by the ORDER BY keys.
        let mut index: HashMap<Vec<KeyPart>, usize> = HashMap::new();
        let mut partitions: Vec<Vec<Keyed>> = Vec::new();
        for k in keyed {
            let key: Vec<KeyPart> = k.partition.iter().map(key_part).collect();
            let p = *index.entry(key).or_insert_with(|| {
                partitions.push(Vec::new());
                partitions.len() - 1
            });
            partitions[p].push(k);
        }
        // Partitions in PARTITION BY key order (ascending, NULLs last), as the sort
        // under PostgreSQL's WindowAgg leaves them.
        partitions.sort_by(|a, b| partition_order(&a[0].partition, &b[0].partition));
        let mut values = vec![Datum::Null; rows.len()];
        let mut order = Vec::with_capacity(rows.len());
        for mut part in partitions {
            let mut err = None;
            part.sort_by(|a, b| {
                if err.is_some() {
                    return Ordering::Equal;
                }
                order_compare(ctx, w, a, b).unwrap_or_else(|e| {
                    err = Some(e);
                    Ordering::Equal
                })
            });
            if let Some(e) = err {
                return Err(e);
            }
            self.partition(ctx, w, rows, &part, &mut values)?;
            order.extend(part.iter().map(|k| k.row));
        }
        Ok((values, order))
    }

    /// Fills `values` for one partition (rows in window order).
    fn partition(
        &self,
        ctx: &mut EvalContext<'_>,
        w: &CompiledWindow,
        rows: &[Vec<Datum>],
        part: &[Keyed],
        values: &mut [Datum],
    ) -> Result<()> {
        if matches!(
            w.function,
            Function::Aggregate { .. } | Function::Edge { .. } | Function::NthValue { .. }
        ) {
            return w.frame.fill(ctx, w, rows, part, values);
        }
        let mut peer_start = 0;
        let mut dense = 0i64;
        while peer_start < part.len() {
            ctx.session.check_interrupts()?;
            // The peer group: rows equal in the ORDER BY keys (all of the partition
            // when there are none).
            let mut peer_end = peer_start + 1;
            while peer_end < part.len()
                && order_compare(ctx, w, &part[peer_start], &part[peer_end])? == Ordering::Equal
            {
                peer_end += 1;
            }
            dense += 1;
            match &w.function {
                Function::RowNumber => {
                    for (i, k) in part[peer_start..peer_end].iter().enumerate() {
                        values[k.row] = Datum::Int8((peer_start + i + 1) as i64);
                    }
                }
                Function::Rank => {
                    for k in &part[peer_start..peer_end] {
                        values[k.row] = Datum::Int8(peer_start as i64 + 1);
                    }
                }
                Function::DenseRank => {
                    for k in &part[peer_start..peer_end] {
                        values[k.row] = Datum::Int8(dense);
                    }
                }
                Function::PercentRank => {
                    let v = if part.len() > 1 {
                        peer_start as f64 / (part.len() - 1) as f64
                    } else {
                        0.0
                    };
                    for k in &part[peer_start..peer_end] {
                        values[k.row] = Datum::Float8(v);
                    }
                }
                Function::CumeDist => {
                    let v = peer_end as f64 / part.len() as f64;
                    for k in &part[peer_start..peer_end] {
                        values[k.row] = Datum::Float8(v);
                    }
                }
                Function::Ntile(buckets) => {
                    for i in peer_start..peer_end {
                        let n = match buckets.eval(ctx, &rows[part[i].row])? {
                            Datum::Int4(n) if n > 0 => n as usize,
                            Datum::Null => {
                                values[part[i].row] = Datum::Null;
                                continue;
                            }
                            _ => {
                                return Err(tusk_types::pg_err!(
                                    INVALID_ARGUMENT_FOR_NTILE,
                                    "argument of ntile must be greater than zero"
                                ))
                            }
                        };
                        values[part[i].row] = Datum::Int4(ntile_bucket(i, part.len(), n));
                    }
                }
                Function::Shift { lead, args } => {
                    for i in peer_start..peer_end {
                        let row = &rows[part[i].row];
                        let offset = match args.get(1) {
                            Some(o) => match o.eval(ctx, row)? {
                                Datum::Int4(n) => i64::from(n),
                                _ => {
                                    values[part[i].row] = Datum::Null;
                                    continue;
                                }
                            },
                            None => 1,
                        };
                        let target = if *lead {
                            i as i64 + offset
                        } else {
                            i as i64 - offset
                        };
                        values[part[i].row] = if (0..part.len() as i64).contains(&target) {
                            args[0].eval(ctx, &rows[part[target as usize].row])?
                        } else {
                            match args.get(2) {
                                Some(d) => d.eval(ctx, row)?,
                                None => Datum::Null,
                            }
                        };
                    }
                }
                Function::Aggregate { .. } | Function::Edge { .. } | Function::NthValue { .. } => {
                    unreachable!("framed functions are filled by the frame")
                }
            }
            peer_start = peer_end;
        }
        Ok(())
    }
}

impl Operator for WindowAgg<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if let Some(mut input) = self.input.take() {
            let mut rows = Vec::new();
            while let Some(row) = input.next(ctx)? {
                ctx.session.check_interrupts()?;
                rows.push(row);
            }
            let mut order: Vec<usize> = (0..rows.len()).collect();
            let mut results = Vec::with_capacity(self.windows.len());
            for w in &self.windows {
                let (values, sorted) = self.compute(ctx, w, &rows)?;
                results.push(values);
                order = sorted;
            }
            let mut out = Vec::with_capacity(rows.len());
            let mut rows: Vec<Option<Vec<Datum>>> = rows.into_iter().map(Some).collect();
            for i in order {
                let mut row = rows[i].take().expect("each row once");
                for values in &results {
                    row.push(values[i].clone());
                }
                out.push(row);
            }
            self.output = out.into_iter();
        }
        Ok(self.output.next())
    }
}

/// Two partitions' keys in ascending order, NULLs last.
fn partition_order(a: &[Datum], b: &[Datum]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_values(x, y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// PostgreSQL's ntile: `n` buckets over `total` rows, the first `total % n` one row
/// larger; the 1-based bucket of row `i` (0-based).
fn ntile_bucket(i: usize, total: usize, n: usize) -> i32 {
    let per = total / n;
    let extra = total % n;
    let big = extra * (per + 1);
    let bucket = if i < big {
        i / (per + 1)
    } else {
        extra + (i - big) / per.max(1)
    };
    bucket as i32 + 1
}
