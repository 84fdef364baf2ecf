//! INSERT, UPDATE and DELETE through automatically updatable views (PostgreSQL's
//! `rewriteTargetView`, "Updatable Views" in the docs of CREATE VIEW).
//!
//! A statement naming a view is first analysed against the view as if it were a table
//! (so its errors name the view, as PostgreSQL's parse analysis does), then rewritten one
//! view at a time into the same statement against the relation the view's FROM names,
//! until that relation is a table:
//!
//! ```text
//!  UPDATE v SET x = e WHERE p         v:  SELECT a AS x, b + 1 AS y FROM t WHERE q
//!     │  row, WHERE, RETURNING, checks over v's row
//!     ▼  substitute v's columns by their expressions over t's row
//!  UPDATE t SET a = e' WHERE p' AND q  (e', p' over t's row; y is not updatable)
//! ```
//!
//! Rules:
//! 1. A view column is updatable when its expression is a plain column of the base
//!    relation; writing any other column is 0A000 with PostgreSQL's DETAIL.
//! 2. The view's WHERE is added to UPDATE and DELETE, so rows the view does not show are
//!    never touched.
//! 3. INSERT: a view column left out gets the view's default (applied while analysing the
//!    view level); a base column no view column sets gets the base default. A view column
//!    without a default of its own stands for the base default ([`base_default_marker`]),
//!    replaced here.
//! 4. WITH CHECK OPTION: each view with the option (or under a CASCADED one) adds its
//!    WHERE as a check of the new row, innermost view first; NULL fails it (44000).
//! 5. Relations reached through a view are used with its owner's rights (`permission.rs`
//!    rule 2) unless the view is `security_invoker`.
//!
//! A view with an INSTEAD OF trigger is written through the trigger instead: the one
//! place that decides is [`Analyzer::view_is_rewritten`].
//!
//! Entry points: `Analyzer::rewrite_view_modification` (called by `dml.rs` for a view
//! target), [`view_query_is_auto_updatable`], [`relation_is_updatable`].

use std::sync::Arc;

use tusk_types::{pg_err, Datum, Error, Result, SqlState};

use super::dml::{
    CheckConstraint, CheckKind, ConflictArbiter, ConflictUpdate, ModifyAction, ModifyCommand,
    ModifyQuery,
};
use super::expr::Scope;
use super::system_columns::{mentions_system_column, SYSTEM_COLUMNS};
use super::typed::TypedExpr;
use super::walk::{map_expr_deep, remap_columns};
use super::{Analyzer, CatalogLookup, ColumnInfo, RelationInfo};
use crate::ast::{Expr, FromItem, SelectStmt, Statement};

/// The parameter index that marks "the base relation's default" in a view-level row.
const BASE_DEFAULT: usize = usize::MAX;

/// A view column's value when the view gives it no default: the base relation's default,
/// filled in when the statement is rewritten (rule 3). It is a parameter no statement
/// can have, so one that escaped the rewrite fails rather than reads a wrong value.
pub(super) fn base_default_marker(column: &ColumnInfo) -> TypedExpr {
    TypedExpr::Param {
        index: BASE_DEFAULT,
        type_oid: column.type_oid,
    }
}

fn is_base_default(e: &TypedExpr) -> bool {
    matches!(e, TypedExpr::Param { index, .. } if *index == BASE_DEFAULT)
}

/// A view's `WITH CHECK OPTION` and security options, from its `reloptions`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct ViewOptions {
    /// `check_option=local` or `cascaded` given.
    pub check_option: bool,
    /// `check_option=cascaded`.
    pub cascaded: bool,
    /// `security_invoker=true`.
    pub security_invoker: bool,
}

impl ViewOptions {
    /// Reads the options from `reloptions` entries (`name=value`).
    pub(super) fn from_reloptions(options: &[String]) -> ViewOptions {
        let mut out = ViewOptions::default();
        for o in options {
            match o.split_once('=') {
                Some(("check_option", v)) => {
                    out.check_option = true;
                    out.cascaded = v.eq_ignore_ascii_case("cascaded");
                }
                Some(("security_invoker", v)) => out.security_invoker = is_true(v),
                _ => {}
            }
        }
        out
    }
}

