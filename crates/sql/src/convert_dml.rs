//! Conversion of INSERT, UPDATE and DELETE parse trees into [`crate::ast::InsertStmt`],
//! [`crate::ast::UpdateStmt`] and [`crate::ast::DeleteStmt`].
//!
//! Shapes the grammar accepts but PostgreSQL's parse analysis rejects (a multiple-column
//! SET whose source is not a row), and clauses tusk cannot run yet (WHERE CURRENT OF),
//! become a [`DeferredError`] in the statement, so the analyzer reports them with their
//! position before anything else.

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result, SqlState};

use crate::ast::*;
use crate::convert::{expr, from_item, loc, range_var, select};

fn deferred(code: SqlState, message: impl Into<String>, location: usize) -> DeferredError {
    DeferredError {
        code,
        message: message.into(),
        location,
    }
}

/// The WITH clause of a statement.
fn with(with: &Option<pb::WithClause>) -> Result<Option<WithClause>> {
    with.as_ref().map(crate::convert::with_clause).transpose()
}

/// A value that may be `DEFAULT` (a top-level `SetToDefault`).
fn value(node: &pb::Node) -> Result<InsertValue> {
    match node.node.as_ref() {
        Some(NodeEnum::SetToDefault(d)) => Ok(InsertValue::Default(loc(d.location))),
        _ => Ok(InsertValue::Expr(expr(node)?)),
    }
}

fn res_targets(list: &[pb::Node]) -> Result<Vec<ResTarget>> {
    let mut out = Vec::with_capacity(list.len());
    for node in list {
        if let Some(NodeEnum::ResTarget(rt)) = node.node.as_ref() {
            let e = match rt.val.as_deref() {
                Some(v) => expr(v)?,
                None => Expr::Unsupported("target without value".into(), loc(rt.location)),
            };
            out.push(ResTarget {
                name: (!rt.name.is_empty()).then(|| rt.name.clone()),
                expr: e,
                location: loc(rt.location),
            });
        }
    }
    Ok(out)
}

/// The WHERE clause, or the deferred error of `WHERE CURRENT OF`.
fn where_clause(node: Option<&pb::Node>) -> Result<(Option<Expr>, Option<DeferredError>)> {
    match node {
        None => Ok((None, None)),
        Some(n) => match n.node.as_ref() {
            Some(NodeEnum::CurrentOfExpr(_)) => Ok((
                None,
                Some(deferred(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    "WHERE CURRENT OF is not supported",
                    usize::MAX,
                )),
            )),
            _ => Ok((Some(expr(n)?), None)),
        },
    }
}

/// The subscripts and field names of an assignment target (`a[1]`, `c.f`).
fn target_indirection(list: &[pb::Node]) -> Result<Vec<TargetIndirection>> {
    let mut out = Vec::with_capacity(list.len());
    for n in list {
        out.push(match n.node.as_ref() {
            Some(NodeEnum::AIndices(i)) => TargetIndirection::Subscript(Box::new(ArrayIndex {
                is_slice: i.is_slice,
                lower: i.lidx.as_deref().map(expr).transpose()?,
                upper: i.uidx.as_deref().map(expr).transpose()?,
            })),
            Some(NodeEnum::String(s)) => TargetIndirection::Field(s.sval.clone()),
            Some(NodeEnum::AStar(_)) => TargetIndirection::Field("*".to_string()),
            _ => return Err(Error::internal("unexpected node in an assignment target")),
        });
    }
    Ok(out)
}

