//! ALTER DEFAULT PRIVILEGES against the `tusk` binary.
//!
//! `default_privileges/script.sql` sets global and per-schema default privileges for
//! another role, shows them in `pg_default_acl` and psql's `\ddp`, creates tables,
//! views, sequences, functions and types as that role and reads their ACLs (arrays and
//! relation row types keep none), takes grants back until entries disappear, and checks
//! the errors and the DETAIL lines of DROP ROLE. `default_privileges/expected.out` is
//! what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh cluster (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn default_privileges_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("default_privileges");
}