fn is_true(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "on" | "yes" | "1" | "t" | "y"
    )
}

/// A view's query as the rewrite needs it: its columns and WHERE over the row of the
/// relation its FROM names.
struct ViewDefinition {
    /// The relation the view reads (a table, or another view).
    base: Arc<RelationInfo>,
    /// Per view column (its attribute index): the value over the base row.
    columns: Vec<TypedExpr>,
    /// WHERE over the base row.
    qual: Option<TypedExpr>,
    /// The base row carries system columns after its attributes.
    system_columns: bool,
    /// The relations the query's expressions read (subqueries), used as the view's owner.
    relation_uses: Vec<super::RelationUse>,
}

/// Why a view column cannot be written (PostgreSQL's `view_col_is_auto_updatable`), or
/// `None` if it is a plain column of the base relation.
fn column_not_updatable(e: &TypedExpr, base: &RelationInfo) -> Option<&'static str> {
    match e {
        TypedExpr::Column { index, .. } if *index < base.columns.len() => None,
        TypedExpr::Column { .. } => {
            Some("View columns that refer to system columns are not updatable.")
        }
        _ => Some("View columns that are not columns of their base relation are not updatable."),
    }
}

/// Why the view whose query text is `text` is not automatically updatable (PostgreSQL's
/// `view_query_is_auto_updatable` reasons, in its order), or `None` if it is.
/// `check_columns` adds the test that some column is updatable (INSERT, UPDATE, and
/// `WITH CHECK OPTION`).
///
/// Errors: errors of parsing and analysing the query.
pub fn view_query_is_auto_updatable(
    catalog: &dyn CatalogLookup,
    text: &str,
    check_columns: bool,
) -> Result<Option<&'static str>> {
    let analyzer = Analyzer::new(catalog, text, Vec::new());
    analyzer.query_not_updatable_reason(text, check_columns)
}

/// `pg_relation_is_updatable`'s bit for UPDATE (`1 << CMD_UPDATE`).
pub const EVENT_UPDATE: i32 = 1 << 2;
/// `pg_relation_is_updatable`'s bit for INSERT (`1 << CMD_INSERT`).
pub const EVENT_INSERT: i32 = 1 << 3;
/// `pg_relation_is_updatable`'s bit for DELETE (`1 << CMD_DELETE`).
pub const EVENT_DELETE: i32 = 1 << 4;
const ALL_EVENTS: i32 = EVENT_UPDATE | EVENT_INSERT | EVENT_DELETE;

/// The commands `relation` accepts, as PostgreSQL's `relation_is_updatable` reports
/// them (`EVENT_*` bits): all for tables; for an automatically updatable view, all when
/// one of its columns in `columns` (attribute indexes; `None` = every column) is
/// updatable, else DELETE only, narrowed by what the view under it accepts; 0 for other
/// relations and views that are not updatable. INSTEAD OF triggers and rules are not
/// counted (tusk has neither yet).
///
/// Errors: catalog read errors and errors analysing a view's query.
pub fn relation_is_updatable(
    catalog: &dyn CatalogLookup,
    relation: &RelationInfo,
    columns: Option<&[usize]>,
) -> Result<i32> {
    updatable_events(catalog, relation, columns, &mut Vec::new())
}

