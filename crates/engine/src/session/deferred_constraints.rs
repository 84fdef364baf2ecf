//! Deferred FOREIGN KEY checks: `DEFERRABLE INITIALLY DEFERRED` constraints and
//! `SET CONSTRAINTS` (PostgreSQL's deferred AFTER trigger events in `trigger.c`,
//! `AfterTriggerSetState`, `AfterTriggerFireDeferred`).
//!
//! ```text
//!  statement end: event of a deferred constraint ──▶ DeferredConstraints::events
//!  SET CONSTRAINTS c IMMEDIATE ──▶ c's pending events fire now (errors there)
//!  COMMIT ──▶ every constraint immediate, all pending events fire; an error aborts
//! ```
//!
//! Rules:
//! 1. A constraint is deferred when it is DEFERRABLE and the transaction's SET CONSTRAINTS
//!    state says so: the last `SET CONSTRAINTS name` naming it, else the last
//!    `SET CONSTRAINTS ALL`, else its INITIALLY DEFERRED. The state ends with the
//!    transaction.
//! 2. Events of a deferred constraint wait in order; RESTRICT actions never wait (as in
//!    PostgreSQL, whose RESTRICT triggers are never deferrable).
//! 3. A deferred event made in a subtransaction that rolls back is dropped; a released
//!    subtransaction hands its events to the enclosing level. (The SET CONSTRAINTS state
//!    itself is not restored by ROLLBACK TO here, where PostgreSQL restores it.)
//! 4. When a deferred check fires, a referencing row inserted meanwhile but since deleted
//!    (or whose key changed again) no longer needs its referenced row: the check looks for
//!    a live referencing row with the key first, as PostgreSQL skips dead tuples.
//!
//! Entry points: [`Session::set_constraints`], [`Session::fire_deferred_at_commit`]; the
//! queue is filled by `SessionTables::fire_foreign_key_events`.

use std::collections::HashMap;

use tusk_catalog::syscat;
use tusk_sql::ast::RangeVar;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::foreign_key_triggers::Event;
use super::Session;
use crate::foreign_key::ForeignKey;
use crate::sink::{NoticeSeverity, Sink};

/// One waiting event: the constraint's OID, the event, the subtransaction depth it was
/// made at.
#[derive(Debug)]
pub(crate) struct DeferredEvent {
    pub constraint: Oid,
    pub event: Event,
    pub depth: usize,
}

/// The transaction's SET CONSTRAINTS state and waiting events (module header).
#[derive(Debug, Default)]
pub struct DeferredConstraints {
    /// The last `SET CONSTRAINTS ALL` (true: DEFERRED).
    all: Option<bool>,
    /// `SET CONSTRAINTS name` after it, by constraint OID.
    named: HashMap<Oid, bool>,
    /// Waiting events, oldest first.
    pub(crate) events: Vec<DeferredEvent>,
}

impl DeferredConstraints {
    /// Whether `fk`'s events wait (rule 1).
    pub(crate) fn is_deferred(&self, fk: &ForeignKey) -> bool {
        fk.deferrable
            && self
                .named
                .get(&fk.oid)
                .copied()
                .or(self.all)
                .unwrap_or(fk.initially_deferred)
    }

    /// Takes the waiting events of `constraints` (all when `None`), oldest first.
    pub(crate) fn take(&mut self, constraints: Option<&[Oid]>) -> Vec<DeferredEvent> {
        let (taken, kept) = std::mem::take(&mut self.events)
            .into_iter()
            .partition(|e| constraints.is_none_or(|c| c.contains(&e.constraint)));
        self.events = kept;
        taken
    }

    /// Rollback of the subtransactions at depth `depth` and deeper (rule 3).
    pub(crate) fn at_rollback_to(&mut self, depth: usize) {
        self.events.retain(|e| e.depth < depth);
    }

    /// Release of the subtransactions deeper than `depth` (rule 3).
    pub(crate) fn at_release(&mut self, depth: usize) {
        for e in &mut self.events {
            e.depth = e.depth.min(depth);
        }
    }

    /// Transaction end: the state and any waiting events go.
    pub(crate) fn clear(&mut self) {
        *self = DeferredConstraints::default();
    }

