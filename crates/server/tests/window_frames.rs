//! Window frames against the `tusk` binary.
//!
//! `window_frames/script.sql` runs aggregates, `first_value`, `last_value` and
//! `nth_value` over ROWS, RANGE (offsets of integer, numeric, float, date, timestamp and
//! interval columns, ascending and descending, with NULLs and NaN) and GROUPS frames
//! with each EXCLUDE option, and the errors of bad offsets. `window_frames/expected.out`
//! is what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn window_frames_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("window_frames");
}
