//! PL/pgSQL, PostgreSQL's procedural language: `DO` blocks and the bodies of
//! `LANGUAGE plpgsql` functions.
//!
//! ```text
//!  source ──parse (pg_query's PL/pgSQL grammar, JSON)──▶ ast::Function
//!         ──exec::Interpreter──▶ statements run one by one; every embedded
//!           expression or query is SQL run by the Host with the variables as parameters
//! ```
//!
//! The interpreter never touches tables itself: the [`Host`] (the engine's session)
//! analyses SQL with a [`ParamResolver`] that turns variable names into parameters
//! (`$varno`), executes it, converts values between types, sends notices, and brackets
//! EXCEPTION blocks in subtransactions.
//!
//! Entry points: [`execute_do`], [`execute_function`]; [`parse_do`]/[`parse_function`]
//! for syntax checks; trigger functions (`NEW`, `OLD`, `TG_*`) run through
//! [`CompiledFunction::call_trigger`].
//!
//! See also: `ast` (the tree), `parse` (JSON conversion), `exec` (statements), `raise`
//! (RAISE, condition names).

pub mod ast;
mod exec;
mod parse;
mod raise;
#[cfg(test)]
mod test_host;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod trigger_tests;

use std::any::Any;
use std::rc::Rc;

pub use exec::FunctionResult;
pub use parse::{parse_do, parse_function};
pub use tusk_sql::analyze::ParamResolver;
use tusk_types::adt::record::RecordField;
use tusk_types::{pg_err, Datum, Error, Oid, Result};

/// A statement analysed by the host, reusable for later executions with other values.
#[derive(Clone)]
pub struct PreparedSql {
    /// The host's own plan.
    pub handle: Rc<dyn Any>,
    /// Result columns (empty for statements without rows: INSERT without RETURNING,
    /// utility statements).
    pub columns: Vec<RecordField>,
    /// INSERT, UPDATE or DELETE (PL/pgSQL's `mod_stmt`: INTO then wants one row).
    pub modifies: bool,
    /// For `CALL`: the procedure's output parameters in order, each with the variable
    /// (parameter index) its argument is, `None` when the argument is no variable. The
    /// statement's one result column is then the record of their values.
    pub call_outputs: Vec<(String, Option<usize>)>,
}

/// What one execution produced.
#[derive(Clone, Debug, Default)]
pub struct SqlResult {
    /// Result columns.
    pub columns: Vec<RecordField>,
    /// Result rows (RETURNING rows for INSERT/UPDATE/DELETE).
    pub rows: Vec<Vec<Datum>>,
    /// Rows processed (selected, inserted, updated, deleted): `ROW_COUNT`.
    pub processed: u64,
}

/// Notice levels RAISE sends below EXCEPTION.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    /// DEBUG.
    Debug,
    /// LOG.
    Log,
    /// INFO.
    Info,
    /// NOTICE.
    Notice,
    /// WARNING.
    Warning,
}

/// What the interpreter needs from the database session running it.
pub trait Host {
    /// Analyses one SQL statement. `param_types` are the types of `$1..$n` (a function's
    /// arguments); other names no column has are resolved through `resolver`, whose
    /// parameter indexes address the `params` given to [`Host::execute`].
    ///
    /// Errors: the analyzer's (42703, 42601, 42P01, ...).
    fn prepare(
        &mut self,
        sql: &str,
        param_types: &[Oid],
        resolver: &dyn ParamResolver,
    ) -> Result<PreparedSql>;

    /// Executes a prepared statement as a statement of the running transaction (a new
    /// command id: it sees earlier statements' changes).
    ///
    /// Errors: any execution error.
    fn execute(&mut self, prepared: &PreparedSql, params: &[Datum]) -> Result<SqlResult>;

    /// Runs `sql` (EXECUTE's string) once with `$n` bound to `params` (type, value).
    ///
    /// Errors: syntax, analysis and execution errors.
    fn execute_dynamic(&mut self, sql: &str, params: &[(Oid, Datum)]) -> Result<SqlResult>;

