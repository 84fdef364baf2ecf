//! The typed PL/pgSQL tree: PostgreSQL's `PLpgSQL_function` (pl_gram.y's output, as
//! `pg_query::parse_plpgsql` prints it) converted once by [`crate::parse`].
//!
//! Variables are *datums* numbered as PostgreSQL numbers them (`varno`): statements name
//! their targets by number, while embedded SQL names variables by text and is resolved
//! through the scope the interpreter keeps (see `exec::scope`).

use tusk_types::Oid;

/// One embedded SQL expression or statement, as written (`x + 1`, `SELECT ...`).
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// The SQL text.
    pub query: String,
    /// Call-site number, unique within the function (keys the analysed-query cache).
    pub id: usize,
}

/// A declared datum.
#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    /// A scalar or record variable (`PLpgSQL_var`, `PLpgSQL_rec`).
    Var(VarDecl),
    /// A list of variables filled together (`INTO a, b`; `PLpgSQL_row`).
    Row(Vec<usize>),
    /// A field of a record variable as an assignment target (`r.f := ...`).
    RecordField {
        /// The record variable.
        record: usize,
        /// The field name.
        field: String,
    },
}

/// How a variable's type was written.
#[derive(Clone, Debug, PartialEq)]
pub enum DeclType {
    /// Decided when assigned (loop variables, CASE's internal variable).
    Unknown,
    /// `record`: any row, shaped by its first assignment.
    Record,
    /// A type name (`int`, `numeric(10,2)`, `text[]`).
    Named(String),
    /// `relation.column%TYPE` or `variable%TYPE` (dotted names).
    ColumnType(Vec<String>),
    /// `relation%ROWTYPE`.
    RowType(Vec<String>),
}

/// A variable declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct VarDecl {
    /// The name (`refname`), lower-cased as the grammar folds it.
    pub name: String,
    /// Declared type.
    pub decl_type: DeclType,
    /// `CONSTANT`.
    pub constant: bool,
    /// `NOT NULL`.
    pub not_null: bool,
    /// `DEFAULT` / `:=` initial value.
    pub default: Option<Expr>,
    /// Declaring line (0 for implicit ones such as `found`).
    pub line: u32,
}

/// A `BEGIN ... END` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// `<<label>>`.
    pub label: Option<String>,
    /// Datums declared in its DECLARE section (initialised on entry, in order).
    pub declared: Vec<usize>,
    /// Statements.
    pub body: Vec<Stmt>,
    /// `EXCEPTION` handlers, if the block has an EXCEPTION section.
    pub handlers: Option<Handlers>,
    /// Line of `BEGIN`.
    pub line: u32,
}

/// An EXCEPTION section.
#[derive(Clone, Debug, PartialEq)]
pub struct Handlers {
    /// The `sqlstate` and `sqlerrm` variables the handlers see.
    pub sqlstate_var: usize,
    /// See `sqlstate_var`.
    pub sqlerrm_var: usize,
    /// `WHEN conditions THEN statements`, in order.
    pub handlers: Vec<Handler>,
}

/// One `WHEN ... THEN` handler.
#[derive(Clone, Debug, PartialEq)]
pub struct Handler {
    /// Condition names (`division_by_zero`, `others`) or 5-character SQLSTATEs.
    pub conditions: Vec<String>,
    /// Statements run when a condition matches.
    pub body: Vec<Stmt>,
}

/// RAISE's level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaiseLevel {
    /// DEBUG (elog level 14).
    Debug,
    /// LOG (15).
    Log,
    /// INFO (17).
    Info,
    /// NOTICE (18).
    Notice,
    /// WARNING (19).
    Warning,
    /// EXCEPTION (21).
    Exception,
}

/// RAISE's `USING` options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaiseOption {
    /// `ERRCODE`.
    Errcode,
    /// `MESSAGE`.
    Message,
    /// `DETAIL`.
    Detail,
    /// `HINT`.
    Hint,
    /// `COLUMN`, `CONSTRAINT`, `DATATYPE`, `TABLE`, `SCHEMA` (accepted, not reported).
    Other,
}

/// A statement, with the line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// 1-based line in the function body (0 for the implicit final RETURN).
    pub line: u32,
    /// What it does.
    pub kind: StmtKind,
}

/// Row targets (`INTO a, b`, FOR loop variables): the variables filled, by `varno`; one
/// record variable takes a whole row.
pub type Target = Vec<usize>;

