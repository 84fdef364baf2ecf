//! Conversion of trigger statements from pg_query's tree into [`crate::ast_trigger`].
//!
//! `pg_trigger.tgtype`'s bits as PostgreSQL's grammar sets them in `CreateTrigStmt`:
//! timing BEFORE = 2, INSTEAD = 64 (AFTER = 0); events INSERT = 4, DELETE = 8,
//! UPDATE = 16, TRUNCATE = 32.

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::Result;

use crate::ast::{RangeVar, Statement};
use crate::ast_ddl::AlterTableCmd;
use crate::ast_trigger::{
    CreateTriggerStmt, DropTriggerStmt, RenameTriggerStmt, TransitionTable, TriggerEvents,
    TriggerSelection, TriggerStmt, TriggerTiming,
};
use crate::convert::{expr, range_var, string_of};
use crate::convert_ddl::deparse_expr;

/// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER`.
///
/// Errors: those of converting the WHEN expression.
pub(crate) fn create_trigger(s: &pb::CreateTrigStmt) -> Result<Statement> {
    let timing = match s.timing {
        2 => TriggerTiming::Before,
        64 => TriggerTiming::InsteadOf,
        _ => TriggerTiming::After,
    };
    let events = TriggerEvents {
        insert: s.events & 4 != 0,
        delete: s.events & 8 != 0,
        update: s.events & 16 != 0,
        truncate: s.events & 32 != 0,
    };
    let when = match s.when_clause.as_deref() {
        Some(node) => Some((expr(node)?, deparse_expr(node)?)),
        None => None,
    };
    let mut when_references = (None, None);
    if let Some(node) = s.when_clause.as_deref().and_then(|n| n.node.as_ref()) {
        for (n, _, _) in node.nodes() {
            let pg_query::NodeRef::ColumnRef(c) = n else {
                continue;
            };
            let first = c.fields.first().and_then(string_of);
            let at = usize::try_from(c.location).ok();
            let slot = match first.as_deref() {
                Some("old") => &mut when_references.0,
                Some("new") => &mut when_references.1,
                _ => continue,
            };
            if let Some(at) = at {
                *slot = Some(slot.map_or(at, |s: usize| s.min(at)));
            }
        }
    }
    Ok(Statement::Trigger(Box::new(TriggerStmt::Create(Box::new(
        CreateTriggerStmt {
            replace: s.replace,
            constraint: s.isconstraint,
            name: s.trigname.clone(),
            relation: s
                .relation
                .as_ref()
                .map(range_var)
                .unwrap_or_else(|| RangeVar {
                    schema: None,
                    name: String::new(),
                    alias: None,
                    location: usize::MAX,
                    inh: true,
                }),
            timing,
            events,
            columns: s.columns.iter().filter_map(string_of).collect(),
            for_each_row: s.row,
            when,
            when_references,
            function: s.funcname.iter().filter_map(string_of).collect(),
            args: s.args.iter().filter_map(string_of).collect(),
            transition_tables: s
                .transition_rels
                .iter()
                .filter_map(|n| match n.node.as_ref() {
                    Some(NodeEnum::TriggerTransition(t)) => Some(TransitionTable {
                        name: t.name.clone(),
                        is_new: t.is_new,
                        is_table: t.is_table,
                    }),
                    _ => None,
                })
                .collect(),
            deferrable: s.deferrable || s.initdeferred,
        },
    )))))
}

/// `DROP TRIGGER [IF EXISTS] name ON [schema.]table`; `None` unless `s` drops a trigger.
pub(crate) fn drop_trigger(s: &pb::DropStmt) -> Option<Statement> {
    if s.remove_type != pb::ObjectType::ObjectTrigger as i32 {
        return None;
    }
    let Some(NodeEnum::List(list)) = s.objects.first()?.node.as_ref() else {
        return None;
    };
    let mut names: Vec<String> = list.items.iter().filter_map(string_of).collect();
    let name = names.pop()?;
    let table = names.pop()?;
    Some(Statement::Trigger(Box::new(TriggerStmt::Drop(
        DropTriggerStmt {
            name,
            relation: RangeVar {
                schema: names.pop(),
                name: table,
                alias: None,
                location: usize::MAX,
                inh: true,
            },
            missing_ok: s.missing_ok,
        },
    ))))
}

