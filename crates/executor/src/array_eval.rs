//! Evaluation of array expressions: `ARRAY[...]` (PostgreSQL's `ExecEvalArrayExpr`),
//! subscript fetches and slices (`array_get_element`/`array_get_slice`), and
//! `op ANY/ALL (array)` (`ExecEvalScalarArrayOp`) with SQL's NULL rules.
//!
//! Subscripted assignment (`array_set_element`/`array_set_slice`, and `jsonb`'s) is
//! here too.
//!
//! Entry points: [`build_array`], [`fetch_element`], [`fetch_slice`],
//! [`scalar_array_op`], [`assign_subscripts`], [`assign_jsonb`].

use tusk_types::adt::array::{too_many_dimensions, Array, ArrayDim, MAXDIM};
use tusk_types::{pg_err, Datum, Oid, Result};

use crate::builtins::ScalarFn;
use crate::EvalContext;

/// `ARRAY[...]`: one-dimensional over element values, or, with `multidims`, sub-arrays
/// stacked along a new outer dimension (NULL and empty sub-arrays are skipped; if all
/// are, the result is empty).
///
/// Errors: 2202E `multidimensional arrays must have array expressions with matching
/// dimensions`; 54000 for more than six dimensions.
pub(crate) fn build_array(values: Vec<Datum>, elem_type: Oid, multidims: bool) -> Result<Datum> {
    if !multidims {
        return Ok(Datum::Array(Box::new(Array::from_elements(
            elem_type, values,
        ))));
    }
    let mismatch = || {
        pg_err!(
            ARRAY_SUBSCRIPT_ERROR,
            "multidimensional arrays must have array expressions with matching dimensions"
        )
    };
    let mut inner: Option<Vec<ArrayDim>> = None;
    let mut have_empty = false;
    let mut count = 0;
    let mut elems = Vec::new();
    for v in values {
        let sub = match v {
            Datum::Array(a) if !a.is_empty() => a,
            _ => {
                have_empty = true;
                continue;
            }
        };
        match &inner {
            None => {
                if sub.ndim() + 1 > MAXDIM {
                    return Err(too_many_dimensions(sub.ndim() + 1));
                }
                inner = Some(sub.dims.clone());
            }
            Some(dims) if *dims != sub.dims => return Err(mismatch()),
            Some(_) => {}
        }
        count += 1;
        elems.extend(sub.elems);
    }
    let Some(inner) = inner else {
        return Ok(Datum::Array(Box::new(Array::empty(elem_type))));
    };
    if have_empty {
        return Err(mismatch());
    }
    let mut dims = Vec::with_capacity(inner.len() + 1);
    dims.push(ArrayDim {
        len: count,
        lower: 1,
    });
    dims.extend(inner);
    Ok(Datum::Array(Box::new(Array::new(elem_type, dims, elems)?)))
}

/// `array[i][j]...`: the element, or NULL when the array or a subscript is NULL, the
/// subscripts are out of range or their count differs from the array's dimensions.
pub(crate) fn fetch_element(array: &Datum, subscripts: &[Datum]) -> Datum {
    let Datum::Array(a) = array else {
        return Datum::Null;
    };
    let mut idx = Vec::with_capacity(subscripts.len());
    for s in subscripts {
        match s {
            Datum::Int4(i) => idx.push(*i),
            _ => return Datum::Null,
        }
    }
    a.element(&idx).cloned().unwrap_or(Datum::Null)
}

/// `array[lo:hi]...`: the slice; an omitted bound is `None`. NULL when the array or a
/// given bound is NULL.
pub(crate) fn fetch_slice(
    array: &Datum,
    lower: &[Option<Datum>],
    upper: &[Option<Datum>],
) -> Datum {
    let Datum::Array(a) = array else {
        return Datum::Null;
    };
    let bound = |b: &Option<Datum>| -> Option<Option<i32>> {
        match b {
            None => Some(None),
            Some(Datum::Int4(i)) => Some(Some(*i)),
            Some(_) => None,
        }
    };
    let mut lo = Vec::with_capacity(lower.len());
    let mut hi = Vec::with_capacity(upper.len());
    for (l, u) in lower.iter().zip(upper) {
        match (bound(l), bound(u)) {
            (Some(l), Some(u)) => {
                lo.push(l);
                hi.push(u);
            }
            _ => return Datum::Null,
        }
    }
    Datum::Array(Box::new(a.slice(&lo, &hi)))
}

/// `left op ANY/ALL (array)`: an empty array gives false for ANY and true for ALL (even
/// for a NULL left value); otherwise the three-valued OR (ANY) or AND (ALL) of `op`
/// over the elements, a strict `op` giving NULL for NULL inputs.
pub(crate) fn scalar_array_op(
    ctx: &mut EvalContext<'_>,
    op: ScalarFn,
    strict: bool,
    all: bool,
    left: Datum,
    array: &Datum,
) -> Result<Datum> {
    let Datum::Array(a) = array else {
        return Ok(Datum::Null);
    };
    if a.is_empty() {
        return Ok(Datum::Bool(all));
    }
    if strict && left.is_null() {
        return Ok(Datum::Null);
    }
    let mut saw_null = false;
    for e in &a.elems {
        let result = if strict && e.is_null() {
            Datum::Null
        } else {
            op(ctx, &[left.clone(), e.clone()])?
        };
        match result {
            Datum::Bool(b) if b != all => return Ok(Datum::Bool(b)),
            Datum::Bool(_) => {}
            _ => saw_null = true,
        }
    }
    Ok(if saw_null {
        Datum::Null
    } else {
        Datum::Bool(all)
    })
}

