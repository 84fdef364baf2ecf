//! Resource managers: which subsystem a WAL record belongs to, and so which redo routine
//! replays it. The numbers are PostgreSQL's (`src/include/access/rmgrlist.h`), so tools and
//! people reading `pg_waldump`-style output see familiar ids.

use std::fmt;

/// A resource manager id (`RmgrId`, one byte in the record header).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct RmgrId(pub u8);

impl RmgrId {
    /// WAL bookkeeping: checkpoints, segment switches, full-page images, parameter changes.
    pub const XLOG: RmgrId = RmgrId(0);
    /// Transaction commit and abort.
    pub const XACT: RmgrId = RmgrId(1);
    /// Relation file creation and truncation (`smgr`).
    pub const STORAGE: RmgrId = RmgrId(2);
    /// Commit log page initialisation and truncation.
    pub const CLOG: RmgrId = RmgrId(3);
    /// CREATE/DROP DATABASE.
    pub const DATABASE: RmgrId = RmgrId(4);
    /// CREATE/DROP TABLESPACE.
    pub const TABLESPACE: RmgrId = RmgrId(5);
    /// Multixact members and offsets.
    pub const MULTIXACT: RmgrId = RmgrId(6);
    /// Relation mapper updates.
    pub const RELMAP: RmgrId = RmgrId(7);
    /// Hot-standby bookkeeping (running transactions, locks).
    pub const STANDBY: RmgrId = RmgrId(8);
    /// Heap operations beyond the first eight (pruning, freezing, visibility, multi-insert).
    pub const HEAP2: RmgrId = RmgrId(9);
    /// Heap insert, delete, update, HOT update, lock, inplace update.
    pub const HEAP: RmgrId = RmgrId(10);
    /// B-tree index operations.
    pub const BTREE: RmgrId = RmgrId(11);
    /// Sequence updates.
    pub const SEQUENCE: RmgrId = RmgrId(15);
    /// Logical decoding messages.
    pub const LOGICAL_MESSAGE: RmgrId = RmgrId(21);

    /// The largest resource manager id a record may carry.
    pub const MAX: RmgrId = RmgrId(21);

    /// The name `pg_waldump` prints for this resource manager (`"Heap"`, `"Transaction"`).
    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "XLOG",
            1 => "Transaction",
            2 => "Storage",
            3 => "CLOG",
            4 => "Database",
            5 => "Tablespace",
            6 => "MultiXact",
            7 => "RelMap",
            8 => "Standby",
            9 => "Heap2",
            10 => "Heap",
            11 => "Btree",
            12 => "Hash",
            13 => "Gin",
            14 => "Gist",
            15 => "Sequence",
            16 => "SPGist",
            17 => "BRIN",
            18 => "CommitTs",
            19 => "ReplicationOrigin",
            20 => "Generic",
            21 => "LogicalMessage",
            _ => "unknown",
        }
    }
}

impl fmt::Display for RmgrId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `info` values of [`RmgrId::XLOG`] records (PostgreSQL's `XLOG_*` in `pg_control.h`).
pub mod xlog_info {
    /// Checkpoint written at shutdown (payload: `CheckPoint`).
    pub const CHECKPOINT_SHUTDOWN: u8 = 0x00;
    /// Online (fuzzy) checkpoint (payload: `CheckPoint`).
    pub const CHECKPOINT_ONLINE: u8 = 0x10;
    /// No-op record.
    pub const NOOP: u8 = 0x20;
    /// Next OID counter advanced (payload: OID, u32).
    pub const NEXTOID: u8 = 0x30;
    /// Segment switch: the rest of the segment is unused.
    pub const SWITCH: u8 = 0x40;
    /// End of an online backup.
    pub const BACKUP_END: u8 = 0x50;
    /// WAL-relevant server parameters changed.
    pub const PARAMETER_CHANGE: u8 = 0x60;
    /// Named restore point.
    pub const RESTORE_POINT: u8 = 0x70;
    /// `full_page_writes` changed.
    pub const FPW_CHANGE: u8 = 0x80;
    /// End of recovery, a new timeline begins.
    pub const END_OF_RECOVERY: u8 = 0x90;
    /// Full-page image taken because of a hint-bit change.
    pub const FPI_FOR_HINT: u8 = 0xA0;
    /// Full-page image(s) only, no other change.
    pub const FPI: u8 = 0xB0;
}

/// `info` values of [`RmgrId::XACT`] records (PostgreSQL's `XLOG_XACT_*`).
pub mod xact_info {
    /// Commit (payload: `XactRecord`).
    pub const COMMIT: u8 = 0x00;
    /// PREPARE TRANSACTION.
    pub const PREPARE: u8 = 0x10;
    /// Abort (payload: `XactRecord`).
    pub const ABORT: u8 = 0x20;
    /// COMMIT PREPARED.
    pub const COMMIT_PREPARED: u8 = 0x30;
    /// ROLLBACK PREPARED.
    pub const ABORT_PREPARED: u8 = 0x40;
    /// Subtransaction ids assigned to a top-level transaction.
    pub const ASSIGNMENT: u8 = 0x50;
}

/// `info` values of [`RmgrId::STORAGE`] records (PostgreSQL's `XLOG_SMGR_*`).
pub mod storage_info {
    /// A relation fork file was created.
    pub const CREATE: u8 = 0x10;
    /// A relation was truncated.
    pub const TRUNCATE: u8 = 0x20;
}
