//! DEFERRABLE foreign keys and SET CONSTRAINTS against the `tusk` binary.
//!
//! `deferred_constraints/script.sql` declares foreign keys DEFERRABLE INITIALLY DEFERRED
//! (through ALTER TABLE ... ADD CONSTRAINT, as Django does, and as column constraints),
//! inserts children before parents, fails at COMMIT (and in an implicit transaction's
//! statement), fires waiting checks with SET CONSTRAINTS ... IMMEDIATE, defers an
//! INITIALLY IMMEDIATE constraint on request, lets a NO ACTION delete be repaired before
//! COMMIT, drops the checks of a rolled-back savepoint, and checks PostgreSQL's errors.
//! `deferred_constraints/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn deferred_foreign_keys_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("deferred_constraints");
}
