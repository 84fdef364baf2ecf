//! `pg_get_functiondef(func)` (PostgreSQL docs §9.26, table 9.71): a function's `CREATE OR
//! REPLACE FUNCTION` command as PostgreSQL's ruleutils writes it (what psql's `\sf`
//! shows), from its `pg_proc` row: arguments with modes and defaults, result, language,
//! volatility, parallel safety, strictness, non-default cost and rows, support function,
//! and the body dollar-quoted. Also `pg_get_function_sqlbody` and `pg_char_to_encoding`.
//!
//! A SQL-standard body (`prosqlbody`, `RETURN ...`) would need the stored tree deparsed:
//! 0A000.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{pg_err, Datum, Oid, Result};

use super::catalog_info::{
    catalog, encoding_name, function_arguments, function_result, oid_arg, row_by_oid,
};
use super::text::quote_ident;
use super::{reg, Table};
use crate::SessionContext;

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

fn float(d: &Datum) -> f64 {
    match d {
        Datum::Float4(v) => f64::from(*v),
        Datum::Float8(v) => *v,
        _ => 0.0,
    }
}

/// `%g` of a cost or row estimate (whole numbers print without a fraction).
fn short_float(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn function_def(session: &dyn SessionContext, proc: Oid) -> Result<Datum> {
    let p = catalog("pg_proc");
    let Some(row) = row_by_oid(session, p, proc)? else {
        return Ok(Datum::Null);
    };
    let col = |name: &str| &row[p.col(name)];
    let name = text(col("proname")).to_string();
    let kind = text(col("prokind"));
    if kind == "a" {
        return Err(pg_err!(
            WRONG_OBJECT_TYPE,
            "\"{}\" is an aggregate function",
            name
        ));
    }
    if !matches!(col("prosqlbody"), Datum::Null) {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "pg_get_functiondef of a function with a SQL-standard body is not supported"
        ));
    }
    let nsp = catalog("pg_namespace");
    let schema = row_by_oid(
        session,
        nsp,
        oid_arg(col("pronamespace")).unwrap_or(Oid::INVALID),
    )?
    .map(|r| text(&r[nsp.col("nspname")]).to_string())
    .unwrap_or_default();
    let lang = catalog("pg_language");
    let lang_oid = oid_arg(col("prolang")).unwrap_or(Oid::INVALID);
    let language = row_by_oid(session, lang, lang_oid)?
        .map(|r| text(&r[lang.col("lanname")]).to_string())
        .unwrap_or_default();
    let is_procedure = kind == "p";
    let mut out = format!(
        "CREATE OR REPLACE {} {}.{}({})\n",
        if is_procedure {
            "PROCEDURE"
        } else {
            "FUNCTION"
        },
        quote_ident(&schema),
        quote_ident(&name),
        text(&function_arguments(session, proc, true)?)
    );
    if !is_procedure {
        out.push_str(&format!(
            " RETURNS {}\n",
            text(&function_result(session, proc)?)
        ));
    }
    out.push_str(&format!(" LANGUAGE {}\n", quote_ident(&language)));
    let mut options = String::new();
    if kind == "w" {
        options.push_str(" WINDOW");
    }
    match text(col("provolatile")) {
        "i" => options.push_str(" IMMUTABLE"),
        "s" => options.push_str(" STABLE"),
        _ => {}
    }
    match text(col("proparallel")) {
        "s" => options.push_str(" PARALLEL SAFE"),
        "r" => options.push_str(" PARALLEL RESTRICTED"),
        _ => {}
    }
    if matches!(col("proisstrict"), Datum::Bool(true)) {
        options.push_str(" STRICT");
    }
    if matches!(col("prosecdef"), Datum::Bool(true)) {
        options.push_str(" SECURITY DEFINER");
    }
    if matches!(col("proleakproof"), Datum::Bool(true)) {
        options.push_str(" LEAKPROOF");
    }
    // INTERNALlanguageId 12 and ClanguageId 13 default to cost 1, the others to 100.
    let default_cost = if matches!(lang_oid.0, 12 | 13) {
        1.0
    } else {
        100.0
    };
    let cost = float(col("procost"));
    if cost != default_cost {
        options.push_str(&format!(" COST {}", short_float(cost)));
    }
    let rows = float(col("prorows"));
    if rows > 0.0 && rows != 1000.0 {
        options.push_str(&format!(" ROWS {}", short_float(rows)));
    }
    let support = oid_arg(col("prosupport")).unwrap_or(Oid::INVALID);
    if support != Oid::INVALID {
        if let Some(s) = tusk_catalog::builtin().proc_by_oid(support) {
            options.push_str(&format!(" SUPPORT {}", quote_ident(&s.name)));
        }
    }
    if !options.is_empty() {
        out.push_str(&options);
        out.push('\n');
    }
    let body = text(col("prosrc"));
    let mut tag = "$function$".to_string();
    while body.contains(tag.as_str()) {
        tag.insert(tag.len() - 1, 'x');
    }
    out.push_str(&format!("AS {tag}{body}{tag}\n"));
    Ok(Datum::Text(out))
}

/// `pg_char_to_encoding(name)`: the encoding number, -1 for an unknown name (case and
/// punctuation ignored, as PostgreSQL's `pg_char_to_encoding` does).
fn char_to_encoding(name: &str) -> i32 {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = clean(name);
    (0..42)
        .find(|&n| clean(encoding_name(n)) == wanted)
        .unwrap_or(-1)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["pg_get_functiondef"], |ctx, a| {
        let proc = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        function_def(ctx.session, proc)
    });
    reg(t, &["pg_get_function_sqlbody"], |ctx, a| {
        let proc = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        let p = catalog("pg_proc");
        match row_by_oid(ctx.session, p, proc)? {
            Some(row) if !matches!(row[p.col("prosqlbody")], Datum::Null) => Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "pg_get_function_sqlbody of a SQL-standard body is not supported"
            )),
            _ => Ok(Datum::Null),
        }
    });
    reg(t, &["PG_char_to_encoding"], |_, a| {
        Ok(Datum::Int4(char_to_encoding(text(&a[0]))))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_names_read_back() {
        assert_eq!(char_to_encoding("UTF8"), 6);
        assert_eq!(char_to_encoding("utf-8"), 6);
        assert_eq!(char_to_encoding("sql_ascii"), 0);
        assert_eq!(char_to_encoding("foo"), -1);
        assert_eq!(short_float(100.0), "100");
        assert_eq!(short_float(0.5), "0.5");
    }
}
