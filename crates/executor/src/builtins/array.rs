//! Array functions (PostgreSQL docs §9.19, table 9.66): shape (`array_ndims`,
//! `array_dims`, `array_length`, `array_lower`, `array_upper`, `cardinality`),
//! building (`array_append`, `array_prepend`, `array_cat`, `array_fill`, `trim_array`),
//! searching and editing (`array_position(s)`, `array_remove`, `array_replace`), text
//! (`array_to_string`, `string_to_array`), `width_bucket` over a thresholds array, and
//! the set-returning `unnest`, `generate_subscripts` and `string_to_table`.
//!
//! Polymorphic results whose element type the arguments cannot tell (a NULL array,
//! `array_fill`) are labelled with `Oid::INVALID` here; the evaluator relabels them with
//! the type the analyzer resolved.

use std::cmp::Ordering;

use tusk_types::adt::array::{Array, ArrayDim};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::array_compare::element_order;
use super::{reg, Builtin, Table};
use crate::EvalContext;

fn array_arg(d: &Datum) -> Option<&Array> {
    match d {
        Datum::Array(a) => Some(a),
        _ => None,
    }
}

fn owned_array(d: &Datum) -> Option<Array> {
    array_arg(d).cloned()
}

fn int_arg(d: &Datum) -> i32 {
    match d {
        Datum::Int4(v) => *v,
        Datum::Int2(v) => *v as i32,
        _ => 0,
    }
}

fn int4(v: i32) -> Datum {
    Datum::Int4(v)
}

fn array_datum(a: Array) -> Datum {
    Datum::Array(Box::new(a))
}

/// Dimension `dim` (1-based) of `a`, if it has one.
fn dimension(a: &Array, dim: i32) -> Option<ArrayDim> {
    if dim < 1 {
        return None;
    }
    a.dims.get(dim as usize - 1).copied()
}

/// True if two element values are equal, NULLs equal to each other (IS NOT DISTINCT FROM).
fn not_distinct(a: &Datum, b: &Datum) -> bool {
    element_order(a, b) == Ordering::Equal
}

fn one_dimensional_only(a: &Array, what: &str) -> Result<()> {
    if a.ndim() > 1 {
        return Err(Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!(
                "{what} elements {} multidimensional arrays is not supported",
                if what == "removing" { "from" } else { "in" }
            ),
        ));
    }
    Ok(())
}

fn array_cat(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    match (owned_array(&a[0]), owned_array(&a[1])) {
        (None, None) => Ok(Datum::Null),
        (Some(x), None) => Ok(array_datum(x)),
        (None, Some(y)) => Ok(array_datum(y)),
        (Some(x), Some(y)) => {
            if x.elem_type != y.elem_type
                && x.elem_type != Oid::INVALID
                && y.elem_type != Oid::INVALID
            {
                return Err(
                    pg_err!(DATATYPE_MISMATCH, "cannot concatenate incompatible arrays").detail(
                        format!(
                    "Arrays with element types {} and {} are not compatible for concatenation.",
                    crate::io::format_type(x.elem_type),
                    crate::io::format_type(y.elem_type)
                ),
                    ),
                );
            }
            Ok(array_datum(x.concat(y)?))
        }
    }
}

fn array_append(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let base = owned_array(&a[0]).unwrap_or_else(|| Array::empty(Oid::INVALID));
    Ok(array_datum(base.append(a[1].clone())?))
}

fn array_prepend(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let base = owned_array(&a[1]).unwrap_or_else(|| Array::empty(Oid::INVALID));
    Ok(array_datum(base.prepend(a[0].clone())?))
}

/// `array_position(array, value [, start])`: the first subscript holding `value` (NULL
/// finds NULL), from `start` on.
fn array_position(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Some(arr) = array_arg(&a[0]) else {
        return Ok(Datum::Null);
    };
    one_dimensional_only(arr, "searching for")?;
    let Some(d) = arr.dims.first() else {
        return Ok(Datum::Null);
    };
    let start = match a.get(2) {
        None => d.lower,
        Some(Datum::Null) => {
            return Err(pg_err!(
                NULL_VALUE_NOT_ALLOWED,
                "initial position must not be null"
            ))
        }
        Some(s) => int_arg(s),
    };
    for (i, e) in arr.elems.iter().enumerate() {
        let sub = d.lower + i as i32;
        if sub >= start && not_distinct(e, &a[1]) {
            return Ok(int4(sub));
        }
    }
    Ok(Datum::Null)
}

fn array_positions(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Some(arr) = array_arg(&a[0]) else {
        return Ok(Datum::Null);
    };
    one_dimensional_only(arr, "searching for")?;
    let lower = arr.dims.first().map_or(1, |d| d.lower);
    let found = arr
        .elems
        .iter()
        .enumerate()
        .filter(|(_, e)| not_distinct(e, &a[1]))
        .map(|(i, _)| int4(lower + i as i32))
        .collect();
    Ok(array_datum(Array::from_elements(type_oid::INT4, found)))
}

