//! Record I/O: PostgreSQL's `record_out`, `record_in` (for a known row shape),
//! `record_send` and `record_recv` (for a known row shape).
//!
//! Binary layout of `record_send` (network byte order):
//!
//! ```text
//! int4 field count
//! per field: oid   field type
//!            int4  length of the field's binary form, -1 for NULL
//!            bytes the field's own send form
//! ```
//!
//! See also: `tusk_types::adt::record` (the value model and the quoting rules).

use std::sync::Arc;

use tusk_types::adt::record::{record_text, split_record_text, Record, RecordDesc};
use tusk_types::{Datum, Result};

use crate::OutputSettings;

/// `record_out`: `(f1,f2,...)` from each field's output function, quoted as
/// PostgreSQL quotes them.
///
/// Errors: those of the fields' output functions.
pub fn record_out(record: &Record, settings: &OutputSettings) -> Result<String> {
    let mut texts = Vec::with_capacity(record.values.len());
    for (value, field) in record.values.iter().zip(&record.desc.fields) {
        texts.push(match value {
            Datum::Null => None,
            v => Some(super::text_out_string(v, field.type_oid, settings)?),
        });
    }
    Ok(record_text(texts.iter().map(Option::as_deref)))
}

/// `record_in` for a row type whose fields `desc` describes: each field's text through
/// its type's input function (with the field's typmod).
///
/// Errors: 22P02 `malformed record literal` (see
/// [`tusk_types::adt::record::split_record_text`]), and the fields' input errors.
pub fn record_in(text: &str, desc: &Arc<RecordDesc>, settings: &OutputSettings) -> Result<Datum> {
    let texts = split_record_text(text, desc.fields.len())?;
    let mut values = Vec::with_capacity(texts.len());
    for (t, field) in texts.iter().zip(&desc.fields) {
        values.push(match t {
            None => Datum::Null,
            Some(t) => super::text_in(t, field.type_oid, field.typmod, settings)?,
        });
    }
    Ok(Datum::Record(Box::new(Record::new(desc.clone(), values))))
}

/// `record_send`: the field count, then each field's type OID, length and send form.
///
/// Errors: 0A000 for a field type without a binary form in tusk.
pub fn record_send(record: &Record, out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(&(record.values.len() as i32).to_be_bytes());
    for (value, field) in record.values.iter().zip(&record.desc.fields) {
        out.extend_from_slice(&field.type_oid.0.to_be_bytes());
        if value.is_null() {
            out.extend_from_slice(&(-1i32).to_be_bytes());
            continue;
        }
        let at = out.len();
        out.extend_from_slice(&[0; 4]);
        super::binary_send(value, field.type_oid, out)?;
        let len = (out.len() - at - 4) as i32;
        out[at..at + 4].copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

/// `record_recv` for a row type whose fields `desc` describes: the form
/// [`record_send`] writes, each field read by `recv_field` (bytes, field type).
///
/// Errors: 42804 `wrong number of columns: n, expected m` and `wrong data type: x,
/// expected y`; 22P03 `insufficient data left in message` for truncated input; the
/// fields' receive errors.
pub fn record_recv(
    bytes: &[u8],
    desc: &Arc<RecordDesc>,
    recv_field: &dyn Fn(&[u8], tusk_types::Oid) -> Result<Datum>,
) -> Result<Datum> {
    let short = || {
        tusk_types::pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "insufficient data left in message"
        )
    };
    let mut at = 0usize;
    let int4 = |at: &mut usize| -> Result<i32> {
        let b = bytes.get(*at..*at + 4).ok_or_else(short)?;
        *at += 4;
        Ok(i32::from_be_bytes(b.try_into().expect("four bytes")))
    };
    let count = int4(&mut at)?;
    if count as usize != desc.fields.len() || count < 0 {
        return Err(tusk_types::pg_err!(
            DATATYPE_MISMATCH,
            "wrong number of columns: {}, expected {}",
            count,
            desc.fields.len()
        ));
    }
    let mut values = Vec::with_capacity(desc.fields.len());
    for field in &desc.fields {
        let type_oid = int4(&mut at)? as u32;
        if type_oid != field.type_oid.0 {
            return Err(tusk_types::pg_err!(
                DATATYPE_MISMATCH,
                "wrong data type: {}, expected {}",
                type_oid,
                field.type_oid.0
            ));
        }
        let len = int4(&mut at)?;
        if len < 0 {
            values.push(Datum::Null);
            continue;
        }
        let data = bytes.get(at..at + len as usize).ok_or_else(short)?;
        at += len as usize;
        values.push(recv_field(data, field.type_oid)?);
    }
    if at != bytes.len() {
        return Err(tusk_types::pg_err!(
            INVALID_BINARY_REPRESENTATION,
            "improper binary format in record column"
        ));
    }
    Ok(Datum::Record(Box::new(Record::new(desc.clone(), values))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::adt::record::RecordField;
    use tusk_types::{type_oid, Oid};

    fn desc() -> Arc<RecordDesc> {
        let field = |name: &str, type_oid: Oid| RecordField {
            name: name.into(),
            type_oid,
            typmod: -1,
        };
        Arc::new(RecordDesc {
            type_oid: type_oid::RECORD,
            fields: vec![field("f1", type_oid::INT4), field("f2", type_oid::TEXT)],
        })
    }

    #[test]
    fn record_out_quotes_fields_and_leaves_nulls_empty() {
        let settings = OutputSettings::default();
        let r = Record::new(desc(), vec![Datum::Int4(1), Datum::Text("a b".into())]);
        assert_eq!(record_out(&r, &settings).expect("out"), "(1,\"a b\")");
        let r = Record::new(desc(), vec![Datum::Null, Datum::Text(String::new())]);
        assert_eq!(record_out(&r, &settings).expect("out"), "(,\"\")");
    }

    #[test]
    fn record_in_reads_what_record_out_writes() {
        let settings = OutputSettings::default();
        let v = record_in("(42,\"x,y\")", &desc(), &settings).expect("in");
        let Datum::Record(r) = v else {
            panic!("not a record")
        };
        assert_eq!(r.values, vec![Datum::Int4(42), Datum::Text("x,y".into())]);
        let e = record_in("(x,y)", &desc(), &settings).expect_err("bad int");
        assert_eq!(e.message, "invalid input syntax for type integer: \"x\"");
    }

    #[test]
    fn record_recv_reads_what_record_send_writes() {
        let r = Record::new(desc(), vec![Datum::Int4(7), Datum::Text("x".into())]);
        let mut out = Vec::new();
        record_send(&r, &mut out).expect("send");
        let recv = |b: &[u8], t: Oid| crate::io::binary_recv(b, t);
        let back = record_recv(&out, &desc(), &recv).expect("recv");
        assert_eq!(back, Datum::Record(Box::new(r)));
        let e = record_recv(&[0, 0, 0, 1], &desc(), &recv).expect_err("one column");
        assert_eq!(e.message, "wrong number of columns: 1, expected 2");
    }

    #[test]
    fn record_send_writes_count_then_oid_length_value() {
        let r = Record::new(desc(), vec![Datum::Int4(7), Datum::Null]);
        let mut out = Vec::new();
        record_send(&r, &mut out).expect("send");
        let mut expected = vec![0, 0, 0, 2, 0, 0, 0, 23, 0, 0, 0, 4, 0, 0, 0, 7];
        expected.extend_from_slice(&[0, 0, 0, 25, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(out, expected);
    }
}
