//! `MERGE INTO target USING source ON condition WHEN ...` (PostgreSQL 15's
//! `transformMergeStmt`).
//!
//! The statement becomes a [`ModifyQuery`] of command [`ModifyCommand::Merge`] whose
//! join query ([`ModifyQuery::join`]) is the source joined with the target on the ON
//! condition, the source as the outer input (rows come in its order, as in
//! PostgreSQL's plans): an inner join when every WHEN clause is `WHEN MATCHED`, else a
//! left join that keeps the source rows no target row matches (their target slots
//! NULL). The query's output puts the target first:
//!
//! ```text
//!  row every expression sees:  [ target attributes | target system columns | source ]
//!                                0 .. n              n .. n + 6 (ctid at n)  n + 6 ..
//! ```
//!
//! Rules:
//! 1. A joined row with a NULL `ctid` is NOT MATCHED; any other row is MATCHED.
//! 2. WHEN MATCHED conditions and UPDATE SET values see the whole row; WHEN NOT MATCHED
//!    conditions and INSERT values see only the source (a target reference is
//!    PostgreSQL's 42P01 `invalid reference to FROM-clause entry`).
//! 3. Actions are kept in the order written; the executor runs the first of the row's
//!    kind whose condition holds. A WHEN clause after an unconditional one of the same
//!    kind can never run: 42601.
//! 4. The ON condition is kept apart too, so the executor can re-check it on the newest
//!    version of a concurrently updated target row (READ COMMITTED).
//!
//! Entry point: [`Analyzer::analyze_merge`].

use tusk_types::adt::acl::{ACL_DELETE, ACL_INSERT, ACL_SELECT, ACL_UPDATE};
use tusk_types::{pg_err, Error, Result, SqlState};

use super::{expr_start, update_row, ModifyAction, ModifyCommand, ModifyQuery, Target};
use crate::analyze::expr::Scope;
use crate::analyze::select::{FromSource, Query};
use crate::analyze::system_columns::SYSTEM_COLUMNS;
use crate::analyze::typed::TypedExpr;
use crate::analyze::Analyzer;
use crate::ast::{FromItem, JoinKind, MergeStmt, MergeWhenAction};

/// The WHEN clauses of a MERGE, analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeClause {
    /// The ON condition over the joined row (rule 4).
    pub on: TypedExpr,
    /// The WHEN clauses in the order written (rule 3).
    pub actions: Vec<MergeAction>,
}

impl MergeClause {
    /// Whether some WHEN clause runs `kind` (for statement triggers and privileges).
    pub fn has(&self, kind: MergeActionKind) -> bool {
        self.actions.iter().any(|a| a.kind() == kind)
    }
}

/// One `WHEN [NOT] MATCHED [AND condition] THEN action`.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeAction {
    /// `WHEN MATCHED` (else NOT MATCHED).
    pub matched: bool,
    /// `AND condition` over the joined row.
    pub condition: Option<TypedExpr>,
    /// What it does.
    pub effect: MergeEffect,
}

impl MergeAction {
    /// The kind of action.
    pub fn kind(&self) -> MergeActionKind {
        match self.effect {
            MergeEffect::Update(_) => MergeActionKind::Update,
            MergeEffect::Delete => MergeActionKind::Delete,
            MergeEffect::Insert(_) => MergeActionKind::Insert,
            MergeEffect::Nothing => MergeActionKind::Nothing,
        }
    }
}

/// The action of a WHEN clause.
#[derive(Debug, Clone, PartialEq)]
pub enum MergeEffect {
    /// UPDATE: the new row, one expression per attribute over the joined row.
    Update(Vec<TypedExpr>),
    /// DELETE.
    Delete,
    /// INSERT: the new row, one expression per attribute over the joined row (rule 2).
    Insert(Vec<TypedExpr>),
    /// DO NOTHING.
    Nothing,
}

