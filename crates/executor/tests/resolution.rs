//! Operator, function and type resolution against PostgreSQL 15's catalog, through the
//! analyzer and the built-in lookup: each case states the type PostgreSQL 15 gives (checked
//! with `SELECT pg_typeof(...)`) or the error it reports.

use tusk_executor::{run_query, BuiltinLookup, EvalContext, OutputSettings, SessionContext};
use tusk_sql::analyze::{Analyzer, Query};
use tusk_sql::ast::Statement;
use tusk_types::{Datum, Error, Result};

fn analyze(sql: &str) -> Result<Query> {
    let settings = OutputSettings::default();
    let lookup = BuiltinLookup {
        settings: &settings,
    };
    let stmt = tusk_sql::parse(sql)?.pop().expect("one statement");
    let Statement::Select(select) = stmt.stmt else {
        panic!("not a SELECT: {sql}")
    };
    Analyzer::new(&lookup, sql, Vec::new()).analyze_select(&select)
}

fn result_type(sql: &str) -> String {
    let q = analyze(sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    tusk_executor::io::format_type(q.columns[0].type_oid)
}

fn error(sql: &str) -> Error {
    match analyze(sql) {
        Ok(q) => panic!("{sql} analysed to {:?}", q.columns),
        Err(e) => e,
    }
}

struct NoSession;

impl SessionContext for NoSession {
    fn setting(&self, name: &str) -> Result<String> {
        Err(tusk_types::pg_err!(
            UNDEFINED_OBJECT,
            "unrecognized configuration parameter \"{}\"",
            name
        ))
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

fn rows(sql: &str) -> Result<Vec<Vec<String>>> {
    let query = analyze(sql)?;
    let settings = OutputSettings::default();
    let mut session = NoSession;
    let mut ctx = EvalContext {
        modifying_ctes: Default::default(),
        session: &mut session,
        output: &settings,
        statement_start: 0,
        transaction_start: 0,
        current_user: "postgres",
        session_user: "postgres",
        database: "postgres",
        backend_pid: 1,
        params: &[],
        tables: &tusk_executor::NoTables,
    };
    let mut out = Vec::new();
    let types: Vec<_> = query.columns.iter().map(|c| c.type_oid).collect();
    run_query(&query, &mut ctx, &mut |row: &[Datum]| {
        let texts = row
            .iter()
            .zip(&types)
            .map(|(d, t)| match d {
                Datum::Null => Ok("NULL".to_string()),
                d => tusk_executor::io::text_out_string(d, *t, &settings),
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(texts);
        Ok(())
    })?;
    Ok(out)
}

#[test]
fn arithmetic_types_follow_postgres() {
    assert_eq!(result_type("SELECT 1 + 1"), "integer");
    assert_eq!(result_type("SELECT 1 + 1.5"), "numeric");
    assert_eq!(result_type("SELECT 1::int2 + 1::int2"), "smallint");
    assert_eq!(result_type("SELECT 1::int2 + 1"), "integer");
    assert_eq!(result_type("SELECT 1 + 2147483648"), "bigint");
    assert_eq!(result_type("SELECT 1.5::float4 * 2"), "double precision");
    assert_eq!(result_type("SELECT '1' + 1"), "integer");
    assert_eq!(result_type("SELECT 'a' || 'b'"), "text");
    assert_eq!(result_type("SELECT 'a' || 1"), "text");
    assert_eq!(result_type("SELECT 'a'"), "text");
    assert_eq!(result_type("SELECT 1 = 1.0"), "boolean");
    assert_eq!(result_type("SELECT now()"), "timestamp with time zone");
}

#[test]
fn common_types_of_case_coalesce_values() {
    assert_eq!(result_type("SELECT COALESCE(1, 2.5)"), "numeric");
    assert_eq!(
        result_type("SELECT CASE WHEN true THEN 1 ELSE 2::int8 END"),
        "bigint"
    );
    assert_eq!(result_type("SELECT COALESCE(NULL, NULL)"), "text");
    assert_eq!(result_type("VALUES (1), (2.5)"), "numeric");
    let e = error("SELECT COALESCE(1, 'a'::text)");
    assert_eq!(e.code.code(), "42804");
    assert_eq!(
        e.message,
        "COALESCE types integer and text cannot be matched"
    );
}

#[test]
fn resolution_errors_match_postgres() {
    let e = error("SELECT 1 + 'x'");
    assert_eq!(e.code.code(), "22P02");
    assert_eq!(e.message, "invalid input syntax for type integer: \"x\"");
    assert_eq!(e.position, Some(12));
    let e = error("SELECT 1 = 'a'::text");
    assert_eq!(e.code.code(), "42883");
    assert_eq!(e.message, "operator does not exist: integer = text");
    assert_eq!(
        e.hint.as_deref(),
        Some("No operator matches the given name and argument types. You might need to add explicit type casts.")
    );
    assert_eq!(e.position, Some(10));
    let e = error("SELECT nosuch(1)");
    assert_eq!(e.message, "function nosuch(integer) does not exist");
    assert_eq!(e.position, Some(8));
    let e = error("SELECT x");
    assert_eq!(e.code.code(), "42703");
    assert_eq!(e.message, "column \"x\" does not exist");
    let e = error("SELECT * FROM t");
    assert_eq!(e.code.code(), "42P01");
    assert_eq!(e.position, Some(15));
    let e = error("SELECT 1 WHERE 1");
    assert_eq!(
        e.message,
        "argument of WHERE must be type boolean, not type integer"
    );
}

#[test]
fn evaluation_matches_postgres() {
    let r = |sql: &str| rows(sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    assert_eq!(
        r("SELECT 1 + 1, 7 / 2, 7.0 / 2, -7 % 3")[0],
        ["2", "3", "3.5000000000000000", "-1"]
    );
    assert_eq!(
        r("SELECT 'hello'::varchar(3), 'ab'::char(4) || '|'")[0],
        ["hel", "ab|"]
    );
    assert_eq!(
        r("SELECT NULLIF(1, 1), 1 IS DISTINCT FROM NULL, GREATEST(1, 5, 3)")[0],
        ["NULL", "t", "5"]
    );
    assert_eq!(
        r("SELECT x FROM generate_series(1, 5) x WHERE x % 2 = 1 ORDER BY x DESC LIMIT 2"),
        [["5"], ["3"]]
    );
    assert_eq!(r("SELECT generate_series(1, 3), 'a'").len(), 3);
    assert_eq!(r("SELECT 'x' || 1 || true")[0], ["x1true"]);
    let e = rows("SELECT 1 / 0").expect_err("division by zero");
    assert_eq!(e.code.code(), "22012");
    let e = rows("SELECT 2147483647 + 1").expect_err("overflow");
    assert_eq!(e.message, "integer out of range");
}
