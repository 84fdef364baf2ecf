//! The monitoring views against the real server: `pg_stat_activity` shows every backend
//! with its state and query as PostgreSQL does, `pg_settings` every parameter with the
//! session's values, the cumulative statistics views count scans and row changes with
//! each transaction's outcome.

mod common;

use common::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

#[test]
fn pg_stat_activity_shows_each_backend_state_and_query() {
    let server = TestServer::start();
    runtime().block_on(async {
        let watcher = server.connect().await;
        let other = server.connect().await;
        let other_pid: i32 = other
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .expect("pid")
            .get(0);
        other
            .batch_execute("BEGIN; SELECT 42 AS marker")
            .await
            .expect("open a transaction");
        let row = watcher
            .query_one(
                "SELECT state, query, datname, usename, backend_type, xact_start IS NOT NULL, \
                        backend_start <= query_start, client_addr \
                 FROM pg_stat_activity WHERE pid = $1",
                &[&other_pid],
            )
            .await
            .expect("activity row");
        assert_eq!(row.get::<_, String>(0), "idle in transaction");
        assert_eq!(row.get::<_, String>(1), "BEGIN; SELECT 42 AS marker");
        assert_eq!(row.get::<_, String>(2), "postgres");
        assert_eq!(row.get::<_, String>(4), "client backend");
        assert!(row.get::<_, bool>(5));
        assert!(row.get::<_, bool>(6));
        assert_eq!(
            row.get::<_, std::net::IpAddr>(7),
            std::net::IpAddr::from([127, 0, 0, 1])
        );

        other.batch_execute("COMMIT").await.expect("commit");
        let row = watcher
            .query_one(
                "SELECT state, query, xact_start IS NULL FROM pg_stat_activity WHERE pid = $1",
                &[&other_pid],
            )
            .await
            .expect("activity row");
        assert_eq!(row.get::<_, String>(0), "idle");
        assert_eq!(row.get::<_, String>(1), "COMMIT");
        assert!(row.get::<_, bool>(2));

        // The watcher sees itself running its own query.
        let own = watcher
            .query_one(
                "SELECT state, query FROM pg_stat_activity WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .expect("own row");
        assert_eq!(own.get::<_, String>(0), "active");
        assert!(own.get::<_, String>(1).contains("pg_backend_pid()"));

        drop(other);
        assert!(common::wait_for(std::time::Duration::from_secs(10), || {
            let n: i64 = futures_block(&watcher, other_pid);
            n == 0
        }));
    });
}

fn futures_block(client: &tokio_postgres::Client, pid: i32) -> i64 {
    tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(async {
            client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                    &[&pid],
                )
                .await
                .expect("count")
                .get(0)
        })
    })
}

#[test]
fn pg_settings_follows_set() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client.batch_execute("SET work_mem = '64MB'").await.expect("set");
        let row = client
            .query_one(
                "SELECT setting, unit, source, context, vartype FROM pg_settings WHERE name = 'work_mem'",
                &[],
            )
            .await
            .expect("work_mem row");
        assert_eq!(row.get::<_, String>(0), "65536");
        assert_eq!(row.get::<_, String>(1), "kB");
        assert_eq!(row.get::<_, String>(2), "session");
        assert_eq!(row.get::<_, String>(3), "user");
        assert_eq!(row.get::<_, String>(4), "integer");
        let enums = client
            .query_one(
                "SELECT enumvals FROM pg_settings WHERE name = 'bytea_output'",
                &[],
            )
            .await
            .expect("bytea_output row");
        assert_eq!(enums.get::<_, Vec<String>>(0), vec!["escape", "hex"]);
    });
}

