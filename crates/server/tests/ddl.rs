//! CREATE TABLE, DROP TABLE and TRUNCATE against the real server: PostgreSQL's errors,
//! transactional catalog changes (a rolled-back CREATE leaves no trace), and crash safety
//! (after kill -9, committed DDL is there, uncommitted DDL is not, and no relation file is
//! left without a catalog row).

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn error_of(client: &tokio_postgres::Client, sql: &str) -> (String, String) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (db.code().code().to_string(), db.message().to_string())
}

/// Relation files (user relfilenodes) of the `postgres` database.
fn user_relation_files(server: &TestServer) -> Vec<u32> {
    let mut out: Vec<u32> = std::fs::read_dir(server.data_dir().join("base/5"))
        .expect("database directory")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|n| *n >= 16384)
        .collect();
    out.sort();
    out
}

#[test]
fn create_and_drop_table_follow_postgres() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute("CREATE TABLE t (a int NOT NULL, b text DEFAULT 'x', CHECK (a > 0))")
            .await
            .expect("create");
        assert_eq!(
            error_of(&client, "CREATE TABLE t (a int)").await,
            ("42P07".into(), "relation \"t\" already exists".into())
        );
        client
            .batch_execute("CREATE TABLE IF NOT EXISTS t (a int)")
            .await
            .expect("IF NOT EXISTS skips");
        assert_eq!(
            error_of(&client, "CREATE TABLE u (a int, a text)").await,
            (
                "42701".into(),
                "column \"a\" specified more than once".into()
            )
        );
        assert_eq!(
            error_of(&client, "CREATE TABLE u (a nosuchtype)").await,
            ("42704".into(), "type \"nosuchtype\" does not exist".into())
        );
        assert_eq!(
            error_of(&client, "CREATE TABLE u (a int CHECK (a))")
                .await
                .0,
            SqlState::DATATYPE_MISMATCH.code()
        );
        assert_eq!(
            error_of(&client, "DROP TABLE nosuch").await,
            ("42P01".into(), "table \"nosuch\" does not exist".into())
        );
        client
            .batch_execute("DROP TABLE IF EXISTS nosuch")
            .await
            .expect("IF EXISTS skips");
        assert_eq!(
            error_of(&client, "DROP TABLE pg_class").await.0,
            SqlState::INSUFFICIENT_PRIVILEGE.code()
        );
        // Rolled back: gone, and so is its file.
        let before = user_relation_files(&server);
        client
            .batch_execute("BEGIN; CREATE TABLE r (x int); ROLLBACK")
            .await
            .expect("rolled-back create");
        assert_eq!(user_relation_files(&server), before);
        client
            .batch_execute("CREATE TABLE r (x int)")
            .await
            .expect("name is free again");
        // Savepoints: a create rolled back to a savepoint is gone, one before it stays.
        client
            .batch_execute(
                "BEGIN; CREATE TABLE s1 (x int); SAVEPOINT p; CREATE TABLE s2 (x int); \
                 ROLLBACK TO p; COMMIT",
            )
            .await
            .expect("savepoints");
        client
            .batch_execute("CREATE TABLE s2 (x int); DROP TABLE s1, s2")
            .await
            .expect("s2 was rolled back, s1 committed");
        // TRUNCATE gives a new file and removes the old one at commit.
        let before = user_relation_files(&server);
        client.batch_execute("TRUNCATE r").await.expect("truncate");
        let after = user_relation_files(&server);
        assert_eq!(before.len(), after.len());
        assert_ne!(before, after);
        client.batch_execute("DROP TABLE r, t").await.expect("drop");
    });
}

#[test]
fn ddl_survives_kill_9_without_orphaned_files() {
    let mut server = TestServer::start();
    let rt = runtime();
    rt.block_on(async {
        let client = server.connect().await;
        client
            .batch_execute("CREATE TABLE kept (a int)")
            .await
            .expect("create");
        client
            .batch_execute("BEGIN; CREATE TABLE lost (a int); DROP TABLE kept")
            .await
            .expect("uncommitted DDL");
        // Keep the connection (and its open transaction) until the crash.
        server.kill9();
        drop(client);
    });
    server.restart();
    rt.block_on(async {
        let client = server.connect().await;
        assert_eq!(
            error_of(&client, "CREATE TABLE kept (a int)").await.0,
            "42P07",
            "the committed table survives, its uncommitted DROP does not"
        );
        client
            .batch_execute("CREATE TABLE lost (a int)")
            .await
            .expect("the uncommitted table is gone");
        assert_eq!(
            user_relation_files(&server).len(),
            2,
            "kept and lost, no orphans"
        );
    });
}

#[test]
fn sequences_never_repeat_a_value_after_kill_9() {
    let mut server = TestServer::start();
    let rt = runtime();
    let mut last = 0;
    rt.block_on(async {
        let client = server.connect().await;
        client
            .batch_execute("CREATE SEQUENCE s; CREATE TABLE t (id serial, v int)")
            .await
            .expect("create");
        for _ in 0..40 {
            last = nextval(&client, "s").await;
        }
        client
            .batch_execute("CHECKPOINT")
            .await
            .expect("checkpoint");
        last = nextval(&client, "s").await;
        assert_eq!(
            client
                .query_one("SELECT nextval('t_id_seq')", &[])
                .await
                .expect("serial's sequence")
                .get::<_, i64>(0),
            1
        );
    });
    server.kill9();
    server.restart();
    rt.block_on(async {
        let client = server.connect().await;
        let after = nextval(&client, "s").await;
        assert!(after > last, "{after} must follow {last}");
        let err = client
            .batch_execute("DROP SEQUENCE t_id_seq")
            .await
            .expect_err("owned by t.id");
        assert_eq!(err.code(), Some(&SqlState::DEPENDENT_OBJECTS_STILL_EXIST));
        client.batch_execute("DROP TABLE t").await.expect("drop");
        let err = client
            .query_one("SELECT nextval('t_id_seq')", &[])
            .await
            .expect_err("dropped with its table");
        assert_eq!(err.code(), Some(&SqlState::UNDEFINED_TABLE));
    });
}

async fn nextval(client: &tokio_postgres::Client, seq: &str) -> i64 {
    client
        .query_one(&format!("SELECT nextval('{seq}')"), &[])
        .await
        .expect("nextval")
        .get::<_, i64>(0)
}
