//! The locking clause of a SELECT (`FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE
//! [OF name, ...] [NOWAIT | SKIP LOCKED]`) becomes the query's [`RowMark`]s: which
//! relations of its FROM clause have their rows locked, and where each row's `ctid` is
//! in the FROM row (PostgreSQL's `transformLockingClause`, `CheckSelectLocking` and the
//! planner's `preprocess_rowmarks`).
//!
//! Rules:
//! 1. A clause without `OF` locks every relation of the FROM clause; one with `OF` the
//!    items named (by alias, else relation name; unqualified only). A relation named by
//!    two clauses gets the stronger strength and the stricter wait policy.
//! 2. A subquery or view in FROM that a clause applies to gets the clause pushed down:
//!    its own relations are locked by its own `LockRows` (`analyze_locked_subquery`).
//! 3. While a block has a locking clause, its relations carry system columns (the
//!    layout rule of `system_columns.rs`), so the executor finds each row's `ctid`.
//! 4. Refused as PostgreSQL does (0A000): with DISTINCT, GROUP BY, HAVING, aggregates,
//!    window functions, set-returning functions in the target list, set operations,
//!    VALUES, functions, joins and WITH queries named in `OF`, and the nullable side of
//!    an outer join. `OF` names not in FROM are 42P01.
//!
//! Entry points: [`RowMark`], [`locked_relations`]; `Analyzer::analyze_locked_subquery`
//! and `Analyzer::apply_locking` (from `select.rs` and `from.rs`).

use tusk_types::{pg_err, Oid, Result};

use super::expr::Scope;
use super::select::{FromSource, Query};
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::SelectStmt;
use crate::ast_lock::{LockingClause, RowLockStrength, RowLockWait};

/// What a FROM item is, for the locking clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A table (or other relation with heap storage) with this OID.
    Relation(Oid),
    /// A table read with its inheritance children (an append of several relations).
    InheritanceParent,
    /// A subquery or view.
    Subquery,
    /// A `VALUES` list in FROM.
    Values,
    /// A function in FROM.
    Function,
    /// A join with an alias, or the unnamed item of a join.
    Join,
    /// A reference to a WITH query.
    Cte,
    /// Anything else (`excluded`, single-item scopes).
    Other,
}

/// One relation whose rows a SELECT locks (PostgreSQL's `PlanRowMark`).
#[derive(Debug, Clone, PartialEq)]
pub struct RowMark {
    /// `pg_class.oid` of the relation.
    pub relation: Oid,
    /// The relation's name as the query refers to it (for errors).
    pub name: String,
    /// Slot of the row's `ctid` in the FROM row.
    pub ctid_slot: usize,
    /// The lock taken on each row.
    pub strength: RowLockStrength,
    /// What to do with a row locked by someone else.
    pub wait: RowLockWait,
}

/// The relations `query` locks rows of, its subqueries in FROM included (for the
/// `RowShareLock` each needs), each once.
pub fn locked_relations(query: &Query) -> Vec<Oid> {
    let mut out = Vec::new();
    collect_locked(query, &mut out);
    out
}

fn collect_locked(query: &Query, out: &mut Vec<Oid>) {
    for m in &query.row_marks {
        if !out.contains(&m.relation) {
            out.push(m.relation);
        }
    }
    collect_source(&query.source, out);
}

fn collect_source(source: &FromSource, out: &mut Vec<Oid>) {
    match source {
        FromSource::Subquery(q) | FromSource::Lateral { query: q, .. } => collect_locked(q, out),
        FromSource::Join { left, right, .. } => {
            collect_source(left, out);
            collect_source(right, out);
        }
        _ => {}
    }
}

/// 0A000 `FOR UPDATE is not allowed with ...` (PostgreSQL's `CheckSelectLocking`).
fn not_allowed(strength: RowLockStrength, with: &str) -> tusk_types::Error {
    pg_err!(
        FEATURE_NOT_SUPPORTED,
        "{} is not allowed with {}",
        strength.clause_name(),
        with
    )
}

/// 0A000 `FOR UPDATE cannot be applied to ...`.
fn cannot_apply(strength: RowLockStrength, to: &str) -> tusk_types::Error {
    pg_err!(
        FEATURE_NOT_SUPPORTED,
        "{} cannot be applied to {}",
        strength.clause_name(),
        to
    )
}

