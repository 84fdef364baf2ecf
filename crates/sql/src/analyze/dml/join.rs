//! `UPDATE ... FROM` and `DELETE ... USING`: the target joined with other FROM items
//! (PostgreSQL's `transformUpdateStmt` / `transformDeleteStmt` with a FROM list).
//!
//! ```text
//!  row the expressions see:  [ target attributes | target system columns | FROM items' slots ]
//!                              0 .. n              n .. n + 6              n + 6 ..
//! ```
//!
//! Invariants:
//! 1. The target always carries its system columns here, so slot `n` is its `ctid`: the
//!    executor finds the row to change through it ([`ModifyQuery::join`]).
//! 2. SET, WHERE and RETURNING are analysed over the whole row; the join query's WHERE
//!    is the statement's WHERE, so the planner may place its conjuncts at scans and joins.
//! 3. `RETURNING *` expands over every item, as PostgreSQL's does; for UPDATE the target
//!    part is the new row.
//!
//! Entry points: `Analyzer::join_target`, `Analyzer::join_query`,
//! `Analyzer::join_returning`.
//!
//! [`ModifyQuery::join`]: super::ModifyQuery::join

use tusk_types::{type_oid, Result};

use super::Target;
use crate::analyze::expr::ScopeColumn;
use crate::analyze::select::{FromSource, OutputColumn, Query};
use crate::analyze::system_columns::SYSTEM_COLUMNS;
use crate::analyze::typed::TypedExpr;
use crate::analyze::Analyzer;
use crate::ast::{Expr, FromItem, ResTarget, SelectStmt};

/// The target joined with the FROM items: the join's rows and how wide they are.
pub(super) struct TargetJoin {
    /// Target cross-joined with the FROM items (WHERE is applied by the join query).
    pub(super) source: FromSource,
    /// Slots of its rows.
    pub(super) width: usize,
}

impl Analyzer<'_> {
    /// Widens `target`'s scope with `items` (after the target's attributes and system
    /// columns, invariant 1) and returns the join. `where_clause` lets partitioned FROM
    /// items be pruned as in a SELECT.
    ///
    /// Errors: those of FROM analysis; 42712 `table name "t" specified more than once`
    /// when an item takes the target's name.
    pub(super) fn join_target(
        &mut self,
        target: &mut Target,
        items: &[FromItem],
        where_clause: &Option<Expr>,
    ) -> Result<TargetJoin> {
        let relation = &target.relation;
        let base = relation.columns.len();
        let mut item = target.scope.items[0].clone();
        // Dropped attributes keep their slots but are no columns of the item (`*`).
        item.columns.retain(|c| !c.name.is_empty());
        item.system_columns = SYSTEM_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| ScopeColumn::slot(c.name.to_string(), base + i, c.type_oid, -1))
            .collect();
        let width = base + SYSTEM_COLUMNS.len();
        let first = FromSource::Relation {
            oid: relation.oid,
            width,
        };
        let saved = std::mem::replace(&mut self.prune_filter, where_clause.clone());
        let joined = self.analyze_from_after(Some((first, item, width)), items, None);
        self.prune_filter = saved;
        let (source, scope, width) = joined?;
        target.scope = scope;
        Ok(TargetJoin {
            source: source.expect("the target is the first item"),
            width,
        })
    }

    /// The query that finds the target rows of a joined UPDATE or DELETE: the join's
    /// rows passing `filter`, every slot as an output column.
    pub(super) fn join_query(
        &self,
        join: TargetJoin,
        target: &Target,
        filter: Option<TypedExpr>,
    ) -> Query {
        // Slot types from the namespace; slots no column names (dropped attributes)
        // are passed through untyped.
        let mut types = vec![(type_oid::UNKNOWN, -1); join.width];
        for item in &target.scope.items {
            for c in item.columns.iter().chain(&item.system_columns) {
                if let TypedExpr::Column { index, .. } = c.expr {
                    if let Some(slot) = types.get_mut(index) {
                        *slot = (c.expr.type_oid(), c.expr.typmod());
                    }
                }
            }
        }
        let columns = types
            .iter()
            .map(|&(type_oid, typmod)| OutputColumn {
                name: "?column?".into(),
                type_oid,
                typmod,
            })
            .collect();
        Query {
            modifying: Vec::new(),
            columns,
            source: join.source,
            filter,
            aggregation: None,
            windows: Vec::new(),
            targets: TypedExpr::column_refs(types),
            sort: Vec::new(),
            distinct: None,
            limit: None,
            offset: None,
            target_locations: Vec::new(),
            row_marks: Vec::new(),
        }
    }

    /// The RETURNING list of a joined UPDATE or DELETE, over the whole row (invariant 3).
    pub(super) fn join_returning(
        &mut self,
        list: &[ResTarget],
        target: &Target,
    ) -> Result<(Vec<TypedExpr>, Vec<OutputColumn>)> {
        let stmt = SelectStmt {
            targets: list.to_vec(),
            ..SelectStmt::default()
        };
        let (columns, exprs, _) = self.target_list(&stmt, &target.scope, false)?;
        Ok((exprs, columns))
    }
}
