//! The commit log (`pg_xact`, PostgreSQL's `clog.c` over `slru.c`): two status bits per
//! transaction id, in 8 KB pages cached in a small LRU of page buffers.
//!
//! Layout (PostgreSQL's SLRU layout):
//!
//! ```text
//!   xid ──► page = xid / 32768      byte = (xid % 32768) / 4      bits = 2 * (xid % 4)
//!   page ──► segment file <datadir>/pg_xact/%04X = page / 32, offset (page % 32) * 8192
//! ```
//!
//! Rules (`src/backend/access/transam/README`, "Write-Ahead Log Coding"):
//! 1. A page holding a committed status reaches disk only after WAL is flushed to the commit
//!    record's end LSN: each cached page keeps the largest commit LSN set on it (the page's
//!    "group LSN"), and writing the page first flushes WAL up to it.
//! 2. A page is zeroed when the first xid on it is assigned ([`Clog::extend`]), and the zeroing
//!    is WAL-logged (rmgr CLOG, [`clog_info::ZEROPAGE`]) so redo recreates it.
//! 3. Truncation ([`Clog::truncate`]) removes whole segments older than the oldest xid still
//!    needed, and is WAL-logged ([`clog_info::TRUNCATE`]) before the files go.
//! 4. A page that was never written reads as zeroes: every xid on it is "in progress".
//!    After a crash, an xid whose commit record never reached disk thus reads as in progress
//!    (and, not running, is treated as aborted by visibility checks), as in PostgreSQL.
//!
//! Entry points: [`Clog::open`], [`Clog::set_status`], [`Clog::status`], [`Clog::extend`],
//! [`Clog::flush`] (checkpoint), [`Clog::truncate`], [`Clog::redo`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;
use tusk_io::{OpenOptions, Vfs};
use tusk_types::{pg_err, Error, Lsn, Result, Xid};
use tusk_wal::{DecodedRecord, RecordBuilder, RmgrId, Wal};

/// Bytes per commit-log page (`BLCKSZ`).
pub const CLOG_PAGE_SIZE: usize = 8192;
/// Transaction statuses per page (`CLOG_XACTS_PER_PAGE`: 4 per byte).
pub const CLOG_XACTS_PER_PAGE: u32 = (CLOG_PAGE_SIZE * 4) as u32;
/// Pages per segment file (`SLRU_PAGES_PER_SEGMENT`).
pub const SLRU_PAGES_PER_SEGMENT: u32 = 32;
/// Default number of cached pages (a small `clog_buffers`).
pub const DEFAULT_CLOG_BUFFERS: usize = 8;

/// `info` values of [`RmgrId::CLOG`] records (PostgreSQL's `CLOG_ZEROPAGE`/`CLOG_TRUNCATE`).
pub mod clog_info {
    /// A page was zeroed (payload: page number, u32 LE).
    pub const ZEROPAGE: u8 = 0x00;
    /// Segments before a page were removed (payload: cutoff page u32 LE, oldest xid u32 LE).
    pub const TRUNCATE: u8 = 0x10;
}

/// A transaction's status as stored in the commit log (`XidStatus`, 2 bits).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum XidStatus {
    /// `TRANSACTION_STATUS_IN_PROGRESS` (0): running, or crashed before committing.
    InProgress,
    /// `TRANSACTION_STATUS_COMMITTED` (1).
    Committed,
    /// `TRANSACTION_STATUS_ABORTED` (2).
    Aborted,
    /// `TRANSACTION_STATUS_SUB_COMMITTED` (3): a subtransaction whose parent's commit is in
    /// progress; read as in progress by visibility checks until the parent's bit is set.
    SubCommitted,
}

impl XidStatus {
    fn bits(self) -> u8 {
        match self {
            XidStatus::InProgress => 0,
            XidStatus::Committed => 1,
            XidStatus::Aborted => 2,
            XidStatus::SubCommitted => 3,
        }
    }

    fn from_bits(bits: u8) -> XidStatus {
        match bits & 3 {
            0 => XidStatus::InProgress,
            1 => XidStatus::Committed,
            2 => XidStatus::Aborted,
            _ => XidStatus::SubCommitted,
        }
    }
}

