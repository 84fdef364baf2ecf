//! Typed expressions: the analyzer's output, the executor's input.

use tusk_types::{Datum, Oid};

use crate::ast::{BoolTestKind, SqlValueFunction, SubLinkKind};

/// How a cast is carried out.
#[derive(Debug, Clone, PartialEq)]
pub enum CastKind {
    /// Call a cast function (`pg_cast.castfunc`).
    Func(Oid),
    /// Text output of the source type, then input of the target type.
    InOut,
    /// Binary-coercible: only the type label changes.
    Relabel,
    /// Array to array: each element converted by `element` (PostgreSQL's
    /// `ArrayCoerceExpr`); NULL elements stay NULL.
    ArrayCoerce {
        /// How each element is cast.
        element: Box<CastKind>,
        /// The source element type.
        source_element: Oid,
        /// The target element type.
        target_element: Oid,
    },
    /// The value (already of the domain's base type) checked against a domain's
    /// constraints (PostgreSQL's `CoerceToDomain`).
    Domain(Box<DomainCoercion>),
}

/// The constraints a value coerced to a domain must meet.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainCoercion {
    /// The domain's name, for messages.
    pub name: String,
    /// `NOT NULL`: 23502 `domain d does not allow null values`.
    pub not_null: bool,
    /// CHECK constraints (name, boolean expression over [`TypedExpr::CaseTest`], the
    /// value), in name order: 23514 `value for domain d violates check constraint "c"`.
    pub checks: Vec<(String, TypedExpr)>,
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum TypedExpr {
    /// A constant of a type.
    Const {
        /// The value.
        value: Datum,
        /// Its type.
        type_oid: Oid,
        /// Its typmod (-1 if none).
        typmod: i32,
        /// Where a literal stood in the query (byte offset; `usize::MAX` if not a literal).
        location: usize,
    },
    /// `$n` (0-based index here).
    Param {
        /// 0-based parameter index.
        index: usize,
        /// Parameter type.
        type_oid: Oid,
    },
    /// A column of the input row.
    Column {
        /// 0-based column index.
        index: usize,
        /// Column type.
        type_oid: Oid,
        /// Column typmod.
        typmod: i32,
        /// Where the reference stood in the query (byte offset; `usize::MAX` if made up).
        location: usize,
    },
    /// A column of an enclosing query's row (a correlated reference).
    OuterColumn {
        /// How many query levels out (1 = the query directly containing the subquery).
        levels_up: usize,
        /// Column of that query's row.
        index: usize,
        /// Column type.
        type_oid: Oid,
        /// Column typmod.
        typmod: i32,
        /// Where the reference stood in the query (byte offset).
        location: usize,
    },
    /// A subquery in an expression.
    SubLink {
        /// EXISTS, scalar, ANY or ALL.
        kind: SubLinkKind,
        /// For ANY/ALL: the comparison, over the current row, with
        /// [`TypedExpr::CaseTest`] standing for the subquery's value.
        test: Option<Box<TypedExpr>>,
        /// The subquery (its outer references point at this query's row).
        query: Box<crate::analyze::Query>,
        /// Result type (boolean, or the scalar subquery's column type).
        type_oid: Oid,
    },
    /// A window function call: only while a query is analysed; the window step replaces
    /// each one by a [`TypedExpr::Column`] of the row the window operator extends.
    Window(Box<WindowCall>),
    /// An aggregate call: only while a query is analysed. The grouping step replaces each
    /// one by a [`TypedExpr::Column`] of the aggregated row, so the executor never sees it.
    Aggregate(Box<AggregateCall>),
    /// `GROUPING(args)` (int4): only while a query is analysed. The grouping step replaces
    /// it by a column of the aggregated row (or the constant 0 without grouping sets).
    GroupingFunc {
        /// The arguments over the FROM row; each must be a group key.
        args: Vec<TypedExpr>,
        /// Where the call stood in the query text.
        location: usize,
    },
    /// A function call (operators become calls of their implementing function).
    Func {
        /// `pg_proc` OID.
        proc: Oid,
        /// Arguments, already coerced to the declared argument types.
        args: Vec<TypedExpr>,
        /// Result type.
        ret: Oid,
        /// STRICT: NULL in, NULL out without calling.
        strict: bool,
        /// Returns a set.
        retset: bool,
    },
    /// A cast to `target` (with typmod enforcement when `typmod` >= 0).
    Cast {
        /// Operand.
        arg: Box<TypedExpr>,
        /// How.
        kind: CastKind,
        /// Target type.
        target: Oid,
        /// Target typmod (-1 = none).
        typmod: i32,
        /// An explicit cast (CAST, `::`): length coercion truncates instead of failing.
        explicit: bool,
    },
    /// AND (three-valued).
    And(Vec<TypedExpr>),
    /// OR (three-valued).
    Or(Vec<TypedExpr>),
    /// NOT.
    Not(Box<TypedExpr>),
    /// IS [NOT] NULL.
    NullTest {
        /// Operand.
        arg: Box<TypedExpr>,
        /// IS NULL.
        is_null: bool,
    },
    /// IS [NOT] TRUE/FALSE/UNKNOWN.
    BoolTest {
        /// Operand.
        arg: Box<TypedExpr>,
        /// Which test.
        kind: BoolTestKind,
    },
    /// CASE: conditions are boolean expressions (a simple CASE's `arg = value` tests are
    /// built with [`TypedExpr::CaseTest`] standing for the operand).
    Case {
        /// Operand of a simple CASE, evaluated once.
        arg: Option<Box<TypedExpr>>,
        /// WHEN/THEN pairs.
        whens: Vec<(TypedExpr, TypedExpr)>,
        /// ELSE (NULL if absent).
        default: Box<TypedExpr>,
        /// Result type.
        type_oid: Oid,
    },
    /// The current value of a simple CASE's operand.
    CaseTest {
        /// Its type.
        type_oid: Oid,
    },
    /// The array a call passes with `VARIADIC` to a built-in function that takes its
    /// variadic arguments one by one (`concat(VARIADIC arr)`, `jsonb_extract_path(j,
    /// VARIADIC path)`): always the call's last argument, standing for the array's
    /// elements (flattened, in storage order), which become the trailing arguments when
    /// the call runs. Its type is the element type.
    VariadicArray {
        /// The array.
        array: Box<TypedExpr>,
        /// Its element type, which each spread argument has.
        elem_type: Oid,
    },
    /// COALESCE.
    Coalesce {
        /// Arguments, coerced to the common type.
        args: Vec<TypedExpr>,
        /// Common type.
        type_oid: Oid,
    },
    /// GREATEST/LEAST, comparing with a `>`/`<` function.
    MinMax {
        /// GREATEST.
        greatest: bool,
        /// Arguments, coerced to the common type.
        args: Vec<TypedExpr>,
        /// The btree comparison function (`*_cmp` style `>` operator's function).
        cmp_proc: Oid,
        /// Common type.
        type_oid: Oid,
    },
    /// NULLIF(a, b): NULL if `a = b` (the equality function given) else `a`.
    NullIf {
        /// First argument.
        left: Box<TypedExpr>,
        /// Second argument.
        right: Box<TypedExpr>,
        /// The `=` function.
        eq_proc: Oid,
        /// Result type (the first argument's).
        type_oid: Oid,
    },
    /// IS [NOT] DISTINCT FROM using an `=` function.
    Distinct {
        /// IS NOT DISTINCT FROM.
        not: bool,
        /// Left.
        left: Box<TypedExpr>,
        /// Right.
        right: Box<TypedExpr>,
        /// The `=` function.
        eq_proc: Oid,
    },
    /// `ARRAY[...]` (PostgreSQL's `ArrayExpr`).
    Array {
        /// Elements, coerced to `elem_type` (or, with `multidims`, to `type_oid`).
        elements: Vec<TypedExpr>,
        /// The element type.
        elem_type: Oid,
        /// The array type.
        type_oid: Oid,
        /// The elements are sub-arrays stacked along a new outer dimension.
        multidims: bool,
    },
    /// Subscripts of an array (PostgreSQL's `SubscriptingRef` for a fetch).
    Subscript {
        /// The array.
        arg: Box<TypedExpr>,
        /// Lower bounds of a slice, one per subscript (`None`: the dimension's own).
        lower: Vec<Option<TypedExpr>>,
        /// The subscripts, or upper bounds of a slice (`None`: the dimension's own).
        upper: Vec<Option<TypedExpr>>,
        /// A slice (an array results) rather than one element.
        is_slice: bool,
        /// Result type: the array type for a slice, else the element type.
        type_oid: Oid,
    },
    /// `left op ANY/ALL (array)` (PostgreSQL's `ScalarArrayOpExpr`).
    ScalarArrayOp {
        /// The operator's function, called with the left value and each element.
        proc: Oid,
        /// ALL rather than ANY.
        all: bool,
        /// The operator's function is strict.
        strict: bool,
        /// Left operand.
        left: Box<TypedExpr>,
        /// The array.
        right: Box<TypedExpr>,
    },
    /// `ROW(...)`, `(a, b)` or a whole-row reference `t` (PostgreSQL's `RowExpr`): a
    /// record of the values.
    Row {
        /// One value per field.
        args: Vec<TypedExpr>,
        /// Field names: `f1`, `f2`, ... for a row constructor, column names for a
        /// whole-row reference.
        names: Vec<String>,
        /// The row type: `record`, or a named row type.
        type_oid: Oid,
    },
    /// `(arg).field` (PostgreSQL's `FieldSelect`): one field of a record.
    FieldSelect {
        /// The record.
        arg: Box<TypedExpr>,
        /// 0-based field number.
        field: usize,
        /// The field's type.
        type_oid: Oid,
        /// The field's typmod.
        typmod: i32,
    },
    /// `arg` with the element or slice at the subscripts replaced by `value` (PostgreSQL's
    /// `SubscriptingRef` of an assignment): an array, or a `jsonb` value whose path is the
    /// subscripts as text. A NULL `arg` counts as an empty container.
    SubscriptAssign {
        /// The container before the assignment.
        arg: Box<TypedExpr>,
        /// Lower bounds of a slice, one per subscript (`None`: the dimension's own).
        lower: Vec<Option<TypedExpr>>,
        /// The subscripts (`integer`, or `text` for `jsonb`), or upper bounds of a slice.
        upper: Vec<Option<TypedExpr>>,
        /// A slice: `value` is an array whose elements fill it.
        is_slice: bool,
        /// The new element (or elements), already of the element (or array) type.
        value: Box<TypedExpr>,
        /// The container type (a domain's base type).
        type_oid: Oid,
        /// The array's element type (`jsonb` for `jsonb`).
        elem_type: Oid,
        /// The container is `jsonb`; for a NULL one, whether it starts as an array (the
        /// first subscript is an integer) rather than an object.
        jsonb: Option<bool>,
    },
    /// `arg` with one field replaced by `value` (PostgreSQL's `FieldStore`); a NULL
    /// `arg` counts as a record of NULL fields.
    FieldStore {
        /// The record before the assignment.
        arg: Box<TypedExpr>,
        /// 0-based field number.
        field: usize,
        /// The new field value, already of the field's type.
        value: Box<TypedExpr>,
        /// The row type's fields (name, type, typmod), to build a record from NULL.
        fields: Vec<(String, Oid, i32)>,
        /// The row type (a domain's base type).
        type_oid: Oid,
    },
    /// `CURRENT_DATE`, `CURRENT_USER`, ...
    SqlValue {
        /// Which.
        kind: SqlValueFunction,
        /// Precision, if given.
        precision: Option<i32>,
        /// Result type.
        type_oid: Oid,
    },
}

