//! B-tree pages: the special area (`BTPageOpaqueData`), the metapage, and item positions.
//!
//! ```text
//!  block 0: metapage          blocks 1..: index pages
//!  +----------------------+   +------------------------------------------------+
//!  | page header          |   | page header | lp1 lp2 ...                       |
//!  | BTMetaPageData       |   |          free space                             |
//!  | ...                  |   |   ... item2 | item1 (item1 = high key unless    |
//!  | opaque (BTP_META)    |   |   the page is rightmost on its level)           |
//!  +----------------------+   | opaque: prev | next | level | flags | cycle id   |
//!                             +------------------------------------------------+
//! ```
//!
//! Special area (16 bytes, little-endian): `btpo_prev` u32, `btpo_next` u32 (0 = none:
//! block 0 is the metapage, so no page links to it), `btpo_level` u32 (0 for leaves),
//! `btpo_flags` u16 ([`BTP_LEAF`], [`BTP_ROOT`], [`BTP_META`], ...), `btpo_cycleid` u16.
//!
//! Metapage contents at byte 24 (`BTMetaPageData`): magic u32 ([`BTREE_MAGIC`]), version
//! u32 ([`BTREE_VERSION`]), root u32, level u32, fastroot u32, fastlevel u32 (0 = no root:
//! an empty index); `pd_lower` points past them.
//!
//! Item positions (`P_HIKEY`, `P_FIRSTDATAKEY`): on a page with a right sibling the high
//! key is at offset 1 and data starts at 2; on the rightmost page of a level data starts
//! at offset 1. Every key on a page is strictly below its high key, and at or above the pivot that
//! leads to the page from its parent (Lehman and Yao's invariant, with unique keys).
//!
//! Entry points: [`BtOpaque`], [`BtMeta`], [`first_data_offset`], [`high_key`].

use tusk_storage::page::PAGE_HEADER_SIZE;
use tusk_storage::Page;
use tusk_types::{pg_err, BlockNumber, Error, OffsetNumber, Result};

use super::tuple::TupleRef;

/// Size of the special area (`sizeof(BTPageOpaqueData)`).
pub const BT_SPECIAL_SIZE: usize = 16;
/// `BTP_LEAF`: a leaf page.
pub const BTP_LEAF: u16 = 1 << 0;
/// `BTP_ROOT`: the root page (for a while also the old root after it splits, until the
/// split clears it in the same WAL record).
pub const BTP_ROOT: u16 = 1 << 1;
/// `BTP_DELETED`: unlinked from the tree (page deletion; not produced yet).
pub const BTP_DELETED: u16 = 1 << 2;
/// `BTP_META`: the metapage.
pub const BTP_META: u16 = 1 << 3;
/// `BTP_HALF_DEAD` (page deletion; not produced yet).
pub const BTP_HALF_DEAD: u16 = 1 << 4;
/// `BTP_SPLIT_END`: rightmost page of a split group (vacuum cycle ids; not used yet).
pub const BTP_SPLIT_END: u16 = 1 << 5;
/// `BTP_HAS_GARBAGE` (LP_DEAD items; not produced yet).
pub const BTP_HAS_GARBAGE: u16 = 1 << 6;
/// `BTP_INCOMPLETE_SPLIT`: never set by tusk, which logs a split together with its
/// downlink insertion (see `docs/design/btree.md`).
pub const BTP_INCOMPLETE_SPLIT: u16 = 1 << 7;

/// `BTREE_MAGIC`.
pub const BTREE_MAGIC: u32 = 0x053162;
/// `BTREE_VERSION`.
pub const BTREE_VERSION: u32 = 4;
/// The metapage's block (`BTREE_METAPAGE`).
pub const BTREE_METAPAGE: BlockNumber = BlockNumber(0);

/// `P_HIKEY`.
pub const P_HIKEY: OffsetNumber = OffsetNumber(1);

/// Largest leaf tuple (`BTMaxItemSize`): three must fit on a page with their line pointers,
/// the special area and room for the pivot that a split may make of one.
pub const BT_MAX_ITEM_SIZE: usize = 2704;

