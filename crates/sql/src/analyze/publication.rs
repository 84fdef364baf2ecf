//! Publication row filters (`CREATE | ALTER PUBLICATION ... TABLE t WHERE (expr)`):
//! analysed over the table's row as PostgreSQL's `transformWhereClause` with
//! `EXPR_KIND_WHERE` and the construct name `PUBLICATION WHERE` does, with the table's
//! system columns in scope so a reference to one reaches the engine's check
//! ("System columns are not allowed").
//!
//! Entry point: [`Analyzer::analyze_publication_filter`]. The rules on what the
//! expression may contain (PostgreSQL's `check_simple_rowfilter_expr`) need the
//! catalogs' function and type facts and are the engine's
//! (`session/publication_filter.rs`).

use tusk_types::Result;

use super::dml::{expr_start, relation_scope};
use super::expr::ScopeColumn;
use super::system_columns::SYSTEM_COLUMNS;
use super::{Analyzer, RelationInfo, TypedExpr};
use crate::ast::Expr;

impl Analyzer<'_> {
    /// Row filter `raw` of table `info`, as a boolean expression over the table's row
    /// (attributes, then the system columns of `SYSTEM_COLUMNS` at the slots after them).
    ///
    /// Errors: expression errors; 42803 `aggregate functions are not allowed in WHERE`
    /// (and window functions, grouping operations); 42804 `argument of PUBLICATION WHERE
    /// must be type boolean, not type x`.
    pub fn analyze_publication_filter(
        &mut self,
        info: &RelationInfo,
        raw: &Expr,
    ) -> Result<TypedExpr> {
        let mut scope = relation_scope(info, &info.name);
        let base = info.columns.len();
        scope.items[0].system_columns = SYSTEM_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| ScopeColumn::slot(c.name.to_string(), base + i, c.type_oid, -1))
            .collect();
        let e = self.analyze_expr(raw, &scope)?;
        self.refuse_in_where(&e)?;
        self.coerce_to_boolean(e, "PUBLICATION WHERE", expr_start(raw))
    }
}
