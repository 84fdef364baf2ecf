//! Running an analysed INSERT, UPDATE or DELETE ([`ModifyQuery`]) against the statement's
//! [`crate::TableAccess`]: new rows are computed, checked (NOT NULL, then CHECK
//! constraints in name order, as PostgreSQL's `ExecConstraints` does, then the check
//! options of views written through, innermost view first) and written; the
//! RETURNING list is evaluated over each written row.
//!
//! Rules:
//! 1. A statement never sees rows it wrote itself: the source rows (the SELECT of an
//!    INSERT, the target rows of an UPDATE or DELETE that pass WHERE) are collected in full
//!    before the first write.
//! 2. A row a committed concurrent transaction updated ([`ModifyResult::Updated`]) is
//!    re-checked against WHERE in its newest version and, if it still qualifies, the new
//!    row is recomputed from that version and the write retried (READ COMMITTED's
//!    EvalPlanQual); a row deleted meanwhile ([`ModifyResult::Deleted`]) is skipped.
//! 3. Cancellation is checked for every row.
//! 4. UPDATE and DELETE find their target rows through an index when WHERE has conjuncts
//!    one answers (the SELECT planner's choice, `index_path.rs`); the whole WHERE is still
//!    evaluated on every row found.
//! 5. `UPDATE ... FROM` and `DELETE ... USING` run the join query
//!    ([`ModifyQuery::join`]) and change each target row once, with the first joined row
//!    found (as PostgreSQL, without an error). The re-check of rule 2 re-reads only the
//!    target: the newest version is joined with the other items' values first found and
//!    WHERE is evaluated again; a version that no longer joins them is skipped, and no
//!    other rows of the other items are looked for (as PostgreSQL's EvalPlanQual, which
//!    re-uses the other relations' rows it first joined).
//!
//! INSERT ... ON CONFLICT goes through `on_conflict`. User triggers of the target fire
//! through `trigger` (BEFORE ROW before the constraint checks, AFTER ROW queued); ON
//! CONFLICT fires BEFORE INSERT triggers only.
//!
//! Entry point: [`run_modify`].

mod merge;
mod on_conflict;

use std::cell::RefCell;
use std::collections::HashSet;

use tusk_sql::analyze::system_columns::SYSTEM_COLUMNS;
use tusk_sql::analyze::{
    CheckKind, ModifyAction, ModifyCommand, ModifyQuery, Query, RelationInfo, RowSecurityCheck,
};
use tusk_types::adt::tid::tid_from_datum;
use tusk_types::{pg_err, Datum, Error, ItemPointer, Oid, Result};

use crate::index::{IndexScanKey, ScanDirection};
use crate::index_path::{choose_index, conjuncts};
use crate::trigger::ModifyTriggers;
use crate::{io, run_query, EvalContext, ExprEvaluator, ModifyResult, RowIter};

/// Longest value text PostgreSQL shows in a `Failing row contains (...)` DETAIL, in bytes.
const MAX_FIELD_LEN: usize = 64;

/// The compiled pieces of a modification.
struct Compiled<'t> {
    row: Vec<ExprEvaluator>,
    filter: Option<ExprEvaluator>,
    checks: Vec<(String, CheckKind, ExprEvaluator)>,
    /// Generated columns: attribute index and expression over the new row.
    generated: Vec<(usize, ExprEvaluator)>,
    returning: Vec<ExprEvaluator>,
    conflict: Option<on_conflict::ConflictState>,
    /// The target's triggers (none for inheritance descendants).
    triggers: &'t RefCell<Option<ModifyTriggers>>,
}

fn compile_all(exprs: &[tusk_sql::analyze::TypedExpr]) -> Result<Vec<ExprEvaluator>> {
    exprs.iter().map(ExprEvaluator::compile).collect()
}

/// Runs `query`, handing each RETURNING row to `emit_returning` (never called without a
/// RETURNING list); returns the number of rows inserted, updated or deleted, for the
/// command tag ([`ModifyQuery::command_tag`]).
///
/// Errors: 23502 `null value in column "x" of relation "t" violates not-null constraint`
/// and 23514 `new row for relation "t" violates check constraint "c"`, 44000 `new row
/// violates check option for view "v"` (a view's `WITH CHECK OPTION`), all with
/// PostgreSQL's `Failing row contains (...)` DETAIL; 57014 on cancel; the table access's
/// errors (40001 under REPEATABLE READ, 25006 read-only, I/O); expression errors.
pub fn run_modify(
    query: &ModifyQuery,
    ctx: &mut EvalContext<'_>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<u64> {
    run_modify_with(query, ctx, emit_returning, true)
}

