//! User triggers fired by INSERT, UPDATE and DELETE (PostgreSQL's `trigger.c`, as its
//! documentation describes them in "Overview of Trigger Behavior").
//!
//! ```text
//!  statement start ──▶ BEFORE STATEMENT triggers
//!  each row        ──▶ BEFORE ROW triggers (may replace NEW, or skip the row: NULL)
//!                      write ──▶ AFTER ROW event queued with its OLD/NEW images
//!  statement end   ──▶ foreign-key checks, AFTER ROW triggers per queued row,
//!                      AFTER STATEMENT triggers
//! ```
//!
//! Rules:
//! 1. Triggers of one kind fire in name order (`pg_trigger.tgname`, byte order), the
//!    session hands them over sorted ([`crate::SessionContext::relation_triggers`]).
//! 2. `tgenabled` `D` (disabled) and `R` (replica only) do not fire; `O` and `A` do
//!    (`session_replication_role` is always `origin`).
//! 3. A WHEN condition is analysed once per statement with `OLD` and `NEW` as
//!    parameters of the table's row type; NULL counts as false. `UPDATE OF columns`
//!    fires only when one of the columns is a target of the UPDATE's SET list (a column
//!    the SET list does not name keeps its own value: `TypedExpr::Column` of itself).
//! 4. Statement-level triggers fire even when no row is affected; row-level AFTER
//!    triggers fire at the end of the statement that queued them, so a nested
//!    statement's (a trigger function's own writes) fire at its own end: cascades nest as
//!    deep as `max_stack_depth` allows, then 54001.
//! 5. A BEFORE ROW trigger returning NULL skips the row (and later triggers); the row is
//!    not counted in the command tag. A returned row replaces NEW for later triggers and
//!    the write.
//!
//! Entry points: [`ModifyTriggers::load`], then its `before_*`, `queue_after_row` and
//! [`ModifyTriggers::fire_after`].

use std::collections::HashMap;
use std::sync::Arc;

use tusk_sql::analyze::{ModifyAction, ModifyCommand, ModifyQuery, ParamResolver, TypedExpr};
use tusk_types::adt::record::{Record, RecordDesc, RecordField};
use tusk_types::{pg_err, Datum, Oid, Result};

use crate::sql_function::FunctionStatement;
use crate::EvalContext;

/// `tgtype` bit: row level (else statement level).
pub const TRIGGER_TYPE_ROW: i16 = 1;
/// `tgtype` bit: BEFORE.
pub const TRIGGER_TYPE_BEFORE: i16 = 1 << 1;
/// `tgtype` bit: INSERT.
pub const TRIGGER_TYPE_INSERT: i16 = 1 << 2;
/// `tgtype` bit: DELETE.
pub const TRIGGER_TYPE_DELETE: i16 = 1 << 3;
/// `tgtype` bit: UPDATE.
pub const TRIGGER_TYPE_UPDATE: i16 = 1 << 4;
/// `tgtype` bit: TRUNCATE.
pub const TRIGGER_TYPE_TRUNCATE: i16 = 1 << 5;
/// `tgtype` bit: INSTEAD OF.
pub const TRIGGER_TYPE_INSTEAD: i16 = 1 << 6;

/// One `pg_trigger` row, as firing needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerDesc {
    /// `oid`.
    pub oid: Oid,
    /// `tgname`.
    pub name: String,
    /// `tgtype` (the `TRIGGER_TYPE_*` bits).
    pub tgtype: i16,
    /// `tgenabled`: `O`, `D`, `R` or `A`.
    pub enabled: u8,
    /// `tgfoid`.
    pub function: Oid,
    /// `tgargs`, split.
    pub args: Vec<String>,
    /// `tgattr` as 0-based column indexes (`UPDATE OF`).
    pub columns: Vec<usize>,
    /// The WHEN condition's SQL text.
    pub when: Option<String>,
}

impl TriggerDesc {
    fn fires(&self) -> bool {
        matches!(self.enabled, b'O' | b'A')
    }
}

/// A relation's triggers, in name order (rule 1).
#[derive(Debug, Clone, PartialEq)]
pub struct RelationTriggers {
    /// The relation's row type (`pg_class.reltype`): NEW and OLD are records of it.
    pub row_type: Oid,
    /// Schema name, for `TG_TABLE_SCHEMA`.
    pub schema: String,
    /// The triggers.
    pub triggers: Vec<TriggerDesc>,
}

/// The event a trigger fires for (`TG_OP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerEvent {
    /// INSERT.
    Insert,
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
    /// TRUNCATE.
    Truncate,
}

