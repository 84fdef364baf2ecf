//! Text and binary I/O of the full text search types: `tsvector` and `tsquery` (kept as
//! their canonical text, `types::adt::tsearch`), `regconfig` and `regdictionary` (OIDs
//! of the built-in configurations and dictionaries, printed by name).

use tusk_catalog::text_search::text_search;
use tusk_types::adt::tsearch::{TsQuery, TsVector};
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

/// `tsvectorin` / `tsqueryin` / `regconfigin` / `regdictionaryin`, `None` for other types.
pub(crate) fn text_in(text: &str, type_oid: Oid) -> Option<Result<Datum>> {
    Some(match type_oid {
        type_oid::TSVECTOR => TsVector::parse(text).map(|v| Datum::Text(v.output())),
        type_oid::TSQUERY => TsQuery::parse(text).map(|q| Datum::Text(q.output())),
        type_oid::REGCONFIG => regconfig_in(text).map(|o| Datum::Oid(o.0)),
        type_oid::REGDICTIONARY => regdictionary_in(text).map(|o| Datum::Oid(o.0)),
        _ => return None,
    })
}

/// A name as `regconfigin` reads it: an OID in digits, or an optionally
/// `pg_catalog`-qualified, optionally quoted name.
fn object_name(text: &str) -> Result<std::result::Result<Oid, String>> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let v: u32 = text.parse().map_err(|_| {
            pg_err!(
                NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"{}\" is out of range for type oid",
                text
            )
        })?;
        return Ok(Ok(Oid(v)));
    }
    let parts = tusk_sql::split_qualified_name(text)?;
    match parts.as_slice() {
        [name] => Ok(Err(name.clone())),
        [schema, name] if schema == "pg_catalog" => Ok(Err(name.clone())),
        [schema, _] => Err(pg_err!(
            UNDEFINED_SCHEMA,
            "schema \"{}\" does not exist",
            schema
        )),
        _ => Err(pg_err!(
            SYNTAX_ERROR,
            "improper qualified name (too many dotted names): {}",
            text
        )),
    }
}

/// `regconfigin`.
///
/// Errors: 42704 `text search configuration "x" does not exist`.
pub fn regconfig_in(text: &str) -> Result<Oid> {
    match object_name(text)? {
        Ok(oid) => Ok(oid),
        Err(name) => text_search()
            .config_by_name(&name)
            .map(|c| c.oid)
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_OBJECT,
                    "text search configuration \"{}\" does not exist",
                    name
                )
            }),
    }
}

/// `regdictionaryin`.
///
/// Errors: 42704 `text search dictionary "x" does not exist`.
pub fn regdictionary_in(text: &str) -> Result<Oid> {
    match object_name(text)? {
        Ok(oid) => Ok(oid),
        Err(name) => text_search()
            .dict_by_name(&name)
            .map(|d| d.oid)
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_OBJECT,
                    "text search dictionary \"{}\" does not exist",
                    name
                )
            }),
    }
}

/// The name `regconfigout` / `regdictionaryout` print, `None` for other types.
pub(crate) fn reg_out(oid: u32, type_oid: Oid) -> Option<String> {
    match type_oid {
        type_oid::REGCONFIG => Some(
            text_search()
                .config(Oid(oid))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| oid.to_string()),
        ),
        type_oid::REGDICTIONARY => Some(
            text_search()
                .dict(Oid(oid))
                .map(|d| d.name.clone())
                .unwrap_or_else(|| oid.to_string()),
        ),
        _ => None,
    }
}

/// `tsvectorsend` / `tsquerysend` of the canonical text; `None` for other types.
pub(crate) fn send(text: &str, type_oid: Oid, out: &mut Vec<u8>) -> Option<Result<()>> {
    match type_oid {
        type_oid::TSVECTOR => Some(TsVector::parse(text).map(|v| v.send(out))),
        type_oid::TSQUERY => Some(TsQuery::parse(text).map(|q| q.send(out))),
        _ => None,
    }
}

/// `tsvectorrecv` / `tsqueryrecv`; `None` for other types.
pub(crate) fn recv(bytes: &[u8], type_oid: Oid) -> Option<Result<Datum>> {
    match type_oid {
        type_oid::TSVECTOR => Some(TsVector::recv(bytes).map(|v| Datum::Text(v.output()))),
        type_oid::TSQUERY => Some(TsQuery::recv(bytes).map(|q| Datum::Text(q.output()))),
        _ => None,
    }
}
