//! tusk's typed syntax tree: what the parser boundary ([`crate::parse`]) produces from
//! PostgreSQL's raw parse tree. Nothing above this crate sees pg_query's protobuf types.
//!
//! Locations are byte offsets into the statement text (0-based); errors report them as
//! 1-based character positions (see [`crate::char_position`]).

/// One statement of a query string, with its span in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct RawStatement {
    /// The statement.
    pub stmt: Statement,
    /// Byte offset of the statement in the query string.
    pub location: usize,
    /// Byte length (0 = to the end of the string).
    pub len: usize,
}

/// `EXPLAIN`: the statement and its validated options (PostgreSQL 15's `ExplainState`).
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainStmt {
    /// The explained statement (SELECT, VALUES, INSERT, UPDATE or DELETE).
    pub statement: Box<RawStatement>,
    /// ANALYZE: run the statement and show actual row counts.
    pub analyze: bool,
    /// VERBOSE: output column lists and qualified names.
    pub verbose: bool,
    /// COSTS (default on).
    pub costs: bool,
    /// TIMING (default on with ANALYZE).
    pub timing: bool,
    /// SUMMARY (default on with ANALYZE).
    pub summary: bool,
    /// BUFFERS.
    pub buffers: bool,
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `SELECT`, `VALUES`, `TABLE`.
    Select(Box<SelectStmt>),
    /// `INSERT INTO relation ...`.
    Insert(Box<InsertStmt>),
    /// `UPDATE relation SET ...`.
    Update(Box<UpdateStmt>),
    /// `DELETE FROM relation ...`.
    Delete(Box<DeleteStmt>),
    /// `MERGE INTO relation USING source ON ... WHEN ...`.
    Merge(Box<MergeStmt>),
    /// `SHOW name` (lower-cased; `all` for SHOW ALL).
    Show(String),
    /// `SET [LOCAL|SESSION] name ...` and `RESET`.
    Set(SetStmt),
    /// `BEGIN`, `COMMIT`, `SAVEPOINT`, ...
    Transaction(TransactionStmt),
    /// `PREPARE name [(types)] AS statement`.
    Prepare {
        /// Statement name.
        name: String,
        /// Declared parameter types.
        arg_types: Vec<TypeName>,
        /// The statement to prepare.
        statement: Box<RawStatement>,
    },
    /// `EXECUTE name [(params)]`.
    Execute {
        /// Statement name.
        name: String,
        /// Parameter expressions.
        params: Vec<Expr>,
    },
    /// `DEALLOCATE [PREPARE] name | ALL` (`None` = ALL).
    Deallocate(Option<String>),
    /// `DISCARD ALL | PLANS | SEQUENCES | TEMP`.
    Discard(DiscardTarget),
    /// `CHECKPOINT`.
    Checkpoint,
    /// `LOAD 'file'`: a shared library's name.
    Load(String),
    /// `LISTEN`, `UNLISTEN` or `NOTIFY`.
    Listen(ListenStmt),
    /// `SET CONSTRAINTS {ALL | name [, ...]} {DEFERRED | IMMEDIATE}`.
    SetConstraints {
        /// The constraints named (`None`: ALL).
        names: Option<Vec<RangeVar>>,
        /// DEFERRED (else IMMEDIATE).
        deferred: bool,
    },
    /// `EXPLAIN [ (options) ] statement`.
    Explain(Box<ExplainStmt>),
    /// `CREATE TABLE`.
    CreateTable(Box<crate::ast_ddl::CreateTableStmt>),
    /// `DROP ...`.
    Drop(crate::ast_ddl::DropStmt),
    /// `TRUNCATE`.
    Truncate(crate::ast_ddl::TruncateStmt),
    /// `VACUUM` / `ANALYZE`.
    Vacuum(crate::ast_ddl::VacuumStmt),
    /// `REINDEX`.
    Reindex(crate::ast_ddl::ReindexStmt),
    /// `COPY`.
    Copy(crate::ast_ddl::CopyStmt),
    /// `CREATE SEQUENCE`.
    CreateSequence(crate::ast_ddl::CreateSequenceStmt),
    /// `ALTER SEQUENCE ... options`.
    AlterSequence(crate::ast_ddl::AlterSequenceStmt),
    /// `LOCK TABLE`.
    Lock(crate::ast_ddl::LockStmt),
    /// `CREATE TABLE AS` / `SELECT INTO` / `CREATE MATERIALIZED VIEW`.
    CreateTableAs(Box<crate::ast_ddl::CreateTableAsStmt>),
    /// `REFRESH MATERIALIZED VIEW`.
    RefreshMatView(crate::ast_ddl::RefreshMatViewStmt),
    /// `ALTER TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE ... SET SCHEMA`.
    AlterRelationSchema(Box<crate::ast_ddl::AlterRelationSchemaStmt>),
    /// `CREATE INDEX`.
    CreateIndex(Box<crate::ast_ddl::CreateIndexStmt>),
    /// `ALTER TABLE|INDEX|SEQUENCE|VIEW` with subcommands.
    AlterTable(Box<crate::ast_ddl::AlterTableStmt>),
    /// `ALTER ... RENAME`.
    Rename(Box<crate::ast_ddl::RenameStmt>),
    /// `COMMENT ON`.
    Comment(Box<crate::ast_ddl::CommentStmt>),
    /// `CREATE EXTENSION`.
    CreateExtension(Box<crate::ast_extension::CreateExtensionStmt>),
    /// `DROP EXTENSION`.
    DropExtension(crate::ast_extension::DropExtensionStmt),
    /// `ALTER EXTENSION ... UPDATE`.
    AlterExtension(crate::ast_extension::AlterExtensionStmt),
    /// `CREATE SCHEMA`.
    CreateSchema(Box<crate::ast_view::CreateSchemaStmt>),
    /// `ALTER SCHEMA ... RENAME TO`.
    RenameSchema(crate::ast_view::RenameSchemaStmt),
    /// `CREATE [OR REPLACE] VIEW`.
    CreateView(Box<crate::ast_view::CreateViewStmt>),
    /// `DECLARE name [BINARY] [[NO] SCROLL] CURSOR [WITH HOLD] FOR query`.
    DeclareCursor(Box<DeclareCursorStmt>),
    /// `FETCH` / `MOVE`.
    Fetch(FetchStmt),
    /// `CLOSE name | ALL` (`None` = ALL).
    CloseCursor(Option<String>),
    /// `CREATE TYPE ... AS ENUM`, `ALTER TYPE ... ADD VALUE | RENAME VALUE`.
    TypeDdl(Box<crate::ast_type::TypeStmt>),
    /// `DO [LANGUAGE name] 'code'`: an anonymous code block.
    Do {
        /// The code.
        code: String,
        /// `LANGUAGE` (lower-cased), if given; PostgreSQL's default is `plpgsql`.
        language: Option<String>,
    },
    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
    CreateFunction(Box<crate::ast_function::CreateFunctionStmt>),
    /// `DROP FUNCTION | PROCEDURE | ROUTINE`.
    DropFunction(crate::ast_function::DropFunctionStmt),
    /// `CREATE [OR REPLACE] AGGREGATE`.
    CreateAggregate(Box<crate::ast_function::CreateAggregateStmt>),
    /// `CALL procedure(args)`.
    Call(crate::ast_function::CallStmt),
    /// `CREATE | ALTER | DROP ROLE`, `GRANT | REVOKE role`.
    Role(Box<crate::ast_role::RoleStmt>),
    /// `CREATE | ALTER | DROP DATABASE`, `ALTER DATABASE | ROLE ... SET`.
    Database(Box<crate::ast_database::DatabaseStmt>),
    /// `GRANT | REVOKE privileges ON objects`.
    Grant(Box<crate::ast_grant::GrantStmt>),
    /// `CREATE | DROP TRIGGER`, `ALTER TRIGGER ... RENAME`.
    Trigger(Box<crate::ast_trigger::TriggerStmt>),
    /// `CREATE | ALTER | DROP POLICY`.
    Policy(Box<crate::ast_policy::PolicyStmt>),
    /// `CREATE | ALTER | DROP PUBLICATION | SUBSCRIPTION`.
    Replication(Box<crate::ast_publication::ReplicationStmt>),
    /// SQL/MED: foreign-data wrappers, servers, user mappings.
    ForeignData(Box<crate::ast_foreign::ForeignDataStmt>),
    /// `ALTER <object> RENAME TO | OWNER TO | SET SCHEMA` for objects other than
    /// relations.
    AlterObject(Box<crate::ast_alter_object::AlterObjectStmt>),
    /// `ALTER FUNCTION | PROCEDURE | ROUTINE name(args) action ...`.
    AlterFunction(Box<crate::ast_alter_object::AlterFunctionStmt>),
    /// `CREATE | ALTER | DROP OPERATOR FAMILY`, `CREATE | DROP OPERATOR CLASS`.
    OpClass(Box<crate::ast_opclass::OpClassStmt>),
    /// `CREATE | DROP CAST`, `CREATE | DROP CONVERSION`.
    Cast(Box<crate::ast_cast::CastStmt>),
    /// A statement tusk recognises but cannot run yet; carries PostgreSQL's command tag.
    Unsupported {
        /// The command tag PostgreSQL would report (`CREATE TABLE`).
        tag: String,
        /// A relation the statement names, when it needs an existing one.
        relation: Option<RangeVar>,
    },
}

