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
//! | varlena | composite values (`record` storage: the physical type of every composite type) | u32 LE length, then the row type u32, field count u16, per field its name (u16 length, bytes), type u32, typmod i32 and the type its value is stored as u32, then a null bitmap (bit set = present), then each present field stored as a column of that type |
//!
//! A composite value carries its descriptor, as a `Datum::Record` does in memory, so
//! reading it back needs no catalog. A field whose own type the heap does not know (an
//! enum, a domain, a composite type) is stored as the type its value's representation
//! has (`float4` for an enum, the base type for a domain, `record` for a composite).
//!
//! `numeric` is stored as its canonical text form (`Numeric`'s output function), which
//! keeps its value and display scale exactly; a binary form can replace it later.
//!
//! A top-level varlena's length word also says whether the value is compressed inline or
//! stored out of line (TOAST, see `crate::toast`); nested varlenas (array elements, range
//! bounds) are always plain.
//!
//! Entry points: [`AttributeDesc`], [`form_tuple`], [`form_tuple_toast`], [`deform_tuple`],
//! [`deform_tuple_toast`], [`external_pointers`].

use tusk_types::adt::array::{self, Array, ArrayDim};
use tusk_types::adt::multirange::{self, Multirange};
use tusk_types::adt::numeric::Numeric;
use tusk_types::adt::range::{self, Range, RangeBound};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use crate::toast::{self, FormedVarlena, ToastFetch, ToastPointer, ToastStore};
use crate::tuple::{HeapTuple, HeapTupleRef, HEAP_HASEXTERNAL, HEAP_TUPLE_HEADER_SIZE};

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
    /// A multirange whose ranges are over the given subtype.
    Multirange(Oid),
    /// A composite value with its descriptor.
    Record,
}

/// `pg_node_tree`: stored expression trees (tusk stores them as SQL text).
const PG_NODE_TREE: Oid = Oid(194);

/// True if the heap can store values of `type_oid`. `record` is not a column type (it
/// is a pseudo-type), though composite types are stored as `record` values.
pub fn type_is_storable(type_oid: Oid) -> bool {
    type_oid != type_oid::RECORD && storage(type_oid).is_ok()
}

/// True if values of `type_oid` are stored as varlenas (and so may be toasted).
pub fn type_is_varlena(type_oid: Oid) -> bool {
    storage(type_oid).is_ok_and(is_varlena)
}

