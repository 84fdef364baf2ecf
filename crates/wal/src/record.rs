//! The WAL record: what a change looks like in the log, and its byte encoding.
//!
//! A record is a fixed header, block references (which pages the change touches, with an
//! optional full-page image and per-block data), then the resource manager's main data. All
//! integers are little-endian. Records start on 8-byte boundaries in the LSN space; the header
//! is never split across WAL pages (see `page.rs`), the rest may be.
//!
//! ```text
//! offset size  field
//!   0     4    total length in bytes (header included)
//!   4     4    xid (0 if the change belongs to no transaction)
//!   8     8    prev: start LSN of the previous record
//!  16     1    info (resource-manager specific; high nibble = record kind)
//!  17     1    rmgr id
//!  18     2    zero padding
//!  20     4    CRC-32C over bytes 24..total, then bytes 0..20
//!  24     1    block reference count N (at most 32)
//!  25   20*N   block headers:  spc u32 | db u32 | relnumber u32 | block u32 |
//!                              fork u8 | flags u8 | data length u16
//!   .     4    main data length
//!   .     .    per block, in order: 8192-byte page image if flags & HAS_IMAGE (or, with
//!              IMAGE_COMPRESSED, u16 length + LZ4 bytes), then its data
//!   .     .    main data
//! ```
//!
//! The CRC covers the body first and the header second, as PostgreSQL's does, so a backend
//! computes the body's CRC before taking the insertion lock and finishes it with the header
//! (which holds `prev`, known only once the record's position is reserved).
//!
//! Entry points: [`RecordBuilder`] (what a caller fills in), [`RecordBuilder::encode`],
//! [`DecodedRecord::decode`]. See also: `docs/design/wal.md`.

use std::fmt;

use tusk_types::{BlockNumber, ForkNumber, Lsn, Oid, RelFileLocator, Xid};

use crate::compress::{compress_image, decompress_image, WalCompression};
use crate::RmgrId;

/// Size of the fixed record header in bytes.
pub const RECORD_HEADER_SIZE: usize = 24;
/// Size of one block reference header in bytes.
pub const BLOCK_HEADER_SIZE: usize = 20;
/// Size of a full-page image (one 8 KB data page).
pub const PAGE_IMAGE_SIZE: usize = 8192;
/// Most block references one record may carry (PostgreSQL's `XLR_MAX_BLOCK_ID + 1`).
pub const MAX_BLOCK_REFS: usize = 32;
/// Largest per-block data in bytes.
pub const MAX_BLOCK_DATA: usize = u16::MAX as usize;
/// Largest total record size in bytes (PostgreSQL's `XLogRecordMaxSize`, 1020 MB).
pub const MAX_RECORD_SIZE: usize = 1020 * 1024 * 1024;
/// Offset of the CRC field in the header.
const CRC_OFFSET: usize = 20;

/// Block reference flag: an 8192-byte page image follows (restores a possibly torn page).
pub const BLOCK_HAS_IMAGE: u8 = 0x01;
/// Block reference flag: redo reinitialises the page, so it need not be read first.
pub const BLOCK_WILL_INIT: u8 = 0x02;
/// Block reference flag (with [`BLOCK_HAS_IMAGE`]): the image is LZ4-compressed and stored as a
/// 2-byte little-endian length followed by that many bytes (`wal_compression`, see
/// `compress.rs`).
pub const BLOCK_IMAGE_COMPRESSED: u8 = 0x04;

/// One page a record touches.
#[derive(Clone, PartialEq, Eq)]
pub struct BlockRef {
    /// The relation's files.
    pub locator: RelFileLocator,
    /// Which fork.
    pub fork: ForkNumber,
    /// Which block of the fork.
    pub block: BlockNumber,
    /// A full-page image (taken on the first change after a checkpoint); redo restores it
    /// instead of applying `data`.
    pub image: Option<Box<[u8; PAGE_IMAGE_SIZE]>>,
    /// Redo initialises the page from scratch (no need to read it).
    pub will_init: bool,
    /// Resource-manager data for this block (at most [`MAX_BLOCK_DATA`] bytes).
    pub data: Vec<u8>,
}

