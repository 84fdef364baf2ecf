//! Binary send/receive formats (network byte order), as PostgreSQL's `*send`/`*recv`
//! functions define them; drivers such as tokio-postgres and JDBC read these byte for byte.

use tusk_types::adt::bit::{self, BitString};
use tusk_types::adt::datetime::TimeTz;
use tusk_types::adt::inet::Inet;
use tusk_types::adt::numeric::{Numeric, NumericSign};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

/// Appends the binary form of `value` (SQL type `type_oid`) to `out`.
///
/// Errors: 0A000 for types without a binary form in tusk yet.
pub fn binary_send(value: &Datum, type_oid: Oid, out: &mut Vec<u8>) -> Result<()> {
    match value {
        Datum::Null => {}
        Datum::Bool(b) => out.push(u8::from(*b)),
        Datum::Int2(v) => out.extend_from_slice(&v.to_be_bytes()),
        Datum::Int4(v) => out.extend_from_slice(&v.to_be_bytes()),
        Datum::Int8(_) if type_oid == type_oid::TID => {
            let tid = tusk_types::adt::tid::tid_from_datum(value)
                .ok_or_else(|| tusk_types::Error::internal("tid datum out of range"))?;
            out.extend_from_slice(&tid.block.0.to_be_bytes());
            out.extend_from_slice(&tid.offset.0.to_be_bytes());
        }
        Datum::Int8(v) => out.extend_from_slice(&v.to_be_bytes()),
        Datum::Float4(v) => out.extend_from_slice(&v.to_bits().to_be_bytes()),
        Datum::Float8(v) => out.extend_from_slice(&v.to_bits().to_be_bytes()),
        Datum::Oid(v) => out.extend_from_slice(&v.to_be_bytes()),
        Datum::Text(s) if matches!(type_oid, type_oid::PG_SNAPSHOT | type_oid::TXID_SNAPSHOT) => {
            let snapshot = tusk_types::adt::pg_snapshot::PgSnapshot::parse(s)?;
            out.extend_from_slice(&snapshot.send())
        }
        Datum::Text(s) if matches!(type_oid, type_oid::TSVECTOR | type_oid::TSQUERY) => {
            super::tsearch::send(s, type_oid, out).expect("a text search type")?
        }
        Datum::Text(s) => {
            if type_oid == type_oid::JSONB || type_oid == type_oid::JSONPATH {
                out.push(1);
            }
            out.extend_from_slice(s.as_bytes())
        }
        Datum::Bytea(b) if matches!(type_oid, type_oid::INET | type_oid::CIDR) => {
            let value = Inet::from_key(b).ok_or_else(|| Error::internal("malformed inet datum"))?;
            out.extend_from_slice(&value.send(type_oid == type_oid::CIDR))
        }
        Datum::Bytea(b) if matches!(type_oid, type_oid::BIT | type_oid::VARBIT) => {
            out.extend_from_slice(&BitString::from_key(b).ok_or_else(bit::malformed)?.send())
        }
        Datum::Bytea(b) if type_oid == type_oid::TIMETZ => {
            let value =
                TimeTz::from_key(b).ok_or_else(|| Error::internal("malformed timetz datum"))?;
            out.extend_from_slice(&value.send())
        }
        Datum::Bytea(b) if tusk_types::adt::geo::io::is_geometric(type_oid) => {
            tusk_types::adt::geo::io::send(type_oid, b, out)?
        }
        Datum::Bytea(b) => out.extend_from_slice(b),
        Datum::Numeric(n) => numeric_send(n, out),
        Datum::Array(a) => super::array::array_send(a, out)?,
        Datum::Record(r) => super::record::record_send(r, out)?,
        Datum::Range(r) => super::range::range_send(r, type_oid, out)?,
        Datum::Multirange(m) => super::multirange::multirange_send(m, type_oid, out)?,
        Datum::Date(d) => out.extend_from_slice(&d.to_be_bytes()),
        Datum::Time(t) | Datum::Timestamp(t) | Datum::TimestampTz(t) => {
            out.extend_from_slice(&t.to_be_bytes())
        }
        Datum::Interval {
            months,
            days,
            micros,
        } => {
            out.extend_from_slice(&micros.to_be_bytes());
            out.extend_from_slice(&days.to_be_bytes());
            out.extend_from_slice(&months.to_be_bytes());
        }
    }
    Ok(())
}

