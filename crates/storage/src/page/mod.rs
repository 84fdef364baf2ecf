//! The 8192-byte slotted page shared by every relation kind (PostgreSQL's `bufpage.h`).
//!
//! ```text
//!  0        8    10    12      14      16        18         20          24
//!  +--------+----+-----+-------+-------+---------+----------+-----------+
//!  | pd_lsn |csum|flags|pd_lower|pd_upper|pd_special|size+vers|pd_prune_xid|  page header
//!  +--------+----+-----+-------+-------+---------+----------+-----------+
//!  | line pointer 1 | line pointer 2 | ... -> (grows up to pd_lower)      |
//!  |                        free space                                   |
//!  |         (grows down from pd_upper) <- ... | item 2 | item 1          |
//!  |                                    special space (index AMs)        |  pd_special..8192
//!  +---------------------------------------------------------------------+
//! ```
//!
//! | bytes  | field                | encoding                                           |
//! |--------|----------------------|----------------------------------------------------|
//! | 0..8   | `pd_lsn`             | u64 LE: end LSN of the last WAL record for the page |
//! | 8..10  | `pd_checksum`        | u16 LE: [`checksum::page_checksum`], 0 if off      |
//! | 10..12 | `pd_flags`           | u16 LE: [`PD_HAS_FREE_LINES`], [`PD_PAGE_FULL`], [`PD_ALL_VISIBLE`] |
//! | 12..14 | `pd_lower`           | u16 LE: end of the line pointer array              |
//! | 14..16 | `pd_upper`           | u16 LE: start of item storage                      |
//! | 16..18 | `pd_special`         | u16 LE: start of special space                     |
//! | 18..20 | `pd_pagesize_version`| u16 LE: `8192 | 4`                                 |
//! | 20..24 | `pd_prune_xid`       | u32 LE: oldest prunable xmax, 0 if none            |
//! | 24..   | line pointers        | u32 LE each: `lp_off` bits 0..15, `lp_flags` bits 15..17, `lp_len` bits 17..32 |
//!
//! Invariants of an initialised page: `24 <= pd_lower <= pd_upper <= pd_special <= 8192`,
//! `pd_special` is 8-byte aligned, items start 8-byte aligned, and a NORMAL line pointer's
//! `[lp_off, lp_off + lp_len)` lies within `[pd_upper, pd_special)`. A page whose `pd_upper` is
//! 0 is *new* (all zeroes, never initialised): valid on disk, but it must be initialised with
//! [`Page::init`] before use.
//!
//! Entry points: [`Page::init`], [`Page::add_item`], [`Page::item`], [`Page::remove_item`],
//! [`Page::mark_unused`] / [`Page::mark_dead`] / [`Page::mark_redirect`],
//! [`Page::repair_fragmentation`], [`Page::free_space`], [`verify_page`] and
//! [`Page::set_checksum`]. See also `docs/design/page.md` and PostgreSQL docs §73.6
//! "Database Page Layout".

pub mod checksum;
mod dump;

use tusk_types::{Error, Lsn, OffsetNumber, SqlState, Xid};

pub use checksum::page_checksum;

/// Size of every page in bytes (`BLCKSZ`).
pub const PAGE_SIZE: usize = 8192;
/// Size of the page header in bytes (`SizeOfPageHeaderData`).
pub const PAGE_HEADER_SIZE: usize = 24;
/// Size of one line pointer in bytes (`sizeof(ItemIdData)`).
pub const LINE_POINTER_SIZE: usize = 4;
/// Page layout version stored in the low byte of `pd_pagesize_version`.
pub const PAGE_LAYOUT_VERSION: u16 = 4;
/// Alignment of items and special space in bytes (`MAXIMUM_ALIGNOF`).
pub const MAXALIGN: usize = 8;
/// Largest possible line pointer number on a page (`MaxOffsetNumber`).
pub const MAX_OFFSET_NUMBER: u16 = (PAGE_SIZE / LINE_POINTER_SIZE) as u16;
/// Largest item that fits in a page without special space, in bytes.
pub const MAX_ITEM_SIZE: usize = PAGE_SIZE - PAGE_HEADER_SIZE - LINE_POINTER_SIZE;