/// An aggregate call: `name([DISTINCT] args [ORDER BY ...]) [FILTER (WHERE ...)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateCall {
    /// The aggregate's `pg_proc` OID (`prokind = 'a'`).
    pub proc: Oid,
    /// Arguments over the input row, coerced to the declared argument types (empty for
    /// `count(*)`).
    pub args: Vec<TypedExpr>,
    /// `DISTINCT`: only distinct argument values are aggregated.
    pub distinct: bool,
    /// `FILTER (WHERE ...)` over the input row.
    pub filter: Option<TypedExpr>,
    /// `ORDER BY` inside the call: the order input rows are fed in.
    pub order_by: Vec<crate::analyze::select::SortKey>,
    /// Result type.
    pub ret: Oid,
    /// Location of the call.
    pub location: usize,
    /// For an ordered-set or hypothetical-set aggregate (`WITHIN GROUP`), how many of
    /// `args` are direct arguments (the rest are the aggregated ones, also sorted by
    /// `order_by`); `None` for a plain aggregate.
    pub direct_args: Option<usize>,
    /// A user-defined aggregate's `pg_aggregate` row with its polymorphic types
    /// resolved for this call; `None` for built-in aggregates, which run natively.
    pub definition: Option<Box<AggregateDefinition>>,
}

