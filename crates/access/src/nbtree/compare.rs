//! Ordering of key values: the B-tree support function 1 (`BTORDER_PROC`) of the built-in
//! operator families, over [`Datum`]s.
//!
//! | family | types | order |
//! |---|---|---|
//! | `integer_ops` | `int2`, `int4`, `int8` (any pair: cross-type) | numeric |
//! | `float_ops` | `float4`, `float8` (cross-type) | numeric; `-0 = 0`; NaN above everything |
//! | `numeric_ops` | `numeric` | numeric (NaN above everything) |
//! | `text_ops`, `bpchar_ops`, `name_ops` | `text`, `varchar`, `bpchar`, `name` | bytes (the C collation); `bpchar` ignores trailing spaces |
//! | `bool_ops`, `oid_ops`, `date_ops`, `time_ops`, `timestamp_ops`, `timestamptz_ops` | | natural |
//! | `interval_ops` | `interval` | as one span, a month being 30 days (`interval_cmp`) |
//! | `bytea_ops` | `bytea` | bytes |
//! | `range_ops` | the built-in range types | `range_cmp`: empty first, then lower bound, then upper bound |
//!
//! NULLs are not ordered here: their place (first or last) is a property of the index
//! column ([`IndexColumn`](super::IndexColumn)). Values of different families do not compare;
//! [`comparable`] says whether a scan key may be used against a column, so that
//! [`compare_datums`] itself never fails.
//!
//! Entry points: [`compare_datums`], [`btree_orderable`], [`comparable`].

use std::cmp::Ordering;

use tusk_types::adt::datetime::Interval;
use tusk_types::adt::float::float8_cmp;
use tusk_types::adt::range;
use tusk_types::{type_oid, Datum, Oid};

/// True if `type_oid` has a B-tree operator class here (a column of it can be indexed).
pub fn btree_orderable(type_oid: Oid) -> bool {
    matches!(
        type_oid,
        type_oid::BOOL
            | type_oid::INT2
            | type_oid::INT4
            | type_oid::INT8
            | type_oid::FLOAT4
            | type_oid::FLOAT8
            | type_oid::NUMERIC
            | type_oid::TEXT
            | type_oid::VARCHAR
            | type_oid::BPCHAR
            | type_oid::NAME
            | type_oid::OID
            | type_oid::DATE
            | type_oid::TIME
            | type_oid::TIMESTAMP
            | type_oid::TIMESTAMPTZ
            | type_oid::INTERVAL
            | type_oid::BYTEA
            | type_oid::UUID
            | type_oid::INET
            | type_oid::CIDR
            | type_oid::MACADDR
            | type_oid::MACADDR8
            | type_oid::BIT
            | type_oid::VARBIT
            | type_oid::TIMETZ
            | type_oid::MONEY
            | type_oid::PG_LSN
            | type_oid::XID8
            | type_oid::CHAR
            | type_oid::TSVECTOR
            | type_oid::TSQUERY
    ) || type_oid::is_reg_type(type_oid)
        || range::range_subtype(type_oid).is_some()
        || tusk_types::adt::multirange::multirange_subtype(type_oid).is_some()
}

/// The operator family a non-null value belongs to, for [`comparable`].
fn family(value: &Datum) -> u8 {
    match value {
        Datum::Null => 0,
        Datum::Bool(_) => 1,
        Datum::Int2(_) | Datum::Int4(_) | Datum::Int8(_) => 2,
        Datum::Float4(_) | Datum::Float8(_) => 3,
        Datum::Numeric(_) => 4,
        Datum::Oid(_) => 5,
        Datum::Text(_) => 6,
        Datum::Bytea(_) => 7,
        Datum::Date(_) => 8,
        Datum::Time(_) => 9,
        Datum::Timestamp(_) => 10,
        Datum::TimestampTz(_) => 11,
        Datum::Interval { .. } => 12,
        // Arrays are not indexable yet (no column family takes them).
        Datum::Array(_) => 13,
        // Nor are records.
        Datum::Record(_) => 14,
        Datum::Range(_) => 15,
        Datum::Multirange(_) => 16,
    }
}

