//! INSERT, UPDATE and DELETE analysis, as PostgreSQL's `transformInsertStmt`,
//! `transformUpdateStmt`, `transformDeleteStmt` and the rewriter's target-list pass
//! (`rewriteTargetListIU`) do it.
//!
//! The result is a [`ModifyQuery`]: the target relation, where its rows come from, the
//! new row as one expression per attribute (`attnum` order, dropped attributes NULL),
//! the relation's CHECK constraints and the RETURNING list. Every expression that
//! produces a stored value has already been through assignment coercion to its column's
//! type and typmod, so the executor only evaluates, checks constraints and writes.
//!
//! ```text
//!  INSERT ... VALUES    rows: [attr exprs over no input]        ──┐
//!  INSERT ... SELECT    Query + [attr exprs over its output row]  ├─▶ NOT NULL, CHECK, write
//!  UPDATE ... WHERE     filter + [attr exprs over the old row]  ──┘
//!  DELETE ... WHERE     filter
//! ```
//!
//! Column defaults and CHECK constraints arrive as SQL text ([`super::ColumnInfo::default`],
//! [`super::CheckInfo::expr`]) and are parsed with [`crate::parse_expr`]; errors in them
//! carry no cursor position, as PostgreSQL reports errors in stored expressions.
//!
//! Entry points: [`Analyzer::analyze_insert`], [`Analyzer::analyze_update`],
//! [`Analyzer::analyze_delete`].

mod assign;
mod join;
mod merge;
mod on_conflict;

use std::sync::Arc;

use tusk_types::adt::acl::{ACL_DELETE, ACL_INSERT, ACL_SELECT, ACL_UPDATE};
use tusk_types::{pg_err, type_oid, Datum, Error, Result, SqlState};

use super::coerce::CoercionContext;
use super::colname::figure_colname;
use super::expr::{Scope, ScopeColumn};
use super::row_security::{RowSecurity, RowSecurityCheck};
use super::select::{OutputColumn, Query};
use super::typed::TypedExpr;
use super::{Analyzer, ColumnInfo, RelationInfo};
use crate::ast_policy::PolicyCommand;
pub use merge::{MergeAction, MergeActionKind, MergeClause, MergeEffect};
pub use on_conflict::{ConflictArbiter, ConflictUpdate, OnConflictClause};

use crate::ast::{
    DeferredError, DeleteStmt, Expr, InsertSource, InsertStmt, InsertValue, Literal, Overriding,
    RangeVar, ResTarget, SelectStmt, TypeName, UpdateStmt,
};

/// Which command a [`ModifyQuery`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModifyCommand {
    /// INSERT.
    Insert,
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
    /// MERGE.
    Merge,
}

/// Where the rows of a modification come from, and the new row of each.
#[derive(Debug, Clone, PartialEq)]
pub enum ModifyAction {
    /// `INSERT ... VALUES` / `DEFAULT VALUES`: each row is one expression per attribute,
    /// evaluated over an empty input row.
    InsertValues(Vec<Vec<TypedExpr>>),
    /// `INSERT ... SELECT`: the query, and one expression per attribute over each of its
    /// output rows.
    InsertQuery {
        /// The source query.
        query: Box<Query>,
        /// The new row, over the query's output row.
        row: Vec<TypedExpr>,
    },
    /// `UPDATE`: the target's rows passing `filter` get the new row computed from the old.
    Update {
        /// WHERE over the old row.
        filter: Option<TypedExpr>,
        /// The new row, one expression per attribute over the old row.
        row: Vec<TypedExpr>,
    },
    /// `DELETE`: the target's rows passing `filter` are deleted.
    Delete {
        /// WHERE over the row.
        filter: Option<TypedExpr>,
    },
    /// `MERGE`: the WHEN clauses run over the rows of [`ModifyQuery::join`].
    Merge(Box<MergeClause>),
}

/// An analysed CHECK constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckConstraint {
    /// Constraint name (the view's name for a view's check option).
    pub name: String,
    /// Boolean expression over the new row.
    pub expr: TypedExpr,
    /// A CHECK constraint or a view's `WITH CHECK OPTION`.
    pub kind: CheckKind,
}

/// What a [`CheckConstraint`] enforces, which decides how NULL counts and the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckKind {
    /// A table's CHECK constraint: NULL passes; 23514 when false.
    Constraint,
    /// The condition of a view written through with `WITH CHECK OPTION` (PostgreSQL's
    /// `WCO_VIEW_CHECK`): NULL fails; 44000 `new row violates check option for view "v"`.
    ViewOption {
        /// The option is CASCADED, so the views under this one check their conditions too.
        cascaded: bool,
    },
    /// A row-level security policy's condition (PostgreSQL's `WCO_RLS_*`, checked before
    /// NOT NULL and CHECK constraints): NULL fails; 42501 `new row violates row-level
    /// security policy ["p"] [(USING expression)] for table "t"` (`name` is the table).
    RowSecurity {
        /// The restrictive policy checked, or `None` for the permissive ones together.
        policy: Option<String>,
        /// Which row is checked.
        kind: super::row_security::RowSecurityCheck,
    },
}

/// An analysed INSERT, UPDATE or DELETE.
#[derive(Debug, Clone, PartialEq)]
pub struct ModifyQuery {
    /// The command.
    pub command: ModifyCommand,
    /// The target relation (kind `r`).
    pub relation: Arc<RelationInfo>,
    /// Rows and new values.
    pub action: ModifyAction,
    /// CHECK constraints of the target, in name order (PostgreSQL checks them so), for
    /// INSERT and UPDATE; empty for DELETE.
    pub checks: Vec<CheckConstraint>,
    /// The target's generated columns (INSERT, UPDATE): attribute index and expression
    /// over the new row, computed after BEFORE ROW triggers (`generated.rs` rule 2).
    pub generated: Vec<(usize, TypedExpr)>,
    /// RETURNING expressions over the new row (INSERT, UPDATE) or the old row (DELETE).
    pub returning: Vec<TypedExpr>,
    /// The RETURNING output columns (empty without RETURNING).
    pub returning_columns: Vec<OutputColumn>,
    /// INSERT's `ON CONFLICT` clause.
    pub on_conflict: Option<OnConflictClause>,
    /// The rows WHERE and RETURNING see have the target's system columns after its
    /// attributes (see `system_columns.rs`).
    pub system_columns: bool,
    /// The same UPDATE or DELETE against each inheritance descendant of the target (the
    /// statement did not say ONLY), each analysed in the descendant's own layout and run
    /// after this one, so every row is changed in the relation it lives in; empty
    /// otherwise (and for INSERT).
    pub inherited: Vec<ModifyQuery>,
    /// `UPDATE ... FROM` / `DELETE ... USING`: the query joining the target with the
    /// other FROM items (WHERE applied), whose rows are the target's attributes, its
    /// system columns (the `ctid` at slot `relation.columns.len()`), then the other
    /// items' slots. The filter, new row and RETURNING of the action are over such
    /// rows (RETURNING with the new row in the target's part for UPDATE). Each target
    /// row is changed once, with the first joined row found (`dml/join.rs`).
    pub join: Option<Box<Query>>,
    /// The data-modifying statements of the statement's top-level WITH, each run once
    /// (`cte.rs`); empty below the top level.
    pub modifying: Vec<super::cte::ModifyingCte>,
}

