//! Array literals (`array_in`/`array_out` over `text[]`) against PostgreSQL 15: fixed
//! cases, random well-formed literals and random mutations of them, so the brace-structure
//! checks, the dimension counting and the quoting all meet PostgreSQL's answers.

use super::*;
use crate::adt::array::text::{format_array, parse_array_literal};
use crate::adt::array::Array;
use crate::{Datum, Oid};

fn ours_text_array(literal: &str) -> Result<String> {
    let parsed = parse_array_literal(literal, b',')?;
    let elems = parsed
        .items
        .into_iter()
        .map(|i| i.map_or(Datum::Null, Datum::Text))
        .collect();
    let array = Array::new(Oid(25), parsed.dims, elems)?;
    format_array(&array, b',', |d| match d {
        Datum::Text(s) => Ok(s.clone()),
        other => Ok(format!("{other:?}")),
    })
}

const ELEMENTS: &[&str] = &[
    "a",
    "1",
    "NULL",
    "null",
    "\"NULL\"",
    "\"\"",
    "\"a b\"",
    " x ",
    "\\\"",
    "\\\\",
    "\"{\"",
    "\"}\"",
    "a\\ ",
    "\"\\\"q\\\"\"",
    "é",
    "\"1,2\"",
    "  y  z ",
];

fn literal(rng: &mut XorShift, depth: u32, shape: &[u64]) -> String {
    if depth as usize == shape.len() {
        return ELEMENTS[rng.below(ELEMENTS.len() as u64) as usize].to_string();
    }
    let n = shape[depth as usize];
    let parts: Vec<String> = (0..n).map(|_| literal(rng, depth + 1, shape)).collect();
    let space = if rng.below(4) == 0 { " " } else { "" };
    format!("{space}{{{}}}{space}", parts.join(","))
}

fn inputs(rng: &mut XorShift) -> Vec<String> {
    let mut v: Vec<String> = [
        "{}",
        "{ }",
        "{{}}",
        "{{},{}}",
        "{1,}",
        "{,1}",
        "{1,,2}",
        "{}}",
        "{ }}",
        "{1,2",
        "{{1,{2}},{2,3}}",
        "{{1},{2,3}}",
        "{{1},{{2}}}",
        "{{{1}},{2}}",
        "[1:2]={1,2}",
        "[0:1]={a,b}",
        "[1:2]={1}",
        "[1:2]{1,2}",
        "[a]={1}",
        "[1:]={1}",
        "[1:2={1}",
        "1",
        "[2:1]={1}",
        "[-2:+3]={1,2,3,4,5,6}",
        "[0:1][1:2]={{1,2},{3,4}}",
        "{\"a\"b}",
        "{a\"b\"}",
        "{{{{{{{1}}}}}}}",
        "[1][1][1][1][1][1][1]={1}",
        "{\\}",
        "{\"}",
        "",
        "  {a}  ",
        "{a} x",
        "{{\"1 2\" x},{3}}",
        "[1:1]=  {a}",
        "[1:1]= a",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..1000 {
        let ndim = 1 + rng.below(3) as usize;
        let shape: Vec<u64> = (0..ndim).map(|_| 1 + rng.below(3)).collect();
        let mut s = literal(rng, 0, &shape);
        if rng.below(3) == 0 {
            let lower = rng.below(5) as i64 - 2;
            let dims: String = shape
                .iter()
                .map(|n| format!("[{}:{}]", lower, lower + *n as i64 - 1))
                .collect();
            s = format!("{dims}={s}");
        }
        if rng.below(2) == 0 {
            // Mutate: insert, delete or replace one byte with a structural character.
            let bytes: Vec<char> = s.chars().collect();
            let at = rng.below(bytes.len() as u64 + 1) as usize;
            let c =
                ['{', '}', ',', '"', '\\', ' ', 'x', '[', ']', ':', '='][rng.below(11) as usize];
            let mut out: Vec<char> = bytes.clone();
            match rng.below(3) {
                0 => out.insert(at, c),
                1 if at < out.len() => {
                    out.remove(at);
                }
                _ if at < out.len() => out[at] = c,
                _ => out.push(c),
            }
            s = out.into_iter().collect();
        }
        v.push(s);
    }
    v
}

#[test]
fn text_array_literals_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let mut rng = XorShift(0x00a1_7a9e_5eed_0001);
    let inputs = inputs(&mut rng);
    let exprs: Vec<String> = inputs
        .iter()
        .map(|s| format!("{}::text[]", quote_literal(s)))
        .collect();
    let pg = pg_eval(&url, "SET client_min_messages = warning", &exprs);
    let ours: Vec<String> = inputs.iter().map(|s| ours(ours_text_array(s))).collect();
    assert_same(&inputs, &pg, &ours);
}