/// An aggregate's `pg_aggregate` row, as the analyzer and executor need it.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateDefinition {
    /// `aggkind`: `n` normal, `o` ordered-set, `h` hypothetical-set.
    pub kind: u8,
    /// `aggnumdirectargs`.
    pub num_direct_args: usize,
    /// `aggtransfn`.
    pub transfn: Oid,
    /// The transition function is STRICT.
    pub transfn_strict: bool,
    /// `aggfinalfn` (`None` when the state is the result).
    pub finalfn: Option<Oid>,
    /// The final function is STRICT.
    pub finalfn_strict: bool,
    /// `aggfinalextra`: the final function also takes one NULL per aggregated argument.
    pub final_extra: bool,
    /// `aggtranstype` (resolved to an actual type in an [`AggregateCall`]).
    pub transtype: Oid,
    /// `agginitval`, as text for the state type's input function.
    pub initval: Option<String>,
    /// The aggregate's declared argument types (`proargtypes`), resolved to actual types
    /// in an [`AggregateCall`].
    pub arg_types: Vec<Oid>,
}

/// What a window function computes.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowFunction {
    /// An aggregate over the window frame (DISTINCT and ORDER BY inside are refused).
    Aggregate(AggregateCall),
    /// `row_number()`.
    RowNumber,
    /// `rank()`.
    Rank,
    /// `dense_rank()`.
    DenseRank,
    /// `percent_rank()`.
    PercentRank,
    /// `cume_dist()`.
    CumeDist,
    /// `ntile(buckets)`.
    Ntile(TypedExpr),
    /// `lag`/`lead(value [, offset [, default]])`: the value `offset` rows before/after.
    Shift {
        /// `lead` (after) rather than `lag`.
        lead: bool,
        /// The value, offset (int4) and default (of the value's type).
        args: Vec<TypedExpr>,
    },
    /// `nth_value(value, n)`: the value at the frame's `n`th row (1-based), NULL past
    /// its end.
    NthValue {
        /// The value.
        value: TypedExpr,
        /// `n` (int4).
        n: TypedExpr,
    },
    /// `first_value`/`last_value(value)` over the frame.
    Edge {
        /// `last_value`.
        last: bool,
        /// The value.
        value: TypedExpr,
    },
}

