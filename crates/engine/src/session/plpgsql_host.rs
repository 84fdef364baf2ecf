//! The session as PL/pgSQL's host: `DO` blocks (and, through the same [`SessionHost`],
//! `LANGUAGE plpgsql` function calls) run their embedded SQL as nested statements of
//! the statement that started them.
//!
//! Nesting: the interpreter holds the session mutably for the whole block and runs each
//! embedded statement through the ordinary `plan`/`execute` path with `RowTarget::Collect`
//! (a new command id per statement, so later statements see earlier changes). EXCEPTION
//! blocks are subtransactions on the same savepoint stack SAVEPOINT uses, under an
//! empty name no SAVEPOINT statement can give. Errors caught inside never reach
//! `abort_after_error`, so the transaction stays usable.
//!
//! Entry point: [`Session::do_statement`]. (`LANGUAGE plpgsql` functions are called
//! from inside executing statements, where the whole session is not reachable; they
//! need a host over the executor's context, see `procedural.rs`.)

use std::rc::Rc;
use std::sync::Arc;

use tusk_executor::sql_function::FunctionStatement;
use tusk_executor::{io, BuiltinLookup, ExprEvaluator};
use tusk_plpgsql::{Host, NoticeLevel, PreparedSql, SqlResult};
use tusk_sql::analyze::{Analyzer, CoercionContext, ParamResolver, TypedExpr};
use tusk_sql::ast::Statement;
use tusk_types::adt::record::RecordField;
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::extended::{Plan, Prepared};
use super::statement::RowTarget;
use super::Session;
use crate::sink::{NoticeSeverity, Sink};

impl Session {
    /// `DO [LANGUAGE plpgsql] 'code'`: runs the block (`inline_code_block`); returns the
    /// command tag `DO`. Notices go to `sink`.
    ///
    /// Errors: 42704 for an unknown language, 0A000 for `LANGUAGE sql` (no inline code);
    /// whatever the block raises.
    pub(crate) fn do_statement(
        &mut self,
        code: &str,
        language: Option<&str>,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match language.unwrap_or("plpgsql") {
            "plpgsql" => {}
            "sql" | "internal" | "c" => {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "language \"{}\" does not support inline code execution",
                    language.unwrap_or_default()
                ))
            }
            other => {
                return Err(
                    pg_err!(UNDEFINED_OBJECT, "language \"{}\" does not exist", other)
                        .hint("Use CREATE EXTENSION to load the language into the database."),
                )
            }
        }
        let mut host = SessionHost {
            session: self,
            sink,
        };
        tusk_plpgsql::execute_do(&mut host, code)?;
        Ok("DO".into())
    }
}

/// The session running PL/pgSQL code, and where its notices go.
pub(crate) struct SessionHost<'a> {
    session: &'a mut Session,
    sink: &'a mut dyn Sink,
}

fn prepared_columns(prepared: &Prepared) -> Vec<RecordField> {
    let columns = match &prepared.plan {
        Plan::Query(q) => &q.columns,
        Plan::Modify(m) => &m.returning_columns,
        _ => return Vec::new(),
    };
    columns
        .iter()
        .map(|c| RecordField {
            name: c.name.clone(),
            type_oid: c.type_oid,
            typmod: c.typmod,
        })
        .collect()
}

/// Rows processed, from a command tag (`SELECT 3`, `INSERT 0 3`, `UPDATE 2`).
fn processed_from_tag(tag: &str, rows: usize) -> u64 {
    tag.rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(rows as u64)
}

/// The one statement of an embedded PL/pgSQL query (SPI's rule).
///
/// Errors: the parser's; 42601 `cannot insert multiple commands into a prepared
/// statement`, `cannot execute an empty query`.
pub(crate) fn parse_one_statement(sql: &str) -> Result<tusk_sql::ast::RawStatement> {
    let mut statements = tusk_sql::parse(sql)?;
    if statements.len() > 1 {
        return Err(pg_err!(
            SYNTAX_ERROR,
            "cannot insert multiple commands into a prepared statement"
        ));
    }
    statements
        .pop()
        .ok_or_else(|| pg_err!(SYNTAX_ERROR, "cannot execute an empty query"))
}

