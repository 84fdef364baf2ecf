//! Name lookups into the OID alias types (PostgreSQL docs §9.26, table 9.72 and §8.19):
//! the `text`-to-`regclass` cast (`text_regclass`) and the `to_reg*` functions, which
//! answer NULL where the input functions raise "does not exist"; and
//! `pg_get_serial_sequence`, which finds a column's sequence by the table's name.
//!
//! Invariant: these read names only; unlike the input functions they take no OID
//! numbers (`to_regclass('1259')` looks for a relation named `1259`, as PostgreSQL
//! does). A malformed name is still an error.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::catalog_info::{catalog, oid_arg, row_by_oid};
use super::{reg, Table};
use crate::context::EvalContext;
use crate::io::{catalog_name_lookup, reg_in};

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

/// The object `name` names as a value of `type_oid` (`regclass`, `regnamespace`,
/// `regrole`), `None` if there is none and `missing_ok`.
fn lookup(ctx: &EvalContext<'_>, name: &str, type_oid: Oid, missing_ok: bool) -> Result<Datum> {
    let names =
        ctx.output.catalog_names.as_ref().ok_or_else(|| {
            Error::feature_not_supported("catalog name lookups outside a session")
        })?;
    Ok(
        match catalog_name_lookup(name, type_oid, &*names.0, missing_ok)? {
            Some(oid) => Datum::Oid(oid),
            None => Datum::Null,
        },
    )
}

/// The `to_reg*` functions over the built-in catalog: the input function's answer, NULL
/// where it says the object does not exist.
fn builtin_lookup(ctx: &EvalContext<'_>, name: &str, type_oid: Oid) -> Result<Datum> {
    if !name.is_empty() && name.trim().bytes().all(|b| b.is_ascii_digit()) {
        // A number is a name here, and no built-in object has one.
        return Ok(Datum::Null);
    }
    match reg_in(name, type_oid, ctx.output) {
        Ok(oid) => Ok(Datum::Oid(oid)),
        Err(e)
            if matches!(
                e.code,
                SqlState::UNDEFINED_OBJECT
                    | SqlState::UNDEFINED_FUNCTION
                    | SqlState::AMBIGUOUS_FUNCTION
                    | SqlState::INVALID_SCHEMA_NAME
            ) =>
        {
            Ok(Datum::Null)
        }
        Err(e) => Err(e),
    }
}

/// `pg_get_serial_sequence(table, column)`: the schema-qualified name of the sequence a
/// serial or identity column uses (`pg_depend` deptype `a` or `i`), NULL if it has none.
/// The table name is parsed as SQL (case-folded unless quoted); the column name is taken
/// literally.
///
/// Errors: 42P01 unknown table; 42703 `column "c" of relation "t" does not exist`.
fn serial_sequence(ctx: &EvalContext<'_>, table: &str, column: &str) -> Result<Datum> {
    let Datum::Oid(rel) = lookup(ctx, table, type_oid::REGCLASS, false)? else {
        return Ok(Datum::Null);
    };
    let rel = Oid(rel);
    let attribute = catalog("pg_attribute");
    let a = |n: &str| attribute.col(n);
    let attributes = ctx.session.catalog_rows(attribute.oid)?;
    let attnum = attributes
        .matching(a("attrelid"), rel)
        .find(|r| {
            matches!(&r[a("attname")], Datum::Text(n) if n == column)
                && matches!(r[a("attnum")], Datum::Int2(n) if n > 0)
                && r[a("attisdropped")] != Datum::Bool(true)
        })
        .and_then(|r| match r[a("attnum")] {
            Datum::Int2(n) => Some(i32::from(n)),
            _ => None,
        });
    let Some(attnum) = attnum else {
        let class = catalog("pg_class");
        let name = row_by_oid(&*ctx.session, class, rel)?
            .and_then(|r| match &r[class.col("relname")] {
                Datum::Text(n) => Some(n.clone()),
                _ => None,
            })
            .unwrap_or_else(|| table.to_string());
        return Err(pg_err!(
            UNDEFINED_COLUMN,
            "column \"{}\" of relation \"{}\" does not exist",
            column,
            name
        ));
    };
    let depend = catalog("pg_depend");
    let d = |n: &str| depend.col(n);
    let class = catalog("pg_class");
    let depends = ctx.session.catalog_rows(depend.oid)?;
    for r in depends.matching(d("refobjid"), rel) {
        let owned = r[d("classid")] == Datum::Oid(class.oid.0)
            && r[d("refclassid")] == Datum::Oid(class.oid.0)
            && r[d("refobjsubid")] == Datum::Int4(attnum)
            && matches!(&r[d("deptype")], Datum::Text(t) if t == "a" || t == "i");
        if !owned {
            continue;
        }
        let Some(seq) = oid_arg(&r[d("objid")]) else {
            continue;
        };
        let Some(row) = row_by_oid(&*ctx.session, class, seq)? else {
            continue;
        };
        if row[class.col("relkind")] != Datum::Text("S".into()) {
            continue;
        }
        let namespace = oid_arg(&row[class.col("relnamespace")]).unwrap_or(Oid::INVALID);
        let schema = row_by_oid(&*ctx.session, catalog("pg_namespace"), namespace)?
            .and_then(|n| match &n[catalog("pg_namespace").col("nspname")] {
                Datum::Text(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let name = text(&row[class.col("relname")]);
        return Ok(Datum::Text(format!(
            "{}.{}",
            tusk_sql::quote_identifier(&schema),
            tusk_sql::quote_identifier(name)
        )));
    }
    Ok(Datum::Null)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["pg_get_serial_sequence"], |ctx, a| {
        serial_sequence(ctx, text(&a[0]), text(&a[1]))
    });
    reg(t, &["text_regclass"], |ctx, a| {
        lookup(ctx, text(&a[0]), type_oid::REGCLASS, false)
    });
    reg(t, &["to_regclass"], |ctx, a| {
        lookup(ctx, text(&a[0]), type_oid::REGCLASS, true)
    });
    reg(t, &["to_regnamespace"], |ctx, a| {
        lookup(ctx, text(&a[0]), type_oid::REGNAMESPACE, true)
    });
    reg(t, &["to_regrole"], |ctx, a| {
        lookup(ctx, text(&a[0]), type_oid::REGROLE, true)
    });
    reg(t, &["to_regtype"], |ctx, a| {
        builtin_lookup(ctx, text(&a[0]), type_oid::REGTYPE)
    });
    reg(t, &["to_regproc"], |ctx, a| {
        builtin_lookup(ctx, text(&a[0]), type_oid::REGPROC)
    });
    reg(t, &["to_regprocedure"], |ctx, a| {
        builtin_lookup(ctx, text(&a[0]), type_oid::REGPROCEDURE)
    });
    reg(t, &["to_regoper"], |ctx, a| {
        builtin_lookup(ctx, text(&a[0]), type_oid::REGOPER)
    });
    reg(t, &["to_regoperator"], |ctx, a| {
        builtin_lookup(ctx, text(&a[0]), type_oid::REGOPERATOR)
    });
}
