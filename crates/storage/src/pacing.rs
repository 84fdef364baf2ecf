//! Spread checkpoints: pacing the buffer writes of a timed or WAL-triggered checkpoint so it
//! completes when `checkpoint_completion_target` of the checkpoint interval has passed
//! (PostgreSQL's `CheckpointWriteDelay` and `IsCheckpointOnSchedule`; docs §30.5 "WAL
//! Configuration").
//!
//! ```text
//!   progress p = buffers written / buffers to write          (0 ..= 1)
//!   on schedule  ⇔  p · target ≥ elapsed_time  and  p · target ≥ elapsed_wal
//!     elapsed_time = (now − start) / checkpoint_timeout
//!     elapsed_wal  = (insert LSN − start LSN) / (max_wal_size / (1 + target))
//!   after each buffer: on schedule → nap 100 ms (or until an immediate request); else go on
//! ```
//!
//! The WAL budget of one checkpoint is `max_wal_size / (1 + target)` (PostgreSQL's
//! `CheckPointSegments`): WAL written during a spread checkpoint and until the next one must
//! fit in `max_wal_size`. An immediate checkpoint (`CHECKPOINT`, shutdown, end of recovery) is
//! not paced, and a paced one finishes at full speed once [`CheckpointRequests::request_immediate`]
//! is called (shutdown, or a `CHECKPOINT` command waiting behind it).
//!
//! Naps are not a busy loop: they wait on a condition variable with a timeout, woken by an
//! immediate request. The decision ([`CheckpointSchedule::is_on_schedule`]) is a pure function of
//! the clock and the insert LSN, so tests drive it with `ManualClock` and a nap that advances
//! the clock instead of sleeping.
//!
//! Entry points: [`CheckpointPacing`], [`CheckpointSchedule`], [`CheckpointRequests`]; used by
//! `Checkpointer::checkpoint_spread`.

use std::time::Duration;

use parking_lot::{Condvar, Mutex};
use tusk_types::Lsn;

/// How long a checkpoint that is ahead of schedule pauses between buffer writes
/// (PostgreSQL's `CheckpointWriteDelay` latch wait).
pub const CHECKPOINT_NAP: Duration = Duration::from_millis(100);

/// Settings that pace a spread checkpoint (PostgreSQL GUCs of the same names).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckpointPacing {
    /// Fraction of the interval to spread the writes over (`checkpoint_completion_target`,
    /// 0..=1, default 0.9).
    pub completion_target: f64,
    /// The time interval (`checkpoint_timeout`, default 5 min).
    pub checkpoint_timeout: Duration,
    /// The WAL interval's basis in bytes (`max_wal_size`, default 1 GB).
    pub max_wal_size_bytes: u64,
}

impl Default for CheckpointPacing {
    fn default() -> Self {
        CheckpointPacing {
            completion_target: 0.9,
            checkpoint_timeout: Duration::from_secs(300),
            max_wal_size_bytes: 1024 * 1024 * 1024,
        }
    }
}

impl CheckpointPacing {
    /// Bytes of WAL after which a checkpoint is due (PostgreSQL's `CheckPointSegments` in
    /// bytes): `max_wal_size / (1 + checkpoint_completion_target)`, at least 1.
    pub fn wal_budget_bytes(&self) -> u64 {
        let target = self.completion_target.clamp(0.0, 1.0);
        ((self.max_wal_size_bytes as f64 / (1.0 + target)) as u64).max(1)
    }
}

/// The schedule of one spread checkpoint, fixed when it starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckpointSchedule {
    pacing: CheckpointPacing,
    /// Monotonic clock reading at the start.
    start_time: Duration,
    /// Insert position at the start (the redo point).
    start_lsn: Lsn,
}

impl CheckpointSchedule {
    /// A schedule for a checkpoint starting at monotonic time `start_time` and insert
    /// position `start_lsn`.
    pub fn new(pacing: CheckpointPacing, start_time: Duration, start_lsn: Lsn) -> Self {
        CheckpointSchedule {
            pacing,
            start_time,
            start_lsn,
        }
    }

    /// True if the checkpoint, having done `progress` (0..=1) of its writes, is ahead of both
    /// the time and the WAL schedule at monotonic time `now` with the WAL inserted up to
    /// `insert_lsn`, so it may pause (PostgreSQL's `IsCheckpointOnSchedule`).
    pub fn is_on_schedule(&self, progress: f64, now: Duration, insert_lsn: Lsn) -> bool {
        let target = self.pacing.completion_target.clamp(0.0, 1.0);
        let scaled = progress * target;
        let wal = insert_lsn.0.saturating_sub(self.start_lsn.0) as f64;
        let elapsed_wal = wal / self.pacing.wal_budget_bytes() as f64;
        if scaled < elapsed_wal {
            return false;
        }
        let timeout = self.pacing.checkpoint_timeout.as_secs_f64();
        if timeout <= 0.0 {
            return false;
        }
        let elapsed_time = now.saturating_sub(self.start_time).as_secs_f64() / timeout;
        scaled >= elapsed_time
    }
}

