//! `JOIN ... USING (...) AS name` against the `tusk` binary.
//!
//! `join_using_alias/script.sql` reads the merged USING columns through the alias
//! (`x.a`, `x.*`) in inner, left, full and chained joins, checks that the alias clashes
//! with table names as any other (42712) and that an alias on the whole join hides it.
//! `join_using_alias/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn join_using_alias_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("join_using_alias");
}
