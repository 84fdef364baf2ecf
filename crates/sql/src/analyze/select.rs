//! SELECT analysis: FROM (see `from.rs`), WHERE, target list, GROUP BY/HAVING and
//! aggregates (see `aggregate.rs`), DISTINCT [ON], ORDER BY, LIMIT/OFFSET, VALUES.
//!
//! Entry point: [`Analyzer::analyze_select`].

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::aggregate::{first_aggregate, first_window, Grouping};
use super::coerce::CoercionContext;
use super::colname::figure_colname;
use super::expr::{Scope, ScopeColumn};
use super::grouping_sets::{dependent_columns, first_grouping, grouping_calls, GroupingSets};
use super::typed::{AggregateCall, TypedExpr, WindowCall};
use super::window::extract_windows;
use super::Analyzer;
use crate::ast::{Expr, JoinKind, Literal, SelectStmt, SetOpKind, SetOperation, SortBy};

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputColumn {
    /// Column name as the client sees it.
    pub name: String,
    /// Type.
    pub type_oid: Oid,
    /// Typmod (-1 if none).
    pub typmod: i32,
}

impl Query {
    /// The fields of a record holding one of the query's rows (named as its columns).
    pub fn record_fields(&self) -> Vec<tusk_types::adt::record::RecordField> {
        self.columns
            .iter()
            .map(|c| tusk_types::adt::record::RecordField {
                name: c.name.clone(),
                type_oid: c.type_oid,
                typmod: c.typmod,
            })
            .collect()
    }
}

/// Where a query's input rows come from: a tree of range-table entries. Each node
/// produces rows of its slots (see `from.rs` for the FROM-row layout).
#[derive(Debug, Clone, PartialEq)]
pub enum FromSource {
    /// No FROM: one empty row.
    OneRow,
    /// VALUES rows, already coerced to the column types.
    Values(Vec<Vec<TypedExpr>>),
    /// Functions in FROM: their rows side by side (ROWS FROM zips several, the shorter
    /// padded with NULLs), optionally numbered (WITH ORDINALITY).
    Function {
        /// The calls, one unless written with ROWS FROM.
        calls: Vec<FunctionCall>,
        /// WITH ORDINALITY.
        ordinality: bool,
    },
    /// A relation's rows: one slot per attribute, dropped ones included (`Null`).
    Relation {
        /// `pg_class.oid`.
        oid: Oid,
        /// Number of attributes.
        width: usize,
    },
    /// A subquery's output rows (its visible columns only).
    Subquery(Box<Query>),
    /// A recursive CTE: the non-recursive term's rows, then the recursive term's rows
    /// over the previous step's ([`FromSource::WorkTable`] `id`) until a step adds none;
    /// without ALL, rows already produced are dropped.
    RecursiveUnion {
        /// Identifies the work table the recursive term reads.
        id: usize,
        /// UNION ALL.
        all: bool,
        /// The non-recursive term.
        non_recursive: Box<Query>,
        /// The recursive term.
        recursive: Box<Query>,
    },
    /// A LATERAL subquery or function: run again for each row of the left input of the
    /// join it is the right input of, with its references to that row
    /// ([`TypedExpr::OuterColumn`] one level up, indexes of the FROM row) bound.
    Lateral {
        /// The subquery (a function is wrapped in one).
        query: Box<Query>,
        /// The FROM-row slot where the left input's row starts.
        left_base: usize,
    },
    /// The RETURNING rows of the statement's data-modifying CTE `id`
    /// ([`Query::modifying`]), which runs on its first read.
    ModifyingCte {
        /// The CTE.
        id: usize,
        /// Columns.
        width: usize,
    },
    /// The previous step's rows of the recursive union `id`.
    WorkTable {
        /// The recursive union.
        id: usize,
        /// Columns.
        width: usize,
    },
    /// `left UNION/INTERSECT/EXCEPT [ALL] right`; both inputs have the output's column
    /// types.
    SetOp {
        /// Which operation.
        op: SetOpKind,
        /// ALL: duplicates kept (and counted for INTERSECT/EXCEPT).
        all: bool,
        /// Left input.
        left: Box<Query>,
        /// Right input.
        right: Box<Query>,
    },
    /// A join: the left row followed by the right row.
    Join {
        /// INNER (also cross products), LEFT, RIGHT or FULL.
        kind: JoinKind,
        /// Left input.
        left: Box<FromSource>,
        /// Right input.
        right: Box<FromSource>,
        /// The join condition over the joined row (slot 0 = the left's first); `None`
        /// matches every pair.
        condition: Option<TypedExpr>,
        /// Slots of the left input.
        left_width: usize,
        /// Slots of the right input.
        right_width: usize,
    },
}

