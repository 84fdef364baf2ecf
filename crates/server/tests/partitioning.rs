//! Declarative partitioning against the `tusk` binary.
//!
//! `partitioning/script.sql` exercises CREATE TABLE ... PARTITION BY / PARTITION OF
//! (range with MINVALUE, list with NULL and DEFAULT, hash, sub-partitioning), the
//! catalogs (`relkind`, `relispartition`, `pg_get_expr(relpartbound, oid)`,
//! `pg_partitioned_table`, `pg_get_partkeydef`), the bound checks (overlap, empty range,
//! wrong strategy, hash moduli), tuple routing and its errors, the partition constraint
//! of a partition written directly, UPDATE row movement, plan-time pruning in EXPLAIN,
//! ATTACH / DETACH PARTITION and DROP; `partitioning/expected.out` is what psql 15 prints
//! for it (stdout and stderr together) against PostgreSQL 15 in a fresh database
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).
//!
//! The pgbench tests initialise with `--partitions` (range, then hash) and run the
//! TPC-B-like script over the partitioned `pgbench_accounts`.

mod common;

use std::process::Command;

use common::{client_tool_available, run, TestServer};

#[test]
fn partitioning_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("partitioning");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn plan(client: &tokio_postgres::Client, query: &str) -> String {
    client
        .query(&format!("EXPLAIN (COSTS OFF) {query}"), &[])
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Plan-time pruning: constant conditions on the key leave out the partitions that
/// cannot hold matching rows (tusk's EXPLAIN names relations without their aliases, so
/// this is checked here rather than against PostgreSQL's output).
#[test]
fn explain_shows_only_the_partitions_where_can_match() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE r (a int, b text) PARTITION BY RANGE (a);
                 CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (MINVALUE) TO (10);
                 CREATE TABLE r2 PARTITION OF r FOR VALUES FROM (10) TO (20);
                 CREATE TABLE r3 PARTITION OF r FOR VALUES FROM (20) TO (30)
                   PARTITION BY LIST (b);
                 CREATE TABLE r3x PARTITION OF r3 FOR VALUES IN ('x');
                 CREATE TABLE r3d PARTITION OF r3 DEFAULT;
                 INSERT INTO r VALUES (5, 'x'), (15, 'y'), (25, 'x'), (25, 'z');",
            )
            .await
            .expect("setup");
        let only = plan(&client, "SELECT * FROM r WHERE a = 5").await;
        assert!(only.contains("Seq Scan on r1"), "{only}");
        assert!(!only.contains("r2") && !only.contains("r3"), "{only}");
        let range = plan(&client, "SELECT * FROM r WHERE a >= 12 AND a < 22").await;
        assert!(
            range.contains("r2") && range.contains("r3x") && range.contains("r3d"),
            "{range}"
        );
        assert!(!range.contains("r1"), "{range}");
        let either = plan(&client, "SELECT * FROM r WHERE a IN (1, 25) AND b = 'x'").await;
        assert!(either.contains("r1") && either.contains("r3x"), "{either}");
        assert!(
            !either.contains("r2") && !either.contains("r3d"),
            "{either}"
        );
        let all = plan(&client, "SELECT * FROM r WHERE a + 0 = 5").await;
        assert!(
            all.contains("r1") && all.contains("r2") && all.contains("r3d"),
            "{all}"
        );
        // Pruning never changes the answer.
        let rows = client
            .query("SELECT a, b FROM r WHERE a IN (1, 25) AND b = 'x'", &[])
            .await
            .expect("select");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get::<_, i32>(0), 25);
    });
}

/// `pgbench -i --partitions=4 --partition-method=<method>`, then two clients of the
/// TPC-B-like script: no failures, every account row in a partition, balances agree.
fn pgbench_over_partitions(method: &str) {
    if !client_tool_available("pgbench", Command::new("pgbench").arg("--version")) {
        return;
    }
    let server = TestServer::start();
    let init = run(server.client_command("pgbench").args([
        "-i",
        "-s",
        "1",
        "--partitions=4",
        &format!("--partition-method={method}"),
        "postgres",
    ]));
    assert_eq!(
        init.code,
        0,
        "pgbench -i: {}\n{}\nserver log:\n{}",
        init.stdout,
        init.stderr,
        server.log()
    );
    let out = run(server
        .client_command("pgbench")
        .args(["-n", "-c", "2", "-j", "2", "-t", "20", "postgres"]));
    assert_eq!(
        out.code,
        0,
        "pgbench: {}\n{}\nserver log:\n{}",
        out.stdout,
        out.stderr,
        server.log()
    );
    assert!(
        out.stdout
            .contains("number of failed transactions: 0 (0.000%)"),
        "{}",
        out.stdout
    );
    let check = run(server.client_command("psql").args([
        "-X",
        "-At",
        "-c",
        "SELECT (SELECT count(*) FROM pgbench_accounts), \
                (SELECT count(*) FROM ONLY pgbench_accounts), \
                (SELECT count(DISTINCT tableoid) FROM pgbench_accounts), \
                (SELECT sum(abalance) = (SELECT sum(delta) FROM pgbench_history) \
                   FROM pgbench_accounts)",
        "postgres",
    ]));
    assert_eq!(
        check.stdout.trim(),
        "100000|0|4|t",
        "{}{}",
        check.stdout,
        check.stderr
    );
}

#[test]
fn pgbench_runs_over_range_partitions() {
    pgbench_over_partitions("range");
}

#[test]
fn pgbench_runs_over_hash_partitions() {
    pgbench_over_partitions("hash");
}
