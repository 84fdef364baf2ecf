//! Grouping by hashing: every input row is folded into its group's aggregate states;
//! groups come out in the order they were first seen, each as `keys ++ results`. With no
//! keys there is exactly one group, even over no input (PostgreSQL's plain Agg).
//!
//! With grouping sets every row is folded into one group of each set; the sets' groups
//! come out set after set, as `keys ++ GROUPING values ++ results` with the keys outside
//! the set NULL. The empty set has its one group even over no input.
//!
//! An aggregate with DISTINCT or ORDER BY inside its call buffers its group's argument
//! rows and feeds them, sorted and de-duplicated, when the group is finished.

use std::collections::HashMap;

use tusk_sql::analyze::{AggregateCall, GroupingSets, TypedExpr};
use tusk_types::{Datum, Result};

use super::ordered_set::OrderedSet;
use super::{row_key, scalar, sort_rows, BoxedOperator, KeyPart, Operator, SortSpec};
use crate::builtins::aggregate::{for_call, AggState, Aggregate};
use crate::{EvalContext, ExprEvaluator};

struct CompiledAggregate {
    /// The transition state; `None` for a built-in ordered-set aggregate.
    implementation: Option<Aggregate>,
    /// A built-in ordered-set aggregate.
    ordered_set: Option<OrderedSet>,
    /// How many of `args` are an ordered-set call's direct arguments, and the highest
    /// input column they read (for evaluating them in a group without rows).
    direct: Option<(usize, usize)>,
    ret: tusk_types::Oid,
    args: Vec<ExprEvaluator>,
    filter: Option<ExprEvaluator>,
    distinct: bool,
    /// ORDER BY inside the call: key expressions and their sort specs (columns after
    /// the arguments in a buffered row).
    order: Vec<ExprEvaluator>,
    order_specs: Vec<SortSpec>,
}

impl CompiledAggregate {
    fn buffered(&self) -> bool {
        self.distinct || !self.order.is_empty() || self.direct.is_some()
    }

    fn start(&self) -> Result<Box<dyn AggState>> {
        self.implementation
            .as_ref()
            .map(Aggregate::start)
            .ok_or_else(|| tusk_types::Error::internal("ordered-set aggregate without a state"))
    }

    /// The value of an aggregate whose rows were buffered, sorted by its ORDER BY.
    fn finish_buffered(&self, ctx: &mut EvalContext<'_>, rows: Vec<Vec<Datum>>) -> Result<Datum> {
        let nargs = self.args.len();
        if let Some((direct, width)) = self.direct {
            // Direct arguments are the same for every row of the group (they use only
            // grouped columns); a group without rows reads them over a row of NULLs.
            let direct_values = match rows.first() {
                Some(r) => r[..direct].to_vec(),
                None => {
                    let nulls = vec![Datum::Null; width];
                    let mut values = Vec::with_capacity(direct);
                    for e in &self.args[..direct] {
                        values.push(e.eval(ctx, &nulls)?);
                    }
                    values
                }
            };
            let aggregated: Vec<Vec<Datum>> = rows
                .into_iter()
                .map(|r| r[direct..nargs].to_vec())
                .collect();
            if let Some(kind) = self.ordered_set {
                let specs: Vec<SortSpec> = self
                    .order_specs
                    .iter()
                    .enumerate()
                    .map(|(i, s)| SortSpec {
                        column: i,
                        lt: s.lt,
                        descending: s.descending,
                        nulls_first: s.nulls_first,
                    })
                    .collect();
                return kind.finish(ctx, &direct_values, &aggregated, &specs, self.ret);
            }
            let mut state = self.start()?;
            state.set_direct_args(&direct_values);
            for r in aggregated {
                ctx.session.check_interrupts()?;
                state.advance(ctx, &r)?;
            }
            return state.finish(ctx);
        }
        let mut state = self.start()?;
        let mut seen = std::collections::HashSet::new();
        for r in rows {
            ctx.session.check_interrupts()?;
            let args = &r[..nargs];
            if self.distinct && !seen.insert(row_key(args)) {
                continue;
            }
            state.advance(ctx, args)?;
        }
        state.finish(ctx)
    }
}