/// `f(...) OVER (PARTITION BY ... ORDER BY ...)` with the default frame (the partition's
/// rows up to the current row's last peer when ordered, else the whole partition).
#[derive(Debug, Clone, PartialEq)]
pub struct WindowCall {
    /// The function.
    pub function: WindowFunction,
    /// PARTITION BY keys over the input row.
    pub partition_by: Vec<TypedExpr>,
    /// ORDER BY keys over the input row.
    pub order_by: Vec<crate::analyze::select::SortKey>,
    /// An explicit frame; `None` for the default.
    pub frame: Option<WindowFrame>,
    /// Result type.
    pub ret: Oid,
    /// Location of the call.
    pub location: usize,
}

/// An explicit window frame. ROWS and GROUPS offsets are bigint expressions free of the
/// row's columns; RANGE offsets have the type of the `in_range` support function chosen
/// for the single ORDER BY column (PostgreSQL's `transformFrameOffset`).
#[derive(Debug, Clone, PartialEq)]
pub struct WindowFrame {
    /// ROWS, RANGE or GROUPS.
    pub mode: crate::ast::FrameMode,
    /// Start.
    pub start: FrameBound,
    /// End.
    pub end: FrameBound,
    /// Rows left out of the frame.
    pub exclusion: crate::ast::FrameExclusion,
    /// RANGE with offsets: the `in_range(val, base, offset, sub, less)` function of the
    /// start and of the end offset.
    pub in_range: [Option<Oid>; 2],
}

