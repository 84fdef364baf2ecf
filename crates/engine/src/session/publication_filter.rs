//! Publication row filters in DDL (PostgreSQL's `TransformPubWhereClauses` and
//! `check_simple_rowfilter_expr`): the expression is analysed over the table's row
//! (`Analyzer::analyze_publication_filter`), then checked to be simple, and stored in
//! `pg_publication_rel.prqual` as ruleutils' plain text (what `pg_get_expr` prints).
//!
//! Rules (PostgreSQL 15's, checked node by node from the top, the first failing node
//! reported with 0A000 `invalid publication WHERE expression` at its leftmost location):
//! 1. Allowed nodes: columns, constants, functions and operators, AND/OR/NOT, binary
//!    coercions, CASE, arrays, rows, COALESCE, GREATEST/LEAST, NULLIF, IS [NOT]
//!    DISTINCT FROM, IN lists, NULL and boolean tests. Anything else (subqueries,
//!    I/O coercions, subscripts, SQL value functions, ...) is refused.
//! 2. No system columns, user-defined types, operators or collations, and only
//!    immutable built-in functions.
//!
//! Entry points: [`Session::publication_filter`], [`Session::check_partitioned_filters`],
//! [`filter_columns`].

use tusk_sql::analyze::{Analyzer, CastKind, TypedExpr};
use tusk_sql::ast::Expr;
use tusk_types::{pg_err, Error, Oid, Result};

use super::publication_ddl::PublicationTable;
use super::Session;
use crate::relcache::{CatalogReader, RelEntry};

/// PostgreSQL's `FirstNormalObjectId`.
const FIRST_NORMAL_OBJECT_ID: u32 = 16384;

const ONLY_SIMPLE: &str = "Only columns, constants, built-in operators, built-in data types, built-in collations, and immutable built-in functions are allowed.";

fn invalid(detail: &str, sql: &str, location: Option<usize>) -> Error {
    let mut err = pg_err!(
        FEATURE_NOT_SUPPORTED,
        "invalid publication WHERE expression"
    )
    .detail(detail);
    if let Some(at) = location.filter(|l| *l != usize::MAX) {
        err = err.position(tusk_sql::char_position(sql, at));
    }
    err
}

/// The leftmost location among `e`'s columns and constants.
fn leftmost(e: &TypedExpr) -> Option<usize> {
    let mut best: Option<usize> = None;
    let mut note = |l: usize| {
        if l != usize::MAX {
            best = Some(best.map_or(l, |b: usize| b.min(l)));
        }
    };
    fn visit(e: &TypedExpr, note: &mut dyn FnMut(usize)) {
        match e {
            TypedExpr::Column { location, .. } | TypedExpr::Const { location, .. } => {
                note(*location)
            }
            _ => {}
        }
        let _ = e.clone().map_children(&mut |c| {
            visit(&c, note);
            Ok(c)
        });
    }
    visit(e, &mut note);
    best
}

/// Leftmost location of a written expression (PostgreSQL's `exprLocation`).
fn raw_start(e: &Expr) -> usize {
    match e {
        Expr::Op {
            left: Some(l),
            location,
            ..
        } => raw_start(l).min(*location),
        Expr::Distinct { left, location, .. } => raw_start(left).min(*location),
        Expr::InList { expr, location, .. } | Expr::Between { expr, location, .. } => {
            raw_start(expr).min(*location)
        }
        Expr::Cast { arg, location, .. }
        | Expr::NullTest { arg, location, .. }
        | Expr::BoolTest { arg, location, .. } => raw_start(arg).min(*location),
        Expr::And(args) | Expr::Or(args) => args.first().map(raw_start).unwrap_or(usize::MAX),
        other => other.location(),
    }
}

/// The location of the first call of a function named `name` in `raw`.
fn function_location(raw: &Expr, name: &str) -> Option<usize> {
    let mut found = None;
    raw_walk(raw, &mut |e| {
        if let Expr::Func {
            name: n, location, ..
        } = e
        {
            if found.is_none() && n.last().is_some_and(|l| l.eq_ignore_ascii_case(name)) {
                found = Some(*location);
            }
        }
    });
    found
}