/// One more than the highest input column `e` reads (0 if none).
fn columns_read(e: &TypedExpr) -> usize {
    if let TypedExpr::Column { index, .. } = e {
        return index + 1;
    }
    let mut most = 0;
    let _ = e.clone().map_children(&mut |c| {
        most = most.max(columns_read(&c));
        Ok(c)
    });
    most
}

enum Slot {
    Direct(Box<dyn AggState>),
    /// Argument rows (arguments, then ORDER BY keys), fed at the end.
    Buffered(Vec<Vec<Datum>>),
}

struct Group {
    keys: Vec<Datum>,
    slots: Vec<Slot>,
}

pub(super) struct HashAggregate<'a> {
    input: Option<BoxedOperator<'a>>,
    keys: Vec<ExprEvaluator>,
    /// Grouping sets (key indexes); one set of every key for plain GROUP BY.
    sets: Vec<Vec<usize>>,
    /// `GROUPING` calls (key indexes), whose values follow the keys.
    calls: Vec<Vec<usize>>,
    aggregates: Vec<CompiledAggregate>,
    output: std::vec::IntoIter<Vec<Datum>>,
}

/// The groups of one grouping set.
struct SetGroups {
    index: HashMap<Vec<KeyPart>, usize>,
    groups: Vec<Group>,
}

impl<'a> HashAggregate<'a> {
    pub fn new(
        input: BoxedOperator<'a>,
        keys: &[TypedExpr],
        grouping_sets: &GroupingSets,
        aggregates: &[AggregateCall],
    ) -> Result<HashAggregate<'a>> {
        let aggregates = aggregates
            .iter()
            .map(|a| {
                let nargs = a.args.len();
                let ordered_set = if a.definition.is_none() && a.direct_args.is_some() {
                    OrderedSet::by_proc(a.proc)
                } else {
                    None
                };
                let implementation = match ordered_set {
                    Some(_) => None,
                    None => Some(for_call(a)?),
                };
                // A user-defined ordered-set aggregate's transition function gets the
                // rows in input order, as PostgreSQL leaves the sorting to it.
                let sorted_keys = if a.definition.is_some() && a.direct_args.is_some() {
                    &[][..]
                } else {
                    &a.order_by[..]
                };
                Ok(CompiledAggregate {
                    implementation,
                    ordered_set,
                    direct: a.direct_args.map(|d| {
                        let width = a.args[..d].iter().map(columns_read).max().unwrap_or(0);
                        (d, width)
                    }),
                    ret: a.ret,
                    args: a
                        .args
                        .iter()
                        .map(ExprEvaluator::compile)
                        .collect::<Result<_>>()?,
                    filter: a.filter.as_ref().map(ExprEvaluator::compile).transpose()?,
                    distinct: a.distinct,
                    order: sorted_keys
                        .iter()
                        .map(|k| ExprEvaluator::compile(&k.expr))
                        .collect::<Result<_>>()?,
                    order_specs: sorted_keys
                        .iter()
                        .enumerate()
                        .map(|(i, k)| {
                            Ok(SortSpec {
                                column: nargs + i,
                                lt: scalar(k.lt_proc)?,
                                descending: k.descending,
                                nulls_first: k.nulls_first,
                            })
                        })
                        .collect::<Result<_>>()?,
                })
            })
            .collect::<Result<_>>()?;
        let sets = if grouping_sets.sets.is_empty() {
            vec![(0..keys.len()).collect()]
        } else {
            grouping_sets.sets.clone()
        };
        Ok(HashAggregate {
            input: Some(input),
            keys: keys
                .iter()
                .map(ExprEvaluator::compile)
                .collect::<Result<_>>()?,
            sets,
            calls: grouping_sets.calls.clone(),
            aggregates,
            output: Vec::new().into_iter(),
        })
    }

    fn new_group(&self, keys: Vec<Datum>) -> Group {
        Group {
            keys,
            slots: self
                .aggregates
                .iter()
                .map(|a| {
                    if a.buffered() {
                        Slot::Buffered(Vec::new())
                    } else {
                        Slot::Direct(a.start().expect("unbuffered aggregates have a state"))
                    }
                })
                .collect(),
        }
    }

    fn advance(&self, ctx: &mut EvalContext<'_>, group: &mut Group, row: &[Datum]) -> Result<()> {
        for (a, slot) in self.aggregates.iter().zip(&mut group.slots) {
            if let Some(f) = &a.filter {
                if f.eval(ctx, row)? != Datum::Bool(true) {
                    continue;
                }
            }
            let mut args = Vec::with_capacity(a.args.len() + a.order.len());
            for e in &a.args {
                args.push(e.eval(ctx, row)?);
            }
            if a.implementation
                .as_ref()
                .is_some_and(|i| a.direct.is_none() && i.skips_row(&args))
            {
                continue;
            }
            match slot {
                Slot::Direct(state) => state.advance(ctx, &args)?,
                Slot::Buffered(rows) => {
                    for e in &a.order {
                        args.push(e.eval(ctx, row)?);
                    }
                    rows.push(args);
                }
            }
        }
        Ok(())
    }

    fn finish(&self, ctx: &mut EvalContext<'_>, group: Group) -> Result<Vec<Datum>> {
        let mut out = group.keys;
        for (a, slot) in self.aggregates.iter().zip(group.slots) {
            let value = match slot {
                Slot::Direct(state) => state.finish(ctx)?,
                Slot::Buffered(mut rows) => {
                    sort_rows(ctx, &mut rows, &a.order_specs)?;
                    a.finish_buffered(ctx, rows)?
                }
            };
            out.push(value);
        }
        Ok(out)
    }
}