/// One function of a FROM item.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionCall {
    /// The call.
    pub call: TypedExpr,
    /// The columns it gives.
    pub width: usize,
}

impl FromSource {
    /// Slots in the rows it produces.
    pub fn width(&self) -> usize {
        match self {
            FromSource::OneRow => 0,
            FromSource::Values(rows) => rows.first().map(Vec::len).unwrap_or(0),
            FromSource::Function { calls, ordinality } => {
                calls.iter().map(|c| c.width).sum::<usize>() + usize::from(*ordinality)
            }
            FromSource::Relation { width, .. }
            | FromSource::WorkTable { width, .. }
            | FromSource::ModifyingCte { width, .. } => *width,
            FromSource::Subquery(q) | FromSource::Lateral { query: q, .. } => q.columns.len(),
            FromSource::SetOp { left, .. } => left.columns.len(),
            FromSource::RecursiveUnion { non_recursive, .. } => non_recursive.columns.len(),
            FromSource::Join {
                left_width,
                right_width,
                ..
            } => left_width + right_width,
        }
    }
}

/// An ORDER BY key.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// Key over the input row.
    pub expr: TypedExpr,
    /// DESC.
    pub descending: bool,
    /// NULLS FIRST.
    pub nulls_first: bool,
    /// The `<` function of the key's type.
    pub lt_proc: Oid,
}

/// GROUP BY, aggregates and HAVING of a query that aggregates.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation {
    /// Group keys over the FROM row (none: one group, even over no rows).
    pub keys: Vec<TypedExpr>,
    /// Aggregate calls, each over the FROM row.
    pub aggregates: Vec<AggregateCall>,
    /// Grouping sets and `GROUPING` calls (none for plain GROUP BY).
    pub grouping_sets: GroupingSets,
    /// HAVING over the aggregated row (`keys ++ GROUPING values ++ aggregate results`).
    pub having: Option<TypedExpr>,
}

impl Aggregation {
    /// Columns of the aggregated row: keys, `GROUPING` values, aggregate results.
    pub fn width(&self) -> usize {
        self.keys.len() + self.grouping_sets.calls.len() + self.aggregates.len()
    }
}

/// An analysed SELECT.
///
/// Evaluation order: rows of `source`, kept by `filter`; if `aggregation` is set, grouped
/// into one row per group (`keys ++ aggregate results`) kept by HAVING; extended by the
/// results of `windows`; then `targets`,
/// `sort` and `distinct` are computed over that row; rows are sorted, duplicates of
/// `distinct` dropped (the first in sort order stays), then OFFSET and LIMIT apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Output columns.
    pub columns: Vec<OutputColumn>,
    /// Input rows.
    pub source: FromSource,
    /// WHERE over the FROM row.
    pub filter: Option<TypedExpr>,
    /// Grouping and aggregates.
    pub aggregation: Option<Aggregation>,
    /// Window function calls over the (grouped) row; each adds a column to it, in
    /// order, which targets, ORDER BY and DISTINCT read.
    pub windows: Vec<WindowCall>,
    /// Target list.
    pub targets: Vec<TypedExpr>,
    /// ORDER BY keys.
    pub sort: Vec<SortKey>,
    /// `DISTINCT` (the targets) or `DISTINCT ON` expressions.
    pub distinct: Option<Vec<TypedExpr>>,
    /// LIMIT (bigint).
    pub limit: Option<TypedExpr>,
    /// OFFSET (bigint).
    pub offset: Option<TypedExpr>,
    /// Where each target stood in the query text (byte offsets), for errors reported
    /// about the output columns (set operations).
    pub target_locations: Vec<usize>,
    /// The relations whose rows are locked (`FOR UPDATE` ...), see `row_mark.rs`.
    pub row_marks: Vec<super::row_mark::RowMark>,
    /// The data-modifying statements of the statement's top-level WITH, each run once
    /// (`cte.rs`); empty below the top level.
    pub modifying: Vec<super::cte::ModifyingCte>,
}

