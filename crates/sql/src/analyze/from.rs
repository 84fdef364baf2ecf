//! FROM-clause analysis: range-table entries (relations, subqueries, functions, joins)
//! into a [`FromSource`] tree and the [`Scope`] expressions see.
//!
//! The FROM row: every leaf contributes consecutive slots, left to right (a relation one
//! slot per attribute, dropped ones included, so slot = attnum - 1 within it); a join's
//! row is its left row followed by its right row. Column references in the analysed query
//! are slot indexes of the whole FROM row. A join condition is stored relative to the
//! join's own row (its first slot is 0), so the executor evaluates it on what the join
//! produced.
//!
//! Namespace rules follow PostgreSQL's `transformFromClauseItem`: a join without an alias
//! hides its inputs' columns from unqualified references (only its own column list, with
//! USING/NATURAL columns merged, is searched), while the inputs stay reachable by name;
//! a join with an alias hides its inputs entirely.
//!
//! Entry point: [`Analyzer::analyze_from`].

use tusk_types::{pg_err, type_oid, Oid, Result};

use super::expr::{Scope, ScopeColumn, ScopeItem};
use super::row_mark::ItemKind;
use super::select::{FromSource, FunctionCall, OutputColumn, Query};
use super::typed::TypedExpr;
use super::walk::{is_correlated, map_query};
use super::Analyzer;
use crate::ast::{Alias, Expr, FromItem, JoinItem, JoinKind, JoinQual, RangeFunctionCall};

/// One analysed FROM item.
pub(super) struct FromPart {
    source: FromSource,
    /// Namespace items it adds.
    pub(super) items: Vec<ScopeItem>,
    /// Its column list (what `*` over it and a join using it see).
    pub(super) columns: Vec<ScopeColumn>,
    /// Slots it occupies in the FROM row.
    width: usize,
}

