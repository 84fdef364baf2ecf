//! UPDATE ... FROM, DELETE ... USING and WITH on INSERT / UPDATE / DELETE against the
//! `tusk` binary.
//!
//! `dml_join/script.sql` joins the target with FROM items (SET, WHERE and RETURNING
//! reading their columns, `RETURNING *` over every item, aliases, grouped subqueries,
//! LATERAL, correlated sub-selects), updates a row joined twice only once, checks
//! PostgreSQL's errors (the target named again in FROM, unknown columns and
//! relations), fires BEFORE ROW triggers with the target's rows, changes inheritance
//! children and partitions (moving rows between partitions), and reads CTEs, plain and
//! recursive, from INSERT, UPDATE and DELETE. `dml_join/expected.out` is what psql 15
//! prints for it against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn joined_and_with_modifications_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("dml_join");
}
