//! EXPLAIN's text format (PostgreSQL 15's `explain.c`, FORMAT TEXT): a [`Plan`] becomes
//! lines, one node per line with its details below it, children under `->  `:
//!
//! ```text
//! Limit
//!   ->  Sort
//!         Sort Key: (count(*)) DESC
//!         ->  HashAggregate
//!               Group Key: a
//!               ->  Seq Scan on t
//! ```
//!
//! Node names are PostgreSQL's; a `Filter` over a scan (or over an aggregate: HAVING)
//! becomes that node's `Filter:` line; `Project` nodes (which only drop sort columns) are
//! not shown, nor is a `ProjectSet` without set-returning functions. Expressions are
//! deparsed as `ruleutils.c` does: operators parenthesised, constants other than plain
//! integers and numerics quoted with a cast (`'abc'::text`), implicit casts of columns
//! shown (`(c)::text`), column names qualified with their relation when the plan reads
//! more than one relation.
//!
//! VERBOSE adds an `Output:` line per node, schema-qualifies scanned relations and
//! qualifies column names in conditions and keys (output lists stay unqualified for a
//! plan over one relation, as PostgreSQL prints them).
//!
//! Costs (`(cost=S..T rows=R width=W)`) are a simple estimate, not PostgreSQL's cost
//! model: a relation is taken to have PostgreSQL's default 10 pages filled with rows of
//! its declared width (variable-length columns 32 bytes), giving the row count of a Seq
//! Scan and a cost of one per page plus 0.01 per row; an index scan with conditions
//! returns one row; filters and join conditions keep every row; other nodes add 0.01
//! per row to their inputs' cost.
//!
//! Entry points: [`explain_plan`] (queries), [`plan_modify`] and [`explain_modify`]
//! (INSERT, UPDATE, DELETE).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tusk_catalog::OperatorKind;
use tusk_sql::analyze::system_columns::SYSTEM_COLUMNS;
use tusk_sql::analyze::{
    AggregateCall, ConflictArbiter, ModifyAction, ModifyQuery, RelationInfo, TypedExpr, WindowCall,
    WindowFunction,
};
use tusk_sql::ast::{JoinKind, SetOpKind, SqlValueFunction};
use tusk_types::{type_oid, Datum, Error, Oid, Result};

use crate::index::ScanDirection;
use crate::index_path::{and_of, choose_index, conjuncts};
use crate::io::format_type;
use crate::operator::instrument::{NodeCounters, PlanInstrumentation};
use crate::plan::{plan_query, Plan};
use crate::TableAccess;

/// What EXPLAIN prints besides the plan's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExplainOptions {
    /// COSTS: print `(cost=... rows=... width=...)` after each node.
    pub costs: bool,
    /// VERBOSE: an `Output:` line per node, schema-qualified relation names, column
    /// names in conditions and keys always qualified.
    pub verbose: bool,
}

/// What EXPLAIN ANALYZE adds: the counters of the run, printed after each node's
/// estimate (` (actual time=S..T rows=R loops=L)`, PostgreSQL's `ExplainNode`).
#[derive(Debug, Clone, Copy)]
pub struct ExplainAnalyzed<'a> {
    /// The counters of the plan's nodes.
    pub counters: &'a PlanInstrumentation,
}

/// The lines of EXPLAIN's text output for `plan` (without a trailing newline each).
/// `relation` names the relations the plan scans (`None`: shown by OID).
pub fn explain_plan(
    plan: &Plan,
    relation: &dyn Fn(Oid) -> Option<Arc<RelationInfo>>,
    options: ExplainOptions,
) -> Vec<String> {
    explain_plan_analyzed(plan, relation, options, None)
}

/// [`explain_plan`], with the actual counters of a run of `plan` after each node when
/// `analyzed` is given (EXPLAIN ANALYZE).
pub fn explain_plan_analyzed(
    plan: &Plan,
    relation: &dyn Fn(Oid) -> Option<Arc<RelationInfo>>,
    options: ExplainOptions,
    analyzed: Option<ExplainAnalyzed<'_>>,
) -> Vec<String> {
    let several = count_relations(plan) > 1;
    let mut printer = Printer {
        relation,
        qualify: several || options.verbose,
        verbose: options.verbose,
        params: None,
        analyzed,
    };
    let mut node = printer.node(plan);
    if options.verbose {
        // Output lists qualify names only when the plan reads several relations.
        let mut plain = Printer {
            relation,
            qualify: several,
            verbose: true,
            params: None,
            analyzed: None,
        };
        attach_outputs(&mut node, &plain.node(plan));
    }
    let mut lines = Vec::new();
    let timing = analyzed.map(|a| a.counters.timing);
    node.print(0, true, options, timing, &mut lines);
    lines
}

/// What EXPLAIN shows of INSERT, UPDATE or DELETE besides the statement itself: the
/// plan that finds or computes its rows, as [`crate::run_modify`] runs it (UPDATE and
/// DELETE scan an index when one answers conjuncts of WHERE; with FROM or USING, the
/// join of the target with the other items), and the ON CONFLICT
/// arbiter indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct ModifyPlan {
    /// The rows' plan.
    pub source: Plan,
    /// `pg_class.oid`s of the arbiter indexes shown (empty for DO NOTHING without a
    /// conflict target).
    pub arbiters: Vec<Oid>,
}

/// Plans what [`explain_modify`] prints.
///
/// Errors: those of [`TableAccess::indexes`] and [`TableAccess::conflict_arbiters`]
/// (42P01, 42P10, 42704, catalog reads).
pub fn plan_modify(query: &ModifyQuery, tables: &dyn TableAccess) -> Result<ModifyPlan> {
    let rel = query.relation.oid;
    let width = query.relation.columns.len();
    let source = match &query.action {
        ModifyAction::InsertValues(rows) if rows.len() == 1 => Plan::Result,
        ModifyAction::InsertValues(rows) => Plan::Values(rows.clone()),
        ModifyAction::InsertQuery { query, .. } => plan_query(query, tables)?,
        ModifyAction::Update { .. } | ModifyAction::Delete { .. } | ModifyAction::Merge(_)
            if query.join.is_some() =>
        {
            plan_query(query.join.as_deref().expect("checked in the guard"), tables)?
        }
        ModifyAction::Update { filter, .. } | ModifyAction::Delete { filter } => {
            target_scan(rel, width, filter, tables)?
        }
        ModifyAction::Merge(_) => return Err(Error::internal("MERGE without its join")),
    };
    let arbiters = match &query.on_conflict {
        Some(c) if c.update.is_some() || c.arbiter != ConflictArbiter::Any => {
            tables.conflict_arbiters(rel, &c.arbiter)?
        }
        _ => Vec::new(),
    };
    Ok(ModifyPlan { source, arbiters })
}

