//! Datetime items of SQL/JSON paths (`.datetime()`, PostgreSQL docs §9.16.2.2): reading
//! them from strings, their `.type()` names, their JSON string form and comparisons.
//!
//! Without a template a string is tried against the ISO formats PostgreSQL tries, in its
//! order (date, time with zone, time, timestamp with zone, timestamp, with a space or `T`
//! between date and time); with one, the template is read in strict mode.

use std::cmp::Ordering;

use tusk_types::adt::datetime::{j2date, Date, TimeZone, Timestamp, TimestampTz};
use tusk_types::adt::datetime::{POSTGRES_EPOCH_JDATE, USECS_PER_SEC};
use tusk_types::adt::formatting::datetime_from_char::{parse_datetime, ParsedDatetime};
use tusk_types::{pg_err, Result};

const USECS_PER_DAY: i64 = 86_400 * USECS_PER_SEC;

/// The formats `.datetime()` without a template tries, in order.
const ISO_FORMATS: &[&str] = &[
    "yyyy-mm-dd",
    "HH24:MI:SS.USTZH:TZM",
    "HH24:MI:SS.USTZH",
    "HH24:MI:SSTZH:TZM",
    "HH24:MI:SSTZH",
    "HH24:MI:SS.US",
    "HH24:MI:SS",
    "yyyy-mm-dd HH24:MI:SS.USTZH:TZM",
    "yyyy-mm-dd HH24:MI:SS.USTZH",
    "yyyy-mm-dd HH24:MI:SSTZH:TZM",
    "yyyy-mm-dd HH24:MI:SSTZH",
    "yyyy-mm-dd HH24:MI:SS.US",
    "yyyy-mm-dd HH24:MI:SS",
    "yyyy-mm-dd\"T\"HH24:MI:SS.USTZH:TZM",
    "yyyy-mm-dd\"T\"HH24:MI:SS.USTZH",
    "yyyy-mm-dd\"T\"HH24:MI:SSTZH:TZM",
    "yyyy-mm-dd\"T\"HH24:MI:SSTZH",
    "yyyy-mm-dd\"T\"HH24:MI:SS.US",
    "yyyy-mm-dd\"T\"HH24:MI:SS",
];

/// Reads a datetime item from `text` by `template`, or by the ISO formats.
///
/// Errors: the template's errors (22007, 22008); 22031 `datetime format is not
/// recognized` when no ISO format matches.
pub(super) fn parse(text: &str, template: Option<&str>, zone: &TimeZone) -> Result<ParsedDatetime> {
    if let Some(t) = template {
        return parse_datetime(text, t, zone);
    }
    for t in ISO_FORMATS {
        if let Ok(dt) = parse_datetime(text, t, zone) {
            return Ok(dt);
        }
    }
    Err(pg_err!(
        INVALID_ARGUMENT_FOR_SQL_JSON_DATETIME_FUNCTION,
        "datetime format is not recognized: \"{}\"",
        text
    )
    .hint("Use a datetime template argument to specify the input data format."))
}

/// The `.type()` of a datetime item.
pub(super) fn type_name(dt: &ParsedDatetime) -> &'static str {
    match dt {
        ParsedDatetime::Date(_) => "date",
        ParsedDatetime::Time(_) => "time without time zone",
        ParsedDatetime::TimeTz(..) => "time with time zone",
        ParsedDatetime::Timestamp(_) => "timestamp without time zone",
        ParsedDatetime::TimestampTz(..) => "timestamp with time zone",
    }
}

fn short_type_name(dt: &ParsedDatetime) -> &'static str {
    match dt {
        ParsedDatetime::Date(_) => "date",
        ParsedDatetime::Time(_) => "time",
        ParsedDatetime::TimeTz(..) => "timetz",
        ParsedDatetime::Timestamp(_) => "timestamp",
        ParsedDatetime::TimestampTz(..) => "timestamptz",
    }
}

fn encode_date(days: i64, out: &mut String) {
    let (y, m, d) = j2date((days + i64::from(POSTGRES_EPOCH_JDATE)) as i32);
    let year = if y > 0 { y } else { 1 - y };
    out.push_str(&format!("{year:04}-{m:02}-{d:02}"));
}

