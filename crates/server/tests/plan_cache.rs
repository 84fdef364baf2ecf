//! Prepared statements across catalog changes, against the real server: a statement keeps
//! its plan between executions and is analysed again, transparently, when DDL (its own
//! session's or another's) changed what it was built from; a dropped table gives
//! PostgreSQL's 42P01, a changed result row type 0A000 `cached plan must not change result
//! type`, and no execution returns rows read with an outdated descriptor.

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Statement};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The `b` values of the rows `stmt` (one int4 parameter) returns for `a`.
async fn texts(client: &Client, stmt: &Statement, a: i32) -> Vec<String> {
    client
        .query(stmt, &[&a])
        .await
        .expect("prepared query")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

/// The SQLSTATE and message of a failing execution of `stmt`.
async fn failure(client: &Client, stmt: &Statement, a: i32) -> (SqlState, String) {
    let err = client
        .query(stmt, &[&a])
        .await
        .expect_err("execution should fail");
    let db = err.as_db_error().expect("a server error");
    (db.code().clone(), db.message().to_string())
}

async fn setup(client: &Client) {
    client
        .batch_execute(
            "CREATE TABLE pc (a int, b text); \
             INSERT INTO pc SELECT g, 'row ' || g FROM generate_series(1, 50) g;",
        )
        .await
        .expect("setup");
}

#[test]
fn add_column_keeps_a_statement_whose_result_is_unchanged() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        setup(&client).await;
        let by_key = client
            .prepare("SELECT b FROM pc WHERE a = $1")
            .await
            .expect("prepare");
        let star = client
            .prepare("SELECT * FROM pc WHERE a = $1")
            .await
            .expect("prepare");
        assert_eq!(texts(&client, &by_key, 7).await, ["row 7"]);
        assert_eq!(client.query(&star, &[&7]).await.expect("star").len(), 1);
        client
            .batch_execute("ALTER TABLE pc ADD COLUMN c int DEFAULT 5")
            .await
            .expect("add column");
        assert_eq!(texts(&client, &by_key, 8).await, ["row 8"]);
        let (code, message) = failure(&client, &star, 8).await;
        assert_eq!(code, SqlState::FEATURE_NOT_SUPPORTED);
        assert_eq!(message, "cached plan must not change result type");
        // A statement prepared now sees the new column.
        let star = client
            .prepare("SELECT * FROM pc WHERE a = $1")
            .await
            .expect("prepare");
        let rows = client.query(&star, &[&9]).await.expect("star");
        assert_eq!(rows[0].get::<_, Option<i32>>(2), Some(5));
    });
}

#[test]
fn dropped_and_created_indexes_change_the_plan_and_index_maintenance() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        setup(&client).await;
        client
            .batch_execute("CREATE INDEX pc_a ON pc (a)")
            .await
            .expect("create index");
        let by_key = client
            .prepare("SELECT b FROM pc WHERE a = $1")
            .await
            .expect("prepare");
        let insert = client
            .prepare("INSERT INTO pc VALUES ($1, 'new ' || $1)")
            .await
            .expect("prepare");
        let update = client
            .prepare("UPDATE pc SET a = a + 1000 WHERE a = $1")
            .await
            .expect("prepare");
        assert_eq!(texts(&client, &by_key, 3).await, ["row 3"]);
        client
            .batch_execute("DROP INDEX pc_a")
            .await
            .expect("drop index");
        // The plan through the dropped index is gone.
        assert_eq!(texts(&client, &by_key, 3).await, ["row 3"]);
        client.execute(&insert, &[&100]).await.expect("insert");
        assert_eq!(client.execute(&update, &[&4]).await.expect("update"), 1);
        client
            .batch_execute("CREATE INDEX pc_a2 ON pc (a)")
            .await
            .expect("create index");
        // Writes through the kept statements maintain the new index ...
        client.execute(&insert, &[&101]).await.expect("insert");
        assert_eq!(client.execute(&update, &[&5]).await.expect("update"), 1);
        // ... and reads through it find rows written before and after it was built.
        for (a, b) in [
            (100, "new 100"),
            (101, "new 101"),
            (1004, "row 4"),
            (1005, "row 5"),
        ] {
            assert_eq!(texts(&client, &by_key, a).await, [b], "a = {a}");
        }
        assert!(texts(&client, &by_key, 5).await.is_empty());
        let listed = client
            .simple_query("SELECT b FROM pc WHERE a = 1005")
            .await
            .expect("simple query");
        assert_eq!(
            listed.len(),
            3,
            "one row, RowDescription and CommandComplete"
        );
    });
}

