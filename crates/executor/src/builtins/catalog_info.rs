//! System catalog information functions (PostgreSQL docs §9.26, tables 9.67-9.71) that
//! psql's `\d` family calls: `pg_get_userbyid`, `pg_table_is_visible`,
//! `pg_type_is_visible`, `format_type`, `pg_get_expr`, `pg_get_constraintdef`,
//! `pg_get_viewdef`, `current_schemas`.
//!
//! They read the catalogs through [`SessionContext::catalog_rows`], so they see what the
//! statement's snapshot sees, including the backend's own uncommitted DDL.
//!
//! See also: `system.rs` (session information), `crate::io::format_type`.

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::{reg, Table};
use crate::context::SessionContext;

pub(super) fn oid_arg(d: &Datum) -> Option<Oid> {
    match d {
        Datum::Oid(o) => Some(Oid(*o)),
        Datum::Int4(i) => Some(Oid(*i as u32)),
        Datum::Int8(i) => Some(Oid(*i as u32)),
        _ => None,
    }
}

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(t) => t,
        _ => "",
    }
}

pub(super) fn catalog(name: &str) -> &'static SysCatalog {
    syscat::system_catalog_by_name(name).expect("PostgreSQL 15 system catalog")
}

/// The row of `catalog` whose `oid` column is `oid`.
pub(super) fn row_by_oid(
    session: &dyn SessionContext,
    catalog: &SysCatalog,
    oid: Oid,
) -> Result<Option<Vec<Datum>>> {
    Ok(session
        .catalog_rows(catalog.oid)?
        .first_matching(catalog.col("oid"), oid)
        .cloned())
}

/// `pg_get_userbyid(role)`: the role's name, or `unknown (OID=n)`.
fn role_name(session: &dyn SessionContext, role: Oid) -> Result<String> {
    let authid = catalog("pg_authid");
    Ok(match row_by_oid(session, authid, role)? {
        Some(r) => text(&r[authid.col("rolname")]).to_string(),
        None => format!("unknown (OID={})", role.0),
    })
}

/// Whether the object named `name` in schema `namespace` is the first one of that name
/// along the search path (PostgreSQL's `RelationIsVisible` / `TypeIsVisible`), over the
/// `(name, namespace)` pairs of all objects of the kind.
fn first_on_search_path(
    session: &dyn SessionContext,
    objects: &[(String, Oid)],
    name: &str,
    namespace: Oid,
) -> Result<bool> {
    let nsp = catalog("pg_namespace");
    let namespaces = session.catalog_rows(nsp.oid)?;
    for schema in session.search_path() {
        let Some(ns) = namespaces
            .iter()
            .find(|r| text(&r[nsp.col("nspname")]) == schema)
            .and_then(|r| oid_arg(&r[nsp.col("oid")]))
        else {
            continue;
        };
        if ns == namespace {
            return Ok(true);
        }
        if objects.iter().any(|(n, o)| *o == ns && n == name) {
            return Ok(false);
        }
    }
    Ok(false)
}

/// `pg_table_is_visible` (`rel_column`: `relname`, `relnamespace`) and
/// `pg_type_is_visible` (`typname`, `typnamespace`); NULL for an unknown OID.
pub(super) fn is_visible(
    session: &dyn SessionContext,
    catalog_name: &str,
    name_col: &str,
    namespace_col: &str,
    oid: Oid,
) -> Result<Datum> {
    let cat = catalog(catalog_name);
    let (c_oid, c_name, c_ns) = (cat.col("oid"), cat.col(name_col), cat.col(namespace_col));
    let rows = session.catalog_rows(cat.oid)?;
    let Some(target) = rows.first_matching(c_oid, oid) else {
        return Ok(Datum::Null);
    };
    let name = text(&target[c_name]).to_string();
    let namespace = oid_arg(&target[c_ns]).unwrap_or(Oid::INVALID);
    let objects: Vec<(String, Oid)> = rows
        .iter()
        .filter(|r| text(&r[c_name]) == name)
        .map(|r| (name.clone(), oid_arg(&r[c_ns]).unwrap_or(Oid::INVALID)))
        .collect();
    Ok(Datum::Bool(first_on_search_path(
        session, &objects, &name, namespace,
    )?))
}

/// `format_type(type, typmod)`: the SQL name of a type with its modifier, as psql's `\d`
/// shows it (`character varying(20)`, `numeric(10,2)`, `timestamp(3) without time zone`,
/// `integer[]`). An unknown OID prints `???`, as PostgreSQL does.
pub fn format_type_with_typmod(oid: Oid, typmod: i32) -> String {
    let builtin = tusk_catalog::builtin();
    if let Some(t) = builtin.type_by_oid(oid) {
        if t.elem != Oid::INVALID && t.name.starts_with('_') {
            return format!("{}[]", format_type_with_typmod(t.elem, typmod));
        }
    } else if type_oid::builtin_name(oid).is_none() {
        return "???".to_string();
    }
    let base = crate::io::format_type(oid);
    if typmod < 0 {
        return base;
    }
    match oid {
        type_oid::VARCHAR | type_oid::BPCHAR => format!("{}({})", base, typmod - 4),
        type_oid::BIT | type_oid::VARBIT => format!("{}({})", base, typmod),
        type_oid::NUMERIC if typmod >= 4 => {
            let t = typmod - 4;
            let scale = ((t & 0x7ff) ^ 1024) - 1024;
            format!("{}({},{})", base, (t >> 16) & 0xffff, scale)
        }
        type_oid::TIMESTAMP | type_oid::TIMESTAMPTZ | type_oid::TIME | type_oid::TIMETZ => {
            match base.split_once(' ') {
                Some((head, tail)) => format!("{}({}) {}", head, typmod, tail),
                None => format!("{}({})", base, typmod),
            }
        }
        _ => base,
    }
}

