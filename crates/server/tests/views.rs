//! Schemas and views against the `tusk` binary.
//!
//! `views/script.sql` exercises CREATE/DROP/ALTER SCHEMA, CREATE [OR REPLACE]/DROP VIEW,
//! views in joins, subqueries and CTEs, views on views, search_path, dependencies
//! (RESTRICT errors and CASCADE notices), DML on views, rollback, and psql's `\dn`, `\dv`
//! and `\d view`; `views/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15.18 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).
//!
//! The second test checks what tusk does its own way: `pg_get_viewdef` prints the
//! deparser's one-line text rather than PostgreSQL's column-qualified layout, and the
//! catalog rows a view has.

mod common;

use common::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

#[test]
fn schemas_and_views_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("views");
}

async fn single_text(client: &tokio_postgres::Client, sql: &str) -> Option<String> {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

#[test]
fn views_keep_their_relations_and_catalog_rows() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE SCHEMA s;
                 CREATE TABLE s.t (a int, b text);
                 INSERT INTO s.t VALUES (1, 'x');
                 SET search_path = s, public;
                 CREATE VIEW public.v AS SELECT a, b FROM t WHERE a > 0;
                 CREATE VIEW public.w AS SELECT count(*) AS n FROM v;",
            )
            .await
            .expect("setup");
        // The view names s.t, whatever the search path is now.
        client
            .batch_execute("RESET search_path")
            .await
            .expect("reset");
        assert_eq!(
            single_text(&client, "SELECT b FROM v").await.as_deref(),
            Some("x")
        );
        assert_eq!(
            single_text(&client, "SELECT pg_get_viewdef('v'::regclass)")
                .await
                .as_deref(),
            Some(" SELECT a, b FROM s.t WHERE a > 0;")
        );
        assert_eq!(
            single_text(&client, "SELECT pg_get_viewdef('public.w', true)")
                .await
                .as_deref(),
            Some(" SELECT count(*) AS n FROM v;")
        );
        assert_eq!(
            single_text(&client, "SELECT pg_get_viewdef('s.t'::regclass)").await,
            None
        );
        // Renaming the schema keeps the view reading the same table.
        client
            .batch_execute("ALTER SCHEMA s RENAME TO s2")
            .await
            .expect("rename");
        assert_eq!(
            single_text(
                &client,
                "SELECT definition FROM pg_views WHERE viewname = 'v'"
            )
            .await
            .as_deref(),
            Some(" SELECT a, b FROM s2.t WHERE a > 0;")
        );
        let row = client
            .query_one(
                "SELECT c.relkind = 'v', c.relfilenode = 0, c.relhasrules, r.ev_type = '1',
                        r.is_instead
                 FROM pg_class c JOIN pg_rewrite r ON r.ev_class = c.oid
                 WHERE c.relname = 'v' AND r.rulename = '_RETURN'",
                &[],
            )
            .await
            .expect("catalog rows");
        assert!(row.get::<_, bool>(0));
        assert!(row.get::<_, bool>(1));
        assert!(row.get::<_, bool>(2));
        assert!(row.get::<_, bool>(3));
        assert!(row.get::<_, bool>(4));
        let depends: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_depend d JOIN pg_rewrite r ON d.objid = r.oid
                 WHERE r.ev_class = 'v'::regclass AND d.deptype = 'n'
                   AND d.refobjid = 's2.t'::regclass",
                &[],
            )
            .await
            .expect("pg_depend")
            .get(0);
        assert_eq!(depends, 1);
        // A view over a view that is replaced again is infinite recursion.
        let err = client
            .batch_execute("CREATE OR REPLACE VIEW v AS SELECT a, b FROM public.v")
            .await;
        assert!(err.is_ok(), "replacing reads the old definition: {err:?}");
        let err = client
            .query("SELECT * FROM v", &[])
            .await
            .expect_err("recursion");
        let db = err.as_db_error().expect("server error");
        assert_eq!(db.code().code(), "42P17");
        assert_eq!(
            db.message(),
            "infinite recursion detected in rules for relation \"v\""
        );
    });
}

#[test]
fn renamed_relations_stay_readable_through_views() {
    let server = TestServer::start();
    runtime().block_on(async {
        let client = server.connect().await;
        client
            .batch_execute(
                "CREATE TABLE vt (a int, b text); INSERT INTO vt VALUES (1, 'x'); \
                 CREATE VIEW vv AS SELECT a, b FROM vt WHERE a > 0; \
                 CREATE VIEW vv2 AS SELECT * FROM vv; \
                 ALTER TABLE vt RENAME TO vt2; ALTER VIEW vv RENAME TO vv3",
            )
            .await
            .expect("renames");
        assert_eq!(
            single_text(&client, "SELECT b FROM vv2").await.as_deref(),
            Some("x")
        );
        assert_eq!(
            single_text(&client, "SELECT pg_get_viewdef('vv2'::regclass)")
                .await
                .as_deref(),
            Some(" SELECT * FROM vv3;")
        );
        // DROP ... CASCADE still finds the views under their new names.
        client
            .batch_execute("DROP TABLE vt2 CASCADE")
            .await
            .expect("drop");
        assert_eq!(
            single_text(
                &client,
                "SELECT count(*)::text FROM pg_class WHERE relname IN ('vv3', 'vv2')"
            )
            .await
            .as_deref(),
            Some("0")
        );
    });
}
