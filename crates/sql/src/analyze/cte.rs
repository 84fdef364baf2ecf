//! `WITH [RECURSIVE]`: common table expressions (PostgreSQL's `parse_cte.c`).
//!
//! A non-recursive CTE is analysed once and each reference to it reads its rows as a
//! subquery in FROM would (PostgreSQL 12+ inlines such CTEs too; the difference shows
//! only with volatile functions). A recursive CTE, `non-recursive term UNION [ALL]
//! recursive term`, becomes a [`FromSource::RecursiveUnion`]; inside its recursive term
//! the CTE's name reads the rows of the previous step ([`FromSource::WorkTable`]).
//!
//! CTEs are visible in the query that defines them, in later CTEs of the same WITH, and
//! in subqueries below. Their queries do not see enclosing queries' columns.
//!
//! Entry point: [`Analyzer::with_clause`].

use tusk_types::{pg_err, Result};

use super::select::{FromSource, OutputColumn, Query};
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::{CommonTableExpr, SetOpKind, WithClause};

/// A CTE visible by name.
#[derive(Debug, Clone)]
pub(crate) struct CteEntry {
    /// The name.
    pub name: String,
    /// Output columns (aliases applied).
    pub columns: Vec<OutputColumn>,
    /// How many of the last columns a reference hides from `*` (the SEARCH and CYCLE
    /// columns inside the recursive term).
    pub hidden: usize,
    /// What a reference reads.
    pub body: CteBody,
}

/// What a reference to a CTE reads.
#[derive(Debug, Clone)]
pub(crate) enum CteBody {
    /// Its query's rows.
    Query(Box<Query>),
    /// Inside its own recursive term: the previous step's rows.
    WorkTable {
        /// The recursive union's id.
        id: usize,
        /// Set once a reference was made.
        referenced: bool,
    },
}

