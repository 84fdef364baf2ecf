//! WAL pages, segments and the LSN arithmetic between them.
//!
//! The WAL is one byte stream addressed by [`Lsn`], cut into segment files of `segment_size`
//! bytes (16 MiB by default, a power of two) and 8 KB pages. Every page starts with a header
//! so the reader can tell a page written for this position from a zeroed, torn or recycled
//! one; the first page of each segment carries a long header describing the segment.
//!
//! ```text
//! page header (24 bytes; the first page of a segment has the 40-byte long form)
//! offset size  field
//!   0     2    magic 0x7A57
//!   2     2    info: 0x0001 FIRST_IS_CONTRECORD (page starts with the rest of a record)
//!                    0x0002 LONG_HEADER
//!   4     4    timeline
//!   8     8    page address: the LSN of this page's first byte
//!  16     4    remaining length of the continued record (0 without FIRST_IS_CONTRECORD)
//!  20     4    CRC-32C over bytes 0..20 (and 24..40 for the long form)
//!  24     8    long form only: system identifier
//!  32     4    long form only: segment size in bytes
//!  36     4    long form only: WAL page size in bytes (8192)
//! ```
//!
//! Record placement rules: records start on 8-byte boundaries; a record header (24 bytes) is
//! never split across pages: if fewer than 24 bytes remain on a page, the record starts on the
//! next page (the gap stays zero). A record's end LSN is its last byte + 1 rounded up to 8.
//!
//! Segment files are named like PostgreSQL's: `TTTTTTTTXXXXXXXXYYYYYYYY`, timeline then the
//! segment number split at 2^32 bytes of LSN (`XLogFileName`).

use tusk_types::Lsn;

use crate::record::{u32_at, u64_at, RECORD_HEADER_SIZE};

/// WAL page size in bytes.
pub const WAL_PAGE_SIZE: u64 = 8192;
/// Size of the page header on every page but a segment's first.
pub const PAGE_HEADER_SIZE: u64 = 24;
/// Size of the long page header on the first page of each segment.
pub const LONG_PAGE_HEADER_SIZE: u64 = 40;
/// Page header magic number.
pub const WAL_PAGE_MAGIC: u16 = 0x7A57;
/// Page info flag: the page starts with the continuation of a record.
pub const PAGE_FIRST_IS_CONTRECORD: u16 = 0x0001;
/// Page info flag: the long header form.
pub const PAGE_LONG_HEADER: u16 = 0x0002;
/// Default segment size (16 MiB, PostgreSQL's default `wal_segment_size`).
pub const DEFAULT_SEGMENT_SIZE: u64 = 16 * 1024 * 1024;
/// Smallest allowed segment size (two pages; for tests).
pub const MIN_SEGMENT_SIZE: u64 = 2 * WAL_PAGE_SIZE;
/// Largest allowed segment size (1 GiB, as PostgreSQL).
pub const MAX_SEGMENT_SIZE: u64 = 1024 * 1024 * 1024;

/// Largest LSN the WAL addresses (2^62 bytes); positions past it are treated as absent, which
/// keeps all LSN arithmetic free of overflow.
pub(crate) const MAX_LSN: u64 = 1 << 62;

/// True if `size` is a valid segment size: a power of two from 16 KiB to 1 GiB.
pub fn valid_segment_size(size: u64) -> bool {
    size.is_power_of_two() && (MIN_SEGMENT_SIZE..=MAX_SEGMENT_SIZE).contains(&size)
}

/// The segment number holding `lsn`.
pub fn segment_number(lsn: Lsn, segment_size: u64) -> u64 {
    lsn.0 / segment_size
}

/// The file name of segment `segno` on `timeline` (`XLogFileName`).
pub fn segment_file_name(timeline: u32, segno: u64, segment_size: u64) -> String {
    let per_id = 0x1_0000_0000 / segment_size;
    format!(
        "{:08X}{:08X}{:08X}",
        timeline,
        segno / per_id,
        segno % per_id
    )
}

/// Parses a segment file name into (timeline, segment number); `None` for other names.
pub fn parse_segment_file_name(name: &str, segment_size: u64) -> Option<(u32, u64)> {
    if name.len() != 24 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let field = |i: usize| u32::from_str_radix(&name[i * 8..i * 8 + 8], 16).ok();
    let per_id = 0x1_0000_0000 / segment_size;
    let (timeline, hi, lo) = (field(0)?, field(1)? as u64, field(2)? as u64);
    if lo >= per_id {
        return None;
    }
    Some((timeline, hi * per_id + lo))
}

