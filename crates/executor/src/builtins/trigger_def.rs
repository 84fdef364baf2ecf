//! `pg_get_triggerdef(trigger [, pretty])` (PostgreSQL docs §9.26): a trigger's `CREATE
//! TRIGGER` command rebuilt from `pg_trigger` as PostgreSQL's ruleutils does:
//! `CREATE TRIGGER name BEFORE INSERT OR UPDATE OF a ON schema.table FOR EACH ROW WHEN
//! ((cond)) EXECUTE FUNCTION f('arg')`. Events print in PostgreSQL's order (INSERT,
//! DELETE, UPDATE, TRUNCATE); pretty output names the table without its schema when the
//! search path finds it (psql's `\d` "Triggers:" footer uses that form). The function's
//! schema is shown when the search path does not find it.
//!
//! tusk stores the WHEN condition as SQL text, printed inside `WHEN ((...))`.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{Datum, Oid, Result};

use super::catalog_info::{catalog, is_visible, oid_arg, row_by_oid};
use super::text::quote_ident;
use super::{reg, Table};
use crate::trigger::{
    TRIGGER_TYPE_BEFORE, TRIGGER_TYPE_DELETE, TRIGGER_TYPE_INSERT, TRIGGER_TYPE_INSTEAD,
    TRIGGER_TYPE_ROW, TRIGGER_TYPE_TRUNCATE, TRIGGER_TYPE_UPDATE,
};
use crate::SessionContext;

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

/// `name` or `schema.name`: qualified unless `pretty` and visible.
fn object_name(
    session: &dyn SessionContext,
    catalog_name: &str,
    name_col: &str,
    namespace_col: &str,
    oid: Oid,
    always_visible_check: bool,
) -> Result<String> {
    let cat = catalog(catalog_name);
    let Some(row) = row_by_oid(session, cat, oid)? else {
        return Ok(oid.0.to_string());
    };
    let name = quote_ident(text(&row[cat.col(name_col)]));
    let visible = matches!(
        is_visible(session, catalog_name, name_col, namespace_col, oid)?,
        Datum::Bool(true)
    );
    if always_visible_check && visible {
        return Ok(name);
    }
    let nsp = catalog("pg_namespace");
    let schema = row_by_oid(
        session,
        nsp,
        oid_arg(&row[cat.col(namespace_col)]).unwrap_or(Oid::INVALID),
    )?
    .map(|r| text(&r[nsp.col("nspname")]).to_string())
    .unwrap_or_default();
    Ok(format!("{}.{}", quote_ident(&schema), name))
}

/// A string literal as `simple_quote_literal` writes it.
fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn trigger_def(session: &dyn SessionContext, trigger: Oid, pretty: bool) -> Result<Datum> {
    let cat = catalog("pg_trigger");
    let Some(row) = row_by_oid(session, cat, trigger)? else {
        return Ok(Datum::Null);
    };
    let c = |n: &str| cat.col(n);
    let tgtype = match row[c("tgtype")] {
        Datum::Int2(t) => t,
        _ => 0,
    };
    let rel = oid_arg(&row[c("tgrelid")]).unwrap_or(Oid::INVALID);
    let mut out = format!("CREATE TRIGGER {} ", quote_ident(text(&row[c("tgname")])));
    out.push_str(if tgtype & TRIGGER_TYPE_BEFORE != 0 {
        "BEFORE"
    } else if tgtype & TRIGGER_TYPE_INSTEAD != 0 {
        "INSTEAD OF"
    } else {
        "AFTER"
    });
    let mut events = Vec::new();
    if tgtype & TRIGGER_TYPE_INSERT != 0 {
        events.push("INSERT".to_string());
    }
    if tgtype & TRIGGER_TYPE_DELETE != 0 {
        events.push("DELETE".to_string());
    }
    if tgtype & TRIGGER_TYPE_UPDATE != 0 {
        let mut update = "UPDATE".to_string();
        let attnums: Vec<i16> = tusk_types::adt::array::int2_values(&row[c("tgattr")]);
        if !attnums.is_empty() {
            let pg_attribute = catalog("pg_attribute");
            let attributes = session.catalog_rows(pg_attribute.oid)?;
            let names: Vec<String> = attnums
                .iter()
                .map(|n| {
                    attributes
                        .matching(pg_attribute.col("attrelid"), rel)
                        .find(|r| r[pg_attribute.col("attnum")] == Datum::Int2(*n))
                        .map_or_else(
                            || n.to_string(),
                            |r| quote_ident(text(&r[pg_attribute.col("attname")])),
                        )
                })
                .collect();
            update.push_str(" OF ");
            update.push_str(&names.join(", "));
        }
        events.push(update);
    }
    if tgtype & TRIGGER_TYPE_TRUNCATE != 0 {
        events.push("TRUNCATE".to_string());
    }
    out.push(' ');
    out.push_str(&events.join(" OR "));
    out.push_str(" ON ");
    out.push_str(&object_name(
        session,
        "pg_class",
        "relname",
        "relnamespace",
        rel,
        pretty,
    )?);
    out.push_str(if tgtype & TRIGGER_TYPE_ROW != 0 {
        " FOR EACH ROW"
    } else {
        " FOR EACH STATEMENT"
    });
    if let Datum::Text(when) = &row[c("tgqual")] {
        // PostgreSQL's pretty form drops the expression's own outer parentheses.
        if pretty {
            out.push_str(&format!(" WHEN ({when})"));
        } else {
            out.push_str(&format!(" WHEN (({when}))"));
        }
    }
    let function = oid_arg(&row[c("tgfoid")]).unwrap_or(Oid::INVALID);
    let fname = object_name(
        session,
        "pg_proc",
        "proname",
        "pronamespace",
        function,
        true,
    )?;
    let nargs = match row[c("tgnargs")] {
        Datum::Int2(n) => n.max(0) as usize,
        _ => 0,
    };
    let args: Vec<String> = match &row[c("tgargs")] {
        Datum::Bytea(b) => b
            .split(|x| *x == 0)
            .take(nargs)
            .map(|a| quote_literal(&String::from_utf8_lossy(a)))
            .collect(),
        _ => Vec::new(),
    };
    out.push_str(&format!(" EXECUTE FUNCTION {}({})", fname, args.join(", ")));
    Ok(Datum::Text(out))
}

pub(super) fn register(t: &mut Table) {
    reg(
        t,
        &["pg_get_triggerdef", "pg_get_triggerdef_ext"],
        |ctx, a| {
            let trigger = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            let pretty = matches!(a.get(1), Some(Datum::Bool(true)));
            trigger_def(ctx.session, trigger, pretty)
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_print_as_literals() {
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
