//! `pg_get_indexdef(index [, column, pretty])` (PostgreSQL docs §9.26, table 9.71): an
//! index's `CREATE INDEX` command, or one key column's definition, rebuilt from
//! `pg_index`, `pg_class`, `pg_am` and `pg_attribute` as PostgreSQL's ruleutils does:
//! `CREATE UNIQUE INDEX name ON schema.table USING btree (a DESC, b NULLS FIRST)
//! INCLUDE (c) WHERE (pred)`. Pretty output names the table without its schema when the
//! search path finds it.
//!
//! tusk stores index expressions and a partial index's predicate as SQL text
//! (`indexprs`, `indpred`: ruleutils' plain form); they are analysed again over the
//! table's columns and printed plainly or pretty by [`crate::deparse`] (the stored text
//! as it is when the analysis fails, e.g. for a user-defined type).
//!
//! Entry points: `register` (called from `builtins/mod.rs`), [`index_constraint_def`]
//! (the PRIMARY KEY / UNIQUE forms of `pg_get_constraintdef`).

use tusk_types::{Datum, Oid, Result};

use super::catalog_info::{catalog, is_visible, oid_arg, row_by_oid};
use super::text::quote_ident;
use super::{reg, Table};
use crate::SessionContext;

/// `indoption` bits (PostgreSQL's `INDOPTION_DESC`, `INDOPTION_NULLS_FIRST`).
const INDOPTION_DESC: i16 = 1;
const INDOPTION_NULLS_FIRST: i16 = 2;

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

pub(super) fn oid_vector(d: &Datum) -> Vec<Oid> {
    match d {
        Datum::Array(a) => a.elems.iter().filter_map(oid_arg).collect(),
        _ => Vec::new(),
    }
}

/// The name of operator class `opclass` when it is not its type's default (ruleutils'
/// `get_opclass_name` prints only those).
pub(super) fn non_default_opclass(
    session: &dyn SessionContext,
    opclass: Oid,
) -> Result<Option<String>> {
    let pg_opclass = catalog("pg_opclass");
    Ok(row_by_oid(session, pg_opclass, opclass)?.and_then(|r| {
        (!matches!(r[pg_opclass.col("opcdefault")], Datum::Bool(true)))
            .then(|| quote_ident(text(&r[pg_opclass.col("opcname")])))
    }))
}

