//! Dates, times, timestamps and intervals against PostgreSQL 15.

use super::*;
use crate::adt::datetime::date::{date_in, date_out};
use crate::adt::datetime::interval::{interval_in, interval_out};
use crate::adt::datetime::time::{time_in, time_out, timetz_in, timetz_out};
use crate::adt::datetime::timestamp::{
    timestamp_in, timestamp_out, timestamptz_in, timestamptz_out, TimestampTz,
};
use crate::adt::datetime::{DateStyle, IntervalStyle, TimeZone};

/// Date/time inputs from PostgreSQL's documentation (Tables 8.10-8.13) and regression
/// tests, plus malformed and out-of-range ones.
const DATETIME_INPUTS: &[&str] = &[
    "1999-01-08",
    "January 8, 1999",
    "1/8/1999",
    "1/18/1999",
    "01/02/03",
    "1999-Jan-08",
    "Jan-08-1999",
    "08-Jan-1999",
    "99-Jan-08",
    "08-Jan-99",
    "Jan-08-99",
    "19990108",
    "990108",
    "1999.008",
    "J2451187",
    "January 8, 99 BC",
    "2024-02-29",
    "2023-02-29",
    "2024-02-30",
    "2024-13-01",
    "0000-01-01",
    "0001-01-01 BC",
    "4714-11-24 BC",
    "4714-11-23 BC",
    "5874897-12-31",
    "5874898-01-01",
    "294276-12-31 23:59:59",
    "294277-01-01",
    "epoch",
    "infinity",
    "-infinity",
    "+infinity",
    "allballs",
    "x",
    "",
    "1999-01-08 04:05:06",
    "1999-01-08 04:05:06 -8:00",
    "1999-01-08 04:05:06+02",
    "1999-01-08 04:05:06 PST",
    "1999-01-08 04:05:06 America/New_York",
    "1999-01-08 04:05:06 Foo/Bar",
    "January 8 04:05:06 1999 PST",
    "2024-07-08 12:00 EST",
    "2024-07-08 12:00 EDT",
    "2024-07-08 12:00 MSK",
    "2024-01-08 04:05:06.789",
    "2024-01-08 04:05:06.7891234",
    "2024-01-08T04:05:06Z",
    "2024-01-08T040506",
    "2024-01-08 04:05 PM",
    "2024-01-08 12:05 AM",
    "2024-01-08 13:05 PM",
    "2024-01-08 24:00:00",
    "2024-01-08 24:00:01",
    "2024-01-08 23:59:60",
    "2024-01-08 23:60:00",
    "2024-01-08 04:05:06+16",
    "2024-01-08 04:05:06+15:59",
    "2024-01-08 04:05:06 +05:30",
    "2024-01-08 04:05:06-0330",
    "Mon Jan 08 04:05:06 2024",
    "Wed Jan 08 04:05:06 2024 PST",
    "2024-03-10 02:30 America/Los_Angeles",
    "2024-11-03 01:30 America/Los_Angeles",
    "2024-11-03 01:30 PDT",
    "2024-11-03 01:30 PST",
    "1883-11-18 12:00 America/Los_Angeles",
    "2024-01-08 04:05:06 MET DST",
    "2024-01-08 04:05:06 CET",
    "2024 Jan 8",
    "8 Jan 2024",
    "Jan 8 2024",
    "2024 8 Jan",
    "1 2 3",
    "12-31-2024",
    "31-12-2024",
    "2024-12-31 AD",
    "0099-12-31 BC",
    "y2024m01d08",
    "y2024m01d08h04mm05s06",
    "2024-01-08 t 040506",
    "2024.01.08",
    "2024/01/08",
    "04:05:06 2024-01-08",
    "2024-01-08 04:05:06 UTC",
    "2024-01-08 04:05:06 Z",
    "2024-01-08 04:05:06 zulu",
    "2024-01-08 allballs",
    "1999-01-08 04:05:06 +0530 xyz",
    "J2451187.5",
    "2024-01-08 04:05:06.5 +1",
    "20240108T040506.5",
    "Jan 8 99",
    "8 Jan 99",
    "2024-001",
    "2024-01-08 at 04:05",
    "on 2024-01-08",
    // From PostgreSQL's regression tests (horology, timestamp, timestamptz).
    "Jan 1, 4713 BC",
    "1997-12-31 23:59:59.999999",
    "1997.041 17:32:01 UTC",
    "19970210 173201 America/Does_not_exist",
    "19970210 173201 -0800",
    "J2450000.5",
    "97FEB10 5:32:01PM UTC",
    "97/02/10 17:32:01 UTC",
    "1997-06-10 18:32:01 PDT",
    "Feb 10 5:32PM 1997",
    "1997/02/10 17:32:01-0800",
    "Feb-10-1997 17:32:01 PST",
    "02-10-1997 17:32:01 PST",
    "19970210 173201 PST",
    "current",
    "Mon Feb 10 17:32:01.5 1997 PST",
    "Mon Feb 10 17:32:01.000001 1997 PST",
    "2001-09-22T18:19:20",
    "2000-03-15 08:14:01 GMT+8",
    "2000-03-15 13:14:02 GMT-1",
    "2000-03-15 03:14:04 PST+8",
    "2000-03-15 02:14:05 MST+7:00",
    "Feb 14 17:32:01 1997 BC",
    "Feb 16 17:32:01 -0097",
    "Feb 16 17:32:01 5097 BC",
    "2000-01-01 ist",
    "1997-02-10 17:32:01 UTC+3",
    "Aug 10 17:32:01 1997 Europe/Helsinki",
    "todays",
    "now epoch",
    "today epoch",
    "epoch epoch",
    "today today",
    "2007-02-29",
    "13/13/2013",
    "1997-02-10 17:32 foo",
    " infinity ",
    "Infinity",
    "Epoch",
    "10:00 epoch",
    "1850-06-01 12:00",
    "1850-06-01 12:00 Europe/Paris",
    "2038-01-19 03:14:08",
    "10000-01-01",
    "2024-01-08 04:05:06 XYZ",
    "2024-01-08 04:05:06 +",
    "2024-01-08 04:05:06 -1:30:15",
    "2024-01-08 04:05:06.",
    "2024-01-08 04:05:06.+1",
    "2024-01-08 04:05:06 pdt dst",
    "2024-01-08 04:05:06 met dst",
    "june 31 2024",
    "feb 30",
    "2024-06-15 12 pm",
    "1 1 1",
    "12 31",
    "31 12",
    "2024 365",
    "2024-366",
    "2023-366",
];

