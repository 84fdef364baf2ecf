//! Buffer pool counters for `pg_stat_database` (`blks_read`, `blks_hit`) and
//! `pg_stat_bgwriter` (`buffers_checkpoint`, `buffers_clean`, `maxwritten_clean`,
//! `buffers_backend`, `buffers_alloc`). Relaxed atomics: counts, not synchronisation.

use std::sync::atomic::{AtomicU64, Ordering};

/// Who wrote a dirty buffer out; selects the counter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WriteSource {
    /// The checkpointer (`buffers_checkpoint`).
    Checkpoint,
    /// The background writer (`buffers_clean`).
    BgWriter,
    /// A backend evicting a dirty victim (`buffers_backend`).
    Backend,
}

#[derive(Default, Debug)]
pub(crate) struct BufferCounters {
    pub(crate) hits: AtomicU64,
    pub(crate) reads: AtomicU64,
    pub(crate) checkpoint_writes: AtomicU64,
    pub(crate) bgwriter_writes: AtomicU64,
    pub(crate) backend_writes: AtomicU64,
    pub(crate) maxwritten_clean: AtomicU64,
    pub(crate) allocs: AtomicU64,
}

impl BufferCounters {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_write(&self, source: WriteSource) {
        Self::bump(match source {
            WriteSource::Checkpoint => &self.checkpoint_writes,
            WriteSource::BgWriter => &self.bgwriter_writes,
            WriteSource::Backend => &self.backend_writes,
        });
    }

    pub(crate) fn snapshot(&self) -> BufferStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        BufferStats {
            blks_hit: get(&self.hits),
            blks_read: get(&self.reads),
            buffers_checkpoint: get(&self.checkpoint_writes),
            buffers_clean: get(&self.bgwriter_writes),
            buffers_backend: get(&self.backend_writes),
            maxwritten_clean: get(&self.maxwritten_clean),
            buffers_alloc: get(&self.allocs),
        }
    }
}

/// A snapshot of the buffer pool counters since startup.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct BufferStats {
    /// Reads satisfied from the pool (`blks_hit`).
    pub blks_hit: u64,
    /// Pages read from relation files (`blks_read`).
    pub blks_read: u64,
    /// Buffers written by checkpoints (`buffers_checkpoint`).
    pub buffers_checkpoint: u64,
    /// Buffers written by the background writer (`buffers_clean`).
    pub buffers_clean: u64,
    /// Buffers written by backends to free a victim (`buffers_backend`).
    pub buffers_backend: u64,
    /// Background writer rounds stopped by `bgwriter_lru_maxpages` (`maxwritten_clean`).
    pub maxwritten_clean: u64,
    /// Victim buffers allocated (`buffers_alloc`).
    pub buffers_alloc: u64,
}
