//! Hostile and broken clients: random bytes, half messages, oversized length words and
//! messages out of order must end (at most) the offending connection, never the server,
//! and never panic a thread. A well-behaved client is served correctly afterwards.

mod common;

use std::io::Write;
use std::net::Shutdown;

use common::raw::{
    connect, message, query_first_column, read_to_close, read_until_ready, started_session,
    startup_packet,
};
use common::TestServer;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The server is alive, has panicked no thread, and answers a well-behaved client.
fn assert_healthy(server: &mut TestServer) {
    assert!(server.is_alive(), "server exited; log:\n{}", server.log());
    let mut session = started_session(server);
    assert_eq!(
        query_first_column(&mut session, "SELECT 6 * 7"),
        ["42"],
        "log:\n{}",
        server.log()
    );
    let log = server.log();
    assert!(!log.contains("panicked"), "a thread panicked; log:\n{log}");
}

/// Type bytes of every frontend message, so random messages reach each decoder.
const FRONTEND_TAGS: &[u8] = b"QPBDECSHXFdcfp";

fn random_string(rng: &mut StdRng) -> Vec<u8> {
    let size = rng.gen_range(0..=200);
    let random_body = |rng: &mut StdRng| (0..size).map(|_| rng.gen::<u8>()).collect::<Vec<u8>>();
    match rng.gen_range(0..4) {
        // Pure noise.
        0 => random_body(rng),
        // A known type byte with a correct length word and a random body.
        1 => {
            let tag = FRONTEND_TAGS[rng.gen_range(0..FRONTEND_TAGS.len())];
            message(tag, &random_body(rng))
        }
        // A known type byte with a random length word.
        2 => {
            let tag = FRONTEND_TAGS[rng.gen_range(0..FRONTEND_TAGS.len())];
            let mut m = vec![tag];
            m.extend_from_slice(&rng.gen::<u32>().to_be_bytes());
            m.extend_from_slice(&random_body(rng));
            m
        }
        // A plausible body: NUL-separated fragments of protocol-ish content.
        _ => {
            let tag = FRONTEND_TAGS[rng.gen_range(0..FRONTEND_TAGS.len())];
            let mut body = Vec::new();
            for _ in 0..rng.gen_range(0..6) {
                match rng.gen_range(0..4) {
                    0 => body.extend_from_slice(b"SELECT 1\0"),
                    1 => body.push(0),
                    2 => body.extend_from_slice(&rng.gen_range(-2i16..4).to_be_bytes()),
                    _ => body.extend_from_slice(&rng.gen_range(-2i32..64).to_be_bytes()),
                }
            }
            message(tag, &body)
        }
    }
}

#[test]
fn random_bytes_never_hurt_the_server() {
    let mut server = TestServer::start();
    let mut rng = StdRng::seed_from_u64(0x7475_736b);
    let mut sent = 0;
    while sent < 10_000 {
        let mut stream = connect(&server);
        if rng.gen_bool(0.5) {
            // Reach the message decoder: a valid startup first.
            let _ = stream.write_all(&startup_packet());
        }
        // Several strings on one connection (reused), or just one (fresh).
        let per_connection = if rng.gen_bool(0.5) {
            1
        } else {
            rng.gen_range(2..=10)
        };
        for _ in 0..per_connection {
            let bytes = random_string(&mut rng);
            // The server may already have closed the connection: that is fine.
            let _ = stream.write_all(&bytes);
            sent += 1;
        }
        let _ = stream.shutdown(Shutdown::Both);
    }
    assert_healthy(&mut server);
}

#[test]
fn half_message_then_vanishing_client() {
    let mut server = TestServer::start();
    let mut session = started_session(&server);
    let mut half = message(b'Q', b"SELECT 1\0");
    half.truncate(7);
    session.write_all(&half).expect("send half a message");
    drop(session);
    // Half a startup packet too.
    let mut stream = connect(&server);
    stream
        .write_all(&startup_packet()[..10])
        .expect("send half a startup packet");
    drop(stream);
    assert_healthy(&mut server);
}

