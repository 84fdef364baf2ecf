//! Extension statements (`CREATE EXTENSION`, `DROP EXTENSION`, `ALTER EXTENSION`).

/// `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateExtensionStmt {
    /// Extension name.
    pub name: String,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `SCHEMA`.
    pub schema: Option<String>,
    /// `VERSION`.
    pub version: Option<String>,
    /// `CASCADE` (create required extensions too).
    pub cascade: bool,
}

/// `DROP EXTENSION [IF EXISTS] name [, ...] [CASCADE | RESTRICT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropExtensionStmt {
    /// Extension names.
    pub names: Vec<String>,
    /// `IF EXISTS`.
    pub missing_ok: bool,
    /// `CASCADE`.
    pub cascade: bool,
}

/// `ALTER EXTENSION name UPDATE [TO v]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterExtensionStmt {
    /// Extension name.
    pub name: String,
    /// `TO` version.
    pub version: Option<String>,
}
