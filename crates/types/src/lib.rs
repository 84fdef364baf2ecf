//! Vocabulary shared by every tusk layer: identifiers (`Oid`, `Xid`, `Lsn`, `BlockNumber`,
//! `ItemPointer`), SQLSTATE codes and the one [`Error`] type, and the built-in type OIDs.
//!
//! This crate depends on nothing else in tusk; everything else depends on it.
//!
//! See also: the "Errors" section of `ARCHITECTURE.md` for how errors reach the client.

pub mod adt;
mod buffer_usage;
mod datum;
mod error;
mod ids;
mod sqlstate;
pub mod type_oid;

pub use buffer_usage::BufferUsage;
pub use datum::Datum;
pub use error::{Error, ErrorKind, Result, Severity};
pub use ids::{BlockNumber, ForkNumber, ItemPointer, Lsn, OffsetNumber, Oid, RelFileLocator, Xid};
pub use sqlstate::SqlState;
