//! Index tuples (PostgreSQL's `IndexTupleData` with nbtree's pivot-tuple conventions).
//!
//! | bytes | field | leaf tuple | pivot tuple (`INDEX_ALT_TID_MASK`) |
//! |---|---|---|---|
//! | 0..4 | `t_tid` block, u32 LE | heap block | downlink (child block); `u32::MAX` in a high key |
//! | 4..6 | `t_tid` offset, u16 LE | heap line pointer | number of key attributes: 0 (minus infinity) or all |
//! | 6..8 | `t_info`, u16 LE | size in bits 0..13, `0x8000` has NULLs, `0x4000` has variable-width values, `0x2000` pivot | same |
//! | 8..14 | heap TID tiebreaker | - | block u32, offset u16 (only with attributes) |
//! | then | null bitmap | `ceil(natts / 8)` bytes when `0x8000`: bit set = value present | same |
//! | then | key values | column order, unaligned, the heap's encodings (`crate::row`, ranges as a varlena) | same |
//!
//! Every key in the tree is `(key values, heap TID)`, so entries are unique and the heap TID
//! is the last tiebreaker (PostgreSQL 12's "heapkeyspace"). Pivot tuples (high keys and
//! internal-page entries) carry the full key and the heap TID of the leaf tuple they were
//! copied from; PostgreSQL truncates suffix attributes there, tusk does not. The first data
//! item of an internal page is a *minus infinity* pivot: downlink only, no key.
//!
//! Entry points: [`form_leaf_tuple`], [`TupleRef`], [`decode_key`], [`to_pivot`],
//! [`to_minus_infinity`].

use tusk_types::adt::numeric::Numeric;
use tusk_types::adt::range;
use tusk_types::{pg_err, type_oid, BlockNumber, Datum, Error, ItemPointer, OffsetNumber, Result};

use super::key::IndexColumn;

/// `t_info` size bits.
pub const INDEX_SIZE_MASK: u16 = 0x1FFF;
/// `t_info`: the tuple has a null bitmap.
pub const INDEX_NULL_MASK: u16 = 0x8000;
/// `t_info`: the tuple has variable-width values.
pub const INDEX_VAR_MASK: u16 = 0x4000;
/// `t_info`: pivot tuple (`INDEX_ALT_TID_MASK`): `t_tid` holds a downlink and the number of
/// attributes.
pub const INDEX_ALT_TID_MASK: u16 = 0x2000;
/// Size of the fixed header (`IndexTupleData`).
pub const INDEX_TUPLE_HEADER_SIZE: usize = 8;
/// Size of a pivot's heap TID tiebreaker.
const PIVOT_TID_SIZE: usize = 6;
/// The downlink value of a high key (`InvalidBlockNumber`).
const NO_DOWNLINK: u32 = u32::MAX;

fn corrupt(what: &str) -> Error {
    pg_err!(INDEX_CORRUPTED, "invalid B-tree index tuple: {}", what)
}

fn header(out: &mut [u8], block: u32, offset: u16, info: u16) {
    out[0..4].copy_from_slice(&block.to_le_bytes());
    out[4..6].copy_from_slice(&offset.to_le_bytes());
    out[6..8].copy_from_slice(&info.to_le_bytes());
}

/// Encodes `values` (one per column of `columns`) as a leaf tuple pointing at `tid`
/// (`index_form_tuple`).
///
/// Errors: `XX000` if a value does not match its column's type or the counts differ;
/// `54000` if the tuple is larger than the `t_info` size field allows.
pub fn form_leaf_tuple(
    columns: &[IndexColumn],
    values: &[Datum],
    tid: ItemPointer,
) -> Result<Vec<u8>> {
    if columns.len() != values.len() {
        return Err(Error::internal(format!(
            "index key has {} values for {} columns",
            values.len(),
            columns.len()
        )));
    }
    let has_null = values.iter().any(Datum::is_null);
    let mut out = vec![0u8; INDEX_TUPLE_HEADER_SIZE];
    let bitmap_at = out.len();
    if has_null {
        out.resize(bitmap_at + columns.len().div_ceil(8), 0);
    }
    let mut varwidth = false;
    for (i, (column, value)) in columns.iter().zip(values).enumerate() {
        if value.is_null() {
            continue;
        }
        if has_null {
            out[bitmap_at + i / 8] |= 1 << (i % 8);
        }
        varwidth |= encode_value(column, value, &mut out).ok_or_else(|| {
            Error::internal(format!(
                "value {value:?} does not match the type of index column {}",
                i + 1
            ))
        })?;
    }
    let len = out.len();
    if len > INDEX_SIZE_MASK as usize {
        return Err(pg_err!(
            PROGRAM_LIMIT_EXCEEDED,
            "index row requires {} bytes, maximum size is {}",
            len,
            INDEX_SIZE_MASK
        ));
    }
    let info = len as u16
        | if has_null { INDEX_NULL_MASK } else { 0 }
        | if varwidth { INDEX_VAR_MASK } else { 0 };
    header(&mut out, tid.block.0, tid.offset.0, info);
    Ok(out)
}