/// `DECLARE ... CURSOR` (PostgreSQL docs: SQL Commands, DECLARE).
#[derive(Debug, Clone, PartialEq)]
pub struct DeclareCursorStmt {
    /// The cursor's name.
    pub name: String,
    /// `BINARY`: rows are fetched in binary format.
    pub binary: bool,
    /// `SCROLL` (`Some(true)`), `NO SCROLL` (`Some(false)`) or neither.
    pub scroll: Option<bool>,
    /// `WITH HOLD`: the cursor outlives the transaction that commits it.
    pub hold: bool,
    /// The query (a SELECT or VALUES).
    pub query: Box<RawStatement>,
}

/// Which way `FETCH` / `MOVE` goes (PostgreSQL's `FetchDirection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchDirection {
    /// `count` rows forward (`NEXT`, `FORWARD n`, `n`, `ALL`).
    Forward,
    /// `count` rows backward (`PRIOR`, `BACKWARD n`).
    Backward,
    /// To row `count` (`ABSOLUTE n`, `FIRST`, `LAST` as -1); negative counts from the end.
    Absolute,
    /// `count` rows from the current one (`RELATIVE n`).
    Relative,
}

/// `FETCH` / `MOVE` (PostgreSQL docs: SQL Commands, FETCH).
#[derive(Debug, Clone, PartialEq)]
pub struct FetchStmt {
    /// The cursor's name.
    pub name: String,
    /// The direction.
    pub direction: FetchDirection,
    /// Row count or position; [`FETCH_ALL`] for `ALL`.
    pub count: i64,
    /// `MOVE`: reposition without returning rows.
    pub is_move: bool,
}

/// The count `FETCH ALL` carries (PostgreSQL's `FETCH_ALL`, `LONG_MAX`).
pub const FETCH_ALL: i64 = i64::MAX;

/// `LISTEN`, `UNLISTEN` or `NOTIFY` (PostgreSQL's `ListenStmt`, `UnlistenStmt`,
/// `NotifyStmt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenStmt {
    /// `LISTEN channel`.
    Listen(String),
    /// `UNLISTEN channel`, or `UNLISTEN *` (`None`).
    Unlisten(Option<String>),
    /// `NOTIFY channel [, 'payload']`.
    Notify {
        /// Channel name (an identifier, folded to lower case unless quoted).
        channel: String,
        /// The payload literal, if given.
        payload: Option<String>,
    },
}

/// `DISCARD` target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscardTarget {
    /// `DISCARD ALL`.
    All,
    /// `DISCARD PLANS`.
    Plans,
    /// `DISCARD SEQUENCES`.
    Sequences,
    /// `DISCARD TEMP`.
    Temp,
}