/// The special area of an index page (`BTPageOpaqueData`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct BtOpaque {
    /// Left sibling (`btpo_prev`).
    pub prev: Option<BlockNumber>,
    /// Right sibling (`btpo_next`): Lehman and Yao's right-link.
    pub next: Option<BlockNumber>,
    /// Tree level, 0 for leaves (`btpo_level`).
    pub level: u32,
    /// `BTP_*` bits.
    pub flags: u16,
    /// Vacuum cycle id (`btpo_cycleid`), 0 when unused.
    pub cycle_id: u16,
}

fn link(block: Option<BlockNumber>) -> u32 {
    block.map_or(0, |b| b.0)
}

fn unlink(raw: u32) -> Option<BlockNumber> {
    (raw != 0).then_some(BlockNumber(raw))
}

impl BtOpaque {
    /// Encodes into 16 bytes.
    pub fn encode(&self) -> [u8; BT_SPECIAL_SIZE] {
        let mut out = [0u8; BT_SPECIAL_SIZE];
        out[0..4].copy_from_slice(&link(self.prev).to_le_bytes());
        out[4..8].copy_from_slice(&link(self.next).to_le_bytes());
        out[8..12].copy_from_slice(&self.level.to_le_bytes());
        out[12..14].copy_from_slice(&self.flags.to_le_bytes());
        out[14..16].copy_from_slice(&self.cycle_id.to_le_bytes());
        out
    }

    /// Decodes 16 bytes.
    pub fn decode(b: &[u8]) -> BtOpaque {
        let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
        BtOpaque {
            prev: unlink(u32_at(0)),
            next: unlink(u32_at(4)),
            level: u32_at(8),
            flags: u16::from_le_bytes(b[12..14].try_into().expect("2 bytes")),
            cycle_id: u16::from_le_bytes(b[14..16].try_into().expect("2 bytes")),
        }
    }

    /// True for a leaf page (`P_ISLEAF`).
    pub fn is_leaf(&self) -> bool {
        self.flags & BTP_LEAF != 0
    }

    /// True for the rightmost page of its level (`P_RIGHTMOST`).
    pub fn is_rightmost(&self) -> bool {
        self.next.is_none()
    }

    /// True for the leftmost page of its level (`P_LEFTMOST`).
    pub fn is_leftmost(&self) -> bool {
        self.prev.is_none()
    }
}

/// The special area of `page`.
///
/// Errors: `XX002` if the page is new or its special area has the wrong size.
pub fn opaque(page: &Page) -> Result<BtOpaque> {
    let special = page.special();
    if page.is_new() || special.len() != BT_SPECIAL_SIZE {
        return Err(pg_err!(
            INDEX_CORRUPTED,
            "index page has no B-tree special area"
        ));
    }
    Ok(BtOpaque::decode(special))
}

/// Initialises `page` as an empty index page with `opaque` (`_bt_pageinit`).
pub fn init_page(page: &mut Page, opaque: &BtOpaque) {
    page.init(BT_SPECIAL_SIZE);
    page.special_mut().copy_from_slice(&opaque.encode());
}

/// Overwrites the special area.
pub fn set_opaque(page: &mut Page, opaque: &BtOpaque) {
    page.special_mut().copy_from_slice(&opaque.encode());
}

/// `P_FIRSTDATAKEY`: offset of the first data item.
pub fn first_data_offset(opaque: &BtOpaque) -> OffsetNumber {
    if opaque.is_rightmost() {
        OffsetNumber(1)
    } else {
        OffsetNumber(2)
    }
}

/// The item at `offset` as an index tuple.
///
/// Errors: `XX002` if there is no normal item there or it does not parse.
pub fn tuple_at(page: &Page, offset: OffsetNumber) -> Result<TupleRef<'_>> {
    let bytes = page.item(offset).ok_or_else(|| {
        pg_err!(
            INDEX_CORRUPTED,
            "index page has no item at offset {}",
            offset.0
        )
    })?;
    TupleRef::new(bytes)
}