/// The schemas of the search path that exist, in order; `pg_catalog` only where
/// `search_path` names it unless `implicit` (PostgreSQL's `fetch_search_path`).
fn effective_search_path(session: &dyn SessionContext, implicit: bool) -> Result<Vec<String>> {
    let explicit = session.setting("search_path").unwrap_or_default();
    let nsp = catalog("pg_namespace");
    let existing: Vec<String> = session
        .catalog_rows(nsp.oid)?
        .iter()
        .map(|r| text(&r[nsp.col("nspname")]).to_string())
        .collect();
    let listed = |s: &str| explicit.split(',').any(|e| e.trim().trim_matches('"') == s);
    Ok(session
        .search_path()
        .into_iter()
        .filter(|s| existing.contains(s))
        .filter(|s| implicit || s != "pg_catalog" || listed(s))
        .filter(|s| implicit || !s.starts_with("pg_temp_") || listed("pg_temp"))
        .collect())
}

/// The OID of the session's temp schema (`pg_temp_N`, once made), or 0 (PostgreSQL's
/// `pg_my_temp_schema`).
fn my_temp_schema(session: &dyn SessionContext) -> Result<Oid> {
    let Some(name) = session
        .search_path()
        .into_iter()
        .find(|s| s.starts_with("pg_temp_"))
    else {
        return Ok(Oid::INVALID);
    };
    let nsp = catalog("pg_namespace");
    Ok(session
        .catalog_rows(nsp.oid)?
        .iter()
        .find(|r| text(&r[nsp.col("nspname")]) == name)
        .and_then(|r| oid_arg(&r[nsp.col("oid")]))
        .unwrap_or(Oid::INVALID))
}

/// `pg_get_constraintdef(constraint)`: the definition as `ALTER TABLE ... ADD` takes it.
///
/// Errors: 0A000 for constraint kinds tusk does not record a definition of.
fn constraint_def(session: &dyn SessionContext, constraint: Oid) -> Result<Datum> {
    let con = catalog("pg_constraint");
    let Some(row) = row_by_oid(session, con, constraint)? else {
        return Ok(Datum::Null);
    };
    let relid = oid_arg(&row[con.col("conrelid")]).unwrap_or(Oid::INVALID);
    match text(&row[con.col("contype")]) {
        "c" => Ok(Datum::Text(format!(
            "CHECK ({}){}",
            text(&row[con.col("conbin")]),
            if row[con.col("convalidated")] == Datum::Bool(false) {
                " NOT VALID"
            } else {
                ""
            }
        ))),
        kind @ ("p" | "u") => super::index_def::index_constraint_def(
            session,
            oid_arg(&row[con.col("conindid")]).unwrap_or(Oid::INVALID),
            kind == "p",
        ),
        "f" => {
            let refid = oid_arg(&row[con.col("confrelid")]).unwrap_or(Oid::INVALID);
            let mut def = format!(
                "FOREIGN KEY ({}) REFERENCES {}({})",
                column_list(session, relid, &row[con.col("conkey")])?,
                session
                    .relation_name(refid)
                    .unwrap_or_else(|| refid.0.to_string()),
                column_list(session, refid, &row[con.col("confkey")])?
            );
            if text(&row[con.col("confmatchtype")]) == "f" {
                def.push_str(" MATCH FULL");
            }
            let action = |code: &str| match code {
                "r" => Some("RESTRICT"),
                "c" => Some("CASCADE"),
                "n" => Some("SET NULL"),
                "d" => Some("SET DEFAULT"),
                _ => None,
            };
            if let Some(a) = action(text(&row[con.col("confupdtype")])) {
                def.push_str(" ON UPDATE ");
                def.push_str(a);
            }
            if let Some(a) = action(text(&row[con.col("confdeltype")])) {
                def.push_str(" ON DELETE ");
                def.push_str(a);
            }
            if row[con.col("condeferrable")] == Datum::Bool(true) {
                def.push_str(" DEFERRABLE");
            }
            if row[con.col("condeferred")] == Datum::Bool(true) {
                def.push_str(" INITIALLY DEFERRED");
            }
            if row[con.col("convalidated")] == Datum::Bool(false) {
                def.push_str(" NOT VALID");
            }
            Ok(Datum::Text(def))
        }
        other => Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "pg_get_constraintdef of a constraint of type \"{}\" is not supported",
            other
        )),
    }
}

