//! Generation expressions of stored generated columns in DDL (PostgreSQL's
//! `cookDefault` for `attgenerated = 's'`): analysed over the table's row by the
//! analyzer (`tusk_sql::analyze::generated` rule 1), checked to be immutable here (the
//! functions' volatility is in the catalogs), and stored in `pg_attrdef.adbin` as
//! ruleutils' plain text, which is what `pg_get_expr` and `information_schema` show.
//!
//! Entry points: [`generation_expression`].

use tusk_catalog::Volatility;
use tusk_executor::deparse::expression_text;
use tusk_sql::analyze::walk::map_expr_deep;
use tusk_sql::analyze::{Analyzer, CastKind, GenerationColumn, TypedExpr};
use tusk_sql::ast::Expr;
use tusk_types::{pg_err, Oid, Result};

use crate::relcache::CatalogReader;

/// The generation expression `raw` of `column` of table `table` with `columns`, after
/// the analyzer's checks and the immutability check, and its stored text. In the
/// expression, `tableoid` is the table's OID (`table_oid`, known once the table is).
///
/// Errors: 42P17 `generation expression is not immutable`; the analyzer's
/// (`Analyzer::analyze_generation_expression`).
pub(crate) fn generation_expression(
    analyzer: &mut Analyzer<'_>,
    reader: &CatalogReader<'_>,
    (raw, raw_text): (&Expr, &str),
    table: &str,
    columns: &[GenerationColumn],
    column: &GenerationColumn,
    table_oid: Oid,
) -> Result<(TypedExpr, String)> {
    let typed = analyzer.analyze_generation_expression(raw, table, columns, column)?;
    if !is_immutable(reader, &typed)? {
        return Err(pg_err!(
            INVALID_OBJECT_DEFINITION,
            "generation expression is not immutable"
        ));
    }
    let names: Vec<String> = columns
        .iter()
        .map(|c| tusk_sql::quote_identifier(&c.name))
        .chain(
            tusk_sql::analyze::system_columns::SYSTEM_COLUMNS
                .iter()
                .map(|c| c.name.to_string()),
        )
        .collect();
    // ruleutils' text names built-in functions only; an expression calling a
    // user-defined one keeps the text it was written as (which names it on the path).
    let text = if calls_user_function(&typed) {
        raw_text.to_string()
    } else {
        expression_text(&typed, &names, false)
    };
    let tableoid = names.iter().position(|n| n == "tableoid");
    let typed = map_expr_deep(typed, 0, &mut |node, _| match node {
        TypedExpr::Column { index, .. } if Some(index) == tableoid => TypedExpr::Const {
            value: tusk_types::Datum::Oid(table_oid.0),
            type_oid: tusk_types::type_oid::OID,
            typmod: -1,
            location: usize::MAX,
        },
        other => other,
    });
    Ok((typed, text))
}

/// Whether every function `e` calls is immutable (PostgreSQL's
/// `contain_mutable_functions` after `expression_planner`); SQL value functions and
/// parameters are not. PostgreSQL inlines the SQL functions behind `anynonarray || text`
/// (`anytextcat`, `textanycat`: `$1::text || $2`) before it looks, so what counts for them
/// is the non-text operand's output function.
fn is_immutable(reader: &CatalogReader<'_>, e: &TypedExpr) -> Result<bool> {
    let mut procs: Vec<Oid> = Vec::new();
    let mut mutable = false;
    map_expr_deep(e.clone(), 0, &mut |node, _| {
        match &node {
            TypedExpr::Func { proc, args, .. } if inlined_text_concatenation(*proc) => {
                for arg in args {
                    match output_function(arg.type_oid()) {
                        Some(out) => procs.push(out),
                        None => mutable = true,
                    }
                }
            }
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
    for proc in procs {
        mutable |= match tusk_catalog::builtin().proc_by_oid(proc) {
            Some(p) => p.volatility != Volatility::Immutable,
            None => match super::function_catalog::user_function(reader, proc)? {
                Some(f) => f.volatility != b'i',
                None => true,
            },
        };
    }
    Ok(!mutable)
}

/// Whether `e` calls a function that is not built in.
fn calls_user_function(e: &TypedExpr) -> bool {
    let mut found = false;
    map_expr_deep(e.clone(), 0, &mut |node, _| {
        if let TypedExpr::Func { proc, .. }
        | TypedExpr::Cast {
            kind: CastKind::Func(proc),
            ..
        } = &node
        {
            found |= tusk_catalog::builtin().proc_by_oid(*proc).is_none();
        }
        node
    });
    found
}

/// `anytextcat` / `textanycat`, the SQL functions PostgreSQL inlines.
fn inlined_text_concatenation(proc: Oid) -> bool {
    tusk_catalog::builtin()
        .proc_by_oid(proc)
        .is_some_and(|p| p.name == "anytextcat" || p.name == "textanycat")
}

/// The output function of built-in type `type_oid` (`<typname>out` or `<typname>_out`);
/// `None` for other types.
fn output_function(type_oid: Oid) -> Option<Oid> {
    let catalog = tusk_catalog::builtin();
    let name = &catalog.type_by_oid(type_oid)?.name;
    [format!("{name}out"), format!("{name}_out")]
        .iter()
        .find_map(|n| catalog.procs_by_name(n).next().map(|p| p.oid))
}
