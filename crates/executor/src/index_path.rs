//! Index paths (PostgreSQL's `indxpath.c`, rule-based): which conjuncts of a relation's
//! WHERE a B-tree index can answer, which index to scan, and whether its order makes a
//! Sort unnecessary.
//!
//! Rules:
//! 1. A conjunct is an index qualification when it is `column op value` or
//!    `value op column` where `op` is one of `= < <= >= >` and both its input types are in
//!    the column's B-tree operator family ([`btree_family`]; cross-type integer and float
//!    comparisons included, anything that needs a cast of the column excluded), and
//!    `value` reads no column of the row and calls no volatile function (constants, `$n`
//!    parameters, stable functions; correlated references are already constants when a
//!    subquery is planned).
//! 2. An index uses qualifications on a prefix of its columns: `=` on each column while
//!    there is one, then every range qualification on the next column. Qualifications an
//!    index uses leave the filter; the others stay in it.
//! 3. The index chosen: a unique index with `=` on every column; else the one with most
//!    `=` columns, then one with a range; ties go to fewer columns, then the lower OID.
//!    No usable qualification: a sequential scan (or an ordered index scan, rule 4).
//! 4. An index delivers ORDER BY's order when the sort keys are its columns in order
//!    (skipping columns fixed by `=`), each by the type's own `<`, all with the index's
//!    direction and NULLs placement or all with both reversed (a backward scan).
//!
//! 5. The inner side of a join may be scanned through an index once per outer row
//!    (PostgreSQL's parameterized path): a join conjunct `inner column op value` whose
//!    value reads only the outer row qualifies like a constant one; the index chosen by
//!    rules 2 and 3 must use at least one such `=`.
//!
//! 6. An expression column (`lower(email)`) qualifies conjuncts `expr op value` whose
//!    operand is the index's expression itself (the same analysed tree), and delivers
//!    ORDER BY that expression; join paths use plain columns only.
//! 7. A partial index is a candidate only when the relation's conjuncts imply its
//!    predicate (`predicate_implied`): each predicate conjunct is a query conjunct (`x =
//!    true` read as `x`), or `x IS NOT NULL` where a query conjunct compares `x` with a
//!    constant, or a range on `x` that a query comparison of `x` with a constant lies
//!    within. Query conjuncts the predicate implies leave the filter (PostgreSQL's
//!    `create_indexscan_plan`).
//!
//! Entry points: [`choose_index`], [`choose_join_index`], [`sort_direction`],
//! [`conjuncts`], [`predicate_implied`].

use std::collections::HashMap;
use std::sync::OnceLock;

use tusk_catalog::{OperatorKind, Volatility};
use tusk_sql::analyze::walk::map_expr_deep;
use tusk_sql::analyze::{CastKind, SortKey, TypedExpr};
use tusk_types::Oid;

use crate::index::{btree_family, IndexColumnInfo, IndexInfo, IndexStrategy, ScanDirection};

/// A conjunct an index answers: `index column strategy value`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexQual {
    /// 0-based key column of the index.
    pub column: usize,
    /// The operator's strategy, the column on its left.
    pub strategy: IndexStrategy,
    /// The comparison value: reads no column of the scanned row, evaluated once when the
    /// scan starts.
    pub value: TypedExpr,
    /// The conjunct as written (what EXPLAIN shows as `Index Cond`).
    pub clause: TypedExpr,
}

/// The chosen index with the qualifications it answers and the conjuncts left over.
#[derive(Debug, Clone)]
pub(crate) struct IndexChoice {
    /// The index.
    pub index: IndexInfo,
    /// Its qualifications, by index column.
    pub quals: Vec<IndexQual>,
    /// The conjuncts it does not answer.
    pub rest: Vec<TypedExpr>,
}

impl IndexChoice {
    /// Index columns fixed by an `=` qualification.
    pub fn equality_columns(&self) -> Vec<usize> {
        self.quals
            .iter()
            .filter(|q| q.strategy == IndexStrategy::Equal)
            .map(|q| q.column)
            .collect()
    }
}

