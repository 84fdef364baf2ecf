//! Materialized views against the `tusk` binary.
//!
//! `materialized_views/script.sql` creates materialized views with and without data,
//! scans an unpopulated one, refreshes them (plainly, CONCURRENTLY and WITH NO DATA),
//! indexes them, reports their dependencies on DROP, alters and drops them, and checks
//! the wrong-object errors of writes, row locks, DROP VIEW/TABLE and REFRESH.
//! `materialized_views/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).
//!
//! The crash tests check that REFRESH's switch to a new relation file is transactional:
//! after kill -9 a committed REFRESH shows the new rows, an uncommitted one the old rows,
//! and no relation file is left without a catalog row.

mod common;

use common::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Relation files (user relfilenodes, main forks) of the `postgres` database.
fn user_relation_files(server: &TestServer) -> Vec<u32> {
    let mut out: Vec<u32> = std::fs::read_dir(server.data_dir().join("base/5"))
        .expect("database directory")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|n| *n >= 16384)
        .collect();
    out.sort();
    out
}

async fn values(client: &tokio_postgres::Client, sql: &str) -> Vec<i32> {
    client
        .query(sql, &[])
        .await
        .expect("query")
        .iter()
        .map(|r| r.get::<_, i32>(0))
        .collect()
}

#[test]
fn materialized_views_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("materialized_views");
}

#[test]
fn refresh_survives_kill_9_with_committed_contents() {
    let mut server = TestServer::start();
    let rt = runtime();
    let files_before_crash = rt.block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE src (a int PRIMARY KEY);
                 INSERT INTO src VALUES (1), (2);
                 CREATE MATERIALIZED VIEW mv AS SELECT a FROM src;
                 CREATE UNIQUE INDEX mv_a ON mv (a);
                 INSERT INTO src VALUES (3);
                 REFRESH MATERIALIZED VIEW mv;
                 INSERT INTO src VALUES (4);",
            )
            .await
            .expect("setup and committed refresh");
        assert_eq!(
            values(&client, "SELECT a FROM mv ORDER BY a").await,
            vec![1, 2, 3]
        );
        let files = user_relation_files(&server);
        // A REFRESH that never commits: its new files must go, its rows must not show.
        client
            .batch_execute("BEGIN; REFRESH MATERIALIZED VIEW mv")
            .await
            .expect("uncommitted refresh");
        server.kill9();
        drop(client);
        files
    });
    server.restart();
    rt.block_on(async {
        let client = server.connect().await;
        assert_eq!(
            values(&client, "SELECT a FROM mv ORDER BY a").await,
            vec![1, 2, 3],
            "the committed refresh's rows, not the uncommitted one's"
        );
        assert_eq!(
            values(&client, "SELECT a FROM mv WHERE a = 3").await,
            vec![3],
            "the rebuilt index finds the rows"
        );
        assert_eq!(
            user_relation_files(&server),
            files_before_crash,
            "the uncommitted refresh's files are removed"
        );
        client
            .batch_execute("REFRESH MATERIALIZED VIEW mv")
            .await
            .expect("refresh after restart");
        assert_eq!(
            values(&client, "SELECT a FROM mv ORDER BY a").await,
            vec![1, 2, 3, 4]
        );
    });
    server.kill9();
    server.restart();
    rt.block_on(async {
        let client = server.connect().await;
        assert_eq!(
            values(&client, "SELECT a FROM mv ORDER BY a").await,
            vec![1, 2, 3, 4],
            "a committed refresh survives kill -9"
        );
    });
}

#[test]
fn rolled_back_refresh_keeps_old_contents() {
    let server = TestServer::start();
    let rt = runtime();
    rt.block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE src (a int);
                 INSERT INTO src VALUES (1);
                 CREATE MATERIALIZED VIEW mv AS SELECT a FROM src;
                 INSERT INTO src VALUES (2);",
            )
            .await
            .expect("setup");
        // Separate messages: one query string is one transaction.
        client
            .batch_execute("BEGIN; REFRESH MATERIALIZED VIEW mv; ROLLBACK;")
            .await
            .expect("rolled-back refresh");
        assert_eq!(
            values(&client, "SELECT a FROM mv ORDER BY a").await,
            vec![1]
        );
        client
            .batch_execute("BEGIN; REFRESH MATERIALIZED VIEW mv WITH NO DATA; ROLLBACK;")
            .await
            .expect("rolled-back refresh with no data");
        assert_eq!(
            values(&client, "SELECT a FROM mv ORDER BY a").await,
            vec![1]
        );
    });
}

#[test]
fn readers_go_on_reading_during_refresh_concurrently() {
    let server = TestServer::start();
    let rt = runtime();
    rt.block_on(async {
        let refresher = server.connect().await;
        let reader = server.connect().await;
        refresher
            .batch_execute(
                "CREATE TABLE src (a int);
                 INSERT INTO src VALUES (1), (2);
                 CREATE MATERIALIZED VIEW mv AS SELECT a FROM src;
                 CREATE UNIQUE INDEX mv_a ON mv (a);
                 INSERT INTO src VALUES (3);",
            )
            .await
            .expect("setup");
        refresher
            .batch_execute("BEGIN; REFRESH MATERIALIZED VIEW CONCURRENTLY mv")
            .await
            .expect("refresh in an open transaction");
        // EXCLUSIVE lets ACCESS SHARE through: the read does not wait for the commit,
        // and it sees the rows committed before the refresh. The bound only turns a
        // hang into a failure.
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(120),
            values(&reader, "SELECT a FROM mv ORDER BY a"),
        )
        .await
        .expect("a reader does not wait for REFRESH CONCURRENTLY");
        assert_eq!(read, vec![1, 2]);
        refresher.batch_execute("COMMIT").await.expect("commit");
        assert_eq!(
            values(&reader, "SELECT a FROM mv ORDER BY a").await,
            vec![1, 2, 3]
        );
    });
}
