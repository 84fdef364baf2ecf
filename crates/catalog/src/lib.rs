//! System catalogs.
//!
//! Today this crate holds the built-in catalog rows of PostgreSQL 15 (`pg_type`, `pg_proc`,
//! `pg_operator`, `pg_cast`, ...) as data tables generated from a fresh PostgreSQL 15 cluster
//! (`data/generate.sh`), loaded once per process into [`BuiltinCatalog`]. The facts there (OIDs,
//! names, signatures) are what drivers and the analyzer key on. Catalog relations stored in
//! the heap, with caches and invalidation, will be bootstrapped from the same tables.
//!
//! Entry points: [`builtin()`], [`BuiltinCatalog::types_by_name`], [`BuiltinCatalog::procs_by_name`],
//! [`BuiltinCatalog::operators_by_name`], [`BuiltinCatalog::cast`].

mod builtin;
pub mod extension;
pub mod rows;
pub mod syscat;
pub mod text_search;
mod tsv;

pub use builtin::{
    builtin, BuiltinCatalog, CastContext, CastMethod, CastRow, OperatorKind, OperatorRow, ProcRow,
    TypeRow, Volatility,
};
