//! FOREIGN KEY constraints as the rest of the engine sees them: the `pg_constraint` rows
//! of contype `f` read into [`ForeignKey`]s, and the value rules their checks share (key
//! equality across compatible types, PostgreSQL's `Key (a, b)=(1, 2)` text, MATCH
//! SIMPLE/FULL treatment of NULLs).
//!
//! Rules:
//! 1. A referencing key with a NULL column references nothing under MATCH SIMPLE; under
//!    MATCH FULL it must be all NULL (23503 otherwise).
//! 2. Keys compare with the referenced column's B-tree order; integer columns of
//!    different widths compare by value (PostgreSQL's cross-type `int48eq` and friends).
//!
//! Entry points: [`ForeignKey`], [`load_foreign_keys`], [`key_of`], [`keys_equal`],
//! [`key_text`]. Enforcement lives in `session::foreign_key_triggers`, DDL in
//! `session::foreign_key_ddl`.

use tusk_catalog::syscat;
use tusk_executor::OutputSettings;
use tusk_types::adt::array::int2_values;
use tusk_types::{type_oid, Datum, Oid, Result};

use crate::relcache::{CatalogReader, RelEntry};

/// `confupdtype` / `confdeltype` codes.
pub mod action {
    /// NO ACTION.
    pub const NO_ACTION: u8 = b'a';
    /// RESTRICT.
    pub const RESTRICT: u8 = b'r';
    /// CASCADE.
    pub const CASCADE: u8 = b'c';
    /// SET NULL.
    pub const SET_NULL: u8 = b'n';
    /// SET DEFAULT.
    pub const SET_DEFAULT: u8 = b'd';
}

/// One FOREIGN KEY constraint (a `pg_constraint` row of contype `f`).
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    /// The constraint's OID.
    pub oid: Oid,
    /// `conname`.
    pub name: String,
    /// `conrelid`: the referencing table.
    pub rel: Oid,
    /// `conkey`: referencing columns (1-based attribute numbers).
    pub attnums: Vec<i16>,
    /// `confrelid`: the referenced table.
    pub ref_rel: Oid,
    /// `confkey`: referenced columns, pairwise with `attnums`.
    pub ref_attnums: Vec<i16>,
    /// `conindid`: the referenced table's unique index the key matches.
    pub ref_index: Oid,
    /// `confupdtype`.
    pub on_update: u8,
    /// `confdeltype`.
    pub on_delete: u8,
    /// `confmatchtype` is `f` (MATCH FULL).
    pub match_full: bool,
    /// `condeferrable`.
    pub deferrable: bool,
    /// `condeferred` (INITIALLY DEFERRED).
    pub initially_deferred: bool,
}

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn code_of(d: &Datum) -> u8 {
    match d {
        Datum::Text(t) => t.bytes().next().unwrap_or(b' '),
        _ => b' ',
    }
}

/// The FOREIGN KEY constraint described by a `pg_constraint` row, `None` for other kinds.
pub fn foreign_key_from_row(row: &[Datum]) -> Option<ForeignKey> {
    let c = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
    if code_of(&row[c.col("contype")]) != b'f' {
        return None;
    }
    Some(ForeignKey {
        oid: oid_of(&row[c.col("oid")]),
        name: match &row[c.col("conname")] {
            Datum::Text(t) => t.clone(),
            _ => String::new(),
        },
        rel: oid_of(&row[c.col("conrelid")]),
        attnums: int2_values(&row[c.col("conkey")]),
        ref_rel: oid_of(&row[c.col("confrelid")]),
        ref_attnums: int2_values(&row[c.col("confkey")]),
        ref_index: oid_of(&row[c.col("conindid")]),
        on_update: code_of(&row[c.col("confupdtype")]),
        on_delete: code_of(&row[c.col("confdeltype")]),
        match_full: code_of(&row[c.col("confmatchtype")]) == b'f',
        deferrable: matches!(row[c.col("condeferrable")], Datum::Bool(true)),
        initially_deferred: matches!(row[c.col("condeferred")], Datum::Bool(true)),
    })
}

/// Every FOREIGN KEY constraint of the database visible to `reader`, by constraint OID.
///
/// Errors: catalog read errors.
pub fn load_foreign_keys(reader: &CatalogReader<'_>) -> Result<Vec<ForeignKey>> {
    let c = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
    let mut out: Vec<ForeignKey> = reader
        .rows(c)?
        .iter()
        .filter_map(|r| foreign_key_from_row(r))
        .collect();
    out.sort_by_key(|f| f.oid);
    Ok(out)
}

/// The values of columns `attnums` (1-based) of `row`.
pub fn key_of(row: &[Datum], attnums: &[i16]) -> Vec<Datum> {
    attnums
        .iter()
        .map(|&a| row.get(a as usize - 1).cloned().unwrap_or(Datum::Null))
        .collect()
}

/// What a referencing key's NULLs mean (rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyNulls {
    /// No NULL: the referenced row must exist.
    None,
    /// References nothing (MATCH SIMPLE with a NULL, or all NULL).
    Exempt,
    /// MATCH FULL with some but not all columns NULL: a violation.
    Mixed,
}

/// Classifies a referencing key's NULLs (rule 1).
pub fn key_nulls(key: &[Datum], match_full: bool) -> KeyNulls {
    let nulls = key.iter().filter(|d| d.is_null()).count();
    if nulls == 0 {
        KeyNulls::None
    } else if !match_full || nulls == key.len() {
        KeyNulls::Exempt
    } else {
        KeyNulls::Mixed
    }
}

