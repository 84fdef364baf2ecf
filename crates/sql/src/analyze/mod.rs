//! The analyzer: names, types and coercions, as PostgreSQL's parse analysis does them
//! (PostgreSQL docs ch. 10 "Type Conversion").
//!
//! Input: [`crate::ast`] statements. Output: [`Query`]s whose expressions are [`TypedExpr`]s
//! with resolved function OIDs and result types. The catalog is read through
//! [`CatalogLookup`], so this crate depends on no storage.
//!
//! Entry points: [`Analyzer::analyze_select`], [`Analyzer::analyze_insert`],
//! [`Analyzer::analyze_update`], [`Analyzer::analyze_delete`], [`Analyzer::analyze_expr`],
//! [`Analyzer::resolve_type_name`].
//!
//! See also: `array.rs` (array constructors, subscripts, ANY/ALL, array casts),
//! `record.rs` (row constructors, whole-row references, field selection),
//! `resolve.rs` (operator and function selection), `coerce.rs` (casts), `colname.rs`
//! (output column names), `dml.rs` (INSERT, UPDATE, DELETE).

mod aggregate;
mod array;
mod coerce;
mod colname;
mod cte;
mod cte_search;
mod dml;
mod domain;
mod expr;
mod from;
#[cfg(test)]
mod from_tests;
mod generated;
#[cfg(test)]
mod generated_tests;
mod grouping_sets;
mod inheritance;
pub mod partition_prune;
mod permission;
mod publication;
mod record;
mod resolve;
pub mod row_mark;
pub mod row_security;
mod select;
pub mod system_columns;
mod system_views;
mod typed;
mod view;
mod view_dml;
#[cfg(test)]
mod view_dml_tests;
#[cfg(test)]
mod view_tests;
pub mod walk;
mod window;
mod xml;

use std::sync::Arc;

use tusk_types::{Datum, Oid, Result};

pub use coerce::CoercionContext;
pub use colname::figure_index_colname;
pub use cte::ModifyingCte;
pub use dml::{
    CheckConstraint, CheckKind, ConflictArbiter, ConflictUpdate, MergeAction, MergeActionKind,
    MergeClause, MergeEffect, ModifyAction, ModifyCommand, ModifyQuery, OnConflictClause,
};
pub use domain::DomainInfo;
pub use expr::{Scope, ScopeColumn, ScopeItem};
pub use generated::{generated_insert_error, generated_update_error, GenerationColumn};
pub use grouping_sets::GroupingSets;
pub use permission::{RelationUse, SYSTEM_VIEW};
pub use row_mark::{locked_relations, RowMark};
pub use row_security::{Policy, RowSecurity, RowSecurityCheck};
pub use select::{Aggregation, FromSource, FunctionCall, OutputColumn, Query, SortKey};
pub use typed::{
    AggregateCall, AggregateDefinition, CastKind, DomainCoercion, FrameBound, TypedExpr,
    WindowCall, WindowFrame, WindowFunction,
};
pub use view_dml::{
    relation_is_updatable, view_query_is_auto_updatable, EVENT_DELETE, EVENT_INSERT, EVENT_UPDATE,
};

/// A `pg_type` row as the analyzer needs it.
#[derive(Debug, Clone)]
pub struct TypeInfo {
    /// Type OID.
    pub oid: Oid,
    /// `typname`.
    pub name: String,
    /// `typcategory` (`N` numeric, `S` string, `D` datetime, `X` unknown, ...).
    pub category: u8,
    /// `typispreferred`.
    pub preferred: bool,
    /// `typtype` (`b`, `p` pseudo, `d` domain, ...).
    pub typtype: u8,
    /// `typelem` of an array type.
    pub elem: Oid,
}

