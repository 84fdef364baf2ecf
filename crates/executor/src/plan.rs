//! The planner: an analysed [`Query`] becomes a tree of [`Plan`] nodes, which
//! `operator/` runs. The rules are fixed for now (a join with hashable equalities is a
//! hash join, any other a nested loop over a materialised inner side; grouping hashes;
//! sorting is in memory); a cost-based planner
//! can replace [`plan_query`] without touching the analyzer or the operators.
//!
//! The shape for one query block, bottom to top:
//!
//! ```text
//!   Limit                      OFFSET / LIMIT
//!    └ Unique                  DISTINCT [ON] over the distinct columns
//!       └ Sort                 ORDER BY over the sort columns
//!          └ ProjectSet        targets ++ sort keys ++ distinct keys (SRFs in lockstep)
//!             └ WindowAgg      window functions, appended to the row
//!              └ Filter        HAVING
//!                └ Aggregate   GROUP BY keys ++ aggregate results
//!                   └ Filter   WHERE
//!                      └ FROM  SeqScan / IndexScan / Values / FunctionScan / subquery
//!                              / NestedLoop / SetOp
//! ```
//!
//! topped by a `Project` that drops the sort and distinct columns when there are any.
//! A query over one relation scans an index when WHERE has conjuncts the index answers,
//! and skips the Sort when the index returns ORDER BY's order (`index_path.rs`); the
//! relation's indexes come from [`TableAccess::indexes`].
//!
//! Entry point: [`plan_query`].

use tusk_sql::analyze::walk::map_expr_deep;
use tusk_sql::analyze::{AggregateCall, FromSource, GroupingSets, Query, TypedExpr, WindowCall};
use tusk_sql::ast::{JoinKind, SetOpKind};
use tusk_types::{Oid, Result};

use crate::index::ScanDirection;
pub use crate::index_path::IndexQual;
use crate::index_path::{and_of, choose_index, conjuncts, predicate_implied, sort_direction};
use crate::join_plan::plan_filtered;
use crate::TableAccess;

/// One relation a [`Plan::LockRows`] locks rows of.
#[derive(Debug, Clone, PartialEq)]
pub struct LockRowsMark {
    /// `pg_class.oid`.
    pub relation: Oid,
    /// The name the query uses (for errors).
    pub name: String,
    /// Column of the input row holding the row's `ctid`.
    pub column: usize,
    /// The lock.
    pub strength: tusk_sql::ast_lock::RowLockStrength,
    /// The wait policy.
    pub wait: tusk_sql::ast_lock::RowLockWait,
}

