//! The storage manager: relation forks as series of segment files (PostgreSQL's `md.c`).
//!
//! A fork of a relation lives in `base/<dboid>/<relfilenode>[_fsm|_vm|_init]` (shared
//! relations, tablespace `pg_global`, in `global/`), split into segments of
//! [`SmgrConfig::segment_blocks`] pages: the first segment has no suffix, later ones `.1`,
//! `.2`, ... (PostgreSQL docs §73.1 "Database File Layout"). Every segment but the last is
//! exactly full; `nblocks` is found by walking segments until one is not full.
//!
//! Invariants:
//! 1. All I/O is whole 8192-byte pages at page-aligned offsets.
//! 2. Writes are not durable when they return: the segment is remembered and made durable by
//!    [`Smgr::sync_all`] (the checkpoint's fsync phase, PostgreSQL's `ProcessSyncRequests`),
//!    or at once by [`Smgr::immedsync`]. New files' directory entries are synced the same way.
//! 3. File handles are cached per fork; [`Smgr::unlink`] and [`Smgr::truncate`] drop them.
//! 4. Fork sizes are cached (PostgreSQL's `smgr_cached_nblocks`, which it trusts only in
//!    recovery because other processes may extend a file; here every backend shares this
//!    one `Smgr`, so the cache is kept in all states). Every change of a fork's size goes
//!    through [`Smgr::extend`], [`Smgr::truncate`], [`Smgr::create`], [`Smgr::unlink`] or
//!    the database operations, which update or drop the entry and bump an epoch; a size read
//!    from the files enters the cache only if no size changed while it was read.
//!
//! Entry points: [`Smgr::create`], [`Smgr::exists`], [`Smgr::nblocks`], [`Smgr::read`],
//! [`Smgr::write`], [`Smgr::extend`], [`Smgr::truncate`], [`Smgr::unlink`],
//! [`Smgr::immedsync`], [`Smgr::sync_all`] / [`Smgr::sync_all_timed`], [`relpath`].
//! See also: `storage_wal` (WAL records for create and truncate), `buffer` (the only caller of
//! page reads and writes for WAL-logged relations).

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use tusk_io::{Clock, File, OpenOptions, Vfs};
use tusk_types::{BlockNumber, Error, ForkNumber, Oid, RelFileLocator, Result, Severity, SqlState};

use crate::page::PAGE_SIZE;

/// OID of tablespace `pg_default` (`DEFAULTTABLESPACE_OID`).
pub const DEFAULT_TABLESPACE_OID: Oid = Oid(1663);
/// OID of tablespace `pg_global` (`GLOBALTABLESPACE_OID`).
pub const GLOBAL_TABLESPACE_OID: Oid = Oid(1664);
/// Pages per 1 GB segment with 8 KB pages (`RELSEG_SIZE`).
pub const DEFAULT_SEGMENT_BLOCKS: u32 = 131_072;
/// Subdirectory of a tablespace holding this version's files (`TABLESPACE_VERSION_DIRECTORY`).
pub const TABLESPACE_VERSION_DIRECTORY: &str = "PG_15_202209061";

/// The path of a fork's first segment relative to the data directory (`relpath`), e.g.
/// `base/16384/16385_fsm`. Shared relations (tablespace 1664, or database 0) are in `global/`;
/// other tablespaces under `pg_tblspc/<spcoid>/PG_15_202209061/<dboid>/`.
pub fn relpath(locator: RelFileLocator, fork: ForkNumber) -> String {
    let name = format!("{}{}", locator.rel_number.0, fork.suffix());
    if locator.spc_oid == GLOBAL_TABLESPACE_OID || locator.db_oid == Oid::INVALID {
        format!("global/{name}")
    } else if locator.spc_oid == DEFAULT_TABLESPACE_OID || locator.spc_oid == Oid::INVALID {
        format!("base/{}/{name}", locator.db_oid.0)
    } else {
        format!(
            "pg_tblspc/{}/{TABLESPACE_VERSION_DIRECTORY}/{}/{name}",
            locator.spc_oid.0, locator.db_oid.0
        )
    }
}

/// Raises an fsync failure to PANIC (PostgreSQL's `data_sync_retry = off`): after a failed
/// fsync the kernel may have dropped the dirty pages and a retry could falsely succeed, so
/// the server must restart and recover from WAL instead of retrying.
fn fsync_failure(err: Error) -> Error {
    err.with_severity(Severity::Panic)
}

