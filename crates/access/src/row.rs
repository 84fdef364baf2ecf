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
//! | varlena | `text`, `varchar`, `bpchar`, `name`, `"char"`, `json`, `jsonb` (canonical text), `aclitem` (its stored form, role OIDs), `bytea`, `uuid` (16 bytes), `numeric` | u32 LE length, then the bytes |
//! | varlena | arrays of any storable element type (all of `pg_type`'s array types, `oidvector`, `int2vector`) | u32 LE length, then ndim u8, has-nulls u8, element type u32, (length i32, lower bound i32) per dimension, a null bitmap if it has nulls, then each present element stored as a column of its type |
//! | varlena | the built-in range types | u32 LE length, then the flags byte of `range_send` (0x01 empty, 0x02/0x04 lower/upper inclusive, 0x08/0x10 lower/upper infinite), then each finite bound stored as a column of the subtype |
//!
//! `numeric` is stored as its canonical text form (`Numeric`'s output function), which
//! keeps its value and display scale exactly; a binary form can replace it later.
//!
//! Entry points: [`AttributeDesc`], [`form_tuple`], [`deform_tuple`].

use tusk_types::adt::array::{self, Array, ArrayDim};
use tusk_types::adt::numeric::Numeric;
use tusk_types::adt::range::{self, Range, RangeBound};
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
    Array,
    /// A range over the given subtype.
    Range(Oid),
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
        type_oid::INT8 | type_oid::PG_LSN => Storage::Int8,
        type_oid::FLOAT4 => Storage::Float4,
        type_oid::FLOAT8 => Storage::Float8,
        type_oid::OID | type_oid::XID | type_oid::CID => Storage::Oid,
        t if type_oid::is_reg_type(t) => Storage::Oid,
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
        | type_oid::JSONB
        | type_oid::ACLITEM
        | PG_NODE_TREE => Storage::Text,
        type_oid::BYTEA
        | type_oid::UUID
        | type_oid::INET
        | type_oid::CIDR
        | type_oid::MACADDR
        | type_oid::MACADDR8 => Storage::Bytea,
        type_oid::NUMERIC => Storage::Numeric,
        other if array::builtin_element_type(other).is_some() => Storage::Array,
        other if range::range_subtype(other).is_some() => {
            Storage::Range(range::range_subtype(other).expect("checked above"))
        }
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
        varwidth |= put_value(i, attr.type_oid, kind, value, &mut data)?;
    }
    Ok(HeapTuple::form(
        attrs.len() as u16,
        &bitmap,
        varwidth,
        &data,
    ))
}