/// One record of COPY FROM: `query` (an INSERT of the record as parameters) without the
/// statement-level triggers, which the COPY fires once around all its rows
/// ([`fire_statement_triggers`]). Returns 0 when a BEFORE ROW trigger skipped the row.
///
/// Errors: those of [`run_modify`].
pub fn run_copy_row(query: &ModifyQuery, ctx: &mut EvalContext<'_>) -> Result<u64> {
    run_modify_with(query, ctx, &mut |_| Ok(()), false)
}

/// A batch of COPY FROM records, each one the parameters of `query` (an INSERT of one
/// record), run as part of one statement: the row expressions, constraints and
/// triggers are prepared once for the batch, AFTER ROW triggers and foreign key checks
/// fire once the batch is in (PostgreSQL fires them when the COPY ends; a batch ends no
/// earlier than the rows it holds). Statement-level triggers are the caller's
/// ([`fire_statement_triggers`]). Returns the number of rows inserted (a BEFORE ROW
/// trigger may skip some).
///
/// Errors: those of [`run_modify`]; an error of the record at position `i` of the batch
/// goes through `row_error(i, error)` (for the `COPY t, line n` context).
pub fn run_copy_batch<'r>(
    query: &ModifyQuery,
    ctx: &mut EvalContext<'_>,
    records: impl IntoIterator<Item = &'r [Datum]>,
    row_error: &dyn Fn(usize, Error) -> Error,
) -> Result<u64> {
    let single_row = match &query.action {
        ModifyAction::InsertValues(rows) if rows.len() == 1 && query.on_conflict.is_none() => {
            Some(&rows[0])
        }
        _ => None,
    };
    let Some(exprs) = single_row else {
        // Not a plain one-row INSERT: each record as its own run of the plan.
        let mut count = 0;
        for (i, params) in records.into_iter().enumerate() {
            count +=
                run_copy_row(query, &mut ctx.with_params(params)).map_err(|e| row_error(i, e))?;
        }
        return Ok(count);
    };
    let triggers = RefCell::new(ModifyTriggers::load(query, ctx)?);
    let compiled = Compiled {
        row: compile_all(exprs)?,
        filter: None,
        checks: compile_checks(query)?,
        generated: compile_generated(query)?,
        returning: Vec::new(),
        conflict: None,
        triggers: &triggers,
    };
    let mut count = 0;
    for (i, params) in records.into_iter().enumerate() {
        let mut row_ctx = ctx.with_params(params);
        let inserted = (|| -> Result<bool> {
            row_ctx.session.check_interrupts()?;
            let new_row = eval_row(&compiled.row, &mut row_ctx, &[])?;
            insert(query, &compiled, &mut row_ctx, new_row, &mut |_| Ok(()))
        })()
        .map_err(|e| row_error(i, e))?;
        if inserted {
            count += 1;
        }
    }
    ctx.tables.after_statement()?;
    if let Some(t) = triggers.borrow_mut().as_mut() {
        t.fire_after_rows(ctx)?;
    }
    Ok(count)
}

/// Fires the BEFORE (`before`) or AFTER STATEMENT triggers of `query`'s target, for a
/// statement that runs its rows one by one (COPY FROM).
///
/// Errors: whatever the trigger functions raise.
pub fn fire_statement_triggers(
    query: &ModifyQuery,
    ctx: &mut EvalContext<'_>,
    before: bool,
) -> Result<()> {
    match ModifyTriggers::load(query, ctx)? {
        Some(mut t) if before => t.before_statement(ctx),
        Some(mut t) => t.after_statement(ctx),
        None => Ok(()),
    }
}

fn run_modify_with(
    query: &ModifyQuery,
    ctx: &mut EvalContext<'_>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
    statement_triggers: bool,
) -> Result<u64> {
    if query.modifying.is_empty() {
        return modify_statement(query, ctx, emit_returning, statement_triggers, false);
    }
    crate::modifying_cte::run_statement(ctx, &query.modifying, |ctx| {
        modify_statement(query, ctx, emit_returning, statement_triggers, true)
    })
}

