//! WAL records of the heap (resource manager `HEAP`) and their redo.
//!
//! Every heap change is described, per block, as a short list of page operations
//! ([`PageOp`]); the same function ([`apply_ops`]) makes the change during normal running
//! and during redo, so what recovery rebuilds is exactly what the backend did (PostgreSQL
//! logs `xl_heap_insert`, `xl_heap_delete`, ... and has one redo routine per kind; one
//! operation list per block gives the same information with one redo routine).
//!
//! Record kinds (`info`, PostgreSQL's numbering for rmgr HEAP; `0x80` = `XLOG_HEAP_INIT_PAGE`,
//! block 0 is initialised by redo and carries `will_init`):
//!
//! | info | kind | blocks |
//! |---|---|---|
//! | 0x00 | `INSERT` | 0: the page receiving the tuple |
//! | 0x10 | `DELETE` | 0: the page of the deleted tuple |
//! | 0x20 | `UPDATE` | 0: new tuple's page, 1: old tuple's page |
//! | 0x30 | `VACUUM` (vacuum's second pass; PostgreSQL's `XLOG_HEAP2_VACUUM`) | 0: the page whose `LP_DEAD` line pointers become unused |
//! | 0x40 | `HOT_UPDATE` | 0: the page holding both versions |
//! | 0x50 | `PRUNE` (PostgreSQL logs it under HEAP2) | 0: the pruned page |
//! | 0x60 | `LOCK` (a row lock: lock-only xmax) | 0: the locked tuple's page |
//!
//! Per-block data: a sequence of operations, each one tag byte then little-endian fields:
//!
//! | tag | operation | fields |
//! |---|---|---|
//! | 1 | `InitPage` | - |
//! | 2 | `PutTuple` | offset u16, length u16, tuple bytes |
//! | 3 | `SetHeader` | offset u16, xmax u32, cid u32, ctid block u32, ctid offset u16, infomask2 u16, infomask u16 |
//! | 4 | `Redirect` | offset u16, target u16 |
//! | 5 | `Dead` | offset u16 |
//! | 6 | `Unused` | offset u16 |
//! | 7 | `RepairFragmentation` | - |
//! | 8 | `SetPruneXid` | xid u32 |
//!
//! Redo: [`heap_redo`], registered by [`register_heap_redo`].

use tusk_storage::{ItemPlacement, Page, RedoContext, RedoRegistry};
use tusk_types::{BlockNumber, Error, ItemPointer, OffsetNumber, Result, Xid};
use tusk_wal::{DecodedRecord, RmgrId};

use crate::tuple::{HeapTupleHeader, HEAP_TUPLE_HEADER_SIZE};

/// `XLOG_HEAP_INSERT`.
pub const XLOG_HEAP_INSERT: u8 = 0x00;
/// `XLOG_HEAP_DELETE`.
pub const XLOG_HEAP_DELETE: u8 = 0x10;
/// `XLOG_HEAP_UPDATE`.
pub const XLOG_HEAP_UPDATE: u8 = 0x20;
/// Vacuum's second heap pass: `LP_DEAD` line pointers, whose index entries are gone,
/// become `LP_UNUSED` (PostgreSQL's `XLOG_HEAP2_VACUUM`, kept under HEAP here).
pub const XLOG_HEAP_VACUUM: u8 = 0x30;
/// `XLOG_HEAP_HOT_UPDATE`.
pub const XLOG_HEAP_HOT_UPDATE: u8 = 0x40;
/// Pruning (PostgreSQL's `XLOG_HEAP2_PRUNE`, kept under HEAP here).
pub const XLOG_HEAP_PRUNE: u8 = 0x50;
/// `XLOG_HEAP_LOCK`: a row lock sets a lock-only xmax (`heap_lock_tuple`).
pub const XLOG_HEAP_LOCK: u8 = 0x60;
/// `XLOG_HEAP_INIT_PAGE`: block 0 is initialised by the record.
pub const XLOG_HEAP_INIT_PAGE: u8 = 0x80;
/// Mask of the record kind.
pub const XLOG_HEAP_OPMASK: u8 = 0x70;

