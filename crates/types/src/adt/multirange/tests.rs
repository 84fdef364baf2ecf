//! Multirange model tests; expected behaviour taken from PostgreSQL 15
//! (`multirangetypes.out`).

use super::ops::*;
use super::text::{format_multirange, parse_multirange};
use super::*;
use crate::adt::range::make_range;
use crate::Datum;

fn int4(lower: Option<i32>, upper: Option<i32>) -> Range {
    make_range(
        RangeBound::lower(lower.map(Datum::Int4), true),
        RangeBound::upper(upper.map(Datum::Int4), false),
    )
    .expect("valid range")
}

fn mr(ranges: &[(i32, i32)]) -> Multirange {
    Multirange::new(
        ranges
            .iter()
            .map(|(l, u)| int4(Some(*l), Some(*u)))
            .collect(),
    )
    .expect("multirange")
}

/// A tiny `int4range` reader for the text tests: `[a,b)` or `empty`.
fn int4_range_in(text: &str) -> Result<Range> {
    if text.eq_ignore_ascii_case("empty") {
        return Ok(Range::Empty);
    }
    let inner = &text[1..text.len() - 1];
    let (l, u) = inner.split_once(',').expect("comma");
    let parse =
        |s: &str| (!s.trim().is_empty()).then(|| Datum::Int4(s.trim().parse().expect("int4")));
    make_range(
        RangeBound::lower(parse(l), text.starts_with('[')),
        RangeBound::upper(parse(u), text.ends_with(']')),
    )
}

fn int4_range_out(r: &Range) -> Result<String> {
    Ok(match r.bounds() {
        None => "empty".into(),
        Some((l, u)) => {
            let v = |b: &RangeBound| match &b.value {
                Some(Datum::Int4(v)) => v.to_string(),
                _ => String::new(),
            };
            let open = if l.inclusive { '[' } else { '(' };
            let close = if u.inclusive { ']' } else { ')' };
            format!("{open}{},{}{close}", v(l), v(u))
        }
    })
}

fn round_trip(text: &str) -> String {
    let value = parse_multirange(text, int4_range_in).expect("parses");
    format_multirange(&value, int4_range_out).expect("formats")
}

#[test]
fn canonical_form_sorts_merges_and_drops_empty_ranges() {
    assert_eq!(round_trip("{}"), "{}");
    assert_eq!(round_trip("  {  }  "), "{}");
    assert_eq!(round_trip("{empty}"), "{}");
    assert_eq!(
        round_trip("{[5,7), empty, [1,3), [2,4), [7,8)}"),
        "{[1,4),[5,8)}"
    );
    assert_eq!(round_trip("{[1,2), [3,4)}"), "{[1,2),[3,4)}");
    assert_eq!(round_trip("{[1,2], [3,4]}"), "{[1,5)}");
    assert_eq!(round_trip("{(,5), [3,)}"), "{(,)}");
}

#[test]
fn malformed_literals_give_postgres_details() {
    for (text, detail) in [
        ("", "Missing left brace."),
        ("{", "Unexpected end of input."),
        ("{[1,2)", "Unexpected end of input."),
        ("{[1,2),}", "Expected range start."),
        ("{,[1,2)}", "Expected range start."),
        ("{[1,2) [3,4)}", "Expected comma or end of multirange."),
        ("{[1,2)} x", "Junk after closing right brace."),
        ("{empty, }", "Expected range start."),
    ] {
        let err = parse_multirange(text, int4_range_in).expect_err(text);
        assert_eq!(err.code.code(), "22P02", "{text}");
        assert_eq!(
            err.message,
            format!("malformed multirange literal: \"{text}\"")
        );
        assert_eq!(err.detail.as_deref(), Some(detail), "{text}");
    }
}

#[test]
fn order_is_range_by_range_with_prefixes_first() {
    use std::cmp::Ordering::*;
    assert_eq!(mr(&[]).multirange_cmp(&mr(&[(1, 2)])), Less);
    assert_eq!(mr(&[(1, 2)]).multirange_cmp(&mr(&[(1, 2), (3, 4)])), Less);
    assert_eq!(
        mr(&[(1, 3)]).multirange_cmp(&mr(&[(1, 2), (3, 4)])),
        Greater
    );
    assert_eq!(
        mr(&[(1, 2), (3, 4)]).multirange_cmp(&mr(&[(1, 2), (3, 4)])),
        Equal
    );
}

#[test]
fn containment_and_overlap() {
    let a = mr(&[(1, 5), (10, 20)]);
    assert!(contains_element(&a, &Datum::Int4(12)));
    assert!(!contains_element(&a, &Datum::Int4(7)));
    assert!(contains_range(&a, &int4(Some(11), Some(15))));
    assert!(!contains_range(&a, &int4(Some(4), Some(11))));
    assert!(contains_range(&a, &Range::Empty));
    assert!(range_contains(&int4(Some(0), Some(30)), &a));
    assert!(!range_contains(&int4(Some(2), Some(30)), &a));
    assert!(contains(&a, &mr(&[(2, 3), (15, 16)])));
    assert!(!contains(&a, &mr(&[(2, 3), (25, 26)])));
    assert!(contains(&mr(&[]), &mr(&[])));
    assert!(overlaps(&a, &mr(&[(7, 8), (19, 25)])));
    assert!(!overlaps(&a, &mr(&[(7, 8), (20, 25)])));
    assert!(!overlaps_range(&mr(&[]), &int4(None, None)));
}

#[test]
fn union_difference_and_intersection() {
    let a = mr(&[(1, 5), (10, 20)]);
    assert_eq!(union(&a, &mr(&[(5, 10)])).expect("union"), mr(&[(1, 20)]));
    assert_eq!(
        minus(&a, &mr(&[(2, 3), (12, 25)])).expect("minus"),
        mr(&[(1, 2), (3, 5), (10, 12)])
    );
    assert_eq!(minus(&a, &mr(&[])).expect("minus"), a);
    assert_eq!(
        minus(&mr(&[(1, 10)]), &mr(&[(-5, 20)])).expect("minus"),
        mr(&[])
    );
    assert_eq!(
        intersect(&a, &mr(&[(0, 2), (4, 11), (19, 30)])).expect("intersect"),
        mr(&[(1, 2), (4, 5), (10, 11), (19, 20)])
    );
    let unbounded = Multirange::new(vec![int4(None, None)]).expect("multirange");
    assert_eq!(
        minus(&unbounded, &a).expect("minus"),
        Multirange::new(vec![
            int4(None, Some(1)),
            int4(Some(5), Some(10)),
            int4(Some(20), None)
        ])
        .expect("multirange")
    );
}
