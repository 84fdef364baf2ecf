//! Statement blocks: cutting a psql output file at the echo of each statement.
//!
//! psql `-a` echoes every script line before running what it completes, so an output file
//! is the script's lines interleaved with results. A *block* is the output from the echo of a
//! line that begins a statement up to the echo of the next such line (the last block runs to
//! the end of the file). Rules:
//!
//! 1. Blocks are defined by the expected file: the statements whose echo is found there, one
//!    block per distinct starting line. Their number is the test's block total.
//! 2. Echoes are found in order: a statement is located at the first output position, after
//!    the previous one's first line, where its echo run (see [`Statement::echo_run`]) appears
//!    line for line. A statement that cannot be found starts no block.
//! 3. An actual output block matches when it is byte-identical to the expected block, where
//!    the actual block runs from the statement's echo to the next located block statement.
//!
//! Entry points: [`ExpectedBlocks::build`], [`ExpectedBlocks::score`].

use super::script::{split_script, Statement};

/// Output lines, each with its `\n` (the last one may lack it).
fn output_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Finds statement echoes in one output file, in order.
struct Locator<'a> {
    script: &'a [&'a str],
    output: Vec<&'a str>,
    /// Output line from which the next search starts.
    next: usize,
}

impl<'a> Locator<'a> {
    fn new(script: &'a [&'a str], output: &'a str) -> Self {
        Locator {
            script,
            output: output_lines(output),
            next: 0,
        }
    }

    /// Output line index where the echo of `statement` begins, if found (rule 2).
    fn locate(&mut self, statement: &Statement) -> Option<usize> {
        if !statement.echoed || statement.echo_run.is_empty() {
            return None;
        }
        let run: Vec<&str> = statement.echo_run.iter().map(|&l| self.script[l]).collect();
        let last_start = self.output.len().checked_sub(run.len())?;
        let found = (self.next..=last_start).find(|&p| {
            run.iter()
                .enumerate()
                .all(|(k, line)| strip_newline(self.output[p + k]) == *line)
        })?;
        self.next = found + 1;
        Some(found)
    }

    /// How many data sections psql read after the statement located at `position`, which
    /// holds `statement.copy_from_stdin` COPY commands (rule 4 of `script.rs`). Reading k
    /// sections makes the first script line after the k-th `\.` the next one echoed; the
    /// candidate whose line shows up first in the output wins.
    fn copy_sections(&self, statement: &Statement, position: usize) -> usize {
        let candidates = section_candidates(self.script, statement);
        let after = position + statement.echo_run.len();
        for line in &self.output[after.min(self.output.len())..] {
            let line = strip_newline(line);
            // The highest count wins when several candidates read the same.
            if let Some((k, _)) = candidates.iter().rev().find(|(_, text)| *text == line) {
                return *k;
            }
        }
        candidates.last().map_or(0, |(k, _)| *k)
    }
}

/// For k = 0 ..= the statement's COPY count (while `\.` lines last): k and the first
/// non-empty script line psql would read after skipping k data sections.
fn section_candidates<'a>(script: &[&'a str], statement: &Statement) -> Vec<(usize, &'a str)> {
    let mut candidates = Vec::new();
    let mut line = statement.end_line + 1;
    for k in 0..=statement.copy_from_stdin {
        if k > 0 {
            // Skip one data section.
            match script[line.min(script.len())..]
                .iter()
                .position(|l| l.trim_end_matches('\r') == "\\.")
            {
                Some(offset) => line += offset + 1,
                None => break,
            }
        }
        if let Some(text) = script[line.min(script.len())..]
            .iter()
            .find(|l| !l.is_empty())
        {
            candidates.push((k, *text));
        } else {
            candidates.push((k, ""));
        }
    }
    candidates
}