/// One end of a [`WindowFrame`].
#[derive(Debug, Clone, PartialEq)]
pub enum FrameBound {
    /// The partition's first row.
    UnboundedPreceding,
    /// `n` rows, peer groups or values before the current row.
    Preceding(TypedExpr),
    /// The current row (RANGE: its first or last peer).
    CurrentRow,
    /// `n` rows, groups or values after the current row.
    Following(TypedExpr),
    /// The partition's last row.
    UnboundedFollowing,
}

impl WindowCall {
    /// Applies `f` to every expression of the call (arguments, FILTER, keys).
    pub fn map_exprs(
        mut self,
        f: &mut dyn FnMut(TypedExpr) -> tusk_types::Result<TypedExpr>,
    ) -> tusk_types::Result<WindowCall> {
        match &mut self.function {
            WindowFunction::Aggregate(a) => {
                a.args = std::mem::take(&mut a.args)
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?;
                a.filter = a.filter.take().map(&mut *f).transpose()?;
            }
            WindowFunction::Shift { args, .. } => {
                *args = std::mem::take(args)
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?;
            }
            WindowFunction::Ntile(e) | WindowFunction::Edge { value: e, .. } => {
                *e = f(e.clone())?;
            }
            WindowFunction::NthValue { value, n } => {
                *value = f(value.clone())?;
                *n = f(n.clone())?;
            }
            _ => {}
        }
        self.partition_by = std::mem::take(&mut self.partition_by)
            .into_iter()
            .map(&mut *f)
            .collect::<tusk_types::Result<_>>()?;
        for k in &mut self.order_by {
            k.expr = f(k.expr.clone())?;
        }
        Ok(self)
    }
}

impl TypedExpr {
    /// References to columns `0..` of the current row, one per `(type, typmod)`: the
    /// identity projection of a row of those columns.
    pub fn column_refs(types: impl IntoIterator<Item = (Oid, i32)>) -> Vec<TypedExpr> {
        types
            .into_iter()
            .enumerate()
            .map(|(index, (type_oid, typmod))| TypedExpr::Column {
                index,
                type_oid,
                typmod,
                location: usize::MAX,
            })
            .collect()
    }

