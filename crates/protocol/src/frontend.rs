//! Frontend messages after startup: decoding what clients send, and encoding it (for tests,
//! fuzzing and the test client). PostgreSQL docs §55.7; limits and checks follow
//! `SocketBackend` and `PostgresMain` in `src/backend/tcop/postgres.c`.
//!
//! ```text
//!   +------+----------------+---------------------------+
//!   | tag  | Int32 length   | body (length - 4 bytes)   |
//!   | 1 B  | counts itself  |                           |
//!   +------+----------------+---------------------------+
//! ```
//!
//! Invariants:
//! - The length limit depends on the tag, as in PostgreSQL: Query, FunctionCall, Parse, Bind
//!   and CopyData may be up to [`PQ_LARGE_MESSAGE_LIMIT`]; PasswordMessage (and the SASL
//!   messages sharing its tag) up to [`PG_MAX_AUTH_TOKEN_LENGTH`]; everything else up to
//!   [`PQ_SMALL_MESSAGE_LIMIT`].
//! - An unknown tag or a bad length word is FATAL (the stream is out of step); faults inside
//!   a body read whole are ERROR (see [`crate::ProtocolError`]).
//! - Counts are checked against the bytes left before any vector is allocated.
//!
//! Entry points: [`read_message`], [`MessageReader`], [`decode_frontend`],
//! [`encode_frontend`].

use std::io::Read;

use tusk_types::Oid;

use crate::body::{read_body, read_length, read_type_byte, Body};
use crate::encode::{
    begin, finish, put_count16, put_cstr, put_i16, put_i32, put_nullable, put_u32,
};
use crate::ProtocolError;

/// PostgreSQL's `PQ_LARGE_MESSAGE_LIMIT` (`MaxAllocSize - 1`): bytes, including the length word.
pub const PQ_LARGE_MESSAGE_LIMIT: u32 = 0x3fff_ffff - 1;
/// PostgreSQL's `PQ_SMALL_MESSAGE_LIMIT`: bytes, including the length word.
pub const PQ_SMALL_MESSAGE_LIMIT: u32 = 10_000;
/// PostgreSQL's `PG_MAX_AUTH_TOKEN_LENGTH`: the limit for password and SASL messages, bytes.
pub const PG_MAX_AUTH_TOKEN_LENGTH: u32 = 65_535;

/// Which object a Describe or Close names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DescribeKind {
    /// A prepared statement (`'S'`).
    Statement,
    /// A portal (`'P'`).
    Portal,
}

impl DescribeKind {
    /// The wire byte: `b'S'` or `b'P'`.
    pub fn as_byte(self) -> u8 {
        match self {
            DescribeKind::Statement => b'S',
            DescribeKind::Portal => b'P',
        }
    }
}

