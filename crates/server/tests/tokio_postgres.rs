//! tokio-postgres against the real `tusk` binary: the simple and extended query protocols,
//! binary parameters and results (arrays, records), prepared statements, portals with row
//! limits, errors with SQLSTATE and cursor position, transaction blocks and savepoints, query cancellation,
//! statement_timeout and ParameterStatus.
//!
//! Every check is a function over a connected client, so the same expectations also run
//! against a real PostgreSQL 15: set `TUSK_ITEST_POSTGRES` to a libpq connection string
//! and run the ignored test `same_checks_pass_on_postgresql`.

mod common;

use std::time::Duration;

use common::TestServer;
use tokio_postgres::error::{DbError, ErrorPosition, SqlState};
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

/// The database error behind a failed call (panics if it is another kind of failure).
fn db_error(result: Result<impl std::fmt::Debug, tokio_postgres::Error>) -> DbError {
    let e = result.expect_err("the statement should fail");
    e.as_db_error()
        .unwrap_or_else(|| panic!("not a database error: {e:?}"))
        .clone()
}

/// Rows (as text) and command-complete counts of a simple query, in order.
#[derive(Debug, PartialEq)]
enum Simple {
    Row(Vec<Option<String>>),
    Complete(u64),
}

async fn simple(client: &Client, sql: &str) -> Vec<Simple> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(Simple::Row(
                (0..row.len())
                    .map(|i| row.get(i).map(str::to_string))
                    .collect(),
            )),
            SimpleQueryMessage::CommandComplete(n) => Some(Simple::Complete(n)),
            _ => None,
        })
        .collect()
}

async fn show(client: &Client, name: &str) -> String {
    let row = client
        .query_one(&format!("SHOW {name}"), &[])
        .await
        .expect("SHOW");
    row.get(0)
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

async fn check_simple_query_runs_every_statement(client: &Client) {
    let messages = simple(
        client,
        "SELECT 1 AS a, 'x' AS b; SELECT NULL::text, 2.5::float8; \
         SET application_name = 'itest'; SHOW application_name; \
         SELECT * FROM generate_series(1, 3)",
    )
    .await;
    assert_eq!(
        messages,
        vec![
            Simple::Row(vec![text("1"), text("x")]),
            Simple::Complete(1),
            Simple::Row(vec![None, text("2.5")]),
            Simple::Complete(1),
            Simple::Complete(0),
            Simple::Row(vec![text("itest")]),
            Simple::Complete(0),
            Simple::Row(vec![text("1")]),
            Simple::Row(vec![text("2")]),
            Simple::Row(vec![text("3")]),
            Simple::Complete(3),
        ]
    );
    let columns = client
        .simple_query("SELECT 1 AS a, 2 AS b")
        .await
        .expect("query");
    let Some(SimpleQueryMessage::RowDescription(cols)) = columns.first() else {
        panic!("expected a RowDescription first: {columns:?}");
    };
    let names: Vec<&str> = cols.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["a", "b"]);
    // An empty query string: EmptyQueryResponse, which the client reports as no rows.
    assert_eq!(simple(client, "").await, vec![Simple::Complete(0)]);
}

