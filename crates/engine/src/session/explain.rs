//! `EXPLAIN` in a session: the explained statement is analysed like any other
//! ([`Session::plan`]), planned with the session's tables, and printed by
//! [`tusk_executor::explain::explain_plan`] as rows of one text column `QUERY PLAN`
//! (command tag `EXPLAIN`). `EXPLAIN ANALYZE` of a query runs it (its rows discarded)
//! with every plan node counting loops, rows and time, prints those after each node and
//! ends with `Planning Time:` and `Execution Time:` unless SUMMARY is off.
//!
//! Entry points: `Session::plan_explain` (Parse), `Session::explain_rows` (Execute).

use std::sync::Arc;

use std::time::{Duration, Instant};

use tusk_executor::explain::{
    explain_modify, explain_plan_analyzed, plan_modify, ExplainAnalyzed, ExplainOptions,
};
use tusk_executor::{plan_query, run_plan_analyzed, AnalyzedRows};
use tusk_sql::ast::{ExplainStmt, RawStatement, Statement};
use tusk_sql::ast_ddl::CreateTableAsStmt;
use tusk_storage::buffer::usage as buffer_usage;
use tusk_types::{BufferUsage, Datum, Error, Oid, Result};

use super::extended::{Plan, Prepared};
use super::Session;

impl Session {
    /// Analyses the statement `EXPLAIN` shows.
    ///
    /// Errors: those of analysing it; 0A000 for ANALYZE of INSERT, UPDATE or DELETE,
    /// which tusk cannot run yet.
    pub(crate) fn plan_explain(
        &mut self,
        explain: &ExplainStmt,
        raw: &RawStatement,
        sql: &str,
        param_types: Vec<Oid>,
    ) -> Result<Arc<Prepared>> {
        let inner = match &explain.statement.stmt {
            // The query of CREATE TABLE AS / CREATE MATERIALIZED VIEW is what is shown.
            Statement::CreateTableAs(ctas) => {
                let raw = tusk_sql::parse(&ctas.query)?
                    .into_iter()
                    .next()
                    .ok_or_else(|| Error::internal("CREATE TABLE AS query did not parse"))?;
                if !matches!(raw.stmt, Statement::Select(_)) {
                    return Err(Error::feature_not_supported(
                        "EXPLAIN of CREATE TABLE AS with a statement other than SELECT",
                    ));
                }
                self.plan(&raw, &ctas.query, param_types).map_err(|mut e| {
                    e.position = None;
                    e
                })?
            }
            _ => self.plan(&explain.statement, sql, param_types)?,
        };
        // EXPLAIN EXECUTE finds its statement when it runs (`explain_execute_rows`).
        let execute = matches!(explain.statement.stmt, Statement::Execute { .. });
        if explain.analyze && !execute && !matches!(inner.plan, Plan::Query(_)) {
            return Err(Error::feature_not_supported(
                "EXPLAIN ANALYZE of INSERT, UPDATE or DELETE",
            ));
        }
        let inner = Arc::try_unwrap(inner).unwrap_or_else(|shared| Prepared {
            sql: shared.sql.clone(),
            raw: shared.raw.clone(),
            param_types: shared.param_types.clone(),
            plan: match &shared.plan {
                Plan::Query(q) => Plan::Query(q.clone()),
                Plan::Modify(m) => Plan::Modify(m.clone()),
                _ => Plan::Utility,
            },
            cache: super::CachedPlan::new(
                shared.cache.relations.clone(),
                shared.cache.epoch,
                shared.cache.search_path.clone(),
                self.checked_as(),
            ),
            relation_uses: shared.relation_uses.clone(),
        });
        Ok(Arc::new(Prepared {
            sql: sql.to_string(),
            raw: raw.clone(),
            param_types: inner.param_types.clone(),
            cache: super::CachedPlan::new(
                inner.cache.relations.clone(),
                inner.cache.epoch,
                inner.cache.search_path.clone(),
                self.checked_as(),
            ),
            relation_uses: inner.relation_uses.clone(),
            plan: Plan::Explain(Box::new(inner), Box::new(explain.clone())),
        }))
    }