const TIME_INPUTS: &[&str] = &[
    "04:05:06.789",
    "04:05:06",
    "04:05",
    "040506",
    "04:05 AM",
    "04:05 PM",
    "12:00 AM",
    "12:00 PM",
    "13:00 PM",
    "04:05:06.789-8",
    "04:05:06-08:00",
    "04:05-08:00",
    "040506-08",
    "040506+0730",
    "04:05:06 PST",
    "04:05:06 America/New_York",
    "2003-04-12 04:05:06 America/New_York",
    "2024-01-08 04:05:06",
    "allballs",
    "24:00:00",
    "24:00:01",
    "23:59:60",
    "23:60",
    "x",
    "",
    "4:5:6",
    "04:05:06.1234567",
    "04:05:06 UTC",
    "04:05:06 zulu",
    "T040506",
    "1:2",
    "100:00",
    "04:05:06 +05:30",
];

const INTERVAL_INPUTS: &[&str] = &[
    "1 year 2 mons 3 days 04:05:06",
    "@ 1 year 2 mons -3 days 4 hours 5 mins 6 secs ago",
    "1-2",
    "3 4:05:06",
    "-1 2:03:04",
    "-1 +2:03:04",
    "1 day -1 hour",
    "-1-2 +3 -4:05:06",
    "P1Y2M3DT4H5M6S",
    "P0001-02-03T04:05:06",
    "P00010203T040506",
    "PT1.5S",
    "P1W",
    "P1.5Y",
    "P-1Y-2M",
    "PT-1.5S",
    "1.5 months",
    "1.5 days",
    "1.5 hours",
    "0.1 seconds",
    "1.999999999 seconds",
    "2 weeks",
    "1 century",
    "1 millennium",
    "3 decades",
    "5 ms",
    "5 us",
    "10",
    "1.5",
    "-1.5",
    "100:00:00",
    "-100:00:00",
    "1:2",
    "1:2.5",
    "00:00:00",
    "0",
    "x",
    "",
    "1 day 1 day",
    "2147483647 days",
    "2147483648 days",
    "178956970 years 7 mons",
    "178956970 years 8 mons",
    "9223372036 seconds",
    "1 fortnight",
    "1 qtr",
    "@ 0",
    "ago",
    "1 day ago ago",
    "+1 day",
    "1 mon -1 days",
    "1 year 1 year",
    "P",
    "PT",
    "P1",
    "P1Y1",
    "PT1H1",
    "P1Y2M3W4D",
];

