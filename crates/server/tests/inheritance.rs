//! Table inheritance against the real server: CREATE TABLE ... INHERITS merges columns
//! (with PostgreSQL's NOTICEs and errors) and writes `pg_inherits`; a scan of a parent
//! reads its descendants' rows mapped to its columns by name unless ONLY says otherwise,
//! with `tableoid` naming where each row lives; UPDATE and DELETE change rows in the
//! relation they live in; DROP TABLE of a parent needs CASCADE;
//! TRUNCATE recurses.

mod common;

use common::{client_tool_available, run, TestServer};
use tokio_postgres::{Client, SimpleQueryMessage};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Every row of `sql`, its columns joined with `|` (NULL as empty).
async fn rows(client: &Client, sql: &str) -> Vec<String> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("").to_string())
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            _ => None,
        })
        .collect()
}

/// SQLSTATE, message and detail of the error `sql` fails with.
async fn error_of(client: &Client, sql: &str) -> (String, String, Option<String>) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (
        db.code().code().to_string(),
        db.message().to_string(),
        db.detail().map(str::to_string),
    )
}

#[test]
fn parent_scans_read_children_by_column_name() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE p (a int NOT NULL, b text DEFAULT 'pb', CHECK (a > 0));
                 CREATE TABLE c (x int, b text, a int) INHERITS (p);
                 CREATE TABLE g (y int) INHERITS (c);
                 INSERT INTO p VALUES (1, 'p1');
                 INSERT INTO c (a, b, x) VALUES (2, 'c2', 20);
                 INSERT INTO g (a, x, y) VALUES (3, 30, 300);",
            )
            .await
            .expect("inheritance tree");
        assert_eq!(
            rows(&client, "SELECT a, b FROM p ORDER BY a").await,
            vec!["1|p1", "2|c2", "3|pb"]
        );
        assert_eq!(rows(&client, "SELECT a, b FROM ONLY p").await, vec!["1|p1"]);
        assert_eq!(
            rows(&client, "SELECT tableoid::regclass, a FROM p ORDER BY a").await,
            vec!["p|1", "c|2", "g|3"]
        );
        assert_eq!(
            rows(&client, "SELECT a, x FROM c WHERE x > 25").await,
            vec!["3|30"]
        );
        assert_eq!(rows(&client, "SELECT count(*) FROM p*").await, vec!["3"]);
        // Column order of the child: the inherited ones first, then its own.
        assert_eq!(
            rows(
                &client,
                "SELECT attname, attinhcount, attislocal FROM pg_attribute
                 WHERE attrelid = 'c'::regclass AND attnum > 0 ORDER BY attnum"
            )
            .await,
            vec!["a|1|t", "b|1|t", "x|0|t"]
        );
        assert_eq!(
            rows(
                &client,
                "SELECT inhrelid::regclass, inhparent::regclass, inhseqno FROM pg_inherits
                 ORDER BY inhrelid"
            )
            .await,
            vec!["c|p|1", "g|c|1"]
        );
        // Inherited NOT NULL and CHECK constraints.
        assert_eq!(
            error_of(&client, "INSERT INTO g (a) VALUES (NULL)").await.0,
            "23502"
        );
        assert_eq!(
            error_of(&client, "INSERT INTO c (a) VALUES (-1)").await.0,
            "23514"
        );
        // UPDATE and DELETE through the parent change each row where it lives.
        assert_eq!(
            rows(
                &client,
                "UPDATE p SET b = b || '!' WHERE a >= 2 RETURNING a, b"
            )
            .await,
            vec!["2|c2!", "3|pb!"]
        );
        assert_eq!(
            rows(
                &client,
                "SELECT tableoid::regclass, a, b, x FROM c ORDER BY a"
            )
            .await,
            vec!["c|2|c2!|20", "g|3|pb!|30"]
        );
        client
            .batch_execute("UPDATE ONLY p SET b = 'p1x'; DELETE FROM ONLY c WHERE a = 3")
            .await
            .expect("ONLY targets");
        assert_eq!(
            rows(&client, "SELECT a, b FROM p ORDER BY a").await,
            vec!["1|p1x", "2|c2!", "3|pb!"]
        );
        assert_eq!(
            rows(
                &client,
                "DELETE FROM p AS q WHERE q.a > 1 RETURNING tableoid::regclass"
            )
            .await,
            vec!["c", "g"]
        );
        assert_eq!(rows(&client, "SELECT a FROM p").await, vec!["1"]);
        client
            .batch_execute("INSERT INTO g (a) VALUES (4)")
            .await
            .expect("insert");
        client.batch_execute("TRUNCATE p").await.expect("truncate");
        assert_eq!(rows(&client, "SELECT count(*) FROM p").await, vec!["0"]);
    });
}

