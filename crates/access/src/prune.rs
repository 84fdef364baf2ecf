//! Planning a heap page prune (PostgreSQL's `heap_page_prune` / `heap_prune_chain`,
//! `README.HOT`).
//!
//! ```text
//!  before:  lp1 ──► v1 (HOT_UPDATED, dead) ──ctid──► lp2: v2 (HEAP_ONLY, dead) ──► lp3: v3 (HEAP_ONLY, live)
//!  after:   lp1 = REDIRECT ► 3      lp2 = UNUSED      lp3: v3
//! ```
//!
//! Rules:
//! 1. A chain starts at a root: a normal tuple that is not heap-only, or a redirect. It
//!    follows `t_ctid` while a version is `HEAP_HOT_UPDATED`, staying on the page, and the
//!    next version is heap-only with `xmin` equal to the previous `xmax` and not known
//!    aborted (an aborted update leaves the older version live: its new version is not
//!    part of the chain, so rule 4 frees it).
//! 2. Every version up to the last dead one in a chain is removable (an older version is
//!    dead once a newer one is).
//! 3. If the whole chain is dead, the root becomes `LP_DEAD` (index entries still point at
//!    it) and the other versions `LP_UNUSED`. Otherwise the root redirects to the first live
//!    version and the removed heap-only versions become unused.
//! 4. Dead heap-only tuples no chain reaches (their updater's chain was pruned before)
//!    become unused.
//! 5. The page is defragmented, and `pd_prune_xid` becomes the oldest xmax of the tuples
//!    left whose deleter or updater may still make them dead ([`XmaxFate::Pending`]; 0 if
//!    none): an aborted xmax never will, so it does not bring readers back to the page.
//! 6. When nothing is removable, `pd_prune_xid` is still brought up to date by rule 5
//!    ([`pending_prune_xid`]; PostgreSQL sets it as a hint), so a page whose old xmax
//!    aborted is not planned again on every visit.
//!
//! Entry point: [`plan_prune`]; the page change is made by `HeapRelation::prune_page`.

use tusk_storage::{LpFlags, Page};
use tusk_types::{BlockNumber, OffsetNumber, Xid};

use crate::heap_wal::PageOp;
use crate::tuple::{HeapTupleHeader, HEAP_XMIN_COMMITTED, HEAP_XMIN_INVALID};

/// What a prune did (counts of line pointers changed).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PruneResult {
    /// Line pointers made `LP_REDIRECT`.
    pub redirected: usize,
    /// Line pointers made `LP_DEAD`.
    pub dead: usize,
    /// Line pointers made `LP_UNUSED`.
    pub unused: usize,
}

fn header_at(page: &Page, off: OffsetNumber) -> Option<HeapTupleHeader> {
    page.line_pointer(off)
        .filter(|lp| lp.flags == LpFlags::Normal)
        .and_then(|_| page.item(off))
        .and_then(HeapTupleHeader::decode)
}

/// The inserter is known (hint bit) to have aborted.
fn xmin_aborted(h: &HeapTupleHeader) -> bool {
    h.infomask & (HEAP_XMIN_INVALID | HEAP_XMIN_COMMITTED) == HEAP_XMIN_INVALID
}

/// What a tuple's deleting or updating transaction (its xmax) means for pruning.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum XmaxFate {
    /// Committed before the removal horizon: the version is dead to every snapshot.
    Dead,
    /// Committed after the horizon, or still running: the version may die later.
    Pending,
    /// Aborted (or never finished before a crash): the version stays live.
    Aborted,
}

fn is_dead(h: &HeapTupleHeader, xmax_fate: &dyn Fn(Xid) -> XmaxFate) -> bool {
    xmin_aborted(h) || (h.xmax_is_update_or_delete() && xmax_fate(h.xmax) == XmaxFate::Dead)
}

/// Rule 5: the oldest xmax among the tuples of `page` (other than `removed`) that may
/// still become dead, or [`Xid::INVALID`].
pub fn pending_prune_xid(
    page: &Page,
    removed: &[OffsetNumber],
    xmax_fate: &dyn Fn(Xid) -> XmaxFate,
) -> Xid {
    let mut prune_xid = Xid::INVALID;
    for o in 1..=page.max_offset() {
        let off = OffsetNumber(o);
        if removed.contains(&off) {
            continue;
        }
        if let Some(h) = header_at(page, off) {
            if h.xmax_is_update_or_delete()
                && (prune_xid == Xid::INVALID || h.xmax.precedes(prune_xid))
                && !xmin_aborted(&h)
                && xmax_fate(h.xmax) == XmaxFate::Pending
            {
                prune_xid = h.xmax;
            }
        }
    }
    prune_xid
}

