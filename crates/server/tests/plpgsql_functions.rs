//! `LANGUAGE plpgsql` functions called from SQL against the real server: in the select
//! list, WHERE and FROM, recursion, set-returning functions (RETURN NEXT, RETURN QUERY),
//! STRICT and defaults, writes from inside a query, EXCEPTION blocks, and errors with
//! PL/pgSQL CONTEXT lines.

mod common;

use common::TestServer;
use tokio_postgres::Client;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Every row, each value as text (NULL as `None`).
async fn rows(client: &Client, sql: &str) -> Vec<Vec<Option<String>>> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
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

fn table(values: &[&[&str]]) -> Vec<Vec<Option<String>>> {
    values
        .iter()
        .map(|r| r.iter().map(|v| Some(v.to_string())).collect())
        .collect()
}

#[test]
fn scalar_functions_in_the_select_list_where_and_recursion() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE t (a int, b text);
                 INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');
                 CREATE FUNCTION add1(x int) RETURNS int LANGUAGE plpgsql
                   AS $$ BEGIN RETURN x + 1; END $$;
                 CREATE FUNCTION fact(n int) RETURNS bigint LANGUAGE plpgsql AS $$
                 BEGIN
                   IF n <= 1 THEN RETURN 1; END IF;
                   RETURN n * fact(n - 1);
                 END $$;
                 CREATE FUNCTION cnt() RETURNS bigint LANGUAGE plpgsql AS $$
                 DECLARE c bigint;
                 BEGIN SELECT count(*) INTO c FROM t; RETURN c; END $$;
                 CREATE FUNCTION dflt(x int, y int DEFAULT 5) RETURNS int LANGUAGE plpgsql
                   AS $$ BEGIN RETURN x + y; END $$;
                 CREATE FUNCTION s(x int) RETURNS int STRICT LANGUAGE plpgsql
                   AS $$ BEGIN RETURN 1; END $$;",
            )
            .await
            .expect("setup");
        assert_eq!(rows(&client, "SELECT add1(41)").await, table(&[&["42"]]));
        assert_eq!(
            rows(
                &client,
                "SELECT a, add1(a) FROM t WHERE add1(a) > 2 ORDER BY a"
            )
            .await,
            table(&[&["2", "3"], &["3", "4"]])
        );
        assert_eq!(
            rows(&client, "SELECT fact(10)").await,
            table(&[&["3628800"]])
        );
        assert_eq!(rows(&client, "SELECT cnt()").await, table(&[&["3"]]));
        assert_eq!(
            rows(&client, "SELECT dflt(1), dflt(1, 2)").await,
            table(&[&["6", "3"]])
        );
        assert_eq!(
            rows(&client, "SELECT s(NULL) IS NULL, s(7)").await,
            table(&[&["t", "1"]])
        );
    });
}

#[test]
fn set_returning_functions_in_from_and_the_select_list() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE t (a int, b text);
                 INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');
                 CREATE FUNCTION gen(n int) RETURNS SETOF int LANGUAGE plpgsql AS $$
                 BEGIN
                   FOR i IN 1..n LOOP RETURN NEXT i * 10; END LOOP;
                   RETURN;
                 END $$;
                 CREATE FUNCTION names() RETURNS SETOF text LANGUAGE plpgsql
                   AS $$ BEGIN RETURN QUERY SELECT b FROM t ORDER BY a; END $$;",
            )
            .await
            .expect("setup");
        assert_eq!(
            rows(&client, "SELECT * FROM gen(3)").await,
            table(&[&["10"], &["20"], &["30"]])
        );
        assert_eq!(
            rows(&client, "SELECT gen(2)").await,
            table(&[&["10"], &["20"]])
        );
        assert_eq!(
            rows(&client, "SELECT * FROM names()").await,
            table(&[&["one"], &["two"], &["three"]])
        );
        assert_eq!(
            rows(
                &client,
                "SELECT a, g FROM t, gen(a) AS g WHERE a < 3 ORDER BY 1, 2"
            )
            .await,
            table(&[&["1", "10"], &["2", "10"], &["2", "20"]])
        );
    });
}

