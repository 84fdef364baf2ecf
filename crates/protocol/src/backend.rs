//! [`BackendWriter`]: encodes backend messages into one reusable output buffer, which the
//! backend flushes once per Sync / ReadyForQuery (PostgreSQL docs §55.7, error fields §55.8).
//!
//! Invariants:
//! - Every method appends exactly one whole message (or, for [`BackendWriter::ssl_response`],
//!   one unframed byte); lengths are back-patched, so the buffer is always a sequence of
//!   complete messages except between [`BackendWriter::begin_data_row`] and
//!   [`BackendWriter::end_data_row`].
//! - Strings must not contain NUL bytes (they travel as C strings).
//! - The zero-copy DataRow builder writes column values straight into the buffer: no
//!   allocation per row once the buffer has grown to its working size.
//!
//! Entry points: [`BackendWriter`], [`FieldDescription`], [`TransactionStatus`],
//! [`NoticeSeverity`].

use std::io::Write;

use tusk_types::{Error, Oid};

use crate::encode::{
    begin, finish, put_count16, put_cstr, put_i16, put_i32, put_nullable, put_u32,
};

/// The transaction status sent in ReadyForQuery.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TransactionStatus {
    /// `'I'`: not in a transaction block.
    Idle,
    /// `'T'`: in a transaction block.
    InBlock,
    /// `'E'`: in a failed transaction block (queries rejected until the block ends).
    Failed,
}

impl TransactionStatus {
    /// The wire byte: `b'I'`, `b'T'` or `b'E'`.
    pub fn as_byte(self) -> u8 {
        match self {
            TransactionStatus::Idle => b'I',
            TransactionStatus::InBlock => b'T',
            TransactionStatus::Failed => b'E',
        }
    }

    /// The status for a wire byte, if it is one.
    pub fn from_byte(b: u8) -> Option<TransactionStatus> {
        match b {
            b'I' => Some(TransactionStatus::Idle),
            b'T' => Some(TransactionStatus::InBlock),
            b'E' => Some(TransactionStatus::Failed),
            _ => None,
        }
    }
}

/// Severity of a NoticeResponse (`S`/`V` fields); PostgreSQL's DEBUG1..DEBUG5 all say DEBUG.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NoticeSeverity {
    /// `DEBUG`
    Debug,
    /// `LOG`
    Log,
    /// `INFO`
    Info,
    /// `NOTICE`
    Notice,
    /// `WARNING`
    Warning,
}

impl NoticeSeverity {
    /// The severity word sent in the `S` and `V` fields.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeSeverity::Debug => "DEBUG",
            NoticeSeverity::Log => "LOG",
            NoticeSeverity::Info => "INFO",
            NoticeSeverity::Notice => "NOTICE",
            NoticeSeverity::Warning => "WARNING",
        }
    }
}

/// One column of a RowDescription.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FieldDescription {
    /// Column name.
    pub name: String,
    /// OID of the source table, or 0.
    pub table_oid: Oid,
    /// Attribute number in the source table, or 0.
    pub column_attr: i16,
    /// OID of the column's type.
    pub type_oid: Oid,
    /// `pg_type.typlen`: bytes, negative for variable width.
    pub type_size: i16,
    /// `pg_attribute.atttypmod`; -1 when none.
    pub type_modifier: i32,
    /// 0 text, 1 binary.
    pub format: i16,
}

/// Accumulates encoded backend messages; write them out with [`BackendWriter::as_bytes`] or
/// [`BackendWriter::write_to`], then [`BackendWriter::clear`].
#[derive(Default, Debug)]
pub struct BackendWriter {
    buf: Vec<u8>,
    /// Where the open DataRow's length word sits, between begin_data_row and end_data_row.
    row_at: Option<usize>,
}

impl BackendWriter {
    /// An empty writer.
    pub fn new() -> BackendWriter {
        BackendWriter::default()
    }

    /// An empty writer whose buffer holds `capacity` bytes before growing.
    pub fn with_capacity(capacity: usize) -> BackendWriter {
        BackendWriter {
            buf: Vec::with_capacity(capacity),
            row_at: None,
        }
    }

