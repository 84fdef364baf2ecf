//! `cargo xtask regress`: PostgreSQL 15's regression suite against tusk or PostgreSQL 15.
//!
//! A run, step by step (as pg_regress 15 does, plus scoring):
//! 1. Start the server under test (`server.rs`): a temporary tusk instance by default, a
//!    temporary PostgreSQL 15 with `--postgres`, or a running server with `--server-url`.
//! 2. Create database `regression` from `template0` with pg_regress's `ALTER DATABASE ... SET`
//!    settings; if the server cannot create databases, run in `postgres` and say so.
//! 3. Run the schedule's tests in order (`schedule.rs`), each through psql into
//!    `results/NAME.out` (`psql.rs`), with a per-test timeout. After each test the server is
//!    checked; a test during which it died is recorded as a crash and the server restarted.
//! 4. Judge each output (`compare.rs`): exact match with an expected file, and statement
//!    blocks matched (`blocks.rs`, `script.rs`).
//! 5. Write `regression.diffs`, `summary.json`, `summary.md`; check or update the ratchet
//!    (`report.rs`); print `regress: F/N files, S/T statements`.
//!
//! Entry point: [`run`].

pub mod blocks;
pub mod compare;
pub mod psql;
pub mod report;
pub mod schedule;
pub mod script;
pub mod server;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use compare::compare;
use psql::PsqlSetup;
use report::{RunSummary, Status, TestResult};
use schedule::{expected_files, host_platform, ResultMap, Schedule};
use server::{Health, Server, ServerKind};

/// Default PostgreSQL 15 bin directory (overridden by `PG_BIN`).
pub const DEFAULT_PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// Text psql prints when the server goes away under it.
const CONNECTION_LOST: &str = "server closed the connection unexpectedly";

/// Options of one run (see `docs/regress.md`).
#[derive(Debug, Clone)]
pub struct Options {
    /// Suite directory (sql/, expected/, data/, parallel_schedule, resultmap).
    pub suite: PathBuf,
    /// Output directory.
    pub out: PathBuf,
    /// Schedule file.
    pub schedule: PathBuf,
    /// Server to test.
    pub server: ServerKind,
    /// psql 15 binary.
    pub psql: PathBuf,
    /// Database user.
    pub user: String,
    /// Directory of `regress.so` (`PG_LIBDIR`).
    pub libdir: PathBuf,
    /// Per-test timeout.
    pub timeout: Duration,
    /// Tests run at once within a schedule group.
    pub jobs: usize,
    /// Only these tests (schedule order kept); empty means all.
    pub only: Vec<String>,
    /// Ratchet file.
    pub ratchet: PathBuf,
    /// Committed per-test table, written with the ratchet.
    pub committed_summary: PathBuf,
    /// Fail when a test drops below its ratchet value.
    pub check_ratchet: bool,
    /// Rewrite the ratchet and the committed table.
    pub update_ratchet: bool,
}

