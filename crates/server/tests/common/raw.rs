//! Raw protocol access for tests that need exact bytes: startup packets, frontend
//! messages, and backend messages read one at a time with a bound on every read.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::TestServer;

/// Bound on any single read from the server (generous; a loaded machine may be slow).
pub const READ_BOUND: Duration = Duration::from_secs(30);

/// A StartupMessage for protocol 3.0, user and database `postgres`.
pub fn startup_packet() -> Vec<u8> {
    let mut body = 196_608u32.to_be_bytes().to_vec();
    body.extend_from_slice(b"user\0postgres\0database\0postgres\0\0");
    let mut packet = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    packet.extend_from_slice(&body);
    packet
}

/// A frontend message with its type byte and length word.
pub fn message(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![tag];
    m.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
    m.extend_from_slice(body);
    m
}

/// A backend message: type byte and body.
#[derive(Debug)]
pub struct Reply {
    /// Message type byte.
    pub tag: u8,
    /// Body after the length word.
    pub body: Vec<u8>,
}

impl Reply {
    /// An ErrorResponse's field of the given code (`C` SQLSTATE, `M` message, `S` severity).
    pub fn field(&self, code: u8) -> Option<String> {
        let mut rest = &self.body[..];
        while let Some((&c, after)) = rest.split_first() {
            if c == 0 {
                break;
            }
            let end = after.iter().position(|&b| b == 0)?;
            if c == code {
                return Some(String::from_utf8_lossy(&after[..end]).into_owned());
            }
            rest = &after[end + 1..];
        }
        None
    }
}

pub fn connect(server: &TestServer) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(READ_BOUND))
        .expect("set read timeout");
    stream
}

/// Reads one backend message; `None` at end of stream.
pub fn read_reply(stream: &mut TcpStream) -> Option<Reply> {
    let mut head = [0u8; 5];
    match stream.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return None,
        Err(e) => panic!("read from server failed: {e}"),
    }
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    assert!(len >= 4, "bad length word from server: {len}");
    let mut body = vec![0u8; len - 4];
    stream.read_exact(&mut body).expect("message body");
    Some(Reply { tag: head[0], body })
}

/// Reads messages up to and including ReadyForQuery (or end of stream).
pub fn read_until_ready(stream: &mut TcpStream) -> Vec<Reply> {
    let mut replies = Vec::new();
    while let Some(r) = read_reply(stream) {
        let done = r.tag == b'Z';
        replies.push(r);
        if done {
            break;
        }
    }
    replies
}

/// A session past startup (AuthenticationOk ... ReadyForQuery).
pub fn started_session(server: &TestServer) -> TcpStream {
    let mut stream = connect(server);
    stream.write_all(&startup_packet()).expect("send startup");
    let replies = read_until_ready(&mut stream);
    assert_eq!(
        replies.last().map(|r| r.tag),
        Some(b'Z'),
        "startup failed: {replies:?}"
    );
    stream
}

/// Runs a simple query on a raw session; returns the first column of each DataRow.
pub fn query_first_column(stream: &mut TcpStream, sql: &str) -> Vec<String> {
    let mut body = sql.as_bytes().to_vec();
    body.push(0);
    stream.write_all(&message(b'Q', &body)).expect("send Query");
    read_until_ready(stream)
        .iter()
        .filter(|r| r.tag == b'D')
        .map(|r| {
            let len = i32::from_be_bytes([r.body[2], r.body[3], r.body[4], r.body[5]]);
            String::from_utf8_lossy(&r.body[6..6 + len as usize]).into_owned()
        })
        .collect()
}

/// Reads until the server closes the connection; returns what it sent.
pub fn read_to_close(stream: &mut TcpStream) -> Vec<Reply> {
    let mut replies = Vec::new();
    while let Some(r) = read_reply(stream) {
        replies.push(r);
    }
    replies
}

fn cstr(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

/// Parse + Bind (parameters binary, results in `format`) + Execute + Sync on the unnamed
/// statement; returns the first DataRow's fields.
pub fn binary_round_trip(
    stream: &mut std::net::TcpStream,
    sql: &str,
    types: &[u32],
    params: &[Vec<u8>],
    format: i16,
) -> Vec<Vec<u8>> {
    let mut parse = cstr("");
    parse.extend(cstr(sql));
    parse.extend((types.len() as u16).to_be_bytes());
    for t in types {
        parse.extend(t.to_be_bytes());
    }
    let mut bind = cstr("");
    bind.extend(cstr(""));
    bind.extend(1u16.to_be_bytes());
    bind.extend(1i16.to_be_bytes());
    bind.extend((params.len() as u16).to_be_bytes());
    for p in params {
        bind.extend((p.len() as i32).to_be_bytes());
        bind.extend(p);
    }
    bind.extend(1u16.to_be_bytes());
    bind.extend(format.to_be_bytes());
    let mut execute = cstr("");
    execute.extend(0i32.to_be_bytes());
    let messages = [
        message(b'P', &parse),
        message(b'B', &bind),
        message(b'E', &execute),
        message(b'S', b""),
    ];
    stream.write_all(&messages.concat()).expect("send");
    let replies = read_until_ready(stream);
    let row = replies
        .iter()
        .find(|r| r.tag == b'D')
        .unwrap_or_else(|| panic!("no row: {replies:?}"));
    let n = u16::from_be_bytes([row.body[0], row.body[1]]) as usize;
    let mut at = 2;
    (0..n)
        .map(|_| {
            let len = i32::from_be_bytes(row.body[at..at + 4].try_into().expect("4 bytes"));
            at += 4;
            let field = row.body[at..at + len as usize].to_vec();
            at += len as usize;
            field
        })
        .collect()
}