/// [`relation_is_updatable`] below the views in `outer` (a view reached again is not
/// updatable, as PostgreSQL's `outer_reloids` makes it).
fn updatable_events(
    catalog: &dyn CatalogLookup,
    relation: &RelationInfo,
    columns: Option<&[usize]>,
    outer: &mut Vec<tusk_types::Oid>,
) -> Result<i32> {
    if outer.contains(&relation.oid) {
        return Ok(0);
    }
    match relation.kind {
        b'r' | b'p' => return Ok(ALL_EVENTS),
        b'v' => {}
        _ => return Ok(0),
    }
    let Some(text) = catalog.view_query(relation.oid)? else {
        return Ok(0);
    };
    let mut analyzer = Analyzer::new(catalog, &text, Vec::new());
    analyzer.expanding_views.push(relation.oid);
    if analyzer.query_not_updatable_reason(&text, false)?.is_some() {
        return Ok(0);
    }
    let Some(Statement::Select(select)) = crate::parse(&text)?.pop().map(|s| s.stmt) else {
        return Ok(0);
    };
    let definition = analyzer.analyze_view_query(&text, &select, Some(relation))?;
    let updatable: Vec<usize> = definition
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| columns.is_none_or(|c| c.contains(i)))
        .filter_map(|(_, e)| match e {
            TypedExpr::Column { index, .. } if *index < definition.base.columns.len() => {
                Some(*index)
            }
            _ => None,
        })
        .collect();
    let events = if updatable.is_empty() {
        EVENT_DELETE
    } else {
        ALL_EVENTS
    };
    if definition.base.kind == b'v' {
        outer.push(relation.oid);
        let below = updatable_events(catalog, &definition.base, Some(&updatable), outer)?;
        return Ok(events & below);
    }
    Ok(events)
}