/// The lines of EXPLAIN's text output for INSERT, UPDATE or DELETE: `Insert on t` (and
/// so on) over `plan` (from [`plan_modify`]).
pub fn explain_modify(
    query: &ModifyQuery,
    plan: &ModifyPlan,
    relation: &dyn Fn(Oid) -> Option<Arc<RelationInfo>>,
    options: ExplainOptions,
) -> Vec<String> {
    let width = query.relation.columns.len();
    let verb = match &query.action {
        ModifyAction::InsertValues(_) | ModifyAction::InsertQuery { .. } => "Insert",
        ModifyAction::Update { .. } => "Update",
        ModifyAction::Delete { .. } => "Delete",
        ModifyAction::Merge(_) => "Merge",
    };
    let source = &plan.source;
    let mut printer = Printer {
        relation,
        qualify: count_relations(source) > 1 || options.verbose,
        verbose: options.verbose,
        params: None,
        analyzed: None,
    };
    let child = printer.node(source);
    let name = quote_identifier(&query.relation.name);
    let mut details = Vec::new();
    if let Some(conflict) = &query.on_conflict {
        let resolution = if conflict.update.is_some() {
            "UPDATE"
        } else {
            "NOTHING"
        };
        details.push(format!("Conflict Resolution: {resolution}"));
        if !plan.arbiters.is_empty() {
            let names: Vec<String> = plan
                .arbiters
                .iter()
                .map(|oid| relation(*oid).map_or_else(|| oid.0.to_string(), |r| r.name.clone()))
                .collect();
            details.push(format!("Conflict Arbiter Indexes: {}", names.join(", ")));
        }
        if let Some(filter) = conflict.update.as_ref().and_then(|u| u.filter.as_ref()) {
            let columns = (0..width)
                .map(|i| {
                    let column = query
                        .relation
                        .columns
                        .get(i)
                        .map_or("?column?", |c| &c.name);
                    (format!("{name}.{}", quote_identifier(column)), true)
                })
                .collect::<Vec<_>>();
            details.push(format!(
                "Filter: {}",
                and_text(std::slice::from_ref(filter), &columns)
            ));
        }
    }
    let estimate = Estimate {
        startup: child.estimate.startup,
        total: child.estimate.total + child.estimate.rows * 0.01,
        rows: 0.0,
        width: 0,
    };
    let node = Node {
        output: None,
        actual: None,
        title: format!("{verb} on {name}"),
        details,
        columns: Vec::new(),
        children: vec![child],
        estimate,
    };
    let mut lines = Vec::new();
    node.print(0, true, options, None, &mut lines);
    lines
}

/// The scan UPDATE and DELETE find their rows with (as `modify.rs` chooses it), WHERE's
/// other conjuncts as its filter.
fn target_scan(
    rel: Oid,
    width: usize,
    filter: &Option<TypedExpr>,
    tables: &dyn TableAccess,
) -> Result<Plan> {
    let indexes = if filter.is_some() {
        tables.indexes(rel)?
    } else {
        Vec::new()
    };
    let (scan, rest) = match choose_index(&indexes, width, &conjuncts(filter.as_ref())) {
        Some(choice) => (
            Plan::IndexScan {
                rel,
                width,
                index: choice.index.oid,
                index_name: choice.index.name.clone(),
                quals: choice.quals,
                direction: ScanDirection::Forward,
            },
            and_of(choice.rest),
        ),
        None => (Plan::SeqScan { rel, width }, filter.clone()),
    };
    Ok(match rest {
        Some(predicate) => Plan::Filter {
            input: Box::new(scan),
            predicate,
        },
        None => scan,
    })
}

/// Copies the output column texts of `plain` (the same plan printed with other
/// qualification) into `node`'s `Output:` lines.
fn attach_outputs(node: &mut Node, plain: &Node) {
    // Sort and DISTINCT keys that repeat a target are one column in PostgreSQL's
    // target lists; tusk's projection appends them again.
    let mut output: Vec<String> = Vec::new();
    for (text, _) in &plain.columns {
        if !output.contains(text) {
            output.push(text.clone());
        }
    }
    node.output = Some(output);
    for (child, plain_child) in node.children.iter_mut().zip(&plain.children) {
        attach_outputs(child, plain_child);
    }
}

/// One displayed node.
struct Node {
    title: String,
    /// EXPLAIN ANALYZE's counters of the node, when it has its own.
    actual: Option<NodeCounters>,
    /// VERBOSE's output column list.
    output: Option<Vec<String>>,
    details: Vec<String>,
    children: Vec<Node>,
    /// Texts of the output columns, with whether each is a plain column reference.
    columns: Vec<(String, bool)>,
    estimate: Estimate,
}

#[derive(Debug, Clone, Copy)]
struct Estimate {
    startup: f64,
    total: f64,
    rows: f64,
    width: usize,
}

impl Node {
    /// Counters of a node that has no plan node of its own (`Hash` over its input,
    /// `Subquery Scan`, `Append` of a set operation): its inputs' together.
    fn derived_actual(&self) -> Option<NodeCounters> {
        let mut inputs = self
            .children
            .iter()
            .map(|c| c.actual.or_else(|| c.derived_actual()));
        let first = inputs.next()??;
        inputs.try_fold(first, |mut sum, c| {
            let c = c?;
            sum.rows += c.rows;
            sum.total += c.total;
            sum.buffers.add(&c.buffers);
            Some(sum)
        })
    }

    /// Appends the node's lines; `analyzed` is `Some(timing)` under EXPLAIN ANALYZE.
    fn print(
        &self,
        indent: usize,
        top: bool,
        options: ExplainOptions,
        analyzed: Option<bool>,
        out: &mut Vec<String>,
    ) {
        let e = self.estimate;
        let costs = if options.costs {
            format!(
                "  (cost={:.2}..{:.2} rows={} width={})",
                e.startup, e.total, e.rows as u64, e.width
            )
        } else {
            String::new()
        };
        let actual = match (analyzed, self.actual.or_else(|| self.derived_actual())) {
            (Some(timing), Some(c)) => c.text(timing),
            _ => String::new(),
        };
        let pad = " ".repeat(indent);
        if top {
            out.push(format!("{pad}{}{costs}{actual}", self.title));
        } else {
            out.push(format!("{pad}->  {}{costs}{actual}", self.title));
        }
        let inner = if top { indent + 2 } else { indent + 6 };
        if let Some(output) = self.output.as_ref().filter(|o| !o.is_empty()) {
            out.push(format!(
                "{}Output: {}",
                " ".repeat(inner),
                output.join(", ")
            ));
        }
        for d in &self.details {
            out.push(format!("{}{d}", " ".repeat(inner)));
        }
        if analyzed.is_some() {
            let buffers = self
                .actual
                .or_else(|| self.derived_actual())
                .and_then(|c| c.buffers.explain_text());
            if let Some(line) = buffers {
                out.push(format!("{}{line}", " ".repeat(inner)));
            }
        }
        for c in &self.children {
            c.print(inner, false, options, analyzed, out);
        }
    }
}

