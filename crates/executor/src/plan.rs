//! The planner: an analysed [`Query`] becomes a tree of [`Plan`] nodes, which
//! `operator/` runs. The rules are fixed for now (joins are nested loops over a
//! materialised inner side, grouping hashes, sorting is in memory); a cost-based planner
//! can replace [`plan_query`] without touching the analyzer or the operators.
//!
//! The shape for one query block, bottom to top:
//!
//! ```text
//!   Limit                      OFFSET / LIMIT
//!    └ Unique                  DISTINCT [ON] over the distinct columns
//!       └ Sort                 ORDER BY over the sort columns
//!          └ ProjectSet        targets ++ sort keys ++ distinct keys (SRFs in lockstep)
//!             └ Filter         HAVING
//!                └ Aggregate   GROUP BY keys ++ aggregate results
//!                   └ Filter   WHERE
//!                      └ FROM  SeqScan / Values / FunctionScan / subquery / NestedLoop
//!                              / SetOp
//! ```
//!
//! topped by a `Project` that drops the sort and distinct columns when there are any.
//!
//! Entry point: [`plan_query`].

use tusk_sql::analyze::{AggregateCall, FromSource, Query, TypedExpr};
use tusk_sql::ast::{JoinKind, SetOpKind};
use tusk_types::{Oid, Result};

/// A sort column of a [`Plan::Sort`].
#[derive(Debug, Clone, PartialEq)]
pub struct SortColumn {
    /// Column of the input row.
    pub column: usize,
    /// The type's `<` function.
    pub lt_proc: Oid,
    /// DESC.
    pub descending: bool,
    /// NULLS FIRST.
    pub nulls_first: bool,
}

/// A plan node; each produces rows (vectors of values) on demand.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// One empty row.
    Result,
    /// Rows of constant expressions.
    Values(Vec<Vec<TypedExpr>>),
    /// A function's rows (one column), numbered after it WITH ORDINALITY.
    FunctionScan {
        /// The call.
        call: TypedExpr,
        /// WITH ORDINALITY.
        ordinality: bool,
    },
    /// A relation's visible rows, one value per attribute.
    SeqScan {
        /// `pg_class.oid`.
        rel: Oid,
        /// Number of attributes.
        width: usize,
    },
    /// Rows of `input` for which `predicate` is true.
    Filter {
        /// Input.
        input: Box<Plan>,
        /// Condition over the input row.
        predicate: TypedExpr,
    },
    /// Every outer row paired with every inner row the condition accepts; outer joins add
    /// the unmatched rows with NULLs for the other side.
    NestedLoop {
        /// Join kind.
        kind: JoinKind,
        /// Outer (left) input.
        outer: Box<Plan>,
        /// Inner (right) input, read once and kept in memory.
        inner: Box<Plan>,
        /// Condition over `outer ++ inner`.
        condition: Option<TypedExpr>,
        /// Width of the outer rows.
        outer_width: usize,
        /// Width of the inner rows.
        inner_width: usize,
    },
    /// One row per group: `keys ++ aggregate results`; without keys exactly one row.
    Aggregate {
        /// Input.
        input: Box<Plan>,
        /// Group keys over the input row.
        keys: Vec<TypedExpr>,
        /// Aggregate calls over the input row.
        aggregates: Vec<AggregateCall>,
    },
    /// The expressions over each input row; set-returning ones at the top of an
    /// expression expand the row, in lockstep (PostgreSQL 10+).
    ProjectSet {
        /// Input.
        input: Box<Plan>,
        /// Output expressions.
        exprs: Vec<TypedExpr>,
    },
    /// All input rows, sorted (stable).
    Sort {
        /// Input.
        input: Box<Plan>,
        /// Sort columns, most significant first.
        keys: Vec<SortColumn>,
    },
    /// Input rows whose values in `columns` were not seen before.
    Unique {
        /// Input.
        input: Box<Plan>,
        /// Columns that identify a row.
        columns: Vec<usize>,
    },
    /// OFFSET then LIMIT (bigint expressions without column references).
    Limit {
        /// Input.
        input: Box<Plan>,
        /// LIMIT.
        limit: Option<TypedExpr>,
        /// OFFSET.
        offset: Option<TypedExpr>,
    },
    /// `left UNION/INTERSECT/EXCEPT [ALL] right`, by hashing whole rows.
    SetOp {
        /// Which operation.
        op: SetOpKind,
        /// ALL: duplicates kept.
        all: bool,
        /// Left input.
        left: Box<Plan>,
        /// Right input.
        right: Box<Plan>,
    },
    /// A recursive CTE's rows: the non-recursive plan's, then the recursive plan's run
    /// over the previous step's rows (read by [`Plan::WorkTableScan`] `id`) until a step
    /// adds none.
    RecursiveUnion {
        /// The work table's id.
        id: usize,
        /// UNION ALL (else rows already produced are dropped).
        all: bool,
        /// The non-recursive term.
        non_recursive: Box<Plan>,
        /// The recursive term.
        recursive: Box<Plan>,
    },
    /// The previous step's rows of recursive union `id`.
    WorkTableScan {
        /// The recursive union.
        id: usize,
    },
    /// The first `width` columns of each input row.
    Project {
        /// Input.
        input: Box<Plan>,
        /// Columns kept.
        width: usize,
    },
}