/// A message a client sends after startup (PostgreSQL docs §55.7).
///
/// Strings are UTF-8 without NUL bytes; `Vec<u8>` values are raw.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FrontendMessage {
    /// `'Q'`: a simple query (one or more statements).
    Query(String),
    /// `'P'`: prepare `query` as statement `name` (empty = unnamed); `param_types` may use
    /// `Oid(0)` for "infer".
    Parse {
        /// Statement name; empty for the unnamed statement.
        name: String,
        /// The query text.
        query: String,
        /// Parameter type OIDs the client specifies (0 = unspecified).
        param_types: Vec<Oid>,
    },
    /// `'B'`: bind parameters to a statement, creating a portal.
    Bind {
        /// Destination portal; empty for the unnamed portal.
        portal: String,
        /// Source statement; empty for the unnamed statement.
        statement: String,
        /// Parameter format codes (0 text, 1 binary): none, one for all, or one per parameter.
        param_formats: Vec<i16>,
        /// Parameter values; `None` is SQL NULL.
        params: Vec<Option<Vec<u8>>>,
        /// Result column format codes: none, one for all, or one per column.
        result_formats: Vec<i16>,
    },
    /// `'D'`: describe a statement or portal.
    Describe {
        /// Statement or portal.
        kind: DescribeKind,
        /// Its name; empty for the unnamed one.
        name: String,
    },
    /// `'E'`: run a portal; `max_rows` 0 (or negative, as PostgreSQL treats it) = no limit.
    Execute {
        /// Portal name; empty for the unnamed portal.
        portal: String,
        /// Row limit; 0 means all rows.
        max_rows: i32,
    },
    /// `'C'`: close a statement or portal.
    Close {
        /// Statement or portal.
        kind: DescribeKind,
        /// Its name; empty for the unnamed one.
        name: String,
    },
    /// `'S'`: end of an extended-query cycle.
    Sync,
    /// `'H'`: send pending output now.
    Flush,
    /// `'X'`: the client is leaving.
    Terminate,
    /// `'d'`: COPY FROM STDIN data (or CopyBoth data).
    CopyData(Vec<u8>),
    /// `'c'`: COPY data finished.
    CopyDone,
    /// `'f'`: COPY failed on the client, with its reason.
    CopyFail(String),
    /// `'p'`: PasswordMessage, SASLInitialResponse or SASLResponse, raw body; see
    /// [`crate::parse_password`], [`crate::parse_sasl_initial`].
    PasswordMessage(Vec<u8>),
    /// `'F'`: fast-path function call.
    FunctionCall {
        /// The function's OID.
        function: Oid,
        /// Argument format codes: none, one for all, or one per argument.
        arg_formats: Vec<i16>,
        /// Argument values; `None` is SQL NULL.
        args: Vec<Option<Vec<u8>>>,
        /// Result format code.
        result_format: i16,
    },
}

impl FrontendMessage {
    /// The message's tag byte.
    pub fn tag(&self) -> u8 {
        match self {
            FrontendMessage::Query(_) => b'Q',
            FrontendMessage::Parse { .. } => b'P',
            FrontendMessage::Bind { .. } => b'B',
            FrontendMessage::Describe { .. } => b'D',
            FrontendMessage::Execute { .. } => b'E',
            FrontendMessage::Close { .. } => b'C',
            FrontendMessage::Sync => b'S',
            FrontendMessage::Flush => b'H',
            FrontendMessage::Terminate => b'X',
            FrontendMessage::CopyData(_) => b'd',
            FrontendMessage::CopyDone => b'c',
            FrontendMessage::CopyFail(_) => b'f',
            FrontendMessage::PasswordMessage(_) => b'p',
            FrontendMessage::FunctionCall { .. } => b'F',
        }
    }
}

/// The length limit (bytes, including the length word) PostgreSQL applies to a frontend
/// message type, or `None` for a tag that is not a frontend message.
pub fn message_length_limit(tag: u8) -> Option<u32> {
    match tag {
        b'Q' | b'F' | b'B' | b'P' | b'd' => Some(PQ_LARGE_MESSAGE_LIMIT),
        b'X' | b'C' | b'D' | b'E' | b'H' | b'S' | b'c' | b'f' => Some(PQ_SMALL_MESSAGE_LIMIT),
        b'p' => Some(PG_MAX_AUTH_TOKEN_LENGTH),
        _ => None,
    }
}

/// Reads one typed frontend message. `Ok(None)` on clean end-of-file before the tag byte
/// (the server decides whether that is worth PostgreSQL's "unexpected EOF on client
/// connection with an open transaction"). Reads are small: give it a buffered reader.
///
/// Errors: an unknown tag is FATAL 08P01 "invalid frontend message type %d"; a length word
/// below 4 or above the tag's limit is FATAL 08P01 "invalid message length"; EOF inside the
/// message is [`ProtocolError::Eof`]; a malformed body is an ERROR-severity violation (08P01
/// or 22021) after the whole message was consumed.
pub fn read_message(r: &mut impl Read) -> Result<Option<FrontendMessage>, ProtocolError> {
    MessageReader::new().read(r)
}

/// Reads frontend messages reusing one body buffer across calls (the backend's read loop).
#[derive(Default)]
pub struct MessageReader {
    buf: Vec<u8>,
}

