//! WAL records of the STORAGE resource manager: relation file creation and truncation
//! (PostgreSQL's `storage.c`, `XLOG_SMGR_CREATE` / `XLOG_SMGR_TRUNCATE`), and their redo.
//!
//! | record   | main data (little-endian)                                          |
//! |----------|--------------------------------------------------------------------|
//! | CREATE   | spc_oid u32, db_oid u32, rel_number u32, fork u8 (13 bytes)        |
//! | TRUNCATE | spc_oid u32, db_oid u32, rel_number u32, nblocks u32, flags u8 (17) |
//!
//! `flags` of TRUNCATE say which forks to cut: [`SMGR_TRUNCATE_HEAP`] (main fork to
//! `nblocks`), [`SMGR_TRUNCATE_VM`], [`SMGR_TRUNCATE_FSM`] (the map forks are cut to the
//! pages that cover `nblocks` heap pages by their owners; here they are truncated to the same
//! block count, which is conservative for maps that have fewer pages).
//!
//! Coding rule (PostgreSQL's `RelationTruncate`): the TRUNCATE record is inserted and flushed
//! before the files shrink, and the buffers of the removed pages are dropped first; a
//! CREATE record is inserted before the file is created, so replay recreates it.
//!
//! Entry points: [`create_record`], [`truncate_record`], [`redo_storage`].

use tusk_types::{BlockNumber, Error, ForkNumber, Oid, RelFileLocator, Result};
use tusk_wal::{storage_info, DecodedRecord, RecordBuilder, RmgrId};

use crate::recovery::RedoContext;

/// TRUNCATE flag: truncate the main fork.
pub const SMGR_TRUNCATE_HEAP: u8 = 0x01;
/// TRUNCATE flag: truncate the visibility map.
pub const SMGR_TRUNCATE_VM: u8 = 0x02;
/// TRUNCATE flag: truncate the free space map.
pub const SMGR_TRUNCATE_FSM: u8 = 0x04;
/// All TRUNCATE flags.
pub const SMGR_TRUNCATE_ALL: u8 = 0x07;

