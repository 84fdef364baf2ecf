//! Aggregate functions: transition state and final value, native to tusk, chosen by the
//! aggregate's `pg_proc` row (name and argument type), with PostgreSQL 15's result types
//! and arithmetic: `sum(int4)` accumulates in bigint, `sum(int8)` and `avg` of integers
//! in numeric (`avg` divides with numeric's display-scale rule), `avg(float8)` is the
//! plain sum over the count, `stddev`/`variance` use the Youngs-Cramer updates.
//!
//! Invariant: [`AggState::advance`] is only called with rows whose arguments passed the
//! aggregate's strictness rule (see [`Aggregate::skips_row`]); `count(*)` sees every row.
//!
//! Entry point: [`aggregate`].

use tusk_types::adt::array::{ArrayAccumulator, ElementAccumulator};
use tusk_types::adt::float::{float4_add, float8_add};
use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use std::rc::Rc;

use super::regression_aggregate::{Regression, RegressionResult};
use super::user_aggregate::UserAggregate;
use super::{Builtin, ScalarFn};
use crate::EvalContext;

/// One group's running state of one aggregate.
pub trait AggState {
    /// Folds one input row's argument values in.
    fn advance(&mut self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<()>;
    /// The aggregate's value for the rows folded in so far.
    fn finish(&self, ctx: &mut EvalContext<'_>) -> Result<Datum>;
    /// The direct arguments' values of an ordered-set aggregate's group, given before
    /// its rows.
    fn set_direct_args(&mut self, direct: &[Datum]) {
        let _ = direct;
    }
}

/// An aggregate implementation: makes a fresh state per group.
#[derive(Clone)]
pub struct Aggregate {
    kind: Kind,
    /// A user-defined aggregate (then `kind` is unused).
    user: Option<Rc<UserAggregate>>,
    /// Comparison for min/max: the type's `<` function; for [`Kind::Fold`], the
    /// transition function.
    lt: Option<ScalarFn>,
    /// The argument type.
    arg: Oid,
    /// The resolved result type (for polymorphic aggregates, the actual array type).
    ret: Oid,
    /// The call's actual argument types (first two; `INVALID` where absent), for the
    /// JSON aggregates, which format values by type.
    actual: [Oid; 2],
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    CountStar,
    Count,
    SumInt,
    SumInt8,
    SumFloat4,
    SumFloat8,
    SumNumeric,
    SumInterval,
    AvgInt,
    AvgNumeric,
    AvgFloat,
    AvgInterval,
    Min,
    Max,
    BoolAnd,
    BoolOr,
    StringAgg,
    /// Variance family over float: (sample, stddev).
    FloatMoment(bool, bool),
    /// Variance family over numeric (and integers): (sample, stddev).
    NumericMoment(bool, bool),
    /// `array_agg(anynonarray)`: every value (NULLs too) becomes an element.
    ArrayAggElements,
    /// `array_agg(anyarray)`: arrays stacked along a new outer dimension.
    ArrayAggArrays,
    /// `bit_and`/`bit_or`/`bit_xor` over an integer type.
    Bit(BitOp),
    /// `json_agg` (false) / `jsonb_agg` (true).
    JsonAgg(bool),
    /// `json_object_agg` (false) / `jsonb_object_agg` (true).
    JsonObjectAgg(bool),
    /// `range_intersect_agg(anyrange)`.
    RangeIntersect,
    /// `range_intersect_agg(anymultirange)`.
    MultirangeIntersect,
    /// `range_agg(anyrange)` and `range_agg(anymultirange)`.
    RangeAgg,
    /// `covar_*`, `corr` and `regr_*` over float8 `(Y, X)`.
    Regression(RegressionResult),
    /// An aggregate whose transition function combines two values of the argument
    /// type, with no initial value (`sum(money)` by `cash_pl`, `bit_and(bit)` by
    /// `bitand`): NULL over no rows, else the first value folded with the rest.
    Fold,
}

/// The operation of a bitwise aggregate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BitOp {
    And,
    Or,
    Xor,
}

impl Aggregate {
    /// The element type of an `array_agg` result.
    /// The element type of the array the aggregate builds: of its built-in result
    /// type, else (an array of a user-defined type) the argument's type.
    fn element_type(&self) -> Oid {
        crate::io::array_type_element(self.ret).unwrap_or(self.actual[0])
    }

