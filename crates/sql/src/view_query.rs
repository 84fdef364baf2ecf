//! The stored form of a view's query (what `pg_rewrite.ev_action` holds in tusk).
//!
//! PostgreSQL stores a view's analysed query tree, which names relations by OID. tusk
//! stores SQL text instead: the SELECT deparsed by PostgreSQL's own deparser (through
//! pg_query), with every relation the query names schema-qualified as it resolved when
//! the view was created. Later statements parse and analyse that text again (the analyzer
//! expands a view into a subquery in FROM), so:
//!
//! 1. A view keeps reading the relations it was created over, whatever `search_path` is
//!    when it is used (as in PostgreSQL). Renaming a schema or a relation a view reads
//!    must rewrite the stored text ([`rename_schema`], [`rename_relation`]); the views
//!    to rewrite are those whose rule depends on the relation in `pg_depend`.
//! 2. Names of CTEs the query defines are never qualified.
//! 3. `pg_get_viewdef` shows the text with the schema dropped again from relations
//!    visible through the current `search_path`, as PostgreSQL prints them.
//!
//! Entry points: [`relation_refs`], [`qualify_relations`], [`unqualify_relations`],
//! [`rename_schema`], [`rename_relation`], [`first_parameter`].

pub use crate::ident::quote_identifier;
use pg_query::NodeRef;
use tusk_types::{Error, Result};

/// One relation named in a query's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRef {
    /// The schema written (`None` if unqualified).
    pub schema: Option<String>,
    /// The relation name.
    pub name: String,
    /// Byte offset of the reference (its schema, if written) in the text.
    pub location: usize,
}

fn parse_error(e: pg_query::Error) -> Error {
    Error::internal(format!("could not parse a stored view query: {e}"))
}

/// The relations `sql` (one query) reads, in text order, CTE references left out.
///
/// Errors: XX000 if the text does not parse.
pub fn relation_refs(sql: &str) -> Result<Vec<RelationRef>> {
    let parsed = pg_query::parse(sql).map_err(parse_error)?;
    let mut out: Vec<RelationRef> = parsed
        .protobuf
        .nodes()
        .into_iter()
        .filter_map(|(node, _, _)| match node {
            NodeRef::RangeVar(rv) => Some(RelationRef {
                schema: (!rv.schemaname.is_empty()).then(|| rv.schemaname.clone()),
                name: rv.relname.clone(),
                location: rv.location.max(0) as usize,
            }),
            _ => None,
        })
        .filter(|r| r.schema.is_some() || !parsed.cte_names.contains(&r.name))
        .collect();
    out.sort_by_key(|r| r.location);
    out.dedup();
    Ok(out)
}

fn normalise(sql: &str) -> Result<String> {
    let parsed = pg_query::parse(sql).map_err(parse_error)?;
    parsed.deparse().map_err(parse_error)
}

/// `sql` with each unqualified relation reference qualified with the schema `schema_of`
/// gives (`None` leaves it as written), normalised by the deparser.
///
/// Errors: XX000 if the text does not parse; `schema_of`'s errors.
pub fn qualify_relations(
    sql: &str,
    schema_of: &mut dyn FnMut(&RelationRef) -> Result<Option<String>>,
) -> Result<String> {
    let mut text = sql.to_string();
    // Back to front, so earlier offsets stay valid.
    for r in relation_refs(sql)?.iter().rev() {
        if r.schema.is_some() {
            continue;
        }
        if let Some(schema) = schema_of(r)? {
            text.insert_str(r.location, &format!("{}.", quote_identifier(&schema)));
        }
    }
    normalise(&text)
}

/// `sql` with the schema dropped from each qualified relation reference for which
/// `visible` says the bare name finds the same relation, normalised by the deparser.
///
/// Errors: XX000 if the text does not parse; `visible`'s errors.
pub fn unqualify_relations(
    sql: &str,
    visible: &mut dyn FnMut(&RelationRef) -> Result<bool>,
) -> Result<String> {
    let mut text = sql.to_string();
    for r in relation_refs(sql)?.iter().rev() {
        let Some(schema) = &r.schema else {
            continue;
        };
        let prefix = format!("{}.", quote_identifier(schema));
        if text[r.location..].starts_with(&prefix) && visible(r)? {
            text.replace_range(r.location..r.location + prefix.len(), "");
        }
    }
    normalise(&text)
}

