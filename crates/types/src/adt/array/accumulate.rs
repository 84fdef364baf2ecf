//! Building an array from a stream of values, as `array_agg` does (PostgreSQL's
//! `accumArrayResult` and `accumArrayResultArr`): [`ElementAccumulator`] collects
//! elements (NULLs included) into a one-dimensional array; [`ArrayAccumulator`] stacks
//! arrays of one shape along a new outer dimension.

use super::{too_many_dimensions, Array, ArrayDim, MAXDIM};
use crate::{pg_err, Datum, Oid, Result};

/// `array_agg(anynonarray)`: every value, NULL or not, becomes the next element.
#[derive(Debug, Clone)]
pub struct ElementAccumulator {
    elem_type: Oid,
    elems: Vec<Datum>,
    rows: usize,
}

impl ElementAccumulator {
    /// An accumulator of elements of `elem_type`.
    pub fn new(elem_type: Oid) -> ElementAccumulator {
        ElementAccumulator {
            elem_type,
            elems: Vec::new(),
            rows: 0,
        }
    }

    /// Adds the next value.
    pub fn push(&mut self, value: Datum) {
        self.rows += 1;
        self.elems.push(value);
    }

    /// The array of all values, lower bound 1; `None` (SQL NULL) when no row came.
    pub fn finish(self) -> Option<Array> {
        (self.rows > 0).then(|| Array::from_elements(self.elem_type, self.elems))
    }
}

/// `array_agg(anyarray)`: arrays of one shape stacked into an array of one more
/// dimension.
#[derive(Debug, Clone)]
pub struct ArrayAccumulator {
    elem_type: Oid,
    inner: Option<Vec<ArrayDim>>,
    count: i32,
    elems: Vec<Datum>,
}

impl ArrayAccumulator {
    /// An accumulator of arrays whose elements are `elem_type`.
    pub fn new(elem_type: Oid) -> ArrayAccumulator {
        ArrayAccumulator {
            elem_type,
            inner: None,
            count: 0,
            elems: Vec::new(),
        }
    }

    /// Adds the next array.
    ///
    /// Errors: 22004 `cannot accumulate null arrays`; 2202E `cannot accumulate empty
    /// arrays` and `cannot accumulate arrays of different dimensionality`; 54000 when the
    /// result would have more than six dimensions.
    pub fn push(&mut self, value: &Datum) -> Result<()> {
        let array = match value {
            Datum::Array(a) => a,
            _ => {
                return Err(pg_err!(
                    NULL_VALUE_NOT_ALLOWED,
                    "cannot accumulate null arrays"
                ))
            }
        };
        if array.is_empty() {
            return Err(pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "cannot accumulate empty arrays"
            ));
        }
        match &self.inner {
            None => {
                if array.ndim() + 1 > MAXDIM {
                    return Err(too_many_dimensions(array.ndim() + 1));
                }
                self.inner = Some(array.dims.clone());
            }
            Some(dims) if *dims != array.dims => {
                return Err(pg_err!(
                    ARRAY_SUBSCRIPT_ERROR,
                    "cannot accumulate arrays of different dimensionality"
                ))
            }
            Some(_) => {}
        }
        self.count += 1;
        self.elems.extend(array.elems.iter().cloned());
        Ok(())
    }

    /// The stacked array, outer lower bound 1; `None` (SQL NULL) when no row came.
    ///
    /// Errors: 54000 when the result holds too many elements.
    pub fn finish(self) -> Result<Option<Array>> {
        let Some(inner) = self.inner else {
            return Ok(None);
        };
        let mut dims = Vec::with_capacity(inner.len() + 1);
        dims.push(ArrayDim {
            len: self.count,
            lower: 1,
        });
        dims.extend(inner);
        Array::new(self.elem_type, dims, self.elems).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i32]) -> Datum {
        Datum::Array(Box::new(Array::from_elements(
            Oid(23),
            v.iter().map(|i| Datum::Int4(*i)).collect(),
        )))
    }

    #[test]
    fn elements_and_nulls_accumulate_in_order() {
        let mut acc = ElementAccumulator::new(Oid(23));
        assert!(acc.clone().finish().is_none());
        acc.push(Datum::Int4(1));
        acc.push(Datum::Null);
        let a = acc.finish().expect("rows came");
        assert_eq!(a.elems, vec![Datum::Int4(1), Datum::Null]);
    }

    #[test]
    fn arrays_stack_along_a_new_dimension() {
        let mut acc = ArrayAccumulator::new(Oid(23));
        acc.push(&ints(&[1, 2])).expect("push");
        acc.push(&ints(&[3, 4])).expect("push");
        let a = acc.clone().finish().expect("finish").expect("rows came");
        assert_eq!(
            a.dims,
            vec![ArrayDim { len: 2, lower: 1 }, ArrayDim { len: 2, lower: 1 }]
        );
        let e = acc.push(&ints(&[5])).expect_err("shape");
        assert_eq!(
            e.message,
            "cannot accumulate arrays of different dimensionality"
        );
        let e = acc.push(&Datum::Null).expect_err("null");
        assert_eq!(e.message, "cannot accumulate null arrays");
        let e = acc.push(&ints(&[])).expect_err("empty");
        assert_eq!(e.message, "cannot accumulate empty arrays");
        assert!(ArrayAccumulator::new(Oid(23))
            .finish()
            .expect("finish")
            .is_none());
    }
}
