//! `LANGUAGE C` functions: tusk loads no shared libraries, so the C libraries PostgreSQL's
//! regression suite builds (`regress`, and contrib's `refint` and `autoinc`) are built in,
//! their SQL-callable functions written in Rust with the behaviour of PostgreSQL's C
//! versions. `CREATE FUNCTION ... LANGUAGE C AS 'file', 'symbol'` (and `LOAD 'file'`)
//! resolve `file` by its base name, with or without a directory, `$libdir/` and the
//! `.so` suffix.
//!
//! Rules:
//! 1. A file whose base name is not one of the built-in libraries is 58P01 `could not
//!    access file "x": No such file or directory`, as for a file PostgreSQL cannot find.
//! 2. A symbol the library does not have is 42883 `could not find function "s" in file
//!    "x"`. `AS 'file'` alone names the symbol after the function (`prosrc` = `proname`,
//!    `probin` = the file, as PostgreSQL stores them).
//! 3. Only superusers may create C functions (the language is untrusted: 42501) or LOAD.
//! 4. Library state that PostgreSQL keeps in C statics (ttdummy's on/off switch, refint's
//!    cached query texts) is per backend, as a backend's process memory is: tusk's
//!    backends are threads, so it lives in thread-locals.
//! 5. Trigger functions get PostgreSQL's trigger calling convention: the trigger's
//!    arguments, the row (`tg_trigtuple`: NEW for INSERT, OLD otherwise) and for UPDATE
//!    the new row; they return the row to write, or NULL to skip it. The queries they run
//!    (PostgreSQL's SPI) go through the session's analyzer with the calling statement's
//!    table access, a new command id each ([`spi_execute`]).
//!
//! Entry points: [`resolve`], [`prepare_c`], [`load_library`].

mod refint;
mod regress;

use std::sync::Arc;

use tusk_executor::sql_function::{ProceduralFunction, SqlFunction};
use tusk_executor::trigger::TriggerCall;
use tusk_executor::EvalContext;
use tusk_sql::analyze::{ParamResolver, TypedExpr};
use tusk_types::adt::record::Record;
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::function_catalog::UserFunction;

/// A built-in C library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Library {
    /// `regress`: src/test/regress/regress.c.
    Regress,
    /// contrib/spi's `refint`.
    Refint,
    /// contrib/spi's `autoinc`.
    Autoinc,
}

/// A scalar C function: arguments in, one value out.
pub(crate) type ScalarFn = fn(&mut EvalContext<'_>, &[Datum]) -> Result<Datum>;
/// A trigger C function: returns the row to write (a record) or NULL.
pub(crate) type TriggerFn = fn(&mut EvalContext<'_>, &TriggerCall<'_>) -> Result<Datum>;

/// What a symbol of a library is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Symbol {
    /// An ordinary function.
    Scalar(ScalarFn),
    /// A function `RETURNS trigger`.
    Trigger(TriggerFn),
}

impl Library {
    /// The library a `CREATE FUNCTION ... AS 'file'` or `LOAD 'file'` names (rule 1):
    /// its base name without `$libdir/` or a directory and without the `.so` suffix.
    pub(crate) fn of_file(file: &str) -> Option<Library> {
        let base = file.rsplit('/').next().unwrap_or(file);
        let base = base.strip_suffix(".so").unwrap_or(base);
        match base {
            "regress" => Some(Library::Regress),
            "refint" => Some(Library::Refint),
            "autoinc" => Some(Library::Autoinc),
            _ => None,
        }
    }

    /// The library's function named `symbol`.
    pub(crate) fn symbol(self, symbol: &str) -> Option<Symbol> {
        match self {
            Library::Regress => regress::symbol(symbol),
            Library::Refint => refint::refint_symbol(symbol),
            Library::Autoinc => refint::autoinc_symbol(symbol),
        }
    }
}

/// The file name as error messages show it: with the `.so` suffix PostgreSQL's loader
/// adds when it looks the library up.
fn shown_file(file: &str) -> String {
    if file.ends_with(".so") || !file.contains('/') && Library::of_file(file).is_none() {
        file.to_string()
    } else {
        format!("{file}.so")
    }
}