/// The conjuncts of a predicate (nested ANDs flattened).
pub(crate) fn conjuncts(e: Option<&TypedExpr>) -> Vec<TypedExpr> {
    fn walk(e: &TypedExpr, out: &mut Vec<TypedExpr>) {
        match e {
            TypedExpr::And(items) => items.iter().for_each(|i| walk(i, out)),
            other => out.push(other.clone()),
        }
    }
    let mut out = Vec::new();
    if let Some(e) = e {
        walk(e, &mut out);
    }
    out
}

/// ANDs conjuncts back together (`None` for none).
pub(crate) fn and_of(mut items: Vec<TypedExpr>) -> Option<TypedExpr> {
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(TypedExpr::And(items)),
    }
}

/// The pseudo-type `anyrange`, the declared input type of `range_ops`' operators.
const ANYRANGE: Oid = Oid(3831);

/// The comparison operators of the B-tree families by implementing function: strategy,
/// left and right input types.
fn btree_operators() -> &'static HashMap<Oid, (IndexStrategy, Oid, Oid)> {
    static MAP: OnceLock<HashMap<Oid, (IndexStrategy, Oid, Oid)>> = OnceLock::new();
    MAP.get_or_init(|| {
        let catalog = tusk_catalog::builtin();
        let mut map = HashMap::new();
        for strategy in [
            IndexStrategy::Less,
            IndexStrategy::LessEqual,
            IndexStrategy::Equal,
            IndexStrategy::GreaterEqual,
            IndexStrategy::Greater,
        ] {
            for o in catalog.operators_by_name(strategy.operator_name()) {
                let same_family = (btree_family(o.left).is_some()
                    && btree_family(o.left) == btree_family(o.right))
                    || (o.left == ANYRANGE && o.right == ANYRANGE);
                if o.kind == OperatorKind::Binary && same_family {
                    map.insert(o.proc, (strategy, o.left, o.right));
                }
            }
        }
        map
    })
}

/// The relation column (0-based) an operand reads, with its type: a column of the row or
/// a binary-coercible relabelling of one (`varchar` to `text`).
fn column_operand(e: &TypedExpr, width: usize) -> Option<(usize, Oid)> {
    match e {
        TypedExpr::Column {
            index, type_oid, ..
        } if *index < width => Some((*index, *type_oid)),
        TypedExpr::Cast {
            arg,
            kind: CastKind::Relabel,
            target,
            ..
        } => {
            let (index, type_oid) = column_operand(arg, width)?;
            (btree_family(type_oid).is_some() && btree_family(type_oid) == btree_family(*target))
                .then_some((index, type_oid))
        }
        _ => None,
    }
}

/// Whether `e` has one value for the whole scan (rule 1): no column of the row, no
/// subquery, no volatile function.
pub(crate) fn is_pseudo_constant(e: &TypedExpr) -> bool {
    let catalog = tusk_catalog::builtin();
    let volatile = |proc: Oid| {
        catalog
            .proc_by_oid(proc)
            .is_none_or(|p| p.volatility == Volatility::Volatile)
    };
    let mut ok = true;
    map_expr_deep(e.clone(), 0, &mut |e, _| {
        match &e {
            TypedExpr::Const { .. } | TypedExpr::Param { .. } => {}
            TypedExpr::Func { proc, retset, .. } if *retset || volatile(*proc) => ok = false,
            TypedExpr::Cast {
                kind: CastKind::Func(proc),
                ..
            } if volatile(*proc) => ok = false,
            TypedExpr::Column { .. }
            | TypedExpr::OuterColumn { .. }
            | TypedExpr::SubLink { .. }
            | TypedExpr::Aggregate(_)
            | TypedExpr::Window(_)
            | TypedExpr::CaseTest { .. } => ok = false,
            _ => {}
        }
        e
    });
    ok
}

