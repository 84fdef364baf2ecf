//! [`FaultVfs`]: an in-memory file system that knows what a power loss would keep.
//!
//! Every file (inode) holds two contents: the *volatile* one every read sees, and the *durable*
//! one as of its last successful `sync_data`/`sync_all`. The directory tree is likewise kept
//! twice: live, and as of the last `sync_dir` of each directory. [`FaultVfs::crash`] builds the
//! file system a power loss would leave:
//!
//! ```text
//!   live tree ──sync_dir(d)──▶ durable tree (entries of d)
//!   volatile  ──sync_data───▶ durable content (whole file)
//!   crash():  durable tree ∘ durable content  (+ optionally a prefix of the last unsynced write)
//! ```
//!
//! Fault controls:
//! - [`CrashMode`]: drop every unsynced write, tear the last unsynced write (keep a prefix of
//!   it, as a power loss in the middle of an 8 KB page write does), or keep everything (a
//!   process kill: the kernel's page cache survives).
//! - [`FaultVfs::fail_sync_after`]: the Nth sync from now fails with `EIO` and persists nothing.
//! - [`FaultVfs::crash_at_sync`]: after the Nth sync from now returns, the durable image is
//!   frozen; a later [`FaultVfs::crash`] returns that image, so a test can "crash at every fsync
//!   point" by running the same workload once per sync point.
//!
//! Every `sync_data`, `sync_all` and `sync_dir` call is one *sync point* ([`FaultVfs::sync_count`]).
//! Limitations: directory renames are not supported (`EXDEV`); a failed sync is not sticky (a
//! later successful sync persists everything, whereas Linux may have dropped the dirty pages —
//! which is why callers must treat an fsync failure as fatal, PostgreSQL's `data_sync_retry`).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::mem::{read_from, write_into};
use crate::namespace::Namespace;
use crate::{io_failure, parent_of, File, OpenOptions, Vfs};

/// What survives a crash besides synced data and synced directory entries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CrashMode {
    /// Power loss: every write not yet synced is lost.
    DropUnsynced,
    /// Power loss in the middle of the last unsynced write: its first `keep_bytes` bytes reach
    /// the disk (clamped to its length), every other unsynced write is lost.
    TearLastWrite {
        /// How many leading bytes of the last write survive.
        keep_bytes: usize,
    },
    /// Process kill (`kill -9`): the page cache survives, so every completed write and every
    /// directory change is kept.
    KeepAll,
}

type InodeId = u64;

#[derive(Clone, Default)]
struct Inode {
    volatile: Vec<u8>,
    durable: Vec<u8>,
    /// Byte range changed since the last sync (writes and length changes), so a sync copies
    /// only what changed rather than the whole file.
    dirty: Option<(usize, usize)>,
}

impl Inode {
    fn mark_dirty(&mut self, start: usize, end: usize) {
        if start < end {
            self.dirty = Some(match self.dirty {
                Some((s, e)) => (s.min(start), e.max(end)),
                None => (start, end),
            });
        }
    }

    /// Sets the length of the volatile content, marking the changed range dirty.
    fn resize(&mut self, len: usize) {
        let old = self.volatile.len();
        self.volatile.resize(len, 0);
        self.mark_dirty(old.min(len), old.max(len));
    }

    /// Makes the volatile content durable.
    fn sync(&mut self) {
        if let Some((start, end)) = self.dirty.take() {
            let len = self.volatile.len();
            self.durable.resize(len, 0);
            let end = end.min(len);
            if start < end {
                self.durable[start..end].copy_from_slice(&self.volatile[start..end]);
            }
        }
        debug_assert_eq!(
            self.durable.len(),
            self.volatile.len(),
            "sync copies every change"
        );
    }
}

/// A durable image: what is on the platters.
#[derive(Clone)]
struct Image {
    tree: Namespace<InodeId>,
    contents: HashMap<InodeId, Vec<u8>>,
    /// The last write not yet synced when the image was taken (or the first write after it).
    last_write: Option<(InodeId, u64, Vec<u8>)>,
}

struct FaultState {
    inodes: HashMap<InodeId, Inode>,
    next_inode: InodeId,
    live: Namespace<InodeId>,
    durable: Namespace<InodeId>,
    syncs: u64,
    fail_sync_at: Option<u64>,
    freeze_at: Option<u64>,
    frozen: Option<Image>,
    /// True once a write after the freeze was recorded as the frozen image's torn write.
    frozen_write_taken: bool,
    last_write: Option<(InodeId, u64, Vec<u8>)>,
}