/// The names of columns `attnums` (an `int2[]`) of relation `rel`, quoted as needed and
/// joined by `, ` (PostgreSQL's `decompile_column_index_array`).
/// `pg_get_partkeydef(rel)`: `RANGE (a, b)`, `LIST (a)`, `HASH (a)`; NULL for a
/// relation that is not partitioned.
fn partition_key_def(session: &dyn SessionContext, rel: Oid) -> Result<Datum> {
    let part = catalog("pg_partitioned_table");
    let rows = session.catalog_rows(part.oid)?;
    let Some(row) = rows.first_matching(part.col("partrelid"), rel) else {
        return Ok(Datum::Null);
    };
    let strategy = match text(&row[part.col("partstrat")]) {
        "r" => "RANGE",
        "l" => "LIST",
        "h" => "HASH",
        _ => return Ok(Datum::Null),
    };
    let stored = text(&row[part.col("partexprs")]).to_string();
    let attnums = row[part.col("partattrs")].clone();
    let classes = super::index_def::oid_vector(&row[part.col("partclass")]);
    drop(rows);
    let mut exprs =
        super::index_def::stored_expressions_text(session, rel, &stored, true)?.into_iter();
    let mut items = Vec::new();
    for (i, n) in array_elems(&attnums).iter().enumerate() {
        let mut item = match n {
            Datum::Int2(0) => exprs.next().unwrap_or_else(|| "?".into()),
            Datum::Int2(n) => column_name(session, rel, *n)?,
            _ => continue,
        };
        // A named operator class that is not the type's default prints after the key.
        if let Some(class) = classes.get(i) {
            if let Some(name) = super::index_def::non_default_opclass(session, *class)? {
                item.push(' ');
                item.push_str(&name);
            }
        }
        items.push(item);
    }
    Ok(Datum::Text(format!("{strategy} ({})", items.join(", "))))
}

/// The items of the first parenthesized list in `text` (quoted literals keep their
/// quotes), and the rest after it.
fn bound_items(text: &str) -> Option<(Vec<String>, &str)> {
    let start = text.find('(')?;
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text[start + 1..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                current.push(c);
                if quoted && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    current.push('\'');
                    chars.next();
                } else {
                    quoted = !quoted;
                }
            }
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_string()),
            ')' if !quoted => {
                items.push(current.trim().to_string());
                return Some((items, &text[start + 1 + i + 1..]));
            }
            _ => current.push(c),
        }
    }
    None
}