impl Analyzer<'_> {
    /// Refuses aggregates, window functions and grouping operations in a WHERE clause
    /// (PostgreSQL's `check_agglevels_and_constraints` / `transformWindowFuncCall` for
    /// `EXPR_KIND_WHERE`), at the first one's position.
    ///
    /// Errors: 42803 `aggregate functions are not allowed in WHERE`, 42P20 `window
    /// functions are not allowed in WHERE`, 42803 `grouping operations are not allowed in
    /// WHERE`.
    pub(super) fn refuse_in_where(&self, e: &TypedExpr) -> Result<()> {
        if let Some(at) = first_aggregate(e) {
            return Err(self.at(
                pg_err!(
                    GROUPING_ERROR,
                    "aggregate functions are not allowed in WHERE"
                ),
                at,
            ));
        }
        if let Some(at) = first_window(e) {
            return Err(self.at(
                pg_err!(WINDOWING_ERROR, "window functions are not allowed in WHERE"),
                at,
            ));
        }
        if let Some(at) = first_grouping(e) {
            return Err(self.at(
                pg_err!(
                    GROUPING_ERROR,
                    "grouping operations are not allowed in WHERE"
                ),
                at,
            ));
        }
        Ok(())
    }

    /// Analyses a SELECT (or VALUES).
    ///
    /// Errors: 42P01 for an unknown relation, 42703/42702 for column references, 42803
    /// for grouping errors, 0A000 for clauses tusk cannot run yet, and every expression
    /// error.
    pub fn analyze_select(&mut self, stmt: &SelectStmt) -> Result<Query> {
        self.select_depth += 1;
        let saved = std::mem::replace(&mut self.window_defs, stmt.windows.clone());
        let clauses = self.take_locking(stmt);
        let saved_locks = std::mem::replace(&mut self.lock_clauses, clauses);
        let result = self.analyze_select_nested(stmt);
        self.lock_clauses = saved_locks;
        self.window_defs = saved;
        self.select_depth -= 1;
        result
    }

    fn analyze_select_nested(&mut self, stmt: &SelectStmt) -> Result<Query> {
        for (i, (name, spec)) in stmt.windows.iter().enumerate() {
            if stmt.windows[..i].iter().any(|(n, _)| n == name) {
                return Err(self.at(
                    pg_err!(WINDOWING_ERROR, "window \"{}\" is already defined", name),
                    spec.location,
                ));
            }
        }
        if let Some((what, location)) = &stmt.unsupported {
            return Err(self.at(Error::feature_not_supported(what), *location));
        }
        let Some(with) = &stmt.with else {
            return self.select_body(stmt);
        };
        let keep_unknown = std::mem::take(&mut self.keep_unknown_targets);
        let outer = self.pending_outer.take();
        let before = (self.ctes.len(), self.modifying_ctes.len());
        let result = self.with_clause(with).and_then(|_| {
            self.keep_unknown_targets = keep_unknown;
            self.pending_outer = outer;
            self.select_body(stmt)
        });
        self.ctes.truncate(before.0);
        let modifying = self.modifying_ctes.split_off(before.1);
        result.map(|query| Query { modifying, ..query })
    }

    fn select_body(&mut self, stmt: &SelectStmt) -> Result<Query> {
        let keep_unknown = std::mem::take(&mut self.keep_unknown_targets);
        let outer = self.pending_outer.take();
        if let Some(op) = &stmt.set_op {
            let query = self.set_operation(stmt, op, outer)?;
            self.refuse_locking("UNION/INTERSECT/EXCEPT")?;
            return Ok(query);
        }
        if !stmt.values.is_empty() {
            self.refuse_locking("VALUES")?;
            return self.values(stmt, outer);
        }
        let saved_filter = std::mem::replace(&mut self.prune_filter, stmt.where_clause.clone());
        let from = self.analyze_from(&stmt.from, outer.as_ref());
        self.prune_filter = saved_filter;
        let (source, scope) = from?;
        // PostgreSQL's order: the target list before WHERE (the first error wins).
        let (columns, mut targets, target_locations) =
            self.target_list(stmt, &scope, keep_unknown)?;
        let filter = match &stmt.where_clause {
            Some(w) => {
                let e = self.analyze_expr(w, &scope)?;
                self.refuse_in_where(&e)?;
                Some(self.coerce_to_boolean(e, "WHERE", w.location())?)
            }
            None => None,
        };
        let (mut keys, mut sets) = self.group_keys(stmt, &scope, &targets, &columns)?;
        let mut having = match &stmt.having {
            Some(h) => {
                let e = self.analyze_expr(h, &scope)?;
                if let Some(at) = first_window(&e) {
                    return Err(self.at(
                        pg_err!(
                            WINDOWING_ERROR,
                            "window functions are not allowed in HAVING"
                        ),
                        at,
                    ));
                }
                Some(self.coerce_to_boolean(e, "HAVING", h.location())?)
            }
            None => None,
        };
        let mut sort = self.sort_keys(stmt, &scope, &targets, &columns)?;
        let mut distinct = self.distinct(stmt, &scope, &targets, &sort)?;
        let grouped = !stmt.group_by.is_empty()
            || having.is_some()
            || targets.iter().any(TypedExpr::contains_aggregate)
            || sort.iter().any(|k| k.expr.contains_aggregate());
        let aggregation = if grouped {
            if !keys.is_empty() {
                let dependent = dependent_columns(
                    targets
                        .iter()
                        .chain(sort.iter().map(|k| &k.expr))
                        .chain(distinct.iter().flatten())
                        .chain(having.iter()),
                    &keys,
                    &sets,
                    &scope,
                );
                for e in dependent {
                    keys.push(e);
                    for set in &mut sets {
                        set.push(keys.len() - 1);
                    }
                }
            }
            let calls = if sets.is_empty() {
                Vec::new()
            } else {
                grouping_calls(
                    targets
                        .iter()
                        .chain(sort.iter().map(|k| &k.expr))
                        .chain(distinct.iter().flatten())
                        .chain(having.iter()),
                    &keys,
                )
            };
            let mut g = Grouping::new(keys, GroupingSets { sets, calls }, &scope);
            targets = targets
                .into_iter()
                .map(|t| self.regroup(t, &mut g))
                .collect::<Result<_>>()?;
            // PostgreSQL checks the target list (ORDER BY and DISTINCT keys are part of
            // it) before HAVING.
            for k in &mut sort {
                k.expr = self.regroup(k.expr.clone(), &mut g)?;
            }
            if let Some(d) = &mut distinct {
                for e in d.iter_mut() {
                    *e = self.regroup(e.clone(), &mut g)?;
                }
            }
            having = having.map(|h| self.regroup(h, &mut g)).transpose()?;
            Some(Aggregation {
                keys: g.keys,
                aggregates: g.aggregates,
                grouping_sets: g.grouping_sets,
                having,
            })
        } else {
            None
        };
        let input_width = match &aggregation {
            Some(a) => a.width(),
            None => source.width(),
        };
        let mut windows = Vec::new();
        targets = targets
            .into_iter()
            .map(|t| extract_windows(t, input_width, &mut windows))
            .collect();
        for k in &mut sort {
            k.expr = extract_windows(k.expr.clone(), input_width, &mut windows);
        }
        if let Some(d) = &mut distinct {
            for e in d.iter_mut() {
                *e = extract_windows(e.clone(), input_width, &mut windows);
            }
        }
        let (limit, offset) = self.limit_offset(stmt, &scope)?;
        self.check_params()?;
        let mut query = Query {
            modifying: Vec::new(),
            columns,
            source,
            filter,
            aggregation,
            windows,
            targets,
            sort,
            distinct,
            limit,
            offset,
            target_locations,
            row_marks: Vec::new(),
        };
        self.apply_locking(&mut query, &scope, stmt)?;
        Ok(query)
    }

    /// `left UNION/INTERSECT/EXCEPT [ALL] right`: column counts must agree and each
    /// column's type is resolved as for UNION (PostgreSQL docs §10.5), inputs first.
    ///
    /// Errors: 42601 `each UNION query must have the same number of columns`, 42804
    /// `UNION types integer and text cannot be matched`, 0A000 for ORDER BY expressions
    /// that are not output columns.
    fn set_operation(
        &mut self,
        stmt: &SelectStmt,
        op: &SetOperation,
        outer: Option<Scope>,
    ) -> Result<Query> {
        let word = match op.op {
            SetOpKind::Union => "UNION",
            SetOpKind::Intersect => "INTERSECT",
            SetOpKind::Except => "EXCEPT",
        };
        self.keep_unknown_targets = true;
        self.pending_outer = outer.clone();
        let mut left = self.analyze_select(&op.left)?;
        self.keep_unknown_targets = true;
        self.pending_outer = outer.clone();
        let mut right = self.analyze_select(&op.right)?;
        if left.columns.len() != right.columns.len() {
            let at = right
                .target_locations
                .first()
                .copied()
                .unwrap_or(usize::MAX);
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "each {} query must have the same number of columns",
                    word
                ),
                at,
            ));
        }
        let mut columns = Vec::with_capacity(left.columns.len());
        for i in 0..left.columns.len() {
            let l = std::mem::replace(&mut left.targets[i], placeholder());
            let r = std::mem::replace(&mut right.targets[i], placeholder());
            let at = right.target_locations.get(i).copied().unwrap_or(usize::MAX);
            let (both, t) = self.unify(vec![l, r], word, at)?;
            let mut both = both.into_iter();
            left.targets[i] = both.next().expect("two inputs");
            right.targets[i] = both.next().expect("two inputs");
            let typmod = if left.columns[i].typmod == right.columns[i].typmod
                && left.columns[i].type_oid == t
                && right.columns[i].type_oid == t
            {
                left.columns[i].typmod
            } else {
                -1
            };
            for side in [&mut left, &mut right] {
                side.columns[i].type_oid = t;
                side.columns[i].typmod = typmod;
            }
            columns.push(OutputColumn {
                name: left.columns[i].name.clone(),
                type_oid: t,
                typmod,
            });
        }
        let targets: Vec<TypedExpr> =
            TypedExpr::column_refs(columns.iter().map(|c| (c.type_oid, c.typmod)));
        let mut scope = Scope::single(
            None,
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| ScopeColumn::slot(c.name.clone(), i, c.type_oid, c.typmod))
                .collect(),
        );
        scope.outer = outer.map(Box::new);
        let sort = self.sort_keys(stmt, &scope, &targets, &columns)?;
        for (k, s) in sort.iter().zip(&stmt.order_by) {
            if !matches!(k.expr, TypedExpr::Column { .. }) {
                return Err(self.at(
                    pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "invalid UNION/INTERSECT/EXCEPT ORDER BY clause"
                    )
                    .detail("Only result column names can be used, not expressions or functions.")
                    .hint("Add the expression/function to every SELECT, or move the UNION into a FROM clause."),
                    s.expr.location(),
                ));
            }
        }
        let (limit, offset) = self.limit_offset(stmt, &scope)?;
        self.check_params()?;
        let target_locations = left.target_locations.clone();
        Ok(Query {
            modifying: Vec::new(),
            columns,
            source: FromSource::SetOp {
                op: op.op,
                all: op.all,
                left: Box::new(left),
                right: Box::new(right),
            },
            filter: None,
            aggregation: None,
            windows: Vec::new(),
            targets,
            sort,
            distinct: None,
            limit,
            offset,
            target_locations,
            row_marks: Vec::new(),
        })
    }

    /// The target list with `*` and `t.*` expanded (PostgreSQL's `ExpandColumnRefStar`).
    #[allow(clippy::type_complexity)]
    pub(super) fn target_list(
        &mut self,
        stmt: &SelectStmt,
        scope: &Scope,
        keep_unknown: bool,
    ) -> Result<(Vec<OutputColumn>, Vec<TypedExpr>, Vec<usize>)> {
        let mut columns = Vec::new();
        let mut targets = Vec::new();
        let mut locations = Vec::new();
        for t in &stmt.targets {
            if let Expr::Column(fields, location) = &t.expr {
                // `r.*` of a row or record variable (PL/pgSQL, a SQL function's
                // argument) that no FROM item is named: the variable's fields.
                if let [.., rel, star] = fields.as_slice() {
                    let variable = &fields[..fields.len() - 1];
                    let is_variable = star == "*"
                        && scope.qualified(rel).is_err()
                        && self
                            .param_resolver
                            .and_then(|r| r.resolve(variable))
                            .is_some();
                    if is_variable {
                        let arg = Expr::Column(variable.to_vec(), *location);
                        for (name, e) in self.expand_fields(&arg, scope)? {
                            columns.push(OutputColumn {
                                name,
                                type_oid: e.type_oid(),
                                typmod: e.typmod(),
                            });
                            targets.push(e);
                            locations.push(*location);
                        }
                        continue;
                    }
                }
                if fields.last().map(String::as_str) == Some("*") {
                    let expanded: Vec<&ScopeColumn> = match fields.as_slice() {
                        [_] => {
                            if scope.items.is_empty() {
                                return Err(self.at(
                                    pg_err!(
                                        SYNTAX_ERROR,
                                        "SELECT * with no tables specified is not valid"
                                    ),
                                    *location,
                                ));
                            }
                            scope
                                .items
                                .iter()
                                .filter(|i| i.cols_visible)
                                .flat_map(|i| i.columns.iter())
                                .collect()
                        }
                        [.., rel, _] => scope
                            .qualified(rel)
                            .map_err(|e| self.at(e, *location))?
                            .columns
                            .iter()
                            .collect(),
                        [] => Vec::new(),
                    };
                    for c in expanded {
                        columns.push(OutputColumn {
                            name: c.name.clone(),
                            type_oid: c.expr.type_oid(),
                            typmod: c.expr.typmod(),
                        });
                        targets.push(c.expr.clone());
                        locations.push(*location);
                    }
                    continue;
                }
            }
            if let Expr::FieldSelect { arg, field } = &t.expr {
                if field == "*" {
                    for (name, e) in self.expand_fields(arg, scope)? {
                        columns.push(OutputColumn {
                            name,
                            type_oid: e.type_oid(),
                            typmod: e.typmod(),
                        });
                        targets.push(e);
                        locations.push(t.location);
                    }
                    continue;
                }
            }
            let mut e = self.analyze_expr(&t.expr, scope)?;
            if e.type_oid() == type_oid::UNKNOWN && !keep_unknown {
                // An unknown-type literal in the output becomes text (PostgreSQL 10+);
                // in an input of a set operation the operation resolves it.
                e = self.coerce(e, type_oid::TEXT, -1, CoercionContext::Implicit, t.location)?;
            }
            columns.push(OutputColumn {
                name: t.name.clone().unwrap_or_else(|| figure_colname(&t.expr)),
                type_oid: e.type_oid(),
                typmod: e.typmod(),
            });
            targets.push(e);
            locations.push(t.expr.location());
        }
        Ok((columns, targets, locations))
    }

    /// GROUP BY: the group keys, and the grouping sets over them (empty for plain GROUP
    /// BY; `grouping_sets.rs`).
    fn group_keys(
        &mut self,
        stmt: &SelectStmt,
        scope: &Scope,
        targets: &[TypedExpr],
        columns: &[OutputColumn],
    ) -> Result<(Vec<TypedExpr>, Vec<Vec<usize>>)> {
        let mut keys: Vec<TypedExpr> = Vec::with_capacity(stmt.group_by.len());
        let mut key_of = |this: &mut Self, g: &Expr| -> Result<usize> {
            let e = this.group_item(g, scope, targets, columns)?;
            Ok(match keys.iter().position(|k| k.same_as(&e)) {
                Some(i) => i,
                None => {
                    keys.push(e);
                    keys.len() - 1
                }
            })
        };
        let sets = self.expand_grouping_sets(&stmt.group_by, stmt.group_distinct, &mut key_of)?;
        Ok((keys, sets))
    }

    /// A GROUP BY or ORDER BY expression over the FROM row; an unknown-type literal
    /// becomes `text`, as PostgreSQL resolves it for sorting and grouping.
    ///
    /// Errors: the expression's.
    fn key_expr(&mut self, e: &Expr, scope: &Scope) -> Result<TypedExpr> {
        let typed = self.analyze_expr(e, scope)?;
        if typed.type_oid() != type_oid::UNKNOWN {
            return Ok(typed);
        }
        self.coerce(
            typed,
            type_oid::TEXT,
            -1,
            CoercionContext::Implicit,
            e.location(),
        )
    }

    /// The target at 1-based position `n` of the select list, for `GROUP BY n` /
    /// `ORDER BY n` (`clause`).
    ///
    /// Errors: 42P10 `<clause> position n is not in select list`.
    fn target_at_position(
        &self,
        clause: &str,
        n: i64,
        targets: &[TypedExpr],
        location: usize,
    ) -> Result<TypedExpr> {
        if n < 1 || n as usize > targets.len() {
            return Err(self.at(
                pg_err!(
                    INVALID_COLUMN_REFERENCE,
                    "{} position {} is not in select list",
                    clause,
                    n
                ),
                location,
            ));
        }
        Ok(targets[n as usize - 1].clone())
    }

    /// One GROUP BY expression: a position, an input column, an output column name, or an
    /// expression (PostgreSQL's `findTargetlistEntrySQL92` order).
    fn group_item(
        &mut self,
        g: &Expr,
        scope: &Scope,
        targets: &[TypedExpr],
        columns: &[OutputColumn],
    ) -> Result<TypedExpr> {
        let e = match g {
            Expr::Const(Literal::Integer(n), location) => {
                self.target_at_position("GROUP BY", *n, targets, *location)?
            }
            Expr::Column(fields, _)
                if fields.len() == 1
                    && !scope
                        .items
                        .iter()
                        .filter(|i| i.cols_visible)
                        .any(|i| i.columns.iter().any(|c| c.name == fields[0]))
                    && columns.iter().any(|c| c.name == fields[0]) =>
            {
                let i = columns
                    .iter()
                    .position(|c| c.name == fields[0])
                    .expect("checked above");
                targets[i].clone()
            }
            other => self.key_expr(other, scope)?,
        };
        if let Some(at) = first_grouping(&e) {
            return Err(self.at(
                pg_err!(
                    GROUPING_ERROR,
                    "grouping operations are not allowed in GROUP BY"
                ),
                at,
            ));
        }
        if let Some(at) = first_aggregate(&e) {
            return Err(self.at(
                pg_err!(
                    GROUPING_ERROR,
                    "aggregate functions are not allowed in GROUP BY"
                ),
                at,
            ));
        }
        if let Some(at) = first_window(&e) {
            return Err(self.at(
                pg_err!(
                    WINDOWING_ERROR,
                    "window functions are not allowed in GROUP BY"
                ),
                at,
            ));
        }
        Ok(e)
    }

    /// DISTINCT (all targets) or DISTINCT ON (expressions that must lead ORDER BY).
    fn distinct(
        &mut self,
        stmt: &SelectStmt,
        scope: &Scope,
        targets: &[TypedExpr],
        sort: &[SortKey],
    ) -> Result<Option<Vec<TypedExpr>>> {
        let Some(on) = &stmt.distinct else {
            return Ok(None);
        };
        if on.is_empty() {
            for (k, s) in sort.iter().zip(&stmt.order_by) {
                if !targets.iter().any(|t| t.same_as(&k.expr)) {
                    return Err(self.at(
                        pg_err!(
                            INVALID_COLUMN_REFERENCE,
                            "for SELECT DISTINCT, ORDER BY expressions must appear in select list"
                        ),
                        s.expr.location(),
                    ));
                }
            }
            return Ok(Some(targets.to_vec()));
        }
        let mut exprs = Vec::with_capacity(on.len());
        for e in on {
            let typed = match e {
                Expr::Const(Literal::Integer(n), location) => {
                    self.target_at_position("SELECT DISTINCT ON", *n, targets, *location)?
                }
                other => self.analyze_expr(other, scope)?,
            };
            exprs.push(typed);
        }
        // PostgreSQL's transformDistinctOnClause: ORDER BY keys that are DISTINCT ON
        // expressions must all come before any that is not, and DISTINCT ON expressions
        // missing from ORDER BY are only allowed when no ORDER BY key was skipped.
        let mut skipped = false;
        for k in sort {
            match exprs.iter().position(|e| e.same_as(&k.expr)) {
                Some(i) if skipped => {
                    return Err(self.at(
                        pg_err!(
                            INVALID_COLUMN_REFERENCE,
                            "SELECT DISTINCT ON expressions must match initial ORDER BY expressions"
                        ),
                        on[i].location(),
                    ))
                }
                Some(_) => {}
                None => skipped = true,
            }
        }
        if skipped {
            for (e, written) in exprs.iter().zip(on) {
                if !sort.iter().any(|k| k.expr.same_as(e)) {
                    return Err(self.at(
                        pg_err!(
                            INVALID_COLUMN_REFERENCE,
                            "SELECT DISTINCT ON expressions must match initial ORDER BY expressions"
                        ),
                        written.location(),
                    ));
                }
            }
        }
        Ok(Some(exprs))
    }

    fn values(&mut self, stmt: &SelectStmt, outer: Option<Scope>) -> Result<Query> {
        let scope = Scope {
            items: Vec::new(),
            outer: outer.map(Box::new),
        };
        let width = stmt.values[0].len();
        let mut rows: Vec<Vec<TypedExpr>> = Vec::with_capacity(stmt.values.len());
        for row in &stmt.values {
            if row.len() != width {
                let location = row.first().map(Expr::location).unwrap_or(usize::MAX);
                return Err(self.at(
                    pg_err!(SYNTAX_ERROR, "VALUES lists must all be the same length"),
                    location,
                ));
            }
            rows.push(
                row.iter()
                    .map(|e| self.analyze_expr(e, &scope))
                    .collect::<Result<_>>()?,
            );
        }
        let mut columns = Vec::with_capacity(width);
        for col in 0..width {
            let cells: Vec<TypedExpr> = rows
                .iter_mut()
                .map(|r| std::mem::replace(&mut r[col], placeholder()))
                .collect();
            let location = stmt.values[0][col].location();
            let (cells, t) = self.unify(cells, "VALUES", location)?;
            for (r, cell) in rows.iter_mut().zip(cells) {
                r[col] = cell;
            }
            columns.push(OutputColumn {
                name: format!("column{}", col + 1),
                type_oid: t,
                typmod: -1,
            });
        }
        let targets = TypedExpr::column_refs(columns.iter().map(|c| (c.type_oid, -1)));
        let vscope = Scope::single(
            None,
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| ScopeColumn::slot(c.name.clone(), i, c.type_oid, -1))
                .collect(),
        );
        let sort = self.sort_keys(stmt, &vscope, &targets, &columns)?;
        let (limit, offset) = self.limit_offset(stmt, &vscope)?;
        self.check_params()?;
        Ok(Query {
            modifying: Vec::new(),
            columns,
            source: FromSource::Values(rows),
            filter: None,
            aggregation: None,
            windows: Vec::new(),
            targets,
            sort,
            distinct: None,
            limit,
            offset,
            target_locations: stmt.values[0].iter().map(Expr::location).collect(),
            row_marks: Vec::new(),
        })
    }

    fn sort_keys(
        &mut self,
        stmt: &SelectStmt,
        scope: &Scope,
        targets: &[TypedExpr],
        columns: &[OutputColumn],
    ) -> Result<Vec<SortKey>> {
        let mut keys = Vec::with_capacity(stmt.order_by.len());
        for s in &stmt.order_by {
            let expr = match &s.expr {
                Expr::Const(Literal::Integer(n), location) => {
                    self.target_at_position("ORDER BY", *n, targets, *location)?
                }
                Expr::Column(fields, _)
                    if fields.len() == 1 && columns.iter().any(|c| c.name == fields[0]) =>
                {
                    let matches: Vec<usize> = columns
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.name == fields[0])
                        .map(|(i, _)| i)
                        .collect();
                    targets[matches[0]].clone()
                }
                other => self.key_expr(other, scope)?,
            };
            keys.push(self.sort_key(expr, s)?);
        }
        Ok(keys)
    }

    /// An ORDER BY key for `expr` as `s` asks (its type's `<` function). `USING op` takes
    /// the type's `<` or `>` operator, the latter sorting in reverse with NULLs first by
    /// default (PostgreSQL's `get_ordering_op_properties`).
    ///
    /// Errors: 42883 `could not identify an ordering operator for type x`, `operator does
    /// not exist: x op x`; 42809 `operator op is not a valid ordering operator`.
    pub(crate) fn sort_key(&mut self, expr: TypedExpr, s: &SortBy) -> Result<SortKey> {
        let descending = match &s.using {
            None => s.descending,
            Some((names, location)) => {
                let name = names.last().map(String::as_str).unwrap_or_default();
                self.make_op(name, Some(expr.clone()), expr.clone(), *location)?;
                match name {
                    "<" => false,
                    ">" => true,
                    _ => {
                        return Err(self.at(
                            pg_err!(
                                WRONG_OBJECT_TYPE,
                                "operator {} is not a valid ordering operator",
                                name
                            )
                            .hint(
                                "Ordering operators must be \"<\" or \">\" members of btree operator families.",
                            ),
                            *location,
                        ))
                    }
                }
            }
        };
        let lt_proc = self
            .comparison_proc("<", expr.type_oid(), s.expr.location())
            .map_err(|_| {
                self.at(
                    pg_err!(
                        UNDEFINED_FUNCTION,
                        "could not identify an ordering operator for type {}",
                        self.catalog.format_type(expr.type_oid())
                    )
                    .hint("Use an explicit ordering operator or modify the query."),
                    s.expr.location(),
                )
            })?;
        Ok(SortKey {
            expr,
            descending,
            nulls_first: s.nulls_first.unwrap_or(descending),
            lt_proc,
        })
    }

    fn limit_offset(
        &mut self,
        stmt: &SelectStmt,
        scope: &Scope,
    ) -> Result<(Option<TypedExpr>, Option<TypedExpr>)> {
        let one = |e: &Option<Expr>, this: &mut Self| -> Result<Option<TypedExpr>> {
            match e {
                None => Ok(None),
                Some(Expr::Const(Literal::Null, _)) => Ok(None),
                Some(expr) => {
                    let t = this.analyze_expr(expr, scope)?;
                    Ok(Some(this.coerce(
                        t,
                        type_oid::INT8,
                        -1,
                        CoercionContext::Implicit,
                        expr.location(),
                    )?))
                }
            }
        };
        let limit = one(&stmt.limit, self)?;
        let offset = one(&stmt.offset, self)?;
        Ok((limit, offset))
    }

    /// Every parameter must have a type by the end of analysis (42P18); checked when
    /// the outermost SELECT is done (a subquery may precede the use that types one).
    fn check_params(&mut self) -> Result<()> {
        if self.select_depth > 1 {
            return Ok(());
        }
        for (i, t) in self.param_types.iter().enumerate() {
            if *t == Oid::INVALID || *t == type_oid::UNKNOWN {
                return Err(Error::new(
                    SqlState::INDETERMINATE_DATATYPE,
                    format!("could not determine data type of parameter ${}", i + 1),
                ));
            }
        }
        Ok(())
    }
}

fn placeholder() -> TypedExpr {
    TypedExpr::Const {
        value: Datum::Null,
        type_oid: type_oid::UNKNOWN,
        typmod: -1,
        location: usize::MAX,
    }
}
