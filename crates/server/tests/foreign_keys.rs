//! FOREIGN KEY constraints and INSERT ... ON CONFLICT against the real server:
//! PostgreSQL's errors and catalog rows, the referential actions, DROP/TRUNCATE of a
//! referenced table, and concurrency (no orphan past a concurrent delete, concurrent
//! upserts of the same keys never fail).

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

/// (SQLSTATE, message, detail) of a statement that must fail.
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

async fn ints(client: &Client, sql: &str) -> Vec<Option<i32>> {
    client
        .query(sql, &[])
        .await
        .expect("query")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn foreign_key_checks_follow_postgres() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE b (id int PRIMARY KEY, t text); \
             CREATE TABLE a (x int, b int REFERENCES b); \
             INSERT INTO b VALUES (1, 'one'), (2, 'two'); \
             INSERT INTO a VALUES (1, 1), (2, NULL)",
        )
        .await
        .expect("setup");
        assert_eq!(
            error_of(&c, "INSERT INTO a VALUES (3, 5)").await,
            (
                "23503".into(),
                "insert or update on table \"a\" violates foreign key constraint \"a_b_fkey\""
                    .into(),
                Some("Key (b)=(5) is not present in table \"b\".".into())
            )
        );
        assert_eq!(
            error_of(&c, "DELETE FROM b WHERE id = 1").await,
            (
                "23503".into(),
                "update or delete on table \"b\" violates foreign key constraint \"a_b_fkey\" on table \"a\"".into(),
                Some("Key (id)=(1) is still referenced from table \"a\".".into())
            )
        );
        assert_eq!(
            error_of(&c, "UPDATE a SET b = 7").await.0,
            "23503",
            "an update of the referencing key is checked"
        );
        // NO ACTION is checked at the end of the statement: a key that moves away and
        // back within one statement is fine, and so is a child inserted with its parent.
        c.batch_execute("DELETE FROM b WHERE id = 2")
            .await
            .expect("an unreferenced row goes");
        let row = c
            .query_one(
                "SELECT conname::text, pg_get_constraintdef(oid), \
                 contype = 'f' AND confupdtype = 'a' AND confdeltype = 'a' \
                 AND confmatchtype = 's' AND confrelid = 'b'::regclass \
                 FROM pg_constraint WHERE conrelid = 'a'::regclass",
                &[],
            )
            .await
            .expect("pg_constraint row");
        let got: (String, String, bool) = (row.get(0), row.get(1), row.get(2));
        assert_eq!(
            got,
            (
                "a_b_fkey".into(),
                "FOREIGN KEY (b) REFERENCES b(id)".into(),
                true
            )
        );
        // DDL errors.
        assert_eq!(
            error_of(&c, "CREATE TABLE d (k text REFERENCES b (t))").await.0,
            "42830"
        );
        let (code, message, detail) = error_of(&c, "CREATE TABLE d (k text REFERENCES b)").await;
        assert_eq!(
            (code.as_str(), message.as_str()),
            (
                "42804",
                "foreign key constraint \"d_k_fkey\" cannot be implemented"
            )
        );
        assert_eq!(
            detail.as_deref(),
            Some("Key columns \"k\" and \"id\" are of incompatible types: text and integer.")
        );
        assert_eq!(
            error_of(&c, "CREATE TABLE d (k int REFERENCES nosuch)").await.0,
            "42P01"
        );
    });
}

#[test]
fn referential_actions_cascade_and_set_null() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE p (id int PRIMARY KEY); \
             CREATE TABLE casc (k int REFERENCES p ON DELETE CASCADE ON UPDATE CASCADE); \
             CREATE TABLE nul (k int REFERENCES p ON DELETE SET NULL); \
             CREATE TABLE res (k int REFERENCES p ON DELETE RESTRICT); \
             INSERT INTO p VALUES (1), (2), (3); \
             INSERT INTO casc VALUES (1), (1), (2); \
             INSERT INTO nul VALUES (2), (3)",
        )
        .await
        .expect("setup");
        c.batch_execute("UPDATE p SET id = 10 WHERE id = 1")
            .await
            .expect("cascading update");
        assert_eq!(
            ints(&c, "SELECT k FROM casc ORDER BY k").await,
            [Some(2), Some(10), Some(10)]
        );
        assert_eq!(
            error_of(&c, "UPDATE p SET id = 20 WHERE id = 2").await.0,
            "23503",
            "nul's ON UPDATE is NO ACTION"
        );
        c.batch_execute("DELETE FROM p WHERE id = 2")
            .await
            .expect("cascade and set null");
        assert_eq!(
            ints(&c, "SELECT k FROM casc ORDER BY k").await,
            [Some(10), Some(10)]
        );
        assert_eq!(
            ints(&c, "SELECT k FROM nul ORDER BY k").await,
            [Some(3), None]
        );
        c.batch_execute("INSERT INTO res VALUES (3)")
            .await
            .expect("res");
        assert_eq!(
            error_of(&c, "DELETE FROM p WHERE id = 3").await.0,
            "23503",
            "RESTRICT"
        );
        c.batch_execute("DELETE FROM p WHERE id = 10")
            .await
            .expect("cascading delete");
        assert!(ints(&c, "SELECT k FROM casc").await.is_empty());
        // A self-referencing table: deleting the root cascades down the tree.
        c.batch_execute(
            "CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree ON DELETE CASCADE); \
             INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 2), (4, 1), (5, NULL); \
             DELETE FROM tree WHERE id = 1",
        )
        .await
        .expect("tree");
        assert_eq!(ints(&c, "SELECT id FROM tree").await, [Some(5)]);
    });
}