/// A conjunct as `(row column, strategy, value)` if it qualifies (rule 1).
fn match_clause(c: &TypedExpr, width: usize) -> Option<(usize, IndexStrategy, TypedExpr)> {
    let TypedExpr::Func { proc, args, .. } = c else {
        return None;
    };
    let &(strategy, left, right) = btree_operators().get(proc)?;
    let [a, b] = args.as_slice() else {
        return None;
    };
    // `range_ops` declares its operators on `anyrange`: both sides are one range type.
    let in_family = |column_type: Oid, declared: Oid, other: &TypedExpr| {
        if declared == ANYRANGE {
            btree_family(column_type).is_some() && other.type_oid() == column_type
        } else {
            btree_family(column_type) == btree_family(declared)
        }
    };
    if let Some((column, t)) = column_operand(a, width) {
        if in_family(t, left, b) && is_pseudo_constant(b) {
            return Some((column, strategy, b.clone()));
        }
    }
    if let Some((column, t)) = column_operand(b, width) {
        if in_family(t, right, a) && is_pseudo_constant(a) {
            return Some((column, strategy.commute(), a.clone()));
        }
    }
    None
}

/// The qualifications `index` answers among `clauses` (rule 2), with the positions of the
/// conjuncts used.
fn index_quals(
    index: &IndexInfo,
    clauses: &[Option<(usize, IndexStrategy, TypedExpr)>],
    conjuncts: &[TypedExpr],
    row_conjuncts: Option<&[TypedExpr]>,
) -> (Vec<IndexQual>, Vec<usize>) {
    let mut quals = Vec::new();
    let mut used = Vec::new();
    for (i, col) in index.columns.iter().enumerate() {
        let on_column = |want_equal: bool| -> Vec<(usize, IndexStrategy, TypedExpr)> {
            if let Some(expr) = &col.expr {
                return row_conjuncts
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .filter_map(|(pos, c)| {
                        let (s, v) = match_expr_clause(c, expr)?;
                        ((s == IndexStrategy::Equal) == want_equal).then_some((pos, s, v))
                    })
                    .collect();
            }
            clauses
                .iter()
                .enumerate()
                .filter_map(move |(pos, m)| {
                    let (c, s, v) = m.as_ref()?;
                    let equal = *s == IndexStrategy::Equal;
                    (*c + 1 == col.attnum as usize
                        && equal == want_equal
                        && btree_family(col.type_oid).is_some())
                    .then(|| (pos, *s, v.clone()))
                })
                .collect()
        };
        let qual = |(pos, strategy, value): (usize, IndexStrategy, TypedExpr)| IndexQual {
            column: i,
            strategy,
            value,
            clause: conjuncts[pos].clone(),
        };
        if let Some(eq) = on_column(true).into_iter().next() {
            used.push(eq.0);
            quals.push(qual(eq));
            continue;
        }
        for range in on_column(false) {
            used.push(range.0);
            quals.push(qual(range));
        }
        break;
    }
    (quals, used)
}

/// How good an index is for a scan (rule 3), best highest: unique with `=` on every
/// column, `=` columns, a range, fewer columns.
type Score = (bool, usize, bool, std::cmp::Reverse<usize>);

/// Picks the index for a scan of a relation of `width` columns filtered by `conjuncts`
/// (rules 1 to 3); `None` if no index has a qualification on its first column.
pub(crate) fn choose_index(
    indexes: &[IndexInfo],
    width: usize,
    conjuncts: &[TypedExpr],
) -> Option<IndexChoice> {
    let clauses: Vec<_> = conjuncts.iter().map(|c| match_clause(c, width)).collect();
    best_index(indexes, &clauses, conjuncts).map(|(choice, _)| choice)
}

