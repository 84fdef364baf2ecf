//! Expression indexes and partial indexes (PostgreSQL's `ii_Expressions` and
//! `ii_Predicate`): the expressions an index's key columns compute from a table row
//! (`pg_index.indkey` entry 0) and the predicate a row must satisfy to be indexed.
//!
//! Rules:
//! 1. Expressions and predicates are analysed over the table's row and must be immutable
//!    (42P17): an index entry is computed once, when the row version is written, and
//!    read back by scans and unique checks much later.
//! 2. `pg_index.indexprs` keeps the expressions as SQL text, ruleutils' plain form
//!    joined by `, ` (`lower((email)::text), (a + b)`); `indpred` keeps the predicate in
//!    the same form. Both parse back to the same expressions (see
//!    `tusk_executor::deparse`), which is how the relation cache reopens them.
//! 3. A row is indexed only when the predicate is true for it (NULL and false leave it
//!    out); unique checks then compare only rows that are indexed.
//! 4. An UPDATE that changes a column an expression or the predicate reads is not HOT.
//! 5. Expressions are evaluated without a session: only built-in immutable functions
//!    (user-defined functions in index expressions are refused at CREATE INDEX with
//!    0A000). They are compiled for each evaluation: compiled expressions cannot be
//!    shared between threads, and these live in the relation cache.
//!
//! Entry points: [`IndexExpressions`], [`index_key`].

use tusk_executor::{EvalContext, ExprEvaluator, NoTables, OutputSettings, SessionContext};
use tusk_sql::analyze::walk::map_expr_deep;
use tusk_sql::analyze::TypedExpr;
use tusk_types::{Datum, Result};

/// The compiled expressions and predicate of one index.
pub struct IndexExpressions {
    exprs: Vec<TypedExpr>,
    predicate: Option<TypedExpr>,
    columns: Vec<i16>,
}

impl std::fmt::Debug for IndexExpressions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexExpressions")
            .field("exprs", &self.exprs)
            .field("predicate", &self.predicate)
            .finish()
    }
}

/// The session an index expression runs in: none (rule 5).
struct NoSession;

impl SessionContext for NoSession {
    fn setting(&self, name: &str) -> Result<String> {
        Err(tusk_types::Error::feature_not_supported(format!(
            "reading setting \"{name}\" in an index expression"
        )))
    }
    fn set_setting(&mut self, name: &str, _: &str, _: bool) -> Result<String> {
        Err(tusk_types::Error::feature_not_supported(format!(
            "setting \"{name}\" in an index expression"
        )))
    }
    fn check_interrupts(&self) -> Result<()> {
        Ok(())
    }
    fn sleep(&self, _: u64) -> Result<()> {
        Ok(())
    }
    fn clock_now(&self) -> i64 {
        0
    }
}

/// `expr` evaluated over `row` without a session (rule 5).
pub(crate) fn evaluate(expr: &TypedExpr, row: &[Datum]) -> Result<Datum> {
    let expr = ExprEvaluator::compile(expr)?;
    let output = OutputSettings::default();
    let mut session = NoSession;
    let mut ctx = EvalContext {
        modifying_ctes: Default::default(),
        session: &mut session,
        output: &output,
        statement_start: 0,
        transaction_start: 0,
        current_user: "",
        session_user: "",
        database: "",
        backend_pid: 0,
        params: &[],
        tables: &NoTables,
    };
    expr.eval(&mut ctx, row)
}

/// The table attribute numbers (1-based, ascending, no repeats) `e` reads.
pub fn referenced_attnums(e: &TypedExpr) -> Vec<i16> {
    let mut found = Vec::new();
    map_expr_deep(e.clone(), 0, &mut |e, depth| {
        if let TypedExpr::Column { index, .. } = &e {
            if depth == 0 {
                found.push(*index as i16 + 1);
            }
        }
        e
    });
    found.sort_unstable();
    found.dedup();
    found
}