/// `pd_flags`: there are (or may be) unused line pointers before `pd_lower`.
pub const PD_HAS_FREE_LINES: u16 = 0x0001;
/// `pd_flags`: not enough free space for a new tuple (a hint for pruning).
pub const PD_PAGE_FULL: u16 = 0x0002;
/// `pd_flags`: all tuples on the page are visible to everyone.
pub const PD_ALL_VISIBLE: u16 = 0x0004;
/// Every flag bit a valid page may carry.
pub const PD_VALID_FLAG_BITS: u16 = 0x0007;

/// Rounds `len` up to [`MAXALIGN`].
pub const fn maxalign(len: usize) -> usize {
    (len + MAXALIGN - 1) & !(MAXALIGN - 1)
}

/// State of a line pointer (`lp_flags`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LpFlags {
    /// `LP_UNUSED`: free for reuse; `lp_len` is 0.
    Unused = 0,
    /// `LP_NORMAL`: points at an item of `lp_len` bytes.
    Normal = 1,
    /// `LP_REDIRECT`: HOT redirect; `lp_off` holds the target line pointer number.
    Redirect = 2,
    /// `LP_DEAD`: dead, may or may not still have storage.
    Dead = 3,
}

/// One decoded line pointer (`ItemIdData`): 15-bit offset, 2-bit state, 15-bit length.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LinePointer {
    /// Byte offset of the item from the start of the page (or redirect target).
    pub offset: u16,
    /// The state.
    pub flags: LpFlags,
    /// Item length in bytes (0 for unused/redirect; dead items may keep storage).
    pub length: u16,
}

impl LinePointer {
    /// A free slot.
    pub const UNUSED: LinePointer = LinePointer {
        offset: 0,
        flags: LpFlags::Unused,
        length: 0,
    };

    /// Decodes the 32-bit on-page form.
    pub fn decode(raw: u32) -> LinePointer {
        let flags = match (raw >> 15) & 0x3 {
            0 => LpFlags::Unused,
            1 => LpFlags::Normal,
            2 => LpFlags::Redirect,
            _ => LpFlags::Dead,
        };
        LinePointer {
            offset: (raw & 0x7FFF) as u16,
            flags,
            length: (raw >> 17) as u16,
        }
    }

    /// Encodes to the 32-bit on-page form.
    pub fn encode(self) -> u32 {
        debug_assert!(self.offset < 0x8000 && self.length < 0x8000);
        (self.offset as u32) | ((self.flags as u32) << 15) | ((self.length as u32) << 17)
    }

    /// True unless the slot is `LP_UNUSED`.
    pub fn is_used(self) -> bool {
        self.flags != LpFlags::Unused
    }

    /// True if the slot owns bytes in the item area.
    pub fn has_storage(self) -> bool {
        self.length != 0
    }
}

/// The decoded page header (`PageHeaderData`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PageHeader {
    /// End LSN of the last WAL record that changed the page.
    pub lsn: Lsn,
    /// Stored checksum (0 when data checksums are off).
    pub checksum: u16,
    /// `PD_*` flag bits.
    pub flags: u16,
    /// Offset of the end of the line pointer array.
    pub lower: u16,
    /// Offset of the start of item storage.
    pub upper: u16,
    /// Offset of the start of special space.
    pub special: u16,
    /// Page size (high bits) and layout version (low byte).
    pub pagesize_version: u16,
    /// Oldest xmax that may be prunable, `Xid::INVALID` if none.
    pub prune_xid: Xid,
}

impl PageHeader {
    /// Decodes the first [`PAGE_HEADER_SIZE`] bytes of `bytes`.
    pub fn decode(bytes: &[u8; PAGE_SIZE]) -> PageHeader {
        PageHeader {
            lsn: Lsn(read_u64(bytes, 0)),
            checksum: read_u16(bytes, 8),
            flags: read_u16(bytes, 10),
            lower: read_u16(bytes, 12),
            upper: read_u16(bytes, 14),
            special: read_u16(bytes, 16),
            pagesize_version: read_u16(bytes, 18),
            prune_xid: Xid(read_u32(bytes, 20)),
        }
    }

