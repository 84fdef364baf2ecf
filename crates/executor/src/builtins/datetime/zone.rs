//! Time zones named in SQL: `AT TIME ZONE` (`timezone(zone, value)` with a text or
//! interval zone), the zone argument of `date_trunc` and `make_timestamptz`.
//!
//! A name is read as PostgreSQL 15 reads it: first the abbreviation table (`PST`, `MSK`,
//! the latter with an offset that depends on the date), then the time zone database
//! (`America/New_York`), then a POSIX specification, where PostgreSQL allows an empty
//! abbreviation so that `'+05'` is five hours west of Greenwich. `make_timestamptz`
//! additionally reads ISO offsets (`+05:30`, east positive) first.
//!
//! Entry points: [`register`], [`resolve_zone`], [`sane_zone_offset`].

use tusk_types::adt::datetime::abbreviations::{lookup_abbreviation, Abbrev};
use tusk_types::adt::datetime::interval::interval_out;
use tusk_types::adt::datetime::{Interval, TimeZone, USECS_PER_SEC};
use tusk_types::{pg_err, Datum, Error, Result};

use super::super::{reg, Table};
use super::{checked_timestamp, interval, is_infinite_usecs, text, usecs};
use crate::EvalContext;

/// How `AT TIME ZONE` and `date_trunc(..., zone)` read a zone name: a fixed-offset
/// abbreviation, an abbreviation whose offset depends on a zone's history, or a full zone.
pub(super) enum ZoneSpec {
    /// Seconds east of UTC.
    Fixed(i32),
    /// Abbreviation and the zone that defines it.
    Dynamic(String, TimeZone),
    /// A zone with rules (or a POSIX specification).
    Named(TimeZone),
}

fn zone_not_recognized(name: &str) -> Error {
    pg_err!(
        INVALID_PARAMETER_VALUE,
        "time zone \"{}\" not recognized",
        name
    )
}

/// Looks a zone up as `timestamptz_zone` does: the abbreviation table first, then the
/// time zone database.
///
/// Errors: 22023 `time zone "…" not recognized`.
pub(super) fn resolve_zone(name: &str) -> Result<ZoneSpec> {
    match lookup_abbreviation(name) {
        Some(Abbrev::Fixed { offset, .. }) => return Ok(ZoneSpec::Fixed(offset)),
        Some(Abbrev::Dynamic(zone)) => {
            if let Some(tz) = TimeZone::named(zone) {
                return Ok(ZoneSpec::Dynamic(name.to_string(), tz));
            }
        }
        None => {}
    }
    TimeZone::named(name)
        .or_else(|| posix_offset_zone(name))
        .map(ZoneSpec::Named)
        .ok_or_else(|| zone_not_recognized(name))
}

/// PostgreSQL's POSIX zone parser accepts an empty standard-time abbreviation, so `'+05'`
/// and `'5'` name zones five hours *west* of Greenwich (POSIX sign convention).
fn posix_offset_zone(name: &str) -> Option<TimeZone> {
    if !name.starts_with(|c: char| c == '+' || c == '-' || c.is_ascii_digit()) {
        return None;
    }
    TimeZone::named(&format!("<UTC>{name}"))
}

/// The offset (seconds east) of `spec` at the UTC instant `utc`.
pub(super) fn offset_at_utc(spec: &ZoneSpec, utc: i64) -> i32 {
    match spec {
        ZoneSpec::Fixed(offset) => *offset,
        ZoneSpec::Dynamic(abbrev, tz) => {
            let local = utc + i64::from(tz.utc_to_local(utc).offset) * USECS_PER_SEC;
            tz.abbreviation_offset(local, abbrev).0
        }
        ZoneSpec::Named(tz) => tz.utc_to_local(utc).offset,
    }
}

/// The offset (seconds east) of `spec` for the wall-clock time `local`.
fn offset_at_local(spec: &ZoneSpec, local: i64) -> i32 {
    match spec {
        ZoneSpec::Fixed(offset) => *offset,
        ZoneSpec::Dynamic(abbrev, tz) => tz.abbreviation_offset(local, abbrev).0,
        ZoneSpec::Named(tz) => tz.local_offset(local).0,
    }
}

/// `timestamptz AT TIME ZONE zone` (`timestamptz_zone`): the wall-clock time there.
///
/// Errors: 22023 `time zone "…" not recognized`; 22008 `timestamp out of range`.
fn timestamptz_at_zone(zone: &str, ts: i64) -> Result<i64> {
    if is_infinite_usecs(ts) {
        return Ok(ts);
    }
    let spec = resolve_zone(zone)?;
    let offset = offset_at_utc(&spec, ts);
    checked_timestamp(i128::from(ts) + i128::from(offset) * i128::from(USECS_PER_SEC))
}