fn run_datestyle(url: &str, datestyle: &str, zone: &str) {
    let style = DateStyle::default()
        .parse_setting(datestyle)
        .expect("valid datestyle");
    let tz = TimeZone::named(zone).expect("known zone");
    let now = TimestampTz(0);
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for s in DATETIME_INPUTS {
        let lit = quote_literal(s);
        exprs.push(format!("{lit}::date"));
        mine.push(ours(
            date_in(s, &style, &tz, now).map(|d| date_out(d, &style)),
        ));
        exprs.push(format!("{lit}::timestamp"));
        mine.push(ours(
            timestamp_in(s, &style, &tz, now).map(|t| timestamp_out(t, &style)),
        ));
        exprs.push(format!("{lit}::timestamptz"));
        mine.push(ours(
            timestamptz_in(s, &style, &tz, now).map(|t| timestamptz_out(t, &style, &tz)),
        ));
    }
    for s in TIME_INPUTS {
        let lit = quote_literal(s);
        exprs.push(format!("{lit}::time"));
        mine.push(ours(time_in(s, &style, &tz, now).map(time_out)));
        exprs.push(format!("{lit}::timetz"));
        mine.push(ours(timetz_in(s, &style, &tz, now).map(timetz_out)));
    }
    let setup = format!("SET datestyle = '{datestyle}'; SET timezone = '{zone}'");
    let pg = pg_eval(url, &setup, &exprs);
    assert_same(&exprs, &pg, &mine);
}

#[test]
fn dates_times_and_timestamps_match_postgres() {
    let Some(url) = pg15_url() else { return };
    for (datestyle, zone) in [
        ("ISO, MDY", "America/Los_Angeles"),
        ("SQL, DMY", "Europe/Moscow"),
        ("Postgres, MDY", "America/New_York"),
        ("German", "Asia/Kolkata"),
        ("ISO, YMD", "UTC"),
        ("Postgres, DMY", "Australia/Lord_Howe"),
    ] {
        run_datestyle(&url, datestyle, zone);
    }
}

#[test]
fn intervals_match_postgres() {
    let Some(url) = pg15_url() else { return };
    for (name, style) in [
        ("postgres", IntervalStyle::Postgres),
        ("postgres_verbose", IntervalStyle::PostgresVerbose),
        ("sql_standard", IntervalStyle::SqlStandard),
        ("iso_8601", IntervalStyle::Iso8601),
    ] {
        let exprs: Vec<String> = INTERVAL_INPUTS
            .iter()
            .map(|s| format!("{}::interval", quote_literal(s)))
            .collect();
        let mine: Vec<String> = INTERVAL_INPUTS
            .iter()
            .map(|s| ours(interval_in(s, style).map(|v| interval_out(&v, style))))
            .collect();
        let pg = pg_eval(&url, &format!("SET intervalstyle = {name}"), &exprs);
        assert_same(&exprs, &pg, &mine);
    }
}