/// Picks the index for the inner side of a parameterized nested loop (rule 5): the inner
/// relation's own conjuncts `inner_conjuncts` (over its row, values constant) and the
/// join's conjuncts `join_conjuncts` (over `outer ++ inner` of widths `outer_width` and
/// `inner_width`) compete as qualifications; the chosen index must use at least one
/// join `=`. The qualifications' values are evaluated over the outer row; their clauses
/// are over `outer ++ inner`. Returns the choice (its `rest` empty) and which conjuncts
/// of each list it used.
pub(crate) fn choose_join_index(
    indexes: &[IndexInfo],
    outer_width: usize,
    inner_width: usize,
    inner_conjuncts: &[TypedExpr],
    join_conjuncts: &[TypedExpr],
) -> Option<(IndexChoice, Vec<usize>, Vec<usize>)> {
    let mut clauses: Vec<_> = inner_conjuncts
        .iter()
        .map(|c| match_clause(c, inner_width))
        .collect();
    let join_clauses: Vec<_> = join_conjuncts
        .iter()
        .map(|c| match_join_clause(c, outer_width, inner_width))
        .collect();
    if !join_clauses
        .iter()
        .flatten()
        .any(|(_, s, _)| *s == IndexStrategy::Equal)
    {
        return None;
    }
    clauses.extend(join_clauses);
    // Clauses as EXPLAIN shows them: over `outer ++ inner`, the index column on the left.
    let mut shown: Vec<TypedExpr> = inner_conjuncts
        .iter()
        .map(|c| shift_columns_up(c.clone(), outer_width))
        .collect();
    shown.extend(join_conjuncts.iter().cloned());
    let mut best: Option<(IndexChoice, Vec<usize>)> = None;
    let mut sorted: Vec<&IndexInfo> = indexes
        .iter()
        .filter(|i| predicate_implied(i.predicate.as_ref(), inner_conjuncts))
        .collect();
    sorted.sort_by_key(|i| i.oid);
    for index in sorted {
        let (quals, used) = index_quals(index, &clauses, &shown, None);
        let joins = used.iter().any(|&u| {
            u >= inner_conjuncts.len()
                && clauses[u]
                    .as_ref()
                    .is_some_and(|(_, s, _)| *s == IndexStrategy::Equal)
        });
        if !joins {
            continue;
        }
        let choice = IndexChoice {
            index: index.clone(),
            quals,
            rest: Vec::new(),
        };
        let better = best.as_ref().is_none_or(|(b, _)| score(&choice) > score(b));
        if better {
            best = Some((choice, used));
        }
    }
    let (mut choice, used) = best?;
    for q in &mut choice.quals {
        q.clause = commute_to_column_first(q.clause.clone(), outer_width, inner_width);
    }
    let inner_used = used
        .iter()
        .filter(|&&u| u < inner_conjuncts.len())
        .copied()
        .collect();
    let join_used = used
        .iter()
        .filter(|&&u| u >= inner_conjuncts.len())
        .map(|u| u - inner_conjuncts.len())
        .collect();
    Some((choice, inner_used, join_used))
}

fn score(choice: &IndexChoice) -> Score {
    let equal = choice.equality_columns().len();
    (
        choice.index.unique && equal == choice.index.columns.len(),
        equal,
        choice.quals.len() > equal,
        std::cmp::Reverse(choice.index.columns.len()),
    )
}

/// A join conjunct as `(inner column, strategy, value over the outer row)`: `inner
/// column op value` or `value op inner column` where `value` reads outer columns only and
/// calls no volatile function (rule 5).
fn match_join_clause(
    c: &TypedExpr,
    outer_width: usize,
    inner_width: usize,
) -> Option<(usize, IndexStrategy, TypedExpr)> {
    let TypedExpr::Func { proc, args, .. } = c else {
        return None;
    };
    let &(strategy, left, right) = btree_operators().get(proc)?;
    let [a, b] = args.as_slice() else {
        return None;
    };
    let inner_column = |e: &TypedExpr| {
        let shifted = shift_columns_down(e, outer_width)?;
        column_operand(&shifted, inner_width)
    };
    if let Some((column, t)) = inner_column(a) {
        if btree_family(t) == btree_family(left) && reads_only_outer(b, outer_width) {
            return Some((column, strategy, b.clone()));
        }
    }
    if let Some((column, t)) = inner_column(b) {
        if btree_family(t) == btree_family(right) && reads_only_outer(a, outer_width) {
            return Some((column, strategy.commute(), a.clone()));
        }
    }
    None
}

/// Whether `e` reads columns below `outer_width` only (at least one), with no subquery
/// and no volatile function.
fn reads_only_outer(e: &TypedExpr, outer_width: usize) -> bool {
    let mut columns = 0;
    let mut ok = true;
    let stripped = map_expr_deep(e.clone(), 0, &mut |e, _| match e {
        TypedExpr::Column {
            index, type_oid, ..
        } => {
            columns += 1;
            if index >= outer_width {
                ok = false;
            }
            TypedExpr::Const {
                value: tusk_types::Datum::Null,
                type_oid,
                typmod: -1,
                location: usize::MAX,
            }
        }
        other => other,
    });
    ok && columns > 0 && is_pseudo_constant(&stripped)
}

