//! `to_char`, `to_number`, `to_date` and `to_timestamp` against PostgreSQL 15.

use super::*;
use crate::adt::datetime::timestamp::{timestamp_in, timestamptz_in};
use crate::adt::datetime::{DateStyle, Interval, TimeZone, TimestampTz};
use crate::adt::formatting::{datetime_from_char, datetime_to_char, number};
use crate::adt::numeric::Numeric;

const NUMBER_TEMPLATES: &[&str] = &[
    "999",
    "9999.99",
    "FM9999.99",
    "FM9999.00",
    "0000.00",
    "FM0000.00",
    "S9999",
    "9999S",
    "FMS9999.9",
    "9.9S",
    "999MI",
    "MI999.9",
    "FM999MI",
    "PL999",
    "999PL",
    "SG999.9",
    "FMSG999",
    "999PR",
    "FM999.9PR",
    "L999",
    "9,999,999.999",
    "FM9,999,999.999",
    "9G999G999D999",
    "99V999",
    "FM99V99",
    "9.99EEEE",
    "99.9999EEEE",
    "EEEE",
    "RN",
    "FMrn",
    "999th",
    "FM999TH",
    "\"Value: \"999.9\" units\"",
    "9 9 9 . 9",
    "09.90",
    "0999.099",
    "FM0999.099",
    "B9999",
    "9.99",
    "FM9.99",
    ".99",
    "FM.999",
    "99.",
    "FM99.",
    "FM9.9S9",
    "99G99",
];

const NUMBER_VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "0.5",
    "-0.5",
    "0.05",
    "12",
    "-12",
    "123.456",
    "-123.456",
    "999.95",
    "-999.96",
    "1234.5",
    "12345678.9",
    "-0.001",
    "3999",
    "4000",
    "0.0004859",
    "1e20",
    "NaN",
    "Infinity",
    "-Infinity",
];

#[test]
fn numeric_to_char_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for v in NUMBER_VALUES {
        for t in NUMBER_TEMPLATES {
            exprs.push(format!(
                "to_char({}::numeric, {})",
                quote_literal(v),
                quote_literal(t)
            ));
            let n = Numeric::parse(v).expect("numeric literal");
            mine.push(ours(number::numeric_to_char(&n, t)));
        }
    }
    let pg = pg_eval(&url, "", &exprs);
    assert_same(&exprs, &pg, &mine);
}

#[test]
fn integer_and_float_to_char_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for v in NUMBER_VALUES {
        for t in NUMBER_TEMPLATES {
            if let Ok(f) = v.parse::<f64>() {
                exprs.push(format!(
                    "to_char({}::float8, {})",
                    quote_literal(v),
                    quote_literal(t)
                ));
                mine.push(ours(number::float8_to_char(f, t)));
                exprs.push(format!(
                    "to_char({}::float4, {})",
                    quote_literal(v),
                    quote_literal(t)
                ));
                mine.push(ours(number::float4_to_char(f as f32, t)));
            }
            if let Ok(i) = v.parse::<i64>() {
                exprs.push(format!(
                    "to_char({}::int4, {})",
                    quote_literal(v),
                    quote_literal(t)
                ));
                mine.push(ours(number::int4_to_char(i as i32, t)));
                exprs.push(format!(
                    "to_char({}::int8, {})",
                    quote_literal(v),
                    quote_literal(t)
                ));
                mine.push(ours(number::int8_to_char(i, t)));
            }
        }
    }
    let pg = pg_eval(&url, "", &exprs);
    assert_same(&exprs, &pg, &mine);
}

const DATETIME_TEMPLATES: &[&str] = &[
    "YYYY-MM-DD HH24:MI:SS.US",
    "Y,YYY YYYY YYY YY Y IYYY IYY IY I",
    "FMY,YYY FMYYYY FMYYY FMYY",
    "CC FMCC cc",
    "MONTH Month month MON Mon mon MM RM rm FMRM",
    "FMMONTH FMMonth TMMonth TMmon",
    "DAY Day day DY Dy dy FMDay TMDay",
    "DDD IDDD DD D ID W WW IW J Q",
    "FMDDD FMIDDD FMDD FMWW FMIW",
    "DDth DDTH FMDDth Dth FMIWth FMJth Qth CCth",
    "HH HH12 HH24 MI SS MS US SSSS SSSSS",
    "FMHH FMHH12 FMHH24 FMMI FMSS",
    "FF1 FF2 FF3 FF4 FF5 FF6 ff3",
    "AM PM am pm A.M. P.M. a.m. p.m.",
    "AD BC ad bc A.D. B.C. a.d. b.c.",
    "TZ tz TZH TZM OF FMOF",
    "\"quoted HH\" HH24 \\\"x\\\" \"a\\\"b\"",
    "FMTH HH24SP",
    "YYYYMMDDHH24MISS",
];