async fn check_binary_parameters_and_results(client: &Client) {
    let row = client
        .query_one(
            "SELECT $1::int4 + 1, $2::int8 * 2, $3::text || '!', $4::float8 / 2, NOT $5::bool",
            &[&41i32, &(1i64 << 40), &"tusk", &5.0f64, &false],
        )
        .await
        .expect("query with parameters");
    let types: Vec<Type> = row.columns().iter().map(|c| c.type_().clone()).collect();
    assert_eq!(
        types,
        [Type::INT4, Type::INT8, Type::TEXT, Type::FLOAT8, Type::BOOL]
    );
    assert_eq!(row.get::<_, i32>(0), 42);
    assert_eq!(row.get::<_, i64>(1), 1i64 << 41);
    assert_eq!(row.get::<_, String>(2), "tusk!");
    assert_eq!(row.get::<_, f64>(3), 2.5);
    assert!(row.get::<_, bool>(4));

    let row = client
        .query_one(
            "SELECT $1::int4 IS NULL, $2::text, $3::int2",
            &[&None::<i32>, &None::<String>, &-7i16],
        )
        .await
        .expect("NULL parameters");
    assert!(row.get::<_, bool>(0));
    assert_eq!(row.get::<_, Option<String>>(1), None);
    assert_eq!(row.get::<_, i16>(2), -7);

    let row = client
        .query_one(
            "SELECT $1::float8, $2::float4, $3::int8",
            &[&f64::INFINITY, &1.5f32, &i64::MIN],
        )
        .await
        .expect("extreme values");
    assert_eq!(row.get::<_, f64>(0), f64::INFINITY);
    assert_eq!(row.get::<_, f32>(1), 1.5);
    assert_eq!(row.get::<_, i64>(2), i64::MIN);
}

async fn check_arrays_travel_in_binary_and_text(client: &Client) {
    let row = client
        .query_one(
            "SELECT $1::int4[] || 4, $2::text[], 2 = ANY($1), ($1)[2:3]",
            &[&vec![1i32, 2, 3], &vec![Some("a b".to_string()), None]],
        )
        .await
        .expect("array parameters");
    let types: Vec<Type> = row.columns().iter().map(|c| c.type_().clone()).collect();
    assert_eq!(
        types,
        [
            Type::INT4_ARRAY,
            Type::TEXT_ARRAY,
            Type::BOOL,
            Type::INT4_ARRAY
        ]
    );
    assert_eq!(row.get::<_, Vec<i32>>(0), vec![1, 2, 3, 4]);
    assert_eq!(
        row.get::<_, Vec<Option<String>>>(1),
        vec![Some("a b".to_string()), None]
    );
    assert!(row.get::<_, bool>(2));
    assert_eq!(row.get::<_, Vec<i32>>(3), vec![2, 3]);
    assert_eq!(
        simple(
            client,
            "SELECT ARRAY[[1,2],[3,4]], '{a,\"b c\",NULL}'::text[]"
        )
        .await,
        [
            Simple::Row(vec![text("{{1,2},{3,4}}"), text("{a,\"b c\",NULL}")]),
            Simple::Complete(1)
        ]
    );
}

/// A `record` result column's raw binary form (`record_send`).
struct RecordBytes(Vec<u8>);

impl<'a> tokio_postgres::types::FromSql<'a> for RecordBytes {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> Result<RecordBytes, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RecordBytes(raw.to_vec()))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::RECORD
    }
}

