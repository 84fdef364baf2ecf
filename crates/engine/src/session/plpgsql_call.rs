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
//!    set's rows one value each, or the columns of a composite element type. Output
//!    parameters (OUT, INOUT, RETURNS TABLE) start NULL; their final values are the
//!    result: the one value of a function with one, else a record of them (always a
//!    record for a procedure); RETURN NEXT without a value adds a row of them.
//!
//! Entry point: [`prepare_plpgsql`].

use std::rc::Rc;
use std::sync::Arc;

use tusk_executor::sql_function::{
    FunctionResult, FunctionStatement, ProceduralFunction, SqlFunction,
};
use tusk_executor::{io, EvalContext, ExprEvaluator};
use tusk_plpgsql::{
    ArgMode, CompiledFunction, FunctionHeader, Host, NoticeLevel, PreparedSql, SqlResult,
};
use tusk_sql::analyze::{Analyzer, CatalogLookup, CoercionContext, ParamResolver, TypedExpr};
use tusk_sql::ast::Statement;
use tusk_types::adt::record::{RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::function_catalog::UserFunction;
use super::lookup::SessionLookup;

/// A PL/pgSQL function ready to call.
#[derive(Debug)]
struct PlPgsqlFunction {
    compiled: CompiledFunction,
    /// Every parameter's type, and whether the call passes its value (OUT ones start
    /// NULL).
    params: Vec<(Oid, bool)>,
    /// Returns one value of a composite type: the call's row is its fields (no row
    /// for NULL).
    composite_value: bool,
}

/// Parses `function`'s body for calls from the statement now running (rules 4, 5).
///
/// Errors: 42601 for a body that does not parse; 42804 for RETURN with a value where
/// the result is OUT parameters or a set.
pub(crate) fn prepare_plpgsql(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
) -> Result<SqlFunction> {
    let compiled = compile(catalog, function)?;
    let result = result_shape(catalog, function);
    Ok(SqlFunction {
        name: function.name.clone(),
        statements: Vec::new(),
        strict: function.strict,
        retset: function.retset,
        procedural: Some(Arc::new(PlPgsqlFunction {
            compiled,
            composite_value: matches!(result, FunctionResult::Record(_))
                && !function.retset
                && function.out_columns().is_empty(),
            params: function
                .all_args()
                .into_iter()
                .map(|(mode, _, t)| (t, !matches!(mode, b'o' | b't')))
                .collect(),
        })),
        result,
    })
}

/// How one call's result is shaped (rule 4): a record of the output parameters when a
/// procedure has any or a function has several (or declares `RETURNS record`), the
/// columns of a composite type for sets of it, else one value.
fn result_shape(catalog: &dyn CatalogLookup, function: &UserFunction) -> FunctionResult {
    let out = function.out_columns();
    let record = |type_oid: Oid, fields: Vec<(String, Oid, i32)>| {
        FunctionResult::Record(Arc::new(RecordDesc {
            type_oid,
            fields: fields
                .into_iter()
                .map(|(name, type_oid, typmod)| RecordField {
                    name,
                    type_oid,
                    typmod,
                })
                .collect(),
        }))
    };
    let out_fields = || out.iter().map(|(n, t)| (n.clone(), *t, -1)).collect();
    if function.kind == b'p' {
        return if out.is_empty() {
            FunctionResult::Void
        } else {
            record(type_oid::RECORD, out_fields())
        };
    }
    if function.ret_type == type_oid::VOID {
        return FunctionResult::Void;
    }
    if out.len() > 1 || (function.ret_type == type_oid::RECORD && !out.is_empty()) {
        return record(type_oid::RECORD, out_fields());
    }
    if out.is_empty() {
        if let Some(fields) = catalog
            .type_info(function.ret_type)
            .filter(|t| t.typtype == b'c')
            .and_then(|_| catalog.composite_fields(function.ret_type))
        {
            return record(function.ret_type, fields);
        }
    }
    FunctionResult::Value
}

/// Parses `function`'s body for its parameters and result type.
///
/// Errors: 42601 with the parser's message; 42804 and 42601 for RETURN with a value
/// where none may be given.
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
    let result_columns = match result_shape(catalog, function) {
        FunctionResult::Record(desc) if function.retset || function.out_columns().is_empty() => {
            desc.fields.iter().map(|f| (f.type_oid, f.typmod)).collect()
        }
        _ => Vec::new(),
    };
    let header = FunctionHeader {
        params: function
            .all_args()
            .into_iter()
            .map(|(mode, name, _)| (name, ArgMode::from_letter(mode)))
            .collect(),
        result_type: function.ret_type,
        result_type_name: &result_type_name,
        returns_set: function.retset,
        procedure: function.kind == b'p',
        result_columns,
        signature: &signature,
    };
    CompiledFunction::compile(&function.src, &header)
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

/// Whether `sql` is a `CALL` statement (PL/pgSQL's CALL statement passes it as written).
pub(crate) fn is_call(sql: &str) -> bool {
    let head = sql.trim_start();
    head.len() > 4
        && head[..4].eq_ignore_ascii_case("call")
        && head[4..].starts_with(|c: char| c.is_whitespace())
}

/// Analyses PL/pgSQL's `CALL procedure(args)` as `SELECT procedure(args)` (one column:
/// the record of the output parameters); with the output parameters' names and the
/// variables (parameter indexes) passed for them.
///
/// Errors: syntax and analysis errors; 42809 `f(integer) is not a procedure` (HINT `To
/// call a function, use SELECT.`).
#[allow(clippy::type_complexity)]
pub(crate) fn analyze_call(
    catalog: &crate::relcache::CatalogReader<'_>,
    output: &tusk_executor::OutputSettings,
    sql: &str,
    param_types: &[Oid],
    resolver: &dyn ParamResolver,
) -> Result<(FunctionStatement, Vec<(String, Option<usize>)>)> {
    let lookup = SessionLookup {
        builtin: tusk_executor::BuiltinLookup { settings: output },
        catalog,
    };
    let head = sql.trim_start();
    let select = format!("SELECT {}", &head[4..]);
    let raw = super::plpgsql_host::parse_one_statement(&select)?;
    let Statement::Select(s) = &raw.stmt else {
        return Err(pg_err!(SYNTAX_ERROR, "syntax error at or near \"CALL\""));
    };
    let mut analyzer = Analyzer::new(&lookup, &select, param_types.to_vec())
        .with_param_resolver(resolver)
        .allowing_procedures();
    let query = analyzer.analyze_select(s)?;
    let Some(TypedExpr::Func { proc, args, .. }) = query.targets.first() else {
        return Err(Error::internal("CALL without a procedure call"));
    };
    let function = super::function_catalog::user_function(catalog, *proc)?;
    let mut outputs = Vec::new();
    if let Some(f) = function {
        if f.kind != b'p' {
            let types: Vec<String> = f.arg_types.iter().map(|t| lookup.format_type(*t)).collect();
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "{}({}) is not a procedure",
                f.name,
                types.join(", ")
            )
            .hint("To call a function, use SELECT."));
        }
        let mut position = 0;
        for (mode, name, _) in f.all_args() {
            let arg = match mode {
                b'o' | b't' => None,
                _ => {
                    position += 1;
                    args.get(position - 1)
                }
            };
            if matches!(mode, b'o' | b'b' | b't') {
                let target = match arg {
                    Some(TypedExpr::Param { index, .. }) => Some(*index),
                    _ => None,
                };
                outputs.push((name, target));
            }
        }
    }
    Ok((FunctionStatement::Query(Box::new(query)), outputs))
}

