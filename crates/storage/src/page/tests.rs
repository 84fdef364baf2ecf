use proptest::prelude::*;

use super::*;
use crate::golden::assert_golden;

fn heap_page() -> Page {
    let mut page = Page::new_zeroed();
    page.init(0);
    page
}

#[test]
fn init_sets_bounds_and_version() {
    let mut page = Page::new_zeroed();
    assert!(page.is_new());
    page.init(16);
    let h = page.header();
    assert_eq!((h.lower, h.upper, h.special), (24, 8176, 8176));
    assert_eq!(h.pagesize_version, 8196);
    assert_eq!(page.special().len(), 16);
    assert_eq!(page.free_space(), 8176 - 24 - 4);
    assert!(page.header_is_sane());
}

#[test]
fn line_pointer_bits_round_trip() {
    let lp = LinePointer {
        offset: 0x7FF8,
        flags: LpFlags::Dead,
        length: 0x1234,
    };
    let raw = lp.encode();
    assert_eq!(raw & 0x7FFF, 0x7FF8);
    assert_eq!((raw >> 15) & 3, 3);
    assert_eq!(raw >> 17, 0x1234);
    assert_eq!(LinePointer::decode(raw), lp);
}

#[test]
fn header_bytes_are_little_endian() {
    let mut page = heap_page();
    page.set_lsn(Lsn(0x0102_0304_0506_0708));
    page.set_prune_xid(Xid(0x0A0B_0C0D));
    let b = page.as_bytes();
    assert_eq!(&b[0..8], &[8, 7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(&b[12..14], &[24, 0]);
    assert_eq!(&b[14..16], &(8192u16).to_le_bytes());
    assert_eq!(&b[18..20], &(8196u16).to_le_bytes());
    assert_eq!(&b[20..24], &[0x0D, 0x0C, 0x0B, 0x0A]);
}

#[test]
fn add_fills_page_then_reports_no_space() {
    let mut page = heap_page();
    let item = [7u8; 100];
    let mut count = 0;
    while page.add_item(&item, ItemPlacement::Append).is_ok() {
        count += 1;
    }
    // Each item takes 104 aligned bytes plus a 4-byte line pointer: 8168 / 108 = 75.
    assert_eq!(count, 75);
    assert_eq!(
        page.add_item(&item, ItemPlacement::Append),
        Err(AddItemError::NoSpace)
    );
    assert!(page.free_space() < 104);
}

#[test]
fn overwrite_requires_unused_slot() {
    let mut page = heap_page();
    let a = page.add_item(b"a", ItemPlacement::Append).expect("fits");
    assert_eq!(
        page.add_item(b"b", ItemPlacement::Overwrite(a)),
        Err(AddItemError::InvalidOffset(a))
    );
    assert_eq!(
        page.add_item(b"b", ItemPlacement::Overwrite(OffsetNumber(3))),
        Err(AddItemError::InvalidOffset(OffsetNumber(3)))
    );
    let b = page
        .add_item(b"b", ItemPlacement::Overwrite(OffsetNumber(2)))
        .expect("one past the end");
    assert_eq!(page.item(b), Some(&b"b"[..]));
}

#[test]
fn verify_page_accepts_zero_and_checksummed_pages() {
    let zero = Page::new_zeroed();
    verify_page(zero.as_bytes(), 5, true, "base/1/2").expect("all-zero page is valid");
    let mut page = heap_page();
    page.add_item(b"payload", ItemPlacement::Append)
        .expect("fits");
    page.set_checksum(5);
    verify_page(page.as_bytes(), 5, true, "base/1/2").expect("checksum matches");
    let err = verify_page(page.as_bytes(), 6, true, "base/1/2").expect_err("wrong block");
    assert_eq!(err.code, SqlState::DATA_CORRUPTED);
    assert_eq!(err.message, "invalid page in block 6 of relation base/1/2");
    verify_page(page.as_bytes(), 6, false, "base/1/2").expect("checksums off");
    let mut bytes = *page.as_bytes();
    bytes[8000] ^= 0x40;
    assert!(verify_page(&bytes, 5, true, "base/1/2").is_err());
    let mut bad_header = *page.as_bytes();
    bad_header[14] = 10; // pd_upper below pd_lower
    bad_header[15] = 0;
    assert!(verify_page(&bad_header, 5, false, "base/1/2").is_err());
}

#[test]
fn golden_heap_page_dump() {
    let mut page = heap_page();
    let mut out = String::new();
    for text in ["alpha", "bravo", "charlie", "delta", "echo"] {
        let off = page
            .add_item(text.as_bytes(), ItemPlacement::FirstFree)
            .expect("fits");
        out += &format!("add {text:?} -> {}\n", off.0);
    }
    out += &page.dump();
    out += "mark_dead 2, mark_unused 4, mark_unused 5, mark_redirect 1 -> 3\n";
    page.mark_dead(OffsetNumber(2));
    page.mark_unused(OffsetNumber(4));
    page.mark_unused(OffsetNumber(5));
    page.mark_redirect(OffsetNumber(1), OffsetNumber(3));
    out += &page.dump();
    out += "repair_fragmentation\n";
    page.repair_fragmentation();
    out += &page.dump();
    page.add_item(b"foxtrot", ItemPlacement::FirstFree)
        .expect("fits");
    page.add_item(b"golf", ItemPlacement::FirstFree)
        .expect("fits");
    out += "add \"foxtrot\", add \"golf\"\n";
    page.set_lsn(Lsn(0x1_0000_0028));
    page.set_checksum(0);
    out += &page.dump();
    assert_golden("page_heap.txt", &out);
}

#[test]
fn golden_index_page_dump() {
    let mut page = Page::new_zeroed();
    page.init(16);
    page.special_mut()[..4].copy_from_slice(b"BTPO");
    let mut out = String::new();
    for (at, key) in [(1, "m"), (1, "c"), (3, "x"), (2, "f")] {
        page.add_item(key.as_bytes(), ItemPlacement::Shift(OffsetNumber(at)))
            .expect("fits");
        out += &format!("insert {key:?} at {at}\n");
    }
    out += &page.dump();
    out += "remove_item 2\n";
    page.remove_item(OffsetNumber(2));
    out += &page.dump();
    assert_golden("page_index.txt", &out);
}

/// Checks the layout invariants of an initialised page.
fn check_invariants(page: &Page) {
    let h = page.header();
    assert!(page.header_is_sane(), "{h:?}");
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for o in 1..=page.max_offset() {
        let lp = page.line_pointer(OffsetNumber(o)).expect("in range");
        if lp.flags == LpFlags::Normal {
            let start = lp.offset as usize;
            assert!(start >= h.upper as usize && start & (MAXALIGN - 1) == 0);
            assert!(start + lp.length as usize <= h.special as usize);
            spans.push((start, start + maxalign(lp.length as usize)));
        }
    }
    spans.sort();
    for pair in spans.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "items overlap: {pair:?}");
    }
}

