//! `time with time zone` operators and functions (PostgreSQL docs §9.9, `date.c`):
//! comparison (UTC time first, then zone), `timetz ± interval` (wrapping at midnight),
//! `AT TIME ZONE`, the casts among `time`, `timetz` and `timestamptz`, `date + timetz`,
//! `extract`/`date_part`, the `timetz(p)` length coercion.
//!
//! Values are `Datum::Bytea` holding `TimeTz::to_key`, whose bytewise order is
//! `timetz_cmp` order. Entry point: [`register`].

use std::cmp::Ordering;

use tusk_types::adt::datetime::time::adjust_time_for_typmod;
use tusk_types::adt::datetime::{
    fields, TimeTz, Timestamp, TimestampTz, POSTGRES_EPOCH_JDATE, TIMESTAMP_END_JULIAN,
    USECS_PER_DAY, USECS_PER_SEC,
};
use tusk_types::{pg_err, Datum, Error, Result};

use super::super::{reg, Table};
use super::zone::{interval_zone_offset, offset_at_utc, resolve_zone};
use super::{date, int4, interval, is_infinite_usecs, session_zone, text, time, usecs};

fn timetz(d: &Datum) -> Result<TimeTz> {
    match d {
        Datum::Bytea(key) => {
            TimeTz::from_key(key).ok_or_else(|| Error::internal("malformed timetz datum"))
        }
        _ => Err(Error::internal("time with time zone argument expected")),
    }
}

fn value(t: TimeTz) -> Datum {
    Datum::Bytea(t.to_key())
}

/// The keys order as `timetz_cmp` does.
fn cmp(a: &[Datum]) -> Result<Ordering> {
    Ok(timetz(&a[0])?.cmp(&timetz(&a[1])?))
}

/// `timetz + interval`: only the interval's time part counts, wrapping at midnight.
fn plus_micros(t: TimeTz, micros: i64) -> TimeTz {
    TimeTz {
        time: (t.time + micros % USECS_PER_DAY).rem_euclid(USECS_PER_DAY),
        offset_secs: t.offset_secs,
    }
}

/// The same instant's time of day in a zone `offset_secs` east (`timetz_zone`).
fn in_zone(t: TimeTz, offset_secs: i32) -> TimeTz {
    let shifted = t.time + i64::from(offset_secs - t.offset_secs) * USECS_PER_SEC;
    TimeTz {
        time: shifted.rem_euclid(USECS_PER_DAY),
        offset_secs,
    }
}

fn date_out_of_range_for_timestamp() -> Error {
    pg_err!(
        DATETIME_VALUE_OUT_OF_RANGE,
        "date out of range for timestamp"
    )
}

/// `date + timetz` (`datetimetz_timestamptz`).
fn date_with_timetz(day: i32, t: TimeTz) -> Result<Datum> {
    match day {
        i32::MIN => return Ok(Datum::TimestampTz(i64::MIN)),
        i32::MAX => return Ok(Datum::TimestampTz(i64::MAX)),
        _ => {}
    }
    if i64::from(day) >= i64::from(TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE) {
        return Err(date_out_of_range_for_timestamp());
    }
    let utc = i64::from(day) * USECS_PER_DAY + t.time - i64::from(t.offset_secs) * USECS_PER_SEC;
    if !Timestamp::is_valid(utc) {
        return Err(date_out_of_range_for_timestamp());
    }
    Ok(Datum::TimestampTz(utc))
}