    /// Encodes into the first [`PAGE_HEADER_SIZE`] bytes of `bytes`.
    pub fn encode(&self, bytes: &mut [u8; PAGE_SIZE]) {
        bytes[0..8].copy_from_slice(&self.lsn.0.to_le_bytes());
        bytes[8..10].copy_from_slice(&self.checksum.to_le_bytes());
        bytes[10..12].copy_from_slice(&self.flags.to_le_bytes());
        bytes[12..14].copy_from_slice(&self.lower.to_le_bytes());
        bytes[14..16].copy_from_slice(&self.upper.to_le_bytes());
        bytes[16..18].copy_from_slice(&self.special.to_le_bytes());
        bytes[18..20].copy_from_slice(&self.pagesize_version.to_le_bytes());
        bytes[20..24].copy_from_slice(&self.prune_xid.0.to_le_bytes());
    }
}

fn read_u16(b: &[u8; PAGE_SIZE], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn read_u32(b: &[u8; PAGE_SIZE], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn read_u64(b: &[u8; PAGE_SIZE], at: usize) -> u64 {
    let mut raw = [0u8; 8];
    raw.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(raw)
}

fn write_u16(b: &mut [u8; PAGE_SIZE], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

/// Where [`Page::add_item`] puts the new line pointer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ItemPlacement {
    /// Reuse the first unused line pointer if the page has any, else append (heap pages).
    FirstFree,
    /// Always append a new line pointer after the last one.
    Append,
    /// Insert at this offset, shifting later line pointers up by one (index pages).
    /// The offset may be one past the last to append.
    Shift(OffsetNumber),
    /// Use this existing unused line pointer (or the one just past the last), as redo does
    /// to put an item back at the offset it had (`PAI_OVERWRITE`).
    Overwrite(OffsetNumber),
}

/// Why [`Page::add_item`] could not add an item.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AddItemError {
    /// Not enough free space between `pd_lower` and `pd_upper`.
    NoSpace,
    /// The requested offset is out of range, or is in use for [`ItemPlacement::Overwrite`].
    InvalidOffset(OffsetNumber),
    /// The item is larger than [`MAX_ITEM_SIZE`] or empty.
    BadSize(usize),
}

/// One 8192-byte page. Owned storage; the buffer pool keeps one per frame, and guards deref
/// to it. All field access is explicit little-endian encoding (no transmutes).
#[derive(Clone, PartialEq, Eq)]
pub struct Page {
    bytes: [u8; PAGE_SIZE],
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("header", &self.header())
            .finish_non_exhaustive()
    }
}

impl Default for Page {
    fn default() -> Page {
        Page::new_zeroed()
    }
}

impl Page {
    /// An all-zero (new, uninitialised) page.
    pub fn new_zeroed() -> Page {
        Page {
            bytes: [0u8; PAGE_SIZE],
        }
    }

    /// A page holding a copy of `bytes`.
    pub fn from_bytes(bytes: &[u8; PAGE_SIZE]) -> Page {
        Page { bytes: *bytes }
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; PAGE_SIZE] {
        &self.bytes
    }

    /// The raw bytes, mutable. Callers that change bytes directly keep the layout invariants.
    pub fn as_bytes_mut(&mut self) -> &mut [u8; PAGE_SIZE] {
        &mut self.bytes
    }

    /// Initialises an empty page with `special_size` bytes (rounded up to [`MAXALIGN`]) of
    /// special space (`PageInit`). Everything else is zeroed.
    pub fn init(&mut self, special_size: usize) {
        let special_size = maxalign(special_size);
        assert!(
            special_size <= PAGE_SIZE - PAGE_HEADER_SIZE,
            "special space of {special_size} bytes does not fit in a page"
        );
        self.bytes = [0u8; PAGE_SIZE];
        let header = PageHeader {
            lsn: Lsn::INVALID,
            checksum: 0,
            flags: 0,
            lower: PAGE_HEADER_SIZE as u16,
            upper: (PAGE_SIZE - special_size) as u16,
            special: (PAGE_SIZE - special_size) as u16,
            pagesize_version: PAGE_SIZE as u16 | PAGE_LAYOUT_VERSION,
            prune_xid: Xid::INVALID,
        };
        header.encode(&mut self.bytes);
    }

