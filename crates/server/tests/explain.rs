//! EXPLAIN against the real server: the plans of simple queries print as PostgreSQL 15
//! prints them with COSTS OFF (expected texts taken from PostgreSQL 15 where its plan has
//! the same shape as tusk's), the result is one text column `QUERY PLAN` with tag
//! EXPLAIN, and unsupported options fail with PostgreSQL's SQLSTATEs.

mod common;

use common::TestServer;
use tokio_postgres::{Client, SimpleQueryMessage};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn plan(client: &Client, sql: &str) -> Vec<String> {
    client
        .simple_query(sql)
        .await
        .expect(sql)
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(r.get(0).expect("QUERY PLAN").to_string()),
            _ => None,
        })
        .collect()
}

/// Statements and PostgreSQL 15's output for them (tables `t` with primary key `a`, `u`
/// without indexes).
const CASES: &[(&str, &[&str])] = &[
    (
        "EXPLAIN (COSTS OFF) SELECT * FROM t WHERE c = 'x' OR d = 5 OR a = -1",
        &[
            "Seq Scan on t",
            "  Filter: (((c)::text = 'x'::text) OR (d = 5) OR (a = '-1'::integer))",
        ],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT a, count(*) FROM t GROUP BY a ORDER BY 2 DESC LIMIT 3",
        &[
            "Limit",
            "  ->  Sort",
            "        Sort Key: (count(*)) DESC",
            "        ->  HashAggregate",
            "              Group Key: a",
            "              ->  Seq Scan on t",
        ],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT DISTINCT b FROM u2",
        &["HashAggregate", "  Group Key: b", "  ->  Seq Scan on u2"],
    ),
    (
        "EXPLAIN (COSTS OFF) VALUES (1), (2)",
        &["Values Scan on \"*VALUES*\""],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT * FROM generate_series(1, 3)",
        &["Function Scan on generate_series"],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT generate_series(1, 3)",
        &["ProjectSet", "  ->  Result"],
    ),
    ("EXPLAIN (COSTS OFF) SELECT 1", &["Result"]),
    (
        "EXPLAIN (COSTS OFF) SELECT a FROM t UNION ALL SELECT x FROM u",
        &["Append", "  ->  Seq Scan on t", "  ->  Seq Scan on u"],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT * FROM t WHERE a = 3",
        &["Index Scan using t_pkey on t", "  Index Cond: (a = 3)"],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT * FROM t ORDER BY a DESC LIMIT 1",
        &["Limit", "  ->  Index Scan Backward using t_pkey on t"],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT count(*) FROM t",
        &["Aggregate", "  ->  Seq Scan on t"],
    ),
    (
        "EXPLAIN (COSTS OFF) SELECT * FROM u WHERE x > 1 AND y < 'm'",
        &["Seq Scan on u", "  Filter: ((x > 1) AND (y < 'm'::text))"],
    ),
    (
        "EXPLAIN (COSTS OFF) INSERT INTO t SELECT x, y FROM u WHERE x > 1",
        &[
            "Insert on t",
            "  ->  Seq Scan on u",
            "        Filter: (x > 1)",
        ],
    ),
    (
        "EXPLAIN (COSTS OFF) INSERT INTO t VALUES (1), (2)",
        &["Insert on t", "  ->  Values Scan on \"*VALUES*\""],
    ),
    (
        "EXPLAIN (COSTS OFF) INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING",
        &[
            "Insert on t",
            "  Conflict Resolution: NOTHING",
            "  ->  Result",
        ],
    ),
    (
        "EXPLAIN (COSTS OFF) UPDATE t SET b = 'x' WHERE a = 1 AND b = 'y'",
        &[
            "Update on t",
            "  ->  Index Scan using t_pkey on t",
            "        Index Cond: (a = 1)",
            "        Filter: (b = 'y'::text)",
        ],
    ),
    (
        "EXPLAIN (COSTS OFF) DELETE FROM u WHERE x = 1 RETURNING *",
        &[
            "Delete on u",
            "  ->  Seq Scan on u",
            "        Filter: (x = 1)",
        ],
    ),
    (
        "EXPLAIN (VERBOSE, COSTS OFF) SELECT x, y FROM u WHERE x > 1 ORDER BY y",
        &[
            "Sort",
            "  Output: x, y",
            "  Sort Key: u.y",
            "  ->  Seq Scan on public.u",
            "        Output: x, y",
            "        Filter: (u.x > 1)",
        ],
    ),
];

#[test]
fn explain_prints_postgres_plan_text() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE t (a int PRIMARY KEY, b text, c varchar(10), d bigint);
                 CREATE TABLE u (x int, y text);
                 CREATE TABLE u2 (b text);",
            )
            .await
            .expect("setup");
        for (sql, expected) in CASES {
            assert_eq!(plan(&client, sql).await, *expected, "{sql}");
        }
        // EXPLAIN without ANALYZE changes nothing.
        let count = plan(&client, "SELECT count(*)::text FROM t").await;
        assert_eq!(count, ["0"]);
    });
}

#[test]
fn explain_result_is_one_text_column_tagged_explain() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute("CREATE TABLE u (x int, y text)")
            .await
            .expect("setup");
        let messages = client
            .simple_query("EXPLAIN SELECT * FROM u")
            .await
            .expect("explain");
        let mut rows = Vec::new();
        let mut tag = None;
        for m in messages {
            match m {
                SimpleQueryMessage::Row(r) => {
                    assert_eq!(r.columns()[0].name(), "QUERY PLAN");
                    rows.push(r.get(0).expect("line").to_string());
                }
                SimpleQueryMessage::CommandComplete(n) => tag = Some(n),
                _ => {}
            }
        }
        // PostgreSQL 15 without statistics: 10 pages of (int, text) rows.
        assert_eq!(
            rows,
            ["Seq Scan on u  (cost=0.00..22.70 rows=1270 width=36)"]
        );
        assert!(tag.is_some());
        // The extended protocol describes the same column.
        let statement = client
            .prepare("EXPLAIN (COSTS OFF) SELECT x FROM u WHERE x = $1")
            .await
            .expect("prepare");
        assert_eq!(statement.columns()[0].name(), "QUERY PLAN");
        let rows = client.query(&statement, &[&5i32]).await.expect("execute");
        let lines: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(lines, ["Seq Scan on u", "  Filter: (x = $1)"]);
    });
}

#[test]
fn explain_refuses_what_it_cannot_show() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        for (sql, code) in [
            ("EXPLAIN (FORMAT JSON) SELECT 1", "0A000"),
            ("EXPLAIN (nonsense) SELECT 1", "42601"),
            ("EXPLAIN (TIMING) SELECT 1", "22023"),
        ] {
            let err = client.simple_query(sql).await.expect_err(sql);
            assert_eq!(
                err.as_db_error().expect("server error").code().code(),
                code,
                "{sql}"
            );
        }
    });
}
