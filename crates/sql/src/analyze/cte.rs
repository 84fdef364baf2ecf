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
//! Data-modifying CTEs (PostgreSQL's §7.8.4), `WITH t AS (DELETE ... RETURNING *)`:
//! 1. They are allowed only in the WITH of the statement's top level (not in a subquery,
//!    another CTE or an INSERT's SELECT); MERGE is not allowed in WITH, and a recursive
//!    WITH's data-modifying CTE must not refer to itself.
//! 2. Each is analysed into a [`ModifyQuery`] collected in the statement
//!    ([`Query::modifying`], [`ModifyQuery::modifying`]); a reference reads its RETURNING
//!    rows ([`FromSource::ModifyingCte`]), so one without RETURNING cannot be read.
//! 3. The executor runs each exactly once: on its first read, and those the statement
//!    did not read after the statement's own work, last first (as PostgreSQL does).
//!
//! Entry point: [`Analyzer::with_clause`].

use std::sync::Arc;

use tusk_types::{pg_err, Result};

use super::dml::ModifyQuery;
use super::select::{FromSource, OutputColumn, Query};
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::{CommonTableExpr, SetOpKind, Statement, WithClause};

/// A data-modifying statement of a statement's WITH clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ModifyingCte {
    /// Identifies it to the references that read its RETURNING rows.
    pub id: usize,
    /// The statement.
    pub query: Arc<ModifyQuery>,
}

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
    /// A data-modifying statement's RETURNING rows.
    Modifying {
        /// The [`ModifyingCte`]'s id.
        id: usize,
        /// It has a RETURNING list (else a reference is an error).
        returning: bool,
    },
    /// Inside a recursive WITH's data-modifying statement, a reference to itself: an
    /// error.
    SelfReference {
        /// The CTE's location.
        location: usize,
    },
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
    /// column's type, 0A000 for a data-modifying CTE below the top level or a MERGE
    /// (rule 1), 42P19 for a recursive data-modifying one, and every error of the CTE
    /// queries.
    pub(crate) fn with_clause(&mut self, with: &WithClause) -> Result<usize> {
        let before = self.ctes.len();
        if !with.recursive {
            for cte in &with.ctes {
                let entry = match &cte.modify {
                    Some(stmt) => self.modifying_cte(cte, stmt, false)?,
                    None => self.plain_cte(cte)?,
                };
                self.ctes.push(entry);
            }
            return Ok(self.ctes.len() - before);
        }
        // WITH RECURSIVE: a CTE may name ones written after it (PostgreSQL orders them by
        // their references). One that fails because such a CTE is not there yet is
        // analysed again once the others are; a round without progress reports the first
        // error.
        let mut pending: Vec<&CommonTableExpr> = with.ctes.iter().collect();
        while !pending.is_empty() {
            let mut postponed = Vec::new();
            let mut first_error = None;
            for (i, cte) in pending.iter().enumerate() {
                let entry = match &cte.modify {
                    Some(stmt) => self.modifying_cte(cte, stmt, true),
                    None => self.recursive_cte(cte),
                };
                match entry {
                    Ok(entry) => self.ctes.push(entry),
                    Err(e) if names_one_of(&e, &pending[i + 1..], &postponed) => {
                        first_error.get_or_insert(e);
                        postponed.push(*cte);
                    }
                    Err(e) => return Err(e),
                }
            }
            if postponed.len() == pending.len() {
                return Err(first_error.expect("a postponed CTE has its error"));
            }
            pending = postponed;
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

    fn modifying_cte(
        &mut self,
        cte: &CommonTableExpr,
        stmt: &Statement,
        recursive: bool,
    ) -> Result<CteEntry> {
        if matches!(stmt, Statement::Merge(_)) {
            return Err(self.at(
                pg_err!(FEATURE_NOT_SUPPORTED, "MERGE not supported in WITH query"),
                cte.location,
            ));
        }
        // The WITH belongs to the statement's top level only when nothing else is being
        // analysed around it (rule 1).
        if self.select_depth + self.dml_depth != 1 {
            return Err(self.at(
                pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "WITH clause containing a data-modifying statement must be at the top level"
                ),
                cte.location,
            ));
        }
        if recursive {
            self.ctes.push(CteEntry {
                name: cte.name.clone(),
                columns: Vec::new(),
                hidden: 0,
                body: CteBody::SelfReference {
                    location: cte.location,
                },
            });
        }
        let saved = self.pending_outer.take();
        let query = match stmt {
            Statement::Insert(s) => self.analyze_insert(s),
            Statement::Update(s) => self.analyze_update(s),
            Statement::Delete(s) => self.analyze_delete(s),
            Statement::Unsupported { tag, .. } => Err(tusk_types::Error::feature_not_supported(
                format!("this form of {tag} in WITH"),
            )),
            _ => Err(tusk_types::Error::internal(
                "WITH query that is neither a query nor a data-modifying statement",
            )),
        };
        self.pending_outer = saved;
        if recursive {
            self.ctes.pop();
        }
        let query = query?;
        let columns = self.cte_columns(cte, &query.returning_columns)?;
        let id = self.next_cte_id;
        self.next_cte_id += 1;
        let returning = !query.returning_columns.is_empty();
        self.modifying_ctes.push(ModifyingCte {
            id,
            query: Arc::new(query),
        });
        Ok(CteEntry {
            name: cte.name.clone(),
            columns,
            hidden: 0,
            body: CteBody::Modifying { id, returning },
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
            modifying: Vec::new(),
        };
        Ok(CteEntry {
            name: cte.name.clone(),
            columns,
            hidden: 0,
            body: CteBody::Query(Box::new(query)),
        })
    }

    /// Whether a FROM name without a schema is a CTE's.
    pub(crate) fn is_cte(&self, name: &str) -> bool {
        self.ctes.iter().any(|c| c.name == name)
    }

    /// The CTE a FROM name refers to, innermost first; marks a work-table reference.
    ///
    /// Errors: 0A000 `WITH query "t" does not have a RETURNING clause` (at `location`, the
    /// reference) for a data-modifying CTE without RETURNING; 42P19 `recursive query "t"
    /// must not contain data-modifying statements` for a reference inside itself.
    pub(crate) fn cte_reference(
        &mut self,
        name: &str,
        location: usize,
    ) -> Result<Option<(Vec<OutputColumn>, usize, FromSource)>> {
        let Some(entry) = self.ctes.iter_mut().rev().find(|c| c.name == name) else {
            return Ok(None);
        };
        let source = match &mut entry.body {
            CteBody::Query(q) => FromSource::Subquery(q.clone()),
            CteBody::Modifying {
                returning: false, ..
            } => {
                let e = pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "WITH query \"{}\" does not have a RETURNING clause",
                    name
                );
                return Err(self.at(e, location));
            }
            CteBody::Modifying { id, .. } => FromSource::ModifyingCte {
                id: *id,
                width: entry.columns.len(),
            },
            CteBody::SelfReference { location } => {
                let at = *location;
                let e = pg_err!(
                    INVALID_RECURSION,
                    "recursive query \"{}\" must not contain data-modifying statements",
                    name
                );
                return Err(self.at(e, at));
            }
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
            _ => 0,
        };
        Ok(Some((entry.columns.clone(), hidden, source)))
    }
}

/// Whether `e` is 42P01 for a relation named as one of the CTEs `later` or `postponed`.
fn names_one_of(
    e: &tusk_types::Error,
    later: &[&CommonTableExpr],
    postponed: &[&CommonTableExpr],
) -> bool {
    e.code == tusk_types::SqlState::UNDEFINED_TABLE
        && later
            .iter()
            .chain(postponed)
            .any(|c| e.message == format!("relation \"{}\" does not exist", c.name))
}

fn placeholder() -> TypedExpr {
    TypedExpr::CaseTest {
        type_oid: tusk_types::type_oid::UNKNOWN,
    }
}
