//! `bit(n)`, `bit varying(n)`, `money` and `time with time zone` against the `tusk` binary.
//!
//! `bit_money_timetz/script.sql` stores the three kinds of values in table columns (with
//! typmod length checks, bad input and out-of-range amounts refused), indexes and scans
//! them, orders and groups them, and runs their operators, functions, casts and
//! aggregates. `bit_money_timetz/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn bit_money_and_timetz_columns_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("bit_money_timetz");
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
        // bit_send: bit count, then the bits MSB first, zero-padded.
        let bit = vec![0, 0, 0, 4, 0xa0];
        let varbit = vec![0, 0, 0, 10, 0xff, 0xc0];
        // cash_send: the cents as int8.
        let money = (-123_456i64).to_be_bytes().to_vec();
        // timetz_send: microseconds since midnight, then seconds west of UTC.
        let mut timetz = (4 * 3_600_000_000i64 + 5 * 60_000_000 + 6_000_000)
            .to_be_bytes()
            .to_vec();
        timetz.extend(28_800i32.to_be_bytes());
        let params = [bit.clone(), varbit.clone(), money.clone(), timetz.clone()];
        let sql = "SELECT $1::bit(4), $2::varbit, $3::money, $4::timetz";
        let types = [1560, 1562, 790, 1266];
        assert_eq!(
            round_trip(&mut session, sql, &types, &params, 1),
            [bit, varbit, money, timetz]
        );
        let text = round_trip(&mut session, sql, &types, &params, 0);
        let text: Vec<String> = text
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        assert_eq!(text, ["1010", "1111111111", "-$1,234.56", "04:05:06-08"]);
    }
}