pub(super) fn register(t: &mut Table) {
    reg(t, &["timetz_eq"], |_, a| Ok(Datum::Bool(cmp(a)?.is_eq())));
    reg(t, &["timetz_ne"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ne())));
    reg(t, &["timetz_lt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_lt())));
    reg(t, &["timetz_le"], |_, a| Ok(Datum::Bool(cmp(a)?.is_le())));
    reg(t, &["timetz_gt"], |_, a| Ok(Datum::Bool(cmp(a)?.is_gt())));
    reg(t, &["timetz_ge"], |_, a| Ok(Datum::Bool(cmp(a)?.is_ge())));
    reg(t, &["timetz_cmp"], |_, a| Ok(Datum::Int4(cmp(a)? as i32)));
    reg(t, &["timetz_larger"], |_, a| {
        Ok(value(timetz(&a[0])?.max(timetz(&a[1])?)))
    });
    reg(t, &["timetz_smaller"], |_, a| {
        Ok(value(timetz(&a[0])?.min(timetz(&a[1])?)))
    });
    reg(t, &["timetz_pl_interval"], |_, a| {
        Ok(value(plus_micros(timetz(&a[0])?, interval(&a[1])?.micros)))
    });
    reg(t, &["timetz_mi_interval"], |_, a| {
        Ok(value(plus_micros(
            timetz(&a[0])?,
            -(interval(&a[1])?.micros % USECS_PER_DAY),
        )))
    });
    reg(t, &["timetz_zone"], |ctx, a| {
        let spec = resolve_zone(text(&a[0])?)?;
        let offset = offset_at_utc(&spec, ctx.transaction_start);
        Ok(value(in_zone(timetz(&a[1])?, offset)))
    });
    reg(t, &["timetz_izone"], |ctx, a| {
        let offset = interval_zone_offset(ctx, &interval(&a[0])?)?;
        Ok(value(in_zone(timetz(&a[1])?, offset as i32)))
    });
    reg(t, &["timetz_time"], |_, a| {
        Ok(Datum::Time(timetz(&a[0])?.time))
    });
    // The session zone's offset on today's date at that time of day.
    reg(t, &["time_timetz"], |ctx, a| {
        let tz = session_zone(ctx);
        let t = time(&a[0])?;
        let now_local = TimestampTz(ctx.transaction_start).to_local(tz)?.0;
        let local = now_local.div_euclid(USECS_PER_DAY) * USECS_PER_DAY + t.0;
        Ok(value(TimeTz {
            time: t.0,
            offset_secs: tz.local_offset(local).0,
        }))
    });
    reg(t, &["timestamptz_timetz"], |ctx, a| {
        let ts = usecs(&a[0])?;
        if is_infinite_usecs(ts) {
            return Ok(Datum::Null);
        }
        let tz = session_zone(ctx);
        let local = TimestampTz(ts).to_local(tz)?;
        Ok(value(TimeTz {
            time: local.0.rem_euclid(USECS_PER_DAY),
            offset_secs: tz.utc_to_local(ts).offset,
        }))
    });
    reg(t, &["datetimetz_timestamptz"], |_, a| {
        date_with_timetz(date(&a[0])?.0, timetz(&a[1])?)
    });
    reg(t, &["timetz_scale"], |_, a| {
        let mut v = timetz(&a[0])?;
        v.time = adjust_time_for_typmod(v.time, int4(&a[1])?);
        Ok(value(v))
    });
    reg(t, &["timetz_part"], |_, a| {
        Ok(Datum::Float8(fields::date_part_timetz(
            text(&a[0])?,
            timetz(&a[1])?,
        )?))
    });
    reg(t, &["extract_timetz"], |_, a| {
        Ok(Datum::Numeric(fields::extract_timetz(
            text(&a[0])?,
            timetz(&a[1])?,
        )?))
    });
}

/// SQL-language built-ins over `timetz`, by `pg_proc` OID.
pub(in crate::builtins) fn sql_language_function(proc: u32) -> Option<super::super::ScalarFn> {
    Some(match proc {
        // timetzdate_pl(timetz, date): $2 + $1
        1298 => |_, a| date_with_timetz(date(&a[1])?.0, timetz(&a[0])?),
        // interval_pl_timetz(interval, timetz): $2 + $1
        2547 => |_, a| Ok(value(plus_micros(timetz(&a[1])?, interval(&a[0])?.micros))),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_shift_keeps_the_instant_and_wraps_the_day() {
        let t = TimeTz {
            time: 23 * 3_600_000_000,
            offset_secs: 0,
        };
        let shifted = in_zone(t, 2 * 3600);
        assert_eq!(shifted.time, 3_600_000_000);
        assert_eq!(shifted.cmp(&t), Ordering::Less);
        assert_eq!(plus_micros(t, 2 * 3_600_000_000).time, 3_600_000_000);
    }
}
