//! Object privileges against the real server: GRANT and REVOKE write ACLs PostgreSQL 15
//! prints the same way, and statements of roles that are not superusers are checked
//! against them (42501 with PostgreSQL's messages), views with their owner's rights.

mod common;

use common::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn error_of(client: &tokio_postgres::Client, sql: &str) -> (String, String) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (db.code().code().to_string(), db.message().to_string())
}

async fn text(client: &tokio_postgres::Client, sql: &str) -> Option<String> {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

fn denied(what: &str) -> (String, String) {
    ("42501".into(), format!("permission denied for {what}"))
}

#[test]
fn a_role_is_denied_until_granted_and_again_after_revoke() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        let me = text(&c, "SELECT current_user::text").await.expect("user");
        c.batch_execute(
            "CREATE ROLE regress_priv_user1; \
             CREATE TABLE atest1 (a int, b text); INSERT INTO atest1 VALUES (1, 'one')",
        )
        .await
        .expect("setup");
        assert_eq!(
            text(
                &c,
                "SELECT relacl::text FROM pg_class WHERE relname = 'atest1'"
            )
            .await,
            None,
            "a new table's ACL is NULL (the owner's default)"
        );
        c.batch_execute("SET ROLE regress_priv_user1")
            .await
            .expect("set role");
        assert_eq!(
            error_of(&c, "SELECT * FROM atest1").await,
            denied("table atest1")
        );
        c.batch_execute("RESET ROLE; GRANT SELECT ON atest1 TO regress_priv_user1")
            .await
            .expect("grant");
        assert_eq!(
            text(
                &c,
                "SELECT relacl::text FROM pg_class WHERE relname = 'atest1'"
            )
            .await,
            Some(format!("{{{me}=arwdDxt/{me},regress_priv_user1=r/{me}}}"))
        );
        assert_eq!(
            text(
                &c,
                "SELECT has_table_privilege('regress_priv_user1', 'atest1', 'SELECT')::text"
            )
            .await,
            Some("true".into())
        );
        assert_eq!(
            text(
                &c,
                "SELECT has_table_privilege('regress_priv_user1', 'atest1', 'INSERT')::text"
            )
            .await,
            Some("false".into())
        );
        c.batch_execute("SET ROLE regress_priv_user1")
            .await
            .expect("set role");
        let n: i64 = c
            .query_one("SELECT count(*) FROM atest1", &[])
            .await
            .expect("granted select")
            .get(0);
        assert_eq!(n, 1);
        assert_eq!(
            error_of(&c, "INSERT INTO atest1 VALUES (2, 'two')").await,
            denied("table atest1")
        );
        assert_eq!(
            error_of(&c, "DELETE FROM atest1").await,
            denied("table atest1")
        );
        c.batch_execute("RESET ROLE; REVOKE SELECT ON atest1 FROM regress_priv_user1")
            .await
            .expect("revoke");
        assert_eq!(
            text(
                &c,
                "SELECT relacl::text FROM pg_class WHERE relname = 'atest1'"
            )
            .await,
            Some(format!("{{{me}=arwdDxt/{me}}}"))
        );
        c.batch_execute("SET ROLE regress_priv_user1")
            .await
            .expect("set role");
        assert_eq!(
            error_of(&c, "SELECT * FROM atest1").await,
            denied("table atest1")
        );
        c.batch_execute("RESET ROLE").await.expect("reset");
        // Superusers are never checked.
        c.batch_execute("SELECT * FROM atest1")
            .await
            .expect("superuser");
    });
}

