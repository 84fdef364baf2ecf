//! TOAST, "The Oversized-Attribute Storage Technique" (PostgreSQL's `heaptoast.c`,
//! `toast_internals.c`, `detoast.c`; chapter "TOAST" of its docs): how a row larger than
//! [`TOAST_TUPLE_THRESHOLD`] is made to fit, and how its values are read back.
//!
//! A top-level varlena attribute's u32 length word (see `crate::row`) carries two flags;
//! plain lengths stay below 2^30 (values are limited to [`MAX_VARLENA_SIZE`]), so data
//! written before TOAST existed reads unchanged:
//!
//! ```text
//!  bit 31  bit 30  bits 0..29
//!  ──────  ──────  ─────────────────────────────────────────────────────────────
//!    0       0     plain: `len` bytes of the value follow
//!    0       1     compressed inline: `len` bytes follow = raw length u32 LE, LZ4 block
//!    1       0     external: `len` = 17 bytes follow, a TOAST pointer:
//!                  raw size u32, stored size u32, compressed u8 (0/1), value id u32,
//!                  TOAST relation OID u32 (all LE)
//! ```
//!
//! Forming a row ([`crate::row::form_tuple_toast`]) over the threshold first compresses
//! its largest plain varlenas one at a time, keeping a compressed form only when it is
//! smaller, until the row fits in [`TOAST_TUPLE_TARGET`]; if it still does not and the
//! relation has a TOAST relation ([`ToastStore`]), it moves its largest inline varlenas
//! out of line: the stored bytes (compressed or not) are split into chunks of at most
//! [`TOAST_MAX_CHUNK_SIZE`] bytes, rows `(chunk_id oid, chunk_seq int4, chunk_data bytea)`
//! of the TOAST relation, and the attribute keeps a pointer. Reading
//! ([`crate::row::deform_tuple_toast`]) decompresses inline values and fetches external
//! ones through a [`ToastFetch`]; a pointer met without one is an XX000 error, never a
//! wrong value. Nested values (array elements, range bounds) are never toasted on their
//! own: the whole array or range is one varlena.
//!
//! Only LZ4 is produced (PostgreSQL's `lz4` method); `pglz` is not.
//!
//! Entry points: [`ToastPointer`], [`ToastStore`], [`ToastFetch`], [`compress`],
//! [`decompress`], [`assemble_chunks`]; see also `crate::toast_relation`.

use tusk_types::{pg_err, Error, Oid, Result};

/// `TOAST_TUPLE_THRESHOLD`: rows longer than this (header included) are toasted.
pub const TOAST_TUPLE_THRESHOLD: usize = 2032;
/// `TOAST_TUPLE_TARGET`: toasting stops once a row is no longer than this.
pub const TOAST_TUPLE_TARGET: usize = TOAST_TUPLE_THRESHOLD;
/// `TOAST_MAX_CHUNK_SIZE`: the most bytes of a value one TOAST chunk row holds.
pub const TOAST_MAX_CHUNK_SIZE: usize = 1996;
/// The largest value a varlena may hold (PostgreSQL's `MaxAllocSize`, 1 GB - 1).
pub const MAX_VARLENA_SIZE: usize = 0x3FFF_FFFF;
/// Values shorter than this are not worth compressing (PostgreSQL's pglz `min_input_size`).
const MIN_COMPRESS_SIZE: usize = 32;

/// Length-word flag: the bytes are a [`ToastPointer`].
pub(crate) const VARLENA_EXTERNAL: u32 = 1 << 31;
/// Length-word flag: the bytes are a raw length and an LZ4 block.
pub(crate) const VARLENA_COMPRESSED: u32 = 1 << 30;
/// Length-word bits holding the byte count.
pub(crate) const VARLENA_LENGTH_MASK: u32 = VARLENA_COMPRESSED - 1;