/// The kinds of [`MergeEffect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeActionKind {
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
    /// INSERT.
    Insert,
    /// DO NOTHING.
    Nothing,
}

/// PostgreSQL's `errdetail_relkind_not_supported` for the relation kinds MERGE refuses.
fn relkind_detail(kind: u8) -> &'static str {
    match kind {
        b'v' => "This operation is not supported for views.",
        b'm' => "This operation is not supported for materialized views.",
        b'f' => "This operation is not supported for foreign tables.",
        b'S' => "This operation is not supported for sequences.",
        b'i' => "This operation is not supported for indexes.",
        b'I' => "This operation is not supported for partitioned indexes.",
        b't' => "This operation is not supported for TOAST tables.",
        b'c' => "This operation is not supported for composite types.",
        _ => "This operation is not supported for this relation.",
    }
}

/// The name a FROM item is known by, when it has one.
fn source_name(item: &FromItem) -> Option<&str> {
    match item {
        FromItem::Relation(rv) => Some(rv.alias.as_ref().map_or(&rv.name, |a| &a.name)),
        FromItem::Subquery { alias, .. } | FromItem::Function { alias, .. } => {
            alias.as_ref().map(|a| a.name.as_str())
        }
        FromItem::Join(j) => j.alias.as_ref().map(|a| a.name.as_str()),
        FromItem::Other(..) => None,
    }
}

