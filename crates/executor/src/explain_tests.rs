//! Unit tests of EXPLAIN's printer (`explain.rs`) over hand-built plans; expected texts
//! are PostgreSQL 15's for the same plan shapes.

use std::sync::Arc;

use tusk_sql::analyze::{ColumnInfo, RelationInfo, TypedExpr};
use tusk_sql::ast::JoinKind;
use tusk_types::{type_oid, Datum, Oid};

use crate::explain::{explain_plan, ExplainOptions};
use crate::plan::{Plan, SortColumn};

const T: Oid = Oid(16384);
const U: Oid = Oid(16390);
/// `int4eq`, `int4gt`, `int4lt`.
const INT4EQ: Oid = Oid(65);
const INT4GT: Oid = Oid(147);
const INT4LT: Oid = Oid(66);

fn relation(rel: Oid) -> Option<Arc<RelationInfo>> {
    let (name, columns): (&str, &[(&str, Oid)]) = match rel {
        T => ("t", &[("a", type_oid::INT4), ("b", type_oid::TEXT)]),
        U => ("u", &[("x", type_oid::INT4), ("y", type_oid::TEXT)]),
        _ => return None,
    };
    Some(Arc::new(RelationInfo {
        oid: rel,
        name: name.into(),
        namespace: "public".into(),
        kind: b'r',
        columns: columns
            .iter()
            .map(|(n, t)| ColumnInfo {
                name: (*n).into(),
                type_oid: *t,
                typmod: -1,
                not_null: false,
                default: None,
                identity: 0,
                generated: false,
                dropped: false,
            })
            .collect(),
        primary_key: Vec::new(),
        checks: Vec::new(),
    }))
}

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

fn op(proc: Oid, l: TypedExpr, r: TypedExpr) -> TypedExpr {
    TypedExpr::Func {
        proc,
        args: vec![l, r],
        ret: type_oid::BOOL,
        strict: true,
        retset: false,
    }
}

fn scan(rel: Oid) -> Box<Plan> {
    Box::new(Plan::SeqScan { rel, width: 2 })
}

fn explain(plan: &Plan, costs: bool) -> Vec<String> {
    explain_plan(
        plan,
        &relation,
        ExplainOptions {
            costs,
            verbose: false,
        },
    )
}

#[test]
fn filter_over_scan_is_the_scan_filter_line() {
    let plan = Plan::Filter {
        input: scan(T),
        predicate: TypedExpr::And(vec![
            op(INT4GT, column(0), int(1)),
            op(INT4EQ, column(0), int(-1)),
        ]),
    };
    assert_eq!(
        explain(&plan, false),
        [
            "Seq Scan on t",
            "  Filter: ((a > 1) AND (a = '-1'::integer))"
        ]
    );
}

#[test]
fn hash_join_shows_hash_cond_and_qualified_names_with_inner_under_hash() {
    let plan = Plan::HashJoin {
        kind: JoinKind::Inner,
        outer: scan(U),
        inner: scan(T),
        outer_keys: vec![column(0)],
        inner_keys: vec![column(0)],
        residual: Some(op(INT4LT, column(2), column(0))),
        outer_width: 2,
        inner_width: 2,
    };
    assert_eq!(
        explain(&plan, false),
        [
            "Hash Join",
            "  Hash Cond: (u.x = t.a)",
            "  Join Filter: (t.a < u.x)",
            "  ->  Seq Scan on u",
            "  ->  Hash",
            "        ->  Seq Scan on t",
        ]
    );
}

