//! Running an analysed SELECT: [`crate::plan::plan_query`] builds the plan, the
//! operators in `operator/` produce its rows. A plan depends on the catalogs (indexes),
//! never on parameter values, so a prepared statement may keep it ([`run_plan`]) until
//! the catalogs change.

use tusk_sql::analyze::Query;
use tusk_types::{Datum, Result};

use crate::operator::{self, instrument};
use crate::plan::{plan_query, Plan};
use crate::EvalContext;

/// Runs `query`, handing each output row (`query.columns` wide) to `emit`; returns the
/// number of rows.
///
/// Errors: any expression error, 57014 on cancel or statement timeout, 2201W/2201X for
/// negative LIMIT/OFFSET, 0A000 for functions tusk lacks, and the relation access errors
/// of [`crate::TableAccess::scan`].
pub fn run_query(
    query: &Query,
    ctx: &mut EvalContext<'_>,
    emit: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<u64> {
    let plan = plan_query(query, ctx.tables)?;
    run_plan(&plan, ctx, emit)
}

/// Runs a plan made by [`plan_query`] (perhaps for an earlier execution with other
/// parameter values), as [`run_query`] does; the caller keeps the plan only while the
/// catalogs it was made from (the relations' indexes) are unchanged.
///
/// Errors: as [`run_query`].
pub fn run_plan(
    plan: &Plan,
    ctx: &mut EvalContext<'_>,
    emit: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<u64> {
    if let Plan::ModifyingCtes { ctes, input } = plan {
        return crate::modifying_cte::run_statement(ctx, ctes, |ctx| run_plan(input, ctx, emit));
    }
    let tables = ctx.tables;
    let mut root = operator::build(plan, &operator::Env::new(tables))?;
    let mut emitted = 0u64;
    while let Some(row) = root.next(ctx)? {
        ctx.session.check_interrupts()?;
        emit(&row)?;
        emitted += 1;
    }
    Ok(emitted)
}

/// What [`run_plan_analyzed`] does with the plan's rows.
pub enum AnalyzedRows<'a> {
    /// Runs the plan and drops its rows (EXPLAIN ANALYZE of a query).
    Discard,
    /// Runs the plan and keeps its rows (EXPLAIN ANALYZE of CREATE TABLE AS).
    Keep(&'a mut Vec<Vec<Datum>>),
    /// Builds the plan without running it: every node shows `(never executed)`
    /// (EXPLAIN ANALYZE of `CREATE ... WITH NO DATA`).
    NotExecuted,
}

/// Runs `plan` as [`run_plan`] does, its rows going where `rows` says, with every node
/// counting its loops, rows, (with `timing`) time and (with a `buffer_probe`, which reads
/// the backend's buffer counters) buffer accesses, for EXPLAIN ANALYZE.
///
/// Errors: as [`run_query`].
pub fn run_plan_analyzed(
    plan: &Plan,
    ctx: &mut EvalContext<'_>,
    timing: bool,
    buffer_probe: Option<fn() -> tusk_types::BufferUsage>,
    rows: AnalyzedRows<'_>,
) -> Result<instrument::PlanInstrumentation> {
    let counters = instrument::shared(timing, buffer_probe);
    let mut env = operator::Env::new(ctx.tables);
    env.instrument = Some(counters.clone());
    let mut root = operator::build(plan, &env)?;
    match rows {
        AnalyzedRows::Discard => {
            while root.next(ctx)?.is_some() {
                ctx.session.check_interrupts()?;
            }
        }
        AnalyzedRows::Keep(kept) => {
            while let Some(row) = root.next(ctx)? {
                ctx.session.check_interrupts()?;
                kept.push(row);
            }
        }
        AnalyzedRows::NotExecuted => {}
    }
    drop(root);
    drop(env);
    let counters = std::rc::Rc::try_unwrap(counters)
        .map(std::cell::RefCell::into_inner)
        .unwrap_or_else(|shared| shared.borrow().clone());
    Ok(counters)
}
