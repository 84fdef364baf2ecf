//! The shared buffer pool: `shared_buffers` frames, the buffer mapping table, clock-sweep
//! replacement and the single write-out path (PostgreSQL's `bufmgr.c`, `buf_table.c`,
//! `freelist.c`).
//!
//! Each frame has a descriptor with three locks (see `docs/design/buffer.md` for the rules
//! they implement, cited below as "buffer rule N"):
//! - the *header* mutex guards tag, pin count, usage count and the valid/dirty flags; it is a
//!   leaf lock, held for a few instructions (PostgreSQL's buffer header spinlock);
//! - the *io* mutex is held while the page is read in or written out
//!   (`BM_IO_IN_PROGRESS`), so there is at most one I/O per frame;
//! - the *content* `RwLock` holds the page itself; backends reach it only through
//!   [`PageReadGuard`](super::PageReadGuard) / [`PageWriteGuard`](super::PageWriteGuard).
//!
//! The mapping table `BufferTag -> frame` is split into [`NUM_PARTITIONS`] mutex-protected
//! hash maps by tag hash. A frame's tag changes only while the mapping partitions of its old
//! and new tags are both locked and its pin count is exactly the evictor's own pin.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::{Condvar, Mutex, RwLock};
use tusk_types::{BlockNumber, Error, ForkNumber, Oid, RelFileLocator, Result};

use super::guard::PinnedBuffer;
use super::stats::{BufferCounters, BufferStats, WriteSource};
use super::strategy::{BufferAccessStrategy, StrategyKind};
use super::usage;
use super::wal_flusher::WalFlusher;
use crate::page::{verify_page, Page, PAGE_SIZE};
use crate::smgr::{relpath, Smgr};

/// Number of buffer mapping partitions (`NUM_BUFFER_PARTITIONS`).
pub const NUM_PARTITIONS: usize = 128;
/// Largest usage count a buffer reaches (`BM_MAX_USAGE_COUNT`).
pub const MAX_USAGE_COUNT: u8 = 5;
/// Number of relation extension lock stripes.
const EXTENSION_LOCKS: usize = 64;

/// A fast multiplicative hash for buffer tags (trusted, internal keys: no flooding concern).
#[derive(Clone, Copy, Default)]
struct TagHash;

#[derive(Default)]
struct TagHasher(u64);

impl Hasher for TagHasher {
    fn finish(&self) -> u64 {
        // Fold the high bits down so `% partitions` sees all of them.
        self.0 ^ (self.0 >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }

    fn write_isize(&mut self, v: isize) {
        self.write_u64(v as u64);
    }
}

impl BuildHasher for TagHash {
    type Hasher = TagHasher;
    fn build_hasher(&self) -> TagHasher {
        TagHasher(0)
    }
}

/// Identifies the page a buffer holds (`BufferTag`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct BufferTag {
    /// The relation's files.
    pub locator: RelFileLocator,
    /// The fork.
    pub fork: ForkNumber,
    /// The page within the fork.
    pub block: BlockNumber,
}

/// How [`BufferPool::read_buffer`] fills a buffer that is not in the pool (`ReadBufferMode`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReadBufferMode {
    /// Read the page from its file and verify it (`RBM_NORMAL`).
    Normal,
    /// Do not read: the caller overwrites the whole page, e.g. redo of a full-page image or of
    /// a record that initialises the page (`RBM_ZERO_AND_LOCK` without the lock). The block
    /// must exist in the file. A page already in the pool is returned as it is.
    Zero,
    /// Read, but return a zeroed page instead of failing verification
    /// (`RBM_ZERO_ON_ERROR`, `zero_damaged_pages`). A page already in the pool is returned as
    /// it is.
    ZeroOnError,
}

/// Buffer pool settings.
#[derive(Clone, Copy, Debug)]
pub struct BufferPoolConfig {
    /// Number of frames (`shared_buffers`, in pages).
    pub shared_buffers: usize,
    /// Verify page checksums on read and set them on write (`data_checksums`).
    pub data_checksums: bool,
}

pub(crate) struct Header {
    pub(crate) tag: Option<BufferTag>,
    pub(crate) pin_count: u32,
    pub(crate) usage_count: u8,
    pub(crate) valid: bool,
    pub(crate) dirty: bool,
    /// A backend waits in `lock_cleanup` for the pin count to drop to 1.
    pub(crate) pin_count_waiter: bool,
}

