//! Text dump of a page (header, line pointers, items) for golden tests and debugging.

use std::fmt::Write;

use tusk_types::OffsetNumber;

use super::{LpFlags, Page};

/// Renders `page` as lines: one header line, then one line per line pointer.
pub(super) fn dump(page: &Page) -> String {
    let mut out = String::new();
    if page.is_new() {
        out.push_str("new page (all zero)\n");
        return out;
    }
    let h = page.header();
    writeln!(
        out,
        "lsn={} checksum={} flags=0x{:04x} lower={} upper={} special={} free={} prune_xid={}",
        h.lsn,
        h.checksum,
        h.flags,
        h.lower,
        h.upper,
        h.special,
        page.free_space(),
        h.prune_xid
    )
    .expect("writing to a String cannot fail");
    for o in 1..=page.max_offset() {
        let lp = page
            .line_pointer(OffsetNumber(o))
            .expect("offset within max_offset");
        let line = match lp.flags {
            LpFlags::Unused => "UNUSED".to_string(),
            LpFlags::Redirect => format!("REDIRECT -> {}", lp.offset),
            LpFlags::Dead => format!("DEAD off={} len={}", lp.offset, lp.length),
            LpFlags::Normal => {
                let item = page.item(OffsetNumber(o)).expect("normal item");
                format!(
                    "NORMAL off={} len={} {}",
                    lp.offset,
                    lp.length,
                    render(item)
                )
            }
        };
        writeln!(out, "  {o:>3}: {line}").expect("writing to a String cannot fail");
    }
    if !page.special().is_empty() {
        writeln!(out, "  special: {}", render(page.special()))
            .expect("writing to a String cannot fail");
    }
    out
}

/// Printable ASCII in quotes, anything else as hex.
fn render(bytes: &[u8]) -> String {
    if bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        format!("{:?}", String::from_utf8_lossy(bytes))
    } else {
        let mut hex = String::from("0x");
        for b in bytes {
            write!(hex, "{b:02x}").expect("writing to a String cannot fail");
        }
        hex
    }
}
