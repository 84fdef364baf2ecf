//! The B-tree index access method (PostgreSQL's nbtree, `src/backend/access/nbtree/README`):
//! Lehman and Yao's high-concurrency B-link tree over 8 KB pages in shared buffers.
//!
//! ```text
//!                      metapage (block 0): root, level
//!                                 │
//!                    ┌────────────▼────────────┐
//!   level 1          │ -inf→2 │ (k5,t)→7 │ ... │──right-link──► ...
//!                    └───┬──────────┬──────────┘
//!                 ┌──────▼─────┐   ┌▼───────────┐
//!   level 0       │ hikey k5   │──►│ hikey k9   │──► ... rightmost (no high key)
//!   (leaves)      │ k1 k2 k3 k4│   │ k5 k6 k7 k8│
//!                 └────────────┘   └────────────┘
//! ```
//!
//! Rules (cited as "btree rule N"):
//! 1. Every entry is `(key values, heap TID)`, so all keys in the tree are distinct; the
//!    heap TID is the last tiebreaker. Pivots (high keys, internal items) are copies of leaf
//!    keys with their TIDs (no suffix truncation). NULLs sort last in ascending columns
//!    unless the column says otherwise ([`IndexColumn`]).
//! 2. Every key on a page is below its high key and at or above the parent pivot leading to
//!    it. A page without a right sibling has no high key; the first item of every internal
//!    page is minus infinity.
//! 3. Readers hold one content lock at a time and move right when their key is at or past
//!    a page's high key (a split happened after they read the parent). Scans copy a leaf's
//!    matches under its shared lock, remember its right-link, and continue there.
//! 4. Writers lock left to right, then up (buffer rule 6): the leaf (moving right with lock
//!    coupling), the new right page and the old right sibling, then the parent (found from
//!    the descent stack, moving right), and so on up to a new root and the metapage. All
//!    the pages of one insertion, split cascade included, change under those locks in one
//!    WAL record (see [`wal`]): no split is ever seen half done, during running or after a
//!    crash.
//! 5. Changes follow buffer rule 3: everything that may fail (reading parents, allocating
//!    pages, planning splits) happens first, on copies of the pages; then the record is
//!    inserted (with full-page images per buffer rule 8) and the copies are installed and
//!    marked dirty with its end LSN.
//! 6. Unique checks (`insert_unique`) run with the first leaf that may hold the key
//!    exclusively locked, so concurrent inserters of the same key serialize there and see
//!    each other's entries.
//!
//! Files: [`compare`] (value order per operator family), [`key`] (columns, search keys),
//! [`tuple`](mod@tuple) (index tuples), [`page`] (special area, metapage), [`search`] (descent),
//! [`insert`] (insertion, splits, uniqueness), [`inspect`] (tree listings), [`split`] (split points), [`scan`] (index
//! scans), [`build`] (bottom-up bulk build), [`vacuum`] (bulk delete), [`verify`]
//! (amcheck-style checks), [`unique`] (unique-violation errors), [`wal`] (records, redo).
//!
//! Entry points: [`BTreeIndex`] (`build_empty`, `build`, `insert`, `insert_unique`, `scan`,
//! `bulk_delete`, `verify`), [`register_btree_redo`]. See also `docs/design/btree.md`.

pub mod build;
pub mod compare;
pub mod insert;
pub mod inspect;
pub mod key;
pub mod page;
pub mod scan;
pub mod search;
pub mod split;
pub mod tuple;
pub mod unique;
pub mod vacuum;
pub mod verify;
pub mod wal;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use tusk_storage::{
    needs_full_page_image, BufferPool, Checkpointer, Page, PageWriteGuard, PinnedBuffer,
    ReadBufferMode,
};
use tusk_types::{pg_err, BlockNumber, Error, ForkNumber, Lsn, RelFileLocator, Result};
use tusk_wal::{BlockRef, RecordBuilder, RmgrId};

pub use build::BuildOutcome;
pub use compare::{btree_orderable, compare_datums};
pub use insert::{UniqueCheck, UniqueInsert};
pub use key::IndexColumn;
pub use scan::{BTreeScan, IndexEntry, ScanDirection, ScanKey, ScanStrategy};
pub use unique::{build_duplicate_error, unique_violation_error};
pub use vacuum::BulkDeleteStats;
pub use verify::VerifyReport;
pub use wal::register_btree_redo;