/// `SET`/`RESET` forms (PostgreSQL's `VariableSetStmt`).
#[derive(Debug, Clone, PartialEq)]
pub enum SetStmt {
    /// `SET [LOCAL] name TO value[, ...]`; values already flattened to text per item.
    Value {
        /// Parameter name, lower-cased.
        name: String,
        /// Items as written (string literals unquoted, numbers as written, identifiers).
        values: Vec<SetArg>,
        /// `SET LOCAL`.
        local: bool,
    },
    /// `SET [LOCAL] name TO DEFAULT`.
    Default {
        /// Parameter name.
        name: String,
        /// `SET LOCAL`.
        local: bool,
    },
    /// `SET name FROM CURRENT` (functions only).
    FromCurrent {
        /// Parameter name.
        name: String,
    },
    /// `SET TRANSACTION ...` / `SET SESSION CHARACTERISTICS AS TRANSACTION ...`.
    Transaction {
        /// True for `SESSION CHARACTERISTICS` (sets the defaults).
        session: bool,
        /// Isolation level, read-only, deferrable.
        options: Vec<TransactionOption>,
    },
    /// `RESET name`.
    Reset(String),
    /// `RESET ALL`.
    ResetAll,
}

/// One item of a `SET` value list.
#[derive(Debug, Clone, PartialEq)]
pub enum SetArg {
    /// A string literal or identifier.
    String(String),
    /// A numeric literal, as written.
    Number(String),
}

/// Transaction control statements.
#[derive(Debug, Clone, PartialEq)]
pub enum TransactionStmt {
    /// `BEGIN` / `START TRANSACTION` with options.
    Begin(Vec<TransactionOption>),
    /// `COMMIT [AND CHAIN]`.
    Commit {
        /// `AND CHAIN`.
        chain: bool,
    },
    /// `ROLLBACK [AND CHAIN]`.
    Rollback {
        /// `AND CHAIN`.
        chain: bool,
    },
    /// `SAVEPOINT name`.
    Savepoint(String),
    /// `RELEASE [SAVEPOINT] name`.
    Release(String),
    /// `ROLLBACK TO [SAVEPOINT] name`.
    RollbackTo(String),
    /// `PREPARE TRANSACTION`, `COMMIT PREPARED`, `ROLLBACK PREPARED`.
    TwoPhase(String),
}

/// A transaction mode.
#[derive(Debug, Clone, PartialEq)]
pub enum TransactionOption {
    /// `ISOLATION LEVEL ...` (lower-case: `read committed`, `serializable`, ...).
    Isolation(String),
    /// `READ ONLY` (true) or `READ WRITE` (false).
    ReadOnly(bool),
    /// `[NOT] DEFERRABLE`.
    Deferrable(bool),
}

/// One item of GROUP BY, as PostgreSQL's grammar has them (§7.2.4 of its docs).
#[derive(Debug, Clone, PartialEq)]
pub enum GroupingElement {
    /// One set of expressions: a plain GROUP BY item (`a`), a parenthesised list inside
    /// a grouping-set construct (`(a, b)`), or the empty set `()`.
    Simple(Vec<Expr>),
    /// `ROLLUP (e1, ..., en)`: the sets `(e1..en)`, `(e1..en-1)`, ..., `()`; each element
    /// is one expression or a parenthesised list.
    Rollup(Vec<Vec<Expr>>, usize),
    /// `CUBE (e1, ..., en)`: every subset of the elements.
    Cube(Vec<Vec<Expr>>, usize),
    /// `GROUPING SETS (...)`: the sets of each item, one after another.
    Sets(Vec<GroupingElement>, usize),
}

/// A `SELECT` (or `VALUES`) query block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SelectStmt {
    /// Target list.
    pub targets: Vec<ResTarget>,
    /// FROM items.
    pub from: Vec<FromItem>,
    /// WHERE.
    pub where_clause: Option<Expr>,
    /// `VALUES` rows (then `targets` and `from` are empty).
    pub values: Vec<Vec<Expr>>,
    /// ORDER BY.
    pub order_by: Vec<SortBy>,
    /// LIMIT.
    pub limit: Option<Expr>,
    /// OFFSET.
    pub offset: Option<Expr>,
    /// `DISTINCT` (`Some(vec![])`) or `DISTINCT ON (exprs)`.
    pub distinct: Option<Vec<Expr>>,
    /// GROUP BY items.
    pub group_by: Vec<GroupingElement>,
    /// `GROUP BY DISTINCT`: duplicate grouping sets are dropped.
    pub group_distinct: bool,
    /// HAVING.
    pub having: Option<Expr>,
    /// `left UNION/INTERSECT/EXCEPT right`: then only `order_by`, `limit` and `offset`
    /// apply besides it (to the combined rows).
    pub set_op: Option<Box<SetOperation>>,
    /// `WITH [RECURSIVE]` common table expressions.
    pub with: Option<WithClause>,
    /// `WINDOW name AS (...)` definitions.
    pub windows: Vec<(String, WindowSpec)>,
    /// `FOR UPDATE/SHARE ...` clauses (`ast_lock.rs`).
    pub locking: Vec<crate::ast_lock::LockingClause>,
    /// Features present that tusk cannot run yet, with their location: reported as 0A000.
    pub unsupported: Option<(String, usize)>,
}

/// `WITH [RECURSIVE] name [(columns)] AS (query), ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct WithClause {
    /// RECURSIVE.
    pub recursive: bool,
    /// The common table expressions, in order.
    pub ctes: Vec<CommonTableExpr>,
}

