//! Syntax tree of the DDL statements tusk runs: `CREATE TABLE`, `DROP`, `ALTER TABLE`,
//! `ALTER ... RENAME`, `COMMENT ON` and the maintenance commands.
//!
//! Expressions that the catalog stores (column defaults, CHECK constraints) are kept twice:
//! as [`Expr`] for analysis at CREATE time and as SQL text (PostgreSQL's grammar deparsed),
//! which is what `pg_attrdef.adbin` / `pg_constraint.conbin` hold and what later statements
//! parse again.

use crate::ast::{Expr, RangeVar, TypeName};

/// `CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name (...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTableStmt {
    /// The new relation.
    pub relation: RangeVar,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `relpersistence`: `p` permanent, `u` unlogged, `t` temporary.
    pub persistence: u8,
    /// Column definitions in order.
    pub columns: Vec<ColumnDef>,
    /// Table constraints (and column constraints other than NULL/NOT NULL/DEFAULT, moved
    /// here as PostgreSQL's transformCreateStmt does).
    pub constraints: Vec<TableConstraint>,
    /// `WITH (name = value, ...)` storage parameters.
    pub options: Vec<(String, Option<String>)>,
    /// `INHERITS (parent, ...)`: the parents, in order.
    pub inherits: Vec<RangeVar>,
    /// A clause tusk cannot run yet, with its location (0A000).
    pub unsupported: Option<(String, usize)>,
    /// `ON COMMIT` (temporary tables only).
    pub on_commit: OnCommit,
    /// `PARTITION BY` / `PARTITION OF`.
    pub partition: crate::ast_partition::PartitionClause,
    /// `LIKE source [INCLUDING|EXCLUDING ...]` clauses, in order.
    pub like: Vec<TableLikeClause>,
}

/// `LIKE source [{INCLUDING|EXCLUDING} option ...]` in CREATE TABLE's element list.
#[derive(Debug, Clone, PartialEq)]
pub struct TableLikeClause {
    /// The relation whose definition is copied.
    pub relation: RangeVar,
    /// PostgreSQL's `TableLikeOption` bits (see [`TableLikeClause::COMMENTS`] ...).
    pub options: u32,
    /// How many column definitions precede the clause: its columns go there.
    pub position: usize,
}

impl TableLikeClause {
    /// `INCLUDING COMMENTS`.
    pub const COMMENTS: u32 = 1 << 0;
    /// `INCLUDING COMPRESSION`.
    pub const COMPRESSION: u32 = 1 << 1;
    /// `INCLUDING CONSTRAINTS` (CHECK constraints).
    pub const CONSTRAINTS: u32 = 1 << 2;
    /// `INCLUDING DEFAULTS`.
    pub const DEFAULTS: u32 = 1 << 3;
    /// `INCLUDING GENERATED`.
    pub const GENERATED: u32 = 1 << 4;
    /// `INCLUDING IDENTITY`.
    pub const IDENTITY: u32 = 1 << 5;
    /// `INCLUDING INDEXES`.
    pub const INDEXES: u32 = 1 << 6;
    /// `INCLUDING STATISTICS`.
    pub const STATISTICS: u32 = 1 << 7;
    /// `INCLUDING STORAGE`.
    pub const STORAGE: u32 = 1 << 8;

    /// Whether option `bit` is included.
    pub fn includes(&self, bit: u32) -> bool {
        self.options & bit != 0
    }
}

/// What happens to a temporary table at the end of each transaction (`ON COMMIT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnCommit {
    /// No `ON COMMIT` clause.
    #[default]
    Unspecified,
    /// `ON COMMIT PRESERVE ROWS` (what no clause means, but written).
    PreserveRows,
    /// `ON COMMIT DELETE ROWS`: emptied at every commit.
    DeleteRows,
    /// `ON COMMIT DROP`: dropped at the commit of the creating transaction.
    Drop,
}

impl OnCommit {
    /// From libpg_query's `OnCommitAction` number (1 none, 2 PRESERVE ROWS, 3 DELETE
    /// ROWS, 4 DROP).
    pub fn from_pg(action: i32) -> OnCommit {
        match action {
            2 => OnCommit::PreserveRows,
            3 => OnCommit::DeleteRows,
            4 => OnCommit::Drop,
            _ => OnCommit::Unspecified,
        }
    }
}

