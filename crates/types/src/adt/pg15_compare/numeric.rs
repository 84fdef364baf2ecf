//! `numeric` against PostgreSQL 15.

use super::*;
use crate::adt::numeric::Numeric;

/// A random numeric literal: up to 40 integer digits, up to 25 fractional digits,
/// sometimes negative, sometimes zero-heavy.
fn random_numeric(rng: &mut XorShift) -> String {
    let mut s = String::new();
    if rng.below(3) == 0 {
        s.push('-');
    }
    let int_len = match rng.below(4) {
        0 => 0,
        1 => 1 + rng.below(4),
        2 => 1 + rng.below(12),
        _ => 1 + rng.below(40),
    };
    let frac_len = match rng.below(3) {
        0 => 0,
        1 => 1 + rng.below(6),
        _ => 1 + rng.below(25),
    };
    let zero_heavy = rng.below(4) == 0;
    let digit = |rng: &mut XorShift| {
        if zero_heavy && rng.below(3) != 0 {
            '0'
        } else if rng.below(8) == 0 {
            '9'
        } else {
            char::from(b'0' + rng.below(10) as u8)
        }
    };
    for _ in 0..int_len {
        s.push(digit(rng));
    }
    if int_len == 0 {
        s.push('0');
    }
    if frac_len > 0 {
        s.push('.');
        for _ in 0..frac_len {
            s.push(digit(rng));
        }
    }
    s
}

fn show(r: Result<Numeric>) -> String {
    ours(r.map(|v| v.to_string()))
}

#[test]
fn numeric_arithmetic_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let mut rng = XorShift(0x0123_4567_89ab_cdef);
    let mut values: Vec<String> = [
        "0",
        "0.000",
        "1",
        "-1",
        "NaN",
        "Infinity",
        "-Infinity",
        "9999.9999",
        "0.0001",
        "1e-20",
        "123456789012345678901234567890",
        "3",
        "7",
        "0.5",
        "-2.5",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..60 {
        values.push(random_numeric(&mut rng));
    }
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for (i, a) in values.iter().enumerate() {
        for (j, b) in values.iter().enumerate() {
            // All pairs among the first 25, a sample elsewhere.
            if i >= 25 && j >= 25 && rng.below(6) != 0 {
                continue;
            }
            let x = Numeric::parse(a).expect("valid literal");
            let y = Numeric::parse(b).expect("valid literal");
            let lit = |s: &str| format!("'{s}'::numeric");
            for (op, r) in [
                ("+", x.add(&y)),
                ("-", x.sub(&y)),
                ("*", x.mul(&y)),
                ("/", x.div(&y)),
                ("%", x.modulo(&y)),
            ] {
                exprs.push(format!("{} {op} {}", lit(a), lit(b)));
                mine.push(show(r));
            }
            if i < 25 && j < 25 {
                exprs.push(format!("power({}, {})", lit(a), lit(b)));
                mine.push(show(x.power(&y)));
            }
            exprs.push(format!("div({}, {})", lit(a), lit(b)));
            mine.push(show(x.div_trunc(&y)));
            exprs.push(format!("{} < {}", lit(a), lit(b)));
            mine.push(ours(Ok(if x < y { "true" } else { "false" }.to_string())));
        }
    }
    let pg = pg_eval(&url, "SET extra_float_digits = 1", &exprs);
    assert_same(&exprs, &pg, &mine);
}