#[test]
fn pg_locks_shows_held_and_awaited_table_locks() {
    let server = TestServer::start();
    runtime().block_on(async {
        let holder = server.connect().await;
        holder
            .batch_execute("CREATE TABLE locked (id int)")
            .await
            .expect("create");
        holder
            .batch_execute("BEGIN; LOCK TABLE locked IN SHARE MODE")
            .await
            .expect("lock");
        let holder_pid: i32 = holder
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .expect("pid")
            .get(0);
        let waiter = server.connect().await;
        let waiter_pid: i32 = waiter
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .expect("pid")
            .get(0);
        let blocked = tokio::spawn(async move {
            waiter
                .batch_execute("BEGIN; LOCK TABLE locked IN EXCLUSIVE MODE; COMMIT")
                .await
        });
        let watcher = server.connect().await;
        let query = "SELECT pid, mode, granted FROM pg_locks \
                     WHERE locktype = 'relation' AND relation = 'locked'::regclass ORDER BY granted DESC, pid";
        let mut rows = Vec::new();
        for _ in 0..200 {
            rows = watcher.query(query, &[]).await.expect("pg_locks");
            if rows.len() == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let seen: Vec<(i32, String, bool)> = rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        assert_eq!(
            seen,
            vec![
                (holder_pid, "ShareLock".to_string(), true),
                (waiter_pid, "ExclusiveLock".to_string(), false),
            ]
        );
        holder.batch_execute("COMMIT").await.expect("release");
        blocked.await.expect("join").expect("the waiter gets the lock");
    });
}

#[test]
fn cumulative_statistics_count_scans_changes_and_outcomes() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        // One statement per message: a multi-statement message is one transaction.
        for sql in [
            "CREATE TABLE st (id int PRIMARY KEY, v int)",
            "INSERT INTO st SELECT i, i FROM generate_series(1, 100) i",
            "UPDATE st SET v = v + 1 WHERE id <= 10",
            "DELETE FROM st WHERE id > 95",
            "BEGIN",
            "INSERT INTO st VALUES (1000, 1)",
            "ROLLBACK",
            "BEGIN",
            "SAVEPOINT s",
            "INSERT INTO st VALUES (1001, 1)",
            "ROLLBACK TO s",
            "INSERT INTO st VALUES (1002, 1)",
            "COMMIT",
            "SELECT count(*) FROM st",
        ] {
            client.batch_execute(sql).await.expect(sql);
        }
        // A second session sees what the first one's transactions counted.
        let other = server.connect().await;
        let row = other
            .query_one(
                "SELECT seq_scan, seq_tup_read, n_tup_ins, n_tup_upd, n_tup_del, \
                        n_tup_hot_upd, n_live_tup, n_dead_tup, n_mod_since_analyze \
                 FROM pg_stat_user_tables WHERE relname = 'st'",
                &[],
            )
            .await
            .expect("pg_stat_user_tables");
        let counts: Vec<i64> = (0..9).map(|i| row.get(i)).collect();
        // 103 inserts, of which 101 committed; 10 HOT updates; 5 deletes; one
        // sequential scan of 96 rows; dead: 10 old versions, 5 deleted, 2 aborted inserts.
        assert_eq!(counts, [1, 96, 103, 10, 5, 10, 96, 17, 116]);
        other
            .batch_execute("VACUUM ANALYZE st")
            .await
            .expect("vacuum");
        let row = other
            .query_one(
                "SELECT n_live_tup, n_dead_tup, vacuum_count, analyze_count, \
                        last_vacuum IS NOT NULL, n_mod_since_analyze \
                 FROM pg_stat_user_tables WHERE relname = 'st'",
                &[],
            )
            .await
            .expect("after vacuum");
        assert_eq!(row.get::<_, i64>(0), 96);
        assert_eq!(row.get::<_, i64>(1), 0);
        assert_eq!(row.get::<_, i64>(2), 1);
        assert_eq!(row.get::<_, i64>(3), 1);
        assert!(row.get::<_, bool>(4));
        assert_eq!(row.get::<_, i64>(5), 0);
        let (scans, rows): (i64, i64) = {
            client
                .query_one("SELECT v FROM st WHERE id = 3", &[])
                .await
                .expect("index scan");
            let r = other
                .query_one(
                    "SELECT idx_scan, idx_tup_fetch FROM pg_stat_user_indexes \
                     WHERE indexrelname = 'st_pkey'",
                    &[],
                )
                .await
                .expect("pg_stat_user_indexes");
            (r.get(0), r.get(1))
        };
        assert!(scans >= 1 && rows >= 1, "{scans} {rows}");
        let row = other
            .query_one(
                "SELECT numbackends, xact_commit > 0, xact_rollback >= 1, blks_hit > 0, \
                        tup_inserted, tup_deleted \
                 FROM pg_stat_database WHERE datname = current_database()",
                &[],
            )
            .await
            .expect("pg_stat_database");
        assert_eq!(row.get::<_, i32>(0), 2);
        assert!(row.get::<_, bool>(1) && row.get::<_, bool>(2) && row.get::<_, bool>(3));
        assert_eq!((row.get::<_, i64>(4), row.get::<_, i64>(5)), (103, 5));
        other.batch_execute("CHECKPOINT").await.expect("checkpoint");
        let row = other
            .query_one(
                "SELECT checkpoints_req, checkpoint_write_time >= 0, buffers_alloc > 0 \
                 FROM pg_stat_bgwriter",
                &[],
            )
            .await
            .expect("pg_stat_bgwriter");
        assert!(row.get::<_, i64>(0) >= 1);
        assert!(row.get::<_, bool>(1) && row.get::<_, bool>(2));
    });
}