/// `e` with its columns moved down by `by` (`None` if it reads one below `by`).
fn shift_columns_down(e: &TypedExpr, by: usize) -> Option<TypedExpr> {
    let mut ok = true;
    let shifted = map_expr_deep(e.clone(), 0, &mut |e, depth| match e {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } if depth == 0 => {
            if index < by {
                ok = false;
            }
            TypedExpr::Column {
                index: index.saturating_sub(by),
                type_oid,
                typmod,
                location,
            }
        }
        other => other,
    });
    ok.then_some(shifted)
}

/// `e` with its columns moved up by `by`.
pub(crate) fn shift_columns_up(e: TypedExpr, by: usize) -> TypedExpr {
    map_expr_deep(e, 0, &mut |e, depth| match e {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } if depth == 0 => TypedExpr::Column {
            index: index + by,
            type_oid,
            typmod,
            location,
        },
        other => other,
    })
}

/// A join clause `value op inner column` rewritten as `inner column op' value` with the
/// commuted operator, as PostgreSQL shows an `Index Cond`; unchanged when no commutator
/// exists.
fn commute_to_column_first(c: TypedExpr, outer_width: usize, inner_width: usize) -> TypedExpr {
    let TypedExpr::Func {
        proc,
        args,
        ret,
        strict,
        retset,
    } = &c
    else {
        return c;
    };
    let [a, b] = args.as_slice() else {
        return c;
    };
    let inner_first = shift_columns_down(a, outer_width)
        .and_then(|s| column_operand(&s, inner_width))
        .is_some();
    if inner_first {
        return c;
    }
    let Some(&(strategy, left, right)) = btree_operators().get(proc) else {
        return c;
    };
    let commuted = tusk_catalog::builtin()
        .operators_by_name(strategy.commute().operator_name())
        .find(|o| o.kind == OperatorKind::Binary && o.left == right && o.right == left);
    match commuted {
        Some(o) => TypedExpr::Func {
            proc: o.proc,
            args: vec![b.clone(), a.clone()],
            ret: *ret,
            strict: *strict,
            retset: *retset,
        },
        None => c,
    }
}

/// The best index for `clauses` (matched `conjuncts`, rules 2 and 3) with the positions of
/// the conjuncts it uses.
fn best_index(
    indexes: &[IndexInfo],
    clauses: &[Option<(usize, IndexStrategy, TypedExpr)>],
    conjuncts: &[TypedExpr],
) -> Option<(IndexChoice, Vec<usize>)> {
    let has_expressions = indexes
        .iter()
        .any(|i| i.columns.iter().any(|c| c.expr.is_some()));
    if clauses.iter().all(Option::is_none) && !has_expressions {
        return None;
    }
    let mut best: Option<(Score, IndexChoice, Vec<usize>)> = None;
    let mut sorted: Vec<&IndexInfo> = indexes
        .iter()
        .filter(|i| predicate_implied(i.predicate.as_ref(), conjuncts))
        .collect();
    sorted.sort_by_key(|i| i.oid);
    for index in sorted {
        let (quals, used) = index_quals(index, clauses, conjuncts, Some(conjuncts));
        if quals.is_empty() {
            continue;
        }
        let equal = quals
            .iter()
            .filter(|q| q.strategy == IndexStrategy::Equal)
            .count();
        let score = (
            index.unique && equal == index.columns.len(),
            equal,
            quals.len() > equal,
            std::cmp::Reverse(index.columns.len()),
        );
        if best.as_ref().is_some_and(|(s, _, _)| *s >= score) {
            continue;
        }
        let predicate = self::conjuncts(index.predicate.as_ref());
        let rest = conjuncts
            .iter()
            .enumerate()
            .filter(|(pos, _)| !used.contains(pos))
            .filter(|(_, c)| !predicate.iter().any(|p| clause_implies(p, c)))
            .map(|(_, c)| c.clone())
            .collect();
        best = Some((
            score,
            IndexChoice {
                index: index.clone(),
                quals,
                rest,
            },
            used,
        ));
    }
    best.map(|(_, choice, used)| (choice, used))
}

