//! `INSERT ... ON CONFLICT DO NOTHING | DO UPDATE` (PostgreSQL's `ExecOnConflictUpdate`
//! over speculative insertion): each proposed row, once it passes NOT NULL and CHECK, is
//! inserted through [`TableAccess::insert_speculative`], which either inserts it or names
//! the live row it conflicts with on an arbiter index, having waited for any transaction
//! still writing an equal key. DO NOTHING then skips the row; DO UPDATE evaluates its
//! WHERE and SET over the existing row followed by the proposed one (`excluded`) and
//! updates the existing row, starting over if a concurrent transaction changed or
//! deleted it meanwhile.
//!
//! Rules:
//! 1. Concurrent upserts of one key never fail with a unique violation: the table access
//!    retries an insertion that lost the race (see `index_maintenance`).
//! 2. DO UPDATE never changes a row this statement inserted or updated (21000).
//!
//! Entry points: [`ConflictState::new`], [`insert_on_conflict`].

use std::cell::RefCell;
use std::collections::HashSet;

use tusk_sql::analyze::{ModifyQuery, OnConflictClause};
use tusk_types::{pg_err, Datum, ItemPointer, Oid, Result};

use super::{
    check_constraints, compute_generated, eval_row, passes, returning, with_system_columns_of,
    Compiled,
};
use crate::{EvalContext, ExprEvaluator, ModifyResult, SpeculativeInsert, TableAccess};

/// The compiled ON CONFLICT clause of one statement and the rows it wrote.
pub(super) struct ConflictState {
    arbiters: Vec<Oid>,
    update: Option<(Vec<ExprEvaluator>, Option<ExprEvaluator>)>,
    /// The row versions the statement wrote, by relation (a partitioned target's rows
    /// live in its leaves).
    written: RefCell<HashSet<(Oid, ItemPointer)>>,
}

impl ConflictState {
    /// Resolves the arbiter indexes and compiles DO UPDATE.
    ///
    /// Errors: 42P10 `there is no unique or exclusion constraint matching the ON CONFLICT
    /// specification`, 42704 for an unknown constraint (from the table access).
    pub(super) fn new(
        clause: &OnConflictClause,
        query: &ModifyQuery,
        tables: &dyn TableAccess,
    ) -> Result<ConflictState> {
        let arbiters = tables.conflict_arbiters(query.relation.oid, &clause.arbiter)?;
        let update = match &clause.update {
            Some(u) => Some((
                super::compile_all(&u.row)?,
                u.filter.as_ref().map(ExprEvaluator::compile).transpose()?,
            )),
            None => None,
        };
        Ok(ConflictState {
            arbiters,
            update,
            written: RefCell::new(HashSet::new()),
        })
    }
}

/// Inserts `new_row` under the statement's ON CONFLICT clause; returns whether a row was
/// inserted or updated (what the command tag counts).
///
/// Errors: 21000 `ON CONFLICT DO UPDATE command cannot affect row a second time`; those
/// of constraint checks, expressions and the table access.
pub(super) fn insert_on_conflict(
    query: &ModifyQuery,
    compiled: &Compiled,
    state: &ConflictState,
    ctx: &mut EvalContext<'_>,
    new_row: Vec<Datum>,
    emit_returning: &mut dyn FnMut(&[Datum]) -> Result<()>,
) -> Result<bool> {
    let rel = query.relation.oid;
    check_constraints(&query.relation, compiled, ctx, &new_row)?;
    loop {
        ctx.session.check_interrupts()?;
        let (leaf, tid, existing) =
            match ctx
                .tables
                .insert_speculative(rel, &new_row, &state.arbiters)?
            {
                SpeculativeInsert::Inserted { rel: leaf, tid } => {
                    state.written.borrow_mut().insert((leaf, tid));
                    let mut row = new_row;
                    with_system_columns_of(query, ctx, leaf, tid, &mut row)?;
                    returning(compiled, ctx, &row, emit_returning)?;
                    return Ok(true);
                }
                SpeculativeInsert::Conflict {
                    rel: leaf,
                    tid,
                    row,
                } => (leaf, tid, row),
            };
        let Some((set, filter)) = &state.update else {
            return Ok(false);
        };
        if state.written.borrow().contains(&(leaf, tid)) {
            return Err(pg_err!(
                CARDINALITY_VIOLATION,
                "ON CONFLICT DO UPDATE command cannot affect row a second time"
            )
            .hint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values."));
        }
        let mut input = existing;
        input.extend(new_row.iter().cloned());
        if !passes(filter, ctx, &input)? {
            return Ok(false);
        }
        let mut updated = eval_row(set, ctx, &input)?;
        compute_generated(compiled, ctx, &mut updated)?;
        check_constraints(&query.relation, compiled, ctx, &updated)?;
        match ctx.tables.update_conflicting(rel, leaf, tid, &updated)? {
            ModifyResult::Done(new_tid) => {
                state.written.borrow_mut().insert((leaf, new_tid));
                let mut row = updated;
                with_system_columns_of(query, ctx, leaf, new_tid, &mut row)?;
                returning(compiled, ctx, &row, emit_returning)?;
                return Ok(true);
            }
            // Changed or deleted by a concurrent transaction since: start over.
            ModifyResult::Deleted | ModifyResult::Updated { .. } => continue,
        }
    }
}
