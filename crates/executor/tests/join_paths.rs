//! Join paths chosen by the planner and run against [`MemTables`]: conjuncts placed at
//! the scans they read, parameterized nested loops over an index of the inner relation,
//! hash joins across types, hashed `= ANY` subqueries; every query answers exactly what it
//! answers without indexes (compared as multisets).

use std::collections::HashMap;
use std::sync::Arc;

use tusk_executor::{
    run_query, BuiltinLookup, EvalContext, IndexColumnInfo, IndexInfo, MemTables, OutputSettings,
    Plan, SessionContext,
};
use tusk_sql::analyze::{
    Analyzer, CastPath, CatalogLookup, ColumnInfo, FuncCandidate, OperCandidate, Query,
    RelationInfo, TypeInfo,
};
use tusk_sql::ast::{JoinKind, Statement};
use tusk_types::{type_oid, Datum, Oid, Result};

struct TestCatalog<'a> {
    builtin: BuiltinLookup<'a>,
    relations: HashMap<String, Arc<RelationInfo>>,
}

impl CatalogLookup for TestCatalog<'_> {
    fn type_info(&self, oid: Oid) -> Option<TypeInfo> {
        self.builtin.type_info(oid)
    }
    fn type_by_name(&self, name: &str) -> Option<TypeInfo> {
        self.builtin.type_by_name(name)
    }
    fn operators(&self, name: &str) -> Vec<OperCandidate> {
        self.builtin.operators(name)
    }
    fn functions(&self, name: &str) -> Vec<FuncCandidate> {
        self.builtin.functions(name)
    }
    fn function(&self, oid: Oid) -> Option<FuncCandidate> {
        self.builtin.function(oid)
    }
    fn cast(&self, source: Oid, target: Oid) -> Option<CastPath> {
        self.builtin.cast(source, target)
    }
    fn input_literal(&self, text: &str, type_oid: Oid, typmod: i32) -> Result<Datum> {
        self.builtin.input_literal(text, type_oid, typmod)
    }
    fn format_type(&self, oid: Oid) -> String {
        self.builtin.format_type(oid)
    }
    fn relation(&self, _: Option<&str>, name: &str) -> Result<Option<Arc<RelationInfo>>> {
        Ok(self.relations.get(name).cloned())
    }
}

struct NoSession;

