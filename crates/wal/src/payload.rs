//! Main-data payloads of the WAL's own record kinds: checkpoints ([`RmgrId::XLOG`]) and
//! transaction commit/abort ([`RmgrId::XACT`]). Little-endian, fixed layouts below.
//!
//! ```text
//! CheckPoint (48 bytes)                 XactRecord (24 bytes + arrays)
//! off size field                        off size field
//!   0   8  redo LSN                       0   4  xid
//!   8   4  timeline                       4   4  zero padding
//!  12   4  previous timeline              8   8  timestamp (µs since 2000-01-01 UTC)
//!  16   4  next xid                      16   4  subtransaction count S
//!  20   4  next OID                      20   4  relations-to-drop count R
//!  24   4  oldest xid (wraparound)       24  4*S subtransaction xids
//!  28   4  database of oldest xid         .  12*R RelFileLocators (spc, db, relnumber)
//!  32   4  oldest xid still running
//!  36   1  full_page_writes (0/1)
//!  37   3  zero padding
//!  40   8  time (Unix seconds)
//! ```
//!
//! [`RmgrId::XLOG`]: crate::RmgrId::XLOG
//! [`RmgrId::XACT`]: crate::RmgrId::XACT

use tusk_types::{pg_err, Lsn, Oid, RelFileLocator, Result, Xid};

use crate::record::{u32_at, u64_at};

/// A checkpoint record's payload (PostgreSQL's `CheckPoint`), info
/// `CHECKPOINT_ONLINE` or `CHECKPOINT_SHUTDOWN`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct CheckPoint {
    /// Where redo starts: the insert position when the checkpoint began.
    pub redo: Lsn,
    /// Current timeline.
    pub timeline: u32,
    /// Previous timeline (differs from `timeline` at a timeline switch).
    pub prev_timeline: u32,
    /// Next transaction id to assign.
    pub next_xid: Xid,
    /// The epoch of `next_xid` (wraparounds so far).
    pub next_xid_epoch: u32,
    /// Next OID to assign.
    pub next_oid: Oid,
    /// Oldest unfrozen xid in any database (wraparound horizon).
    pub oldest_xid: Xid,
    /// Database holding `oldest_xid`.
    pub oldest_xid_db: Oid,
    /// Oldest xid still running at the checkpoint (`Xid::INVALID` at shutdown).
    pub oldest_active_xid: Xid,
    /// Whether full-page writes were on.
    pub full_page_writes: bool,
    /// Wall-clock time of the checkpoint, Unix seconds.
    pub time: u64,
}

impl CheckPoint {
    /// Encoded size in bytes.
    pub const SIZE: usize = 52;
    /// Encoded size of the earlier format without the epoch (decoded as epoch 0).
    const SIZE_NO_EPOCH: usize = 48;

    /// The payload bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::SIZE);
        out.extend_from_slice(&self.redo.0.to_le_bytes());
        out.extend_from_slice(&self.timeline.to_le_bytes());
        out.extend_from_slice(&self.prev_timeline.to_le_bytes());
        out.extend_from_slice(&self.next_xid.0.to_le_bytes());
        out.extend_from_slice(&self.next_oid.0.to_le_bytes());
        out.extend_from_slice(&self.oldest_xid.0.to_le_bytes());
        out.extend_from_slice(&self.oldest_xid_db.0.to_le_bytes());
        out.extend_from_slice(&self.oldest_active_xid.0.to_le_bytes());
        out.extend_from_slice(&[u8::from(self.full_page_writes), 0, 0, 0]);
        out.extend_from_slice(&self.time.to_le_bytes());
        out.extend_from_slice(&self.next_xid_epoch.to_le_bytes());
        debug_assert_eq!(out.len(), Self::SIZE);
        out
    }

    /// Decodes a payload. Errors: XX001 (data_corrupted) "invalid checkpoint record" if the
    /// size or a flag byte is wrong.
    pub fn decode(bytes: &[u8]) -> Result<CheckPoint> {
        if !(bytes.len() == Self::SIZE || bytes.len() == Self::SIZE_NO_EPOCH) || bytes[36] > 1 {
            return Err(pg_err!(DATA_CORRUPTED, "invalid checkpoint record"));
        }
        Ok(CheckPoint {
            redo: Lsn(u64_at(bytes, 0)),
            timeline: u32_at(bytes, 8),
            prev_timeline: u32_at(bytes, 12),
            next_xid: Xid(u32_at(bytes, 16)),
            next_xid_epoch: if bytes.len() == Self::SIZE {
                u32_at(bytes, 48)
            } else {
                0
            },
            next_oid: Oid(u32_at(bytes, 20)),
            oldest_xid: Xid(u32_at(bytes, 24)),
            oldest_xid_db: Oid(u32_at(bytes, 28)),
            oldest_active_xid: Xid(u32_at(bytes, 32)),
            full_page_writes: bytes[36] == 1,
            time: u64_at(bytes, 40),
        })
    }
}

