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
    use std::io::Write;

    use super::common::raw::{message, read_until_ready, started_session};
    use super::common::TestServer;

    fn cstr(s: &str) -> Vec<u8> {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        v
    }

    /// Parse + Bind (parameters binary, results in `format`) + Execute + Sync; returns
    /// the first DataRow's fields.
    fn round_trip(
        stream: &mut std::net::TcpStream,
        sql: &str,
        types: &[u32],
        params: &[Vec<u8>],
        format: i16,
    ) -> Vec<Vec<u8>> {
        let mut parse = cstr("");
        parse.extend(cstr(sql));
        parse.extend((types.len() as u16).to_be_bytes());
        for t in types {
            parse.extend(t.to_be_bytes());
        }
        let mut bind = cstr("");
        bind.extend(cstr(""));
        bind.extend(1u16.to_be_bytes());
        bind.extend(1i16.to_be_bytes());
        bind.extend((params.len() as u16).to_be_bytes());
        for p in params {
            bind.extend((p.len() as i32).to_be_bytes());
            bind.extend(p);
        }
        bind.extend(1u16.to_be_bytes());
        bind.extend(format.to_be_bytes());
        let mut execute = cstr("");
        execute.extend(0i32.to_be_bytes());
        let messages = [
            message(b'P', &parse),
            message(b'B', &bind),
            message(b'E', &execute),
            message(b'S', b""),
        ];
        stream.write_all(&messages.concat()).expect("send");
        let replies = read_until_ready(stream);
        let row = replies
            .iter()
            .find(|r| r.tag == b'D')
            .unwrap_or_else(|| panic!("no row: {replies:?}"));
        let n = u16::from_be_bytes([row.body[0], row.body[1]]) as usize;
        let mut at = 2;
        (0..n)
            .map(|_| {
                let len = i32::from_be_bytes(row.body[at..at + 4].try_into().expect("4 bytes"));
                at += 4;
                let field = row.body[at..at + len as usize].to_vec();
                at += len as usize;
                field
            })
            .collect()
    }

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
            round_trip(&mut session, sql, &types, &params, 1),
            [inet, cidr, mac, mac8]
        );
        let text = round_trip(&mut session, sql, &types, &params, 0);
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
            round_trip(
                &mut session,
                "SELECT $1::inet::cidr",
                &[869],
                &[vec![2, 24, 0, 4, 192, 168, 1, 226]],
                1
            ),
            [vec![2, 24, 1, 4, 192, 168, 1, 0]]
        );
        // The connection's own addresses (TCP over loopback).
        let addresses = round_trip(
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