/// Runs a data-modifying CTE of the running statement, its AFTER triggers and foreign key
/// checks left for the end of the statement (`modifying_cte.rs` rule 3).
///
/// Errors: those of [`run_modify`].
pub(crate) fn run_modifying_cte(
    query: &ModifyQuery,
    ctx: &mut EvalContext<'_>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<u64> {
    modify_statement(query, ctx, emit_returning, true, true)
}

/// The statement's own work; with `deferred` its AFTER triggers and foreign key checks
/// wait for the end of the statement holding it (`modifying_cte.rs`).
fn modify_statement(
    query: &ModifyQuery,
    ctx: &mut EvalContext<'_>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
    statement_triggers: bool,
    deferred: bool,
) -> Result<u64> {
    if statement_triggers {
        ctx.session.check_replica_identity(query)?;
    }
    if let ModifyAction::Merge(clause) = &query.action {
        return Ok(merge::run_merge(query, clause, ctx)?.changed());
    }
    let triggers = RefCell::new(ModifyTriggers::load(query, ctx)?);
    if statement_triggers
        && (!deferred
            || crate::modifying_cte::first_statement_trigger(
                ctx,
                query.relation.oid,
                query.command,
                true,
            ))
    {
        if let Some(t) = triggers.borrow_mut().as_mut() {
            t.before_statement(ctx)?;
        }
    }
    let mut count = modify_relation(query, ctx, None, emit_returning, &triggers)?;
    // Inheritance descendants of an UPDATE or DELETE target, each in its own layout; an
    // updated row that leaves its partition moves through the target.
    let none = RefCell::new(None);
    for descendant in &query.inherited {
        count += modify_relation(
            descendant,
            ctx,
            Some(query.relation.oid),
            emit_returning,
            &none,
        )?;
    }
    if deferred {
        if let Some(t) = triggers.into_inner() {
            crate::modifying_cte::defer_triggers(ctx, query, t, statement_triggers)?;
        }
        return Ok(count);
    }
    ctx.tables.after_statement()?;
    if let Some(t) = triggers.borrow_mut().as_mut() {
        t.fire_after_rows(ctx)?;
        if statement_triggers {
            t.after_statement(ctx)?;
        }
    }
    Ok(count)
}

/// Runs `query` against its one target relation, reached through `root` when it is an
/// inheritance descendant of the statement's target.
fn modify_relation(
    query: &ModifyQuery,
    ctx: &mut EvalContext<'_>,
    root: Option<tusk_types::Oid>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
    triggers: &RefCell<Option<ModifyTriggers>>,
) -> Result<u64> {
    let (row, filter) = match &query.action {
        ModifyAction::InsertValues(_) => (Vec::new(), None),
        ModifyAction::InsertQuery { row, .. } => (compile_all(row)?, None),
        ModifyAction::Update { filter, row } => (
            compile_all(row)?,
            filter.as_ref().map(ExprEvaluator::compile).transpose()?,
        ),
        ModifyAction::Delete { filter } => (
            Vec::new(),
            filter.as_ref().map(ExprEvaluator::compile).transpose()?,
        ),
        ModifyAction::Merge(_) => return Err(Error::internal("MERGE runs through run_merge")),
    };
    let compiled = Compiled {
        row,
        filter,
        checks: compile_checks(query)?,
        generated: compile_generated(query)?,
        returning: compile_all(&query.returning)?,
        conflict: query
            .on_conflict
            .as_ref()
            .map(|c| on_conflict::ConflictState::new(c, query, ctx.tables))
            .transpose()?,
        triggers,
    };
    let count = match &query.action {
        ModifyAction::InsertValues(rows) => {
            let mut count = 0;
            for exprs in rows {
                ctx.session.check_interrupts()?;
                let evaluators = compile_all(exprs)?;
                let new_row = eval_row(&evaluators, ctx, &[])?;
                if insert(query, &compiled, ctx, new_row, emit_returning)? {
                    count += 1;
                }
            }
            Ok(count)
        }
        ModifyAction::InsertQuery { query: source, .. } => {
            let mut source_rows = Vec::new();
            run_query(source, ctx, &mut |r: &[Datum]| {
                source_rows.push(r.to_vec());
                Ok(())
            })?;
            let mut count = 0;
            for source_row in source_rows {
                ctx.session.check_interrupts()?;
                let new_row = eval_row(&compiled.row, ctx, &source_row)?;
                if insert(query, &compiled, ctx, new_row, emit_returning)? {
                    count += 1;
                }
            }
            Ok(count)
        }
        ModifyAction::Merge(_) => Ok(0),
        ModifyAction::Update { .. } | ModifyAction::Delete { .. } => {
            let targets = match &query.join {
                Some(join) => joined_target_rows(query, join, ctx)?,
                None => target_rows(query, &compiled, ctx)?,
            };
            let mut count = 0;
            for (tid, old) in targets {
                ctx.session.check_interrupts()?;
                if modify_one(query, &compiled, ctx, root, tid, old, emit_returning)? {
                    count += 1;
                }
            }
            Ok(count)
        }
    }?;
    Ok(count)
}