/// True if `value` (not NULL) can be compared with values of a column of type `type_oid`
/// by the column's operator family (cross-type within `integer_ops` and `float_ops`).
pub fn comparable(type_oid: Oid, value: &Datum) -> bool {
    let column_family = match type_oid {
        type_oid::BOOL => 1,
        type_oid::INT2
        | type_oid::INT4
        | type_oid::INT8
        | type_oid::PG_LSN
        | type_oid::MONEY
        | type_oid::XID8 => 2,
        type_oid::FLOAT4 | type_oid::FLOAT8 => 3,
        type_oid::NUMERIC => 4,
        t if t == type_oid::OID || type_oid::is_reg_type(t) => 5,
        type_oid::TEXT
        | type_oid::VARCHAR
        | type_oid::BPCHAR
        | type_oid::NAME
        | type_oid::CHAR
        | type_oid::TSVECTOR
        | type_oid::TSQUERY => 6,
        type_oid::BYTEA
        | type_oid::UUID
        | type_oid::INET
        | type_oid::CIDR
        | type_oid::MACADDR
        | type_oid::MACADDR8
        | type_oid::BIT
        | type_oid::VARBIT
        | type_oid::TIMETZ => 7,
        type_oid::DATE => 8,
        type_oid::TIME => 9,
        type_oid::TIMESTAMP => 10,
        type_oid::TIMESTAMPTZ => 11,
        type_oid::INTERVAL => 12,
        other if range::range_subtype(other).is_some() => 15,
        other if tusk_types::adt::multirange::multirange_subtype(other).is_some() => 16,
        _ => return false,
    };
    family(value) == column_family
}

fn int_value(d: &Datum) -> Option<i64> {
    match d {
        Datum::Int2(v) => Some(i64::from(*v)),
        Datum::Int4(v) => Some(i64::from(*v)),
        Datum::Int8(v) => Some(*v),
        _ => None,
    }
}

fn float_value(d: &Datum) -> Option<f64> {
    match d {
        Datum::Float4(v) => Some(f64::from(*v)),
        Datum::Float8(v) => Some(*v),
        _ => None,
    }
}

/// `bpcharcmp`: trailing spaces are not significant.
fn bpchar_bytes(s: &str) -> &[u8] {
    s.trim_end_matches(' ').as_bytes()
}

/// `tsvector_cmp` / `tsquery_cmp` of two values kept as their canonical text; `None` for
/// other types (or text that does not parse, which stored values always do).
fn text_search_order(type_oid: Oid, a: &str, b: &str) -> Option<Ordering> {
    use tusk_types::adt::tsearch::{tsquery_cmp, tsvector_cmp, TsQuery, TsVector};
    match type_oid {
        type_oid::TSVECTOR => Some(tsvector_cmp(
            &TsVector::parse(a).ok()?,
            &TsVector::parse(b).ok()?,
        )),
        type_oid::TSQUERY => Some(tsquery_cmp(
            &TsQuery::parse(a).ok()?,
            &TsQuery::parse(b).ok()?,
        )),
        _ => None,
    }
}

