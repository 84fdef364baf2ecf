//! Running psql the way pg_regress 15 does.
//!
//! Rules (pg_regress.c `initialize_environment`, pg_regress_main.c `psql_start_test`):
//! 1. Each test runs as `psql -X -a -q -d DB -v HIDE_TABLEAM=on -v HIDE_TOAST_COMPRESSION=on`
//!    with `sql/NAME.sql` on stdin and stdout plus stderr in `results/NAME.out`.
//! 2. Environment: `PGAPPNAME=pg_regress/NAME`, `PGTZ=America/Los_Angeles` (15.9 and later;
//!    earlier releases used `PST8PDT`), `PGDATESTYLE=Postgres, MDY`, `PGOPTIONS` gains
//!    `-c intervalstyle=postgres_verbose`, `LC_MESSAGES=C`, the locale
//!    variables and `LANGUAGE`, `LC_ALL`, `PGCLIENTENCODING` are removed (temp instances are
//!    initialised with `--no-locale`), `PG_ABS_SRCDIR`, `PG_ABS_BUILDDIR`, `PG_LIBDIR` and
//!    `PG_DLSUFFIX` name the suite, the output directory and the C-library directory; libpq
//!    variables that could redirect the connection are removed, and `PGHOST`/`PGPORT`/`PGUSER`
//!    name the server.
//! 3. A test that runs longer than its timeout gets SIGINT (psql cancels the running query
//!    and stops the script), then SIGKILL after [`KILL_GRACE`].
//!
//! Entry points: [`PsqlSetup`], [`PsqlSetup::run_test`], [`PsqlSetup::run_commands`].

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Time psql gets to exit after SIGINT before it is killed.
pub const KILL_GRACE: Duration = Duration::from_secs(5);

/// libpq and locale variables removed from psql's environment (rule 2).
const REMOVED_VARIABLES: &[&str] = &[
    "PGCHANNELBINDING",
    "PGCLIENTENCODING",
    "PGCONNECT_TIMEOUT",
    "PGDATA",
    "PGDATABASE",
    "PGGSSENCMODE",
    "PGGSSLIB",
    "PGHOSTADDR",
    "PGKRBSRVNAME",
    "PGPASSFILE",
    "PGPASSWORD",
    "PGREQUIREPEER",
    "PGREQUIRESSL",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGSSLCERT",
    "PGSSLCRL",
    "PGSSLCRLDIR",
    "PGSSLKEY",
    "PGSSLMAXPROTOCOLVERSION",
    "PGSSLMINPROTOCOLVERSION",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGSSLSNI",
    "PGTARGETSESSIONATTRS",
    "LC_COLLATE",
    "LC_CTYPE",
    "LC_MONETARY",
    "LC_NUMERIC",
    "LC_TIME",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "COLUMNS",
    "PSQLRC",
    "PSQL_PAGER",
    "PAGER",
];

/// How psql reaches the server and where the suite lives.
#[derive(Debug, Clone)]
pub struct PsqlSetup {
    /// psql 15 binary.
    pub psql: PathBuf,
    /// Server host.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Database user.
    pub user: String,
    /// Database the tests run in.
    pub database: String,
    /// Absolute suite directory (`PG_ABS_SRCDIR`).
    pub suite: PathBuf,
    /// Absolute output directory (`PG_ABS_BUILDDIR`).
    pub out_dir: PathBuf,
    /// Directory of `regress.so` and friends (`PG_LIBDIR`).
    pub libdir: PathBuf,
    /// Extra `-c name=value` settings for `PGOPTIONS` (database settings that could not be
    /// stored with `ALTER DATABASE`).
    pub extra_options: Vec<String>,
}

/// How one psql run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PsqlOutcome {
    /// psql's exit code (None when killed by a signal).
    pub exit_code: Option<i32>,
    /// The run hit its timeout.
    pub timed_out: bool,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl PsqlSetup {
    fn command(&self, application_name: &str) -> Command {
        let mut command = Command::new(&self.psql);
        for name in REMOVED_VARIABLES {
            command.env_remove(name);
        }
        let mut options = std::env::var("PGOPTIONS").unwrap_or_default();
        options.push_str(" -c intervalstyle=postgres_verbose");
        for option in &self.extra_options {
            options.push_str(" -c ");
            options.push_str(option);
        }
        command
            .env("PGAPPNAME", application_name)
            .env("PGTZ", "America/Los_Angeles")
            .env("PGDATESTYLE", "Postgres, MDY")
            .env("PGOPTIONS", options)
            .env("LC_MESSAGES", "C")
            .env("PG_ABS_SRCDIR", &self.suite)
            .env("PG_ABS_BUILDDIR", &self.out_dir)
            .env("PG_LIBDIR", &self.libdir)
            .env("PG_DLSUFFIX", ".so")
            .env("PGHOST", &self.host)
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", &self.user);
        command
    }

    /// Runs `sql/TEST.sql` into `output` (rules 1 and 3).
    pub fn run_test(
        &self,
        test: &str,
        output: &Path,
        timeout: Duration,
    ) -> Result<PsqlOutcome, String> {
        let input_path = self.suite.join("sql").join(format!("{test}.sql"));
        let input = File::open(&input_path)
            .map_err(|e| format!("could not open {}: {e}", input_path.display()))?;
        let out = File::create(output)
            .map_err(|e| format!("could not create {}: {e}", output.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("could not open {}: {e}", output.display()))?;
        let started = Instant::now();
        let mut child = self
            .command(&format!("pg_regress/{test}"))
            .args(["-X", "-a", "-q", "-d", &self.database])
            .args(["-v", "HIDE_TABLEAM=on", "-v", "HIDE_TOAST_COMPRESSION=on"])
            .current_dir(&self.out_dir)
            .stdin(input)
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not run {}: {e}", self.psql.display()))?;
        let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("pid fits in i32"));
        let (done, finished) = mpsc::channel::<()>();
        let watchdog = thread::spawn(move || {
            if finished.recv_timeout(timeout) != Err(mpsc::RecvTimeoutError::Timeout) {
                return false;
            }
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
            if finished.recv_timeout(KILL_GRACE) == Err(mpsc::RecvTimeoutError::Timeout) {
                let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            }
            true
        });
        let status = child
            .wait()
            .map_err(|e| format!("could not wait for psql: {e}"))?;
        drop(done);
        let timed_out = watchdog.join().expect("watchdog thread does not panic");
        Ok(PsqlOutcome {
            exit_code: status.code(),
            timed_out,
            elapsed: started.elapsed(),
        })
    }

    /// Runs `commands` (each a `-c` argument) in `database` with `-X -q`, as pg_regress's
    /// setup commands; stops at the first error. Returns psql's output on failure.
    pub fn run_commands(&self, database: &str, commands: &[String]) -> Result<(), String> {
        let mut command = self.command("pg_regress");
        command.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database]);
        for sql in commands {
            command.arg("-c").arg(sql);
        }
        let output = command
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("could not run {}: {e}", self.psql.display()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
        }
    }
}
