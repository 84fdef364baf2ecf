//! `extract`, `date_part` and `date_trunc` against PostgreSQL 15.

use super::*;
use crate::adt::datetime::date::{date_in, date_out};
use crate::adt::datetime::fields::*;
use crate::adt::datetime::interval::{interval_in, interval_out};
use crate::adt::datetime::time::{time_in, timetz_in};
use crate::adt::datetime::timestamp::{
    timestamp_in, timestamp_out, timestamptz_in, timestamptz_out, TimestampTz,
};
use crate::adt::datetime::{DateStyle, IntervalStyle, TimeZone};
use crate::adt::float::float8_out;

const UNITS: &[&str] = &[
    "microseconds",
    "milliseconds",
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "decade",
    "century",
    "millennium",
    "julian",
    "isoyear",
    "dow",
    "isodow",
    "doy",
    "timezone",
    "timezone_hour",
    "timezone_minute",
    "epoch",
    "foo",
    "now",
    "MONTHS",
    "s",
    "y",
    "mon",
    "ms",
    "us",
    "mil",
];

fn show_opt(r: crate::Result<Option<String>>) -> String {
    ours(r.map(|v| v.unwrap_or_else(|| "<NULL>".to_string())))
}

#[test]
fn extract_and_date_trunc_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let style = DateStyle::default();
    let zone = "America/Los_Angeles";
    let tz = TimeZone::named(zone).expect("known zone");
    let now = TimestampTz(0);
    let stamps = [
        "2024-01-08 04:05:06.789",
        "2021-01-01 00:00",
        "2020-12-31 23:59:59.999999",
        "0001-01-01 BC",
        "0011-06-15 BC",
        "1999-12-31",
        "2024-03-10 03:30",
        "infinity",
        "-infinity",
        "2000-02-29 12:00",
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for s in stamps {
        let t = timestamp_in(s, &style, &tz, now).expect("valid");
        let tt = timestamptz_in(s, &style, &tz, now).expect("valid");
        let d = date_in(s, &style, &tz, now).expect("valid");
        for u in UNITS {
            exprs.push(format!("extract({u} from '{s}'::timestamp)"));
            mine.push(show_opt(
                extract_timestamp(u, t).map(|v| v.map(|n| n.to_string())),
            ));
            exprs.push(format!("date_part('{u}', '{s}'::timestamp)"));
            mine.push(show_opt(
                date_part_timestamp(u, t).map(|v| v.map(|f| float8_out(f, 1))),
            ));
            exprs.push(format!("extract({u} from '{s}'::timestamptz)"));
            mine.push(show_opt(
                extract_timestamptz(u, tt, &tz).map(|v| v.map(|n| n.to_string())),
            ));
            exprs.push(format!("extract({u} from '{s}'::date)"));
            mine.push(show_opt(
                extract_date(u, d).map(|v| v.map(|n| n.to_string())),
            ));
            exprs.push(format!("date_trunc('{u}', '{s}'::timestamp)"));
            mine.push(ours(
                timestamp_trunc(u, t).map(|r| timestamp_out(r, &style)),
            ));
            exprs.push(format!("date_trunc('{u}', '{s}'::timestamptz)"));
            mine.push(ours(
                timestamptz_trunc(u, tt, &tz).map(|r| timestamptz_out(r, &style, &tz)),
            ));
        }
        let _ = date_out(d, &style);
    }
    for s in ["04:05:06.789", "00:00", "24:00", "23:59:59.999999"] {
        let t = time_in(s, &style, &tz, now).expect("valid");
        let tt = timetz_in(&format!("{s}+05:30"), &style, &tz, now).expect("valid");
        for u in UNITS {
            exprs.push(format!("extract({u} from '{s}'::time)"));
            mine.push(ours(extract_time(u, t).map(|n| n.to_string())));
            exprs.push(format!("date_part('{u}', '{s}'::time)"));
            mine.push(ours(date_part_time(u, t).map(|f| float8_out(f, 1))));
            exprs.push(format!("extract({u} from '{s}+05:30'::timetz)"));
            mine.push(ours(extract_timetz(u, tt).map(|n| n.to_string())));
        }
    }
    for s in [
        "1 year 2 mons 3 days 04:05:06.789",
        "-1 year -2 mons -3 days -04:05:06.789",
        "1234 years 11 mons",
        "-7 mons",
        "100 days 100:00:00",
        "0",
        "1.5 seconds",
    ] {
        let iv = interval_in(s, IntervalStyle::Postgres).expect("valid");
        for u in UNITS {
            exprs.push(format!("extract({u} from '{s}'::interval)"));
            mine.push(ours(extract_interval(u, &iv).map(|n| n.to_string())));
            exprs.push(format!("date_part('{u}', '{s}'::interval)"));
            mine.push(ours(date_part_interval(u, &iv).map(|f| float8_out(f, 1))));
            exprs.push(format!("date_trunc('{u}', '{s}'::interval)"));
            mine.push(ours(
                interval_trunc(u, &iv).map(|r| interval_out(&r, IntervalStyle::Postgres)),
            ));
        }
    }
    let pg = pg_eval(
        &url,
        &format!("SET timezone = '{zone}'; SET extra_float_digits = 1"),
        &exprs,
    );
    assert_same(&exprs, &pg, &mine);
}
