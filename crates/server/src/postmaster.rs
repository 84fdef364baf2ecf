//! The postmaster: opens the data directory (initialising it if empty), takes the lock,
//! listens on TCP and Unix sockets, hands each connection to a backend thread, and
//! handles signals: SIGHUP reloads, SIGTERM smart shutdown (wait for sessions), SIGINT fast
//! shutdown (end sessions), SIGQUIT immediate shutdown.
//!
//! Only this module spawns threads (rule 10 of the house style): one per backend.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use tusk_engine::cluster::Cluster;
use tusk_engine::guc::ServerConfig;
use tusk_engine::Database;
use tusk_types::{Error, Result, SqlState};

use crate::conn::Conn;
use crate::pidfile::PidFile;

/// Stack size of a backend thread (bytes; reserved address space, touched only as used):
/// statements are refused by nesting depth before parsing (`tusk_sql::depth`), so the
/// deepest accepted statement at the largest `max_stack_depth` stays well inside it.
const BACKEND_STACK_SIZE: usize = 512 * 1024 * 1024;

fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .with_level(true)
        .try_init();
}

struct SignalPipes {
    hup: UnixStream,
    term: UnixStream,
    int: UnixStream,
    quit: UnixStream,
}

fn signal_pipe(signal: i32) -> Result<UnixStream> {
    let (read, write) =
        UnixStream::pair().map_err(|e| Error::io("could not create signal pipe", &e))?;
    read.set_nonblocking(true)
        .map_err(|e| Error::io("could not configure signal pipe", &e))?;
    signal_hook::low_level::pipe::register(signal, write)
        .map_err(|e| Error::io("could not install signal handler", &e))?;
    Ok(read)
}

fn drain(pipe: &UnixStream) {
    use std::io::Read;
    let mut buf = [0u8; 64];
    let mut p = pipe;
    while let Ok(n) = p.read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}

/// Addresses for `listen_addresses` (`*` = all, `localhost`, names or IPs, comma-separated).
fn listen_addrs(spec: &str, port: u16) -> Vec<SocketAddr> {
    let mut out = Vec::new();
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match item {
            "*" => {
                out.push(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port));
                out.push(SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port));
            }
            "localhost" => {
                out.push(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
                out.push(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port));
            }
            other => match other.parse::<IpAddr>() {
                Ok(ip) => out.push(SocketAddr::new(ip, port)),
                Err(_) => {
                    use std::net::ToSocketAddrs;
                    if let Ok(addrs) = (other, port).to_socket_addrs() {
                        out.extend(addrs);
                    }
                }
            },
        }
    }
    out
}

enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener, PathBuf),
}

