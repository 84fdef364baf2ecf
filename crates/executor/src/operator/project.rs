//! Target-list projection with set-returning functions at the top of expressions, run in
//! lockstep as PostgreSQL 10+ does (the row repeats until the longest set is exhausted,
//! shorter sets giving NULL).

use std::collections::VecDeque;

use tusk_sql::analyze::TypedExpr;
use tusk_types::{Datum, Error, Result};

use super::{BoxedOperator, Operator};
use crate::builtins::{self, Builtin, RowsFn, SetFn};
use crate::{EvalContext, ExprEvaluator};

/// One compiled output expression.
pub(crate) enum Target {
    Scalar(ExprEvaluator),
    Set {
        f: SetFn,
        args: Vec<ExprEvaluator>,
        strict: bool,
    },
    /// A function returning records (only a FROM item reads it).
    Rows {
        f: RowsFn,
        args: Vec<ExprEvaluator>,
        strict: bool,
    },
    /// A user-defined function ([`crate::sql_function`]): its rows.
    User {
        proc: tusk_types::Oid,
        /// The arguments' types (they resolve a polymorphic function's types).
        arg_types: Vec<tusk_types::Oid>,
        args: Vec<ExprEvaluator>,
        retset: bool,
    },
}

/// Compiles an output expression, recognising a set-returning call at its top.
pub(crate) fn compile_target(e: &TypedExpr) -> Result<Target> {
    // A function with OUT arguments returns records, whether or not it returns a set.
    if let TypedExpr::Func {
        proc, args, retset, ..
    } = e
    {
        if tusk_catalog::builtin().proc_by_oid(*proc).is_none()
            && crate::sql_function::is_user_function(*proc)
        {
            return Ok(Target::User {
                proc: *proc,
                arg_types: args.iter().map(TypedExpr::type_oid).collect(),
                args: args
                    .iter()
                    .map(ExprEvaluator::compile)
                    .collect::<Result<_>>()?,
                retset: *retset,
            });
        }
    }
    if let TypedExpr::Func {
        proc, args, strict, ..
    } = e
    {
        if let Ok(Builtin::Rows(f)) = builtins::lookup(*proc) {
            return Ok(Target::Rows {
                f,
                args: args
                    .iter()
                    .map(ExprEvaluator::compile)
                    .collect::<Result<_>>()?,
                strict: *strict,
            });
        }
    }
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
            Builtin::Rows(f) => Ok(Target::Rows {
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

/// Calls a set-returning function over `row` (no rows if strict and an argument is NULL).
pub(crate) fn call_set(
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

/// Calls a user-defined function over `row`: its result rows (one row of NULLs, `width`
/// wide, for a function not returning a set that returned no row), and how one value is
/// shaped.
pub(crate) fn call_user(
    proc: tusk_types::Oid,
    arg_types: &[tusk_types::Oid],
    args: &[ExprEvaluator],
    retset: bool,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<(Vec<Vec<Datum>>, crate::sql_function::FunctionResult)> {
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(a.eval(ctx, row)?);
    }
    let (mut rows, function) = crate::sql_function::call_rows(ctx, proc, arg_types, &values)?;
    if !retset && rows.is_empty() {
        let width = match &function.result {
            crate::sql_function::FunctionResult::Record(desc) => desc.fields.len(),
            _ => 1,
        };
        rows.push(vec![Datum::Null; width]);
    }
    Ok((rows, function.result.clone()))
}

/// Calls a record-returning function over `row` (no rows if strict and an argument is
/// NULL).
pub(crate) fn call_rows(
    f: RowsFn,
    args: &[ExprEvaluator],
    strict: bool,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<Vec<Vec<Datum>>> {
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

pub(super) struct ProjectSet<'a> {
    input: BoxedOperator<'a>,
    targets: Vec<Target>,
    pending: VecDeque<Vec<Datum>>,
}

impl<'a> ProjectSet<'a> {
    pub fn new(input: BoxedOperator<'a>, exprs: &[TypedExpr]) -> Result<ProjectSet<'a>> {
        let targets: Vec<Target> = exprs.iter().map(compile_target).collect::<Result<_>>()?;
        if targets.iter().any(|t| matches!(t, Target::Rows { .. })) {
            return Err(Error::feature_not_supported(
                "functions returning records in the select list",
            ));
        }
        Ok(ProjectSet {
            input,
            targets,
            pending: VecDeque::new(),
        })
    }
}

impl Operator for ProjectSet<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            let Some(row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            ctx.session.check_interrupts()?;
            let mut scalars: Vec<Option<Datum>> = Vec::with_capacity(self.targets.len());
            let mut sets: Vec<Option<Vec<Datum>>> = Vec::with_capacity(self.targets.len());
            let mut any_set = false;
            for t in &self.targets {
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
                    Target::Rows { .. } => {
                        return Err(Error::internal("record-returning call in a projection"))
                    }
                    Target::User {
                        proc,
                        arg_types,
                        args,
                        retset,
                    } => {
                        let (rows, result) = call_user(*proc, arg_types, args, *retset, ctx, &row)?;
                        let values: Vec<Datum> = rows
                            .into_iter()
                            .map(|r| crate::sql_function::row_value(Some(r), &result))
                            .collect();
                        if *retset {
                            any_set = true;
                            scalars.push(None);
                            sets.push(Some(values));
                        } else {
                            scalars.push(values.into_iter().next());
                            sets.push(None);
                        }
                    }
                }
            }
            if !any_set {
                return Ok(Some(
                    scalars
                        .into_iter()
                        .map(|v| v.unwrap_or(Datum::Null))
                        .collect(),
                ));
            }
            let n = sets.iter().flatten().map(Vec::len).max().unwrap_or(0);
            for i in 0..n {
                self.pending.push_back(
                    scalars
                        .iter()
                        .zip(&sets)
                        .map(|(s, set)| match (s, set) {
                            (Some(v), _) => v.clone(),
                            (None, Some(values)) => values.get(i).cloned().unwrap_or(Datum::Null),
                            (None, None) => Datum::Null,
                        })
                        .collect(),
                );
            }
        }
    }
}