/// A RAISE level as the executor's notice level.
pub(crate) fn executor_notice_level(level: NoticeLevel) -> tusk_executor::NoticeLevel {
    match level {
        NoticeLevel::Debug => tusk_executor::NoticeLevel::Debug,
        NoticeLevel::Log => tusk_executor::NoticeLevel::Log,
        NoticeLevel::Info => tusk_executor::NoticeLevel::Info,
        NoticeLevel::Notice => tusk_executor::NoticeLevel::Notice,
        NoticeLevel::Warning => tusk_executor::NoticeLevel::Warning,
    }
}

/// The severity a RAISE of `level` is sent with, or `None` when `client_min_messages`
/// (`threshold`) filters it out (DEBUG never reaches the client).
pub(crate) fn notice_severity(
    level: tusk_executor::NoticeLevel,
    threshold: &str,
) -> Option<NoticeSeverity> {
    use tusk_executor::NoticeLevel;
    let rank = |name: &str| match name {
        n if n.starts_with("debug") => 0,
        "log" => 1,
        "notice" => 2,
        "warning" => 3,
        _ => 4,
    };
    let (severity, level_rank) = match level {
        NoticeLevel::Debug => (NoticeSeverity::Log, 0),
        NoticeLevel::Log => (NoticeSeverity::Log, 1),
        NoticeLevel::Info => (NoticeSeverity::Info, 5),
        NoticeLevel::Notice => (NoticeSeverity::Notice, 2),
        NoticeLevel::Warning => (NoticeSeverity::Warning, 3),
    };
    if level == NoticeLevel::Debug || level_rank < rank(threshold) {
        return None;
    }
    Some(severity)
}

impl SessionHost<'_> {
    fn one_statement(&mut self, sql: &str) -> Result<tusk_sql::ast::RawStatement> {
        let raw = parse_one_statement(sql)?;
        if let Statement::Transaction(_) = raw.stmt {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "transaction control statements are not supported in PL/pgSQL"
            ));
        }
        Ok(raw)
    }

    fn run(&mut self, prepared: &Prepared, params: &[Datum]) -> Result<SqlResult> {
        let mut rows = Vec::new();
        let tag =
            self.session
                .execute(prepared, params, &[], RowTarget::Collect(&mut rows), false)?;
        Ok(SqlResult {
            columns: prepared_columns(prepared),
            processed: processed_from_tag(&tag, rows.len()),
            rows,
        })
    }
}