#[test]
fn drop_and_truncate_of_a_referenced_table() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE b (id int PRIMARY KEY); \
             CREATE TABLE a (b int REFERENCES b); \
             INSERT INTO b VALUES (1); INSERT INTO a VALUES (1)",
        )
        .await
        .expect("setup");
        assert_eq!(
            error_of(&c, "DROP TABLE b").await,
            (
                "2BP01".into(),
                "cannot drop table b because other objects depend on it".into(),
                Some("constraint a_b_fkey on table a depends on table b".into())
            )
        );
        assert_eq!(
            error_of(&c, "TRUNCATE b").await,
            (
                "0A000".into(),
                "cannot truncate a table referenced in a foreign key constraint".into(),
                Some("Table \"a\" references \"b\".".into())
            )
        );
        c.batch_execute(
            "CREATE TABLE u (x int); CREATE UNIQUE INDEX u_x ON u (x); \
             CREATE TABLE r (x int REFERENCES u (x))",
        )
        .await
        .expect("a key from a plain unique index");
        assert_eq!(
            error_of(&c, "DROP INDEX u_x").await,
            (
                "2BP01".into(),
                "cannot drop index u_x because other objects depend on it".into(),
                Some("constraint r_x_fkey on table r depends on index u_x".into())
            )
        );
        c.batch_execute("DROP INDEX u_x CASCADE; INSERT INTO r VALUES (42)")
            .await
            .expect("the constraint went with the index");
        c.batch_execute("TRUNCATE a, b")
            .await
            .expect("both at once");
        c.batch_execute("INSERT INTO b VALUES (1); INSERT INTO a VALUES (1); TRUNCATE b CASCADE")
            .await
            .expect("truncate cascades");
        assert!(ints(&c, "SELECT b FROM a").await.is_empty());
        c.batch_execute("DROP TABLE b CASCADE")
            .await
            .expect("drop cascade");
        c.batch_execute("INSERT INTO a VALUES (42)")
            .await
            .expect("the constraint went with b");
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f'",
                &[],
            )
            .await
            .expect("count")
            .get(0);
        assert_eq!(n, 0);
    });
}

#[test]
fn insert_of_a_child_waits_for_a_concurrent_delete_of_its_parent() {
    let server = TestServer::start();
    runtime().block_on(async {
        let a = server.connect().await;
        a.batch_execute(
            "CREATE TABLE b (id int PRIMARY KEY); \
             CREATE TABLE c (b int REFERENCES b); \
             INSERT INTO b VALUES (1), (2)",
        )
        .await
        .expect("setup");
        let other = server.connect().await;
        // The parent's deleter commits: the waiting insert fails.
        a.batch_execute("BEGIN; DELETE FROM b WHERE id = 1")
            .await
            .expect("delete");
        let waiting = tokio::spawn(async move {
            let r = other.batch_execute("INSERT INTO c VALUES (1)").await;
            (other, r)
        });
        a.batch_execute("COMMIT").await.expect("commit");
        let (other, r) = waiting.await.expect("join");
        let err = r.expect_err("no orphan");
        assert_eq!(err.code(), Some(&SqlState::FOREIGN_KEY_VIOLATION));
        // The parent's deleter rolls back: the waiting insert succeeds.
        a.batch_execute("BEGIN; DELETE FROM b WHERE id = 2")
            .await
            .expect("delete");
        let waiting =
            tokio::spawn(async move { other.batch_execute("INSERT INTO c VALUES (2)").await });
        a.batch_execute("ROLLBACK").await.expect("rollback");
        waiting.await.expect("join").expect("parent is back");
        // A child inserted by an open transaction makes the parent's deleter wait, then
        // fail once the child commits.
        let child = server.connect().await;
        child
            .batch_execute("BEGIN; INSERT INTO c VALUES (2)")
            .await
            .expect("child");
        let deleter =
            tokio::spawn(async move { a.batch_execute("DELETE FROM b WHERE id = 2").await });
        child.batch_execute("COMMIT").await.expect("commit child");
        let err = deleter.await.expect("join").expect_err("still referenced");
        assert_eq!(err.code(), Some(&SqlState::FOREIGN_KEY_VIOLATION));
    });
}

