//! Building `json` and `jsonb` from SQL values (PostgreSQL docs §9.16.1, table 9.47 and
//! the JSON aggregates of table 9.58): `to_json`, `to_jsonb`, `array_to_json`,
//! `row_to_json`, `json[b]_build_array`, `json[b]_build_object`, `json[b]_object`, `json[b]_agg` and
//! `json[b]_object_agg`.
//!
//! [`datum_to_json`] is PostgreSQL's `datum_to_json` categorisation: booleans and numbers
//! as JSON literals (NaN and infinities as strings), dates and timestamps in ISO 8601 with
//! a `T`, `json`/`jsonb` as they are, arrays as JSON arrays, records as JSON objects keyed
//! by field name, everything else as the string
//! its output function prints. The evaluator applies it to the `"any"`/`anyelement`
//! arguments of the constructors (it knows their types), so the functions here receive
//! JSON text (or NULL).
//!
//! Output spacing follows PostgreSQL: `json_build_object` writes `{"a" : 1}`,
//! `json_build_array` and `json_agg` `[1, 2]`, `array_to_json` `[1,2]`,
//! `json_object_agg` `{ "a" : 1 }`; the `jsonb` forms are canonical `jsonb` text.
//!
//! Entry points: `register`, [`datum_to_json`], [`is_json_constructor`], and the aggregate
//! states [`JsonAgg`] and [`JsonObjectAgg`].

use tusk_types::adt::array::Array;
use tusk_types::adt::datetime::{DateStyle, DateStyleFormat};
use tusk_types::adt::json::{escape_json, JsonValue};
use tusk_types::adt::record::Record;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::json::jsonb_datum;
use super::{reg, Table};
use crate::{EvalContext, OutputSettings};

/// Whether `prosrc` names a constructor whose `"any"` arguments the evaluator converts
/// with [`datum_to_json`] (and for `*_build_object`, whose keys it converts to text).
pub fn is_json_constructor(prosrc: &str) -> Option<ConstructorArgs> {
    match prosrc {
        "to_json" | "to_jsonb" | "json_build_array" | "jsonb_build_array" => {
            Some(ConstructorArgs::AllValues)
        }
        "json_build_object" | "jsonb_build_object" => Some(ConstructorArgs::KeyValuePairs),
        _ => None,
    }
}

/// How a constructor's arguments are converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstructorArgs {
    /// Every argument is a value.
    AllValues,
    /// Even positions (0-based) are keys (text), odd ones values.
    KeyValuePairs,
}

fn is_valid_json_number(s: &str) -> bool {
    tusk_types::adt::json::parse(s, tusk_types::adt::json::Flavor::Json)
        .is_ok_and(|n| n.kind == tusk_types::adt::json::NodeKind::Number)
}

/// ISO 8601 as JSON writes dates and timestamps: `2020-01-02T03:04:05.6`, with the zone
/// as `+hh:mm`.
fn xsd_datetime(v: &Datum, t: Oid, settings: &OutputSettings) -> Result<String> {
    let mut iso = settings.clone();
    iso.date_style = DateStyle {
        style: DateStyleFormat::Iso,
        order: settings.date_style.order,
    };
    let s = crate::io::text_out_string(v, t, &iso)?;
    if t == type_oid::DATE || s.ends_with("infinity") {
        return Ok(s);
    }
    let mut s = s.replacen(' ', "T", 1);
    if t == type_oid::TIMESTAMPTZ {
        if let Some(tpos) = s.find('T') {
            if let Some(sign) = s[tpos..].rfind(['+', '-']).map(|i| i + tpos) {
                if !s[sign..].contains(':') {
                    s.push_str(":00");
                }
            }
        }
    }
    Ok(s)
}

