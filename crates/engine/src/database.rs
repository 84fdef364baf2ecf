//! `Database`: the state every backend shares (PostgreSQL's shared memory): configuration,
//! the registry of running backends (for cancel requests, admission and shutdown), and
//! the cluster's identity as initdb left it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use parking_lot::{Condvar, Mutex, RwLock};
use tusk_types::{pg_err, Result};

use crate::guc::ServerConfig;

/// File in `global/` naming the bootstrap superuser chosen at initdb.
pub const BOOTSTRAP_SUPERUSER_FILE: &str = "global/bootstrap_superuser";

/// Flags another thread may raise on a backend, and the latch it sleeps on.
#[derive(Default)]
pub struct BackendSignals {
    cancel: AtomicBool,
    terminate: AtomicBool,
    latch: Mutex<()>,
    wake: Condvar,
    closer: Mutex<Option<Box<dyn Fn() + Send + Sync>>>,
}

impl BackendSignals {
    /// Requests cancellation of the running statement (CancelRequest, `pg_cancel_backend`).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
        self.wake_up();
    }

    /// Requests the session to end (fast shutdown, `pg_terminate_backend`); a backend
    /// blocked reading from its client is woken through the closer.
    pub fn terminate(&self) {
        self.terminate.store(true, Ordering::SeqCst);
        self.wake_up();
        if let Some(close) = self.closer.lock().as_ref() {
            close();
        }
    }

    /// Sets how to interrupt a read from the client (shutting down the socket's read side).
    pub fn set_closer(&self, closer: Box<dyn Fn() + Send + Sync>) {
        *self.closer.lock() = Some(closer);
    }

    fn wake_up(&self) {
        let _guard = self.latch.lock();
        self.wake.notify_all();
    }

    /// Takes (clears) a pending cancel request.
    pub fn take_cancel(&self) -> bool {
        self.cancel.swap(false, Ordering::SeqCst)
    }

    /// True once termination was requested.
    pub fn terminating(&self) -> bool {
        self.terminate.load(Ordering::SeqCst)
    }

    /// Sleeps until `deadline` or a signal, whichever comes first.
    pub fn sleep_until(&self, deadline: std::time::Instant) {
        let mut guard = self.latch.lock();
        while std::time::Instant::now() < deadline
            && !self.cancel.load(Ordering::SeqCst)
            && !self.terminate.load(Ordering::SeqCst)
        {
            self.wake.wait_until(&mut guard, deadline);
        }
    }
}

/// One running backend, as the postmaster and other backends see it.
pub struct BackendEntry {
    /// Secret key from BackendKeyData; a CancelRequest must quote it.
    pub secret_key: i32,
    /// Signals to this backend.
    pub signals: Arc<BackendSignals>,
    /// Connected role.
    pub user: String,
    /// Connected database.
    pub database: String,
    /// Whether it took a superuser-reserved slot.
    pub superuser: bool,
    /// What it is doing (`pg_stat_activity`).
    pub status: Arc<Mutex<crate::activity::BackendStatus>>,
}

/// The shared state of one running server.
pub struct Database {
    data_dir: PathBuf,
    /// WAL, shared buffers and checkpoints of the data directory.
    pub cluster: Arc<crate::cluster::Cluster>,
    /// Server-wide configuration; reload replaces values in place.
    pub config: RwLock<ServerConfig>,
    backends: Mutex<HashMap<i32, BackendEntry>>,
    bootstrap_superuser: String,
    /// When the postmaster started (`pg_postmaster_start_time()`).
    pub start_time: SystemTime,
    /// Bumped by every reload, so sessions notice new values at their next statement.
    config_generation: std::sync::atomic::AtomicU64,
    /// Databases whose leftover temp schemas a session has emptied since start-up.
    temp_cleaned: Mutex<std::collections::HashSet<tusk_types::Oid>>,
    /// LISTEN / NOTIFY: listening backends and their undelivered notifications.
    pub notify: crate::notify::NotifyHub,
    /// pg_stat_statements' entries (`statement_stats`).
    pub statement_stats: crate::statement_stats::StatementStats,
}

impl Database {
    /// Opens the shared state for an initialised data directory.
    ///
    /// Errors: 58P01 when the directory lacks what initdb writes.
    pub fn open(
        data_dir: &Path,
        config: ServerConfig,
        cluster: Arc<crate::cluster::Cluster>,
    ) -> Result<Arc<Database>> {
        let path = data_dir.join(BOOTSTRAP_SUPERUSER_FILE);
        let superuser = std::fs::read_to_string(&path).map_err(|e| {
            tusk_types::Error::io(
                format_args!("could not read file \"{}\"", path.display()),
                &e,
            )
        })?;
        // shared_preload_libraries is fixed at server start (postmaster context).
        let track_statements =
            crate::statement_stats::preloaded(&config.string("shared_preload_libraries"));
        Ok(Arc::new(Database {
            data_dir: data_dir.to_path_buf(),
            cluster,
            config: RwLock::new(config),
            backends: Mutex::new(HashMap::new()),
            bootstrap_superuser: superuser.trim().to_string(),
            start_time: SystemTime::now(),
            config_generation: std::sync::atomic::AtomicU64::new(0),
            temp_cleaned: Mutex::new(std::collections::HashSet::new()),
            notify: crate::notify::NotifyHub::new(),
            statement_stats: crate::statement_stats::StatementStats::new(
                crate::session::now_pg_micros(),
                track_statements,
            ),
        }))
    }

