//! Roles against the real server: CREATE/ALTER/DROP ROLE and GRANT/REVOKE role with
//! PostgreSQL 15's errors, sessions connecting as roles other than the bootstrap
//! superuser (their attributes decide what they may do), and log-in checks.

mod common;

use common::TestServer;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn connect_as(
    server: &TestServer,
    user: &str,
) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let conninfo = format!(
        "host=127.0.0.1 port={} user={user} dbname=postgres",
        server.port
    );
    let (client, connection) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

async fn error_of(client: &tokio_postgres::Client, sql: &str) -> (String, String) {
    let err = client
        .batch_execute(sql)
        .await
        .expect_err("statement should fail");
    let db = err.as_db_error().expect("a server error");
    (db.code().code().to_string(), db.message().to_string())
}

#[test]
fn role_ddl_writes_catalogs_and_refuses_as_postgres_does() {
    let server = TestServer::start();
    runtime().block_on(async {
        let admin = server.connect().await;
        admin
            .batch_execute(
                "CREATE ROLE regress_group; \
                 CREATE USER regress_user PASSWORD 'secret' CONNECTION LIMIT 3 IN ROLE regress_group",
            )
            .await
            .expect("create roles");
        let row = admin
            .query_one(
                "SELECT rolcanlogin, rolconnlimit, rolpassword FROM pg_authid \
                 WHERE rolname = 'regress_user'",
                &[],
            )
            .await
            .expect("pg_authid row");
        assert!(row.get::<_, bool>(0), "CREATE USER implies LOGIN");
        assert_eq!(row.get::<_, i32>(1), 3);
        assert!(row
            .get::<_, String>(2)
            .starts_with("SCRAM-SHA-256$4096:"));
        let members: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid \
                 JOIN pg_roles u ON u.oid = m.member \
                 WHERE g.rolname = 'regress_group' AND u.rolname = 'regress_user'",
                &[],
            )
            .await
            .expect("membership")
            .get(0);
        assert_eq!(members, 1);
        assert_eq!(
            error_of(&admin, "CREATE ROLE regress_group").await,
            ("42710".into(), "role \"regress_group\" already exists".into())
        );
        assert_eq!(
            error_of(&admin, "CREATE ROLE pg_mine").await,
            ("42939".into(), "role name \"pg_mine\" is reserved".into())
        );
        assert_eq!(
            error_of(&admin, "GRANT regress_user TO regress_group").await,
            (
                "0LP01".into(),
                "role \"regress_user\" is a member of role \"regress_group\"".into()
            )
        );
        assert_eq!(
            error_of(&admin, "DROP ROLE regress_missing").await,
            ("42704".into(), "role \"regress_missing\" does not exist".into())
        );
        admin
            .batch_execute("CREATE TABLE owned (a int); ALTER TABLE owned OWNER TO regress_user")
            .await
            .expect("give a table");
        assert_eq!(
            error_of(&admin, "DROP ROLE regress_user").await,
            (
                "2BP01".into(),
                "role \"regress_user\" cannot be dropped because some objects depend on it"
                    .into()
            )
        );
        admin
            .batch_execute(
                "DROP TABLE owned; DROP ROLE regress_user; DROP ROLE IF EXISTS regress_user",
            )
            .await
            .expect("drop");
        let left: i64 = admin
            .query_one("SELECT count(*) FROM pg_auth_members", &[])
            .await
            .expect("count")
            .get(0);
        assert_eq!(left, 0, "dropping a role removes its memberships");
    });
}

