//! JSON objects to rows (PostgreSQL docs §9.16, table 9.49): `json_to_record`,
//! `jsonb_to_record`, `json_to_recordset`, `jsonb_to_recordset`, over the column
//! definition list of the call (`AS x(a int, b text)`).
//!
//! The analyzer appends the definition list to the call as three constant arrays (names,
//! type OIDs, typmods; see `Analyzer::column_definitions`), so these are ordinary
//! functions returning rows. Each column takes the object's member of the same name
//! (the last one of duplicates in `json`): absent or JSON `null` is SQL NULL; a `json`
//! or `jsonb` column takes the member's JSON text; an array column takes a JSON array
//! (nested arrays as dimensions) or a string in array syntax; any other column takes the
//! member's text (strings de-escaped) through the type's input function, as PostgreSQL's
//! `populate_record` does.
//!
//! Errors (22023): `cannot call populate_composite on an array` / `on a scalar`,
//! `cannot call json_to_recordset on an object` (`jsonb_...: on a non-array`),
//! `argument of json_to_recordset must be an array of objects`; and the columns' input
//! errors (22P02, 22001, ...).

use tusk_types::adt::json::{self, Flavor, JsonNode, JsonValue, NodeKind};
use tusk_types::adt::record::{Record, RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::{Builtin, Table};
use crate::EvalContext;

/// A JSON value as `populate_record` needs it.
struct Member {
    /// Its JSON text.
    json: String,
    /// The text `->>` gives (`None` for JSON null).
    text: Option<String>,
    /// Its elements, if it is an array.
    elements: Option<Vec<Member>>,
}

impl Member {
    fn from_node(node: &JsonNode, source: &str) -> Member {
        let json = source[node.start..node.end].to_string();
        let text = match &node.kind {
            NodeKind::Null => None,
            NodeKind::String(s) => Some(s.clone()),
            _ => Some(json.clone()),
        };
        let elements = match &node.kind {
            NodeKind::Array(items) => {
                Some(items.iter().map(|i| Member::from_node(i, source)).collect())
            }
            _ => None,
        };
        Member {
            json,
            text,
            elements,
        }
    }

    fn from_value(v: &JsonValue) -> Member {
        Member {
            json: v.to_string(),
            text: v.as_text(),
            elements: match v {
                JsonValue::Array(items) => Some(items.iter().map(Member::from_value).collect()),
                _ => None,
            },
        }
    }
}

/// An object's members (`None` for a non-object, with its kind for the error).
type Object = Vec<(String, Member)>;

/// The top-level value of a `json`/`jsonb` argument: an object's members, an array's
/// elements (as objects or not), or a scalar.
enum Top {
    Object(Object),
    Array(Vec<Option<Object>>),
    Scalar,
}

fn node_object(node: &JsonNode, source: &str) -> Option<Object> {
    match &node.kind {
        NodeKind::Object(pairs) => Some(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), Member::from_node(v, source)))
                .collect(),
        ),
        _ => None,
    }
}

fn value_object(v: &JsonValue) -> Option<Object> {
    match v {
        JsonValue::Object(pairs) => Some(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), Member::from_value(v)))
                .collect(),
        ),
        _ => None,
    }
}

fn read_top(d: &Datum, jsonb: bool) -> Result<Top> {
    let text = match d {
        Datum::Text(s) => s.as_str(),
        other => return Err(Error::internal(format!("json argument {other:?}"))),
    };
    if jsonb {
        let v = JsonValue::parse_jsonb(text)?;
        return Ok(match &v {
            JsonValue::Object(_) => Top::Object(value_object(&v).expect("an object")),
            JsonValue::Array(items) => Top::Array(items.iter().map(value_object).collect()),
            _ => Top::Scalar,
        });
    }
    let node = json::parse(text, Flavor::Json)?;
    Ok(match &node.kind {
        NodeKind::Object(_) => Top::Object(node_object(&node, text).expect("an object")),
        NodeKind::Array(items) => Top::Array(items.iter().map(|i| node_object(i, text)).collect()),
        _ => Top::Scalar,
    })
}

/// The column definition list the analyzer appended: (name, type, typmod) per column.
fn columns(args: &[Datum]) -> Result<Vec<(String, Oid, i32)>> {
    let list = |d: Option<&Datum>| match d {
        Some(Datum::Array(a)) => Ok(a.elems.clone()),
        _ => Err(Error::internal(
            "function returning record called without its column definitions",
        )),
    };
    let (names, types, typmods) = (list(args.get(1))?, list(args.get(2))?, list(args.get(3))?);
    Ok(names
        .into_iter()
        .zip(types)
        .zip(typmods)
        .map(|((n, t), m)| {
            let name = match n {
                Datum::Text(s) => s,
                _ => String::new(),
            };
            let t = match t {
                Datum::Oid(o) => Oid(o),
                _ => type_oid::TEXT,
            };
            let m = match m {
                Datum::Int4(m) => m,
                _ => -1,
            };
            (name, t, m)
        })
        .collect())
}

