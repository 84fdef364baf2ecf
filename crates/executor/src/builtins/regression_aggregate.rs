//! The two-variable float8 aggregates of SQL's linear regression family: `covar_pop`,
//! `covar_samp`, `corr` and `regr_*`. Each is called `(Y, X)` and folds its rows into
//! PostgreSQL's six sums `N, Sx, Sxx, Sy, Syy, Sxy`, updated with the Youngs-Cramer
//! method (`Sxx` and friends are sums of squared deviations, not of squares), so results
//! agree with PostgreSQL's to the last bit.
//!
//! Rules (PostgreSQL's `float8_regr_accum` and the final functions after it):
//! 1. Rows with a NULL argument are skipped (the aggregates are strict).
//! 2. A first value that is infinite or NaN makes the dependent sums NaN, so one row is
//!    not reported as zero variance.
//! 3. A sum that becomes infinite from finite inputs is 22003 `value out of range:
//!    overflow`; from infinite inputs it becomes NaN.
//!
//! Entry point: [`Regression`], made by `aggregate` for the family's names.

use tusk_types::adt::float::float_overflow_error;
use tusk_types::{Datum, Result};

use super::aggregate::AggState;
use crate::EvalContext;

/// Which value of the six sums the aggregate returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RegressionResult {
    /// `regr_count`: rows with both values, as bigint.
    Count,
    /// `regr_sxx`.
    Sxx,
    /// `regr_syy`.
    Syy,
    /// `regr_sxy`.
    Sxy,
    /// `regr_avgx`.
    AvgX,
    /// `regr_avgy`.
    AvgY,
    /// `regr_r2`.
    R2,
    /// `regr_slope`.
    Slope,
    /// `regr_intercept`.
    Intercept,
    /// `covar_pop`.
    CovarPop,
    /// `covar_samp`.
    CovarSamp,
    /// `corr`.
    Corr,
}

impl RegressionResult {
    /// The result computed by the aggregate named `name`, if it is one of the family.
    pub fn by_name(name: &str) -> Option<RegressionResult> {
        Some(match name {
            "regr_count" => RegressionResult::Count,
            "regr_sxx" => RegressionResult::Sxx,
            "regr_syy" => RegressionResult::Syy,
            "regr_sxy" => RegressionResult::Sxy,
            "regr_avgx" => RegressionResult::AvgX,
            "regr_avgy" => RegressionResult::AvgY,
            "regr_r2" => RegressionResult::R2,
            "regr_slope" => RegressionResult::Slope,
            "regr_intercept" => RegressionResult::Intercept,
            "covar_pop" => RegressionResult::CovarPop,
            "covar_samp" => RegressionResult::CovarSamp,
            "corr" => RegressionResult::Corr,
            _ => return None,
        })
    }
}

/// The running sums of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression {
    result: RegressionResult,
    n: f64,
    sx: f64,
    sxx: f64,
    sy: f64,
    syy: f64,
    sxy: f64,
}

impl Regression {
    /// An empty group computing `result`.
    pub fn new(result: RegressionResult) -> Regression {
        Regression {
            result,
            n: 0.0,
            sx: 0.0,
            sxx: 0.0,
            sy: 0.0,
            syy: 0.0,
            sxy: 0.0,
        }
    }

    /// Folds in one row `(y, x)` (rules 2 and 3).
    pub fn accumulate(&mut self, y: f64, x: f64) -> Result<()> {
        let old_n = self.n;
        let n = old_n + 1.0;
        let sx = self.sx + x;
        let sy = self.sy + y;
        let (mut sxx, mut syy, mut sxy) = (self.sxx, self.syy, self.sxy);
        if old_n > 0.0 {
            let tmp_x = x * n - sx;
            let tmp_y = y * n - sy;
            let scale = 1.0 / (n * old_n);
            sxx += tmp_x * tmp_x * scale;
            syy += tmp_y * tmp_y * scale;
            sxy += tmp_x * tmp_y * scale;
            if sx.is_infinite() || sxx.is_infinite() {
                if !self.sx.is_infinite() && !x.is_infinite() {
                    return Err(float_overflow_error());
                }
                sxx = f64::NAN;
            }
            if sy.is_infinite() || syy.is_infinite() {
                if !self.sy.is_infinite() && !y.is_infinite() {
                    return Err(float_overflow_error());
                }
                syy = f64::NAN;
            }
            if sxy.is_infinite() {
                if !self.sx.is_infinite()
                    && !x.is_infinite()
                    && !self.sy.is_infinite()
                    && !y.is_infinite()
                {
                    return Err(float_overflow_error());
                }
                sxy = f64::NAN;
            }
        } else {
            if x.is_nan() || x.is_infinite() {
                sxx = f64::NAN;
                sxy = f64::NAN;
            }
            if y.is_nan() || y.is_infinite() {
                syy = f64::NAN;
                sxy = f64::NAN;
            }
        }
        self.n = n;
        self.sx = sx;
        self.sy = sy;
        self.sxx = sxx;
        self.syy = syy;
        self.sxy = sxy;
        Ok(())
    }

