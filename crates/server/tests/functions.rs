//! User-defined SQL functions against the real server: CREATE, calls in the select list
//! and in FROM (scalar, SETOF, TABLE and OUT results), OR REPLACE rules, DROP, rollback,
//! the recursion guard, PL/pgSQL's refusal, and prepared statements across replace/drop.
//! Expected results and messages are PostgreSQL 15's.

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The SQLSTATE and message of a failing statement.
async fn failure(client: &Client, sql: &str) -> (SqlState, String) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (db.code().clone(), db.message().to_string())
}

/// The first column of every row of `sql`, as text.
async fn column(client: &Client, sql: &str) -> Vec<Option<String>> {
    client
        .simple_query(sql)
        .await
        .expect("query")
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).map(str::to_string)),
            _ => None,
        })
        .collect()
}

fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

#[test]
fn sql_functions_are_created_called_replaced_and_dropped() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE items (id int, label text); \
                 INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three'); \
                 CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + 1 $$; \
                 CREATE FUNCTION square(int) RETURNS int STRICT LANGUAGE sql RETURN $1 * $1; \
                 CREATE FUNCTION upto(n int) RETURNS TABLE (id int, label text) LANGUAGE sql \
                   AS $$ SELECT id, label FROM items WHERE id <= n ORDER BY id $$; \
                 CREATE FUNCTION pair(x int, OUT a int, OUT b text) LANGUAGE sql \
                   AS $$ SELECT x, 'p' || x $$; \
                 CREATE FUNCTION plus(a int, b int DEFAULT 10) RETURNS int LANGUAGE sql \
                   AS 'SELECT a + b'; \
                 CREATE FUNCTION add_item(i int) RETURNS int LANGUAGE sql \
                   AS $$ INSERT INTO items VALUES (i, 'new') RETURNING id * 10 $$;",
            )
            .await
            .expect("create functions");
        assert_eq!(column(&client, "SELECT add_one(41)").await, some(&["42"]));
        assert_eq!(column(&client, "SELECT square(NULL)").await, vec![None]);
        assert_eq!(
            column(&client, "SELECT label FROM upto(2)").await,
            some(&["one", "two"])
        );
        assert_eq!(
            column(&client, "SELECT upto(2)").await,
            some(&["(1,one)", "(2,two)"])
        );
        assert_eq!(column(&client, "SELECT pair(3)").await, some(&["(3,p3)"]));
        assert_eq!(column(&client, "SELECT b FROM pair(4)").await, some(&["p4"]));
        assert_eq!(
            column(&client, "SELECT plus(1) + plus(1, 2) + plus(b => 5, a => 1)").await,
            some(&["20"])
        );
        assert_eq!(column(&client, "SELECT add_item(9)").await, some(&["90"]));
        assert_eq!(
            column(&client, "SELECT count(*) FROM items").await,
            some(&["4"])
        );

        // OR REPLACE rules.
        let (code, message) = failure(
            &client,
            "CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql AS 'SELECT x'",
        )
        .await;
        assert_eq!(code, SqlState::DUPLICATE_FUNCTION);
        assert_eq!(
            message,
            "function \"add_one\" already exists with same argument types"
        );
        let (code, message) = failure(
            &client,
            "CREATE OR REPLACE FUNCTION add_one(x int) RETURNS text LANGUAGE sql AS 'SELECT x::text'",
        )
        .await;
        assert_eq!(code, SqlState::INVALID_FUNCTION_DEFINITION);
        assert_eq!(message, "cannot change return type of existing function");

        // A prepared statement sees the replacement, then the drop.
        let stmt = client
            .prepare("SELECT add_one($1)")
            .await
            .expect("prepare");
        let row = client.query_one(&stmt, &[&1i32]).await.expect("execute");
        assert_eq!(row.get::<_, i32>(0), 2);
        client
            .batch_execute(
                "CREATE OR REPLACE FUNCTION add_one(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 100'",
            )
            .await
            .expect("replace");
        let row = client.query_one(&stmt, &[&1i32]).await.expect("execute");
        assert_eq!(row.get::<_, i32>(0), 101);
        client
            .batch_execute("DROP FUNCTION add_one(int)")
            .await
            .expect("drop");
        let err = client
            .query_one(&stmt, &[&1i32])
            .await
            .expect_err("dropped function");
        assert_eq!(
            err.as_db_error().expect("server error").code(),
            &SqlState::UNDEFINED_FUNCTION
        );

        // DROP errors.
        let (code, message) = failure(&client, "DROP FUNCTION nosuch").await;
        assert_eq!(code, SqlState::UNDEFINED_FUNCTION);
        assert_eq!(message, "could not find a function named \"nosuch\"");
        client
            .batch_execute(
                "CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2'; \
                 CREATE FUNCTION twice(text) RETURNS text LANGUAGE sql AS 'SELECT $1 || $1'",
            )
            .await
            .expect("overloads");
        assert_eq!(
            column(&client, "SELECT twice(4)::text || twice('ab')").await,
            some(&["8abab"])
        );
        let (code, message) = failure(&client, "DROP FUNCTION twice").await;
        assert_eq!(code, SqlState::AMBIGUOUS_FUNCTION);
        assert_eq!(message, "function name \"twice\" is not unique");
    });
}

