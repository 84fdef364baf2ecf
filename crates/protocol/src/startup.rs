//! The startup packet: StartupMessage, SSLRequest, GSSENCRequest and CancelRequest, which
//! share one untyped framing (PostgreSQL docs §55.2.1, §55.7; `ProcessStartupPacket` in
//! `src/backend/postmaster/postmaster.c`).
//!
//! ```text
//!   +----------------+----------------+----------------------------------------+
//!   | Int32 length   | Int32 code     | StartupMessage: (name\0 value\0)* \0   |
//!   | counts itself  | 196608 = 3.0   | CancelRequest: Int32 pid, Int32 key    |
//!   +----------------+----------------+----------------------------------------+
//! ```
//!
//! Invariants: the body (after the length word) is 4 to [`MAX_STARTUP_PACKET_LENGTH`] bytes;
//! every fault here is FATAL (the postmaster closes the connection). Parameter names and
//! values must be UTF-8 (PostgreSQL takes raw bytes; we refuse non-UTF-8 with 22021).
//!
//! Entry points: [`read_startup`], [`encode_startup`], [`unsupported_protocol_error`].

use std::io::Read;

use tusk_types::{Error, SqlState};

use crate::body::{invalid_utf8_error, read_body};
use crate::encode::{put_cstr, put_i32, put_u32};
use crate::ProtocolError;

/// PostgreSQL's `MAX_STARTUP_PACKET_LENGTH`: the most body bytes a startup packet may carry
/// (the length word comes on top).
pub const MAX_STARTUP_PACKET_LENGTH: u32 = 10_000;
/// Protocol 3.0 as a startup code (`PG_PROTOCOL(3, 0)`).
pub const PROTOCOL_VERSION_3_0: u32 = 196_608;
/// `CANCEL_REQUEST_CODE` (1234.5678).
pub const CANCEL_REQUEST_CODE: u32 = 80_877_102;
/// `NEGOTIATE_SSL_CODE` (1234.5679).
pub const NEGOTIATE_SSL_CODE: u32 = 80_877_103;
/// `NEGOTIATE_GSS_CODE` (1234.5680).
pub const NEGOTIATE_GSS_CODE: u32 = 80_877_104;

/// Messages a client sends before the startup completes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum StartupRequest {
    /// StartupMessage: protocol version (major << 16 | minor) and the parameters in the order
    /// sent (`user`, `database`, `options`, `application_name`, `replication`, GUCs, `_pq_.*`).
    Startup {
        /// Requested version; the major is 3 (checked), the minor may exceed 0.
        protocol_version: u32,
        /// Name/value pairs in order.
        params: Vec<(String, String)>,
    },
    /// SSLRequest (80877103): answer with one byte, `S` or `N`.
    SslRequest,
    /// GSSENCRequest (80877104): answer with one byte, `G` or `N`.
    GssEncRequest,
    /// CancelRequest (80877102): cancel the query of the backend with this key.
    Cancel {
        /// The target backend's process id (from BackendKeyData).
        process_id: i32,
        /// Its secret key (from BackendKeyData).
        secret_key: i32,
    },
}

fn startup_fault(message: &str) -> ProtocolError {
    ProtocolError::framing(message)
}

/// FATAL 0A000 `unsupported frontend protocol %u.%u: server supports 3.0 to 3.0`, as
/// PostgreSQL 15 reports a startup code whose major version is not 3 (also what it says when
/// a second SSLRequest arrives after SSL was negotiated: protocol 1234.5679). PostgreSQL sends
/// it in the pre-3.0 format when the major is below 3 (see
/// [`crate::BackendWriter::error_response_v2`]) and as a normal ErrorResponse otherwise.
pub fn unsupported_protocol_error(protocol_version: u32) -> Error {
    Error::new(
        SqlState::FEATURE_NOT_SUPPORTED,
        format!(
            "unsupported frontend protocol {}.{}: server supports 3.0 to 3.0",
            protocol_version >> 16,
            protocol_version & 0xffff
        ),
    )
    .fatal()
}

/// Reads one length-prefixed startup packet (no type byte).
///
/// Errors (all FATAL): EOF is [`ProtocolError::Eof`] (PostgreSQL closes silently when no
/// byte arrived); a body under 4 or over [`MAX_STARTUP_PACKET_LENGTH`] bytes, or a
/// CancelRequest of the wrong size, is 08P01 "invalid length of startup packet" (bytes after
/// an SSLRequest/GSSENCRequest code are ignored, as PostgreSQL does); a major version other than 3 is 0A000 (see
/// [`unsupported_protocol_error`]); parameters not ending in a terminator at the last byte are
/// 08P01 "invalid startup packet layout: expected terminator as last byte"; non-UTF-8 text is
/// 22021.
pub fn read_startup(r: &mut impl Read) -> Result<StartupRequest, ProtocolError> {
    let mut word = [0u8; 4];
    r.read_exact(&mut word)?;
    let len = u32::from_be_bytes(word).wrapping_sub(4);
    if !(4..=MAX_STARTUP_PACKET_LENGTH).contains(&len) {
        return Err(startup_fault("invalid length of startup packet"));
    }
    let mut body = Vec::new();
    read_body(r, len as usize, &mut body)?;
    decode_startup(&body)
}