/// Converts an INSERT (`None` if it has no target, which the grammar never produces).
pub(crate) fn insert(s: &pb::InsertStmt) -> Result<Option<InsertStmt>> {
    let Some(rv) = &s.relation else {
        return Ok(None);
    };
    let mut columns = Vec::with_capacity(s.cols.len());
    for c in &s.cols {
        if let Some(NodeEnum::ResTarget(rt)) = c.node.as_ref() {
            columns.push(InsertColumn {
                name: rt.name.clone(),
                indirection: target_indirection(&rt.indirection)?,
                location: loc(rt.location),
            });
        }
    }
    let source = match s.select_stmt.as_deref().and_then(|n| n.node.as_ref()) {
        None => InsertSource::DefaultValues,
        Some(NodeEnum::SelectStmt(sel)) if is_plain_values(sel) => {
            let mut rows = Vec::with_capacity(sel.values_lists.len());
            for row in &sel.values_lists {
                if let Some(NodeEnum::List(list)) = row.node.as_ref() {
                    rows.push(list.items.iter().map(value).collect::<Result<_>>()?);
                }
            }
            InsertSource::Values(rows)
        }
        Some(NodeEnum::SelectStmt(sel)) => InsertSource::Select(Box::new(select(sel)?)),
        Some(_) => return Err(Error::internal("INSERT source is not a SELECT")),
    };
    let overriding = match pb::OverridingKind::from_i32(s.r#override) {
        Some(pb::OverridingKind::OverridingSystemValue) => Some(Overriding::SystemValue),
        Some(pb::OverridingKind::OverridingUserValue) => Some(Overriding::UserValue),
        _ => None,
    };
    let (on_conflict, set_error) = match s.on_conflict_clause.as_deref() {
        Some(c) => {
            let (clause, error) = on_conflict(c)?;
            (Some(clause), error)
        }
        None => (None, None),
    };
    let with_clause = with(&s.with_clause)?;
    Ok(Some(InsertStmt {
        relation: range_var(rv),
        columns,
        source,
        overriding,
        on_conflict,
        returning: res_targets(&s.returning_list)?,
        deferred_error: set_error,
        with: with_clause,
    }))
}

/// A VALUES list PostgreSQL treats as the INSERT's own rows (where DEFAULT is allowed):
/// no ORDER BY, LIMIT, OFFSET, WITH or locking clause.
fn is_plain_values(sel: &pb::SelectStmt) -> bool {
    !sel.values_lists.is_empty()
        && sel.sort_clause.is_empty()
        && sel.limit_count.is_none()
        && sel.limit_offset.is_none()
        && sel.with_clause.is_none()
        && sel.locking_clause.is_empty()
}

/// ON CONFLICT, with the first malformed or unsupported multiple-column SET item of DO
/// UPDATE as a deferred error (dropping the item instead would leave its columns
/// unchanged: a wrong result).
fn on_conflict(c: &pb::OnConflictClause) -> Result<(OnConflict, Option<DeferredError>)> {
    let mut target = Vec::new();
    let mut constraint = None;
    let mut infer_where = None;
    if let Some(infer) = c.infer.as_deref() {
        infer_where = infer.where_clause.as_deref().map(expr).transpose()?;
        for elem in &infer.index_elems {
            if let Some(NodeEnum::IndexElem(ie)) = elem.node.as_ref() {
                match ie.expr.as_deref() {
                    Some(e) => target.push(expr(e)?),
                    None => target.push(Expr::Column(vec![ie.name.clone()], loc(infer.location))),
                }
            }
        }
        if !infer.conname.is_empty() {
            constraint = Some(infer.conname.clone());
        }
    }
    let (assignments, set_error) = set_clauses(&c.target_list)?;
    let clause = OnConflict {
        do_update: c.action == pb::OnConflictAction::OnconflictUpdate as i32,
        target,
        constraint,
        infer_where,
        assignments,
        where_clause: c.where_clause.as_deref().map(expr).transpose()?,
        location: loc(c.location),
    };
    Ok((clause, set_error))
}

