//! Range types against the `tusk` binary.
//!
//! `range_types/script.sql` exercises the text forms of `int4range`, `int8range`,
//! `numrange`, `daterange`, `tsrange` and `tstzrange` (canonical forms of the discrete
//! types, `empty`, infinite and quoted bounds), PostgreSQL's input errors, the
//! constructors, comparison, containment, position, adjacency, union, intersection and
//! difference operators, the bound functions, range columns in a table (ORDER BY, GROUP
//! BY, DISTINCT, a hash join, a btree index, UPDATE) and arrays of ranges.
//! `range_types/expected.out` is what psql 15 prints for it (stdout and stderr together)
//! against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn range_types_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("range_types");
}
