//! The engine: `Database` (shared state) and `Session` (one backend's state machine).

pub mod guc;