/// Appends `value`'s encoding; `Some(true)` for a variable-width value, `None` on a type
/// mismatch.
fn encode_value(column: &IndexColumn, value: &Datum, out: &mut Vec<u8>) -> Option<bool> {
    let t = column.type_oid;
    let put_var = |out: &mut Vec<u8>, b: &[u8]| {
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(b);
    };
    match value {
        Datum::Bool(b) if t == type_oid::BOOL => out.push(u8::from(*b)),
        Datum::Int2(v) if t == type_oid::INT2 => out.extend_from_slice(&v.to_le_bytes()),
        Datum::Int4(v) if t == type_oid::INT4 => out.extend_from_slice(&v.to_le_bytes()),
        Datum::Date(v) if t == type_oid::DATE => out.extend_from_slice(&v.to_le_bytes()),
        Datum::Int8(v)
            if matches!(
                t,
                type_oid::INT8 | type_oid::PG_LSN | type_oid::MONEY | type_oid::XID8
            ) =>
        {
            out.extend_from_slice(&v.to_le_bytes())
        }
        Datum::Time(v) if t == type_oid::TIME => out.extend_from_slice(&v.to_le_bytes()),
        Datum::Timestamp(v) if t == type_oid::TIMESTAMP => out.extend_from_slice(&v.to_le_bytes()),
        Datum::TimestampTz(v) if t == type_oid::TIMESTAMPTZ => {
            out.extend_from_slice(&v.to_le_bytes())
        }
        Datum::Float4(v) if t == type_oid::FLOAT4 => {
            out.extend_from_slice(&v.to_bits().to_le_bytes())
        }
        Datum::Float8(v) if t == type_oid::FLOAT8 => {
            out.extend_from_slice(&v.to_bits().to_le_bytes())
        }
        Datum::Oid(v) if t == type_oid::OID || type_oid::is_reg_type(t) => {
            out.extend_from_slice(&v.to_le_bytes())
        }
        Datum::Interval {
            months,
            days,
            micros,
        } if t == type_oid::INTERVAL => {
            out.extend_from_slice(&months.to_le_bytes());
            out.extend_from_slice(&days.to_le_bytes());
            out.extend_from_slice(&micros.to_le_bytes());
        }
        Datum::Text(s)
            if matches!(
                t,
                type_oid::TEXT
                    | type_oid::VARCHAR
                    | type_oid::BPCHAR
                    | type_oid::NAME
                    | type_oid::CHAR
                    | type_oid::TSVECTOR
                    | type_oid::TSQUERY
            ) =>
        {
            put_var(out, s.as_bytes());
            return Some(true);
        }
        Datum::Bytea(b) if t == type_oid::UUID && b.len() == 16 => out.extend_from_slice(b),
        Datum::Bytea(b) if t == type_oid::MACADDR && b.len() == 6 => out.extend_from_slice(b),
        Datum::Bytea(b) if t == type_oid::MACADDR8 && b.len() == 8 => out.extend_from_slice(b),
        Datum::Bytea(b) if t == type_oid::TIMETZ && b.len() == 12 => out.extend_from_slice(b),
        Datum::Bytea(b)
            if matches!(
                t,
                type_oid::BYTEA
                    | type_oid::INET
                    | type_oid::CIDR
                    | type_oid::BIT
                    | type_oid::VARBIT
            ) =>
        {
            put_var(out, b);
            return Some(true);
        }
        Datum::Numeric(n) if t == type_oid::NUMERIC => {
            put_var(out, n.to_string().as_bytes());
            return Some(true);
        }
        Datum::Range(r) => {
            let subtype = range::range_subtype(t)?;
            let mut bytes = Vec::new();
            crate::row::put_range(r, subtype, &mut bytes).ok()?;
            put_var(out, &bytes);
            return Some(true);
        }
        Datum::Multirange(m) => {
            let subtype = tusk_types::adt::multirange::multirange_subtype(t)?;
            let mut bytes = Vec::new();
            crate::row::put_multirange(m, subtype, &mut bytes).ok()?;
            put_var(out, &bytes);
            return Some(true);
        }
        _ => return None,
    }
    Some(false)
}

