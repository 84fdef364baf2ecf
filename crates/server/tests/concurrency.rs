//! Concurrent transactions against the real server: writers wait for writers of the same
//! row and re-check it (READ COMMITTED), REPEATABLE READ fails with 40001 instead, table
//! locks make DROP TABLE wait for users of the table, and deadlocks end with 40P01.

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

async fn value(client: &Client, id: i32) -> i32 {
    client
        .query_one("UPDATE t SET v = v WHERE id = $1 RETURNING v", &[&id])
        .await
        .expect("read through UPDATE ... RETURNING")
        .get(0)
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

#[test]
fn writers_wait_and_recheck_under_read_committed() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute("BEGIN; UPDATE t SET v = v + 1 WHERE id = 1")
            .await
            .expect("a updates row 1");
        // b must wait for a: with a short statement_timeout it times out.
        let err = b
            .batch_execute("SET statement_timeout = 300; UPDATE t SET v = v + 10 WHERE id = 1")
            .await
            .expect_err("b waits for a");
        assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED));
        b.batch_execute("SET statement_timeout = 0")
            .await
            .expect("reset");
        let waiting = tokio::spawn(async move {
            b.execute("UPDATE t SET v = v + 10 WHERE id = 1", &[])
                .await
                .expect("b's update after a commits")
        });
        a.batch_execute("COMMIT").await.expect("a commits");
        assert_eq!(waiting.await.expect("join"), 1);
        assert_eq!(value(&a, 1).await, 12, "b re-read the row a committed");
    });
}

#[test]
fn repeatable_read_fails_on_concurrent_update() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            .await
            .expect("begin");
        assert_eq!(value(&a, 2).await, 2, "takes the snapshot");
        b.batch_execute("UPDATE t SET v = 100 WHERE id = 1")
            .await
            .expect("b commits an update");
        let err = a
            .batch_execute("UPDATE t SET v = 5 WHERE id = 1")
            .await
            .expect_err("serialization failure");
        assert_eq!(err.code(), Some(&SqlState::T_R_SERIALIZATION_FAILURE));
        assert_eq!(
            err.as_db_error().expect("db error").message(),
            "could not serialize access due to concurrent update"
        );
        a.batch_execute("ROLLBACK").await.expect("rollback");
        assert_eq!(value(&a, 1).await, 100);
    });
}

#[test]
fn drop_table_waits_for_users_and_deadlocks_are_detected() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = setup(&server).await;
        let b = server.connect().await;
        a.batch_execute("BEGIN; UPDATE t SET v = v WHERE id = 2")
            .await
            .expect("a uses t");
        let err = b
            .batch_execute("SET statement_timeout = 300; DROP TABLE t")
            .await
            .expect_err("DROP waits for a's lock");
        assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED));
        a.batch_execute("COMMIT").await.expect("commit");
        b.batch_execute("SET statement_timeout = 0; SET deadlock_timeout = 100")
            .await
            .expect("settings");
        a.batch_execute("SET deadlock_timeout = 100")
            .await
            .expect("settings");
        // Deadlock: a holds row 1 and wants row 2; b holds row 2 and wants row 1.
        a.batch_execute("BEGIN; UPDATE t SET v = 10 WHERE id = 1")
            .await
            .expect("a row 1");
        b.batch_execute("BEGIN; UPDATE t SET v = 20 WHERE id = 2")
            .await
            .expect("b row 2");
        let a_waits = tokio::spawn(async move {
            let r = a.batch_execute("UPDATE t SET v = 11 WHERE id = 2").await;
            (a, r)
        });
        let rb = b.batch_execute("UPDATE t SET v = 21 WHERE id = 1").await;
        let (a, ra) = a_waits.await.expect("join");
        let failures: Vec<_> = [&ra, &rb]
            .into_iter()
            .filter_map(|r| r.as_ref().err())
            .collect();
        assert_eq!(
            failures.len(),
            1,
            "exactly one transaction is chosen: {ra:?} {rb:?}"
        );
        assert_eq!(failures[0].code(), Some(&SqlState::T_R_DEADLOCK_DETECTED));
        let _ = a.batch_execute("ROLLBACK").await;
        let _ = b.batch_execute("ROLLBACK").await;
        b.batch_execute("DROP TABLE t")
            .await
            .expect("drop after both ended");
    });
}

/// Bank transfers between accounts from 8 concurrent clients at READ COMMITTED and
/// REPEATABLE READ: every failure is a retryable 40001/40P01, and the total never changes.
#[test]
fn concurrent_transfers_keep_the_total() {
    let server = TestServer::start();
    runtime().block_on(async {
        let setup = server.connect().await;
        setup
            .batch_execute(
                "CREATE TABLE acc (id int NOT NULL, bal int NOT NULL); \
                 INSERT INTO acc SELECT g, 1000 FROM generate_series(1, 20) g",
            )
            .await
            .expect("setup");
        for isolation in ["READ COMMITTED", "REPEATABLE READ"] {
            let mut tasks = Vec::new();
            for client in 0..8u32 {
                let c = server.connect().await;
                c.batch_execute("SET deadlock_timeout = 50")
                    .await
                    .expect("set");
                let isolation = isolation.to_string();
                tasks.push(tokio::spawn(async move {
                    let mut committed = 0;
                    for i in 0..25u32 {
                        let from = (client * 7 + i * 3) % 20 + 1;
                        let to = (client * 5 + i * 11 + 1) % 20 + 1;
                        let amount = (i % 7 + 1) as i32;
                        let sql = format!(
                            "BEGIN ISOLATION LEVEL {isolation}; \
                             UPDATE acc SET bal = bal - {amount} WHERE id = {from}; \
                             UPDATE acc SET bal = bal + {amount} WHERE id = {to}; COMMIT"
                        );
                        match c.batch_execute(&sql).await {
                            Ok(()) => committed += 1,
                            Err(e) => {
                                let code = e.code().cloned();
                                assert!(
                                    code == Some(SqlState::T_R_SERIALIZATION_FAILURE)
                                        || code == Some(SqlState::T_R_DEADLOCK_DETECTED),
                                    "only retryable failures: {e:?}"
                                );
                                c.batch_execute("ROLLBACK").await.expect("rollback");
                            }
                        }
                    }
                    committed
                }));
            }
            let mut committed = 0;
            for t in tasks {
                committed += t.await.expect("client");
            }
            assert!(committed > 0, "{isolation}: some transfers commit");
            let total: i64 = setup
                .query_one("SELECT sum(bal) FROM acc", &[])
                .await
                .expect("sum")
                .get(0);
            assert_eq!(total, 20_000, "{isolation}: money is neither made nor lost");
        }
    });
}
