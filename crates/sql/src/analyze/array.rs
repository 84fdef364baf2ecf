//! Array expressions in the analyzer, as PostgreSQL's parse analysis builds them:
//! `ARRAY[...]` constructors (`transformArrayExpr`), subscripts and slices
//! (`transformContainerSubscripts`), `op ANY/ALL (array)` (`make_scalar_array_op`) and
//! array-to-array casts through the element cast (`ArrayCoerceExpr`).
//!
//! Rules kept from PostgreSQL 15:
//! 1. An `ARRAY[...]` whose elements are bracketed sub-lists or array-typed values is
//!    multi-dimensional; its type is the common type of the sub-arrays.
//! 2. Under a cast (`ARRAY[...]::t[]`) the elements are cast explicitly to the target's
//!    element type, so `ARRAY[]::int[]` has a type; without one, an empty constructor is
//!    42P18 `cannot determine type of empty array`.
//! 3. Subscripts are coerced to `integer`; when any bracket is a slice, the others count
//!    as `1:n`; at most six brackets.
//! 4. `op ANY/ALL` resolves `op` between the left type and the array's element type
//!    (or an unknown literal), which must yield boolean.
//!
//! Entry points: [`Analyzer::array_constructor`], [`Analyzer::subscript`],
//! [`Analyzer::scalar_array_op`], [`Analyzer::array_coercion`].

use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::coerce::{is_polymorphic, CoercionContext};
use super::typed::{CastKind, TypedExpr};
use super::Analyzer;
use crate::analyze::expr::Scope;
use crate::ast::{ArrayIndex, Expr};

/// PostgreSQL's `MAXDIM`.
const MAXDIM: usize = 6;

/// `jsonb_extract_path(jsonb, VARIADIC text[])`.
pub(crate) const JSONB_EXTRACT_PATH: Oid = Oid(3217);

/// `oidvector` and `int2vector`: subscriptable like arrays, but elements of their own
/// array types (`oidvector[]`) in `ARRAY[...]`.
fn is_vector(t: Oid) -> bool {
    matches!(t, type_oid::OIDVECTOR | type_oid::INT2VECTOR)
}

