//! tusk-io (see Cargo.toml description).
