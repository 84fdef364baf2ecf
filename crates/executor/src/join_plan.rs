//! Join planning (PostgreSQL's qual placement in `initsplan.c` and join paths, rule-based):
//! where each WHERE and ON conjunct is evaluated, and how each join runs.
//!
//! Rules:
//! 1. A conjunct is placed as low in the FROM tree as the relations it reads allow
//!    (`distribute_qual_to_rels`): one that reads only one input of an INNER join is
//!    applied at that input's scan; one that reads both becomes part of the join's
//!    condition. WHERE conjuncts over an outer join go below it only to its non-nullable
//!    side (the left of LEFT, the right of RIGHT, neither of FULL); ON conjuncts of an
//!    outer join go below it only to its nullable side. Everything else stays where it
//!    was written. Conjuncts that call volatile functions, hold aggregates, or reach the
//!    other input through a subquery's outer references stay in place too.
//! 2. A base relation's placed conjuncts choose its index as a lone relation's WHERE
//!    does (`index_path.rs` rules 1 to 3).
//! 3. An INNER or LEFT join whose inner input is a base relation with a B-tree index that
//!    a join `inner column = outer expression` can use is a parameterized nested loop:
//!    for each outer row the index is scanned with that row's values
//!    (`index_path.rs` rule 5; PostgreSQL's Nested Loop over an `Index Cond` that names
//!    the outer relation).
//! 4. A tree of INNER joins is taken as one list of inputs (in FROM order) and its
//!    conjuncts; when joining them left to right would pair an input with the ones before
//!    it through no hashable equality (a cross product) while a later input has one, the
//!    inputs are joined in another order: from the first, each time the first input left
//!    that such an equality connects to those already joined (or, if none is, the next
//!    one). The
//!    joined row is put back in FROM order above the joins.
//! 5. Otherwise a join with hashable equalities `outer expression = inner expression`
//!    is a hash join, and any other a nested loop over the materialised inner input.
//!
//! Entry point: [`plan_filtered`].

use tusk_catalog::Volatility;
use tusk_sql::analyze::walk::map_expr_deep;
use tusk_sql::analyze::{CastKind, FromSource, TypedExpr};
use tusk_sql::ast::JoinKind;
use tusk_types::{Oid, Result};

use crate::index::ScanDirection;
use crate::index_path::{and_of, choose_index, choose_join_index, conjuncts};
use crate::plan::{hash_keys, plan_from, Plan};
use crate::TableAccess;

/// Plans `source` with the conjuncts `quals` (over its row) applied, each as low as rule
/// 1 allows.
///
/// Errors: those of [`TableAccess::indexes`].
pub(crate) fn plan_filtered(
    source: &FromSource,
    quals: Vec<TypedExpr>,
    tables: &dyn TableAccess,
) -> Result<Plan> {
    match source {
        FromSource::Relation { oid, width } => plan_relation(*oid, *width, quals, tables),
        FromSource::Join {
            kind,
            left,
            right,
            condition,
            left_width,
            right_width,
        } => plan_join(
            JoinShape {
                kind: *kind,
                left,
                right,
                left_width: *left_width,
                right_width: *right_width,
            },
            condition.as_ref(),
            quals,
            tables,
        ),
        other => Ok(with_filter(plan_from(other, tables)?, quals)),
    }
}

/// `plan` under a Filter of `quals` (none: `plan` itself).
fn with_filter(plan: Plan, quals: Vec<TypedExpr>) -> Plan {
    match and_of(quals) {
        Some(predicate) => Plan::Filter {
            input: Box::new(plan),
            predicate,
        },
        None => plan,
    }
}

/// A base relation filtered by `quals` (rule 2).
fn plan_relation(
    oid: Oid,
    width: usize,
    quals: Vec<TypedExpr>,
    tables: &dyn TableAccess,
) -> Result<Plan> {
    let seq_scan = Plan::SeqScan { rel: oid, width };
    if quals.is_empty() {
        return Ok(seq_scan);
    }
    let indexes = tables.indexes(oid)?;
    Ok(match choose_index(&indexes, width, &quals) {
        Some(choice) => with_filter(
            Plan::IndexScan {
                rel: oid,
                width,
                index: choice.index.oid,
                index_name: choice.index.name,
                quals: choice.quals,
                direction: ScanDirection::Forward,
            },
            choice.rest,
        ),
        None => with_filter(seq_scan, quals),
    })
}

