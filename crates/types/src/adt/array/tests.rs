use super::text::{format_array, parse_array_literal, ParsedArray};
use super::*;

fn dims(spec: &[(i32, i32)]) -> Vec<ArrayDim> {
    spec.iter()
        .map(|(lower, len)| ArrayDim {
            len: *len,
            lower: *lower,
        })
        .collect()
}

fn parse(s: &str) -> ParsedArray {
    parse_array_literal(s, b',').expect("valid array literal")
}

fn detail(s: &str) -> String {
    let e = parse_array_literal(s, b',').expect_err("malformed literal");
    assert_eq!(e.message, format!("malformed array literal: \"{s}\""));
    e.detail.expect("detail")
}

fn strings(p: &ParsedArray) -> Vec<Option<&str>> {
    p.items.iter().map(|i| i.as_deref()).collect()
}

#[test]
fn parses_one_and_many_dimensions() {
    let p = parse("{1,2,3}");
    assert_eq!(p.dims, dims(&[(1, 3)]));
    assert_eq!(strings(&p), [Some("1"), Some("2"), Some("3")]);
    let p = parse("{{{1,2,3,4},{2,3,4,5}},{{3,4,5,6},{4,5,6,7}}}");
    assert_eq!(p.dims, dims(&[(1, 2), (1, 2), (1, 4)]));
    assert_eq!(p.items.len(), 16);
    let p = parse("[0:1]={1.1,2.2}");
    assert_eq!(p.dims, dims(&[(0, 2)]));
    let p = parse("[-2:+3]={1,2,3,4,5,6}");
    assert_eq!(p.dims, dims(&[(-2, 6)]));
}