/// One column of CREATE TABLE.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// Column name.
    pub name: String,
    /// Declared type.
    pub type_name: TypeName,
    /// `NOT NULL` (true) or `NULL` (false) if written; the last one wins, as in PostgreSQL.
    pub not_null: bool,
    /// `DEFAULT expr`: the expression and its SQL text.
    pub default: Option<(Expr, String)>,
    /// `GENERATED ALWAYS|BY DEFAULT AS IDENTITY`: `a` or `d`.
    pub identity: Option<u8>,
    /// The identity's sequence options (`GENERATED ... AS IDENTITY (START WITH 10)`).
    pub identity_options: Box<SequenceOptions>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression, its SQL text and the
    /// clause's location.
    pub generated: Option<Box<(Expr, String, usize)>>,
    /// Location of the column name.
    pub location: usize,
    /// `c WITH OPTIONS ...` of a partition (no type written, `type_name` empty): options
    /// for the column the table gets from its parent.
    pub with_options: bool,
    /// `COLLATE name`: the (possibly qualified) collation name and its location.
    pub collation: Option<(Vec<String>, usize)>,
}

/// A table constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum TableConstraint {
    /// `[CONSTRAINT name] CHECK (expr)`: name, expression, its SQL text, location.
    Check {
        /// Given name.
        name: Option<String>,
        /// The expression.
        expr: Expr,
        /// Its SQL text.
        sql: String,
        /// For an unnamed column constraint: the column it was written on.
        column: Option<String>,
        /// Location.
        location: usize,
    },
    /// `PRIMARY KEY (cols)` / `UNIQUE (cols)`.
    Unique {
        /// Given name.
        name: Option<String>,
        /// Key columns.
        columns: Vec<String>,
        /// PRIMARY KEY (columns become NOT NULL).
        primary: bool,
        /// `WITH (...)` storage parameters of its index.
        options: Vec<(String, Option<String>)>,
        /// Location.
        location: usize,
    },
    /// `[CONSTRAINT name] FOREIGN KEY (cols) REFERENCES t [(cols)] [MATCH ...] [ON DELETE
    /// ...] [ON UPDATE ...]`, or a column's `REFERENCES t [(col)]`.
    ForeignKey(ForeignKeyDef),
}

/// A FOREIGN KEY constraint as written (PostgreSQL's `Constraint` node with `CONSTR_FOREIGN`).
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyDef {
    /// Given name.
    pub name: Option<String>,
    /// Referencing columns (the column itself for a column constraint).
    pub columns: Vec<String>,
    /// The referenced table.
    pub ref_table: RangeVar,
    /// Referenced columns (empty: the referenced table's primary key).
    pub ref_columns: Vec<String>,
    /// `confmatchtype`: `s` MATCH SIMPLE (the default), `f` MATCH FULL, `p` MATCH PARTIAL.
    pub match_type: u8,
    /// `confupdtype`: `a` NO ACTION, `r` RESTRICT, `c` CASCADE, `n` SET NULL, `d` SET DEFAULT.
    pub on_update: u8,
    /// `confdeltype`, as `on_update`.
    pub on_delete: u8,
    /// `ON DELETE SET NULL (cols)` / `SET DEFAULT (cols)` column lists were given.
    pub delete_set_columns: bool,
    /// `NOT VALID`.
    pub not_valid: bool,
    /// `DEFERRABLE` (`condeferrable`).
    pub deferrable: bool,
    /// `INITIALLY DEFERRED` (`condeferred`).
    pub initially_deferred: bool,
    /// Location.
    pub location: usize,
}

/// What a DROP statement removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropKind {
    /// `DROP TABLE`.
    Table,
    /// `DROP SEQUENCE`.
    Sequence,
    /// `DROP INDEX`.
    Index,
    /// `DROP VIEW`.
    View,
    /// `DROP SCHEMA` (each object's `name` is a schema name).
    Schema,
    /// `DROP TYPE` (each object's `schema`/`name` is the type's).
    Type,
    /// `DROP DOMAIN` (each object's `schema`/`name` is the domain's).
    Domain,
    /// `DROP MATERIALIZED VIEW`.
    MaterializedView,
    /// `DROP FOREIGN TABLE`.
    ForeignTable,
    /// `DROP FUNCTION`, ...: not yet supported.
    Other,
}

