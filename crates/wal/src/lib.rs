//! The write-ahead log: PostgreSQL's design (docs chapter 30, "Reliability and the
//! Write-Ahead Log"), our byte format.
//!
//! Every change to a data page is first described by a WAL record; the record reaches disk
//! before the page does, and a commit is acknowledged only once its commit record is durable.
//! After a crash, replaying the WAL from the last checkpoint's redo point repairs every page.
//!
//! Entry points:
//! - [`RecordBuilder`] → [`Wal::insert`] (returns the record's end [`Lsn`](tusk_types::Lsn)) →
//!   [`Wal::flush`] (group commit) or [`Wal::commit_flush`] (`synchronous_commit`, [`SyncMode`]);
//!   [`Wal::writer_step`] for the WAL writer;
//!   [`Wal::begin_checkpoint`], [`Wal::remove_old_segments_at_checkpoint`]
//!   ([`SegmentRetention`]) and
//!   [`Wal::preallocate_next_segment`] for the checkpointer; [`Wal::needs_full_page_image`]
//!   with [`Wal::insert_if_redo_unchanged`] for full-page writes.
//! - [`WalReader::next`] → [`DecodedRecord`] for recovery and replication.
//! - [`ControlFile`] (`global/pg_control`), [`CheckPoint`] and [`XactRecord`] payloads.
//!
//! Modules: `record` (record bytes), `compress` (`wal_compression`), `page` (pages, segments, LSN arithmetic), `wal`
//! (buffers, insertion, flush), `segment` (segment files), `reader`, `control`, `payload`,
//! `rmgr`. The numbered WAL rules and byte tables are in `docs/design/wal.md`.

mod compress;
mod control;
mod page;
mod payload;
mod reader;
mod record;
mod rmgr;
mod segment;
pub mod usage;
mod wal;

#[cfg(test)]
mod tests;

pub use compress::WalCompression;
pub use control::{ControlFile, DbState, CONTROL_FILE_PATH, CONTROL_FILE_SIZE};
pub use page::{
    parse_segment_file_name, record_start, segment_file_name, segment_number, valid_segment_size,
    DEFAULT_SEGMENT_SIZE, LONG_PAGE_HEADER_SIZE, PAGE_HEADER_SIZE, WAL_PAGE_SIZE,
};
pub use payload::{CheckPoint, XactRecord};
pub use reader::WalReader;
pub use record::{
    BlockRef, DecodedRecord, RecordBuilder, BLOCK_HAS_IMAGE, BLOCK_HEADER_SIZE,
    BLOCK_IMAGE_COMPRESSED, BLOCK_WILL_INIT, MAX_BLOCK_DATA, MAX_BLOCK_REFS, MAX_RECORD_SIZE,
    PAGE_IMAGE_SIZE, RECORD_HEADER_SIZE,
};
pub use rmgr::{storage_info, xact_info, xlog_info, RmgrId};
pub use wal::{SegmentCleanup, SegmentRetention, SyncMode, Wal, WalConfig, WalStats};
