//! Aggregate calls and grouping (PostgreSQL's `parse_agg.c` rules).
//!
//! Expressions are first analysed over the FROM row, with aggregate calls left in place as
//! [`TypedExpr::Aggregate`]. When the query groups (GROUP BY, HAVING or any aggregate), the
//! target list, HAVING and ORDER BY are rewritten over the aggregated row, which is
//!
//! ```text
//!   [ group key 0, ..., group key k-1, aggregate 0, ..., aggregate m-1 ]
//! ```
//!
//! A sub-expression equal to a group key (locations ignored) becomes that key's slot, an
//! aggregate call its result's slot; a column left over is PostgreSQL's 42803 error.
//!
//! Entry points: [`Analyzer::aggregate_call`], [`Analyzer::regroup`], [`first_aggregate`].

use std::collections::HashMap;

use tusk_types::{pg_err, type_oid, Oid, Result};

use super::coerce::CoercionContext;
use super::expr::{FuncExtras, Scope};
use super::grouping_sets::{first_grouping, GroupingSets};
use super::select::Query;
use super::typed::{AggregateCall, AggregateDefinition, TypedExpr};
use super::walk::map_query;
use super::Analyzer;

/// The location of the first aggregate call in `e` (outside any other aggregate's
/// arguments), if there is one.
pub(crate) fn first_aggregate(e: &TypedExpr) -> Option<usize> {
    if let TypedExpr::Aggregate(a) = e {
        return Some(a.location);
    }
    let mut found = None;
    let _ = e.clone().map_children(&mut |c| {
        if found.is_none() {
            found = first_aggregate(&c);
        }
        Ok(c)
    });
    found
}

/// The location of the first window function call in `e`, if there is one.
pub(crate) fn first_window(e: &TypedExpr) -> Option<usize> {
    if let TypedExpr::Window(w) = e {
        return Some(w.location);
    }
    let mut found = None;
    let _ = e.clone().map_children(&mut |c| {
        if found.is_none() {
            found = first_window(&c);
        }
        Ok(c)
    });
    found
}

/// What the grouping rewrite collects.
pub(crate) struct Grouping {
    /// Group keys over the FROM row.
    pub keys: Vec<TypedExpr>,
    /// Grouping sets and the `GROUPING` calls found before the rewrite.
    pub grouping_sets: GroupingSets,
    /// Aggregate calls found so far.
    pub aggregates: Vec<AggregateCall>,
    /// `relation.column` names of FROM-row slots, for 42803 messages.
    pub slot_names: HashMap<usize, String>,
}

impl Grouping {
    /// A rewrite over `keys`, naming slots from `scope`.
    pub fn new(keys: Vec<TypedExpr>, grouping_sets: GroupingSets, scope: &Scope) -> Grouping {
        let mut slot_names = HashMap::new();
        for item in scope.items.iter().filter(|i| i.rel_visible) {
            for c in &item.columns {
                if let TypedExpr::Column { index, .. } = c.expr {
                    slot_names.entry(index).or_insert_with(|| {
                        format!("{}.{}", item.name.as_deref().unwrap_or_default(), c.name)
                    });
                }
            }
        }
        Grouping {
            keys,
            grouping_sets,
            aggregates: Vec::new(),
            slot_names,
        }
    }
}

