//! Encoding a row of [`Datum`]s into heap tuple data and back (PostgreSQL's
//! `heap_form_tuple` / `heap_deform_tuple`, with our own byte format).
//!
//! Each non-null attribute is stored in column order after `t_hoff`; nulls take no data
//! bytes, only a cleared bit in the null bitmap (bit `i % 8` of byte `i / 8` set = attribute
//! `i` is present, as in PostgreSQL). Attributes are not aligned (see `crate::tuple`).
//!
//! | storage | types | bytes |
//! |---|---|---|
//! | 1 byte | `bool` (0/1) | 1 |
//! | fixed, by value | `int2` 2, `int4`/`oid`/`xid`/`cid`/`date`/`float4` 4, `int8`/`float8`/`time`/`timestamp`/`timestamptz` 8, all LE (floats as IEEE bits) | 2, 4, 8 |
//! | fixed | `interval`: months i32, days i32, micros i64 | 16 |
//! | varlena | `text`, `varchar`, `bpchar`, `name`, `"char"`, `json`, `bytea`, `numeric` | u32 LE length, then the bytes |
//!
//! `numeric` is stored as its canonical text form (`Numeric`'s output function), which
//! keeps its value and display scale exactly; a binary form can replace it later.
//!
//! Entry points: [`AttributeDesc`], [`form_tuple`], [`deform_tuple`].

use tusk_types::adt::numeric::Numeric;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use crate::tuple::{HeapTuple, HeapTupleRef};

/// PostgreSQL's `MaxTupleAttributeNumber`.
pub const MAX_TUPLE_ATTRIBUTE_NUMBER: usize = 1664;

/// One column of a row's descriptor (the part of `pg_attribute` the heap needs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct AttributeDesc {
    /// `atttypid`: the column's type.
    pub type_oid: Oid,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Storage {
    Bool,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    Oid,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Interval,
    Text,
    Bytea,
    Numeric,
}

/// `pg_node_tree`: stored expression trees (tusk stores them as SQL text).
const PG_NODE_TREE: Oid = Oid(194);

/// True if the heap can store values of `type_oid`.
pub fn type_is_storable(type_oid: Oid) -> bool {
    storage(type_oid).is_ok()
}

fn storage(type_oid: Oid) -> Result<Storage> {
    Ok(match type_oid {
        type_oid::BOOL => Storage::Bool,
        type_oid::INT2 => Storage::Int2,
        type_oid::INT4 => Storage::Int4,
        type_oid::INT8 => Storage::Int8,
        type_oid::FLOAT4 => Storage::Float4,
        type_oid::FLOAT8 => Storage::Float8,
        type_oid::OID
        | type_oid::XID
        | type_oid::CID
        | type_oid::REGPROC
        | type_oid::REGPROCEDURE
        | type_oid::REGOPER
        | type_oid::REGOPERATOR
        | type_oid::REGCLASS
        | type_oid::REGTYPE
        | type_oid::REGNAMESPACE
        | type_oid::REGROLE => Storage::Oid,
        type_oid::DATE => Storage::Date,
        type_oid::TIME => Storage::Time,
        type_oid::TIMESTAMP => Storage::Timestamp,
        type_oid::TIMESTAMPTZ => Storage::TimestampTz,
        type_oid::INTERVAL => Storage::Interval,
        type_oid::TEXT
        | type_oid::VARCHAR
        | type_oid::BPCHAR
        | type_oid::NAME
        | type_oid::CHAR
        | type_oid::JSON
        | PG_NODE_TREE => Storage::Text,
        type_oid::BYTEA => Storage::Bytea,
        type_oid::NUMERIC => Storage::Numeric,
        other => {
            return Err(Error::feature_not_supported(format!(
                "storing values of type {} in a heap tuple",
                type_oid::builtin_name(other).map_or_else(|| other.0.to_string(), str::to_string)
            )))
        }
    })
}

fn mismatch(i: usize, datum: &Datum) -> Error {
    Error::internal(format!(
        "value {datum:?} does not match the type of attribute {}",
        i + 1
    ))
}