fn put_locator(out: &mut Vec<u8>, l: RelFileLocator) {
    out.extend_from_slice(&l.spc_oid.0.to_le_bytes());
    out.extend_from_slice(&l.db_oid.0.to_le_bytes());
    out.extend_from_slice(&l.rel_number.0.to_le_bytes());
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

fn get_locator(data: &[u8]) -> RelFileLocator {
    RelFileLocator {
        spc_oid: Oid(u32_at(data, 0)),
        db_oid: Oid(u32_at(data, 4)),
        rel_number: Oid(u32_at(data, 8)),
    }
}

/// The CREATE record for a new fork file (`log_smgrcreate`).
pub fn create_record(locator: RelFileLocator, fork: ForkNumber) -> RecordBuilder {
    let mut data = Vec::with_capacity(13);
    put_locator(&mut data, locator);
    data.push(fork as u8);
    RecordBuilder::new(RmgrId::STORAGE, storage_info::CREATE).with_main_data(data)
}

/// The TRUNCATE record: cut the forks chosen by `flags` to `nblocks` pages.
pub fn truncate_record(locator: RelFileLocator, nblocks: BlockNumber, flags: u8) -> RecordBuilder {
    let mut data = Vec::with_capacity(17);
    put_locator(&mut data, locator);
    data.extend_from_slice(&nblocks.0.to_le_bytes());
    data.push(flags);
    RecordBuilder::new(RmgrId::STORAGE, storage_info::TRUNCATE).with_main_data(data)
}

fn malformed(record: &DecodedRecord) -> Error {
    Error::new(
        tusk_types::SqlState::DATA_CORRUPTED,
        format!("invalid STORAGE record at {}", record.lsn),
    )
}

/// Replays a STORAGE record (`smgr_redo`).
///
/// Errors: XX001 for a malformed record; file system errors (class 58).
pub fn redo_storage(ctx: &RedoContext<'_>, record: &DecodedRecord) -> Result<()> {
    let data = &record.main_data;
    let smgr = ctx.pool().smgr();
    match record.info & 0xF0 {
        storage_info::CREATE => {
            if data.len() != 13 {
                return Err(malformed(record));
            }
            let fork = ForkNumber::from_u8(data[12]).ok_or_else(|| malformed(record))?;
            smgr.create(get_locator(data), fork, true)
        }
        storage_info::TRUNCATE => {
            if data.len() != 17 {
                return Err(malformed(record));
            }
            let locator = get_locator(data);
            let nblocks = BlockNumber(u32_at(data, 12));
            let flags = data[16];
            for (flag, fork) in [
                (SMGR_TRUNCATE_HEAP, ForkNumber::Main),
                (SMGR_TRUNCATE_FSM, ForkNumber::FreeSpaceMap),
                (SMGR_TRUNCATE_VM, ForkNumber::VisibilityMap),
            ] {
                if flags & flag == 0 {
                    continue;
                }
                // A later record may have dropped the relation; then there is nothing to cut.
                if fork == ForkNumber::Main && !smgr.exists(locator, fork) {
                    smgr.create(locator, fork, true)?;
                }
                if smgr.exists(locator, fork) {
                    ctx.pool().drop_relation_buffers(locator, fork, nblocks);
                    smgr.truncate(locator, fork, nblocks)?;
                }
            }
            Ok(())
        }
        _ => Err(Error::internal(format!(
            "storage_redo: unknown op code {}",
            record.info
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tusk_io::MemVfs;
    use tusk_types::{Lsn, Xid};

    use super::*;
    use crate::buffer::{BufferPool, BufferPoolConfig, NoWalFlush, ReadBufferMode};
    use crate::page::{ItemPlacement, PAGE_SIZE};
    use crate::recovery::{apply_record, RedoRegistry};
    use crate::smgr::{Smgr, SmgrConfig};

    fn decoded(builder: RecordBuilder, lsn: u64) -> DecodedRecord {
        DecodedRecord {
            lsn: Lsn(lsn),
            end_lsn: Lsn(lsn + 40),
            prev: Lsn::INVALID,
            xid: Xid::INVALID,
            rmgr: builder.rmgr,
            info: builder.info,
            blocks: builder.blocks,
            main_data: builder.main_data,
        }
    }

    fn rel() -> RelFileLocator {
        RelFileLocator {
            spc_oid: Oid(1663),
            db_oid: Oid(5),
            rel_number: Oid(42),
        }
    }

    #[test]
    fn create_and_truncate_replay() {
        let smgr = Arc::new(Smgr::new(
            Arc::new(MemVfs::new()),
            "/d",
            SmgrConfig {
                segment_blocks: 2,
                ..SmgrConfig::default()
            },
        ));
        let pool = Arc::new(BufferPool::new(
            BufferPoolConfig {
                shared_buffers: 8,
                data_checksums: false,
            },
            smgr.clone(),
            Arc::new(NoWalFlush),
        ));
        let registry = RedoRegistry::new();
        let create = decoded(create_record(rel(), ForkNumber::Main), 100);
        assert_eq!(create.main_data.len(), 13);
        apply_record(&pool, &registry, &create).expect("create redo");
        apply_record(&pool, &registry, &create).expect("replaying twice is harmless");
        assert!(smgr.exists(rel(), ForkNumber::Main));
        for _ in 0..5 {
            let buf = pool.new_page(rel(), ForkNumber::Main).expect("extend");
            let mut page = buf.lock_exclusive();
            page.init(0);
            page.add_item(b"x", ItemPlacement::Append).expect("fits");
            page.mark_dirty(Lsn(120));
        }
        let truncate = decoded(
            truncate_record(rel(), BlockNumber(2), SMGR_TRUNCATE_ALL),
            200,
        );
        apply_record(&pool, &registry, &truncate).expect("truncate redo");
        assert_eq!(
            smgr.nblocks(rel(), ForkNumber::Main).expect("n"),
            BlockNumber(2)
        );
        // Buffers of removed pages are gone, so flushing cannot resurrect them.
        pool.flush_all(|_, _| {}).expect("flush");
        assert_eq!(
            smgr.nblocks(rel(), ForkNumber::Main).expect("n"),
            BlockNumber(2)
        );
        let mut bytes = [0u8; PAGE_SIZE];
        smgr.read(rel(), ForkNumber::Main, BlockNumber(1), &mut bytes)
            .expect("kept page");
        let kept = pool
            .read_buffer(
                rel(),
                ForkNumber::Main,
                BlockNumber(1),
                ReadBufferMode::Normal,
            )
            .expect("read");
        assert_eq!(kept.lock_shared().lsn(), Lsn(120));
    }

    #[test]
    fn malformed_record_is_data_corrupted() {
        let smgr = Arc::new(Smgr::new(
            Arc::new(MemVfs::new()),
            "/d",
            SmgrConfig::default(),
        ));
        let pool = Arc::new(BufferPool::new(
            BufferPoolConfig {
                shared_buffers: 2,
                data_checksums: false,
            },
            smgr,
            Arc::new(NoWalFlush),
        ));
        let mut record = decoded(create_record(rel(), ForkNumber::Main), 64);
        record.main_data.pop();
        let err = apply_record(&pool, &RedoRegistry::new(), &record).expect_err("short");
        assert_eq!(err.code, tusk_types::SqlState::DATA_CORRUPTED);
        assert_eq!(err.message, "invalid STORAGE record at 0/40");
        assert_eq!(err.context.as_deref(), Some("WAL redo at 0/40 for Storage"));
    }
}
