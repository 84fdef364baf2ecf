//! SQL key words by category (PostgreSQL docs Appendix C), as PostgreSQL 15's scanner
//! classifies them.
//!
//! Entry point: [`needs_quoting_as_identifier`].

use pg_query::protobuf::KeywordKind;

/// Whether `word` is a key word that cannot stand as a bare identifier: any category but
/// unreserved (`select`, `table`, `between`, `left`), which PostgreSQL's
/// `quote_identifier` (and so `quote_ident`, `format('%I')`) double-quotes.
pub fn needs_quoting_as_identifier(word: &str) -> bool {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return false;
    }
    let Ok(scan) = pg_query::scan(word) else {
        return false;
    };
    match scan.tokens.as_slice() {
        [token] if token.start == 0 && token.end as usize == word.len() => !matches!(
            KeywordKind::from_i32(token.keyword_kind),
            None | Some(KeywordKind::NoKeyword | KeywordKind::UnreservedKeyword)
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::needs_quoting_as_identifier;

    #[test]
    fn reserved_and_column_name_key_words_need_quotes() {
        assert!(needs_quoting_as_identifier("select"));
        assert!(needs_quoting_as_identifier("between"));
        assert!(needs_quoting_as_identifier("left"));
        assert!(!needs_quoting_as_identifier("action"));
        assert!(!needs_quoting_as_identifier("foo"));
        assert!(!needs_quoting_as_identifier("Select"));
    }
}
