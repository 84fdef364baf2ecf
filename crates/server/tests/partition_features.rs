//! Partitioning features against the `tusk` binary: partition key expressions (routing,
//! `pg_partitioned_table.partexprs`, `pg_get_partkeydef`, partition constraints, ATTACH
//! validation and their errors) and the partition information functions
//! (`pg_partition_tree`, `pg_partition_root`, `pg_partition_ancestors`), INSERT ... ON
//! CONFLICT into partitioned tables, and expression and partial indexes copied to
//! partitions, and CREATE TABLE ... LIKE.
//! `partition_features/expected.out` is what psql 15 prints for `script.sql` (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn partition_features_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("partition_features");
}
