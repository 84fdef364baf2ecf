//! `Datum`: one SQL value in memory, tagged by its representation.
//!
//! The SQL type (OID and typmod) travels beside the value (in the plan or the row
//! descriptor), not inside it: several SQL types share one representation (`text`,
//! `varchar`, `bpchar` and `name` are all [`Datum::Text`]; `oid` and the reg* types are
//! [`Datum::Oid`]). Text and binary I/O per SQL type live in the executor.

/// One SQL value.
#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    /// SQL NULL.
    Null,
    /// `boolean`.
    Bool(bool),
    /// `smallint`.
    Int2(i16),
    /// `integer`.
    Int4(i32),
    /// `bigint`.
    Int8(i64),
    /// `real`.
    Float4(f32),
    /// `double precision`.
    Float8(f64),
    /// `numeric`.
    Numeric(crate::adt::numeric::Numeric),
    /// `oid` and the reg* types, `xid`, `cid`.
    Oid(u32),
    /// `text`, `varchar`, `bpchar`, `name`, `"char"`, `unknown` literals, `json`.
    Text(String),
    /// `bytea`.
    Bytea(Vec<u8>),
    /// `date`: days since 2000-01-01 (`i32::MIN`/`MAX` are -infinity/infinity).
    Date(i32),
    /// `time`: microseconds since midnight.
    Time(i64),
    /// `timestamp`: microseconds since 2000-01-01 00:00:00 (`i64::MIN`/`MAX` are infinities).
    Timestamp(i64),
    /// `timestamptz`: microseconds since 2000-01-01 00:00:00 UTC.
    TimestampTz(i64),
    /// `interval`: months, days and microseconds, kept apart as PostgreSQL does.
    Interval {
        /// Months (years are 12 months).
        months: i32,
        /// Days (not folded into months).
        days: i32,
        /// Microseconds.
        micros: i64,
    },
    /// An array of any element type (`int4[]`, `text[][]`, ...), also `oidvector` and
    /// `int2vector`; boxed to keep `Datum` small.
    Array(Box<crate::adt::array::Array>),
    /// A composite value (`record` or a row type), with its field types and names; boxed
    /// to keep `Datum` small.
    Record(Box<crate::adt::record::Record>),
    /// A range value (`int4range`, `numrange`, `tstzrange`, ...), bounds in the subtype's
    /// representation; boxed to keep `Datum` small.
    Range(Box<crate::adt::range::Range>),
    /// A multirange value (`int4multirange`, `nummultirange`, ...), in canonical form.
    Multirange(Box<crate::adt::multirange::Multirange>),
}

impl Datum {
    /// True for SQL NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Datum::Null)
    }
}
