//! Record comparison (PostgreSQL docs §9.24.6, "Composite Type Comparison"): `=`, `<>`,
//! `<`, `>`, `<=`, `>=` and `btrecordcmp` over whole record values, and the `*=` family
//! (`record_image_*`), which tusk orders the same way.
//!
//! Unlike a row constructor comparison (`ROW(a,b) = ROW(c,d)`, compared column by column
//! with SQL's NULL rules), record comparison is a total order for sorting and indexing:
//! fields pairwise left to right, two NULLs equal, NULL after every non-NULL value.
//!
//! Errors: 42804 `cannot compare record types with different numbers of columns` and
//! `cannot compare dissimilar column types T1 and T2 at record column N`.

use std::cmp::Ordering;

use tusk_types::adt::record::Record;
use tusk_types::{pg_err, Datum, Error, Result};

use super::array_compare::element_order;
use super::{reg, Table};

/// Field-by-field order of two records (NULL fields last), then fewer fields first.
pub(crate) fn record_order(a: &Record, b: &Record) -> Ordering {
    for (x, y) in a.values.iter().zip(&b.values) {
        let o = element_order(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    a.values.len().cmp(&b.values.len())
}

fn record(d: &Datum) -> Result<&Record> {
    match d {
        Datum::Record(r) => Ok(r),
        other => Err(Error::internal(format!(
            "record function called with {other:?}"
        ))),
    }
}

/// `record_cmp`: the order, after PostgreSQL's shape checks.
fn record_cmp(args: &[Datum]) -> Result<Ordering> {
    let (a, b) = (record(&args[0])?, record(&args[1])?);
    for (i, (x, y)) in a.desc.fields.iter().zip(&b.desc.fields).enumerate() {
        let (tx, ty) = (x.type_oid, y.type_oid);
        if tx != ty {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "cannot compare dissimilar column types {} and {} at record column {}",
                crate::io::format_type(tx),
                crate::io::format_type(ty),
                i + 1
            ));
        }
        let o = element_order(&a.values[i], &b.values[i]);
        if o != Ordering::Equal {
            return Ok(o);
        }
    }
    if a.values.len() != b.values.len() {
        return Err(pg_err!(
            DATATYPE_MISMATCH,
            "cannot compare record types with different numbers of columns"
        ));
    }
    Ok(Ordering::Equal)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["record_eq", "record_image_eq"], |_, a| {
        Ok(Datum::Bool(record_cmp(a)? == Ordering::Equal))
    });
    reg(t, &["record_ne", "record_image_ne"], |_, a| {
        Ok(Datum::Bool(record_cmp(a)? != Ordering::Equal))
    });
    reg(t, &["record_lt", "record_image_lt"], |_, a| {
        Ok(Datum::Bool(record_cmp(a)? == Ordering::Less))
    });
    reg(t, &["record_gt", "record_image_gt"], |_, a| {
        Ok(Datum::Bool(record_cmp(a)? == Ordering::Greater))
    });
    reg(t, &["record_le", "record_image_le"], |_, a| {
        Ok(Datum::Bool(record_cmp(a)? != Ordering::Greater))
    });
    reg(t, &["record_ge", "record_image_ge"], |_, a| {
        Ok(Datum::Bool(record_cmp(a)? != Ordering::Less))
    });
    reg(t, &["btrecordcmp", "btrecordimagecmp"], |_, a| {
        Ok(Datum::Int4(match record_cmp(a)? {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use tusk_types::adt::record::{RecordDesc, RecordField};
    use tusk_types::{type_oid, Oid};

    fn rec(types: &[Oid], values: Vec<Datum>) -> Datum {
        let fields = types
            .iter()
            .enumerate()
            .map(|(i, t)| RecordField {
                name: format!("f{}", i + 1),
                type_oid: *t,
                typmod: -1,
            })
            .collect();
        let desc = Arc::new(RecordDesc {
            type_oid: type_oid::RECORD,
            fields,
        });
        Datum::Record(Box::new(Record::new(desc, values)))
    }

    #[test]
    fn nulls_are_equal_and_sort_last() {
        let ints = [type_oid::INT4, type_oid::INT4];
        let a = rec(&ints, vec![Datum::Int4(1), Datum::Null]);
        let b = rec(&ints, vec![Datum::Int4(1), Datum::Null]);
        let c = rec(&ints, vec![Datum::Int4(1), Datum::Int4(5)]);
        assert_eq!(record_cmp(&[a.clone(), b]).expect("cmp"), Ordering::Equal);
        assert_eq!(record_cmp(&[a, c]).expect("cmp"), Ordering::Greater);
    }

    #[test]
    fn dissimilar_shapes_are_refused() {
        let a = rec(&[type_oid::INT4], vec![Datum::Int4(1)]);
        let b = rec(&[type_oid::TEXT], vec![Datum::Text("x".into())]);
        let e = record_cmp(&[a.clone(), b]).expect_err("dissimilar");
        assert_eq!(
            e.message,
            "cannot compare dissimilar column types integer and text at record column 1"
        );
        let c = rec(
            &[type_oid::INT4, type_oid::INT4],
            vec![Datum::Int4(1), Datum::Int4(2)],
        );
        let e = record_cmp(&[a, c]).expect_err("count");
        assert_eq!(
            e.message,
            "cannot compare record types with different numbers of columns"
        );
    }
}
