//! `pg_describe_object(classid, objid, objsubid)` (PostgreSQL docs §9.26, table 9.72):
//! the description PostgreSQL's `getObjectDescription` gives an object, as psql's `\dx+`
//! lists an extension's members and dependency messages name objects (`function
//! f(integer)`, `column a of table t`, `constraint c on table t`, `schema s`).
//!
//! Rules:
//! 1. Relations, functions and types are named with their schema only when the search
//!    path would not find them by name alone.
//! 2. Function arguments are printed as `format_type` prints them, separated by `,`
//!    without a space (PostgreSQL's `format_procedure`).
//! 3. An object that does not exist is NULL; a catalog tusk does not describe is 0A000.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{Datum, Error, Oid, Result};

use super::catalog_info::{catalog, format_type_with_typmod, is_visible, oid_arg, row_by_oid};
use super::{reg, Table};
use crate::context::{EvalContext, SessionContext};

fn text(d: &Datum) -> String {
    match d {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    }
}

fn namespace_name(session: &dyn SessionContext, ns: Oid) -> Result<String> {
    let nsp = catalog("pg_namespace");
    Ok(row_by_oid(session, nsp, ns)?
        .map(|r| text(&r[nsp.col("nspname")]))
        .unwrap_or_default())
}

/// `name` with its schema when not visible (rule 1).
fn qualified(
    session: &dyn SessionContext,
    catalog_name: &str,
    name_col: &str,
    ns_col: &str,
    oid: Oid,
) -> Result<Option<String>> {
    let cat = catalog(catalog_name);
    let Some(row) = row_by_oid(session, cat, oid)? else {
        return Ok(None);
    };
    let name = text(&row[cat.col(name_col)]);
    let visible = is_visible(session, catalog_name, name_col, ns_col, oid)? == Datum::Bool(true);
    if visible {
        return Ok(Some(name));
    }
    let ns = oid_arg(&row[cat.col(ns_col)]).unwrap_or(Oid::INVALID);
    Ok(Some(format!("{}.{}", namespace_name(session, ns)?, name)))
}

fn type_name(ctx: &EvalContext<'_>, t: Oid) -> String {
    ctx.output
        .user_types
        .format_type(t)
        .unwrap_or_else(|| format_type_with_typmod(t, -1))
}

/// `table t`, `view v`, `column a of table t`.
fn relation_description(ctx: &EvalContext<'_>, rel: Oid, subid: i32) -> Result<Option<String>> {
    let class = catalog("pg_class");
    let Some(row) = row_by_oid(&*ctx.session, class, rel)? else {
        return Ok(None);
    };
    let kind = match text(&row[class.col("relkind")]).as_str() {
        "i" | "I" => "index",
        "S" => "sequence",
        "t" => "toast table",
        "v" => "view",
        "m" => "materialized view",
        "c" => "composite type",
        "f" => "foreign table",
        _ => "table",
    };
    let name =
        qualified(&*ctx.session, "pg_class", "relname", "relnamespace", rel)?.unwrap_or_default();
    let described = format!("{kind} {name}");
    if subid <= 0 {
        return Ok(Some(described));
    }
    let attribute = catalog("pg_attribute");
    let column = ctx
        .session
        .catalog_rows(attribute.oid)?
        .matching(attribute.col("attrelid"), rel)
        .find(|r| r[attribute.col("attnum")] == Datum::Int2(subid as i16))
        .map(|r| text(&r[attribute.col("attname")]));
    Ok(column.map(|c| format!("column {c} of {described}")))
}

/// `f(integer,text)` (rule 2).
fn procedure_signature(ctx: &EvalContext<'_>, proc: Oid) -> Result<Option<(String, bool)>> {
    let pg_proc = catalog("pg_proc");
    let Some(row) = row_by_oid(&*ctx.session, pg_proc, proc)? else {
        return Ok(None);
    };
    let name =
        qualified(&*ctx.session, "pg_proc", "proname", "pronamespace", proc)?.unwrap_or_default();
    let args: Vec<String> = match &row[pg_proc.col("proargtypes")] {
        Datum::Array(a) => a
            .elems
            .iter()
            .filter_map(oid_arg)
            .map(|t| type_name(ctx, t))
            .collect(),
        _ => Vec::new(),
    };
    let is_procedure = text(&row[pg_proc.col("prokind")]) == "p";
    Ok(Some((format!("{name}({})", args.join(",")), is_procedure)))
}

/// A named object of a simple catalog: `<noun> <name>`.
fn named(
    ctx: &EvalContext<'_>,
    catalog_name: &str,
    name_col: &str,
    noun: &str,
    oid: Oid,
) -> Result<Option<String>> {
    let cat = catalog(catalog_name);
    Ok(row_by_oid(&*ctx.session, cat, oid)?
        .map(|r| format!("{noun} {}", text(&r[cat.col(name_col)]))))
}