    /// Rebuilds the expression with `f` applied to each direct sub-expression (not to
    /// the arguments of an aggregate call, which belong to the input row).
    pub fn map_children(
        self,
        f: &mut dyn FnMut(TypedExpr) -> tusk_types::Result<TypedExpr>,
    ) -> tusk_types::Result<TypedExpr> {
        let one =
            |b: Box<TypedExpr>, f: &mut dyn FnMut(TypedExpr) -> tusk_types::Result<TypedExpr>| {
                f(*b).map(Box::new)
            };
        // Subscript bounds: an omitted slice bound stays `None`.
        let bounds =
            |v: Vec<Option<TypedExpr>>,
             f: &mut dyn FnMut(TypedExpr) -> tusk_types::Result<TypedExpr>| {
                v.into_iter()
                    .map(|e| e.map(&mut *f).transpose())
                    .collect::<tusk_types::Result<Vec<_>>>()
            };
        Ok(match self {
            TypedExpr::Func {
                proc,
                args,
                ret,
                strict,
                retset,
            } => TypedExpr::Func {
                proc,
                args: args
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
                ret,
                strict,
                retset,
            },
            TypedExpr::Cast {
                arg,
                kind,
                target,
                typmod,
                explicit,
            } => TypedExpr::Cast {
                arg: one(arg, f)?,
                kind,
                target,
                typmod,
                explicit,
            },
            TypedExpr::And(args) => TypedExpr::And(
                args.into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
            ),
            TypedExpr::Or(args) => TypedExpr::Or(
                args.into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
            ),
            TypedExpr::Not(arg) => TypedExpr::Not(one(arg, f)?),
            TypedExpr::NullTest { arg, is_null } => TypedExpr::NullTest {
                arg: one(arg, f)?,
                is_null,
            },
            TypedExpr::BoolTest { arg, kind } => TypedExpr::BoolTest {
                arg: one(arg, f)?,
                kind,
            },
            TypedExpr::Case {
                arg,
                whens,
                default,
                type_oid,
            } => TypedExpr::Case {
                arg: arg.map(|a| one(a, f)).transpose()?,
                whens: whens
                    .into_iter()
                    .map(|(w, t)| Ok((f(w)?, f(t)?)))
                    .collect::<tusk_types::Result<_>>()?,
                default: one(default, f)?,
                type_oid,
            },
            TypedExpr::VariadicArray { array, elem_type } => TypedExpr::VariadicArray {
                array: one(array, f)?,
                elem_type,
            },
            TypedExpr::Coalesce { args, type_oid } => TypedExpr::Coalesce {
                args: args
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
                type_oid,
            },
            TypedExpr::MinMax {
                greatest,
                args,
                cmp_proc,
                type_oid,
            } => TypedExpr::MinMax {
                greatest,
                args: args
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
                cmp_proc,
                type_oid,
            },
            TypedExpr::NullIf {
                left,
                right,
                eq_proc,
                type_oid,
            } => TypedExpr::NullIf {
                left: one(left, f)?,
                right: one(right, f)?,
                eq_proc,
                type_oid,
            },
            TypedExpr::Distinct {
                not,
                left,
                right,
                eq_proc,
            } => TypedExpr::Distinct {
                not,
                left: one(left, f)?,
                right: one(right, f)?,
                eq_proc,
            },
            TypedExpr::SubLink {
                kind,
                test,
                query,
                type_oid,
            } => TypedExpr::SubLink {
                kind,
                test: test.map(|t| one(t, f)).transpose()?,
                query,
                type_oid,
            },
            TypedExpr::Array {
                elements,
                elem_type,
                type_oid,
                multidims,
            } => TypedExpr::Array {
                elements: elements
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
                elem_type,
                type_oid,
                multidims,
            },
            TypedExpr::Subscript {
                arg,
                lower,
                upper,
                is_slice,
                type_oid,
            } => TypedExpr::Subscript {
                arg: one(arg, f)?,
                lower: bounds(lower, f)?,
                upper: bounds(upper, f)?,
                is_slice,
                type_oid,
            },
            TypedExpr::ScalarArrayOp {
                proc,
                all,
                strict,
                left,
                right,
            } => TypedExpr::ScalarArrayOp {
                proc,
                all,
                strict,
                left: one(left, f)?,
                right: one(right, f)?,
            },
            TypedExpr::Row {
                args,
                names,
                type_oid,
            } => TypedExpr::Row {
                args: args
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
                names,
                type_oid,
            },
            TypedExpr::FieldSelect {
                arg,
                field,
                type_oid,
                typmod,
            } => TypedExpr::FieldSelect {
                arg: one(arg, f)?,
                field,
                type_oid,
                typmod,
            },
            TypedExpr::SubscriptAssign {
                arg,
                lower,
                upper,
                is_slice,
                value,
                type_oid,
                elem_type,
                jsonb,
            } => TypedExpr::SubscriptAssign {
                arg: one(arg, f)?,
                lower: bounds(lower, f)?,
                upper: bounds(upper, f)?,
                is_slice,
                value: one(value, f)?,
                type_oid,
                elem_type,
                jsonb,
            },
            TypedExpr::FieldStore {
                arg,
                field,
                value,
                fields,
                type_oid,
            } => TypedExpr::FieldStore {
                arg: one(arg, f)?,
                field,
                value: one(value, f)?,
                fields,
                type_oid,
            },
            TypedExpr::GroupingFunc { args, location } => TypedExpr::GroupingFunc {
                args: args
                    .into_iter()
                    .map(&mut *f)
                    .collect::<tusk_types::Result<_>>()?,
                location,
            },
            leaf @ (TypedExpr::Const { .. }
            | TypedExpr::Window(_)
            | TypedExpr::OuterColumn { .. }
            | TypedExpr::Param { .. }
            | TypedExpr::Column { .. }
            | TypedExpr::Aggregate(_)
            | TypedExpr::CaseTest { .. }
            | TypedExpr::SqlValue { .. }) => leaf,
        })
    }

    /// True if `self` and `other` are the same expression apart from source locations
    /// (PostgreSQL's `equal()`, which ignores location fields).
    pub fn same_as(&self, other: &TypedExpr) -> bool {
        without_locations(self.clone()) == without_locations(other.clone())
    }

    /// True if an aggregate call or a GROUPING operation occurs anywhere in the expression
    /// (either makes the query aggregate).
    pub fn contains_aggregate(&self) -> bool {
        let mut found = false;
        let _ = self.clone().map_children(&mut |c| {
            found |= c.contains_aggregate();
            Ok(c)
        });
        if let TypedExpr::Window(w) = self {
            let _ = (**w).clone().map_exprs(&mut |c| {
                found |= c.contains_aggregate();
                Ok(c)
            });
        }
        found
            || matches!(
                self,
                TypedExpr::Aggregate(_) | TypedExpr::GroupingFunc { .. }
            )
    }

