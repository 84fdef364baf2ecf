//! [`WalReader`]: reads records back from the segment files, in LSN order, for crash recovery,
//! replication and inspection.
//!
//! End of WAL versus corruption (PostgreSQL ends redo at the first invalid record; we also
//! report corruption that is not at the end):
//! 1. A record is *valid* if its page headers match their positions (magic, page address,
//!    timeline, header CRC, continuation lengths), its header is sane, its `prev` links to the
//!    record read before it, and its CRC matches.
//! 2. A missing segment file, a zeroed or torn tail, or an invalid last record is the normal
//!    end of the WAL: [`WalReader::next`] returns `Ok(None)`.
//! 3. An invalid record followed by a valid one is corruption: `Err` with SQLSTATE XX001
//!    (data_corrupted) naming the LSN. "Followed" means: a valid record linking back to the
//!    invalid one right after it (by its length field, or at any aligned position in the rest
//!    of its page and the next), or a valid record at the first record boundary (found through
//!    the continuation length) of one of the next two pages whose header is valid.
//! 4. Rule 3 assumes that a crash loses or tears the unsynced tail of the WAL as a prefix:
//!    pages reach the disk in order. For storage that may persist unsynced writes out of
//!    order, [`WalReader::end_at_first_invalid`] restores PostgreSQL's behaviour of ending the
//!    WAL at the first invalid record.
//!
//! Nothing read from disk is trusted for allocation or indexing, so arbitrary bytes give
//! `Ok(None)` or `Err`, never a panic.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tusk_io::{File, OpenOptions, Vfs};
use tusk_types::{pg_err, Error, Lsn, Result};

use crate::page::{
    advance, align8, header_size, page_start, parse_segment_file_name, record_start,
    segment_file_name, valid_segment_size, PageHeader, MAX_LSN, WAL_PAGE_SIZE,
};
use crate::record::{DecodedRecord, RecordHeader, MAX_RECORD_SIZE, RECORD_HEADER_SIZE};

const PAGE: usize = WAL_PAGE_SIZE as usize;

/// Reads WAL records sequentially from a start position.
pub struct WalReader {
    vfs: Arc<dyn Vfs>,
    dir: PathBuf,
    timeline: u32,
    segment_size: Option<u64>,
    system_identifier: Option<u64>,
    next: Lsn,
    last: Option<Lsn>,
    done: bool,
    file: Option<(u64, Option<Arc<dyn File>>)>,
    page: Option<(u64, Box<[u8; PAGE]>)>,
    end_at_first_invalid: bool,
    stop_at: Option<Lsn>,
}

/// Outcome of trying to read one record.
enum Attempt {
    Record(DecodedRecord),
    /// Nothing there: a segment file is missing or too short.
    Missing,
    /// Something there, but not a valid record; `len` is the header's length if it was sane.
    Invalid {
        at: Lsn,
        reason: String,
        len: Option<u32>,
    },
}

impl WalReader {
    /// A reader of timeline 1 starting at `start`, which must be a record's start or a
    /// position where insertion continued (an end LSN). The segment size is learned from
    /// the long header of a segment file in `dir` unless set with
    /// [`WalReader::with_segment_size`].
    pub fn new(vfs: Arc<dyn Vfs>, dir: &Path, start: Lsn) -> WalReader {
        WalReader {
            vfs,
            dir: dir.to_path_buf(),
            timeline: 1,
            segment_size: None,
            system_identifier: None,
            next: start,
            last: None,
            done: false,
            file: None,
            page: None,
            end_at_first_invalid: false,
            stop_at: None,
        }
    }

    /// Reads no record that starts at or after `limit` (e.g. [`crate::Wal::flushed_lsn`] when
    /// following a live WAL: bytes past it may be half-written).
    pub fn stop_at(mut self, limit: Lsn) -> WalReader {
        self.stop_at = Some(limit);
        self
    }

    /// Ends the WAL at the first invalid record without looking for valid records after it
    /// (PostgreSQL's behaviour), for storage that may persist unsynced writes out of order.
    pub fn end_at_first_invalid(mut self) -> WalReader {
        self.end_at_first_invalid = true;
        self
    }

