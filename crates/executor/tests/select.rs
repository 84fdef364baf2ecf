//! Data-driven SELECT tests: every `tests/select/*.test` file declares tables and
//! queries with the results PostgreSQL 15 gave for them (filled in by
//! `tests/select/generate.py` against a real server); tusk must answer the same, byte for
//! byte in text output, including error SQLSTATEs, messages and cursor positions.

use std::collections::HashMap;
use std::sync::Arc;

use tusk_executor::{
    run_query, BuiltinLookup, EvalContext, MemTables, OutputSettings, SessionContext,
};
use tusk_sql::analyze::{
    Analyzer, CastPath, CatalogLookup, ColumnInfo, FuncCandidate, OperCandidate, RelationInfo,
    TypeInfo,
};
use tusk_sql::ast::Statement;
use tusk_types::{Datum, Error, Oid, Result};

/// The built-in catalog plus the test's relations.
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
    fn relation(&self, schema: Option<&str>, name: &str) -> Result<Option<Arc<RelationInfo>>> {
        Ok(match schema {
            None | Some("regress_select") => self.relations.get(name).cloned(),
            Some(_) => None,
        })
    }
}

struct NoSession;

impl SessionContext for NoSession {
    fn setting(&self, name: &str) -> Result<String> {
        Err(tusk_types::pg_err!(
            UNDEFINED_OBJECT,
            "unrecognized configuration parameter \"{}\"",
            name
        ))
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

enum Block {
    Table {
        head: String,
        rows: Vec<String>,
    },
    Query {
        rowsort: bool,
        sql: String,
        expected: Vec<String>,
    },
}

fn parse_file(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("table ") {
            let mut rows = Vec::new();
            i += 1;
            while lines[i] != "end" {
                rows.push(lines[i].to_string());
                i += 1;
            }
            blocks.push(Block::Table {
                head: line.to_string(),
                rows,
            });
        } else if line.starts_with("query") {
            let rowsort = line.trim() == "query rowsort";
            let mut sql = Vec::new();
            i += 1;
            while lines[i] != "----" {
                sql.push(lines[i]);
                i += 1;
            }
            i += 1;
            let mut expected = Vec::new();
            while i < lines.len() && !lines[i].is_empty() {
                expected.push(lines[i].to_string());
                i += 1;
            }
            blocks.push(Block::Query {
                rowsort,
                sql: sql.join("\n"),
                expected,
            });
        }
        i += 1;
    }
    blocks
}

/// `table name (col type, ...)`: the relation, with OIDs from `next_oid`.
fn relation(head: &str, oid: u32, catalog: &BuiltinLookup<'_>) -> RelationInfo {
    let rest = head.strip_prefix("table ").expect("table line");
    let (name, cols) = rest.split_once('(').expect("column list");
    let cols = cols
        .trim_end()
        .strip_suffix(')')
        .expect("closing parenthesis");
    let columns = cols
        .split(',')
        .map(|c| {
            let mut parts = c.split_whitespace();
            let name = parts.next().expect("column name").to_string();
            let ty = parts.next().expect("column type");
            ColumnInfo {
                name,
                type_oid: catalog.type_by_name(ty).expect("known type").oid,
                typmod: -1,
                not_null: false,
                default: None,
                identity: 0,
                generated: false,
                dropped: false,
            }
        })
        .collect();
    RelationInfo {
        oid: Oid(oid),
        name: name.trim().to_string(),
        namespace: "regress_select".into(),
        kind: b'r',
        columns,
        primary_key: Vec::new(),
        checks: Vec::new(),
    }
}

fn error_line(e: &Error) -> String {
    let mut s = format!("ERROR {} {}", e.code.code(), e.message);
    if let Some(p) = e.position {
        s.push_str(&format!(" at {p}"));
    }
    s
}

fn run(
    catalog: &TestCatalog<'_>,
    tables: &MemTables,
    settings: &OutputSettings,
    sql: &str,
) -> Vec<String> {
    let attempt = || -> Result<Vec<String>> {
        let stmt = tusk_sql::parse(sql)?.pop().expect("one statement");
        let Statement::Select(select) = stmt.stmt else {
            panic!("not a SELECT: {sql}")
        };
        let query = Analyzer::new(catalog, sql, Vec::new()).analyze_select(&select)?;
        let mut out = vec![query
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .join("|")];
        let mut session = NoSession;
        let mut ctx = EvalContext {
            modifying_ctes: Default::default(),
            session: &mut session,
            output: settings,
            statement_start: 0,
            transaction_start: 0,
            current_user: "postgres",
            session_user: "postgres",
            database: "postgres",
            backend_pid: 1,
            params: &[],
            tables,
        };
        let types: Vec<Oid> = query.columns.iter().map(|c| c.type_oid).collect();
        run_query(&query, &mut ctx, &mut |row: &[Datum]| {
            let texts = row
                .iter()
                .zip(&types)
                .map(|(d, t)| match d {
                    Datum::Null => Ok("NULL".to_string()),
                    d => tusk_executor::io::text_out_string(d, *t, settings),
                })
                .collect::<Result<Vec<_>>>()?;
            out.push(texts.join("|"));
            Ok(())
        })?;
        Ok(out)
    };
    attempt().unwrap_or_else(|e| vec![error_line(&e)])
}

fn run_file(name: &str) {
    let path = format!("{}/tests/select/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("test file");
    let settings = OutputSettings::default();
    let mut catalog = TestCatalog {
        builtin: BuiltinLookup {
            settings: &settings,
        },
        relations: HashMap::new(),
    };
    let tables = MemTables::new();
    let mut failures = Vec::new();
    let mut next_oid = 16_384;
    for block in parse_file(&text) {
        match block {
            Block::Table { head, rows } => {
                let rel = relation(&head, next_oid, &catalog.builtin);
                next_oid += 1;
                let data = rows
                    .iter()
                    .map(|r| {
                        r.split('\t')
                            .zip(&rel.columns)
                            .map(|(v, c)| {
                                if v == "\\N" {
                                    Datum::Null
                                } else {
                                    tusk_executor::io::text_in(v, c.type_oid, -1, &settings)
                                        .expect("valid test data")
                                }
                            })
                            .collect()
                    })
                    .collect();
                tables.create(rel.oid, data);
                catalog.relations.insert(rel.name.clone(), Arc::new(rel));
            }
            Block::Query {
                rowsort,
                sql,
                expected,
            } => {
                let mut actual = run(&catalog, &tables, &settings, &sql);
                if rowsort && !actual[0].starts_with("ERROR") {
                    actual[1..].sort();
                }
                if actual != expected {
                    failures.push(format!(
                        "{sql}\n--- expected\n{}\n--- actual\n{}\n",
                        expected.join("\n"),
                        actual.join("\n")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the queries in {name} differ from PostgreSQL:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn joins_match_postgres() {
    run_file("joins.test");
}

#[test]
fn join_order_and_hashed_subqueries_match_postgres() {
    run_file("join_order.test");
}

#[test]
fn aggregates_match_postgres() {
    run_file("aggregates.test");
}

#[test]
fn set_operations_match_postgres() {
    run_file("setops.test");
}

#[test]
fn subqueries_match_postgres() {
    run_file("subqueries.test");
}

#[test]
fn common_table_expressions_match_postgres() {
    run_file("cte.test");
}

#[test]
fn mixed_queries_over_generated_data_match_postgres() {
    run_file("mixed.test");
}

#[test]
fn window_functions_match_postgres() {
    run_file("window.test");
}

#[test]
fn assorted_queries_match_postgres() {
    run_file("more.test");
}

#[test]
fn row_comparisons_match_postgres() {
    run_file("rows.test");
}

#[test]
fn json_jsonb_and_uuid_match_postgres() {
    run_file("json.test");
}

#[test]
fn network_address_types_match_postgres() {
    run_file("network.test");
}

fn plan_of(sql: &str) -> tusk_executor::Plan {
    let settings = OutputSettings::default();
    let builtin = BuiltinLookup {
        settings: &settings,
    };
    let mut relations = HashMap::new();
    for (i, head) in ["table l (a int4, b text)", "table r (a int8, c numeric)"]
        .iter()
        .enumerate()
    {
        let rel = relation(head, 20_000 + i as u32, &builtin);
        relations.insert(rel.name.clone(), Arc::new(rel));
    }
    let catalog = TestCatalog { builtin, relations };
    let stmt = tusk_sql::parse(sql).expect("parses").pop().expect("one");
    let Statement::Select(select) = stmt.stmt else {
        panic!("not a SELECT")
    };
    let query = Analyzer::new(&catalog, sql, Vec::new())
        .analyze_select(&select)
        .expect("analyses");
    tusk_executor::plan_query(&query, &tusk_executor::NoTables).expect("plans")
}

fn join_node(plan: &tusk_executor::Plan) -> &tusk_executor::Plan {
    use tusk_executor::Plan;
    match plan {
        Plan::ProjectSet { input, .. }
        | Plan::Filter { input, .. }
        | Plan::Sort { input, .. }
        | Plan::Project { input, .. } => join_node(input),
        other => other,
    }
}

#[test]
fn equalities_between_the_sides_become_hash_join_keys() {
    use tusk_executor::Plan;
    let plan = plan_of("SELECT * FROM l JOIN r ON l.a = r.a AND l.b > 'x'");
    match join_node(&plan) {
        Plan::HashJoin {
            outer,
            outer_keys,
            inner_keys,
            residual,
            ..
        } => {
            assert_eq!(outer_keys.len(), 1);
            assert_eq!(inner_keys.len(), 1);
            assert!(
                residual.is_none(),
                "l.b > 'x' reads only l: filtered at its scan"
            );
            assert!(matches!(outer.as_ref(), Plan::Filter { .. }), "{outer:?}");
        }
        other => panic!("expected a hash join, got {other:?}"),
    }
    // int4 = numeric compares in numeric on both sides: still hashable.
    assert!(matches!(
        join_node(&plan_of("SELECT * FROM l JOIN r ON l.a = r.c")),
        Plan::HashJoin { .. }
    ));
    // No equality between the two sides: a nested loop.
    assert!(matches!(
        join_node(&plan_of("SELECT * FROM l JOIN r ON l.a < r.a")),
        Plan::NestedLoop { .. }
    ));
    assert!(matches!(
        join_node(&plan_of("SELECT * FROM l, r")),
        Plan::NestedLoop { .. }
    ));
}

#[test]
fn a_parameter_typed_after_a_subquery_is_not_reported_untyped() {
    let settings = OutputSettings::default();
    let catalog = BuiltinLookup {
        settings: &settings,
    };
    let sql = "SELECT $1 + (SELECT 1)";
    let stmt = tusk_sql::parse(sql).expect("parses").pop().expect("one");
    let Statement::Select(select) = stmt.stmt else {
        panic!("not a SELECT")
    };
    let mut analyzer = Analyzer::new(&catalog, sql, Vec::new());
    analyzer.analyze_select(&select).expect("analyses");
    assert_eq!(analyzer.param_types, vec![tusk_types::type_oid::INT4]);
}

#[test]
fn records_match_postgres() {
    run_file("records.test");
}
