//! tusk-protocol: PostgreSQL's v3 frontend/backend protocol (PostgreSQL docs ch. 55),
//! synchronous over `std::io::Read`/`Write`.
//!
//! A connection's life, and the functions each step calls:
//!
//! 1. The postmaster reads a startup packet with [`read_startup`]: SSLRequest and
//!    GSSENCRequest are answered with one byte ([`BackendWriter::ssl_response`]),
//!    CancelRequest carries a backend key, StartupMessage the user, database and options.
//! 2. Authentication: [`BackendWriter::auth_md5_password`] / [`BackendWriter::auth_sasl`] ...;
//!    the client answers with `'p'` messages ([`FrontendMessage::PasswordMessage`], parsed by
//!    [`parse_password`] / [`parse_sasl_initial`]); then [`BackendWriter::auth_ok`],
//!    ParameterStatus, BackendKeyData, ReadyForQuery.
//! 3. The backend loop reads [`FrontendMessage`]s with [`read_message`] (or a
//!    [`MessageReader`] that reuses its buffer) and answers into a [`BackendWriter`], flushed
//!    once per Sync / ReadyForQuery.
//!
//! Invariants: decoding never panics and never allocates beyond the bytes received; every
//! fault is a [`ProtocolError`] carrying PostgreSQL's SQLSTATE and message text, with
//! severity `FATAL` when the byte stream is out of step (see `error.rs`).
//!
//! The reverse direction (encoding frontend messages, decoding backend ones, and a small
//! blocking [`client::TestClient`]) exists for tests, fuzzing and tools.

mod auth;
mod backend;
mod backend_message;
mod body;
pub mod client;
mod encode;
mod error;
mod frontend;
mod startup;

#[cfg(test)]
mod proptests;

pub use auth::{encode_sasl_initial, parse_password, parse_sasl_initial};
pub use backend::{BackendWriter, FieldDescription, NoticeSeverity, TransactionStatus};
pub use backend_message::{
    decode_backend, read_backend_message, Authentication, BackendMessage, ErrorFields,
};
pub use body::invalid_utf8_error;
pub use error::ProtocolError;
pub use frontend::{
    decode_frontend, encode_frontend, message_length_limit, read_message, DescribeKind,
    FrontendMessage, MessageReader, PG_MAX_AUTH_TOKEN_LENGTH, PQ_LARGE_MESSAGE_LIMIT,
    PQ_SMALL_MESSAGE_LIMIT,
};
pub use startup::{
    decode_startup, encode_startup, read_startup, unsupported_protocol_error, StartupRequest,
    CANCEL_REQUEST_CODE, MAX_STARTUP_PACKET_LENGTH, NEGOTIATE_GSS_CODE, NEGOTIATE_SSL_CODE,
    PROTOCOL_VERSION_3_0,
};
