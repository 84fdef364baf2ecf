//! Type input and output: PostgreSQL's text forms (`typinput`/`typoutput`) and binary forms
//! (`typreceive`/`typsend`, PostgreSQL docs §55.2 and each type's send/recv function) for
//! the built-in types tusk represents.
//!
//! Entry points: [`text_out`], [`text_in`], [`binary_send`], [`binary_recv`]; arrays in
//! `array` ([`array_in`], [`array_out`], [`array_send`], [`array_recv`]); records in `record`
//! ([`record_out`], [`record_in`], [`record_send`]); ranges in `range` ([`range_in`],
//! [`range_out`], [`range_send`], [`range_recv`]).
//! Errors are the types' own (22P02 bad syntax, 22003 out of range, 22001 too long, ...);
//! a type without I/O here answers 0A000.

mod acl;
mod array;
mod binary;
mod datetime;
mod multirange;
mod range;
mod record;
mod reg;
mod tsearch;

use tusk_types::adt::bit::{self, BitString};
use tusk_types::adt::datetime::time::timetz_out;
use tusk_types::adt::datetime::TimeTz;
use tusk_types::adt::geo::io as geo_io;
use tusk_types::adt::inet::Inet;
use tusk_types::adt::{
    bool as pgbool, bytea, float, int, json, mac, money, numeric::Numeric, pg_snapshot,
};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use crate::OutputSettings;

pub use array::{array_in, array_out, array_recv, array_send, array_type_element};
pub use binary::{binary_recv, binary_send};
pub use multirange::{multirange_in, multirange_out, multirange_recv, multirange_send};
pub use range::{range_in, range_out, range_recv, range_send};
pub use record::{record_in, record_out, record_recv, record_send};
pub use reg::{
    catalog_name_in_with, catalog_name_lookup, reg_in, regproc_in_with, regprocedure_in_with,
};
pub use tsearch::{regconfig_in, regdictionary_in};