fn encode_time(usecs: i64, out: &mut String) {
    let secs = usecs / USECS_PER_SEC;
    let frac = usecs % USECS_PER_SEC;
    out.push_str(&format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    ));
    if frac != 0 {
        let f = format!("{frac:06}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
}

fn encode_zone(east: i32, out: &mut String) {
    let sign = if east < 0 { '-' } else { '+' };
    let a = east.abs();
    out.push_str(&format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60));
    if a % 60 != 0 {
        out.push_str(&format!(":{:02}", a % 60));
    }
}

fn encode_local(local: i64, out: &mut String) {
    let days = local.div_euclid(USECS_PER_DAY);
    encode_date(days, out);
    out.push('T');
    encode_time(local.rem_euclid(USECS_PER_DAY), out);
}

fn is_bc(days: i64) -> bool {
    j2date((days + i64::from(POSTGRES_EPOCH_JDATE)) as i32).0 <= 0
}

/// The JSON string a datetime item becomes (`JsonEncodeDateTime`, XSD style):
/// `2017-03-10`, `12:34:56.5`, `12:34:56+03:00`, `2017-03-10T12:34:56+03:00`.
pub(super) fn encode(dt: &ParsedDatetime) -> String {
    let mut out = String::new();
    let bc_days = match *dt {
        ParsedDatetime::Date(Date(d)) => {
            encode_date(i64::from(d), &mut out);
            Some(i64::from(d))
        }
        ParsedDatetime::Time(t) => {
            encode_time(t, &mut out);
            None
        }
        ParsedDatetime::TimeTz(t, east) => {
            encode_time(t, &mut out);
            encode_zone(east, &mut out);
            None
        }
        ParsedDatetime::Timestamp(Timestamp(ts)) => {
            encode_local(ts, &mut out);
            Some(ts.div_euclid(USECS_PER_DAY))
        }
        ParsedDatetime::TimestampTz(TimestampTz(ts), east) => {
            let local = ts + i64::from(east) * USECS_PER_SEC;
            encode_local(local, &mut out);
            encode_zone(east, &mut out);
            Some(local.div_euclid(USECS_PER_DAY))
        }
    };
    if bc_days.is_some_and(is_bc) {
        out.push_str(" BC");
    }
    out
}

/// The session zone's offset east for wall-clock time `local` (used to give a `time` a
/// zone: PostgreSQL takes the offset in effect on the current date).
fn zone_offset_today(zone: &TimeZone, time: i64) -> i32 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // Seconds from 1970-01-01 to 2000-01-01.
    let since_2000 = now - 946_684_800;
    let today = since_2000.div_euclid(86_400) * USECS_PER_DAY;
    zone.local_offset(today + time).0
}