/// The values of `exprs` over `input`; each `SET (a, b) = (subquery)` among them runs
/// its subquery once.
fn eval_row(
    exprs: &[ExprEvaluator],
    ctx: &mut EvalContext<'_>,
    input: &[Datum],
) -> Result<Vec<Datum>> {
    crate::subquery::multi_expr_scope(|| exprs.iter().map(|e| e.eval(ctx, input)).collect())
}

fn passes(
    filter: &Option<ExprEvaluator>,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<bool> {
    match filter {
        Some(f) => Ok(f.eval(ctx, row)? == Datum::Bool(true)),
        None => Ok(true),
    }
}

/// The target's rows passing WHERE, collected before any is modified (rule 1).
fn target_rows(
    query: &ModifyQuery,
    compiled: &Compiled,
    ctx: &mut EvalContext<'_>,
) -> Result<Vec<(ItemPointer, Vec<Datum>)>> {
    let mut out = Vec::new();
    for item in target_scan(query, ctx)? {
        ctx.session.check_interrupts()?;
        let (tid, mut row) = item?;
        with_system_columns(query, ctx, tid, &mut row)?;
        if passes(&compiled.filter, ctx, &row)? {
            out.push((tid, row));
        }
    }
    Ok(out)
}

/// The target's rows of `UPDATE ... FROM` / `DELETE ... USING`, each with the first
/// joined row found (rule 5); collected before any is modified (rule 1).
fn joined_target_rows(
    query: &ModifyQuery,
    join: &Query,
    ctx: &mut EvalContext<'_>,
) -> Result<Vec<(ItemPointer, Vec<Datum>)>> {
    let ctid = query.relation.columns.len();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    run_query(join, ctx, &mut |row: &[Datum]| {
        let tid = row
            .get(ctid)
            .and_then(tid_from_datum)
            .ok_or_else(|| Error::internal("joined row without the target's ctid"))?;
        if seen.insert(tid) {
            out.push((tid, row.to_vec()));
        }
        Ok(())
    })?;
    Ok(out)
}

/// Makes `row`, a version of the target row at `tid`, the row expressions see: its
/// system columns appended when the statement references them, and for a joined
/// UPDATE or DELETE the other FROM items' values of `joined` (the row first found),
/// which stay as they were when the target row is re-read (rule 5). Unreferenced
/// system columns of a joined row are NULL (a row an UPDATE moved to another
/// partition is not in the target to read them from).
fn target_row(
    query: &ModifyQuery,
    ctx: &EvalContext<'_>,
    tid: ItemPointer,
    row: &mut Vec<Datum>,
    joined: &[Datum],
) -> Result<()> {
    target_row_in(query, ctx, query.relation.oid, tid, row, joined)
}

/// [`target_row`] of a row version that lives in `rel` (the partition an UPDATE moved
/// the row to).
fn target_row_in(
    query: &ModifyQuery,
    ctx: &EvalContext<'_>,
    rel: Oid,
    tid: ItemPointer,
    row: &mut Vec<Datum>,
    joined: &[Datum],
) -> Result<()> {
    with_system_columns_of(query, ctx, rel, tid, row)?;
    if query.join.is_some() {
        let start = query.relation.columns.len() + SYSTEM_COLUMNS.len();
        row.resize(start, Datum::Null);
        row.extend_from_slice(joined.get(start..).unwrap_or(&[]));
    }
    Ok(())
}

/// The scan that finds the target's rows: through an index when one answers conjuncts of
/// WHERE (rule 4), else sequential.
fn target_scan<'a>(query: &ModifyQuery, ctx: &mut EvalContext<'a>) -> Result<RowIter<'a>> {
    let tables = ctx.tables;
    let rel = query.relation.oid;
    let filter = match &query.action {
        ModifyAction::Update { filter, .. } | ModifyAction::Delete { filter } => filter.as_ref(),
        _ => None,
    };
    let indexes = if filter.is_some() {
        tables.indexes(rel)?
    } else {
        Vec::new()
    };
    let width = query.relation.columns.len();
    let Some(choice) = choose_index(&indexes, width, &conjuncts(filter)) else {
        return tables.scan(rel);
    };
    let mut keys = Vec::with_capacity(choice.quals.len());
    for q in &choice.quals {
        keys.push(IndexScanKey {
            column: q.column,
            strategy: q.strategy,
            value: ExprEvaluator::compile(&q.value)?.eval(ctx, &[])?,
        });
    }
    tables.index_scan(rel, choice.index.oid, &keys, ScanDirection::Forward)
}

