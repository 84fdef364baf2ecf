//! The server under test: a temporary tusk or PostgreSQL 15 instance, or a running server.
//!
//! Rules:
//! 1. A temporary instance gets its own directory (data directory plus Unix-socket
//!    directory) under the system temp directory and a free loopback port; it is removed
//!    when the run ends.
//! 2. PostgreSQL is set up as pg_regress 15 sets up its temp instance: `initdb --no-locale
//!    -E UTF8 -U postgres --no-clean --no-sync`, pg_regress's lines appended to
//!    `postgresql.conf` ([`PG_REGRESS_CONFIG`]), then `postgres -F` (fsync off). PostgreSQL
//!    refuses to run as root, so as root both run as the unprivileged user [`POSTGRES_OS_USER`]
//!    (created when missing), which then owns the instance directory and the results directory.
//! 3. tusk is started as `tusk server -D DIR -p PORT -c listen_addresses=127.0.0.1
//!    -c unix_socket_directories=DIR` plus the same settings as `-c` options; if it exits
//!    during startup with them, it is started once more without them.
//! 4. A server is ready when psql can run `SELECT 1` in database `postgres`; startup waits up
//!    to [`STARTUP_TIMEOUT`].
//!
//! 5. A server that died is restarted on its data directory (crash recovery); if it does
//!    not come back, a fresh instance replaces it.
//! 6. [`Server::start_with`] replaces rules 2 and 3's settings with an [`InstanceSettings`]
//!    (the benchmark harness runs with fsync on and its own settings); [`Server::start`]
//!    uses [`InstanceSettings::regress`].
//!
//! Entry points: [`Server::start`], [`Server::start_with`], [`Server::check`],
//! [`Server::restart`], [`Server::reinitialize`], [`Server::stop`], [`Server::pid`].

use std::fs::{self, File};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// OS user that runs PostgreSQL when the runner runs as root.
pub const POSTGRES_OS_USER: &str = "tuskregress";

/// Bootstrap superuser of temporary instances.
pub const SUPERUSER: &str = "postgres";

/// How long a starting server may take to accept connections.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Settings pg_regress 15 appends to a temp instance's `postgresql.conf` (name, value).
pub const PG_REGRESS_CONFIG: &[(&str, &str)] = &[
    ("log_autovacuum_min_duration", "0"),
    ("log_checkpoints", "on"),
    ("log_line_prefix", "'%m %b[%p] %q%a '"),
    ("log_lock_waits", "on"),
    ("log_temp_files", "128kB"),
    ("max_prepared_transactions", "2"),
];

/// Settings a temporary instance runs with (rule 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceSettings {
    /// `fsync`; off adds `-F` for PostgreSQL and `-c fsync=off` for tusk.
    pub fsync: bool,
    /// Further settings (name, value as written in `postgresql.conf`): appended to
    /// PostgreSQL's `postgresql.conf`, passed to tusk as `-c name=value` (quotes stripped).
    pub settings: Vec<(String, String)>,
}

impl InstanceSettings {
    /// pg_regress 15's temp-instance settings: fsync off plus [`PG_REGRESS_CONFIG`].
    pub fn regress() -> InstanceSettings {
        InstanceSettings {
            fsync: false,
            settings: PG_REGRESS_CONFIG
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
        }
    }
}

/// Which server to test.
#[derive(Debug, Clone)]
pub enum ServerKind {
    /// A temporary tusk instance from this binary.
    Tusk {
        /// Path of the `tusk` binary.
        binary: PathBuf,
    },
    /// A temporary PostgreSQL instance from this bin directory (initdb, postgres, pg_ctl).
    Postgres {
        /// Directory holding `initdb` and `postgres`.
        bin_dir: PathBuf,
    },
    /// A server that is already running.
    External {
        /// Host name or address.
        host: String,
        /// TCP port.
        port: u16,
    },
}

