//! `INSERT ... ON CONFLICT` analysis (PostgreSQL's `transformOnConflictClause`): the
//! conflict arbiter as written (inference columns, a constraint name, or none), and for
//! DO UPDATE the new row and WHERE over the existing row followed by the proposed row,
//! which expressions reach as `excluded`.
//!
//! ```text
//!  input row of DO UPDATE:  [ existing row (attnum order) | excluded row (attnum order) ]
//!                             0 .. n                        n .. 2n
//! ```
//!
//! Both the target and `excluded` are visible to unqualified references, so a column
//! name both have is ambiguous unless qualified, as in PostgreSQL. Which unique indexes
//! the arbiter names is decided when the statement runs (the executor asks its table
//! access), where 42P10 is reported.
//!
//! Entry point: `Analyzer::analyze_on_conflict`.

use tusk_types::{pg_err, Result};

use super::{expr_start, relation_scope, Target};
use crate::analyze::expr::{Scope, ScopeColumn, ScopeItem};
use crate::analyze::typed::TypedExpr;
use crate::analyze::{Analyzer, RelationInfo};
use crate::ast::{Expr, InsertValue, OnConflict};

/// Which unique indexes decide that a proposed row conflicts.
#[derive(Debug, Clone, PartialEq)]
pub enum ConflictArbiter {
    /// No target (DO NOTHING only): every unique index.
    Any,
    /// `ON CONFLICT (a, b)`: the unique indexes on exactly these columns (attnums),
    /// partial ones left out.
    Columns(Vec<i16>),
    /// `ON CONFLICT (a, lower(b)) [WHERE predicate]`: the unique indexes whose columns
    /// are exactly these columns and expressions (over the target's row), partial ones
    /// only when the predicate implies theirs (PostgreSQL's `infer_arbiter_indexes`).
    Inferred {
        /// Plain columns (attnums).
        attnums: Vec<i16>,
        /// Expressions.
        exprs: Vec<TypedExpr>,
        /// The inference predicate.
        predicate: Option<TypedExpr>,
    },
    /// `ON CONFLICT ON CONSTRAINT name`.
    Constraint(String),
}

/// An analysed `ON CONFLICT` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct OnConflictClause {
    /// The arbiter.
    pub arbiter: ConflictArbiter,
    /// `DO UPDATE` (`None`: DO NOTHING).
    pub update: Option<ConflictUpdate>,
}

/// `DO UPDATE SET ... [WHERE ...]`, over the existing row followed by the proposed row.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictUpdate {
    /// The new row, one expression per attribute.
    pub row: Vec<TypedExpr>,
    /// WHERE.
    pub filter: Option<TypedExpr>,
}

/// The scope of DO UPDATE: the target's row, then `excluded`'s.
fn conflict_scope(relation: &RelationInfo, visible_name: &str) -> Scope {
    let mut scope = relation_scope(relation, visible_name);
    let n = relation.columns.len();
    let columns = relation
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let shown = if c.dropped {
                String::new()
            } else {
                c.name.clone()
            };
            ScopeColumn::slot(shown, n + i, c.type_oid, c.typmod)
        })
        .collect();
    scope.items.push(ScopeItem {
        name: Some("excluded".into()),
        columns,
        rel_visible: true,
        cols_visible: true,
        relation: None,
        system_columns: Vec::new(),
        nullable: false,
        primary_key: Vec::new(),
        kind: crate::analyze::row_mark::ItemKind::Other,
    });
    scope
}

impl Analyzer<'_> {
    /// Analyses `ON CONFLICT` of an INSERT into `target`.
    ///
    /// Errors: 42601 `ON CONFLICT DO UPDATE requires inference specification or
    /// constraint name`; 42703 for an unknown inference or SET column; 42702 for an
    /// ambiguous column reference; assignment errors as
    /// UPDATE's.
    pub(super) fn analyze_on_conflict(
        &mut self,
        clause: &OnConflict,
        target: &Target,
    ) -> Result<OnConflictClause> {
        let relation = target.relation.clone();
        let arbiter = if let Some(name) = &clause.constraint {
            ConflictArbiter::Constraint(name.clone())
        } else if !clause.target.is_empty() {
            let mut attnums = Vec::with_capacity(clause.target.len());
            let mut exprs = Vec::new();
            let scope = relation_scope(&relation, &target.visible_name);
            for e in &clause.target {
                let Expr::Column(fields, location) = e else {
                    exprs.push(self.analyze_expr(e, &scope)?);
                    continue;
                };
                let name = fields.last().cloned().unwrap_or_default();
                let Some((index, _)) = relation.live_columns().find(|(_, c)| c.name == name) else {
                    return Err(self.at(
                        pg_err!(UNDEFINED_COLUMN, "column \"{}\" does not exist", name),
                        *location,
                    ));
                };
                attnums.push(index as i16 + 1);
            }
            let predicate = match &clause.infer_where {
                Some(p) => {
                    let typed = self.analyze_expr(p, &scope)?;
                    Some(self.coerce_to_boolean(typed, "WHERE", expr_start(p))?)
                }
                None => None,
            };
            if exprs.is_empty() && predicate.is_none() {
                ConflictArbiter::Columns(attnums)
            } else {
                ConflictArbiter::Inferred {
                    attnums,
                    exprs,
                    predicate,
                }
            }
        } else {
            ConflictArbiter::Any
        };
        if !clause.do_update {
            return Ok(OnConflictClause {
                arbiter,
                update: None,
            });
        }
        if arbiter == ConflictArbiter::Any {
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "ON CONFLICT DO UPDATE requires inference specification or constraint name"
                )
                .hint("For example, ON CONFLICT (column_name)."),
                clause.location,
            ));
        }
        let scoped = Target {
            relation: relation.clone(),
            visible_name: target.visible_name.clone(),
            alias: target.alias.clone(),
            scope: conflict_scope(&relation, &target.visible_name),
        };
        let mut row: Vec<Option<TypedExpr>> = vec![None; relation.columns.len()];
        // Whether each attribute's assignment so far had subscripts or fields throughout.
        let mut partial = vec![true; relation.columns.len()];
        for set in &clause.assignments {
            let (index, column) = self.target_column(&relation, &set.column, set.location)?;
            let composes = partial[index] && !set.indirection.is_empty();
            if row[index].is_some() && !composes {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "multiple assignments to same column \"{}\"",
                    column.name
                ));
            }
            let prior = row[index].take();
            let value = self.set_item_value(&scoped, index, column, set, prior)?;
            if matches!(set.value, InsertValue::Expr(_)) && column.generated {
                return Err(crate::analyze::generated_update_error(&column.name));
            }
            partial[index] &= !set.indirection.is_empty();
            row[index] = Some(value);
        }
        let row = row
            .into_iter()
            .zip(&relation.columns)
            .enumerate()
            .map(|(index, (value, column))| match value {
                Some(v) => v,
                None => TypedExpr::Column {
                    index,
                    type_oid: column.type_oid,
                    typmod: column.typmod,
                    location: usize::MAX,
                },
            })
            .collect();
        let filter = self.where_filter(&clause.where_clause, &scoped)?;
        Ok(OnConflictClause {
            arbiter,
            update: Some(ConflictUpdate { row, filter }),
        })
    }
}