/// The commit-log page holding `xid`'s status.
pub fn clog_page(xid: Xid) -> u32 {
    xid.0 / CLOG_XACTS_PER_PAGE
}

/// The segment file name of `page` (`%04X`, PostgreSQL's short SLRU names).
pub fn segment_file_name(page: u32) -> String {
    format!("{:04X}", page / SLRU_PAGES_PER_SEGMENT)
}

struct Slot {
    page: u32,
    data: Box<[u8; CLOG_PAGE_SIZE]>,
    dirty: bool,
    /// Largest commit LSN of a status set on the page since it was last written (rule 1).
    group_lsn: Lsn,
    /// LRU clock: larger = used more recently.
    last_used: u64,
}

struct Inner {
    slots: Vec<Slot>,
    tick: u64,
}

/// The commit log: status bits for every xid, cached in a few page buffers.
///
/// Thread-safe; one mutex guards the cache (PostgreSQL's `XactSLRULock`). Page I/O happens
/// under it, which keeps the design simple at the cost of serialising misses.
pub struct Clog {
    vfs: Arc<dyn Vfs>,
    dir: PathBuf,
    wal: OnceLock<Arc<Wal>>,
    capacity: usize,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for Clog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clog").field("dir", &self.dir).finish()
    }
}

impl Clog {
    /// Opens the commit log in `<datadir>/pg_xact` (creating the directory), caching
    /// `buffers` pages (at least 2). `wal` is the WAL that commit LSNs refer to: pages are
    /// written only after it is flushed far enough (rule 1), and zeroing/truncation are logged
    /// to it. `None` during recovery (replayed WAL is already durable; nothing is logged).
    ///
    /// Errors: I/O errors creating the directory (58P01/58030).
    pub fn open(
        vfs: Arc<dyn Vfs>,
        datadir: &Path,
        wal: Option<Arc<Wal>>,
        buffers: usize,
    ) -> Result<Clog> {
        let dir = datadir.join("pg_xact");
        vfs.create_dir_all(&dir).map_err(|e| {
            Error::io(
                format_args!("could not create directory \"{}\"", dir.display()),
                &e,
            )
        })?;
        Ok(Clog {
            vfs,
            dir,
            wal: wal.map(OnceLock::from).unwrap_or_default(),
            capacity: buffers.max(2),
            inner: Mutex::new(Inner {
                slots: Vec::new(),
                tick: 0,
            }),
        })
    }

    /// Attaches the WAL after recovery (which runs with none): from now on pages wait for
    /// it (rule 1) and zeroing/truncation are logged to it. Returns false, changing
    /// nothing, if a WAL is already attached.
    pub fn attach_wal(&self, wal: Arc<Wal>) -> bool {
        self.wal.set(wal).is_ok()
    }

    /// The `pg_xact` directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The status of `xid` (`TransactionIdGetStatus`). Special xids: `BOOTSTRAP` and `FROZEN`
    /// are committed, `INVALID` is aborted (PostgreSQL's `TransactionLogFetch`).
    ///
    /// Errors: I/O errors reading the segment (PostgreSQL: "could not access status of
    /// transaction %u").
    pub fn status(&self, xid: Xid) -> Result<XidStatus> {
        if !xid.is_normal() {
            return Ok(if xid == Xid::INVALID {
                XidStatus::Aborted
            } else {
                XidStatus::Committed
            });
        }
        let mut inner = self.inner.lock();
        let slot = self.slot_for(&mut inner, clog_page(xid), false)?;
        let (byte, shift) = position(xid);
        Ok(XidStatus::from_bits(inner.slots[slot].data[byte] >> shift))
    }

    /// Sets the status of `xid` (`TransactionIdSetStatusBit`). For a commit, `commit_lsn` is
    /// the commit record's end LSN: the page is not written before WAL is flushed to it
    /// (rule 1). Use `Lsn::INVALID` for aborts and for redo.
    ///
    /// Panics on a special xid (a caller bug). Errors: I/O errors reading or evicting pages.
    pub fn set_status(&self, xid: Xid, status: XidStatus, commit_lsn: Lsn) -> Result<()> {
        assert!(
            xid.is_normal(),
            "cannot set the status of special xid {xid}"
        );
        let mut inner = self.inner.lock();
        let slot = self.slot_for(&mut inner, clog_page(xid), false)?;
        let (byte, shift) = position(xid);
        let s = &mut inner.slots[slot];
        s.data[byte] = (s.data[byte] & !(3 << shift)) | (status.bits() << shift);
        s.dirty = true;
        if commit_lsn > s.group_lsn {
            s.group_lsn = commit_lsn;
        }
        Ok(())
    }