#[test]
fn nested_children_indent_six_spaces_and_sort_keys_read_through_projection() {
    let plan = Plan::Limit {
        input: Box::new(Plan::Sort {
            input: Box::new(Plan::ProjectSet {
                input: Box::new(Plan::Aggregate {
                    input: scan(T),
                    keys: vec![column(0)],
                    aggregates: vec![tusk_sql::analyze::AggregateCall {
                        proc: Oid(2803),
                        args: Vec::new(),
                        distinct: false,
                        filter: None,
                        order_by: Vec::new(),
                        ret: type_oid::INT8,
                        location: 0,
                        direct_args: None,
                        definition: None,
                    }],
                    grouping_sets: Default::default(),
                }),
                exprs: vec![column(0), column(1)],
            }),
            keys: vec![SortColumn {
                column: 1,
                lt_proc: Oid(0),
                descending: true,
                nulls_first: true,
            }],
        }),
        limit: Some(TypedExpr::Const {
            value: Datum::Int8(3),
            type_oid: type_oid::INT8,
            typmod: -1,
            location: 0,
        }),
        offset: None,
    };
    assert_eq!(
        explain(&plan, false),
        [
            "Limit",
            "  ->  Sort",
            "        Sort Key: (count(*)) DESC",
            "        ->  HashAggregate",
            "              Group Key: a",
            "              ->  Seq Scan on t",
        ]
    );
}

#[test]
fn costs_follow_postgres_defaults_for_a_relation_without_statistics() {
    assert_eq!(
        explain(&Plan::SeqScan { rel: U, width: 2 }, true),
        ["Seq Scan on u  (cost=0.00..22.70 rows=1270 width=36)"]
    );
}

#[test]
fn constants_print_with_casts_where_postgres_shows_them() {
    let text = TypedExpr::Const {
        value: Datum::Text("it's".into()),
        type_oid: type_oid::TEXT,
        typmod: -1,
        location: 0,
    };
    let plan = Plan::Filter {
        input: scan(T),
        predicate: TypedExpr::Or(vec![
            op(
                Oid(67),
                TypedExpr::Column {
                    index: 1,
                    type_oid: type_oid::TEXT,
                    typmod: -1,
                    location: 0,
                },
                text,
            ),
            TypedExpr::NullTest {
                arg: Box::new(column(0)),
                is_null: true,
            },
        ]),
    };
    assert_eq!(
        explain(&plan, false),
        [
            "Seq Scan on t",
            "  Filter: ((b = 'it''s'::text) OR (a IS NULL))"
        ]
    );
}

#[test]
fn where_over_a_nested_loop_is_its_join_filter() {
    let plan = Plan::Filter {
        input: Box::new(Plan::NestedLoop {
            kind: JoinKind::Inner,
            outer: scan(T),
            inner: scan(U),
            condition: None,
            outer_width: 2,
            inner_width: 2,
        }),
        predicate: op(INT4LT, column(0), column(2)),
    };
    assert_eq!(
        explain(&plan, false),
        [
            "Nested Loop",
            "  Join Filter: (t.a < u.x)",
            "  ->  Seq Scan on t",
            "  ->  Seq Scan on u",
        ]
    );
}

#[test]
fn quals_over_a_subquery_read_its_expressions() {
    // SELECT * FROM (SELECT x + 1 AS z FROM u) s WHERE z > 3
    let plan = Plan::Filter {
        input: Box::new(Plan::ProjectSet {
            input: scan(U),
            exprs: vec![op(Oid(177), column(0), int(1))],
        }),
        predicate: op(INT4GT, column(0), int(3)),
    };
    assert_eq!(
        explain(&plan, false),
        ["Seq Scan on u", "  Filter: ((x + 1) > 3)"]
    );
}

#[test]
fn verbose_adds_output_lists_and_qualified_names() {
    let plan = Plan::Filter {
        input: scan(T),
        predicate: op(INT4GT, column(0), int(1)),
    };
    let lines = explain_plan(
        &plan,
        &relation,
        ExplainOptions {
            costs: false,
            verbose: true,
        },
    );
    assert_eq!(
        lines,
        [
            "Seq Scan on public.t",
            "  Output: a, b",
            "  Filter: (t.a > 1)"
        ]
    );
}
