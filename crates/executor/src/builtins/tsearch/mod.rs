//! Full text search functions and operators (PostgreSQL docs §9.13, chapter 12):
//! `tsvector` and `tsquery` operators, editing functions, matching (`@@`), ranking,
//! and turning text into vectors and queries through the built-in configurations.
//!
//! Values travel as their canonical text (`types::adt::tsearch`); each function parses
//! its arguments and prints its result.
//!
//! Entry point: `register` (called from `builtins/mod.rs`). See also: `execute`
//! (matching), `rank`, `vector_ops`, `query_ops`, `parser` (the default parser),
//! `dictionary` (simple and snowball dictionaries), `text` (to_tsvector and friends).

mod dictionary;
mod execute;
mod parser;
mod query_ops;
mod rank;
mod text;
mod vector_ops;

use tusk_types::adt::tsearch::{TsQuery, TsVector};
use tusk_types::{Datum, Error, Result};

use super::Table;

pub(super) fn register(t: &mut Table) {
    vector_ops::register(t);
    query_ops::register(t);
    text::register(t);
}

fn vector_arg(d: &Datum) -> Result<TsVector> {
    match d {
        Datum::Text(s) => TsVector::parse(s),
        other => Err(Error::internal(format!("expected tsvector, got {other:?}"))),
    }
}

fn query_arg(d: &Datum) -> Result<TsQuery> {
    match d {
        Datum::Text(s) => TsQuery::parse(s),
        other => Err(Error::internal(format!("expected tsquery, got {other:?}"))),
    }
}

fn text_arg(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

fn vector_datum(v: &TsVector) -> Datum {
    Datum::Text(v.output())
}

fn query_datum(q: &TsQuery) -> Datum {
    Datum::Text(q.output())
}

fn ordering_int(o: std::cmp::Ordering) -> Datum {
    Datum::Int4(match o {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    })
}
