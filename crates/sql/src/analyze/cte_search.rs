//! SEARCH and CYCLE clauses of a recursive CTE (PostgreSQL's `rewriteSearchAndCycle`):
//! columns added to both terms of the recursive union.
//!
//! ```text
//!                      non-recursive term          recursive term (w: the work table)
//! SEARCH DEPTH FIRST   ARRAY[ROW(cols)]            w.seq || ARRAY[ROW(cols)]
//! SEARCH BREADTH FIRST ROW(0::int8, cols)          ROW((w.seq).depth + 1, cols)
//! CYCLE mark           DEFAULT                     CASE WHEN ROW(cols) = ANY(w.path)
//!                                                  THEN TO ELSE DEFAULT END
//! CYCLE path           ARRAY[ROW(cols)]            w.path || ARRAY[ROW(cols)]
//!                                                  and WHERE w.mark <> TO
//! ```
//!
//! The added columns follow the CTE's own; inside the recursive term they can be named
//! but `*` leaves them out (they are hidden columns of the work table reference), so the
//! recursive term's own targets stay the CTE's columns and the added ones are appended
//! after its analysis.
//!
//! Entry points: [`Analyzer::search_cycle_columns`], [`Analyzer::extend_terms`].

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::coerce::CoercionContext;
use super::expr::Scope;
use super::select::{OutputColumn, Query};
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::{CommonTableExpr, Expr, FromItem, ResTarget, SelectStmt};

/// `record[]`.
const RECORD_ARRAY: Oid = Oid(2287);

/// The columns a SEARCH and a CYCLE clause add, validated.
pub(crate) struct SearchCycle {
    /// SEARCH: BREADTH FIRST, and the positions of the columns searched by.
    search: Option<(bool, Vec<usize>)>,
    /// CYCLE: the positions of the cycle columns, the TO and DEFAULT marks.
    cycle: Option<(Vec<usize>, TypedExpr, TypedExpr)>,
    /// The added columns, in order (sequence, mark, path).
    pub columns: Vec<OutputColumn>,
}

