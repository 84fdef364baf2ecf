//! Type coercion: when a value of one type may stand where another is wanted, and how
//! (PostgreSQL docs §10.1 and `CREATE CAST`: implicit, assignment and explicit casts; I/O
//! conversion casts to and from string types; unknown literals take any type).

use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::{Analyzer, CastPath, TypedExpr};
use crate::analyze::typed::CastKind;

/// The context a coercion happens in; a cast usable in a context is usable in every
/// later one (implicit < assignment < explicit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CoercionContext {
    /// Anywhere, silently (`pg_cast.castcontext = 'i'`).
    Implicit,
    /// Storing into a column (`'a'`).
    Assignment,
    /// CAST or `::` (`'e'`).
    Explicit,
}

/// True for the polymorphic pseudo-types a function may declare.
pub(crate) fn is_polymorphic(t: Oid) -> bool {
    matches!(
        t.0,
        2276 | 2283 | 2277 | 2776 | 3500 | 3831 | 4537 | 5077 | 5078 | 5079 | 5080 | 4538
    )
}

impl Analyzer<'_> {
    /// `can_coerce_type`: whether `input` may be coerced to `target` in `ctx`.
    pub(crate) fn can_coerce(&self, input: Oid, target: Oid, ctx: CoercionContext) -> bool {
        if input == target || input == type_oid::UNKNOWN || target == type_oid::ANY {
            return true;
        }
        if is_polymorphic(target) {
            return self.polymorphic_accepts(input, target);
        }
        // A domain accepts what its base type accepts (the value is then checked).
        let target = if target.0 >= 16384 {
            self.base_type(target)
        } else {
            target
        };
        if input == target {
            return true;
        }
        // A composite value is a record; a record may become a composite type's value
        // field by field (PostgreSQL's can_coerce_type).
        if (target == type_oid::RECORD && self.catalog.composite_fields(input).is_some())
            || (input == type_oid::RECORD && self.catalog.composite_fields(target).is_some())
        {
            return true;
        }
        if target == type_oid::RECORD || target == type_oid::CSTRING || target == Oid::INVALID {
            return false;
        }
        match self.cast_path(input, target) {
            Some(path) => path.context <= ctx,
            None => self.array_coercion(input, target, ctx).is_some(),
        }
    }

    pub(crate) fn polymorphic_accepts(&self, input: Oid, target: Oid) -> bool {
        let is_array = self.array_element_type(input).is_some();
        let typtype = self
            .catalog
            .type_info(input)
            .map(|t| t.typtype)
            .unwrap_or(0);
        match target.0 {
            2277 | 5078 => is_array,        // anyarray, anycompatiblearray
            2776 | 5079 => !is_array,       // anynonarray, anycompatiblenonarray
            3500 => typtype == b'e',        // anyenum
            3831 | 5080 => typtype == b'r', // anyrange, anycompatiblerange
            4537 | 4538 => typtype == b'm', // anymultirange, anycompatiblemultirange
            _ => true,                      // any, anyelement, anycompatible
        }
    }

    /// The cast path from `input` to `target`: `pg_cast`, else PostgreSQL's automatic I/O
    /// conversion casts (to a string type: assignment; from a string type: explicit).
    pub(crate) fn cast_path(&self, input: Oid, target: Oid) -> Option<CastPath> {
        if let Some(path) = self.catalog.cast(input, target) {
            return Some(path);
        }
        let target_info = self.catalog.type_info(target)?;
        let input_info = self.catalog.type_info(input)?;
        if target_info.category == b'S' {
            return Some(CastPath {
                func: None,
                context: CoercionContext::Assignment,
                inout: true,
            });
        }
        if input_info.category == b'S' {
            return Some(CastPath {
                func: None,
                context: CoercionContext::Explicit,
                inout: true,
            });
        }
        None
    }

    /// `coerce_type`: converts `expr` to `target` (with `typmod`, -1 for none), or fails with
    /// 42846 `cannot cast type x to y` when no cast usable in `ctx` exists.
    pub fn coerce(
        &mut self,
        expr: TypedExpr,
        target: Oid,
        typmod: i32,
        ctx: CoercionContext,
        location: usize,
    ) -> Result<TypedExpr> {
        let input = expr.type_oid();
        if input == target && (typmod < 0 || expr.typmod() == typmod) {
            return Ok(expr);
        }
        if target == type_oid::ANY || is_polymorphic(target) {
            return Ok(expr);
        }
        if let Some(domain) = super::domain::domain_of(self.catalog, target) {
            return self.coerce_to_domain(expr, domain, ctx, location);
        }
        match expr {
            TypedExpr::Const {
                value,
                type_oid: t,
                location: literal_at,
                ..
            } if t == type_oid::UNKNOWN => {
                // Input errors point at the literal itself, as PostgreSQL reports them.
                let at = if literal_at == usize::MAX {
                    location
                } else {
                    literal_at
                };
                // The input function gets no typmod (interval's excepted): the length
                // coercion follows with the context's rules (PostgreSQL's coerce_type).
                let input_typmod = if target == type_oid::INTERVAL {
                    typmod
                } else {
                    -1
                };
                let value = match value {
                    Datum::Null => Datum::Null,
                    Datum::Text(text) => self
                        .catalog
                        .input_literal(&text, target, input_typmod)
                        .map_err(|e| self.at(e, at))?,
                    other => other,
                };
                let constant = TypedExpr::Const {
                    value,
                    type_oid: target,
                    typmod: input_typmod,
                    location: usize::MAX,
                };
                return Ok(if typmod >= 0 && input_typmod < 0 {
                    TypedExpr::Cast {
                        arg: Box::new(constant),
                        kind: CastKind::Relabel,
                        target,
                        typmod,
                        explicit: ctx == CoercionContext::Explicit,
                    }
                } else {
                    constant
                });
            }
            TypedExpr::Param { index, type_oid: t }
                if t == type_oid::UNKNOWN || t == Oid::INVALID =>
            {
                if let Some(slot) = self.param_types.get_mut(index) {
                    *slot = target;
                }
                let param = TypedExpr::Param {
                    index,
                    type_oid: target,
                };
                return Ok(if typmod >= 0 {
                    TypedExpr::Cast {
                        arg: Box::new(param),
                        kind: CastKind::Relabel,
                        target,
                        typmod,
                        explicit: ctx == CoercionContext::Explicit,
                    }
                } else {
                    param
                });
            }
            _ => {}
        }
        if target == type_oid::RECORD && self.catalog.composite_fields(input).is_some() {
            return Ok(TypedExpr::Cast {
                arg: Box::new(expr),
                kind: CastKind::Relabel,
                target,
                typmod: -1,
                explicit: ctx == CoercionContext::Explicit,
            });
        }
        if input == type_oid::RECORD {
            if let Some(fields) = self.catalog.composite_fields(target) {
                return self.coerce_record_to_composite(expr, target, fields, ctx, location);
            }
        }
        if input == target {
            // Only the typmod changes: length coercion.
            return Ok(TypedExpr::Cast {
                arg: Box::new(expr),
                kind: CastKind::Relabel,
                target,
                typmod,
                explicit: ctx == CoercionContext::Explicit,
            });
        }
        if self.catalog.cast(input, target).is_none() {
            if let Some(kind) = self.array_coercion(input, target, ctx) {
                return Ok(TypedExpr::Cast {
                    arg: Box::new(expr),
                    kind,
                    target,
                    typmod,
                    explicit: ctx == CoercionContext::Explicit,
                });
            }
        }
        let Some(path) = self.cast_path(input, target).filter(|p| p.context <= ctx) else {
            return Err(self.at(
                pg_err!(
                    CANNOT_COERCE,
                    "cannot cast type {} to {}",
                    self.catalog.format_type(input),
                    self.catalog.format_type(target)
                ),
                location,
            ));
        };
        if let Some(f) = path.func.filter(|f| !path.inout && f.0 >= 16384) {
            return self.user_cast_call(expr, f, target, typmod, ctx, location);
        }
        let kind = match path.func {
            Some(f) if !path.inout => CastKind::Func(f),
            _ if path.inout => CastKind::InOut,
            _ => CastKind::Relabel,
        };
        Ok(TypedExpr::Cast {
            arg: Box::new(expr),
            kind,
            target,
            typmod,
            explicit: ctx == CoercionContext::Explicit,
        })
    }
}