/// `LOAD 'file'` (rule 3): succeeds for a built-in library, which needs no loading.
///
/// Errors: 42501 for a non-superuser; 58P01 for another file (rule 1).
pub(crate) fn load_library(file: &str, superuser: bool) -> Result<()> {
    if !superuser {
        return Err(pg_err!(
            INSUFFICIENT_PRIVILEGE,
            "access to library \"{}\" is not allowed",
            file
        ));
    }
    Library::of_file(file)
        .map(|_| ())
        .ok_or_else(|| no_file(file))
}

fn no_file(file: &str) -> Error {
    pg_err!(
        UNDEFINED_FILE,
        "could not access file \"{}\": No such file or directory",
        file
    )
}

/// The function `symbol` of `file` (rules 1 and 2).
///
/// Errors: 58P01 for an unknown file; 42883 for an unknown symbol.
pub(crate) fn resolve(file: &str, symbol: &str) -> Result<Symbol> {
    let library = Library::of_file(file).ok_or_else(|| no_file(file))?;
    library.symbol(symbol).ok_or_else(|| {
        pg_err!(
            UNDEFINED_FUNCTION,
            "could not find function \"{}\" in file \"{}\"",
            symbol,
            shown_file(file)
        )
    })
}

/// A `LANGUAGE C` function ready to call.
struct CFunction {
    symbol_name: String,
    symbol: Symbol,
}

impl std::fmt::Debug for CFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CFunction")
            .field("symbol", &self.symbol_name)
            .finish()
    }
}

impl ProceduralFunction for CFunction {
    fn call(&self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Vec<Vec<Datum>>> {
        match self.symbol {
            Symbol::Scalar(f) => Ok(vec![vec![f(ctx, args)?]]),
            // PostgreSQL's CALLED_AS_TRIGGER check, which every trigger function makes.
            Symbol::Trigger(_) => Err(Error::internal(format!(
                "{}: not fired by trigger manager",
                self.symbol_name
            ))),
        }
    }

    fn call_trigger(&self, ctx: &mut EvalContext<'_>, call: &TriggerCall<'_>) -> Result<Datum> {
        match self.symbol {
            Symbol::Trigger(f) => f(ctx, call),
            Symbol::Scalar(_) => Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "function {} must return type trigger",
                self.symbol_name
            )),
        }
    }
}

/// Prepares a `LANGUAGE C` function (`probin` the file, `prosrc` the symbol).
///
/// Errors: those of [`resolve`].
pub(crate) fn prepare_c(function: &UserFunction) -> Result<SqlFunction> {
    let file = function.bin.as_deref().unwrap_or_default();
    let symbol = resolve(file, function.src.trim())?;
    Ok(super::procedural::native_call(
        function,
        Arc::new(CFunction {
            symbol_name: function.src.trim().to_string(),
            symbol,
        }),
    ))
}

// ---- the trigger calling convention (rule 5) ----

/// `tg_trigtuple`: the row the trigger fired for (NEW for INSERT, OLD otherwise).
pub(crate) fn trigger_tuple<'c>(call: &'c TriggerCall<'_>) -> Option<&'c Record> {
    let d = call.old.as_ref().or(call.new.as_ref())?;
    match d {
        Datum::Record(r) => Some(r),
        _ => None,
    }
}

/// `tg_newtuple`: the new row of an UPDATE.
pub(crate) fn trigger_new_tuple<'c>(call: &'c TriggerCall<'_>) -> Option<&'c Record> {
    if call.event != tusk_executor::trigger::TriggerEvent::Update {
        return None;
    }
    match call.new.as_ref()? {
        Datum::Record(r) => Some(r),
        _ => None,
    }
}

/// PostgreSQL's `SPI_fnumber`: the 0-based field of `record` named exactly `name`.
pub(crate) fn field_number(record: &Record, name: &str) -> Option<usize> {
    record.desc.fields.iter().position(|f| f.name == name)
}

/// The rows and count (`SPI_processed`) of one query a C function ran.
pub(crate) struct SpiResult {
    pub rows: Vec<Vec<Datum>>,
    pub processed: u64,
}

/// Resolves no name: a C function's queries see only `$n`.
struct NoNames;

impl ParamResolver for NoNames {
    fn resolve(&self, _fields: &[String]) -> Option<TypedExpr> {
        None
    }
}

