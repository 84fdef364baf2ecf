//! A host without tables for the interpreter's unit tests: SELECTs analysed against the
//! built-in catalog and run by the executor; notices collected; subtransactions counted.

use std::rc::Rc;

use tusk_executor::{
    run_query, BuiltinLookup, EvalContext, ExprEvaluator, NoTables, OutputSettings, SessionContext,
};
use tusk_sql::analyze::{Analyzer, CoercionContext, ParamResolver, Query, TypedExpr};
use tusk_sql::ast::Statement;
use tusk_types::adt::record::RecordField;
use tusk_types::{Datum, Error, Oid, Result};

use crate::{Host, NoticeLevel, PreparedSql, SqlResult};

struct NoSession;

impl SessionContext for NoSession {
    fn setting(&self, name: &str) -> Result<String> {
        Err(Error::internal(format!("no setting {name}")))
    }
    fn set_setting(&mut self, _: &str, value: &str, _: bool) -> Result<String> {
        Ok(value.to_string())
    }
    fn check_interrupts(&self) -> Result<()> {
        Ok(())
    }
    fn sleep(&self, _: u64) -> Result<()> {
        Ok(())
    }
    fn clock_now(&self) -> i64 {
        0
    }
}

/// The test host.
#[derive(Default)]
pub(crate) struct TestHost {
    settings: OutputSettings,
    /// Notices sent: level and message.
    pub(crate) notices: Vec<(NoticeLevel, String)>,
    /// Subtransactions started, released, rolled back.
    pub(crate) subtransactions: (usize, usize, usize),
    /// Statements analysed (to observe the per-call-site cache).
    pub(crate) prepared: usize,
    /// Configuration parameters set: name and value.
    pub(crate) settings_set: Vec<(String, String)>,
}

impl TestHost {
    fn analyze(
        &self,
        sql: &str,
        param_types: &[Oid],
        resolver: Option<&dyn ParamResolver>,
    ) -> Result<Query> {
        let raw = tusk_sql::parse(sql)?.pop().expect("one statement");
        let Statement::Select(select) = raw.stmt else {
            return Err(Error::feature_not_supported("test host runs SELECT only"));
        };
        let lookup = BuiltinLookup {
            settings: &self.settings,
        };
        let mut analyzer = Analyzer::new(&lookup, sql, param_types.to_vec());
        match resolver {
            Some(r) => analyzer.with_param_resolver(r).analyze_select(&select),
            None => analyzer.analyze_select(&select),
        }
    }

    fn with_context<R>(&self, params: &[Datum], f: impl FnOnce(&mut EvalContext<'_>) -> R) -> R {
        let mut session = NoSession;
        let mut ctx = EvalContext {
            modifying_ctes: Default::default(),
            session: &mut session,
            output: &self.settings,
            statement_start: 0,
            transaction_start: 0,
            current_user: "postgres",
            session_user: "postgres",
            database: "postgres",
            backend_pid: 1,
            params,
            tables: &NoTables,
        };
        f(&mut ctx)
    }

    fn run(&self, query: &Query, params: &[Datum]) -> Result<SqlResult> {
        let mut rows = Vec::new();
        let n = self.with_context(params, |ctx| {
            run_query(query, ctx, &mut |row| {
                rows.push(row.to_vec());
                Ok(())
            })
        })?;
        Ok(SqlResult {
            columns: columns(query),
            rows,
            processed: n,
        })
    }
}

fn columns(query: &Query) -> Vec<RecordField> {
    query.record_fields()
}

impl Host for TestHost {
    fn prepare(
        &mut self,
        sql: &str,
        param_types: &[Oid],
        resolver: &dyn ParamResolver,
    ) -> Result<PreparedSql> {
        self.prepared += 1;
        let query = self.analyze(sql, param_types, Some(resolver))?;
        Ok(PreparedSql {
            columns: columns(&query),
            modifies: false,
            call_outputs: Vec::new(),
            handle: Rc::new(query),
        })
    }

    fn execute(&mut self, prepared: &PreparedSql, params: &[Datum]) -> Result<SqlResult> {
        let query = prepared
            .handle
            .downcast_ref::<Query>()
            .expect("prepared by this host");
        self.run(query, params)
    }

    fn execute_dynamic(&mut self, sql: &str, params: &[(Oid, Datum)]) -> Result<SqlResult> {
        let types: Vec<Oid> = params.iter().map(|(t, _)| *t).collect();
        let values: Vec<Datum> = params.iter().map(|(_, v)| v.clone()).collect();
        let query = self.analyze(sql, &types, None)?;
        self.run(&query, &values)
    }

    fn cast(&mut self, value: Datum, from: Oid, to: Oid, typmod: i32) -> Result<Datum> {
        let lookup = BuiltinLookup {
            settings: &self.settings,
        };
        let mut analyzer = Analyzer::new(&lookup, "", vec![from]);
        let param = TypedExpr::Param {
            index: 0,
            type_oid: from,
        };
        match analyzer.coerce(param, to, typmod, CoercionContext::Assignment, usize::MAX) {
            Ok(typed) => {
                let compiled = ExprEvaluator::compile(&typed)?;
                self.with_context(&[value], |ctx| compiled.eval(ctx, &[]))
            }
            Err(_) => {
                let text = tusk_executor::io::text_out_string(&value, from, &self.settings)?;
                tusk_executor::io::text_in(&text, to, typmod, &self.settings)
            }
        }
    }

    fn output_text(&mut self, value: &Datum, type_oid: Oid) -> Result<String> {
        tusk_executor::io::text_out_string(value, type_oid, &self.settings)
    }

    fn notice(&mut self, level: NoticeLevel, notice: &Error) {
        self.notices.push((level, notice.message.clone()));
    }

    fn begin_subtransaction(&mut self) -> Result<()> {
        self.subtransactions.0 += 1;
        Ok(())
    }

    fn release_subtransaction(&mut self) -> Result<()> {
        self.subtransactions.1 += 1;
        Ok(())
    }

    fn rollback_subtransaction(&mut self) -> Result<()> {
        self.subtransactions.2 += 1;
        Ok(())
    }

    fn setting(&mut self, name: &str) -> Option<String> {
        self.settings_set
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn check_interrupts(&mut self) -> Result<()> {
        Ok(())
    }
}
