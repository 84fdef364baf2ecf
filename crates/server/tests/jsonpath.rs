//! The `jsonpath` type and the SQL/JSON path functions against the `tusk` binary.
//!
//! `jsonpath/script.sql` prints paths in canonical form (also from a table column),
//! reads invalid paths (syntax errors, `@` at the root, `last` outside subscripts, bad
//! `like_regex` flags), and runs `jsonb_path_query`, `_exists`, `_match`,
//! `_query_array`, `_query_first` and `@?` / `@@` over accessors in lax and strict mode,
//! filters and predicates, arithmetic, item methods, `vars` and `silent`.
//! `jsonpath/expected.out` is what psql 15 prints for it (stdout and stderr together)
//! against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn jsonpath_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("jsonpath");
}