#[test]
fn inherits_merges_and_checks_columns() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE p1 (a int, b text); CREATE TABLE p2 (a int, c float8);
                 CREATE VIEW v AS SELECT 1 AS a;",
            )
            .await
            .expect("parents");
        if client_tool_available("psql", std::process::Command::new("psql").arg("--version")) {
            let out = run(server.client_command("psql").args([
                "-X",
                "-q",
                "-c",
                "CREATE TABLE c (a int, d int) INHERITS (p1, p2)",
            ]));
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert_eq!(
                out.stderr,
                "NOTICE:  merging multiple inherited definitions of column \"a\"\n\
                 NOTICE:  merging column \"a\" with inherited definition\n"
            );
        } else {
            client
                .batch_execute("CREATE TABLE c (a int, d int) INHERITS (p1, p2)")
                .await
                .expect("merging child");
        }
        assert_eq!(
            rows(
                &client,
                "SELECT attname, attinhcount, attislocal FROM pg_attribute
                 WHERE attrelid = 'c'::regclass AND attnum > 0 ORDER BY attnum"
            )
            .await,
            vec!["a|2|t", "b|1|f", "c|1|f", "d|0|t"]
        );
        assert_eq!(
            error_of(&client, "CREATE TABLE bad (a text) INHERITS (p1)").await,
            (
                "42804".into(),
                "column \"a\" has a type conflict".into(),
                Some("integer versus text".into())
            )
        );
        assert_eq!(
            error_of(&client, "CREATE TABLE bad () INHERITS (p1, p1)").await,
            (
                "42P07".into(),
                "relation \"p1\" would be inherited from more than once".into(),
                None
            )
        );
        assert_eq!(
            error_of(&client, "CREATE TABLE bad () INHERITS (v)")
                .await
                .1,
            "inherited relation \"v\" is not a table or foreign table"
        );
        assert_eq!(
            error_of(&client, "DROP TABLE p1").await,
            (
                "2BP01".into(),
                "cannot drop table p1 because other objects depend on it".into(),
                Some("table c depends on table p1".into())
            )
        );
        client
            .batch_execute("DROP TABLE p1 CASCADE")
            .await
            .expect("cascade");
        assert_eq!(
            rows(&client, "SELECT count(*) FROM pg_inherits").await,
            vec!["0"]
        );
        assert_eq!(
            rows(&client, "SELECT count(*) FROM pg_class WHERE relname = 'c'").await,
            vec!["0"]
        );
    });
}

#[test]
fn alter_table_keeps_parents_and_children_together() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE p (a int); CREATE TABLE c (b int) INHERITS (p);
                 CREATE TABLE g () INHERITS (c);
                 INSERT INTO g VALUES (1, 2);
                 ALTER TABLE p ADD COLUMN n text DEFAULT 'x';",
            )
            .await
            .expect("add column");
        assert_eq!(
            rows(&client, "SELECT tableoid::regclass, a, n FROM p").await,
            vec!["g|1|x"]
        );
        assert_eq!(
            rows(
                &client,
                "SELECT attrelid::regclass, attinhcount, attislocal FROM pg_attribute
                 WHERE attname = 'n' ORDER BY attrelid"
            )
            .await,
            vec!["p|0|t", "c|1|f", "g|1|f"]
        );
        assert_eq!(
            error_of(&client, "ALTER TABLE c DROP COLUMN a").await,
            (
                "42P16".into(),
                "cannot drop inherited column \"a\"".into(),
                None
            )
        );
        assert_eq!(
            error_of(&client, "ALTER TABLE g RENAME COLUMN b TO bb").await,
            (
                "42P16".into(),
                "cannot rename inherited column \"b\"".into(),
                None
            )
        );
        assert_eq!(
            error_of(&client, "ALTER TABLE ONLY p ALTER COLUMN a TYPE bigint").await,
            (
                "42P16".into(),
                "type of inherited column \"a\" must be changed in child tables too".into(),
                None
            )
        );
        client
            .batch_execute("ALTER TABLE p ALTER COLUMN a TYPE bigint")
            .await
            .expect("alter type reaches the children");
        assert_eq!(
            rows(
                &client,
                "SELECT attrelid::regclass, atttypid::regtype FROM pg_attribute
                 WHERE attname = 'a' ORDER BY attrelid"
            )
            .await,
            vec!["p|bigint", "c|bigint", "g|bigint"]
        );
        assert_eq!(rows(&client, "SELECT a, b FROM g").await, vec!["1|2"]);
    });
}
