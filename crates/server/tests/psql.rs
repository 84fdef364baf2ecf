//! The real `psql` against the `tusk` binary. Expected outputs are PostgreSQL 15's, taken
//! from psql 15 running the same commands against PostgreSQL 15.18.

mod common;

use common::{client_tool_available, run, TestServer};

fn psql_available() -> bool {
    client_tool_available("psql", std::process::Command::new("psql").arg("--version"))
}

#[test]
fn several_commands_print_like_postgres() {
    if !psql_available() {
        return;
    }
    let server = TestServer::start();
    let out = run(server.client_command("psql").args([
        "-X",
        "-c",
        "SELECT 1 AS one, $$a$$ || $$b$$ AS ab",
        "-c",
        "SET application_name = $$psql-test$$; SHOW application_name",
        "-c",
        "SELECT g FROM generate_series(1, 3) g ORDER BY g DESC",
        "-c",
        "VALUES (1, 'x'), (2, NULL)",
    ]));
    assert_eq!(
        out.code,
        0,
        "stderr: {}\nlog:\n{}",
        out.stderr,
        server.log()
    );
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.stdout,
        " one | ab 
-----+----
   1 | ab
(1 row)

SET
 application_name 
------------------
 psql-test
(1 row)

 g 
---
 3
 2
 1
(3 rows)

 column1 | column2 
---------+---------
       1 | x
       2 | 
(2 rows)

"
    );
}

#[test]
fn script_stops_at_first_error_with_on_error_stop() {
    if !psql_available() {
        return;
    }
    let server = TestServer::start();
    std::fs::write(
        server.dir().join("stop.sql"),
        "\\set ON_ERROR_STOP on
\\set answer 42
\\set greeting 'hello world'
SELECT :answer + 1 AS v, :'greeting' AS g, length(:'greeting') AS n;
SELECT 1/0;
SELECT 'not reached';
",
    )
    .expect("write script");
    let out = run(server
        .client_command("psql")
        .current_dir(server.dir())
        .args(["-X", "-f", "stop.sql"]));
    assert_eq!(out.code, 3, "stderr: {}", out.stderr);
    assert_eq!(
        out.stdout,
        " v  |      g      | n  
----+-------------+----
 43 | hello world | 11
(1 row)

"
    );
    assert_eq!(out.stderr, "psql:stop.sql:5: ERROR:  division by zero\n");
}

#[test]
fn failed_transaction_and_error_variables() {
    if !psql_available() {
        return;
    }
    let server = TestServer::start();
    std::fs::write(
        server.dir().join("failed.sql"),
        "\\set answer 42
SELECT 1/0;
\\echo :ERROR :SQLSTATE :LAST_ERROR_SQLSTATE
\\echo :LAST_ERROR_MESSAGE
BEGIN;
SELECT 'in block' AS state;
SELECT nosuch;
SELECT 'ignored' AS state;
\\echo :SQLSTATE
ROLLBACK;
SELECT :answer AS after_rollback;
\\set ON_ERROR_STOP on
SELECT * FROM nosuch;
SELECT 'not reached';
",
    )
    .expect("write script");
    let out = run(server
        .client_command("psql")
        .current_dir(server.dir())
        .args(["-X", "-f", "failed.sql"]));
    assert_eq!(out.code, 3, "stderr: {}", out.stderr);
    assert_eq!(
        out.stdout,
        "true 22012 22012
division by zero
BEGIN
  state   
----------
 in block
(1 row)

25P02
ROLLBACK
 after_rollback 
----------------
             42
(1 row)

"
    );
    assert_eq!(
        out.stderr,
        "psql:failed.sql:2: ERROR:  division by zero
psql:failed.sql:7: ERROR:  column \"nosuch\" does not exist
LINE 1: SELECT nosuch;
               ^
psql:failed.sql:8: ERROR:  current transaction is aborted, commands ignored until end of transaction block
psql:failed.sql:13: ERROR:  relation \"nosuch\" does not exist
LINE 1: SELECT * FROM nosuch;
                      ^
"
    );
}

#[test]
fn show_all_lists_every_setting() {
    if !psql_available() {
        return;
    }
    let server = TestServer::start();
    let out = run(server
        .client_command("psql")
        .args(["-X", "-A", "-F", "|", "-c", "SHOW ALL"]));
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.first(), Some(&"name|setting|description"));
    let rows = &lines[1..lines.len() - 1];
    assert!(rows.len() > 300, "only {} settings", rows.len());
    assert_eq!(
        lines.last(),
        Some(&format!("({} rows)", rows.len()).as_str())
    );
    for expected in [
        "max_connections|100|Sets the maximum number of concurrent connections.",
        "work_mem|4MB|Sets the maximum memory to be used for query workspaces.",
        "server_encoding|UTF8|Shows the server (database) character set encoding.",
        "integer_datetimes|on|Shows whether datetimes are integer based.",
    ] {
        assert!(rows.contains(&expected), "missing {expected:?}");
    }
    // Sorted by name, case-insensitively, as PostgreSQL lists them.
    let names: Vec<String> = rows
        .iter()
        .map(|r| r.split('|').next().unwrap_or("").to_ascii_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}
