//! Range I/O: `range_in`/`range_out` over the subtype's own text I/O (the literal's syntax
//! is `tusk_types::adt::range::text`), and the binary `range_send`/`range_recv` format.
//!
//! Binary layout (network byte order), as PostgreSQL's `range_send` writes it:
//!
//! | field | bytes |
//! |---|---|
//! | flags (0x01 empty, 0x02/0x04 lower/upper inclusive, 0x08/0x10 lower/upper infinite) | 1 |
//! | per finite bound, lower first: byte length, the subtype's binary form | i32, n |
//!
//! Entry points: [`range_in`], [`range_out`], [`range_send`], [`range_recv`].

use tusk_types::adt::range::{
    self, make_range, parse_range, quote_bound, Range, RangeBound, RangeText,
};
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use crate::OutputSettings;

/// The subtype of the built-in range type `type_oid`, or 0A000 for another type.
pub(crate) fn subtype_of(type_oid: Oid) -> Result<Oid> {
    range::range_subtype(type_oid).ok_or_else(|| {
        Error::feature_not_supported(format!(
            "range type {} is not supported",
            super::format_type(type_oid)
        ))
    })
}

/// The subtype of the range type `type_oid`, built-in or user-defined.
fn subtype_in(type_oid: Oid, settings: &OutputSettings) -> Result<Oid> {
    settings.user_types.range_subtype(type_oid).ok_or_else(|| {
        Error::feature_not_supported(format!(
            "range type {} is not supported",
            super::format_type(type_oid)
        ))
    })
}

/// `range_in`: parses `text` as a value of the range type `type_oid`, each bound through
/// the subtype's input function.
///
/// Errors: 22P02 `malformed range literal: "..."` (with PostgreSQL's detail), the
/// subtype's own input errors, and [`make_range`]'s (22000 for lower > upper).
pub fn range_in(text: &str, type_oid: Oid, settings: &OutputSettings) -> Result<Datum> {
    let subtype = subtype_in(type_oid, settings)?;
    let value = match parse_range(text)? {
        RangeText::Empty => Range::Empty,
        RangeText::Bounds {
            lower,
            upper,
            lower_inclusive,
            upper_inclusive,
        } => {
            let parse = |bound: Option<String>| -> Result<Option<Datum>> {
                bound
                    .map(|b| super::text_in(&b, subtype, -1, settings))
                    .transpose()
            };
            make_range(
                RangeBound::lower(parse(lower)?, lower_inclusive),
                RangeBound::upper(parse(upper)?, upper_inclusive),
            )?
        }
    };
    Ok(Datum::Range(Box::new(value)))
}

/// `range_out`: `empty`, or the bounds through the subtype's output function, quoted
/// where needed (`["2000-01-01 00:00:00",infinity)`).
pub fn range_out(value: &Range, type_oid: Oid, settings: &OutputSettings) -> Result<String> {
    let Some((lower, upper)) = value.bounds() else {
        return Ok("empty".to_string());
    };
    let subtype = subtype_in(type_oid, settings)?;
    let mut out = String::new();
    out.push(if lower.inclusive { '[' } else { '(' });
    if let Some(v) = &lower.value {
        out.push_str(&quote_bound(&super::text_out_string(v, subtype, settings)?));
    }
    out.push(',');
    if let Some(v) = &upper.value {
        out.push_str(&quote_bound(&super::text_out_string(v, subtype, settings)?));
    }
    out.push(if upper.inclusive { ']' } else { ')' });
    Ok(out)
}

/// `range_send`: the flags byte, then each finite bound's length and binary form.
pub fn range_send(value: &Range, type_oid: Oid, out: &mut Vec<u8>) -> Result<()> {
    let subtype = subtype_of(type_oid)?;
    out.push(value.flags());
    if let Some((lower, upper)) = value.bounds() {
        for v in [&lower.value, &upper.value].into_iter().flatten() {
            let at = out.len();
            out.extend_from_slice(&[0; 4]);
            super::binary_send(v, subtype, out)?;
            let len = (out.len() - at - 4) as i32;
            out[at..at + 4].copy_from_slice(&len.to_be_bytes());
        }
    }
    Ok(())
}