/// `numeric_send`: ndigits, weight, sign, dscale (all 16-bit), then base-10000 digits.
fn numeric_send(n: &Numeric, out: &mut Vec<u8>) {
    let sign: u16 = match n.sign() {
        NumericSign::Positive => 0x0000,
        NumericSign::Negative => 0x4000,
        NumericSign::NaN => 0xC000,
        NumericSign::PositiveInfinity => 0xD000,
        NumericSign::NegativeInfinity => 0xF000,
    };
    let digits = if n.is_finite() { n.digits() } else { &[] };
    out.extend_from_slice(&(digits.len() as u16).to_be_bytes());
    out.extend_from_slice(&(if n.is_finite() { n.weight() as i16 } else { 0 }).to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&(if n.is_finite() { n.dscale() as u16 } else { 0 }).to_be_bytes());
    for d in digits {
        out.extend_from_slice(&d.to_be_bytes());
    }
}

fn take<const N: usize>(bytes: &[u8], type_name: &str) -> Result<[u8; N]> {
    bytes.try_into().map_err(|_| {
        Error::new(
            SqlState::INVALID_BINARY_REPRESENTATION,
            format!("incorrect binary data format in {type_name}"),
        )
        .detail("insufficient data left in message")
    })
}

/// Parses the binary form of a value of `type_oid`.
///
/// Errors: 22P03 `incorrect binary data format` for a wrong length, 0A000 for types
/// without a binary form in tusk yet.
pub fn binary_recv(bytes: &[u8], type_oid: Oid) -> Result<Datum> {
    if let Some(value) = super::tsearch::recv(bytes, type_oid) {
        return value;
    }
    Ok(match type_oid {
        type_oid::BOOL => Datum::Bool(take::<1>(bytes, "bool")?[0] != 0),
        type_oid::INT2 => Datum::Int2(i16::from_be_bytes(take(bytes, "int2")?)),
        type_oid::INT4 => Datum::Int4(i32::from_be_bytes(take(bytes, "int4")?)),
        type_oid::INT8 => Datum::Int8(i64::from_be_bytes(take(bytes, "int8")?)),
        type_oid::FLOAT4 => {
            Datum::Float4(f32::from_bits(u32::from_be_bytes(take(bytes, "float4")?)))
        }
        type_oid::FLOAT8 => {
            Datum::Float8(f64::from_bits(u64::from_be_bytes(take(bytes, "float8")?)))
        }
        type_oid::OID
        | type_oid::REGPROC
        | type_oid::REGTYPE
        | type_oid::REGCLASS
        | type_oid::REGCONFIG
        | type_oid::REGDICTIONARY
        | type_oid::XID
        | type_oid::CID => Datum::Oid(u32::from_be_bytes(take(bytes, "oid")?)),
        type_oid::TID => {
            let raw = take::<6>(bytes, "tid")?;
            tusk_types::adt::tid::tid_datum(tusk_types::ItemPointer {
                block: tusk_types::BlockNumber(u32::from_be_bytes([
                    raw[0], raw[1], raw[2], raw[3],
                ])),
                offset: tusk_types::OffsetNumber(u16::from_be_bytes([raw[4], raw[5]])),
            })
        }
        type_oid::TEXT
        | type_oid::VARCHAR
        | type_oid::BPCHAR
        | type_oid::NAME
        | type_oid::REFCURSOR
        | type_oid::UNKNOWN => Datum::Text(utf8(bytes)?),
        type_oid::JSON => {
            let text = utf8(bytes)?;
            tusk_types::adt::json::parse(&text, tusk_types::adt::json::Flavor::Json)?;
            Datum::Text(text)
        }
        type_oid::JSONPATH => Datum::Text(
            tusk_types::adt::jsonpath::recv(bytes, &crate::builtins::check_jsonpath_regex)?
                .to_string(),
        ),
        type_oid::JSONB => match bytes.split_first() {
            Some((1, rest)) => Datum::Text(
                tusk_types::adt::json::JsonValue::parse_jsonb(&utf8(rest)?)?.to_string(),
            ),
            Some((version, _)) => {
                return Err(pg_err!(
                    INVALID_BINARY_REPRESENTATION,
                    "unsupported jsonb version number {}",
                    version
                ))
            }
            None => {
                return Err(pg_err!(
                    INVALID_BINARY_REPRESENTATION,
                    "insufficient data left in message"
                ))
            }
        },
        type_oid::UUID => Datum::Bytea(take::<16>(bytes, "uuid")?.to_vec()),
        type_oid::INET | type_oid::CIDR => {
            Datum::Bytea(Inet::recv(bytes, type_oid == type_oid::CIDR)?.to_key())
        }
        type_oid::MACADDR => Datum::Bytea(take::<6>(bytes, "macaddr")?.to_vec()),
        type_oid::MACADDR8 => Datum::Bytea(macaddr8_recv(bytes)?),
        t if tusk_types::adt::geo::io::is_geometric(t) => {
            Datum::Bytea(tusk_types::adt::geo::io::recv(t, bytes)?)
        }
        type_oid::PG_LSN => Datum::Int8(i64::from_be_bytes(take(bytes, "pg_lsn")?)),
        type_oid::XID8 => Datum::Int8(i64::from_be_bytes(take(bytes, "xid8")?)),
        type_oid::XML => return Err(tusk_types::adt::xml::no_xml_support()),
        type_oid::PG_SNAPSHOT | type_oid::TXID_SNAPSHOT => {
            Datum::Text(tusk_types::adt::pg_snapshot::PgSnapshot::recv(bytes)?.to_text())
        }
        type_oid::MONEY => Datum::Int8(i64::from_be_bytes(take(bytes, "money")?)),
        type_oid::BIT | type_oid::VARBIT => Datum::Bytea(BitString::recv(bytes)?.to_key()),
        type_oid::TIMETZ => Datum::Bytea(TimeTz::recv(bytes)?.to_key()),
        type_oid::BYTEA => Datum::Bytea(bytes.to_vec()),
        type_oid::DATE => Datum::Date(i32::from_be_bytes(take(bytes, "date")?)),
        type_oid::TIME => Datum::Time(i64::from_be_bytes(take(bytes, "time")?)),
        type_oid::TIMESTAMP => Datum::Timestamp(i64::from_be_bytes(take(bytes, "timestamp")?)),
        type_oid::TIMESTAMPTZ => {
            Datum::TimestampTz(i64::from_be_bytes(take(bytes, "timestamptz")?))
        }
        type_oid::INTERVAL => {
            let b: [u8; 16] = take(bytes, "interval")?;
            Datum::Interval {
                micros: i64::from_be_bytes(b[0..8].try_into().expect("8 bytes")),
                days: i32::from_be_bytes(b[8..12].try_into().expect("4 bytes")),
                months: i32::from_be_bytes(b[12..16].try_into().expect("4 bytes")),
            }
        }
        type_oid::NUMERIC => Datum::Numeric(numeric_recv(bytes)?),
        other if super::array::array_type_element(other).is_some() => {
            let elem = super::array::array_type_element(other).expect("checked above");
            super::array::array_recv(bytes, other, elem)?
        }
        other if tusk_types::adt::range::range_subtype(other).is_some() => {
            super::range::range_recv(bytes, other)?
        }
        other if tusk_types::adt::multirange::multirange_range_type(other).is_some() => {
            super::multirange::multirange_recv(bytes, other)?
        }
        other => {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!(
                    "binary input of type {} is not supported yet",
                    super::format_type(other)
                ),
            ))
        }
    })
}