/// Storage manager settings.
#[derive(Clone, Copy, Debug)]
pub struct SmgrConfig {
    /// Pages per segment file ([`DEFAULT_SEGMENT_BLOCKS`]; smaller in tests).
    pub segment_blocks: u32,
    /// Whether to sync files and directories at all (`fsync`). Off, every sync is skipped
    /// (PostgreSQL's `pg_fsync` with `enableFsync` off): fast, but a power loss may corrupt
    /// the cluster.
    pub fsync: bool,
}

impl Default for SmgrConfig {
    fn default() -> SmgrConfig {
        SmgrConfig {
            segment_blocks: DEFAULT_SEGMENT_BLOCKS,
            fsync: true,
        }
    }
}

/// What one [`Smgr::sync_all_timed`] did (the `sync files=`, `longest=`, `average=` figures of
/// `log_checkpoints`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncStats {
    /// Segment files synced.
    pub files: u32,
    /// The longest single file sync.
    pub longest: std::time::Duration,
    /// All file syncs together.
    pub total: std::time::Duration,
}

type ForkKey = (RelFileLocator, ForkNumber);

/// Relation files of one data directory. Shared by all threads (`Arc<Smgr>`).
pub struct Smgr {
    vfs: Arc<dyn Vfs>,
    datadir: PathBuf,
    config: SmgrConfig,
    /// Open segment handles per fork, index = segment number.
    handles: Mutex<HashMap<ForkKey, Vec<Arc<dyn File>>>>,
    /// Segments written since their last sync.
    pending_sync: Mutex<HashSet<(ForkKey, u32)>>,
    /// Directories with entries created since their last sync.
    pending_dirs: Mutex<HashSet<PathBuf>>,
    /// Known fork sizes (invariant 4).
    sizes: RwLock<SizeCache>,
}

/// Fork sizes in pages, and an epoch bumped by every change of a size (invariant 4).
#[derive(Default)]
struct SizeCache {
    epoch: u64,
    nblocks: HashMap<ForkKey, u32>,
}