/// One common table expression.
#[derive(Debug, Clone, PartialEq)]
pub struct CommonTableExpr {
    /// Its name.
    pub name: String,
    /// Column aliases.
    pub columns: Vec<String>,
    /// The query (empty when [`CommonTableExpr::modify`] is set).
    pub query: SelectStmt,
    /// A data-modifying statement (INSERT, UPDATE, DELETE; MERGE is refused when
    /// analysed) in place of the query.
    pub modify: Option<Box<Statement>>,
    /// `SEARCH DEPTH|BREADTH FIRST BY ... SET ...`.
    pub search: Option<CteSearch>,
    /// `CYCLE ... SET ... [TO ... DEFAULT ...] USING ...`.
    pub cycle: Option<CteCycle>,
    /// Location.
    pub location: usize,
}

/// A recursive CTE's SEARCH clause: a column ordering rows depth or breadth first.
#[derive(Debug, Clone, PartialEq)]
pub struct CteSearch {
    /// BREADTH FIRST (else DEPTH FIRST).
    pub breadth_first: bool,
    /// The columns searched by.
    pub columns: Vec<String>,
    /// The sequence column added.
    pub sequence_column: String,
    /// Location.
    pub location: usize,
}

/// A recursive CTE's CYCLE clause: a mark column and a path column that stop a cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct CteCycle {
    /// The columns whose values repeat in a cycle.
    pub columns: Vec<String>,
    /// The mark column added.
    pub mark_column: String,
    /// The mark of a row that closes a cycle (`TO`; `true` when omitted).
    pub mark_value: Option<Expr>,
    /// The mark of other rows (`DEFAULT`; `false` when omitted).
    pub mark_default: Option<Expr>,
    /// The path column added.
    pub path_column: String,
    /// Location.
    pub location: usize,
}

/// `OVER ([PARTITION BY ...] [ORDER BY ...])` with the default frame.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpec {
    /// The named window (`WINDOW w AS (...)`) this one starts from: `OVER w`,
    /// `OVER (w ORDER BY ...)`.
    pub refname: Option<String>,
    /// PARTITION BY.
    pub partition_by: Vec<Expr>,
    /// ORDER BY.
    pub order_by: Vec<SortBy>,
    /// An explicit frame (`ROWS`/`RANGE ...`); `None` for the default.
    pub frame: Option<WindowFrame>,
    /// Location of the window clause.
    pub location: usize,
}

/// `ROWS|RANGE|GROUPS [BETWEEN] start [AND end] [EXCLUDE ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowFrame {
    /// ROWS, RANGE or GROUPS.
    pub mode: FrameMode,
    /// Frame start.
    pub start: FrameBound,
    /// Frame end.
    pub end: FrameBound,
    /// The EXCLUDE clause.
    pub exclusion: FrameExclusion,
    /// Location of the window definition.
    pub location: usize,
}

/// What a window frame's offsets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameMode {
    /// `ROWS`: rows.
    Rows,
    /// `RANGE`: distance in the single ORDER BY column's value; peers count as one.
    Range,
    /// `GROUPS`: peer groups.
    Groups,
}

/// `EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameExclusion {
    /// `EXCLUDE NO OTHERS` (the default).
    NoOthers,
    /// `EXCLUDE CURRENT ROW`.
    CurrentRow,
    /// `EXCLUDE GROUP`: the current row and its peers.
    Group,
    /// `EXCLUDE TIES`: the current row's peers but not the row itself.
    Ties,
}

/// One end of a window frame.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameBound {
    /// `UNBOUNDED PRECEDING`.
    UnboundedPreceding,
    /// `n PRECEDING`.
    Preceding(Box<Expr>),
    /// `CURRENT ROW`.
    CurrentRow,
    /// `n FOLLOWING`.
    Following(Box<Expr>),
    /// `UNBOUNDED FOLLOWING`.
    UnboundedFollowing,
}

/// A set operation's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOpKind {
    /// `UNION`.
    Union,
    /// `INTERSECT`.
    Intersect,
    /// `EXCEPT`.
    Except,
}

/// `left op [ALL] right`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetOperation {
    /// Which operation.
    pub op: SetOpKind,
    /// `ALL`: keep duplicates.
    pub all: bool,
    /// Left input.
    pub left: SelectStmt,
    /// Right input.
    pub right: SelectStmt,
}

/// An ORDER BY item.
#[derive(Debug, Clone, PartialEq)]
pub struct SortBy {
    /// Sort key.
    pub expr: Expr,
    /// DESC.
    pub descending: bool,
    /// NULLS FIRST (`Some(true)`), NULLS LAST (`Some(false)`), default (`None`).
    pub nulls_first: Option<bool>,
    /// `USING op`: the operator's (possibly qualified) name and location.
    pub using: Option<(Vec<String>, usize)>,
}

/// A target-list entry: `expr [AS name]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResTarget {
    /// Output name given with AS.
    pub name: Option<String>,
    /// The value (a `*` is [`Expr::Column`] with a star field).
    pub expr: Expr,
    /// Location.
    pub location: usize,
}

/// One function of a FROM item, with its column definition list.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeFunctionCall {
    /// The call.
    pub call: Expr,
    /// A column definition list (`AS x(a int, b text)`) for a function returning
    /// `record`: names and types; empty if none.
    pub column_defs: Vec<(String, TypeName)>,
    /// Where the column definition list starts (byte offset; `usize::MAX` if none).
    pub column_defs_location: usize,
}

/// A FROM item.
#[derive(Debug, Clone, PartialEq)]
pub enum FromItem {
    /// A named relation.
    Relation(RangeVar),
    /// A function call in FROM (`generate_series(1, 10) AS g(x)`), or several zipped
    /// side by side (`ROWS FROM (f(), g()) AS x(a, b)`).
    Function {
        /// The calls: one, unless written with ROWS FROM.
        functions: Vec<RangeFunctionCall>,
        /// Alias and column aliases.
        alias: Option<Alias>,
        /// WITH ORDINALITY.
        ordinality: bool,
    },
    /// A subquery in FROM: `(SELECT ...) AS alias (cols)`.
    Subquery {
        /// The subquery.
        query: Box<SelectStmt>,
        /// Alias (PostgreSQL 15 requires one).
        alias: Option<Alias>,
        /// LATERAL: it may refer to the FROM items to its left.
        lateral: bool,
    },
    /// `left [kind] JOIN right ...`.
    Join(Box<JoinItem>),
    /// Anything else, reported as not supported yet.
    Other(String, usize),
}

