//! The one dispatch point for functions in languages other than SQL (PostgreSQL's language
//! call handlers, `pg_language.lanplcallfoid`): PL/pgSQL, and `internal` functions a
//! `CREATE FUNCTION ... LANGUAGE internal AS 'name'` (an extension's install script)
//! declared over a function tusk implements, which run that function directly, and `C`
//! functions of the C libraries tusk has built in (`c_language`).
//!
//! Entry points: [`prepare_procedural`], [`validate_procedural`].

use std::sync::Arc;

use tusk_executor::builtins::Builtin;
use tusk_executor::sql_function::{FunctionResult, ProceduralFunction, SqlFunction};
use tusk_executor::EvalContext;
use tusk_sql::analyze::CatalogLookup;
use tusk_types::adt::record::{RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Datum, Result};

use super::function_catalog::{UserFunction, LANG_C, LANG_INTERNAL, LANG_PLPGSQL};

/// A `LANGUAGE internal` function: the built-in implementation its `prosrc` names.
struct InternalFunction {
    src: String,
    builtin: Builtin,
}

impl std::fmt::Debug for InternalFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InternalFunction")
            .field("src", &self.src)
            .finish()
    }
}

impl ProceduralFunction for InternalFunction {
    fn call(&self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<Vec<Vec<Datum>>> {
        match self.builtin {
            Builtin::Scalar(f) => Ok(vec![vec![f(ctx, args)?]]),
            Builtin::Set(f) => Ok(f(ctx, args)?.into_iter().map(|d| vec![d]).collect()),
            Builtin::Rows(f) => f(ctx, args),
        }
    }
}

/// Prepares a `LANGUAGE internal` function.
///
/// Errors: 42883 `there is no built-in function named "x"`.
fn prepare_internal(function: &UserFunction) -> Result<SqlFunction> {
    let src = function.src.trim();
    let builtin = tusk_executor::builtins::by_src(src).ok_or_else(|| {
        pg_err!(
            UNDEFINED_FUNCTION,
            "there is no built-in function named \"{}\"",
            src
        )
    })?;
    Ok(native_call(
        function,
        Arc::new(InternalFunction {
            src: src.to_string(),
            builtin,
        }),
    ))
}

/// The call of `function`, whose body is native code (`LANGUAGE internal` or `C`):
/// `procedural` runs it, its result shape comes from the declared return type and OUT
/// parameters.
pub(crate) fn native_call(
    function: &UserFunction,
    procedural: Arc<dyn ProceduralFunction>,
) -> SqlFunction {
    let out = function.out_columns();
    let result = if function.ret_type == type_oid::VOID {
        FunctionResult::Void
    } else if out.len() > 1 || (function.ret_type == type_oid::RECORD && !out.is_empty()) {
        FunctionResult::Record(Arc::new(RecordDesc {
            type_oid: type_oid::RECORD,
            fields: out
                .into_iter()
                .map(|(name, t)| RecordField {
                    name,
                    type_oid: t,
                    typmod: -1,
                })
                .collect(),
        }))
    } else {
        FunctionResult::Value
    };
    SqlFunction {
        name: function.name.clone(),
        statements: Vec::new(),
        strict: function.strict,
        retset: function.retset,
        result,
        procedural: Some(procedural),
    }
}

/// Prepares `function`, written in a procedural language, for calls from the statement
/// now running (its body parsed once).
///
/// Errors: 42601 for a PL/pgSQL body that does not parse; 0A000 for what
/// `plpgsql_call.rs` cannot run; 42704 for a language tusk does not know.
pub(crate) fn prepare_procedural(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
) -> Result<SqlFunction> {
    if function.language == LANG_PLPGSQL {
        return super::plpgsql_call::prepare_plpgsql(catalog, function);
    }
    if function.language == LANG_INTERNAL {
        return prepare_internal(function);
    }
    if function.language == LANG_C {
        return super::c_language::prepare_c(function);
    }
    Err(pg_err!(
        UNDEFINED_OBJECT,
        "language with OID {} does not exist",
        function.language.0
    ))
}

/// Checks a PL/pgSQL function's body at CREATE time, as its validator does: it must
/// parse for the function's arguments and result (RETURN NEXT only in a set-returning
/// function, assignments only to declared names).
///
/// Errors: 42601 with the parser's message.
pub(crate) fn validate_procedural(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
) -> Result<()> {
    super::plpgsql_call::compile(catalog, function).map(|_| ())
}
