//! tusk-access: access methods. For now the heap: tuple format, row encoding, insert /
//! fetch / delete / update with HOT, pruning, sequential scans, and the heap's WAL records
//! and redo.
//!
//! Entry points:
//! - [`tuple`](mod@tuple): the on-page tuple format ([`HeapTuple`], [`HeapTupleRef`], `HEAP_*` bits).
//! - [`row`]: rows of `Datum`s to tuple data and back ([`form_tuple`], [`deform_tuple`]).
//! - [`toast`]: TOAST: compression and out-of-line values ([`ToastPointer`]); [`toast_relation`]:
//!   a table's TOAST relation ([`ToastRelation`]: chunks, fetch, delete).
//! - [`heapam`]: [`HeapRelation`] (insert, fetch, delete, update, prune, scan).
//! - [`prune`]: the pruning rules.
//! - [`vacuumlazy`]: VACUUM of a heap and its indexes ([`HeapRelation::lazy_vacuum`]: prune,
//!   index bulk delete, dead line pointers made unused, free space recorded).
//! - [`inspect`]: [`inspect::heap_page_items`], a text listing of a heap page.
//! - [`heap_wal`]: record kinds, page operations, [`register_heap_redo`].
//! - [`nbtree`]: the B-tree index access method ([`BTreeIndex`]: build, insert, unique
//!   checks, scans, bulk delete, verification) and [`register_btree_redo`].
//!
//! See also: `docs/design/heap.md`, `docs/design/page.md`, `docs/design/buffer.md`.

pub mod heap_wal;
pub mod heapam;
pub mod inspect;
pub mod nbtree;
pub mod prune;
pub mod row;
pub mod toast;
pub mod toast_relation;
pub mod tuple;
pub mod vacuumlazy;

pub use heap_wal::{heap_redo, register_heap_redo};
pub use heapam::{HeapRelation, HeapScan, HEAP_DEFAULT_FILLFACTOR, MAX_HEAP_TUPLE_SIZE};
pub use nbtree::{register_btree_redo, BTreeIndex, IndexColumn, IndexDesc};
pub use prune::{PruneResult, XmaxFate};
pub use row::{deform_tuple, deform_tuple_toast, form_tuple, form_tuple_toast, AttributeDesc};
pub use toast::{ToastFetch, ToastPointer, ToastStore};
pub use toast_relation::ToastRelation;
pub use tuple::{HeapTuple, HeapTupleHeader, HeapTupleRef};
pub use vacuumlazy::{LazyVacuumOptions, LazyVacuumStats, TupleLiveness};
