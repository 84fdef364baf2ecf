//! B-tree indexes through SQL against the real server: CREATE/DROP INDEX and their
//! catalog rows, PRIMARY KEY and UNIQUE constraints with PostgreSQL's messages,
//! concurrent inserts of one key (the second waits for the first and then fails or
//! succeeds by its outcome), and index contents surviving a kill -9.

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn strings(client: &Client, sql: &str) -> Vec<String> {
    client
        .simple_query(sql)
        .await
        .expect(sql)
        .into_iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("NULL"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        })
        .collect()
}

async fn error_of(client: &Client, sql: &str) -> tokio_postgres::error::DbError {
    client
        .batch_execute(sql)
        .await
        .expect_err(sql)
        .as_db_error()
        .expect("a server error")
        .clone()
}

#[test]
fn create_index_names_catalog_rows_and_drop() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE t (a int, b text); \
             INSERT INTO t SELECT g, 'x' || g FROM generate_series(1, 500) g; \
             CREATE INDEX ON t (a); CREATE INDEX ON t (a); \
             CREATE UNIQUE INDEX tb ON t USING btree (b DESC NULLS LAST)",
        )
        .await
        .expect("create indexes");
        assert_eq!(
            strings(
                &c,
                "SELECT relname, relkind, relam FROM pg_class \
                 WHERE relname LIKE 't%' AND relnamespace = 'public'::regnamespace ORDER BY 1"
            )
            .await,
            ["t r 2", "t_a_idx i 403", "t_a_idx1 i 403", "tb i 403"]
        );
        assert_eq!(
            strings(
                &c,
                "SELECT indkey, indoption, indisunique \
                 FROM pg_index WHERE indrelid = 't'::regclass ORDER BY indexrelid"
            )
            .await,
            ["1 0 f", "1 0 f", "2 1 t"]
        );
        let e = error_of(&c, "CREATE INDEX tb ON t (a)").await;
        assert_eq!(e.code(), &SqlState::DUPLICATE_TABLE);
        assert_eq!(e.message(), "relation \"tb\" already exists");
        c.batch_execute("CREATE INDEX IF NOT EXISTS tb ON t (a)")
            .await
            .expect("IF NOT EXISTS skips");
        let e = error_of(&c, "INSERT INTO t VALUES (5, 'x5')").await;
        assert_eq!(e.code(), &SqlState::UNIQUE_VIOLATION);
        assert_eq!(
            e.message(),
            "duplicate key value violates unique constraint \"tb\""
        );
        assert_eq!(e.detail(), Some("Key (b)=(x5) already exists."));
        c.batch_execute("INSERT INTO t VALUES (5, 'y5')")
            .await
            .expect("insert");
        let e = error_of(&c, "CREATE UNIQUE INDEX ON t (a)").await;
        assert_eq!(e.code(), &SqlState::UNIQUE_VIOLATION);
        assert_eq!(e.message(), "could not create unique index \"t_a_idx2\"");
        assert_eq!(e.detail(), Some("Key (a)=(5) is duplicated."));
        let e = error_of(&c, "CREATE INDEX ON t (a) INCLUDE (b)").await;
        assert_eq!(e.code(), &SqlState::FEATURE_NOT_SUPPORTED);
        let e = error_of(&c, "DROP INDEX t").await;
        assert_eq!(e.code(), &SqlState::WRONG_OBJECT_TYPE);
        c.batch_execute("DROP INDEX t_a_idx; DROP INDEX IF EXISTS t_a_idx")
            .await
            .expect("drop index");
        let e = error_of(&c, "DROP INDEX t_a_idx").await;
        assert_eq!(e.code(), &SqlState::UNDEFINED_OBJECT);
        assert_eq!(e.message(), "index \"t_a_idx\" does not exist");
        // TRUNCATE empties the indexes too: the old keys are free again.
        c.batch_execute("TRUNCATE t; INSERT INTO t VALUES (1, 'x5')")
            .await
            .expect("truncate, then reuse a key");
        c.batch_execute("DROP TABLE t").await.expect("drop table");
        assert_eq!(
            strings(
                &c,
                "SELECT count(*) FROM pg_index WHERE indexrelid >= 16384"
            )
            .await,
            ["0"]
        );
        assert_eq!(
            strings(
                &c,
                "SELECT count(*) FROM pg_class \
                 WHERE relname LIKE 't%' AND relnamespace = 'public'::regnamespace"
            )
            .await,
            ["0"]
        );
    });
}

