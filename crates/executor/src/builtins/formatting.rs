//! Data type formatting functions (PostgreSQL docs §9.8): `to_char` for timestamps,
//! intervals and numbers, `to_number`, `to_date` and `to_timestamp(text, text)`.
//!
//! The work is done in `tusk_types::adt::formatting`; this module unpacks [`Datum`]s,
//! supplies the session's time zone, and registers each function under its
//! `pg_proc.prosrc` name. `to_char` of an infinite timestamp or with an empty template is
//! NULL, as in PostgreSQL.
//!
//! Entry point: [`register`].

use tusk_types::adt::datetime::{Interval, Timestamp, TimestampTz};
use tusk_types::adt::formatting::{datetime_from_char, datetime_to_char, number};
use tusk_types::{Datum, Error, Result};

use super::{reg, Table};

fn text(d: &Datum) -> Result<&str> {
    match d {
        Datum::Text(s) => Ok(s),
        _ => Err(Error::internal("text argument expected")),
    }
}

fn text_or_null(v: Option<String>) -> Datum {
    v.map(Datum::Text).unwrap_or(Datum::Null)
}

/// Registers the formatting functions.
pub(super) fn register(t: &mut Table) {
    reg(t, &["timestamp_to_char"], |_, a| match &a[0] {
        Datum::Timestamp(v) => Ok(text_or_null(datetime_to_char::timestamp_to_char(
            Timestamp(*v),
            text(&a[1])?,
        )?)),
        _ => Err(Error::internal("timestamp argument expected")),
    });
    reg(t, &["timestamptz_to_char"], |ctx, a| match &a[0] {
        Datum::TimestampTz(v) => Ok(text_or_null(datetime_to_char::timestamptz_to_char(
            TimestampTz(*v),
            &ctx.output.time_zone,
            text(&a[1])?,
        )?)),
        _ => Err(Error::internal("timestamptz argument expected")),
    });
    reg(t, &["interval_to_char"], |_, a| match &a[0] {
        Datum::Interval {
            months,
            days,
            micros,
        } => Ok(text_or_null(datetime_to_char::interval_to_char(
            &Interval::new(*months, *days, *micros),
            text(&a[1])?,
        )?)),
        _ => Err(Error::internal("interval argument expected")),
    });
    reg(
        t,
        &[
            "numeric_to_char",
            "int4_to_char",
            "int8_to_char",
            "float4_to_char",
            "float8_to_char",
        ],
        |_, a| {
            let template = text(&a[1])?;
            if template.is_empty() {
                return Ok(Datum::Text(String::new()));
            }
            let out = match &a[0] {
                Datum::Numeric(v) => number::numeric_to_char(v, template)?,
                Datum::Int2(v) => number::int4_to_char(i32::from(*v), template)?,
                Datum::Int4(v) => number::int4_to_char(*v, template)?,
                Datum::Int8(v) => number::int8_to_char(*v, template)?,
                Datum::Float4(v) => number::float4_to_char(*v, template)?,
                Datum::Float8(v) => number::float8_to_char(*v, template)?,
                _ => return Err(Error::internal("numeric argument expected")),
            };
            Ok(Datum::Text(out))
        },
    );
    reg(t, &["numeric_to_number"], |_, a| {
        let template = text(&a[1])?;
        if template.is_empty() {
            return Ok(Datum::Null);
        }
        Ok(Datum::Numeric(number::numeric_to_number(
            text(&a[0])?,
            template,
        )?))
    });
    reg(t, &["to_timestamp"], |ctx, a| {
        let v =
            datetime_from_char::to_timestamp(text(&a[0])?, text(&a[1])?, &ctx.output.time_zone)?;
        Ok(Datum::TimestampTz(v.0))
    });
    reg(t, &["to_date"], |_, a| {
        let d = datetime_from_char::to_date(text(&a[0])?, text(&a[1])?)?;
        Ok(Datum::Date(d.0))
    });
}

#[cfg(test)]
mod tests {
    use super::super::datetime::test_support::call;
    use tusk_types::adt::numeric::Numeric;
    use tusk_types::Datum;

    fn txt(s: &str) -> Datum {
        Datum::Text(s.into())
    }

    #[test]
    fn to_char_variants_dispatch_by_type() {
        // Expected strings from PostgreSQL 15.
        let n = Numeric::parse("-1234.5").expect("numeric");
        assert_eq!(
            call(
                "UTC",
                "numeric_to_char",
                &[Datum::Numeric(n), txt("9G999D99S")]
            )
            .expect("ok"),
            txt("1,234.50-")
        );
        assert_eq!(
            call("UTC", "int4_to_char", &[Datum::Int4(42), txt("FM999th")]).expect("ok"),
            txt("42nd")
        );
        assert_eq!(
            call("UTC", "float8_to_char", &[Datum::Float8(0.5), txt("0.99")]).expect("ok"),
            txt(" 0.50")
        );
        // 2024-01-08 04:00:00 UTC is 2024-01-07 20:00 in Los Angeles.
        let ts = 8773 * 86_400_000_000 + 4 * 3_600_000_000;
        assert_eq!(
            call(
                "America/Los_Angeles",
                "timestamptz_to_char",
                &[Datum::TimestampTz(ts), txt("Dy DD HH24 TZ")]
            )
            .expect("ok"),
            txt("Sun 07 20 PST")
        );
        assert_eq!(
            call(
                "UTC",
                "timestamp_to_char",
                &[Datum::Timestamp(i64::MAX), txt("YYYY")]
            )
            .expect("ok"),
            Datum::Null
        );
    }

    #[test]
    fn parsing_functions_use_the_session_zone() {
        let v = call(
            "America/Los_Angeles",
            "to_timestamp",
            &[txt("2024-01-08 04:00"), txt("YYYY-MM-DD HH24:MI")],
        )
        .expect("ok");
        assert_eq!(
            v,
            Datum::TimestampTz(8773 * 86_400_000_000 + 12 * 3_600_000_000)
        );
        let d = call("UTC", "to_date", &[txt("08 Jan 2024"), txt("DD Mon YYYY")]).expect("ok");
        assert_eq!(d, Datum::Date(8773));
        let n = call(
            "UTC",
            "numeric_to_number",
            &[txt("1,234.5-"), txt("9G999D9S")],
        )
        .expect("ok");
        assert_eq!(
            n,
            Datum::Numeric(Numeric::parse("-1234.5").expect("numeric"))
        );
    }
}
