//! tusk-storage: the 8 KB page layout, relation files (smgr), the shared buffer pool, and the
//! layer that sees both WAL and buffers (checkpoints and crash recovery).
//!
//! Entry points:
//! - [`page`]: [`Page`] layout, line pointers, checksums, [`verify_page`].
//! - [`smgr`]: relation files and segments ([`Smgr`]).
//! - [`buffer`]: the shared buffer pool ([`BufferPool`], [`PinnedBuffer`], guards,
//!   [`BgWriter`], [`WalFlusher`]).
//! - [`storage_wal`]: WAL records for relation creation and truncation, and their redo.
//! - [`recovery`]: the redo registry and the per-block redo logic ([`RedoRegistry`]).
//! - [`freespace`]: the free space map ([`FreeSpaceMap`]), kept in the buffer pool.
//! - [`checkpoint`]: [`Checkpointer`] and startup [`recover`]; [`pacing`]: spread checkpoints.
//!
//! See also: `docs/design/page.md`, `docs/design/buffer.md`.

pub mod buffer;
pub mod checkpoint;
pub mod freespace;
pub mod pacing;
pub mod page;
pub mod recovery;
pub mod smgr;
pub mod storage_wal;

#[cfg(test)]
mod golden;

pub use buffer::{
    needs_full_page_image, BgWriter, BgWriterConfig, BufferAccessStrategy, BufferPool,
    BufferPoolConfig, BufferStats, BufferTag, NoWalFlush, PageReadGuard, PageWriteGuard,
    PinnedBuffer, ReadBufferMode, StrategyKind, WalFlusher,
};
pub use checkpoint::{
    recover, CheckpointCounters, CheckpointHook, CheckpointKind, CheckpointReport, Checkpointer,
    RecoveryOutcome,
};
pub use freespace::FreeSpaceMap;
pub use pacing::{CheckpointPacing, CheckpointRequests, CheckpointSchedule, CHECKPOINT_NAP};
pub use page::{verify_page, ItemPlacement, LinePointer, LpFlags, Page, PageHeader, PAGE_SIZE};
pub use recovery::{RedoContext, RedoPage, RedoRegistry};
pub use smgr::{relpath, Smgr, SmgrConfig, SyncStats};