/// Runs the suite; returns the process exit code (0 done, 1 ratchet violated).
/// Errors (server did not start, suite unreadable) are for exit code 2.
pub fn run(options: &Options) -> Result<i32, String> {
    let started = Instant::now();
    let suite = absolute(&options.suite)?;
    let schedule_text = fs::read_to_string(&options.schedule)
        .map_err(|e| format!("could not read {}: {e}", options.schedule.display()))?;
    let schedule = Schedule::parse(&schedule_text)?;
    let resultmap = match fs::read_to_string(suite.join("resultmap")) {
        Ok(text) => ResultMap::parse(&text, &host_platform())?,
        Err(_) => ResultMap::default(),
    };
    if options.update_ratchet && !options.only.is_empty() {
        return Err("--update-ratchet needs a full run (no --tests)".to_string());
    }
    if options.update_ratchet && matches!(options.server, ServerKind::Postgres { .. }) {
        return Err(
            "--update-ratchet records tusk's counts; it cannot be used with --postgres".to_string(),
        );
    }
    for name in &options.only {
        if !schedule.tests().any(|t| t == name) {
            return Err(format!(
                "test {name} is not in {}",
                options.schedule.display()
            ));
        }
    }
    let groups: Vec<Vec<String>> = schedule
        .groups
        .iter()
        .map(|g| {
            g.iter()
                .filter(|t| options.only.is_empty() || options.only.contains(t))
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect();

    fs::create_dir_all(&options.out)
        .map_err(|e| format!("could not create {}: {e}", options.out.display()))?;
    let out = absolute(&options.out)?;
    let results_dir = out.join("results");
    if results_dir.exists() {
        fs::remove_dir_all(&results_dir)
            .map_err(|e| format!("could not clear {}: {e}", results_dir.display()))?;
    }
    fs::create_dir_all(&results_dir)
        .map_err(|e| format!("could not create {}: {e}", results_dir.display()))?;
    if matches!(options.server, ServerKind::External { .. }) {
        // Server-side `COPY ... TO` writes here as whatever OS user runs that server.
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&results_dir, fs::Permissions::from_mode(0o777))
            .map_err(|e| format!("could not open up {}: {e}", results_dir.display()))?;
    }
    let log_dir = out.join("log");
    if log_dir.exists() {
        fs::remove_dir_all(&log_dir)
            .map_err(|e| format!("could not clear {}: {e}", log_dir.display()))?;
    }

    let mut server = Server::start(
        options.server.clone(),
        &options.psql,
        &options.user,
        &log_dir,
        &results_dir,
    )?;
    eprintln!(
        "regress: testing {} ({:?}) on port {}",
        server.describe(),
        options.server,
        server.port
    );
    let mut setup = PsqlSetup {
        psql: options.psql.clone(),
        host: server.host.clone(),
        port: server.port,
        user: options.user.clone(),
        database: "regression".to_string(),
        suite: suite.clone(),
        out_dir: out.clone(),
        libdir: absolute(&options.libdir)?,
        extra_options: Vec::new(),
    };
    let mut notes = Vec::new();
    if server.settings_dropped {
        notes.push("tusk did not start with pg_regress's settings (fsync, logging, max_prepared_transactions); started without them".to_string());
    }
    let (database, extra_options) = create_database(
        &setup,
        matches!(options.server, ServerKind::External { .. }),
        &mut notes,
    )?;
    setup.database = database;
    setup.extra_options = extra_options;

    let mut results = Vec::new();
    for group in &groups {
        let context = GroupContext {
            options,
            setup: &setup,
            log_dir: &log_dir,
            suite: &suite,
            resultmap: &resultmap,
            ignored: &schedule.ignored,
        };
        let group_results = run_group(&context, &mut server, group)?;
        results.extend(group_results);
    }
    server.stop();

    let diffs: String = results
        .iter()
        .filter_map(|(_, diff)| diff.as_deref())
        .collect();
    fs::write(out.join("regression.diffs"), diffs)
        .map_err(|e| format!("could not write regression.diffs: {e}"))?;
    let summary = RunSummary {
        server: server.describe(),
        database: setup.database.clone(),
        notes,
        tests: results.into_iter().map(|(t, _)| t).collect(),
        elapsed: started.elapsed(),
    };
    fs::write(out.join("summary.json"), summary.to_json())
        .map_err(|e| format!("could not write summary.json: {e}"))?;
    fs::write(out.join("summary.md"), summary.to_markdown(true))
        .map_err(|e| format!("could not write summary.md: {e}"))?;

    let mut code = 0;
    if options.check_ratchet {
        let ratchet = report::read_ratchet(&options.ratchet)?;
        let drops = report::ratchet_drops(&ratchet, &summary.tests);
        for (name, floor, now) in &drops {
            eprintln!("regress: {name} matched {now} blocks, ratchet requires {floor}");
        }
        if !drops.is_empty() {
            eprintln!(
                "regress: {} test(s) below the ratchet ({})",
                drops.len(),
                options.ratchet.display()
            );
            code = 1;
        }
    }
    if options.update_ratchet {
        report::write_ratchet(&options.ratchet, &summary.tests)?;
        fs::write(&options.committed_summary, summary.to_markdown(false)).map_err(|e| {
            format!(
                "could not write {}: {e}",
                options.committed_summary.display()
            )
        })?;
        eprintln!(
            "regress: wrote {} and {}",
            options.ratchet.display(),
            options.committed_summary.display()
        );
    }
    eprintln!(
        "regress: results in {} ({:.1} s)",
        out.display(),
        summary.elapsed.as_secs_f64()
    );
    println!("{}", summary.headline());
    Ok(code)
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    fs::canonicalize(path).map_err(|e| format!("could not resolve {}: {e}", path.display()))
}

/// Step 2: returns the database to use and extra `PGOPTIONS` settings.
fn create_database(
    setup: &PsqlSetup,
    existing_server: bool,
    notes: &mut Vec<String>,
) -> Result<(String, Vec<String>), String> {
    const SETTINGS: &[(&str, &str)] = &[
        ("lc_messages", "C"),
        ("lc_monetary", "C"),
        ("lc_numeric", "C"),
        ("lc_time", "C"),
        ("bytea_output", "hex"),
        ("timezone_abbreviations", "Default"),
    ];
    if existing_server {
        setup.run_commands(
            "postgres",
            &[
                "SET client_min_messages = warning".to_string(),
                "DROP DATABASE IF EXISTS \"regression\"".to_string(),
            ],
        )?;
    }
    let database = match setup.run_commands(
        "postgres",
        &["CREATE DATABASE \"regression\" TEMPLATE=template0".to_string()],
    ) {
        Ok(()) => "regression".to_string(),
        Err(e) => {
            notes.push(format!(
                "CREATE DATABASE failed ({}); tests ran in database \"postgres\"",
                e.replace('\n', " ")
            ));
            "postgres".to_string()
        }
    };
    let alters: Vec<String> = SETTINGS
        .iter()
        .map(|(name, value)| format!("ALTER DATABASE \"{database}\" SET {name} TO '{value}'"))
        .collect();
    match setup.run_commands("postgres", &[alters.join(";")]) {
        Ok(()) => Ok((database, Vec::new())),
        Err(e) => {
            notes.push(format!(
                "ALTER DATABASE ... SET failed ({}); the settings were passed in PGOPTIONS instead",
                e.replace('\n', " ")
            ));
            Ok((
                database,
                SETTINGS.iter().map(|(n, v)| format!("{n}={v}")).collect(),
            ))
        }
    }
}

/// How psql ended and where its output is.
type TestRun = (psql::PsqlOutcome, PathBuf);

/// What running and judging tests needs besides the server.
struct GroupContext<'a> {
    options: &'a Options,
    setup: &'a PsqlSetup,
    log_dir: &'a Path,
    suite: &'a Path,
    resultmap: &'a ResultMap,
    ignored: &'a [String],
}