impl ModifyQuery {
    /// PostgreSQL's command tag for `rows` processed rows: `INSERT 0 n`, `UPDATE n`,
    /// `DELETE n`.
    pub fn command_tag(&self, rows: u64) -> String {
        match self.command {
            ModifyCommand::Insert => format!("INSERT 0 {rows}"),
            ModifyCommand::Update => format!("UPDATE {rows}"),
            ModifyCommand::Delete => format!("DELETE {rows}"),
            ModifyCommand::Merge => format!("MERGE {rows}"),
        }
    }
}

/// An UPDATE's SET values (see `Analyzer::set_values`): one per attribute, the
/// attributes assigned in order, and the first column assigned twice.
type SetValues = (Vec<Option<TypedExpr>>, Vec<usize>, Option<String>);

/// The target relation of a statement and how expressions see it.
struct Target {
    relation: Arc<RelationInfo>,
    /// The name its columns are qualified with (the alias if there is one).
    visible_name: String,
    /// The alias, if any.
    alias: Option<String>,
    scope: Scope,
}

impl Target {
    /// Whether its rows carry system columns.
    fn system_columns(&self) -> bool {
        !self.scope.items[0].system_columns.is_empty()
    }
}

/// The slots of a modification's row that are the target's: its attributes and, in a
/// joined UPDATE or DELETE, its system columns (`dml/join.rs`); all of them otherwise.
fn target_slots(relation: &RelationInfo, joined: bool) -> usize {
    if joined {
        relation.columns.len() + super::system_columns::SYSTEM_COLUMNS.len()
    } else {
        usize::MAX
    }
}

/// Whether `exprs` read the target's row (slots below `below`): then the statement
/// needs SELECT privilege on the target and is subject to its SELECT policies, as
/// PostgreSQL requires for the columns a statement reads (a WHERE, SET or RETURNING
/// naming none, like `RETURNING 1`, reads nothing).
fn reads_target(exprs: &[TypedExpr], below: usize) -> bool {
    exprs
        .iter()
        .any(|e| super::walk::reads_slots_below(e, below))
}

/// Leftmost location of an expression (PostgreSQL's `exprLocation` for raw trees), where
/// errors about the whole expression point.
pub(crate) fn expr_start(e: &Expr) -> usize {
    let min = |a: usize, b: usize| a.min(b);
    match e {
        Expr::Op {
            left: Some(l),
            location,
            ..
        } => min(expr_start(l), *location),
        Expr::Distinct { left, location, .. } => min(expr_start(left), *location),
        Expr::InList { expr, location, .. } | Expr::Between { expr, location, .. } => {
            min(expr_start(expr), *location)
        }
        Expr::Cast { arg, location, .. }
        | Expr::NullTest { arg, location, .. }
        | Expr::BoolTest { arg, location, .. } => min(expr_start(arg), *location),
        Expr::And(args) | Expr::Or(args) => args.first().map(expr_start).unwrap_or(usize::MAX),
        other => other.location(),
    }
}

fn relation_display(rv: &RangeVar) -> String {
    match &rv.schema {
        Some(s) => format!("{s}.{}", rv.name),
        None => rv.name.clone(),
    }
}

fn null_const() -> TypedExpr {
    TypedExpr::Const {
        value: Datum::Null,
        type_oid: type_oid::UNKNOWN,
        typmod: -1,
        location: usize::MAX,
    }
}