/// `sql` with references qualified with schema `old` qualified with `new` instead,
/// normalised by the deparser (ALTER SCHEMA ... RENAME TO).
///
/// Errors: XX000 if the text does not parse.
pub fn rename_schema(sql: &str, old: &str, new: &str) -> Result<String> {
    let mut text = sql.to_string();
    let prefix = format!("{}.", quote_identifier(old));
    for r in relation_refs(sql)?.iter().rev() {
        if r.schema.as_deref() == Some(old) && text[r.location..].starts_with(&prefix) {
            text.replace_range(
                r.location..r.location + prefix.len(),
                &format!("{}.", quote_identifier(new)),
            );
        }
    }
    normalise(&text)
}

/// `sql` with references to relation `schema.old` naming `schema.new` instead,
/// normalised by the deparser (ALTER TABLE/VIEW/SEQUENCE ... RENAME TO).
///
/// Errors: XX000 if the text does not parse.
pub fn rename_relation(sql: &str, schema: &str, old: &str, new: &str) -> Result<String> {
    move_relation(sql, (schema, old), (schema, new))
}

/// `sql` with references to relation `from` (schema, name) naming `to` instead,
/// normalised by the deparser (RENAME TO, SET SCHEMA).
///
/// Errors: XX000 if the text does not parse.
pub fn move_relation(sql: &str, from: (&str, &str), to: (&str, &str)) -> Result<String> {
    let mut text = sql.to_string();
    let written = format!("{}.{}", quote_identifier(from.0), quote_identifier(from.1));
    for r in relation_refs(sql)?.iter().rev() {
        if r.schema.as_deref() == Some(from.0)
            && r.name == from.1
            && text[r.location..].starts_with(&written)
        {
            text.replace_range(
                r.location..r.location + written.len(),
                &format!("{}.{}", quote_identifier(to.0), quote_identifier(to.1)),
            );
        }
    }
    normalise(&text)
}

/// The first parameter symbol (`$1`) in `sql` and its byte offset: a view's query may
/// have none (PostgreSQL: 42P02 `there is no parameter $1`).
pub fn first_parameter(sql: &str) -> Option<(String, usize)> {
    let scan = pg_query::scan(sql).ok()?;
    scan.tokens
        .iter()
        .find(|t| t.token == pg_query::protobuf::Token::Param as i32)
        .and_then(|t| {
            let (start, end) = (t.start.max(0) as usize, t.end.max(0) as usize);
            sql.get(start..end).map(|text| (text.to_string(), start))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_refs_skip_ctes_and_find_subqueries() {
        let refs = relation_refs(
            "WITH c AS (SELECT 1) SELECT * FROM t JOIN s.u ON true, c \
             WHERE EXISTS (SELECT 1 FROM w)",
        )
        .expect("parses");
        let names: Vec<(Option<&str>, &str)> = refs
            .iter()
            .map(|r| (r.schema.as_deref(), r.name.as_str()))
            .collect();
        assert_eq!(names, vec![(None, "t"), (Some("s"), "u"), (None, "w")]);
    }

    #[test]
    fn qualify_then_unqualify_round_trips() {
        let qualified = qualify_relations("SELECT a FROM t AS x, \"T 2\"", &mut |r| {
            Ok((r.name != "nosuch").then(|| "My S".to_string()))
        })
        .expect("qualifies");
        assert_eq!(qualified, "SELECT a FROM \"My S\".t x, \"My S\".\"T 2\"");
        let back = unqualify_relations(&qualified, &mut |r| Ok(r.name == "t")).expect("ok");
        assert_eq!(back, "SELECT a FROM t x, \"My S\".\"T 2\"");
    }

    #[test]
    fn rename_schema_rewrites_only_that_schema() {
        let sql = "SELECT * FROM a.t, b.t WHERE EXISTS (SELECT 1 FROM a.u)";
        assert_eq!(
            rename_schema(sql, "a", "New").expect("renames"),
            "SELECT * FROM \"New\".t, b.t WHERE EXISTS (SELECT 1 FROM \"New\".u)"
        );
    }

    #[test]
    fn first_parameter_is_found_in_tokens_not_strings() {
        assert_eq!(
            first_parameter("SELECT '$1', $2 + $1"),
            Some(("$2".to_string(), 13))
        );
        assert_eq!(first_parameter("SELECT 1"), None);
    }

    #[test]
    fn rename_relation_rewrites_only_that_relation() {
        let sql = "SELECT t.a FROM s.t JOIN s.u ON true, x.t";
        assert_eq!(
            rename_relation(sql, "s", "t", "T2").expect("renames"),
            "SELECT t.a FROM s.\"T2\" JOIN s.u ON true, x.t"
        );
    }

    #[test]
    fn identifiers_are_quoted_as_postgres_does() {
        assert_eq!(quote_identifier("public"), "public");
        assert_eq!(quote_identifier("select"), "\"select\"");
        assert_eq!(quote_identifier("A"), "\"A\"");
        assert_eq!(quote_identifier("1a"), "\"1a\"");
    }
}
