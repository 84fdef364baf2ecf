//! Stored generated columns (`GENERATED ALWAYS AS (expr) STORED`, PostgreSQL's
//! `attgenerated = 's'`): the generation expression is kept as SQL text in `pg_attrdef`
//! like a default, but it is computed over each new row instead of filling a missing
//! value.
//!
//! Rules:
//! 1. A generation expression may read the row's ordinary columns and `tableoid`; not
//!    other generated columns, the whole row, other system columns, subqueries,
//!    aggregates, window or set-returning functions (checked when the column is
//!    defined: [`Analyzer::analyze_generation_expression`]). It must be immutable, which
//!    the caller checks against the functions' catalog rows.
//! 2. INSERT and UPDATE never take a value for a generated column other than DEFAULT
//!    (428C9, PostgreSQL's `rewriteTargetListIU`); the new row carries NULL there until
//!    the executor computes every generated column over it, after BEFORE ROW triggers
//!    and before the constraint checks (`ModifyQuery::generated`).
//!
//! Entry points: [`Analyzer::analyze_generation_expression`],
//! [`Analyzer::generated_columns`], [`generated_insert_error`],
//! [`generated_update_error`].

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::aggregate::{first_aggregate, first_window};
use super::coerce::CoercionContext;
use super::expr::{Scope, ScopeColumn};
use super::system_columns::SYSTEM_COLUMNS;
use super::typed::TypedExpr;
use super::walk::map_expr_deep;
use super::{Analyzer, ColumnInfo, RelationInfo};
use crate::ast::Expr;

/// One column of the table a generation expression is defined on.
#[derive(Debug, Clone)]
pub struct GenerationColumn {
    /// `attname`.
    pub name: String,
    /// `atttypid`.
    pub type_oid: Oid,
    /// `atttypmod`.
    pub typmod: i32,
    /// Whether it is a generated column itself.
    pub generated: bool,
}

impl GenerationColumn {
    /// The column as the relation describes it (a dropped column has no name, so no
    /// expression can reference it).
    pub fn of(c: &super::ColumnInfo) -> GenerationColumn {
        GenerationColumn {
            name: if c.dropped {
                String::new()
            } else {
                c.name.clone()
            },
            type_oid: c.type_oid,
            typmod: c.typmod,
            generated: c.generated,
        }
    }
}

/// 428C9 for an INSERT giving a generated column a value (rule 2).
pub fn generated_insert_error(column: &str) -> Error {
    pg_err!(
        GENERATED_ALWAYS,
        "cannot insert a non-DEFAULT value into column \"{}\"",
        column
    )
    .detail(format!("Column \"{column}\" is a generated column."))
}

/// 428C9 for an UPDATE setting a generated column to anything but DEFAULT (rule 2).
pub fn generated_update_error(column: &str) -> Error {
    pg_err!(
        GENERATED_ALWAYS,
        "column \"{}\" can only be updated to DEFAULT",
        column
    )
    .detail(format!("Column \"{column}\" is a generated column."))
}

/// The table's columns and system columns as a generation expression sees them.
fn generation_scope(table: &str, columns: &[GenerationColumn]) -> Scope {
    let slots = columns
        .iter()
        .enumerate()
        .map(|(i, c)| ScopeColumn::slot(c.name.clone(), i, c.type_oid, c.typmod))
        .collect();
    let mut scope = Scope::single(Some(table.to_string()), slots);
    scope.items[0].system_columns = SYSTEM_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| ScopeColumn::slot(c.name.to_string(), columns.len() + i, c.type_oid, -1))
        .collect();
    scope
}

/// The slot of `tableoid` in a [`generation_scope`] of `width` columns.
fn tableoid_slot(width: usize) -> usize {
    width
        + SYSTEM_COLUMNS
            .iter()
            .position(|c| c.name == "tableoid")
            .expect("tableoid is a system column")
}

/// Whether `args` (with field `names`) are a whole-row reference to `columns` rather than
/// a row constructor: every column in order, all from one reference.
fn is_whole_row(args: &[TypedExpr], names: &[String], columns: &[GenerationColumn]) -> bool {
    let mut location = None;
    args.len() == columns.len()
        && names.iter().zip(columns).all(|(n, c)| *n == c.name)
        && args.iter().enumerate().all(|(i, a)| match a {
            TypedExpr::Column {
                index,
                location: at,
                ..
            } if *index == i => *location.get_or_insert(*at) == *at,
            _ => false,
        })
}

