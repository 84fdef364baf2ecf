//! Index scans chosen by the planner and run against [`MemTables`]: which plan a query
//! gets (index and qualifications, direction, Sort skipped or not), and that every query
//! answers exactly what the same query answers over a sequential scan.

use std::collections::HashMap;
use std::sync::Arc;

use tusk_executor::{
    run_modify, run_query, BuiltinLookup, EvalContext, IndexColumnInfo, IndexInfo, IndexStrategy,
    MemTables, OutputSettings, Plan, ScanDirection, SessionContext,
};
use tusk_sql::analyze::{
    Analyzer, CastPath, CatalogLookup, ColumnInfo, FuncCandidate, OperCandidate, Query,
    RelationInfo, TypeInfo,
};
use tusk_sql::ast::Statement;
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

const T: Oid = Oid(16384);
const T_A: Oid = Oid(16390);
const T_B_C: Oid = Oid(16391);
const T_D_DESC: Oid = Oid(16392);
const T_C: Oid = Oid(16393);

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

fn index_column(attnum: i16, type_oid: Oid, descending: bool) -> IndexColumnInfo {
    IndexColumnInfo {
        attnum,
        expr: None,
        type_oid,
        descending,
        nulls_first: descending,
    }
}

/// `t (a int4, b int8, c text, d int4, e varchar)` with unique `t_a (a)`, `t_b_c (b, c)`,
/// `t_d_desc (d DESC)` and `t_c (c)`; 60 rows with repeats and NULLs.
struct Db {
    settings: OutputSettings,
    relations: HashMap<String, Arc<RelationInfo>>,
    indexed: MemTables,
    plain: MemTables,
}

fn rows() -> Vec<Vec<Datum>> {
    (0..60)
        .map(|i: i32| {
            vec![
                Datum::Int4(i),
                if i % 7 == 3 {
                    Datum::Null
                } else {
                    Datum::Int8(i64::from(i % 5))
                },
                Datum::Text(format!("c{}", i % 4)),
                if i % 9 == 0 {
                    Datum::Null
                } else {
                    Datum::Int4(i % 11)
                },
                Datum::Text(format!("v{:02}", i % 13)),
            ]
        })
        .collect()
}