impl TriggerEvent {
    fn bit(self) -> i16 {
        match self {
            TriggerEvent::Insert => TRIGGER_TYPE_INSERT,
            TriggerEvent::Update => TRIGGER_TYPE_UPDATE,
            TriggerEvent::Delete => TRIGGER_TYPE_DELETE,
            TriggerEvent::Truncate => TRIGGER_TYPE_TRUNCATE,
        }
    }

    /// `TG_OP`'s text.
    pub fn name(self) -> &'static str {
        match self {
            TriggerEvent::Insert => "INSERT",
            TriggerEvent::Update => "UPDATE",
            TriggerEvent::Delete => "DELETE",
            TriggerEvent::Truncate => "TRUNCATE",
        }
    }
}

/// What a trigger function is told about its call (PostgreSQL's `TriggerData`).
#[derive(Debug, Clone)]
pub struct TriggerCall<'a> {
    /// The trigger.
    pub trigger: &'a TriggerDesc,
    /// `TG_WHEN`: `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub when: &'static str,
    /// `TG_LEVEL`: `ROW` or `STATEMENT`.
    pub level: &'static str,
    /// `TG_OP`.
    pub event: TriggerEvent,
    /// `TG_RELID`.
    pub relid: Oid,
    /// `TG_TABLE_NAME`.
    pub relname: &'a str,
    /// `TG_TABLE_SCHEMA`.
    pub schema: &'a str,
    /// `NEW`: a record of the table's row type (row-level INSERT and UPDATE).
    pub new: Option<Datum>,
    /// `OLD`: a record (row-level UPDATE and DELETE).
    pub old: Option<Datum>,
}

/// A queued row-level AFTER event.
struct AfterRow {
    event: TriggerEvent,
    /// The SET targets of the UPDATE that queued it (rule 3; MERGE's actions differ).
    update_targets: Arc<Vec<bool>>,
    old: Option<Vec<Datum>>,
    new: Option<Vec<Datum>>,
}

/// The triggers of one INSERT, UPDATE or DELETE target and its queued AFTER events.
pub(crate) struct ModifyTriggers {
    triggers: Arc<RelationTriggers>,
    desc: Arc<RecordDesc>,
    /// Live columns' indexes in the stored row, in record field order.
    live: Vec<usize>,
    width: usize,
    relid: Oid,
    relname: String,
    event: TriggerEvent,
    /// The UPDATE's SET targets by column index (rule 3).
    update_targets: Arc<Vec<bool>>,
    /// The target's generated columns (computed after the triggers): NULL in the NEW row
    /// every BEFORE UPDATE ROW trigger sees, whatever an earlier one set, as in
    /// PostgreSQL 15 (BEFORE INSERT triggers see what an earlier one set).
    generated: Vec<usize>,
    whens: HashMap<Oid, FunctionStatement>,
    after: Vec<AfterRow>,
}

/// Resolves `old`, `new`, `old.col` and `new.col` in a WHEN condition (rule 3) to
/// parameters 0 (OLD) and 1 (NEW), noting which were referenced.
pub struct WhenResolver<'a> {
    desc: &'a RecordDesc,
    /// Whether OLD and NEW were referenced.
    referenced: std::cell::Cell<(bool, bool)>,
    /// The fields of NEW referenced, in order.
    new_fields: std::cell::RefCell<Vec<String>>,
}

impl<'a> WhenResolver<'a> {
    /// A resolver for rows of shape `desc`.
    pub fn new(desc: &'a RecordDesc) -> WhenResolver<'a> {
        WhenResolver {
            desc,
            referenced: Default::default(),
            new_fields: Default::default(),
        }
    }

    /// The fields of NEW the analysed condition referenced.
    pub fn new_fields(&self) -> Vec<String> {
        self.new_fields.borrow().clone()
    }

    /// Whether the analysed condition referenced (OLD, NEW).
    pub fn referenced(&self) -> (bool, bool) {
        self.referenced.get()
    }
}

impl ParamResolver for WhenResolver<'_> {
    fn resolve(&self, fields: &[String]) -> Option<TypedExpr> {
        let param = |name: &str| {
            let (old, new) = self.referenced.get();
            let index = match name {
                "old" => {
                    self.referenced.set((true, new));
                    0
                }
                "new" => {
                    self.referenced.set((old, true));
                    1
                }
                _ => return None,
            };
            Some(TypedExpr::Param {
                index,
                type_oid: self.desc.type_oid,
            })
        };
        match fields {
            [name] => param(name),
            [name, column] => {
                let arg = param(name)?;
                if name == "new" {
                    self.new_fields.borrow_mut().push(column.clone());
                }
                let field = self.desc.fields.iter().position(|f| &f.name == column)?;
                let f = &self.desc.fields[field];
                Some(TypedExpr::FieldSelect {
                    arg: Box::new(arg),
                    field,
                    type_oid: f.type_oid,
                    typmod: f.typmod,
                })
            }
            _ => None,
        }
    }
}