/// A server the tests connect to.
pub struct Server {
    kind: ServerKind,
    /// Address psql connects to.
    pub host: String,
    /// Port psql connects to.
    pub port: u16,
    /// Database user psql connects as.
    pub user: String,
    /// Instance directory of a temporary server.
    instance_dir: Option<PathBuf>,
    /// Log file of a temporary server.
    log_path: PathBuf,
    child: Option<Child>,
    /// Extra settings were dropped because the server did not start with them (rule 3).
    pub settings_dropped: bool,
    psql: PathBuf,
    /// uid/gid the server runs as, when not the current user.
    run_as: Option<(u32, u32)>,
    /// Settings of a temporary instance.
    instance_settings: InstanceSettings,
}

/// The server's state after a test, as seen by [`Server::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Accepting connections.
    Up,
    /// The server process exited (or stopped answering).
    Down,
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("could not find a free port: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("could not find a free port: {e}"))?
        .port();
    Ok(port)
}

impl Server {
    /// Starts (or, for [`ServerKind::External`], connects to) the server and waits until it
    /// accepts connections. `log_dir` receives `initdb.log` and `postmaster.log`;
    /// `results_dir` is made writable for the server (server-side `COPY ... TO`).
    pub fn start(
        kind: ServerKind,
        psql: &Path,
        user: &str,
        log_dir: &Path,
        results_dir: &Path,
    ) -> Result<Server, String> {
        Server::start_with(
            kind,
            psql,
            user,
            log_dir,
            results_dir,
            InstanceSettings::regress(),
        )
    }

    /// [`Server::start`] with the given settings for a temporary instance (rule 6).
    pub fn start_with(
        kind: ServerKind,
        psql: &Path,
        user: &str,
        log_dir: &Path,
        results_dir: &Path,
        instance_settings: InstanceSettings,
    ) -> Result<Server, String> {
        fs::create_dir_all(log_dir)
            .map_err(|e| format!("could not create {}: {e}", log_dir.display()))?;
        let (host, port) = match &kind {
            ServerKind::External { host, port } => (host.clone(), *port),
            _ => ("127.0.0.1".to_string(), free_port()?),
        };
        let mut server = Server {
            kind,
            host,
            port,
            user: user.to_string(),
            instance_dir: None,
            log_path: log_dir.join("postmaster.log"),
            child: None,
            settings_dropped: false,
            psql: psql.to_path_buf(),
            run_as: None,
            instance_settings,
        };
        match server.kind.clone() {
            ServerKind::External { .. } => {
                if !server.wait_ready(STARTUP_TIMEOUT) {
                    return Err(format!(
                        "no server answers at {}:{}",
                        server.host, server.port
                    ));
                }
            }
            ServerKind::Postgres { bin_dir } => {
                server.run_as = postgres_os_user()?;
                let dir = server.make_instance_dir()?;
                if let Some((uid, gid)) = server.run_as {
                    chown(results_dir, uid, gid)?;
                }
                server.initdb(&bin_dir, &dir, log_dir)?;
                server.spawn_postgres(&bin_dir)?;
            }
            ServerKind::Tusk { binary } => {
                server.make_instance_dir()?;
                server.spawn_tusk(&binary, true)?;
                if !server.wait_ready(STARTUP_TIMEOUT) && server.exited() {
                    server.settings_dropped = true;
                    let data = server.data_dir();
                    if data.exists() {
                        fs::remove_dir_all(&data)
                            .map_err(|e| format!("could not remove {}: {e}", data.display()))?;
                    }
                    server.spawn_tusk(&binary, false)?;
                }
            }
        }
        if !matches!(server.kind, ServerKind::External { .. })
            && !server.wait_ready(STARTUP_TIMEOUT)
        {
            server.stop();
            return Err(format!(
                "server did not start; see {}",
                server.log_path.display()
            ));
        }
        Ok(server)
    }