#[test]
fn on_conflict_follows_postgres() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TABLE kv (k int PRIMARY KEY, v text, n int); \
             INSERT INTO kv VALUES (1, 'a', 0)",
        )
        .await
        .expect("setup");
        assert_eq!(
            c.execute(
                "INSERT INTO kv VALUES (1, 'x', 0), (2, 'b', 0) ON CONFLICT DO NOTHING",
                &[]
            )
            .await
            .expect("do nothing"),
            1
        );
        let row = c
            .query_one(
                "INSERT INTO kv AS t VALUES (1, 'z', 0) ON CONFLICT (k) \
                 DO UPDATE SET v = excluded.v || t.v, n = t.n + 1 RETURNING v, n",
                &[],
            )
            .await
            .expect("do update");
        assert_eq!(
            (row.get::<_, String>(0), row.get::<_, i32>(1)),
            ("za".into(), 1)
        );
        assert_eq!(
            c.execute(
                "INSERT INTO kv VALUES (1, 'q', 0) ON CONFLICT ON CONSTRAINT kv_pkey \
                 DO UPDATE SET v = 'never' WHERE kv.n > 5",
                &[]
            )
            .await
            .expect("where false"),
            0
        );
        assert_eq!(
            error_of(&c, "INSERT INTO kv VALUES (1) ON CONFLICT (v) DO NOTHING").await,
            (
                "42P10".into(),
                "there is no unique or exclusion constraint matching the ON CONFLICT specification"
                    .into(),
                None
            )
        );
        assert_eq!(
            error_of(
                &c,
                "INSERT INTO kv VALUES (3), (3) ON CONFLICT (k) DO UPDATE SET n = 1"
            )
            .await
            .0,
            "21000"
        );
        assert_eq!(
            error_of(
                &c,
                "INSERT INTO kv VALUES (3) ON CONFLICT (k) DO UPDATE SET n = n"
            )
            .await
            .0,
            "42702",
            "unqualified n is ambiguous between kv and excluded"
        );
        assert_eq!(
            ints(&c, "SELECT k FROM kv ORDER BY k").await,
            [Some(1), Some(2)]
        );
        // REPEATABLE READ: a conflicting row the snapshot cannot see is a serialization
        // failure, as in PostgreSQL.
        c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM kv")
            .await
            .expect("snapshot taken");
        let other = server.connect().await;
        other
            .batch_execute("INSERT INTO kv VALUES (9, 'other', 0)")
            .await
            .expect("concurrent insert");
        let err = c
            .batch_execute("INSERT INTO kv VALUES (9, 'mine', 0) ON CONFLICT DO NOTHING")
            .await
            .expect_err("invisible conflicting row");
        assert_eq!(err.code(), Some(&SqlState::T_R_SERIALIZATION_FAILURE));
        c.batch_execute("ROLLBACK").await.expect("rollback");
    });
}

#[test]
fn concurrent_upserts_of_the_same_keys_never_fail() {
    const CLIENTS: usize = 4;
    const ROUNDS: i32 = 40;
    const KEYS: i32 = 5;
    let server = TestServer::start();
    runtime().block_on(async {
        let setup = server.connect().await;
        setup
            .batch_execute(
                "CREATE TABLE counter (k int PRIMARY KEY, n int NOT NULL); \
                 CREATE TABLE seen (k int PRIMARY KEY)",
            )
            .await
            .expect("setup");
        let mut tasks = Vec::new();
        for _ in 0..CLIENTS {
            let client = server.connect().await;
            tasks.push(tokio::spawn(async move {
                for round in 0..ROUNDS {
                    let k = round % KEYS;
                    client
                        .execute(
                            "INSERT INTO counter VALUES ($1, 1) \
                             ON CONFLICT (k) DO UPDATE SET n = counter.n + 1",
                            &[&k],
                        )
                        .await
                        .expect("upsert never fails");
                    client
                        .execute("INSERT INTO seen VALUES ($1) ON CONFLICT DO NOTHING", &[&k])
                        .await
                        .expect("insert-or-ignore never fails");
                }
            }));
        }
        for t in tasks {
            t.await.expect("client task");
        }
        let total: i64 = setup
            .query_one("SELECT sum(n)::int8 FROM counter", &[])
            .await
            .expect("sum")
            .get(0);
        assert_eq!(total, (CLIENTS as i64) * i64::from(ROUNDS));
        assert_eq!(
            ints(&setup, "SELECT k FROM counter ORDER BY k").await,
            (0..KEYS).map(Some).collect::<Vec<_>>()
        );
        assert_eq!(
            ints(&setup, "SELECT k FROM seen ORDER BY k").await,
            (0..KEYS).map(Some).collect::<Vec<_>>()
        );
    });
}
