//! Views in FROM: a relation of kind `v` is replaced by its stored query as a subquery
//! named after the view, whose columns carry the view's column names (what PostgreSQL's
//! rewriter does with a view's `_RETURN` rule). Views over views expand in turn.
//!
//! Invariants: the view shows exactly the columns `pg_attribute` gives it, even when a
//! `*` in its query would now find more; a view's stored query is SQL text whose relations are schema-qualified
//! (see [`crate::view_query`]), so it means the same whatever `search_path` the using
//! statement runs with; an error inside it has no position in the user's statement.
//!
//! Entry points: `Analyzer::expand_view` (called by `range_entry` in `from.rs`),
//! `Analyzer::select_not_updatable_reason` (INSERT/UPDATE/DELETE naming a view, see
//! `view_dml.rs`).

use tusk_types::{pg_err, Result};

use super::expr::Scope;
use super::from::FromPart;
use super::{Analyzer, RelationInfo};
use crate::ast::{Alias, FromItem, RangeVar, Statement};

impl Analyzer<'_> {
    /// Expands view `info`, named by `rv` in FROM, into a subquery range entry.
    ///
    /// Errors: 42P17 `infinite recursion detected in rules for relation "v"` for a view
    /// reached again while it is being expanded; XX000 if the view has no stored query;
    /// any error of analysing the stored query (without a position).
    pub(super) fn expand_view(
        &mut self,
        info: &RelationInfo,
        rv: &RangeVar,
        offset: usize,
        outer: Option<&Scope>,
    ) -> Result<FromPart> {
        if self.expanding_views.contains(&info.oid) {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "infinite recursion detected in rules for relation \"{}\"",
                info.name
            ));
        }
        let text = self.catalog.view_query(info.oid)?.ok_or_else(|| {
            pg_err!(
                INTERNAL_ERROR,
                "could not find the rule of view \"{}\"",
                info.name
            )
        })?;
        let query = match crate::parse(&text)?.pop().map(|s| s.stmt) {
            Some(Statement::Select(q)) => q,
            _ => {
                return Err(pg_err!(
                    INTERNAL_ERROR,
                    "the rule of view \"{}\" is not a query",
                    info.name
                ))
            }
        };
        let view_columns: Vec<String> = info.live_columns().map(|(_, c)| c.name.clone()).collect();
        let view_width = view_columns.len();
        let alias = match &rv.alias {
            Some(a) => {
                let mut columns = a.columns.clone();
                if columns.len() < view_columns.len() {
                    columns.extend(view_columns[columns.len()..].iter().cloned());
                }
                Alias {
                    name: a.name.clone(),
                    columns,
                }
            }
            None => Alias {
                name: info.name.clone(),
                columns: view_columns,
            },
        };
        let expanded = FromItem::Subquery {
            query,
            alias: Some(alias),
            lateral: false,
        };
        // Errors inside the definition have no place in the user's query text.
        let sql = std::mem::take(&mut self.sql);
        let definition_system_columns = self.definition_system_columns;
        self.definition_system_columns |= super::system_columns::mentions_system_column(&text);
        self.expanding_views.push(info.oid);
        let part = self.range_entry(&expanded, offset, outer, None);
        self.expanding_views.pop();
        self.definition_system_columns = definition_system_columns;
        self.sql = sql;
        let mut part = part.map_err(|mut e| {
            e.position = None;
            e
        })?;
        // A view's columns are fixed when it is created: a `*` in its query that now
        // finds more columns (one added to a table it reads) adds none to the view.
        part.columns.truncate(view_width);
        for item in &mut part.items {
            item.columns.truncate(view_width);
        }
        Ok(part)
    }

    /// Why view `info` is not automatically updatable (PostgreSQL's
    /// `view_query_is_auto_updatable` reasons, in its order), or `None` if it would be.
    ///
    /// Errors: errors of reading and analysing the view's query.
    #[cfg(test)]
    pub(super) fn view_not_updatable_reason(
        &self,
        info: &RelationInfo,
    ) -> Result<Option<&'static str>> {
        let Some(text) = self.catalog.view_query(info.oid)? else {
            return Ok(None);
        };
        self.select_not_updatable_reason(&text)
    }

    /// The reasons of [`Analyzer::view_not_updatable_reason`] for a view's query text
    /// (those that need no look at its columns; see `view_dml.rs` for the others).
    ///
    /// Errors: errors of parsing and analysing the query.
    pub(super) fn select_not_updatable_reason(&self, text: &str) -> Result<Option<&'static str>> {
        let Some(Statement::Select(query)) = crate::parse(text)?.pop().map(|s| s.stmt) else {
            return Ok(None);
        };
        let reason = if query.distinct.is_some() {
            "Views containing DISTINCT are not automatically updatable."
        } else if !query.group_by.is_empty() {
            "Views containing GROUP BY are not automatically updatable."
        } else if query.having.is_some() {
            "Views containing HAVING are not automatically updatable."
        } else if query.set_op.is_some() {
            "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable."
        } else if query.with.is_some() {
            "Views containing WITH are not automatically updatable."
        } else if query.limit.is_some() || query.offset.is_some() {
            "Views containing LIMIT or OFFSET are not automatically updatable."
        } else {
            let mut analyzer = Analyzer::new(self.catalog, text, Vec::new());
            analyzer.expanding_views = self.expanding_views.clone();
            let analysed = analyzer.analyze_select(&query)?;
            let single_relation = match query.from.as_slice() {
                [FromItem::Relation(rv)] => self
                    .catalog
                    .relation(rv.schema.as_deref(), &rv.name)?
                    .is_some_and(|r| matches!(r.kind, b'r' | b'v' | b'p' | b'f')),
                _ => false,
            };
            if analysed.aggregation.is_some() {
                "Views that return aggregate functions are not automatically updatable."
            } else if !analysed.windows.is_empty() {
                "Views that return window functions are not automatically updatable."
            } else if !single_relation {
                "Views that do not select from a single table or view are not automatically updatable."
            } else {
                return Ok(None);
            }
        };
        Ok(Some(reason))
    }
}
