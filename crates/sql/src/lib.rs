//! The SQL front end: PostgreSQL's grammar (through pg_query) converted into tusk's
//! [`ast`], then analysed into typed expressions and plans ([`analyze`]).
//!
//! Entry points: [`parse`] (text to statements), [`analyze::Analyzer`] (statements to
//! typed queries, reading the catalog through [`analyze::CatalogLookup`]).

pub mod analyze;
pub mod ast;
pub mod ast_alter_object;
pub mod ast_cast;
pub mod ast_database;
pub mod ast_ddl;
pub mod ast_extension;
pub mod ast_foreign;
pub mod ast_function;
pub mod ast_grant;
pub mod ast_lock;
pub mod ast_opclass;
pub mod ast_partition;
pub mod ast_policy;
pub mod ast_publication;
pub mod ast_role;
pub mod ast_trigger;
pub mod ast_type;
pub mod ast_view;
mod convert;
mod convert_alter;
mod convert_alter_object;
mod convert_cast;
mod convert_database;
mod convert_ddl;
mod convert_dml;
mod convert_explain;
mod convert_extension;
mod convert_foreign;
mod convert_function;
mod convert_grant;
mod convert_lock;
mod convert_opclass;
mod convert_partition;
mod convert_policy;
mod convert_publication;
mod convert_role;
mod convert_trigger;
mod convert_type;
mod convert_view;
pub mod depth;
pub use convert_function::check_plpgsql_body;
mod ident;
pub mod keywords;
mod parse_cache;
mod parser;
pub mod view_query;

pub use convert_alter::rename_column_references;
pub use ident::{quote_identifier, split_qualified_name};
pub use parse_cache::ParseCache;
pub use parser::{
    char_position, fingerprint_normalized, parse, parse_expr, parse_with_stack_limit,
    split_expr_list,
};