/// `numeric_recv`: rebuilt through the decimal text form, which validates every field.
fn numeric_recv(bytes: &[u8]) -> Result<Numeric> {
    let bad = || {
        Error::new(
            SqlState::INVALID_BINARY_REPRESENTATION,
            "invalid numeric value in external \"numeric\" value",
        )
    };
    if bytes.len() < 8 {
        return Err(bad());
    }
    let word = |i: usize| u16::from_be_bytes([bytes[i], bytes[i + 1]]);
    let ndigits = word(0) as usize;
    let weight = word(2) as i16 as i32;
    let sign = word(4);
    let dscale = word(6) as usize;
    if bytes.len() != 8 + 2 * ndigits {
        return Err(bad());
    }
    match sign {
        0xC000 => return Ok(Numeric::nan()),
        0xD000 => return Ok(Numeric::infinity()),
        0xF000 => return Ok(Numeric::neg_infinity()),
        0x0000 | 0x4000 => {}
        _ => {
            return Err(Error::new(
                SqlState::INVALID_BINARY_REPRESENTATION,
                "invalid sign in external \"numeric\" value",
            ))
        }
    }
    let digits: Vec<u16> = (0..ndigits).map(|i| word(8 + 2 * i)).collect();
    if digits.iter().any(|d| *d >= 10000) {
        return Err(Error::new(
            SqlState::INVALID_BINARY_REPRESENTATION,
            "invalid digit in external \"numeric\" value",
        ));
    }
    // Integer part: digit groups with weight >= 0; fraction: the rest, padded to dscale.
    let mut int_part = String::new();
    let mut frac_part = String::new();
    for (i, d) in digits.iter().enumerate() {
        let w = weight - i as i32;
        if w >= 0 {
            if int_part.is_empty() {
                int_part.push_str(&d.to_string());
            } else {
                int_part.push_str(&format!("{d:04}"));
            }
        } else {
            if frac_part.is_empty() && w < -1 {
                frac_part.push_str(&"0000".repeat((-w - 1) as usize));
            }
            frac_part.push_str(&format!("{d:04}"));
        }
    }
    if weight >= 0 {
        let last_weight = weight - digits.len() as i32 + 1;
        if last_weight > 0 {
            if int_part.is_empty() {
                int_part.push('0');
            } else {
                int_part.push_str(&"0000".repeat(last_weight as usize));
            }
        }
    }
    if int_part.is_empty() {
        int_part.push('0');
    }
    while frac_part.len() < dscale {
        frac_part.push('0');
    }
    let mut text = String::new();
    if sign == 0x4000 {
        text.push('-');
    }
    text.push_str(&int_part);
    if dscale > 0 {
        text.push('.');
        text.push_str(&frac_part[..dscale.min(frac_part.len())]);
    }
    Numeric::parse(&text)
}

