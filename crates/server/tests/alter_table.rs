//! ALTER TABLE, ALTER ... RENAME and COMMENT ON against the real server.
//!
//! `alter_table/script.sql` runs every form with psql; `alter_table/expected.out` and
//! `expected.err` are psql 15's standard output and error output for it against
//! PostgreSQL 15 (regenerate there with `psql -X -f script.sql > expected.out
//! 2> expected.err` in an empty database), so `\d` after each ALTER, the errors, and the
//! rollback of each form are compared with PostgreSQL's. The Rust tests check what psql
//! cannot show: relation files after rewrites and rollbacks, and another session seeing a
//! committed change.

mod common;

use common::{client_tool_available, run, TestServer};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn fixture(name: &str) -> String {
    common::fixture("alter_table", name)
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

async fn error_of(client: &tokio_postgres::Client, sql: &str) -> (String, String) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (db.code().code().to_string(), db.message().to_string())
}

async fn rows(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    client
        .simple_query(sql)
        .await
        .expect("query")
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("NULL").to_string())
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            _ => None,
        })
        .collect()
}

#[test]
fn alter_forms_print_like_postgres_in_psql() {
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
fn rewrites_swap_files_at_commit_and_leave_none_after_rollback() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE w (a int PRIMARY KEY, b text); \
                 INSERT INTO w SELECT g, 'v' || g FROM generate_series(1, 500) g",
            )
            .await
            .expect("setup");
        let before = user_relation_files(&server);
        // Rolled back: the rewritten table's and index's new files are gone.
        for form in [
            "ALTER TABLE w ALTER a TYPE bigint",
            "ALTER TABLE w ADD COLUMN c int DEFAULT 3",
            "ALTER TABLE w ALTER b TYPE varchar(10), ADD COLUMN d float8 DEFAULT random()",
        ] {
            client
                .batch_execute(&format!("BEGIN; {form}; ROLLBACK"))
                .await
                .expect(form);
            assert_eq!(user_relation_files(&server), before, "{form}");
        }
        assert_eq!(
            rows(&client, "SELECT count(*), sum(a) FROM w").await,
            ["500|125250"]
        );
        // Committed: table and index have new files, the old ones are removed.
        client
            .batch_execute("ALTER TABLE w ALTER a TYPE bigint")
            .await
            .expect("alter type");
        let after = user_relation_files(&server);
        assert_eq!(after.len(), before.len());
        assert!(
            after.iter().all(|f| !before.contains(f)),
            "{before:?} {after:?}"
        );
        // The rebuilt primary key still enforces uniqueness and finds rows.
        assert_eq!(
            error_of(&client, "INSERT INTO w VALUES (7, 'dup')").await,
            (
                "23505".into(),
                "duplicate key value violates unique constraint \"w_pkey\"".into()
            )
        );
        // A volatile default gives each existing row its own value.
        client
            .batch_execute("ALTER TABLE w ADD COLUMN r float8 DEFAULT random()")
            .await
            .expect("volatile default");
        let distinct = rows(&client, "SELECT count(DISTINCT r) > 400 FROM w").await;
        assert_eq!(distinct, ["t"]);
        // A dropped column's bytes stay in old rows, which still read correctly.
        client
            .batch_execute("ALTER TABLE w DROP COLUMN b")
            .await
            .expect("drop column");
        assert_eq!(
            rows(&client, "SELECT a, r IS NOT NULL FROM w WHERE a = 3").await,
            ["3|t"]
        );
    });
}

#[test]
fn other_sessions_see_the_change_after_commit() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = server.connect().await;
        let b = server.connect().await;
        a.batch_execute("CREATE TABLE v (x int); INSERT INTO v VALUES (1)")
            .await
            .expect("setup");
        // b caches the descriptor.
        assert_eq!(rows(&b, "SELECT * FROM v").await, ["1"]);
        a.batch_execute("BEGIN; ALTER TABLE v ADD COLUMN y int DEFAULT 5, RENAME x TO xx")
            .await
            .expect_err("RENAME cannot be combined with other subcommands");
        a.batch_execute("ROLLBACK").await.expect("rollback");
        a.batch_execute("BEGIN; ALTER TABLE v ADD COLUMN y int DEFAULT 5")
            .await
            .expect("alter in a block");
        // ACCESS EXCLUSIVE: b's read waits for a's commit.
        b.batch_execute("SET statement_timeout = 300")
            .await
            .expect("set");
        assert_eq!(
            error_of(&b, "SELECT * FROM v").await.0,
            "57014",
            "a reader must wait for the ALTER's lock"
        );
        b.batch_execute("SET statement_timeout = 0")
            .await
            .expect("reset");
        a.batch_execute("COMMIT").await.expect("commit");
        assert_eq!(rows(&b, "SELECT * FROM v").await, ["1|5"]);
        a.batch_execute("ALTER TABLE v RENAME x TO xx; COMMENT ON COLUMN v.xx IS 'renamed'")
            .await
            .expect("rename");
        assert_eq!(
            rows(&b, "SELECT xx, col_description('v'::regclass, 1) FROM v").await,
            ["1|renamed"]
        );
        a.batch_execute("ALTER TABLE v DROP COLUMN y")
            .await
            .expect("drop");
        assert_eq!(rows(&b, "SELECT * FROM v").await, ["1"]);
    });
}