fn count_relations(plan: &Plan) -> usize {
    match plan {
        Plan::SeqScan { .. }
        | Plan::IndexScan { .. }
        | Plan::Values(_)
        | Plan::FunctionScan { .. }
        | Plan::WorkTableScan { .. } => 1,
        Plan::Result => 0,
        Plan::LateralLoop { outer, .. } => count_relations(outer) + 1,
        _ => children(plan).into_iter().map(count_relations).sum(),
    }
}

fn children(plan: &Plan) -> Vec<&Plan> {
    match plan {
        Plan::Filter { input, .. }
        | Plan::Aggregate { input, .. }
        | Plan::WindowAgg { input, .. }
        | Plan::ProjectSet { input, .. }
        | Plan::Sort { input, .. }
        | Plan::Unique { input, .. }
        | Plan::Limit { input, .. }
        | Plan::LockRows { input, .. }
        | Plan::Project { input, .. }
        | Plan::ModifyingCtes { input, .. } => vec![input],
        Plan::NestedLoop { outer, inner, .. }
        | Plan::ParameterizedNestedLoop { outer, inner, .. }
        | Plan::HashJoin { outer, inner, .. } => vec![outer, inner],
        Plan::LateralLoop { outer, .. } => vec![outer],
        Plan::SetOp { left, right, .. } => vec![left, right],
        Plan::RecursiveUnion {
            non_recursive,
            recursive,
            ..
        } => vec![non_recursive, recursive],
        _ => Vec::new(),
    }
}

/// The default width PostgreSQL assumes for a variable-length column.
const VARLENA_WIDTH: usize = 32;
/// PostgreSQL's default page count for a relation never analysed.
const DEFAULT_PAGES: f64 = 10.0;

fn type_width(oid: Oid) -> usize {
    match tusk_catalog::builtin().type_by_oid(oid) {
        Some(t) if t.len > 0 => t.len as usize,
        _ => VARLENA_WIDTH,
    }
}

struct Printer<'a> {
    relation: &'a dyn Fn(Oid) -> Option<Arc<RelationInfo>>,
    qualify: bool,
    verbose: bool,
    /// The outer row's column texts while printing the inner side of a parameterized
    /// nested loop (its index conditions are over `outer ++ inner`).
    params: Option<Vec<(String, bool)>>,
    /// EXPLAIN ANALYZE's counters.
    analyzed: Option<ExplainAnalyzed<'a>>,
}