impl MessageReader {
    /// A reader with an empty buffer.
    pub fn new() -> MessageReader {
        MessageReader::default()
    }

    /// As [`read_message`], reusing this reader's buffer. The buffer shrinks back to 64 KB
    /// after a larger message so one huge COPY row does not pin memory for the session.
    pub fn read(&mut self, r: &mut impl Read) -> Result<Option<FrontendMessage>, ProtocolError> {
        let Some(tag) = read_type_byte(r)? else {
            return Ok(None);
        };
        let Some(limit) = message_length_limit(tag) else {
            return Err(ProtocolError::framing(format!(
                "invalid frontend message type {tag}"
            )));
        };
        let len = read_length(r, limit)?;
        read_body(r, len, &mut self.buf)?;
        // Raw-body messages take the buffer itself: COPY data is not copied twice.
        match tag {
            b'd' => {
                return Ok(Some(FrontendMessage::CopyData(std::mem::take(
                    &mut self.buf,
                ))))
            }
            b'p' => {
                return Ok(Some(FrontendMessage::PasswordMessage(std::mem::take(
                    &mut self.buf,
                ))))
            }
            _ => {}
        }
        let result = decode_frontend(tag, &self.buf);
        if self.buf.capacity() > 64 * 1024 {
            self.buf = Vec::new();
        }
        result.map(Some)
    }
}

/// Decodes the body of a frontend message whose tag and length were already read.
///
/// Errors as [`read_message`] for bodies; an unknown tag is FATAL 08P01.
pub fn decode_frontend(tag: u8, body: &[u8]) -> Result<FrontendMessage, ProtocolError> {
    let mut b = Body::new(body);
    let msg = match tag {
        b'Q' => FrontendMessage::Query(b.string()?),
        b'P' => {
            let name = b.string()?;
            let query = b.string()?;
            let n = b.count16()?;
            if n * 4 > b.remaining() {
                return Err(ProtocolError::content("insufficient data left in message"));
            }
            let mut param_types = Vec::with_capacity(n);
            for _ in 0..n {
                param_types.push(Oid(b.int32()? as u32));
            }
            FrontendMessage::Parse {
                name,
                query,
                param_types,
            }
        }
        b'B' => {
            let portal = b.string()?;
            let statement = b.string()?;
            let param_formats = int16_array(&mut b)?;
            let params = bind_values(&mut b, &portal)?;
            let result_formats = int16_array(&mut b)?;
            FrontendMessage::Bind {
                portal,
                statement,
                param_formats,
                params,
                result_formats,
            }
        }
        b'D' | b'C' => {
            let kind = b.byte()?;
            let name = b.string()?;
            b.end()?;
            let kind = match kind {
                b'S' => DescribeKind::Statement,
                b'P' => DescribeKind::Portal,
                other => {
                    let what = if tag == b'D' { "DESCRIBE" } else { "CLOSE" };
                    return Err(ProtocolError::content(format!(
                        "invalid {what} message subtype {other}"
                    )));
                }
            };
            if tag == b'D' {
                FrontendMessage::Describe { kind, name }
            } else {
                FrontendMessage::Close { kind, name }
            }
        }
        b'E' => FrontendMessage::Execute {
            portal: b.string()?,
            max_rows: b.int32()?,
        },
        b'S' => FrontendMessage::Sync,
        b'H' => FrontendMessage::Flush,
        // PostgreSQL exits on Terminate without looking at the body.
        b'X' => return Ok(FrontendMessage::Terminate),
        b'd' => FrontendMessage::CopyData(b.rest().to_vec()),
        b'c' => FrontendMessage::CopyDone,
        b'f' => FrontendMessage::CopyFail(b.string()?),
        b'p' => FrontendMessage::PasswordMessage(b.rest().to_vec()),
        b'F' => {
            let function = Oid(b.int32()? as u32);
            let arg_formats = int16_array(&mut b)?;
            let n = b.count16()?;
            if n * 4 > b.remaining() {
                return Err(ProtocolError::content("insufficient data left in message"));
            }
            let mut args = Vec::with_capacity(n);
            for _ in 0..n {
                match b.int32()? {
                    -1 => args.push(None),
                    size if size < 0 => {
                        return Err(ProtocolError::content(format!(
                            "invalid argument size {size} in function call message"
                        )))
                    }
                    size => args.push(Some(b.bytes(size as usize)?.to_vec())),
                }
            }
            let result_format = b.int16()?;
            FrontendMessage::FunctionCall {
                function,
                arg_formats,
                args,
                result_format,
            }
        }
        other => {
            return Err(ProtocolError::framing(format!(
                "invalid frontend message type {other}"
            )))
        }
    };
    b.end()?;
    Ok(msg)
}

