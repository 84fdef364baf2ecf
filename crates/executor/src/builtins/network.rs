//! `inet` and `cidr` operators and functions (PostgreSQL docs §9.12, `network.c`):
//! `network_cmp` order, containment (`<<`, `<<=`, `>>`, `>>=`, `&&`), bitwise `~ & |`,
//! address arithmetic (`+`, `-`), `host`, `masklen`, `netmask`, `network`, `broadcast`,
//! `set_masklen`, `abbrev`, `family`, `inet_merge`, and the connection's addresses.
//!
//! Values are `Datum::Bytea` in `tusk_types::adt::inet`'s order-preserving form; the
//! comparisons compare those bytes (text forms in `io`).
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::adt::inet::Inet;
use tusk_types::{Datum, Error, Result};

use super::{reg, Table};

fn inet(d: &Datum) -> Result<Inet> {
    match d {
        Datum::Bytea(b) => Inet::from_key(b),
        _ => None,
    }
    .ok_or_else(|| Error::internal(format!("inet expected, got {d:?}")))
}

fn value(v: Inet) -> Datum {
    Datum::Bytea(v.to_key())
}

fn cmp(a: &[Datum]) -> Result<Ordering> {
    Ok(inet(&a[0])?.network_cmp(&inet(&a[1])?))
}

fn int(d: &Datum) -> Result<i64> {
    match d {
        Datum::Int2(v) => Ok(i64::from(*v)),
        Datum::Int4(v) => Ok(i64::from(*v)),
        Datum::Int8(v) => Ok(*v),
        other => Err(Error::internal(format!("integer expected, got {other:?}"))),
    }
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["network_eq"], |_, a| Ok(Datum::Bool(cmp(a)?.is_eq())));
    reg(t, &["network_ne"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ne())));
    reg(t, &["network_lt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_lt())));
    reg(t, &["network_le"], |_, a| Ok(Datum::Bool(cmp(a)?.is_le())));
    reg(t, &["network_gt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_gt())));
    reg(t, &["network_ge"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ge())));
    reg(t, &["network_cmp"], |_, a| {
        Ok(Datum::Int4(match cmp(a)? {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["network_larger"], |_, a| {
        Ok(if cmp(a)?.is_ge() { &a[0] } else { &a[1] }.clone())
    });
    reg(t, &["network_smaller"], |_, a| {
        Ok(if cmp(a)?.is_le() { &a[0] } else { &a[1] }.clone())
    });
    reg(t, &["network_sub"], |_, a| {
        Ok(Datum::Bool(inet(&a[0])?.is_subnet_of(&inet(&a[1])?)))
    });
    reg(t, &["network_subeq"], |_, a| {
        Ok(Datum::Bool(
            inet(&a[0])?.is_subnet_or_equal_of(&inet(&a[1])?),
        ))
    });
    reg(t, &["network_sup"], |_, a| {
        Ok(Datum::Bool(inet(&a[1])?.is_subnet_of(&inet(&a[0])?)))
    });
    reg(t, &["network_supeq"], |_, a| {
        Ok(Datum::Bool(
            inet(&a[1])?.is_subnet_or_equal_of(&inet(&a[0])?),
        ))
    });
    reg(t, &["network_overlap"], |_, a| {
        Ok(Datum::Bool(inet(&a[0])?.overlaps(&inet(&a[1])?)))
    });
    reg(t, &["inetnot"], |_, a| Ok(value(inet(&a[0])?.not())));
    reg(t, &["inetand"], |_, a| {
        Ok(value(inet(&a[0])?.bitwise(&inet(&a[1])?, false)?))
    });
    reg(t, &["inetor"], |_, a| {
        Ok(value(inet(&a[0])?.bitwise(&inet(&a[1])?, true)?))
    });
    reg(t, &["inetpl"], |_, a| {
        Ok(value(inet(&a[0])?.add(int(&a[1])?)?))
    });
    reg(t, &["int8pl_inet"], |_, a| {
        Ok(value(inet(&a[1])?.add(int(&a[0])?)?))
    });
    reg(t, &["inetmi_int8"], |_, a| {
        // `-i64::MIN` does not exist; PostgreSQL negates in two's complement too.
        Ok(value(inet(&a[0])?.add(int(&a[1])?.wrapping_neg())?))
    });
    reg(t, &["inetmi"], |_, a| {
        Ok(Datum::Int8(inet(&a[0])?.minus(&inet(&a[1])?)?))
    });
    reg(t, &["network_host"], |_, a| {
        Ok(Datum::Text(inet(&a[0])?.host()))
    });
    reg(t, &["network_show"], |_, a| {
        Ok(Datum::Text(inet(&a[0])?.show()))
    });
    reg(t, &["inet_abbrev"], |_, a| {
        Ok(Datum::Text(inet(&a[0])?.output(false)))
    });
    reg(t, &["cidr_abbrev"], |_, a| {
        Ok(Datum::Text(inet(&a[0])?.abbrev_cidr()))
    });
    reg(t, &["network_masklen"], |_, a| {
        Ok(Datum::Int4(i32::from(inet(&a[0])?.bits)))
    });
    reg(t, &["network_family"], |_, a| {
        Ok(Datum::Int4(inet(&a[0])?.family_number()))
    });
    reg(t, &["network_broadcast"], |_, a| {
        Ok(value(inet(&a[0])?.broadcast()))
    });
    reg(t, &["network_network", "inet_to_cidr"], |_, a| {
        Ok(value(inet(&a[0])?.network()))
    });
    reg(t, &["network_netmask"], |_, a| {
        Ok(value(inet(&a[0])?.netmask()))
    });
    reg(t, &["network_hostmask"], |_, a| {
        Ok(value(inet(&a[0])?.hostmask()))
    });
    reg(t, &["inet_set_masklen"], |_, a| {
        Ok(value(inet(&a[0])?.set_masklen(int(&a[1])? as i32, false)?))
    });
    reg(t, &["cidr_set_masklen"], |_, a| {
        Ok(value(inet(&a[0])?.set_masklen(int(&a[1])? as i32, true)?))
    });
    reg(t, &["inet_same_family"], |_, a| {
        Ok(Datum::Bool(inet(&a[0])?.family == inet(&a[1])?.family))
    });
    reg(t, &["inet_merge"], |_, a| {
        Ok(value(inet(&a[0])?.merge(&inet(&a[1])?)?))
    });
    // The connection's addresses: NULL over a Unix-domain socket, as in PostgreSQL.
    reg(t, &["inet_client_addr"], |ctx, _| {
        Ok(ctx
            .session
            .client_address()
            .map_or(Datum::Null, |a| value(Inet::from_ip(a.ip()))))
    });
    reg(t, &["inet_client_port"], |ctx, _| {
        Ok(ctx
            .session
            .client_address()
            .map_or(Datum::Null, |a| Datum::Int4(i32::from(a.port()))))
    });
    reg(t, &["inet_server_addr"], |ctx, _| {
        Ok(ctx
            .session
            .server_address()
            .map_or(Datum::Null, |a| value(Inet::from_ip(a.ip()))))
    });
    reg(t, &["inet_server_port"], |ctx, _| {
        Ok(ctx
            .session
            .server_address()
            .map_or(Datum::Null, |a| Datum::Int4(i32::from(a.port()))))
    });
}