impl Analyzer<'_> {
    /// Checks SEARCH and CYCLE against the CTE's columns and types the added columns.
    ///
    /// Errors: 42601 for a column not in the CTE's list or an added column's name
    /// already used; 42701 for a column listed twice; 42804 when TO and DEFAULT have
    /// no common type; 42883 when the mark's type has no equality operator.
    pub(crate) fn search_cycle_columns(
        &mut self,
        cte: &CommonTableExpr,
        columns: &[OutputColumn],
    ) -> Result<SearchCycle> {
        let mut out = SearchCycle {
            search: None,
            cycle: None,
            columns: Vec::new(),
        };
        let position = |this: &Self, what: &str, name: &str, at: usize| -> Result<usize> {
            columns.iter().position(|c| c.name == name).ok_or_else(|| {
                this.at(
                    pg_err!(
                        SYNTAX_ERROR,
                        "{} column \"{}\" not in WITH query column list",
                        what,
                        name
                    ),
                    at,
                )
            })
        };
        let positions = |this: &Self, what: &str, names: &[String], at: usize| {
            let mut out = Vec::with_capacity(names.len());
            for n in names {
                let p = position(this, what, n, at)?;
                if out.contains(&p) {
                    return Err(this.at(
                        pg_err!(
                            DUPLICATE_COLUMN,
                            "{} column \"{}\" specified more than once",
                            what,
                            n
                        ),
                        at,
                    ));
                }
                out.push(p);
            }
            Ok(out)
        };
        let used = |this: &Self, what: &str, name: &str, at: usize| -> Result<()> {
            if columns.iter().any(|c| c.name == name) {
                return Err(this.at(
                    pg_err!(
                        SYNTAX_ERROR,
                        "{} column name \"{}\" already used in WITH query column list",
                        what,
                        name
                    ),
                    at,
                ));
            }
            Ok(())
        };
        if let Some(s) = &cte.search {
            let cols = positions(self, "search", &s.columns, s.location)?;
            used(self, "search sequence", &s.sequence_column, s.location)?;
            out.columns.push(OutputColumn {
                name: s.sequence_column.clone(),
                type_oid: if s.breadth_first {
                    type_oid::RECORD
                } else {
                    RECORD_ARRAY
                },
                typmod: -1,
            });
            out.search = Some((s.breadth_first, cols));
        }
        if let Some(c) = &cte.cycle {
            let cols = positions(self, "cycle", &c.columns, c.location)?;
            used(self, "cycle mark", &c.mark_column, c.location)?;
            used(self, "cycle path", &c.path_column, c.location)?;
            if c.mark_column == c.path_column {
                return Err(self.at(
                    pg_err!(
                        SYNTAX_ERROR,
                        "cycle mark column name and cycle path column name are the same"
                    ),
                    c.location,
                ));
            }
            let mark = |this: &mut Self, e: &Option<Expr>, default: bool| match e {
                Some(e) => this.analyze_expr(e, &Scope::default()),
                None => Ok(TypedExpr::Const {
                    value: Datum::Bool(default),
                    type_oid: type_oid::BOOL,
                    typmod: -1,
                    location: usize::MAX,
                }),
            };
            let value = mark(self, &c.mark_value, true)?;
            let default = mark(self, &c.mark_default, false)?;
            let at = c.mark_default.as_ref().map_or(c.location, |e| e.location());
            let (mut both, mark_type) = self.unify(vec![value, default], "CYCLE", at)?;
            if self.comparison_proc("=", mark_type, at).is_err() {
                return Err(Error::new(
                    SqlState::UNDEFINED_FUNCTION,
                    format!(
                        "could not identify an equality operator for type {}",
                        self.catalog.format_type(mark_type)
                    ),
                ));
            }
            let default = both.pop().expect("two marks");
            let value = both.pop().expect("two marks");
            out.columns.push(OutputColumn {
                name: c.mark_column.clone(),
                type_oid: mark_type,
                typmod: -1,
            });
            out.columns.push(OutputColumn {
                name: c.path_column.clone(),
                type_oid: RECORD_ARRAY,
                typmod: -1,
            });
            out.cycle = Some((cols, value, default));
        }
        if let (Some(s), Some(c)) = (&cte.search, &cte.cycle) {
            for (other, what) in [(&c.mark_column, "mark"), (&c.path_column, "path")] {
                if &s.sequence_column == other {
                    return Err(self.at(
                        pg_err!(
                            SYNTAX_ERROR,
                            "search sequence column name and cycle {} column name are the same",
                            what
                        ),
                        s.location,
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Appends the added columns to both terms: `right` was analysed from
    /// [`with_hidden_targets`]'s statement, so its last targets read the work table's
    /// added columns.
    pub(crate) fn extend_terms(
        &mut self,
        added: &SearchCycle,
        left: &mut Query,
        right: &mut Query,
    ) -> Result<()> {
        let n = right.targets.len() - added.columns.len();
        let previous: Vec<TypedExpr> = right.targets.split_off(n);
        right.columns.truncate(n);
        right.target_locations.truncate(n);
        let mut previous = previous.into_iter();
        let row_of = |targets: &[TypedExpr], cols: &[usize]| TypedExpr::Row {
            args: cols.iter().map(|&i| targets[i].clone()).collect(),
            names: (1..=cols.len()).map(|i| format!("f{i}")).collect(),
            type_oid: type_oid::RECORD,
        };
        let array_of = |row: TypedExpr| TypedExpr::Array {
            elements: vec![row],
            elem_type: type_oid::RECORD,
            type_oid: RECORD_ARRAY,
            multidims: false,
        };
        let int8 = |v: i64| TypedExpr::Const {
            value: Datum::Int8(v),
            type_oid: type_oid::INT8,
            typmod: -1,
            location: usize::MAX,
        };
        let push = |q: &mut Query, e: TypedExpr, c: &OutputColumn| {
            q.targets.push(e);
            q.columns.push(c.clone());
            q.target_locations.push(usize::MAX);
        };
        let mut added_columns = added.columns.iter();
        if let Some((breadth_first, cols)) = &added.search {
            let column = added_columns.next().expect("sequence column");
            let seq = previous.next().expect("sequence reference");
            let (first, next) = if *breadth_first {
                let with_depth = |depth: TypedExpr, targets: &[TypedExpr]| {
                    let mut args = vec![depth];
                    args.extend(cols.iter().map(|&i| targets[i].clone()));
                    let mut names = vec!["*DEPTH*".to_string()];
                    names.extend((1..=cols.len()).map(|i| format!("f{i}")));
                    TypedExpr::Row {
                        args,
                        names,
                        type_oid: type_oid::RECORD,
                    }
                };
                let depth = TypedExpr::FieldSelect {
                    arg: Box::new(seq),
                    field: 0,
                    type_oid: type_oid::INT8,
                    typmod: -1,
                };
                let depth = self.make_op("+", Some(depth), int8(1), usize::MAX)?;
                (
                    with_depth(int8(0), &left.targets),
                    with_depth(depth, &right.targets),
                )
            } else {
                let step = array_of(row_of(&right.targets, cols));
                (
                    array_of(row_of(&left.targets, cols)),
                    self.array_cat(seq, step)?,
                )
            };
            push(left, first, column);
            push(right, next, column);
        }
        if let Some((cols, value, default)) = &added.cycle {
            let mark_column = added_columns.next().expect("mark column");
            let path_column = added_columns.next().expect("path column");
            let mark = previous.next().expect("mark reference");
            let path = previous.next().expect("path reference");
            let row = row_of(&right.targets, cols);
            let eq = self.comparison_proc("=", type_oid::RECORD, usize::MAX)?;
            let seen = TypedExpr::ScalarArrayOp {
                proc: eq,
                all: false,
                strict: true,
                left: Box::new(row.clone()),
                right: Box::new(path.clone()),
            };
            let next_mark = TypedExpr::Case {
                arg: None,
                whens: vec![(seen, value.clone())],
                default: Box::new(default.clone()),
                type_oid: mark_column.type_oid,
            };
            let next_path = self.array_cat(path, array_of(row))?;
            let not_closed = self.make_op("<>", Some(mark), value.clone(), usize::MAX)?;
            let not_closed = self.coerce(
                not_closed,
                type_oid::BOOL,
                -1,
                CoercionContext::Implicit,
                usize::MAX,
            )?;
            right.filter = Some(match right.filter.take() {
                Some(f) => TypedExpr::And(vec![f, not_closed]),
                None => not_closed,
            });
            push(left, default.clone(), mark_column);
            push(right, next_mark, mark_column);
            push(left, array_of(row_of(&left.targets, cols)), path_column);
            push(right, next_path, path_column);
        }
        Ok(())
    }
}

impl Analyzer<'_> {
    /// `array_cat(a, b)` of two `record[]` values (PostgreSQL calls it directly: operator
    /// resolution cannot tell `record[] || record[]` from `record[] || record`).
    fn array_cat(&mut self, a: TypedExpr, b: TypedExpr) -> Result<TypedExpr> {
        let f = self
            .catalog
            .functions("array_cat")
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("array_cat missing from the catalog"))?;
        Ok(TypedExpr::Func {
            proc: f.oid,
            args: vec![a, b],
            ret: RECORD_ARRAY,
            strict: f.strict,
            retset: false,
        })
    }
}

/// The recursive term with the work table's added columns appended to its targets
/// (qualified by the self-reference's name), for [`Analyzer::extend_terms`].
///
/// Errors: 0A000 when the self-reference is not an item of the term's FROM (or its
/// joins).
pub(crate) fn with_hidden_targets(
    right: &SelectStmt,
    cte: &CommonTableExpr,
    added: &SearchCycle,
) -> Result<SelectStmt> {
    let shadowed = right
        .with
        .as_ref()
        .is_some_and(|w| w.ctes.iter().any(|c| c.name == cte.name));
    let reference = if shadowed {
        None
    } else {
        right
            .from
            .iter()
            .find_map(|item| self_reference(item, &cte.name))
    };
    let Some(reference) = reference else {
        return Err(Error::new(
            SqlState::FEATURE_NOT_SUPPORTED,
            format!(
                "with a SEARCH or CYCLE clause, the recursive reference to WITH query \"{}\" must be at the top level of its right-hand SELECT",
                cte.name
            ),
        ));
    };
    let mut out = right.clone();
    for c in &added.columns {
        out.targets.push(ResTarget {
            name: None,
            expr: Expr::Column(vec![reference.clone(), c.name.clone()], usize::MAX),
            location: usize::MAX,
        });
    }
    Ok(out)
}

/// The name a FROM item (or a join below it) gives the CTE `name`.
fn self_reference(item: &FromItem, name: &str) -> Option<String> {
    match item {
        FromItem::Relation(rv) if rv.schema.is_none() && rv.name == name => Some(
            rv.alias
                .as_ref()
                .map_or_else(|| rv.name.clone(), |a| a.name.clone()),
        ),
        FromItem::Join(j) => {
            self_reference(&j.left, name).or_else(|| self_reference(&j.right, name))
        }
        _ => None,
    }
}