/// A join's inputs and kind.
#[derive(Clone, Copy)]
struct JoinShape<'s> {
    kind: JoinKind,
    left: &'s FromSource,
    right: &'s FromSource,
    left_width: usize,
    right_width: usize,
}

/// Which inputs of a join a conjunct reads.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reach {
    /// Only the left input's columns.
    Left,
    /// Only the right input's columns.
    Right,
    /// Both, none, or it must stay where it is (rule 1).
    Here,
}

fn plan_join(
    shape: JoinShape<'_>,
    condition: Option<&TypedExpr>,
    quals: Vec<TypedExpr>,
    tables: &dyn TableAccess,
) -> Result<Plan> {
    plan_join_placed(shape, condition, quals, tables, true)
}

/// A join with `quals` from above, placed by rule 1; `reorder`: rule 4 may change the
/// order of a tree of INNER joins.
fn plan_join_placed(
    shape: JoinShape<'_>,
    condition: Option<&TypedExpr>,
    quals: Vec<TypedExpr>,
    tables: &dyn TableAccess,
    reorder: bool,
) -> Result<Plan> {
    let JoinShape {
        kind,
        left,
        right,
        left_width,
        right_width,
    } = shape;
    let lateral = matches!(right, FromSource::Lateral { .. });
    if reorder && kind == JoinKind::Inner && !lateral {
        let mut items = Vec::new();
        let mut all = quals.clone();
        flatten_inner(&shape, condition, 0, &mut items, &mut all);
        if let Some(plan) = reordered(&items, all, tables)? {
            return Ok(plan);
        }
    }
    let mut left_quals = Vec::new();
    let mut right_quals = Vec::new();
    let mut join_quals = Vec::new();
    let mut above = Vec::new();
    let place = |c: TypedExpr,
                 to_left: bool,
                 to_right: bool,
                 left_quals: &mut Vec<TypedExpr>,
                 right_quals: &mut Vec<TypedExpr>|
     -> Option<TypedExpr> {
        match reach(&c, left_width, left_width + right_width) {
            Reach::Left if to_left => left_quals.push(c),
            Reach::Right if to_right && !lateral => {
                right_quals.push(shift_down(c, left_width));
            }
            _ => return Some(c),
        }
        None
    };
    let (where_left, where_right) = match kind {
        JoinKind::Inner => (true, true),
        JoinKind::Left => (true, false),
        JoinKind::Right => (false, true),
        JoinKind::Full => (false, false),
    };
    for q in quals {
        if let Some(q) = place(
            q,
            where_left,
            where_right,
            &mut left_quals,
            &mut right_quals,
        ) {
            if kind == JoinKind::Inner {
                join_quals.push(q);
            } else {
                above.push(q);
            }
        }
    }
    let (on_left, on_right) = match kind {
        JoinKind::Inner => (true, true),
        JoinKind::Left => (false, true),
        JoinKind::Right => (true, false),
        JoinKind::Full => (false, false),
    };
    for c in conjuncts(condition) {
        if let Some(c) = place(c, on_left, on_right, &mut left_quals, &mut right_quals) {
            join_quals.push(c);
        }
    }
    let outer = Box::new(plan_filtered(left, left_quals, tables)?);
    if let FromSource::Lateral { query, left_base } = right {
        let plan = Plan::LateralLoop {
            kind,
            outer,
            inner: query.clone(),
            left_base: *left_base,
            condition: and_of(join_quals),
            outer_width: left_width,
            inner_width: right_width,
        };
        return Ok(with_filter(plan, above));
    }
    if let (FromSource::Relation { oid, width }, JoinKind::Inner | JoinKind::Left) = (right, kind) {
        let indexes = tables.indexes(*oid)?;
        if let Some((choice, inner_used, join_used)) =
            choose_join_index(&indexes, left_width, *width, &right_quals, &join_quals)
        {
            let inner_rest = right_quals
                .into_iter()
                .enumerate()
                .filter(|(i, _)| !inner_used.contains(i))
                .map(|(_, c)| c)
                .collect();
            let condition = and_of(
                join_quals
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !join_used.contains(i))
                    .map(|(_, c)| c)
                    .collect(),
            );
            let inner = with_filter(
                Plan::IndexScan {
                    rel: *oid,
                    width: *width,
                    index: choice.index.oid,
                    index_name: choice.index.name,
                    quals: choice.quals,
                    direction: ScanDirection::Forward,
                },
                inner_rest,
            );
            let plan = Plan::ParameterizedNestedLoop {
                kind,
                outer,
                inner: Box::new(inner),
                condition,
                outer_width: left_width,
                inner_width: right_width,
            };
            return Ok(with_filter(plan, above));
        }
    }
    let inner = Box::new(plan_filtered(right, right_quals, tables)?);
    let condition = and_of(join_quals);
    let (outer_keys, inner_keys, residual) = hash_keys(condition.as_ref(), left_width, right_width);
    let plan = if outer_keys.is_empty() {
        Plan::NestedLoop {
            kind,
            outer,
            inner,
            condition,
            outer_width: left_width,
            inner_width: right_width,
        }
    } else {
        Plan::HashJoin {
            kind,
            outer,
            inner,
            outer_keys,
            inner_keys,
            residual,
            outer_width: left_width,
            inner_width: right_width,
        }
    };
    Ok(with_filter(plan, above))
}