    /// A fresh state for one group.
    pub fn start(&self) -> Box<dyn AggState> {
        if let Some(user) = &self.user {
            return user.start();
        }
        match self.kind {
            Kind::CountStar | Kind::Count => Box::new(Count(0)),
            Kind::RangeIntersect => Box::new(super::range::RangeIntersectAgg::default()),
            Kind::MultirangeIntersect => {
                Box::new(super::multirange::MultirangeIntersectAgg::default())
            }
            Kind::RangeAgg => Box::new(super::multirange::RangeAgg::default()),
            Kind::Regression(result) => Box::new(Regression::new(result)),
            Kind::SumInt => Box::new(SumInt(None)),
            Kind::SumInt8 | Kind::SumNumeric | Kind::AvgInt | Kind::AvgNumeric => {
                Box::new(NumericSum {
                    sum: None,
                    count: 0,
                    avg: matches!(self.kind, Kind::AvgInt | Kind::AvgNumeric),
                })
            }
            Kind::SumFloat4 => Box::new(SumFloat4(None)),
            Kind::SumFloat8 | Kind::AvgFloat => Box::new(FloatMoments {
                n: 0.0,
                sx: 0.0,
                sxx: 0.0,
                result: if self.kind == Kind::AvgFloat {
                    FloatResult::Avg
                } else {
                    FloatResult::Sum
                },
            }),
            Kind::FloatMoment(sample, stddev) => Box::new(FloatMoments {
                n: 0.0,
                sx: 0.0,
                sxx: 0.0,
                result: FloatResult::Variance { sample, stddev },
            }),
            Kind::NumericMoment(sample, stddev) => Box::new(NumericMoments {
                n: 0,
                sx: Numeric::zero(),
                sxx: Numeric::zero(),
                sample,
                stddev,
            }),
            Kind::SumInterval | Kind::AvgInterval => Box::new(IntervalSum {
                sum: None,
                count: 0,
                avg: self.kind == Kind::AvgInterval,
            }),
            Kind::Min | Kind::Max => Box::new(Extreme {
                best: None,
                lt: self.lt.expect("min/max has a comparison"),
                max: self.kind == Kind::Max,
            }),
            Kind::BoolAnd | Kind::BoolOr => Box::new(BoolFold {
                value: None,
                and: self.kind == Kind::BoolAnd,
            }),
            Kind::Fold => Box::new(Fold {
                step: self.lt.expect("a fold has a transition function"),
                value: None,
            }),
            Kind::Bit(op) => Box::new(BitFold {
                op,
                arg: self.arg,
                value: None,
            }),
            Kind::ArrayAggElements => Box::new(ArrayAgg::Elements(ElementAccumulator::new(
                self.element_type(),
            ))),
            Kind::ArrayAggArrays => {
                Box::new(ArrayAgg::Arrays(ArrayAccumulator::new(self.element_type())))
            }
            Kind::StringAgg => Box::new(StringAgg {
                text: self.arg == type_oid::TEXT,
                out: None,
            }),
            Kind::JsonAgg(jsonb) => Box::new(super::json_build::JsonAgg {
                jsonb,
                arg_type: self.actual[0],
                items: Vec::new(),
            }),
            Kind::JsonObjectAgg(jsonb) => Box::new(super::json_build::JsonObjectAgg {
                jsonb,
                key_type: self.actual[0],
                value_type: self.actual[1],
                pairs: Vec::new(),
            }),
        }
    }

