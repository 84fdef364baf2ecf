//! Catalog information functions against the real server, with PostgreSQL 15's output:
//! `pg_get_functiondef`, `pg_get_function_arguments` with defaults, `pg_get_indexdef`,
//! and the OID alias types' input and output by name.

mod common;

use common::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn text(client: &tokio_postgres::Client, sql: &str) -> String {
    let messages = client.simple_query(sql).await.expect(sql);
    messages
        .iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => {
                Some(row.get(0).expect("not null").to_string())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no row from {sql}"))
}

#[test]
fn definitions_print_as_postgres_prints_them() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        assert_eq!(
            text(
                &c,
                "SELECT pg_get_functiondef('generate_series(int4,int4)'::regprocedure)"
            )
            .await,
            "CREATE OR REPLACE FUNCTION pg_catalog.generate_series(integer, integer)\n \
             RETURNS SETOF integer\n LANGUAGE internal\n \
             IMMUTABLE PARALLEL SAFE STRICT SUPPORT generate_series_int4_support\n\
             AS $function$generate_series_int4$function$\n"
        );
        assert_eq!(
            text(&c, "SELECT pg_get_function_arguments('jsonb_set'::regproc)").await,
            "jsonb_in jsonb, path text[], replacement jsonb, create_if_missing boolean DEFAULT true"
        );
        c.batch_execute(
            "CREATE TABLE ix (a int, b text, c int); \
             CREATE UNIQUE INDEX ix_ab ON ix (a DESC, b NULLS FIRST); \
             CREATE INDEX ix_c ON ix (c)",
        )
        .await
        .expect("indexes");
        assert_eq!(
            text(&c, "SELECT pg_get_indexdef('ix_ab'::regclass)").await,
            "CREATE UNIQUE INDEX ix_ab ON public.ix USING btree (a DESC, b NULLS FIRST)"
        );
        assert_eq!(
            text(&c, "SELECT pg_get_indexdef('ix_c'::regclass, 0, true)").await,
            "CREATE INDEX ix_c ON ix USING btree (c)"
        );
        assert_eq!(
            text(&c, "SELECT pg_get_indexdef('ix_ab'::regclass, 2, true)").await,
            "b"
        );
        assert_eq!(
            text(
                &c,
                "SELECT 'int4[]'::regtype || ' ' || 'abs(integer)'::regprocedure || ' ' || \
                 '-(NONE,int4)'::regoperator || ' ' || 'now'::regproc"
            )
            .await,
            "integer[] abs(integer) -(NONE,integer) now"
        );
        let err = c
            .simple_query("SELECT 'abs'::regproc")
            .await
            .expect_err("overloaded");
        assert_eq!(
            err.as_db_error().map(|e| e.message()),
            Some("more than one function named \"abs\"")
        );
    });
}

async fn error(client: &tokio_postgres::Client, sql: &str) -> (String, String) {
    let err = client.simple_query(sql).await.expect_err(sql);
    let db = err.as_db_error().expect("a server error");
    (db.code().code().to_string(), db.message().to_string())
}

#[test]
fn relation_schema_and_role_oids_print_as_names() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute("CREATE SCHEMA s; CREATE TABLE s.\"T x\" (a int); CREATE TABLE t (a int)")
            .await
            .expect("tables");
        // Names print qualified where the search path does not find them, quoted where
        // they need quotes; OIDs nothing has print as numbers, 0 as `-`.
        assert_eq!(
            text(
                &c,
                "SELECT concat_ws(' ', 's.\"T x\"'::regclass, 't'::regclass, \
                 'pg_class'::regclass, 's'::regnamespace, 'postgres'::regrole, \
                 0::regclass, 4000000000::regclass, \
                 ARRAY['t'::regclass, 's.\"T x\"'::regclass])"
            )
            .await,
            "s.\"T x\" t pg_class s postgres - 4000000000 {t,\"s.\\\"T x\\\"\"}"
        );
        c.batch_execute("SET search_path = s, public").await.expect("set");
        assert_eq!(
            text(&c, "SELECT 's.\"T x\"'::regclass::text || ' ' || oid::regclass FROM pg_class WHERE relname = 't'").await,
            "\"T x\" t"
        );
        // A relation created in the same transaction is found and named.
        c.batch_execute("BEGIN; CREATE TABLE u (a int)").await.expect("create");
        assert_eq!(
            text(&c, "SELECT 'u'::regclass::oid::regclass::text").await,
            "u"
        );
        c.batch_execute("ROLLBACK").await.expect("rollback");
        assert_eq!(
            text(
                &c,
                "SELECT concat_ws(',', to_regclass('t'), to_regclass('nope'), \
                 to_regclass('1259') IS NULL, to_regrole('nope') IS NULL, \
                 to_regnamespace('pg_catalog'), 'pg_class'::text::regclass)"
            )
            .await,
            "t,t,t,pg_catalog,pg_class"
        );
        assert_eq!(
            error(&c, "SELECT 'nope'::regclass").await,
            ("42P01".into(), "relation \"nope\" does not exist".into())
        );
        assert_eq!(
            error(&c, "SELECT 'x.nope'::regclass").await,
            ("3F000".into(), "schema \"x\" does not exist".into())
        );
        assert_eq!(
            error(&c, "SELECT 'nope'::text::regrole").await,
            ("42704".into(), "role \"nope\" does not exist".into())
        );
        assert_eq!(
            error(&c, "SELECT 'a.b.c.d'::regclass").await,
            (
                "42602".into(),
                "improper relation name (too many dotted names): a.b.c.d".into()
            )
        );
    });
}