    /// The decoded header.
    pub fn header(&self) -> PageHeader {
        PageHeader::decode(&self.bytes)
    }

    /// True if the page was never initialised (`PageIsNew`: `pd_upper == 0`).
    pub fn is_new(&self) -> bool {
        read_u16(&self.bytes, 14) == 0
    }

    /// The page LSN (`PageGetLSN`).
    pub fn lsn(&self) -> Lsn {
        Lsn(read_u64(&self.bytes, 0))
    }

    /// Sets the page LSN (`PageSetLSN`). Buffer-pool pages set it through
    /// `PageWriteGuard::mark_dirty`, which also marks the buffer dirty.
    pub fn set_lsn(&mut self, lsn: Lsn) {
        self.bytes[0..8].copy_from_slice(&lsn.0.to_le_bytes());
    }

    /// The `pd_flags` bits.
    pub fn flags(&self) -> u16 {
        read_u16(&self.bytes, 10)
    }

    /// Sets the `pd_flags` bits given in `bits`.
    pub fn set_flags(&mut self, bits: u16) {
        let flags = self.flags() | bits;
        write_u16(&mut self.bytes, 10, flags);
    }

    /// Clears the `pd_flags` bits given in `bits`.
    pub fn clear_flags(&mut self, bits: u16) {
        let flags = self.flags() & !bits;
        write_u16(&mut self.bytes, 10, flags);
    }

    /// `pd_prune_xid`.
    pub fn prune_xid(&self) -> Xid {
        Xid(read_u32(&self.bytes, 20))
    }

    /// Sets `pd_prune_xid`.
    pub fn set_prune_xid(&mut self, xid: Xid) {
        self.bytes[20..24].copy_from_slice(&xid.0.to_le_bytes());
    }

    fn lower(&self) -> usize {
        read_u16(&self.bytes, 12) as usize
    }

    fn upper(&self) -> usize {
        read_u16(&self.bytes, 14) as usize
    }

    fn special_offset(&self) -> usize {
        read_u16(&self.bytes, 16) as usize
    }

    fn set_lower(&mut self, v: usize) {
        write_u16(&mut self.bytes, 12, v as u16);
    }

    fn set_upper(&mut self, v: usize) {
        write_u16(&mut self.bytes, 14, v as u16);
    }

    /// Number of line pointers (`PageGetMaxOffsetNumber`); 0 for a new page.
    pub fn max_offset(&self) -> u16 {
        let lower = self.lower();
        if lower <= PAGE_HEADER_SIZE {
            0
        } else {
            ((lower - PAGE_HEADER_SIZE) / LINE_POINTER_SIZE) as u16
        }
    }

    fn lp_pos(off: OffsetNumber) -> usize {
        PAGE_HEADER_SIZE + (off.0 as usize - 1) * LINE_POINTER_SIZE
    }

    /// The line pointer at `off` (1-based), or `None` past the last one.
    pub fn line_pointer(&self, off: OffsetNumber) -> Option<LinePointer> {
        if off.0 == 0 || off.0 > self.max_offset() {
            return None;
        }
        Some(LinePointer::decode(read_u32(
            &self.bytes,
            Self::lp_pos(off),
        )))
    }

    fn set_line_pointer(&mut self, off: OffsetNumber, lp: LinePointer) {
        let at = Self::lp_pos(off);
        self.bytes[at..at + 4].copy_from_slice(&lp.encode().to_le_bytes());
    }

    /// The bytes of the item at `off` if its line pointer is `LP_NORMAL` (`PageGetItem`).
    pub fn item(&self, off: OffsetNumber) -> Option<&[u8]> {
        let lp = self.line_pointer(off)?;
        if lp.flags != LpFlags::Normal {
            return None;
        }
        let start = lp.offset as usize;
        Some(&self.bytes[start..start + lp.length as usize])
    }

