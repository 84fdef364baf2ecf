//! [`MemVfs`]: an in-memory file system for unit tests. Syncs are no-ops and nothing is ever
//! lost; use [`crate::FaultVfs`] to test what a crash leaves behind.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use crate::namespace::Namespace;
use crate::{File, OpenOptions, Vfs};

/// An in-memory file system. Clones share the same files; [`MemVfs::deep_clone`] copies them.
#[derive(Clone)]
pub struct MemVfs {
    tree: Arc<Mutex<Namespace<Arc<MemFile>>>>,
}

/// One in-memory file (an inode: handles keep it alive after its name is removed).
#[derive(Default)]
struct MemFile {
    data: RwLock<Vec<u8>>,
}

impl MemVfs {
    /// An empty file system holding only the root directories.
    pub fn new() -> MemVfs {
        MemVfs {
            tree: Arc::new(Mutex::new(Namespace::new())),
        }
    }

    /// An independent copy of every file and directory (handles opened on `self` keep writing
    /// to `self` only).
    pub fn deep_clone(&self) -> MemVfs {
        let tree = self.tree.lock();
        let mut copy = Namespace::new();
        copy.dirs = tree.dirs.clone();
        for (path, file) in &tree.files {
            let data = file.data.read().clone();
            copy.files.insert(
                path.clone(),
                Arc::new(MemFile {
                    data: RwLock::new(data),
                }),
            );
        }
        MemVfs {
            tree: Arc::new(Mutex::new(copy)),
        }
    }

    /// The whole content of the file at `path` (for test assertions).
    pub fn contents(&self, path: &Path) -> io::Result<Vec<u8>> {
        Ok(self.tree.lock().file(path)?.data.read().clone())
    }
}

impl Default for MemVfs {
    fn default() -> Self {
        MemVfs::new()
    }
}

impl Vfs for MemVfs {
    fn open(&self, path: &Path, opts: OpenOptions) -> io::Result<Arc<dyn File>> {
        let mut tree = self.tree.lock();
        let file = match tree.file(path) {
            Ok(file) => file.clone(),
            Err(e) if e.kind() == io::ErrorKind::NotFound && opts.create => {
                tree.check_creatable(path)?;
                let file = Arc::new(MemFile::default());
                tree.files.insert(path.to_path_buf(), file.clone());
                file
            }
            Err(e) => return Err(e),
        };
        if opts.truncate {
            file.data.write().clear();
        }
        Ok(file)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.tree.lock().remove_file(path).map(|_| ())
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.tree.lock().rename(from, to)
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.tree.lock().create_dir_all(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        self.tree.lock().remove_dir(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.tree.lock().read_dir(path)
    }

    fn exists(&self, path: &Path) -> bool {
        self.tree.lock().exists(path)
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        self.tree.lock().check_dir(path)
    }
}

/// Copies `data[offset..]` into `buf`; the count copied (0 at or past the end).
pub(crate) fn read_from(data: &[u8], buf: &mut [u8], offset: u64) -> usize {
    let Ok(start) = usize::try_from(offset) else {
        return 0;
    };
    if start >= data.len() {
        return 0;
    }
    let n = buf.len().min(data.len() - start);
    buf[..n].copy_from_slice(&data[start..start + n]);
    n
}

/// Writes `buf` at `offset` into `data`, zero-filling any gap.
pub(crate) fn write_into(data: &mut Vec<u8>, buf: &[u8], offset: u64) -> io::Result<()> {
    let start = usize::try_from(offset).map_err(|_| io::Error::from_raw_os_error(27))?;
    let end = start
        .checked_add(buf.len())
        .ok_or_else(|| io::Error::from_raw_os_error(27))?;
    if data.len() < end {
        data.resize(end, 0);
    }
    data[start..end].copy_from_slice(buf);
    Ok(())
}

impl File for MemFile {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        Ok(read_from(&self.data.read(), buf, offset))
    }

    fn write_all_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        write_into(&mut self.data.write(), buf, offset)
    }

    fn sync_data(&self) -> io::Result<()> {
        Ok(())
    }

    fn sync_all(&self) -> io::Result<()> {
        Ok(())
    }

    fn len(&self) -> io::Result<u64> {
        Ok(self.data.read().len() as u64)
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let len = usize::try_from(len).map_err(|_| io::Error::from_raw_os_error(27))?;
        self.data.write().resize(len, 0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_directories_and_handles() {
        let vfs = MemVfs::new();
        let dir = Path::new("/data/pg_wal");
        assert_eq!(
            vfs.open(&dir.join("x"), OpenOptions::CREATE)
                .err()
                .expect("no parent")
                .kind(),
            io::ErrorKind::NotFound
        );
        vfs.create_dir_all(dir).expect("mkdir");
        let f = vfs.open(&dir.join("x"), OpenOptions::CREATE).expect("open");
        f.write_all_at(b"abc", 2).expect("write");
        assert_eq!(vfs.contents(&dir.join("x")).expect("read"), b"\0\0abc");
        let mut buf = [0u8; 8];
        assert_eq!(f.read_at(&mut buf, 1).expect("read"), 4);
        assert_eq!(f.read_at(&mut buf, 100).expect("read"), 0);
        vfs.rename(&dir.join("x"), &dir.join("y")).expect("rename");
        vfs.open(&dir.join("z"), OpenOptions::CREATE)
            .expect("create z");
        assert_eq!(
            vfs.read_dir(Path::new("/data")).expect("ls"),
            vec![PathBuf::from("/data/pg_wal")]
        );
        assert_eq!(
            vfs.read_dir(dir).expect("ls"),
            vec![dir.join("y"), dir.join("z")]
        );
        let copy = vfs.deep_clone();
        vfs.remove_file(&dir.join("y")).expect("unlink");
        // The handle survives the unlink; the copy is independent.
        f.write_all_at(b"Z", 0).expect("write after unlink");
        assert!(!vfs.exists(&dir.join("y")));
        assert_eq!(copy.contents(&dir.join("y")).expect("copy"), b"\0\0abc");
        let t = vfs
            .open(&dir.join("z"), OpenOptions::CREATE_TRUNCATE)
            .expect("reopen");
        t.set_len(3).expect("extend");
        assert_eq!(t.len().expect("len"), 3);
    }
}
