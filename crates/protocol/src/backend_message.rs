//! Decoding backend messages (the client's side): what [`crate::BackendWriter`] produces,
//! read back for tests of the server and for tools (PostgreSQL docs §55.7, §55.8).
//!
//! Invariants: like the frontend decoder, never panics, never allocates beyond the bytes
//! received, and rejects leftover bytes. Length words are bounded by
//! [`crate::PQ_LARGE_MESSAGE_LIMIT`].
//!
//! Entry points: [`read_backend_message`], [`decode_backend`], [`BackendMessage`].

use std::io::Read;

use tusk_types::{Error, Oid, Severity, SqlState};

use crate::backend::{FieldDescription, TransactionStatus};
use crate::body::{read_body, read_length, read_type_byte, Body};
use crate::{ProtocolError, PQ_LARGE_MESSAGE_LIMIT};

/// The authentication request of an `R` message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Authentication {
    /// 0: authenticated.
    Ok,
    /// 3: send the password in clear text.
    CleartextPassword,
    /// 5: send `md5` + md5(md5(password + user) + salt).
    Md5Password([u8; 4]),
    /// 10: start SASL with one of these mechanisms.
    Sasl(Vec<String>),
    /// 11: SASL server-first-message.
    SaslContinue(Vec<u8>),
    /// 12: SASL server-final-message.
    SaslFinal(Vec<u8>),
    /// Another code (Kerberos, GSS, SSPI): carried raw.
    Other(i32, Vec<u8>),
}

/// The fields of an ErrorResponse or NoticeResponse, in the order received.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ErrorFields {
    /// (field type byte, value) pairs, e.g. `(b'C', "42P01")`.
    pub fields: Vec<(u8, String)>,
}

impl ErrorFields {
    /// The value of field `code` (`b'S'`, `b'C'`, `b'M'`, ...), if present.
    pub fn get(&self, code: u8) -> Option<&str> {
        self.fields
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, v)| v.as_str())
    }

    /// The SQLSTATE (`C`), or "" when missing.
    pub fn code(&self) -> &str {
        self.get(b'C').unwrap_or("")
    }

    /// The primary message (`M`), or "" when missing.
    pub fn message(&self) -> &str {
        self.get(b'M').unwrap_or("")
    }

    /// Rebuilds a [`tusk_types::Error`] (severity from `V`, else `S`; unknown codes become
    /// XX000; notice severities map to ERROR).
    pub fn to_error(&self) -> Error {
        let code = SqlState::from_code(self.code()).unwrap_or(SqlState::INTERNAL_ERROR);
        let mut e = Error::new(code, self.message());
        e.severity = match self.get(b'V').or(self.get(b'S')) {
            Some("FATAL") => Severity::Fatal,
            Some("PANIC") => Severity::Panic,
            _ => Severity::Error,
        };
        e.detail = self.get(b'D').map(str::to_owned);
        e.hint = self.get(b'H').map(str::to_owned);
        e.position = self.get(b'P').and_then(|p| p.parse().ok());
        e.context = self.get(b'W').map(str::to_owned);
        e
    }
}

/// A message the server sends (PostgreSQL docs §55.7).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BackendMessage {
    /// `R`
    Authentication(Authentication),
    /// `S`
    ParameterStatus {
        /// Parameter name.
        name: String,
        /// Its current value.
        value: String,
    },
    /// `K`
    BackendKeyData {
        /// Backend process id.
        process_id: i32,
        /// Cancel key.
        secret_key: i32,
    },
    /// `Z`
    ReadyForQuery(TransactionStatus),
    /// `T`
    RowDescription(Vec<FieldDescription>),
    /// `D`: column values, `None` = NULL.
    DataRow(Vec<Option<Vec<u8>>>),
    /// `C`: the command tag.
    CommandComplete(String),
    /// `I`
    EmptyQueryResponse,
    /// `E`
    ErrorResponse(ErrorFields),
    /// `N`
    NoticeResponse(ErrorFields),
    /// `1`
    ParseComplete,
    /// `2`
    BindComplete,
    /// `3`
    CloseComplete,
    /// `n`
    NoData,
    /// `t`
    ParameterDescription(Vec<Oid>),
    /// `s`
    PortalSuspended,
    /// `G`
    CopyInResponse {
        /// Overall format: 0 text, 1 binary.
        format: i8,
        /// Per-column formats.
        column_formats: Vec<i16>,
    },
    /// `H`
    CopyOutResponse {
        /// Overall format: 0 text, 1 binary.
        format: i8,
        /// Per-column formats.
        column_formats: Vec<i16>,
    },
    /// `W`
    CopyBothResponse {
        /// Overall format: 0 text, 1 binary.
        format: i8,
        /// Per-column formats.
        column_formats: Vec<i16>,
    },
    /// `d`
    CopyData(Vec<u8>),
    /// `c`
    CopyDone,
    /// `A`
    NotificationResponse {
        /// Notifying backend's process id.
        process_id: i32,
        /// Channel name.
        channel: String,
        /// Payload string.
        payload: String,
    },
    /// `V`: the function result, `None` = NULL.
    FunctionCallResponse(Option<Vec<u8>>),
    /// `v`
    NegotiateProtocolVersion {
        /// Newest minor version the server supports.
        newest_minor: i32,
        /// Protocol options the server did not recognise.
        unrecognized_options: Vec<String>,
    },
}

