//! Pins and content-lock guards: the only way to reach a buffer's page.
//!
//! ```text
//!  BufferPool::read_buffer ──► PinnedBuffer ──lock_shared()────► PageReadGuard<'_>  (&Page)
//!                                  │        ──lock_exclusive()─► PageWriteGuard<'_> (&mut Page,
//!                                  │                               mark_dirty(lsn))
//!                                  └─ drop: unpin                  drop: unlock
//! ```
//!
//! A guard borrows its pin, so a page cannot be locked without a pin nor outlive it
//! (buffer rule 1); marking a buffer dirty needs the exclusive guard (buffer rule 3).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use parking_lot::{RwLockReadGuard, RwLockWriteGuard};
use tusk_types::{BlockNumber, Lsn};

use super::pool::{BufferPool, BufferTag};
use crate::page::Page;

/// One pin on a buffer (`Buffer` with its refcount). While it lives the frame keeps its page
/// (buffer rule 5). Dropping it unpins.
pub struct PinnedBuffer {
    pool: Arc<BufferPool>,
    id: usize,
    tag: BufferTag,
    hit: bool,
}

impl std::fmt::Debug for PinnedBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinnedBuffer")
            .field("id", &self.id)
            .field("tag", &self.tag)
            .finish()
    }
}

impl PinnedBuffer {
    pub(crate) fn new(pool: Arc<BufferPool>, id: usize, tag: BufferTag, hit: bool) -> PinnedBuffer {
        PinnedBuffer { pool, id, tag, hit }
    }

    /// The frame index (`Buffer` - 1).
    pub fn buffer_id(&self) -> usize {
        self.id
    }

    /// The page this buffer holds.
    pub fn tag(&self) -> BufferTag {
        self.tag
    }

    /// The block number (`BufferGetBlockNumber`).
    pub fn block(&self) -> BlockNumber {
        self.tag.block
    }

    /// True if the page was already in the pool when pinned (for per-table statistics).
    pub fn was_hit(&self) -> bool {
        self.hit
    }

    /// Takes the content lock in share mode (`LockBuffer(BUFFER_LOCK_SHARE)`): enough to read
    /// the page. Blocks while another backend holds it exclusively.
    pub fn lock_shared(&self) -> PageReadGuard<'_> {
        PageReadGuard {
            page: self.pool.descs[self.id].content.read(),
            _pin: self,
        }
    }

    /// Takes the content lock in exclusive mode (`LockBuffer(BUFFER_LOCK_EXCLUSIVE)`):
    /// needed to change the page.
    pub fn lock_exclusive(&self) -> PageWriteGuard<'_> {
        PageWriteGuard {
            page: self.pool.descs[self.id].content.write(),
            pin: self,
        }
    }

    /// Tries the exclusive content lock without waiting (`ConditionalLockBuffer`).
    pub fn try_lock_exclusive(&self) -> Option<PageWriteGuard<'_>> {
        Some(PageWriteGuard {
            page: self.pool.descs[self.id].content.try_write()?,
            pin: self,
        })
    }

    /// Tries a cleanup lock: the exclusive lock while this is the only pin
    /// (`ConditionalLockBufferForCleanup`). Needed to move or remove items that other pins
    /// may still address by line pointer (buffer rule 2).
    pub fn try_lock_cleanup(&self) -> Option<PageWriteGuard<'_>> {
        let guard = self.try_lock_exclusive()?;
        if self.pool.descs[self.id].header.lock().pin_count == 1 {
            Some(guard)
        } else {
            None
        }
    }

    /// Waits for a cleanup lock (`LockBufferForCleanup`): takes the exclusive lock, and while
    /// other pins exist releases it and waits for them to go. The caller holds no other
    /// content lock.
    pub fn lock_cleanup(&self) -> PageWriteGuard<'_> {
        let desc = &self.pool.descs[self.id];
        loop {
            let guard = self.lock_exclusive();
            let mut h = desc.header.lock();
            if h.pin_count == 1 {
                return guard;
            }
            h.pin_count_waiter = true;
            drop(guard);
            desc.unpinned.wait(&mut h);
        }
    }
}

impl Clone for PinnedBuffer {
    /// Another pin on the same buffer (`IncrBufferRefCount`).
    fn clone(&self) -> PinnedBuffer {
        self.pool.pin_by_id(self.id);
        PinnedBuffer {
            pool: self.pool.clone(),
            id: self.id,
            tag: self.tag,
            hit: self.hit,
        }
    }
}

impl Drop for PinnedBuffer {
    fn drop(&mut self) {
        self.pool.unpin(self.id);
    }
}

/// A share content lock on a pinned buffer; derefs to the [`Page`]. Dropping unlocks.
pub struct PageReadGuard<'a> {
    page: RwLockReadGuard<'a, Page>,
    _pin: &'a PinnedBuffer,
}

impl Deref for PageReadGuard<'_> {
    type Target = Page;
    fn deref(&self) -> &Page {
        &self.page
    }
}

/// An exclusive content lock on a pinned buffer; derefs mutably to the [`Page`]. Dropping
/// unlocks. Changes must be WAL-logged and then recorded with [`PageWriteGuard::mark_dirty`]
/// before the guard is dropped (buffer rule 3).
pub struct PageWriteGuard<'a> {
    page: RwLockWriteGuard<'a, Page>,
    pin: &'a PinnedBuffer,
}

impl PageWriteGuard<'_> {
    /// Records a WAL-logged change: sets the page LSN to `lsn` (the end LSN of the change's
    /// WAL record) and marks the buffer dirty (`PageSetLSN` + `MarkBufferDirty`).
    /// The page will not be written before WAL is flushed to `lsn` (buffer rule 4).
    pub fn mark_dirty(&mut self, lsn: Lsn) {
        debug_assert!(
            lsn >= self.page.lsn(),
            "buffer rule 3: page LSN must not go backwards ({} -> {lsn})",
            self.page.lsn()
        );
        self.page.set_lsn(lsn);
        self.mark_dirty_unlogged();
    }

    /// Marks the buffer dirty without setting the LSN: for changes that need no WAL
    /// (unlogged relations, hint bits without checksums).
    pub fn mark_dirty_unlogged(&mut self) {
        let desc = &self.pin.pool.descs[self.pin.id];
        let mut h = desc.header.lock();
        debug_assert!(h.valid, "buffer rule 3: dirtying an invalid buffer");
        if !h.dirty {
            super::usage::count(|u| u.shared_dirtied += 1);
        }
        h.dirty = true;
    }

    /// The pin this lock belongs to.
    pub fn buffer(&self) -> &PinnedBuffer {
        self.pin
    }
}

impl Deref for PageWriteGuard<'_> {
    type Target = Page;
    fn deref(&self) -> &Page {
        &self.page
    }
}

impl DerefMut for PageWriteGuard<'_> {
    fn deref_mut(&mut self) -> &mut Page {
        &mut self.page
    }
}