pub(crate) struct BufferDesc {
    pub(crate) header: Mutex<Header>,
    pub(crate) unpinned: Condvar,
    io: Mutex<()>,
    pub(crate) content: RwLock<Page>,
}

/// The shared buffer pool. Create with [`BufferPool::new`] and share as `Arc<BufferPool>`.
pub struct BufferPool {
    pub(crate) descs: Box<[BufferDesc]>,
    mapping: Box<[Mutex<HashMap<BufferTag, usize, TagHash>>]>,
    /// Monotonic count of clock-hand advances; the hand is this modulo the frame count.
    clock: AtomicUsize,
    smgr: Arc<Smgr>,
    wal: RwLock<Arc<dyn WalFlusher>>,
    data_checksums: bool,
    pub(crate) counters: BufferCounters,
    extension_locks: Box<[Mutex<()>]>,
    hasher: TagHash,
    free_space: crate::freespace::FreeSpaceMap,
}

impl std::fmt::Debug for BufferPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BufferPool")
            .field("shared_buffers", &self.descs.len())
            .field("data_checksums", &self.data_checksums)
            .finish_non_exhaustive()
    }
}

impl BufferPool {
    /// A pool of `config.shared_buffers` empty frames over `smgr`, writing WAL through `wal`.
    pub fn new(config: BufferPoolConfig, smgr: Arc<Smgr>, wal: Arc<dyn WalFlusher>) -> BufferPool {
        assert!(config.shared_buffers > 0, "shared_buffers must be positive");
        let descs = (0..config.shared_buffers)
            .map(|_| BufferDesc {
                header: Mutex::new(Header {
                    tag: None,
                    pin_count: 0,
                    usage_count: 0,
                    valid: false,
                    dirty: false,
                    pin_count_waiter: false,
                }),
                unpinned: Condvar::new(),
                io: Mutex::new(()),
                content: RwLock::new(Page::new_zeroed()),
            })
            .collect();
        BufferPool {
            descs,
            mapping: (0..NUM_PARTITIONS)
                .map(|_| Mutex::new(HashMap::with_hasher(TagHash)))
                .collect(),
            clock: AtomicUsize::new(0),
            smgr,
            wal: RwLock::new(wal),
            data_checksums: config.data_checksums,
            counters: BufferCounters::default(),
            extension_locks: (0..EXTENSION_LOCKS).map(|_| Mutex::new(())).collect(),
            hasher: TagHash,
            free_space: crate::freespace::FreeSpaceMap::default(),
        }
    }

    /// Replaces the WAL flusher (after recovery, once the WAL is open for writing).
    pub fn set_wal_flusher(&self, wal: Arc<dyn WalFlusher>) {
        *self.wal.write() = wal;
    }

    /// The storage manager.
    pub fn smgr(&self) -> &Arc<Smgr> {
        &self.smgr
    }

    /// Number of frames (`shared_buffers`).
    pub fn shared_buffers(&self) -> usize {
        self.descs.len()
    }