/// A function (or operator's underlying function) candidate.
#[derive(Debug, Clone)]
pub struct FuncCandidate {
    /// `pg_proc` OID.
    pub oid: Oid,
    /// Argument types.
    pub args: Vec<Oid>,
    /// Result type.
    pub ret: Oid,
    /// Returns a set.
    pub retset: bool,
    /// STRICT.
    pub strict: bool,
    /// `prokind` (`f`, `a`, `w`, `p`).
    pub kind: u8,
    /// Element type of a VARIADIC last argument, else 0.
    pub variadic: Oid,
    /// Default values of the trailing arguments that may be left out (`proargdefaults`),
    /// last argument last; empty if none.
    pub defaults: Vec<Datum>,
    /// Argument names for calls in named notation, one per argument (empty if the
    /// function's arguments are not all named).
    pub arg_names: Vec<String>,
    /// Result columns of a function with OUT/TABLE arguments (name, type); empty
    /// otherwise.
    pub out_columns: Vec<(String, Oid)>,
}

/// An operator candidate.
#[derive(Debug, Clone)]
pub struct OperCandidate {
    /// `pg_operator` OID.
    pub oid: Oid,
    /// Left type (0 for prefix operators).
    pub left: Oid,
    /// Right type.
    pub right: Oid,
    /// Result type.
    pub result: Oid,
    /// Implementing function.
    pub proc: Oid,
}

/// How a cast from one type to another is done (`pg_cast`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CastPath {
    /// The function to call, for function casts.
    pub func: Option<Oid>,
    /// `i` implicit, `a` assignment, `e` explicit.
    pub context: CoercionContext,
    /// Through text output/input.
    pub inout: bool,
}

/// A relation (table, view, sequence, system catalog) as the analyzer sees it: its
/// `pg_class` row with its `pg_attribute`, `pg_attrdef` and CHECK `pg_constraint` rows.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationInfo {
    /// `pg_class.oid`.
    pub oid: Oid,
    /// `relname`.
    pub name: String,
    /// Name of the schema (`relnamespace`).
    pub namespace: String,
    /// `relkind`: `r` table, `v` view, `S` sequence, `m` materialized view, `p`
    /// partitioned table, `f` foreign table, `i` index.
    pub kind: u8,
    /// Columns in `attnum` order (`attnum` = index + 1), dropped columns included.
    pub columns: Vec<ColumnInfo>,
    /// CHECK constraints.
    pub checks: Vec<CheckInfo>,
    /// The primary key's columns as indexes into `columns` (empty without one): GROUP BY
    /// of them lets a query read the relation's other columns (functional dependency).
    pub primary_key: Vec<usize>,
}

impl RelationInfo {
    /// Columns that are not dropped, with their 0-based attribute index.
    pub fn live_columns(&self) -> impl Iterator<Item = (usize, &ColumnInfo)> {
        self.columns.iter().enumerate().filter(|(_, c)| !c.dropped)
    }
}

/// One `pg_attribute` row of a relation.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    /// `attname`.
    pub name: String,
    /// `atttypid`.
    pub type_oid: Oid,
    /// `atttypmod` (-1 if none).
    pub typmod: i32,
    /// `attnotnull`.
    pub not_null: bool,
    /// The default expression as SQL text (`pg_get_expr(adbin, adrelid)`), if any; for a
    /// generated column, its generation expression over the row.
    pub default: Option<String>,
    /// `attidentity`: `a` (ALWAYS), `d` (BY DEFAULT) or 0.
    pub identity: u8,
    /// `attgenerated = 's'`: a stored generated column, computed from `default` over
    /// each new row.
    pub generated: bool,
    /// `attisdropped`.
    pub dropped: bool,
}

/// A CHECK constraint (`pg_constraint` with `contype = 'c'`).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInfo {
    /// `conname`.
    pub name: String,
    /// The expression as SQL text (`pg_get_expr(conbin, conrelid)`).
    pub expr: String,
}