impl IndexExpressions {
    /// The expressions of an index's expression columns (in key order) and its
    /// predicate, both over the table's row, checked to compile.
    ///
    /// Errors: 0A000 for a function tusk cannot evaluate.
    pub fn new(exprs: Vec<TypedExpr>, predicate: Option<TypedExpr>) -> Result<IndexExpressions> {
        for e in exprs.iter().chain(predicate.as_ref()) {
            ExprEvaluator::compile(e)?;
        }
        let mut columns: Vec<i16> = exprs
            .iter()
            .chain(predicate.as_ref())
            .flat_map(referenced_attnums)
            .collect();
        columns.sort_unstable();
        columns.dedup();
        Ok(IndexExpressions {
            exprs,
            predicate,
            columns,
        })
    }

    /// The expressions of the expression columns, in key order.
    pub fn exprs(&self) -> &[TypedExpr] {
        &self.exprs
    }

    /// The predicate of a partial index.
    pub fn predicate(&self) -> Option<&TypedExpr> {
        self.predicate.as_ref()
    }

    /// Table attributes the expressions and the predicate read (rule 4).
    pub fn columns(&self) -> &[i16] {
        &self.columns
    }

    /// Whether `row` is indexed (rule 3).
    ///
    /// Errors: those of evaluating the predicate.
    pub fn covers(&self, row: &[Datum]) -> Result<bool> {
        match &self.predicate {
            Some(p) => Ok(evaluate(p, row)? == Datum::Bool(true)),
            None => Ok(true),
        }
    }
}

/// The index key of a table row for key columns `attnums` (1-based; 0 takes the next
/// of `expressions`' expressions).
///
/// Errors: those of evaluating the expressions.
pub fn index_key(
    attnums: &[i16],
    expressions: Option<&IndexExpressions>,
    row: &[Datum],
) -> Result<Vec<Datum>> {
    let mut next = 0;
    attnums
        .iter()
        .map(|&a| {
            if a == 0 {
                let e = expressions
                    .and_then(|x| x.exprs.get(next))
                    .ok_or_else(|| tusk_types::Error::internal("index expression missing"))?;
                next += 1;
                evaluate(e, row)
            } else {
                Ok(row.get(a as usize - 1).cloned().unwrap_or(Datum::Null))
            }
        })
        .collect()
}

/// Whether `row` is indexed by an index with `expressions` (rule 3).
///
/// Errors: those of evaluating the predicate.
pub fn row_is_indexed(expressions: Option<&IndexExpressions>, row: &[Datum]) -> Result<bool> {
    expressions.map_or(Ok(true), |x| x.covers(row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::type_oid;

    fn column(index: usize) -> TypedExpr {
        TypedExpr::Column {
            index,
            type_oid: type_oid::INT4,
            typmod: -1,
            location: 0,
        }
    }

    fn plus(l: TypedExpr, r: TypedExpr, name: &str) -> TypedExpr {
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
    fn keys_mix_columns_and_expressions_and_predicates_filter_rows() {
        let zero = TypedExpr::Const {
            value: Datum::Int4(0),
            type_oid: type_oid::INT4,
            typmod: -1,
            location: 0,
        };
        let x = IndexExpressions::new(
            vec![plus(column(0), column(1), "+")],
            Some(plus(column(2), zero, ">")),
        )
        .expect("compiles");
        assert_eq!(x.columns(), &[1, 2, 3]);
        let row = [Datum::Int4(2), Datum::Int4(3), Datum::Int4(1)];
        assert_eq!(
            index_key(&[2, 0], Some(&x), &row).expect("key"),
            vec![Datum::Int4(3), Datum::Int4(5)]
        );
        assert!(x.covers(&row).expect("predicate"));
        let excluded = [Datum::Int4(2), Datum::Int4(3), Datum::Null];
        assert!(!x.covers(&excluded).expect("predicate"));
        assert!(row_is_indexed(None, &excluded).expect("no predicate"));
    }
}