/// Statement kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// A nested block.
    Block(Block),
    /// `target := expr` (the expression text is `target := expr`, as PostgreSQL keeps it).
    Assign {
        /// Assigned datum.
        target: usize,
        /// The whole assignment text.
        expr: Expr,
    },
    /// `IF ... ELSIF ... ELSE`.
    If {
        /// `(condition, statements)` for IF and each ELSIF.
        branches: Vec<(Expr, Vec<Stmt>)>,
        /// ELSE statements.
        otherwise: Vec<Stmt>,
    },
    /// `CASE [expr] WHEN ... END CASE`.
    Case {
        /// The searched value and the internal variable holding it.
        subject: Option<(Expr, usize)>,
        /// `(condition, statements)`.
        whens: Vec<(Expr, Vec<Stmt>)>,
        /// ELSE statements, if there is an ELSE.
        otherwise: Option<Vec<Stmt>>,
    },
    /// `LOOP`.
    Loop {
        /// Label.
        label: Option<String>,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `WHILE cond LOOP`.
    While {
        /// Label.
        label: Option<String>,
        /// Condition.
        cond: Expr,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `FOR i IN [REVERSE] a .. b [BY n] LOOP`.
    ForInt {
        /// Label.
        label: Option<String>,
        /// The loop variable.
        var: usize,
        /// Lower bound (as written; the start for REVERSE).
        lower: Expr,
        /// Upper bound.
        upper: Expr,
        /// BY.
        step: Option<Expr>,
        /// REVERSE.
        reverse: bool,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `FOR target IN query LOOP` / `FOR target IN EXECUTE text [USING ...] LOOP`.
    ForQuery {
        /// Label.
        label: Option<String>,
        /// Row target.
        target: Target,
        /// Static query, or dynamic SQL text expression.
        query: Expr,
        /// Dynamic (`EXECUTE`), with USING parameters.
        dynamic: Option<Vec<Expr>>,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `FOREACH x [SLICE n] IN ARRAY expr LOOP`.
    ForEach {
        /// Label.
        label: Option<String>,
        /// Target.
        target: Target,
        /// SLICE (0 = elements).
        slice: i32,
        /// The array.
        array: Expr,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `EXIT` (`is_exit`) or `CONTINUE`.
    Exit {
        /// EXIT rather than CONTINUE.
        is_exit: bool,
        /// Label.
        label: Option<String>,
        /// WHEN.
        cond: Option<Expr>,
    },
    /// `RETURN [expr]`.
    Return(Option<Expr>),
    /// `RETURN NEXT [expr]`.
    ReturnNext(Option<Expr>),
    /// `RETURN QUERY query` / `RETURN QUERY EXECUTE text [USING ...]`.
    ReturnQuery {
        /// Query or SQL text expression.
        query: Expr,
        /// Dynamic, with USING parameters.
        dynamic: Option<Vec<Expr>>,
    },
    /// `RAISE`.
    Raise {
        /// Level.
        level: RaiseLevel,
        /// Condition name or SQLSTATE (`RAISE division_by_zero`).
        condition: Option<String>,
        /// Format string.
        message: Option<String>,
        /// Format arguments.
        params: Vec<Expr>,
        /// USING options.
        options: Vec<(RaiseOption, Expr)>,
    },
    /// `ASSERT cond [, message]`.
    Assert {
        /// Condition.
        cond: Expr,
        /// Message.
        message: Option<Expr>,
    },
    /// `PERFORM query` (the text already starts with `SELECT`).
    Perform(Expr),
    /// A SQL statement, perhaps `INTO [STRICT] target`.
    ExecSql {
        /// The statement (INTO removed).
        sql: Expr,
        /// INTO target and STRICT.
        into: Option<(Target, bool)>,
    },
    /// `EXECUTE text [INTO [STRICT] target] [USING ...]`.
    DynExecute {
        /// SQL text expression.
        query: Expr,
        /// INTO target and STRICT.
        into: Option<(Target, bool)>,
        /// USING parameters.
        params: Vec<Expr>,
    },
    /// `GET [CURRENT|STACKED] DIAGNOSTICS target = item, ...`.
    GetDiagnostics {
        /// STACKED.
        stacked: bool,
        /// `(target, item)`: `ROW_COUNT`, `RETURNED_SQLSTATE`, `MESSAGE_TEXT`, ...
        items: Vec<(usize, String)>,
    },
    /// `CALL procedure(...)`: output parameters are assigned back to the variables
    /// passed for them.
    Call(Expr),
    /// `NULL;`.
    Null,
}

/// A parsed function body.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Every datum, by `varno`.
    pub datums: Vec<Datum>,
    /// The `found` variable.
    pub found_var: usize,
    /// A trigger function's `new` and `old` record variables (`RETURNS trigger`).
    pub trigger_vars: Option<(usize, usize)>,
    /// `name ALIAS FOR target` declarations (`target` a name or `$n`), lower-cased:
    /// the grammar resolves them without leaving a datum, so they are read from the
    /// source text and visible in the whole body.
    pub aliases: Vec<(String, String)>,
    /// The outermost block.
    pub body: Block,
    /// How many embedded expressions there are (call-site ids are `0..n`).
    pub expr_count: usize,
    /// The OUT and INOUT parameters (their varnos: parameters are the first datums).
    pub outputs: Vec<usize>,
    /// A procedure: output parameters form one row even when there is only one.
    pub procedure: bool,
    /// A composite result's columns (type, typmod), that rows returned are converted to.
    pub result_columns: Vec<(Oid, i32)>,
}
