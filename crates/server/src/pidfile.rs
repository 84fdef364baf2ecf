//! `postmaster.pid`: the data directory's lock, in PostgreSQL's line format (pid, data
//! directory, start time, port, socket directory, listen address, shared memory key,
//! status), so `pg_ctl`-style tools can read it.

use std::path::{Path, PathBuf};

use tusk_types::{Error, Result, SqlState};

/// The lock file's name.
pub const PID_FILE: &str = "postmaster.pid";

/// Holds the lock; removes the file when dropped.
pub struct PidFile {
    path: PathBuf,
}

/// Whether a process with `pid` exists and is not a zombie (a killed server whose parent
/// has not reaped it yet holds no lock).
pub fn process_alive(pid: i32) -> bool {
    if nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err() {
        return false;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| !rest.trim_start().starts_with('Z'))
            .unwrap_or(true),
        Err(_) => true,
    }
}

/// Reads the pid from a data directory's lock file.
pub fn read_pid(data_dir: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(data_dir.join(PID_FILE)).ok()?;
    text.lines().next()?.trim().parse().ok()
}

impl PidFile {
    /// Takes the lock on `data_dir`.
    ///
    /// Errors: FATAL 55006-style `lock file "postmaster.pid" already exists` with PostgreSQL's
    /// HINT when a live server holds it; a stale file (dead pid) is replaced.
    pub fn acquire(data_dir: &Path, port: u16, socket_dir: &str, listen: &str) -> Result<PidFile> {
        let path = data_dir.join(PID_FILE);
        if let Some(pid) = read_pid(data_dir) {
            if pid != std::process::id() as i32 && process_alive(pid) {
                return Err(Error::new(
                    SqlState::OBJECT_IN_USE,
                    "lock file \"postmaster.pid\" already exists",
                )
                .hint(format!(
                    "Is another postmaster (PID {pid}) running in data directory \"{}\"?",
                    data_dir.display()
                )));
            }
        }
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let abs = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
        let text = format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{:>8} {:>8}\n{:<15}\n",
            std::process::id(),
            abs.display(),
            start,
            port,
            socket_dir,
            listen,
            0,
            0,
            "ready"
        );
        let tmp = data_dir.join("postmaster.pid.tmp");
        std::fs::write(&tmp, text)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| {
                Error::io(
                    format_args!("could not create lock file \"{}\"", path.display()),
                    &e,
                )
            })?;
        Ok(PidFile { path })
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
