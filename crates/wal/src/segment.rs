//! Segment files on the write side: opening, creating (zero-filled, then renamed into place so
//! a segment file is always full length), writing, syncing, recycling and removing.
//!
//! Rules kept here (numbers refer to `docs/design/wal.md`):
//! - A new segment is built under a temporary name, synced, renamed, and the directory synced
//!   (rule 7): a crash never leaves a short segment under a real name.
//! - Every file written since its last sync is remembered, and [`SegmentFiles::sync`] syncs
//!   them all, so a flush that crosses a segment boundary makes both files durable (rule 4).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tusk_io::{File, OpenOptions, Vfs};
use tusk_types::{Error, Result, Severity};

use crate::page::{parse_segment_file_name, segment_file_name};
use crate::wal::SegmentCleanup;

/// Zero-fill chunk when creating a segment (bytes).
const ZERO_CHUNK: usize = 128 * 1024;

/// The segment files of one WAL directory and timeline, as the writer sees them.
pub(crate) struct SegmentFiles {
    vfs: Arc<dyn Vfs>,
    dir: PathBuf,
    timeline: u32,
    segment_size: u64,
    fsync: bool,
    init_zero: bool,
    current: Option<(u64, Arc<dyn File>)>,
    dirty: Vec<(u64, Arc<dyn File>)>,
    /// Segment files created so far (`WalStats::segments_created`).
    created: Arc<AtomicU64>,
}

/// A PANIC-level I/O error: failures writing or syncing WAL end the server (PostgreSQL's
/// `data_sync_retry = off`), because the kernel may have dropped the unwritten data.
pub(crate) fn wal_io_error(what: std::fmt::Arguments<'_>, err: &std::io::Error) -> Error {
    Error::io(what, err).with_severity(Severity::Panic)
}

impl SegmentFiles {
    pub(crate) fn new(
        vfs: Arc<dyn Vfs>,
        dir: &Path,
        timeline: u32,
        segment_size: u64,
        fsync: bool,
        init_zero: bool,
        created: Arc<AtomicU64>,
    ) -> SegmentFiles {
        SegmentFiles {
            vfs,
            dir: dir.to_path_buf(),
            timeline,
            segment_size,
            fsync,
            init_zero,
            current: None,
            dirty: Vec::new(),
            created,
        }
    }

    /// The path of segment `segno`.
    pub(crate) fn path(&self, segno: u64) -> PathBuf {
        self.dir
            .join(segment_file_name(self.timeline, segno, self.segment_size))
    }

    /// Segment numbers of this timeline's files in the directory, sorted.
    pub(crate) fn list(&self) -> Result<Vec<u64>> {
        let names = self.vfs.read_dir(&self.dir).map_err(|e| {
            Error::io(
                format_args!("could not open directory \"{}\"", self.dir.display()),
                &e,
            )
        })?;
        let mut segments: Vec<u64> = names
            .iter()
            .filter_map(|p| p.file_name()?.to_str())
            .filter_map(|n| parse_segment_file_name(n, self.segment_size))
            .filter(|(tli, _)| *tli == self.timeline)
            .map(|(_, segno)| segno)
            .collect();
        segments.sort_unstable();
        Ok(segments)
    }

