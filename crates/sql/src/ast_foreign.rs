//! SQL/MED statements (PostgreSQL docs: CREATE / ALTER / DROP FOREIGN DATA WRAPPER,
//! SERVER, USER MAPPING, CREATE FOREIGN TABLE, IMPORT FOREIGN SCHEMA; 5.12 "Foreign Data"), and the COMMENT,
//! RENAME and OWNER TO forms naming a wrapper or a server.
//!
//! Names are kept as the grammar gives them (already case-folded); generic options keep
//! their `ADD | SET | DROP` action, which only ALTER statements may give.

use crate::ast_role::RoleSpec;

/// What an entry of an `OPTIONS (...)` list does (PostgreSQL's `DefElemAction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionAction {
    /// No keyword: `ADD` for ALTER, the only form for CREATE.
    Unspecified,
    /// `SET name 'value'`.
    Set,
    /// `ADD name 'value'`.
    Add,
    /// `DROP name`.
    Drop,
}

/// One entry of an `OPTIONS (...)` list.
#[derive(Debug, Clone, PartialEq)]
pub struct GenericOption {
    /// The option's name.
    pub name: String,
    /// Its value (`None` for `DROP name`).
    pub value: Option<String>,
    /// Its action.
    pub action: OptionAction,
}

/// `HANDLER f | NO HANDLER`, `VALIDATOR f | NO VALIDATOR`: the function's (possibly
/// qualified) name, or `None` for the `NO` form.
pub type FunctionOption = Option<Vec<String>>;

/// The wrapper's functions as a CREATE or ALTER lists them, each entry once per mention
/// with its location (a second mention is PostgreSQL's "conflicting or redundant
/// options", reported there).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FdwFunctions {
    /// `HANDLER` mentions.
    pub handler: Vec<(FunctionOption, usize)>,
    /// `VALIDATOR` mentions.
    pub validator: Vec<(FunctionOption, usize)>,
}

/// The two kinds of SQL/MED object with names of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignObjectKind {
    /// A foreign-data wrapper (`pg_foreign_data_wrapper`).
    Wrapper,
    /// A foreign server (`pg_foreign_server`).
    Server,
}

/// A SQL/MED statement.
#[derive(Debug, Clone, PartialEq)]
pub enum ForeignDataStmt {
    /// `CREATE FOREIGN DATA WRAPPER name [HANDLER ...] [VALIDATOR ...] [OPTIONS (...)]`.
    CreateWrapper {
        /// The wrapper's name.
        name: String,
        /// Its functions.
        functions: FdwFunctions,
        /// Its options.
        options: Vec<GenericOption>,
    },
    /// `ALTER FOREIGN DATA WRAPPER name [HANDLER ...] [VALIDATOR ...] [OPTIONS (...)]`.
    AlterWrapper {
        /// The wrapper's name.
        name: String,
        /// The functions it changes.
        functions: FdwFunctions,
        /// Option changes.
        options: Vec<GenericOption>,
    },
    /// `CREATE SERVER [IF NOT EXISTS] name [TYPE 't'] [VERSION 'v'] FOREIGN DATA WRAPPER w
    /// [OPTIONS (...)]`.
    CreateServer {
        /// The server's name.
        name: String,
        /// `TYPE`.
        server_type: Option<String>,
        /// `VERSION`.
        version: Option<String>,
        /// The wrapper.
        wrapper: String,
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// Its options.
        options: Vec<GenericOption>,
    },
    /// `ALTER SERVER name [VERSION 'v' | VERSION NULL] [OPTIONS (...)]`.
    AlterServer {
        /// The server's name.
        name: String,
        /// `VERSION`: `Some(None)` for `VERSION NULL`.
        version: Option<Option<String>>,
        /// Option changes.
        options: Vec<GenericOption>,
    },
    /// `CREATE USER MAPPING [IF NOT EXISTS] FOR user SERVER s [OPTIONS (...)]`.
    CreateUserMapping {
        /// The user (`PUBLIC` allowed).
        user: RoleSpec,
        /// The server.
        server: String,
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// Its options.
        options: Vec<GenericOption>,
    },
    /// `ALTER USER MAPPING FOR user SERVER s OPTIONS (...)`.
    AlterUserMapping {
        /// The user.
        user: RoleSpec,
        /// The server.
        server: String,
        /// Option changes.
        options: Vec<GenericOption>,
    },
    /// `DROP USER MAPPING [IF EXISTS] FOR user SERVER s`.
    DropUserMapping {
        /// The user.
        user: RoleSpec,
        /// The server.
        server: String,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
    /// `DROP FOREIGN DATA WRAPPER | SERVER [IF EXISTS] name, ... [CASCADE | RESTRICT]`.
    Drop {
        /// Which kind.
        kind: ForeignObjectKind,
        /// The names.
        names: Vec<String>,
        /// `IF EXISTS`.
        missing_ok: bool,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `ALTER FOREIGN DATA WRAPPER | SERVER name RENAME TO new`.
    Rename {
        /// Which kind.
        kind: ForeignObjectKind,
        /// The current name.
        name: String,
        /// The new name.
        new_name: String,
    },
    /// `ALTER FOREIGN DATA WRAPPER | SERVER name OWNER TO role`.
    Owner {
        /// Which kind.
        kind: ForeignObjectKind,
        /// The name.
        name: String,
        /// The new owner.
        owner: RoleSpec,
    },
    /// `COMMENT ON FOREIGN DATA WRAPPER | SERVER name IS 'text' | NULL`.
    Comment {
        /// Which kind.
        kind: ForeignObjectKind,
        /// The name.
        name: String,
        /// The comment (`None` removes it).
        comment: Option<String>,
    },
    /// `CREATE FOREIGN TABLE name (...) [INHERITS (...)] | PARTITION OF ... SERVER s
    /// [OPTIONS (...)]`.
    CreateForeignTable {
        /// The table as CREATE TABLE would define it.
        table: Box<crate::ast_ddl::CreateTableStmt>,
        /// The server.
        server: String,
        /// The table's options.
        options: Vec<GenericOption>,
        /// Each column's options (columns without any left out).
        column_options: Vec<(String, Vec<GenericOption>)>,
        /// The first constraint foreign tables cannot have (`primary key`, `unique`,
        /// `foreign key`, `exclusion`), with its location.
        refused: Option<(&'static str, usize)>,
    },
    /// `ALTER FOREIGN TABLE [IF EXISTS] t OPTIONS (...) | ALTER COLUMN c OPTIONS (...), ...`
    /// (only these subcommands).
    AlterForeignTableOptions {
        /// The table.
        relation: crate::ast::RangeVar,
        /// `IF EXISTS`.
        missing_ok: bool,
        /// Each subcommand: the column (`None` for the table's own options) and its
        /// option changes.
        changes: Vec<(Option<String>, Vec<GenericOption>)>,
    },
    /// `IMPORT FOREIGN SCHEMA remote [LIMIT TO | EXCEPT (...)] FROM SERVER s INTO local
    /// [OPTIONS (...)]`.
    ImportSchema {
        /// The server.
        server: String,
        /// The local schema.
        local_schema: String,
    },
}
