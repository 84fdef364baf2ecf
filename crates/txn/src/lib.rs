//! Transaction status: xid assignment, the commit log (`pg_xact`), the proc array,
//! snapshots and MVCC tuple visibility (PostgreSQL's `src/backend/access/transam` and
//! `procarray.c`; docs chapter 13 "Concurrency Control").
//!
//! The life of a transaction through this crate:
//!
//! ```text
//!  first write ─► ProcArray::assign_xid ─► XidGenerator (+ Clog::extend, WAL CLOG ZEROPAGE)
//!  each statement ─► ProcArray::snapshot ─► Snapshot ─► satisfies_mvcc(tuple, snapshot, ..)
//!  COMMIT ─► TransactionManager::commit (XACT record, flush, Clog bits) ─► end_transaction
//!  ROLLBACK ─► TransactionManager::abort (XACT record, Clog bits) ─► end_transaction
//!  checkpoint ─► Clog::flush, XidGenerator::next_xid into the checkpoint record
//!  crash recovery ─► register_redo: XACT and CLOG records rebuild the commit log
//!  vacuum ─► ProcArray::global_xmin horizon, satisfies_vacuum; Clog::truncate after freezing
//! ```
//!
//! Modules: `clog` (commit log), `xid` (assignment, circular comparison), `snapshot`,
//! `procarray`, `visibility` (`HeapTupleSatisfiesMVCC`), `vacuum`
//! (`HeapTupleSatisfiesVacuum`), `xact` (commit/abort records, redo).
//! The heavyweight lock manager is not here yet.

mod clog;
mod procarray;
mod snapshot;
mod vacuum;
mod visibility;
mod xact;
mod xid;

#[cfg(test)]
mod tests;

pub use clog::{
    clog_info, clog_page, segment_file_name, Clog, XidStatus, CLOG_PAGE_SIZE, CLOG_XACTS_PER_PAGE,
    DEFAULT_CLOG_BUFFERS, SLRU_PAGES_PER_SEGMENT,
};
pub use procarray::{BackendId, ProcArray};
pub use snapshot::Snapshot;
pub use vacuum::{satisfies_vacuum, VacuumVerdict};
pub use visibility::{
    infomask, satisfies_mvcc, CommandId, CurrentTransaction, MvccVerdict, TupleHeaderView,
    XidStatusLookup,
};
pub use xact::{redo_xact, register_redo, timestamp_tz, TransactionManager};
pub use xid::{
    full_xid_of, xid_follows, xid_follows_or_equals, xid_next, xid_precedes_or_equals, XidGenerator,
};