impl Printer<'_> {
    fn leaf(&self, title: String, columns: Vec<(String, bool)>, estimate: Estimate) -> Node {
        Node {
            output: None,
            actual: None,
            title,
            details: Vec::new(),
            children: Vec::new(),
            columns,
            estimate,
        }
    }

    /// Name, column texts and estimate of a scanned relation.
    fn relation_scan(&self, rel: Oid, width: usize) -> (String, Vec<(String, bool)>, Estimate) {
        let info = (self.relation)(rel);
        let name = info
            .as_ref()
            .map(|i| quote_identifier(&i.name))
            .unwrap_or_else(|| rel.0.to_string());
        let columns = (0..width)
            .map(|i| {
                // Slots past the attributes are system columns (`system_columns.rs`).
                let system = |r: &RelationInfo| {
                    i.checked_sub(r.columns.len())
                        .and_then(|k| SYSTEM_COLUMNS.get(k))
                        .map(|c| c.name.to_string())
                };
                let column = info
                    .as_ref()
                    .and_then(|r| {
                        r.columns
                            .get(i)
                            .map(|c| quote_identifier(&c.name))
                            .or_else(|| system(r))
                    })
                    .unwrap_or_else(|| format!("column{}", i + 1));
                let text = if self.qualify {
                    format!("{name}.{column}")
                } else {
                    column
                };
                (text, true)
            })
            .collect();
        let data_width: usize = info
            .as_ref()
            .map(|r| r.live_columns().map(|(_, c)| type_width(c.type_oid)).sum())
            .unwrap_or(0);
        // Heap tuple header (24, aligned) and line pointer (4) per row, as PostgreSQL's
        // estimate_rel_size does for a relation without statistics.
        let tuple = data_width + 24 + 4;
        let per_page = ((8192 - 24) / tuple).max(1) as f64;
        let rows = DEFAULT_PAGES * per_page;
        let estimate = Estimate {
            startup: 0.0,
            total: DEFAULT_PAGES + rows * 0.01,
            rows,
            width: data_width,
        };
        let title = match (&info, self.verbose) {
            (Some(i), true) => format!("{}.{name}", quote_identifier(&i.namespace)),
            _ => name,
        };
        (title, columns, estimate)
    }

    /// The displayed node of `plan`, with its actual counters under EXPLAIN ANALYZE.
    fn node(&mut self, plan: &Plan) -> Node {
        let mut node = self.node_shape(plan);
        let Some(analyzed) = self.analyzed else {
            return node;
        };
        let own = analyzed.counters.get(plan).copied();
        if let (Plan::Filter { .. }, Some(own), Some(input)) = (plan, own, node.actual) {
            // The filter is shown on its input's line; what it dropped is counted there.
            let removed = input.rows.saturating_sub(own.rows);
            if removed > 0 {
                let label = match node.details.last() {
                    Some(d) if d.starts_with("Join Filter:") => "Join Filter",
                    _ => "Filter",
                };
                node.details.push(format!(
                    "Rows Removed by {label}: {:.0}",
                    removed as f64 / own.loops.max(1) as f64
                ));
            }
        }
        if own.is_some() {
            node.actual = own;
        }
        node
    }

    fn node_shape(&mut self, plan: &Plan) -> Node {
        match plan {
            Plan::Result => self.leaf(
                "Result".into(),
                Vec::new(),
                Estimate {
                    startup: 0.0,
                    total: 0.01,
                    rows: 1.0,
                    width: 0,
                },
            ),
            Plan::Values(rows) => {
                let n = rows.first().map_or(0, Vec::len);
                let prefix = if self.qualify { "\"*VALUES*\"." } else { "" };
                let columns = (1..=n)
                    .map(|i| (format!("{prefix}column{i}"), true))
                    .collect();
                let width = rows
                    .first()
                    .map_or(0, |r| r.iter().map(|e| type_width(e.type_oid())).sum());
                self.leaf(
                    "Values Scan on \"*VALUES*\"".into(),
                    columns,
                    Estimate {
                        startup: 0.0,
                        total: rows.len() as f64 * 0.0125,
                        rows: rows.len() as f64,
                        width,
                    },
                )
            }
            Plan::FunctionScan { calls, ordinality } => {
                let call_name = |call: &TypedExpr| match call {
                    TypedExpr::Func { proc, .. } => proc_name(*proc),
                    _ => "function".to_string(),
                };
                let name = calls
                    .first()
                    .map_or_else(|| "function".to_string(), |c| call_name(&c.call));
                let mut columns: Vec<(String, bool)> =
                    calls.iter().map(|c| (call_name(&c.call), true)).collect();
                if *ordinality {
                    columns.push(("ordinality".into(), true));
                }
                let schema = if self.verbose { "pg_catalog." } else { "" };
                self.leaf(
                    format!("Function Scan on {schema}{name}"),
                    columns,
                    Estimate {
                        startup: 0.0,
                        total: 10.0,
                        rows: 1000.0,
                        width: calls.iter().map(|c| type_width(c.call.type_oid())).sum(),
                    },
                )
            }
            Plan::SeqScan { rel, width } => {
                let (name, columns, estimate) = self.relation_scan(*rel, *width);
                self.leaf(format!("Seq Scan on {name}"), columns, estimate)
            }
            Plan::IndexScan {
                rel,
                width,
                index_name,
                quals,
                direction,
                ..
            } => {
                let (name, columns, mut estimate) = self.relation_scan(*rel, *width);
                let backward = match direction {
                    ScanDirection::Forward => "",
                    ScanDirection::Backward => " Backward",
                };
                let mut node = self.leaf(
                    format!(
                        "Index Scan{backward} using {} on {name}",
                        quote_identifier(index_name)
                    ),
                    columns,
                    estimate,
                );
                if !quals.is_empty() {
                    let clauses: Vec<TypedExpr> = quals.iter().map(|q| q.clause.clone()).collect();
                    let over: Vec<(String, bool)> = match &self.params {
                        Some(outer) => outer.iter().chain(&node.columns).cloned().collect(),
                        None => node.columns.clone(),
                    };
                    let cond = and_text(&clauses, &over);
                    node.details.push(format!("Index Cond: {cond}"));
                    estimate.rows = 1.0;
                }
                estimate.startup = 0.15;
                estimate.total = 0.15 + 8.0 * estimate.rows.min(1.0) + estimate.rows * 0.01;
                node.estimate = estimate;
                node
            }
            Plan::Filter { input, predicate } => {
                let mut node = self.node(input);
                let text = and_text(std::slice::from_ref(predicate), &node.columns);
                // A WHERE over a join is the join's own filter in PostgreSQL's plans.
                // (WHERE conjuncts left above an outer join are its `Filter`.)
                let label = match input.as_ref() {
                    Plan::NestedLoop { kind, .. }
                    | Plan::ParameterizedNestedLoop { kind, .. }
                    | Plan::HashJoin { kind, .. }
                    | Plan::LateralLoop { kind, .. }
                        if *kind == JoinKind::Inner =>
                    {
                        "Join Filter"
                    }
                    _ => "Filter",
                };
                node.details.push(format!("{label}: {text}"));
                node
            }
            Plan::NestedLoop {
                kind,
                outer,
                inner,
                condition,
                ..
            }
            | Plan::ParameterizedNestedLoop {
                kind,
                outer,
                inner,
                condition,
                ..
            } => {
                let parameterized = matches!(plan, Plan::ParameterizedNestedLoop { .. });
                let outer = self.node(outer);
                // A parameterized inner side reads the outer row's columns.
                let saved = parameterized.then(|| self.params.replace(outer.columns.clone()));
                let inner = self.node(inner);
                if let Some(saved) = saved {
                    self.params = saved;
                }
                let columns: Vec<_> = outer
                    .columns
                    .iter()
                    .chain(&inner.columns)
                    .cloned()
                    .collect();
                let mut details = Vec::new();
                if let Some(c) = condition {
                    details.push(format!(
                        "Join Filter: {}",
                        and_text(std::slice::from_ref(c), &columns)
                    ));
                }
                // Each outer row meets only its matches when the inner side is keyed by it.
                let pairs = if parameterized {
                    outer.estimate.rows
                } else {
                    outer.estimate.rows * inner.estimate.rows
                };
                let estimate = join_estimate(&outer, &inner, pairs);
                Node {
                    output: None,
                    actual: None,
                    title: format!("Nested Loop{}", join_suffix(*kind)),
                    details,
                    children: vec![outer, inner],
                    columns,
                    estimate,
                }
            }
            Plan::HashJoin {
                kind,
                outer,
                inner,
                outer_keys,
                inner_keys,
                residual,
                ..
            } => {
                let outer = self.node(outer);
                let inner = self.node(inner);
                let columns: Vec<_> = outer
                    .columns
                    .iter()
                    .chain(&inner.columns)
                    .cloned()
                    .collect();
                let conds: Vec<String> = outer_keys
                    .iter()
                    .zip(inner_keys)
                    .map(|(o, i)| {
                        format!(
                            "({} = {})",
                            deparse(o, &outer.columns),
                            deparse(i, &inner.columns)
                        )
                    })
                    .collect();
                let hash_cond = if conds.len() == 1 {
                    conds[0].clone()
                } else {
                    format!("({})", conds.join(" AND "))
                };
                let mut details = vec![format!("Hash Cond: {hash_cond}")];
                if let Some(r) = residual {
                    details.push(format!(
                        "Join Filter: {}",
                        and_text(std::slice::from_ref(r), &columns)
                    ));
                }
                let rows = outer.estimate.rows.max(inner.estimate.rows);
                let estimate = join_estimate(&outer, &inner, rows);
                let hash = Node {
                    output: None,
                    actual: None,
                    title: "Hash".into(),
                    details: Vec::new(),
                    columns: inner.columns.clone(),
                    estimate: inner.estimate,
                    children: vec![inner],
                };
                Node {
                    output: None,
                    actual: None,
                    title: format!("Hash{} Join", join_suffix(*kind)),
                    details,
                    children: vec![outer, hash],
                    columns,
                    estimate,
                }
            }
            Plan::LateralLoop {
                kind,
                outer,
                inner_width,
                ..
            } => {
                let outer = self.node(outer);
                let mut columns = outer.columns.clone();
                columns.extend((0..*inner_width).map(|_| ("?column?".to_string(), false)));
                let inner = self.leaf(
                    "Subquery Scan on unnamed_subquery".into(),
                    Vec::new(),
                    outer.estimate,
                );
                let estimate = join_estimate(&outer, &inner, outer.estimate.rows);
                Node {
                    output: None,
                    actual: None,
                    title: format!("Nested Loop{}", join_suffix(*kind)),
                    details: Vec::new(),
                    children: vec![outer, inner],
                    columns,
                    estimate,
                }
            }
            Plan::Aggregate {
                input,
                keys,
                aggregates,
                grouping_sets,
            } => {
                let input = self.node(input);
                let key_texts: Vec<String> =
                    keys.iter().map(|k| deparse(k, &input.columns)).collect();
                let mut columns: Vec<(String, bool)> = keys
                    .iter()
                    .map(|k| output_column(k, &input.columns))
                    .collect();
                columns.extend(grouping_sets.calls.iter().map(|call| {
                    let args: Vec<&str> = call.iter().map(|k| key_texts[*k].as_str()).collect();
                    (format!("GROUPING({})", args.join(", ")), false)
                }));
                columns.extend(
                    aggregates
                        .iter()
                        .map(|a| (aggregate_text(a, &input.columns), false)),
                );
                let mut details = Vec::new();
                let title = if !grouping_sets.sets.is_empty() {
                    // PostgreSQL hashes every non-empty set and computes the empty set
                    // beside them (MixedAggregate); tusk does the same in one pass.
                    let mut empty = false;
                    for set in &grouping_sets.sets {
                        if set.is_empty() {
                            empty = true;
                        } else {
                            let texts: Vec<&str> =
                                set.iter().map(|k| key_texts[*k].as_str()).collect();
                            details.push(format!("Hash Key: {}", texts.join(", ")));
                        }
                    }
                    if empty {
                        details.push("Group Key: ()".into());
                        "MixedAggregate"
                    } else {
                        "HashAggregate"
                    }
                } else if keys.is_empty() {
                    "Aggregate"
                } else {
                    details.push(format!("Group Key: {}", key_texts.join(", ")));
                    "HashAggregate"
                };
                let rows = if keys.is_empty() {
                    1.0
                } else {
                    (input.estimate.rows / 5.0).max(1.0).floor()
                        * grouping_sets.sets.len().max(1) as f64
                };
                let estimate = step_estimate(&input, rows);
                Node {
                    output: None,
                    actual: None,
                    title: title.into(),
                    details,
                    children: vec![input],
                    columns,
                    estimate,
                }
            }
            Plan::WindowAgg { input, windows } => {
                let input = self.node(input);
                let mut columns = input.columns.clone();
                columns.extend(
                    windows
                        .iter()
                        .map(|w| (window_text(w, &input.columns), false)),
                );
                let estimate = step_estimate(&input, input.estimate.rows);
                Node {
                    output: None,
                    actual: None,
                    title: "WindowAgg".into(),
                    details: Vec::new(),
                    children: vec![input],
                    columns,
                    estimate,
                }
            }
            Plan::ProjectSet { input, exprs } => {
                let mut input = self.node(input);
                let columns: Vec<(String, bool)> = exprs
                    .iter()
                    .map(|e| output_column(e, &input.columns))
                    .collect();
                if !exprs.iter().any(returns_set) {
                    input.columns = columns;
                    return input;
                }
                let estimate = step_estimate(&input, input.estimate.rows * 1000.0);
                Node {
                    output: None,
                    actual: None,
                    title: "ProjectSet".into(),
                    details: Vec::new(),
                    children: vec![input],
                    columns,
                    estimate,
                }
            }
            Plan::Sort { input, keys } => {
                let input = self.node(input);
                let texts: Vec<String> = keys
                    .iter()
                    .map(|k| {
                        let mut t = column_text(k.column, &input.columns);
                        if k.descending {
                            t.push_str(" DESC");
                            if !k.nulls_first {
                                t.push_str(" NULLS LAST");
                            }
                        } else if k.nulls_first {
                            t.push_str(" NULLS FIRST");
                        }
                        t
                    })
                    .collect();
                let columns = input.columns.clone();
                let rows = input.estimate.rows;
                let mut estimate = step_estimate(&input, rows);
                estimate.startup = estimate.total;
                Node {
                    output: None,
                    actual: None,
                    title: "Sort".into(),
                    details: vec![format!("Sort Key: {}", texts.join(", "))],
                    children: vec![input],
                    columns,
                    estimate,
                }
            }
            // tusk's Unique hashes the rows it has seen: over a Sort it is PostgreSQL's
            // Unique (DISTINCT ON, DISTINCT with ORDER BY), otherwise a hashed DISTINCT.
            Plan::Unique { input, columns } => {
                if matches!(input.as_ref(), Plan::Sort { .. }) {
                    return self.wrap("Unique", input, None);
                }
                let mut node = self.wrap("HashAggregate", input, None);
                let input_columns = &node.children[0].columns;
                let keys: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        input_columns
                            .get(*c)
                            .map_or_else(|| "?column?".to_string(), |c| c.0.clone())
                    })
                    .collect();
                node.details.push(format!("Group Key: {}", keys.join(", ")));
                node
            }
            Plan::Limit { input, limit, .. } => {
                let constant = |e: &TypedExpr| match e {
                    TypedExpr::Const { value, .. } => match value {
                        Datum::Int8(n) => Some(*n as f64),
                        Datum::Int4(n) => Some(f64::from(*n)),
                        _ => None,
                    },
                    _ => None,
                };
                let rows = match limit {
                    Some(TypedExpr::Cast { arg, .. }) => constant(arg),
                    Some(e) => constant(e),
                    None => None,
                };
                self.wrap("Limit", input, rows)
            }
            Plan::LockRows { input, .. } => self.wrap("LockRows", input, None),
            Plan::Project { input, width } => {
                let mut node = self.node(input);
                node.columns.truncate(*width);
                node
            }
            Plan::SetOp {
                op,
                all,
                left,
                right,
            } => {
                let left = self.node(left);
                let right = self.node(right);
                let columns = left.columns.clone();
                let rows = left.estimate.rows + right.estimate.rows;
                let estimate = join_estimate(&left, &right, rows);
                match op {
                    SetOpKind::Union => {
                        let append = Node {
                            output: None,
                            actual: None,
                            title: "Append".into(),
                            details: Vec::new(),
                            children: vec![left, right],
                            columns: columns.clone(),
                            estimate,
                        };
                        if *all {
                            return append;
                        }
                        let keys: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
                        Node {
                            output: None,
                            actual: None,
                            title: "HashAggregate".into(),
                            details: vec![format!("Group Key: {}", keys.join(", "))],
                            estimate: step_estimate(&append, rows),
                            children: vec![append],
                            columns,
                        }
                    }
                    SetOpKind::Intersect | SetOpKind::Except => {
                        let name = match (op, all) {
                            (SetOpKind::Intersect, false) => "Intersect",
                            (SetOpKind::Intersect, true) => "Intersect All",
                            (_, false) => "Except",
                            (_, true) => "Except All",
                        };
                        let append = Node {
                            output: None,
                            actual: None,
                            title: "Append".into(),
                            details: Vec::new(),
                            children: vec![
                                subquery_scan(left, "\"*SELECT* 1\""),
                                subquery_scan(right, "\"*SELECT* 2\""),
                            ],
                            columns: columns.clone(),
                            estimate,
                        };
                        Node {
                            output: None,
                            actual: None,
                            title: format!("HashSetOp {name}"),
                            details: Vec::new(),
                            estimate: step_estimate(&append, rows),
                            children: vec![append],
                            columns,
                        }
                    }
                }
            }
            Plan::RecursiveUnion {
                non_recursive,
                recursive,
                ..
            } => {
                let left = self.node(non_recursive);
                let right = self.node(recursive);
                let columns = left.columns.clone();
                let estimate = join_estimate(&left, &right, left.estimate.rows * 10.0);
                Node {
                    output: None,
                    actual: None,
                    title: "Recursive Union".into(),
                    details: Vec::new(),
                    children: vec![left, right],
                    columns,
                    estimate,
                }
            }
            Plan::WorkTableScan { .. } => self.leaf(
                "WorkTable Scan".into(),
                Vec::new(),
                Estimate {
                    startup: 0.0,
                    total: 2.0,
                    rows: 100.0,
                    width: VARLENA_WIDTH,
                },
            ),
            // The session refuses EXPLAIN of data-modifying CTEs before planning.
            Plan::ModifyingCteScan { .. } => self.leaf(
                "CTE Scan".into(),
                Vec::new(),
                Estimate {
                    startup: 0.0,
                    total: 2.0,
                    rows: 100.0,
                    width: VARLENA_WIDTH,
                },
            ),
            Plan::ModifyingCtes { input, .. } => self.node(input),
        }
    }

    /// A node with one input whose rows it passes on (`rows`: at most that many).
    fn wrap(&mut self, title: &str, input: &Plan, rows: Option<f64>) -> Node {
        let input = self.node(input);
        let rows = rows.map_or(input.estimate.rows, |r| r.min(input.estimate.rows));
        let mut estimate = step_estimate(&input, rows);
        if rows < input.estimate.rows && input.estimate.rows > 0.0 {
            let fraction = rows / input.estimate.rows;
            estimate.total =
                input.estimate.startup + (input.estimate.total - input.estimate.startup) * fraction;
        }
        Node {
            output: None,
            actual: None,
            title: title.into(),
            details: Vec::new(),
            columns: input.columns.clone(),
            children: vec![input],
            estimate,
        }
    }
}

