//! User triggers against the `tusk` binary.
//!
//! `triggers/script.sql` creates BEFORE ROW triggers that change NEW or skip rows by
//! returning NULL, AFTER ROW and AFTER STATEMENT triggers writing an audit table from
//! PL/pgSQL (`TG_OP`, `TG_WHEN`, `TG_LEVEL`, `TG_TABLE_*`, `TG_NARGS`, `TG_ARGV`), WHEN
//! conditions and `UPDATE OF` columns, disables, renames and replaces triggers, prints
//! them through `pg_get_triggerdef` and psql's `\d`, and checks PostgreSQL's errors
//! (wrong return type, duplicates, WHEN references, INSTEAD OF and TRUNCATE forms,
//! DROP FUNCTION with dependent triggers). `triggers/expected.out` is what psql 15
//! prints for it against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn triggers_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("triggers");
}
