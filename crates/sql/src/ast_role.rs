//! Role statements (PostgreSQL docs ch. 22): `CREATE ROLE | USER | GROUP`, `ALTER ROLE`
//! (options, `RENAME TO`, `ALTER GROUP ... ADD | DROP USER`), `DROP ROLE` and
//! `GRANT | REVOKE role TO | FROM role`.
//!
//! Role names are kept as the grammar gives them (already case-folded); the special role
//! specifications (`CURRENT_USER`, `SESSION_USER`, `CURRENT_ROLE`, `PUBLIC`) are kept as
//! [`RoleSpec`] variants, resolved by the executor of the statement.

/// A role as a statement names it (PostgreSQL's `RoleSpec`).
#[derive(Debug, Clone, PartialEq)]
pub enum RoleSpec {
    /// A role name.
    Name(String),
    /// `CURRENT_USER` / `USER`.
    CurrentUser,
    /// `CURRENT_ROLE`.
    CurrentRole,
    /// `SESSION_USER`.
    SessionUser,
    /// `PUBLIC` (not a role: most statements refuse it).
    Public,
}

/// Which keyword created the role: `CREATE USER` defaults to `LOGIN`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RoleStmtKind {
    /// `CREATE ROLE`.
    Role,
    /// `CREATE USER`.
    User,
    /// `CREATE GROUP`.
    Group,
}

/// One option of `CREATE ROLE` / `ALTER ROLE`, as PostgreSQL's grammar names them.
#[derive(Debug, Clone, PartialEq)]
pub enum RoleOption {
    /// `[NO]SUPERUSER`.
    Superuser(bool),
    /// `[NO]CREATEDB`.
    CreateDb(bool),
    /// `[NO]CREATEROLE`.
    CreateRole(bool),
    /// `[NO]LOGIN`.
    Login(bool),
    /// `[NO]INHERIT`.
    Inherit(bool),
    /// `[NO]REPLICATION`.
    Replication(bool),
    /// `[NO]BYPASSRLS`.
    BypassRls(bool),
    /// `CONNECTION LIMIT n`.
    ConnectionLimit(i32),
    /// `[ENCRYPTED] PASSWORD 'p'` or `PASSWORD NULL` (`None`).
    Password(Option<String>),
    /// `VALID UNTIL 'timestamp'`.
    ValidUntil(String),
    /// `IN ROLE r, ...` / `IN GROUP`: the new role becomes a member of these.
    InRole(Vec<RoleSpec>),
    /// `ROLE r, ...` / `USER`: these become members of the new role (in `ALTER GROUP
    /// ... ADD | DROP USER`, the users added or removed).
    Role(Vec<RoleSpec>),
    /// `ADMIN r, ...`: these become members with the admin option.
    Admin(Vec<RoleSpec>),
    /// `SYSID n`: accepted and ignored, as PostgreSQL does.
    SysId,
}

impl RoleOption {
    /// PostgreSQL's option name (the `DefElem` name), to detect repeated options.
    pub fn key(&self) -> &'static str {
        match self {
            RoleOption::Superuser(_) => "superuser",
            RoleOption::CreateDb(_) => "createdb",
            RoleOption::CreateRole(_) => "createrole",
            RoleOption::Login(_) => "canlogin",
            RoleOption::Inherit(_) => "inherit",
            RoleOption::Replication(_) => "isreplication",
            RoleOption::BypassRls(_) => "bypassrls",
            RoleOption::ConnectionLimit(_) => "connectionlimit",
            RoleOption::Password(_) => "password",
            RoleOption::ValidUntil(_) => "validUntil",
            RoleOption::InRole(_) => "addroleto",
            RoleOption::Role(_) => "rolemembers",
            RoleOption::Admin(_) => "adminmembers",
            RoleOption::SysId => "sysid",
        }
    }
}

/// A role statement.
#[derive(Debug, Clone, PartialEq)]
pub enum RoleStmt {
    /// `CREATE ROLE | USER | GROUP name [WITH] option ...`.
    Create {
        /// Which keyword.
        kind: RoleStmtKind,
        /// The new role's name.
        name: String,
        /// Options with their byte offsets in the statement text.
        options: Vec<(RoleOption, usize)>,
    },
    /// `ALTER ROLE | USER name [WITH] option ...`; `ALTER GROUP g ADD | DROP USER u, ...`
    /// (`action` +1 add, -1 drop, with a [`RoleOption::Role`] option).
    Alter {
        /// The role altered.
        role: RoleSpec,
        /// Options with their byte offsets.
        options: Vec<(RoleOption, usize)>,
        /// +1 (`ADD USER` / plain ALTER) or -1 (`DROP USER`).
        action: i32,
    },
    /// `ALTER ROLE name RENAME TO new_name`.
    Rename {
        /// The current name.
        name: String,
        /// The new name.
        new_name: String,
    },
    /// `REASSIGN OWNED BY role, ... TO new_role`.
    ReassignOwned {
        /// The roles whose objects change owner.
        roles: Vec<RoleSpec>,
        /// The new owner.
        new_role: RoleSpec,
    },
    /// `DROP OWNED BY role, ... [CASCADE | RESTRICT]`.
    DropOwned {
        /// The roles whose objects and privileges go.
        roles: Vec<RoleSpec>,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `DROP ROLE | USER | GROUP [IF EXISTS] name, ...`.
    Drop {
        /// The roles.
        roles: Vec<RoleSpec>,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
    /// `GRANT role, ... TO role, ... [WITH ADMIN OPTION] [GRANTED BY r]` and `REVOKE
    /// [ADMIN OPTION FOR] role, ... FROM role, ... [GRANTED BY r] [CASCADE | RESTRICT]`.
    GrantRole {
        /// GRANT (true) or REVOKE.
        is_grant: bool,
        /// The roles granted (their names).
        granted: Vec<String>,
        /// The roles receiving them.
        grantees: Vec<RoleSpec>,
        /// `WITH ADMIN OPTION` / `ADMIN OPTION FOR`.
        admin_option: bool,
        /// `GRANTED BY`.
        grantor: Option<RoleSpec>,
    },
}
