//! Fuzzes the client-side decoder of backend messages: errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tusk_protocol::{read_backend_message, ProtocolError};

fuzz_target!(|data: &[u8]| {
    let mut r = data;
    loop {
        match read_backend_message(&mut r) {
            Ok(Some(_)) => {}
            Err(e @ ProtocolError::Violation(_)) if !e.is_fatal() => {}
            Ok(None) | Err(_) => break,
        }
    }
});