/// Appends one non-null value's bytes; true if its storage is variable-width.
fn put_value(
    i: usize,
    type_oid: Oid,
    kind: Storage,
    value: &Datum,
    out: &mut Vec<u8>,
) -> Result<bool> {
    match (kind, value) {
        (Storage::Bool, Datum::Bool(b)) => out.push(u8::from(*b)),
        (Storage::Int2, Datum::Int2(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (Storage::Int4, Datum::Int4(v)) | (Storage::Date, Datum::Date(v)) => {
            out.extend_from_slice(&v.to_le_bytes())
        }
        (Storage::Int8, Datum::Int8(v))
        | (Storage::Time, Datum::Time(v))
        | (Storage::Timestamp, Datum::Timestamp(v))
        | (Storage::TimestampTz, Datum::TimestampTz(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (Storage::Float4, Datum::Float4(v)) => out.extend_from_slice(&v.to_bits().to_le_bytes()),
        (Storage::Float8, Datum::Float8(v)) => out.extend_from_slice(&v.to_bits().to_le_bytes()),
        (Storage::Oid, Datum::Oid(v)) => out.extend_from_slice(&v.to_le_bytes()),
        (
            Storage::Interval,
            Datum::Interval {
                months,
                days,
                micros,
            },
        ) => {
            out.extend_from_slice(&months.to_le_bytes());
            out.extend_from_slice(&days.to_le_bytes());
            out.extend_from_slice(&micros.to_le_bytes());
        }
        (Storage::Text, Datum::Text(s)) => {
            put_varlena(out, s.as_bytes());
        }
        (Storage::Bytea, Datum::Bytea(b)) => {
            put_varlena(out, b);
        }
        (Storage::Numeric, Datum::Numeric(n)) => {
            put_varlena(out, n.to_string().as_bytes());
        }
        (Storage::Array, Datum::Array(a))
            if array::builtin_element_type(type_oid) == Some(a.elem_type) =>
        {
            let mut bytes = Vec::new();
            put_array(a, &mut bytes)?;
            put_varlena(out, &bytes);
        }
        (Storage::Range(subtype), Datum::Range(r)) => {
            let mut bytes = Vec::new();
            put_range(r, subtype, &mut bytes)?;
            put_varlena(out, &bytes);
        }
        _ => return Err(mismatch(i, value)),
    }
    Ok(matches!(
        kind,
        Storage::Text | Storage::Bytea | Storage::Numeric | Storage::Array | Storage::Range(_)
    ))
}

/// An array's bytes inside its varlena: ndim (u8), has-nulls (u8), element type (u32),
/// per dimension length and lower bound (i32 each), a null bitmap when it has nulls (bit
/// set = present), then each present element as a column of the element type is stored.
fn put_array(a: &Array, out: &mut Vec<u8>) -> Result<()> {
    let kind = storage(a.elem_type)?;
    if kind == Storage::Array {
        return Err(Error::internal("array elements cannot be arrays"));
    }
    let has_nulls = a.has_nulls();
    out.push(a.dims.len() as u8);
    out.push(u8::from(has_nulls));
    out.extend_from_slice(&a.elem_type.0.to_le_bytes());
    for d in &a.dims {
        out.extend_from_slice(&d.len.to_le_bytes());
        out.extend_from_slice(&d.lower.to_le_bytes());
    }
    if has_nulls {
        let mut bitmap = vec![0u8; a.elems.len().div_ceil(8)];
        for (i, e) in a.elems.iter().enumerate() {
            if !e.is_null() {
                bitmap[i / 8] |= 1 << (i % 8);
            }
        }
        out.extend_from_slice(&bitmap);
    }
    for (i, e) in a.elems.iter().enumerate() {
        if !e.is_null() {
            put_value(i, a.elem_type, kind, e, out)?;
        }
    }
    Ok(())
}

/// A range's bytes inside its varlena: the flags byte of `Range::flags`, then each finite
/// bound stored as a column of the subtype is stored (also the B-tree's key encoding).
pub(crate) fn put_range(r: &Range, subtype: Oid, out: &mut Vec<u8>) -> Result<()> {
    let kind = storage(subtype)?;
    out.push(r.flags());
    if let Some((lower, upper)) = r.bounds() {
        for value in [&lower.value, &upper.value].into_iter().flatten() {
            put_value(0, subtype, kind, value, out)?;
        }
    }
    Ok(())
}

/// Reads a range of `subtype` written by `put_range`.
pub(crate) fn read_range(bytes: &[u8], subtype: Oid) -> Result<Datum> {
    let mut r = Reader { data: bytes, at: 0 };
    let [flags] = r.array::<1>()?;
    let kind = storage(subtype).map_err(|_| corrupt("range subtype is invalid"))?;
    let value = if flags & range::RANGE_EMPTY != 0 {
        Range::Empty
    } else {
        let mut bound = |infinite: u8, inclusive: u8, lower: bool| -> Result<RangeBound> {
            let value = if flags & infinite != 0 {
                None
            } else {
                Some(read_value(kind, &mut r)?)
            };
            Ok(RangeBound {
                value,
                inclusive: flags & inclusive != 0,
                lower,
            })
        };
        let lower = bound(range::RANGE_LB_INF, range::RANGE_LB_INC, true)?;
        let upper = bound(range::RANGE_UB_INF, range::RANGE_UB_INC, false)?;
        Range::Bounds { lower, upper }
    };
    if r.at != bytes.len() {
        return Err(corrupt("range has trailing bytes"));
    }
    Ok(Datum::Range(Box::new(value)))
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
        out.push(read_value(kind, &mut reader)?);
    }
    Ok(out)
}

/// Reads one non-null value stored as `kind`.
fn read_value(kind: Storage, reader: &mut Reader<'_>) -> Result<Datum> {
    Ok(match kind {
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
                Numeric::parse(text).map_err(|_| corrupt("numeric attribute does not parse"))?,
            )
        }
        Storage::Array => read_array(reader.varlena()?)?,
        Storage::Range(subtype) => read_range(reader.varlena()?, subtype)?,
    })
}

/// Reads an array written by `put_array`.
fn read_array(bytes: &[u8]) -> Result<Datum> {
    let mut r = Reader { data: bytes, at: 0 };
    let [ndim, has_nulls] = r.array::<2>()?;
    let elem_type = Oid(u32::from_le_bytes(r.array()?));
    if ndim as usize > array::MAXDIM || has_nulls > 1 {
        return Err(corrupt("array header is invalid"));
    }
    let mut dims = Vec::with_capacity(ndim as usize);
    for _ in 0..ndim {
        let len = i32::from_le_bytes(r.array()?);
        let lower = i32::from_le_bytes(r.array()?);
        if len < 1 {
            return Err(corrupt("array dimension is invalid"));
        }
        dims.push(ArrayDim { len, lower });
    }
    let n = array::element_count(&dims).map_err(|_| corrupt("array is too large"))?;
    let bitmap = if has_nulls == 1 {
        r.take(n.div_ceil(8))?
    } else {
        &[]
    };
    let kind = storage(elem_type).map_err(|_| corrupt("array element type is invalid"))?;
    if kind == Storage::Array {
        return Err(corrupt("array element type is invalid"));
    }
    // Damaged dimensions must not size an allocation: every element needs a bit or more.
    let mut elems = Vec::with_capacity(n.min(bytes.len().saturating_mul(8)));
    for i in 0..n {
        let present = bitmap.is_empty() || bitmap[i / 8] & (1 << (i % 8)) != 0;
        elems.push(if present {
            read_value(kind, &mut r)?
        } else {
            Datum::Null
        });
    }
    if r.at != bytes.len() {
        return Err(corrupt("array has trailing bytes"));
    }
    Ok(Datum::Array(Box::new(Array {
        elem_type,
        dims,
        elems,
    })))
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
            int_array().prop_map(|a| (attr(type_oid::INT4_ARRAY), a)),
            proptest::collection::vec(proptest::option::of(".{0,8}"), 0..6).prop_map(|v| (
                attr(type_oid::TEXT_ARRAY),
                Datum::Array(Box::new(Array::from_elements(
                    type_oid::TEXT,
                    v.into_iter()
                        .map(|s| s.map_or(Datum::Null, Datum::Text))
                        .collect()
                )))
            )),
        ]
    }

    /// Integer arrays of up to three dimensions with any lower bounds and NULLs.
    fn int_array() -> impl Strategy<Value = Datum> {
        (proptest::collection::vec((1i32..4, -3i32..3), 0..4)).prop_flat_map(|shape| {
            let n: usize = if shape.is_empty() {
                0
            } else {
                shape.iter().map(|(len, _)| *len as usize).product()
            };
            proptest::collection::vec(proptest::option::of(any::<i32>()), n).prop_map(
                move |elems| {
                    let dims = shape
                        .iter()
                        .map(|(len, lower)| ArrayDim {
                            len: *len,
                            lower: *lower,
                        })
                        .collect();
                    let elems = elems
                        .into_iter()
                        .map(|e| e.map_or(Datum::Null, Datum::Int4))
                        .collect();
                    Datum::Array(Box::new(
                        Array::new(type_oid::INT4, dims, elems).expect("shape matches"),
                    ))
                },
            )
        })
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
    fn arrays_of_numeric_and_vectors_round_trip() {
        let numeric = |s: &str| Datum::Numeric(Numeric::parse(s).expect("numeric"));
        let values = [
            Datum::Array(Box::new(Array::from_elements(
                type_oid::NUMERIC,
                vec![numeric("1.50"), Datum::Null, numeric("-7")],
            ))),
            Datum::Array(Box::new(Array {
                elem_type: type_oid::OID,
                dims: vec![ArrayDim { len: 2, lower: 0 }],
                elems: vec![Datum::Oid(23), Datum::Oid(25)],
            })),
            Datum::Array(Box::new(Array::empty(type_oid::INTERVAL))),
        ];
        let attrs = [
            attr(type_oid::NUMERIC_ARRAY),
            attr(type_oid::OIDVECTOR),
            attr(type_oid::INTERVAL_ARRAY),
        ];
        let t = form_tuple(&attrs, &values).expect("form");
        assert_eq!(deform_tuple(&attrs, &t.as_ref()).expect("deform"), values);
        let err = form_tuple(&[attr(type_oid::INT8_ARRAY)], &values[..1]).expect_err("mismatch");
        assert_eq!(err.code, tusk_types::SqlState::INTERNAL_ERROR);
    }

    #[test]
    fn ranges_and_arrays_of_ranges_round_trip() {
        use tusk_types::adt::range::{make_range, Range, RangeBound};
        let range = |l: Option<i32>, u: Option<i32>| {
            Datum::Range(Box::new(
                make_range(
                    RangeBound::lower(l.map(Datum::Int4), true),
                    RangeBound::upper(u.map(Datum::Int4), false),
                )
                .expect("range"),
            ))
        };
        let attrs = [
            attr(type_oid::INT4RANGE),
            attr(type_oid::INT4RANGE),
            attr(type_oid::NUMRANGE),
            attr(Oid(3905)),
        ];
        let numeric = Datum::Numeric(Numeric::parse("1.50").expect("numeric"));
        let values = vec![
            range(Some(1), Some(5)),
            Datum::Range(Box::new(Range::Empty)),
            Datum::Range(Box::new(
                make_range(
                    RangeBound::lower(Some(numeric), false),
                    RangeBound::upper(None, false),
                )
                .expect("range"),
            )),
            Datum::Array(Box::new(Array::from_elements(
                type_oid::INT4RANGE,
                vec![range(None, Some(3)), Datum::Null],
            ))),
        ];
        let t = form_tuple(&attrs, &values).expect("form");
        assert_eq!(deform_tuple(&attrs, &t.as_ref()).expect("deform"), values);
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
