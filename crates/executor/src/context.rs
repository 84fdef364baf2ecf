//! What expression evaluation needs from the session: settings, identity, clocks and
//! interrupts.

use tusk_types::adt::bytea::ByteaOutput;
use tusk_types::adt::datetime::{DateStyle, IntervalStyle, TimeZone};
use tusk_types::{Datum, Result};

/// Session settings that change how values print and parse (PostgreSQL GUCs `DateStyle`,
/// `IntervalStyle`, `TimeZone`, `extra_float_digits`, `bytea_output`).
#[derive(Debug, Clone)]
pub struct OutputSettings {
    /// `DateStyle`.
    pub date_style: DateStyle,
    /// `IntervalStyle`.
    pub interval_style: IntervalStyle,
    /// `TimeZone`.
    pub time_zone: TimeZone,
    /// `extra_float_digits` (-15 .. 3).
    pub extra_float_digits: i32,
    /// `bytea_output`.
    pub bytea_output: ByteaOutput,
    /// What `'now'`, `'today'` and friends mean in date/time input: the transaction's
    /// start, µs since 2000-01-01 UTC (PostgreSQL's `GetCurrentTransactionStartTimestamp`).
    pub transaction_start: i64,
}

impl Default for OutputSettings {
    fn default() -> OutputSettings {
        OutputSettings {
            date_style: DateStyle::default(),
            interval_style: IntervalStyle::default(),
            time_zone: TimeZone::utc(),
            extra_float_digits: 1,
            bytea_output: ByteaOutput::Hex,
            transaction_start: 0,
        }
    }
}

/// The session services functions call back into (implemented by the engine).
pub trait SessionContext {
    /// `current_setting(name)`: the value as SHOW prints it (42704 if unknown).
    fn setting(&self, name: &str) -> Result<String>;
    /// `set_config(name, value, is_local)`: sets and returns the new value.
    fn set_setting(&mut self, name: &str, value: &str, is_local: bool) -> Result<String>;
    /// Returns 57014 if the statement was cancelled or timed out.
    fn check_interrupts(&self) -> Result<()>;
    /// Sleeps up to `micros`, waking early (with 57014) on cancel or timeout.
    fn sleep(&self, micros: u64) -> Result<()>;
    /// Current time, microseconds since 2000-01-01 UTC (`clock_timestamp()`).
    fn clock_now(&self) -> i64;
}

/// Everything an expression may read while it runs.
pub struct EvalContext<'a> {
    /// Session services.
    pub session: &'a mut dyn SessionContext,
    /// Output formatting.
    pub output: &'a OutputSettings,
    /// Statement start (`statement_timestamp()`), µs since 2000-01-01 UTC.
    pub statement_start: i64,
    /// Transaction start (`now()`), µs since 2000-01-01 UTC.
    pub transaction_start: i64,
    /// `current_user`.
    pub current_user: &'a str,
    /// `session_user`.
    pub session_user: &'a str,
    /// `current_database()`.
    pub database: &'a str,
    /// `pg_backend_pid()`.
    pub backend_pid: i32,
    /// Bound parameter values (`$1` is index 0).
    pub params: &'a [Datum],
}