/// Orders two datetime items (`compareDatetime`); None when their types do not compare
/// (a date with a time). Conversions that need a time zone use `zone`.
///
/// Errors: 0A000 `cannot convert value from date to timestamptz without time zone usage`
/// when `zone` is None and the comparison needs it.
pub(super) fn compare(
    a: &ParsedDatetime,
    b: &ParsedDatetime,
    zone: Option<&TimeZone>,
) -> Result<Option<Ordering>> {
    use ParsedDatetime as P;
    let need_zone = |from: &ParsedDatetime, to: &ParsedDatetime| -> Result<&TimeZone> {
        zone.ok_or_else(|| {
            pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot convert value from {} to {} without time zone usage",
                short_type_name(from),
                short_type_name(to)
            )
            .hint("Use *_tz() function for time zone support.")
        })
    };
    // A date beyond the timestamp range compares as an infinite timestamp.
    let date_ts = |d: i32| {
        i64::from(d)
            .checked_mul(USECS_PER_DAY)
            .unwrap_or(if d < 0 { i64::MIN } else { i64::MAX })
    };
    // Timestamps without zone as UTC instants in `zone`.
    let to_utc =
        |local: i64, z: &TimeZone| -> Result<i64> { Ok(Timestamp(local).to_timestamptz(z)?.0) };
    let timetz_key = |t: i64, east: i32| (t - i64::from(east) * USECS_PER_SEC, -east);
    Ok(Some(match (*a, *b) {
        (P::Date(Date(x)), P::Date(Date(y))) => x.cmp(&y),
        (P::Date(Date(x)), P::Timestamp(Timestamp(y))) => date_ts(x).cmp(&y),
        (P::Timestamp(Timestamp(x)), P::Date(Date(y))) => x.cmp(&date_ts(y)),
        (P::Timestamp(Timestamp(x)), P::Timestamp(Timestamp(y))) => x.cmp(&y),
        (P::TimestampTz(TimestampTz(x), _), P::TimestampTz(TimestampTz(y), _)) => x.cmp(&y),
        (P::Date(Date(x)), P::TimestampTz(TimestampTz(y), _)) => {
            let z = need_zone(a, b)?;
            to_utc(date_ts(x), z)?.cmp(&y)
        }
        (P::Timestamp(Timestamp(x)), P::TimestampTz(TimestampTz(y), _)) => {
            let z = need_zone(a, b)?;
            to_utc(x, z)?.cmp(&y)
        }
        (P::TimestampTz(TimestampTz(x), _), P::Date(Date(y))) => {
            let z = need_zone(b, a)?;
            x.cmp(&to_utc(date_ts(y), z)?)
        }
        (P::TimestampTz(TimestampTz(x), _), P::Timestamp(Timestamp(y))) => {
            let z = need_zone(b, a)?;
            x.cmp(&to_utc(y, z)?)
        }
        (P::Time(x), P::Time(y)) => x.cmp(&y),
        (P::TimeTz(x, ex), P::TimeTz(y, ey)) => timetz_key(x, ex).cmp(&timetz_key(y, ey)),
        (P::Time(x), P::TimeTz(y, ey)) => {
            let z = need_zone(a, b)?;
            timetz_key(x, zone_offset_today(z, x)).cmp(&timetz_key(y, ey))
        }
        (P::TimeTz(x, ex), P::Time(y)) => {
            let z = need_zone(b, a)?;
            timetz_key(x, ex).cmp(&timetz_key(y, zone_offset_today(z, y)))
        }
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> ParsedDatetime {
        parse(s, None, &TimeZone::utc()).expect("parses")
    }

    #[test]
    fn recognises_iso_forms_with_their_types() {
        let cases = [
            ("2017-03-10", "date", "2017-03-10"),
            ("12:34:56", "time without time zone", "12:34:56"),
            ("12:34:56.5+3", "time with time zone", "12:34:56.5+03:00"),
            (
                "2017-03-10 12:34:56",
                "timestamp without time zone",
                "2017-03-10T12:34:56",
            ),
            (
                "2017-03-10T12:34:56-05:30",
                "timestamp with time zone",
                "2017-03-10T12:34:56-05:30",
            ),
        ];
        for (input, ty, out) in cases {
            let dt = iso(input);
            assert_eq!(type_name(&dt), ty, "{input}");
            assert_eq!(encode(&dt), out, "{input}");
        }
    }

    #[test]
    fn rejects_unrecognised_text() {
        let e = parse("bogus", None, &TimeZone::utc()).unwrap_err();
        assert_eq!(e.code.code(), "22031");
        let e = parse("2017-03-10t12:34:56", None, &TimeZone::utc()).unwrap_err();
        assert_eq!(e.code.code(), "22031");
        let e = parse("12:34", Some("HH24:MI TZH"), &TimeZone::utc()).unwrap_err();
        assert_eq!(e.message, "input string is too short for datetime format");
        let e = parse("10-03-2017 12:34", Some("dd-mm-yyyy"), &TimeZone::utc()).unwrap_err();
        assert_eq!(
            e.message,
            "trailing characters remain in input string after datetime format"
        );
    }

    #[test]
    fn compares_across_types_only_with_a_zone() {
        let d = iso("2017-03-10");
        let ts = iso("2017-03-10 00:00:00");
        let tstz = iso("2017-03-10 00:00:00+01");
        assert_eq!(compare(&d, &ts, None).unwrap(), Some(Ordering::Equal));
        let e = compare(&d, &tstz, None).unwrap_err();
        assert_eq!(
            e.message,
            "cannot convert value from date to timestamptz without time zone usage"
        );
        let utc = TimeZone::utc();
        assert_eq!(
            compare(&d, &tstz, Some(&utc)).unwrap(),
            Some(Ordering::Greater)
        );
        assert_eq!(compare(&d, &iso("12:00:00"), None).unwrap(), None);
        let far = iso("1000000-01-01");
        assert_eq!(
            compare(&far, &iso("2020-01-01 12:00:00"), None).unwrap(),
            Some(Ordering::Greater)
        );
    }
}