    /// Opens segment `segno` if it exists.
    pub(crate) fn open_existing(&self, segno: u64) -> Result<Option<Arc<dyn File>>> {
        let path = self.path(segno);
        match self.vfs.open(&path, OpenOptions::EXISTING) {
            Ok(file) => Ok(Some(file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(wal_io_error(
                format_args!("could not open file \"{}\"", path.display()),
                &e,
            )),
        }
    }

    /// The file of segment `segno`, created (zero-filled, full length) if missing.
    pub(crate) fn file(&mut self, segno: u64) -> Result<Arc<dyn File>> {
        if let Some((at, file)) = &self.current {
            if *at == segno {
                return Ok(file.clone());
            }
        }
        let file = match self.open_existing(segno)? {
            Some(file) => file,
            None => self.create(segno)?,
        };
        self.current = Some((segno, file.clone()));
        Ok(file)
    }

    /// Creates segment `segno` if it does not exist yet; true if it was created.
    pub(crate) fn preallocate(&mut self, segno: u64) -> Result<bool> {
        if self.open_existing(segno)?.is_some() {
            return Ok(false);
        }
        self.create(segno)?;
        Ok(true)
    }

    /// Builds segment `segno` under a temporary name and renames it into place (rule 7).
    fn create(&self, segno: u64) -> Result<Arc<dyn File>> {
        let tmp = self.dir.join("xlogtemp");
        let fail = |what: &str, path: &Path, e: std::io::Error| {
            wal_io_error(format_args!("{what} \"{}\"", path.display()), &e)
        };
        let file = self
            .vfs
            .open(&tmp, OpenOptions::CREATE_TRUNCATE)
            .map_err(|e| fail("could not create file", &tmp, e))?;
        if self.init_zero {
            let zeros = vec![0u8; ZERO_CHUNK.min(self.segment_size as usize)];
            let mut at = 0u64;
            while at < self.segment_size {
                let n = zeros.len().min((self.segment_size - at) as usize);
                file.write_all_at(&zeros[..n], at)
                    .map_err(|e| fail("could not write to file", &tmp, e))?;
                at += n as u64;
            }
        } else {
            file.set_len(self.segment_size)
                .map_err(|e| fail("could not write to file", &tmp, e))?;
        }
        if self.fsync {
            file.sync_all()
                .map_err(|e| fail("could not fsync file", &tmp, e))?;
        }
        let path = self.path(segno);
        self.vfs.rename(&tmp, &path).map_err(|e| {
            wal_io_error(
                format_args!(
                    "could not rename file \"{}\" to \"{}\"",
                    tmp.display(),
                    path.display()
                ),
                &e,
            )
        })?;
        self.sync_dir()?;
        self.created.fetch_add(1, Ordering::Relaxed);
        Ok(file)
    }

    /// Syncs the directory (after creating, renaming or removing segments).
    pub(crate) fn sync_dir(&self) -> Result<()> {
        if self.fsync {
            self.vfs.sync_dir(&self.dir).map_err(|e| {
                wal_io_error(
                    format_args!("could not fsync file \"{}\"", self.dir.display()),
                    &e,
                )
            })?;
        }
        Ok(())
    }

    /// Writes `bytes` at WAL position `start`, splitting at segment boundaries.
    pub(crate) fn write(&mut self, start: u64, bytes: &[u8]) -> Result<()> {
        let mut at = start;
        let mut rest = bytes;
        while !rest.is_empty() {
            let segno = at / self.segment_size;
            let offset = at % self.segment_size;
            let n = rest.len().min((self.segment_size - offset) as usize);
            let file = self.file(segno)?;
            file.write_all_at(&rest[..n], offset).map_err(|e| {
                wal_io_error(
                    format_args!(
                        "could not write to log file \"{}\" at offset {offset}, length {n}",
                        self.path(segno).display()
                    ),
                    &e,
                )
            })?;
            if !self.dirty.iter().any(|(s, _)| *s == segno) {
                self.dirty.push((segno, file));
            }
            at += n as u64;
            rest = &rest[n..];
        }
        Ok(())
    }

    /// Syncs every file written since its last sync (`fdatasync`); returns how many.
    pub(crate) fn sync(&mut self) -> Result<usize> {
        let count = self.dirty.len();
        if self.fsync {
            for (segno, file) in &self.dirty {
                file.sync_data().map_err(|e| {
                    wal_io_error(
                        format_args!("could not fsync file \"{}\"", self.path(*segno).display()),
                        &e,
                    )
                })?;
            }
        }
        self.dirty.clear();
        Ok(count)
    }

    /// Removes or recycles the segments before `keep_from` (PostgreSQL's
    /// `RemoveOldXlogFiles`): each is renamed to the first free segment number after
    /// `current` that is at most `recycle_upto` (saving the zero-fill of a new segment;
    /// `InstallXLogFileSegment`), or removed when there is no such slot. Syncs the directory
    /// once if anything changed.
    pub(crate) fn remove_before(
        &mut self,
        keep_from: u64,
        current: u64,
        recycle_upto: u64,
    ) -> Result<SegmentCleanup> {
        let segments = self.list()?;
        let mut taken: std::collections::BTreeSet<u64> =
            segments.iter().copied().filter(|s| *s > current).collect();
        let mut slot = current + 1;
        let mut cleanup = SegmentCleanup::default();
        for segno in segments
            .into_iter()
            .filter(|s| *s < keep_from && *s < current)
        {
            if self.current.as_ref().is_some_and(|(s, _)| *s == segno) {
                self.current = None;
            }
            self.dirty.retain(|(s, _)| *s != segno);
            while taken.contains(&slot) {
                slot += 1;
            }
            let path = self.path(segno);
            if slot <= recycle_upto {
                let target = self.path(slot);
                self.vfs.rename(&path, &target).map_err(|e| {
                    Error::io(
                        format_args!(
                            "could not rename file \"{}\" to \"{}\"",
                            path.display(),
                            target.display()
                        ),
                        &e,
                    )
                })?;
                taken.insert(slot);
                cleanup.recycled += 1;
            } else {
                self.vfs.remove_file(&path).map_err(|e| {
                    Error::io(
                        format_args!("could not remove file \"{}\"", path.display()),
                        &e,
                    )
                })?;
                cleanup.removed += 1;
            }
        }
        if cleanup.removed + cleanup.recycled > 0 {
            self.sync_dir()?;
        }
        Ok(cleanup)
    }

    /// Removes this timeline's segments after `segno` (left over beyond the end of WAL).
    pub(crate) fn remove_after(&mut self, segno: u64) -> Result<()> {
        let mut changed = false;
        for later in self.list()?.into_iter().filter(|s| *s > segno) {
            let path = self.path(later);
            self.vfs.remove_file(&path).map_err(|e| {
                Error::io(
                    format_args!("could not remove file \"{}\"", path.display()),
                    &e,
                )
            })?;
            changed = true;
        }
        if changed {
            self.sync_dir()?;
        }
        Ok(())
    }
}