#[test]
fn function_definitions_are_checked_and_transactional() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        let (code, message) = failure(
            &client,
            "CREATE FUNCTION bad() RETURNS int LANGUAGE sql AS $$ SELECT 'x'::text $$",
        )
        .await;
        assert_eq!(code, SqlState::INVALID_FUNCTION_DEFINITION);
        assert_eq!(
            message,
            "return type mismatch in function declared to return integer"
        );
        let (code, message) = failure(
            &client,
            "CREATE FUNCTION f() RETURNS int LANGUAGE nosuch AS 'SELECT 1'",
        )
        .await;
        assert_eq!(code, SqlState::UNDEFINED_OBJECT);
        assert_eq!(message, "language \"nosuch\" does not exist");
        client
            .batch_execute(
                "BEGIN; CREATE FUNCTION gone() RETURNS int LANGUAGE sql AS 'SELECT 1'; ROLLBACK",
            )
            .await
            .expect("rolled back create");
        assert_eq!(
            column(&client, "SELECT count(*) FROM pg_proc WHERE proname = 'gone'").await,
            some(&["0"])
        );
        client
            .batch_execute(
                "CREATE FUNCTION deep(n int) RETURNS int LANGUAGE sql AS 'SELECT deep(n + 1)'; \
                 CREATE FUNCTION pl() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$",
            )
            .await
            .expect("create");
        let (code, message) = failure(&client, "SELECT deep(1)").await;
        assert_eq!(code, SqlState::STATEMENT_TOO_COMPLEX);
        assert_eq!(message, "stack depth limit exceeded");
        assert_eq!(column(&client, "SELECT pl()").await, some(&["1"]));
        assert_eq!(
            column(
                &client,
                "SELECT prolang::text || ' ' || prorettype::text FROM pg_proc WHERE proname = 'deep'"
            )
            .await,
            some(&["14 23"])
        );
    });
}

#[test]
fn argument_type_vectors_are_stored_as_postgres_stores_them() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE FUNCTION no_args() RETURNS bool LANGUAGE sql AS 'SELECT true'; \
             CREATE FUNCTION two_args(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT a'",
        )
        .await
        .expect("create");
        // pg_proc stays readable after a function without arguments, and proargtypes is
        // an oidvector indexed from 0 (opr_sanity's checks).
        assert_eq!(
            column(&c, "SELECT no_args()::text || two_args(7, 'x')").await,
            some(&["true7"])
        );
        assert_eq!(
            column(
                &c,
                "SELECT proname || ':' || coalesce(array_lower(proargtypes, 1)::text, '-') \
                 FROM pg_proc WHERE proname IN ('no_args', 'two_args') ORDER BY proname"
            )
            .await,
            some(&["no_args:-", "two_args:0"])
        );
        // A polymorphic result needs an input it can be decided from.
        let (code, message) = failure(
            &c,
            "CREATE FUNCTION bogus(int) RETURNS anyelement LANGUAGE sql AS 'SELECT 1'",
        )
        .await;
        assert_eq!(code, SqlState::INVALID_FUNCTION_DEFINITION);
        assert_eq!(message, "cannot determine result data type");
    });
}
