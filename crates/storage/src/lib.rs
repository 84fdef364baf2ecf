//! tusk-storage (see Cargo.toml description).
