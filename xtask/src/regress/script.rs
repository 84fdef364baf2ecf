//! Splitting a regression script (`sql/NAME.sql`) into the statements psql 15 runs.
//!
//! psql reads its input one line at a time, echoes each line (`-a`) and feeds it to its
//! lexer (`psqlscan.l`), which decides where a statement ends. To cut the output of a test
//! into statement blocks we need the same decisions, so this module follows psql's lexer:
//!
//! 1. A statement ends at a `;` outside quotes, comments, parentheses and the `BEGIN ... END`
//!    body of `CREATE [OR REPLACE] {FUNCTION|PROCEDURE}` (psql's `begin_depth` heuristic).
//! 2. Quotes: `'...'` (backslash escapes when `E'...'` or `standard_conforming_strings` is off),
//!    `"..."`, `$tag$...$tag$`, nested `/* ... */`. A `--` comment runs to the end of the line;
//!    when no statement is pending it is whitespace and starts nothing.
//! 3. A backslash outside quotes starts a psql meta-command that runs to the end of the line or
//!    to `\\`; `\;` and `\:` are literal characters of the statement. With no statement pending,
//!    a meta-command is a statement of its own. With one pending, `\g`-style commands and `\r`
//!    end it; other commands run without ending it.
//! 4. After `COPY ... FROM STDIN` (or `\copy ... from stdin`) psql reads data lines up to `\.`,
//!    but only when the server accepted the COPY; the caller tells which (see [`split_script`]).
//! 5. psql does not echo empty lines unless they sit inside a quote or comment, and echoes
//!    nothing while the `ECHO` variable is not `all` (`\set ECHO none`).
//!
//! Entry point: [`split_script`]. See also `blocks.rs`, which finds the echoed statements in an
//! output file.

/// One statement (SQL or psql meta-command) of a script, by 0-based line numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Line on which the statement's first token appears.
    pub start_line: usize,
    /// Line on which psql sends (or finishes) the statement.
    pub end_line: usize,
    /// The script lines whose echo appears contiguously in the output at the start of the
    /// statement: echoed lines from `start_line` up to the first line on which psql prints
    /// something (a statement ends or a meta-command runs).
    pub echo_run: Vec<usize>,
    /// psql echoes this statement (`ECHO` is `all`).
    pub echoed: bool,
    /// Number of `COPY ... FROM STDIN` (or `\copy ... from stdin`) commands in the statement
    /// (several when combined with `\;`): up to that many data sections may follow.
    pub copy_from_stdin: usize,
}

/// Lexer state carried from one line to the next (psql's `start_state`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Normal,
    /// Inside `'...'`; `escapes` when backslash escapes apply.
    Quote {
        escapes: bool,
    },
    /// Inside `"..."`.
    Identifier,
    /// Inside `$tag$...$tag$`; holds the full delimiter including both `$`.
    Dollar(String),
    /// Inside `/* ... */` at the given nesting depth (at least 1).
    Comment(u32),
}

/// One open `\if` block (psql's conditional stack entry).
#[derive(Debug, Clone)]
struct Conditional {
    /// The enclosing blocks are all active.
    parent_active: bool,
    /// The current branch runs.
    active: bool,
    /// Some branch of this block has run (later `\elif`/`\else` branches do not).
    taken: bool,
    /// Query buffer and parenthesis depth at the start of the current branch; psql restores
    /// them when it leaves a branch that did not run.
    saved_pending: Option<(usize, usize)>,
    saved_paren_depth: u32,
}

/// psql's `ParseVariableBool` for `\if` arguments; None for values known only at run time.
fn conditional_value(argument: &str) -> Option<bool> {
    let value = argument.trim().to_ascii_lowercase();
    if value.starts_with(':') {
        return None;
    }
    let matches = |word: &str| !value.is_empty() && word.starts_with(&value);
    if value == "1" || matches("true") || matches("yes") || value == "on" {
        Some(true)
    } else if value == "0"
        || matches("false")
        || matches("no")
        || value == "off"
        || value.starts_with("of")
    {
        Some(false)
    } else {
        // psql reports an error and treats the branch as false.
        Some(false)
    }
}

/// psql meta-commands that send (or discard) the pending query buffer.
const BUFFER_ENDING_COMMANDS: &[&str] = &[
    "g",
    "gx",
    "gset",
    "gexec",
    "gdesc",
    "crosstabview",
    "watch",
    "r",
    "reset",
];