/// What the analyzer reads from the catalog, and the one piece of execution it needs
/// (turning a literal into a value of a type, as PostgreSQL does at parse time).
pub trait CatalogLookup {
    /// A type by OID.
    fn type_info(&self, oid: Oid) -> Option<TypeInfo>;
    /// The row type of relation `rel` (`pg_class.reltype`): the composite type a
    /// whole-row reference to it has. `None` for relations without one and by default
    /// (the reference is then an anonymous `record`).
    fn relation_row_type(&self, rel: Oid) -> Option<Oid> {
        let _ = rel;
        None
    }
    /// A type by (unqualified) name, as stored in `pg_type.typname`.
    fn type_by_name(&self, name: &str) -> Option<TypeInfo>;
    /// A type named `schema.name`; `Ok(None)` if the schema has no such type.
    ///
    /// Errors: 3F000 `schema "x" does not exist`. The default knows only `pg_catalog`
    /// (built-in types) and user-defined types by name.
    fn qualified_type(&self, schema: &str, name: &str) -> Result<Option<TypeInfo>> {
        let info = self.type_by_name(name);
        if schema == "pg_catalog" {
            return Ok(info.filter(|i| i.oid.0 < 16384));
        }
        match info {
            Some(i) if i.oid.0 >= 16384 => Ok(Some(i)),
            _ => Err(tusk_types::pg_err!(
                INVALID_SCHEMA_NAME,
                "schema \"{}\" does not exist",
                schema
            )),
        }
    }
    /// Operators named `name`.
    fn operators(&self, name: &str) -> Vec<OperCandidate>;
    /// Functions named `name` (plain functions, aggregates, window functions).
    fn functions(&self, name: &str) -> Vec<FuncCandidate>;
    /// A function by OID.
    fn function(&self, oid: Oid) -> Option<FuncCandidate>;
    /// The `pg_aggregate` row of aggregate `proc`; `None` if it has none (or only the
    /// executor's native implementation knows it).
    fn aggregate_definition(&self, proc: Oid) -> Option<AggregateDefinition> {
        let _ = proc;
        None
    }
    /// Functions named `name` in schema `schema` (a qualified call `schema.name(...)`);
    /// `None` if there is no such schema.
    fn schema_functions(&self, schema: &str, name: &str) -> Option<Vec<FuncCandidate>> {
        let _ = (schema, name);
        None
    }
    /// The `pg_cast` path from `source` to `target`.
    fn cast(&self, source: Oid, target: Oid) -> Option<CastPath>;
    /// The type's input function applied to `text` (errors are the type's input errors, e.g.
    /// 22P02 `invalid input syntax for type integer: "x"`).
    fn input_literal(&self, text: &str, type_oid: Oid, typmod: i32) -> Result<Datum>;
    /// The name `format_type` prints for a type (`integer`, `character varying`).
    fn format_type(&self, oid: Oid) -> String;
    /// The relation `schema.name`, or `name` looked up through `search_path` (with
    /// `pg_catalog` first, as PostgreSQL searches it); `None` if there is none.
    ///
    /// Errors: catalog read errors (I/O, class 58/XX).
    fn relation(&self, schema: Option<&str>, name: &str) -> Result<Option<Arc<RelationInfo>>> {
        let _ = (schema, name);
        Ok(None)
    }
    /// The inheritance descendants of relation `parent`: its children (`pg_inherits`),
    /// their children, and so on, each once, breadth first and children in OID order (the
    /// order PostgreSQL's `find_all_inheritors` gives); empty if it has none. A locking
    /// implementation takes the lock `relation` takes on each.
    ///
    /// Errors: catalog read and lock errors.
    fn inheritance_descendants(&self, parent: Oid) -> Result<Vec<Arc<RelationInfo>>> {
        let _ = parent;
        Ok(Vec::new())
    }
    /// Which of partitioned table `parent`'s descendants can hold rows satisfying
    /// `condition` (plan-time partition pruning): the partitions to scan at every level,
    /// partitioned ones included; `None` to scan them all (not partitioned, or nothing
    /// could be pruned).
    ///
    /// Errors: catalog read errors.
    fn partitions_to_scan(
        &self,
        parent: Oid,
        condition: &partition_prune::PruneCondition,
    ) -> Result<Option<Vec<Oid>>> {
        let _ = (parent, condition);
        Ok(None)
    }
    /// The stored query of view `view` (`pg_rewrite.ev_action` of its `_RETURN` rule: SQL
    /// text, see [`crate::view_query`]); `None` if it has none.
    ///
    /// Errors: catalog read errors.
    fn view_query(&self, view: Oid) -> Result<Option<String>> {
        let _ = view;
        Ok(None)
    }
    /// The `pg_class.reloptions` of relation `relation` (`name=value` entries, as
    /// PostgreSQL stores them); empty if it has none.
    ///
    /// Errors: catalog read errors.
    fn relation_options(&self, relation: Oid) -> Result<Vec<String>> {
        let _ = relation;
        Ok(Vec::new())
    }
    /// The row-level security of table `relation` for the statement's checking user: the
    /// current user, or the owner of `view` for a table reached inside that view; `None`
    /// when its rows are not subject to policies for that user (RLS disabled on the
    /// table, a superuser or BYPASSRLS role, the owner without FORCE).
    ///
    /// Errors: 42501 `query would be affected by row-level security policy for table
    /// "t"` when policies would apply but `row_security` is off; catalog read errors.
    fn row_security(
        &self,
        relation: Oid,
        view: Option<Oid>,
    ) -> Result<Option<Arc<row_security::RowSecurity>>> {
        let _ = (relation, view);
        Ok(None)
    }
    /// The domain `oid`, if it is one (user-defined types only).
    fn domain(&self, oid: Oid) -> Option<DomainInfo> {
        let _ = oid;
        None
    }
    /// The attributes (name, type, typmod) of composite type `oid`, in order, if it is
    /// one (user-defined composite types only).
    fn composite_fields(&self, oid: Oid) -> Option<Vec<(String, Oid, i32)>> {
        let _ = oid;
        None
    }
    /// The subtype of range type `oid` (`pg_range.rngsubtype`); the built-in range
    /// types unless overridden.
    fn range_subtype(&self, oid: Oid) -> Option<Oid> {
        tusk_types::adt::range::range_subtype(oid)
    }
    /// The range type of multirange type `oid` (`pg_range.rngtypid`).
    fn multirange_range(&self, oid: Oid) -> Option<Oid> {
        tusk_types::adt::multirange::multirange_range_type(oid)
    }
    /// The multirange type over range type `oid` (`pg_range.rngmultitypid`).
    fn range_multirange(&self, oid: Oid) -> Option<Oid> {
        tusk_types::adt::multirange::range_multirange_type(oid)
    }
}

