//! Memory of server processes, read from `/proc`.
//!
//! tusk is one process: its peak is `VmHWM` (resident-set high-water mark). PostgreSQL is a
//! postmaster plus one process per backend and auxiliary process; its figure is the sum of
//! `VmHWM` over the postmaster and its descendants alive when read (at the end of the run,
//! when pgbench's backends have exited: checkpointer, background writer, WAL writer,
//! autovacuum launcher, ...). Shared memory touched by several processes is counted in each,
//! so the sum overstates what the machine gave PostgreSQL.
//!
//! Entry points: [`peak_rss_kib`], [`tree_peak_rss_kib`].

use std::fs;

/// The value in kB of the `label` line (`VmHWM:`, `VmRSS:`) of a `/proc/PID/status` text.
pub fn status_kib(status: &str, label: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(label))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The `PPid:` of a `/proc/PID/status` text.
fn parent_pid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("PPid:"))?
        .trim()
        .parse()
        .ok()
}

fn read_status(pid: u32) -> Option<String> {
    fs::read_to_string(format!("/proc/{pid}/status")).ok()
}

/// `VmHWM` of process `pid` in KiB; `None` when it is gone or `/proc` is unavailable.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    status_kib(&read_status(pid)?, "VmHWM:")
}

/// Sum of `VmHWM` in KiB over `root` and its descendants alive now.
pub fn tree_peak_rss_kib(root: u32) -> Option<u64> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if let Some(parent) = read_status(pid).as_deref().and_then(parent_pid) {
            parents.push((pid, parent));
        }
    }
    let tree = descendants(root, &parents);
    let mut total = peak_rss_kib(root)?;
    for pid in tree {
        total += peak_rss_kib(pid).unwrap_or(0);
    }
    Some(total)
}

/// The descendants of `root` given (pid, parent pid) pairs.
fn descendants(root: u32, parents: &[(u32, u32)]) -> Vec<u32> {
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for &(pid, ppid) in parents {
            if ppid == parent && pid != root && !found.contains(&pid) {
                found.push(pid);
                frontier.push(pid);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "\
Name:\tpostgres
State:\tS (sleeping)
PPid:\t4120
VmPeak:\t  219480 kB
VmHWM:\t   27364 kB
VmRSS:\t   27000 kB
";

    #[test]
    fn status_fields_in_kib() {
        assert_eq!(status_kib(STATUS, "VmHWM:"), Some(27364));
        assert_eq!(status_kib(STATUS, "VmRSS:"), Some(27000));
        assert_eq!(status_kib(STATUS, "VmSwap:"), None);
        assert_eq!(parent_pid(STATUS), Some(4120));
    }

    #[test]
    fn descendants_include_grandchildren_only_of_the_root() {
        let parents = [(10, 1), (11, 10), (12, 10), (13, 11), (20, 1), (21, 20)];
        let mut tree = descendants(10, &parents);
        tree.sort_unstable();
        assert_eq!(tree, vec![11, 12, 13]);
    }

    #[test]
    fn own_process_has_a_peak() {
        assert!(peak_rss_kib(std::process::id()).is_some_and(|kib| kib > 0));
    }
}
