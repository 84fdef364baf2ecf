//! Automatically updatable views against the `tusk` binary.
//!
//! `updatable_views/script.sql` writes through simple views (INSERT, UPDATE, DELETE with
//! RETURNING, rows the view does not show left alone), views with expression columns
//! (PostgreSQL's 0A000 for writing them), view column defaults, views over views, views
//! that are not automatically updatable (55000 with PostgreSQL's reasons), WITH [LOCAL |
//! CASCADED] CHECK OPTION (44000) and the view options in `pg_class.reloptions` and the
//! information schema. `updatable_views/expected.out` is what psql 15 prints for it
//! (stdout and stderr together) against PostgreSQL 15 in a fresh database (regenerate it
//! there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn updatable_views_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("updatable_views");
}
