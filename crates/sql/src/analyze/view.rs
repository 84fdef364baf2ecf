//! Views in FROM: a relation of kind `v` is replaced by its stored query as a subquery
//! named after the view, whose columns carry the view's column names (what PostgreSQL's
//! rewriter does with a view's `_RETURN` rule). Views over views expand in turn.
//!
//! Invariants: a view's stored query is SQL text whose relations are schema-qualified
//! (see [`crate::view_query`]), so it means the same whatever `search_path` the using
//! statement runs with; an error inside it has no position in the user's statement.
//!
//! Entry point: `Analyzer::expand_view` (called by `range_entry` in `from.rs`).

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
                INVALID_RECURSION,
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
        self.expanding_views.push(info.oid);
        let part = self.range_entry(&expanded, offset, outer, None);
        self.expanding_views.pop();
        self.sql = sql;
        part.map_err(|mut e| {
            e.position = None;
            e
        })
    }
}
