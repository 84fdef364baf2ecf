//! TOAST against the real server: rows far larger than a page (repetitive text that
//! compresses, random bytea that does not, a large jsonb) are stored, read back equal,
//! updated and deleted; the TOAST relation is in the catalogs as PostgreSQL names it; a
//! rollback keeps deleted values; and committed values survive kill -9 and restart.

mod common;

use common::TestServer;
use rand::{RngCore, SeedableRng};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// 1 MB of random (incompressible) bytes.
fn random_bytes() -> Vec<u8> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut bytes = vec![0u8; 1 << 20];
    rng.fill_bytes(&mut bytes);
    bytes
}

/// About 200 KB of JSON: an object of 2,000 keys with distinct values.
fn big_json() -> String {
    let fields: Vec<String> = (0..2000)
        .map(|i| format!("\"key{i:05}\": \"value {i} {}\"", "v".repeat(i % 150)))
        .collect();
    format!("{{{}}}", fields.join(", "))
}

async fn check_rows(client: &tokio_postgres::Client, bytes: &[u8], json: &str, text_len: i32) {
    let row = client
        .query_one(
            "SELECT length(t), md5(t), b, j = $1::text::jsonb FROM big WHERE id = 1",
            &[&json],
        )
        .await
        .expect("read back");
    assert_eq!(row.get::<_, i32>(0), text_len);
    let expected_md5 = client
        .query_one("SELECT md5(repeat('toast ', $1::int / 6))", &[&text_len])
        .await
        .expect("md5")
        .get::<_, String>(0);
    assert_eq!(row.get::<_, String>(1), expected_md5);
    assert_eq!(row.get::<_, Vec<u8>>(2), bytes);
    assert!(row.get::<_, bool>(3), "jsonb reads back equal");
}

#[test]
fn large_values_are_stored_read_updated_deleted_and_survive_kill_9() {
    let mut server = TestServer::start();
    let rt = runtime();
    let bytes = random_bytes();
    let json = big_json();
    rt.block_on(async {
        let client = server.connect().await;
        client
            .batch_execute("CREATE TABLE big (id int PRIMARY KEY, t text, b bytea, j jsonb)")
            .await
            .expect("create");
        let toast = client
            .query_one(
                "SELECT t.relname::text, t.relkind::text, n.nspname::text, \
                        (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.oid)::int \
                   FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid \
                   JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.relname = 'big'",
                &[],
            )
            .await
            .expect("toast relation");
        let oid: u32 = client
            .query_one("SELECT 'big'::regclass::oid", &[])
            .await
            .expect("oid")
            .get(0);
        assert_eq!(toast.get::<_, String>(0), format!("pg_toast_{oid}"));
        assert_eq!(toast.get::<_, String>(1), "t");
        assert_eq!(toast.get::<_, String>(2), "pg_toast");
        assert_eq!(toast.get::<_, i32>(3), 1);
        // 100 KB of repetitive text, 1 MB of random bytes, 200 KB of jsonb.
        client
            .execute(
                "INSERT INTO big VALUES (1, repeat('toast ', 100000 / 6), $1, $2::text::jsonb)",
                &[&bytes, &json],
            )
            .await
            .expect("insert large row");
        check_rows(&client, &bytes, &json, 99_996).await;
        // A plain table row of many small values is untouched by TOAST.
        client
            .batch_execute("INSERT INTO big VALUES (2, 'small', '\\x00', '{}')")
            .await
            .expect("small row");
        // UPDATE of another column keeps the toasted ones.
        client
            .batch_execute("UPDATE big SET id = 1 WHERE id = 1")
            .await
            .expect("update key");
        check_rows(&client, &bytes, &json, 99_996).await;
        client
            .batch_execute("UPDATE big SET t = repeat('toast ', 200000 / 6) WHERE id = 1")
            .await
            .expect("update text");
        check_rows(&client, &bytes, &json, 199_998).await;
        // A rolled-back DELETE keeps the values.
        client
            .batch_execute("BEGIN; DELETE FROM big WHERE id = 1; ROLLBACK")
            .await
            .expect("rolled-back delete");
        check_rows(&client, &bytes, &json, 199_998).await;
        // Deleted in a committed transaction: gone, and the chunks with it.
        client
            .batch_execute("INSERT INTO big SELECT 3, t, b, j FROM big WHERE id = 1")
            .await
            .expect("copy row");
        client
            .batch_execute("DELETE FROM big WHERE id = 3")
            .await
            .expect("delete");
        let count: i64 = client
            .query_one("SELECT count(*) FROM big", &[])
            .await
            .expect("count")
            .get(0);
        assert_eq!(count, 2);
        // Committed just before the crash.
        client
            .execute(
                "INSERT INTO big VALUES (4, repeat('crash ', 50000), $1, '[1,2,3]')",
                &[&bytes],
            )
            .await
            .expect("insert before crash");
    });
    server.kill9();
    server.restart();
    rt.block_on(async {
        let client = server.connect().await;
        check_rows(&client, &bytes, &json, 199_998).await;
        let row = client
            .query_one("SELECT length(t), b = $1 FROM big WHERE id = 4", &[&bytes])
            .await
            .expect("row 4");
        assert_eq!(row.get::<_, i32>(0), 300_000);
        assert!(row.get::<_, bool>(1));
        client
            .batch_execute("DROP TABLE big")
            .await
            .expect("drop");
        let left: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_class WHERE relnamespace = 99 AND relname LIKE 'pg_toast_%'",
                &[],
            )
            .await
            .expect("toast relations")
            .get(0);
        assert_eq!(left, 0, "the TOAST relation and its index go with the table");
    });
}
