//! Heap tuple format: header, null bitmap, attribute data (PostgreSQL's `htup_details.h`,
//! docs §73.6.1 "Table Row Layout"), in our own explicit little-endian encoding.
//!
//! | bytes | field | type | meaning |
//! |---|---|---|---|
//! | 0..4 | `t_xmin` | u32 LE | inserting transaction |
//! | 4..8 | `t_xmax` | u32 LE | deleting or locking transaction, 0 if none |
//! | 8..12 | `t_cid` | u32 LE | command id of the insert or delete |
//! | 12..16 | `t_ctid.block` | u32 LE | block of this tuple or of its newer version |
//! | 16..18 | `t_ctid.offset` | u16 LE | line pointer of this tuple or of its newer version |
//! | 18..20 | `t_infomask2` | u16 LE | number of attributes (low 11 bits) and HOT flags |
//! | 20..22 | `t_infomask` | u16 LE | PostgreSQL's `HEAP_*` flag bits (below) |
//! | 22 | `t_hoff` | u8 | offset of the attribute data |
//! | 23..t_hoff | `t_bits` | bytes | null bitmap, present when `HEAP_HASNULL`: bit i set = attribute i is not null |
//! | t_hoff.. | data | bytes | non-null attributes in order (`crate::row`) |
//!
//! Unlike PostgreSQL, `t_hoff` is not MAXALIGNed and attribute data is not aligned: all
//! decoding copies bytes explicitly, so alignment buys nothing. Items still start 8-byte
//! aligned on the page (page invariant 2).
//!
//! Entry points: [`HeapTupleHeader`], [`HeapTuple`] (owned), [`HeapTupleRef`] (a view of
//! page bytes).

use tusk_types::{BlockNumber, ItemPointer, OffsetNumber, Xid};

/// Bytes of the fixed header before the null bitmap (`SizeofHeapTupleHeader`).
pub const HEAP_TUPLE_HEADER_SIZE: usize = 23;

/// `HEAP_HASNULL`: the tuple has a null bitmap.
pub const HEAP_HASNULL: u16 = 0x0001;
/// `HEAP_HASVARWIDTH`: the tuple has variable-width attributes.
pub const HEAP_HASVARWIDTH: u16 = 0x0002;
/// `HEAP_HASEXTERNAL`: the tuple has out-of-line (TOAST) attributes.
pub const HEAP_HASEXTERNAL: u16 = 0x0004;
/// `HEAP_XMAX_KEYSHR_LOCK`: xmax is a key-share locker.
pub const HEAP_XMAX_KEYSHR_LOCK: u16 = 0x0010;
/// `HEAP_COMBOCID`: `t_cid` is a combo command id.
pub const HEAP_COMBOCID: u16 = 0x0020;
/// `HEAP_XMAX_EXCL_LOCK`: xmax is an exclusive locker.
pub const HEAP_XMAX_EXCL_LOCK: u16 = 0x0040;
/// `HEAP_XMAX_LOCK_ONLY`: xmax, if valid, only locked the row.
pub const HEAP_XMAX_LOCK_ONLY: u16 = 0x0080;
/// `HEAP_XMAX_SHR_LOCK`: both lock bits, a share locker.
pub const HEAP_XMAX_SHR_LOCK: u16 = HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_KEYSHR_LOCK;
/// `HEAP_XMIN_COMMITTED`: hint, t_xmin committed.
pub const HEAP_XMIN_COMMITTED: u16 = 0x0100;
/// `HEAP_XMIN_INVALID`: hint, t_xmin aborted.
pub const HEAP_XMIN_INVALID: u16 = 0x0200;
/// `HEAP_XMIN_FROZEN`: both xmin hints.
pub const HEAP_XMIN_FROZEN: u16 = HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID;
/// `HEAP_XMAX_COMMITTED`: hint, t_xmax committed.
pub const HEAP_XMAX_COMMITTED: u16 = 0x0400;
/// `HEAP_XMAX_INVALID`: hint, t_xmax invalid or aborted.
pub const HEAP_XMAX_INVALID: u16 = 0x0800;
/// `HEAP_XMAX_IS_MULTI`: t_xmax is a MultiXactId.
pub const HEAP_XMAX_IS_MULTI: u16 = 0x1000;
/// `HEAP_UPDATED`: this is the updated version of a row.
pub const HEAP_UPDATED: u16 = 0x2000;
/// Bits that describe xmax (`HEAP_XMAX_BITS`), cleared when a new xmax is set.
pub const HEAP_XMAX_BITS: u16 = HEAP_XMAX_COMMITTED
    | HEAP_XMAX_INVALID
    | HEAP_XMAX_IS_MULTI
    | HEAP_XMAX_LOCK_ONLY
    | HEAP_XMAX_KEYSHR_LOCK
    | HEAP_XMAX_EXCL_LOCK;