impl Db {
    fn new() -> Db {
        let t = RelationInfo {
            oid: T,
            name: "t".into(),
            namespace: "public".into(),
            kind: b'r',
            columns: vec![
                column("a", type_oid::INT4),
                column("b", type_oid::INT8),
                column("c", type_oid::TEXT),
                column("d", type_oid::INT4),
                column("e", type_oid::VARCHAR),
            ],
            primary_key: Vec::new(),
            checks: Vec::new(),
        };
        let indexed = MemTables::new();
        let plain = MemTables::new();
        indexed.create(T, rows());
        plain.create(T, rows());
        let indexes = [
            (
                T_A,
                "t_a",
                true,
                vec![index_column(1, type_oid::INT4, false)],
            ),
            (
                T_B_C,
                "t_b_c",
                false,
                vec![
                    index_column(2, type_oid::INT8, false),
                    index_column(3, type_oid::TEXT, false),
                ],
            ),
            (
                T_D_DESC,
                "t_d_desc",
                false,
                vec![index_column(4, type_oid::INT4, true)],
            ),
            (
                T_C,
                "t_c",
                false,
                vec![index_column(5, type_oid::VARCHAR, false)],
            ),
        ];
        for (oid, name, unique, columns) in indexes {
            indexed.create_index(
                T,
                IndexInfo {
                    oid,
                    name: name.into(),
                    columns,
                    unique,
                    predicate: None,
                },
            );
        }
        let mut relations = HashMap::new();
        relations.insert("t".to_string(), Arc::new(t));
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

    fn rows_of(&self, sql: &str, tables: &MemTables, params: &[Datum]) -> Vec<Vec<Datum>> {
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
            params,
            tables,
        };
        let mut out = Vec::new();
        run_query(&query, &mut ctx, &mut |r: &[Datum]| {
            out.push(r.to_vec());
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        out
    }

    fn modify(&self, sql: &str, tables: &MemTables) -> u64 {
        let stmt = tusk_sql::parse(sql).expect("parses").pop().expect("one");
        let catalog = self.catalog();
        let mut analyzer = Analyzer::new(&catalog, sql, Vec::new());
        let query = match &stmt.stmt {
            Statement::Update(s) => analyzer.analyze_update(s),
            Statement::Delete(s) => analyzer.analyze_delete(s),
            other => panic!("not UPDATE/DELETE: {other:?}"),
        }
        .expect("analyses");
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
        run_modify(&query, &mut ctx, &mut |_| Ok(())).expect("runs")
    }

    /// The query's rows through the indexes equal its rows over sequential scans (as
    /// multisets, or in order when `ordered`); returns how many index scans ran.
    fn same_answer(&self, sql: &str, ordered: bool) -> usize {
        let before = self.indexed.index_scans();
        let mut with = self.rows_of(sql, &self.indexed, &[]);
        let mut without = self.rows_of(sql, &self.plain, &[]);
        if !ordered {
            let key = |r: &Vec<Datum>| format!("{r:?}");
            with.sort_by_key(key);
            without.sort_by_key(key);
        }
        assert_eq!(with, without, "{sql}");
        self.indexed.index_scans() - before
    }
}

/// The scan under Filter/ProjectSet/Sort/Limit/Project, and whether a Sort is there.
fn scan_of(plan: &Plan) -> (&Plan, bool) {
    match plan {
        Plan::Filter { input, .. }
        | Plan::ProjectSet { input, .. }
        | Plan::Limit { input, .. }
        | Plan::LockRows { input, .. }
        | Plan::Project { input, .. } => scan_of(input),
        Plan::Sort { input, .. } => (scan_of(input).0, true),
        other => (other, false),
    }
}

/// The index, its qualifications (column, strategy) and direction of a plan's scan.
type IndexUse = (Oid, Vec<(usize, IndexStrategy)>, ScanDirection);

fn index_of(plan: &Plan) -> Option<IndexUse> {
    match scan_of(plan).0 {
        Plan::IndexScan {
            index,
            quals,
            direction,
            ..
        } => Some((
            *index,
            quals.iter().map(|q| (q.column, q.strategy)).collect(),
            *direction,
        )),
        _ => None,
    }
}

#[test]
fn equality_on_a_unique_index_is_preferred() {
    let db = Db::new();
    let (index, quals, _) = db
        .index_of_sql("SELECT * FROM t WHERE b = 1 AND a = 7")
        .expect("an index scan");
    assert_eq!(index, T_A);
    assert_eq!(quals, vec![(0, IndexStrategy::Equal)]);
    // The conjunct the index does not answer stays as a filter.
    let Plan::ProjectSet { input, .. } = db.plan("SELECT * FROM t WHERE b = 1 AND a = 7") else {
        panic!("a projection on top")
    };
    assert!(matches!(*input, Plan::Filter { .. }));
}

#[test]
fn more_equality_columns_win_and_a_range_ends_the_prefix() {
    let db = Db::new();
    let (index, quals, _) = db
        .index_of_sql("SELECT * FROM t WHERE c = 'c1' AND b = 1")
        .expect("an index scan");
    assert_eq!(index, T_B_C);
    assert_eq!(
        quals,
        vec![(0, IndexStrategy::Equal), (1, IndexStrategy::Equal)]
    );
    let (index, quals, _) = db
        .index_of_sql("SELECT * FROM t WHERE 2 < b AND b <= 4 AND c = 'c1'")
        .expect("an index scan");
    assert_eq!(index, T_B_C);
    assert_eq!(
        quals,
        vec![(0, IndexStrategy::Greater), (0, IndexStrategy::LessEqual)]
    );
}

#[test]
fn unusable_conditions_keep_the_sequential_scan() {
    let db = Db::new();
    for sql in [
        "SELECT * FROM t",
        "SELECT * FROM t WHERE c = 'c1'",
        "SELECT * FROM t WHERE a + 0 = 7",
        "SELECT * FROM t WHERE a = d",
        "SELECT * FROM t WHERE a = 7.0",
        "SELECT * FROM t WHERE a = 7 OR a = 8",
        "SELECT * FROM t WHERE a <> 7",
        "SELECT * FROM t WHERE a = random()::int",
        "SELECT * FROM t WHERE a = (SELECT 7)",
    ] {
        assert_eq!(db.index_of_sql(sql), None, "{sql}");
    }
}

#[test]
fn cross_type_parameters_and_relabelled_columns_use_indexes() {
    let db = Db::new();
    let (index, _, _) = db
        .index_of_sql("SELECT * FROM t WHERE a = 7::int8")
        .expect("an index scan");
    assert_eq!(index, T_A);
    let (index, quals, _) = db
        .index_of_sql("SELECT * FROM t WHERE 'v03' >= e")
        .expect("an index scan");
    assert_eq!(index, T_C);
    assert_eq!(quals, vec![(0, IndexStrategy::LessEqual)]);
    let (index, _, _) = db
        .index_of_sql("SELECT * FROM t WHERE a = $1")
        .expect("an index scan");
    assert_eq!(index, T_A);
    let rows = db.rows_of(
        "SELECT a FROM t WHERE a = $1",
        &db.indexed,
        &[Datum::Int4(9)],
    );
    assert_eq!(rows, vec![vec![Datum::Int4(9)]]);
}

#[test]
fn index_order_replaces_the_sort_forward_and_backward() {
    let db = Db::new();
    let plan = db.plan("SELECT a FROM t ORDER BY a LIMIT 3");
    assert!(matches!(
        scan_of(&plan),
        (
            Plan::IndexScan {
                direction: ScanDirection::Forward,
                ..
            },
            false
        )
    ));
    let plan = db.plan("SELECT a FROM t ORDER BY a DESC LIMIT 3");
    assert!(matches!(
        scan_of(&plan),
        (
            Plan::IndexScan {
                direction: ScanDirection::Backward,
                ..
            },
            false
        )
    ));
    // d DESC NULLS FIRST is the index's own order; d ASC NULLS LAST its reverse.
    assert_eq!(
        db.index_of_sql("SELECT d FROM t ORDER BY d LIMIT 5")
            .map(|(i, _, d)| (i, d)),
        Some((T_D_DESC, ScanDirection::Backward))
    );
    // Mixed NULLS placement cannot come from the index.
    assert!(scan_of(&db.plan("SELECT d FROM t ORDER BY d NULLS FIRST LIMIT 5")).1);
    // Without LIMIT and without conditions, a full scan and a Sort.
    assert_eq!(db.index_of_sql("SELECT a FROM t ORDER BY a"), None);
    // With an equality on the first column, the second gives the order.
    let plan = db.plan("SELECT * FROM t WHERE b = 2 ORDER BY c DESC");
    assert!(matches!(
        scan_of(&plan),
        (
            Plan::IndexScan {
                direction: ScanDirection::Backward,
                ..
            },
            false
        )
    ));
    // Grouping reorders rows: the Sort stays.
    assert!(scan_of(&db.plan("SELECT b, count(*) FROM t WHERE b = 2 GROUP BY b ORDER BY b")).1);
}

#[test]
fn index_scans_answer_what_sequential_scans_answer() {
    let db = Db::new();
    let unordered = [
        "SELECT * FROM t WHERE a = 7",
        "SELECT * FROM t WHERE a = 700",
        "SELECT * FROM t WHERE a >= 50",
        "SELECT * FROM t WHERE a > 10 AND a < 20 AND d > 3",
        "SELECT * FROM t WHERE b = 1",
        "SELECT * FROM t WHERE b = 1 AND c = 'c2'",
        "SELECT * FROM t WHERE b >= 3 AND c = 'c1'",
        "SELECT * FROM t WHERE b < 2",
        "SELECT * FROM t WHERE 3 > b AND b > 0",
        "SELECT * FROM t WHERE d <= 4",
        "SELECT * FROM t WHERE d = 10",
        "SELECT * FROM t WHERE e < 'v05'",
        "SELECT * FROM t WHERE e = 'v05'",
        "SELECT * FROM t WHERE a = 3::int2",
        "SELECT * FROM t WHERE b = 2147483648",
        "SELECT count(*) FROM t WHERE b = 4",
        "SELECT * FROM t WHERE a IN (SELECT a FROM t WHERE b = 3)",
        "SELECT (SELECT max(c) FROM t t2 WHERE t2.a = t.a) FROM t",
    ];
    for sql in unordered {
        assert!(db.same_answer(sql, false) > 0, "{sql} scans no index");
    }
    // B-tree operators are strict: a NULL key finds nothing without reading the index.
    let sql = "SELECT * FROM t WHERE a = NULL::int4";
    assert!(matches!(scan_of(&db.plan(sql)).0, Plan::IndexScan { .. }));
    assert_eq!(db.same_answer(sql, false), 0);
    let ordered = [
        "SELECT a FROM t ORDER BY a LIMIT 5",
        "SELECT a FROM t ORDER BY a DESC LIMIT 5 OFFSET 2",
        "SELECT d, a FROM t WHERE d >= 2 ORDER BY d DESC, a",
        "SELECT d FROM t ORDER BY d LIMIT 10",
        "SELECT d FROM t ORDER BY d DESC NULLS FIRST LIMIT 10",
        "SELECT c FROM t WHERE b = 2 ORDER BY c DESC",
    ];
    for sql in ordered {
        db.same_answer(sql, true);
    }
}

#[test]
fn update_and_delete_find_their_rows_through_an_index() {
    let db = Db::new();
    for sql in [
        "UPDATE t SET d = d + 100 WHERE a = 5",
        "UPDATE t SET c = 'x' WHERE b = 2 AND a > 30",
        "DELETE FROM t WHERE b = 1 AND c = 'c1'",
        "DELETE FROM t WHERE a >= 55",
        "UPDATE t SET a = a + 1000 WHERE a < 3",
    ] {
        let before = db.indexed.index_scans();
        let n = db.modify(sql, &db.indexed);
        assert_eq!(db.indexed.index_scans(), before + 1, "{sql}");
        assert_eq!(n, db.modify(sql, &db.plain), "{sql}");
        // Rows updated are written in the order found: compare as sets.
        let sorted = |tables: &MemTables| {
            let mut rows: Vec<String> = tables.rows(T).iter().map(|r| format!("{r:?}")).collect();
            rows.sort();
            rows
        };
        assert_eq!(sorted(&db.indexed), sorted(&db.plain), "{sql}");
    }
}

impl Db {
    fn index_of_sql(&self, sql: &str) -> Option<IndexUse> {
        index_of(&self.plan(sql))
    }
}
