//! Judging one test's output against its expected files.
//!
//! Rules:
//! 1. A test's output is *exact* when it is byte-identical to one of its expected files
//!    (pg_regress's `diff` finds no difference).
//! 2. Otherwise the best expected file is the one with the most matched statement blocks;
//!    ties go to the earlier file (the primary one first), so that a server matching nothing
//!    is measured against the primary files and the block total stays put. An exact file is
//!    always best.
//! 3. The test's block total is the block count of the best file; its matched count is the
//!    blocks of the output that match that file's (see `blocks.rs`).
//! 4. The diff shown for a failed test is `diff -U3 EXPECTED RESULT` against the best file,
//!    headed `diff -U3 EXPECTED RESULT` as pg_regress writes `regression.diffs`.
//!
//! Entry point: [`compare`].

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::blocks::ExpectedBlocks;

/// The verdict on one output.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Output is byte-identical to `expected_file` (rule 1).
    pub exact: bool,
    /// The best expected file (rule 2); None when the test has no expected file.
    pub expected_file: Option<PathBuf>,
    /// Blocks matched (rule 3).
    pub matched: usize,
    /// Blocks in the best expected file.
    pub total: usize,
    /// Unified diff for a failed test (rule 4).
    pub diff: Option<String>,
}

/// Compares the output at `result` (of `script`, the `.sql` text) with `candidates`
/// (existing expected files, primary first).
pub fn compare(script: &str, result: &Path, candidates: &[PathBuf]) -> Comparison {
    let actual_bytes = fs::read(result).unwrap_or_default();
    let actual = String::from_utf8_lossy(&actual_bytes);
    let mut scored = Vec::new();
    for candidate in candidates {
        let Ok(expected_bytes) = fs::read(candidate) else {
            continue;
        };
        let expected = String::from_utf8_lossy(&expected_bytes);
        let blocks = ExpectedBlocks::build(script, &expected);
        if expected_bytes == actual_bytes {
            return Comparison {
                exact: true,
                expected_file: Some(candidate.clone()),
                matched: blocks.total(),
                total: blocks.total(),
                diff: None,
            };
        }
        scored.push((
            candidate.clone(),
            blocks.score(script, &actual),
            blocks.total(),
        ));
    }
    // The first candidate with the most matched blocks (rule 2).
    let best = scored
        .into_iter()
        .rev()
        .max_by_key(|(_, matched, _)| *matched);
    match best {
        Some((file, matched, total)) => {
            let diff = unified_diff(&file, result);
            Comparison {
                exact: false,
                expected_file: Some(file),
                matched,
                total,
                diff: Some(diff),
            }
        }
        None => Comparison {
            exact: false,
            expected_file: None,
            matched: 0,
            total: 0,
            diff: Some(format!("no expected file for {}\n", result.display())),
        },
    }
}

/// pg_regress's entry in `regression.diffs` (rule 4).
fn unified_diff(expected: &Path, result: &Path) -> String {
    let mut text = format!("diff -U3 {} {}\n", expected.display(), result.display());
    match Command::new("diff")
        .arg("-U3")
        .arg(expected)
        .arg(result)
        .output()
    {
        Ok(output) => text.push_str(&String::from_utf8_lossy(&output.stdout)),
        Err(e) => text.push_str(&format!("(could not run diff: {e})\n")),
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, text).expect("write test file");
        path
    }

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-compare-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).expect("create scratch dir");
        dir
    }

    #[test]
    fn exact_alternative_wins() {
        let dir = scratch_dir("exact");
        let script = "SELECT 1;\nSELECT 2;\n";
        let primary = write(&dir, "t.out", "SELECT 1;\n 1\nSELECT 2;\n 2\n");
        let alternative = write(&dir, "t_1.out", "SELECT 1;\n one\nSELECT 2;\n 2\n");
        let result = write(&dir, "result.out", "SELECT 1;\n one\nSELECT 2;\n 2\n");
        let verdict = compare(script, &result, &[primary, alternative.clone()]);
        assert!(verdict.exact);
        assert_eq!(verdict.expected_file, Some(alternative));
        assert_eq!((verdict.matched, verdict.total), (2, 2));
        fs::remove_dir_all(dir).expect("remove scratch dir");
    }

    #[test]
    fn best_alternative_has_most_matched_blocks() {
        let dir = scratch_dir("best");
        let script = "SELECT 1;\nSELECT 2;\nSELECT 3;\n";
        let primary = write(
            &dir,
            "t.out",
            "SELECT 1;\n a\nSELECT 2;\n b\nSELECT 3;\n c\n",
        );
        let alternative = write(
            &dir,
            "t_1.out",
            "SELECT 1;\n x\nSELECT 2;\n y\nSELECT 3;\n c\n",
        );
        let result = write(
            &dir,
            "result.out",
            "SELECT 1;\n x\nSELECT 2;\n y\nSELECT 3;\n z\n",
        );
        let verdict = compare(script, &result, &[primary, alternative.clone()]);
        assert!(!verdict.exact);
        assert_eq!(verdict.expected_file, Some(alternative));
        assert_eq!((verdict.matched, verdict.total), (2, 3));
        let diff = verdict.diff.expect("failed test has a diff");
        assert!(diff.contains("- c\n+ z\n"), "{diff}");
        fs::remove_dir_all(dir).expect("remove scratch dir");
    }

    #[test]
    fn ties_go_to_the_primary_file() {
        let dir = scratch_dir("tie");
        let script = "SELECT 1;\n";
        let primary = write(&dir, "t.out", "SELECT 1;\n 1\n");
        let alternative = write(&dir, "t_1.out", "SELECT 1;\n one\n");
        let result = write(&dir, "result.out", "psql: error: connection refused\n");
        let verdict = compare(script, &result, &[primary.clone(), alternative]);
        assert_eq!(verdict.expected_file, Some(primary));
        assert_eq!((verdict.matched, verdict.total), (0, 1));
        fs::remove_dir_all(dir).expect("remove scratch dir");
    }
}
