//! Integers, booleans and floats against PostgreSQL 15.

use super::*;
use crate::adt::{bool as pgbool, float, int};

fn float_inputs(rng: &mut XorShift) -> Vec<String> {
    let mut v: Vec<String> = [
        "0",
        "-0",
        "0.1",
        "1e100",
        "1.5e-7",
        "1e15",
        "1e14",
        "123456789012345678",
        "0.0001",
        "0.00001",
        "5e-324",
        "1.7976931348623157e308",
        "1e308",
        "3.4e38",
        "3.5e38",
        "1e-45",
        "1e-46",
        "NaN",
        "Infinity",
        "-inf",
        "1e400",
        "-1e-400",
        "0x1p-1074",
        "0x1.fp3",
        "0x",
        " 12 ",
        "1e",
        "abc",
        "",
        "nan(x)",
        "123456",
        "1234567",
        "999999.5",
        "0.000123456789",
        "100",
        "1e6",
        "1e5",
        "2.5",
        "1.25",
        "1e-5",
        "12345678901234567",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..400 {
        let bits = rng.next_u64();
        let f = f64::from_bits(bits);
        if f.is_finite() {
            v.push(format!("{f:e}"));
        }
        let mantissa = rng.below(1_000_000_000_000);
        let exponent = rng.below(60) as i32 - 30;
        v.push(format!("{mantissa}e{exponent}"));
        v.push(format!("{}", rng.below(100_000) as f64 / 64.0));
    }
    v
}

#[test]
fn float8_and_float4_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let mut rng = XorShift(0x5eed_f10a);
    let inputs = float_inputs(&mut rng);
    for efd in [1, 0, -3, 3] {
        for (type_name, is_float8) in [("float8", true), ("float4", false)] {
            let exprs: Vec<String> = inputs
                .iter()
                .map(|s| format!("{}::{type_name}", quote_literal(s)))
                .collect();
            let pg = pg_eval(&url, &format!("SET extra_float_digits = {efd}"), &exprs);
            let ours: Vec<String> = inputs
                .iter()
                .map(|s| {
                    ours(if is_float8 {
                        float::float8_in(s).map(|v| float::float8_out(v, efd))
                    } else {
                        float::float4_in(s).map(|v| float::float4_out(v, efd))
                    })
                })
                .collect();
            assert_same(&exprs, &pg, &ours);
        }
    }
}

#[test]
fn float8_arithmetic_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let values = [
        "0",
        "-0",
        "1",
        "-1.5",
        "1e200",
        "1e-200",
        "1e308",
        "5e-324",
        "NaN",
        "Infinity",
        "-Infinity",
        "3",
    ];
    let mut exprs = Vec::new();
    let mut ours_out = Vec::new();
    for a in values {
        for b in values {
            for (op, f) in [
                ("+", float::float8_add as fn(f64, f64) -> Result<f64>),
                ("-", float::float8_sub),
                ("*", float::float8_mul),
                ("/", float::float8_div),
            ] {
                exprs.push(format!("'{a}'::float8 {op} '{b}'::float8"));
                let x = float::float8_in(a).expect("valid");
                let y = float::float8_in(b).expect("valid");
                ours_out.push(ours(f(x, y).map(|r| float::float8_out(r, 1))));
            }
        }
    }
    let pg = pg_eval(&url, "SET extra_float_digits = 1", &exprs);
    assert_same(&exprs, &pg, &ours_out);
}

#[test]
fn integers_and_booleans_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let inputs = [
        "0",
        "-0",
        "+1",
        " 42 ",
        "\t7\n",
        "32767",
        "32768",
        "-32768",
        "-32769",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "99999999999x",
        "2147483648x",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "1_000",
        "0x10",
        "1.0",
        "",
        " ",
        "-",
        "abc",
        "t",
        "f",
        "yes",
        "no",
        "of",
        "on",
        "o",
        "TRUE",
        "1",
        "truex",
        "nope",
    ];
    let mut exprs = Vec::new();
    let mut ours_out = Vec::new();
    for s in inputs {
        let lit = quote_literal(s);
        exprs.push(format!("{lit}::int2"));
        ours_out.push(ours(int::int2_in(s).map(int::int2_out)));
        exprs.push(format!("{lit}::int4"));
        ours_out.push(ours(int::int4_in(s).map(int::int4_out)));
        exprs.push(format!("{lit}::int8"));
        ours_out.push(ours(int::int8_in(s).map(int::int8_out)));
        exprs.push(format!("{lit}::bool"));
        ours_out.push(ours(pgbool::bool_in(s).map(|b| {
            // `bool::text` prints true/false; compare the parsed value instead.
            if b { "true" } else { "false" }.to_string()
        })));
    }
    let pg = pg_eval(&url, "SET extra_float_digits = 1", &exprs);
    assert_same(&exprs, &pg, &ours_out);
}
