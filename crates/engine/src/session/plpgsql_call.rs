//! Calls of `LANGUAGE plpgsql` functions from inside a running statement: the function
//! is parsed once per calling statement ([`prepare_plpgsql`], cached with the SQL
//! functions in `Interrupts::sql_functions`), and each call runs the interpreter with a
//! [`tusk_plpgsql::Host`] over the calling statement's [`EvalContext`].
//!
//! Rules:
//! 1. Embedded SQL (SELECT, INSERT, UPDATE, DELETE) is analysed against the session's
//!    catalog (`SessionContext::analyze_statement`) and runs through the executor with
//!    the calling statement's table access, each as a new command (it sees the
//!    function's earlier writes: `TableAccess::command_counter_increment`).
//! 2. Statements other than SELECT, INSERT, UPDATE and DELETE are refused (0A000): the
//!    session is busy with the calling statement and cannot run utility commands.
//! 3. An EXCEPTION block's body is a subtransaction of the calling statement's
//!    transaction (`TableAccess::begin_subtransaction`): an error handled by it rolls the
//!    body's writes back, the rest of the statement goes on.
//! 4. Results: a scalar's value, a composite or record result as one record value; a
//!    set's rows one value each.
//! 5. Functions with OUT or INOUT arguments or RETURNS TABLE, and sets of composite
//!    values, are refused (0A000).
//!
//! Entry point: [`prepare_plpgsql`].

use std::rc::Rc;
use std::sync::Arc;

use tusk_executor::sql_function::{
    FunctionResult, FunctionStatement, ProceduralFunction, SqlFunction,
};
use tusk_executor::{io, EvalContext, ExprEvaluator};
use tusk_plpgsql::{CompiledFunction, Host, NoticeLevel, PreparedSql, SqlResult};
use tusk_sql::analyze::{Analyzer, CatalogLookup, CoercionContext, ParamResolver, TypedExpr};
use tusk_sql::ast::Statement;
use tusk_types::adt::record::RecordField;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::function_catalog::UserFunction;
use super::lookup::SessionLookup;

/// A PL/pgSQL function ready to call.
#[derive(Debug)]
struct PlPgsqlFunction {
    compiled: CompiledFunction,
    arg_types: Vec<Oid>,
}

/// Parses `function`'s body for calls from the statement now running (rules 4, 5).
///
/// Errors: 42601 for a body that does not parse; 0A000 for OUT/INOUT arguments.
pub(crate) fn prepare_plpgsql(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
) -> Result<SqlFunction> {
    if function
        .arg_modes
        .iter()
        .any(|m| matches!(m, b'o' | b'b' | b't'))
    {
        return Err(Error::feature_not_supported(
            "PL/pgSQL functions with OUT or INOUT arguments",
        ));
    }
    let composite = function.ret_type == type_oid::RECORD
        || catalog
            .type_info(function.ret_type)
            .is_some_and(|t| t.typtype == b'c');
    if function.retset && composite {
        return Err(Error::feature_not_supported(
            "PL/pgSQL functions returning sets of composite types",
        ));
    }
    let compiled = compile(catalog, function)?;
    Ok(SqlFunction {
        name: function.name.clone(),
        statements: Vec::new(),
        strict: function.strict,
        retset: function.retset,
        result: if function.ret_type == type_oid::VOID {
            FunctionResult::Void
        } else {
            FunctionResult::Value
        },
        procedural: Some(Arc::new(PlPgsqlFunction {
            compiled,
            arg_types: function.arg_types.clone(),
        })),
    })
}

/// Parses `function`'s body for its input arguments and result type.
///
/// Errors: 42601 with the parser's message.
pub(crate) fn compile(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
) -> Result<CompiledFunction> {
    let arg_list: Vec<String> = function
        .arg_types
        .iter()
        .map(|t| catalog.format_type(*t))
        .collect();
    let signature = format!("{}({})", function.name, arg_list.join(","));
    let result_type_name = catalog.format_type(function.ret_type);
    CompiledFunction::compile(
        &function.src,
        &function.input_names(),
        &result_type_name,
        function.ret_type,
        function.retset,
        &signature,
    )
}

