//! A pre-parse bound on expression nesting, so that no recursion below (libpg_query's tree
//! output, the protobuf decoder, conversion, analysis, evaluation, dropping the tree) can
//! exhaust a backend's stack: PostgreSQL's `max_stack_depth` check, done once up front.
//!
//! The estimate scans the text, skipping literals, quoted identifiers and comments: each
//! open parenthesis or bracket opens a level, and each operator inside a comma-separated
//! item can add one tree level (`1+1+1` nests). Parentheses alone overestimate (they make
//! no node), which only makes the bound safer.

/// Nesting levels allowed per kB of `max_stack_depth` (2048 kB allows 4,096 levels; PostgreSQL 15 accepts a 4,000-term `1+1+...` and refuses 5,000).
pub const LEVELS_PER_KB: usize = 2;

/// An upper bound on the expression nesting depth of `sql`.
pub fn estimate_nesting(sql: &str) -> usize {
    let b = sql.as_bytes();
    let mut i = 0;
    // Operators counted per open level; depth is the stack's length.
    let mut ops: Vec<usize> = vec![0];
    let mut sum_ops = 0usize;
    let mut max = 0usize;
    let mut prev_op = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' => {
                // '...' and "..." with doubled quotes; E'...' backslash escapes.
                let escapes = c == b'\'' && i > 0 && (b[i - 1] == b'E' || b[i - 1] == b'e');
                i += 1;
                while i < b.len() {
                    if escapes && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == c {
                        if i + 1 < b.len() && b[i + 1] == c {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                prev_op = false;
            }
            b'$' => {
                // $tag$ ... $tag$ (a parameter $1 has no closing $).
                let start = i;
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if j < b.len()
                    && b[j] == b'$'
                    && !b[i + 1..j].first().is_some_and(u8::is_ascii_digit)
                {
                    let tag = &b[start..=j];
                    let mut k = j + 1;
                    while k + tag.len() <= b.len() && &b[k..k + tag.len()] != tag {
                        k += 1;
                    }
                    i = k + tag.len() - 1;
                }
                prev_op = false;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 0usize;
                while i + 1 < b.len() {
                    if b[i] == b'/' && b[i + 1] == b'*' {
                        nest += 1;
                        i += 2;
                        continue;
                    }
                    if b[i] == b'*' && b[i + 1] == b'/' {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                        continue;
                    }
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' => {
                ops.push(0);
                prev_op = false;
            }
            b')' | b']' => {
                if ops.len() > 1 {
                    sum_ops -= ops.pop().unwrap_or(0);
                }
                prev_op = false;
            }
            b',' | b';' => {
                if let Some(top) = ops.last_mut() {
                    sum_ops -= *top;
                    *top = 0;
                }
                prev_op = false;
            }
            b'+' | b'-' | b'*' | b'/' | b'<' | b'>' | b'=' | b'~' | b'!' | b'@' | b'#' | b'%'
            | b'^' | b'&' | b'|' | b'`' | b'?' | b':' => {
                if !prev_op {
                    if let Some(top) = ops.last_mut() {
                        *top += 1;
                        sum_ops += 1;
                    }
                }
                prev_op = true;
            }
            _ => {
                if !c.is_ascii_whitespace() {
                    prev_op = false;
                }
            }
        }
        max = max.max(ops.len() + sum_ops);
        i += 1;
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_and_parentheses_count() {
        assert!(estimate_nesting("SELECT 1") <= 2);
        let chain = format!("SELECT {}", vec!["1"; 1000].join("+"));
        assert!(estimate_nesting(&chain) >= 999);
        let parens = format!("SELECT {}1{}", "(".repeat(300), ")".repeat(300));
        assert!(estimate_nesting(&parens) >= 300);
    }

    #[test]
    fn lists_literals_and_comments_do_not_accumulate() {
        let rows: Vec<String> = (0..10_000).map(|i| format!("(-{i}, 'a+b-c')")).collect();
        let insert = format!("INSERT INTO t VALUES {}", rows.join(", "));
        assert!(estimate_nesting(&insert) < 10);
        assert!(estimate_nesting("SELECT '++++++++' -- +++++++\n, $$+++$$, /* +++ */ 1") < 5);
    }
}
