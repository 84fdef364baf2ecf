//! The `json` and `jsonb` operators and processing functions (PostgreSQL docs §9.16.1,
//! tables 9.45–9.47 and 9.49): `->`, `->>`, `#>`, `#>>`, `@>`, `<@`, `?`, `?|`, `?&`,
//! `||`, `-`, `#-`, comparison, `jsonb_set`, `jsonb_insert`, `jsonb_typeof`,
//! `jsonb_array_length`, `jsonb_strip_nulls`, `jsonb_pretty`, the element and key set
//! functions, and the casts from `jsonb` to `boolean` and the numeric types.
//!
//! A `jsonb` datum is its canonical text (see `tusk_types::adt::json`); each function reads
//! it into a [`JsonValue`] and writes results back in canonical form. `json` functions
//! work on the input text itself and return members' original text.
//!
//! Entry point: `register` (called from `builtins/mod.rs`).

use std::cmp::Ordering;

use tusk_types::adt::json::{self, escape_json, Flavor, JsonNode, JsonValue, NodeKind};
use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, Datum, Error, Result, SqlState};

use super::{reg, Builtin, Table};

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

/// Reads a `jsonb` argument.
pub(crate) fn jsonb_arg(d: &Datum) -> Result<JsonValue> {
    JsonValue::parse_jsonb(text(d))
}

/// A `jsonb` result.
pub(crate) fn jsonb_datum(v: &JsonValue) -> Datum {
    Datum::Text(v.to_string())
}

fn int4(d: &Datum) -> i64 {
    match d {
        Datum::Int4(v) => i64::from(*v),
        Datum::Int8(v) => *v,
        Datum::Int2(v) => i64::from(*v),
        _ => 0,
    }
}