/// The direction in which a scan of `index` returns rows already in `sort`'s order, the
/// index columns in `fixed` having one value each (rule 4); `None` if it does not.
pub(crate) fn sort_direction(
    index: &IndexInfo,
    sort: &[SortKey],
    fixed: &[usize],
    width: usize,
) -> Option<ScanDirection> {
    let mut direction = None;
    let mut col = 0;
    for key in sort {
        let delivers = |info: &IndexColumnInfo| match &info.expr {
            Some(e) => is_index_expression(&key.expr, e),
            None => column_operand(&key.expr, width)
                .is_some_and(|(column, _)| info.attnum as usize == column + 1),
        };
        // Columns fixed by `=` may be skipped (and may be named in any direction).
        while col < index.columns.len() && fixed.contains(&col) && !delivers(&index.columns[col]) {
            col += 1;
        }
        let info = index.columns.get(col)?;
        if !delivers(info) {
            return None;
        }
        let &(strategy, left, right) = btree_operators().get(&key.lt_proc)?;
        if strategy != IndexStrategy::Less
            || btree_family(left) != btree_family(info.type_oid)
            || left != right
        {
            return None;
        }
        if !fixed.contains(&col) {
            let d = if key.descending == info.descending && key.nulls_first == info.nulls_first {
                ScanDirection::Forward
            } else if key.descending != info.descending && key.nulls_first != info.nulls_first {
                ScanDirection::Backward
            } else {
                return None;
            };
            if direction.is_some_and(|x| x != d) {
                return None;
            }
            direction = Some(d);
        }
        col += 1;
    }
    Some(direction.unwrap_or(ScanDirection::Forward))
}

/// Whether `e` is the index expression `expr`, or a binary-coercible relabelling of it
/// (rule 6).
pub fn is_index_expression(e: &TypedExpr, expr: &TypedExpr) -> bool {
    let same = |a: &TypedExpr| implicit_casts(a).same_as(&implicit_casts(expr));
    match e {
        TypedExpr::Cast {
            arg,
            kind: CastKind::Relabel,
            target,
            ..
        } if btree_family(*target) == btree_family(expr.type_oid()) && same(arg) => true,
        other => same(other),
    }
}

/// `e` with every cast marked implicit: an index expression read back from its stored
/// text has explicit casts where the query's has implicit ones, and PostgreSQL's
/// `equal()` ignores how a cast was written.
fn implicit_casts(e: &TypedExpr) -> TypedExpr {
    map_expr_deep(e.clone(), 0, &mut |e, _| match e {
        TypedExpr::Cast {
            arg,
            kind,
            target,
            typmod,
            ..
        } => TypedExpr::Cast {
            arg,
            kind,
            target,
            typmod,
            explicit: false,
        },
        other => other,
    })
}

/// A conjunct as `(strategy, value)` when it compares the index expression `expr` with a
/// value constant for the scan (rules 1 and 6).
fn match_expr_clause(c: &TypedExpr, expr: &TypedExpr) -> Option<(IndexStrategy, TypedExpr)> {
    let TypedExpr::Func { proc, args, .. } = c else {
        return None;
    };
    let &(strategy, left, right) = btree_operators().get(proc)?;
    let [a, b] = args.as_slice() else {
        return None;
    };
    let family = btree_family(expr.type_oid())?;
    if is_index_expression(a, expr) && btree_family(left) == Some(family) && is_pseudo_constant(b) {
        return Some((strategy, b.clone()));
    }
    if is_index_expression(b, expr) && btree_family(right) == Some(family) && is_pseudo_constant(a)
    {
        return Some((strategy.commute(), a.clone()));
    }
    None
}

/// Whether the conjuncts `query` imply `predicate` (rule 7); no predicate always holds.
pub fn predicate_implied(predicate: Option<&TypedExpr>, query: &[TypedExpr]) -> bool {
    conjuncts(predicate)
        .iter()
        .all(|p| query.iter().any(|q| clause_implies(q, p)))
}

/// `x = true` read as `x` (PostgreSQL's constant folding of a boolean comparison).
fn normalized(e: &TypedExpr) -> &TypedExpr {
    if let TypedExpr::Func { args, .. } = e {
        if let (Some((IndexStrategy::Equal, _, _)), [x, TypedExpr::Const { value, .. }]) =
            (comparison_operator(e), args.as_slice())
        {
            if *value == tusk_types::Datum::Bool(true) && x.type_oid() == tusk_types::type_oid::BOOL
            {
                return x;
            }
        }
    }
    e
}