    /// Reads timeline `timeline` instead of 1.
    pub fn with_timeline(mut self, timeline: u32) -> WalReader {
        self.timeline = timeline;
        self
    }

    /// Uses `segment_size` (bytes, e.g. from the control file) instead of discovering it.
    pub fn with_segment_size(mut self, segment_size: u64) -> WalReader {
        self.segment_size = Some(segment_size);
        self
    }

    /// The end of the last valid record read (where insertion continues after recovery), or
    /// the start position if none was read.
    pub fn end_of_wal(&self) -> Lsn {
        self.next
    }

    /// The start of the last valid record read (the `prev` link of the next record).
    pub fn last_record_lsn(&self) -> Option<Lsn> {
        self.last
    }

    /// The next record, `Ok(None)` at the end of valid WAL (or at the [`WalReader::stop_at`]
    /// limit). A reader that found the end stays there: pages are cached, so follow a growing
    /// WAL with a new reader from [`WalReader::end_of_wal`].
    ///
    /// Errors: SQLSTATE XX001 (data_corrupted) "invalid WAL record at X/Y: ..." when an invalid
    /// record is followed by valid ones; I/O errors (class 58) from the file system.
    // Not `Iterator::next`: reading can fail, and the end of WAL is a normal outcome.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<DecodedRecord>> {
        if self.done {
            return Ok(None);
        }
        let Some(segment_size) = self.segment_size()? else {
            self.done = true;
            return Ok(None);
        };
        if self.stop_at.is_some_and(|limit| self.next >= limit) {
            return Ok(None);
        }
        match self.try_read(self.next, self.last, segment_size)? {
            Attempt::Record(record) => {
                self.next = record.end_lsn;
                self.last = Some(record.lsn);
                Ok(Some(record))
            }
            Attempt::Missing => {
                self.done = true;
                Ok(None)
            }
            Attempt::Invalid { at, reason, len } => {
                self.done = true;
                if self.valid_record_follows(at, len, segment_size)? {
                    return Err(
                        pg_err!(DATA_CORRUPTED, "invalid WAL record at {at}: {reason}").detail(
                            "Valid WAL records follow it, so it is not the end of the WAL.",
                        ),
                    );
                }
                Ok(None)
            }
        }
    }

    /// The segment size, discovered from the first segment file with a valid long header.
    fn segment_size(&mut self) -> Result<Option<u64>> {
        if let Some(size) = self.segment_size {
            if !valid_segment_size(size) {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid WAL segment size {size}"
                ));
            }
            return Ok(Some(size));
        }
        let names = match self.vfs.read_dir(&self.dir) {
            Ok(names) => names,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::io(
                    format_args!("could not open directory \"{}\"", self.dir.display()),
                    &e,
                ))
            }
        };
        for path in names {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // The smallest segment size accepts every well-formed name.
            match parse_segment_file_name(name, crate::page::MIN_SEGMENT_SIZE) {
                Some((timeline, _)) if timeline == self.timeline => {}
                _ => continue,
            }
            let Ok(file) = self.vfs.open(&path, OpenOptions::EXISTING) else {
                continue;
            };
            let mut first = [0u8; 40];
            if file.read_exact_at(&mut first, 0).is_err() {
                continue;
            }
            if let Ok(PageHeader {
                long: Some((_, size, _)),
                ..
            }) = PageHeader::decode(&first)
            {
                if valid_segment_size(size as u64) {
                    self.segment_size = Some(size as u64);
                    return Ok(self.segment_size);
                }
            }
        }
        Ok(None)
    }

    /// The WAL page starting at `page` if its segment file exists and holds it whole.
    fn read_page(&mut self, page: u64, segment_size: u64) -> Result<Option<&[u8; PAGE]>> {
        if self.page.as_ref().is_none_or(|(at, _)| *at != page) {
            let segno = page / segment_size;
            if self.file.as_ref().is_none_or(|(s, _)| *s != segno) {
                let name = segment_file_name(self.timeline, segno, segment_size);
                let path = self.dir.join(name);
                let file = match self.vfs.open(&path, OpenOptions::EXISTING) {
                    Ok(file) => Some(file),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => {
                        return Err(Error::io(
                            format_args!("could not open file \"{}\"", path.display()),
                            &e,
                        ))
                    }
                };
                self.file = Some((segno, file));
            }
            let Some((_, Some(file))) = &self.file else {
                return Ok(None);
            };
            let mut buf = self
                .page
                .take()
                .map_or_else(|| Box::new([0u8; PAGE]), |(_, b)| b);
            let n = file
                .read_at(&mut buf[..], page % segment_size)
                .map_err(|e| {
                    Error::io(
                        format_args!("could not read from WAL segment at {}", Lsn(page)),
                        &e,
                    )
                })?;
            if n < PAGE {
                return Ok(None);
            }
            self.page = Some((page, buf));
        }
        Ok(self.page.as_ref().map(|(_, buf)| &**buf))
    }

    /// Reads and checks the header of the page at `page`; `Ok(Err(reason))` if it is not a
    /// valid page for this position, `Ok(Ok(None))` if the page does not exist.
    fn page_header(
        &mut self,
        page: u64,
        segment_size: u64,
    ) -> Result<Option<std::result::Result<PageHeader, String>>> {
        let timeline = self.timeline;
        let Some(bytes) = self.read_page(page, segment_size)? else {
            return Ok(None);
        };
        let header = match PageHeader::decode(bytes) {
            Ok(header) => header,
            Err(reason) => return Ok(Some(Err(format!("{reason} in WAL page at {}", Lsn(page))))),
        };
        let check = || -> std::result::Result<(), String> {
            if header.page_addr != page {
                return Err(format!(
                    "unexpected pageaddr {} in WAL page at {}",
                    Lsn(header.page_addr),
                    Lsn(page)
                ));
            }
            if header.timeline != timeline {
                return Err(format!(
                    "unexpected timeline ID {} in WAL page at {}",
                    header.timeline,
                    Lsn(page)
                ));
            }
            if header.size() != header_size(page, segment_size) {
                return Err(format!("wrong page header form at {}", Lsn(page)));
            }
            if header.rem_len as usize > MAX_RECORD_SIZE {
                return Err(format!("invalid contrecord length {}", header.rem_len));
            }
            if let Some((_, size, page_size)) = header.long {
                if size as u64 != segment_size || page_size as u64 != WAL_PAGE_SIZE {
                    return Err(format!("wrong segment size in WAL page at {}", Lsn(page)));
                }
            }
            Ok(())
        };
        if let Err(reason) = check() {
            return Ok(Some(Err(reason)));
        }
        if let Some((system_identifier, _, _)) = header.long {
            match self.system_identifier {
                None => self.system_identifier = Some(system_identifier),
                Some(known) if known != system_identifier => {
                    return Ok(Some(Err(format!(
                        "WAL segment at {} is from a different database system",
                        Lsn(page)
                    ))))
                }
                Some(_) => {}
            }
        }
        Ok(Some(Ok(header)))
    }

    /// Tries to read the record that starts at (or is inserted at) `at`.
    fn try_read(&mut self, at: Lsn, expect_prev: Option<Lsn>, seg: u64) -> Result<Attempt> {
        let invalid = |at: Lsn, reason: String| Attempt::Invalid {
            at,
            reason,
            len: None,
        };
        if at.0 >= MAX_LSN {
            return Ok(Attempt::Missing);
        }
        if !at.0.is_multiple_of(8) {
            return Ok(invalid(at, "misaligned record position".to_string()));
        }
        let lsn = record_start(at, seg);
        let mut page = page_start(lsn.0);
        // Check the page the record header lives on.
        let header = match self.page_header(page, seg)? {
            None => return Ok(Attempt::Missing),
            Some(Err(reason)) => return Ok(invalid(lsn, reason)),
            Some(Ok(header)) => header,
        };
        let mut offset = (lsn.0 - page) as usize;
        if offset == header.size() as usize && header.is_continuation() {
            return Ok(invalid(
                lsn,
                "record start on a continuation page".to_string(),
            ));
        }
        let bytes = self.read_page(page, seg)?.expect("page was just read");
        let head: [u8; RECORD_HEADER_SIZE] = bytes[offset..offset + RECORD_HEADER_SIZE]
            .try_into()
            .expect("record_start leaves room for a header");
        let parsed = match RecordHeader::decode(&head) {
            Ok(parsed) => parsed,
            Err(reason) => return Ok(invalid(lsn, format!("{reason} at {lsn}"))),
        };
        let len = Some(parsed.total_len);
        if let Some(expected) = expect_prev {
            if parsed.prev != expected {
                return Ok(Attempt::Invalid {
                    at: lsn,
                    reason: format!("record with incorrect prev-link {} at {lsn}", parsed.prev),
                    len,
                });
            }
        }
        // Gather the record across pages; memory grows only with bytes actually found.
        let total = parsed.total_len as usize;
        let mut record = Vec::with_capacity(total.min(4 * PAGE));
        loop {
            let bytes = self.read_page(page, seg)?.expect("page was just read");
            let take = (total - record.len()).min(PAGE - offset);
            record.extend_from_slice(&bytes[offset..offset + take]);
            offset += take;
            if record.len() == total {
                break;
            }
            page += WAL_PAGE_SIZE;
            let header = match self.page_header(page, seg)? {
                None => {
                    return Ok(Attempt::Invalid {
                        at: lsn,
                        reason: format!("missing continuation of record at {lsn}"),
                        len,
                    })
                }
                Some(Err(reason)) => {
                    return Ok(Attempt::Invalid {
                        at: lsn,
                        reason,
                        len,
                    })
                }
                Some(Ok(header)) => header,
            };
            let remaining = total - record.len();
            if !header.is_continuation() || header.rem_len as usize != remaining {
                return Ok(Attempt::Invalid {
                    at: lsn,
                    reason: format!(
                        "invalid contrecord length {} (expected {remaining}) at {}",
                        header.rem_len,
                        Lsn(page)
                    ),
                    len,
                });
            }
            offset = header.size() as usize;
        }
        let end = Lsn(align8(page + offset as u64));
        match DecodedRecord::decode(&record, lsn, end) {
            Ok(decoded) => Ok(Attempt::Record(decoded)),
            Err(reason) => Ok(Attempt::Invalid {
                at: lsn,
                reason,
                len,
            }),
        }
    }

    /// True if a valid record follows the invalid one at `at` (rule 3 of the module doc):
    /// a record linking back to `at` right after it (by its length field, or at any aligned
    /// position in the rest of its page and the next), or a valid record at the first record
    /// boundary of one of the next two pages with a valid header.
    fn valid_record_follows(&mut self, at: Lsn, len: Option<u32>, seg: u64) -> Result<bool> {
        if self.end_at_first_invalid {
            return Ok(false);
        }
        if let Some(len) = len {
            let after = Lsn(align8(advance(at.0, len as u64, seg)));
            if let Attempt::Record(_) = self.try_read(after, Some(at), seg)? {
                return Ok(true);
            }
        }
        let limit = page_start(at.0) + 2 * WAL_PAGE_SIZE;
        let mut pos = at.0 + 8;
        while pos < limit {
            if record_start(Lsn(pos), seg).0 == pos {
                if let Attempt::Record(_) = self.try_read(Lsn(pos), Some(at), seg)? {
                    return Ok(true);
                }
            }
            pos += 8;
        }
        for k in 1..=2 {
            let page = page_start(at.0) + k * WAL_PAGE_SIZE;
            let header = match self.page_header(page, seg)? {
                Some(Ok(header)) => header,
                Some(Err(_)) => continue,
                None => return Ok(false),
            };
            let mut boundary = page + header.size();
            if header.is_continuation() {
                boundary = align8(advance(boundary, header.rem_len as u64, seg));
            }
            if let Attempt::Record(_) = self.try_read(Lsn(boundary), None, seg)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The first record boundary in segment `segno` if its first page is valid and the record
    /// continued from the previous segment ends inside it.
    pub(crate) fn first_record_in_segment(&mut self, segno: u64, seg: u64) -> Result<Option<Lsn>> {
        let page = segno * seg;
        let header = match self.page_header(page, seg)? {
            Some(Ok(header)) => header,
            _ => return Ok(None),
        };
        let mut boundary = page + header.size();
        if header.is_continuation() {
            boundary = align8(advance(boundary, header.rem_len as u64, seg));
        }
        let start = record_start(Lsn(boundary), seg);
        Ok((start.0 < page + seg).then_some(start))
    }
}
