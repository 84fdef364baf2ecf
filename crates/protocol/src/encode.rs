//! Byte-level writers shared by the frontend and backend encoders: big-endian integers,
//! NUL-terminated strings and length back-patching (PostgreSQL docs §55.7, "Message Data
//! Types").
//!
//! Invariant: a frame is `tag byte, Int32 length (counting itself, not the tag), body`; the
//! length is written as a placeholder by [`begin`] and patched by [`finish`].

/// Starts a typed message: writes `tag` and a placeholder length; returns where the length
/// word sits, for [`finish`].
pub(crate) fn begin(buf: &mut Vec<u8>, tag: u8) -> usize {
    buf.push(tag);
    let at = buf.len();
    buf.extend_from_slice(&[0; 4]);
    at
}

/// Patches the length word at `at` to cover everything written since (bytes, incl. itself).
///
/// Panics if the message exceeds `i32::MAX` bytes; PostgreSQL caps messages at 1 GB, callers
/// stay far below.
pub(crate) fn finish(buf: &mut [u8], at: usize) {
    let len = i32::try_from(buf.len() - at).expect("protocol message longer than 2 GB");
    buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
}

pub(crate) fn put_i16(buf: &mut Vec<u8>, v: i16) {
    buf.extend_from_slice(&v.to_be_bytes());
}

/// A 16-bit count; counts above 65535 are a caller bug (the protocol cannot carry them).
pub(crate) fn put_count16(buf: &mut Vec<u8>, n: usize) {
    let n = u16::try_from(n).expect("protocol count above 65535");
    buf.extend_from_slice(&n.to_be_bytes());
}

pub(crate) fn put_i32(buf: &mut Vec<u8>, v: i32) {
    buf.extend_from_slice(&v.to_be_bytes());
}

pub(crate) fn put_u32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_be_bytes());
}

/// A string and its NUL terminator. The string must not contain NUL itself.
pub(crate) fn put_cstr(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(s.as_bytes());
    buf.push(0);
}

/// An Int32 length (-1 for NULL) and the bytes.
pub(crate) fn put_nullable(buf: &mut Vec<u8>, v: Option<&[u8]>) {
    match v {
        None => put_i32(buf, -1),
        Some(bytes) => {
            let len = i32::try_from(bytes.len()).expect("protocol value longer than 2 GB");
            put_i32(buf, len);
            buf.extend_from_slice(bytes);
        }
    }
}
