//! Index scans against the real server: every query through an index answers what the
//! same query answers through a sequential scan (`aid + 0` hides the column from the
//! planner), while other transactions have rows updated, deleted and inserted, committed
//! or in progress, under READ COMMITTED and REPEATABLE READ; UPDATE through an index
//! waits for a concurrent writer and re-checks the newest version.

mod common;

use common::TestServer;
use tokio_postgres::Client;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn strings(client: &Client, sql: &str) -> Vec<String> {
    client
        .simple_query(sql)
        .await
        .expect(sql)
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("NULL"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        })
        .collect()
}

/// Conditions on the indexed columns, each with its sequential-scan twin.
const CONDITIONS: &[(&str, &str)] = &[
    ("aid = 5", "aid + 0 = 5"),
    ("aid = 150", "aid + 0 = 150"),
    ("aid = 1005", "aid + 0 = 1005"),
    ("aid = 2150", "aid + 0 = 2150"),
    ("aid >= 195", "aid + 0 >= 195"),
    ("aid > 20 AND aid <= 40", "aid + 0 > 20 AND aid + 0 <= 40"),
    ("aid < 12", "aid + 0 < 12"),
    ("grp = 3", "grp + 0 = 3"),
    ("grp = 3 AND aid < 50", "grp + 0 = 3 AND aid + 0 < 50"),
    ("grp > 7", "grp + 0 > 7"),
];

/// Asserts that `client` sees the same rows through the indexes as without them.
async fn index_agrees(client: &Client, when: &str) {
    for (indexed, plain) in CONDITIONS {
        let through_index = strings(
            client,
            &format!("SELECT aid, bal, grp FROM acct WHERE {indexed} ORDER BY aid, bal"),
        )
        .await;
        let sequential = strings(
            client,
            &format!("SELECT aid, bal, grp FROM acct WHERE {plain} ORDER BY aid, bal"),
        )
        .await;
        assert_eq!(through_index, sequential, "{when}: WHERE {indexed}");
    }
    let ordered = strings(client, "SELECT aid FROM acct ORDER BY aid DESC LIMIT 7").await;
    let sorted = strings(client, "SELECT aid FROM acct ORDER BY aid + 0 DESC LIMIT 7").await;
    assert_eq!(ordered, sorted, "{when}: ORDER BY aid DESC LIMIT 7");
}

