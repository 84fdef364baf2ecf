//! Window function calls (PostgreSQL's `parse_func.c`/`parse_agg.c` window rules and
//! `parse_clause.c`'s frame offsets): aggregates, `row_number`, `rank`, `dense_rank`,
//! `percent_rank`, `cume_dist`, `ntile`, `lag`, `lead`, `first_value`, `last_value` and
//! `nth_value` over `PARTITION BY`/`ORDER BY` and a ROWS, RANGE or GROUPS frame with
//! its EXCLUDE clause. After grouping, each call is taken out of the target list into
//! [`Query::windows`] and replaced by a column of the row the window operator extends
//! (`input row ++ window results`).
//!
//! Entry points: [`Analyzer::window_call`], [`extract_windows`].

use tusk_types::{pg_err, type_oid, Error, Result};

use super::aggregate::first_window;
use super::coerce::CoercionContext;
use super::expr::{FuncExtras, Scope};
use super::select::SortKey;
use super::typed::{FrameBound, TypedExpr, WindowCall, WindowFrame, WindowFunction};
use super::{Analyzer, FuncCandidate};
use crate::ast::{self, FrameMode, WindowSpec};

impl Analyzer<'_> {
    /// `f(args) OVER (...)` for a resolved function `chosen`.
    ///
    /// Errors: 42809 for a plain function with OVER, 42P20 for nested window calls,
    /// 0A000 for DISTINCT or ORDER BY inside and for window functions tusk lacks.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn window_call(
        &mut self,
        chosen: &FuncCandidate,
        typed: Vec<TypedExpr>,
        fname: &str,
        extras: &FuncExtras<'_>,
        over: &WindowSpec,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        if let Some(inner) = typed.iter().find_map(first_window) {
            return Err(self.at(
                pg_err!(WINDOWING_ERROR, "window function calls cannot be nested"),
                inner,
            ));
        }
        if extras.distinct {
            return Err(self.at(
                Error::new(
                    tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                    "DISTINCT is not implemented for window functions",
                ),
                location,
            ));
        }
        if !extras.order_by.is_empty() {
            return Err(self.at(
                Error::new(
                    tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                    "aggregate ORDER BY is not implemented for window functions",
                ),
                location,
            ));
        }
        let (function, ret) = match chosen.kind {
            b'a' => {
                let args = self.coerce_args(typed, &chosen.args, location)?;
                let ret = self.resolve_polymorphic_result(chosen.ret, &chosen.args, &args);
                match self.aggregate_call(chosen.oid, args, ret, extras, location, scope, true)? {
                    TypedExpr::Aggregate(a) => (WindowFunction::Aggregate(*a), ret),
                    _ => return Err(Error::internal("aggregate call expected")),
                }
            }
            b'w' => {
                let mut args = self.coerce_args(typed, &chosen.args, location)?;
                let ret = self.resolve_polymorphic_result(chosen.ret, &chosen.args, &args);
                if args.len() == 3 {
                    // lag/lead's default takes the value's type (anycompatible).
                    let default = args.pop().expect("three arguments");
                    args.push(self.coerce(
                        default,
                        ret,
                        -1,
                        CoercionContext::Implicit,
                        location,
                    )?);
                }
                let first = || args.first().cloned().expect("checked by resolution");
                let f = match (fname, args.len()) {
                    ("row_number", 0) => WindowFunction::RowNumber,
                    ("rank", 0) => WindowFunction::Rank,
                    ("dense_rank", 0) => WindowFunction::DenseRank,
                    ("percent_rank", 0) => WindowFunction::PercentRank,
                    ("cume_dist", 0) => WindowFunction::CumeDist,
                    ("ntile", 1) => WindowFunction::Ntile(first()),
                    ("first_value", 1) => WindowFunction::Edge {
                        last: false,
                        value: first(),
                    },
                    ("last_value", 1) => WindowFunction::Edge {
                        last: true,
                        value: first(),
                    },
                    ("nth_value", 2) => WindowFunction::NthValue {
                        value: first(),
                        n: args[1].clone(),
                    },
                    ("lag" | "lead", 1..=3) => WindowFunction::Shift {
                        lead: fname == "lead",
                        args: args.clone(),
                    },
                    _ => {
                        return Err(self.at(
                            Error::feature_not_supported(format!("window function {fname}")),
                            location,
                        ))
                    }
                };
                (f, ret)
            }
            _ => {
                return Err(self.at(
                    pg_err!(
                        WRONG_OBJECT_TYPE,
                        "OVER specified, but {} is not a window function nor an aggregate function",
                        fname
                    ),
                    location,
                ))
            }
        };
        let resolved = self.resolve_window(over)?;
        let over = &resolved;
        let mut partition_by = Vec::with_capacity(over.partition_by.len());
        for p in &over.partition_by {
            let mut e = self.analyze_expr(p, scope)?;
            if let Some(at) = first_window(&e) {
                return Err(self.at(
                    pg_err!(
                        WINDOWING_ERROR,
                        "window functions are not allowed in window definitions"
                    ),
                    at,
                ));
            }
            if e.type_oid() == type_oid::UNKNOWN {
                e = self.coerce(
                    e,
                    type_oid::TEXT,
                    -1,
                    CoercionContext::Implicit,
                    p.location(),
                )?;
            }
            partition_by.push(e);
        }
        let mut order_by = Vec::with_capacity(over.order_by.len());
        for s in &over.order_by {
            let mut e = self.analyze_expr(&s.expr, scope)?;
            if let Some(at) = first_window(&e) {
                return Err(self.at(
                    pg_err!(
                        WINDOWING_ERROR,
                        "window functions are not allowed in window definitions"
                    ),
                    at,
                ));
            }
            if e.type_oid() == type_oid::UNKNOWN {
                e = self.coerce(
                    e,
                    type_oid::TEXT,
                    -1,
                    CoercionContext::Implicit,
                    s.expr.location(),
                )?;
            }
            order_by.push(self.sort_key(e, s)?);
        }
        let frame = match &over.frame {
            None => None,
            Some(f) => Some(self.window_frame(f, &order_by, scope)?),
        };
        Ok(TypedExpr::Window(Box::new(WindowCall {
            function,
            partition_by,
            order_by,
            frame,
            ret,
            location,
        })))
    }
}

