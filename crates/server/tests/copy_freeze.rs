//! `COPY ... FROM STDIN (FREEZE)` and `pg_size_pretty(numeric)` against the `tusk` binary.
//!
//! `copy_freeze/script.sql` checks PostgreSQL's conditions for COPY FREEZE (the table
//! created or truncated by the current subtransaction, no open cursor, not partitioned),
//! reported once the data has been read, and that frozen rows behave as any others in
//! the transaction: visible at once, updated, deleted, checked by a unique index, and
//! gone after ROLLBACK or ROLLBACK TO SAVEPOINT. Then `pg_size_pretty` of numeric sizes.
//! `copy_freeze/expected.out` is what psql 15 prints for it (stdout and stderr together)
//! against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn copy_freeze_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("copy_freeze");
}
