//! File I/O and time behind traits, so that every layer below the server can run against the
//! real file system, an in-memory one, or one that injects crashes and fsync failures.
//!
//! Entry points:
//! - [`Vfs`] / [`File`]: synchronous, positioned file I/O (`pread`/`pwrite`), `fdatasync`/`fsync`,
//!   directory operations and directory fsync.
//! - [`Clock`]: wall-clock time and a monotonic clock.
//! - Implementations: [`RealVfs`] (the operating system), [`MemVfs`] (in memory, for unit tests),
//!   [`FaultVfs`] (in memory, tracks what is durable, simulates power loss, torn writes and fsync
//!   failures), [`RealClock`], [`ManualClock`].
//!
//! Invariants every implementation keeps:
//! 1. `read_at` returns fewer bytes than asked only at end of file.
//! 2. A write is durable only after `sync_data`/`sync_all` of its file returned `Ok`.
//! 3. A created, renamed or removed directory entry is durable only after `sync_dir` of the
//!    directory that holds it returned `Ok` (as on Linux file systems; PostgreSQL's
//!    `fsync_fname(dir, true)`).
//! 4. File handles stay usable after the name is removed or renamed (POSIX unlink semantics).
//!
//! See also: `docs/design/wal.md` (which rules the WAL builds on these guarantees).

mod clock;
mod fault;
mod mem;
mod namespace;
mod real;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use clock::{Clock, ManualClock, RealClock};
pub use fault::{CrashMode, FaultVfs};
pub use mem::MemVfs;
pub use real::RealVfs;

/// How to open a file. Files are always opened for both reading and writing.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct OpenOptions {
    /// Create the file if it does not exist (`O_CREAT`).
    pub create: bool,
    /// Truncate the file to zero length on open (`O_TRUNC`).
    pub truncate: bool,
}

impl OpenOptions {
    /// Open an existing file; `NotFound` if it does not exist.
    pub const EXISTING: OpenOptions = OpenOptions {
        create: false,
        truncate: false,
    };
    /// Open, creating the file if missing, keeping existing content.
    pub const CREATE: OpenOptions = OpenOptions {
        create: true,
        truncate: false,
    };
    /// Open, creating the file if missing, and truncate it to zero length.
    pub const CREATE_TRUNCATE: OpenOptions = OpenOptions {
        create: true,
        truncate: true,
    };
}

/// A file system: the operations tusk needs on names and directories.
///
/// Paths are used as given (absolute or relative to the process' working directory for
/// [`RealVfs`]). Errors are `std::io::Error`s; callers wrap them into SQLSTATE errors with
/// `tusk_types::Error::io` naming the file, as PostgreSQL's `could not open file "...": %m`.
pub trait Vfs: Send + Sync + 'static {
    /// Opens `path` for reading and writing. `NotFound` if it is missing and `opts.create` is
    /// false, or if its parent directory does not exist.
    fn open(&self, path: &Path, opts: OpenOptions) -> io::Result<Arc<dyn File>>;
    /// Removes the directory entry `path` (`unlink`). Open handles stay usable.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Renames `from` to `to`, replacing `to` atomically if it exists.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Creates `path` and every missing parent directory.
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Removes the empty directory `path` (`rmdir`): `ENOTEMPTY` if it has entries.
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
    /// The entries of directory `path` as full paths (`path.join(name)`), sorted by name.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// True if a file or directory exists at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// Makes the entries of directory `path` durable (fsync of the directory), required after
    /// creating, renaming or removing a file in it.
    fn sync_dir(&self, path: &Path) -> io::Result<()>;
}

/// An open file: positioned reads and writes, syncs and length changes. Shared between threads
/// (`pread`/`pwrite` need no seek position).
pub trait File: Send + Sync {
    /// Reads up to `buf.len()` bytes at byte `offset`; returns the count read, which is short
    /// only at end of file (0 at or past it).
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;

    /// Reads exactly `buf.len()` bytes at `offset`; `UnexpectedEof` if the file ends first.
    fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        while !buf.is_empty() {
            match self.read_at(buf, offset) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "unexpected end of file",
                    ))
                }
                Ok(n) => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Writes all of `buf` at byte `offset`, extending the file (with zeroes in any gap) if
    /// needed. Not durable until a sync.
    fn write_all_at(&self, buf: &[u8], offset: u64) -> io::Result<()>;
    /// Makes the file's data durable (`fdatasync`).
    fn sync_data(&self) -> io::Result<()>;
    /// Makes the file's data and metadata durable (`fsync`).
    fn sync_all(&self) -> io::Result<()>;
    /// The file's length in bytes.
    fn len(&self) -> io::Result<u64>;
    /// True if the file is empty.
    fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }
    /// Truncates or extends (with zeroes) the file to `len` bytes.
    fn set_len(&self, len: u64) -> io::Result<()>;
}

/// The parent directory of `path` as the in-memory file systems key it ("" for a bare name).
pub(crate) fn parent_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `ENOENT`, as the operating system reports it (so messages read "No such file or directory").
pub(crate) fn not_found() -> io::Error {
    io::Error::from_raw_os_error(2)
}

/// `EIO`: what an injected fsync failure reports ("Input/output error").
pub(crate) fn io_failure() -> io::Error {
    io::Error::from_raw_os_error(5)
}

/// `EISDIR` / `ENOTDIR` / `EEXIST` / `ENOTEMPTY` for the in-memory file systems.
pub(crate) fn os_error(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}
