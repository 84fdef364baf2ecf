//! Data-modifying statements in WITH (PostgreSQL's §7.8.4): `WITH t AS (DELETE ...
//! RETURNING *) SELECT ... FROM t`.
//!
//! A statement holding such CTEs ([`Query::modifying`], [`ModifyQuery::modifying`]) runs
//! inside a scope of [`ModifyingCtes`], the statement's stack of such scopes (a trigger
//! may run a statement with CTEs of its own while the outer one runs):
//!
//! ```text
//!   run_statement ── push scope {t: Pending, u: Pending}
//!     main work ── reads t ──▶ rows(t): run t to completion, keep its RETURNING rows
//!                  reads t again ──▶ the kept rows
//!     finish ── u never read: run it now (those left, last first, as PostgreSQL)
//!               foreign key checks, then the AFTER triggers of t, main, u in the order
//!               their statements finished
//!   pop scope
//! ```
//!
//! Rules:
//! 1. Each CTE runs exactly once, to completion, whether or not it is read, and its
//!    RETURNING rows are what every reference reads.
//! 2. All run under the statement's snapshot and command id: none sees another's changes
//!    (only their RETURNING rows); a row already changed by the statement is skipped by
//!    a later change (the table access reports it deleted).
//! 3. The AFTER ROW and AFTER STATEMENT triggers and the foreign key checks of every
//!    part wait for the end of the whole statement.
//! 4. Statement-level triggers fire once per table and command in the whole statement,
//!    however many parts change that table (as PostgreSQL's per-query trigger state).
//!
//! Entry points: [`run_statement`], [`rows`], [`defer_triggers`].

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use tusk_sql::analyze::{ModifyCommand, ModifyQuery, ModifyingCte};
use tusk_types::{Datum, Error, Oid, Result};

use crate::trigger::ModifyTriggers;
use crate::EvalContext;

/// The running statements' data-modifying CTEs, innermost statement last (shared by the
/// contexts of one statement, see [`EvalContext::modifying_ctes`]).
#[derive(Default)]
pub struct ModifyingCtes {
    scopes: RefCell<Vec<Scope>>,
}

impl std::fmt::Debug for ModifyingCtes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModifyingCtes")
            .field("scopes", &self.scopes.borrow().len())
            .finish()
    }
}

/// One statement's CTEs.
struct Scope {
    /// The CTEs in WITH order.
    order: Vec<usize>,
    states: HashMap<usize, State>,
    /// Triggers of finished parts waiting for the end of the statement (rule 3).
    deferred: Vec<Deferred>,
    /// The tables and commands whose BEFORE (`true`) or AFTER STATEMENT triggers fired
    /// (rule 4).
    statement_fired: HashSet<(Oid, ModifyCommand, bool)>,
}

/// A finished part's triggers.
struct Deferred {
    triggers: ModifyTriggers,
    /// Its AFTER STATEMENT triggers fire (not for COPY's rows).
    statement_triggers: bool,
    relation: Oid,
    command: ModifyCommand,
}

enum State {
    Pending(Arc<ModifyQuery>),
    Running,
    Done(Rc<Vec<Vec<Datum>>>),
}