impl Analyzer<'_> {
    /// Analyses a MERGE.
    ///
    /// Errors (PostgreSQL's): 42P01 for a missing target; 0A000 `cannot execute MERGE on
    /// relation "v"` with the relation kind's DETAIL for anything but a table; 0A000 for
    /// tables with inheritance children or partitions, and for a data-modifying WITH;
    /// 42712 `name "t" specified more than once` when the source takes the target's name;
    /// 42601 `unreachable WHEN clause specified after unconditional WHEN clause`; 42P10
    /// `cannot use system column "x" in MERGE WHEN condition`; the errors of UPDATE's SET
    /// list and INSERT's column and VALUES lists; expression errors (rule 2).
    pub fn analyze_merge(&mut self, stmt: &MergeStmt) -> Result<ModifyQuery> {
        self.dml_depth += 1;
        let result = self.merge_statement(stmt);
        self.dml_depth -= 1;
        result
    }

    fn merge_statement(&mut self, stmt: &MergeStmt) -> Result<ModifyQuery> {
        self.deferred(&stmt.deferred_error)?;
        if let Some(with) = &stmt.with {
            if with.recursive {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "WITH RECURSIVE is not supported for MERGE statement"
                ));
            }
            let before = (self.ctes.len(), self.modifying_ctes.len());
            let result = self.with_clause(with).and_then(|_| {
                self.analyze_merge(&MergeStmt {
                    with: None,
                    ..stmt.clone()
                })
            });
            self.ctes.truncate(before.0);
            let modifying = self.modifying_ctes.split_off(before.1);
            return result.map(|query| ModifyQuery { modifying, ..query });
        }
        let mut target = self.merge_target(stmt)?;
        let relation = target.relation.clone();
        let mut privileges = ACL_SELECT;
        for w in &stmt.when {
            privileges |= match w.action {
                MergeWhenAction::Update(_) => ACL_UPDATE,
                MergeWhenAction::Delete => ACL_DELETE,
                MergeWhenAction::Insert { .. } => ACL_INSERT,
                MergeWhenAction::Nothing => 0,
            };
        }
        self.note_relation_use(relation.oid, privileges);
        if self.row_security_of(&relation)?.is_some() {
            // The policies would have to filter the join and check each action's rows;
            // until they do, refuse rather than bypass them.
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!(
                    "MERGE on table \"{}\" with row-level security policies is not supported",
                    relation.name
                ),
            ));
        }
        // Rule 3: nothing after an unconditional clause of the same kind.
        for matched in [true, false] {
            let mut unconditional = false;
            for w in stmt.when.iter().filter(|w| w.matched == matched) {
                if unconditional {
                    return Err(pg_err!(
                        SYNTAX_ERROR,
                        "unreachable WHEN clause specified after unconditional WHEN clause"
                    ));
                }
                unconditional = w.condition.is_none();
            }
        }
        if source_name(&stmt.source) == Some(target.visible_name.as_str()) {
            return Err(pg_err!(
                DUPLICATE_ALIAS,
                "name \"{}\" specified more than once",
                target.visible_name
            )
            .detail("The name is used both as MERGE target table and data source."));
        }
        let join = self.join_target(&mut target, std::slice::from_ref(&stmt.source), &None)?;
        let on = self.target_expr(&stmt.on, &target)?;
        let on = self.coerce_to_boolean(on, "JOIN/ON", expr_start(&stmt.on))?;
        // Rule 2: the scope of NOT MATCHED clauses hides the target.
        let mut source_scope: Scope = target.scope.clone();
        source_scope.items[0].rel_visible = false;
        source_scope.items[0].cols_visible = false;
        let base = relation.columns.len();
        let mut actions = Vec::with_capacity(stmt.when.len());
        for w in &stmt.when {
            let condition = match &w.condition {
                Some(c) => {
                    let e = if w.matched {
                        self.target_expr(c, &target)?
                    } else {
                        self.analyze_expr(c, &source_scope)?
                    };
                    reject_system_columns(self, &e, base, &target)?;
                    Some(self.coerce_to_boolean(e, "WHEN", expr_start(c))?)
                }
                None => None,
            };
            let effect = match &w.action {
                MergeWhenAction::Update(assignments) => {
                    let (row, _, duplicate) = self.set_values(assignments, &target)?;
                    if let Some(name) = duplicate {
                        return Err(pg_err!(
                            SYNTAX_ERROR,
                            "multiple assignments to same column \"{}\"",
                            name
                        ));
                    }
                    MergeEffect::Update(update_row(&relation, row))
                }
                MergeWhenAction::Delete => MergeEffect::Delete,
                MergeWhenAction::Nothing => MergeEffect::Nothing,
                MergeWhenAction::Insert {
                    columns,
                    overriding,
                    values,
                } => {
                    let attrs = self.insert_targets(columns, &relation)?;
                    let items = values.clone().unwrap_or_default();
                    let attrs = if values.is_some() {
                        self.match_lengths(
                            &attrs,
                            !columns.is_empty(),
                            columns,
                            items.iter().map(super::insert_value_start),
                        )?
                    } else {
                        Vec::new()
                    };
                    let row = self.insert_row(
                        *overriding,
                        &relation,
                        &attrs,
                        columns,
                        &items,
                        &source_scope,
                    )?;
                    MergeEffect::Insert(row)
                }
            };
            actions.push(MergeAction {
                matched: w.matched,
                condition,
                effect,
            });
        }
        let checks = self.check_constraints(&relation)?;
        let generated = self.generated_columns(&relation)?;
        self.check_param_types()?;
        let mut join = self.join_query(join, &target, None);
        let any_not_matched = actions.iter().any(|a| !a.matched);
        drive_by_source(
            &mut join,
            on.clone(),
            base + SYSTEM_COLUMNS.len(),
            any_not_matched,
        );
        Ok(ModifyQuery {
            modifying: Vec::new(),
            command: ModifyCommand::Merge,
            relation,
            action: ModifyAction::Merge(Box::new(MergeClause { on, actions })),
            checks,
            generated,
            returning: Vec::new(),
            returning_columns: Vec::new(),
            on_conflict: None,
            system_columns: true,
            inherited: Vec::new(),
            join: Some(Box::new(join)),
        })
    }

    /// Opens MERGE's target: a plain table (PostgreSQL 15 also merges into partitioned
    /// tables and inheritance parents, which tusk does not yet).
    fn merge_target(&mut self, stmt: &MergeStmt) -> Result<Target> {
        let rv = &stmt.relation;
        let found = self.catalog.relation(rv.schema.as_deref(), &rv.name)?;
        if let Some(relation) = &found {
            if relation.kind != b'r' && relation.kind != b'p' {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("cannot execute MERGE on relation \"{}\"", relation.name),
                )
                .detail(relkind_detail(relation.kind)));
            }
            let inherits = rv.inh
                && !self
                    .catalog
                    .inheritance_descendants(relation.oid)?
                    .is_empty();
            if relation.kind == b'p' || inherits {
                return Err(Error::feature_not_supported(
                    "MERGE into a partitioned table or inheritance parent",
                ));
            }
        }
        self.target(rv, ModifyCommand::Merge)
    }
}