impl Operator for HashAggregate<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if let Some(mut input) = self.input.take() {
            let width = self.keys.len();
            let mut sets: Vec<SetGroups> = self
                .sets
                .iter()
                .map(|set| {
                    let mut groups = Vec::new();
                    if set.is_empty() {
                        groups.push(self.new_group(vec![Datum::Null; width]));
                    }
                    SetGroups {
                        index: HashMap::new(),
                        groups,
                    }
                })
                .collect();
            // Plain GROUP BY: the one set is every key, in order.
            let plain = self.sets.len() == 1 && self.calls.is_empty();
            while let Some(row) = input.next(ctx)? {
                ctx.session.check_interrupts()?;
                let mut keys = Vec::with_capacity(width);
                for k in &self.keys {
                    keys.push(k.eval(ctx, &row)?);
                }
                for (set, groups) in self.sets.iter().zip(&mut sets) {
                    let g = if set.is_empty() {
                        0
                    } else {
                        let key = if plain {
                            row_key(&keys)
                        } else {
                            row_key(&set.iter().map(|k| keys[*k].clone()).collect::<Vec<_>>())
                        };
                        match groups.index.get(&key) {
                            Some(g) => *g,
                            None => {
                                let group_keys = if plain {
                                    keys.clone()
                                } else {
                                    (0..width)
                                        .map(|k| {
                                            if set.contains(&k) {
                                                keys[k].clone()
                                            } else {
                                                Datum::Null
                                            }
                                        })
                                        .collect()
                                };
                                groups.groups.push(self.new_group(group_keys));
                                groups.index.insert(key, groups.groups.len() - 1);
                                groups.groups.len() - 1
                            }
                        }
                    };
                    self.advance(ctx, &mut groups.groups[g], &row)?;
                }
            }
            let mut out = Vec::with_capacity(sets.iter().map(|s| s.groups.len()).sum());
            for (set, groups) in self.sets.iter().zip(sets) {
                for mut g in groups.groups {
                    for call in &self.calls {
                        g.keys
                            .push(Datum::Int4(GroupingSets::grouping_value(call, set)));
                    }
                    out.push(self.finish(ctx, g)?);
                }
            }
            self.output = out.into_iter();
        }
        Ok(self.output.next())
    }
}