/// `pg_get_partition_constraintdef(rel)`: the partition constraint PostgreSQL derives
/// from a partition's bound, for bounds of one key column (NULL otherwise, and for a
/// relation that is not a partition: psql then prints "No partition constraint").
fn partition_constraint_def(session: &dyn SessionContext, rel: Oid) -> Result<Datum> {
    let class = catalog("pg_class");
    let Some(row) = row_by_oid(session, class, rel)? else {
        return Ok(Datum::Null);
    };
    let bound = text(&row[class.col("relpartbound")]).to_string();
    if row[class.col("relispartition")] != Datum::Bool(true) || bound.is_empty() {
        return Ok(Datum::Null);
    }
    let inherits = catalog("pg_inherits");
    let rows = session.catalog_rows(inherits.oid)?;
    let Some(parent) = rows
        .first_matching(inherits.col("inhrelid"), rel)
        .and_then(|r| oid_arg(&r[inherits.col("inhparent")]))
    else {
        return Ok(Datum::Null);
    };
    let part = catalog("pg_partitioned_table");
    let parts = session.catalog_rows(part.oid)?;
    let Some(key) = parts.first_matching(part.col("partrelid"), parent) else {
        return Ok(Datum::Null);
    };
    let attnums = array_elems(&key[part.col("partattrs")]);
    let [Datum::Int2(attnum)] = attnums else {
        return Ok(Datum::Null);
    };
    let attnum = *attnum;
    let stored = text(&key[part.col("partexprs")]).to_string();
    drop(parts);
    let (name, key_type) = if attnum == 0 {
        // An expression key: its plain text stands where a column's name would.
        let Some(Some(key_type)) =
            super::index_def::stored_expression_types(session, parent, &stored)?
                .map(|types| types.first().copied())
        else {
            return Ok(Datum::Null);
        };
        let Some(name) =
            super::index_def::stored_expressions_text(session, parent, &stored, false)?
                .into_iter()
                .next()
        else {
            return Ok(Datum::Null);
        };
        (name, key_type)
    } else {
        let att = catalog("pg_attribute");
        let atts = session.catalog_rows(att.oid)?;
        let Some(column) = atts
            .matching(att.col("attrelid"), parent)
            .find(|r| r[att.col("attnum")] == Datum::Int2(attnum))
        else {
            return Ok(Datum::Null);
        };
        (
            super::text::quote_ident(text(&column[att.col("attname")])),
            oid_arg(&column[att.col("atttypid")]).unwrap_or(Oid::INVALID),
        )
    };
    let constant = |item: &str| -> String {
        let bare = !item.starts_with('\'');
        if matches!(key_type, type_oid::INT4 | type_oid::BOOL) && bare {
            item.to_string()
        } else if bare {
            format!("'{item}'::{}", format_type_with_typmod(key_type, -1))
        } else {
            format!("{item}::{}", format_type_with_typmod(key_type, -1))
        }
    };
    let def = if let Some(rest) = bound.strip_prefix("FOR VALUES FROM ") {
        let Some((from, rest)) = bound_items(rest) else {
            return Ok(Datum::Null);
        };
        let Some((to, _)) = bound_items(rest) else {
            return Ok(Datum::Null);
        };
        let mut parts = vec![format!("({name} IS NOT NULL)")];
        if from[0] != "MINVALUE" {
            parts.push(format!("({name} >= {})", constant(&from[0])));
        }
        if to[0] != "MAXVALUE" {
            parts.push(format!("({name} < {})", constant(&to[0])));
        }
        format!("({})", parts.join(" AND "))
    } else if let Some(rest) = bound.strip_prefix("FOR VALUES IN ") {
        let Some((items, _)) = bound_items(rest) else {
            return Ok(Datum::Null);
        };
        let values: Vec<String> = items
            .iter()
            .filter(|i| i.as_str() != "NULL")
            .map(|i| constant(i))
            .collect();
        let has_null = values.len() != items.len();
        let test = match values.as_slice() {
            [] => None,
            [one] => Some(format!("({name} = {one})")),
            many => Some(format!("({name} = ANY (ARRAY[{}]))", many.join(", "))),
        };
        match (has_null, test) {
            (false, Some(test)) => format!("(({name} IS NOT NULL) AND {test})"),
            (true, Some(test)) => format!("(({name} IS NULL) OR {test})"),
            (true, None) => format!("({name} IS NULL)"),
            (false, None) => return Ok(Datum::Null),
        }
    } else if let Some(rest) = bound.strip_prefix("FOR VALUES WITH ") {
        let Some((items, _)) = bound_items(rest) else {
            return Ok(Datum::Null);
        };
        let number = |i: usize, word: &str| {
            items
                .get(i)
                .and_then(|s| s.strip_prefix(word))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        format!(
            "satisfies_hash_partition('{}'::oid, {}, {}, {name})",
            parent.0,
            number(0, "modulus"),
            number(1, "remainder")
        )
    } else {
        return Ok(Datum::Null);
    };
    Ok(Datum::Text(def))
}

/// The name of column `attnum` of `rel`, quoted as needed.
fn column_name(session: &dyn SessionContext, rel: Oid, attnum: i16) -> Result<String> {
    let att = catalog("pg_attribute");
    let rows = session.catalog_rows(att.oid)?;
    let name = rows
        .matching(att.col("attrelid"), rel)
        .find(|r| r[att.col("attnum")] == Datum::Int2(attnum))
        .map(|r| text(&r[att.col("attname")]).to_string())
        .unwrap_or_default();
    Ok(super::text::quote_ident(&name))
}

fn column_list(session: &dyn SessionContext, rel: Oid, attnums: &Datum) -> Result<String> {
    let att = catalog("pg_attribute");
    let rows = session.catalog_rows(att.oid)?;
    let mut names = Vec::new();
    for n in array_elems(attnums) {
        let Datum::Int2(n) = n else { continue };
        let name = rows
            .matching(att.col("attrelid"), rel)
            .find(|r| r[att.col("attnum")] == Datum::Int2(*n))
            .map(|r| text(&r[att.col("attname")]).to_string())
            .unwrap_or_default();
        names.push(super::text::quote_ident(&name));
    }
    Ok(names.join(", "))
}

/// The comment on an object (`pg_description`, or `pg_shdescription` for shared objects
/// where `objsubid` is `None`), NULL if none. `classname` names the catalog the object
/// lives in (`pg_class`, `pg_type`, ...).
fn description(
    session: &dyn SessionContext,
    object: Oid,
    classname: &str,
    objsubid: Option<i32>,
) -> Result<Datum> {
    let Some(class) = syscat::system_catalog_by_name(classname) else {
        return Ok(Datum::Null);
    };
    let cat = catalog(if objsubid.is_some() {
        "pg_description"
    } else {
        "pg_shdescription"
    });
    let rows = session.catalog_rows(cat.oid)?;
    let found = rows.matching(cat.col("objoid"), object).find(|r| {
        oid_arg(&r[cat.col("classoid")]) == Some(class.oid)
            && objsubid.is_none_or(|n| matches!(r[cat.col("objsubid")], Datum::Int4(s) if s == n))
    });
    Ok(found
        .map(|r| r[cat.col("description")].clone())
        .unwrap_or(Datum::Null))
}

/// The SQL-language catalog functions (`pg_proc.prosrc` is a query), by OID.
pub(super) fn sql_language_function(oid: u32) -> Option<super::ScalarFn> {
    match oid {
        // obj_description(oid, name)
        1215 => Some(|ctx, a| {
            let object = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            description(ctx.session, object, text(&a[1]), Some(0))
        }),
        // obj_description(oid), deprecated: the object's comment whatever catalog it is
        // in (the first one found).
        1348 => Some(|ctx, a| {
            let object = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            let cat = catalog("pg_description");
            let rows = ctx.session.catalog_rows(cat.oid)?;
            let found = rows
                .matching(cat.col("objoid"), object)
                .find(|r| matches!(r[cat.col("objsubid")], Datum::Int4(0)));
            Ok(found
                .map(|r| r[cat.col("description")].clone())
                .unwrap_or(Datum::Null))
        }),
        // col_description(oid, int4)
        1216 => Some(|ctx, a| {
            let object = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            let column = match a[1] {
                Datum::Int4(n) => n,
                _ => 0,
            };
            description(ctx.session, object, "pg_class", Some(column))
        }),
        // shobj_description(oid, name)
        1993 => Some(|ctx, a| {
            let object = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            description(ctx.session, object, text(&a[1]), None)
        }),
        _ => None,
    }
}

fn array_elems(d: &Datum) -> &[Datum] {
    match d {
        Datum::Array(a) => &a.elems,
        _ => &[],
    }
}

/// One argument of a function as `pg_proc` lists it: mode (`i`, `o`, `b`, `v`, `t`),
/// name ("" if none) and type.
struct ProcArg {
    mode: String,
    name: String,
    type_oid: Oid,
}

/// The `pg_proc` row of `proc` and its arguments (`proallargtypes` if set, else
/// `proargtypes`, with `proargmodes` and `proargnames`).
fn proc_args(
    session: &dyn SessionContext,
    proc: Oid,
) -> Result<Option<(Vec<Datum>, Vec<ProcArg>)>> {
    let p = catalog("pg_proc");
    let Some(row) = row_by_oid(session, p, proc)? else {
        return Ok(None);
    };
    let all = array_elems(&row[p.col("proallargtypes")]);
    let types = if all.is_empty() {
        array_elems(&row[p.col("proargtypes")])
    } else {
        all
    };
    let modes = array_elems(&row[p.col("proargmodes")]);
    let names = array_elems(&row[p.col("proargnames")]);
    let args = types
        .iter()
        .enumerate()
        .map(|(i, t)| ProcArg {
            mode: modes
                .get(i)
                .map(|m| text(m).to_string())
                .unwrap_or("i".into()),
            name: names
                .get(i)
                .map(|n| text(n).to_string())
                .unwrap_or_default(),
            type_oid: oid_arg(t).unwrap_or(Oid::INVALID),
        })
        .collect();
    Ok(Some((row, args)))
}

/// `name type` or `type`, with the mode's keyword first (`OUT`, `INOUT`, `VARIADIC`).
fn format_arg(arg: &ProcArg, with_mode: bool) -> String {
    let mode = match (with_mode, arg.mode.as_str()) {
        (true, "o") => "OUT ",
        (true, "b") => "INOUT ",
        (true, "v") => "VARIADIC ",
        _ => "",
    };
    let ty = format_type_with_typmod(arg.type_oid, -1);
    if arg.name.is_empty() {
        format!("{mode}{ty}")
    } else {
        format!("{mode}{} {ty}", super::text::quote_ident(&arg.name))
    }
}

/// A default argument value as ruleutils prints the constant (`true`, `0`,
/// `'NFC'::text`); `None` for values tusk does not decode.
fn default_text(value: &Datum) -> Option<String> {
    Some(match value {
        Datum::Null => "NULL".to_string(),
        Datum::Bool(b) => b.to_string(),
        Datum::Int2(v) => v.to_string(),
        Datum::Int4(v) => v.to_string(),
        Datum::Int8(v) => v.to_string(),
        // The float8 defaults of the built-ins are numeric constants cast implicitly.
        Datum::Float8(v) => format!("{v:?}"),
        Datum::Text(s) => format!("'{}'::text", s.replace('\'', "''")),
        _ => return None,
    })
}

/// `pg_get_function_arguments(func)`: the argument list as CREATE FUNCTION takes it,
/// with the defaults of built-in functions tusk can read (`proargdefaults` constants).
pub(super) fn function_arguments(
    session: &dyn SessionContext,
    proc: Oid,
    with_defaults: bool,
) -> Result<Datum> {
    let Some((_, args)) = proc_args(session, proc)? else {
        return Ok(Datum::Null);
    };
    let defaults = match with_defaults {
        true => tusk_catalog::builtin()
            .proc_by_oid(proc)
            .map(|p| p.arg_defaults.clone())
            .unwrap_or_default(),
        false => Vec::new(),
    };
    let inputs = args
        .iter()
        .filter(|a| matches!(a.mode.as_str(), "i" | "b" | "v"))
        .count();
    let first_default = inputs.saturating_sub(defaults.len());
    let mut input_index = 0;
    let list: Vec<String> = args
        .iter()
        .filter(|a| a.mode != "t")
        .map(|a| {
            let mut item = format_arg(a, true);
            if matches!(a.mode.as_str(), "i" | "b" | "v") {
                if input_index >= first_default {
                    if let Some(d) = defaults
                        .get(input_index - first_default)
                        .and_then(default_text)
                    {
                        item.push_str(" DEFAULT ");
                        item.push_str(&d);
                    }
                }
                input_index += 1;
            }
            item
        })
        .collect();
    Ok(Datum::Text(list.join(", ")))
}

/// `pg_get_function_result(func)`: `type`, `SETOF type` or `TABLE(name type, ...)`.
pub(super) fn function_result(session: &dyn SessionContext, proc: Oid) -> Result<Datum> {
    let p = catalog("pg_proc");
    let Some((row, args)) = proc_args(session, proc)? else {
        return Ok(Datum::Null);
    };
    if matches!(text(&row[p.col("prokind")]), "p") {
        return Ok(Datum::Null);
    }
    let table: Vec<String> = args
        .iter()
        .filter(|a| a.mode == "t")
        .map(|a| format_arg(a, false))
        .collect();
    if !table.is_empty() {
        return Ok(Datum::Text(format!("TABLE({})", table.join(", "))));
    }
    let ret = oid_arg(&row[p.col("prorettype")]).unwrap_or(Oid::INVALID);
    let setof = if matches!(row[p.col("proretset")], Datum::Bool(true)) {
        "SETOF "
    } else {
        ""
    };
    Ok(Datum::Text(format!(
        "{setof}{}",
        format_type_with_typmod(ret, -1)
    )))
}

/// `pg_encoding_to_char(encoding)`: PostgreSQL's name of an encoding number (`pg_enc`
/// order); "" for a number that names none.
pub fn encoding_name(encoding: i32) -> &'static str {
    const NAMES: [&str; 42] = [
        "SQL_ASCII",
        "EUC_JP",
        "EUC_CN",
        "EUC_KR",
        "EUC_TW",
        "EUC_JIS_2004",
        "UTF8",
        "MULE_INTERNAL",
        "LATIN1",
        "LATIN2",
        "LATIN3",
        "LATIN4",
        "LATIN5",
        "LATIN6",
        "LATIN7",
        "LATIN8",
        "LATIN9",
        "LATIN10",
        "WIN1256",
        "WIN1258",
        "WIN866",
        "WIN874",
        "KOI8R",
        "WIN1251",
        "WIN1252",
        "ISO_8859_5",
        "ISO_8859_6",
        "ISO_8859_7",
        "ISO_8859_8",
        "WIN1250",
        "WIN1253",
        "WIN1254",
        "WIN1255",
        "WIN1257",
        "KOI8U",
        "SJIS",
        "BIG5",
        "GBK",
        "UHC",
        "GB18030",
        "JOHAB",
        "SHIFT_JIS_2004",
    ];
    usize::try_from(encoding)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("")
}