/// Runs one schedule group (step 3 and 4) and returns each test's result and diff.
fn run_group(
    context: &GroupContext<'_>,
    server: &mut Server,
    group: &[String],
) -> Result<Vec<(TestResult, Option<String>)>, String> {
    let GroupContext {
        options,
        setup,
        log_dir,
        ..
    } = *context;
    let mut results = Vec::new();
    if options.jobs <= 1 || group.len() == 1 {
        for test in group {
            let mut outcome = run_one(setup, test, options.timeout)?;
            let mut lost = output_lost_connection(&outcome.1);
            let mut crashed = server.check(lost) == Health::Down;
            if crashed && never_connected(&outcome.1) {
                // The server died after the previous test's last statement: run this one again.
                eprintln!("regress: server found dead before {test}; restarting");
                recover(server, setup, log_dir)?;
                outcome = run_one(setup, test, options.timeout)?;
                lost = output_lost_connection(&outcome.1);
                crashed = server.check(lost) == Health::Down;
            }
            if crashed {
                eprintln!("regress: server died during {test}; restarting");
                recover(server, setup, log_dir)?;
            }
            results.push(judge(context, test, outcome, crashed || lost));
            report_progress(&results.last().expect("just pushed").0);
        }
        return Ok(results);
    }
    // Parallel: workers take tests in order; the server is checked once the group is done.
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Result<TestRun, String>>>> = Mutex::new(vec![None; group.len()]);
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.min(group.len()) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(test) = group.get(index) else { break };
                let outcome = run_one(setup, test, options.timeout);
                outcomes.lock().expect("no worker panics holding the lock")[index] = Some(outcome);
            });
        }
    });
    let outcomes = outcomes.into_inner().expect("no worker panicked");
    let mut finished = Vec::new();
    for outcome in outcomes {
        finished.push(outcome.expect("every test of the group ran")?);
    }
    let lost = finished.iter().any(|o| output_lost_connection(&o.1));
    let crashed = server.check(lost) == Health::Down;
    if crashed {
        eprintln!(
            "regress: server died during group {}; restarting",
            group.join(" ")
        );
        recover(server, setup, log_dir)?;
    }
    for (test, outcome) in group.iter().zip(finished) {
        let this_lost = output_lost_connection(&outcome.1);
        // A server death nobody's output shows is charged to the whole group.
        let result = judge(context, test, outcome, this_lost || (crashed && !lost));
        report_progress(&result.0);
        results.push(result);
    }
    Ok(results)
}