/// A join kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `[INNER] JOIN` and `CROSS JOIN`.
    Inner,
    /// `LEFT [OUTER] JOIN`.
    Left,
    /// `RIGHT [OUTER] JOIN`.
    Right,
    /// `FULL [OUTER] JOIN`.
    Full,
}

/// How a join matches rows.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinQual {
    /// No condition (`CROSS JOIN`).
    None,
    /// `ON condition`.
    On(Expr),
    /// `USING (columns)`.
    Using(Vec<String>),
    /// `NATURAL`: USING the columns both sides share.
    Natural,
}

/// A join in FROM.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinItem {
    /// Join kind.
    pub kind: JoinKind,
    /// Left input.
    pub left: FromItem,
    /// Right input.
    pub right: FromItem,
    /// Condition.
    pub qual: JoinQual,
    /// `AS alias` after the parenthesised join.
    pub alias: Option<Alias>,
    /// `USING (...) AS name` (PostgreSQL 14's join_using_alias): a name for the merged
    /// USING columns only, usable as `name.column`.
    pub using_alias: Option<String>,
}

/// `relname [AS alias]`, possibly schema-qualified.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeVar {
    /// Schema, if qualified.
    pub schema: Option<String>,
    /// Relation name.
    pub name: String,
    /// Alias.
    pub alias: Option<Alias>,
    /// Location.
    pub location: usize,
    /// Whether inheritance children are included (`false` for `ONLY name`): a scan of
    /// the relation also reads its descendants, as PostgreSQL's `RangeVar.inh`.
    pub inh: bool,
}

/// `AS name (col, ...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// Alias name.
    pub name: String,
    /// Column aliases.
    pub columns: Vec<String>,
}

/// A type as written: `numeric(10,2)`, `int[]`, `pg_catalog.int4`, `timestamp with time zone`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeName {
    /// Possibly qualified name, as the grammar produced it (`pg_catalog.int4` for `integer`).
    pub names: Vec<String>,
    /// Type modifiers as written (integer constants in practice).
    pub typmods: Vec<Expr>,
    /// Array dimensions (`-1` when unspecified).
    pub array_bounds: Vec<i32>,
    /// Location.
    pub location: usize,
}

/// A literal constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// An integer that fits in 32 bits.
    Integer(i64),
    /// A numeric literal that does not fit in `integer` or has a point/exponent, as written.
    Numeric(String),
    /// A string literal (type unknown until resolved).
    String(String),
    /// `TRUE`/`FALSE`.
    Bool(bool),
    /// `NULL`.
    Null,
    /// A bit-string literal (`B'101'`, `X'1F'`), as the grammar encodes it.
    BitString(String),
}

/// Special SQL-standard value functions (`CURRENT_DATE`, `CURRENT_USER`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlValueFunction {
    /// `CURRENT_DATE`.
    CurrentDate,
    /// `CURRENT_TIME[(p)]`.
    CurrentTime,
    /// `CURRENT_TIMESTAMP[(p)]`.
    CurrentTimestamp,
    /// `LOCALTIME[(p)]`.
    LocalTime,
    /// `LOCALTIMESTAMP[(p)]`.
    LocalTimestamp,
    /// `CURRENT_ROLE`.
    CurrentRole,
    /// `CURRENT_USER`.
    CurrentUser,
    /// `USER`.
    User,
    /// `SESSION_USER`.
    SessionUser,
    /// `CURRENT_CATALOG`.
    CurrentCatalog,
    /// `CURRENT_SCHEMA`.
    CurrentSchema,
}

/// `IS [NOT] TRUE/FALSE/UNKNOWN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolTestKind {
    /// IS TRUE.
    IsTrue,
    /// IS NOT TRUE.
    IsNotTrue,
    /// IS FALSE.
    IsFalse,
    /// IS NOT FALSE.
    IsNotFalse,
    /// IS UNKNOWN.
    IsUnknown,
    /// IS NOT UNKNOWN.
    IsNotUnknown,
}

impl BoolTestKind {
    /// The test as SQL writes it after its operand (`IS NOT TRUE`).
    pub fn sql(self) -> &'static str {
        match self {
            BoolTestKind::IsTrue => "IS TRUE",
            BoolTestKind::IsNotTrue => "IS NOT TRUE",
            BoolTestKind::IsFalse => "IS FALSE",
            BoolTestKind::IsNotFalse => "IS NOT FALSE",
            BoolTestKind::IsUnknown => "IS UNKNOWN",
            BoolTestKind::IsNotUnknown => "IS NOT UNKNOWN",
        }
    }
}