    /// The aggregate's value: NULL where PostgreSQL's final function returns NULL (too
    /// few rows, or a zero variance it would divide by).
    pub fn value(&self) -> Datum {
        use RegressionResult as R;
        if self.result == R::Count {
            return Datum::Int8(self.n as i64);
        }
        let min = if self.result == R::CovarSamp {
            2.0
        } else {
            1.0
        };
        if self.n < min {
            return Datum::Null;
        }
        let v = match self.result {
            R::Count => unreachable!("handled above"),
            R::Sxx => self.sxx,
            R::Syy => self.syy,
            R::Sxy => self.sxy,
            R::AvgX => self.sx / self.n,
            R::AvgY => self.sy / self.n,
            R::CovarPop => self.sxy / self.n,
            R::CovarSamp => self.sxy / (self.n - 1.0),
            R::Corr => {
                if self.sxx == 0.0 || self.syy == 0.0 {
                    return Datum::Null;
                }
                self.sxy / (self.sxx * self.syy).sqrt()
            }
            R::R2 => {
                if self.sxx == 0.0 {
                    return Datum::Null;
                }
                if self.syy == 0.0 {
                    1.0
                } else {
                    (self.sxy * self.sxy) / (self.sxx * self.syy)
                }
            }
            R::Slope => {
                if self.sxx == 0.0 {
                    return Datum::Null;
                }
                self.sxy / self.sxx
            }
            R::Intercept => {
                if self.sxx == 0.0 {
                    return Datum::Null;
                }
                (self.sy - self.sx * self.sxy / self.sxx) / self.n
            }
        };
        Datum::Float8(v)
    }
}

impl AggState for Regression {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let y = super::aggregate::float_arg(&args[0])?;
        let x = super::aggregate::float_arg(&args[1])?;
        self.accumulate(y, x)
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.value())
    }
}

