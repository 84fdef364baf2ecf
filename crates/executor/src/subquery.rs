//! Subqueries in expressions (PostgreSQL's SubPlans): the subquery is planned and run
//! for the row being evaluated, after its references to that row
//! ([`TypedExpr::OuterColumn`] one level up) are replaced by the row's values. A
//! subquery without such references runs once per evaluator and its values are kept.
//!
//! `x = ANY (subquery)` over an uncorrelated subquery whose `=` hashes (PostgreSQL's
//! hashed SubPlan) keeps the subquery's values in a hash set ([`HashedValues`]) and
//! answers each row with one probe: true if found; else NULL if `x` is NULL or a value
//! was NULL; false for no rows at all.
//!
//! A correlated subquery without volatile functions keeps its values by the enclosing
//! row's values it reads (PostgreSQL's Memoize), so repeated parameters run it once.
//!
//! Entry points: [`SubqueryRunner::values`], [`hashed_test`].

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tusk_sql::analyze::walk::{is_correlated, map_expr_deep, map_query};
use tusk_sql::analyze::{Query, TypedExpr};
use tusk_types::{Datum, Result};

use crate::operator::{self, KeyPart};
use crate::plan::plan_query;
use crate::EvalContext;

/// A subquery ready to run for rows of the enclosing query.
pub(crate) struct SubqueryRunner {
    query: Query,
    correlated: bool,
    /// At most how many rows are ever needed (EXISTS 1, a scalar subquery 2).
    limit: Option<usize>,
    cache: RefCell<Option<Vec<Vec<Datum>>>>,
    /// For a correlated subquery without volatile functions: the enclosing row's slots
    /// it reads, and its rows by theirs (PostgreSQL's Memoize), at most
    /// [`MEMO_ENTRIES`] of them.
    memo: Option<(Vec<usize>, RefCell<Memo>)>,
}

/// A correlated subquery's rows by the (debug-formatted) values of the slots it reads.
type Memo = HashMap<String, Vec<Vec<Datum>>>;

/// The most parameter sets a correlated subquery's memo keeps.
const MEMO_ENTRIES: usize = 65_536;

impl SubqueryRunner {
    pub fn new(query: &Query, limit: Option<usize>) -> SubqueryRunner {
        let correlated = is_correlated(query);
        SubqueryRunner {
            correlated,
            memo: if correlated {
                memo_slots(query).map(|slots| (slots, RefCell::new(HashMap::new())))
            } else {
                None
            },
            query: query.clone(),
            limit,
            cache: RefCell::new(None),
        }
    }

    /// The type of the subquery's output column `index` (0 past its last column).
    pub fn column_type(&self, index: usize) -> tusk_types::Oid {
        self.query
            .columns
            .get(index)
            .map_or(tusk_types::Oid::INVALID, |c| c.type_oid)
    }

    /// How many columns the subquery returns.
    pub fn width(&self) -> usize {
        self.query.columns.len()
    }

    /// The first column of the subquery's rows for `row` of the enclosing query (NULL
    /// for a subquery without columns), at most `limit` of them.
    ///
    /// A subquery of several columns gives each row as a record instead (what a row
    /// compared with `ROW(a, b) op ANY|ALL (subquery)` reads its fields from).
    pub fn values(&self, ctx: &mut EvalContext<'_>, row: &[Datum]) -> Result<Vec<Datum>> {
        let rows = self.rows(ctx, row)?;
        if self.query.columns.len() <= 1 {
            return Ok(rows
                .into_iter()
                .map(|r| r.into_iter().next().unwrap_or(Datum::Null))
                .collect());
        }
        use tusk_types::adt::record::{Record, RecordDesc};
        let desc = std::sync::Arc::new(RecordDesc {
            type_oid: tusk_types::type_oid::RECORD,
            fields: self.query.record_fields(),
        });
        Ok(rows
            .into_iter()
            .map(|r| Datum::Record(Box::new(Record::new(desc.clone(), r))))
            .collect())
    }