impl SessionContext for NoSession {
    fn setting(&self, _: &str) -> Result<String> {
        Ok(String::new())
    }
    fn set_setting(&mut self, _: &str, value: &str, _: bool) -> Result<String> {
        Ok(value.to_string())
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

const O: Oid = Oid(16384);
const I: Oid = Oid(16385);
const I_A: Oid = Oid(16390);
const I_B: Oid = Oid(16391);
const I_N: Oid = Oid(16392);

fn column(name: &str, type_oid: Oid) -> ColumnInfo {
    ColumnInfo {
        name: name.into(),
        type_oid,
        typmod: -1,
        not_null: false,
        default: None,
        identity: 0,
        generated: false,
        dropped: false,
    }
}

fn relation(oid: Oid, name: &str, columns: Vec<ColumnInfo>) -> Arc<RelationInfo> {
    Arc::new(RelationInfo {
        oid,
        name: name.into(),
        namespace: "public".into(),
        kind: b'r',
        columns,
        primary_key: Vec::new(),
        checks: Vec::new(),
    })
}

/// `o (x int4, y int8, s text)`: 30 rows with repeated keys and NULLs.
fn outer_rows() -> Vec<Vec<Datum>> {
    (0..30)
        .map(|i: i32| {
            vec![
                if i % 8 == 7 {
                    Datum::Null
                } else {
                    Datum::Int4(i % 12)
                },
                Datum::Int8(i64::from(i % 6)),
                Datum::Text(format!("k{}", i % 5)),
            ]
        })
        .collect()
}

/// `i (a int4, b int8, n name)`: 40 rows; `a` unique where not NULL, `b` and `n` repeat.
fn inner_rows() -> Vec<Vec<Datum>> {
    (0..40)
        .map(|i: i32| {
            vec![
                if i % 10 == 9 {
                    Datum::Null
                } else {
                    Datum::Int4(i)
                },
                if i % 7 == 6 {
                    Datum::Null
                } else {
                    Datum::Int8(i64::from(i % 4))
                },
                Datum::Text(format!("k{}", i % 7)),
            ]
        })
        .collect()
}

struct Db {
    settings: OutputSettings,
    relations: HashMap<String, Arc<RelationInfo>>,
    indexed: MemTables,
    plain: MemTables,
}

impl Db {
    fn new() -> Db {
        let indexed = MemTables::new();
        let plain = MemTables::new();
        for tables in [&indexed, &plain] {
            tables.create(O, outer_rows());
            tables.create(I, inner_rows());
        }
        let index = |oid, name: &str, attnum, type_oid, unique| IndexInfo {
            oid,
            name: name.into(),
            columns: vec![IndexColumnInfo {
                expr: None,
                attnum,
                type_oid,
                descending: false,
                nulls_first: false,
            }],
            unique,
            predicate: None,
        };
        indexed.create_index(I, index(I_A, "i_a", 1, type_oid::INT4, true));
        indexed.create_index(I, index(I_B, "i_b", 2, type_oid::INT8, false));
        indexed.create_index(I, index(I_N, "i_n", 3, type_oid::NAME, false));
        let mut relations = HashMap::new();
        relations.insert(
            "o".to_string(),
            relation(
                O,
                "o",
                vec![
                    column("x", type_oid::INT4),
                    column("y", type_oid::INT8),
                    column("s", type_oid::TEXT),
                ],
            ),
        );
        relations.insert(
            "i".to_string(),
            relation(
                I,
                "i",
                vec![
                    column("a", type_oid::INT4),
                    column("b", type_oid::INT8),
                    column("n", type_oid::NAME),
                ],
            ),
        );
        Db {
            settings: OutputSettings::default(),
            relations,
            indexed,
            plain,
        }
    }

    fn catalog(&self) -> TestCatalog<'_> {
        TestCatalog {
            builtin: BuiltinLookup {
                settings: &self.settings,
            },
            relations: self.relations.clone(),
        }
    }

    fn select(&self, sql: &str) -> Query {
        let stmt = tusk_sql::parse(sql).expect("parses").pop().expect("one");
        let Statement::Select(select) = stmt.stmt else {
            panic!("not a SELECT")
        };
        Analyzer::new(&self.catalog(), sql, Vec::new())
            .analyze_select(&select)
            .expect("analyses")
    }

    fn plan(&self, sql: &str) -> Plan {
        tusk_executor::plan_query(&self.select(sql), &self.indexed).expect("plans")
    }

    fn rows_of(&self, sql: &str, tables: &MemTables) -> Vec<String> {
        let query = self.select(sql);
        let mut session = NoSession;
        let mut ctx = EvalContext {
            modifying_ctes: Default::default(),
            session: &mut session,
            output: &self.settings,
            statement_start: 0,
            transaction_start: 0,
            current_user: "postgres",
            session_user: "postgres",
            database: "postgres",
            backend_pid: 1,
            params: &[],
            tables,
        };
        let mut out = Vec::new();
        run_query(&query, &mut ctx, &mut |r: &[Datum]| {
            out.push(format!("{r:?}"));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        out.sort();
        out
    }

    /// The rows of `sql` with indexes, checked equal to those without; at least `min`.
    fn same_rows(&self, sql: &str, min: usize) -> Vec<String> {
        let with = self.rows_of(sql, &self.indexed);
        let without = self.rows_of(sql, &self.plain);
        assert_eq!(with, without, "{sql}");
        assert!(with.len() >= min, "{sql}: {} rows", with.len());
        with
    }
}

/// Every node of `plan`, depth first.
fn nodes(plan: &Plan) -> Vec<&Plan> {
    let mut out = vec![plan];
    let children: Vec<&Plan> = match plan {
        Plan::Filter { input, .. }
        | Plan::Aggregate { input, .. }
        | Plan::WindowAgg { input, .. }
        | Plan::ProjectSet { input, .. }
        | Plan::Sort { input, .. }
        | Plan::Unique { input, .. }
        | Plan::Limit { input, .. }
        | Plan::LockRows { input, .. }
        | Plan::Project { input, .. } => vec![input],
        Plan::NestedLoop { outer, inner, .. }
        | Plan::ParameterizedNestedLoop { outer, inner, .. }
        | Plan::HashJoin { outer, inner, .. } => vec![outer, inner],
        _ => Vec::new(),
    };
    for c in children {
        out.extend(nodes(c));
    }
    out
}

fn count(plan: &Plan, what: fn(&Plan) -> bool) -> usize {
    nodes(plan).into_iter().filter(|p| what(p)).count()
}

#[test]
fn equality_join_on_an_indexed_inner_column_is_a_parameterized_nested_loop() {
    let db = Db::new();
    let sql = "SELECT * FROM o JOIN i ON i.a = o.x";
    let plan = db.plan(sql);
    assert_eq!(
        count(&plan, |p| matches!(
            p,
            Plan::ParameterizedNestedLoop {
                kind: JoinKind::Inner,
                ..
            }
        )),
        1,
        "{plan:#?}"
    );
    assert_eq!(count(&plan, |p| matches!(p, Plan::IndexScan { .. })), 1);
    db.same_rows(sql, 20);
}

#[test]
fn left_join_through_an_index_keeps_unmatched_and_null_keyed_outer_rows() {
    let db = Db::new();
    let sql = "SELECT o.x, o.s, i.a, i.n FROM o LEFT JOIN i ON i.a = o.x AND i.b = 1";
    let plan = db.plan(sql);
    assert_eq!(
        count(&plan, |p| matches!(
            p,
            Plan::ParameterizedNestedLoop {
                kind: JoinKind::Left,
                ..
            }
        )),
        1,
        "{plan:#?}"
    );
    let rows = db.same_rows(sql, 30);
    assert_eq!(rows.len(), 30, "every outer row once: i.a is unique");
    assert!(rows.iter().any(|r| r.starts_with("[Null, ")), "{rows:?}");
}

#[test]
fn cross_type_join_keys_use_the_index_or_hash() {
    let db = Db::new();
    // int8 column of the inner relation against an int4 outer column: duplicates.
    db.same_rows("SELECT o.x, i.a FROM o, i WHERE i.b = o.x", 40);
    db.same_rows("SELECT o.y, i.a FROM o JOIN i ON o.y = i.b", 60);
    // name against text.
    let sql = "SELECT o.s, i.a FROM o, i WHERE i.n = o.s";
    db.same_rows(sql, 20);
}

#[test]
fn where_conjuncts_of_one_relation_are_applied_at_its_scan() {
    let db = Db::new();
    let sql = "SELECT * FROM o, o o2 WHERE o.y = o2.y AND o.x > 3 AND o2.s < 'k3'";
    let plan = db.plan(sql);
    let Some(Plan::HashJoin {
        outer,
        inner,
        residual: None,
        ..
    }) = nodes(&plan)
        .into_iter()
        .find(|p| matches!(p, Plan::HashJoin { .. }))
    else {
        panic!("no hash join: {plan:#?}")
    };
    assert!(matches!(outer.as_ref(), Plan::Filter { .. }), "{outer:#?}");
    assert!(matches!(inner.as_ref(), Plan::Filter { .. }), "{inner:#?}");
    db.same_rows(sql, 10);
}

#[test]
fn three_way_join_hashes_both_joins() {
    let db = Db::new();
    let sql = "SELECT o1.x, o2.y, o3.s FROM o o1, o o2, o o3 \
               WHERE o1.x = o2.y AND o2.s = o3.s AND o3.x < 5";
    let plan = db.plan(sql);
    assert_eq!(
        count(&plan, |p| matches!(p, Plan::HashJoin { .. })),
        2,
        "{plan:#?}"
    );
    assert_eq!(count(&plan, |p| matches!(p, Plan::NestedLoop { .. })), 0);
    db.same_rows(sql, 50);
}

#[test]
fn outer_join_nullable_side_keeps_where_conjuncts_above_the_join() {
    let db = Db::new();
    for sql in [
        "SELECT o.x, i.a FROM o LEFT JOIN i ON i.a = o.x WHERE i.a IS NULL",
        "SELECT o.x, i.a FROM o LEFT JOIN i ON i.a = o.x WHERE o.y = 2 AND coalesce(i.b, 9) = 9",
        "SELECT o.x, i.a FROM i RIGHT JOIN o ON i.a = o.x AND o.y = 1 WHERE o.s <> 'k1'",
        "SELECT o.x, i.a FROM o FULL JOIN i ON i.a = o.x AND i.b = 2 WHERE o.x IS NULL",
        "SELECT o.x, i.a FROM o LEFT JOIN i ON i.a = o.x AND o.y = 3",
    ] {
        db.same_rows(sql, 0);
    }
}

#[test]
fn semi_and_anti_subqueries_agree_with_and_without_indexes() {
    let db = Db::new();
    for sql in [
        "SELECT * FROM o WHERE EXISTS (SELECT 1 FROM i WHERE i.a = o.x)",
        "SELECT * FROM o WHERE NOT EXISTS (SELECT 1 FROM i WHERE i.b = o.y AND i.a > 20)",
        "SELECT * FROM o WHERE o.x IN (SELECT a FROM i WHERE b = 1)",
        "SELECT * FROM o WHERE o.y NOT IN (SELECT b FROM i)",
        "SELECT * FROM o WHERE o.y NOT IN (SELECT b FROM i WHERE b IS NOT NULL)",
        "SELECT * FROM o WHERE o.s IN (SELECT n FROM i)",
        "SELECT o.x, o.x IN (SELECT a FROM i WHERE a < 5) FROM o",
        "SELECT o.x, o.x IN (SELECT a FROM i WHERE false) FROM o",
    ] {
        db.same_rows(sql, 0);
    }
}

#[test]
fn hashed_any_subquery_follows_null_semantics() {
    let db = Db::new();
    let rows = db.same_rows(
        "SELECT o.x, o.y NOT IN (SELECT b FROM i) FROM o WHERE o.x IN (0, 6) OR o.x IS NULL",
        1,
    );
    // i.b holds a NULL: NOT IN is false for a present value and NULL otherwise.
    for r in &rows {
        assert!(r.ends_with("Bool(false)]") || r.ends_with("Null]"), "{r}");
    }
    let rows = db.same_rows("SELECT x IN (SELECT a FROM i WHERE false) FROM o", 30);
    assert!(rows.iter().all(|r| r == "[Bool(false)]"), "{rows:?}");
}

#[test]
fn inner_joins_are_reordered_to_avoid_a_cross_product() {
    let db = Db::new();
    // o1 and o2 share no conjunct; both join o3.
    let sql = "SELECT o1.x, o2.s, o3.y FROM o o1, o o2, o o3 \
               WHERE o1.x = o3.x AND o2.y = o3.y AND o2.s <> 'k2'";
    let plan = db.plan(sql);
    assert_eq!(
        count(&plan, |p| matches!(p, Plan::HashJoin { .. })),
        2,
        "{plan:#?}"
    );
    assert_eq!(count(&plan, |p| matches!(p, Plan::NestedLoop { .. })), 0);
    let rows = db.same_rows(sql, 30);
    // The row is back in FROM order: x (int4), s (text), y (int8).
    assert!(rows[0].starts_with("[Int4("), "{}", rows[0]);
    assert!(rows[0].contains("Text("), "{}", rows[0]);
    // Also through an index, a LEFT join and an aggregate above.
    db.same_rows(
        "SELECT count(*), sum(i.a) FROM o o1 LEFT JOIN o o2 ON o1.s = o2.s, i \
         WHERE i.a = o1.x",
        1,
    );
    db.same_rows(
        "SELECT o1.x, i.n FROM o o1, o o2, i WHERE i.a = o2.x AND o1.s = i.n",
        1,
    );
}

#[test]
fn correlated_subquery_runs_once_per_distinct_outer_value() {
    let db = Db::new();
    let sql = "SELECT * FROM o WHERE EXISTS (SELECT 1 FROM i WHERE i.a = o.x)";
    let before = db.indexed.index_scans();
    db.same_rows(sql, 20);
    // 30 outer rows, 12 distinct non-NULL x values (a NULL key scans nothing).
    assert_eq!(db.indexed.index_scans() - before, 12);
    // A volatile function in the subquery: run for every row.
    db.same_rows(
        "SELECT * FROM o WHERE EXISTS (SELECT 1 FROM i WHERE i.a = o.x AND random() >= 0)",
        20,
    );
}