impl BlockRef {
    /// A reference to `block` of `fork` of `locator`, with no image and no data.
    pub fn new(locator: RelFileLocator, fork: ForkNumber, block: BlockNumber) -> BlockRef {
        BlockRef {
            locator,
            fork,
            block,
            image: None,
            will_init: false,
            data: Vec::new(),
        }
    }

    fn flags(&self) -> u8 {
        let mut flags = 0;
        if self.image.is_some() {
            flags |= BLOCK_HAS_IMAGE;
        }
        if self.will_init {
            flags |= BLOCK_WILL_INIT;
        }
        flags
    }
}

impl fmt::Debug for BlockRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.locator;
        write!(
            f,
            "blk {}/{}/{} fork {:?} block {}",
            l.spc_oid, l.db_oid, l.rel_number, self.fork, self.block
        )?;
        if let Some(image) = &self.image {
            write!(f, " FPI(crc {:08x})", crc32c::crc32c(&image[..]))?;
        }
        if self.will_init {
            f.write_str(" will-init")?;
        }
        write!(f, " data {:02x?}", self.data)
    }
}

/// A record to insert: filled in by the caller, encoded by [`crate::Wal::insert`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RecordBuilder {
    /// The inserting transaction (`Xid::INVALID` for none).
    pub xid: Xid,
    /// Which resource manager replays it.
    pub rmgr: RmgrId,
    /// Resource-manager specific record kind and flags.
    pub info: u8,
    /// The pages it touches (at most [`MAX_BLOCK_REFS`]).
    pub blocks: Vec<BlockRef>,
    /// Resource-manager payload.
    pub main_data: Vec<u8>,
}

impl RecordBuilder {
    /// An empty record of `rmgr`/`info` with no transaction.
    pub fn new(rmgr: RmgrId, info: u8) -> RecordBuilder {
        RecordBuilder {
            xid: Xid::INVALID,
            rmgr,
            info,
            blocks: Vec::new(),
            main_data: Vec::new(),
        }
    }

    /// Sets the transaction id.
    pub fn with_xid(mut self, xid: Xid) -> RecordBuilder {
        self.xid = xid;
        self
    }

    /// Adds a block reference.
    pub fn with_block(mut self, block: BlockRef) -> RecordBuilder {
        self.blocks.push(block);
        self
    }

    /// Sets the main data.
    pub fn with_main_data(mut self, data: impl Into<Vec<u8>>) -> RecordBuilder {
        self.main_data = data.into();
        self
    }

    /// The encoded size in bytes (header included).
    ///
    /// Panics if the record breaks a size limit ([`MAX_BLOCK_REFS`], [`MAX_BLOCK_DATA`],
    /// [`MAX_RECORD_SIZE`]): building such a record is a bug in its caller.
    pub fn encoded_len(&self) -> usize {
        assert!(
            self.blocks.len() <= MAX_BLOCK_REFS,
            "WAL record with {} block references (at most {MAX_BLOCK_REFS})",
            self.blocks.len()
        );
        let mut len = RECORD_HEADER_SIZE + 1 + BLOCK_HEADER_SIZE * self.blocks.len() + 4;
        for block in &self.blocks {
            assert!(
                block.data.len() <= MAX_BLOCK_DATA,
                "WAL block data of {} bytes (at most {MAX_BLOCK_DATA})",
                block.data.len()
            );
            len += block.data.len() + block.image.as_ref().map_or(0, |_| PAGE_IMAGE_SIZE);
        }
        len += self.main_data.len();
        assert!(
            len <= MAX_RECORD_SIZE,
            "WAL record of {len} bytes is too large"
        );
        len
    }

