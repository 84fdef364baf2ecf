//! Binary wire formats of the built-in types (PostgreSQL's `*send`/`*recv` functions), as
//! used by the extended protocol's binary parameters and results and by `COPY BINARY`.
//!
//! All integers are big-endian. Layouts:
//!
//! ```text
//!   bool          1 byte, 0 = false, anything else = true
//!   int2/4/8      2/4/8 bytes, two's complement
//!   float4/8      IEEE 754, 4/8 bytes
//!   bytea         the bytes themselves
//!   numeric       ndigits i16 | weight i16 | sign u16 | dscale u16 | ndigits × digit i16
//!                 sign: 0x0000 +, 0x4000 -, 0xC000 NaN, 0xD000 +Infinity, 0xF000 -Infinity
//!   date          i32 days since 2000-01-01
//!   time          i64 microseconds since midnight
//!   timetz        i64 microseconds | i32 zone, seconds WEST of UTC
//!   timestamp(tz) i64 microseconds since 2000-01-01 00:00:00 (UTC for timestamptz)
//!   interval      i64 microseconds | i32 days | i32 months
//! ```
//!
//! Receive functions read from the front of a buffer and advance it, like PostgreSQL's
//! `StringInfo` cursor; the caller checks that nothing is left over (PostgreSQL then
//! reports 22P03 `incorrect binary data format in bind parameter N`). Reading past the end
//! is 08P01 `insufficient data left in message`.

use crate::{pg_err, Error, Result};

use super::datetime::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};
use super::numeric::{Numeric, NumericSign, NBASE, NUMERIC_DSCALE_MAX};

/// 08P01 `insufficient data left in message`.
fn insufficient() -> Error {
    pg_err!(PROTOCOL_VIOLATION, "insufficient data left in message")
}

/// Takes `n` bytes from the front of `buf`.
fn take<'a>(buf: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if buf.len() < n {
        return Err(insufficient());
    }
    let (head, tail) = buf.split_at(n);
    *buf = tail;
    Ok(head)
}

fn take_array<const N: usize>(buf: &mut &[u8]) -> Result<[u8; N]> {
    Ok(take(buf, N)?
        .try_into()
        .expect("take returned exactly N bytes"))
}

/// `boolsend`.
pub fn bool_send(v: bool) -> Vec<u8> {
    vec![u8::from(v)]
}

/// `boolrecv`: any nonzero byte is true.
///
/// Errors: 08P01 `insufficient data left in message`.
pub fn bool_recv(buf: &mut &[u8]) -> Result<bool> {
    Ok(take_array::<1>(buf)?[0] != 0)
}

/// `int2send`.
pub fn int2_send(v: i16) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}

/// `int2recv`.
///
/// Errors: 08P01 `insufficient data left in message`.
pub fn int2_recv(buf: &mut &[u8]) -> Result<i16> {
    Ok(i16::from_be_bytes(take_array(buf)?))
}

/// `int4send`.
pub fn int4_send(v: i32) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}

/// `int4recv`.
///
/// Errors: 08P01 `insufficient data left in message`.
pub fn int4_recv(buf: &mut &[u8]) -> Result<i32> {
    Ok(i32::from_be_bytes(take_array(buf)?))
}

/// `int8send`.
pub fn int8_send(v: i64) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}

/// `int8recv`.
///
/// Errors: 08P01 `insufficient data left in message`.
pub fn int8_recv(buf: &mut &[u8]) -> Result<i64> {
    Ok(i64::from_be_bytes(take_array(buf)?))
}

/// `float4send`.
pub fn float4_send(v: f32) -> Vec<u8> {
    v.to_bits().to_be_bytes().to_vec()
}

/// `float4recv`.
///
/// Errors: 08P01 `insufficient data left in message`.
pub fn float4_recv(buf: &mut &[u8]) -> Result<f32> {
    Ok(f32::from_bits(u32::from_be_bytes(take_array(buf)?)))
}

