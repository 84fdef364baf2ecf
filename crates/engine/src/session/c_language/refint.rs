//! contrib/spi's `refint` (referential integrity through general triggers:
//! `check_primary_key`, `check_foreign_key`) and `autoinc` (`autoinc`), with the
//! behaviour of PostgreSQL's C versions, including `REFINT_VERBOSE`'s notices.
//!
//! refint prepares its queries once per trigger (keyed by trigger name and table OID) and
//! keeps them for the backend's life, as PostgreSQL's does: a `check_foreign_key` trigger
//! whose first firing was a DELETE keeps running the DELETE query for later UPDATEs, and
//! an UPDATE ... CASCADE query carries the new key values of the first UPDATE it ran
//! for. The regression suite's output shows both, so they are kept.

use std::cell::RefCell;
use std::collections::HashMap;

use tusk_executor::trigger::{TriggerCall, TriggerEvent};
use tusk_executor::EvalContext;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::{field_number, trigger_new_tuple, trigger_tuple, Symbol};

/// refint's functions.
pub(super) fn refint_symbol(name: &str) -> Option<Symbol> {
    match name {
        "check_primary_key" => Some(Symbol::Trigger(check_primary_key)),
        "check_foreign_key" => Some(Symbol::Trigger(check_foreign_key)),
        _ => None,
    }
}

/// autoinc's function.
pub(super) fn autoinc_symbol(name: &str) -> Option<Symbol> {
    match name {
        "autoinc" => Some(Symbol::Trigger(autoinc)),
        _ => None,
    }
}

thread_local! {
    /// Prepared query texts of `check_primary_key` triggers, by `tgname$relid`.
    static PRIMARY_PLANS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    /// Prepared query texts of `check_foreign_key` triggers (one per referencing table).
    static FOREIGN_PLANS: RefCell<HashMap<String, Vec<String>>> = RefCell::new(HashMap::new());
}

fn no_attribute(name: &str, relname: &str) -> Error {
    pg_err!(
        UNDEFINED_COLUMN,
        "there is no attribute \"{}\" in relation \"{}\"",
        name,
        relname
    )
}

/// `check_primary_key(fkey..., 'ptable', pkey...)`: a BEFORE INSERT OR UPDATE row trigger
/// refusing a row whose key (all non-NULL) has no row in the referenced table.
fn check_primary_key(ctx: &mut EvalContext<'_>, call: &TriggerCall<'_>) -> Result<Datum> {
    if call.level != "ROW" {
        return Err(Error::internal("check_primary_key: must be fired for row"));
    }
    let tuple = match call.event {
        TriggerEvent::Insert => trigger_tuple(call),
        TriggerEvent::Delete => {
            return Err(Error::internal(
                "check_primary_key: cannot process DELETE events",
            ))
        }
        _ => trigger_new_tuple(call),
    }
    .ok_or_else(|| Error::internal("check_primary_key: no row"))?;
    let args = &call.trigger.args;
    if args.len() % 2 != 1 {
        return Err(Error::internal(
            "check_primary_key: odd number of arguments should be specified",
        ));
    }
    let nkeys = args.len() / 2;
    let relname = &args[nkeys];
    let mut params: Vec<(Oid, Datum)> = Vec::with_capacity(nkeys);
    for name in &args[..nkeys] {
        let n = field_number(tuple, name).ok_or_else(|| no_attribute(name, call.relname))?;
        let value = tuple.values[n].clone();
        if value.is_null() {
            return Ok(Datum::Record(Box::new(tuple.clone())));
        }
        params.push((tuple.desc.fields[n].type_oid, value));
    }
    let ident = format!("{}${}", call.trigger.name, call.relid.0);
    let sql = PRIMARY_PLANS.with(|plans| {
        plans
            .borrow_mut()
            .entry(ident)
            .or_insert_with(|| {
                let conditions: Vec<String> = (0..nkeys)
                    .map(|i| {
                        format!(
                            "{} = ${} {}",
                            args[i + nkeys + 1],
                            i + 1,
                            if i < nkeys - 1 { "and " } else { "" }
                        )
                    })
                    .collect();
                format!("select 1 from {} where {}", relname, conditions.concat())
            })
            .clone()
    });
    let result = super::spi_execute(ctx, &sql, &params)?;
    if result.rows.is_empty() {
        return Err(pg_err!(
            TRIGGERED_ACTION_EXCEPTION,
            "tuple references non-existent key"
        )
        .detail(format!(
            "Trigger \"{}\" found tuple referencing non-existent key in \"{}\".",
            call.trigger.name, relname
        )));
    }
    Ok(Datum::Record(Box::new(tuple.clone())))
}

