//! Generated columns in INSERT and UPDATE analysis, against `view_tests.rs`'s catalog
//! table `g (a int4, b int4 GENERATED ALWAYS AS (a) STORED)`: explicit values are
//! refused with PostgreSQL's 428C9, DEFAULT is accepted, and the new row carries NULL
//! for the column with its expression in `ModifyQuery::generated`.

use tusk_types::{type_oid, Datum, Result, SqlState};

use super::view_tests::Views;
use super::*;
use crate::ast::Statement;

fn modify(sql: &str) -> Result<ModifyQuery> {
    let stmt = crate::parse(sql)?.pop().expect("one statement");
    let mut analyzer = Analyzer::new(&Views, sql, Vec::new());
    match stmt.stmt {
        Statement::Insert(s) => analyzer.analyze_insert(&s),
        Statement::Update(s) => analyzer.analyze_update(&s),
        _ => panic!("not an INSERT or UPDATE: {sql}"),
    }
}

/// Whether `generated` is `b` computed as column `a` (wherever the stored text put it).
fn b_is_column_a(generated: &[(usize, TypedExpr)]) -> bool {
    matches!(
        generated,
        [(1, TypedExpr::Column { index: 0, type_oid, .. })] if *type_oid == type_oid::INT4
    )
}

fn null_int4() -> TypedExpr {
    TypedExpr::Const {
        value: Datum::Null,
        type_oid: type_oid::INT4,
        typmod: -1,
        location: usize::MAX,
    }
}

#[test]
fn insert_leaves_the_generated_column_to_its_expression() {
    for sql in [
        "INSERT INTO g VALUES (1)",
        "INSERT INTO g VALUES (1, DEFAULT)",
    ] {
        let q = modify(sql).expect("accepted");
        assert!(b_is_column_a(&q.generated), "{sql}: {:?}", q.generated);
        let ModifyAction::InsertValues(rows) = &q.action else {
            panic!("VALUES")
        };
        assert_eq!(rows[0][1], null_int4(), "{sql}");
    }
}

#[test]
fn a_value_for_a_generated_column_is_refused() {
    for sql in [
        "INSERT INTO g VALUES (1, 2)",
        "INSERT INTO g VALUES (1, DEFAULT), (2, 3)",
        "INSERT INTO g (a, b) SELECT 1, 2",
        "INSERT INTO g OVERRIDING SYSTEM VALUE VALUES (1, 2)",
    ] {
        let Err(e) = modify(sql) else {
            panic!("accepted: {sql}")
        };
        assert_eq!(e.code, SqlState::GENERATED_ALWAYS, "{sql}");
        assert_eq!(
            e.message, "cannot insert a non-DEFAULT value into column \"b\"",
            "{sql}"
        );
        assert_eq!(
            e.detail.as_deref(),
            Some("Column \"b\" is a generated column.")
        );
    }
}

#[test]
fn update_sets_a_generated_column_only_to_default() {
    let Err(e) = modify("UPDATE g SET b = 1") else {
        panic!("accepted")
    };
    assert_eq!(e.code, SqlState::GENERATED_ALWAYS);
    assert_eq!(e.message, "column \"b\" can only be updated to DEFAULT");
    let q = modify("UPDATE g SET a = 2, b = DEFAULT").expect("accepted");
    let ModifyAction::Update { row, .. } = &q.action else {
        panic!("UPDATE")
    };
    assert_eq!(row[1], null_int4());
    assert!(b_is_column_a(&q.generated), "{:?}", q.generated);
    // A column not SET is recomputed too (BEFORE ROW triggers see NULL there).
    let q = modify("UPDATE g SET a = 2").expect("accepted");
    let ModifyAction::Update { row, .. } = &q.action else {
        panic!("UPDATE")
    };
    assert_eq!(row[1], null_int4());
}
