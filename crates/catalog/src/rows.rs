//! A system catalog's visible rows, decoded once and looked up by OID-valued columns
//! (PostgreSQL reaches the same rows through its catalog caches and catalog indexes,
//! such as `pg_class_oid_index` and `pg_attribute_relid_attnum_index`).
//!
//! Invariant: the rows are those one catalog snapshot sees, in heap order, with one
//! [`Datum`] per column of the catalog's [`crate::syscat::SysCatalog`] description. A
//! lookup map for a column is built on its first use and kept with the rows, so a backend
//! that caches a [`CatalogRows`] pays for each map once per catalog generation.
//!
//! Entry point: [`CatalogRows`].

use std::collections::HashMap;
use std::sync::OnceLock;

use tusk_types::{Datum, Oid};

/// The visible rows of one system catalog (see the module header).
pub struct CatalogRows {
    rows: Vec<Vec<Datum>>,
    /// Per column: row positions by the column's OID value, built on first use.
    by_column: Vec<OnceLock<HashMap<u32, Vec<usize>>>>,
}

impl CatalogRows {
    /// Rows of a catalog with `columns` columns each.
    pub fn new(columns: usize, rows: Vec<Vec<Datum>>) -> CatalogRows {
        CatalogRows {
            rows,
            by_column: (0..columns).map(|_| OnceLock::new()).collect(),
        }
    }

    /// All rows, in heap order.
    pub fn rows(&self) -> &[Vec<Datum>] {
        &self.rows
    }

    /// Iterates over all rows, in heap order.
    pub fn iter(&self) -> std::slice::Iter<'_, Vec<Datum>> {
        self.rows.iter()
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the catalog has no visible rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows whose column `column` (an OID-valued column such as `oid`, `attrelid`,
    /// `relnamespace`) equals `key`, in heap order. A column outside the catalog matches
    /// nothing.
    pub fn matching(&self, column: usize, key: Oid) -> impl Iterator<Item = &Vec<Datum>> {
        let positions = self
            .by_column
            .get(column)
            .map(|cell| {
                cell.get_or_init(|| {
                    let mut map: HashMap<u32, Vec<usize>> = HashMap::new();
                    for (i, row) in self.rows.iter().enumerate() {
                        if let Some(v) = row.get(column).and_then(oid_value) {
                            map.entry(v).or_default().push(i);
                        }
                    }
                    map
                })
            })
            .and_then(|map| map.get(&key.0));
        positions.into_iter().flatten().map(move |&i| &self.rows[i])
    }

    /// The first row whose column `column` equals `key` (for a catalog's `oid` column,
    /// the one row with that OID).
    pub fn first_matching(&self, column: usize, key: Oid) -> Option<&Vec<Datum>> {
        self.matching(column, key).next()
    }
}

impl<'a> IntoIterator for &'a CatalogRows {
    type Item = &'a Vec<Datum>;
    type IntoIter = std::slice::Iter<'a, Vec<Datum>>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

/// The value of an OID-valued catalog column (`oid`, `regproc`, ... are stored as OIDs;
/// a few catalog columns hold OIDs as `int4`).
fn oid_value(d: &Datum) -> Option<u32> {
    match d {
        Datum::Oid(o) => Some(*o),
        Datum::Int4(i) => Some(*i as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> CatalogRows {
        CatalogRows::new(
            2,
            vec![
                vec![Datum::Oid(1), Datum::Oid(10)],
                vec![Datum::Oid(2), Datum::Oid(20)],
                vec![Datum::Oid(3), Datum::Oid(10)],
                vec![Datum::Null, Datum::Oid(10)],
            ],
        )
    }

    #[test]
    fn matching_returns_rows_with_the_key_in_heap_order() {
        let r = rows();
        let found: Vec<_> = r.matching(1, Oid(10)).map(|row| row[0].clone()).collect();
        assert_eq!(found, vec![Datum::Oid(1), Datum::Oid(3), Datum::Null]);
        assert_eq!(
            r.first_matching(0, Oid(2)).map(|row| &row[1]),
            Some(&Datum::Oid(20))
        );
    }

    #[test]
    fn absent_keys_nulls_and_unknown_columns_match_nothing() {
        let r = rows();
        assert_eq!(r.matching(0, Oid(99)).count(), 0);
        assert_eq!(r.matching(7, Oid(1)).count(), 0);
        assert_eq!(r.len(), 4);
        assert_eq!(r.iter().count(), 4);
    }
}
