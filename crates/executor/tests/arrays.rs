//! Array expressions end to end (analyzer, evaluator, functions, text output) against
//! PostgreSQL 15's answers in `arrays.golden`, recorded from a real PostgreSQL 15 with
//! `psql -At`; with `TUSK_PG15_URL` set, the recorded answers are checked against that
//! server too.

use tusk_executor::{run_query, BuiltinLookup, EvalContext, OutputSettings, SessionContext};
use tusk_sql::analyze::Analyzer;
use tusk_sql::ast::Statement;
use tusk_types::{Datum, Result};

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

/// The rows of `sql` as psql -At prints them, or its error as `ERROR:  ...` and
/// `DETAIL:  ...` lines.
fn run(sql: &str) -> String {
    match rows(sql) {
        Ok(rows) => rows
            .iter()
            .map(|r| r.join("|"))
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => {
            let mut s = format!("ERROR:  {}", e.message);
            if let Some(d) = e.detail {
                s.push_str(&format!("\nDETAIL:  {d}"));
            }
            s
        }
    }
}

fn rows(sql: &str) -> Result<Vec<Vec<String>>> {
    let settings = OutputSettings::default();
    let lookup = BuiltinLookup {
        settings: &settings,
    };
    let stmt = tusk_sql::parse(sql)?.pop().expect("one statement");
    let Statement::Select(select) = stmt.stmt else {
        panic!("not a SELECT: {sql}")
    };
    let query = Analyzer::new(&lookup, sql, Vec::new()).analyze_select(&select)?;
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

/// (query, expected output) pairs of the golden file.
fn cases() -> Vec<(String, String)> {
    let text = include_str!("arrays.golden");
    let mut cases = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(query) = line.strip_prefix("> ") else {
            continue;
        };
        let mut expected = Vec::new();
        while let Some(l) = lines.next_if(|l| !l.is_empty()) {
            expected.push(l);
        }
        cases.push((query.to_string(), expected.join("\n")));
    }
    cases
}

#[test]
fn array_queries_match_postgres_15() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() > 80, "golden file parsed");
    for (query, expected) in &cases {
        let got = run(query);
        if got != *expected {
            failures.push(format!(
                "{query}\n  expected: {expected:?}\n  got:      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn errors_point_where_postgres_15_points() {
    // (query, SQLSTATE, 1-based cursor position) as PostgreSQL 15 reports them.
    let cases = [
        ("select array[]", "42P18", 8),
        ("select 1 = any(1)", "42809", 10),
        ("select 1 + any(array[1])", "42804", 10),
        ("select (now())[1]", "42804", 9),
        ("select (array[1])['a']", "22P02", 19),
        ("select array[1,'x']", "22P02", 16),
        ("select '{1,'::int[]", "22P02", 8),
        ("select array[1] = array['a'::text]", "42883", 17),
        ("select array_length(array[1], 'x')", "22P02", 31),
    ];
    for (query, code, position) in cases {
        let e = rows(query).expect_err(query);
        assert_eq!(e.code.code(), code, "{query}: {}", e.message);
        assert_eq!(e.position, Some(position), "{query}: {}", e.message);
    }
}

/// Re-asks a live PostgreSQL 15 (`TUSK_PG15_URL`, e.g.
/// `postgresql://postgres@127.0.0.1:5432/postgres`) every golden query, so the recorded
/// answers stay PostgreSQL's; passes trivially without a server.
#[test]
fn golden_answers_are_postgres_15s() {
    let Some(url) = std::env::var("TUSK_PG15_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return;
    };
    let mut failures = Vec::new();
    for (query, expected) in cases() {
        let out = std::process::Command::new("psql")
            .arg(&url)
            .args(["-X", "-At", "-F", "|", "-P", "null=NULL", "-c", &query])
            .output()
            .expect("psql runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let got = if stderr.contains("ERROR:") {
            stderr
                .lines()
                .filter(|l| l.starts_with("ERROR:") || l.starts_with("DETAIL:"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            String::from_utf8_lossy(&out.stdout)
                .trim_end_matches('\n')
                .to_string()
        };
        if got != expected {
            failures.push(format!(
                "{query}\n  golden: {expected:?}\n  pg:     {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