impl Analyzer<'_> {
    /// An explicit frame with its offsets analyzed (PostgreSQL's `transformFrameOffset`).
    ///
    /// Errors: 42P20 when GROUPS has no ORDER BY or RANGE with an offset has other than
    /// one ORDER BY column; 42P10 for an offset that reads the row's columns; 0A000
    /// when the ORDER BY column's type has no `in_range` support function, 42883 when
    /// the offset's type fits none or several of them; 42804 for an offset that cannot
    /// be coerced.
    fn window_frame(
        &mut self,
        f: &ast::WindowFrame,
        order_by: &[SortKey],
        scope: &Scope,
    ) -> Result<WindowFrame> {
        let has_offset = |b: &ast::FrameBound| {
            matches!(
                b,
                ast::FrameBound::Preceding(_) | ast::FrameBound::Following(_)
            )
        };
        let any_offset = has_offset(&f.start) || has_offset(&f.end);
        match f.mode {
            FrameMode::Range if any_offset && order_by.len() != 1 => {
                return Err(self.at(
                    pg_err!(
                        WINDOWING_ERROR,
                        "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column"
                    ),
                    f.location,
                ));
            }
            FrameMode::Groups if order_by.is_empty() => {
                return Err(self.at(
                    pg_err!(WINDOWING_ERROR, "GROUPS mode requires an ORDER BY clause"),
                    f.location,
                ));
            }
            _ => {}
        }
        let mut in_range = [None, None];
        let mut bounds = Vec::with_capacity(2);
        for (i, b) in [&f.start, &f.end].into_iter().enumerate() {
            bounds.push(match b {
                ast::FrameBound::UnboundedPreceding => FrameBound::UnboundedPreceding,
                ast::FrameBound::CurrentRow => FrameBound::CurrentRow,
                ast::FrameBound::UnboundedFollowing => FrameBound::UnboundedFollowing,
                ast::FrameBound::Preceding(e) | ast::FrameBound::Following(e) => {
                    let typed = self.frame_offset(e, f.mode, order_by, scope, &mut in_range[i])?;
                    if matches!(b, ast::FrameBound::Preceding(_)) {
                        FrameBound::Preceding(typed)
                    } else {
                        FrameBound::Following(typed)
                    }
                }
            });
        }
        let end = bounds.pop().expect("two bounds");
        let start = bounds.pop().expect("two bounds");
        Ok(WindowFrame {
            mode: f.mode,
            start,
            end,
            exclusion: f.exclusion,
            in_range,
        })
    }

    /// One frame offset: bigint for ROWS and GROUPS, else the offset type of the
    /// `in_range` function chosen for the ORDER BY column (stored in `in_range`).
    fn frame_offset(
        &mut self,
        e: &ast::Expr,
        mode: FrameMode,
        order_by: &[SortKey],
        scope: &Scope,
        in_range: &mut Option<tusk_types::Oid>,
    ) -> Result<TypedExpr> {
        let location = e.location();
        let typed = self.analyze_expr(e, scope)?;
        let construct = match mode {
            FrameMode::Rows => "ROWS",
            FrameMode::Groups => "GROUPS",
            FrameMode::Range => "RANGE",
        };
        let typed = if mode == FrameMode::Range {
            self.range_offset(typed, order_by, in_range, location)?
        } else {
            self.coerce_frame_offset(typed, type_oid::INT8, construct, location)?
        };
        if let Some(at) = first_column(&typed) {
            return Err(self.at(
                pg_err!(
                    INVALID_COLUMN_REFERENCE,
                    "argument of {} must not contain variables",
                    construct
                ),
                if at == usize::MAX { location } else { at },
            ));
        }
        Ok(typed)
    }

    /// A RANGE offset coerced to the offset type of the `in_range` function chosen for
    /// the ORDER BY column's type (stored in `in_range`).
    fn range_offset(
        &mut self,
        typed: TypedExpr,
        order_by: &[SortKey],
        in_range: &mut Option<tusk_types::Oid>,
        location: usize,
    ) -> Result<TypedExpr> {
        // The type the ORDER BY column sorts as (its `<` function's input: text for
        // varchar), whose operator family holds the in_range functions.
        let column = self
            .catalog
            .function(order_by[0].lt_proc)
            .and_then(|f| f.args.first().copied())
            .filter(|t| !super::coerce::is_polymorphic(*t))
            .unwrap_or_else(|| self.base_type(order_by[0].expr.type_oid()));
        let offset_type = typed.type_oid();
        let preferred = if offset_type == type_oid::UNKNOWN {
            column
        } else {
            offset_type
        };
        let candidates: Vec<(tusk_types::Oid, tusk_types::Oid)> = self
            .catalog
            .functions("in_range")
            .into_iter()
            .filter(|c| c.oid.0 < 16384 && c.args.len() == 5 && c.args[0] == column)
            .map(|c| (c.args[2], c.oid))
            .collect();
        if candidates.is_empty() {
            return Err(self.at(
                Error::new(
                    tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                    format!(
                        "RANGE with offset PRECEDING/FOLLOWING is not supported for column type {}",
                        self.catalog.format_type(column)
                    ),
                ),
                location,
            ));
        }
        let matching: Vec<_> = candidates
            .iter()
            .filter(|(t, _)| self.can_coerce(offset_type, *t, CoercionContext::Implicit))
            .collect();
        let Some(&&(first_type, first_proc)) = matching.first() else {
            return Err(self.at(
                pg_err!(
                    UNDEFINED_FUNCTION,
                    "RANGE with offset PRECEDING/FOLLOWING is not supported for column type {} and offset type {}",
                    self.catalog.format_type(column),
                    self.catalog.format_type(offset_type)
                )
                .hint("Cast the offset value to an appropriate type."),
                location,
            ));
        };
        let (chosen_type, chosen_proc) = match matching.iter().find(|(t, _)| *t == preferred) {
            Some(&&(t, p)) => (t, p),
            None if matching.len() == 1 => (first_type, first_proc),
            None => {
                return Err(self.at(
                    pg_err!(
                        UNDEFINED_FUNCTION,
                        "RANGE with offset PRECEDING/FOLLOWING has multiple interpretations for column type {} and offset type {}",
                        self.catalog.format_type(column),
                        self.catalog.format_type(offset_type)
                    )
                    .hint("Cast the offset value to the exact intended type."),
                    location,
                ))
            }
        };
        *in_range = Some(chosen_proc);
        self.coerce_frame_offset(typed, chosen_type, "RANGE", location)
    }

    /// PostgreSQL's `coerce_to_specific_type` for a frame offset.
    fn coerce_frame_offset(
        &mut self,
        typed: TypedExpr,
        target: tusk_types::Oid,
        construct: &str,
        location: usize,
    ) -> Result<TypedExpr> {
        self.coerce_to_specific_type(typed, target, construct, location)
    }
}

