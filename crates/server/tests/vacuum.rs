//! VACUUM and autovacuum against the real server: dead row versions of non-HOT updates
//! are removed with their index entries and their space reused, so the same workload
//! after a VACUUM does not grow the table; the result survives kill -9; autovacuum
//! vacuums a table whose dead rows pass its threshold.

mod common;

use std::time::Duration;

use common::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn int(c: &tokio_postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).await.expect(sql).get(0)
}

async fn check_rows(c: &tokio_postgres::Client) {
    assert_eq!(int(c, "SELECT count(*) FROM v").await, 2000);
    c.batch_execute("SET enable_seqscan = off")
        .await
        .expect("set");
    // Through the primary key and through the index on the updated column.
    assert_eq!(int(c, "SELECT n::int8 FROM v WHERE id = 77").await, 77 + 2);
    assert_eq!(int(c, "SELECT id::int8 FROM v WHERE n = 79").await, 77);
    assert_eq!(
        int(c, "SELECT count(*) FROM v WHERE n BETWEEN 1 AND 1000").await,
        998
    );
    c.batch_execute("RESET enable_seqscan")
        .await
        .expect("reset");
}

#[test]
fn vacuum_lets_non_hot_updates_reuse_space_and_survives_kill_9() {
    let mut server = TestServer::start_with(&["autovacuum=off"]);
    let rt = runtime();
    let size = rt.block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE v (id int PRIMARY KEY, n int, pad text); \
             CREATE INDEX v_n ON v (n); \
             INSERT INTO v SELECT g, g, repeat('x', 100) FROM generate_series(1, 2000) g",
        )
        .await
        .expect("setup");
        let initial = int(&c, "SELECT pg_relation_size('v')").await;
        // A non-HOT update of every row (an indexed column changes), then VACUUM.
        c.batch_execute("UPDATE v SET n = n + 1")
            .await
            .expect("update");
        c.batch_execute("VACUUM v").await.expect("vacuum");
        let after_first = int(&c, "SELECT pg_relation_size('v')").await;
        assert!(after_first > initial, "the first update needed new pages");
        let stats = c
            .query_one(
                "SELECT n_dead_tup, vacuum_count, n_live_tup FROM pg_stat_user_tables \
                 WHERE relname = 'v'",
                &[],
            )
            .await
            .expect("stats");
        assert_eq!(
            (
                stats.get::<_, i64>(0),
                stats.get::<_, i64>(1),
                stats.get::<_, i64>(2)
            ),
            (0, 1, 2000)
        );
        // The same workload again fits in the space VACUUM freed.
        c.batch_execute("UPDATE v SET n = n + 1")
            .await
            .expect("update");
        let after_second = int(&c, "SELECT pg_relation_size('v')").await;
        assert_eq!(after_second, after_first, "the second update reused pages");
        c.batch_execute("VACUUM v").await.expect("vacuum");
        check_rows(&c).await;
        after_second
    });
    server.kill9();
    server.restart();
    rt.block_on(async {
        let c = server.connect().await;
        check_rows(&c).await;
        assert_eq!(int(&c, "SELECT pg_relation_size('v')").await, size);
        // Inserts after recovery still work, through both indexes.
        c.batch_execute("INSERT INTO v SELECT g, g + 2, 'y' FROM generate_series(2001, 2100) g")
            .await
            .expect("insert");
        assert_eq!(int(&c, "SELECT count(*) FROM v").await, 2100);
    });
}

#[test]
fn autovacuum_vacuums_a_table_past_its_dead_row_threshold() {
    let server = TestServer::start_with(&[
        "autovacuum_naptime=1",
        "autovacuum_vacuum_threshold=10",
        "autovacuum_vacuum_scale_factor=0",
    ]);
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE a (id int PRIMARY KEY, v text); \
             INSERT INTO a SELECT g, 'v' FROM generate_series(1, 100) g; \
             DELETE FROM a WHERE id <= 50",
        )
        .await
        .expect("setup");
        let done = tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let row = c
                    .query_one(
                        "SELECT autovacuum_count, n_dead_tup, last_autovacuum IS NOT NULL \
                         FROM pg_stat_user_tables WHERE relname = 'a'",
                        &[],
                    )
                    .await
                    .expect("stats");
                let (count, dead, stamped) = (
                    row.get::<_, i64>(0),
                    row.get::<_, i64>(1),
                    row.get::<_, bool>(2),
                );
                if count > 0 {
                    return (dead, stamped);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .expect("autovacuum ran within 60 s");
        assert_eq!(done, (0, true));
        assert_eq!(int(&c, "SELECT count(*) FROM a").await, 50);
        let manual = int(
            &c,
            "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'a'",
        )
        .await;
        assert_eq!(
            manual, 0,
            "autovacuum's runs are not counted as manual ones"
        );
    });
}
