//! The backend loop: one thread per client connection. Startup (SSL/GSS negotiation,
//! cancel requests, authentication), then protocol messages turned into `Session` calls.
//!
//! Rules:
//! 1. Output is buffered and written at ReadyForQuery, Flush, and when the buffer is large.
//! 2. After an error in an extended-protocol message, messages are skipped until Sync; an
//!    error in a Query message (even a malformed one, 08P01) is followed by ReadyForQuery.
//! 3. A framing violation (stream out of step) ends this connection with FATAL 08P01 and
//!    nothing else; a panic while running a message is reported as XX000, rolls back
//!    the transaction state and the session goes on.
//! 4. Notifications (LISTEN / NOTIFY) go out before each ReadyForQuery that finds the
//!    session between transactions, and, while it waits idle for the client's next
//!    message, as soon as they arrive (PostgreSQL's `ProcessNotifyInterrupt`).

use std::io::{BufRead, BufReader};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use tusk_engine::{Database, ExecuteOutcome, Session, StartupInfo};
use tusk_protocol::{
    read_startup, BackendWriter, DescribeKind, FrontendMessage, MessageReader, ProtocolError,
    StartupRequest, TransactionStatus, PROTOCOL_VERSION_3_0,
};
use tusk_types::{pg_err, Error, Result, Severity, SqlState};

use crate::auth::{AuthExchange, Authenticator, Trust};
use crate::conn::Conn;
use crate::wire::WireSink;

/// Serves one client until it disconnects or the server ends the session.
pub fn serve(conn: Conn, db: Arc<Database>) {
    let peer = conn.describe_peer();
    if db.config.read().bool("log_connections") {
        tracing::info!("connection received: {peer}");
    }
    let Ok(read_half) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut conn = conn;
    let mut out = BackendWriter::with_capacity(8192);
    let mut startup = match negotiate(&mut reader, &mut conn, &mut out, &db) {
        Some(s) => s,
        None => return,
    };
    startup.client = conn.peer_socket_addr();
    startup.server = conn.local_socket_addr();
    let authenticated = {
        let mut exchange = AuthExchange {
            reader: &mut reader,
            conn: &mut conn,
            out: &mut out,
        };
        Trust.authenticate(&startup, &mut exchange)
    };
    if let Err(e) = authenticated {
        out.error_response(&e.fatal());
        let _ = out.write_to(&mut conn);
        return;
    }
    // PostgreSQL sends AuthenticationOk before checking the role and database.
    out.auth_ok();
    let pid = nix::unistd::gettid().as_raw();
    let secret_key: i32 = rand::random();
    let mut session = match Session::start(db.clone(), startup, pid, secret_key) {
        Ok(s) => s,
        Err(e) => {
            out.error_response(&e);
            let _ = out.write_to(&mut conn);
            return;
        }
    };
    if let Ok(closer) = conn.try_clone() {
        session
            .signals()
            .set_closer(Box::new(move || closer.shutdown_read()));
    }
    if db.config.read().bool("log_connections") {
        tracing::info!(
            "connection authorized: user={} database={}",
            session.user,
            session.database
        );
    }
    for (name, value) in session.reported_params() {
        out.parameter_status(&name, &value);
    }
    out.backend_key_data(pid, secret_key);
    out.ready_for_query(TransactionStatus::Idle);
    if out.write_to(&mut conn).is_err() {
        return;
    }
    let started = std::time::Instant::now();
    message_loop(&mut session, &mut reader, &mut conn, &mut out);
    if db.config.read().bool("log_disconnections") {
        let secs = started.elapsed().as_secs_f64();
        tracing::info!(
            "disconnection: session time: {}:{:02}:{:06.3} user={} database={} {peer}",
            (secs / 3600.0) as u64,
            ((secs / 60.0) as u64) % 60,
            secs % 60.0,
            session.user,
            session.database
        );
    }
}

