//! Fuzzes what a client can send: one startup packet, then typed messages until the input
//! ends or the stream is out of step. Decoding must return errors, never panic, and a decoded
//! message must re-encode to bytes that decode to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tusk_protocol::{
    encode_frontend, encode_startup, read_message, read_startup, FrontendMessage, ProtocolError,
    StartupRequest,
};

fuzz_target!(|data: &[u8]| {
    let mut r = data;
    if let Ok(req) = read_startup(&mut r) {
        let mut buf = Vec::new();
        encode_startup(&req, &mut buf);
        let again: StartupRequest =
            read_startup(&mut &buf[..]).expect("re-encoded startup decodes");
        assert_eq!(again, req);
    }
    loop {
        match read_message(&mut r) {
            Ok(Some(msg)) => check_round_trip(&msg),
            Ok(None) => break,
            Err(e @ ProtocolError::Violation(_)) if !e.is_fatal() => continue,
            Err(_) => break,
        }
    }
});

fn check_round_trip(msg: &FrontendMessage) {
    // Terminate ignores its body, so its encoding need not match the input; it still must
    // decode to itself.
    let mut buf = Vec::new();
    encode_frontend(msg, &mut buf);
    let again = read_message(&mut &buf[..])
        .expect("re-encoded message decodes")
        .expect("re-encoded message is not empty");
    assert_eq!(&again, msg);
}
