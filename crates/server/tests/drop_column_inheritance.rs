//! `ALTER TABLE parent DROP COLUMN` reaching inheritance children and partitions,
//! against the `tusk` binary.
//!
//! `drop_column_inheritance/script.sql` drops a parent's column: children (and their
//! children) whose column only came from the parent lose it, a child that also declared
//! it keeps it as its own, `ONLY` leaves every child's column local; a partition loses
//! the column with its partitioned table, a partition key column cannot be dropped
//! (42P16), nor an inherited column of a child. `drop_column_inheritance/expected.out`
//! is what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh database (regenerate it there with `psql -X -f script.sql > expected.out
//! 2>&1`).

mod common;

#[test]
fn drop_column_inheritance_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("drop_column_inheritance");
}
