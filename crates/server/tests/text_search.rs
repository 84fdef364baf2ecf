//! Full text search against the `tusk` binary.
//!
//! `text_search/script.sql` reads and prints `tsvector` and `tsquery` values (quoting,
//! positions and weights, operator precedence and parentheses, syntax errors), compares
//! and combines them, matches vectors against queries (weights, prefixes, phrases,
//! negation, stripped vectors), ranks with `ts_rank` / `ts_rank_cd`, edits vectors
//! (`strip`, `setweight`, `ts_delete`, `ts_filter`, `unnest`, arrays), turns text into
//! vectors and queries through the `simple` and `english` configurations, resolves
//! `regconfig` / `regdictionary` names, lists the default parser's token types and
//! tokens, and stores both types in a table. `text_search/expected.out` is what psql 15
//! prints for it against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn text_search_types_functions_and_configurations_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("text_search");
}
