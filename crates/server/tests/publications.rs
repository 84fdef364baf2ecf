//! Publications and subscriptions against the `tusk` binary.
//!
//! `publications/script.sql` creates, alters and drops publications (tables with column
//! lists and row filters, schemas, FOR ALL TABLES) and subscriptions (`connect =
//! false`), with PostgreSQL's errors for each refused form, and shows them through
//! psql's `\dRp`, `\dRp+`, `\dRs+` and the `Publications:` footer of `\d`; it sets
//! replica identities and runs the UPDATE and DELETE checks they govern.
//! `publications/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn publications_and_subscriptions_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("publications");
}
