//! The shared buffer pool: caches relation pages in `shared_buffers` frames, with pins,
//! content locks, clock-sweep replacement, ring strategies for bulk access, the background
//! writer step and checkpoint flushing (PostgreSQL's `src/backend/storage/buffer`).
//!
//! ```text
//!   read_buffer(tag) ─► mapping table (128 partitions) ─hit─► pin frame
//!                              │ miss
//!                              ▼
//!                 victim: strategy ring, else clock sweep
//!                 (skip pinned; usage_count 5..0, take 0)
//!                              │ dirty? ─► flush_buffer: WAL flush to page LSN, write
//!                              ▼
//!                 retag under both partition locks ─► read page (io lock) ─► pin
//! ```
//!
//! The rules every caller and every line here follow are numbered in
//! `docs/design/buffer.md` and cited as "buffer rule N". In short: pin before lock (1);
//! shared to read, exclusive to change, cleanup to move items (2); WAL-log and `mark_dirty`
//! under the exclusive lock (3); WAL before data, enforced only in the write-out path (4);
//! pinned buffers are never evicted (5); lock order (6); drop/truncate callers exclude all
//! other access (7); full-page images after each checkpoint (8); checkpoints flush then sync
//! (9).
//!
//! Entry points: [`BufferPool::read_buffer`], [`BufferPool::new_page`],
//! [`PinnedBuffer::lock_shared`], [`PinnedBuffer::lock_exclusive`],
//! [`PageWriteGuard::mark_dirty`], [`BufferPool::flush_all`], [`BgWriter::run_once`],
//! [`needs_full_page_image`].

mod bgwriter;
mod guard;
mod pool;
mod stats;
mod strategy;
pub mod usage;
mod wal_flusher;

pub use bgwriter::{BgWriter, BgWriterConfig};
pub use guard::{PageReadGuard, PageWriteGuard, PinnedBuffer};
pub use pool::{
    BufferPool, BufferPoolConfig, BufferTag, ReadBufferMode, MAX_USAGE_COUNT, NUM_PARTITIONS,
};
pub use stats::{BufferStats, WriteSource};
pub use strategy::{BufferAccessStrategy, StrategyKind};
pub use wal_flusher::{needs_full_page_image, NoWalFlush, WalFlusher};

#[cfg(test)]
mod tests;