#[test]
fn primary_key_and_unique_constraints() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute("CREATE TABLE p (id int PRIMARY KEY, u text UNIQUE, v int, UNIQUE (u, v))")
            .await
            .expect("create table");
        assert_eq!(
            strings(
                &c,
                "SELECT conname, contype, conkey FROM pg_constraint \
                 WHERE conrelid = 'p'::regclass ORDER BY 1"
            )
            .await,
            ["p_pkey p {1}", "p_u_key u {2}", "p_u_v_key u {2,3}"]
        );
        c.batch_execute("INSERT INTO p VALUES (1, 'a', 1)")
            .await
            .expect("insert");
        let e = error_of(&c, "INSERT INTO p VALUES (1, 'b', 1)").await;
        assert_eq!(e.code(), &SqlState::UNIQUE_VIOLATION);
        assert_eq!(
            e.message(),
            "duplicate key value violates unique constraint \"p_pkey\""
        );
        assert_eq!(e.detail(), Some("Key (id)=(1) already exists."));
        let e = error_of(&c, "INSERT INTO p VALUES (NULL, 'b', 1)").await;
        assert_eq!(e.code(), &SqlState::NOT_NULL_VIOLATION);
        // NULLs never conflict in a unique index.
        c.batch_execute("INSERT INTO p VALUES (2, NULL, 1), (3, NULL, 1)")
            .await
            .expect("null keys");
        // An update that keeps the key, and one that moves it onto a free value.
        c.batch_execute("UPDATE p SET v = 7 WHERE id = 1; UPDATE p SET id = 10 WHERE id = 1")
            .await
            .expect("updates");
        let e = error_of(&c, "UPDATE p SET id = 2 WHERE id = 10").await;
        assert_eq!(e.code(), &SqlState::UNIQUE_VIOLATION);
        assert_eq!(e.detail(), Some("Key (id)=(2) already exists."));
        // A deleted row's key is free; an aborted insert's key too.
        c.batch_execute(
            "DELETE FROM p WHERE id = 2; INSERT INTO p VALUES (2, 'c', 1); \
             BEGIN; INSERT INTO p VALUES (20, 'd', 1); ROLLBACK; \
             INSERT INTO p VALUES (20, 'd', 1)",
        )
        .await
        .expect("keys of deleted and aborted rows are free");

        c.batch_execute(
            "CREATE TABLE q (a int, b int); INSERT INTO q VALUES (1, 1), (2, 2), (NULL, 3)",
        )
        .await
        .expect("q");
        let e = error_of(&c, "ALTER TABLE q ADD PRIMARY KEY (a)").await;
        assert_eq!(e.code(), &SqlState::NOT_NULL_VIOLATION);
        assert_eq!(
            e.message(),
            "column \"a\" of relation \"q\" contains null values"
        );
        // With both NULLs and duplicates, PostgreSQL reports the duplicates (the index
        // build comes before its deferred NOT NULL scan).
        c.batch_execute("INSERT INTO q VALUES (1, 4)")
            .await
            .expect("duplicate key");
        let e = error_of(&c, "ALTER TABLE q ADD PRIMARY KEY (a)").await;
        assert_eq!(e.code(), &SqlState::UNIQUE_VIOLATION);
        c.batch_execute("DELETE FROM q WHERE a IS NULL")
            .await
            .expect("delete");
        let e = error_of(&c, "ALTER TABLE q ADD PRIMARY KEY (a)").await;
        assert_eq!(e.code(), &SqlState::UNIQUE_VIOLATION);
        assert_eq!(e.message(), "could not create unique index \"q_pkey\"");
        assert_eq!(e.detail(), Some("Key (a)=(1) is duplicated."));
        c.batch_execute(
            "ALTER TABLE q ADD CONSTRAINT qb UNIQUE (b); ALTER TABLE q ADD PRIMARY KEY (b)",
        )
        .await
        .expect("alter table add constraints");
        let e = error_of(&c, "ALTER TABLE q ADD PRIMARY KEY (a)").await;
        assert_eq!(e.code(), &SqlState::INVALID_TABLE_DEFINITION);
        assert_eq!(
            e.message(),
            "multiple primary keys for table \"q\" are not allowed"
        );
        let e = error_of(&c, "DROP INDEX qb").await;
        assert_eq!(e.code(), &SqlState::DEPENDENT_OBJECTS_STILL_EXIST);
        assert_eq!(
            strings(
                &c,
                "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'q'::regclass \
                 AND attnum = 2"
            )
            .await,
            ["t"]
        );
        let e = error_of(&c, "CREATE TABLE r (a int PRIMARY KEY, b int PRIMARY KEY)").await;
        assert_eq!(e.code(), &SqlState::INVALID_TABLE_DEFINITION);
        let e = error_of(&c, "CREATE TABLE r (a int, PRIMARY KEY (x))").await;
        assert_eq!(e.code(), &SqlState::UNDEFINED_COLUMN);
        assert_eq!(e.message(), "column \"x\" named in key does not exist");
        c.batch_execute("DROP TABLE p; DROP TABLE q")
            .await
            .expect("drop");
        assert_eq!(
            strings(
                &c,
                "SELECT count(*) FROM pg_constraint WHERE conrelid >= 16384"
            )
            .await,
            ["0"]
        );
    });
}

