//! The background writer's step (PostgreSQL's `BgBufferSync`): write dirty buffers just ahead
//! of the clock hand, so backends that need a victim find clean ones.
//!
//! Each round estimates how many buffers backends will allocate before the next round
//! (the recent allocation rate, smoothed over 16 rounds like PostgreSQL, never below the
//! latest round's, times `bgwriter_lru_multiplier`), then scans from the clock hand over at
//! most one lap of the pool. Unpinned buffers with usage count 0 are the ones the sweep will
//! take next: dirty ones are written. The round ends when enough reusable buffers lie ahead
//! of the hand, or after `bgwriter_lru_maxpages` writes (counted in `maxwritten_clean`).
//! Only the supervisor runs it on a thread; tests call [`BgWriter::run_once`] directly.

use std::sync::Arc;

use parking_lot::Mutex;

use super::pool::BufferPool;
use super::stats::{BufferCounters, WriteSource};

/// Background writer settings (PostgreSQL GUCs of the same names).
#[derive(Clone, Copy, Debug)]
pub struct BgWriterConfig {
    /// Most buffers written per round (`bgwriter_lru_maxpages`, default 100; 0 disables).
    pub lru_maxpages: usize,
    /// Multiple of the recent allocation rate to clean ahead (`bgwriter_lru_multiplier`,
    /// default 2.0).
    pub lru_multiplier: f64,
}

impl Default for BgWriterConfig {
    fn default() -> BgWriterConfig {
        BgWriterConfig {
            lru_maxpages: 100,
            lru_multiplier: 2.0,
        }
    }
}

/// Rounds over which the allocation rate is smoothed.
const SMOOTHING_SAMPLES: f64 = 16.0;

struct State {
    last_allocs: u64,
    smoothed_alloc: f64,
}

/// The background writer of one buffer pool.
pub struct BgWriter {
    pool: Arc<BufferPool>,
    config: BgWriterConfig,
    state: Mutex<State>,
}

impl BgWriter {
    /// A background writer for `pool`.
    pub fn new(pool: Arc<BufferPool>, config: BgWriterConfig) -> BgWriter {
        let last_allocs = pool.stats().buffers_alloc;
        BgWriter {
            pool,
            config,
            state: Mutex::new(State {
                last_allocs,
                smoothed_alloc: 0.0,
            }),
        }
    }

    /// One round; returns the number of buffers written. Write errors end the round early
    /// (the buffer stays dirty; a backend or the checkpointer will report the error).
    pub fn run_once(&self) -> usize {
        let mut state = self.state.lock();
        let allocs = self.pool.stats().buffers_alloc;
        let recent = allocs.saturating_sub(state.last_allocs) as f64;
        state.last_allocs = allocs;
        if recent > state.smoothed_alloc {
            state.smoothed_alloc = recent;
        } else {
            state.smoothed_alloc += (recent - state.smoothed_alloc) / SMOOTHING_SAMPLES;
        }
        if self.config.lru_maxpages == 0 {
            return 0;
        }
        let upcoming = (state.smoothed_alloc * self.config.lru_multiplier).ceil() as usize;
        let n = self.pool.shared_buffers();
        let start = self.pool.clock_hand();
        let mut reusable = 0;
        let mut written = 0;
        for step in 0..n {
            if reusable >= upcoming {
                break;
            }
            let id = (start + step) % n;
            let desc = &self.pool.descs[id];
            let dirty = {
                let h = desc.header.lock();
                if h.pin_count != 0 || h.usage_count != 0 {
                    continue;
                }
                h.dirty && h.valid
            };
            reusable += 1;
            if !dirty {
                continue;
            }
            self.pool.pin_by_id(id);
            let result = self.pool.flush_buffer(id, WriteSource::BgWriter);
            self.pool.unpin(id);
            match result {
                Ok(true) => written += 1,
                Ok(false) => {}
                Err(_) => break,
            }
            if written >= self.config.lru_maxpages {
                BufferCounters::bump(&self.pool.counters.maxwritten_clean);
                break;
            }
        }
        written
    }
}