/// A JSON array as the text of an SQL array literal (nested arrays as dimensions).
fn array_literal(elements: &[Member], out: &mut String) {
    out.push('{');
    for (i, e) in elements.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match (&e.elements, &e.text) {
            (Some(inner), _) => array_literal(inner, out),
            (None, None) => out.push_str("NULL"),
            (None, Some(t)) => {
                out.push('"');
                for c in t.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
        }
    }
    out.push('}');
}

/// One column's value from the member (absent: NULL).
fn column_value(
    ctx: &EvalContext<'_>,
    member: Option<&Member>,
    t: Oid,
    typmod: i32,
) -> Result<Datum> {
    let Some(member) = member else {
        return Ok(Datum::Null);
    };
    let Some(text) = &member.text else {
        return Ok(Datum::Null);
    };
    match t {
        type_oid::JSON => return Ok(Datum::Text(member.json.clone())),
        type_oid::JSONB => {
            return Ok(Datum::Text(
                JsonValue::parse_jsonb(&member.json)?.to_string(),
            ))
        }
        _ => {}
    }
    if let (Some(elements), Some(_)) = (&member.elements, crate::io::array_type_element(t)) {
        let mut literal = String::new();
        array_literal(elements, &mut literal);
        return crate::io::text_in(&literal, t, typmod, ctx.output);
    }
    crate::io::text_in(text, t, typmod, ctx.output)
}

fn row(
    ctx: &EvalContext<'_>,
    object: &Object,
    columns: &[(String, Oid, i32)],
) -> Result<Vec<Datum>> {
    columns
        .iter()
        .map(|(name, t, typmod)| {
            let member = object.iter().rev().find(|(k, _)| k == name).map(|(_, m)| m);
            column_value(ctx, member, *t, *typmod)
        })
        .collect()
}

/// The object of a `json[b]_to_record` / `json[b]_populate_record` argument.
///
/// Errors: 22023 `cannot call populate_composite on an array` / `on a scalar`.
fn record_object(d: &Datum, jsonb: bool) -> Result<Object> {
    match read_top(d, jsonb)? {
        Top::Object(object) => Ok(object),
        Top::Array(_) => Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "cannot call populate_composite on an array"
        )),
        Top::Scalar => Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "cannot call populate_composite on a scalar"
        )),
    }
}

fn to_record(ctx: &mut EvalContext<'_>, args: &[Datum], jsonb: bool) -> Result<Vec<Vec<Datum>>> {
    let columns = columns(args)?;
    let object = record_object(&args[0], jsonb)?;
    Ok(vec![row(ctx, &object, &columns)?])
}

/// The objects of a `json[b]_to_recordset` / `json[b]_populate_recordset` argument.
///
/// Errors: 22023 `argument of func must be an array of objects`, `cannot call func on
/// an object` / `on a scalar` (`json`), `cannot call func on a non-array` (`jsonb`).
fn recordset_objects(d: &Datum, jsonb: bool, func: &str) -> Result<Vec<Object>> {
    match read_top(d, jsonb)? {
        Top::Array(items) => items
            .into_iter()
            .map(|item| {
                item.ok_or_else(|| {
                    pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "argument of {} must be an array of objects",
                        func
                    )
                })
            })
            .collect(),
        Top::Object(_) if !jsonb => Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "cannot call {} on an object",
            func
        )),
        Top::Scalar if !jsonb => Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "cannot call {} on a scalar",
            func
        )),
        _ => Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "cannot call {} on a non-array",
            func
        )),
    }
}

fn to_recordset(ctx: &mut EvalContext<'_>, args: &[Datum], jsonb: bool) -> Result<Vec<Vec<Datum>>> {
    let func = if jsonb {
        "jsonb_to_recordset"
    } else {
        "json_to_recordset"
    };
    let columns = columns(args)?;
    recordset_objects(&args[0], jsonb, func)?
        .iter()
        .map(|object| row(ctx, object, &columns))
        .collect()
}

/// One column or field: name, type, typmod.
type Column = (String, Oid, i32);

/// The row shape `append_row_shape` appended to a `json[b]_populate_record[set]` call:
/// the fields (name, type, typmod) and the composite type, from the last four
/// arguments.
fn row_shape(args: &[Datum]) -> Result<(Vec<Column>, Oid)> {
    let n = args.len();
    if n < 6 {
        return Err(Error::internal(
            "populate_record called without its row type's shape",
        ));
    }
    let mut shifted = vec![Datum::Null];
    shifted.extend_from_slice(&args[n - 4..n - 1]);
    let fields = columns(&shifted)?;
    let row_type = match args[n - 1] {
        Datum::Oid(o) => Oid(o),
        _ => type_oid::RECORD,
    };
    Ok((fields, row_type))
}