impl ModifyTriggers {
    /// The triggers of `query`'s target, `None` when it has none (the common case costs
    /// one lookup).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn load(
        query: &ModifyQuery,
        ctx: &mut EvalContext<'_>,
    ) -> Result<Option<ModifyTriggers>> {
        let relation = &query.relation;
        let Some(triggers) = ctx.session.relation_triggers(relation.oid)? else {
            return Ok(None);
        };
        if triggers.triggers.is_empty() {
            return Ok(None);
        }
        let live: Vec<usize> = relation.live_columns().map(|(i, _)| i).collect();
        let desc = Arc::new(RecordDesc {
            type_oid: triggers.row_type,
            fields: relation
                .live_columns()
                .map(|(_, c)| RecordField {
                    name: c.name.clone(),
                    type_oid: c.type_oid,
                    typmod: c.typmod,
                })
                .collect(),
        });
        let event = match query.command {
            ModifyCommand::Insert => TriggerEvent::Insert,
            ModifyCommand::Update => TriggerEvent::Update,
            ModifyCommand::Delete => TriggerEvent::Delete,
            // Each action sets its own event (`set_event`).
            ModifyCommand::Merge => TriggerEvent::Insert,
        };
        let update_targets = match &query.action {
            ModifyAction::Update { row, .. } => update_targets(row, &query.generated),
            _ => Vec::new(),
        };
        Ok(Some(ModifyTriggers {
            triggers,
            desc,
            live,
            width: relation.columns.len(),
            relid: relation.oid,
            relname: relation.name.clone(),
            event,
            update_targets: Arc::new(update_targets),
            generated: query.generated.iter().map(|(i, _)| *i).collect(),
            whens: HashMap::new(),
            after: Vec::new(),
        }))
    }

    /// Makes `event` the event of the rows that follow (MERGE runs INSERT, UPDATE and
    /// DELETE actions in one statement); `update_row` is an UPDATE's new row, whose SET
    /// targets decide `UPDATE OF` triggers (rule 3).
    pub(crate) fn set_event(
        &mut self,
        event: TriggerEvent,
        update_row: Option<&[TypedExpr]>,
        generated: &[(usize, TypedExpr)],
    ) {
        self.event = event;
        self.update_targets = Arc::new(match update_row {
            Some(row) => update_targets(row, generated),
            None => Vec::new(),
        });
    }

    /// The triggers of this statement's event at `timing` (`TRIGGER_TYPE_BEFORE` or 0 for
    /// AFTER) and level, in firing order.
    fn matching(&self, timing: i16, row: bool) -> Vec<TriggerDesc> {
        let level = if row { TRIGGER_TYPE_ROW } else { 0 };
        self.triggers
            .triggers
            .iter()
            .filter(|t| {
                t.fires()
                    && t.tgtype & (TRIGGER_TYPE_BEFORE | TRIGGER_TYPE_INSTEAD) == timing
                    && t.tgtype & TRIGGER_TYPE_ROW == level
                    && t.tgtype & self.event.bit() != 0
            })
            .filter(|t| {
                // Rule 3: UPDATE OF fires only for statements setting one of its columns.
                self.event != TriggerEvent::Update
                    || t.columns.is_empty()
                    || t.columns
                        .iter()
                        .any(|c| self.update_targets.get(*c).copied().unwrap_or(false))
            })
            .cloned()
            .collect()
    }

    fn record(&self, row: &[Datum]) -> Datum {
        let values = self
            .live
            .iter()
            .map(|&i| row.get(i).cloned().unwrap_or(Datum::Null))
            .collect();
        Datum::Record(Box::new(Record::new(self.desc.clone(), values)))
    }

    /// A record a trigger returned, as a stored row (dropped columns NULL).
    fn row_of(&self, record: &Record, trigger: &TriggerDesc) -> Result<Vec<Datum>> {
        if record.values.len() != self.live.len() {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "returned row structure does not match the structure of the triggering table"
            )
            .detail("Number of returned columns does not match expected column count.")
            .context(format!("trigger \"{}\"", trigger.name)));
        }
        let mut row = vec![Datum::Null; self.width];
        for (&i, v) in self.live.iter().zip(&record.values) {
            row[i] = v.clone();
        }
        Ok(row)
    }

    fn call(
        &self,
        ctx: &mut EvalContext<'_>,
        trigger: &TriggerDesc,
        when: &'static str,
        row_level: bool,
        old: Option<&[Datum]>,
        new: Option<&[Datum]>,
    ) -> Result<Datum> {
        let call = TriggerCall {
            trigger,
            when,
            level: if row_level { "ROW" } else { "STATEMENT" },
            event: self.event,
            relid: self.relid,
            relname: &self.relname,
            schema: &self.triggers.schema,
            new: new.map(|r| self.record(r)),
            old: old.map(|r| self.record(r)),
        };
        crate::sql_function::call_trigger(ctx, trigger.function, &call)
    }

    /// Whether `trigger`'s WHEN condition holds for `old`/`new` (rule 3).
    fn when_holds(
        &mut self,
        ctx: &mut EvalContext<'_>,
        trigger: &TriggerDesc,
        old: Option<&[Datum]>,
        new: Option<&[Datum]>,
    ) -> Result<bool> {
        let Some(condition) = &trigger.when else {
            return Ok(true);
        };
        if !self.whens.contains_key(&trigger.oid) {
            let resolver = WhenResolver::new(&self.desc);
            let sql = format!("SELECT {condition}");
            let statement = ctx
                .session
                .analyze_statement(&sql, &[], &resolver, ctx.output)?;
            self.whens.insert(trigger.oid, statement);
        }
        let params = [
            old.map_or(Datum::Null, |r| self.record(r)),
            new.map_or(Datum::Null, |r| self.record(r)),
        ];
        let FunctionStatement::Query(query) = &self.whens[&trigger.oid] else {
            return Err(tusk_types::Error::internal("WHEN condition is not a query"));
        };
        let mut value = Datum::Null;
        let mut inner = ctx.with_params(&params);
        crate::run_query(query, &mut inner, &mut |row: &[Datum]| {
            value = row.first().cloned().unwrap_or(Datum::Null);
            Ok(())
        })?;
        Ok(value == Datum::Bool(true))
    }

    /// Fires the BEFORE STATEMENT triggers.
    ///
    /// Errors: whatever the trigger functions raise.
    pub(crate) fn before_statement(&mut self, ctx: &mut EvalContext<'_>) -> Result<()> {
        for trigger in self.matching(TRIGGER_TYPE_BEFORE, false) {
            self.call(ctx, &trigger, "BEFORE", false, None, None)?;
        }
        Ok(())
    }

    /// Fires the BEFORE ROW triggers for one row: `old` for UPDATE and DELETE, `new` for
    /// INSERT and UPDATE. Returns the row to write (NEW as the triggers left it; OLD for
    /// DELETE), or `None` to skip it (rule 5).
    ///
    /// Errors: whatever the trigger functions raise; 42804 for a returned row of another
    /// shape.
    pub(crate) fn before_row(
        &mut self,
        ctx: &mut EvalContext<'_>,
        old: Option<&[Datum]>,
        new: Option<Vec<Datum>>,
    ) -> Result<Option<Vec<Datum>>> {
        let mut current = match (&new, old) {
            (Some(n), _) => n.clone(),
            (None, Some(o)) => o.to_vec(),
            (None, None) => return Ok(None),
        };
        for trigger in self.matching(TRIGGER_TYPE_BEFORE, true) {
            let new_image = new.as_ref().map(|_| current.clone());
            if !self.when_holds(ctx, &trigger, old, new_image.as_deref())? {
                continue;
            }
            let result = self.call(ctx, &trigger, "BEFORE", true, old, new_image.as_deref())?;
            match result {
                Datum::Null => return Ok(None),
                Datum::Record(record) => {
                    if new.is_some() {
                        current = self.row_of(&record, &trigger)?;
                        let update = self.event == TriggerEvent::Update;
                        for &g in self.generated.iter().filter(|_| update) {
                            if let Some(slot) = current.get_mut(g) {
                                *slot = Datum::Null;
                            }
                        }
                    }
                }
                _ => {
                    return Err(pg_err!(
                        DATATYPE_MISMATCH,
                        "trigger \"{}\" returned a value that is not a row",
                        trigger.name
                    ))
                }
            }
        }
        Ok(Some(current))
    }

    /// Queues the AFTER ROW events of one written row (rule 4).
    pub(crate) fn queue_after_row(&mut self, old: Option<&[Datum]>, new: Option<&[Datum]>) {
        let any = self.triggers.triggers.iter().any(|t| {
            t.tgtype & (TRIGGER_TYPE_BEFORE | TRIGGER_TYPE_INSTEAD) == 0
                && t.tgtype & TRIGGER_TYPE_ROW != 0
                && t.tgtype & self.event.bit() != 0
        });
        if any {
            self.after.push(AfterRow {
                event: self.event,
                update_targets: self.update_targets.clone(),
                old: old.map(<[Datum]>::to_vec),
                new: new.map(<[Datum]>::to_vec),
            });
        }
    }

    /// Fires the queued AFTER ROW events (rule 4); the AFTER STATEMENT triggers follow
    /// ([`ModifyTriggers::after_statement`]).
    ///
    /// Errors: whatever the trigger functions raise.
    pub(crate) fn fire_after_rows(&mut self, ctx: &mut EvalContext<'_>) -> Result<()> {
        let rows = std::mem::take(&mut self.after);
        let mut triggers = self.matching(0, true);
        for row in rows {
            if row.event != self.event || !Arc::ptr_eq(&row.update_targets, &self.update_targets) {
                // A MERGE queues rows of several actions.
                self.event = row.event;
                self.update_targets = row.update_targets.clone();
                triggers = self.matching(0, true);
            }
            for trigger in &triggers {
                if !self.when_holds(ctx, trigger, row.old.as_deref(), row.new.as_deref())? {
                    continue;
                }
                self.call(
                    ctx,
                    trigger,
                    "AFTER",
                    true,
                    row.old.as_deref(),
                    row.new.as_deref(),
                )?;
            }
        }
        Ok(())
    }

    /// Fires the AFTER STATEMENT triggers (rule 4).
    ///
    /// Errors: whatever the trigger functions raise.
    pub(crate) fn after_statement(&mut self, ctx: &mut EvalContext<'_>) -> Result<()> {
        for trigger in self.matching(0, false) {
            self.call(ctx, &trigger, "AFTER", false, None, None)?;
        }
        Ok(())
    }
}

