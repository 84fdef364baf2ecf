//! `ALTER TABLE parent ALTER COLUMN ... TYPE` reaching inheritance children and
//! partitions, against the `tusk` binary.
//!
//! `alter_type_inheritance/script.sql` changes a parent's column type (with USING):
//! every descendant's column changes and its rows are converted; ONLY with children and
//! a child's inherited column are refused (42P16), as is a partition key column.
//! `alter_type_inheritance/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn alter_type_inheritance_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("alter_type_inheritance");
}
