//! `ALTER TABLE parent RENAME COLUMN` reaching inheritance children and partitions,
//! against the `tusk` binary.
//!
//! `rename_column_inheritance/script.sql` renames a parent's column (every descendant's
//! column follows), refuses ONLY with children and a child's inherited column (42P16),
//! renames a child's own column, and renames a partitioned table's column with its
//! partitions'. `rename_column_inheritance/expected.out` is what psql 15 prints for it
//! (stdout and stderr together) against PostgreSQL 15 in a fresh database (regenerate it
//! there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn rename_column_inheritance_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("rename_column_inheritance");
}
