//! `generate_series` over integers (PostgreSQL docs §9.25).

use tusk_types::{pg_err, Datum, Result};

use super::{Builtin, Table};
use crate::EvalContext;

fn int(d: &Datum) -> i64 {
    match d {
        Datum::Int2(v) => *v as i64,
        Datum::Int4(v) => *v as i64,
        Datum::Int8(v) => *v,
        _ => 0,
    }
}

/// Rows of `generate_series(start, stop[, step])`; 22023 for a zero step. Each row checks
/// for cancellation, so a huge series can be interrupted.
fn series(ctx: &mut EvalContext<'_>, args: &[Datum], wide: bool) -> Result<Vec<Datum>> {
    let (start, stop) = (int(&args[0]), int(&args[1]));
    let step = args.get(2).map(int).unwrap_or(1);
    if step == 0 {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "step size cannot equal zero"
        ));
    }
    let mut out = Vec::new();
    let mut v = start;
    while (step > 0 && v <= stop) || (step < 0 && v >= stop) {
        if out.len() % 4096 == 0 {
            ctx.session.check_interrupts()?;
        }
        out.push(if wide {
            Datum::Int8(v)
        } else {
            Datum::Int4(v as i32)
        });
        match v.checked_add(step) {
            Some(next) => v = next,
            None => break,
        }
    }
    Ok(out)
}

pub(super) fn register(t: &mut Table) {
    t.insert(
        "generate_series_int4",
        Builtin::Set(|ctx, a| series(ctx, a, false)),
    );
    t.insert(
        "generate_series_step_int4",
        Builtin::Set(|ctx, a| series(ctx, a, false)),
    );
    t.insert(
        "generate_series_int8",
        Builtin::Set(|ctx, a| series(ctx, a, true)),
    );
    t.insert(
        "generate_series_step_int8",
        Builtin::Set(|ctx, a| series(ctx, a, true)),
    );
}