/// Decodes a startup packet body (everything after the length word); errors as
/// [`read_startup`].
pub fn decode_startup(body: &[u8]) -> Result<StartupRequest, ProtocolError> {
    let Some((code, rest)) = body.split_first_chunk::<4>() else {
        return Err(startup_fault("invalid length of startup packet"));
    };
    let code = u32::from_be_bytes(*code);
    match code {
        CANCEL_REQUEST_CODE => {
            let Ok(ids) = <[u8; 8]>::try_from(rest) else {
                return Err(startup_fault("invalid length of startup packet"));
            };
            Ok(StartupRequest::Cancel {
                process_id: i32::from_be_bytes([ids[0], ids[1], ids[2], ids[3]]),
                secret_key: i32::from_be_bytes([ids[4], ids[5], ids[6], ids[7]]),
            })
        }
        // PostgreSQL ignores any bytes after these codes; so do we.
        NEGOTIATE_SSL_CODE | NEGOTIATE_GSS_CODE => Ok(if code == NEGOTIATE_SSL_CODE {
            StartupRequest::SslRequest
        } else {
            StartupRequest::GssEncRequest
        }),
        _ if code >> 16 != 3 => Err(ProtocolError::Violation(unsupported_protocol_error(code))),
        _ => Ok(StartupRequest::Startup {
            protocol_version: code,
            params: startup_params(rest)?,
        }),
    }
}

/// Name/value pairs up to the terminating NUL, which must be the last byte.
fn startup_params(mut rest: &[u8]) -> Result<Vec<(String, String)>, ProtocolError> {
    const LAYOUT: &str = "invalid startup packet layout: expected terminator as last byte";
    let mut params = Vec::new();
    loop {
        match rest {
            [0] => return Ok(params),
            [] | [0, ..] => return Err(startup_fault(LAYOUT)),
            _ => {}
        }
        let (name, after) = split_cstr(rest).ok_or_else(|| startup_fault(LAYOUT))?;
        let (value, after) = split_cstr(after).ok_or_else(|| startup_fault(LAYOUT))?;
        params.push((utf8(name)?, utf8(value)?));
        rest = after;
    }
}

fn split_cstr(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let nul = bytes.iter().position(|&b| b == 0)?;
    Some((&bytes[..nul], &bytes[nul + 1..]))
}

fn utf8(bytes: &[u8]) -> Result<String, ProtocolError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => Err(ProtocolError::Violation(invalid_utf8_error(bytes).fatal())),
    }
}

