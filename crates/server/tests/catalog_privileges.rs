//! Privileges on the system catalogs against the `tusk` binary: `pg_authid`,
//! `pg_statistic` and `pg_user_mapping` are their owner's alone, as PostgreSQL 15's initdb
//! leaves them, while `pg_roles`, `pg_user` and `pg_user_mappings` (owned by the bootstrap
//! superuser) still show everyone their public parts.
//!
//! `catalog_privileges/expected.out` is what psql 15 prints for `script.sql` against
//! PostgreSQL 15 (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn restricted_catalogs_are_read_through_system_views_like_postgres() {
    common::assert_psql_script_matches_postgres("catalog_privileges");
}