    /// The item at `off`, mutable in place (same length), if `LP_NORMAL`.
    pub fn item_mut(&mut self, off: OffsetNumber) -> Option<&mut [u8]> {
        let lp = self.line_pointer(off)?;
        if lp.flags != LpFlags::Normal {
            return None;
        }
        let start = lp.offset as usize;
        Some(&mut self.bytes[start..start + lp.length as usize])
    }

    /// The special space (`PageGetSpecialPointer`), empty if the page has none.
    pub fn special(&self) -> &[u8] {
        &self.bytes[self.special_offset()..]
    }

    /// The special space, mutable.
    pub fn special_mut(&mut self) -> &mut [u8] {
        let at = self.special_offset();
        &mut self.bytes[at..]
    }

    /// Bytes between `pd_lower` and `pd_upper` (`PageGetExactFreeSpace`).
    pub fn exact_free_space(&self) -> usize {
        self.upper().saturating_sub(self.lower())
    }

    /// Free space for one more item, allowing for its new line pointer
    /// (`PageGetFreeSpace`): `pd_upper - pd_lower - 4`, or 0.
    pub fn free_space(&self) -> usize {
        self.exact_free_space().saturating_sub(LINE_POINTER_SIZE)
    }

    /// Adds `item` (stored 8-byte aligned) and returns its line pointer number
    /// (`PageAddItemExtended`). On error the page is unchanged.
    pub fn add_item(
        &mut self,
        item: &[u8],
        placement: ItemPlacement,
    ) -> Result<OffsetNumber, AddItemError> {
        assert!(!self.is_new(), "add_item on an uninitialised page");
        if item.is_empty() || item.len() > MAX_ITEM_SIZE {
            return Err(AddItemError::BadSize(item.len()));
        }
        let max = self.max_offset();
        let (off, new_lp) = match placement {
            ItemPlacement::Append => (OffsetNumber(max + 1), true),
            ItemPlacement::FirstFree => {
                let free = if self.flags() & PD_HAS_FREE_LINES != 0 {
                    (1..=max)
                        .map(OffsetNumber)
                        .find(|&o| self.line_pointer(o).is_some_and(|lp| !lp.is_used()))
                } else {
                    None
                };
                match free {
                    Some(o) => (o, false),
                    None => {
                        self.clear_flags(PD_HAS_FREE_LINES);
                        (OffsetNumber(max + 1), true)
                    }
                }
            }
            ItemPlacement::Shift(o) => {
                if o.0 == 0 || o.0 > max + 1 {
                    return Err(AddItemError::InvalidOffset(o));
                }
                (o, true)
            }
            ItemPlacement::Overwrite(o) => {
                if o.0 == 0 || o.0 > max + 1 {
                    return Err(AddItemError::InvalidOffset(o));
                }
                if o.0 <= max {
                    let lp = self.line_pointer(o).expect("offset checked above");
                    if lp.is_used() || lp.has_storage() {
                        return Err(AddItemError::InvalidOffset(o));
                    }
                    (o, false)
                } else {
                    (o, true)
                }
            }
        };
        if new_lp && max >= MAX_OFFSET_NUMBER {
            return Err(AddItemError::NoSpace);
        }
        let lower = self.lower() + if new_lp { LINE_POINTER_SIZE } else { 0 };
        let aligned = maxalign(item.len());
        let upper = self.upper();
        if lower > upper || upper - lower < aligned {
            return Err(AddItemError::NoSpace);
        }
        let upper = upper - aligned;
        if let ItemPlacement::Shift(o) = placement {
            if o.0 <= max {
                let from = Self::lp_pos(o);
                let to = Self::lp_pos(OffsetNumber(max + 1));
                self.bytes.copy_within(from..to, from + LINE_POINTER_SIZE);
            }
        }
        self.bytes[upper..upper + item.len()].copy_from_slice(item);
        self.bytes[upper + item.len()..upper + aligned].fill(0);
        self.set_line_pointer(
            off,
            LinePointer {
                offset: upper as u16,
                flags: LpFlags::Normal,
                length: item.len() as u16,
            },
        );
        self.set_lower(lower);
        self.set_upper(upper);
        Ok(off)
    }

