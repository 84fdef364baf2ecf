//! The one dispatch point for functions in procedural languages (PostgreSQL's language
//! call handlers, `pg_language.lanplcallfoid`): a call of a function whose `prolang` is
//! neither `sql` nor `internal` comes here.
//!
//! Entry points: [`prepare_procedural`], [`validate_procedural`].

use tusk_executor::sql_function::SqlFunction;
use tusk_sql::analyze::CatalogLookup;
use tusk_types::{pg_err, Result};

use super::function_catalog::{UserFunction, LANG_PLPGSQL};

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
