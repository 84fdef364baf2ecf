//! Slice assignment (`a[2:3] = '{20,30}'`, PostgreSQL's `array_set_slice`).
//!
//! Rules:
//! 1. An empty array becomes one of the slice's shape, filled from the source; both
//!    bounds of every subscript must be given.
//! 2. A one-dimensional array grows in either direction to cover the slice, new
//!    positions outside it reading NULL; other arrays take only slices inside their
//!    bounds, and subscripts left out cover their whole dimension.
//! 3. The source's elements are read in order, whatever its shape; extra ones are
//!    ignored, too few is 2202E `source array too small`.

use super::{element_count, too_many_dimensions, Array, ArrayDim, MAXDIM};
use crate::{pg_err, Datum, Error, Result};

fn bound_order() -> Error {
    pg_err!(
        ARRAY_SUBSCRIPT_ERROR,
        "upper bound cannot be less than lower bound"
    )
}

fn too_small() -> Error {
    pg_err!(ARRAY_SUBSCRIPT_ERROR, "source array too small")
}

impl Array {
    /// The array with the slice `lower:upper` (one pair per subscript, `None` where
    /// a bound is left out) replaced by `source`'s elements (see the module rules).
    ///
    /// Errors: 2202E `wrong number of array subscripts`, `array subscript out of range`,
    /// `upper bound cannot be less than lower bound`, `source array too small`, `array
    /// slice subscript must provide both boundaries`; 54000 when too large.
    pub fn assign_slice(
        self,
        lower: &[Option<i32>],
        upper: &[Option<i32>],
        source: &Array,
    ) -> Result<Array> {
        let n = upper.len();
        if n > MAXDIM {
            return Err(too_many_dimensions(n));
        }
        if self.dims.is_empty() {
            let mut dims = Vec::with_capacity(n);
            for (l, u) in lower.iter().zip(upper) {
                let (Some(l), Some(u)) = (l, u) else {
                    return Err(pg_err!(
                        ARRAY_SUBSCRIPT_ERROR,
                        "array slice subscript must provide both boundaries"
                    )
                    .detail(
                        "When assigning to a slice of an empty array value, slice boundaries must be fully specified.",
                    ));
                };
                let len = 1 + i64::from(*u) - i64::from(*l);
                dims.push(ArrayDim {
                    len: i32::try_from(len).unwrap_or(-1),
                    lower: *l,
                });
            }
            let count = element_count(&dims)?;
            if count > source.elems.len() {
                return Err(too_small());
            }
            return Array::new(self.elem_type, dims, source.elems[..count].to_vec());
        }
        let ndim = self.dims.len();
        if ndim < n {
            return Err(pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "wrong number of array subscripts"
            ));
        }
        let mut ranges: Vec<(i32, i32)> = Vec::with_capacity(ndim);
        let mut array = self;
        if ndim == 1 {
            let d = array.dims[0];
            let lo = lower.first().copied().flatten().unwrap_or(d.lower);
            let hi = upper.first().copied().flatten().unwrap_or(d.upper());
            if lo > hi {
                return Err(bound_order());
            }
            array = array.cover(lo, hi)?;
            ranges.push((lo, hi));
        } else {
            for (i, d) in array.dims.iter().enumerate() {
                let lo = lower.get(i).copied().flatten().unwrap_or(d.lower);
                let hi = upper.get(i).copied().flatten().unwrap_or(d.upper());
                if lo > hi {
                    return Err(bound_order());
                }
                if i < n && (lo < d.lower || hi > d.upper()) {
                    return Err(pg_err!(
                        ARRAY_SUBSCRIPT_ERROR,
                        "array subscript out of range"
                    ));
                }
                ranges.push((lo, hi));
            }
        }
        let span: Vec<ArrayDim> = ranges
            .iter()
            .map(|(lo, hi)| ArrayDim {
                len: hi - lo + 1,
                lower: *lo,
            })
            .collect();
        if element_count(&span)? > source.elems.len() {
            return Err(too_small());
        }
        let mut idx: Vec<i32> = ranges.iter().map(|r| r.0).collect();
        for value in &source.elems {
            let offset = array.offset(&idx);
            array.elems[offset] = value.clone();
            // Advance the last subscript fastest; done when the first wraps.
            let mut k = idx.len();
            loop {
                if k == 0 {
                    return Ok(array);
                }
                k -= 1;
                if idx[k] < ranges[k].1 {
                    idx[k] += 1;
                    break;
                }
                idx[k] = ranges[k].0;
            }
        }
        Ok(array)
    }

    /// A one-dimensional array grown to cover subscripts `lo..=hi`, new positions NULL.
    fn cover(mut self, lo: i32, hi: i32) -> Result<Array> {
        let d = self.dims[0];
        let lower = i64::from(d.lower.min(lo));
        let upper = i64::from(d.upper().max(hi));
        let len = upper - lower + 1;
        let dims = [ArrayDim {
            len: i32::try_from(len).unwrap_or(-1),
            lower: lower as i32,
        }];
        let len = element_count(&dims)?;
        super::check_bounds(&dims)?;
        let front = (i64::from(d.lower) - lower) as usize;
        let mut elems = Vec::with_capacity(len);
        elems.resize(front, Datum::Null);
        elems.append(&mut self.elems);
        elems.resize(len, Datum::Null);
        self.elems = elems;
        self.dims = dims.to_vec();
        Ok(self)
    }

    /// The row-major position of in-bounds subscripts `idx`.
    fn offset(&self, idx: &[i32]) -> usize {
        self.dims.iter().zip(idx).fold(0usize, |acc, (d, s)| {
            acc * d.len as usize + (s - d.lower) as usize
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::type_oid;

    fn ints(dims: &[(i32, i32)], values: &[i32]) -> Array {
        Array::new(
            type_oid::INT4,
            dims.iter()
                .map(|(len, lower)| ArrayDim {
                    len: *len,
                    lower: *lower,
                })
                .collect(),
            values.iter().map(|v| Datum::Int4(*v)).collect(),
        )
        .expect("valid array")
    }

    #[test]
    fn slice_inside_one_dimension_replaces_in_place() {
        let a = ints(&[(3, 1)], &[1, 2, 3]);
        let out = a
            .assign_slice(&[Some(2)], &[Some(3)], &ints(&[(2, 1)], &[20, 30]))
            .expect("assigned");
        assert_eq!(out, ints(&[(3, 1)], &[1, 20, 30]));
    }

    #[test]
    fn slice_past_the_end_of_one_dimension_pads_with_nulls() {
        let a = ints(&[(2, 1)], &[1, 2]);
        let out = a
            .assign_slice(&[Some(4)], &[Some(5)], &ints(&[(2, 1)], &[4, 5]))
            .expect("assigned");
        assert_eq!(out.dims, vec![ArrayDim { len: 5, lower: 1 }]);
        assert_eq!(out.elems[2], Datum::Null);
        assert_eq!(out.elems[4], Datum::Int4(5));
    }

    #[test]
    fn slice_of_empty_array_takes_the_slice_shape() {
        let out = Array::empty(type_oid::INT4)
            .assign_slice(&[Some(2)], &[Some(3)], &ints(&[(3, 1)], &[7, 8, 9]))
            .expect("assigned");
        assert_eq!(out, ints(&[(2, 2)], &[7, 8]));
        let err = Array::empty(type_oid::INT4)
            .assign_slice(&[None], &[Some(3)], &ints(&[(3, 1)], &[7, 8, 9]))
            .expect_err("bounds needed");
        assert_eq!(
            err.message,
            "array slice subscript must provide both boundaries"
        );
    }

    #[test]
    fn short_source_and_out_of_range_multidimensional_slices_fail() {
        let a = ints(&[(2, 1)], &[1, 2]);
        let err = a
            .assign_slice(&[Some(1)], &[Some(2)], &ints(&[(1, 1)], &[9]))
            .expect_err("too small");
        assert_eq!(err.message, "source array too small");
        let m = ints(&[(2, 1), (2, 1)], &[1, 2, 3, 4]);
        let err = m
            .clone()
            .assign_slice(&[Some(1)], &[Some(3)], &ints(&[(6, 1)], &[0; 6]))
            .expect_err("out of range");
        assert_eq!(err.message, "array subscript out of range");
        let out = m
            .assign_slice(
                &[Some(1), Some(2)],
                &[Some(2), Some(2)],
                &ints(&[(3, 1)], &[7, 8, 9]),
            )
            .expect("assigned");
        assert_eq!(out, ints(&[(2, 1), (2, 1)], &[1, 7, 3, 8]));
    }
}