/// Names that stand for parameters where no column has them, as PostgreSQL's
/// `p_post_columnref_hook` makes them: a SQL function's arguments by name (`x`, or
/// `f.x` qualified by the function's name), a PL/pgSQL block's variables.
pub trait ParamResolver {
    /// The expression `fields` (a column reference's dotted names, `*` excluded) stands
    /// for, usually a [`TypedExpr::Param`] whose index is the 0-based position of the
    /// value in the parameters the query is executed with; `None` if the names are
    /// none of the resolver's.
    fn resolve(&self, fields: &[String]) -> Option<TypedExpr>;

    /// Whether a name that both a column and this resolver know is an error (42702, as
    /// PL/pgSQL's default `variable_conflict = error` makes it) rather than the column.
    fn conflict_is_error(&self) -> bool {
        false
    }
}

/// Analyses statements against a catalog; holds the parameter types being inferred.
pub struct Analyzer<'a> {
    catalog: &'a dyn CatalogLookup,
    /// Names resolved as parameters when no column has them.
    param_resolver: Option<&'a dyn ParamResolver>,
    /// Parameter types: given by the client or PREPARE, or inferred (0 = unknown so far).
    pub param_types: Vec<Oid>,
    /// The query text, for error positions.
    sql: &'a str,
    /// The SELECT being analysed is an input of a set operation: unknown-type targets
    /// stay unknown for the operation to resolve.
    keep_unknown_targets: bool,
    /// The scope enclosing the next SELECT analysed (a subquery's outer query).
    pending_outer: Option<Scope>,
    /// Common table expressions visible, outermost first.
    ctes: Vec<cte::CteEntry>,
    /// The next recursive union's id.
    next_cte_id: usize,
    /// How many SELECTs are being analysed, one inside the other.
    select_depth: usize,
    /// How many INSERT, UPDATE, DELETE and MERGE statements are being analysed, one
    /// inside the other (a data-modifying CTE's inside its statement).
    dml_depth: usize,
    /// The data-modifying CTEs analysed and not yet attached to their statement.
    modifying_ctes: Vec<cte::ModifyingCte>,
    /// The `WINDOW` definitions of the SELECT being analysed.
    window_defs: Vec<(String, crate::ast::WindowSpec)>,
    /// Views being expanded, outermost first (a view reached again is infinite recursion).
    expanding_views: Vec<Oid>,
    /// A view definition being expanded names a system column (`ctid`, `tableoid`, ...):
    /// its relations get their system column slots, as the statement's own text would
    /// (`system_columns.rs`), since `sql` is the user's text only.
    definition_system_columns: bool,
    /// Tables whose policies are being analysed (a policy reached again is infinite
    /// recursion, `row_security.rs` rule 5).
    expanding_policies: Vec<Oid>,
    /// `(child, parent)`: the inheritance child being changed through its parent has the
    /// parent's policies, not its own.
    row_security_source: Option<(Oid, Oid)>,
    /// Calls may name procedures (the expression of CALL).
    procedures_allowed: bool,
    /// The relations used so far and the privileges they need (`permission.rs`).
    pub relation_uses: Vec<permission::RelationUse>,
    /// The locking clauses of the block being analysed (`row_mark.rs`).
    lock_clauses: Vec<crate::ast_lock::LockingClause>,
    /// A locking clause pushed down into the subquery about to be analysed.
    inherited_lock: Option<crate::ast_lock::LockingClause>,
    /// The WHERE clause of the SELECT whose FROM is being analysed, for partition
    /// pruning (`partition_prune.rs`).
    prune_filter: Option<crate::ast::Expr>,
    /// The array of a `VARIADIC` argument spread when the call runs
    /// ([`TypedExpr::VariadicArray`]), for the call about to be resolved.
    pending_variadic: Option<TypedExpr>,
}

