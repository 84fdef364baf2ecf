//! `COPY (INSERT | UPDATE | DELETE ... RETURNING ...) TO STDOUT` against the `tusk` binary.
//!
//! `copy_returning/script.sql` copies out the RETURNING rows of data-modifying
//! statements in text and CSV (header, FORCE_QUOTE), checks PostgreSQL's 0A000 `COPY
//! query must have a RETURNING clause`, and that the changes belong to the transaction
//! (rolled back with it, refused by a unique violation). `copy_returning/expected.out`
//! is what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn copy_returning_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("copy_returning");
}
