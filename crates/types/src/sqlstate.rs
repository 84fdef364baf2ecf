//! SQLSTATE codes, generated at build time from PostgreSQL 15's `errcodes.txt`.
//!
//! Constants are named as PostgreSQL's `ERRCODE_` macros without the prefix:
//! `SqlState::DIVISION_BY_ZERO` is `22012`.

use std::fmt;

/// A five-character SQLSTATE code (PostgreSQL docs, Appendix A).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SqlState(pub [u8; 5]);

include!(concat!(env!("OUT_DIR"), "/sqlstate.rs"));

impl SqlState {
    /// The code as text, e.g. `"22012"`.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("SQLSTATE codes are ASCII")
    }

    /// The two-character class, e.g. `"22"` for data exceptions.
    pub fn class(&self) -> &str {
        &self.code()[..2]
    }

    /// The PL/pgSQL condition name (`division_by_zero`), if PostgreSQL defines one.
    pub fn condition_name(&self) -> Option<&'static str> {
        CONDITION_NAMES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, n)| *n)
    }

    /// The codes a PL/pgSQL condition name stands for (`division_by_zero`; a few names,
    /// such as `string_data_right_truncation`, name two codes); empty if none.
    pub fn for_condition_name(name: &str) -> Vec<SqlState> {
        CONDITION_NAMES
            .iter()
            .filter(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(c, _)| SqlState(*c))
            .collect()
    }

    /// Looks a code up by its five characters; any well-formed code is accepted.
    pub fn from_code(code: &str) -> Option<SqlState> {
        let bytes: [u8; 5] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            .then_some(SqlState(bytes))
    }
}

impl fmt::Debug for SqlState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SqlState({})", self.code())
    }
}

impl fmt::Display for SqlState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_constants_carry_postgres_codes() {
        assert_eq!(SqlState::DIVISION_BY_ZERO.code(), "22012");
        assert_eq!(SqlState::UNDEFINED_TABLE.code(), "42P01");
        assert_eq!(SqlState::IN_FAILED_SQL_TRANSACTION.code(), "25P02");
        assert_eq!(SqlState::PROTOCOL_VIOLATION.code(), "08P01");
        assert_eq!(
            SqlState::DIVISION_BY_ZERO.condition_name(),
            Some("division_by_zero")
        );
        assert_eq!(SqlState::DIVISION_BY_ZERO.class(), "22");
    }

    #[test]
    fn from_code_rejects_malformed() {
        assert_eq!(
            SqlState::from_code("42P01"),
            Some(SqlState::UNDEFINED_TABLE)
        );
        assert_eq!(SqlState::from_code("42p01"), None);
        assert_eq!(SqlState::from_code("4201"), None);
    }
}
