//! Run results: `summary.json`, `summary.md` and the ratchet file.
//!
//! The ratchet (`regress/ratchet.tsv`, one `name<TAB>matched_blocks` line per test) records
//! how many blocks each test matched when it was last raised. Rules:
//! 1. A run passes the ratchet when no test it ran matched fewer blocks than its line says.
//!    Tests missing from the file have no floor.
//! 2. `--update-ratchet` writes the counts of the current run (tests not run keep their
//!    lines); the change is reviewed with the commit that caused it.
//!
//! Entry points: [`TestResult`], [`RunSummary`], [`read_ratchet`], [`ratchet_drops`],
//! [`write_ratchet`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

/// How a test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Output identical to an expected file.
    Ok,
    /// Output differs.
    Failed,
    /// psql was stopped at the timeout.
    Timeout,
    /// The server died (or dropped the connection) during the test.
    Crash,
}

impl Status {
    /// Lower-case name used in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Timeout => "timeout",
            Status::Crash => "crash",
        }
    }
}

/// One test's result.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// Test name.
    pub name: String,
    /// Outcome.
    pub status: Status,
    /// Output identical to an expected file.
    pub exact: bool,
    /// Blocks matched.
    pub matched: usize,
    /// Blocks in the best expected file.
    pub total: usize,
    /// File name of the best expected file.
    pub expected: String,
    /// Run time.
    pub elapsed: Duration,
    /// The schedule marks the test `ignore:`.
    pub ignored: bool,
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Server description.
    pub server: String,
    /// Database the tests ran in.
    pub database: String,
    /// Notes on deviations from pg_regress (fallbacks).
    pub notes: Vec<String>,
    /// Results in schedule order.
    pub tests: Vec<TestResult>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl RunSummary {
    /// Tests whose output was exact.
    pub fn files_passed(&self) -> usize {
        self.tests.iter().filter(|t| t.exact).count()
    }

    /// Matched blocks over all tests.
    pub fn blocks_matched(&self) -> usize {
        self.tests.iter().map(|t| t.matched).sum()
    }

    /// Block total over all tests.
    pub fn blocks_total(&self) -> usize {
        self.tests.iter().map(|t| t.total).sum()
    }

    /// The one-line result printed at the end of a run.
    pub fn headline(&self) -> String {
        format!(
            "regress: {}/{} files, {}/{} statements",
            self.files_passed(),
            self.tests.len(),
            self.blocks_matched(),
            self.blocks_total()
        )
    }

    /// `summary.json`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n");
        let _ = writeln!(out, "  \"server\": {},", json_string(&self.server));
        let _ = writeln!(out, "  \"database\": {},", json_string(&self.database));
        let notes: Vec<String> = self.notes.iter().map(|n| json_string(n)).collect();
        let _ = writeln!(out, "  \"notes\": [{}],", notes.join(", "));
        let _ = writeln!(out, "  \"files_passed\": {},", self.files_passed());
        let _ = writeln!(out, "  \"files_total\": {},", self.tests.len());
        let _ = writeln!(out, "  \"blocks_matched\": {},", self.blocks_matched());
        let _ = writeln!(out, "  \"blocks_total\": {},", self.blocks_total());
        let _ = writeln!(out, "  \"elapsed_ms\": {},", self.elapsed.as_millis());
        out.push_str("  \"tests\": [\n");
        for (i, t) in self.tests.iter().enumerate() {
            let _ = write!(
                out,
                "    {{\"name\": {}, \"status\": \"{}\", \"exact\": {}, \"matched\": {}, \"total\": {}, \"expected\": {}, \"ignored\": {}, \"elapsed_ms\": {}}}",
                json_string(&t.name),
                t.status.as_str(),
                t.exact,
                t.matched,
                t.total,
                json_string(&t.expected),
                t.ignored,
                t.elapsed.as_millis()
            );
            out.push_str(if i + 1 < self.tests.len() {
                ",\n"
            } else {
                "\n"
            });
        }
        out.push_str("  ]\n}\n");
        out
    }

    /// `summary.md`: totals and a table per test. `with_times` adds run times (left out of
    /// the committed copy so that it changes only when results do).
    pub fn to_markdown(&self, with_times: bool) -> String {
        let mut out = String::from("# Regression suite results\n\n");
        let _ = writeln!(
            out,
            "Server: {}. Database: `{}`.\n",
            self.server, self.database
        );
        for note in &self.notes {
            let _ = writeln!(out, "- {note}");
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Files passed: {}/{}. Statement blocks matched: {}/{}.",
            self.files_passed(),
            self.tests.len(),
            self.blocks_matched(),
            self.blocks_total()
        );
        if with_times {
            let _ = writeln!(out, "Run time: {:.1} s.", self.elapsed.as_secs_f64());
        }
        out.push('\n');
        if with_times {
            out.push_str("| test | blocks matched | exact | status | expected file | ms |\n|---|---:|---|---|---|---:|\n");
        } else {
            out.push_str("| test | blocks matched | exact | status | expected file |\n|---|---:|---|---|---|\n");
        }
        for t in &self.tests {
            let status = if t.ignored {
                format!("{} (ignored)", t.status.as_str())
            } else {
                t.status.as_str().to_string()
            };
            let _ = write!(
                out,
                "| {} | {}/{} | {} | {} | {} |",
                t.name,
                t.matched,
                t.total,
                if t.exact { "yes" } else { "no" },
                status,
                t.expected
            );
            if with_times {
                let _ = write!(out, " {} |", t.elapsed.as_millis());
            }
            out.push('\n');
        }
        out
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads a ratchet file (missing file: empty). Errors name the malformed line.
pub fn read_ratchet(path: &Path) -> Result<BTreeMap<String, usize>, String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("could not read {}: {e}", path.display())),
    };
    parse_ratchet(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_ratchet(text: &str) -> Result<BTreeMap<String, usize>, String> {
    let mut map = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once('\t').and_then(|(name, count)| {
            count
                .trim()
                .parse::<usize>()
                .ok()
                .map(|c| (name.to_string(), c))
        });
        match parsed {
            Some((name, count)) => {
                map.insert(name, count);
            }
            None => {
                return Err(format!(
                    "line {}: expected NAME<TAB>COUNT, got {line:?}",
                    number + 1
                ))
            }
        }
    }
    Ok(map)
}