/// The elements of a `text[]` argument (`None` for NULL elements).
pub(super) fn text_array(d: &Datum) -> Vec<Option<String>> {
    match d {
        Datum::Array(a) => a
            .elems
            .iter()
            .map(|e| match e {
                Datum::Text(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The path of `*_extract_path`: a `text[]` (the `#>` operators) or the variadic
/// arguments one by one (a function call).
fn path_args(a: &[Datum]) -> Vec<Option<String>> {
    match a {
        [_, Datum::Array(_)] => text_array(&a[1]),
        _ => a[1..]
            .iter()
            .map(|d| match d {
                Datum::Text(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
    }
}

fn opt_text(v: Option<String>) -> Datum {
    v.map_or(Datum::Null, Datum::Text)
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(SqlState::INVALID_PARAMETER_VALUE, msg)
}

/// PostgreSQL's `strtol`-based path subscript: an optional sign and digits, nothing else.
fn path_index(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

// ---------------------------------------------------------------------------------------
// jsonb accessors

fn extract_path<'a>(mut v: &'a JsonValue, path: &[Option<String>]) -> Option<&'a JsonValue> {
    for p in path {
        let p = p.as_deref()?;
        v = match v {
            JsonValue::Object(_) => v.get(p)?,
            JsonValue::Array(_) => v.element(path_index(p)?)?,
            _ => return None,
        };
    }
    Some(v)
}

fn jsonb_compare(a: &[Datum]) -> Result<Ordering> {
    Ok(json::compare(&jsonb_arg(&a[0])?, &jsonb_arg(&a[1])?))
}

// ---------------------------------------------------------------------------------------
// jsonb edits

fn concat(a: JsonValue, b: JsonValue) -> JsonValue {
    match (a, b) {
        (JsonValue::Object(mut x), JsonValue::Object(y)) => {
            x.extend(y);
            JsonValue::object(x)
        }
        (JsonValue::Array(mut x), JsonValue::Array(y)) => {
            x.extend(y);
            JsonValue::Array(x)
        }
        (JsonValue::Array(mut x), y) => {
            x.push(y);
            JsonValue::Array(x)
        }
        (x, JsonValue::Array(mut y)) => {
            y.insert(0, x);
            JsonValue::Array(y)
        }
        (x, y) => JsonValue::Array(vec![x, y]),
    }
}

fn delete_key(v: JsonValue, key: &str) -> Result<JsonValue> {
    Ok(match v {
        JsonValue::Object(pairs) => {
            JsonValue::Object(pairs.into_iter().filter(|(k, _)| k != key).collect())
        }
        JsonValue::Array(items) => JsonValue::Array(
            items
                .into_iter()
                .filter(|i| !matches!(i, JsonValue::String(s) if s == key))
                .collect(),
        ),
        _ => return Err(invalid("cannot delete from scalar")),
    })
}

fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let i = if index < 0 { len as i64 + index } else { index };
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// How [`set_path`] treats the value at the end of the path.
#[derive(Clone, Copy, PartialEq)]
enum SetMode {
    /// `jsonb_set`: replace, or add when `create` is set.
    Set { create: bool },
    /// `jsonb_insert`: add before (or `after`) an array element; a new object key.
    Insert { after: bool },
    /// `#-`: remove.
    Delete,
}

fn path_element(path: &[Option<String>], level: usize) -> Result<&str> {
    path[level].as_deref().ok_or_else(|| {
        pg_err!(
            NULL_VALUE_NOT_ALLOWED,
            "path element at position {} is null",
            level + 1
        )
    })
}

fn not_integer(level: usize, s: &str) -> Error {
    pg_err!(
        INVALID_TEXT_REPRESENTATION,
        "path element at position {} is not an integer: \"{}\"",
        level + 1,
        s
    )
}

/// PostgreSQL's `setPath`: walks `path` from `level` in `v`, applying `mode` at its end;
/// members the path does not reach, and paths running into a scalar, leave `v` as is.
fn set_path(
    v: JsonValue,
    path: &[Option<String>],
    level: usize,
    new: &Option<JsonValue>,
    mode: SetMode,
) -> Result<JsonValue> {
    let last = level + 1 == path.len();
    match v {
        JsonValue::Object(mut pairs) => {
            let key = path_element(path, level)?;
            let found = pairs.iter().position(|(k, _)| k == key);
            match (found, last) {
                (Some(i), true) => match mode {
                    SetMode::Set { .. } => {
                        pairs[i].1 = new.clone().expect("set has a value");
                    }
                    SetMode::Insert { .. } => {
                        return Err(invalid("cannot replace existing key")
                            .hint("Try using the function jsonb_set to replace key value."))
                    }
                    SetMode::Delete => {
                        pairs.remove(i);
                    }
                },
                (Some(i), false) => {
                    let inner = std::mem::replace(&mut pairs[i].1, JsonValue::Null);
                    pairs[i].1 = if inner.is_container() {
                        set_path(inner, path, level + 1, new, mode)?
                    } else {
                        inner
                    };
                }
                (None, true) => {
                    if matches!(mode, SetMode::Set { create: true } | SetMode::Insert { .. }) {
                        pairs.push((key.to_string(), new.clone().expect("set has a value")));
                        return Ok(JsonValue::object(pairs));
                    }
                }
                (None, false) => {}
            }
            Ok(JsonValue::Object(pairs))
        }
        JsonValue::Array(mut items) => {
            let s = path_element(path, level)?;
            let index = path_index(s).ok_or_else(|| not_integer(level, s))?;
            let len = items.len();
            match (resolve_index(index, len), last) {
                (Some(i), true) => match mode {
                    SetMode::Set { .. } => items[i] = new.clone().expect("set has a value"),
                    SetMode::Insert { after } => items.insert(
                        if after { i + 1 } else { i },
                        new.clone().expect("insert has a value"),
                    ),
                    SetMode::Delete => {
                        items.remove(i);
                    }
                },
                (Some(i), false) => {
                    let inner = std::mem::replace(&mut items[i], JsonValue::Null);
                    items[i] = if inner.is_container() {
                        set_path(inner, path, level + 1, new, mode)?
                    } else {
                        inner
                    };
                }
                (None, true) => {
                    let add =
                        matches!(mode, SetMode::Set { create: true } | SetMode::Insert { .. });
                    if add {
                        let value = new.clone().expect("set has a value");
                        if index < 0 {
                            items.insert(0, value);
                        } else {
                            items.push(value);
                        }
                    }
                }
                (None, false) => {}
            }
            Ok(JsonValue::Array(items))
        }
        scalar => {
            if level == 0 {
                return Err(invalid(match mode {
                    SetMode::Delete => "cannot delete path in scalar",
                    _ => "cannot set path in scalar",
                }));
            }
            Ok(scalar)
        }
    }
}

fn edit_path(a: &[Datum], mode: SetMode) -> Result<Datum> {
    let target = jsonb_arg(&a[0])?;
    let path = text_array(&a[1]);
    if path.is_empty() {
        if !target.is_container() && mode == SetMode::Delete {
            return Err(invalid("cannot delete path in scalar"));
        }
        return Ok(jsonb_datum(&target));
    }
    let new = match mode {
        SetMode::Delete => None,
        _ => Some(jsonb_arg(&a[2])?),
    };
    Ok(jsonb_datum(&set_path(target, &path, 0, &new, mode)?))
}

// ---------------------------------------------------------------------------------------
// jsonb casts

fn cast_error(v: &JsonValue, target: &str) -> Error {
    invalid(format!(
        "cannot cast jsonb {} to type {}",
        v.type_name(),
        target
    ))
}

fn jsonb_number(a: &[Datum], target: &str) -> Result<Numeric> {
    match jsonb_arg(&a[0])? {
        JsonValue::Number(n) => Ok(n),
        other => Err(cast_error(&other, target)),
    }
}

// ---------------------------------------------------------------------------------------
// json (text) navigation

fn json_node(d: &Datum) -> Result<JsonNode> {
    json::parse(text(d), Flavor::Json)
}

/// `json -> key`: the last member named `key` (as PostgreSQL's json operators find it).
fn json_field<'a>(node: &'a JsonNode, key: &str) -> Option<&'a JsonNode> {
    match &node.kind {
        NodeKind::Object(pairs) => pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn json_element(node: &JsonNode, index: i64) -> Option<&JsonNode> {
    match &node.kind {
        NodeKind::Array(items) => resolve_index(index, items.len()).map(|i| &items[i]),
        _ => None,
    }
}

fn json_path<'a>(mut node: &'a JsonNode, path: &[Option<String>]) -> Option<&'a JsonNode> {
    for p in path {
        let p = p.as_deref()?;
        node = match &node.kind {
            NodeKind::Object(_) => json_field(node, p)?,
            NodeKind::Array(_) => json_element(node, path_index(p)?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn node_text(node: &JsonNode, source: &str) -> String {
    source[node.start..node.end].to_string()
}

/// `->>` on `json`: strings de-escaped, `null` as NULL, others as written.
fn node_as_text(node: &JsonNode, source: &str) -> Datum {
    match &node.kind {
        NodeKind::Null => Datum::Null,
        NodeKind::String(s) => Datum::Text(s.clone()),
        _ => Datum::Text(node_text(node, source)),
    }
}

fn node_type(node: &JsonNode) -> &'static str {
    match node.kind {
        NodeKind::Null => "null",
        NodeKind::Bool(_) => "boolean",
        NodeKind::Number => "number",
        NodeKind::String(_) => "string",
        NodeKind::Array(_) => "array",
        NodeKind::Object(_) => "object",
    }
}

/// `json_strip_nulls`: the value re-emitted without whitespace, null members dropped.
fn json_strip(node: &JsonNode, source: &str, out: &mut String) {
    match &node.kind {
        NodeKind::Object(pairs) => {
            out.push('{');
            let mut first = true;
            for (k, v) in pairs {
                if v.kind == NodeKind::Null {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                escape_json(out, k);
                out.push(':');
                json_strip(v, source, out);
            }
            out.push('}');
        }
        NodeKind::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_strip(v, source, out);
            }
            out.push(']');
        }
        NodeKind::String(s) => escape_json(out, s),
        _ => out.push_str(&source[node.start..node.end]),
    }
}

fn array_length_error(is_scalar: bool) -> Error {
    invalid(if is_scalar {
        "cannot get array length of a scalar"
    } else {
        "cannot get array length of a non-array"
    })
}

fn elements_error(kind: &str) -> Error {
    invalid(format!("cannot extract elements from {kind}"))
}

fn object_keys_error(func: &str, kind: &str) -> Error {
    invalid(format!("cannot call {func} on {kind}"))
}

// ---------------------------------------------------------------------------------------
// set-returning functions

fn jsonb_elements(a: &[Datum], as_text: bool) -> Result<Vec<Datum>> {
    match jsonb_arg(&a[0])? {
        JsonValue::Array(items) => Ok(items
            .iter()
            .map(|i| {
                if as_text {
                    opt_text(i.as_text())
                } else {
                    jsonb_datum(i)
                }
            })
            .collect()),
        JsonValue::Object(_) => Err(elements_error("an object")),
        _ => Err(elements_error("a scalar")),
    }
}

fn json_elements(a: &[Datum], as_text: bool) -> Result<Vec<Datum>> {
    let source = text(&a[0]);
    let node = json_node(&a[0])?;
    match &node.kind {
        NodeKind::Array(items) => Ok(items
            .iter()
            .map(|i| {
                if as_text {
                    node_as_text(i, source)
                } else {
                    Datum::Text(node_text(i, source))
                }
            })
            .collect()),
        NodeKind::Object(_) => Err(elements_error("an object")),
        _ => Err(elements_error("a scalar")),
    }
}

fn jsonb_each(a: &[Datum], as_text: bool, func: &str) -> Result<Vec<Vec<Datum>>> {
    match jsonb_arg(&a[0])? {
        JsonValue::Object(pairs) => Ok(pairs
            .into_iter()
            .map(|(k, v)| {
                let value = if as_text {
                    opt_text(v.as_text())
                } else {
                    jsonb_datum(&v)
                };
                vec![Datum::Text(k), value]
            })
            .collect()),
        _ => Err(invalid(format!("cannot call {func} on a non-object"))),
    }
}

fn json_each(a: &[Datum], as_text: bool) -> Result<Vec<Vec<Datum>>> {
    let source = text(&a[0]);
    let node = json_node(&a[0])?;
    match &node.kind {
        NodeKind::Object(pairs) => Ok(pairs
            .iter()
            .map(|(k, v)| {
                let value = if as_text {
                    node_as_text(v, source)
                } else {
                    Datum::Text(node_text(v, source))
                };
                vec![Datum::Text(k.clone()), value]
            })
            .collect()),
        NodeKind::Array(_) => Err(invalid("cannot deconstruct an array as an object")),
        _ => Err(invalid("cannot deconstruct a scalar")),
    }
}

pub(super) fn register(t: &mut Table) {
    t.insert(
        "jsonb_each",
        Builtin::Rows(|_, a| jsonb_each(a, false, "jsonb_each")),
    );
    t.insert(
        "jsonb_each_text",
        Builtin::Rows(|_, a| jsonb_each(a, true, "jsonb_each_text")),
    );
    t.insert("json_each", Builtin::Rows(|_, a| json_each(a, false)));
    t.insert("json_each_text", Builtin::Rows(|_, a| json_each(a, true)));
    // jsonb accessors.
    reg(t, &["jsonb_object_field"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(v.get(text(&a[1])).map_or(Datum::Null, jsonb_datum))
    });
    reg(t, &["jsonb_object_field_text"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(opt_text(v.get(text(&a[1])).and_then(JsonValue::as_text)))
    });
    reg(t, &["jsonb_array_element"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(v.element(int4(&a[1])).map_or(Datum::Null, jsonb_datum))
    });
    reg(t, &["jsonb_array_element_text"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(opt_text(
            v.element(int4(&a[1])).and_then(JsonValue::as_text),
        ))
    });
    reg(t, &["jsonb_extract_path"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(extract_path(&v, &path_args(a)).map_or(Datum::Null, jsonb_datum))
    });
    reg(t, &["jsonb_extract_path_text"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(opt_text(
            extract_path(&v, &path_args(a)).and_then(JsonValue::as_text),
        ))
    });
    reg(t, &["jsonb_typeof"], |_, a| {
        Ok(Datum::Text(jsonb_arg(&a[0])?.type_name().to_string()))
    });
    reg(t, &["jsonb_array_length"], |_, a| match jsonb_arg(&a[0])? {
        JsonValue::Array(items) => Ok(Datum::Int4(items.len() as i32)),
        other => Err(array_length_error(!other.is_container())),
    });
    reg(t, &["jsonb_strip_nulls"], |_, a| {
        Ok(jsonb_datum(&jsonb_arg(&a[0])?.strip_nulls()))
    });
    reg(t, &["jsonb_pretty"], |_, a| {
        Ok(Datum::Text(jsonb_arg(&a[0])?.pretty()))
    });

    // Comparison.
    reg(t, &["jsonb_eq"], |_, a| {
        Ok(Datum::Bool(jsonb_compare(a)?.is_eq()))
    });
    reg(t, &["jsonb_ne"], |_, a| {
        Ok(Datum::Bool(jsonb_compare(a)?.is_ne()))
    });
    reg(t, &["jsonb_lt"], |_, a| {
        Ok(Datum::Bool(jsonb_compare(a)?.is_lt()))
    });
    reg(t, &["jsonb_le"], |_, a| {
        Ok(Datum::Bool(jsonb_compare(a)?.is_le()))
    });
    reg(t, &["jsonb_gt"], |_, a| {
        Ok(Datum::Bool(jsonb_compare(a)?.is_gt()))
    });
    reg(t, &["jsonb_ge"], |_, a| {
        Ok(Datum::Bool(jsonb_compare(a)?.is_ge()))
    });
    reg(t, &["jsonb_cmp"], |_, a| {
        Ok(Datum::Int4(match jsonb_compare(a)? {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });

    // Containment and existence.
    reg(t, &["jsonb_contains"], |_, a| {
        Ok(Datum::Bool(json::contains(
            &jsonb_arg(&a[0])?,
            &jsonb_arg(&a[1])?,
        )))
    });
    reg(t, &["jsonb_contained"], |_, a| {
        Ok(Datum::Bool(json::contains(
            &jsonb_arg(&a[1])?,
            &jsonb_arg(&a[0])?,
        )))
    });
    reg(t, &["jsonb_exists"], |_, a| {
        Ok(Datum::Bool(json::exists(&jsonb_arg(&a[0])?, text(&a[1]))))
    });
    reg(t, &["jsonb_exists_any"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(Datum::Bool(
            text_array(&a[1])
                .iter()
                .flatten()
                .any(|k| json::exists(&v, k)),
        ))
    });
    reg(t, &["jsonb_exists_all"], |_, a| {
        let v = jsonb_arg(&a[0])?;
        Ok(Datum::Bool(
            text_array(&a[1])
                .iter()
                .flatten()
                .all(|k| json::exists(&v, k)),
        ))
    });

    // Edits.
    reg(t, &["jsonb_concat"], |_, a| {
        Ok(jsonb_datum(&concat(jsonb_arg(&a[0])?, jsonb_arg(&a[1])?)))
    });
    reg(t, &["jsonb_delete"], |_, a| {
        Ok(jsonb_datum(&delete_key(jsonb_arg(&a[0])?, text(&a[1]))?))
    });
    reg(t, &["jsonb_delete_array"], |_, a| {
        let mut v = jsonb_arg(&a[0])?;
        for k in text_array(&a[1]).iter().flatten() {
            v = delete_key(v, k)?;
        }
        Ok(jsonb_datum(&v))
    });
    reg(t, &["jsonb_delete_idx"], |_, a| match jsonb_arg(&a[0])? {
        JsonValue::Array(mut items) => {
            if let Some(i) = resolve_index(int4(&a[1]), items.len()) {
                items.remove(i);
            }
            Ok(jsonb_datum(&JsonValue::Array(items)))
        }
        JsonValue::Object(_) => Err(invalid("cannot delete from object using integer index")),
        _ => Err(invalid("cannot delete from scalar")),
    });
    reg(t, &["jsonb_delete_path"], |_, a| {
        edit_path(a, SetMode::Delete)
    });
    reg(t, &["jsonb_set"], |_, a| {
        let create = !matches!(a.get(3), Some(Datum::Bool(false)));
        edit_path(a, SetMode::Set { create })
    });
    // jsonb_set_lax(target, path, new_value, create_if_missing, null_value_treatment):
    // jsonb_set, with an SQL NULL new_value handled as the treatment says.
    reg(t, &["jsonb_set_lax"], |_, a| {
        if a[0].is_null() || a[1].is_null() || a.get(3).is_none_or(Datum::is_null) {
            return Ok(Datum::Null);
        }
        let bad_treatment = || {
            pg_err!(
                INVALID_PARAMETER_VALUE,
                "null_value_treatment must be \"delete_key\", \"return_target\", \"use_json_null\", or \"raise_exception\""
            )
        };
        let treatment = match a.get(4) {
            Some(Datum::Text(t)) => t.as_str(),
            _ => return Err(bad_treatment()),
        };
        let create = !matches!(a.get(3), Some(Datum::Bool(false)));
        if !a[2].is_null() {
            return edit_path(a, SetMode::Set { create });
        }
        match treatment {
            "raise_exception" => Err(pg_err!(NULL_VALUE_NOT_ALLOWED, "JSON value must not be null")
                .detail("Exception was raised because null_value_treatment is \"raise_exception\".")
                .hint("To avoid, either change the null_value_treatment argument or ensure that an SQL NULL is not passed.")),
            "use_json_null" => {
                let mut args = a.to_vec();
                args[2] = jsonb_datum(&JsonValue::Null);
                edit_path(&args, SetMode::Set { create })
            }
            "delete_key" => edit_path(a, SetMode::Delete),
            "return_target" => Ok(a[0].clone()),
            _ => Err(bad_treatment()),
        }
    });
    reg(t, &["jsonb_insert"], |_, a| {
        let after = matches!(a.get(3), Some(Datum::Bool(true)));
        edit_path(a, SetMode::Insert { after })
    });

    // Casts.
    reg(t, &["jsonb_bool"], |_, a| match jsonb_arg(&a[0])? {
        JsonValue::Bool(b) => Ok(Datum::Bool(b)),
        other => Err(cast_error(&other, "boolean")),
    });
    reg(t, &["jsonb_numeric"], |_, a| {
        Ok(Datum::Numeric(jsonb_number(a, "numeric")?))
    });
    reg(t, &["jsonb_int2"], |_, a| {
        Ok(Datum::Int2(
            jsonb_number(a, "smallint")?.round(0)?.to_i16()?,
        ))
    });
    reg(t, &["jsonb_int4"], |_, a| {
        Ok(Datum::Int4(jsonb_number(a, "integer")?.round(0)?.to_i32()?))
    });
    reg(t, &["jsonb_int8"], |_, a| {
        Ok(Datum::Int8(jsonb_number(a, "bigint")?.round(0)?.to_i64()?))
    });
    reg(t, &["jsonb_float4"], |_, a| {
        let n = jsonb_number(a, "real")?;
        tusk_types::adt::float::float4_in(&n.to_string()).map(Datum::Float4)
    });
    reg(t, &["jsonb_float8"], |_, a| {
        let n = jsonb_number(a, "double precision")?;
        tusk_types::adt::float::float8_in(&n.to_string()).map(Datum::Float8)
    });

    // json (text) accessors.
    reg(t, &["json_object_field"], |_, a| {
        let node = json_node(&a[0])?;
        Ok(json_field(&node, text(&a[1]))
            .map_or(Datum::Null, |n| Datum::Text(node_text(n, text(&a[0])))))
    });
    reg(t, &["json_object_field_text"], |_, a| {
        let node = json_node(&a[0])?;
        Ok(json_field(&node, text(&a[1])).map_or(Datum::Null, |n| node_as_text(n, text(&a[0]))))
    });
    reg(t, &["json_array_element"], |_, a| {
        let node = json_node(&a[0])?;
        Ok(json_element(&node, int4(&a[1]))
            .map_or(Datum::Null, |n| Datum::Text(node_text(n, text(&a[0])))))
    });
    reg(t, &["json_array_element_text"], |_, a| {
        let node = json_node(&a[0])?;
        Ok(json_element(&node, int4(&a[1])).map_or(Datum::Null, |n| node_as_text(n, text(&a[0]))))
    });
    reg(t, &["json_extract_path"], |_, a| {
        let node = json_node(&a[0])?;
        Ok(json_path(&node, &path_args(a))
            .map_or(Datum::Null, |n| Datum::Text(node_text(n, text(&a[0])))))
    });
    reg(t, &["json_extract_path_text"], |_, a| {
        let node = json_node(&a[0])?;
        Ok(json_path(&node, &path_args(a)).map_or(Datum::Null, |n| node_as_text(n, text(&a[0]))))
    });
    reg(t, &["json_typeof"], |_, a| {
        Ok(Datum::Text(node_type(&json_node(&a[0])?).to_string()))
    });
    reg(t, &["json_array_length"], |_, a| {
        let node = json_node(&a[0])?;
        match &node.kind {
            NodeKind::Array(items) => Ok(Datum::Int4(items.len() as i32)),
            NodeKind::Object(_) => Err(array_length_error(false)),
            _ => Err(array_length_error(true)),
        }
    });
    reg(t, &["json_strip_nulls"], |_, a| {
        let node = json_node(&a[0])?;
        let mut out = String::new();
        json_strip(&node, text(&a[0]), &mut out);
        Ok(Datum::Text(out))
    });

    // Sets.
    t.insert(
        "jsonb_array_elements",
        Builtin::Set(|_, a| jsonb_elements(a, false)),
    );
    t.insert(
        "jsonb_array_elements_text",
        Builtin::Set(|_, a| jsonb_elements(a, true)),
    );
    t.insert(
        "jsonb_object_keys",
        Builtin::Set(|_, a| match jsonb_arg(&a[0])? {
            JsonValue::Object(pairs) => {
                Ok(pairs.into_iter().map(|(k, _)| Datum::Text(k)).collect())
            }
            JsonValue::Array(_) => Err(object_keys_error("jsonb_object_keys", "an array")),
            _ => Err(object_keys_error("jsonb_object_keys", "a scalar")),
        }),
    );
    t.insert(
        "json_array_elements",
        Builtin::Set(|_, a| json_elements(a, false)),
    );
    t.insert(
        "json_array_elements_text",
        Builtin::Set(|_, a| json_elements(a, true)),
    );
    t.insert(
        "json_object_keys",
        Builtin::Set(|_, a| {
            let node = json_node(&a[0])?;
            match node.kind {
                NodeKind::Object(pairs) => {
                    Ok(pairs.into_iter().map(|(k, _)| Datum::Text(k)).collect())
                }
                NodeKind::Array(_) => Err(object_keys_error("json_object_keys", "an array")),
                _ => Err(object_keys_error("json_object_keys", "a scalar")),
            }
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jb(s: &str) -> Datum {
        Datum::Text(JsonValue::parse_jsonb(s).expect("valid").to_string())
    }

    fn path(items: &[&str]) -> Datum {
        Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
            tusk_types::type_oid::TEXT,
            items.iter().map(|s| Datum::Text(s.to_string())).collect(),
        )))
    }

    fn out(d: Result<Datum>) -> String {
        match d.expect("ok") {
            Datum::Text(s) => s,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn set_insert_delete_follow_postgres() {
        let set = |t: &str, p: &[&str], v: &str| {
            out(edit_path(
                &[jb(t), path(p), jb(v)],
                SetMode::Set { create: true },
            ))
        };
        assert_eq!(
            set(r#"{"a":[1,2]}"#, &["a", "1"], r#""x""#),
            r#"{"a": [1, "x"]}"#
        );
        assert_eq!(
            set(r#"{"a":[1,2]}"#, &["a", "5"], r#""x""#),
            r#"{"a": [1, 2, "x"]}"#
        );
        assert_eq!(
            set(r#"{"a":[1,2]}"#, &["a", "-5"], r#""x""#),
            r#"{"a": ["x", 1, 2]}"#
        );
        assert_eq!(set(r#"{"a":{}}"#, &["a", "b"], "1"), r#"{"a": {"b": 1}}"#);
        assert_eq!(set(r#"{"a":{}}"#, &["b", "c"], "1"), r#"{"a": {}}"#);
        assert_eq!(set(r#"{"a":1}"#, &["a", "b"], "2"), r#"{"a": 1}"#);
        assert_eq!(set(r#"{"a":1}"#, &[], "2"), r#"{"a": 1}"#);
        let e = edit_path(
            &[jb("1"), path(&["a"]), jb("2")],
            SetMode::Set { create: true },
        )
        .expect_err("scalar");
        assert_eq!(e.message, "cannot set path in scalar");
        let e = edit_path(
            &[jb("[1]"), path(&["x"]), jb("2")],
            SetMode::Set { create: true },
        )
        .expect_err("not an integer");
        assert_eq!(
            e.message,
            "path element at position 1 is not an integer: \"x\""
        );
        let ins = |t: &str, p: &[&str], v: &str, after: bool| {
            out(edit_path(
                &[jb(t), path(p), jb(v)],
                SetMode::Insert { after },
            ))
        };
        assert_eq!(
            ins(r#"{"a":[1,2]}"#, &["a", "1"], r#""x""#, false),
            r#"{"a": [1, "x", 2]}"#
        );
        assert_eq!(
            ins(r#"{"a":[1,2]}"#, &["a", "1"], r#""x""#, true),
            r#"{"a": [1, 2, "x"]}"#
        );
        assert_eq!(
            ins(r#"{"a":{"b":1}}"#, &["a", "c"], "2", false),
            r#"{"a": {"b": 1, "c": 2}}"#
        );
        let del = |t: &str, p: &[&str]| out(edit_path(&[jb(t), path(p)], SetMode::Delete));
        assert_eq!(
            del(r#"{"a":{"b":[1,2]}}"#, &["a", "b", "0"]),
            r#"{"a": {"b": [2]}}"#
        );
        assert_eq!(del("[1,2,3]", &["-1"]), "[1, 2]");
    }

    #[test]
    fn concat_follows_postgres() {
        let c = |a: &str, b: &str| {
            concat(
                JsonValue::parse_jsonb(a).expect("a"),
                JsonValue::parse_jsonb(b).expect("b"),
            )
            .to_string()
        };
        assert_eq!(c(r#"{"a":1}"#, r#"{"b":2}"#), r#"{"a": 1, "b": 2}"#);
        assert_eq!(c(r#"{"a":1}"#, r#"{"a":2}"#), r#"{"a": 2}"#);
        assert_eq!(c("[1]", "2"), "[1, 2]");
        assert_eq!(c(r#"{"a":1}"#, "[1]"), r#"[{"a": 1}, 1]"#);
        assert_eq!(c("1", "2"), "[1, 2]");
    }

    #[test]
    fn json_navigation_keeps_original_text() {
        let src = Datum::Text(r#"{"a": [1,  2], "a": {"b" : "\u00e9"}}"#.to_string());
        let node = json_node(&src).expect("valid");
        let a = json_field(&node, "a").expect("a");
        assert_eq!(node_text(a, text(&src)), r#"{"b" : "\u00e9"}"#);
        let b = json_field(a, "b").expect("b");
        assert_eq!(node_as_text(b, text(&src)), Datum::Text("é".into()));
        let mut s = String::new();
        let n = json_node(&Datum::Text(
            r#"{"a" : 1, "b": null, "c": [null, {"d": null}] }"#.into(),
        ))
        .expect("valid");
        json_strip(
            &n,
            r#"{"a" : 1, "b": null, "c": [null, {"d": null}] }"#,
            &mut s,
        );
        assert_eq!(s, r#"{"a":1,"c":[null,{}]}"#);
    }
}