fn put_varlena(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Builds a tuple from `values` described by `attrs` (`heap_form_tuple`). The header is
/// fresh (see [`HeapTuple::form`]); insert stamps xmin and ctid.
///
/// Errors: `0A000` for a type the heap cannot store yet; `XX000` if a value's variant does
/// not match its column's type or the counts differ; `54011` `tables can have at most 1600
/// columns`-style limits as `number of columns (%d) exceeds limit (%d)`.
pub fn form_tuple(attrs: &[AttributeDesc], values: &[Datum]) -> Result<HeapTuple> {
    if attrs.len() != values.len() {
        return Err(Error::internal(format!(
            "row has {} values for {} attributes",
            values.len(),
            attrs.len()
        )));
    }
    if attrs.len() > MAX_TUPLE_ATTRIBUTE_NUMBER {
        return Err(pg_err!(
            TOO_MANY_COLUMNS,
            "number of columns ({}) exceeds limit ({})",
            attrs.len(),
            MAX_TUPLE_ATTRIBUTE_NUMBER
        ));
    }
    let has_null = values.iter().any(|v| matches!(v, Datum::Null));
    let mut bitmap = if has_null {
        vec![0u8; attrs.len().div_ceil(8)]
    } else {
        Vec::new()
    };
    let mut data = Vec::new();
    let mut varwidth = false;
    for (i, (attr, value)) in attrs.iter().zip(values).enumerate() {
        if matches!(value, Datum::Null) {
            continue;
        }
        let kind = storage(attr.type_oid)?;
        if has_null {
            bitmap[i / 8] |= 1 << (i % 8);
        }
        match (kind, value) {
            (Storage::Bool, Datum::Bool(b)) => data.push(u8::from(*b)),
            (Storage::Int2, Datum::Int2(v)) => data.extend_from_slice(&v.to_le_bytes()),
            (Storage::Int4, Datum::Int4(v)) | (Storage::Date, Datum::Date(v)) => {
                data.extend_from_slice(&v.to_le_bytes())
            }
            (Storage::Int8, Datum::Int8(v))
            | (Storage::Time, Datum::Time(v))
            | (Storage::Timestamp, Datum::Timestamp(v))
            | (Storage::TimestampTz, Datum::TimestampTz(v)) => {
                data.extend_from_slice(&v.to_le_bytes())
            }
            (Storage::Float4, Datum::Float4(v)) => {
                data.extend_from_slice(&v.to_bits().to_le_bytes())
            }
            (Storage::Float8, Datum::Float8(v)) => {
                data.extend_from_slice(&v.to_bits().to_le_bytes())
            }
            (Storage::Oid, Datum::Oid(v)) => data.extend_from_slice(&v.to_le_bytes()),
            (
                Storage::Interval,
                Datum::Interval {
                    months,
                    days,
                    micros,
                },
            ) => {
                data.extend_from_slice(&months.to_le_bytes());
                data.extend_from_slice(&days.to_le_bytes());
                data.extend_from_slice(&micros.to_le_bytes());
            }
            (Storage::Text, Datum::Text(s)) => {
                varwidth = true;
                put_varlena(&mut data, s.as_bytes());
            }
            (Storage::Bytea, Datum::Bytea(b)) => {
                varwidth = true;
                put_varlena(&mut data, b);
            }
            (Storage::Numeric, Datum::Numeric(n)) => {
                varwidth = true;
                put_varlena(&mut data, n.to_string().as_bytes());
            }
            _ => return Err(mismatch(i, value)),
        }
    }
    Ok(HeapTuple::form(
        attrs.len() as u16,
        &bitmap,
        varwidth,
        &data,
    ))
}

fn corrupt(what: &str) -> Error {
    pg_err!(DATA_CORRUPTED, "invalid heap tuple: {}", what)
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| corrupt("attribute runs past the end of the tuple"))?;
        let bytes = &self.data[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("take returned N bytes"))
    }

    fn varlena(&mut self) -> Result<&'a [u8]> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        self.take(len)
    }
}