#[test]
fn timestamp_to_char_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let zone = "America/New_York";
    let tz = TimeZone::named(zone).expect("zone");
    let style = DateStyle::default();
    let mut rng = XorShift(0x5eed_f00d_1234_5678);
    let mut values: Vec<String> = [
        "2000-01-01 00:00:00",
        "1997-02-10 17:32:01.123456",
        "2001-12-31 23:59:59.999999",
        "2004-02-29 12:00:00",
        "0044-03-15 12:30:00 BC",
        "0001-01-01 00:00:00",
        "0001-01-01 00:00:00 BC",
        "2010-01-03 08:05:09",
        "2020-12-31 00:00:00",
        "294276-12-31 23:59:59",
        "4713-11-24 00:00:00 BC",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..30 {
        let year = 1 + rng.below(2500);
        values.push(format!(
            "{year:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60),
            rng.below(1_000_000)
        ));
    }
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for v in &values {
        let (Ok(ts), Ok(tstz)) = (
            timestamp_in(v, &style, &tz, TimestampTz(0)),
            timestamptz_in(v, &style, &tz, TimestampTz(0)),
        ) else {
            continue;
        };
        for t in DATETIME_TEMPLATES {
            exprs.push(format!(
                "to_char({}::timestamp, {})",
                quote_literal(v),
                quote_literal(t)
            ));
            mine.push(ours(
                datetime_to_char::timestamp_to_char(ts, t).map(|o| o.unwrap_or("<NULL>".into())),
            ));
            exprs.push(format!(
                "to_char({}::timestamptz, {})",
                quote_literal(v),
                quote_literal(t)
            ));
            mine.push(ours(
                datetime_to_char::timestamptz_to_char(tstz, &tz, t)
                    .map(|o| o.unwrap_or("<NULL>".into())),
            ));
        }
    }
    let pg = pg_eval(&url, &format!("SET TimeZone = '{zone}'"), &exprs);
    assert_same(&exprs, &pg, &mine);
}

#[test]
fn interval_to_char_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let values = [
        (0, 0, 0_i64, "0"),
        (
            15,
            3,
            93_784_000_001,
            "1 year 3 mons 3 days 26:03:04.000001",
        ),
        (
            -15,
            -3,
            -93_784_000_001,
            "-1 year -3 mons -3 days -26:03:04.000001",
        ),
        (0, 40, 43_200_000_000, "40 days 12:00:00"),
        (1200, 0, 0, "100 years"),
        (-1, 0, -1, "-1 mons -00:00:00.000001"),
    ];
    let templates = [
        "YYYY MM DD HH24 HH HH12 MI SS MS US",
        "FMYYYY FMMM FMDD FMHH24 FMHH FMMI FMSS",
        "Y,YYY YYY YY Y CC DDD IDDD J WW W Q",
        "MONTH Mon RM SSSS AM",
        "DAY",
        "TZ",
        "DDth HH24TH",
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for (months, days, micros, text) in values {
        let iv = Interval::new(months, days, micros);
        for t in templates {
            exprs.push(format!(
                "to_char({}::interval, {})",
                quote_literal(text),
                quote_literal(t)
            ));
            mine.push(ours(
                datetime_to_char::interval_to_char(&iv, t).map(|o| o.unwrap_or("<NULL>".into())),
            ));
        }
    }
    let pg = pg_eval(&url, "", &exprs);
    assert_same(&exprs, &pg, &mine);
}