/// `HEAP_NATTS_MASK`: low 11 bits of `t_infomask2` count the attributes.
pub const HEAP_NATTS_MASK: u16 = 0x07FF;
/// `HEAP_KEYS_UPDATED`: the tuple was deleted, or updated with key columns changed.
pub const HEAP_KEYS_UPDATED: u16 = 0x2000;
/// `HEAP_HOT_UPDATED`: the tuple was HOT-updated; its newer version is on the same page.
pub const HEAP_HOT_UPDATED: u16 = 0x4000;
/// `HEAP_ONLY_TUPLE`: a heap-only tuple (no index entries point at it).
pub const HEAP_ONLY_TUPLE: u16 = 0x8000;

/// The decoded fixed part of a tuple header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct HeapTupleHeader {
    /// Inserting transaction.
    pub xmin: Xid,
    /// Deleting or locking transaction ([`Xid::INVALID`] if none).
    pub xmax: Xid,
    /// Command id (`t_cid`).
    pub cid: u32,
    /// This tuple's own TID, or that of its newer version after an update.
    pub ctid: ItemPointer,
    /// `t_infomask2`.
    pub infomask2: u16,
    /// `t_infomask`.
    pub infomask: u16,
    /// Offset of the attribute data (`t_hoff`).
    pub hoff: u8,
}

impl HeapTupleHeader {
    /// Decodes the fixed header from the first [`HEAP_TUPLE_HEADER_SIZE`] bytes of `bytes`.
    /// Returns `None` if `bytes` is shorter or `t_hoff` points past its end.
    pub fn decode(bytes: &[u8]) -> Option<HeapTupleHeader> {
        if bytes.len() < HEAP_TUPLE_HEADER_SIZE {
            return None;
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4"));
        let u16_at = |at: usize| u16::from_le_bytes(bytes[at..at + 2].try_into().expect("2"));
        let header = HeapTupleHeader {
            xmin: Xid(u32_at(0)),
            xmax: Xid(u32_at(4)),
            cid: u32_at(8),
            ctid: ItemPointer {
                block: BlockNumber(u32_at(12)),
                offset: OffsetNumber(u16_at(16)),
            },
            infomask2: u16_at(18),
            infomask: u16_at(20),
            hoff: bytes[22],
        };
        ((header.hoff as usize) >= HEAP_TUPLE_HEADER_SIZE && header.hoff as usize <= bytes.len())
            .then_some(header)
    }

    /// Writes the fixed header into the first [`HEAP_TUPLE_HEADER_SIZE`] bytes of `out`.
    pub fn encode(&self, out: &mut [u8]) {
        out[0..4].copy_from_slice(&self.xmin.0.to_le_bytes());
        out[4..8].copy_from_slice(&self.xmax.0.to_le_bytes());
        out[8..12].copy_from_slice(&self.cid.to_le_bytes());
        out[12..16].copy_from_slice(&self.ctid.block.0.to_le_bytes());
        out[16..18].copy_from_slice(&self.ctid.offset.0.to_le_bytes());
        out[18..20].copy_from_slice(&self.infomask2.to_le_bytes());
        out[20..22].copy_from_slice(&self.infomask.to_le_bytes());
        out[22] = self.hoff;
    }

    /// Number of attributes (`HeapTupleHeaderGetNatts`).
    pub fn natts(&self) -> u16 {
        self.infomask2 & HEAP_NATTS_MASK
    }

    /// True if xmax deleted or updated the row (valid, not lock-only, not known invalid):
    /// the row has a successor or is gone once xmax commits.
    pub fn xmax_is_update_or_delete(&self) -> bool {
        self.xmax != Xid::INVALID
            && self.infomask & HEAP_XMAX_INVALID == 0
            && self.infomask & HEAP_XMAX_LOCK_ONLY == 0
    }

    /// `HeapTupleHeaderIsHotUpdated`.
    pub fn is_hot_updated(&self) -> bool {
        self.infomask2 & HEAP_HOT_UPDATED != 0
    }

    /// `HeapTupleHeaderIsHeapOnly`.
    pub fn is_heap_only(&self) -> bool {
        self.infomask2 & HEAP_ONLY_TUPLE != 0
    }
}

/// A view of a tuple stored on a page (or in any byte slice).
#[derive(Clone, Copy, Debug)]
pub struct HeapTupleRef<'a> {
    header: HeapTupleHeader,
    bytes: &'a [u8],
}

