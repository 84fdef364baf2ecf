//! Declarative partitioning in the AST: `PARTITION BY` of CREATE TABLE (the partition
//! key), the bound of `PARTITION OF ... FOR VALUES` and of `ALTER TABLE ... ATTACH
//! PARTITION`, as PostgreSQL's raw `PartitionSpec` and `PartitionBoundSpec`.
//!
//! Bound values stay expressions here; the engine evaluates them as constants of the key
//! columns' types (PostgreSQL's `transformPartitionBound`).

use crate::ast::{Expr, RangeVar};

/// A partitioning strategy (`pg_partitioned_table.partstrat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionStrategy {
    /// `RANGE` (`r`).
    Range,
    /// `LIST` (`l`).
    List,
    /// `HASH` (`h`).
    Hash,
}

impl PartitionStrategy {
    /// The `partstrat` letter.
    pub fn code(self) -> char {
        match self {
            PartitionStrategy::Range => 'r',
            PartitionStrategy::List => 'l',
            PartitionStrategy::Hash => 'h',
        }
    }

    /// From a `partstrat` letter.
    pub fn from_code(code: char) -> Option<PartitionStrategy> {
        match code {
            'r' => Some(PartitionStrategy::Range),
            'l' => Some(PartitionStrategy::List),
            'h' => Some(PartitionStrategy::Hash),
            _ => None,
        }
    }

    /// The keyword, as `pg_get_partkeydef` prints it.
    pub fn keyword(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        }
    }
}

/// `PARTITION BY strategy (key, ...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionSpec {
    /// The strategy.
    pub strategy: PartitionStrategy,
    /// The key columns, in order: a column's name, or empty for an expression.
    pub columns: Vec<String>,
    /// The key expressions, parallel to `columns` (`None` for a plain column).
    pub exprs: Vec<Option<crate::ast::Expr>>,
    /// Where each key column is written (byte offset, `usize::MAX` if unknown).
    pub column_locations: Vec<usize>,
    /// The operator class each key column names, parallel to `columns`.
    pub opclasses: Vec<Option<String>>,
    /// Where the clause is written (byte offset, `usize::MAX` if unknown).
    pub location: usize,
    /// A part of the clause tusk cannot run yet (collations): refused
    /// with 0A000.
    pub unsupported: Option<String>,
}

/// One bound of a range partition: a value, or `MINVALUE` / `MAXVALUE`.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeBoundDatum {
    /// `MINVALUE`.
    MinValue,
    /// `MAXVALUE`.
    MaxValue,
    /// A value.
    Value(Expr),
}

/// `FOR VALUES ...` or `DEFAULT`.
#[derive(Debug, Clone, PartialEq)]
pub enum PartitionBoundSpec {
    /// `DEFAULT`.
    Default,
    /// `FOR VALUES IN (v, ...)`.
    List(Vec<Expr>),
    /// `FOR VALUES FROM (...) TO (...)`.
    Range {
        /// The inclusive lower bound.
        from: Vec<RangeBoundDatum>,
        /// The exclusive upper bound.
        to: Vec<RangeBoundDatum>,
    },
    /// `FOR VALUES WITH (MODULUS m, REMAINDER r)`.
    Hash {
        /// `MODULUS`.
        modulus: i32,
        /// `REMAINDER`.
        remainder: i32,
    },
}

/// `PARTITION OF parent bound` of CREATE TABLE.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionOf {
    /// The partitioned parent.
    pub parent: RangeVar,
    /// The bound.
    pub bound: PartitionBoundSpec,
    /// Where the bound is written (byte offset, `usize::MAX` if unknown).
    pub location: usize,
}

/// The partitioning clauses of CREATE TABLE.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PartitionClause {
    /// `PARTITION BY`: the new table is partitioned.
    pub by: Option<PartitionSpec>,
    /// `PARTITION OF`: the new table is a partition.
    pub of: Option<PartitionOf>,
}