/// READ COMMITTED's re-check (PostgreSQL's EvalPlanQual) for a query over one relation:
/// a newer version of the row is checked against WHERE and projected again.
#[derive(Debug, Clone, PartialEq)]
pub struct LockRowsRecheck {
    /// Slots of the relation's row (attributes, then system columns).
    pub width: usize,
    /// WHERE.
    pub filter: Option<TypedExpr>,
    /// The expressions that make the input row of the `LockRows` from the FROM row.
    pub exprs: Vec<TypedExpr>,
}

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
    /// Functions' rows side by side (ROWS FROM pads the shorter with NULLs), numbered
    /// after them WITH ORDINALITY.
    FunctionScan {
        /// The calls, one unless written with ROWS FROM.
        calls: Vec<tusk_sql::analyze::FunctionCall>,
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
    /// A relation's rows found through a B-tree index (PostgreSQL's Index Scan): those
    /// whose key values satisfy every qualification (`Index Cond`), in index order
    /// (`Forward`) or reversed, one value per attribute.
    IndexScan {
        /// `pg_class.oid` of the relation.
        rel: Oid,
        /// Number of attributes.
        width: usize,
        /// `pg_class.oid` of the index.
        index: Oid,
        /// The index's name.
        index_name: String,
        /// The qualifications, by index column.
        quals: Vec<IndexQual>,
        /// Scan direction.
        direction: ScanDirection,
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
    /// A nested loop whose inner input is re-scanned for each outer row with that row as
    /// its parameters: an [`Plan::IndexScan`] (possibly under a [`Plan::Filter`]) whose
    /// qualification values read the outer row (PostgreSQL's parameterized Nested Loop).
    /// INNER or LEFT.
    ParameterizedNestedLoop {
        /// INNER or LEFT.
        kind: JoinKind,
        /// Outer (left) input.
        outer: Box<Plan>,
        /// Inner (right) input, run again for each outer row.
        inner: Box<Plan>,
        /// The rest of the join condition, over `outer ++ inner`.
        condition: Option<TypedExpr>,
        /// Width of the outer rows.
        outer_width: usize,
        /// Width of the inner rows.
        inner_width: usize,
    },
    /// The pairs whose key values are equal (hashing the inner side), then `residual`;
    /// outer joins add unmatched rows as [`Plan::NestedLoop`] does.
    HashJoin {
        /// Join kind.
        kind: JoinKind,
        /// Outer (left) input.
        outer: Box<Plan>,
        /// Inner (right) input, read once into a hash table.
        inner: Box<Plan>,
        /// Key expressions over the outer row.
        outer_keys: Vec<TypedExpr>,
        /// Key expressions over the inner row (same count and comparable types).
        inner_keys: Vec<TypedExpr>,
        /// The rest of the join condition, over `outer ++ inner`.
        residual: Option<TypedExpr>,
        /// Width of the outer rows.
        outer_width: usize,
        /// Width of the inner rows.
        inner_width: usize,
    },
    /// A join whose inner side is LATERAL: for each outer row the inner query runs with
    /// its references to that row bound (outer rows start at FROM-row slot `left_base`).
    LateralLoop {
        /// INNER or LEFT.
        kind: JoinKind,
        /// Outer input.
        outer: Box<Plan>,
        /// The inner query, planned per outer row.
        inner: Box<Query>,
        /// FROM-row slot of the outer row's first value.
        left_base: usize,
        /// Condition over `outer ++ inner`.
        condition: Option<TypedExpr>,
        /// Width of the outer rows.
        outer_width: usize,
        /// Width of the inner rows.
        inner_width: usize,
    },
    /// One row per group: `keys ++ GROUPING values ++ aggregate results`; without keys
    /// exactly one row. With grouping sets, the groups of every set in turn, keys outside
    /// the set NULL.
    Aggregate {
        /// Input.
        input: Box<Plan>,
        /// Group keys over the input row.
        keys: Vec<TypedExpr>,
        /// Aggregate calls over the input row.
        aggregates: Vec<AggregateCall>,
        /// Grouping sets and `GROUPING` calls (empty for plain GROUP BY).
        grouping_sets: GroupingSets,
    },
    /// All input rows, each extended by the value of every window call (in order); rows
    /// come out sorted by the last window's partition and order keys.
    WindowAgg {
        /// Input.
        input: Box<Plan>,
        /// The window calls.
        windows: Vec<WindowCall>,
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
    /// The RETURNING rows of the statement's data-modifying CTE `id`, which runs on the
    /// first read (`modifying_cte.rs`).
    ModifyingCteScan {
        /// The CTE.
        id: usize,
    },
    /// A statement's plan with the data-modifying CTEs of its WITH, which
    /// [`crate::run_plan`] runs around it (`modifying_cte.rs`).
    ModifyingCtes {
        /// The CTEs.
        ctes: Vec<tusk_sql::analyze::ModifyingCte>,
        /// The statement's own plan.
        input: Box<Plan>,
    },
    /// Locks the rows of the marked relations each input row came from (`SELECT ...
    /// FOR UPDATE`, see `operator/lock_rows.rs`); rows deleted meanwhile, skipped
    /// (SKIP LOCKED) or failing the READ COMMITTED re-check are dropped.
    LockRows {
        /// Input.
        input: Box<Plan>,
        /// The relations locked and where each row's `ctid` is in the input row.
        marks: Vec<LockRowsMark>,
        /// How to recompute a row from a newer version of its one relation's row.
        recheck: Option<LockRowsRecheck>,
    },
    /// The first `width` columns of each input row.
    Project {
        /// Input.
        input: Box<Plan>,
        /// Columns kept.
        width: usize,
    },
}

/// Plans an analysed query; its rows are exactly `query.columns`. `tables` tells which
/// indexes the relations have.
///
/// Errors: those of [`TableAccess::indexes`] (42P01, catalog reads).
pub fn plan_query(query: &Query, tables: &dyn TableAccess) -> Result<Plan> {
    let plan = plan_select(query, tables)?;
    if query.modifying.is_empty() {
        return Ok(plan);
    }
    Ok(Plan::ModifyingCtes {
        ctes: query.modifying.clone(),
        input: Box::new(plan),
    })
}

fn plan_select(query: &Query, tables: &dyn TableAccess) -> Result<Plan> {
    let (mut plan, filter, sorted) = plan_scan(query, tables)?;
    if let Some(f) = filter {
        plan = Plan::Filter {
            input: Box::new(plan),
            predicate: f,
        };
    }
    if let Some(agg) = &query.aggregation {
        plan = Plan::Aggregate {
            input: Box::new(plan),
            keys: agg.keys.clone(),
            aggregates: agg.aggregates.clone(),
            grouping_sets: agg.grouping_sets.clone(),
        };
        if let Some(h) = &agg.having {
            plan = Plan::Filter {
                input: Box::new(plan),
                predicate: h.clone(),
            };
        }
    }
    if !query.windows.is_empty() {
        plan = Plan::WindowAgg {
            input: Box::new(plan),
            windows: query.windows.clone(),
        };
    }
    let width = query.targets.len();
    let mut exprs = query.targets.clone();
    let sort_start = exprs.len();
    exprs.extend(query.sort.iter().map(|k| k.expr.clone()));
    let distinct_start = exprs.len();
    if let Some(d) = &query.distinct {
        exprs.extend(d.iter().cloned());
    }
    exprs.extend(crate::plan_lock::ctid_columns(query));
    let total = exprs.len();
    plan = Plan::ProjectSet {
        input: Box::new(plan),
        exprs,
    };
    if !query.sort.is_empty() && !sorted {
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
    if !query.row_marks.is_empty() {
        plan = crate::plan_lock::lock_rows(query, plan, total);
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

/// The FROM plan with the WHERE left to filter its rows, and whether its rows come in
/// ORDER BY's order. A query over one relation may scan an index (see `index_path.rs`):
/// for conjuncts it answers, or, with a LIMIT, only for its order.
fn plan_scan(query: &Query, tables: &dyn TableAccess) -> Result<(Plan, Option<TypedExpr>, bool)> {
    let FromSource::Relation { oid, width } = &query.source else {
        let quals = conjuncts(query.filter.as_ref());
        return Ok((plan_filtered(&query.source, quals, tables)?, None, false));
    };
    let seq_scan = Plan::SeqScan {
        rel: *oid,
        width: *width,
    };
    let indexes = tables.indexes(*oid)?;
    if indexes.is_empty() {
        return Ok((seq_scan, query.filter.clone(), false));
    }
    // Rows reach the Sort unchanged in order only without grouping, windows or DISTINCT.
    let orderable = !query.sort.is_empty()
        && query.aggregation.is_none()
        && query.windows.is_empty()
        && query.distinct.is_none();
    let index_scan = |index: &crate::index::IndexInfo, quals, direction| Plan::IndexScan {
        rel: *oid,
        width: *width,
        index: index.oid,
        index_name: index.name.clone(),
        quals,
        direction,
    };
    let all = conjuncts(query.filter.as_ref());
    if let Some(choice) = choose_index(&indexes, *width, &all) {
        let ordered = orderable
            .then(|| {
                sort_direction(
                    &choice.index,
                    &query.sort,
                    &choice.equality_columns(),
                    *width,
                )
            })
            .flatten();
        let plan = index_scan(
            &choice.index,
            choice.quals,
            ordered.unwrap_or(ScanDirection::Forward),
        );
        return Ok((plan, and_of(choice.rest), ordered.is_some()));
    }
    if orderable && query.limit.is_some() {
        for index in indexes
            .iter()
            .filter(|i| predicate_implied(i.predicate.as_ref(), &all))
        {
            if let Some(direction) = sort_direction(index, &query.sort, &[], *width) {
                let plan = index_scan(index, Vec::new(), direction);
                return Ok((plan, query.filter.clone(), true));
            }
        }
    }
    Ok((seq_scan, query.filter.clone(), false))
}

/// Plans a FROM item with no conditions of its own (joins place their ON conjuncts, see
/// `join_plan.rs`).
pub(crate) fn plan_from(source: &FromSource, tables: &dyn TableAccess) -> Result<Plan> {
    Ok(match source {
        FromSource::OneRow => Plan::Result,
        FromSource::Values(rows) => Plan::Values(rows.clone()),
        FromSource::Function { calls, ordinality } => Plan::FunctionScan {
            calls: calls.clone(),
            ordinality: *ordinality,
        },
        FromSource::Relation { oid, width } => Plan::SeqScan {
            rel: *oid,
            width: *width,
        },
        FromSource::Subquery(query) => plan_query(query, tables)?,
        FromSource::Lateral { query, .. } => plan_query(query, tables)?,
        FromSource::SetOp {
            op,
            all,
            left,
            right,
        } => Plan::SetOp {
            op: *op,
            all: *all,
            left: Box::new(plan_query(left, tables)?),
            right: Box::new(plan_query(right, tables)?),
        },
        FromSource::RecursiveUnion {
            id,
            all,
            non_recursive,
            recursive,
        } => Plan::RecursiveUnion {
            id: *id,
            all: *all,
            non_recursive: Box::new(plan_query(non_recursive, tables)?),
            recursive: Box::new(plan_query(recursive, tables)?),
        },
        FromSource::WorkTable { id, .. } => Plan::WorkTableScan { id: *id },
        FromSource::ModifyingCte { id, .. } => Plan::ModifyingCteScan { id: *id },
        FromSource::Join { .. } => plan_filtered(source, Vec::new(), tables)?,
    })
}

/// Splits a join condition into hashable equalities `outer expr = inner expr` and the
/// rest. An equality qualifies when its operator is an `=` whose two sides hash alike
/// (see [`hashable_pair`]), one side reads only outer columns, the other only inner
/// ones, and neither holds a subquery.
pub(crate) fn hash_keys(
    condition: Option<&TypedExpr>,
    outer_width: usize,
    inner_width: usize,
) -> (Vec<TypedExpr>, Vec<TypedExpr>, Option<TypedExpr>) {
    let Some(condition) = condition else {
        return (Vec::new(), Vec::new(), None);
    };
    let conjuncts = match condition {
        TypedExpr::And(items) => items.clone(),
        other => vec![other.clone()],
    };
    let mut outer_keys = Vec::new();
    let mut inner_keys = Vec::new();
    let mut rest = Vec::new();
    for c in conjuncts {
        if let TypedExpr::Func { proc, args, .. } = &c {
            if args.len() == 2
                && is_equality(*proc)
                && hashable_pair(args[0].type_oid(), args[1].type_oid())
            {
                let sides = (
                    side_of(&args[0], outer_width, inner_width),
                    side_of(&args[1], outer_width, inner_width),
                );
                let pair = match sides {
                    (Some(Side::Outer), Some(Side::Inner)) => Some((&args[0], &args[1])),
                    (Some(Side::Inner), Some(Side::Outer)) => Some((&args[1], &args[0])),
                    _ => None,
                };
                if let Some((o, i)) = pair {
                    outer_keys.push(o.clone());
                    inner_keys.push(shift_columns(i.clone(), outer_width));
                    continue;
                }
            }
        }
        rest.push(c);
    }
    let residual = match rest.len() {
        0 => None,
        1 => rest.pop(),
        _ => Some(TypedExpr::And(rest)),
    };
    (outer_keys, inner_keys, residual)
}

/// Whether `proc` is an `=` whose input types `left` and `right` hash alike, so a hash
/// table can answer it (hash joins, hashed `= ANY` subqueries).
pub(crate) fn is_hashable_equality(proc: Oid, left: Oid, right: Oid) -> bool {
    is_equality(proc) && hashable_pair(left, right)
}

fn is_equality(proc: Oid) -> bool {
    tusk_catalog::builtin()
        .operators_by_name("=")
        .any(|o| o.proc == proc)
}

/// Whether values of the two types that `=` calls equal always have equal grouping keys
/// (the executor's `KeyPart`): the integer types among themselves, the float types among
/// themselves, `text` and `name` (byte-wise equal), or one type whose equality is exact.
/// Binary-coercible types (`regproc`, `regtype`, `varchar`) reach `=` relabelled to the
/// type they coerce to.
fn hashable_pair(a: Oid, b: Oid) -> bool {
    use tusk_types::type_oid::*;
    let ints = [INT2, INT4, INT8];
    let floats = [FLOAT4, FLOAT8];
    let strings = [TEXT, NAME];
    (ints.contains(&a) && ints.contains(&b))
        || (floats.contains(&a) && floats.contains(&b))
        || (strings.contains(&a) && strings.contains(&b))
        || (a == b
            && [
                BOOL,
                TEXT,
                NAME,
                NUMERIC,
                DATE,
                TIME,
                TIMESTAMP,
                TIMESTAMPTZ,
                INTERVAL,
                OID,
                BYTEA,
                CHAR,
                OIDVECTOR,
                INT2VECTOR,
            ]
            .contains(&a))
        || (a == b && tusk_types::adt::range::range_subtype(a).is_some())
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Outer,
    Inner,
}

/// Which input's columns an expression reads: `None` if both, none, or it holds a
/// subquery or an outer reference.
fn side_of(e: &TypedExpr, outer_width: usize, inner_width: usize) -> Option<Side> {
    let mut side: Option<Side> = None;
    let mut ok = true;
    let mut visit = |e: TypedExpr, depth: usize| {
        match &e {
            TypedExpr::Column { index, .. } if depth == 0 => {
                let s = if *index < outer_width {
                    Side::Outer
                } else if *index < outer_width + inner_width {
                    Side::Inner
                } else {
                    ok = false;
                    Side::Outer
                };
                if side.is_some_and(|x| x != s) {
                    ok = false;
                }
                side = Some(s);
            }
            TypedExpr::SubLink { .. } | TypedExpr::OuterColumn { .. } | TypedExpr::Aggregate(_) => {
                ok = false
            }
            _ => {}
        }
        e
    };
    map_expr_deep(e.clone(), 0, &mut visit);
    if ok {
        side
    } else {
        None
    }
}

fn shift_columns(e: TypedExpr, by: usize) -> TypedExpr {
    map_expr_deep(e, 0, &mut |e, depth| match e {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } if depth == 0 => TypedExpr::Column {
            index: index - by,
            type_oid,
            typmod,
            location,
        },
        other => other,
    })
}
