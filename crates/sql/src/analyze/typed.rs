//! Typed expressions: the analyzer's output, the executor's input.

use tusk_types::{Datum, Oid};

use crate::ast::{BoolTestKind, SqlValueFunction};

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

impl TypedExpr {
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
            | TypedExpr::Array { type_oid, .. }
            | TypedExpr::Subscript { type_oid, .. }
            | TypedExpr::SqlValue { type_oid, .. } => *type_oid,
            TypedExpr::Func { ret, .. } => *ret,
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
            | TypedExpr::Cast { typmod, .. } => *typmod,
            _ => -1,
        }
    }

    /// True if the expression returns a set (a set-returning function at its top).
    pub fn returns_set(&self) -> bool {
        matches!(self, TypedExpr::Func { retset: true, .. })
    }
}