    /// `EXPLAIN [ANALYZE] CREATE TABLE AS | CREATE MATERIALIZED VIEW` (PostgreSQL's
    /// `ExplainOneUtility`): an existing relation is 42P07, or with IF NOT EXISTS a
    /// NOTICE and no plan lines. Without ANALYZE the query's plan is shown and nothing is
    /// created; with ANALYZE the query runs (not at all `WITH NO DATA`: its nodes show
    /// `never executed`) and its rows go into the relation then created.
    ///
    /// Errors: 42P07 `relation "x" already exists`; those of the query and the creation.
    pub(crate) fn explain_create_table_as_rows(
        &mut self,
        inner: &Prepared,
        explain: &ExplainStmt,
        ctas: &CreateTableAsStmt,
        params: &[Datum],
        sink: &mut dyn crate::sink::Sink,
    ) -> Result<Vec<Vec<Datum>>> {
        let temp = !ctas.materialized && self.is_temp_creation(ctas.persistence, &ctas.relation)?;
        if self.relation_exists(&ctas.relation, temp)? {
            let e = tusk_types::pg_err!(
                DUPLICATE_TABLE,
                "relation \"{}\" already exists",
                ctas.relation.name
            );
            if !ctas.if_not_exists {
                return Err(e);
            }
            sink.notice(
                crate::sink::NoticeSeverity::Notice,
                &tusk_types::pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" already exists, skipping",
                    ctas.relation.name
                ),
            );
            return Ok(Vec::new());
        }
        if !explain.analyze {
            return self.explain_rows(inner, explain, params, AnalyzedRows::Discard);
        }
        let mut rows = Vec::new();
        let lines = if ctas.with_data {
            self.explain_rows(inner, explain, params, AnalyzedRows::Keep(&mut rows))?
        } else {
            self.explain_rows(inner, explain, params, AnalyzedRows::NotExecuted)?
        };
        self.create_table_as_with(ctas, sink, ctas.with_data.then_some(rows))?;
        Ok(lines)
    }

    /// `EXPLAIN EXECUTE name(args)`: the plan of prepared statement `name` for the
    /// values of `args` (PostgreSQL's custom plan: each `$n` of a query is planned and
    /// shown as its value), one row per line.
    ///
    /// Errors: 26000 `prepared statement "x" does not exist`; 42601 for a wrong number of
    /// arguments; the arguments' evaluation errors; 0A000 for ANALYZE of a statement
    /// other than a query and for statements that have no plan; those of
    /// [`Session::explain_rows`].
    pub(crate) fn explain_execute_rows(
        &mut self,
        name: &str,
        args: &[tusk_sql::ast::Expr],
        explain: &ExplainStmt,
        sql: &str,
        params: &[Datum],
    ) -> Result<Vec<Vec<Datum>>> {
        let prepared = self.prepared_for_execute(name, args.len())?;
        let values = self.eval_execute_params(args, &prepared.param_types, sql, params)?;
        let plan = match &prepared.plan {
            Plan::Query(query) => {
                let custom =
                    tusk_sql::analyze::walk::map_query(query.as_ref().clone(), 0, &mut |e, _| {
                        match e {
                            tusk_sql::analyze::TypedExpr::Param { index, type_oid } => {
                                tusk_sql::analyze::TypedExpr::Const {
                                    value: values.get(index).cloned().unwrap_or(Datum::Null),
                                    type_oid,
                                    typmod: -1,
                                    location: usize::MAX,
                                }
                            }
                            other => other,
                        }
                    });
                Plan::Query(Box::new(custom))
            }
            Plan::Modify(_) if explain.analyze => {
                return Err(Error::feature_not_supported(
                    "EXPLAIN ANALYZE of INSERT, UPDATE or DELETE",
                ))
            }
            Plan::Modify(modify) => Plan::Modify(modify.clone()),
            Plan::Explain(..) => {
                return Err(Error::feature_not_supported(
                    "EXPLAIN EXECUTE of an EXPLAIN",
                ))
            }
            _ => {
                return Err(Error::feature_not_supported(
                    "EXPLAIN EXECUTE of this statement",
                ))
            }
        };
        let custom = Prepared {
            sql: prepared.sql.clone(),
            raw: prepared.raw.clone(),
            param_types: prepared.param_types.clone(),
            plan,
            cache: super::CachedPlan::new(
                prepared.cache.relations.clone(),
                prepared.cache.epoch,
                prepared.cache.search_path.clone(),
                self.checked_as(),
            ),
            relation_uses: prepared.relation_uses.clone(),
        };
        self.explain_rows(
            &custom,
            explain,
            &values,
            tusk_executor::AnalyzedRows::Discard,
        )
    }

    /// The lines of the plan of `inner` (a query), one row each.
    ///
    /// Errors: catalog read errors while planning (index lists).
    pub(crate) fn explain_rows(
        &mut self,
        inner: &Prepared,
        explain: &ExplainStmt,
        params: &[Datum],
        rows: AnalyzedRows<'_>,
    ) -> Result<Vec<Vec<Datum>>> {
        self.start_txn_statement();
        self.note_snapshot();
        let options = ExplainOptions {
            costs: explain.costs,
            verbose: explain.verbose,
        };
        let modifying = match &inner.plan {
            Plan::Query(query) => !query.modifying.is_empty(),
            Plan::Modify(modify) => !modify.modifying.is_empty(),
            _ => false,
        };
        if modifying {
            return Err(Error::feature_not_supported(
                "EXPLAIN of data-modifying statements in WITH",
            ));
        }
        let lines = match &inner.plan {
            Plan::Query(query) => {
                let planning = Instant::now();
                let planning_buffers = buffer_usage::current();
                let plan = self.with_eval_context(params, |ctx| plan_query(query, ctx.tables))?;
                let planning_buffers = buffer_usage::current().since(&planning_buffers);
                let planning = planning.elapsed();
                let probe: Option<fn() -> BufferUsage> = explain
                    .buffers
                    .then_some(buffer_usage::current as fn() -> BufferUsage);
                let run = if explain.analyze {
                    let started = Instant::now();
                    let counters = self.with_eval_context(params, |ctx| {
                        run_plan_analyzed(&plan, ctx, explain.timing, probe, rows)
                    })?;
                    Some((counters, started.elapsed()))
                } else {
                    None
                };
                let reader = self.catalog_reader();
                let relation = |rel: Oid| reader.entry(rel).ok().flatten().map(|e| e.info.clone());
                let analyzed = run
                    .as_ref()
                    .map(|(counters, _)| ExplainAnalyzed { counters });
                let mut lines = explain_plan_analyzed(&plan, &relation, options, analyzed);
                if explain.buffers {
                    // PostgreSQL's `Planning:` group, shown when planning used buffers.
                    if let Some(line) = planning_buffers.explain_text() {
                        lines.push("Planning:".into());
                        lines.push(format!("  {line}"));
                    }
                }
                if explain.summary {
                    lines.push(format!("Planning Time: {}", milliseconds(planning)));
                    if let Some((_, execution)) = &run {
                        lines.push(format!("Execution Time: {}", milliseconds(*execution)));
                    }
                }
                lines
            }
            Plan::Modify(modify) => {
                let plan = self.with_eval_context(params, |ctx| plan_modify(modify, ctx.tables))?;
                let reader = self.catalog_reader();
                let relation = |rel: Oid| reader.entry(rel).ok().flatten().map(|e| e.info.clone());
                explain_modify(modify, &plan, &relation, options)
            }
            _ => return Err(Error::feature_not_supported("EXPLAIN of this statement")),
        };
        Ok(lines
            .into_iter()
            .map(|line| vec![Datum::Text(line)])
            .collect())
    }
}

/// A duration as EXPLAIN prints it: `%.3f ms`.
fn milliseconds(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