#[test]
fn oversized_length_word_ends_only_that_connection() {
    let mut server = TestServer::start();
    let mut session = started_session(&server);
    session
        .write_all(b"Q\x7f\xff\xff\xffSELECT 1")
        .expect("send oversized length word");
    // PostgreSQL closes the connection (sending nothing); tusk may say why first.
    for reply in read_to_close(&mut session) {
        assert_eq!(reply.tag, b'E', "unexpected {reply:?}");
        assert_eq!(reply.field(b'C').as_deref(), Some("08P01"));
        assert_eq!(reply.field(b'S').as_deref(), Some("FATAL"));
    }
    let mut session = started_session(&server);
    session
        .write_all(b"Q\x00\x00\x00\x02")
        .expect("send length word below 4");
    for reply in read_to_close(&mut session) {
        assert_eq!(reply.field(b'C').as_deref(), Some("08P01"));
    }
    assert_healthy(&mut server);
}

#[test]
fn wrong_message_type_before_startup_completes() {
    let mut server = TestServer::start();
    // A Query where the startup packet belongs: its type byte and length word read as an
    // absurd packet length. PostgreSQL closes the connection.
    let mut stream = connect(&server);
    stream
        .write_all(&message(b'Q', b"SELECT 1\0"))
        .expect("send Query before startup");
    for reply in read_to_close(&mut stream) {
        assert_eq!(reply.tag, b'E', "unexpected {reply:?}");
        assert_eq!(reply.field(b'C').as_deref(), Some("08P01"));
    }
    // An unsupported protocol version: FATAL 0A000, as PostgreSQL says it.
    let mut stream = connect(&server);
    stream
        .write_all(&[0, 0, 0, 8, 0x12, 0x34, 0x56, 0x78])
        .expect("send bad protocol version");
    let replies = read_to_close(&mut stream);
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0].field(b'C').as_deref(), Some("0A000"));
    assert_eq!(
        replies[0].field(b'M').as_deref(),
        Some("unsupported frontend protocol 4660.22136: server supports 3.0 to 3.0")
    );
    // A password message with no authentication request outstanding: FATAL 08P01.
    let mut session = started_session(&server);
    session
        .write_all(&message(b'p', b"secret\0"))
        .expect("send PasswordMessage");
    let replies = read_to_close(&mut session);
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(
        replies[0].field(b'M').as_deref(),
        Some("invalid frontend message type 112")
    );
    // An unknown message type after startup: FATAL 08P01.
    let mut session = started_session(&server);
    session
        .write_all(&message(1, b""))
        .expect("send unknown message type");
    let replies = read_to_close(&mut session);
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0].field(b'S').as_deref(), Some("FATAL"));
    assert_eq!(
        replies[0].field(b'M').as_deref(),
        Some("invalid frontend message type 1")
    );
    assert_healthy(&mut server);
}

#[test]
fn malformed_query_is_an_error_and_the_session_goes_on() {
    let mut server = TestServer::start();
    let mut session = started_session(&server);
    // A Query whose string lacks its terminating NUL: PostgreSQL answers ERROR 08P01 and
    // ReadyForQuery, and the session continues.
    session
        .write_all(&message(b'Q', b"abcd"))
        .expect("send malformed Query");
    let replies = read_until_ready(&mut session);
    let tags: Vec<u8> = replies.iter().map(|r| r.tag).collect();
    assert_eq!(tags, b"EZ", "{replies:?}");
    assert_eq!(replies[0].field(b'S').as_deref(), Some("ERROR"));
    assert_eq!(replies[0].field(b'C').as_deref(), Some("08P01"));
    assert_eq!(
        query_first_column(&mut session, "SELECT 'still here'"),
        ["still here"]
    );
    // A malformed Bind: the error, then nothing until Sync.
    session
        .write_all(&message(b'B', b"\0\0\xff\xff"))
        .expect("send malformed Bind");
    session.write_all(&message(b'S', b"")).expect("send Sync");
    let replies = read_until_ready(&mut session);
    let tags: Vec<u8> = replies.iter().map(|r| r.tag).collect();
    assert_eq!(tags, b"EZ", "{replies:?}");
    assert_eq!(query_first_column(&mut session, "SELECT 2"), ["2"]);
    assert_healthy(&mut server);
}