    /// True if a row with these argument values is left out: any NULL argument, except
    /// for `count(*)` (no arguments), `string_agg`'s delimiter and `array_agg` (not
    /// strict: NULL elements are kept, NULL arrays are an error).
    pub fn skips_row(&self, args: &[Datum]) -> bool {
        if self.user.is_some() {
            // The state applies its transition function's strictness (rule 2 of
            // `user_aggregate`).
            return false;
        }
        match self.kind {
            Kind::CountStar
            | Kind::ArrayAggElements
            | Kind::ArrayAggArrays
            | Kind::JsonAgg(_)
            | Kind::JsonObjectAgg(_) => false,
            Kind::StringAgg => args.first().is_none_or(Datum::is_null),
            _ => args.iter().any(Datum::is_null),
        }
    }
}

/// The implementation of aggregate `proc` whose call's result type resolved to `ret`
/// (the declared result type unless it is polymorphic) and whose arguments have the SQL
/// types `arg_types`.
///
/// Errors: 0A000 `aggregate name(types) is not supported yet`.
pub fn aggregate(proc: Oid, ret: Oid, arg_types: &[Oid]) -> Result<Aggregate> {
    let row = tusk_catalog::builtin()
        .proc_by_oid(proc)
        .ok_or_else(|| Error::internal(format!("cache lookup failed for function {}", proc.0)))?;
    let arg = row.arg_types.first().copied().unwrap_or(Oid::INVALID);
    let int = matches!(arg, type_oid::INT2 | type_oid::INT4);
    let int8 = arg == type_oid::INT8;
    let float = matches!(arg, type_oid::FLOAT4 | type_oid::FLOAT8);
    let numeric_like = int || int8 || arg == type_oid::NUMERIC;
    let moment = |sample: bool, stddev: bool| {
        if float {
            Some(Kind::FloatMoment(sample, stddev))
        } else if numeric_like {
            Some(Kind::NumericMoment(sample, stddev))
        } else {
            None
        }
    };
    let kind = match row.name.as_str() {
        "count" if row.arg_types.is_empty() => Some(Kind::CountStar),
        "count" => Some(Kind::Count),
        "sum" if int => Some(Kind::SumInt),
        "sum" if int8 => Some(Kind::SumInt8),
        "sum" if arg == type_oid::NUMERIC => Some(Kind::SumNumeric),
        "sum" if arg == type_oid::FLOAT4 => Some(Kind::SumFloat4),
        "sum" if arg == type_oid::FLOAT8 => Some(Kind::SumFloat8),
        "sum" if arg == type_oid::INTERVAL => Some(Kind::SumInterval),
        "avg" if int || int8 => Some(Kind::AvgInt),
        "avg" if arg == type_oid::NUMERIC => Some(Kind::AvgNumeric),
        "avg" if float => Some(Kind::AvgFloat),
        "avg" if arg == type_oid::INTERVAL => Some(Kind::AvgInterval),
        "min" | "max" => Some(if row.name == "min" {
            Kind::Min
        } else {
            Kind::Max
        }),
        "bool_and" | "every" => Some(Kind::BoolAnd),
        "bool_or" => Some(Kind::BoolOr),
        "string_agg" if matches!(arg, type_oid::TEXT | type_oid::BYTEA) => Some(Kind::StringAgg),
        "var_samp" | "variance" => moment(true, false),
        "var_pop" => moment(false, false),
        "stddev_samp" | "stddev" => moment(true, true),
        "stddev_pop" => moment(false, true),
        "bit_and" if int || int8 => Some(Kind::Bit(BitOp::And)),
        "bit_or" if int || int8 => Some(Kind::Bit(BitOp::Or)),
        "bit_xor" if int || int8 => Some(Kind::Bit(BitOp::Xor)),
        "array_agg" if arg == ANYNONARRAY => Some(Kind::ArrayAggElements),
        "array_agg" if arg == type_oid::ANYARRAY => Some(Kind::ArrayAggArrays),
        "json_agg" => Some(Kind::JsonAgg(false)),
        "jsonb_agg" => Some(Kind::JsonAgg(true)),
        "json_object_agg" => Some(Kind::JsonObjectAgg(false)),
        "jsonb_object_agg" => Some(Kind::JsonObjectAgg(true)),
        "range_intersect_agg" if arg == ANYRANGE => Some(Kind::RangeIntersect),
        "range_intersect_agg" if arg == ANYMULTIRANGE => Some(Kind::MultirangeIntersect),
        "range_agg" if arg == ANYRANGE || arg == ANYMULTIRANGE => Some(Kind::RangeAgg),
        name if arg == type_oid::FLOAT8 && row.arg_types.len() == 2 => {
            RegressionResult::by_name(name).map(Kind::Regression)
        }
        "sum" | "bit_and" | "bit_or" | "bit_xor" | "xmlagg"
            if fold_step(&row.name, arg).is_some() =>
        {
            Some(Kind::Fold)
        }
        _ => None,
    };
    let unsupported = || {
        let args: Vec<String> = row
            .arg_types
            .iter()
            .map(|t| crate::io::format_type(*t))
            .collect();
        Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!(
                "aggregate {}({}) is not supported yet",
                row.name,
                args.join(", ")
            ),
        )
    };
    let kind = kind.ok_or_else(unsupported)?;
    let lt = match kind {
        Kind::Min | Kind::Max => Some(less_than(arg).ok_or_else(unsupported)?),
        Kind::Fold => Some(fold_step(&row.name, arg).ok_or_else(unsupported)?),
        _ => None,
    };
    // Arrays of user-defined element types take their element type from the argument.
    let user_element = kind == Kind::ArrayAggElements
        && arg_types
            .first()
            .is_some_and(|t| t.0 >= tusk_catalog::syscat::FIRST_NORMAL_OBJECT_ID);
    if matches!(kind, Kind::ArrayAggElements | Kind::ArrayAggArrays)
        && crate::io::array_type_element(ret).is_none()
        && !user_element
    {
        return Err(unsupported());
    }
    let actual = [
        arg_types.first().copied().unwrap_or(Oid::INVALID),
        arg_types.get(1).copied().unwrap_or(Oid::INVALID),
    ];
    Ok(Aggregate {
        kind,
        user: None,
        lt,
        arg,
        ret,
        actual,
    })
}

