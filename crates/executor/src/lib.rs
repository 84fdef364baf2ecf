//! The executor: evaluates analysed queries ([`tusk_sql::analyze::Query`]) into rows, with
//! PostgreSQL's built-in functions and operators and the types' text and binary I/O.
//!
//! Entry points: [`run_query`] (rows of a query through a callback), [`run_modify`]
//! (INSERT, UPDATE, DELETE through [`TableAccess`]), [`ExprEvaluator`]
//! (compile once, evaluate per row), [`io`] (type input/output), [`BuiltinLookup`] (the
//! analyzer's view of the built-in catalog).
//!
//! See also: [`builtins`] for the function table keyed by `pg_proc.prosrc`.

mod array_eval;
pub mod builtins;
mod context;
pub mod deparse;
mod eval;
pub mod explain;
#[cfg(test)]
mod explain_tests;
pub mod index;
mod index_path;
pub mod io;
mod join_plan;
mod lookup;
mod modify;
#[cfg(test)]
mod modify_tests;
mod modifying_cte;
mod operator;
pub mod plan;
mod plan_lock;
pub mod publication;
mod query;
pub mod sql_function;
mod subquery;
pub mod trigger;
pub mod user_types;

pub use context::{
    CatalogNames, CatalogNamesRef, EvalContext, MemTables, ModifyResult, NoTables, NoticeLevel,
    OutputSettings, RowIter, RowLockResult, SessionContext, SpeculativeInsert, TableAccess,
    WalPosition,
};
pub use eval::ExprEvaluator;
pub use index::{IndexColumnInfo, IndexInfo, IndexScanKey, IndexStrategy, ScanDirection};
pub use index_path::{is_index_expression, predicate_implied};
pub use lookup::BuiltinLookup;
pub use modify::{fire_statement_triggers, run_copy_batch, run_copy_row, run_modify};
pub use modifying_cte::ModifyingCtes;
pub use operator::instrument::{NodeCounters, PlanInstrumentation};
pub use plan::{plan_query, Plan};
pub use query::{run_plan, run_plan_analyzed, run_query, AnalyzedRows};