impl Analyzer<'_> {
    fn deferred(&self, e: &Option<DeferredError>) -> Result<()> {
        match e {
            Some(d) => Err(self.at(Error::new(d.code, d.message.clone()), d.location)),
            None => Ok(()),
        }
    }

    /// Opens the target relation: 42P01 if there is none; 42809 for an index or composite
    /// type (with position), a sequence, materialized view, TOAST or foreign table; 0A000
    /// for views and partitioned tables.
    fn target(&mut self, rv: &RangeVar, command: ModifyCommand) -> Result<Target> {
        let relation = self
            .catalog
            .relation(rv.schema.as_deref(), &rv.name)?
            .ok_or_else(|| {
                self.at(
                    pg_err!(
                        UNDEFINED_TABLE,
                        "relation \"{}\" does not exist",
                        relation_display(rv)
                    ),
                    rv.location,
                )
            })?;
        let name = &relation.name;
        let verb = match command {
            ModifyCommand::Insert => "insert into",
            ModifyCommand::Update => "update",
            ModifyCommand::Delete => "delete from",
            ModifyCommand::Merge => "merge into",
        };
        let wrong = |msg: String| Error::new(SqlState::WRONG_OBJECT_TYPE, msg);
        match relation.kind {
            b'r' | b'p' => {}
            b'i' | b'I' => {
                return Err(self.at(wrong(format!("\"{name}\" is an index")), rv.location))
            }
            b'c' => {
                return Err(self.at(
                    wrong(format!("\"{name}\" is a composite type")),
                    rv.location,
                ))
            }
            b'S' => return Err(wrong(format!("cannot change sequence \"{name}\""))),
            b'm' => return Err(wrong(format!("cannot change materialized view \"{name}\""))),
            b't' => return Err(wrong(format!("cannot change TOAST relation \"{name}\""))),
            b'f' => return Err(wrong(format!("cannot {verb} foreign table \"{name}\""))),
            // Analysed against the view's own columns, then rewritten onto the relation
            // it reads (`view_dml.rs`).
            b'v' if self.view_is_rewritten(&relation, command) => {}
            b'v' => {
                return Err(Error::feature_not_supported(format!(
                    "{verb} view \"{name}\" through INSTEAD OF triggers"
                )))
            }
            _ => return Err(wrong(format!("cannot change relation \"{name}\""))),
        }
        let alias = rv.alias.as_ref().map(|a| a.name.clone());
        let visible_name = alias.clone().unwrap_or_else(|| relation.name.clone());
        let mut scope = relation_scope(&relation, &visible_name);
        scope.items[0].system_columns = self.system_scope_columns(&relation, 0);
        Ok(Target {
            relation,
            visible_name,
            alias,
            scope,
        })
    }

    /// An expression over the target's row. A reference through the relation's own name
    /// when it has an alias is PostgreSQL's 42P01 `invalid reference to FROM-clause entry`.
    fn target_expr(&mut self, e: &Expr, target: &Target) -> Result<TypedExpr> {
        self.analyze_expr(e, &target.scope).map_err(|err| {
            let own = format!(
                "missing FROM-clause entry for table \"{}\"",
                target.relation.name
            );
            let mut err = err;
            if let Some(alias) = &target.alias {
                if err.code == SqlState::UNDEFINED_TABLE && err.message == own {
                    err.message = format!(
                        "invalid reference to FROM-clause entry for table \"{}\"",
                        target.relation.name
                    );
                    err.hint = Some(format!(
                        "Perhaps you meant to reference the table alias \"{alias}\"."
                    ));
                }
            }
            err
        })
    }

    /// Assignment coercion of a value stored into `column` (PostgreSQL's
    /// `transformAssignedExpr`): 42804 `column "x" is of type integer but expression is of
    /// type text` with its HINT when no assignment cast exists; typmod enforced.
    fn assign(&mut self, e: TypedExpr, column: &ColumnInfo, location: usize) -> Result<TypedExpr> {
        let input = e.type_oid();
        if !self.can_coerce(input, column.type_oid, CoercionContext::Assignment) {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "column \"{}\" is of type {} but expression is of type {}",
                    column.name,
                    self.catalog.format_type(column.type_oid),
                    self.catalog.format_type(input)
                )
                .hint("You will need to rewrite or cast the expression."),
                location,
            ));
        }
        self.coerce(
            e,
            column.type_oid,
            column.typmod,
            CoercionContext::Assignment,
            location,
        )
    }

    /// The value a column gets by default: its default expression (parsed from the catalog's
    /// text, coerced to the column), else NULL.
    pub(super) fn column_default(&mut self, column: &ColumnInfo) -> Result<TypedExpr> {
        if column.generated {
            // Computed over the new row by the executor (`generated.rs` rule 2).
            return Ok(TypedExpr::Const {
                value: Datum::Null,
                type_oid: column.type_oid,
                typmod: column.typmod,
                location: usize::MAX,
            });
        }
        // A column of a domain without its own default gets the domain's, else NULL,
        // coerced to the domain (so a NOT NULL domain refuses it).
        let domain_default = match &column.default {
            None if column.identity == 0 => super::domain::domain_of(self.catalog, column.type_oid)
                .map(|d| d.default.unwrap_or_else(|| "NULL".into())),
            _ => None,
        };
        let Some(text) = column.default.as_ref().or(domain_default.as_ref()) else {
            if column.identity != 0 {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!(
                        "generating a value for identity column \"{}\" is not supported",
                        column.name
                    ),
                ));
            }
            return Ok(TypedExpr::Const {
                value: Datum::Null,
                type_oid: column.type_oid,
                typmod: column.typmod,
                location: usize::MAX,
            });
        };
        let parsed = crate::parse_expr(text).map_err(without_position)?;
        let mut inner = Analyzer::new(self.catalog, "", Vec::new());
        let typed = inner
            .analyze_expr(&parsed, &Scope::default())
            .and_then(|e| inner.assign(e, column, usize::MAX))
            .map_err(without_position)?;
        Ok(typed)
    }

    /// The relation's CHECK constraints, analysed over its row, in name order.
    pub(super) fn check_constraints(
        &mut self,
        relation: &RelationInfo,
    ) -> Result<Vec<CheckConstraint>> {
        let scope = relation_scope(relation, &relation.name);
        let mut out = Vec::with_capacity(relation.checks.len());
        for check in &relation.checks {
            let parsed = crate::parse_expr(&check.expr).map_err(without_position)?;
            let mut inner = Analyzer::new(self.catalog, "", Vec::new());
            let expr = inner
                .analyze_expr(&parsed, &scope)
                .and_then(|e| inner.coerce_to_boolean(e, "CHECK", usize::MAX))
                .map_err(without_position)?;
            out.push(CheckConstraint {
                name: check.name.clone(),
                expr,
                kind: CheckKind::Constraint,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The RETURNING list over the target's row (`*` and `alias.*` expand to its columns).
    fn returning(
        &mut self,
        list: &[ResTarget],
        target: &Target,
    ) -> Result<(Vec<TypedExpr>, Vec<OutputColumn>)> {
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for t in list {
            if let Expr::Column(fields, location) = &t.expr {
                let star = fields.last().map(String::as_str) == Some("*");
                if star {
                    if let [qualifier, _] = fields.as_slice() {
                        if *qualifier != target.visible_name {
                            // Reuse the column-reference errors for the qualifier.
                            let probe =
                                Expr::Column(vec![qualifier.clone(), String::new()], *location);
                            self.target_expr(&probe, target)?;
                        }
                    }
                    for (index, c) in target.relation.live_columns() {
                        exprs.push(TypedExpr::Column {
                            index,
                            type_oid: c.type_oid,
                            typmod: c.typmod,
                            location: usize::MAX,
                        });
                        columns.push(OutputColumn {
                            name: c.name.clone(),
                            type_oid: c.type_oid,
                            typmod: c.typmod,
                        });
                    }
                    continue;
                }
            }
            let mut e = self.target_expr(&t.expr, target)?;
            self.refuse_window(&e, "RETURNING")?;
            if e.type_oid() == type_oid::UNKNOWN {
                e = self.coerce(e, type_oid::TEXT, -1, CoercionContext::Implicit, t.location)?;
            }
            columns.push(OutputColumn {
                name: t.name.clone().unwrap_or_else(|| figure_colname(&t.expr)),
                type_oid: e.type_oid(),
                typmod: e.typmod(),
            });
            exprs.push(e);
        }
        Ok((exprs, columns))
    }

    /// 42P20 `window functions are not allowed in WHERE` (or RETURNING).
    fn refuse_window(&self, e: &TypedExpr, clause: &str) -> Result<()> {
        match super::aggregate::first_window(e) {
            Some(at) => Err(self.at(
                pg_err!(
                    WINDOWING_ERROR,
                    "window functions are not allowed in {}",
                    clause
                ),
                at,
            )),
            None => Ok(()),
        }
    }

    fn where_filter(&mut self, w: &Option<Expr>, target: &Target) -> Result<Option<TypedExpr>> {
        match w {
            Some(w) => {
                let e = self.target_expr(w, target)?;
                self.refuse_window(&e, "WHERE")?;
                Ok(Some(self.coerce_to_boolean(e, "WHERE", expr_start(w))?))
            }
            None => Ok(None),
        }
    }

    /// Analyses an INSERT.
    ///
    /// Errors (PostgreSQL's, with positions): 42P01/42809/0A000 for the target (see
    /// [`Analyzer::analyze_update`]); 42703 `column "x" of relation "t" does not exist`,
    /// 42701 `column "x" specified more than once`; 42601 `INSERT has more expressions than
    /// target columns` / `INSERT has more target columns than expressions`, `VALUES lists
    /// must all be the same length`; 42804 assignment type mismatches; 428C9 `cannot
    /// insert a non-DEFAULT value into column "x"` for GENERATED ALWAYS identity columns
    /// without OVERRIDING SYSTEM VALUE; 0A000 for a data-modifying WITH that is not at the top level; ON CONFLICT's errors (see
    /// `on_conflict`); expression errors.
    pub fn analyze_insert(&mut self, stmt: &InsertStmt) -> Result<ModifyQuery> {
        self.dml_depth += 1;
        let result = self.insert_statement(stmt);
        self.dml_depth -= 1;
        result
    }

    fn insert_statement(&mut self, stmt: &InsertStmt) -> Result<ModifyQuery> {
        self.deferred(&stmt.deferred_error)?;
        if let Some(with) = &stmt.with {
            let before = (self.ctes.len(), self.modifying_ctes.len());
            let result = self.with_clause(with).and_then(|_| {
                self.analyze_insert(&InsertStmt {
                    with: None,
                    ..stmt.clone()
                })
            });
            self.ctes.truncate(before.0);
            let modifying = self.modifying_ctes.split_off(before.1);
            return result.map(|query| ModifyQuery { modifying, ..query });
        }
        let target = self.target(&stmt.relation, ModifyCommand::Insert)?;
        let relation = target.relation.clone();
        // Target attributes, in statement order (PostgreSQL's checkInsertTargets).
        let explicit = !stmt.columns.is_empty();
        let attrs = self.insert_targets(&stmt.columns, &relation)?;
        let action = match &stmt.source {
            InsertSource::DefaultValues => ModifyAction::InsertValues(vec![self.insert_row(
                stmt.overriding,
                &relation,
                &[],
                &[],
                &[],
                &Scope::default(),
            )?]),
            InsertSource::Values(rows) => {
                let expanded: Vec<Vec<InsertValue>> = rows
                    .iter()
                    .map(|row| self.expand_variable_stars(row))
                    .collect();
                let rows = &expanded;
                let width = rows.first().map(Vec::len).unwrap_or(0);
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    if row.len() != width {
                        let at = row.first().map(InsertValue::location).unwrap_or(usize::MAX);
                        return Err(self.at(
                            pg_err!(SYNTAX_ERROR, "VALUES lists must all be the same length"),
                            at,
                        ));
                    }
                }
                for row in rows {
                    let attrs = self.match_lengths(
                        &attrs,
                        explicit,
                        &stmt.columns,
                        row.iter().map(insert_value_start),
                    )?;
                    out.push(self.insert_row(
                        stmt.overriding,
                        &relation,
                        &attrs,
                        &stmt.columns,
                        row,
                        &Scope::default(),
                    )?);
                }
                ModifyAction::InsertValues(out)
            }
            InsertSource::Select(select) => self.insert_select(stmt, &target, &attrs, select)?,
        };
        let on_conflict = stmt
            .on_conflict
            .as_ref()
            .map(|c| self.analyze_on_conflict(c, &target))
            .transpose()?;
        let (returning, returning_columns) = self.returning(&stmt.returning, &target)?;
        // An arbiter reads the target's key columns (PostgreSQL marks the inference
        // columns, or the constraint's, as needing SELECT).
        let arbiter = stmt
            .on_conflict
            .as_ref()
            .is_some_and(|c| c.constraint.is_some() || !c.target.is_empty());
        let reads = if arbiter || reads_target(&returning, usize::MAX) {
            ACL_SELECT
        } else {
            0
        };
        self.note_relation_use(relation.oid, ACL_INSERT | reads);
        let mut checks = self.check_constraints(&relation)?;
        if let Some(rs) = self.row_security_of(&relation)? {
            if on_conflict.as_ref().is_some_and(|c| c.update.is_some()) {
                return Err(Error::feature_not_supported(
                    "INSERT ... ON CONFLICT DO UPDATE on a table with row-level security",
                ));
            }
            checks =
                self.new_row_checks(&relation, &rs, PolicyCommand::Insert, reads != 0, checks)?;
        }
        let generated = self.generated_columns(&relation)?;
        self.check_param_types()?;
        let query = ModifyQuery {
            modifying: Vec::new(),
            command: ModifyCommand::Insert,
            relation,
            action,
            checks,
            generated,
            returning,
            returning_columns,
            on_conflict,
            system_columns: target.system_columns(),
            inherited: Vec::new(),
            join: None,
        };
        if query.relation.kind == b'v' {
            return self.rewrite_view_modification(query, &[]);
        }
        Ok(query)
    }

    /// A VALUES row with each `r.*` of a composite variable (PL/pgSQL, a SQL function's
    /// argument) replaced by its fields `(r).f1, (r).f2, ...`, as PostgreSQL's
    /// `ExpandColumnRefStar` expands it in a VALUES list.
    fn expand_variable_stars(&self, row: &[InsertValue]) -> Vec<InsertValue> {
        let mut out = Vec::with_capacity(row.len());
        for item in row {
            let InsertValue::Expr(Expr::Column(fields, location)) = item else {
                out.push(item.clone());
                continue;
            };
            let Some((_, variable)) = fields
                .split_last()
                .filter(|(star, v)| *star == "*" && !v.is_empty())
            else {
                out.push(item.clone());
                continue;
            };
            let composite = self
                .param_resolver
                .and_then(|r| r.resolve(variable))
                .and_then(|value| self.catalog.composite_fields(value.type_oid()));
            let Some(fields) = composite else {
                out.push(item.clone());
                continue;
            };
            for (name, _, _) in fields {
                out.push(InsertValue::Expr(Expr::FieldSelect {
                    arg: Box::new(Expr::Column(variable.to_vec(), *location)),
                    field: name,
                }));
            }
        }
        out
    }

    /// The checks of a new row of `relation` written by `command`: its row security
    /// policies' conditions (with the SELECT policies too when the statement `reads`
    /// columns), then `constraints`, as PostgreSQL checks WITH CHECK options before
    /// constraints.
    ///
    /// Errors: catalog read errors and errors analysing a policy expression.
    fn new_row_checks(
        &mut self,
        relation: &RelationInfo,
        rs: &RowSecurity,
        command: PolicyCommand,
        reads: bool,
        mut constraints: Vec<CheckConstraint>,
    ) -> Result<Vec<CheckConstraint>> {
        let new_row = RowSecurityCheck::NewRow;
        let mut checks = self.row_security_checks(relation, rs, command, false, new_row)?;
        if reads {
            checks.extend(self.row_security_checks(
                relation,
                rs,
                PolicyCommand::Select,
                true,
                new_row,
            )?);
        }
        checks.append(&mut constraints);
        Ok(checks)
    }

    /// The live column `name` of target `relation` that an INSERT column list or a SET
    /// clause names, with its attribute index.
    ///
    /// Errors: 42703 `column "c" of relation "t" does not exist`.
    pub(super) fn target_column<'r>(
        &self,
        relation: &'r RelationInfo,
        name: &str,
        location: usize,
    ) -> Result<(usize, &'r ColumnInfo)> {
        relation
            .live_columns()
            .find(|(_, c)| c.name == name)
            .ok_or_else(|| {
                self.at(
                    pg_err!(
                        UNDEFINED_COLUMN,
                        "column \"{}\" of relation \"{}\" does not exist",
                        name,
                        relation.name
                    ),
                    location,
                )
            })
    }

    /// The attributes an INSERT's column list assigns, in statement order, with the
    /// location of each name (PostgreSQL's `checkInsertTargets`); every live attribute
    /// when the list is empty.
    ///
    /// Errors: 42703 unknown columns, 42701 a column named twice (parts of
    /// it, `c.f1, c.f2`, may be).
    fn insert_targets(
        &self,
        columns: &[crate::ast::InsertColumn],
        relation: &RelationInfo,
    ) -> Result<Vec<(usize, usize)>> {
        let explicit = !columns.is_empty();
        let mut attrs: Vec<(usize, usize)> = Vec::new(); // (attribute index, location)
        if explicit {
            // Whole columns may be named once; parts of a column (`c.f1, c.f2`) as often
            // as wanted, but not with the whole column.
            let mut whole: Vec<usize> = Vec::new();
            for c in columns {
                let (index, _) = self.target_column(relation, &c.name, c.location)?;
                let repeated = whole.contains(&index)
                    || (c.indirection.is_empty() && attrs.iter().any(|(i, _)| *i == index));
                if c.indirection.is_empty() {
                    whole.push(index);
                }
                if repeated {
                    return Err(self.at(
                        pg_err!(
                            DUPLICATE_COLUMN,
                            "column \"{}\" specified more than once",
                            c.name
                        ),
                        c.location,
                    ));
                }
                attrs.push((index, c.location));
            }
        } else {
            attrs = relation
                .live_columns()
                .map(|(i, _)| (i, usize::MAX))
                .collect();
        }
        Ok(attrs)
    }

    /// PostgreSQL's length checks of `transformInsertRow`: more expressions than target
    /// columns is an error at the first extra expression; with an explicit column list,
    /// fewer is an error at the first column left over. Returns the attributes assigned.
    fn match_lengths(
        &self,
        attrs: &[(usize, usize)],
        explicit: bool,
        columns: &[crate::ast::InsertColumn],
        item_locations: impl Iterator<Item = usize>,
    ) -> Result<Vec<(usize, usize)>> {
        let locations: Vec<usize> = item_locations.collect();
        if locations.len() > attrs.len() {
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "INSERT has more expressions than target columns"
                ),
                locations[attrs.len()],
            ));
        }
        if explicit && locations.len() < attrs.len() {
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "INSERT has more target columns than expressions"
                ),
                columns[locations.len()].location,
            ));
        }
        Ok(attrs
            .iter()
            .zip(&locations)
            .map(|((index, _), at)| (*index, *at))
            .collect())
    }

    /// Whether an explicit value for `column` is replaced by its default (PostgreSQL's
    /// `rewriteTargetListIU` for identity columns), or rejected (428C9).
    fn identity_value_replaced(
        &self,
        column: &ColumnInfo,
        overriding: Option<Overriding>,
    ) -> Result<bool> {
        if column.generated {
            return Err(super::generated::generated_insert_error(&column.name));
        }
        match (column.identity, overriding) {
            (b'a', Some(Overriding::UserValue)) | (b'd', Some(Overriding::UserValue)) => Ok(true),
            (b'a', Some(Overriding::SystemValue)) => Ok(false),
            (b'a', None) => Err(pg_err!(
                GENERATED_ALWAYS,
                "cannot insert a non-DEFAULT value into column \"{}\"",
                column.name
            )
            .detail(format!(
                "Column \"{}\" is an identity column defined as GENERATED ALWAYS.",
                column.name
            ))
            .hint("Use OVERRIDING SYSTEM VALUE to override.")),
            _ => Ok(false),
        }
    }

    /// Every parameter must have a type by the end of analysis (42P18).
    fn check_param_types(&self) -> Result<()> {
        for (i, t) in self.param_types.iter().enumerate() {
            if *t == tusk_types::Oid::INVALID || *t == type_oid::UNKNOWN {
                return Err(Error::new(
                    SqlState::INDETERMINATE_DATATYPE,
                    format!("could not determine data type of parameter ${}", i + 1),
                ));
            }
        }
        Ok(())
    }

    /// True if `$n` has no type yet (neither declared nor inferred).
    fn param_untyped(&self, n: u32) -> bool {
        let t = (n as usize)
            .checked_sub(1)
            .and_then(|i| self.param_types.get(i).copied())
            .unwrap_or(tusk_types::Oid::INVALID);
        t == tusk_types::Oid::INVALID || t == type_oid::UNKNOWN
    }

    /// One VALUES row as a full attribute row; `columns` is the statement's column list
    /// (empty when it has none), whose subscripts and fields build on NULL.
    #[allow(clippy::too_many_arguments)]
    fn insert_row(
        &mut self,
        overriding: Option<Overriding>,
        relation: &RelationInfo,
        attrs: &[(usize, usize)],
        columns: &[crate::ast::InsertColumn],
        items: &[InsertValue],
        scope: &Scope,
    ) -> Result<Vec<TypedExpr>> {
        let mut row: Vec<Option<TypedExpr>> = vec![None; relation.columns.len()];
        for (k, ((index, _), item)) in attrs.iter().zip(items).enumerate() {
            let column = &relation.columns[*index];
            if let Some(target) = columns.get(k).filter(|c| !c.indirection.is_empty()) {
                let source = match item {
                    InsertValue::Expr(e) => Some(
                        self.analyze_expr(e, scope)
                            .map_err(|err| hint_target_column(err, relation))?,
                    ),
                    InsertValue::Default(_) => None,
                };
                let typed = self.insert_part(column, &mut row[*index], target, source)?;
                if !self.identity_value_replaced(column, overriding)? {
                    row[*index] = Some(typed);
                }
                continue;
            }
            if let InsertValue::Expr(e) = item {
                let typed = self
                    .analyze_expr(e, scope)
                    .map_err(|err| hint_target_column(err, relation))?;
                let typed = self.assign(typed, column, expr_start(e))?;
                if !self.identity_value_replaced(column, overriding)? {
                    row[*index] = Some(typed);
                }
            }
        }
        self.complete_row(relation, row)
    }

    /// The value of an INSERT target with subscripts or fields (`target`): NULL, or what
    /// an earlier target on the column built (`prior`, taken), with the part replaced.
    fn insert_part(
        &mut self,
        column: &ColumnInfo,
        prior: &mut Option<TypedExpr>,
        target: &crate::ast::InsertColumn,
        source: Option<TypedExpr>,
    ) -> Result<TypedExpr> {
        let base = prior.take().unwrap_or(TypedExpr::Const {
            value: Datum::Null,
            type_oid: column.type_oid,
            typmod: column.typmod,
            location: usize::MAX,
        });
        self.assign_indirection(
            column,
            base,
            &target.indirection,
            source,
            target.location,
            &Scope::default(),
        )
    }

    /// Fills attributes without a value with their defaults (dropped ones with NULL).
    fn complete_row(
        &mut self,
        relation: &RelationInfo,
        row: Vec<Option<TypedExpr>>,
    ) -> Result<Vec<TypedExpr>> {
        row.into_iter()
            .zip(&relation.columns)
            .map(|(value, column)| match value {
                Some(v) => Ok(v),
                None if column.dropped => Ok(null_const()),
                None => self.relation_default(relation, column),
            })
            .collect()
    }

    fn insert_select(
        &mut self,
        stmt: &InsertStmt,
        target: &Target,
        attrs: &[(usize, usize)],
        select: &SelectStmt,
    ) -> Result<ModifyAction> {
        let relation = &target.relation;
        // PostgreSQL leaves the sub-SELECT's unknown-type outputs (string literals, NULL,
        // untyped parameters) unresolved and gives them the target column's type: a cast to the column's type
        // (without typmod, which the assignment below enforces) does the same here.
        let mut select = select.clone();
        let widths = self.target_widths(&select);
        let mut output = 0;
        for (t, width) in select.targets.iter_mut().zip(&widths) {
            let untyped = match &t.expr {
                Expr::Const(Literal::String(_) | Literal::Null, location) => Some(*location),
                Expr::Param(n, location) if self.param_untyped(*n) => Some(*location),
                _ => None,
            };
            let column = attrs
                .get(output)
                .map(|(index, _)| &relation.columns[*index]);
            output += width.unwrap_or(0);
            if width.is_none() {
                break;
            }
            let (Some(location), Some(column)) = (untyped, column) else {
                continue;
            };
            if let Some(info) = self.catalog.type_info(column.type_oid) {
                let arg = std::mem::replace(&mut t.expr, Expr::Const(Literal::Null, 0));
                t.expr = Expr::Cast {
                    arg: Box::new(arg),
                    type_name: TypeName {
                        names: vec!["pg_catalog".into(), info.name],
                        typmods: Vec::new(),
                        array_bounds: Vec::new(),
                        location,
                    },
                    location,
                };
            }
        }
        let query = self.analyze_select(&select)?;
        let item_locations: Vec<usize> = if select.values.is_empty() {
            select
                .targets
                .iter()
                .zip(&widths)
                .flat_map(|(t, width)| std::iter::repeat_n(expr_start(&t.expr), width.unwrap_or(0)))
                .collect()
        } else {
            select.values[0].iter().map(expr_start).collect()
        };
        let item_locations =
            (0..query.columns.len()).map(|i| item_locations.get(i).copied().unwrap_or(usize::MAX));
        let assigned = self.match_lengths(
            attrs,
            !stmt.columns.is_empty(),
            &stmt.columns,
            item_locations,
        )?;
        let mut row: Vec<Option<TypedExpr>> = vec![None; relation.columns.len()];
        for (output, (index, at)) in assigned.iter().enumerate() {
            let column = &relation.columns[*index];
            let out = &query.columns[output];
            let value = TypedExpr::Column {
                index: output,
                type_oid: out.type_oid,
                typmod: out.typmod,
                location: usize::MAX,
            };
            let typed = match stmt
                .columns
                .get(output)
                .filter(|c| !c.indirection.is_empty())
            {
                Some(target) => self.insert_part(column, &mut row[*index], target, Some(value))?,
                None => self.assign(value, column, *at)?,
            };
            if !self.identity_value_replaced(column, stmt.overriding)? {
                row[*index] = Some(typed);
            }
        }
        let row = self.complete_row(relation, row)?;
        Ok(ModifyAction::InsertQuery {
            query: Box::new(query),
            row,
        })
    }

    /// How many output columns each target of a SELECT produces (`None` from the first
    /// one that cannot be told): 1 for an expression; for a `*`, its expansion, learnt by
    /// analysing the query once on the side.
    fn target_widths(&self, select: &SelectStmt) -> Vec<Option<usize>> {
        let is_star = |t: &ResTarget| matches!(&t.expr, Expr::Column(f, _) if f.last().is_some_and(|l| l == "*"));
        let stars = select.targets.iter().filter(|t| is_star(t)).count();
        let star_width = match stars {
            0 => None,
            1 => {
                let mut side = Analyzer::new(self.catalog, self.sql, self.param_types.clone());
                side.param_resolver = self.param_resolver;
                side.analyze_select(select)
                    .ok()
                    .map(|q| (q.columns.len() + 1).saturating_sub(select.targets.len()))
            }
            _ => None,
        };
        let mut known = true;
        select
            .targets
            .iter()
            .map(|t| {
                let width = if is_star(t) { star_width } else { Some(1) };
                known &= width.is_some();
                width.filter(|_| known)
            })
            .collect()
    }

    /// Analyses an UPDATE.
    ///
    /// Errors (PostgreSQL's, with positions where it gives them): 42P01 `relation "t" does
    /// not exist`; 42809 `"i" is an index`, `"c" is a composite type`, `cannot change
    /// sequence "s"`, `cannot change materialized view "m"`; 55000 for views that are not
    /// automatically updatable (PostgreSQL's DETAIL), 0A000 for other views, FROM on a
    /// view, a data-modifying WITH and WHERE CURRENT OF; FROM's errors (42712 when it repeats the target's name); 42703
    /// `column "x" of relation "t" does not exist`; 42601 `multiple assignments to same
    /// column "x"`; 42804 assignment type mismatches and non-boolean WHERE; 428C9 `column
    /// "x" can only be updated to DEFAULT` for GENERATED ALWAYS identity columns.
    pub fn analyze_update(&mut self, stmt: &UpdateStmt) -> Result<ModifyQuery> {
        self.dml_depth += 1;
        let result = self.update_statement(stmt);
        self.dml_depth -= 1;
        result
    }

    fn update_statement(&mut self, stmt: &UpdateStmt) -> Result<ModifyQuery> {
        self.deferred(&stmt.deferred_error)?;
        if let Some(with) = &stmt.with {
            let before = (self.ctes.len(), self.modifying_ctes.len());
            let result = self.with_clause(with).and_then(|_| {
                self.analyze_update(&UpdateStmt {
                    with: None,
                    ..stmt.clone()
                })
            });
            self.ctes.truncate(before.0);
            let modifying = self.modifying_ctes.split_off(before.1);
            return result.map(|query| ModifyQuery { modifying, ..query });
        }
        let target = self.target(&stmt.relation, ModifyCommand::Update)?;
        let relation = target.relation.clone();
        let mut target = target;
        let system_columns = target.system_columns();
        let join = match stmt.from.first() {
            Some(item) if relation.kind == b'v' => {
                return Err(self.at(
                    Error::feature_not_supported("UPDATE ... FROM on a view"),
                    from_location(item),
                ))
            }
            Some(_) => Some(self.join_target(&mut target, &stmt.from, &stmt.where_clause)?),
            None => None,
        };
        let (row, assigned, duplicate) = self.set_values(&stmt.assignments, &target)?;
        let filter = self.where_filter(&stmt.where_clause, &target)?;
        let (returning, returning_columns) = match join {
            Some(_) => self.join_returning(&stmt.returning, &target)?,
            None => self.returning(&stmt.returning, &target)?,
        };
        let below = target_slots(&relation, join.is_some());
        let reads = if row
            .iter()
            .flatten()
            .chain(&filter)
            .chain(&returning)
            .any(|e| super::walk::reads_slots_below(e, below))
        {
            ACL_SELECT
        } else {
            0
        };
        self.note_relation_use(relation.oid, ACL_UPDATE | reads);
        let security = self.row_security_quals(&relation, PolicyCommand::Update, reads != 0)?;
        let filter = with_security_quals(security, filter);
        let join = join.map(|j| Box::new(self.join_query(j, &target, filter.clone())));
        if let Some(name) = duplicate {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "multiple assignments to same column \"{}\"",
                name
            ));
        }
        let row = update_row(&relation, row);
        let mut checks = self.check_constraints(&relation)?;
        if let Some(rs) = self.row_security_of(&relation)? {
            checks =
                self.new_row_checks(&relation, &rs, PolicyCommand::Update, reads != 0, checks)?;
        }
        let generated = self.generated_columns(&relation)?;
        self.check_param_types()?;
        let width = returning_columns.len();
        if relation.kind == b'v' {
            let query = ModifyQuery {
                modifying: Vec::new(),
                command: ModifyCommand::Update,
                relation,
                action: ModifyAction::Update { filter, row },
                checks,
                generated,
                returning,
                returning_columns,
                on_conflict: None,
                system_columns: false,
                inherited: Vec::new(),
                join: None,
            };
            return self.rewrite_view_modification(query, &assigned);
        }
        Ok(ModifyQuery {
            modifying: Vec::new(),
            command: ModifyCommand::Update,
            relation,
            action: ModifyAction::Update { filter, row },
            checks,
            generated,
            returning,
            returning_columns,
            on_conflict: None,
            system_columns,
            inherited: self.inherited_modifications(&stmt.relation, width, |a, rv| {
                a.analyze_update(&UpdateStmt {
                    relation: rv,
                    with: None,
                    ..stmt.clone()
                })
            })?,
            join,
        })
    }

    /// The values of an UPDATE's SET list over the target's row (`target`'s scope):
    /// one per attribute (`None` where the list names none), the attributes assigned in
    /// order, and the first column assigned twice.
    ///
    /// Errors: 42703 for unknown columns; subscripts' and fields' errors (`assign.rs`); 42804
    /// assignment mismatches; 428C9 for generated and GENERATED ALWAYS identity columns.
    fn set_values(
        &mut self,
        assignments: &[crate::ast::SetClause],
        target: &Target,
    ) -> Result<SetValues> {
        let relation = target.relation.clone();
        let mut row: Vec<Option<TypedExpr>> = vec![None; relation.columns.len()];
        let mut assigned: Vec<usize> = Vec::with_capacity(assignments.len());
        let mut duplicate = None;
        // Whether each attribute's assignment so far had subscripts or fields throughout.
        let mut partial = vec![true; relation.columns.len()];
        for set in assignments {
            let (index, column) = self.target_column(&relation, &set.column, set.location)?;
            let composes = partial[index] && !set.indirection.is_empty();
            let prior = row[index].take().filter(|_| composes);
            let value = self.set_item_value(target, index, column, set, prior)?;
            if matches!(set.value, InsertValue::Expr(_)) {
                if column.generated {
                    return Err(super::generated::generated_update_error(&column.name));
                }
                if column.identity == b'a' {
                    return Err(pg_err!(
                        GENERATED_ALWAYS,
                        "column \"{}\" can only be updated to DEFAULT",
                        column.name
                    )
                    .detail(format!(
                        "Column \"{}\" is an identity column defined as GENERATED ALWAYS.",
                        column.name
                    )));
                }
            }
            if assigned.contains(&index) && !composes {
                duplicate.get_or_insert(column.name.clone());
            }
            partial[index] &= !set.indirection.is_empty();
            if !composes || !assigned.contains(&index) {
                assigned.push(index);
            }
            row[index] = Some(value);
        }
        Ok((row, assigned, duplicate))
    }

    /// Analyses a DELETE.
    ///
    /// Errors: as [`Analyzer::analyze_update`] for the target, WITH, WHERE CURRENT OF and
    /// the WHERE clause; USING as UPDATE's FROM.
    pub fn analyze_delete(&mut self, stmt: &DeleteStmt) -> Result<ModifyQuery> {
        self.dml_depth += 1;
        let result = self.delete_statement(stmt);
        self.dml_depth -= 1;
        result
    }

    fn delete_statement(&mut self, stmt: &DeleteStmt) -> Result<ModifyQuery> {
        self.deferred(&stmt.deferred_error)?;
        if let Some(with) = &stmt.with {
            let before = (self.ctes.len(), self.modifying_ctes.len());
            let result = self.with_clause(with).and_then(|_| {
                self.analyze_delete(&DeleteStmt {
                    with: None,
                    ..stmt.clone()
                })
            });
            self.ctes.truncate(before.0);
            let modifying = self.modifying_ctes.split_off(before.1);
            return result.map(|query| ModifyQuery { modifying, ..query });
        }
        let target = self.target(&stmt.relation, ModifyCommand::Delete)?;
        let mut target = target;
        let system_columns = target.system_columns();
        let join = match stmt.using.first() {
            Some(item) if target.relation.kind == b'v' => {
                return Err(self.at(
                    Error::feature_not_supported("DELETE ... USING on a view"),
                    from_location(item),
                ))
            }
            Some(_) => Some(self.join_target(&mut target, &stmt.using, &stmt.where_clause)?),
            None => None,
        };
        let filter = self.where_filter(&stmt.where_clause, &target)?;
        let (returning, returning_columns) = match join {
            Some(_) => self.join_returning(&stmt.returning, &target)?,
            None => self.returning(&stmt.returning, &target)?,
        };
        let below = target_slots(&target.relation, join.is_some());
        let reads = if filter
            .iter()
            .chain(&returning)
            .any(|e| super::walk::reads_slots_below(e, below))
        {
            ACL_SELECT
        } else {
            0
        };
        self.note_relation_use(target.relation.oid, ACL_DELETE | reads);
        let security =
            self.row_security_quals(&target.relation, PolicyCommand::Delete, reads != 0)?;
        let filter = with_security_quals(security, filter);
        let join = join.map(|j| Box::new(self.join_query(j, &target, filter.clone())));
        self.check_param_types()?;
        let view = target.relation.kind == b'v';
        let inherited = if view {
            Vec::new()
        } else {
            self.inherited_modifications(&stmt.relation, returning_columns.len(), |a, rv| {
                a.analyze_delete(&DeleteStmt {
                    relation: rv,
                    with: None,
                    ..stmt.clone()
                })
            })?
        };
        let query = ModifyQuery {
            modifying: Vec::new(),
            command: ModifyCommand::Delete,
            relation: target.relation,
            action: ModifyAction::Delete { filter },
            checks: Vec::new(),
            generated: Vec::new(),
            returning,
            returning_columns,
            on_conflict: None,
            system_columns,
            inherited,
            join,
        };
        if view {
            return self.rewrite_view_modification(query, &[]);
        }
        Ok(query)
    }
}

