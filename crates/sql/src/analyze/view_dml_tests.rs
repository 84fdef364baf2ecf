//! INSERT, UPDATE and DELETE through views of `view_tests.rs`'s catalog (table
//! `t (a int4, b text)`, OID 100): the statement lands on the table with the view's
//! WHERE, expression columns are refused with PostgreSQL's errors, check options become
//! checks of the new row, and `relation_is_updatable` reports what PostgreSQL does.

use tusk_types::{type_oid, Oid, Result, SqlState};

use super::view_tests::Views;
use super::*;
use crate::ast::Statement;

fn modify(sql: &str) -> Result<ModifyQuery> {
    let stmt = crate::parse(sql)?.pop().expect("one statement");
    let mut analyzer = Analyzer::new(&Views, sql, Vec::new());
    match stmt.stmt {
        Statement::Insert(s) => analyzer.analyze_insert(&s),
        Statement::Update(s) => analyzer.analyze_update(&s),
        Statement::Delete(s) => analyzer.analyze_delete(&s),
        _ => panic!("not a modification: {sql}"),
    }
}

fn b_is_not_null() -> TypedExpr {
    TypedExpr::NullTest {
        arg: Box::new(TypedExpr::Column {
            index: 1,
            type_oid: type_oid::TEXT,
            typmod: -1,
            location: usize::MAX,
        }),
        is_null: false,
    }
}

fn relation(name: &str) -> Arc<RelationInfo> {
    Views.relation(None, name).expect("lookup").expect("exists")
}

#[test]
fn delete_through_a_view_keeps_to_the_rows_it_shows() {
    let q = modify("DELETE FROM rw").expect("updatable");
    assert_eq!(q.relation.oid, Oid(100));
    let ModifyAction::Delete { filter } = &q.action else {
        panic!("a delete")
    };
    let Some(filter) = filter else {
        panic!("the view's WHERE")
    };
    // The column reference of the stored query carries its place in that text.
    let mut found = filter.clone();
    if let TypedExpr::NullTest { arg, .. } = &mut found {
        if let TypedExpr::Column { location, .. } = arg.as_mut() {
            *location = usize::MAX;
        }
    }
    assert_eq!(found, b_is_not_null());
}

#[test]
fn writing_an_expression_column_is_refused_as_postgres_does() {
    let err = modify("INSERT INTO rw (nn) VALUES (NULL)").expect_err("not a base column");
    assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED);
    assert_eq!(
        err.message,
        "cannot insert into column \"nn\" of view \"rw\""
    );
    assert_eq!(
        err.detail.as_deref(),
        Some("View columns that are not columns of their base relation are not updatable.")
    );
    let err = modify("UPDATE rw SET nn = NULL").expect_err("not a base column");
    assert_eq!(err.message, "cannot update column \"nn\" of view \"rw\"");
    // The view's other column is writable.
    let q = modify("INSERT INTO rw (a) VALUES (NULL)").expect("a is t.a");
    assert_eq!(q.relation.oid, Oid(100));
}

#[test]
fn a_view_that_is_not_updatable_gives_postgres_reason() {
    let err = modify("DELETE FROM dist").expect_err("DISTINCT");
    assert_eq!(err.code, SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE);
    assert_eq!(err.message, "cannot delete from view \"dist\"");
    assert_eq!(
        err.detail.as_deref(),
        Some("Views containing DISTINCT are not automatically updatable.")
    );
}

#[test]
fn a_cascaded_check_option_checks_the_view_below_too() {
    let q = modify("INSERT INTO over_checked VALUES (NULL)").expect("updatable");
    assert_eq!(q.relation.oid, Oid(100));
    let ModifyAction::InsertValues(rows) = &q.action else {
        panic!("VALUES")
    };
    assert_eq!(rows[0].len(), 2, "one value per attribute of t");
    let views: Vec<(&str, CheckKind)> = q
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.kind.clone()))
        .collect();
    assert_eq!(
        views,
        vec![("checked", CheckKind::ViewOption { cascaded: true })]
    );
    // DELETE writes no new row, so it has no check.
    assert!(modify("DELETE FROM checked")
        .expect("updatable")
        .checks
        .is_empty());
}

#[test]
fn relation_is_updatable_reports_postgres_events() {
    let all = EVENT_INSERT | EVENT_UPDATE | EVENT_DELETE;
    assert_eq!(
        relation_is_updatable(&Views, &relation("t"), None).expect("ok"),
        all
    );
    assert_eq!(
        relation_is_updatable(&Views, &relation("rw"), None).expect("ok"),
        all
    );
    assert_eq!(
        relation_is_updatable(&Views, &relation("rw"), Some(&[1])).expect("ok"),
        EVENT_DELETE
    );
    assert_eq!(
        relation_is_updatable(&Views, &relation("over_checked"), None).expect("ok"),
        all
    );
    assert_eq!(
        relation_is_updatable(&Views, &relation("dist"), None).expect("ok"),
        0
    );
}

#[test]
fn substituted_references_in_subqueries_become_outer_references() {
    let columns = vec![TypedExpr::Column {
        index: 3,
        type_oid: type_oid::INT4,
        typmod: -1,
        location: usize::MAX,
    }];
    let outer = TypedExpr::OuterColumn {
        levels_up: 2,
        index: 0,
        type_oid: type_oid::INT4,
        typmod: -1,
        location: 7,
    };
    // A reference two levels out, at depth 2, to view column 0.
    let lifted = view_dml::substitute_at(outer, &columns, 2);
    assert_eq!(
        lifted,
        TypedExpr::OuterColumn {
            levels_up: 2,
            index: 3,
            type_oid: type_oid::INT4,
            typmod: -1,
            location: usize::MAX,
        }
    );
}