impl std::fmt::Debug for Smgr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smgr")
            .field("datadir", &self.datadir)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Smgr {
    /// A storage manager for the data directory `datadir` on `vfs`.
    pub fn new(vfs: Arc<dyn Vfs>, datadir: impl Into<PathBuf>, config: SmgrConfig) -> Smgr {
        assert!(config.segment_blocks > 0, "segment_blocks must be positive");
        Smgr {
            vfs,
            datadir: datadir.into(),
            config,
            handles: Mutex::new(HashMap::new()),
            pending_sync: Mutex::new(HashSet::new()),
            pending_dirs: Mutex::new(HashSet::new()),
            sizes: RwLock::new(SizeCache::default()),
        }
    }

    /// The data directory.
    pub fn datadir(&self) -> &Path {
        &self.datadir
    }

    /// The file system.
    pub fn vfs(&self) -> &Arc<dyn Vfs> {
        &self.vfs
    }

    /// Pages per segment.
    pub fn segment_blocks(&self) -> u32 {
        self.config.segment_blocks
    }

    /// Relative path of segment `segno` (`base/1/2`, `base/1/2.1`, ...).
    fn segment_relpath(key: ForkKey, segno: u32) -> String {
        let base = relpath(key.0, key.1);
        if segno == 0 {
            base
        } else {
            format!("{base}.{segno}")
        }
    }

    fn segment_path(&self, key: ForkKey, segno: u32) -> PathBuf {
        self.datadir.join(Self::segment_relpath(key, segno))
    }

    /// Opens (and caches) segment `segno`; with `create`, creates it if missing.
    fn segment(&self, key: ForkKey, segno: u32, create: bool) -> Result<Arc<dyn File>> {
        if let Some(file) = self
            .handles
            .lock()
            .get(&key)
            .and_then(|v| v.get(segno as usize))
        {
            return Ok(file.clone());
        }
        // Open every segment up to `segno` in order so the cache stays dense.
        let mut opened = Vec::new();
        let have = self.handles.lock().get(&key).map_or(0, |v| v.len() as u32);
        for s in have..=segno {
            let path = self.segment_path(key, s);
            let opts = if create {
                OpenOptions::CREATE
            } else {
                OpenOptions::EXISTING
            };
            let existed = !create || self.vfs.exists(&path);
            let file = self.vfs.open(&path, opts).map_err(|e| {
                Error::io(
                    format_args!("could not open file \"{}\"", path.display()),
                    &e,
                )
            })?;
            if !existed {
                self.note_new_entry(&path);
            }
            opened.push(file);
        }
        let mut handles = self.handles.lock();
        let entry = handles.entry(key).or_default();
        for file in opened {
            if entry.len() <= segno as usize {
                entry.push(file);
            }
        }
        Ok(entry[segno as usize].clone())
    }

    fn note_new_entry(&self, path: &Path) {
        let mut dirs = self.pending_dirs.lock();
        let mut dir = path.parent();
        while let Some(d) = dir {
            dirs.insert(d.to_path_buf());
            if d == self.datadir {
                break;
            }
            dir = d.parent();
        }
    }

    /// Creates the fork's first segment (`smgrcreate`), and its directory if missing.
    /// With `is_redo`, an existing file is fine (replay may repeat a creation).
    ///
    /// Errors: `could not create file "%s": File exists` (58P02 duplicate_file),
    /// or the operating system's error (class 58).
    pub fn create(&self, locator: RelFileLocator, fork: ForkNumber, is_redo: bool) -> Result<()> {
        let key = (locator, fork);
        let path = self.segment_path(key, 0);
        if self.vfs.exists(&path) {
            if is_redo {
                return Ok(());
            }
            return Err(Error::new(
                SqlState::DUPLICATE_FILE,
                format!("could not create file \"{}\": File exists", path.display()),
            ));
        }
        if let Some(dir) = path.parent() {
            if !self.vfs.exists(dir) {
                self.vfs.create_dir_all(dir).map_err(|e| {
                    Error::io(
                        format_args!("could not create directory \"{}\"", dir.display()),
                        &e,
                    )
                })?;
                self.note_new_entry(dir);
            }
        }
        self.handles.lock().remove(&key);
        self.forget_sizes(|k| *k == key);
        self.segment(key, 0, true)?;
        Ok(())
    }

    /// True if the fork's first segment exists (`smgrexists`).
    pub fn exists(&self, locator: RelFileLocator, fork: ForkNumber) -> bool {
        let key = (locator, fork);
        self.handles.lock().get(&key).is_some_and(|v| !v.is_empty())
            || self.vfs.exists(&self.segment_path(key, 0))
    }

    /// Number of pages in the fork (`smgrnblocks`).
    ///
    /// Errors: `could not open file "%s": No such file or directory` (58P01) if the fork
    /// does not exist.
    pub fn nblocks(&self, locator: RelFileLocator, fork: ForkNumber) -> Result<BlockNumber> {
        let key = (locator, fork);
        let epoch = {
            let sizes = self.sizes.read();
            if let Some(&n) = sizes.nblocks.get(&key) {
                return Ok(BlockNumber(n));
            }
            sizes.epoch
        };
        let n = self.nblocks_from_files(key)?;
        let mut sizes = self.sizes.write();
        if sizes.epoch == epoch {
            sizes.nblocks.insert(key, n.0);
        }
        Ok(n)
    }

    /// The fork's size as its segment files tell it.
    fn nblocks_from_files(&self, key: ForkKey) -> Result<BlockNumber> {
        let mut total: u64 = 0;
        let mut segno = 0;
        loop {
            if segno > 0 && !self.vfs.exists(&self.segment_path(key, segno)) {
                let cached = self.handles.lock().get(&key).map_or(0, |v| v.len());
                if cached <= segno as usize {
                    return Ok(BlockNumber(total as u32));
                }
            }
            let file = self.segment(key, segno, false)?;
            let len = file.len().map_err(|e| {
                Error::io(
                    format_args!(
                        "could not seek to end of file \"{}\"",
                        self.segment_path(key, segno).display()
                    ),
                    &e,
                )
            })?;
            let blocks = len / PAGE_SIZE as u64;
            total += blocks;
            if blocks < self.config.segment_blocks as u64 {
                return Ok(BlockNumber(total as u32));
            }
            segno += 1;
        }
    }

    fn locate(&self, block: BlockNumber) -> (u32, u64) {
        let segno = block.0 / self.config.segment_blocks;
        let offset = (block.0 % self.config.segment_blocks) as u64 * PAGE_SIZE as u64;
        (segno, offset)
    }

    /// Reads page `block` into `buf` (`smgrread`).
    ///
    /// Errors: `could not read block %u in file "%s": read only %d of %d bytes` (XX001) past
    /// the end of the fork, or `could not read block %u in file "%s": %m` (class 58).
    pub fn read(
        &self,
        locator: RelFileLocator,
        fork: ForkNumber,
        block: BlockNumber,
        buf: &mut [u8; PAGE_SIZE],
    ) -> Result<()> {
        let key = (locator, fork);
        let (segno, offset) = self.locate(block);
        let file = self.segment(key, segno, false)?;
        let path = || self.segment_path(key, segno).display().to_string();
        let mut done = 0;
        while done < PAGE_SIZE {
            match file.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => {
                    return Err(Error::new(
                        SqlState::DATA_CORRUPTED,
                        format!(
                            "could not read block {} in file \"{}\": read only {done} of {PAGE_SIZE} bytes",
                            block.0,
                            path()
                        ),
                    ))
                }
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(Error::io(
                        format_args!("could not read block {} in file \"{}\"", block.0, path()),
                        &e,
                    ))
                }
            }
        }
        Ok(())
    }

    /// Writes page `block`, which must already exist (`smgrwrite`). Not durable until
    /// [`Smgr::sync_all`] (invariant 2).
    ///
    /// Errors: `could not write block %u in file "%s": %m` (class 58).
    pub fn write(
        &self,
        locator: RelFileLocator,
        fork: ForkNumber,
        block: BlockNumber,
        buf: &[u8; PAGE_SIZE],
    ) -> Result<()> {
        let key = (locator, fork);
        let (segno, offset) = self.locate(block);
        let file = self.segment(key, segno, false)?;
        file.write_all_at(buf, offset).map_err(|e| {
            Error::io(
                format_args!(
                    "could not write block {} in file \"{}\"",
                    block.0,
                    self.segment_path(key, segno).display()
                ),
                &e,
            )
        })?;
        self.pending_sync.lock().insert((key, segno));
        Ok(())
    }

    /// Adds page `block` (normally `nblocks`) with contents `buf` (`smgrextend`), creating
    /// the segment file when the block starts a new one.
    ///
    /// Errors: `could not extend file "%s": %m` with hint `Check free disk space.` (class 58).
    pub fn extend(
        &self,
        locator: RelFileLocator,
        fork: ForkNumber,
        block: BlockNumber,
        buf: &[u8; PAGE_SIZE],
    ) -> Result<()> {
        let key = (locator, fork);
        let (segno, offset) = self.locate(block);
        let file = self.segment(key, segno, true)?;
        let written = file.write_all_at(buf, offset).map_err(|e| {
            Error::io(
                format_args!(
                    "could not extend file \"{}\"",
                    self.segment_path(key, segno).display()
                ),
                &e,
            )
            .hint("Check free disk space.")
        });
        if let Err(e) = written {
            // A partial write may have grown the file: read its size afresh.
            self.forget_sizes(|k| *k == key);
            return Err(e);
        }
        let mut sizes = self.sizes.write();
        sizes.epoch += 1;
        if let Some(n) = sizes.nblocks.get_mut(&key) {
            *n = (*n).max(block.0 + 1);
        }
        drop(sizes);
        self.pending_sync.lock().insert((key, segno));
        Ok(())
    }

    /// Drops the cached sizes of the forks `which` selects (invariant 4).
    fn forget_sizes(&self, which: impl Fn(&ForkKey) -> bool) {
        let mut sizes = self.sizes.write();
        sizes.epoch += 1;
        sizes.nblocks.retain(|k, _| !which(k));
    }

    /// Truncates the fork to `nblocks` pages (`smgrtruncate`) and syncs the change at once.
    /// Later segments are removed. The caller has dropped the buffers of the removed pages
    /// (`BufferPool::drop_relation_buffers`) and WAL-logged the truncation first.
    ///
    /// Errors: `could not truncate file "%s" to %u blocks: %m` (class 58).
    pub fn truncate(
        &self,
        locator: RelFileLocator,
        fork: ForkNumber,
        nblocks: BlockNumber,
    ) -> Result<()> {
        let key = (locator, fork);
        let current = self.nblocks(locator, fork)?;
        if nblocks >= current {
            return Ok(());
        }
        let result = self.truncate_files(key, current, nblocks);
        self.forget_sizes(|k| *k == key);
        result
    }

    fn truncate_files(
        &self,
        key: ForkKey,
        current: BlockNumber,
        nblocks: BlockNumber,
    ) -> Result<()> {
        let seg_blocks = self.config.segment_blocks;
        let last_segno = current.0.saturating_sub(1) / seg_blocks;
        // The segment that keeps the new end: full segments before it stay as they are.
        let keep_segno = nblocks.0 / seg_blocks;
        for segno in (keep_segno..=last_segno).rev() {
            let path = self.segment_path(key, segno);
            let file = self.segment(key, segno, false)?;
            let keep_blocks = if segno == keep_segno {
                nblocks.0 % seg_blocks
            } else {
                0
            };
            let err = |e: io::Error| {
                Error::io(
                    format_args!(
                        "could not truncate file \"{}\" to {} blocks",
                        path.display(),
                        keep_blocks
                    ),
                    &e,
                )
            };
            file.set_len(keep_blocks as u64 * PAGE_SIZE as u64)
                .map_err(err)?;
            if self.config.fsync {
                file.sync_all().map_err(|e| {
                    fsync_failure(Error::io(
                        format_args!("could not fsync file \"{}\"", path.display()),
                        &e,
                    ))
                })?;
            }
            if segno > keep_segno || (segno > 0 && keep_blocks == 0) {
                self.vfs.remove_file(&path).map_err(|e| {
                    Error::io(
                        format_args!("could not remove file \"{}\"", path.display()),
                        &e,
                    )
                })?;
                self.note_new_entry(&path);
            }
        }
        let mut handles = self.handles.lock();
        if let Some(v) = handles.get_mut(&key) {
            v.truncate(keep_segno.max(1) as usize);
        }
        drop(handles);
        self.pending_sync
            .lock()
            .retain(|(k, s)| *k != key || *s < keep_segno.max(1));
        Ok(())
    }

    /// Removes every segment of `fork` (or of all forks when `None`) (`smgrdounlinkall`).
    /// The caller has dropped the relation's buffers. Missing files are not an error.
    ///
    /// Errors: `could not remove file "%s": %m` (class 58).
    pub fn unlink(&self, locator: RelFileLocator, fork: Option<ForkNumber>) -> Result<()> {
        let forks: Vec<ForkNumber> = match fork {
            Some(f) => vec![f],
            None => (0..4).filter_map(ForkNumber::from_u8).collect(),
        };
        for fork in forks {
            let key = (locator, fork);
            self.handles.lock().remove(&key);
            self.pending_sync.lock().retain(|(k, _)| *k != key);
            let mut segno = 0;
            loop {
                let path = self.segment_path(key, segno);
                if !self.vfs.exists(&path) {
                    break;
                }
                self.vfs.remove_file(&path).map_err(|e| {
                    Error::io(
                        format_args!("could not remove file \"{}\"", path.display()),
                        &e,
                    )
                })?;
                self.note_new_entry(&path);
                segno += 1;
            }
            self.forget_sizes(|k| *k == key);
        }
        Ok(())
    }

    /// The directory of database `db` in the default tablespace (`base/<db>`).
    pub fn database_dir(&self, db: Oid) -> PathBuf {
        self.datadir.join("base").join(db.0.to_string())
    }

    /// The bytes of every file in database `db`'s directory (PostgreSQL's `db_dir_size`,
    /// what `pg_database_size` reports); 0 for a missing directory.
    ///
    /// Errors: `could not open directory "%s"` and the like (class 58).
    pub fn database_size(&self, db: Oid) -> Result<u64> {
        let dir = self.database_dir(db);
        if !self.vfs.exists(&dir) {
            return Ok(0);
        }
        let fail = |what: &str, path: &Path, e: std::io::Error| {
            Error::io(format_args!("could not {what} \"{}\"", path.display()), &e)
        };
        let mut total = 0;
        for path in self
            .vfs
            .read_dir(&dir)
            .map_err(|e| fail("open directory", &dir, e))?
        {
            // A file removed meanwhile (a dropped relation) counts as nothing.
            if let Ok(file) = self.vfs.open(&path, OpenOptions::EXISTING) {
                total += file.len().map_err(|e| fail("stat file", &path, e))?;
            }
        }
        Ok(total)
    }

    /// Copies every file of database `from`'s directory into a fresh directory for `to`,
    /// syncing each copy, the new directory and `base/` (CREATE DATABASE's `FILE_COPY`
    /// strategy). The caller has written `from`'s dirty buffers out first (a checkpoint)
    /// and keeps others from changing it. A leftover directory of `to` is removed first.
    ///
    /// Errors: `could not copy file "%s"` and the like (class 58).
    pub fn copy_database(&self, from: Oid, to: Oid) -> Result<()> {
        let source = self.database_dir(from);
        let target = self.database_dir(to);
        if self.vfs.exists(&target) {
            self.remove_database(to)?;
        }
        self.forget_sizes(|(locator, _)| locator.db_oid == to);
        let fail = |what: &str, path: &Path, e: std::io::Error| {
            Error::io(format_args!("could not {what} \"{}\"", path.display()), &e)
        };
        self.vfs
            .create_dir_all(&target)
            .map_err(|e| fail("create directory", &target, e))?;
        let entries = self
            .vfs
            .read_dir(&source)
            .map_err(|e| fail("open directory", &source, e))?;
        let mut buf = vec![0u8; 64 * PAGE_SIZE];
        for path in entries {
            let Some(name) = path.file_name() else {
                continue;
            };
            let input = self
                .vfs
                .open(&path, OpenOptions::EXISTING)
                .map_err(|e| fail("open file", &path, e))?;
            let dest = target.join(name);
            let output = self
                .vfs
                .open(&dest, OpenOptions::CREATE)
                .map_err(|e| fail("create file", &dest, e))?;
            let len = input.len().map_err(|e| fail("read file", &path, e))?;
            let mut at = 0u64;
            while at < len {
                let n = ((len - at) as usize).min(buf.len());
                input
                    .read_exact_at(&mut buf[..n], at)
                    .map_err(|e| fail("read file", &path, e))?;
                output
                    .write_all_at(&buf[..n], at)
                    .map_err(|e| fail("write file", &dest, e))?;
                at += n as u64;
            }
            output
                .sync_all()
                .map_err(|e| fail("fsync file", &dest, e))?;
        }
        self.vfs
            .sync_dir(&target)
            .map_err(|e| fail("fsync directory", &target, e))?;
        let base = self.datadir.join("base");
        self.vfs
            .sync_dir(&base)
            .map_err(|e| fail("fsync directory", &base, e))
    }

    /// Removes database `db`'s directory with its files, forgetting their open handles
    /// and pending syncs (DROP DATABASE). The caller has dropped the database's buffers.
    /// A missing directory is not an error.
    ///
    /// Errors: `could not remove file "%s"` and the like (class 58).
    pub fn remove_database(&self, db: Oid) -> Result<()> {
        self.handles
            .lock()
            .retain(|(locator, _), _| locator.db_oid != db);
        self.forget_sizes(|(locator, _)| locator.db_oid == db);
        self.pending_sync
            .lock()
            .retain(|((locator, _), _)| locator.db_oid != db);
        let dir = self.database_dir(db);
        if !self.vfs.exists(&dir) {
            return Ok(());
        }
        let fail = |what: &str, path: &Path, e: std::io::Error| {
            Error::io(format_args!("could not {what} \"{}\"", path.display()), &e)
        };
        let entries = self
            .vfs
            .read_dir(&dir)
            .map_err(|e| fail("open directory", &dir, e))?;
        for path in entries {
            self.vfs
                .remove_file(&path)
                .map_err(|e| fail("remove file", &path, e))?;
        }
        self.vfs
            .remove_dir(&dir)
            .map_err(|e| fail("remove directory", &dir, e))?;
        self.pending_dirs.lock().retain(|d| !d.starts_with(&dir));
        let base = self.datadir.join("base");
        self.vfs
            .sync_dir(&base)
            .map_err(|e| fail("fsync directory", &base, e))
    }

    /// Syncs every segment of the fork now (`smgrimmedsync`), for writes that bypassed WAL.
    ///
    /// Errors: `could not fsync file "%s": %m` (class 58, severity PANIC).
    pub fn immedsync(&self, locator: RelFileLocator, fork: ForkNumber) -> Result<()> {
        let key = (locator, fork);
        let nblocks = self.nblocks(locator, fork)?;
        let last = nblocks.0.saturating_sub(1) / self.config.segment_blocks;
        for segno in 0..=last {
            self.sync_segment(key, segno)?;
        }
        self.pending_sync.lock().retain(|(k, _)| *k != key);
        self.sync_dirs()
    }

    fn sync_segment(&self, key: ForkKey, segno: u32) -> Result<()> {
        if !self.config.fsync {
            return Ok(());
        }
        let file = match self.segment(key, segno, false) {
            Ok(f) => f,
            // Removed since it was written (relation dropped): nothing to make durable.
            Err(e) if e.code == SqlState::UNDEFINED_FILE => return Ok(()),
            Err(e) => return Err(e),
        };
        file.sync_data().map_err(|e| {
            fsync_failure(Error::io(
                format_args!(
                    "could not fsync file \"{}\"",
                    self.segment_path(key, segno).display()
                ),
                &e,
            ))
        })
    }

    fn sync_dirs(&self) -> Result<()> {
        if !self.config.fsync {
            self.pending_dirs.lock().clear();
            return Ok(());
        }
        let dirs: Vec<PathBuf> = {
            let mut d: Vec<PathBuf> = self.pending_dirs.lock().drain().collect();
            // Deepest first, so a parent's entry for a new child is synced after the child.
            d.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
            d
        };
        for (i, dir) in dirs.iter().enumerate() {
            if let Err(e) = self.vfs.sync_dir(dir) {
                self.pending_dirs.lock().extend(dirs[i..].iter().cloned());
                return Err(fsync_failure(Error::io(
                    format_args!("could not fsync file \"{}\"", dir.display()),
                    &e,
                )));
            }
        }
        Ok(())
    }

    /// Makes every write since the last call durable (`ProcessSyncRequests`): syncs each
    /// written segment, then new directory entries. On error the unsynced ones stay pending.
    ///
    /// Errors: `could not fsync file "%s": %m` (class 58, severity PANIC: the caller must not
    /// retry but restart and recover).
    pub fn sync_all(&self) -> Result<()> {
        self.sync_pending(None).map(|_| ())
    }

    /// [`Smgr::sync_all`], timing each file's sync with `clock` (for `log_checkpoints`).
    /// With `fsync` off nothing is synced and the figures are zero.
    ///
    /// Errors: as [`Smgr::sync_all`].
    pub fn sync_all_timed(&self, clock: &dyn Clock) -> Result<SyncStats> {
        self.sync_pending(Some(clock))
    }

    fn sync_pending(&self, clock: Option<&dyn Clock>) -> Result<SyncStats> {
        let mut pending: Vec<(ForkKey, u32)> = self.pending_sync.lock().drain().collect();
        pending.sort_by_key(|(key, segno)| (key.0, key.1 as u8, *segno));
        let mut stats = SyncStats::default();
        for (i, (key, segno)) in pending.iter().enumerate() {
            let began = clock.map(|c| c.monotonic());
            if let Err(e) = self.sync_segment(*key, *segno) {
                self.pending_sync
                    .lock()
                    .extend(pending[i..].iter().copied());
                return Err(e);
            }
            if self.config.fsync {
                let took = match (clock, began) {
                    (Some(c), Some(b)) => c.monotonic().saturating_sub(b),
                    _ => std::time::Duration::ZERO,
                };
                stats.files += 1;
                stats.longest = stats.longest.max(took);
                stats.total += took;
            }
        }
        self.sync_dirs()?;
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use tusk_io::MemVfs;

    use super::*;

    fn rel(n: u32) -> RelFileLocator {
        RelFileLocator {
            spc_oid: DEFAULT_TABLESPACE_OID,
            db_oid: Oid(5),
            rel_number: Oid(n),
        }
    }

    fn page_of(byte: u8) -> [u8; PAGE_SIZE] {
        [byte; PAGE_SIZE]
    }

    #[test]
    fn relpath_follows_postgres_layout() {
        assert_eq!(relpath(rel(16385), ForkNumber::Main), "base/5/16385");
        assert_eq!(
            relpath(rel(16385), ForkNumber::FreeSpaceMap),
            "base/5/16385_fsm"
        );
        let shared = RelFileLocator {
            spc_oid: GLOBAL_TABLESPACE_OID,
            db_oid: Oid(0),
            rel_number: Oid(1262),
        };
        assert_eq!(relpath(shared, ForkNumber::VisibilityMap), "global/1262_vm");
        let other = RelFileLocator {
            spc_oid: Oid(16400),
            ..rel(7)
        };
        assert_eq!(
            relpath(other, ForkNumber::Init),
            "pg_tblspc/16400/PG_15_202209061/5/7_init"
        );
    }

    #[test]
    fn segments_split_extend_read_truncate() {
        let vfs = Arc::new(MemVfs::new());
        let smgr = Smgr::new(
            vfs.clone(),
            "/data",
            SmgrConfig {
                segment_blocks: 2,
                ..SmgrConfig::default()
            },
        );
        let r = rel(100);
        smgr.create(r, ForkNumber::Main, false).expect("create");
        assert!(smgr.exists(r, ForkNumber::Main));
        let err = smgr
            .create(r, ForkNumber::Main, false)
            .expect_err("duplicate");
        assert_eq!(
            err.message,
            "could not create file \"/data/base/5/100\": File exists"
        );
        smgr.create(r, ForkNumber::Main, true)
            .expect("redo tolerates existing");
        for b in 0..5u32 {
            smgr.extend(r, ForkNumber::Main, BlockNumber(b), &page_of(b as u8 + 1))
                .expect("extend");
        }
        assert_eq!(
            smgr.nblocks(r, ForkNumber::Main).expect("n"),
            BlockNumber(5)
        );
        assert!(vfs.exists(Path::new("/data/base/5/100.2")));
        let mut buf = [0u8; PAGE_SIZE];
        smgr.read(r, ForkNumber::Main, BlockNumber(3), &mut buf)
            .expect("read");
        assert_eq!(buf[100], 4);
        smgr.write(r, ForkNumber::Main, BlockNumber(3), &page_of(9))
            .expect("write");
        smgr.read(r, ForkNumber::Main, BlockNumber(3), &mut buf)
            .expect("read");
        assert_eq!(buf[0], 9);
        let err = smgr
            .read(r, ForkNumber::Main, BlockNumber(5), &mut buf)
            .expect_err("past end");
        assert_eq!(err.code, SqlState::DATA_CORRUPTED);
        assert_eq!(
            err.message,
            "could not read block 5 in file \"/data/base/5/100.2\": read only 0 of 8192 bytes"
        );
        smgr.sync_all().expect("sync");
        smgr.truncate(r, ForkNumber::Main, BlockNumber(3))
            .expect("truncate");
        assert_eq!(
            smgr.nblocks(r, ForkNumber::Main).expect("n"),
            BlockNumber(3)
        );
        assert!(!vfs.exists(Path::new("/data/base/5/100.2")));
        smgr.truncate(r, ForkNumber::Main, BlockNumber(2))
            .expect("truncate");
        assert_eq!(
            smgr.nblocks(r, ForkNumber::Main).expect("n"),
            BlockNumber(2)
        );
        assert!(!vfs.exists(Path::new("/data/base/5/100.1")));
        smgr.extend(r, ForkNumber::Main, BlockNumber(2), &page_of(7))
            .expect("extend");
        assert_eq!(
            smgr.nblocks(r, ForkNumber::Main).expect("n"),
            BlockNumber(3)
        );
        smgr.truncate(r, ForkNumber::Main, BlockNumber(0))
            .expect("truncate");
        assert_eq!(
            smgr.nblocks(r, ForkNumber::Main).expect("n"),
            BlockNumber(0)
        );
        smgr.unlink(r, None).expect("unlink");
        assert!(!smgr.exists(r, ForkNumber::Main));
        let err = smgr.nblocks(r, ForkNumber::Main).expect_err("gone");
        assert_eq!(err.code, SqlState::UNDEFINED_FILE);
    }

    #[test]
    fn sync_all_makes_new_files_durable() {
        let vfs = tusk_io::FaultVfs::new();
        let smgr = Smgr::new(Arc::new(vfs.clone()), "/data", SmgrConfig::default());
        vfs.create_dir_all(Path::new("/data")).expect("mkdir");
        vfs.sync_dir(Path::new("/")).expect("sync root");
        let r = rel(1);
        smgr.create(r, ForkNumber::Main, false).expect("create");
        smgr.extend(r, ForkNumber::Main, BlockNumber(0), &page_of(3))
            .expect("extend");
        smgr.sync_all().expect("sync");
        let after = vfs.crash(tusk_io::CrashMode::DropUnsynced);
        let bytes = after
            .contents(Path::new("/data/base/5/1"))
            .expect("survives");
        assert_eq!(bytes.len(), PAGE_SIZE);
        assert_eq!(bytes[10], 3);
    }

    proptest::proptest! {
        #[test]
        fn segmented_fork_matches_model(ops in proptest::collection::vec((0u8..4, 0u32..12, proptest::prelude::any::<u8>()), 1..80)) {
            let smgr = Smgr::new(Arc::new(MemVfs::new()), "/data", SmgrConfig {
                segment_blocks: 3,
                ..SmgrConfig::default()
            });
            let r = rel(9);
            smgr.create(r, ForkNumber::Main, false).expect("create");
            let mut model: Vec<u8> = Vec::new();
            for (op, n, byte) in ops {
                match op {
                    0 => {
                        smgr.extend(r, ForkNumber::Main, BlockNumber(model.len() as u32), &page_of(byte)).expect("extend");
                        model.push(byte);
                    }
                    1 if !model.is_empty() => {
                        let b = n as usize % model.len();
                        smgr.write(r, ForkNumber::Main, BlockNumber(b as u32), &page_of(byte)).expect("write");
                        model[b] = byte;
                    }
                    2 => {
                        let keep = (n as usize).min(model.len());
                        smgr.truncate(r, ForkNumber::Main, BlockNumber(keep as u32)).expect("truncate");
                        model.truncate(keep);
                    }
                    _ => {}
                }
                proptest::prop_assert_eq!(smgr.nblocks(r, ForkNumber::Main).expect("n").0 as usize, model.len());
                for (b, want) in model.iter().enumerate() {
                    let mut buf = [0u8; PAGE_SIZE];
                    smgr.read(r, ForkNumber::Main, BlockNumber(b as u32), &mut buf).expect("read");
                    proptest::prop_assert_eq!(buf[77], *want);
                }
            }
        }
    }
}
