//! `EXPLAIN` in a session: the explained statement is analysed like any other
//! ([`Session::plan`]), planned with the session's tables, and printed by
//! [`tusk_executor::explain::explain_plan`] as rows of one text column `QUERY PLAN`
//! (command tag `EXPLAIN`).
//!
//! Entry points: `Session::plan_explain` (Parse), `Session::explain_rows` (Execute).

use std::sync::Arc;

use tusk_executor::explain::{explain_plan, ExplainOptions};
use tusk_executor::plan_query;
use tusk_sql::ast::{ExplainStmt, RawStatement};
use tusk_types::{Datum, Error, Oid, Result};

use super::extended::{Plan, Prepared};
use super::Session;

impl Session {
    /// Analyses the statement `EXPLAIN` shows.
    ///
    /// Errors: those of analysing it; 0A000 for ANALYZE and for INSERT, UPDATE and
    /// DELETE, which tusk cannot explain yet.
    pub(crate) fn plan_explain(
        &mut self,
        explain: &ExplainStmt,
        raw: &RawStatement,
        sql: &str,
        param_types: Vec<Oid>,
    ) -> Result<Arc<Prepared>> {
        if explain.analyze {
            return Err(Error::feature_not_supported("EXPLAIN ANALYZE"));
        }
        let inner = self.plan(&explain.statement, sql, param_types)?;
        if !matches!(inner.plan, Plan::Query(_)) {
            return Err(Error::feature_not_supported(
                "EXPLAIN of INSERT, UPDATE or DELETE",
            ));
        }
        let inner = Arc::try_unwrap(inner).unwrap_or_else(|shared| Prepared {
            sql: shared.sql.clone(),
            raw: shared.raw.clone(),
            param_types: shared.param_types.clone(),
            plan: match &shared.plan {
                Plan::Query(q) => Plan::Query(q.clone()),
                _ => Plan::Utility,
            },
        });
        Ok(Arc::new(Prepared {
            sql: sql.to_string(),
            raw: raw.clone(),
            param_types: inner.param_types.clone(),
            plan: Plan::Explain(Box::new(inner), Box::new(explain.clone())),
        }))
    }

    /// The lines of the plan of `inner` (a query), one row each.
    ///
    /// Errors: catalog read errors while planning (index lists).
    pub(crate) fn explain_rows(
        &mut self,
        inner: &Prepared,
        explain: &ExplainStmt,
        params: &[Datum],
    ) -> Result<Vec<Vec<Datum>>> {
        let Plan::Query(query) = &inner.plan else {
            return Err(Error::feature_not_supported(
                "EXPLAIN of INSERT, UPDATE or DELETE",
            ));
        };
        self.start_txn_statement();
        self.note_snapshot();
        let plan = self.with_eval_context(params, |ctx| plan_query(query, ctx.tables))?;
        let reader = self.catalog_reader();
        let relation = |rel: Oid| {
            reader
                .entry(rel)
                .ok()
                .flatten()
                .map(|entry| entry.info.clone())
        };
        let options = ExplainOptions {
            costs: explain.costs,
        };
        Ok(explain_plan(&plan, &relation, options)
            .into_iter()
            .map(|line| vec![Datum::Text(line)])
            .collect())
    }
}
