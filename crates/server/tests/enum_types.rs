//! Enum types against the real server, as PostgreSQL 15 answers: CREATE TYPE ... AS
//! ENUM, labels in and out (text and binary, through tokio-postgres's own `pg_type` and
//! `pg_enum` queries), ordering by sort order, ALTER TYPE ... ADD VALUE (unusable until
//! committed) / RENAME VALUE, and DROP TYPE refusing types that columns use.

mod common;

use common::TestServer;
use tokio_postgres::types::{FromSql, IsNull, Kind, ToSql, Type};
use tokio_postgres::SimpleQueryMessage;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A value of any enum type, as its label (enum send/recv carry the label's text).
#[derive(Debug, PartialEq)]
struct Label(String);

impl<'a> FromSql<'a> for Label {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> Result<Label, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Label(std::str::from_utf8(raw)?.to_string()))
    }
    fn accepts(ty: &Type) -> bool {
        matches!(ty.kind(), Kind::Enum(_))
    }
}

impl ToSql for Label {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        out.extend_from_slice(self.0.as_bytes());
        Ok(IsNull::No)
    }
    fn accepts(ty: &Type) -> bool {
        matches!(ty.kind(), Kind::Enum(_))
    }
    tokio_postgres::types::to_sql_checked!();
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

#[test]
fn enum_columns_sort_by_label_order_and_round_trip_in_binary() {
    let server = TestServer::start();
    runtime().block_on(async {
        let c = server.connect().await;
        c.batch_execute(
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); \
             CREATE TABLE person (name text, current_mood mood); \
             INSERT INTO person VALUES ('Moe', 'happy'), ('Larry', 'sad'), ('Curly', 'ok')",
        )
        .await
        .expect("setup");
        assert_eq!(
            column(&c, "SELECT name FROM person ORDER BY current_mood DESC").await,
            ["Moe", "Curly", "Larry"]
        );
        assert_eq!(
            column(
                &c,
                "SELECT name FROM person WHERE current_mood > 'sad' ORDER BY 1"
            )
            .await,
            ["Curly", "Moe"]
        );

        // Binary results and parameters: tokio-postgres reads the type's pg_type and
        // pg_enum rows to learn it is an enum.
        let rows = c
            .query(
                "SELECT current_mood FROM person WHERE current_mood >= $1 ORDER BY 1",
                &[&Label("ok".into())],
            )
            .await
            .expect("binary query");
        let got: Vec<Label> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(got, [Label("ok".into()), Label("happy".into())]);
        let ty = rows[0].columns()[0].type_();
        assert_eq!(ty.name(), "mood");
        assert_eq!(
            ty.kind(),
            &Kind::Enum(vec!["sad".into(), "ok".into(), "happy".into()])
        );

        let err = c
            .query("SELECT $1::mood", &[&Label("angry".into())])
            .await
            .expect_err("unknown label");
        let db = err.as_db_error().expect("database error");
        assert_eq!(db.code().code(), "22P02");
        assert_eq!(db.message(), "invalid input value for enum mood: \"angry\"");

        // One simple query is one transaction: a label added in it is unusable there.
        let err = c
            .batch_execute(
                "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'; \
                 INSERT INTO person VALUES ('Joe', 'meh')",
            )
            .await
            .expect_err("uncommitted label");
        let db = err.as_db_error().expect("database error");
        assert_eq!(db.code().code(), "55P04");
        assert_eq!(
            db.message(),
            "unsafe use of new value \"meh\" of enum type mood"
        );
        c.batch_execute("ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'")
            .await
            .expect("add value");
        c.batch_execute(
            "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'; \
             INSERT INTO person VALUES ('Joe', 'meh')",
        )
        .await
        .expect("alter");
        assert_eq!(
            column(&c, "SELECT current_mood FROM person ORDER BY current_mood").await,
            ["blue", "meh", "ok", "happy"]
        );
        assert_eq!(
            column(
                &c,
                "SELECT enumlabel || ' ' || enumsortorder FROM pg_enum ORDER BY enumsortorder"
            )
            .await,
            ["blue 1", "meh 1.5", "ok 2", "happy 3"]
        );
        assert_eq!(
            column(&c, "SELECT enum_range(NULL::mood)::text").await,
            ["{blue,meh,ok,happy}"]
        );

        let err = c.batch_execute("DROP TYPE mood").await.expect_err("in use");
        let db = err.as_db_error().expect("database error");
        assert_eq!(db.code().code(), "2BP01");
        assert_eq!(
            db.detail(),
            Some("column current_mood of table person depends on type mood")
        );
        c.batch_execute("DROP TABLE person; DROP TYPE mood")
            .await
            .expect("drop");
        assert!(
            column(&c, "SELECT typname FROM pg_type WHERE typname LIKE '%mood'")
                .await
                .is_empty()
        );
    });
}