    /// True if page checksums are set and verified.
    pub fn data_checksums(&self) -> bool {
        self.data_checksums
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> BufferStats {
        self.counters.snapshot()
    }

    /// A strategy of `kind` sized for this pool.
    pub fn strategy(&self, kind: StrategyKind) -> BufferAccessStrategy {
        BufferAccessStrategy::new(kind, self.descs.len())
    }

    fn partition(&self, tag: &BufferTag) -> usize {
        (self.hasher.hash_one(tag) as usize) % NUM_PARTITIONS
    }

    /// The current clock hand position (frame index).
    pub fn clock_hand(&self) -> usize {
        self.clock.load(Ordering::Relaxed) % self.descs.len()
    }

    /// Pins and returns page `block` of `fork` (`ReadBuffer_common`), reading it in if it is
    /// not in the pool. The caller may hold content locks on other buffers (victims are
    /// unpinned, so nobody holds theirs: buffer rule 5).
    ///
    /// Errors: `invalid page in block %u of relation %s` (XX001) when verification fails in
    /// [`ReadBufferMode::Normal`]; `could not read block ...` (XX001/class 58) from the file;
    /// `no unpinned buffers available` (XX000) when every frame is pinned; a WAL flush or
    /// write error while evicting a dirty victim.
    pub fn read_buffer(
        self: &Arc<Self>,
        locator: RelFileLocator,
        fork: ForkNumber,
        block: BlockNumber,
        mode: ReadBufferMode,
    ) -> Result<PinnedBuffer> {
        self.read_buffer_with_strategy(locator, fork, block, mode, None)
    }

    /// [`BufferPool::read_buffer`] with a ring-buffer strategy for bulk access.
    pub fn read_buffer_with_strategy(
        self: &Arc<Self>,
        locator: RelFileLocator,
        fork: ForkNumber,
        block: BlockNumber,
        mode: ReadBufferMode,
        strategy: Option<&mut BufferAccessStrategy>,
    ) -> Result<PinnedBuffer> {
        let tag = BufferTag {
            locator,
            fork,
            block,
        };
        let (id, hit) = self.buffer_alloc(tag, mode, strategy)?;
        if hit {
            BufferCounters::bump(&self.counters.hits);
            usage::count(|u| u.shared_hit += 1);
        }
        Ok(PinnedBuffer::new(self.clone(), id, tag, hit))
    }

    /// Adds a new zeroed page at the end of `fork` and returns it pinned (`ExtendBufferedRel`).
    /// The caller locks it exclusively, initialises it and WAL-logs the change. Concurrent
    /// extensions of one fork are serialised by the relation extension lock taken here.
    ///
    /// Errors: `could not extend file "%s": %m` (class 58), or those of
    /// [`BufferPool::read_buffer`].
    pub fn new_page(
        self: &Arc<Self>,
        locator: RelFileLocator,
        fork: ForkNumber,
    ) -> Result<PinnedBuffer> {
        let stripe = (self.hasher.hash_one((locator, fork)) as usize) % EXTENSION_LOCKS;
        let _extension = self.extension_locks[stripe].lock();
        let block = self.smgr.nblocks(locator, fork)?;
        self.smgr.extend(locator, fork, block, &[0u8; PAGE_SIZE])?;
        self.read_buffer(locator, fork, block, ReadBufferMode::Zero)
    }

    /// Pages in `fork` (`RelationGetNumberOfBlocksInFork`).
    pub fn nblocks(&self, locator: RelFileLocator, fork: ForkNumber) -> Result<BlockNumber> {
        self.smgr.nblocks(locator, fork)
    }

    /// Pins frame `id` found through the mapping table (`PinBuffer`) and returns whether it
    /// is valid. The caller holds the mapping partition lock of its tag.
    fn pin_found(&self, id: usize, strategy: Option<&BufferAccessStrategy>) -> bool {
        let mut h = self.descs[id].header.lock();
        h.pin_count += 1;
        if strategy.is_none() {
            h.usage_count = (h.usage_count + 1).min(MAX_USAGE_COUNT);
        } else if h.usage_count == 0 {
            h.usage_count = 1;
        }
        h.valid
    }

    /// Pins a frame by id without the mapping table (checkpointer, bgwriter). The frame may
    /// be retagged before the pin is taken; callers re-check the header.
    pub(crate) fn pin_by_id(&self, id: usize) {
        self.descs[id].header.lock().pin_count += 1;
    }

    /// Drops one pin (`UnpinBuffer`).
    pub(crate) fn unpin(&self, id: usize) {
        let desc = &self.descs[id];
        let mut h = desc.header.lock();
        debug_assert!(
            h.pin_count > 0,
            "buffer rule 1: unpin of an unpinned buffer"
        );
        h.pin_count -= 1;
        if h.pin_count == 1 && h.pin_count_waiter {
            h.pin_count_waiter = false;
            desc.unpinned.notify_all();
        }
    }

    /// Finds or loads the frame for `tag` and pins it (`BufferAlloc`). Returns the frame and
    /// whether it was a hit.
    fn buffer_alloc(
        &self,
        tag: BufferTag,
        mode: ReadBufferMode,
        mut strategy: Option<&mut BufferAccessStrategy>,
    ) -> Result<(usize, bool)> {
        let part = self.partition(&tag);
        loop {
            {
                let map = self.mapping[part].lock();
                if let Some(&id) = map.get(&tag) {
                    let valid = self.pin_found(id, strategy.as_deref());
                    drop(map);
                    if valid {
                        return Ok((id, true));
                    }
                    // Another backend is reading it in, or its read failed: wait for the I/O
                    // and read it ourselves if it is still not valid.
                    if let Err(e) = self.load(id, tag, mode) {
                        self.unpin(id);
                        return Err(e);
                    }
                    return Ok((id, false));
                }
            }
            let victim = self.get_victim(strategy.as_deref_mut())?;
            let (old_tag, dirty) = {
                let h = self.descs[victim].header.lock();
                (h.tag, h.dirty)
            };
            if dirty {
                if let Some(s) = strategy.as_deref_mut() {
                    if s.kind == StrategyKind::BulkRead && s.current_was_in_ring {
                        // StrategyRejectBuffer: leave it to the clock sweep.
                        s.ring[s.current] = None;
                        self.unpin(victim);
                        continue;
                    }
                }
                if let Err(e) = self.flush_buffer(victim, WriteSource::Backend) {
                    self.unpin(victim);
                    return Err(e);
                }
            }
            // Retag under both partition locks, lower index first (buffer rule 6).
            let old_part = old_tag.map(|t| self.partition(&t));
            let (first, second) = match old_part {
                Some(p) if p < part => (p, Some(part)),
                Some(p) if p > part => (part, Some(p)),
                _ => (part, None),
            };
            let mut guard_a = self.mapping[first].lock();
            let mut guard_b = second.map(|p| self.mapping[p].lock());
            let new_map = if first == part {
                &mut *guard_a
            } else {
                guard_b
                    .as_deref_mut()
                    .expect("second partition is the new tag's")
            };
            if new_map.contains_key(&tag) {
                // Someone loaded the page meanwhile: use theirs.
                drop(guard_b);
                drop(guard_a);
                self.unpin(victim);
                continue;
            }
            {
                let mut h = self.descs[victim].header.lock();
                if h.pin_count != 1 || h.dirty || h.tag != old_tag {
                    // Pinned or dirtied again since we chose it.
                    drop(h);
                    drop(guard_b);
                    drop(guard_a);
                    self.unpin(victim);
                    continue;
                }
                debug_assert_eq!(h.pin_count, 1, "buffer rule 5");
                h.tag = Some(tag);
                h.valid = false;
                h.usage_count = 1;
            }
            new_map.insert(tag, victim);
            if let (Some(old), Some(p)) = (old_tag, old_part) {
                let old_map = if p == first {
                    &mut *guard_a
                } else {
                    guard_b
                        .as_deref_mut()
                        .expect("second partition is the old tag's")
                };
                old_map.remove(&old);
            }
            drop(guard_b);
            drop(guard_a);
            BufferCounters::bump(&self.counters.allocs);
            if let Err(e) = self.load(victim, tag, mode) {
                self.unpin(victim);
                return Err(e);
            }
            return Ok((victim, false));
        }
    }

    /// Makes pinned frame `id` (tagged `tag`) valid: under its io lock, reads the page unless
    /// another backend already did.
    fn load(&self, id: usize, tag: BufferTag, mode: ReadBufferMode) -> Result<()> {
        let desc = &self.descs[id];
        let _io = desc.io.lock();
        if desc.header.lock().valid {
            return Ok(());
        }
        let mut content = desc.content.write();
        if mode == ReadBufferMode::Zero {
            *content = Page::new_zeroed();
        } else {
            let bytes = content.as_bytes_mut();
            self.smgr.read(tag.locator, tag.fork, tag.block, bytes)?;
            BufferCounters::bump(&self.counters.reads);
            usage::count(|u| u.shared_read += 1);
            if let Err(e) = verify_page(
                bytes,
                tag.block.0,
                self.data_checksums,
                &relpath(tag.locator, tag.fork),
            ) {
                if mode == ReadBufferMode::ZeroOnError {
                    *content = Page::new_zeroed();
                } else {
                    return Err(e);
                }
            }
        }
        drop(content);
        desc.header.lock().valid = true;
        Ok(())
    }

    /// Chooses and pins an unpinned victim frame (`StrategyGetBuffer`): the strategy ring
    /// first, then the clock sweep, which decrements usage counts of unpinned frames it
    /// passes and takes the first with usage count 0.
    ///
    /// Errors: `no unpinned buffers available` (XX000) after a full sweep finds every frame
    /// pinned.
    fn get_victim(&self, strategy: Option<&mut BufferAccessStrategy>) -> Result<usize> {
        let mut strategy = strategy;
        if let Some(s) = strategy.as_deref_mut() {
            s.current = (s.current + 1) % s.ring.len();
            s.current_was_in_ring = false;
            if let Some(id) = s.ring[s.current] {
                let mut h = self.descs[id].header.lock();
                if h.pin_count == 0 && h.usage_count <= 1 {
                    h.pin_count = 1;
                    s.current_was_in_ring = true;
                    return Ok(id);
                }
            }
        }
        let n = self.descs.len();
        let mut tries = n;
        loop {
            let id = self.clock.fetch_add(1, Ordering::Relaxed) % n;
            let mut h = self.descs[id].header.lock();
            if h.pin_count == 0 {
                if h.usage_count == 0 {
                    h.pin_count = 1;
                    drop(h);
                    if let Some(s) = strategy {
                        s.ring[s.current] = Some(id);
                    }
                    return Ok(id);
                }
                h.usage_count -= 1;
                tries = n;
            } else {
                tries -= 1;
                if tries == 0 {
                    return Err(Error::internal("no unpinned buffers available"));
                }
            }
        }
    }

    /// Writes frame `id` out if it is valid and dirty (`FlushBuffer`); the caller holds a
    /// pin. This is the only path by which buffer contents reach a relation file, and the one
    /// place buffer rule 4 is enforced: WAL is flushed up to the page LSN first. Returns true
    /// if a write happened.
    ///
    /// Errors: the WAL flush or the file write; the buffer stays dirty.
    pub(crate) fn flush_buffer(&self, id: usize, source: WriteSource) -> Result<bool> {
        let desc = &self.descs[id];
        let _io = desc.io.lock();
        let (tag, copy, lsn) = {
            // A shared content lock: no change can happen while we copy (buffer rule 3).
            let content = desc.content.read();
            let mut h = desc.header.lock();
            debug_assert!(
                h.pin_count > 0,
                "buffer rule 1: flush of an unpinned buffer"
            );
            let tag = match (h.valid, h.dirty, h.tag) {
                (true, true, Some(tag)) => tag,
                _ => return Ok(false),
            };
            h.dirty = false;
            drop(h);
            (tag, Box::new(content.clone()), content.lsn())
        };
        let result = self.write_out(tag, copy, lsn);
        match result {
            Ok(()) => {
                self.counters.count_write(source);
                if source == WriteSource::Backend {
                    usage::count(|u| u.shared_written += 1);
                }
                Ok(true)
            }
            Err(e) => {
                desc.header.lock().dirty = true;
                Err(e)
            }
        }
    }

    fn write_out(&self, tag: BufferTag, mut page: Box<Page>, lsn: tusk_types::Lsn) -> Result<()> {
        // Buffer rule 4: WAL before data.
        let wal = self.wal.read().clone();
        wal.flush(lsn)?;
        if self.data_checksums {
            page.set_checksum(tag.block.0);
        }
        self.smgr
            .write(tag.locator, tag.fork, tag.block, page.as_bytes())
    }

    /// Writes every buffer that is dirty, or exclusively locked, when the call starts
    /// (`BufferSync`), in tag order,
    /// reporting `(written_so_far, total_to_write)` to `progress` after each, so a
    /// checkpointer can pace itself (spread checkpoints). Does not sync the files: the
    /// checkpoint calls `Smgr::sync_all` next (buffer rule 9). Returns the number written.
    ///
    /// Errors: the first WAL flush or write error; remaining buffers stay dirty.
    pub fn flush_all(&self, mut progress: impl FnMut(usize, usize)) -> Result<usize> {
        self.flush_matching(|_| true, WriteSource::Checkpoint, &mut progress)
    }

    /// Writes the dirty buffers of one relation (`FlushRelationBuffers`).
    ///
    /// Errors: as [`BufferPool::flush_all`].
    pub fn flush_relation_buffers(&self, locator: RelFileLocator) -> Result<usize> {
        self.flush_matching(
            |t| t.locator == locator,
            WriteSource::Backend,
            &mut |_, _| {},
        )
    }

    fn flush_matching(
        &self,
        matches: impl Fn(&BufferTag) -> bool,
        source: WriteSource,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<usize> {
        let mut todo: Vec<(BufferTag, usize)> = self
            .descs
            .iter()
            .enumerate()
            .filter_map(|(id, d)| {
                // A buffer being changed right now counts as dirty: its change may already be
                // in the WAL before a checkpoint's redo point while `mark_dirty` is still to
                // come; flush_buffer waits for the exclusive lock to go (buffer rule 9).
                let h = d.header.lock();
                match h.tag {
                    Some(t)
                        if h.valid
                            && (h.dirty || d.content.is_locked_exclusive())
                            && matches(&t) =>
                    {
                        Some((t, id))
                    }
                    _ => None,
                }
            })
            .collect();
        todo.sort();
        let total = todo.len();
        let mut written = 0;
        for (i, (tag, id)) in todo.into_iter().enumerate() {
            self.pin_by_id(id);
            let still_ours = self.descs[id].header.lock().tag == Some(tag);
            let result = if still_ours {
                self.flush_buffer(id, source)
            } else {
                Ok(false)
            };
            self.unpin(id);
            if result? {
                written += 1;
            }
            progress(i + 1, total);
        }
        Ok(written)
    }

    /// Forgets every buffer whose tag satisfies `matches`, discarding dirty contents
    /// (`DropRelationBuffers`, `DropDatabaseBuffers`). The caller holds a lock excluding all
    /// other access to those pages (AccessExclusiveLock), so none is pinned (buffer rule 7).
    fn invalidate_matching(&self, matches: impl Fn(&BufferTag) -> bool) {
        for desc in self.descs.iter() {
            let tag = match desc.header.lock().tag {
                Some(t) if matches(&t) => t,
                _ => continue,
            };
            let mut map = self.mapping[self.partition(&tag)].lock();
            let mut h = desc.header.lock();
            if h.tag != Some(tag) {
                continue;
            }
            assert_eq!(
                h.pin_count, 0,
                "buffer rule 7: dropping a pinned buffer of {tag:?}"
            );
            map.remove(&tag);
            h.tag = None;
            h.valid = false;
            h.dirty = false;
            h.usage_count = 0;
        }
    }

    /// Drops the buffers of blocks `>= from` of one fork, before a truncation.
    pub fn drop_relation_buffers(
        &self,
        locator: RelFileLocator,
        fork: ForkNumber,
        from: BlockNumber,
    ) {
        self.invalidate_matching(|t| t.locator == locator && t.fork == fork && t.block >= from);
        if fork == ForkNumber::Main {
            self.free_space.truncate(locator, from);
        }
    }

    /// Drops every buffer of a relation (all forks), before its files are unlinked.
    pub fn drop_relation_all_buffers(&self, locator: RelFileLocator) {
        self.invalidate_matching(|t| t.locator == locator);
        self.free_space.forget_matching(|r| *r == locator);
    }

    /// Drops every buffer of a database (`DropDatabaseBuffers`).
    pub fn drop_database_buffers(&self, db_oid: Oid) {
        self.invalidate_matching(|t| t.locator.db_oid == db_oid);
        self.free_space.forget_matching(|r| r.db_oid == db_oid);
    }

    /// The free space map of every relation whose pages this pool caches
    /// (`crate::freespace`).
    pub fn free_space_map(&self) -> &crate::freespace::FreeSpaceMap {
        &self.free_space
    }

    /// One line per frame plus the clock hand, for golden tests and debugging:
    /// `frame 0: base/5/1 blk 3 pin=1 usage=2 dirty`.
    pub fn debug_dump(&self) -> String {
        let mut out = format!("clock hand={}\n", self.clock_hand());
        for (id, desc) in self.descs.iter().enumerate() {
            let h = desc.header.lock();
            match h.tag {
                None => out += &format!("  frame {id}: empty\n"),
                Some(t) => {
                    out += &format!(
                        "  frame {id}: {} blk {} pin={} usage={}{}{}\n",
                        relpath(t.locator, t.fork),
                        t.block.0,
                        h.pin_count,
                        h.usage_count,
                        if h.dirty { " dirty" } else { "" },
                        if h.valid { "" } else { " invalid" },
                    )
                }
            }
        }
        out
    }
}