fn as_i64(d: &Datum) -> Option<i64> {
    match d {
        Datum::Int2(v) => Some(i64::from(*v)),
        Datum::Int4(v) => Some(i64::from(*v)),
        Datum::Int8(v) => Some(*v),
        _ => None,
    }
}

/// Whether a referencing column of type `fk` can reference a column of type `pk`: equal
/// types, integers of any width, the text family, or an integer referencing a numeric
/// (PostgreSQL promotes the referencing side implicitly, never the referenced one).
pub fn types_compatible(fk: Oid, pk: Oid) -> bool {
    let int = |t: Oid| [type_oid::INT2, type_oid::INT4, type_oid::INT8].contains(&t);
    let text = |t: Oid| [type_oid::TEXT, type_oid::VARCHAR].contains(&t);
    fk == pk
        || (int(fk) && int(pk))
        || (text(fk) && text(pk))
        || (int(fk) && pk == type_oid::NUMERIC)
}

/// Whether value `a` equals value `b` of column type `type_oid` (rule 2).
pub fn datums_equal(a: &Datum, b: &Datum, type_oid: Oid) -> bool {
    if a.is_null() || b.is_null() {
        return false;
    }
    if let (Some(x), Some(y)) = (as_i64(a), as_i64(b)) {
        return x == y;
    }
    match (a, b) {
        (Datum::Numeric(_), _) if as_i64(b).is_some() => {
            return datums_equal(a, &cast_integer(b, type_oid::NUMERIC), type_oid::NUMERIC)
        }
        (_, Datum::Numeric(_)) if as_i64(a).is_some() => {
            return datums_equal(&cast_integer(a, type_oid::NUMERIC), b, type_oid::NUMERIC)
        }
        _ => {}
    }
    if std::mem::discriminant(a) != std::mem::discriminant(b) {
        return false;
    }
    tusk_access::nbtree::compare_datums(type_oid, a, b) == std::cmp::Ordering::Equal
}

/// Whether keys `a` and `b` are equal column by column, `types` being the columns' types.
pub fn keys_equal(a: &[Datum], b: &[Datum], types: &[Oid]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .zip(types)
            .all(|((x, y), t)| datums_equal(x, y, *t))
}

/// An integer `value` as a value of integer or numeric type `to` (index scan keys and
/// cascaded values); other values unchanged.
pub fn cast_integer(value: &Datum, to: Oid) -> Datum {
    match (as_i64(value), to) {
        (Some(v), t) if t == type_oid::NUMERIC => {
            Datum::Numeric(tusk_types::adt::numeric::Numeric::from(v))
        }
        (Some(v), t) if t == type_oid::INT8 => Datum::Int8(v),
        (Some(v), t) if t == type_oid::INT4 => i32::try_from(v)
            .map(Datum::Int4)
            .unwrap_or_else(|_| value.clone()),
        (Some(v), t) if t == type_oid::INT2 => i16::try_from(v)
            .map(Datum::Int2)
            .unwrap_or_else(|_| value.clone()),
        _ => value.clone(),
    }
}

/// The types of columns `attnums` of `entry`.
pub fn column_types(entry: &RelEntry, attnums: &[i16]) -> Vec<Oid> {
    attnums
        .iter()
        .map(|&a| entry.info.columns[a as usize - 1].type_oid)
        .collect()
}

/// PostgreSQL's `Key (a, b)=(1, 2)` text for columns `attnums` of `entry` holding `key`
/// (`null` for NULL values).
///
/// Errors: type output errors.
pub fn key_text(
    entry: &RelEntry,
    attnums: &[i16],
    key: &[Datum],
    output: &OutputSettings,
) -> Result<String> {
    let mut names = Vec::with_capacity(attnums.len());
    let mut values = Vec::with_capacity(attnums.len());
    for (&a, v) in attnums.iter().zip(key) {
        let column = &entry.info.columns[a as usize - 1];
        names.push(column.name.clone());
        values.push(if v.is_null() {
            "null".to_string()
        } else {
            tusk_executor::io::text_out_string(v, column.type_oid, output)?
        });
    }
    Ok(format!(
        "Key ({})=({})",
        names.join(", "),
        values.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_simple_exempts_any_null_and_match_full_only_all_null() {
        let mixed = [Datum::Int4(1), Datum::Null];
        let all = [Datum::Null, Datum::Null];
        let none = [Datum::Int4(1), Datum::Int4(2)];
        assert_eq!(key_nulls(&mixed, false), KeyNulls::Exempt);
        assert_eq!(key_nulls(&mixed, true), KeyNulls::Mixed);
        assert_eq!(key_nulls(&all, true), KeyNulls::Exempt);
        assert_eq!(key_nulls(&none, true), KeyNulls::None);
    }

    #[test]
    fn integer_keys_compare_by_value_across_widths() {
        assert!(datums_equal(
            &Datum::Int4(5),
            &Datum::Int8(5),
            type_oid::INT8
        ));
        assert!(!datums_equal(
            &Datum::Int4(5),
            &Datum::Int8(6),
            type_oid::INT8
        ));
        assert!(!datums_equal(&Datum::Null, &Datum::Null, type_oid::INT4));
        assert!(datums_equal(
            &Datum::Text("a".into()),
            &Datum::Text("a".into()),
            type_oid::TEXT
        ));
        assert_eq!(
            cast_integer(&Datum::Int4(7), type_oid::INT8),
            Datum::Int8(7)
        );
        assert!(types_compatible(type_oid::INT4, type_oid::INT8));
        assert!(!types_compatible(type_oid::INT4, type_oid::TEXT));
    }
}
