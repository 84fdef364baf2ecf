//! Time behind a trait: [`RealClock`] reads the system clocks, [`ManualClock`] is advanced by
//! tests so that timeouts and timestamps are deterministic.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use parking_lot::Mutex;

/// Wall-clock and monotonic time.
pub trait Clock: Send + Sync + 'static {
    /// Wall-clock time (commit timestamps, `now()`, control-file time).
    fn now(&self) -> SystemTime;
    /// Time elapsed since an arbitrary fixed start; never goes backwards (timeouts, delays).
    fn monotonic(&self) -> Duration;
}

/// The operating system's clocks.
#[derive(Debug)]
pub struct RealClock {
    start: Instant,
}

impl RealClock {
    /// A clock whose monotonic time starts at zero now.
    pub fn new() -> RealClock {
        RealClock {
            start: Instant::now(),
        }
    }
}

impl Default for RealClock {
    fn default() -> Self {
        RealClock::new()
    }
}

impl Clock for RealClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn monotonic(&self) -> Duration {
        self.start.elapsed()
    }
}

/// A clock that moves only when told to; clones share the same time.
#[derive(Clone, Debug)]
pub struct ManualClock {
    state: Arc<Mutex<ManualState>>,
}

#[derive(Debug)]
struct ManualState {
    wall: SystemTime,
    monotonic: Duration,
}

impl ManualClock {
    /// A clock reading `wall` as wall-clock time and zero as monotonic time.
    pub fn new(wall: SystemTime) -> ManualClock {
        ManualClock {
            state: Arc::new(Mutex::new(ManualState {
                wall,
                monotonic: Duration::ZERO,
            })),
        }
    }

    /// Moves both clocks forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock();
        state.wall += by;
        state.monotonic += by;
    }

    /// Sets the wall-clock time (may go backwards, as a system clock can); the monotonic clock
    /// is unchanged.
    pub fn set_wall(&self, wall: SystemTime) {
        self.state.lock().wall = wall;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.state.lock().wall
    }

    fn monotonic(&self) -> Duration {
        self.state.lock().monotonic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let clock = ManualClock::new(start);
        let shared = clock.clone();
        assert_eq!(clock.now(), start);
        assert_eq!(clock.monotonic(), Duration::ZERO);
        shared.advance(Duration::from_millis(1500));
        assert_eq!(clock.now(), start + Duration::from_millis(1500));
        assert_eq!(clock.monotonic(), Duration::from_millis(1500));
        clock.set_wall(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.monotonic(), Duration::from_millis(1500));
    }

    #[test]
    fn real_clock_is_monotonic() {
        let clock = RealClock::new();
        let a = clock.monotonic();
        let b = clock.monotonic();
        assert!(b >= a);
        assert!(clock.now() > SystemTime::UNIX_EPOCH);
    }
}
