//! Index partitions against the `tusk` binary.
//!
//! `index_partitions/script.sql` covers the indexes of partitioned tables: the
//! `pg_inherits` rows and `relispartition` of index partitions, `CREATE INDEX ... ON
//! ONLY` and its validity as partitions' indexes are attached with `ALTER INDEX ...
//! ATTACH PARTITION` (up a two-level tree), the attach errors, existing matching indexes
//! attached by CREATE INDEX and ATTACH PARTITION, DETACH PARTITION, DROP INDEX of an
//! index partition, `pg_partition_tree` over indexes, constraint indexes with
//! `conparentid`, and psql's `\d` of partitioned indexes.
//! `index_partitions/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn index_partitions_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("index_partitions");
}
