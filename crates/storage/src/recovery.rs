//! Crash recovery: replay WAL from the last checkpoint's redo point through the resource
//! managers' redo routines (PostgreSQL's `StartupXLOG` / `PerformWalRecovery`, and
//! `XLogReadBufferForRedo` for the per-block logic).
//!
//! ```text
//!   control file ──► redo point ──► WalReader ──► record ──► common block logic ──► rmgr redo
//!                                      │ end of valid WAL       (each block ref)
//!                                      ▼
//!                          return end LSN; caller opens WAL there and checkpoints
//! ```
//!
//! The common block logic runs once for every record, whatever its resource manager:
//! 1. a block ref with a full-page image: the image replaces the page, which is not read
//!    first (the file may hold a torn copy), and the page LSN becomes the record's end LSN;
//!    torn pages are repaired this way (buffer rule 8). The redo routine never sees that
//!    block. Later records then apply on top, so the page ends as the WAL prefix says.
//! 2. otherwise the page is pinned (the file created and extended with zero pages if a later
//!    truncate or drop removed it); if it does not have `will_init` and its LSN is at or past
//!    the record's end LSN, the change is already on the page and the block is skipped.
//! 3. the redo routine gets the remaining blocks from [`RedoContext::block`] as
//!    [`RedoPage`]s; dropping one sets the page LSN to the record's end LSN and marks it dirty.
//!
//! Recovery runs before any backend, on one thread; the pool's WAL flusher is
//! `NoWalFlush` (replayed WAL is already on disk).
//!
//! Entry points: [`RedoRegistry`], [`replay`], [`apply_record`], and `recover` (with the
//! control file, in `checkpoint`).

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use tusk_types::{Error, Lsn, Result};
use tusk_wal::{DecodedRecord, RmgrId, WalReader};

use crate::buffer::{BufferPool, PageWriteGuard, PinnedBuffer, ReadBufferMode};
use crate::page::{Page, PAGE_SIZE};

/// A redo routine: applies one record of its resource manager.
pub type RedoFn = Box<dyn Fn(&RedoContext<'_>, &DecodedRecord) -> Result<()> + Send + Sync>;

/// Redo routines keyed by resource manager (PostgreSQL's `RmgrTable`).
pub struct RedoRegistry {
    routines: HashMap<u8, RedoFn>,
}

impl std::fmt::Debug for RedoRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<_> = self.routines.keys().collect();
        ids.sort();
        f.debug_struct("RedoRegistry").field("rmgrs", &ids).finish()
    }
}

impl Default for RedoRegistry {
    fn default() -> RedoRegistry {
        RedoRegistry::new()
    }
}

impl RedoRegistry {
    /// A registry with this crate's resource managers: XLOG (checkpoints, no-ops and
    /// full-page-image records need no work beyond the common block logic) and STORAGE.
    pub fn new() -> RedoRegistry {
        let mut registry = RedoRegistry {
            routines: HashMap::new(),
        };
        registry.register(RmgrId::XLOG, |_, _| Ok(()));
        registry.register(RmgrId::STORAGE, crate::storage_wal::redo_storage);
        registry
    }

    /// Registers (or replaces) the redo routine of `rmgr`.
    pub fn register(
        &mut self,
        rmgr: RmgrId,
        redo: impl Fn(&RedoContext<'_>, &DecodedRecord) -> Result<()> + Send + Sync + 'static,
    ) {
        self.routines.insert(rmgr.0, Box::new(redo));
    }

    /// True if `rmgr` has a routine.
    pub fn contains(&self, rmgr: RmgrId) -> bool {
        self.routines.contains_key(&rmgr.0)
    }
}

enum BlockState {
    /// Restored from its image, or already up to date.
    Done,
    /// Pinned; the redo routine must apply the change.
    NeedsRedo(PinnedBuffer),
}

/// What a redo routine sees of the record being replayed.
pub struct RedoContext<'a> {
    pool: &'a Arc<BufferPool>,
    record: &'a DecodedRecord,
    blocks: Vec<BlockState>,
}

impl<'a> RedoContext<'a> {
    /// The buffer pool (and through it the storage manager).
    pub fn pool(&self) -> &'a Arc<BufferPool> {
        self.pool
    }

    /// The record being replayed.
    pub fn record(&self) -> &'a DecodedRecord {
        self.record
    }

    /// The page of block reference `index`, exclusively locked, if the routine must apply
    /// the change to it; `None` if the common block logic already brought it up to date
    /// (full-page image restored, or page LSN at or past the record).
    ///
    /// The content lock is not re-entrant: hold at most one `RedoPage` per block at a time.
    /// Panics if `index` is not a block reference of the record (a bug in the routine).
    pub fn block(&self, index: usize) -> Option<RedoPage<'_>> {
        match &self.blocks[index] {
            BlockState::Done => None,
            BlockState::NeedsRedo(pin) => Some(RedoPage {
                guard: pin.lock_exclusive(),
                lsn: self.record.end_lsn,
            }),
        }
    }
}

