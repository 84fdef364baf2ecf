//! Row-level locks against the real server, with several clients: `SELECT ... FOR
//! UPDATE` blocks a concurrent UPDATE until the locker ends, NOWAIT fails with 55P03,
//! SKIP LOCKED hands distinct rows to job-queue workers, READ COMMITTED re-checks a row
//! updated meanwhile, REPEATABLE READ fails with 40001, two FOR SHARE lockers coexist,
//! and a lock held at a crash is gone after restart.
//!
//! A statement that must wait is shown to wait with a short `statement_timeout` (57014),
//! then run again in a task that finishes once the other transaction ends.

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

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
            "CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL); \
             INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)",
        )
        .await
        .expect("setup");
    client
}

/// `sql` on `client` must wait: with a short statement_timeout it is cancelled.
async fn assert_blocks(client: &Client, sql: &str) {
    client
        .batch_execute("SET statement_timeout = 200")
        .await
        .expect("set timeout");
    let err = client.batch_execute(sql).await.expect_err("waits");
    assert_eq!(
        err.code(),
        Some(&SqlState::QUERY_CANCELED),
        "{sql}: {err:?}"
    );
    client
        .batch_execute("SET statement_timeout = 0")
        .await
        .expect("reset timeout");
}

async fn v(client: &Client, id: i32) -> i32 {
    client
        .query_one("SELECT v FROM t WHERE id = $1", &[&id])
        .await
        .expect("read")
        .get(0)
}

#[test]
fn for_update_blocks_a_concurrent_update_until_commit() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute("BEGIN").await.expect("begin");
        let rows = a
            .query("SELECT v FROM t WHERE id = 1 FOR UPDATE", &[])
            .await
            .expect("lock row 1");
        assert_eq!(rows.len(), 1);
        assert_blocks(&b, "UPDATE t SET v = v + 10 WHERE id = 1").await;
        assert_blocks(&b, "DELETE FROM t WHERE id = 1").await;
        assert_blocks(&b, "SELECT * FROM t WHERE id = 1 FOR SHARE").await;
        // Other rows are free, and plain reads never wait.
        b.batch_execute("UPDATE t SET v = 20 WHERE id = 2")
            .await
            .expect("row 2 is not locked");
        assert_eq!(v(&b, 1).await, 1);
        // The locker itself may update its locked row.
        a.batch_execute("UPDATE t SET v = 5 WHERE id = 1")
            .await
            .expect("own lock does not block");
        let waiting = tokio::spawn(async move {
            b.execute("UPDATE t SET v = v + 10 WHERE id = 1", &[])
                .await
                .expect("b's update after a commits")
        });
        a.batch_execute("COMMIT").await.expect("commit");
        assert_eq!(waiting.await.expect("join"), 1);
        assert_eq!(v(&a, 1).await, 15, "b updated the version a committed");
    });
}

#[test]
fn nowait_fails_and_lock_is_released_at_rollback() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute("BEGIN; SELECT * FROM t WHERE id = 2 FOR NO KEY UPDATE")
            .await
            .expect("lock");
        let err = b
            .query("SELECT * FROM t WHERE id = 2 FOR UPDATE NOWAIT", &[])
            .await
            .expect_err("NOWAIT");
        assert_eq!(err.code(), Some(&SqlState::LOCK_NOT_AVAILABLE));
        assert_eq!(
            err.as_db_error().expect("db error").message(),
            "could not obtain lock on row in relation \"t\""
        );
        // FOR KEY SHARE is compatible with FOR NO KEY UPDATE.
        b.query("SELECT * FROM t WHERE id = 2 FOR KEY SHARE NOWAIT", &[])
            .await
            .expect("key share beside no key update");
        a.batch_execute("ROLLBACK").await.expect("rollback");
        let rows = b
            .query("SELECT * FROM t WHERE id = 2 FOR UPDATE NOWAIT", &[])
            .await
            .expect("free after rollback");
        assert_eq!(rows.len(), 1);
    });
}