/// An in-memory file system with crash simulation. Clones share the same state.
#[derive(Clone)]
pub struct FaultVfs {
    state: Arc<Mutex<FaultState>>,
}

struct FaultFile {
    state: Arc<Mutex<FaultState>>,
    inode: InodeId,
}

impl FaultVfs {
    /// An empty file system holding only the root directories, all durable.
    pub fn new() -> FaultVfs {
        FaultVfs {
            state: Arc::new(Mutex::new(FaultState {
                inodes: HashMap::new(),
                next_inode: 1,
                live: Namespace::new(),
                durable: Namespace::new(),
                syncs: 0,
                fail_sync_at: None,
                freeze_at: None,
                frozen: None,
                frozen_write_taken: false,
                last_write: None,
            })),
        }
    }

    /// Sync points (`sync_data`, `sync_all`, `sync_dir` calls, failed ones included) so far.
    pub fn sync_count(&self) -> u64 {
        self.state.lock().syncs
    }

    /// Makes the `n`th sync from now (1 = the next one) fail with `EIO`, persisting nothing.
    pub fn fail_sync_after(&self, n: u64) {
        let mut state = self.state.lock();
        state.fail_sync_at = Some(state.syncs + n.max(1));
    }

    /// Freezes the durable image right after the `n`th sync from now returns (0 = now); a later
    /// [`FaultVfs::crash`] returns the frozen image instead of the current one. The first write
    /// after the freeze becomes the image's "last write" for [`CrashMode::TearLastWrite`]: the
    /// crash happens while it is in flight.
    pub fn crash_at_sync(&self, n: u64) {
        let mut state = self.state.lock();
        state.frozen = None;
        state.frozen_write_taken = false;
        if n == 0 {
            state.freeze_at = None;
            state.frozen = Some(state.image());
        } else {
            state.freeze_at = Some(state.syncs + n);
        }
    }

    /// Makes everything written so far durable, names and contents (as if every file and
    /// directory had been synced); for setting up a test's starting state.
    pub fn sync_everything(&self) {
        let mut state = self.state.lock();
        for inode in state.inodes.values_mut() {
            inode.sync();
        }
        state.durable = state.live.clone();
        state.last_write = None;
    }

    /// The file system a crash would leave now (or at the frozen sync point, see
    /// [`FaultVfs::crash_at_sync`]), as a fresh `FaultVfs` whose contents are all durable. This
    /// file system is unchanged; its open handles keep referring to it.
    pub fn crash(&self, mode: CrashMode) -> FaultVfs {
        let state = self.state.lock();
        let image = match &state.frozen {
            Some(image) => image.clone(),
            None if mode == CrashMode::KeepAll => state.live_image(),
            None => state.image(),
        };
        drop(state);
        FaultVfs::from_image(image, mode)
    }

    /// The current content of the file at `path` (for test assertions).
    pub fn contents(&self, path: &Path) -> io::Result<Vec<u8>> {
        let state = self.state.lock();
        let inode = *state.live.file(path)?;
        Ok(state.inodes[&inode].volatile.clone())
    }

    fn from_image(image: Image, mode: CrashMode) -> FaultVfs {
        let Image {
            tree,
            mut contents,
            last_write,
        } = image;
        if let (CrashMode::TearLastWrite { keep_bytes }, Some((inode, offset, data))) =
            (mode, last_write)
        {
            if let Some(content) = contents.get_mut(&inode) {
                let keep = keep_bytes.min(data.len());
                write_into(content, &data[..keep], offset).expect("write fits in memory");
            }
        }
        // Keep only entries whose directory survived.
        let mut survived: Namespace<InodeId> = Namespace::new();
        for dir in &tree.dirs {
            if dir.parent().is_none_or(|p| survived.dirs.contains(p)) {
                survived.dirs.insert(dir.clone());
            }
        }
        let vfs = FaultVfs::new();
        let mut state = vfs.state.lock();
        for (path, inode) in &tree.files {
            if !survived.dirs.contains(&parent_of(path)) {
                continue;
            }
            let content = contents.get(inode).cloned().unwrap_or_default();
            // Files sharing an inode (hard links) are not created by the trait; copy per name.
            let id = state.next_inode;
            state.next_inode += 1;
            state.inodes.insert(
                id,
                Inode {
                    volatile: content.clone(),
                    durable: content,
                    dirty: None,
                },
            );
            survived.files.insert(path.clone(), id);
        }
        state.live = survived.clone();
        state.durable = survived;
        drop(state);
        vfs
    }
}

