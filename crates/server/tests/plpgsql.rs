//! PL/pgSQL `DO` blocks against the real server: loops and control flow, EXCEPTION
//! blocks rolling their changes back, RAISE notices (through psql) and errors with their
//! SQLSTATE and CONTEXT, dynamic SQL, and INTO STRICT's row-count errors.

mod common;

use common::{client_tool_available, run, TestServer};
use tokio_postgres::Client;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The first column of every row, as text.
async fn column(client: &Client, sql: &str) -> Vec<Option<String>> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).map(str::to_string)),
            _ => None,
        })
        .collect()
}

/// SQLSTATE, message and CONTEXT of a failing statement.
async fn error_of(client: &Client, sql: &str) -> (String, String, Option<String>) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (
        db.code().code().to_string(),
        db.message().to_string(),
        db.where_().map(str::to_string),
    )
}

fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

#[test]
fn loops_and_conditions_compute_into_a_table() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE out (n int, label text);
                 DO $$
                 DECLARE
                   total int := 0;
                   i int := 0;
                   word text;
                 BEGIN
                   FOR k IN 1..10 LOOP
                     CONTINUE WHEN k % 2 = 0;
                     total := total + k;
                   END LOOP;
                   INSERT INTO out VALUES (total, 'odd sum');
                   WHILE i < 100 LOOP
                     i := i + 7;
                     EXIT WHEN i > 20;
                   END LOOP;
                   INSERT INTO out VALUES (i, 'while');
                   <<outer_loop>>
                   FOR a IN REVERSE 9..1 BY 4 LOOP
                     LOOP
                       INSERT INTO out VALUES (a, 'reverse');
                       EXIT outer_loop WHEN a < 5;
                       EXIT;
                     END LOOP;
                   END LOOP;
                   FOREACH word IN ARRAY ARRAY['x', 'y'] LOOP
                     INSERT INTO out VALUES (length(word), word);
                   END LOOP;
                   IF total > 100 THEN
                     word := 'big';
                   ELSIF total > 20 THEN
                     word := 'medium';
                   ELSE
                     word := 'small';
                   END IF;
                   CASE word WHEN 'medium' THEN INSERT INTO out VALUES (0, 'case'); END CASE;
                 END $$;",
            )
            .await
            .expect("DO runs");
        assert_eq!(
            column(&client, "SELECT n || ' ' || label FROM out").await,
            some(&[
                "25 odd sum",
                "21 while",
                "9 reverse",
                "5 reverse",
                "1 reverse",
                "1 x",
                "1 y",
                "0 case"
            ])
        );
    });
}

#[test]
fn exception_block_rolls_back_its_changes_only() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE t (a int);
                 DO $$
                 DECLARE caught text;
                 BEGIN
                   INSERT INTO t VALUES (1);
                   BEGIN
                     INSERT INTO t VALUES (2);
                     PERFORM 1 / 0;
                   EXCEPTION WHEN division_by_zero THEN
                     caught := SQLSTATE || ' ' || SQLERRM;
                   END;
                   INSERT INTO t VALUES (length(caught));
                 END $$;",
            )
            .await
            .expect("DO runs");
        // 1 stays, 2 is rolled back, and the handler saw '22012 division by zero'.
        assert_eq!(
            column(&client, "SELECT a FROM t ORDER BY a").await,
            some(&["1", "22"])
        );
        // Inside a transaction block the block's rollback leaves the transaction usable.
        client
            .batch_execute(
                "BEGIN;
                 INSERT INTO t VALUES (3);
                 DO $$ BEGIN INSERT INTO t VALUES (4); RAISE EXCEPTION 'no';
                       EXCEPTION WHEN OTHERS THEN NULL; END $$;
                 COMMIT;",
            )
            .await
            .expect("block commits");
        assert_eq!(
            column(&client, "SELECT a FROM t ORDER BY a").await,
            some(&["1", "3", "22"])
        );
        // An uncaught error aborts everything the DO did.
        let (code, _, _) = error_of(
            &client,
            "DO $$ BEGIN INSERT INTO t VALUES (5); PERFORM 1 / 0; END $$",
        )
        .await;
        assert_eq!(code, "22012");
        assert_eq!(
            column(&client, "SELECT count(*) FROM t").await,
            some(&["3"])
        );
    });
}

#[test]
fn raise_errors_carry_sqlstate_hint_and_context() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        let (code, message, context) = error_of(
            &client,
            "DO $$\nBEGIN\n  RAISE EXCEPTION 'bad % of %', 1, 'two' USING ERRCODE = 'unique_violation';\nEND $$",
        )
        .await;
        assert_eq!((code.as_str(), message.as_str()), ("23505", "bad 1 of two"));
        assert_eq!(
            context.as_deref(),
            Some("PL/pgSQL function inline_code_block line 3 at RAISE")
        );
        let (code, message, _) =
            error_of(&client, "DO $$ BEGIN RAISE division_by_zero; END $$").await;
        assert_eq!((code.as_str(), message.as_str()), ("22012", "division_by_zero"));
        let (code, message, _) =
            error_of(&client, "DO $$ BEGIN RAISE 'plain'; END $$").await;
        assert_eq!((code.as_str(), message.as_str()), ("P0001", "plain"));
        let (code, message, _) = error_of(
            &client,
            "DO $$ BEGIN BEGIN RAISE SQLSTATE '22003'; EXCEPTION WHEN numeric_value_out_of_range THEN RAISE; END; END $$",
        )
        .await;
        assert_eq!((code.as_str(), message.as_str()), ("22003", "22003"));
        let (code, message, _) = error_of(&client, "DO $$ BEGIN ASSERT 1 > 2; END $$").await;
        assert_eq!((code.as_str(), message.as_str()), ("P0004", "assertion failed"));
        let (code, _, context) =
            error_of(&client, "DO $$\nBEGIN\n  PERFORM 1 / 0;\nEND $$").await;
        assert_eq!(code, "22012");
        assert_eq!(
            context.as_deref(),
            Some("SQL statement \"SELECT 1 / 0\"\nPL/pgSQL function inline_code_block line 3 at PERFORM")
        );
        let (code, message, _) = error_of(&client, "DO $$ BEGIN x := 1; END $$").await;
        assert_eq!((code.as_str(), message.as_str()), ("42601", "\"x\" is not a known variable"));
    });
}

