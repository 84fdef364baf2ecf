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
    use super::common::raw::{binary_round_trip, started_session};
    use super::common::TestServer;

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
            binary_round_trip(&mut session, sql, &types, &params, 1),
            [bit, varbit, money, timetz]
        );
        let text = binary_round_trip(&mut session, sql, &types, &params, 0);
        let text: Vec<String> = text
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        assert_eq!(text, ["1010", "1111111111", "-$1,234.56", "04:05:06-08"]);
    }
}
