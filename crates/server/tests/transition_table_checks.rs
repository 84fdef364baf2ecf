//! CREATE TRIGGER's REFERENCING clause against the `tusk` binary: PostgreSQL's checks of
//! it, in its order (views, more than one event, column lists, BEFORE, NEW/OLD for the
//! wrong event, duplicate and equal names, ROW variables, TRUNCATE, row-level ones on
//! partitioned tables, partitions and inheritance children). tusk refuses the valid
//! forms with 0A000 (transition tables are not kept yet), so the script holds only
//! invalid ones. `transition_table_checks/expected.out` is what psql 15 prints for it
//! against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn referencing_clause_errors_match_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("transition_table_checks");
}
