//! Full text search values (PostgreSQL docs §8.11): `tsvector` (a sorted set of lexemes
//! with positions and weights) and `tsquery` (a tree of lexemes under `!`, `&`, `|` and
//! the phrase operator `<N>`), with PostgreSQL 15's text and binary forms and orders.
//!
//! Both are carried in `Datum::Text` as their canonical output text (what `tsvectorout`
//! / `tsqueryout` print), which parses back to the same value; functions parse it again.
//!
//! Entry points: [`TsVector::parse`], [`TsVector::output`], [`TsQuery::parse`],
//! [`TsQuery::output`], their `send`/`recv`, [`tsvector_cmp`], [`tsquery_cmp`].
//!
//! See also: `executor::builtins::tsearch` (operators, matching, ranking, parsing text).

mod lexer;
mod tsquery;
mod tsvector;

pub use tsquery::{
    clean_stopwords, stop_placeholder, tsquery_cmp, QueryNode, QueryOperand, TsQuery,
    MAX_PHRASE_DISTANCE,
};
pub use tsvector::{
    pos_of, tsvector_cmp, weight_of, with_weight, Lexeme, TsVector, MAX_ENTRY_POS, MAX_NUM_POS,
    MAX_STR_LEN,
};

/// PostgreSQL's `isspace()` for one character (multibyte characters are not spaces).
pub(crate) fn is_space(c: char) -> bool {
    c.is_ascii() && crate::adt::is_pg_space(c as u8)
}

/// A lexeme quoted as `tsvectorout` / `tsqueryout` print it: in single quotes, with `'`
/// and `\` doubled.
pub fn quote_lexeme(word: &str, out: &mut String) {
    out.push('\'');
    for c in word.chars() {
        if c == '\'' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
}