    /// Converts `value` of type `from` to `to` (with `typmod`, -1 if none) as PL/pgSQL
    /// assigns: an assignment cast, else through the types' text forms.
    ///
    /// Errors: 42846 when no conversion exists; the input function's errors.
    fn cast(&mut self, value: Datum, from: Oid, to: Oid, typmod: i32) -> Result<Datum>;

    /// The text form of `value` (the type's output function), for RAISE.
    ///
    /// Errors: output function errors.
    fn output_text(&mut self, value: &Datum, type_oid: Oid) -> Result<String>;

    /// Sends a RAISE notice below EXCEPTION to the client (if its level passes
    /// `client_min_messages`).
    fn notice(&mut self, level: NoticeLevel, notice: &Error);

    /// Starts a subtransaction (an EXCEPTION block's body).
    ///
    /// Errors: 25P02 and the like when no transaction can take one.
    fn begin_subtransaction(&mut self) -> Result<()>;

    /// Ends the innermost subtransaction, keeping its changes.
    ///
    /// Errors: internal errors.
    fn release_subtransaction(&mut self) -> Result<()>;

    /// Rolls the innermost subtransaction back and ends it.
    ///
    /// Errors: commit-log I/O errors.
    fn rollback_subtransaction(&mut self) -> Result<()>;

    /// A configuration parameter's current value (`plpgsql.extra_warnings`), `None` if
    /// it has none.
    fn setting(&mut self, name: &str) -> Option<String>;

    /// Checks for cancel requests and statement timeout (called once per loop iteration).
    ///
    /// Errors: 57014.
    fn check_interrupts(&mut self) -> Result<()>;
}

/// How a parameter passes values (`pg_proc.proargmodes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgMode {
    /// `IN` (and `VARIADIC`): a value in.
    In,
    /// `OUT` and `RETURNS TABLE` columns: a variable starting NULL whose final value
    /// is (part of) the result.
    Out,
    /// `INOUT`: both.
    InOut,
}

impl ArgMode {
    /// The mode of a `proargmodes` letter (`i`, `o`, `b`, `v`, `t`).
    pub fn from_letter(letter: u8) -> ArgMode {
        match letter {
            b'o' | b't' => ArgMode::Out,
            b'b' => ArgMode::InOut,
            _ => ArgMode::In,
        }
    }

    /// OUT or INOUT.
    pub fn is_output(self) -> bool {
        self != ArgMode::In
    }
}

/// One argument of a function call.
#[derive(Clone, Debug)]
pub struct FunctionArg {
    /// Its name (empty if unnamed: only `$n` reaches it).
    pub name: String,
    /// How it passes values (an OUT argument's `value` is ignored: it starts NULL).
    pub mode: ArgMode,
    /// Its type.
    pub type_oid: Oid,
    /// Its value.
    pub value: Datum,
}

/// What [`CompiledFunction::compile`] needs to know of a function besides its body.
#[derive(Clone, Debug)]
pub struct FunctionHeader<'a> {
    /// Every parameter in order (name, empty if unnamed; mode), OUT ones included.
    pub params: Vec<(String, ArgMode)>,
    /// The declared result type (`void` for procedures without output parameters).
    pub result_type: Oid,
    /// The result type's name as SQL writes it (without SETOF).
    pub result_type_name: &'a str,
    /// `RETURNS SETOF` (or `RETURNS TABLE`).
    pub returns_set: bool,
    /// A procedure (`CREATE PROCEDURE`): its output parameters form one row even when
    /// there is only one.
    pub procedure: bool,
    /// The columns (type, typmod) of a composite result, which RETURN NEXT and RETURN
    /// QUERY rows are converted to; empty otherwise.
    pub result_columns: Vec<(Oid, i32)>,
    /// The name CONTEXT lines show: `f(integer)`.
    pub signature: &'a str,
}

/// A call of a `LANGUAGE plpgsql` function.
#[derive(Clone, Debug)]
pub struct FunctionCall<'a> {
    /// The name CONTEXT lines show: `f(integer)` (`inline_code_block` for DO).
    pub signature: &'a str,
    /// `pg_proc.prosrc`.
    pub source: &'a str,
    /// Arguments in order.
    pub args: Vec<FunctionArg>,
    /// The declared result type (`void` for procedures-like functions); for a composite
    /// or `record` result, RETURN takes a row.
    pub result_type: Oid,
    /// The result type's name as SQL writes it (`integer`, `setof record` excluded), for
    /// the function header the grammar needs.
    pub result_type_name: &'a str,
    /// `RETURNS SETOF`: RETURN NEXT / RETURN QUERY collect rows.
    pub returns_set: bool,
}

