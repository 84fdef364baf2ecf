//! Bodies of the `'p'` messages the client sends during authentication: PasswordMessage,
//! SASLInitialResponse and SASLResponse (PostgreSQL docs §55.3, §55.7; `recv_password_packet`
//! in `src/backend/libpq/auth.c`, `CheckSASLAuth` in `auth-sasl.c`).
//!
//! Which one a `'p'` body is depends on what the server asked for, so the server picks the
//! parser. A SASLResponse body is the raw client message: no parsing needed.
//!
//! Entry points: [`parse_password`], [`parse_sasl_initial`], [`encode_sasl_initial`].

use crate::body::Body;
use crate::encode::{put_cstr, put_nullable};
use crate::ProtocolError;

/// The password of a PasswordMessage body (cleartext or `md5...` hash), without its NUL.
///
/// Errors: 08P01 "invalid password packet size" when the body is not exactly one
/// NUL-terminated string.
pub fn parse_password(body: &[u8]) -> Result<&[u8], ProtocolError> {
    match body.iter().position(|&b| b == 0) {
        Some(nul) if nul + 1 == body.len() => Ok(&body[..nul]),
        _ => Err(ProtocolError::content("invalid password packet size")),
    }
}

/// SASLInitialResponse body: the selected mechanism name and the initial client response
/// (`None` when the client sent length -1).
///
/// Errors: 08P01 "invalid string in message", "insufficient data left in message",
/// "invalid message format"; 22021 for a non-UTF-8 mechanism name.
pub fn parse_sasl_initial(body: &[u8]) -> Result<(String, Option<Vec<u8>>), ProtocolError> {
    let mut b = Body::new(body);
    let mechanism = b.string()?;
    let data = b.nullable_bytes()?.map(<[u8]>::to_vec);
    b.end()?;
    Ok((mechanism, data))
}

/// Encodes a SASLInitialResponse body (the client's side): mechanism, Int32 length or -1,
/// data. Wrap it in [`crate::FrontendMessage::PasswordMessage`] to send.
pub fn encode_sasl_initial(mechanism: &str, data: Option<&[u8]>) -> Vec<u8> {
    let mut buf = Vec::new();
    put_cstr(&mut buf, mechanism);
    put_nullable(&mut buf, data);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_body_is_one_string() {
        assert_eq!(parse_password(b"pw\0").expect("valid"), b"pw");
        assert_eq!(parse_password(b"\0").expect("valid"), b"");
        for bad in [&b""[..], b"pw", b"pw\0x", b"p\0w\0"] {
            match parse_password(bad) {
                Err(ProtocolError::Violation(e)) => {
                    assert_eq!(e.message, "invalid password packet size")
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn sasl_initial_round_trips() {
        let body = encode_sasl_initial("SCRAM-SHA-256", Some(b"n,,n=,r=abc"));
        let mut want = b"SCRAM-SHA-256\0".to_vec();
        want.extend_from_slice(&[0, 0, 0, 11]);
        want.extend_from_slice(b"n,,n=,r=abc");
        assert_eq!(body, want);
        assert_eq!(
            parse_sasl_initial(&body).expect("valid"),
            ("SCRAM-SHA-256".to_string(), Some(b"n,,n=,r=abc".to_vec()))
        );
        let none = encode_sasl_initial("SCRAM-SHA-256", None);
        assert_eq!(
            parse_sasl_initial(&none).expect("valid"),
            ("SCRAM-SHA-256".to_string(), None)
        );
    }

    #[test]
    fn sasl_initial_rejects_bad_layouts() {
        let msg = |body: &[u8]| match parse_sasl_initial(body) {
            Err(ProtocolError::Violation(e)) => e.message,
            other => panic!("{body:?}: {other:?}"),
        };
        assert_eq!(msg(b"SCRAM"), "invalid string in message");
        assert_eq!(msg(b"SCRAM\0\0\0"), "insufficient data left in message");
        assert_eq!(
            msg(b"SCRAM\0\0\0\0\x05ab"),
            "insufficient data left in message"
        );
        assert_eq!(msg(b"SCRAM\0\xff\xff\xff\xffx"), "invalid message format");
    }
}