/// The implementation of aggregate call `call`: a user-defined aggregate's functions,
/// else the built-in's native one.
///
/// Errors: as [`aggregate`]; those of compiling a user-defined aggregate's calls.
pub fn for_call(call: &tusk_sql::analyze::AggregateCall) -> Result<Aggregate> {
    if let Some(def) = &call.definition {
        return Ok(Aggregate {
            kind: Kind::Count,
            user: Some(UserAggregate::new(
                def,
                call.ret,
                call.direct_args.unwrap_or(0),
            )?),
            lt: None,
            arg: Oid::INVALID,
            ret: call.ret,
            actual: [Oid::INVALID; 2],
        });
    }
    aggregate(
        call.proc,
        call.ret,
        &call
            .args
            .iter()
            .map(tusk_sql::analyze::TypedExpr::type_oid)
            .collect::<Vec<_>>(),
    )
}

/// The pseudo-type `anynonarray` (PostgreSQL's OID).
const ANYNONARRAY: Oid = Oid(2776);

/// The pseudo-type `anyrange` (PostgreSQL's OID).
const ANYRANGE: Oid = Oid(3831);

/// The pseudo-type `anymultirange` (PostgreSQL's OID).
const ANYMULTIRANGE: Oid = Oid(4537);

/// The `<` function of a type, from `pg_operator`.
fn less_than(t: Oid) -> Option<ScalarFn> {
    let op = tusk_catalog::builtin()
        .operators_by_name("<")
        .find(|o| o.left == t && o.right == t)?;
    match super::lookup(op.proc).ok()? {
        Builtin::Scalar(f) => Some(f),
        Builtin::Set(_) | Builtin::Rows(_) => None,
    }
}

struct Count(i64);

impl AggState for Count {
    fn advance(&mut self, _: &mut EvalContext<'_>, _: &[Datum]) -> Result<()> {
        self.0 += 1;
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(Datum::Int8(self.0))
    }
}

fn as_i64(d: &Datum) -> Result<i64> {
    match d {
        Datum::Int2(v) => Ok(i64::from(*v)),
        Datum::Int4(v) => Ok(i64::from(*v)),
        Datum::Int8(v) => Ok(*v),
        other => Err(Error::internal(format!("integer expected, got {other:?}"))),
    }
}

fn as_numeric(d: &Datum) -> Result<Numeric> {
    match d {
        Datum::Numeric(n) => Ok(n.clone()),
        other => Ok(Numeric::from(as_i64(other)?)),
    }
}

