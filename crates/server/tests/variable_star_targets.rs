//! `r.*` of a row variable in a target list, and PL/pgSQL's expression checks, against
//! the `tusk` binary.
//!
//! `variable_star_targets/script.sql` expands `v.*` of a SQL function's composite
//! argument and `r.*` of a PL/pgSQL variable into their fields in SELECT, INSERT ...
//! SELECT, SELECT INTO and RETURN QUERY; an expression that yields two columns or two
//! rows fails as PostgreSQL's `exec_eval_expr` and `exec_assign_expr` fail (`query
//! returned 2 columns` with CONTEXT `query: r.*`, `assignment source returned 2
//! columns`, `query returned more than one row`). `variable_star_targets/expected.out` is
//! what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn variable_star_targets_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("variable_star_targets");
}