/// Which attributes an UPDATE's new row sets (rule 3): those not kept as the old
/// value; a generated column counts when a column it reads is set (PostgreSQL's
/// `ExecGetExtraUpdatedCols`), not because its new value is recomputed.
fn update_targets(row: &[TypedExpr], generated: &[(usize, TypedExpr)]) -> Vec<bool> {
    let mut targets: Vec<bool> = row
        .iter()
        .enumerate()
        .map(|(i, e)| !matches!(e, TypedExpr::Column { index, .. } if *index == i))
        .collect();
    let set = targets.clone();
    for (g, e) in generated {
        let mut reads = false;
        tusk_sql::analyze::walk::map_expr_deep(e.clone(), 0, &mut |node, depth| {
            if let TypedExpr::Column { index, .. } = &node {
                reads |= depth == 0 && *index != *g && set.get(*index) == Some(&true);
            }
            node
        });
        if let Some(t) = targets.get_mut(*g) {
            *t = reads;
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::type_oid;

    fn desc() -> RecordDesc {
        RecordDesc {
            type_oid: Oid(16400),
            fields: vec![RecordField {
                name: "a".into(),
                type_oid: type_oid::INT4,
                typmod: -1,
            }],
        }
    }

    #[test]
    fn when_conditions_see_old_and_new_as_parameters() {
        let desc = desc();
        let resolver = WhenResolver::new(&desc);
        let new_a = resolver.resolve(&["new".into(), "a".into()]);
        assert!(matches!(
            new_a,
            Some(TypedExpr::FieldSelect { field: 0, type_oid: t, .. }) if t == type_oid::INT4
        ));
        assert!(matches!(
            resolver.resolve(&["old".into()]),
            Some(TypedExpr::Param { index: 0, .. })
        ));
        assert!(resolver.resolve(&["new".into(), "b".into()]).is_none());
        assert!(resolver.resolve(&["other".into()]).is_none());
    }

    #[test]
    fn events_name_their_operation_and_bit() {
        assert_eq!(TriggerEvent::Update.name(), "UPDATE");
        assert_eq!(TriggerEvent::Delete.bit(), 8);
        let disabled = TriggerDesc {
            oid: Oid(1),
            name: "t".into(),
            tgtype: TRIGGER_TYPE_ROW,
            enabled: b'D',
            function: Oid(2),
            args: Vec::new(),
            columns: Vec::new(),
            when: None,
        };
        assert!(!disabled.fires());
        assert!(TriggerDesc {
            enabled: b'A',
            ..disabled
        }
        .fires());
    }
}
