//! The engine: `Database` (shared state) and `Session` (one backend's state machine).

pub mod cluster;
pub mod database;
pub mod guc;
pub mod session;
pub mod sink;

pub use database::Database;
pub use session::{ExecuteOutcome, Session, StartupInfo};
pub use sink::{ColumnDesc, NoticeSeverity, Sink};