    /// Makes every constraint immediate (at COMMIT).
    fn all_immediate(&mut self) {
        self.all = Some(false);
        self.named.clear();
    }
}

impl Session {
    /// `SET CONSTRAINTS {ALL | name [, ...]} {DEFERRED | IMMEDIATE}` (`names` `None` for
    /// ALL); returns the command tag. IMMEDIATE fires the named constraints' waiting
    /// events now.
    ///
    /// Errors: 42704 `constraint "x" does not exist`; 55000 `constraint "x" is not
    /// deferrable`; the errors of the checks fired (23503).
    pub(crate) fn set_constraints(
        &mut self,
        names: Option<&[RangeVar]>,
        deferred: bool,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        if !matches!(self.block, super::BlockState::InBlock) {
            sink.notice(
                NoticeSeverity::Warning,
                &pg_err!(
                    NO_ACTIVE_SQL_TRANSACTION,
                    "SET CONSTRAINTS can only be used in transaction blocks"
                ),
            );
        }
        let affected = match names {
            None => {
                let mut state = self.deferred_constraints.borrow_mut();
                state.all = Some(deferred);
                state.named.clear();
                None
            }
            Some(names) => {
                let mut oids = Vec::new();
                for name in names {
                    oids.extend(self.deferrable_constraints_named(name)?);
                }
                let mut state = self.deferred_constraints.borrow_mut();
                for oid in &oids {
                    state.named.insert(*oid, deferred);
                }
                Some(oids)
            }
        };
        if !deferred && self.txn.is_active() {
            self.fire_deferred(affected.as_deref())?;
        }
        Ok("SET CONSTRAINTS".into())
    }

    /// The constraints `name` (schema-qualified or found along the search path, the first
    /// schema that has one) names (PostgreSQL's `AfterTriggerSetState` lookup).
    fn deferrable_constraints_named(&self, name: &RangeVar) -> Result<Vec<Oid>> {
        let reader = self.catalog_reader();
        let schemas: Vec<Oid> = match &name.schema {
            Some(s) => vec![reader
                .namespace_oid(s)?
                .ok_or_else(|| pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", s))?],
            None => {
                let mut oids = Vec::new();
                for s in &reader.search_path {
                    if let Some(ns) = reader.namespace_oid(s)? {
                        oids.push(ns);
                    }
                }
                oids
            }
        };
        let c = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let rows = reader.scan(c)?;
        for schema in schemas {
            let found: Vec<&Vec<Datum>> = rows
                .iter()
                .map(|(_, r)| r)
                .filter(|r| {
                    matches!(&r[c.col("conname")], Datum::Text(t) if *t == name.name)
                        && matches!(r[c.col("connamespace")], Datum::Oid(o) if o == schema.0)
                })
                .collect();
            if found.is_empty() {
                continue;
            }
            let mut oids = Vec::new();
            for r in found {
                if !matches!(r[c.col("condeferrable")], Datum::Bool(true)) {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "constraint \"{}\" is not deferrable",
                        name.name
                    ));
                }
                if let Datum::Oid(o) = r[c.col("oid")] {
                    oids.push(Oid(o));
                }
            }
            return Ok(oids);
        }
        Err(pg_err!(
            UNDEFINED_OBJECT,
            "constraint \"{}\" does not exist",
            name.name
        ))
    }

    /// Before COMMIT: every constraint becomes immediate and the waiting events fire.
    ///
    /// Errors: the checks' errors (23503); the commit then fails.
    pub(crate) fn fire_deferred_at_commit(&mut self) -> Result<()> {
        if self.deferred_constraints.borrow().events.is_empty() {
            return Ok(());
        }
        self.deferred_constraints.borrow_mut().all_immediate();
        self.fire_deferred(None)
    }

    fn fire_deferred(&mut self, constraints: Option<&[Oid]>) -> Result<()> {
        if self.deferred_constraints.borrow().events.is_empty() {
            return Ok(());
        }
        self.start_txn_statement();
        self.with_eval_context(&[], |ctx| ctx.tables.fire_deferred_constraints(constraints))
    }
}
