//! Range model tests; expected behaviour taken from PostgreSQL 15 (`rangetypes.out`).

use super::ops::*;
use super::*;
use crate::Datum;

fn int4(lower: Option<i32>, upper: Option<i32>, bounds: &str) -> Range {
    let b = bounds.as_bytes();
    make_range(
        RangeBound::lower(lower.map(Datum::Int4), b[0] == b'['),
        RangeBound::upper(upper.map(Datum::Int4), b[1] == b']'),
    )
    .expect("valid range")
}

fn num(lower: f64, upper: f64, bounds: &str) -> Range {
    let n = |v: f64| {
        Datum::Numeric(crate::adt::numeric::Numeric::parse(&v.to_string()).expect("numeric"))
    };
    let b = bounds.as_bytes();
    make_range(
        RangeBound::lower(Some(n(lower)), b[0] == b'['),
        RangeBound::upper(Some(n(upper)), b[1] == b']'),
    )
    .expect("valid range")
}

#[test]
fn discrete_ranges_are_canonical() {
    assert_eq!(int4(Some(1), Some(5), "[]"), int4(Some(1), Some(6), "[)"));
    assert_eq!(int4(Some(0), Some(5), "(]"), int4(Some(1), Some(6), "[)"));
    assert_eq!(int4(Some(1), Some(2), "()"), Range::Empty);
    assert_eq!(int4(Some(3), Some(3), "[)"), Range::Empty);
    assert_eq!(int4(Some(3), Some(3), "[]"), int4(Some(3), Some(4), "[)"));
    // Infinite bounds are exclusive.
    assert_eq!(int4(None, Some(5), "[]").flags(), RANGE_LB_INF);
}

#[test]
fn lower_above_upper_is_22000_and_overflow_is_22003() {
    let err = make_range(
        RangeBound::lower(Some(Datum::Int4(5)), true),
        RangeBound::upper(Some(Datum::Int4(1)), true),
    )
    .expect_err("inverted");
    assert_eq!(err.code.code(), "22000");
    assert_eq!(
        err.message,
        "range lower bound must be less than or equal to range upper bound"
    );
    let err = make_range(
        RangeBound::lower(Some(Datum::Int4(1)), true),
        RangeBound::upper(Some(Datum::Int4(i32::MAX)), true),
    )
    .expect_err("overflow");
    assert_eq!(err.code.code(), "22003");
}

#[test]
fn continuous_ranges_keep_their_bounds() {
    let r = num(1.0, 2.0, "(]");
    assert_eq!(r.flags(), RANGE_UB_INC);
    assert_eq!(num(1.5, 1.5, "[)"), Range::Empty);
}

#[test]
fn btree_order_puts_empty_first_then_lower_then_upper() {
    let empty = Range::Empty;
    let a = int4(Some(1), Some(5), "[)");
    let b = int4(Some(1), Some(7), "[)");
    let c = int4(None, Some(0), "()");
    assert_eq!(empty.range_cmp(&c), Ordering::Less);
    assert_eq!(c.range_cmp(&a), Ordering::Less);
    assert_eq!(a.range_cmp(&b), Ordering::Less);
    assert_eq!(a.range_cmp(&a.clone()), Ordering::Equal);
    // (1,2] sorts after [1,2] for a continuous subtype.
    assert_eq!(
        num(1.0, 2.0, "(]").range_cmp(&num(1.0, 2.0, "[]")),
        Ordering::Greater
    );
}

#[test]
fn containment_overlap_and_position() {
    let r = int4(Some(1), Some(10), "[)");
    assert!(contains_element(&r, &Datum::Int4(1)));
    assert!(!contains_element(&r, &Datum::Int4(10)));
    assert!(!contains_element(&Range::Empty, &Datum::Int4(1)));
    assert!(contains(&r, &int4(Some(2), Some(5), "[)")));
    assert!(contains(&r, &Range::Empty));
    assert!(!contains(&Range::Empty, &r));
    assert!(overlaps(&r, &int4(Some(9), None, "[)")));
    assert!(!overlaps(&r, &int4(Some(10), None, "[)")));
    assert!(before(&r, &int4(Some(10), Some(20), "[)")));
    assert!(after(&int4(Some(10), Some(20), "[)"), &r));
    assert!(over_left(&r, &int4(Some(0), Some(10), "[)")));
    assert!(over_right(&r, &int4(Some(0), Some(10), "[)")));
    assert!(adjacent(&r, &int4(Some(10), Some(20), "[)")));
    assert!(!adjacent(&r, &int4(Some(11), Some(20), "[)")));
    assert!(adjacent(&num(1.0, 2.0, "[)"), &num(2.0, 3.0, "[]")));
    assert!(!adjacent(&num(1.0, 2.0, "[]"), &num(2.0, 3.0, "[]")));
}