/// Makes the join query's FROM the source joined with the target on `on` (rule 1): the
/// source is the outer (left) input, so rows come in its order as in PostgreSQL's plan,
/// and a LEFT join keeps the source rows no target row matches when there are WHEN NOT
/// MATCHED clauses. The query's output keeps the layout of the module docs (`target`
/// slots first). A source with LATERAL parts, whose slots are numbered from the
/// target's end, stays on the right of a RIGHT join instead.
fn drive_by_source(join: &mut Query, on: TypedExpr, target_width: usize, outer: bool) {
    let FromSource::Join {
        kind,
        left,
        right,
        condition,
        left_width,
        right_width,
    } = &mut join.source
    else {
        return;
    };
    if has_lateral(right) {
        *kind = if outer {
            JoinKind::Right
        } else {
            JoinKind::Inner
        };
        *condition = Some(on);
        return;
    }
    let source_width = *right_width;
    debug_assert_eq!(*left_width, target_width);
    // Slot `i` of the statement's layout in the reordered join row.
    let moved = move |i: usize| {
        if i < target_width {
            source_width + i
        } else {
            i - target_width
        }
    };
    std::mem::swap(left, right);
    *left_width = source_width;
    *right_width = target_width;
    *kind = if outer {
        JoinKind::Left
    } else {
        JoinKind::Inner
    };
    *condition = Some(crate::analyze::walk::remap_columns(on, &moved));
    join.targets = std::mem::take(&mut join.targets)
        .into_iter()
        .map(|t| crate::analyze::walk::remap_columns(t, &moved))
        .collect();
}

/// Whether a FROM tree has LATERAL items at its own level.
fn has_lateral(source: &FromSource) -> bool {
    match source {
        FromSource::Lateral { .. } => true,
        FromSource::Join { left, right, .. } => has_lateral(left) || has_lateral(right),
        _ => false,
    }
}

/// 42P10 for a system column other than `tableoid` in a WHEN condition (PostgreSQL's
/// `EXPR_KIND_MERGE_WHEN` rule).
fn reject_system_columns(
    analyzer: &Analyzer<'_>,
    e: &TypedExpr,
    base: usize,
    target: &Target,
) -> Result<()> {
    let mut found: Option<(usize, usize)> = None;
    crate::analyze::walk::map_expr_deep(e.clone(), 0, &mut |node, depth| {
        if let TypedExpr::Column {
            index, location, ..
        } = &node
        {
            let system = index
                .checked_sub(base)
                .filter(|i| *i < SYSTEM_COLUMNS.len());
            if let Some(i) = system.filter(|i| SYSTEM_COLUMNS[*i].name != "tableoid") {
                if depth == 0 && found.is_none() {
                    found = Some((i, *location));
                }
            }
        }
        node
    });
    let _ = target;
    match found {
        Some((i, location)) => Err(analyzer.at(
            pg_err!(
                INVALID_COLUMN_REFERENCE,
                "cannot use system column \"{}\" in MERGE WHEN condition",
                SYSTEM_COLUMNS[i].name
            ),
            location,
        )),
        None => Ok(()),
    }
}
