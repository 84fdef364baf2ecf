//! Running statements: the simple-query path (one Query message, perhaps several
//! statements) and the execution shared with the extended protocol.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tusk_executor::{
    io, plan_query, run_modify, run_plan, BuiltinLookup, EvalContext, ExprEvaluator,
};
use tusk_sql::analyze::{Analyzer, CoercionContext, Scope};
use tusk_sql::ast::{
    DiscardTarget, RangeVar, RawStatement, SetArg, SetStmt, Statement, TransactionStmt,
};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::extended::{Plan, Prepared};
use super::interrupts::Interrupts;
use super::lookup::{search_path, LockingLookup, SessionLookup};
use super::tables::SessionTables;
use super::xact::BlockState;
use super::{now_pg_micros, Session};
use crate::guc::{self, flatten_set_args};
use crate::heap::ReadView;
use crate::relcache::CatalogReader;
use crate::sink::{ColumnDesc, NoticeSeverity, Sink};
use crate::transaction::Isolation;

/// Result rows of one execution, already encoded, or streamed to the sink.
pub(crate) enum RowTarget<'a> {
    /// Send every row now.
    Stream(&'a mut dyn Sink),
    /// Collect rows (a portal that may be suspended).
    Collect(&'a mut Vec<Vec<Datum>>),
}

fn relation_error(rv: &RangeVar, sql: &str) -> Error {
    let name = match &rv.schema {
        Some(s) => format!("{s}.{}", rv.name),
        None => rv.name.clone(),
    };
    let e = pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", name);
    if rv.location == usize::MAX {
        e
    } else {
        e.position(tusk_sql::char_position(sql, rv.location))
    }
}

/// Whether a statement ends a transaction block or rolls back to a savepoint (allowed in
/// a failed block).
pub(crate) fn exits_transaction(stmt: &Statement) -> bool {
    matches!(
        stmt,
        Statement::Transaction(
            TransactionStmt::Commit { .. }
                | TransactionStmt::Rollback { .. }
                | TransactionStmt::RollbackTo(_)
        )
    )
}

impl Session {
    /// Runs a simple Query message: every statement in it, in order, in one implicit
    /// transaction unless they manage transactions themselves. Stops at the first error,
    /// which is returned for the server to report (rule 2 already applied).
    pub fn simple_query(&mut self, sql: &str, sink: &mut dyn Sink) -> Result<()> {
        self.report_active(sql);
        let result = self.simple_query_inner(sql, sink);
        if result.is_err() {
            self.abort_after_error();
        }
        self.report_changes(sink);
        result
    }

    fn simple_query_inner(&mut self, sql: &str, sink: &mut dyn Sink) -> Result<()> {
        let statements = self.parse_cached(sql)?;
        if statements.is_empty() {
            sink.empty_query();
            return Ok(());
        }
        let multi = statements.len() > 1;
        self.run_statements(&statements, sql, multi, sink)?;
        if self.copy_in.is_none() {
            self.commit_implicit()?;
        }
        Ok(())
    }

    /// The statements of a query string a client sent, through the backend's parse cache
    /// (same answers and errors as `tusk_sql::parse_with_stack_limit`).
    pub(crate) fn parse_cached(&mut self, sql: &str) -> Result<Vec<RawStatement>> {
        let max_stack_depth_kb = self.config.get_int("max_stack_depth").max(100) as usize;
        self.parse_cache.parse(sql, max_stack_depth_kb)
    }

    /// Runs statements of one query string in order; stops after starting a COPY FROM
    /// STDIN (the rest runs when the data is in: `copy.rs`).
    pub(crate) fn run_statements(
        &mut self,
        statements: &[RawStatement],
        sql: &str,
        multi: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        for (i, raw) in statements.iter().enumerate() {
            self.start_statement();
            self.check_not_failed(exits_transaction(&raw.stmt))?;
            self.ensure_transaction(multi);
            if let Statement::Copy(copy) = &raw.stmt {
                if copy.is_from && copy.filename.is_none() && !copy.is_program {
                    let rest = statements[i + 1..].to_vec();
                    self.copy_from_start(copy, sql, rest, multi, sink)?;
                    return Ok(());
                }
            }
            let prepared = self.plan(raw, sql, Vec::new())?;
            let last = i + 1 == statements.len();
            if last {
                // The implicit transaction commits before the last CommandComplete goes
                // out (PostgreSQL's `finish_xact_command` before `EndCommand`), so an
                // error at commit (a deferred constraint) replaces it.
                let mut held = HoldComplete {
                    inner: &mut *sink,
                    tag: None,
                };
                self.execute_tracked(&prepared, &[], &[], RowTarget::Stream(&mut held), true)?;
                let tag = held.tag.take();
                self.commit_implicit()?;
                if let Some(tag) = tag {
                    sink.command_complete(&tag);
                }
            } else {
                self.execute_tracked(&prepared, &[], &[], RowTarget::Stream(sink), true)?;
                if self.block == BlockState::Implicit {
                    self.commit_implicit()?;
                }
            }
            self.report_changes(sink);
        }
        Ok(())
    }

    /// Statement start: timestamps, a fresh cancel state and the statement_timeout deadline.
    pub(crate) fn start_statement(&mut self) {
        self.refresh_notice_floor();
        let generation = self.db.config_generation();
        if generation != self.config_generation {
            self.config_generation = generation;
            self.apply_reload();
        }
        self.stmt_start = now_pg_micros();
        self.signals.take_cancel();
        let generation = self
            .db
            .cluster
            .xact
            .catalog_generation
            .load(std::sync::atomic::Ordering::Acquire);
        self.relcache.borrow_mut().check_generation(generation);
        let timeout_ms = self.config.get_int("statement_timeout");
        self.statement_deadline =
            (timeout_ms > 0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64));
    }

    /// Catalog reads for this session: a fresh catalog snapshot, the session's cache and
    /// search path.
    pub(crate) fn catalog_reader(&self) -> CatalogReader<'_> {
        let cluster = &self.db.cluster;
        let services = &cluster.xact;
        CatalogReader {
            pool: &cluster.pool,
            clog: &services.clog,
            db: self.db_oid,
            generation: std::cell::Cell::new(
                cluster
                    .xact
                    .catalog_generation
                    .load(std::sync::atomic::Ordering::Acquire),
            ),
            view: std::cell::RefCell::new(ReadView {
                snapshot: self.txn.catalog_snapshot(services),
                xids: self.txn.current_xids(services),
                curcid: self.txn.cid,
            }),
            cache: &self.relcache,
            bypass_cache: false,
            own_changes_cid: self.txn.has_catalog_changes().then_some(self.txn.cid),
            search_path: super::temp_namespace::search_path_with_temp(
                search_path(&self.config.get_string("search_path"), &self.user),
                self.active_temp_namespace().as_deref(),
            ),
            row_security_user: Some((self.user.clone(), self.config.get_bool("row_security"))),
        }
    }

    /// Takes table lock `mode` on `rel` until the transaction ends (waiting for
    /// conflicting holders; cancel, statement timeout and deadlocks end the wait).
    ///
    /// Errors: 40P01, 57014.
    pub(crate) fn lock_relation(&self, rel: Oid, mode: crate::lock::LockMode) -> Result<()> {
        let cluster = &self.db.cluster;
        let deadlock_timeout =
            Duration::from_millis(self.config.get_int("deadlock_timeout").max(1) as u64);
        let signals = &self.signals;
        let deadline = self.statement_deadline;
        cluster.xact.locks.lock(
            self.txn.backend,
            (self.db_oid, rel),
            mode,
            false,
            &|| rel.0.to_string(),
            deadlock_timeout,
            &|b| b as i32,
            &|| super::interrupts::check_signals(signals, deadline),
        )
    }

    /// [`Session::lock_relation`], or with `nowait` PostgreSQL's
    /// `ConditionalLockRelationOid`: 55P03 at once when the lock is taken (`name` names the
    /// relation in that error).
    ///
    /// Errors: 55P03; those of [`Session::lock_relation`].
    pub(crate) fn lock_relation_nowait_if(
        &self,
        rel: Oid,
        mode: crate::lock::LockMode,
        nowait: bool,
        name: &str,
    ) -> Result<()> {
        if !nowait {
            return self.lock_relation(rel, mode);
        }
        self.db.cluster.xact.locks.lock(
            self.txn.backend,
            (self.db_oid, rel),
            mode,
            true,
            &|| name.to_string(),
            Duration::from_secs(1),
            &|b| b as i32,
            &|| Ok(()),
        )
    }

    /// A new catalog snapshot and the catalog generation it goes with.
    pub(crate) fn fresh_catalog_snapshot(&self) -> (tusk_txn::Snapshot, u64) {
        let services = &self.db.cluster.xact;
        let generation = services
            .catalog_generation
            .load(std::sync::atomic::Ordering::Acquire);
        (self.txn.catalog_snapshot(services), generation)
    }

    /// The storage side of statement start: command counter and snapshot.
    pub(crate) fn start_txn_statement(&mut self) {
        let isolation = Isolation::from_setting(&self.config.get_string("transaction_isolation"));
        let cluster = self.db.cluster.clone();
        self.txn.start_statement(&cluster.xact, isolation);
        if let Err(e) = self.refresh_user_types() {
            // The statement's own catalog reads report the failure.
            tracing::warn!("could not read user-defined types: {}", e.message);
        }
    }

    /// Analyses a statement into something executable (and describable).
    pub(crate) fn plan(
        &mut self,
        raw: &RawStatement,
        sql: &str,
        param_types: Vec<Oid>,
    ) -> Result<Arc<Prepared>> {
        self.plan_with_resolver(raw, sql, param_types, None)
    }

    /// [`Session::plan`], with names no column has resolved through `resolver` (PL/pgSQL
    /// variables, SQL function arguments).
    pub(crate) fn plan_with_resolver(
        &mut self,
        raw: &RawStatement,
        sql: &str,
        param_types: Vec<Oid>,
        resolver: Option<&dyn tusk_sql::analyze::ParamResolver>,
    ) -> Result<Arc<Prepared>> {
        if let Statement::Explain(explain) = &raw.stmt {
            return self.plan_explain(explain, raw, sql, param_types);
        }
        self.txn.begin();
        self.refresh_user_types()?;
        let reader = self.catalog_reader();
        let locker = |rel: Oid, mode: crate::lock::LockMode| self.lock_relation(rel, mode);
        let fresh = || self.fresh_catalog_snapshot();
        let lookup = LockingLookup {
            inner: SessionLookup {
                builtin: BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            },
            locker: &locker,
            fresh_snapshot: &fresh,
            locked: Default::default(),
        };
        let mut param_types = param_types;
        let mut relation_uses = Vec::new();
        let analyzer = |types: Vec<Oid>| {
            let analyzer = Analyzer::new(&lookup, sql, types);
            match resolver {
                Some(r) => analyzer.with_param_resolver(r),
                None => analyzer,
            }
        };
        let plan = match &raw.stmt {
            Statement::Select(select) => {
                let mut analyzer = analyzer(param_types.clone());
                let query = analyzer.analyze_select(select)?;
                param_types = analyzer.param_types;
                relation_uses = analyzer.relation_uses;
                Plan::Query(Box::new(query))
            }
            Statement::Show(name) if name == "all" => Plan::ShowAll,
            Statement::Show(name) => Plan::Show(name.clone(), self.config.show_column_name(name)?),
            Statement::Insert(s) => {
                let mut analyzer = analyzer(param_types.clone());
                let query = analyzer.analyze_insert(s)?;
                param_types = analyzer.param_types;
                relation_uses = analyzer.relation_uses;
                Plan::Modify(Box::new(query))
            }
            Statement::Update(s) => {
                let mut analyzer = analyzer(param_types.clone());
                let query = analyzer.analyze_update(s)?;
                param_types = analyzer.param_types;
                relation_uses = analyzer.relation_uses;
                Plan::Modify(Box::new(query))
            }
            Statement::Delete(s) => {
                let mut analyzer = analyzer(param_types.clone());
                let query = analyzer.analyze_delete(s)?;
                param_types = analyzer.param_types;
                relation_uses = analyzer.relation_uses;
                Plan::Modify(Box::new(query))
            }
            Statement::Merge(s) => {
                let mut analyzer = analyzer(param_types.clone());
                let query = analyzer.analyze_merge(s)?;
                param_types = analyzer.param_types;
                relation_uses = analyzer.relation_uses;
                Plan::Modify(Box::new(query))
            }
            Statement::Fetch(fetch) => Plan::Fetch(fetch.clone()),
            Statement::Unsupported {
                tag,
                relation: Some(rv),
            } => {
                // The relation's existence is checked first, as PostgreSQL's parse
                // analysis would; then the statement itself is refused.
                if reader.resolve(rv.schema.as_deref(), &rv.name)?.is_none() {
                    return Err(relation_error(rv, sql));
                }
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("{tag} is not supported yet"),
                ));
            }
            Statement::Unsupported {
                tag,
                relation: None,
            } => {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("{tag} is not supported yet"),
                ))
            }
            _ => Plan::Utility,
        };
        let relations = lookup.locked.take();
        drop(lookup);
        drop(reader);
        let cache = super::CachedPlan::new(
            relations,
            self.relcache.borrow().epoch(),
            self.config.get_string("search_path"),
            self.checked_as(),
        );
        Ok(Arc::new(Prepared {
            sql: sql.to_string(),
            raw: raw.clone(),
            param_types,
            plan,
            cache,
            relation_uses,
        }))
    }

    /// Result columns of a plan, in the given formats (RowDescription).
    pub(crate) fn describe(&self, prepared: &Prepared, formats: &[i16]) -> Option<Vec<ColumnDesc>> {
        let format = |i: usize| match formats {
            [] => 0,
            [one] => *one,
            many => many.get(i).copied().unwrap_or(0),
        };
        let text_column = |name: &str, i: usize| ColumnDesc {
            name: name.to_string(),
            table_oid: Oid::INVALID,
            column: 0,
            type_oid: type_oid::TEXT,
            type_size: -1,
            type_modifier: -1,
            format: format(i),
        };
        match &prepared.plan {
            Plan::Query(q) => Some(
                q.columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ColumnDesc {
                        name: c.name.clone(),
                        table_oid: Oid::INVALID,
                        column: 0,
                        type_oid: c.type_oid,
                        type_size: tusk_catalog_type_len(c.type_oid),
                        type_modifier: c.typmod,
                        format: format(i),
                    })
                    .collect(),
            ),
            Plan::Modify(m) if !m.returning_columns.is_empty() => Some(
                m.returning_columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ColumnDesc {
                        name: c.name.clone(),
                        table_oid: Oid::INVALID,
                        column: 0,
                        type_oid: c.type_oid,
                        type_size: tusk_catalog_type_len(c.type_oid),
                        type_modifier: c.typmod,
                        format: format(i),
                    })
                    .collect(),
            ),
            Plan::Modify(_) => None,
            Plan::Show(_, column) => Some(vec![text_column(column, 0)]),
            Plan::ShowAll => Some(vec![
                text_column("name", 0),
                text_column("setting", 1),
                text_column("description", 2),
            ]),
            Plan::Explain(..) => Some(vec![text_column("QUERY PLAN", 0)]),
            Plan::Fetch(fetch) if !fetch.is_move => {
                let cursor = self.cursors.get(&fetch.name)?;
                Some(
                    cursor
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(i, c)| ColumnDesc {
                            format: if formats.is_empty() && cursor.binary {
                                1
                            } else {
                                format(i)
                            },
                            ..c.clone()
                        })
                        .collect(),
                )
            }
            Plan::Fetch(_) => None,
            Plan::Utility => None,
        }
    }

    /// Executes a planned statement. With `RowTarget::Stream` the RowDescription is sent
    /// first when `send_description` is set (simple query); returns the command tag, after
    /// sending CommandComplete when streaming.
    pub(crate) fn execute(
        &mut self,
        prepared: &Prepared,
        params: &[Datum],
        formats: &[i16],
        mut target: RowTarget<'_>,
        send_description: bool,
    ) -> Result<String> {
        if !prepared.relation_uses.is_empty() {
            self.check_foreign_table_uses(&prepared.relation_uses)?;
            self.check_relation_uses(&prepared.relation_uses)?;
            // Plain EXPLAIN reads no rows (PostgreSQL's EXEC_FLAG_EXPLAIN_ONLY).
            let explain_only = matches!(&prepared.plan, Plan::Explain(_, e) if !e.analyze);
            if !explain_only {
                self.check_relations_scannable(&prepared.relation_uses)?;
            }
        }
        match &prepared.plan {
            Plan::Query(query) => {
                self.start_txn_statement();
                self.note_snapshot();
                let columns = self.describe(prepared, formats).unwrap_or_default();
                let types: Vec<Oid> = query.columns.iter().map(|c| c.type_oid).collect();
                let cacheable = self.plan_cacheable(prepared);
                let generic = &prepared.cache.generic;
                let n = self.with_eval_context(params, |ctx| -> Result<u64> {
                    let output = ctx.output;
                    let made;
                    let plan = match generic.get() {
                        Some(plan) => plan,
                        None => {
                            let plan = plan_query(query, ctx.tables)?;
                            if cacheable {
                                generic.get_or_init(|| plan)
                            } else {
                                made = plan;
                                &made
                            }
                        }
                    };
                    match target {
                        RowTarget::Stream(sink) => {
                            if send_description {
                                sink.row_description(&columns);
                            }
                            let mut encoder = RowEncoder::default();
                            let n = run_plan(plan, ctx, &mut |row| {
                                encoder.encode(row, &types, &columns, output)?;
                                sink.data_row(&encoder.values());
                                Ok(())
                            })?;
                            sink.command_complete(&format!("SELECT {n}"));
                            Ok(n)
                        }
                        RowTarget::Collect(rows) => run_plan(plan, ctx, &mut |row| {
                            rows.push(row.to_vec());
                            Ok(())
                        }),
                    }
                })?;
                Ok(format!("SELECT {n}"))
            }
            Plan::Modify(modify) => {
                self.start_txn_statement();
                self.note_snapshot();
                let columns = self.describe(prepared, formats).unwrap_or_default();
                let types: Vec<Oid> = columns.iter().map(|c| c.type_oid).collect();
                let n = self.with_eval_context(params, |ctx| -> Result<u64> {
                    let output = ctx.output;
                    match target {
                        RowTarget::Stream(sink) => {
                            if send_description && !columns.is_empty() {
                                sink.row_description(&columns);
                            }
                            let mut encoder = RowEncoder::default();
                            let n = run_modify(modify, ctx, &mut |row| {
                                encoder.encode(row, &types, &columns, output)?;
                                sink.data_row(&encoder.values());
                                Ok(())
                            })?;
                            sink.command_complete(&modify.command_tag(n));
                            Ok(n)
                        }
                        RowTarget::Collect(rows) => run_modify(modify, ctx, &mut |row| {
                            rows.push(row.to_vec());
                            Ok(())
                        }),
                    }
                })?;
                Ok(modify.command_tag(n))
            }
            Plan::ShowAll => {
                let rows: Vec<Vec<Datum>> = self
                    .config
                    .show_all()
                    .into_iter()
                    .map(|(n, s, d)| vec![Datum::Text(n), Datum::Text(s), Datum::Text(d)])
                    .collect();
                self.emit_rows(prepared, rows, formats, target, send_description, "SHOW")
            }
            Plan::Show(name, _) => {
                let rows = vec![vec![Datum::Text(self.config.show(name)?)]];
                self.emit_rows(prepared, rows, formats, target, send_description, "SHOW")
            }
            Plan::Explain(inner, explain) => {
                let rows = match &explain.statement.stmt {
                    Statement::CreateTableAs(ctas) => {
                        let mut null_sink = NullSink;
                        let sink: &mut dyn Sink = match &mut target {
                            RowTarget::Stream(sink) => &mut **sink,
                            RowTarget::Collect(_) => &mut null_sink,
                        };
                        self.explain_create_table_as_rows(inner, explain, ctas, params, sink)?
                    }
                    Statement::Execute { name, params: args } => {
                        let sql = prepared.sql.clone();
                        self.explain_execute_rows(name, args, explain, &sql, params)?
                    }
                    _ => self.explain_rows(
                        inner,
                        explain,
                        params,
                        tusk_executor::AnalyzedRows::Discard,
                    )?,
                };
                self.emit_rows(prepared, rows, formats, target, send_description, "EXPLAIN")
            }
            Plan::Fetch(fetch) => {
                let (rows, tag) = self.fetch_rows(fetch)?;
                if fetch.is_move {
                    if let RowTarget::Stream(sink) = target {
                        sink.command_complete(&tag);
                    }
                    return Ok(tag);
                }
                self.emit_rows(prepared, rows, formats, target, send_description, &tag)
            }
            Plan::Utility => {
                let tag =
                    self.utility(&prepared.raw, &prepared.sql, params, target_sink(target))?;
                Ok(tag)
            }
        }
    }

    fn emit_rows(
        &mut self,
        prepared: &Prepared,
        rows: Vec<Vec<Datum>>,
        formats: &[i16],
        target: RowTarget<'_>,
        send_description: bool,
        tag: &str,
    ) -> Result<String> {
        match target {
            RowTarget::Stream(sink) => {
                self.refresh_catalog_names();
                let columns = self.describe(prepared, formats).unwrap_or_default();
                if send_description {
                    sink.row_description(&columns);
                }
                let types: Vec<Oid> = columns.iter().map(|c| c.type_oid).collect();
                let mut encoder = RowEncoder::default();
                for row in &rows {
                    encoder.encode(row, &types, &columns, &self.output)?;
                    sink.data_row(&encoder.values());
                }
                sink.command_complete(tag);
            }
            RowTarget::Collect(out) => out.extend(rows),
        }
        Ok(tag.to_string())
    }

    /// Utility statements; returns the command tag (CommandComplete is sent by the caller
    /// for collected portals, here for streams).
    fn utility(
        &mut self,
        raw: &RawStatement,
        sql: &str,
        params: &[Datum],
        sink: Option<&mut dyn Sink>,
    ) -> Result<String> {
        let mut null_sink = NullSink;
        let (sink, streaming): (&mut dyn Sink, bool) = match sink {
            Some(s) => (s, true),
            None => (&mut null_sink, false),
        };
        let tag = match &raw.stmt {
            Statement::Set(set) => self.set_statement(set, sink)?,
            Statement::Transaction(t) => {
                let start = sql
                    .get(raw.location..)
                    .is_some_and(|s| s.trim_start().to_ascii_uppercase().starts_with("START"));
                self.transaction_statement(t, sink, start)?
            }
            Statement::Prepare {
                name,
                arg_types,
                statement,
            } => {
                if self.prepared.contains_key(name) {
                    return Err(pg_err!(
                        DUPLICATE_PSTATEMENT,
                        "prepared statement \"{}\" already exists",
                        name
                    ));
                }
                let lookup = BuiltinLookup {
                    settings: &self.output,
                };
                let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
                let types = arg_types
                    .iter()
                    .map(|t| analyzer.resolve_type_name(t).map(|(oid, _)| oid))
                    .collect::<Result<Vec<_>>>()?;
                let inner = RawStatement {
                    stmt: statement.stmt.clone(),
                    location: raw.location,
                    len: raw.len,
                };
                let prepared = self.plan(&inner, sql, types)?;
                self.prepared.insert(name.clone(), prepared);
                "PREPARE".into()
            }
            Statement::Execute {
                name,
                params: exprs,
            } => {
                let prepared = self.prepared_for_execute(name, exprs.len())?;
                let values = self.eval_execute_params(exprs, &prepared.param_types, sql, params)?;
                if streaming {
                    return self.execute(&prepared, &values, &[], RowTarget::Stream(sink), true);
                }
                let mut rows = Vec::new();
                return self.execute(
                    &prepared,
                    &values,
                    &[],
                    RowTarget::Collect(&mut rows),
                    false,
                );
            }
            Statement::CreateTable(create) => {
                self.start_txn_statement();
                self.create_table(create, sql, sink)?
            }
            Statement::Drop(drop) => {
                self.start_txn_statement();
                self.drop_statement(drop, sink)?
            }
            Statement::TypeDdl(stmt) => {
                self.start_txn_statement();
                self.type_statement(stmt, sql, sink)?
            }
            Statement::CreateFunction(create) => {
                self.start_txn_statement();
                self.create_function(create, sink)?
            }
            Statement::Trigger(trigger) => {
                self.start_txn_statement();
                self.trigger_statement(trigger, sql, sink)?
            }
            Statement::Policy(policy) => {
                self.start_txn_statement();
                self.policy_statement(policy, sink)?
            }
            Statement::Replication(stmt) => {
                self.start_txn_statement();
                self.replication_statement(stmt, sql, sink)?
            }
            Statement::ForeignData(stmt) => {
                self.start_txn_statement();
                self.foreign_data_statement(stmt, sql, sink)?
            }
            Statement::AlterObject(alter) => {
                self.start_txn_statement();
                self.alter_object(alter)?
            }
            Statement::OpClass(opclass) => {
                self.start_txn_statement();
                self.opclass_statement(opclass, sink)?
            }
            Statement::Cast(cast) => {
                self.start_txn_statement();
                self.cast_statement(cast, sink)?
            }
            Statement::AlterFunction(alter) => {
                self.start_txn_statement();
                self.alter_function(alter)?
            }
            Statement::DropFunction(drop) => {
                self.start_txn_statement();
                self.drop_functions(drop, sink)?
            }
            Statement::CreateAggregate(create) => {
                self.start_txn_statement();
                self.create_aggregate(create, sink)?
            }
            Statement::Call(call) => {
                self.start_txn_statement();
                let tag = self.call_statement(call, sql, sink, streaming)?;
                if streaming {
                    sink.command_complete(&tag);
                }
                return Ok(tag);
            }
            Statement::CreateExtension(create) => {
                self.start_txn_statement();
                self.create_extension(create, sink)?
            }
            Statement::DropExtension(drop) => {
                self.start_txn_statement();
                self.drop_extensions(drop, sink)?
            }
            Statement::AlterExtension(alter) => {
                self.start_txn_statement();
                self.alter_extension(alter, sink)?
            }
            Statement::CreateSchema(create) => {
                self.start_txn_statement();
                self.create_schema(create, sql, sink)?
            }
            Statement::RenameSchema(rename) => {
                self.start_txn_statement();
                self.rename_schema(rename)?
            }
            Statement::CreateView(create) => {
                self.start_txn_statement();
                self.create_view(create, sql, None, sink)?
            }
            Statement::Copy(copy) => {
                if copy.is_from {
                    if copy.filename.is_some() || copy.is_program {
                        self.start_txn_statement();
                        let tag = self.copy_from_file(copy, sql)?;
                        if streaming {
                            sink.command_complete(&tag);
                        }
                        return Ok(tag);
                    }
                    return Err(Error::new(
                        SqlState::FEATURE_NOT_SUPPORTED,
                        "COPY FROM STDIN is supported only in a simple Query message",
                    ));
                }
                self.start_txn_statement();
                self.copy_to(copy, sink)?
            }
            Statement::Lock(lock) => {
                let in_block = matches!(self.block, BlockState::InBlock);
                self.start_txn_statement();
                self.lock_tables(lock, in_block)?
            }
            Statement::CreateTableAs(create) => {
                self.start_txn_statement();
                self.create_table_as(create, sink)?
            }
            Statement::RefreshMatView(refresh) => {
                self.start_txn_statement();
                self.refresh_materialized_view(refresh)?
            }
            Statement::AlterRelationSchema(alter) => {
                self.start_txn_statement();
                self.set_relation_schema(alter, sink)?
            }
            Statement::CreateIndex(create) => {
                self.start_txn_statement();
                self.create_index(create, sink)?
            }
            Statement::AlterTable(alter) => {
                self.start_txn_statement();
                self.alter_table(alter, sql, sink)?
            }
            Statement::Rename(rename) => {
                self.start_txn_statement();
                self.rename_statement(rename, sink)?
            }
            Statement::Comment(comment) => {
                self.start_txn_statement();
                self.comment_statement(comment)?
            }
            Statement::CreateSequence(create) => {
                self.start_txn_statement();
                self.create_sequence(create, sql, sink)?
            }
            Statement::AlterSequence(alter) => {
                self.start_txn_statement();
                self.alter_sequence(alter, sql, sink)?
            }
            Statement::Truncate(truncate) => {
                self.start_txn_statement();
                self.truncate(truncate, sink)?
            }
            Statement::Reindex(reindex) => {
                let in_block = matches!(
                    self.block,
                    BlockState::InBlock | BlockState::ImplicitBlock | BlockState::Failed
                );
                self.start_txn_statement();
                self.reindex(reindex, in_block, sink)?
            }
            Statement::Vacuum(vacuum) => {
                let in_block = matches!(
                    self.block,
                    BlockState::InBlock | BlockState::ImplicitBlock | BlockState::Failed
                );
                self.start_txn_statement();
                self.vacuum(vacuum, in_block, sink)?
            }
            Statement::Do { code, language } => {
                self.start_txn_statement();
                self.do_statement(code, language.as_deref(), sink)?
            }
            Statement::Load(file) => {
                super::c_language::load_library(file, self.superuser)?;
                "LOAD".into()
            }
            Statement::Checkpoint => {
                if !self.superuser {
                    return Err(pg_err!(
                        INSUFFICIENT_PRIVILEGE,
                        "must be superuser to do CHECKPOINT"
                    ));
                }
                let log = self.db.config.read().bool("log_checkpoints");
                self.db
                    .cluster
                    .checkpoint(crate::cluster::CheckpointReason::Immediate, log)?;
                "CHECKPOINT".into()
            }
            Statement::Deallocate(None) => {
                self.prepared.clear();
                "DEALLOCATE ALL".into()
            }
            Statement::Deallocate(Some(name)) => {
                if self.prepared.remove(name).is_none() {
                    return Err(pg_err!(
                        UNDEFINED_PSTATEMENT,
                        "prepared statement \"{}\" does not exist",
                        name
                    ));
                }
                "DEALLOCATE".into()
            }
            Statement::DeclareCursor(declare) => self.declare_cursor(declare, sql, params)?,
            Statement::CloseCursor(name) => self.close_cursor(name.as_deref())?,
            Statement::Role(stmt) => {
                self.start_txn_statement();
                self.role_statement(stmt, sink)?
            }
            Statement::Database(stmt) => self.database_statement(stmt, sink)?,
            Statement::Grant(stmt) => {
                self.start_txn_statement();
                self.grant_statement(stmt, sink)?
            }
            Statement::Listen(stmt) => self.listen_statement(stmt)?,
            Statement::SetConstraints { names, deferred } => {
                self.set_constraints(names.as_deref(), *deferred, sink)?
            }
            Statement::Discard(target) => match target {
                DiscardTarget::All => {
                    if matches!(
                        self.block,
                        BlockState::InBlock | BlockState::ImplicitBlock | BlockState::Failed
                    ) {
                        return Err(pg_err!(
                            ACTIVE_SQL_TRANSACTION,
                            "DISCARD ALL cannot run inside a transaction block"
                        ));
                    }
                    // PostgreSQL's DISCARD ALL: SET SESSION AUTHORIZATION DEFAULT first.
                    self.set_session_authorization(None)?;
                    self.config.reset_all();
                    self.prepared.clear();
                    self.portals.clear();
                    self.cursors.clear();
                    self.unlisten_all();
                    self.discard_temp()?;
                    "DISCARD ALL".into()
                }
                DiscardTarget::Plans => "DISCARD PLANS".into(),
                DiscardTarget::Sequences => "DISCARD SEQUENCES".into(),
                DiscardTarget::Temp => {
                    self.discard_temp()?;
                    "DISCARD TEMP".into()
                }
            },
            other => {
                return Err(Error::internal(format!(
                    "statement reached utility execution: {other:?}"
                )))
            }
        };
        if streaming {
            sink.command_complete(&tag);
        }
        Ok(tag)
    }

    /// Prepared statement `name`, revalidated, for an EXECUTE with `args` arguments.
    ///
    /// Errors: 26000 `prepared statement "x" does not exist`; 42601 `wrong number of
    /// parameters for prepared statement "x"` with PostgreSQL's DETAIL; revalidation's.
    pub(super) fn prepared_for_execute(
        &mut self,
        name: &str,
        args: usize,
    ) -> Result<Arc<Prepared>> {
        let prepared = self.prepared.get(name).cloned().ok_or_else(|| {
            pg_err!(
                UNDEFINED_PSTATEMENT,
                "prepared statement \"{}\" does not exist",
                name
            )
        })?;
        if args != prepared.param_types.len() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "wrong number of parameters for prepared statement \"{}\"",
                name
            )
            .detail(format!(
                "Expected {} parameters but got {}.",
                prepared.param_types.len(),
                args
            )));
        }
        self.revalidate_named(name, &prepared)
    }

    pub(super) fn eval_execute_params(
        &mut self,
        exprs: &[tusk_sql::ast::Expr],
        types: &[Oid],
        sql: &str,
        outer: &[Datum],
    ) -> Result<Vec<Datum>> {
        let lookup = BuiltinLookup {
            settings: &self.output,
        };
        let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
        let mut compiled = Vec::with_capacity(exprs.len());
        for (e, t) in exprs.iter().zip(types) {
            let typed = analyzer.analyze_expr(e, &Scope::default())?;
            let typed =
                analyzer.coerce(typed, *t, -1, CoercionContext::Assignment, e.location())?;
            compiled.push(ExprEvaluator::compile(&typed)?);
        }
        self.with_eval_context(outer, |ctx| {
            compiled.iter().map(|c| c.eval(ctx, &[])).collect()
        })
    }

    /// Runs `f` with an evaluation context over this session: settings, interrupts,
    /// timestamps, identity and the bound parameters.
    pub(super) fn with_eval_context<R>(
        &mut self,
        params: &[Datum],
        f: impl FnOnce(&mut EvalContext<'_>) -> R,
    ) -> R {
        // A COPY FREEZE's table, for this context only (never left behind by a panic).
        let frozen_inserts = self.copy_freeze.take();
        let cluster = self.db.cluster.clone();
        let services = &cluster.xact;
        let catalog = CatalogReader {
            pool: &cluster.pool,
            clog: &services.clog,
            db: self.db_oid,
            generation: std::cell::Cell::new(
                cluster
                    .xact
                    .catalog_generation
                    .load(std::sync::atomic::Ordering::Acquire),
            ),
            view: std::cell::RefCell::new(ReadView {
                snapshot: self.txn.catalog_snapshot(services),
                xids: self.txn.current_xids(services),
                curcid: self.txn.cid,
            }),
            cache: &self.relcache,
            bypass_cache: false,
            own_changes_cid: self.txn.has_catalog_changes().then_some(self.txn.cid),
            search_path: super::temp_namespace::search_path_with_temp(
                search_path(&self.config.get_string("search_path"), &self.user),
                self.active_temp_namespace().as_deref(),
            ),
            row_security_user: Some((self.user.clone(), self.config.get_bool("row_security"))),
        };
        self.output.catalog_names = Some(tusk_executor::CatalogNamesRef(Arc::new(
            super::catalog_names::Names(super::catalog_names::SessionCatalogNames::new(
                cluster.clone(),
                &catalog,
            )),
        )));
        let view = ReadView {
            snapshot: self.txn.snapshot(services).clone(),
            xids: self.txn.current_xids(services),
            curcid: self.txn.cid,
        };
        let signals = self.signals.clone();
        let deadline = self.statement_deadline;
        let check = move || super::interrupts::check_signals(&signals, deadline);
        let deadlock_timeout =
            Duration::from_millis(self.config.get_int("deadlock_timeout").max(1) as u64);
        let read_only = self.config.get_string("transaction_read_only") == "on";
        let pid_of = |backend: u32| backend as i32;
        let lock_signals = self.signals.clone();
        let (backend, db_oid) = (self.txn.backend, self.db_oid);
        let locker = |rel: Oid, mode: crate::lock::LockMode| {
            cluster.xact.locks.lock(
                backend,
                (db_oid, rel),
                mode,
                false,
                &|| rel.0.to_string(),
                deadlock_timeout,
                &|b| b as i32,
                &|| super::interrupts::check_signals(&lock_signals, deadline),
            )
        };
        let tables = SessionTables {
            cluster: &cluster,
            catalog,
            txn: std::cell::RefCell::new(&mut self.txn),
            view: std::cell::RefCell::new(view),
            deadlock_timeout,
            check_interrupts: &check,
            read_only,
            pid_of: &pid_of,
            locker: &locker,
            output: &self.output,
            indexes: Default::default(),
            foreign_keys: Default::default(),
            deferred: &self.deferred_constraints,
            partition_descs: Default::default(),
            frozen_inserts,
        };
        let mut interrupts = Interrupts {
            config: &mut self.config,
            signals: &self.signals,
            deadline: self.statement_deadline,
            superuser: self.superuser,
            sequences: Some(super::interrupts::SequenceAccess {
                cluster: &cluster,
                catalog: &tables.catalog,
                values: &mut self.seq_values,
                last: &mut self.last_seq,
                read_only,
                checked_user: (!self.superuser).then_some(self.user.as_str()),
            }),
            database: Some(&self.db),
            database_oid: self.db_oid,
            sql_functions: Default::default(),
            notices: &mut self.function_notices,
            notify: Some(super::interrupts::NotifyAccess {
                state: &mut self.listen,
                depth: self.savepoints.len(),
                pid: self.pid,
                hub: &self.db.notify,
            }),
            connection_addresses: self.connection_addresses,
        };
        let mut ctx = EvalContext {
            modifying_ctes: Default::default(),
            session: &mut interrupts,
            output: &self.output,
            statement_start: self.stmt_start,
            transaction_start: self.xact_start,
            current_user: &self.user,
            session_user: &self.auth.session_user,
            database: &self.database,
            backend_pid: self.pid,
            params,
            tables: &tables,
        };
        f(&mut ctx)
    }

    fn set_statement(&mut self, set: &SetStmt, sink: &mut dyn Sink) -> Result<String> {
        let in_block = matches!(self.block, BlockState::InBlock);
        let local_warning = |sink: &mut dyn Sink| {
            sink.notice(
                NoticeSeverity::Warning,
                &Error::new(
                    SqlState::NO_ACTIVE_SQL_TRANSACTION,
                    "SET LOCAL can only be used in transaction blocks",
                ),
            )
        };
        match set {
            SetStmt::Value { name, values, .. }
                if name == "session_authorization" || name == "role" =>
            {
                let value = match values.first() {
                    Some(SetArg::String(s)) | Some(SetArg::Number(s)) => s.clone(),
                    None => String::new(),
                };
                if name == "role" {
                    let role = (value != "none").then_some(value.as_str());
                    self.set_role(role)?;
                } else {
                    self.set_session_authorization(Some(&value))?;
                }
                if let SetStmt::Value { local: true, .. } = set {
                    self.save_identity(true);
                }
                Ok("SET".into())
            }
            SetStmt::Default { name, .. } | SetStmt::Reset(name)
                if name == "session_authorization" || name == "role" =>
            {
                if name == "role" {
                    self.set_role(None)?;
                } else {
                    self.set_session_authorization(None)?;
                }
                Ok(if matches!(set, SetStmt::Reset(_)) {
                    "RESET"
                } else {
                    "SET"
                }
                .into())
            }
            SetStmt::Value {
                name,
                values,
                local,
            } => {
                let args: Vec<guc::SetArg<'_>> = values
                    .iter()
                    .map(|v| match v {
                        SetArg::String(s) => guc::SetArg::String(s),
                        SetArg::Number(n) => guc::SetArg::Number(n),
                    })
                    .collect();
                let value = flatten_set_args(name, &args)?;
                if *local && !in_block {
                    local_warning(sink);
                    // Validate all the same, as PostgreSQL does.
                }
                self.check_transaction_mode_change(name, &value)?;
                self.config
                    .set(name, Some(&value), *local, self.superuser)?;
                Ok("SET".into())
            }
            SetStmt::Default { name, local } => {
                if *local && !in_block {
                    local_warning(sink);
                }
                self.config.set(name, None, *local, self.superuser)?;
                Ok("SET".into())
            }
            SetStmt::FromCurrent { .. } => Ok("SET".into()),
            SetStmt::Transaction {
                session: true,
                options,
            } => {
                self.set_session_characteristics(options)?;
                Ok("SET".into())
            }
            SetStmt::Transaction {
                session: false,
                options,
            } => {
                self.set_transaction(options, sink)?;
                Ok("SET".into())
            }
            SetStmt::Reset(name) => {
                self.config.reset(name, self.superuser)?;
                Ok("RESET".into())
            }
            SetStmt::ResetAll => {
                self.config.reset_all();
                Ok("RESET".into())
            }
        }
    }
}

