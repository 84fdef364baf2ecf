//! Syntax tree of the user-defined type statements: `CREATE TYPE name AS ENUM (...)`,
//! `CREATE TYPE name AS (...)`, `ALTER TYPE name ADD VALUE | RENAME VALUE | RENAME TO`,
//! `ALTER TYPE name ADD | DROP | ALTER | RENAME ATTRIBUTE` (PostgreSQL's `CreateEnumStmt`,
//! `CompositeTypeStmt`, `AlterEnumStmt`, `AlterTableStmt` and `RenameStmt` for types).
//! `DROP TYPE` is a [`crate::ast_ddl::DropStmt`] of kind [`crate::ast_ddl::DropKind::Type`].

/// A user-defined type statement.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeStmt {
    /// `CREATE DOMAIN name [AS] type [DEFAULT expr] [constraints]`.
    CreateDomain(Box<CreateDomain>),
    /// `ALTER DOMAIN name ...`.
    AlterDomain {
        /// The domain's possibly schema-qualified name.
        name: Vec<String>,
        /// What changes.
        action: AlterDomainAction,
    },
    /// `CREATE TYPE name AS RANGE (attribute = value, ...)`.
    CreateRange {
        /// The type's possibly schema-qualified name.
        name: Vec<String>,
        /// The attributes as written (`subtype`, `collation`, ...).
        params: Vec<RangeParam>,
    },
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
    /// `CREATE TYPE name AS (attribute type [COLLATE c], ...)` (PostgreSQL's
    /// `CompositeTypeStmt`); the attribute list may be empty.
    CreateComposite {
        /// The type's possibly schema-qualified name.
        name: Vec<String>,
        /// The attributes in order.
        attributes: Vec<CompositeAttribute>,
    },
    /// `ALTER TYPE name ADD | DROP | ALTER ATTRIBUTE ...` on a composite type (PostgreSQL's
    /// `AlterTableStmt` of object type `TYPE`).
    AlterComposite {
        /// The type's possibly schema-qualified name.
        name: Vec<String>,
        /// The actions, in order.
        actions: Vec<AlterAttribute>,
    },
    /// `ALTER TYPE name RENAME ATTRIBUTE a TO b`.
    RenameAttribute {
        /// The type's possibly schema-qualified name.
        name: Vec<String>,
        /// The attribute's name.
        old: String,
        /// Its new name.
        new: String,
    },
    /// `CREATE TYPE name (INPUT = f, OUTPUT = g, ...)`: a base type, whose I/O functions
    /// would be written in C; tusk has no shell types, so it fails as PostgreSQL does
    /// without one (42704).
    CreateBase {
        /// The type's name (unqualified).
        name: String,
    },
    /// A `CREATE TYPE` form tusk cannot run (a shell type, a base type with INPUT/OUTPUT
    /// functions, a range type): its 0A000 message.
    Unsupported(String),
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

/// One attribute of `CREATE TYPE name AS (...)` or `ALTER TYPE ... ADD ATTRIBUTE`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeAttribute {
    /// Attribute name.
    pub name: String,
    /// Its type.
    pub type_name: crate::ast::TypeName,
    /// `COLLATE name` (possibly schema-qualified), if given.
    pub collation: Option<Vec<String>>,
}

/// One action of `ALTER TYPE name ... ATTRIBUTE` (PostgreSQL's `AlterTableCmd` on a type).
#[derive(Debug, Clone, PartialEq)]
pub enum AlterAttribute {
    /// `ADD ATTRIBUTE name type [COLLATE c] [CASCADE | RESTRICT]`.
    Add(CompositeAttribute),
    /// `DROP ATTRIBUTE [IF EXISTS] name [CASCADE | RESTRICT]`.
    Drop {
        /// The attribute's name.
        name: String,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
    /// `ALTER ATTRIBUTE name [SET DATA] TYPE type [COLLATE c]`.
    SetType(CompositeAttribute),
    /// Another `ALTER TYPE` subcommand PostgreSQL accepts on tables only (its
    /// description), failing as PostgreSQL does.
    Other(String),
}

/// `CREATE DOMAIN name [AS] base_type [DEFAULT expr] [[CONSTRAINT c] NOT NULL | NULL |
/// CHECK (expr)] ...` (PostgreSQL's `CreateDomainStmt`).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateDomain {
    /// The domain's possibly schema-qualified name (`[schema, name]` or `[name]`).
    pub name: Vec<String>,
    /// The base type.
    pub base: crate::ast::TypeName,
    /// `DEFAULT expr`: the expression and its SQL text.
    pub default: Option<(crate::ast::Expr, String)>,
    /// `NOT NULL` (`Some(true)`), `NULL` (`Some(false)`), or neither; the last written wins
    /// unless both appear, which PostgreSQL refuses (42601).
    pub not_null: Option<bool>,
    /// `CHECK` constraints in the order written.
    pub checks: Vec<DomainCheck>,
    /// A clause tusk does not support yet (`COLLATE`, a deferrable constraint), with its
    /// location: the statement fails with 0A000.
    pub unsupported: Option<(String, usize)>,
    /// A clause PostgreSQL refuses (42601 message and location), e.g. `NOT NULL` with `NULL`.
    pub invalid: Option<(String, usize)>,
    /// `COLLATE name`: the (possibly qualified) collation name and its location.
    pub collation: Option<(Vec<String>, usize)>,
}

/// One `[CONSTRAINT name] CHECK (expr)` of a domain; `VALUE` names the value checked.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainCheck {
    /// Given name.
    pub name: Option<String>,
    /// The expression.
    pub expr: crate::ast::Expr,
    /// Its SQL text (stored as `conbin`).
    pub sql: String,
    /// Location of the constraint.
    pub location: usize,
}

/// One `ALTER DOMAIN` action (PostgreSQL's `AlterDomainStmt.subtype`).
#[derive(Debug, Clone, PartialEq)]
pub enum AlterDomainAction {
    /// `SET DEFAULT expr` (expression and SQL text) / `DROP DEFAULT` (`None`).
    SetDefault(Option<(crate::ast::Expr, String)>),
    /// `SET NOT NULL` (`true`) / `DROP NOT NULL` (`false`).
    SetNotNull(bool),
    /// `ADD [CONSTRAINT c] CHECK (expr)`.
    AddCheck(DomainCheck),
    /// `DROP CONSTRAINT [IF EXISTS] c`.
    DropConstraint {
        /// The constraint's name.
        name: String,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
    /// A form tusk does not support yet (its description), failing with 0A000.
    Unsupported(String),
}

/// One attribute of `CREATE TYPE ... AS RANGE` (`subtype = float8`).
#[derive(Debug, Clone, PartialEq)]
pub struct RangeParam {
    /// The attribute's name, lower case.
    pub name: String,
    /// Its value as a (possibly qualified) name, the form every range attribute takes;
    /// `None` for a value of another form (a number, an operator).
    pub type_name: Option<crate::ast::TypeName>,
}

impl RangeParam {
    /// The value's name parts (`["mr_sch", "mr_type"]`), empty if it is not a name.
    pub fn names(&self) -> Vec<String> {
        self.type_name
            .as_ref()
            .map(|t| t.names.clone())
            .unwrap_or_default()
    }
}
