use super::*;

fn text(s: &str) -> Datum {
    Datum::Text(s.to_string())
}

fn path(s: &str) -> Datum {
    text(
        &jsonpath::parse(s, &check_jsonpath_regex)
            .expect("path")
            .to_string(),
    )
}

fn query(target: &str, p: &str) -> Vec<String> {
    path_query(&TimeZone::utc(), &[text(target), path(p)], false)
        .expect("query")
        .iter()
        .map(|v| v.to_string())
        .collect()
}

fn query_err(target: &str, p: &str) -> (String, String) {
    let e = path_query(&TimeZone::utc(), &[text(target), path(p)], false).expect_err(p);
    (e.code.code().to_string(), e.message)
}

#[test]
fn accessors_follow_lax_and_strict_rules() {
    assert_eq!(query(r#"{"a": [1, 2, 3]}"#, "$.a[*] ? (@ > 1)"), ["2", "3"]);
    assert_eq!(query(r#"{"a": [1, 2, 3]}"#, "$.a[last]"), ["3"]);
    assert_eq!(query(r#"{"a": [1, 2, 3]}"#, "$.a[0 to 1]"), ["1", "2"]);
    assert_eq!(query(r#"[1, [2, [3]]]"#, "$.**{2}"), ["2", "[3]"]);
    assert_eq!(query(r#"{"a": 1}"#, "lax $.b"), Vec::<String>::new());
    assert_eq!(
        query_err(r#"{"a": 1}"#, "strict $.b"),
        (
            "2203A".into(),
            "JSON object does not contain key \"b\"".into()
        )
    );
    assert_eq!(
        query_err("[1]", "strict $[1]"),
        (
            "22033".into(),
            "jsonpath array subscript is out of bounds".into()
        )
    );
    assert_eq!(query("[1, 2]", "lax $.a"), Vec::<String>::new());
}

#[test]
fn arithmetic_and_methods_use_numeric() {
    assert_eq!(query("[1, 2]", "$[0] + $[1] * 1.50"), ["4.00"]);
    assert_eq!(query(r#"{"a": -1.5}"#, "$.a.abs().floor()"), ["1"]);
    assert_eq!(query(r#""1.5e1""#, "$.double()"), ["15"]);
    assert_eq!(query("[1, [2]]", "$.size()"), ["2"]);
    assert_eq!(
        query("[1, [2]]", "$[*].type()"),
        [r#""number""#, r#""array""#]
    );
    assert_eq!(
        query_err("[1, 2]", "$[*] + 1"),
        (
            "22038".into(),
            "left operand of jsonpath operator + is not a single numeric value".into()
        )
    );
    assert_eq!(query_err("0", "1 / $").1, "division by zero");
}

#[test]
fn keyvalue_ids_are_binary_offsets() {
    assert_eq!(
        query(
            r#"[{"a": 1, "b": [1, 2]}, {"c": {"a": "bbb"}}]"#,
            "$[*].keyvalue()"
        ),
        [
            r#"{"id": 12, "key": "a", "value": 1}"#,
            r#"{"id": 12, "key": "b", "value": [1, 2]}"#,
            r#"{"id": 72, "key": "c", "value": {"a": "bbb"}}"#
        ]
    );
}

#[test]
fn predicates_and_functions() {
    let a = |t: &str, p: &str| {
        path_exists(&TimeZone::utc(), &[text(t), path(p)], false, false).expect("exists")
    };
    assert_eq!(a("[1, 2]", "$[*] ? (@ == 2)"), Datum::Bool(true));
    let silent = path_exists(
        &TimeZone::utc(),
        &[text("[1, 2]"), path("strict $[5]")],
        true,
        false,
    )
    .expect("silent");
    assert_eq!(silent, Datum::Null);
    let m = |t: &str, p: &str| {
        path_match(&TimeZone::utc(), &[text(t), path(p)], true, false).expect("match")
    };
    assert_eq!(
        m(r#"["abc", "abd"]"#, r#"$[*] starts with "abc""#),
        Datum::Bool(true)
    );
    assert_eq!(
        m(r#""aBc""#, r#"$ like_regex "^ab" flag "i""#),
        Datum::Bool(true)
    );
    assert_eq!(m("1", "$ == \"a\""), Datum::Null);
    assert_eq!(m("[1]", "$"), Datum::Null);
}