#[test]
fn grant_errors_and_warnings_follow_postgres() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE ROLE regress_priv_user1; CREATE ROLE regress_priv_user2; \
             CREATE TABLE atest2 (a int); CREATE SEQUENCE seq1",
        )
        .await
        .expect("setup");
        assert_eq!(
            error_of(&c, "GRANT SELECT ON atest2 TO nosuchrole").await,
            ("42704".into(), "role \"nosuchrole\" does not exist".into())
        );
        assert_eq!(
            error_of(&c, "GRANT USAGE ON atest2 TO regress_priv_user1").await,
            (
                "0LP01".into(),
                "invalid privilege type USAGE for table".into()
            )
        );
        assert_eq!(
            error_of(&c, "GRANT SELECT ON atest2 TO PUBLIC WITH GRANT OPTION").await,
            (
                "0LP01".into(),
                "grant options can only be granted to roles".into()
            )
        );
        assert_eq!(
            error_of(&c, "GRANT USAGE ON SEQUENCE atest2 TO regress_priv_user1").await,
            ("42809".into(), "\"atest2\" is not a sequence".into())
        );
        // A grantee with grant option passes it on; revoking the option needs CASCADE.
        c.batch_execute(
            "GRANT SELECT ON atest2 TO regress_priv_user1 WITH GRANT OPTION; \
             SET ROLE regress_priv_user1; GRANT SELECT ON atest2 TO regress_priv_user2; \
             RESET ROLE",
        )
        .await
        .expect("grant through grant option");
        assert_eq!(
            error_of(
                &c,
                "REVOKE GRANT OPTION FOR SELECT ON atest2 FROM regress_priv_user1"
            )
            .await,
            ("2BP01".into(), "dependent privileges exist".into())
        );
        c.batch_execute("REVOKE GRANT OPTION FOR SELECT ON atest2 FROM regress_priv_user1 CASCADE")
            .await
            .expect("cascade");
        let me = text(&c, "SELECT current_user::text").await.expect("user");
        assert_eq!(
            text(
                &c,
                "SELECT relacl::text FROM pg_class WHERE relname = 'atest2'"
            )
            .await,
            Some(format!("{{{me}=arwdDxt/{me},regress_priv_user1=r/{me}}}"))
        );
        // Without grant options a non-owner grants nothing (a warning), and with no
        // privilege at all it is refused.
        c.batch_execute(
            "SET ROLE regress_priv_user1; GRANT SELECT ON atest2 TO regress_priv_user2",
        )
        .await
        .expect("warning only");
        assert_eq!(
            error_of(&c, "GRANT SELECT ON seq1 TO regress_priv_user2").await,
            denied("sequence seq1")
        );
        c.batch_execute("RESET ROLE; GRANT ALL ON SEQUENCE seq1 TO PUBLIC")
            .await
            .expect("sequence grant");
        assert_eq!(
            text(
                &c,
                "SELECT relacl::text FROM pg_class WHERE relname = 'seq1'"
            )
            .await,
            Some(format!("{{{me}=rwU/{me},=rwU/{me}}}"))
        );
    });
}

#[test]
fn views_use_their_owners_privileges() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE ROLE regress_priv_user1; CREATE ROLE regress_priv_user2; \
             CREATE TABLE base (a int); INSERT INTO base VALUES (1), (2); \
             GRANT SELECT ON base TO regress_priv_user2; \
             GRANT CREATE ON SCHEMA public TO regress_priv_user2; \
             SET ROLE regress_priv_user2; \
             CREATE VIEW v AS SELECT a FROM base; \
             GRANT SELECT ON v TO regress_priv_user1; RESET ROLE",
        )
        .await
        .expect("setup");
        c.batch_execute("SET ROLE regress_priv_user1").await.expect("set role");
        let n: i64 = c
            .query_one("SELECT count(*) FROM v", &[])
            .await
            .expect("the view's owner may read base")
            .get(0);
        assert_eq!(n, 2);
        assert_eq!(error_of(&c, "SELECT * FROM base").await, denied("table base"));
        c.batch_execute("RESET ROLE; REVOKE SELECT ON base FROM regress_priv_user2; SET ROLE regress_priv_user1")
            .await
            .expect("revoke from the view owner");
        assert_eq!(error_of(&c, "SELECT * FROM v").await, denied("table base"));
        c.batch_execute("RESET ROLE; SET ROLE regress_priv_user2").await.expect("set role");
        assert_eq!(error_of(&c, "SELECT * FROM v").await, denied("table base"));
        c.batch_execute("RESET ROLE").await.expect("reset");
    });
}

#[test]
fn members_inherit_privileges_of_granted_roles() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE ROLE regress_group; CREATE ROLE regress_member IN ROLE regress_group; \
             CREATE ROLE regress_noinherit NOINHERIT IN ROLE regress_group; \
             CREATE ROLE regress_reader IN ROLE pg_read_all_data; \
             CREATE TABLE t (a int); GRANT INSERT ON t TO regress_group",
        )
        .await
        .expect("setup");
        c.batch_execute("SET ROLE regress_member; INSERT INTO t VALUES (1); RESET ROLE")
            .await
            .expect("inherited INSERT");
        c.batch_execute("SET ROLE regress_noinherit")
            .await
            .expect("set role");
        assert_eq!(
            error_of(&c, "INSERT INTO t VALUES (2)").await,
            denied("table t")
        );
        c.batch_execute("RESET ROLE; SET ROLE regress_reader; SELECT * FROM t")
            .await
            .expect("pg_read_all_data reads everything");
        assert_eq!(
            error_of(&c, "INSERT INTO t VALUES (3)").await,
            denied("table t")
        );
        c.batch_execute("RESET ROLE").await.expect("reset");
    });
}