/// A 16-bit count followed by that many Int16 values.
fn int16_array(b: &mut Body<'_>) -> Result<Vec<i16>, ProtocolError> {
    let n = b.count16()?;
    if n * 2 > b.remaining() {
        return Err(ProtocolError::content("insufficient data left in message"));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(b.int16()?);
    }
    Ok(out)
}

/// Bind's parameter values: a 16-bit count, then (Int32 length, bytes) each, -1 = NULL. A
/// bad value carries PostgreSQL's context line (`unnamed portal parameter $N`).
fn bind_values(b: &mut Body<'_>, portal: &str) -> Result<Vec<Option<Vec<u8>>>, ProtocolError> {
    let n = b.count16()?;
    if n * 4 > b.remaining() {
        return Err(ProtocolError::content("insufficient data left in message"));
    }
    let mut out = Vec::with_capacity(n);
    for i in 1..=n {
        match b.nullable_bytes() {
            Ok(v) => out.push(v.map(<[u8]>::to_vec)),
            Err(ProtocolError::Violation(e)) => {
                let context = if portal.is_empty() {
                    format!("unnamed portal parameter ${i}")
                } else {
                    format!("portal \"{portal}\" parameter ${i}")
                };
                return Err(ProtocolError::Violation(e.context(context)));
            }
            Err(other) => return Err(other),
        }
    }
    Ok(out)
}

/// Appends `msg` in wire format to `buf` (the client's side of the protocol).
///
/// Strings must not contain NUL bytes (they cannot travel in a C string); counts must fit
/// in 16 bits (panics otherwise, as the protocol cannot express them).
pub fn encode_frontend(msg: &FrontendMessage, buf: &mut Vec<u8>) {
    let at = begin(buf, msg.tag());
    match msg {
        FrontendMessage::Query(q) => put_cstr(buf, q),
        FrontendMessage::Parse {
            name,
            query,
            param_types,
        } => {
            put_cstr(buf, name);
            put_cstr(buf, query);
            put_count16(buf, param_types.len());
            for oid in param_types {
                put_u32(buf, oid.0);
            }
        }
        FrontendMessage::Bind {
            portal,
            statement,
            param_formats,
            params,
            result_formats,
        } => {
            put_cstr(buf, portal);
            put_cstr(buf, statement);
            put_i16_array(buf, param_formats);
            put_count16(buf, params.len());
            for p in params {
                put_nullable(buf, p.as_deref());
            }
            put_i16_array(buf, result_formats);
        }
        FrontendMessage::Describe { kind, name } | FrontendMessage::Close { kind, name } => {
            buf.push(kind.as_byte());
            put_cstr(buf, name);
        }
        FrontendMessage::Execute { portal, max_rows } => {
            put_cstr(buf, portal);
            put_i32(buf, *max_rows);
        }
        FrontendMessage::Sync
        | FrontendMessage::Flush
        | FrontendMessage::Terminate
        | FrontendMessage::CopyDone => {}
        FrontendMessage::CopyData(data) | FrontendMessage::PasswordMessage(data) => {
            buf.extend_from_slice(data)
        }
        FrontendMessage::CopyFail(reason) => put_cstr(buf, reason),
        FrontendMessage::FunctionCall {
            function,
            arg_formats,
            args,
            result_format,
        } => {
            put_u32(buf, function.0);
            put_i16_array(buf, arg_formats);
            put_count16(buf, args.len());
            for a in args {
                put_nullable(buf, a.as_deref());
            }
            put_i16(buf, *result_format);
        }
    }
    finish(buf, at);
}

