//! Pull-based operators that run a [`Plan`]: each [`Operator::next`] returns the next
//! row or `None` when done. Every loop checks for cancellation
//! (`SessionContext::check_interrupts`, 57014).
//!
//! Entry point: [`build`]. See also `plan.rs` for the tree shapes.

mod aggregate;
mod index_scan;
pub(crate) mod instrument;
mod join;
mod lock_rows;
mod ordered_set;
mod project;
mod recursive;
mod scan;
mod setop;
mod window;
mod window_frame;

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use tusk_sql::analyze::TypedExpr;
use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, Datum, Error, Result};

use crate::builtins::{self, Builtin, ScalarFn};
use crate::eval::sort_compare;
use crate::plan::Plan;
use crate::{EvalContext, ExprEvaluator, TableAccess};

/// A running plan node.
pub(crate) trait Operator {
    /// The next row, or `None` at the end.
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>>;

    /// Starts over with `params` (the outer row of a parameterized nested loop) as the
    /// row its parameterized values read (PostgreSQL's `ExecReScan`). Only the inner
    /// plans of [`Plan::ParameterizedNestedLoop`] support it.
    fn rescan(&mut self, _ctx: &mut EvalContext<'_>, _params: &[Datum]) -> Result<()> {
        Err(Error::internal("rescan of an operator that cannot restart"))
    }
}

/// A boxed operator over relations of `tables`.
pub(crate) type BoxedOperator<'a> = Box<dyn Operator + 'a>;

/// The rows of each running recursive union's previous step, by id.
pub(crate) type WorkTables = Rc<RefCell<HashMap<usize, Rc<Vec<Vec<Datum>>>>>>;

/// What operators read besides their inputs: relations and recursive work tables.
#[derive(Clone)]
pub(crate) struct Env<'a> {
    /// Relations.
    pub tables: &'a dyn TableAccess,
    /// Work tables of the recursive unions running.
    pub work_tables: WorkTables,
    /// EXPLAIN ANALYZE's counters, when the plan is analysed.
    pub instrument: Option<instrument::SharedInstrumentation>,
}

