//! Name lookups into the OID alias types (PostgreSQL docs §9.26, table 9.72 and §8.19):
//! the `text`-to-`regclass` cast (`text_regclass`) and the `to_reg*` functions, which
//! answer NULL where the input functions raise "does not exist".
//!
//! Invariant: these read names only; unlike the input functions they take no OID
//! numbers (`to_regclass('1259')` looks for a relation named `1259`, as PostgreSQL
//! does). A malformed name is still an error.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use tusk_types::{type_oid, Datum, Error, Oid, Result, SqlState};

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

pub(super) fn register(t: &mut Table) {
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
