//! `bytea` against PostgreSQL 15.

use super::*;
use crate::adt::bytea::{bytea_in, bytea_out, ByteaOutput};

#[test]
fn bytea_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let inputs = [
        "\\x0102FF",
        "\\x 01 02 ff ",
        "\\x",
        "\\x0",
        "\\x0g",
        "\\x1 2",
        "abc",
        "a\\\\b",
        "\\000\\377x",
        "\\X01",
        "\\",
        "\\4",
        "\\400",
        "a\\b",
        "\\12",
        "\\x\u{e9}0",
        "\u{e9}t\u{e9}",
        "~\u{7f}",
    ];
    for (setting, format) in [("hex", ByteaOutput::Hex), ("escape", ByteaOutput::Escape)] {
        let exprs: Vec<String> = inputs
            .iter()
            .map(|s| format!("{}::bytea", quote_literal(s)))
            .collect();
        let mine: Vec<String> = inputs
            .iter()
            .map(|s| ours(bytea_in(s).map(|v| bytea_out(&v, format))))
            .collect();
        let pg = pg_eval(&url, &format!("SET bytea_output = {setting}"), &exprs);
        assert_same(&exprs, &pg, &mine);
    }
}

#[test]
fn send_functions_match_postgres() {
    use crate::adt::binary::*;
    use crate::adt::datetime::date::date_in;
    use crate::adt::datetime::interval::interval_in;
    use crate::adt::datetime::time::{time_in, timetz_in};
    use crate::adt::datetime::timestamp::{timestamp_in, timestamptz_in, TimestampTz};
    use crate::adt::datetime::{DateStyle, IntervalStyle, TimeZone};
    use crate::adt::numeric::Numeric;
    let Some(url) = pg15_url() else { return };
    let hex = |b: Vec<u8>| bytea_out(&b, ByteaOutput::Hex);
    let style = DateStyle::default();
    let tz = TimeZone::utc();
    let now = TimestampTz(0);
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for v in [
        "0",
        "-1.5",
        "1234.5600",
        "NaN",
        "-Infinity",
        "Infinity",
        "1e-20",
        "99999999.00000001",
        "0.000",
    ] {
        exprs.push(format!("numeric_send('{v}'::numeric)"));
        let n = Numeric::parse(v).expect("valid");
        mine.push(ours(Ok(hex(numeric_send(&n)))));
        let bytes = numeric_send(&n);
        let back = numeric_recv(&mut bytes.as_slice()).expect("round trip");
        assert_eq!(back.to_string(), n.to_string());
    }
    for v in ["-32768", "7"] {
        exprs.push(format!("int2send('{v}'::int2)"));
        mine.push(ours(Ok(hex(int2_send(v.parse().expect("int"))))));
        exprs.push(format!("int4send('{v}'::int4)"));
        mine.push(ours(Ok(hex(int4_send(v.parse().expect("int"))))));
        exprs.push(format!("int8send('{v}'::int8)"));
        mine.push(ours(Ok(hex(int8_send(v.parse().expect("int"))))));
    }
    for v in ["1.5", "-0", "NaN", "-Infinity", "1e-310"] {
        let f = crate::adt::float::float8_in(v).expect("float");
        exprs.push(format!("float8send('{v}'::float8)"));
        mine.push(ours(Ok(hex(float8_send(f)))));
        exprs.push(format!("float4send('{v}'::float4)"));
        mine.push(ours(
            crate::adt::float::float4_in(v).map(|f| hex(float4_send(f))),
        ));
    }
    exprs.push("boolsend(true)".to_string());
    mine.push(ours(Ok(hex(bool_send(true)))));
    for v in ["2024-01-08", "infinity", "0001-01-01 BC"] {
        exprs.push(format!("date_send('{v}'::date)"));
        mine.push(ours(
            date_in(v, &style, &tz, now).map(|d| hex(date_send(d))),
        ));
        exprs.push(format!("timestamp_send('{v}'::timestamp)"));
        mine.push(ours(
            timestamp_in(v, &style, &tz, now).map(|d| hex(timestamp_send(d))),
        ));
        exprs.push(format!("timestamptz_send('{v}'::timestamptz)"));
        mine.push(ours(
            timestamptz_in(v, &style, &tz, now).map(|d| hex(timestamptz_send(d))),
        ));
    }
    for v in ["04:05:06.789", "24:00"] {
        exprs.push(format!("time_send('{v}'::time)"));
        mine.push(ours(
            time_in(v, &style, &tz, now).map(|t| hex(time_send(t))),
        ));
        exprs.push(format!("timetz_send('{v}+05:30'::timetz)"));
        mine.push(ours(
            timetz_in(&format!("{v}+05:30"), &style, &tz, now).map(|t| hex(timetz_send(t))),
        ));
    }
    exprs.push("interval_send('1 year 2 mons -3 days 04:05:06.7'::interval)".to_string());
    mine.push(ours(
        interval_in("1 year 2 mons -3 days 04:05:06.7", IntervalStyle::Postgres)
            .map(|i| hex(interval_send(&i))),
    ));
    let pg = pg_eval(&url, "SET timezone = 'UTC'", &exprs);
    assert_same(&exprs, &pg, &mine);
}