/// `timestamp AT TIME ZONE zone` (`timestamp_zone`): the instant of that wall-clock time.
///
/// Errors: 22023 `time zone "…" not recognized`; 22008 `timestamp out of range`.
fn timestamp_at_zone(zone: &str, ts: i64) -> Result<i64> {
    if is_infinite_usecs(ts) {
        return Ok(ts);
    }
    let spec = resolve_zone(zone)?;
    let offset = offset_at_local(&spec, ts);
    checked_timestamp(i128::from(ts) - i128::from(offset) * i128::from(USECS_PER_SEC))
}

/// The seconds east of an interval used as a zone (`timestamp_izone`): months and days are
/// not allowed.
///
/// Errors: 22023 `interval time zone "…" must not include months or days`.
pub(super) fn interval_zone_offset(ctx: &EvalContext<'_>, zone: &Interval) -> Result<i64> {
    if zone.months != 0 || zone.days != 0 {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "interval time zone \"{}\" must not include months or days",
            interval_out(zone, ctx.output.interval_style)
        ));
    }
    Ok(zone.micros / USECS_PER_SEC)
}

/// `DecodeTimezone` for `make_timestamptz(..., zone)`: `+hh`, `-hh:mm[:ss]`, `+hhmm`.
/// `Ok(None)` when the text is not numeric (so a name lookup follows).
///
/// Errors: 22023 `numeric time zone "…" out of range`, `time zone "…" not recognized`.
fn numeric_zone(name: &str) -> Result<Option<i32>> {
    let sign = match name.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Ok(None),
    };
    let out_of_range = || {
        pg_err!(
            INVALID_PARAMETER_VALUE,
            "numeric time zone \"{}\" out of range",
            name
        )
    };
    let leading_int = |s: &str| -> (Option<i32>, usize) {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        (s[..digits].parse().ok(), digits)
    };
    let rest = &name[1..];
    let (hr, used) = leading_int(rest);
    let mut hr = hr.ok_or_else(out_of_range)?;
    let mut rest = &rest[used..];
    let (mut min, mut sec) = (0, 0);
    if let Some(after) = rest.strip_prefix(':') {
        let (m, used) = leading_int(after);
        min = m.ok_or_else(out_of_range)?;
        rest = &after[used..];
        if let Some(after) = rest.strip_prefix(':') {
            let (s, used) = leading_int(after);
            sec = s.ok_or_else(out_of_range)?;
            rest = &after[used..];
        }
    } else if rest.is_empty() && name.len() > 3 {
        min = hr % 100;
        hr /= 100;
    }
    if !(0..=15).contains(&hr) || !(0..60).contains(&min) || !(0..60).contains(&sec) {
        return Err(out_of_range());
    }
    if !rest.is_empty() {
        // DecodeTimezone's "bad format" falls through to the name lookups.
        return Ok(None);
    }
    Ok(Some(sign * ((hr * 60 + min) * 60 + sec)))
}

/// `make_timestamptz(..., zone)` (`make_timestamptz_at_timezone`): the offset of `zone`
/// for the local time `local` (`parse_sane_timezone`).
///
/// Errors: 22023 `invalid input syntax for type numeric time zone: "…"`, `numeric time
/// zone "…" out of range`, `time zone "…" not recognized`.
pub(super) fn sane_zone_offset(zone: &str, local: i64) -> Result<i32> {
    if zone.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "invalid input syntax for type numeric time zone: \"{}\"",
            zone
        )
        .hint("Numeric time zones must have \"-\" or \"+\" as first character."));
    }
    if let Some(offset) = numeric_zone(zone)? {
        return Ok(offset);
    }
    Ok(offset_at_local(&resolve_zone(zone)?, local))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["timestamptz_zone"], |_, a| {
        Ok(Datum::Timestamp(timestamptz_at_zone(
            text(&a[0])?,
            usecs(&a[1])?,
        )?))
    });
    reg(t, &["timestamp_zone"], |_, a| {
        Ok(Datum::TimestampTz(timestamp_at_zone(
            text(&a[0])?,
            usecs(&a[1])?,
        )?))
    });
    reg(t, &["timestamptz_izone"], |ctx, a| {
        let ts = usecs(&a[1])?;
        if is_infinite_usecs(ts) {
            return Ok(Datum::Timestamp(ts));
        }
        let offset = interval_zone_offset(ctx, &interval(&a[0])?)?;
        Ok(Datum::Timestamp(checked_timestamp(
            i128::from(ts) + i128::from(offset) * i128::from(USECS_PER_SEC),
        )?))
    });
    reg(t, &["timestamp_izone"], |ctx, a| {
        let ts = usecs(&a[1])?;
        if is_infinite_usecs(ts) {
            return Ok(Datum::TimestampTz(ts));
        }
        let offset = interval_zone_offset(ctx, &interval(&a[0])?)?;
        Ok(Datum::TimestampTz(checked_timestamp(
            i128::from(ts) - i128::from(offset) * i128::from(USECS_PER_SEC),
        )?))
    });
}