    /// Sets the statuses of a transaction tree (`TransactionIdSetTreeStatus`): for a commit,
    /// the subtransactions are first marked sub-committed, then the parent committed, then
    /// the subtransactions committed, so no reader sees a subtransaction committed while
    /// its parent is not. Aborts are set directly.
    ///
    /// Errors: as [`Clog::set_status`].
    pub fn set_tree_status(
        &self,
        xid: Xid,
        subxids: &[Xid],
        status: XidStatus,
        commit_lsn: Lsn,
    ) -> Result<()> {
        if status == XidStatus::Committed && !subxids.is_empty() {
            for &sub in subxids {
                self.set_status(sub, XidStatus::SubCommitted, commit_lsn)?;
            }
        }
        self.set_status(xid, status, commit_lsn)?;
        for &sub in subxids {
            self.set_status(sub, status, commit_lsn)?;
        }
        Ok(())
    }

    /// Makes sure the page of `xid` exists (`ExtendCLOG`): when `xid` is the first of its
    /// page (or the very first normal xid), the page is zeroed and the zeroing WAL-logged
    /// (rule 2). Called by xid assignment for each new xid.
    ///
    /// Errors: I/O errors evicting pages.
    pub fn extend(&self, xid: Xid) -> Result<()> {
        // Not the first xid of its page (byte 0, bits 0-1).
        if position(xid) != (0, 0) && xid != Xid::FIRST_NORMAL {
            return Ok(());
        }
        let page = clog_page(xid);
        if let Some(wal) = self.wal.get() {
            wal.insert(
                &RecordBuilder::new(RmgrId::CLOG, clog_info::ZEROPAGE)
                    .with_main_data(page.to_le_bytes().to_vec()),
            );
        }
        self.zero_page(page)
    }

    fn zero_page(&self, page: u32) -> Result<()> {
        let mut inner = self.inner.lock();
        let slot = self.slot_for(&mut inner, page, true)?;
        let s = &mut inner.slots[slot];
        s.data.fill(0);
        s.dirty = true;
        Ok(())
    }

    /// Writes every dirty page and syncs the segment files (`CheckPointCLOG`), flushing WAL
    /// first up to each page's group LSN (rule 1). Called by the checkpointer before its
    /// checkpoint record, and at shutdown.
    ///
    /// Errors: WAL flush and I/O errors.
    pub fn flush(&self) -> Result<()> {
        let mut inner = self.inner.lock();
        let mut segments = Vec::new();
        for index in 0..inner.slots.len() {
            if inner.slots[index].dirty {
                segments.push(inner.slots[index].page / SLRU_PAGES_PER_SEGMENT);
                self.write_slot(&mut inner.slots[index])?;
            }
        }
        segments.sort_unstable();
        segments.dedup();
        for segment in segments {
            let path = self.dir.join(format!("{segment:04X}"));
            let file = self.vfs.open(&path, OpenOptions::CREATE).map_err(|e| {
                Error::io(
                    format_args!("could not open file \"{}\"", path.display()),
                    &e,
                )
            })?;
            file.sync_all().map_err(|e| {
                Error::io(
                    format_args!("could not fsync file \"{}\"", path.display()),
                    &e,
                )
            })?;
        }
        self.vfs.sync_dir(&self.dir).map_err(|e| {
            Error::io(
                format_args!("could not fsync directory \"{}\"", self.dir.display()),
                &e,
            )
        })?;
        Ok(())
    }