impl Analyzer<'_> {
    /// Analyses a WITH clause, making its CTEs visible; returns how many entries to drop
    /// when the query defining them is done.
    ///
    /// Errors: 42P10 for too many column aliases, 42804 when a recursive term changes a
    /// column's type, and every error of the CTE queries.
    pub(crate) fn with_clause(&mut self, with: &WithClause) -> Result<usize> {
        let before = self.ctes.len();
        for cte in &with.ctes {
            let entry = if with.recursive {
                self.recursive_cte(cte)?
            } else {
                self.plain_cte(cte)?
            };
            self.ctes.push(entry);
        }
        Ok(self.ctes.len() - before)
    }

    fn plain_cte(&mut self, cte: &CommonTableExpr) -> Result<CteEntry> {
        let saved = self.pending_outer.take();
        let query = self.analyze_select(&cte.query);
        self.pending_outer = saved;
        let query = query?;
        let columns = self.cte_columns(cte, &query.columns)?;
        if cte.search.is_some() || cte.cycle.is_some() {
            return Err(self.at(
                pg_err!(SYNTAX_ERROR, "WITH query is not recursive"),
                cte.location,
            ));
        }
        Ok(CteEntry {
            name: cte.name.clone(),
            columns,
            hidden: 0,
            body: CteBody::Query(Box::new(query)),
        })
    }

    fn cte_columns(
        &self,
        cte: &CommonTableExpr,
        columns: &[OutputColumn],
    ) -> Result<Vec<OutputColumn>> {
        if cte.columns.len() > columns.len() {
            return Err(self.at(
                pg_err!(
                    INVALID_COLUMN_REFERENCE,
                    "WITH query \"{}\" has {} columns available but {} columns specified",
                    cte.name,
                    columns.len(),
                    cte.columns.len()
                ),
                cte.location,
            ));
        }
        Ok(columns
            .iter()
            .enumerate()
            .map(|(i, c)| OutputColumn {
                name: cte
                    .columns
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| c.name.clone()),
                type_oid: c.type_oid,
                typmod: c.typmod,
            })
            .collect())
    }

    fn recursive_cte(&mut self, cte: &CommonTableExpr) -> Result<CteEntry> {
        let op = match &cte.query.set_op {
            Some(op) if op.op == SetOpKind::Union => op,
            _ => return self.plain_cte(cte),
        };
        let not_implemented = |this: &Self, what: &str, at: usize| {
            Err(this.at(
                tusk_types::Error::new(
                    tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                    format!("{what} in a recursive query is not implemented"),
                ),
                at,
            ))
        };
        if let Some(s) = cte.query.order_by.first() {
            return not_implemented(self, "ORDER BY", s.expr.location());
        }
        if let Some(o) = &cte.query.offset {
            return not_implemented(self, "OFFSET", o.location());
        }
        if let Some(l) = &cte.query.limit {
            return not_implemented(self, "LIMIT", l.location());
        }
        let search_cycle = cte.search.is_some() || cte.cycle.is_some();
        if search_cycle && op.left.set_op.is_some() {
            return Err(tusk_types::Error::new(
                tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                "with a SEARCH or CYCLE clause, the left side of the UNION must be a SELECT",
            ));
        }
        if search_cycle && op.right.set_op.is_some() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "with a SEARCH or CYCLE clause, the right side of the UNION must be a SELECT"
            ));
        }
        if !cte.query.locking.is_empty()
            || !op.left.locking.is_empty()
            || !op.right.locking.is_empty()
        {
            return Err(tusk_types::pg_err!(
                FEATURE_NOT_SUPPORTED,
                "FOR UPDATE/SHARE in a recursive query is not implemented"
            ));
        }
        let saved = self.pending_outer.take();
        let left = self.analyze_select(&op.left);
        self.pending_outer = saved.clone();
        let mut left = left?;
        let mut columns = self.cte_columns(cte, &left.columns)?;
        let added = if search_cycle {
            Some(self.search_cycle_columns(cte, &columns)?)
        } else {
            None
        };
        let hidden = added.as_ref().map_or(0, |a| a.columns.len());
        let right_stmt = match &added {
            Some(a) => {
                columns.extend(a.columns.iter().cloned());
                std::borrow::Cow::Owned(super::cte_search::with_hidden_targets(&op.right, cte, a)?)
            }
            None => std::borrow::Cow::Borrowed(&op.right),
        };
        let id = self.next_cte_id;
        self.next_cte_id += 1;
        self.ctes.push(CteEntry {
            name: cte.name.clone(),
            columns: columns.clone(),
            hidden,
            body: CteBody::WorkTable {
                id,
                referenced: false,
            },
        });
        self.pending_outer = None;
        let right = self.analyze_select(&right_stmt);
        self.pending_outer = saved;
        let entry = self.ctes.pop().expect("pushed above");
        let mut right = right?;
        if let Some(a) = &added {
            if right.columns.len() == left.columns.len() + hidden {
                self.extend_terms(a, &mut left, &mut right)?;
            }
        }
        if right.columns.len() != left.columns.len() {
            let at = right
                .target_locations
                .first()
                .copied()
                .unwrap_or(usize::MAX);
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "each UNION query must have the same number of columns"
                ),
                at,
            ));
        }
        let referenced = matches!(
            entry.body,
            CteBody::WorkTable {
                referenced: true,
                ..
            }
        );
        if !referenced {
            return self.plain_cte(cte);
        }
        // The recursive term must produce the non-recursive term's types.
        for i in 0..left.columns.len() {
            let want = left.columns[i].type_oid;
            let r = std::mem::replace(&mut right.targets[i], placeholder());
            let at = right.target_locations.get(i).copied().unwrap_or(usize::MAX);
            let (both, t) = self.unify(
                vec![TypedExpr::CaseTest { type_oid: want }, r.clone()],
                "UNION",
                at,
            )?;
            if t != want {
                return Err(self.at(
                    pg_err!(
                        DATATYPE_MISMATCH,
                        "recursive query \"{}\" column {} has type {} in non-recursive term but type {} overall",
                        cte.name,
                        i + 1,
                        self.catalog.format_type(want),
                        self.catalog.format_type(t)
                    )
                    .hint("Cast the output of the non-recursive term to the correct type."),
                    left.target_locations.get(i).copied().unwrap_or(usize::MAX),
                ));
            }
            right.targets[i] = both.into_iter().nth(1).expect("two inputs");
            right.columns[i].type_oid = want;
        }
        let targets = TypedExpr::column_refs(columns.iter().map(|c| (c.type_oid, c.typmod)));
        let target_locations = left.target_locations.clone();
        let query = Query {
            columns: columns.clone(),
            source: FromSource::RecursiveUnion {
                id,
                all: op.all,
                non_recursive: Box::new(left),
                recursive: Box::new(right),
            },
            filter: None,
            aggregation: None,
            windows: Vec::new(),
            targets,
            sort: Vec::new(),
            distinct: None,
            limit: None,
            offset: None,
            target_locations,
            row_marks: Vec::new(),
        };
        Ok(CteEntry {
            name: cte.name.clone(),
            columns,
            hidden: 0,
            body: CteBody::Query(Box::new(query)),
        })
    }

    /// The CTE a FROM name refers to, innermost first; marks a work-table reference.
    pub(crate) fn cte_reference(
        &mut self,
        name: &str,
    ) -> Option<(Vec<OutputColumn>, usize, FromSource)> {
        let entry = self.ctes.iter_mut().rev().find(|c| c.name == name)?;
        let source = match &mut entry.body {
            CteBody::Query(q) => FromSource::Subquery(q.clone()),
            CteBody::WorkTable { id, referenced } => {
                *referenced = true;
                FromSource::WorkTable {
                    id: *id,
                    width: entry.columns.len(),
                }
            }
        };
        let hidden = match entry.body {
            CteBody::WorkTable { .. } => entry.hidden,
            CteBody::Query(_) => 0,
        };
        Some((entry.columns.clone(), hidden, source))
    }
}

fn placeholder() -> TypedExpr {
    TypedExpr::CaseTest {
        type_oid: tusk_types::type_oid::UNKNOWN,
    }
}
