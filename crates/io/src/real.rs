//! [`RealVfs`]: the operating system's file system through `std::fs`, positioned I/O with
//! `pread`/`pwrite` (`std::os::unix::fs::FileExt`), `fdatasync`/`fsync`, and directory fsync
//! by opening the directory read-only and syncing it (PostgreSQL's `fsync_fname`).

use std::fs;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{File, OpenOptions, Vfs};

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealVfs;

impl RealVfs {
    /// The real file system.
    pub fn new() -> RealVfs {
        RealVfs
    }
}

struct RealFile {
    file: fs::File,
}

impl Vfs for RealVfs {
    fn open(&self, path: &Path, opts: OpenOptions) -> io::Result<Arc<dyn File>> {
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(opts.create)
            .truncate(opts.truncate)
            .open(path)?;
        Ok(Arc::new(RealFile { file }))
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        fs::create_dir_all(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        fs::remove_dir(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(path)? {
            names.push(entry?.path());
        }
        names.sort();
        Ok(names)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        fs::File::open(path)?.sync_all()
    }
}

impl File for RealFile {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        // Loop over short reads: the trait promises a short count only at end of file.
        let mut done = 0;
        while done < buf.len() {
            match self.file.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    fn write_all_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        self.file.write_all_at(buf, offset)
    }

    fn sync_data(&self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn sync_all(&self) -> io::Result<()> {
        self.file.sync_all()
    }

    fn len(&self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        self.file.set_len(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_files_read_write_rename_and_list() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let vfs = RealVfs::new();
        let sub = dir.path().join("pg_wal");
        vfs.create_dir_all(&sub).expect("mkdir");
        let a = sub.join("a");
        let f = vfs.open(&a, OpenOptions::CREATE).expect("open");
        f.write_all_at(b"hello", 3).expect("write");
        f.sync_data().expect("fdatasync");
        assert_eq!(f.len().expect("len"), 8);
        let mut buf = [0xffu8; 10];
        assert_eq!(f.read_at(&mut buf, 0).expect("read"), 8);
        assert_eq!(&buf[..8], b"\0\0\0hello");
        vfs.rename(&a, &sub.join("b")).expect("rename");
        vfs.sync_dir(&sub).expect("sync dir");
        assert!(!vfs.exists(&a));
        assert_eq!(vfs.read_dir(&sub).expect("ls"), vec![sub.join("b")]);
        let err = vfs
            .open(&a, OpenOptions::EXISTING)
            .err()
            .expect("missing file");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        f.set_len(2).expect("truncate");
        let mut two = [0u8; 2];
        assert!(f.read_exact_at(&mut two, 1).is_err());
        vfs.remove_file(&sub.join("b")).expect("unlink");
        assert!(vfs.read_dir(&sub).expect("ls").is_empty());
    }
}