#[test]
fn to_number_matches_postgres() {
    let Some(url) = pg15_url() else { return };
    let cases = [
        ("-34,338,492", "99G999G999"),
        ("-34,338,492.654,878", "99G999G999D999G999"),
        ("<564646.654564>", "999999.999999PR"),
        ("0.00001-", "9.999999S"),
        ("5.01-", "FM9.999999S"),
        ("5.01-", "FM9.999999MI"),
        ("5 4 4 4 4 8 . 7 8", "9 9 9 9 9 9 . 9 9"),
        (".01", "FM9.99"),
        (".0", "99999999.99999999"),
        ("0", "99.99"),
        (".-01", "S99.99"),
        (".01-", "99.99S"),
        (" . 0 1-", " 9 9 . 9 9 S"),
        ("34,50", "999,99"),
        ("123,000", "999G"),
        ("123456", "999G999"),
        ("$1234.56", "L9,999.99"),
        ("$1234.56", "L99,999.99"),
        ("$1,234.56", "L99,999.99"),
        ("1234.56", "L99,999.99"),
        ("1,234.56", "L99,999.99"),
        ("42nd", "99th"),
        ("12345", "99"),
        ("123.456", "999.9"),
        ("", "999"),
        ("x", "999"),
        ("1", "RN"),
        ("1", "9EEEE"),
        ("12", "99V9"),
        ("-", "S9"),
        ("1-", "9MI"),
        ("+1", "SG9"),
        ("1234", "9,999"),
        ("1 234", "9 999"),
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for (input, template) in cases {
        exprs.push(format!(
            "to_number({}, {})",
            quote_literal(input),
            quote_literal(template)
        ));
        mine.push(ours(
            number::numeric_to_number(input, template).map(|n| n.to_string()),
        ));
    }
    let pg = pg_eval(&url, "", &exprs);
    assert_same(&exprs, &pg, &mine);
}
/// `(is_date, input, template)`: PostgreSQL's regression cases and a few more.
const FROM_CHAR_CASES: &[(bool, &str, &str)] = &[
    (true, "-44-02-01 BC", "YYYY-MM-DD BC"),
    (true, "-44-02-01", "YYYY-MM-DD"),
    (true, "0000-02-01", "YYYY-MM-DD"),
    (true, "01 \u{015e}UB 2010", "DD TMMON YYYY"),
    (true, "01 \u{015e}ub 2010", "DD TMMON YYYY"),
    (true, "1 4 1902", "Q MM YYYY"),
    (true, "1234567890ab 2010", "TMMONTH YYYY"),
    (true, "20081215", "YYYYMMDD"),
    (true, "20100309", "YYYYMMDD"),
    (true, "2011   12 18", "YYYY  MM DD"),
    (true, "2011  12 18", "YYYY  MM DD"),
    (true, "2011 12  18", "YYYY MM   DD"),
    (true, "2011 12  18", "YYYY MM  DD"),
    (true, "2011 12  18", "YYYY MM DD"),
    (true, "2011 12 18", "YYYY  MM DD"),
    (true, "2011 12 18", "YYYYxMMxDD"),
    (true, "2011 x12 x18", "YYYYxMMxDD"),
    (true, "2011x 12x 18", "YYYYxMMxDD"),
    (true, "2015 365", "YYYY DDD"),
    (true, "2015 366", "YYYY DDD"),
    (true, "2015-02-29", "YYYY-MM-DD"),
    (true, "2016 365", "YYYY DDD"),
    (true, "2016 366", "YYYY DDD"),
    (true, "2016 367", "YYYY DDD"),
    (true, "2016-02-29", "YYYY-MM-DD"),
    (true, "2016-02-30", "YYYY-MM-DD"),
    (true, "2016-13-10", "YYYY-MM-DD"),
    (true, "2458872", "J"),
    (true, "3 4 21 01", "W MM CC YY"),
    (true, "44-02-01 BC", "YYYY-MM-DD BC"),
    (false, "  2000 +JUN", "YYYY/MON"),
    (false, "  20050302", "YYYYMMDD"),
    (false, " 2000 +JUN", "YYYY//MON"),
    (false, " 2005 03 02", "YYYYMMDD"),
    (false, "-44-02-01 11:12:13 BC", "YYYY-MM-DD HH24:MI:SS BC"),
    (false, "-44-02-01 11:12:13", "YYYY-MM-DD HH24:MI:SS"),
    (false, "005527", "IYYIWID"),
    (
        false,
        "0097/Feb/16 --> 08:14:30",
        "YYYY/Mon/DD --> HH:MI:SS",
    ),
    (false, "05121445482000", "MMDDHH24MISSYYYY"),
    (false, "05527", "IYIWID"),
    (false, "1,582nd VIII 21", "Y,YYYth FMRM DD"),
    (false, "10000000000", "FMYYYY"),
    (false, "1985 FMMonth 12", "YYYY \"FMMonth\" DD"),
    (false, "1985 January 12", "YYYY FMMonth DD"),
    (false, "1985 \\ 12", "YYYY \\\\ DD"),
    (false, "1997 A.D. 11 16", "YYYY B.C. MM DD"),
    (false, "1997 AD 11 16", "YYYY BC MM DD"),
    (false, "1997 B.C. 11 16", "YYYY B.C. MM DD"),
    (false, "1997 BC 11 16", "YYYY BC MM DD"),
    (false, "1997-11-Jan-16", "YYYY-MM-Mon-DD"),
    (false, "19971", "YYYYMMDD"),
    (false, "19971)24", "YYYYMMDD"),
    (false, "19971116", "YYYYMMDD"),
    (false, "199711xy", "YYYYMMDD"),
    (false, "2000  +JUN", "YYYY//MON"),
    (false, "2000 + + JUN", "YYYY   MON"),
    (false, "2000 + + JUN", "YYYY  MON"),
    (false, "2000 + JUN", "YYYY MON"),
    (false, "2000 ++ JUN", "YYYY  MON"),
    (false, "2000 -10", "YYYY  TZH"),
    (false, "2000 -10", "YYYY TZH"),
    (false, "2000+   JUN", "YYYY/MON"),
    (false, "20000-1116", "YYYY-MMDD"),
    (false, "2000January09Sunday", "YYYYFMMonthDDFMDay"),
    (false, "2005 03 02", "YYYYMMDD"),
    (false, "20050302", "YYYYMMDD"),
    (false, "2005300", "YYYYDDD"),
    (false, "2005364", "IYYYIDDD"),
    (false, "2005426", "YYYYWWD"),
    (false, "2005527", "IYYYIWID"),
    (false, "2005527", "YYYYIWID"),
    (false, "2011$03!18 23_38_15", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2011-12-18   23:38:15", "YYYY-MM-DD  HH24:MI:SS"),
    (false, "2011-12-18  23:38:15", "YYYY-MM-DD   HH24:MI:SS"),
    (false, "2011-12-18  23:38:15", "YYYY-MM-DD  HH24:MI:SS"),
    (false, "2011-12-18  23:38:15", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2011-12-18 11:38 +05", "YYYY-MM-DD HH12:MI TZH"),
    (
        false,
        "2011-12-18 11:38 +05:20",
        "YYYY-MM-DD HH12:MI TZH:TZM",
    ),
    (false, "2011-12-18 11:38 -05", "YYYY-MM-DD HH12:MI TZH"),
    (
        false,
        "2011-12-18 11:38 -05:20",
        "YYYY-MM-DD HH12:MI TZH:TZM",
    ),
    (false, "2011-12-18 11:38 20", "YYYY-MM-DD HH12:MI TZM"),
    (false, "2011-12-18 11:38 A.M.", "YYYY-MM-DD HH12:MI P.M."),
    (false, "2011-12-18 11:38 AM", "YYYY-MM-DD HH12:MI PM"),
    (false, "2011-12-18 11:38 P.M.", "YYYY-MM-DD HH12:MI P.M."),
    (false, "2011-12-18 11:38 PM", "YYYY-MM-DD HH12:MI PM"),
    (false, "2011-12-18 11:38 PST", "YYYY-MM-DD HH12:MI TZ"),
    (false, "2011-12-18 23:38:15", "YYYY-MM-DD  HH24:MI:SS"),
    (false, "2015-02-11 86000", "YYYY-MM-DD SSSS"),
    (false, "2015-02-11 86000", "YYYY-MM-DD SSSSS"),
    (false, "2015-02-11 86400", "YYYY-MM-DD SSSS"),
    (false, "2015-02-11 86400", "YYYY-MM-DD SSSSS"),
    (false, "2015-02-29 15:50:55", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2016-02-29 15:50:55", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2016-02-30 15:50:55", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2016-06-13 15:50:55", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2016-06-13 15:50:55", "YYYY-MM-DD HH:MI:SS"),
    (false, "2016-06-13 15:50:60", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2016-06-13 15:60:00", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2016-06-13 25:00:00", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2016-13-01 15:50:55", "YYYY-MM-DD HH24:MI:SS"),
    (false, "2018-11-02 12:34:56.025", "YYYY-MM-DD HH24:MI:SS.MS"),
    (false, "44-02-01 11:12:13 BC", "YYYY-MM-DD HH24:MI:SS BC"),
    (false, "5527", "IIWID"),
    (false, "9-1116", "Y-MMDD"),
    (false, "95-1116", "YY-MMDD"),
    (false, "97/2/16 8:14:30", "FMYYYY/FMMM/FMDD FMHH:FMMI:FMSS"),
    (false, "97/Feb/16", "FXYY/Mon/DD"),
    (false, "97/Feb/16", "FXYY:Mon:DD"),
    (false, "97/Feb/16", "YY:Mon:DD"),
    (false, "97/Feb/16", "YYMonDD"),
    (false, "995-1116", "YYY-MMDD"),
    (false, "Fri 1-Jan-1999", "DY DD MON YYYY"),
    (false, "Fri 1-January-1999", "DY DD MON YYYY"),
    (false, "Friday 1-January-1999", "DY DD MON YYYY"),
    (true, "2458872", "J"),
    (
        false,
        "2011-12-18 11:38 +05:30",
        "YYYY-MM-DD HH12:MI TZH:TZM",
    ),
    (true, "1 4 1902", "Q MM YYYY"),
    (true, "20 97", "CC YY"),
    (true, "3 Dec 2000", "FMDD Mon YYYY"),
    (true, "2000 366", "YYYY DDD"),
    (true, "44-02-01 BC", "YYYY-MM-DD BC"),
    (false, "13:00 PM", "HH12:MI PM"),
    (true, "1997-07 10", "YYYY-MM IW"),
    (false, "x", "TZ"),
    (true, "2016-13-01", "YYYY-MM-DD"),
    (false, "2000 Foo", "YYYY MON"),
    (false, "12:34:56.123456789", "HH24:MI:SS.FF6"),
    (false, "12:34:56.12", "HH24:MI:SS.FF1"),
    (true, "", "YYYY"),
    (true, "2000", ""),
];

#[test]
fn to_timestamp_and_to_date_match_postgres() {
    let Some(url) = pg15_url() else { return };
    use crate::adt::datetime::date::date_out;
    use crate::adt::datetime::timestamp::timestamptz_out;
    let zone = "America/Los_Angeles";
    let tz = TimeZone::named(zone).expect("zone");
    let style = DateStyle::default();
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for (is_date, input, template) in FROM_CHAR_CASES {
        let function = if *is_date { "to_date" } else { "to_timestamp" };
        exprs.push(format!(
            "{function}({}, {})",
            quote_literal(input),
            quote_literal(template)
        ));
        mine.push(if *is_date {
            ours(datetime_from_char::to_date(input, template).map(|d| date_out(d, &style)))
        } else {
            ours(
                datetime_from_char::to_timestamp(input, template, &tz)
                    .map(|v| timestamptz_out(v, &style, &tz)),
            )
        });
    }
    let pg = pg_eval(&url, &format!("SET TimeZone = '{zone}'"), &exprs);
    assert_same(&exprs, &pg, &mine);
}

/// The templates PostgreSQL's regression suite passes to `to_char`.
const REGRESSION_TEMPLATES: &[&str] = &[
    "000000000000FM",
    "00000000FM",
    "0999999999999999",
    "0999999999999999.999999999999999",
    "9,999,999,999,999,999",
    "9,999,999,999,999,999.999,999",
    "9.999EEEE",
    "99",
    "999",
    "9999999999999999.999999999999999PR",
    "9999999999999999.999999999999999S",
    "9999999999999999.999PR",
    "999999999999999999999D9",
    "9999999999999999PR",
    "9999999999999999S",
    "999999SG9999999999",
    "9G999G999G999G999G999",
    "9G999G999G999G999G999D999G999",
    "9G999G999G999G999G999D999G999G999G999G999",
    "DAY Day day DY Dy dy MONTH Month month RM MON Mon mon",
    "DD TMMON YYYY",
    "FF1 FF2 FF3 FF4 FF5 FF6  ff1 ff2 ff3 ff4 ff5 ff6  MS US",
    "FM0000",
    "FM0999999999999999",
    "FM0999999999999999.999909999999999",
    "FM0999999999999999.999999999999999",
    "FM999",
    "FM999.",
    "FM999.9",
    "FM9999999990999999.099999999999999",
    "FM9999999999990999.990999999999999",
    "FM9999999999999999.000",
    "FM9999999999999999.099999999999999",
    "FM9999999999999999.999",
    "FM9999999999999999.99999999999999",
    "FM9999999999999999.999999999999999",
    "FM9999999999999999.999999999999999THPR",
    "FM9999999999999999THPR",
    "FM9999999999D9999900000000000000000",
    "FMDAY FMDay FMday FMMONTH FMMonth FMmonth FMRM",
    "FMIYYY FMIYY FMIY FMI FMIW FMIDDD FMID",
    "FMS 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 . 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9",
    "FMS9999999999999999",
    "FMS9999999999999999.999999999999999",
    "FMY,YYY FMYYYY FMYYY FMYY FMY FMCC FMQ FMMM FMWW FMDDD FMDD FMD FMJ",
    "HH HH12 HH24 MI SS SSSS",
    "HH24--text--MI--text--SS",
    "IYYY IYY IY I IW IDDD ID",
    "L9999999999999999.000",
    "L9999999999999999.099999999999999",
    "MI99.99",
    "MI9999999999.99",
    "MI9999999999999999",
    "MI9999999999999999.999999999999999",
    "Mon",
    "OF",
    "RM",
    "S 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 . 9 9 9",
    "S 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 . 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9",
    "S0999999999999999",
    "S0999999999999999.999999999999999",
    "S9999999999999999",
    "SG9999999999999999.999999999999999th",
    "SG9999999999999999th",
    "TZH:TZM",
    "Y,YYY YYYY YYY YY Y CC Q MM WW DDD DD D J",
    "YYYY A.D. YYYY a.d. YYYY bc HH:MI:SS P.M. HH:MI:SS p.m. HH:MI:SS pm",
    "YYYY-MM-DD HH:MI:SS TZ",
    "YYYY-MM-DD SSSS",
    "YYYY-MM-DD SSSSS",
    "YYYYTH YYYYth Jth",
    "f\"\\\\ool\"999",
    "f\"\\ool\"999",
    "f\"ool\"999",
    "f\"ool\\\"999",
    "f\"ool\\\\\"999",
    "f\\\"oo999",
    "f\\\\\"oo999",
    "f\\\\oo999",
    "f\\oo999",
    "foo999",
    "of",
    "rm",
    "tzh:tzm",
];

#[test]
fn regression_templates_match_postgres() {
    let Some(url) = pg15_url() else { return };
    let zone = "Europe/Berlin";
    let tz = TimeZone::named(zone).expect("zone");
    let style = DateStyle::default();
    let numbers = [
        "0",
        "-34338492.215397047",
        "4.31",
        "7799461.4119",
        "16397.038491",
        "93901.57763026",
        "-83028485",
        "74881",
        "-24926804.045047420",
        "-0.000001",
        "9999999999999999.5",
    ];
    let stamps = [
        "1997-02-10 17:32:01.4",
        "2004-02-29 00:00:00",
        "0100-03-01 12:00:00 BC",
    ];
    let mut exprs = Vec::new();
    let mut mine = Vec::new();
    for t in REGRESSION_TEMPLATES {
        for v in numbers {
            exprs.push(format!(
                "to_char({}::numeric, {})",
                quote_literal(v),
                quote_literal(t)
            ));
            let n = Numeric::parse(v).expect("numeric literal");
            mine.push(ours(number::numeric_to_char(&n, t)));
            exprs.push(format!(
                "to_char({}::float8, {})",
                quote_literal(v),
                quote_literal(t)
            ));
            mine.push(ours(number::float8_to_char(v.parse().expect("float"), t)));
        }
        for v in stamps {
            let tstz = timestamptz_in(v, &style, &tz, TimestampTz(0)).expect("timestamptz");
            exprs.push(format!(
                "to_char({}::timestamptz, {})",
                quote_literal(v),
                quote_literal(t)
            ));
            mine.push(ours(
                datetime_to_char::timestamptz_to_char(tstz, &tz, t)
                    .map(|o| o.unwrap_or("<NULL>".into())),
            ));
        }
    }
    let pg = pg_eval(&url, &format!("SET TimeZone = '{zone}'"), &exprs);
    assert_same(&exprs, &pg, &mine);
}