/// Analyses one embedded SQL statement of a PL/pgSQL function (rules 1, 2).
///
/// Errors: syntax and analysis errors; 42601 for several statements; 0A000 for
/// statements other than SELECT, INSERT, UPDATE and DELETE.
pub(crate) fn analyze_embedded(
    catalog: &crate::relcache::CatalogReader<'_>,
    output: &tusk_executor::OutputSettings,
    sql: &str,
    param_types: &[Oid],
    resolver: &dyn ParamResolver,
) -> Result<FunctionStatement> {
    let lookup = SessionLookup {
        builtin: tusk_executor::BuiltinLookup { settings: output },
        catalog,
    };
    let raw = super::plpgsql_host::parse_one_statement(sql)?;
    let mut analyzer =
        Analyzer::new(&lookup, sql, param_types.to_vec()).with_param_resolver(resolver);
    Ok(match &raw.stmt {
        Statement::Select(s) => FunctionStatement::Query(Box::new(analyzer.analyze_select(s)?)),
        Statement::Insert(s) => FunctionStatement::Modify(Box::new(analyzer.analyze_insert(s)?)),
        Statement::Update(s) => FunctionStatement::Modify(Box::new(analyzer.analyze_update(s)?)),
        Statement::Delete(s) => FunctionStatement::Modify(Box::new(analyzer.analyze_delete(s)?)),
        Statement::Merge(s) => FunctionStatement::Modify(Box::new(analyzer.analyze_merge(s)?)),
        Statement::Transaction(_) => {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "transaction control statements are not supported in PL/pgSQL"
            ))
        }
        _ => {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "utility statements in PL/pgSQL functions called from a query are not supported"
            ))
        }
    })
}