    /// The encoded bytes so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Bytes buffered.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True when nothing is buffered.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Forgets the buffered bytes, keeping the allocation.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.row_at = None;
    }

    /// Writes all buffered bytes to `w`, flushes it, and clears the buffer.
    pub fn write_to(&mut self, w: &mut impl Write) -> std::io::Result<()> {
        debug_assert!(self.row_at.is_none(), "DataRow left open");
        w.write_all(&self.buf)?;
        w.flush()?;
        self.clear();
        Ok(())
    }

    fn empty_message(&mut self, tag: u8) {
        self.buf.push(tag);
        self.buf.extend_from_slice(&4i32.to_be_bytes());
    }

    fn auth(&mut self, code: i32, extra: &[u8]) {
        let at = begin(&mut self.buf, b'R');
        put_i32(&mut self.buf, code);
        self.buf.extend_from_slice(extra);
        finish(&mut self.buf, at);
    }

    /// AuthenticationOk: `R`, length 8, Int32 0.
    pub fn auth_ok(&mut self) {
        self.auth(0, &[]);
    }

    /// AuthenticationCleartextPassword: `R`, length 8, Int32 3.
    pub fn auth_cleartext_password(&mut self) {
        self.auth(3, &[]);
    }

    /// AuthenticationMD5Password: `R`, length 12, Int32 5, 4 salt bytes.
    pub fn auth_md5_password(&mut self, salt: [u8; 4]) {
        self.auth(5, &salt);
    }

    /// AuthenticationSASL: `R`, Int32 10, the mechanism names as strings, then a final NUL.
    pub fn auth_sasl(&mut self, mechanisms: &[&str]) {
        let at = begin(&mut self.buf, b'R');
        put_i32(&mut self.buf, 10);
        for m in mechanisms {
            put_cstr(&mut self.buf, m);
        }
        self.buf.push(0);
        finish(&mut self.buf, at);
    }

    /// AuthenticationSASLContinue: `R`, Int32 11, the server-first-message bytes.
    pub fn auth_sasl_continue(&mut self, data: &[u8]) {
        self.auth(11, data);
    }

    /// AuthenticationSASLFinal: `R`, Int32 12, the server-final-message bytes.
    pub fn auth_sasl_final(&mut self, data: &[u8]) {
        self.auth(12, data);
    }

    /// ParameterStatus: `S`, name, value.
    pub fn parameter_status(&mut self, name: &str, value: &str) {
        let at = begin(&mut self.buf, b'S');
        put_cstr(&mut self.buf, name);
        put_cstr(&mut self.buf, value);
        finish(&mut self.buf, at);
    }

    /// BackendKeyData: `K`, length 12, process id, secret key.
    pub fn backend_key_data(&mut self, process_id: i32, secret_key: i32) {
        let at = begin(&mut self.buf, b'K');
        put_i32(&mut self.buf, process_id);
        put_i32(&mut self.buf, secret_key);
        finish(&mut self.buf, at);
    }

    /// ReadyForQuery: `Z`, length 5, status byte.
    pub fn ready_for_query(&mut self, status: TransactionStatus) {
        self.buf
            .extend_from_slice(&[b'Z', 0, 0, 0, 5, status.as_byte()]);
    }

    /// RowDescription: `T`, Int16 count, then per field name, Int32 table OID, Int16 column
    /// number, Int32 type OID, Int16 type size, Int32 type modifier, Int16 format.
    pub fn row_description(&mut self, fields: &[FieldDescription]) {
        let at = begin(&mut self.buf, b'T');
        put_count16(&mut self.buf, fields.len());
        for f in fields {
            put_cstr(&mut self.buf, &f.name);
            put_u32(&mut self.buf, f.table_oid.0);
            put_i16(&mut self.buf, f.column_attr);
            put_u32(&mut self.buf, f.type_oid.0);
            put_i16(&mut self.buf, f.type_size);
            put_i32(&mut self.buf, f.type_modifier);
            put_i16(&mut self.buf, f.format);
        }
        finish(&mut self.buf, at);
    }

    /// DataRow from values (`None` = NULL): `D`, Int16 count, then per column Int32 length
    /// (-1 for NULL) and bytes.
    pub fn data_row<'a>(&mut self, values: impl IntoIterator<Item = Option<&'a [u8]>>) {
        let at = begin(&mut self.buf, b'D');
        let count_at = self.buf.len();
        self.buf.extend_from_slice(&[0, 0]);
        let mut n = 0usize;
        for v in values {
            put_nullable(&mut self.buf, v);
            n += 1;
        }
        let n = u16::try_from(n).expect("DataRow with more than 65535 columns");
        self.buf[count_at..count_at + 2].copy_from_slice(&n.to_be_bytes());
        finish(&mut self.buf, at);
    }

    /// Opens a DataRow of `ncols` columns, to be filled by exactly `ncols` calls of
    /// [`Self::push_null`], [`Self::push_value`] or [`Self::push_text_with`] and closed by
    /// [`Self::end_data_row`]. No other message may be written in between.
    pub fn begin_data_row(&mut self, ncols: u16) {
        debug_assert!(self.row_at.is_none(), "DataRow already open");
        self.row_at = Some(begin(&mut self.buf, b'D'));
        self.buf.extend_from_slice(&ncols.to_be_bytes());
    }

    /// Appends a NULL column to the open DataRow.
    pub fn push_null(&mut self) {
        debug_assert!(self.row_at.is_some(), "no DataRow open");
        put_i32(&mut self.buf, -1);
    }

    /// Appends a column value to the open DataRow.
    pub fn push_value(&mut self, value: &[u8]) {
        debug_assert!(self.row_at.is_some(), "no DataRow open");
        put_nullable(&mut self.buf, Some(value));
    }

    /// Appends a column whose bytes `write` produces directly in the output buffer (e.g. an
    /// integer's text form); the column length is back-patched. `write` must only append.
    pub fn push_text_with<R>(&mut self, write: impl FnOnce(&mut Vec<u8>) -> R) -> R {
        debug_assert!(self.row_at.is_some(), "no DataRow open");
        let at = self.buf.len();
        self.buf.extend_from_slice(&[0; 4]);
        let result = write(&mut self.buf);
        let len = i32::try_from(self.buf.len() - at - 4).expect("column value longer than 2 GB");
        self.buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
        result
    }

    /// Closes the open DataRow, back-patching its length.
    pub fn end_data_row(&mut self) {
        let at = self
            .row_at
            .take()
            .expect("end_data_row without begin_data_row");
        finish(&mut self.buf, at);
    }

    /// CommandComplete: `C`, the command tag (e.g. `SELECT 3`, `INSERT 0 1`).
    pub fn command_complete(&mut self, tag: &str) {
        let at = begin(&mut self.buf, b'C');
        put_cstr(&mut self.buf, tag);
        finish(&mut self.buf, at);
    }

    /// EmptyQueryResponse: `I`, length 4.
    pub fn empty_query_response(&mut self) {
        self.empty_message(b'I');
    }

    /// ErrorResponse: `E`, then fields S V C M D H P W (each a type byte and a string), then
    /// a NUL. PostgreSQL's optional F/L/R (source file, line, routine) are omitted.
    pub fn error_response(&mut self, error: &Error) {
        let severity = error.severity.as_str();
        self.fields_message(b'E', severity, error);
    }

    /// An error in the pre-3.0 protocol's format, which PostgreSQL uses when it refuses a
    /// startup packet whose major version is below 3: `E`, then `"FATAL:  message\n"` and a
    /// NUL, with no length word.
    pub fn error_response_v2(&mut self, error: &Error) {
        self.buf.push(b'E');
        self.buf
            .extend_from_slice(error.severity.as_str().as_bytes());
        self.buf.extend_from_slice(b":  ");
        self.buf.extend_from_slice(error.message.as_bytes());
        self.buf.extend_from_slice(b"\n\0");
    }

    /// NoticeResponse: as [`Self::error_response`] with tag `N` and the given severity.
    pub fn notice_response(&mut self, severity: NoticeSeverity, notice: &Error) {
        self.fields_message(b'N', severity.as_str(), notice);
    }

    fn fields_message(&mut self, tag: u8, severity: &str, e: &Error) {
        let at = begin(&mut self.buf, tag);
        let mut field = |code: u8, value: &str| {
            self.buf.push(code);
            put_cstr(&mut self.buf, value);
        };
        field(b'S', severity);
        field(b'V', severity);
        field(b'C', e.code.code());
        field(b'M', &e.message);
        if let Some(d) = &e.detail {
            field(b'D', d);
        }
        if let Some(h) = &e.hint {
            field(b'H', h);
        }
        if let Some(p) = e.position {
            field(b'P', &p.to_string());
        }
        if let Some(w) = &e.context {
            field(b'W', w);
        }
        self.buf.push(0);
        finish(&mut self.buf, at);
    }

    /// ParseComplete: `1`, length 4.
    pub fn parse_complete(&mut self) {
        self.empty_message(b'1');
    }

    /// BindComplete: `2`, length 4.
    pub fn bind_complete(&mut self) {
        self.empty_message(b'2');
    }

    /// CloseComplete: `3`, length 4.
    pub fn close_complete(&mut self) {
        self.empty_message(b'3');
    }

    /// NoData: `n`, length 4.
    pub fn no_data(&mut self) {
        self.empty_message(b'n');
    }

    /// ParameterDescription: `t`, Int16 count, the parameter type OIDs.
    pub fn parameter_description(&mut self, types: &[Oid]) {
        let at = begin(&mut self.buf, b't');
        put_count16(&mut self.buf, types.len());
        for t in types {
            put_u32(&mut self.buf, t.0);
        }
        finish(&mut self.buf, at);
    }

    /// PortalSuspended: `s`, length 4.
    pub fn portal_suspended(&mut self) {
        self.empty_message(b's');
    }

    fn copy_response(&mut self, tag: u8, format: i8, column_formats: &[i16]) {
        let at = begin(&mut self.buf, tag);
        self.buf.push(format as u8);
        put_count16(&mut self.buf, column_formats.len());
        for &f in column_formats {
            put_i16(&mut self.buf, f);
        }
        finish(&mut self.buf, at);
    }

    /// CopyInResponse: `G`, Int8 overall format (0 text, 1 binary), Int16 column count, the
    /// column formats.
    pub fn copy_in_response(&mut self, format: i8, column_formats: &[i16]) {
        self.copy_response(b'G', format, column_formats);
    }

    /// CopyOutResponse: `H`, laid out as CopyInResponse.
    pub fn copy_out_response(&mut self, format: i8, column_formats: &[i16]) {
        self.copy_response(b'H', format, column_formats);
    }

    /// CopyBothResponse: `W`, laid out as CopyInResponse (streaming replication).
    pub fn copy_both_response(&mut self, format: i8, column_formats: &[i16]) {
        self.copy_response(b'W', format, column_formats);
    }

    /// CopyData: `d`, the bytes.
    pub fn copy_data(&mut self, data: &[u8]) {
        let at = begin(&mut self.buf, b'd');
        self.buf.extend_from_slice(data);
        finish(&mut self.buf, at);
    }

    /// CopyDone: `c`, length 4.
    pub fn copy_done(&mut self) {
        self.empty_message(b'c');
    }

    /// NotificationResponse: `A`, Int32 notifying backend's process id, channel, payload.
    pub fn notification_response(&mut self, process_id: i32, channel: &str, payload: &str) {
        let at = begin(&mut self.buf, b'A');
        put_i32(&mut self.buf, process_id);
        put_cstr(&mut self.buf, channel);
        put_cstr(&mut self.buf, payload);
        finish(&mut self.buf, at);
    }

    /// FunctionCallResponse: `V`, Int32 length (-1 for NULL), the result bytes.
    pub fn function_call_response(&mut self, result: Option<&[u8]>) {
        let at = begin(&mut self.buf, b'V');
        put_nullable(&mut self.buf, result);
        finish(&mut self.buf, at);
    }

    /// NegotiateProtocolVersion: `v`, Int32 newest minor version supported, Int32 count of
    /// unrecognized `_pq_.` options, their names.
    ///
    /// PostgreSQL 15 sends its whole latest version code here (`PG_PROTOCOL_LATEST`, 196608 =
    /// 3.0), not the bare minor; pass [`crate::PROTOCOL_VERSION_3_0`] to match it byte for byte.
    pub fn negotiate_protocol_version(
        &mut self,
        newest_minor: i32,
        unrecognized_options: &[String],
    ) {
        let at = begin(&mut self.buf, b'v');
        put_i32(&mut self.buf, newest_minor);
        let n = i32::try_from(unrecognized_options.len()).expect("option count fits Int32");
        put_i32(&mut self.buf, n);
        for o in unrecognized_options {
            put_cstr(&mut self.buf, o);
        }
        finish(&mut self.buf, at);
    }

    /// The one-byte answer to SSLRequest (`b'S'` accept, `b'N'` refuse) or GSSENCRequest
    /// (`b'G'` / `b'N'`): no tag, no length.
    pub fn ssl_response(&mut self, answer: u8) {
        self.buf.push(answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::{pg_err, SqlState};

    fn bytes(f: impl FnOnce(&mut BackendWriter)) -> Vec<u8> {
        let mut w = BackendWriter::new();
        f(&mut w);
        w.as_bytes().to_vec()
    }

    #[test]
    fn ready_for_query_is_six_bytes() {
        assert_eq!(
            bytes(|w| w.ready_for_query(TransactionStatus::Idle)),
            [b'Z', 0, 0, 0, 5, b'I']
        );
        assert_eq!(
            bytes(|w| w.ready_for_query(TransactionStatus::InBlock)),
            [b'Z', 0, 0, 0, 5, b'T']
        );
        assert_eq!(
            bytes(|w| w.ready_for_query(TransactionStatus::Failed)),
            [b'Z', 0, 0, 0, 5, b'E']
        );
    }

    #[test]
    fn authentication_requests_match_documented_layout() {
        assert_eq!(bytes(|w| w.auth_ok()), [b'R', 0, 0, 0, 8, 0, 0, 0, 0]);
        assert_eq!(
            bytes(|w| w.auth_cleartext_password()),
            [b'R', 0, 0, 0, 8, 0, 0, 0, 3]
        );
        assert_eq!(
            bytes(|w| w.auth_md5_password([1, 2, 3, 4])),
            [b'R', 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4]
        );
        let mut want = vec![b'R', 0, 0, 0, 23, 0, 0, 0, 10];
        want.extend_from_slice(b"SCRAM-SHA-256\0\0");
        assert_eq!(bytes(|w| w.auth_sasl(&["SCRAM-SHA-256"])), want);
        assert_eq!(
            bytes(|w| w.auth_sasl_continue(b"r=x")),
            [b'R', 0, 0, 0, 11, 0, 0, 0, 11, b'r', b'=', b'x']
        );
        assert_eq!(
            bytes(|w| w.auth_sasl_final(b"v=")),
            [b'R', 0, 0, 0, 10, 0, 0, 0, 12, b'v', b'=']
        );
    }

    #[test]
    fn session_setup_messages() {
        assert_eq!(
            bytes(|w| w.parameter_status("a", "b")),
            [b'S', 0, 0, 0, 8, b'a', 0, b'b', 0]
        );
        assert_eq!(
            bytes(|w| w.backend_key_data(0x0102_0304, -1)),
            [b'K', 0, 0, 0, 12, 1, 2, 3, 4, 0xff, 0xff, 0xff, 0xff]
        );
        let mut want = vec![b'v', 0, 0, 0, 19, 0, 0, 0, 0, 0, 0, 0, 1];
        want.extend_from_slice(b"_pq_.x\0");
        assert_eq!(
            bytes(|w| w.negotiate_protocol_version(0, &["_pq_.x".to_string()])),
            want
        );
        assert_eq!(bytes(|w| w.ssl_response(b'N')), [b'N']);
    }

    #[test]
    fn row_description_layout() {
        let field = FieldDescription {
            name: "id".into(),
            table_oid: Oid(16384),
            column_attr: 1,
            type_oid: Oid(23),
            type_size: 4,
            type_modifier: -1,
            format: 0,
        };
        let mut want = vec![b'T', 0, 0, 0, 27, 0, 1, b'i', b'd', 0];
        want.extend_from_slice(&16384u32.to_be_bytes());
        want.extend_from_slice(&[0, 1]);
        want.extend_from_slice(&23u32.to_be_bytes());
        want.extend_from_slice(&[0, 4, 0xff, 0xff, 0xff, 0xff, 0, 0]);
        assert_eq!(bytes(|w| w.row_description(&[field])), want);
    }

    #[test]
    fn data_row_from_iterator_and_builder_agree() {
        let want = vec![
            b'D', 0, 0, 0, 20, 0, 3, 0, 0, 0, 2, b'4', b'2', 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
        ];
        let values: [Option<&[u8]>; 3] = [Some(b"42"), None, Some(b"")];
        assert_eq!(bytes(|w| w.data_row(values)), want);
        let built = bytes(|w| {
            w.begin_data_row(3);
            let n = w.push_text_with(|buf| {
                buf.extend_from_slice(42.to_string().as_bytes());
                7
            });
            assert_eq!(n, 7);
            w.push_null();
            w.push_value(b"");
            w.end_data_row();
        });
        assert_eq!(built, want);
    }

    #[test]
    fn command_and_extended_query_acknowledgements() {
        assert_eq!(
            bytes(|w| w.command_complete("SELECT 1")),
            [b'C', 0, 0, 0, 13, b'S', b'E', b'L', b'E', b'C', b'T', b' ', b'1', 0]
        );
        assert_eq!(bytes(|w| w.empty_query_response()), [b'I', 0, 0, 0, 4]);
        assert_eq!(bytes(|w| w.parse_complete()), [b'1', 0, 0, 0, 4]);
        assert_eq!(bytes(|w| w.bind_complete()), [b'2', 0, 0, 0, 4]);
        assert_eq!(bytes(|w| w.close_complete()), [b'3', 0, 0, 0, 4]);
        assert_eq!(bytes(|w| w.no_data()), [b'n', 0, 0, 0, 4]);
        assert_eq!(bytes(|w| w.portal_suspended()), [b's', 0, 0, 0, 4]);
        assert_eq!(
            bytes(|w| w.parameter_description(&[Oid(23), Oid(25)])),
            [b't', 0, 0, 0, 14, 0, 2, 0, 0, 0, 23, 0, 0, 0, 25]
        );
        assert_eq!(
            bytes(|w| w.function_call_response(None)),
            [b'V', 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            bytes(|w| w.function_call_response(Some(b"t"))),
            [b'V', 0, 0, 0, 9, 0, 0, 0, 1, b't']
        );
    }

    #[test]
    fn copy_messages() {
        assert_eq!(
            bytes(|w| w.copy_in_response(0, &[0, 0])),
            [b'G', 0, 0, 0, 11, 0, 0, 2, 0, 0, 0, 0]
        );
        assert_eq!(
            bytes(|w| w.copy_out_response(1, &[1])),
            [b'H', 0, 0, 0, 9, 1, 0, 1, 0, 1]
        );
        assert_eq!(
            bytes(|w| w.copy_both_response(0, &[])),
            [b'W', 0, 0, 0, 7, 0, 0, 0]
        );
        assert_eq!(
            bytes(|w| w.copy_data(b"a\n")),
            [b'd', 0, 0, 0, 6, b'a', b'\n']
        );
        assert_eq!(bytes(|w| w.copy_done()), [b'c', 0, 0, 0, 4]);
    }

    #[test]
    fn notification_layout() {
        assert_eq!(
            bytes(|w| w.notification_response(7, "ch", "p")),
            [b'A', 0, 0, 0, 13, 0, 0, 0, 7, b'c', b'h', 0, b'p', 0]
        );
    }

    #[test]
    fn error_response_fields_in_postgres_order() {
        let e = pg_err!(UNDEFINED_TABLE, "relation \"t\" does not exist")
            .hint("h")
            .detail("d")
            .position(15)
            .context("c");
        let mut want_body = Vec::new();
        for (code, v) in [
            (b'S', "ERROR"),
            (b'V', "ERROR"),
            (b'C', "42P01"),
            (b'M', "relation \"t\" does not exist"),
            (b'D', "d"),
            (b'H', "h"),
            (b'P', "15"),
            (b'W', "c"),
        ] {
            want_body.push(code);
            want_body.extend_from_slice(v.as_bytes());
            want_body.push(0);
        }
        want_body.push(0);
        let mut want = vec![b'E'];
        want.extend_from_slice(&(want_body.len() as i32 + 4).to_be_bytes());
        want.extend_from_slice(&want_body);
        assert_eq!(bytes(|w| w.error_response(&e)), want);

        let fatal = Error::new(SqlState::ADMIN_SHUTDOWN, "bye").fatal();
        let got = bytes(|w| w.error_response(&fatal));
        assert_eq!(&got[5..], b"SFATAL\0VFATAL\0C57P01\0Mbye\0\0".as_slice());
    }

    #[test]
    fn old_protocol_error_format() {
        let e = crate::unsupported_protocol_error(0x0002_0000);
        assert_eq!(
            bytes(|w| w.error_response_v2(&e)),
            b"EFATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n\0"
        );
    }

    #[test]
    fn notice_response_uses_given_severity() {
        let n = Error::new(SqlState::WARNING, "careful");
        let got = bytes(|w| w.notice_response(NoticeSeverity::Warning, &n));
        assert_eq!(got[0], b'N');
        assert_eq!(
            &got[5..],
            b"SWARNING\0VWARNING\0C01000\0Mcareful\0\0".as_slice()
        );
    }

    #[test]
    fn clear_keeps_capacity_and_write_to_drains() {
        let mut w = BackendWriter::with_capacity(64);
        w.ready_for_query(TransactionStatus::Idle);
        assert_eq!(w.len(), 6);
        let mut out = Vec::new();
        w.write_to(&mut out).expect("Vec write cannot fail");
        assert_eq!(out, [b'Z', 0, 0, 0, 5, b'I']);
        assert!(w.is_empty());
        assert!(w.buf.capacity() >= 64);
    }
}