/// `DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropStmt {
    /// Kind of object.
    pub kind: DropKind,
    /// PostgreSQL's command tag (`DROP TABLE`).
    pub tag: String,
    /// Objects named.
    pub objects: Vec<RangeVar>,
    /// `IF EXISTS`.
    pub missing_ok: bool,
    /// `CASCADE`.
    pub cascade: bool,
    /// `DROP INDEX CONCURRENTLY`.
    pub concurrently: bool,
}

/// Which kind of relation an `ALTER TABLE`-family statement names (`ALTER INDEX`,
/// `ALTER SEQUENCE`, `ALTER VIEW` share PostgreSQL's AlterTableStmt and RenameStmt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlterObjectKind {
    /// `ALTER TABLE`.
    Table,
    /// `ALTER INDEX`.
    Index,
    /// `ALTER SEQUENCE`.
    Sequence,
    /// `ALTER VIEW`.
    View,
    /// `ALTER MATERIALIZED VIEW`.
    MaterializedView,
    /// `ALTER FOREIGN TABLE`.
    ForeignTable,
    /// Another kind: not supported.
    Other,
}

/// `ALTER TABLE [IF EXISTS] [ONLY] name cmd [, ...]`: the subcommands run in order, in one
/// transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterTableStmt {
    /// The relation.
    pub relation: RangeVar,
    /// `IF EXISTS`.
    pub missing_ok: bool,
    /// The statement's object kind (`ALTER TABLE`, `ALTER INDEX`, ...).
    pub kind: AlterObjectKind,
    /// The subcommands, in order.
    pub commands: Vec<AlterTableCmd>,
}

