//! Shared harness for the integration tests: runs the real `tusk` binary as a server on a
//! free loopback port, in its own temporary data and socket directories.
//!
//! Rules:
//! 1. Every server gets a fresh `TempDir` holding `data/` and the Unix socket, so tests never
//!    touch `/tmp` sockets or each other's files.
//! 2. Start-up waits for the "ready to accept connections" log line and a successful TCP
//!    connect, polling with a generous bound; a port someone else took between choosing and
//!    binding is detected from the log and retried on another port.
//! 3. Dropping a [`TestServer`] sends SIGINT (fast shutdown) and kills the process if it has
//!    not exited within the bound; the server's log is kept in the temp dir and shown by
//!    [`TestServer::log`] for failure messages.
//! 4. External client tools (psql, pgbench, psycopg2) are optional locally but required in
//!    CI: see [`client_tool_available`].
//!
//! Entry points: [`TestServer::start`], [`TestServer::connect`], [`client_tool_available`].
#![allow(dead_code)]

pub mod raw;

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use tempfile::TempDir;

/// How long start-up and shutdown may take before the harness gives up (generous: the
/// machine running the tests may be loaded).
const STARTUP_BOUND: Duration = Duration::from_secs(60);
const SHUTDOWN_BOUND: Duration = Duration::from_secs(20);
/// Poll interval while waiting on a condition.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// A running `tusk server` process.
pub struct TestServer {
    dir: TempDir,
    child: Option<Child>,
    /// TCP port on 127.0.0.1.
    pub port: u16,
}

/// A port that was free a moment ago (the kernel's choice for an ephemeral bind).
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// Waits until `condition` holds, polling; false if `bound` passed first.
pub fn wait_for(bound: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if condition() {
            return true;
        }
        if start.elapsed() > bound {
            return false;
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

enum Startup {
    Ready,
    PortTaken,
}

impl TestServer {
    /// Starts a server with extra `-c name=value` settings.
    ///
    /// Panics (with the server's log) if it does not come up within the bound.
    pub fn start_with(settings: &[&str]) -> TestServer {
        for _attempt in 0..5 {
            let mut server = TestServer {
                child: None,
                port: free_port(),
                dir: tempfile::Builder::new()
                    .prefix("tusk-itest-")
                    .tempdir()
                    .expect("create temp dir"),
            };
            match server.spawn(settings) {
                Startup::Ready => return server,
                Startup::PortTaken => server.stop(),
            }
        }
        panic!("could not start tusk on a free port after 5 attempts");
    }

    /// Starts a server with default settings (plus the harness's own socket directory).
    pub fn start() -> TestServer {
        TestServer::start_with(&[])
    }

    fn spawn(&mut self, settings: &[&str]) -> Startup {
        let log = std::fs::File::create(self.log_path()).expect("create log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_tusk"));
        command
            .arg("server")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-p")
            .arg(self.port.to_string())
            .arg("-c")
            .arg(format!(
                "unix_socket_directories={}",
                self.socket_dir().display()
            ))
            .arg("-c")
            .arg("listen_addresses=127.0.0.1");
        for s in settings {
            command.arg("-c").arg(s);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone log handle"))
            .stderr(log)
            .spawn()
            .expect("spawn tusk server");
        self.child = Some(child);
        let ours = format!(
            "listening on IPv4 address \"127.0.0.1\", port {}",
            self.port
        );
        let mut outcome = None;
        let came_up = wait_for(STARTUP_BOUND, || {
            let log = self.log();
            // Someone took the port between our choice and the server's bind (the server
            // warns and goes on, or gives up): either way, try another port.
            if log.contains("could not bind IPv4") || log.contains("Address already in use") {
                outcome = Some(Startup::PortTaken);
                return true;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("tusk server exited during start-up ({status}); log:\n{log}");
            }
            if log.contains("ready to accept connections") && log.contains(&ours) {
                outcome = Some(Startup::Ready);
                return TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok();
            }
            false
        });
        assert!(
            came_up,
            "tusk server did not start within {STARTUP_BOUND:?}; log:\n{}",
            self.log()
        );
        outcome.expect("start-up outcome")
    }

    /// The server's temporary directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The directory holding the Unix socket.
    pub fn socket_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// Everything the server wrote to stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("server running").id()
    }

    /// True while the server process has not exited.
    pub fn is_alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// libpq connection string for TCP.
    pub fn conninfo(&self) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname=postgres",
            self.port
        )
    }

    /// Connects with tokio-postgres over TCP, driving the connection on a spawned task.
    /// Must be called inside a tokio runtime.
    pub async fn connect(&self) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(&self.conninfo(), tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("connect failed: {e}; log:\n{}", self.log()));
        tokio::spawn(async move {
            // Errors surface through the client's calls.
            let _ = connection.await;
        });
        client
    }

    /// A `Command` for a PostgreSQL client program (psql, pgbench) aimed at this server
    /// over TCP as `postgres`, with a clean environment for libpq.
    pub fn client_command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env_remove("PGSERVICE")
            .env_remove("PGOPTIONS")
            .env_remove("PGDATABASE")
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", "postgres")
            .env("PGCONNECT_TIMEOUT", "30")
            .env("PSQLRC", "/dev/null")
            .env("PGTZ", "UTC")
            .env("PGCLIENTENCODING", "UTF8");
        command
    }

    /// Kills the server with SIGKILL (a crash) and waits for it to be gone.
    #[allow(dead_code)]
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same data directory and port (crash recovery runs
    /// if it was killed).
    #[allow(dead_code)]
    pub fn restart(&mut self) {
        self.stop();
        match self.spawn(&[]) {
            Startup::Ready => {}
            Startup::PortTaken => panic!("port {} was taken during a restart", self.port),
        }
    }

    /// Fast shutdown: SIGINT, then SIGKILL if the process outlives the bound.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if matches!(child.try_wait(), Ok(None)) {
            let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGINT);
            let exited = wait_for(SHUTDOWN_BOUND, || !matches!(child.try_wait(), Ok(None)));
            if !exited {
                let _ = child.kill();
            }
        }
        let _ = child.wait();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether an external client tool is present. When it is not: in CI (`CI=true`) that is