/// The root line pointer of the HOT chain (rule 1) each offset of `page` belongs to,
/// indexed by offset (`[0]` unused): itself for a root, the root for a heap-only member a
/// chain reaches, `None` for other line pointers. Index entries name roots
/// (PostgreSQL's `heap_get_root_tuples`).
pub fn hot_chain_roots(page: &Page, block: BlockNumber) -> Vec<Option<OffsetNumber>> {
    let max = page.max_offset();
    let mut roots = vec![None; max as usize + 1];
    for r in 1..=max {
        let root = OffsetNumber(r);
        let Some(lp) = page.line_pointer(root) else {
            continue;
        };
        let start = match lp.flags {
            LpFlags::Normal => match header_at(page, root) {
                Some(h) if !h.is_heap_only() => root,
                _ => continue,
            },
            LpFlags::Redirect => OffsetNumber(lp.offset),
            _ => continue,
        };
        roots[r as usize] = Some(root);
        let mut cur = start;
        let mut prev_xmax: Option<Xid> = None;
        while let Some(h) = header_at(page, cur) {
            let member_ok = match prev_xmax {
                None => lp.flags == LpFlags::Normal || h.is_heap_only(),
                Some(x) => h.is_heap_only() && h.xmin == x && !xmin_aborted(&h),
            };
            if !member_ok || (cur != root && roots[cur.0 as usize].is_some()) {
                break;
            }
            roots[cur.0 as usize] = Some(root);
            if !h.is_hot_updated() || h.ctid.block != block || h.ctid.offset.0 > max {
                break;
            }
            prev_xmax = Some(h.xmax);
            cur = h.ctid.offset;
        }
    }
    roots
}