/// A reference to a value stored out of line (PostgreSQL's `varatt_external`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ToastPointer {
    /// The value's length in bytes, uncompressed.
    pub raw_size: u32,
    /// The length of what the chunks hold (the compressed form when `compressed`).
    pub stored_size: u32,
    /// The chunks hold a raw length and an LZ4 block.
    pub compressed: bool,
    /// `chunk_id` of the chunks (an OID from the counter).
    pub value_id: Oid,
    /// The TOAST relation holding them.
    pub toast_relid: Oid,
}

impl ToastPointer {
    /// Encoded size in bytes.
    pub const SIZE: usize = 17;

    /// The pointer's bytes (layout in the module header).
    pub fn encode(&self) -> [u8; Self::SIZE] {
        let mut out = [0u8; Self::SIZE];
        out[0..4].copy_from_slice(&self.raw_size.to_le_bytes());
        out[4..8].copy_from_slice(&self.stored_size.to_le_bytes());
        out[8] = u8::from(self.compressed);
        out[9..13].copy_from_slice(&self.value_id.0.to_le_bytes());
        out[13..17].copy_from_slice(&self.toast_relid.0.to_le_bytes());
        out
    }

    /// Reads a pointer written by [`ToastPointer::encode`].
    ///
    /// Errors: XX001 for the wrong length or flags.
    pub fn decode(bytes: &[u8]) -> Result<ToastPointer> {
        let bytes: &[u8; Self::SIZE] = bytes
            .try_into()
            .map_err(|_| corrupt("TOAST pointer has the wrong length"))?;
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        if bytes[8] > 1 {
            return Err(corrupt("TOAST pointer flags are invalid"));
        }
        Ok(ToastPointer {
            raw_size: u32_at(0),
            stored_size: u32_at(4),
            compressed: bytes[8] == 1,
            value_id: Oid(u32_at(9)),
            toast_relid: Oid(u32_at(13)),
        })
    }
}

/// Where a row being formed moves values out of line (PostgreSQL's `toast_save_datum`):
/// the writing transaction's view of a table's TOAST relation.
pub trait ToastStore {
    /// Stores `stored` (a value's plain or compressed bytes) as chunks and returns
    /// `(value id, TOAST relation OID)` for its pointer.
    ///
    /// Errors: the heap's and index's write errors.
    fn store(&mut self, stored: &[u8]) -> Result<(Oid, Oid)>;
}

/// Reads values stored out of line (PostgreSQL's `detoast_external_attr`).
pub trait ToastFetch {
    /// The `pointer.stored_size` bytes the pointer's chunks hold, in order.
    ///
    /// Errors: XX000 `missing chunk number %d for toast value %u in %s` and the other
    /// chunk checks of [`assemble_chunks`]; I/O errors.
    fn fetch(&self, pointer: &ToastPointer) -> Result<Vec<u8>>;
}

fn corrupt(what: &str) -> Error {
    pg_err!(DATA_CORRUPTED, "invalid heap tuple: {}", what)
}

/// 54000 for a value over [`MAX_VARLENA_SIZE`] (PostgreSQL fails its allocation).
pub fn value_too_large(len: usize) -> Error {
    pg_err!(
        PROGRAM_LIMIT_EXCEEDED,
        "invalid memory alloc request size {}",
        len
    )
}

/// `raw`'s compressed form (raw length u32 LE, then an LZ4 block), or `None` when that
/// is not smaller than `raw` or `raw` is too short to be worth it.
pub fn compress(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.len() < MIN_COMPRESS_SIZE || raw.len() > MAX_VARLENA_SIZE {
        return None;
    }
    let block = lz4_flex::block::compress(raw);
    if block.len() + 4 >= raw.len() {
        return None;
    }
    let mut out = Vec::with_capacity(block.len() + 4);
    out.extend_from_slice(&(raw.len() as u32).to_le_bytes());
    out.extend_from_slice(&block);
    Some(out)
}