/// The built-in aggregates' simple transition and final functions as functions, for
/// direct calls and CREATE AGGREGATE: `booland_statefunc` / `boolor_statefunc` (strict),
/// `int2_sum` / `int4_sum` (not strict: a NULL state starts at the value, a NULL value
/// keeps the state), `int2_avg_accum` / `int4_avg_accum` over a `{count, sum}` bigint
/// array, and `int8_avg`, that array's average as numeric (NULL for no rows).
pub(super) fn register(t: &mut super::Table) {
    super::reg(t, &["booland_statefunc"], |_, args| {
        match (&args[0], &args[1]) {
            (Datum::Bool(a), Datum::Bool(b)) => Ok(Datum::Bool(*a && *b)),
            _ => Ok(Datum::Null),
        }
    });
    super::reg(t, &["boolor_statefunc"], |_, args| {
        match (&args[0], &args[1]) {
            (Datum::Bool(a), Datum::Bool(b)) => Ok(Datum::Bool(*a || *b)),
            _ => Ok(Datum::Null),
        }
    });
    super::reg(t, &["int2_sum", "int4_sum"], |_, args| {
        let value = match &args[1] {
            Datum::Int2(v) => Some(i64::from(*v)),
            Datum::Int4(v) => Some(i64::from(*v)),
            _ => None,
        };
        match (&args[0], value) {
            (state, None) => Ok(state.clone()),
            (Datum::Int8(s), Some(v)) => s
                .checked_add(v)
                .map(Datum::Int8)
                .ok_or_else(|| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range")),
            (_, Some(v)) => Ok(Datum::Int8(v)),
        }
    });
    super::reg(t, &["int2_avg_accum", "int4_avg_accum"], |_, args| {
        let (count, sum) = avg_state(&args[0])?;
        let v = match &args[1] {
            Datum::Int2(v) => i64::from(*v),
            Datum::Int4(v) => i64::from(*v),
            _ => return Err(Error::internal("int4_avg_accum of a non-integer")),
        };
        Ok(Datum::Array(Box::new(
            tusk_types::adt::array::Array::from_elements(
                type_oid::INT8,
                vec![Datum::Int8(count + 1), Datum::Int8(sum.wrapping_add(v))],
            ),
        )))
    });
    super::reg(t, &["int8_avg"], |_, args| {
        let (count, sum) = avg_state(&args[0])?;
        if count == 0 {
            return Ok(Datum::Null);
        }
        Ok(Datum::Numeric(
            Numeric::from(sum).div(&Numeric::from(count))?,
        ))
    });
}

/// A `{count, sum}` bigint array.
///
/// Errors: XX000 `expected 2-element int8 array` otherwise.
fn avg_state(d: &Datum) -> Result<(i64, i64)> {
    match d {
        Datum::Array(a) => match a.elems.as_slice() {
            [Datum::Int8(count), Datum::Int8(sum)] if a.dims.len() == 1 => Ok((*count, *sum)),
            _ => Err(Error::internal("expected 2-element int8 array")),
        },
        _ => Err(Error::internal("expected 2-element int8 array")),
    }
}

/// A float4 or float8 argument as f64.
pub(super) fn float_arg(d: &Datum) -> Result<f64> {
    as_f64(d)
}

fn as_f64(d: &Datum) -> Result<f64> {
    match d {
        Datum::Float8(v) => Ok(*v),
        Datum::Float4(v) => Ok(f64::from(*v)),
        other => Err(Error::internal(format!("float expected, got {other:?}"))),
    }
}

/// `sum(int2)`, `sum(int4)`: a bigint sum (22003 `bigint out of range` on overflow).
struct SumInt(Option<i64>);

impl AggState for SumInt {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let v = as_i64(&args[0])?;
        self.0 = Some(match self.0 {
            None => v,
            Some(s) => s
                .checked_add(v)
                .ok_or_else(|| pg_err!(NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range"))?,
        });
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.0.map(Datum::Int8).unwrap_or(Datum::Null))
    }
}

/// Exact sums (`sum(int8)`, `sum(numeric)`) and averages of integers and numeric.
struct NumericSum {
    sum: Option<Numeric>,
    count: i64,
    avg: bool,
}

impl AggState for NumericSum {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let v = as_numeric(&args[0])?;
        self.sum = Some(match &self.sum {
            None => v,
            Some(s) => s.add(&v)?,
        });
        self.count += 1;
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        let Some(sum) = &self.sum else {
            return Ok(Datum::Null);
        };
        if !self.avg {
            return Ok(Datum::Numeric(sum.clone()));
        }
        Ok(Datum::Numeric(sum.div(&Numeric::from(self.count))?))
    }
}

struct SumFloat4(Option<f32>);

impl AggState for SumFloat4 {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let v = match &args[0] {
            Datum::Float4(v) => *v,
            other => as_f64(other)? as f32,
        };
        self.0 = Some(match self.0 {
            None => v,
            Some(s) => float4_add(s, v)?,
        });
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.0.map(Datum::Float4).unwrap_or(Datum::Null))
    }
}

#[derive(Clone, Copy)]
enum FloatResult {
    Sum,
    Avg,
    Variance { sample: bool, stddev: bool },
}

/// PostgreSQL's `float8_accum` state (N, Sx, Sxx) with the Youngs-Cramer update.
struct FloatMoments {
    n: f64,
    sx: f64,
    sxx: f64,
    result: FloatResult,
}

impl AggState for FloatMoments {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let x = as_f64(&args[0])?;
        if let FloatResult::Sum = self.result {
            self.sx = if self.n == 0.0 {
                x
            } else {
                float8_add(self.sx, x)?
            };
            self.n += 1.0;
            return Ok(());
        }
        let n = self.n + 1.0;
        let sx = self.sx + x;
        if self.n > 0.0 {
            let tmp = x * n - sx;
            self.sxx += tmp * tmp / (n * self.n);
            if sx.is_infinite() || self.sxx.is_infinite() {
                if !self.sx.is_infinite() && !x.is_infinite() {
                    return Err(tusk_types::adt::float::float_overflow_error());
                }
                self.sxx = f64::NAN;
            }
        } else if x.is_nan() || x.is_infinite() {
            self.sxx = f64::NAN;
        }
        self.n = n;
        self.sx = sx;
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(match self.result {
            FloatResult::Sum if self.n == 0.0 => Datum::Null,
            FloatResult::Sum => Datum::Float8(self.sx),
            FloatResult::Avg if self.n == 0.0 => Datum::Null,
            FloatResult::Avg => Datum::Float8(self.sx / self.n),
            FloatResult::Variance { sample, stddev } => {
                let min = if sample { 2.0 } else { 1.0 };
                if self.n < min {
                    return Ok(Datum::Null);
                }
                let denom = if sample { self.n - 1.0 } else { self.n };
                let v = self.sxx / denom;
                Datum::Float8(if stddev { v.sqrt() } else { v })
            }
        })
    }
}