/// A borrowed, undecoded index tuple.
#[derive(Clone, Copy, Debug)]
pub struct TupleRef<'a> {
    bytes: &'a [u8],
}

impl<'a> TupleRef<'a> {
    /// Wraps `bytes`.
    ///
    /// Errors: `XX002` if the header does not fit or its size disagrees with `bytes`.
    pub fn new(bytes: &'a [u8]) -> Result<TupleRef<'a>> {
        if bytes.len() < INDEX_TUPLE_HEADER_SIZE {
            return Err(corrupt("shorter than its header"));
        }
        let t = TupleRef { bytes };
        if t.info() & INDEX_SIZE_MASK != bytes.len() as u16 {
            return Err(corrupt("size field disagrees with the item length"));
        }
        if t.is_pivot()
            && !t.is_minus_infinity()
            && bytes.len() < INDEX_TUPLE_HEADER_SIZE + PIVOT_TID_SIZE
        {
            return Err(corrupt("pivot tuple without its heap TID"));
        }
        Ok(t)
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    fn block_field(&self) -> u32 {
        u32::from_le_bytes(self.bytes[0..4].try_into().expect("4 bytes"))
    }

    fn offset_field(&self) -> u16 {
        u16::from_le_bytes(self.bytes[4..6].try_into().expect("2 bytes"))
    }

    fn info(&self) -> u16 {
        u16::from_le_bytes(self.bytes[6..8].try_into().expect("2 bytes"))
    }

    /// True for a pivot tuple (high key or internal-page entry).
    pub fn is_pivot(&self) -> bool {
        self.info() & INDEX_ALT_TID_MASK != 0
    }

    /// True for a minus-infinity pivot (no key).
    pub fn is_minus_infinity(&self) -> bool {
        self.is_pivot() && self.offset_field() == 0
    }

    /// The heap TID: a leaf tuple's pointer, or a pivot's tiebreaker (`None` for minus
    /// infinity).
    pub fn heap_tid(&self) -> Option<ItemPointer> {
        if !self.is_pivot() {
            return Some(ItemPointer {
                block: BlockNumber(self.block_field()),
                offset: OffsetNumber(self.offset_field()),
            });
        }
        if self.is_minus_infinity() {
            return None;
        }
        let b = &self.bytes[INDEX_TUPLE_HEADER_SIZE..];
        Some(ItemPointer {
            block: BlockNumber(u32::from_le_bytes(b[0..4].try_into().expect("4 bytes"))),
            offset: OffsetNumber(u16::from_le_bytes(b[4..6].try_into().expect("2 bytes"))),
        })
    }

    /// A pivot's downlink (`BTreeTupleGetDownLink`); `None` for high keys and leaf tuples.
    pub fn downlink(&self) -> Option<BlockNumber> {
        (self.is_pivot() && self.block_field() != NO_DOWNLINK)
            .then(|| BlockNumber(self.block_field()))
    }

    /// Null bitmap and values.
    fn attribute_bytes(&self) -> &'a [u8] {
        let start = if self.is_pivot() && !self.is_minus_infinity() {
            INDEX_TUPLE_HEADER_SIZE + PIVOT_TID_SIZE
        } else {
            INDEX_TUPLE_HEADER_SIZE
        };
        &self.bytes[start.min(self.bytes.len())..]
    }
}

/// Decodes the key values of `tuple` (empty for minus infinity).
///
/// Errors: `XX002` if the bytes do not parse.
pub fn decode_key(columns: &[IndexColumn], tuple: TupleRef<'_>) -> Result<Vec<Datum>> {
    if tuple.is_minus_infinity() {
        return Ok(Vec::new());
    }
    let mut data = tuple.attribute_bytes();
    let bitmap = if tuple.info() & INDEX_NULL_MASK != 0 {
        let n = columns.len().div_ceil(8);
        if data.len() < n {
            return Err(corrupt("null bitmap runs past the end"));
        }
        let (b, rest) = data.split_at(n);
        data = rest;
        Some(b)
    } else {
        None
    };
    let mut out = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        if bitmap.is_some_and(|b| b[i / 8] & (1 << (i % 8)) == 0) {
            out.push(Datum::Null);
            continue;
        }
        out.push(decode_value(column, &mut data)?);
    }
    Ok(out)
}