fn array_remove(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Some(mut arr) = owned_array(&a[0]) else {
        return Ok(Datum::Null);
    };
    one_dimensional_only(&arr, "removing")?;
    arr.elems.retain(|e| !not_distinct(e, &a[1]));
    if arr.elems.is_empty() {
        return Ok(array_datum(Array::empty(arr.elem_type)));
    }
    if let Some(d) = arr.dims.first_mut() {
        d.len = arr.elems.len() as i32;
    }
    Ok(array_datum(arr))
}

fn array_replace(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Some(mut arr) = owned_array(&a[0]) else {
        return Ok(Datum::Null);
    };
    for e in arr.elems.iter_mut() {
        if not_distinct(e, &a[1]) {
            *e = a[2].clone();
        }
    }
    Ok(array_datum(arr))
}

fn text_arg(d: &Datum) -> Option<&str> {
    match d {
        Datum::Text(s) => Some(s),
        _ => None,
    }
}

/// `array_to_string(array, delimiter [, null_string])`: the elements' text forms joined;
/// NULL elements are skipped unless `null_string` is given.
fn array_to_string(ctx: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let (Some(arr), Some(delim)) = (array_arg(&a[0]), text_arg(&a[1])) else {
        return Ok(Datum::Null);
    };
    let null_string = a.get(2).and_then(text_arg);
    let mut out = String::new();
    let mut first = true;
    for e in &arr.elems {
        let piece = if e.is_null() {
            match null_string {
                Some(n) => n.to_string(),
                None => continue,
            }
        } else {
            crate::io::text_out_string(e, arr.elem_type, ctx.output)?
        };
        if !first {
            out.push_str(delim);
        }
        first = false;
        out.push_str(&piece);
    }
    Ok(Datum::Text(out))
}

/// `string_to_array(string, delimiter [, null_string])`: a NULL delimiter splits into
/// characters, an empty one gives the whole string; an empty string gives `{}`.
fn string_to_array(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Some(s) = text_arg(&a[0]) else {
        return Ok(Datum::Null);
    };
    let null_string = a.get(2).and_then(text_arg);
    if s.is_empty() {
        return Ok(array_datum(Array::empty(type_oid::TEXT)));
    }
    let pieces: Vec<&str> = match text_arg(&a[1]) {
        None => s
            .char_indices()
            .map(|(i, c)| &s[i..i + c.len_utf8()])
            .collect(),
        Some("") => vec![s],
        Some(d) => s.split(d).collect(),
    };
    let elems = pieces
        .into_iter()
        .map(|p| {
            if Some(p) == null_string {
                Datum::Null
            } else {
                Datum::Text(p.to_string())
            }
        })
        .collect();
    Ok(array_datum(Array::from_elements(type_oid::TEXT, elems)))
}

/// The values of a one-dimensional `int[]` argument of `array_fill`.
fn fill_bounds(d: &Datum) -> Result<Vec<i32>> {
    let arr = array_arg(d).ok_or_else(|| {
        pg_err!(
            NULL_VALUE_NOT_ALLOWED,
            "dimension array or low bound array cannot be null"
        )
    })?;
    if arr.ndim() > 1 {
        return Err(
            pg_err!(ARRAY_SUBSCRIPT_ERROR, "wrong number of array subscripts")
                .detail("Dimension array must be one dimensional."),
        );
    }
    arr.elems
        .iter()
        .map(|e| match e {
            Datum::Int4(v) => Ok(*v),
            _ => Err(pg_err!(
                NULL_VALUE_NOT_ALLOWED,
                "dimension values cannot be null"
            )),
        })
        .collect()
}

/// `array_fill(value, dimensions [, lower_bounds])`.
fn array_fill(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    if a[1].is_null() || a.get(2).is_some_and(Datum::is_null) {
        return Err(pg_err!(
            NULL_VALUE_NOT_ALLOWED,
            "dimension array or low bound array cannot be null"
        ));
    }
    let lens = fill_bounds(&a[1])?;
    let lowers = match a.get(2) {
        Some(d) => {
            let l = fill_bounds(d)?;
            if l.len() != lens.len() {
                return Err(
                    pg_err!(ARRAY_SUBSCRIPT_ERROR, "wrong number of array subscripts")
                        .detail("Low bound array has different size than dimensions array."),
                );
            }
            l
        }
        None => vec![1; lens.len()],
    };
    if lens.len() > tusk_types::adt::array::MAXDIM {
        return Err(tusk_types::adt::array::too_many_dimensions(lens.len()));
    }
    if lens.is_empty() || lens.contains(&0) {
        return Ok(array_datum(Array::empty(Oid::INVALID)));
    }
    let dims: Vec<ArrayDim> = lens
        .iter()
        .zip(&lowers)
        .map(|(len, lower)| ArrayDim {
            len: *len,
            lower: *lower,
        })
        .collect();
    let n = tusk_types::adt::array::element_count(&dims)?;
    Ok(array_datum(Array::new(
        Oid::INVALID,
        dims,
        vec![a[0].clone(); n],
    )?))
}

