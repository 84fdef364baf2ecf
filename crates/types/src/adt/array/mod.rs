//! Arrays (PostgreSQL docs §8.15): a value of any element type arranged in up to
//! [`MAXDIM`] dimensions, each with its own lower bound, any element possibly NULL.
//!
//! ```text
//!   '[0:1][1:3]={{1,2,3},{4,5,NULL}}'::int[]
//!   Array { elem_type: int4, dims: [{len 2, lower 0}, {len 3, lower 1}],
//!           elems: [1, 2, 3, 4, 5, NULL] }          (row-major: last subscript fastest)
//! ```
//!
//! Invariants of [`Array`]: `elems.len()` is the product of the dimension lengths; every
//! length is at least 1 (an array with no elements has no dimensions at all, as in
//! PostgreSQL, where `'{}'` has `array_ndims` NULL); at most [`MAXDIM`] dimensions;
//! elements are `Datum::Null` or values of `elem_type`'s representation.
//!
//! `oidvector` and `int2vector` are arrays too (one dimension, lower bound 0, no NULLs);
//! only their text form differs.
//!
//! Entry points: [`Array`] (construction, subscripts, slices, element and slice assignment,
//! concatenation), [`text::parse_array_literal`] and [`text::format_array`] (the text form of `array_in`
//! and `array_out`), [`ElementAccumulator`] and [`ArrayAccumulator`] (`array_agg`),
//! [`builtin_element_type`].

mod accumulate;
mod assign_slice;
mod builtin_types;
pub mod text;

pub use accumulate::{ArrayAccumulator, ElementAccumulator};

use crate::{pg_err, Datum, Oid, Result};

/// PostgreSQL's `MAXDIM`: the most dimensions an array may have.
pub const MAXDIM: usize = 6;

/// PostgreSQL's `MaxArraySize`: the most elements an array may hold.
pub const MAX_ARRAY_SIZE: usize = 0x3fff_ffff / 8;

/// One dimension of an array: how many elements and the first subscript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayDim {
    /// Number of elements along this dimension (>= 1).
    pub len: i32,
    /// The lowest subscript (1 unless given otherwise).
    pub lower: i32,
}

impl ArrayDim {
    /// The highest subscript.
    pub fn upper(&self) -> i32 {
        self.lower + self.len - 1
    }
}

/// An array value (see the module header for its invariants).
#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    /// The element type's OID.
    pub elem_type: Oid,
    /// Dimensions, outermost first; empty for an array without elements.
    pub dims: Vec<ArrayDim>,
    /// Elements in row-major order.
    pub elems: Vec<Datum>,
}

/// The element type of a built-in array type (`pg_type.typelem` of the rows with
/// `typcategory = 'A'`, including `oidvector` and `int2vector`); `None` for other types.
pub fn builtin_element_type(array_type: Oid) -> Option<Oid> {
    builtin_types::BUILTIN_ARRAY_TYPES
        .binary_search_by_key(&array_type.0, |(a, _)| *a)
        .ok()
        .map(|i| Oid(builtin_types::BUILTIN_ARRAY_TYPES[i].1))
}

/// The built-in array type whose element type is `elem_type` (`pg_type.typarray`).
pub fn builtin_array_type(elem_type: Oid) -> Option<Oid> {
    builtin_types::BUILTIN_ARRAY_TYPES
        .iter()
        .find(|(a, e)| *e == elem_type.0 && *a != 22 && *a != 30)
        .map(|(a, _)| Oid(*a))
}