/// Startup: SSLRequest/GSSENCRequest are declined with 'N' (no TLS yet), CancelRequest is
/// delivered and the connection closed, StartupMessage yields the session parameters.
fn negotiate(
    reader: &mut BufReader<Conn>,
    conn: &mut Conn,
    out: &mut BackendWriter,
    db: &Arc<Database>,
) -> Option<StartupInfo> {
    loop {
        let request = match read_startup(reader) {
            Ok(r) => r,
            Err(ProtocolError::Violation(e)) => {
                out.error_response(&e.fatal());
                let _ = out.write_to(conn);
                return None;
            }
            Err(_) => return None,
        };
        match request {
            StartupRequest::SslRequest | StartupRequest::GssEncRequest => {
                out.ssl_response(b'N');
                if out.write_to(conn).is_err() {
                    return None;
                }
            }
            StartupRequest::Cancel {
                process_id,
                secret_key,
            } => {
                db.cancel_backend(process_id, secret_key);
                return None;
            }
            StartupRequest::Startup {
                protocol_version,
                params,
            } => {
                let mut unrecognized = Vec::new();
                let mut info = StartupInfo::default();
                for (name, value) in params {
                    match name.as_str() {
                        "user" => info.user = value,
                        "database" => info.database = value,
                        "options" => match parse_options(&value) {
                            Ok(settings) => info.settings.extend(settings),
                            Err(e) => {
                                out.error_response(&e);
                                let _ = out.write_to(conn);
                                return None;
                            }
                        },
                        "replication" => {
                            if !matches!(value.as_str(), "false" | "off" | "no" | "0") {
                                out.error_response(
                                    &Error::feature_not_supported("replication connections")
                                        .fatal(),
                                );
                                let _ = out.write_to(conn);
                                return None;
                            }
                        }
                        n if n.starts_with("_pq_.") => unrecognized.push(name),
                        _ => info.settings.push((name, value)),
                    }
                }
                if info.user.is_empty() {
                    out.error_response(
                        &pg_err!(
                            INVALID_AUTHORIZATION_SPECIFICATION,
                            "no PostgreSQL user name specified in startup packet"
                        )
                        .fatal(),
                    );
                    let _ = out.write_to(conn);
                    return None;
                }
                if info.database.is_empty() {
                    info.database = info.user.clone();
                }
                if protocol_version & 0xffff != 0 || !unrecognized.is_empty() {
                    out.negotiate_protocol_version(PROTOCOL_VERSION_3_0 as i32, &unrecognized);
                }
                return Some(info);
            }
        }
    }
}

/// Parses the startup `options` parameter: `-c name=value`, `-cname=value`, `--name=value`,
/// whitespace-separated with backslash escapes (PostgreSQL's `pg_split_opts`).
fn parse_options(options: &str) -> Result<Vec<(String, String)>> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut chars = options.chars();
    let mut in_word = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                    in_word = true;
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    let mut settings = Vec::new();
    let mut it = words.into_iter();
    let invalid = |w: &str| {
        pg_err!(
            PROTOCOL_VIOLATION,
            "invalid command-line argument for server process: {}",
            w
        )
        .hint("Try \"postgres --help\" for more information.")
        .fatal()
    };
    while let Some(word) = it.next() {
        let pair = if word == "-c" {
            it.next().ok_or_else(|| invalid(&word))?
        } else if let Some(rest) = word.strip_prefix("-c") {
            rest.to_string()
        } else if let Some(rest) = word.strip_prefix("--") {
            rest.to_string()
        } else {
            return Err(invalid(&word));
        };
        let Some((name, value)) = pair.split_once('=') else {
            return Err(pg_err!(SYNTAX_ERROR, "--{} requires a value", pair).fatal());
        };
        settings.push((name.replace('-', "_"), value.to_string()));
    }
    Ok(settings)
}