/// Visits `e` and the expressions under it that row filters can contain, top down.
fn raw_walk(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match e {
        Expr::Op { left, right, .. } => {
            if let Some(l) = left {
                raw_walk(l, f);
            }
            raw_walk(right, f);
        }
        Expr::Distinct { left, right, .. } => {
            raw_walk(left, f);
            raw_walk(right, f);
        }
        Expr::NullIf(a, b, _) => {
            raw_walk(a, f);
            raw_walk(b, f);
        }
        Expr::InList { expr, list, .. } => {
            raw_walk(expr, f);
            list.iter().for_each(|x| raw_walk(x, f));
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            raw_walk(expr, f);
            raw_walk(low, f);
            raw_walk(high, f);
        }
        Expr::Row(items, _) | Expr::And(items) | Expr::Or(items) | Expr::Coalesce(items, _) => {
            items.iter().for_each(|x| raw_walk(x, f))
        }
        Expr::Array(items, _) => items.iter().for_each(|x| raw_walk(x, f)),
        Expr::Not(x) => raw_walk(x, f),
        Expr::Func { args, .. } => args.iter().for_each(|x| raw_walk(x, f)),
        Expr::Cast { arg, .. } | Expr::NullTest { arg, .. } | Expr::BoolTest { arg, .. } => {
            raw_walk(arg, f)
        }
        Expr::MinMax { args, .. } => args.iter().for_each(|x| raw_walk(x, f)),
        _ => {}
    }
}

/// Whether `name` is a user-defined object of catalog `catalog_name` (matched on
/// `name_col`).
fn user_defined(
    reader: &CatalogReader<'_>,
    catalog_name: &str,
    name_col: &str,
    name: &str,
) -> Result<bool> {
    let Some(cat) = tusk_catalog::syscat::system_catalog_by_name(catalog_name) else {
        return Ok(false);
    };
    let rows = reader.rows(cat)?;
    Ok(rows.iter().any(|r| {
        matches!(&r[cat.col(name_col)], tusk_types::Datum::Text(t) if t == name)
            && matches!(r[cat.col("oid")], tusk_types::Datum::Oid(o) if o >= FIRST_NORMAL_OBJECT_ID)
    }))
}

/// The user-defined collation an unsupported `COLLATE "name"` names, if it is one.
fn collation_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Unsupported(what, _) => what
            .strip_prefix("COLLATE \"")
            .and_then(|w| w.strip_suffix('"'))
            .map(|n| n.rsplit('.').next().unwrap_or(n)),
        _ => None,
    }
}

/// Rule 2 for what the analyzed tree no longer shows: operators and collations named
/// in the written expression.
fn check_written(reader: &CatalogReader<'_>, raw: &Expr, sql: &str) -> Result<()> {
    let mut failure: Result<()> = Ok(());
    raw_walk(raw, &mut |e| {
        if failure.is_err() {
            return;
        }
        let outcome = (|| -> Result<()> {
            if let Expr::Op {
                name, left, right, ..
            } = e
            {
                if user_defined(reader, "pg_operator", "oprname", name)? {
                    return Err(invalid(
                        "User-defined operators are not allowed.",
                        sql,
                        Some(raw_start(e)),
                    ));
                }
                let operands = left.iter().map(|l| &**l).chain(std::iter::once(&**right));
                for operand in operands {
                    if let Some(c) = collation_name(operand) {
                        if user_defined(reader, "pg_collation", "collname", c)? {
                            return Err(invalid(
                                "User-defined collations are not allowed.",
                                sql,
                                Some(raw_start(e)),
                            ));
                        }
                    }
                }
            }
            if let Some(c) = collation_name(e) {
                if user_defined(reader, "pg_collation", "collname", c)? {
                    return Err(invalid(
                        "User-defined collations are not allowed.",
                        sql,
                        Some(e.location()),
                    ));
                }
            }
            Ok(())
        })();
        if outcome.is_err() {
            failure = outcome;
        }
    });
    failure
}

/// Whether built-in function `proc` is immutable; `None` for a user-defined one.
fn builtin_immutable(proc: Oid) -> Option<bool> {
    tusk_catalog::builtin()
        .proc_by_oid(proc)
        .map(|p| p.volatility == tusk_catalog::Volatility::Immutable)
}

fn proc_name(reader: &CatalogReader<'_>, proc: Oid) -> Result<Option<String>> {
    if let Some(p) = tusk_catalog::builtin().proc_by_oid(proc) {
        return Ok(Some(p.name.clone()));
    }
    Ok(super::function_catalog::user_function(reader, proc)?.map(|f| f.name))
}

