//! `tusk initdb`: creates a data directory laid out as PostgreSQL's (`PG_VERSION`,
//! `postgresql.conf`, `postgresql.auto.conf`, `pg_hba.conf`, `base/`, `global/` with the
//! control file, `pg_wal/` with the first segment and a shutdown checkpoint).

use std::path::Path;

use tusk_engine::database::BOOTSTRAP_SUPERUSER_FILE;
use tusk_engine::guc::write_default_config;
use tusk_types::{Error, Result};

/// The `pg_hba.conf` initdb writes: trust for local and loopback connections, as
/// PostgreSQL's initdb does without `-A`.
const DEFAULT_HBA: &str = "\
# PostgreSQL Client Authentication Configuration File
# ===================================================
#
# TYPE  DATABASE        USER            ADDRESS                 METHOD

# \"local\" is for Unix domain socket connections only
local   all             all                                     trust
# IPv4 local connections:
host    all             all             127.0.0.1/32            trust
# IPv6 local connections:
host    all             all             ::1/128                 trust
# Allow replication connections from localhost, by a user with the
# replication privilege.
local   replication     all                                     trust
host    replication     all             127.0.0.1/32            trust
host    replication     all             ::1/128                 trust
";

/// True when `dir` holds an initialised data directory.
pub fn is_initialized(dir: &Path) -> bool {
    dir.join("PG_VERSION").exists()
}

/// True when `dir` is missing or empty (so `tusk server` may initialise it).
pub fn is_missing_or_empty(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => !dir.exists(),
    }
}

/// Creates and fills a data directory.
///
/// Errors: `directory "x" exists but is not empty` (as PostgreSQL's initdb), or the
/// file-system error.
pub fn initdb(dir: &Path, superuser: &str, data_checksums: bool) -> Result<()> {
    if !is_missing_or_empty(dir) {
        return Err(Error::new(
            tusk_types::SqlState::DUPLICATE_FILE,
            format!("directory \"{}\" exists but is not empty", dir.display()),
        )
        .hint("If you want to create a new database system, either remove or empty the directory or run initdb with an argument other than it."));
    }
    let io = |what: &str, e: std::io::Error| Error::io(format_args!("could not {what}"), &e);
    std::fs::create_dir_all(dir)
        .map_err(|e| io(&format!("create directory \"{}\"", dir.display()), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
            io(
                &format!("change permissions of directory \"{}\"", dir.display()),
                e,
            )
        })?;
    }
    for sub in [
        "base",
        "global",
        "pg_wal",
        "pg_tblspc",
        "pg_stat",
        "pg_stat_tmp",
        "pg_logical",
    ] {
        std::fs::create_dir_all(dir.join(sub))
            .map_err(|e| io(&format!("create directory \"{sub}\""), e))?;
    }
    write_default_config(dir).map_err(|e| io("write configuration files", e))?;
    std::fs::write(dir.join("pg_hba.conf"), DEFAULT_HBA)
        .map_err(|e| io("write \"pg_hba.conf\"", e))?;
    std::fs::write(dir.join("pg_ident.conf"), "# PostgreSQL User Name Maps\n")
        .map_err(|e| io("write \"pg_ident.conf\"", e))?;
    std::fs::write(dir.join(BOOTSTRAP_SUPERUSER_FILE), format!("{superuser}\n"))
        .map_err(|e| io("write the bootstrap superuser", e))?;
    tusk_engine::cluster::bootstrap_template1(dir, data_checksums)?;
    tusk_engine::system_sql::install(dir)?;
    tusk_engine::cluster::copy_template_databases(dir)?;
    // PG_VERSION last: its presence marks a complete data directory.
    std::fs::write(dir.join("PG_VERSION"), "15\n").map_err(|e| io("write \"PG_VERSION\"", e))?;
    eprintln!(
        "Success. The data directory \"{}\" is initialised (superuser \"{superuser}\").",
        dir.display()
    );
    Ok(())
}