/// The location of the first reference to a column of the current row in `e`.
fn first_column(e: &TypedExpr) -> Option<usize> {
    if let TypedExpr::Column { location, .. } = e {
        return Some(*location);
    }
    let mut found = None;
    let _ = e.clone().map_children(&mut |c| {
        if found.is_none() {
            found = first_column(&c);
        }
        Ok(c)
    });
    found
}

impl Analyzer<'_> {
    /// A window specification with the named window it starts from merged in.
    ///
    /// Errors: 42704 `window "w" does not exist`; 42P20 `cannot override PARTITION BY
    /// clause of window "w"` (and ORDER BY when the named window has one).
    fn resolve_window(&self, over: &WindowSpec) -> Result<WindowSpec> {
        let Some(name) = &over.refname else {
            return Ok(over.clone());
        };
        let location = over.location;
        let base = self
            .window_defs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, spec)| spec.clone())
            .ok_or_else(|| {
                self.at(
                    pg_err!(UNDEFINED_OBJECT, "window \"{}\" does not exist", name),
                    location,
                )
            })?;
        let base = if base.refname.as_deref() == Some(name.as_str()) {
            WindowSpec {
                refname: None,
                ..base
            }
        } else {
            self.resolve_window(&base)?
        };
        if !over.partition_by.is_empty() {
            return Err(self.at(
                pg_err!(
                    WINDOWING_ERROR,
                    "cannot override PARTITION BY clause of window \"{}\"",
                    name
                ),
                location,
            ));
        }
        if over.partition_by.is_empty() && over.order_by.is_empty() && over.frame.is_none() {
            // `OVER w`: the named window as it is, frame included.
            return Ok(WindowSpec {
                refname: None,
                location: over.location,
                ..base
            });
        }
        if base.frame.is_some() {
            return Err(self.at(
                pg_err!(
                    WINDOWING_ERROR,
                    "cannot copy window \"{}\" because it has a frame clause",
                    name
                ),
                location,
            ));
        }
        if !over.order_by.is_empty() && !base.order_by.is_empty() {
            return Err(self.at(
                pg_err!(
                    WINDOWING_ERROR,
                    "cannot override ORDER BY clause of window \"{}\"",
                    name
                ),
                location,
            ));
        }
        Ok(WindowSpec {
            refname: None,
            frame: over.frame.clone(),
            location: over.location,
            partition_by: base.partition_by,
            order_by: if over.order_by.is_empty() {
                base.order_by
            } else {
                over.order_by.clone()
            },
        })
    }
}

/// Moves the window calls of `e` into `windows`, replacing each by the column
/// `input_width + its index`.
pub(crate) fn extract_windows(
    e: TypedExpr,
    input_width: usize,
    windows: &mut Vec<WindowCall>,
) -> TypedExpr {
    match e {
        TypedExpr::Window(w) => {
            let ret = w.ret;
            let j = match windows.iter().position(|x| *x == *w) {
                Some(j) => j,
                None => {
                    windows.push(*w);
                    windows.len() - 1
                }
            };
            TypedExpr::Column {
                index: input_width + j,
                type_oid: ret,
                typmod: -1,
                location: usize::MAX,
            }
        }
        other => other
            .map_children(&mut |c| Ok(extract_windows(c, input_width, windows)))
            .expect("the rewrite cannot fail"),
    }
}