impl Default for FaultVfs {
    fn default() -> Self {
        FaultVfs::new()
    }
}

impl FaultState {
    /// The durable image now.
    fn image(&self) -> Image {
        Image {
            tree: self.durable.clone(),
            contents: self
                .inodes
                .iter()
                .map(|(id, inode)| (*id, inode.durable.clone()))
                .collect(),
            last_write: self.last_write.clone(),
        }
    }

    /// The live tree and contents (what a process kill leaves).
    fn live_image(&self) -> Image {
        Image {
            tree: self.live.clone(),
            contents: self
                .inodes
                .iter()
                .map(|(id, inode)| (*id, inode.volatile.clone()))
                .collect(),
            last_write: None,
        }
    }

    /// Counts a sync point; `Err` if it is the one chosen to fail.
    fn begin_sync(&mut self) -> io::Result<()> {
        self.syncs += 1;
        if self.fail_sync_at == Some(self.syncs) {
            self.fail_sync_at = None;
            return Err(io_failure());
        }
        Ok(())
    }

    /// Freezes the image if this was the chosen sync point.
    fn end_sync(&mut self) {
        if self.freeze_at == Some(self.syncs) {
            self.freeze_at = None;
            self.frozen = Some(self.image());
        }
    }

    fn sync_inode(&mut self, inode: InodeId) -> io::Result<()> {
        self.begin_sync()?;
        self.inodes
            .get_mut(&inode)
            .expect("open file has an inode")
            .sync();
        if matches!(self.last_write, Some((id, _, _)) if id == inode) {
            self.last_write = None;
        }
        self.end_sync();
        Ok(())
    }

    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        self.live.check_dir(dir)?;
        self.begin_sync()?;
        let in_dir = |p: &PathBuf| p.parent() == Some(dir);
        self.durable.files.retain(|p, _| !in_dir(p));
        self.durable.dirs.retain(|p| !in_dir(p));
        let files: Vec<_> = self
            .live
            .files
            .iter()
            .filter(|(p, _)| in_dir(p))
            .map(|(p, id)| (p.clone(), *id))
            .collect();
        self.durable.files.extend(files);
        let dirs: Vec<_> = self
            .live
            .dirs
            .iter()
            .filter(|p| in_dir(p))
            .cloned()
            .collect();
        self.durable.dirs.extend(dirs);
        self.end_sync();
        Ok(())
    }
}

impl Vfs for FaultVfs {
    fn open(&self, path: &Path, opts: OpenOptions) -> io::Result<Arc<dyn File>> {
        let mut state = self.state.lock();
        let inode = match state.live.file(path) {
            Ok(inode) => *inode,
            Err(e) if e.kind() == io::ErrorKind::NotFound && opts.create => {
                state.live.check_creatable(path)?;
                let id = state.next_inode;
                state.next_inode += 1;
                state.inodes.insert(id, Inode::default());
                state.live.files.insert(path.to_path_buf(), id);
                id
            }
            Err(e) => return Err(e),
        };
        if opts.truncate {
            state
                .inodes
                .get_mut(&inode)
                .expect("named file has an inode")
                .resize(0);
        }
        Ok(Arc::new(FaultFile {
            state: self.state.clone(),
            inode,
        }))
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.state.lock().live.remove_file(path).map(|_| ())
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let mut state = self.state.lock();
        if state.live.dirs.contains(from) {
            return Err(io::Error::from_raw_os_error(18));
        }
        state.live.rename(from, to)
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.state.lock().live.create_dir_all(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        self.state.lock().live.remove_dir(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.state.lock().live.read_dir(path)
    }

    fn exists(&self, path: &Path) -> bool {
        self.state.lock().live.exists(path)
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        self.state.lock().sync_dir(path)
    }
}

impl File for FaultFile {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let state = self.state.lock();
        Ok(read_from(&state.inodes[&self.inode].volatile, buf, offset))
    }

    fn write_all_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        let mut state = self.state.lock();
        let inode = state
            .inodes
            .get_mut(&self.inode)
            .expect("open file has an inode");
        write_into(&mut inode.volatile, buf, offset)?;
        let start = offset as usize;
        inode.mark_dirty(start, start + buf.len());
        state.last_write = Some((self.inode, offset, buf.to_vec()));
        if !state.frozen_write_taken {
            if let Some(frozen) = &mut state.frozen {
                frozen.last_write = Some((self.inode, offset, buf.to_vec()));
                state.frozen_write_taken = true;
            }
        }
        Ok(())
    }

