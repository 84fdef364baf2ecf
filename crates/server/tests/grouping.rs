//! GROUP BY with grouping sets against the `tusk` binary.
//!
//! `grouping/script.sql` exercises ROLLUP, CUBE, GROUPING SETS (nested, combined with
//! plain items, `GROUP BY DISTINCT`, the empty set over no rows), `GROUPING()` in the
//! target list, HAVING and ORDER BY, aggregates with DISTINCT/ORDER BY/FILTER per set,
//! window functions over grouped rows, views and prepared statements over grouping
//! sets, EXPLAIN, PostgreSQL's errors for misplaced or malformed GROUPING, and reading a
//! table's columns when GROUP BY names its primary key. `grouping/expected.out` is what
//! psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh
//! database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn grouping_sets_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("grouping");
}
