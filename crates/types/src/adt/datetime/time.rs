//! `time` and `time with time zone` (PostgreSQL docs §8.5.1.2).
//!
//! A [`Time`] is microseconds since midnight, `0..=86_400_000_000` (24:00:00 is allowed).
//! A [`TimeTz`] adds a UTC offset in seconds, east of Greenwich positive (PostgreSQL stores
//! the opposite sign internally; its text form is the same). Two `timetz` values compare by
//! their UTC instant first; at equal instants the zone further east sorts first.
//!
//! Entry points: [`time_in`], [`time_out`], [`timetz_in`], [`timetz_out`],
//! [`adjust_time_for_typmod`].

use std::cmp::Ordering;

use crate::{pg_err, Result};

use super::format::encode_time_only;
use super::parse::{
    decode_time_only, parse_date_time, time_to_usecs, DecodeContext, MAXDATEFIELDS, MAXDATELEN,
};
use super::timestamp::TimestampTz;
use super::timezone::TimeZone;
use super::{DateStyle, Tm, USECS_PER_DAY, USECS_PER_SEC};

/// A `time without time zone`: microseconds since midnight.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Time(pub i64);

/// A `time with time zone`: local time of day and its UTC offset.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct TimeTz {
    /// Microseconds since midnight, local.
    pub time: i64,
    /// Seconds east of UTC.
    pub offset_secs: i32,
}

impl Time {
    /// Hours, minutes, seconds and microseconds.
    pub fn to_tm(self) -> Tm {
        let secs = self.0 / USECS_PER_SEC;
        Tm {
            hour: (secs / 3600) as i32,
            min: (secs / 60 % 60) as i32,
            sec: (secs % 60) as i32,
            fsec: (self.0 % USECS_PER_SEC) as i32,
            ..Tm::default()
        }
    }
}

impl TimeTz {
    /// The time of day in UTC microseconds, for ordering (`timetz_cmp_internal`).
    fn utc_micros(&self) -> i64 {
        self.time - i64::from(self.offset_secs) * USECS_PER_SEC
    }
}

impl TimeTz {
    /// The `Datum::Bytea` form: the UTC time of day then the zone's seconds west of UTC,
    /// each big-endian with the sign bit flipped, so that bytewise order is
    /// `timetz_cmp` order.
    pub fn to_key(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12);
        out.extend_from_slice(&((self.utc_micros() as u64) ^ (1 << 63)).to_be_bytes());
        out.extend_from_slice(&((-self.offset_secs as u32) ^ (1 << 31)).to_be_bytes());
        out
    }

    /// Decodes [`TimeTz::to_key`]; `None` for any other length.
    pub fn from_key(key: &[u8]) -> Option<TimeTz> {
        let utc = (u64::from_be_bytes(key.get(..8)?.try_into().ok()?) ^ (1 << 63)) as i64;
        let west = (u32::from_be_bytes(key.get(8..12)?.try_into().ok()?) ^ (1 << 31)) as i32;
        if key.len() != 12 {
            return None;
        }
        Some(TimeTz {
            time: utc - i64::from(west) * USECS_PER_SEC,
            offset_secs: -west,
        })
    }

    /// The binary form (`timetz_send`): microseconds (int8), then seconds west (int4).
    pub fn send(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        out[..8].copy_from_slice(&self.time.to_be_bytes());
        out[8..].copy_from_slice(&(-self.offset_secs).to_be_bytes());
        out
    }

    /// `timetz_recv`.
    ///
    /// Errors: 22008 `time out of range`, `time zone displacement out of range`.
    pub fn recv(bytes: &[u8]) -> Result<TimeTz> {
        let bad = || {
            pg_err!(
                INVALID_BINARY_REPRESENTATION,
                "insufficient data left in message"
            )
        };
        let time = i64::from_be_bytes(
            bytes
                .get(..8)
                .ok_or_else(bad)?
                .try_into()
                .map_err(|_| bad())?,
        );
        let west = i32::from_be_bytes(
            bytes
                .get(8..12)
                .ok_or_else(bad)?
                .try_into()
                .map_err(|_| bad())?,
        );
        if !(0..=USECS_PER_DAY).contains(&time) {
            return Err(pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "time out of range"));
        }
        // TZDISP_LIMIT: 15:59:59.
        if !(-57_599..=57_599).contains(&west) {
            return Err(pg_err!(
                INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
                "time zone displacement out of range"
            ));
        }
        Ok(TimeTz {
            time,
            offset_secs: -west,
        })
    }
}

