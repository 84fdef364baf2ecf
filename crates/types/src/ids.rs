//! Identifier newtypes: object ids, transaction ids, WAL positions and tuple addresses.

use std::fmt;

/// An object identifier (PostgreSQL `oid`, 32 bits). `Oid(0)` is `InvalidOid`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Oid(pub u32);

impl Oid {
    /// PostgreSQL's `InvalidOid`.
    pub const INVALID: Oid = Oid(0);
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A transaction id (32 bits, compared modulo 2^32 as PostgreSQL does).
///
/// 0 is invalid, 1 bootstrap, 2 frozen; normal xids start at 3.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Xid(pub u32);

impl Xid {
    /// `InvalidTransactionId`.
    pub const INVALID: Xid = Xid(0);
    /// `BootstrapTransactionId`.
    pub const BOOTSTRAP: Xid = Xid(1);
    /// `FrozenTransactionId`: older than every normal xid.
    pub const FROZEN: Xid = Xid(2);
    /// `FirstNormalTransactionId`.
    pub const FIRST_NORMAL: Xid = Xid(3);

    /// True for xids at or past `FIRST_NORMAL`.
    pub fn is_normal(self) -> bool {
        self.0 >= Self::FIRST_NORMAL.0
    }

    /// `TransactionIdPrecedes`: circular comparison for normal xids, plain for special ones.
    pub fn precedes(self, other: Xid) -> bool {
        if !self.is_normal() || !other.is_normal() {
            return self.0 < other.0;
        }
        (self.0.wrapping_sub(other.0) as i32) < 0
    }
}

impl fmt::Display for Xid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A WAL position in bytes since the start of the WAL stream (`XLogRecPtr`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Lsn(pub u64);

impl Lsn {
    /// `InvalidXLogRecPtr`.
    pub const INVALID: Lsn = Lsn(0);
}

impl fmt::Display for Lsn {
    /// PostgreSQL's `pg_lsn` text form: `16/B374D848`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:X}/{:X}", self.0 >> 32, self.0 as u32)
    }
}

/// A block (page) number within one relation fork.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct BlockNumber(pub u32);

impl fmt::Display for BlockNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A line pointer number within a page, 1-based.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct OffsetNumber(pub u16);

/// A tuple address (`ctid`): block and line pointer.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct ItemPointer {
    /// The heap block.
    pub block: BlockNumber,
    /// The line pointer within the block (1-based).
    pub offset: OffsetNumber,
}

impl fmt::Display for ItemPointer {
    /// PostgreSQL's `tid` text form: `(0,1)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({},{})", self.block.0, self.offset.0)
    }
}

/// Identifies a relation's files on disk (`RelFileLocator`): tablespace, database, relfilenode.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct RelFileLocator {
    /// Tablespace OID (`pg_default` is 1663, `pg_global` 1664).
    pub spc_oid: Oid,
    /// Database OID (0 for shared relations).
    pub db_oid: Oid,
    /// The relfilenode: names the files, changes on rewrite.
    pub rel_number: Oid,
}

/// A relation fork (`ForkNumber`): each is its own series of segment files.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ForkNumber {
    /// The data itself (no file suffix).
    Main = 0,
    /// Free space map (`_fsm`).
    FreeSpaceMap = 1,
    /// Visibility map (`_vm`).
    VisibilityMap = 2,
    /// Init fork of unlogged relations (`_init`).
    Init = 3,
}

impl ForkNumber {
    /// The file-name suffix PostgreSQL uses for this fork.
    pub fn suffix(self) -> &'static str {
        match self {
            ForkNumber::Main => "",
            ForkNumber::FreeSpaceMap => "_fsm",
            ForkNumber::VisibilityMap => "_vm",
            ForkNumber::Init => "_init",
        }
    }

    /// Decodes a fork number stored as a byte.
    pub fn from_u8(value: u8) -> Option<ForkNumber> {
        Some(match value {
            0 => ForkNumber::Main,
            1 => ForkNumber::FreeSpaceMap,
            2 => ForkNumber::VisibilityMap,
            3 => ForkNumber::Init,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xid_comparison_wraps() {
        assert!(Xid(3).precedes(Xid(4)));
        assert!(Xid(u32::MAX).precedes(Xid(5)));
        assert!(!Xid(5).precedes(Xid(u32::MAX)));
        assert!(Xid::FROZEN.precedes(Xid(100)));
    }

    #[test]
    fn lsn_prints_like_pg_lsn() {
        assert_eq!(Lsn(0x16_B374_D848).to_string(), "16/B374D848");
        assert_eq!(Lsn(0).to_string(), "0/0");
    }
}
