//! tusk-sql (see Cargo.toml description).