/// Variance family over numeric inputs: exact sums, then PostgreSQL's
/// `numeric_stddev_internal` arithmetic.
struct NumericMoments {
    n: i64,
    sx: Numeric,
    sxx: Numeric,
    sample: bool,
    stddev: bool,
}

impl AggState for NumericMoments {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let x = as_numeric(&args[0])?;
        self.sx = self.sx.add(&x)?;
        self.sxx = self.sxx.add(&x.mul(&x)?)?;
        self.n += 1;
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        let min = if self.sample { 2 } else { 1 };
        if self.n < min {
            return Ok(Datum::Null);
        }
        let n = Numeric::from(self.n);
        // numerator = N * sumX2 - sumX * sumX, clamped at 0; divided by N*(N-1) or N*N.
        let numerator = n.mul(&self.sxx)?.sub(&self.sx.mul(&self.sx)?)?;
        if numerator.is_negative() || numerator.is_zero() {
            // Round-off can make it negative; PostgreSQL answers a plain 0.
            return Ok(Datum::Numeric(Numeric::zero()));
        }
        let denominator = if self.sample {
            n.mul(&Numeric::from(self.n - 1))?
        } else {
            n.mul(&n)?
        };
        // The quotient's display scale (numeric's select_div_scale) is also the square
        // root's.
        let v = numerator.div(&denominator)?;
        Ok(Datum::Numeric(if self.stddev {
            v.sqrt()?.round(v.dscale())?
        } else {
            v
        }))
    }
}

/// `sum(interval)`, `avg(interval)`.
struct IntervalSum {
    sum: Option<Datum>,
    count: i64,
    avg: bool,
}

fn by_src(name: &str) -> Result<ScalarFn> {
    match super::by_src(name) {
        Some(Builtin::Scalar(f)) => Ok(f),
        _ => Err(Error::internal(format!("missing built-in {name}"))),
    }
}

impl AggState for IntervalSum {
    fn advance(&mut self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        self.sum = Some(match self.sum.take() {
            None => args[0].clone(),
            Some(s) => by_src("interval_pl")?(ctx, &[s, args[0].clone()])?,
        });
        self.count += 1;
        Ok(())
    }
    fn finish(&self, ctx: &mut EvalContext<'_>) -> Result<Datum> {
        match &self.sum {
            None => Ok(Datum::Null),
            Some(s) if self.avg => {
                by_src("interval_div")?(ctx, &[s.clone(), Datum::Float8(self.count as f64)])
            }
            Some(s) => Ok(s.clone()),
        }
    }
}

/// `min`, `max` by the type's `<`.
struct Extreme {
    best: Option<Datum>,
    lt: ScalarFn,
    max: bool,
}

impl AggState for Extreme {
    fn advance(&mut self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let v = &args[0];
        let replace = match &self.best {
            None => true,
            Some(b) => {
                let (a, c) = if self.max { (b, v) } else { (v, b) };
                (self.lt)(ctx, &[a.clone(), c.clone()])? == Datum::Bool(true)
            }
        };
        if replace {
            self.best = Some(v.clone());
        }
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.best.clone().unwrap_or(Datum::Null))
    }
}

struct BoolFold {
    value: Option<bool>,
    and: bool,
}

impl AggState for BoolFold {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let b = args[0] == Datum::Bool(true);
        self.value = Some(match self.value {
            None => b,
            Some(v) if self.and => v && b,
            Some(v) => v || b,
        });
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.value.map(Datum::Bool).unwrap_or(Datum::Null))
    }
}

/// `string_agg(text, text)` and `string_agg(bytea, bytea)`: the delimiter goes before
/// every value but the first (a NULL delimiter counts as empty).
struct StringAgg {
    text: bool,
    out: Option<Vec<u8>>,
}

fn bytes_of(d: &Datum) -> &[u8] {
    match d {
        Datum::Text(s) => s.as_bytes(),
        Datum::Bytea(b) => b,
        _ => &[],
    }
}

impl AggState for StringAgg {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let value = bytes_of(&args[0]);
        match &mut self.out {
            None => self.out = Some(value.to_vec()),
            Some(out) => {
                out.extend_from_slice(args.get(1).map(bytes_of).unwrap_or(&[]));
                out.extend_from_slice(value);
            }
        }
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(match &self.out {
            None => Datum::Null,
            Some(b) if self.text => {
                Datum::Text(String::from_utf8(b.clone()).expect("concatenated text stays UTF-8"))
            }
            Some(b) => Datum::Bytea(b.clone()),
        })
    }
}