fn put_i16_array(buf: &mut Vec<u8>, values: &[i16]) {
    put_count16(buf, values.len());
    for &v in values {
        put_i16(buf, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::{Severity, SqlState};

    fn frame(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    fn decode(bytes: &[u8]) -> Result<Option<FrontendMessage>, ProtocolError> {
        read_message(&mut &bytes[..])
    }

    fn violation(bytes: &[u8]) -> tusk_types::Error {
        match decode(bytes) {
            Err(ProtocolError::Violation(e)) => e,
            other => panic!("expected violation, got {other:?}"),
        }
    }

    fn roundtrip(msg: FrontendMessage, want: &[u8]) {
        let mut buf = Vec::new();
        encode_frontend(&msg, &mut buf);
        assert_eq!(buf, want, "encoding of {msg:?}");
        assert_eq!(decode(&buf).expect("decodes"), Some(msg));
    }

    #[test]
    fn query_layout() {
        roundtrip(
            FrontendMessage::Query("SELECT 1".into()),
            &frame(b'Q', b"SELECT 1\0"),
        );
    }

    #[test]
    fn parse_layout() {
        let mut body = b"s1\0SELECT $1\0\0\x02".to_vec();
        body.extend_from_slice(&[0, 0, 0, 23, 0, 0, 0, 0]);
        roundtrip(
            FrontendMessage::Parse {
                name: "s1".into(),
                query: "SELECT $1".into(),
                param_types: vec![Oid(23), Oid(0)],
            },
            &frame(b'P', &body),
        );
    }

    #[test]
    fn bind_layout() {
        let mut body = b"p\0s\0".to_vec();
        body.extend_from_slice(&[0, 1, 0, 1]); // one param format: binary
        body.extend_from_slice(&[0, 2, 0, 0, 0, 2, b'h', b'i', 0xff, 0xff, 0xff, 0xff]);
        body.extend_from_slice(&[0, 0]); // no result formats
        roundtrip(
            FrontendMessage::Bind {
                portal: "p".into(),
                statement: "s".into(),
                param_formats: vec![1],
                params: vec![Some(b"hi".to_vec()), None],
                result_formats: vec![],
            },
            &frame(b'B', &body),
        );
    }

    #[test]
    fn describe_execute_close_layout() {
        roundtrip(
            FrontendMessage::Describe {
                kind: DescribeKind::Statement,
                name: "s".into(),
            },
            &frame(b'D', b"Ss\0"),
        );
        roundtrip(
            FrontendMessage::Describe {
                kind: DescribeKind::Portal,
                name: String::new(),
            },
            &frame(b'D', b"P\0"),
        );
        roundtrip(
            FrontendMessage::Execute {
                portal: String::new(),
                max_rows: 10,
            },
            &frame(b'E', &[0, 0, 0, 0, 10]),
        );
        roundtrip(
            FrontendMessage::Close {
                kind: DescribeKind::Portal,
                name: "p".into(),
            },
            &frame(b'C', b"Pp\0"),
        );
    }

    #[test]
    fn bodiless_messages() {
        roundtrip(FrontendMessage::Sync, &[b'S', 0, 0, 0, 4]);
        roundtrip(FrontendMessage::Flush, &[b'H', 0, 0, 0, 4]);
        roundtrip(FrontendMessage::Terminate, &[b'X', 0, 0, 0, 4]);
        roundtrip(FrontendMessage::CopyDone, &[b'c', 0, 0, 0, 4]);
    }

    #[test]
    fn copy_and_password_layout() {
        roundtrip(
            FrontendMessage::CopyData(b"1\t2\n".to_vec()),
            &frame(b'd', b"1\t2\n"),
        );
        roundtrip(
            FrontendMessage::CopyFail("oops".into()),
            &frame(b'f', b"oops\0"),
        );
        roundtrip(
            FrontendMessage::PasswordMessage(b"secret\0".to_vec()),
            &frame(b'p', b"secret\0"),
        );
    }

    #[test]
    fn function_call_layout() {
        let mut body = vec![0, 0, 4, 0xd2]; // function 1234
        body.extend_from_slice(&[0, 1, 0, 1]); // formats: binary
        body.extend_from_slice(&[0, 2, 0, 0, 0, 1, 7, 0xff, 0xff, 0xff, 0xff]);
        body.extend_from_slice(&[0, 1]); // result format
        roundtrip(
            FrontendMessage::FunctionCall {
                function: Oid(1234),
                arg_formats: vec![1],
                args: vec![Some(vec![7]), None],
                result_format: 1,
            },
            &frame(b'F', &body),
        );
    }

    #[test]
    fn clean_eof_before_a_message_is_none() {
        assert_eq!(decode(&[]).expect("clean EOF"), None);
    }

    #[test]
    fn eof_mid_message_is_eof() {
        assert!(matches!(decode(b"Q"), Err(ProtocolError::Eof)));
        assert!(matches!(decode(&[b'Q', 0, 0]), Err(ProtocolError::Eof)));
        assert!(matches!(
            decode(&[b'Q', 0, 0, 0, 9, b'a']),
            Err(ProtocolError::Eof)
        ));
    }

    #[test]
    fn unknown_type_is_fatal() {
        let e = violation(&[b'z', 0, 0, 0, 4]);
        assert_eq!(e.code, SqlState::PROTOCOL_VIOLATION);
        assert_eq!(e.message, "invalid frontend message type 122");
        assert_eq!(e.severity, Severity::Fatal);
    }

    #[test]
    fn length_word_limits_follow_message_type() {
        for len in [0u32, 3] {
            let mut bytes = vec![b'S'];
            bytes.extend_from_slice(&len.to_be_bytes());
            let e = violation(&bytes);
            assert_eq!(e.message, "invalid message length");
            assert_eq!(e.severity, Severity::Fatal);
        }
        // Small messages: 10000 allowed, 10001 refused before any body byte is read.
        let mut ok = vec![b'E'];
        ok.extend_from_slice(&10_000u32.to_be_bytes());
        assert!(matches!(decode(&ok), Err(ProtocolError::Eof)));
        let mut big = vec![b'E'];
        big.extend_from_slice(&10_001u32.to_be_bytes());
        assert_eq!(violation(&big).message, "invalid message length");
        // Large messages up to 1 GB - 2.
        let mut q = vec![b'Q'];
        q.extend_from_slice(&PQ_LARGE_MESSAGE_LIMIT.to_be_bytes());
        assert!(matches!(decode(&q), Err(ProtocolError::Eof)));
        let mut q = vec![b'Q'];
        q.extend_from_slice(&(PQ_LARGE_MESSAGE_LIMIT + 1).to_be_bytes());
        assert_eq!(violation(&q).message, "invalid message length");
        let mut p = vec![b'p'];
        p.extend_from_slice(&65_536u32.to_be_bytes());
        assert_eq!(violation(&p).message, "invalid message length");
    }

    #[test]
    fn unterminated_string_is_invalid_string() {
        let e = violation(&frame(b'Q', b"SELECT"));
        assert_eq!(e.code, SqlState::PROTOCOL_VIOLATION);
        assert_eq!(e.message, "invalid string in message");
        assert_eq!(e.severity, Severity::Error);
    }

    #[test]
    fn bad_utf8_names_the_bad_character() {
        let e = violation(&frame(b'Q', b"SELECT '\xc3\x28'\0"));
        assert_eq!(e.code, SqlState::CHARACTER_NOT_IN_REPERTOIRE);
        assert_eq!(
            e.message,
            "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28"
        );
        let e = violation(&frame(b'Q', b"\xff\0"));
        assert_eq!(
            e.message,
            "invalid byte sequence for encoding \"UTF8\": 0xff"
        );
        // A truncated sequence at the end shows only the bytes present.
        let e = violation(&frame(b'Q', b"a\xe2\x82\0"));
        assert_eq!(
            e.message,
            "invalid byte sequence for encoding \"UTF8\": 0xe2 0x82"
        );
    }

    #[test]
    fn leftover_bytes_are_invalid_message_format() {
        let e = violation(&frame(b'Q', b"SELECT 1\0x"));
        assert_eq!(e.message, "invalid message format");
        assert_eq!(e.severity, Severity::Error);
        assert_eq!(
            violation(&frame(b'S', b"x")).message,
            "invalid message format"
        );
        assert_eq!(
            violation(&frame(b'E', b"\0\0\0\0\x01x")).message,
            "invalid message format"
        );
    }

    #[test]
    fn terminate_ignores_its_body_as_postgres_does() {
        assert_eq!(
            decode(&frame(b'X', b"junk")).expect("decodes"),
            Some(FrontendMessage::Terminate)
        );
    }

    #[test]
    fn counts_beyond_the_body_fail_before_allocating() {
        // Bind claiming 65535 parameters in a tiny body.
        let e = violation(&frame(b'B', b"\0\0\0\0\xff\xff"));
        assert_eq!(e.message, "insufficient data left in message");
        let e = violation(&frame(b'P', b"\0\0\xff\xff\0\0\0\0"));
        assert_eq!(e.message, "insufficient data left in message");
        // A value length beyond the body.
        let e = violation(&frame(b'B', b"\0\0\0\0\0\x01\x7f\xff\xff\xff"));
        assert_eq!(e.message, "insufficient data left in message");
        // A negative value length other than -1, with PostgreSQL's context line.
        let e = violation(&frame(b'B', b"\0\0\0\0\0\x01\xff\xff\xff\xfe\0\0"));
        assert_eq!(e.message, "insufficient data left in message");
        assert_eq!(e.context.as_deref(), Some("unnamed portal parameter $1"));
        let e = violation(&frame(b'B', b"p\0\0\0\0\0\x02\xff\xff\xff\xff\0\0\0\x09x"));
        assert_eq!(e.context.as_deref(), Some("portal \"p\" parameter $2"));
    }

    #[test]
    fn function_call_rejects_negative_argument_size() {
        let mut body = vec![0, 0, 0, 1, 0, 0, 0, 1];
        body.extend_from_slice(&(-5i32).to_be_bytes());
        body.extend_from_slice(&[0, 0]);
        let e = violation(&frame(b'F', &body));
        assert_eq!(
            e.message,
            "invalid argument size -5 in function call message"
        );
        assert_eq!(e.code, SqlState::PROTOCOL_VIOLATION);
    }

    #[test]
    fn describe_and_close_subtypes_are_checked() {
        let e = violation(&frame(b'D', b"Xs\0"));
        assert_eq!(e.message, "invalid DESCRIBE message subtype 88");
        let e = violation(&frame(b'C', b"Xs\0"));
        assert_eq!(e.message, "invalid CLOSE message subtype 88");
        assert_eq!(e.severity, Severity::Error);
    }

    #[test]
    fn content_error_leaves_stream_in_step() {
        let mut bytes = frame(b'Q', b"x");
        bytes.extend_from_slice(&[b'S', 0, 0, 0, 4]);
        let mut r = &bytes[..];
        let mut reader = MessageReader::new();
        let err = reader.read(&mut r).expect_err("bad string");
        assert!(!err.is_fatal());
        assert_eq!(
            reader.read(&mut r).expect("next message"),
            Some(FrontendMessage::Sync)
        );
        assert_eq!(reader.read(&mut r).expect("clean EOF"), None);
    }

    #[test]
    fn lying_length_does_not_allocate_the_declared_size() {
        let mut bytes = vec![b'd'];
        bytes.extend_from_slice(&PQ_LARGE_MESSAGE_LIMIT.to_be_bytes());
        bytes.extend_from_slice(b"only a few bytes");
        let mut reader = MessageReader::new();
        assert!(matches!(
            reader.read(&mut &bytes[..]),
            Err(ProtocolError::Eof)
        ));
        assert!(reader.buf.capacity() <= 64 * 1024);
    }
}
