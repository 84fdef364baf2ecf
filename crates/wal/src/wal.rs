//! [`Wal`]: inserting records into the WAL buffers, writing them to segment files, and the
//! group-commit flush.
//!
//! ```text
//!  backends ──insert()──▶ [ WAL buffers: ring of 8 KB pages ] ──write──▶ segment files
//!            (insert lock,       │ full ring: oldest pages move to the      │
//!             short memcpy)      ▼ "evicted" queue, written by the inserter  ▼
//!  commit ──flush(lsn)──▶ write lock: take everything inserted, write it, one fdatasync,
//!                         advance the flushed LSN; waiters wait for the lock to be free
//!                         (not to get it), find their LSN flushed and return (group commit)
//!  WAL writer ──writer_step()──▶ write pending pages; fdatasync past wal_writer_flush_after
//! ```
//!
//! Locks: `insert` (position, prev link, ring) is held only to reserve and copy; `write`
//! (segment files, broken state) is held while writing and syncing. Order: `write` before
//! `insert`, never the reverse (an inserter releases `insert` before taking `write`).
//!
//! Invariants: `flushed <= written <= insert position`; pages leave the ring in LSN order and
//! are written under the write lock in that order; partial pages are written whole (zero
//! tail), so stale bytes never follow the end of the WAL on a page.
//!
//! An I/O failure while writing or syncing marks the WAL broken: every later flush returns
//! the same PANIC-severity error, so no commit is acknowledged after a failed fsync.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

use parking_lot::{Condvar, Mutex, MutexGuard};
use tusk_io::Vfs;
use tusk_types::{pg_err, Error, Lsn, Result};

use crate::compress::WalCompression;
use crate::page::{
    align8, header_size, page_start, record_start, segment_number, valid_segment_size, PageHeader,
    DEFAULT_SEGMENT_SIZE, MAX_SEGMENT_SIZE, MIN_SEGMENT_SIZE, PAGE_FIRST_IS_CONTRECORD,
    WAL_PAGE_SIZE,
};
use crate::reader::WalReader;
use crate::record::{RecordBuilder, RECORD_HEADER_SIZE};
use crate::segment::SegmentFiles;

const PAGE: usize = WAL_PAGE_SIZE as usize;

/// WAL settings (PostgreSQL GUCs of the same meaning named in each field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalConfig {
    /// Size of the in-memory WAL buffers in bytes (`wal_buffers`); rounded down to 8 KB pages,
    /// at least 4 pages.
    pub wal_buffers_bytes: usize,
    /// Segment file size in bytes (`wal_segment_size`): a power of two from 16 KiB to 1 GiB.
    pub segment_size: u64,
    /// Whether to fdatasync at all (`fsync`); off loses durability on power loss.
    pub fsync: bool,
    /// The WAL writer flushes once this many bytes are written but not flushed
    /// (`wal_writer_flush_after`, bytes; 0 = flush every step).
    pub wal_writer_flush_after_bytes: u64,
    /// Timeline written into page headers and file names.
    pub timeline: u32,
    /// Database system identifier written into each segment's long page header.
    pub system_identifier: u64,
    /// How many old segments may be kept for reuse as future segments instead of being removed
    /// (PostgreSQL derives this from `min_wal_size`).
    pub recycle_segments: u32,
    /// Fill new segment files with zeroes (`wal_init_zero`) rather than extending them.
    pub wal_init_zero: bool,
    /// Log a full-page image on the first change of a page after each checkpoint's redo LSN
    /// (`full_page_writes`), so redo can repair pages torn by a crash.
    pub full_page_writes: bool,
    /// How full-page images are stored (`wal_compression`); changeable while running with
    /// [`Wal::set_wal_compression`].
    pub wal_compression: WalCompression,
}

impl Default for WalConfig {
    fn default() -> Self {
        WalConfig {
            wal_buffers_bytes: 4 * 1024 * 1024,
            segment_size: DEFAULT_SEGMENT_SIZE,
            fsync: true,
            wal_writer_flush_after_bytes: 1024 * 1024,
            timeline: 1,
            system_identifier: 0,
            recycle_segments: 4,
            wal_init_zero: true,
            full_page_writes: true,
            wal_compression: WalCompression::Off,
        }
    }
}

/// What a committing transaction waits for before it is acknowledged
/// (`synchronous_commit`, PostgreSQL docs §20.5.1 and §30.4 "Asynchronous Commit").
///
/// Without synchronous standbys (there is no replication yet) `remote_apply`, `on`,
/// `remote_write` and `local` all wait for the local WAL flush, as PostgreSQL does when
/// `synchronous_standby_names` is empty; `off` does not wait.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SyncMode {
    /// `off`: acknowledge at once; the WAL writer makes the commit durable within about
    /// three `wal_writer_delay` rounds (a crash may lose it, never corrupt anything).
    Off,
    /// `local`: wait for the local flush only.
    Local,
    /// `remote_write`: local flush, plus (later) a standby's write.
    RemoteWrite,
    /// `on` (default): local flush, plus (later) a standby's flush.
    #[default]
    On,
    /// `remote_apply`: local flush, plus (later) a standby's replay.
    RemoteApply,
}