/// The transition function of a [`Kind::Fold`] aggregate (PostgreSQL's `aggtransfn`).
fn fold_step(name: &str, arg: Oid) -> Option<ScalarFn> {
    let src = match (name, arg) {
        ("sum", type_oid::MONEY) => "cash_pl",
        ("bit_and", type_oid::BIT) => "bit_and",
        ("bit_or", type_oid::BIT) => "bit_or",
        ("bit_xor", type_oid::BIT) => "bitxor",
        ("xmlagg", type_oid::XML) => "xmlconcat2",
        _ => return None,
    };
    match super::by_src(src)? {
        Builtin::Scalar(f) => Some(f),
        Builtin::Set(_) | Builtin::Rows(_) => None,
    }
}

/// A [`Kind::Fold`] aggregate's state: the value so far.
struct Fold {
    step: ScalarFn,
    value: Option<Datum>,
}

impl AggState for Fold {
    fn advance(&mut self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        self.value = Some(match self.value.take() {
            None => args[0].clone(),
            Some(s) => (self.step)(ctx, &[s, args[0].clone()])?,
        });
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(self.value.clone().unwrap_or(Datum::Null))
    }
}

/// `bit_and`/`bit_or`/`bit_xor` over smallint, integer or bigint: NULL over no rows,
/// else the operation folded over the values, in the argument's type.
struct BitFold {
    op: BitOp,
    arg: Oid,
    value: Option<i64>,
}

impl AggState for BitFold {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let v = as_i64(&args[0])?;
        self.value = Some(match self.value {
            None => v,
            Some(s) => match self.op {
                BitOp::And => s & v,
                BitOp::Or => s | v,
                BitOp::Xor => s ^ v,
            },
        });
        Ok(())
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        Ok(match self.value {
            None => Datum::Null,
            Some(v) => match self.arg {
                type_oid::INT2 => Datum::Int2(v as i16),
                type_oid::INT4 => Datum::Int4(v as i32),
                _ => Datum::Int8(v),
            },
        })
    }
}

/// `array_agg`: PostgreSQL's `array_agg_transfn` (elements) and
/// `array_agg_array_transfn` (arrays of one shape).
#[derive(Clone)]
enum ArrayAgg {
    Elements(ElementAccumulator),
    Arrays(ArrayAccumulator),
}

impl AggState for ArrayAgg {
    fn advance(&mut self, _: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let value = args.first().cloned().unwrap_or(Datum::Null);
        match self {
            ArrayAgg::Elements(acc) => {
                acc.push(value);
                Ok(())
            }
            ArrayAgg::Arrays(acc) => acc.push(&value),
        }
    }
    fn finish(&self, _: &mut EvalContext<'_>) -> Result<Datum> {
        let array = match self.clone() {
            ArrayAgg::Elements(acc) => acc.finish(),
            ArrayAgg::Arrays(acc) => acc.finish()?,
        };
        Ok(array.map_or(Datum::Null, |a| Datum::Array(Box::new(a))))
    }
}

impl AggState for super::json_build::JsonAgg {
    fn advance(&mut self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        super::json_build::JsonAgg::advance(self, ctx, args.first().unwrap_or(&Datum::Null))
    }

    fn finish(&self, _ctx: &mut EvalContext<'_>) -> Result<Datum> {
        super::json_build::JsonAgg::finish(self, !self.items.is_empty())
    }
}

impl AggState for super::json_build::JsonObjectAgg {
    fn advance(&mut self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let null = Datum::Null;
        super::json_build::JsonObjectAgg::advance(
            self,
            ctx,
            args.first().unwrap_or(&null),
            args.get(1).unwrap_or(&null),
        )
    }

