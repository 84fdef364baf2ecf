//! B-tree indexes as the planner and the executor see them: what a relation's indexes
//! are ([`IndexInfo`], from [`crate::TableAccess::indexes`]) and what an index scan asks
//! for ([`IndexScanKey`], [`ScanDirection`], handed to [`crate::TableAccess::index_scan`]).
//!
//! Operator families: a scan key compares an index column with a value by the column's
//! B-tree operator family (PostgreSQL's `integer_ops`, `float_ops`, `text_ops`, ...).
//! [`btree_family`] names the family of a type; a key is only built when the operator's
//! two input types are in the column's family, so the index orders values exactly as the
//! operator compares them (cross-type `int4 = int8` included).
//!
//! Entry points: [`IndexInfo`], [`IndexScanKey`], [`btree_family`], [`key_holds`].

use std::cmp::Ordering;

use tusk_types::{type_oid, Datum, Oid};

/// One key column of an index (`pg_index.indkey` entry with its `indoption`).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexColumnInfo {
    /// Table attribute number (1-based; 0 for an expression column).
    pub attnum: i16,
    /// The expression an expression column computes, over the table's row.
    pub expr: Option<tusk_sql::analyze::TypedExpr>,
    /// The column's type (`atttypid`).
    pub type_oid: Oid,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS FIRST`.
    pub nulls_first: bool,
}

/// A valid B-tree index of a relation (`pg_index` with `indisvalid`).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexInfo {
    /// The index's `pg_class.oid`.
    pub oid: Oid,
    /// Its name.
    pub name: String,
    /// Key columns in index order.
    pub columns: Vec<IndexColumnInfo>,
    /// `indisunique`.
    pub unique: bool,
    /// The predicate of a partial index, over the table's row.
    pub predicate: Option<tusk_sql::analyze::TypedExpr>,
}

/// A B-tree operator strategy (`BTLessStrategyNumber` .. `BTGreaterStrategyNumber`), in
/// the value order of the column's type (not the index's: a `DESC` column is the scan's
/// business).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexStrategy {
    /// `<`.
    Less,
    /// `<=`.
    LessEqual,
    /// `=`.
    Equal,
    /// `>=`.
    GreaterEqual,
    /// `>`.
    Greater,
}

impl IndexStrategy {
    /// The strategy of `b op a` when `op` is this strategy of `a op b`.
    pub fn commute(self) -> IndexStrategy {
        match self {
            IndexStrategy::Less => IndexStrategy::Greater,
            IndexStrategy::LessEqual => IndexStrategy::GreaterEqual,
            IndexStrategy::Equal => IndexStrategy::Equal,
            IndexStrategy::GreaterEqual => IndexStrategy::LessEqual,
            IndexStrategy::Greater => IndexStrategy::Less,
        }
    }

    /// The operator's name.
    pub fn operator_name(self) -> &'static str {
        match self {
            IndexStrategy::Less => "<",
            IndexStrategy::LessEqual => "<=",
            IndexStrategy::Equal => "=",
            IndexStrategy::GreaterEqual => ">=",
            IndexStrategy::Greater => ">",
        }
    }

    /// True if `ordering` (column value compared with the key value) satisfies it.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            IndexStrategy::Less => ordering == Ordering::Less,
            IndexStrategy::LessEqual => ordering != Ordering::Greater,
            IndexStrategy::Equal => ordering == Ordering::Equal,
            IndexStrategy::GreaterEqual => ordering != Ordering::Less,
            IndexStrategy::Greater => ordering == Ordering::Greater,
        }
    }
}

/// Order of an index scan's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanDirection {
    /// Index order.
    Forward,
    /// Reverse index order.
    Backward,
}

/// One condition of an index scan: `index column strategy value` (`ScanKeyData`).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexScanKey {
    /// 0-based key column of the index.
    pub column: usize,
    /// The operator.
    pub strategy: IndexStrategy,
    /// The comparison value; NULL matches nothing (the operators are strict).
    pub value: Datum,
}

/// The B-tree operator family of a type, as a small number (`None`: no family here, the
/// type cannot be searched through an index). `bpchar` has none: its comparison
/// operators here compare trailing spaces while its index order ignores them; nor has
/// `pg_lsn`, whose unsigned order the key checks here do not know.
pub fn btree_family(t: Oid) -> Option<u8> {
    Some(match t {
        type_oid::BOOL => 1,
        type_oid::INT2 | type_oid::INT4 | type_oid::INT8 => 2,
        type_oid::FLOAT4 | type_oid::FLOAT8 => 3,
        type_oid::NUMERIC => 4,
        type_oid::OID => 5,
        type_oid::TEXT | type_oid::VARCHAR | type_oid::NAME => 6,
        type_oid::BYTEA => 7,
        type_oid::DATE => 8,
        type_oid::TIME => 9,
        type_oid::TIMESTAMP => 10,
        type_oid::TIMESTAMPTZ => 11,
        type_oid::INTERVAL => 12,
        type_oid::UUID => 13,
        type_oid::CHAR => 14,
        // `range_ops`: one family per range type (no cross-type range comparisons).
        type_oid::INT4RANGE => 15,
        type_oid::INT8RANGE => 16,
        type_oid::NUMRANGE => 17,
        type_oid::DATERANGE => 18,
        type_oid::TSRANGE => 19,
        type_oid::TSTZRANGE => 20,
        // `network_ops` (inet and cidr together), `macaddr_ops`, `macaddr8_ops`.
        type_oid::INET | type_oid::CIDR => 21,
        type_oid::MACADDR => 22,
        type_oid::MACADDR8 => 23,
        // `bit_ops`, `varbit_ops`, `money_ops`, `timetz_ops`.
        type_oid::BIT => 24,
        type_oid::VARBIT => 25,
        type_oid::MONEY => 26,
        type_oid::TIMETZ => 27,
        _ => return None,
    })
}

/// Whether a column value satisfies every key on its column (`keys` filtered by the
/// caller to one column or not: each key names its column in `key_values`), comparing as
/// the comparison operators do. NULLs satisfy nothing.
pub fn key_holds(keys: &[IndexScanKey], key_values: &[Datum]) -> bool {
    keys.iter().all(|k| {
        let Some(v) = key_values.get(k.column) else {
            return false;
        };
        if v.is_null() || k.value.is_null() {
            return false;
        }
        k.strategy
            .holds(crate::builtins::compare_values(v, &k.value))
    })
}

/// Compares two key values of `column` in index order (NULLs where the column puts
/// them).
pub fn index_order(column: &IndexColumnInfo, a: &Datum, b: &Datum) -> Ordering {
    match (a.is_null(), b.is_null()) {
        (true, true) => Ordering::Equal,
        (true, false) if column.nulls_first => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, true) if column.nulls_first => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let c = crate::builtins::compare_values(a, b);
            if column.descending {
                c.reverse()
            } else {
                c
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_across_integer_widths_and_nulls_match_nothing() {
        let keys = [IndexScanKey {
            column: 0,
            strategy: IndexStrategy::GreaterEqual,
            value: Datum::Int8(5),
        }];
        assert!(key_holds(&keys, &[Datum::Int4(5)]));
        assert!(!key_holds(&keys, &[Datum::Int4(4)]));
        assert!(!key_holds(&keys, &[Datum::Null]));
        let null_key = [IndexScanKey {
            column: 0,
            strategy: IndexStrategy::Equal,
            value: Datum::Null,
        }];
        assert!(!key_holds(&null_key, &[Datum::Null]));
        assert_eq!(IndexStrategy::Less.commute(), IndexStrategy::Greater);
        assert_eq!(btree_family(type_oid::BPCHAR), None);
        assert_eq!(btree_family(type_oid::INT2), btree_family(type_oid::INT8));
    }

    #[test]
    fn index_order_puts_nulls_where_the_column_says() {
        let asc = IndexColumnInfo {
            expr: None,
            attnum: 1,
            type_oid: type_oid::INT4,
            descending: false,
            nulls_first: false,
        };
        let desc = IndexColumnInfo {
            expr: None,
            descending: true,
            nulls_first: true,
            ..asc.clone()
        };
        assert_eq!(
            index_order(&asc, &Datum::Null, &Datum::Int4(1)),
            Ordering::Greater
        );
        assert_eq!(
            index_order(&desc, &Datum::Null, &Datum::Int4(1)),
            Ordering::Less
        );
        assert_eq!(
            index_order(&desc, &Datum::Int4(2), &Datum::Int4(1)),
            Ordering::Less
        );
    }
}