/// An UPDATE's new row from its SET values: attributes not assigned keep their value
/// (dropped ones NULL; generated ones NULL until computed after BEFORE ROW triggers).
fn update_row(relation: &RelationInfo, row: Vec<Option<TypedExpr>>) -> Vec<TypedExpr> {
    row.into_iter()
        .zip(&relation.columns)
        .enumerate()
        .map(|(index, (value, column))| match value {
            Some(v) => v,
            None if column.dropped => null_const(),
            // Computed after the BEFORE ROW triggers, which see NULL.
            None if column.generated => TypedExpr::Const {
                value: Datum::Null,
                type_oid: column.type_oid,
                typmod: column.typmod,
                location: usize::MAX,
            },
            None => TypedExpr::Column {
                index,
                type_oid: column.type_oid,
                typmod: column.typmod,
                location: usize::MAX,
            },
        })
        .collect()
}

fn insert_value_start(v: &InsertValue) -> usize {
    match v {
        InsertValue::Expr(e) => expr_start(e),
        InsertValue::Default(l) => *l,
    }
}

fn from_location(item: &crate::ast::FromItem) -> usize {
    match item {
        crate::ast::FromItem::Relation(rv) => rv.location,
        crate::ast::FromItem::Function { functions, .. } => functions
            .first()
            .map_or(usize::MAX, |f| expr_start(&f.call)),
        crate::ast::FromItem::Other(_, l) => *l,
        crate::ast::FromItem::Subquery { .. } => usize::MAX,
        crate::ast::FromItem::Join(join) => from_location(&join.left),
    }
}