fn take<'a>(data: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if data.len() < n {
        return Err(corrupt("value runs past the end"));
    }
    let (head, rest) = data.split_at(n);
    *data = rest;
    Ok(head)
}

fn array<const N: usize>(data: &mut &[u8]) -> Result<[u8; N]> {
    Ok(take(data, N)?.try_into().expect("take returned N bytes"))
}

fn varlena<'a>(data: &mut &'a [u8]) -> Result<&'a [u8]> {
    let len = u32::from_le_bytes(array(data)?) as usize;
    take(data, len)
}

fn decode_value(column: &IndexColumn, data: &mut &[u8]) -> Result<Datum> {
    Ok(match column.type_oid {
        type_oid::BOOL => Datum::Bool(array::<1>(data)?[0] != 0),
        type_oid::INT2 => Datum::Int2(i16::from_le_bytes(array(data)?)),
        type_oid::INT4 => Datum::Int4(i32::from_le_bytes(array(data)?)),
        type_oid::DATE => Datum::Date(i32::from_le_bytes(array(data)?)),
        type_oid::INT8 | type_oid::PG_LSN | type_oid::MONEY | type_oid::XID8 => {
            Datum::Int8(i64::from_le_bytes(array(data)?))
        }
        type_oid::TIME => Datum::Time(i64::from_le_bytes(array(data)?)),
        type_oid::TIMESTAMP => Datum::Timestamp(i64::from_le_bytes(array(data)?)),
        type_oid::TIMESTAMPTZ => Datum::TimestampTz(i64::from_le_bytes(array(data)?)),
        type_oid::FLOAT4 => Datum::Float4(f32::from_bits(u32::from_le_bytes(array(data)?))),
        type_oid::FLOAT8 => Datum::Float8(f64::from_bits(u64::from_le_bytes(array(data)?))),
        t if t == type_oid::OID || type_oid::is_reg_type(t) => {
            Datum::Oid(u32::from_le_bytes(array(data)?))
        }
        type_oid::INTERVAL => Datum::Interval {
            months: i32::from_le_bytes(array(data)?),
            days: i32::from_le_bytes(array(data)?),
            micros: i64::from_le_bytes(array(data)?),
        },
        type_oid::TEXT
        | type_oid::VARCHAR
        | type_oid::BPCHAR
        | type_oid::NAME
        | type_oid::CHAR
        | type_oid::TSVECTOR
        | type_oid::TSQUERY => Datum::Text(
            String::from_utf8(varlena(data)?.to_vec()).map_err(|_| corrupt("text is not UTF-8"))?,
        ),
        type_oid::BYTEA | type_oid::INET | type_oid::CIDR | type_oid::BIT | type_oid::VARBIT => {
            Datum::Bytea(varlena(data)?.to_vec())
        }
        type_oid::TIMETZ => Datum::Bytea(array::<12>(data)?.to_vec()),
        type_oid::MACADDR => Datum::Bytea(array::<6>(data)?.to_vec()),
        type_oid::MACADDR8 => Datum::Bytea(array::<8>(data)?.to_vec()),
        type_oid::UUID => Datum::Bytea(array::<16>(data)?.to_vec()),
        type_oid::NUMERIC => {
            let text =
                std::str::from_utf8(varlena(data)?).map_err(|_| corrupt("numeric is not UTF-8"))?;
            Datum::Numeric(Numeric::parse(text).map_err(|_| corrupt("numeric does not parse"))?)
        }
        other if range::range_subtype(other).is_some() => {
            let subtype = range::range_subtype(other).expect("checked above");
            crate::row::read_range(varlena(data)?, subtype)?
        }
        other if tusk_types::adt::multirange::multirange_subtype(other).is_some() => {
            let subtype =
                tusk_types::adt::multirange::multirange_subtype(other).expect("checked above");
            crate::row::read_multirange(varlena(data)?, subtype)?
        }
        other => {
            return Err(Error::feature_not_supported(format!(
                "B-tree index columns of type {}",
                type_oid::builtin_name(other).map_or_else(|| other.0.to_string(), str::to_string)
            )))
        }
    })
}