fn subquery_scan(node: Node, name: &str) -> Node {
    Node {
        output: None,
        actual: None,
        title: format!("Subquery Scan on {name}"),
        details: Vec::new(),
        columns: node.columns.clone(),
        estimate: step_estimate(&node, node.estimate.rows),
        children: vec![node],
    }
}

fn step_estimate(input: &Node, rows: f64) -> Estimate {
    Estimate {
        startup: input.estimate.startup,
        total: input.estimate.total + input.estimate.rows * 0.01,
        rows,
        width: input.estimate.width,
    }
}

fn join_estimate(outer: &Node, inner: &Node, rows: f64) -> Estimate {
    Estimate {
        startup: outer.estimate.startup + inner.estimate.total,
        total: outer.estimate.total + inner.estimate.total + rows * 0.01,
        rows,
        width: outer.estimate.width + inner.estimate.width,
    }
}

fn join_suffix(kind: JoinKind) -> &'static str {
    match kind {
        JoinKind::Inner => "",
        JoinKind::Left => " Left",
        JoinKind::Right => " Right",
        JoinKind::Full => " Full",
    }
}

fn returns_set(e: &TypedExpr) -> bool {
    matches!(e, TypedExpr::Func { retset: true, .. })
}

/// The text of an output column computed by `e`: an input column passes through as it
/// is, anything else is an expression.
fn output_column(e: &TypedExpr, columns: &[(String, bool)]) -> (String, bool) {
    match e {
        TypedExpr::Column { index, .. } if *index < columns.len() => columns[*index].clone(),
        other => (deparse(other, columns), false),
    }
}