/// Appends the JSON form of `v` (of SQL type `t`) to `out` (PostgreSQL's `datum_to_json`).
///
/// Errors: those of the type's output function.
pub fn datum_to_json(v: &Datum, t: Oid, settings: &OutputSettings, out: &mut String) -> Result<()> {
    match (v, t) {
        (Datum::Null, _) => out.push_str("null"),
        (Datum::Bool(b), _) => out.push_str(if *b { "true" } else { "false" }),
        (Datum::Array(a), _) => array_to_json(a, settings, false, out)?,
        (Datum::Record(r), _) => record_to_json(r, settings, false, out)?,
        (
            _,
            type_oid::INT2
            | type_oid::INT4
            | type_oid::INT8
            | type_oid::FLOAT4
            | type_oid::FLOAT8
            | type_oid::NUMERIC,
        ) => {
            let s = crate::io::text_out_string(v, t, settings)?;
            if is_valid_json_number(&s) {
                out.push_str(&s);
            } else {
                escape_json(out, &s);
            }
        }
        (_, type_oid::DATE | type_oid::TIMESTAMP | type_oid::TIMESTAMPTZ) => {
            escape_json(out, &xsd_datetime(v, t, settings)?)
        }
        (Datum::Text(s), type_oid::JSON | type_oid::JSONB) => out.push_str(s),
        _ => escape_json(out, &crate::io::text_out_string(v, t, settings)?),
    }
    Ok(())
}

/// `row_to_json` (PostgreSQL's `composite_to_json`): `{"name":value,...}` in field order;
/// `pretty` puts a line break after each comma.
fn record_to_json(
    r: &Record,
    settings: &OutputSettings,
    pretty: bool,
    out: &mut String,
) -> Result<()> {
    out.push('{');
    for (i, (value, field)) in r.values.iter().zip(&r.desc.fields).enumerate() {
        if i > 0 {
            out.push_str(if pretty { ",\n " } else { "," });
        }
        escape_json(out, &field.name);
        out.push(':');
        datum_to_json(value, field.type_oid, settings, out)?;
    }
    out.push('}');
    Ok(())
}

/// `array_to_json`: nested JSON arrays, one level per dimension; `pretty` puts a line
/// break after each top-level comma.
fn array_to_json(
    a: &Array,
    settings: &OutputSettings,
    pretty: bool,
    out: &mut String,
) -> Result<()> {
    if a.dims.is_empty() || a.elems.is_empty() {
        out.push_str("[]");
        return Ok(());
    }
    let lens: Vec<usize> = a.dims.iter().map(|d| d.len.max(0) as usize).collect();
    let mut next = 0usize;
    array_level(a, &lens, 0, &mut next, settings, pretty, out)
}

fn array_level(
    a: &Array,
    lens: &[usize],
    dim: usize,
    next: &mut usize,
    settings: &OutputSettings,
    pretty: bool,
    out: &mut String,
) -> Result<()> {
    out.push('[');
    for i in 0..lens[dim] {
        if i > 0 {
            out.push_str(if pretty && dim == 0 { ",\n " } else { "," });
        }
        if dim + 1 < lens.len() {
            array_level(a, lens, dim + 1, next, settings, pretty, out)?;
        } else {
            let e = a.elems.get(*next).unwrap_or(&Datum::Null);
            *next += 1;
            datum_to_json(e, a.elem_type, settings, out)?;
        }
    }
    out.push(']');
    Ok(())
}

fn json_text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "null",
    }
}

fn to_jsonb_value(d: &Datum) -> Result<JsonValue> {
    match d {
        Datum::Null => Ok(JsonValue::Null),
        other => JsonValue::parse_jsonb(json_text(other)),
    }
}

fn build_object_pairs(a: &[Datum], func: &str, jsonb: bool) -> Result<Vec<(String, Datum)>> {
    if !a.len().is_multiple_of(2) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "argument list must have even number of elements"
        )
        .hint(format!(
            "The arguments of {func}() must consist of alternating keys and values."
        )));
    }
    let mut pairs = Vec::with_capacity(a.len() / 2);
    for (i, pair) in a.chunks(2).enumerate() {
        let key = match &pair[0] {
            Datum::Text(s) => s.clone(),
            _ if jsonb => {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "argument {}: key must not be null",
                    2 * i + 1
                ))
            }
            _ => {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "argument {} cannot be null",
                    2 * i + 1
                )
                .hint("Object keys should be text."))
            }
        };
        pairs.push((key, pair[1].clone()));
    }
    Ok(pairs)
}