/// Appends the text form of `value` (of SQL type `type_oid`) to `out`. NULL is the
/// caller's business.
pub fn text_out(
    value: &Datum,
    type_oid: Oid,
    settings: &OutputSettings,
    out: &mut Vec<u8>,
) -> Result<()> {
    use std::io::Write as _;
    let w = |out: &mut Vec<u8>, s: &str| out.extend_from_slice(s.as_bytes());
    match value {
        Datum::Null => {}
        Datum::Bool(b) => w(out, pgbool::bool_out(*b)),
        Datum::Int2(v) => write!(out, "{v}").map_err(|_| Error::internal("write to Vec"))?,
        Datum::Int4(v) => write!(out, "{v}").map_err(|_| Error::internal("write to Vec"))?,
        Datum::Int8(_) if type_oid == type_oid::TID => {
            let tid = tusk_types::adt::tid::tid_from_datum(value)
                .ok_or_else(|| Error::internal("tid datum out of range"))?;
            w(out, &tusk_types::adt::tid::tid_out(tid))
        }
        Datum::Int8(v) if type_oid == type_oid::PG_LSN => {
            w(out, &tusk_types::adt::pg_lsn::pg_lsn_out(*v as u64))
        }
        Datum::Int8(v) if type_oid == type_oid::MONEY => w(out, &money::cash_out(*v)),
        Datum::Int8(v) if type_oid == type_oid::XID8 => {
            write!(out, "{}", *v as u64).map_err(|_| Error::internal("write to Vec"))?
        }
        Datum::Int8(v) => write!(out, "{v}").map_err(|_| Error::internal("write to Vec"))?,
        Datum::Float4(_) if type_oid.0 >= FIRST_USER_OID => {
            match settings.user_types.enum_out(type_oid, value) {
                Some(label) => w(out, label?),
                None => w(out, &float_out(value, settings)),
            }
        }
        Datum::Float4(_) => w(out, &float_out(value, settings)),
        Datum::Float8(v) => w(out, &float::float8_out(*v, settings.extra_float_digits)),
        Datum::Numeric(n) => w(out, &n.to_string()),
        Datum::Oid(0) if reg::is_catalog_name_type(type_oid) => w(out, "-"),
        Datum::Oid(v) if reg::is_catalog_name_type(type_oid) => {
            match reg::catalog_name_out(Oid(*v), type_oid, settings) {
                Some(name) => w(out, &name),
                None => write!(out, "{v}").map_err(|_| Error::internal("write to Vec"))?,
            }
        }
        Datum::Oid(v) if type_oid == type_oid::REGPROC => {
            let user = || {
                settings
                    .catalog_names
                    .as_ref()
                    .and_then(|n| n.0.function_name(Oid(*v)))
            };
            match tusk_catalog::builtin().proc_by_oid(Oid(*v)) {
                Some(p) => w(out, &p.name),
                None if *v == 0 => w(out, "-"),
                None if user().is_some() => w(out, &user().expect("checked")),
                None => write!(out, "{v}").map_err(|_| Error::internal("write to Vec"))?,
            }
        }
        Datum::Oid(v) if type_oid == type_oid::REGPROCEDURE => {
            let user = (*v >= 16384)
                .then_some(settings.catalog_names.as_ref())
                .flatten()
                .and_then(|n| n.0.function_signature(Oid(*v)));
            match user {
                Some(signature) => w(out, &signature),
                None => w(out, &reg::regprocedure_out(*v)),
            }
        }
        Datum::Oid(v) if matches!(type_oid, type_oid::REGCONFIG | type_oid::REGDICTIONARY) => {
            w(out, &tsearch::reg_out(*v, type_oid).unwrap_or_default())
        }
        Datum::Oid(v) if type_oid == type_oid::REGOPER => w(out, &reg::regoperator_out(*v, false)),
        Datum::Oid(v) if type_oid == type_oid::REGOPERATOR => {
            w(out, &reg::regoperator_out(*v, true))
        }
        Datum::Oid(v) => write!(out, "{v}").map_err(|_| Error::internal("write to Vec"))?,
        Datum::Text(s) if type_oid == type_oid::ACLITEM => w(out, &acl::aclitem_out(s, settings)),
        Datum::Text(s) => w(out, s),
        Datum::Bytea(b) if type_oid == type_oid::UUID => w(out, &uuid_out(b)),
        Datum::Bytea(b) if matches!(type_oid, type_oid::INET | type_oid::CIDR) => {
            let value = Inet::from_key(b).ok_or_else(|| Error::internal("malformed inet datum"))?;
            w(out, &value.output(type_oid == type_oid::CIDR))
        }
        Datum::Bytea(b) if type_oid == type_oid::MACADDR => w(out, &mac::macaddr_out(b)),
        Datum::Bytea(b) if type_oid == type_oid::MACADDR8 => w(out, &mac::macaddr8_out(b)),
        Datum::Bytea(b) if matches!(type_oid, type_oid::BIT | type_oid::VARBIT) => w(
            out,
            &BitString::from_key(b).ok_or_else(bit::malformed)?.output(),
        ),
        Datum::Bytea(b) if type_oid == type_oid::TIMETZ => {
            let value =
                TimeTz::from_key(b).ok_or_else(|| Error::internal("malformed timetz datum"))?;
            w(out, &timetz_out(value))
        }
        Datum::Bytea(b) if geo_io::is_geometric(type_oid) => w(
            out,
            &geo_io::text_out(type_oid, b, settings.extra_float_digits)?,
        ),
        Datum::Bytea(b) => w(out, &bytea::bytea_out(b, settings.bytea_output)),
        Datum::Date(_)
        | Datum::Time(_)
        | Datum::Timestamp(_)
        | Datum::TimestampTz(_)
        | Datum::Interval { .. } => w(out, &datetime::text_out(value, type_oid, settings)?),
        Datum::Array(a) => w(out, &array::array_out(a, type_oid, settings)?),
        Datum::Record(r) => w(out, &record::record_out(r, settings)?),
        Datum::Range(r) => w(out, &range::range_out(r, type_oid, settings)?),
        Datum::Multirange(m) => w(out, &multirange::multirange_out(m, type_oid, settings)?),
    }
    Ok(())
}