/// `macaddr8_recv`: 8 bytes, or 6 (an EUI-48 address, widened with `ff:fe`).
fn macaddr8_recv(bytes: &[u8]) -> Result<Vec<u8>> {
    match bytes.len() {
        6 => Ok(tusk_types::adt::mac::macaddr_to_macaddr8(bytes).to_vec()),
        8 => Ok(bytes.to_vec()),
        _ => Err(pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "invalid length in external \"{}\" value",
            "macaddr8"
        )),
    }
}

fn utf8(bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        pg_err!(
            CHARACTER_NOT_IN_REPERTOIRE,
            "invalid byte sequence for encoding \"UTF8\""
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_binary_round_trip() {
        for text in [
            "0",
            "1.50",
            "-12345678.9012",
            "10000",
            "0.0001",
            "123456789012345678901234567890.5",
            "NaN",
        ] {
            let n = Numeric::parse(text).expect("parse");
            let mut buf = Vec::new();
            numeric_send(&n, &mut buf);
            let back = numeric_recv(&buf).expect("recv");
            assert_eq!(back.to_string(), n.to_string(), "{text}");
        }
    }

    #[test]
    fn int4_is_big_endian() {
        let mut buf = Vec::new();
        binary_send(&Datum::Int4(258), type_oid::INT4, &mut buf).expect("send");
        assert_eq!(buf, [0, 0, 1, 2]);
        assert_eq!(
            binary_recv(&buf, type_oid::INT4).expect("recv"),
            Datum::Int4(258)
        );
        assert!(binary_recv(&[1, 2], type_oid::INT4).is_err());
    }
}