/// What a trigger function sees besides its body (PostgreSQL's special variables).
#[derive(Clone, Debug)]
pub struct TriggerData {
    /// `NEW`: a record, NULL where PostgreSQL leaves it unassigned (statement level,
    /// DELETE).
    pub new: Datum,
    /// `OLD`: a record, NULL for statement level and INSERT.
    pub old: Datum,
    /// `TG_NAME`.
    pub name: String,
    /// `TG_WHEN`: `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub when: String,
    /// `TG_LEVEL`: `ROW` or `STATEMENT`.
    pub level: String,
    /// `TG_OP`: `INSERT`, `UPDATE`, `DELETE` or `TRUNCATE`.
    pub op: String,
    /// `TG_RELID`.
    pub relid: Oid,
    /// `TG_RELNAME` and `TG_TABLE_NAME`.
    pub table_name: String,
    /// `TG_TABLE_SCHEMA`.
    pub table_schema: String,
    /// `TG_ARGV` (`TG_NARGS` is its length).
    pub args: Vec<String>,
}

/// Runs a `DO` block's code (`inline_code_block`).
///
/// Errors: 42601 syntax errors; any error the block raises or leaves uncaught, with a
/// CONTEXT line `PL/pgSQL function inline_code_block line N at <statement>`.
pub fn execute_do(host: &mut dyn Host, code: &str) -> Result<()> {
    let function = parse_do(code)?;
    exec::Interpreter::new(&function, "inline_code_block", type_oid_void(), false)
        .run(host, &[])
        .map(|_| ())
}

/// Calls a `LANGUAGE plpgsql` function: parses its source, binds the arguments and runs
/// the body (callers calling a function repeatedly use [`CompiledFunction`] instead).
///
/// Errors: 42601 syntax errors; 2F005 when control reaches the end without RETURN (a
/// non-void, non-set function); any error the body raises, with PL/pgSQL CONTEXT lines.
pub fn execute_function(host: &mut dyn Host, call: &FunctionCall<'_>) -> Result<FunctionResult> {
    let header = FunctionHeader {
        params: call.args.iter().map(|a| (a.name.clone(), a.mode)).collect(),
        result_type: call.result_type,
        result_type_name: call.result_type_name,
        returns_set: call.returns_set,
        procedure: false,
        result_columns: Vec::new(),
        signature: call.signature,
    };
    let compiled = CompiledFunction::compile(call.source, &header)?;
    let args: Vec<(Oid, Datum)> = call
        .args
        .iter()
        .map(|a| {
            let value = if a.mode == ArgMode::Out {
                Datum::Null
            } else {
                a.value.clone()
            };
            (a.type_oid, value)
        })
        .collect();
    compiled.call(host, &args)
}

/// A `LANGUAGE plpgsql` function parsed once (per statement that calls it), called any
/// number of times.
#[derive(Clone, Debug)]
pub struct CompiledFunction {
    function: ast::Function,
    signature: String,
    result_type: Oid,
    returns_set: bool,
}

/// The first `RETURN expr` / `RETURN NEXT expr` (`next`) in `stmts`, depth first.
fn returns_with_value(stmts: &[ast::Stmt], next: bool) -> bool {
    use ast::StmtKind;
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Return(Some(_)) => !next,
        StmtKind::ReturnNext(Some(_)) => next,
        StmtKind::Block(b) => {
            returns_with_value(&b.body, next)
                || b.handlers
                    .as_ref()
                    .is_some_and(|h| h.handlers.iter().any(|h| returns_with_value(&h.body, next)))
        }
        StmtKind::If {
            branches,
            otherwise,
        } => {
            branches.iter().any(|(_, b)| returns_with_value(b, next))
                || returns_with_value(otherwise, next)
        }
        StmtKind::Case {
            whens, otherwise, ..
        } => {
            whens.iter().any(|(_, b)| returns_with_value(b, next))
                || otherwise
                    .as_deref()
                    .is_some_and(|b| returns_with_value(b, next))
        }
        StmtKind::Loop { body, .. }
        | StmtKind::While { body, .. }
        | StmtKind::ForInt { body, .. }
        | StmtKind::ForQuery { body, .. }
        | StmtKind::ForEach { body, .. } => returns_with_value(body, next),
        _ => false,
    })
}

