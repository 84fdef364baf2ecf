//! `REASSIGN OWNED` against the `tusk` binary.
//!
//! `reassign_owned/script.sql` moves a role's schema, table (with its index, ACL and row
//! type), view, sequence, function, composite type and database to another role, and
//! checks PostgreSQL's errors: 42501 without the roles' privileges, 42704 for an
//! unknown role, 2BP01 for the bootstrap superuser's objects; the old role can then be
//! dropped. `reassign_owned/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`, after dropping the script's roles).

mod common;

#[test]
fn reassign_owned_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("reassign_owned");
}