/// `<noun> <name> on <relation description>` for objects attached to a relation.
fn on_relation(
    ctx: &EvalContext<'_>,
    catalog_name: &str,
    name_col: &str,
    rel_col: &str,
    noun: &str,
    oid: Oid,
) -> Result<Option<String>> {
    let cat = catalog(catalog_name);
    let Some(row) = row_by_oid(&*ctx.session, cat, oid)? else {
        return Ok(None);
    };
    let rel = oid_arg(&row[cat.col(rel_col)]).unwrap_or(Oid::INVALID);
    let on = relation_description(ctx, rel, 0)?.unwrap_or_default();
    Ok(Some(format!(
        "{noun} {} on {on}",
        text(&row[cat.col(name_col)])
    )))
}

/// The description of (`class`, `object`, `subid`) (rule 3).
///
/// Errors: 0A000 for a catalog not described here.
pub(super) fn describe(
    ctx: &EvalContext<'_>,
    class: Oid,
    object: Oid,
    subid: i32,
) -> Result<Datum> {
    let described = match class.0 {
        1259 => relation_description(ctx, object, subid)?,
        1255 => procedure_signature(ctx, object)?.map(|(sig, is_procedure)| {
            format!(
                "{} {sig}",
                if is_procedure {
                    "procedure"
                } else {
                    "function"
                }
            )
        }),
        1247 => {
            let t = catalog("pg_type");
            row_by_oid(&*ctx.session, t, object)?
                .map(|_| format!("type {}", type_name(ctx, object)))
        }
        2615 => named(ctx, "pg_namespace", "nspname", "schema", object)?,
        3079 => named(ctx, "pg_extension", "extname", "extension", object)?,
        2612 => named(ctx, "pg_language", "lanname", "language", object)?,
        1260 => named(ctx, "pg_authid", "rolname", "role", object)?,
        1262 => named(ctx, "pg_database", "datname", "database", object)?,
        1213 => named(ctx, "pg_tablespace", "spcname", "tablespace", object)?,
        2601 => named(ctx, "pg_am", "amname", "access method", object)?,
        3456 => named(ctx, "pg_collation", "collname", "collation", object)?,
        2606 => {
            let con = catalog("pg_constraint");
            match row_by_oid(&*ctx.session, con, object)? {
                None => None,
                Some(r) => {
                    let name = text(&r[con.col("conname")]);
                    let rel = oid_arg(&r[con.col("conrelid")]).unwrap_or(Oid::INVALID);
                    if rel != Oid::INVALID {
                        relation_description(ctx, rel, 0)?
                            .map(|on| format!("constraint {name} on {on}"))
                    } else {
                        let domain = oid_arg(&r[con.col("contypid")]).unwrap_or(Oid::INVALID);
                        Some(format!(
                            "constraint {name} on domain {}",
                            type_name(ctx, domain)
                        ))
                    }
                }
            }
        }
        2620 => on_relation(ctx, "pg_trigger", "tgname", "tgrelid", "trigger", object)?,
        2618 => on_relation(ctx, "pg_rewrite", "rulename", "ev_class", "rule", object)?,
        2604 => {
            let def = catalog("pg_attrdef");
            match row_by_oid(&*ctx.session, def, object)? {
                None => None,
                Some(r) => {
                    let rel = oid_arg(&r[def.col("adrelid")]).unwrap_or(Oid::INVALID);
                    let column = match r[def.col("adnum")] {
                        Datum::Int2(n) => n as i32,
                        _ => 0,
                    };
                    relation_description(ctx, rel, column)?
                        .map(|c| format!("default value for {c}"))
                }
            }
        }
        2605 => {
            let cast = catalog("pg_cast");
            row_by_oid(&*ctx.session, cast, object)?.map(|r| {
                let source = oid_arg(&r[cast.col("castsource")]).unwrap_or(Oid::INVALID);
                let target = oid_arg(&r[cast.col("casttarget")]).unwrap_or(Oid::INVALID);
                format!(
                    "cast from {} to {}",
                    type_name(ctx, source),
                    type_name(ctx, target)
                )
            })
        }
        other => {
            return Err(Error::feature_not_supported(format!(
                "pg_describe_object for objects of catalog {other}"
            )))
        }
    };
    Ok(described.map_or(Datum::Null, Datum::Text))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["pg_describe_object"], |ctx, a| {
        let class = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        let object = oid_arg(&a[1]).unwrap_or(Oid::INVALID);
        let subid = match a[2] {
            Datum::Int4(s) => s,
            _ => 0,
        };
        describe(ctx, class, object, subid)
    });
}