    /// True if a window function call occurs anywhere in the expression.
    pub fn contains_window(&self) -> bool {
        let mut found = matches!(self, TypedExpr::Window(_));
        let _ = self.clone().map_children(&mut |c| {
            found |= c.contains_window();
            Ok(c)
        });
        found
    }

    /// The expression's result type.
    pub fn type_oid(&self) -> Oid {
        match self {
            TypedExpr::Const { type_oid, .. }
            | TypedExpr::Param { type_oid, .. }
            | TypedExpr::Column { type_oid, .. }
            | TypedExpr::Case { type_oid, .. }
            | TypedExpr::CaseTest { type_oid }
            | TypedExpr::Coalesce { type_oid, .. }
            | TypedExpr::MinMax { type_oid, .. }
            | TypedExpr::NullIf { type_oid, .. }
            | TypedExpr::OuterColumn { type_oid, .. }
            | TypedExpr::SubLink { type_oid, .. }
            | TypedExpr::Array { type_oid, .. }
            | TypedExpr::Subscript { type_oid, .. }
            | TypedExpr::Row { type_oid, .. }
            | TypedExpr::FieldSelect { type_oid, .. }
            | TypedExpr::SubscriptAssign { type_oid, .. }
            | TypedExpr::FieldStore { type_oid, .. }
            | TypedExpr::SqlValue { type_oid, .. } => *type_oid,
            TypedExpr::Func { ret, .. } => *ret,
            TypedExpr::VariadicArray { elem_type, .. } => *elem_type,
            TypedExpr::Aggregate(a) => a.ret,
            TypedExpr::GroupingFunc { .. } => tusk_types::type_oid::INT4,
            TypedExpr::Window(w) => w.ret,
            TypedExpr::Cast { target, .. } => *target,
            TypedExpr::And(_)
            | TypedExpr::Or(_)
            | TypedExpr::Not(_)
            | TypedExpr::NullTest { .. }
            | TypedExpr::BoolTest { .. }
            | TypedExpr::ScalarArrayOp { .. }
            | TypedExpr::Distinct { .. } => tusk_types::type_oid::BOOL,
        }
    }

    /// The expression's typmod (-1 when unknown or none).
    pub fn typmod(&self) -> i32 {
        match self {
            TypedExpr::Const { typmod, .. }
            | TypedExpr::Column { typmod, .. }
            | TypedExpr::OuterColumn { typmod, .. }
            | TypedExpr::FieldSelect { typmod, .. }
            | TypedExpr::Cast { typmod, .. } => *typmod,
            _ => -1,
        }
    }

    /// True if the expression returns a set (a set-returning function at its top).
    pub fn returns_set(&self) -> bool {
        matches!(self, TypedExpr::Func { retset: true, .. })
    }
}

fn without_locations(e: TypedExpr) -> TypedExpr {
    let e = match e {
        TypedExpr::Const {
            value,
            type_oid,
            typmod,
            ..
        } => TypedExpr::Const {
            value,
            type_oid,
            typmod,
            location: usize::MAX,
        },
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            ..
        } => TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location: usize::MAX,
        },
        TypedExpr::OuterColumn {
            levels_up,
            index,
            type_oid,
            typmod,
            ..
        } => TypedExpr::OuterColumn {
            levels_up,
            index,
            type_oid,
            typmod,
            location: usize::MAX,
        },
        TypedExpr::Aggregate(mut a) => {
            a.location = usize::MAX;
            a.args = a.args.into_iter().map(without_locations).collect();
            a.filter = a.filter.map(without_locations);
            for k in &mut a.order_by {
                k.expr = without_locations(k.expr.clone());
            }
            TypedExpr::Aggregate(a)
        }
        TypedExpr::GroupingFunc { args, .. } => TypedExpr::GroupingFunc {
            args,
            location: usize::MAX,
        },
        other => other,
    };
    e.map_children(&mut |c| Ok(without_locations(c)))
        .expect("removing locations cannot fail")
}
