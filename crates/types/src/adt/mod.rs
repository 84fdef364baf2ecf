//! Built-in data types' values with PostgreSQL's text input/output rules (PostgreSQL's
//! `utils/adt`): integers, floats, numeric, booleans, bytea, dates and times.
//!
//! Everything here is a pure function over plain values: no catalog, no I/O, no session
//! state (settings such as `extra_float_digits`, `DateStyle` or the time zone are passed
//! in). Errors carry PostgreSQL 15's SQLSTATE and message text exactly, so callers can
//! forward them to the client unchanged.
//!
//! Entry points, one module per type family:
//! - [`int`]: `smallint`/`integer`/`bigint` input, output and checked arithmetic;
//! - [`float`]: `real`/`double precision` input, output (shortest round trip or `%g`) and
//!   arithmetic with PostgreSQL's overflow/underflow checks; [`float_math`]: sqrt, power,
//!   exp, logarithms, trigonometric functions;
//! - [`mod@bool`]: `boolean` input and output;
//! - [`numeric`]: arbitrary-precision `numeric` with PostgreSQL's scales and limits;
//! - [`bytea`]: binary strings in hex and escape formats;
//! - [`datetime`]: date, time, timestamp, timestamptz, interval, with `DateStyle`,
//!   `IntervalStyle` and time zones;
//! - [`acl`]: `aclitem` and the ACL operations of GRANT, REVOKE and privilege checks;
//! - [`mod@array`]: arrays of any element type (shape, subscripts, slices, concatenation,
//!   the text form of `array_in`/`array_out`);
//! - [`range`]: range types (`int4range`, `numrange`, `tstzrange`, ...): bounds,
//!   canonical forms, order and operators;
//! - [`multirange`]: multirange types (`int4multirange`, ...): sets of disjoint ranges,
//!   their canonical form, text form and operators;
//! - [`record`]: composite values and the text form of `record_in`/`record_out`;
//! - [`pg_lsn`]: WAL positions (`X/X`), unsigned order, byte arithmetic;
//! - [`inet`]: `inet` and `cidr` addresses and networks; [`mac`]: `macaddr`, `macaddr8`;
//! - [`bit`]: `bit(n)` and `bit varying(n)`; [`money`]: `money` in the C locale;
//! - [`geo`]: the geometric types (`point`, `lseg`, `line`, `box`, `path`, `polygon`,
//!   `circle`) with PostgreSQL's fuzzy comparisons;
//! - [`json`]: `json` validation and the `jsonb` model (parse, order, containment);
//! - [`binary`]: the binary wire formats (`*send`/`*recv`) of all of the above.
//!
//! Testing: unit tests carry expected strings taken from PostgreSQL 15. The differential
//! tests in `pg15_compare` run thousands of inputs through a live PostgreSQL 15 (via
//! `psql`) and through this module and require identical text or error; they run when
//! `TUSK_PG15_URL` names a server (`postgresql://postgres@127.0.0.1:5432/postgres`) and
//! pass trivially otherwise.
//!
//! See also: PostgreSQL docs, chapter 8 "Data Types" and chapter 9 "Functions and Operators".

pub mod acl;
pub mod array;
pub mod binary;
pub mod bit;
pub mod bool;
pub mod bytea;
pub mod datetime;
pub mod float;
pub mod float_math;
pub mod formatting;
pub mod geo;
pub mod inet;
pub mod int;
pub mod json;
pub mod jsonpath;
pub mod mac;
pub mod money;
pub mod multirange;
pub mod numeric;
pub mod pg_lsn;
pub mod pg_snapshot;
pub mod range;
pub mod record;
pub mod tid;
pub mod tsearch;
pub mod xml;

/// PostgreSQL's `isspace()` in the "C" locale: space, `\t`, `\n`, `\v`, `\f`, `\r`.
pub(crate) fn is_pg_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `s` without leading and trailing [`is_pg_space`] bytes.
pub(crate) fn trim_pg_space(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii() && is_pg_space(c as u8))
}

#[cfg(test)]
mod no_panic_tests;
#[cfg(test)]
mod pg15_compare;