async fn check_records_travel_in_binary_and_text(client: &Client) {
    let row = client
        .query_one("SELECT ROW(1, 'a b'::text, NULL::int4), ROW()", &[])
        .await
        .expect("record results");
    assert_eq!(*row.columns()[0].type_(), Type::RECORD);
    let mut expected = vec![0, 0, 0, 3];
    expected.extend_from_slice(&[0, 0, 0, 23, 0, 0, 0, 4, 0, 0, 0, 1]);
    expected.extend_from_slice(&[0, 0, 0, 25, 0, 0, 0, 3, b'a', b' ', b'b']);
    expected.extend_from_slice(&[0, 0, 0, 23, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(row.get::<_, RecordBytes>(0).0, expected);
    assert_eq!(row.get::<_, RecordBytes>(1).0, vec![0, 0, 0, 0]);
    assert_eq!(
        simple(client, "SELECT ROW(1, 'a b', NULL, '')").await,
        [
            Simple::Row(vec![text("(1,\"a b\",,\"\")")]),
            Simple::Complete(1)
        ]
    );
}

async fn check_prepared_statement_is_reused(client: &Client) {
    let statement = client
        .prepare("SELECT $1::int8 * 2, $2::text")
        .await
        .expect("prepare");
    assert_eq!(statement.params(), [Type::INT8, Type::TEXT]);
    for i in 0..20i64 {
        let label = format!("row {i}");
        let row = client
            .query_one(&statement, &[&i, &label])
            .await
            .expect("execute prepared");
        assert_eq!(row.get::<_, i64>(0), i * 2);
        assert_eq!(row.get::<_, String>(1), label);
    }
}

async fn check_parameter_types_are_inferred(client: &Client) {
    let cases: [(&str, &[Type], &[Type]); 4] = [
        ("SELECT $1::int + 1", &[Type::INT4], &[Type::INT4]),
        ("SELECT $1 = 5", &[Type::INT4], &[Type::BOOL]),
        ("SELECT $1 + 1.5", &[Type::NUMERIC], &[Type::NUMERIC]),
        ("SELECT 'a' || $1", &[Type::TEXT], &[Type::TEXT]),
    ];
    for (sql, params, columns) in cases {
        let statement = client.prepare(sql).await.expect(sql);
        assert_eq!(statement.params(), params, "parameters of {sql}");
        let types: Vec<Type> = statement
            .columns()
            .iter()
            .map(|c| c.type_().clone())
            .collect();
        assert_eq!(types, columns, "columns of {sql}");
    }
    let row = client
        .query_one("SELECT $1 = 5", &[&5i32])
        .await
        .expect("inferred int4 parameter");
    assert!(row.get::<_, bool>(0));
}

async fn check_portal_returns_rows_in_batches(client: &mut Client) {
    let transaction = client.transaction().await.expect("BEGIN");
    let portal = transaction
        .bind("SELECT g, g * 10 FROM generate_series(1, 5) g", &[])
        .await
        .expect("bind");
    let mut batches = Vec::new();
    for _ in 0..4 {
        let rows = transaction
            .query_portal(&portal, 2)
            .await
            .expect("execute portal");
        batches.push(
            rows.iter()
                .map(|r| (r.get::<_, i32>(0), r.get::<_, i32>(1)))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        batches,
        vec![
            vec![(1, 10), (2, 20)],
            vec![(3, 30), (4, 40)],
            vec![(5, 50)],
            vec![]
        ]
    );
    transaction.commit().await.expect("COMMIT");
}

/// SQLSTATE, message and 1-based character position of the error `sql` raises, through
/// both the simple and the extended protocol (which must agree).
async fn error_of(client: &Client, sql: &str) -> (SqlState, String, Option<u32>) {
    let simple = db_error(client.simple_query(sql).await);
    let extended = match client.prepare(sql).await {
        Err(e) => e,
        Ok(statement) => client
            .query(&statement, &[])
            .await
            .expect_err("the statement should fail"),
    };
    let extended = extended
        .as_db_error()
        .unwrap_or_else(|| panic!("not a database error: {extended:?}"))
        .clone();
    let position = |e: &DbError| match e.position() {
        Some(ErrorPosition::Original(p)) => Some(*p),
        Some(ErrorPosition::Internal { .. }) => panic!("internal position for {sql}"),
        None => None,
    };
    assert_eq!(
        (extended.code(), extended.message(), position(&extended)),
        (simple.code(), simple.message(), position(&simple)),
        "extended and simple protocol disagree on {sql}"
    );
    (
        simple.code().clone(),
        simple.message().to_string(),
        position(&simple),
    )
}

async fn check_errors_carry_sqlstate_and_position(client: &Client) {
    let cases: [(&str, SqlState, &str, Option<u32>); 5] = [
        (
            "SELECT 1/0",
            SqlState::DIVISION_BY_ZERO,
            "division by zero",
            None,
        ),
        (
            "SELECT 1 +",
            SqlState::SYNTAX_ERROR,
            "syntax error at end of input",
            Some(11),
        ),
        (
            "SELEC 1",
            SqlState::SYNTAX_ERROR,
            "syntax error at or near \"SELEC\"",
            Some(1),
        ),
        (
            "SELECT nosuch",
            SqlState::UNDEFINED_COLUMN,
            "column \"nosuch\" does not exist",
            Some(8),
        ),
        (
            "SELECT * FROM nosuch",
            SqlState::UNDEFINED_TABLE,
            "relation \"nosuch\" does not exist",
            Some(15),
        ),
    ];
    for (sql, code, message, position) in cases {
        assert_eq!(
            error_of(client, sql).await,
            (code, message.to_string(), position),
            "{sql}"
        );
    }
    let e = db_error(client.simple_query("SELECT 'abc'::int4").await);
    assert_eq!(e.code(), &SqlState::INVALID_TEXT_REPRESENTATION);
    assert_eq!(
        e.message(),
        "invalid input syntax for type integer: \"abc\""
    );
    // Input errors point at the literal, not at the cast or operator.
    assert_eq!(e.position(), Some(&ErrorPosition::Original(8)));
    let e = db_error(client.simple_query("SELECT 1 + 'abc'").await);
    assert_eq!(e.code(), &SqlState::INVALID_TEXT_REPRESENTATION);
    assert_eq!(e.position(), Some(&ErrorPosition::Original(12)));
    // The session is usable after every error.
    assert_eq!(
        simple(client, "SELECT 7").await,
        vec![Simple::Row(vec![text("7")]), Simple::Complete(1)]
    );
}

async fn check_failed_transaction_block_rejects_until_rollback(client: &Client) {
    client.batch_execute("BEGIN").await.expect("BEGIN");
    let e = db_error(client.simple_query("SELECT 1/0").await);
    assert_eq!(e.code(), &SqlState::DIVISION_BY_ZERO);
    let e = db_error(client.simple_query("SELECT 1").await);
    assert_eq!(e.code(), &SqlState::IN_FAILED_SQL_TRANSACTION);
    assert_eq!(
        e.message(),
        "current transaction is aborted, commands ignored until end of transaction block"
    );
    // The extended protocol is refused too.
    let e = db_error(client.query("SELECT $1::int4", &[&1i32]).await);
    assert_eq!(e.code(), &SqlState::IN_FAILED_SQL_TRANSACTION);
    client.batch_execute("ROLLBACK").await.expect("ROLLBACK");
    assert_eq!(
        simple(client, "SELECT 1").await,
        vec![Simple::Row(vec![text("1")]), Simple::Complete(1)]
    );
    // COMMIT of a failed block rolls back.
    client.batch_execute("BEGIN").await.expect("BEGIN");
    let _ = db_error(client.simple_query("SELECT 1/0").await);
    client.batch_execute("COMMIT").await.expect("COMMIT");
    assert_eq!(
        simple(client, "SELECT 2").await,
        vec![Simple::Row(vec![text("2")]), Simple::Complete(1)]
    );
}

async fn check_savepoints_and_set_follow_the_transaction(client: &Client) {
    client
        .batch_execute("SET application_name = 'outer'")
        .await
        .expect("SET");
    client
        .batch_execute(
            "BEGIN; SET application_name = 'a'; SAVEPOINT s1; SET application_name = 'b'",
        )
        .await
        .expect("BEGIN ... SAVEPOINT");
    assert_eq!(show(client, "application_name").await, "b");
    client
        .batch_execute("ROLLBACK TO SAVEPOINT s1")
        .await
        .expect("ROLLBACK TO");
    assert_eq!(show(client, "application_name").await, "a");
    // An error after a savepoint: ROLLBACK TO leaves the block usable again.
    client
        .batch_execute("SAVEPOINT s2; SET application_name = 'c'")
        .await
        .expect("SAVEPOINT s2");
    let _ = db_error(client.simple_query("SELECT 1/0").await);
    let e = db_error(client.simple_query("SHOW application_name").await);
    assert_eq!(e.code(), &SqlState::IN_FAILED_SQL_TRANSACTION);
    client
        .batch_execute("ROLLBACK TO s2")
        .await
        .expect("ROLLBACK TO s2");
    assert_eq!(show(client, "application_name").await, "a");
    let e = db_error(client.simple_query("ROLLBACK TO nosuch").await);
    assert_eq!(e.code(), &SqlState::S_E_INVALID_SPECIFICATION);
    assert_eq!(e.message(), "savepoint \"nosuch\" does not exist");
    client.batch_execute("ROLLBACK").await.expect("ROLLBACK");
    // The whole rolled-back transaction's SETs are undone.
    assert_eq!(show(client, "application_name").await, "outer");
    // A committed SET stays; SET LOCAL ends with its transaction.
    client
        .batch_execute("BEGIN; SET application_name = 'kept'; SET LOCAL search_path = 'x'; COMMIT")
        .await
        .expect("committed SET");
    assert_eq!(show(client, "application_name").await, "kept");
    assert_eq!(show(client, "search_path").await, "\"$user\", public");
    let e = db_error(client.simple_query("SAVEPOINT s").await);
    assert_eq!(e.code(), &SqlState::NO_ACTIVE_SQL_TRANSACTION);
    assert_eq!(
        e.message(),
        "SAVEPOINT can only be used in transaction blocks"
    );
    client
        .batch_execute("RESET application_name")
        .await
        .expect("RESET");
}

async fn check_transaction_characteristics(client: &Client) {
    client
        .batch_execute("START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY")
        .await
        .expect("START TRANSACTION");
    assert_eq!(show(client, "transaction_isolation").await, "serializable");
    assert_eq!(show(client, "transaction_read_only").await, "on");
    // AND CHAIN starts the next transaction with the same characteristics.
    client
        .batch_execute("COMMIT AND CHAIN")
        .await
        .expect("COMMIT AND CHAIN");
    assert_eq!(show(client, "transaction_isolation").await, "serializable");
    assert_eq!(show(client, "transaction_read_only").await, "on");
    client
        .batch_execute("ROLLBACK AND CHAIN")
        .await
        .expect("ROLLBACK AND CHAIN");
    assert_eq!(show(client, "transaction_isolation").await, "serializable");
    client.batch_execute("ROLLBACK").await.expect("ROLLBACK");
    assert_eq!(
        show(client, "transaction_isolation").await,
        "read committed"
    );

    // The isolation level may change until the first query, not after.
    client
        .batch_execute("BEGIN; SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .await
        .expect("SET TRANSACTION before any query");
    client.batch_execute("SELECT 1").await.expect("SELECT");
    client
        .batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .await
        .expect("re-setting the same level is allowed");
    let e = db_error(
        client
            .simple_query("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
            .await,
    );
    assert_eq!(e.code(), &SqlState::ACTIVE_SQL_TRANSACTION);
    assert_eq!(
        e.message(),
        "SET TRANSACTION ISOLATION LEVEL must be called before any query"
    );
    // Plain SET of the parameter is held to the same rule.
    let e = db_error(
        client
            .simple_query("SET transaction_isolation = 'serializable'")
            .await,
    );
    assert_eq!(e.code(), &SqlState::IN_FAILED_SQL_TRANSACTION);
    client.batch_execute("ROLLBACK").await.expect("ROLLBACK");
    client
        .batch_execute("BEGIN; SELECT 1")
        .await
        .expect("BEGIN; SELECT");
    let e = db_error(
        client
            .simple_query("SET transaction_isolation = 'serializable'")
            .await,
    );
    assert_eq!(e.code(), &SqlState::ACTIVE_SQL_TRANSACTION);
    client.batch_execute("ROLLBACK").await.expect("ROLLBACK");
    client
        .batch_execute("BEGIN READ ONLY; SELECT 1")
        .await
        .expect("BEGIN READ ONLY");
    let e = db_error(client.simple_query("SET TRANSACTION READ WRITE").await);
    assert_eq!(e.code(), &SqlState::ACTIVE_SQL_TRANSACTION);
    assert_eq!(
        e.message(),
        "transaction read-write mode must be set before any query"
    );
    client.batch_execute("ROLLBACK").await.expect("ROLLBACK");
}

async fn check_cancel_interrupts_running_statement(client: &Client) {
    let token = client.cancel_token();
    let query = client.simple_query("SELECT pg_sleep(30)");
    tokio::pin!(query);
    // A cancel that arrives before the statement starts is ignored (as in PostgreSQL), so
    // keep asking until the statement ends; the bound is far below the 30 s sleep.
    let started = std::time::Instant::now();
    let mut cancels_sent = 0;
    let result = loop {
        tokio::select! {
            result = &mut query => break result,
            _ = tokio::time::sleep(Duration::from_millis(50 << cancels_sent.min(4))) => {
                assert!(started.elapsed() < Duration::from_secs(25), "cancel had no effect");
                token.cancel_query(NoTls).await.expect("send CancelRequest");
                cancels_sent += 1;
            }
        }
    };
    let e = db_error(result);
    assert_eq!(e.code(), &SqlState::QUERY_CANCELED);
    assert_eq!(e.message(), "canceling statement due to user request");
    // The session goes on. Cancel requests are asynchronous: one still in flight may
    // cancel a later statement, each at most one, so allow that many retries.
    let mut retries = cancels_sent;
    let messages = loop {
        match client.simple_query("SELECT 'alive'").await {
            Err(e)
                if retries > 0
                    && e.as_db_error().is_some_and(|d| {
                        d.message() == "canceling statement due to user request"
                    }) =>
            {
                retries -= 1
            }
            outcome => break outcome.expect("session works after cancel"),
        }
    };
    assert!(matches!(&messages[1], SimpleQueryMessage::Row(r) if r.get(0) == Some("alive")));
}

async fn check_statement_timeout_cancels(client: &Client) {
    client
        .batch_execute("SET statement_timeout = 200")
        .await
        .expect("SET statement_timeout");
    let e = db_error(client.simple_query("SELECT pg_sleep(20)").await);
    assert_eq!(e.code(), &SqlState::QUERY_CANCELED);
    assert_eq!(e.message(), "canceling statement due to statement timeout");
    let e = db_error(client.query("SELECT pg_sleep($1)", &[&20.0f64]).await);
    assert_eq!(e.code(), &SqlState::QUERY_CANCELED);
    client
        .batch_execute("RESET statement_timeout")
        .await
        .expect("RESET");
    assert_eq!(show(client, "statement_timeout").await, "0");
    let row = client
        .query_one("SELECT pg_sleep(0.01) IS NOT NULL", &[])
        .await
        .expect("short sleep");
    // pg_sleep returns void, which is a value, not NULL.
    assert!(row.get::<_, bool>(0));
}

async fn check_parameter_status_changes_are_harmless(client: &Client) {
    client
        .batch_execute("SET application_name = 'first'")
        .await
        .expect("SET");
    client
        .execute("SET application_name = 'second'", &[])
        .await
        .expect("SET through the extended protocol");
    client
        .batch_execute("BEGIN; SET application_name = 'third'; ROLLBACK")
        .await
        .expect("SET rolled back");
    assert_eq!(show(client, "application_name").await, "second");
    client
        .batch_execute("SET extra_float_digits = 0; SET TimeZone = 'UTC'; RESET ALL")
        .await
        .expect("SET and RESET ALL");
    assert_eq!(show(client, "application_name").await, "");
    let row = client
        .query_one("SELECT $1::float8", &[&0.1f64])
        .await
        .expect("query after ParameterStatus");
    assert_eq!(row.get::<_, f64>(0), 0.1);
}

#[tokio::test]
async fn simple_query_runs_every_statement() {
    let server = TestServer::start();
    check_simple_query_runs_every_statement(&server.connect().await).await;
}

#[tokio::test]
async fn binary_parameters_and_results() {
    let server = TestServer::start();
    check_binary_parameters_and_results(&server.connect().await).await;
}

#[tokio::test]
async fn arrays_travel_in_binary_and_text() {
    let server = TestServer::start();
    check_arrays_travel_in_binary_and_text(&server.connect().await).await;
}

#[tokio::test]
async fn records_travel_in_binary_and_text() {
    let server = TestServer::start();
    check_records_travel_in_binary_and_text(&server.connect().await).await;
}

#[tokio::test]
async fn prepared_statement_is_reused() {
    let server = TestServer::start();
    check_prepared_statement_is_reused(&server.connect().await).await;
}

#[tokio::test]
async fn parameter_types_are_inferred() {
    let server = TestServer::start();
    check_parameter_types_are_inferred(&server.connect().await).await;
}

#[tokio::test]
async fn portal_returns_rows_in_batches() {
    let server = TestServer::start();
    check_portal_returns_rows_in_batches(&mut server.connect().await).await;
}

#[tokio::test]
async fn errors_carry_sqlstate_and_position() {
    let server = TestServer::start();
    check_errors_carry_sqlstate_and_position(&server.connect().await).await;
}

#[tokio::test]
async fn failed_transaction_block_rejects_until_rollback() {
    let server = TestServer::start();
    check_failed_transaction_block_rejects_until_rollback(&server.connect().await).await;
}

#[tokio::test]
async fn savepoints_and_set_follow_the_transaction() {
    let server = TestServer::start();
    check_savepoints_and_set_follow_the_transaction(&server.connect().await).await;
}

#[tokio::test]
async fn transaction_characteristics() {
    let server = TestServer::start();
    check_transaction_characteristics(&server.connect().await).await;
}

#[tokio::test]
async fn cancel_interrupts_running_statement() {
    let server = TestServer::start();
    check_cancel_interrupts_running_statement(&server.connect().await).await;
}

#[tokio::test]
async fn statement_timeout_cancels() {
    let server = TestServer::start();
    check_statement_timeout_cancels(&server.connect().await).await;
}

#[tokio::test]
async fn parameter_status_changes_are_harmless() {
    let server = TestServer::start();
    check_parameter_status_changes_are_harmless(&server.connect().await).await;
}

/// The same checks against a real PostgreSQL 15 (`TUSK_ITEST_POSTGRES` = connection string),
/// so the expectations above are PostgreSQL's; without the variable there is nothing to
/// compare with and the test says so.
#[tokio::test]
async fn same_checks_pass_on_postgresql() {
    let Ok(conninfo) = std::env::var("TUSK_ITEST_POSTGRES") else {
        eprintln!("skipped: set TUSK_ITEST_POSTGRES to a PostgreSQL 15 connection string");
        return;
    };
    let (mut client, connection) = tokio_postgres::connect(&conninfo, NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    check_simple_query_runs_every_statement(&client).await;
    check_binary_parameters_and_results(&client).await;
    check_arrays_travel_in_binary_and_text(&client).await;
    check_records_travel_in_binary_and_text(&client).await;
    check_prepared_statement_is_reused(&client).await;
    check_parameter_types_are_inferred(&client).await;
    check_portal_returns_rows_in_batches(&mut client).await;
    check_errors_carry_sqlstate_and_position(&client).await;
    check_failed_transaction_block_rejects_until_rollback(&client).await;
    check_savepoints_and_set_follow_the_transaction(&client).await;
    check_transaction_characteristics(&client).await;
    // On a connection of its own: a late cancel request must not reach other checks.
    let (canceled, connection) = tokio_postgres::connect(&conninfo, NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    check_cancel_interrupts_running_statement(&canceled).await;
    drop(canceled);
    check_statement_timeout_cancels(&client).await;
    check_parameter_status_changes_are_harmless(&client).await;
}
