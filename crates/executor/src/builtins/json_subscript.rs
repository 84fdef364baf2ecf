//! Subscripted assignment to `jsonb` (`UPDATE t SET j['a'][0] = '1'`, PostgreSQL 14+'s
//! `jsonb_subscript_assign`, which is `setPath` creating what is missing, filling gaps
//! and keeping positions).
//!
//! Rules:
//! 1. A NULL value starts as `[]` when the first subscript was an integer, else `{}`;
//!    a NULL source is stored as JSON `null`.
//! 2. An object member named by the path is replaced or descended into; a missing one is
//!    added, with the rest of the path built below it: an integer element makes an
//!    array padded with that many nulls, any other an object.
//! 3. An array element is chosen by an integer (negative counts from the end); past the
//!    end the array is padded with nulls. A negative index before the start is 22023
//!    `path element at position N is out of range: I`, a non-integer 22P02.
//! 4. Reaching a scalar where the path goes on is 22023 `cannot replace existing key`.
//!
//! Entry point: [`jsonb_assign`].

use tusk_types::adt::json::JsonValue;
use tusk_types::{pg_err, Error, Result};

/// `container` (`None`: NULL) with `value` stored at `path` (see the module rules);
/// `expect_array` tells what a NULL container starts as.
///
/// Errors: as the module rules.
pub(crate) fn jsonb_assign(
    container: Option<JsonValue>,
    path: &[String],
    value: JsonValue,
    expect_array: bool,
) -> Result<JsonValue> {
    let container = container.unwrap_or(if expect_array {
        JsonValue::Array(Vec::new())
    } else {
        JsonValue::Object(Vec::new())
    });
    if path.is_empty() {
        return Ok(container);
    }
    set(container, path, 0, value)
}

fn scalar_in_path() -> Error {
    pg_err!(INVALID_PARAMETER_VALUE, "cannot replace existing key")
        .detail("The path assumes key is a composite object, but it is a scalar value.")
}

/// PostgreSQL's `strtol` reading of a path element: optional sign and digits only.
fn integer(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok().filter(|v| i32::try_from(*v).is_ok())
}

fn set(v: JsonValue, path: &[String], level: usize, value: JsonValue) -> Result<JsonValue> {
    let last = level + 1 == path.len();
    let key = &path[level];
    match v {
        JsonValue::Object(mut pairs) => {
            match pairs.iter().position(|(k, _)| k == key) {
                Some(i) if last => pairs[i].1 = value,
                Some(i) => {
                    let inner = std::mem::replace(&mut pairs[i].1, JsonValue::Null);
                    pairs[i].1 = set(inner, path, level + 1, value)?;
                }
                None => {
                    let member = build(&path[level + 1..], value);
                    pairs.push((key.clone(), member));
                    return Ok(JsonValue::object(pairs));
                }
            }
            Ok(JsonValue::Object(pairs))
        }
        JsonValue::Array(mut items) => {
            let Some(index) = integer(key) else {
                return Err(pg_err!(
                    INVALID_TEXT_REPRESENTATION,
                    "path element at position {} is not an integer: \"{}\"",
                    level + 1,
                    key
                ));
            };
            let len = items.len() as i64;
            let index = if index < 0 {
                if -index > len {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "path element at position {} is out of range: {}",
                        level + 1,
                        index
                    ));
                }
                len + index
            } else {
                index
            };
            if index < len {
                let i = index as usize;
                if last {
                    items[i] = value;
                } else {
                    let inner = std::mem::replace(&mut items[i], JsonValue::Null);
                    items[i] = set(inner, path, level + 1, value)?;
                }
            } else {
                items.resize(index as usize, JsonValue::Null);
                items.push(build(&path[level + 1..], value));
            }
            Ok(JsonValue::Array(items))
        }
        _ => Err(scalar_in_path()),
    }
}

/// What a missing member becomes: `rest` of the path built around `value` (rule 2).
fn build(rest: &[String], value: JsonValue) -> JsonValue {
    let Some((first, more)) = rest.split_first() else {
        return value;
    };
    let inner = build(more, value);
    match integer(first) {
        Some(n) => {
            let mut items = vec![JsonValue::Null; n.max(0) as usize];
            items.push(inner);
            JsonValue::Array(items)
        }
        None => JsonValue::Object(vec![(first.clone(), inner)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> JsonValue {
        JsonValue::parse_jsonb(text).expect("valid jsonb")
    }

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn missing_members_are_built_with_padded_arrays() {
        let out = jsonb_assign(
            Some(j(r#"{"a": 1}"#)),
            &path(&["x", "3"]),
            j(r#""q""#),
            false,
        )
        .expect("assigned");
        assert_eq!(out, j(r#"{"a": 1, "x": [null, null, null, "q"]}"#));
    }

    #[test]
    fn null_container_starts_as_array_or_object() {
        let out = jsonb_assign(None, &path(&["1"]), j("3"), true).expect("assigned");
        assert_eq!(out, j("[null, 3]"));
        let out = jsonb_assign(None, &path(&["a"]), j("1"), false).expect("assigned");
        assert_eq!(out, j(r#"{"a": 1}"#));
    }

    #[test]
    fn scalars_and_bad_indexes_are_refused() {
        let err = jsonb_assign(Some(j(r#"{"a": 1}"#)), &path(&["a", "b"]), j("2"), false)
            .expect_err("scalar");
        assert_eq!(err.message, "cannot replace existing key");
        let err = jsonb_assign(Some(j("[1]")), &path(&["-5"]), j("2"), false).expect_err("range");
        assert_eq!(
            err.message,
            "path element at position 1 is out of range: -5"
        );
        let err = jsonb_assign(Some(j("[1]")), &path(&["a"]), j("2"), false).expect_err("int");
        assert_eq!(
            err.message,
            "path element at position 1 is not an integer: \"a\""
        );
    }

    #[test]
    fn negative_index_counts_from_the_end() {
        let out =
            jsonb_assign(Some(j("[1, 2, 3]")), &path(&["-1"]), j("9"), false).expect("assigned");
        assert_eq!(out, j("[1, 2, 9]"));
    }
}