#[test]
fn into_strict_counts_rows() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute("CREATE TABLE r (a int); INSERT INTO r VALUES (1), (2)")
            .await
            .expect("setup");
        let (code, message, _) = error_of(
            &client,
            "DO $$ DECLARE n int; BEGIN SELECT a INTO STRICT n FROM r WHERE a > 5; END $$",
        )
        .await;
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("P0002", "query returned no rows")
        );
        let (code, message, _) = error_of(
            &client,
            "DO $$ DECLARE n int; BEGIN SELECT a INTO STRICT n FROM r; END $$",
        )
        .await;
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("P0003", "query returned more than one row")
        );
        let (code, message, _) = error_of(
            &client,
            "DO $$ DECLARE x int; BEGIN FOREACH x IN ARRAY 5 LOOP END LOOP; END $$",
        )
        .await;
        assert_eq!(
            (code.as_str(), message.as_str()),
            (
                "42804",
                "FOREACH expression must yield an array, not type integer"
            )
        );
        // Without STRICT the first row is taken; FOUND and ROW_COUNT follow the statement.
        client
            .batch_execute(
                "CREATE TABLE seen (v text);
                 DO $$
                 DECLARE n int; c int; rec record;
                 BEGIN
                   SELECT a INTO n FROM r ORDER BY a;
                   UPDATE r SET a = a + 10;
                   GET DIAGNOSTICS c = ROW_COUNT;
                   INSERT INTO seen VALUES (n || ' ' || c || ' ' || found);
                   SELECT * INTO rec FROM r WHERE a = 11;
                   INSERT INTO seen VALUES (rec.a::text);
                 END $$;",
            )
            .await
            .expect("DO runs");
        assert_eq!(
            column(&client, "SELECT v FROM seen").await,
            some(&["1 2 true", "11"])
        );
    });
}

#[test]
fn execute_runs_dynamic_sql_with_using_and_into() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "DO $$
                 DECLARE n int; s text := '';
                 BEGIN
                   EXECUTE format('CREATE TABLE %I (a int, b text)', 'dyn');
                   EXECUTE 'INSERT INTO dyn VALUES ($1, $2), ($1 + 1, $2)' USING 5, 'x';
                   EXECUTE 'SELECT sum(a) FROM dyn WHERE b = $1' INTO n USING 'x';
                   FOR s IN EXECUTE 'SELECT b || a FROM dyn ORDER BY a' LOOP
                     INSERT INTO dyn VALUES (n, s);
                   END LOOP;
                 END $$;",
            )
            .await
            .expect("DO runs");
        assert_eq!(
            column(&client, "SELECT a || b FROM dyn ORDER BY a, b").await,
            some(&["5x", "6x", "11x5", "11x6"])
        );
        let (code, message, _) = error_of(&client, "DO $$ BEGIN EXECUTE NULL; END $$").await;
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("22004", "query string argument of EXECUTE is null")
        );
    });
}

#[test]
fn raise_notices_reach_psql() {
    let server = TestServer::start();
    if !client_tool_available("psql", server.client_command("psql").arg("--version")) {
        return;
    }
    let output = run(server.client_command("psql").args([
        "-X",
        "-q",
        "-c",
        "DO $$ DECLARE r record; BEGIN SELECT 42 AS a, 'b' AS b INTO r; \
         RAISE NOTICE 'r.a=% r=% null=%', r.a, r, NULL; RAISE WARNING 'careful'; \
         RAISE DEBUG 'hidden'; END $$",
    ]));
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stderr,
        "NOTICE:  r.a=42 r=(42,b) null=<NULL>\nWARNING:  careful\n"
    );
}

#[test]
fn a_name_both_column_and_variable_is_ambiguous() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute("CREATE TABLE amb (a int); INSERT INTO amb VALUES (1)")
            .await
            .expect("setup");
        let err = client
            .batch_execute(
                "DO $$ DECLARE a int := 5; n int; BEGIN SELECT a INTO n FROM amb; END $$",
            )
            .await
            .expect_err("ambiguous");
        let db = err.as_db_error().expect("a server error");
        assert_eq!(db.code().code(), "42702");
        assert_eq!(db.message(), "column reference \"a\" is ambiguous");
        assert_eq!(
            db.detail(),
            Some("It could refer to either a PL/pgSQL variable or a table column.")
        );
        // Qualified, the column is meant; the variable is reachable under another name.
        client
            .batch_execute(
                "DO $$ DECLARE v int := 5; n int; BEGIN
                   SELECT amb.a + v INTO n FROM amb;
                   IF n <> 6 THEN RAISE EXCEPTION 'got %', n; END IF;
                 END $$",
            )
            .await
            .expect("qualified column and variable");
    });
}