    /// Short description of the server for summaries (no paths: summaries are committed).
    pub fn describe(&self) -> String {
        match &self.kind {
            ServerKind::Tusk { .. } => "tusk".to_string(),
            ServerKind::Postgres { .. } => "PostgreSQL 15".to_string(),
            ServerKind::External { host, port } => format!("server at {host}:{port}"),
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.instance_dir
            .as_ref()
            .expect("temporary instance has a directory")
            .join("data")
    }

    fn make_instance_dir(&mut self) -> Result<PathBuf, String> {
        let base =
            std::env::temp_dir().join(format!("tusk-regress-{}-{}", std::process::id(), self.port));
        if base.exists() {
            fs::remove_dir_all(&base)
                .map_err(|e| format!("could not remove {}: {e}", base.display()))?;
        }
        fs::create_dir_all(&base)
            .map_err(|e| format!("could not create {}: {e}", base.display()))?;
        if let Some((uid, gid)) = self.run_as {
            chown(&base, uid, gid)?;
        }
        self.instance_dir = Some(base.clone());
        Ok(base)
    }

    fn command(&self, program: PathBuf) -> Command {
        let mut command = Command::new(program);
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid);
        }
        command.stdin(Stdio::null());
        command
    }

    fn log_file(&self, path: &Path) -> Result<(File, File), String> {
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("could not open {}: {e}", path.display()))?;
        let copy = file
            .try_clone()
            .map_err(|e| format!("could not open {}: {e}", path.display()))?;
        Ok((file, copy))
    }

    fn initdb(&self, bin_dir: &Path, dir: &Path, log_dir: &Path) -> Result<(), String> {
        let (out, err) = self.log_file(&log_dir.join("initdb.log"))?;
        let data = dir.join("data");
        let status = self
            .command(bin_dir.join("initdb"))
            .args(["-D"])
            .arg(&data)
            .args([
                "--no-clean",
                "--no-sync",
                "--no-locale",
                "-E",
                "UTF8",
                "-U",
                SUPERUSER,
            ])
            .current_dir(dir)
            .stdout(out)
            .stderr(err)
            .status()
            .map_err(|e| format!("could not run initdb: {e}"))?;
        if !status.success() {
            return Err(format!(
                "initdb failed; see {}",
                log_dir.join("initdb.log").display()
            ));
        }
        let mut conf = String::from("\n# Configuration added by pg_regress\n\n");
        for (name, value) in &self.instance_settings.settings {
            conf.push_str(&format!("{name} = {value}\n"));
        }
        let conf_path = data.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf_path)
            .map_err(|e| format!("could not read {}: {e}", conf_path.display()))?;
        text.push_str(&conf);
        fs::write(&conf_path, text)
            .map_err(|e| format!("could not write {}: {e}", conf_path.display()))
    }

    fn spawn_postgres(&mut self, bin_dir: &Path) -> Result<(), String> {
        let dir = self
            .instance_dir
            .clone()
            .expect("instance directory made before start");
        let (out, err) = self.log_file(&self.log_path)?;
        let child = self
            .command(bin_dir.join("postgres"))
            .arg("-D")
            .arg(dir.join("data"))
            .args((!self.instance_settings.fsync).then_some("-F"))
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-k",
            ])
            .arg(&dir)
            .current_dir(&dir)
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not start postgres: {e}"))?;
        self.child = Some(child);
        Ok(())
    }

    fn spawn_tusk(&mut self, binary: &Path, with_settings: bool) -> Result<(), String> {
        let dir = self
            .instance_dir
            .clone()
            .expect("instance directory made before start");
        let (out, err) = self.log_file(&self.log_path)?;
        let mut command = self.command(binary.to_path_buf());
        command
            .arg("server")
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.display()));
        if with_settings {
            if !self.instance_settings.fsync {
                command.args(["-c", "fsync=off"]);
            }
            for (name, value) in &self.instance_settings.settings {
                command
                    .arg("-c")
                    .arg(format!("{name}={}", value.trim_matches('\'')));
            }
        }
        let child = command
            .current_dir(&dir)
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
        self.child = Some(child);
        Ok(())
    }

    /// Process id of a managed server (tusk's process, PostgreSQL's postmaster), while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Whether the managed server process has exited.
    fn exited(&mut self) -> bool {
        match self.child.as_mut() {
            Some(child) => !matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// Runs `SELECT 1` through psql in database `postgres`.
    pub fn ping(&self) -> bool {
        Command::new(&self.psql)
            .args(["-X", "-q", "-A", "-t", "-c", "SELECT 1", "-d", "postgres"])
            .args([
                "-h",
                &self.host,
                "-p",
                &self.port.to_string(),
                "-U",
                &self.user,
            ])
            .env("PGCONNECT_TIMEOUT", "10")
            .env_remove("PGOPTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Waits until the server accepts connections, it exits, or `timeout` passes.
    pub fn wait_ready(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.ping() {
                return true;
            }
            if self.exited() || Instant::now() >= deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Checks the server after a test. `lost_connection` says the test's output shows the
    /// server closing the connection; then the server gets time to finish crash recovery.
    pub fn check(&mut self, lost_connection: bool) -> Health {
        if self.exited() {
            return Health::Down;
        }
        if !lost_connection || self.wait_ready(STARTUP_TIMEOUT) {
            Health::Up
        } else {
            Health::Down
        }
    }

    /// Restarts a managed server on its existing data directory (crash recovery), waiting
    /// until it accepts connections. An external server can only be waited for.
    pub fn restart(&mut self) -> Result<(), String> {
        self.kill();
        match self.kind.clone() {
            ServerKind::External { .. } => {}
            ServerKind::Postgres { bin_dir } => self.spawn_postgres(&bin_dir)?,
            ServerKind::Tusk { binary } => self.spawn_tusk(&binary, !self.settings_dropped)?,
        }
        if self.wait_ready(STARTUP_TIMEOUT) {
            Ok(())
        } else {
            Err(format!(
                "server did not come back; see {}",
                self.log_path.display()
            ))
        }
    }

    /// Replaces a managed server that did not come back with a fresh instance (new data
    /// directory); the caller must create the test database again.
    pub fn reinitialize(&mut self, log_dir: &Path) -> Result<(), String> {
        self.kill();
        match self.kind.clone() {
            ServerKind::External { .. } => {
                return Err("the server at the given address is gone".to_string())
            }
            ServerKind::Postgres { bin_dir } => {
                let dir = self.make_instance_dir()?;
                self.initdb(&bin_dir, &dir, log_dir)?;
                self.spawn_postgres(&bin_dir)?;
            }
            ServerKind::Tusk { binary } => {
                self.make_instance_dir()?;
                self.spawn_tusk(&binary, !self.settings_dropped)?;
            }
        }
        if self.wait_ready(STARTUP_TIMEOUT) {
            Ok(())
        } else {
            Err(format!(
                "a fresh server did not start either; see {}",
                self.log_path.display()
            ))
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }

    /// Stops a managed server (SIGINT: PostgreSQL's fast shutdown, up to 60 s, then SIGKILL)
    /// and removes its instance directory.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if matches!(child.try_wait(), Ok(None)) {
                let pid =
                    nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("pid fits in i32"));
                let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
                let deadline = Instant::now() + Duration::from_secs(60);
                while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                    thread::sleep(Duration::from_millis(50));
                }
                if matches!(child.try_wait(), Ok(None)) {
                    let _ = child.kill();
                }
            }
            let _ = child.wait();
        }
        if let Some(dir) = self.instance_dir.take() {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The uid/gid PostgreSQL must run as: none when not root, else [`POSTGRES_OS_USER`]'s
/// (created with `useradd -r -M` when missing).
fn postgres_os_user() -> Result<Option<(u32, u32)>, String> {
    if !nix::unistd::Uid::effective().is_root() {
        return Ok(None);
    }
    let lookup = || {
        nix::unistd::User::from_name(POSTGRES_OS_USER)
            .map_err(|e| format!("could not look up user {POSTGRES_OS_USER}: {e}"))
    };
    let user = match lookup()? {
        Some(user) => user,
        None => {
            let status = Command::new("useradd")
                .args(["-r", "-M", "-s", "/usr/sbin/nologin", POSTGRES_OS_USER])
                .status()
                .map_err(|e| format!("could not run useradd: {e}"))?;
            if !status.success() {
                return Err(format!("useradd {POSTGRES_OS_USER} failed"));
            }
            lookup()?.ok_or_else(|| format!("user {POSTGRES_OS_USER} missing after useradd"))?
        }
    };
    Ok(Some((user.uid.as_raw(), user.gid.as_raw())))
}

fn chown(path: &Path, uid: u32, gid: u32) -> Result<(), String> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid))
        .map_err(|e| format!("could not chown {}: {e}", path.display()))
}
