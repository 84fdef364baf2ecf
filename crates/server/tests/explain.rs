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

/// True if `text` is `N.NNN` (EXPLAIN's milliseconds).
fn is_milliseconds(text: &str) -> bool {
    let Some((whole, fraction)) = text.split_once('.') else {
        return false;
    };
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() == 3
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

#[test]
fn explain_analyze_reports_times_buffers_and_summary() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE u (x int, y text);
                 INSERT INTO u SELECT i, 'row ' || i FROM generate_series(1, 300) i;",
            )
            .await
            .expect("setup");
        let lines = plan(
            &client,
            "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM u WHERE x % 3 = 0",
        )
        .await;
        // Aggregate  (cost=...) (actual time=S..T rows=1 loops=1)
        let actual = |line: &str, rows: &str| {
            let (_, rest) = line.split_once("(actual time=").expect(line);
            let (times, rest) = rest.split_once(' ').expect(line);
            let (startup, total) = times.split_once("..").expect(line);
            assert!(is_milliseconds(startup) && is_milliseconds(total), "{line}");
            assert_eq!(rest, format!("rows={rows} loops=1)"), "{line}");
        };
        assert!(lines[0].starts_with("Aggregate  (cost="), "{lines:?}");
        actual(&lines[0], "1");
        assert!(lines[1].starts_with("  Buffers: shared "), "{lines:?}");
        assert!(
            lines[2].starts_with("  ->  Seq Scan on u  (cost="),
            "{lines:?}"
        );
        actual(&lines[2], "100");
        assert_eq!(lines[3], "        Filter: ((x % 3) = 0)");
        assert_eq!(lines[4], "        Rows Removed by Filter: 200");
        assert!(
            lines[5].starts_with("        Buffers: shared "),
            "{lines:?}"
        );
        let summary: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("Planning Time: ") || l.starts_with("Execution Time: "))
            .collect();
        assert_eq!(summary.len(), 2, "{lines:?}");
        for line in summary {
            let (_, value) = line.split_once(": ").expect("label");
            let ms = value.strip_suffix(" ms").expect("unit");
            assert!(is_milliseconds(ms), "{line}");
        }
        // EXPLAIN ANALYZE of a write is not run.
        let err = client
            .simple_query("EXPLAIN ANALYZE DELETE FROM u")
            .await
            .expect_err("explain analyze delete");
        assert_eq!(
            err.as_db_error().expect("server error").code().code(),
            "0A000"
        );
        let count = plan(&client, "SELECT count(*)::text FROM u").await;
        assert_eq!(count, ["300"]);
    });
}