/// Compares two non-null values of a column of type `type_oid` (the type decides text
/// semantics: `bpchar` ignores trailing spaces). Values of different families (which
/// [`comparable`] rejects) order by family, so the result is still a total order.
pub fn compare_datums(type_oid: Oid, a: &Datum, b: &Datum) -> Ordering {
    if type_oid == type_oid::PG_LSN || type_oid == type_oid::XID8 {
        // WAL positions and full transaction ids are unsigned (`pg_lsn_cmp`, `xid8cmp`).
        if let (Datum::Int8(x), Datum::Int8(y)) = (a, b) {
            return (*x as u64).cmp(&(*y as u64));
        }
    }
    if let (Datum::Text(x), Datum::Text(y)) = (a, b) {
        if let Some(order) = text_search_order(type_oid, x, y) {
            return order;
        }
    }
    if let (Some(x), Some(y)) = (int_value(a), int_value(b)) {
        return x.cmp(&y);
    }
    if let (Some(x), Some(y)) = (float_value(a), float_value(b)) {
        return float8_cmp(x, y);
    }
    match (a, b) {
        (Datum::Bool(x), Datum::Bool(y)) => x.cmp(y),
        (Datum::Numeric(x), Datum::Numeric(y)) => x.cmp(y),
        (Datum::Oid(x), Datum::Oid(y)) => x.cmp(y),
        (Datum::Text(x), Datum::Text(y)) => {
            if type_oid == type_oid::BPCHAR {
                bpchar_bytes(x).cmp(bpchar_bytes(y))
            } else {
                x.as_bytes().cmp(y.as_bytes())
            }
        }
        (Datum::Bytea(x), Datum::Bytea(y)) => x.cmp(y),
        (Datum::Date(x), Datum::Date(y)) => x.cmp(y),
        (Datum::Time(x), Datum::Time(y))
        | (Datum::Timestamp(x), Datum::Timestamp(y))
        | (Datum::TimestampTz(x), Datum::TimestampTz(y)) => x.cmp(y),
        (
            Datum::Interval {
                months: m1,
                days: d1,
                micros: u1,
            },
            Datum::Interval {
                months: m2,
                days: d2,
                micros: u2,
            },
        ) => Interval::new(*m1, *d1, *u1).cmp(&Interval::new(*m2, *d2, *u2)),
        (Datum::Range(x), Datum::Range(y)) => x.range_cmp(y),
        (Datum::Multirange(x), Datum::Multirange(y)) => x.multirange_cmp(y),
        _ => family(a).cmp(&family(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::adt::numeric::Numeric;

    #[test]
    fn integers_compare_across_widths_and_floats_put_nan_last() {
        assert_eq!(
            compare_datums(type_oid::INT4, &Datum::Int2(-3), &Datum::Int8(2)),
            Ordering::Less
        );
        assert_eq!(
            compare_datums(
                type_oid::INT8,
                &Datum::Int8(i64::MAX),
                &Datum::Int4(i32::MAX)
            ),
            Ordering::Greater
        );
        assert_eq!(
            compare_datums(
                type_oid::FLOAT8,
                &Datum::Float8(f64::NAN),
                &Datum::Float4(1e30)
            ),
            Ordering::Greater
        );
        assert_eq!(
            compare_datums(type_oid::FLOAT8, &Datum::Float8(-0.0), &Datum::Float8(0.0)),
            Ordering::Equal
        );
        assert!(comparable(type_oid::INT2, &Datum::Int8(1)));
        assert!(!comparable(type_oid::INT4, &Datum::Float8(1.0)));
        assert!(!comparable(type_oid::INT4, &Datum::Null));
    }

    #[test]
    fn text_is_byte_order_and_bpchar_ignores_trailing_spaces() {
        let t = |s: &str| Datum::Text(s.to_string());
        assert_eq!(
            compare_datums(type_oid::TEXT, &t("B"), &t("a")),
            Ordering::Less
        );
        assert_eq!(
            compare_datums(type_oid::TEXT, &t("a "), &t("a")),
            Ordering::Greater
        );
        assert_eq!(
            compare_datums(type_oid::BPCHAR, &t("a  "), &t("a")),
            Ordering::Equal
        );
    }

    #[test]
    fn interval_numeric_and_datetime_orders() {
        let iv = |months, days, micros| Datum::Interval {
            months,
            days,
            micros,
        };
        // One month equals 30 days for ordering.
        assert_eq!(
            compare_datums(type_oid::INTERVAL, &iv(1, 0, 0), &iv(0, 30, 0)),
            Ordering::Equal
        );
        assert_eq!(
            compare_datums(type_oid::INTERVAL, &iv(0, 1, 0), &iv(0, 0, 86_400_000_001)),
            Ordering::Less
        );
        let n = |s: &str| Datum::Numeric(Numeric::parse(s).expect("numeric"));
        assert_eq!(
            compare_datums(type_oid::NUMERIC, &n("1.50"), &n("1.5")),
            Ordering::Equal
        );
        assert_eq!(
            compare_datums(type_oid::NUMERIC, &n("NaN"), &n("1e100")),
            Ordering::Greater
        );
        assert_eq!(
            compare_datums(type_oid::DATE, &Datum::Date(-1), &Datum::Date(0)),
            Ordering::Less
        );
        assert!(btree_orderable(type_oid::TIMESTAMPTZ));
        assert!(!btree_orderable(type_oid::POINT));
    }
}