impl Analyzer<'_> {
    /// Analyses the generation expression `raw` of a column of type `type_oid`/`typmod`
    /// of table `table` with `columns`, checks it (rule 1, except immutability) and
    /// coerces it to the column's type.
    ///
    /// Errors: 42P17 `cannot use generated column "b" in column generation expression`
    /// (DETAIL), `cannot use system column "xmin" ...`, `cannot use whole-row variable
    /// ...`; 0A000 subqueries and set-returning functions; 42803 aggregates; 42P20 window
    /// functions; 42804 when the value cannot be assigned to the column; analysis errors.
    pub fn analyze_generation_expression(
        &mut self,
        raw: &Expr,
        table: &str,
        columns: &[GenerationColumn],
        column: &GenerationColumn,
    ) -> Result<TypedExpr> {
        if let Expr::SubLink { location, .. } = raw {
            return Err(self.at(
                pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "cannot use subquery in column generation expression"
                ),
                *location,
            ));
        }
        let scope = generation_scope(table, columns);
        let typed = self.analyze_expr(raw, &scope)?;
        if let Some(at) = first_aggregate(&typed) {
            return Err(self.at(
                pg_err!(
                    GROUPING_ERROR,
                    "aggregate functions are not allowed in column generation expressions"
                ),
                at,
            ));
        }
        if let Some(at) = first_window(&typed) {
            return Err(self.at(
                pg_err!(
                    WINDOWING_ERROR,
                    "window functions are not allowed in column generation expressions"
                ),
                at,
            ));
        }
        let width = columns.len();
        // A whole-row reference first: its columns would otherwise count as references
        // to each generated column.
        let mut whole_row: Option<usize> = None;
        map_expr_deep(typed.clone(), 0, &mut |node, _| {
            if let TypedExpr::Row { args, names, .. } = &node {
                if whole_row.is_none() && is_whole_row(args, names, columns) {
                    whole_row = Some(match args.first() {
                        Some(TypedExpr::Column { location, .. }) => *location,
                        _ => usize::MAX,
                    });
                }
            }
            node
        });
        if let Some(at) = whole_row {
            return Err(self.at(
                pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "cannot use whole-row variable in column generation expression"
                )
                .detail("This would cause the generated column to depend on its own value."),
                at,
            ));
        }
        let mut failure: Option<(Error, usize)> = None;
        let mut fail = |e: Error, at: usize| {
            if failure.is_none() {
                failure = Some((e, at));
            }
        };
        map_expr_deep(typed.clone(), 0, &mut |node, _| {
            match &node {
                TypedExpr::SubLink { .. } => fail(
                    pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "cannot use subquery in column generation expression"
                    ),
                    usize::MAX,
                ),
                TypedExpr::Func { retset: true, .. } => fail(
                    pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "set-returning functions are not allowed in column generation expressions"
                    ),
                    match raw {
                        Expr::Func { location, .. } => *location,
                        _ => usize::MAX,
                    },
                ),
                TypedExpr::Column {
                    index, location, ..
                } => {
                    if let Some(c) = columns.get(*index).filter(|c| c.generated) {
                        fail(
                            pg_err!(
                                INVALID_OBJECT_DEFINITION,
                                "cannot use generated column \"{}\" in column generation expression",
                                c.name
                            )
                            .detail("A generated column cannot reference another generated column."),
                            *location,
                        );
                    } else if *index >= width && *index != tableoid_slot(width) {
                        fail(
                            pg_err!(
                                INVALID_OBJECT_DEFINITION,
                                "cannot use system column \"{}\" in column generation expression",
                                SYSTEM_COLUMNS[*index - width].name
                            ),
                            *location,
                        );
                    }
                }
                _ => {}
            }
            node
        });
        if let Some((e, at)) = failure {
            return Err(self.at(e, at));
        }
        let found = typed.type_oid();
        if !self.can_coerce(found, column.type_oid, CoercionContext::Assignment) {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "column \"{}\" is of type {} but default expression is of type {}",
                    column.name,
                    self.catalog.format_type(column.type_oid),
                    self.catalog.format_type(found)
                )
                .hint("You will need to rewrite or cast the expression."),
                raw.location(),
            ));
        }
        self.coerce(
            typed,
            column.type_oid,
            column.typmod,
            CoercionContext::Assignment,
            raw.location(),
        )
    }

    /// The generated columns of `relation` with their expressions over its row (rule 2),
    /// `tableoid` replaced by the relation's OID.
    ///
    /// Errors: analysis errors of the stored expressions (without positions).
    pub(super) fn generated_columns(
        &mut self,
        relation: &RelationInfo,
    ) -> Result<Vec<(usize, TypedExpr)>> {
        if !relation.columns.iter().any(|c| c.generated && !c.dropped) {
            return Ok(Vec::new());
        }
        let columns: Vec<GenerationColumn> =
            relation.columns.iter().map(GenerationColumn::of).collect();
        let width = columns.len();
        let mut out = Vec::new();
        for (index, column) in relation.live_columns() {
            if !column.generated {
                continue;
            }
            let Some(text) = &column.default else {
                continue;
            };
            let parsed = crate::parse_expr(text).map_err(without_position)?;
            let mut inner = Analyzer::new(self.catalog, "", Vec::new());
            let typed = inner
                .analyze_expr(&parsed, &generation_scope(&relation.name, &columns))
                .and_then(|e| inner.assign_generated(e, column))
                .map_err(without_position)?;
            let oid = relation.oid;
            let typed = map_expr_deep(typed, 0, &mut |node, _| match node {
                TypedExpr::Column { index, .. } if index == tableoid_slot(width) => {
                    TypedExpr::Const {
                        value: Datum::Oid(oid.0),
                        type_oid: type_oid::OID,
                        typmod: -1,
                        location: usize::MAX,
                    }
                }
                other => other,
            });
            out.push((index, typed));
        }
        Ok(out)
    }

    fn assign_generated(&mut self, e: TypedExpr, column: &ColumnInfo) -> Result<TypedExpr> {
        self.coerce(
            e,
            column.type_oid,
            column.typmod,
            CoercionContext::Assignment,
            usize::MAX,
        )
    }
}

fn without_position(mut e: Error) -> Error {
    e.position = None;
    e
}
