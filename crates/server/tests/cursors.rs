//! SQL cursors (DECLARE, FETCH, MOVE, CLOSE) against the real server.
//!
//! `cursors/script.sql` runs every fetch direction, MOVE, WITH HOLD across commit and
//! rollback, savepoints, CLOSE ALL, DISCARD ALL and the errors with psql;
//! `cursors/expected.out` and `expected.err` are psql 15's output for it against
//! PostgreSQL 15 (regenerate there with `psql -X -f script.sql > expected.out
//! 2> expected.err` in an empty database). The extended-protocol test checks FETCH's row
//! description and a BINARY cursor through tokio-postgres.

mod common;

use common::{client_tool_available, run, TestServer};

fn fixture(name: &str) -> String {
    common::fixture("cursors", name)
}

#[test]
fn cursor_commands_print_like_postgres_in_psql() {
    if !client_tool_available("psql", std::process::Command::new("psql").arg("--version")) {
        return;
    }
    let server = TestServer::start();
    std::fs::write(server.dir().join("script.sql"), fixture("script.sql")).expect("write");
    let out = run(server
        .client_command("psql")
        .current_dir(server.dir())
        .args(["-X", "-f", "script.sql"]));
    let expected = fixture("expected.out");
    common::assert_same_output(&out.stdout, &expected, "expected.out");
    assert_eq!(out.stderr, fixture("expected.err"));
}

#[test]
fn fetch_through_the_extended_protocol_describes_its_rows() {
    let server = TestServer::start();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(async {
            let mut client = server.connect().await;
            let tx = client.transaction().await.expect("begin");
            tx.batch_execute(
                "DECLARE c SCROLL CURSOR FOR SELECT g AS n, 'v' || g AS v \
                 FROM generate_series(1, 5) g",
            )
            .await
            .expect("declare");
            // Prepared FETCH: Describe gives the cursor's columns, rows decode by type.
            let rows = tx.query("FETCH 2 FROM c", &[]).await.expect("fetch");
            let got: Vec<(i32, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
            assert_eq!(got, [(1, "v1".to_string()), (2, "v2".to_string())]);
            assert_eq!(rows[0].columns()[0].name(), "n");
            let rows = tx
                .query("FETCH LAST FROM c", &[])
                .await
                .expect("fetch last");
            assert_eq!(rows[0].get::<_, i32>(0), 5);
            let moved = tx.execute("MOVE BACKWARD 2 IN c", &[]).await.expect("move");
            assert_eq!(moved, 2);
            let rows = tx.query("FETCH PRIOR FROM c", &[]).await.expect("prior");
            assert_eq!(rows[0].get::<_, i32>(0), 2);
            // A BINARY cursor's rows decode in binary too.
            tx.batch_execute("DECLARE b BINARY CURSOR FOR SELECT 42::int8 AS x")
                .await
                .expect("declare binary");
            let rows = tx
                .query("FETCH ALL FROM b", &[])
                .await
                .expect("fetch binary");
            assert_eq!(rows[0].get::<_, i64>(0), 42);
            tx.rollback().await.expect("rollback");
        });
}
