//! Ownership checks of relation DDL against the `tusk` binary.
//!
//! `relation_owner_checks/script.sql` has a role that owns nothing try to rename a
//! table, index, view, sequence, column and constraint, comment on them, index a table,
//! and VACUUM / ANALYZE it: each fails with PostgreSQL's 42501 `must be owner of ...`
//! (or is skipped with its WARNING), and nothing changes. It ends with the one-argument
//! `obj_description`. `relation_owner_checks/expected.out` is what psql 15 prints for it
//! (stdout and stderr together) against PostgreSQL 15 in a fresh database (regenerate it
//! there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn relation_owner_checks_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("relation_owner_checks");
}
