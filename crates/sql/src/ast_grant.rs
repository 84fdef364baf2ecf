//! Object privilege statements (PostgreSQL docs: GRANT, REVOKE): `GRANT privileges ON
//! objects TO roles [WITH GRANT OPTION] [GRANTED BY r]` and `REVOKE [GRANT OPTION FOR]
//! privileges ON objects FROM roles [GRANTED BY r] [CASCADE | RESTRICT]`.
//!
//! Privilege names are kept as the grammar gives them (lower case; `None` = `ALL
//! [PRIVILEGES]`); the executor maps them to ACL bits and refuses those the object kind
//! does not have.

use crate::ast::RangeVar;
use crate::ast_function::FunctionName;
use crate::ast_role::RoleSpec;

/// One privilege of the list (PostgreSQL's `AccessPriv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Privilege {
    /// `select`, `insert`, ...; `None` for `ALL [PRIVILEGES]` with a column list.
    pub name: Option<String>,
    /// Column list (`SELECT (a, b)`), empty for the whole object.
    pub columns: Vec<String>,
}

/// The objects a GRANT or REVOKE names.
#[derive(Debug, Clone, PartialEq)]
pub enum GrantObjects {
    /// `[TABLE] t, ...` (tables, views, sequences named as tables).
    Tables(Vec<RangeVar>),
    /// `SEQUENCE s, ...`.
    Sequences(Vec<RangeVar>),
    /// `ALL TABLES IN SCHEMA s, ...`.
    AllTablesInSchema(Vec<String>),
    /// `ALL SEQUENCES IN SCHEMA s, ...`.
    AllSequencesInSchema(Vec<String>),
    /// `ALL FUNCTIONS | PROCEDURES | ROUTINES IN SCHEMA s, ...` (the keyword).
    AllRoutinesInSchema(&'static str, Vec<String>),
    /// `FUNCTION | PROCEDURE | ROUTINE f(args), ...` (the keyword).
    Routines(&'static str, Vec<FunctionName>),
    /// `SCHEMA s, ...`.
    Schemas(Vec<String>),
    /// `DATABASE d, ...`.
    Databases(Vec<String>),
    /// `TYPE | DOMAIN t, ...` (possibly qualified names; the keyword).
    Types(&'static str, Vec<Vec<String>>),
    /// `LANGUAGE l, ...`.
    Languages(Vec<String>),
    /// `FOREIGN DATA WRAPPER w, ...`.
    ForeignDataWrappers(Vec<String>),
    /// `FOREIGN SERVER s, ...`.
    ForeignServers(Vec<String>),
    /// `ALTER DEFAULT PRIVILEGES [FOR ROLE roles] [IN SCHEMA schemas] ... ON TABLES |
    /// SEQUENCES | FUNCTIONS | ROUTINES | TYPES | SCHEMAS`: `pg_default_acl.defaclobjtype`
    /// (`r`, `S`, `f`, `T`, `n`), the roles (none: the current user) and the schemas
    /// (none: every schema).
    Defaults {
        /// `defaclobjtype`.
        kind: char,
        /// `FOR ROLE`.
        roles: Vec<RoleSpec>,
        /// `IN SCHEMA`.
        schemas: Vec<String>,
    },
    /// Another kind of object (its keyword, for the 0A000 error).
    Other(&'static str),
}

/// `GRANT` / `REVOKE` on objects.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantStmt {
    /// GRANT (true) or REVOKE.
    pub is_grant: bool,
    /// The privileges; empty for `ALL [PRIVILEGES]`.
    pub privileges: Vec<Privilege>,
    /// The objects.
    pub objects: GrantObjects,
    /// The grantees.
    pub grantees: Vec<RoleSpec>,
    /// `WITH GRANT OPTION` (GRANT) / `GRANT OPTION FOR` (REVOKE).
    pub grant_option: bool,
    /// `GRANTED BY`.
    pub grantor: Option<RoleSpec>,
    /// `CASCADE` (REVOKE).
    pub cascade: bool,
}
