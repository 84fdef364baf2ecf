//! `pg_has_role` against the `tusk` binary.
//!
//! `pg_has_role/script.sql` builds roles with INHERIT and NOINHERIT memberships and an
//! admin option, and asks pg_has_role for MEMBER, USAGE and WITH ADMIN OPTION by name and
//! by OID, with PostgreSQL's errors. `pg_has_role/expected.out` is what psql 15 prints for
//! it against PostgreSQL 15 (regenerate it there with `psql -X -f script.sql >
//! expected.out 2>&1`).

mod common;

#[test]
fn pg_has_role_answers_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("pg_has_role");
}
