//! The engine's [`Sink`] over the wire: session output becomes protocol messages in one
//! buffer, written to the socket when it grows large and at every ReadyForQuery/Flush.

use tusk_engine::{ColumnDesc, NoticeSeverity, Sink};
use tusk_protocol::{BackendWriter, FieldDescription, NoticeSeverity as WireSeverity};
use tusk_types::Error;

use crate::conn::Conn;

/// Output buffer size past which it is written out before the statement ends (bytes).
const FLUSH_THRESHOLD: usize = 64 * 1024;

/// Session output to one client.
pub struct WireSink<'a> {
    /// Encoded messages not yet written.
    pub out: &'a mut BackendWriter,
    /// The socket.
    pub conn: &'a mut Conn,
    /// Set when a write failed: the client is gone.
    pub broken: bool,
    /// `client_min_messages` as a rank (`Session::notice_floor`).
    pub notice_floor: &'a std::sync::atomic::AtomicU8,
}

impl WireSink<'_> {
    /// Writes everything buffered to the socket now (errors and notices, as PostgreSQL
    /// flushes them when sent).
    pub fn flush(&mut self) {
        if !self.broken && self.out.write_to(self.conn).is_err() {
            self.broken = true;
            self.out.clear();
        }
    }

    /// Writes buffered messages to the socket if past the threshold.
    fn maybe_flush(&mut self) {
        if self.out.len() >= FLUSH_THRESHOLD
            && !self.broken
            && self.out.write_to(self.conn).is_err()
        {
            self.broken = true;
            self.out.clear();
        }
    }
}

impl Sink for WireSink<'_> {
    fn row_description(&mut self, columns: &[ColumnDesc]) {
        let fields: Vec<FieldDescription> = columns
            .iter()
            .map(|c| FieldDescription {
                name: c.name.clone(),
                table_oid: c.table_oid,
                column_attr: c.column,
                type_oid: c.type_oid,
                type_size: c.type_size,
                type_modifier: c.type_modifier,
                format: c.format,
            })
            .collect();
        self.out.row_description(&fields);
    }

    fn data_row(&mut self, values: &[Option<&[u8]>]) {
        self.out.data_row(values.iter().copied());
        self.maybe_flush();
    }

    fn command_complete(&mut self, tag: &str) {
        self.out.command_complete(tag);
    }

    fn empty_query(&mut self) {
        self.out.empty_query_response();
    }

    fn copy_in_response(&mut self, format: i8, columns: usize) {
        self.out
            .copy_in_response(format, &vec![i16::from(format); columns]);
    }

    fn copy_out_response(&mut self, format: i8, columns: usize) {
        self.out
            .copy_out_response(format, &vec![i16::from(format); columns]);
    }

    fn copy_data(&mut self, data: &[u8]) {
        self.out.copy_data(data);
        self.maybe_flush();
    }

    fn copy_done(&mut self) {
        self.out.copy_done();
    }

    fn notice(&mut self, severity: NoticeSeverity, notice: &Error) {
        let floor = self.notice_floor.load(std::sync::atomic::Ordering::Relaxed);
        if !tusk_engine::sink::notice_passes(severity, floor) {
            return;
        }
        let s = match severity {
            NoticeSeverity::Warning => WireSeverity::Warning,
            NoticeSeverity::Notice => WireSeverity::Notice,
            NoticeSeverity::Info => WireSeverity::Info,
            NoticeSeverity::Log => WireSeverity::Log,
        };
        self.out.notice_response(s, notice);
        self.flush();
    }

    fn parameter_status(&mut self, name: &str, value: &str) {
        self.out.parameter_status(name, value);
    }
}