impl Analyzer<'_> {
    /// The element type of an array type (category `A` with a `typelem`).
    pub(crate) fn array_element_type(&self, t: Oid) -> Option<Oid> {
        self.catalog
            .type_info(t)
            .filter(|i| {
                // `record[]` is a pseudo-type (category P) but an array all the same.
                (i.category == b'A' || i.name == "_record") && i.elem != Oid::INVALID
            })
            .map(|i| i.elem)
    }

    /// The array type whose elements are `elem` (`get_array_type`).
    pub(crate) fn array_type_of(&self, elem: Oid) -> Option<Oid> {
        let info = self.catalog.type_info(elem)?;
        if info.category == b'A' && !is_vector(elem) {
            return None;
        }
        self.catalog
            .type_by_name(&format!("_{}", info.name))
            .filter(|a| a.elem == elem)
            .map(|a| a.oid)
    }

    /// `ARRAY[...]`; `target` is the (array type, typmod) of an enclosing cast.
    ///
    /// Errors: 42P18 `cannot determine type of empty array`; 42804/42846 when elements
    /// have no common type or do not cast to the target's element type.
    pub(crate) fn array_constructor(
        &mut self,
        elements: &[Expr],
        location: usize,
        target: Option<(Oid, i32)>,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let target = target.and_then(|(t, m)| self.array_element_type(t).map(|e| (t, e, m)));
        let mut multidims = false;
        let mut typed = Vec::with_capacity(elements.len());
        for e in elements {
            match e {
                Expr::Array(inner, at) => {
                    multidims = true;
                    typed.push(self.array_constructor(
                        inner,
                        *at,
                        target.map(|(t, _, m)| (t, m)),
                        scope,
                    )?);
                }
                other => {
                    let t = self.analyze_expr(other, scope)?;
                    if self.array_element_type(t.type_oid()).is_some() && !is_vector(t.type_oid()) {
                        multidims = true;
                    }
                    typed.push(t);
                }
            }
        }
        let (array_type, elem_type, elements) = match target {
            Some((array_type, elem_type, typmod)) => {
                let coerce_to = if multidims { array_type } else { elem_type };
                let mut out = Vec::with_capacity(typed.len());
                for e in typed {
                    out.push(self.coerce(
                        e,
                        coerce_to,
                        typmod,
                        CoercionContext::Explicit,
                        location,
                    )?);
                }
                (array_type, elem_type, out)
            }
            None => {
                if typed.is_empty() {
                    return Err(self.at(
                        pg_err!(
                            INDETERMINATE_DATATYPE,
                            "cannot determine type of empty array"
                        )
                        .hint(
                            "Explicitly cast to the desired type, for example ARRAY[]::integer[].",
                        ),
                        location,
                    ));
                }
                let (out, common) = self.unify(typed, "ARRAY", location)?;
                if multidims {
                    let elem = self.array_element_type(common).ok_or_else(|| {
                        self.at(
                            pg_err!(
                                UNDEFINED_OBJECT,
                                "could not find element type for data type {}",
                                self.catalog.format_type(common)
                            ),
                            location,
                        )
                    })?;
                    (common, elem, out)
                } else {
                    let array = self.array_type_of(common).ok_or_else(|| {
                        self.at(
                            pg_err!(
                                UNDEFINED_OBJECT,
                                "could not find array type for data type {}",
                                self.catalog.format_type(common)
                            ),
                            location,
                        )
                    })?;
                    (array, common, out)
                }
            }
        };
        if elements.is_empty() && is_vector(array_type) {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "array is not a valid {}",
                self.catalog.format_type(array_type)
            ));
        }
        Ok(TypedExpr::Array {
            elements,
            elem_type,
            type_oid: array_type,
            multidims,
        })
    }

    /// `arg[...]...`: an element or a slice of an array.
    ///
    /// Errors: 42804 `cannot subscript type x because it does not support subscripting`
    /// and `array subscript must have type integer`; 54000 for more than six subscripts.
    pub(crate) fn subscript(
        &mut self,
        arg: &Expr,
        indices: &[ArrayIndex],
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let base = self.analyze_expr(arg, scope)?;
        let array_type = base.type_oid();
        if array_type == type_oid::JSONB {
            return self.jsonb_subscript(base, indices, scope);
        }
        if let Some(elem_type) = fixed_length_element(array_type) {
            return self.fixed_length_subscript(base, elem_type, indices, scope);
        }
        let Some(elem_type) = self.array_element_type(array_type) else {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "cannot subscript type {} because it does not support subscripting",
                    self.catalog.format_type(array_type)
                ),
                arg.location(),
            ));
        };
        if indices.len() > MAXDIM {
            return Err(tusk_types::adt::array::too_many_dimensions(indices.len()));
        }
        let is_slice = indices.iter().any(|i| i.is_slice);
        let mut lower = Vec::with_capacity(indices.len());
        let mut upper = Vec::with_capacity(indices.len());
        for index in indices {
            if is_slice {
                lower.push(match &index.lower {
                    Some(e) => Some(self.subscript_value(e, scope)?),
                    None if !index.is_slice => Some(TypedExpr::Const {
                        value: Datum::Int4(1),
                        type_oid: type_oid::INT4,
                        typmod: -1,
                        location: usize::MAX,
                    }),
                    None => None,
                });
            }
            upper.push(match &index.upper {
                Some(e) => Some(self.subscript_value(e, scope)?),
                None => None,
            });
        }
        Ok(TypedExpr::Subscript {
            arg: Box::new(base),
            lower,
            upper,
            is_slice,
            type_oid: if is_slice { array_type } else { elem_type },
        })
    }

    /// `jsonb[...]...` (PostgreSQL 14+): each subscript, an integer or text, is one step
    /// of a path, read as `#>` reads it (`jsonb_extract_path`).
    ///
    /// Errors: as [`Analyzer::jsonb_path_element`].
    fn jsonb_subscript(
        &mut self,
        base: TypedExpr,
        indices: &[ArrayIndex],
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let mut path = Vec::with_capacity(indices.len());
        for index in indices {
            path.push(self.jsonb_path_element(index, scope)?.0);
        }
        Ok(TypedExpr::Func {
            proc: JSONB_EXTRACT_PATH,
            args: vec![
                base,
                TypedExpr::Array {
                    elements: path,
                    elem_type: type_oid::TEXT,
                    type_oid: type_oid::TEXT_ARRAY,
                    multidims: false,
                },
            ],
            ret: type_oid::JSONB,
            strict: true,
            retset: false,
        })
    }

    /// One `jsonb` subscript as a path element of type text, and whether it was an
    /// integer.
    ///
    /// Errors: 42804 `jsonb subscript does not support slices`; 42804 `subscript type x
    /// is not supported` for subscripts neither integer nor text.
    pub(crate) fn jsonb_path_element(
        &mut self,
        index: &ArrayIndex,
        scope: &Scope,
    ) -> Result<(TypedExpr, bool)> {
        let Some(e) = index.upper.as_ref().filter(|_| !index.is_slice) else {
            let at = index
                .upper
                .as_ref()
                .or(index.lower.as_ref())
                .map_or(usize::MAX, Expr::location);
            return Err(self.at(
                pg_err!(DATATYPE_MISMATCH, "jsonb subscript does not support slices"),
                at,
            ));
        };
        let typed = self.analyze_expr(e, scope)?;
        let t = typed.type_oid();
        if self.can_coerce(t, type_oid::INT4, CoercionContext::Implicit) && t != type_oid::UNKNOWN {
            let int = self.coerce(
                typed,
                type_oid::INT4,
                -1,
                CoercionContext::Implicit,
                e.location(),
            )?;
            let text = self.coerce(
                int,
                type_oid::TEXT,
                -1,
                CoercionContext::Explicit,
                e.location(),
            )?;
            Ok((text, true))
        } else if self.can_coerce(t, type_oid::TEXT, CoercionContext::Implicit) {
            let text = self.coerce(
                typed,
                type_oid::TEXT,
                -1,
                CoercionContext::Implicit,
                e.location(),
            )?;
            Ok((text, false))
        } else {
            Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "subscript type {} is not supported",
                    self.catalog.format_type(t)
                )
                .hint("jsonb subscript must be coercible to either integer or text."),
                e.location(),
            ))
        }
    }

    /// `point[0]`, `lseg[1]`, ...: a fixed-length type read as a zero-based array of its
    /// `typelem` (PostgreSQL's `raw_array_subscript_handler`). More than one subscript
    /// yields NULL when evaluated, as PostgreSQL's `array_get_element` does.
    ///
    /// Errors: 0A000 `slices of fixed-length arrays not implemented`.
    fn fixed_length_subscript(
        &mut self,
        base: TypedExpr,
        elem_type: Oid,
        indices: &[ArrayIndex],
        scope: &Scope,
    ) -> Result<TypedExpr> {
        if indices.iter().any(|i| i.is_slice) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "slices of fixed-length arrays not implemented"
            ));
        }
        let mut upper = Vec::with_capacity(indices.len());
        for index in indices {
            upper.push(match &index.upper {
                Some(e) => Some(self.subscript_value(e, scope)?),
                None => None,
            });
        }
        Ok(TypedExpr::Subscript {
            arg: Box::new(base),
            lower: Vec::new(),
            upper,
            is_slice: false,
            type_oid: elem_type,
        })
    }

    pub(crate) fn subscript_value(&mut self, e: &Expr, scope: &Scope) -> Result<TypedExpr> {
        let typed = self.analyze_expr(e, scope)?;
        let t = typed.type_oid();
        if !self.can_coerce(t, type_oid::INT4, CoercionContext::Assignment) {
            return Err(self.at(
                pg_err!(DATATYPE_MISMATCH, "array subscript must have type integer"),
                e.location(),
            ));
        }
        self.coerce(
            typed,
            type_oid::INT4,
            -1,
            CoercionContext::Assignment,
            e.location(),
        )
    }

    /// `left op ANY (right)` / `left op ALL (right)`.
    ///
    /// Errors: 42809 `op ANY/ALL (array) requires array on right side`; 42804 `op ANY/ALL
    /// (array) requires operator to yield boolean`; operator resolution errors.
    pub(crate) fn scalar_array_op(
        &mut self,
        name: &str,
        left: &Expr,
        right: &Expr,
        all: bool,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let l = self.analyze_expr(left, scope)?;
        let r = self.analyze_expr(right, scope)?;
        let rtype = r.type_oid();
        let elem = if rtype == type_oid::UNKNOWN || rtype == Oid::INVALID {
            type_oid::UNKNOWN
        } else {
            self.array_element_type(rtype).ok_or_else(|| {
                self.at(
                    pg_err!(
                        WRONG_OBJECT_TYPE,
                        "op ANY/ALL (array) requires array on right side"
                    ),
                    location,
                )
            })?
        };
        let placeholder = TypedExpr::Const {
            value: Datum::Null,
            type_oid: elem,
            typmod: -1,
            location: usize::MAX,
        };
        let TypedExpr::Func {
            proc,
            args,
            ret,
            strict,
            retset,
        } = self.make_op(name, Some(l), placeholder, location)?
        else {
            return Err(tusk_types::Error::internal(
                "operator did not resolve to a function",
            ));
        };
        if ret != type_oid::BOOL {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "op ANY/ALL (array) requires operator to yield boolean"
                ),
                location,
            ));
        }
        if retset {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "op ANY/ALL (array) requires operator not to return a set"
                ),
                location,
            ));
        }
        let declared_right = self
            .catalog
            .function(proc)
            .and_then(|f| f.args.get(1).copied())
            .unwrap_or(elem);
        let right = if is_polymorphic(declared_right) {
            r
        } else {
            let array = self.array_type_of(declared_right).ok_or_else(|| {
                self.at(
                    pg_err!(
                        UNDEFINED_OBJECT,
                        "could not find array type for data type {}",
                        self.catalog.format_type(declared_right)
                    ),
                    location,
                )
            })?;
            self.coerce(r, array, -1, CoercionContext::Implicit, location)?
        };
        let left = args
            .into_iter()
            .next()
            .ok_or_else(|| tusk_types::Error::internal("operator lost its left operand"))?;
        Ok(TypedExpr::ScalarArrayOp {
            proc,
            all,
            strict,
            left: Box::new(left),
            right: Box::new(right),
        })
    }

    /// Coerces the arguments at `anycompatible`-family positions to their common type
    /// (its array type at `anycompatiblearray` positions), as PostgreSQL resolves
    /// `array_append(int[], bigint)` to `bigint[]`. Arguments without a common type
    /// are left as they are.
    pub(crate) fn unify_anycompatible(
        &mut self,
        args: Vec<TypedExpr>,
        declared: &[Oid],
        location: usize,
    ) -> Result<Vec<TypedExpr>> {
        const ANYCOMPATIBLE: Oid = Oid(5077);
        const ANYCOMPATIBLEARRAY: Oid = Oid(5078);
        const ANYCOMPATIBLENONARRAY: Oid = Oid(5079);
        let mut samples = Vec::new();
        for (a, d) in args.iter().zip(declared) {
            let t = match d.0 {
                5077 | 5079 => a.type_oid(),
                5078 => match self.array_element_type(a.type_oid()) {
                    Some(e) => e,
                    None => continue,
                },
                // anycompatiblerange, anycompatiblemultirange: their subtype
                5080 => match self.catalog.range_subtype(a.type_oid()) {
                    Some(e) => e,
                    None => continue,
                },
                4538 => match self
                    .catalog
                    .multirange_range(a.type_oid())
                    .and_then(|r| self.catalog.range_subtype(r))
                {
                    Some(e) => e,
                    None => continue,
                },
                _ => continue,
            };
            if t != type_oid::UNKNOWN {
                samples.push(TypedExpr::Const {
                    value: Datum::Null,
                    type_oid: t,
                    typmod: -1,
                    location: usize::MAX,
                });
            }
        }
        if samples.len() < 2 {
            return Ok(args);
        }
        let Ok((_, common)) = self.unify(samples, "anycompatible", location) else {
            return Ok(args);
        };
        let Some(common_array) = self.array_type_of(common) else {
            return Ok(args);
        };
        let mut out = Vec::with_capacity(args.len());
        for (i, a) in args.into_iter().enumerate() {
            let target = match declared.get(i).copied() {
                Some(ANYCOMPATIBLE | ANYCOMPATIBLENONARRAY)
                    if a.type_oid() != type_oid::UNKNOWN =>
                {
                    common
                }
                Some(ANYCOMPATIBLEARRAY) if a.type_oid() != type_oid::UNKNOWN => common_array,
                _ => {
                    out.push(a);
                    continue;
                }
            };
            out.push(self.coerce(a, target, -1, CoercionContext::Implicit, location)?);
        }
        Ok(out)
    }

    /// 42804 `could not determine polymorphic type because input has type unknown` when
    /// every argument at a polymorphic position (other than `"any"`) is an unknown
    /// literal, as PostgreSQL's `enforce_generic_type_consistency` refuses them; the
    /// same naming `anycompatiblerange` (`anycompatiblemultirange`) when such an
    /// argument is unknown and no range or multirange argument of that family fixes
    /// the range type, which its element type cannot.
    pub(crate) fn check_polymorphic_determined(
        &self,
        args: &[TypedExpr],
        declared: &[Oid],
        ret: Oid,
    ) -> Result<()> {
        let known_range = args
            .iter()
            .zip(declared)
            .any(|(a, d)| matches!(d.0, 5080 | 4538) && a.type_oid() != type_oid::UNKNOWN);
        let range_arguments = declared.iter().any(|d| matches!(d.0, 5080 | 4538));
        if !known_range && range_arguments {
            for (range, name) in [
                (5080, "anycompatiblerange"),
                (4538, "anycompatiblemultirange"),
            ] {
                if ret.0 == range || declared.iter().any(|d| d.0 == range) {
                    return Err(pg_err!(
                        DATATYPE_MISMATCH,
                        "could not determine polymorphic type {} because input has type unknown",
                        name
                    ));
                }
            }
        }
        // Unknown literals alone decide nothing in the `anyelement` family; in the
        // `anycompatible` one they are text.
        let mut generic = args
            .iter()
            .zip(declared)
            .filter(|(_, d)| is_polymorphic(**d) && !matches!(d.0, 2276 | 5077..=5080 | 4538))
            .peekable();
        if generic.peek().is_none() {
            return Ok(());
        }
        if generic.all(|(a, _)| a.type_oid() == type_oid::UNKNOWN) {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "could not determine polymorphic type because input has type unknown"
            ));
        }
        Ok(())
    }

    /// The type an unknown literal at a polymorphic position declared `declared` takes:
    /// the element type the other polymorphic arguments fix (or its array type at an
    /// array position), else `text`.
    pub(crate) fn unknown_polymorphic_target(
        &self,
        args: &[TypedExpr],
        all_declared: &[Oid],
        declared: Oid,
    ) -> Oid {
        let compatible = |t: Oid| matches!(t.0, 5077..=5080 | 4538);
        let element = args.iter().zip(all_declared).find_map(|(a, d)| {
            let t = a.type_oid();
            if t == type_oid::UNKNOWN || compatible(*d) != compatible(declared) {
                return None;
            }
            match d.0 {
                2283 | 2776 | 3500 | 5077 | 5079 => Some(t),
                2277 | 5078 => self.array_element_type(t),
                3831 | 5080 => self.catalog.range_subtype(t),
                4537 | 4538 => self
                    .catalog
                    .multirange_range(t)
                    .and_then(|r| self.catalog.range_subtype(r)),
                _ => None,
            }
        });
        // The range type the other arguments fix: a known range argument's, a known
        // multirange argument's ranges', else the range over the element type.
        let known_range = || {
            args.iter()
                .zip(all_declared)
                .find_map(|(a, d)| {
                    let t = a.type_oid();
                    match d.0 {
                        _ if t == type_oid::UNKNOWN || compatible(*d) != compatible(declared) => {
                            None
                        }
                        3831 | 5080 => Some(t),
                        4537 | 4538 => self.catalog.multirange_range(t),
                        _ => None,
                    }
                })
                .or_else(|| element.and_then(tusk_types::adt::range::range_type_of))
        };
        if matches!(declared.0, 3831 | 5080) {
            return known_range().unwrap_or(type_oid::TEXT);
        }
        if matches!(declared.0, 4537 | 4538) {
            return known_range()
                .and_then(|r| self.catalog.range_multirange(r))
                .unwrap_or(type_oid::TEXT);
        }
        match (element, declared.0) {
            (Some(e), 2277 | 5078) => self.array_type_of(e).unwrap_or(type_oid::TEXT),
            (Some(e), 2283 | 2776 | 3500 | 5077 | 5079) => e,
            _ => type_oid::TEXT,
        }
    }

    /// The cast of one array type to another through its element types' cast
    /// (`find_coercion_pathway`'s array case), if one usable in `ctx` exists.
    pub(crate) fn array_coercion(
        &self,
        input: Oid,
        target: Oid,
        ctx: CoercionContext,
    ) -> Option<CastKind> {
        if matches!(target, type_oid::OIDVECTOR | type_oid::INT2VECTOR) {
            return None;
        }
        let source_element = self.array_element_type(input)?;
        let target_element = self.array_element_type(target)?;
        let element = if source_element == target_element {
            CastKind::Relabel
        } else if let Some(inner) = self.array_coercion(source_element, target_element, ctx) {
            inner
        } else {
            let path = self
                .cast_path(source_element, target_element)
                .filter(|p| p.context <= ctx)?;
            match path.func {
                Some(f) if !path.inout => CastKind::Func(f),
                _ if path.inout => CastKind::InOut,
                _ => CastKind::Relabel,
            }
        };
        Some(CastKind::ArrayCoerce {
            element: Box::new(element),
            source_element,
            target_element,
        })
    }
}

/// The element type of a fixed-length type subscripted like an array: `point` and `line`
/// hold `double precision` values, `lseg` and `box` hold points.
pub(crate) fn fixed_length_element(t: Oid) -> Option<Oid> {
    match t {
        type_oid::POINT | type_oid::LINE => Some(type_oid::FLOAT8),
        type_oid::LSEG | type_oid::BOX => Some(type_oid::POINT),
        type_oid::NAME => Some(type_oid::CHAR),
        _ => None,
    }
}
