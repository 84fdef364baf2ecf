//! The executor's window into the session ([`tusk_executor::SessionContext`]): settings,
//! cancellation, statement timeout and interruptible sleep.

use std::time::{Duration, Instant};

use tusk_executor::SessionContext;
use tusk_types::{Error, Result, SqlState};

use crate::database::BackendSignals;
use crate::guc::SessionConfig;

/// Settings plus interrupt state for one running statement.
pub struct Interrupts<'a> {
    /// The session's configuration (current_setting / set_config).
    pub config: &'a mut SessionConfig,
    /// Signals raised on this backend.
    pub signals: &'a BackendSignals,
    /// When `statement_timeout` expires.
    pub deadline: Option<Instant>,
    /// Whether the role is a superuser (for set_config).
    pub superuser: bool,
}

/// 57014 `canceling statement due to user request`.
pub fn cancel_error() -> Error {
    Error::new(
        SqlState::QUERY_CANCELED,
        "canceling statement due to user request",
    )
}

/// FATAL 57P01 `terminating connection due to administrator command`.
pub fn terminate_error() -> Error {
    Error::new(
        SqlState::ADMIN_SHUTDOWN,
        "terminating connection due to administrator command",
    )
    .fatal()
}

/// Errors for a pending terminate (FATAL 57P01), cancel or expired statement timeout
/// (57014).
pub fn check_signals(signals: &BackendSignals, deadline: Option<Instant>) -> Result<()> {
    if signals.terminating() {
        return Err(terminate_error());
    }
    if signals.take_cancel() {
        return Err(cancel_error());
    }
    if deadline.is_some_and(|d| Instant::now() >= d) {
        return Err(Error::new(
            SqlState::QUERY_CANCELED,
            "canceling statement due to statement timeout",
        ));
    }
    Ok(())
}

impl SessionContext for Interrupts<'_> {
    fn setting(&self, name: &str) -> Result<String> {
        self.config.show(name)
    }

    fn set_setting(&mut self, name: &str, value: &str, is_local: bool) -> Result<String> {
        self.config
            .set(name, Some(value), is_local, self.superuser)?;
        self.config.show(name)
    }

    fn check_interrupts(&self) -> Result<()> {
        check_signals(self.signals, self.deadline)
    }

    fn sleep(&self, micros: u64) -> Result<()> {
        let end = Instant::now() + Duration::from_micros(micros);
        loop {
            self.check_interrupts()?;
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            let until = match self.deadline {
                Some(d) if d < end => d,
                _ => end,
            };
            self.signals.sleep_until(until.max(now));
        }
    }

    fn clock_now(&self) -> i64 {
        super::now_pg_micros()
    }
}