/// The high key, `None` on the rightmost page of a level.
///
/// Errors: `XX002` for a damaged page.
pub fn high_key(page: &Page) -> Result<Option<TupleRef<'_>>> {
    if opaque(page)?.is_rightmost() {
        return Ok(None);
    }
    tuple_at(page, P_HIKEY).map(Some)
}

/// Every item of the page from `from` on, as raw bytes.
pub fn items_from(page: &Page, from: OffsetNumber) -> Vec<Vec<u8>> {
    (from.0..=page.max_offset())
        .filter_map(|o| page.item(OffsetNumber(o)).map(<[u8]>::to_vec))
        .collect()
}

/// The metapage's contents (`BTMetaPageData`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct BtMeta {
    /// The root page, `None` while the index is empty.
    pub root: Option<BlockNumber>,
    /// The root's level.
    pub level: u32,
    /// The "fast root" (lowest single-page level); equal to the root here.
    pub fast_root: Option<BlockNumber>,
    /// The fast root's level.
    pub fast_level: u32,
}

const META_SIZE: usize = 24;

/// Writes a fresh metapage into `page` (`_bt_initmetapage`).
pub fn write_meta(page: &mut Page, meta: &BtMeta) {
    init_page(
        page,
        &BtOpaque {
            flags: BTP_META,
            ..BtOpaque::default()
        },
    );
    let bytes = page.as_bytes_mut();
    let at = PAGE_HEADER_SIZE;
    for (i, v) in [
        BTREE_MAGIC,
        BTREE_VERSION,
        link(meta.root),
        meta.level,
        link(meta.fast_root),
        meta.fast_level,
    ]
    .into_iter()
    .enumerate()
    {
        bytes[at + 4 * i..at + 4 * i + 4].copy_from_slice(&v.to_le_bytes());
    }
    // pd_lower past the metadata, as PostgreSQL does so that full-page images keep it.
    let lower = (at + META_SIZE) as u16;
    bytes[12..14].copy_from_slice(&lower.to_le_bytes());
}

/// Reads the metapage.
///
/// Errors: `XX002` `index "%s" is not a btree` / `version mismatch in index "%s"`.
pub fn read_meta(page: &Page, index_name: &str) -> Result<BtMeta> {
    let not_btree =
        || -> Error { pg_err!(INDEX_CORRUPTED, "index \"{}\" is not a btree", index_name) };
    let o = opaque(page).map_err(|_| not_btree())?;
    let b = page.as_bytes();
    let u32_at = |i: usize| {
        let at = PAGE_HEADER_SIZE + 4 * i;
        u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
    };
    if o.flags & BTP_META == 0 || u32_at(0) != BTREE_MAGIC {
        return Err(not_btree());
    }
    if u32_at(1) != BTREE_VERSION {
        return Err(pg_err!(
            INDEX_CORRUPTED,
            "version mismatch in index \"{}\": file version {}, current version {}, minimal supported version {}",
            index_name,
            u32_at(1),
            BTREE_VERSION,
            BTREE_VERSION
        ));
    }
    Ok(BtMeta {
        root: unlink(u32_at(2)),
        level: u32_at(3),
        fast_root: unlink(u32_at(4)),
        fast_level: u32_at(5),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_and_meta_round_trip() {
        let o = BtOpaque {
            prev: Some(BlockNumber(3)),
            next: None,
            level: 2,
            flags: BTP_ROOT,
            cycle_id: 0,
        };
        assert_eq!(BtOpaque::decode(&o.encode()), o);
        let mut page = Page::new_zeroed();
        let meta = BtMeta {
            root: Some(BlockNumber(5)),
            level: 1,
            fast_root: Some(BlockNumber(5)),
            fast_level: 1,
        };
        write_meta(&mut page, &meta);
        assert!(page.header_is_sane());
        assert_eq!(read_meta(&page, "i").expect("meta"), meta);
        let mut leaf = Page::new_zeroed();
        init_page(&mut leaf, &o);
        assert_eq!(opaque(&leaf).expect("opaque"), o);
        let err = read_meta(&leaf, "i").expect_err("not a metapage");
        assert_eq!(err.message, "index \"i\" is not a btree");
    }
}
