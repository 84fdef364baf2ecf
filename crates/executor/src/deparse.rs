//! Stored expressions as text, the way PostgreSQL's `ruleutils.c` prints them: plainly
//! (every operator in parentheses, what `pg_index.indexprs` and `indpred` keep and what
//! `pg_get_indexdef(index)` shows) or pretty (`pg_get_indexdef(index, 0, true)`, psql's
//! `\d`): parentheses only where `isSimpleNode` says the parent needs them.
//!
//! Rules (pretty form):
//! 1. A node prints without parentheses of its own; its parent adds them unless the
//!    node is simple there: columns, constants and function-like calls always are; a
//!    cast is when its operand is; an operator under an arithmetic operator is when it
//!    binds tighter (`*` under `+`), or equally tight as the left operand; operators,
//!    NULL tests and boolean tests under AND/OR/NOT or as function arguments are; AND/NOT
//!    under AND/OR and OR under OR are.
//! 2. Function arguments are never parenthesised (commas separate them).
//! 3. An index column that is not a function-like call is wrapped in parentheses
//!    (`(a + b)`, ruleutils' `looks_like_function`).
//!
//! Entry points: [`expression_text`], [`index_column_text`].

use tusk_catalog::OperatorKind;
use tusk_sql::analyze::TypedExpr;

use crate::explain::{constant, operator_of, proc_name};
use crate::io::format_type;

/// Where a node is printed (its parent in `isSimpleNode`'s sense).
#[derive(Clone, Copy, PartialEq)]
enum Parent<'a> {
    /// An operator's operand: its name and whether the node is the left operand.
    Operator(&'a str, bool),
    /// An operand of AND (`true`) or OR (`false`).
    Bool(bool),
    /// NOT's operand.
    Not,
    /// A cast's operand.
    Cast,
    /// Anything else (NULL tests, comparisons in other positions).
    Other,
}

/// `e` over a row whose columns print as `columns` (already quoted): `pretty` as
/// `ruleutils.c` with `PRETTYFLAG_PAREN` (module rules), else fully parenthesised.
pub fn expression_text(e: &TypedExpr, columns: &[String], pretty: bool) -> String {
    if pretty {
        pretty_text(e, columns)
    } else {
        crate::explain::expression_text(e, columns)
    }
}

/// The text of an index key column computed by `e` (rule 3).
pub fn index_column_text(e: &TypedExpr, columns: &[String], pretty: bool) -> String {
    let text = expression_text(e, columns, pretty);
    if looks_like_function(e) {
        text
    } else {
        format!("({text})")
    }
}

/// ruleutils' `looks_like_function`: a plain function call (not an operator or a cast),
/// COALESCE, GREATEST/LEAST, NULLIF or an SQL value function.
fn looks_like_function(e: &TypedExpr) -> bool {
    match e {
        TypedExpr::Func { proc, .. } => operator_of(*proc).is_none(),
        TypedExpr::Coalesce { .. }
        | TypedExpr::MinMax { .. }
        | TypedExpr::NullIf { .. }
        | TypedExpr::SqlValue { .. } => true,
        _ => false,
    }
}

fn is_operator(e: &TypedExpr) -> Option<(&'static str, OperatorKind)> {
    match e {
        TypedExpr::Func { proc, args, .. } => operator_of(*proc).filter(|(_, kind)| match kind {
            OperatorKind::Binary => args.len() == 2,
            _ => args.len() == 1,
        }),
        _ => None,
    }
}

/// Rule 1: whether `e` needs no parentheses under `parent`.
fn is_simple(e: &TypedExpr, parent: Parent<'_>) -> bool {
    match e {
        TypedExpr::Column { .. } | TypedExpr::Const { .. } | TypedExpr::Param { .. } => true,
        TypedExpr::Cast { arg, .. } => is_simple(arg, Parent::Cast),
        TypedExpr::Func { .. } if is_operator(e).is_none() => true,
        TypedExpr::Coalesce { .. }
        | TypedExpr::MinMax { .. }
        | TypedExpr::NullIf { .. }
        | TypedExpr::Array { .. }
        | TypedExpr::Row { .. }
        | TypedExpr::Subscript { .. }
        | TypedExpr::SqlValue { .. }
        | TypedExpr::Case { .. }
        | TypedExpr::Aggregate(_)
        | TypedExpr::Window(_) => true,
        TypedExpr::Func { .. } => {
            let (op, _) = is_operator(e).expect("an operator");
            if let Parent::Operator(parent_op, left) = parent {
                let low = |o: &str| matches!(o, "+" | "-");
                let high = |o: &str| matches!(o, "*" | "/" | "%");
                if (low(op) || high(op)) && (low(parent_op) || high(parent_op)) {
                    if high(op) && low(parent_op) {
                        return true;
                    }
                    if low(op) && high(parent_op) {
                        return false;
                    }
                    return left;
                }
                return false;
            }
            matches!(parent, Parent::Bool(_) | Parent::Not)
        }
        TypedExpr::NullTest { .. } | TypedExpr::BoolTest { .. } | TypedExpr::Distinct { .. } => {
            matches!(parent, Parent::Bool(_) | Parent::Not)
        }
        TypedExpr::And(_) | TypedExpr::Not(_) => matches!(parent, Parent::Bool(_)),
        TypedExpr::Or(_) => parent == Parent::Bool(false),
        _ => false,
    }
}

