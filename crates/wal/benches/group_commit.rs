//! Group-commit throughput on the real file system: N committer threads each insert a small
//! commit record and flush it (`Wal::flush`, WAL rule 5), for 1, 8 and 32 committers; prints
//! commits per second, fdatasyncs per second and commits served per fdatasync.
//!
//! Run: `cargo bench -p tusk-wal --bench group_commit`. Settings (environment):
//! - `TUSK_BENCH_DIR`: directory to put the WAL in (default: the system temporary directory;
//!   use one on the disk you want to measure);
//! - `TUSK_BENCH_SECONDS`: seconds per row (default 5);
//! - `TUSK_BENCH_CLIENTS`: comma-separated committer counts (default `1,8,32`);
//! - `PG_TEST_FSYNC`: path of PostgreSQL's `pg_test_fsync`; if set, it is run with `-s 2` on
//!   a file in the same directory and its fdatasync line printed for comparison (one
//!   fdatasync per commit is the ceiling without group commit).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tusk_io::{RealVfs, Vfs};
use tusk_types::{Lsn, Xid};
use tusk_wal::{xact_info, RecordBuilder, RmgrId, Wal, WalConfig, XactRecord};

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful either.
    let base = std::env::var_os("TUSK_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let seconds: u64 = std::env::var("TUSK_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let clients: Vec<usize> = std::env::var("TUSK_BENCH_CLIENTS")
        .ok()
        .map(|s| s.split(',').filter_map(|c| c.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 8, 32]);
    let dir = tempfile::tempdir_in(&base).expect("temporary directory for the WAL");
    println!(
        "group commit on {} ({} s per row, RealVfs, fdatasync per flush)",
        base.display(),
        seconds
    );
    println!(
        "{:>8} {:>10} {:>12} {:>12} {:>14} {:>12}",
        "clients", "commits", "commits/s", "fsyncs/s", "commits/fsync", "avg lat ms"
    );
    for &n in &clients {
        let row = run(
            &dir.path().join(format!("pg_wal_{n}")),
            n,
            Duration::from_secs(seconds),
        );
        println!(
            "{:>8} {:>10} {:>12.0} {:>12.0} {:>14.2} {:>12.3}",
            n,
            row.commits,
            row.commits as f64 / row.elapsed.as_secs_f64(),
            row.syncs as f64 / row.elapsed.as_secs_f64(),
            row.commits as f64 / row.syncs.max(1) as f64,
            row.elapsed.as_secs_f64() * 1000.0 * n as f64 / row.commits.max(1) as f64,
        );
    }
    if let Some(tool) = std::env::var_os("PG_TEST_FSYNC") {
        let file = dir.path().join("pg_test_fsync.out");
        match std::process::Command::new(&tool)
            .arg("-s")
            .arg("2")
            .arg("-f")
            .arg(&file)
            .output()
        {
            Ok(out) => {
                println!("pg_test_fsync -s 2 -f {} :", file.display());
                for line in String::from_utf8_lossy(&out.stdout).lines() {
                    if line.contains("fdatasync") || line.contains("fsync ") {
                        println!("  {}", line.trim());
                    }
                }
            }
            Err(e) => println!("could not run {}: {e}", Path::new(&tool).display()),
        }
    }
}

struct Row {
    commits: u64,
    syncs: u64,
    elapsed: Duration,
}

fn run(wal_dir: &Path, clients: usize, duration: Duration) -> Row {
    let vfs: Arc<dyn Vfs> = Arc::new(RealVfs::new());
    let wal = Arc::new(
        Wal::open(vfs, wal_dir, WalConfig::default(), Lsn::INVALID).expect("open the WAL"),
    );
    // Keep segment creation (a 16 MB zero-fill) out of the measurement.
    wal.preallocate_next_segment().expect("preallocate");
    let syncs_before = wal.stats().syncs;
    let stop = Arc::new(AtomicBool::new(false));
    let commits = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..clients {
            let (wal, stop, commits) = (wal.clone(), stop.clone(), commits.clone());
            scope.spawn(move || {
                let mut i = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    let xid = Xid(1000 + (t as u32) * 1_000_000 + i);
                    let record = RecordBuilder::new(RmgrId::XACT, xact_info::COMMIT)
                        .with_xid(xid)
                        .with_main_data(XactRecord::new(xid, i64::from(i)).encode());
                    let end = wal.insert(&record);
                    wal.flush(end).expect("commit flush");
                    commits.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            });
        }
        std::thread::sleep(duration);
        stop.store(true, Ordering::Relaxed);
    });
    let elapsed = started.elapsed();
    Row {
        commits: commits.load(Ordering::Relaxed),
        syncs: wal.stats().syncs - syncs_before,
        elapsed,
    }
}