#[test]
fn dropped_table_fails_and_a_recreated_one_is_read() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        setup(&client).await;
        let by_key = client
            .prepare("SELECT b FROM pc WHERE a = $1")
            .await
            .expect("prepare");
        assert_eq!(texts(&client, &by_key, 1).await, ["row 1"]);
        client.batch_execute("DROP TABLE pc").await.expect("drop");
        let (code, message) = failure(&client, &by_key, 1).await;
        assert_eq!(code, SqlState::UNDEFINED_TABLE);
        assert_eq!(message, "relation \"pc\" does not exist");
        client
            .batch_execute(
                "CREATE TABLE pc (z int, a int PRIMARY KEY, b text); \
                 INSERT INTO pc VALUES (0, 1, 'recreated');",
            )
            .await
            .expect("re-create");
        assert_eq!(texts(&client, &by_key, 1).await, ["recreated"]);
    });
}

#[test]
fn changed_column_types_never_return_outdated_values() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        setup(&client).await;
        let by_key = client
            .prepare("SELECT b FROM pc WHERE a = $1")
            .await
            .expect("prepare");
        assert_eq!(texts(&client, &by_key, 2).await, ["row 2"]);
        // The key's type changes: the statement is analysed again with its int4 parameter.
        client
            .batch_execute("ALTER TABLE pc ALTER a TYPE bigint")
            .await
            .expect("alter key type");
        assert_eq!(texts(&client, &by_key, 2).await, ["row 2"]);
        // The result column's type changes: PostgreSQL refuses to run the statement.
        client
            .batch_execute("ALTER TABLE pc ALTER b TYPE varchar(20)")
            .await
            .expect("alter result type");
        let (code, message) = failure(&client, &by_key, 2).await;
        assert_eq!(code, SqlState::FEATURE_NOT_SUPPORTED);
        assert_eq!(message, "cached plan must not change result type");
    });
}

#[test]
fn ddl_of_another_session_and_sql_prepare_are_seen() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        let other = server.connect().await;
        setup(&client).await;
        let star = client
            .prepare("SELECT * FROM pc WHERE a = $1")
            .await
            .expect("prepare");
        client
            .batch_execute("PREPARE q(int) AS SELECT b FROM pc WHERE a = $1")
            .await
            .expect("PREPARE");
        assert_eq!(client.query(&star, &[&6]).await.expect("star").len(), 1);
        other
            .batch_execute("ALTER TABLE pc ADD COLUMN c int")
            .await
            .expect("add column elsewhere");
        let (code, _) = failure(&client, &star, 6).await;
        assert_eq!(code, SqlState::FEATURE_NOT_SUPPORTED);
        other
            .batch_execute("DROP TABLE pc; CREATE TABLE pc (a int, b text); INSERT INTO pc VALUES (6, 'other');")
            .await
            .expect("re-create elsewhere");
        let rows = client
            .simple_query("EXECUTE q(6)")
            .await
            .expect("EXECUTE");
        let values: Vec<String> = rows
            .iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                _ => None,
            })
            .collect();
        assert_eq!(values, ["other"]);
        // In a transaction block: its own DDL is seen at once, and again after rollback.
        client.batch_execute("BEGIN").await.expect("begin");
        client
            .batch_execute("ALTER TABLE pc RENAME b TO bb")
            .await
            .expect("rename");
        let err = client
            .simple_query("EXECUTE q(6)")
            .await
            .expect_err("column b is gone");
        assert_eq!(err.code(), Some(&SqlState::UNDEFINED_COLUMN));
        client.batch_execute("ROLLBACK").await.expect("rollback");
        let rows = client
            .simple_query("EXECUTE q(6)")
            .await
            .expect("EXECUTE after rollback");
        assert_eq!(rows.len(), 3);
    });
}
