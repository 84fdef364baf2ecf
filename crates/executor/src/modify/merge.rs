//! Running a MERGE ([`ModifyAction::Merge`]): each row of the join query is MATCHED
//! (it has the target's `ctid`) or NOT MATCHED, and the first WHEN clause of its kind
//! whose condition holds acts on it (PostgreSQL's `ExecMerge`).
//!
//! Rules:
//! 1. The joined rows are collected in full before the first action (modify rule 1), so
//!    rows an action writes are never merged again.
//! 2. A target row an UPDATE or DELETE action already changed in this statement cannot
//!    be changed again: 21000 `MERGE command cannot affect row a second time` (a DO
//!    NOTHING, or no action, for it is fine).
//! 3. READ COMMITTED: when a committed concurrent transaction updated the target row,
//!    its newest version is joined again with the same source row and the ON condition
//!    evaluated; if it still holds, the WHEN MATCHED clauses are tried again from the
//!    first, else, as when the row was deleted meanwhile, the row is NOT MATCHED and the
//!    WHEN NOT MATCHED clauses are tried (PostgreSQL 15's EvalPlanQual in
//!    `ExecMergeMatched`). REPEATABLE READ fails with 40001 in the table access.
//! 4. Statement triggers fire for each kind of action the statement has, even if no row
//!    takes it: BEFORE as INSERT, UPDATE, DELETE; AFTER as DELETE, UPDATE, INSERT. Row
//!    triggers fire as each action runs, AFTER ROW events in one queue in row order.
//! 5. The command tag counts the rows inserted, updated and deleted; DO NOTHING, rows
//!    no clause takes and rows a BEFORE ROW trigger skips are not counted.
//!
//! Entry point: `run_merge`.

use std::cell::RefCell;
use std::collections::HashSet;

use tusk_sql::analyze::{MergeActionKind, MergeClause, MergeEffect, ModifyQuery, Query};
use tusk_types::adt::tid::tid_from_datum;
use tusk_types::{pg_err, Datum, ItemPointer, Result};

use super::{
    before_row, check_constraints, compile_all, compute_generated, eval_row, insert, passes,
    target_row, Compiled,
};
use crate::trigger::{ModifyTriggers, TriggerEvent};
use crate::{run_query, EvalContext, ExprEvaluator, ModifyResult};

/// What a MERGE did: its command tag counts the rows changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MergeCounts {
    /// Rows inserted.
    pub(crate) inserted: u64,
    /// Rows updated.
    pub(crate) updated: u64,
    /// Rows deleted.
    pub(crate) deleted: u64,
    /// Joined rows no action changed (DO NOTHING, no clause, a trigger skipped it).
    pub(crate) skipped: u64,
}

impl MergeCounts {
    /// Rows changed (the command tag's count, rule 5).
    pub(crate) fn changed(&self) -> u64 {
        self.inserted + self.updated + self.deleted
    }
}

/// One WHEN clause, compiled.
struct Action<'t> {
    matched: bool,
    kind: MergeActionKind,
    condition: Option<ExprEvaluator>,
    compiled: Compiled<'t>,
}

/// What happened to one joined row.
enum Outcome {
    Inserted,
    Updated,
    Deleted,
    Skipped,
}

