//! `ALTER <object> RENAME TO | OWNER TO | SET SCHEMA` for objects that are not relations
//! (PostgreSQL's `ExecRenameStmt`, `ExecAlterOwnerStmt`, `ExecAlterObjectSchemaStmt`),
//! and `ALTER FUNCTION | PROCEDURE | ROUTINE name(args) action ...`
//! (`AlterFunction`).
//!
//! See also: `convert_alter_object` (conversion from pg_query's tree) and the engine's
//! `session/alter_object.rs`.

use crate::ast::TypeName;
use crate::ast_function::FunctionName;
use crate::ast_role::RoleSpec;

/// Which kind of routine `ALTER FUNCTION | PROCEDURE | ROUTINE | AGGREGATE` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineObject {
    /// `FUNCTION`: a plain or window function.
    Function,
    /// `PROCEDURE`.
    Procedure,
    /// `ROUTINE`: any of them.
    Routine,
    /// `AGGREGATE`: a `pg_proc` row of `prokind` `a`.
    Aggregate,
}

/// The object an ALTER statement names.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterObject {
    /// A function, procedure or aggregate with its argument types.
    Routine {
        /// Which keyword was written.
        kind: RoutineObject,
        /// Name and argument types.
        function: FunctionName,
    },
    /// `TYPE` or `DOMAIN` (possibly qualified name).
    Type {
        /// The name.
        name: Vec<String>,
        /// `DOMAIN` was written.
        domain: bool,
    },
    /// `SCHEMA name`.
    Schema(String),
    /// `[PROCEDURAL] LANGUAGE name`.
    Language(String),
    /// `CONVERSION name`.
    Conversion(Vec<String>),
    /// `OPERATOR name(left, right)`; `NONE` operands are `None`.
    Operator {
        /// Possibly qualified operator name.
        name: Vec<String>,
        /// Left operand type.
        left: Option<TypeName>,
        /// Right operand type.
        right: Option<TypeName>,
    },
    /// `OPERATOR FAMILY name USING method`.
    OperatorFamily {
        /// Possibly qualified name.
        name: Vec<String>,
        /// The access method.
        method: String,
    },
    /// `OPERATOR CLASS name USING method`.
    OperatorClass {
        /// Possibly qualified name.
        name: Vec<String>,
        /// The access method.
        method: String,
    },
    /// An object kind tusk has no ALTER for; carries the command tag.
    Other(String),
}

/// What a generic ALTER does.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterObjectAction {
    /// `RENAME TO name`.
    Rename(String),
    /// `OWNER TO role`.
    Owner(RoleSpec),
    /// `SET SCHEMA name`.
    SetSchema(String),
}

/// `ALTER <object> RENAME TO | OWNER TO | SET SCHEMA`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterObjectStmt {
    /// The object.
    pub object: AlterObject,
    /// The change.
    pub action: AlterObjectAction,
    /// `IF EXISTS` (only some forms allow it).
    pub missing_ok: bool,
}

/// One action of `ALTER FUNCTION | PROCEDURE | ROUTINE name(args) action ...`.
#[derive(Debug, Clone, PartialEq)]
pub enum FunctionAttribute {
    /// `IMMUTABLE | STABLE | VOLATILE` as the `provolatile` letter.
    Volatility(u8),
    /// `STRICT` / `RETURNS NULL ON NULL INPUT` (`true`) or `CALLED ON NULL INPUT`.
    Strict(bool),
    /// `SECURITY DEFINER` (`true`) or `SECURITY INVOKER`.
    SecurityDefiner(bool),
    /// `[NOT] LEAKPROOF`.
    Leakproof(bool),
    /// `COST n` (the literal as written).
    Cost(String),
    /// `ROWS n` (the literal as written).
    Rows(String),
    /// `PARALLEL { SAFE | RESTRICTED | UNSAFE }` as the `proparallel` letter, or the
    /// word written when it is none of them.
    Parallel(Result<u8, String>),
    /// `SUPPORT function` (qualified name).
    Support(Vec<String>),
    /// `SET` / `RESET` of a configuration parameter (not supported yet).
    Config(String),
}

/// `ALTER FUNCTION | PROCEDURE | ROUTINE name(args) action ... [RESTRICT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterFunctionStmt {
    /// Which keyword was written.
    pub kind: RoutineObject,
    /// The routine.
    pub function: FunctionName,
    /// The actions, in order.
    pub actions: Vec<FunctionAttribute>,
}