/// The float8 state arrays of PostgreSQL's float aggregates as functions, for user
/// aggregates built on them and direct calls: `float8_accum` (N, Sx, Sxx) and
/// `float8_regr_accum` (N, Sx, Sxx, Sy, Syy, Sxy) fold in one value with the same
/// update as the native aggregates; `float8_combine` and `float8_regr_combine` merge two
/// states (Youngs-Cramer's pairwise formula); the final functions (`float8_avg`,
/// `float8_var_samp`, `float8_regr_slope`, ...) compute the aggregates' values from a
/// state.
pub(super) fn register(t: &mut super::Table) {
    super::reg(t, &["float8_accum"], |_, args| {
        let s = state(&args[0], 3, "float8_accum")?;
        let x = float8(&args[1])?;
        let (old_n, old_sx, mut sxx) = (s[0], s[1], s[2]);
        let n = old_n + 1.0;
        let sx = old_sx + x;
        if old_n > 0.0 {
            let tmp = x * n - sx;
            sxx += tmp * tmp / (n * old_n);
            if sx.is_infinite() || sxx.is_infinite() {
                if !old_sx.is_infinite() && !x.is_infinite() {
                    return Err(float_overflow_error());
                }
                sxx = f64::NAN;
            }
        } else if x.is_nan() || x.is_infinite() {
            sxx = f64::NAN;
        }
        Ok(state_array(&[n, sx, sxx]))
    });
    super::reg(t, &["float8_regr_accum"], |_, args| {
        let s = state(&args[0], 6, "float8_regr_accum")?;
        let (y, x) = (float8(&args[1])?, float8(&args[2])?);
        let mut r = from_sums(&s);
        r.accumulate(y, x)?;
        Ok(state_array(&[r.n, r.sx, r.sxx, r.sy, r.syy, r.sxy]))
    });
    super::reg(t, &["float8_combine"], |_, args| {
        let a = state(&args[0], 3, "float8_combine")?;
        let b = state(&args[1], 3, "float8_combine")?;
        let (n, sx, sxx) = combine_pair(a[0], a[1], a[2], b[0], b[1], b[2])?;
        Ok(state_array(&[n, sx, sxx]))
    });
    super::reg(t, &["float8_regr_combine"], |_, args| {
        let a = state(&args[0], 6, "float8_regr_combine")?;
        let b = state(&args[1], 6, "float8_regr_combine")?;
        if a[0] == 0.0 {
            return Ok(state_array(&b));
        }
        if b[0] == 0.0 {
            return Ok(state_array(&a));
        }
        let (n, sx, sxx) = combine_pair(a[0], a[1], a[2], b[0], b[1], b[2])?;
        let (_, sy, syy) = combine_pair(a[0], a[3], a[4], b[0], b[3], b[4])?;
        let (n1, n2) = (a[0], b[0]);
        let tmp_x = a[1] / n1 - b[1] / n2;
        let tmp_y = a[3] / n1 - b[3] / n2;
        let sxy = a[5] + b[5] + n1 * n2 * tmp_x * tmp_y / n;
        check_overflow(sxy, a[5].is_infinite() || b[5].is_infinite())?;
        Ok(state_array(&[n, sx, sxx, sy, syy, sxy]))
    });
    super::reg(t, &["float8_avg"], |_, args| {
        let s = state(&args[0], 3, "float8_avg")?;
        Ok(if s[0] == 0.0 {
            Datum::Null
        } else {
            Datum::Float8(s[1] / s[0])
        })
    });
    super::reg(t, &["float8_var_pop"], |_, args| {
        moment(&args[0], false, false)
    });
    super::reg(t, &["float8_var_samp"], |_, args| {
        moment(&args[0], true, false)
    });
    super::reg(t, &["float8_stddev_pop"], |_, args| {
        moment(&args[0], false, true)
    });
    super::reg(t, &["float8_stddev_samp"], |_, args| {
        moment(&args[0], true, true)
    });
    macro_rules! regression_final {
        ($($name:literal => $result:ident),* $(,)?) => {$(
            super::reg(t, &[$name], |_, args| {
                let s = state(&args[0], 6, $name)?;
                let mut r = from_sums(&s);
                r.result = RegressionResult::$result;
                Ok(r.value())
            });
        )*};
    }
    regression_final!(
        "float8_regr_sxx" => Sxx,
        "float8_regr_syy" => Syy,
        "float8_regr_sxy" => Sxy,
        "float8_regr_avgx" => AvgX,
        "float8_regr_avgy" => AvgY,
        "float8_regr_r2" => R2,
        "float8_regr_slope" => Slope,
        "float8_regr_intercept" => Intercept,
        "float8_covar_pop" => CovarPop,
        "float8_covar_samp" => CovarSamp,
        "float8_corr" => Corr,
    );
}

/// A state array's values, which must be `len` non-NULL float8s.
///
/// Errors: XX000 `caller: expected 3-element float8 array` otherwise.
fn state(d: &Datum, len: usize, caller: &str) -> Result<Vec<f64>> {
    let wrong =
        || tusk_types::Error::internal(format!("{caller}: expected {len}-element float8 array"));
    let Datum::Array(a) = d else {
        return Err(wrong());
    };
    if a.dims.len() != 1 || a.elems.len() != len {
        return Err(wrong());
    }
    a.elems
        .iter()
        .map(|e| match e {
            Datum::Float8(v) => Ok(*v),
            _ => Err(wrong()),
        })
        .collect()
}

fn float8(d: &Datum) -> Result<f64> {
    super::aggregate::float_arg(d)
}

fn state_array(values: &[f64]) -> Datum {
    Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
        tusk_types::type_oid::FLOAT8,
        values.iter().map(|v| Datum::Float8(*v)).collect(),
    )))
}

/// A group whose sums are `s` (N, Sx, Sxx, Sy, Syy, Sxy).
fn from_sums(s: &[f64]) -> Regression {
    Regression {
        result: RegressionResult::Count,
        n: s[0],
        sx: s[1],
        sxx: s[2],
        sy: s[3],
        syy: s[4],
        sxy: s[5],
    }
}

/// 22003 when `v` became infinite from finite inputs.
fn check_overflow(v: f64, inputs_infinite: bool) -> Result<()> {
    if v.is_infinite() && !inputs_infinite {
        return Err(float_overflow_error());
    }
    Ok(())
}

