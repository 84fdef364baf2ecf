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