use page::{read_meta, BtMeta, BtOpaque, BTP_LEAF, BTP_ROOT, BTREE_METAPAGE};
use wal::{apply_ops, encode_ops, BtOp, XLOG_BTREE_INSERT_META, XLOG_BTREE_NEWROOT};

/// `BTREE_DEFAULT_FILLFACTOR`: leaf pages are filled to 90% by bulk builds and by splits of
/// the rightmost leaf.
pub const BTREE_DEFAULT_FILLFACTOR: u8 = 90;
/// `BTREE_MIN_FILLFACTOR`.
pub const BTREE_MIN_FILLFACTOR: u8 = 10;
/// `BTREE_NONLEAF_FILLFACTOR`: the same for internal pages.
pub const BTREE_NONLEAF_FILLFACTOR: u8 = 70;

/// What an index is: its name, the table it belongs to, its key columns and fillfactor
/// (the parts of `pg_class`/`pg_index` the access method needs).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IndexDesc {
    /// The index's name (error messages).
    pub name: String,
    /// The indexed table's name (error details).
    pub table_name: String,
    /// Key columns, in index order (at most 32, `INDEX_MAX_KEYS`).
    pub columns: Vec<IndexColumn>,
    /// Leaf fillfactor in percent (10..=100).
    pub fillfactor: u8,
}

/// `INDEX_MAX_KEYS`.
pub const INDEX_MAX_KEYS: usize = 32;

/// One B-tree index's main fork, reached through the shared buffer pool. `Sync`: any
/// number of threads may insert and scan at once.
pub struct BTreeIndex {
    pool: Arc<BufferPool>,
    locator: RelFileLocator,
    desc: IndexDesc,
    /// The root as last read from the metapage, block in the high 32 bits and level in
    /// the low ones, [`NO_CACHED_ROOT`] when unknown (PostgreSQL's metapage copy in
    /// `rd_amcache`): a descent starts there without reading the metapage while the page
    /// still is a root at that level (`search.rs`).
    cached_root: std::sync::atomic::AtomicU64,
}

/// [`BTreeIndex`]'s cached root when there is none.
const NO_CACHED_ROOT: u64 = u64::MAX;

impl std::fmt::Debug for BTreeIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BTreeIndex")
            .field("locator", &self.locator)
            .field("desc", &self.desc)
            .finish_non_exhaustive()
    }
}

/// A page change prepared on a copy (btree rule 5): the block, its operations, the page's
/// LSN before, and the page as it will be.
struct Pending {
    block: BlockNumber,
    ops: Vec<BtOp>,
    old_lsn: Lsn,
    after: Box<Page>,
}

impl Pending {
    fn new(page: &Page, block: BlockNumber, ops: Vec<BtOp>) -> Pending {
        let mut after = Box::new(page.clone());
        apply_ops(&mut after, &ops);
        Pending {
            block,
            ops,
            old_lsn: page.lsn(),
            after,
        }
    }

    fn will_init(&self) -> bool {
        self.ops.first().is_some_and(BtOp::initialises)
    }

    /// Installs the prepared page under the caller's exclusive lock and stamps it.
    fn install(&self, guard: &mut PageWriteGuard<'_>, lsn: Lsn) {
        guard.as_bytes_mut().copy_from_slice(self.after.as_bytes());
        guard.mark_dirty(lsn);
    }
}

impl BTreeIndex {
    /// The index of `locator` described by `desc`. The relation's main fork must exist; an
    /// index without a metapage is set up by [`BTreeIndex::build_empty`] or
    /// [`BTreeIndex::build`].
    ///
    /// Errors: `0A000` for a column type without a B-tree operator class here;
    /// `54011` `cannot use more than 32 columns in an index`.
    pub fn new(
        pool: Arc<BufferPool>,
        locator: RelFileLocator,
        desc: IndexDesc,
    ) -> Result<BTreeIndex> {
        if desc.columns.len() > INDEX_MAX_KEYS {
            return Err(pg_err!(
                TOO_MANY_COLUMNS,
                "cannot use more than {} columns in an index",
                INDEX_MAX_KEYS
            ));
        }
        if let Some(c) = desc.columns.iter().find(|c| !btree_orderable(c.type_oid)) {
            return Err(Error::feature_not_supported(format!(
                "B-tree indexes on columns of type {}",
                tusk_types::type_oid::builtin_name(c.type_oid)
                    .map_or_else(|| c.type_oid.0.to_string(), str::to_string)
            )));
        }
        let mut desc = desc;
        desc.fillfactor = desc.fillfactor.clamp(BTREE_MIN_FILLFACTOR, 100);
        Ok(BTreeIndex {
            pool,
            locator,
            desc,
            cached_root: std::sync::atomic::AtomicU64::new(NO_CACHED_ROOT),
        })
    }