impl CompiledFunction {
    /// Parses `source` for a function described by `header`: its parameters are the
    /// first variables (OUT ones too), RETURN and RETURN NEXT are checked against its
    /// result as PostgreSQL's compiler checks them.
    ///
    /// Errors: 42601 syntax errors with PostgreSQL's message; 42804 `RETURN cannot have
    /// a parameter in function returning set` / `... in function with OUT parameters`,
    /// `RETURN NEXT cannot have a parameter in function with OUT parameters`; 42601
    /// `RETURN cannot have a parameter in a procedure`.
    pub fn compile(source: &str, header: &FunctionHeader<'_>) -> Result<CompiledFunction> {
        let header_type = if header.returns_set {
            format!("SETOF {}", header.result_type_name)
        } else {
            header.result_type_name.to_string()
        };
        let names: Vec<String> = header.params.iter().map(|(n, _)| n.clone()).collect();
        let has_outputs = header.params.iter().any(|(_, m)| m.is_output());
        let mut function =
            parse::parse_function_with_outputs(source, &names, &header_type, has_outputs)?;
        function.outputs = header
            .params
            .iter()
            .enumerate()
            .filter(|(_, (_, m))| m.is_output())
            .map(|(i, _)| i)
            .collect();
        function.procedure = header.procedure;
        function.result_columns = header.result_columns.clone();
        if returns_with_value(&function.body.body, false) {
            if header.returns_set {
                return Err(pg_err!(
                    DATATYPE_MISMATCH,
                    "RETURN cannot have a parameter in function returning set"
                )
                .hint("Use RETURN NEXT or RETURN QUERY."));
            }
            if has_outputs {
                return Err(pg_err!(
                    DATATYPE_MISMATCH,
                    "RETURN cannot have a parameter in function with OUT parameters"
                ));
            }
            if header.procedure {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "RETURN cannot have a parameter in a procedure"
                ));
            }
        }
        if has_outputs && returns_with_value(&function.body.body, true) {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "RETURN NEXT cannot have a parameter in function with OUT parameters"
            ));
        }
        Ok(CompiledFunction {
            function,
            signature: header.signature.to_string(),
            result_type: header.result_type,
            returns_set: header.returns_set,
        })
    }

    /// Runs the body with `args` (type, value) bound to the parameters in order (OUT
    /// ones NULL).
    ///
    /// Errors: 2F005 when control reaches the end without RETURN (a non-void, non-set
    /// function); any error the body raises, with PL/pgSQL CONTEXT lines.
    pub fn call(&self, host: &mut dyn Host, args: &[(Oid, Datum)]) -> Result<FunctionResult> {
        if self.function.trigger_vars.is_some() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "trigger functions can only be called as triggers"
            )
            .context(format!(
                "compilation of PL/pgSQL function \"{}\" near line 1",
                self.signature.split('(').next().unwrap_or_default()
            )));
        }
        exec::Interpreter::new(
            &self.function,
            &self.signature,
            self.result_type,
            self.returns_set,
        )
        .run(host, args)
    }
}

impl CompiledFunction {
    /// Runs a `RETURNS trigger` function for one firing; returns what it returned: a
    /// record (the row to write) or NULL (skip the row).
    ///
    /// Errors: 2F005 `control reached end of trigger procedure without RETURN`; 0A000
    /// for a function that is not a trigger function; any error the body raises.
    pub fn call_trigger(&self, host: &mut dyn Host, trigger: &TriggerData) -> Result<Datum> {
        let Some(vars) = self.function.trigger_vars else {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "function {} is not a trigger function",
                self.signature
            ));
        };
        exec::Interpreter::new(
            &self.function,
            &self.signature,
            self.result_type,
            self.returns_set,
        )
        .run_trigger(host, vars, trigger)
    }
}

fn type_oid_void() -> Oid {
    tusk_types::type_oid::VOID
}