/// One subcommand of ALTER TABLE.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTableCmd {
    /// `ATTACH PARTITION name bound`.
    AttachPartition {
        /// The table becoming a partition.
        partition: RangeVar,
        /// Its bound.
        bound: crate::ast_partition::PartitionBoundSpec,
        /// Where the bound is written (byte offset, `usize::MAX` if unknown).
        location: usize,
    },
    /// `ALTER INDEX parent ATTACH PARTITION name`: index `name` becomes a partition of
    /// the partitioned index (no bound).
    AttachPartitionIndex(RangeVar),
    /// `INHERIT parent`: the table becomes an inheritance child of `parent`.
    Inherit(RangeVar),
    /// `NO INHERIT parent`.
    NoInherit(RangeVar),
    /// `DETACH PARTITION name [CONCURRENTLY | FINALIZE]`.
    DetachPartition {
        /// The partition.
        partition: RangeVar,
        /// `CONCURRENTLY` or `FINALIZE` (refused with 0A000).
        concurrently: bool,
    },
    /// `ADD [COLUMN] [IF NOT EXISTS] name type [constraints]`; column constraints other
    /// than NULL/NOT NULL/DEFAULT are in `constraints`.
    AddColumn {
        /// The column.
        column: ColumnDef,
        /// CHECK / UNIQUE / PRIMARY KEY written on the column.
        constraints: Vec<TableConstraint>,
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
    },
    /// `DROP [COLUMN] [IF EXISTS] name [CASCADE]`.
    DropColumn {
        /// The column.
        name: String,
        /// `IF EXISTS`.
        missing_ok: bool,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `ALTER [COLUMN] name SET DEFAULT expr` (`Some`) / `DROP DEFAULT` (`None`).
    ColumnDefault {
        /// The column.
        column: String,
        /// The new default and its SQL text.
        default: Option<(Expr, String)>,
    },
    /// `ALTER [COLUMN] name DROP EXPRESSION [IF EXISTS]`: the column stops being generated.
    DropExpression {
        /// The column.
        column: String,
        /// `IF EXISTS`: a column that is not generated is a NOTICE.
        missing_ok: bool,
    },
    /// `ALTER [COLUMN] name SET NOT NULL`.
    SetNotNull(String),
    /// `ALTER [COLUMN] name DROP NOT NULL`.
    DropNotNull(String),
    /// `ALTER [COLUMN] name [SET DATA] TYPE type [USING expr]`.
    AlterType {
        /// The column.
        column: String,
        /// The new type.
        type_name: TypeName,
        /// `USING expr` and its SQL text.
        using: Option<(Expr, String)>,
    },
    /// `ADD [CONSTRAINT name] CHECK (...) [NOT VALID]` / `PRIMARY KEY (...)` / `UNIQUE (...)`.
    AddConstraint {
        /// The constraint.
        constraint: TableConstraint,
        /// `NOT VALID`: existing rows are not checked.
        not_valid: bool,
    },
    /// `ADD [CONSTRAINT name] FOREIGN KEY ... [NOT VALID]`.
    AddForeignKey(Box<ForeignKeyDef>),
    /// `DROP CONSTRAINT [IF EXISTS] name [CASCADE]`.
    DropConstraint {
        /// The constraint.
        name: String,
        /// `IF EXISTS`.
        missing_ok: bool,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `VALIDATE CONSTRAINT name`.
    ValidateConstraint(String),
    /// `ALTER [COLUMN] name|number SET STATISTICS n` (a number names an index column).
    SetStatistics {
        /// The column name (empty when given by number).
        column: String,
        /// The column number (`ALTER INDEX ... ALTER COLUMN 2`), 0 when named.
        number: i16,
        /// The target (-1 for the default).
        target: i32,
    },
    /// `ALTER [COLUMN] name SET STORAGE PLAIN|EXTERNAL|EXTENDED|MAIN` (lower-cased).
    SetStorage {
        /// The column.
        column: String,
        /// The storage mode as written.
        storage: String,
    },
    /// `SET (name = value, ...)`.
    SetOptions(Vec<(String, Option<String>)>),
    /// `RESET (name, ...)`.
    ResetOptions(Vec<String>),
    /// `OWNER TO role`.
    OwnerTo(String),
    /// `ENABLE [ALWAYS | REPLICA] | DISABLE TRIGGER name | ALL | USER`: the new
    /// `pg_trigger.tgenabled` (`O`, `A`, `R`, `D`).
    SetTriggerEnabled {
        /// The triggers named.
        triggers: crate::ast_trigger::TriggerSelection,
        /// `tgenabled`.
        enabled: u8,
    },
    /// `ENABLE | DISABLE ROW LEVEL SECURITY` (`relrowsecurity`), `[NO] FORCE ROW LEVEL
    /// SECURITY` (`relforcerowsecurity`).
    RowSecurity {
        /// The FORCE flag rather than the ENABLE one.
        force: bool,
        /// Set (ENABLE, FORCE) or cleared (DISABLE, NO FORCE).
        on: bool,
    },
    /// `REPLICA IDENTITY { DEFAULT | FULL | NOTHING | USING INDEX index }`.
    ReplicaIdentity(crate::ast_publication::ReplicaIdentity),
    /// `ALTER [COLUMN] name ADD | SET | DROP IDENTITY ...`.
    Identity(IdentityCmd),
    /// A subcommand tusk cannot run yet, named as PostgreSQL's documentation does.
    Unsupported(String),
}

/// What `ALTER ... RENAME` renames.
#[derive(Debug, Clone, PartialEq)]
pub enum RenameTarget {
    /// The relation itself (`ALTER TABLE|INDEX|SEQUENCE|VIEW name RENAME TO new`).
    Relation,
    /// `RENAME [COLUMN] old TO new`.
    Column(String),
    /// `RENAME CONSTRAINT old TO new`.
    Constraint(String),
}

/// `ALTER TABLE|INDEX|SEQUENCE|VIEW [IF EXISTS] name RENAME ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenameStmt {
    /// The relation.
    pub relation: RangeVar,
    /// The statement's object kind.
    pub kind: AlterObjectKind,
    /// What is renamed.
    pub target: RenameTarget,
    /// The new name.
    pub new_name: String,
    /// `IF EXISTS`.
    pub missing_ok: bool,
}

/// The object of `COMMENT ON`.
#[derive(Debug, Clone, PartialEq)]
pub enum CommentObject {
    /// `TABLE|INDEX|SEQUENCE|VIEW name`.
    Relation(AlterObjectKind, RangeVar),
    /// `COLUMN relation.column`.
    Column(RangeVar, String),
    /// `CONSTRAINT name ON table`.
    Constraint(RangeVar, String),
    /// `PUBLICATION name` or `SUBSCRIPTION name`.
    Replication(crate::ast_publication::ReplicationObject, String),
    /// A function, type, schema, operator, ... as the generic ALTER names it.
    Object(crate::ast_alter_object::AlterObject),
    /// Another kind of object, with PostgreSQL's name for it (not supported yet).
    Other(String),
}

/// `COMMENT ON object IS 'text' | NULL`.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentStmt {
    /// The object.
    pub object: CommentObject,
    /// The comment; `None` (NULL or '') removes it.
    pub comment: Option<String>,
}

