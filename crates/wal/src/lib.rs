//! tusk-wal (see Cargo.toml description).
