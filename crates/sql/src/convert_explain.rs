//! Conversion of `EXPLAIN [ANALYZE] [VERBOSE] statement` and `EXPLAIN (option [value],
//! ...) statement` into [`ExplainStmt`], validating the options as PostgreSQL 15's
//! `ExplainQuery` does (names, Boolean values, FORMAT, TIMING needing ANALYZE).
//!
//! Entry point: [`explain`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{pg_err, Error, Result, SqlState};

use crate::ast::{ExplainStmt, RawStatement, Statement};
use crate::convert_ddl::def_value;

/// `EXPLAIN`.
///
/// Errors: 42601 `unrecognized EXPLAIN option "x"` and `x requires a Boolean value`;
/// 22023 for a FORMAT other than TEXT/XML/JSON/YAML and for TIMING or WAL without
/// ANALYZE; 0A000 for the XML/JSON/YAML formats and SETTINGS, which tusk cannot print.
pub(crate) fn explain(s: &pb::ExplainStmt) -> Result<Statement> {
    let mut analyze = false;
    let mut verbose = false;
    let mut costs = true;
    let mut timing = None;
    let mut summary = None;
    let mut buffers = false;
    let mut wal = false;
    for option in &s.options {
        let Some(NodeEnum::DefElem(d)) = option.node.as_ref() else {
            continue;
        };
        let value = def_value(&d.arg);
        let name = d.defname.as_str();
        match name {
            "analyze" => analyze = boolean(name, value)?,
            "verbose" => verbose = boolean(name, value)?,
            "costs" => costs = boolean(name, value)?,
            "timing" => timing = Some(boolean(name, value)?),
            "summary" => summary = Some(boolean(name, value)?),
            "buffers" => buffers = boolean(name, value)?,
            "wal" => wal = boolean(name, value)?,
            "settings" => {
                if boolean(name, value)? {
                    return Err(Error::feature_not_supported("EXPLAIN option SETTINGS"));
                }
            }
            "format" => {
                let format = value.unwrap_or_default().to_lowercase();
                match format.as_str() {
                    "text" => {}
                    "xml" | "json" | "yaml" => {
                        return Err(Error::feature_not_supported(format!(
                            "EXPLAIN (FORMAT {})",
                            format.to_uppercase()
                        )))
                    }
                    other => {
                        return Err(pg_err!(
                            INVALID_PARAMETER_VALUE,
                            "unrecognized value for EXPLAIN option \"format\": \"{other}\""
                        ))
                    }
                }
            }
            other => {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "unrecognized EXPLAIN option \"{other}\""
                ))
            }
        }
    }
    if wal && !analyze {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "EXPLAIN option WAL requires ANALYZE"
        ));
    }
    if timing == Some(true) && !analyze {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "EXPLAIN option TIMING requires ANALYZE"
        ));
    }
    let inner = s.query.as_deref().and_then(|n| n.node.as_ref());
    let Some(inner) = inner else {
        return Err(Error::internal("EXPLAIN without a statement"));
    };
    let statement = crate::convert::statement_of(inner)?;
    if !matches!(
        statement,
        Statement::Select(_)
            | Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Merge(_)
            | Statement::CreateTableAs(_)
            | Statement::Execute { .. }
    ) {
        return Err(Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            "EXPLAIN of this statement is not supported yet",
        ));
    }
    Ok(Statement::Explain(Box::new(ExplainStmt {
        statement: Box::new(RawStatement {
            stmt: statement,
            location: 0,
            len: 0,
        }),
        analyze,
        verbose,
        costs,
        timing: timing.unwrap_or(analyze),
        summary: summary.unwrap_or(analyze),
        buffers,
    })))
}

/// PostgreSQL's `defGetBoolean`: no value is true; true/false/on/off/1/0 (any case).
fn boolean(name: &str, value: Option<String>) -> Result<bool> {
    let Some(value) = value else {
        return Ok(true);
    };
    match value.to_lowercase().as_str() {
        "true" | "on" | "1" => Ok(true),
        "false" | "off" | "0" => Ok(false),
        _ => Err(pg_err!(SYNTAX_ERROR, "{name} requires a Boolean value")),
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::Statement;

    fn explain(sql: &str) -> tusk_types::Result<crate::ast::ExplainStmt> {
        let mut stmts = crate::parse(sql)?;
        match stmts.remove(0).stmt {
            Statement::Explain(e) => Ok(*e),
            other => panic!("not an EXPLAIN: {other:?}"),
        }
    }

    #[test]
    fn explain_options_are_parsed_with_postgres_defaults() {
        let e = explain("EXPLAIN SELECT 1").expect("parses");
        assert!(!e.analyze && e.costs && !e.timing && !e.summary);
        let e = explain("EXPLAIN ANALYZE VERBOSE SELECT 1").expect("parses");
        assert!(e.analyze && e.verbose && e.timing && e.summary);
        let e = explain("EXPLAIN (COSTS OFF, analyze, timing false, FORMAT TEXT) SELECT 1")
            .expect("parses");
        assert!(!e.costs && e.analyze && !e.timing && e.summary);
        assert!(matches!(e.statement.stmt, Statement::Select(_)));
    }

    #[test]
    fn explain_option_errors_carry_postgres_sqlstates() {
        let code = |sql: &str| explain(sql).expect_err("refused").code;
        assert_eq!(
            code("EXPLAIN (foo) SELECT 1"),
            tusk_types::SqlState::SYNTAX_ERROR
        );
        assert_eq!(
            code("EXPLAIN (FORMAT JSON) SELECT 1"),
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED
        );
        assert_eq!(
            code("EXPLAIN (FORMAT bogus) SELECT 1"),
            tusk_types::SqlState::INVALID_PARAMETER_VALUE
        );
        assert_eq!(
            code("EXPLAIN (TIMING) SELECT 1"),
            tusk_types::SqlState::INVALID_PARAMETER_VALUE
        );
    }
}
