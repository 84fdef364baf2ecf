//! Multirange I/O: `multirange_in`/`multirange_out` over the range type's own text I/O
//! (the literal's syntax is `tusk_types::adt::multirange::text`), and the binary
//! `multirange_send`/`multirange_recv` format.
//!
//! Binary layout (network byte order), as PostgreSQL's `multirange_send` writes it:
//!
//! | field | bytes |
//! |---|---|
//! | number of ranges | i32 |
//! | per range: byte length, the range's binary form (`range_send`) | i32, n |
//!
//! Entry points: [`multirange_in`], [`multirange_out`], [`multirange_send`],
//! [`multirange_recv`].

use tusk_types::adt::multirange::{self, text, Multirange};
use tusk_types::adt::range::Range;
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use crate::OutputSettings;

/// The range type of the multirange type `type_oid`, built-in or user-defined.
fn range_type_in(type_oid: Oid, settings: &OutputSettings) -> Result<Oid> {
    settings
        .user_types
        .multirange_range(type_oid)
        .ok_or_else(|| {
            Error::feature_not_supported(format!(
                "multirange type {} is not supported",
                super::format_type(type_oid)
            ))
        })
}

/// The range type of the built-in multirange type `type_oid`, or 0A000 for another.
pub(crate) fn range_type_of(type_oid: Oid) -> Result<Oid> {
    multirange::multirange_range_type(type_oid).ok_or_else(|| {
        Error::feature_not_supported(format!(
            "multirange type {} is not supported",
            super::format_type(type_oid)
        ))
    })
}

fn into_range(d: Datum) -> Result<Range> {
    match d {
        Datum::Range(r) => Ok(*r),
        other => Err(Error::internal(format!("range input gave {other:?}"))),
    }
}

/// `multirange_in`: parses `text` as a value of the multirange type `type_oid`, each
/// range through `range_in`.
///
/// Errors: 22P02 `malformed multirange literal: "..."` (with PostgreSQL's detail) and
/// the range input's errors.
pub fn multirange_in(text: &str, type_oid: Oid, settings: &OutputSettings) -> Result<Datum> {
    let range_type = range_type_in(type_oid, settings)?;
    let value = text::parse_multirange(text, |r| {
        into_range(super::range::range_in(r, range_type, settings)?)
    })?;
    Ok(Datum::Multirange(Box::new(value)))
}

/// `multirange_out`: `{[1,3),[5,7)}`.
pub fn multirange_out(
    value: &Multirange,
    type_oid: Oid,
    settings: &OutputSettings,
) -> Result<String> {
    let range_type = range_type_in(type_oid, settings)?;
    text::format_multirange(value, |r| super::range::range_out(r, range_type, settings))
}

/// `multirange_send`: the number of ranges, then each range's length and binary form.
pub fn multirange_send(value: &Multirange, type_oid: Oid, out: &mut Vec<u8>) -> Result<()> {
    let range_type = range_type_of(type_oid)?;
    out.extend_from_slice(&(value.ranges().len() as i32).to_be_bytes());
    for r in value.ranges() {
        let at = out.len();
        out.extend_from_slice(&[0; 4]);
        super::range::range_send(r, range_type, out)?;
        let len = (out.len() - at - 4) as i32;
        out[at..at + 4].copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

/// `multirange_recv`: reads what [`multirange_send`] writes; the ranges are
/// canonicalised as on text input.
///
/// Errors: 08P01 `insufficient data left in message`, 22P03 for trailing bytes, and the
/// range receive errors.
pub fn multirange_recv(bytes: &[u8], type_oid: Oid) -> Result<Datum> {
    let range_type = range_type_of(type_oid)?;
    let insufficient = || pg_err!(PROTOCOL_VIOLATION, "insufficient data left in message");
    let mut rest = bytes;
    let take_i32 = |rest: &mut &[u8]| -> Result<i32> {
        let head = rest.get(..4).ok_or_else(insufficient)?;
        *rest = &rest[4..];
        Ok(i32::from_be_bytes(head.try_into().expect("4 bytes")))
    };
    let count = take_i32(&mut rest)?;
    let mut ranges = Vec::new();
    for _ in 0..count.max(0) {
        let len = usize::try_from(take_i32(&mut rest)?).map_err(|_| insufficient())?;
        let body = rest.get(..len).ok_or_else(insufficient)?;
        rest = &rest[len..];
        ranges.push(into_range(super::range::range_recv(body, range_type)?)?);
    }
    if !rest.is_empty() {
        return Err(pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "incorrect binary data format"
        ));
    }
    Ok(Datum::Multirange(Box::new(Multirange::new(ranges)?)))
}

#[cfg(test)]
mod tests {
    use tusk_types::type_oid;

    use super::*;

    #[test]
    fn text_round_trip_is_canonical() {
        let settings = OutputSettings::default();
        let value = multirange_in(
            "{[5,7), empty, [1,3], (2,4)}",
            type_oid::INT4MULTIRANGE,
            &settings,
        )
        .expect("in");
        let Datum::Multirange(m) = &value else {
            panic!("not a multirange: {value:?}");
        };
        assert_eq!(
            multirange_out(m, type_oid::INT4MULTIRANGE, &settings).expect("out"),
            "{[1,4),[5,7)}"
        );
        let err =
            multirange_in("{[1,a)}", type_oid::INT4MULTIRANGE, &settings).expect_err("bad bound");
        assert_eq!(err.code.code(), "22P02");
    }

    #[test]
    fn send_writes_postgres_layout_and_recv_reads_it() {
        let settings = OutputSettings::default();
        let value =
            multirange_in("{[1,2),[3,4)}", type_oid::INT4MULTIRANGE, &settings).expect("in");
        let Datum::Multirange(m) = &value else {
            panic!("not a multirange: {value:?}");
        };
        let mut out = Vec::new();
        multirange_send(m, type_oid::INT4MULTIRANGE, &mut out).expect("send");
        let range = |l: u8, u: u8| {
            [
                0, 0, 0, 17, 0x02, 0, 0, 0, 4, 0, 0, 0, l, 0, 0, 0, 4, 0, 0, 0, u,
            ]
        };
        let mut expected = vec![0, 0, 0, 2];
        expected.extend(range(1, 2));
        expected.extend(range(3, 4));
        assert_eq!(out, expected);
        assert_eq!(
            multirange_recv(&out, type_oid::INT4MULTIRANGE).expect("recv"),
            value
        );
        let err = multirange_recv(&out[..10], type_oid::INT4MULTIRANGE).expect_err("short");
        assert_eq!(err.code.code(), "08P01");
    }
}
