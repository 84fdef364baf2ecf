//! The engine: `Database` (shared state) and `Session` (one backend's state machine).

pub mod activity;
pub mod autovacuum;
pub mod catalog_bootstrap;
pub mod cluster;
pub mod copy_format;
pub mod database;
pub mod foreign_key;
pub mod guc;
pub mod heap;
pub mod index_expressions;
pub mod index_maintenance;
pub mod index_scan;
pub mod lock;
pub mod notify;
pub mod partition;
pub mod password;
pub mod pgstat;
pub mod relcache;
pub mod row_lock;
pub mod sequence;
pub mod session;
pub mod sink;
pub mod statement_stats;
pub mod system_sql;
pub mod toast;
pub mod transaction;
pub mod user_types;
pub mod xact_services;

pub use database::Database;
pub use session::{ExecuteOutcome, Session, StartupInfo};
pub use sink::{ColumnDesc, NoticeSeverity, Sink};

#[cfg(test)]
pub(crate) mod test_support {
    /// Polls `condition` for up to 10 s; true once it holds.
    pub fn wait_until(mut condition: impl FnMut() -> bool) -> bool {
        let end = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < end {
            if condition() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        false
    }
}
