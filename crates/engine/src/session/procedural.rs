//! The one dispatch point for functions in procedural languages (PostgreSQL's language
//! call handlers, `pg_language.lanplcallfoid`): a call of a function whose `prolang` is
//! neither `sql` nor `internal` comes here.
//!
//! Entry points: [`call_procedural`], [`validate_procedural`].

use tusk_types::{pg_err, Error, Result, SqlState};

use super::function_catalog::{UserFunction, LANG_PLPGSQL};

/// Calls `function`, written in a procedural language.
///
/// Errors: 0A000 `language "plpgsql" is not supported yet` (no procedural language runs
/// yet); 42704 for a language tusk does not know.
pub(crate) fn call_procedural(function: &UserFunction) -> Result<std::convert::Infallible> {
    if function.language == LANG_PLPGSQL {
        return Err(Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            "language \"plpgsql\" is not supported yet",
        ));
    }
    Err(pg_err!(
        UNDEFINED_OBJECT,
        "language with OID {} does not exist",
        function.language.0
    ))
}

/// Checks a PL/pgSQL body at CREATE time, as its validator does: it must parse.
///
/// Errors: 42601 with the parser's message.
pub(crate) fn validate_procedural(body: &str) -> Result<()> {
    tusk_sql::check_plpgsql_body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plpgsql_bodies_are_checked_for_syntax() {
        assert!(validate_procedural("begin return; end").is_ok());
        let err = validate_procedural("begin retur; end").expect_err("bad body");
        assert_eq!(err.code, SqlState::SYNTAX_ERROR);
    }
}