impl PartialOrd for TimeTz {
    fn partial_cmp(&self, other: &TimeTz) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimeTz {
    /// UTC instant first; at equal instants the zone further east sorts first.
    fn cmp(&self, other: &TimeTz) -> Ordering {
        self.utc_micros()
            .cmp(&other.utc_micros())
            .then_with(|| other.offset_secs.cmp(&self.offset_secs))
    }
}

fn decode(
    s: &str,
    style: &DateStyle,
    tz: &TimeZone,
    now: TimestampTz,
    type_name: &str,
) -> Result<(i64, i32)> {
    let ctx = DecodeContext {
        order: style.order,
        timezone: tz,
        now: now.0,
    };
    let decoded = parse_date_time(s, MAXDATELEN + MAXDATEFIELDS)
        .and_then(|fields| decode_time_only(&fields, &ctx))
        .map_err(|e| e.into_error(s, type_name))?;
    let tm = &decoded.tm;
    Ok((
        time_to_usecs(tm.hour, tm.min, tm.sec, tm.fsec),
        decoded.tz_east,
    ))
}

/// `time` input (`time_in`): `04:05:06.789`, `040506`, `4:05 PM`, `allballs`, `now`; a
/// date or zone in the text is accepted and ignored.
///
/// Errors: 22007 `invalid input syntax for type time: "…"`, 22008
/// `date/time field value out of range: "…"`.
pub fn time_in(s: &str, style: &DateStyle, tz: &TimeZone, now: TimestampTz) -> Result<Time> {
    decode(s, style, tz, now, "time").map(|(t, _)| Time(t))
}

/// `time` output (`time_out`): `04:05:06.789`.
pub fn time_out(t: Time) -> String {
    encode_time_only(&t.to_tm(), None)
}

/// `timetz` input (`timetz_in`): a time and optional zone (`04:05:06-08`, `04:05 PST`); a
/// zone with DST rules needs a date to pick the offset; without a zone the session zone's
/// offset today applies.
///
/// Errors: 22007 `invalid input syntax for type time with time zone: "…"`, 22008
/// `date/time field value out of range: "…"`, 22009, 22023 as for timestamps.
pub fn timetz_in(s: &str, style: &DateStyle, tz: &TimeZone, now: TimestampTz) -> Result<TimeTz> {
    decode(s, style, tz, now, "time with time zone")
        .map(|(time, offset_secs)| TimeTz { time, offset_secs })
}

/// `timetz` output (`timetz_out`): `04:05:06.789-08`, `04:05:06+05:30`.
pub fn timetz_out(t: TimeTz) -> String {
    encode_time_only(&Time(t.time).to_tm(), Some(t.offset_secs))
}

/// Rounds to `precision` (0..=6) fractional digits as a `time(p)` column does
/// (`AdjustTimeForTypmod`, half away from zero).
pub fn adjust_time_for_typmod(usecs: i64, precision: i32) -> i64 {
    if !(0..6).contains(&precision) {
        return usecs;
    }
    let scale = 10i64.pow((6 - precision) as u32);
    let offset = scale / 2;
    if usecs >= 0 {
        (usecs + offset) / scale * scale
    } else {
        -((-usecs + offset) / scale * scale)
    }
}

/// `time + interval` wraps around midnight (`time_pl_interval`): only the interval's
/// microseconds count.
pub fn time_add_micros(t: Time, micros: i64) -> Time {
    Time((t.0 + micros % USECS_PER_DAY).rem_euclid(USECS_PER_DAY))
}

/// `time - time` in microseconds (`time_mi_time`).
pub fn time_sub(a: Time, b: Time) -> i64 {
    a.0 - b.0
}

/// 22008 `time out of range`, for conversions that produce an invalid time.
pub fn time_out_of_range() -> crate::Error {
    pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "time out of range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adt::datetime::{date2j, POSTGRES_EPOCH_JDATE};

    fn now() -> TimestampTz {
        TimestampTz(
            i64::from(date2j(2024, 7, 8) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY
                + 12 * 3_600_000_000,
        )
    }

    #[test]
    fn timetz_keys_round_trip_and_sort_as_timetz_cmp() {
        let hour = 3_600_000_000;
        let values = [
            TimeTz {
                time: 4 * hour,
                offset_secs: 2 * 3600,
            },
            TimeTz {
                time: 3 * hour,
                offset_secs: 3600,
            },
            TimeTz {
                time: 2 * hour,
                offset_secs: 0,
            },
            TimeTz {
                time: 0,
                offset_secs: -8 * 3600,
            },
            TimeTz {
                time: USECS_PER_DAY,
                offset_secs: -15 * 3600,
            },
        ];
        for v in values {
            assert_eq!(TimeTz::from_key(&v.to_key()), Some(v));
            assert_eq!(TimeTz::recv(&v.send()).unwrap(), v);
        }
        for a in values {
            for b in values {
                assert_eq!(a.to_key().cmp(&b.to_key()), a.cmp(&b), "{a:?} {b:?}");
            }
        }
    }

    fn t(s: &str) -> String {
        match time_in(s, &DateStyle::default(), &TimeZone::utc(), now()) {
            Ok(v) => time_out(v),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    fn tz(s: &str) -> String {
        let la = TimeZone::named("America/Los_Angeles").unwrap();
        match timetz_in(s, &DateStyle::default(), &la, now()) {
            Ok(v) => timetz_out(v),
            Err(e) => format!("ERR {} {}", e.code, e.message),
        }
    }

    #[test]
    fn time_layouts() {
        assert_eq!(t("04:05:06.789"), "04:05:06.789");
        assert_eq!(t("04:05"), "04:05:00");
        assert_eq!(t("040506"), "04:05:06");
        assert_eq!(t("4:05 PM"), "16:05:00");
        assert_eq!(t("12:00 AM"), "00:00:00");
        assert_eq!(t("allballs"), "00:00:00");
        assert_eq!(t("24:00:00"), "24:00:00");
        assert_eq!(t("2024-01-08 04:05:06"), "04:05:06");
        assert_eq!(
            t("24:00:01"),
            "ERR 22008 date/time field value out of range: \"24:00:01\""
        );
        assert_eq!(
            t("x"),
            "ERR 22007 invalid input syntax for type time: \"x\""
        );
    }

    #[test]
    fn timetz_layouts() {
        assert_eq!(tz("04:05:06-08"), "04:05:06-08");
        assert_eq!(tz("04:05:06+05:30"), "04:05:06+05:30");
        assert_eq!(tz("04:05 PST"), "04:05:00-08");
        assert_eq!(tz("04:05"), "04:05:00-07");
        assert_eq!(tz("2024-01-08 04:05 America/New_York"), "04:05:00-05");
        assert_eq!(
            tz("04:05 America/New_York"),
            "ERR 22007 invalid input syntax for type time with time zone: \"04:05 America/New_York\""
        );
        let a = TimeTz {
            time: 3_600_000_000,
            offset_secs: 3600,
        };
        let b = TimeTz {
            time: 0,
            offset_secs: 0,
        };
        assert_eq!(a.cmp(&b), Ordering::Less);
        assert_eq!(adjust_time_for_typmod(1_234_567, 2), 1_230_000);
        assert_eq!(time_out(time_add_micros(Time(0), -1_000_000)), "23:59:59");
    }
}