/// An expression as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal.
    Const(Literal, usize),
    /// A column reference; a `*` field is the string `"*"`.
    Column(Vec<String>, usize),
    /// `$n` (1-based).
    Param(u32, usize),
    /// An operator: `left name right`, or prefix `name right`.
    Op {
        /// Operator name (the last element of a possibly qualified name).
        name: String,
        /// Left operand (None for prefix operators).
        left: Option<Box<Expr>>,
        /// Right operand.
        right: Box<Expr>,
        /// Location of the operator.
        location: usize,
    },
    /// `a IS [NOT] DISTINCT FROM b`.
    Distinct {
        /// True for IS NOT DISTINCT FROM.
        not: bool,
        /// Left.
        left: Box<Expr>,
        /// Right.
        right: Box<Expr>,
        /// Location.
        location: usize,
    },
    /// `NULLIF(a, b)`.
    NullIf(Box<Expr>, Box<Expr>, usize),
    /// `a [NOT] IN (list)`.
    InList {
        /// Tested value.
        expr: Box<Expr>,
        /// The list.
        list: Vec<Expr>,
        /// NOT IN.
        negated: bool,
        /// Location.
        location: usize,
    },
    /// `a [NOT] BETWEEN [SYMMETRIC] lo AND hi`.
    Between {
        /// Tested value.
        expr: Box<Expr>,
        /// Lower bound.
        low: Box<Expr>,
        /// Upper bound.
        high: Box<Expr>,
        /// NOT BETWEEN.
        negated: bool,
        /// SYMMETRIC.
        symmetric: bool,
        /// Location.
        location: usize,
    },
    /// `ROW(a, b, ...)` or `(a, b, ...)`: a row constructor (compared column by column).
    Row(Vec<Expr>, usize),
    /// `GROUPING(a, b, ...)`: which of the arguments the current grouping set leaves out.
    Grouping(Vec<Expr>, usize),
    /// AND of the arguments.
    And(Vec<Expr>),
    /// OR of the arguments.
    Or(Vec<Expr>),
    /// NOT.
    Not(Box<Expr>),
    /// A function call.
    Func {
        /// Possibly qualified name.
        name: Vec<String>,
        /// Arguments.
        args: Vec<Expr>,
        /// `f(*)`.
        star: bool,
        /// `f(DISTINCT ...)`.
        distinct: bool,
        /// `FILTER (WHERE ...)` of an aggregate call.
        filter: Option<Box<Expr>>,
        /// `ORDER BY` inside an aggregate call.
        order_by: Vec<SortBy>,
        /// `OVER (...)`: a window function call.
        over: Option<Box<WindowSpec>>,
        /// `WITHIN GROUP (ORDER BY ...)`: an ordered-set aggregate call, whose sort keys are
        /// in `order_by`.
        within_group: bool,
        /// `VARIADIC` before the last argument.
        variadic: bool,
        /// The names of arguments written in named notation (`name => value`) with the
        /// location of the name, one per argument (`None` for positional ones); empty
        /// when every argument is positional.
        arg_names: Vec<Option<(String, usize)>>,
        /// Location.
        location: usize,
    },
    /// `CAST(arg AS type)` / `arg::type` / `type 'literal'`.
    Cast {
        /// Operand.
        arg: Box<Expr>,
        /// Target type.
        type_name: TypeName,
        /// Location.
        location: usize,
    },
    /// `arg IS [NOT] NULL`.
    NullTest {
        /// Operand.
        arg: Box<Expr>,
        /// IS NULL (true) or IS NOT NULL (false).
        is_null: bool,
        /// Location.
        location: usize,
    },
    /// `arg IS [NOT] TRUE/FALSE/UNKNOWN`.
    BoolTest {
        /// Operand.
        arg: Box<Expr>,
        /// Which test.
        kind: BoolTestKind,
        /// Location.
        location: usize,
    },
    /// `CASE [arg] WHEN .. THEN .. [ELSE ..] END`.
    Case {
        /// Operand of a simple CASE.
        arg: Option<Box<Expr>>,
        /// WHEN condition/value and THEN result pairs.
        whens: Vec<(Expr, Expr)>,
        /// ELSE result.
        default: Option<Box<Expr>>,
        /// Location.
        location: usize,
    },
    /// `COALESCE(args)`.
    Coalesce(Vec<Expr>, usize),
    /// `GREATEST(args)` (true) / `LEAST(args)` (false).
    MinMax {
        /// GREATEST.
        greatest: bool,
        /// Arguments.
        args: Vec<Expr>,
        /// Location.
        location: usize,
    },
    /// `CURRENT_DATE` and friends, with an optional precision.
    SqlValue(SqlValueFunction, Option<i32>, usize),
    /// A subquery in an expression: `EXISTS (...)`, `(SELECT ...)`, `x IN (...)`,
    /// `x op ANY/ALL (...)`.
    SubLink {
        /// Which form.
        kind: SubLinkKind,
        /// The tested value of ANY/ALL (IN is `= ANY`).
        test: Option<Box<Expr>>,
        /// The operator of ANY/ALL.
        op: String,
        /// The subquery.
        query: Box<SelectStmt>,
        /// Location.
        location: usize,
    },
    /// `ARRAY[a, b]`; the inner brackets of `ARRAY[[1,2],[3,4]]` are nested `Array`s.
    Array(Vec<Expr>, usize),
    /// `arg[i]`, `arg[i][j]`, `arg[lo:hi]`: subscripts applied to a value.
    Subscript {
        /// The subscripted value.
        arg: Box<Expr>,
        /// One entry per bracket.
        indices: Vec<ArrayIndex>,
    },
    /// `(arg).field`: one field of a composite value; `(arg).*` has the field `"*"`.
    FieldSelect {
        /// The composite value.
        arg: Box<Expr>,
        /// The field name, or `"*"`.
        field: String,
    },
    /// `left op ANY (right)` / `left op ALL (right)` with an array on the right
    /// (PostgreSQL's `ScalarArrayOpExpr`).
    AnyAll {
        /// Operator name.
        name: String,
        /// Left operand.
        left: Box<Expr>,
        /// The array.
        right: Box<Expr>,
        /// ALL (true) or ANY/SOME (false).
        all: bool,
        /// Location of the operator.
        location: usize,
    },
    /// An SQL/XML construct: `XMLCONCAT`, `XMLELEMENT`, `XMLFOREST`, `XMLPARSE`, `XMLPI`,
    /// `XMLROOT`, `XMLSERIALIZE`, `IS DOCUMENT` (PostgreSQL's `XmlExpr` and
    /// `XmlSerialize`).
    Xml(Box<XmlExpr>),
    /// Syntax tusk cannot evaluate yet; reported as 0A000 naming the construct.
    Unsupported(String, usize),
    /// `DEFAULT` where an expression stands (not a whole INSERT or SET item), at its
    /// location: 42601 `DEFAULT is not allowed in this context`.
    Default(usize),
}