/// Runs the server until shutdown.
pub fn run(data_dir: &Path, port: Option<u16>, settings: &[String]) -> Result<()> {
    init_logging();
    if crate::initdb::is_missing_or_empty(data_dir) {
        crate::initdb::initdb(data_dir, "postgres", false)?;
    } else if !crate::initdb::is_initialized(data_dir) {
        return Err(Error::new(
            SqlState::UNDEFINED_FILE,
            format!(
                "\"{}\" is not a database cluster directory",
                data_dir.display()
            ),
        )
        .hint("Run \"tusk initdb\" to create one, or point -D at an existing one."));
    }
    let mut command_line = Vec::new();
    for s in settings {
        let Some((name, value)) = s.split_once('=') else {
            return Err(Error::new(
                SqlState::SYNTAX_ERROR,
                format!("-c {s} requires a value"),
            ));
        };
        command_line.push((name.trim().to_string(), value.to_string()));
    }
    if let Some(p) = port {
        command_line.push(("port".to_string(), p.to_string()));
    }
    let config = ServerConfig::load(data_dir, &command_line)?;
    let port = config.int("port") as u16;
    let listen = config.string("listen_addresses");
    let socket_dirs = config.string("unix_socket_directories");
    let first_socket_dir = socket_dirs
        .split(',')
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string();
    let _lock = PidFile::acquire(data_dir, port, &first_socket_dir, &listen)?;
    let (cluster, recovery) = Cluster::start(data_dir, &config)?;
    if recovery.crashed {
        tracing::info!(
            "database system was not properly shut down; automatic recovery replayed {} WAL records, redo done at {}",
            recovery.records,
            recovery.end_of_wal
        );
    }
    let mut config = config;
    config.set_override(
        "data_checksums",
        if recovery.control.data_checksums {
            "on"
        } else {
            "off"
        },
    )?;
    if !config.bool("fsync") {
        tracing::warn!("fsync is disabled: committed data may be lost or corrupted in a crash");
    }
    let db = Database::open(data_dir, config, Arc::new(cluster))?;
    let aux = AuxWorkers::start(&db);

    let mut listeners = Vec::new();
    for addr in listen_addrs(&listen, port) {
        match TcpListener::bind(addr) {
            Ok(l) => {
                tracing::info!(
                    "listening on {} address \"{}\", port {}",
                    if addr.is_ipv4() { "IPv4" } else { "IPv6" },
                    addr.ip(),
                    port
                );
                listeners.push(Listener::Tcp(l));
            }
            Err(e) => tracing::warn!(
                "could not bind {} address \"{}\": {}",
                if addr.is_ipv4() { "IPv4" } else { "IPv6" },
                addr.ip(),
                e
            ),
        }
    }
    if !listen_addrs(&listen, port).is_empty() && listeners.is_empty() {
        return Err(Error::new(
            SqlState::CONNECTION_EXCEPTION,
            "could not create any TCP/IP sockets",
        )
        .fatal());
    }
    for dir in socket_dirs
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let path = Path::new(dir).join(format!(".s.PGSQL.{port}"));
        let lock = Path::new(dir).join(format!(".s.PGSQL.{port}.lock"));
        if let Some(pid) = std::fs::read_to_string(&lock)
            .ok()
            .and_then(|t| t.lines().next().and_then(|l| l.trim().parse::<i32>().ok()))
        {
            if pid != std::process::id() as i32 && crate::pidfile::process_alive(pid) {
                return Err(Error::new(
                    SqlState::OBJECT_IN_USE,
                    format!("lock file \"{}\" already exists", lock.display()),
                )
                .hint(format!(
                    "Is another postmaster (PID {pid}) using socket file \"{}\"?",
                    path.display()
                )));
            }
        }
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::write(&lock, format!("{}\n", std::process::id()));
        match UnixListener::bind(&path) {
            Ok(l) => {
                tracing::info!("listening on Unix socket \"{}\"", path.display());
                listeners.push(Listener::Unix(l, path));
            }
            Err(e) => tracing::warn!("could not create Unix socket \"{}\": {}", path.display(), e),
        }
    }
    if listeners.is_empty() {
        return Err(Error::new(
            SqlState::CONNECTION_EXCEPTION,
            "no socket created for listening",
        ));
    }
    let signals = SignalPipes {
        hup: signal_pipe(signal_hook::consts::SIGHUP)?,
        term: signal_pipe(signal_hook::consts::SIGTERM)?,
        int: signal_pipe(signal_hook::consts::SIGINT)?,
        quit: signal_pipe(signal_hook::consts::SIGQUIT)?,
    };
    tracing::info!("database system is ready to accept connections");
    let outcome = accept_loop(&db, &listeners, &signals, &aux);
    // A spread checkpoint in progress finishes at full speed, so the checkpointer exits.
    db.cluster.request_immediate_checkpoint();
    aux.stop();
    let outcome = outcome.and_then(|shutdown| match shutdown {
        Shutdown::Immediate => Ok(()),
        Shutdown::Smart | Shutdown::Fast => {
            tracing::info!("shutting down");
            db.cluster
                .shutdown(db.config.read().bool("log_checkpoints"))
        }
    });
    if outcome.is_ok() {
        tracing::info!("database system is shut down");
    }
    for l in &listeners {
        if let Listener::Unix(_, path) = l {
            let _ = std::fs::remove_file(path);
            let _ = std::fs::remove_file(format!("{}.lock", path.display()));
        }
    }
    outcome
}