/// `trim_array(array, n)`: the array without its last `n` elements along the first
/// dimension.
fn trim_array(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Some(arr) = array_arg(&a[0]) else {
        return Ok(Datum::Null);
    };
    let n = int_arg(&a[1]);
    let len = arr.dims.first().map_or(0, |d| d.len);
    if n < 0 || n > len {
        return Err(pg_err!(
            ARRAY_SUBSCRIPT_ERROR,
            "number of elements to trim must be between 0 and {}",
            len
        ));
    }
    let Some(d) = arr.dims.first() else {
        return Ok(array_datum(arr.clone()));
    };
    Ok(array_datum(
        arr.slice(&[None], &[Some(d.lower + len - n - 1)]),
    ))
}

/// `string_to_table(string, delimiter [, null_string])`: the pieces of
/// `string_to_array` as rows.
fn string_to_table(ctx: &mut EvalContext<'_>, a: &[Datum]) -> Result<Vec<Datum>> {
    match string_to_array(ctx, a)? {
        Datum::Array(arr) => Ok(arr.elems),
        _ => Ok(Vec::new()),
    }
}

/// `width_bucket(operand, thresholds)`: how many of the sorted `thresholds` are at most
/// `operand` (a binary search, as PostgreSQL does it).
fn width_bucket_array(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    let Some(arr) = array_arg(&a[1]) else {
        return Ok(Datum::Null);
    };
    if arr.ndim() > 1 {
        return Err(pg_err!(
            ARRAY_SUBSCRIPT_ERROR,
            "thresholds must be one-dimensional array"
        ));
    }
    if arr.has_nulls() {
        return Err(pg_err!(
            NULL_VALUE_NOT_ALLOWED,
            "thresholds array must not contain NULLs"
        ));
    }
    let (mut left, mut right) = (0usize, arr.elems.len());
    while left < right {
        let mid = (left + right) / 2;
        if element_order(&a[0], &arr.elems[mid]) == Ordering::Less {
            right = mid;
        } else {
            left = mid + 1;
        }
    }
    Ok(int4(left as i32))
}

fn unnest(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Vec<Datum>> {
    Ok(array_arg(&a[0])
        .map(|arr| arr.elems.clone())
        .unwrap_or_default())
}

fn generate_subscripts(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Vec<Datum>> {
    let Some(d) = array_arg(&a[0]).and_then(|arr| dimension(arr, int_arg(&a[1]))) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Datum> = (d.lower..=d.upper()).map(int4).collect();
    if matches!(a.get(2), Some(Datum::Bool(true))) {
        out.reverse();
    }
    Ok(out)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["array_ndims"], |_, a| {
        Ok(match array_arg(&a[0]) {
            Some(arr) if arr.ndim() > 0 => int4(arr.ndim() as i32),
            _ => Datum::Null,
        })
    });
    reg(t, &["array_dims"], |_, a| {
        Ok(array_arg(&a[0])
            .and_then(Array::dims_text)
            .map_or(Datum::Null, Datum::Text))
    });
    reg(t, &["array_length"], |_, a| {
        Ok(array_arg(&a[0])
            .and_then(|arr| dimension(arr, int_arg(&a[1])))
            .map_or(Datum::Null, |d| int4(d.len)))
    });
    reg(t, &["array_lower"], |_, a| {
        Ok(array_arg(&a[0])
            .and_then(|arr| dimension(arr, int_arg(&a[1])))
            .map_or(Datum::Null, |d| int4(d.lower)))
    });
    reg(t, &["array_upper"], |_, a| {
        Ok(array_arg(&a[0])
            .and_then(|arr| dimension(arr, int_arg(&a[1])))
            .map_or(Datum::Null, |d| int4(d.upper())))
    });
    reg(t, &["array_cardinality"], |_, a| {
        Ok(array_arg(&a[0]).map_or(Datum::Null, |arr| int4(arr.elems.len() as i32)))
    });
    reg(t, &["array_cat"], array_cat);
    reg(t, &["array_append"], array_append);
    reg(t, &["array_prepend"], array_prepend);
    reg(
        t,
        &["array_position", "array_position_start"],
        array_position,
    );
    reg(t, &["array_positions"], array_positions);
    reg(t, &["array_remove"], array_remove);
    reg(t, &["array_replace"], array_replace);
    reg(t, &["array_to_text", "array_to_text_null"], array_to_string);
    reg(t, &["text_to_array", "text_to_array_null"], string_to_array);
    reg(
        t,
        &["array_fill", "array_fill_with_lower_bounds"],
        array_fill,
    );
    reg(t, &["trim_array"], trim_array);
    reg(t, &["width_bucket_array"], width_bucket_array);
    t.insert("array_unnest", Builtin::Set(unnest));
    t.insert("text_to_table", Builtin::Set(string_to_table));
    t.insert("text_to_table_null", Builtin::Set(string_to_table));
    t.insert("generate_subscripts", Builtin::Set(generate_subscripts));
    t.insert(
        "generate_subscripts_nodir",
        Builtin::Set(generate_subscripts),
    );
}
