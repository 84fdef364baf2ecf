//! Array I/O: `array_in`/`array_out` over the element type's own text I/O, the binary
//! `array_send`/`array_recv` format, and the space-separated text forms of `oidvector`
//! and `int2vector`.
//!
//! Binary layout (network byte order), as PostgreSQL's `array_send` writes it:
//!
//! | field | bytes |
//! |---|---|
//! | ndim | i32 |
//! | has-nulls flag (0/1) | i32 |
//! | element type OID | u32 |
//! | per dimension: length, lower bound | i32, i32 |
//! | per element: byte length (-1 for NULL), the element's binary form | i32, n |
//!
//! Entry points: [`array_type_element`], [`array_in`], [`array_out`], [`array_send`],
//! [`array_recv`].

use tusk_types::adt::array::text::{format_array, parse_array_literal};
use tusk_types::adt::array::{self, Array, ArrayDim, MAXDIM};
use tusk_types::adt::int;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use crate::OutputSettings;

/// The element type of an array type (`pg_type.typelem` of a type in category `A`,
/// including `oidvector` and `int2vector`), or `None` for a non-array type.
pub fn array_type_element(type_oid: Oid) -> Option<Oid> {
    match tusk_catalog::builtin().type_by_oid(type_oid) {
        Some(t) if t.category == b'A' && t.elem != Oid::INVALID => Some(t.elem),
        // `record[]` is a pseudo-type (category P) but an array all the same.
        Some(t) if t.oid == RECORD_ARRAY => Some(type_oid::RECORD),
        Some(_) => None,
        None => array::builtin_element_type(type_oid),
    }
}

/// `_record`, the array type of `record`.
const RECORD_ARRAY: Oid = Oid(2287);

/// `typdelim` of an element type: `;` for `box`, `,` otherwise.
fn delimiter(elem_type: Oid) -> u8 {
    tusk_catalog::builtin()
        .type_by_oid(elem_type)
        .map_or(b',', |t| t.delim)
}

/// True for the vector types whose text form is space-separated.
fn is_vector(type_oid: Oid) -> bool {
    matches!(type_oid, type_oid::OIDVECTOR | type_oid::INT2VECTOR)
}

/// `array_in` (and `oidvectorin`/`int2vectorin`): parses `text` as a value of the array
/// type `type_oid`, each element through its type's input with `typmod`.
///
/// Errors: 22P02 `malformed array literal` and the elements' own input errors.
pub fn array_in(
    text: &str,
    type_oid: Oid,
    elem_type: Oid,
    typmod: i32,
    settings: &OutputSettings,
) -> Result<Datum> {
    if is_vector(type_oid) {
        return vector_in(text, type_oid, elem_type);
    }
    let parsed = parse_array_literal(text, delimiter(elem_type))?;
    let mut elems = Vec::with_capacity(parsed.items.len());
    for item in &parsed.items {
        elems.push(match item {
            None => Datum::Null,
            Some(s) => super::text_in(s, elem_type, typmod, settings)?,
        });
    }
    Ok(Datum::Array(Box::new(Array::new(
        elem_type,
        parsed.dims,
        elems,
    )?)))
}

/// `oidvectorin` / `int2vectorin`: whitespace-separated numbers, lower bound 0.
fn vector_in(text: &str, type_oid: Oid, elem_type: Oid) -> Result<Datum> {
    let mut elems = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let token = &rest[..end];
        let bad = |name: &str| {
            pg_err!(
                INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type {}: \"{}\"",
                name,
                rest
            )
        };
        elems.push(if type_oid == type_oid::OIDVECTOR {
            let v: i64 = token.parse().map_err(|_| bad("oid"))?;
            if v < i32::MIN as i64 || v > u32::MAX as i64 {
                return Err(pg_err!(
                    NUMERIC_VALUE_OUT_OF_RANGE,
                    "value \"{}\" is out of range for type oid",
                    token
                ));
            }
            Datum::Oid(v as u32)
        } else {
            if token.parse::<i64>().is_err() {
                return Err(bad("smallint"));
            }
            Datum::Int2(int::int2_in(token)?)
        });
        rest = &rest[end..];
    }
    Ok(Datum::Array(Box::new(vector(elem_type, elems))))
}

/// A vector's array: one dimension with lower bound 0 (empty if no elements).
fn vector(elem_type: Oid, elems: Vec<Datum>) -> Array {
    if elems.is_empty() {
        return Array::empty(elem_type);
    }
    Array {
        elem_type,
        dims: vec![ArrayDim {
            len: elems.len() as i32,
            lower: 0,
        }],
        elems,
    }
}

