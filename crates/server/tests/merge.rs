//! MERGE against the `tusk` binary.
//!
//! `merge/script.sql` runs MERGE's actions, errors, triggers, constraints, generated
//! and identity columns, prepared parameters and privileges, and `CREATE TABLE ... WITH`
//! storage parameters; `merge/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).
//!
//! The other tests run two sessions: under READ COMMITTED a MERGE that waited for a
//! concurrent update of its target row re-checks the newest version (the ON condition,
//! then the WHEN MATCHED conditions from the first); under REPEATABLE READ it fails with
//! 40001.

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

#[test]
fn merge_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("merge");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn setup(server: &TestServer) -> Client {
    let client = server.connect().await;
    client
        .batch_execute(
            "CREATE TABLE t (id int NOT NULL, v int NOT NULL); \
             INSERT INTO t VALUES (1, 1), (2, 2)",
        )
        .await
        .expect("setup");
    client
}

async fn rows(client: &Client) -> Vec<(i32, i32)> {
    client
        .query("SELECT id, v FROM t ORDER BY id, v", &[])
        .await
        .expect("read t")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// Runs `merge` in a new session while `holder` keeps its uncommitted update of the
/// target row, waits until the MERGE is running (so it waits for the row), then
/// commits `holder` and returns the MERGE's row count.
async fn merge_behind(server: &TestServer, holder: &Client, merge: &'static str) -> u64 {
    let waiter = server.connect().await;
    let pid: i32 = waiter
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .expect("pid")
        .get(0);
    let running = tokio::spawn(async move { waiter.execute(merge, &[]).await });
    let watcher = server.connect().await;
    let mut active = false;
    for _ in 0..400 {
        let row = watcher
            .query_opt(
                "SELECT 1 FROM pg_stat_activity \
                 WHERE pid = $1 AND state = 'active' AND query LIKE 'MERGE%'",
                &[&pid],
            )
            .await
            .expect("pg_stat_activity");
        if row.is_some() {
            active = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(active, "the MERGE started");
    assert!(!running.is_finished(), "the MERGE waits for the row");
    holder
        .batch_execute("COMMIT")
        .await
        .expect("holder commits");
    running
        .await
        .expect("join")
        .expect("the MERGE finishes after the commit")
}

#[test]
fn merge_rechecks_a_row_whose_key_moved_and_inserts_instead() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        a.batch_execute("BEGIN; UPDATE t SET id = 10 WHERE id = 1")
            .await
            .expect("a moves row 1");
        let n = merge_behind(
            &server,
            &a,
            "MERGE INTO t USING (VALUES (1)) AS s(id) ON t.id = s.id \
             WHEN MATCHED THEN UPDATE SET v = t.v + 1 \
             WHEN NOT MATCHED THEN INSERT VALUES (s.id, 0)",
        )
        .await;
        assert_eq!(n, 1);
        assert_eq!(rows(&a).await, vec![(1, 0), (2, 2), (10, 1)]);
    });
}

#[test]
fn merge_rechecks_when_conditions_on_the_newest_version() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        a.batch_execute("BEGIN; UPDATE t SET v = 100 WHERE id = 1")
            .await
            .expect("a updates row 1");
        let n = merge_behind(
            &server,
            &a,
            "MERGE INTO t USING (VALUES (1)) AS s(id) ON t.id = s.id \
             WHEN MATCHED AND t.v < 50 THEN UPDATE SET v = t.v + 1 \
             WHEN MATCHED THEN UPDATE SET v = t.v + 1000",
        )
        .await;
        assert_eq!(n, 1);
        assert_eq!(rows(&a).await, vec![(1, 1100), (2, 2)]);
    });
}

#[test]
fn merge_of_a_concurrently_deleted_row_runs_not_matched_actions() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        a.batch_execute("BEGIN; DELETE FROM t WHERE id = 2")
            .await
            .expect("a deletes row 2");
        let n = merge_behind(
            &server,
            &a,
            "MERGE INTO t USING (VALUES (2)) AS s(id) ON t.id = s.id \
             WHEN MATCHED THEN DELETE \
             WHEN NOT MATCHED THEN INSERT VALUES (s.id, 20)",
        )
        .await;
        assert_eq!(n, 1);
        assert_eq!(rows(&a).await, vec![(1, 1), (2, 20)]);
    });
}

#[test]
fn merge_under_repeatable_read_fails_on_concurrent_update() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        b.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM t")
            .await
            .expect("b takes its snapshot");
        a.batch_execute("UPDATE t SET v = 100 WHERE id = 1")
            .await
            .expect("a commits an update");
        let err = b
            .batch_execute(
                "MERGE INTO t USING (VALUES (1)) AS s(id) ON t.id = s.id \
                 WHEN MATCHED THEN UPDATE SET v = t.v + 1",
            )
            .await
            .expect_err("b cannot update the row");
        assert_eq!(err.code(), Some(&SqlState::T_R_SERIALIZATION_FAILURE));
        b.batch_execute("ROLLBACK").await.expect("rollback");
        assert_eq!(rows(&a).await, vec![(1, 100), (2, 2)]);
    });
}
