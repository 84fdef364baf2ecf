//! Buffer usage of the calling backend (PostgreSQL's `BufferUsage`, `pgBufferUsage`):
//! shared buffers found in the pool (hit), read from their file (read), changed from
//! clean to dirty (dirtied) and written out by the backend itself to free a frame
//! (written). Backends are threads, so the counters are thread-local; EXPLAIN (ANALYZE,
//! BUFFERS) reads them before and after each plan node call.
//!
//! Entry points: [`current`] (the counters are [`tusk_types::BufferUsage`]).

use std::cell::Cell;

pub use tusk_types::BufferUsage;

thread_local! {
    static USAGE: Cell<BufferUsage> = const { Cell::new(BufferUsage {
        shared_hit: 0,
        shared_read: 0,
        shared_dirtied: 0,
        shared_written: 0,
    }) };
}

/// The calling backend's counters since it started.
pub fn current() -> BufferUsage {
    USAGE.with(Cell::get)
}

/// Changes the calling backend's counters.
pub(crate) fn count(f: impl FnOnce(&mut BufferUsage)) {
    USAGE.with(|u| {
        let mut v = u.get();
        f(&mut v);
        u.set(v);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_per_thread_and_differences_saturate() {
        let before = current();
        count(|u| u.shared_hit += 2);
        let after = current();
        assert_eq!(after.since(&before).shared_hit, 2);
        assert_eq!(before.since(&after), BufferUsage::default());
        std::thread::spawn(|| assert_eq!(current(), BufferUsage::default()))
            .join()
            .expect("thread");
    }
}