#[test]
fn concurrent_inserts_of_one_key_wait_for_the_first() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = server.connect().await;
        let b = server.connect().await;
        a.batch_execute("CREATE TABLE k (id int PRIMARY KEY)")
            .await
            .expect("create");
        a.batch_execute("BEGIN; INSERT INTO k VALUES (1)")
            .await
            .expect("a inserts 1");
        // b waits for a: with a short statement_timeout it times out.
        let e = error_of(&b, "SET statement_timeout = 300; INSERT INTO k VALUES (1)").await;
        assert_eq!(e.code(), &SqlState::QUERY_CANCELED);
        b.batch_execute("SET statement_timeout = 0")
            .await
            .expect("reset");
        // a aborts: b's insert goes in.
        let waiting = tokio::spawn(async move {
            let r = b.execute("INSERT INTO k VALUES (1)", &[]).await;
            (b, r)
        });
        a.batch_execute("ROLLBACK").await.expect("a aborts");
        let (b, r) = waiting.await.expect("join");
        assert_eq!(r.expect("b inserts after a's abort"), 1);
        // Now b holds key 2 uncommitted and a waits; b commits: a fails.
        b.batch_execute("BEGIN; INSERT INTO k VALUES (2)")
            .await
            .expect("b inserts 2");
        let waiting = tokio::spawn(async move {
            let r = a.execute("INSERT INTO k VALUES (2)", &[]).await;
            (a, r)
        });
        b.batch_execute("COMMIT").await.expect("b commits");
        let (a, r) = waiting.await.expect("join");
        let e = r.expect_err("a's insert conflicts with b's committed row");
        let e = e.as_db_error().expect("server error");
        assert_eq!(e.code(), &SqlState::UNIQUE_VIOLATION);
        assert_eq!(e.detail(), Some("Key (id)=(2) already exists."));
        assert_eq!(strings(&a, "SELECT count(*) FROM k").await, ["2"]);
    });
}

#[test]
fn index_contents_survive_kill_9() {
    let mut server = TestServer::start();
    let rt = runtime();
    rt.block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE c (id int PRIMARY KEY, v text); \
             INSERT INTO c SELECT g, 'v' || g FROM generate_series(1, 3000) g; \
             CREATE INDEX c_v ON c (v)",
        )
        .await
        .expect("setup");
        c.batch_execute("INSERT INTO c SELECT g, 'w' || g FROM generate_series(3001, 6000) g")
            .await
            .expect("more rows after the build");
    });
    server.kill9();
    server.restart();
    rt.block_on(async {
        let c = server.connect().await;
        for id in [1, 2999, 3001, 6000] {
            let e = error_of(&c, &format!("INSERT INTO c VALUES ({id}, 'dup')")).await;
            assert_eq!(
                e.code(),
                &SqlState::UNIQUE_VIOLATION,
                "key {id} after recovery"
            );
        }
        c.batch_execute("INSERT INTO c VALUES (6001, 'new')")
            .await
            .expect("a new key after recovery");
        assert_eq!(strings(&c, "SELECT count(*) FROM c").await, ["6001"]);
    });
}