/// The `int2` elements of an `int2[]` / `int2vector` value (a catalog's attribute-number
/// list: `conkey`, `indkey`, `partattrs`, `tgattr`); non-`int2` elements and non-array
/// values give nothing.
pub fn int2_values(d: &Datum) -> Vec<i16> {
    match d {
        Datum::Array(a) => a
            .elems
            .iter()
            .filter_map(|e| match e {
                Datum::Int2(v) => Some(*v),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// 54000 `number of array dimensions (n) exceeds the maximum allowed (6)`.
pub fn too_many_dimensions(n: usize) -> crate::Error {
    pg_err!(
        PROGRAM_LIMIT_EXCEEDED,
        "number of array dimensions ({}) exceeds the maximum allowed ({})",
        n,
        MAXDIM
    )
}

/// The number of elements `dims` describe, checking PostgreSQL's limits (54000 `array
/// size exceeds the maximum allowed (N)`).
pub fn element_count(dims: &[ArrayDim]) -> Result<usize> {
    let mut n: usize = 1;
    for d in dims {
        if d.len < 0 {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "array size exceeds the maximum allowed ({})",
                MAX_ARRAY_SIZE
            ));
        }
        n = n.saturating_mul(d.len as usize);
        if n > MAX_ARRAY_SIZE {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "array size exceeds the maximum allowed ({})",
                MAX_ARRAY_SIZE
            ));
        }
    }
    if dims.is_empty() {
        n = 0;
    }
    Ok(n)
}

/// Checks that `lower + len - 1` fits in an `int` (`ArrayCheckBounds`, 54000).
pub fn check_bounds(dims: &[ArrayDim]) -> Result<()> {
    for d in dims {
        if d.lower.checked_add(d.len).is_none() {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "array lower bound is too large: {}",
                d.lower
            ));
        }
    }
    Ok(())
}

impl Array {
    /// An array with no elements (`'{}'`).
    pub fn empty(elem_type: Oid) -> Array {
        Array {
            elem_type,
            dims: Vec::new(),
            elems: Vec::new(),
        }
    }

    /// A one-dimensional array with lower bound 1 (empty if `elems` is).
    pub fn from_elements(elem_type: Oid, elems: Vec<Datum>) -> Array {
        if elems.is_empty() {
            return Array::empty(elem_type);
        }
        Array {
            elem_type,
            dims: vec![ArrayDim {
                len: elems.len() as i32,
                lower: 1,
            }],
            elems,
        }
    }

    /// An array of the given shape. A shape with a zero length gives the empty array.
    ///
    /// Errors: 54000 for more than [`MAXDIM`] dimensions or too many elements; XX000 if
    /// `elems` does not fill the shape.
    pub fn new(elem_type: Oid, dims: Vec<ArrayDim>, elems: Vec<Datum>) -> Result<Array> {
        if dims.len() > MAXDIM {
            return Err(too_many_dimensions(dims.len()));
        }
        if dims.iter().any(|d| d.len == 0) {
            return Ok(Array::empty(elem_type));
        }
        let n = element_count(&dims)?;
        check_bounds(&dims)?;
        if n != elems.len() {
            return Err(crate::Error::internal(format!(
                "array of {} elements given {} values",
                n,
                elems.len()
            )));
        }
        Ok(Array {
            elem_type,
            dims,
            elems,
        })
    }

    /// Number of dimensions (0 for an empty array).
    pub fn ndim(&self) -> usize {
        self.dims.len()
    }

