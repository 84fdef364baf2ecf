//! Temporary tables and system columns against the real server, with two sessions:
//! each session's temp tables are its own (same names apart, invisible to the other),
//! they go at disconnect, DISCARD TEMP and ON COMMIT act as in PostgreSQL, and a crash
//! leaves none behind. System columns (`ctid`, `xmin`, `tableoid`, ...) read, filter and
//! come back from RETURNING.

mod common;

use std::time::{Duration, Instant};

use common::TestServer;
use tokio_postgres::Client;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The first column of every row, as text.
async fn column(client: &Client, sql: &str) -> Vec<Option<String>> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).map(str::to_string)),
            _ => None,
        })
        .collect()
}

async fn error_of(client: &Client, sql: &str) -> (String, String) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (db.code().code().to_string(), db.message().to_string())
}

fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

const TEMP_RELATIONS: &str =
    "SELECT relname FROM pg_class WHERE relpersistence = 't' ORDER BY relname";

/// Polls `sql` on `client` until its first column is `expected` (a session ends on its
/// own thread after the client disconnects); panics after a generous bound.
async fn wait_for_column(client: &Client, sql: &str, expected: Vec<Option<String>>) {
    let start = Instant::now();
    loop {
        let got = column(client, sql).await;
        if got == expected {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{sql}: still {got:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn temp_tables_belong_to_their_session() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = server.connect().await;
        let b = server.connect().await;
        a.batch_execute(
            "CREATE TABLE t (x int); INSERT INTO t VALUES (0);
             CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1)",
        )
        .await
        .expect("a's temp table");
        b.batch_execute("CREATE TEMPORARY TABLE t (x int); INSERT INTO t VALUES (2)")
            .await
            .expect("b's temp table of the same name");
        // Each sees its own temp table first, the permanent one through public.
        assert_eq!(column(&a, "SELECT x FROM t").await, some(&["1"]));
        assert_eq!(column(&b, "SELECT x FROM t").await, some(&["2"]));
        assert_eq!(column(&a, "SELECT x FROM public.t").await, some(&["0"]));
        assert_eq!(column(&a, "SELECT x FROM pg_temp.t").await, some(&["1"]));
        let schema_a = column(&a, "SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()").await;
        let schema_a = schema_a[0].clone().expect("a has a temp schema");
        assert!(schema_a.starts_with("pg_temp_"), "{schema_a}");
        assert_eq!(
            column(&a, "SELECT relpersistence FROM pg_class WHERE oid = 'pg_temp.t'::regclass").await,
            some(&["t"])
        );
        // b cannot reach a's table even by its schema's name... except as a table of
        // another schema, which it does not search.
        let b_sees = column(&b, &format!("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{schema_a}'")).await;
        assert_eq!(b_sees, some(&["1"]), "the catalog row is visible, as in PostgreSQL");
        assert_eq!(
            error_of(&a, "CREATE TEMP TABLE public.u (x int)").await,
            (
                "42P16".into(),
                "cannot create temporary relation in non-temporary schema".into()
            )
        );
        assert_eq!(
            error_of(&a, "CREATE TABLE u (x int) ON COMMIT DELETE ROWS").await,
            (
                "42P16".into(),
                "ON COMMIT can only be used on temporary tables".into()
            )
        );
        // A serial column, an index and a view over a temp table are temporary too.
        a.batch_execute(
            "CREATE TEMP TABLE s (id serial PRIMARY KEY, v text);
             INSERT INTO s (v) VALUES ('a'), ('b');
             CREATE VIEW sv AS SELECT v FROM s",
        )
        .await
        .expect("serial, index and view");
        assert_eq!(
            column(&a, "SELECT relname || ':' || relkind FROM pg_class WHERE relpersistence = 't' AND relname LIKE 's%' ORDER BY 1").await,
            some(&["s:r", "s_id_seq:S", "s_pkey:i", "sv:v"])
        );
        drop(a);
        // a's session ends: its temp relations go, b's stay.
        wait_for_column(
            &b,
            TEMP_RELATIONS,
            some(&["t"]),
        )
        .await;
        assert_eq!(column(&b, "SELECT x FROM public.t").await, some(&["0"]));
        b.batch_execute("DISCARD TEMP").await.expect("discard");
        assert_eq!(column(&b, TEMP_RELATIONS).await, Vec::<Option<String>>::new());
        assert_eq!(column(&b, "SELECT x FROM t").await, some(&["0"]));
    });
}

