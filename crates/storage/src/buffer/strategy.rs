//! Buffer access strategies (ring buffers) for bulk operations, so a sequential scan of a large
//! table or a vacuum does not push the whole working set out of the pool
//! (PostgreSQL's `freelist.c` `GetAccessStrategy`, `src/backend/storage/buffer/README`
//! "Buffer Ring Replacement Strategy").
//!
//! A strategy owns a small ring of buffer ids. When the operation needs a victim it first
//! tries the ring slot at the current position: reusable if unpinned and not used since
//! (usage count <= 1). Otherwise the normal clock sweep supplies one and it joins the ring.
//! A bulk read does not reuse a dirty ring buffer (writing it could need a WAL flush); it takes
//! a clock-sweep victim instead.

/// Kinds of bulk access (`BufferAccessStrategyType`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StrategyKind {
    /// Large sequential scans: a 256 kB ring (`BAS_BULKREAD`).
    BulkRead,
    /// COPY and CREATE TABLE AS: a 16 MB ring (`BAS_BULKWRITE`).
    BulkWrite,
    /// VACUUM: a 256 kB ring (`BAS_VACUUM`).
    Vacuum,
}

impl StrategyKind {
    /// Ring size in pages before capping at 1/8 of `shared_buffers`.
    pub fn ring_pages(self) -> usize {
        match self {
            StrategyKind::BulkRead | StrategyKind::Vacuum => 256 * 1024 / crate::PAGE_SIZE,
            StrategyKind::BulkWrite => 16 * 1024 * 1024 / crate::PAGE_SIZE,
        }
    }
}

/// A ring of buffers used by one bulk operation (`BufferAccessStrategy`). Owned by one
/// backend; pass it to `BufferPool::read_buffer_with_strategy`.
#[derive(Debug)]
pub struct BufferAccessStrategy {
    pub(crate) kind: StrategyKind,
    pub(crate) ring: Vec<Option<usize>>,
    pub(crate) current: usize,
    /// True when the victim just returned came from the ring (for the bulk-read rejection).
    pub(crate) current_was_in_ring: bool,
}

impl BufferAccessStrategy {
    /// A strategy of `kind` for a pool of `shared_buffers` pages: the ring holds
    /// `min(kind.ring_pages(), shared_buffers / 8)` buffers, at least 1.
    pub fn new(kind: StrategyKind, shared_buffers: usize) -> BufferAccessStrategy {
        let size = kind.ring_pages().min(shared_buffers / 8).max(1);
        BufferAccessStrategy {
            kind,
            ring: vec![None; size],
            current: 0,
            current_was_in_ring: false,
        }
    }

    /// The kind.
    pub fn kind(&self) -> StrategyKind {
        self.kind
    }

    /// Ring size in buffers.
    pub fn ring_size(&self) -> usize {
        self.ring.len()
    }
}
