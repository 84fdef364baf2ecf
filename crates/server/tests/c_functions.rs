//! `LANGUAGE C` functions of the C libraries tusk has built in, against the `tusk` binary.
//!
//! `c_functions/script.sql` covers what PostgreSQL 15 itself can run from its package:
//! contrib/spi's `refint` (`check_primary_key`, `check_foreign_key` with restrict, cascade
//! and setnull, its per-trigger prepared queries) and `autoinc`, `LOAD`, the errors for
//! unknown files and symbols and for non-superusers; `c_functions/expected.out` is what
//! psql 15 prints for it against PostgreSQL 15 in a fresh database (regenerate it there
//! with `psql -X -f script.sql > expected.out 2>&1`). PostgreSQL's package has no
//! `regress` library (it is built with the regression suite), so the tests below check
//! tusk's `regress` functions against the answers PostgreSQL's regression suite expects.

mod common;

use common::TestServer;
use tokio_postgres::SimpleQueryMessage;

#[test]
fn refint_and_autoinc_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("c_functions");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Every row of `sql`'s result, its columns joined by `|` (NULL as `NULL`).
async fn rows(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or("NULL").to_string())
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            _ => None,
        })
        .collect()
}

const REGRESS: &str = "/usr/lib/postgresql/15/lib/regress.so";

#[test]
fn regress_scalar_functions_answer_as_the_suite_expects() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(&format!(
            "CREATE FUNCTION binary_coercible(oid, oid) RETURNS bool \
               AS '{REGRESS}', 'binary_coercible' LANGUAGE C STRICT STABLE; \
             CREATE FUNCTION get_columns_length(oid[]) RETURNS int \
               AS '{REGRESS}' LANGUAGE C STRICT STABLE; \
             CREATE FUNCTION interpt_pp(path, path) RETURNS point \
               AS '$libdir/regress' LANGUAGE C STRICT; \
             CREATE FUNCTION reverse_name(name) RETURNS name AS 'regress' LANGUAGE C STRICT; \
             CREATE FUNCTION test_canonicalize_path(text) RETURNS text \
               AS 'regress.so' LANGUAGE C STRICT IMMUTABLE; \
             CREATE FUNCTION test_atomic_ops() RETURNS bool AS '{REGRESS}' LANGUAGE C; \
             CREATE DOMAIN posint AS int4 CHECK (VALUE > 0); \
             CREATE TYPE emp AS (name text, salary int4); \
             CREATE TABLE staff (e emp); \
             INSERT INTO staff VALUES (ROW('sharon', 1000)), (ROW('bill', 600)), \
                                      (ROW('nobody', NULL))"
        ))
        .await
        .expect("setup");
        c.batch_execute(&format!(
            "CREATE FUNCTION overpaid(emp) RETURNS bool AS '{REGRESS}' LANGUAGE C STRICT"
        ))
        .await
        .expect("overpaid");
        assert_eq!(
            rows(
                &c,
                "SELECT binary_coercible('text'::regtype, 'varchar'::regtype), \
                        binary_coercible('int4'::regtype, 'int8'::regtype), \
                        binary_coercible('posint'::regtype, 'int4'::regtype), \
                        binary_coercible('int4[]'::regtype, 'anyarray'::regtype), \
                        binary_coercible('int4'::regtype, 'anynonarray'::regtype), \
                        binary_coercible('int4range'::regtype, 'anyrange'::regtype), \
                        binary_coercible('emp'::regtype, 'record'::regtype), \
                        binary_coercible('emp[]'::regtype, 'record[]'::regtype), \
                        binary_coercible('xml'::regtype, 'text'::regtype)"
            )
            .await,
            ["t|f|t|t|t|t|t|t|f"]
        );
        assert_eq!(
            rows(
                &c,
                "SELECT get_columns_length(ARRAY['int2', 'int8', 'bool']::regtype[]::oid[]), \
                        get_columns_length('{}')"
            )
            .await,
            ["17|0"]
        );
        let err = c
            .simple_query("SELECT get_columns_length(ARRAY['text'::regtype::oid])")
            .await
            .expect_err("variable-length type");
        assert_eq!(
            err.as_db_error().expect("database error").message(),
            "type 25 is not fixed-length"
        );
        assert_eq!(
            rows(
                &c,
                "SELECT interpt_pp('[(0,0),(2,2)]', '[(0,2),(2,0)]'), \
                        interpt_pp('[(0,0),(1,0)]', '[(0,1),(1,1)]') IS NULL, \
                        reverse_name('abcdef'), test_atomic_ops(), \
                        test_canonicalize_path('/abc/./../def/ghi//'), \
                        test_canonicalize_path('../abc/../../def/ghi')"
            )
            .await,
            ["(1,1)|t|fedcba|t|/def/ghi|../../def/ghi"]
        );
        assert_eq!(
            rows(&c, "SELECT (e).name, overpaid(e) FROM staff ORDER BY 1").await,
            ["bill|f", "nobody|NULL", "sharon|t"]
        );
    });
}