    /// Removes the item at `off` and its line pointer, shifting later line pointers down and
    /// closing the gap in item storage (`PageIndexTupleDelete`; index pages). Panics if `off`
    /// is out of range: callers hold an exclusive lock and know the page's contents.
    pub fn remove_item(&mut self, off: OffsetNumber) {
        let max = self.max_offset();
        let lp = self
            .line_pointer(off)
            .expect("remove_item: offset past the last line pointer");
        self.release_storage(lp);
        let from = Self::lp_pos(OffsetNumber(off.0 + 1));
        let end = Self::lp_pos(OffsetNumber(max + 1));
        self.bytes.copy_within(from..end, from - LINE_POINTER_SIZE);
        self.bytes[end - LINE_POINTER_SIZE..end].fill(0);
        self.set_lower(self.lower() - LINE_POINTER_SIZE);
    }

    /// Frees the item storage of `lp` by sliding the items below it up (keeps line pointers).
    fn release_storage(&mut self, lp: LinePointer) {
        if !lp.has_storage() || lp.flags == LpFlags::Redirect {
            return;
        }
        let size = maxalign(lp.length as usize);
        let start = lp.offset as usize;
        let upper = self.upper();
        assert!(
            start >= upper && start + size <= self.special_offset(),
            "corrupted line pointer: offset {start}, length {}",
            lp.length
        );
        self.bytes.copy_within(upper..start, upper + size);
        self.bytes[upper..upper + size].fill(0);
        for o in 1..=self.max_offset() {
            let o = OffsetNumber(o);
            let mut other = self.line_pointer(o).expect("within max_offset");
            if other.has_storage()
                && other.flags != LpFlags::Redirect
                && (other.offset as usize) < start
            {
                other.offset += size as u16;
                self.set_line_pointer(o, other);
            }
        }
        self.set_upper(upper + size);
    }

    /// Marks `off` unused, keeping its storage until [`Page::repair_fragmentation`]
    /// (`ItemIdSetUnused`). Sets [`PD_HAS_FREE_LINES`].
    pub fn mark_unused(&mut self, off: OffsetNumber) {
        let lp = self
            .line_pointer(off)
            .expect("mark_unused: offset in range");
        self.set_line_pointer(
            off,
            LinePointer {
                flags: LpFlags::Unused,
                ..lp
            },
        );
        self.set_flags(PD_HAS_FREE_LINES);
    }

    /// Marks `off` dead without storage (`ItemIdSetDead`); the bytes are reclaimed by
    /// [`Page::repair_fragmentation`].
    pub fn mark_dead(&mut self, off: OffsetNumber) {
        self.line_pointer(off).expect("mark_dead: offset in range");
        self.set_line_pointer(
            off,
            LinePointer {
                offset: 0,
                flags: LpFlags::Dead,
                length: 0,
            },
        );
    }

    /// Marks `off` dead but keeps its storage (`ItemIdMarkDead`, index kill bits).
    pub fn mark_dead_keep_storage(&mut self, off: OffsetNumber) {
        let lp = self.line_pointer(off).expect("mark_dead: offset in range");
        self.set_line_pointer(
            off,
            LinePointer {
                flags: LpFlags::Dead,
                ..lp
            },
        );
    }

    /// Turns `off` into a HOT redirect to `target` (`ItemIdSetRedirect`).
    pub fn mark_redirect(&mut self, off: OffsetNumber, target: OffsetNumber) {
        self.line_pointer(off)
            .expect("mark_redirect: offset in range");
        self.set_line_pointer(
            off,
            LinePointer {
                offset: target.0,
                flags: LpFlags::Redirect,
                length: 0,
            },
        );
    }