    /// Encodes the record with `prev` as its previous-record link, CRC included.
    pub fn encode(&self, prev: Lsn) -> Vec<u8> {
        self.encode_compressed(prev, WalCompression::Off)
    }

    /// [`RecordBuilder::encode`] with full-page images stored as `compression` says (each
    /// image only if compressing saves space).
    pub fn encode_compressed(&self, prev: Lsn, compression: WalCompression) -> Vec<u8> {
        let mut encoded = self.encode_unlinked(compression);
        encoded.link(prev);
        encoded.bytes
    }

    /// Encodes everything but `prev`, with the body's CRC computed; [`EncodedRecord::link`]
    /// finishes it once the position is known. Full-page images are compressed with
    /// `compression` where that saves space.
    pub(crate) fn encode_unlinked(&self, compression: WalCompression) -> EncodedRecord {
        let mut total = self.encoded_len();
        let packed: Vec<Option<Vec<u8>>> = self
            .blocks
            .iter()
            .map(|b| {
                b.image
                    .as_ref()
                    .and_then(|image| compress_image(compression, image))
            })
            .collect();
        for p in packed.iter().flatten() {
            total = total - PAGE_IMAGE_SIZE + 2 + p.len();
        }
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&self.xid.0.to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes());
        out.push(self.info);
        out.push(self.rmgr.0);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&0u32.to_le_bytes());
        out.push(self.blocks.len() as u8);
        for (block, packed) in self.blocks.iter().zip(&packed) {
            let packed_flag = packed.is_some();
            out.extend_from_slice(&block.locator.spc_oid.0.to_le_bytes());
            out.extend_from_slice(&block.locator.db_oid.0.to_le_bytes());
            out.extend_from_slice(&block.locator.rel_number.0.to_le_bytes());
            out.extend_from_slice(&block.block.0.to_le_bytes());
            out.push(block.fork as u8);
            out.push(
                block.flags()
                    | if packed_flag {
                        BLOCK_IMAGE_COMPRESSED
                    } else {
                        0
                    },
            );
            out.extend_from_slice(&(block.data.len() as u16).to_le_bytes());
        }
        out.extend_from_slice(&(self.main_data.len() as u32).to_le_bytes());
        for (block, packed) in self.blocks.iter().zip(&packed) {
            match (packed, &block.image) {
                (Some(p), _) => {
                    out.extend_from_slice(&(p.len() as u16).to_le_bytes());
                    out.extend_from_slice(p);
                }
                (None, Some(image)) => out.extend_from_slice(&image[..]),
                (None, None) => {}
            }
            out.extend_from_slice(&block.data);
        }
        out.extend_from_slice(&self.main_data);
        debug_assert_eq!(out.len(), total);
        let body_crc = crc32c::crc32c(&out[RECORD_HEADER_SIZE..]);
        EncodedRecord {
            bytes: out,
            body_crc,
        }
    }
}

/// An encoded record waiting for its `prev` link and final CRC.
pub(crate) struct EncodedRecord {
    pub(crate) bytes: Vec<u8>,
    body_crc: u32,
}

impl EncodedRecord {
    /// Stores `prev` and the CRC over body and header.
    pub(crate) fn link(&mut self, prev: Lsn) {
        self.bytes[8..16].copy_from_slice(&prev.0.to_le_bytes());
        let crc = crc32c::crc32c_append(self.body_crc, &self.bytes[..CRC_OFFSET]);
        self.bytes[CRC_OFFSET..RECORD_HEADER_SIZE].copy_from_slice(&crc.to_le_bytes());
    }
}

/// The fixed header of a record, decoded but not yet checked against its CRC.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct RecordHeader {
    pub(crate) total_len: u32,
    pub(crate) prev: Lsn,
}