impl ProceduralFunction for PlPgsqlFunction {
    fn call(&self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Vec<Vec<Datum>>> {
        let args: Vec<(Oid, Datum)> = self
            .arg_types
            .iter()
            .copied()
            .zip(args.iter().cloned())
            .collect();
        let mut host = StatementHost {
            ctx,
            subtransactions: Vec::new(),
        };
        Ok(match self.compiled.call(&mut host, &args)? {
            tusk_plpgsql::FunctionResult::Value(v) => vec![vec![v]],
            tusk_plpgsql::FunctionResult::Rows(rows) => rows,
        })
    }

    fn call_trigger(
        &self,
        ctx: &mut EvalContext<'_>,
        call: &tusk_executor::trigger::TriggerCall<'_>,
    ) -> Result<Datum> {
        let data = tusk_plpgsql::TriggerData {
            new: call.new.clone().unwrap_or(Datum::Null),
            old: call.old.clone().unwrap_or(Datum::Null),
            name: call.trigger.name.clone(),
            when: call.when.to_string(),
            level: call.level.to_string(),
            op: call.event.name().to_string(),
            relid: call.relid,
            table_name: call.relname.to_string(),
            table_schema: call.schema.to_string(),
            args: call.trigger.args.clone(),
        };
        let mut host = StatementHost {
            ctx,
            subtransactions: Vec::new(),
        };
        self.compiled.call_trigger(&mut host, &data)
    }
}

/// The calling statement's context as PL/pgSQL's host.
struct StatementHost<'c, 'a> {
    ctx: &'c mut EvalContext<'a>,
    /// Open EXCEPTION blocks (rule 3): each one's subtransaction depth.
    subtransactions: Vec<usize>,
}

fn columns_of(statement: &FunctionStatement) -> Vec<RecordField> {
    let columns = match statement {
        FunctionStatement::Query(q) => &q.columns,
        FunctionStatement::Modify(m) => &m.returning_columns,
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

/// Resolves no name: EXECUTE's string sees only `$n`.
struct NoNames;

impl ParamResolver for NoNames {
    fn resolve(&self, _fields: &[String]) -> Option<TypedExpr> {
        None
    }
}

impl StatementHost<'_, '_> {
    fn run(&mut self, statement: &FunctionStatement, params: &[Datum]) -> Result<SqlResult> {
        self.ctx.tables.command_counter_increment();
        let mut rows = Vec::new();
        let mut inner = self.ctx.with_params(params);
        let mut emit = |row: &[Datum]| {
            rows.push(row.to_vec());
            Ok(())
        };
        let processed = match statement {
            FunctionStatement::Query(q) => tusk_executor::run_query(q, &mut inner, &mut emit)?,
            FunctionStatement::Modify(m) => tusk_executor::run_modify(m, &mut inner, &mut emit)?,
        };
        Ok(SqlResult {
            columns: columns_of(statement),
            rows,
            processed,
        })
    }
}

impl Host for StatementHost<'_, '_> {
    fn prepare(
        &mut self,
        sql: &str,
        param_types: &[Oid],
        resolver: &dyn ParamResolver,
    ) -> Result<PreparedSql> {
        let statement =
            self.ctx
                .session
                .analyze_statement(sql, param_types, resolver, self.ctx.output)?;
        Ok(PreparedSql {
            columns: columns_of(&statement),
            modifies: matches!(statement, FunctionStatement::Modify(_)),
            handle: Rc::new(statement),
        })
    }

    fn execute(&mut self, prepared: &PreparedSql, params: &[Datum]) -> Result<SqlResult> {
        let statement = prepared
            .handle
            .downcast_ref::<FunctionStatement>()
            .ok_or_else(|| Error::internal("PL/pgSQL statement prepared by another host"))?;
        self.run(statement, params)
    }

    fn execute_dynamic(&mut self, sql: &str, params: &[(Oid, Datum)]) -> Result<SqlResult> {
        let types: Vec<Oid> = params.iter().map(|(t, _)| *t).collect();
        let values: Vec<Datum> = params.iter().map(|(_, v)| v.clone()).collect();
        let statement =
            self.ctx
                .session
                .analyze_statement(sql, &types, &NoNames, self.ctx.output)?;
        self.run(&statement, &values)
    }

    fn cast(&mut self, value: Datum, from: Oid, to: Oid, typmod: i32) -> Result<Datum> {
        let output = self.ctx.output;
        let lookup = tusk_executor::BuiltinLookup { settings: output };
        let mut analyzer = Analyzer::new(&lookup, "", vec![from]);
        let param = TypedExpr::Param {
            index: 0,
            type_oid: from,
        };
        match analyzer.coerce(param, to, typmod, CoercionContext::Assignment, usize::MAX) {
            Ok(typed) => {
                let compiled = ExprEvaluator::compile(&typed)?;
                let params = [value];
                let mut inner = self.ctx.with_params(&params);
                compiled.eval(&mut inner, &[])
            }
            Err(e)
                if e.code == SqlState::CANNOT_COERCE || e.code == SqlState::DATATYPE_MISMATCH =>
            {
                // PL/pgSQL converts through the text forms where no assignment cast exists.
                let text = io::text_out_string(&value, from, output)?;
                io::text_in(&text, to, typmod, output)
            }
            Err(e) => Err(e),
        }
    }

    fn output_text(&mut self, value: &Datum, type_oid: Oid) -> Result<String> {
        io::text_out_string(value, type_oid, self.ctx.output)
    }

    fn notice(&mut self, level: NoticeLevel, notice: &Error) {
        let level = super::plpgsql_host::executor_notice_level(level);
        self.ctx.session.notice(level, notice);
    }

    fn begin_subtransaction(&mut self) -> Result<()> {
        let depth = self.ctx.tables.begin_subtransaction()?;
        self.subtransactions.push(depth);
        Ok(())
    }

    fn release_subtransaction(&mut self) -> Result<()> {
        let depth = self
            .subtransactions
            .pop()
            .ok_or_else(|| Error::internal("no PL/pgSQL subtransaction to release"))?;
        self.ctx.tables.end_subtransaction(depth, true)
    }

    fn rollback_subtransaction(&mut self) -> Result<()> {
        let depth = self
            .subtransactions
            .pop()
            .ok_or_else(|| Error::internal("no PL/pgSQL subtransaction to roll back"))?;
        self.ctx.tables.end_subtransaction(depth, false)
    }

    fn setting(&mut self, name: &str) -> Option<String> {
        self.ctx
            .session
            .setting(name)
            .ok()
            .filter(|v| !v.is_empty())
    }

    fn check_interrupts(&mut self) -> Result<()> {
        self.ctx.session.check_interrupts()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::function_catalog::LANG_PLPGSQL;
    use tusk_executor::{BuiltinLookup, OutputSettings};

    fn function(src: &str, retset: bool, arg_modes: Vec<u8>) -> UserFunction {
        UserFunction {
            oid: Oid(16500),
            name: "f".into(),
            namespace: Oid(2200),
            kind: b'f',
            language: LANG_PLPGSQL,
            arg_types: vec![type_oid::INT4],
            all_arg_types: Vec::new(),
            arg_modes,
            arg_names: vec!["x".into()],
            ret_type: type_oid::INT4,
            retset,
            strict: false,
            volatility: b'v',
            variadic: Oid::INVALID,
            src: src.into(),
            bin: None,
            sql_body: None,
            defaults: None,
        }
    }

    #[test]
    fn bodies_parse_for_their_arguments_and_result() {
        let output = OutputSettings::default();
        let lookup = BuiltinLookup { settings: &output };
        let next = "begin return next x; end";
        assert!(compile(&lookup, &function(next, true, Vec::new())).is_ok());
        let err = compile(&lookup, &function(next, false, Vec::new())).expect_err("not SETOF");
        assert_eq!(err.code, SqlState::SYNTAX_ERROR);
        assert!(compile(
            &lookup,
            &function("begin x := x + 1; return x; end", false, Vec::new())
        )
        .is_ok());
        let err = compile(&lookup, &function("begin retur; end", false, Vec::new()))
            .expect_err("bad syntax");
        assert_eq!(err.code, SqlState::SYNTAX_ERROR);
    }

    #[test]
    fn calls_are_prepared_once_with_their_shape() {
        let output = OutputSettings::default();
        let lookup = BuiltinLookup { settings: &output };
        let prepared =
            prepare_plpgsql(&lookup, &function("begin return x; end", false, Vec::new()))
                .expect("prepared");
        assert!(prepared.procedural.is_some());
        assert!(prepared.statements.is_empty());
        assert_eq!(prepared.result, FunctionResult::Value);
        let err = prepare_plpgsql(&lookup, &function("begin end", false, vec![b'b']))
            .expect_err("INOUT refused");
        assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED);
    }
}