/// One change to a heap page (see the module table).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PageOp {
    /// `PageInit` with no special space.
    InitPage,
    /// Put tuple bytes at this line pointer (unused, or one past the last).
    PutTuple(OffsetNumber, Vec<u8>),
    /// Overwrite the xmax-related header fields of the tuple at the offset.
    SetHeader {
        /// Line pointer of the tuple.
        offset: OffsetNumber,
        /// New `t_xmax`.
        xmax: Xid,
        /// New `t_cid`.
        cid: u32,
        /// New `t_ctid`.
        ctid: ItemPointer,
        /// New `t_infomask2`.
        infomask2: u16,
        /// New `t_infomask`.
        infomask: u16,
    },
    /// Make the line pointer a HOT redirect to the target.
    Redirect(OffsetNumber, OffsetNumber),
    /// Make the line pointer dead (storage dropped).
    Dead(OffsetNumber),
    /// Make the line pointer unused.
    Unused(OffsetNumber),
    /// `PageRepairFragmentation`.
    RepairFragmentation,
    /// Set `pd_prune_xid`.
    SetPruneXid(Xid),
}

/// Encodes operations as per-block record data.
pub fn encode_ops(ops: &[PageOp]) -> Vec<u8> {
    let mut out = Vec::new();
    for op in ops {
        match op {
            PageOp::InitPage => out.push(1),
            PageOp::PutTuple(off, bytes) => {
                out.push(2);
                out.extend_from_slice(&off.0.to_le_bytes());
                out.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
                out.extend_from_slice(bytes);
            }
            PageOp::SetHeader {
                offset,
                xmax,
                cid,
                ctid,
                infomask2,
                infomask,
            } => {
                out.push(3);
                out.extend_from_slice(&offset.0.to_le_bytes());
                out.extend_from_slice(&xmax.0.to_le_bytes());
                out.extend_from_slice(&cid.to_le_bytes());
                out.extend_from_slice(&ctid.block.0.to_le_bytes());
                out.extend_from_slice(&ctid.offset.0.to_le_bytes());
                out.extend_from_slice(&infomask2.to_le_bytes());
                out.extend_from_slice(&infomask.to_le_bytes());
            }
            PageOp::Redirect(off, target) => {
                out.push(4);
                out.extend_from_slice(&off.0.to_le_bytes());
                out.extend_from_slice(&target.0.to_le_bytes());
            }
            PageOp::Dead(off) => {
                out.push(5);
                out.extend_from_slice(&off.0.to_le_bytes());
            }
            PageOp::Unused(off) => {
                out.push(6);
                out.extend_from_slice(&off.0.to_le_bytes());
            }
            PageOp::RepairFragmentation => out.push(7),
            PageOp::SetPruneXid(xid) => {
                out.push(8);
                out.extend_from_slice(&xid.0.to_le_bytes());
            }
        }
    }
    out
}

fn bad(what: &str) -> Error {
    tusk_types::pg_err!(DATA_CORRUPTED, "invalid heap WAL record: {}", what)
}

/// Decodes per-block record data into operations.
///
/// Errors: `XX001` if the data is truncated or has an unknown tag.
pub fn decode_ops(mut data: &[u8]) -> Result<Vec<PageOp>> {
    fn take<'a>(data: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
        if data.len() < n {
            return Err(bad("truncated block data"));
        }
        let (head, rest) = data.split_at(n);
        *data = rest;
        Ok(head)
    }
    fn u16_(data: &mut &[u8]) -> Result<u16> {
        Ok(u16::from_le_bytes(take(data, 2)?.try_into().expect("2")))
    }
    fn u32_(data: &mut &[u8]) -> Result<u32> {
        Ok(u32::from_le_bytes(take(data, 4)?.try_into().expect("4")))
    }
    let mut ops = Vec::new();
    while !data.is_empty() {
        let tag = take(&mut data, 1)?[0];
        ops.push(match tag {
            1 => PageOp::InitPage,
            2 => {
                let off = OffsetNumber(u16_(&mut data)?);
                let len = u16_(&mut data)? as usize;
                PageOp::PutTuple(off, take(&mut data, len)?.to_vec())
            }
            3 => PageOp::SetHeader {
                offset: OffsetNumber(u16_(&mut data)?),
                xmax: Xid(u32_(&mut data)?),
                cid: u32_(&mut data)?,
                ctid: ItemPointer {
                    block: BlockNumber(u32_(&mut data)?),
                    offset: OffsetNumber(u16_(&mut data)?),
                },
                infomask2: u16_(&mut data)?,
                infomask: u16_(&mut data)?,
            },
            4 => PageOp::Redirect(
                OffsetNumber(u16_(&mut data)?),
                OffsetNumber(u16_(&mut data)?),
            ),
            5 => PageOp::Dead(OffsetNumber(u16_(&mut data)?)),
            6 => PageOp::Unused(OffsetNumber(u16_(&mut data)?)),
            7 => PageOp::RepairFragmentation,
            8 => PageOp::SetPruneXid(Xid(u32_(&mut data)?)),
            other => return Err(bad(&format!("unknown operation tag {other}"))),
        });
    }
    Ok(ops)
}