/// 22004 when a subscript of an assignment is NULL (`jsonb`'s message for `jsonb`).
///
/// Errors: 22004 `array subscript in assignment must not be null`.
pub(crate) fn check_assignment_subscripts(
    lower: &[Option<Datum>],
    upper: &[Option<Datum>],
    jsonb: bool,
) -> Result<()> {
    if lower.iter().chain(upper).flatten().any(Datum::is_null) {
        let what = if jsonb { "jsonb" } else { "array" };
        return Err(pg_err!(
            NULL_VALUE_NOT_ALLOWED,
            "{} subscript in assignment must not be null",
            what
        ));
    }
    Ok(())
}

/// `array[i]... = value` or `array[lo:hi]... = value` (subscripts checked non-NULL):
/// a NULL array counts as empty; a NULL source leaves a slice as it was.
///
/// Errors: the array's assignment errors (`Array::assign_element`,
/// `Array::assign_slice`).
pub(crate) fn assign_subscripts(
    container: Datum,
    lower: &[Option<Datum>],
    upper: &[Option<Datum>],
    is_slice: bool,
    value: Datum,
    elem_type: Oid,
) -> Result<Datum> {
    let array = match container {
        Datum::Array(a) => *a,
        _ => Array::empty(elem_type),
    };
    let int = |d: &Option<Datum>| match d {
        Some(Datum::Int4(i)) => Some(*i),
        _ => None,
    };
    if is_slice {
        let Datum::Array(source) = value else {
            return Ok(Datum::Array(Box::new(array)));
        };
        let lower: Vec<Option<i32>> = lower.iter().map(int).collect();
        let upper: Vec<Option<i32>> = upper.iter().map(int).collect();
        return Ok(Datum::Array(Box::new(
            array.assign_slice(&lower, &upper, &source)?,
        )));
    }
    let subscripts: Vec<i32> = upper.iter().map(|u| int(u).unwrap_or(0)).collect();
    Ok(Datum::Array(Box::new(
        array.assign_element(&subscripts, value)?,
    )))
}

/// `jsonb[key]... = value`: the path's elements are text; see
/// `builtins::json_subscript`.
///
/// Errors: as `json_subscript::jsonb_assign`.
pub(crate) fn assign_jsonb(
    container: Datum,
    path: &[Option<Datum>],
    value: Datum,
    expect_array: bool,
) -> Result<Datum> {
    use tusk_types::adt::json::JsonValue;
    let read = |d: &Datum| match d {
        Datum::Text(s) => JsonValue::parse_jsonb(s).map(Some),
        _ => Ok(None),
    };
    let container = read(&container)?;
    let value = read(&value)?.unwrap_or(JsonValue::Null);
    let path: Vec<String> = path
        .iter()
        .map(|p| match p {
            Some(Datum::Text(s)) => s.clone(),
            _ => String::new(),
        })
        .collect();
    let result =
        crate::builtins::json_subscript::jsonb_assign(container, &path, value, expect_array)?;
    Ok(Datum::Text(result.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::type_oid;

    fn ints(v: &[i32]) -> Datum {
        Datum::Array(Box::new(Array::from_elements(
            type_oid::INT4,
            v.iter().map(|i| Datum::Int4(*i)).collect(),
        )))
    }

    #[test]
    fn multidimensional_constructor_stacks_sub_arrays() {
        let d =
            build_array(vec![ints(&[1, 2]), ints(&[3, 4])], type_oid::INT4, true).expect("build");
        let Datum::Array(a) = d else { panic!() };
        assert_eq!(
            a.dims,
            vec![ArrayDim { len: 2, lower: 1 }, ArrayDim { len: 2, lower: 1 }]
        );
        let e = build_array(vec![ints(&[1, 2]), ints(&[3])], type_oid::INT4, true)
            .expect_err("mismatch");
        assert_eq!(
            e.message,
            "multidimensional arrays must have array expressions with matching dimensions"
        );
        let e = build_array(vec![ints(&[1, 2]), Datum::Null], type_oid::INT4, true)
            .expect_err("null sub-array");
        assert_eq!(e.code, tusk_types::SqlState::ARRAY_SUBSCRIPT_ERROR);
        let d = build_array(vec![Datum::Null, ints(&[])], type_oid::INT4, true).expect("empty");
        assert_eq!(d, Datum::Array(Box::new(Array::empty(type_oid::INT4))));
    }

    #[test]
    fn subscripts_read_null_out_of_range() {
        let a = ints(&[1, 2, 3]);
        assert_eq!(fetch_element(&a, &[Datum::Int4(2)]), Datum::Int4(2));
        assert_eq!(fetch_element(&a, &[Datum::Int4(4)]), Datum::Null);
        assert_eq!(fetch_element(&a, &[Datum::Null]), Datum::Null);
        assert_eq!(
            fetch_slice(&a, &[Some(Datum::Int4(2))], &[None]),
            ints(&[2, 3])
        );
        assert_eq!(fetch_slice(&a, &[Some(Datum::Null)], &[None]), Datum::Null);
    }
}
