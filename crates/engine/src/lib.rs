//! The engine: `Database` (shared state) and `Session` (one backend's state machine).

pub mod catalog_bootstrap;
pub mod cluster;
pub mod copy_format;
pub mod database;
pub mod guc;
pub mod heap;
pub mod relcache;
pub mod sequence;
pub mod session;
pub mod sink;
pub mod transaction;
pub mod xact_services;

pub use database::Database;
pub use session::{ExecuteOutcome, Session, StartupInfo};
pub use sink::{ColumnDesc, NoticeSeverity, Sink};
