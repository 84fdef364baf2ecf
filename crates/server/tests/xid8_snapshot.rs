//! Full transaction ids and snapshots against the `tusk` binary.
//!
//! `xid8_snapshot/script.sql` covers `xid`/`xid8` input as C's `strtoul`, unsigned `xid8`
//! ordering (operators, min/max, a B-tree index), `pg_snapshot`/`txid_snapshot` input,
//! normalisation and errors, `pg_visible_in_snapshot`, and the current transaction's id,
//! snapshot and status (`pg_current_xact_id`, `pg_xact_status`, the `txid_*` forms).
//! `xid8_snapshot/expected.out` is what psql 15 prints for it (stdout and stderr together)
//! against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn xid8_and_snapshots_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("xid8_snapshot");
}
