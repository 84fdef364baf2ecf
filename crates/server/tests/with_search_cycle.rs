//! WITH RECURSIVE's SEARCH and CYCLE clauses against the `tusk` binary.
//!
//! `with_search_cycle/script.sql` orders a graph walk depth and breadth first, stops
//! cycles with the default and with explicit marks, names the added columns inside the
//! recursive term, and triggers each of PostgreSQL's errors for the clauses.
//! `with_search_cycle/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn search_and_cycle_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("with_search_cycle");
}