fn target_sink(target: RowTarget<'_>) -> Option<&mut dyn Sink> {
    match target {
        RowTarget::Stream(sink) => Some(sink),
        RowTarget::Collect(_) => None,
    }
}

fn tusk_catalog_type_len(oid: Oid) -> i16 {
    match oid {
        type_oid::BOOL | type_oid::CHAR => 1,
        type_oid::INT2 => 2,
        type_oid::INT4
        | type_oid::OID
        | type_oid::FLOAT4
        | type_oid::DATE
        | type_oid::REGTYPE
        | type_oid::REGPROC
        | type_oid::REGCLASS
        | type_oid::VOID => 4,
        type_oid::INT8
        | type_oid::FLOAT8
        | type_oid::TIMESTAMP
        | type_oid::TIMESTAMPTZ
        | type_oid::TIME
        | type_oid::MONEY
        | type_oid::MACADDR8 => 8,
        type_oid::INTERVAL | type_oid::UUID | type_oid::POINT => 16,
        type_oid::LINE | type_oid::CIRCLE => 24,
        type_oid::LSEG | type_oid::BOX => 32,
        type_oid::MACADDR => 6,
        type_oid::TIMETZ => 12,
        type_oid::NAME => 64,
        _ => -1,
    }
}

/// Passes a statement's output through but keeps its CommandComplete back, to be sent
/// after the implicit transaction's commit.
struct HoldComplete<'s> {
    inner: &'s mut dyn Sink,
    tag: Option<String>,
}