#[test]
fn index_scans_see_what_sequential_scans_see_under_concurrent_writes() {
    let server = TestServer::start();
    runtime().block_on(async {
        let setup = server.connect().await;
        setup
            .batch_execute(
                "CREATE TABLE acct (aid int PRIMARY KEY, bal int NOT NULL, grp int); \
                 INSERT INTO acct SELECT g, 0, g % 10 FROM generate_series(1, 200) g; \
                 CREATE INDEX acct_grp ON acct (grp)",
            )
            .await
            .expect("setup");
        index_agrees(&setup, "after loading").await;

        // Committed changes: in-place (HOT) updates, key updates, deletes, inserts.
        setup
            .batch_execute(
                "UPDATE acct SET bal = bal + 1 WHERE aid <= 30; \
                 UPDATE acct SET bal = bal + 1 WHERE aid <= 10; \
                 UPDATE acct SET grp = grp + 1 WHERE aid BETWEEN 40 AND 60; \
                 UPDATE acct SET aid = aid + 1000 WHERE aid IN (5, 6, 7); \
                 DELETE FROM acct WHERE aid BETWEEN 100 AND 120; \
                 INSERT INTO acct VALUES (100, 7, 3), (201, 1, 1)",
            )
            .await
            .expect("committed changes");
        index_agrees(&setup, "after committed changes").await;

        // A REPEATABLE READ snapshot taken now must keep seeing this state.
        let rr = server.connect().await;
        rr.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            .await
            .expect("begin rr");
        let rr_before = strings(
            &rr,
            "SELECT aid, bal, grp FROM acct WHERE aid + 0 > 0 ORDER BY aid",
        )
        .await;

        // In progress in another transaction: none of it is visible to others.
        let writer = server.connect().await;
        writer
            .batch_execute(
                "BEGIN; \
                 UPDATE acct SET bal = bal + 100 WHERE aid <= 20; \
                 UPDATE acct SET aid = aid + 2000 WHERE aid = 150; \
                 UPDATE acct SET grp = 99 WHERE grp = 3 AND aid > 60; \
                 DELETE FROM acct WHERE aid >= 195; \
                 INSERT INTO acct VALUES (300, -1, 3)",
            )
            .await
            .expect("writer's changes");
        index_agrees(&writer, "the writer's own uncommitted changes").await;
        let rc = server.connect().await;
        index_agrees(&rc, "read committed, writer in progress").await;
        index_agrees(&rr, "repeatable read, writer in progress").await;

        writer.batch_execute("COMMIT").await.expect("commit");
        index_agrees(&rc, "read committed, writer committed").await;
        index_agrees(&rr, "repeatable read, writer committed").await;
        assert_eq!(
            strings(
                &rr,
                "SELECT aid, bal, grp FROM acct WHERE aid + 0 > 0 ORDER BY aid"
            )
            .await,
            rr_before,
            "the repeatable read snapshot did not move"
        );
        rr.batch_execute("COMMIT").await.expect("end rr");

        // A rolled-back transaction's changes leave no trace in either scan.
        writer
            .batch_execute(
                "BEGIN; UPDATE acct SET aid = aid + 5000 WHERE aid < 50; \
                 DELETE FROM acct WHERE grp = 7; ROLLBACK",
            )
            .await
            .expect("rolled back changes");
        index_agrees(&rc, "after a rollback").await;
        assert_eq!(
            strings(
                &rc,
                "SELECT aid, bal FROM acct WHERE aid IN (300, 2150) ORDER BY aid"
            )
            .await,
            ["300 -1"],
            "aid 150 became 2150, then went with aid >= 195"
        );
    });
}

#[test]
fn update_through_an_index_waits_and_rechecks_the_newest_version() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = server.connect().await;
        a.batch_execute(
            "CREATE TABLE acct (aid int PRIMARY KEY, bal int NOT NULL); \
             INSERT INTO acct SELECT g, 0 FROM generate_series(1, 100) g",
        )
        .await
        .expect("setup");
        let b = server.connect().await;
        a.batch_execute("BEGIN; UPDATE acct SET bal = bal + 1 WHERE aid = 7")
            .await
            .expect("a updates aid 7");
        let waiting = tokio::spawn(async move {
            let n = b
                .execute("UPDATE acct SET bal = bal + 10 WHERE aid = $1", &[&7i32])
                .await
                .expect("b's update after a commits");
            (b, n)
        });
        a.batch_execute("COMMIT").await.expect("a commits");
        let (b, n) = waiting.await.expect("join");
        assert_eq!(n, 1);
        assert_eq!(
            strings(&b, "SELECT bal FROM acct WHERE aid = 7").await,
            ["11"]
        );

        // A concurrent key change moves the row out of the condition: nothing updated.
        a.batch_execute("BEGIN; UPDATE acct SET aid = 1007 WHERE aid = 8")
            .await
            .expect("a moves aid 8");
        let waiting = tokio::spawn(async move {
            b.execute("UPDATE acct SET bal = bal + 10 WHERE aid = 8", &[])
                .await
                .expect("b's update after a commits")
        });
        a.batch_execute("COMMIT").await.expect("a commits");
        assert_eq!(waiting.await.expect("join"), 0);
        assert_eq!(
            strings(
                &a,
                "SELECT aid, bal FROM acct WHERE aid IN (8, 1007) ORDER BY aid"
            )
            .await,
            ["1007 0"]
        );
        // DELETE through the index.
        assert_eq!(
            a.execute("DELETE FROM acct WHERE aid = $1", &[&1007i32])
                .await
                .expect("delete"),
            1
        );
        assert_eq!(
            strings(&a, "SELECT count(*) FROM acct WHERE aid > 90").await,
            ["10"]
        );
    });
}