/// Rules 1 and 2 over the analysed tree, top down.
fn check_simple(
    reader: &CatalogReader<'_>,
    e: &TypedExpr,
    columns: usize,
    raw: &Expr,
    sql: &str,
) -> Result<()> {
    let location = || leftmost(e).or(Some(raw_start(raw)));
    let mut detail: Option<&str> = None;
    let mut at = None;
    match e {
        TypedExpr::Column {
            index, location: l, ..
        } => {
            if *index >= columns {
                detail = Some("System columns are not allowed.");
                at = Some(*l);
            }
        }
        TypedExpr::Const { .. }
        | TypedExpr::Func { .. }
        | TypedExpr::And(_)
        | TypedExpr::Or(_)
        | TypedExpr::Not(_)
        | TypedExpr::Case { .. }
        | TypedExpr::CaseTest { .. }
        | TypedExpr::Coalesce { .. }
        | TypedExpr::MinMax { .. }
        | TypedExpr::NullIf { .. }
        | TypedExpr::Distinct { .. }
        | TypedExpr::Array { .. }
        | TypedExpr::Row { .. }
        | TypedExpr::ScalarArrayOp { .. }
        | TypedExpr::NullTest { .. }
        | TypedExpr::BoolTest { .. } => {}
        TypedExpr::Cast {
            kind: CastKind::Relabel | CastKind::Func(_),
            ..
        } => {}
        _ => detail = Some(ONLY_SIMPLE),
    }
    if detail.is_none() {
        if e.type_oid().0 >= FIRST_NORMAL_OBJECT_ID {
            detail = Some("User-defined types are not allowed.");
        } else {
            let proc = match e {
                TypedExpr::Func { proc, .. }
                | TypedExpr::Cast {
                    kind: CastKind::Func(proc),
                    ..
                }
                | TypedExpr::ScalarArrayOp { proc, .. } => Some(*proc),
                TypedExpr::NullIf { eq_proc, .. } | TypedExpr::Distinct { eq_proc, .. } => {
                    Some(*eq_proc)
                }
                _ => None,
            };
            if let Some(proc) = proc {
                if builtin_immutable(proc) != Some(true) {
                    detail = Some("User-defined or built-in mutable functions are not allowed.");
                    if let TypedExpr::Func { .. } = e {
                        at = proc_name(reader, proc)?.and_then(|n| function_location(raw, &n));
                    }
                }
            }
        }
    }
    if let Some(detail) = detail {
        return Err(invalid(detail, sql, at.or_else(location)));
    }
    let mut failure = Ok(());
    let _ = e.clone().map_children(&mut |c| {
        if failure.is_ok() {
            failure = check_simple(reader, &c, columns, raw, sql);
        }
        Ok(c)
    });
    failure
}

/// The attribute numbers (1-based) of the columns `e` reads.
pub(crate) fn filter_columns(e: &TypedExpr) -> Vec<i16> {
    let mut out = Vec::new();
    fn visit(e: &TypedExpr, out: &mut Vec<i16>) {
        if let TypedExpr::Column { index, .. } = e {
            let attnum = *index as i16 + 1;
            if !out.contains(&attnum) {
                out.push(attnum);
            }
        }
        let _ = e.clone().map_children(&mut |c| {
            visit(&c, out);
            Ok(c)
        });
    }
    visit(e, &mut out);
    out.sort_unstable();
    out
}

impl Session {
    /// The row filter `raw` of table `entry` as stored text and the attribute numbers
    /// it reads, after the rules' checks. Errors point into `sql`.
    ///
    /// Errors: analysis errors (42804 for a non-boolean filter, 42803 for aggregates);
    /// 0A000 `invalid publication WHERE expression` (rules 1 and 2).
    pub(crate) fn publication_filter(
        &self,
        entry: &RelEntry,
        raw: &Expr,
        sql: &str,
    ) -> Result<(String, Vec<i16>)> {
        let reader = self.catalog_reader();
        check_written(&reader, raw, sql)?;
        let lookup = super::lookup::SessionLookup {
            builtin: tusk_executor::BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
        let typed = analyzer.analyze_publication_filter(&entry.info, raw)?;
        check_simple(&reader, &typed, entry.info.columns.len(), raw, sql)?;
        let names: Vec<String> = entry
            .info
            .columns
            .iter()
            .map(|c| tusk_sql::quote_identifier(&c.name))
            .collect();
        let text = tusk_executor::deparse::expression_text(&typed, &names, false);
        Ok((text, filter_columns(&typed)))
    }

    /// Row filters on partitioned tables need `publish_via_partition_root`.
    ///
    /// Errors: 0A000 `cannot use publication WHERE clause for relation "t"`.
    pub(crate) fn check_partitioned_filters(
        &self,
        tables: &[PublicationTable],
        via_root: bool,
    ) -> Result<()> {
        if via_root {
            return Ok(());
        }
        for t in tables {
            if t.filter.is_some() && t.entry.info.kind == b'p' {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "cannot use publication WHERE clause for relation \"{}\"",
                    t.entry.info.name
                )
                .detail("WHERE clause cannot be used for a partitioned table when publish_via_partition_root is false."));
            }
        }
        Ok(())
    }
}