/// Plans an analysed query; its rows are exactly `query.columns`.
///
/// Errors: none today (kept fallible for planners that read statistics).
pub fn plan_query(query: &Query) -> Result<Plan> {
    let mut plan = plan_from(&query.source)?;
    if let Some(f) = &query.filter {
        plan = Plan::Filter {
            input: Box::new(plan),
            predicate: f.clone(),
        };
    }
    if let Some(agg) = &query.aggregation {
        plan = Plan::Aggregate {
            input: Box::new(plan),
            keys: agg.keys.clone(),
            aggregates: agg.aggregates.clone(),
        };
        if let Some(h) = &agg.having {
            plan = Plan::Filter {
                input: Box::new(plan),
                predicate: h.clone(),
            };
        }
    }
    let width = query.targets.len();
    let mut exprs = query.targets.clone();
    let sort_start = exprs.len();
    exprs.extend(query.sort.iter().map(|k| k.expr.clone()));
    let distinct_start = exprs.len();
    if let Some(d) = &query.distinct {
        exprs.extend(d.iter().cloned());
    }
    let total = exprs.len();
    plan = Plan::ProjectSet {
        input: Box::new(plan),
        exprs,
    };
    if !query.sort.is_empty() {
        plan = Plan::Sort {
            input: Box::new(plan),
            keys: query
                .sort
                .iter()
                .enumerate()
                .map(|(i, k)| SortColumn {
                    column: sort_start + i,
                    lt_proc: k.lt_proc,
                    descending: k.descending,
                    nulls_first: k.nulls_first,
                })
                .collect(),
        };
    }
    if query.distinct.is_some() {
        plan = Plan::Unique {
            input: Box::new(plan),
            columns: (distinct_start..total).collect(),
        };
    }
    if query.limit.is_some() || query.offset.is_some() {
        plan = Plan::Limit {
            input: Box::new(plan),
            limit: query.limit.clone(),
            offset: query.offset.clone(),
        };
    }
    if total > width {
        plan = Plan::Project {
            input: Box::new(plan),
            width,
        };
    }
    Ok(plan)
}

fn plan_from(source: &FromSource) -> Result<Plan> {
    Ok(match source {
        FromSource::OneRow => Plan::Result,
        FromSource::Values(rows) => Plan::Values(rows.clone()),
        FromSource::Function { call, ordinality } => Plan::FunctionScan {
            call: call.clone(),
            ordinality: *ordinality,
        },
        FromSource::Relation { oid, width } => Plan::SeqScan {
            rel: *oid,
            width: *width,
        },
        FromSource::Subquery(query) => plan_query(query)?,
        FromSource::SetOp {
            op,
            all,
            left,
            right,
        } => Plan::SetOp {
            op: *op,
            all: *all,
            left: Box::new(plan_query(left)?),
            right: Box::new(plan_query(right)?),
        },
        FromSource::RecursiveUnion {
            id,
            all,
            non_recursive,
            recursive,
        } => Plan::RecursiveUnion {
            id: *id,
            all: *all,
            non_recursive: Box::new(plan_query(non_recursive)?),
            recursive: Box::new(plan_query(recursive)?),
        },
        FromSource::WorkTable { id, .. } => Plan::WorkTableScan { id: *id },
        FromSource::Join {
            kind,
            left,
            right,
            condition,
            left_width,
            right_width,
        } => Plan::NestedLoop {
            kind: *kind,
            outer: Box::new(plan_from(left)?),
            inner: Box::new(plan_from(right)?),
            condition: condition.clone(),
            outer_width: *left_width,
            inner_width: *right_width,
        },
    })
}
