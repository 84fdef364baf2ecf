//! Property tests: frontend and startup messages survive an encode/decode round trip, and no
//! byte sequence makes a decoder panic.

use proptest::collection::vec;
use proptest::prelude::*;
use tusk_types::Oid;

use crate::{
    decode_backend, decode_frontend, decode_startup, encode_frontend, encode_startup,
    read_backend_message, read_message, read_startup, BackendMessage, BackendWriter, DescribeKind,
    FrontendMessage, MessageReader, StartupRequest,
};

/// Strings that can travel in a C string: no NUL.
fn cstring() -> impl Strategy<Value = String> {
    "[^\u{0}]{0,24}"
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..64)
}

fn nullable() -> impl Strategy<Value = Option<Vec<u8>>> {
    proptest::option::of(bytes())
}

fn describe_kind() -> impl Strategy<Value = DescribeKind> {
    prop_oneof![Just(DescribeKind::Statement), Just(DescribeKind::Portal)]
}

fn frontend_message() -> impl Strategy<Value = FrontendMessage> {
    prop_oneof![
        cstring().prop_map(FrontendMessage::Query),
        (cstring(), cstring(), vec(any::<u32>(), 0..8)).prop_map(|(name, query, types)| {
            FrontendMessage::Parse {
                name,
                query,
                param_types: types.into_iter().map(Oid).collect(),
            }
        }),
        (
            cstring(),
            cstring(),
            vec(any::<i16>(), 0..4),
            vec(nullable(), 0..6),
            vec(any::<i16>(), 0..4)
        )
            .prop_map(
                |(portal, statement, param_formats, params, result_formats)| {
                    FrontendMessage::Bind {
                        portal,
                        statement,
                        param_formats,
                        params,
                        result_formats,
                    }
                }
            ),
        (describe_kind(), cstring())
            .prop_map(|(kind, name)| FrontendMessage::Describe { kind, name }),
        (cstring(), any::<i32>())
            .prop_map(|(portal, max_rows)| FrontendMessage::Execute { portal, max_rows }),
        (describe_kind(), cstring()).prop_map(|(kind, name)| FrontendMessage::Close { kind, name }),
        Just(FrontendMessage::Sync),
        Just(FrontendMessage::Flush),
        Just(FrontendMessage::Terminate),
        bytes().prop_map(FrontendMessage::CopyData),
        Just(FrontendMessage::CopyDone),
        cstring().prop_map(FrontendMessage::CopyFail),
        bytes().prop_map(FrontendMessage::PasswordMessage),
        (
            any::<u32>(),
            vec(any::<i16>(), 0..4),
            vec(nullable(), 0..6),
            any::<i16>()
        )
            .prop_map(|(f, arg_formats, args, result_format)| {
                FrontendMessage::FunctionCall {
                    function: Oid(f),
                    arg_formats,
                    args,
                    result_format,
                }
            }),
    ]
}

fn startup_request() -> impl Strategy<Value = StartupRequest> {
    prop_oneof![
        (0u32..4, vec(("[^\u{0}]{1,12}", cstring()), 0..6)).prop_map(|(minor, params)| {
            StartupRequest::Startup {
                protocol_version: (3 << 16) | minor,
                params,
            }
        }),
        Just(StartupRequest::SslRequest),
        Just(StartupRequest::GssEncRequest),
        (any::<i32>(), any::<i32>()).prop_map(|(process_id, secret_key)| {
            StartupRequest::Cancel {
                process_id,
                secret_key,
            }
        }),
    ]
}

proptest! {
    #[test]
    fn frontend_messages_round_trip(msgs in vec(frontend_message(), 1..8)) {
        let mut buf = Vec::new();
        for m in &msgs {
            encode_frontend(m, &mut buf);
        }
        let mut r = &buf[..];
        let mut reader = MessageReader::new();
        for m in &msgs {
            let got = reader.read(&mut r).expect("decodes");
            prop_assert_eq!(got.as_ref(), Some(m));
        }
        prop_assert!(reader.read(&mut r).expect("clean EOF").is_none());
    }

    #[test]
    fn startup_requests_round_trip(req in startup_request()) {
        let mut buf = Vec::new();
        encode_startup(&req, &mut buf);
        prop_assert_eq!(read_startup(&mut &buf[..]).expect("decodes"), req);
    }

    #[test]
    fn frontend_decoder_never_panics(data in vec(any::<u8>(), 0..512)) {
        let mut r = &data[..];
        let _ = read_startup(&mut r);
        while let Ok(Some(_)) | Err(crate::ProtocolError::Violation(_)) = read_message(&mut r) {
            if r.is_empty() {
                break;
            }
        }
    }

    #[test]
    fn body_decoders_never_panic(tag in any::<u8>(), body in vec(any::<u8>(), 0..256)) {
        let _ = decode_frontend(tag, &body);
        let _ = decode_backend(tag, &body);
        let _ = decode_startup(&body);
        let _ = crate::parse_sasl_initial(&body);
        let _ = crate::parse_password(&body);
    }

    #[test]
    fn backend_decoder_never_panics(data in vec(any::<u8>(), 0..512)) {
        let mut r = &data[..];
        while let Ok(Some(_)) | Err(crate::ProtocolError::Violation(_)) = read_backend_message(&mut r) {
            if r.is_empty() {
                break;
            }
        }
    }

    /// Tagged bodies that are well framed but arbitrary: decoding either succeeds or reports
    /// a violation with SQLSTATE 08P01 or 22021.
    #[test]
    fn framed_garbage_reports_postgres_codes(tag in prop::sample::select(b"QPBDECSHXdcfpF".to_vec()), body in vec(any::<u8>(), 0..128)) {
        match decode_frontend(tag, &body) {
            Ok(_) => {}
            Err(crate::ProtocolError::Violation(e)) => {
                prop_assert!(matches!(e.code.code(), "08P01" | "22021"), "{:?}", e);
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    /// Rows built column by column read back as the values pushed, and match the iterator form.
    #[test]
    fn data_row_builder_round_trips(rows in vec(vec(nullable(), 0..8), 0..8)) {
        let mut built = BackendWriter::new();
        let mut iterated = BackendWriter::new();
        for row in &rows {
            built.begin_data_row(row.len() as u16);
            for v in row {
                match v {
                    None => built.push_null(),
                    Some(b) if b.len() % 2 == 0 => built.push_value(b),
                    Some(b) => built.push_text_with(|buf| buf.extend_from_slice(b)),
                }
            }
            built.end_data_row();
            iterated.data_row(row.iter().map(|v| v.as_deref()));
        }
        prop_assert_eq!(built.as_bytes(), iterated.as_bytes());
        let mut r = built.as_bytes();
        for row in &rows {
            let got = read_backend_message(&mut r).expect("valid");
            prop_assert_eq!(got, Some(BackendMessage::DataRow(row.clone())));
        }
        prop_assert!(r.is_empty());
    }
}
