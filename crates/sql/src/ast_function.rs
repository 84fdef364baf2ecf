//! Statements about functions and procedures: `CREATE [OR REPLACE] FUNCTION/PROCEDURE`
//! and `DROP FUNCTION/PROCEDURE` (PostgreSQL docs: SQL Commands).
//!
//! The body is kept as SQL text: `AS $$...$$` as written, the SQL-standard forms
//! (`RETURN expr`, `BEGIN ATOMIC ... END`) deparsed into statements separated by `;`.

use crate::ast::{Expr, TypeName};

/// An argument's mode (`proargmodes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgMode {
    /// `IN` (the default).
    In,
    /// `OUT`.
    Out,
    /// `INOUT`.
    InOut,
    /// `VARIADIC`.
    Variadic,
    /// A `RETURNS TABLE` column.
    Table,
}

impl ArgMode {
    /// The `proargmodes` letter: `i`, `o`, `b`, `v`, `t`.
    pub fn letter(self) -> char {
        match self {
            ArgMode::In => 'i',
            ArgMode::Out => 'o',
            ArgMode::InOut => 'b',
            ArgMode::Variadic => 'v',
            ArgMode::Table => 't',
        }
    }

    /// Whether the argument is passed in a call (IN, INOUT, VARIADIC).
    pub fn is_input(self) -> bool {
        matches!(self, ArgMode::In | ArgMode::InOut | ArgMode::Variadic)
    }
}

/// One declared argument.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionArg {
    /// Name, if given.
    pub name: Option<String>,
    /// Declared type.
    pub type_name: TypeName,
    /// Mode.
    pub mode: ArgMode,
    /// `DEFAULT expr` / `= expr`.
    pub default: Option<Expr>,
}

/// `CREATE [OR REPLACE] FUNCTION | PROCEDURE name (args) [RETURNS ...] options`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateFunctionStmt {
    /// `PROCEDURE` rather than `FUNCTION`.
    pub is_procedure: bool,
    /// `OR REPLACE`.
    pub replace: bool,
    /// Possibly qualified name.
    pub name: Vec<String>,
    /// Arguments, including OUT and TABLE ones, in written order.
    pub args: Vec<FunctionArg>,
    /// `RETURNS type` (a `SETOF` one has `setof`); `None` for procedures and for
    /// functions whose result comes from OUT arguments.
    pub returns: Option<TypeName>,
    /// `RETURNS SETOF type` or `RETURNS TABLE (...)`.
    pub setof: bool,
    /// `LANGUAGE name` (lower-cased); `None` if not given.
    pub language: Option<String>,
    /// The `AS` strings: the body (and, for C functions, the symbol).
    pub as_body: Vec<String>,
    /// The SQL-standard body (`RETURN expr` or `BEGIN ATOMIC ... END`) as SQL text of its
    /// statements separated by `;`.
    pub sql_body: Option<String>,
    /// `IMMUTABLE`/`STABLE`/`VOLATILE` as the `provolatile` letter.
    pub volatility: Option<u8>,
    /// `STRICT` (`Some(true)`) or `CALLED ON NULL INPUT` (`Some(false)`).
    pub strict: Option<bool>,
    /// `SECURITY DEFINER` (`Some(true)`) or `INVOKER`.
    pub security_definer: Option<bool>,
    /// `LEAKPROOF`.
    pub leakproof: Option<bool>,
    /// `COST n`.
    pub cost: Option<f64>,
    /// `ROWS n`.
    pub rows: Option<f64>,
    /// `PARALLEL { SAFE | RESTRICTED | UNSAFE }` as the `proparallel` letter.
    pub parallel: Option<u8>,
    /// `WINDOW`, `SET`, `SUPPORT` or `TRANSFORM` given (not supported).
    pub unsupported_option: Option<String>,
}

/// A function named by `DROP FUNCTION` or `ALTER FUNCTION`: name and, if given, the
/// argument types (input arguments; OUT ones are ignored as PostgreSQL does).
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionName {
    /// Possibly qualified name.
    pub name: Vec<String>,
    /// Argument types, `None` when no list was written.
    pub args: Option<Vec<TypeName>>,
}

/// `DROP FUNCTION | PROCEDURE [IF EXISTS] f[(types)] [, ...] [CASCADE | RESTRICT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropFunctionStmt {
    /// `PROCEDURE` rather than `FUNCTION` (`ROUTINE` drops either).
    pub kind: RoutineKind,
    /// The functions.
    pub functions: Vec<FunctionName>,
    /// `IF EXISTS`.
    pub missing_ok: bool,
    /// `CASCADE`.
    pub cascade: bool,
}

/// Which kind of routine a statement names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineKind {
    /// `FUNCTION`.
    Function,
    /// `PROCEDURE`.
    Procedure,
    /// `ROUTINE`: either.
    Routine,
    /// `AGGREGATE`.
    Aggregate,
}

/// The value of one `CREATE AGGREGATE` option (`name = value`).
#[derive(Debug, Clone, PartialEq)]
pub enum DefinitionValue {
    /// No value (`HYPOTHETICAL`).
    None,
    /// A name or type (`SFUNC = int4pl`, `STYPE = int[]`, `PARALLEL = safe`).
    Type(TypeName),
    /// A string literal (`INITCOND = '0'`, `BASETYPE = 'ANY'`).
    Text(String),
    /// A number, as written (`SSPACE = 100`).
    Number(String),
    /// An operator name (`SORTOP = >`), possibly qualified.
    Operator(Vec<String>),
}

/// `CREATE [OR REPLACE] AGGREGATE name (args) (options)`, or the old form
/// `CREATE AGGREGATE name (BASETYPE = type, options)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateAggregateStmt {
    /// `OR REPLACE`.
    pub replace: bool,
    /// Possibly qualified name.
    pub name: Vec<String>,
    /// The arguments (direct ones first in the `ORDER BY` form); `None` in the old
    /// form, whose argument is the `BASETYPE` option; empty for `(*)`.
    pub args: Option<Vec<FunctionArg>>,
    /// For `name(direct ORDER BY aggregated)`, how many arguments are direct.
    pub direct_args: Option<usize>,
    /// The options, names as the parser left them (quoted names keep their case), in
    /// written order.
    pub options: Vec<(String, DefinitionValue, usize)>,
    /// Location of the statement's name, for errors.
    pub location: usize,
}

/// `CALL procedure(args)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CallStmt {
    /// The call, as a function-call expression.
    pub call: Expr,
}
