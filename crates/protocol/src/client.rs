//! A small blocking PostgreSQL client for tests and tools: connect (trust or cleartext
//! password authentication), run simple queries, send and read single messages.
//!
//! Entry points: [`TestClient::connect`], [`TestClient::simple_query`], [`TestClient::send`],
//! [`TestClient::read`].

use std::io::{BufReader, BufWriter, Write};
use std::net::{TcpStream, ToSocketAddrs};

use crate::{
    encode_frontend, encode_startup, read_backend_message, Authentication, BackendMessage,
    FrontendMessage, ProtocolError, StartupRequest, PROTOCOL_VERSION_3_0,
};

/// A blocking connection speaking protocol 3.0.
pub struct TestClient {
    reader: BufReader<TcpStream>,
    writer: BufWriter<TcpStream>,
    /// Messages the server sent during startup (ParameterStatus, BackendKeyData, notices, and
    /// the final ReadyForQuery).
    pub startup_messages: Vec<BackendMessage>,
}

impl TestClient {
    /// Connects and completes startup with trust authentication; see
    /// [`TestClient::connect_with`].
    pub fn connect(
        addr: impl ToSocketAddrs,
        user: &str,
        database: &str,
    ) -> Result<TestClient, ProtocolError> {
        TestClient::connect_with(addr, &[("user", user), ("database", database)], None)
    }

    /// Connects, sends a StartupMessage with `params`, answers a cleartext password request
    /// with `password`, and reads up to the first ReadyForQuery.
    ///
    /// Errors: I/O failures; an ErrorResponse during startup becomes
    /// [`ProtocolError::Violation`] with the server's error; authentication methods other
    /// than trust and cleartext are 0A000.
    pub fn connect_with(
        addr: impl ToSocketAddrs,
        params: &[(&str, &str)],
        password: Option<&str>,
    ) -> Result<TestClient, ProtocolError> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        let mut client = TestClient {
            reader: BufReader::new(stream.try_clone()?),
            writer: BufWriter::new(stream),
            startup_messages: Vec::new(),
        };
        let mut buf = Vec::new();
        encode_startup(
            &StartupRequest::Startup {
                protocol_version: PROTOCOL_VERSION_3_0,
                params: params
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
            },
            &mut buf,
        );
        client.writer.write_all(&buf)?;
        client.writer.flush()?;
        loop {
            let msg = client.read()?;
            match &msg {
                BackendMessage::Authentication(Authentication::Ok) => continue,
                BackendMessage::Authentication(Authentication::CleartextPassword) => {
                    let mut body = password.unwrap_or("").as_bytes().to_vec();
                    body.push(0);
                    client.send(&FrontendMessage::PasswordMessage(body))?;
                    continue;
                }
                BackendMessage::Authentication(other) => {
                    return Err(ProtocolError::Violation(
                        tusk_types::Error::feature_not_supported(format!(
                            "authentication request {other:?} in the test client"
                        )),
                    ))
                }
                BackendMessage::ErrorResponse(fields) => {
                    return Err(ProtocolError::Violation(fields.to_error()))
                }
                BackendMessage::ReadyForQuery(_) => {
                    client.startup_messages.push(msg);
                    return Ok(client);
                }
                _ => client.startup_messages.push(msg),
            }
        }
    }

    /// Sends one message and flushes.
    pub fn send(&mut self, msg: &FrontendMessage) -> Result<(), ProtocolError> {
        self.send_many(std::slice::from_ref(msg))
    }

    /// Sends several messages in one write (e.g. Parse, Bind, Execute, Sync).
    pub fn send_many(&mut self, msgs: &[FrontendMessage]) -> Result<(), ProtocolError> {
        let mut buf = Vec::new();
        for m in msgs {
            encode_frontend(m, &mut buf);
        }
        self.writer.write_all(&buf)?;
        self.writer.flush()?;
        Ok(())
    }

    /// Reads the next message; the server closing the connection is [`ProtocolError::Eof`].
    pub fn read(&mut self) -> Result<BackendMessage, ProtocolError> {
        read_backend_message(&mut self.reader)?.ok_or(ProtocolError::Eof)
    }

    /// Reads messages up to and including the next ReadyForQuery.
    pub fn read_until_ready(&mut self) -> Result<Vec<BackendMessage>, ProtocolError> {
        let mut out = Vec::new();
        loop {
            let msg = self.read()?;
            let done = matches!(msg, BackendMessage::ReadyForQuery(_));
            out.push(msg);
            if done {
                return Ok(out);
            }
        }
    }

    /// Sends a Query and returns every message up to and including ReadyForQuery.
    pub fn simple_query(&mut self, sql: &str) -> Result<Vec<BackendMessage>, ProtocolError> {
        self.send(&FrontendMessage::Query(sql.to_owned()))?;
        self.read_until_ready()
    }

    /// Sends Terminate and closes the connection.
    pub fn terminate(mut self) -> Result<(), ProtocolError> {
        self.send(&FrontendMessage::Terminate)
    }
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;
    use std::net::TcpListener;

    use super::*;
    use crate::{read_message, read_startup, BackendWriter, TransactionStatus};

    /// A one-connection server speaking just enough protocol: trust auth, one canned result.
    fn serve_once(listener: TcpListener) -> Vec<FrontendMessage> {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut writer = stream;
        let mut out = BackendWriter::new();
        let startup = read_startup(&mut reader).expect("startup");
        let StartupRequest::Startup { params, .. } = startup else {
            panic!("expected StartupMessage, got {startup:?}");
        };
        assert_eq!(
            params,
            vec![
                ("user".to_string(), "u".to_string()),
                ("database".to_string(), "d".to_string())
            ]
        );
        out.auth_ok();
        out.parameter_status("server_version", "15.0");
        out.backend_key_data(1, 2);
        out.ready_for_query(TransactionStatus::Idle);
        out.write_to(&mut writer).expect("write");
        let mut received = Vec::new();
        while let Some(msg) = read_message(&mut reader).expect("message") {
            if let FrontendMessage::Query(_) = &msg {
                out.begin_data_row(1);
                out.push_value(b"1");
                out.end_data_row();
                out.command_complete("SELECT 1");
                out.ready_for_query(TransactionStatus::Idle);
                out.write_to(&mut writer).expect("write");
            }
            let done = msg == FrontendMessage::Terminate;
            received.push(msg);
            if done {
                break;
            }
        }
        received
    }

    #[test]
    fn connects_queries_and_terminates() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = std::thread::spawn(move || serve_once(listener));
        let mut client = TestClient::connect(addr, "u", "d").expect("connect");
        assert_eq!(client.startup_messages.len(), 3);
        let got = client.simple_query("SELECT 1").expect("query");
        assert_eq!(
            got,
            vec![
                BackendMessage::DataRow(vec![Some(b"1".to_vec())]),
                BackendMessage::CommandComplete("SELECT 1".into()),
                BackendMessage::ReadyForQuery(TransactionStatus::Idle),
            ]
        );
        client.terminate().expect("terminate");
        let received = server.join().expect("server thread");
        assert_eq!(
            received,
            vec![
                FrontendMessage::Query("SELECT 1".into()),
                FrontendMessage::Terminate
            ]
        );
    }
}