/// The raw bytes of a form written by [`compress`].
///
/// Errors: XX001 `compressed data is corrupted` when the block does not decode to its
/// recorded length.
pub fn decompress(stored: &[u8]) -> Result<Vec<u8>> {
    let damaged = || pg_err!(DATA_CORRUPTED, "compressed lz4 data is corrupt");
    let (len, block) = stored.split_first_chunk::<4>().ok_or_else(damaged)?;
    let raw_len = u32::from_le_bytes(*len) as usize;
    // A damaged length must not size an allocation: LZ4 expands at most 255 times.
    if raw_len > MAX_VARLENA_SIZE || raw_len > block.len().saturating_mul(255) + 16 {
        return Err(damaged());
    }
    let raw = lz4_flex::block::decompress(block, raw_len).map_err(|_| damaged())?;
    if raw.len() != raw_len {
        return Err(damaged());
    }
    Ok(raw)
}

/// Joins a value's chunks `(chunk_seq, chunk_data)` read in `chunk_seq` order into its
/// stored bytes, checking each as PostgreSQL's `table_relation_fetch_toast_slice` does.
/// `relation` names the TOAST relation in messages.
///
/// Errors: XX000 `missing chunk number %d for toast value %u in %s`, `unexpected chunk
/// number %d (expected %d) for toast value %u in %s`, `unexpected chunk size %d (expected
/// %d) in chunk %d of %d for toast value %u in %s`.
pub fn assemble_chunks(
    pointer: &ToastPointer,
    relation: &str,
    chunks: impl IntoIterator<Item = (i32, Vec<u8>)>,
) -> Result<Vec<u8>> {
    let size = pointer.stored_size as usize;
    let total = size.div_ceil(TOAST_MAX_CHUNK_SIZE);
    let value = pointer.value_id.0;
    let mut out = Vec::with_capacity(size);
    let mut expected = 0usize;
    for (seq, data) in chunks {
        if seq < 0 || seq as usize != expected {
            return Err(
                if seq >= 0 && (seq as usize) > expected && expected < total {
                    pg_err!(
                        INTERNAL_ERROR,
                        "missing chunk number {} for toast value {} in {}",
                        expected,
                        value,
                        relation
                    )
                } else {
                    pg_err!(
                        INTERNAL_ERROR,
                        "unexpected chunk number {} (expected {}) for toast value {} in {}",
                        seq,
                        expected,
                        value,
                        relation
                    )
                },
            );
        }
        let want = if expected + 1 < total {
            TOAST_MAX_CHUNK_SIZE
        } else {
            size - expected * TOAST_MAX_CHUNK_SIZE
        };
        if expected >= total || data.len() != want {
            return Err(pg_err!(
                INTERNAL_ERROR,
                "unexpected chunk size {} (expected {}) in chunk {} of {} for toast value {} in {}",
                data.len(),
                want,
                expected,
                total.max(1) - 1,
                value,
                relation
            ));
        }
        out.extend_from_slice(&data);
        expected += 1;
    }
    if expected < total {
        return Err(pg_err!(
            INTERNAL_ERROR,
            "missing chunk number {} for toast value {} in {}",
            expected,
            value,
            relation
        ));
    }
    Ok(out)
}

/// The plain bytes of a top-level varlena whose length word is `word` and whose bytes
/// are `body` (`detoast_attr`).
///
/// Errors: XX000 `cannot read an out-of-line value without its TOAST relation` when the
/// value is external and `fetch` is `None`; XX001 for damaged data; those of
/// [`ToastFetch::fetch`].
pub(crate) fn expand(word: u32, body: &[u8], fetch: Option<&dyn ToastFetch>) -> Result<Vec<u8>> {
    if word & VARLENA_EXTERNAL != 0 {
        if word & VARLENA_COMPRESSED != 0 {
            return Err(corrupt("varlena flags are invalid"));
        }
        let pointer = ToastPointer::decode(body)?;
        let Some(fetch) = fetch else {
            return Err(Error::internal(format!(
                "cannot read out-of-line value {} of TOAST relation {} without it",
                pointer.value_id.0, pointer.toast_relid.0
            )));
        };
        let stored = fetch.fetch(&pointer)?;
        if stored.len() != pointer.stored_size as usize {
            return Err(corrupt("TOAST value has the wrong size"));
        }
        let raw = if pointer.compressed {
            decompress(&stored)?
        } else {
            stored
        };
        if raw.len() != pointer.raw_size as usize {
            return Err(corrupt("TOAST value has the wrong size"));
        }
        Ok(raw)
    } else {
        debug_assert!(
            word & VARLENA_COMPRESSED != 0,
            "plain values need no expansion"
        );
        decompress(body)
    }
}

