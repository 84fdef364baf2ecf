//! Built-in functions at the edges of their inputs against the `tusk` binary.
//!
//! `function_edge_values/script.sql` spells amounts whose words end at twenty with
//! cash_words and calls multirange constructors without arguments (both used to fail
//! with an internal error) and orders jsonb values, where an empty top-level array sorts
//! before every scalar; it also reads regprocedure input errors and pg_database_size of
//! another database, and calls jsonb_set_lax. `function_edge_values/expected.out` is what psql 15 prints
//! for it (stdout and stderr together) against PostgreSQL 15 in a fresh database
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn function_edge_values_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("function_edge_values");
}