/// A page being redone: derefs to the [`Page`]; dropping it sets the page LSN to the
/// record's end LSN and marks the buffer dirty.
pub struct RedoPage<'a> {
    guard: PageWriteGuard<'a>,
    lsn: Lsn,
}

impl Deref for RedoPage<'_> {
    type Target = Page;
    fn deref(&self) -> &Page {
        &self.guard
    }
}

impl DerefMut for RedoPage<'_> {
    fn deref_mut(&mut self) -> &mut Page {
        &mut self.guard
    }
}

impl Drop for RedoPage<'_> {
    fn drop(&mut self) {
        let lsn = self.lsn;
        self.guard.mark_dirty(lsn);
    }
}

/// Pins `block` for redo, creating the fork and extending it with zero pages if needed
/// (`XLogReadBufferExtended`).
fn pin_for_redo(
    pool: &Arc<BufferPool>,
    block: &tusk_wal::BlockRef,
    mode: ReadBufferMode,
) -> Result<PinnedBuffer> {
    let smgr = pool.smgr();
    if !smgr.exists(block.locator, block.fork) {
        smgr.create(block.locator, block.fork, true)?;
    }
    let mut n = smgr.nblocks(block.locator, block.fork)?;
    while n <= block.block {
        smgr.extend(block.locator, block.fork, n, &[0u8; PAGE_SIZE])?;
        n.0 += 1;
    }
    pool.read_buffer(block.locator, block.fork, block.block, mode)
}

/// Replays one record: the common block logic, then the routine of its resource manager.
///
/// Errors: `resource manager %u has no redo routine` (XX000); the routine's or the I/O's.
pub fn apply_record(
    pool: &Arc<BufferPool>,
    registry: &RedoRegistry,
    record: &DecodedRecord,
) -> Result<()> {
    let routine = registry.routines.get(&record.rmgr.0).ok_or_else(|| {
        Error::internal(format!(
            "resource manager {} has no redo routine",
            record.rmgr.0
        ))
    })?;
    let lsn = record.end_lsn;
    let mut blocks = Vec::with_capacity(record.blocks.len());
    for block in &record.blocks {
        if let Some(image) = &block.image {
            let pin = pin_for_redo(pool, block, ReadBufferMode::Zero)?;
            {
                // Always restored, without reading the page first (PostgreSQL's
                // `RestoreBlockImage`): the file may hold a torn copy.
                let mut page = pin.lock_exclusive();
                *page = Page::from_bytes(image);
                if page.is_new() {
                    page.mark_dirty_unlogged();
                } else {
                    page.set_lsn(Lsn::INVALID);
                    page.mark_dirty(lsn);
                }
            }
            blocks.push(BlockState::Done);
            continue;
        }
        let mode = if block.will_init {
            ReadBufferMode::Zero
        } else {
            ReadBufferMode::Normal
        };
        let pin = pin_for_redo(pool, block, mode)?;
        let done = !block.will_init && pin.lock_shared().lsn() >= lsn;
        blocks.push(if done {
            BlockState::Done
        } else {
            BlockState::NeedsRedo(pin)
        });
    }
    let ctx = RedoContext {
        pool,
        record,
        blocks,
    };
    routine(&ctx, record).map_err(|e| {
        e.context(format!(
            "WAL redo at {} for {}",
            record.lsn,
            record.rmgr.name()
        ))
    })
}

/// What [`replay`] did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ReplayOutcome {
    /// Where valid WAL ends: insertion continues here.
    pub end_of_wal: Lsn,
    /// Start of the last record replayed (the `prev` link of the next record).
    pub last_record: Option<Lsn>,
    /// Number of records replayed.
    pub records: u64,
}

/// Replays every record `reader` yields until the end of valid WAL.
///
/// Errors: corrupt WAL before its end (XX001), redo errors, I/O errors.
pub fn replay(
    pool: &Arc<BufferPool>,
    registry: &RedoRegistry,
    reader: &mut WalReader,
) -> Result<ReplayOutcome> {
    let mut records = 0;
    while let Some(record) = reader.next()? {
        apply_record(pool, registry, &record)?;
        records += 1;
    }
    Ok(ReplayOutcome {
        end_of_wal: reader.end_of_wal(),
        last_record: reader.last_record_lsn(),
        records,
    })
}
