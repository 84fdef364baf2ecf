//! SELECT analysis: FROM sources, target list, WHERE, ORDER BY, LIMIT/OFFSET, VALUES.
//!
//! Until tables exist, FROM may hold a function call (`generate_series(1, 3)`); a named
//! relation answers PostgreSQL's 42P01 error for an unknown relation.

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::coerce::CoercionContext;
use super::colname::figure_colname;
use super::expr::{Scope, ScopeColumn};
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::{Expr, FromItem, Literal, SelectStmt};

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputColumn {
    /// Column name as the client sees it.
    pub name: String,
    /// Type.
    pub type_oid: Oid,
    /// Typmod (-1 if none).
    pub typmod: i32,
}

/// Where a query's input rows come from.
#[derive(Debug, Clone, PartialEq)]
pub enum FromSource {
    /// No FROM: one empty row.
    OneRow,
    /// VALUES rows, already coerced to the column types.
    Values(Vec<Vec<TypedExpr>>),
    /// A function in FROM: its rows (one column), optionally numbered (WITH ORDINALITY).
    Function {
        /// The call.
        call: TypedExpr,
        /// WITH ORDINALITY.
        ordinality: bool,
    },
}

/// An ORDER BY key.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// Key over the input row.
    pub expr: TypedExpr,
    /// DESC.
    pub descending: bool,
    /// NULLS FIRST.
    pub nulls_first: bool,
    /// The `<` function of the key's type.
    pub lt_proc: Oid,
}

/// An analysed SELECT.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Output columns.
    pub columns: Vec<OutputColumn>,
    /// Input rows.
    pub source: FromSource,
    /// WHERE over the input row.
    pub filter: Option<TypedExpr>,
    /// Target list over the input row.
    pub targets: Vec<TypedExpr>,
    /// ORDER BY keys.
    pub sort: Vec<SortKey>,
    /// LIMIT (bigint).
    pub limit: Option<TypedExpr>,
    /// OFFSET (bigint).
    pub offset: Option<TypedExpr>,
}

