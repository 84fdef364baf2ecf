//! Float math functions against PostgreSQL 15.

use super::*;
use crate::adt::float::{float8_in, float8_out};
use crate::adt::float_math::*;

#[test]
fn float_functions_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let values = [
        "0",
        "-0",
        "1",
        "-1",
        "0.5",
        "-0.5",
        "2",
        "-8",
        "10",
        "1e-200",
        "1e300",
        "710",
        "-746",
        "-740",
        "NaN",
        "Infinity",
        "-Infinity",
        "3.14159",
        "1e-320",
        "0.9999",
        "1.5",
    ];
    type Unary = fn(f64) -> crate::Result<f64>;
    let unary: &[(&str, Unary)] = &[
        ("sqrt", float8_sqrt),
        ("cbrt", float8_cbrt),
        ("exp", float8_exp),
        ("ln", float8_ln),
        ("log", float8_log10),
        ("acos", float8_acos),
        ("asin", float8_asin),
        ("atan", float8_atan),
        ("cos", float8_cos),
        ("sin", float8_sin),
        ("tan", float8_tan),
        ("cot", float8_cot),
        ("sinh", float8_sinh),
        ("cosh", float8_cosh),
        ("tanh", float8_tanh),
        ("asinh", float8_asinh),
        ("acosh", float8_acosh),
        ("atanh", float8_atanh),
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for v in values {
        let x = float8_in(v).expect("valid");
        for (name, f) in unary {
            exprs.push(format!("{name}('{v}'::float8)"));
            mine.push(ours(f(x).map(|r| float8_out(r, 1))));
        }
        for (name, f) in [
            ("round", float8_round as fn(f64) -> f64),
            ("trunc", float8_trunc),
            ("ceil", float8_ceil),
            ("floor", float8_floor),
            ("sign", float8_sign),
        ] {
            exprs.push(format!("{name}('{v}'::float8)"));
            mine.push(ours(Ok(float8_out(f(x), 1))));
        }
        for w in values {
            let y = float8_in(w).expect("valid");
            exprs.push(format!("power('{v}'::float8, '{w}'::float8)"));
            mine.push(ours(float8_pow(x, y).map(|r| float8_out(r, 1))));
            exprs.push(format!("atan2('{v}'::float8, '{w}'::float8)"));
            mine.push(ours(float8_atan2(x, y).map(|r| float8_out(r, 1))));
        }
    }
    let pg = pg_eval(&url, "SET extra_float_digits = 1", &exprs);
    assert_same(&exprs, &pg, &mine);
}