/// The form of a subquery in an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubLinkKind {
    /// `EXISTS (subquery)`.
    Exists,
    /// `(subquery)`: its one value.
    Expr,
    /// `x op ANY (subquery)`, `x IN (subquery)`.
    Any,
    /// `x op ALL (subquery)`.
    All,
    /// `ARRAY(subquery)`: its values, in row order, as an array.
    Array,
    /// One column of `SET (a, b, ...) = (subquery)` in UPDATE or ON CONFLICT DO UPDATE
    /// (PostgreSQL's MULTIEXPR SubLink): the subquery runs once per row and each
    /// assigned column takes its value from the one row's column `column`.
    MultiExpr {
        /// Where the subquery stands: the same for every column of one assignment, so
        /// the executor runs it once per row for all of them.
        id: usize,
        /// 0-based column of the subquery's row.
        column: usize,
        /// How many columns the assignment names (the subquery must return as many).
        columns: usize,
        /// Where the subquery's output column stands (its location if unknown), for
        /// assignment errors.
        column_location: usize,
    },
}

/// One bracket of a subscript: `[upper]` or, for a slice, `[lower:upper]` with either
/// bound omissible.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayIndex {
    /// `[lower:upper]` rather than `[upper]`.
    pub is_slice: bool,
    /// The lower bound of a slice.
    pub lower: Option<Expr>,
    /// The subscript, or the upper bound of a slice.
    pub upper: Option<Expr>,
}

/// Which SQL/XML construct an [`XmlExpr`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlOp {
    /// `XMLCONCAT(args)`.
    Concat,
    /// `XMLELEMENT(NAME name, XMLATTRIBUTES(named_args), args)`.
    Element,
    /// `XMLFOREST(named_args)`.
    Forest,
    /// `XMLPARSE(DOCUMENT|CONTENT arg [PRESERVE|STRIP WHITESPACE])`: args are the value
    /// and the whitespace flag.
    Parse,
    /// `XMLPI(NAME name [, arg])`.
    Pi,
    /// `XMLROOT(xml, VERSION v, STANDALONE s)`: args are the value, the version and the
    /// standalone code.
    Root,
    /// `XMLSERIALIZE(DOCUMENT|CONTENT arg AS type)`.
    Serialize,
    /// `arg IS DOCUMENT`.
    IsDocument,
}

/// An SQL/XML construct ([`Expr::Xml`]).
#[derive(Debug, Clone, PartialEq)]
pub struct XmlExpr {
    /// The construct.
    pub op: XmlOp,
    /// `NAME name` of XMLELEMENT and XMLPI.
    pub name: Option<String>,
    /// XMLATTRIBUTES of XMLELEMENT, the elements of XMLFOREST: each value with its `AS`
    /// name, if written, and location.
    pub named_args: Vec<(Expr, Option<String>, usize)>,
    /// The other arguments.
    pub args: Vec<Expr>,
    /// `DOCUMENT` (true) or `CONTENT`, for XMLPARSE and XMLSERIALIZE.
    pub document: bool,
    /// XMLSERIALIZE's target type.
    pub target: Option<TypeName>,
    /// Location of the construct.
    pub location: usize,
}

impl Expr {
    /// The source location of the expression (byte offset).
    pub fn location(&self) -> usize {
        match self {
            Expr::Const(_, l)
            | Expr::Column(_, l)
            | Expr::Param(_, l)
            | Expr::NullIf(_, _, l)
            | Expr::Coalesce(_, l)
            | Expr::SqlValue(_, _, l)
            | Expr::Unsupported(_, l)
            | Expr::Default(l)
            | Expr::Row(_, l)
            | Expr::Grouping(_, l) => *l,
            // PostgreSQL's exprLocation: the leftmost of the operator and its operands.
            Expr::Op {
                location,
                left: Some(left),
                ..
            } => (*location).min(left.location()),
            Expr::Cast { arg, location, .. } => (*location).min(arg.location()),
            Expr::Xml(x) => x.location,
            Expr::Op { location, .. }
            | Expr::Distinct { location, .. }
            | Expr::InList { location, .. }
            | Expr::Between { location, .. }
            | Expr::Func { location, .. }
            | Expr::NullTest { location, .. }
            | Expr::BoolTest { location, .. }
            | Expr::Case { location, .. }
            | Expr::MinMax { location, .. } => *location,
            Expr::SubLink {
                kind:
                    SubLinkKind::MultiExpr {
                        column_location, ..
                    },
                ..
            } => *column_location,
            Expr::SubLink { location, .. } => *location,
            Expr::And(args) | Expr::Or(args) => args.first().map(Expr::location).unwrap_or(0),
            Expr::Not(arg) | Expr::Subscript { arg, .. } | Expr::FieldSelect { arg, .. } => {
                arg.location()
            }
            Expr::Array(_, l) | Expr::AnyAll { location: l, .. } => *l,
        }
    }
}

/// An error PostgreSQL reports during parse analysis for a shape the grammar accepts (or a
/// clause tusk cannot run yet, as 0A000), kept in the tree so the analyzer reports it with
/// its position.
#[derive(Debug, Clone, PartialEq)]
pub struct DeferredError {
    /// SQLSTATE.
    pub code: tusk_types::SqlState,
    /// Message text.
    pub message: String,
    /// Location (`usize::MAX` for none).
    pub location: usize,
}

/// `INSERT INTO relation [AS alias] [(columns)] [OVERRIDING ...] source [ON CONFLICT ...]
/// [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertStmt {
    /// Target relation, with its alias.
    pub relation: RangeVar,
    /// Target columns as written (empty = all columns in order).
    pub columns: Vec<InsertColumn>,
    /// Where the rows come from.
    pub source: InsertSource,
    /// `OVERRIDING SYSTEM VALUE` / `OVERRIDING USER VALUE`.
    pub overriding: Option<Overriding>,
    /// `ON CONFLICT ...`.
    pub on_conflict: Option<OnConflict>,
    /// RETURNING list.
    pub returning: Vec<ResTarget>,
    /// The first error analysis must report before anything else (WITH, ...).
    pub deferred_error: Option<DeferredError>,
    /// `WITH` before the statement: CTEs its queries may read.
    pub with: Option<WithClause>,
}

/// One column of an INSERT's column list.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertColumn {
    /// Column name.
    pub name: String,
    /// Subscripts and field names after the name (`a[1]`, `c.f`), in order.
    pub indirection: Vec<TargetIndirection>,
    /// Location.
    pub location: usize,
}