#[derive(Clone, Debug)]
enum HeapOp {
    Add(usize, u8),
    Unused(usize),
    Dead(usize),
    Repair,
}

#[derive(Clone, Debug, PartialEq)]
enum Slot {
    Normal(Vec<u8>),
    Dead,
    Unused,
}

fn heap_op() -> impl Strategy<Value = HeapOp> {
    prop_oneof![
        4 => (1usize..600, any::<u8>()).prop_map(|(l, b)| HeapOp::Add(l, b)),
        2 => (0usize..64).prop_map(HeapOp::Unused),
        1 => (0usize..64).prop_map(HeapOp::Dead),
        1 => Just(HeapOp::Repair),
    ]
}

proptest! {
    #[test]
    fn heap_page_matches_model(ops in proptest::collection::vec(heap_op(), 1..120)) {
        let mut page = heap_page();
        let mut model: Vec<Slot> = Vec::new();
        for op in ops {
            match op {
                HeapOp::Add(len, byte) => {
                    let item = vec![byte; len];
                    let free_before = page.exact_free_space();
                    match page.add_item(&item, ItemPlacement::FirstFree) {
                        Ok(off) => {
                            let i = off.0 as usize - 1;
                            let first_unused = model.iter().position(|s| *s == Slot::Unused);
                            prop_assert_eq!(Some(i).filter(|&i| i < model.len()), first_unused);
                            if i == model.len() { model.push(Slot::Normal(item)); } else { model[i] = Slot::Normal(item); }
                        }
                        Err(AddItemError::NoSpace) => {
                            prop_assert!(free_before < maxalign(len) + LINE_POINTER_SIZE);
                        }
                        Err(e) => prop_assert!(false, "unexpected {:?}", e),
                    }
                }
                HeapOp::Unused(i) if i < model.len() => {
                    page.mark_unused(OffsetNumber(i as u16 + 1));
                    model[i] = Slot::Unused;
                }
                HeapOp::Dead(i) if i < model.len() => {
                    page.mark_dead(OffsetNumber(i as u16 + 1));
                    model[i] = Slot::Dead;
                }
                HeapOp::Repair => {
                    page.repair_fragmentation();
                    while model.last() == Some(&Slot::Unused) { model.pop(); }
                    let used: usize = model.iter().map(|s| match s { Slot::Normal(v) => maxalign(v.len()), _ => 0 }).sum();
                    prop_assert_eq!(page.header().upper as usize, PAGE_SIZE - used);
                    prop_assert_eq!(page.header().lower as usize, PAGE_HEADER_SIZE + 4 * model.len());
                }
                _ => {}
            }
            check_invariants(&page);
            prop_assert_eq!(page.max_offset() as usize, model.len());
            for (i, slot) in model.iter().enumerate() {
                let off = OffsetNumber(i as u16 + 1);
                let lp = page.line_pointer(off).expect("in range");
                match slot {
                    Slot::Normal(v) => prop_assert_eq!(page.item(off), Some(&v[..])),
                    Slot::Dead => prop_assert_eq!(lp.flags, LpFlags::Dead),
                    Slot::Unused => prop_assert_eq!(lp.flags, LpFlags::Unused),
                }
            }
        }
    }

    #[test]
    fn index_page_matches_model(ops in proptest::collection::vec((any::<bool>(), 0usize..200, 1usize..300, any::<u8>()), 1..150)) {
        let mut page = Page::new_zeroed();
        page.init(16);
        let mut model: Vec<Vec<u8>> = Vec::new();
        for (insert, pos, len, byte) in ops {
            if insert || model.is_empty() {
                let at = pos % (model.len() + 1);
                let item = vec![byte; len];
                match page.add_item(&item, ItemPlacement::Shift(OffsetNumber(at as u16 + 1))) {
                    Ok(off) => { prop_assert_eq!(off.0 as usize, at + 1); model.insert(at, item); }
                    Err(AddItemError::NoSpace) => {}
                    Err(e) => prop_assert!(false, "unexpected {:?}", e),
                }
            } else {
                let at = pos % model.len();
                page.remove_item(OffsetNumber(at as u16 + 1));
                model.remove(at);
            }
            check_invariants(&page);
            let used: usize = model.iter().map(|v| maxalign(v.len())).sum();
            prop_assert_eq!(page.header().upper as usize, PAGE_SIZE - 16 - used);
            prop_assert_eq!(page.max_offset() as usize, model.len());
            for (i, v) in model.iter().enumerate() {
                prop_assert_eq!(page.item(OffsetNumber(i as u16 + 1)), Some(&v[..]));
            }
        }
    }
}
