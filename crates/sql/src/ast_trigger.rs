//! Trigger statements: `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER`, `DROP TRIGGER`,
//! `ALTER TRIGGER ... RENAME TO` and ALTER TABLE's `ENABLE | DISABLE TRIGGER`
//! (PostgreSQL docs: SQL Commands, CREATE TRIGGER).
//!
//! The WHEN condition is kept twice: as an [`Expr`] for checks at CREATE time and as SQL
//! text deparsed by PostgreSQL's deparser, which is what the catalog stores and what each
//! firing analyses again with `OLD` and `NEW` bound.

use crate::ast::{Expr, RangeVar};

/// When a trigger fires relative to the event (`pg_trigger.tgtype`'s timing bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerTiming {
    /// `BEFORE`.
    Before,
    /// `AFTER`.
    After,
    /// `INSTEAD OF`.
    InsteadOf,
}

/// The events a trigger fires on (PostgreSQL's `TRIGGER_TYPE_*` event bits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TriggerEvents {
    /// `INSERT`.
    pub insert: bool,
    /// `UPDATE`.
    pub update: bool,
    /// `DELETE`.
    pub delete: bool,
    /// `TRUNCATE`.
    pub truncate: bool,
}

/// One item of `REFERENCING {OLD | NEW} {TABLE | ROW} [AS] name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionTable {
    /// The name given.
    pub name: String,
    /// `NEW` (else `OLD`).
    pub is_new: bool,
    /// `TABLE` (else `ROW`).
    pub is_table: bool,
}

/// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER name {BEFORE | AFTER | INSTEAD OF} events
/// ON table [FOR [EACH] {ROW | STATEMENT}] [WHEN (condition)] EXECUTE {FUNCTION |
/// PROCEDURE} f(args)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTriggerStmt {
    /// `OR REPLACE`.
    pub replace: bool,
    /// `CONSTRAINT TRIGGER`.
    pub constraint: bool,
    /// The trigger's name.
    pub name: String,
    /// The table or view.
    pub relation: RangeVar,
    /// Timing.
    pub timing: TriggerTiming,
    /// Events.
    pub events: TriggerEvents,
    /// `UPDATE OF` columns, in order written.
    pub columns: Vec<String>,
    /// `FOR EACH ROW` (else statement level).
    pub for_each_row: bool,
    /// `WHEN (condition)`: the expression and its deparsed text.
    pub when: Option<(Expr, String)>,
    /// Where the WHEN condition first references OLD and NEW (byte offsets), for the
    /// cursor of errors about them.
    pub when_references: (Option<usize>, Option<usize>),
    /// The function's (qualified) name.
    pub function: Vec<String>,
    /// The arguments, as strings (PostgreSQL turns every argument into its text).
    pub args: Vec<String>,
    /// `REFERENCING` items (transition tables), in order written.
    pub transition_tables: Vec<TransitionTable>,
    /// `DEFERRABLE` / `INITIALLY DEFERRED` (constraint triggers).
    pub deferrable: bool,
}

/// `DROP TRIGGER [IF EXISTS] name ON table [CASCADE | RESTRICT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropTriggerStmt {
    /// The trigger's name.
    pub name: String,
    /// Its table.
    pub relation: RangeVar,
    /// `IF EXISTS`.
    pub missing_ok: bool,
}

/// `ALTER TRIGGER name ON table RENAME TO new_name`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenameTriggerStmt {
    /// The trigger's name.
    pub name: String,
    /// Its table.
    pub relation: RangeVar,
    /// The new name.
    pub new_name: String,
}

/// Which triggers ALTER TABLE's `ENABLE | DISABLE TRIGGER` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerSelection {
    /// One trigger by name.
    Named(String),
    /// `ALL`: user and internal triggers.
    All,
    /// `USER`: user triggers.
    User,
}

/// Trigger statements.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerStmt {
    /// `CREATE TRIGGER`.
    Create(Box<CreateTriggerStmt>),
    /// `DROP TRIGGER`.
    Drop(DropTriggerStmt),
    /// `ALTER TRIGGER ... RENAME TO`.
    Rename(RenameTriggerStmt),
}