/// The SQL literal text of `value` in a cascaded UPDATE's SET list: quoted for the
/// character and date/time types refint quotes, bare otherwise.
fn set_value(ctx: &EvalContext<'_>, value: &Datum, type_oid: Oid) -> Result<String> {
    let text = tusk_executor::io::text_out_string(value, type_oid, ctx.output)?;
    let quoted = matches!(
        type_oid,
        type_oid::TEXT
            | type_oid::VARCHAR
            | type_oid::BPCHAR
            | type_oid::DATE
            | type_oid::TIMESTAMP
    ) || type_oid.0 == 18;
    Ok(if quoted { format!("'{text}'") } else { text })
}

/// `check_foreign_key(nrefs, action, pkey..., ftable, fkey..., ...)`: a BEFORE DELETE OR
/// UPDATE row trigger acting on the rows of other tables that reference the row's key:
/// `restrict` refuses, `cascade` deletes them (or, for an UPDATE, sets their keys to the
/// new values), `setnull` sets their keys to NULL. An UPDATE that keeps the key does
/// nothing.
fn check_foreign_key(ctx: &mut EvalContext<'_>, call: &TriggerCall<'_>) -> Result<Datum> {
    if call.level != "ROW" {
        return Err(Error::internal("check_foreign_key: must be fired for row"));
    }
    if call.event == TriggerEvent::Insert {
        return Err(Error::internal(
            "check_foreign_key: cannot process INSERT events",
        ));
    }
    let old = trigger_tuple(call).ok_or_else(|| Error::internal("check_foreign_key: no row"))?;
    let new = trigger_new_tuple(call);
    let result_row = || Datum::Record(Box::new(new.unwrap_or(old).clone()));
    let all_args = &call.trigger.args;
    if all_args.len() < 5 {
        return Err(Error::internal(format!(
            "check_foreign_key: too short {} (< 5) list of arguments",
            all_args.len()
        )));
    }
    let nrefs: i64 = all_args[0].trim().parse().map_err(|_| {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type integer: \"{}\"",
            all_args[0]
        )
    })?;
    if nrefs < 1 {
        return Err(Error::internal(format!(
            "check_foreign_key: {nrefs} (< 1) number of references specified"
        )));
    }
    let action = all_args[1]
        .bytes()
        .next()
        .map(|b| b.to_ascii_lowercase())
        .unwrap_or(0);
    if !matches!(action, b'r' | b'c' | b's') {
        return Err(Error::internal(format!(
            "check_foreign_key: invalid action {}",
            all_args[1]
        )));
    }
    let nrefs = nrefs as usize;
    let args = &all_args[2..];
    let nkeys = (args.len().saturating_sub(nrefs)) / (nrefs + 1);
    if nkeys == 0 || args.len() != nrefs + nkeys * (nrefs + 1) {
        return Err(Error::internal(format!(
            "check_foreign_key: invalid number of arguments {} for {} references",
            all_args.len(),
            nrefs
        )));
    }
    let ident = format!("{}${}", call.trigger.name, call.relid.0);
    let cached = FOREIGN_PLANS.with(|plans| plans.borrow().get(&ident).cloned());
    if let Some(plans) = &cached {
        if plans.len() != nrefs {
            return Err(Error::internal(format!(
                "{}: check_foreign_key: # of plans changed in meantime",
                call.trigger.name
            )));
        }
    }
    let mut params: Vec<(Oid, Datum)> = Vec::with_capacity(nkeys);
    let mut key_equal = true;
    let mut key_fields = Vec::with_capacity(nkeys);
    for name in &args[..nkeys] {
        let n = field_number(old, name).ok_or_else(|| no_attribute(name, call.relname))?;
        let value = old.values[n].clone();
        if value.is_null() {
            return Ok(result_row());
        }
        let t = old.desc.fields[n].type_oid;
        if let Some(new) = new {
            let old_text = tusk_executor::io::text_out_string(&value, t, ctx.output)?;
            let new_value = &new.values[n];
            if new_value.is_null()
                || tusk_executor::io::text_out_string(new_value, t, ctx.output)? != old_text
            {
                key_equal = false;
            }
        }
        params.push((t, value));
        key_fields.push(n);
    }
    let refs = &args[nkeys..];
    let plans = match cached {
        Some(plans) => plans,
        None => {
            let mut plans = Vec::with_capacity(nrefs);
            for r in 0..nrefs {
                let group = &refs[r * (nkeys + 1)..(r + 1) * (nkeys + 1)];
                let relname = &group[0];
                let mut sql = match action {
                    b'r' => format!("select 1 from {relname} where "),
                    b'c' => match new {
                        Some(new) => {
                            let mut sql = format!("update {relname} set ");
                            for k in 1..=nkeys {
                                let n = key_fields[k - 1];
                                let value =
                                    set_value(ctx, &new.values[n], new.desc.fields[n].type_oid)?;
                                sql.push_str(&format!(
                                    " {} = {} {} ",
                                    group[k],
                                    value,
                                    if k < nkeys { ", " } else { "" }
                                ));
                            }
                            sql.push_str(" where ");
                            sql
                        }
                        None => format!("delete from {relname} where "),
                    },
                    _ => {
                        let sets: Vec<String> = (1..=nkeys)
                            .map(|k| format!("{} = null", group[k]))
                            .collect();
                        format!("update {relname} set {} where ", sets.join(", "))
                    }
                };
                for (k, column) in group.iter().enumerate().skip(1) {
                    sql.push_str(&format!(
                        "{} = ${} {}",
                        column,
                        k,
                        if k < nkeys { "and " } else { "" }
                    ));
                }
                plans.push(sql);
            }
            FOREIGN_PLANS.with(|p| p.borrow_mut().insert(ident, plans.clone()));
            plans
        }
    };
    if new.is_some() && key_equal {
        return Ok(result_row());
    }
    for (r, sql) in plans.iter().enumerate() {
        let relname = &refs[r * (nkeys + 1)];
        let result = super::spi_execute(ctx, sql, &params)?;
        if action == b'r' {
            if !result.rows.is_empty() {
                return Err(pg_err!(
                    TRIGGERED_ACTION_EXCEPTION,
                    "\"{}\": tuple is referenced in \"{}\"",
                    call.trigger.name,
                    relname
                ));
            }
        } else {
            super::notice(
                ctx,
                format!(
                    "{}: {} tuple(s) of {} are {}",
                    call.trigger.name,
                    result.processed,
                    relname,
                    if action == b'c' {
                        "deleted"
                    } else {
                        "set to null"
                    }
                ),
            );
        }
    }
    Ok(result_row())
}