    fn sync_data(&self) -> io::Result<()> {
        self.state.lock().sync_inode(self.inode)
    }

    fn sync_all(&self) -> io::Result<()> {
        self.state.lock().sync_inode(self.inode)
    }

    fn len(&self) -> io::Result<u64> {
        Ok(self.state.lock().inodes[&self.inode].volatile.len() as u64)
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let len = usize::try_from(len).map_err(|_| io::Error::from_raw_os_error(27))?;
        let mut state = self.state.lock();
        let inode = state
            .inodes
            .get_mut(&self.inode)
            .expect("open file has an inode");
        inode.resize(len);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (FaultVfs, PathBuf) {
        let vfs = FaultVfs::new();
        let dir = PathBuf::from("/data");
        vfs.create_dir_all(&dir).expect("mkdir");
        vfs.sync_dir(Path::new("/")).expect("sync root");
        (vfs, dir)
    }

    #[test]
    fn unsynced_write_is_lost_after_crash() {
        let (vfs, dir) = setup();
        let f = vfs.open(&dir.join("f"), OpenOptions::CREATE).expect("open");
        vfs.sync_dir(&dir).expect("sync dir");
        f.write_all_at(b"lost", 0).expect("write");
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(after.contents(&dir.join("f")).expect("file kept"), b"");
    }

    #[test]
    fn synced_write_is_kept_after_crash() {
        let (vfs, dir) = setup();
        let f = vfs.open(&dir.join("f"), OpenOptions::CREATE).expect("open");
        vfs.sync_dir(&dir).expect("sync dir");
        f.write_all_at(b"kept", 0).expect("write");
        f.sync_data().expect("sync");
        f.write_all_at(b"KE", 0).expect("write");
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(after.contents(&dir.join("f")).expect("file"), b"kept");
        // The crashed image is itself durable: crashing again changes nothing.
        let again = after.crash(CrashMode::DropUnsynced);
        assert_eq!(again.contents(&dir.join("f")).expect("file"), b"kept");
        // Process kill keeps the page cache.
        let killed = vfs.crash(CrashMode::KeepAll);
        assert_eq!(killed.contents(&dir.join("f")).expect("file"), b"KEpt");
    }

    #[test]
    fn created_file_needs_directory_sync() {
        let (vfs, dir) = setup();
        let f = vfs.open(&dir.join("f"), OpenOptions::CREATE).expect("open");
        f.write_all_at(b"data", 0).expect("write");
        f.sync_all().expect("fsync");
        assert!(!vfs.crash(CrashMode::DropUnsynced).exists(&dir.join("f")));
        vfs.sync_dir(&dir).expect("sync dir");
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(after.contents(&dir.join("f")).expect("file"), b"data");
    }

    #[test]
    fn renamed_file_is_durable_only_after_sync_dir() {
        let (vfs, dir) = setup();
        let old = vfs
            .open(&dir.join("ctl"), OpenOptions::CREATE)
            .expect("open");
        old.write_all_at(b"old", 0).expect("write");
        old.sync_all().expect("fsync");
        vfs.sync_dir(&dir).expect("sync dir");
        let tmp = vfs
            .open(&dir.join("ctl.tmp"), OpenOptions::CREATE)
            .expect("open");
        tmp.write_all_at(b"new", 0).expect("write");
        tmp.sync_all().expect("fsync");
        vfs.rename(&dir.join("ctl.tmp"), &dir.join("ctl"))
            .expect("rename");
        assert_eq!(vfs.contents(&dir.join("ctl")).expect("live"), b"new");
        let before = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(before.contents(&dir.join("ctl")).expect("file"), b"old");
        assert!(!before.exists(&dir.join("ctl.tmp")));
        vfs.sync_dir(&dir).expect("sync dir");
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(after.contents(&dir.join("ctl")).expect("file"), b"new");
        assert_eq!(after.read_dir(&dir).expect("ls"), vec![dir.join("ctl")]);
    }

    #[test]
    fn unsynced_directory_loses_its_files() {
        let vfs = FaultVfs::new();
        vfs.create_dir_all(Path::new("/a/b")).expect("mkdir");
        let f = vfs
            .open(Path::new("/a/b/f"), OpenOptions::CREATE)
            .expect("open");
        f.sync_all().expect("fsync");
        vfs.sync_dir(Path::new("/a/b")).expect("sync b");
        vfs.sync_dir(Path::new("/a")).expect("sync a");
        // "/a" itself was never made durable in "/".
        assert!(!vfs.crash(CrashMode::DropUnsynced).exists(Path::new("/a")));
        vfs.sync_dir(Path::new("/")).expect("sync root");
        assert!(vfs
            .crash(CrashMode::DropUnsynced)
            .exists(Path::new("/a/b/f")));
    }

    #[test]
    fn torn_last_write_keeps_a_prefix() {
        let (vfs, dir) = setup();
        let f = vfs.open(&dir.join("f"), OpenOptions::CREATE).expect("open");
        vfs.sync_dir(&dir).expect("sync dir");
        f.write_all_at(&[1u8; 8192], 0).expect("write");
        f.sync_data().expect("sync");
        f.write_all_at(&[2u8; 8192], 8192).expect("write");
        f.write_all_at(&[3u8; 8192], 0).expect("overwrite");
        let after = vfs.crash(CrashMode::TearLastWrite { keep_bytes: 100 });
        let data = after.contents(&dir.join("f")).expect("file");
        // Only 100 bytes of the last write landed; the earlier unsynced write is lost.
        assert_eq!(data.len(), 8192);
        assert!(data[..100].iter().all(|&b| b == 3));
        assert!(data[100..].iter().all(|&b| b == 1));
    }

    #[test]
    fn length_changes_are_synced_like_writes() {
        let (vfs, dir) = setup();
        let f = vfs.open(&dir.join("f"), OpenOptions::CREATE).expect("open");
        vfs.sync_dir(&dir).expect("sync dir");
        f.write_all_at(&[7u8; 100], 0).expect("write");
        f.sync_data().expect("sync");
        f.set_len(10).expect("truncate");
        f.set_len(50).expect("extend");
        f.write_all_at(b"x", 60).expect("write");
        let before = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(
            before.contents(&dir.join("f")).expect("file"),
            vec![7u8; 100]
        );
        f.sync_data().expect("sync");
        let mut expected = vec![7u8; 10];
        expected.resize(60, 0);
        expected.push(b'x');
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(after.contents(&dir.join("f")).expect("file"), expected);
        let reopened = vfs
            .open(&dir.join("f"), OpenOptions::CREATE_TRUNCATE)
            .expect("reopen");
        reopened.sync_all().expect("sync");
        let emptied = vfs.crash(CrashMode::DropUnsynced);
        assert!(emptied.contents(&dir.join("f")).expect("file").is_empty());
    }

    #[test]
    fn failed_sync_persists_nothing() {
        let (vfs, dir) = setup();
        let f = vfs.open(&dir.join("f"), OpenOptions::CREATE).expect("open");
        vfs.sync_dir(&dir).expect("sync dir");
        vfs.fail_sync_after(2);
        f.write_all_at(b"one", 0).expect("write");
        f.sync_data().expect("first sync succeeds");
        f.write_all_at(b"two", 0).expect("write");
        let err = f.sync_data().expect_err("second sync fails");
        assert_eq!(err.raw_os_error(), Some(5));
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(after.contents(&dir.join("f")).expect("file"), b"one");
        f.sync_data().expect("third sync succeeds");
        assert_eq!(vfs.sync_count(), 5);
    }

    #[test]
    fn crash_at_sync_freezes_the_image() {
        let (vfs, dir) = setup();
        let f = vfs.open(&dir.join("f"), OpenOptions::CREATE).expect("open");
        vfs.sync_dir(&dir).expect("sync dir");
        vfs.crash_at_sync(2);
        for round in 1u8..=4 {
            f.write_all_at(&[round; 4], 0).expect("write");
            f.sync_data().expect("sync");
        }
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(after.contents(&dir.join("f")).expect("file"), [2u8; 4]);
        // Tearing tears the write that was in flight after the frozen sync point.
        let torn = vfs.crash(CrashMode::TearLastWrite { keep_bytes: 1 });
        assert_eq!(torn.contents(&dir.join("f")).expect("file"), [3, 2, 2, 2]);
    }
}