/// PostgreSQL's `SPI_execute_with_args`: analyses `sql` with `params` as `$1...` (their
/// types given) and runs it in the calling statement, after a command counter increment
/// so it sees the statement's changes so far. Errors carry PostgreSQL's
/// `SQL statement "..."` context line.
///
/// Errors: the statement's.
pub(crate) fn spi_execute(
    ctx: &mut EvalContext<'_>,
    sql: &str,
    params: &[(Oid, Datum)],
) -> Result<SpiResult> {
    let with_context = |e: Error| e.context(format!("SQL statement \"{sql}\""));
    let types: Vec<Oid> = params.iter().map(|(t, _)| *t).collect();
    let values: Vec<Datum> = params.iter().map(|(_, v)| v.clone()).collect();
    let statement = ctx
        .session
        .analyze_statement(sql, &types, &NoNames, ctx.output)
        .map_err(with_context)?;
    ctx.tables.command_counter_increment();
    let mut rows = Vec::new();
    let mut inner = ctx.with_params(&values);
    let mut emit = |row: &[Datum]| {
        rows.push(row.to_vec());
        Ok(())
    };
    let processed = match &statement {
        tusk_executor::sql_function::FunctionStatement::Query(q) => {
            tusk_executor::run_query(q, &mut inner, &mut emit)
        }
        tusk_executor::sql_function::FunctionStatement::Modify(m) => {
            tusk_executor::run_modify(m, &mut inner, &mut emit)
        }
    }
    .map_err(with_context)?;
    Ok(SpiResult { rows, processed })
}

/// `nextval('name')` as the C libraries call it (`DirectFunctionCall1(nextval, ...)`),
/// coerced down to `int4` as they do.
pub(crate) fn nextval_int4(ctx: &mut EvalContext<'_>, sequence: &str) -> Result<i32> {
    let sql = format!(
        "SELECT pg_catalog.nextval('{}')",
        sequence.replace('\'', "''")
    );
    let result = spi_execute(ctx, &sql, &[])?;
    match result.rows.first().and_then(|r| r.first()) {
        Some(Datum::Int8(v)) => Ok(*v as i32),
        other => Err(Error::internal(format!("nextval returned {other:?}"))),
    }
}

/// A NOTICE from a C function (`elog(NOTICE, ...)`).
pub(crate) fn notice(ctx: &mut EvalContext<'_>, message: String) {
    ctx.session.notice(
        tusk_executor::NoticeLevel::Notice,
        &Error::new(SqlState::SUCCESSFUL_COMPLETION, message),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_resolve_by_base_name_with_or_without_directory_and_suffix() {
        for file in [
            "regress",
            "regress.so",
            "$libdir/regress",
            "/work/shared/pg_regress/regress.so",
        ] {
            assert_eq!(Library::of_file(file), Some(Library::Regress), "{file}");
        }
        assert_eq!(Library::of_file("/x/refint.so"), Some(Library::Refint));
        assert_eq!(Library::of_file("$libdir/autoinc"), Some(Library::Autoinc));
        assert_eq!(Library::of_file("nosuchfile"), None);
        assert_eq!(Library::of_file("/lib/regression.so"), None);
    }

    #[test]
    fn unknown_files_and_symbols_have_postgres_errors() {
        let e = resolve("nosuchfile", "f").expect_err("no such file");
        assert_eq!(e.code, SqlState::UNDEFINED_FILE);
        assert_eq!(
            e.message,
            "could not access file \"nosuchfile\": No such file or directory"
        );
        let e = resolve("/lib/regress.so", "nosuchsymbol").expect_err("no such symbol");
        assert_eq!(e.code, SqlState::UNDEFINED_FUNCTION);
        assert_eq!(
            e.message,
            "could not find function \"nosuchsymbol\" in file \"/lib/regress.so\""
        );
        assert!(resolve("$libdir/refint", "check_primary_key").is_ok());
        assert!(resolve("autoinc", "autoinc").is_ok());
        assert!(resolve("autoinc", "check_primary_key").is_err());
    }

    #[test]
    fn only_superusers_load_and_only_known_libraries() {
        assert!(load_library("/x/regress.so", true).is_ok());
        let e = load_library("/x/regress.so", false).expect_err("refused");
        assert_eq!(e.code, SqlState::INSUFFICIENT_PRIVILEGE);
        let e = load_library("nosuch", true).expect_err("missing");
        assert_eq!(e.code, SqlState::UNDEFINED_FILE);
    }
}