/// OIDs from here on are user objects (PostgreSQL's `FirstNormalObjectId`).
const FIRST_USER_OID: u32 = 16384;

fn float_out(value: &Datum, settings: &OutputSettings) -> String {
    match value {
        Datum::Float4(v) => float::float4_out(*v, settings.extra_float_digits),
        _ => String::new(),
    }
}

/// The text form as a `String` (see [`text_out`]).
pub fn text_out_string(value: &Datum, type_oid: Oid, settings: &OutputSettings) -> Result<String> {
    let mut buf = Vec::new();
    text_out(value, type_oid, settings, &mut buf)?;
    String::from_utf8(buf).map_err(|_| Error::internal("type output produced invalid UTF-8"))
}

/// Parses the text form of a value of `type_oid` with `typmod` (-1 = none), as the type's
/// input function does.
pub fn text_in(text: &str, type_oid: Oid, typmod: i32, settings: &OutputSettings) -> Result<Datum> {
    if let Some(value) = tsearch::text_in(text, type_oid) {
        return value;
    }
    Ok(match type_oid {
        type_oid::BOOL => Datum::Bool(pgbool::bool_in(text)?),
        type_oid::INT2 => Datum::Int2(int::int2_in(text)?),
        type_oid::INT4 => Datum::Int4(int::int4_in(text)?),
        type_oid::INT8 => Datum::Int8(int::int8_in(text)?),
        type_oid::TID => tusk_types::adt::tid::tid_datum(tusk_types::adt::tid::tid_in(text)?),
        type_oid::FLOAT4 => Datum::Float4(float::float4_in(text)?),
        type_oid::FLOAT8 => Datum::Float8(float::float8_in(text)?),
        type_oid::NUMERIC => Datum::Numeric(apply_numeric_typmod(Numeric::parse(text)?, typmod)?),
        type_oid::REGPROC
        | type_oid::REGTYPE
        | type_oid::REGPROCEDURE
        | type_oid::REGOPER
        | type_oid::REGOPERATOR => Datum::Oid(reg::reg_in(text, type_oid, settings)?),
        type_oid::REGCLASS | type_oid::REGNAMESPACE | type_oid::REGROLE => {
            Datum::Oid(reg::catalog_name_in(text, type_oid, settings)?)
        }
        type_oid::OID => Datum::Oid(oid_in(text)?),
        type_oid::XML => return Err(tusk_types::adt::xml::no_xml_support()),
        // xidin, cidin and xid8in read as C's strtoul(.., 0): garbage is 0.
        type_oid::XID | type_oid::CID => Datum::Oid(pg_snapshot::strtou64_base0(text) as u32),
        type_oid::XID8 => Datum::Int8(pg_snapshot::strtou64_base0(text) as i64),
        type_oid::PG_SNAPSHOT | type_oid::TXID_SNAPSHOT => {
            Datum::Text(pg_snapshot::PgSnapshot::parse(text)?.to_text())
        }
        // A cursor's name: its text (textin).
        type_oid::TEXT | type_oid::UNKNOWN | type_oid::REFCURSOR => Datum::Text(text.to_string()),
        type_oid::JSON => {
            let kb = settings.max_stack_depth_kb;
            json::parse_with_limit(text, json::Flavor::Json, json::depth_for_stack(kb), kb)?;
            Datum::Text(text.to_string())
        }
        type_oid::JSONB => Datum::Text(
            json::JsonValue::parse_jsonb_limited(text, settings.max_stack_depth_kb)?.to_string(),
        ),
        type_oid::JSONPATH => Datum::Text(
            tusk_types::adt::jsonpath::parse(text, &crate::builtins::check_jsonpath_regex)?
                .to_string(),
        ),
        type_oid::UUID => Datum::Bytea(uuid_in(text)?.to_vec()),
        type_oid::PG_LSN => Datum::Int8(tusk_types::adt::pg_lsn::pg_lsn_in(text)? as i64),
        type_oid::INET | type_oid::CIDR => {
            Datum::Bytea(Inet::parse(text, type_oid == type_oid::CIDR)?.to_key())
        }
        type_oid::MACADDR => Datum::Bytea(mac::macaddr_in(text)?.to_vec()),
        type_oid::MACADDR8 => Datum::Bytea(mac::macaddr8_in(text)?.to_vec()),
        type_oid::MONEY => Datum::Int8(money::cash_in(text)?),
        type_oid::BIT => {
            let value = BitString::parse(text)?;
            let value = if typmod > 0 {
                value.coerce_bit(typmod as usize, false)?
            } else {
                value
            };
            Datum::Bytea(value.to_key())
        }
        type_oid::VARBIT => {
            let value = BitString::parse(text)?;
            let value = if typmod > 0 {
                value.coerce_varbit(typmod as usize, false)?
            } else {
                value
            };
            Datum::Bytea(value.to_key())
        }
        t if geo_io::is_geometric(t) => Datum::Bytea(geo_io::text_in(t, text)?),
        type_oid::ACLITEM => acl::aclitem_in(text, settings)?,
        type_oid::NAME => Datum::Text(truncate_name(text)),
        type_oid::VARCHAR | type_oid::BPCHAR => {
            apply_char_typmod(Datum::Text(text.to_string()), type_oid, typmod, false)?
        }
        type_oid::CHAR => Datum::Text(text.chars().next().map(String::from).unwrap_or_default()),
        type_oid::BYTEA => Datum::Bytea(bytea::bytea_in(text)?),
        type_oid::DATE
        | type_oid::TIME
        | type_oid::TIMESTAMP
        | type_oid::TIMESTAMPTZ
        | type_oid::TIMETZ
        | type_oid::INTERVAL => datetime::text_in(text, type_oid, typmod, settings)?,
        type_oid::VOID => void_value(),
        other if other.0 >= FIRST_USER_OID => {
            if let Some(value) = settings.user_types.enum_in(other, text) {
                return value;
            }
            if let Some(desc) = settings.user_types.composite(other) {
                return record::record_in(text, desc, settings);
            }
            if let Some(elem) = settings.user_types.array_element(other) {
                return array::array_in(text, other, elem, typmod, settings);
            }
            if settings.user_types.range_subtype(other).is_some() {
                return range::range_in(text, other, settings);
            }
            if settings.user_types.multirange_range(other).is_some() {
                return multirange::multirange_in(text, other, settings);
            }
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!("input of type {} is not supported yet", format_type(other)),
            ));
        }
        other if array::array_type_element(other).is_some() => {
            let elem = array::array_type_element(other).expect("checked above");
            array::array_in(text, other, elem, typmod, settings)?
        }
        other if tusk_types::adt::range::range_subtype(other).is_some() => {
            range::range_in(text, other, settings)?
        }
        other if tusk_types::adt::multirange::multirange_range_type(other).is_some() => {
            multirange::multirange_in(text, other, settings)?
        }
        other => {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!("input of type {} is not supported yet", format_type(other)),
            ))
        }
    })
}

