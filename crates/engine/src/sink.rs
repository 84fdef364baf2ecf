//! What a session writes to its client, as calls: the server turns them into protocol
//! messages (RowDescription, DataRow, CommandComplete, NoticeResponse, ...).

use tusk_types::{Error, Oid};

/// A result column as RowDescription describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDesc {
    /// Column name.
    pub name: String,
    /// Source table OID (0 for computed columns).
    pub table_oid: Oid,
    /// Source column number (0 for computed columns).
    pub column: i16,
    /// Type OID.
    pub type_oid: Oid,
    /// `typlen` (-1 varlena).
    pub type_size: i16,
    /// Typmod (-1 none).
    pub type_modifier: i32,
    /// 0 text, 1 binary.
    pub format: i16,
}

/// Severity of a notice (NoticeResponse's `S`/`V` fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeSeverity {
    /// WARNING.
    Warning,
    /// NOTICE.
    Notice,
    /// INFO.
    Info,
    /// LOG.
    Log,
}

/// The rank of NOTICE (the default `client_min_messages`).
pub const NOTICE_RANK: u8 = 2;

/// The rank a `client_min_messages` setting lets through from: DEBUG levels 0, LOG 1,
/// NOTICE 2, WARNING 3, ERROR 4.
pub fn threshold_rank(setting: &str) -> u8 {
    match setting.to_ascii_lowercase().as_str() {
        s if s.starts_with("debug") => 0,
        "log" => 1,
        "notice" => NOTICE_RANK,
        "warning" => 3,
        _ => 4,
    }
}

/// Whether a notice of `severity` reaches a client whose floor is `floor` (INFO always
/// does, as in PostgreSQL).
pub fn notice_passes(severity: NoticeSeverity, floor: u8) -> bool {
    let rank = match severity {
        NoticeSeverity::Info => return true,
        NoticeSeverity::Log => 1,
        NoticeSeverity::Notice => NOTICE_RANK,
        NoticeSeverity::Warning => 3,
    };
    rank >= floor
}

impl NoticeSeverity {
    /// The severity word.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeSeverity::Warning => "WARNING",
            NoticeSeverity::Notice => "NOTICE",
            NoticeSeverity::Info => "INFO",
            NoticeSeverity::Log => "LOG",
        }
    }
}

/// The client side of a session.
pub trait Sink {
    /// RowDescription.
    fn row_description(&mut self, columns: &[ColumnDesc]);
    /// DataRow: each value already in its wire format, `None` for NULL.
    fn data_row(&mut self, values: &[Option<&[u8]>]);
    /// CommandComplete with PostgreSQL's command tag (`SELECT 3`, `SET`, `BEGIN`).
    fn command_complete(&mut self, tag: &str);
    /// EmptyQueryResponse.
    fn empty_query(&mut self);
    /// NoticeResponse (a WARNING, NOTICE, ...).
    fn notice(&mut self, severity: NoticeSeverity, notice: &Error);
    /// ParameterStatus for a reported parameter that changed.
    fn parameter_status(&mut self, name: &str, value: &str);
    /// CopyInResponse (text format, `columns` columns).
    fn copy_in_response(&mut self, format: i8, columns: usize) {
        let _ = (format, columns);
    }
    /// CopyOutResponse.
    fn copy_out_response(&mut self, format: i8, columns: usize) {
        let _ = (format, columns);
    }
    /// CopyData.
    fn copy_data(&mut self, data: &[u8]) {
        let _ = data;
    }
    /// CopyDone.
    fn copy_done(&mut self) {}
}
