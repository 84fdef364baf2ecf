//! Domains against the real server, as PostgreSQL 15 answers: CREATE DOMAIN writes a
//! `pg_type` row (`typtype` `d`, the base type's storage, `typnotnull`, `typdefault`) and
//! `pg_constraint` rows for its CHECK constraints; DROP DOMAIN removes them and refuses
//! domains that columns use.

mod common;

use common::TestServer;
use tokio_postgres::SimpleQueryMessage;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn column(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row.get(0).unwrap_or("NULL").to_string()),
            _ => None,
        })
        .collect()
}

async fn error(client: &tokio_postgres::Client, sql: &str) -> (String, String) {
    let err = client.batch_execute(sql).await.expect_err(sql);
    let db = err.as_db_error().expect("database error");
    (db.code().code().to_string(), db.message().to_string())
}

#[test]
fn create_domain_writes_type_and_constraint_rows() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE DOMAIN posint AS int4 DEFAULT 1 NOT NULL CHECK (VALUE > 0) \
               CONSTRAINT small CHECK (VALUE < 1000) CHECK (VALUE <> 13); \
             CREATE DOMAIN code varchar(5)",
        )
        .await
        .expect("create");
        assert_eq!(
            column(
                &c,
                "SELECT typtype || ' ' || typbasetype::regtype || ' ' || typlen || ' ' || \
                 typbyval || ' ' || typalign || ' ' || typcategory || ' ' || typnotnull || \
                 ' ' || typdefault FROM pg_type WHERE typname = 'posint'"
            )
            .await,
            ["d integer 4 true i N true 1"]
        );
        assert_eq!(
            column(
                &c,
                "SELECT typtypmod || ' ' || typnotnull || ' ' || (typdefault IS NULL) \
                 FROM pg_type WHERE typname = 'code'"
            )
            .await,
            ["9 false true"]
        );
        assert_eq!(
            column(
                &c,
                "SELECT conname FROM pg_constraint \
                 WHERE contypid = (SELECT oid FROM pg_type WHERE typname = 'posint') \
                 ORDER BY conname"
            )
            .await,
            ["posint_check", "posint_check1", "small"]
        );
        assert_eq!(
            column(&c, "SELECT typname FROM pg_type WHERE typname = '_posint'").await,
            ["_posint"]
        );

        assert_eq!(
            error(&c, "CREATE DOMAIN posint AS text").await,
            ("42710".into(), "type \"posint\" already exists".into())
        );
        assert_eq!(
            error(&c, "CREATE DOMAIN d AS nosuchtype").await,
            ("42704".into(), "type \"nosuchtype\" does not exist".into())
        );
        assert_eq!(
            error(&c, "CREATE DOMAIN d AS int NULL NOT NULL").await,
            (
                "42601".into(),
                "conflicting NULL/NOT NULL constraints".into()
            )
        );
        assert_eq!(
            error(&c, "CREATE DOMAIN d AS int CHECK (nosuch > 0)").await,
            ("42703".into(), "column \"nosuch\" does not exist".into())
        );
        assert_eq!(
            error(&c, "DROP DOMAIN nosuch").await,
            ("42704".into(), "type \"nosuch\" does not exist".into())
        );
        c.batch_execute("DROP DOMAIN IF EXISTS nosuch")
            .await
            .expect("if exists");

        c.batch_execute("CREATE DOMAIN dependent posint")
            .await
            .expect("domain over a domain");
        let err = c
            .batch_execute("DROP DOMAIN posint")
            .await
            .expect_err("in use");
        let db = err.as_db_error().expect("database error");
        assert_eq!(db.code().code(), "2BP01");
        assert_eq!(db.detail(), Some("type dependent depends on type posint"));
        c.batch_execute("DROP DOMAIN dependent; DROP DOMAIN posint, code")
            .await
            .expect("drop");
        assert!(column(
            &c,
            "SELECT typname FROM pg_type WHERE typname IN ('posint', '_posint', 'code')"
        )
        .await
        .is_empty());
        assert!(column(
            &c,
            "SELECT conname FROM pg_constraint WHERE conname IN ('small', 'posint_check')"
        )
        .await
        .is_empty());
    });
}