/// Which inputs of a join (left slots `..left_width`, right slots `left_width..width`)
/// conjunct `c` reads (rule 1). References from inside a subquery to this row count;
/// such a conjunct may go left only (moving it right would renumber them).
fn reach(c: &TypedExpr, left_width: usize, width: usize) -> Reach {
    let catalog = tusk_catalog::builtin();
    let volatile = |proc: Oid| {
        catalog
            .proc_by_oid(proc)
            .is_none_or(|p| p.volatility == Volatility::Volatile)
    };
    let (mut left, mut right, mut fixed, mut nested) = (false, false, false, false);
    map_expr_deep(c.clone(), 0, &mut |e, depth| {
        let slot = match &e {
            TypedExpr::Column { index, .. } if depth == 0 => Some(*index),
            TypedExpr::OuterColumn {
                index, levels_up, ..
            } if depth > 0 && *levels_up == depth => {
                nested = true;
                Some(*index)
            }
            _ => None,
        };
        match slot {
            Some(s) if s < left_width => left = true,
            Some(s) if s < width => right = true,
            Some(_) => fixed = true,
            None => {}
        }
        match &e {
            TypedExpr::Func { proc, retset, .. } if *retset || volatile(*proc) => fixed = true,
            TypedExpr::Cast {
                kind: CastKind::Func(proc),
                ..
            } if volatile(*proc) => fixed = true,
            TypedExpr::Aggregate(_) | TypedExpr::Window(_) => fixed = true,
            _ => {}
        }
        e
    });
    match (left, right, fixed) {
        (true, false, false) => Reach::Left,
        (false, true, false) if !nested => Reach::Right,
        _ => Reach::Here,
    }
}

