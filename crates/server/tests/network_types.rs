//! `inet`, `cidr`, `macaddr` and `macaddr8` against the `tusk` binary.
//!
//! `network_types/script.sql` stores the four types in table columns (a cidr with host
//! bits and a malformed inet refused), indexes them (B-tree, a unique macaddr key), scans
//! the indexes, groups, joins and updates on them, copies them out and in, and keeps
//! `inet[]` / `macaddr[]` arrays. `network_types/expected.out` is what psql 15 prints for
//! it (stdout and stderr together) against PostgreSQL 15 in a fresh database (regenerate
//! it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn network_address_columns_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("network_types");
}

mod binary {
    use super::common::raw::{binary_round_trip, started_session};
    use super::common::TestServer;

    #[test]
    fn binary_forms_are_postgres_layouts() {
        let server = TestServer::start();
        let mut session = started_session(&server);
        let inet = vec![2, 24, 0, 4, 192, 168, 1, 226];
        let cidr = vec![
            3, 32, 1, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        let mac = vec![8, 0, 0x2b, 1, 2, 3];
        let mac8 = vec![8, 0, 0x2b, 1, 2, 3, 4, 5];
        let params = [inet.clone(), cidr.clone(), mac.clone(), mac8.clone()];
        let sql = "SELECT $1::inet, $2::cidr, $3::macaddr, $4::macaddr8";
        let types = [869, 650, 829, 774];
        assert_eq!(
            binary_round_trip(&mut session, sql, &types, &params, 1),
            [inet, cidr, mac, mac8]
        );
        let text = binary_round_trip(&mut session, sql, &types, &params, 0);
        let text: Vec<String> = text
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        assert_eq!(
            text,
            [
                "192.168.1.226/24",
                "2001:db8::/32",
                "08:00:2b:01:02:03",
                "08:00:2b:01:02:03:04:05"
            ]
        );
        // The cidr form marks is_cidr; an inet value cast to cidr loses its host bits.
        assert_eq!(
            binary_round_trip(
                &mut session,
                "SELECT $1::inet::cidr",
                &[869],
                &[vec![2, 24, 0, 4, 192, 168, 1, 226]],
                1
            ),
            [vec![2, 24, 1, 4, 192, 168, 1, 0]]
        );
        // The connection's own addresses (TCP over loopback).
        let addresses = binary_round_trip(
            &mut session,
            "SELECT host(inet_client_addr()), host(inet_server_addr()), inet_server_port()",
            &[],
            &[],
            0,
        );
        assert_eq!(addresses[0], b"127.0.0.1");
        assert_eq!(addresses[1], b"127.0.0.1");
        assert_eq!(addresses[2], server.port.to_string().as_bytes());
    }
}