#[test]
fn numeric_rounding_typmod_and_casts_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let mut rng = XorShift(0xfeed_beef);
    let mut values: Vec<String> = [
        "0",
        "-0.000",
        "2.5",
        "-2.5",
        "0.5",
        "9.995",
        "99.5",
        "1234.5678",
        "NaN",
        "Infinity",
        "-Infinity",
        "9999",
        "0.00001234",
        "12345.678",
        "1e-16383",
        "5e-1",
        "1.5e3",
        "-9223372036854775808.5",
        "9223372036854775807.4",
        "2147483647.5",
        "-32768.4",
        " 1.0 ",
        "1.0000001",
        "0.99999",
        "1.05",
        "0.95",
        "1e-100",
        "1e100",
        "12345.6789",
        "-12.5",
        "0.1",
        "2.718281828459045",
        "1.1",
        "0.9",
        "700.5",
        "-700.5",
        "1e400",
        "1e-400",
        "3.4e38",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..80 {
        values.push(random_numeric(&mut rng));
    }
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for a in &values {
        let lit = format!("{}::numeric", quote_literal(a));
        let x = Numeric::parse(a).expect("valid literal");
        exprs.push(lit.clone());
        mine.push(show(Ok(x.clone())));
        for scale in [-3, -1, 0, 1, 2, 5] {
            exprs.push(format!("round({lit}, {scale})"));
            mine.push(show(x.round(scale)));
            exprs.push(format!("trunc({lit}, {scale})"));
            mine.push(show(Ok(x.trunc(scale))));
        }
        for (p, s) in [(5, 2), (3, 0), (10, 4), (2, -2), (3, 5), (1, 0), (20, 10)] {
            exprs.push(format!("{}::numeric({p},{s})", quote_literal(a)));
            mine.push(show(x.apply_typmod(p, s)));
        }
        exprs.push(format!("sqrt({lit})"));
        mine.push(show(x.sqrt()));
        if x.weight() < 10 {
            exprs.push(format!("exp({lit})"));
            mine.push(show(x.exp()));
        }
        for e in ["2", "-1", "1", "0", "3", "-3", "0.5", "17", "2.5"] {
            if x.weight() < 20 {
                exprs.push(format!("power({lit}, {e})"));
                mine.push(show(x.power(&Numeric::parse(e).expect("valid"))));
            }
        }
        exprs.push(format!("ln({lit})"));
        mine.push(show(x.ln()));
        exprs.push(format!("log({lit})"));
        mine.push(show(x.log10()));
        exprs.push(format!("log(2.5, {lit})"));
        mine.push(show(x.log(&Numeric::parse("2.5").expect("valid"))));
        exprs.push(format!("trim_scale({lit})"));
        mine.push(show(Ok(x.trim_scale())));
        exprs.push(format!(
            "coalesce(min_scale({lit})::text, 'null') || coalesce(scale({lit})::text, '-')"
        ));
        mine.push(ours(Ok(format!(
            "{}{}",
            x.min_scale().map_or("null".to_string(), |v| v.to_string()),
            x.scale().map_or("-".to_string(), |v| v.to_string())
        ))));
        exprs.push(format!("ceil({lit})"));
        mine.push(show(x.ceil()));
        exprs.push(format!("floor({lit})"));
        mine.push(show(x.floor()));
        exprs.push(format!("abs({lit})"));
        mine.push(show(Ok(x.abs())));
        exprs.push(format!("sign({lit})"));
        mine.push(show(Ok(x.signum())));
        exprs.push(format!("{lit}::int2"));
        mine.push(ours(x.to_i16().map(|v| v.to_string())));
        exprs.push(format!("{lit}::int4"));
        mine.push(ours(x.to_i32().map(|v| v.to_string())));
        exprs.push(format!("{lit}::int8"));
        mine.push(ours(x.to_i64().map(|v| v.to_string())));
        exprs.push(format!("{lit}::float8"));
        mine.push(ours(
            x.to_f64().map(|v| crate::adt::float::float8_out(v, 1)),
        ));
        exprs.push(format!("{lit}::float4"));
        mine.push(ours(
            x.to_f32().map(|v| crate::adt::float::float4_out(v, 1)),
        ));
        if let Ok(f) = crate::adt::float::float8_in(a) {
            exprs.push(format!("{}::float8::numeric", quote_literal(a)));
            mine.push(show(Ok(Numeric::from_f64(f))));
        }
        if let Ok(f) = crate::adt::float::float4_in(a) {
            exprs.push(format!("{}::float4::numeric", quote_literal(a)));
            mine.push(show(Ok(Numeric::from_f32(f))));
        }
    }
    let pg = pg_eval(&url, "SET extra_float_digits = 1", &exprs);
    assert_same(&exprs, &pg, &mine);
}
