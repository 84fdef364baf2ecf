//! The information schema against the `tusk` binary.
//!
//! `information_schema/script.sql` creates tables, a view, primary key, unique, check
//! and foreign key constraints, a sequence and a second schema, then reads them back
//! through `schemata`, `tables`, `columns`, `views`, `table_constraints`,
//! `key_column_usage`, `referential_constraints`, `constraint_column_usage` and
//! `sequences`, and uses the schema's domains. `information_schema/expected.out` is what
//! psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh
//! database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn information_schema_views_answer_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("information_schema");
}