/// ReadyForQuery's status; the backend's `pg_stat_activity` entry turns idle with it.
fn status(session: &Session) -> TransactionStatus {
    session.report_idle();
    match session.transaction_status() {
        b'T' => TransactionStatus::InBlock,
        b'E' => TransactionStatus::Failed,
        _ => TransactionStatus::Idle,
    }
}

fn panic_error(payload: Box<dyn std::any::Any + Send>) -> Error {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Error::internal(format!("internal error: {text}"))
}

/// What the loop does after a message.
enum Next {
    Continue,
    Close,
}

fn message_loop(
    session: &mut Session,
    reader: &mut BufReader<Conn>,
    conn: &mut Conn,
    out: &mut BackendWriter,
) {
    let mut messages = MessageReader::new();
    let mut skip_until_sync = false;
    loop {
        if reader.buffer().is_empty() && !wait_for_input(session, reader.get_ref(), out, conn) {
            return;
        }
        // The next message's type byte, peeked (without consuming it) so that a malformed
        // message can be answered according to its protocol (rule 2).
        let tag = reader.fill_buf().ok().and_then(|b| b.first().copied());
        let message = match messages.read(reader) {
            Ok(Some(m)) => m,
            Ok(None) | Err(ProtocolError::Eof) | Err(ProtocolError::Io(_)) => {
                if session.terminating() {
                    out.error_response(&tusk_engine::session::interrupts_terminate_error());
                    let _ = out.write_to(conn);
                }
                return;
            }
            Err(ProtocolError::Violation(e)) => {
                if e.severity == Severity::Error {
                    // The message was read whole: report it like any statement error,
                    // unless messages are being skipped until Sync anyway.
                    if skip_until_sync {
                        continue;
                    }
                    out.error_response(&e);
                    session.extended_error();
                    if is_simple_protocol(tag) {
                        // As after a failed Query: ReadyForQuery follows the error.
                        ready_for_query(session, out);
                        if out.write_to(conn).is_err() {
                            return;
                        }
                    } else {
                        skip_until_sync = true;
                    }
                    continue;
                }
                out.error_response(&e);
                let _ = out.write_to(conn);
                return;
            }
        };
        if session.terminating() {
            out.error_response(&tusk_engine::session::interrupts_terminate_error());
            let _ = out.write_to(conn);
            return;
        }
        if skip_until_sync && !matches!(message, FrontendMessage::Sync | FrontendMessage::Terminate)
        {
            continue;
        }
        let notice_floor = session.notice_floor();
        let mut sink = WireSink {
            out,
            conn,
            broken: false,
            notice_floor: &notice_floor,
        };
        let simple_query = matches!(message, FrontendMessage::Query(_));
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            handle(session, message, &mut sink, &mut skip_until_sync)
        }));
        let broken = sink.broken;
        let next = match outcome {
            Ok(Ok(next)) => next,
            Ok(Err(e)) => {
                out.error_response(&e);
                if e.severity != Severity::Error {
                    let _ = out.write_to(conn);
                    return;
                }
                Next::Continue
            }
            Err(payload) => {
                let e = panic_error(payload);
                tracing::error!("{}", e.message);
                out.error_response(&e);
                session.extended_error();
                if simple_query {
                    // A simple Query always ends with ReadyForQuery, panic or not.
                    ready_for_query(session, out);
                    if out.write_to(conn).is_err() {
                        return;
                    }
                } else {
                    skip_until_sync = true;
                }
                Next::Continue
            }
        };
        if broken {
            return;
        }
        match next {
            Next::Close => {
                let _ = out.write_to(conn);
                return;
            }
            Next::Continue => {}
        }
    }
}

/// Whether a message type belongs to the simple protocol (Query, FunctionCall), whose
/// errors are followed by ReadyForQuery rather than by skipping until Sync.
fn is_simple_protocol(tag: Option<u8>) -> bool {
    matches!(tag, Some(b'Q' | b'F'))
}