#[test]
fn ttdummy_keeps_row_history_until_switched_off() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(&format!(
            "CREATE FUNCTION ttdummy() RETURNS trigger AS '{REGRESS}' LANGUAGE C; \
             CREATE FUNCTION set_ttdummy(int4) RETURNS int4 AS '{REGRESS}' LANGUAGE C STRICT; \
             CREATE FUNCTION trigger_return_old() RETURNS trigger AS '{REGRESS}' LANGUAGE C; \
             CREATE SEQUENCE ttdummy_seq INCREMENT 10 START 0 MINVALUE 0; \
             CREATE TABLE tttest (price_id int4, price_val int4, price_on int4, \
                                  price_off int4 DEFAULT 999999); \
             CREATE TRIGGER ttdummy BEFORE DELETE OR UPDATE ON tttest \
               FOR EACH ROW EXECUTE PROCEDURE ttdummy (price_on, price_off); \
             INSERT INTO tttest VALUES (1, 1, 10), (2, 2, 20), (3, 3, 30); \
             DELETE FROM tttest WHERE price_id = 2; \
             UPDATE tttest SET price_val = 30 WHERE price_id = 3"
        ))
        .await
        .expect("setup");
        // nextval gave 0 for the DELETE and 10 for the UPDATE.
        assert_eq!(
            rows(&c, "SELECT * FROM tttest ORDER BY price_id, price_on").await,
            [
                "1|1|10|999999",
                "2|2|20|0",
                "3|30|10|999999",
                "3|3|30|10"
            ]
        );
        let err = c
            .simple_query("UPDATE tttest SET price_on = -1 WHERE price_id = 1")
            .await
            .expect_err("history columns are protected");
        let db = err.as_db_error().expect("database error");
        assert_eq!(db.code().code(), "0A000");
        assert_eq!(
            db.message(),
            "ttdummy (tttest): you cannot change price_on and/or price_off columns (use set_ttdummy)"
        );
        assert_eq!(rows(&c, "SELECT set_ttdummy(0), set_ttdummy(0)").await, ["1|0"]);
        c.batch_execute("UPDATE tttest SET price_on = -1 WHERE price_id = 1")
            .await
            .expect("switched off");
        assert_eq!(
            rows(&c, "SELECT price_on FROM tttest WHERE price_id = 1").await,
            ["-1"]
        );
        assert_eq!(rows(&c, "SELECT set_ttdummy(1)").await, ["0"]);

        // trigger_return_old: an UPDATE writes the old row back.
        c.batch_execute(
            "CREATE TABLE trigtest (f1 int, f2 text); \
             CREATE TRIGGER trigger_return_old BEFORE INSERT OR DELETE OR UPDATE ON trigtest \
               FOR EACH ROW EXECUTE PROCEDURE trigger_return_old(); \
             INSERT INTO trigtest VALUES (1, 'foo'); \
             UPDATE trigtest SET f2 = f2 || 'bar'",
        )
        .await
        .expect("trigger_return_old");
        assert_eq!(rows(&c, "SELECT * FROM trigtest").await, ["1|foo"]);
    });
}
