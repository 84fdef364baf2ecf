//! tusk-protocol (see Cargo.toml description).
