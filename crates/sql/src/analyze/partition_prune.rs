//! Plan-time partition pruning's input: the conditions of a SELECT's WHERE on one
//! relation's columns compared with constants, as PostgreSQL's `gen_partprune_steps`
//! reads them from the restriction clauses.
//!
//! Only what is certain survives: conjuncts of the top-level AND (and ORs of such
//! conditions), each `column op literal` or `literal op column` with `op` one of `=`,
//! `<`, `<=`, `>`, `>=`, `column IN (literal, ...)` and `column BETWEEN literal AND
//! literal`; the column is unqualified or qualified by the name the relation has in
//! FROM. The catalog decides which partitions can hold rows that satisfy the result
//! ([`super::CatalogLookup::partitions_to_scan`]); anything else written in WHERE
//! prunes nothing.
//!
//! Entry point: [`prune_conditions`].

use crate::ast::{Expr, Literal};

/// A comparison operator pruning understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PruneOp {
    /// `=`.
    Eq,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl PruneOp {
    fn parse(name: &str) -> Option<PruneOp> {
        Some(match name {
            "=" => PruneOp::Eq,
            "<" => PruneOp::Lt,
            "<=" => PruneOp::Le,
            ">" => PruneOp::Gt,
            ">=" => PruneOp::Ge,
            _ => return None,
        })
    }

    /// The operator with its operands swapped (`5 < a` is `a > 5`).
    fn commuted(self) -> PruneOp {
        match self {
            PruneOp::Eq => PruneOp::Eq,
            PruneOp::Lt => PruneOp::Gt,
            PruneOp::Le => PruneOp::Ge,
            PruneOp::Gt => PruneOp::Lt,
            PruneOp::Ge => PruneOp::Le,
        }
    }
}

/// What rows of the relation must satisfy.
#[derive(Debug, Clone, PartialEq)]
pub enum PruneCondition {
    /// Every one of these.
    And(Vec<PruneCondition>),
    /// At least one of these.
    Or(Vec<PruneCondition>),
    /// `column op value`, the value as the literal's text (read with the column's type).
    Compare {
        /// The column's name.
        column: String,
        /// The operator.
        op: PruneOp,
        /// The literal's text.
        value: String,
    },
}

fn literal_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Const(Literal::Integer(i), _) => Some(i.to_string()),
        Expr::Const(Literal::Numeric(n), _) => Some(n.clone()),
        Expr::Const(Literal::String(s), _) => Some(s.clone()),
        Expr::Const(Literal::Bool(b), _) => Some(b.to_string()),
        _ => None,
    }
}

fn column_of(e: &Expr, names: &[&str]) -> Option<String> {
    match e {
        Expr::Column(parts, _) => match parts.as_slice() {
            [column] => Some(column.clone()),
            [relation, column] if names.contains(&relation.as_str()) => Some(column.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn condition(e: &Expr, names: &[&str]) -> Option<PruneCondition> {
    match e {
        Expr::And(items) => {
            let parts: Vec<PruneCondition> =
                items.iter().filter_map(|i| condition(i, names)).collect();
            (!parts.is_empty()).then_some(PruneCondition::And(parts))
        }
        Expr::Or(items) => {
            // Every arm must say something, or the OR says nothing.
            let parts: Option<Vec<PruneCondition>> =
                items.iter().map(|i| condition(i, names)).collect();
            parts.map(PruneCondition::Or)
        }
        Expr::Op {
            name,
            left: Some(left),
            right,
            ..
        } => {
            let op = PruneOp::parse(name)?;
            if let (Some(column), Some(value)) = (column_of(left, names), literal_text(right)) {
                return Some(PruneCondition::Compare { column, op, value });
            }
            let (column, value) = (column_of(right, names)?, literal_text(left)?);
            Some(PruneCondition::Compare {
                column,
                op: op.commuted(),
                value,
            })
        }
        Expr::InList {
            expr,
            list,
            negated: false,
            ..
        } => {
            let column = column_of(expr, names)?;
            let arms: Option<Vec<PruneCondition>> = list
                .iter()
                .map(|v| {
                    Some(PruneCondition::Compare {
                        column: column.clone(),
                        op: PruneOp::Eq,
                        value: literal_text(v)?,
                    })
                })
                .collect();
            arms.map(PruneCondition::Or)
        }
        Expr::Between {
            expr,
            low,
            high,
            negated: false,
            symmetric: false,
            ..
        } => {
            let column = column_of(expr, names)?;
            Some(PruneCondition::And(vec![
                PruneCondition::Compare {
                    column: column.clone(),
                    op: PruneOp::Ge,
                    value: literal_text(low)?,
                },
                PruneCondition::Compare {
                    column,
                    op: PruneOp::Le,
                    value: literal_text(high)?,
                },
            ]))
        }
        _ => None,
    }
}

/// The conditions `filter` (a WHERE clause) puts on the columns of the relation that
/// FROM calls one of `names`; `None` when it puts none pruning understands.
pub fn prune_conditions(filter: &Expr, names: &[&str]) -> Option<PruneCondition> {
    condition(filter, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conditions(sql_where: &str) -> Option<PruneCondition> {
        let e = crate::parse_expr(sql_where).expect("parses");
        prune_conditions(&e, &["t"])
    }

    #[test]
    fn comparisons_with_literals_become_conditions() {
        assert_eq!(
            conditions("a = 5"),
            Some(PruneCondition::Compare {
                column: "a".into(),
                op: PruneOp::Eq,
                value: "5".into()
            })
        );
        assert_eq!(
            conditions("10 > t.a"),
            Some(PruneCondition::Compare {
                column: "a".into(),
                op: PruneOp::Lt,
                value: "10".into()
            })
        );
        assert!(matches!(conditions("a in (1, 2)"), Some(PruneCondition::Or(v)) if v.len() == 2));
        assert!(
            matches!(conditions("a = 1 and b < 'x' and f(a)"), Some(PruneCondition::And(v)) if v.len() == 2)
        );
    }

    #[test]
    fn conditions_pruning_cannot_use_say_nothing() {
        assert_eq!(conditions("a = 1 or f(a)"), None);
        assert_eq!(conditions("u.a = 1"), None);
        assert_eq!(conditions("a = b"), None);
        assert_eq!(conditions("a not in (1, 2)"), None);
    }
}
