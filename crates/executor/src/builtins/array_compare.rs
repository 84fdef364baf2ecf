//! Array comparison (PostgreSQL docs §9.19): `=`, `<>`, `<`, `>`, `<=`, `>=` by
//! `btarraycmp`'s order, and the containment operators `@>`, `<@`, `&&`.
//!
//! Order: elements pairwise in storage order (NULL equals NULL and sorts after every
//! value); if one array is a prefix of the other, fewer elements first, then fewer
//! dimensions, then per dimension the smaller length, then the smaller lower bound.
//! Equality needs the same dimensions and lower bounds.
//!
//! Containment ignores dimensions (elements are a flat multiset) and never matches a NULL.

use std::cmp::Ordering;

use tusk_types::adt::array::Array;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::compare::compare;
use super::{reg, Table};

fn array(d: &Datum) -> Result<&Array> {
    match d {
        Datum::Array(a) => Ok(a),
        other => Err(tusk_types::Error::internal(format!(
            "array function called with {other:?}"
        ))),
    }
}

fn check_element_types(a: &Array, b: &Array) -> Result<()> {
    if a.elem_type != b.elem_type && a.elem_type != Oid::INVALID && b.elem_type != Oid::INVALID {
        return Err(pg_err!(
            DATATYPE_MISMATCH,
            "cannot compare arrays of different element types"
        ));
    }
    Ok(())
}

/// Order of two (non-NULL) element values, NULL elements last.
pub(crate) fn element_order(a: &Datum, b: &Datum) -> Ordering {
    match (a, b) {
        (Datum::Null, Datum::Null) => Ordering::Equal,
        (Datum::Null, _) => Ordering::Greater,
        (_, Datum::Null) => Ordering::Less,
        (Datum::Array(x), Datum::Array(y)) => array_order(x, y),
        (Datum::Record(x), Datum::Record(y)) => super::record_compare::record_order(x, y),
        _ => compare(a, b),
    }
}

/// `btarraycmp`'s total order.
pub(crate) fn array_order(a: &Array, b: &Array) -> Ordering {
    for (x, y) in a.elems.iter().zip(&b.elems) {
        let o = element_order(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    a.elems
        .len()
        .cmp(&b.elems.len())
        .then(a.dims.len().cmp(&b.dims.len()))
        .then_with(|| {
            for (x, y) in a.dims.iter().zip(&b.dims) {
                let o = x.len.cmp(&y.len).then(x.lower.cmp(&y.lower));
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        })
}

/// `array_eq`: same shape, and pairwise equal elements (NULL equal to NULL).
pub(crate) fn array_equal(a: &Array, b: &Array) -> bool {
    a.dims == b.dims
        && a.elems.len() == b.elems.len()
        && a.elems
            .iter()
            .zip(&b.elems)
            .all(|(x, y)| element_order(x, y) == Ordering::Equal)
}

/// Whether every (`all`) or some (not `all`) element of `a` equals an element of `b`;
/// NULLs never match (PostgreSQL's `array_contain_compare`).
fn contain(a: &Array, b: &Array, all: bool) -> bool {
    for x in &a.elems {
        let found = !x.is_null()
            && b.elems
                .iter()
                .any(|y| !y.is_null() && element_order(x, y) == Ordering::Equal);
        if found && !all {
            return true;
        }
        if !found && all {
            return false;
        }
    }
    all
}

fn cmp_args(a: &[Datum]) -> Result<Ordering> {
    let (x, y) = (array(&a[0])?, array(&a[1])?);
    check_element_types(x, y)?;
    Ok(array_order(x, y))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["array_eq"], |_, a| {
        let (x, y) = (array(&a[0])?, array(&a[1])?);
        check_element_types(x, y)?;
        Ok(Datum::Bool(array_equal(x, y)))
    });
    reg(t, &["array_ne"], |_, a| {
        let (x, y) = (array(&a[0])?, array(&a[1])?);
        check_element_types(x, y)?;
        Ok(Datum::Bool(!array_equal(x, y)))
    });
    reg(t, &["array_lt"], |_, a| {
        Ok(Datum::Bool(cmp_args(a)? == Ordering::Less))
    });
    reg(t, &["array_gt"], |_, a| {
        Ok(Datum::Bool(cmp_args(a)? == Ordering::Greater))
    });
    reg(t, &["array_le"], |_, a| {
        Ok(Datum::Bool(cmp_args(a)? != Ordering::Greater))
    });
    reg(t, &["array_ge"], |_, a| {
        Ok(Datum::Bool(cmp_args(a)? != Ordering::Less))
    });
    reg(t, &["btarraycmp"], |_, a| {
        Ok(Datum::Int4(match cmp_args(a)? {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["array_larger"], |_, a| {
        Ok(if cmp_args(a)? == Ordering::Less {
            a[1].clone()
        } else {
            a[0].clone()
        })
    });
    reg(t, &["array_smaller"], |_, a| {
        Ok(if cmp_args(a)? == Ordering::Greater {
            a[1].clone()
        } else {
            a[0].clone()
        })
    });
    reg(t, &["arraycontains"], |_, a| {
        let (x, y) = (array(&a[0])?, array(&a[1])?);
        check_element_types(x, y)?;
        Ok(Datum::Bool(contain(y, x, true)))
    });
    reg(t, &["arraycontained"], |_, a| {
        let (x, y) = (array(&a[0])?, array(&a[1])?);
        check_element_types(x, y)?;
        Ok(Datum::Bool(contain(x, y, true)))
    });
    reg(t, &["arrayoverlap"], |_, a| {
        let (x, y) = (array(&a[0])?, array(&a[1])?);
        check_element_types(x, y)?;
        Ok(Datum::Bool(contain(x, y, false)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::adt::array::ArrayDim;
    use tusk_types::type_oid;

    fn ints(v: &[Option<i32>]) -> Array {
        Array::from_elements(
            type_oid::INT4,
            v.iter()
                .map(|i| i.map_or(Datum::Null, Datum::Int4))
                .collect(),
        )
    }

    #[test]
    fn order_is_elementwise_then_by_shape() {
        assert_eq!(
            array_order(&ints(&[Some(1), Some(2)]), &ints(&[Some(1), Some(3)])),
            Ordering::Less
        );
        assert_eq!(
            array_order(
                &ints(&[Some(1), Some(2)]),
                &ints(&[Some(1), Some(2), Some(0)])
            ),
            Ordering::Less
        );
        assert_eq!(
            array_order(&ints(&[Some(1), None]), &ints(&[Some(1), Some(9)])),
            Ordering::Greater
        );
        let mut shifted = ints(&[Some(1), Some(2)]);
        shifted.dims[0] = ArrayDim { len: 2, lower: 0 };
        assert!(!array_equal(&shifted, &ints(&[Some(1), Some(2)])));
        assert_eq!(
            array_order(&shifted, &ints(&[Some(1), Some(2)])),
            Ordering::Less
        );
        assert!(array_equal(&ints(&[None]), &ints(&[None])));
    }

    #[test]
    fn containment_never_matches_null() {
        let a = ints(&[Some(1), Some(2), None]);
        assert!(contain(&ints(&[Some(2), Some(1)]), &a, true));
        assert!(!contain(&ints(&[None]), &a, true));
        assert!(contain(&ints(&[]), &a, true));
        assert!(contain(&ints(&[Some(7), Some(2)]), &a, false));
        assert!(!contain(&ints(&[Some(7), None]), &a, false));
    }
}