impl ProceduralFunction for PlPgsqlFunction {
    fn call(&self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Vec<Vec<Datum>>> {
        let mut inputs = args.iter();
        let args: Vec<(Oid, Datum)> = self
            .params
            .iter()
            .map(|&(t, input)| {
                let value = if input {
                    inputs.next().cloned().unwrap_or(Datum::Null)
                } else {
                    Datum::Null
                };
                (t, value)
            })
            .collect();
        let mut host = StatementHost {
            ctx,
            subtransactions: Vec::new(),
        };
        Ok(match self.compiled.call(&mut host, &args)? {
            tusk_plpgsql::FunctionResult::Value(Datum::Record(r)) if self.composite_value => {
                vec![r.values]
            }
            tusk_plpgsql::FunctionResult::Value(Datum::Null) if self.composite_value => Vec::new(),
            tusk_plpgsql::FunctionResult::Value(v) => vec![vec![v]],
            tusk_plpgsql::FunctionResult::Row(values) => vec![values],
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
        let (statement, call_outputs) = if is_call(sql) {
            self.ctx
                .session
                .analyze_call(sql, param_types, resolver, self.ctx.output)?
        } else {
            let statement =
                self.ctx
                    .session
                    .analyze_statement(sql, param_types, resolver, self.ctx.output)?;
            (statement, Vec::new())
        };
        Ok(PreparedSql {
            columns: columns_of(&statement),
            modifies: matches!(statement, FunctionStatement::Modify(_)),
            handle: Rc::new(statement),
            call_outputs,
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
        let inout = prepare_plpgsql(
            &lookup,
            &function("begin x := x * 2; end", false, vec![b'b']),
        )
        .expect("INOUT accepted");
        assert_eq!(inout.result, FunctionResult::Value);
        let err = prepare_plpgsql(&lookup, &function("begin return x; end", false, vec![b'b']))
            .expect_err("RETURN with a value refused");
        assert_eq!(err.code, SqlState::DATATYPE_MISMATCH);
    }
}
