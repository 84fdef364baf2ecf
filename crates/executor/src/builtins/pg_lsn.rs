//! `pg_lsn` operators and functions and the WAL position functions (PostgreSQL docs
//! §8.20 and §9.27.3): comparisons as unsigned 64-bit positions, byte arithmetic through
//! `numeric`, `pg_current_wal_lsn()` / `_insert_lsn()` / `_flush_lsn()`, `pg_walfile_name()`.
//!
//! Values are `Datum::Int8` holding the position's bits (text form in `io`).
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::adt::numeric::Numeric;
use tusk_types::adt::pg_lsn;
use tusk_types::{Datum, Error, Result};

use super::{reg, Table};
use crate::WalPosition;

fn lsn(d: &Datum) -> u64 {
    match d {
        Datum::Int8(v) => *v as u64,
        _ => 0,
    }
}

fn cmp(a: &[Datum]) -> Ordering {
    lsn(&a[0]).cmp(&lsn(&a[1]))
}

fn numeric(d: &Datum) -> Result<&Numeric> {
    match d {
        Datum::Numeric(n) => Ok(n),
        other => Err(Error::internal(format!("expected numeric, got {other:?}"))),
    }
}

fn value(v: u64) -> Datum {
    Datum::Int8(v as i64)
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["pg_lsn_eq"], |_, a| Ok(Datum::Bool(cmp(a).is_eq())));
    reg(t, &["pg_lsn_ne"], |_, a| Ok(Datum::Bool(cmp(a).is_ne())));
    reg(t, &["pg_lsn_lt"], |_, a| Ok(Datum::Bool(cmp(a).is_lt())));
    reg(t, &["pg_lsn_le"], |_, a| Ok(Datum::Bool(cmp(a).is_le())));
    reg(t, &["pg_lsn_gt"], |_, a| Ok(Datum::Bool(cmp(a).is_gt())));
    reg(t, &["pg_lsn_ge"], |_, a| Ok(Datum::Bool(cmp(a).is_ge())));
    reg(t, &["pg_lsn_cmp"], |_, a| {
        Ok(Datum::Int4(match cmp(a) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["pg_lsn_larger"], |_, a| {
        Ok(value(lsn(&a[0]).max(lsn(&a[1]))))
    });
    reg(t, &["pg_lsn_smaller"], |_, a| {
        Ok(value(lsn(&a[0]).min(lsn(&a[1]))))
    });
    reg(t, &["pg_lsn_mi", "pg_wal_lsn_diff"], |_, a| {
        Ok(Datum::Numeric(pg_lsn::difference(lsn(&a[0]), lsn(&a[1]))))
    });
    reg(t, &["pg_lsn_pli"], |_, a| {
        Ok(value(pg_lsn::add_bytes(
            lsn(&a[0]),
            numeric(&a[1])?,
            false,
        )?))
    });
    reg(t, &["numeric_pl_pg_lsn"], |_, a| {
        Ok(value(pg_lsn::add_bytes(
            lsn(&a[1]),
            numeric(&a[0])?,
            false,
        )?))
    });
    reg(t, &["pg_lsn_mii"], |_, a| {
        Ok(value(pg_lsn::add_bytes(lsn(&a[0]), numeric(&a[1])?, true)?))
    });
    reg(t, &["numeric_pg_lsn"], |_, a| {
        Ok(value(pg_lsn::from_numeric(numeric(&a[0])?)?))
    });
    reg(t, &["pg_current_wal_lsn"], |ctx, _| {
        Ok(value(ctx.session.wal_position(WalPosition::Write)?))
    });
    reg(t, &["pg_current_wal_insert_lsn"], |ctx, _| {
        Ok(value(ctx.session.wal_position(WalPosition::Insert)?))
    });
    reg(t, &["pg_current_wal_flush_lsn"], |ctx, _| {
        Ok(value(ctx.session.wal_position(WalPosition::Flush)?))
    });
    reg(t, &["pg_walfile_name"], |ctx, a| {
        let (timeline, segment_size) = ctx.session.wal_segments()?;
        // The segment holding the byte before the position (`XLByteToPrevSeg`).
        let segno = lsn(&a[0]).saturating_sub(1) / segment_size;
        let per_id = 0x1_0000_0000 / segment_size;
        Ok(Datum::Text(format!(
            "{:08X}{:08X}{:08X}",
            timeline,
            segno / per_id,
            segno % per_id
        )))
    });
}