impl Analyzer<'_> {
    /// The locking clauses that apply to `stmt`'s block: its own, then one pushed down
    /// from the enclosing query (rule 2). Consumes the pushed-down one.
    pub(super) fn take_locking(&mut self, stmt: &SelectStmt) -> Vec<LockingClause> {
        let mut clauses = stmt.locking.clone();
        clauses.extend(self.inherited_lock.take());
        clauses
    }

    /// Analyses a subquery (or view) in FROM known as `name`, pushing down the clauses
    /// of the current block that apply to it (rule 2).
    ///
    /// Errors: those of [`Analyzer::analyze_select`].
    pub(super) fn analyze_locked_subquery(
        &mut self,
        query: &SelectStmt,
        name: &str,
    ) -> Result<Query> {
        let mut pushed: Option<LockingClause> = None;
        for c in &self.lock_clauses {
            let applies = c.relations.is_empty() || c.relations.iter().any(|r| r.name == name);
            if !applies {
                continue;
            }
            let p = pushed.get_or_insert(LockingClause {
                strength: c.strength,
                relations: Vec::new(),
                wait: c.wait,
            });
            p.strength = p.strength.max(c.strength);
            p.wait = p.wait.max(c.wait);
        }
        self.inherited_lock = pushed;
        let result = self.analyze_select(query);
        self.inherited_lock = None;
        result
    }

    /// 0A000 for a locking clause on a set operation or VALUES (rule 4).
    pub(super) fn refuse_locking(&self, what: &str) -> Result<()> {
        match self.lock_clauses.first() {
            Some(c) if what == "VALUES" => Err(cannot_apply(c.strength, what)),
            Some(c) => Err(not_allowed(c.strength, what)),
            None => Ok(()),
        }
    }

    /// Sets `query.row_marks` from the block's locking clauses over its FROM `scope`
    /// (rules 1 and 4); `stmt` is the block's syntax.
    ///
    /// Errors: 0A000 as rule 4; 42P01 `relation "x" in FOR UPDATE clause not found in
    /// FROM clause`; 42601 for a qualified name in `OF`.
    pub(super) fn apply_locking(
        &mut self,
        query: &mut Query,
        scope: &Scope,
        stmt: &SelectStmt,
    ) -> Result<()> {
        let Some(first) = self.lock_clauses.first() else {
            return Ok(());
        };
        let strength = first.strength;
        if query.distinct.is_some() {
            return Err(not_allowed(strength, "DISTINCT clause"));
        }
        if !stmt.group_by.is_empty() {
            return Err(not_allowed(strength, "GROUP BY clause"));
        }
        if stmt.having.is_some() {
            return Err(not_allowed(strength, "HAVING clause"));
        }
        if query.aggregation.is_some() {
            return Err(not_allowed(strength, "aggregate functions"));
        }
        if !query.windows.is_empty() {
            return Err(not_allowed(strength, "window functions"));
        }
        if query.targets.iter().any(TypedExpr::returns_set) {
            return Err(not_allowed(
                strength,
                "set-returning functions in the target list",
            ));
        }
        let mut marks: Vec<RowMark> = Vec::new();
        for clause in &self.lock_clauses {
            if clause.relations.is_empty() {
                for item in &scope.items {
                    match item.kind {
                        ItemKind::Relation(_) => {
                            let name = item.name.clone().unwrap_or_default();
                            self.mark(&mut marks, item, &name, clause)?;
                        }
                        ItemKind::Join if item.name.is_some() => {
                            return Err(tusk_types::Error::feature_not_supported(format!(
                                "{} of a join with an alias",
                                clause.strength.clause_name()
                            )));
                        }
                        ItemKind::InheritanceParent => {
                            return Err(tusk_types::Error::feature_not_supported(format!(
                                "{} of a table with inheritance children",
                                clause.strength.clause_name()
                            )));
                        }
                        _ => {}
                    }
                }
                continue;
            }
            for rv in &clause.relations {
                if rv.schema.is_some() {
                    return Err(self.at(
                        pg_err!(
                            SYNTAX_ERROR,
                            "{} must specify unqualified relation names",
                            clause.strength.clause_name()
                        ),
                        rv.location,
                    ));
                }
                let Some(item) = scope
                    .items
                    .iter()
                    .find(|i| i.rel_visible && i.name.as_deref() == Some(rv.name.as_str()))
                else {
                    return Err(self.at(
                        pg_err!(
                            UNDEFINED_TABLE,
                            "relation \"{}\" in {} clause not found in FROM clause",
                            rv.name,
                            clause.strength.clause_name()
                        ),
                        rv.location,
                    ));
                };
                let refuse =
                    |to: &str| Err(self.at(cannot_apply(clause.strength, to), rv.location));
                match item.kind {
                    ItemKind::Relation(_) => self.mark(&mut marks, item, &rv.name, clause)?,
                    // Pushed down when the subquery was analysed.
                    ItemKind::Subquery => {}
                    ItemKind::Values => return refuse("VALUES"),
                    ItemKind::Function => return refuse("a function"),
                    ItemKind::Join => return refuse("a join"),
                    ItemKind::Cte => return refuse("a WITH query"),
                    ItemKind::Other => return refuse("this item"),
                    ItemKind::InheritanceParent => {
                        return Err(self.at(
                            tusk_types::Error::feature_not_supported(format!(
                                "{} of a table with inheritance children",
                                clause.strength.clause_name()
                            )),
                            rv.location,
                        ))
                    }
                }
            }
        }
        // Locking rows needs UPDATE on their table besides SELECT (PostgreSQL's
        // `ACL_SELECT_FOR_UPDATE`).
        for m in &marks {
            self.note_relation_use(m.relation, tusk_types::adt::acl::ACL_UPDATE);
        }
        query.row_marks = marks;
        Ok(())
    }

    fn mark(
        &self,
        marks: &mut Vec<RowMark>,
        item: &super::expr::ScopeItem,
        name: &str,
        clause: &LockingClause,
    ) -> Result<()> {
        let ItemKind::Relation(relation) = item.kind else {
            return Ok(());
        };
        if item.nullable {
            return Err(cannot_apply(
                clause.strength,
                "the nullable side of an outer join",
            ));
        }
        let Some(TypedExpr::Column { index, .. }) = item.system_columns.first().map(|c| &c.expr)
        else {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot lock rows in relation \"{}\"",
                name
            ));
        };
        if let Some(m) = marks.iter_mut().find(|m| m.ctid_slot == *index) {
            m.strength = m.strength.max(clause.strength);
            m.wait = m.wait.max(clause.wait);
            return Ok(());
        }
        marks.push(RowMark {
            relation,
            name: name.to_string(),
            ctid_slot: *index,
            strength: clause.strength,
            wait: clause.wait,
        });
        Ok(())
    }
}