impl<'a> Analyzer<'a> {
    /// An analyzer over `sql` with the client-declared parameter types (0 = infer).
    pub fn new(
        catalog: &'a dyn CatalogLookup,
        sql: &'a str,
        param_types: Vec<Oid>,
    ) -> Analyzer<'a> {
        Analyzer {
            catalog,
            param_resolver: None,
            param_types,
            sql,
            keep_unknown_targets: false,
            pending_outer: None,
            ctes: Vec::new(),
            next_cte_id: 0,
            select_depth: 0,
            dml_depth: 0,
            modifying_ctes: Vec::new(),
            window_defs: Vec::new(),
            expanding_views: Vec::new(),
            definition_system_columns: false,
            expanding_policies: Vec::new(),
            row_security_source: None,
            procedures_allowed: false,
            relation_uses: Vec::new(),
            lock_clauses: Vec::new(),
            inherited_lock: None,
            prune_filter: None,
            pending_variadic: None,
        }
    }

    /// The same analyzer accepting calls of procedures (`prokind = 'p'`), for CALL.
    pub fn allowing_procedures(mut self) -> Analyzer<'a> {
        self.procedures_allowed = true;
        self
    }

    /// The same analyzer resolving names no column has through `resolver` (see
    /// [`ParamResolver`]); subqueries see the names too.
    pub fn with_param_resolver(mut self, resolver: &'a dyn ParamResolver) -> Analyzer<'a> {
        self.param_resolver = Some(resolver);
        self
    }

    /// Attaches the 1-based character position of `location` (a byte offset) to `err`.
    fn at(&self, err: tusk_types::Error, location: usize) -> tusk_types::Error {
        if location == usize::MAX || err.position.is_some() {
            return err;
        }
        err.position(crate::char_position(self.sql, location))
    }
}
