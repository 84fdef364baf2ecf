//! The suite's schedule (`parallel_schedule`), `resultmap` and expected-file alternatives,
//! read as pg_regress 15 reads them.
//!
//! Rules (pg_regress.c):
//! 1. A schedule line is `test: NAME...` (one group, run in parallel by pg_regress) or
//!    `ignore: NAME` (the test still runs; its failure is reported as ignorable). Blank lines
//!    and lines starting with `#` are skipped; anything else is an error.
//! 2. A `resultmap` line is `TEST:TYPE:PLATFORM=FILE`; it applies when the host platform
//!    matches PLATFORM, where `.` matches one character and `.*` any run, anchored at the
//!    start only. The last matching line wins.
//! 3. The expected files of a test are the mapped (or default) `NAME.out`, its alternatives
//!    `NAME_0.out` ... `NAME_9.out`, and the default file when a mapping replaced it.
//!
//! Entry points: [`Schedule::parse`], [`ResultMap::parse`], [`expected_files`].

use std::path::{Path, PathBuf};

/// The tests of a schedule file, in groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// `test:` lines in file order, each a list of test names.
    pub groups: Vec<Vec<String>>,
    /// Names from `ignore:` lines.
    pub ignored: Vec<String>,
}

impl Schedule {
    /// Parses schedule text (rule 1). Errors name the offending line.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let mut schedule = Schedule::default();
        for (number, raw) in text.lines().enumerate() {
            let line = raw.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("test: ") {
                let group: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
                if group.is_empty() {
                    return Err(format!(
                        "syntax error in schedule line {}: {line}",
                        number + 1
                    ));
                }
                schedule.groups.push(group);
            } else if let Some(rest) = line.strip_prefix("ignore: ") {
                schedule
                    .ignored
                    .extend(rest.split_whitespace().map(str::to_string));
            } else {
                return Err(format!(
                    "syntax error in schedule line {}: {line}",
                    number + 1
                ));
            }
        }
        Ok(schedule)
    }

    /// All test names in schedule order.
    pub fn tests(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().flatten().map(String::as_str)
    }
}

/// Platform-specific expected files (rule 2).
#[derive(Debug, Clone, Default)]
pub struct ResultMap {
    /// (test, file type, substitute file), later lines first.
    entries: Vec<(String, String, String)>,
}

impl ResultMap {
    /// Parses `resultmap` text, keeping the lines whose pattern matches `host_platform`.
    pub fn parse(text: &str, host_platform: &str) -> Result<ResultMap, String> {
        let mut entries = Vec::new();
        for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
            let bad = || format!("incorrectly formatted resultmap entry: {line}");
            let (test, rest) = line.split_once(':').ok_or_else(bad)?;
            let (file_type, rest) = rest.split_once(':').ok_or_else(bad)?;
            let (platform, file) = rest.split_once('=').ok_or_else(bad)?;
            if platform_matches(host_platform.as_bytes(), platform.as_bytes()) {
                entries.insert(
                    0,
                    (test.to_string(), file_type.to_string(), file.to_string()),
                );
            }
        }
        Ok(ResultMap { entries })
    }

    /// The substitute expected file name for `test`'s `.out` file, if mapped.
    pub fn lookup(&self, test: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(t, file_type, _)| t == test && file_type == "out")
            .map(|(_, _, file)| file.as_str())
    }
}

/// pg_regress's `string_matches_pattern`: `.` and `.*` wildcards, implicit `^` only.
fn platform_matches(text: &[u8], pattern: &[u8]) -> bool {
    match pattern {
        [] => true,
        [b'.', b'*', rest @ ..] => {
            (0..=text.len()).any(|skip| platform_matches(&text[skip..], rest))
        }
        [p, rest @ ..] => match text {
            [t, text_rest @ ..] if *p == b'.' || p == t => platform_matches(text_rest, rest),
            _ => false,
        },
    }
}

/// The platform string resultmap patterns are matched against (config.guess style).
pub fn host_platform() -> String {
    format!("{}-pc-{}-gnu", std::env::consts::ARCH, std::env::consts::OS)
}

/// Existing expected files for `test` under `suite/expected`, primary first (rule 3).
pub fn expected_files(suite: &Path, test: &str, resultmap: &ResultMap) -> Vec<PathBuf> {
    let dir = suite.join("expected");
    let default = format!("{test}.out");
    let primary = resultmap
        .lookup(test)
        .map_or_else(|| default.clone(), str::to_string);
    let stem = primary.strip_suffix(".out").unwrap_or(&primary).to_string();
    let mut names = vec![primary.clone()];
    names.extend((0..=9).map(|i| format!("{stem}_{i}.out")));
    if primary != default {
        names.push(default);
    }
    names
        .into_iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_groups_and_ignores() {
        let text = "# comment\n\ntest: a b\nignore: b\ntest: c\n";
        let schedule = Schedule::parse(text).expect("valid schedule");
        assert_eq!(
            schedule.groups,
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec!["c".to_string()]
            ]
        );
        assert_eq!(schedule.ignored, vec!["b".to_string()]);
        assert_eq!(schedule.tests().collect::<Vec<_>>(), vec!["a", "b", "c"]);
        assert!(Schedule::parse("tests: a\n").is_err());
    }

    #[test]
    fn resultmap_patterns_match_like_pg_regress() {
        let text = "float4:out:.*-.*-cygwin.*=float4-misrounded-input.out\n";
        let map = ResultMap::parse(text, "x86_64-pc-cygwin").expect("valid resultmap");
        assert_eq!(map.lookup("float4"), Some("float4-misrounded-input.out"));
        let map = ResultMap::parse(text, "x86_64-pc-linux-gnu").expect("valid resultmap");
        assert_eq!(map.lookup("float4"), None);
        assert!(platform_matches(
            b"hppa1.1-hp-hpux10.20",
            b"hppa.*-hp-hpux10.*"
        ));
        assert!(!platform_matches(b"x", b"xy"));
    }
}