/// Appends `request` as a startup packet to `buf` (the client's side). Parameter strings must
/// not contain NUL bytes.
pub fn encode_startup(request: &StartupRequest, buf: &mut Vec<u8>) {
    let at = buf.len();
    buf.extend_from_slice(&[0; 4]);
    match request {
        StartupRequest::Startup {
            protocol_version,
            params,
        } => {
            put_u32(buf, *protocol_version);
            for (name, value) in params {
                put_cstr(buf, name);
                put_cstr(buf, value);
            }
            buf.push(0);
        }
        StartupRequest::SslRequest => put_u32(buf, NEGOTIATE_SSL_CODE),
        StartupRequest::GssEncRequest => put_u32(buf, NEGOTIATE_GSS_CODE),
        StartupRequest::Cancel {
            process_id,
            secret_key,
        } => {
            put_u32(buf, CANCEL_REQUEST_CODE);
            put_i32(buf, *process_id);
            put_i32(buf, *secret_key);
        }
    }
    crate::encode::finish(buf, at);
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::Severity;

    fn packet(body: &[u8]) -> Vec<u8> {
        let mut out = (body.len() as u32 + 4).to_be_bytes().to_vec();
        out.extend_from_slice(body);
        out
    }

    fn read(bytes: &[u8]) -> Result<StartupRequest, ProtocolError> {
        read_startup(&mut &bytes[..])
    }

    fn violation(bytes: &[u8]) -> Error {
        match read(bytes) {
            Err(ProtocolError::Violation(e)) => e,
            other => panic!("expected violation, got {other:?}"),
        }
    }

    #[test]
    fn startup_message_layout_round_trips() {
        let req = StartupRequest::Startup {
            protocol_version: PROTOCOL_VERSION_3_0,
            params: vec![
                ("user".into(), "alice".into()),
                ("database".into(), "db".into()),
            ],
        };
        let mut buf = Vec::new();
        encode_startup(&req, &mut buf);
        let mut want = vec![0, 0, 0, 32, 0, 3, 0, 0];
        want.extend_from_slice(b"user\0alice\0database\0db\0\0");
        assert_eq!(buf, want);
        assert_eq!(read(&buf).expect("decodes"), req);
    }

    #[test]
    fn special_requests_layout() {
        for (req, want) in [
            (
                StartupRequest::SslRequest,
                vec![0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f],
            ),
            (
                StartupRequest::GssEncRequest,
                vec![0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30],
            ),
            (
                StartupRequest::Cancel {
                    process_id: 42,
                    secret_key: -2,
                },
                vec![
                    0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 42, 0xff, 0xff, 0xff, 0xfe,
                ],
            ),
        ] {
            let mut buf = Vec::new();
            encode_startup(&req, &mut buf);
            assert_eq!(buf, want);
            assert_eq!(read(&buf).expect("decodes"), req);
        }
    }

    #[test]
    fn newer_minor_version_is_accepted() {
        let got = read(&packet(b"\0\x03\0\x02user\0u\0\0")).expect("3.2 accepted");
        assert_eq!(
            got,
            StartupRequest::Startup {
                protocol_version: 0x0003_0002,
                params: vec![("user".into(), "u".into())],
            }
        );
    }

    #[test]
    fn other_major_versions_are_refused_as_postgres_words_it() {
        let e = violation(&packet(b"\0\x02\0\0user\0u\0\0"));
        assert_eq!(e.code, SqlState::FEATURE_NOT_SUPPORTED);
        assert_eq!(
            e.message,
            "unsupported frontend protocol 2.0: server supports 3.0 to 3.0"
        );
        assert_eq!(e.severity, Severity::Fatal);
        assert_eq!(
            unsupported_protocol_error(NEGOTIATE_SSL_CODE).message,
            "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0"
        );
    }

    #[test]
    fn length_limits() {
        for len in [0u32, 3, 4, 7, 10_005, u32::MAX] {
            let e = violation(&len.to_be_bytes());
            assert_eq!(e.message, "invalid length of startup packet");
            assert_eq!(e.code, SqlState::PROTOCOL_VIOLATION);
            assert_eq!(e.severity, Severity::Fatal);
        }
        // 10000 body bytes is allowed: code, name, 9977-byte value, NULs.
        let mut body = b"\0\x03\0\0application_name\0".to_vec();
        body.resize(10_000 - 2, b'a');
        body.extend_from_slice(b"\0\0");
        assert_eq!(body.len(), 10_000);
        assert!(matches!(
            read(&packet(&body)),
            Ok(StartupRequest::Startup { .. })
        ));
    }

    #[test]
    fn eof_is_reported() {
        assert!(matches!(read(&[]), Err(ProtocolError::Eof)));
        assert!(matches!(read(&[0, 0, 0, 9, 0]), Err(ProtocolError::Eof)));
    }

    #[test]
    fn layout_needs_terminator_as_last_byte() {
        const LAYOUT: &str = "invalid startup packet layout: expected terminator as last byte";
        for body in [
            &b"\0\x03\0\0"[..],
            b"\0\x03\0\0user\0u\0",
            b"\0\x03\0\0user\0",
            b"\0\x03\0\0user",
            b"\0\x03\0\0user\0u\0\0\0",
        ] {
            assert_eq!(violation(&packet(body)).message, LAYOUT, "{body:?}");
        }
        assert_eq!(
            read(&packet(b"\0\x03\0\0\0")).expect("no parameters"),
            StartupRequest::Startup {
                protocol_version: PROTOCOL_VERSION_3_0,
                params: vec![]
            }
        );
    }

    #[test]
    fn cancel_request_must_have_exact_length_ssl_request_need_not() {
        let e = violation(&packet(&[0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 1]));
        assert_eq!(e.message, "invalid length of startup packet");
        let e = violation(&packet(&[
            0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 1, 0, 0, 0, 2, 0,
        ]));
        assert_eq!(e.message, "invalid length of startup packet");
        assert_eq!(
            read(&packet(&[0x04, 0xd2, 0x16, 0x2f, 0, 0, 0, 0])).expect("accepted"),
            StartupRequest::SslRequest
        );
    }

    #[test]
    fn non_utf8_parameter_is_fatal_22021() {
        let e = violation(&packet(b"\0\x03\0\0user\0\xe9\0\0"));
        assert_eq!(e.code, SqlState::CHARACTER_NOT_IN_REPERTOIRE);
        assert_eq!(e.severity, Severity::Fatal);
    }
}
