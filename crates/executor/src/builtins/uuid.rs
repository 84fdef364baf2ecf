//! `uuid` comparison and generation (PostgreSQL docs §8.12 and §9.14): the B-tree
//! operators compare the 16 bytes in order, as `uuid_cmp` does; `gen_random_uuid()`
//! returns a version 4 (random) UUID from the thread's cryptographically secure generator.
//!
//! Values are `Datum::Bytea` of exactly 16 bytes (text form in `io`).
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::{Datum, Result};

use super::{reg, Table};

fn bytes(d: &Datum) -> &[u8] {
    match d {
        Datum::Bytea(b) => b,
        _ => &[],
    }
}

fn cmp(a: &[Datum]) -> Ordering {
    bytes(&a[0]).cmp(bytes(&a[1]))
}

/// A version 4 UUID: 122 random bits, the version nibble 4 and the RFC 4122 variant.
pub fn random_uuid() -> [u8; 16] {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    b
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["uuid_eq"], |_, a| Ok(Datum::Bool(cmp(a).is_eq())));
    reg(t, &["uuid_ne"], |_, a| Ok(Datum::Bool(cmp(a).is_ne())));
    reg(t, &["uuid_lt"], |_, a| Ok(Datum::Bool(cmp(a).is_lt())));
    reg(t, &["uuid_le"], |_, a| Ok(Datum::Bool(cmp(a).is_le())));
    reg(t, &["uuid_gt"], |_, a| Ok(Datum::Bool(cmp(a).is_gt())));
    reg(t, &["uuid_ge"], |_, a| Ok(Datum::Bool(cmp(a).is_ge())));
    reg(t, &["uuid_cmp"], |_, a| {
        Ok(Datum::Int4(match cmp(a) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    reg(t, &["gen_random_uuid"], |_, _| -> Result<Datum> {
        Ok(Datum::Bytea(random_uuid().to_vec()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{uuid_in, uuid_out};

    #[test]
    fn text_forms_follow_postgres() {
        let canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
        for input in [
            "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
            "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
            "a0eebc999c0b4ef8bb6d6bb9bd380a11",
            "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
            "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
        ] {
            assert_eq!(
                uuid_out(&uuid_in(input).expect(input)),
                canonical,
                "{input}"
            );
        }
        for bad in [
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
            "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
            "-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
            "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "",
        ] {
            let e = uuid_in(bad).expect_err(bad);
            assert_eq!(
                e.message,
                format!("invalid input syntax for type uuid: \"{bad}\"")
            );
        }
    }

    #[test]
    fn random_uuids_are_version_4() {
        let a = random_uuid();
        let b = random_uuid();
        assert_ne!(a, b);
        assert_eq!(a[6] >> 4, 4);
        assert_eq!(a[8] >> 6, 0b10);
    }
}
