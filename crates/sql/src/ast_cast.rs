//! `CREATE | DROP CAST` and `CREATE | DROP CONVERSION` (PostgreSQL's `functioncmds.c`
//! `CreateCast` and `conversioncmds.c`).
//!
//! See also: `convert_cast` and the engine's `session/cast_ddl.rs`.

use crate::ast::TypeName;
use crate::ast_function::FunctionName;

/// A cast or conversion statement.
#[derive(Debug, Clone, PartialEq)]
pub enum CastStmt {
    /// `CREATE CAST (source AS target) WITH FUNCTION f(args) | WITHOUT FUNCTION | WITH
    /// INOUT [AS ASSIGNMENT | AS IMPLICIT]`.
    CreateCast {
        /// Source type.
        source: TypeName,
        /// Target type.
        target: TypeName,
        /// `WITH FUNCTION` (`None` for `WITHOUT FUNCTION` and `WITH INOUT`).
        function: Option<FunctionName>,
        /// `WITH INOUT`.
        inout: bool,
        /// `pg_cast.castcontext`: `e` explicit, `a` assignment, `i` implicit.
        context: u8,
    },
    /// `DROP CAST [IF EXISTS] (source AS target) [CASCADE | RESTRICT]`.
    DropCast {
        /// Source type.
        source: TypeName,
        /// Target type.
        target: TypeName,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
    /// `CREATE [DEFAULT] CONVERSION name FOR 'from' TO 'to' FROM function`.
    CreateConversion {
        /// Possibly qualified name.
        name: Vec<String>,
        /// Source encoding as written.
        for_encoding: String,
        /// Destination encoding as written.
        to_encoding: String,
        /// Possibly qualified conversion function name.
        function: Vec<String>,
        /// `DEFAULT`.
        default: bool,
    },
    /// `DROP CONVERSION [IF EXISTS] name [, ...] [CASCADE | RESTRICT]`.
    DropConversion {
        /// Possibly qualified names.
        names: Vec<Vec<String>>,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
}