impl Analyzer<'_> {
    /// Whether a statement on view `view` is rewritten onto its base relation: false
    /// when an INSTEAD OF trigger for `command` handles it instead.
    pub(super) fn view_is_rewritten(&self, view: &RelationInfo, command: ModifyCommand) -> bool {
        // No INSTEAD OF triggers exist yet: every view is rewritten. A view with one for
        // `command` must return false here and be written through the trigger.
        let _ = (view, command);
        true
    }

    /// The reason of [`view_query_is_auto_updatable`] for a query text.
    pub(super) fn query_not_updatable_reason(
        &self,
        text: &str,
        check_columns: bool,
    ) -> Result<Option<&'static str>> {
        if let Some(reason) = self.select_not_updatable_reason(text)? {
            return Ok(Some(reason));
        }
        let Some(Statement::Select(query)) = crate::parse(text)?.pop().map(|s| s.stmt) else {
            return Ok(None);
        };
        let definition = self.analyze_view_query(text, &query, None)?;
        if definition
            .columns
            .iter()
            .any(|c| matches!(c, TypedExpr::Func { retset: true, .. }))
        {
            return Ok(Some(
                "Views that return set-returning functions are not automatically updatable.",
            ));
        }
        if check_columns
            && definition
                .columns
                .iter()
                .all(|c| column_not_updatable(c, &definition.base).is_some())
        {
            return Ok(Some(
                "Views that have no updatable columns are not automatically updatable.",
            ));
        }
        Ok(None)
    }

    /// Analyses the stored query of a view (already known to select from one relation)
    /// over the row of that relation; `width` cuts its columns to the view's.
    fn analyze_view_query(
        &self,
        text: &str,
        query: &SelectStmt,
        view: Option<&RelationInfo>,
    ) -> Result<ViewDefinition> {
        let Some(FromItem::Relation(rv)) = query.from.first() else {
            return Err(Error::internal("an updatable view reads one relation"));
        };
        let base = self
            .catalog
            .relation(rv.schema.as_deref(), &rv.name)?
            .ok_or_else(|| pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", rv.name))?;
        let mut inner = Analyzer::new(self.catalog, text, Vec::new());
        inner.expanding_views = self.expanding_views.clone();
        if let Some(v) = view {
            inner.expanding_views.push(v.oid);
        }
        let name = rv
            .alias
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_else(|| base.name.clone());
        let mut scope: Scope = super::dml::relation_scope(&base, &name);
        let system_columns = base.kind == b'r' && mentions_system_column(text);
        if system_columns {
            let first = base.columns.len();
            scope.items[0].system_columns = SYSTEM_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    super::expr::ScopeColumn::slot(c.name.to_string(), first + i, c.type_oid, -1)
                })
                .collect();
        }
        let mut columns = Vec::new();
        for target in &query.targets {
            match &target.expr {
                Expr::Column(fields, _) if fields.last().is_some_and(|f| f == "*") => {
                    for (index, c) in base.live_columns() {
                        columns.push(TypedExpr::Column {
                            index,
                            type_oid: c.type_oid,
                            typmod: c.typmod,
                            location: usize::MAX,
                        });
                    }
                }
                e => columns.push(inner.analyze_expr(e, &scope)?),
            }
        }
        if let Some(v) = view {
            columns.truncate(v.live_columns().count());
        }
        let qual = match &query.where_clause {
            Some(w) => {
                let e = inner.analyze_expr(w, &scope)?;
                Some(inner.coerce_to_boolean(e, "WHERE", usize::MAX)?)
            }
            None => None,
        };
        let relation_uses = std::mem::take(&mut inner.relation_uses);
        Ok(ViewDefinition {
            relation_uses,
            base,
            columns,
            qual,
            system_columns,
        })
    }

    /// Rewrites `query`, analysed against view `view`, into the same statement against
    /// the table the view (and any views under it) reads. `modified` lists, for UPDATE,
    /// the view columns assigned (attribute indexes).
    ///
    /// Errors: 55000 `cannot insert into view "v"` (and update, delete) with PostgreSQL's
    /// DETAIL for a view that is not automatically updatable; 0A000 `cannot insert into
    /// column "x" of view "v"` (update) for a column that is not a base column; 42P17 for
    /// views that reach themselves; 0A000 for ON CONFLICT and for partitioned or foreign
    /// base relations.
    pub(super) fn rewrite_view_modification(
        &mut self,
        mut query: ModifyQuery,
        modified: &[usize],
    ) -> Result<ModifyQuery> {
        let view = query.relation.clone();
        if self.expanding_views.contains(&view.oid) {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "infinite recursion detected in rules for relation \"{}\"",
                view.name
            ));
        }
        let text = self.catalog.view_query(view.oid)?.ok_or_else(|| {
            pg_err!(
                INTERNAL_ERROR,
                "could not find the rule of view \"{}\"",
                view.name
            )
        })?;
        let check_columns = query.command != ModifyCommand::Delete;
        if let Some(reason) = self.query_not_updatable_reason(&text, check_columns)? {
            return Err(view_not_updatable(&view.name, query.command, reason));
        }
        let Some(Statement::Select(select)) = crate::parse(&text)?.pop().map(|s| s.stmt) else {
            return Err(Error::internal("a view's rule is not a query"));
        };
        let options = ViewOptions::from_reloptions(&self.catalog.relation_options(view.oid)?);
        let definition = self.analyze_view_query(&text, &select, Some(&view))?;
        let base = definition.base.clone();
        // Privileges on the base relation: what the statement needs on the view, checked
        // as the view's owner (or the current user for security_invoker views).
        let required = self
            .relation_uses
            .iter()
            .filter(|u| u.relation == view.oid)
            .fold(0, |acc, u| acc | u.required);
        if !options.security_invoker {
            self.expanding_views.push(view.oid);
        }
        self.note_relation_use(base.oid, required);
        let row_security = self.has_row_security(&base);
        if !options.security_invoker {
            self.expanding_views.pop();
        }
        if row_security? {
            return Err(Error::feature_not_supported(
                "changing a table with row-level security through a view",
            ));
        }
        // What the view's WHERE and columns read in subqueries, with the same rights (an
        // INSERT evaluates the WHERE only as a check option).
        let reads_view_query = query.command != ModifyCommand::Insert || options.check_option;
        let user = if options.security_invoker {
            self.expanding_views.last().copied()
        } else {
            Some(view.oid)
        };
        for u in definition.relation_uses.iter().filter(|_| reads_view_query) {
            let view = if u.view == Some(view.oid) {
                user
            } else {
                u.view
            };
            if !self.relation_uses.iter().any(|x| {
                x.relation == u.relation && x.view == view && x.required & u.required == u.required
            }) {
                self.relation_uses.push(super::RelationUse { view, ..*u });
            }
        }
        // Columns written must be base columns (rule 1).
        let written: Vec<usize> = match &query.action {
            ModifyAction::InsertValues(rows) => (0..view.columns.len())
                .filter(|i| rows.iter().any(|r| !is_base_default(&r[*i])))
                .collect(),
            ModifyAction::InsertQuery { row, .. } => (0..view.columns.len())
                .filter(|i| !is_base_default(&row[*i]))
                .collect(),
            _ => modified.to_vec(),
        };
        for i in &written {
            if let Some(detail) = column_not_updatable(&definition.columns[*i], &base) {
                let verb = match query.command {
                    ModifyCommand::Insert => "insert into",
                    _ => "update",
                };
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "cannot {} column \"{}\" of view \"{}\"",
                    verb,
                    view.columns[*i].name,
                    view.name
                )
                .detail(detail));
            }
        }
        let base_attr = |i: usize| match &definition.columns[i] {
            TypedExpr::Column { index, .. } => *index,
            _ => unreachable!("written view columns are base columns"),
        };
        let subst = |e: TypedExpr| substitute(e, &definition.columns);
        query.action = match query.action {
            ModifyAction::InsertValues(rows) => ModifyAction::InsertValues(
                rows.into_iter()
                    .map(|row| self.base_insert_row(&base, row, &written, &base_attr))
                    .collect::<Result<_>>()?,
            ),
            ModifyAction::InsertQuery { query: source, row } => ModifyAction::InsertQuery {
                query: source,
                row: self.base_insert_row(&base, row, &written, &base_attr)?,
            },
            ModifyAction::Update { filter, row } => {
                let mut new_row: Vec<TypedExpr> =
                    TypedExpr::column_refs(base.columns.iter().map(|c| (c.type_oid, c.typmod)));
                let mut set: Vec<usize> = Vec::new();
                for i in &written {
                    let attr = base_attr(*i);
                    if set.contains(&attr) {
                        return Err(pg_err!(
                            SYNTAX_ERROR,
                            "multiple assignments to same column \"{}\"",
                            base.columns[attr].name
                        ));
                    }
                    set.push(attr);
                    let value = row[*i].clone();
                    new_row[attr] = if is_base_default(&value) {
                        self.relation_default(&base, &base.columns[attr])?
                    } else if base.columns[attr].generated {
                        return Err(super::generated::generated_update_error(
                            &base.columns[attr].name,
                        ));
                    } else {
                        subst(value)
                    };
                }
                ModifyAction::Update {
                    filter: and(filter.map(subst), definition.qual.clone()),
                    row: new_row,
                }
            }
            ModifyAction::Delete { filter } => ModifyAction::Delete {
                filter: and(filter.map(subst), definition.qual.clone()),
            },
            // MERGE refuses views before any rewriting (`dml/merge.rs`).
            ModifyAction::Merge(_) => {
                return Err(Error::feature_not_supported("MERGE on a view"));
            }
        };
        query.returning = query.returning.into_iter().map(subst).collect();
        if let Some(conflict) = &mut query.on_conflict {
            // Inference columns name view columns: the index is on their base columns.
            if let ConflictArbiter::Columns(attnums) = &mut conflict.arbiter {
                for attnum in attnums.iter_mut() {
                    let index = usize::try_from(*attnum - 1).ok();
                    match index.and_then(|i| definition.columns.get(i)) {
                        Some(TypedExpr::Column { index, .. }) if *index < base.columns.len() => {
                            *attnum = *index as i16 + 1;
                        }
                        _ => {
                            return Err(pg_err!(
                                INVALID_COLUMN_REFERENCE,
                                "there is no unique or exclusion constraint matching the ON CONFLICT specification"
                            ))
                        }
                    }
                }
            }
            if let Some(update) = conflict.update.take() {
                conflict.update =
                    Some(self.base_conflict_update(&view, &base, &definition.columns, update)?);
            }
        }
        let mut checks: Vec<CheckConstraint> = query
            .checks
            .into_iter()
            .map(|c| CheckConstraint {
                expr: subst(c.expr),
                ..c
            })
            .collect();
        if query.command != ModifyCommand::Delete {
            // Rule 4: a CASCADED check above makes this view's condition a check too.
            let inherited = matches!(
                checks.first(),
                Some(CheckConstraint {
                    kind: CheckKind::ViewOption { cascaded: true },
                    ..
                })
            );
            if options.check_option || inherited {
                let cascaded = options.cascaded || inherited;
                checks.insert(
                    0,
                    CheckConstraint {
                        name: view.name.clone(),
                        expr: definition.qual.clone().unwrap_or(TypedExpr::Const {
                            value: Datum::Bool(true),
                            type_oid: tusk_types::type_oid::BOOL,
                            typmod: -1,
                            location: usize::MAX,
                        }),
                        kind: CheckKind::ViewOption { cascaded },
                    },
                );
            }
        }
        query.relation = base.clone();
        query.system_columns = definition.system_columns;
        match base.kind {
            b'v' => {
                // The relation's own CHECK constraints come from the table at the bottom.
                query.checks = checks;
                let modified: Vec<usize> = written.iter().map(|i| base_attr(*i)).collect();
                self.expanding_views.push(view.oid);
                let rewritten = self.rewrite_view_modification(query, &modified);
                self.expanding_views.pop();
                rewritten
            }
            b'r' => {
                let mut own = self.check_constraints(&base)?;
                own.extend(
                    checks
                        .into_iter()
                        .filter(|c| c.kind != CheckKind::Constraint),
                );
                // CHECK constraints first (name order), then view checks, innermost first.
                query.checks = own;
                query.generated = self.generated_columns(&base)?;
                Ok(query)
            }
            b'p' => Err(Error::feature_not_supported(
                "modifying a partitioned table",
            )),
            _ => Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot change relation \"{}\"",
                base.name
            )),
        }
    }

    /// ON CONFLICT DO UPDATE over the view's [existing | excluded] row turned into the
    /// same over the base relation's: assigned view columns must be base columns (0A000
    /// `cannot insert into column "x" of view "v"`, as PostgreSQL words it for INSERT),
    /// the others keep their base value.
    fn base_conflict_update(
        &mut self,
        view: &RelationInfo,
        base: &RelationInfo,
        columns: &[TypedExpr],
        update: ConflictUpdate,
    ) -> Result<ConflictUpdate> {
        let (n, m) = (view.columns.len(), base.columns.len());
        // The excluded row's view columns are the same expressions over the excluded
        // base row, which follows the existing one.
        let mut both: Vec<TypedExpr> = columns.to_vec();
        both.extend(columns.iter().cloned().map(|e| shift_columns(e, m)));
        let mut row: Vec<TypedExpr> =
            TypedExpr::column_refs(base.columns.iter().map(|c| (c.type_oid, c.typmod)));
        for (i, value) in update.row.into_iter().enumerate().take(n) {
            let unassigned = matches!(
                &value,
                TypedExpr::Column { index, location, .. } if *index == i && *location == usize::MAX
            );
            if unassigned {
                continue;
            }
            let attr = match column_not_updatable(&columns[i], base) {
                None => match &columns[i] {
                    TypedExpr::Column { index, .. } => *index,
                    _ => unreachable!("an updatable view column is a base column"),
                },
                Some(detail) => {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "cannot insert into column \"{}\" of view \"{}\"",
                        view.columns[i].name,
                        view.name
                    )
                    .detail(detail))
                }
            };
            row[attr] = if is_base_default(&value) {
                self.relation_default(base, &base.columns[attr])?
            } else {
                substitute(value, &both)
            };
        }
        Ok(ConflictUpdate {
            row,
            filter: update.filter.map(|f| substitute(f, &both)),
        })
    }

    /// The new base row of an INSERT from the view-level `row`: written view columns
    /// move to their base attributes, the other attributes get the base defaults.
    fn base_insert_row(
        &mut self,
        base: &RelationInfo,
        row: Vec<TypedExpr>,
        written: &[usize],
        base_attr: &dyn Fn(usize) -> usize,
    ) -> Result<Vec<TypedExpr>> {
        let mut out: Vec<Option<TypedExpr>> = vec![None; base.columns.len()];
        for i in written {
            if is_base_default(&row[*i]) {
                continue;
            }
            let attr = base_attr(*i);
            if base.columns[attr].generated {
                return Err(super::generated::generated_insert_error(
                    &base.columns[attr].name,
                ));
            }
            if out[attr].is_some() {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "multiple assignments to same column \"{}\"",
                    base.columns[attr].name
                ));
            }
            out[attr] = Some(row[*i].clone());
        }
        out.into_iter()
            .zip(&base.columns)
            .map(|(value, column)| match value {
                Some(v) => Ok(v),
                None if column.dropped => Ok(TypedExpr::Const {
                    value: Datum::Null,
                    type_oid: tusk_types::type_oid::UNKNOWN,
                    typmod: -1,
                    location: usize::MAX,
                }),
                None => self.relation_default(base, column),
            })
            .collect()
    }

    /// The default of `column` of `relation` for a row written to it: a view column's
    /// own default, else (views) the marker of the base default, else (tables) the
    /// column's default.
    pub(super) fn relation_default(
        &mut self,
        relation: &RelationInfo,
        column: &ColumnInfo,
    ) -> Result<TypedExpr> {
        if relation.kind == b'v' && column.default.is_none() {
            return Ok(base_default_marker(column));
        }
        self.column_default(column)
    }
}

