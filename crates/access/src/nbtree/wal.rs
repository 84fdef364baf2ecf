//! WAL records of the B-tree (resource manager `BTREE`) and their redo.
//!
//! As for the heap (`crate::heap_wal`), each block of a record carries a list of page
//! operations ([`BtOp`]) and one function ([`apply_ops`]) makes the change both in normal
//! running and in redo. A split is logged together with the insertion of its downlink into
//! the parent (and the parent's own split, up to a new root and the metapage) as one
//! record, under locks held from the leaf up, so recovery never sees a half-finished split
//! and PostgreSQL's `BTP_INCOMPLETE_SPLIT` machinery is not needed.
//!
//! Record kinds (`info`, PostgreSQL's `XLOG_BTREE_*` numbering):
//!
//! | info | kind | blocks |
//! |---|---|---|
//! | 0x00 | `INSERT_LEAF` | the leaf |
//! | 0x10 | `INSERT_UPPER` | an internal page (not produced alone: downlinks travel with their split) |
//! | 0x20 | `INSERT_META` | the metapage (empty index creation) |
//! | 0x30 | `SPLIT_L` | per split level: left page, new right page, old right sibling; then the parent; the new item went left |
//! | 0x40 | `SPLIT_R` | as `SPLIT_L`, the new item went right |
//! | 0xA0 | `NEWROOT` | as a split, ending with the new root and the metapage (or: first root leaf and metapage) |
//! | 0xC0 | `VACUUM` | leaf pages rebuilt without deleted items |
//!
//! Per-block operations, a tag byte then little-endian fields:
//!
//! | tag | operation | fields | needs the old page |
//! |---|---|---|---|
//! | 1 | `Rebuild` | opaque (16 bytes), count u16, then per item length u16 and bytes | no (`will_init`) |
//! | 2 | `InsertItem` | offset u16, length u16, bytes | yes |
//! | 3 | `SetOpaque` | opaque (16 bytes) | yes |
//! | 4 | `Meta` | root u32, level u32, fastroot u32, fastlevel u32 | no (`will_init`) |
//!
//! A split logs both halves whole (`Rebuild`) where PostgreSQL logs the right half and
//! the left page's changes; the records are larger, the redo simpler.
//!
//! Redo: [`btree_redo`], registered by [`register_btree_redo`].

use tusk_storage::{ItemPlacement, Page, RedoContext, RedoRegistry};
use tusk_types::{pg_err, BlockNumber, Error, OffsetNumber, Result};
use tusk_wal::{DecodedRecord, RmgrId};

use super::page::{init_page, set_opaque, write_meta, BtMeta, BtOpaque, BT_SPECIAL_SIZE};

/// `XLOG_BTREE_INSERT_LEAF`.
pub const XLOG_BTREE_INSERT_LEAF: u8 = 0x00;
/// `XLOG_BTREE_INSERT_UPPER`.
pub const XLOG_BTREE_INSERT_UPPER: u8 = 0x10;
/// `XLOG_BTREE_INSERT_META`.
pub const XLOG_BTREE_INSERT_META: u8 = 0x20;
/// `XLOG_BTREE_SPLIT_L`.
pub const XLOG_BTREE_SPLIT_L: u8 = 0x30;
/// `XLOG_BTREE_SPLIT_R`.
pub const XLOG_BTREE_SPLIT_R: u8 = 0x40;
/// `XLOG_BTREE_NEWROOT`.
pub const XLOG_BTREE_NEWROOT: u8 = 0xA0;
/// `XLOG_BTREE_VACUUM`.
pub const XLOG_BTREE_VACUUM: u8 = 0xC0;

/// One change to a B-tree page (see the module table).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BtOp {
    /// Initialise the page with this special area and these items at offsets 1, 2, ...
    Rebuild(BtOpaque, Vec<Vec<u8>>),
    /// Insert an item at the offset, shifting later items up (`PageAddItem` on index pages).
    InsertItem(OffsetNumber, Vec<u8>),
    /// Overwrite the special area.
    SetOpaque(BtOpaque),
    /// Rewrite the metapage.
    Meta(BtMeta),
}

impl BtOp {
    /// True if the operation rebuilds the page from nothing (the block is `will_init`).
    pub fn initialises(&self) -> bool {
        matches!(self, BtOp::Rebuild(..) | BtOp::Meta(_))
    }
}

fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Encodes operations as per-block record data.
pub fn encode_ops(ops: &[BtOp]) -> Vec<u8> {
    let mut out = Vec::new();
    for op in ops {
        match op {
            BtOp::Rebuild(opaque, items) => {
                out.push(1);
                out.extend_from_slice(&opaque.encode());
                put_u16(&mut out, items.len() as u16);
                for item in items {
                    put_u16(&mut out, item.len() as u16);
                    out.extend_from_slice(item);
                }
            }
            BtOp::InsertItem(offset, item) => {
                out.push(2);
                put_u16(&mut out, offset.0);
                put_u16(&mut out, item.len() as u16);
                out.extend_from_slice(item);
            }
            BtOp::SetOpaque(opaque) => {
                out.push(3);
                out.extend_from_slice(&opaque.encode());
            }
            BtOp::Meta(meta) => {
                out.push(4);
                put_u32(&mut out, meta.root.map_or(0, |b| b.0));
                put_u32(&mut out, meta.level);
                put_u32(&mut out, meta.fast_root.map_or(0, |b| b.0));
                put_u32(&mut out, meta.fast_level);
            }
        }
    }
    out
}