    /// Removes the segments whose every xid precedes `oldest_xid`'s page, circularly
    /// (`TruncateCLOG` with `SlruMayDeleteSegment`): statuses of older xids are no longer
    /// needed once every table is frozen past them. WAL-logged first (and flushed, as
    /// PostgreSQL does) so a standby or redo truncates too. Returns the number of segment
    /// files removed. Segments "ahead" of `oldest_xid` (the current xids after a
    /// wraparound) are never removed.
    ///
    /// Errors: WAL flush and I/O errors.
    pub fn truncate(&self, oldest_xid: Xid) -> Result<usize> {
        if let Some(wal) = self.wal.get() {
            let mut data = clog_page(oldest_xid).to_le_bytes().to_vec();
            data.extend_from_slice(&oldest_xid.0.to_le_bytes());
            let end = wal.insert(
                &RecordBuilder::new(RmgrId::CLOG, clog_info::TRUNCATE).with_main_data(data),
            );
            wal.flush(end)?;
        }
        self.truncate_segments(oldest_xid)
    }

    fn truncate_segments(&self, oldest_xid: Xid) -> Result<usize> {
        // Xids before the first of the cutoff page are unneeded (PostgreSQL rounds the
        // cutoff down to a page, too).
        let cutoff = normal(Xid(clog_page(oldest_xid) * CLOG_XACTS_PER_PAGE));
        let per_segment = CLOG_XACTS_PER_PAGE * SLRU_PAGES_PER_SEGMENT;
        let removable = |segment: u32| {
            let first = normal(Xid(segment.wrapping_mul(per_segment)));
            let last = normal(Xid(segment
                .wrapping_mul(per_segment)
                .wrapping_add(per_segment - 1)));
            first.precedes(cutoff) && last.precedes(cutoff)
        };
        let mut inner = self.inner.lock();
        inner
            .slots
            .retain(|s| !removable(s.page / SLRU_PAGES_PER_SEGMENT));
        let entries = self.vfs.read_dir(&self.dir).map_err(|e| {
            Error::io(
                format_args!("could not open directory \"{}\"", self.dir.display()),
                &e,
            )
        })?;
        let max_segment = u32::MAX / per_segment;
        let mut removed = 0;
        for path in entries {
            let Some(segment) = path
                .file_name()
                .and_then(|n| n.to_str())
                .filter(|n| n.len() == 4)
                .and_then(|n| u32::from_str_radix(n, 16).ok())
                .filter(|&segment| segment <= max_segment)
            else {
                continue;
            };
            if removable(segment) {
                self.vfs.remove_file(&path).map_err(|e| {
                    Error::io(
                        format_args!("could not remove file \"{}\"", path.display()),
                        &e,
                    )
                })?;
                removed += 1;
            }
        }
        if removed > 0 {
            self.vfs.sync_dir(&self.dir).map_err(|e| {
                Error::io(
                    format_args!("could not fsync directory \"{}\"", self.dir.display()),
                    &e,
                )
            })?;
        }
        Ok(removed)
    }

    /// The group LSN of `xid`'s page (`TransactionIdGetCommitLSN`): the largest commit LSN
    /// set on the page since it was last written, `Lsn::INVALID` if none (or the page is
    /// not cached: a written page's commits are already flushed). Hint bits saying
    /// "committed" may be set on a data page only once WAL is flushed to it.
    pub fn commit_lsn(&self, xid: Xid) -> Lsn {
        let page = clog_page(xid);
        let inner = self.inner.lock();
        inner
            .slots
            .iter()
            .find(|s| s.page == page)
            .map_or(Lsn::INVALID, |s| s.group_lsn)
    }

    /// True if a "committed" hint bit for `xid` may be set now: its commit record is
    /// flushed, as far as the group LSN tells (`SetHintBits`' `XLogNeedsFlush` check).
    pub fn commit_hint_allowed(&self, xid: Xid) -> bool {
        let lsn = self.commit_lsn(xid);
        match self.wal.get() {
            Some(wal) if lsn != Lsn::INVALID => wal.flushed_lsn() >= lsn,
            _ => true,
        }
    }