fn storage(type_oid: Oid) -> Result<Storage> {
    Ok(match type_oid {
        type_oid::BOOL => Storage::Bool,
        type_oid::INT2 => Storage::Int2,
        type_oid::INT4 => Storage::Int4,
        type_oid::INT8 | type_oid::PG_LSN | type_oid::MONEY | type_oid::XID8 => Storage::Int8,
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
        | type_oid::JSONPATH
        | type_oid::TSVECTOR
        | type_oid::TSQUERY
        | type_oid::ACLITEM
        | type_oid::PG_SNAPSHOT
        | type_oid::TXID_SNAPSHOT
        | type_oid::XML
        | type_oid::REFCURSOR
        | PG_NODE_TREE => Storage::Text,
        type_oid::BYTEA
        | type_oid::UUID
        | type_oid::INET
        | type_oid::CIDR
        | type_oid::MACADDR
        | type_oid::MACADDR8
        | type_oid::BIT
        | type_oid::VARBIT
        | type_oid::TIMETZ
        | type_oid::POINT
        | type_oid::LSEG
        | type_oid::PATH
        | type_oid::BOX
        | type_oid::POLYGON
        | type_oid::LINE
        | type_oid::CIRCLE => Storage::Bytea,
        type_oid::NUMERIC => Storage::Numeric,
        type_oid::RECORD => Storage::Record,
        other if array::builtin_element_type(other).is_some() => Storage::Array,
        other if range::range_subtype(other).is_some() => {
            Storage::Range(range::range_subtype(other).expect("checked above"))
        }
        other if multirange::multirange_subtype(other).is_some() => {
            Storage::Multirange(multirange::multirange_subtype(other).expect("checked above"))
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
    form_tuple_toast(attrs, values, None)
}

/// [`form_tuple`] with TOAST (`heap_toast_insert_or_update`): a row longer than
/// [`toast::TOAST_TUPLE_THRESHOLD`] has its largest varlenas compressed, then, with a
/// `store`, moved out of line, until it fits (see `crate::toast`); without one a row that
/// stays too large is refused by the heap (54000).
///
/// Errors: those of [`form_tuple`]; 54000 `invalid memory alloc request size %zu` for a
/// value over 1 GB; the store's errors.
pub fn form_tuple_toast(
    attrs: &[AttributeDesc],
    values: &[Datum],
    store: Option<&mut dyn ToastStore>,
) -> Result<HeapTuple> {
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
    // Where each top-level varlena is in `data` (its length word included).
    let mut varlenas: Vec<(usize, usize)> = Vec::new();
    for (i, (attr, value)) in attrs.iter().zip(values).enumerate() {
        if matches!(value, Datum::Null) {
            continue;
        }
        let kind = storage(attr.type_oid)?;
        if has_null {
            bitmap[i / 8] |= 1 << (i % 8);
        }
        let start = data.len();
        if put_value(i, attr.type_oid, kind, value, &mut data)? {
            if data.len() - start - 4 > toast::MAX_VARLENA_SIZE {
                return Err(toast::value_too_large(data.len() - start - 4));
            }
            varlenas.push((start, data.len()));
        }
    }
    let header = HEAP_TUPLE_HEADER_SIZE + bitmap.len();
    let mut has_external = false;
    if header + data.len() > toast::TOAST_TUPLE_THRESHOLD && !varlenas.is_empty() {
        let mut fields: Vec<FormedVarlena> = varlenas
            .iter()
            .map(|&(start, end)| FormedVarlena::plain(data[start + 4..end].to_vec()))
            .collect();
        let varlena_bytes: usize = varlenas.iter().map(|(start, end)| end - start).sum();
        toast::shrink(header + data.len() - varlena_bytes, &mut fields, store)?;
        let mut toasted = Vec::with_capacity(data.len());
        let mut at = 0;
        for (&(start, end), field) in varlenas.iter().zip(&fields) {
            toasted.extend_from_slice(&data[at..start]);
            toasted.extend_from_slice(&field.word.to_le_bytes());
            toasted.extend_from_slice(&field.body);
            has_external |= toast::is_external(field.word);
            at = end;
        }
        toasted.extend_from_slice(&data[at..]);
        data = toasted;
    }
    let mut tuple = HeapTuple::form(attrs.len() as u16, &bitmap, !varlenas.is_empty(), &data);
    if has_external {
        let mut h = tuple.header();
        h.infomask |= HEAP_HASEXTERNAL;
        tuple.set_header(h);
    }
    Ok(tuple)
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
        (Storage::Multirange(subtype), Datum::Multirange(m)) => {
            let mut bytes = Vec::new();
            put_multirange(m, subtype, &mut bytes)?;
            put_varlena(out, &bytes);
        }
        (Storage::Record, Datum::Record(r)) => {
            let mut bytes = Vec::new();
            put_record(r, &mut bytes)?;
            put_varlena(out, &bytes);
        }
        _ => return Err(mismatch(i, value)),
    }
    Ok(is_varlena(kind))
}

/// The type a record field's value is stored as: its own type's storage when the heap
/// knows the type, else the type its value's representation has; `None` for a NULL.
fn field_storage_type(type_oid: Oid, value: &Datum) -> Option<Oid> {
    if value.is_null() {
        return None;
    }
    if storage(type_oid).is_ok() {
        return Some(type_oid);
    }
    Some(match value {
        Datum::Bool(_) => type_oid::BOOL,
        Datum::Int2(_) => type_oid::INT2,
        Datum::Int4(_) => type_oid::INT4,
        Datum::Int8(_) => type_oid::INT8,
        Datum::Float4(_) => type_oid::FLOAT4,
        Datum::Float8(_) => type_oid::FLOAT8,
        Datum::Numeric(_) => type_oid::NUMERIC,
        Datum::Oid(_) => type_oid::OID,
        Datum::Text(_) => type_oid::TEXT,
        Datum::Bytea(_) => type_oid::BYTEA,
        Datum::Date(_) => type_oid::DATE,
        Datum::Time(_) => type_oid::TIME,
        Datum::Timestamp(_) => type_oid::TIMESTAMP,
        Datum::TimestampTz(_) => type_oid::TIMESTAMPTZ,
        Datum::Interval { .. } => type_oid::INTERVAL,
        Datum::Record(_) => type_oid::RECORD,
        // Arrays and ranges of types the heap does not know cannot be stored.
        _ => type_oid,
    })
}

/// A composite value's bytes inside its varlena (see the module's layout table).
fn put_record(r: &tusk_types::adt::record::Record, out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(&r.desc.type_oid.0.to_le_bytes());
    out.extend_from_slice(&(r.desc.fields.len() as u16).to_le_bytes());
    let stored: Vec<Option<Oid>> = r
        .desc
        .fields
        .iter()
        .zip(&r.values)
        .map(|(f, v)| field_storage_type(f.type_oid, v))
        .collect();
    for (field, stored) in r.desc.fields.iter().zip(&stored) {
        out.extend_from_slice(&(field.name.len() as u16).to_le_bytes());
        out.extend_from_slice(field.name.as_bytes());
        out.extend_from_slice(&field.type_oid.0.to_le_bytes());
        out.extend_from_slice(&field.typmod.to_le_bytes());
        out.extend_from_slice(&stored.unwrap_or(Oid::INVALID).0.to_le_bytes());
    }
    let mut bitmap = vec![0u8; r.values.len().div_ceil(8)];
    for (i, stored) in stored.iter().enumerate() {
        if stored.is_some() {
            bitmap[i / 8] |= 1 << (i % 8);
        }
    }
    out.extend_from_slice(&bitmap);
    for (i, (value, stored)) in r.values.iter().zip(&stored).enumerate() {
        if let Some(t) = stored {
            put_value(i, *t, storage(*t)?, value, out)?;
        }
    }
    Ok(())
}

/// Reads a composite value written by `put_record`.
fn read_record(bytes: &[u8]) -> Result<Datum> {
    use tusk_types::adt::record::{Record, RecordDesc, RecordField};
    let mut r = Reader { data: bytes, at: 0 };
    let row_type = Oid(u32::from_le_bytes(r.array()?));
    let n = u16::from_le_bytes(r.array()?) as usize;
    let mut fields = Vec::with_capacity(n.min(bytes.len()));
    let mut stored = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let len = u16::from_le_bytes(r.array()?) as usize;
        let name = String::from_utf8(r.take(len)?.to_vec())
            .map_err(|_| corrupt("record field name is not UTF-8"))?;
        let type_oid = Oid(u32::from_le_bytes(r.array()?));
        let typmod = i32::from_le_bytes(r.array()?);
        stored.push(Oid(u32::from_le_bytes(r.array()?)));
        fields.push(RecordField {
            name,
            type_oid,
            typmod,
        });
    }
    let bitmap = r.take(n.div_ceil(8))?;
    let mut values = Vec::with_capacity(fields.len());
    for (i, t) in stored.iter().enumerate() {
        if bitmap[i / 8] & (1 << (i % 8)) == 0 {
            values.push(Datum::Null);
            continue;
        }
        let kind = storage(*t).map_err(|_| corrupt("record field type is invalid"))?;
        values.push(read_value(kind, &mut r)?);
    }
    if r.at != bytes.len() {
        return Err(corrupt("record has trailing bytes"));
    }
    Ok(Datum::Record(Box::new(Record::new(
        std::sync::Arc::new(RecordDesc {
            type_oid: row_type,
            fields,
        }),
        values,
    ))))
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

/// A multirange's bytes inside its varlena: the number of ranges (u32), then each range
/// as its length (u32) and the bytes of [`put_range`] (also the B-tree's key encoding).
pub(crate) fn put_multirange(m: &Multirange, subtype: Oid, out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(&(m.ranges().len() as u32).to_le_bytes());
    for r in m.ranges() {
        let at = out.len();
        out.extend_from_slice(&[0; 4]);
        put_range(r, subtype, out)?;
        let len = (out.len() - at - 4) as u32;
        out[at..at + 4].copy_from_slice(&len.to_le_bytes());
    }
    Ok(())
}

/// Reads a multirange of `subtype` written by `put_multirange`.
pub(crate) fn read_multirange(bytes: &[u8], subtype: Oid) -> Result<Datum> {
    let mut r = Reader { data: bytes, at: 0 };
    let count = u32::from_le_bytes(r.array()?);
    let mut ranges = Vec::new();
    for _ in 0..count {
        let len = u32::from_le_bytes(r.array()?) as usize;
        match read_range(r.take(len)?, subtype)? {
            Datum::Range(range) => ranges.push(*range),
            _ => return Err(corrupt("multirange holds a non-range")),
        }
    }
    if r.at != bytes.len() {
        return Err(corrupt("multirange has trailing bytes"));
    }
    let value = Multirange::new(ranges).map_err(|_| corrupt("multirange ranges are invalid"))?;
    Ok(Datum::Multirange(Box::new(value)))
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
    deform_tuple_toast(attrs, tuple, None)
}

/// [`deform_tuple`] reading compressed values and, through `fetch`, out-of-line ones
/// (`heap_deform_tuple` + `detoast_attr`).
///
/// Errors: those of [`deform_tuple`]; XX000 for an out-of-line value without `fetch`;
/// the fetch's errors (XX000 `missing chunk number ...`).
pub fn deform_tuple_toast(
    attrs: &[AttributeDesc],
    tuple: &HeapTupleRef<'_>,
    fetch: Option<&dyn ToastFetch>,
) -> Result<Vec<Datum>> {
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
        if is_varlena(kind) {
            let word = u32::from_le_bytes(reader.array()?);
            let body = reader.take((word & toast::VARLENA_LENGTH_MASK) as usize)?;
            out.push(if word & !toast::VARLENA_LENGTH_MASK == 0 {
                varlena_value(kind, body)?
            } else {
                varlena_value(kind, &toast::expand(word, body, fetch)?)?
            });
        } else {
            out.push(read_value(kind, &mut reader)?);
        }
    }
    Ok(out)
}

/// The TOAST pointers of `tuple`'s out-of-line values (`toast_delete`'s walk), none
/// unless its header has `HEAP_HASEXTERNAL`.
///
/// Errors: XX001 if the bytes do not parse; 0A000 for unsupported types.
pub fn external_pointers(
    attrs: &[AttributeDesc],
    tuple: &HeapTupleRef<'_>,
) -> Result<Vec<ToastPointer>> {
    let mut out = Vec::new();
    if tuple.header().infomask & HEAP_HASEXTERNAL == 0 {
        return Ok(out);
    }
    let natts = tuple.header().natts() as usize;
    let bitmap = tuple.null_bitmap();
    let mut reader = Reader {
        data: tuple.data(),
        at: 0,
    };
    for (i, attr) in attrs.iter().enumerate().take(natts) {
        if !(bitmap.is_empty() || bitmap.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0)) {
            continue;
        }
        let kind = storage(attr.type_oid)?;
        if is_varlena(kind) {
            let word = u32::from_le_bytes(reader.array()?);
            let body = reader.take((word & toast::VARLENA_LENGTH_MASK) as usize)?;
            if toast::is_external(word) {
                out.push(ToastPointer::decode(body)?);
            }
        } else {
            read_value(kind, &mut reader)?;
        }
    }
    Ok(out)
}

