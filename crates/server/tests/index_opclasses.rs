//! Operator classes in CREATE INDEX against the `tusk` binary.
//!
//! `index_opclasses/script.sql` creates the `varchar_pattern_ops` / `text_pattern_ops` /
//! `bpchar_pattern_ops` indexes Django and other ORMs make for LIKE searches, names
//! default classes explicitly (`pg_catalog.text_ops`, `int8_ops`), checks PostgreSQL's
//! errors for a class that does not exist or does not accept the column's type, and reads
//! the classes back through `pg_get_indexdef` and psql's `\d`. `index_opclasses/expected.out`
//! is what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn index_operator_classes_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("index_opclasses");
}