#[test]
fn pg_cancel_and_terminate_backend_signal_other_sessions() {
    let server = TestServer::start();
    runtime().block_on(async {
        let admin = server.connect().await;
        let victim = server.connect().await;
        let victim_pid: i32 = victim
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .expect("pid")
            .get(0);

        // Cancel ends the running statement only (57014); the session goes on.
        let sleeping = tokio::spawn(async move {
            let result = victim.batch_execute("SELECT pg_sleep(60)").await;
            (victim, result)
        });
        wait_until_active(&admin, victim_pid).await;
        let cancelled: bool = admin
            .query_one("SELECT pg_cancel_backend($1)", &[&victim_pid])
            .await
            .expect("cancel")
            .get(0);
        assert!(cancelled);
        let (victim, result) = sleeping.await.expect("join");
        let err = result.expect_err("the sleep was cancelled");
        assert_eq!(err.as_db_error().expect("db error").code().code(), "57014");
        victim
            .batch_execute("SELECT 1")
            .await
            .expect("still usable");

        // Not a backend: false with a warning.
        let none: bool = admin
            .query_one("SELECT pg_cancel_backend(2147483647)", &[])
            .await
            .expect("unknown pid")
            .get(0);
        assert!(!none);
        let err = admin
            .query_one("SELECT pg_terminate_backend($1, -1)", &[&victim_pid])
            .await
            .expect_err("negative timeout");
        assert_eq!(err.as_db_error().expect("db error").code().code(), "22023");

        // A role without the victim's privileges may not signal it.
        admin
            .batch_execute("CREATE ROLE signal_nobody LOGIN")
            .await
            .expect("role");
        let (nobody, connection) = tokio_postgres::connect(
            &server
                .conninfo()
                .replace("user=postgres", "user=signal_nobody"),
            tokio_postgres::NoTls,
        )
        .await
        .expect("connect as signal_nobody");
        tokio::spawn(connection);
        let err = nobody
            .query_one("SELECT pg_cancel_backend($1)", &[&victim_pid])
            .await
            .expect_err("superuser's query");
        let db = err.as_db_error().expect("db error");
        assert_eq!(db.code().code(), "42501");
        assert_eq!(
            db.message(),
            "must be a superuser to cancel superuser query"
        );

        // Terminate with a timeout waits until the backend is gone.
        let ended: bool = admin
            .query_one("SELECT pg_terminate_backend($1, 10000)", &[&victim_pid])
            .await
            .expect("terminate")
            .get(0);
        assert!(ended);
        assert!(victim.batch_execute("SELECT 1").await.is_err());
        let left: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                &[&victim_pid],
            )
            .await
            .expect("activity")
            .get(0);
        assert_eq!(left, 0);
    });
}

/// Waits until backend `pid` runs a statement.
async fn wait_until_active(client: &tokio_postgres::Client, pid: i32) {
    for _ in 0..500 {
        let state: Option<String> = client
            .query_one("SELECT state FROM pg_stat_activity WHERE pid = $1", &[&pid])
            .await
            .expect("activity")
            .get(0);
        if state.as_deref() == Some("active") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("backend {pid} never became active");
}