/// One step of an assignment target's indirection: what part of the column's value
/// the assignment replaces.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetIndirection {
    /// `[i]` or `[lower:upper]`.
    Subscript(Box<ArrayIndex>),
    /// `.name` (`*` for `.*`).
    Field(String),
}

/// The rows an INSERT inserts.
#[derive(Debug, Clone, PartialEq)]
pub enum InsertSource {
    /// `DEFAULT VALUES`.
    DefaultValues,
    /// A plain `VALUES (...), (...)` list, whose items may be `DEFAULT`.
    Values(Vec<Vec<InsertValue>>),
    /// Any other query (`SELECT ...`, `VALUES ... ORDER BY ...`).
    Select(Box<SelectStmt>),
}

/// An item of an INSERT's VALUES row or an UPDATE's SET clause.
#[derive(Debug, Clone, PartialEq)]
pub enum InsertValue {
    /// An expression.
    Expr(Expr),
    /// `DEFAULT`, at its location.
    Default(usize),
}

impl InsertValue {
    /// Where the item stands in the statement.
    pub fn location(&self) -> usize {
        match self {
            InsertValue::Expr(e) => e.location(),
            InsertValue::Default(l) => *l,
        }
    }
}

/// `OVERRIDING { SYSTEM | USER } VALUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overriding {
    /// `OVERRIDING SYSTEM VALUE`: explicit values go into GENERATED ALWAYS identity columns.
    SystemValue,
    /// `OVERRIDING USER VALUE`: explicit values for identity columns are ignored.
    UserValue,
}

/// `ON CONFLICT [target] DO NOTHING | DO UPDATE SET ... [WHERE ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct OnConflict {
    /// `DO UPDATE` (true) or `DO NOTHING` (false).
    pub do_update: bool,
    /// Inference columns/expressions (`ON CONFLICT (a, b)`).
    pub target: Vec<Expr>,
    /// `ON CONFLICT ON CONSTRAINT name`.
    pub constraint: Option<String>,
    /// `ON CONFLICT (...) WHERE predicate`: infers partial unique indexes.
    pub infer_where: Option<Expr>,
    /// `DO UPDATE SET` assignments.
    pub assignments: Vec<SetClause>,
    /// `DO UPDATE ... WHERE`.
    pub where_clause: Option<Expr>,
    /// Location of `ON CONFLICT`.
    pub location: usize,
}

/// `column = value` of an UPDATE's SET list (`SET (a, b) = (x, y)` gives one per column).
#[derive(Debug, Clone, PartialEq)]
pub struct SetClause {
    /// Column name.
    pub column: String,
    /// Subscripts and field names after the name (`a[1] = ...`, `c.f = ...`), in order.
    pub indirection: Vec<TargetIndirection>,
    /// The value.
    pub value: InsertValue,
    /// Location of the column name.
    pub location: usize,
}

/// `UPDATE relation [AS alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateStmt {
    /// Target relation, with its alias.
    pub relation: RangeVar,
    /// SET assignments in the order written.
    pub assignments: Vec<SetClause>,
    /// FROM items.
    pub from: Vec<FromItem>,
    /// WHERE.
    pub where_clause: Option<Expr>,
    /// RETURNING list.
    pub returning: Vec<ResTarget>,
    /// The first error analysis must report before anything else (WITH, WHERE CURRENT OF,
    /// a malformed multiple-column assignment).
    pub deferred_error: Option<DeferredError>,
    /// `WITH` before the statement: CTEs its queries may read.
    pub with: Option<WithClause>,
}

/// `DELETE FROM relation [AS alias] [USING ...] [WHERE ...] [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteStmt {
    /// Target relation, with its alias.
    pub relation: RangeVar,
    /// USING items.
    pub using: Vec<FromItem>,
    /// WHERE.
    pub where_clause: Option<Expr>,
    /// RETURNING list.
    pub returning: Vec<ResTarget>,
    /// The first error analysis must report before anything else (WITH, WHERE CURRENT OF).
    pub deferred_error: Option<DeferredError>,
    /// `WITH` before the statement: CTEs its queries may read.
    pub with: Option<WithClause>,
}

/// `MERGE INTO relation [AS alias] USING source ON condition WHEN ...` (PostgreSQL 15 has
/// no RETURNING for MERGE).
#[derive(Debug, Clone, PartialEq)]
pub struct MergeStmt {
    /// Target relation, with its alias.
    pub relation: RangeVar,
    /// The data source (a relation, subquery, function or join).
    pub source: FromItem,
    /// The join condition.
    pub on: Expr,
    /// The WHEN clauses in the order written.
    pub when: Vec<MergeWhen>,
    /// The first error analysis must report before anything else (WITH, ...).
    pub deferred_error: Option<DeferredError>,
    /// `WITH` before the statement: CTEs its queries may read.
    pub with: Option<WithClause>,
}

/// One `WHEN [NOT] MATCHED [AND condition] THEN action` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeWhen {
    /// `WHEN MATCHED` (else `WHEN NOT MATCHED`).
    pub matched: bool,
    /// `AND condition`.
    pub condition: Option<Expr>,
    /// The action.
    pub action: MergeWhenAction,
}

/// The action of a [`MergeWhen`].
#[derive(Debug, Clone, PartialEq)]
pub enum MergeWhenAction {
    /// `UPDATE SET ...`.
    Update(Vec<SetClause>),
    /// `DELETE`.
    Delete,
    /// `INSERT [(columns)] [OVERRIDING ...] VALUES (...) | DEFAULT VALUES`.
    Insert {
        /// Target columns as written (empty = all columns in order).
        columns: Vec<InsertColumn>,
        /// `OVERRIDING SYSTEM VALUE` / `OVERRIDING USER VALUE`.
        overriding: Option<Overriding>,
        /// The VALUES items (`None`: DEFAULT VALUES).
        values: Option<Vec<InsertValue>>,
    },
    /// `DO NOTHING`.
    Nothing,
}
