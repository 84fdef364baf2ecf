//! Row security policy statements (PostgreSQL docs: CREATE POLICY, ALTER POLICY, DROP
//! POLICY) and ALTER TABLE's `ENABLE | DISABLE | [NO] FORCE ROW LEVEL SECURITY`.
//!
//! The USING and WITH CHECK expressions are kept twice: as [`Expr`]s for checks at
//! CREATE time and as SQL text deparsed by PostgreSQL's deparser, which is what
//! `pg_policy.polqual` / `polwithcheck` store and what each statement using the table
//! analyses again (`tusk_sql::analyze::row_security`).

use crate::ast::{Expr, RangeVar};
use crate::ast_role::RoleSpec;

/// The command a policy applies to (`pg_policy.polcmd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyCommand {
    /// `FOR ALL` (`*`).
    All,
    /// `FOR SELECT` (`r`).
    Select,
    /// `FOR INSERT` (`a`).
    Insert,
    /// `FOR UPDATE` (`w`).
    Update,
    /// `FOR DELETE` (`d`).
    Delete,
}

impl PolicyCommand {
    /// `pg_policy.polcmd`.
    pub fn polcmd(self) -> char {
        match self {
            PolicyCommand::All => '*',
            PolicyCommand::Select => 'r',
            PolicyCommand::Insert => 'a',
            PolicyCommand::Update => 'w',
            PolicyCommand::Delete => 'd',
        }
    }

    /// The command read back from `pg_policy.polcmd`.
    pub fn from_polcmd(c: char) -> Option<PolicyCommand> {
        Some(match c {
            '*' => PolicyCommand::All,
            'r' => PolicyCommand::Select,
            'a' => PolicyCommand::Insert,
            'w' => PolicyCommand::Update,
            'd' => PolicyCommand::Delete,
            _ => return None,
        })
    }
}

/// An expression as written and as deparsed SQL text.
pub type PolicyExpr = (Expr, String);

/// `CREATE POLICY name ON table [AS PERMISSIVE | RESTRICTIVE] [FOR command] [TO roles]
/// [USING (qual)] [WITH CHECK (check)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatePolicyStmt {
    /// The policy's name.
    pub name: String,
    /// The table.
    pub table: RangeVar,
    /// The command.
    pub command: PolicyCommand,
    /// `AS PERMISSIVE` (the default) rather than `AS RESTRICTIVE`.
    pub permissive: bool,
    /// `TO roles` (`PUBLIC` when left out).
    pub roles: Vec<RoleSpec>,
    /// `USING`.
    pub using: Option<PolicyExpr>,
    /// `WITH CHECK`.
    pub check: Option<PolicyExpr>,
}

/// `ALTER POLICY name ON table [TO roles] [USING (qual)] [WITH CHECK (check)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterPolicyStmt {
    /// The policy's name.
    pub name: String,
    /// The table.
    pub table: RangeVar,
    /// New roles, if given.
    pub roles: Vec<RoleSpec>,
    /// New USING, if given.
    pub using: Option<PolicyExpr>,
    /// New WITH CHECK, if given.
    pub check: Option<PolicyExpr>,
}

/// Policy statements.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyStmt {
    /// `CREATE POLICY`.
    Create(Box<CreatePolicyStmt>),
    /// `ALTER POLICY ... [TO] [USING] [WITH CHECK]`.
    Alter(Box<AlterPolicyStmt>),
    /// `ALTER POLICY name ON table RENAME TO new_name`.
    Rename {
        /// The policy's name.
        name: String,
        /// The table.
        table: RangeVar,
        /// The new name.
        new_name: String,
    },
    /// `DROP POLICY [IF EXISTS] name ON table`.
    Drop {
        /// The policy's name.
        name: String,
        /// The table.
        table: RangeVar,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
}