/// Handles one message. Errors from extended-protocol messages switch to skip-until-Sync.
fn handle(
    session: &mut Session,
    message: FrontendMessage,
    sink: &mut WireSink<'_>,
    skip: &mut bool,
) -> Result<Next> {
    let extended = |r: Result<()>,
                    skip: &mut bool,
                    session: &mut Session,
                    sink: &mut WireSink<'_>|
     -> Result<()> {
        if let Err(e) = r {
            if e.severity != Severity::Error {
                return Err(e);
            }
            sink.out.error_response(&e);
            // PostgreSQL flushes every error at once, so a client waiting before Sync sees it.
            sink.flush();
            session.extended_error();
            *skip = true;
        }
        Ok(())
    };
    match message {
        FrontendMessage::Query(sql) => {
            if let Err(e) = session.simple_query(&sql, sink) {
                if e.severity != Severity::Error {
                    return Err(e);
                }
                sink.out.error_response(&e);
            }
            if session.copy_in_pending() {
                // CopyInResponse is out; ReadyForQuery waits for CopyDone or CopyFail.
                sink.flush();
                return Ok(Next::Continue);
            }
            finish_ready(session, sink)
        }
        FrontendMessage::CopyData(data) if session.copy_in_pending() => {
            session.copy_data(&data);
            Ok(Next::Continue)
        }
        FrontendMessage::CopyDone if session.copy_in_pending() => {
            if let Err(e) = session.copy_done(sink) {
                if e.severity != Severity::Error {
                    return Err(e);
                }
                sink.out.error_response(&e);
            }
            finish_ready(session, sink)
        }
        FrontendMessage::CopyFail(message) if session.copy_in_pending() => {
            let e = session.copy_fail(&message);
            sink.out.error_response(&e);
            finish_ready(session, sink)
        }
        FrontendMessage::Flush | FrontendMessage::Sync if session.copy_in_pending() => {
            // Ignored during COPY FROM STDIN, as PostgreSQL does.
            Ok(Next::Continue)
        }
        other if session.copy_in_pending() => {
            let e = session.copy_fail("unexpected message");
            let _ = e;
            sink.out.error_response(&tusk_types::pg_err!(
                PROTOCOL_VIOLATION,
                "unexpected message type 0x{:02X} during COPY from stdin",
                other.tag()
            ));
            finish_ready(session, sink)
        }
        FrontendMessage::Parse {
            name,
            query,
            param_types,
        } => {
            let r = session
                .parse_message(&name, &query, &param_types)
                .map(|_| sink.out.parse_complete());
            extended(r, skip, session, sink)?;
            Ok(Next::Continue)
        }
        FrontendMessage::Bind {
            portal,
            statement,
            param_formats,
            params,
            result_formats,
        } => {
            let r = session
                .bind_message(
                    &portal,
                    &statement,
                    &param_formats,
                    &params,
                    &result_formats,
                )
                .map(|_| sink.out.bind_complete());
            extended(r, skip, session, sink)?;
            Ok(Next::Continue)
        }
        FrontendMessage::Describe { kind, name } => {
            let r = match kind {
                DescribeKind::Statement => {
                    session.describe_statement(&name).map(|(params, columns)| {
                        sink.out.parameter_description(&params);
                        describe_columns(sink, columns);
                    })
                }
                DescribeKind::Portal => session
                    .describe_portal(&name)
                    .map(|columns| describe_columns(sink, columns)),
            };
            extended(r, skip, session, sink)?;
            Ok(Next::Continue)
        }
        FrontendMessage::Execute { portal, max_rows } => {
            let r = session
                .execute_message(&portal, max_rows, sink)
                .map(|outcome| {
                    if outcome == ExecuteOutcome::Suspended {
                        sink.out.portal_suspended();
                    }
                });
            extended(r, skip, session, sink)?;
            Ok(Next::Continue)
        }
        FrontendMessage::Close { kind, name } => {
            match kind {
                DescribeKind::Statement => session.close_statement(&name),
                DescribeKind::Portal => session.close_portal(&name),
            }
            sink.out.close_complete();
            Ok(Next::Continue)
        }
        FrontendMessage::Sync => {
            if let Err(e) = session.sync(*skip, sink) {
                sink.out.error_response(&e);
            }
            *skip = false;
            finish_ready(session, sink)
        }
        FrontendMessage::Flush => {
            if sink.out.write_to(sink.conn).is_err() {
                return Ok(Next::Close);
            }
            Ok(Next::Continue)
        }
        FrontendMessage::Terminate => Ok(Next::Close),
        // COPY messages outside COPY are ignored, as PostgreSQL does after a failed COPY.
        FrontendMessage::CopyData(_) | FrontendMessage::CopyDone | FrontendMessage::CopyFail(_) => {
            Ok(Next::Continue)
        }
        FrontendMessage::FunctionCall { .. } => {
            let r = Err(Error::feature_not_supported(
                "the fast-path function call interface",
            ));
            extended(r, skip, session, sink)?;
            Ok(Next::Continue)
        }
        FrontendMessage::PasswordMessage(_) => Err(Error::new(
            SqlState::PROTOCOL_VIOLATION,
            "invalid frontend message type 112",
        )
        .fatal()),
    }
}