#[test]
fn savepoint_rollback_releases_locks_taken_inside() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute(
            "BEGIN; SAVEPOINT s; SELECT * FROM t WHERE id = 3 FOR UPDATE; ROLLBACK TO s",
        )
        .await
        .expect("lock in a savepoint");
        b.query("SELECT * FROM t WHERE id = 3 FOR UPDATE NOWAIT", &[])
            .await
            .expect("released by ROLLBACK TO");
        a.batch_execute("COMMIT").await.expect("commit");
    });
}

#[test]
fn skip_locked_workers_take_distinct_jobs() {
    let server = TestServer::start();
    runtime().block_on(async {
        let setup = server.connect().await;
        setup
            .batch_execute(
                "CREATE TABLE jobs (id int PRIMARY KEY, done bool NOT NULL DEFAULT false); \
                 INSERT INTO jobs SELECT g FROM generate_series(1, 6) g",
            )
            .await
            .expect("jobs");
        let mut workers = Vec::new();
        let mut taken = Vec::new();
        for _ in 0..3 {
            let w = server.connect().await;
            w.batch_execute("BEGIN").await.expect("begin");
            let row = w
                .query_one(
                    "SELECT id FROM jobs WHERE NOT done ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    &[],
                )
                .await
                .expect("a job");
            taken.push(row.get::<_, i32>(0));
            workers.push(w);
        }
        assert_eq!(
            taken,
            vec![1, 2, 3],
            "each worker skips the rows others hold"
        );
        let rest = setup
            .query(
                "SELECT id FROM jobs ORDER BY id FOR UPDATE SKIP LOCKED",
                &[],
            )
            .await
            .expect("the rest");
        let rest: Vec<i32> = rest.iter().map(|r| r.get(0)).collect();
        assert_eq!(rest, vec![4, 5, 6]);
        for (w, id) in workers.iter().zip(&taken) {
            w.execute("UPDATE jobs SET done = true WHERE id = $1", &[id])
                .await
                .expect("finish the job");
            w.batch_execute("COMMIT").await.expect("commit");
        }
        let left: i64 = setup
            .query_one("SELECT count(*) FROM jobs WHERE NOT done", &[])
            .await
            .expect("count")
            .get(0);
        assert_eq!(left, 3);
    });
}

#[test]
fn read_committed_rechecks_a_row_updated_meanwhile() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute(
            "BEGIN; UPDATE t SET v = 100 WHERE id = 1; UPDATE t SET v = 0 WHERE id = 2",
        )
        .await
        .expect("a changes rows 1 and 2");
        assert_blocks(&b, "SELECT id FROM t WHERE v < 10 FOR UPDATE").await;
        let waiting = tokio::spawn(async move {
            let rows = b
                .query(
                    "SELECT id, v FROM t WHERE v < 10 ORDER BY id FOR UPDATE",
                    &[],
                )
                .await
                .expect("b's locking read after a commits");
            rows.iter()
                .map(|r| (r.get::<_, i32>(0), r.get::<_, i32>(1)))
                .collect::<Vec<_>>()
        });
        a.batch_execute("COMMIT").await.expect("commit");
        // Row 1 no longer qualifies; row 2 is returned as a committed it; row 3 unchanged.
        assert_eq!(waiting.await.expect("join"), vec![(2, 0), (3, 3)]);
    });
}

#[test]
fn repeatable_read_lock_of_concurrently_updated_row_fails() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1 FROM t")
            .await
            .expect("snapshot");
        b.batch_execute("UPDATE t SET v = 50 WHERE id = 1")
            .await
            .expect("b commits");
        let err = a
            .query("SELECT * FROM t WHERE id = 1 FOR UPDATE", &[])
            .await
            .expect_err("40001");
        assert_eq!(err.code(), Some(&SqlState::T_R_SERIALIZATION_FAILURE));
        assert_eq!(
            err.as_db_error().expect("db error").message(),
            "could not serialize access due to concurrent update"
        );
        a.batch_execute("ROLLBACK").await.expect("rollback");
    });
}

