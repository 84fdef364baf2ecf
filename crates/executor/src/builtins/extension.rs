//! Functions of the extensions tusk has built in (`tusk_catalog::extension`). They have no
//! `pg_proc` rows of their own: an extension's install script declares them with
//! `LANGUAGE internal AS '<name>'`, and calls reach them through the session by that name.
//!
//! - amcheck (PostgreSQL docs F.2): `bt_index_check`, `bt_index_parent_check` verify a
//!   B-tree through [`crate::TableAccess::verify_index`].
//! - uuid-ossp (F.46): `uuid_generate_v1`, `v1mc`, `v3`, `v4`, `v5`, `uuid_nil`,
//!   `uuid_ns_*`, per RFC 4122. Version 1 UUIDs use a random node ID with the multicast
//!   bit set (what `v1mc` always does): tusk does not read the host's MAC address.
//! - pg_stat_statements (F.32): the statistics rows and their reset, through
//!   [`crate::SessionContext::statement_statistics`] and friends.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use std::sync::atomic::{AtomicU16, Ordering};

use md5::{Digest, Md5};
use sha1::Sha1;
use tusk_types::{Datum, Oid};

use super::{Builtin, Table};

fn oid_arg(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        Datum::Int4(i) => Oid(*i as u32),
        _ => Oid(0),
    }
}

fn bool_arg(args: &[Datum], i: usize) -> bool {
    matches!(args.get(i), Some(Datum::Bool(true)))
}

fn uuid(bytes: [u8; 16]) -> Datum {
    Datum::Bytea(bytes.to_vec())
}

/// RFC 4122 appendix C name space IDs.
const NS_DNS: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];
const NS_URL: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];
const NS_OID: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x12, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];
const NS_X500: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x14, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// A name-based UUID (version 3 with MD5, 5 with SHA-1): the hash of the name space's
/// bytes followed by the name, with version and variant set.
fn name_based(version: u8, namespace: &[u8], name: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    if version == 3 {
        let mut h = Md5::new();
        h.update(namespace);
        h.update(name);
        out.copy_from_slice(&h.finalize()[..16]);
    } else {
        let mut h = Sha1::new();
        h.update(namespace);
        h.update(name);
        out.copy_from_slice(&h.finalize()[..16]);
    }
    out[6] = (out[6] & 0x0f) | (version << 4);
    out[8] = (out[8] & 0x3f) | 0x80;
    out
}

/// A time-based (version 1) UUID: 60-bit count of 100 ns intervals since 1582-10-15, a
/// clock sequence, and a random node ID with the multicast bit set (RFC 4122 §4.5).
fn time_based() -> [u8; 16] {
    static CLOCK_SEQ: AtomicU16 = AtomicU16::new(0);
    const GREGORIAN_OFFSET: u64 = 0x01B2_1DD2_1381_4000;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let ticks = (now.as_nanos() / 100) as u64 + GREGORIAN_OFFSET;
    let seq = CLOCK_SEQ.fetch_add(1, Ordering::Relaxed) & 0x3fff;
    let node: [u8; 6] = rand::random();
    let mut b = [0u8; 16];
    b[0..4].copy_from_slice(&((ticks & 0xffff_ffff) as u32).to_be_bytes());
    b[4..6].copy_from_slice(&(((ticks >> 32) & 0xffff) as u16).to_be_bytes());
    b[6..8].copy_from_slice(&((((ticks >> 48) & 0x0fff) as u16) | 0x1000).to_be_bytes());
    b[8] = ((seq >> 8) as u8 & 0x3f) | 0x80;
    b[9] = seq as u8;
    b[10..16].copy_from_slice(&node);
    b[10] |= 0x01;
    b
}

fn bytes(d: &Datum) -> &[u8] {
    match d {
        Datum::Bytea(b) => b,
        _ => &[],
    }
}

fn text(d: &Datum) -> &[u8] {
    match d {
        Datum::Text(t) => t.as_bytes(),
        _ => &[],
    }
}

pub(super) fn register(t: &mut Table) {
    // amcheck.
    t.insert(
        "bt_index_check",
        Builtin::Scalar(|ctx, a| {
            ctx.tables
                .verify_index(oid_arg(&a[0]), bool_arg(a, 1))
                .map(|()| Datum::Null)
        }),
    );
    t.insert(
        "bt_index_parent_check",
        Builtin::Scalar(|ctx, a| {
            ctx.tables
                .verify_index(oid_arg(&a[0]), bool_arg(a, 1))
                .map(|()| Datum::Null)
        }),
    );
    // uuid-ossp.
    t.insert("uuid_nil", Builtin::Scalar(|_, _| Ok(uuid([0; 16]))));
    t.insert("uuid_ns_dns", Builtin::Scalar(|_, _| Ok(uuid(NS_DNS))));
    t.insert("uuid_ns_url", Builtin::Scalar(|_, _| Ok(uuid(NS_URL))));
    t.insert("uuid_ns_oid", Builtin::Scalar(|_, _| Ok(uuid(NS_OID))));
    t.insert("uuid_ns_x500", Builtin::Scalar(|_, _| Ok(uuid(NS_X500))));
    t.insert(
        "uuid_generate_v1",
        Builtin::Scalar(|_, _| Ok(uuid(time_based()))),
    );
    t.insert(
        "uuid_generate_v1mc",
        Builtin::Scalar(|_, _| Ok(uuid(time_based()))),
    );
    t.insert(
        "uuid_generate_v3",
        Builtin::Scalar(|_, a| Ok(uuid(name_based(3, bytes(&a[0]), text(&a[1]))))),
    );
    t.insert(
        "uuid_generate_v4",
        Builtin::Scalar(|_, _| Ok(uuid(super::uuid::random_uuid()))),
    );
    t.insert(
        "uuid_generate_v5",
        Builtin::Scalar(|_, a| Ok(uuid(name_based(5, bytes(&a[0]), text(&a[1]))))),
    );
    // pg_stat_statements.
    t.insert(
        "pg_stat_statements_1_10",
        Builtin::Rows(|ctx, a| ctx.session.statement_statistics(bool_arg(a, 0))),
    );
    t.insert(
        "pg_stat_statements_reset_1_7",
        Builtin::Scalar(|ctx, a| {
            let queryid = match a.get(2) {
                Some(Datum::Int8(q)) => *q,
                _ => 0,
            };
            ctx.session
                .reset_statement_statistics(oid_arg(&a[0]), oid_arg(&a[1]), queryid)
                .map(|()| Datum::Null)
        }),
    );
    t.insert(
        "pg_stat_statements_info",
        Builtin::Rows(|ctx, _| ctx.session.statement_statistics_info().map(|r| vec![r])),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn name_based_uuids_match_rfc_4122_examples() {
        // uuid_generate_v3(uuid_ns_dns(), 'www.example.com') and _v5 on PostgreSQL 15.
        assert_eq!(
            hex(&name_based(3, &NS_DNS, b"www.example.com")),
            "5df418813aed351588a72f4a814cf09e"
        );
        assert_eq!(
            hex(&name_based(5, &NS_DNS, b"www.example.com")),
            "2ed6657de927568b95e12665a8aea6a2"
        );
    }

    #[test]
    fn time_based_uuids_have_version_1_variant_and_multicast_node() {
        let a = time_based();
        let b = time_based();
        assert_eq!(a[6] >> 4, 1);
        assert_eq!(a[8] & 0xc0, 0x80);
        assert_eq!(a[10] & 1, 1);
        assert_ne!(a, b);
    }
}
