//! CREATE / DROP / ALTER DATABASE and per-database, per-role settings against the `tusk`
//! binary: databases are separate (a table in one is not in another), connections check
//! `datallowconn` and `datconnlimit`, DROP waits for nobody and refuses while others are
//! connected unless FORCE, `ALTER DATABASE | ROLE ... SET` defaults reach new sessions,
//! and a database survives kill -9 while directories no committed row names are removed
//! by crash recovery.

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn connect_to(
    server: &TestServer,
    dbname: &str,
) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let conninfo = server
        .conninfo()
        .replace("dbname=postgres", &format!("dbname={dbname}"));
    let (client, connection) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

async fn text(client: &tokio_postgres::Client, sql: &str) -> String {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

fn code(e: &tokio_postgres::Error) -> SqlState {
    e.code().cloned().unwrap_or(SqlState::INTERNAL_ERROR)
}

#[test]
fn databases_are_created_used_altered_and_dropped() {
    let server = TestServer::start();
    runtime().block_on(async {
        let admin = server.connect().await;
        admin
            .batch_execute("CREATE DATABASE app")
            .await
            .expect("create");
        let err = admin
            .batch_execute("CREATE DATABASE app")
            .await
            .expect_err("duplicate");
        assert_eq!(code(&err), SqlState::DUPLICATE_DATABASE);
        let err = admin
            .batch_execute("BEGIN; CREATE DATABASE other; COMMIT")
            .await
            .expect_err("in a block");
        assert_eq!(code(&err), SqlState::ACTIVE_SQL_TRANSACTION);
        admin.batch_execute("ROLLBACK").await.expect("rollback");

        let app = connect_to(&server, "app").await.expect("connect to app");
        app.batch_execute(
            "CREATE TABLE items (id int PRIMARY KEY, name text);
             INSERT INTO items VALUES (1, 'one'), (2, 'two');",
        )
        .await
        .expect("table in app");
        assert_eq!(text(&app, "SELECT current_database()::text").await, "app");
        assert_eq!(
            text(&app, "SELECT string_agg(name, ',' ORDER BY id) FROM items").await,
            "one,two"
        );
        let err = admin
            .query("SELECT * FROM items", &[])
            .await
            .expect_err("tables belong to their database");
        assert_eq!(code(&err), SqlState::UNDEFINED_TABLE);

        // A template copies its tables: app is the template of a second database.
        let err = admin
            .batch_execute("CREATE DATABASE copy TEMPLATE app")
            .await
            .expect_err("app is in use");
        assert_eq!(code(&err), SqlState::OBJECT_IN_USE);
        drop(app);
        wait_until_unused(&admin, "app").await;
        admin
            .batch_execute("CREATE DATABASE copy TEMPLATE app")
            .await
            .expect("copy");
        let copy = connect_to(&server, "copy").await.expect("connect to copy");
        assert_eq!(text(&copy, "SELECT count(*)::text FROM items").await, "2");
        copy.batch_execute("INSERT INTO items VALUES (3, 'three')")
            .await
            .expect("insert into the copy");

        // Per-database and per-role defaults reach new sessions.
        admin
            .batch_execute(
                "ALTER DATABASE copy SET work_mem = '3MB';
                 CREATE ROLE worker LOGIN;
                 ALTER ROLE worker IN DATABASE copy SET statement_timeout = '7s';",
            )
            .await
            .expect("settings");
        let err = admin
            .batch_execute("ALTER DATABASE copy SET no_such_parameter = 1")
            .await
            .expect_err("unknown parameter");
        assert_eq!(code(&err), SqlState::UNDEFINED_OBJECT);
        let fresh = connect_to(&server, "copy").await.expect("connect");
        assert_eq!(text(&fresh, "SHOW work_mem").await, "3MB");
        let conninfo = server
            .conninfo()
            .replace("dbname=postgres", "dbname=copy")
            .replace("user=postgres", "user=worker");
        let (worker, connection) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls)
            .await
            .expect("worker connects");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        assert_eq!(text(&worker, "SHOW statement_timeout").await, "7s");
        drop(worker);
        drop(fresh);

        // Connection limits and ALLOW_CONNECTIONS.
        admin
            .batch_execute("ALTER DATABASE app WITH ALLOW_CONNECTIONS false")
            .await
            .expect("disallow");
        let err = connect_to(&server, "app").await.expect_err("not accepting");
        assert_eq!(code(&err), SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE);
        let err = connect_to(&server, "nosuch").await.expect_err("missing");
        assert_eq!(code(&err), SqlState::UNDEFINED_DATABASE);

        // DROP refuses while others are connected, unless FORCE.
        let err = admin
            .batch_execute("DROP DATABASE copy")
            .await
            .expect_err("in use");
        assert_eq!(code(&err), SqlState::OBJECT_IN_USE);
        admin
            .batch_execute("DROP DATABASE copy WITH (FORCE)")
            .await
            .expect("drop with force");
        assert!(copy.batch_execute("SELECT 1").await.is_err());
        let err = admin
            .batch_execute("DROP DATABASE postgres")
            .await
            .expect_err("current");
        assert_eq!(code(&err), SqlState::OBJECT_IN_USE);
        admin
            .batch_execute("DROP DATABASE app; DROP DATABASE IF EXISTS app")
            .await
            .expect_err("DROP DATABASE is refused in a multi-statement block");
        admin
            .batch_execute("DROP DATABASE app")
            .await
            .expect("drop");
        admin
            .batch_execute("DROP DATABASE IF EXISTS app")
            .await
            .expect("if exists");
        let names = text(
            &admin,
            "SELECT string_agg(datname::text, ',' ORDER BY datname) FROM pg_database",
        )
        .await;
        assert_eq!(names, "postgres,template0,template1");
    });
    let base = server.data_dir().join("base");
    let mut dirs: Vec<String> = std::fs::read_dir(&base)
        .expect("base")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    dirs.sort();
    assert_eq!(
        dirs,
        vec!["1", "4", "5"],
        "dropped databases leave no directory"
    );
}

/// Polls `pg_stat_activity` (bounded) until no session is connected to `db`.
async fn wait_until_unused(client: &tokio_postgres::Client, db: &str) {
    let sql = format!("SELECT count(*)::text FROM pg_stat_activity WHERE datname = '{db}'");
    for _ in 0..1000 {
        if text(client, &sql).await == "0" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("sessions of {db} did not end");
}

#[test]
fn a_database_survives_kill_9_and_orphan_directories_go() {
    let mut server = TestServer::start();
    runtime().block_on(async {
        let admin = server.connect().await;
        admin
            .batch_execute("CREATE DATABASE durable")
            .await
            .expect("create");
        let c = connect_to(&server, "durable").await.expect("connect");
        c.batch_execute("CREATE TABLE t (a int); INSERT INTO t SELECT generate_series(1, 1000);")
            .await
            .expect("rows");
    });
    // A directory no pg_database row names, as a CREATE DATABASE killed before its
    // commit leaves behind.
    let orphan = server.data_dir().join("base").join("424242");
    std::fs::create_dir_all(&orphan).expect("orphan dir");
    std::fs::write(orphan.join("16384"), vec![0u8; 8192]).expect("orphan file");
    server.kill9();
    server.restart();
    runtime().block_on(async {
        let c = connect_to(&server, "durable").await.expect("reconnect");
        assert_eq!(text(&c, "SELECT sum(a)::text FROM t").await, "500500");
    });
    assert!(
        !orphan.exists(),
        "crash recovery removes orphaned database directories"
    );
}