/// `pg_get_viewdef`: the view's stored query (SQL text, see `tusk_sql::view_query`) with
/// the schema dropped from relations the search path finds by their bare name, as
/// PostgreSQL prints it (a leading space, a closing semicolon); NULL for a relation
/// without a `_RETURN` rule. tusk prints the deparser's one-line form, not PostgreSQL's
/// column-qualified pretty layout.
fn view_definition(session: &dyn SessionContext, view: Oid) -> Result<Datum> {
    let rewrite = catalog("pg_rewrite");
    let rules = session.catalog_rows(rewrite.oid)?;
    let rule = rules
        .matching(rewrite.col("ev_class"), view)
        .find(|r| text(&r[rewrite.col("rulename")]) == "_RETURN");
    let Some(rule) = rule else {
        return Ok(Datum::Null);
    };
    let class = catalog("pg_class");
    let nsp = catalog("pg_namespace");
    let classes = session.catalog_rows(class.oid)?;
    let namespaces = session.catalog_rows(nsp.oid)?;
    let namespace_oid = |name: &str| {
        namespaces
            .iter()
            .find(|r| text(&r[nsp.col("nspname")]) == name)
            .and_then(|r| oid_arg(&r[nsp.col("oid")]))
    };
    let query = tusk_sql::view_query::unqualify_relations(
        text(&rule[rewrite.col("ev_action")]),
        &mut |r| {
            let Some(namespace) = r.schema.as_deref().and_then(namespace_oid) else {
                return Ok(false);
            };
            let objects: Vec<(String, Oid)> = classes
                .iter()
                .filter(|c| text(&c[class.col("relname")]) == r.name)
                .map(|c| {
                    (
                        r.name.clone(),
                        oid_arg(&c[class.col("relnamespace")]).unwrap_or(Oid::INVALID),
                    )
                })
                .collect();
            if !objects.iter().any(|(_, o)| *o == namespace) {
                return Ok(false);
            }
            first_on_search_path(session, &objects, &r.name, namespace)
        },
    )?;
    Ok(Datum::Text(format!(" {query};")))
}