/// `json_object(text[])` / `json_object(keys text[], values text[])`: key and value
/// pairs from one array (flat of even length, or two columns) or two.
fn object_pairs(a: &[Datum]) -> Result<Vec<(String, Option<String>)>> {
    let array = |d: &Datum| -> Array {
        match d {
            Datum::Array(a) => (**a).clone(),
            _ => Array::empty(type_oid::TEXT),
        }
    };
    let as_text = |d: &Datum| match d {
        Datum::Text(s) => Some(s.clone()),
        _ => None,
    };
    let mut raw: Vec<(Option<String>, Option<String>)> = Vec::new();
    if a.len() == 1 {
        let arr = array(&a[0]);
        match arr.dims.len() {
            0 => {}
            1 => {
                if !arr.elems.len().is_multiple_of(2) {
                    return Err(pg_err!(
                        ARRAY_SUBSCRIPT_ERROR,
                        "array must have even number of elements"
                    ));
                }
                for p in arr.elems.chunks(2) {
                    raw.push((as_text(&p[0]), as_text(&p[1])));
                }
            }
            2 => {
                if arr.dims[1].len != 2 {
                    return Err(pg_err!(
                        ARRAY_SUBSCRIPT_ERROR,
                        "array must have two columns"
                    ));
                }
                for p in arr.elems.chunks(2) {
                    raw.push((as_text(&p[0]), as_text(&p[1])));
                }
            }
            _ => {
                return Err(pg_err!(
                    ARRAY_SUBSCRIPT_ERROR,
                    "wrong number of array subscripts"
                ))
            }
        }
    } else {
        let (keys, values) = (array(&a[0]), array(&a[1]));
        if keys.dims.len() > 1 || values.dims.len() > 1 {
            return Err(pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "wrong number of array subscripts"
            ));
        }
        if keys.elems.len() != values.elems.len() {
            return Err(pg_err!(
                ARRAY_SUBSCRIPT_ERROR,
                "mismatched array dimensions"
            ));
        }
        for (k, v) in keys.elems.iter().zip(&values.elems) {
            raw.push((as_text(k), as_text(v)));
        }
    }
    raw.into_iter()
        .map(|(k, v)| match k {
            Some(k) => Ok((k, v)),
            None => Err(pg_err!(
                NULL_VALUE_NOT_ALLOWED,
                "null value not allowed for object key"
            )),
        })
        .collect()
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["to_json"], |_, a| {
        Ok(Datum::Text(json_text(&a[0]).to_string()))
    });
    reg(t, &["to_jsonb"], |_, a| {
        Ok(jsonb_datum(&to_jsonb_value(&a[0])?))
    });
    reg(t, &["array_to_json", "array_to_json_pretty"], |ctx, a| {
        let pretty = matches!(a.get(1), Some(Datum::Bool(true)));
        let mut out = String::new();
        match &a[0] {
            Datum::Array(arr) => array_to_json(arr, ctx.output, pretty, &mut out)?,
            _ => return Ok(Datum::Null),
        }
        Ok(Datum::Text(out))
    });
    reg(t, &["row_to_json", "row_to_json_pretty"], |ctx, a| {
        let pretty = matches!(a.get(1), Some(Datum::Bool(true)));
        let mut out = String::new();
        match &a[0] {
            Datum::Record(r) => record_to_json(r, ctx.output, pretty, &mut out)?,
            other => {
                return Err(Error::internal(format!(
                    "row_to_json called with {other:?}"
                )))
            }
        }
        Ok(Datum::Text(out))
    });
    reg(t, &["json_build_array"], |_, a| {
        let items: Vec<&str> = a.iter().map(json_text).collect();
        Ok(Datum::Text(format!("[{}]", items.join(", "))))
    });
    reg(t, &["json_build_array_noargs"], |_, _| {
        Ok(Datum::Text("[]".into()))
    });
    reg(t, &["jsonb_build_array"], |_, a| {
        let items = a.iter().map(to_jsonb_value).collect::<Result<_>>()?;
        Ok(jsonb_datum(&JsonValue::Array(items)))
    });
    reg(t, &["jsonb_build_array_noargs"], |_, _| {
        Ok(Datum::Text("[]".into()))
    });
    reg(t, &["json_build_object"], |_, a| {
        let pairs = build_object_pairs(a, "json_build_object", false)?;
        let mut out = String::from("{");
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            escape_json(&mut out, k);
            out.push_str(" : ");
            out.push_str(json_text(v));
        }
        out.push('}');
        Ok(Datum::Text(out))
    });
    reg(t, &["json_build_object_noargs"], |_, _| {
        Ok(Datum::Text("{}".into()))
    });
    reg(t, &["jsonb_build_object"], |_, a| {
        let pairs = build_object_pairs(a, "jsonb_build_object", true)?;
        let pairs = pairs
            .into_iter()
            .map(|(k, v)| Ok((k, to_jsonb_value(&v)?)))
            .collect::<Result<_>>()?;
        Ok(jsonb_datum(&JsonValue::object(pairs)))
    });
    reg(t, &["jsonb_build_object_noargs"], |_, _| {
        Ok(Datum::Text("{}".into()))
    });
    reg(t, &["json_object", "json_object_two_arg"], |_, a| {
        let mut out = String::from("{");
        for (i, (k, v)) in object_pairs(a)?.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            escape_json(&mut out, k);
            out.push_str(" : ");
            match v {
                Some(v) => escape_json(&mut out, v),
                None => out.push_str("null"),
            }
        }
        out.push('}');
        Ok(Datum::Text(out))
    });
    reg(t, &["jsonb_object", "jsonb_object_two_arg"], |_, a| {
        let pairs = object_pairs(a)?
            .into_iter()
            .map(|(k, v)| (k, v.map_or(JsonValue::Null, JsonValue::String)))
            .collect();
        Ok(jsonb_datum(&JsonValue::object(pairs)))
    });
}

