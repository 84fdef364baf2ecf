//! A text listing of a B-tree, level by level, in the spirit of pageinspect's
//! `bt_metap`, `bt_page_stats` and `bt_page_items` (for goldenscript tests and debugging).
//!
//! ```text
//! meta: root 3 level 1
//! block 3 level 1 ROOT prev - next -
//!   1 -inf -> 1
//!   2 (7, 'xxxxxxxx..900') (0,8) -> 2
//! block 1 level 0 LEAF prev - next 2
//!   1 high (7, 'xxxxxxxx..900') (0,8)
//!   2 (1, 'xxxxxxxx..900') (0,2)
//! ```
//!
//! Text values longer than 8 bytes print their first 8 bytes and their length.
//!
//! Entry point: [`BTreeIndex::dump`].

use std::fmt::Write as _;

use tusk_types::{BlockNumber, Datum, OffsetNumber, Result};

use super::page::{first_data_offset, opaque, tuple_at, BTP_LEAF, BTP_META, BTP_ROOT};
use super::tuple::decode_key;
use super::BTreeIndex;

fn value_text(d: &Datum) -> String {
    match d {
        Datum::Null => "NULL".into(),
        Datum::Text(s) if s.len() > 8 => format!("'{}..{}'", &s[..8], s.len()),
        Datum::Text(s) => format!("'{s}'"),
        Datum::Int2(v) => v.to_string(),
        Datum::Int4(v) => v.to_string(),
        Datum::Int8(v) => v.to_string(),
        Datum::Bool(v) => v.to_string(),
        Datum::Oid(v) => v.to_string(),
        other => format!("{other:?}"),
    }
}

impl BTreeIndex {
    /// Lists the metapage and every page reachable from the root, top level first, each
    /// level left to right along the right-links.
    ///
    /// Errors: `XX002` for damaged pages; I/O errors.
    pub fn dump(&self) -> Result<String> {
        let meta = self.meta()?;
        let mut out = String::new();
        let Some(root) = meta.root else {
            out.push_str("meta: empty\n");
            return Ok(out);
        };
        writeln!(out, "meta: root {} level {}", root.0, meta.level).expect("write to String");
        let link = |b: Option<BlockNumber>| b.map_or("-".to_string(), |b| b.0.to_string());
        let mut level_start = Some(root);
        while let Some(start) = level_start.take() {
            let mut block = Some(start);
            while let Some(b) = block {
                let pin = self.read(b)?;
                let page = pin.lock_shared();
                let o = opaque(&page)?;
                let mut flags = Vec::new();
                for (bit, name) in [(BTP_LEAF, "LEAF"), (BTP_ROOT, "ROOT"), (BTP_META, "META")] {
                    if o.flags & bit != 0 {
                        flags.push(name);
                    }
                }
                writeln!(
                    out,
                    "block {} level {} {} prev {} next {}",
                    b.0,
                    o.level,
                    flags.join(" "),
                    link(o.prev),
                    link(o.next)
                )
                .expect("write to String");
                let first = first_data_offset(&o);
                for off in 1..=page.max_offset() {
                    let t = tuple_at(&page, OffsetNumber(off))?;
                    let mut line = format!("  {off} ");
                    if off < first.0 {
                        line.push_str("high ");
                    }
                    if t.is_minus_infinity() {
                        line.push_str("-inf");
                    } else {
                        let key = decode_key(&self.desc.columns, t)?;
                        let values: Vec<String> = key.iter().map(value_text).collect();
                        let tid = t.heap_tid().expect("a keyed tuple has a heap TID");
                        write!(line, "({}) {}", values.join(", "), tid).expect("write to String");
                    }
                    if let Some(child) = t.downlink() {
                        write!(line, " -> {}", child.0).expect("write to String");
                    }
                    out.push_str(&line);
                    out.push('\n');
                    if off == first.0 && block == Some(start) && !o.is_leaf() {
                        level_start = t.downlink();
                    }
                }
                block = o.next;
            }
        }
        Ok(out)
    }
}