/// `pg_get_ruledef`: a view's `_RETURN` rule as the CREATE RULE statement PostgreSQL
/// prints; NULL for an unknown rule.
fn rule_definition(session: &dyn SessionContext, rule: Oid) -> Result<Datum> {
    let rewrite = catalog("pg_rewrite");
    let Some(row) = row_by_oid(session, rewrite, rule)? else {
        return Ok(Datum::Null);
    };
    let view = oid_arg(&row[rewrite.col("ev_class")]).unwrap_or(Oid::INVALID);
    let Datum::Text(query) = view_definition(session, view)? else {
        return Ok(Datum::Null);
    };
    let class = catalog("pg_class");
    let name = match row_by_oid(session, class, view)? {
        Some(r) => text(&r[class.col("relname")]).to_string(),
        None => return Ok(Datum::Null),
    };
    Ok(Datum::Text(format!(
        "CREATE RULE \"{}\" AS\n    ON SELECT TO {} DO INSTEAD {}",
        text(&row[rewrite.col("rulename")]),
        tusk_sql::view_query::quote_identifier(&name),
        query
    )))
}

/// The relation a `pg_get_viewdef(text)` argument names (`v`, `s.v`, `"My V"`), looked
/// up through the search path.
///
/// Errors: 42P01 `relation "x" does not exist`.
fn relation_by_name(session: &dyn SessionContext, name: &str) -> Result<Oid> {
    let parts: Vec<String> = name
        .split('.')
        .map(|p| {
            let p = p.trim();
            match p.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
                Some(q) => q.replace("\"\"", "\""),
                None => p.to_lowercase(),
            }
        })
        .collect();
    let (schemas, relname) = match parts.as_slice() {
        [n] => (session.search_path(), n.clone()),
        [.., s, n] => (vec![s.clone()], n.clone()),
        [] => (Vec::new(), String::new()),
    };
    let class = catalog("pg_class");
    let nsp = catalog("pg_namespace");
    let classes = session.catalog_rows(class.oid)?;
    let namespaces = session.catalog_rows(nsp.oid)?;
    for schema in schemas {
        let Some(ns) = namespaces
            .iter()
            .find(|r| text(&r[nsp.col("nspname")]) == schema)
            .and_then(|r| oid_arg(&r[nsp.col("oid")]))
        else {
            continue;
        };
        if let Some(rel) = classes.iter().find(|c| {
            text(&c[class.col("relname")]) == relname
                && oid_arg(&c[class.col("relnamespace")]) == Some(ns)
        }) {
            return Ok(oid_arg(&rel[class.col("oid")]).unwrap_or(Oid::INVALID));
        }
    }
    Err(pg_err!(
        UNDEFINED_TABLE,
        "relation \"{}\" does not exist",
        name
    ))
}

