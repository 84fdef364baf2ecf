//! initdb's SQL step: the parts of the initial catalog that are easiest to state in SQL
//! (the information schema: `sql/information_schema.sql`) are created by running a script
//! through an ordinary session in `template1`, as PostgreSQL's initdb runs
//! `information_schema.sql`, before `template0` and `postgres` are copied from it. Before
//! it, the privileges the system objects start with are recorded in `pg_init_privs`
//! (`Session::record_initial_privileges`, initdb's `setup_privileges`), so pg_dump tells
//! them from privileges a user changed later and dumps only those.
//!
//! Entry point: [`install`].

use std::path::Path;
use std::sync::Arc;

use tusk_types::Result;

use crate::cluster::Cluster;
use crate::database::{Database, BOOTSTRAP_SUPERUSER_FILE};
use crate::guc::ServerConfig;
use crate::session::{NullSink, Session, StartupInfo};

/// The information schema's definition.
pub const INFORMATION_SCHEMA_SQL: &str = include_str!("../sql/information_schema.sql");

/// Runs the system SQL in `template1` of `data_dir` (bootstrapped by
/// [`crate::cluster::bootstrap_template1`]) and shuts the storage down cleanly.
///
/// Errors: start-up errors, any error of the script (with the failing statement's
/// message: a bug in tusk, since the script is fixed).
pub fn install(data_dir: &Path) -> Result<()> {
    let superuser = std::fs::read_to_string(data_dir.join(BOOTSTRAP_SUPERUSER_FILE))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "postgres".to_string());
    let config = ServerConfig::boot();
    let (cluster, _) = Cluster::start(data_dir, &config)?;
    let db = Database::open(data_dir, config, Arc::new(cluster))?;
    {
        let mut session = Session::start(
            db.clone(),
            StartupInfo {
                user: superuser,
                database: "template1".into(),
                settings: Vec::new(),
                client: None,
                server: None,
            },
            1,
            0,
        )?;
        session.record_initial_privileges()?;
        session.simple_query(INFORMATION_SCHEMA_SQL, &mut NullSink)?;
    }
    db.cluster.shutdown(false)
}
