//! Database statements (PostgreSQL docs ch. 23 and the reference pages of CREATE
//! DATABASE, DROP DATABASE, ALTER DATABASE), and the per-database and per-role parameter
//! defaults of `ALTER DATABASE ... SET` / `ALTER ROLE ... SET` (`pg_db_role_setting`).
//!
//! Names are kept as the grammar gives them (already case-folded); options are kept by
//! their lower-case names with their values as written, checked by the executor.

use crate::ast::SetStmt;
use crate::ast_role::RoleSpec;

/// One `name [=] value` option of CREATE DATABASE or ALTER DATABASE.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseOption {
    /// The option's name, lower-case (`owner`, `template`, `connection_limit`, ...).
    pub name: String,
    /// Its value: text as written (numbers in their digits), `None` for `DEFAULT`.
    pub value: Option<String>,
    /// The value was a number.
    pub numeric: bool,
    /// Where the option stood (byte offset), for 42601 errors.
    pub location: usize,
}

/// Whose defaults an `ALTER ... SET` changes.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingTarget {
    /// `ALTER DATABASE name SET`: every role in that database.
    Database(String),
    /// `ALTER ROLE name [IN DATABASE db] SET`; `role` None is `ALTER ROLE ALL`.
    Role {
        /// The role (`None` for ALL).
        role: Option<RoleSpec>,
        /// `IN DATABASE db`.
        database: Option<String>,
    },
}

/// A database statement.
#[derive(Debug, Clone, PartialEq)]
pub enum DatabaseStmt {
    /// `CREATE DATABASE name [WITH] options`.
    Create {
        /// The new database's name.
        name: String,
        /// Options in order.
        options: Vec<DatabaseOption>,
    },
    /// `DROP DATABASE [IF EXISTS] name [[WITH] (FORCE)]`.
    Drop {
        /// The database.
        name: String,
        /// `IF EXISTS`.
        missing_ok: bool,
        /// `FORCE`: end other sessions connected to it.
        force: bool,
    },
    /// `ALTER DATABASE name [WITH] options` (`ALLOW_CONNECTIONS`, `CONNECTION LIMIT`,
    /// `IS_TEMPLATE`, `TABLESPACE`).
    Alter {
        /// The database.
        name: String,
        /// Options in order.
        options: Vec<DatabaseOption>,
    },
    /// `ALTER DATABASE name RENAME TO new_name`.
    Rename {
        /// The database.
        name: String,
        /// Its new name.
        new_name: String,
    },
    /// `ALTER DATABASE name OWNER TO role`.
    Owner {
        /// The database.
        name: String,
        /// The new owner.
        owner: RoleSpec,
    },
    /// `ALTER DATABASE ... SET | RESET` and `ALTER ROLE ... SET | RESET`.
    Set {
        /// Whose defaults change.
        target: SettingTarget,
        /// The SET/RESET form (`Value`, `Default`, `FromCurrent`, `Reset`, `ResetAll`).
        set: SetStmt,
    },
}