    /// Compacts item storage so all free space is one gap between `pd_lower` and `pd_upper`
    /// (`PageRepairFragmentation`). Storage of non-NORMAL line pointers is dropped, trailing
    /// unused line pointers are truncated, and [`PD_HAS_FREE_LINES`] is set exactly when
    /// unused line pointers remain. Line pointer numbers of NORMAL, DEAD and REDIRECT items
    /// do not change.
    pub fn repair_fragmentation(&mut self) {
        let special = self.special_offset();
        let mut max = self.max_offset();
        let mut live: Vec<(u16, LinePointer)> = Vec::new();
        for o in 1..=max {
            let lp = self.line_pointer(OffsetNumber(o)).expect("within max");
            match lp.flags {
                LpFlags::Normal => live.push((o, lp)),
                LpFlags::Unused => self.set_line_pointer(OffsetNumber(o), LinePointer::UNUSED),
                LpFlags::Dead => self.set_line_pointer(
                    OffsetNumber(o),
                    LinePointer {
                        offset: 0,
                        flags: LpFlags::Dead,
                        length: 0,
                    },
                ),
                LpFlags::Redirect => {}
            }
        }
        // Move items, highest offset first, towards the special space.
        live.sort_by_key(|entry| std::cmp::Reverse(entry.1.offset));
        let mut upper = special;
        for (o, mut lp) in live {
            let size = maxalign(lp.length as usize);
            upper -= size;
            let from = lp.offset as usize;
            debug_assert!(from <= upper, "items only move towards the special space");
            self.bytes.copy_within(from..from + size, upper);
            lp.offset = upper as u16;
            self.set_line_pointer(OffsetNumber(o), lp);
        }
        while max > 0
            && !self
                .line_pointer(OffsetNumber(max))
                .expect("within max")
                .is_used()
        {
            max -= 1;
        }
        let lower = PAGE_HEADER_SIZE + max as usize * LINE_POINTER_SIZE;
        self.bytes[lower..upper].fill(0);
        self.set_lower(lower);
        self.set_upper(upper);
        let has_free = (1..=max).any(|o| {
            !self
                .line_pointer(OffsetNumber(o))
                .expect("within max")
                .is_used()
        });
        if has_free {
            self.set_flags(PD_HAS_FREE_LINES);
        } else {
            self.clear_flags(PD_HAS_FREE_LINES);
        }
    }

    /// Computes and stores the checksum for block `block` (`PageSetChecksumInplace`).
    /// New (all-zero) pages keep checksum 0.
    pub fn set_checksum(&mut self, block: u32) {
        if self.is_new() {
            return;
        }
        let sum = page_checksum(&self.bytes, block);
        write_u16(&mut self.bytes, 8, sum);
    }

    /// True if the header passes PostgreSQL's sanity checks (`PageIsVerifiedExtended`):
    /// only known flag bits and `24 <= lower <= upper <= special <= 8192`, `special` aligned.
    pub fn header_is_sane(&self) -> bool {
        let h = self.header();
        h.flags & !PD_VALID_FLAG_BITS == 0
            && h.lower as usize >= PAGE_HEADER_SIZE
            && h.lower <= h.upper
            && h.upper <= h.special
            && h.special as usize <= PAGE_SIZE
            && h.special as usize == maxalign(h.special as usize)
    }

    /// A human-readable dump of header, line pointers and items, for tests and debugging.
    pub fn dump(&self) -> String {
        dump::dump(self)
    }
}

/// Checks a page just read from disk for block `block` of the relation whose path is
/// `relpath` (`PageIsVerifiedExtended`). An all-zero page is valid. Otherwise the header must
/// be sane and, when `data_checksums` is on, the stored checksum must match.
///
/// Errors: `XX001` data_corrupted `invalid page in block %u of relation %s`.
pub fn verify_page(
    page: &[u8; PAGE_SIZE],
    block: u32,
    data_checksums: bool,
    relpath: &str,
) -> Result<(), Error> {
    let header = PageHeader::decode(page);
    let ok = if header.upper == 0 {
        page.iter().all(|&b| b == 0)
    } else {
        let view = Page::from_bytes(page);
        view.header_is_sane() && (!data_checksums || page_checksum(page, block) == header.checksum)
    };
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            SqlState::DATA_CORRUPTED,
            format!("invalid page in block {block} of relation {relpath}"),
        ))
    }
}

#[cfg(test)]
mod tests;