/// `c` with its columns renumbered for the right input (slot `by` becomes 0).
fn shift_down(c: TypedExpr, by: usize) -> TypedExpr {
    map_expr_deep(c, 0, &mut |e, depth| match e {
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

/// One input of a tree of INNER joins: its source and where its row starts.
struct JoinItem<'s> {
    source: &'s FromSource,
    offset: usize,
    width: usize,
}

/// The inputs of the INNER join tree `shape` (at slot `offset`) in FROM order, and its
/// conjuncts (over the whole row) appended to `quals`.
fn flatten_inner<'s>(
    shape: &JoinShape<'s>,
    condition: Option<&TypedExpr>,
    offset: usize,
    items: &mut Vec<JoinItem<'s>>,
    quals: &mut Vec<TypedExpr>,
) {
    for (side, at, width) in [
        (shape.left, offset, shape.left_width),
        (shape.right, offset + shape.left_width, shape.right_width),
    ] {
        match side {
            FromSource::Join {
                kind: JoinKind::Inner,
                left,
                right,
                condition,
                left_width,
                right_width,
            } if !matches!(right.as_ref(), FromSource::Lateral { .. }) => flatten_inner(
                &JoinShape {
                    kind: JoinKind::Inner,
                    left,
                    right,
                    left_width: *left_width,
                    right_width: *right_width,
                },
                condition.as_ref(),
                at,
                items,
                quals,
            ),
            other => items.push(JoinItem {
                source: other,
                offset: at,
                width,
            }),
        }
    }
    quals.extend(
        conjuncts(condition)
            .into_iter()
            .map(|c| shift_up(c, offset)),
    );
}

/// The join of `items` in another order when rule 4 calls for one (`None`: FROM order is
/// kept). Conjuncts that reach the row from inside a subquery keep FROM order.
fn reordered(
    items: &[JoinItem<'_>],
    quals: Vec<TypedExpr>,
    tables: &dyn TableAccess,
) -> Result<Option<Plan>> {
    if items.len() < 3 {
        return Ok(None);
    }
    let item_of = |slot: usize| {
        items
            .iter()
            .position(|i| slot >= i.offset && slot < i.offset + i.width)
    };
    let mut links = Vec::with_capacity(quals.len());
    for q in &quals {
        let Some(slots) = slots_read(q) else {
            return Ok(None);
        };
        // Only equalities connect inputs (what a hash join or an index can use).
        let equality = matches!(q, TypedExpr::Func { proc, args, .. }
            if args.len() == 2 && crate::plan::is_hashable_equality(*proc, args[0].type_oid(), args[1].type_oid()));
        if !equality {
            continue;
        }
        let mut reads: Vec<usize> = slots.into_iter().filter_map(item_of).collect();
        reads.sort_unstable();
        reads.dedup();
        links.push(reads);
    }
    let mut order = vec![0];
    let mut left: Vec<usize> = (1..items.len()).collect();
    while !left.is_empty() {
        let connected = left.iter().position(|&candidate| {
            links.iter().any(|l| {
                l.contains(&candidate)
                    && l.len() > 1
                    && l.iter().all(|i| *i == candidate || order.contains(i))
            })
        });
        order.push(left.remove(connected.unwrap_or(0)));
    }
    if order.windows(2).all(|w| w[0] < w[1]) {
        return Ok(None);
    }
    // New slot of each FROM-order slot.
    let total: usize = items.iter().map(|i| i.width).sum();
    let mut new_slot = vec![0; total];
    let mut at = 0;
    for &i in &order {
        for k in 0..items[i].width {
            new_slot[items[i].offset + k] = at + k;
        }
        at += items[i].width;
    }
    let mut tree: Option<(FromSource, usize)> = None;
    for &i in &order {
        let item = &items[i];
        tree = Some(match tree {
            None => (item.source.clone(), item.width),
            Some((left, width)) => (
                FromSource::Join {
                    kind: JoinKind::Inner,
                    left: Box::new(left),
                    right: Box::new(item.source.clone()),
                    condition: None,
                    left_width: width,
                    right_width: item.width,
                },
                width + item.width,
            ),
        });
    }
    let (tree, _) = tree.expect("three or more inputs");
    let quals = quals
        .into_iter()
        .map(|q| remap_columns(q, &new_slot))
        .collect();
    let FromSource::Join {
        left,
        right,
        left_width,
        right_width,
        ..
    } = &tree
    else {
        unreachable!("built as a join")
    };
    let shape = JoinShape {
        kind: JoinKind::Inner,
        left,
        right,
        left_width: *left_width,
        right_width: *right_width,
    };
    let plan = plan_join_in_order(shape, quals, tables)?;
    Ok(Some(Plan::ProjectSet {
        input: Box::new(plan),
        exprs: new_slot
            .iter()
            .map(|&slot| TypedExpr::Column {
                index: slot,
                type_oid: Oid::INVALID,
                typmod: -1,
                location: usize::MAX,
            })
            .collect(),
    }))
}

/// [`plan_join`] for a tree already in the order wanted (each inner join's left input
/// planned the same way), without looking for another order.
fn plan_join_in_order(
    shape: JoinShape<'_>,
    quals: Vec<TypedExpr>,
    tables: &dyn TableAccess,
) -> Result<Plan> {
    plan_join_placed(shape, None, quals, tables, false)
}

/// The FROM-row slots `e` reads at its own level; `None` if a subquery in it reads them.
fn slots_read(e: &TypedExpr) -> Option<Vec<usize>> {
    let mut slots = Vec::new();
    let mut nested = false;
    map_expr_deep(e.clone(), 0, &mut |e, depth| {
        match &e {
            TypedExpr::Column { index, .. } if depth == 0 => slots.push(*index),
            TypedExpr::OuterColumn { levels_up, .. } if depth > 0 && *levels_up == depth => {
                nested = true
            }
            _ => {}
        }
        e
    });
    (!nested).then_some(slots)
}

/// `e` with its columns at this level renumbered through `new_slot`.
fn remap_columns(e: TypedExpr, new_slot: &[usize]) -> TypedExpr {
    map_expr_deep(e, 0, &mut |e, depth| match e {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } if depth == 0 => TypedExpr::Column {
            index: new_slot[index],
            type_oid,
            typmod,
            location,
        },
        other => other,
    })
}

/// `c` with its columns moved up by `by`.
fn shift_up(c: TypedExpr, by: usize) -> TypedExpr {
    if by == 0 {
        return c;
    }
    crate::index_path::shift_columns_up(c, by)
}
