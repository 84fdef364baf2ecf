//! The one error type of tusk: a SQLSTATE, a message in PostgreSQL's style and the optional
//! fields of an ErrorResponse (detail, hint, cursor position, context).
//!
//! Errors are built with [`Error::new`] or the [`crate::pg_err!`] macro and refined with
//! builder methods; only the server turns them into wire messages. [`ErrorKind`] sorts them
//! by what the caller must do (PostgreSQL docs, "Error Message Reporting", and Appendix A).

use std::fmt;

use crate::SqlState;

/// Severity as PostgreSQL reports it (`S`/`V` fields of ErrorResponse).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Severity {
    /// Aborts the current transaction; the session continues.
    Error,
    /// Ends the session.
    Fatal,
    /// Restarts the server (crash recovery follows).
    Panic,
}

impl Severity {
    /// The non-localised severity word sent in the `V` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::Fatal => "FATAL",
            Severity::Panic => "PANIC",
        }
    }
}

/// Whose fault an error is, and so what its caller must do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ErrorKind {
    /// Bad input or a rule of SQL broken: report and go on.
    User,
    /// Serialization failure or deadlock (class 40): retrying the transaction may succeed.
    Retryable,
    /// The operating system refused an I/O operation (class 58).
    Io,
    /// Stored data failed a check (class XX001/XX002): never silently repaired.
    Corruption,
    /// A bug in tusk (XX000).
    Internal,
}

/// A PostgreSQL-shaped error: what ErrorResponse carries.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    /// ERROR, FATAL or PANIC.
    pub severity: Severity,
    /// The SQLSTATE (`C` field).
    pub code: SqlState,
    /// Primary message (`M`), lower-case first letter, no trailing period.
    pub message: String,
    /// Optional detail (`D`), full sentences.
    pub detail: Option<String>,
    /// Optional hint (`H`), full sentences.
    pub hint: Option<String>,
    /// Cursor position in the query text, 1-based characters (`P`).
    pub position: Option<u32>,
    /// Context lines (`W`), innermost first.
    pub context: Option<String>,
}

/// `Result` with tusk's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An ERROR with the given SQLSTATE and primary message.
    pub fn new(code: SqlState, message: impl Into<String>) -> Error {
        Error {
            severity: Severity::Error,
            code,
            message: message.into(),
            detail: None,
            hint: None,
            position: None,
            context: None,
        }
    }

    /// An internal error (XX000): a bug in tusk, never the user's fault.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(SqlState::INTERNAL_ERROR, message)
    }

    /// An I/O error from the operating system, as PostgreSQL reports `%m` (class 58).
    pub fn io(what: impl fmt::Display, err: &std::io::Error) -> Error {
        let code = match err.kind() {
            std::io::ErrorKind::NotFound => SqlState::UNDEFINED_FILE,
            std::io::ErrorKind::AlreadyExists => SqlState::DUPLICATE_FILE,
            std::io::ErrorKind::StorageFull => SqlState::DISK_FULL,
            _ => SqlState::IO_ERROR,
        };
        Error::new(code, format!("{what}: {}", io_message(err)))
    }

    /// 0A000 feature_not_supported with PostgreSQL's phrasing: "`what` is not supported".
    pub fn feature_not_supported(what: impl fmt::Display) -> Error {
        Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!("{what} is not supported"),
        )
    }

    /// Sets the severity.
    pub fn with_severity(mut self, severity: Severity) -> Error {
        self.severity = severity;
        self
    }

    /// Promotes to FATAL: the session ends after reporting it.
    pub fn fatal(self) -> Error {
        self.with_severity(Severity::Fatal)
    }

    /// Adds a DETAIL line.
    pub fn detail(mut self, detail: impl Into<String>) -> Error {
        self.detail = Some(detail.into());
        self
    }

    /// Adds a HINT line.
    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the cursor position (1-based, in characters) if none is set yet.
    pub fn position(mut self, position: u32) -> Error {
        self.position.get_or_insert(position);
        self
    }

    /// Appends a CONTEXT line (outer contexts come after inner ones).
    pub fn context(mut self, line: impl Into<String>) -> Error {
        let line = line.into();
        self.context = Some(match self.context.take() {
            Some(existing) => format!("{existing}\n{line}"),
            None => line,
        });
        self
    }

    /// Sorts the error by what its caller must do.
    pub fn kind(&self) -> ErrorKind {
        match self.code.class() {
            "40" => ErrorKind::Retryable,
            "58" => ErrorKind::Io,
            "XX" if self.code == SqlState::INTERNAL_ERROR => ErrorKind::Internal,
            "XX" => ErrorKind::Corruption,
            _ => ErrorKind::User,
        }
    }
}

/// The operating system's message without Rust's " (os error N)" suffix, as `%m` prints it.
fn io_message(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:  {}", self.severity.as_str(), self.message)?;
        if let Some(detail) = &self.detail {
            write!(f, "\nDETAIL:  {detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nHINT:  {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self, self.code)
    }
}

impl std::error::Error for Error {}

/// Builds an [`Error`]: `pg_err!(DIVISION_BY_ZERO, "division by zero")`, or with format
/// arguments: `pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", name)`.
#[macro_export]
macro_rules! pg_err {
    ($code:ident, $($arg:tt)+) => {
        $crate::Error::new($crate::SqlState::$code, format!($($arg)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_and_kind() {
        let e = crate::pg_err!(
            UNIQUE_VIOLATION,
            "duplicate key value violates unique constraint \"{}\"",
            "t_pkey"
        )
        .detail("Key (id)=(1) already exists.");
        assert_eq!(e.code.code(), "23505");
        assert_eq!(e.kind(), ErrorKind::User);
        assert_eq!(
            e.to_string(),
            "ERROR:  duplicate key value violates unique constraint \"t_pkey\"\nDETAIL:  Key (id)=(1) already exists."
        );
        assert_eq!(
            Error::new(SqlState::T_R_SERIALIZATION_FAILURE, "x").kind(),
            ErrorKind::Retryable
        );
        assert_eq!(Error::internal("bug").kind(), ErrorKind::Internal);
        assert_eq!(
            Error::new(SqlState::DATA_CORRUPTED, "bad page").kind(),
            ErrorKind::Corruption
        );
    }

    #[test]
    fn io_error_drops_os_error_suffix() {
        let os = std::io::Error::from_raw_os_error(2);
        let e = Error::io("could not open file \"base/1/2\"", &os);
        assert_eq!(
            e.message,
            "could not open file \"base/1/2\": No such file or directory"
        );
        assert_eq!(e.code, SqlState::UNDEFINED_FILE);
    }

    #[test]
    fn position_keeps_first() {
        let e = Error::new(SqlState::SYNTAX_ERROR, "x")
            .position(3)
            .position(9);
        assert_eq!(e.position, Some(3));
    }
}