/// SET items; `SET (a, b) = (x, y)` becomes one item per column. Returns the first
/// malformed multiple-column assignment as a deferred error.
fn set_clauses(list: &[pb::Node]) -> Result<(Vec<SetClause>, Option<DeferredError>)> {
    let mut out = Vec::with_capacity(list.len());
    let mut error = None;
    for node in list {
        let Some(NodeEnum::ResTarget(rt)) = node.node.as_ref() else {
            continue;
        };
        let Some(val) = rt.val.as_deref() else {
            continue;
        };
        let value = match val.node.as_ref() {
            Some(NodeEnum::MultiAssignRef(m)) => {
                let source = m.source.as_deref();
                match source.and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::RowExpr(row)) => {
                        if row.args.len() != m.ncolumns.max(0) as usize {
                            error.get_or_insert(deferred(
                                SqlState::SYNTAX_ERROR,
                                "number of columns does not match number of values",
                                loc(row.location),
                            ));
                            continue;
                        }
                        match row.args.get((m.colno.max(1) - 1) as usize) {
                            Some(item) => value(item)?,
                            None => continue,
                        }
                    }
                    Some(NodeEnum::SubLink(_)) => {
                        let Some(source) = source else { continue };
                        multi_expr_column(
                            expr(source)?,
                            (m.colno.max(1) - 1) as usize,
                            m.ncolumns.max(0) as usize,
                        )
                    }
                    _ => {
                        let at = source
                            .and_then(|n| expr(n).ok())
                            .map(|e| e.location())
                            .unwrap_or(usize::MAX);
                        error.get_or_insert(deferred(
                            SqlState::FEATURE_NOT_SUPPORTED,
                            "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression",
                            at,
                        ));
                        continue;
                    }
                }
            }
            _ => value(val)?,
        };
        out.push(SetClause {
            column: rt.name.clone(),
            indirection: target_indirection(&rt.indirection)?,
            value,
            location: loc(rt.location),
        });
    }
    Ok((out, error))
}

/// Column `column` of `SET (a, b, ...) = (subquery)` naming `columns` columns: the
/// subquery as a [`SubLinkKind::MultiExpr`] SubLink (a subquery form it cannot take
/// stays as converted, an [`Expr::Unsupported`]).
fn multi_expr_column(sublink: Expr, column: usize, columns: usize) -> InsertValue {
    match sublink {
        Expr::SubLink {
            query, location, ..
        } => {
            let column_location = query
                .targets
                .get(column)
                .filter(|_| query.set_op.is_none())
                .map_or(location, |t| t.expr.location());
            InsertValue::Expr(Expr::SubLink {
                kind: SubLinkKind::MultiExpr {
                    id: location,
                    column,
                    columns,
                    column_location,
                },
                test: None,
                op: String::new(),
                query,
                location,
            })
        }
        other => InsertValue::Expr(other),
    }
}

/// Converts an UPDATE.
pub(crate) fn update(s: &pb::UpdateStmt) -> Result<Option<UpdateStmt>> {
    let Some(rv) = &s.relation else {
        return Ok(None);
    };
    let (assignments, set_error) = set_clauses(&s.target_list)?;
    let (where_clause, current_of) = where_clause(s.where_clause.as_deref())?;
    let with_clause = with(&s.with_clause)?;
    Ok(Some(UpdateStmt {
        relation: range_var(rv),
        assignments,
        from: s.from_clause.iter().map(from_item).collect::<Result<_>>()?,
        where_clause,
        returning: res_targets(&s.returning_list)?,
        deferred_error: set_error.or(current_of),
        with: with_clause,
    }))
}

/// Converts a DELETE.
pub(crate) fn delete(s: &pb::DeleteStmt) -> Result<Option<DeleteStmt>> {
    let Some(rv) = &s.relation else {
        return Ok(None);
    };
    let (where_clause, current_of) = where_clause(s.where_clause.as_deref())?;
    let with_clause = with(&s.with_clause)?;
    Ok(Some(DeleteStmt {
        relation: range_var(rv),
        using: s
            .using_clause
            .iter()
            .map(from_item)
            .collect::<Result<_>>()?,
        where_clause,
        returning: res_targets(&s.returning_list)?,
        deferred_error: current_of,
        with: with_clause,
    }))
}