/// Brings a dead server back: restart on its data directory, else a fresh instance with the
/// test database created again (its earlier objects are gone, so later tests may fail).
fn recover(server: &mut Server, setup: &PsqlSetup, log_dir: &Path) -> Result<(), String> {
    let Err(restart_error) = server.restart() else {
        return Ok(());
    };
    eprintln!("regress: {restart_error}; starting a fresh instance");
    server.reinitialize(log_dir)?;
    let mut notes = Vec::new();
    create_database(setup, false, &mut notes)?;
    for note in notes {
        eprintln!("regress: {note}");
    }
    Ok(())
}

fn run_one(setup: &PsqlSetup, test: &str, timeout: Duration) -> Result<TestRun, String> {
    let output = setup.out_dir.join("results").join(format!("{test}.out"));
    let outcome = setup.run_test(test, &output, timeout)?;
    Ok((outcome, output))
}

/// psql could not connect at all (its output is only the connection error).
fn never_connected(output: &Path) -> bool {
    fs::read(output).is_ok_and(|bytes| bytes.starts_with(b"psql: error: connection to server"))
}

fn output_lost_connection(output: &Path) -> bool {
    fs::read(output).is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(CONNECTION_LOST))
}

fn judge(
    context: &GroupContext<'_>,
    test: &str,
    (outcome, output): TestRun,
    crashed: bool,
) -> (TestResult, Option<String>) {
    let GroupContext {
        suite,
        resultmap,
        ignored,
        ..
    } = *context;
    let script_path = suite.join("sql").join(format!("{test}.sql"));
    let script = fs::read(&script_path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let candidates = expected_files(suite, test, resultmap);
    let verdict = compare(&script, &output, &candidates);
    let status = if outcome.timed_out {
        Status::Timeout
    } else if crashed {
        Status::Crash
    } else if verdict.exact {
        Status::Ok
    } else {
        Status::Failed
    };
    let expected = verdict
        .expected_file
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let result = TestResult {
        name: test.to_string(),
        status,
        exact: verdict.exact && status == Status::Ok,
        matched: verdict.matched,
        total: verdict.total,
        expected,
        elapsed: outcome.elapsed,
        ignored: ignored.iter().any(|t| t == test),
    };
    (result, verdict.diff)
}

fn report_progress(result: &TestResult) {
    eprintln!(
        "{:<8} {:<28} {:>5}/{:<5} {:>7} ms",
        result.status.as_str(),
        result.name,
        result.matched,
        result.total,
        result.elapsed.as_millis()
    );
}