fn paren(e: &TypedExpr, parent: Parent<'_>, columns: &[String]) -> String {
    let text = pretty_text(e, columns);
    if is_simple(e, parent) {
        text
    } else {
        format!("({text})")
    }
}

fn pretty_text(e: &TypedExpr, columns: &[String]) -> String {
    match e {
        TypedExpr::Const {
            value, type_oid, ..
        } => constant(value, *type_oid),
        TypedExpr::Column { index, .. } => columns
            .get(*index)
            .cloned()
            .unwrap_or_else(|| "?column?".into()),
        TypedExpr::Func { proc, args, .. } => match (is_operator(e), args.as_slice()) {
            (Some((op, OperatorKind::Binary)), [l, r]) => format!(
                "{} {op} {}",
                paren(l, Parent::Operator(op, true), columns),
                paren(r, Parent::Operator(op, false), columns)
            ),
            (Some((op, _)), [a]) => {
                format!("{op} {}", paren(a, Parent::Operator(op, false), columns))
            }
            _ => {
                let args: Vec<String> = args.iter().map(|a| pretty_text(a, columns)).collect();
                format!("{}({})", proc_name(*proc), args.join(", "))
            }
        },
        TypedExpr::Cast { arg, target, .. } => {
            format!(
                "{}::{}",
                paren(arg, Parent::Cast, columns),
                format_type(*target)
            )
        }
        TypedExpr::And(items) | TypedExpr::Or(items) => {
            let and = matches!(e, TypedExpr::And(_));
            let parts: Vec<String> = items
                .iter()
                .map(|i| paren(i, Parent::Bool(and), columns))
                .collect();
            parts.join(if and { " AND " } else { " OR " })
        }
        TypedExpr::Not(arg) => format!("NOT {}", paren(arg, Parent::Not, columns)),
        TypedExpr::NullTest { arg, is_null } => format!(
            "{} IS {}NULL",
            paren(arg, Parent::Other, columns),
            if *is_null { "" } else { "NOT " }
        ),
        TypedExpr::BoolTest { arg, kind } => {
            let test = kind.sql();
            format!("{} {test}", paren(arg, Parent::Other, columns))
        }
        // Other nodes print as the plain form does; only the outermost parentheses go.
        other => {
            let text = crate::explain::expression_text(other, columns);
            match (text.strip_prefix('('), text.strip_suffix(')')) {
                (Some(_), Some(_)) if balanced(&text[1..text.len() - 1]) => {
                    text[1..text.len() - 1].to_string()
                }
                _ => text,
            }
        }
    }
}

/// Whether the parentheses of `s` balance (outside string literals), so the parentheses
/// around it belong together.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::{type_oid, Datum};

    fn column(index: usize) -> TypedExpr {
        TypedExpr::Column {
            index,
            type_oid: type_oid::INT4,
            typmod: -1,
            location: 0,
        }
    }

    fn int(v: i32) -> TypedExpr {
        TypedExpr::Const {
            value: Datum::Int4(v),
            type_oid: type_oid::INT4,
            typmod: -1,
            location: 0,
        }
    }

    fn op(name: &str, l: TypedExpr, r: TypedExpr) -> TypedExpr {
        let o = tusk_catalog::builtin()
            .operators_by_name(name)
            .find(|o| o.left == type_oid::INT4 && o.right == type_oid::INT4)
            .expect("int4 operator");
        TypedExpr::Func {
            proc: o.proc,
            args: vec![l, r],
            ret: o.result,
            strict: true,
            retset: false,
        }
    }

    #[test]
    fn pretty_text_keeps_only_needed_parentheses() {
        let cols = vec!["a".to_string(), "b".to_string()];
        // (a + 1) * 2 > 3 OR b < 5
        let e = TypedExpr::Or(vec![
            op(">", op("*", op("+", column(0), int(1)), int(2)), int(3)),
            op("<", column(1), int(5)),
        ]);
        assert_eq!(
            expression_text(&e, &cols, true),
            "((a + 1) * 2) > 3 OR b < 5"
        );
        assert_eq!(
            expression_text(&e, &cols, false),
            "((((a + 1) * 2) > 3) OR (b < 5))"
        );
        let sum = op("+", column(0), op("*", column(1), int(2)));
        assert_eq!(index_column_text(&sum, &cols, true), "(a + b * 2)");
        assert_eq!(index_column_text(&sum, &cols, false), "((a + (b * 2)))");
        let and = TypedExpr::And(vec![
            op(">", column(0), int(0)),
            TypedExpr::NullTest {
                arg: Box::new(column(1)),
                is_null: false,
            },
        ]);
        assert_eq!(
            expression_text(&and, &cols, true),
            "a > 0 AND b IS NOT NULL"
        );
    }
}