/// Runs `query`, a MERGE whose WHEN clauses are `clause`.
///
/// Errors: 21000 (rule 2); those of the actions' writes ([`super::run_modify`]).
pub(crate) fn run_merge(
    query: &ModifyQuery,
    clause: &MergeClause,
    ctx: &mut EvalContext<'_>,
) -> Result<MergeCounts> {
    let join = query
        .join
        .as_deref()
        .ok_or_else(|| tusk_types::Error::internal("MERGE without its join"))?;
    let triggers = RefCell::new(ModifyTriggers::load(query, ctx)?);
    statement_triggers(query, clause, ctx, &triggers, true)?;
    let mut actions = Vec::with_capacity(clause.actions.len());
    for a in &clause.actions {
        let row = match &a.effect {
            MergeEffect::Update(row) | MergeEffect::Insert(row) => compile_all(row)?,
            MergeEffect::Delete | MergeEffect::Nothing => Vec::new(),
        };
        actions.push(Action {
            matched: a.matched,
            kind: a.kind(),
            condition: a
                .condition
                .as_ref()
                .map(ExprEvaluator::compile)
                .transpose()?,
            compiled: Compiled {
                row,
                filter: None,
                checks: super::compile_checks(query)?,
                generated: super::compile_generated(query)?,
                returning: Vec::new(),
                conflict: None,
                triggers: &triggers,
            },
        });
    }
    let on = Some(ExprEvaluator::compile(&clause.on)?);
    let rows = joined_rows(join, ctx)?;
    let ctid = query.relation.columns.len();
    let mut changed = HashSet::new();
    let mut counts = MergeCounts::default();
    for row in rows {
        ctx.session.check_interrupts()?;
        let tid = row.get(ctid).and_then(tid_from_datum);
        let outcome = match tid {
            Some(tid) => {
                let mut state = Matched {
                    query,
                    clause,
                    actions: &actions,
                    on: &on,
                    changed: &mut changed,
                };
                state.run(ctx, tid, row)?
            }
            None => not_matched(query, clause, &actions, ctx, &row)?,
        };
        match outcome {
            Outcome::Inserted => counts.inserted += 1,
            Outcome::Updated => counts.updated += 1,
            Outcome::Deleted => counts.deleted += 1,
            Outcome::Skipped => counts.skipped += 1,
        }
    }
    ctx.tables.after_statement()?;
    if let Some(t) = triggers.borrow_mut().as_mut() {
        t.fire_after_rows(ctx)?;
    }
    statement_triggers(query, clause, ctx, &triggers, false)?;
    Ok(counts)
}

/// The join query's rows (rule 1).
fn joined_rows(join: &Query, ctx: &mut EvalContext<'_>) -> Result<Vec<Vec<Datum>>> {
    let mut rows = Vec::new();
    run_query(join, ctx, &mut |row: &[Datum]| {
        rows.push(row.to_vec());
        Ok(())
    })?;
    Ok(rows)
}

/// The statement triggers of each kind of action (rule 4).
fn statement_triggers(
    query: &ModifyQuery,
    clause: &MergeClause,
    ctx: &mut EvalContext<'_>,
    triggers: &RefCell<Option<ModifyTriggers>>,
    before: bool,
) -> Result<()> {
    let mut borrowed = triggers.borrow_mut();
    let Some(t) = borrowed.as_mut() else {
        return Ok(());
    };
    let mut kinds = [
        (MergeActionKind::Insert, TriggerEvent::Insert),
        (MergeActionKind::Update, TriggerEvent::Update),
        (MergeActionKind::Delete, TriggerEvent::Delete),
    ];
    if !before {
        kinds.reverse();
    }
    for (kind, event) in kinds {
        if !clause.has(kind) {
            continue;
        }
        let update_row = clause.actions.iter().find_map(|a| match &a.effect {
            MergeEffect::Update(row) if kind == MergeActionKind::Update => Some(&row[..]),
            _ => None,
        });
        t.set_event(event, update_row, &query.generated);
        if before {
            t.before_statement(ctx)?;
        } else {
            t.after_statement(ctx)?;
        }
    }
    Ok(())
}

fn set_event(action: &Action<'_>, effect: &MergeEffect, query: &ModifyQuery) {
    if let Some(t) = action.compiled.triggers.borrow_mut().as_mut() {
        let (event, row) = match effect {
            MergeEffect::Update(row) => (TriggerEvent::Update, Some(&row[..])),
            MergeEffect::Delete => (TriggerEvent::Delete, None),
            _ => (TriggerEvent::Insert, None),
        };
        t.set_event(event, row, &query.generated);
    }
}

/// The first action of `matched` kind whose condition holds for `row`.
fn first_action<'a, 't>(
    actions: &'a [Action<'t>],
    matched: bool,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<Option<(usize, &'a Action<'t>)>> {
    for (i, a) in actions.iter().enumerate() {
        if a.matched == matched && passes(&a.condition, ctx, row)? {
            return Ok(Some((i, a)));
        }
    }
    Ok(None)
}