#[test]
fn two_share_lockers_coexist_and_both_block_an_update() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        let c = server.connect().await;
        a.batch_execute("BEGIN; SELECT * FROM t WHERE id = 1 FOR SHARE")
            .await
            .expect("a shares");
        b.batch_execute("BEGIN; SELECT * FROM t WHERE id = 1 FOR SHARE")
            .await
            .expect("b shares too");
        assert_blocks(&c, "UPDATE t SET v = 7 WHERE id = 1").await;
        a.batch_execute("COMMIT").await.expect("a ends");
        // b still holds its share lock.
        assert_blocks(&c, "UPDATE t SET v = 7 WHERE id = 1").await;
        b.batch_execute("COMMIT").await.expect("b ends");
        c.batch_execute("UPDATE t SET v = 7 WHERE id = 1")
            .await
            .expect("free");
        assert_eq!(v(&c, 1).await, 7);
    });
}

#[test]
fn locking_clause_errors_follow_postgresql() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let cases = [
            (
                "SELECT * FROM t FOR UPDATE OF x",
                "42P01",
                "relation \"x\" in FOR UPDATE clause not found in FROM clause",
            ),
            (
                "SELECT count(*) FROM t FOR UPDATE",
                "0A000",
                "FOR UPDATE is not allowed with aggregate functions",
            ),
            (
                "SELECT DISTINCT v FROM t FOR SHARE",
                "0A000",
                "FOR SHARE is not allowed with DISTINCT clause",
            ),
            (
                "SELECT v FROM t GROUP BY v FOR NO KEY UPDATE",
                "0A000",
                "FOR NO KEY UPDATE is not allowed with GROUP BY clause",
            ),
            (
                "SELECT id FROM t UNION SELECT id FROM t FOR UPDATE",
                "0A000",
                "FOR UPDATE is not allowed with UNION/INTERSECT/EXCEPT",
            ),
            (
                "SELECT * FROM t LEFT JOIN t u ON t.id = u.id FOR UPDATE",
                "0A000",
                "FOR UPDATE cannot be applied to the nullable side of an outer join",
            ),
        ];
        for (sql, code, message) in cases {
            let err = a.query(sql, &[]).await.expect_err(sql);
            let db = err.as_db_error().expect("db error");
            assert_eq!(db.code().code(), code, "{sql}");
            assert_eq!(db.message(), message, "{sql}");
        }
        // OF names the left side of the outer join: allowed.
        a.query(
            "SELECT * FROM t LEFT JOIN t u ON t.id = u.id FOR UPDATE OF t",
            &[],
        )
        .await
        .expect("lock the non-nullable side");
        // Locking through a view and a subquery.
        a.batch_execute("CREATE VIEW tv AS SELECT * FROM t WHERE id < 3")
            .await
            .expect("view");
        a.batch_execute("BEGIN; SELECT * FROM tv FOR UPDATE; SELECT * FROM (SELECT * FROM t WHERE id = 3) s FOR UPDATE")
            .await
            .expect("lock through a view and a subquery");
        let b = server.connect().await;
        for id in 1..=3 {
            let err = b
                .query("SELECT * FROM t WHERE id = $1 FOR UPDATE NOWAIT", &[&id])
                .await
                .expect_err("locked through the view or subquery");
            assert_eq!(err.code(), Some(&SqlState::LOCK_NOT_AVAILABLE));
        }
        a.batch_execute("COMMIT").await.expect("commit");
    });
}

#[test]
fn lock_held_at_a_crash_is_gone_after_restart() {
    let mut server = TestServer::start();
    let rt = runtime();
    rt.block_on(async {
        let a = setup(&server).await;
        a.batch_execute("CHECKPOINT").await.expect("checkpoint");
        a.batch_execute("BEGIN; SELECT * FROM t WHERE id = 1 FOR UPDATE")
            .await
            .expect("lock");
        std::mem::forget(a);
    });
    server.kill9();
    server.restart();
    rt.block_on(async {
        let b = server.connect().await;
        let rows = b
            .query("SELECT id, v FROM t WHERE id = 1 FOR UPDATE NOWAIT", &[])
            .await
            .expect("unlocked after restart");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get::<_, i32>(1), 1);
        b.batch_execute("UPDATE t SET v = 9 WHERE id = 1")
            .await
            .expect("update");
        assert_eq!(v(&b, 1).await, 9);
        let n: i64 = b
            .query_one("SELECT count(*) FROM t", &[])
            .await
            .expect("count")
            .get(0);
        assert_eq!(n, 3);
    });
}