enum Shutdown {
    Smart,
    Fast,
    Immediate,
}

fn accept_loop(
    db: &Arc<Database>,
    listeners: &[Listener],
    signals: &SignalPipes,
    aux: &AuxWorkers,
) -> Result<Shutdown> {
    let shutdown = loop {
        let mut fds: Vec<PollFd<'_>> = listeners
            .iter()
            .map(|l| match l {
                Listener::Tcp(t) => PollFd::new(t.as_fd(), PollFlags::POLLIN),
                Listener::Unix(u, _) => PollFd::new(u.as_fd(), PollFlags::POLLIN),
            })
            .collect();
        for s in [&signals.hup, &signals.term, &signals.int, &signals.quit] {
            fds.push(PollFd::new(s.as_fd(), PollFlags::POLLIN));
        }
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(Error::internal(format!("poll failed: {e}"))),
        }
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| {
                f.revents()
                    .is_some_and(|r| r.intersects(PollFlags::POLLIN | PollFlags::POLLERR))
            })
            .collect();
        drop(fds);
        let n = listeners.len();
        if ready[n] {
            drain(&signals.hup);
            for line in db.reload_config() {
                tracing::info!("{line}");
            }
            if let Err(e) = db.cluster.apply_settings(&db.config.read()) {
                tracing::error!("{}", e.message);
            }
        }
        if ready[n + 3] {
            drain(&signals.quit);
            tracing::info!("received immediate shutdown request");
            break Shutdown::Immediate;
        }
        if ready[n + 2] {
            drain(&signals.int);
            tracing::info!("received fast shutdown request");
            break Shutdown::Fast;
        }
        if ready[n + 1] {
            drain(&signals.term);
            tracing::info!("received smart shutdown request");
            break Shutdown::Smart;
        }
        for (i, l) in listeners.iter().enumerate() {
            if !ready[i] {
                continue;
            }
            let conn = match l {
                Listener::Tcp(t) => t.accept().map(|(s, _)| {
                    let _ = s.set_nodelay(true);
                    Conn::Tcp(s)
                }),
                Listener::Unix(u, _) => u.accept().map(|(s, _)| Conn::Unix(s)),
            };
            match conn {
                Ok(conn) => spawn_backend(conn, db.clone()),
                Err(e) => tracing::warn!("could not accept new connection: {e}"),
            }
        }
    };
    aux.stop_autovacuum();
    match shutdown {
        Shutdown::Immediate => {}
        Shutdown::Fast => {
            db.terminate_all();
            wait_for_backends(db, Duration::from_secs(30));
        }
        Shutdown::Smart => wait_for_backends(db, Duration::MAX),
    }
    Ok(shutdown)
}

