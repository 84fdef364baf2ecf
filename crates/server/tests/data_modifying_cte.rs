//! Data-modifying statements in WITH against the `tusk` binary.
//!
//! `data_modifying_cte/script.sql` moves rows with `DELETE ... RETURNING` into an INSERT,
//! reads a table an UPDATE in WITH changes (the outer query sees the old rows), runs a
//! CTE the outer query never reads and one under a LIMIT, chains CTEs, changes a row
//! twice in one statement, and checks PostgreSQL's errors for such CTEs below the top
//! level, without RETURNING, recursive, MERGE, in views and in cursors.
//! `data_modifying_cte/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn data_modifying_ctes_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("data_modifying_cte");
}
