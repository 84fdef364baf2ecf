//! The one way the buffer pool reaches the WAL: [`WalFlusher::flush`], called from the single
//! write-out path before a dirty page goes to disk (buffer rule 4, WAL before data).
//!
//! Implemented for `tusk_wal::Wal` (group-commit flush) and by [`NoWalFlush`] for pools whose
//! pages are never WAL-logged or whose WAL is already durable (crash recovery replays records
//! read back from disk, so their LSNs are already flushed).

use tusk_types::{Lsn, Result};

/// Makes WAL durable up to a position.
pub trait WalFlusher: Send + Sync {
    /// Returns once WAL up to and including `upto` (an end-of-record LSN) is durable.
    /// `Lsn::INVALID` (a page never WAL-logged) needs nothing.
    ///
    /// Errors: the WAL's fsync failure (class 58); the caller keeps the page dirty.
    fn flush(&self, upto: Lsn) -> Result<()>;
}

/// A [`WalFlusher`] that does nothing: for recovery (replayed WAL is already on disk) and for
/// pools holding only unlogged data.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoWalFlush;

impl WalFlusher for NoWalFlush {
    fn flush(&self, _upto: Lsn) -> Result<()> {
        Ok(())
    }
}

/// The full-page-write decision: the first change to a page after the redo pointer of the
/// latest checkpoint must carry a full image of the page (buffer rule 8), so a page torn by
/// a crash during its next write can be restored. True when `page_lsn <= redo_lsn`
/// (PostgreSQL's `XLogRecordAssemble` test against `RedoRecPtr`).
pub fn needs_full_page_image(page_lsn: Lsn, redo_lsn: Lsn) -> bool {
    page_lsn <= redo_lsn
}

impl WalFlusher for tusk_wal::Wal {
    /// Group-commit flush (`tusk_wal::Wal::flush`); pages never WAL-logged need nothing.
    fn flush(&self, upto: Lsn) -> Result<()> {
        if upto == Lsn::INVALID {
            return Ok(());
        }
        tusk_wal::Wal::flush(self, upto)
    }
}
