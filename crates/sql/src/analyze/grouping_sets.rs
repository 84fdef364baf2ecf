//! GROUP BY with grouping sets (`ROLLUP`, `CUBE`, `GROUPING SETS`) and the `GROUPING`
//! operation, as PostgreSQL's `parse_clause.c` / `parse_agg.c` define them (§7.2.4 and
//! §9.21 of its docs).
//!
//! Rules:
//! 1. Every expression named anywhere in GROUP BY is one group key (equal expressions
//!    share it). Each GROUP BY item expands to a list of sets of keys: a plain item to one
//!    set, `ROLLUP (e1..en)` to `(e1..en), (e1..en-1), ..., ()`, `CUBE` to every subset,
//!    `GROUPING SETS (...)` to its items' sets one after another.
//! 2. The query's sets are the cartesian product of its items' lists, each set the union
//!    of one choice per item. `GROUP BY DISTINCT` drops sets equal to an earlier one.
//!    Exactly one set means plain GROUP BY (no grouping sets).
//! 3. A row of the set `s` holds NULL in every key outside `s`; `GROUPING(a, b, ...)` is
//!    the bit mask (first argument most significant) of the arguments outside `s`. Each
//!    distinct `GROUPING` argument list is one column of the aggregated row, after the
//!    keys and before the aggregate results.
//!
//! Entry points: [`Analyzer::expand_grouping_sets`], [`Analyzer::grouping_call`],
//! [`first_grouping`], [`grouping_calls`], [`dependent_columns`] (functional dependency
//! on a primary key).

use tusk_types::{pg_err, Error, Result, SqlState};

use super::expr::Scope;
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::{Expr, GroupingElement};

/// PostgreSQL's limit on the number of grouping sets of one query.
const MAX_GROUPING_SETS: usize = 4096;
/// PostgreSQL's limit on the elements of one CUBE.
const MAX_CUBE_ELEMENTS: usize = 12;

/// Grouping sets of an aggregating query, over its group keys (rule 3).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupingSets {
    /// Each set as indexes into the keys; empty for plain GROUP BY (one set: all keys).
    pub sets: Vec<Vec<usize>>,
    /// Each distinct `GROUPING(...)` argument list as indexes into the keys; call `j`'s
    /// value is column `keys.len() + j` of the aggregated row.
    pub calls: Vec<Vec<usize>>,
}

impl GroupingSets {
    /// The value of `GROUPING` call `call` for a row of set `set` (rule 3).
    pub fn grouping_value(call: &[usize], set: &[usize]) -> i32 {
        call.iter()
            .fold(0, |mask, k| (mask << 1) | i32::from(!set.contains(k)))
    }
}

/// The location of the first `GROUPING` operation in `e` (outside subqueries), if any.
pub(crate) fn first_grouping(e: &TypedExpr) -> Option<usize> {
    if let TypedExpr::GroupingFunc { location, .. } = e {
        return Some(*location);
    }
    let mut found = None;
    let _ = e.clone().map_children(&mut |c| {
        if found.is_none() {
            found = first_grouping(&c);
        }
        Ok(c)
    });
    found
}

/// The distinct argument lists (as key indexes) of the `GROUPING` operations in `exprs`
/// whose arguments are all group keys; the others are reported when regrouped.
pub(crate) fn grouping_calls<'e>(
    exprs: impl Iterator<Item = &'e TypedExpr>,
    keys: &[TypedExpr],
) -> Vec<Vec<usize>> {
    fn visit(e: &TypedExpr, keys: &[TypedExpr], out: &mut Vec<Vec<usize>>) {
        if let TypedExpr::GroupingFunc { args, .. } = e {
            let indexes: Option<Vec<usize>> = args
                .iter()
                .map(|a| keys.iter().position(|k| k.same_as(a)))
                .collect();
            if let Some(indexes) = indexes {
                if !out.contains(&indexes) {
                    out.push(indexes);
                }
            }
            return;
        }
        let _ = e.clone().map_children(&mut |c| {
            visit(&c, keys, out);
            Ok(c)
        });
    }
    let mut out = Vec::new();
    for e in exprs {
        visit(e, keys, &mut out);
    }
    out
}