#[test]
fn sequences_ownership_truncate_and_lock_are_checked() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE ROLE regress_priv_user1; CREATE SEQUENCE s1; CREATE TABLE t1 (a int); \
             GRANT SELECT ON t1 TO regress_priv_user1",
        )
        .await
        .expect("setup");
        c.batch_execute("SET ROLE regress_priv_user1")
            .await
            .expect("set role");
        assert_eq!(
            error_of(&c, "SELECT nextval('s1')").await,
            denied("sequence s1")
        );
        assert_eq!(
            error_of(&c, "DROP TABLE t1").await,
            ("42501".into(), "must be owner of table t1".into())
        );
        assert_eq!(
            error_of(&c, "ALTER TABLE t1 ADD COLUMN b int").await,
            ("42501".into(), "must be owner of table t1".into())
        );
        assert_eq!(error_of(&c, "TRUNCATE t1").await, denied("table t1"));
        c.batch_execute("BEGIN; LOCK TABLE t1 IN ACCESS SHARE MODE; COMMIT")
            .await
            .expect("SELECT allows ACCESS SHARE");
        assert_eq!(
            error_of(&c, "BEGIN; LOCK TABLE t1 IN EXCLUSIVE MODE").await,
            denied("table t1")
        );
        c.batch_execute(
            "ROLLBACK; RESET ROLE; GRANT USAGE ON SEQUENCE s1 TO regress_priv_user1; \
             GRANT CREATE ON SCHEMA public TO regress_priv_user1",
        )
        .await
        .expect("grant usage");
        c.batch_execute("SET ROLE regress_priv_user1")
            .await
            .expect("set role");
        let v: i64 = c
            .query_one("SELECT nextval('s1')", &[])
            .await
            .expect("USAGE allows nextval")
            .get(0);
        assert_eq!(v, 1);
        assert_eq!(
            error_of(&c, "SELECT setval('s1', 10)").await,
            denied("sequence s1")
        );
        // What a role creates, it owns.
        c.batch_execute("CREATE TABLE mine (a int); INSERT INTO mine VALUES (1); DROP TABLE mine")
            .await
            .expect("own table");
        c.batch_execute("RESET ROLE").await.expect("reset");
    });
}

#[test]
fn drop_role_with_privileges_and_owner_change() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE ROLE regress_priv_user1; CREATE ROLE regress_priv_user2; \
             CREATE TABLE t (a int); GRANT SELECT ON t TO regress_priv_user1",
        )
        .await
        .expect("setup");
        let err = c
            .batch_execute("DROP ROLE regress_priv_user1")
            .await
            .expect_err("privileges depend on the role");
        let db = err.as_db_error().expect("a server error");
        assert_eq!(db.code().code(), "2BP01");
        assert_eq!(
            db.message(),
            "role \"regress_priv_user1\" cannot be dropped because some objects depend on it"
        );
        assert_eq!(db.detail(), Some("privileges for table t"));
        c.batch_execute("ALTER TABLE t OWNER TO regress_priv_user2")
            .await
            .expect("owner change");
        assert_eq!(
            text(&c, "SELECT relacl::text FROM pg_class WHERE relname = 't'").await,
            Some(
                "{regress_priv_user2=arwdDxt/regress_priv_user2,\
                 regress_priv_user1=r/regress_priv_user2}"
                    .into()
            )
        );
        c.batch_execute("REVOKE ALL ON t FROM regress_priv_user1; DROP ROLE regress_priv_user1")
            .await
            .expect("drop after revoke");
    });
}

#[test]
fn acl_functions_follow_postgres() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        let me = text(&c, "SELECT current_user::text").await.expect("user");
        assert_eq!(
            text(&c, "SELECT acldefault('f', 10)::text").await,
            Some(format!("{{=X/{me},{me}=X/{me}}}"))
        );
        assert_eq!(
            text(
                &c,
                "SELECT string_agg(privilege_type || ':' || is_grantable, ',') \
                 FROM aclexplode(acldefault('d', 10))"
            )
            .await,
            Some("TEMPORARY:false,CONNECT:false,CREATE:false,TEMPORARY:false,CONNECT:false".into())
        );
        assert_eq!(
            text(
                &c,
                "SELECT makeaclitem(10, 10, 'SELECT, UPDATE', true)::text"
            )
            .await,
            Some(format!("{me}=r*w*/{me}"))
        );
        assert_eq!(
            text(
                &c,
                "SELECT aclcontains(acldefault('r', 10), makeaclitem(10, 10, 'SELECT', false))::text"
            )
            .await,
            Some("true".into())
        );
        assert_eq!(
            text(&c, "SELECT ('=r/' || current_user)::aclitem::text").await,
            Some(format!("=r/{me}"))
        );
    });
}