/// a test failure (panic); elsewhere the test prints a skip message and should return.
///
/// `probe` is a command that exits 0 when the tool works (e.g. `psql --version`).
pub fn client_tool_available(name: &str, probe: &mut Command) -> bool {
    let works = probe
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if works {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{name} is required in CI but is not available");
    }
    eprintln!("skipping: {name} is not available");
    false
}

/// Output of a finished client program, for assertions and failure messages.
pub struct ProgramOutput {
    /// Exit code (-1 if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs a command to completion and collects its output.
pub fn run(command: &mut Command) -> ProgramOutput {
    let out = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("could not run {command:?}: {e}"));
    ProgramOutput {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The text of `tests/<dir>/<name>` (a script or psql's expected output).
pub fn fixture(dir: &str, name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir)
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Asserts `got` equals `expected`, naming the first differing line of `what` (a
/// fixture's file name) so a failure points at the statement that differs.
pub fn assert_same_output(got: &str, expected: &str, what: &str) {
    if got != expected {
        for (i, (g, w)) in got.lines().zip(expected.lines()).enumerate() {
            assert_eq!(g, w, "line {} of {what}", i + 1);
        }
        assert_eq!(got, expected, "{what}");
    }
}

/// Runs `tests/<dir>/script.sql` with `psql -X -f` (stdout and stderr together) against a
/// fresh server and asserts the output equals `tests/<dir>/expected.out`, which is what
/// psql 15 prints for the script against PostgreSQL 15 in a fresh database. Skips when
/// psql is missing outside CI (`client_tool_available`).
pub fn assert_psql_script_matches_postgres(dir: &str) {
    assert_psql_script_matches_postgres_with(dir, &[]);
}

/// [`assert_psql_script_matches_postgres`] against a server started with `settings`
/// (`name=value`, as `-c` takes them).
pub fn assert_psql_script_matches_postgres_with(dir: &str, settings: &[&str]) {
    if !client_tool_available("psql", Command::new("psql").arg("--version")) {
        return;
    }
    let server = TestServer::start_with(settings);
    std::fs::write(server.dir().join("script.sql"), fixture(dir, "script.sql")).expect("write");
    let out = run(server
        .client_command("sh")
        .current_dir(server.dir())
        .args(["-c", "psql -X -f script.sql 2>&1"]));
    assert_eq!(out.code, 0, "log:\n{}", server.log());
    assert_same_output(&out.stdout, &fixture(dir, "expected.out"), "expected.out");
}