    /// The subquery's rows for `row` of the enclosing query, at most `limit` of them.
    pub fn rows(&self, ctx: &mut EvalContext<'_>, row: &[Datum]) -> Result<Vec<Vec<Datum>>> {
        if !self.correlated {
            if let Some(v) = self.cache.borrow().as_ref() {
                return Ok(v.clone());
            }
            let v = run_rows(ctx, &self.query, self.limit)?;
            *self.cache.borrow_mut() = Some(v.clone());
            return Ok(v);
        }
        let key = self.memo.as_ref().map(|(slots, _)| {
            let values: Vec<&Datum> = slots
                .iter()
                .map(|&s| row.get(s).unwrap_or(&Datum::Null))
                .collect();
            format!("{values:?}")
        });
        if let (Some((_, memo)), Some(key)) = (&self.memo, &key) {
            if let Some(v) = memo.borrow().get(key) {
                return Ok(v.clone());
            }
        }
        let bound = bind_outer(&self.query, row, 0);
        let rows = run_rows(ctx, &bound, self.limit)?;
        if let (Some((_, memo)), Some(key)) = (&self.memo, key) {
            let mut memo = memo.borrow_mut();
            if memo.len() < MEMO_ENTRIES {
                memo.insert(key, rows.clone());
            }
        }
        Ok(rows)
    }
}

thread_local! {
    /// The rows of the multiple-column SET subqueries run for the row being computed
    /// (by their `id`), while [`multi_expr_scope`] computes one; `None` outside.
    static MULTI_EXPR_ROW: RefCell<Option<HashMap<usize, Vec<Datum>>>> =
        const { RefCell::new(None) };
}

/// Runs `f`, the computation of one new row, so that each `SET (a, b, ...) =
/// (subquery)` in it runs its subquery once for all its columns (PostgreSQL evaluates
/// a MULTIEXPR SubPlan once per row). Nested computations (a function updating rows
/// while this one is computed) get their own scope.
pub(crate) fn multi_expr_scope<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(Option<HashMap<usize, Vec<Datum>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            MULTI_EXPR_ROW.with(|m| *m.borrow_mut() = outer);
        }
    }
    let _restore = Restore(MULTI_EXPR_ROW.with(|m| m.borrow_mut().replace(HashMap::new())));
    f()
}

/// Column `column` of the one row of the multiple-column SET subquery `id` for `row`:
/// run once per computed row (see [`multi_expr_scope`]); NULL for every column when
/// it returns no row.
///
/// Errors: 21000 `more than one row returned by a subquery used as an expression`; the
/// subquery's errors.
pub(crate) fn multi_expr_value(
    runner: &SubqueryRunner,
    id: usize,
    column: usize,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
) -> Result<Datum> {
    let known = MULTI_EXPR_ROW.with(|m| {
        m.borrow()
            .as_ref()
            .and_then(|rows| rows.get(&id))
            .map(|r| r.get(column).cloned().unwrap_or(Datum::Null))
    });
    if let Some(value) = known {
        return Ok(value);
    }
    let mut rows = runner.rows(ctx, row)?;
    if rows.len() > 1 {
        return Err(tusk_types::pg_err!(
            CARDINALITY_VIOLATION,
            "more than one row returned by a subquery used as an expression"
        ));
    }
    let values = rows
        .pop()
        .unwrap_or_else(|| vec![Datum::Null; runner.width()]);
    let value = values.get(column).cloned().unwrap_or(Datum::Null);
    MULTI_EXPR_ROW.with(|m| {
        if let Some(rows) = m.borrow_mut().as_mut() {
            rows.insert(id, values);
        }
    });
    Ok(value)
}

