//! COMMENT ON functions, procedures, types, domains, schemas and languages against the
//! `tusk` binary.
//!
//! `comment_objects/script.sql` sets, replaces and removes comments on each kind, reads
//! them back with `obj_description` and psql's `\df+` and `\dn+`, and runs PostgreSQL's
//! errors (missing function, type and schema, a non-domain named as a domain, a comment
//! by a role that does not own the object); DROP SCHEMA ... CASCADE takes the comments
//! with the objects. `comment_objects/expected.out` is what psql 15 prints for it
//! (stdout and stderr together) against PostgreSQL 15 in a fresh database (regenerate it
//! there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn comment_on_objects_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("comment_objects");
}
