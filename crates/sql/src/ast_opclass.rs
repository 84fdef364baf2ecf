//! `CREATE | ALTER | DROP OPERATOR FAMILY` and `CREATE | DROP OPERATOR CLASS`
//! (PostgreSQL's `opclasscmds.c` statements).
//!
//! See also: `convert_opclass` and the engine's `session/opclass_ddl.rs`.

use crate::ast::TypeName;
use crate::ast_function::FunctionName;

/// One item of `CREATE OPERATOR CLASS ... AS` or `ALTER OPERATOR FAMILY ... ADD | DROP`.
#[derive(Debug, Clone, PartialEq)]
pub enum OpClassItem {
    /// `OPERATOR n name [(left, right)] [FOR SEARCH | FOR ORDER BY family]`; in a DROP
    /// only the number and the operand types.
    Operator {
        /// Strategy number.
        number: i32,
        /// Operator name (empty in a DROP).
        name: Vec<String>,
        /// Operand types, when written (`NONE` is `None`).
        args: Option<Vec<Option<TypeName>>>,
        /// `FOR ORDER BY family`.
        order_family: Option<Vec<String>>,
    },
    /// `FUNCTION n [(left [, right])] name(args)`; in a DROP only the number and types.
    Function {
        /// Support function number.
        number: i32,
        /// The function (`None` in a DROP).
        function: Option<FunctionName>,
        /// The `(left [, right])` types written before the name (or the DROP's types).
        class_args: Vec<TypeName>,
    },
    /// `STORAGE type`.
    Storage(Option<TypeName>),
}

/// An operator family or class statement.
#[derive(Debug, Clone, PartialEq)]
pub enum OpClassStmt {
    /// `CREATE OPERATOR FAMILY name USING method`.
    CreateFamily {
        /// Possibly qualified name.
        name: Vec<String>,
        /// Access method.
        method: String,
    },
    /// `CREATE OPERATOR CLASS name [DEFAULT] FOR TYPE t USING method [FAMILY f] AS ...`.
    CreateClass {
        /// Possibly qualified name.
        name: Vec<String>,
        /// Access method.
        method: String,
        /// `DEFAULT`.
        default: bool,
        /// The indexed type.
        for_type: Option<TypeName>,
        /// `FAMILY f` (else a family of the class's name is found or created).
        family: Option<Vec<String>>,
        /// The items.
        items: Vec<OpClassItem>,
    },
    /// `ALTER OPERATOR FAMILY name USING method ADD | DROP items`.
    AlterFamily {
        /// Possibly qualified name.
        name: Vec<String>,
        /// Access method.
        method: String,
        /// `DROP` rather than `ADD`.
        drop: bool,
        /// The items.
        items: Vec<OpClassItem>,
    },
    /// `ALTER OPERATOR name(left, right) SET (attribute = value [, ...])`.
    AlterOperatorSet {
        /// Possibly qualified operator name.
        name: Vec<String>,
        /// Left operand type (`NONE` is `None`).
        left: Option<TypeName>,
        /// Right operand type.
        right: Option<TypeName>,
        /// (attribute as written, value: a possibly qualified name, `None` for `NONE`).
        options: Vec<(String, Option<Vec<String>>)>,
    },
    /// `DROP OPERATOR [IF EXISTS] name(left, right) [, ...]`.
    DropOperator {
        /// (name, left type, right type) of each operator (`NONE` is `None`).
        operators: Vec<(Vec<String>, Option<TypeName>, Option<TypeName>)>,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
    /// `DROP OPERATOR FAMILY | CLASS [IF EXISTS] name USING method [, ...]`.
    Drop {
        /// `CLASS` rather than `FAMILY`.
        class: bool,
        /// (name, access method) of each object.
        objects: Vec<(Vec<String>, String)>,
        /// `IF EXISTS`.
        missing_ok: bool,
        /// `CASCADE`.
        cascade: bool,
    },
}