impl RecordHeader {
    /// Decodes and sanity-checks a header (length bounds, padding, rmgr range); `Err` names
    /// what is wrong, in PostgreSQL's words.
    pub(crate) fn decode(bytes: &[u8; RECORD_HEADER_SIZE]) -> Result<RecordHeader, String> {
        let total_len = u32_at(bytes, 0);
        let min = RECORD_HEADER_SIZE + 1 + 4;
        if (total_len as usize) < min || total_len as usize > MAX_RECORD_SIZE {
            return Err(format!(
                "invalid record length: wanted {min}, got {total_len}"
            ));
        }
        let rmgr = bytes[17];
        if rmgr > RmgrId::MAX.0 {
            return Err(format!("invalid resource manager ID {rmgr}"));
        }
        if bytes[18] != 0 || bytes[19] != 0 {
            return Err("nonzero record header padding".to_string());
        }
        Ok(RecordHeader {
            total_len,
            prev: Lsn(u64_at(bytes, 8)),
        })
    }
}

/// A record read back from the WAL.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DecodedRecord {
    /// Where the record starts (its header).
    pub lsn: Lsn,
    /// Where the next record may start: the end of this one rounded up to 8 bytes (the
    /// position to flush up to so that this record is durable).
    pub end_lsn: Lsn,
    /// Start of the previous record.
    pub prev: Lsn,
    /// The transaction that wrote it.
    pub xid: Xid,
    /// Its resource manager.
    pub rmgr: RmgrId,
    /// Resource-manager specific kind and flags.
    pub info: u8,
    /// The pages it touches.
    pub blocks: Vec<BlockRef>,
    /// Resource-manager payload.
    pub main_data: Vec<u8>,
}

impl DecodedRecord {
    /// Decodes a whole record (`bytes` = exactly its total length) found at `lsn`, ending at
    /// `end_lsn`. `Err` describes the first problem: bad CRC, bad length, malformed body.
    pub fn decode(bytes: &[u8], lsn: Lsn, end_lsn: Lsn) -> Result<DecodedRecord, String> {
        let header: &[u8; RECORD_HEADER_SIZE] = bytes
            .get(..RECORD_HEADER_SIZE)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| "record shorter than its header".to_string())?;
        let parsed = RecordHeader::decode(header)?;
        if parsed.total_len as usize != bytes.len() {
            return Err(format!(
                "record length {} does not match {} bytes read",
                parsed.total_len,
                bytes.len()
            ));
        }
        let crc = crc32c::crc32c_append(
            crc32c::crc32c(&bytes[RECORD_HEADER_SIZE..]),
            &bytes[..CRC_OFFSET],
        );
        if crc != u32_at(bytes, CRC_OFFSET) {
            return Err(format!(
                "incorrect resource manager data checksum in record at {lsn}"
            ));
        }
        let mut body = Cursor {
            bytes: &bytes[RECORD_HEADER_SIZE..],
        };
        let count = body.u8()? as usize;
        if count > MAX_BLOCK_REFS {
            return Err(format!("too many block references: {count}"));
        }
        let mut blocks = Vec::with_capacity(count);
        let mut lengths = Vec::with_capacity(count);
        for _ in 0..count {
            let spc = body.u32()?;
            let db = body.u32()?;
            let rel = body.u32()?;
            let block = body.u32()?;
            let fork_byte = body.u8()?;
            let fork = ForkNumber::from_u8(fork_byte)
                .ok_or_else(|| format!("invalid fork number {fork_byte}"))?;
            let flags = body.u8()?;
            if flags & !(BLOCK_HAS_IMAGE | BLOCK_WILL_INIT | BLOCK_IMAGE_COMPRESSED) != 0
                || (flags & BLOCK_IMAGE_COMPRESSED != 0 && flags & BLOCK_HAS_IMAGE == 0)
            {
                return Err(format!("unsupported block reference flags 0x{flags:02x}"));
            }
            lengths.push((flags, body.u16()? as usize));
            let mut reference = BlockRef::new(
                RelFileLocator {
                    spc_oid: Oid(spc),
                    db_oid: Oid(db),
                    rel_number: Oid(rel),
                },
                fork,
                BlockNumber(block),
            );
            reference.will_init = flags & BLOCK_WILL_INIT != 0;
            blocks.push(reference);
        }
        let main_len = body.u32()? as usize;
        for (reference, (flags, data_len)) in blocks.iter_mut().zip(lengths) {
            if flags & BLOCK_IMAGE_COMPRESSED != 0 {
                let len = body.u16()? as usize;
                let image = decompress_image(body.take(len)?)?;
                reference.image = Some(Box::new(image));
            } else if flags & BLOCK_HAS_IMAGE != 0 {
                let image: [u8; PAGE_IMAGE_SIZE] = body
                    .take(PAGE_IMAGE_SIZE)?
                    .try_into()
                    .expect("take returned the asked length");
                reference.image = Some(Box::new(image));
            }
            reference.data = body.take(data_len)?.to_vec();
        }
        let main_data = body.take(main_len)?.to_vec();
        if !body.bytes.is_empty() {
            return Err(format!("{} trailing bytes in record", body.bytes.len()));
        }
        Ok(DecodedRecord {
            lsn,
            end_lsn,
            prev: parsed.prev,
            xid: Xid(u32_at(bytes, 4)),
            rmgr: RmgrId(bytes[17]),
            info: bytes[16],
            blocks,
            main_data,
        })
    }
}