pub(super) fn register(t: &mut Table) {
    reg(
        t,
        &[
            "pg_get_viewdef",
            "pg_get_viewdef_ext",
            "pg_get_viewdef_wrap",
        ],
        |ctx, a| {
            let view = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            view_definition(ctx.session, view)
        },
    );
    reg(t, &["pg_get_ruledef", "pg_get_ruledef_ext"], |ctx, a| {
        let rule = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        rule_definition(ctx.session, rule)
    });
    reg(
        t,
        &["pg_get_viewdef_name", "pg_get_viewdef_name_ext"],
        |ctx, a| {
            let view = relation_by_name(ctx.session, text(&a[0]))?;
            view_definition(ctx.session, view)
        },
    );
    reg(t, &["PG_encoding_to_char"], |_, a| {
        let encoding = match a[0] {
            Datum::Int4(e) => e,
            _ => -1,
        };
        Ok(Datum::Text(encoding_name(encoding).to_string()))
    });
    reg(t, &["pg_get_userbyid"], |ctx, a| {
        let role = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        Ok(Datum::Text(role_name(ctx.session, role)?))
    });
    reg(t, &["pg_table_is_visible"], |ctx, a| {
        let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        is_visible(ctx.session, "pg_class", "relname", "relnamespace", rel)
    });
    reg(t, &["pg_relation_is_updatable"], |ctx, a| {
        let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        Ok(Datum::Int4(
            ctx.session.relation_is_updatable(rel, None, ctx.output)?,
        ))
    });
    reg(t, &["pg_column_is_updatable"], |ctx, a| {
        let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        let column = match a[1] {
            Datum::Int2(n) => n,
            _ => 0,
        };
        // Both UPDATE and DELETE, as PostgreSQL requires.
        let wanted = tusk_sql::analyze::EVENT_UPDATE | tusk_sql::analyze::EVENT_DELETE;
        let events = ctx
            .session
            .relation_is_updatable(rel, Some(column), ctx.output)?;
        Ok(Datum::Bool(events & wanted == wanted))
    });
    reg(t, &["pg_type_is_visible"], |ctx, a| {
        let typ = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        is_visible(ctx.session, "pg_type", "typname", "typnamespace", typ)
    });
    // tusk keeps no free space map, visibility map, TOAST or index forks of a table yet,
    // so all three sizes are the main fork's.
    reg(
        t,
        &[
            "pg_relation_size",
            "pg_table_size",
            "pg_total_relation_size",
        ],
        |ctx, a| {
            let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            if let Some(fork) = a.get(1) {
                match text(fork) {
                    "main" => {}
                    "fsm" | "vm" | "init" => return Ok(Datum::Int8(0)),
                    _ => {
                        return Err(pg_err!(INVALID_PARAMETER_VALUE, "invalid fork name")
                            .hint("Valid fork names are \"main\", \"fsm\", \"vm\", and \"init\"."))
                    }
                }
            }
            Ok(match ctx.session.relation_size(rel)? {
                Some(bytes) => Datum::Int8(bytes),
                None => Datum::Null,
            })
        },
    );
    reg(t, &["pg_get_statisticsobjdef_columns"], |ctx, a| {
        let object = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        match row_by_oid(ctx.session, catalog("pg_statistic_ext"), object)? {
            None => Ok(Datum::Null),
            Some(_) => Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "pg_get_statisticsobjdef_columns is not supported"
            )),
        }
    });
    reg(t, &["pg_relation_is_publishable"], |ctx, a| {
        let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        let class = catalog("pg_class");
        Ok(match row_by_oid(ctx.session, class, rel)? {
            None => Datum::Null,
            Some(r) => Datum::Bool(
                matches!(text(&r[class.col("relkind")]), "r" | "p")
                    && text(&r[class.col("relpersistence")]) == "p"
                    && rel.0 >= syscat::FIRST_NORMAL_OBJECT_ID,
            ),
        })
    });
    reg(t, &["current_schemas"], |ctx, a| {
        let implicit = matches!(a[0], Datum::Bool(true));
        let schemas = effective_search_path(ctx.session, implicit)?
            .into_iter()
            .map(Datum::Text)
            .collect();
        Ok(Datum::Array(Box::new(
            tusk_types::adt::array::Array::from_elements(type_oid::NAME, schemas),
        )))
    });
    reg(t, &["pg_my_temp_schema"], |ctx, _| {
        Ok(Datum::Oid(my_temp_schema(ctx.session)?.0))
    });
    reg(t, &["pg_is_other_temp_schema"], |ctx, a| {
        let schema = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        let nsp = catalog("pg_namespace");
        let Some(row) = row_by_oid(ctx.session, nsp, schema)? else {
            return Ok(Datum::Bool(false));
        };
        let name = text(&row[nsp.col("nspname")]);
        let temp = name
            .strip_prefix("pg_temp_")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        Ok(Datum::Bool(temp && my_temp_schema(ctx.session)? != schema))
    });
    reg(t, &["current_schema"], |ctx, _| {
        Ok(effective_search_path(ctx.session, false)?
            .into_iter()
            .next()
            .map_or(Datum::Null, Datum::Text))
    });
    reg(t, &["pg_function_is_visible"], |ctx, a| {
        let proc = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        is_visible(ctx.session, "pg_proc", "proname", "pronamespace", proc)
    });
    reg(t, &["pg_get_function_arguments"], |ctx, a| {
        let proc = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        function_arguments(ctx.session, proc, true)
    });
    // The same list without defaults: how ALTER or DROP FUNCTION names the function.
    reg(t, &["pg_get_function_identity_arguments"], |ctx, a| {
        let proc = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        function_arguments(ctx.session, proc, false)
    });
    reg(t, &["pg_get_function_result"], |ctx, a| {
        let proc = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        function_result(ctx.session, proc)
    });
    reg(t, &["format_type"], |ctx, a| {
        let Some(oid) = oid_arg(&a[0]) else {
            return Ok(Datum::Null);
        };
        if let Some(name) = ctx.output.user_types.format_type(oid) {
            return Ok(Datum::Text(name));
        }
        let typmod = match a.get(1) {
            Some(Datum::Int4(m)) => *m,
            _ => -1,
        };
        Ok(Datum::Text(format_type_with_typmod(oid, typmod)))
    });
    reg(t, &["pg_get_partition_constraintdef"], |ctx, a| {
        let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        partition_constraint_def(ctx.session, rel)
    });
    reg(t, &["pg_get_partkeydef"], |ctx, a| {
        let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        partition_key_def(ctx.session, rel)
    });
    // tusk stores expressions (`adbin`, `conbin`) as their SQL text, and partition
    // bounds (`relpartbound`) as the text PostgreSQL prints for them.
    // Stored expressions are in ruleutils' plain form, every operator in parentheses;
    // the pretty form (`pg_get_expr(e, rel, true)`, psql's `\d`) drops the outermost.
    reg(t, &["pg_get_expr", "pg_get_expr_ext"], |_, a| {
        let stored = text(&a[0]);
        let pretty = matches!(a.get(2), Some(Datum::Bool(true)));
        Ok(Datum::Text(if pretty {
            without_outer_parentheses(stored).to_string()
        } else {
            stored.to_string()
        }))
    });
    reg(
        t,
        &["pg_get_constraintdef", "pg_get_constraintdef_ext"],
        |ctx, a| {
            let constraint = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            constraint_def(ctx.session, constraint)
        },
    );
}

