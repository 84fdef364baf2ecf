//! SQL/MED against the `tusk` binary: foreign-data wrappers, servers, user mappings and
//! foreign tables.
//!
//! `foreign_data/script.sql` creates, alters and drops each kind of object with psql:
//! generic options (ADD / SET / DROP, the built-in `postgresql_fdw_validator`), the
//! superuser, owner and USAGE checks, GRANT / REVOKE, `\dew+`, `\des+`, `\deu+`, `\det+`
//! and `\d+` of a foreign table, the information schema views, DROP ... CASCADE and DROP
//! ROLE with their DETAIL lines, and the error for using a foreign table whose wrapper
//! has no handler. `foreign_data/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn foreign_data_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("foreign_data");
}