/// A NOT MATCHED row: the first NOT MATCHED clause that holds inserts it, or nothing.
fn not_matched(
    query: &ModifyQuery,
    clause: &MergeClause,
    actions: &[Action<'_>],
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<Outcome> {
    let Some((i, action)) = first_action(actions, false, ctx, row)? else {
        return Ok(Outcome::Skipped);
    };
    if action.kind != MergeActionKind::Insert {
        return Ok(Outcome::Skipped);
    }
    set_event(action, &clause.actions[i].effect, query);
    let new_row = eval_row(&action.compiled.row, ctx, row)?;
    if insert(query, &action.compiled, ctx, new_row, &mut |_| Ok(()))? {
        Ok(Outcome::Inserted)
    } else {
        Ok(Outcome::Skipped)
    }
}

/// The state a MATCHED row needs.
struct Matched<'q, 'a, 't> {
    query: &'q ModifyQuery,
    clause: &'q MergeClause,
    actions: &'a [Action<'t>],
    on: &'a Option<ExprEvaluator>,
    changed: &'a mut HashSet<ItemPointer>,
}

impl Matched<'_, '_, '_> {
    /// Runs the WHEN MATCHED clauses on the target row at `tid` (rules 2, 3).
    fn run(
        &mut self,
        ctx: &mut EvalContext<'_>,
        mut tid: ItemPointer,
        mut row: Vec<Datum>,
    ) -> Result<Outcome> {
        let query = self.query;
        let rel = query.relation.oid;
        let width = query.relation.columns.len();
        loop {
            let Some((i, action)) = first_action(self.actions, true, ctx, &row)? else {
                return Ok(Outcome::Skipped);
            };
            let effect = &self.clause.actions[i].effect;
            if action.kind == MergeActionKind::Nothing {
                return Ok(Outcome::Skipped);
            }
            if self.changed.contains(&tid) {
                return Err(pg_err!(
                    CARDINALITY_VIOLATION,
                    "MERGE command cannot affect row a second time"
                )
                .hint("Ensure that not more than one source row matches any one target row."));
            }
            set_event(action, effect, query);
            let old = &row[..width.min(row.len())];
            let compiled = &action.compiled;
            let (result, written) = if action.kind == MergeActionKind::Update {
                let new_row = eval_row(&compiled.row, ctx, &row)?;
                let Some(mut new_row) = before_row(compiled, ctx, Some(old), Some(new_row))? else {
                    return Ok(Outcome::Skipped);
                };
                compute_generated(compiled, ctx, &mut new_row)?;
                check_constraints(&query.relation, compiled, ctx, &new_row)?;
                (ctx.tables.update(rel, tid, &new_row)?, Some(new_row))
            } else {
                if before_row(compiled, ctx, Some(old), None)?.is_none() {
                    return Ok(Outcome::Skipped);
                }
                (ctx.tables.delete(rel, tid)?, None)
            };
            match result {
                ModifyResult::Done(new_tid) => {
                    self.changed.insert(tid);
                    self.changed.insert(new_tid);
                    if let Some(t) = compiled.triggers.borrow_mut().as_mut() {
                        t.queue_after_row(Some(old), written.as_deref());
                    }
                    return Ok(if written.is_some() {
                        Outcome::Updated
                    } else {
                        Outcome::Deleted
                    });
                }
                ModifyResult::Deleted => {
                    return not_matched(query, self.clause, self.actions, ctx, &row)
                }
                ModifyResult::Updated {
                    tid: newest,
                    row: mut newest_row,
                } => {
                    ctx.session.check_interrupts()?;
                    target_row(query, ctx, newest, &mut newest_row, &row)?;
                    if !passes(self.on, ctx, &newest_row)? {
                        // The newest version no longer joins the source row: the source
                        // row is NOT MATCHED, with the target's slots NULL.
                        let mut unmatched = row.clone();
                        for slot in unmatched
                            .iter_mut()
                            .take(width + super::SYSTEM_COLUMNS.len())
                        {
                            *slot = Datum::Null;
                        }
                        return not_matched(query, self.clause, self.actions, ctx, &unmatched);
                    }
                    tid = newest;
                    row = newest_row;
                }
            }
        }
    }
}
