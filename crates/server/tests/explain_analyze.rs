//! EXPLAIN ANALYZE against the `tusk` binary.
//!
//! `explain_analyze/script.sql` runs queries under `EXPLAIN (ANALYZE, COSTS OFF, TIMING
//! OFF, SUMMARY OFF)`: actual rows and loops per node, `Rows Removed by Filter`, a node
//! below `LIMIT 0` that never runs, and a volatile function really called once per row.
//! `explain_analyze/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn explain_analyze_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("explain_analyze");
}