impl Host for SessionHost<'_> {
    fn prepare(
        &mut self,
        sql: &str,
        param_types: &[Oid],
        resolver: &dyn ParamResolver,
    ) -> Result<PreparedSql> {
        if super::plpgsql_call::is_call(sql) {
            let output = self.session.output.clone();
            let (statement, call_outputs) = {
                let reader = self.session.catalog_reader();
                super::plpgsql_call::analyze_call(&reader, &output, sql, param_types, resolver)?
            };
            let FunctionStatement::Query(query) = &statement else {
                return Err(Error::internal("CALL analysed as no query"));
            };
            let columns = query.record_fields();
            return Ok(PreparedSql {
                columns,
                modifies: false,
                handle: Rc::new(statement),
                call_outputs,
            });
        }
        let raw = self.one_statement(sql)?;
        let prepared =
            self.session
                .plan_with_resolver(&raw, sql, param_types.to_vec(), Some(resolver))?;
        Ok(PreparedSql {
            columns: prepared_columns(&prepared),
            modifies: matches!(prepared.plan, Plan::Modify(_)),
            handle: Rc::new(prepared),
            call_outputs: Vec::new(),
        })
    }

    fn execute(&mut self, prepared: &PreparedSql, params: &[Datum]) -> Result<SqlResult> {
        if let Some(FunctionStatement::Query(query)) = prepared.handle.downcast_ref() {
            // A CALL (see `prepare`): the procedure runs as a statement of its own.
            let mut rows = Vec::new();
            let mut emit = |row: &[Datum]| {
                rows.push(row.to_vec());
                Ok(())
            };
            self.session.with_eval_context(params, |ctx| {
                ctx.tables.command_counter_increment();
                tusk_executor::run_query(query, ctx, &mut emit)
            })?;
            return Ok(SqlResult {
                columns: prepared.columns.clone(),
                processed: 0,
                rows,
            });
        }
        let plan = prepared
            .handle
            .downcast_ref::<Arc<Prepared>>()
            .ok_or_else(|| Error::internal("PL/pgSQL statement prepared by another host"))?
            .clone();
        self.run(&plan, params)
    }

    fn execute_dynamic(&mut self, sql: &str, params: &[(Oid, Datum)]) -> Result<SqlResult> {
        let raw = self.one_statement(sql)?;
        let types: Vec<Oid> = params.iter().map(|(t, _)| *t).collect();
        let values: Vec<Datum> = params.iter().map(|(_, v)| v.clone()).collect();
        let prepared = self.session.plan(&raw, sql, types)?;
        self.run(&prepared, &values)
    }

    fn cast(&mut self, value: Datum, from: Oid, to: Oid, typmod: i32) -> Result<Datum> {
        let output = self.session.output.clone();
        let lookup = BuiltinLookup { settings: &output };
        let mut analyzer = Analyzer::new(&lookup, "", vec![from]);
        let param = TypedExpr::Param {
            index: 0,
            type_oid: from,
        };
        match analyzer.coerce(param, to, typmod, CoercionContext::Assignment, usize::MAX) {
            Ok(typed) => {
                let compiled = ExprEvaluator::compile(&typed)?;
                self.session
                    .with_eval_context(&[value], |ctx| compiled.eval(ctx, &[]))
            }
            Err(e)
                if e.code == SqlState::CANNOT_COERCE || e.code == SqlState::DATATYPE_MISMATCH =>
            {
                // PL/pgSQL converts through the text forms where no assignment cast exists.
                let text = io::text_out_string(&value, from, &output)?;
                io::text_in(&text, to, typmod, &output)
            }
            Err(e) => Err(e),
        }
    }

    fn output_text(&mut self, value: &Datum, type_oid: Oid) -> Result<String> {
        io::text_out_string(value, type_oid, &self.session.output)
    }

    fn notice(&mut self, level: NoticeLevel, notice: &Error) {
        let threshold = self.session.config.get_string("client_min_messages");
        let Some(severity) = notice_severity(executor_notice_level(level), &threshold) else {
            return;
        };
        self.sink.notice(severity, notice);
    }

    fn begin_subtransaction(&mut self) -> Result<()> {
        let session = &mut *self.session;
        session.config.at_savepoint();
        session.savepoints.push(String::new());
        session.txn.push_savepoint();
        Ok(())
    }

    fn release_subtransaction(&mut self) -> Result<()> {
        let session = &mut *self.session;
        let at = session
            .savepoints
            .len()
            .checked_sub(1)
            .ok_or_else(|| Error::internal("no PL/pgSQL subtransaction to release"))?;
        session.savepoints.pop();
        session.config.at_release_savepoint();
        session.listen.at_release(at);
        session.deferred_constraints.borrow_mut().at_release(at);
        session.txn.release_to(at);
        Ok(())
    }

    fn rollback_subtransaction(&mut self) -> Result<()> {
        let session = &mut *self.session;
        let at = session
            .savepoints
            .len()
            .checked_sub(1)
            .ok_or_else(|| Error::internal("no PL/pgSQL subtransaction to roll back"))?;
        session.config.at_rollback_to_savepoint();
        session.cursors.at_rollback_to(at);
        session.listen.at_rollback_to(at);
        session
            .deferred_constraints
            .borrow_mut()
            .at_rollback_to(at + 1);
        let cluster = session.db.cluster.clone();
        if session
            .txn
            .rollback_to(at + 1, &cluster.xact, &cluster.pool)?
        {
            session.relcache.borrow_mut().clear();
        }
        session.savepoints.pop();
        session.config.at_release_savepoint();
        session.txn.release_to(at);
        Ok(())
    }

    fn setting(&mut self, name: &str) -> Option<String> {
        Some(self.session.config.get_string(name)).filter(|v| !v.is_empty())
    }

    fn check_interrupts(&mut self) -> Result<()> {
        super::interrupts::check_signals(&self.session.signals, self.session.statement_deadline)
    }
}