fn insert(
    query: &ModifyQuery,
    compiled: &Compiled,
    ctx: &mut EvalContext<'_>,
    new_row: Vec<Datum>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<bool> {
    let Some(mut new_row) = before_row(compiled, ctx, None, Some(new_row))? else {
        return Ok(false);
    };
    compute_generated(compiled, ctx, &mut new_row)?;
    if let Some(state) = &compiled.conflict {
        return on_conflict::insert_on_conflict(
            query,
            compiled,
            state,
            ctx,
            new_row,
            emit_returning,
        );
    }
    check_constraints(&query.relation, compiled, ctx, &new_row)?;
    let (leaf, tid) = ctx
        .tables
        .insert_routed(query.relation.oid, &new_row)
        .map_err(|e| hide_row_values(compiled, e))?;
    if let Some(t) = compiled.triggers.borrow_mut().as_mut() {
        t.queue_after_row(None, Some(&new_row));
    }
    if query.system_columns && !compiled.returning.is_empty() {
        let mut row = new_row;
        with_system_columns_of(query, ctx, leaf, tid, &mut row)?;
        returning(compiled, ctx, &row, emit_returning)?;
    } else {
        returning(compiled, ctx, &new_row, emit_returning)?;
    }
    Ok(true)
}

/// Appends the system columns of the row version at `tid` to `row` when the statement
/// references them (`ModifyQuery::system_columns`); attributes the row lacks (added
/// after it was written) are NULL first.
fn with_system_columns(
    query: &ModifyQuery,
    ctx: &EvalContext<'_>,
    tid: ItemPointer,
    row: &mut Vec<Datum>,
) -> Result<()> {
    with_system_columns_of(query, ctx, query.relation.oid, tid, row)
}

/// [`with_system_columns`] of a row version that lives in `rel` (a leaf partition of
/// the target).
fn with_system_columns_of(
    query: &ModifyQuery,
    ctx: &EvalContext<'_>,
    rel: Oid,
    tid: ItemPointer,
    row: &mut Vec<Datum>,
) -> Result<()> {
    if query.system_columns {
        row.resize(query.relation.columns.len(), Datum::Null);
        row.extend(ctx.tables.system_columns(rel, tid)?);
    }
    Ok(())
}

fn returning(
    compiled: &Compiled,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<()> {
    if compiled.returning.is_empty() {
        return Ok(());
    }
    let out = eval_row(&compiled.returning, ctx, row)?;
    emit_returning(&out)
}

/// Updates or deletes one target row, following concurrent updates (rule 2). Returns
/// whether a row was modified.
fn modify_one(
    query: &ModifyQuery,
    compiled: &Compiled,
    ctx: &mut EvalContext<'_>,
    root: Option<tusk_types::Oid>,
    mut tid: ItemPointer,
    mut old: Vec<Datum>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<bool> {
    let rel = query.relation.oid;
    loop {
        let (result, written, written_to) = match query.command {
            ModifyCommand::Update => {
                let new_row = eval_row(&compiled.row, ctx, &old)?;
                let Some(mut new_row) = before_row(compiled, ctx, Some(&old), Some(new_row))?
                else {
                    return Ok(false);
                };
                compute_generated(compiled, ctx, &mut new_row)?;
                check_constraints(&query.relation, compiled, ctx, &new_row)?;
                let (written_to, result) = match root {
                    Some(root) => ctx.tables.update_from(root, rel, tid, &new_row),
                    None => ctx.tables.update(rel, tid, &new_row).map(|r| (rel, r)),
                }
                .map_err(|e| hide_row_values(compiled, e))?;
                (result, new_row, written_to)
            }
            ModifyCommand::Delete | ModifyCommand::Insert | ModifyCommand::Merge => {
                if before_row(compiled, ctx, Some(&old), None)?.is_none() {
                    return Ok(false);
                }
                (ctx.tables.delete(rel, tid)?, Vec::new(), rel)
            }
        };
        match result {
            ModifyResult::Done(new_tid) => {
                if let Some(t) = compiled.triggers.borrow_mut().as_mut() {
                    let new = (query.command == ModifyCommand::Update).then_some(&written[..]);
                    t.queue_after_row(Some(&old), new);
                }
                let row = if query.command == ModifyCommand::Update {
                    let mut written = written;
                    if !compiled.returning.is_empty() {
                        target_row_in(query, ctx, written_to, new_tid, &mut written, &old)?;
                    }
                    written
                } else {
                    old
                };
                returning(compiled, ctx, &row, emit_returning)?;
                return Ok(true);
            }
            ModifyResult::Deleted => return Ok(false),
            ModifyResult::Updated {
                tid: newest,
                row: mut newest_row,
            } => {
                ctx.session.check_interrupts()?;
                target_row(query, ctx, newest, &mut newest_row, &old)?;
                if !passes(&compiled.filter, ctx, &newest_row)? {
                    return Ok(false);
                }
                tid = newest;
                old = newest_row;
            }
        }
    }
}

/// The row BEFORE ROW triggers leave to write (`new`, or `old` for DELETE), `None` when
/// one skipped it (`trigger` rule 5).
fn before_row(
    compiled: &Compiled,
    ctx: &mut EvalContext<'_>,
    old: Option<&[Datum]>,
    new: Option<Vec<Datum>>,
) -> Result<Option<Vec<Datum>>> {
    match compiled.triggers.borrow_mut().as_mut() {
        Some(t) => t.before_row(ctx, old, new),
        None => Ok(new.or_else(|| old.map(<[Datum]>::to_vec))),
    }
}

/// Computes the generated columns of `row`, the new row BEFORE ROW triggers left
/// (PostgreSQL's `ExecComputeStoredGenerated`): each expression sees the row as it is
/// before any generated column is set, so none depends on another.
fn compute_generated(
    compiled: &Compiled,
    ctx: &mut EvalContext<'_>,
    row: &mut [Datum],
) -> Result<()> {
    if compiled.generated.is_empty() {
        return Ok(());
    }
    let mut values = Vec::with_capacity(compiled.generated.len());
    for (index, e) in &compiled.generated {
        values.push((*index, e.eval(ctx, row)?));
    }
    for (index, value) in values {
        if let Some(slot) = row.get_mut(index) {
            *slot = value;
        }
    }
    Ok(())
}

/// Whether the target's rows are subject to row-level security: errors then show no row
/// values (PostgreSQL leaves out the DETAIL of `ExecBuildSlotValueDescription` and
/// `BuildIndexValueDescription` when RLS is enabled).
fn hides_row_values(compiled: &Compiled) -> bool {
    compiled
        .checks
        .iter()
        .any(|(_, kind, _)| matches!(kind, CheckKind::RowSecurity { .. }))
}

/// `e` without the DETAIL showing row values (unique violations) when the target has
/// row-level security.
fn hide_row_values(compiled: &Compiled, mut e: tusk_types::Error) -> tusk_types::Error {
    if hides_row_values(compiled) && e.code == tusk_types::SqlState::UNIQUE_VIOLATION {
        e.detail = None;
    }
    e
}

/// An error's DETAIL when there is one.
trait DetailIfAny {
    fn detail_if_any(self, detail: Option<String>) -> Self;
}

impl DetailIfAny for tusk_types::Error {
    fn detail_if_any(mut self, detail: Option<String>) -> Self {
        self.detail = detail;
        self
    }
}

/// NOT NULL of every column in order, then the CHECK constraints (NULL passes), then
/// the check options of the views written through (NULL fails).
fn check_constraints(
    relation: &RelationInfo,
    compiled: &Compiled,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<()> {
    // Row-level security first, as PostgreSQL checks its WITH CHECK OPTIONs before
    // ExecConstraints; NULL fails.
    for (name, kind, check) in &compiled.checks {
        let CheckKind::RowSecurity { policy, kind } = kind else {
            continue;
        };
        if check.eval(ctx, row)? == Datum::Bool(true) {
            continue;
        }
        let using = match kind {
            RowSecurityCheck::NewRow => "",
            RowSecurityCheck::ConflictRow => " (USING expression)",
        };
        let message = match policy {
            Some(p) => format!(
                "new row violates row-level security policy \"{p}\"{using} for table \"{name}\""
            ),
            None => {
                format!("new row violates row-level security policy{using} for table \"{name}\"")
            }
        };
        return Err(tusk_types::Error::new(
            tusk_types::SqlState::INSUFFICIENT_PRIVILEGE,
            message,
        ));
    }
    for (index, column) in relation.live_columns() {
        if column.not_null && row.get(index).is_none_or(Datum::is_null) {
            return Err(pg_err!(
                NOT_NULL_VIOLATION,
                "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
                column.name,
                relation.name
            )
            .detail_if_any(failing_row(relation, compiled, ctx, row)?));
        }
    }
    for (name, kind, check) in &compiled.checks {
        let value = check.eval(ctx, row)?;
        match kind {
            CheckKind::Constraint if value == Datum::Bool(false) => {
                return Err(pg_err!(
                    CHECK_VIOLATION,
                    "new row for relation \"{}\" violates check constraint \"{}\"",
                    relation.name,
                    name
                )
                .detail_if_any(failing_row(relation, compiled, ctx, row)?));
            }
            // A view's check option: NULL fails too (PostgreSQL's ExecWithCheckOptions).
            CheckKind::ViewOption { .. } if value != Datum::Bool(true) => {
                return Err(pg_err!(
                    WITH_CHECK_OPTION_VIOLATION,
                    "new row violates check option for view \"{}\"",
                    name
                )
                .detail_if_any(failing_row(relation, compiled, ctx, row)?));
            }
            _ => {}
        }
    }
    Ok(())
}

/// PostgreSQL's `Failing row contains (1, null, abc).`: each live column's text output
/// (`null` for NULL), values longer than 64 bytes cut at a character boundary and ended
/// with `...`.
fn failing_row(
    relation: &RelationInfo,
    compiled: &Compiled,
    ctx: &EvalContext<'_>,
    row: &[Datum],
) -> Result<Option<String>> {
    if hides_row_values(compiled) {
        return Ok(None);
    }
    let mut parts = Vec::with_capacity(row.len());
    for (index, column) in relation.live_columns() {
        let value = row.get(index).cloned().unwrap_or(Datum::Null);
        if value.is_null() {
            parts.push("null".to_string());
            continue;
        }
        let mut text = io::text_out_string(&value, column.type_oid, ctx.output)?;
        if text.len() > MAX_FIELD_LEN {
            let mut cut = MAX_FIELD_LEN;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str("...");
        }
        parts.push(text);
    }
    Ok(Some(format!(
        "Failing row contains ({}).",
        parts.join(", ")
    )))
}

/// The statement's CHECK-like conditions, compiled: (name, kind, condition).
pub(crate) fn compile_checks(
    query: &ModifyQuery,
) -> Result<Vec<(String, CheckKind, ExprEvaluator)>> {
    query
        .checks
        .iter()
        .map(|c| {
            Ok((
                c.name.clone(),
                c.kind.clone(),
                ExprEvaluator::compile(&c.expr)?,
            ))
        })
        .collect()
}

/// The statement's generated-column expressions, compiled, by attribute index.
pub(crate) fn compile_generated(query: &ModifyQuery) -> Result<Vec<(usize, ExprEvaluator)>> {
    query
        .generated
        .iter()
        .map(|(index, e)| Ok((*index, ExprEvaluator::compile(e)?)))
        .collect()
}