/// Converts a MERGE (`None` if it has no target or source, which the grammar never
/// produces).
pub(crate) fn merge(s: &pb::MergeStmt) -> Result<Option<MergeStmt>> {
    let (Some(rv), Some(source), Some(on)) = (
        &s.relation,
        s.source_relation.as_deref(),
        s.join_condition.as_deref(),
    ) else {
        return Ok(None);
    };
    let mut when = Vec::with_capacity(s.merge_when_clauses.len());
    let mut set_error = None;
    for node in &s.merge_when_clauses {
        let Some(NodeEnum::MergeWhenClause(w)) = node.node.as_ref() else {
            continue;
        };
        let action = match pb::CmdType::from_i32(w.command_type) {
            Some(pb::CmdType::CmdUpdate) => {
                let (assignments, error) = set_clauses(&w.target_list)?;
                if set_error.is_none() {
                    set_error = error;
                }
                MergeWhenAction::Update(assignments)
            }
            Some(pb::CmdType::CmdDelete) => MergeWhenAction::Delete,
            Some(pb::CmdType::CmdInsert) => {
                let mut columns = Vec::with_capacity(w.target_list.len());
                for c in &w.target_list {
                    if let Some(NodeEnum::ResTarget(rt)) = c.node.as_ref() {
                        columns.push(InsertColumn {
                            name: rt.name.clone(),
                            indirection: target_indirection(&rt.indirection)?,
                            location: loc(rt.location),
                        });
                    }
                }
                let overriding = match pb::OverridingKind::from_i32(w.r#override) {
                    Some(pb::OverridingKind::OverridingSystemValue) => {
                        Some(Overriding::SystemValue)
                    }
                    Some(pb::OverridingKind::OverridingUserValue) => Some(Overriding::UserValue),
                    _ => None,
                };
                let values = if w.values.is_empty() {
                    None
                } else {
                    Some(w.values.iter().map(value).collect::<Result<_>>()?)
                };
                MergeWhenAction::Insert {
                    columns,
                    overriding,
                    values,
                }
            }
            _ => MergeWhenAction::Nothing,
        };
        when.push(MergeWhen {
            matched: w.matched,
            condition: w.condition.as_deref().map(expr).transpose()?,
            action,
        });
    }
    let with_clause = with(&s.with_clause)?;
    Ok(Some(MergeStmt {
        relation: range_var(rv),
        source: from_item(source)?,
        on: expr(on)?,
        when,
        deferred_error: set_error,
        with: with_clause,
    }))
}

#[cfg(test)]
mod tests {
    use crate::ast::*;
    use crate::parse;

    fn one(sql: &str) -> Statement {
        parse(sql).expect("parses").remove(0).stmt
    }