fn is_varlena(kind: Storage) -> bool {
    matches!(
        kind,
        Storage::Text
            | Storage::Bytea
            | Storage::Numeric
            | Storage::Array
            | Storage::Range(_)
            | Storage::Multirange(_)
            | Storage::Record
    )
}

/// A varlena value of storage `kind` from its plain bytes.
fn varlena_value(kind: Storage, bytes: &[u8]) -> Result<Datum> {
    Ok(match kind {
        Storage::Text => Datum::Text(
            String::from_utf8(bytes.to_vec())
                .map_err(|_| corrupt("text attribute is not UTF-8"))?,
        ),
        Storage::Bytea => Datum::Bytea(bytes.to_vec()),
        Storage::Numeric => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| corrupt("numeric attribute is not UTF-8"))?;
            Datum::Numeric(
                Numeric::parse(text).map_err(|_| corrupt("numeric attribute does not parse"))?,
            )
        }
        Storage::Array => read_array(bytes)?,
        Storage::Range(subtype) => read_range(bytes, subtype)?,
        Storage::Multirange(subtype) => read_multirange(bytes, subtype)?,
        Storage::Record => read_record(bytes)?,
        _ => return Err(Error::internal("fixed-width storage read as a varlena")),
    })
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
        Storage::Text
        | Storage::Bytea
        | Storage::Numeric
        | Storage::Array
        | Storage::Range(_)
        | Storage::Multirange(_)
        | Storage::Record => varlena_value(kind, reader.varlena()?)?,
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

    #[test]
    fn composite_values_round_trip_with_their_descriptor() {
        use std::sync::Arc;
        use tusk_types::adt::record::{Record, RecordDesc, RecordField};
        let field = |name: &str, type_oid: Oid| RecordField {
            name: name.into(),
            type_oid,
            typmod: -1,
        };
        let inner = Datum::Record(Box::new(Record::new(
            Arc::new(RecordDesc {
                type_oid: Oid(16500),
                fields: vec![field("x", type_oid::INT4)],
            }),
            vec![Datum::Int4(5)],
        )));
        // Field 3 is of a user type the heap does not know (an enum held as float4),
        // field 4 of a composite type.
        let desc = Arc::new(RecordDesc {
            type_oid: Oid(16400),
            fields: vec![
                field("a", type_oid::INT4),
                field("b", type_oid::TEXT),
                field("c", Oid(16390)),
                field("d", Oid(16500)),
            ],
        });
        let value = Datum::Record(Box::new(Record::new(
            desc,
            vec![Datum::Int4(1), Datum::Null, Datum::Float4(2.0), inner],
        )));
        let attrs = [attr(type_oid::RECORD), attr(type_oid::INT4)];
        let row = vec![value, Datum::Int4(9)];
        let tuple = form_tuple(&attrs, &row).expect("form");
        assert_eq!(deform_tuple(&attrs, &tuple.as_ref()).expect("deform"), row);
        assert!(!type_is_storable(type_oid::RECORD));
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

    /// Incompressible text (xorshift64 over the alphabet).
    fn noise_text(n: usize) -> String {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'!' + (x % 90) as u8)
            })
            .collect()
    }

    /// Out-of-line values kept in memory, by value id.
    #[derive(Default)]
    struct MemoryToast(std::cell::RefCell<Vec<Vec<u8>>>);

    impl ToastStore for &MemoryToast {
        fn store(&mut self, stored: &[u8]) -> Result<(Oid, Oid)> {
            let mut values = self.0.borrow_mut();
            values.push(stored.to_vec());
            Ok((Oid(values.len() as u32), Oid(99_999)))
        }
    }

    impl ToastFetch for MemoryToast {
        fn fetch(&self, pointer: &ToastPointer) -> Result<Vec<u8>> {
            Ok(self.0.borrow()[pointer.value_id.0 as usize - 1].clone())
        }
    }

    #[test]
    fn large_rows_are_compressed_and_read_back() {
        let attrs = [
            attr(type_oid::INT4),
            attr(type_oid::TEXT),
            attr(type_oid::TEXT),
            attr(type_oid::BYTEA),
            attr(type_oid::TEXT_ARRAY),
            attr(type_oid::JSONB),
        ];
        let values = vec![
            Datum::Int4(1),
            Datum::Text("x".repeat(100_000)),
            Datum::Null,
            Datum::Bytea(b"abc".repeat(3000)),
            Datum::Array(Box::new(Array::from_elements(
                type_oid::TEXT,
                vec![
                    Datum::Text("y".repeat(5000)),
                    Datum::Null,
                    Datum::Text("z".into()),
                ],
            ))),
            Datum::Text(format!("{{\"a\": \"{}\"}}", "q".repeat(4000))),
        ];
        let t = form_tuple(&attrs, &values).expect("form");
        assert!(t.len() < 2032, "compressed to {} bytes", t.len());
        assert_eq!(t.header().infomask & HEAP_HASEXTERNAL, 0);
        assert_eq!(deform_tuple(&attrs, &t.as_ref()).expect("deform"), values);
        assert_eq!(
            external_pointers(&attrs, &t.as_ref()).expect("walk"),
            vec![]
        );
    }

    #[test]
    fn small_rows_keep_the_plain_format() {
        let attrs = [attr(type_oid::TEXT)];
        let values = [Datum::Text("a".repeat(1000))];
        let t = form_tuple(&attrs, &values).expect("form");
        assert_eq!(&t.as_ref().data()[..4], &1000u32.to_le_bytes());
    }

    #[test]
    fn incompressible_values_go_out_of_line_only_with_a_store() {
        let attrs = [
            attr(type_oid::INT4),
            attr(type_oid::TEXT),
            attr(type_oid::TEXT),
        ];
        let values = vec![
            Datum::Int4(7),
            Datum::Text(noise_text(20_000)),
            Datum::Text("b".repeat(50_000)),
        ];
        let plain = form_tuple(&attrs, &values).expect("form");
        assert!(plain.len() > 20_000, "incompressible text stays inline");
        assert_eq!(
            deform_tuple(&attrs, &plain.as_ref()).expect("deform"),
            values
        );
        let memory = MemoryToast::default();
        let mut store = &memory;
        let t = form_tuple_toast(&attrs, &values, Some(&mut store)).expect("form");
        assert!(t.len() <= 2032);
        assert_ne!(t.header().infomask & HEAP_HASEXTERNAL, 0);
        let pointers = external_pointers(&attrs, &t.as_ref()).expect("walk");
        assert_eq!(pointers.len(), 1);
        assert_eq!(
            (pointers[0].raw_size, pointers[0].compressed),
            (20_000, false)
        );
        assert_eq!(
            deform_tuple_toast(&attrs, &t.as_ref(), Some(&memory)).expect("deform"),
            values
        );
        let err = deform_tuple(&attrs, &t.as_ref()).expect_err("no fetcher");
        assert_eq!(err.code, tusk_types::SqlState::INTERNAL_ERROR);
    }

    #[test]
    fn compressed_values_move_out_of_line_compressed() {
        // Many columns, each compressible but together still over the target.
        let attrs = vec![attr(type_oid::TEXT); 40];
        let values: Vec<Datum> = (0..40)
            .map(|i| Datum::Text(format!("{i}{}", noise_text(40)).repeat(100)))
            .collect();
        let memory = MemoryToast::default();
        let mut store = &memory;
        let t = form_tuple_toast(&attrs, &values, Some(&mut store)).expect("form");
        assert!(t.len() <= 2032, "{}", t.len());
        let pointers = external_pointers(&attrs, &t.as_ref()).expect("walk");
        assert!(!pointers.is_empty() && pointers.iter().all(|p| p.compressed));
        assert_eq!(
            deform_tuple_toast(&attrs, &t.as_ref(), Some(&memory)).expect("deform"),
            values
        );
    }

    #[test]
    fn mismatched_and_unsupported_types_are_errors() {
        let err =
            form_tuple(&[attr(type_oid::INT4)], &[Datum::Text("1".into())]).expect_err("mismatch");
        assert_eq!(err.code, tusk_types::SqlState::INTERNAL_ERROR);
        let err =
            form_tuple(&[attr(type_oid::ANYELEMENT)], &[Datum::Int4(1)]).expect_err("pseudo-type");
        assert_eq!(err.code, tusk_types::SqlState::FEATURE_NOT_SUPPORTED);
    }
}