/// `json_agg` / `jsonb_agg` state: each input value (NULL included) as an element.
pub struct JsonAgg {
    /// `jsonb_agg`.
    pub jsonb: bool,
    /// The input's SQL type.
    pub arg_type: Oid,
    /// Elements as JSON text.
    pub items: Vec<String>,
}

impl JsonAgg {
    /// Adds one input value.
    ///
    /// Errors: those of the value's output function.
    pub fn advance(&mut self, ctx: &EvalContext<'_>, value: &Datum) -> Result<()> {
        let mut s = String::new();
        // PostgreSQL starts each array or record element after the first on a new line.
        if !self.items.is_empty() && matches!(value, Datum::Array(_) | Datum::Record(_)) {
            s.push_str("\n ");
        }
        datum_to_json(value, self.arg_type, ctx.output, &mut s)?;
        self.items.push(s);
        Ok(())
    }

    /// The array (NULL when no row was aggregated).
    ///
    /// Errors: none in practice (the elements are valid JSON).
    pub fn finish(&self, rows: bool) -> Result<Datum> {
        if !rows {
            return Ok(Datum::Null);
        }
        if self.jsonb {
            let items = self
                .items
                .iter()
                .map(|s| JsonValue::parse_jsonb(s))
                .collect::<Result<_>>()?;
            return Ok(jsonb_datum(&JsonValue::Array(items)));
        }
        Ok(Datum::Text(format!("[{}]", self.items.join(", "))))
    }
}

/// `json_object_agg` / `jsonb_object_agg` state: one member per input row.
pub struct JsonObjectAgg {
    /// `jsonb_object_agg`.
    pub jsonb: bool,
    /// The key's SQL type.
    pub key_type: Oid,
    /// The value's SQL type.
    pub value_type: Oid,
    /// Members: key text and value as JSON text.
    pub pairs: Vec<(String, String)>,
}

impl JsonObjectAgg {
    /// Adds one member.
    ///
    /// Errors: 22023 `field name must not be null`; the output functions' errors.
    pub fn advance(&mut self, ctx: &EvalContext<'_>, key: &Datum, value: &Datum) -> Result<()> {
        if key.is_null() {
            return Err(Error::new(
                SqlState::INVALID_PARAMETER_VALUE,
                "field name must not be null",
            ));
        }
        let key = crate::io::text_out_string(key, self.key_type, ctx.output)?;
        let mut v = String::new();
        datum_to_json(value, self.value_type, ctx.output, &mut v)?;
        self.pairs.push((key, v));
        Ok(())
    }