impl SyncMode {
    /// Parses a `synchronous_commit` value (PostgreSQL also accepts the boolean spellings
    /// for `on`/`off`); `None` if it is not one.
    pub fn from_setting(value: &str) -> Option<SyncMode> {
        Some(match value.trim().to_ascii_lowercase().as_str() {
            "off" | "false" | "no" | "0" => SyncMode::Off,
            "local" => SyncMode::Local,
            "remote_write" => SyncMode::RemoteWrite,
            "on" | "true" | "yes" | "1" => SyncMode::On,
            "remote_apply" => SyncMode::RemoteApply,
            _ => return None,
        })
    }

    /// True if a commit in this mode waits for its record's local WAL flush.
    pub fn waits_for_flush(self) -> bool {
        self != SyncMode::Off
    }
}

/// How much old WAL a checkpoint keeps, and how many old segments it recycles as future
/// ones instead of removing them (PostgreSQL's `KeepLogSeg` and `XLOGfileslop`; GUCs
/// `wal_keep_size`, `min_wal_size`, `max_wal_size`, `checkpoint_completion_target`,
/// `wal_recycle`; docs §30.5 "WAL Configuration").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SegmentRetention {
    /// Keep at least this many bytes of WAL behind the insert position (`wal_keep_size`).
    pub wal_keep_size_bytes: u64,
    /// Recycle enough segments to keep at least this much WAL ahead (`min_wal_size`).
    pub min_wal_size_bytes: u64,
    /// Never keep more recycled segments than reach this far past the redo point
    /// (`max_wal_size`).
    pub max_wal_size_bytes: u64,
    /// `checkpoint_completion_target`: the next checkpoint is expected after
    /// `(1 + target) * estimate` bytes of WAL.
    pub checkpoint_completion_target: f64,
    /// Reuse old segments by renaming them (`wal_recycle`); off removes them all.
    pub wal_recycle: bool,
}

impl Default for SegmentRetention {
    /// PostgreSQL's defaults: `wal_keep_size = 0`, `min_wal_size = 80MB`,
    /// `max_wal_size = 1GB`, `checkpoint_completion_target = 0.9`, `wal_recycle = on`.
    fn default() -> Self {
        SegmentRetention {
            wal_keep_size_bytes: 0,
            min_wal_size_bytes: 80 * 1024 * 1024,
            max_wal_size_bytes: 1024 * 1024 * 1024,
            checkpoint_completion_target: 0.9,
            wal_recycle: true,
        }
    }
}

/// What a segment clean-up did (the `removed` / `recycled` counts of `log_checkpoints`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SegmentCleanup {
    /// Segment files deleted.
    pub removed: u32,
    /// Segment files renamed to future segment numbers.
    pub recycled: u32,
}

/// Cumulative WAL activity, as `pg_stat_wal` reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalStats {
    /// Records inserted (`wal_records`).
    pub records: u64,
    /// Full-page images inserted (`wal_fpi`).
    pub fpi: u64,
    /// Record bytes inserted, page headers excluded (`wal_bytes`).
    pub bytes: u64,
    /// Times a backend had to write WAL because the buffers were full (`wal_buffers_full`).
    pub buffers_full: u64,
    /// Write calls to segment files (`wal_write`).
    pub writes: u64,
    /// File syncs issued by flushes (`wal_sync`).
    pub syncs: u64,
    /// Segment files created (zero-filled or extended), preallocated ones included.
    pub segments_created: u64,
}

#[derive(Default)]
struct Counters {
    records: AtomicU64,
    fpi: AtomicU64,
    bytes: AtomicU64,
    buffers_full: AtomicU64,
    writes: AtomicU64,
    syncs: AtomicU64,
    segments_created: Arc<AtomicU64>,
}

/// The write-ahead log of one cluster: shared by every backend (wrap in `Arc`).
pub struct Wal {
    config: WalConfig,
    insert: Mutex<InsertState>,
    write: Mutex<WriteState>,
    /// Everything before this LSN is durable.
    flushed: AtomicU64,
    /// Everything before this LSN was handed to the operating system.
    written: AtomicU64,
    counters: Counters,
    /// `wal_compression` now (a [`WalCompression`] as u8).
    compression: AtomicU8,
    /// Highest end LSN of a commit acknowledged without waiting (`synchronous_commit = off`).
    async_commit: AtomicU64,
    /// Flushers waiting for the write lock to be released or their LSN to be flushed.
    flush_wait: Mutex<()>,
    flush_progress: Condvar,
}

/// The held write lock; releasing it wakes the flushers waiting in [`Wal::flush`].
struct WriteLock<'a> {
    wal: &'a Wal,
    guard: Option<MutexGuard<'a, WriteState>>,
}