impl<'a> Env<'a> {
    /// Relations only.
    pub fn new(tables: &'a dyn TableAccess) -> Env<'a> {
        Env {
            tables,
            work_tables: Rc::new(RefCell::new(HashMap::new())),
            instrument: None,
        }
    }
}

/// Builds the operator tree for `plan`, each operator counting into `env.instrument`
/// when the plan is analysed.
///
/// Errors: 0A000 for functions tusk lacks (found when expressions compile).
pub(crate) fn build<'a>(plan: &'a Plan, env: &Env<'a>) -> Result<BoxedOperator<'a>> {
    let operator = build_node(plan, env)?;
    Ok(match &env.instrument {
        Some(counters) => instrument::wrap(operator, plan, counters),
        None => operator,
    })
}

fn build_node<'a>(plan: &'a Plan, env: &Env<'a>) -> Result<BoxedOperator<'a>> {
    Ok(match plan {
        Plan::Result => Box::new(scan::OneRow { done: false }),
        Plan::Values(rows) => Box::new(scan::ValuesScan::new(rows)?),
        Plan::FunctionScan { calls, ordinality } => {
            Box::new(scan::FunctionScan::new(calls, *ordinality)?)
        }
        Plan::SeqScan { rel, width } => Box::new(scan::SeqScan::new(*rel, *width, env.tables)),
        Plan::IndexScan {
            rel,
            width,
            index,
            quals,
            direction,
            ..
        } => Box::new(index_scan::IndexScan::new(
            *rel, *width, *index, quals, *direction, env.tables,
        )?),
        Plan::WorkTableScan { id } => {
            let rows =
                env.work_tables.borrow().get(id).cloned().ok_or_else(|| {
                    Error::internal("work table read outside its recursive union")
                })?;
            Box::new(recursive::WorkTableScan { rows, next: 0 })
        }
        Plan::ModifyingCteScan { id } => Box::new(recursive::ModifyingCteScan {
            id: *id,
            rows: None,
            next: 0,
        }),
        Plan::ModifyingCtes { .. } => {
            return Err(Error::internal(
                "a statement with data-modifying CTEs runs through run_plan",
            ))
        }
        Plan::RecursiveUnion {
            id,
            all,
            non_recursive,
            recursive,
        } => Box::new(recursive::RecursiveUnion::new(
            *id,
            *all,
            build(non_recursive, env)?,
            recursive,
            env.clone(),
        )),
        Plan::Filter { input, predicate } => Box::new(Filter {
            input: build(input, env)?,
            predicate: ExprEvaluator::compile(predicate)?,
        }),
        Plan::NestedLoop {
            kind,
            outer,
            inner,
            condition,
            outer_width,
            inner_width,
        } => Box::new(join::NestedLoop::new(
            *kind,
            build(outer, env)?,
            build(inner, env)?,
            condition.as_ref(),
            *outer_width,
            *inner_width,
        )?),
        Plan::ParameterizedNestedLoop {
            kind,
            outer,
            inner,
            condition,
            outer_width,
            inner_width,
        } => Box::new(join::ParameterizedNestedLoop::new(
            *kind,
            build(outer, env)?,
            build(inner, env)?,
            condition.as_ref(),
            *outer_width,
            *inner_width,
        )?),
        Plan::HashJoin {
            kind,
            outer,
            inner,
            outer_keys,
            inner_keys,
            residual,
            outer_width,
            inner_width,
        } => Box::new(join::HashJoin::new(
            *kind,
            build(outer, env)?,
            build(inner, env)?,
            outer_keys,
            inner_keys,
            residual.as_ref(),
            *outer_width,
            *inner_width,
        )?),
        Plan::LateralLoop {
            kind,
            outer,
            inner,
            left_base,
            condition,
            outer_width,
            inner_width,
        } => Box::new(join::LateralLoop::new(
            *kind,
            build(outer, env)?,
            inner,
            *left_base,
            condition.as_ref(),
            *outer_width,
            *inner_width,
        )?),
        Plan::Aggregate {
            input,
            keys,
            aggregates,
            grouping_sets,
        } => Box::new(aggregate::HashAggregate::new(
            build(input, env)?,
            keys,
            grouping_sets,
            aggregates,
        )?),
        Plan::WindowAgg { input, windows } => {
            Box::new(window::WindowAgg::new(build(input, env)?, windows)?)
        }
        Plan::ProjectSet { input, exprs } => {
            Box::new(project::ProjectSet::new(build(input, env)?, exprs)?)
        }
        Plan::Sort { input, keys } => {
            let keys = keys
                .iter()
                .map(|k| {
                    Ok(SortSpec {
                        column: k.column,
                        lt: scalar(k.lt_proc)?,
                        descending: k.descending,
                        nulls_first: k.nulls_first,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Box::new(Sort {
                input: build(input, env)?,
                keys,
                sorted: None,
            })
        }
        Plan::Unique { input, columns } => Box::new(Unique {
            input: build(input, env)?,
            columns: columns.clone(),
            seen: HashSet::new(),
        }),
        Plan::Limit {
            input,
            limit,
            offset,
        } => Box::new(Limit {
            input: build(input, env)?,
            limit: limit.clone(),
            offset: offset.clone(),
            state: None,
        }),
        Plan::SetOp {
            op,
            all,
            left,
            right,
        } => Box::new(setop::SetOp::new(
            *op,
            *all,
            build(left, env)?,
            build(right, env)?,
        )),
        Plan::LockRows {
            input,
            marks,
            recheck,
        } => Box::new(lock_rows::LockRows::new(
            build(input, env)?,
            marks.clone(),
            recheck.as_ref(),
            env.tables,
        )?),
        Plan::Project { input, width } => Box::new(Project {
            input: build(input, env)?,
            width: *width,
        }),
    })
}

pub(crate) fn scalar(proc: tusk_types::Oid) -> Result<ScalarFn> {
    match builtins::lookup(proc)? {
        Builtin::Scalar(f) => Ok(f),
        Builtin::Set(_) | Builtin::Rows(_) => {
            Err(Error::internal("set-returning comparison function"))
        }
    }
}

struct Filter<'a> {
    input: BoxedOperator<'a>,
    predicate: ExprEvaluator,
}

impl Operator for Filter<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        while let Some(row) = self.input.next(ctx)? {
            ctx.session.check_interrupts()?;
            if self.predicate.eval(ctx, &row)? == Datum::Bool(true) {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }

    fn rescan(&mut self, ctx: &mut EvalContext<'_>, params: &[Datum]) -> Result<()> {
        self.input.rescan(ctx, params)
    }
}

struct Project<'a> {
    input: BoxedOperator<'a>,
    width: usize,
}

impl Operator for Project<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        Ok(self.input.next(ctx)?.map(|mut row| {
            row.truncate(self.width);
            row
        }))
    }
}

/// A sort column, with its comparison resolved.
pub(crate) struct SortSpec {
    pub column: usize,
    pub lt: ScalarFn,
    pub descending: bool,
    pub nulls_first: bool,
}

/// Sorts `rows` by `keys` (stable); the first comparison error is returned.
pub(crate) fn sort_rows(
    ctx: &mut EvalContext<'_>,
    rows: &mut [Vec<Datum>],
    keys: &[SortSpec],
) -> Result<()> {
    let mut err = None;
    rows.sort_by(|a, b| {
        if err.is_some() {
            return Ordering::Equal;
        }
        for k in keys {
            match sort_compare(
                ctx,
                k.lt,
                &a[k.column],
                &b[k.column],
                k.descending,
                k.nulls_first,
            ) {
                Ok(Ordering::Equal) => continue,
                Ok(o) => return o,
                Err(e) => {
                    err = Some(e);
                    return Ordering::Equal;
                }
            }
        }
        Ordering::Equal
    });
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

struct Sort<'a> {
    input: BoxedOperator<'a>,
    keys: Vec<SortSpec>,
    sorted: Option<std::vec::IntoIter<Vec<Datum>>>,
}

impl Operator for Sort<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.sorted.is_none() {
            let mut rows = Vec::new();
            while let Some(row) = self.input.next(ctx)? {
                ctx.session.check_interrupts()?;
                rows.push(row);
            }
            sort_rows(ctx, &mut rows, &self.keys)?;
            self.sorted = Some(rows.into_iter());
        }
        Ok(self.sorted.as_mut().and_then(Iterator::next))
    }
}