#[test]
fn values_coerced_to_a_domain_are_checked() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE DOMAIN posint AS int4 NOT NULL CHECK (VALUE > 0); \
             CREATE DOMAIN code AS varchar(3) DEFAULT 'abc'; \
             CREATE TABLE t (id int, n posint DEFAULT 5, k code); \
             INSERT INTO t (id) VALUES (1); \
             INSERT INTO t VALUES (2, 7, 'xy')",
        )
        .await
        .expect("setup");
        assert_eq!(
            column(&c, "SELECT id || ' ' || n || ' ' || k FROM t ORDER BY id").await,
            ["1 5 abc", "2 7 xy"]
        );
        assert_eq!(column(&c, "SELECT sum(n + 1) FROM t").await, ["14"]);
        assert_eq!(column(&c, "SELECT '3'::posint * 2").await, ["6"]);
        assert_eq!(
            error(&c, "INSERT INTO t VALUES (3, 0)").await,
            (
                "23514".into(),
                "value for domain posint violates check constraint \"posint_check\"".into()
            )
        );
        assert_eq!(
            error(&c, "INSERT INTO t VALUES (3, NULL)").await,
            (
                "23502".into(),
                "domain posint does not allow null values".into()
            )
        );
        assert_eq!(
            error(&c, "UPDATE t SET n = n - 10").await,
            (
                "23514".into(),
                "value for domain posint violates check constraint \"posint_check\"".into()
            )
        );
        assert_eq!(
            error(&c, "SELECT '-1'::posint").await,
            (
                "23514".into(),
                "value for domain posint violates check constraint \"posint_check\"".into()
            )
        );
        assert_eq!(
            error(&c, "INSERT INTO t VALUES (3, 1, 'long')").await,
            (
                "22001".into(),
                "value too long for type character varying(3)".into()
            )
        );
        assert_eq!(
            column(
                &c,
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
                        WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum"
            )
            .await,
            ["integer", "posint", "code"]
        );
        let (code, message) = error(&c, "DROP DOMAIN posint").await;
        assert_eq!(code, "2BP01");
        assert_eq!(
            message,
            "cannot drop type posint because other objects depend on it"
        );
    });
}

#[test]
fn alter_domain_changes_default_not_null_and_constraints() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE DOMAIN d AS int; \
             ALTER DOMAIN d SET DEFAULT 42; \
             ALTER DOMAIN d ADD CHECK (VALUE < 100); \
             ALTER DOMAIN d ADD CONSTRAINT even CHECK (VALUE % 2 = 0); \
             ALTER DOMAIN d SET NOT NULL",
        )
        .await
        .expect("alter");
        assert_eq!(
            column(
                &c,
                "SELECT typdefault || ' ' || typnotnull FROM pg_type WHERE typname = 'd'"
            )
            .await,
            ["42 true"]
        );
        assert_eq!(
            error(&c, "SELECT 3::d").await,
            (
                "23514".into(),
                "value for domain d violates check constraint \"even\"".into()
            )
        );
        assert_eq!(
            error(&c, "ALTER DOMAIN d DROP CONSTRAINT nosuch").await,
            (
                "42704".into(),
                "constraint \"nosuch\" of domain \"d\" does not exist".into()
            )
        );
        c.batch_execute(
            "ALTER DOMAIN d DROP CONSTRAINT IF EXISTS nosuch; \
             ALTER DOMAIN d DROP CONSTRAINT even; \
             ALTER DOMAIN d DROP NOT NULL; \
             ALTER DOMAIN d DROP DEFAULT",
        )
        .await
        .expect("drop parts");
        assert_eq!(column(&c, "SELECT 3::d").await, ["3"]);
        assert_eq!(
            column(
                &c,
                "SELECT (typdefault IS NULL) || ' ' || typnotnull FROM pg_type WHERE typname = 'd'"
            )
            .await,
            ["true false"]
        );
        assert_eq!(
            error(&c, "ALTER DOMAIN int4 DROP NOT NULL").await,
            ("42809".into(), "\"integer\" is not a domain".into())
        );
    });
}