#[test]
fn on_commit_actions_follow_the_transaction() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TEMP TABLE keep (x int) ON COMMIT PRESERVE ROWS;
             CREATE TEMP TABLE empty (x int) ON COMMIT DELETE ROWS;
             INSERT INTO keep VALUES (1); INSERT INTO empty VALUES (1)",
        )
        .await
        .expect("tables");
        assert_eq!(column(&c, "SELECT count(*) FROM keep").await, some(&["1"]));
        assert_eq!(column(&c, "SELECT count(*) FROM empty").await, some(&["0"]));
        // Inside a block the rows stay until COMMIT.
        c.batch_execute("BEGIN; INSERT INTO empty VALUES (2)")
            .await
            .expect("insert");
        assert_eq!(column(&c, "SELECT count(*) FROM empty").await, some(&["1"]));
        c.batch_execute("COMMIT").await.expect("commit");
        assert_eq!(column(&c, "SELECT count(*) FROM empty").await, some(&["0"]));
        // ON COMMIT DROP: gone at commit; a rolled-back creation leaves nothing either.
        c.batch_execute(
            "BEGIN; CREATE TEMP TABLE gone (x int) ON COMMIT DROP; INSERT INTO gone VALUES (1)",
        )
        .await
        .expect("create in block");
        assert_eq!(column(&c, "SELECT count(*) FROM gone").await, some(&["1"]));
        c.batch_execute("COMMIT").await.expect("commit drops");
        assert_eq!(
            error_of(&c, "SELECT * FROM gone").await,
            ("42P01".into(), "relation \"gone\" does not exist".into())
        );
        c.batch_execute("BEGIN; CREATE TEMP TABLE never (x int) ON COMMIT DROP; ROLLBACK")
            .await
            .expect("rolled back");
        c.batch_execute("CREATE TEMP TABLE never (x int); DROP TABLE never")
            .await
            .expect("the name is free");
        assert_eq!(column(&c, TEMP_RELATIONS).await, some(&["empty", "keep"]));
    });
}

#[test]
fn a_crash_leaves_no_temp_relations() {
    let mut server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TEMP TABLE crash (id serial PRIMARY KEY, v text);
             INSERT INTO crash (v) VALUES ('x')",
        )
        .await
        .expect("temp table");
        // The table, its sequence and key, its TOAST relation and that one's index.
        assert_eq!(column(&c, TEMP_RELATIONS).await.len(), 5);
    });
    server.kill9();
    server.restart();
    runtime().block_on(async {
        let c = server.connect().await;
        assert_eq!(
            column(&c, TEMP_RELATIONS).await,
            Vec::<Option<String>>::new()
        );
        c.batch_execute("CREATE TEMP TABLE crash (x int)")
            .await
            .expect("the name is free again");
    });
}

#[test]
fn system_columns_read_filter_and_return() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute("CREATE TABLE sc (a int, b text); INSERT INTO sc VALUES (1, 'x'), (2, 'y')")
            .await
            .expect("table");
        assert_eq!(
            column(&c, "SELECT ctid FROM sc ORDER BY a").await,
            some(&["(0,1)", "(0,2)"])
        );
        assert_eq!(
            column(&c, "SELECT a FROM sc WHERE ctid = '(0,2)'").await,
            some(&["2"])
        );
        assert_eq!(
            column(&c, "SELECT tableoid = 'sc'::regclass FROM sc LIMIT 1").await,
            some(&["t"])
        );
        // `*` leaves them out; xmin is the inserting transaction, xmax 0 while live.
        assert_eq!(
            column(&c, "SELECT count(*) FROM (SELECT * FROM sc) s").await,
            some(&["2"])
        );
        assert_eq!(
            column(&c, "SELECT xmin = xmin AND xmax = '0' AND cmin = cmax FROM sc LIMIT 1").await,
            some(&["t"])
        );
        let xid = column(&c, "SELECT xmin FROM sc WHERE a = 1").await;
        // Optimistic concurrency as ORMs do it: update only if xmin is unchanged.
        let updated = c
            .execute(
                &format!("UPDATE sc SET b = 'z' WHERE a = 1 AND xmin = '{}'", xid[0].clone().expect("xmin")),
                &[],
            )
            .await
            .expect("update by xmin");
        assert_eq!(updated, 1);
        assert_eq!(
            column(&c, "UPDATE sc SET b = 'w' WHERE a = 2 RETURNING ctid").await,
            some(&["(0,4)"])
        );
        assert_eq!(
            column(&c, "DELETE FROM sc WHERE ctid = '(0,4)' RETURNING a").await,
            some(&["2"])
        );
        assert_eq!(
            column(&c, "SELECT attname || ' ' || attnum || ' ' || atttypid FROM pg_attribute WHERE attrelid = 'sc'::regclass AND attnum < 0 ORDER BY attnum DESC").await,
            some(&["ctid -1 27", "xmin -2 28", "cmin -3 29", "xmax -4 28", "cmax -5 29", "tableoid -6 26"])
        );
        assert_eq!(
            error_of(&c, "CREATE TABLE bad (xmin int)").await,
            (
                "42701".into(),
                "column name \"xmin\" conflicts with a system column name".into()
            )
        );
        assert_eq!(
            error_of(&c, "SELECT ctid FROM sc, sc AS s2").await,
            (
                "42702".into(),
                "column reference \"ctid\" is ambiguous".into()
            )
        );
    });
}