fn strip_newline(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Data sections read after a statement whose echo is hidden: as many as its COPY commands,
/// while `\.` lines last.
fn hidden_copy_sections(script: &[&str], statement: &Statement) -> usize {
    section_candidates(script, statement)
        .last()
        .map_or(0, |(k, _)| *k)
}

/// The blocks of one expected file.
#[derive(Debug, Clone)]
pub struct ExpectedBlocks {
    /// Block-starting statements (one per distinct start line, located in the expected file).
    statements: Vec<Statement>,
    /// The expected text of each block.
    texts: Vec<String>,
}

impl ExpectedBlocks {
    /// Splits `script` (the `.sql` text) and cuts `expected` (an expected output) into blocks.
    pub fn build(script: &str, expected: &str) -> ExpectedBlocks {
        let script_lines: Vec<&str> = script_lines(script);
        let mut locator = Locator::new(&script_lines, expected);
        let mut located: Vec<(Statement, usize)> = Vec::new();
        // Start line and location of the previous statement: statements sharing a line share
        // its echo.
        let mut previous: Option<(usize, Option<usize>)> = None;
        split_script(script, |statement| {
            let position = match previous {
                Some((line, position)) if line == statement.start_line => position,
                _ => {
                    let position = locator.locate(statement);
                    if let Some(position) = position {
                        located.push((statement.clone(), position));
                    }
                    position
                }
            };
            previous = Some((statement.start_line, position));
            if statement.copy_from_stdin == 0 {
                return 0;
            }
            match position {
                Some(position) => locator.copy_sections(statement, position),
                None => hidden_copy_sections(&script_lines, statement),
            }
        });
        let lines = output_lines(expected);
        let mut texts = Vec::with_capacity(located.len());
        for (k, (_, start)) in located.iter().enumerate() {
            let end = located.get(k + 1).map_or(lines.len(), |(_, p)| *p);
            texts.push(lines[*start..end].concat());
        }
        ExpectedBlocks {
            statements: located.into_iter().map(|(s, _)| s).collect(),
            texts,
        }
    }

    /// Number of blocks (the test's denominator).
    pub fn total(&self) -> usize {
        self.texts.len()
    }

    /// Number of blocks of `actual` (an output of `script`) byte-identical to this file's.
    pub fn score(&self, script: &str, actual: &str) -> usize {
        let script_lines = script_lines(script);
        let mut locator = Locator::new(&script_lines, actual);
        let positions: Vec<Option<usize>> =
            self.statements.iter().map(|s| locator.locate(s)).collect();
        let lines = &locator.output;
        let mut matched = 0;
        for (k, position) in positions.iter().enumerate() {
            let Some(start) = *position else { continue };
            let end = positions[k + 1..]
                .iter()
                .flatten()
                .next()
                .copied()
                .unwrap_or(lines.len());
            if end < start {
                continue;
            }
            let block = &lines[start..end];
            let expected = &self.texts[k];
            if block.iter().map(|l| l.len()).sum::<usize>() == expected.len()
                && block.concat() == *expected
            {
                matched += 1;
            }
        }
        matched
    }
}

fn script_lines(script: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = script.split('\n').collect();
    if script.ends_with('\n') {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "-- comment\nSELECT 1;\n\nSELECT\n  2;\nSELECT 3; SELECT 4;\n";
    const EXPECTED: &str = "-- comment\nSELECT 1;\n ?column? \n----------\n        1\n(1 row)\n\nSELECT\n  2;\n ?column? \n----------\n        2\n(1 row)\n\nSELECT 3; SELECT 4;\n 3\n 4\n";

    #[test]
    fn blocks_start_at_each_statement_line() {
        let blocks = ExpectedBlocks::build(SCRIPT, EXPECTED);
        assert_eq!(blocks.total(), 3);
        assert!(blocks.texts[0].starts_with("SELECT 1;\n"));
        assert!(blocks.texts[1].starts_with("SELECT\n  2;\n"));
        assert_eq!(blocks.texts[2], "SELECT 3; SELECT 4;\n 3\n 4\n");
        assert_eq!(blocks.score(SCRIPT, EXPECTED), 3);
    }

    #[test]
    fn a_wrong_result_fails_only_its_block() {
        let blocks = ExpectedBlocks::build(SCRIPT, EXPECTED);
        let actual = EXPECTED.replace("        2\n", "        7\n");
        assert_eq!(blocks.score(SCRIPT, &actual), 2);
    }

    #[test]
    fn output_ending_early_scores_the_blocks_before() {
        let blocks = ExpectedBlocks::build(SCRIPT, EXPECTED);
        let cut = EXPECTED
            .find("SELECT\n  2;")
            .expect("second statement present");
        let actual = format!("{}psql: error: connection lost\n", &EXPECTED[..cut]);
        assert_eq!(
            blocks.score(SCRIPT, &actual),
            0,
            "the first block now includes the error"
        );
        assert_eq!(blocks.score(SCRIPT, &EXPECTED[..cut]), 1);
    }

    #[test]
    fn copy_data_is_skipped_only_when_the_copy_started() {
        let script = "COPY t FROM stdin;\nit's\n\\.\nCOPY u FROM stdin;\nSELECT 'x';\n";
        let expected = "COPY t FROM stdin;\nCOPY u FROM stdin;\nERROR:  relation \"u\" does not exist\nSELECT 'x';\n x\n";
        let blocks = ExpectedBlocks::build(script, expected);
        assert_eq!(blocks.total(), 3);
        assert_eq!(blocks.score(script, expected), 3);
    }

    #[test]
    fn hidden_statements_join_the_previous_block() {
        let script = "SELECT 1;\n\\set ECHO none\nSELECT 2;\n\\set ECHO all\nSELECT 3;\n";
        let expected = "SELECT 1;\n 1\n\\set ECHO none\n 2\nSELECT 3;\n 3\n";
        let blocks = ExpectedBlocks::build(script, expected);
        assert_eq!(blocks.total(), 3);
        assert_eq!(blocks.texts[1], "\\set ECHO none\n 2\n");
    }
}

/// Checks against the real suite (skipped when `../shared/pg_regress` is absent).
#[cfg(test)]
mod suite_tests {
    use super::*;
    use std::path::PathBuf;

    fn suite() -> Option<PathBuf> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pg_regress");
        dir.join("sql").is_dir().then_some(dir)
    }

    /// Every statement psql echoes is found in the test's primary expected file, except the
    /// one that follows `\echo -n` (its echo continues the previous output line).
    #[test]
    fn every_echoed_statement_is_located_in_the_expected_files() {
        let Some(suite) = suite() else {
            eprintln!("suite not found; skipped");
            return;
        };
        let mut missing = Vec::new();
        let mut files = 0;
        for entry in std::fs::read_dir(suite.join("sql")).expect("read sql dir") {
            let path = entry.expect("dir entry").path();
            let name = path
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let script =
                String::from_utf8_lossy(&std::fs::read(&path).expect("read script")).into_owned();
            let Ok(bytes) = std::fs::read(suite.join("expected").join(format!("{name}.out")))
            else {
                continue;
            };
            files += 1;
            let expected = String::from_utf8_lossy(&bytes).into_owned();
            let lines = script_lines(&script);
            let mut locator = Locator::new(&lines, &expected);
            let mut previous_start = None;
            split_script(&script, |statement| {
                let position = if previous_start == Some(statement.start_line) {
                    None
                } else {
                    let position = locator.locate(statement);
                    if position.is_none() && statement.echoed {
                        missing.push(format!("{name}:{}", statement.start_line + 1));
                    }
                    position
                };
                previous_start = Some(statement.start_line);
                match (statement.copy_from_stdin, position) {
                    (0, _) => 0,
                    (_, Some(position)) => locator.copy_sections(statement, position),
                    (_, None) => hidden_copy_sections(&lines, statement),
                }
            });
        }
        assert!(files > 200, "only {files} scripts with expected files");
        assert_eq!(missing, vec!["psql:826".to_string()]);
    }
}
