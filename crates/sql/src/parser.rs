//! The parser boundary: PostgreSQL 15's own grammar through libpg_query, whose raw parse
//! tree is converted once into [`crate::ast`].
//!
//! libpg_query is called directly (its C entry point is linked in by the `pg_query` crate)
//! because the crate's wrapper drops the error's cursor position, which PostgreSQL reports
//! in the `P` field of syntax errors.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, CStr, CString};

use prost::Message;
use tusk_types::{Error, Result, SqlState};

use crate::ast::RawStatement;
use crate::convert;

#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
struct PgQueryProtobuf {
    len: usize,
    data: *mut c_char,
}

#[repr(C)]
struct PgQueryProtobufParseResult {
    parse_tree: PgQueryProtobuf,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

extern "C" {
    fn pg_query_parse_protobuf(input: *const c_char) -> PgQueryProtobufParseResult;
    fn pg_query_free_protobuf_parse_result(result: PgQueryProtobufParseResult);
}

/// The identity and display text of one statement for pg_stat_statements: the
/// fingerprint of its parse tree with constants left out, and its text with constants
/// replaced by `$1`, `$2`, ... (libpg_query's fingerprint and normalization). `None` if
/// the text does not parse.
pub fn fingerprint_normalized(statement: &str) -> Option<(u64, String)> {
    let fingerprint = pg_query::fingerprint(statement).ok()?;
    let normalized = pg_query::normalize(statement).ok()?;
    Some((fingerprint.value, normalized))
}

/// Parses a query string into statements.
///
/// Errors: 42601 `syntax error at or near "..."` (and the grammar's other messages) with
/// the 1-based character position of the offending token; 22021 for a NUL byte; 0A000
/// for statements tusk does not know how to represent.
pub fn parse(sql: &str) -> Result<Vec<RawStatement>> {
    parse_with_stack_limit(sql, 2048)
}

/// [`parse`], refusing statements nested deeper than `max_stack_depth_kb` allows (54001
/// `stack depth limit exceeded` with PostgreSQL's HINT) before any recursion starts.
pub fn parse_with_stack_limit(sql: &str, max_stack_depth_kb: usize) -> Result<Vec<RawStatement>> {
    check_nesting(crate::depth::estimate_nesting(sql), max_stack_depth_kb)?;
    parse_unchecked(sql)
}

/// Refuses a nesting estimate ([`crate::depth::estimate_nesting`]) beyond what
/// `max_stack_depth_kb` allows: 54001 `stack depth limit exceeded` with PostgreSQL's HINT.
pub(crate) fn check_nesting(nesting: usize, max_stack_depth_kb: usize) -> Result<()> {
    if nesting > max_stack_depth_kb.saturating_mul(crate::depth::LEVELS_PER_KB) {
        return Err(Error::new(SqlState::STATEMENT_TOO_COMPLEX, "stack depth limit exceeded").hint(format!(
            "Increase the configuration parameter \"max_stack_depth\" (currently {max_stack_depth_kb}kB), after ensuring the platform's stack depth limit is adequate."
        )));
    }
    Ok(())
}

/// The grammar and conversion, after the nesting check.
pub(crate) fn parse_unchecked(sql: &str) -> Result<Vec<RawStatement>> {
    let tree = parse_raw(sql)?;
    tree.stmts.iter().map(convert::statement).collect()
}

/// Parses one stand-alone expression (a column default or CHECK constraint as stored in
/// the catalog, `pg_get_expr` text). Locations in the result are byte offsets into
/// `SELECT <text>`, so callers report errors in it without a position.
///
/// Errors: 42601 for text that is not exactly one expression; as [`parse`].
pub fn parse_expr(text: &str) -> Result<crate::ast::Expr> {
    let not_one = || {
        Error::new(
            SqlState::SYNTAX_ERROR,
            format!("invalid expression text: \"{text}\""),
        )
    };
    let mut stmts = parse(&format!("SELECT {text}"))?;
    if stmts.len() != 1 {
        return Err(not_one());
    }
    match stmts.remove(0).stmt {
        crate::ast::Statement::Select(mut select)
            if select.targets.len() == 1
                && select.from.is_empty()
                && select.where_clause.is_none()
                && select.values.is_empty()
                && select.order_by.is_empty()
                && select.limit.is_none()
                && select.offset.is_none()
                && select.unsupported.is_none()
                && select.targets[0].name.is_none() =>
        {
            Ok(select.targets.remove(0).expr)
        }
        _ => Err(not_one()),
    }
}

/// Splits a stored list of expressions (`lower(email), (a + b)`: the SQL text of each,
/// joined by `, ` as `pg_index.indexprs` keeps them) at its top-level commas: commas
/// inside parentheses, brackets, string literals or quoted identifiers do not split.
/// Each piece comes back trimmed; an empty text gives no pieces.
pub fn split_expr_list(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match quote {
            // A doubled quote inside a quoted run closes and reopens it: same state.
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    out.push(text[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    out
}

fn parse_raw(sql: &str) -> Result<pg_query::protobuf::ParseResult> {
    let input = CString::new(sql).map_err(|_| {
        Error::new(
            SqlState::CHARACTER_NOT_IN_REPERTOIRE,
            "invalid byte sequence for encoding \"UTF8\": 0x00",
        )
    })?;
    // SAFETY: `input` is a valid NUL-terminated string that outlives the call; the result is
    // freed exactly once below, after its buffers have been copied out.
    let result = unsafe { pg_query_parse_protobuf(input.as_ptr()) };
    let outcome = if !result.error.is_null() {
        // SAFETY: a non-null error points to a PgQueryError whose message is a C string.
        let (message, cursor) = unsafe {
            let err = &*result.error;
            (
                CStr::from_ptr(err.message).to_string_lossy().into_owned(),
                err.cursorpos,
            )
        };
        // A grammar error raised at a position with no token text comes out of
        // libpg_query as "message at or near"; PostgreSQL prints the message alone.
        let message = match message.strip_suffix(" at or near") {
            Some(m) => m.to_string(),
            None => message,
        };
        let mut e = Error::new(SqlState::SYNTAX_ERROR, message);
        if e.message == "invalid publication object list" {
            // The grammar's DETAIL, which libpg_query does not pass on.
            e = e.detail(
                "One of TABLE or TABLES IN SCHEMA must be specified before a standalone table or schema name.",
            );
        }
        if cursor > 0 {
            e = e.position(cursor as u32);
        }
        Err(e)
    } else {
        // SAFETY: on success parse_tree.data points to parse_tree.len bytes owned by the result.
        let bytes = unsafe {
            std::slice::from_raw_parts(result.parse_tree.data as *const u8, result.parse_tree.len)
        };
        pg_query::protobuf::ParseResult::decode(bytes)
            .map_err(|e| Error::internal(format!("could not decode parse tree: {e}")))
    };
    // SAFETY: `result` came from pg_query_parse_protobuf and is freed once.
    unsafe { pg_query_free_protobuf_parse_result(result) };
    outcome
}

/// Converts a byte offset in `sql` into PostgreSQL's 1-based character position.
pub fn char_position(sql: &str, byte_offset: usize) -> u32 {
    let end = byte_offset.min(sql.len());
    let prefix = sql.get(..end).unwrap_or(sql);
    prefix.chars().count() as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_carries_position() {
        let err = parse("SELECT 1 2").expect_err("syntax error");
        assert_eq!(err.code, SqlState::SYNTAX_ERROR);
        assert_eq!(err.message, "syntax error at or near \"2\"");
        assert_eq!(err.position, Some(10));
    }

    #[test]
    fn several_statements_with_spans() {
        let stmts = parse("SELECT 1; SELECT 2").expect("parses");
        assert_eq!(stmts.len(), 2);
        assert_eq!(stmts[1].location, 9);
    }

    #[test]
    fn expression_lists_split_at_top_level_commas_only() {
        assert_eq!(
            split_expr_list("lower(email), ((a + b)), 'x,''y'::text, \"c,d\", f(a, b)[1]"),
            vec![
                "lower(email)",
                "((a + b))",
                "'x,''y'::text",
                "\"c,d\"",
                "f(a, b)[1]"
            ]
        );
        assert!(split_expr_list("").is_empty());
        assert_eq!(split_expr_list("a"), vec!["a"]);
    }

    #[test]
    fn parse_expr_takes_exactly_one_expression() {
        let e = parse_expr("'x'::text").expect("parses");
        assert!(matches!(e, crate::ast::Expr::Cast { .. }));
        assert!(parse_expr("1, 2").is_err());
        assert!(parse_expr("1 FROM t").is_err());
        assert!(parse_expr("1; SELECT 2").is_err());
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(char_position("SELECT 'é', x", 13), 13);
    }
}