impl<'a> HeapTupleRef<'a> {
    /// Interprets `bytes` as a tuple; `None` if the header is malformed.
    pub fn new(bytes: &'a [u8]) -> Option<HeapTupleRef<'a>> {
        Some(HeapTupleRef {
            header: HeapTupleHeader::decode(bytes)?,
            bytes,
        })
    }

    /// The decoded fixed header.
    pub fn header(&self) -> &HeapTupleHeader {
        &self.header
    }

    /// All bytes: header, bitmap and data.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The null bitmap (empty without `HEAP_HASNULL`).
    pub fn null_bitmap(&self) -> &'a [u8] {
        if self.header.infomask & HEAP_HASNULL == 0 {
            return &[];
        }
        &self.bytes[HEAP_TUPLE_HEADER_SIZE..self.header.hoff as usize]
    }

    /// The attribute data after `t_hoff`.
    pub fn data(&self) -> &'a [u8] {
        &self.bytes[self.header.hoff as usize..]
    }

    /// An owned copy.
    pub fn to_owned_tuple(&self) -> HeapTuple {
        HeapTuple {
            bytes: self.bytes.to_vec(),
        }
    }
}

/// An owned tuple: header, bitmap and data in the on-page format.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct HeapTuple {
    bytes: Vec<u8>,
}

impl HeapTuple {
    /// A tuple with a fresh header (xmin/xmax invalid, `HEAP_XMAX_INVALID`, ctid unset) over
    /// `natts` attributes, the given null bitmap (empty if no nulls) and attribute data.
    pub fn form(natts: u16, null_bitmap: &[u8], has_varwidth: bool, data: &[u8]) -> HeapTuple {
        let hoff = HEAP_TUPLE_HEADER_SIZE + null_bitmap.len();
        let mut infomask = HEAP_XMAX_INVALID;
        if !null_bitmap.is_empty() {
            infomask |= HEAP_HASNULL;
        }
        if has_varwidth {
            infomask |= HEAP_HASVARWIDTH;
        }
        let header = HeapTupleHeader {
            xmin: Xid::INVALID,
            xmax: Xid::INVALID,
            cid: 0,
            ctid: ItemPointer::default(),
            infomask2: natts & HEAP_NATTS_MASK,
            infomask,
            hoff: u8::try_from(hoff).expect("at most 1600 attributes: bitmap fits in t_hoff"),
        };
        let mut bytes = vec![0u8; hoff + data.len()];
        header.encode(&mut bytes);
        bytes[HEAP_TUPLE_HEADER_SIZE..hoff].copy_from_slice(null_bitmap);
        bytes[hoff..].copy_from_slice(data);
        HeapTuple { bytes }
    }

    /// Wraps encoded tuple bytes; `None` if the header is malformed.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<HeapTuple> {
        HeapTupleHeader::decode(&bytes)?;
        Some(HeapTuple { bytes })
    }

    /// A view of this tuple.
    pub fn as_ref(&self) -> HeapTupleRef<'_> {
        HeapTupleRef::new(&self.bytes).expect("HeapTuple holds a valid header")
    }

    /// The decoded header.
    pub fn header(&self) -> HeapTupleHeader {
        *self.as_ref().header()
    }

    /// Replaces the fixed header (bitmap and data are kept; `hoff` must not change).
    pub fn set_header(&mut self, header: HeapTupleHeader) {
        debug_assert_eq!(
            header.hoff,
            self.header().hoff,
            "t_hoff is fixed by the bitmap"
        );
        header.encode(&mut self.bytes);
    }

    /// The encoded bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Length in bytes (`t_len`).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false: a tuple has at least its header.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips() {
        let mut t = HeapTuple::form(3, &[0b101], true, b"abc");
        let mut h = t.header();
        assert_eq!(h.natts(), 3);
        assert_eq!(h.hoff as usize, HEAP_TUPLE_HEADER_SIZE + 1);
        assert_eq!(
            h.infomask,
            HEAP_XMAX_INVALID | HEAP_HASNULL | HEAP_HASVARWIDTH
        );
        h.xmin = Xid(7);
        h.ctid = ItemPointer {
            block: BlockNumber(3),
            offset: OffsetNumber(9),
        };
        h.infomask2 |= HEAP_HOT_UPDATED;
        t.set_header(h);
        assert_eq!(t.header(), h);
        assert!(t.header().is_hot_updated());
        assert_eq!(t.as_ref().null_bitmap(), &[0b101]);
        assert_eq!(t.as_ref().data(), b"abc");
    }

    #[test]
    fn malformed_headers_are_rejected() {
        assert!(HeapTupleHeader::decode(&[0u8; 10]).is_none());
        let mut bytes = HeapTuple::form(1, &[], false, b"x").bytes().to_vec();
        bytes[22] = 200;
        assert!(HeapTuple::from_bytes(bytes).is_none());
    }
}