    /// Replays a [`RmgrId::CLOG`] record (`clog_redo`): re-zeroes a page or truncates.
    ///
    /// Errors: XX001 (data_corrupted) for a malformed record; I/O errors.
    pub fn redo(&self, record: &DecodedRecord) -> Result<()> {
        let word = |at: usize| {
            record
                .main_data
                .get(at..at + 4)
                .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")))
                .ok_or_else(|| pg_err!(DATA_CORRUPTED, "invalid CLOG record at {}", record.lsn))
        };
        match record.info & 0xF0 {
            clog_info::ZEROPAGE => self.zero_page(word(0)?),
            clog_info::TRUNCATE => self.truncate_segments(Xid(word(4)?)).map(|_| ()),
            other => Err(pg_err!(
                INTERNAL_ERROR,
                "clog_redo: unknown op code {other}"
            )),
        }
    }

    /// The cache slot holding `page`, reading it (or, with `zeroed`, not reading it) on a
    /// miss and evicting the least recently used page if the cache is full.
    fn slot_for(&self, inner: &mut Inner, page: u32, zeroed: bool) -> Result<usize> {
        inner.tick += 1;
        let tick = inner.tick;
        if let Some(index) = inner.slots.iter().position(|s| s.page == page) {
            inner.slots[index].last_used = tick;
            return Ok(index);
        }
        let mut data = Box::new([0u8; CLOG_PAGE_SIZE]);
        if !zeroed {
            self.read_page(page, &mut data)?;
        }
        let slot = Slot {
            page,
            data,
            dirty: false,
            group_lsn: Lsn::INVALID,
            last_used: tick,
        };
        if inner.slots.len() < self.capacity {
            inner.slots.push(slot);
            return Ok(inner.slots.len() - 1);
        }
        let victim = inner
            .slots
            .iter()
            .enumerate()
            .min_by_key(|(_, s)| s.last_used)
            .map(|(i, _)| i)
            .expect("the cache is full, so not empty");
        if inner.slots[victim].dirty {
            self.write_slot(&mut inner.slots[victim])?;
        }
        inner.slots[victim] = slot;
        Ok(victim)
    }

    fn segment_path(&self, page: u32) -> PathBuf {
        self.dir.join(segment_file_name(page))
    }

    fn read_page(&self, page: u32, data: &mut [u8; CLOG_PAGE_SIZE]) -> Result<()> {
        let path = self.segment_path(page);
        let file = match self.vfs.open(&path, OpenOptions::EXISTING) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(Error::io(
                    format_args!("could not open file \"{}\"", path.display()),
                    &e,
                ))
            }
        };
        let offset = u64::from(page % SLRU_PAGES_PER_SEGMENT) * CLOG_PAGE_SIZE as u64;
        let mut done = 0;
        while done < CLOG_PAGE_SIZE {
            let n = file
                .read_at(&mut data[done..], offset + done as u64)
                .map_err(|e| {
                    Error::io(
                        format_args!("could not read from file \"{}\"", path.display()),
                        &e,
                    )
                })?;
            if n == 0 {
                break; // rule 4: the rest was never written
            }
            done += n;
        }
        Ok(())
    }

    /// Writes one page, WAL first (rule 1). Does not sync.
    fn write_slot(&self, slot: &mut Slot) -> Result<()> {
        if let Some(wal) = self.wal.get() {
            if slot.group_lsn != Lsn::INVALID {
                wal.flush(slot.group_lsn)?;
            }
        }
        let path = self.segment_path(slot.page);
        let file = self.vfs.open(&path, OpenOptions::CREATE).map_err(|e| {
            Error::io(
                format_args!("could not open file \"{}\"", path.display()),
                &e,
            )
        })?;
        let offset = u64::from(slot.page % SLRU_PAGES_PER_SEGMENT) * CLOG_PAGE_SIZE as u64;
        file.write_all_at(&slot.data[..], offset).map_err(|e| {
            Error::io(
                format_args!("could not write to file \"{}\"", path.display()),
                &e,
            )
        })?;
        slot.dirty = false;
        slot.group_lsn = Lsn::INVALID;
        Ok(())
    }
}

/// `xid`, or `FIRST_NORMAL` for the special xids 0–2 (segment 0's first xids), so that
/// circular comparison applies.
fn normal(xid: Xid) -> Xid {
    if xid.is_normal() {
        xid
    } else {
        Xid::FIRST_NORMAL
    }
}

fn position(xid: Xid) -> (usize, u32) {
    let index = xid.0 % CLOG_XACTS_PER_PAGE;
    ((index / 4) as usize, (index % 4) * 2)
}