/// A commit or abort record's payload (PostgreSQL's `xl_xact_commit`/`xl_xact_abort`), info
/// `xact_info::COMMIT` or `xact_info::ABORT`.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct XactRecord {
    /// The top-level transaction.
    pub xid: Xid,
    /// Commit/abort time: microseconds since 2000-01-01 00:00 UTC (`TimestampTz`).
    pub timestamp: i64,
    /// Committed (or aborted) subtransactions.
    pub subxacts: Vec<Xid>,
    /// Relation files to delete once the record is durable (dropped at commit, or created
    /// by an aborted transaction).
    pub drop_relations: Vec<RelFileLocator>,
}

impl XactRecord {
    /// Size of the fixed part in bytes.
    pub const FIXED_SIZE: usize = 24;

    /// A record for `xid` at `timestamp` with no subtransactions or relations.
    pub fn new(xid: Xid, timestamp: i64) -> XactRecord {
        XactRecord {
            xid,
            timestamp,
            ..XactRecord::default()
        }
    }

    /// The payload bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            Self::FIXED_SIZE + 4 * self.subxacts.len() + 12 * self.drop_relations.len(),
        );
        out.extend_from_slice(&self.xid.0.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&self.timestamp.to_le_bytes());
        out.extend_from_slice(&(self.subxacts.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.drop_relations.len() as u32).to_le_bytes());
        for xid in &self.subxacts {
            out.extend_from_slice(&xid.0.to_le_bytes());
        }
        for rel in &self.drop_relations {
            out.extend_from_slice(&rel.spc_oid.0.to_le_bytes());
            out.extend_from_slice(&rel.db_oid.0.to_le_bytes());
            out.extend_from_slice(&rel.rel_number.0.to_le_bytes());
        }
        out
    }

    /// Decodes a payload. Errors: XX001 (data_corrupted) "invalid transaction record" if
    /// the counts do not match the size.
    pub fn decode(bytes: &[u8]) -> Result<XactRecord> {
        let bad = || pg_err!(DATA_CORRUPTED, "invalid transaction record");
        if bytes.len() < Self::FIXED_SIZE {
            return Err(bad());
        }
        let subxacts = u32_at(bytes, 16) as usize;
        let relations = u32_at(bytes, 20) as usize;
        let expected = subxacts
            .checked_mul(4)
            .and_then(|s| relations.checked_mul(12).and_then(|r| s.checked_add(r)))
            .and_then(|v| v.checked_add(Self::FIXED_SIZE))
            .ok_or_else(bad)?;
        if bytes.len() != expected {
            return Err(bad());
        }
        let mut at = Self::FIXED_SIZE;
        let mut record = XactRecord {
            xid: Xid(u32_at(bytes, 0)),
            timestamp: i64::from_le_bytes(bytes[8..16].try_into().expect("eight bytes")),
            subxacts: Vec::with_capacity(subxacts),
            drop_relations: Vec::with_capacity(relations),
        };
        for _ in 0..subxacts {
            record.subxacts.push(Xid(u32_at(bytes, at)));
            at += 4;
        }
        for _ in 0..relations {
            record.drop_relations.push(RelFileLocator {
                spc_oid: Oid(u32_at(bytes, at)),
                db_oid: Oid(u32_at(bytes, at + 4)),
                rel_number: Oid(u32_at(bytes, at + 8)),
            });
            at += 12;
        }
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn checkpoint_round_trip_and_rejects_bad_size() {
        let checkpoint = CheckPoint {
            redo: Lsn(0x0100_0028),
            timeline: 1,
            prev_timeline: 1,
            next_xid: Xid(735),
            next_xid_epoch: 0,
            next_oid: Oid(16384),
            oldest_xid: Xid(716),
            oldest_xid_db: Oid(1),
            oldest_active_xid: Xid::INVALID,
            full_page_writes: true,
            time: 1_700_000_000,
        };
        let bytes = checkpoint.encode();
        assert_eq!(bytes.len(), CheckPoint::SIZE);
        assert_eq!(CheckPoint::decode(&bytes).expect("decode"), checkpoint);
        let err = CheckPoint::decode(&bytes[..47]).expect_err("short");
        assert_eq!(err.message, "invalid checkpoint record");
    }

    proptest! {
        #[test]
        fn xact_record_round_trip(
            xid in any::<u32>(),
            timestamp in any::<i64>(),
            subxacts in proptest::collection::vec(any::<u32>(), 0..10),
            rels in proptest::collection::vec(any::<[u32; 3]>(), 0..5),
        ) {
            let record = XactRecord {
                xid: Xid(xid),
                timestamp,
                subxacts: subxacts.into_iter().map(Xid).collect(),
                drop_relations: rels
                    .into_iter()
                    .map(|r| RelFileLocator { spc_oid: Oid(r[0]), db_oid: Oid(r[1]), rel_number: Oid(r[2]) })
                    .collect(),
            };
            prop_assert_eq!(XactRecord::decode(&record.encode()).expect("decode"), record);
        }

        #[test]
        fn payload_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let _ = XactRecord::decode(&bytes);
            let _ = CheckPoint::decode(&bytes);
        }
    }
}
