//! `tid`: a tuple identifier `(block,offset)`, the type of the `ctid` system column.
//!
//! In a [`Datum`] a tid is `Datum::Int8(block << 16 | offset)`, so integer order is
//! PostgreSQL's tid order (block, then offset); the type OID tells it from a `bigint`.
//!
//! Entry points: [`tid_datum`], [`tid_from_datum`], [`tid_in`], [`tid_out`].

use crate::{pg_err, BlockNumber, Datum, ItemPointer, OffsetNumber, Result};

/// The datum of `tid`.
pub fn tid_datum(tid: ItemPointer) -> Datum {
    Datum::Int8((i64::from(tid.block.0) << 16) | i64::from(tid.offset.0))
}

/// The tid a datum made by [`tid_datum`] holds (`None` for other datums).
pub fn tid_from_datum(d: &Datum) -> Option<ItemPointer> {
    match d {
        Datum::Int8(v) if *v >= 0 => Some(ItemPointer {
            block: BlockNumber((*v >> 16) as u32),
            offset: OffsetNumber((*v & 0xffff) as u16),
        }),
        _ => None,
    }
}

/// `tidin`: `(block,offset)`, each an unsigned number (block below 2^32, offset below
/// 2^16), spaces allowed before each number.
///
/// Errors: 22P02 `invalid input syntax for type tid: "..."`.
pub fn tid_in(text: &str) -> Result<ItemPointer> {
    let bad = || {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type tid: \"{}\"",
            text
        )
    };
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(bad)?;
    let (block, offset) = inner.split_once(',').ok_or_else(bad)?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim_start();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let block = number(block)
        .filter(|b| *b <= u64::from(u32::MAX))
        .ok_or_else(bad)?;
    let offset = number(offset)
        .filter(|o| *o <= u64::from(u16::MAX))
        .ok_or_else(bad)?;
    Ok(ItemPointer {
        block: BlockNumber(block as u32),
        offset: OffsetNumber(offset as u16),
    })
}

/// `tidout`: `(block,offset)`.
pub fn tid_out(tid: ItemPointer) -> String {
    format!("({},{})", tid.block.0, tid.offset.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trip_and_order() {
        let a = tid_in("(0,1)").expect("valid");
        let b = tid_in("( 1, 0)").expect("valid");
        assert_eq!(tid_out(a), "(0,1)");
        assert_eq!(tid_out(b), "(1,0)");
        assert_eq!(tid_from_datum(&tid_datum(b)), Some(b));
        let (Datum::Int8(x), Datum::Int8(y)) = (tid_datum(a), tid_datum(b)) else {
            panic!("tids are Int8 datums");
        };
        assert!(x < y, "block orders before offset");
        assert_eq!(
            tid_out(tid_in("(4294967295,65535)").expect("max")),
            "(4294967295,65535)"
        );
    }

    #[test]
    fn malformed_text_is_22p02() {
        for bad in [
            "0,1",
            "(0,1",
            "(0;1)",
            "(-1,1)",
            "(0,65536)",
            "(4294967296,1)",
            "(,1)",
        ] {
            let e = tid_in(bad).expect_err(bad);
            assert_eq!(e.code, crate::SqlState::INVALID_TEXT_REPRESENTATION);
            assert_eq!(
                e.message,
                format!("invalid input syntax for type tid: \"{bad}\"")
            );
        }
    }
}
