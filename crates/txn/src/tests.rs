//! Crate-level tests: commit-log persistence, crash recovery through the fault VFS, and a
//! property test of MVCC visibility against a naive model.

mod clog_crash;
mod visibility_model;