impl Analyzer<'_> {
    /// Analyses a FROM list: items are cross-joined left to right.
    ///
    /// Errors: 42P01 unknown relation, 42712 a name used twice, 42601 a subquery without
    /// an alias, 42703/42702 in USING and ON, and every expression error of ON.
    pub(crate) fn analyze_from(
        &mut self,
        items: &[FromItem],
        outer: Option<&Scope>,
    ) -> Result<(FromSource, Scope)> {
        let (source, scope, _) = self.analyze_from_after(None, items, outer)?;
        Ok((source.unwrap_or(FromSource::OneRow), scope))
    }

    /// Analyses a FROM list after a first item already analysed (`first`: its source,
    /// namespace item and width; the target of UPDATE ... FROM and DELETE ... USING),
    /// which LATERAL items may reference and whose name the others may not repeat.
    /// Returns the cross join (`None` when both are empty), its scope and width.
    ///
    /// Errors: those of [`Analyzer::analyze_from`].
    pub(super) fn analyze_from_after(
        &mut self,
        first: Option<(FromSource, ScopeItem, usize)>,
        items: &[FromItem],
        outer: Option<&Scope>,
    ) -> Result<(Option<FromSource>, Scope, usize)> {
        let mut source: Option<FromSource> = None;
        let mut scope = Scope {
            items: Vec::new(),
            outer: outer.cloned().map(Box::new),
        };
        let mut width = 0;
        let has_first = first.is_some();
        if let Some((first_source, item, first_width)) = first {
            source = Some(first_source);
            scope.items.push(item);
            width = first_width;
        }
        for item in items {
            let mut left = (scope.items.clone(), 0);
            let lateral = matches!(
                item,
                FromItem::Subquery { lateral: true, .. } | FromItem::Function { .. }
            );
            if has_first && lateral {
                // The target of UPDATE/DELETE is no LATERAL reference's (PostgreSQL's
                // "invalid reference to FROM-clause entry" with its hint).
                left.0[0].rel_visible = false;
                left.0[0].cols_visible = false;
            }
            let part = self.range_entry(item, width, outer, Some(left))?;
            self.check_name_conflicts(&scope.items, &part.items)?;
            source = Some(match source {
                None => part.source,
                Some(left) => FromSource::Join {
                    kind: JoinKind::Inner,
                    left: Box::new(left),
                    right: Box::new(part.source),
                    condition: None,
                    left_width: width,
                    right_width: part.width,
                },
            });
            scope.items.extend(part.items);
            width += part.width;
        }
        Ok((source, scope, width))
    }

    /// 42712 `table name "t" specified more than once` (PostgreSQL's
    /// `checkNameSpaceConflicts`).
    fn check_name_conflicts(&self, existing: &[ScopeItem], added: &[ScopeItem]) -> Result<()> {
        for a in added.iter().filter(|i| i.rel_visible) {
            if existing
                .iter()
                .any(|e| e.rel_visible && e.name.is_some() && e.name == a.name)
            {
                return Err(pg_err!(
                    DUPLICATE_ALIAS,
                    "table name \"{}\" specified more than once",
                    a.name.as_deref().unwrap_or_default()
                ));
            }
        }
        Ok(())
    }

    /// One FROM item at slot `offset`; `left` holds the items a LATERAL reference may
    /// see and the slot where their row starts.
    pub(super) fn range_entry(
        &mut self,
        item: &FromItem,
        offset: usize,
        outer: Option<&Scope>,
        left: Option<(Vec<ScopeItem>, usize)>,
    ) -> Result<FromPart> {
        let (left_items, left_base) = left.unwrap_or_default();
        // What a non-LATERAL subquery sees of this level: its siblings, by name only,
        // to report PostgreSQL's "invalid reference" error.
        let hidden_siblings: Vec<ScopeItem> = left_items
            .iter()
            .filter(|i| i.rel_visible)
            .map(|i| ScopeItem {
                rel_visible: false,
                cols_visible: false,
                ..i.clone()
            })
            .collect();
        // What a LATERAL item sees: its left siblings one level up, then the outer
        // queries.
        let lateral_scope = Scope {
            items: Vec::new(),
            outer: Some(Box::new(Scope {
                items: left_items,
                outer: outer.cloned().map(Box::new),
            })),
        };
        match item {
            FromItem::Relation(rv) if rv.schema.is_none() && self.is_cte(&rv.name) => {
                let (mut cte_columns, hidden, source) = self
                    .cte_reference(&rv.name, rv.location)?
                    .expect("checked in the guard");
                let width = cte_columns.len();
                let hidden = cte_columns.split_off(width - hidden);
                let name = rv
                    .alias
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| rv.name.clone());
                let aliases = rv
                    .alias
                    .as_ref()
                    .map(|a| a.columns.as_slice())
                    .unwrap_or(&[]);
                check_alias_count(&name, aliases, cte_columns.len())?;
                let columns: Vec<ScopeColumn> = cte_columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        ScopeColumn::slot(
                            aliases.get(i).cloned().unwrap_or_else(|| c.name.clone()),
                            offset + i,
                            c.type_oid,
                            c.typmod,
                        )
                    })
                    .collect();
                let mut part = leaf(source, name, columns, width);
                part.items[0].kind = ItemKind::Cte;
                // SEARCH and CYCLE columns: found by name, left out of `*`.
                part.items[0].system_columns = hidden
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        ScopeColumn::slot(
                            c.name.clone(),
                            offset + width - hidden.len() + i,
                            c.type_oid,
                            c.typmod,
                        )
                    })
                    .collect();
                if rv.alias.is_some() {
                    part.items[0].relation = Some(rv.name.clone());
                }
                Ok(part)
            }
            FromItem::Relation(rv)
                if rv.schema.as_deref().is_none_or(|s| s == "pg_catalog")
                    && super::system_views::definition(&rv.name).is_some() =>
            {
                let definition =
                    super::system_views::definition(&rv.name).expect("checked in the guard");
                let query = match crate::parse(definition)?.pop().map(|s| s.stmt) {
                    Some(crate::ast::Statement::Select(q)) => q,
                    _ => {
                        return Err(pg_err!(
                            INTERNAL_ERROR,
                            "definition of system view \"{}\" is not a query",
                            rv.name
                        ))
                    }
                };
                let alias = rv.alias.clone().unwrap_or_else(|| crate::ast::Alias {
                    name: rv.name.clone(),
                    columns: Vec::new(),
                });
                let expanded = FromItem::Subquery {
                    query,
                    alias: Some(alias),
                    lateral: false,
                };
                // Errors inside the definition have no place in the user's query text.
                let sql = std::mem::take(&mut self.sql);
                let definition_system_columns = self.definition_system_columns;
                self.definition_system_columns |=
                    super::system_columns::mentions_system_column(definition);
                self.expanding_views.push(super::permission::SYSTEM_VIEW);
                let part = self.range_entry(&expanded, offset, outer, None);
                self.expanding_views.pop();
                self.definition_system_columns = definition_system_columns;
                self.sql = sql;
                part.map_err(|mut e| {
                    e.position = None;
                    e
                })
            }
            FromItem::Relation(rv) => {
                let info = self
                    .catalog
                    .relation(rv.schema.as_deref(), &rv.name)?
                    .ok_or_else(|| {
                        let name = match &rv.schema {
                            Some(s) => format!("{s}.{}", rv.name),
                            None => rv.name.clone(),
                        };
                        self.at(
                            pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", name),
                            rv.location,
                        )
                    })?;
                if info.kind == b'c' {
                    return Err(self.at(
                        pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is a composite type", rv.name),
                        rv.location,
                    ));
                }
                self.note_relation_use(info.oid, tusk_types::adt::acl::ACL_SELECT);
                if info.kind == b'v' {
                    return self.expand_view(&info, rv, offset, outer);
                }
                let name = rv
                    .alias
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| info.name.clone());
                let live: Vec<(usize, &super::ColumnInfo)> = info.live_columns().collect();
                let aliases = rv
                    .alias
                    .as_ref()
                    .map(|a| a.columns.as_slice())
                    .unwrap_or(&[]);
                check_alias_count(&name, aliases, live.len())?;
                let columns: Vec<ScopeColumn> = live
                    .iter()
                    .enumerate()
                    .map(|(i, (attno, c))| {
                        ScopeColumn::slot(
                            aliases.get(i).cloned().unwrap_or_else(|| c.name.clone()),
                            offset + attno,
                            c.type_oid,
                            c.typmod,
                        )
                    })
                    .collect();
                let system_columns = self.system_scope_columns(&info, offset);
                let width = info.columns.len() + system_columns.len();
                let source = self.inheritance_source(
                    &info,
                    rv.inh,
                    width,
                    !system_columns.is_empty(),
                    &name,
                )?;
                // A partitioned table pruned to one partition reads that partition.
                let kind = if let FromSource::Relation { oid, .. } = &source {
                    ItemKind::Relation(*oid)
                } else {
                    ItemKind::InheritanceParent
                };
                let locked = self
                    .lock_clauses
                    .iter()
                    .any(|c| c.relations.is_empty() || c.relations.iter().any(|r| r.name == name));
                let source = self.row_security_scan(&info, source, width, locked)?;
                let mut part = leaf(source, name, columns, width);
                part.items[0].system_columns = system_columns;
                part.items[0].primary_key = info.primary_key.iter().map(|k| offset + k).collect();
                part.items[0].kind = kind;
                if rv.alias.is_some() {
                    part.items[0].relation = Some(info.name.clone());
                }
                Ok(part)
            }
            FromItem::Function {
                functions,
                alias,
                ordinality,
            } => {
                let alias_column =
                    |i: usize| alias.as_ref().and_then(|a| a.columns.get(i).cloned());
                let functions = expand_unnest(functions)?;
                let functions = functions.as_slice();
                let single = functions.len() == 1;
                let mut calls = Vec::with_capacity(functions.len());
                let mut columns: Vec<ScopeColumn> = Vec::new();
                for f in functions {
                    let (typed, defined, scalar) = self.range_function(f, &lateral_scope)?;
                    for (n, t, m) in &defined {
                        let at = columns.len();
                        // A lone function's scalar column takes the alias's name.
                        let name = alias_column(at).unwrap_or_else(|| match alias {
                            Some(a) if single && scalar => a.name.clone(),
                            _ => n.clone(),
                        });
                        columns.push(ScopeColumn::slot(name, offset + at, *t, *m));
                    }
                    calls.push(FunctionCall {
                        call: typed,
                        width: defined.len(),
                    });
                }
                let name = alias.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| {
                    functions
                        .first()
                        .map_or_else(String::new, |f| function_name(&f.call))
                });
                if *ordinality {
                    let at = columns.len();
                    let ord = alias_column(at).unwrap_or("ordinality".into());
                    columns.push(ScopeColumn::slot(ord, offset + at, type_oid::INT8, -1));
                }
                let width = columns.len();
                let source = FromSource::Function {
                    calls,
                    ordinality: *ordinality,
                };
                // Functions in FROM are implicitly LATERAL.
                let wrapped = Query {
                    modifying: Vec::new(),
                    columns: columns
                        .iter()
                        .map(|c| OutputColumn {
                            name: c.name.clone(),
                            type_oid: c.expr.type_oid(),
                            typmod: -1,
                        })
                        .collect(),
                    source,
                    filter: None,
                    aggregation: None,
                    windows: Vec::new(),
                    targets: TypedExpr::column_refs(
                        columns.iter().map(|c| (c.expr.type_oid(), -1)),
                    ),
                    sort: Vec::new(),
                    distinct: None,
                    limit: None,
                    offset: None,
                    target_locations: Vec::new(),
                    row_marks: Vec::new(),
                };
                let source = if is_correlated(&wrapped) {
                    FromSource::Lateral {
                        query: Box::new(wrapped),
                        left_base,
                    }
                } else {
                    wrapped.source
                };
                let mut part = leaf(source, name, columns, width);
                part.items[0].kind = ItemKind::Function;
                Ok(part)
            }
            FromItem::Subquery {
                query,
                alias,
                lateral,
            } => {
                let Some(alias) = alias else {
                    let (what, example) = if query.values.is_empty() {
                        ("subquery", "SELECT")
                    } else {
                        ("VALUES", "VALUES")
                    };
                    return Err(pg_err!(SYNTAX_ERROR, "{} in FROM must have an alias", what)
                        .hint(format!("For example, FROM ({example} ...) [AS] foo.")));
                };
                // Not LATERAL: the subquery sees the enclosing queries, not its siblings
                // (this query's level is there, but empty).
                self.pending_outer = if *lateral {
                    lateral_scope.outer.clone().map(|o| *o)
                } else {
                    Some(Scope {
                        items: hidden_siblings,
                        outer: outer.cloned().map(Box::new),
                    })
                };
                let sub = self.analyze_locked_subquery(query, &alias.name)?;
                check_alias_count(&alias.name, &alias.columns, sub.columns.len())?;
                let columns: Vec<ScopeColumn> = sub
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        ScopeColumn::slot(
                            alias
                                .columns
                                .get(i)
                                .cloned()
                                .unwrap_or_else(|| c.name.clone()),
                            offset + i,
                            c.type_oid,
                            c.typmod,
                        )
                    })
                    .collect();
                let width = columns.len();
                let source = if *lateral && is_correlated(&sub) {
                    FromSource::Lateral {
                        query: Box::new(sub),
                        left_base,
                    }
                } else {
                    FromSource::Subquery(Box::new(sub))
                };
                let mut part = leaf(source, alias.name.clone(), columns, width);
                part.items[0].kind = if query.values.is_empty() {
                    ItemKind::Subquery
                } else {
                    ItemKind::Values
                };
                Ok(part)
            }
            FromItem::Join(join) => self.join(join, offset, outer),
            FromItem::Other(what, location) => {
                Err(self.at(tusk_types::Error::feature_not_supported(what), *location))
            }
        }
    }

    fn join(&mut self, join: &JoinItem, offset: usize, outer: Option<&Scope>) -> Result<FromPart> {
        let left = self.range_entry(&join.left, offset, outer, None)?;
        let right = self.range_entry(
            &join.right,
            offset + left.width,
            outer,
            Some((left.items.clone(), offset)),
        )?;
        if let FromSource::Lateral { query, .. } = &right.source {
            if matches!(join.kind, JoinKind::Right | JoinKind::Full) {
                // Name the left entry of the first reference, as PostgreSQL does.
                let mut first: Option<(usize, usize)> = None;
                map_query((**query).clone(), 0, &mut |e, depth| {
                    if let TypedExpr::OuterColumn {
                        levels_up,
                        index,
                        location,
                        ..
                    } = &e
                    {
                        if *levels_up == depth + 1 && first.is_none() {
                            first = Some((*index, *location));
                        }
                    }
                    e
                });
                let (index, location) = first.unwrap_or((usize::MAX, usize::MAX));
                let name = left
                    .items
                    .iter()
                    .find(|i| {
                        i.rel_visible
                            && i.columns.iter().any(
                                |c| matches!(c.expr, TypedExpr::Column { index: x, .. } if x == index),
                            )
                    })
                    .and_then(|i| i.name.clone())
                    .unwrap_or_default();
                return Err(self.at(
                    pg_err!(
                        INVALID_COLUMN_REFERENCE,
                        "invalid reference to FROM-clause entry for table \"{}\"",
                        name
                    )
                    .detail(
                        "The combining JOIN type must be INNER or LEFT for a LATERAL reference.",
                    ),
                    location,
                ));
            }
        }
        self.check_name_conflicts(&left.items, &right.items)?;
        let mut items: Vec<ScopeItem> = left.items;
        if matches!(join.kind, JoinKind::Right | JoinKind::Full) {
            items.iter_mut().for_each(|i| i.nullable = true);
        }
        let right_start = items.len();
        items.extend(right.items);
        if matches!(join.kind, JoinKind::Left | JoinKind::Full) {
            items[right_start..]
                .iter_mut()
                .for_each(|i| i.nullable = true);
        }
        let width = left.width + right.width;
        let (condition, columns) = match &join.qual {
            JoinQual::None => (None, concat(&left.columns, &right.columns)),
            JoinQual::On(on) => {
                let scope = Scope {
                    items: items.clone(),
                    outer: outer.cloned().map(Box::new),
                };
                let e = self.analyze_expr(on, &scope)?;
                if let Some(at) = super::aggregate::first_aggregate(&e) {
                    return Err(self.at(
                        pg_err!(
                            GROUPING_ERROR,
                            "aggregate functions are not allowed in JOIN conditions"
                        ),
                        at,
                    ));
                }
                if let Some(at) = super::aggregate::first_window(&e) {
                    return Err(self.at(
                        pg_err!(
                            WINDOWING_ERROR,
                            "window functions are not allowed in JOIN conditions"
                        ),
                        at,
                    ));
                }
                if let Some(at) = super::grouping_sets::first_grouping(&e) {
                    return Err(self.at(
                        pg_err!(
                            GROUPING_ERROR,
                            "grouping operations are not allowed in JOIN conditions"
                        ),
                        at,
                    ));
                }
                let e = self.coerce_to_boolean(e, "JOIN/ON", on.location())?;
                (Some(e), concat(&left.columns, &right.columns))
            }
            JoinQual::Using(names) => {
                self.using(join.kind, names, &left.columns, &right.columns)?
            }
            JoinQual::Natural => {
                let names: Vec<String> = left
                    .columns
                    .iter()
                    .filter(|l| right.columns.iter().any(|r| r.name == l.name))
                    .map(|l| l.name.clone())
                    .collect();
                if names.is_empty() {
                    (None, concat(&left.columns, &right.columns))
                } else {
                    self.using(join.kind, &names, &left.columns, &right.columns)?
                }
            }
        };
        let condition = condition.map(|c| shift_slots(c, offset));
        let source = FromSource::Join {
            kind: join.kind,
            left: Box::new(left.source),
            right: Box::new(right.source),
            condition,
            left_width: left.width,
            right_width: right.width,
        };
        match &join.alias {
            Some(Alias {
                name,
                columns: aliases,
            }) => {
                check_alias_count(name, aliases, columns.len())?;
                let columns: Vec<ScopeColumn> = columns
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut c)| {
                        if let Some(a) = aliases.get(i) {
                            c.name = a.clone();
                        }
                        c
                    })
                    .collect();
                let mut part = leaf(source, name.clone(), columns, width);
                part.items[0].kind = ItemKind::Join;
                Ok(part)
            }
            None => {
                for item in &mut items {
                    item.cols_visible = false;
                }
                if let (Some(name), JoinQual::Using(names)) = (&join.using_alias, &join.qual) {
                    // `USING (...) AS name` names the merged columns (which come first).
                    let alias = ScopeItem {
                        name: Some(name.clone()),
                        columns: columns[..names.len()].to_vec(),
                        rel_visible: true,
                        cols_visible: false,
                        relation: None,
                        system_columns: Vec::new(),
                        nullable: false,
                        primary_key: Vec::new(),
                        kind: ItemKind::Join,
                    };
                    self.check_name_conflicts(&items, std::slice::from_ref(&alias))?;
                    items.push(alias);
                }
                items.push(ScopeItem {
                    name: None,
                    columns: columns.clone(),
                    rel_visible: false,
                    cols_visible: true,
                    relation: None,
                    system_columns: Vec::new(),
                    nullable: false,
                    primary_key: Vec::new(),
                    kind: ItemKind::Join,
                });
                Ok(FromPart {
                    source,
                    items,
                    columns,
                    width,
                })
            }
        }
    }

    /// `USING (names)`: the equality condition and the join's column list (merged columns
    /// first, then the rest of the left, then the rest of the right), PostgreSQL's
    /// `transformJoinUsingClause` and `buildMergedJoinVar`.
    fn using(
        &mut self,
        kind: JoinKind,
        names: &[String],
        left: &[ScopeColumn],
        right: &[ScopeColumn],
    ) -> Result<(Option<TypedExpr>, Vec<ScopeColumn>)> {
        let mut merged = Vec::with_capacity(names.len());
        let mut tests = Vec::with_capacity(names.len());
        let mut used_left = Vec::new();
        let mut used_right = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(pg_err!(
                    DUPLICATE_COLUMN,
                    "column name \"{}\" appears more than once in USING clause",
                    name
                ));
            }
            let find = |cols: &[ScopeColumn], side: &str| -> Result<usize> {
                let mut hits = cols.iter().enumerate().filter(|(_, c)| c.name == *name);
                match (hits.next(), hits.next()) {
                    (Some((i, _)), None) => Ok(i),
                    (Some(_), Some(_)) => Err(pg_err!(
                        AMBIGUOUS_COLUMN,
                        "common column name \"{}\" appears more than once in {} table",
                        name,
                        side
                    )),
                    _ => Err(pg_err!(
                        UNDEFINED_COLUMN,
                        "column \"{}\" specified in USING clause does not exist in {} table",
                        name,
                        side
                    )),
                }
            };
            let li = find(left, "left")?;
            let ri = find(right, "right")?;
            used_left.push(li);
            used_right.push(ri);
            let l = left[li].expr.clone();
            let r = right[ri].expr.clone();
            tests.push(self.make_op("=", Some(l.clone()), r.clone(), usize::MAX)?);
            let (both, t) = self.unify(vec![l, r], "JOIN/USING", usize::MAX)?;
            let mut both = both.into_iter();
            let (l, r) = (
                both.next().expect("two operands"),
                both.next().expect("two operands"),
            );
            let expr = match kind {
                JoinKind::Inner | JoinKind::Left => l,
                JoinKind::Right => r,
                JoinKind::Full => TypedExpr::Coalesce {
                    args: vec![l, r],
                    type_oid: t,
                },
            };
            merged.push(ScopeColumn {
                name: name.clone(),
                expr,
            });
        }
        let mut columns = merged;
        columns.extend(
            left.iter()
                .enumerate()
                .filter(|(i, _)| !used_left.contains(i))
                .map(|(_, c)| c.clone()),
        );
        columns.extend(
            right
                .iter()
                .enumerate()
                .filter(|(i, _)| !used_right.contains(i))
                .map(|(_, c)| c.clone()),
        );
        let condition = if tests.len() == 1 {
            tests.pop()
        } else {
            Some(TypedExpr::And(tests))
        };
        Ok((condition, columns))
    }
}