/// Columns that `exprs` read outside aggregates, that are no group key but belong to a
/// table whose primary key columns are all group keys (in every grouping set):
/// PostgreSQL's functional dependency rule (`check_functional_grouping`). Grouping by
/// them as well changes no group, so the caller adds them as keys.
pub(crate) fn dependent_columns<'e>(
    exprs: impl Iterator<Item = &'e TypedExpr>,
    keys: &[TypedExpr],
    sets: &[Vec<usize>],
    scope: &Scope,
) -> Vec<TypedExpr> {
    let grouped_slot = |slot: usize| {
        keys.iter().enumerate().any(|(k, e)| {
            matches!(e, TypedExpr::Column { index, .. } if *index == slot)
                && sets.iter().all(|s| s.contains(&k))
        })
    };
    let dependent = |slot: usize| {
        scope.items.iter().any(|item| {
            !item.primary_key.is_empty()
                && item
                    .columns
                    .iter()
                    .any(|c| matches!(c.expr, TypedExpr::Column { index, .. } if index == slot))
                && item.primary_key.iter().all(|k| grouped_slot(*k))
        })
    };
    fn visit(e: &TypedExpr, f: &mut dyn FnMut(&TypedExpr)) {
        f(e);
        if let TypedExpr::Window(w) = e {
            let _ = (**w).clone().map_exprs(&mut |c| {
                visit(&c, f);
                Ok(c)
            });
            return;
        }
        let _ = e.clone().map_children(&mut |c| {
            visit(&c, f);
            Ok(c)
        });
    }
    let mut out: Vec<TypedExpr> = Vec::new();
    for e in exprs {
        visit(e, &mut |node| {
            if let TypedExpr::Column { index, .. } = node {
                if !keys.iter().any(|k| k.same_as(node))
                    && !out.iter().any(|k| k.same_as(node))
                    && dependent(*index)
                {
                    out.push(node.clone());
                }
            }
        });
    }
    out
}