#[test]
fn writes_exceptions_and_error_context() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE t (a int);
                 CREATE FUNCTION ins(x int) RETURNS int LANGUAGE plpgsql
                   AS $$ BEGIN INSERT INTO t VALUES (x); RETURN x; END $$;
                 CREATE FUNCTION safe(x int) RETURNS int LANGUAGE plpgsql AS $$
                 BEGIN RETURN 10 / x;
                 EXCEPTION WHEN division_by_zero THEN RETURN -1;
                 END $$;
                 CREATE FUNCTION boom(x int) RETURNS int LANGUAGE plpgsql AS $$
                 BEGIN
                   IF x > 1 THEN
                     RAISE EXCEPTION 'too big: %', x;
                   END IF;
                   RETURN x;
                 END $$;
                 CREATE FUNCTION noret(x int) RETURNS int LANGUAGE plpgsql
                   AS $$ BEGIN x := x; END $$;",
            )
            .await
            .expect("setup");
        assert_eq!(rows(&client, "SELECT ins(7)").await, table(&[&["7"]]));
        assert_eq!(
            rows(&client, "SELECT count(*) FROM t").await,
            table(&[&["1"]])
        );
        assert_eq!(
            rows(&client, "SELECT safe(0), safe(5)").await,
            table(&[&["-1", "2"]])
        );
        let (code, message, context) =
            error_of(&client, "SELECT boom(a) FROM generate_series(1, 3) a").await;
        assert_eq!(code, "P0001");
        assert_eq!(message, "too big: 2");
        assert_eq!(
            context.as_deref(),
            Some("PL/pgSQL function boom(integer) line 4 at RAISE")
        );
        let (code, message, context) = error_of(&client, "SELECT noret(1)").await;
        assert_eq!(code, "2F005");
        assert_eq!(message, "control reached end of function without RETURN");
        assert_eq!(context.as_deref(), Some("PL/pgSQL function noret(integer)"));
        // The failed statement's insert is gone with its transaction.
        let (code, _, _) = error_of(&client, "SELECT ins(8), boom(2)").await;
        assert_eq!(code, "P0001");
        assert_eq!(
            rows(&client, "SELECT count(*) FROM t").await,
            table(&[&["1"]])
        );
    });
}

#[test]
fn statements_see_earlier_writes_and_exception_blocks_roll_back() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE log (n int);
                 CREATE FUNCTION insthen(x int) RETURNS bigint LANGUAGE plpgsql AS $$
                 DECLARE c bigint;
                 BEGIN
                   INSERT INTO log VALUES (x);
                   SELECT count(*) INTO c FROM log;
                   RETURN c;
                 END $$;
                 CREATE FUNCTION undo(x int) RETURNS int LANGUAGE plpgsql AS $$
                 BEGIN
                   BEGIN
                     INSERT INTO log VALUES (x);
                     PERFORM 1 / 0;
                   EXCEPTION WHEN division_by_zero THEN
                     RETURN -1;
                   END;
                   RETURN x;
                 END $$;",
            )
            .await
            .expect("setup");
        assert_eq!(rows(&client, "SELECT insthen(1)").await, table(&[&["1"]]));
        assert_eq!(rows(&client, "SELECT insthen(2)").await, table(&[&["2"]]));
        assert_eq!(rows(&client, "SELECT undo(3)").await, table(&[&["-1"]]));
        assert_eq!(
            rows(&client, "SELECT n FROM log ORDER BY n").await,
            table(&[&["1"], &["2"]])
        );
    });
}

#[test]
fn call_runs_procedures() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE log (n int);
                 CREATE PROCEDURE p1(x int) LANGUAGE plpgsql
                   AS $$ BEGIN INSERT INTO log VALUES (x); END $$;
                 CREATE PROCEDURE p2(a int) LANGUAGE sql
                   AS $$ INSERT INTO log VALUES (a * 2) $$;
                 CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql
                   AS $$ BEGIN RETURN x; END $$;
                 CALL p1(5);
                 CALL p2(4);",
            )
            .await
            .expect("setup and calls");
        assert_eq!(
            rows(&client, "SELECT n FROM log ORDER BY n").await,
            table(&[&["5"], &["8"]])
        );
        let (code, message, _) = error_of(&client, "CALL f(1)").await;
        assert_eq!(code, "42809");
        assert_eq!(message, "f(integer) is not a procedure");
        let (code, message, _) = error_of(&client, "SELECT p1(1)").await;
        assert_eq!(code, "42809");
        assert_eq!(message, "p1(integer) is a procedure");
    });
}