/// The functions of a FROM item with each `unnest(a, b, ...)` of several arrays
/// spread into `unnest(a), unnest(b), ...` zipped side by side, as PostgreSQL reads the
/// multi-argument UNNEST in FROM.
///
/// Errors: 42601 for such a call with a column definition list.
fn expand_unnest(functions: &[RangeFunctionCall]) -> Result<Vec<RangeFunctionCall>> {
    let mut out = Vec::with_capacity(functions.len());
    for f in functions {
        match &f.call {
            Expr::Func {
                name,
                args,
                star: false,
                distinct: false,
                filter: None,
                order_by,
                over: None,
                within_group: false,
                variadic: false,
                arg_names,
                location,
            } if args.len() > 1
                && order_by.is_empty()
                && arg_names.is_empty()
                && name.last().is_some_and(|n| n == "unnest")
                && (name.len() == 1 || name[0] == "pg_catalog") =>
            {
                if !f.column_defs.is_empty() {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "UNNEST() with multiple arguments cannot have a column definition list"
                    )
                    .hint("Use separate UNNEST() calls inside ROWS FROM(), and attach a column definition list to each one.")
                    .position(f.column_defs_location as u32 + 1));
                }
                for arg in args {
                    out.push(RangeFunctionCall {
                        call: Expr::Func {
                            name: name.clone(),
                            args: vec![arg.clone()],
                            star: false,
                            distinct: false,
                            filter: None,
                            order_by: Vec::new(),
                            over: None,
                            within_group: false,
                            variadic: false,
                            arg_names: Vec::new(),
                            location: *location,
                        },
                        column_defs: Vec::new(),
                        column_defs_location: usize::MAX,
                    });
                }
            }
            _ => out.push(f.clone()),
        }
    }
    Ok(out)
}

