//! Window function calls (PostgreSQL's `parse_func.c`/`parse_agg.c` window rules):
//! aggregates, `row_number`, `rank`, `dense_rank`, `percent_rank`, `cume_dist`,
//! `ntile`, `lag`, `lead`, `first_value` and `last_value` over `PARTITION BY`/`ORDER
//! BY` with the default frame. After grouping, each call is taken out of the target list
//! into [`Query::windows`] and replaced by a column of the row the window operator
//! extends (`input row ++ window results`).
//!
//! Entry points: [`Analyzer::window_call`], [`extract_windows`].

use tusk_types::{pg_err, type_oid, Error, Result};

use super::aggregate::first_window;
use super::coerce::CoercionContext;
use super::expr::{FuncExtras, Scope};
use super::typed::{FrameBound, TypedExpr, WindowCall, WindowFrame, WindowFunction};
use super::{Analyzer, FuncCandidate};
use crate::ast::{self, WindowSpec};

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
            Some(f) => {
                let bound = |this: &mut Self, b: &ast::FrameBound| -> Result<FrameBound> {
                    Ok(match b {
                        ast::FrameBound::UnboundedPreceding => FrameBound::UnboundedPreceding,
                        ast::FrameBound::CurrentRow => FrameBound::CurrentRow,
                        ast::FrameBound::UnboundedFollowing => FrameBound::UnboundedFollowing,
                        ast::FrameBound::Preceding(e) | ast::FrameBound::Following(e) => {
                            if !f.rows {
                                return Err(this.at(
                                    Error::feature_not_supported(
                                        "RANGE with offset PRECEDING/FOLLOWING",
                                    ),
                                    e.location(),
                                ));
                            }
                            let typed = this.analyze_expr(e, &Scope::default())?;
                            let typed = this.coerce(
                                typed,
                                type_oid::INT8,
                                -1,
                                CoercionContext::Implicit,
                                e.location(),
                            )?;
                            if matches!(b, ast::FrameBound::Preceding(_)) {
                                FrameBound::Preceding(typed)
                            } else {
                                FrameBound::Following(typed)
                            }
                        }
                    })
                };
                Some(WindowFrame {
                    rows: f.rows,
                    start: bound(self, &f.start)?,
                    end: bound(self, &f.end)?,
                })
            }
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
