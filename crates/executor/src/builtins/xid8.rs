//! Full transaction ids and snapshots (PostgreSQL docs §9.27.5 "Transaction ID and
//! Snapshot Information Functions"): `xid8` comparisons, `pg_current_xact_id()`,
//! `pg_current_xact_id_if_assigned()`, `pg_current_snapshot()`, `pg_snapshot_xmin/xmax/xip`,
//! `pg_visible_in_snapshot()`, `pg_xact_status()`, and the `txid_*` functions that share
//! their implementations with `bigint` and `txid_snapshot` in place of `xid8` and
//! `pg_snapshot`.
//!
//! `xid8` values are `Datum::Int8` with the id's bits, compared unsigned; snapshots are
//! their text form (`tusk_types::adt::pg_snapshot`).
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::adt::pg_snapshot::PgSnapshot;
use tusk_types::{Datum, Error, Result};

use super::{reg, Table};
use crate::EvalContext;

fn fxid(d: &Datum) -> u64 {
    match d {
        Datum::Int8(v) => *v as u64,
        _ => 0,
    }
}

fn value(v: u64) -> Datum {
    Datum::Int8(v as i64)
}

fn cmp(a: &[Datum]) -> Ordering {
    fxid(&a[0]).cmp(&fxid(&a[1]))
}

fn snapshot(d: &Datum) -> Result<PgSnapshot> {
    match d {
        Datum::Text(s) => PgSnapshot::parse(s),
        other => Err(Error::internal(format!(
            "expected pg_snapshot, got {other:?}"
        ))),
    }
}

fn current_xact_id(ctx: &mut EvalContext<'_>, _: &[Datum]) -> Result<Datum> {
    Ok(ctx
        .tables
        .current_full_xid(true)?
        .map_or(Datum::Null, value))
}

fn current_xact_id_if_assigned(ctx: &mut EvalContext<'_>, _: &[Datum]) -> Result<Datum> {
    Ok(ctx
        .tables
        .current_full_xid(false)?
        .map_or(Datum::Null, value))
}

fn current_snapshot(ctx: &mut EvalContext<'_>, _: &[Datum]) -> Result<Datum> {
    let (xmin, xmax, xip) = ctx.tables.current_snapshot()?;
    Ok(Datum::Text(PgSnapshot { xmin, xmax, xip }.to_text()))
}

fn snapshot_xip(_: &mut EvalContext<'_>, a: &[Datum]) -> Result<Vec<Datum>> {
    Ok(snapshot(&a[0])?.xip.into_iter().map(value).collect())
}

fn xact_status(ctx: &mut EvalContext<'_>, a: &[Datum]) -> Result<Datum> {
    Ok(ctx
        .tables
        .transaction_status(fxid(&a[0]))?
        .map_or(Datum::Null, |s| Datum::Text(s.to_string())))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["xid8eq"], |_, a| Ok(Datum::Bool(cmp(a).is_eq())));
    reg(t, &["xid8ne"], |_, a| Ok(Datum::Bool(cmp(a).is_ne())));
    reg(t, &["xid8lt"], |_, a| Ok(Datum::Bool(cmp(a).is_lt())));
    reg(t, &["xid8le"], |_, a| Ok(Datum::Bool(cmp(a).is_le())));
    reg(t, &["xid8gt"], |_, a| Ok(Datum::Bool(cmp(a).is_gt())));
    reg(t, &["xid8ge"], |_, a| Ok(Datum::Bool(cmp(a).is_ge())));
    reg(t, &["xid8cmp"], |_, a| {
        Ok(Datum::Int4(match cmp(a) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["xid8_larger"], |_, a| {
        Ok(value(fxid(&a[0]).max(fxid(&a[1]))))
    });
    reg(t, &["xid8_smaller"], |_, a| {
        Ok(value(fxid(&a[0]).min(fxid(&a[1]))))
    });
    reg(t, &["xid8toxid"], |_, a| Ok(Datum::Oid(fxid(&a[0]) as u32)));
    reg(t, &["pg_current_xact_id"], current_xact_id);
    reg(
        t,
        &["pg_current_xact_id_if_assigned"],
        current_xact_id_if_assigned,
    );
    reg(t, &["pg_current_snapshot"], current_snapshot);
    reg(t, &["pg_snapshot_xmin"], |_, a| {
        Ok(value(snapshot(&a[0])?.xmin))
    });
    reg(t, &["pg_snapshot_xmax"], |_, a| {
        Ok(value(snapshot(&a[0])?.xmax))
    });
    t.insert("pg_snapshot_xip", super::Builtin::Set(snapshot_xip));
    reg(t, &["pg_visible_in_snapshot"], |_, a| {
        Ok(Datum::Bool(snapshot(&a[1])?.is_visible(fxid(&a[0]))))
    });
    reg(t, &["pg_xact_status"], xact_status);
}