/// The start of the page holding `lsn`.
pub(crate) fn page_start(lsn: u64) -> u64 {
    lsn - lsn % WAL_PAGE_SIZE
}

/// The header size of the page starting at `page`.
pub(crate) fn header_size(page: u64, segment_size: u64) -> u64 {
    if page.is_multiple_of(segment_size) {
        LONG_PAGE_HEADER_SIZE
    } else {
        PAGE_HEADER_SIZE
    }
}

/// Rounds up to the 8-byte record alignment.
pub(crate) fn align8(pos: u64) -> u64 {
    (pos + 7) & !7
}

/// Where a record inserted at position `pos` actually starts: past a page header if `pos` is a
/// page start, on the next page if the record header would not fit on this one.
pub fn record_start(pos: Lsn, segment_size: u64) -> Lsn {
    let pos = align8(pos.0);
    let offset = pos % WAL_PAGE_SIZE;
    if offset == 0 {
        return Lsn(pos + header_size(pos, segment_size));
    }
    if WAL_PAGE_SIZE - offset < RECORD_HEADER_SIZE as u64 {
        let next = page_start(pos) + WAL_PAGE_SIZE;
        return Lsn(next + header_size(next, segment_size));
    }
    Lsn(pos)
}

/// The position after `len` bytes of record data that start at `pos`, skipping the page
/// headers met on the way (`pos` must not be inside a page header).
pub(crate) fn advance(mut pos: u64, mut len: u64, segment_size: u64) -> u64 {
    while len > 0 {
        if pos.is_multiple_of(WAL_PAGE_SIZE) {
            pos += header_size(pos, segment_size);
        }
        let take = len.min(WAL_PAGE_SIZE - pos % WAL_PAGE_SIZE);
        pos += take;
        len -= take;
    }
    pos
}

/// A decoded WAL page header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct PageHeader {
    pub(crate) info: u16,
    pub(crate) timeline: u32,
    pub(crate) page_addr: u64,
    pub(crate) rem_len: u32,
    /// Long form: (system identifier, segment size, page size).
    pub(crate) long: Option<(u64, u32, u32)>,
}

impl PageHeader {
    /// The header's size in bytes.
    pub(crate) fn size(&self) -> u64 {
        if self.long.is_some() {
            LONG_PAGE_HEADER_SIZE
        } else {
            PAGE_HEADER_SIZE
        }
    }

    /// True if the page starts with the rest of a record.
    pub(crate) fn is_continuation(&self) -> bool {
        self.info & PAGE_FIRST_IS_CONTRECORD != 0
    }

    /// Writes the header at the start of `page` (which holds at least the header's size).
    pub(crate) fn encode(&self, page: &mut [u8]) {
        let mut info = self.info & PAGE_FIRST_IS_CONTRECORD;
        if self.long.is_some() {
            info |= PAGE_LONG_HEADER;
        }
        page[0..2].copy_from_slice(&WAL_PAGE_MAGIC.to_le_bytes());
        page[2..4].copy_from_slice(&info.to_le_bytes());
        page[4..8].copy_from_slice(&self.timeline.to_le_bytes());
        page[8..16].copy_from_slice(&self.page_addr.to_le_bytes());
        page[16..20].copy_from_slice(&self.rem_len.to_le_bytes());
        if let Some((system_identifier, segment_size, page_size)) = self.long {
            page[24..32].copy_from_slice(&system_identifier.to_le_bytes());
            page[32..36].copy_from_slice(&segment_size.to_le_bytes());
            page[36..40].copy_from_slice(&page_size.to_le_bytes());
        }
        let crc = header_crc(page, self.long.is_some());
        page[20..24].copy_from_slice(&crc.to_le_bytes());
    }

