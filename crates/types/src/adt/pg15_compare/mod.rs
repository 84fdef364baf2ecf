//! Differential tests against a live PostgreSQL 15 (test-only).
//!
//! Each test builds many inputs (fixed edge cases plus values from a seeded xorshift
//! generator), asks PostgreSQL for its text result or error through `psql`, and compares
//! with ours. PostgreSQL is reached through the connection string in `TUSK_PG15_URL`
//! (e.g. `postgresql://postgres@127.0.0.1:5432/postgres`); without it the tests return early
//! and pass, so machines without PostgreSQL are not affected.
//!
//! Results travel as one row per input: `OK <text>` or `ERR <sqlstate> <message>`, produced
//! by a temporary PL/pgSQL function that evaluates each expression and traps its error.

use std::process::Command;

use crate::Result;

/// The live server's connection string, if the environment names one.
pub(crate) fn pg15_url() -> Option<String> {
    std::env::var("TUSK_PG15_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// `s` as a SQL string literal.
pub(crate) fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

const RECORD_SEPARATOR: char = '\u{1e}';

/// Evaluates each SQL expression (text-valued after `::text`) on PostgreSQL after running
/// `setup` (e.g. `SET extra_float_digits = 0`), returning `OK text` or `ERR code message`.
pub(crate) fn pg_eval(url: &str, setup: &str, exprs: &[String]) -> Vec<String> {
    let mut sql = String::from(
        "CREATE FUNCTION pg_temp.try_eval(e text) RETURNS text LANGUAGE plpgsql AS $f$ \
         DECLARE r text; BEGIN EXECUTE 'SELECT (' || e || ')::text' INTO r; \
         RETURN 'OK ' || coalesce(r, '<NULL>'); \
         EXCEPTION WHEN others THEN RETURN 'ERR ' || SQLSTATE || ' ' || SQLERRM; END $f$;",
    );
    sql.push_str(setup);
    sql.push_str(";SELECT pg_temp.try_eval(e) FROM unnest(ARRAY[");
    for (i, e) in exprs.iter().enumerate() {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&quote_literal(e));
    }
    sql.push_str("]::text[]) WITH ORDINALITY AS u(e, n) ORDER BY n");
    let output = Command::new("psql")
        .arg(url)
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
        .arg("-R")
        .arg(RECORD_SEPARATOR.to_string())
        .arg("-f")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin is piped")
                .write_all(sql.as_bytes())?;
            child.wait_with_output()
        })
        .expect("psql runs");
    assert!(
        output.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("psql output is UTF-8");
    let rows: Vec<String> = text
        .trim_end_matches('\n')
        .split(RECORD_SEPARATOR)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(rows.len(), exprs.len(), "one row per expression");
    rows
}

/// Our result in the same `OK`/`ERR` shape as [`pg_eval`].
pub(crate) fn ours(result: Result<String>) -> String {
    match result {
        Ok(text) => format!("OK {text}"),
        Err(e) => format!("ERR {} {}", e.code, e.message),
    }
}

/// A seeded xorshift64* generator: reproducible inputs without a dependency.
pub(crate) struct XorShift(pub u64);

impl XorShift {
    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Compares ours against PostgreSQL's for every input; reports all mismatches at once.
pub(crate) fn assert_same(inputs: &[String], pg: &[String], ours: &[String]) {
    if std::env::var("TUSK_PG15_SHOW").is_ok() {
        for (i, o) in inputs.iter().zip(ours) {
            eprintln!("{i} => {o}");
        }
    }
    let mismatches: Vec<String> = inputs
        .iter()
        .zip(pg.iter().zip(ours))
        .filter(|(_, (p, o))| p != o)
        .map(|(i, (p, o))| format!("{i}\n  pg:   {p}\n  ours: {o}"))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

mod array;
mod binary;
mod datetime;
mod fields;
mod float_math;
mod formatting;
mod numeric;
mod scalar;