/// A pivot tuple with the key and heap TID of `tuple` (a leaf tuple or a pivot with a key)
/// and `downlink` (`None` for a high key): `_bt_pivot_tuple` without suffix truncation.
pub fn to_pivot(tuple: TupleRef<'_>, downlink: Option<BlockNumber>) -> Vec<u8> {
    let tid = tuple
        .heap_tid()
        .expect("a pivot is made from a tuple with a key");
    let attrs = tuple.attribute_bytes();
    let len = INDEX_TUPLE_HEADER_SIZE + PIVOT_TID_SIZE + attrs.len();
    let mut out = vec![0u8; len];
    let info =
        len as u16 | (tuple.info() & (INDEX_NULL_MASK | INDEX_VAR_MASK)) | INDEX_ALT_TID_MASK;
    header(
        &mut out,
        downlink.map_or(NO_DOWNLINK, |b| b.0),
        PIVOT_ALL_ATTS,
        info,
    );
    out[8..12].copy_from_slice(&tid.block.0.to_le_bytes());
    out[12..14].copy_from_slice(&tid.offset.0.to_le_bytes());
    out[14..].copy_from_slice(attrs);
    out
}

/// The natts value of a pivot that carries every key column. Stored as a count of 1 or
/// more; tusk never truncates, so any non-zero count means "all".
const PIVOT_ALL_ATTS: u16 = 0xFFF;

/// A minus-infinity pivot pointing at `downlink` (the first item of an internal page).
pub fn minus_infinity(downlink: BlockNumber) -> Vec<u8> {
    let mut out = vec![0u8; INDEX_TUPLE_HEADER_SIZE];
    header(
        &mut out,
        downlink.0,
        0,
        INDEX_TUPLE_HEADER_SIZE as u16 | INDEX_ALT_TID_MASK,
    );
    out
}

/// `tuple`'s downlink as a minus-infinity pivot (what the first item of the right half of
/// an internal page becomes when it splits).
pub fn to_minus_infinity(tuple: TupleRef<'_>) -> Vec<u8> {
    minus_infinity(
        tuple
            .downlink()
            .expect("an internal-page item has a downlink"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<IndexColumn> {
        vec![
            IndexColumn::new("a", type_oid::INT4),
            IndexColumn::new("b", type_oid::TEXT),
        ]
    }

    #[test]
    fn leaf_pivot_and_minus_infinity_round_trip() {
        let tid = ItemPointer {
            block: BlockNumber(7),
            offset: OffsetNumber(3),
        };
        let values = vec![Datum::Int4(5), Datum::Null];
        let leaf = form_leaf_tuple(&cols(), &values, tid).expect("form");
        let t = TupleRef::new(&leaf).expect("valid");
        assert!(!t.is_pivot());
        assert_eq!(t.heap_tid(), Some(tid));
        assert_eq!(decode_key(&cols(), t).expect("decode"), values);
        let pivot = to_pivot(t, Some(BlockNumber(9)));
        let p = TupleRef::new(&pivot).expect("valid");
        assert!(p.is_pivot() && !p.is_minus_infinity());
        assert_eq!(p.downlink(), Some(BlockNumber(9)));
        assert_eq!(p.heap_tid(), Some(tid));
        assert_eq!(decode_key(&cols(), p).expect("decode"), values);
        let hikey = to_pivot(p, None);
        assert_eq!(TupleRef::new(&hikey).expect("valid").downlink(), None);
        let m = to_minus_infinity(p);
        let m = TupleRef::new(&m).expect("valid");
        assert!(m.is_minus_infinity());
        assert_eq!(m.downlink(), Some(BlockNumber(9)));
        assert_eq!(m.heap_tid(), None);
        assert!(decode_key(&cols(), m).expect("decode").is_empty());
    }

    #[test]
    fn mismatched_values_and_damaged_bytes_are_errors() {
        let tid = ItemPointer {
            block: BlockNumber(1),
            offset: OffsetNumber(1),
        };
        assert!(form_leaf_tuple(&cols(), &[Datum::Text("x".into()), Datum::Null], tid).is_err());
        let leaf = form_leaf_tuple(&cols(), &[Datum::Int4(1), Datum::Text("hello".into())], tid)
            .expect("form");
        assert!(TupleRef::new(&leaf[..leaf.len() - 1]).is_err());
        let mut bad = leaf.clone();
        bad[8 + 4] = 200; // text length far past the end
        let t = TupleRef::new(&bad).expect("header still valid");
        assert!(decode_key(&cols(), t).is_err());
    }
}