/// Runs `main`, the work of a statement with data-modifying CTEs `ctes` (it reads them
/// through [`rows`] and hands its own triggers to [`defer_triggers`]), then the CTEs it did
/// not read, the foreign key checks and the AFTER triggers (rules 1 and 3).
///
/// Errors: those of `main` and of the CTEs' statements and triggers.
pub(crate) fn run_statement<T>(
    ctx: &mut EvalContext<'_>,
    ctes: &[ModifyingCte],
    main: impl FnOnce(&mut EvalContext<'_>) -> Result<T>,
) -> Result<T> {
    let scopes = ctx.modifying_ctes.clone();
    scopes.scopes.borrow_mut().push(Scope {
        order: ctes.iter().map(|c| c.id).collect(),
        states: ctes
            .iter()
            .map(|c| (c.id, State::Pending(c.query.clone())))
            .collect(),
        deferred: Vec::new(),
        statement_fired: HashSet::new(),
    });
    let depth = scopes.scopes.borrow().len();
    let result = main(ctx).and_then(|value| {
        finish(ctx)?;
        Ok(value)
    });
    let mut stack = scopes.scopes.borrow_mut();
    debug_assert_eq!(stack.len(), depth, "nested statements pop their own scopes");
    stack.truncate(depth - 1);
    result
}

/// The RETURNING rows of CTE `id` of the innermost running statement, running it first
/// if no reference read it yet (rule 1).
///
/// Errors: those of the CTE's statement; XX000 outside its statement.
pub(crate) fn rows(ctx: &mut EvalContext<'_>, id: usize) -> Result<Rc<Vec<Vec<Datum>>>> {
    let scopes = ctx.modifying_ctes.clone();
    let query = {
        let mut stack = scopes.scopes.borrow_mut();
        let scope = stack
            .last_mut()
            .ok_or_else(|| Error::internal("data-modifying CTE read outside its statement"))?;
        let state = scope
            .states
            .get_mut(&id)
            .ok_or_else(|| Error::internal("unknown data-modifying CTE"))?;
        match std::mem::replace(state, State::Running) {
            State::Done(rows) => {
                *state = State::Done(rows.clone());
                return Ok(rows);
            }
            State::Running => {
                return Err(Error::internal("data-modifying CTE read while it runs"));
            }
            State::Pending(query) => query,
        }
    };
    run_one(ctx, &scopes, id, &query)
}

/// Runs CTE `id` (marked running) and keeps its rows.
fn run_one(
    ctx: &mut EvalContext<'_>,
    scopes: &ModifyingCtes,
    id: usize,
    query: &ModifyQuery,
) -> Result<Rc<Vec<Vec<Datum>>>> {
    let mut out = Vec::new();
    crate::modify::run_modifying_cte(query, ctx, &mut |row| {
        out.push(row.to_vec());
        Ok(())
    })?;
    let rows = Rc::new(out);
    let mut stack = scopes.scopes.borrow_mut();
    let scope = stack
        .last_mut()
        .ok_or_else(|| Error::internal("data-modifying CTE scope lost"))?;
    scope.states.insert(id, State::Done(rows.clone()));
    Ok(rows)
}

/// Keeps the triggers of a finished part of the innermost statement for its end (rule 3).
///
/// Errors: XX000 outside a statement with data-modifying CTEs.
pub(crate) fn defer_triggers(
    ctx: &EvalContext<'_>,
    query: &ModifyQuery,
    triggers: ModifyTriggers,
    statement_triggers: bool,
) -> Result<()> {
    let mut stack = ctx.modifying_ctes.scopes.borrow_mut();
    let scope = stack
        .last_mut()
        .ok_or_else(|| Error::internal("deferred triggers outside their statement"))?;
    scope.deferred.push(Deferred {
        triggers,
        statement_triggers,
        relation: query.relation.oid,
        command: query.command,
    });
    Ok(())
}

/// Whether the BEFORE (`before`) or AFTER STATEMENT triggers of `relation` for `command`
/// are yet to fire in the innermost statement with data-modifying CTEs, noting that they
/// fire now (rule 4).
pub(crate) fn first_statement_trigger(
    ctx: &EvalContext<'_>,
    relation: Oid,
    command: ModifyCommand,
    before: bool,
) -> bool {
    let mut stack = ctx.modifying_ctes.scopes.borrow_mut();
    match stack.last_mut() {
        Some(scope) => scope.statement_fired.insert((relation, command, before)),
        None => true,
    }
}

/// The end of the statement: the CTEs not read, last first; then the foreign key checks
/// and the deferred triggers.
fn finish(ctx: &mut EvalContext<'_>) -> Result<()> {
    let scopes = ctx.modifying_ctes.clone();
    loop {
        let next = {
            let mut stack = scopes.scopes.borrow_mut();
            let scope = stack
                .last_mut()
                .ok_or_else(|| Error::internal("data-modifying CTE scope lost"))?;
            let pending = scope
                .order
                .iter()
                .rev()
                .copied()
                .find(|id| matches!(scope.states.get(id), Some(State::Pending(_))));
            match pending {
                Some(id) => match scope.states.insert(id, State::Running) {
                    Some(State::Pending(query)) => Some((id, query)),
                    _ => return Err(Error::internal("data-modifying CTE state lost")),
                },
                None => None,
            }
        };
        let Some((id, query)) = next else { break };
        run_one(ctx, &scopes, id, &query)?;
    }
    ctx.tables.after_statement()?;
    let deferred = {
        let mut stack = scopes.scopes.borrow_mut();
        let scope = stack
            .last_mut()
            .ok_or_else(|| Error::internal("data-modifying CTE scope lost"))?;
        std::mem::take(&mut scope.deferred)
    };
    for mut part in deferred {
        part.triggers.fire_after_rows(ctx)?;
        if part.statement_triggers
            && first_statement_trigger(ctx, part.relation, part.command, false)
        {
            part.triggers.after_statement(ctx)?;
        }
    }
    Ok(())
}