/// `uuid_in`: 32 hexadecimal digits, optionally in braces, with a hyphen allowed after
/// any group of four digits (PostgreSQL docs §8.12).
///
/// Errors: 22P02 `invalid input syntax for type uuid: "..."`.
pub fn uuid_in(text: &str) -> Result<[u8; 16]> {
    let bad = || {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type uuid: \"{}\"",
            text
        )
    };
    let mut s = text.as_bytes();
    let braces = s.first() == Some(&b'{');
    if braces {
        s = &s[1..];
    }
    let mut out = [0u8; 16];
    let mut i = 0;
    for (n, byte) in out.iter_mut().enumerate() {
        let hi = s
            .get(i)
            .and_then(|c| (*c as char).to_digit(16))
            .ok_or_else(bad)?;
        let lo = s
            .get(i + 1)
            .and_then(|c| (*c as char).to_digit(16))
            .ok_or_else(bad)?;
        *byte = (hi * 16 + lo) as u8;
        i += 2;
        if n % 2 == 1 && n < 15 && s.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    if braces {
        if s.get(i) != Some(&b'}') {
            return Err(bad());
        }
        i += 1;
    }
    if i != s.len() {
        return Err(bad());
    }
    Ok(out)
}

/// `uuid_out`: lower-case `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub fn uuid_out(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The one value of type `void`: not NULL, empty in text and binary form (`void_in`,
/// `void_out`, `void_send`).
pub fn void_value() -> Datum {
    Datum::Text(String::new())
}