impl Analyzer<'_> {
    /// A cast made by `CREATE CAST ... WITH FUNCTION f`: a call of `f` with the value (and
    /// the typmod and whether the cast is explicit, when `f` takes them), its result
    /// relabelled to `target` when `f` returns a binary-coercible type.
    ///
    /// Errors: 42883 when the function is gone.
    fn user_cast_call(
        &mut self,
        expr: TypedExpr,
        function: Oid,
        target: Oid,
        typmod: i32,
        ctx: CoercionContext,
        location: usize,
    ) -> Result<TypedExpr> {
        let Some(f) = self.catalog.function(function) else {
            return Err(self.at(
                pg_err!(
                    UNDEFINED_FUNCTION,
                    "cache lookup failed for function {}",
                    function.0
                ),
                location,
            ));
        };
        let explicit = ctx == CoercionContext::Explicit;
        let relabel = |arg: TypedExpr, to: Oid| {
            if arg.type_oid() == to {
                arg
            } else {
                TypedExpr::Cast {
                    arg: Box::new(arg),
                    kind: CastKind::Relabel,
                    target: to,
                    typmod: -1,
                    explicit,
                }
            }
        };
        let first = f.args.first().copied().unwrap_or(target);
        let mut args = vec![relabel(expr, first)];
        let constant = |value: Datum, type_oid: Oid| TypedExpr::Const {
            value,
            type_oid,
            typmod: -1,
            location: usize::MAX,
        };
        if f.args.len() > 1 {
            args.push(constant(Datum::Int4(typmod), type_oid::INT4));
        }
        if f.args.len() > 2 {
            args.push(constant(Datum::Bool(explicit), type_oid::BOOL));
        }
        let call = TypedExpr::Func {
            proc: function,
            args,
            ret: f.ret,
            strict: f.strict,
            retset: false,
        };
        Ok(relabel(call, target))
    }

    /// PostgreSQL's `coerce_record_to_complex`: a row constructor becomes a value of
    /// composite type `target`, each field coerced to its attribute's type in `ctx`.
    ///
    /// Errors: 42846 `cannot cast type record to x` (DETAIL `Input has too few
    /// columns.`, `Input has too many columns.`, `Cannot cast type a to b in column n.`),
    /// also for a record whose fields are not known here.
    fn coerce_record_to_composite(
        &mut self,
        expr: TypedExpr,
        target: Oid,
        fields: Vec<(String, Oid, i32)>,
        ctx: CoercionContext,
        location: usize,
    ) -> Result<TypedExpr> {
        let cannot = |this: &Self| {
            pg_err!(
                CANNOT_COERCE,
                "cannot cast type {} to {}",
                this.catalog.format_type(type_oid::RECORD),
                this.catalog.format_type(target)
            )
        };
        let args = match expr {
            TypedExpr::Row { args, .. } => args,
            TypedExpr::Case { default, .. } if matches!(*default, TypedExpr::Row { .. }) => {
                let TypedExpr::Row { args, .. } = *default else {
                    unreachable!("matched above");
                };
                args
            }
            _ => return Err(self.at(cannot(self), location)),
        };
        if args.len() != fields.len() {
            let detail = if args.len() < fields.len() {
                "Input has too few columns."
            } else {
                "Input has too many columns."
            };
            return Err(self.at(cannot(self).detail(detail), location));
        }
        let mut coerced = Vec::with_capacity(args.len());
        for (i, (arg, (_, field_type, field_typmod))) in args.into_iter().zip(&fields).enumerate() {
            let from = arg.type_oid();
            let value = self
                .coerce(arg, *field_type, *field_typmod, ctx, location)
                .map_err(|e| {
                    if e.code == tusk_types::SqlState::CANNOT_COERCE {
                        self.at(
                            cannot(self).detail(format!(
                                "Cannot cast type {} to {} in column {}.",
                                self.catalog.format_type(from),
                                self.catalog.format_type(*field_type),
                                i + 1
                            )),
                            location,
                        )
                    } else {
                        e
                    }
                })?;
            coerced.push(value);
        }
        Ok(TypedExpr::Row {
            args: coerced,
            names: fields.into_iter().map(|(name, _, _)| name).collect(),
            type_oid: target,
        })
    }
}