/// PostgreSQL's "cannot insert into view" error with the reason the view is not
/// automatically updatable.
pub(super) fn view_not_updatable(name: &str, command: ModifyCommand, reason: &str) -> Error {
    let (verb, hint) = match command {
        ModifyCommand::Insert => ("insert into", "inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional ON INSERT DO INSTEAD rule."),
        ModifyCommand::Update => ("update", "updating the view, provide an INSTEAD OF UPDATE trigger or an unconditional ON UPDATE DO INSTEAD rule."),
        ModifyCommand::Delete => ("delete from", "deleting from the view, provide an INSTEAD OF DELETE trigger or an unconditional ON DELETE DO INSTEAD rule."),
        // MERGE refuses views before any rewriting (`dml/merge.rs`).
        ModifyCommand::Merge => ("merge into", ""),
    };
    Error::new(
        SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE,
        format!("cannot {verb} view \"{name}\""),
    )
    .detail(reason)
    .hint(format!("To enable {hint}"))
}

fn and(a: Option<TypedExpr>, b: Option<TypedExpr>) -> Option<TypedExpr> {
    match (a, b) {
        (Some(a), Some(b)) => Some(TypedExpr::And(vec![b, a])),
        (a, b) => a.or(b),
    }
}

/// `e` over a view's row turned into the same expression over its base row: each
/// reference to view column `i` (directly, or from a subquery) becomes `columns[i]`.
pub(super) fn substitute(e: TypedExpr, columns: &[TypedExpr]) -> TypedExpr {
    substitute_at(e, columns, 0)
}