/// Two groups' (N, S, SS) merged: the sums add, and the sum of squared deviations gains
/// `N1 * N2 * (mean1 - mean2)^2 / N`.
fn combine_pair(n1: f64, s1: f64, ss1: f64, n2: f64, s2: f64, ss2: f64) -> Result<(f64, f64, f64)> {
    if n1 == 0.0 {
        return Ok((n2, s2, ss2));
    }
    if n2 == 0.0 {
        return Ok((n1, s1, ss1));
    }
    let n = n1 + n2;
    let s = s1 + s2;
    check_overflow(s, s1.is_infinite() || s2.is_infinite())?;
    let tmp = s1 / n1 - s2 / n2;
    let ss = ss1 + ss2 + n1 * n2 * tmp * tmp / n;
    check_overflow(ss, ss1.is_infinite() || ss2.is_infinite())?;
    Ok((n, s, ss))
}

/// `float8_var_pop` and friends over a (N, Sx, Sxx) state.
fn moment(d: &Datum, sample: bool, stddev: bool) -> Result<Datum> {
    let s = state(d, 3, "float8_var_pop")?;
    let (n, sxx) = (s[0], s[2]);
    let min = if sample { 2.0 } else { 1.0 };
    if n < min {
        return Ok(Datum::Null);
    }
    let v = sxx / if sample { n - 1.0 } else { n };
    Ok(Datum::Float8(if stddev { v.sqrt() } else { v }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(result: RegressionResult, rows: &[(f64, f64)]) -> Datum {
        let mut r = Regression::new(result);
        for (y, x) in rows {
            r.accumulate(*y, *x).expect("finite inputs");
        }
        r.value()
    }

    #[test]
    fn combining_two_states_adds_the_squared_mean_difference() {
        let (n, s, ss) = combine_pair(3.0, 60.0, 200.0, 2.0, 180.0, 200.0).expect("finite");
        assert_eq!((n, s, ss), (5.0, 240.0, 6280.0));
        assert_eq!(
            combine_pair(0.0, 0.0, 0.0, 2.0, 180.0, 200.0).expect("empty"),
            (2.0, 180.0, 200.0)
        );
        assert!(combine_pair(3.0, 1e308, 0.0, 2.0, 1e308, 0.0).is_err());
    }

    const LINE: &[(f64, f64)] = &[(1.0, 0.0), (3.0, 1.0), (5.0, 2.0), (7.0, 3.0)];

    #[test]
    fn a_straight_line_has_its_slope_intercept_and_perfect_fit() {
        assert_eq!(fold(RegressionResult::Slope, LINE), Datum::Float8(2.0));
        assert_eq!(fold(RegressionResult::Intercept, LINE), Datum::Float8(1.0));
        assert_eq!(fold(RegressionResult::R2, LINE), Datum::Float8(1.0));
        assert_eq!(fold(RegressionResult::Corr, LINE), Datum::Float8(1.0));
        assert_eq!(fold(RegressionResult::Count, LINE), Datum::Int8(4));
        assert_eq!(fold(RegressionResult::AvgX, LINE), Datum::Float8(1.5));
        assert_eq!(fold(RegressionResult::Sxx, LINE), Datum::Float8(5.0));
        assert_eq!(fold(RegressionResult::CovarPop, LINE), Datum::Float8(2.5));
    }

    #[test]
    fn too_few_rows_or_no_spread_give_null() {
        assert_eq!(
            fold(RegressionResult::CovarSamp, &[(1.0, 2.0)]),
            Datum::Null
        );
        assert_eq!(fold(RegressionResult::Sxx, &[]), Datum::Null);
        assert_eq!(fold(RegressionResult::Count, &[]), Datum::Int8(0));
        let flat = &[(1.0, 2.0), (3.0, 2.0)];
        assert_eq!(fold(RegressionResult::Slope, flat), Datum::Null);
        assert_eq!(fold(RegressionResult::Corr, flat), Datum::Null);
        let level = &[(1.0, 2.0), (1.0, 3.0)];
        assert_eq!(fold(RegressionResult::R2, level), Datum::Float8(1.0));
    }

    #[test]
    fn an_infinite_first_value_is_not_zero_variance_and_finite_overflow_fails() {
        let mut r = Regression::new(RegressionResult::Sxx);
        r.accumulate(1.0, f64::INFINITY).expect("infinite input");
        assert!(matches!(r.value(), Datum::Float8(v) if v.is_nan()));
        let mut r = Regression::new(RegressionResult::Sxx);
        r.accumulate(0.0, f64::MAX).expect("first row");
        assert!(r.accumulate(0.0, f64::MAX).is_err());
    }
}
