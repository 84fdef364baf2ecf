//! The extended query protocol (PostgreSQL docs §55.2.3): named and unnamed prepared
//! statements and portals, parameter types and formats, row limits with suspension.

use std::collections::VecDeque;
use std::sync::Arc;

use tusk_executor::io;
use tusk_sql::analyze::Query;
use tusk_sql::ast::RawStatement;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::statement::{exits_transaction, RowEncoder, RowTarget};
use super::Session;
use crate::sink::{ColumnDesc, Sink};

/// What a prepared statement will do.
#[derive(Debug)]
pub enum Plan {
    /// A query returning rows.
    Query(Box<Query>),
    /// `SHOW name` (the column name as PostgreSQL titles it).
    Show(String, String),
    /// `SHOW ALL`.
    ShowAll,
    /// INSERT, UPDATE or DELETE (rows only with RETURNING).
    Modify(Box<tusk_sql::analyze::ModifyQuery>),
    /// `EXPLAIN` of a planned statement: one text column `QUERY PLAN`.
    Explain(Box<Prepared>, Box<tusk_sql::ast::ExplainStmt>),
    /// `FETCH` / `MOVE` from a cursor (rows for FETCH).
    Fetch(tusk_sql::ast::FetchStmt),
    /// Any other statement (SET, BEGIN, PREPARE, ...), run at execution.
    Utility,
}

/// A parsed and analysed statement (Parse, or SQL PREPARE).
#[derive(Debug)]
pub struct Prepared {
    /// The query string it came from.
    pub sql: String,
    /// The statement.
    pub raw: RawStatement,
    /// Parameter types (declared or inferred).
    pub param_types: Vec<Oid>,
    /// The plan.
    pub plan: Plan,
    /// What the analysis depended on, and the generic plan (`plan_cache`).
    pub cache: super::CachedPlan,
    /// The relations it uses and the privileges it needs there (checked at each
    /// execution: `privilege_check.rs`).
    pub relation_uses: Vec<tusk_sql::analyze::RelationUse>,
}

/// A bound statement ready to run (Bind).
pub struct Portal {
    statement: Arc<Prepared>,
    /// The name of the prepared statement it was bound from.
    statement_name: String,
    params: Vec<Datum>,
    formats: Vec<i16>,
    /// Rows produced but not yet sent (a SELECT runs fully on first Execute).
    pending: Option<VecDeque<Vec<Datum>>>,
    /// Tag of a finished non-row statement.
    done: Option<String>,
}

/// How an Execute ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecuteOutcome {
    /// The portal ran to completion (CommandComplete was sent).
    Complete,
    /// The row limit was reached (send PortalSuspended).
    Suspended,
}

fn statement_name(name: &str) -> String {
    if name.is_empty() {
        "unnamed prepared statement".to_string()
    } else {
        format!("prepared statement \"{name}\"")
    }
}

/// 22023 `unsupported format code: n` (only 0 = text and 1 = binary exist).
fn unsupported_format(code: i16) -> Error {
    pg_err!(INVALID_PARAMETER_VALUE, "unsupported format code: {}", code)
}