fn bad(what: &str) -> Error {
    pg_err!(DATA_CORRUPTED, "invalid btree WAL record: {}", what)
}

/// Decodes per-block record data.
///
/// Errors: `XX001` if the data is truncated or has an unknown tag.
pub fn decode_ops(mut data: &[u8]) -> Result<Vec<BtOp>> {
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
    let link = |v: u32| (v != 0).then_some(BlockNumber(v));
    let mut ops = Vec::new();
    while !data.is_empty() {
        let tag = take(&mut data, 1)?[0];
        ops.push(match tag {
            1 => {
                let opaque = BtOpaque::decode(take(&mut data, BT_SPECIAL_SIZE)?);
                let count = u16_(&mut data)?;
                let mut items = Vec::with_capacity(count as usize);
                for _ in 0..count {
                    let len = u16_(&mut data)? as usize;
                    items.push(take(&mut data, len)?.to_vec());
                }
                BtOp::Rebuild(opaque, items)
            }
            2 => {
                let offset = OffsetNumber(u16_(&mut data)?);
                let len = u16_(&mut data)? as usize;
                BtOp::InsertItem(offset, take(&mut data, len)?.to_vec())
            }
            3 => BtOp::SetOpaque(BtOpaque::decode(take(&mut data, BT_SPECIAL_SIZE)?)),
            4 => BtOp::Meta(BtMeta {
                root: link(u32_(&mut data)?),
                level: u32_(&mut data)?,
                fast_root: link(u32_(&mut data)?),
                fast_level: u32_(&mut data)?,
            }),
            other => return Err(bad(&format!("unknown operation tag {other}"))),
        });
    }
    Ok(ops)
}

/// Applies `ops` to `page` in order. The caller checked they apply (space, offsets): a
/// failure is a bug or a corrupt record and panics (buffer rule 3).
pub fn apply_ops(page: &mut Page, ops: &[BtOp]) {
    for op in ops {
        match op {
            BtOp::Rebuild(opaque, items) => {
                init_page(page, opaque);
                for (i, item) in items.iter().enumerate() {
                    let got = page
                        .add_item(item, ItemPlacement::Append)
                        .unwrap_or_else(|e| panic!("index item {} does not fit: {e:?}", i + 1));
                    debug_assert_eq!(got.0 as usize, i + 1);
                }
            }
            BtOp::InsertItem(offset, item) => {
                let got = page
                    .add_item(item, ItemPlacement::Shift(*offset))
                    .unwrap_or_else(|e| panic!("index item does not fit at {offset:?}: {e:?}"));
                debug_assert_eq!(got, *offset);
            }
            BtOp::SetOpaque(opaque) => set_opaque(page, opaque),
            BtOp::Meta(meta) => write_meta(page, meta),
        }
    }
}

/// The redo routine of resource manager BTREE (`btree_redo`).
///
/// Errors: `XX001` for undecodable block data.
pub fn btree_redo(ctx: &RedoContext<'_>, record: &DecodedRecord) -> Result<()> {
    for (index, block) in record.blocks.iter().enumerate() {
        let ops = decode_ops(&block.data)?;
        if let Some(mut page) = ctx.block(index) {
            apply_ops(&mut page, &ops);
        }
    }
    Ok(())
}

/// Registers [`btree_redo`] for [`RmgrId::BTREE`].
pub fn register_btree_redo(registry: &mut RedoRegistry) {
    registry.register(RmgrId::BTREE, btree_redo);
}

/// The name of a B-tree record kind, as `pg_waldump` prints it.
pub fn btree_record_name(info: u8) -> &'static str {
    match info & 0xF0 {
        XLOG_BTREE_INSERT_LEAF => "INSERT_LEAF",
        XLOG_BTREE_INSERT_UPPER => "INSERT_UPPER",
        XLOG_BTREE_INSERT_META => "INSERT_META",
        XLOG_BTREE_SPLIT_L => "SPLIT_L",
        XLOG_BTREE_SPLIT_R => "SPLIT_R",
        XLOG_BTREE_NEWROOT => "NEWROOT",
        XLOG_BTREE_VACUUM => "VACUUM",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_round_trip_and_damage_is_an_error() {
        let opaque = BtOpaque {
            prev: Some(BlockNumber(1)),
            next: Some(BlockNumber(4)),
            level: 0,
            flags: super::super::page::BTP_LEAF,
            cycle_id: 0,
        };
        let ops = vec![
            BtOp::Rebuild(opaque, vec![vec![1, 2, 3], vec![4; 9]]),
            BtOp::InsertItem(OffsetNumber(2), vec![7; 12]),
            BtOp::SetOpaque(opaque),
            BtOp::Meta(BtMeta {
                root: Some(BlockNumber(3)),
                level: 1,
                fast_root: Some(BlockNumber(3)),
                fast_level: 1,
            }),
        ];
        let bytes = encode_ops(&ops);
        assert_eq!(decode_ops(&bytes).expect("decode"), ops);
        for cut in 1..bytes.len() {
            let _ = decode_ops(&bytes[..cut]);
        }
        assert!(decode_ops(&[42]).is_err());
        assert_eq!(btree_record_name(XLOG_BTREE_SPLIT_R), "SPLIT_R");
    }
}