impl std::ops::Deref for WriteLock<'_> {
    type Target = WriteState;
    fn deref(&self) -> &WriteState {
        self.guard.as_ref().expect("held until drop")
    }
}

impl std::ops::DerefMut for WriteLock<'_> {
    fn deref_mut(&mut self) -> &mut WriteState {
        self.guard.as_mut().expect("held until drop")
    }
}

impl Drop for WriteLock<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let _waiting = self.wal.flush_wait.lock();
        self.wal.flush_progress.notify_all();
    }
}

/// What the insert lock protects.
struct InsertState {
    /// Where the next record goes: the end of the last one (8-byte aligned).
    pos: u64,
    /// Start of the last record (the next record's `prev`).
    prev: Lsn,
    /// Redo LSN of the checkpoint in progress or last completed (`RedoRecPtr`): pages whose
    /// LSN is at or before it need a full-page image on their next change.
    redo: Lsn,
    /// The WAL buffers: `n_pages` pages; page `p` lives in slot `(p / 8192) % n_pages`.
    ring: Vec<u8>,
    n_pages: u64,
    /// First (page-aligned) LSN still held in the ring; earlier pages were handed on.
    held_from: u64,
    /// Full pages pushed out of the ring, not yet written; contiguous, ending at `held_from`.
    evicted: VecDeque<(u64, Vec<u8>)>,
    timeline: u32,
    system_identifier: u64,
    segment_size: u64,
}

/// What the write lock protects.
struct WriteState {
    files: SegmentFiles,
    /// Set by the first write or sync failure; returned by every later flush.
    broken: Option<Error>,
    /// The previous writer step left written-but-unflushed WAL behind.
    flush_owed: bool,
}

impl InsertState {
    fn slot(&mut self, page: u64) -> &mut [u8] {
        let index = ((page / WAL_PAGE_SIZE) % self.n_pages) as usize * PAGE;
        &mut self.ring[index..index + PAGE]
    }

