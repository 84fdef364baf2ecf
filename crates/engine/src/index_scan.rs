//! Index scans under MVCC (PostgreSQL's `index_getnext_slot` with `heap_hot_search`): each
//! entry a B-tree scan returns names a heap TID; the HOT chain from there is followed to
//! the version the statement's snapshot sees.
//!
//! Rules:
//! 1. An entry may lead to no visible version (its row was deleted, updated out of the
//!    chain, or not yet committed): it yields nothing. Versions of one row that are not in
//!    one HOT chain have entries of their own, and a snapshot sees at most one version of
//!    a row, so each row comes once.
//! 2. The visible version's key is checked against the scan keys again (an entry whose
//!    line pointer was reused after VACUUM may lead to another row), and a version is
//!    never returned twice (two entries reaching one chain).
//! 3. Before the first entry of each run of entries on one heap block, the block may be
//!    pruned (PostgreSQL's `heap_page_prune_opt`), so HOT chains of rows updated over and
//!    over stay short without VACUUM.
//!
//! Entry point: [`IndexHeapScan`].

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use tusk_access::nbtree::BTreeScan;
use tusk_access::{AttributeDesc, HeapRelation};
use tusk_executor::index::key_holds;
use tusk_executor::IndexScanKey;
use tusk_txn::Clog;
use tusk_types::{BlockNumber, Datum, ItemPointer, Result};

use crate::cluster::Cluster;
use crate::heap::ReadView;

/// Rows of a heap reached through a B-tree scan, in the scan's order, each in the version
/// `view` sees.
pub struct IndexHeapScan<'a> {
    /// The index scan.
    pub scan: BTreeScan<'static>,
    /// The heap.
    pub heap: Arc<HeapRelation>,
    /// Its attributes.
    pub attrs: Arc<Vec<AttributeDesc>>,
    /// What the scan sees.
    pub view: ReadView,
    /// Commit log.
    pub clog: Arc<Clog>,
    /// The index's key columns as table attribute numbers (1-based; 0 for an
    /// expression column).
    pub attnums: Vec<i16>,
    /// The index's expressions, computing its expression columns.
    pub expressions: Option<Arc<crate::index_expressions::IndexExpressions>>,
    /// The scan keys, checked again on each version found (rule 2).
    pub keys: Vec<IndexScanKey>,
    /// Versions returned so far (rule 2).
    pub returned: HashSet<ItemPointer>,
    /// An error ended the scan.
    pub failed: bool,
    /// The cluster, for pruning (rule 3); `None` never prunes.
    pub cluster: Option<&'a Cluster>,
    /// The block last considered for pruning.
    pub last_block: Option<BlockNumber>,
}

impl IndexHeapScan<'_> {
    /// The visible version the entry at `tid` leads to, if it still matches the keys. The
    /// first entry of a run on one heap block may prune the block first (rule 3).
    fn fetch(&mut self, tid: ItemPointer) -> Result<Option<(ItemPointer, Vec<Datum>)>> {
        let error = RefCell::new(None);
        let view = &self.view;
        let clog = &self.clog;
        let visible =
            |_: ItemPointer, t: &tusk_access::HeapTupleRef<'_>| match view.sees(clog, t.header()) {
                Ok(v) => v,
                Err(e) => {
                    error.borrow_mut().get_or_insert(e);
                    false
                }
            };
        let prune = self.cluster.filter(|_| self.last_block != Some(tid.block));
        let found = match prune {
            Some(cluster) => {
                self.last_block = Some(tid.block);
                let xact = &cluster.xact;
                self.heap.prune_opt_and_fetch_hot_chain(
                    &cluster.checkpointer,
                    tid,
                    || xact.procarray.global_xmin(),
                    |xid, horizon| crate::heap::xmax_fate(&xact.clog, xid, horizon),
                    visible,
                )?
            }
            None => self.heap.fetch_hot_chain(tid, visible)?,
        };
        if let Some(e) = error.into_inner() {
            return Err(e);
        }
        let Some((at, tuple)) = found else {
            return Ok(None);
        };
        if !self.returned.insert(at) {
            return Ok(None);
        }
        let row = self.heap.deform(&self.attrs, &tuple.as_ref())?;
        let key: Vec<Datum> =
            crate::index_expressions::index_key(&self.attnums, self.expressions.as_deref(), &row)?;
        Ok(key_holds(&self.keys, &key).then_some((at, row)))
    }
}

impl Iterator for IndexHeapScan<'_> {
    type Item = Result<(ItemPointer, Vec<Datum>)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed {
            let entry = match self.scan.next()? {
                Ok(entry) => entry,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            };
            match self.fetch(entry.tid) {
                Ok(Some(row)) => return Some(Ok(row)),
                Ok(None) => {}
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}
