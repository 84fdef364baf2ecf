//! Running an analysed SELECT: source rows, filter, projection (with set-returning
//! functions at the top of the target list, run in lockstep as PostgreSQL 10+ does),
//! sort, offset and limit. Cancellation is checked for every row.

use std::cmp::Ordering;

use tusk_sql::analyze::{FromSource, Query, TypedExpr};
use tusk_types::{pg_err, Datum, Error, Result};

use crate::builtins::{self, Builtin, ScalarFn, SetFn};
use crate::eval::sort_compare;
use crate::{EvalContext, ExprEvaluator};

enum Target {
    Scalar(ExprEvaluator),
    Set {
        f: SetFn,
        args: Vec<ExprEvaluator>,
        strict: bool,
    },
}

fn compile_target(e: &TypedExpr) -> Result<Target> {
    match e {
        TypedExpr::Func {
            proc,
            args,
            retset: true,
            strict,
            ..
        } => match builtins::lookup(*proc)? {
            Builtin::Set(f) => Ok(Target::Set {
                f,
                args: args
                    .iter()
                    .map(ExprEvaluator::compile)
                    .collect::<Result<_>>()?,
                strict: *strict,
            }),
            Builtin::Scalar(_) => Err(Error::internal(
                "set-returning function without a set implementation",
            )),
        },
        other => Ok(Target::Scalar(ExprEvaluator::compile(other)?)),
    }
}

fn call_set(
    f: SetFn,
    args: &[ExprEvaluator],
    strict: bool,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<Vec<Datum>> {
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        let v = a.eval(ctx, row)?;
        if strict && v.is_null() {
            return Ok(Vec::new());
        }
        values.push(v);
    }
    f(ctx, &values)
}

fn source_rows(source: &FromSource, ctx: &mut EvalContext<'_>) -> Result<Vec<Vec<Datum>>> {
    Ok(match source {
        FromSource::OneRow => vec![Vec::new()],
        FromSource::Values(rows) => {
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let mut values = Vec::with_capacity(r.len());
                for e in r {
                    values.push(ExprEvaluator::compile(e)?.eval(ctx, &[])?);
                }
                out.push(values);
            }
            out
        }
        FromSource::Function { call, ordinality } => {
            let values = match compile_target(call)? {
                Target::Set { f, args, strict } => call_set(f, &args, strict, ctx, &[])?,
                Target::Scalar(e) => vec![e.eval(ctx, &[])?],
            };
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    if *ordinality {
                        vec![v, Datum::Int8(i as i64 + 1)]
                    } else {
                        vec![v]
                    }
                })
                .collect()
        }
    })
}

fn count(e: &Option<TypedExpr>, ctx: &mut EvalContext<'_>, what: &str) -> Result<Option<i64>> {
    let Some(e) = e else { return Ok(None) };
    match ExprEvaluator::compile(e)?.eval(ctx, &[])? {
        Datum::Int8(n) if n < 0 => Err(if what == "LIMIT" {
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

/// Runs `query`, handing each output row to `emit`; returns the number of rows.
///
/// Errors: any expression error, 57014 on cancel or statement timeout, 2201W/2201X for
/// negative LIMIT/OFFSET, 0A000 for functions tusk lacks.
pub fn run_query(
    query: &Query,
    ctx: &mut EvalContext<'_>,
    emit: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<u64> {
    let targets = query
        .targets
        .iter()
        .map(compile_target)
        .collect::<Result<Vec<_>>>()?;
    let filter = query
        .filter
        .as_ref()
        .map(ExprEvaluator::compile)
        .transpose()?;
    let sort_keys: Vec<(ExprEvaluator, ScalarFn, bool, bool)> = query
        .sort
        .iter()
        .map(|k| {
            let lt = match builtins::lookup(k.lt_proc)? {
                Builtin::Scalar(f) => f,
                Builtin::Set(_) => return Err(Error::internal("set-returning comparison")),
            };
            Ok((
                ExprEvaluator::compile(&k.expr)?,
                lt,
                k.descending,
                k.nulls_first,
            ))
        })
        .collect::<Result<_>>()?;
    let limit = count(&query.limit, ctx, "LIMIT")?;
    let offset = count(&query.offset, ctx, "OFFSET")?.unwrap_or(0);

    let mut produced: Vec<(Vec<Datum>, Vec<Datum>)> = Vec::new();
    for row in source_rows(&query.source, ctx)? {
        ctx.session.check_interrupts()?;
        if let Some(f) = &filter {
            if f.eval(ctx, &row)? != Datum::Bool(true) {
                continue;
            }
        }
        let keys = sort_keys
            .iter()
            .map(|(k, ..)| k.eval(ctx, &row))
            .collect::<Result<Vec<_>>>()?;
        let mut scalars: Vec<Option<Datum>> = Vec::with_capacity(targets.len());
        let mut sets: Vec<Option<Vec<Datum>>> = Vec::with_capacity(targets.len());
        let mut any_set = false;
        for t in &targets {
            match t {
                Target::Scalar(e) => {
                    scalars.push(Some(e.eval(ctx, &row)?));
                    sets.push(None);
                }
                Target::Set { f, args, strict } => {
                    any_set = true;
                    scalars.push(None);
                    sets.push(Some(call_set(*f, args, *strict, ctx, &row)?));
                }
            }
        }
        if !any_set {
            produced.push((
                keys,
                scalars
                    .into_iter()
                    .map(|v| v.unwrap_or(Datum::Null))
                    .collect(),
            ));
            continue;
        }
        let n = sets.iter().flatten().map(Vec::len).max().unwrap_or(0);
        for i in 0..n {
            let out = scalars
                .iter()
                .zip(&sets)
                .map(|(s, set)| match (s, set) {
                    (Some(v), _) => v.clone(),
                    (None, Some(values)) => values.get(i).cloned().unwrap_or(Datum::Null),
                    (None, None) => Datum::Null,
                })
                .collect();
            produced.push((keys.clone(), out));
        }
    }
    if !sort_keys.is_empty() {
        let mut err = None;
        produced.sort_by(|(a, _), (b, _)| {
            for (i, (_, lt, desc, nulls_first)) in sort_keys.iter().enumerate() {
                match sort_compare(ctx, *lt, &a[i], &b[i], *desc, *nulls_first) {
                    Ok(Ordering::Equal) => continue,
                    Ok(o) => return o,
                    Err(e) => {
                        err.get_or_insert(e);
                        return Ordering::Equal;
                    }
                }
            }
            Ordering::Equal
        });
        if let Some(e) = err {
            return Err(e);
        }
    }
    let mut emitted = 0u64;
    for (_, row) in produced.into_iter().skip(offset.max(0) as usize) {
        if limit.is_some_and(|l| emitted >= l as u64) {
            break;
        }
        emit(&row)?;
        emitted += 1;
    }
    Ok(emitted)
}