/// One key column of `CREATE INDEX`: a column or an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexElem {
    /// The column name; empty for an expression.
    pub column: String,
    /// The expression (`lower(email)`, `(a + b)`), `None` for a plain column.
    pub expr: Option<Expr>,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS FIRST` / `NULLS LAST` as written (`None`: the default for the direction).
    pub nulls_first: Option<bool>,
    /// The operator class as written (`text_pattern_ops`; a `pg_catalog.` qualification
    /// dropped), `None` for the type's default.
    pub opclass: Option<String>,
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table [USING method] (columns)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndexStmt {
    /// The index name (`None`: PostgreSQL's generated name).
    pub name: Option<String>,
    /// The indexed table.
    pub relation: RangeVar,
    /// The access method (`btree` when omitted).
    pub access_method: String,
    /// Key columns.
    pub columns: Vec<IndexElem>,
    /// `UNIQUE`.
    pub unique: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `WHERE predicate` of a partial index.
    pub predicate: Option<Expr>,
    /// `WITH (name = value, ...)` storage parameters (`ns.name` keeps its namespace).
    pub options: Vec<(String, Option<String>)>,
    /// `CONCURRENTLY`.
    pub concurrently: bool,
    /// A clause tusk cannot run yet (INCLUDE, CONCURRENTLY, ...).
    pub unsupported: Option<String>,
}

/// `TRUNCATE [TABLE] name [, ...] [RESTART IDENTITY] [CASCADE]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TruncateStmt {
    /// Tables (with `ONLY` or `*` as written; tusk has no inheritance, so they are equal).
    pub relations: Vec<RangeVar>,
    /// `RESTART IDENTITY`.
    pub restart_identity: bool,
    /// `CASCADE`.
    pub cascade: bool,
}

/// What a `REINDEX` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReindexKind {
    /// `REINDEX INDEX name`.
    Index,
    /// `REINDEX TABLE name`.
    Table,
    /// `REINDEX SCHEMA name`.
    Schema,
    /// `REINDEX SYSTEM [name]`.
    System,
    /// `REINDEX DATABASE [name]`.
    Database,
}

/// `REINDEX [(options)] {INDEX | TABLE | SCHEMA | DATABASE | SYSTEM} [CONCURRENTLY] name`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReindexStmt {
    /// What is reindexed.
    pub kind: ReindexKind,
    /// The index or table (INDEX, TABLE).
    pub relation: Option<RangeVar>,
    /// The schema or database (SCHEMA, DATABASE, SYSTEM); empty when left out.
    pub name: String,
    /// `CONCURRENTLY`.
    pub concurrently: bool,
    /// `VERBOSE`.
    pub verbose: bool,
    /// `TABLESPACE name`.
    pub tablespace: Option<String>,
}

/// `VACUUM` / `ANALYZE` with their options.
#[derive(Debug, Clone, PartialEq)]
pub struct VacuumStmt {
    /// `VACUUM` (true) or `ANALYZE` alone (false).
    pub vacuum: bool,
    /// `ANALYZE` requested (by itself or as `VACUUM ANALYZE`).
    pub analyze: bool,
    /// `FULL`.
    pub full: bool,
    /// `VERBOSE`.
    pub verbose: bool,
    /// Tables named (all tables when empty).
    pub relations: Vec<RangeVar>,
}

/// `COPY table [(columns)] FROM STDIN | TO STDOUT [WITH (...)]` and `COPY (query) TO ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyStmt {
    /// The table, unless a query is copied.
    pub relation: Option<RangeVar>,
    /// `COPY (query) TO`: the query as SQL text.
    pub query: Option<String>,
    /// Column list.
    pub columns: Vec<String>,
    /// FROM (true) or TO.
    pub is_from: bool,
    /// A server-side file name (`None` for STDIN/STDOUT).
    pub filename: Option<String>,
    /// `PROGRAM`.
    pub is_program: bool,
    /// Options as (name, value) pairs; list values are joined with commas.
    pub options: Vec<(String, Option<String>)>,
    /// `WHERE` (COPY FROM only).
    pub has_where: bool,
}