    /// Frees ring slots until `page` fits, moving the oldest (complete) pages to `evicted`.
    fn make_room(&mut self, page: u64, counters: &Counters) {
        while page >= self.held_from + self.n_pages * WAL_PAGE_SIZE {
            let oldest = self.held_from;
            let copy = self.slot(oldest).to_vec();
            match self.evicted.back_mut() {
                Some((start, bytes)) if *start + bytes.len() as u64 == oldest => {
                    bytes.extend_from_slice(&copy)
                }
                _ => self.evicted.push_back((oldest, copy)),
            }
            self.held_from += WAL_PAGE_SIZE;
            counters.buffers_full.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Starts page `page` in the ring: zeroes it and writes its header.
    fn begin_page(&mut self, page: u64, rem_len: u32, counters: &Counters) {
        self.make_room(page, counters);
        let header = PageHeader {
            info: if rem_len > 0 {
                PAGE_FIRST_IS_CONTRECORD
            } else {
                0
            },
            timeline: self.timeline,
            page_addr: page,
            rem_len,
            long: page.is_multiple_of(self.segment_size).then_some((
                self.system_identifier,
                self.segment_size as u32,
                WAL_PAGE_SIZE as u32,
            )),
        };
        let slot = self.slot(page);
        slot.fill(0);
        header.encode(slot);
    }

    /// Copies an encoded record into the ring at the insert position; returns (start, end).
    fn copy_record(&mut self, bytes: &[u8], counters: &Counters) -> (u64, u64) {
        let mut at = self.pos;
        let offset = at % WAL_PAGE_SIZE;
        if offset == 0 || WAL_PAGE_SIZE - offset < RECORD_HEADER_SIZE as u64 {
            let page = if offset == 0 {
                at
            } else {
                page_start(at) + WAL_PAGE_SIZE
            };
            self.begin_page(page, 0, counters);
            at = page + header_size(page, self.segment_size);
        }
        let start = at;
        let mut rest = bytes;
        loop {
            let page = page_start(at);
            let offset = (at - page) as usize;
            let n = rest.len().min(PAGE - offset);
            self.slot(page)[offset..offset + n].copy_from_slice(&rest[..n]);
            at += n as u64;
            rest = &rest[n..];
            if rest.is_empty() {
                break;
            }
            self.begin_page(at, rest.len() as u32, counters);
            at += header_size(at, self.segment_size);
        }
        let end = align8(at);
        self.pos = end;
        self.prev = Lsn(start);
        (start, end)
    }

    /// Hands every page holding inserted WAL to the writer, in LSN order: evicted pages,
    /// then the ring's complete pages and the current partial page (whole, zero tail). The
    /// partial page stays in the ring. Returns the chunks and the insert position they cover.
    fn take_pending(&mut self) -> (Vec<(u64, Vec<u8>)>, u64) {
        let mut chunks: Vec<(u64, Vec<u8>)> = self.evicted.drain(..).collect();
        let pos = self.pos;
        let end_page = if pos.is_multiple_of(WAL_PAGE_SIZE) {
            pos
        } else {
            page_start(pos) + WAL_PAGE_SIZE
        };
        if end_page > self.held_from {
            let mut bytes = Vec::with_capacity((end_page - self.held_from) as usize);
            let mut page = self.held_from;
            while page < end_page {
                bytes.extend_from_slice(self.slot(page));
                page += WAL_PAGE_SIZE;
            }
            match chunks.last_mut() {
                Some((start, prior)) if *start + prior.len() as u64 == self.held_from => {
                    prior.extend_from_slice(&bytes)
                }
                _ => chunks.push((self.held_from, bytes)),
            }
        }
        self.held_from = page_start(pos);
        (chunks, pos)
    }
}

impl Wal {
    /// Opens the WAL in `dir` (the `pg_wal` directory), continuing insertion at `start`: the
    /// end of valid WAL found by recovery ([`WalReader::end_of_wal`]), or `Lsn::INVALID` /
    /// [`Wal::initial_lsn`] for a new cluster. The previous record's LSN (the next record's
    /// `prev` link) is found by reading back from `start`'s segment; use
    /// [`Wal::open_with_prev`] when it is known.
    ///
    /// Everything at and after `start` is discarded: the rest of `start`'s segment is zeroed
    /// and later segment files are removed, so stale bytes never follow new records.
    ///
    /// Errors: 22023 (invalid_parameter_value) for a bad segment size; XX001 (data_corrupted)
    /// if `start` is not a record boundary of the existing WAL; I/O errors.
    pub fn open(vfs: Arc<dyn Vfs>, dir: &Path, config: WalConfig, start: Lsn) -> Result<Wal> {
        Wal::open_with_prev(vfs, dir, config, start, Lsn::INVALID)
    }

    /// Like [`Wal::open`], with the start LSN of the last record before `start` given (from
    /// [`WalReader::last_record_lsn`]). `Lsn::INVALID` means "unknown": it is then looked up
    /// as [`Wal::open`] does, so the `prev` chain is never broken.
    pub fn open_with_prev(
        vfs: Arc<dyn Vfs>,
        dir: &Path,
        config: WalConfig,
        start: Lsn,
        prev: Lsn,
    ) -> Result<Wal> {
        check_config(&config)?;
        if start.0 >= crate::page::MAX_LSN {
            return Err(pg_err!(
                DATA_CORRUPTED,
                "invalid WAL start position {start}"
            ));
        }
        let prev = if prev == Lsn::INVALID {
            find_prev_record(&vfs, dir, &config, Wal::normalize_start(start, &config))?
        } else {
            prev
        };
        let start = Wal::normalize_start(start, &config).0;
        let seg = config.segment_size;
        if !vfs.exists(dir) {
            vfs.create_dir_all(dir).map_err(|e| {
                Error::io(
                    format_args!("could not create directory \"{}\"", dir.display()),
                    &e,
                )
            })?;
            if config.fsync {
                let parent = dir.parent().map(Path::to_path_buf).unwrap_or_default();
                vfs.sync_dir(&parent).map_err(|e| {
                    Error::io(
                        format_args!("could not fsync file \"{}\"", parent.display()),
                        &e,
                    )
                })?;
            }
        }
        let counters = Counters::default();
        let mut files = SegmentFiles::new(
            vfs.clone(),
            dir,
            config.timeline,
            seg,
            config.fsync,
            config.wal_init_zero,
            counters.segments_created.clone(),
        );
        let n_pages = (config.wal_buffers_bytes / PAGE).max(4) as u64;
        let mut insert = InsertState {
            pos: start,
            prev,
            redo: Lsn::INVALID,
            ring: vec![0u8; n_pages as usize * PAGE],
            n_pages,
            held_from: page_start(start),
            evicted: VecDeque::new(),
            timeline: config.timeline,
            system_identifier: config.system_identifier,
            segment_size: seg,
        };
        let start_segment = segment_number(Lsn(start), seg);
        let existing = files.open_existing(start_segment)?;
        if existing.is_none() && !start.is_multiple_of(WAL_PAGE_SIZE) {
            return Err(pg_err!(
                DATA_CORRUPTED,
                "invalid WAL start position {}: segment file \"{}\" does not exist",
                Lsn(start),
                files.path(start_segment).display()
            ));
        }
        // Bring back the partial page holding `start`, cut after `start`.
        if let Some(file) = existing {
            let page = page_start(start);
            let mut tail = vec![0u8; (seg - page % seg) as usize];
            if !start.is_multiple_of(WAL_PAGE_SIZE) {
                let cut = (start - page) as usize;
                file.read_exact_at(&mut tail[..cut], page % seg)
                    .map_err(|e| {
                        Error::io(format_args!("could not read WAL page at {}", Lsn(page)), &e)
                    })?;
                insert.slot(page)[..cut].copy_from_slice(&tail[..cut]);
            }
            files.write(page, &tail)?;
            files.sync()?;
        }
        files.remove_after(start_segment)?;
        // Segments written before a crash may sit in the page cache only: make them durable
        // before counting them as flushed.
        if config.fsync {
            for segno in files.list()? {
                if let Some(file) = files.open_existing(segno)? {
                    file.sync_data().map_err(|e| {
                        crate::segment::wal_io_error(
                            format_args!(
                                "could not fsync file \"{}\"",
                                files.path(segno).display()
                            ),
                            &e,
                        )
                    })?;
                }
            }
        }
        Ok(Wal {
            insert: Mutex::new(insert),
            write: Mutex::new(WriteState {
                files,
                broken: None,
                flush_owed: false,
            }),
            flushed: AtomicU64::new(start),
            written: AtomicU64::new(start),
            counters,
            compression: AtomicU8::new(config.wal_compression.to_u8()),
            async_commit: AtomicU64::new(0),
            flush_wait: Mutex::new(()),
            flush_progress: Condvar::new(),
            config,
        })
    }

    /// The first insert position of a new cluster: the start of segment 1 (PostgreSQL never
    /// uses segment 0, so LSN 0 stays invalid).
    pub fn initial_lsn(segment_size: u64) -> Lsn {
        Lsn(segment_size)
    }

    fn normalize_start(start: Lsn, config: &WalConfig) -> Lsn {
        if start == Lsn::INVALID {
            Wal::initial_lsn(config.segment_size)
        } else {
            Lsn(align8(start.0))
        }
    }

    /// Takes the write lock (lock order: before the insert lock).
    fn lock_write(&self) -> WriteLock<'_> {
        WriteLock {
            wal: self,
            guard: Some(self.write.lock()),
        }
    }

    /// The configuration this WAL was opened with.
    pub fn config(&self) -> &WalConfig {
        &self.config
    }

    /// Inserts a record and returns its END LSN: flush up to it to make the record durable,
    /// and stamp it as the LSN of pages the record changed (WAL rule 2).
    ///
    /// The record is encoded and its body CRC computed before the insert lock is taken; under
    /// the lock it is linked to the previous record and copied into the WAL buffers. If the
    /// buffers were full, this backend writes the oldest pages out after releasing the lock.
    /// Never fails: a write failure is remembered and reported by the next [`Wal::flush`].
    ///
    /// Panics if the record is larger than the format allows (a caller bug).
    pub fn insert(&self, rec: &RecordBuilder) -> Lsn {
        self.insert_record(rec).1
    }

    /// Like [`Wal::insert`], returning both the record's start LSN (its address, e.g. a
    /// checkpoint's location) and its end LSN.
    pub fn insert_record(&self, rec: &RecordBuilder) -> (Lsn, Lsn) {
        self.insert_checked(rec, None)
            .expect("an unconditional insert always succeeds")
    }

    /// Inserts `rec` only if the redo LSN is still `redo_seen`, the value the caller used to
    /// decide which blocks carry full-page images ([`Wal::needs_full_page_image`]); `None`
    /// if a checkpoint moved it meanwhile: the caller must decide again and retry
    /// (PostgreSQL's `XLogInsertRecord` returning `InvalidXLogRecPtr`). Returns (start, end).
    pub fn insert_if_redo_unchanged(
        &self,
        rec: &RecordBuilder,
        redo_seen: Lsn,
    ) -> Option<(Lsn, Lsn)> {
        self.insert_checked(rec, Some(redo_seen))
    }

    fn insert_checked(&self, rec: &RecordBuilder, redo_seen: Option<Lsn>) -> Option<(Lsn, Lsn)> {
        let mut encoded = rec.encode_unlinked(self.wal_compression());
        let (start, end, spilled) = {
            let mut insert = self.insert.lock();
            if redo_seen.is_some_and(|seen| seen != insert.redo) {
                return None;
            }
            encoded.link(insert.prev);
            let (start, end) = insert.copy_record(&encoded.bytes, &self.counters);
            (start, end, !insert.evicted.is_empty())
        };
        self.counters.records.fetch_add(1, Ordering::Relaxed);
        let images = rec.blocks.iter().filter(|b| b.image.is_some()).count() as u64;
        self.counters.fpi.fetch_add(images, Ordering::Relaxed);
        self.counters
            .bytes
            .fetch_add(encoded.bytes.len() as u64, Ordering::Relaxed);
        crate::usage::count(images, encoded.bytes.len() as u64);
        if spilled {
            let mut write = self.lock_write();
            // A failure is kept in `broken` and returned by the next flush.
            let _ = self.write_pending(&mut write);
        }
        Some((Lsn(start), Lsn(end)))
    }

    /// Starts a checkpoint: under the insert lock, sets the redo LSN to where the next record
    /// will start and returns it (PostgreSQL's `RedoRecPtr` update in `CreateCheckPoint`).
    /// From now on a page whose LSN is at or before it needs a full-page image on its next
    /// change (WAL rule 10).
    pub fn begin_checkpoint(&self) -> Lsn {
        let mut insert = self.insert.lock();
        let redo = record_start(Lsn(insert.pos), self.config.segment_size);
        insert.redo = redo;
        redo
    }

    /// Sets the redo LSN without starting a checkpoint (after recovery: the redo LSN of the
    /// checkpoint recovery started from).
    pub fn set_redo_lsn(&self, redo: Lsn) {
        self.insert.lock().redo = redo;
    }

    /// The current redo LSN (`Lsn::INVALID` before the first checkpoint).
    pub fn redo_lsn(&self) -> Lsn {
        self.insert.lock().redo
    }

    /// True if a change to a page stamped `page_lsn` must log a full-page image when the redo
    /// LSN is `redo` (from [`Wal::redo_lsn`]; pass the same value to
    /// [`Wal::insert_if_redo_unchanged`]): `full_page_writes` is on and the page was last
    /// changed at or before the redo point.
    pub fn needs_full_page_image(&self, page_lsn: Lsn, redo: Lsn) -> bool {
        self.config.full_page_writes && page_lsn <= redo
    }

    /// The current insert position: the end of the last inserted record.
    pub fn insert_lsn(&self) -> Lsn {
        Lsn(self.insert.lock().pos)
    }

    /// Where the next record will start (the redo pointer of a checkpoint begun now).
    pub fn next_record_lsn(&self) -> Lsn {
        record_start(self.insert_lsn(), self.config.segment_size)
    }

    /// Everything before this LSN is durable.
    pub fn flushed_lsn(&self) -> Lsn {
        Lsn(self.flushed.load(Ordering::Acquire))
    }

    /// Everything before this LSN has been written to the operating system (readable by
    /// [`WalReader`]), though perhaps not yet durable.
    pub fn written_lsn(&self) -> Lsn {
        Lsn(self.written.load(Ordering::Acquire))
    }

    /// Makes the WAL durable up to `upto` (PostgreSQL's `XLogFlush`), with group commit:
    /// returns at once if already flushed; otherwise waits until the write lock is free (as
    /// PostgreSQL's `LWLockAcquireOrWait`): a waiter whose LSN the fsync in progress covered
    /// returns as soon as it ends, and one that is still not covered takes the lock, writes
    /// everything inserted so far and issues one fdatasync that serves every commit that
    /// arrived meanwhile.
    ///
    /// Errors: PANIC-severity I/O errors (class 58) once a write or fsync failed (the WAL stays
    /// broken; the server must restart and recover); XX000 if `upto` is past the insert
    /// position.
    pub fn flush(&self, upto: Lsn) -> Result<()> {
        if upto.0 <= self.flushed.load(Ordering::Acquire) {
            return Ok(());
        }
        let inserted = self.insert_lsn();
        if upto > inserted {
            return Err(Error::internal(format!(
                "xlog flush request {upto} is not satisfied --- flushed only to {inserted}"
            )));
        }
        // PostgreSQL's LWLockAcquireOrWait: wait until the write lock is free or the flushed
        // LSN covers `upto`, so a commit served by the fsync in progress returns as soon as it
        // ends instead of queueing behind the next one.
        let mut write = loop {
            if upto.0 <= self.flushed.load(Ordering::Acquire) {
                return Ok(());
            }
            let mut waiting = self.flush_wait.lock();
            if upto.0 <= self.flushed.load(Ordering::Acquire) {
                return Ok(());
            }
            if let Some(guard) = self.write.try_lock() {
                drop(waiting);
                break WriteLock {
                    wal: self,
                    guard: Some(guard),
                };
            }
            // Woken by `WriteLock::drop` (which notifies under `flush_wait`), so no wake-up
            // is lost between the failed `try_lock` and the wait.
            self.flush_progress.wait(&mut waiting);
        };
        if let Some(err) = &write.broken {
            return Err(err.clone());
        }
        if upto.0 <= self.flushed.load(Ordering::Acquire) {
            return Ok(());
        }
        let target = self.write_pending(&mut write)?;
        self.sync(&mut write, target)
    }

    /// One round of the WAL writer (PostgreSQL's `XLogBackgroundFlush`): writes every inserted
    /// page, then fdatasyncs if at least `wal_writer_flush_after_bytes` are unflushed or the
    /// previous round left unflushed WAL behind (so asynchronous commits become durable within
    /// two rounds). The supervisor calls this every `wal_writer_delay`.
    ///
    /// Errors: as [`Wal::flush`].
    pub fn writer_step(&self) -> Result<()> {
        let mut write = self.lock_write();
        let target = self.write_pending(&mut write)?;
        let flushed = self.flushed.load(Ordering::Acquire);
        if target <= flushed {
            write.flush_owed = false;
            return Ok(());
        }
        if target - flushed >= self.config.wal_writer_flush_after_bytes || write.flush_owed {
            write.flush_owed = false;
            self.sync(&mut write, target)
        } else {
            write.flush_owed = true;
            Ok(())
        }
    }

    /// Removes or recycles segment files wholly before `keep_from` (the oldest LSN still
    /// needed: the last checkpoint's redo pointer, or a replication slot's restart LSN), up to
    /// `recycle_segments` of them renamed as future segments. Never touches the segment being
    /// written. See [`Wal::remove_old_segments_at_checkpoint`] for PostgreSQL's policy.
    pub fn remove_old_segments(&self, keep_from: Lsn) -> Result<SegmentCleanup> {
        let seg = self.config.segment_size;
        let current = segment_number(self.insert_lsn(), seg);
        let keep = segment_number(keep_from, seg).min(current);
        let mut write = self.lock_write();
        write.files.remove_before(
            keep,
            current,
            current + u64::from(self.config.recycle_segments),
        )
    }

    /// The checkpoint's segment clean-up (PostgreSQL's `RemoveOldXlogFiles` with `KeepLogSeg`
    /// and `XLOGfileslop`), after the control file points at the checkpoint with redo LSN
    /// `redo` (WAL rule 9):
    /// - segments before `redo`'s are no longer needed, except that `wal_keep_size` bytes
    ///   behind the insert position are kept too (for standbys);
    /// - each unneeded segment is recycled (renamed to the first free future segment number)
    ///   while future segments do not yet reach `recycle_upto`, else removed. `recycle_upto`
    ///   is the segment holding `redo + 1.1 * (1 + checkpoint_completion_target) *
    ///   distance_estimate` (where the next checkpoint should end), clamped between
    ///   `min_wal_size` and `max_wal_size` past `redo`'s segment. With `wal_recycle` off every
    ///   unneeded segment is removed.
    ///
    /// `distance_estimate` is the checkpointer's running estimate of WAL bytes between
    /// checkpoints (PostgreSQL's `CheckPointDistanceEstimate`). Errors: I/O errors (class 58).
    pub fn remove_old_segments_at_checkpoint(
        &self,
        redo: Lsn,
        retention: &SegmentRetention,
        distance_estimate: u64,
    ) -> Result<SegmentCleanup> {
        let seg = self.config.segment_size;
        let current = segment_number(self.insert_lsn(), seg);
        let redo_seg = segment_number(redo, seg);
        let keep = keep_from_segment(redo_seg, current, retention.wal_keep_size_bytes / seg);
        let recycle_upto = if retention.wal_recycle {
            recycle_upto_segment(redo, seg, retention, distance_estimate)
        } else {
            0
        };
        let mut write = self.lock_write();
        write.files.remove_before(keep, current, recycle_upto)
    }

    /// Creates the segment after the current one if it does not exist yet (PostgreSQL's
    /// `PreallocXlogFiles`), so that a commit crossing into it does not wait for the zero-fill.
    /// For the checkpointer or WAL writer; returns true if a segment was created.
    pub fn preallocate_next_segment(&self) -> Result<bool> {
        let next = segment_number(self.insert_lsn(), self.config.segment_size) + 1;
        let mut write = self.lock_write();
        write.files.preallocate(next)
    }

    /// Makes a commit durable as `synchronous_commit` asks (PostgreSQL's `RecordTransactionCommit`
    /// choice between `XLogFlush` and `XLogSetAsyncXactLSN`): for every mode but
    /// [`SyncMode::Off`] this is [`Wal::flush`] of the commit record's end LSN (group commit),
    /// and the commit may be acknowledged once it returns `Ok`. With `Off` it returns at once
    /// without waiting: the record sits in the WAL buffers and [`Wal::writer_step`] writes it
    /// on its next round and flushes it on the round after (so within about three
    /// `wal_writer_delay`s). A crash before that loses the commit, consistently: the
    /// transaction's changes are lost with it (WAL before data still holds for its pages).
    ///
    /// Returns true if it waited for the flush. Errors: as [`Wal::flush`] (only when waiting).
    pub fn commit_flush(&self, commit_end: Lsn, mode: SyncMode) -> Result<bool> {
        if mode.waits_for_flush() {
            self.flush(commit_end)?;
            Ok(true)
        } else {
            self.async_commit.fetch_max(commit_end.0, Ordering::AcqRel);
            Ok(false)
        }
    }

    /// End LSN of the latest commit acknowledged without waiting for its flush
    /// (`Lsn::INVALID` if none); durable once [`Wal::flushed_lsn`] reaches it.
    pub fn async_commit_lsn(&self) -> Lsn {
        Lsn(self.async_commit.load(Ordering::Acquire))
    }

    /// The `wal_compression` method in force for records inserted from now on.
    pub fn wal_compression(&self) -> WalCompression {
        WalCompression::from_u8(self.compression.load(Ordering::Relaxed))
    }

    /// Changes `wal_compression` (a reload, or `SET` by a superuser): records inserted
    /// afterwards store their full-page images this way. Readers handle both forms.
    pub fn set_wal_compression(&self, method: WalCompression) {
        self.compression.store(method.to_u8(), Ordering::Relaxed);
    }

    /// Cumulative activity counters (`pg_stat_wal`).
    pub fn stats(&self) -> WalStats {
        let c = &self.counters;
        WalStats {
            records: c.records.load(Ordering::Relaxed),
            fpi: c.fpi.load(Ordering::Relaxed),
            bytes: c.bytes.load(Ordering::Relaxed),
            buffers_full: c.buffers_full.load(Ordering::Relaxed),
            writes: c.writes.load(Ordering::Relaxed),
            syncs: c.syncs.load(Ordering::Relaxed),
            segments_created: c.segments_created.load(Ordering::Relaxed),
        }
    }

    /// Writes everything inserted so far; returns the position written up to.
    fn write_pending(&self, write: &mut WriteState) -> Result<u64> {
        if let Some(err) = &write.broken {
            return Err(err.clone());
        }
        let (chunks, pos) = self.insert.lock().take_pending();
        for (start, bytes) in chunks {
            if let Err(err) = write.files.write(start, &bytes) {
                write.broken = Some(err.clone());
                return Err(err);
            }
            self.counters.writes.fetch_add(1, Ordering::Relaxed);
        }
        self.written.fetch_max(pos, Ordering::AcqRel);
        Ok(pos)
    }

    /// Syncs the files written since the last sync and advances the flushed LSN to `target`.
    fn sync(&self, write: &mut WriteState, target: u64) -> Result<()> {
        match write.files.sync() {
            Ok(count) => {
                self.counters
                    .syncs
                    .fetch_add(count as u64, Ordering::Relaxed);
                self.flushed.fetch_max(target, Ordering::AcqRel);
                Ok(())
            }
            Err(err) => {
                write.broken = Some(err.clone());
                Err(err)
            }
        }
    }
}

/// The first segment to keep (PostgreSQL's `KeepLogSeg` without slots): `redo_seg`, or
/// earlier so that `keep_segments` segments behind `current` stay (`wal_keep_size`); never
/// segment 0 and never past `current`.
pub(crate) fn keep_from_segment(redo_seg: u64, current: u64, keep_segments: u64) -> u64 {
    let mut keep = redo_seg.min(current);
    if keep_segments > 0 && current - keep < keep_segments {
        keep = current.saturating_sub(keep_segments).max(1);
    }
    keep
}

/// The last segment number recycled segments may take (PostgreSQL's `XLOGfileslop`).
pub(crate) fn recycle_upto_segment(
    redo: Lsn,
    seg: u64,
    retention: &SegmentRetention,
    distance_estimate: u64,
) -> u64 {
    let redo_seg = redo.0 / seg;
    let min_seg = redo_seg + (retention.min_wal_size_bytes / seg).saturating_sub(1);
    let max_seg = redo_seg + (retention.max_wal_size_bytes / seg).saturating_sub(1);
    let distance = (1.0 + retention.checkpoint_completion_target) * distance_estimate as f64 * 1.10;
    let target = ((redo.0 as f64 + distance) / seg as f64).ceil() as u64;
    // PostgreSQL's order: raise to the minimum, then cap at the maximum.
    target.max(min_seg).min(max_seg)
}

fn check_config(config: &WalConfig) -> Result<()> {
    if !valid_segment_size(config.segment_size) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "WAL segment size must be a power of two between {} kB and {} MB",
            MIN_SEGMENT_SIZE / 1024,
            MAX_SEGMENT_SIZE / (1024 * 1024)
        ));
    }
    Ok(())
}