/// `oidin`: an unsigned 32-bit number (negative values wrap, as PostgreSQL accepts them).
fn oid_in(text: &str) -> Result<u32> {
    let t = text.trim();
    let bad = || {
        pg_err!(
            INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type oid: \"{}\"",
            text
        )
    };
    let v: i64 = t.parse().map_err(|_| bad())?;
    if v < i32::MIN as i64 || v > u32::MAX as i64 {
        return Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "value \"{}\" is out of range for type oid",
            text
        ));
    }
    Ok(v as u32)
}

/// Names are truncated to 63 bytes (NAMEDATALEN - 1) on a character boundary.
fn truncate_name(text: &str) -> String {
    if text.len() <= 63 {
        return text.to_string();
    }
    let mut end = 63;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// Applies a `numeric(p,s)` typmod (22003 `numeric field overflow` when it does not fit).
pub fn apply_numeric_typmod(n: Numeric, typmod: i32) -> Result<Numeric> {
    if typmod < 4 {
        return Ok(n);
    }
    let t = typmod - 4;
    let precision = (t >> 16) & 0xffff;
    let scale = ((t & 0xffff) as i16) as i32;
    n.apply_typmod(precision, scale)
}

/// Applies a `varchar(n)`/`char(n)` typmod: 22001 `value too long for type character
/// varying(n)` unless the excess is spaces (then truncated), or `explicit` (a cast
/// truncates silently); `char(n)` pads with spaces.
pub fn apply_char_typmod(
    value: Datum,
    type_oid: Oid,
    typmod: i32,
    explicit: bool,
) -> Result<Datum> {
    let Datum::Text(s) = value else {
        return Ok(value);
    };
    if typmod < 4 {
        return Ok(Datum::Text(s));
    }
    let max = (typmod - 4) as usize;
    let len = s.chars().count();
    let mut s = s;
    if len > max {
        let cut = s.char_indices().nth(max).map(|(i, _)| i).unwrap_or(s.len());
        if !explicit && !s[cut..].bytes().all(|b| b == b' ') {
            let label = if type_oid == type_oid::BPCHAR {
                "character"
            } else {
                "character varying"
            };
            return Err(pg_err!(
                STRING_DATA_RIGHT_TRUNCATION,
                "value too long for type {}({})",
                label,
                max
            ));
        }
        s.truncate(cut);
    } else if type_oid == type_oid::BPCHAR && len < max {
        // Padded a run of spaces at a time (a char at a time showed in bulk loads).
        const SPACES: &str = "                                                                ";
        let mut pad = max - len;
        s.reserve(pad);
        while pad > 0 {
            let n = pad.min(SPACES.len());
            s.push_str(&SPACES[..n]);
            pad -= n;
        }
    }
    Ok(Datum::Text(s))
}

/// `format_type` for built-in types: `integer`, `character varying`, `numeric`.
pub fn format_type(oid: Oid) -> String {
    if let Some(name) = type_oid::builtin_name(oid) {
        return name.to_string();
    }
    match tusk_catalog::builtin().type_by_oid(oid) {
        Some(t) if t.elem != Oid::INVALID && t.name.starts_with('_') => {
            format!("{}[]", format_type(t.elem))
        }
        Some(t) => t.name.clone(),
        None => format!("{}", oid.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn void_is_not_null_and_prints_empty() {
        let settings = OutputSettings::default();
        let v = text_in("", type_oid::VOID, -1, &settings).expect("void_in");
        assert!(!v.is_null());
        assert_eq!(
            text_out_string(&v, type_oid::VOID, &settings).expect("void_out"),
            ""
        );
        let mut binary = Vec::new();
        binary_send(&v, type_oid::VOID, &mut binary).expect("void_send");
        assert!(binary.is_empty());
    }
}