/// A value as a hashable grouping key: values equal under their type's `=` give equal
/// keys (numeric by value not scale, -0 = 0 and NaN = NaN for floats, intervals by their
/// 30-day-month span), as PostgreSQL's hash opclasses make them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum KeyPart {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Numeric(Numeric),
    Text(String),
    Bytes(Vec<u8>),
    Span(i128),
    /// An array: its dimensions (length, lower bound) and element keys.
    Array(Vec<(i32, i32)>, Vec<KeyPart>),
    /// A record: its field keys.
    Record(Vec<KeyPart>),
}

fn float_key(v: f64) -> KeyPart {
    if v.is_nan() {
        KeyPart::Float(f64::NAN.to_bits())
    } else if v == 0.0 {
        KeyPart::Float(0f64.to_bits())
    } else {
        KeyPart::Float(v.to_bits())
    }
}

/// The grouping key of one value.
pub(crate) fn key_part(d: &Datum) -> KeyPart {
    match d {
        Datum::Null => KeyPart::Null,
        Datum::Bool(b) => KeyPart::Bool(*b),
        Datum::Int2(v) => KeyPart::Int(i64::from(*v)),
        Datum::Int4(v) => KeyPart::Int(i64::from(*v)),
        Datum::Int8(v) => KeyPart::Int(*v),
        Datum::Oid(v) => KeyPart::Int(i64::from(*v)),
        Datum::Date(v) => KeyPart::Int(i64::from(*v)),
        Datum::Time(v) | Datum::Timestamp(v) | Datum::TimestampTz(v) => KeyPart::Int(*v),
        Datum::Float4(v) => float_key(f64::from(*v)),
        Datum::Float8(v) => float_key(*v),
        Datum::Numeric(n) => KeyPart::Numeric(n.clone()),
        Datum::Text(s) => KeyPart::Text(s.clone()),
        Datum::Bytea(b) => KeyPart::Bytes(b.clone()),
        Datum::Interval {
            months,
            days,
            micros,
        } => KeyPart::Span(
            (i128::from(*months) * 30 + i128::from(*days)) * 86_400_000_000 + i128::from(*micros),
        ),
        Datum::Array(a) => KeyPart::Array(
            a.dims.iter().map(|d| (d.len, d.lower)).collect(),
            a.elems.iter().map(key_part).collect(),
        ),
        Datum::Record(r) => KeyPart::Record(r.values.iter().map(key_part).collect()),
        // A range: its flags and bound keys (equal ranges have equal canonical parts).
        Datum::Range(r) => KeyPart::Record(match r.bounds() {
            None => vec![KeyPart::Int(i64::from(r.flags()))],
            Some((l, u)) => vec![
                KeyPart::Int(i64::from(r.flags())),
                l.value.as_ref().map_or(KeyPart::Null, key_part),
                u.value.as_ref().map_or(KeyPart::Null, key_part),
            ],
        }),
        Datum::Multirange(m) => KeyPart::Record(
            m.ranges()
                .iter()
                .map(|r| key_part(&Datum::Range(Box::new(r.clone()))))
                .collect(),
        ),
    }
}