/// `float8send`.
pub fn float8_send(v: f64) -> Vec<u8> {
    v.to_bits().to_be_bytes().to_vec()
}

/// `float8recv`.
///
/// Errors: 08P01 `insufficient data left in message`.
pub fn float8_recv(buf: &mut &[u8]) -> Result<f64> {
    Ok(f64::from_bits(u64::from_be_bytes(take_array(buf)?)))
}

/// `byteasend`: the bytes themselves.
pub fn bytea_send(v: &[u8]) -> Vec<u8> {
    v.to_vec()
}

/// `bytearecv`: all remaining bytes.
pub fn bytea_recv(buf: &mut &[u8]) -> Vec<u8> {
    let all = buf.to_vec();
    *buf = &[];
    all
}

const NUMERIC_POS: u16 = 0x0000;
const NUMERIC_NEG: u16 = 0x4000;
const NUMERIC_NAN: u16 = 0xC000;
const NUMERIC_PINF: u16 = 0xD000;
const NUMERIC_NINF: u16 = 0xF000;

/// `numeric_send`.
pub fn numeric_send(v: &Numeric) -> Vec<u8> {
    let sign = match v.sign() {
        NumericSign::Positive => NUMERIC_POS,
        NumericSign::Negative => NUMERIC_NEG,
        NumericSign::NaN => NUMERIC_NAN,
        NumericSign::PositiveInfinity => NUMERIC_PINF,
        NumericSign::NegativeInfinity => NUMERIC_NINF,
    };
    let digits = v.digits();
    let mut out = Vec::with_capacity(8 + 2 * digits.len());
    out.extend_from_slice(&(digits.len() as u16).to_be_bytes());
    out.extend_from_slice(&(v.weight() as i16).to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    // PostgreSQL reads the display scale of ±Infinity out of its special header bits,
    // which yields 32; NaN's yields 0.
    let dscale = if v.is_infinite() {
        32
    } else {
        v.dscale() as u16
    };
    out.extend_from_slice(&dscale.to_be_bytes());
    for &d in digits {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out
}

fn invalid_numeric(what: &str) -> Error {
    pg_err!(
        INVALID_BINARY_REPRESENTATION,
        "invalid {} in external \"numeric\" value",
        what
    )
}

/// `numeric_recv`: digits beyond the display scale are truncated away, as PostgreSQL does.
///
/// Errors: 22P03 `invalid sign in external "numeric" value`, `invalid scale …`,
/// `invalid digit …`; 22003 `value overflows numeric format`; 08P01 on short input.
pub fn numeric_recv(buf: &mut &[u8]) -> Result<Numeric> {
    let ndigits = u16::from_be_bytes(take_array(buf)?);
    let weight = i16::from_be_bytes(take_array(buf)?);
    let sign = u16::from_be_bytes(take_array(buf)?);
    if ![
        NUMERIC_POS,
        NUMERIC_NEG,
        NUMERIC_NAN,
        NUMERIC_PINF,
        NUMERIC_NINF,
    ]
    .contains(&sign)
    {
        return Err(invalid_numeric("sign"));
    }
    let dscale = u16::from_be_bytes(take_array(buf)?);
    if i32::from(dscale) > NUMERIC_DSCALE_MAX {
        return Err(invalid_numeric("scale"));
    }
    let mut digits = Vec::with_capacity(usize::from(ndigits));
    for _ in 0..ndigits {
        let d = i16::from_be_bytes(take_array(buf)?);
        if d < 0 || d as u32 >= NBASE {
            return Err(invalid_numeric("digit"));
        }
        digits.push(d as u16);
    }
    match sign {
        NUMERIC_NAN => Ok(Numeric::nan()),
        NUMERIC_PINF => Ok(Numeric::infinity()),
        NUMERIC_NINF => Ok(Numeric::neg_infinity()),
        _ => {
            let raw = Numeric::normalized(
                sign == NUMERIC_NEG,
                i32::from(weight),
                i32::from(dscale),
                digits,
            );
            let truncated = raw.trunc(i32::from(dscale));
            truncated.check_limits()?;
            Ok(truncated)
        }
    }
}

/// `date_send`.
pub fn date_send(v: Date) -> Vec<u8> {
    v.0.to_be_bytes().to_vec()
}

/// `date_recv`: the same range `date_in` accepts, plus the infinities.
///
/// Errors: 22008 `date out of range`; 08P01 on short input.
pub fn date_recv(buf: &mut &[u8]) -> Result<Date> {
    let d = Date(i32::from_be_bytes(take_array(buf)?));
    if !d.is_infinite() && !Date::is_valid(i64::from(d.0)) {
        return Err(pg_err!(DATETIME_VALUE_OUT_OF_RANGE, "date out of range"));
    }
    Ok(d)
}

/// `time_send`.
pub fn time_send(v: Time) -> Vec<u8> {
    v.0.to_be_bytes().to_vec()
}

/// `time_recv`.
///
/// Errors: 22008 `time out of range`; 08P01 on short input.
pub fn time_recv(buf: &mut &[u8]) -> Result<Time> {
    let t = i64::from_be_bytes(take_array(buf)?);
    if !(0..=86_400_000_000).contains(&t) {
        return Err(super::datetime::time::time_out_of_range());
    }
    Ok(Time(t))
}

/// `timetz_send`: the zone goes out in PostgreSQL's sign (seconds west).
pub fn timetz_send(v: TimeTz) -> Vec<u8> {
    let mut out = v.time.to_be_bytes().to_vec();
    out.extend_from_slice(&(-v.offset_secs).to_be_bytes());
    out
}

/// `timetz_recv`.
///
/// Errors: 22008 `time out of range`, 22009 `time zone displacement out of range`; 08P01 on
/// short input.
pub fn timetz_recv(buf: &mut &[u8]) -> Result<TimeTz> {
    let time = time_recv(buf)?.0;
    let zone_west = i32::from_be_bytes(take_array(buf)?);
    const TZDISP_LIMIT: i32 = 16 * 3600;
    if zone_west <= -TZDISP_LIMIT || zone_west >= TZDISP_LIMIT {
        return Err(pg_err!(
            INVALID_TIME_ZONE_DISPLACEMENT_VALUE,
            "time zone displacement out of range"
        ));
    }
    Ok(TimeTz {
        time,
        offset_secs: -zone_west,
    })
}

/// `timestamp_send`.
pub fn timestamp_send(v: Timestamp) -> Vec<u8> {
    v.0.to_be_bytes().to_vec()
}

/// `timestamp_recv`: the valid range, plus the infinities.
///
/// Errors: 22008 `timestamp out of range`; 08P01 on short input.
pub fn timestamp_recv(buf: &mut &[u8]) -> Result<Timestamp> {
    let t = Timestamp(i64::from_be_bytes(take_array(buf)?));
    if !t.is_infinite() && !Timestamp::is_valid(t.0) {
        return Err(super::datetime::timestamp::timestamp_out_of_range());
    }
    Ok(t)
}

/// `timestamptz_send`.
pub fn timestamptz_send(v: TimestampTz) -> Vec<u8> {
    v.0.to_be_bytes().to_vec()
}

/// `timestamptz_recv`.
///
/// Errors: 22008 `timestamp out of range`; 08P01 on short input.
pub fn timestamptz_recv(buf: &mut &[u8]) -> Result<TimestampTz> {
    timestamp_recv(buf).map(|t| TimestampTz(t.0))
}

/// `interval_send`.
pub fn interval_send(v: &Interval) -> Vec<u8> {
    let mut out = v.micros.to_be_bytes().to_vec();
    out.extend_from_slice(&v.days.to_be_bytes());
    out.extend_from_slice(&v.months.to_be_bytes());
    out
}

/// `interval_recv`.
///
/// Errors: 08P01 `insufficient data left in message`.
pub fn interval_recv(buf: &mut &[u8]) -> Result<Interval> {
    let micros = i64::from_be_bytes(take_array(buf)?);
    let days = i32::from_be_bytes(take_array(buf)?);
    let months = i32::from_be_bytes(take_array(buf)?);
    Ok(Interval {
        months,
        days,
        micros,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqlState;

    #[test]
    fn scalars_round_trip() {
        assert_eq!(int4_send(-2), vec![0xff, 0xff, 0xff, 0xfe]);
        let mut b: &[u8] = &[0x00, 0x01, 0xff];
        assert_eq!(int2_recv(&mut b).unwrap(), 1);
        assert_eq!(b, &[0xff]);
        let e = int4_recv(&mut b).unwrap_err();
        assert_eq!(e.code, SqlState::PROTOCOL_VIOLATION);
        assert_eq!(e.message, "insufficient data left in message");
        let bytes = float8_send(1.5);
        assert_eq!(float8_recv(&mut bytes.as_slice()).unwrap(), 1.5);
        assert!(bool_recv(&mut [7u8].as_slice()).unwrap());
    }

    #[test]
    fn numeric_layout_matches_postgres() {
        // 1234.5600: ndigits 2, weight 0, sign +, dscale 4, digits [1234, 5600].
        let v = Numeric::parse("1234.5600").unwrap();
        let bytes = numeric_send(&v);
        assert_eq!(bytes, vec![0, 2, 0, 0, 0, 0, 0, 4, 0x04, 0xd2, 0x15, 0xe0]);
        assert_eq!(
            numeric_recv(&mut bytes.as_slice()).unwrap().to_string(),
            "1234.5600"
        );
        let neg = numeric_send(&Numeric::parse("-0.001").unwrap());
        assert_eq!(neg, vec![0, 1, 0xff, 0xff, 0x40, 0, 0, 3, 0, 10]);
        assert_eq!(
            numeric_send(&Numeric::nan()),
            vec![0, 0, 0, 0, 0xc0, 0, 0, 0]
        );
        // Digits hidden by the scale are truncated: 1.2345 with dscale 2 reads as 1.23.
        let hidden = [0u8, 2, 0, 0, 0, 0, 0, 2, 0, 1, 0x09, 0x29];
        assert_eq!(
            numeric_recv(&mut hidden.as_slice()).unwrap().to_string(),
            "1.23"
        );
        let bad_sign = [0u8, 0, 0, 0, 0x12, 0x34, 0, 0];
        assert_eq!(
            numeric_recv(&mut bad_sign.as_slice()).unwrap_err().message,
            "invalid sign in external \"numeric\" value"
        );
        let bad_digit = [0u8, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10];
        assert_eq!(
            numeric_recv(&mut bad_digit.as_slice()).unwrap_err().code,
            SqlState::INVALID_BINARY_REPRESENTATION
        );
    }

    #[test]
    fn datetime_layouts() {
        let tz = TimeTz {
            time: 1,
            offset_secs: 3600,
        };
        let bytes = timetz_send(tz);
        assert_eq!(&bytes[8..], &(-3600i32).to_be_bytes());
        assert_eq!(timetz_recv(&mut bytes.as_slice()).unwrap(), tz);
        let iv = Interval::new(14, 3, 5);
        let bytes = interval_send(&iv);
        assert_eq!(bytes.len(), 16);
        let back = interval_recv(&mut bytes.as_slice()).unwrap();
        assert_eq!((back.months, back.days, back.micros), (14, 3, 5));
        assert_eq!(
            time_recv(&mut (86_400_000_001i64).to_be_bytes().as_slice())
                .unwrap_err()
                .message,
            "time out of range"
        );
        assert_eq!(
            date_recv(&mut i32::MAX.to_be_bytes().as_slice()).unwrap(),
            Date::INFINITY
        );
        assert_eq!(
            date_recv(&mut (i32::MAX - 1).to_be_bytes().as_slice())
                .unwrap_err()
                .message,
            "date out of range"
        );
    }
}