    /// The index's description.
    pub fn desc(&self) -> &IndexDesc {
        &self.desc
    }

    /// The index's files.
    pub fn locator(&self) -> RelFileLocator {
        self.locator
    }

    /// Number of blocks in the main fork.
    pub fn nblocks(&self) -> Result<BlockNumber> {
        self.pool.nblocks(self.locator, ForkNumber::Main)
    }

    fn read(&self, block: BlockNumber) -> Result<PinnedBuffer> {
        self.pool.read_buffer(
            self.locator,
            ForkNumber::Main,
            block,
            ReadBufferMode::Normal,
        )
    }

    fn new_page(&self) -> Result<PinnedBuffer> {
        self.pool.new_page(self.locator, ForkNumber::Main)
    }

    /// The metapage's contents (`_bt_getmeta`).
    ///
    /// Errors: `XX002` `index "%s" is not a btree` (also for an index never built).
    pub fn meta(&self) -> Result<BtMeta> {
        if self.nblocks()?.0 == 0 {
            return Err(pg_err!(
                INDEX_CORRUPTED,
                "index \"{}\" is not a btree",
                self.desc.name
            ));
        }
        let pin = self.read(BTREE_METAPAGE)?;
        let page = pin.lock_shared();
        read_meta(&page, &self.desc.name)
    }

    /// Inserts one WAL record for `pending` (btree rule 5) and returns its end LSN.
    fn log(&self, wal: &Checkpointer, info: u8, pending: &[Pending]) -> Lsn {
        wal.insert_with_redo(|redo| {
            let mut record = RecordBuilder::new(RmgrId::BTREE, info);
            for p in pending {
                let mut block = BlockRef::new(self.locator, ForkNumber::Main, p.block);
                block.data = encode_ops(&p.ops);
                block.will_init = p.will_init();
                if !block.will_init && needs_full_page_image(p.old_lsn, redo) {
                    block.image = Some(Box::new(*p.after.as_bytes()));
                }
                record = record.with_block(block);
            }
            record
        })
    }

    /// Creates the metapage of an empty index (`btbuildempty`): the main fork must be empty.
    ///
    /// Errors: `XX000` if the fork already has blocks; I/O errors.
    pub fn build_empty(&self, wal: &Checkpointer) -> Result<()> {
        if self.nblocks()?.0 != 0 {
            return Err(Error::internal(format!(
                "index \"{}\" already contains data",
                self.desc.name
            )));
        }
        let pin = self.new_page()?;
        assert_eq!(pin.block(), BTREE_METAPAGE, "the metapage is block 0");
        let mut guard = pin.lock_exclusive();
        let pending = [Pending::new(
            &guard,
            BTREE_METAPAGE,
            vec![BtOp::Meta(BtMeta::default())],
        )];
        let lsn = self.log(wal, XLOG_BTREE_INSERT_META, &pending);
        pending[0].install(&mut guard, lsn);
        Ok(())
    }

    /// Creates the first root, an empty leaf, unless another backend just did
    /// (`_bt_getroot` with `BT_WRITE`).
    fn create_root_leaf(&self, wal: &Checkpointer) -> Result<()> {
        let meta_pin = self.read(BTREE_METAPAGE)?;
        let mut meta_guard = meta_pin.lock_exclusive();
        let meta = read_meta(&meta_guard, &self.desc.name)?;
        if meta.root.is_some() {
            return Ok(());
        }
        // Metapage lock first, then the new page: nobody else can reach the new page.
        let root_pin = self.new_page()?;
        let mut root_guard = root_pin.lock_exclusive();
        let root = root_pin.block();
        let opaque = BtOpaque {
            flags: BTP_LEAF | BTP_ROOT,
            ..BtOpaque::default()
        };
        let pending = [
            Pending::new(&root_guard, root, vec![BtOp::Rebuild(opaque, Vec::new())]),
            Pending::new(
                &meta_guard,
                BTREE_METAPAGE,
                vec![BtOp::Meta(BtMeta {
                    root: Some(root),
                    level: 0,
                    fast_root: Some(root),
                    fast_level: 0,
                })],
            ),
        ];
        let lsn = self.log(wal, XLOG_BTREE_NEWROOT, &pending);
        pending[0].install(&mut root_guard, lsn);
        pending[1].install(&mut meta_guard, lsn);
        Ok(())
    }
}
