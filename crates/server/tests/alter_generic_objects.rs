//! Generic ALTER of objects other than relations against the `tusk` binary.
//!
//! `alter_generic_objects/script.sql` runs `ALTER FUNCTION | PROCEDURE | ROUTINE |
//! AGGREGATE ... RENAME TO | OWNER TO | SET SCHEMA` with PostgreSQL's ownership, role
//! membership and name-conflict errors, ALTER FUNCTION's attribute actions and their
//! validation, `ALTER SCHEMA ... OWNER TO`, `ALTER TYPE | DOMAIN ... OWNER TO | SET
//! SCHEMA | RENAME TO` (enum, composite and domain types), `ALTER LANGUAGE ... OWNER TO`
//! the lookup errors of operators, operator classes and families, and `CREATE | ALTER |
//! DROP OPERATOR FAMILY` / `CREATE | DROP OPERATOR CLASS` with their catalog rows and
//! PostgreSQL's member validation errors, `CREATE | DROP CAST` (function, I/O and
//! binary-coercible casts used in explicit, assignment and implicit contexts) and
//! `CREATE | DROP CONVERSION`.
//! `alter_generic_objects/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn alter_generic_objects_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("alter_generic_objects");
}