/// Decodes the attributes of `tuple` described by `attrs` (`heap_deform_tuple`). Attributes
/// past the tuple's `natts` (columns added later) read as NULL, as PostgreSQL's
/// `getmissingattr` does without a default.
///
/// Errors: `XX001` if the bytes do not parse; `0A000` for unsupported types.
pub fn deform_tuple(attrs: &[AttributeDesc], tuple: &HeapTupleRef<'_>) -> Result<Vec<Datum>> {
    let natts = tuple.header().natts() as usize;
    let bitmap = tuple.null_bitmap();
    let mut reader = Reader {
        data: tuple.data(),
        at: 0,
    };
    let mut out = Vec::with_capacity(attrs.len());
    for (i, attr) in attrs.iter().enumerate() {
        let present = i < natts
            && (bitmap.is_empty() || bitmap.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0));
        if !present {
            out.push(Datum::Null);
            continue;
        }
        let kind = storage(attr.type_oid)?;
        out.push(match kind {
            Storage::Bool => Datum::Bool(reader.array::<1>()?[0] != 0),
            Storage::Int2 => Datum::Int2(i16::from_le_bytes(reader.array()?)),
            Storage::Int4 => Datum::Int4(i32::from_le_bytes(reader.array()?)),
            Storage::Date => Datum::Date(i32::from_le_bytes(reader.array()?)),
            Storage::Int8 => Datum::Int8(i64::from_le_bytes(reader.array()?)),
            Storage::Time => Datum::Time(i64::from_le_bytes(reader.array()?)),
            Storage::Timestamp => Datum::Timestamp(i64::from_le_bytes(reader.array()?)),
            Storage::TimestampTz => Datum::TimestampTz(i64::from_le_bytes(reader.array()?)),
            Storage::Float4 => Datum::Float4(f32::from_bits(u32::from_le_bytes(reader.array()?))),
            Storage::Float8 => Datum::Float8(f64::from_bits(u64::from_le_bytes(reader.array()?))),
            Storage::Oid => Datum::Oid(u32::from_le_bytes(reader.array()?)),
            Storage::Interval => Datum::Interval {
                months: i32::from_le_bytes(reader.array()?),
                days: i32::from_le_bytes(reader.array()?),
                micros: i64::from_le_bytes(reader.array()?),
            },
            Storage::Text => Datum::Text(
                String::from_utf8(reader.varlena()?.to_vec())
                    .map_err(|_| corrupt("text attribute is not UTF-8"))?,
            ),
            Storage::Bytea => Datum::Bytea(reader.varlena()?.to_vec()),
            Storage::Numeric => {
                let text = std::str::from_utf8(reader.varlena()?)
                    .map_err(|_| corrupt("numeric attribute is not UTF-8"))?;
                Datum::Numeric(
                    Numeric::parse(text)
                        .map_err(|_| corrupt("numeric attribute does not parse"))?,
                )
            }
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn attr(oid: Oid) -> AttributeDesc {
        AttributeDesc { type_oid: oid }
    }

    fn column() -> impl Strategy<Value = (AttributeDesc, Datum)> {
        prop_oneof![
            any::<bool>().prop_map(|v| (attr(type_oid::BOOL), Datum::Bool(v))),
            any::<i16>().prop_map(|v| (attr(type_oid::INT2), Datum::Int2(v))),
            any::<i32>().prop_map(|v| (attr(type_oid::INT4), Datum::Int4(v))),
            any::<i64>().prop_map(|v| (attr(type_oid::INT8), Datum::Int8(v))),
            any::<u32>().prop_map(|v| (attr(type_oid::FLOAT4), Datum::Float4(f32::from_bits(v)))),
            any::<u64>().prop_map(|v| (attr(type_oid::FLOAT8), Datum::Float8(f64::from_bits(v)))),
            any::<u32>().prop_map(|v| (attr(type_oid::OID), Datum::Oid(v))),
            any::<i32>().prop_map(|v| (attr(type_oid::DATE), Datum::Date(v))),
            any::<i64>().prop_map(|v| (attr(type_oid::TIMESTAMPTZ), Datum::TimestampTz(v))),
            (any::<i32>(), any::<i32>(), any::<i64>()).prop_map(|(months, days, micros)| (
                attr(type_oid::INTERVAL),
                Datum::Interval {
                    months,
                    days,
                    micros
                }
            )),
            ".{0,40}".prop_map(|v| (attr(type_oid::TEXT), Datum::Text(v))),
            proptest::collection::vec(any::<u8>(), 0..40)
                .prop_map(|v| (attr(type_oid::BYTEA), Datum::Bytea(v))),
            (any::<i64>(), 0u32..6).prop_map(|(v, scale)| {
                let text = format!("{}.{}", v, "7".repeat(scale as usize));
                (
                    attr(type_oid::NUMERIC),
                    Datum::Numeric(Numeric::parse(&text).expect("valid numeric")),
                )
            }),
            Just(type_oid::INT4).prop_map(|t| (attr(t), Datum::Null)),
            Just(type_oid::TEXT).prop_map(|t| (attr(t), Datum::Null)),
        ]
    }

    /// Floats compare by bits so NaN payloads round-trip too.
    fn same(a: &Datum, b: &Datum) -> bool {
        match (a, b) {
            (Datum::Float4(x), Datum::Float4(y)) => x.to_bits() == y.to_bits(),
            (Datum::Float8(x), Datum::Float8(y)) => x.to_bits() == y.to_bits(),
            _ => a == b,
        }
    }

    proptest! {
        #[test]
        fn rows_round_trip(row in proptest::collection::vec(column(), 0..20)) {
            let (attrs, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
            let tuple = form_tuple(&attrs, &values).expect("form");
            let back = deform_tuple(&attrs, &tuple.as_ref()).expect("deform");
            prop_assert_eq!(back.len(), values.len());
            for (a, b) in back.iter().zip(&values) {
                prop_assert!(same(a, b), "{:?} != {:?}", a, b);
            }
        }

        #[test]
        fn deform_never_panics_on_damaged_data(
            row in proptest::collection::vec(column(), 1..8),
            cut in any::<usize>(),
            flip in any::<(usize, u8)>(),
        ) {
            let (attrs, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
            let tuple = form_tuple(&attrs, &values).expect("form");
            let mut bytes = tuple.bytes().to_vec();
            let at = flip.0 % bytes.len();
            bytes[at] ^= flip.1;
            bytes.truncate((cut % bytes.len()).max(1));
            if let Some(t) = HeapTupleRef::new(&bytes) {
                let _ = deform_tuple(&attrs, &t);
            }
        }
    }

    #[test]
    fn nulls_use_the_bitmap_and_missing_attributes_read_as_null() {
        let attrs = [attr(type_oid::INT4), attr(type_oid::TEXT)];
        let t = form_tuple(&attrs, &[Datum::Null, Datum::Text("x".into())]).expect("form");
        assert_eq!(t.as_ref().null_bitmap(), &[0b10]);
        let wider = [attrs[0], attrs[1], attr(type_oid::INT8)];
        assert_eq!(
            deform_tuple(&wider, &t.as_ref()).expect("deform"),
            vec![Datum::Null, Datum::Text("x".into()), Datum::Null]
        );
    }

    #[test]
    fn mismatched_and_unsupported_types_are_errors() {
        let err =
            form_tuple(&[attr(type_oid::INT4)], &[Datum::Text("1".into())]).expect_err("mismatch");
        assert_eq!(err.code, tusk_types::SqlState::INTERNAL_ERROR);
        let err = form_tuple(&[attr(Oid(600))], &[Datum::Int4(1)]).expect_err("point");
        assert_eq!(err.code, tusk_types::SqlState::FEATURE_NOT_SUPPORTED);
    }
}
