//! User-defined and ordered-set aggregates against the `tusk` binary.
//!
//! `create_aggregate/script.sql` creates aggregates in both syntaxes with built-in, SQL
//! and PL/pgSQL transition and final functions (strict transition functions, INITCOND,
//! FINALFUNC_EXTRA, polymorphic state), uses one as a window function, reads their
//! `pg_proc` and `pg_aggregate` rows, checks the definition errors, runs the built-in
//! ordered-set and hypothetical-set aggregates and the regression family (`regr_*`,
//! `covar_*`, `corr`), and drops the aggregates with DROP AGGREGATE's errors.
//! `create_aggregate/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn create_aggregate_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("create_aggregate");
}
