//! Text I/O of the date/time types, over `tusk_types::adt::datetime`, with the session's
//! `DateStyle`, `IntervalStyle` and `TimeZone`.

use tusk_types::adt::datetime::date::{date_in, date_out};
use tusk_types::adt::datetime::interval::interval_out;
use tusk_types::adt::datetime::interval_parse::interval_in_typmod;
use tusk_types::adt::datetime::time::{adjust_time_for_typmod, time_in, time_out, timetz_in};
use tusk_types::adt::datetime::timestamp::{
    adjust_timestamp_for_typmod, timestamp_in, timestamp_out, timestamptz_in, timestamptz_out,
};
use tusk_types::adt::datetime::{Date, Interval, Time, Timestamp, TimestampTz};
use tusk_types::{type_oid, Datum, Error, Oid, Result};

use crate::OutputSettings;

/// Text output of a date/time value.
pub(crate) fn text_out(value: &Datum, type_oid: Oid, settings: &OutputSettings) -> Result<String> {
    Ok(match (value, type_oid) {
        (Datum::Date(d), _) => date_out(Date(*d), &settings.date_style),
        (Datum::Time(t), _) => time_out(Time(*t)),
        (Datum::Timestamp(t), _) => timestamp_out(Timestamp(*t), &settings.date_style),
        (Datum::TimestampTz(t), _) => {
            timestamptz_out(TimestampTz(*t), &settings.date_style, &settings.time_zone)
        }
        (
            Datum::Interval {
                months,
                days,
                micros,
            },
            _,
        ) => interval_out(
            &Interval {
                months: *months,
                days: *days,
                micros: *micros,
            },
            settings.interval_style,
        ),
        _ => return Err(Error::internal("date/time output of a non-date/time value")),
    })
}

/// Text input of a date/time value with its typmod (fractional-second precision).
pub(crate) fn text_in(
    text: &str,
    type_oid: Oid,
    typmod: i32,
    settings: &OutputSettings,
) -> Result<Datum> {
    let now = TimestampTz(settings.transaction_start);
    let (style, tz) = (&settings.date_style, &settings.time_zone);
    Ok(match type_oid {
        type_oid::DATE => Datum::Date(date_in(text, style, tz, now)?.0),
        type_oid::TIME => Datum::Time(time_in(text, style, tz, now)?.0),
        type_oid::TIMETZ => {
            let mut t = timetz_in(text, style, tz, now)?;
            if typmod >= 0 {
                t.time = adjust_time_for_typmod(t.time, typmod);
            }
            Datum::Bytea(t.to_key())
        }
        type_oid::TIMESTAMP => {
            let t = timestamp_in(text, style, tz, now)?.0;
            Datum::Timestamp(if typmod >= 0 {
                adjust_timestamp_for_typmod(t, typmod)?
            } else {
                t
            })
        }
        type_oid::TIMESTAMPTZ => {
            let t = timestamptz_in(text, style, tz, now)?.0;
            Datum::TimestampTz(if typmod >= 0 {
                adjust_timestamp_for_typmod(t, typmod)?
            } else {
                t
            })
        }
        type_oid::INTERVAL => {
            let iv = interval_in_typmod(text, settings.interval_style, typmod)?;
            Datum::Interval {
                months: iv.months,
                days: iv.days,
                micros: iv.micros,
            }
        }
        other => {
            return Err(Error::internal(format!(
                "date/time input for type {}",
                other.0
            )))
        }
    })
}