/// `autoinc(column, sequence [, ...])`: a BEFORE INSERT OR UPDATE row trigger giving each
/// named `int4` column that is NULL or 0 the sequence's next value (the one after, if
/// that is 0).
fn autoinc(ctx: &mut EvalContext<'_>, call: &TriggerCall<'_>) -> Result<Datum> {
    if call.level != "ROW" {
        return Err(Error::internal("can't process STATEMENT events"));
    }
    if call.when != "BEFORE" {
        return Err(Error::internal("must be fired before event"));
    }
    let row = match call.event {
        TriggerEvent::Insert => trigger_tuple(call),
        TriggerEvent::Update => trigger_new_tuple(call),
        _ => return Err(Error::internal("can't process DELETE events")),
    }
    .ok_or_else(|| Error::internal("autoinc: no row"))?;
    let relname = call.relname;
    let args = &call.trigger.args;
    if args.is_empty() || !args.len().is_multiple_of(2) {
        return Err(Error::internal(format!(
            "autoinc ({relname}): even number gt 0 of arguments was expected"
        )));
    }
    let mut row = row.clone();
    for pair in args.chunks(2) {
        let (column, sequence) = (&pair[0], &pair[1]);
        let n = field_number(&row, column).ok_or_else(|| {
            pg_err!(
                TRIGGERED_ACTION_EXCEPTION,
                "\"{}\" has no attribute \"{}\"",
                relname,
                column
            )
        })?;
        if row.desc.fields[n].type_oid != type_oid::INT4 {
            return Err(pg_err!(
                TRIGGERED_ACTION_EXCEPTION,
                "attribute \"{}\" of \"{}\" must be type INT4",
                column,
                relname
            ));
        }
        if matches!(row.values[n], Datum::Int4(v) if v != 0) {
            continue;
        }
        let mut value = super::nextval_int4(ctx, sequence)?;
        if value == 0 {
            value = super::nextval_int4(ctx, sequence)?;
        }
        row.values[n] = Datum::Int4(value);
    }
    Ok(Datum::Record(Box::new(row)))
}