    /// Decodes and checks (magic, flags, CRC) the header at the start of `page`.
    pub(crate) fn decode(page: &[u8]) -> Result<PageHeader, String> {
        if page.len() < PAGE_HEADER_SIZE as usize {
            return Err("short WAL page".to_string());
        }
        let magic = u16::from_le_bytes([page[0], page[1]]);
        if magic != WAL_PAGE_MAGIC {
            return Err(format!("invalid magic number {magic:04X}"));
        }
        let info = u16::from_le_bytes([page[2], page[3]]);
        if info & !(PAGE_FIRST_IS_CONTRECORD | PAGE_LONG_HEADER) != 0 {
            return Err(format!("invalid info bits {info:04X}"));
        }
        let long = info & PAGE_LONG_HEADER != 0;
        if long && page.len() < LONG_PAGE_HEADER_SIZE as usize {
            return Err("short WAL page".to_string());
        }
        if header_crc(page, long) != u32_at(page, 20) {
            return Err("incorrect WAL page header checksum".to_string());
        }
        Ok(PageHeader {
            info,
            timeline: u32_at(page, 4),
            page_addr: u64_at(page, 8),
            rem_len: u32_at(page, 16),
            long: long.then(|| (u64_at(page, 24), u32_at(page, 32), u32_at(page, 36))),
        })
    }
}

fn header_crc(page: &[u8], long: bool) -> u32 {
    let crc = crc32c::crc32c(&page[..20]);
    if long {
        crc32c::crc32c_append(crc, &page[24..40])
    } else {
        crc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_names_follow_postgres() {
        let mb16 = DEFAULT_SEGMENT_SIZE;
        assert_eq!(segment_file_name(1, 1, mb16), "000000010000000000000001");
        assert_eq!(segment_file_name(1, 256, mb16), "000000010000000100000000");
        assert_eq!(
            segment_file_name(3, 0x1FF, mb16),
            "0000000300000001000000FF"
        );
        assert_eq!(
            parse_segment_file_name("0000000300000001000000FF", mb16),
            Some((3, 0x1FF))
        );
        assert_eq!(
            parse_segment_file_name("000000030000000100000100", mb16),
            None
        );
        assert_eq!(parse_segment_file_name("xlogtemp", mb16), None);
        let small = 64 * 1024;
        for segno in [0u64, 1, 65535, 65536, 1 << 40] {
            let name = segment_file_name(1, segno, small);
            assert_eq!(parse_segment_file_name(&name, small), Some((1, segno)));
        }
    }

    #[test]
    fn record_start_skips_headers_and_short_tails() {
        let seg = 64 * 1024;
        assert_eq!(record_start(Lsn(seg), seg), Lsn(seg + 40));
        assert_eq!(record_start(Lsn(seg + 8192), seg), Lsn(seg + 8192 + 24));
        assert_eq!(record_start(Lsn(seg + 100), seg), Lsn(seg + 104));
        assert_eq!(
            record_start(Lsn(seg + 8192 - 24), seg),
            Lsn(seg + 8192 - 24)
        );
        assert_eq!(
            record_start(Lsn(seg + 8192 - 16), seg),
            Lsn(seg + 8192 + 24)
        );
        assert_eq!(record_start(Lsn(2 * seg - 8), seg), Lsn(2 * seg + 40));
    }

    #[test]
    fn advance_skips_page_headers() {
        let seg = 64 * 1024;
        assert_eq!(advance(seg + 40, 10, seg), seg + 50);
        assert_eq!(advance(seg + 8000, 192, seg), seg + 8192);
        assert_eq!(advance(seg + 8000, 193, seg), seg + 8192 + 25);
        assert_eq!(advance(seg + 8000, 192 + 8168 + 1, seg), seg + 16384 + 25);
        assert_eq!(advance(2 * seg - 8, 9, seg), 2 * seg + 41);
    }

    #[test]
    fn page_header_round_trip_and_damage() {
        let mut page = vec![0u8; WAL_PAGE_SIZE as usize];
        let header = PageHeader {
            info: PAGE_FIRST_IS_CONTRECORD,
            timeline: 1,
            page_addr: 0x1_0000,
            rem_len: 77,
            long: Some((42, 65536, 8192)),
        };
        header.encode(&mut page);
        let decoded = PageHeader::decode(&page).expect("valid");
        assert_eq!(decoded.long, header.long);
        assert_eq!(decoded.rem_len, 77);
        assert!(decoded.is_continuation());
        assert_eq!(decoded.size(), 40);
        page[30] ^= 1;
        assert!(PageHeader::decode(&page).is_err());
        assert!(PageHeader::decode(&[0u8; 8192]).is_err());
    }
}
