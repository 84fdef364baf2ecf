//! A text listing of a heap page's line pointers and tuple headers, in the spirit of
//! pageinspect's `heap_page_items` (for goldenscript tests and debugging).
//!
//! One line per line pointer: `lp`, flags, then for normal tuples `xmin`, `xmax`, `ctid`
//! and the set `t_infomask2`/`t_infomask` bits by PostgreSQL name.

use std::fmt::Write as _;

use tusk_storage::{LpFlags, Page};
use tusk_types::OffsetNumber;

use crate::tuple::*;

const INFOMASK_NAMES: &[(u16, &str)] = &[
    (HEAP_HASNULL, "HASNULL"),
    (HEAP_HASVARWIDTH, "HASVARWIDTH"),
    (HEAP_HASEXTERNAL, "HASEXTERNAL"),
    (HEAP_XMAX_KEYSHR_LOCK, "XMAX_KEYSHR_LOCK"),
    (HEAP_COMBOCID, "COMBOCID"),
    (HEAP_XMAX_EXCL_LOCK, "XMAX_EXCL_LOCK"),
    (HEAP_XMAX_LOCK_ONLY, "XMAX_LOCK_ONLY"),
    (HEAP_XMIN_COMMITTED, "XMIN_COMMITTED"),
    (HEAP_XMIN_INVALID, "XMIN_INVALID"),
    (HEAP_XMAX_COMMITTED, "XMAX_COMMITTED"),
    (HEAP_XMAX_INVALID, "XMAX_INVALID"),
    (HEAP_XMAX_IS_MULTI, "XMAX_IS_MULTI"),
    (HEAP_UPDATED, "UPDATED"),
];

const INFOMASK2_NAMES: &[(u16, &str)] = &[
    (HEAP_KEYS_UPDATED, "KEYS_UPDATED"),
    (HEAP_HOT_UPDATED, "HOT_UPDATED"),
    (HEAP_ONLY_TUPLE, "HEAP_ONLY"),
];

fn flag_names(bits: u16, names: &[(u16, &'static str)], out: &mut Vec<&'static str>) {
    for (bit, name) in names {
        if bits & bit != 0 {
            out.push(name);
        }
    }
}

/// Lists the header summary and every line pointer of `page`.
pub fn heap_page_items(page: &Page) -> String {
    let mut out = String::new();
    if page.is_new() {
        out.push_str("new page\n");
        return out;
    }
    let h = page.header();
    let _ = writeln!(
        out,
        "lower={} upper={} free={} prune_xid={} flags=0x{:x}",
        h.lower,
        h.upper,
        page.free_space(),
        h.prune_xid,
        h.flags
    );
    for o in 1..=page.max_offset() {
        let off = OffsetNumber(o);
        let lp = page.line_pointer(off).expect("within max");
        match lp.flags {
            LpFlags::Unused => {
                let _ = writeln!(out, "  lp {o}: UNUSED");
            }
            LpFlags::Dead => {
                let _ = writeln!(out, "  lp {o}: DEAD");
            }
            LpFlags::Redirect => {
                let _ = writeln!(out, "  lp {o}: REDIRECT -> {}", lp.offset);
            }
            LpFlags::Normal => {
                let item = page.item(off).expect("normal item");
                match HeapTupleRef::new(item) {
                    None => {
                        let _ = writeln!(out, "  lp {o}: NORMAL len={} (bad header)", lp.length);
                    }
                    Some(t) => {
                        let th = t.header();
                        let mut names = Vec::new();
                        flag_names(th.infomask2, INFOMASK2_NAMES, &mut names);
                        flag_names(th.infomask, INFOMASK_NAMES, &mut names);
                        let _ = writeln!(
                            out,
                            "  lp {o}: NORMAL off={} len={} xmin={} xmax={} ctid={} natts={} [{}]",
                            lp.offset,
                            lp.length,
                            th.xmin,
                            th.xmax,
                            th.ctid,
                            th.natts(),
                            names.join(" ")
                        );
                    }
                }
            }
        }
    }
    out
}
