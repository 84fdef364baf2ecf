//! `json_populate_record`, `jsonb_populate_record` and their `recordset` forms against
//! the `tusk` binary.
//!
//! `json_populate_record/script.sql` fills a composite type and a table's row type from
//! JSON objects and arrays of objects, in the select list and in FROM, with a base
//! record supplying absent members, array and `jsonb` fields, NULL arguments, and
//! PostgreSQL's errors (non-row base, arrays and scalars where objects belong, bad field
//! input). `json_populate_record/expected.out` is what psql 15 prints for it (stdout
//! and stderr together) against PostgreSQL 15 in a fresh database (regenerate it there
//! with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn json_populate_record_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("json_populate_record");
}
