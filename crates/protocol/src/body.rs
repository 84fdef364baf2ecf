//! Framing and field readers: the equivalents of PostgreSQL's `pq_getmessage` and
//! `pq_getmsg*` (`src/backend/libpq/pqcomm.c`, `pqformat.c`).
//!
//! Invariants:
//! - A message body is read only after its length word was checked against the limit for its
//!   type, and the buffer grows with the bytes that actually arrive (`Read::take` +
//!   `read_to_end`), so a lying length word cannot make us allocate more than was sent.
//! - Field readers never index past the body: every read checks the remaining bytes first and
//!   reports PostgreSQL's "insufficient data left in message" / "invalid string in message"
//!   (08P01, severity ERROR: the message itself was read whole).
//! - Strings are NUL-terminated inside the body and valid UTF-8, else 22021
//!   `invalid byte sequence for encoding "UTF8": 0x..` as `report_invalid_encoding` words it.
//!
//! Entry points: [`read_type_byte`], [`read_length`], [`read_body`], [`Body`].

use std::io::Read;

use tusk_types::{Error, SqlState};

use crate::ProtocolError;

/// Reads the one-byte message type; `Ok(None)` on clean end-of-file before it.
pub(crate) fn read_type_byte(r: &mut impl Read) -> Result<Option<u8>, ProtocolError> {
    let mut byte = [0u8; 1];
    loop {
        match r.read(&mut byte) {
            Ok(0) => return Ok(None),
            Ok(_) => return Ok(Some(byte[0])),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Reads the 4-byte big-endian length word (which counts itself) and returns the body length
/// in bytes. A word below 4 or above `max_len` is the FATAL 08P01 "invalid message length".
pub(crate) fn read_length(r: &mut impl Read, max_len: u32) -> Result<usize, ProtocolError> {
    let mut word = [0u8; 4];
    r.read_exact(&mut word)?;
    let len = u32::from_be_bytes(word);
    if !(4..=max_len).contains(&len) {
        return Err(ProtocolError::framing("invalid message length"));
    }
    Ok((len - 4) as usize)
}

/// Reads exactly `len` body bytes into `buf` (cleared first). The buffer grows as bytes arrive,
/// never beyond `len`; a short read is [`ProtocolError::Eof`].
pub(crate) fn read_body(
    r: &mut impl Read,
    len: usize,
    buf: &mut Vec<u8>,
) -> Result<(), ProtocolError> {
    const INITIAL: usize = 64 * 1024;
    buf.clear();
    buf.reserve(len.min(INITIAL));
    let got = r.take(len as u64).read_to_end(buf)?;
    if got != len {
        return Err(ProtocolError::Eof);
    }
    Ok(())
}

/// 22021 `invalid byte sequence for encoding "UTF8": 0x..`, naming the bytes of the first bad
/// character as PostgreSQL's `report_invalid_encoding` does (at most its `mblen`, at most 8).
pub fn invalid_utf8_error(bytes: &[u8]) -> Error {
    let bad = match std::str::from_utf8(bytes) {
        Ok(_) => return Error::internal("UTF-8 error reported for valid UTF-8"),
        Err(e) => &bytes[e.valid_up_to()..],
    };
    let first = bad.first().copied().unwrap_or(0);
    let mblen = if first & 0x80 == 0 {
        1
    } else if first & 0xe0 == 0xc0 {
        2
    } else if first & 0xf0 == 0xe0 {
        3
    } else if first & 0xf8 == 0xf0 {
        4
    } else {
        1
    };
    let shown: Vec<String> = bad
        .iter()
        .take(mblen.min(bad.len()).min(8))
        .map(|b| format!("0x{b:02x}"))
        .collect();
    Error::new(
        SqlState::CHARACTER_NOT_IN_REPERTOIRE,
        format!(
            "invalid byte sequence for encoding \"UTF8\": {}",
            shown.join(" ")
        ),
    )
}

/// A cursor over one message body (PostgreSQL's `StringInfo` + `cursor`).
pub(crate) struct Body<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Body<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Body<'a> {
        Body { data, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// `pq_copymsgbytes`/`pq_getmsgbytes`: `n` raw bytes.
    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], ProtocolError> {
        if n > self.remaining() {
            return Err(ProtocolError::content("insufficient data left in message"));
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// All bytes left (`pq_getmsgbytes(msg, msg->len - msg->cursor)`).
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let out = &self.data[self.pos..];
        self.pos = self.data.len();
        out
    }

    pub(crate) fn byte(&mut self) -> Result<u8, ProtocolError> {
        Ok(self.bytes(1)?[0])
    }

    pub(crate) fn int16(&mut self) -> Result<i16, ProtocolError> {
        let b = self.bytes(2)?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    }

    /// A 16-bit count: PostgreSQL reads counts with `pq_getmsgint(msg, 2)`, which is unsigned.
    pub(crate) fn count16(&mut self) -> Result<usize, ProtocolError> {
        let b = self.bytes(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]) as usize)
    }

    pub(crate) fn int32(&mut self) -> Result<i32, ProtocolError> {
        let b = self.bytes(4)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// `pq_getmsgrawstring`: bytes up to (not including) the NUL, which is consumed.
    pub(crate) fn raw_cstr(&mut self) -> Result<&'a [u8], ProtocolError> {
        let rest = &self.data[self.pos..];
        match rest.iter().position(|&b| b == 0) {
            Some(nul) => {
                self.pos += nul + 1;
                Ok(&rest[..nul])
            }
            None => Err(ProtocolError::content("invalid string in message")),
        }
    }

    /// `pq_getmsgstring`: a NUL-terminated string that must be valid UTF-8.
    pub(crate) fn string(&mut self) -> Result<String, ProtocolError> {
        let raw = self.raw_cstr()?;
        match std::str::from_utf8(raw) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(ProtocolError::Violation(invalid_utf8_error(raw))),
        }
    }

    /// A 32-bit length (-1 = NULL) followed by that many bytes, as Bind and FunctionCall carry
    /// values. Lengths below -1 fail as `pq_getmsgbytes` does.
    pub(crate) fn nullable_bytes(&mut self) -> Result<Option<&'a [u8]>, ProtocolError> {
        match self.int32()? {
            -1 => Ok(None),
            n if n < 0 => Err(ProtocolError::content("insufficient data left in message")),
            n => Ok(Some(self.bytes(n as usize)?)),
        }
    }

    /// `pq_getmsgend`: leftover bytes are "invalid message format".
    pub(crate) fn end(&self) -> Result<(), ProtocolError> {
        if self.pos != self.data.len() {
            return Err(ProtocolError::content("invalid message format"));
        }
        Ok(())
    }
}