fn describe_columns(sink: &mut WireSink<'_>, columns: Option<Vec<tusk_engine::ColumnDesc>>) {
    match columns {
        Some(cols) => {
            use tusk_engine::Sink as _;
            sink.row_description(&cols)
        }
        None => sink.out.no_data(),
    }
}

/// ReadyForQuery, preceded by the notifications waiting for an idle session (rule 4).
fn ready_for_query(session: &mut Session, out: &mut BackendWriter) {
    for n in session.take_notifications() {
        out.notification_response(n.pid, &n.channel, &n.payload);
    }
    out.ready_for_query(status(session));
}

/// Waits until the client's socket is readable, sending notifications that arrive
/// meanwhile to an idle, listening session (rule 4). Returns false when the client
/// can no longer be written to.
fn wait_for_input(
    session: &mut Session,
    client: &Conn,
    out: &mut BackendWriter,
    conn: &mut Conn,
) -> bool {
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
    use std::os::fd::AsFd;
    loop {
        if !session.is_idle() {
            return true;
        }
        let Some(waker) = session.notification_waker() else {
            return true;
        };
        let (client_ready, woken) = {
            let mut fds = [
                PollFd::new(client.as_fd(), PollFlags::POLLIN),
                PollFd::new(waker.as_fd(), PollFlags::POLLIN),
            ];
            match poll(&mut fds, PollTimeout::NONE) {
                Ok(_) => {}
                Err(nix::errno::Errno::EINTR) => continue,
                Err(_) => return true,
            }
            let ready = |fd: &PollFd| fd.revents().is_some_and(|r| !r.is_empty());
            (ready(&fds[0]), ready(&fds[1]))
        };
        if woken {
            for n in session.take_notifications() {
                out.notification_response(n.pid, &n.channel, &n.payload);
            }
            if out.write_to(conn).is_err() {
                return false;
            }
        }
        if client_ready {
            return true;
        }
    }
}

fn finish_ready(session: &mut Session, sink: &mut WireSink<'_>) -> Result<Next> {
    ready_for_query(session, sink.out);
    if sink.out.write_to(sink.conn).is_err() {
        return Ok(Next::Close);
    }
    Ok(Next::Continue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_options_parse_like_postgres() {
        let s = parse_options("-c work_mem=8MB --search-path=a\\ b -cstatement_timeout=5")
            .expect("options");
        assert_eq!(
            s,
            vec![
                ("work_mem".into(), "8MB".into()),
                ("search_path".into(), "a b".into()),
                ("statement_timeout".into(), "5".into())
            ]
        );
        assert!(parse_options("-d 5").is_err());
    }
}