impl Session {
    /// Parse: analyses `sql` into a named (or the unnamed) prepared statement.
    ///
    /// Errors: 42P05 duplicate name, 42601 for several statements, 25P02 in a failed
    /// block, and every parse/analysis error.
    pub fn parse_message(&mut self, name: &str, sql: &str, param_types: &[Oid]) -> Result<()> {
        if !name.is_empty() && self.prepared.contains_key(name) {
            return Err(pg_err!(
                DUPLICATE_PSTATEMENT,
                "prepared statement \"{}\" already exists",
                name
            ));
        }
        let mut statements = self.parse_cached(sql)?;
        if statements.len() > 1 {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "cannot insert multiple commands into a prepared statement"
            ));
        }
        let prepared = match statements.pop() {
            Some(raw) => {
                self.check_not_failed(exits_transaction(&raw.stmt))?;
                self.ensure_transaction(true);
                self.start_statement();
                self.plan(&raw, sql, param_types.to_vec())?
            }
            None => Arc::new(Prepared {
                sql: String::new(),
                raw: RawStatement {
                    stmt: tusk_sql::ast::Statement::Deallocate(Some(String::new())),
                    location: 0,
                    len: 0,
                },
                param_types: param_types.to_vec(),
                plan: Plan::Utility,
                cache: Default::default(),
                relation_uses: Vec::new(),
            }),
        };
        self.prepared.insert(name.to_string(), prepared);
        Ok(())
    }

    /// Bind: creates a portal from a prepared statement and parameter values.
    ///
    /// Errors: 26000 unknown statement, 42P03 duplicate portal, 08P01 parameter count
    /// mismatch, and the parameter types' input errors (22P02, 22P03, ...).
    pub fn bind_message(
        &mut self,
        portal: &str,
        statement: &str,
        param_formats: &[i16],
        params: &[Option<Vec<u8>>],
        result_formats: &[i16],
    ) -> Result<()> {
        let prepared = self.prepared.get(statement).cloned().ok_or_else(|| {
            pg_err!(
                UNDEFINED_PSTATEMENT,
                "{} does not exist",
                statement_name(statement)
            )
        })?;
        self.check_not_failed(exits_transaction(&prepared.raw.stmt))?;
        if !portal.is_empty() && self.portals.contains_key(portal) {
            return Err(pg_err!(
                DUPLICATE_CURSOR,
                "portal \"{}\" already exists",
                portal
            ));
        }
        if params.len() != prepared.param_types.len() {
            return Err(pg_err!(
                PROTOCOL_VIOLATION,
                "bind message supplies {} parameters, but {} requires {}",
                params.len(),
                statement_name(statement),
                prepared.param_types.len()
            ));
        }
        if param_formats.len() > 1 && param_formats.len() != params.len() {
            return Err(pg_err!(
                PROTOCOL_VIOLATION,
                "bind message has {} parameter formats but {} parameters",
                param_formats.len(),
                params.len()
            ));
        }
        if result_formats.len() > 1 {
            // Checked only for statements that return rows (PortalSetResultFormat).
            let columns = self.describe(&prepared, &[]).map(|c| c.len());
            if let Some(columns) = columns.filter(|&n| n != result_formats.len()) {
                return Err(pg_err!(
                    PROTOCOL_VIOLATION,
                    "bind message has {} result formats but query has {} columns",
                    result_formats.len(),
                    columns
                ));
            }
        }
        self.ensure_transaction(true);
        let mut values = Vec::with_capacity(params.len());
        for (i, p) in params.iter().enumerate() {
            let format = match param_formats {
                [] => 0,
                [one] => *one,
                many => many[i],
            };
            if format != 0 && format != 1 {
                return Err(unsupported_format(format));
            }
            let t = prepared.param_types[i];
            let value = match p {
                None => Datum::Null,
                Some(bytes) if format == 1 => {
                    crate::user_types::binary_recv(bytes, t, &self.output)
                        .map_err(|e| e.context(format!("unnamed portal parameter ${}", i + 1)))?
                }
                Some(bytes) => {
                    let text = std::str::from_utf8(bytes).map_err(|_| {
                        pg_err!(
                            CHARACTER_NOT_IN_REPERTOIRE,
                            "invalid byte sequence for encoding \"UTF8\""
                        )
                    })?;
                    let t = if t == type_oid::UNKNOWN {
                        type_oid::TEXT
                    } else {
                        t
                    };
                    io::text_in(text, t, -1, &self.output).map_err(|e| {
                        e.context(format!("unnamed portal parameter ${} = '{}'", i + 1, text))
                    })?
                }
            };
            values.push(value);
        }
        self.portals.insert(
            portal.to_string(),
            Portal {
                statement: prepared,
                statement_name: statement.to_string(),
                params: values,
                formats: result_formats.to_vec(),
                pending: None,
                done: None,
            },
        );
        Ok(())
    }

    /// Describe of a statement: parameter types and result columns (`None` = NoData).
    ///
    /// Errors: 26000 unknown statement.
    pub fn describe_statement(
        &mut self,
        name: &str,
    ) -> Result<(Vec<Oid>, Option<Vec<ColumnDesc>>)> {
        let prepared = self.prepared.get(name).cloned().ok_or_else(|| {
            pg_err!(
                UNDEFINED_PSTATEMENT,
                "{} does not exist",
                statement_name(name)
            )
        })?;
        self.check_not_failed(exits_transaction(&prepared.raw.stmt))?;
        Ok((prepared.param_types.clone(), self.describe(&prepared, &[])))
    }

    /// Describe of a portal: result columns in the portal's formats (`None` = NoData).
    ///
    /// Errors: 34000 unknown portal.
    pub fn describe_portal(&mut self, name: &str) -> Result<Option<Vec<ColumnDesc>>> {
        let portal = self
            .portals
            .get(name)
            .ok_or_else(|| pg_err!(UNDEFINED_CURSOR, "portal \"{}\" does not exist", name))?;
        let (statement, formats) = (portal.statement.clone(), portal.formats.clone());
        self.check_not_failed(exits_transaction(&statement.raw.stmt))?;
        Ok(self.describe(&statement, &formats))
    }

    /// Execute: runs a portal, sending at most `max_rows` rows (0 = all).
    ///
    /// Errors: 34000 unknown portal, 25P02 in a failed block, and the statement's errors.
    pub fn execute_message(
        &mut self,
        name: &str,
        max_rows: i32,
        sink: &mut dyn Sink,
    ) -> Result<ExecuteOutcome> {
        let result = self.execute_portal(name, max_rows, sink);
        self.report_changes(sink);
        result
    }

    fn execute_portal(
        &mut self,
        name: &str,
        max_rows: i32,
        sink: &mut dyn Sink,
    ) -> Result<ExecuteOutcome> {
        let mut portal = self
            .portals
            .remove(name)
            .ok_or_else(|| pg_err!(UNDEFINED_CURSOR, "portal \"{}\" does not exist", name))?;
        let statement = portal.statement.clone();
        self.report_active(&statement.sql);
        self.check_not_failed(exits_transaction(&statement.raw.stmt))?;
        if portal.done.is_some() {
            // Run to completion before: a query portal stays at its end and returns no
            // more rows; any other statement cannot run twice (PostgreSQL's PortalRun).
            let outcome = match statement.plan {
                Plan::Query(_) => {
                    sink.command_complete("SELECT 0");
                    Ok(ExecuteOutcome::Complete)
                }
                Plan::Explain(..) => {
                    sink.command_complete("EXPLAIN");
                    Ok(ExecuteOutcome::Complete)
                }
                Plan::Show(..) | Plan::ShowAll => {
                    sink.command_complete("SHOW");
                    Ok(ExecuteOutcome::Complete)
                }
                Plan::Utility | Plan::Modify(_) | Plan::Fetch(_) => Err(pg_err!(
                    OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "portal \"{}\" cannot be run",
                    name
                )),
            };
            self.portals.insert(name.to_string(), portal);
            return outcome;
        }
        if matches!(statement.raw.stmt, tusk_sql::ast::Statement::Deallocate(Some(ref n)) if n.is_empty())
            && statement.sql.is_empty()
        {
            sink.empty_query();
            return Ok(ExecuteOutcome::Complete);
        }
        self.ensure_transaction(true);
        self.start_statement();
        let statement = if portal.pending.is_none() {
            let current = self.revalidate_named(&portal.statement_name, &statement)?;
            portal.statement = current.clone();
            current
        } else {
            statement
        };
        let rows_plan = matches!(
            statement.plan,
            Plan::Query(_) | Plan::Show(..) | Plan::ShowAll | Plan::Explain(..)
        );
        if let Some(&bad) = portal.formats.iter().find(|&&f| f != 0 && f != 1) {
            if rows_plan {
                self.portals.insert(name.to_string(), portal);
                return Err(unsupported_format(bad));
            }
        }
        if !rows_plan {
            let tag = self.execute_tracked(
                &statement,
                &portal.params,
                &portal.formats,
                RowTarget::Stream(sink),
                false,
            )?;
            portal.done = Some(tag);
            if self.portals_survive() {
                self.portals.insert(name.to_string(), portal);
            }
            return Ok(ExecuteOutcome::Complete);
        }
        if portal.pending.is_none() {
            let mut rows = Vec::new();
            self.execute_tracked(
                &statement,
                &portal.params,
                &portal.formats,
                RowTarget::Collect(&mut rows),
                false,
            )?;
            portal.pending = Some(rows.into());
        }
        let columns = self
            .describe(&statement, &portal.formats)
            .unwrap_or_default();
        let types: Vec<Oid> = columns.iter().map(|c| c.type_oid).collect();
        let mut encoder = RowEncoder::default();
        let pending = portal
            .pending
            .as_mut()
            .ok_or_else(|| Error::internal("portal rows missing"))?;
        let limit = if max_rows <= 0 {
            usize::MAX
        } else {
            max_rows as usize
        };
        let mut sent = 0u64;
        while (sent as usize) < limit {
            let Some(row) = pending.pop_front() else {
                break;
            };
            encoder.encode(&row, &types, &columns, &self.output)?;
            sink.data_row(&encoder.values());
            sent += 1;
        }
        let outcome = if pending.is_empty() && (sent as usize) < limit
            || pending.is_empty() && max_rows <= 0
        {
            let tag = match statement.plan {
                Plan::Query(_) => format!("SELECT {sent}"),
                Plan::Explain(..) => "EXPLAIN".to_string(),
                _ => "SHOW".to_string(),
            };
            sink.command_complete(&tag);
            portal.done = Some(tag);
            ExecuteOutcome::Complete
        } else {
            ExecuteOutcome::Suspended
        };
        self.portals.insert(name.to_string(), portal);
        Ok(outcome)
    }

    /// Portals live until their transaction ends.
    fn portals_survive(&self) -> bool {
        !matches!(self.block, super::BlockState::Idle)
    }

    /// Close of a statement (a missing name is not an error, as in PostgreSQL).
    pub fn close_statement(&mut self, name: &str) {
        self.prepared.remove(name);
    }

    /// Close of a portal (a missing name is not an error).
    pub fn close_portal(&mut self, name: &str) {
        self.portals.remove(name);
    }

    /// Sync: ends the implicit transaction of the extended-protocol messages since the last
    /// Sync; after an error (`failed`), rolls it back or marks the block failed.
    ///
    /// Errors: a failed commit (WAL flush or commit-log errors), after which the
    /// transaction is over.
    pub fn sync(&mut self, failed: bool, sink: &mut dyn Sink) -> Result<()> {
        let result = if failed {
            self.abort_after_error();
            Ok(())
        } else {
            self.commit_implicit()
        };
        self.report_changes(sink);
        result
    }

    /// Error inside extended-protocol processing: rule 2 applies at once.
    pub fn extended_error(&mut self) {
        self.abort_after_error();
    }
}