impl Analyzer<'_> {
    /// Analyses `GROUPING(args)` over the FROM row.
    ///
    /// Errors: 54023 `GROUPING must have fewer than 32 arguments`; 0A000 for arguments
    /// that are columns of an enclosing query only; the arguments' own errors.
    pub(crate) fn grouping_call(
        &mut self,
        args: &[Expr],
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        if args.len() >= 32 {
            return Err(self.at(
                pg_err!(
                    TOO_MANY_ARGUMENTS,
                    "GROUPING must have fewer than 32 arguments"
                ),
                location,
            ));
        }
        let args = args
            .iter()
            .map(|a| self.analyze_expr(a, scope))
            .collect::<Result<Vec<_>>>()?;
        if !args.is_empty()
            && args
                .iter()
                .all(|a| matches!(a, TypedExpr::OuterColumn { .. }))
        {
            return Err(self.at(
                Error::feature_not_supported("GROUPING of an enclosing query's columns"),
                location,
            ));
        }
        Ok(TypedExpr::GroupingFunc { args, location })
    }

    /// Expands GROUP BY (rules 1 and 2): `key_of` resolves one expression to its key
    /// index. Returns the sets, or an empty list when the query has plain GROUP BY.
    ///
    /// Errors: 54011 `CUBE is limited to 12 elements`; 54001 `too many grouping sets
    /// present (maximum 4096)`; `key_of`'s errors.
    pub(crate) fn expand_grouping_sets(
        &mut self,
        items: &[GroupingElement],
        distinct: bool,
        key_of: &mut dyn FnMut(&mut Self, &Expr) -> Result<usize>,
    ) -> Result<Vec<Vec<usize>>> {
        let mut product: Vec<Vec<usize>> = vec![Vec::new()];
        for item in items {
            let sets = self.element_sets(item, key_of)?;
            if product.len().saturating_mul(sets.len()) > MAX_GROUPING_SETS {
                return Err(Error::new(
                    SqlState::STATEMENT_TOO_COMPLEX,
                    "too many grouping sets present (maximum 4096)",
                ));
            }
            let mut next = Vec::with_capacity(product.len() * sets.len());
            for left in &product {
                for right in &sets {
                    let mut set = left.clone();
                    for k in right {
                        if !set.contains(k) {
                            set.push(*k);
                        }
                    }
                    next.push(set);
                }
            }
            product = next;
        }
        if distinct {
            let mut seen: Vec<Vec<usize>> = Vec::with_capacity(product.len());
            product.retain(|set| {
                let mut sorted = set.clone();
                sorted.sort_unstable();
                if seen.contains(&sorted) {
                    false
                } else {
                    seen.push(sorted);
                    true
                }
            });
        }
        if product.len() == 1 {
            return Ok(Vec::new());
        }
        Ok(product)
    }

    /// The sets one GROUP BY item stands for (rule 1).
    fn element_sets(
        &mut self,
        item: &GroupingElement,
        key_of: &mut dyn FnMut(&mut Self, &Expr) -> Result<usize>,
    ) -> Result<Vec<Vec<usize>>> {
        let mut list = |this: &mut Self, exprs: &[Expr]| -> Result<Vec<usize>> {
            let mut set = Vec::with_capacity(exprs.len());
            for e in exprs {
                let k = key_of(this, e)?;
                if !set.contains(&k) {
                    set.push(k);
                }
            }
            Ok(set)
        };
        Ok(match item {
            GroupingElement::Simple(exprs) => vec![list(self, exprs)?],
            GroupingElement::Rollup(elements, _) => {
                let parts = elements
                    .iter()
                    .map(|e| list(self, e))
                    .collect::<Result<Vec<_>>>()?;
                (0..=parts.len())
                    .rev()
                    .map(|n| union(&parts[..n]))
                    .collect()
            }
            GroupingElement::Cube(elements, location) => {
                if elements.len() > MAX_CUBE_ELEMENTS {
                    return Err(self.at(
                        pg_err!(TOO_MANY_COLUMNS, "CUBE is limited to 12 elements"),
                        *location,
                    ));
                }
                let parts = elements
                    .iter()
                    .map(|e| list(self, e))
                    .collect::<Result<Vec<_>>>()?;
                let n = parts.len();
                let mut masks: Vec<u32> = (0..1u32 << n).collect();
                // Larger sets first, each size in the elements' order.
                masks.sort_by_key(|m| (std::cmp::Reverse(m.count_ones()), m.reverse_bits()));
                masks
                    .into_iter()
                    .map(|m| {
                        let chosen: Vec<Vec<usize>> = (0..n)
                            .filter(|i| m & (1 << i) != 0)
                            .map(|i| parts[i].clone())
                            .collect();
                        union(&chosen)
                    })
                    .collect()
            }
            GroupingElement::Sets(items, _) => {
                let mut out = Vec::new();
                for i in items {
                    out.extend(self.element_sets(i, key_of)?);
                    if out.len() > MAX_GROUPING_SETS {
                        return Err(Error::new(
                            SqlState::STATEMENT_TOO_COMPLEX,
                            "too many grouping sets present (maximum 4096)",
                        ));
                    }
                }
                out
            }
        })
    }
}

/// The union of `parts`, in order of first appearance.
fn union(parts: &[Vec<usize>]) -> Vec<usize> {
    let mut set = Vec::new();
    for p in parts {
        for k in p {
            if !set.contains(k) {
                set.push(*k);
            }
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_value_marks_arguments_outside_the_set() {
        assert_eq!(GroupingSets::grouping_value(&[0, 1], &[0, 1]), 0);
        assert_eq!(GroupingSets::grouping_value(&[0, 1], &[0]), 1);
        assert_eq!(GroupingSets::grouping_value(&[0, 1], &[1]), 2);
        assert_eq!(GroupingSets::grouping_value(&[0, 1], &[]), 3);
        assert_eq!(GroupingSets::grouping_value(&[1, 1, 0], &[0]), 6);
    }

    #[test]
    fn union_keeps_first_appearance() {
        assert_eq!(union(&[vec![2, 0], vec![0, 1]]), vec![2, 0, 1]);
        assert!(union(&[]).is_empty());
    }
}