    /// The object (NULL when no row was aggregated).
    ///
    /// Errors: none in practice.
    pub fn finish(&self, rows: bool) -> Result<Datum> {
        if !rows {
            return Ok(Datum::Null);
        }
        if self.jsonb {
            let pairs = self
                .pairs
                .iter()
                .map(|(k, v)| Ok((k.clone(), JsonValue::parse_jsonb(v)?)))
                .collect::<Result<_>>()?;
            return Ok(jsonb_datum(&JsonValue::object(pairs)));
        }
        let mut out = String::from("{ ");
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            escape_json(&mut out, k);
            out.push_str(" : ");
            out.push_str(v);
        }
        out.push_str(" }");
        Ok(Datum::Text(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datum_to_json_follows_postgres_categories() {
        let s = OutputSettings::default();
        let j = |v: Datum, t: Oid| {
            let mut out = String::new();
            datum_to_json(&v, t, &s, &mut out).expect("converts");
            out
        };
        assert_eq!(j(Datum::Int4(1), type_oid::INT4), "1");
        assert_eq!(j(Datum::Float8(f64::NAN), type_oid::FLOAT8), "\"NaN\"");
        assert_eq!(j(Datum::Text("a\"b".into()), type_oid::TEXT), "\"a\\\"b\"");
        assert_eq!(j(Datum::Bool(true), type_oid::BOOL), "true");
        assert_eq!(j(Datum::Oid(1), type_oid::OID), "\"1\"");
        assert_eq!(j(Datum::Null, type_oid::INT4), "null");
        assert_eq!(
            j(Datum::Text("{\"x\": 1}".into()), type_oid::JSON),
            "{\"x\": 1}"
        );
        let arr = Array::new(
            type_oid::INT4,
            vec![
                tusk_types::adt::array::ArrayDim { len: 2, lower: 1 },
                tusk_types::adt::array::ArrayDim { len: 2, lower: 1 },
            ],
            vec![
                Datum::Int4(1),
                Datum::Int4(2),
                Datum::Int4(3),
                Datum::Int4(4),
            ],
        )
        .expect("array");
        assert_eq!(
            j(Datum::Array(Box::new(arr.clone())), type_oid::INT4_ARRAY),
            "[[1,2],[3,4]]"
        );
        let mut pretty = String::new();
        array_to_json(&arr, &s, true, &mut pretty).expect("converts");
        assert_eq!(pretty, "[[1,2],\n [3,4]]");
        // 2020-01-02 03:04:05.6 as µs since 2000-01-01.
        let ts = (7306 * 86_400 + 3 * 3600 + 4 * 60 + 5) * 1_000_000 + 600_000;
        assert_eq!(
            j(Datum::Timestamp(ts), type_oid::TIMESTAMP),
            "\"2020-01-02T03:04:05.6\""
        );
        assert_eq!(
            j(Datum::TimestampTz(ts), type_oid::TIMESTAMPTZ),
            "\"2020-01-02T03:04:05.6+00:00\""
        );
        assert_eq!(j(Datum::Date(7306), type_oid::DATE), "\"2020-01-02\"");
    }

    #[test]
    fn object_arrays_are_checked() {
        let arr = |items: &[Option<&str>]| {
            Datum::Array(Box::new(Array::from_elements(
                type_oid::TEXT,
                items
                    .iter()
                    .map(|i| i.map_or(Datum::Null, |s| Datum::Text(s.into())))
                    .collect(),
            )))
        };
        assert_eq!(
            object_pairs(&[arr(&[Some("a"), Some("b"), Some("c")])])
                .expect_err("odd")
                .message,
            "array must have even number of elements"
        );
        assert_eq!(
            object_pairs(&[arr(&[None, Some("a")])])
                .expect_err("null key")
                .code,
            SqlState::NULL_VALUE_NOT_ALLOWED
        );
        assert_eq!(
            object_pairs(&[arr(&[Some("a"), None])]).expect("ok"),
            vec![("a".to_string(), None)]
        );
    }
}