impl Analyzer<'_> {
    /// Builds an aggregate call from its resolved function and coerced arguments. An
    /// aggregate used as a window function (`over_window`) may take plain aggregates in
    /// its arguments (`sum(sum(x)) OVER (...)`): they are computed by the grouping below.
    ///
    /// Errors: 42803 for aggregates nested in the arguments (outside a window) or FILTER,
    /// 42P10 for an ORDER BY expression missing from the arguments of a DISTINCT
    /// aggregate.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn aggregate_call(
        &mut self,
        proc: Oid,
        args: Vec<TypedExpr>,
        ret: Oid,
        extras: &FuncExtras<'_>,
        location: usize,
        scope: &Scope,
        over_window: bool,
    ) -> Result<TypedExpr> {
        self.aggregate_call_with(proc, args, ret, extras, location, scope, over_window, None)
    }

    /// An ordered-set or hypothetical-set aggregate call, `name(direct args) WITHIN
    /// GROUP (ORDER BY aggregated args)`: `typed` holds both, direct ones first, as
    /// analysed for the candidate search.
    ///
    /// Errors: 42883 for a hypothetical-set call whose direct and aggregated argument
    /// counts differ; 42804 when a hypothetical argument and its ordering column have no
    /// common type; those of [`Analyzer::aggregate_call`].
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn ordered_set_call(
        &mut self,
        chosen: &crate::analyze::FuncCandidate,
        name: &str,
        definition: Option<AggregateDefinition>,
        typed: Vec<TypedExpr>,
        direct: usize,
        extras: &FuncExtras<'_>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let hypothetical = definition.as_ref().is_some_and(|d| d.kind == b'h');
        let aggregated = typed.len() - direct;
        let (args, ret) = if hypothetical {
            let mut typed = typed;
            if direct != aggregated {
                let types: Vec<String> = typed
                    .iter()
                    .map(|t| self.catalog.format_type(t.type_oid()))
                    .collect();
                return Err(self.at(
                    pg_err!(
                        UNDEFINED_FUNCTION,
                        "function {}({}) does not exist",
                        name,
                        types.join(", ")
                    )
                    .hint(format!(
                        "To use the hypothetical-set aggregate {name}, the number of hypothetical direct arguments (here {direct}) must match the number of ordering columns (here {aggregated})."
                    )),
                    location,
                ));
            }
            for i in 0..aggregated {
                // PostgreSQL unifies (aggregated, direct) and reports a mismatch at the
                // direct argument.
                let at = match &typed[i] {
                    TypedExpr::Const { location: l, .. } if *l != usize::MAX => *l,
                    _ => location,
                };
                let pair = vec![typed[direct + i].clone(), typed[i].clone()];
                let (mut unified, _) = self.unify(pair, "WITHIN GROUP", at)?;
                typed[i] = unified.pop().expect("two unified");
                typed[direct + i] = unified.pop().expect("two unified");
            }
            (typed, chosen.ret)
        } else {
            let args = self.coerce_args(typed, &chosen.args, location)?;
            let ret = self.resolve_polymorphic_result(chosen.ret, &chosen.args, &args);
            (args, ret)
        };
        self.aggregate_call_with(
            chosen.oid,
            args,
            ret,
            extras,
            location,
            scope,
            false,
            Some(direct),
        )
    }

    /// A user-defined aggregate's definition with its state and argument types resolved
    /// for a call with `args`.
    fn resolve_definition(
        &self,
        mut def: AggregateDefinition,
        args: &[TypedExpr],
    ) -> AggregateDefinition {
        def.transtype = self.resolve_polymorphic_result(def.transtype, &def.arg_types, args);
        def.arg_types = args.iter().map(TypedExpr::type_oid).collect();
        def
    }

    /// [`Analyzer::aggregate_call`], for an ordered-set call when `direct_args` is given
    /// (then the arguments after the direct ones are the sort keys of `extras.order_by`).
    #[allow(clippy::too_many_arguments)]
    fn aggregate_call_with(
        &mut self,
        proc: Oid,
        args: Vec<TypedExpr>,
        ret: Oid,
        extras: &FuncExtras<'_>,
        location: usize,
        scope: &Scope,
        over_window: bool,
        direct_args: Option<usize>,
    ) -> Result<TypedExpr> {
        if let Some(inner) = args.iter().find_map(first_window) {
            return Err(self.at(
                pg_err!(
                    GROUPING_ERROR,
                    "aggregate function calls cannot contain window function calls"
                ),
                inner,
            ));
        }
        if let Some(inner) = args
            .iter()
            .find_map(|a| first_aggregate(a).or_else(|| first_grouping(a)))
            .filter(|_| !over_window)
        {
            return Err(self.at(
                pg_err!(GROUPING_ERROR, "aggregate function calls cannot be nested"),
                inner,
            ));
        }
        // PostgreSQL gives an aggregate whose arguments read only an enclosing query's
        // columns to that query; tusk does not yet, and refuses rather than answer
        // differently.
        let mut local = false;
        let mut outer = false;
        for a in &args {
            super::walk::map_expr_deep(a.clone(), 0, &mut |e, depth| {
                match &e {
                    TypedExpr::Column { .. } if depth == 0 => local = true,
                    TypedExpr::OuterColumn { levels_up, .. } if *levels_up > depth => outer = true,
                    _ => {}
                }
                e
            });
        }
        if outer && !local {
            return Err(self.at(
                tusk_types::Error::feature_not_supported(
                    "an aggregate over columns of an enclosing query only",
                ),
                location,
            ));
        }
        let filter = match extras.filter {
            Some(f) => {
                let e = self.analyze_expr(f, scope)?;
                if let Some(at) = first_aggregate(&e) {
                    return Err(self.at(
                        pg_err!(
                            GROUPING_ERROR,
                            "aggregate functions are not allowed in FILTER"
                        ),
                        at,
                    ));
                }
                Some(self.coerce_to_boolean(e, "FILTER", f.location())?)
            }
            None => None,
        };
        let mut order_by = Vec::with_capacity(extras.order_by.len());
        if let Some(direct) = direct_args {
            for (s, e) in extras.order_by.iter().zip(&args[direct..]) {
                order_by.push(self.sort_key(e.clone(), s)?);
            }
        }
        for s in extras.order_by.iter().filter(|_| direct_args.is_none()) {
            let mut e = self.analyze_expr(&s.expr, scope)?;
            if let Some(at) = first_aggregate(&e) {
                return Err(self.at(
                    pg_err!(GROUPING_ERROR, "aggregate function calls cannot be nested"),
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
            // The arguments were coerced to the aggregate's parameter types; an ORDER BY
            // key matches an argument as written (a binary-compatible relabeling, such
            // as varchar to text, does not count).
            let as_written = |a: &TypedExpr| match a {
                TypedExpr::Cast {
                    arg,
                    kind: crate::analyze::CastKind::Relabel,
                    explicit: false,
                    ..
                } => arg.same_as(&e),
                _ => false,
            };
            if extras.distinct && !args.iter().any(|a| a.same_as(&e) || as_written(a)) {
                return Err(self.at(
                    pg_err!(
                        INVALID_COLUMN_REFERENCE,
                        "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list"
                    ),
                    s.expr.location(),
                ));
            }
            order_by.push(self.sort_key(e, s)?);
        }
        let definition = if proc.0 >= 16384 {
            self.catalog
                .aggregate_definition(proc)
                .map(|d| Box::new(self.resolve_definition(d, &args)))
        } else {
            None
        };
        Ok(TypedExpr::Aggregate(Box::new(AggregateCall {
            proc,
            args,
            distinct: extras.distinct,
            filter,
            order_by,
            ret,
            location,
            direct_args,
            definition,
        })))
    }

    /// Rewrites `e` (over the FROM row) over the aggregated row.
    ///
    /// Errors: 42803 `column "t.x" must appear in the GROUP BY clause or be used in an
    /// aggregate function`.
    pub(crate) fn regroup(&self, e: TypedExpr, g: &mut Grouping) -> Result<TypedExpr> {
        if let Some(i) = g.keys.iter().position(|k| k.same_as(&e)) {
            return Ok(TypedExpr::Column {
                index: i,
                type_oid: e.type_oid(),
                typmod: e.typmod(),
                location: usize::MAX,
            });
        }
        match e {
            TypedExpr::Aggregate(a) => {
                let ret = a.ret;
                let j = match g.aggregates.iter().position(|b| {
                    TypedExpr::Aggregate(Box::new(b.clone()))
                        .same_as(&TypedExpr::Aggregate(a.clone()))
                }) {
                    Some(j) => j,
                    None => {
                        g.aggregates.push(*a);
                        g.aggregates.len() - 1
                    }
                };
                Ok(TypedExpr::Column {
                    index: g.keys.len() + g.grouping_sets.calls.len() + j,
                    type_oid: ret,
                    typmod: -1,
                    location: usize::MAX,
                })
            }
            TypedExpr::Column {
                index, location, ..
            } => {
                let name = g
                    .slot_names
                    .get(&index)
                    .cloned()
                    .unwrap_or_else(|| "?column?".into());
                Err(self.at(
                    pg_err!(
                        GROUPING_ERROR,
                        "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate function",
                        name
                    ),
                    location,
                ))
            }
            TypedExpr::GroupingFunc { args, location } => {
                let mut call = Vec::with_capacity(args.len());
                for a in &args {
                    match g.keys.iter().position(|k| k.same_as(a)) {
                        Some(k) => call.push(k),
                        None => {
                            let at = match a {
                                TypedExpr::Column { location, .. }
                                | TypedExpr::OuterColumn { location, .. } => *location,
                                _ => location,
                            };
                            return Err(self.at(
                                pg_err!(
                                    GROUPING_ERROR,
                                    "arguments to GROUPING must be grouping expressions of the associated query level"
                                ),
                                at,
                            ));
                        }
                    }
                }
                match g.grouping_sets.calls.iter().position(|c| *c == call) {
                    Some(j) => Ok(TypedExpr::Column {
                        index: g.keys.len() + j,
                        type_oid: type_oid::INT4,
                        typmod: -1,
                        location: usize::MAX,
                    }),
                    // Plain GROUP BY: every key is in the one set.
                    None if g.grouping_sets.sets.is_empty() => Ok(TypedExpr::Const {
                        value: tusk_types::Datum::Int4(0),
                        type_oid: type_oid::INT4,
                        typmod: -1,
                        location,
                    }),
                    None => Err(tusk_types::Error::internal(
                        "GROUPING call missed before the grouping rewrite",
                    )),
                }
            }
            TypedExpr::Window(w) => Ok(TypedExpr::Window(Box::new(
                w.map_exprs(&mut |c| self.regroup(c, g))?,
            ))),
            TypedExpr::SubLink {
                kind,
                test,
                query,
                type_oid,
            } => {
                let test = test.map(|t| self.regroup(*t, g)).transpose()?;
                let query = self.regroup_outer_references(*query, g)?;
                Ok(TypedExpr::SubLink {
                    kind,
                    test: test.map(Box::new),
                    query: Box::new(query),
                    type_oid,
                })
            }
            other => other.map_children(&mut |c| self.regroup(c, g)),
        }
    }

    /// A subquery's references to this (grouped) query's row, re-pointed at the group
    /// keys they name.
    ///
    /// Errors: 42803 `subquery uses ungrouped column "t.x" from outer query`; 0A000 for
    /// references through expressions other than plain grouped columns.
    fn regroup_outer_references(&self, query: Query, g: &Grouping) -> Result<Query> {
        let mut error: Option<tusk_types::Error> = None;
        let query = map_query(query, 0, &mut |e, depth| match e {
            TypedExpr::OuterColumn {
                levels_up,
                index,
                type_oid,
                typmod,
                location,
            } if levels_up == depth + 1 => {
                let key = g
                    .keys
                    .iter()
                    .position(|k| matches!(k, TypedExpr::Column { index: i, .. } if *i == index));
                match key {
                    Some(k) => TypedExpr::OuterColumn {
                        levels_up,
                        index: k,
                        type_oid,
                        typmod,
                        location,
                    },
                    None => {
                        let name = g
                            .slot_names
                            .get(&index)
                            .cloned()
                            .unwrap_or_else(|| "?column?".into());
                        error.get_or_insert(self.at(
                            pg_err!(
                                GROUPING_ERROR,
                                "subquery uses ungrouped column \"{}\" from outer query",
                                name
                            ),
                            location,
                        ));
                        e
                    }
                }
            }
            other => other,
        });
        match error {
            Some(e) => Err(e),
            None => Ok(query),
        }
    }
}