/// Requests to finish checkpoints at full speed, shared by the checkpointer and whoever
/// asks (shutdown, the `CHECKPOINT` command). A counter, so a request made before a
/// checkpoint began does not hurry it.
#[derive(Debug, Default)]
pub struct CheckpointRequests {
    generation: Mutex<u64>,
    changed: Condvar,
}

impl CheckpointRequests {
    /// No requests yet.
    pub fn new() -> Self {
        CheckpointRequests::default()
    }

    /// Asks any checkpoint running now to stop pacing and finish at once (PostgreSQL's
    /// `CHECKPOINT_IMMEDIATE` request / shutdown request); wakes a napping checkpointer.
    pub fn request_immediate(&self) {
        *self.generation.lock() += 1;
        self.changed.notify_all();
    }

    /// The request counter; a checkpoint notes it when it starts.
    pub fn generation(&self) -> u64 {
        *self.generation.lock()
    }

    /// True if an immediate request came after the counter read `seen`.
    pub fn requested_since(&self, seen: u64) -> bool {
        self.generation() != seen
    }

    /// Waits up to `limit` (real time), returning early if an immediate request comes after
    /// `seen`. Not a busy loop: one condition-variable wait (spurious wake-ups just end the
    /// nap early).
    pub fn nap(&self, seen: u64, limit: Duration) {
        let mut generation = self.generation.lock();
        if *generation == seen {
            self.changed.wait_for(&mut generation, limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const MB: u64 = 1024 * 1024;

    fn pacing() -> CheckpointPacing {
        CheckpointPacing {
            completion_target: 0.5,
            checkpoint_timeout: Duration::from_secs(100),
            max_wal_size_bytes: 300 * MB,
        }
    }

    #[test]
    fn schedule_follows_elapsed_time() {
        let start = Duration::from_secs(1000);
        let s = CheckpointSchedule::new(pacing(), start, Lsn(16 * MB));
        let lsn = Lsn(16 * MB);
        // Half the buffers written with target 0.5 = 25% of the interval: 25 s.
        assert!(s.is_on_schedule(0.5, start + Duration::from_secs(24), lsn));
        assert!(s.is_on_schedule(0.5, start + Duration::from_secs(25), lsn));
        assert!(!s.is_on_schedule(0.5, start + Duration::from_secs(26), lsn));
        // All written: on schedule until 50 s.
        assert!(s.is_on_schedule(1.0, start + Duration::from_secs(50), lsn));
        assert!(!s.is_on_schedule(1.0, start + Duration::from_secs(51), lsn));
        // Nothing written yet: behind as soon as any time passed.
        assert!(s.is_on_schedule(0.0, start, lsn));
        assert!(!s.is_on_schedule(0.0, start + Duration::from_millis(1), lsn));
    }

    #[test]
    fn schedule_follows_wal_volume() {
        let p = pacing();
        // max_wal_size / (1 + target) = 200 MB per checkpoint interval.
        assert_eq!(p.wal_budget_bytes(), 200 * MB);
        let s = CheckpointSchedule::new(p, Duration::ZERO, Lsn(16 * MB));
        let now = Duration::ZERO;
        // progress 0.5 · 0.5 = 0.25 of 200 MB = 50 MB of WAL.
        assert!(s.is_on_schedule(0.5, now, Lsn(66 * MB)));
        assert!(!s.is_on_schedule(0.5, now, Lsn(66 * MB + 1)));
        assert!(s.is_on_schedule(1.0, now, Lsn(116 * MB)));
        assert!(!s.is_on_schedule(1.0, now, Lsn(117 * MB)));
    }

    #[test]
    fn zero_completion_target_never_pauses_after_the_start() {
        let s = CheckpointSchedule::new(
            CheckpointPacing {
                completion_target: 0.0,
                ..pacing()
            },
            Duration::ZERO,
            Lsn(0),
        );
        assert!(!s.is_on_schedule(0.9, Duration::from_millis(1), Lsn(0)));
        assert!(!s.is_on_schedule(0.9, Duration::ZERO, Lsn(8)));
    }

    #[test]
    fn immediate_request_counts_only_after_it_was_seen() {
        let requests = CheckpointRequests::new();
        requests.request_immediate();
        let seen = requests.generation();
        assert!(!requests.requested_since(seen));
        requests.request_immediate();
        assert!(requests.requested_since(seen));
        // A nap after the request returns at once (no waiting for the limit).
        requests.nap(seen, Duration::from_secs(3600));
    }

    #[test]
    fn immediate_request_wakes_a_napping_checkpointer() {
        let requests = Arc::new(CheckpointRequests::new());
        let seen = requests.generation();
        std::thread::scope(|scope| {
            let napper = {
                let requests = requests.clone();
                scope.spawn(move || requests.nap(seen, Duration::from_secs(3600)))
            };
            // Keep asking until the napper is gone (it may not have started waiting yet).
            while !napper.is_finished() {
                requests.request_immediate();
                std::thread::yield_now();
            }
            napper.join().expect("napper");
        });
        assert!(requests.requested_since(seen));
    }
}