#[test]
fn interval_typmods_match_postgres() {
    use crate::adt::datetime::interval_parse::{interval_in_typmod, interval_typmod, range};
    let Some(url) = pg15_url() else { return };
    let ranges = [
        ("year", range::YEAR),
        ("month", range::MONTH),
        ("year to month", range::YEAR | range::MONTH),
        ("day", range::DAY),
        ("hour", range::HOUR),
        ("minute", range::MINUTE),
        ("second", range::SECOND),
        ("day to hour", range::DAY | range::HOUR),
        ("day to minute", range::DAY | range::HOUR | range::MINUTE),
        (
            "day to second",
            range::DAY | range::HOUR | range::MINUTE | range::SECOND,
        ),
        ("hour to minute", range::HOUR | range::MINUTE),
        (
            "hour to second",
            range::HOUR | range::MINUTE | range::SECOND,
        ),
        ("minute to second", range::MINUTE | range::SECOND),
    ];
    let inputs = [
        "1 2",
        "12",
        "1:30",
        "1:30.5",
        "1 day 04:05:06.789",
        "1 year 13 mons 2 days 03:04:05",
        "-1 2:03:04.56789",
        "1.5",
        "P1Y2M3DT4H5M6.5S",
        "100",
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for s in inputs {
        for (name, mask) in ranges.into_iter().chain([("", range::FULL)]) {
            for precision in [None, Some(0), Some(2)] {
                // The grammar takes a precision only after SECOND or on plain INTERVAL.
                if precision.is_some() && mask & range::SECOND == 0 {
                    continue;
                }
                let typmod = interval_typmod(mask, precision).expect("valid");
                let p = precision.map(|p| format!("({p})")).unwrap_or_default();
                exprs.push(if mask == range::FULL {
                    format!("{}::interval{p}", quote_literal(s))
                } else {
                    format!("{}::interval {name}{p}", quote_literal(s))
                });
                mine.push(ours(
                    interval_in_typmod(s, IntervalStyle::Postgres, typmod)
                        .map(|v| interval_out(&v, IntervalStyle::Postgres)),
                ));
            }
        }
    }
    let pg = pg_eval(&url, "SET intervalstyle = postgres", &exprs);
    assert_same(&exprs, &pg, &mine);
}

#[test]
fn datetime_arithmetic_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let style = DateStyle::default();
    let zone = "America/Los_Angeles";
    let tz = TimeZone::named(zone).expect("known zone");
    let now = TimestampTz(0);
    let stamps = [
        "2024-01-31 10:00",
        "2024-02-29 23:59:59.999999",
        "2023-03-12 01:30",
        "2024-11-02 12:00",
        "1999-12-31 23:59:59",
        "0001-01-01 BC",
        "infinity",
        "294276-12-31 23:00",
    ];
    let spans = [
        "1 mon",
        "-1 mon",
        "1 day",
        "-1 day",
        "1 year 1 mon 1 day 01:00:00",
        "25 hours",
        "-1 mon -1 day -01:00:01",
        "12 mons",
        "0.5 days",
        "1000000 years",
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for s in stamps {
        let t = timestamp_in(s, &style, &tz, now).expect("valid");
        let tt = timestamptz_in(s, &style, &tz, now).unwrap_or(TimestampTz(i64::MAX));
        for i in spans {
            let iv = interval_in(i, IntervalStyle::Postgres).expect("valid");
            exprs.push(format!("'{s}'::timestamp + '{i}'::interval"));
            mine.push(ours(t.add_interval(&iv).map(|r| timestamp_out(r, &style))));
            exprs.push(format!("'{s}'::timestamp - '{i}'::interval"));
            mine.push(ours(t.sub_interval(&iv).map(|r| timestamp_out(r, &style))));
            exprs.push(format!(
                "'{}'::timestamptz + '{i}'::interval",
                timestamptz_out(tt, &style, &tz)
            ));
            mine.push(ours(
                tt.add_interval(&iv, &tz)
                    .map(|r| timestamptz_out(r, &style, &tz)),
            ));
        }
        for s2 in stamps {
            let t2 = timestamp_in(s2, &style, &tz, now).expect("valid");
            exprs.push(format!("'{s}'::timestamp - '{s2}'::timestamp"));
            mine.push(ours(
                t.sub_timestamp(t2)
                    .map(|r| interval_out(&r, IntervalStyle::Postgres)),
            ));
        }
    }
    for i in spans {
        let iv = interval_in(i, IntervalStyle::Postgres).expect("valid");
        for f in ["0.5", "3", "-1.5", "1e10", "0.001"] {
            let factor: f64 = f.parse().expect("number");
            exprs.push(format!("'{i}'::interval * {f}"));
            mine.push(ours(
                iv.mul(factor)
                    .map(|r| interval_out(&r, IntervalStyle::Postgres)),
            ));
            exprs.push(format!("'{i}'::interval / {f}"));
            mine.push(ours(
                iv.div(factor)
                    .map(|r| interval_out(&r, IntervalStyle::Postgres)),
            ));
        }
        for (func, r) in [
            ("justify_hours", iv.justify_hours()),
            ("justify_days", iv.justify_days()),
            ("justify_interval", iv.justify_interval()),
        ] {
            exprs.push(format!("{func}('{i}'::interval)"));
            mine.push(ours(r.map(|r| interval_out(&r, IntervalStyle::Postgres))));
        }
    }
    let pg = pg_eval(&url, &format!("SET timezone = '{zone}'"), &exprs);
    assert_same(&exprs, &pg, &mine);
}

#[test]
fn constructors_and_age_match_postgres() {
    use crate::adt::datetime::make::*;
    let Some(url) = pg15_url() else { return };
    let style = DateStyle::default();
    let zone = "America/Los_Angeles";
    let tz = TimeZone::named(zone).expect("known zone");
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for (y, m, d) in [
        (2024, 2, 29),
        (2023, 2, 29),
        (-44, 3, 15),
        (-44, 13, 1),
        (0, 1, 1),
        (5874897, 12, 31),
        (5874898, 1, 1),
        (-4713, 11, 24),
        (-4714, 11, 24),
        (2024, 0, 1),
        (2024, 1, 32),
    ] {
        exprs.push(format!("make_date({y}, {m}, {d})"));
        mine.push(ours(make_date(y, m, d).map(|v| date_out(v, &style))));
        for (h, mi, s) in [
            (4, 5, 6.789),
            (24, 0, 0.0),
            (23, 59, 60.0),
            (25, 0, 0.0),
            (1, 2, 60.0000001),
        ] {
            exprs.push(format!("make_timestamp({y}, {m}, {d}, {h}, {mi}, {s})"));
            mine.push(ours(
                make_timestamp(y, m, d, h, mi, s).map(|v| timestamp_out(v, &style)),
            ));
            exprs.push(format!("make_timestamptz({y}, {m}, {d}, {h}, {mi}, {s})"));
            mine.push(ours(
                make_timestamptz(y, m, d, h, mi, s, &tz).map(|v| timestamptz_out(v, &style, &tz)),
            ));
        }
    }
    for (h, mi, s) in [
        (4, 5, 6.789),
        (24, 0, 0.0),
        (25, 0, 0.0),
        (0, 60, 0.0),
        (1, 2, 61.5),
        (1, 2, -1.0),
    ] {
        exprs.push(format!("make_time({h}, {mi}, {s})"));
        mine.push(ours(make_time(h, mi, s).map(|v| {
            crate::adt::datetime::time::time_out(crate::adt::datetime::time::Time(v))
        })));
    }
    for secs in [
        "0",
        "1e20",
        "-1e20",
        "1704686706.5",
        "'nan'",
        "'infinity'",
        "-62135596800",
    ] {
        let f: f64 = crate::adt::float::float8_in(secs.trim_matches('\'')).expect("number");
        exprs.push(format!("to_timestamp({secs}::float8)"));
        mine.push(ours(
            to_timestamp(f).map(|v| timestamptz_out(v, &style, &tz)),
        ));
    }
    exprs.push("make_interval(1, 2, 3, 4, 5, 6, 7.5)".to_string());
    mine.push(ours(
        make_interval(1, 2, 3, 4, 5, 6, 7.5).map(|v| interval_out(&v, IntervalStyle::Postgres)),
    ));
    let stamps = [
        "2024-03-31",
        "2024-02-29 12:00",
        "2001-04-10",
        "1957-06-13",
        "2024-01-31 23:59:59.5",
        "2023-12-31",
        "2024-03-10 12:00",
        "2024-11-03 01:30",
        "0001-01-01 BC",
        "infinity",
    ];
    let now = TimestampTz(0);
    for a in stamps {
        for b in stamps {
            let (ta, tb) = (
                timestamp_in(a, &style, &tz, now).expect("valid"),
                timestamp_in(b, &style, &tz, now).expect("valid"),
            );
            exprs.push(format!("age('{a}'::timestamp, '{b}'::timestamp)"));
            mine.push(ours(
                timestamp_age(ta, tb).map(|v| interval_out(&v, IntervalStyle::Postgres)),
            ));
            let (za, zb) = (
                timestamptz_in(a, &style, &tz, now).expect("valid"),
                timestamptz_in(b, &style, &tz, now).expect("valid"),
            );
            exprs.push(format!("age('{a}'::timestamptz, '{b}'::timestamptz)"));
            mine.push(ours(
                timestamptz_age(za, zb, &tz).map(|v| interval_out(&v, IntervalStyle::Postgres)),
            ));
        }
    }
    let pg = pg_eval(&url, &format!("SET timezone = '{zone}'"), &exprs);
    assert_same(&exprs, &pg, &mine);
}