/// One top-level varlena of a row being formed: its length word and bytes.
pub(crate) struct FormedVarlena {
    /// The length word, flags included.
    pub word: u32,
    /// What follows it.
    pub body: Vec<u8>,
    /// Compression was tried (kept or not).
    compress_tried: bool,
}

impl FormedVarlena {
    /// A plain value.
    pub fn plain(body: Vec<u8>) -> FormedVarlena {
        FormedVarlena {
            word: body.len() as u32,
            body,
            compress_tried: false,
        }
    }

    fn inline(&self) -> bool {
        self.word & VARLENA_EXTERNAL == 0
    }

    fn compressed(&self) -> bool {
        self.word & VARLENA_COMPRESSED != 0
    }
}

/// Shrinks a row's varlenas until `fixed + (their encoded sizes)` is at most
/// [`TOAST_TUPLE_TARGET`] or nothing more can be done (PostgreSQL's
/// `heap_toast_insert_or_update`): compression first, largest first; then, with a
/// store, moving the largest inline values out of line; a field a store took keeps a
/// pointer. Every varlena is treated as `attstorage` EXTENDED.
///
/// Errors: those of [`ToastStore::store`].
pub(crate) fn shrink(
    fixed: usize,
    fields: &mut [FormedVarlena],
    store: Option<&mut dyn ToastStore>,
) -> Result<()> {
    let size =
        |fields: &[FormedVarlena]| fixed + fields.iter().map(|f| 4 + f.body.len()).sum::<usize>();
    while size(fields) > TOAST_TUPLE_TARGET {
        let Some(f) = fields
            .iter_mut()
            .filter(|f| f.inline() && !f.compressed() && !f.compress_tried)
            .max_by_key(|f| f.body.len())
        else {
            break;
        };
        f.compress_tried = true;
        if let Some(c) = compress(&f.body) {
            f.word = VARLENA_COMPRESSED | c.len() as u32;
            f.body = c;
        }
    }
    let Some(store) = store else {
        return Ok(());
    };
    while size(fields) > TOAST_TUPLE_TARGET {
        let Some(f) = fields
            .iter_mut()
            .filter(|f| f.inline() && f.body.len() > ToastPointer::SIZE)
            .max_by_key(|f| f.body.len())
        else {
            break;
        };
        let compressed = f.compressed();
        let raw_size = if compressed {
            u32::from_le_bytes(
                f.body[..4]
                    .try_into()
                    .expect("compressed form has a length"),
            )
        } else {
            f.body.len() as u32
        };
        let (value_id, toast_relid) = store.store(&f.body)?;
        let pointer = ToastPointer {
            raw_size,
            stored_size: f.body.len() as u32,
            compressed,
            value_id,
            toast_relid,
        };
        f.body = pointer.encode().to_vec();
        f.word = VARLENA_EXTERNAL | ToastPointer::SIZE as u32;
    }
    Ok(())
}