/// One record of `populate_record`: each field from the object's member of its name
/// (JSON null is NULL), else from the base record `base`, else NULL.
fn populate(
    ctx: &EvalContext<'_>,
    object: &Object,
    base: &Datum,
    fields: &[(String, Oid, i32)],
    row_type: Oid,
) -> Result<Datum> {
    // A base of a user-defined type may arrive in its text form.
    let parsed;
    let base = match base {
        Datum::Text(text) => {
            parsed = crate::io::text_in(text, row_type, -1, ctx.output)?;
            &parsed
        }
        other => other,
    };
    let mut values = Vec::with_capacity(fields.len());
    for (i, (name, t, typmod)) in fields.iter().enumerate() {
        let member = object.iter().rev().find(|(k, _)| k == name).map(|(_, m)| m);
        values.push(match member {
            Some(m) => column_value(ctx, Some(m), *t, *typmod)?,
            None => match base {
                Datum::Record(r) => r.values.get(i).cloned().unwrap_or(Datum::Null),
                _ => Datum::Null,
            },
        });
    }
    let desc = std::sync::Arc::new(RecordDesc {
        type_oid: row_type,
        fields: fields
            .iter()
            .map(|(name, t, typmod)| RecordField {
                name: name.clone(),
                type_oid: *t,
                typmod: *typmod,
            })
            .collect(),
    });
    Ok(Datum::Record(Box::new(Record::new(desc, values))))
}

/// `json[b]_populate_record(base, from_json)`: a record of the base's type filled from
/// a JSON object (PostgreSQL docs §9.16, table 9.49).
///
/// Errors: 22023 `cannot call populate_composite on an array` / `on a scalar`; the
/// fields' input errors.
fn populate_record(ctx: &mut EvalContext<'_>, args: &[Datum], jsonb: bool) -> Result<Datum> {
    let (fields, row_type) = row_shape(args)?;
    if args[1].is_null() {
        return Ok(args[0].clone());
    }
    let object = record_object(&args[1], jsonb)?;
    populate(ctx, &object, &args[0], &fields, row_type)
}

/// `json[b]_populate_recordset(base, from_json)`: one record per object of a JSON
/// array.
///
/// Errors: 22023 `argument of json_populate_recordset must be an array of objects`,
/// `cannot call json_populate_recordset on an object` (`jsonb_...: on a non-array`).
fn populate_recordset(
    ctx: &mut EvalContext<'_>,
    args: &[Datum],
    jsonb: bool,
) -> Result<Vec<Datum>> {
    let func = if jsonb {
        "jsonb_populate_recordset"
    } else {
        "json_populate_recordset"
    };
    let (fields, row_type) = row_shape(args)?;
    if args[1].is_null() {
        return Ok(Vec::new());
    }
    recordset_objects(&args[1], jsonb, func)?
        .iter()
        .map(|object| populate(ctx, object, &args[0], &fields, row_type))
        .collect()
}

pub(super) fn register(t: &mut Table) {
    t.insert(
        "json_populate_record",
        Builtin::Scalar(|ctx, a| populate_record(ctx, a, false)),
    );
    t.insert(
        "jsonb_populate_record",
        Builtin::Scalar(|ctx, a| populate_record(ctx, a, true)),
    );
    t.insert(
        "json_populate_recordset",
        Builtin::Set(|ctx, a| populate_recordset(ctx, a, false)),
    );
    t.insert(
        "jsonb_populate_recordset",
        Builtin::Set(|ctx, a| populate_recordset(ctx, a, true)),
    );
    t.insert(
        "json_to_record",
        Builtin::Rows(|ctx, a| to_record(ctx, a, false)),
    );
    t.insert(
        "jsonb_to_record",
        Builtin::Rows(|ctx, a| to_record(ctx, a, true)),
    );
    t.insert(
        "json_to_recordset",
        Builtin::Rows(|ctx, a| to_recordset(ctx, a, false)),
    );
    t.insert(
        "jsonb_to_recordset",
        Builtin::Rows(|ctx, a| to_recordset(ctx, a, true)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_json_arrays_become_array_literals() {
        let node = json::parse("[[1,\"a b\"],[null,\"q\\\"\"]]", Flavor::Json).expect("json");
        let m = Member::from_node(&node, "[[1,\"a b\"],[null,\"q\\\"\"]]");
        let mut out = String::new();
        array_literal(m.elements.as_deref().expect("array"), &mut out);
        assert_eq!(out, "{{\"1\",\"a b\"},{NULL,\"q\\\"\"}}");
    }
}
