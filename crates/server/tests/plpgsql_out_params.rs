//! PL/pgSQL OUT/INOUT parameters against the `tusk` binary.
//!
//! `plpgsql_out_params/script.sql` covers functions with OUT and INOUT parameters (one
//! OUT as the value, several as a record, RETURNS TABLE and RETURN NEXT without a
//! value), procedures with INOUT parameters called by CALL at top level and from
//! PL/pgSQL (with the not-writable argument errors), sets of a composite type (RETURN
//! NEXT, RETURN QUERY and its column-count error), and assignment to array elements
//! and record fields. `plpgsql_out_params/expected.out` is what psql 15 prints for it
//! against PostgreSQL 15 in a fresh database (`psql -X -f script.sql > expected.out
//! 2>&1`).

mod common;

#[test]
fn plpgsql_out_params_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("plpgsql_out_params");
}