/// The relation's attributes as a scope, qualified by `name`; dropped attributes keep
/// their place (so indexes are attribute numbers - 1) under a name no reference can match.
pub(super) fn relation_scope(relation: &RelationInfo, name: &str) -> Scope {
    let columns = relation
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let shown = if c.dropped {
                String::new()
            } else {
                c.name.clone()
            };
            ScopeColumn::slot(shown, i, c.type_oid, c.typmod)
        })
        .collect();
    let mut scope = Scope::single(Some(name.to_string()), columns);
    if name != relation.name {
        scope.items[0].relation = Some(relation.name.clone());
    }
    scope
}

/// A VALUES item naming one of the target's columns gets PostgreSQL's HINT that the
/// column exists but cannot be referenced there.
fn hint_target_column(mut err: Error, relation: &RelationInfo) -> Error {
    if err.code != SqlState::UNDEFINED_COLUMN || err.hint.is_some() {
        return err;
    }
    let named = relation
        .live_columns()
        .find(|(_, c)| err.message == format!("column \"{}\" does not exist", c.name));
    if let Some((_, c)) = named {
        err.hint = Some(format!(
            "There is a column named \"{}\" in table \"{}\", but it cannot be referenced from this part of the query.",
            c.name, relation.name
        ));
    }
    err
}

/// Errors in stored expressions (defaults, CHECK constraints) have no cursor position.
/// A WHERE clause behind the security quals of row-level security, which run first
/// (`row_security.rs` rule 3).
fn with_security_quals(
    mut security: Vec<TypedExpr>,
    filter: Option<TypedExpr>,
) -> Option<TypedExpr> {
    if security.is_empty() {
        return filter;
    }
    security.extend(filter);
    if security.len() == 1 {
        return security.pop();
    }
    Some(TypedExpr::And(security))
}

fn without_position(mut e: Error) -> Error {
    e.position = None;
    e
}