struct Splitter<'a> {
    lines: Vec<&'a str>,
    mode: Mode,
    paren_depth: u32,
    begin_depth: u32,
    /// First letters of the leading `create`/`or`/`replace`/`function`/`procedure` words.
    identifiers: [u8; 4],
    identifier_count: usize,
    std_strings: bool,
    echo_all: bool,
    /// Line and byte offset where the pending statement starts, if one is pending.
    pending: Option<(usize, usize)>,
    /// Last line on which psql printed something (statement end or meta-command).
    last_output_line: Option<usize>,
    /// First line on which a meta-command ran while the pending statement was open.
    pending_output_line: Option<usize>,
    /// Open `\if` blocks, innermost last.
    conditionals: Vec<Conditional>,
    /// Per line: psql echoes it (filled as lines are lexed; copy data lines stay false).
    echoed_lines: Vec<bool>,
    statements: Vec<Statement>,
}

/// Splits `sql` into statements as psql 15 does when it runs the file with `-a`.
///
/// `copy_sections` is called for every completed statement; for one holding `COPY ... FROM
/// STDIN` it must say how many data sections (each ended by `\.`) psql went on to read: one
/// per COPY the server accepted. Its answer is ignored for other statements. The callback
/// sees the statements in order, so a caller can locate each one in an output file as it
/// comes.
pub fn split_script(
    sql: &str,
    mut copy_sections: impl FnMut(&Statement) -> usize,
) -> Vec<Statement> {
    let mut splitter = Splitter {
        lines: sql.split('\n').collect(),
        mode: Mode::Normal,
        paren_depth: 0,
        begin_depth: 0,
        identifiers: [0; 4],
        identifier_count: 0,
        std_strings: true,
        echo_all: true,
        pending: None,
        last_output_line: None,
        pending_output_line: None,
        conditionals: Vec::new(),
        echoed_lines: Vec::new(),
        statements: Vec::new(),
    };
    // A file ending in a newline has no last line after it.
    if sql.ends_with('\n') {
        splitter.lines.pop();
    }
    splitter.echoed_lines = vec![false; splitter.lines.len()];
    let mut line_no = 0;
    while line_no < splitter.lines.len() {
        let completed_before = splitter.statements.len();
        splitter.lex_line(line_no);
        let mut next_line = line_no + 1;
        for index in completed_before..splitter.statements.len() {
            let statement = splitter.statements[index].clone();
            let sections = copy_sections(&statement);
            if statement.copy_from_stdin > 0 {
                // psql reads data lines until `\.` (or end of file); they are not echoed.
                for _ in 0..sections.min(statement.copy_from_stdin) {
                    while next_line < splitter.lines.len() {
                        let data = splitter.lines[next_line].trim_end_matches('\r');
                        next_line += 1;
                        if data == "\\." {
                            break;
                        }
                    }
                }
            }
        }
        line_no = next_line;
    }
    // psql sends a pending statement at end of file.
    if let Some(start) = splitter.pending.take() {
        let end = splitter.lines.len().saturating_sub(1).max(start.0);
        let text = splitter.text_between(start, end, splitter.lines[end].len());
        let statement = splitter.finish_statement(start.0, end, &text);
        copy_sections(&statement);
    }
    splitter.statements
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

impl Splitter<'_> {
    fn line_is_echoed(&self, line_no: usize) -> bool {
        !self.lines[line_no].is_empty() || self.mode != Mode::Normal
    }

    /// Marks the start of a statement at byte `col` of `line_no` if none is pending.
    fn begin(&mut self, line_no: usize, col: usize) {
        if self.pending.is_none() {
            self.pending = Some((line_no, col));
        }
    }

    /// The script text from (`line`, `col`) to byte `end_col` of line `end_line`.
    fn text_between(&self, (line, col): (usize, usize), end_line: usize, end_col: usize) -> String {
        if line == end_line {
            return self.lines[line][col.min(end_col)..end_col].to_string();
        }
        let mut text = self.lines[line][col..].to_string();
        for l in line + 1..end_line {
            text.push('\n');
            text.push_str(self.lines[l]);
        }
        text.push('\n');
        text.push_str(&self.lines[end_line][..end_col]);
        text
    }

    fn finish_statement(&mut self, start: usize, end: usize, text: &str) -> Statement {
        // The echo of the first line is followed by output if an earlier statement ended on
        // it; a meta-command inside the statement may print before the statement ends.
        let run_end = if self.last_output_line == Some(start) {
            start
        } else {
            self.pending_output_line.map_or(end, |line| line.min(end))
        };
        self.pending_output_line = None;
        let echo_run = (start..=run_end)
            .filter(|&l| self.echoed_lines[l])
            .collect();
        let statement = Statement {
            start_line: start,
            end_line: end,
            echo_run,
            echoed: self.echo_all,
            copy_from_stdin: copy_from_stdin_count(text),
        };
        self.last_output_line = Some(end);
        self.statements.push(statement.clone());
        statement
    }

    /// Ends the pending statement at byte `end_col` of `line_no`.
    fn complete(&mut self, line_no: usize, end_col: usize) {
        if let Some(start) = self.pending.take() {
            let text = self.text_between(start, line_no, end_col);
            self.track_std_strings(&text);
            self.finish_statement(start.0, line_no, &text);
        }
        self.identifier_count = 0;
        self.identifiers = [0; 4];
        self.paren_depth = 0;
        self.begin_depth = 0;
    }

    fn lex_line(&mut self, line_no: usize) {
        let line = self.lines[line_no];
        let bytes = line.as_bytes();
        let mut i = 0;
        if !self.line_is_echoed(line_no) {
            return;
        }
        self.echoed_lines[line_no] = self.echo_all;
        while i < bytes.len() {
            match self.mode.clone() {
                Mode::Quote { escapes } => {
                    let b = bytes[i];
                    if escapes && b == b'\\' {
                        i += 2;
                    } else if b == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                        } else {
                            self.mode = Mode::Normal;
                            i += 1;
                        }
                    } else {
                        i += 1;
                    }
                }
                Mode::Identifier => {
                    if bytes[i] == b'"' {
                        if bytes.get(i + 1) == Some(&b'"') {
                            i += 2;
                        } else {
                            self.mode = Mode::Normal;
                            i += 1;
                        }
                    } else {
                        i += 1;
                    }
                }
                Mode::Dollar(tag) => {
                    if bytes[i..].starts_with(tag.as_bytes()) {
                        i += tag.len();
                        self.mode = Mode::Normal;
                    } else {
                        i += 1;
                    }
                }
                Mode::Comment(depth) => {
                    if bytes[i..].starts_with(b"/*") {
                        self.mode = Mode::Comment(depth + 1);
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        self.mode = if depth == 1 {
                            Mode::Normal
                        } else {
                            Mode::Comment(depth - 1)
                        };
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                Mode::Normal => {
                    i = self.lex_normal(line_no, line, i);
                }
            }
        }
    }

    /// Lexes one token in normal mode starting at byte `i`; returns the next position.
    fn lex_normal(&mut self, line_no: usize, line: &str, i: usize) -> usize {
        let bytes = line.as_bytes();
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            return i + 1;
        }
        if bytes[i..].starts_with(b"--") {
            return bytes.len();
        }
        if b == b'\\' {
            return match bytes.get(i + 1) {
                Some(b';') | Some(b':') => {
                    self.begin(line_no, i);
                    i + 2
                }
                _ => self.meta_command(line_no, line, i),
            };
        }
        self.begin(line_no, i);
        if bytes[i..].starts_with(b"/*") {
            self.mode = Mode::Comment(1);
            return i + 2;
        }
        match b {
            b'\'' => {
                self.mode = Mode::Quote {
                    escapes: !self.std_strings,
                };
                i + 1
            }
            b'"' => {
                self.mode = Mode::Identifier;
                i + 1
            }
            b'$' => {
                if let Some(tag) = dollar_delimiter(&line[i..]) {
                    let len = tag.len();
                    self.mode = Mode::Dollar(tag);
                    i + len
                } else {
                    i + 1
                }
            }
            b'(' => {
                self.paren_depth += 1;
                i + 1
            }
            b')' => {
                self.paren_depth = self.paren_depth.saturating_sub(1);
                i + 1
            }
            b';' => {
                if self.paren_depth == 0 && self.begin_depth == 0 {
                    self.complete(line_no, i + 1);
                }
                i + 1
            }
            _ if is_ident_start(b) => {
                let mut end = i + 1;
                while end < bytes.len() && is_ident_cont(bytes[end]) {
                    end += 1;
                }
                let word = &line[i..end];
                if bytes.get(end) == Some(&b'\'') {
                    if word.eq_ignore_ascii_case("e") {
                        self.mode = Mode::Quote { escapes: true };
                        return end + 1;
                    }
                    if ["b", "x", "n"].iter().any(|p| word.eq_ignore_ascii_case(p)) {
                        self.mode = Mode::Quote { escapes: false };
                        return end + 1;
                    }
                }
                if word.eq_ignore_ascii_case("u") && bytes[end..].starts_with(b"&'") {
                    self.mode = Mode::Quote { escapes: false };
                    return end + 2;
                }
                if word.eq_ignore_ascii_case("u") && bytes[end..].starts_with(b"&\"") {
                    self.mode = Mode::Identifier;
                    return end + 2;
                }
                self.identifier(word);
                end
            }
            _ if b.is_ascii_digit() => {
                let mut end = i + 1;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric()
                        || bytes[end] == b'_'
                        || bytes[end] == b'.')
                {
                    end += 1;
                }
                end
            }
            _ => i + 1,
        }
    }

    /// psql's `begin_depth` heuristic for SQL-standard function bodies (psqlscan.l).
    fn identifier(&mut self, word: &str) {
        if self.identifier_count == 0 {
            self.identifiers = [0; 4];
        }
        let lower = word.to_ascii_lowercase();
        if ["create", "function", "procedure", "or", "replace"].contains(&lower.as_str())
            && self.identifier_count < self.identifiers.len()
        {
            self.identifiers[self.identifier_count] = lower.as_bytes()[0];
        }
        self.identifier_count += 1;
        let ids = self.identifiers;
        let in_routine = ids[0] == b'c'
            && (ids[1] == b'f'
                || ids[1] == b'p'
                || (ids[1] == b'o' && ids[2] == b'r' && (ids[3] == b'f' || ids[3] == b'p')));
        if in_routine && self.paren_depth == 0 {
            match lower.as_str() {
                "begin" => self.begin_depth += 1,
                "case" if self.begin_depth >= 1 => self.begin_depth += 1,
                "end" if self.begin_depth > 0 => self.begin_depth -= 1,
                _ => {}
            }
        }
    }

    /// Handles a meta-command starting at the backslash at byte `i`; returns where SQL
    /// lexing resumes (after `\\`, or the end of the line).
    fn meta_command(&mut self, line_no: usize, line: &str, i: usize) -> usize {
        let bytes = line.as_bytes();
        let mut end = i + 1;
        let mut quote: Option<u8> = None;
        while end < bytes.len() {
            let b = bytes[end];
            match quote {
                Some(q) => {
                    if b == q {
                        quote = None;
                    } else if q == b'\'' && b == b'\\' {
                        end += 1;
                    }
                }
                None => {
                    if b == b'\\' && end > i + 1 && bytes.get(end + 1) == Some(&b'\\') {
                        break;
                    }
                    if b == b'\'' || b == b'"' || b == b'`' {
                        quote = Some(b);
                    }
                }
            }
            end += 1;
        }
        let command_text = &line[i + 1..end.min(bytes.len())];
        let name: String = command_text
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '\\')
            .collect();
        let arguments = &command_text[name.len()..];
        let command_end = end.min(bytes.len());
        if matches!(name.as_str(), "if" | "elif" | "else" | "endif") {
            self.conditional(&name, arguments);
            if self.pending.is_none() {
                self.pending = Some((line_no, i));
                self.complete(line_no, command_end);
            }
        } else if !self.active() {
            // Skipped without running; with no statement pending it still stands alone.
            if self.pending.is_none() {
                self.pending = Some((line_no, i));
                self.complete(line_no, command_end);
            }
        } else {
            // psql echoes the line before running it, so a new ECHO applies from the next line.
            let mut args = arguments.split_whitespace();
            let new_echo_all = match (name.as_str(), args.next()) {
                ("set", Some("ECHO")) => {
                    Some(args.next().map(|v| v.trim_matches('\'')) == Some("all"))
                }
                ("unset", Some("ECHO")) => Some(false),
                _ => None,
            };
            if self.pending.is_none() {
                // A meta-command of its own.
                self.pending = Some((line_no, i));
                self.complete(line_no, command_end);
            } else if BUFFER_ENDING_COMMANDS.contains(&name.as_str()) {
                self.complete(line_no, command_end);
            } else {
                self.last_output_line = Some(line_no);
                self.pending_output_line.get_or_insert(line_no);
            }
            if let Some(echo_all) = new_echo_all {
                self.echo_all = echo_all;
            }
        }
        if end < bytes.len() {
            end + 2
        } else {
            bytes.len()
        }
    }

    /// The current `\if` branch (and every enclosing one) runs.
    fn active(&self) -> bool {
        self.conditionals.last().is_none_or(|c| c.active)
    }

    /// psql's `\if`/`\elif`/`\else`/`\endif`: text added to the query buffer in a branch
    /// that does not run is discarded when the branch ends (command.c `discard_query_text`).
    fn conditional(&mut self, name: &str, argument: &str) {
        match name {
            "if" => {
                let parent_active = self.active();
                let active = parent_active && conditional_value(argument).unwrap_or(true);
                self.conditionals.push(Conditional {
                    parent_active,
                    active,
                    taken: active,
                    saved_pending: self.pending,
                    saved_paren_depth: self.paren_depth,
                });
            }
            "elif" | "else" => {
                let pending = self.pending;
                let paren_depth = self.paren_depth;
                let Some(top) = self.conditionals.last_mut() else {
                    return;
                };
                if top.active {
                    top.saved_pending = pending;
                    top.saved_paren_depth = paren_depth;
                    top.active = false;
                } else {
                    self.pending = top.saved_pending;
                    self.paren_depth = top.saved_paren_depth;
                }
                let value = if name == "else" {
                    Some(true)
                } else {
                    conditional_value(argument)
                };
                if top.parent_active && !top.taken && value.unwrap_or(true) {
                    top.active = true;
                    top.taken = true;
                }
            }
            _ => {
                let Some(top) = self.conditionals.pop() else {
                    return;
                };
                if !top.active {
                    self.pending = top.saved_pending;
                    self.paren_depth = top.saved_paren_depth;
                }
            }
        }
    }

    /// psql learns `standard_conforming_strings` from the server after each statement; the
    /// scripts change it only with plain `SET`/`RESET`, which is what this follows.
    fn track_std_strings(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == ';' || c == '=' || c == '\'')
            .filter(|w| !w.is_empty())
            .collect();
        match words.as_slice() {
            ["reset", "standard_conforming_strings", ..] => self.std_strings = true,
            ["set", rest @ ..] => {
                let rest = match rest {
                    ["session", tail @ ..] | ["local", tail @ ..] => tail,
                    other => other,
                };
                if let ["standard_conforming_strings", tail @ ..] = rest {
                    let value = match tail {
                        ["to", v, ..] => Some(*v),
                        [v, ..] => Some(*v),
                        [] => None,
                    };
                    match value {
                        Some("on") | Some("true") | Some("default") => self.std_strings = true,
                        Some("off") | Some("false") => self.std_strings = false,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// `$tag$` or `$$` at the start of `s`, as psql's `dolqdelim`.
fn dollar_delimiter(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    debug_assert_eq!(bytes[0], b'$');
    if bytes.get(1) == Some(&b'$') {
        return Some("$$".to_string());
    }
    let first = *bytes.get(1)?;
    if !(first.is_ascii_alphabetic() || first == b'_' || first >= 0x80) {
        return None;
    }
    let mut end = 2;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_' || bytes[end] >= 0x80)
    {
        end += 1;
    }
    if bytes.get(end) == Some(&b'$') {
        Some(s[..=end].to_string())
    } else {
        None
    }
}

/// Number of `COPY ... FROM STDIN` commands in `text` (psql reads their data from its input;
/// the grammar takes `FROM STDOUT` as the same), also as `\copy ... from stdin`.
fn copy_from_stdin_count(text: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ';' || c == '\\')
        .filter(|w| !w.is_empty())
        .collect();
    let mut count = 0;
    let mut in_copy = false;
    for (k, word) in words.iter().enumerate() {
        if *word == "copy" {
            in_copy = true;
        } else if in_copy
            && *word == "from"
            && matches!(words.get(k + 1), Some(&"stdin") | Some(&"stdout"))
        {
            count += 1;
            in_copy = false;
        } else if in_copy && *word == "to" {
            in_copy = false;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(sql: &str) -> Vec<usize> {
        split_script(sql, |s| s.copy_from_stdin)
            .iter()
            .map(|s| s.start_line)
            .collect()
    }

    #[test]
    fn semicolons_inside_quotes_comments_and_parentheses_do_not_end_statements() {
        let sql = "SELECT 'a;b', \"c;d\", $x$ ; $x$, E'\\';' /* ; /* ; */ ; */;\nCREATE RULE r AS ON INSERT TO t DO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2));\nSELECT 1;\n";
        assert_eq!(starts(sql), vec![0, 1, 2]);
    }

    #[test]
    fn sql_standard_function_bodies_are_one_statement() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND;\nSELECT f();\n";
        let statements = split_script(sql, |_| 0);
        assert_eq!(statements.len(), 2);
        assert_eq!((statements[0].start_line, statements[0].end_line), (0, 4));
        assert_eq!(statements[0].echo_run, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn comments_before_a_statement_start_nothing_but_block_comments_do() {
        assert_eq!(
            starts("-- hello\n\nSELECT 1;\n/* c */\nSELECT 2;\n"),
            vec![2, 3]
        );
    }

    #[test]
    fn meta_commands_stand_alone_or_end_the_pending_query() {
        let sql = "\\set x 1\nSELECT 1 AS a\n\\gset\nSELECT 2 \\g\nSELECT 3 \\; SELECT 4;\nSELECT 5 \\p\nUNION SELECT 6;\n";
        let statements = split_script(sql, |_| 0);
        let spans: Vec<(usize, usize)> = statements
            .iter()
            .map(|s| (s.start_line, s.end_line))
            .collect();
        assert_eq!(spans, vec![(0, 0), (1, 2), (3, 3), (4, 4), (5, 6)]);
        // `\p` prints the buffer, so only the first line's echo is contiguous.
        assert_eq!(statements[4].echo_run, vec![5]);
    }

    #[test]
    fn standard_conforming_strings_off_makes_backslash_escape_quotes() {
        let sql = "SET standard_conforming_strings = off;\nSELECT 'a\\'b;c';\nRESET standard_conforming_strings;\nSELECT 'a\\';\nSELECT 2;\n";
        assert_eq!(starts(sql), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn text_added_in_a_skipped_branch_is_discarded() {
        let sql = "select\n\\if true\n42\n\\else\n(bogus\n\\endif\nx;\nSELECT 1;\n";
        let statements = split_script(sql, |_| 0);
        let spans: Vec<(usize, usize)> = statements
            .iter()
            .map(|s| (s.start_line, s.end_line))
            .collect();
        assert_eq!(spans, vec![(0, 6), (7, 7)]);
    }

    #[test]
    fn copy_data_is_skipped_per_accepted_copy() {
        let sql = "select 0\\; copy t from stdin\\; copy t from stdin\\; select 1;\n1\n\\.\n2\n\\.\nSELECT 'it''s';\n";
        let statements = split_script(sql, |s| s.copy_from_stdin);
        assert_eq!(statements[0].copy_from_stdin, 2);
        assert_eq!(
            statements.iter().map(|s| s.start_line).collect::<Vec<_>>(),
            vec![0, 5]
        );
        // A rejected COPY reads no data: its "data" lines are statements.
        let sql = "COPY t FROM stdin;\nSELECT 1;\n";
        assert_eq!(split_script(sql, |_| 0).len(), 2);
        assert_eq!(
            copy_from_stdin_count("copy (select 1 from stdin_t) to stdout"),
            0
        );
        assert_eq!(copy_from_stdin_count("\\copy t from stdin"), 1);
        assert_eq!(copy_from_stdin_count("copy t from stdout"), 1);
    }

    #[test]
    fn non_ascii_text_in_comments_and_dollar_quotes_is_safe() {
        assert_eq!(
            starts("/* é ü */ SELECT $$ñ;$$;\nSELECT 'ø';\n"),
            vec![0, 1]
        );
    }

    #[test]
    fn echo_off_hides_statements_until_echo_all() {
        let statements = split_script(
            "\\set ECHO none\nSELECT 1;\n\\set ECHO all\nSELECT 2;\n",
            |_| 0,
        );
        let echoed: Vec<bool> = statements.iter().map(|s| s.echoed).collect();
        assert_eq!(echoed, vec![true, false, false, true]);
    }
}
