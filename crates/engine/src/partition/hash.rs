//! Hash partitioning's row hash (PostgreSQL's `compute_partition_hash_value`): each
//! non-NULL key value's seeded extended hash (`hashint4extended`, `hashtextextended`, ...,
//! Bob Jenkins' lookup3 as PostgreSQL's `hashfn.c` has it) with the seed
//! `HASH_PARTITION_SEED`, folded with `hash_combine64`. Equal to PostgreSQL's, so a row
//! lands in the partition PostgreSQL would put it in.
//!
//! Entry points: [`partition_hash`], [`hashable_type`].

use tusk_types::{type_oid, Datum, Oid};

/// PostgreSQL's `HASH_PARTITION_SEED`.
const HASH_PARTITION_SEED: u64 = 0x7A5B_2236_7996_DCFD;

/// Whether tusk hashes keys of `type_oid` as PostgreSQL does.
pub fn hashable_type(type_oid: Oid) -> bool {
    matches!(
        type_oid,
        type_oid::INT2
            | type_oid::INT4
            | type_oid::INT8
            | type_oid::OID
            | type_oid::TEXT
            | type_oid::VARCHAR
            | type_oid::BPCHAR
            | type_oid::BOOL
            | type_oid::DATE
            | type_oid::TIMESTAMP
            | type_oid::TIMESTAMPTZ
    )
}

fn mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(4);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(6);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(8);
    *b = b.wrapping_add(*a);
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(16);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(19);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(4);
    *b = b.wrapping_add(*a);
}

fn final_mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(14));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(11));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(25));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(16));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(4));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(14));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(24));
}

fn seeded(start: u32, seed: u64) -> (u32, u32, u32) {
    let (mut a, mut b, mut c) = (start, start, start);
    if seed != 0 {
        a = a.wrapping_add((seed >> 32) as u32);
        b = b.wrapping_add(seed as u32);
        mix(&mut a, &mut b, &mut c);
    }
    (a, b, c)
}

/// PostgreSQL's `hash_bytes_uint32_extended`.
pub fn hash_uint32_extended(k: u32, seed: u64) -> u64 {
    let (mut a, mut b, mut c) = seeded(0x9e37_79b9u32.wrapping_add(4 + 3_923_095), seed);
    a = a.wrapping_add(k);
    final_mix(&mut a, &mut b, &mut c);
    (u64::from(b) << 32) | u64::from(c)
}

/// PostgreSQL's `hash_bytes_extended` (the little-endian reading).
pub fn hash_bytes_extended(k: &[u8], seed: u64) -> u64 {
    let start = 0x9e37_79b9u32
        .wrapping_add(k.len() as u32)
        .wrapping_add(3_923_095);
    let (mut a, mut b, mut c) = seeded(start, seed);
    let word = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
    let mut rest = k;
    while rest.len() >= 12 {
        a = a.wrapping_add(word(&rest[0..4]));
        b = b.wrapping_add(word(&rest[4..8]));
        c = c.wrapping_add(word(&rest[8..12]));
        mix(&mut a, &mut b, &mut c);
        rest = &rest[12..];
    }
    let byte = |i: usize| u32::from(rest[i]);
    let len = rest.len();
    if len >= 11 {
        c = c.wrapping_add(byte(10) << 24);
    }
    if len >= 10 {
        c = c.wrapping_add(byte(9) << 16);
    }
    if len >= 9 {
        c = c.wrapping_add(byte(8) << 8);
    }
    for i in (4..len.min(8)).rev() {
        b = b.wrapping_add(byte(i) << (8 * (i - 4)));
    }
    for i in (0..len.min(4)).rev() {
        a = a.wrapping_add(byte(i) << (8 * i));
    }
    final_mix(&mut a, &mut b, &mut c);
    (u64::from(b) << 32) | u64::from(c)
}

fn int8_hash(v: i64, seed: u64) -> u64 {
    let mut lo = v as u32;
    let hi = (v >> 32) as u32;
    lo ^= if v >= 0 { hi } else { !hi };
    hash_uint32_extended(lo, seed)
}

/// One value's extended hash with `seed`, as its type's hash opclass computes it.
fn value_hash(value: &Datum, type_oid: Oid, seed: u64) -> u64 {
    match value {
        Datum::Int2(v) => hash_uint32_extended(i32::from(*v) as u32, seed),
        Datum::Int4(v) => hash_uint32_extended(*v as u32, seed),
        Datum::Int8(v) => int8_hash(*v, seed),
        Datum::Oid(v) => hash_uint32_extended(*v, seed),
        Datum::Bool(v) => hash_uint32_extended(u32::from(*v), seed),
        Datum::Date(v) => hash_uint32_extended(*v as u32, seed),
        Datum::Timestamp(v) | Datum::TimestampTz(v) => int8_hash(*v, seed),
        Datum::Text(s) if type_oid == type_oid::BPCHAR => {
            hash_bytes_extended(s.trim_end_matches(' ').as_bytes(), seed)
        }
        Datum::Text(s) => hash_bytes_extended(s.as_bytes(), seed),
        _ => 0,
    }
}

/// PostgreSQL's `hash_combine64`.
fn hash_combine64(a: u64, b: u64) -> u64 {
    a ^ b
        .wrapping_add(0x49a0_f4dd_15e5_a8e3)
        .wrapping_add(a << 54)
        .wrapping_add(a >> 7)
}

/// The row hash of a hash-partitioned key (NULL values are skipped, as in PostgreSQL).
pub fn partition_hash(key: &[Datum], types: &[Oid]) -> u64 {
    let mut row_hash = 0u64;
    for (value, type_oid) in key.iter().zip(types) {
        if !value.is_null() {
            row_hash = hash_combine64(row_hash, value_hash(value, *type_oid, HASH_PARTITION_SEED));
        }
    }
    row_hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remainder(value: Datum, type_oid: Oid) -> u64 {
        partition_hash(&[value], &[type_oid]) % 4
    }

    /// Placements PostgreSQL 15 chose for these values with `MODULUS 4`.
    #[test]
    fn rows_land_where_postgresql_puts_them() {
        let int4 = [
            (0, vec![-3, 0, 1, 12]),
            (1, vec![-1, 3, 5, 8, 9, 11]),
            (2, vec![-2, 2]),
            (3, vec![4, 6, 7, 10]),
        ];
        for (expected, values) in int4 {
            for v in values {
                assert_eq!(remainder(Datum::Int4(v), type_oid::INT4), expected, "{v}");
            }
        }
        let text = [
            (0, "abcdefghijklmnopq"),
            (0, "hello"),
            (2, ""),
            (2, "a"),
            (3, "xyz12345678"),
        ];
        for (expected, v) in text {
            assert_eq!(
                remainder(Datum::Text(v.into()), type_oid::TEXT),
                expected,
                "{v}"
            );
        }
        let int8 = [
            (0, 1),
            (0, 5_000_000_000),
            (1, -1),
            (3, -5_000_000_000),
            (3, 7),
        ];
        for (expected, v) in int8 {
            assert_eq!(remainder(Datum::Int8(v), type_oid::INT8), expected, "{v}");
        }
        assert_eq!(partition_hash(&[Datum::Null], &[type_oid::INT4]), 0);
    }
}
