//! Syntax tree of the user-defined type statements: `CREATE TYPE name AS ENUM (...)` and
//! `ALTER TYPE name ADD VALUE | RENAME VALUE | RENAME TO` (PostgreSQL's `CreateEnumStmt`,
//! `AlterEnumStmt` and `RenameStmt` for types). `DROP TYPE` is a [`crate::ast_ddl::DropStmt`] of kind
//! [`crate::ast_ddl::DropKind::Type`].

/// A user-defined type statement.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeStmt {
    /// `CREATE TYPE name AS ENUM ('label', ...)`.
    CreateEnum {
        /// The type's possibly schema-qualified name (`[schema, name]` or `[name]`).
        name: Vec<String>,
        /// The labels in sort order (may be empty).
        labels: Vec<String>,
    },
    /// `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label' [BEFORE | AFTER 'neighbor']`.
    AddEnumValue {
        /// The type's possibly schema-qualified name.
        name: Vec<String>,
        /// The new label.
        label: String,
        /// `BEFORE`/`AFTER` neighbor: the label and whether the new one goes after it.
        neighbor: Option<(String, bool)>,
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
    },
    /// `ALTER TYPE name RENAME TO new_name`.
    RenameType {
        /// The type's possibly schema-qualified name.
        name: Vec<String>,
        /// The new name.
        new_name: String,
    },
    /// `ALTER TYPE name RENAME VALUE 'old' TO 'new'`.
    RenameEnumValue {
        /// The type's possibly schema-qualified name.
        name: Vec<String>,
        /// The existing label.
        old: String,
        /// Its new text.
        new: String,
    },
}
