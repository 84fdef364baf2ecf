//! Syntax tree of the schema and view statements: `CREATE SCHEMA` (with its embedded
//! elements), `ALTER SCHEMA ... RENAME TO`, and `CREATE [OR REPLACE] VIEW`.
//!
//! A view's query is kept as SQL text normalised by PostgreSQL's own deparser (what
//! `pg_rewrite.ev_action` stores, see `view_query.rs`); DROP SCHEMA and DROP VIEW are
//! [`crate::ast_ddl::DropStmt`]s.

use crate::ast::{RangeVar, Statement};

/// `CREATE SCHEMA [IF NOT EXISTS] [name] [AUTHORIZATION role] [element ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateSchemaStmt {
    /// The schema name (`None`: the role's name, as `CREATE SCHEMA AUTHORIZATION role`).
    pub name: Option<String>,
    /// `AUTHORIZATION role`: the owner (`None`: the current user). `CURRENT_USER`,
    /// `SESSION_USER` and `CURRENT_ROLE` arrive as their names in upper case.
    pub authorization: Option<String>,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// Embedded `CREATE TABLE`, `CREATE VIEW`, `CREATE INDEX`, `CREATE SEQUENCE`
    /// statements, in order (other elements are [`Statement::Unsupported`]).
    pub elements: Vec<Statement>,
}

/// `ALTER SCHEMA name RENAME TO new_name`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenameSchemaStmt {
    /// The schema.
    pub name: String,
    /// Its new name.
    pub new_name: String,
}

/// `WITH [CASCADED | LOCAL] CHECK OPTION` of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewCheckOption {
    /// No check option.
    None,
    /// `WITH LOCAL CHECK OPTION`.
    Local,
    /// `WITH [CASCADED] CHECK OPTION`.
    Cascaded,
}

/// `CREATE [OR REPLACE] VIEW name [(columns)] [WITH (options)] AS query [WITH CHECK OPTION]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateViewStmt {
    /// The view.
    pub relation: RangeVar,
    /// Column names given (they rename the query's first columns).
    pub columns: Vec<String>,
    /// The query, deparsed by PostgreSQL's deparser.
    pub query: String,
    /// The query as tusk's tree, for analysis at CREATE time.
    pub select: Box<crate::ast::SelectStmt>,
    /// `OR REPLACE`.
    pub replace: bool,
    /// `relpersistence`: `p`, or `t` for `CREATE TEMP VIEW`.
    pub persistence: u8,
    /// `WITH ... CHECK OPTION`.
    pub check_option: ViewCheckOption,
    /// `WITH (name = value, ...)` options.
    pub options: Vec<(String, Option<String>)>,
}