#[test]
fn union_intersection_and_difference() {
    let a = int4(Some(1), Some(5), "[)");
    let b = int4(Some(3), Some(8), "[)");
    assert_eq!(union(&a, &b).expect("union"), int4(Some(1), Some(8), "[)"));
    assert_eq!(
        intersect(&a, &b).expect("intersect"),
        int4(Some(3), Some(5), "[)")
    );
    assert_eq!(minus(&a, &b).expect("minus"), int4(Some(1), Some(3), "[)"));
    assert_eq!(minus(&b, &a).expect("minus"), int4(Some(5), Some(8), "[)"));
    assert_eq!(minus(&a, &a).expect("minus"), Range::Empty);
    let far = int4(Some(20), Some(30), "[)");
    let err = union(&a, &far).expect_err("gap");
    assert_eq!(err.message, "result of range union would not be contiguous");
    assert_eq!(
        merge(&a, &far).expect("merge"),
        int4(Some(1), Some(30), "[)")
    );
    let err = minus(
        &int4(Some(1), Some(10), "[)"),
        &int4(Some(3), Some(5), "[)"),
    )
    .expect_err("split");
    assert_eq!(
        err.message,
        "result of range difference would not be contiguous"
    );
    assert_eq!(intersect(&a, &far).expect("intersect"), Range::Empty);
}

#[test]
fn text_form_parses_like_range_parse() {
    assert_eq!(parse_range("  EMPTY ").expect("empty"), RangeText::Empty);
    assert_eq!(
        parse_range(r#"[ "a,b" , c\]d )"#).expect("quoted"),
        RangeText::Bounds {
            lower: Some(" a,b ".into()),
            upper: Some(" c]d ".into()),
            lower_inclusive: true,
            upper_inclusive: false,
        }
    );
    assert_eq!(
        parse_range("(,)").expect("infinite"),
        RangeText::Bounds {
            lower: None,
            upper: None,
            lower_inclusive: false,
            upper_inclusive: false,
        }
    );
    let detail = |s: &str| parse_range(s).expect_err(s).detail;
    assert_eq!(
        detail("1,2)").as_deref(),
        Some("Missing left parenthesis or bracket.")
    );
    assert_eq!(
        detail("(1)").as_deref(),
        Some("Missing comma after lower bound.")
    );
    assert_eq!(detail("(1,2,3)").as_deref(), Some("Too many commas."));
    assert_eq!(
        detail("(1,2)x").as_deref(),
        Some("Junk after right parenthesis or bracket.")
    );
    assert_eq!(
        detail("empty x").as_deref(),
        Some("Junk after \"empty\" key word.")
    );
    assert_eq!(
        detail("(1,\"2").as_deref(),
        Some("Unexpected end of input.")
    );
    let err = parse_range("(1)").expect_err("bad");
    assert_eq!(err.code.code(), "22P02");
    assert_eq!(err.message, "malformed range literal: \"(1)\"");
}

#[test]
fn bounds_are_quoted_when_needed() {
    assert_eq!(quote_bound("12"), "12");
    assert_eq!(quote_bound(""), "\"\"");
    assert_eq!(
        quote_bound("2000-01-01 00:00:00"),
        "\"2000-01-01 00:00:00\""
    );
    assert_eq!(quote_bound(r#"a"b\c"#), r#""a""b\\c""#);
}

#[test]
fn date_canonicalisation_leaves_infinity_alone() {
    let r = make_range(
        RangeBound::lower(Some(Datum::Date(0)), false),
        RangeBound::upper(Some(Datum::Date(i32::MAX)), true),
    )
    .expect("range");
    let (l, u) = r.bounds().expect("bounds");
    assert_eq!(l.value, Some(Datum::Date(1)));
    assert!(l.inclusive);
    assert_eq!(u.value, Some(Datum::Date(i32::MAX)));
    assert!(u.inclusive);
}