/// A column a function in FROM gives: name, type and typmod.
type DefinedColumn = (String, Oid, i32);

/// The name a function in FROM goes by: its own, unqualified.
fn function_name(call: &Expr) -> String {
    match call {
        Expr::Func { name, .. } => name.last().cloned().unwrap_or_default(),
        _ => "?column?".into(),
    }
}

impl Analyzer<'_> {
    /// One function of a FROM item: its call and its columns (name, type, typmod), and
    /// whether it gives one scalar column (named after the function, or its one OUT
    /// argument).
    fn range_function(
        &mut self,
        f: &RangeFunctionCall,
        scope: &Scope,
    ) -> Result<(TypedExpr, Vec<DefinedColumn>, bool)> {
        let mut typed = self.analyze_expr(&f.call, scope)?;
        let fname = function_name(&f.call);
        // A function with OUT/TABLE arguments gives one column per OUT argument.
        // Polymorphic OUT arguments take the types the call's arguments fix.
        let out_columns: Vec<(String, Oid)> = match &typed {
            TypedExpr::Func { proc, args, .. } => {
                let actual: Vec<Oid> = args.iter().map(TypedExpr::type_oid).collect();
                self.catalog
                    .function(*proc)
                    .map(|func| {
                        func.out_columns
                            .iter()
                            .map(|(n, t)| {
                                let t = if actual.len() >= func.args.len() {
                                    self.resolve_polymorphic_type(*t, &func.args, &actual)
                                } else {
                                    *t
                                };
                                (n.clone(), t)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let defined = self.column_definitions(
            &mut typed,
            out_columns.len(),
            &f.column_defs,
            f.column_defs_location,
            f.call.location(),
        )?;
        if let Some(defined) = defined {
            return Ok((typed, defined, false));
        }
        if out_columns.is_empty() && matches!(typed, TypedExpr::Func { .. }) {
            // A composite result gives one column per field.
            if let Some(fields) = self.catalog.composite_fields(typed.type_oid()) {
                return Ok((typed, fields, false));
            }
        }
        if out_columns.len() <= 1 {
            // One OUT argument makes a scalar result, named after the OUT argument.
            let name = out_columns.first().map_or(fname, |(n, _)| n.clone());
            let t = typed.type_oid();
            return Ok((typed, vec![(name, t, -1)], true));
        }
        let columns = out_columns.into_iter().map(|(n, t)| (n, t, -1)).collect();
        Ok((typed, columns, false))
    }
}

fn leaf(source: FromSource, name: String, columns: Vec<ScopeColumn>, width: usize) -> FromPart {
    FromPart {
        source,
        items: vec![ScopeItem {
            name: Some(name),
            columns: columns.clone(),
            rel_visible: true,
            cols_visible: true,
            relation: None,
            system_columns: Vec::new(),
            nullable: false,
            primary_key: Vec::new(),
            kind: ItemKind::Other,
        }],
        columns,
        width,
    }
}

fn concat(left: &[ScopeColumn], right: &[ScopeColumn]) -> Vec<ScopeColumn> {
    left.iter().chain(right).cloned().collect()
}

/// 42P10 `table "t" has 2 columns available but 3 columns specified`.
fn check_alias_count(name: &str, aliases: &[String], available: usize) -> Result<()> {
    if aliases.len() > available {
        return Err(pg_err!(
            INVALID_COLUMN_REFERENCE,
            "table \"{}\" has {} columns available but {} columns specified",
            name,
            available,
            aliases.len()
        ));
    }
    Ok(())
}

/// Re-bases slot references by `-offset` (a join condition is evaluated over the join's
/// own row).
pub(crate) fn shift_slots(e: TypedExpr, offset: usize) -> TypedExpr {
    if offset == 0 {
        return e;
    }
    match e {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } => TypedExpr::Column {
            index: index - offset,
            type_oid,
            typmod,
            location,
        },
        other => other
            .map_children(&mut |c| Ok(shift_slots(c, offset)))
            .expect("shifting slots cannot fail"),
    }
}
