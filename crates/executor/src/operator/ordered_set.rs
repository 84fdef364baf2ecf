//! The built-in ordered-set and hypothetical-set aggregates (`WITHIN GROUP (ORDER BY
//! ...)`, PostgreSQL docs §9.21 tables 9.62 and 9.63), computed over a group's rows
//! already sorted by the call's ORDER BY.
//!
//! Rules (PostgreSQL's `orderedsetaggs.c`):
//! 1. `percentile_cont`, `percentile_disc` and `mode` ignore NULL aggregated values; a
//!    group without other values gives NULL.
//! 2. A percentile outside [0, 1] is 22003 `percentile value 2 is not between 0 and
//!    1`; a NULL percentile gives NULL (an element of the array form, a NULL element).
//! 3. `percentile_cont` interpolates linearly between the rows at `floor` and `ceil` of
//!    `p * (n - 1)`; `percentile_disc` takes the first row whose position reaches
//!    `ceil(p * n)`.
//! 4. `mode` is the most frequent value, the first in sort order among ties.
//! 5. The hypothetical-set aggregates place the direct arguments as one more row in the
//!    sort (NULLs per the ORDER BY's NULLS FIRST/LAST) and rank it: `rank` counts the
//!    rows before it, `dense_rank` the distinct ones, `percent_rank` is `(rank - 1) /
//!    n`, `cume_dist` the rows up to its last peer over `n + 1`.
//!
//! Entry points: [`OrderedSet::by_name`], [`OrderedSet::finish`].

use std::cmp::Ordering;

use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::SortSpec;
use crate::eval::sort_compare;
use crate::EvalContext;

/// Which built-in ordered-set aggregate a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OrderedSet {
    /// `percentile_cont`: interpolating (float8 or interval values); `true` for the
    /// array-of-fractions form.
    PercentileCont(bool),
    /// `percentile_disc`; `true` for the array form.
    PercentileDisc(bool),
    /// `mode()`.
    Mode,
    /// `rank(args)`.
    Rank,
    /// `dense_rank(args)`.
    DenseRank,
    /// `percent_rank(args)`.
    PercentRank,
    /// `cume_dist(args)`.
    CumeDist,
}

impl OrderedSet {
    /// The built-in ordered-set aggregate `proc`, if it is one.
    pub fn by_proc(proc: Oid) -> Option<OrderedSet> {
        let row = tusk_catalog::builtin().proc_by_oid(proc)?;
        if row.kind != b'a' {
            return None;
        }
        let array = row.arg_types.first() == Some(&type_oid::FLOAT8_ARRAY);
        Some(match row.name.as_str() {
            "percentile_cont" => OrderedSet::PercentileCont(array),
            "percentile_disc" => OrderedSet::PercentileDisc(array),
            "mode" => OrderedSet::Mode,
            "rank" => OrderedSet::Rank,
            "dense_rank" => OrderedSet::DenseRank,
            "percent_rank" => OrderedSet::PercentRank,
            "cume_dist" => OrderedSet::CumeDist,
            _ => return None,
        })
    }