    #[test]
    fn insert_with_columns_values_and_default() {
        let Statement::Insert(s) =
            one("INSERT INTO s.t AS x (a, b) VALUES (1, DEFAULT), (2, 3) RETURNING *")
        else {
            panic!("not an insert")
        };
        assert_eq!(s.relation.schema.as_deref(), Some("s"));
        assert_eq!(
            s.relation.alias.as_ref().map(|a| a.name.as_str()),
            Some("x")
        );
        assert_eq!(
            s.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        let InsertSource::Values(rows) = &s.source else {
            panic!("not VALUES")
        };
        assert_eq!(rows.len(), 2);
        assert!(matches!(rows[0][1], InsertValue::Default(_)));
        assert_eq!(s.returning.len(), 1);
        assert!(s.deferred_error.is_none());
    }

    #[test]
    fn insert_default_values_select_and_overriding() {
        let Statement::Insert(s) = one("INSERT INTO t DEFAULT VALUES") else {
            panic!("not an insert")
        };
        assert_eq!(s.source, InsertSource::DefaultValues);
        let Statement::Insert(s) = one("INSERT INTO t OVERRIDING SYSTEM VALUE SELECT 1") else {
            panic!("not an insert")
        };
        assert!(matches!(s.source, InsertSource::Select(_)));
        assert_eq!(s.overriding, Some(Overriding::SystemValue));
        let Statement::Insert(s) = one("INSERT INTO t VALUES (1) ORDER BY 1") else {
            panic!("not an insert")
        };
        assert!(matches!(s.source, InsertSource::Select(_)));
    }

    #[test]
    fn insert_on_conflict_is_kept() {
        let Statement::Insert(s) =
            one("INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 2 WHERE a > 0")
        else {
            panic!("not an insert")
        };
        let c = s.on_conflict.expect("on conflict");
        assert!(c.do_update);
        assert_eq!(c.target.len(), 1);
        assert_eq!(c.assignments[0].column, "b");
        assert!(c.where_clause.is_some());
    }

    #[test]
    fn on_conflict_multiple_column_sub_select_is_one_sublink_per_column() {
        let Statement::Insert(s) = one("INSERT INTO t VALUES (1, 'x') ON CONFLICT (k) DO UPDATE \
             SET (k, v) = (SELECT s.k, s.v FROM s WHERE s.k = t.k)")
        else {
            panic!("not an insert")
        };
        assert!(s.deferred_error.is_none());
        let c = s.on_conflict.expect("on conflict");
        let kinds: Vec<_> = c
            .assignments
            .iter()
            .map(|a| match &a.value {
                InsertValue::Expr(Expr::SubLink { kind, .. }) => *kind,
                other => panic!("not a sublink: {other:?}"),
            })
            .collect();
        let [SubLinkKind::MultiExpr {
            id: first,
            column: 0,
            columns: 2,
            ..
        }, SubLinkKind::MultiExpr {
            id: second,
            column: 1,
            columns: 2,
            ..
        }] = kinds.as_slice()
        else {
            panic!("not one MULTIEXPR per column: {kinds:?}")
        };
        assert_eq!(first, second, "both columns share one subquery");
        let Statement::Insert(s) =
            one("INSERT INTO t VALUES (1) ON CONFLICT (k) DO UPDATE SET (k, v) = (1, 2, 3)")
        else {
            panic!("not an insert")
        };
        let e = s.deferred_error.expect("a count mismatch is refused");
        assert_eq!(
            e.message,
            "number of columns does not match number of values"
        );
    }

    #[test]
    fn update_multiple_column_assignment_splits_per_column() {
        let Statement::Update(s) = one("UPDATE t SET (a, b) = (1, DEFAULT), c = 3 WHERE a = 1")
        else {
            panic!("not an update")
        };
        let cols: Vec<_> = s.assignments.iter().map(|a| a.column.as_str()).collect();
        assert_eq!(cols, ["a", "b", "c"]);
        assert!(matches!(s.assignments[1].value, InsertValue::Default(_)));
        assert!(s.where_clause.is_some());
    }

    #[test]
    fn update_malformed_multiple_assignment_is_deferred() {
        let Statement::Update(s) = one("UPDATE t SET (a, b) = (1)") else {
            panic!("not an update")
        };
        let e = s.deferred_error.expect("deferred");
        assert_eq!(
            e.message,
            "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression"
        );
        assert_eq!(e.location, 23);
        let Statement::Update(s) = one("UPDATE t SET (a, b) = (1, 2, 3)") else {
            panic!("not an update")
        };
        assert_eq!(
            s.deferred_error.expect("deferred").message,
            "number of columns does not match number of values"
        );
    }

    #[test]
    fn delete_using_where_current_of_and_with() {
        let Statement::Delete(s) = one("DELETE FROM t USING u WHERE t.a = u.a RETURNING a") else {
            panic!("not a delete")
        };
        assert_eq!(s.using.len(), 1);
        let Statement::Delete(s) = one("DELETE FROM t WHERE CURRENT OF c") else {
            panic!("not a delete")
        };
        assert_eq!(
            s.deferred_error.expect("deferred").message,
            "WHERE CURRENT OF is not supported"
        );
        let Statement::Delete(s) = one("WITH x AS (SELECT 1) DELETE FROM t") else {
            panic!("not a delete")
        };
        assert!(s.deferred_error.is_none());
        assert_eq!(s.with.expect("with").ctes[0].name, "x");
        let Statement::Delete(s) = one("WITH x AS (DELETE FROM u RETURNING *) DELETE FROM t")
        else {
            panic!("not a delete")
        };
        // A data-modifying CTE keeps its statement.
        assert!(s.deferred_error.is_none());
        let cte = &s.with.expect("with").ctes[0];
        assert!(
            matches!(cte.modify.as_deref(), Some(Statement::Delete(d)) if d.relation.name == "u")
        );
    }
}