/// Finds the start of the last record before `start` by reading forward from the first record
/// boundary of `start`'s segment (or an earlier one, if a record spans into it).
fn find_prev_record(vfs: &Arc<dyn Vfs>, dir: &Path, config: &WalConfig, start: Lsn) -> Result<Lsn> {
    let seg = config.segment_size;
    let target = record_start(start, seg);
    let reader = || {
        WalReader::new(vfs.clone(), dir, target)
            .with_timeline(config.timeline)
            .with_segment_size(seg)
    };
    let mut probe = reader();
    let mut segno = segment_number(start, seg);
    loop {
        if let Some(boundary) = probe.first_record_in_segment(segno, seg)? {
            if boundary < target {
                let mut scan = WalReader::new(vfs.clone(), dir, boundary)
                    .with_timeline(config.timeline)
                    .with_segment_size(seg);
                let mut prev = None;
                while let Some(record) = scan.next()? {
                    if record.lsn >= target {
                        break;
                    }
                    prev = Some(record.lsn);
                    if record_start(record.end_lsn, seg) >= target {
                        break;
                    }
                }
                let reached = scan.end_of_wal();
                return match prev {
                    Some(prev) if record_start(reached, seg) == target => Ok(prev),
                    _ => Err(pg_err!(
                        DATA_CORRUPTED,
                        "invalid WAL start position {start}: not the end of a record"
                    )),
                };
            }
        }
        if segno == 0
            || !vfs.exists(&PathBuf::from(dir).join(crate::page::segment_file_name(
                config.timeline,
                segno - 1,
                seg,
            )))
        {
            return Ok(Lsn::INVALID);
        }
        segno -= 1;
    }
}