fn int2_vector(d: &Datum) -> Vec<i16> {
    match d {
        Datum::Array(a) => a
            .elems
            .iter()
            .map(|e| match e {
                Datum::Int2(v) => *v,
                Datum::Int4(v) => *v as i16,
                _ => 0,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// An index's `pg_index` row with its table, key count and column names (quoted, one
/// per `indkey` entry, INCLUDE columns after the `nkey` key columns).
struct IndexColumns {
    row: Vec<Datum>,
    table: Oid,
    nkey: usize,
    names: Vec<String>,
    /// The predicate's text, if any.
    predicate: Option<String>,
}

/// The table's columns as (attnum, name, type, typmod).
type TableColumns = Vec<(i16, String, Oid, i32)>;

/// The live columns of `table` as (attnum, name, type, typmod).
fn table_columns(session: &dyn SessionContext, table: Oid) -> Result<TableColumns> {
    let pg_attribute = catalog("pg_attribute");
    Ok(session
        .catalog_rows(pg_attribute.oid)?
        .matching(pg_attribute.col("attrelid"), table)
        .filter(|r| r[pg_attribute.col("attisdropped")] != Datum::Bool(true))
        .map(|r| {
            let n = match r[pg_attribute.col("attnum")] {
                Datum::Int2(n) => n,
                _ => 0,
            };
            let typmod = match r[pg_attribute.col("atttypmod")] {
                Datum::Int4(m) => m,
                _ => -1,
            };
            (
                n,
                text(&r[pg_attribute.col("attname")]).to_string(),
                oid_arg(&r[pg_attribute.col("atttypid")]).unwrap_or(Oid::INVALID),
                typmod,
            )
        })
        .collect())
}

/// The stored expressions `stored` (`pg_partitioned_table.partexprs`, `pg_index.indexprs`
/// text) of `table` printed as ruleutils prints them (plain form): as key columns
/// (wrapped in parentheses unless they look like function calls) when `as_columns`.
/// Falls back to the stored text when one does not analyse.
///
/// Errors: catalog read errors.
pub(super) fn stored_expressions_text(
    session: &dyn SessionContext,
    table: Oid,
    stored: &str,
    as_columns: bool,
) -> Result<Vec<String>> {
    let attributes = table_columns(session, table)?;
    let stored: Vec<&str> = tusk_sql::split_expr_list(stored);
    Ok(
        reprinted(&attributes, &stored, false, as_columns).unwrap_or_else(|| {
            stored
                .iter()
                .map(|t| {
                    if as_columns && t.starts_with('(') {
                        format!("({t})")
                    } else {
                        t.to_string()
                    }
                })
                .collect()
        }),
    )
}

/// The result types of the stored expressions `stored` of `table`; `None` when one does
/// not analyse.
///
/// Errors: catalog read errors.
pub(super) fn stored_expression_types(
    session: &dyn SessionContext,
    table: Oid,
    stored: &str,
) -> Result<Option<Vec<Oid>>> {
    use tusk_sql::analyze::{Analyzer, Scope, ScopeColumn};
    let attributes = table_columns(session, table)?;
    let width = attributes.iter().map(|a| a.0).max().unwrap_or(0).max(0) as usize;
    let mut slots: Vec<ScopeColumn> = (0..width)
        .map(|i| ScopeColumn::slot(String::new(), i, Oid::INVALID, -1))
        .collect();
    for (attnum, name, type_oid, typmod) in attributes.iter().filter(|a| a.0 > 0) {
        let i = *attnum as usize - 1;
        slots[i] = ScopeColumn::slot(name.clone(), i, *type_oid, *typmod);
    }
    let settings = crate::OutputSettings::default();
    let lookup = crate::BuiltinLookup {
        settings: &settings,
    };
    let scope = Scope::single(None, slots);
    let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
    let mut out = Vec::new();
    for text in tusk_sql::split_expr_list(stored) {
        let Ok(raw) = tusk_sql::parse_expr(text) else {
            return Ok(None);
        };
        let Ok(typed) = analyzer.analyze_expr(&raw, &scope) else {
            return Ok(None);
        };
        out.push(typed.type_oid());
    }
    Ok(Some(out))
}

/// The stored expression texts `texts` analysed over `attributes` and printed (`pretty`
/// or plain, each expression as an index column when `as_columns`); `None` when one does
/// not analyse.
fn reprinted(
    attributes: &TableColumns,
    texts: &[&str],
    pretty: bool,
    as_columns: bool,
) -> Option<Vec<String>> {
    use tusk_sql::analyze::{Analyzer, Scope, ScopeColumn};
    let width = attributes.iter().map(|a| a.0).max().unwrap_or(0).max(0) as usize;
    let mut names = vec![String::new(); width];
    let mut slots: Vec<ScopeColumn> = (0..width)
        .map(|i| ScopeColumn::slot(String::new(), i, Oid::INVALID, -1))
        .collect();
    for (attnum, name, type_oid, typmod) in attributes.iter().filter(|a| a.0 > 0) {
        let i = *attnum as usize - 1;
        names[i] = quote_ident(name);
        slots[i] = ScopeColumn::slot(name.clone(), i, *type_oid, *typmod);
    }
    let settings = crate::OutputSettings::default();
    let lookup = crate::BuiltinLookup {
        settings: &settings,
    };
    let scope = Scope::single(None, slots);
    let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
    let mut out = Vec::with_capacity(texts.len());
    for text in texts {
        let raw = tusk_sql::parse_expr(text).ok()?;
        let typed = analyzer.analyze_expr(&raw, &scope).ok()?;
        out.push(if as_columns {
            crate::deparse::index_column_text(&typed, &names, pretty)
        } else {
            crate::deparse::expression_text(&typed, &names, pretty)
        });
    }
    Some(out)
}

/// Reads [`IndexColumns`] for `index`; `None` if it is not an index.
fn index_columns(
    session: &dyn SessionContext,
    index: Oid,
    pretty: bool,
) -> Result<Option<IndexColumns>> {
    let pg_index = catalog("pg_index");
    let Some(row) = session
        .catalog_rows(pg_index.oid)?
        .first_matching(pg_index.col("indexrelid"), index)
        .cloned()
    else {
        return Ok(None);
    };
    let table = oid_arg(&row[pg_index.col("indrelid")]).unwrap_or(Oid::INVALID);
    let keys = int2_vector(&row[pg_index.col("indkey")]);
    let nkey = match row[pg_index.col("indnkeyatts")] {
        Datum::Int2(n) => n as usize,
        _ => keys.len(),
    };
    let attributes = table_columns(session, table)?;
    let stored = text(&row[pg_index.col("indexprs")]);
    let stored: Vec<&str> = tusk_sql::split_expr_list(stored);
    let exprs = reprinted(&attributes, &stored, pretty, true).unwrap_or_else(|| {
        stored
            .iter()
            .map(|t| {
                if t.starts_with('(') {
                    format!("({t})")
                } else {
                    t.to_string()
                }
            })
            .collect()
    });
    let mut exprs = exprs.into_iter();
    let names = keys
        .iter()
        .map(|attnum| {
            if *attnum == 0 {
                return exprs.next().unwrap_or_else(|| "?".to_string());
            }
            attributes
                .iter()
                .find(|(n, ..)| n == attnum)
                .map_or_else(|| "?".to_string(), |(_, name, ..)| quote_ident(name))
        })
        .collect();
    let stored_predicate = text(&row[pg_index.col("indpred")]);
    let predicate = (!stored_predicate.is_empty()).then(|| {
        reprinted(&attributes, &[stored_predicate], pretty, false)
            .and_then(|mut p| p.pop())
            .unwrap_or_else(|| stored_predicate.to_string())
    });
    Ok(Some(IndexColumns {
        row,
        table,
        nkey,
        names,
        predicate,
    }))
}

/// The definition of `index`: the whole command (`column` 0) or key column `column`
/// (1-based); NULL for an OID that is not an index.
fn index_def(session: &dyn SessionContext, index: Oid, column: i32, pretty: bool) -> Result<Datum> {
    let Some(IndexColumns {
        row: ix,
        table,
        nkey,
        names,
        predicate,
    }) = index_columns(session, index, pretty)?
    else {
        return Ok(Datum::Null);
    };
    if column > 0 {
        return Ok(names
            .get(column as usize - 1)
            .map_or(Datum::Null, |n| Datum::Text(n.clone())));
    }
    let pg_index = catalog("pg_index");
    let options = int2_vector(&ix[pg_index.col("indoption")]);
    let opclasses = oid_vector(&ix[pg_index.col("indclass")]);
    let class = catalog("pg_class");
    let Some(index_row) = row_by_oid(session, class, index)? else {
        return Ok(Datum::Null);
    };
    let Some(table_row) = row_by_oid(session, class, table)? else {
        return Ok(Datum::Null);
    };
    let am = catalog("pg_am");
    let am_name = row_by_oid(
        session,
        am,
        oid_arg(&index_row[class.col("relam")]).unwrap_or(Oid::INVALID),
    )?
    .map_or_else(
        || "btree".to_string(),
        |r| text(&r[am.col("amname")]).to_string(),
    );
    let table_name = quote_ident(text(&table_row[class.col("relname")]));
    let visible = matches!(
        is_visible(session, "pg_class", "relname", "relnamespace", table)?,
        Datum::Bool(true)
    );
    let qualified = if pretty && visible {
        table_name
    } else {
        let nsp = catalog("pg_namespace");
        let schema = row_by_oid(
            session,
            nsp,
            oid_arg(&table_row[class.col("relnamespace")]).unwrap_or(Oid::INVALID),
        )?
        .map(|r| text(&r[nsp.col("nspname")]).to_string())
        .unwrap_or_default();
        format!("{}.{}", quote_ident(&schema), table_name)
    };
    let mut key_list = Vec::with_capacity(nkey);
    for (i, name) in names.iter().take(nkey).enumerate() {
        let mut item = name.clone();
        if let Some(opclass) = opclasses.get(i).copied() {
            if let Some(opclass_name) = non_default_opclass(session, opclass)? {
                item.push(' ');
                item.push_str(&opclass_name);
            }
        }
        let option = options.get(i).copied().unwrap_or(0);
        let desc = option & INDOPTION_DESC != 0;
        let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
        if desc {
            item.push_str(" DESC");
            if !nulls_first {
                item.push_str(" NULLS LAST");
            }
        } else if nulls_first {
            item.push_str(" NULLS FIRST");
        }
        key_list.push(item);
    }
    let mut out = format!(
        "CREATE {}INDEX {} ON {}{} USING {} ({})",
        if matches!(ix[pg_index.col("indisunique")], Datum::Bool(true)) {
            "UNIQUE "
        } else {
            ""
        },
        quote_ident(text(&index_row[class.col("relname")])),
        // An index of a partitioned table covers its partitions through their own.
        if text(&table_row[class.col("relkind")]) == "p" {
            "ONLY "
        } else {
            ""
        },
        qualified,
        am_name,
        key_list.join(", ")
    );
    if names.len() > nkey {
        out.push_str(&format!(" INCLUDE ({})", names[nkey..].join(", ")));
    }
    out.push_str(&with_options(&index_row[class.col("reloptions")]));
    // The plain form of a predicate is parenthesised already unless it is one word
    // (`WHERE active`), which ruleutils prints bare in both forms.
    if let Some(predicate) = predicate {
        out.push_str(&format!(" WHERE {predicate}"));
    }
    Ok(Datum::Text(out))
}

/// `pg_get_constraintdef` of a PRIMARY KEY (`primary`) or UNIQUE constraint on `index`:
/// `PRIMARY KEY (a, b)` (key columns only; INCLUDE columns follow as PostgreSQL prints
/// them). NULL for an OID that is not an index.
///
/// Errors: catalog read errors.
pub(super) fn index_constraint_def(
    session: &dyn SessionContext,
    index: Oid,
    primary: bool,
) -> Result<Datum> {
    let Some(IndexColumns {
        nkey,
        names: columns,
        ..
    }) = index_columns(session, index, false)?
    else {
        return Ok(Datum::Null);
    };
    let mut out = format!(
        "{} ({})",
        if primary { "PRIMARY KEY" } else { "UNIQUE" },
        columns[..nkey.min(columns.len())].join(", ")
    );
    if columns.len() > nkey {
        out.push_str(&format!(" INCLUDE ({})", columns[nkey..].join(", ")));
    }
    Ok(Datum::Text(out))
}

/// ` WITH (name=value, ...)` for an index's `reloptions` (`pg_get_indexdef`; like
/// PostgreSQL's, `pg_get_constraintdef` leaves them out) (empty without any), as
/// ruleutils' `flatten_reloptions` prints them: a value stays bare when it is an
/// identifier that needs no quotes (`deduplicate_items=off`) and is quoted as a literal
/// otherwise (`fillfactor='70'`).
fn with_options(reloptions: &Datum) -> String {
    let Datum::Array(a) = reloptions else {
        return String::new();
    };
    let items: Vec<String> = a
        .elems
        .iter()
        .filter_map(|e| match e {
            Datum::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .map(|option| {
            let (name, value) = option.split_once('=').unwrap_or((option, ""));
            if quote_ident(value) == value {
                format!("{name}={value}")
            } else {
                format!("{name}={}", super::text::quote_literal(value))
            }
        })
        .collect();
    if items.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", items.join(", "))
    }
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["pg_get_indexdef", "pg_get_indexdef_ext"], |ctx, a| {
        let index = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        let column = match a.get(1) {
            Some(Datum::Int4(c)) => *c,
            _ => 0,
        };
        let pretty = matches!(a.get(2), Some(Datum::Bool(true)));
        index_def(ctx.session, index, column, pretty)
    });
}