#[test]
fn quoting_escapes_whitespace_and_nulls() {
    let p = parse(r#"{ab\"c, "x y", NULL, "NULL", null, "",  a b  ,\ a\ }"#);
    assert_eq!(
        strings(&p),
        [
            Some("ab\"c"),
            Some("x y"),
            None,
            Some("NULL"),
            None,
            Some(""),
            Some("a b"),
            Some(" a ")
        ]
    );
    let p = parse(r#"  {   {  "  0 second  "   ,  0 second  }   }"#);
    assert_eq!(strings(&p), [Some("  0 second  "), Some("0 second")]);
    let p = parse(r#"{ { "," } , { 3 } }"#);
    assert_eq!(strings(&p), [Some(","), Some("3")]);
}

#[test]
fn empty_arrays() {
    for s in ["{}", "{ }", "  {}  "] {
        assert_eq!(parse(s).dims, Vec::new());
    }
}

#[test]
fn malformed_literals_give_postgres_details() {
    assert_eq!(detail("{{1,{2}},{2,3}}"), "Unexpected \"{\" character.");
    assert_eq!(detail("{{},{}}"), "Unexpected \"}\" character.");
    assert_eq!(detail(r"{{1,2},\{2,3}}"), "Unexpected \"\\\" character.");
    assert_eq!(detail(r#"{{"1 2" x},{3}}"#), "Unexpected array element.");
    assert_eq!(detail("{}}"), "Junk after closing right brace.");
    assert_eq!(detail("{ }}"), "Junk after closing right brace.");
    assert_eq!(
        detail("{{1},{2,3}}"),
        "Multidimensional arrays must have sub-arrays with matching dimensions."
    );
    assert_eq!(
        detail("[1:2]={1}"),
        "Specified array dimensions do not match array contents."
    );
    assert_eq!(
        detail("[1:2]{1,2}"),
        "Missing \"=\" after array dimensions."
    );
    assert_eq!(
        detail("[a]={1}"),
        "\"[\" must introduce explicitly-specified array dimensions."
    );
    assert_eq!(detail("[1:]={1}"), "Missing array dimension value.");
    assert_eq!(detail("[1:2={1}"), "Missing \"]\" after array dimensions.");
    assert_eq!(
        detail("1"),
        "Array value must start with \"{\" or dimension information."
    );
    assert_eq!(detail("{1,2"), "Unexpected end of input.");
    assert_eq!(detail(r#"{"a"b}"#), "Unexpected array element.");
    assert_eq!(detail(r#"{a"b"}"#), "Unexpected array element.");
    assert_eq!(
        detail("[0:1]={}"),
        "Specified array dimensions do not match array contents."
    );
    assert_eq!(detail("{{}}"), "Unexpected \"}\" character.");
    assert_eq!(detail("{1,}"), "Unexpected \"}\" character.");
    assert_eq!(detail("{,1}"), "Unexpected \",\" character.");
    let e = parse_array_literal("[2:1]={1}", b',').expect_err("bounds");
    assert_eq!(e.message, "upper bound cannot be less than lower bound");
    assert_eq!(e.code, crate::SqlState::ARRAY_SUBSCRIPT_ERROR);
    let e = parse_array_literal("{{{{{{{1}}}}}}}", b',').expect_err("too deep");
    assert_eq!(
        e.message,
        "number of array dimensions (7) exceeds the maximum allowed (6)"
    );
}

#[test]
fn postgres_15_counts_uneven_nesting_its_own_way() {
    // PostgreSQL 15 accepts these and gives {{{1}},{{2}}} and {} respectively.
    let p = parse("{{1},{{2}}}");
    assert_eq!(p.dims, dims(&[(1, 2), (1, 1), (1, 1)]));
    assert_eq!(strings(&p), [Some("1"), Some("2")]);
    assert!(parse("{{{1}},{2}}").dims.is_empty());
}

fn text_array(items: &[Option<&str>], shape: &[(i32, i32)]) -> Array {
    Array::new(
        Oid(25),
        dims(shape),
        items
            .iter()
            .map(|i| i.map_or(Datum::Null, |s| Datum::Text(s.to_string())))
            .collect(),
    )
    .expect("shape matches")
}

fn out(a: &Array) -> String {
    format_array(a, b',', |d| match d {
        Datum::Text(s) => Ok(s.clone()),
        other => Ok(format!("{other:?}")),
    })
    .expect("output")
}

#[test]
fn output_quotes_like_postgres() {
    let a = text_array(
        &[
            Some("a b"),
            Some("{"),
            Some("\""),
            Some("\\"),
            Some(""),
            None,
            Some("null"),
        ],
        &[(1, 7)],
    );
    assert_eq!(out(&a), r#"{"a b","{","\"","\\","",NULL,"null"}"#);
    let a = text_array(
        &[Some("1"), Some("2"), Some("3"), Some("4")],
        &[(1, 2), (1, 2)],
    );
    assert_eq!(out(&a), "{{1,2},{3,4}}");
    let a = text_array(
        &[Some("1"), Some("2"), Some("3"), Some("4")],
        &[(0, 2), (1, 2)],
    );
    assert_eq!(out(&a), "[0:1][1:2]={{1,2},{3,4}}");
    assert_eq!(out(&Array::empty(Oid(25))), "{}");
    let a = text_array(&[Some("1"), Some("2")], &[(1, 1), (1, 1), (1, 2)]);
    assert_eq!(out(&a), "{{{1,2}}}");
}

fn ints(v: &[i32], shape: &[(i32, i32)]) -> Array {
    Array::new(
        Oid(23),
        dims(shape),
        v.iter().map(|i| Datum::Int4(*i)).collect(),
    )
    .expect("shape matches")
}

#[test]
fn subscripts_and_slices() {
    let a = ints(&[1, 2, 3, 4, 5, 6, 7, 8, 9], &[(0, 3), (0, 3)]);
    assert_eq!(a.element(&[1, 2]), Some(&Datum::Int4(6)));
    assert_eq!(a.element(&[3, 0]), None);
    assert_eq!(a.element(&[1]), None);
    // ('[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}'::int[])[1:2][2] = {{5,6},{8,9}}
    let s = a.slice(&[Some(1), Some(1)], &[Some(2), Some(2)]);
    assert_eq!(s, ints(&[5, 6, 8, 9], &[(1, 2), (1, 2)]));
    let s = a.slice(&[None], &[Some(1)]);
    assert_eq!(s, ints(&[1, 2, 3, 4, 5, 6], &[(1, 2), (1, 3)]));
    assert!(a.slice(&[Some(5)], &[Some(9)]).is_empty());
    assert!(a.slice(&[None, None, None], &[None, None, None]).is_empty());
}

#[test]
fn concatenation_follows_array_cat() {
    let one = ints(&[1, 2], &[(1, 2)]);
    let two = ints(&[3, 4, 5, 6], &[(1, 2), (1, 2)]);
    assert_eq!(
        one.clone().concat(two.clone()).expect("cat"),
        ints(&[1, 2, 3, 4, 5, 6], &[(1, 3), (1, 2)])
    );
    assert_eq!(
        two.clone().concat(one.clone()).expect("cat"),
        ints(&[3, 4, 5, 6, 1, 2], &[(1, 3), (1, 2)])
    );
    let three = ints(&[1, 2, 3], &[(1, 3)]);
    let e = three.concat(two.clone()).expect_err("mismatch");
    assert_eq!(e.message, "cannot concatenate incompatible arrays");
    assert_eq!(
        e.detail.as_deref(),
        Some("Arrays with differing dimensions are not compatible for concatenation.")
    );
    let deep = ints(&[1], &[(1, 1), (1, 1), (1, 1)]);
    let e = one.clone().concat(deep).expect_err("mismatch");
    assert_eq!(
        e.detail.as_deref(),
        Some("Arrays of 1 and 3 dimensions are not compatible for concatenation.")
    );
    assert_eq!(Array::empty(Oid(23)).concat(one.clone()).expect("cat"), one);
}

#[test]
fn append_and_prepend_keep_lower_bounds() {
    let a = ints(&[1, 2], &[(0, 2)]);
    assert_eq!(
        a.clone().append(Datum::Int4(3)).expect("append"),
        ints(&[1, 2, 3], &[(0, 3)])
    );
    assert_eq!(
        a.prepend(Datum::Int4(0)).expect("prepend"),
        ints(&[0, 1, 2], &[(0, 3)])
    );
    let e = ints(&[1, 2, 3, 4], &[(1, 2), (1, 2)])
        .append(Datum::Int4(5))
        .expect_err("2-D");
    assert_eq!(e.message, "argument must be empty or one-dimensional array");
    assert_eq!(
        Array::empty(Oid(23)).append(Datum::Null).expect("append"),
        Array::from_elements(Oid(23), vec![Datum::Null])
    );
}

#[test]
fn builtin_array_types_know_their_elements() {
    assert_eq!(builtin_element_type(Oid(1007)), Some(Oid(23)));
    assert_eq!(builtin_element_type(Oid(30)), Some(Oid(26)));
    assert_eq!(builtin_element_type(Oid(23)), None);
    assert_eq!(builtin_array_type(Oid(26)), Some(Oid(1028)));
    assert_eq!(builtin_array_type(Oid(25)), Some(Oid(1009)));
}

#[test]
fn element_assignment_grows_one_dimensional_arrays() {
    let a = ints(&[1, 2], &[(1, 2)]);
    let grown = a
        .clone()
        .assign_element(&[4], Datum::Int4(4))
        .expect("assign");
    assert_eq!(
        grown.elems,
        vec![Datum::Int4(1), Datum::Int4(2), Datum::Null, Datum::Int4(4)]
    );
    let front = a.assign_element(&[-1], Datum::Int4(0)).expect("assign");
    assert_eq!(front.dims, dims(&[(-1, 4)]));
    assert_eq!(front.elems[0], Datum::Int4(0));
    let fresh = Array::empty(Oid(23))
        .assign_element(&[2, 3], Datum::Int4(9))
        .expect("assign");
    assert_eq!(fresh.dims, dims(&[(2, 1), (3, 1)]));
    let square = ints(&[1, 2, 3, 4], &[(1, 2), (1, 2)]);
    assert_eq!(
        square
            .clone()
            .assign_element(&[2, 1], Datum::Int4(7))
            .expect("assign")
            .elems,
        vec![
            Datum::Int4(1),
            Datum::Int4(2),
            Datum::Int4(7),
            Datum::Int4(4)
        ]
    );
    let e = square
        .clone()
        .assign_element(&[3, 1], Datum::Int4(7))
        .expect_err("outside");
    assert_eq!(e.message, "array subscript out of range");
    let e = square
        .assign_element(&[1], Datum::Int4(7))
        .expect_err("count");
    assert_eq!(e.message, "wrong number of array subscripts");
}