#[test]
fn sessions_of_other_roles_are_checked_by_their_attributes() {
    let server = TestServer::start();
    runtime().block_on(async {
        let admin = server.connect().await;
        admin
            .batch_execute(
                "CREATE ROLE regress_plain LOGIN; \
                 CREATE ROLE regress_creator LOGIN CREATEROLE; \
                 CREATE ROLE regress_nologin; \
                 CREATE ROLE regress_team",
            )
            .await
            .expect("create roles");
        let plain = connect_as(&server, "regress_plain")
            .await
            .expect("plain role logs in");
        let me: String = plain
            .query_one("SELECT current_user", &[])
            .await
            .expect("current_user")
            .get(0);
        assert_eq!(me, "regress_plain");
        assert_eq!(
            error_of(&plain, "CREATE ROLE regress_other").await,
            ("42501".into(), "permission denied to create role".into())
        );
        assert_eq!(
            error_of(&plain, "ALTER ROLE regress_plain CREATEDB").await,
            ("42501".into(), "permission denied".into())
        );
        plain
            .batch_execute("ALTER ROLE regress_plain PASSWORD 'mine'")
            .await
            .expect("one may change one's own password");
        assert_eq!(
            error_of(&plain, "GRANT regress_team TO regress_plain").await,
            (
                "42501".into(),
                "must have admin option on role \"regress_team\"".into()
            )
        );
        let creator = connect_as(&server, "regress_creator")
            .await
            .expect("creator logs in");
        assert_eq!(
            error_of(&creator, "CREATE ROLE regress_super SUPERUSER").await,
            (
                "42501".into(),
                "must be superuser to create superusers".into()
            )
        );
        creator
            .batch_execute(
                "CREATE ROLE regress_made; GRANT regress_team TO regress_plain WITH ADMIN OPTION",
            )
            .await
            .expect("CREATEROLE creates roles and grants membership");
        plain
            .batch_execute("GRANT regress_team TO regress_made")
            .await
            .expect("the admin option lets a member grant the role");
        assert_eq!(
            error_of(&creator, "ALTER ROLE postgres NOSUPERUSER").await,
            (
                "42501".into(),
                "must be superuser to alter superuser roles or change superuser attribute".into()
            )
        );
        assert_eq!(
            error_of(&plain, "SET ROLE regress_creator").await,
            (
                "42501".into(),
                "permission denied to set role \"regress_creator\"".into()
            )
        );
        assert_eq!(
            error_of(&plain, "SET SESSION AUTHORIZATION regress_creator").await,
            (
                "42501".into(),
                "permission denied to set session authorization".into()
            )
        );
        plain
            .batch_execute("SET ROLE regress_team")
            .await
            .expect("a member may set the role");
        admin
            .batch_execute("SET SESSION AUTHORIZATION regress_plain")
            .await
            .expect("a superuser may become any role");
        let who = admin
            .query_one("SELECT session_user, current_user", &[])
            .await
            .expect("identities");
        assert_eq!(who.get::<_, String>(0), "regress_plain");
        assert_eq!(
            error_of(&admin, "CREATE ROLE regress_other").await,
            ("42501".into(), "permission denied to create role".into())
        );
        admin
            .batch_execute("RESET SESSION AUTHORIZATION; SET ROLE regress_plain")
            .await
            .expect("back to the superuser, then a role");
        let who = admin
            .query_one("SELECT session_user, current_user", &[])
            .await
            .expect("identities");
        assert_eq!(
            (who.get::<_, String>(0), who.get::<_, String>(1)),
            ("postgres".to_string(), "regress_plain".to_string())
        );
        let refused = connect_as(&server, "regress_nologin")
            .await
            .expect_err("NOLOGIN role is refused");
        let db = refused.as_db_error().expect("a server error");
        assert_eq!(db.code().code(), "28000");
        assert_eq!(
            db.message(),
            "role \"regress_nologin\" is not permitted to log in"
        );
    });
}

#[test]
fn connection_limit_of_a_role_is_enforced() {
    let server = TestServer::start();
    runtime().block_on(async {
        let admin = server.connect().await;
        admin
            .batch_execute("CREATE ROLE regress_one LOGIN CONNECTION LIMIT 1")
            .await
            .expect("create role");
        let _first = connect_as(&server, "regress_one")
            .await
            .expect("first connection");
        let refused = connect_as(&server, "regress_one")
            .await
            .expect_err("second connection is over the limit");
        let db = refused.as_db_error().expect("a server error");
        assert_eq!(db.code().code(), "53300");
        assert_eq!(
            db.message(),
            "too many connections for role \"regress_one\""
        );
    });
}