/// The grouping key of several values.
pub(crate) fn row_key(values: &[Datum]) -> Vec<KeyPart> {
    values.iter().map(key_part).collect()
}

struct Unique<'a> {
    input: BoxedOperator<'a>,
    columns: Vec<usize>,
    seen: HashSet<Vec<KeyPart>>,
}

impl Operator for Unique<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        while let Some(row) = self.input.next(ctx)? {
            ctx.session.check_interrupts()?;
            let key: Vec<KeyPart> = self.columns.iter().map(|c| key_part(&row[*c])).collect();
            if self.seen.insert(key) {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}

struct Limit<'a> {
    input: BoxedOperator<'a>,
    limit: Option<TypedExpr>,
    offset: Option<TypedExpr>,
    /// (rows still to skip, rows still to return) once evaluated.
    state: Option<(i64, Option<i64>)>,
}

fn count(e: &Option<TypedExpr>, ctx: &mut EvalContext<'_>, limit: bool) -> Result<Option<i64>> {
    let Some(e) = e else { return Ok(None) };
    match ExprEvaluator::compile(e)?.eval(ctx, &[])? {
        Datum::Int8(n) if n < 0 => Err(if limit {
            pg_err!(
                INVALID_ROW_COUNT_IN_LIMIT_CLAUSE,
                "LIMIT must not be negative"
            )
        } else {
            pg_err!(
                INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE,
                "OFFSET must not be negative"
            )
        }),
        Datum::Int8(n) => Ok(Some(n)),
        _ => Ok(None),
    }
}

impl Operator for Limit<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.state.is_none() {
            let limit = count(&self.limit, ctx, true)?;
            let offset = count(&self.offset, ctx, false)?.unwrap_or(0);
            self.state = Some((offset, limit));
        }
        let (skip, left) = self.state.as_mut().expect("set above");
        if *left == Some(0) {
            return Ok(None);
        }
        while *skip > 0 {
            if self.input.next(ctx)?.is_none() {
                return Ok(None);
            }
            *skip -= 1;
        }
        let row = self.input.next(ctx)?;
        if row.is_some() {
            if let Some(n) = left {
                *n -= 1;
            }
        }
        Ok(row)
    }
}

/// Completes a relation's row as the FROM row wants it: attributes added after the row
/// was written are NULL, and when the slots go past the relation's attributes, its
/// system columns follow (`tusk_sql::analyze::system_columns`).
pub(crate) fn complete_relation_row(
    tables: &dyn TableAccess,
    rel: tusk_types::Oid,
    width: usize,
    attributes: &mut Option<usize>,
    tid: tusk_types::ItemPointer,
    values: &mut Vec<Datum>,
) -> Result<()> {
    let natts = match attributes {
        Some(n) => *n,
        None => *attributes.insert(tables.attribute_count(rel)?),
    };
    if width <= natts {
        values.resize(width, Datum::Null);
        return Ok(());
    }
    values.resize(natts, Datum::Null);
    values.extend(tables.system_columns(rel, tid)?);
    Ok(())
}