/// `CREATE SEQUENCE` / `ALTER SEQUENCE` options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SequenceOptions {
    /// `AS type`.
    pub as_type: Option<TypeName>,
    /// `INCREMENT [BY] n`.
    pub increment: Option<i64>,
    /// `MINVALUE n` (`Some(None)` for NO MINVALUE).
    pub min: Option<Option<i64>>,
    /// `MAXVALUE n` (`Some(None)` for NO MAXVALUE).
    pub max: Option<Option<i64>>,
    /// `START [WITH] n`.
    pub start: Option<i64>,
    /// `RESTART [WITH n]` (ALTER): `Some(None)` restarts at the start value.
    pub restart: Option<Option<i64>>,
    /// `CACHE n`.
    pub cache: Option<i64>,
    /// `[NO] CYCLE`.
    pub cycle: Option<bool>,
    /// `OWNED BY table.column` (`Some(vec![])` for OWNED BY NONE).
    pub owned_by: Option<Vec<String>>,
    /// `SEQUENCE NAME name` (identity columns only), possibly qualified.
    pub sequence_name: Option<Vec<String>>,
}

/// `CREATE SEQUENCE [IF NOT EXISTS] name options`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateSequenceStmt {
    /// The sequence.
    pub relation: RangeVar,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// Options.
    pub options: SequenceOptions,
    /// `relpersistence`: `p`, or `t` for `CREATE TEMP SEQUENCE`.
    pub persistence: u8,
}

/// ALTER TABLE's identity column subcommands.
#[derive(Debug, Clone, PartialEq)]
pub enum IdentityCmd {
    /// `ALTER [COLUMN] c ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]`.
    Add {
        /// The column.
        column: String,
        /// `a` (ALWAYS) or `d` (BY DEFAULT).
        kind: u8,
        /// The sequence's options.
        options: Box<SequenceOptions>,
    },
    /// `ALTER [COLUMN] c {SET GENERATED {ALWAYS | BY DEFAULT} | SET option | RESTART} ...`.
    Set {
        /// The column.
        column: String,
        /// The new `attidentity`, if written.
        kind: Option<u8>,
        /// Sequence options (`restart` included).
        options: Box<SequenceOptions>,
    },
    /// `ALTER [COLUMN] c DROP IDENTITY [IF EXISTS]`.
    Drop {
        /// The column.
        column: String,
        /// `IF EXISTS`.
        missing_ok: bool,
    },
}

/// `ALTER SEQUENCE [IF EXISTS] name options`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterSequenceStmt {
    /// The sequence.
    pub relation: RangeVar,
    /// `IF EXISTS`.
    pub missing_ok: bool,
    /// Options (`restart` and `owned_by` included).
    pub options: SequenceOptions,
}

/// `CREATE TABLE name [(cols)] AS query [WITH [NO] DATA]` and `SELECT ... INTO name`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTableAsStmt {
    /// The new table.
    pub relation: RangeVar,
    /// Column names given.
    pub columns: Vec<String>,
    /// The query as SQL text (deparsed).
    pub query: String,
    /// `WITH DATA` (the default) rather than `WITH NO DATA`.
    pub with_data: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `relpersistence` of the new table.
    pub persistence: u8,
    /// Written as `SELECT ... INTO`.
    pub select_into: bool,
    /// `CREATE MATERIALIZED VIEW`.
    pub materialized: bool,
    /// `WITH (storage parameters)` of `CREATE MATERIALIZED VIEW`.
    pub options: Vec<(String, Option<String>)>,
    /// `ON COMMIT` (temporary tables only).
    pub on_commit: OnCommit,
}

/// `ALTER TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE [IF EXISTS] name SET SCHEMA schema`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterRelationSchemaStmt {
    /// The statement's object kind.
    pub kind: AlterObjectKind,
    /// The relation.
    pub relation: RangeVar,
    /// The schema it moves to.
    pub new_schema: String,
    /// `IF EXISTS`.
    pub missing_ok: bool,
}

/// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshMatViewStmt {
    /// The materialized view.
    pub relation: RangeVar,
    /// `CONCURRENTLY`.
    pub concurrent: bool,
    /// `WITH DATA` (the default) rather than `WITH NO DATA`.
    pub with_data: bool,
}

/// `LOCK [TABLE] name [, ...] [IN mode MODE] [NOWAIT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LockStmt {
    /// Tables.
    pub relations: Vec<RangeVar>,
    /// PostgreSQL's lock mode number: 1 ACCESS SHARE ... 8 ACCESS EXCLUSIVE (the default).
    pub mode: i32,
    /// `NOWAIT`.
    pub nowait: bool,
}