    fn finish(&self, _ctx: &mut EvalContext<'_>) -> Result<Datum> {
        super::json_build::JsonObjectAgg::finish(self, !self.pairs.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtins::datetime::test_support::with_context;

    /// The aggregate `name(arg types)` from pg_proc.
    fn find(name: &str, args: &[Oid]) -> Aggregate {
        let row = tusk_catalog::builtin()
            .procs_by_name(name)
            .find(|p| p.kind == b'a' && p.arg_types == args)
            .unwrap_or_else(|| panic!("no aggregate {name}{args:?}"));
        aggregate(row.oid, row.ret_type, &row.arg_types).expect("implemented")
    }

    fn fold(agg: &Aggregate, rows: &[Vec<Datum>]) -> Result<Datum> {
        with_context("UTC", |ctx| {
            let mut state = agg.start();
            for r in rows {
                if !agg.skips_row(r) {
                    state.advance(ctx, r)?;
                }
            }
            state.finish(ctx)
        })
    }

    #[test]
    fn count_star_counts_nulls_and_count_of_a_value_does_not() {
        let rows = vec![vec![Datum::Null], vec![Datum::Int4(1)]];
        let star = find("count", &[]);
        let rows_star: Vec<Vec<Datum>> = rows.iter().map(|_| Vec::new()).collect();
        assert_eq!(fold(&star, &rows_star).expect("counts"), Datum::Int8(2));
        let any = find("count", &[type_oid::ANY]);
        assert_eq!(fold(&any, &rows).expect("counts"), Datum::Int8(1));
    }

    #[test]
    fn sums_over_no_rows_are_null_and_int4_sums_are_bigint() {
        let sum = find("sum", &[type_oid::INT4]);
        assert_eq!(fold(&sum, &[]).expect("sums"), Datum::Null);
        let rows = vec![vec![Datum::Int4(i32::MAX)], vec![Datum::Int4(i32::MAX)]];
        assert_eq!(
            fold(&sum, &rows).expect("sums"),
            Datum::Int8(2 * i64::from(i32::MAX))
        );
    }

    #[test]
    fn bigint_sum_overflow_is_22003() {
        let sum = find("sum", &[type_oid::INT2]);
        let ok = vec![vec![Datum::Int2(1)]; 3];
        assert_eq!(fold(&sum, &ok).expect("sums"), Datum::Int8(3));
        let mut state = SumInt(Some(i64::MAX));
        let err = with_context("UTC", |ctx| state.advance(ctx, &[Datum::Int4(1)]))
            .expect_err("overflows");
        assert_eq!(err.code, SqlState::NUMERIC_VALUE_OUT_OF_RANGE);
    }

    #[test]
    fn unsupported_aggregates_answer_0a000() {
        // Every built-in aggregate either has an implementation or says it has none with
        // 0A000; none fails otherwise.
        let catalog = tusk_catalog::builtin();
        let mut checked = 0;
        for row in catalog.procs().filter(|p| p.kind == b'a') {
            checked += 1;
            if let Err(err) = aggregate(row.oid, row.ret_type, &row.arg_types) {
                assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED, "{}", row.name);
            }
        }
        assert!(checked > 100, "{checked}");
        let xmlagg = catalog
            .procs_by_name("xmlagg")
            .find(|p| p.kind == b'a')
            .expect("xmlagg exists");
        assert!(aggregate(xmlagg.oid, xmlagg.ret_type, &xmlagg.arg_types).is_ok());
    }

    #[test]
    fn bit_aggregates_fold_in_the_argument_type() {
        let rows = vec![
            vec![Datum::Int2(6)],
            vec![Datum::Null],
            vec![Datum::Int2(3)],
        ];
        let and = find("bit_and", &[type_oid::INT2]);
        assert_eq!(fold(&and, &rows).expect("folds"), Datum::Int2(2));
        let xor = find("bit_xor", &[type_oid::INT8]);
        let rows8 = vec![vec![Datum::Int8(6)], vec![Datum::Int8(3)]];
        assert_eq!(fold(&xor, &rows8).expect("folds"), Datum::Int8(5));
        assert_eq!(fold(&and, &[]).expect("folds"), Datum::Null);
    }

    /// `array_agg` over the resolved result type `ret`.
    fn array_agg(arg: Oid, ret: Oid) -> Aggregate {
        let row = tusk_catalog::builtin()
            .procs_by_name("array_agg")
            .find(|p| p.kind == b'a' && p.arg_types == [arg])
            .expect("array_agg exists");
        aggregate(row.oid, ret, &row.arg_types).expect("implemented")
    }

    #[test]
    fn array_agg_keeps_nulls_and_is_null_over_no_rows() {
        let agg = array_agg(ANYNONARRAY, Oid(1007));
        assert_eq!(fold(&agg, &[]).expect("folds"), Datum::Null);
        let rows = vec![
            vec![Datum::Int4(1)],
            vec![Datum::Null],
            vec![Datum::Int4(3)],
        ];
        let expected = tusk_types::adt::array::Array::from_elements(
            type_oid::INT4,
            vec![Datum::Int4(1), Datum::Null, Datum::Int4(3)],
        );
        assert_eq!(
            fold(&agg, &rows).expect("folds"),
            Datum::Array(Box::new(expected))
        );
    }

    #[test]
    fn array_agg_of_arrays_refuses_null_arrays_with_22004() {
        let agg = array_agg(type_oid::ANYARRAY, Oid(1007));
        let one = tusk_types::adt::array::Array::from_elements(
            type_oid::INT4,
            vec![Datum::Int4(1), Datum::Int4(2)],
        );
        let rows = vec![vec![Datum::Array(Box::new(one))], vec![Datum::Null]];
        let err = fold(&agg, &rows).expect_err("null array");
        assert_eq!(err.code, SqlState::NULL_VALUE_NOT_ALLOWED);
    }
}