/// `text` without one pair of parentheses enclosing all of it, if it has one (quoted
/// literals and identifiers skipped).
fn without_outer_parentheses(text: &str) -> &str {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'(') || bytes.last() != Some(&b')') {
        return text;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && i + 1 != bytes.len() {
                        return text;
                    }
                }
                _ => {}
            },
        }
    }
    &text[1..text.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_expressions_lose_only_enclosing_parentheses() {
        assert_eq!(without_outer_parentheses("(a * 2)"), "a * 2");
        assert_eq!(
            without_outer_parentheses("(a + 1) * (b + 2)"),
            "(a + 1) * (b + 2)"
        );
        assert_eq!(
            without_outer_parentheses("(a)::text || ')'"),
            "(a)::text || ')'"
        );
        assert_eq!(without_outer_parentheses("55"), "55");
    }

    #[test]
    fn format_type_prints_typmods_as_postgresql() {
        assert_eq!(format_type_with_typmod(type_oid::INT4, -1), "integer");
        assert_eq!(
            format_type_with_typmod(type_oid::VARCHAR, 24),
            "character varying(20)"
        );
        assert_eq!(
            format_type_with_typmod(type_oid::NUMERIC, (10 << 16 | 2) + 4),
            "numeric(10,2)"
        );
        assert_eq!(
            format_type_with_typmod(type_oid::TIMESTAMPTZ, 3),
            "timestamp(3) with time zone"
        );
        assert_eq!(format_type_with_typmod(Oid(1007), -1), "integer[]");
        assert_eq!(format_type_with_typmod(Oid(999_999), -1), "???");
    }

    #[test]
    fn encoding_numbers_name_postgresql_encodings() {
        assert_eq!(encoding_name(6), "UTF8");
        assert_eq!(encoding_name(0), "SQL_ASCII");
        assert_eq!(encoding_name(41), "SHIFT_JIS_2004");
        assert_eq!(encoding_name(42), "");
        assert_eq!(encoding_name(-1), "");
    }
}