    /// True if the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.elems.is_empty()
    }

    /// True if some element is NULL.
    pub fn has_nulls(&self) -> bool {
        self.elems.iter().any(Datum::is_null)
    }

    /// `array_dims`: `[1:3][0:1]`, or `None` for an empty array.
    pub fn dims_text(&self) -> Option<String> {
        if self.dims.is_empty() {
            return None;
        }
        Some(
            self.dims
                .iter()
                .map(|d| format!("[{}:{}]", d.lower, d.upper()))
                .collect(),
        )
    }

    /// The element at `subscripts` (one per dimension); `None` when the count differs
    /// from the array's dimensions or a subscript is out of range, which reads as NULL.
    pub fn element(&self, subscripts: &[i32]) -> Option<&Datum> {
        if subscripts.len() != self.dims.len() || self.dims.is_empty() {
            return None;
        }
        let mut offset = 0usize;
        for (d, s) in self.dims.iter().zip(subscripts) {
            if *s < d.lower || *s > d.upper() {
                return None;
            }
            offset = offset * d.len as usize + (*s - d.lower) as usize;
        }
        self.elems.get(offset)
    }

    /// A slice (`array_get_slice`): for each of the first `lower.len()` dimensions the
    /// subscripts from `lower` to `upper` (a missing bound is the dimension's own),
    /// clipped to the array; later dimensions whole. The result's lower bounds are 1; a
    /// slice outside the array, or with more subscripts than dimensions, is empty.
    pub fn slice(&self, lower: &[Option<i32>], upper: &[Option<i32>]) -> Array {
        let n = lower.len();
        if self.dims.is_empty() || n > self.dims.len() {
            return Array::empty(self.elem_type);
        }
        let mut ranges = Vec::with_capacity(self.dims.len());
        for (i, d) in self.dims.iter().enumerate() {
            let (mut lo, mut hi) = (d.lower, d.upper());
            if i < n {
                lo = lower[i].unwrap_or(lo).max(d.lower);
                hi = upper[i].unwrap_or(hi).min(d.upper());
            }
            if lo > hi {
                return Array::empty(self.elem_type);
            }
            ranges.push((lo, hi));
        }
        let dims: Vec<ArrayDim> = ranges
            .iter()
            .map(|(lo, hi)| ArrayDim {
                len: hi - lo + 1,
                lower: 1,
            })
            .collect();
        let mut elems = Vec::new();
        let mut idx: Vec<i32> = ranges.iter().map(|r| r.0).collect();
        loop {
            elems.push(self.element(&idx).cloned().unwrap_or(Datum::Null));
            // Advance the last subscript fastest.
            let mut k = idx.len();
            loop {
                if k == 0 {
                    return Array {
                        elem_type: self.elem_type,
                        dims,
                        elems,
                    };
                }
                k -= 1;
                if idx[k] < ranges[k].1 {
                    idx[k] += 1;
                    break;
                }
                idx[k] = ranges[k].0;
            }
        }
    }

    /// Subscripted assignment of one element (`array_set_element`): an empty array
    /// becomes one of `subscripts.len()` dimensions holding just `value`; a
    /// one-dimensional array grows in either direction, new positions between reading
    /// NULL; other arrays take only subscripts inside their bounds.
    ///
    /// Errors: 2202E `wrong number of array subscripts`, `array subscript out of
    /// range`; 54000 when the array would grow too large.
    pub fn assign_element(mut self, subscripts: &[i32], value: Datum) -> Result<Array> {
        if subscripts.len() > MAXDIM {
            return Err(too_many_dimensions(subscripts.len()));
        }
        if self.dims.is_empty() {
            let dims = subscripts
                .iter()
                .map(|s| ArrayDim { len: 1, lower: *s })
                .collect();
            return Array::new(self.elem_type, dims, vec![value]);
        }
        if subscripts.len() != self.dims.len() {
            return Err(pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "wrong number of array subscripts"
            ));
        }
        if self.dims.len() == 1 {
            let d = self.dims[0];
            let s = subscripts[0];
            let (lower, upper) = (d.lower.min(s) as i64, (d.upper() as i64).max(s as i64));
            let len = upper - lower + 1;
            if len > MAX_ARRAY_SIZE as i64 || upper > i32::MAX as i64 {
                return Err(pg_err!(
                    PROGRAM_LIMIT_EXCEEDED,
                    "array size exceeds the maximum allowed ({})",
                    MAX_ARRAY_SIZE
                ));
            }
            let front = (d.lower as i64 - lower) as usize;
            let mut elems = Vec::with_capacity(len as usize);
            elems.resize(front, Datum::Null);
            elems.append(&mut self.elems);
            elems.resize(len as usize, Datum::Null);
            elems[(s as i64 - lower) as usize] = value;
            self.dims[0] = ArrayDim {
                len: len as i32,
                lower: lower as i32,
            };
            self.elems = elems;
            return Ok(self);
        }
        let mut offset = 0usize;
        for (d, s) in self.dims.iter().zip(subscripts) {
            if *s < d.lower || *s > d.upper() {
                return Err(pg_err!(
                    ARRAY_SUBSCRIPT_ERROR,
                    "array subscript out of range"
                ));
            }
            offset = offset * d.len as usize + (*s - d.lower) as usize;
        }
        self.elems[offset] = value;
        Ok(self)
    }

    /// `array_append`: `elem` added after the last element of a one-dimensional (or
    /// empty) array.
    ///
    /// Errors: 22000 `argument must be empty or one-dimensional array`; 22003 `integer
    /// out of range` when the upper bound would overflow.
    pub fn append(mut self, elem: Datum) -> Result<Array> {
        match self.dims.len() {
            0 => Ok(Array::from_elements(self.elem_type, vec![elem])),
            1 => {
                let d = &mut self.dims[0];
                if d.upper().checked_add(1).is_none() {
                    return Err(pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"));
                }
                d.len += 1;
                self.elems.push(elem);
                Ok(self)
            }
            _ => Err(pg_err!(
                DATA_EXCEPTION,
                "argument must be empty or one-dimensional array"
            )),
        }
    }

    /// `array_prepend`: `elem` put before the first element of a one-dimensional (or
    /// empty) array; the lower bound stays as it was.
    ///
    /// Errors: 22000 `argument must be empty or one-dimensional array`; 22003 `integer
    /// out of range`.
    pub fn prepend(mut self, elem: Datum) -> Result<Array> {
        match self.dims.len() {
            0 => Ok(Array::from_elements(self.elem_type, vec![elem])),
            1 => {
                let d = &mut self.dims[0];
                if d.lower.checked_sub(1).is_none() {
                    return Err(pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range"));
                }
                d.len += 1;
                self.elems.insert(0, elem);
                Ok(self)
            }
            _ => Err(pg_err!(
                DATA_EXCEPTION,
                "argument must be empty or one-dimensional array"
            )),
        }
    }

    /// `array_cat` of two arrays of the same element type (the caller checks the types):
    /// equal dimensionality joins along the first dimension (other dimensions must
    /// match); one dimension less on either side adds it as a new outer element.
    ///
    /// Errors: 2202E `cannot concatenate incompatible arrays` with PostgreSQL's details.
    pub fn concat(self, other: Array) -> Result<Array> {
        let (n1, n2) = (self.dims.len(), other.dims.len());
        if n1 == 0 {
            return Ok(Array {
                elem_type: self.elem_type,
                ..other
            });
        }
        if n2 == 0 {
            return Ok(self);
        }
        let incompatible = |detail: String| {
            pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "cannot concatenate incompatible arrays"
            )
            .detail(detail)
        };
        if n1 != n2 && n1 + 1 != n2 && n1 != n2 + 1 {
            return Err(incompatible(format!(
                "Arrays of {n1} and {n2} dimensions are not compatible for concatenation."
            )));
        }
        let dims = if n1 == n2 {
            if self.dims[1..] != other.dims[1..] {
                return Err(incompatible(
                    "Arrays with differing element dimensions are not compatible for concatenation."
                        .into(),
                ));
            }
            let mut dims = self.dims.clone();
            dims[0].len += other.dims[0].len;
            dims
        } else if n1 + 1 == n2 {
            if self.dims[..] != other.dims[1..] {
                return Err(incompatible(
                    "Arrays with differing dimensions are not compatible for concatenation.".into(),
                ));
            }
            let mut dims = other.dims.clone();
            dims[0].len += 1;
            dims
        } else {
            if self.dims[1..] != other.dims[..] {
                return Err(incompatible(
                    "Arrays with differing dimensions are not compatible for concatenation.".into(),
                ));
            }
            let mut dims = self.dims.clone();
            dims[0].len += 1;
            dims
        };
        element_count(&dims)?;
        check_bounds(&dims)?;
        let mut elems = self.elems;
        elems.extend(other.elems);
        Ok(Array {
            elem_type: self.elem_type,
            dims,
            elems,
        })
    }
}

#[cfg(test)]
mod tests;