impl Sink for HoldComplete<'_> {
    fn row_description(&mut self, columns: &[ColumnDesc]) {
        self.inner.row_description(columns)
    }
    fn data_row(&mut self, values: &[Option<&[u8]>]) {
        self.inner.data_row(values)
    }
    fn command_complete(&mut self, tag: &str) {
        self.tag = Some(tag.to_string());
    }
    fn empty_query(&mut self) {
        self.inner.empty_query()
    }
    fn notice(&mut self, severity: NoticeSeverity, notice: &Error) {
        self.inner.notice(severity, notice)
    }
    fn parameter_status(&mut self, name: &str, value: &str) {
        self.inner.parameter_status(name, value)
    }
    fn copy_in_response(&mut self, format: i8, columns: usize) {
        self.inner.copy_in_response(format, columns)
    }
    fn copy_out_response(&mut self, format: i8, columns: usize) {
        self.inner.copy_out_response(format, columns)
    }
    fn copy_data(&mut self, data: &[u8]) {
        self.inner.copy_data(data)
    }
    fn copy_done(&mut self) {
        self.inner.copy_done()
    }
}

/// Swallows messages of a statement whose output is collected instead of sent.
pub(crate) struct NullSink;

impl Sink for NullSink {
    fn row_description(&mut self, _: &[ColumnDesc]) {}
    fn data_row(&mut self, _: &[Option<&[u8]>]) {}
    fn command_complete(&mut self, _: &str) {}
    fn empty_query(&mut self) {}
    fn notice(&mut self, _: NoticeSeverity, _: &Error) {}
    fn parameter_status(&mut self, _: &str, _: &str) {}
}