/// Applies `ops` to `page` in order. Used inside WAL critical sections: the caller has
/// checked that every operation applies (space, offsets), so a failure is a bug or a
/// corrupt record and panics (buffer rule 3, "crash rather than corrupt").
pub fn apply_ops(page: &mut Page, ops: &[PageOp]) {
    for op in ops {
        match op {
            PageOp::InitPage => page.init(0),
            PageOp::PutTuple(off, bytes) => {
                let got = page
                    .add_item(bytes, ItemPlacement::Overwrite(*off))
                    .unwrap_or_else(|e| panic!("heap tuple does not fit at {off:?}: {e:?}"));
                debug_assert_eq!(got, *off);
            }
            PageOp::SetHeader {
                offset,
                xmax,
                cid,
                ctid,
                infomask2,
                infomask,
            } => {
                let item = page
                    .item_mut(*offset)
                    .unwrap_or_else(|| panic!("no heap tuple at {offset:?}"));
                let mut header =
                    HeapTupleHeader::decode(item).expect("a heap tuple header on a heap page");
                header.xmax = *xmax;
                header.cid = *cid;
                header.ctid = *ctid;
                header.infomask2 = *infomask2;
                header.infomask = *infomask;
                header.encode(&mut item[..HEAP_TUPLE_HEADER_SIZE]);
            }
            PageOp::Redirect(off, target) => page.mark_redirect(*off, *target),
            PageOp::Dead(off) => page.mark_dead(*off),
            PageOp::Unused(off) => page.mark_unused(*off),
            PageOp::RepairFragmentation => page.repair_fragmentation(),
            PageOp::SetPruneXid(xid) => page.set_prune_xid(*xid),
        }
    }
}

/// The redo routine of resource manager HEAP: decodes each block's operations and applies
/// them to the blocks the common redo logic hands out (`heap_redo`).
///
/// Errors: `XX001` for undecodable block data.
pub fn heap_redo(ctx: &RedoContext<'_>, record: &DecodedRecord) -> Result<()> {
    for (index, block) in record.blocks.iter().enumerate() {
        let ops = decode_ops(&block.data)?;
        if let Some(mut page) = ctx.block(index) {
            apply_ops(&mut page, &ops);
        }
    }
    Ok(())
}

/// Registers [`heap_redo`] for [`RmgrId::HEAP`].
pub fn register_heap_redo(registry: &mut RedoRegistry) {
    registry.register(RmgrId::HEAP, heap_redo);
}

/// The name of a heap record kind, as `pg_waldump` prints it.
pub fn heap_record_name(info: u8) -> &'static str {
    match info & XLOG_HEAP_OPMASK {
        XLOG_HEAP_INSERT => "INSERT",
        XLOG_HEAP_DELETE => "DELETE",
        XLOG_HEAP_UPDATE => "UPDATE",
        XLOG_HEAP_VACUUM => "VACUUM",
        XLOG_HEAP_HOT_UPDATE => "HOT_UPDATE",
        XLOG_HEAP_PRUNE => "PRUNE",
        XLOG_HEAP_LOCK => "LOCK",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_round_trip_and_truncation_is_an_error() {
        let ops = vec![
            PageOp::InitPage,
            PageOp::PutTuple(OffsetNumber(3), vec![1, 2, 3]),
            PageOp::SetHeader {
                offset: OffsetNumber(1),
                xmax: Xid(9),
                cid: 2,
                ctid: ItemPointer {
                    block: BlockNumber(4),
                    offset: OffsetNumber(5),
                },
                infomask2: 0x4001,
                infomask: 0x0100,
            },
            PageOp::Redirect(OffsetNumber(1), OffsetNumber(2)),
            PageOp::Dead(OffsetNumber(4)),
            PageOp::Unused(OffsetNumber(5)),
            PageOp::RepairFragmentation,
            PageOp::SetPruneXid(Xid(12)),
        ];
        let bytes = encode_ops(&ops);
        assert_eq!(decode_ops(&bytes).expect("decode"), ops);
        for cut in 1..bytes.len() {
            // Every strict prefix either decodes to fewer ops or fails; never panics.
            let _ = decode_ops(&bytes[..cut]);
        }
        assert!(decode_ops(&[99]).is_err());
    }
}