/// [`substitute`] for `e` standing `depth` query levels below the view's row.
pub(super) fn substitute_at(e: TypedExpr, columns: &[TypedExpr], depth: usize) -> TypedExpr {
    map_expr_deep(e, depth, &mut |node, depth| match node {
        TypedExpr::Column { index, .. } if depth == 0 => columns[index].clone(),
        TypedExpr::OuterColumn {
            levels_up, index, ..
        } if levels_up == depth => lift(columns[index].clone(), depth),
        other => other,
    })
}

/// An expression over the base row with every reference to that row moved `by` columns
/// right (onto the second half of a row that holds two base rows).
fn shift_columns(e: TypedExpr, by: usize) -> TypedExpr {
    remap_columns(e, &|index| index + by)
}

/// An expression over the base row moved `levels` query levels down (into a subquery):
/// its references to the base row become outer references.
fn lift(e: TypedExpr, levels: usize) -> TypedExpr {
    if levels == 0 {
        return e;
    }
    map_expr_deep(e, 0, &mut |node, depth| match node {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } if depth == 0 => TypedExpr::OuterColumn {
            levels_up: levels,
            index,
            type_oid,
            typmod,
            location,
        },
        TypedExpr::OuterColumn {
            levels_up,
            index,
            type_oid,
            typmod,
            location,
        } if levels_up >= depth && depth > 0 => TypedExpr::OuterColumn {
            levels_up: levels_up + levels,
            index,
            type_oid,
            typmod,
            location,
        },
        other => other,
    })
}