/// Encodes rows into one reusable buffer (no allocation per value).
#[derive(Default)]
pub(crate) struct RowEncoder {
    buf: Vec<u8>,
    spans: Vec<Option<(usize, usize)>>,
}

impl RowEncoder {
    /// Encodes `row` per column format (0 text, 1 binary).
    pub(crate) fn encode(
        &mut self,
        row: &[Datum],
        types: &[Oid],
        columns: &[ColumnDesc],
        output: &tusk_executor::OutputSettings,
    ) -> Result<()> {
        self.buf.clear();
        self.spans.clear();
        for (i, value) in row.iter().enumerate() {
            if value.is_null() {
                self.spans.push(None);
                continue;
            }
            let start = self.buf.len();
            let t = types.get(i).copied().unwrap_or(type_oid::TEXT);
            if columns.get(i).is_some_and(|c| c.format == 1) {
                crate::user_types::binary_send(value, t, output, &mut self.buf)?;
            } else {
                io::text_out(value, t, output, &mut self.buf)?;
            }
            self.spans.push(Some((start, self.buf.len())));
        }
        Ok(())
    }

    /// The encoded values of the last row.
    pub(crate) fn values(&self) -> Vec<Option<&[u8]>> {
        self.spans
            .iter()
            .map(|s| s.map(|(a, b)| &self.buf[a..b]))
            .collect()
    }
}