/// `query` with its references to the enclosing row (`levels_up` one more than the
/// level they occur at) replaced by `row[index - base]`.
pub(crate) fn bind_outer(query: &Query, row: &[Datum], base: usize) -> Query {
    map_query(query.clone(), 0, &mut |e, depth| match e {
        TypedExpr::OuterColumn {
            levels_up, index, ..
        } if levels_up == depth + 1 => TypedExpr::Const {
            value: index
                .checked_sub(base)
                .and_then(|i| row.get(i))
                .cloned()
                .unwrap_or(Datum::Null),
            type_oid: e.type_oid(),
            typmod: e.typmod(),
            location: usize::MAX,
        },
        other => other,
    })
}

/// All rows of `query` (at most `limit`).
pub(crate) fn run_rows(
    ctx: &mut EvalContext<'_>,
    query: &Query,
    limit: Option<usize>,
) -> Result<Vec<Vec<Datum>>> {
    let tables = ctx.tables;
    let plan = plan_query(query, tables)?;
    let mut root = operator::build(&plan, &operator::Env::new(tables))?;
    let mut out = Vec::new();
    while limit.is_none_or(|l| out.len() < l) {
        ctx.session.check_interrupts()?;
        match root.next(ctx)? {
            Some(r) => out.push(r),
            None => break,
        }
    }
    Ok(out)
}

/// The values of a hashed `= ANY` subquery.
#[derive(Debug, Default)]
pub(crate) struct HashedValues {
    /// The subquery's row count.
    pub rows: usize,
    /// Keys of the non-NULL values (after the comparison's coercion).
    pub keys: HashSet<KeyPart>,
    /// Whether some value was NULL.
    pub any_null: bool,
}

/// The sides of an `= ANY` comparison that can be hashed: `left = right` where the
/// operator is an equality whose two types hash alike, `right` reads only the subquery's
/// value (a `CaseTest`, possibly coerced) and `left` does not read it.
pub(crate) fn hashed_test(test: &TypedExpr) -> Option<(&TypedExpr, &TypedExpr)> {
    let TypedExpr::Func { proc, args, .. } = test else {
        return None;
    };
    let [left, right] = args.as_slice() else {
        return None;
    };
    if !crate::plan::is_hashable_equality(*proc, left.type_oid(), right.type_oid()) {
        return None;
    }
    let mut right_ok = true;
    let mut tests = 0;
    map_expr_deep(right.clone(), 0, &mut |e, _| {
        match &e {
            TypedExpr::CaseTest { .. } => tests += 1,
            TypedExpr::Column { .. }
            | TypedExpr::OuterColumn { .. }
            | TypedExpr::SubLink { .. }
            | TypedExpr::Param { .. } => right_ok = false,
            _ => {}
        }
        e
    });
    let mut left_ok = true;
    map_expr_deep(left.clone(), 0, &mut |e, _| {
        if matches!(e, TypedExpr::CaseTest { .. }) {
            left_ok = false;
        }
        e
    });
    (right_ok && left_ok && tests == 1).then_some((left, right))
}

/// The enclosing row's slots a correlated subquery reads, or `None` when it calls a
/// volatile function (its answer may differ for the same values) or sets.
fn memo_slots(query: &Query) -> Option<Vec<usize>> {
    let catalog = tusk_catalog::builtin();
    let volatile = |proc: tusk_types::Oid| {
        catalog
            .proc_by_oid(proc)
            .is_none_or(|p| p.volatility == tusk_catalog::Volatility::Volatile)
    };
    let mut slots = Vec::new();
    let mut ok = true;
    map_query(query.clone(), 0, &mut |e, depth| {
        match &e {
            TypedExpr::OuterColumn {
                levels_up, index, ..
            } if *levels_up == depth + 1 => slots.push(*index),
            TypedExpr::Func { proc, .. } if volatile(*proc) => ok = false,
            TypedExpr::Cast {
                kind: tusk_sql::analyze::CastKind::Func(proc),
                ..
            } if volatile(*proc) => ok = false,
            _ => {}
        }
        e
    });
    slots.sort_unstable();
    slots.dedup();
    ok.then_some(slots)
}