/// The auxiliary workers (PostgreSQL's walwriter, checkpointer, background writer): each
/// a thread that runs its subsystem's step, then sleeps its delay or until stopped. The
/// autovacuum launcher sleeps `autovacuum_naptime` first, then runs its step
/// (`tusk_engine::autovacuum::launcher_step`), which VACUUMs on the same thread.
struct AuxWorkers {
    stop: Arc<(parking_lot::Mutex<bool>, parking_lot::Condvar)>,
    /// The autovacuum launcher stops first, as shutdown begins (autovacuum rule 4).
    autovacuum_stop: Arc<(parking_lot::Mutex<bool>, parking_lot::Condvar)>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl AuxWorkers {
    fn start(db: &Arc<Database>) -> AuxWorkers {
        let stop = Arc::new((parking_lot::Mutex::new(false), parking_lot::Condvar::new()));
        let mut threads = Vec::new();
        type Step = fn(&Database) -> Duration;
        let workers: [(&str, Step); 3] = [
            ("walwriter", |db| {
                if let Err(e) = db.cluster.wal_writer_step() {
                    tracing::error!("WAL writer: {}", e.message);
                }
                Duration::from_millis(db.config.read().int("wal_writer_delay").max(1) as u64)
            }),
            ("bgwriter", |db| {
                db.cluster.bgwriter_step();
                Duration::from_millis(db.config.read().int("bgwriter_delay").max(10) as u64)
            }),
            ("checkpointer", |db| {
                let (timeout, max_wal, log) = {
                    let c = db.config.read();
                    (
                        c.int("checkpoint_timeout").max(30) as u64,
                        c.int("max_wal_size").max(2) as u64,
                        c.bool("log_checkpoints"),
                    )
                };
                if let Some(reason) = db.cluster.checkpoint_due(timeout, max_wal) {
                    if let Err(e) = db.cluster.checkpoint(reason, log) {
                        tracing::error!("checkpoint failed: {}", e.message);
                    }
                }
                Duration::from_secs(1)
            }),
        ];
        for (name, step) in workers {
            let db = db.clone();
            let stop = stop.clone();
            let spawned = std::thread::Builder::new()
                .name(name.to_string())
                .spawn(move || loop {
                    let delay = step(&db);
                    let (lock, cv) = &*stop;
                    let mut stopped = lock.lock();
                    if !*stopped {
                        cv.wait_for(&mut stopped, delay);
                    }
                    if *stopped {
                        return;
                    }
                });
            match spawned {
                Ok(handle) => threads.push(handle),
                Err(e) => tracing::error!("could not start {name}: {e}"),
            }
        }
        let autovacuum_stop =
            Arc::new((parking_lot::Mutex::new(false), parking_lot::Condvar::new()));
        let launcher = {
            let db = db.clone();
            let stop = autovacuum_stop.clone();
            std::thread::Builder::new()
                .name("autovacuum launcher".to_string())
                .stack_size(BACKEND_STACK_SIZE)
                .spawn(move || {
                    // The worker session's pid in pg_stat_activity.
                    let pid = nix::unistd::gettid().as_raw();
                    let stopping = || *stop.0.lock();
                    let mut delay = Duration::from_secs(
                        db.config.read().int("autovacuum_naptime").max(1) as u64,
                    );
                    loop {
                        {
                            let (lock, cv) = &*stop;
                            let mut stopped = lock.lock();
                            if !*stopped {
                                cv.wait_for(&mut stopped, delay);
                            }
                            if *stopped {
                                return;
                            }
                        }
                        delay = tusk_engine::autovacuum::launcher_step(&db, pid, &stopping);
                    }
                })
        };
        match launcher {
            Ok(handle) => threads.push(handle),
            Err(e) => tracing::error!("could not start autovacuum launcher: {e}"),
        }
        AuxWorkers {
            stop,
            autovacuum_stop,
            threads,
        }
    }

    /// Asks the autovacuum launcher to stop after the table it is on.
    fn stop_autovacuum(&self) {
        let (lock, cv) = &*self.autovacuum_stop;
        *lock.lock() = true;
        cv.notify_all();
    }

    fn stop(self) {
        self.stop_autovacuum();
        let (lock, cv) = &*self.stop;
        *lock.lock() = true;
        cv.notify_all();
        for t in self.threads {
            let _ = t.join();
        }
    }
}

fn wait_for_backends(db: &Database, limit: Duration) {
    let start = Instant::now();
    while db.backend_count() > 0 && start.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn_backend(conn: Conn, db: Arc<Database>) {
    let fd = match &conn {
        Conn::Tcp(s) => s.as_raw_fd(),
        Conn::Unix(s) => s.as_raw_fd(),
    };
    let spawned = std::thread::Builder::new()
        .name(format!("backend-{fd}"))
        .stack_size(BACKEND_STACK_SIZE)
        .spawn(move || crate::backend::serve(conn, db));
    if let Err(e) = spawned {
        tracing::error!("could not fork new process for connection: {e}");
    }
}
