//! ORDER BY ... USING against the `tusk` binary.
//!
//! `order_by_using/script.sql` sorts with `USING <` and `USING >` (also qualified as
//! `OPERATOR(pg_catalog.>)`, with NULLS FIRST/LAST, in DISTINCT ON, aggregate and window
//! orderings) and gives PostgreSQL's errors for operators that do not order.
//! `order_by_using/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn order_by_using_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("order_by_using");
}
