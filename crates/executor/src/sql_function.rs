//! Calls of user-defined functions (`pg_proc` rows the session created): the session
//! analyses the body ([`crate::SessionContext::sql_function`]) and the statements run
//! here, one after another, with the call's arguments as their parameters (`$1` is the
//! first argument), under the calling statement's table access.
//!
//! Rules (PostgreSQL's `fmgr_sql`):
//! 1. A STRICT function called with a NULL argument returns NULL (no rows for a set)
//!    without running its body.
//! 2. The result is the last statement's rows: all of them for a set-returning function,
//!    the first for another (NULL if there is none); every other statement runs for its
//!    effects only.
//! 3. A function whose result is a row (OUT arguments, `RETURNS record`, a row type)
//!    returns a record value where a single value is wanted.
//! 4. Calls nest at most [`max_depth`] deep; deeper is 54001 `stack depth limit
//!    exceeded`, never a stack overflow.
//! 5. A function in a procedural language has its body run by the session's
//!    [`ProceduralFunction`] with the same context (rules 1 and 4 hold for it too).
//!
//! Entry points: [`call_rows`], [`call_value`].

use std::cell::Cell;
use std::sync::Arc;

use tusk_sql::analyze::{ModifyQuery, Query};
use tusk_types::adt::record::{Record, RecordDesc};
use tusk_types::{Datum, Error, Oid, Result, SqlState};

use crate::EvalContext;

/// One statement of a function body, analysed.
#[derive(Debug, Clone)]
pub enum FunctionStatement {
    /// A SELECT (or VALUES).
    Query(Box<Query>),
    /// An INSERT, UPDATE or DELETE (its RETURNING rows are its result).
    Modify(Box<ModifyQuery>),
}

/// What a call returns where one value is wanted.
#[derive(Debug, Clone, PartialEq)]
pub enum FunctionResult {
    /// `RETURNS void`: NULL.
    Void,
    /// The first column of the row.
    Value,
    /// The row as a record of this shape (rule 3).
    Record(Arc<RecordDesc>),
}

/// A user-defined function ready to run: its body analysed against the catalog as it is
/// now, for the function's declared argument types.
#[derive(Debug, Clone)]
pub struct SqlFunction {
    /// `proname`, for error context.
    pub name: String,
    /// The body's statements in order.
    pub statements: Vec<FunctionStatement>,
    /// `proisstrict`.
    pub strict: bool,
    /// `proretset`.
    pub retset: bool,
    /// How a single result is shaped.
    pub result: FunctionResult,
    /// The body of a function in a procedural language (then `statements` is empty).
    pub procedural: Option<Arc<dyn ProceduralFunction>>,
}