/// `ALTER TRIGGER name ON table RENAME TO new_name`; `None` unless `s` renames a trigger.
pub(crate) fn rename_trigger(s: &pb::RenameStmt) -> Option<Statement> {
    if s.rename_type != pb::ObjectType::ObjectTrigger as i32 {
        return None;
    }
    Some(Statement::Trigger(Box::new(TriggerStmt::Rename(
        RenameTriggerStmt {
            name: s.subname.clone(),
            relation: range_var(s.relation.as_ref()?),
            new_name: s.newname.clone(),
        },
    ))))
}

/// ALTER TABLE's `ENABLE | DISABLE TRIGGER`; `None` for other subcommands.
pub(crate) fn trigger_enabling(cmd: &pb::AlterTableCmd) -> Option<AlterTableCmd> {
    use pb::AlterTableType as A;
    let named = || TriggerSelection::Named(cmd.name.clone());
    let (triggers, enabled) = match A::from_i32(cmd.subtype)? {
        A::AtEnableTrig => (named(), b'O'),
        A::AtEnableAlwaysTrig => (named(), b'A'),
        A::AtEnableReplicaTrig => (named(), b'R'),
        A::AtDisableTrig => (named(), b'D'),
        A::AtEnableTrigAll => (TriggerSelection::All, b'O'),
        A::AtDisableTrigAll => (TriggerSelection::All, b'D'),
        A::AtEnableTrigUser => (TriggerSelection::User, b'O'),
        A::AtDisableTrigUser => (TriggerSelection::User, b'D'),
        _ => return None,
    };
    Some(AlterTableCmd::SetTriggerEnabled { triggers, enabled })
}

#[cfg(test)]
mod tests {
    use crate::ast::Statement;
    use crate::ast_trigger::{TriggerStmt, TriggerTiming};

    fn one(sql: &str) -> TriggerStmt {
        let mut stmts = crate::parse(sql).expect("parses");
        match stmts.remove(0).stmt {
            Statement::Trigger(t) => *t,
            other => panic!("not a trigger statement: {other:?}"),
        }
    }

    #[test]
    fn create_trigger_keeps_timing_events_columns_when_and_arguments() {
        let TriggerStmt::Create(c) = one(
            "CREATE TRIGGER t BEFORE INSERT OR UPDATE OF a, b ON s.tab FOR EACH ROW \
             WHEN (new.a > 1) EXECUTE FUNCTION f(1, 'x', y)",
        ) else {
            panic!("not CREATE TRIGGER")
        };
        assert_eq!(c.timing, TriggerTiming::Before);
        assert!(c.events.insert && c.events.update && !c.events.delete);
        assert_eq!(c.columns, vec!["a", "b"]);
        assert!(c.for_each_row);
        assert_eq!(c.when.as_ref().map(|w| w.1.as_str()), Some("new.a > 1"));
        assert_eq!(c.args, vec!["1", "x", "y"]);
        assert_eq!(c.relation.schema.as_deref(), Some("s"));
    }

    #[test]
    fn drop_and_rename_name_the_table() {
        let TriggerStmt::Drop(d) = one("DROP TRIGGER IF EXISTS t ON s.tab") else {
            panic!("not DROP TRIGGER")
        };
        assert_eq!((d.name.as_str(), d.relation.name.as_str()), ("t", "tab"));
        assert!(d.missing_ok);
        let TriggerStmt::Rename(r) = one("ALTER TRIGGER t ON tab RENAME TO u") else {
            panic!("not ALTER TRIGGER")
        };
        assert_eq!(r.new_name, "u");
    }
}
