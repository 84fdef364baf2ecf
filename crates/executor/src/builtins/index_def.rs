//! `pg_get_indexdef` and the PRIMARY KEY / UNIQUE forms of `pg_get_constraintdef`: an
//! index's definition rebuilt from `pg_index`, `pg_class`, `pg_attribute` and
//! `pg_namespace` as PostgreSQL's `pg_get_indexdef_worker` prints it
//! (`CREATE UNIQUE INDEX t_a_key ON public.t USING btree (a DESC NULLS LAST)`).
//!
//! Entry points: [`index_def`], [`index_constraint_def`].

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_types::{Datum, Oid, Result};

use crate::SessionContext;

/// `INDOPTION_DESC`.
const INDOPTION_DESC: i64 = 0x0001;
/// `INDOPTION_NULLS_FIRST`.
const INDOPTION_NULLS_FIRST: i64 = 0x0002;

fn catalog(name: &str) -> &'static SysCatalog {
    syscat::system_catalog_by_name(name).expect("PostgreSQL 15 system catalog")
}

fn oid_of(d: &Datum) -> Option<Oid> {
    match d {
        Datum::Oid(o) => Some(Oid(*o)),
        _ => None,
    }
}

fn text(d: &Datum) -> String {
    match d {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    }
}

fn vector(d: &Datum) -> Vec<i64> {
    match d {
        Datum::Array(a) => a
            .elems
            .iter()
            .map(|e| match e {
                Datum::Int2(v) => i64::from(*v),
                Datum::Oid(v) => i64::from(*v),
                _ => 0,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn quote(name: &str) -> String {
    tusk_sql::quote_identifier(name)
}

/// What one index's definition is made of.
struct IndexParts {
    name: String,
    unique: bool,
    table_name: String,
    namespace: String,
    /// Key column names with their DESC / NULLS options as printed.
    keys: Vec<(String, String)>,
}

fn index_parts(session: &dyn SessionContext, index: Oid) -> Result<Option<IndexParts>> {
    let pg_index = catalog("pg_index");
    let Some(row) = session
        .catalog_rows(pg_index.oid)?
        .into_iter()
        .find(|r| oid_of(&r[pg_index.col("indexrelid")]) == Some(index))
    else {
        return Ok(None);
    };
    let table = oid_of(&row[pg_index.col("indrelid")]).unwrap_or(Oid::INVALID);
    let class = catalog("pg_class");
    let classes = session.catalog_rows(class.oid)?;
    let class_row = |oid: Oid| {
        classes
            .iter()
            .find(|r| oid_of(&r[class.col("oid")]) == Some(oid))
    };
    let (Some(index_row), Some(table_row)) = (class_row(index), class_row(table)) else {
        return Ok(None);
    };
    let namespace_oid = oid_of(&table_row[class.col("relnamespace")]);
    let nsp = catalog("pg_namespace");
    let namespace = session
        .catalog_rows(nsp.oid)?
        .into_iter()
        .find(|r| oid_of(&r[nsp.col("oid")]) == namespace_oid)
        .map(|r| text(&r[nsp.col("nspname")]))
        .unwrap_or_default();
    let attribute = catalog("pg_attribute");
    let attributes = session.catalog_rows(attribute.oid)?;
    let column_name = |attnum: i64| {
        attributes
            .iter()
            .find(|r| {
                oid_of(&r[attribute.col("attrelid")]) == Some(table)
                    && matches!(r[attribute.col("attnum")], Datum::Int2(n) if i64::from(n) == attnum)
            })
            .map(|r| text(&r[attribute.col("attname")]))
            .unwrap_or_default()
    };
    let options = vector(&row[pg_index.col("indoption")]);
    let keys = vector(&row[pg_index.col("indkey")])
        .into_iter()
        .enumerate()
        .map(|(i, attnum)| {
            let option = options.get(i).copied().unwrap_or(0);
            let descending = option & INDOPTION_DESC != 0;
            let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
            let suffix = match (descending, nulls_first) {
                (false, false) | (true, true) => {
                    if descending {
                        " DESC"
                    } else {
                        ""
                    }
                }
                (false, true) => " NULLS FIRST",
                (true, false) => " DESC NULLS LAST",
            };
            (column_name(attnum), suffix.to_string())
        })
        .collect();
    Ok(Some(IndexParts {
        name: text(&index_row[class.col("relname")]),
        unique: row[pg_index.col("indisunique")] == Datum::Bool(true),
        table_name: text(&table_row[class.col("relname")]),
        namespace,
        keys,
    }))
}

/// `pg_get_indexdef(index [, column, pretty])`: the CREATE INDEX statement, or for
/// `column` > 0 that key column alone; NULL for an OID that is not an index.
///
/// Errors: catalog read errors.
pub(super) fn index_def(session: &dyn SessionContext, index: Oid, column: i32) -> Result<Datum> {
    let Some(parts) = index_parts(session, index)? else {
        return Ok(Datum::Null);
    };
    if column > 0 {
        return Ok(parts
            .keys
            .get(column as usize - 1)
            .map_or(Datum::Null, |(name, _)| Datum::Text(quote(name))));
    }
    let keys: Vec<String> = parts
        .keys
        .iter()
        .map(|(name, suffix)| format!("{}{suffix}", quote(name)))
        .collect();
    Ok(Datum::Text(format!(
        "CREATE {}INDEX {} ON {}.{} USING btree ({})",
        if parts.unique { "UNIQUE " } else { "" },
        quote(&parts.name),
        quote(&parts.namespace),
        quote(&parts.table_name),
        keys.join(", ")
    )))
}

/// `pg_get_constraintdef` of a PRIMARY KEY (`primary`) or UNIQUE constraint on `index`:
/// `PRIMARY KEY (a, b)`.
///
/// Errors: catalog read errors.
pub(super) fn index_constraint_def(
    session: &dyn SessionContext,
    index: Oid,
    primary: bool,
) -> Result<Datum> {
    let Some(parts) = index_parts(session, index)? else {
        return Ok(Datum::Null);
    };
    let keys: Vec<String> = parts.keys.iter().map(|(name, _)| quote(name)).collect();
    Ok(Datum::Text(format!(
        "{} ({})",
        if primary { "PRIMARY KEY" } else { "UNIQUE" },
        keys.join(", ")
    )))
}
