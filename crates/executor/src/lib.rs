//! tusk-executor (see Cargo.toml description).
