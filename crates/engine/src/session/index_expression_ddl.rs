//! The expressions and predicates of CREATE INDEX (PostgreSQL's `ComputeIndexAttrs`,
//! `CheckMutability`, `ChooseIndexColumnNames`): analysed over the table's row, checked
//! (immutable, no subqueries, aggregates, window or set-returning functions), stored as
//! SQL text in `pg_index.indexprs` / `indpred` and analysed again from that text when the
//! index is opened (`index_expressions.rs` rule 2).
//!
//! Entry points: [`analyze_index_expression`], [`stored_index_expressions`],
//! [`index_column_names`], [`column_texts`], [`expression_list_text`].

use tusk_catalog::Volatility;
use tusk_executor::deparse::expression_text;
use tusk_executor::{BuiltinLookup, OutputSettings};
use tusk_sql::analyze::walk::map_expr_deep;
use tusk_sql::analyze::{figure_index_colname, Analyzer, CastKind, TypedExpr};
use tusk_sql::ast::Expr;
use tusk_types::{pg_err, Error, Oid, Result, SqlState};

use super::alter_rewrite::table_scope;
use super::lookup::SessionLookup;
use crate::relcache::{CatalogReader, RelEntry};

/// Which part of an index an expression is (their error texts differ).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexExprKind {
    /// A key column's expression.
    Column,
    /// The WHERE predicate.
    Predicate,
    /// A partition key expression (`PARTITION BY RANGE ((a + 1))`).
    PartitionKey,
}

/// The table's columns as expressions print them (quoted as needed).
pub(crate) fn column_texts(table: &RelEntry) -> Vec<String> {
    table
        .info
        .columns
        .iter()
        .map(|c| tusk_sql::quote_identifier(&c.name))
        .collect()
}