/// True if a length word names an external value.
pub(crate) fn is_external(word: u32) -> bool {
    word & VARLENA_EXTERNAL != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Incompressible bytes (xorshift64).
    pub(crate) fn noise(n: usize) -> Vec<u8> {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    fn pointer(stored_size: u32) -> ToastPointer {
        ToastPointer {
            raw_size: stored_size,
            stored_size,
            compressed: false,
            value_id: Oid(16500),
            toast_relid: Oid(16400),
        }
    }

    #[test]
    fn pointers_round_trip() {
        let p = ToastPointer {
            raw_size: 100_000,
            stored_size: 412,
            compressed: true,
            value_id: Oid(70_000),
            toast_relid: Oid(16_390),
        };
        assert_eq!(ToastPointer::decode(&p.encode()).expect("decode"), p);
        assert!(ToastPointer::decode(&[0; 5]).is_err());
    }

    #[test]
    fn compression_is_kept_only_when_smaller() {
        let text = "x".repeat(10_000);
        let c = compress(text.as_bytes()).expect("repetitive text compresses");
        assert!(c.len() < 200);
        assert_eq!(decompress(&c).expect("decompress"), text.as_bytes());
        let noise = noise(5000);
        assert_eq!(compress(&noise), None);
        assert_eq!(compress(b"short"), None);
    }

    #[test]
    fn damaged_compressed_data_is_an_error() {
        let mut c = compress("abc".repeat(1000).as_bytes()).expect("compresses");
        c[0] = 0xff;
        c[1] = 0xff;
        c[2] = 0xff;
        assert_eq!(
            decompress(&c).expect_err("damaged").code,
            tusk_types::SqlState::DATA_CORRUPTED
        );
        assert!(decompress(&[1, 0]).is_err());
    }

    #[test]
    fn chunks_assemble_in_order_and_gaps_are_reported() {
        let p = pointer(TOAST_MAX_CHUNK_SIZE as u32 * 2 + 10);
        let chunk = |seq: i32, n: usize| (seq, vec![seq as u8; n]);
        let value = assemble_chunks(
            &p,
            "pg_toast_16384",
            [
                chunk(0, TOAST_MAX_CHUNK_SIZE),
                chunk(1, TOAST_MAX_CHUNK_SIZE),
                chunk(2, 10),
            ],
        )
        .expect("assemble");
        assert_eq!(value.len(), p.stored_size as usize);
        assert_eq!(value[TOAST_MAX_CHUNK_SIZE], 1);
        let err = assemble_chunks(
            &p,
            "pg_toast_16384",
            [chunk(0, TOAST_MAX_CHUNK_SIZE), chunk(2, 10)],
        )
        .expect_err("gap");
        assert_eq!(err.code, tusk_types::SqlState::INTERNAL_ERROR);
        assert_eq!(
            err.message,
            "missing chunk number 1 for toast value 16500 in pg_toast_16384"
        );
        let err = assemble_chunks(&p, "pg_toast_16384", [chunk(0, TOAST_MAX_CHUNK_SIZE)])
            .expect_err("short");
        assert_eq!(
            err.message,
            "missing chunk number 1 for toast value 16500 in pg_toast_16384"
        );
        let err = assemble_chunks(
            &p,
            "pg_toast_16384",
            [chunk(0, TOAST_MAX_CHUNK_SIZE), chunk(1, 7)],
        )
        .expect_err("size");
        assert!(err
            .message
            .starts_with("unexpected chunk size 7 (expected 1996) in chunk 1 of 2"));
    }

    struct Memory(Vec<Vec<u8>>);

    impl ToastStore for Memory {
        fn store(&mut self, stored: &[u8]) -> Result<(Oid, Oid)> {
            self.0.push(stored.to_vec());
            Ok((Oid(20_000 + self.0.len() as u32), Oid(16_400)))
        }
    }

    #[test]
    fn shrink_compresses_largest_first_then_moves_out_of_line() {
        let mut fields = vec![
            FormedVarlena::plain("a".repeat(3000).into_bytes()),
            FormedVarlena::plain(b"small".to_vec()),
        ];
        shrink(24, &mut fields, None).expect("shrink");
        assert!(fields[0].compressed() && fields[0].inline());
        assert_eq!(fields[1].word, 5);
        let noise = noise(9000);
        let mut fields = vec![FormedVarlena::plain(noise.clone())];
        shrink(24, &mut fields, None).expect("shrink");
        assert_eq!(fields[0].body, noise, "incompressible values stay plain");
        let mut memory = Memory(Vec::new());
        shrink(24, &mut fields, Some(&mut memory)).expect("shrink");
        assert!(is_external(fields[0].word));
        let p = ToastPointer::decode(&fields[0].body).expect("pointer");
        assert_eq!((p.raw_size, p.compressed), (9000, false));
        assert_eq!(memory.0, vec![noise]);
    }
}