/// Reads little-endian fields off a byte slice, failing (not panicking) past its end.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.bytes.len() < n {
            return Err("record body ends early".to_string());
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("two bytes"),
        ))
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }
}

/// Little-endian u32 at `at` (caller guarantees the bounds).
pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

/// Little-endian u64 at `at` (caller guarantees the bounds).
pub(crate) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn locator(rel: u32) -> RelFileLocator {
        RelFileLocator {
            spc_oid: Oid(1663),
            db_oid: Oid(5),
            rel_number: Oid(rel),
        }
    }

    #[test]
    fn encodes_the_documented_layout() {
        let mut block = BlockRef::new(locator(16384), ForkNumber::Main, BlockNumber(7));
        block.data = vec![0xAA, 0xBB];
        block.will_init = true;
        let rec = RecordBuilder::new(RmgrId::HEAP, 0x10)
            .with_xid(Xid(731))
            .with_block(block)
            .with_main_data(vec![1, 2, 3]);
        let bytes = rec.encode(Lsn(0x0100_0028));
        assert_eq!(bytes.len(), 24 + 1 + 20 + 4 + 2 + 3);
        assert_eq!(u32_at(&bytes, 0) as usize, bytes.len());
        assert_eq!(u32_at(&bytes, 4), 731);
        assert_eq!(u64_at(&bytes, 8), 0x0100_0028);
        assert_eq!((bytes[16], bytes[17]), (0x10, 10));
        assert_eq!(bytes[24], 1);
        assert_eq!(u32_at(&bytes, 25), 1663);
        assert_eq!(u32_at(&bytes, 33), 16384);
        assert_eq!(u32_at(&bytes, 37), 7);
        assert_eq!((bytes[41], bytes[42]), (0, BLOCK_WILL_INIT));
        assert_eq!(u32_at(&bytes, 45), 3);
        assert_eq!(&bytes[49..], &[0xAA, 0xBB, 1, 2, 3]);
        let decoded =
            DecodedRecord::decode(&bytes, Lsn(0x0100_0060), Lsn(0x0100_0098)).expect("decode");
        assert_eq!(decoded.blocks, rec.blocks);
        assert_eq!(decoded.main_data, rec.main_data);
        assert_eq!(decoded.prev, Lsn(0x0100_0028));
    }

    #[test]
    fn any_flipped_bit_is_detected() {
        let rec = RecordBuilder::new(RmgrId::XACT, 0).with_main_data(vec![9; 40]);
        let bytes = rec.encode(Lsn(80));
        for bit in 0..bytes.len() * 8 {
            let mut bad = bytes.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(
                DecodedRecord::decode(&bad, Lsn(8), Lsn(16)).is_err(),
                "bit {bit}"
            );
        }
    }

    fn arb_block() -> impl Strategy<Value = BlockRef> {
        (
            any::<[u32; 4]>(),
            0u8..4,
            any::<bool>(),
            proptest::option::of(any::<u8>()),
            proptest::collection::vec(any::<u8>(), 0..300),
        )
            .prop_map(|(ids, fork, will_init, image, data)| BlockRef {
                locator: RelFileLocator {
                    spc_oid: Oid(ids[0]),
                    db_oid: Oid(ids[1]),
                    rel_number: Oid(ids[2]),
                },
                fork: ForkNumber::from_u8(fork).expect("fork in range"),
                block: BlockNumber(ids[3]),
                image: image.map(|b| Box::new([b; PAGE_IMAGE_SIZE])),
                will_init,
                data,
            })
    }

    pub(crate) fn arb_record() -> impl Strategy<Value = RecordBuilder> {
        (
            any::<u32>(),
            0u8..=RmgrId::MAX.0,
            any::<u8>(),
            proptest::collection::vec(arb_block(), 0..4),
            proptest::collection::vec(any::<u8>(), 0..2000),
        )
            .prop_map(|(xid, rmgr, info, blocks, main_data)| RecordBuilder {
                xid: Xid(xid),
                rmgr: RmgrId(rmgr),
                info,
                blocks,
                main_data,
            })
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(rec in arb_record(), prev in any::<u64>()) {
            let bytes = rec.encode(Lsn(prev));
            prop_assert_eq!(bytes.len(), rec.encoded_len());
            let decoded = DecodedRecord::decode(&bytes, Lsn(8), Lsn(16)).expect("decode");
            prop_assert_eq!(decoded.prev, Lsn(prev));
            prop_assert_eq!(decoded.xid, rec.xid);
            prop_assert_eq!(decoded.rmgr, rec.rmgr);
            prop_assert_eq!(decoded.info, rec.info);
            prop_assert_eq!(&decoded.blocks, &rec.blocks);
            prop_assert_eq!(&decoded.main_data, &rec.main_data);
            let packed = rec.encode_compressed(Lsn(prev), WalCompression::Lz4);
            prop_assert!(packed.len() <= bytes.len());
            let unpacked = DecodedRecord::decode(&packed, Lsn(8), Lsn(16)).expect("decode");
            prop_assert_eq!(unpacked.blocks, rec.blocks);
            prop_assert_eq!(unpacked.main_data, rec.main_data);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = DecodedRecord::decode(&bytes, Lsn(8), Lsn(16));
        }

        /// Arbitrary bodies under a correct header and CRC reach the body parser.
        #[test]
        fn body_parser_never_panics(
            body in proptest::collection::vec(any::<u8>(), 0..400),
            small_counts in any::<bool>(),
        ) {
            let mut body = body;
            if small_counts && !body.is_empty() {
                body[0] %= 4;
            }
            let total = RECORD_HEADER_SIZE + body.len();
            let mut bytes = vec![0u8; RECORD_HEADER_SIZE];
            bytes[..4].copy_from_slice(&(total as u32).to_le_bytes());
            bytes[17] = RmgrId::HEAP.0;
            bytes.extend_from_slice(&body);
            let crc = crc32c::crc32c_append(crc32c::crc32c(&body), &bytes[..CRC_OFFSET]);
            bytes[CRC_OFFSET..RECORD_HEADER_SIZE].copy_from_slice(&crc.to_le_bytes());
            let _ = DecodedRecord::decode(&bytes, Lsn(8), Lsn(16));
        }
    }
}