/// The stored text of index expressions: each in ruleutils' plain form, joined by `, `.
pub(crate) fn expression_list_text(exprs: &[TypedExpr], table: &RelEntry) -> String {
    let columns = column_texts(table);
    exprs
        .iter()
        .map(|e| expression_text(e, &columns, false))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Analyses `expr` over `table`'s row as an index expression or predicate and checks it
/// (rule 1 of `index_expressions.rs`); a predicate is coerced to boolean.
///
/// Errors: 42P17 `functions in index expression must be marked IMMUTABLE` (or `index
/// predicate`); 0A000 `cannot use subquery in index expression`, set-returning functions,
/// user-defined functions (tusk evaluates index expressions without a session); 42803
/// aggregates; 42P20 window functions; 42804 for a predicate that is not boolean;
/// analysis errors.
pub(crate) fn analyze_index_expression(
    reader: &CatalogReader<'_>,
    output: &OutputSettings,
    table: &RelEntry,
    expr: &Expr,
    kind: IndexExprKind,
) -> Result<TypedExpr> {
    analyze_row_expression(reader, output, &table_scope(table), expr, kind)
}

/// [`analyze_index_expression`] over a row described by `scope` (a table being
/// created has no relation entry yet).
pub(crate) fn analyze_row_expression(
    reader: &CatalogReader<'_>,
    output: &OutputSettings,
    scope: &tusk_sql::analyze::Scope,
    expr: &Expr,
    kind: IndexExprKind,
) -> Result<TypedExpr> {
    let lookup = SessionLookup {
        builtin: BuiltinLookup { settings: output },
        catalog: reader,
    };
    let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
    let typed = analyzer.analyze_expr(expr, scope).map_err(|e| Error {
        position: None,
        ..e
    })?;
    let typed = match kind {
        IndexExprKind::Column | IndexExprKind::PartitionKey => typed,
        IndexExprKind::Predicate => analyzer.coerce_to_boolean(typed, "WHERE", usize::MAX)?,
    };
    check_index_expression(reader, &typed, kind)?;
    Ok(typed)
}

/// The checks of rule 1.
fn check_index_expression(
    reader: &CatalogReader<'_>,
    e: &TypedExpr,
    kind: IndexExprKind,
) -> Result<()> {
    let (noun, plural) = match kind {
        IndexExprKind::Column => ("index expression", "index expressions"),
        IndexExprKind::Predicate => ("index predicate", "index predicates"),
        IndexExprKind::PartitionKey => ("partition key expression", "partition key expressions"),
    };
    let mut failure: Option<Error> = None;
    let mut procs: Vec<Oid> = Vec::new();
    let mut mutable = false;
    map_expr_deep(e.clone(), 0, &mut |node, _| {
        let error = match &node {
            TypedExpr::SubLink { .. } => Some(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot use subquery in {}",
                noun
            )),
            TypedExpr::Aggregate(_) => Some(pg_err!(
                GROUPING_ERROR,
                "aggregate functions are not allowed in {}",
                plural
            )),
            TypedExpr::Window(_) => Some(pg_err!(
                WINDOWING_ERROR,
                "window functions are not allowed in {}",
                plural
            )),
            TypedExpr::Func { retset: true, .. } => Some(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "set-returning functions are not allowed in {}",
                plural
            )),
            _ => None,
        };
        if failure.is_none() {
            failure = error;
        }
        match &node {
            TypedExpr::Func { proc, .. }
            | TypedExpr::Cast {
                kind: CastKind::Func(proc),
                ..
            } => procs.push(*proc),
            TypedExpr::SqlValue { .. } | TypedExpr::Param { .. } => mutable = true,
            _ => {}
        }
        node
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let mut user_defined = false;
    for proc in procs {
        match tusk_catalog::builtin().proc_by_oid(proc) {
            Some(p) => mutable |= p.volatility != Volatility::Immutable,
            None => match super::function_catalog::user_function(reader, proc)? {
                Some(f) => {
                    mutable |= f.volatility != b'i';
                    user_defined = true;
                }
                None => mutable = true,
            },
        }
    }
    if mutable {
        return Err(Error::new(
            SqlState::INVALID_OBJECT_DEFINITION,
            format!("functions in {noun} must be marked IMMUTABLE"),
        ));
    }
    if user_defined {
        return Err(Error::feature_not_supported(format!(
            "user-defined functions in {plural}"
        )));
    }
    Ok(())
}

/// The expressions and predicate of an index as stored (`indexprs`, `indpred`; empty
/// text for none), analysed again over `table`'s row.
///
/// Errors: analysis errors (a function or column since dropped or renamed).
pub(crate) fn stored_index_expressions(
    reader: &CatalogReader<'_>,
    table: &RelEntry,
    indexprs: &str,
    indpred: &str,
) -> Result<(Vec<TypedExpr>, Option<TypedExpr>)> {
    let output = OutputSettings::default();
    let lookup = SessionLookup {
        builtin: BuiltinLookup { settings: &output },
        catalog: reader,
    };
    let scope = table_scope(table);
    let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
    let mut exprs = Vec::new();
    for text in tusk_sql::split_expr_list(indexprs) {
        let raw = tusk_sql::parse_expr(text)?;
        exprs.push(analyzer.analyze_expr(&raw, &scope)?);
    }
    let predicate = if indpred.trim().is_empty() {
        None
    } else {
        let raw = tusk_sql::parse_expr(indpred)?;
        let typed = analyzer.analyze_expr(&raw, &scope)?;
        Some(analyzer.coerce_to_boolean(typed, "WHERE", usize::MAX)?)
    };
    Ok((exprs, predicate))
}

/// PostgreSQL's `ChooseIndexColumnNames`: a plain column's name, an expression's
/// `FigureIndexColname` (`lower`) or `expr`, made unique with a number (`expr1`) and cut
/// to 63 bytes.
pub(crate) fn index_column_names(elems: &[(String, Option<&Expr>)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(elems.len());
    for (column, expr) in elems {
        let base = match expr {
            None => column.clone(),
            Some(e) => figure_index_colname(e).unwrap_or_else(|| "expr".into()),
        };
        let mut candidate = truncate(&base, 63);
        let mut n = 0;
        while out.contains(&candidate) {
            n += 1;
            let suffix = n.to_string();
            candidate = format!("{}{suffix}", truncate(&base, 63 - suffix.len()));
        }
        out.push(candidate);
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_column_names_follow_postgres() {
        let lower = tusk_sql::parse_expr("lower(email)").expect("parses");
        let sum = tusk_sql::parse_expr("a + b").expect("parses");
        let diff = tusk_sql::parse_expr("a - b").expect("parses");
        let names = index_column_names(&[
            (String::new(), Some(&sum)),
            (String::new(), Some(&diff)),
            (String::new(), Some(&lower)),
            ("a".into(), None),
        ]);
        assert_eq!(names, vec!["expr", "expr1", "lower", "a"]);
    }
}