fn comparison_operator(e: &TypedExpr) -> Option<(IndexStrategy, Oid, Oid)> {
    match e {
        TypedExpr::Func { proc, .. } => btree_operators().get(proc).copied(),
        _ => None,
    }
}

/// A comparison of an operand with a non-NULL constant: `(operand, strategy, value)`,
/// the operand on the left.
fn constant_comparison(e: &TypedExpr) -> Option<(&TypedExpr, IndexStrategy, &TypedExpr)> {
    let (strategy, _, _) = comparison_operator(e)?;
    let TypedExpr::Func { args, .. } = e else {
        return None;
    };
    let [a, b] = args.as_slice() else {
        return None;
    };
    let constant = |e: &TypedExpr| matches!(e, TypedExpr::Const { value, .. } if !value.is_null());
    if constant(b) && !constant(a) {
        Some((a, strategy, b))
    } else if constant(a) && !constant(b) {
        Some((b, strategy.commute(), a))
    } else {
        None
    }
}

/// Whether the query conjunct `q` implies the predicate conjunct `p` (rule 7).
fn clause_implies(q: &TypedExpr, p: &TypedExpr) -> bool {
    let same = |a: &TypedExpr, b: &TypedExpr| implicit_casts(a).same_as(&implicit_casts(b));
    let (q, p) = (normalized(q), normalized(p));
    if same(q, p) {
        return true;
    }
    let Some((operand, q_strategy, q_value)) = constant_comparison(q) else {
        return false;
    };
    if let TypedExpr::NullTest {
        arg,
        is_null: false,
    } = p
    {
        // The comparison operators are strict: a row they accept has a non-NULL operand.
        return same(operand, arg);
    }
    let Some((p_operand, p_strategy, p_value)) = constant_comparison(p) else {
        return false;
    };
    let (
        TypedExpr::Const {
            value: c1,
            type_oid: t1,
            ..
        },
        TypedExpr::Const {
            value: c2,
            type_oid: t2,
            ..
        },
    ) = (q_value, p_value)
    else {
        return false;
    };
    if !same(operand, p_operand)
        || btree_family(*t1).is_none()
        || btree_family(*t1) != btree_family(*t2)
    {
        return false;
    }
    range_implies(
        q_strategy,
        p_strategy,
        crate::builtins::compare_values(c1, c2),
    )
}

/// Whether `x q c1` implies `x p c2`, given how `c1` compares with `c2`.
fn range_implies(q: IndexStrategy, p: IndexStrategy, c1_vs_c2: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Greater, Less};
    use IndexStrategy as S;
    match (q, p) {
        (S::Equal, p) => p.holds(c1_vs_c2),
        (S::Less, S::Less | S::LessEqual) | (S::LessEqual, S::LessEqual) => c1_vs_c2 != Greater,
        (S::LessEqual, S::Less) => c1_vs_c2 == Less,
        (S::Greater, S::Greater | S::GreaterEqual) | (S::GreaterEqual, S::GreaterEqual) => {
            c1_vs_c2 != Less
        }
        (S::GreaterEqual, S::Greater) => c1_vs_c2 == Greater,
        _ => false,
    }
}

#[cfg(test)]
mod predicate_tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn ranges_imply_wider_ranges_only() {
        use IndexStrategy as S;
        // x > 5 implies x > 0; x > 0 does not imply x > 5.
        assert!(range_implies(S::Greater, S::Greater, Ordering::Greater));
        assert!(!range_implies(S::Greater, S::Greater, Ordering::Less));
        // x = 3 implies x >= 3 and x < 4.
        assert!(range_implies(S::Equal, S::GreaterEqual, Ordering::Equal));
        assert!(range_implies(S::Equal, S::Less, Ordering::Less));
        // x <= 3 does not imply x < 3.
        assert!(!range_implies(S::LessEqual, S::Less, Ordering::Equal));
        assert!(!range_implies(S::Less, S::Greater, Ordering::Less));
    }
}