    /// Re-reads the configuration files (SIGHUP); returns PostgreSQL-style log lines.
    pub fn reload_config(&self) -> Vec<String> {
        let lines = self.config.write().reload(&self.data_dir);
        self.config_generation.fetch_add(1, Ordering::SeqCst);
        lines
    }

    /// The reload generation (see [`Database::reload_config`]).
    pub fn config_generation(&self) -> u64 {
        self.config_generation.load(Ordering::SeqCst)
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Whether a role exists, and whether it is a superuser: (exists, superuser).
    /// Until roles are catalog rows, the bootstrap superuser is the only role.
    pub fn role(&self, name: &str) -> Option<bool> {
        (name == self.bootstrap_superuser).then_some(true)
    }

    /// Admits a backend under `max_connections` / `superuser_reserved_connections`.
    ///
    /// Errors: FATAL 53300 `sorry, too many clients already`, or
    /// `remaining connection slots are reserved for non-replication superuser connections`.
    pub fn register_backend(&self, pid: i32, entry: BackendEntry) -> Result<()> {
        let (max, reserved) = {
            let c = self.config.read();
            (
                c.int("max_connections").max(1) as usize,
                c.int("superuser_reserved_connections").max(0) as usize,
            )
        };
        let mut backends = self.backends.lock();
        // Autovacuum's sessions are not counted against max_connections, nor limited.
        let client =
            |e: &BackendEntry| e.status.lock().backend_type == crate::activity::CLIENT_BACKEND;
        if !client(&entry) {
            backends.insert(pid, entry);
            return Ok(());
        }
        let n = backends.values().filter(|e| client(e)).count();
        if n >= max {
            return Err(pg_err!(TOO_MANY_CONNECTIONS, "sorry, too many clients already").fatal());
        }
        if !entry.superuser && n + reserved >= max {
            return Err(pg_err!(
                TOO_MANY_CONNECTIONS,
                "remaining connection slots are reserved for non-replication superuser connections"
            )
            .fatal());
        }
        backends.insert(pid, entry);
        Ok(())
    }

    /// True for the first caller per database `db` since start-up: the session that
    /// empties what sessions of an earlier run left in temp schemas.
    pub fn claim_temp_cleanup(&self, db: tusk_types::Oid) -> bool {
        self.temp_cleaned.lock().insert(db)
    }

    /// Whether backend `pid` is running.
    pub fn backend_running(&self, pid: i32) -> bool {
        self.backends.lock().contains_key(&pid)
    }

    /// Removes a backend at session end.
    pub fn unregister_backend(&self, pid: i32) {
        self.backends.lock().remove(&pid);
    }

    /// Handles a CancelRequest: cancels the backend's statement if the key matches; a wrong
    /// key or unknown pid is ignored, as PostgreSQL does.
    pub fn cancel_backend(&self, pid: i32, secret_key: i32) -> bool {
        match self.backends.lock().get(&pid) {
            Some(b) if b.secret_key == secret_key => {
                b.signals.cancel();
                true
            }
            _ => false,
        }
    }

    /// The role backend `pid` runs as (`PGPROC.roleId`), if it is running.
    pub fn backend_role(&self, pid: i32) -> Option<tusk_types::Oid> {
        self.backends
            .lock()
            .get(&pid)
            .map(|b| b.status.lock().user_oid)
    }

    /// Cancels backend `pid`'s statement (`pg_cancel_backend`); false if there is none.
    pub fn cancel_backend_statement(&self, pid: i32) -> bool {
        match self.backends.lock().get(&pid) {
            Some(b) => {
                b.signals.cancel();
                true
            }
            None => false,
        }
    }

    /// Asks backend `pid` to end (`pg_terminate_backend`); false if there is none.
    pub fn terminate_backend(&self, pid: i32) -> bool {
        match self.backends.lock().get(&pid) {
            Some(b) => {
                b.signals.terminate();
                true
            }
            None => false,
        }
    }

    /// Asks every backend to end (fast shutdown).
    pub fn terminate_all(&self) {
        for b in self.backends.lock().values() {
            b.signals.terminate();
        }
    }

    /// Number of running backends.
    pub fn backend_count(&self) -> usize {
        self.backends.lock().len()
    }

    /// Number of running backends connected as role `user` (for `rolconnlimit`).
    pub fn backend_count_of_role(&self, user: &str) -> usize {
        self.backends
            .lock()
            .values()
            .filter(|b| b.user == user)
            .count()
    }

    /// Every backend's pid, role and activity, by pid (for `pg_stat_get_activity`).
    pub fn activity(&self) -> Vec<(i32, String, crate::activity::BackendStatus)> {
        let backends = self.backends.lock();
        let mut out: Vec<_> = backends
            .iter()
            .map(|(pid, b)| (*pid, b.user.clone(), b.status.lock().clone()))
            .collect();
        out.sort_by_key(|(pid, _, _)| *pid);
        out
    }
}