/// How a sort key on input column `index` reads: the column's text, parenthesised when
/// it is an expression (ruleutils' `get_special_variable` for a non-Var subplan output).
fn column_text(index: usize, columns: &[(String, bool)]) -> String {
    match columns.get(index) {
        Some((text, true)) => text.clone(),
        Some((text, false)) => format!("({text})"),
        None => "?column?".into(),
    }
}

/// A qualification list as EXPLAIN shows it: one clause as is, several joined by AND in
/// parentheses.
fn and_text(clauses: &[TypedExpr], columns: &[(String, bool)]) -> String {
    let flat: Vec<&TypedExpr> = clauses
        .iter()
        .flat_map(|c| match c {
            TypedExpr::And(items) => items.iter().collect::<Vec<_>>(),
            other => vec![other],
        })
        .collect();
    if flat.len() == 1 {
        return deparse(flat[0], columns);
    }
    let parts: Vec<String> = flat.iter().map(|c| deparse(c, columns)).collect();
    format!("({})", parts.join(" AND "))
}

/// `pg_operator` name and kind by implementing function, for the operators deparsing
/// shows as operators (the rest print as function calls).
pub(crate) fn operator_of(proc: Oid) -> Option<(&'static str, OperatorKind)> {
    static BY_PROC: OnceLock<HashMap<Oid, (&'static str, OperatorKind)>> = OnceLock::new();
    const NAMES: &[&str] = &[
        "=", "<>", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "^", "||", "~~", "!~~", "~~*",
        "!~~*", "~", "!~", "~*", "!~*", "&", "|", "#", "<<", ">>", "@>", "<@", "&&", "->", "->>",
        "#>", "#>>", "?", "@", "|/", "||/", "!",
        // Geometric operators; not `@@` and `@-@`, whose functions (`poly_center`, ...) are
        // mostly called by name and would otherwise print as operators.
        "&<", "&>", "<<|", "|>>", "&<|", "|&>", "<^", ">^", "?#", "?-", "?|", "?-|", "?||", "~=",
        "<->", "##",
    ];
    BY_PROC
        .get_or_init(|| {
            let catalog = tusk_catalog::builtin();
            let mut map = HashMap::new();
            for name in NAMES {
                for o in catalog.operators_by_name(name) {
                    map.entry(o.proc).or_insert((*name, o.kind));
                }
            }
            map
        })
        .get(&proc)
        .copied()
}

pub(crate) fn proc_name(proc: Oid) -> String {
    tusk_catalog::builtin()
        .proc_by_oid(proc)
        .map_or_else(|| format!("function{}", proc.0), |p| p.name.clone())
}

/// An expression over a row whose columns print as `columns` (already quoted), as
/// `ruleutils.c` prints it without pretty flags (every operator parenthesised):
/// `lower((email)::text)`, `(a + b)`. Stored expressions (`pg_index.indexprs`) keep this
/// text; it parses back to the same expression.
pub fn expression_text(e: &TypedExpr, columns: &[String]) -> String {
    let columns: Vec<(String, bool)> = columns.iter().map(|c| (c.clone(), true)).collect();
    deparse(e, &columns)
}

/// An expression as `ruleutils.c` prints it in EXPLAIN, over input columns `columns`.
fn deparse(e: &TypedExpr, columns: &[(String, bool)]) -> String {
    let d = |e: &TypedExpr| deparse(e, columns);
    match e {
        TypedExpr::Const {
            value, type_oid, ..
        } => constant(value, *type_oid),
        TypedExpr::Param { index, .. } => format!("${}", index + 1),
        // PostgreSQL flattens subqueries and substitutes expressions into the quals
        // above them, so a reference reads as the expression it stands for.
        TypedExpr::Column { index, .. } => columns
            .get(*index)
            .map_or_else(|| "?column?".to_string(), |c| c.0.clone()),
        TypedExpr::OuterColumn { .. } => "(outer reference)".into(),
        TypedExpr::SubLink {
            kind: tusk_sql::ast::SubLinkKind::Any,
            test: Some(test),
            query,
            ..
        } if !tusk_sql::analyze::walk::is_correlated(query)
            && crate::subquery::hashed_test(test).is_some() =>
        {
            "(hashed SubPlan 1)".into()
        }
        TypedExpr::SubLink { .. } => "(SubPlan 1)".into(),
        TypedExpr::Window(w) => window_text(w, columns),
        TypedExpr::Aggregate(a) => aggregate_text(a, columns),
        TypedExpr::GroupingFunc { args, .. } => {
            let args: Vec<String> = args.iter().map(d).collect();
            format!("GROUPING({})", args.join(", "))
        }
        TypedExpr::Func { proc, args, .. } => match (operator_of(*proc), args.as_slice()) {
            (Some((op, OperatorKind::Binary)), [l, r]) => format!("({} {op} {})", d(l), d(r)),
            (Some((op, OperatorKind::Prefix)), [a]) => format!("({op} {})", d(a)),
            _ => {
                let args: Vec<String> = args.iter().map(d).collect();
                format!("{}({})", proc_name(*proc), args.join(", "))
            }
        },
        TypedExpr::Cast { arg, target, .. } => {
            let inner = d(arg);
            let inner = if matches!(arg.as_ref(), TypedExpr::Column { .. }) {
                format!("({inner})")
            } else {
                inner
            };
            format!("{inner}::{}", format_type(*target))
        }
        TypedExpr::And(items) => bool_list(items, " AND ", columns),
        TypedExpr::Or(items) => bool_list(items, " OR ", columns),
        TypedExpr::Not(arg) => format!("(NOT {})", d(arg)),
        TypedExpr::NullTest { arg, is_null } => {
            format!("({} IS {}NULL)", d(arg), if *is_null { "" } else { "NOT " })
        }
        TypedExpr::BoolTest { arg, kind } => {
            let test = kind.sql();
            format!("({} {test})", d(arg))
        }
        TypedExpr::Case {
            arg,
            whens,
            default,
            ..
        } => {
            let mut s = "CASE".to_string();
            if let Some(a) = arg {
                s.push_str(&format!(" {}", d(a)));
            }
            for (w, t) in whens {
                s.push_str(&format!(" WHEN {} THEN {}", d(w), d(t)));
            }
            s.push_str(&format!(" ELSE {} END", d(default)));
            s
        }
        TypedExpr::CaseTest { .. } => "CASE_TEST_EXPR".into(),
        TypedExpr::VariadicArray { array, .. } => format!("VARIADIC {}", d(array)),
        TypedExpr::Coalesce { args, .. } => call("COALESCE", args, columns),
        TypedExpr::MinMax { greatest, args, .. } => {
            call(if *greatest { "GREATEST" } else { "LEAST" }, args, columns)
        }
        TypedExpr::NullIf { left, right, .. } => format!("NULLIF({}, {})", d(left), d(right)),
        TypedExpr::Distinct {
            not, left, right, ..
        } => format!(
            "({} IS {}DISTINCT FROM {})",
            d(left),
            if *not { "NOT " } else { "" },
            d(right)
        ),
        TypedExpr::Array { elements, .. } => {
            let items: Vec<String> = elements.iter().map(d).collect();
            format!("ARRAY[{}]", items.join(", "))
        }
        TypedExpr::Row { args, .. } => {
            let items: Vec<String> = args.iter().map(d).collect();
            format!("ROW({})", items.join(", "))
        }
        TypedExpr::FieldSelect { arg, field, .. } => match &**arg {
            TypedExpr::Row { names, .. } if *field < names.len() => {
                format!("({}).{}", d(arg), names[*field])
            }
            _ => format!("({}).f{}", d(arg), field + 1),
        },
        // PostgreSQL's ruleutils prints an assignment's source (the target's subscripts
        // and fields belong to the target list entry).
        TypedExpr::SubscriptAssign { value, .. } | TypedExpr::FieldStore { value, .. } => d(value),
        TypedExpr::Subscript {
            arg,
            lower,
            upper,
            is_slice,
            ..
        } => {
            let bound = |b: &Option<TypedExpr>| b.as_ref().map(d).unwrap_or_default();
            // PostgreSQL parenthesizes the subscripted value unless it is a column or a
            // field selection (`(poly_center(f1))[0]`, `f1[0]`).
            let mut s = match &**arg {
                TypedExpr::Column { .. }
                | TypedExpr::OuterColumn { .. }
                | TypedExpr::FieldSelect { .. } => d(arg),
                _ => format!("({})", d(arg)),
            };
            for (i, u) in upper.iter().enumerate() {
                if *is_slice {
                    let l = lower.get(i).map(bound).unwrap_or_default();
                    s.push_str(&format!("[{l}:{}]", bound(u)));
                } else {
                    s.push_str(&format!("[{}]", bound(u)));
                }
            }
            s
        }
        TypedExpr::ScalarArrayOp {
            proc,
            all,
            left,
            right,
            ..
        } => {
            let op = operator_of(*proc).map_or("=", |o| o.0);
            if let Some(array) = constant_array(right) {
                let quantifier = if *all { "ALL" } else { "ANY" };
                return format!("({} {op} {quantifier} ({array}))", d(left));
            }
            let quantifier = if *all { "ALL" } else { "ANY" };
            format!("({} {op} {quantifier} ({}))", d(left), d(right))
        }
        TypedExpr::SqlValue {
            kind, precision, ..
        } => sql_value(*kind, *precision),
    }
}

fn sql_value(kind: SqlValueFunction, precision: Option<i32>) -> String {
    let name = match kind {
        SqlValueFunction::CurrentDate => "CURRENT_DATE",
        SqlValueFunction::CurrentTime => "CURRENT_TIME",
        SqlValueFunction::CurrentTimestamp => "CURRENT_TIMESTAMP",
        SqlValueFunction::LocalTime => "LOCALTIME",
        SqlValueFunction::LocalTimestamp => "LOCALTIMESTAMP",
        SqlValueFunction::CurrentRole => "CURRENT_ROLE",
        SqlValueFunction::CurrentUser => "CURRENT_USER",
        SqlValueFunction::User => "USER",
        SqlValueFunction::SessionUser => "SESSION_USER",
        SqlValueFunction::CurrentCatalog => "CURRENT_CATALOG",
        SqlValueFunction::CurrentSchema => "CURRENT_SCHEMA",
    };
    match precision {
        Some(p) => format!("{name}({p})"),
        None => name.to_string(),
    }
}

fn bool_list(items: &[TypedExpr], sep: &str, columns: &[(String, bool)]) -> String {
    let parts: Vec<String> = items.iter().map(|i| deparse(i, columns)).collect();
    format!("({})", parts.join(sep))
}

fn call(name: &str, args: &[TypedExpr], columns: &[(String, bool)]) -> String {
    let parts: Vec<String> = args.iter().map(|a| deparse(a, columns)).collect();
    format!("{name}({})", parts.join(", "))
}

fn aggregate_text(a: &AggregateCall, columns: &[(String, bool)]) -> String {
    let args: Vec<String> = a.args.iter().map(|x| deparse(x, columns)).collect();
    if let Some(direct) = a.direct_args {
        let (direct, aggregated) = args.split_at(direct.min(args.len()));
        return format!(
            "{}({}) WITHIN GROUP (ORDER BY {})",
            proc_name(a.proc),
            direct.join(", "),
            aggregated.join(", ")
        );
    }
    let args = if args.is_empty() {
        "*".to_string()
    } else if a.distinct {
        format!("DISTINCT {}", args.join(", "))
    } else {
        args.join(", ")
    };
    let mut s = format!("{}({args})", proc_name(a.proc));
    if let Some(f) = &a.filter {
        s.push_str(&format!(" FILTER (WHERE {})", deparse(f, columns)));
    }
    s
}

fn window_text(w: &WindowCall, columns: &[(String, bool)]) -> String {
    let call = match &w.function {
        WindowFunction::Aggregate(a) => aggregate_text(a, columns),
        other => format!("{}()", format!("{other:?}").to_lowercase()),
    };
    format!("{call} OVER (?)")
}

/// A constant as ruleutils' `get_const_expr` prints it: integers and numerics that read
/// as numbers plain, booleans as true/false, everything else quoted with a cast.
pub(crate) fn constant(value: &Datum, type_oid: Oid) -> String {
    if matches!(value, Datum::Null) {
        return format!("NULL::{}", format_type(type_oid));
    }
    let settings = crate::OutputSettings::default();
    let text =
        crate::io::text_out_string(value, type_oid, &settings).unwrap_or_else(|_| "?".to_string());
    match type_oid {
        type_oid::INT4 if !text.starts_with('-') => text,
        type_oid::NUMERIC if !text.starts_with('-') && text.contains('.') && text != "NaN" => text,
        type_oid::BOOL => {
            if text == "t" {
                "true".into()
            } else {
                "false".into()
            }
        }
        _ => format!("{}::{}", quote_literal(&text), format_type(type_oid)),
    }
}

/// An ARRAY[...] of constants as the array constant PostgreSQL folds it into
/// (`'{1,2}'::integer[]`).
fn constant_array(e: &TypedExpr) -> Option<String> {
    let TypedExpr::Array {
        elements,
        elem_type,
        type_oid,
        multidims: false,
    } = e
    else {
        return None;
    };
    let settings = crate::OutputSettings::default();
    let mut items = Vec::new();
    for element in elements {
        let TypedExpr::Const { value, .. } = element else {
            return None;
        };
        let item = match value {
            Datum::Null => "NULL".to_string(),
            v => {
                let text = crate::io::text_out_string(v, *elem_type, &settings).ok()?;
                let plain = !text.is_empty()
                    && !text.eq_ignore_ascii_case("null")
                    && !text
                        .chars()
                        .any(|c| matches!(c, ',' | '{' | '}' | '"' | '\\') || c.is_whitespace());
                if plain {
                    text
                } else {
                    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
                }
            }
        };
        items.push(item);
    }
    Some(format!(
        "{}::{}",
        quote_literal(&format!("{{{}}}", items.join(","))),
        format_type(*type_oid)
    ))
}

fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// An identifier quoted as `quote_identifier` does when it needs to be.
fn quote_identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}