/// `array_out` (and `oidvectorout`/`int2vectorout`): the text form of `value`, an array of
/// type `type_oid`.
///
/// Errors: the element types' output errors.
pub fn array_out(value: &Array, type_oid: Oid, settings: &OutputSettings) -> Result<String> {
    if is_vector(type_oid) {
        if value.ndim() > 1 || value.has_nulls() {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "array is not a valid {}",
                super::format_type(type_oid)
            ));
        }
        let mut parts = Vec::with_capacity(value.elems.len());
        for e in &value.elems {
            parts.push(super::text_out_string(e, value.elem_type, settings)?);
        }
        return Ok(parts.join(" "));
    }
    format_array(value, delimiter(value.elem_type), |d| {
        super::text_out_string(d, value.elem_type, settings)
    })
}

/// `array_send`: the binary form (see the module header).
///
/// Errors: the element types' send errors.
pub fn array_send(value: &Array, out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(&(value.dims.len() as i32).to_be_bytes());
    out.extend_from_slice(&i32::from(value.has_nulls()).to_be_bytes());
    out.extend_from_slice(&value.elem_type.0.to_be_bytes());
    for d in &value.dims {
        out.extend_from_slice(&d.len.to_be_bytes());
        out.extend_from_slice(&d.lower.to_be_bytes());
    }
    for e in &value.elems {
        if e.is_null() {
            out.extend_from_slice(&(-1i32).to_be_bytes());
            continue;
        }
        let at = out.len();
        out.extend_from_slice(&[0; 4]);
        super::binary_send(e, value.elem_type, out)?;
        let len = (out.len() - at - 4) as i32;
        out[at..at + 4].copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

fn insufficient() -> Error {
    Error::new(
        SqlState::PROTOCOL_VIOLATION,
        "insufficient data left in message",
    )
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.at.checked_add(n).ok_or_else(insufficient)?;
        let s = self.bytes.get(self.at..end).ok_or_else(insufficient)?;
        self.at = end;
        Ok(s)
    }

    fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_be_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
}

/// `array_recv`: parses the binary form of an array of `elem_type` (see the module
/// header).
///
/// Errors: 22P03 `invalid number of dimensions: n`, `invalid array flags`; 42804 `wrong
/// element type`; 54000 for too many dimensions or elements; 08P01 `insufficient data
/// left in message`; the elements' own receive errors.
pub fn array_recv(bytes: &[u8], type_oid: Oid, elem_type: Oid) -> Result<Datum> {
    let mut c = Cursor { bytes, at: 0 };
    let ndim = c.i32()?;
    let flags = c.i32()?;
    let elem = Oid(c.i32()? as u32);
    if ndim < 0 {
        return Err(Error::new(
            SqlState::INVALID_BINARY_REPRESENTATION,
            format!("invalid number of dimensions: {ndim}"),
        ));
    }
    if ndim as usize > MAXDIM {
        return Err(array::too_many_dimensions(ndim as usize));
    }
    if flags != 0 && flags != 1 {
        return Err(Error::new(
            SqlState::INVALID_BINARY_REPRESENTATION,
            "invalid array flags",
        ));
    }
    if elem != elem_type {
        return Err(pg_err!(DATATYPE_MISMATCH, "wrong element type"));
    }
    let mut dims = Vec::with_capacity(ndim as usize);
    for _ in 0..ndim {
        let len = c.i32()?;
        let lower = c.i32()?;
        dims.push(ArrayDim { len, lower });
    }
    let n = array::element_count(&dims)?;
    array::check_bounds(&dims)?;
    // Each element takes at least its 4-byte length: a claimed size beyond the message
    // must not size an allocation.
    let mut elems = Vec::with_capacity(n.min(bytes.len() / 4));
    for i in 0..n {
        let len = c.i32()?;
        if len == -1 {
            elems.push(Datum::Null);
            continue;
        }
        if len < 0 {
            return Err(Error::new(
                SqlState::INVALID_BINARY_REPRESENTATION,
                format!(
                    "insufficient data left in message for array element {}",
                    i + 1
                ),
            ));
        }
        let data = c.take(len as usize)?;
        elems.push(super::binary_recv(data, elem_type)?);
    }
    if c.at != bytes.len() {
        return Err(Error::new(
            SqlState::INVALID_BINARY_REPRESENTATION,
            "incorrect binary data format",
        ));
    }
    if is_vector(type_oid)
        && (dims.len() > 1 || dims.first().is_some_and(|d| d.lower != 0) || flags != 0)
    {
        return Err(Error::new(
            SqlState::INVALID_BINARY_REPRESENTATION,
            format!("invalid {}", super::format_type(type_oid)),
        ));
    }
    Ok(Datum::Array(Box::new(Array::new(elem_type, dims, elems)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, type_oid: Oid) -> String {
        let settings = OutputSettings::default();
        let elem = array_type_element(type_oid).expect("array type");
        let Datum::Array(a) = array_in(text, type_oid, elem, -1, &settings).expect("array_in")
        else {
            panic!("not an array")
        };
        let mut bin = Vec::new();
        array_send(&a, &mut bin).expect("send");
        let back = array_recv(&bin, type_oid, elem).expect("recv");
        assert_eq!(back, Datum::Array(a.clone()));
        array_out(&a, type_oid, &settings).expect("array_out")
    }

    #[test]
    fn text_forms_match_postgres() {
        assert_eq!(round_trip("{1,2,3}", type_oid::INT4_ARRAY), "{1,2,3}");
        assert_eq!(
            round_trip("[0:1]={1.1,2.2}", type_oid::FLOAT8_ARRAY),
            "[0:1]={1.1,2.2}"
        );
        assert_eq!(
            round_trip(
                r#"{ab\"c, "x y", NULL, "NULL", null, "",  a b  ,\ a\ }"#,
                type_oid::TEXT_ARRAY
            ),
            r#"{"ab\"c","x y",NULL,"NULL",NULL,"","a b"," a "}"#
        );
        assert_eq!(
            round_trip("{0 second  ,0 second}", type_oid::INTERVAL_ARRAY),
            "{00:00:00,00:00:00}"
        );
        assert_eq!(
            round_trip("{{1.5,NULL}}", type_oid::NUMERIC_ARRAY),
            "{{1.5,NULL}}"
        );
        assert_eq!(round_trip("{}", type_oid::INT8_ARRAY), "{}");
        assert_eq!(round_trip("{t,f}", type_oid::BOOL_ARRAY), "{t,f}");
    }

    #[test]
    fn vectors_are_space_separated_from_zero() {
        assert_eq!(round_trip("1 2  3", type_oid::INT2VECTOR), "1 2 3");
        assert_eq!(round_trip(" 4 5", type_oid::OIDVECTOR), "4 5");
        assert_eq!(round_trip("", type_oid::OIDVECTOR), "");
        let settings = OutputSettings::default();
        let e = array_in("1 x", type_oid::OIDVECTOR, type_oid::OID, -1, &settings)
            .expect_err("bad oid");
        assert_eq!(e.message, "invalid input syntax for type oid: \"x\"");
        let e = array_in("{1,2}", type_oid::INT2VECTOR, type_oid::INT2, -1, &settings)
            .expect_err("bad int2");
        assert_eq!(
            e.message,
            "invalid input syntax for type smallint: \"{1,2}\""
        );
    }

    #[test]
    fn element_input_errors_surface() {
        let settings = OutputSettings::default();
        let e = array_in("{a}", type_oid::INT4_ARRAY, type_oid::INT4, -1, &settings)
            .expect_err("bad int");
        assert_eq!(e.message, "invalid input syntax for type integer: \"a\"");
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn binary_form_matches_postgres_array_send() {
        // Hex of PostgreSQL 15's array_send / int2vectorsend for the same values.
        let cases = [
            (
                "[0:1][1:2]={{1,NULL},{3,4}}",
                type_oid::INT4_ARRAY,
                "000000020000000100000017000000020000000000000002000000010000000400000001ffffffff00000004000000030000000400000004",
            ),
            (
                r#"{a,"b c"}"#,
                type_oid::TEXT_ARRAY,
                "0000000100000000000000190000000200000001000000016100000003622063",
            ),
            ("{}", type_oid::INT8_ARRAY, "000000000000000000000014"),
            (
                "1 2",
                type_oid::INT2VECTOR,
                "0000000100000000000000150000000200000000000000020001000000020002",
            ),
            (
                "{1.5}",
                type_oid::NUMERIC_ARRAY,
                "0000000100000000000006a400000001000000010000000c000200000000000100011388",
            ),
        ];
        let settings = OutputSettings::default();
        for (text, array_type, expected) in cases {
            let elem = array_type_element(array_type).expect("array type");
            let Datum::Array(a) = array_in(text, array_type, elem, -1, &settings).expect("in")
            else {
                panic!("not an array")
            };
            let mut bin = Vec::new();
            array_send(&a, &mut bin).expect("send");
            assert_eq!(hex(&bin), expected, "{text}");
        }
    }

    #[test]
    fn binary_receive_checks_the_element_type() {
        let a = Array::from_elements(type_oid::INT4, vec![Datum::Int4(1)]);
        let mut bin = Vec::new();
        array_send(&a, &mut bin).expect("send");
        let e = array_recv(&bin, type_oid::INT8_ARRAY, type_oid::INT8).expect_err("wrong");
        assert_eq!(e.message, "wrong element type");
        let e = array_recv(&bin[..bin.len() - 1], type_oid::INT4_ARRAY, type_oid::INT4)
            .expect_err("short");
        assert_eq!(e.message, "insufficient data left in message");
    }
}