/// Tests of `results` that matched fewer blocks than the ratchet allows (rule 1), as
/// (name, ratchet value, matched now).
pub fn ratchet_drops(
    ratchet: &BTreeMap<String, usize>,
    results: &[TestResult],
) -> Vec<(String, usize, usize)> {
    results
        .iter()
        .filter_map(|t| {
            let floor = *ratchet.get(&t.name)?;
            // A test cut short by the timeout matched as many blocks as the machine's
            // speed allowed: not a stable count, so not held to the ratchet.
            if t.status == Status::Timeout {
                return None;
            }
            (t.matched < floor).then(|| (t.name.clone(), floor, t.matched))
        })
        .collect()
}

/// Writes the ratchet with the counts of `results` (rule 2), in schedule order followed by
/// tests that were not run.
pub fn write_ratchet(path: &Path, results: &[TestResult]) -> Result<(), String> {
    let mut previous = read_ratchet(path)?;
    let mut out = String::new();
    for t in results {
        previous.remove(&t.name);
        let _ = writeln!(out, "{}\t{}", t.name, t.matched);
    }
    for (name, count) in previous {
        let _ = writeln!(out, "{name}\t{count}");
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    }
    fs::write(path, out).map_err(|e| format!("could not write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, matched: usize) -> TestResult {
        TestResult {
            name: name.to_string(),
            status: Status::Failed,
            exact: false,
            matched,
            total: 10,
            expected: format!("{name}.out"),
            elapsed: Duration::from_millis(5),
            ignored: false,
        }
    }

    #[test]
    fn ratchet_reports_only_drops() {
        let ratchet = parse_ratchet("a\t5\nb\t3\n").expect("valid ratchet");
        let drops = ratchet_drops(&ratchet, &[result("a", 4), result("b", 7), result("c", 0)]);
        assert_eq!(drops, vec![("a".to_string(), 5, 4)]);
        assert!(parse_ratchet("a 5\n").is_err());
    }

    #[test]
    fn headline_and_json_carry_totals() {
        let summary = RunSummary {
            server: "PostgreSQL \"15\"".to_string(),
            database: "regression".to_string(),
            notes: vec![],
            tests: vec![result("a", 4), result("b", 10)],
            elapsed: Duration::from_secs(1),
        };
        assert_eq!(summary.headline(), "regress: 0/2 files, 14/20 statements");
        let json = summary.to_json();
        assert!(
            json.contains("\"server\": \"PostgreSQL \\\"15\\\"\""),
            "{json}"
        );
        assert!(json.contains("\"blocks_matched\": 14"));
        assert!(summary
            .to_markdown(false)
            .contains("| a | 4/10 | no | failed | a.out |"));
    }
}
