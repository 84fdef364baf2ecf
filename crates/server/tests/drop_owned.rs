//! `DROP OWNED` against the `tusk` binary.
//!
//! `drop_owned/script.sql` drops a role's schema, tables, view, sequence and function,
//! revokes what was granted to it, removes its default privileges and takes it out of
//! row security policies (dropping a policy left with no role); another role's view on
//! an owned table makes RESTRICT fail with 2BP01 and goes under CASCADE with
//! PostgreSQL's NOTICE. REASSIGN OWNED then DROP OWNED then DROP ROLE retires a role.
//! `drop_owned/expected.out` is what psql 15 prints for it (stdout and stderr together)
//! against PostgreSQL 15 in a fresh database (regenerate it there with `psql -X -f
//! script.sql > expected.out 2>&1`, after dropping the script's roles).

mod common;

#[test]
fn drop_owned_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("drop_owned");
}
