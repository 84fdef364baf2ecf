//! Extended-protocol corner cases at the byte level, with PostgreSQL 15's answers: portals
//! executed again after completion, result-format counts and codes, parameter counts,
//! parameter type inference, and the empty statement.

mod common;

use std::io::Write;
use std::net::TcpStream;

use common::raw::{message, read_until_ready, started_session, Reply};
use common::TestServer;

fn cstr(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

fn parse(name: &str, sql: &str) -> Vec<u8> {
    let mut body = cstr(name);
    body.extend(cstr(sql));
    body.extend(0u16.to_be_bytes());
    message(b'P', &body)
}

fn bind(statement: &str, params: &[&str], result_formats: &[i16]) -> Vec<u8> {
    let mut body = cstr("");
    body.extend(cstr(statement));
    body.extend(0u16.to_be_bytes());
    body.extend((params.len() as u16).to_be_bytes());
    for p in params {
        body.extend((p.len() as i32).to_be_bytes());
        body.extend(p.as_bytes());
    }
    body.extend((result_formats.len() as u16).to_be_bytes());
    for f in result_formats {
        body.extend(f.to_be_bytes());
    }
    message(b'B', &body)
}

fn execute() -> Vec<u8> {
    let mut body = cstr("");
    body.extend(0i32.to_be_bytes());
    message(b'E', &body)
}

fn describe_statement(name: &str) -> Vec<u8> {
    let mut body = vec![b'S'];
    body.extend(cstr(name));
    message(b'D', &body)
}

fn sync() -> Vec<u8> {
    message(b'S', b"")
}

/// Sends the messages and reads everything up to ReadyForQuery; returns a compact
/// transcript: type bytes, with `C(tag)` for CommandComplete and `E(code message)`.
fn exchange(session: &mut TcpStream, messages: &[Vec<u8>]) -> Vec<String> {
    session
        .write_all(&messages.concat())
        .expect("send messages");
    read_until_ready(session)
        .iter()
        .map(|r: &Reply| match r.tag {
            b'C' => format!(
                "C({})",
                String::from_utf8_lossy(&r.body[..r.body.len() - 1])
            ),
            b'E' => format!(
                "E({} {})",
                r.field(b'C').unwrap_or_default(),
                r.field(b'M').unwrap_or_default()
            ),
            b'Z' => format!("Z{}", r.body[0] as char),
            b't' => {
                let n = u16::from_be_bytes([r.body[0], r.body[1]]) as usize;
                let oids: Vec<String> = (0..n)
                    .map(|i| {
                        let at = 2 + 4 * i;
                        u32::from_be_bytes([
                            r.body[at],
                            r.body[at + 1],
                            r.body[at + 2],
                            r.body[at + 3],
                        ])
                        .to_string()
                    })
                    .collect();
                format!("t[{}]", oids.join(","))
            }
            other => (other as char).to_string(),
        })
        .collect()
}

#[test]
fn completed_portal_executed_again() {
    let server = TestServer::start();
    let mut session = started_session(&server);
    // A query portal stays at its end: no more rows, "SELECT 0".
    assert_eq!(
        exchange(
            &mut session,
            &[
                parse("", "SELECT g FROM generate_series(1, 3) g"),
                bind("", &[], &[]),
                execute(),
                execute(),
                sync()
            ]
        ),
        ["1", "2", "D", "D", "D", "C(SELECT 3)", "C(SELECT 0)", "ZI"]
    );
    // Any other statement cannot run twice.
    assert_eq!(
        exchange(
            &mut session,
            &[
                parse("", "SET work_mem = 1000"),
                bind("", &[], &[]),
                execute(),
                execute(),
                sync()
            ]
        ),
        [
            "1",
            "2",
            "C(SET)",
            "E(55000 portal \"\" cannot be run)",
            "ZI"
        ]
    );
}

#[test]
fn result_formats_are_checked() {
    let server = TestServer::start();
    let mut session = started_session(&server);
    assert_eq!(
        exchange(
            &mut session,
            &[parse("", "SELECT 1, 2"), bind("", &[], &[1, 0, 1]), sync()]
        ),
        [
            "1",
            "E(08P01 bind message has 3 result formats but query has 2 columns)",
            "ZI"
        ]
    );
    // A statement without result columns takes any number of formats.
    assert_eq!(
        exchange(
            &mut session,
            &[
                parse("", "SET work_mem = 64"),
                bind("", &[], &[1, 0, 1]),
                sync()
            ]
        ),
        ["1", "2", "ZI"]
    );
    assert_eq!(
        exchange(
            &mut session,
            &[
                parse("", "SELECT 1"),
                bind("", &[], &[2]),
                execute(),
                sync()
            ]
        ),
        ["1", "2", "E(22023 unsupported format code: 2)", "ZI"]
    );
}

#[test]
fn parameters_are_counted_and_typed() {
    let server = TestServer::start();
    let mut session = started_session(&server);
    assert_eq!(
        exchange(
            &mut session,
            &[
                parse("x", "SELECT $1::int"),
                bind("x", &["1", "2"], &[]),
                sync()
            ]
        ),
        [
            "1",
            "E(08P01 bind message supplies 2 parameters, but prepared statement \"x\" requires 1)",
            "ZI"
        ]
    );
    // An unknown-type parameter is text; others follow their context.
    assert_eq!(
        exchange(
            &mut session,
            &[
                parse("", "SELECT $1, $2::int8, $3 + 1"),
                describe_statement(""),
                sync()
            ]
        ),
        ["1", "t[25,20,23]", "T", "ZI"]
    );
    assert_eq!(
        exchange(
            &mut session,
            &[parse("", ""), bind("", &[], &[]), execute(), sync()]
        ),
        ["1", "2", "I", "ZI"]
    );
    // The session is in step after all of that.
    assert_eq!(
        common::raw::query_first_column(&mut session, "SELECT 'ok'"),
        ["ok"]
    );
}
