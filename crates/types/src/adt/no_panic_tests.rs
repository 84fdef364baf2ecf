//! Robustness: every text input function returns a value or an error for arbitrary input,
//! never panics (test-only).

use crate::adt::datetime::date::date_in;
use crate::adt::datetime::interval::interval_in;
use crate::adt::datetime::time::{time_in, timetz_in};
use crate::adt::datetime::timestamp::{timestamp_in, timestamptz_in, TimestampTz};
use crate::adt::datetime::{DateStyle, IntervalStyle, TimeZone};
use crate::adt::numeric::Numeric;
use crate::adt::{bool as pgbool, bytea, float, int};

/// Characters that exercise the tokenizers: digits, signs, separators, letters of month and
/// zone names, whitespace, a multibyte character.
const ALPHABET: &[&str] = &[
    "0",
    "1",
    "2",
    "9",
    "5",
    "-",
    "+",
    ".",
    ":",
    "/",
    " ",
    "\t",
    "e",
    "E",
    "x",
    "T",
    "Z",
    "j",
    "a",
    "m",
    "p",
    "n",
    "y",
    "d",
    "s",
    "h",
    "@",
    "(",
    ")",
    "_",
    ",",
    "é",
    "\\",
    "P",
    "W",
    "jan",
    "pst",
    "bc",
    "infinity",
    "nan",
    "epoch",
    "america/new_york",
    "ago",
    "99999999999",
    "2024",
    "-08",
    "24:00",
    "1e400",
    "0x1p3",
];

fn random_inputs(count: usize, seed: u64) -> Vec<String> {
    let mut state = seed;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    (0..count)
        .map(|_| {
            let len = (next() % 12) as usize;
            (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[test]
fn input_functions_never_panic() {
    let tz = TimeZone::named("America/Los_Angeles").expect("zone exists");
    let now = TimestampTz(0);
    for style in [
        DateStyle::default(),
        DateStyle::default()
            .parse_setting("SQL, DMY")
            .expect("valid setting"),
        DateStyle::default()
            .parse_setting("ISO, YMD")
            .expect("valid setting"),
    ] {
        for s in random_inputs(4000, 0xdead_beef) {
            let _ = int::int2_in(&s);
            let _ = int::int4_in(&s);
            let _ = int::int8_in(&s);
            let _ = float::float4_in(&s);
            let _ = float::float8_in(&s);
            let _ = pgbool::bool_in(&s);
            let _ = bytea::bytea_in(&s);
            let _ = Numeric::parse(&s).map(|n| n.to_string());
            let _ = date_in(&s, &style, &tz, now);
            let _ = timestamp_in(&s, &style, &tz, now);
            let _ = timestamptz_in(&s, &style, &tz, now);
            let _ = time_in(&s, &style, &tz, now);
            let _ = timetz_in(&s, &style, &tz, now);
            for istyle in [IntervalStyle::Postgres, IntervalStyle::SqlStandard] {
                let _ = interval_in(&s, istyle);
            }
        }
    }
}

#[test]
fn numeric_arithmetic_never_panics() {
    let values: Vec<Numeric> = random_inputs(300, 0x1234)
        .iter()
        .filter_map(|s| Numeric::parse(s).ok())
        .chain(
            [
                "0",
                "1",
                "-1",
                "1e131071",
                "-1e131071",
                "1e-16383",
                "9999.9999",
                "NaN",
                "Infinity",
                "-Infinity",
                "0.5",
            ]
            .iter()
            .map(|s| Numeric::parse(s).expect("valid literal")),
        )
        .collect();
    for a in &values {
        // sqrt of a 131072-digit number takes seconds in a debug build; skip the giants.
        if a.weight() < 1000 {
            let _ = a.sqrt();
            let _ = a.ln();
            let _ = a.log10();
        }
        if a.weight() < 3 {
            let _ = a.exp();
            let _ = a.power(&Numeric::from(3i64));
            let _ = Numeric::from(2i64).power(a);
        }
        let _ = a.round(-5);
        let _ = a.round(2000);
        let _ = a.to_i64();
        let _ = a.to_f64();
        let _ = a.apply_typmod(5, 2);
        for b in &values {
            let _ = a.add(b);
            let _ = a.sub(b);
            let _ = a.mul(b);
            let _ = a.div(b);
            let _ = a.modulo(b);
            let _ = a.div_trunc(b);
        }
    }
}