/// A function in a procedural language (PL/pgSQL), prepared by the session: it runs
/// inside the calling statement, with its table access (rule 5).
pub trait ProceduralFunction: std::fmt::Debug {
    /// Runs the function with `args`; returns its rows (one row for a function not
    /// returning a set; each row one value, or a composite result's fields).
    ///
    /// Errors: whatever the body raises.
    fn call(&self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Vec<Vec<Datum>>>;

    /// Runs the function as a trigger (`RETURNS trigger`); returns the row it returned
    /// (a record) or NULL.
    ///
    /// Errors: 0A000 for languages without trigger support; whatever the body raises.
    fn call_trigger(
        &self,
        ctx: &mut EvalContext<'_>,
        call: &crate::trigger::TriggerCall<'_>,
    ) -> Result<Datum> {
        let _ = (ctx, call);
        Err(Error::feature_not_supported(
            "trigger functions in this language",
        ))
    }
}

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Whether `proc` is a user-defined function's OID (PostgreSQL's `FirstNormalObjectId`,
/// 16384, and above: OIDs of objects created after initdb).
pub fn is_user_function(proc: Oid) -> bool {
    proc.0 >= 16384
}

/// How deep user-function calls may nest for a `max_stack_depth` of `stack_depth_kb`
/// (PostgreSQL's default of 2048 kB allows some hundreds of SQL-function levels).
pub fn max_depth(stack_depth_kb: usize) -> usize {
    (stack_depth_kb / 8).max(16)
}

/// Leaves one nesting level when dropped.
struct DepthGuard;

impl DepthGuard {
    fn enter(limit: usize, stack_depth_kb: usize) -> Result<DepthGuard> {
        let depth = DEPTH.with(|d| d.get());
        if depth >= limit {
            return Err(Error::new(
                SqlState::STATEMENT_TOO_COMPLEX,
                "stack depth limit exceeded",
            )
            .hint(format!(
                "Increase the configuration parameter \"max_stack_depth\" (currently {stack_depth_kb}kB), after ensuring the platform's stack depth limit is adequate."
            )));
        }
        DEPTH.with(|d| d.set(depth + 1));
        Ok(DepthGuard)
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Runs user function `proc` with `args` (of the types `arg_types`); returns the last statement's rows (rules 1, 2;
/// only the first row for a function not returning a set) and how a single result is
/// shaped.
///
/// Errors: those of analysing the body ([`crate::SessionContext::sql_function`]), of
/// its statements, and 54001 for calls nested too deep.
pub fn call_rows(
    ctx: &mut EvalContext<'_>,
    proc: Oid,
    arg_types: &[Oid],
    args: &[Datum],
) -> Result<(Vec<Vec<Datum>>, Arc<SqlFunction>)> {
    let stack_kb = ctx.output.max_stack_depth_kb;
    let _depth = DepthGuard::enter(max_depth(stack_kb), stack_kb)?;
    let function = ctx.session.sql_function(proc, arg_types, ctx.output)?;
    if function.strict && args.iter().any(Datum::is_null) {
        return Ok((Vec::new(), function));
    }
    if let Some(procedural) = &function.procedural {
        let mut rows = procedural.call(ctx, args)?;
        if !function.retset {
            rows.truncate(1);
        }
        return Ok((rows, function));
    }
    let mut rows: Vec<Vec<Datum>> = Vec::new();
    let last = function.statements.len().saturating_sub(1);
    for (i, statement) in function.statements.iter().enumerate() {
        let keep = i == last;
        let mut inner = ctx.with_params(args);
        let wanted = if function.retset { usize::MAX } else { 1 };
        let mut emit = |row: &[Datum]| {
            if keep && rows.len() < wanted {
                rows.push(row.to_vec());
            }
            Ok(())
        };
        let result = match statement {
            FunctionStatement::Query(q) => crate::run_query(q, &mut inner, &mut emit),
            FunctionStatement::Modify(m) => crate::run_modify(m, &mut inner, &mut emit),
        };
        result.map_err(|e| with_context(e, &function.name, i + 1))?;
    }
    Ok((rows, function))
}

/// Runs trigger function `proc` for `call` (nesting as [`call_rows`] does: cascading
/// triggers end in 54001 rather than overflowing the stack); returns the row it
/// returned, or NULL.
///
/// Errors: 0A000 for a function not written in a procedural language (PostgreSQL's
/// SQL functions cannot return `trigger`); the function's errors; 54001.
pub fn call_trigger(
    ctx: &mut EvalContext<'_>,
    proc: Oid,
    call: &crate::trigger::TriggerCall<'_>,
) -> Result<Datum> {
    let stack_kb = ctx.output.max_stack_depth_kb;
    let _depth = DepthGuard::enter(max_depth(stack_kb), stack_kb)?;
    let function = ctx.session.sql_function(proc, &[], ctx.output)?;
    match &function.procedural {
        Some(procedural) => procedural.call_trigger(ctx, call),
        None => Err(Error::feature_not_supported(format!(
            "trigger function {} in language SQL",
            function.name
        ))),
    }
}

/// Runs user function `proc` where one value is wanted (rule 3): the first row's value,
/// its record, or NULL.
///
/// Errors: as [`call_rows`].
pub fn call_value(
    ctx: &mut EvalContext<'_>,
    proc: Oid,
    arg_types: &[Oid],
    args: &[Datum],
) -> Result<Datum> {
    let (rows, function) = call_rows(ctx, proc, arg_types, args)?;
    Ok(row_value(rows.into_iter().next(), &function.result))
}

/// One result row as a single value (rule 3).
pub fn row_value(row: Option<Vec<Datum>>, result: &FunctionResult) -> Datum {
    match (row, result) {
        (None, _) | (_, FunctionResult::Void) => Datum::Null,
        (Some(row), FunctionResult::Value) => row.into_iter().next().unwrap_or(Datum::Null),
        (Some(row), FunctionResult::Record(desc)) => {
            Datum::Record(Box::new(Record::new(desc.clone(), row)))
        }
    }
}

fn with_context(e: Error, name: &str, statement: usize) -> Error {
    e.context(format!("SQL function \"{name}\" statement {statement}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_limit_follows_max_stack_depth() {
        assert_eq!(max_depth(2048), 256);
        assert_eq!(max_depth(100), 16);
    }

    #[test]
    fn depth_guard_refuses_beyond_the_limit_and_unwinds() {
        let a = DepthGuard::enter(2, 16).expect("first level");
        let b = DepthGuard::enter(2, 16).expect("second level");
        let err = DepthGuard::enter(2, 16).err().expect("third level refused");
        assert_eq!(err.code, SqlState::STATEMENT_TOO_COMPLEX);
        assert_eq!(err.message, "stack depth limit exceeded");
        drop(b);
        drop(a);
        assert!(DepthGuard::enter(2, 16).is_ok());
    }

    #[test]
    fn single_values_take_the_shape_of_the_result() {
        assert_eq!(row_value(None, &FunctionResult::Value), Datum::Null);
        assert_eq!(
            row_value(Some(vec![Datum::Int4(3)]), &FunctionResult::Value),
            Datum::Int4(3)
        );
        assert_eq!(
            row_value(Some(vec![Datum::Int4(3)]), &FunctionResult::Void),
            Datum::Null
        );
    }
}