    /// The aggregate's value for a group: `direct` holds the direct arguments, `rows`
    /// the aggregated arguments of each row, sorted by `specs` (columns from 0).
    ///
    /// Errors: 22003 for a percentile outside [0, 1]; those of the comparisons.
    pub fn finish(
        self,
        ctx: &mut EvalContext<'_>,
        direct: &[Datum],
        rows: &[Vec<Datum>],
        specs: &[SortSpec],
        ret: Oid,
    ) -> Result<Datum> {
        match self {
            OrderedSet::PercentileCont(_) | OrderedSet::PercentileDisc(_) => {
                let values: Vec<&Datum> = rows
                    .iter()
                    .filter_map(|r| r.first())
                    .filter(|d| !d.is_null())
                    .collect();
                let cont = matches!(self, OrderedSet::PercentileCont(_));
                match direct.first() {
                    None | Some(Datum::Null) => Ok(Datum::Null),
                    Some(Datum::Array(fractions)) => {
                        let mut out = Vec::with_capacity(fractions.elems.len());
                        for f in &fractions.elems {
                            out.push(match f {
                                Datum::Null => Datum::Null,
                                f => percentile(ctx, cont, fraction(f)?, &values)?,
                            });
                        }
                        if values.is_empty() {
                            return Ok(Datum::Null);
                        }
                        let elem = crate::io::array_type_element(ret).unwrap_or(type_oid::FLOAT8);
                        let mut array = Array::from_elements(elem, out);
                        array.dims = fractions.dims.clone();
                        Ok(Datum::Array(Box::new(array)))
                    }
                    Some(f) => percentile(ctx, cont, fraction(f)?, &values),
                }
            }
            OrderedSet::Mode => {
                let spec = specs
                    .first()
                    .ok_or_else(|| Error::internal("mode without a key"))?;
                let mut best: Option<(&Datum, usize)> = None;
                let mut current: Option<(&Datum, usize)> = None;
                for v in rows
                    .iter()
                    .filter_map(|r| r.first())
                    .filter(|d| !d.is_null())
                {
                    current = match current {
                        Some((c, n))
                            if sort_compare(ctx, spec.lt, c, v, false, false)?
                                == Ordering::Equal =>
                        {
                            Some((c, n + 1))
                        }
                        _ => Some((v, 1)),
                    };
                    let (c, n) = current.expect("set above");
                    if best.is_none_or(|(_, m)| n > m) {
                        best = Some((c, n));
                    }
                }
                Ok(best.map_or(Datum::Null, |(v, _)| v.clone()))
            }
            OrderedSet::Rank
            | OrderedSet::DenseRank
            | OrderedSet::PercentRank
            | OrderedSet::CumeDist => {
                let n = rows.len();
                let mut before = 0usize;
                let mut distinct_before = 0usize;
                let mut up_to_peers = 0usize;
                let mut previous: Option<&Vec<Datum>> = None;
                for r in rows {
                    let ord = compare_rows(ctx, r, direct, specs)?;
                    if ord == Ordering::Less {
                        before += 1;
                        let new_group = match previous {
                            None => true,
                            Some(p) => compare_rows(ctx, p, r, specs)? != Ordering::Equal,
                        };
                        if new_group {
                            distinct_before += 1;
                        }
                        previous = Some(r);
                    }
                    if ord != Ordering::Greater {
                        up_to_peers += 1;
                    }
                }
                Ok(match self {
                    OrderedSet::Rank => Datum::Int8(before as i64 + 1),
                    OrderedSet::DenseRank => Datum::Int8(distinct_before as i64 + 1),
                    OrderedSet::PercentRank => Datum::Float8(if n == 0 {
                        0.0
                    } else {
                        before as f64 / n as f64
                    }),
                    _ => Datum::Float8((up_to_peers + 1) as f64 / (n + 1) as f64),
                })
            }
        }
    }
}

/// The order of aggregated row `row` against `other` (a row or the hypothetical one).
fn compare_rows(
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
    other: &[Datum],
    specs: &[SortSpec],
) -> Result<Ordering> {
    for (i, s) in specs.iter().enumerate() {
        let ord = sort_compare(ctx, s.lt, &row[i], &other[i], s.descending, s.nulls_first)?;
        if ord != Ordering::Equal {
            return Ok(ord);
        }
    }
    Ok(Ordering::Equal)
}

/// A percentile fraction, checked (rule 2).
fn fraction(d: &Datum) -> Result<f64> {
    let p = match d {
        Datum::Float8(v) => *v,
        Datum::Float4(v) => f64::from(*v),
        other => {
            return Err(Error::internal(format!(
                "float8 percentile expected, got {other:?}"
            )))
        }
    };
    if !(0.0..=1.0).contains(&p) || p.is_nan() {
        return Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "percentile value {} is not between 0 and 1",
            tusk_types::adt::float::float8_out(p, 1)
        ));
    }
    Ok(p)
}

/// One percentile of the sorted non-NULL `values` (rule 3).
fn percentile(ctx: &mut EvalContext<'_>, cont: bool, p: f64, values: &[&Datum]) -> Result<Datum> {
    let n = values.len();
    if n == 0 {
        return Ok(Datum::Null);
    }
    if !cont {
        let row = (p * n as f64).ceil() as usize;
        return Ok(values[row.max(1) - 1].clone());
    }
    let position = p * (n - 1) as f64;
    let (first, second) = (position.floor() as usize, position.ceil() as usize);
    if first == second {
        return Ok(values[first].clone());
    }
    let proportion = position - first as f64;
    match (values[first], values[second]) {
        (Datum::Float8(a), Datum::Float8(b)) => Ok(Datum::Float8(a + (b - a) * proportion)),
        (a @ Datum::Interval { .. }, b @ Datum::Interval { .. }) => {
            let call = |name: &str| match crate::builtins::by_src(name) {
                Some(crate::builtins::Builtin::Scalar(f)) => Ok(f),
                _ => Err(Error::internal(format!("missing built-in {name}"))),
            };
            let difference = call("interval_mi")?(ctx, &[b.clone(), a.clone()])?;
            let step = call("interval_mul")?(ctx, &[difference, Datum::Float8(proportion)])?;
            call("interval_pl")?(ctx, &[a.clone(), step])
        }
        (a, _) => Err(Error::internal(format!(
            "percentile_cont over {a:?} values"
        ))),
    }
}