/// Reads one backend message; `Ok(None)` on clean EOF before the tag byte.
///
/// Errors: unknown tag is FATAL 08P01 "invalid backend message type %d"; bad length word
/// FATAL 08P01 "invalid message length"; malformed body 08P01/22021 (ERROR severity).
pub fn read_backend_message(r: &mut impl Read) -> Result<Option<BackendMessage>, ProtocolError> {
    let Some(tag) = read_type_byte(r)? else {
        return Ok(None);
    };
    if !b"RSKZTDCIEN123ntsGHWdcAVv".contains(&tag) {
        return Err(ProtocolError::framing(format!(
            "invalid backend message type {tag}"
        )));
    }
    let len = read_length(r, PQ_LARGE_MESSAGE_LIMIT)?;
    let mut body = Vec::new();
    read_body(r, len, &mut body)?;
    decode_backend(tag, &body).map(Some)
}

/// Decodes the body of a backend message whose tag and length were already read; errors as
/// [`read_backend_message`].
pub fn decode_backend(tag: u8, body: &[u8]) -> Result<BackendMessage, ProtocolError> {
    let mut b = Body::new(body);
    let msg = match tag {
        b'R' => BackendMessage::Authentication(match b.int32()? {
            0 => Authentication::Ok,
            3 => Authentication::CleartextPassword,
            5 => {
                let s = b.bytes(4)?;
                Authentication::Md5Password([s[0], s[1], s[2], s[3]])
            }
            10 => {
                let mut mechanisms = Vec::new();
                loop {
                    let m = b.string()?;
                    if m.is_empty() {
                        break;
                    }
                    mechanisms.push(m);
                }
                Authentication::Sasl(mechanisms)
            }
            11 => Authentication::SaslContinue(b.rest().to_vec()),
            12 => Authentication::SaslFinal(b.rest().to_vec()),
            other => Authentication::Other(other, b.rest().to_vec()),
        }),
        b'S' => BackendMessage::ParameterStatus {
            name: b.string()?,
            value: b.string()?,
        },
        b'K' => BackendMessage::BackendKeyData {
            process_id: b.int32()?,
            secret_key: b.int32()?,
        },
        b'Z' => {
            let s = b.byte()?;
            match TransactionStatus::from_byte(s) {
                Some(status) => BackendMessage::ReadyForQuery(status),
                None => return Err(ProtocolError::content("invalid message format")),
            }
        }
        b'T' => {
            let n = b.count16()?;
            // Each field takes at least 19 bytes (empty name).
            if n * 19 > b.remaining() {
                return Err(ProtocolError::content("insufficient data left in message"));
            }
            let mut fields = Vec::with_capacity(n);
            for _ in 0..n {
                fields.push(FieldDescription {
                    name: b.string()?,
                    table_oid: Oid(b.int32()? as u32),
                    column_attr: b.int16()?,
                    type_oid: Oid(b.int32()? as u32),
                    type_size: b.int16()?,
                    type_modifier: b.int32()?,
                    format: b.int16()?,
                });
            }
            BackendMessage::RowDescription(fields)
        }
        b'D' => {
            let n = b.count16()?;
            if n * 4 > b.remaining() {
                return Err(ProtocolError::content("insufficient data left in message"));
            }
            let mut values = Vec::with_capacity(n);
            for _ in 0..n {
                values.push(b.nullable_bytes()?.map(<[u8]>::to_vec));
            }
            BackendMessage::DataRow(values)
        }
        b'C' => BackendMessage::CommandComplete(b.string()?),
        b'I' => BackendMessage::EmptyQueryResponse,
        b'E' | b'N' => {
            let mut fields = ErrorFields::default();
            loop {
                let code = b.byte()?;
                if code == 0 {
                    break;
                }
                fields.fields.push((code, b.string()?));
            }
            if tag == b'E' {
                BackendMessage::ErrorResponse(fields)
            } else {
                BackendMessage::NoticeResponse(fields)
            }
        }
        b'1' => BackendMessage::ParseComplete,
        b'2' => BackendMessage::BindComplete,
        b'3' => BackendMessage::CloseComplete,
        b'n' => BackendMessage::NoData,
        b't' => {
            let n = b.count16()?;
            if n * 4 > b.remaining() {
                return Err(ProtocolError::content("insufficient data left in message"));
            }
            let mut types = Vec::with_capacity(n);
            for _ in 0..n {
                types.push(Oid(b.int32()? as u32));
            }
            BackendMessage::ParameterDescription(types)
        }
        b's' => BackendMessage::PortalSuspended,
        b'G' | b'H' | b'W' => {
            let format = b.byte()? as i8;
            let n = b.count16()?;
            if n * 2 > b.remaining() {
                return Err(ProtocolError::content("insufficient data left in message"));
            }
            let mut column_formats = Vec::with_capacity(n);
            for _ in 0..n {
                column_formats.push(b.int16()?);
            }
            match tag {
                b'G' => BackendMessage::CopyInResponse {
                    format,
                    column_formats,
                },
                b'H' => BackendMessage::CopyOutResponse {
                    format,
                    column_formats,
                },
                _ => BackendMessage::CopyBothResponse {
                    format,
                    column_formats,
                },
            }
        }
        b'd' => BackendMessage::CopyData(b.rest().to_vec()),
        b'c' => BackendMessage::CopyDone,
        b'A' => BackendMessage::NotificationResponse {
            process_id: b.int32()?,
            channel: b.string()?,
            payload: b.string()?,
        },
        b'V' => BackendMessage::FunctionCallResponse(b.nullable_bytes()?.map(<[u8]>::to_vec)),
        b'v' => {
            let newest_minor = b.int32()?;
            let n = b.int32()?;
            // Each option name takes at least its NUL.
            if n < 0 || n as usize > b.remaining() {
                return Err(ProtocolError::content("insufficient data left in message"));
            }
            let mut unrecognized_options = Vec::with_capacity(n as usize);
            for _ in 0..n {
                unrecognized_options.push(b.string()?);
            }
            BackendMessage::NegotiateProtocolVersion {
                newest_minor,
                unrecognized_options,
            }
        }
        other => {
            return Err(ProtocolError::framing(format!(
                "invalid backend message type {other}"
            )))
        }
    };
    b.end()?;
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BackendWriter, NoticeSeverity};

    fn read_all(w: &BackendWriter) -> Vec<BackendMessage> {
        let mut r = w.as_bytes();
        let mut out = Vec::new();
        while let Some(m) = read_backend_message(&mut r).expect("valid message") {
            out.push(m);
        }
        out
    }

    #[test]
    fn every_writer_message_reads_back() {
        let field = FieldDescription {
            name: "n".into(),
            table_oid: Oid(0),
            column_attr: 0,
            type_oid: Oid(25),
            type_size: -1,
            type_modifier: -1,
            format: 0,
        };
        let err = Error::new(SqlState::SYNTAX_ERROR, "syntax error at or near \"x\"")
            .position(8)
            .hint("h");
        let mut w = BackendWriter::new();
        w.auth_ok();
        w.auth_cleartext_password();
        w.auth_md5_password([9, 8, 7, 6]);
        w.auth_sasl(&["SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"]);
        w.auth_sasl_continue(b"r=1");
        w.auth_sasl_final(b"v=2");
        w.parameter_status("server_version", "15.0");
        w.backend_key_data(1, 2);
        w.row_description(std::slice::from_ref(&field));
        w.data_row([Some(&b"a"[..]), None]);
        w.command_complete("SELECT 1");
        w.empty_query_response();
        w.error_response(&err);
        w.notice_response(
            NoticeSeverity::Notice,
            &Error::new(SqlState::SUCCESSFUL_COMPLETION, "n"),
        );
        w.parse_complete();
        w.bind_complete();
        w.close_complete();
        w.no_data();
        w.parameter_description(&[Oid(23)]);
        w.portal_suspended();
        w.copy_in_response(0, &[0]);
        w.copy_out_response(1, &[1, 1]);
        w.copy_both_response(0, &[]);
        w.copy_data(b"xyz");
        w.copy_done();
        w.notification_response(5, "ch", "payload");
        w.function_call_response(Some(b"r"));
        w.negotiate_protocol_version(0, &["_pq_.a".into()]);
        w.ready_for_query(TransactionStatus::InBlock);
        let got = read_all(&w);
        let error_fields = |sev: &str, code: &str, msg: &str, extra: &[(u8, &str)]| {
            let mut fields = vec![
                (b'S', sev.to_string()),
                (b'V', sev.to_string()),
                (b'C', code.to_string()),
                (b'M', msg.to_string()),
            ];
            fields.extend(extra.iter().map(|(c, v)| (*c, v.to_string())));
            ErrorFields { fields }
        };
        let want = vec![
            BackendMessage::Authentication(Authentication::Ok),
            BackendMessage::Authentication(Authentication::CleartextPassword),
            BackendMessage::Authentication(Authentication::Md5Password([9, 8, 7, 6])),
            BackendMessage::Authentication(Authentication::Sasl(vec![
                "SCRAM-SHA-256".into(),
                "SCRAM-SHA-256-PLUS".into(),
            ])),
            BackendMessage::Authentication(Authentication::SaslContinue(b"r=1".to_vec())),
            BackendMessage::Authentication(Authentication::SaslFinal(b"v=2".to_vec())),
            BackendMessage::ParameterStatus {
                name: "server_version".into(),
                value: "15.0".into(),
            },
            BackendMessage::BackendKeyData {
                process_id: 1,
                secret_key: 2,
            },
            BackendMessage::RowDescription(vec![field]),
            BackendMessage::DataRow(vec![Some(b"a".to_vec()), None]),
            BackendMessage::CommandComplete("SELECT 1".into()),
            BackendMessage::EmptyQueryResponse,
            BackendMessage::ErrorResponse(error_fields(
                "ERROR",
                "42601",
                "syntax error at or near \"x\"",
                &[(b'H', "h"), (b'P', "8")],
            )),
            BackendMessage::NoticeResponse(error_fields("NOTICE", "00000", "n", &[])),
            BackendMessage::ParseComplete,
            BackendMessage::BindComplete,
            BackendMessage::CloseComplete,
            BackendMessage::NoData,
            BackendMessage::ParameterDescription(vec![Oid(23)]),
            BackendMessage::PortalSuspended,
            BackendMessage::CopyInResponse {
                format: 0,
                column_formats: vec![0],
            },
            BackendMessage::CopyOutResponse {
                format: 1,
                column_formats: vec![1, 1],
            },
            BackendMessage::CopyBothResponse {
                format: 0,
                column_formats: vec![],
            },
            BackendMessage::CopyData(b"xyz".to_vec()),
            BackendMessage::CopyDone,
            BackendMessage::NotificationResponse {
                process_id: 5,
                channel: "ch".into(),
                payload: "payload".into(),
            },
            BackendMessage::FunctionCallResponse(Some(b"r".to_vec())),
            BackendMessage::NegotiateProtocolVersion {
                newest_minor: 0,
                unrecognized_options: vec!["_pq_.a".into()],
            },
            BackendMessage::ReadyForQuery(TransactionStatus::InBlock),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn error_fields_rebuild_the_error() {
        let e = Error::new(SqlState::UNDEFINED_TABLE, "relation \"t\" does not exist")
            .detail("d")
            .hint("h")
            .position(3)
            .context("c")
            .fatal();
        let mut w = BackendWriter::new();
        w.error_response(&e);
        let mut r = w.as_bytes();
        match read_backend_message(&mut r).expect("valid") {
            Some(BackendMessage::ErrorResponse(fields)) => {
                assert_eq!(fields.code(), "42P01");
                assert_eq!(fields.to_error(), e);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_backend_tag_is_fatal() {
        match read_backend_message(&mut &[b'?', 0, 0, 0, 4][..]) {
            Err(ProtocolError::Violation(e)) => {
                assert_eq!(e.message, "invalid backend message type 63");
                assert_eq!(e.severity, Severity::Fatal);
            }
            other => panic!("{other:?}"),
        }
    }
}
