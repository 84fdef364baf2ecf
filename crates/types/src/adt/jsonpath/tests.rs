use super::*;

fn no_regex(_: &str, _: RegexFlags) -> Result<()> {
    Ok(())
}

fn canonical(text: &str) -> String {
    parse(text, &no_regex)
        .unwrap_or_else(|e| panic!("{text}: {e:?}"))
        .to_string()
}

fn error(text: &str) -> (String, String) {
    let e = parse(text, &no_regex).expect_err(text);
    (e.code.code().to_string(), e.message.clone())
}

#[test]
fn prints_postgres_canonical_form() {
    for (input, output) in [
        ("$", "$"),
        ("strict $", "strict $"),
        ("lax $", "$"),
        ("$.a.v", "$.\"a\".\"v\""),
        ("$.*[*]", "$.*[*]"),
        ("$.a.**{2 to 2}.b", "$.\"a\".**{2}.\"b\""),
        ("$.a.**{last to 5}.b", "$.\"a\".**{last to 5}.\"b\""),
        ("$--+1", "($ - -1)"),
        ("$.a/+-1", "($.\"a\" / -1)"),
        ("1 * 2 + 4 % -3 != false", "(1 * 2 + 4 % -3 != false)"),
        (
            "$.g ? (+@.x >= +-(+@.a + 2))",
            "$.\"g\"?(+@.\"x\" >= +(-(+@.\"a\" + 2)))",
        ),
        (
            "$.a[$a + 1, ($b[*]) to -($[0] * 2)]",
            "$.\"a\"[$\"a\" + 1,$\"b\"[*] to -($[0] * 2)]",
        ),
        ("1.2.e3", "(1.2).\"e3\""),
        ("1..e", "(1).\"e\""),
        ("0.000e1", "0.00"),
        (
            "$ ? (@ like_regex \"p\" flag \"smixq\")",
            "$?(@ like_regex \"p\" flag \"ismxq\")",
        ),
        (
            "((($ + 1)).a + ((2)).b ? ((((@ > 1)) || (exists(@.c)))))",
            "(($ + 1).\"a\" + (2).\"b\"?(@ > 1 || exists (@.\"c\")))",
        ),
        (
            "$.g ? ((@.x >= 123 || @.a == 4) is unknown)",
            "$.\"g\"?((@.\"x\" >= 123 || @.\"a\" == 4) is unknown)",
        ),
        (
            "\"\\b\\f\\r\\n\\t\\v\\\"'\\\\\"",
            "\"\\b\\f\\r\\n\\t\\u000b\\\"'\\\\\"",
        ),
        (
            "$.foo\\x50\\u0067\\u{53}\\t\\\"bar",
            "$.\"fooPgS\\t\\\"bar\"",
        ),
        ("$.aBs()", "$.abs()"),
        ("$.datetime(\"HH24\")", "$.datetime(\"HH24\")"),
    ] {
        let printed = canonical(input);
        assert_eq!(printed, output, "{input}");
        assert_eq!(canonical(&printed), output, "round trip of {input}");
    }
}

#[test]
fn reports_postgres_errors() {
    assert_eq!(
        error("1.type()"),
        (
            "42601".into(),
            "trailing junk after numeric literal at or near \"1.t\" of jsonpath input".into()
        )
    );
    assert_eq!(
        error("00").1,
        "trailing junk after numeric literal at or near \"00\" of jsonpath input"
    );
    assert_eq!(error("last").1, "LAST is allowed only in array subscripts");
    assert_eq!(error("@ + 1").1, "@ is not allowed in root expressions");
    assert_eq!(
        error("$ ? (@ > 1").1,
        "syntax error at end of jsonpath input"
    );
    assert_eq!(
        error("1 1").1,
        "syntax error at or near \"1\" of jsonpath input"
    );
    assert_eq!(
        error("$ ? (@.a)").1,
        "syntax error at or near \")\" of jsonpath input"
    );
    assert_eq!(
        error("$ == 1 == 2").1,
        "syntax error at or near \"==\" of jsonpath input"
    );
    assert_eq!(
        error("1e-").1,
        "invalid numeric literal at or near \"1e-\" of jsonpath input"
    );
    assert_eq!(error("").0, "22P02");
    assert_eq!(error("\"\\uD83D\"").0, "22P02");
}

#[test]
fn binary_form_is_version_and_text() {
    let bytes = send("$.\"a\"");
    assert_eq!(bytes[0], 1);
    assert_eq!(
        recv(&bytes, &no_regex).expect("recv").to_string(),
        "$.\"a\""
    );
}