impl Analyzer<'_> {
    /// Analyses a SELECT (or VALUES).
    ///
    /// Errors: 42P01 for a named relation (`relation "t" does not exist`), 0A000 for
    /// clauses tusk cannot run yet, and every expression error.
    pub fn analyze_select(&mut self, stmt: &SelectStmt) -> Result<Query> {
        if let Some((what, location)) = &stmt.unsupported {
            return Err(self.at(Error::feature_not_supported(what), *location));
        }
        if !stmt.values.is_empty() {
            return self.values(stmt);
        }
        let mut scope = Scope::default();
        let source = match stmt.from.as_slice() {
            [] => FromSource::OneRow,
            [FromItem::Relation(rv)] => {
                let name = match &rv.schema {
                    Some(s) => format!("{s}.{}", rv.name),
                    None => rv.name.clone(),
                };
                return Err(self.at(
                    pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", name),
                    rv.location,
                ));
            }
            [FromItem::Function {
                call,
                alias,
                ordinality,
            }] => {
                let typed = self.analyze_expr(call, &scope)?;
                let fname = match call {
                    Expr::Func { name, .. } => name.last().cloned().unwrap_or_default(),
                    _ => "?column?".into(),
                };
                let relation = alias
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| fname.clone());
                let col_name = alias
                    .as_ref()
                    .and_then(|a| a.columns.first().cloned())
                    .unwrap_or_else(|| alias.as_ref().map(|a| a.name.clone()).unwrap_or(fname));
                scope.columns.push(ScopeColumn {
                    relation: Some(relation.clone()),
                    name: col_name,
                    type_oid: typed.type_oid(),
                    typmod: -1,
                });
                if *ordinality {
                    let name = alias
                        .as_ref()
                        .and_then(|a| a.columns.get(1).cloned())
                        .unwrap_or("ordinality".into());
                    scope.columns.push(ScopeColumn {
                        relation: Some(relation),
                        name,
                        type_oid: type_oid::INT8,
                        typmod: -1,
                    });
                }
                FromSource::Function {
                    call: typed,
                    ordinality: *ordinality,
                }
            }
            [FromItem::Other(what, location)] => {
                return Err(self.at(Error::feature_not_supported(what), *location))
            }
            [first, ..] => {
                if let FromItem::Relation(rv) = first {
                    return Err(self.at(
                        pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", rv.name),
                        rv.location,
                    ));
                }
                return Err(Error::feature_not_supported("FROM with several items"));
            }
        };
        let filter = match &stmt.where_clause {
            Some(w) => {
                let e = self.analyze_expr(w, &scope)?;
                Some(self.coerce_to_boolean(e, "WHERE", w.location())?)
            }
            None => None,
        };
        let mut columns = Vec::new();
        let mut targets = Vec::new();
        for t in &stmt.targets {
            if let Expr::Column(fields, location) = &t.expr {
                if fields.last().map(String::as_str) == Some("*") {
                    if scope.columns.is_empty() {
                        return Err(self.at(
                            pg_err!(
                                SYNTAX_ERROR,
                                "SELECT * with no tables specified is not valid"
                            ),
                            *location,
                        ));
                    }
                    for (index, c) in scope.columns.iter().enumerate() {
                        columns.push(OutputColumn {
                            name: c.name.clone(),
                            type_oid: c.type_oid,
                            typmod: c.typmod,
                        });
                        targets.push(TypedExpr::Column {
                            index,
                            type_oid: c.type_oid,
                            typmod: c.typmod,
                        });
                    }
                    continue;
                }
            }
            let mut e = self.analyze_expr(&t.expr, &scope)?;
            if e.type_oid() == type_oid::UNKNOWN {
                // An unknown-type literal in the output becomes text (PostgreSQL 10+).
                e = self.coerce(e, type_oid::TEXT, -1, CoercionContext::Implicit, t.location)?;
            }
            columns.push(OutputColumn {
                name: t.name.clone().unwrap_or_else(|| figure_colname(&t.expr)),
                type_oid: e.type_oid(),
                typmod: e.typmod(),
            });
            targets.push(e);
        }
        let sort = self.sort_keys(stmt, &scope, &targets, &columns)?;
        let (limit, offset) = self.limit_offset(stmt, &scope)?;
        self.check_params()?;
        Ok(Query {
            columns,
            source,
            filter,
            targets,
            sort,
            limit,
            offset,
        })
    }

    fn values(&mut self, stmt: &SelectStmt) -> Result<Query> {
        let scope = Scope::default();
        let width = stmt.values[0].len();
        let mut rows: Vec<Vec<TypedExpr>> = Vec::with_capacity(stmt.values.len());
        for row in &stmt.values {
            if row.len() != width {
                let location = row.first().map(Expr::location).unwrap_or(usize::MAX);
                return Err(self.at(
                    pg_err!(SYNTAX_ERROR, "VALUES lists must all be the same length"),
                    location,
                ));
            }
            rows.push(
                row.iter()
                    .map(|e| self.analyze_expr(e, &scope))
                    .collect::<Result<_>>()?,
            );
        }
        let mut columns = Vec::with_capacity(width);
        for col in 0..width {
            let cells: Vec<TypedExpr> = rows
                .iter_mut()
                .map(|r| std::mem::replace(&mut r[col], placeholder()))
                .collect();
            let location = stmt.values[0][col].location();
            let (cells, t) = self.unify(cells, "VALUES", location)?;
            for (r, cell) in rows.iter_mut().zip(cells) {
                r[col] = cell;
            }
            columns.push(OutputColumn {
                name: format!("column{}", col + 1),
                type_oid: t,
                typmod: -1,
            });
        }
        let targets = columns
            .iter()
            .enumerate()
            .map(|(index, c)| TypedExpr::Column {
                index,
                type_oid: c.type_oid,
                typmod: -1,
            })
            .collect::<Vec<_>>();
        let vscope = Scope {
            columns: columns
                .iter()
                .map(|c| ScopeColumn {
                    relation: None,
                    name: c.name.clone(),
                    type_oid: c.type_oid,
                    typmod: -1,
                })
                .collect(),
        };
        let sort = self.sort_keys(stmt, &vscope, &targets, &columns)?;
        let (limit, offset) = self.limit_offset(stmt, &vscope)?;
        self.check_params()?;
        Ok(Query {
            columns,
            source: FromSource::Values(rows),
            filter: None,
            targets,
            sort,
            limit,
            offset,
        })
    }

    fn sort_keys(
        &mut self,
        stmt: &SelectStmt,
        scope: &Scope,
        targets: &[TypedExpr],
        columns: &[OutputColumn],
    ) -> Result<Vec<SortKey>> {
        let mut keys = Vec::with_capacity(stmt.order_by.len());
        for s in &stmt.order_by {
            let expr = match &s.expr {
                Expr::Const(Literal::Integer(n), location) => {
                    let n = *n;
                    if n < 1 || n as usize > targets.len() {
                        return Err(self.at(
                            pg_err!(
                                INVALID_COLUMN_REFERENCE,
                                "ORDER BY position {} is not in select list",
                                n
                            ),
                            *location,
                        ));
                    }
                    targets[n as usize - 1].clone()
                }
                Expr::Column(fields, _)
                    if fields.len() == 1 && columns.iter().any(|c| c.name == fields[0]) =>
                {
                    let matches: Vec<usize> = columns
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.name == fields[0])
                        .map(|(i, _)| i)
                        .collect();
                    targets[matches[0]].clone()
                }
                other => {
                    let e = self.analyze_expr(other, scope)?;
                    if e.type_oid() == type_oid::UNKNOWN {
                        self.coerce(
                            e,
                            type_oid::TEXT,
                            -1,
                            CoercionContext::Implicit,
                            other.location(),
                        )?
                    } else {
                        e
                    }
                }
            };
            let lt_proc = self
                .comparison_proc("<", expr.type_oid(), s.expr.location())
                .map_err(|_| {
                    self.at(
                        pg_err!(
                            UNDEFINED_FUNCTION,
                            "could not identify an ordering operator for type {}",
                            self.catalog.format_type(expr.type_oid())
                        )
                        .hint("Use an explicit ordering operator or modify the query."),
                        s.expr.location(),
                    )
                })?;
            keys.push(SortKey {
                expr,
                descending: s.descending,
                nulls_first: s.nulls_first.unwrap_or(s.descending),
                lt_proc,
            });
        }
        Ok(keys)
    }

    fn limit_offset(
        &mut self,
        stmt: &SelectStmt,
        scope: &Scope,
    ) -> Result<(Option<TypedExpr>, Option<TypedExpr>)> {
        let one = |e: &Option<Expr>, this: &mut Self| -> Result<Option<TypedExpr>> {
            match e {
                None => Ok(None),
                Some(Expr::Const(Literal::Null, _)) => Ok(None),
                Some(expr) => {
                    let t = this.analyze_expr(expr, scope)?;
                    Ok(Some(this.coerce(
                        t,
                        type_oid::INT8,
                        -1,
                        CoercionContext::Implicit,
                        expr.location(),
                    )?))
                }
            }
        };
        let limit = one(&stmt.limit, self)?;
        let offset = one(&stmt.offset, self)?;
        Ok((limit, offset))
    }

    /// Every parameter must have a type by the end of analysis (42P18).
    fn check_params(&mut self) -> Result<()> {
        for (i, t) in self.param_types.iter().enumerate() {
            if *t == Oid::INVALID || *t == type_oid::UNKNOWN {
                return Err(Error::new(
                    SqlState::INDETERMINATE_DATATYPE,
                    format!("could not determine data type of parameter ${}", i + 1),
                ));
            }
        }
        Ok(())
    }
}

fn placeholder() -> TypedExpr {
    TypedExpr::Const {
        value: Datum::Null,
        type_oid: type_oid::UNKNOWN,
        typmod: -1,
        location: usize::MAX,
    }
}
