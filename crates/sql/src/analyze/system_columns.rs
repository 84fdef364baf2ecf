//! System columns: the attributes every heap relation has besides its own (PostgreSQL's
//! `SystemAttributeDefinition`), with negative attribute numbers.
//!
//! ```text
//!  attnum  name      type  value
//!  -1      ctid      tid   (block, offset) of the row version read
//!  -2      xmin      xid   inserting transaction
//!  -3      cmin      cid   command id field of the tuple header
//!  -4      xmax      xid   deleting or locking transaction (0 if none)
//!  -5      cmax      cid   command id field of the tuple header (as cmin)
//!  -6      tableoid  oid   the relation's OID
//! ```
//!
//! Layout rule: when a statement references system columns, each relation in its FROM
//! clause (and the target of an INSERT/UPDATE/DELETE) gets [`SYSTEM_COLUMNS`]`.len()`
//! extra slots after its attributes, in the order of the table above; the executor's
//! scans fill them. They are never part of `*`. Whether a statement references them is
//! decided from its text ([`mentions_system_column`]): a conservative test, so a false
//! match only costs the extra slots, never a wrong result.
//!
//! Entry points: [`SYSTEM_COLUMNS`], [`system_column`], [`mentions_system_column`].

use tusk_types::{type_oid, Oid};

use super::expr::ScopeColumn;
use super::{Analyzer, RelationInfo};

/// One system column: name, attribute number, type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemColumn {
    /// `attname`.
    pub name: &'static str,
    /// `attnum` (negative).
    pub attnum: i16,
    /// `atttypid`.
    pub type_oid: Oid,
}

/// The system columns in attribute-number order (-1 first), as PostgreSQL 15 has them.
pub const SYSTEM_COLUMNS: [SystemColumn; 6] = [
    SystemColumn {
        name: "ctid",
        attnum: -1,
        type_oid: type_oid::TID,
    },
    SystemColumn {
        name: "xmin",
        attnum: -2,
        type_oid: type_oid::XID,
    },
    SystemColumn {
        name: "cmin",
        attnum: -3,
        type_oid: type_oid::CID,
    },
    SystemColumn {
        name: "xmax",
        attnum: -4,
        type_oid: type_oid::XID,
    },
    SystemColumn {
        name: "cmax",
        attnum: -5,
        type_oid: type_oid::CID,
    },
    SystemColumn {
        name: "tableoid",
        attnum: -6,
        type_oid: type_oid::OID,
    },
];

/// The system column called `name`, if any.
pub fn system_column(name: &str) -> Option<&'static SystemColumn> {
    SYSTEM_COLUMNS.iter().find(|c| c.name == name)
}

/// Whether relations of kind `relkind` have system columns (those with heap storage).
pub fn has_system_columns(relkind: u8) -> bool {
    matches!(relkind, b'r' | b'm' | b'S' | b't' | b'p')
}

/// Whether `sql` contains a system column's name as a whole word (any case, quoted or
/// not).
pub fn mentions_system_column(sql: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    SYSTEM_COLUMNS.iter().any(|c| {
        lower.match_indices(c.name).any(|(at, _)| {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + c.name.len()).copied();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
    })
}

impl Analyzer<'_> {
    /// The system columns of `relation` as scope columns at slots after its attributes
    /// (its row starting at slot `offset`); none if the relation has no system columns or
    /// the statement does not mention them (the layout rule above).
    pub(super) fn system_scope_columns(
        &self,
        relation: &RelationInfo,
        offset: usize,
    ) -> Vec<ScopeColumn> {
        let wanted = mentions_system_column(self.sql)
            || self.definition_system_columns
            || !self.lock_clauses.is_empty();
        if !has_system_columns(relation.kind) || !wanted {
            return Vec::new();
        }
        let base = offset + relation.columns.len();
        SYSTEM_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| ScopeColumn::slot(c.name.to_string(), base + i, c.type_oid, -1))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        assert!(mentions_system_column("select ctid from t"));
        assert!(mentions_system_column("SELECT t.XMIN FROM t"));
        assert!(mentions_system_column("select \"tableoid\" from t"));
        assert!(!mentions_system_column("select xmin_value, my_ctid from t"));
        assert!(!mentions_system_column("select 1"));
    }

    #[test]
    fn attribute_numbers_descend_from_minus_one() {
        for (i, c) in SYSTEM_COLUMNS.iter().enumerate() {
            assert_eq!(c.attnum, -(i as i16) - 1);
        }
        assert_eq!(system_column("cmax").map(|c| c.attnum), Some(-5));
        assert_eq!(system_column("oid"), None);
    }
}
