//! SET ROLE and SET SESSION AUTHORIZATION against the `tusk` binary: both are
//! transactional, as in PostgreSQL.
//!
//! `set_role/script.sql` changes the current and session user inside transactions that
//! roll back, commit, fail, or use SET LOCAL, and reads `current_user` / `session_user`
//! after each. `set_role/expected.out` is what psql 15 prints for it against PostgreSQL 15
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn role_changes_are_transactional_like_postgres() {
    common::assert_psql_script_matches_postgres("set_role");
}
