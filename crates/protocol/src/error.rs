//! [`ProtocolError`]: why a message could not be read, sorted by what the connection must do.
//!
//! Invariants:
//! - [`ProtocolError::Violation`] carries a PostgreSQL-shaped [`Error`] with PostgreSQL's
//!   SQLSTATE and message text. Its severity says whether the byte stream is still in step:
//!   `FATAL` (bad type byte, bad length word, bad startup packet) means the connection must
//!   end; `ERROR` (bad contents of a fully read message) means the message was consumed and
//!   the session may continue (PostgreSQL reports these with `ereport(ERROR)` from
//!   `pq_getmsg*`, `postgres.c`).
//! - [`ProtocolError::Io`] and [`ProtocolError::Eof`] always end the connection.
//!
//! See also: `body.rs` (the checks that raise these), PostgreSQL docs §55.7.

use std::fmt;

use tusk_types::{Error, Severity, SqlState};

/// Why a frontend (or backend) message could not be read.
pub enum ProtocolError {
    /// The socket failed (not end-of-file): the connection is gone.
    Io(std::io::Error),
    /// The peer broke the protocol. SQLSTATE 08P01 for framing and layout faults, 22021 for
    /// strings that are not valid UTF-8, 0A000 for unsupported protocol versions. Severity
    /// `FATAL` means the stream is out of step and the connection must end; `ERROR` means the
    /// message was read whole and the session can go on.
    Violation(Error),
    /// The peer closed the connection in the middle of a message.
    Eof,
}

impl ProtocolError {
    /// A connection-ending 08P01 violation (stream out of step).
    pub(crate) fn framing(message: impl Into<String>) -> ProtocolError {
        ProtocolError::Violation(Error::new(SqlState::PROTOCOL_VIOLATION, message).fatal())
    }

    /// A 08P01 violation inside a message that was read whole (session continues).
    pub(crate) fn content(message: impl Into<String>) -> ProtocolError {
        ProtocolError::Violation(Error::new(SqlState::PROTOCOL_VIOLATION, message))
    }

    /// True when the connection must end: I/O failure, EOF, or a `FATAL` violation.
    pub fn is_fatal(&self) -> bool {
        match self {
            ProtocolError::Io(_) | ProtocolError::Eof => true,
            ProtocolError::Violation(e) => e.severity != Severity::Error,
        }
    }

    /// The SQLSTATE this error reports as (08006 for I/O, 08P01 for EOF mid-message).
    pub fn code(&self) -> SqlState {
        match self {
            ProtocolError::Io(_) => SqlState::CONNECTION_FAILURE,
            ProtocolError::Eof => SqlState::PROTOCOL_VIOLATION,
            ProtocolError::Violation(e) => e.code,
        }
    }
}

impl From<std::io::Error> for ProtocolError {
    fn from(err: std::io::Error) -> ProtocolError {
        if err.kind() == std::io::ErrorKind::UnexpectedEof {
            ProtocolError::Eof
        } else {
            ProtocolError::Io(err)
        }
    }
}

impl From<ProtocolError> for Error {
    /// I/O failures become 08006 "could not receive data from client: %m", EOF mid-message
    /// 08P01 "incomplete message from client" (both FATAL), violations pass through.
    fn from(err: ProtocolError) -> Error {
        match err {
            ProtocolError::Io(io) => {
                let mut e = Error::io("could not receive data from client", &io);
                e.code = SqlState::CONNECTION_FAILURE;
                e.fatal()
            }
            ProtocolError::Eof => Error::new(
                SqlState::PROTOCOL_VIOLATION,
                "incomplete message from client",
            )
            .fatal(),
            ProtocolError::Violation(e) => e,
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Io(e) => write!(f, "could not receive data from client: {e}"),
            ProtocolError::Eof => f.write_str("incomplete message from client"),
            ProtocolError::Violation(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Debug for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Io(e) => write!(f, "Io({e:?})"),
            ProtocolError::Eof => f.write_str("Eof"),
            ProtocolError::Violation(e) => write!(f, "Violation({e:?})"),
        }
    }
}

impl std::error::Error for ProtocolError {}