/// The operations that prune `page` (block `block`), and their counts; `None` if no line
/// pointer changes. The caller holds a cleanup lock.
pub fn plan_prune(
    page: &Page,
    block: BlockNumber,
    xmax_fate: &dyn Fn(Xid) -> XmaxFate,
) -> Option<(Vec<PageOp>, PruneResult)> {
    let max = page.max_offset();
    let mut reached = vec![false; max as usize + 1];
    let mut ops = Vec::new();
    let mut result = PruneResult::default();
    for r in 1..=max {
        let root = OffsetNumber(r);
        let Some(lp) = page.line_pointer(root) else {
            continue;
        };
        let start = match lp.flags {
            LpFlags::Normal => match header_at(page, root) {
                Some(h) if !h.is_heap_only() => root,
                _ => continue,
            },
            LpFlags::Redirect => OffsetNumber(lp.offset),
            _ => continue,
        };
        // Rule 1: collect the chain.
        let mut chain: Vec<(OffsetNumber, HeapTupleHeader)> = Vec::new();
        let mut cur = start;
        let mut prev_xmax: Option<Xid> = None;
        while let Some(h) = header_at(page, cur) {
            let member_ok = match prev_xmax {
                None => lp.flags == LpFlags::Normal || h.is_heap_only(),
                Some(x) => h.is_heap_only() && h.xmin == x && !xmin_aborted(&h),
            };
            if !member_ok || reached[cur.0 as usize] {
                break;
            }
            reached[cur.0 as usize] = true;
            chain.push((cur, h));
            if !h.is_hot_updated() || h.ctid.block != block || h.ctid.offset.0 > max {
                break;
            }
            prev_xmax = Some(h.xmax);
            cur = h.ctid.offset;
        }
        // Rules 2 and 3.
        let last_dead = chain.iter().rposition(|(_, h)| is_dead(h, xmax_fate));
        let root_is_tuple = lp.flags == LpFlags::Normal;
        let removed: &[(OffsetNumber, HeapTupleHeader)] = match last_dead {
            None if chain.is_empty() && !root_is_tuple => {
                // A redirect to nothing live: the chain is gone.
                ops.push(PageOp::Dead(root));
                result.dead += 1;
                continue;
            }
            None => continue,
            Some(j) if j + 1 == chain.len() => {
                ops.push(PageOp::Dead(root));
                result.dead += 1;
                &chain[..]
            }
            Some(j) => {
                ops.push(PageOp::Redirect(root, chain[j + 1].0));
                result.redirected += 1;
                &chain[..=j]
            }
        };
        for (off, _) in removed {
            if *off != root {
                ops.push(PageOp::Unused(*off));
                result.unused += 1;
            }
        }
    }
    // Rule 4.
    for o in 1..=max {
        let off = OffsetNumber(o);
        if reached[o as usize] {
            continue;
        }
        if let Some(h) = header_at(page, off) {
            if h.is_heap_only() && is_dead(&h, xmax_fate) {
                ops.push(PageOp::Unused(off));
                result.unused += 1;
            }
        }
    }
    if ops.is_empty() {
        return None;
    }
    // Rule 5.
    let removed: Vec<OffsetNumber> = ops
        .iter()
        .filter_map(|op| match op {
            PageOp::Unused(o) => Some(*o),
            PageOp::Dead(o) => Some(*o),
            _ => None,
        })
        .collect();
    let prune_xid = pending_prune_xid(page, &removed, xmax_fate);
    ops.push(PageOp::RepairFragmentation);
    ops.push(PageOp::SetPruneXid(prune_xid));
    Some((ops, result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap_wal::apply_ops;
    use crate::heapam::{next_offset, page_has_room};
    use crate::tuple::{HeapTuple, HEAP_HOT_UPDATED, HEAP_ONLY_TUPLE, HEAP_XMAX_INVALID};
    use proptest::prelude::*;
    use tusk_types::ItemPointer;

    const BLOCK: BlockNumber = BlockNumber(0);

    /// A fate from a deadness test: committed before the horizon or still pending.
    fn fate(dead: impl Fn(Xid) -> bool) -> impl Fn(Xid) -> XmaxFate {
        move |x| match dead(x) {
            true => XmaxFate::Dead,
            false => XmaxFate::Pending,
        }
    }

    #[test]
    fn aborted_xmax_does_not_keep_the_page_prunable() {
        let mut page = Page::new_zeroed();
        page.init(0);
        let a = put(&mut page, Xid(100), false, 40).expect("room");
        let b = put(&mut page, Xid(100), false, 40).expect("room");
        set_xmax(&mut page, a, Xid(200), a, false);
        set_xmax(&mut page, b, Xid(300), b, false);
        let outcome = |x: Xid| match x.0 {
            200 => XmaxFate::Aborted,
            _ => XmaxFate::Pending,
        };
        assert!(plan_prune(&page, BLOCK, &outcome).is_none());
        assert_eq!(pending_prune_xid(&page, &[], &outcome), Xid(300));
        let all_aborted = |_: Xid| XmaxFate::Aborted;
        assert_eq!(pending_prune_xid(&page, &[], &all_aborted), Xid::INVALID);
    }

    /// A chain as built: its root offset and the versions' offsets, oldest first.
    struct Chain {
        root: OffsetNumber,
        versions: Vec<(OffsetNumber, Option<Xid>)>,
    }

    fn put(page: &mut Page, xid: Xid, heap_only: bool, pad: usize) -> Option<OffsetNumber> {
        let t = HeapTuple::form(1, &[], false, &vec![7u8; pad]);
        if !page_has_room(page, t.len(), 0) {
            return None;
        }
        let off = next_offset(page)?;
        let mut h = t.header();
        h.xmin = xid;
        h.ctid = ItemPointer {
            block: BLOCK,
            offset: off,
        };
        if heap_only {
            h.infomask2 |= HEAP_ONLY_TUPLE;
        }
        let mut t = t;
        t.set_header(h);
        apply_ops(page, &[PageOp::PutTuple(off, t.bytes().to_vec())]);
        Some(off)
    }

    fn set_xmax(page: &mut Page, off: OffsetNumber, xmax: Xid, ctid: OffsetNumber, hot: bool) {
        let h = header_at(page, off).expect("tuple");
        apply_ops(
            page,
            &[PageOp::SetHeader {
                offset: off,
                xmax,
                cid: 0,
                ctid: ItemPointer {
                    block: BLOCK,
                    offset: ctid,
                },
                infomask2: h.infomask2 | if hot { HEAP_HOT_UPDATED } else { 0 },
                infomask: h.infomask & !HEAP_XMAX_INVALID,
            }],
        );
    }

    #[test]
    fn hot_chain_members_map_to_their_root_before_and_after_a_prune() {
        let mut page = Page::new_zeroed();
        page.init(0);
        let a = put(&mut page, Xid(100), false, 10).expect("room");
        let b = put(&mut page, Xid(101), false, 10).expect("room");
        let a2 = put(&mut page, Xid(102), true, 10).expect("room");
        set_xmax(&mut page, a, Xid(102), a2, true);
        let a3 = put(&mut page, Xid(103), true, 10).expect("room");
        set_xmax(&mut page, a2, Xid(103), a3, true);
        let roots = hot_chain_roots(&page, BLOCK);
        assert_eq!(roots[a.0 as usize], Some(a));
        assert_eq!(roots[a2.0 as usize], Some(a));
        assert_eq!(roots[a3.0 as usize], Some(a));
        assert_eq!(roots[b.0 as usize], Some(b));
        // After the dead versions go, the root redirects to the live one.
        let (ops, _) = plan_prune(&page, BLOCK, &fate(|x| x.0 <= 103)).expect("prunes");
        apply_ops(&mut page, &ops);
        let roots = hot_chain_roots(&page, BLOCK);
        assert_eq!(roots[a3.0 as usize], Some(a));
        assert_eq!(roots[a2.0 as usize], None);
    }

    #[test]
    fn an_aborted_hot_update_does_not_take_the_live_root_with_it() {
        let mut page = Page::new_zeroed();
        page.init(0);
        let root = put(&mut page, Xid(100), false, 10).expect("room");
        let aborted = put(&mut page, Xid(101), true, 10).expect("room");
        set_xmax(&mut page, root, Xid(101), aborted, true);
        // A reader found xid 101 aborted and set the hint on the new version.
        let h = header_at(&page, aborted).expect("tuple");
        apply_ops(
            &mut page,
            &[PageOp::SetHeader {
                offset: aborted,
                xmax: h.xmax,
                cid: h.cid,
                ctid: h.ctid,
                infomask2: h.infomask2,
                infomask: h.infomask | HEAP_XMIN_INVALID,
            }],
        );
        // Xid 101 aborted, so nothing it deleted is dead.
        let (ops, result) = plan_prune(&page, BLOCK, &fate(|_| false)).expect("prunes");
        assert_eq!(
            result,
            PruneResult {
                redirected: 0,
                dead: 0,
                unused: 1
            }
        );
        apply_ops(&mut page, &ops);
        let lp = page.line_pointer(root).expect("root");
        assert_eq!(lp.flags, LpFlags::Normal, "the live root stays");
    }

    proptest! {
        #[test]
        fn prune_keeps_live_versions_reachable(
            actions in proptest::collection::vec((0u8..3, any::<u16>(), 0usize..200), 1..80),
            horizon in 100u32..200,
        ) {
            let mut page = Page::new_zeroed();
            page.init(0);
            let mut chains: Vec<Chain> = Vec::new();
            let mut xid = 100;
            for (kind, pick, pad) in actions {
                xid += 1;
                let open: Vec<usize> = (0..chains.len())
                    .filter(|&i| chains[i].versions.last().expect("version").1.is_none())
                    .collect();
                match (kind, open.is_empty()) {
                    (0, _) | (_, true) => {
                        if let Some(off) = put(&mut page, Xid(xid), false, pad) {
                            chains.push(Chain { root: off, versions: vec![(off, None)] });
                        }
                    }
                    (1, false) => {
                        let c = &mut chains[open[pick as usize % open.len()]];
                        let last = c.versions.last().expect("version").0;
                        if let Some(off) = put(&mut page, Xid(xid), true, pad) {
                            set_xmax(&mut page, last, Xid(xid), off, true);
                            c.versions.last_mut().expect("version").1 = Some(Xid(xid));
                            c.versions.push((off, None));
                        }
                    }
                    _ => {
                        let c = &mut chains[open[pick as usize % open.len()]];
                        let last = c.versions.last().expect("version").0;
                        set_xmax(&mut page, last, Xid(xid), last, false);
                        c.versions.last_mut().expect("version").1 = Some(Xid(xid));
                    }
                }
            }
            let before = page.clone();
            let dead = |x: Xid| x.0 < horizon;
            if let Some((ops, _)) = plan_prune(&page, BLOCK, &fate(dead)) {
                apply_ops(&mut page, &ops);
            }
            prop_assert!(page.header_is_sane());
            for c in &chains {
                let first_live = c.versions.iter().find(|(_, xmax)| !xmax.is_some_and(dead));
                let root_lp = page.line_pointer(c.root).expect("root line pointer kept");
                match first_live {
                    None => prop_assert_eq!(root_lp.flags, LpFlags::Dead),
                    Some(&(off, _)) => {
                        let reached = match root_lp.flags {
                            LpFlags::Normal => c.root,
                            LpFlags::Redirect => OffsetNumber(root_lp.offset),
                            other => return Err(TestCaseError::fail(format!("root is {other:?}"))),
                        };
                        prop_assert_eq!(reached, off);
                        // Every live version is untouched.
                        for &(v, xmax) in &c.versions {
                            if !xmax.is_some_and(dead) {
                                prop_assert_eq!(page.item(v), before.item(v));
                            }
                        }
                    }
                }
            }
            // Pruning again finds nothing.
            prop_assert!(plan_prune(&page, BLOCK, &fate(dead)).is_none());
        }
    }
}
