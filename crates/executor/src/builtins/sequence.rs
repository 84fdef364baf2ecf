//! Sequence functions (PostgreSQL docs §9.17): `nextval`, `currval`, `setval`, `lastval`,
//! served by the session (sequences change outside transactions).

use tusk_types::{Datum, Oid};

use super::{reg, Table};

fn oid(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn int8(d: &Datum) -> i64 {
    match d {
        Datum::Int8(v) => *v,
        Datum::Int4(v) => i64::from(*v),
        _ => 0,
    }
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["nextval_oid"], |ctx, a| {
        Ok(Datum::Int8(ctx.session.nextval(oid(&a[0]))?))
    });
    reg(t, &["currval_oid"], |ctx, a| {
        Ok(Datum::Int8(ctx.session.currval(oid(&a[0]))?))
    });
    reg(t, &["setval_oid"], |ctx, a| {
        Ok(Datum::Int8(ctx.session.setval(
            oid(&a[0]),
            int8(&a[1]),
            true,
        )?))
    });
    reg(t, &["setval3_oid"], |ctx, a| {
        let called = matches!(a[2], Datum::Bool(true));
        Ok(Datum::Int8(ctx.session.setval(
            oid(&a[0]),
            int8(&a[1]),
            called,
        )?))
    });
    reg(t, &["lastval"], |ctx, _| {
        Ok(Datum::Int8(ctx.session.lastval()?))
    });
}