/// `range_recv`: reads what [`range_send`] writes and rebuilds the range with
/// [`make_range`] (so a non-canonical discrete range is canonicalised).
///
/// Errors: 08P01 `insufficient data left in message`, 22P03 for trailing bytes, the
/// subtype's receive errors, and [`make_range`]'s.
pub fn range_recv(bytes: &[u8], type_oid: Oid) -> Result<Datum> {
    let subtype = subtype_of(type_oid)?;
    let insufficient = || pg_err!(PROTOCOL_VIOLATION, "insufficient data left in message");
    let (&flags, mut rest) = bytes.split_first().ok_or_else(insufficient)?;
    let mut bound = |infinite: u8| -> Result<Option<Datum>> {
        if flags & (range::RANGE_EMPTY | infinite) != 0 {
            return Ok(None);
        }
        if rest.len() < 4 {
            return Err(insufficient());
        }
        let len = i32::from_be_bytes(rest[..4].try_into().expect("4 bytes"));
        let len = usize::try_from(len).map_err(|_| insufficient())?;
        let body = rest.get(4..4 + len).ok_or_else(insufficient)?;
        rest = &rest[4 + len..];
        super::binary_recv(body, subtype).map(Some)
    };
    let lower = bound(range::RANGE_LB_INF)?;
    let upper = bound(range::RANGE_UB_INF)?;
    if !rest.is_empty() {
        return Err(pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "incorrect binary data format"
        ));
    }
    let value = if flags & range::RANGE_EMPTY != 0 {
        Range::Empty
    } else {
        make_range(
            RangeBound::lower(lower, flags & range::RANGE_LB_INC != 0),
            RangeBound::upper(upper, flags & range::RANGE_UB_INC != 0),
        )?
    };
    Ok(Datum::Range(Box::new(value)))
}

#[cfg(test)]
mod tests {
    use tusk_types::adt::numeric::Numeric;
    use tusk_types::type_oid;

    use super::*;

    fn int4range(lower: Option<i32>, upper: Option<i32>) -> Range {
        make_range(
            RangeBound::lower(lower.map(Datum::Int4), true),
            RangeBound::upper(upper.map(Datum::Int4), false),
        )
        .expect("range")
    }

    #[test]
    fn send_writes_postgres_layout() {
        let mut out = Vec::new();
        range_send(&int4range(Some(1), Some(5)), type_oid::INT4RANGE, &mut out).expect("send");
        assert_eq!(out, [0x02, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 5]);
        let mut out = Vec::new();
        range_send(&Range::Empty, type_oid::INT4RANGE, &mut out).expect("send");
        assert_eq!(out, [0x01]);
    }

    #[test]
    fn recv_reads_what_send_writes_and_canonicalises() {
        for r in [
            int4range(Some(1), Some(5)),
            int4range(None, Some(5)),
            int4range(None, None),
            Range::Empty,
        ] {
            let mut out = Vec::new();
            range_send(&r, type_oid::INT4RANGE, &mut out).expect("send");
            assert_eq!(
                range_recv(&out, type_oid::INT4RANGE).expect("recv"),
                Datum::Range(Box::new(r))
            );
        }
        // `[1,4]` arrives and becomes `[1,5)`.
        let bytes = [0x06, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4];
        assert_eq!(
            range_recv(&bytes, type_oid::INT4RANGE).expect("recv"),
            Datum::Range(Box::new(int4range(Some(1), Some(5))))
        );
        let numeric = Datum::Numeric(Numeric::parse("2.50").expect("numeric"));
        let r = make_range(
            RangeBound::lower(None, false),
            RangeBound::upper(Some(numeric), true),
        )
        .expect("range");
        let mut out = Vec::new();
        range_send(&r, type_oid::NUMRANGE, &mut out).expect("send");
        assert_eq!(
            range_recv(&out, type_oid::NUMRANGE).expect("recv"),
            Datum::Range(Box::new(r))
        );
        let err = range_recv(&[0x02, 0, 0], type_oid::INT4RANGE).expect_err("short");
        assert_eq!(err.code.code(), "08P01");
    }
}
