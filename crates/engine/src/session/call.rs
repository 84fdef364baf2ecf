//! `CALL procedure(args)` (PostgreSQL's `ExecuteCallStmt`): the call is analysed as an
//! expression that may name a procedure, and runs as one statement of the transaction.
//!
//! Rules:
//! 1. CALL of a function is 42809 `f(integer) is not a procedure` (HINT `To call a
//!    function, use SELECT.`).
//! 2. A procedure without OUT or INOUT arguments returns no rows: the tag is `CALL`.
//! 3. A procedure with OUT or INOUT arguments returns one row of them (the record its
//!    body produced), as psql shows it.
//! 4. COMMIT and ROLLBACK inside procedures are not supported (0A000).
//!
//! Entry point: [`Session::call_statement`].

use tusk_executor::ExprEvaluator;
use tusk_sql::analyze::{Analyzer, Scope, TypedExpr};
use tusk_sql::ast_function::CallStmt;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::lookup::SessionLookup;
use super::statement::RowEncoder;
use super::Session;
use crate::sink::{ColumnDesc, Sink};

impl Session {
    /// Runs `CALL`; returns the command tag `CALL` and, when `streaming`, sends the
    /// row of OUT arguments (rule 3) and CommandComplete to `sink`.
    ///
    /// Errors: 42883 when no procedure matches; 42809 for a function (rule 1); what the
    /// procedure raises.
    pub(crate) fn call_statement(
        &mut self,
        call: &CallStmt,
        sql: &str,
        sink: &mut dyn Sink,
        streaming: bool,
    ) -> Result<String> {
        let typed = {
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            let mut analyzer = Analyzer::new(&lookup, sql, Vec::new()).allowing_procedures();
            analyzer.analyze_expr(&call.call, &Scope::default())?
        };
        let proc = match &typed {
            TypedExpr::Func { proc, .. } => Some(*proc),
            _ => None,
        };
        if let Some(proc) = proc {
            let reader = self.catalog_reader();
            if let Some(f) = super::function_catalog::user_function(&reader, proc)? {
                if f.kind != b'p' {
                    let lookup = SessionLookup {
                        builtin: tusk_executor::BuiltinLookup {
                            settings: &self.output,
                        },
                        catalog: &reader,
                    };
                    let types: Vec<String> = f
                        .arg_types
                        .iter()
                        .map(|t| tusk_sql::analyze::CatalogLookup::format_type(&lookup, *t))
                        .collect();
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "{}({}) is not a procedure",
                        f.name,
                        types.join(", ")
                    )
                    .hint("To call a function, use SELECT."));
                }
            }
        }
        let compiled = ExprEvaluator::compile(&typed)?;
        let value = self.with_eval_context(&[], |ctx| compiled.eval(ctx, &[]))?;
        if let Datum::Record(record) = value {
            if streaming {
                let columns: Vec<ColumnDesc> = record
                    .desc
                    .fields
                    .iter()
                    .map(|f| ColumnDesc {
                        name: f.name.clone(),
                        table_oid: Oid::INVALID,
                        column: 0,
                        type_oid: f.type_oid,
                        type_size: -1,
                        type_modifier: f.typmod,
                        format: 0,
                    })
                    .collect();
                sink.row_description(&columns);
                let types: Vec<Oid> = columns.iter().map(|c| c.type_oid).collect();
                let mut encoder = RowEncoder::default();
                encoder.encode(&record.values, &types, &columns, &self.output)?;
                sink.data_row(&encoder.values());
            }
        }
        Ok("CALL".into())
    }
}
