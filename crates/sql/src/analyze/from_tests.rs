//! Name resolution over FROM trees, against a catalog holding only two relations,
//! the `int4`/`text` types and `text = text`: the column lists `*` expands
//! to, the FROM-row slots references land on, outer references, and the errors.

use std::sync::Arc;

use tusk_types::{type_oid, Datum, Oid, Result, SqlState};

use super::*;
use crate::ast::Statement;

struct TwoTables;

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

impl CatalogLookup for TwoTables {
    fn type_info(&self, oid: Oid) -> Option<TypeInfo> {
        Some(TypeInfo {
            oid,
            name: if oid == type_oid::TEXT {
                "text"
            } else {
                "int4"
            }
            .into(),
            category: if oid == type_oid::TEXT { b'S' } else { b'N' },
            preferred: oid == type_oid::TEXT,
            typtype: b'b',
            elem: Oid::INVALID,
        })
    }
    fn type_by_name(&self, _: &str) -> Option<TypeInfo> {
        None
    }
    fn operators(&self, name: &str) -> Vec<OperCandidate> {
        // Only `text = text` (texteq), for USING.
        if name != "=" {
            return Vec::new();
        }
        vec![OperCandidate {
            oid: Oid(98),
            left: type_oid::TEXT,
            right: type_oid::TEXT,
            result: type_oid::BOOL,
            proc: Oid(67),
        }]
    }
    fn functions(&self, _: &str) -> Vec<FuncCandidate> {
        Vec::new()
    }
    fn function(&self, _: Oid) -> Option<FuncCandidate> {
        None
    }
    fn cast(&self, _: Oid, _: Oid) -> Option<CastPath> {
        None
    }
    fn input_literal(&self, text: &str, _: Oid, _: i32) -> Result<Datum> {
        Ok(Datum::Text(text.into()))
    }
    fn format_type(&self, oid: Oid) -> String {
        if oid == type_oid::TEXT {
            "text"
        } else {
            "integer"
        }
        .into()
    }
    fn relation(&self, _: Option<&str>, name: &str) -> Result<Option<Arc<RelationInfo>>> {
        let (oid, columns) = match name {
            // `t` has a dropped column between `a` and `b`.
            "t" => (
                100,
                vec![
                    column("a", type_oid::INT4),
                    ColumnInfo {
                        dropped: true,
                        ..column("........pg.dropped.2........", type_oid::INT4)
                    },
                    column("b", type_oid::TEXT),
                ],
            ),
            "u" => (
                101,
                vec![column("b", type_oid::TEXT), column("c", type_oid::INT4)],
            ),
            // `p` (a, dropped, b) has the inheritance child `pc` (x, b, a).
            "p" => (
                103,
                vec![
                    column("a", type_oid::INT4),
                    ColumnInfo {
                        dropped: true,
                        ..column("........pg.dropped.2........", type_oid::INT4)
                    },
                    column("b", type_oid::TEXT),
                ],
            ),
            "pc" => (
                102,
                vec![
                    column("x", type_oid::INT4),
                    column("b", type_oid::TEXT),
                    column("a", type_oid::INT4),
                ],
            ),
            _ => return Ok(None),
        };
        Ok(Some(Arc::new(RelationInfo {
            oid: Oid(oid),
            name: name.into(),
            namespace: "public".into(),
            kind: b'r',
            columns,
            primary_key: Vec::new(),
            checks: Vec::new(),
        })))
    }
    fn inheritance_descendants(&self, parent: Oid) -> Result<Vec<Arc<RelationInfo>>> {
        if parent != Oid(103) {
            return Ok(Vec::new());
        }
        Ok(self.relation(None, "pc")?.into_iter().collect())
    }
}

fn analyze(sql: &str) -> Result<Query> {
    let stmt = crate::parse(sql)?.pop().expect("one statement");
    let Statement::Select(select) = stmt.stmt else {
        panic!("not a SELECT: {sql}")
    };
    Analyzer::new(&TwoTables, sql, Vec::new()).analyze_select(&select)
}

fn names(sql: &str) -> Vec<String> {
    analyze(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .columns
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn slots(sql: &str) -> Vec<usize> {
    analyze(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .targets
        .iter()
        .map(|t| match t {
            TypedExpr::Column { index, .. } => *index,
            other => panic!("not a column: {other:?}"),
        })
        .collect()
}

fn error(sql: &str) -> (SqlState, String, Option<u32>) {
    let e = analyze(sql).expect_err(sql);
    (e.code, e.message, e.position)
}

#[test]
fn star_skips_dropped_columns_and_merges_using_columns_first() {
    assert_eq!(names("SELECT * FROM t"), ["a", "b"]);
    assert_eq!(slots("SELECT * FROM t"), [0, 2]);
    assert_eq!(names("SELECT * FROM t JOIN u USING (b)"), ["b", "a", "c"]);
    assert_eq!(names("SELECT * FROM t NATURAL JOIN u"), ["b", "a", "c"]);
    assert_eq!(names("SELECT * FROM t, u"), ["a", "b", "b", "c"]);
    assert_eq!(names("SELECT u.*, t.a FROM t, u"), ["b", "c", "a"]);
    assert_eq!(names("SELECT * FROM t AS x (p)"), ["p", "b"]);
}

#[test]
fn references_land_on_from_row_slots() {
    // t occupies slots 0..3 (its dropped column included), u 3..5.
    assert_eq!(slots("SELECT u.c, t.b, a FROM t, u"), [4, 2, 0]);
    // A merged USING column of an inner join is the left side's.
    assert_eq!(slots("SELECT b FROM t JOIN u USING (b)"), [2]);
}

#[test]
fn column_and_table_errors_match_postgres() {
    assert_eq!(
        error("SELECT b FROM t, u"),
        (
            SqlState::AMBIGUOUS_COLUMN,
            "column reference \"b\" is ambiguous".into(),
            Some(8)
        )
    );
    assert_eq!(
        error("SELECT t.z FROM t"),
        (
            SqlState::UNDEFINED_COLUMN,
            "column t.z does not exist".into(),
            Some(8)
        )
    );
    assert_eq!(
        error("SELECT x.a FROM t"),
        (
            SqlState::UNDEFINED_TABLE,
            "missing FROM-clause entry for table \"x\"".into(),
            Some(8)
        )
    );
    assert_eq!(error("SELECT 1 FROM t, u t").0, SqlState::DUPLICATE_ALIAS);
    assert_eq!(
        error("SELECT 1 FROM nope"),
        (
            SqlState::UNDEFINED_TABLE,
            "relation \"nope\" does not exist".into(),
            Some(15)
        )
    );
}

#[test]
fn subqueries_see_enclosing_columns_as_outer_references() {
    let q = analyze("SELECT (SELECT c FROM u WHERE u.c IS NULL AND t.a IS NULL) FROM t")
        .expect("analyses");
    let TypedExpr::SubLink { query, .. } = &q.targets[0] else {
        panic!("not a subquery: {:?}", q.targets[0]);
    };
    assert!(walk::is_correlated(query));
    let mut outer = Vec::new();
    walk::map_query((**query).clone(), 0, &mut |e, _| {
        if let TypedExpr::OuterColumn {
            levels_up, index, ..
        } = &e
        {
            outer.push((*levels_up, *index));
        }
        e
    });
    assert_eq!(outer, [(1, 0)]);
}

#[test]
fn ctes_are_visible_to_later_ctes_and_the_query_only() {
    assert_eq!(
        names("WITH x AS (SELECT a FROM t), y AS (SELECT a AS z FROM x) SELECT * FROM y"),
        ["z"]
    );
    assert_eq!(
        error("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s, x").1,
        "relation \"x\" does not exist"
    );
}

/// Resolves `n` and `f.n` to the first parameter, an integer.
struct FunctionArgs;

impl ParamResolver for FunctionArgs {
    fn resolve(&self, fields: &[String]) -> Option<TypedExpr> {
        let named = match fields {
            [name] => name == "n",
            [func, name] => func == "f" && name == "n",
            _ => false,
        };
        named.then_some(TypedExpr::Param {
            index: 0,
            type_oid: type_oid::INT4,
        })
    }
}

fn analyze_with_args(sql: &str) -> Result<Query> {
    let stmt = crate::parse(sql)?.pop().expect("one statement");
    let Statement::Select(select) = stmt.stmt else {
        panic!("not a SELECT: {sql}")
    };
    Analyzer::new(&TwoTables, sql, Vec::new())
        .with_param_resolver(&FunctionArgs)
        .analyze_select(&select)
}

#[test]
fn parameter_names_resolve_where_no_column_has_them() {
    let is_param = |e: &TypedExpr| matches!(e, TypedExpr::Param { index: 0, .. });
    let q =
        analyze_with_args("SELECT n, f.n, (SELECT n) FROM (SELECT 1 AS a) s").expect("analyses");
    assert!(q.targets[..2].iter().all(is_param), "{:?}", q.targets);
    assert!(
        !matches!(q.targets[2], TypedExpr::Column { .. }),
        "{:?}",
        q.targets
    );
    // A column of the same name wins, as for SQL functions.
    let q = analyze_with_args("SELECT n FROM (SELECT 1 AS n) s").expect("analyses");
    assert!(
        matches!(q.targets[0], TypedExpr::Column { .. }),
        "{:?}",
        q.targets
    );
    // Other names are still undefined columns.
    let e = analyze_with_args("SELECT m").expect_err("m is unknown");
    assert_eq!(e.code, SqlState::UNDEFINED_COLUMN);
}

/// The Column slot each target of a branch query reads (None for a constant).
fn target_slots(query: &Query) -> Vec<Option<usize>> {
    query
        .targets
        .iter()
        .map(|t| match t {
            TypedExpr::Column { index, .. } => Some(*index),
            _ => None,
        })
        .collect()
}

#[test]
fn inheritance_children_are_appended_in_the_parents_layout() {
    let query = analyze("SELECT b, a FROM p").expect("analyze");
    let FromSource::SetOp {
        op: crate::ast::SetOpKind::Union,
        all: true,
        left,
        right,
    } = &query.source
    else {
        panic!("not an append: {:?}", query.source)
    };
    assert!(matches!(
        left.source,
        FromSource::Relation {
            oid: Oid(103),
            width: 3
        }
    ));
    assert!(matches!(
        right.source,
        FromSource::Relation {
            oid: Oid(102),
            width: 3
        }
    ));
    // The child's `a` is its third column, `b` its second; the dropped slot reads NULL.
    assert_eq!(target_slots(right), vec![Some(2), None, Some(1)]);
    assert_eq!(query.source.width(), 3);
}

#[test]
fn only_reads_the_parent_alone() {
    for sql in ["SELECT b FROM ONLY p", "SELECT b FROM pc"] {
        let query = analyze(sql).expect("analyze");
        assert!(
            matches!(query.source, FromSource::Relation { .. }),
            "{sql}: {:?}",
            query.source
        );
    }
}
#[test]
fn locking_clause_marks_relations_with_their_ctid_slots() {
    use crate::ast_lock::{RowLockStrength, RowLockWait};
    let q = analyze("SELECT * FROM t, u FOR SHARE OF u SKIP LOCKED").expect("analyze");
    // t: 3 attributes + 6 system columns; u starts at slot 9, its ctid at 9 + 2.
    assert_eq!(q.row_marks.len(), 1);
    let m = &q.row_marks[0];
    assert_eq!((m.relation, m.ctid_slot), (Oid(101), 11));
    assert_eq!(
        (m.strength, m.wait),
        (RowLockStrength::Share, RowLockWait::SkipLocked)
    );
    let q = analyze("SELECT a FROM t FOR KEY SHARE FOR UPDATE OF t NOWAIT").expect("analyze");
    assert_eq!(
        q.row_marks.len(),
        1,
        "one mark per relation, strongest lock"
    );
    assert_eq!(q.row_marks[0].strength, RowLockStrength::Update);
    assert_eq!(q.row_marks[0].wait, RowLockWait::NoWait);
    // Pushed down into a subquery: the outer query marks nothing itself.
    let q = analyze("SELECT * FROM (SELECT a FROM t) s FOR UPDATE").expect("analyze");
    assert!(q.row_marks.is_empty());
    let FromSource::Subquery(sub) = &q.source else {
        panic!("not a subquery")
    };
    assert_eq!(sub.row_marks.len(), 1);
    assert_eq!(locked_relations(&q), vec![Oid(100)]);
}

#[test]
fn locking_clause_errors() {
    let (code, message, position) = error("SELECT * FROM t FOR UPDATE OF x");
    assert_eq!(code, SqlState::UNDEFINED_TABLE);
    assert_eq!(
        message,
        "relation \"x\" in FOR UPDATE clause not found in FROM clause"
    );
    assert_eq!(position, Some(31));
    for (sql, message) in [
        (
            "SELECT DISTINCT a FROM t FOR UPDATE",
            "FOR UPDATE is not allowed with DISTINCT clause",
        ),
        (
            "SELECT a FROM t GROUP BY a FOR SHARE",
            "FOR SHARE is not allowed with GROUP BY clause",
        ),
        (
            "SELECT * FROM t RIGHT JOIN u USING (b) FOR UPDATE",
            "FOR UPDATE cannot be applied to the nullable side of an outer join",
        ),
        (
            "VALUES (1) FOR UPDATE",
            "FOR UPDATE cannot be applied to VALUES",
        ),
    ] {
        let (code, got, _) = error(sql);
        assert_eq!(code, SqlState::FEATURE_NOT_SUPPORTED, "{sql}");
        assert_eq!(got, message, "{sql}");
    }
}

#[test]
fn locking_clause_in_a_recursive_query_is_refused() {
    let (code, message, _) = error(
        "WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n FROM x FOR UPDATE) SELECT * FROM x",
    );
    assert_eq!(code, SqlState::FEATURE_NOT_SUPPORTED);
    assert_eq!(
        message,
        "FOR UPDATE/SHARE in a recursive query is not implemented"
    );
}

#[test]
fn data_modifying_ctes_belong_to_the_top_level_statement() {
    let q =
        analyze("WITH d AS (DELETE FROM t WHERE b = 'x' RETURNING b) SELECT d.b FROM d, d AS e")
            .expect("analyses");
    assert_eq!(q.modifying.len(), 1);
    assert_eq!(q.modifying[0].query.command, ModifyCommand::Delete);
    assert_eq!(q.columns[0].type_oid, type_oid::TEXT);
    // Both references read the one statement's rows.
    let id = q.modifying[0].id;
    let reads = format!("{:?}", q.source)
        .matches(&format!("ModifyingCte {{ id: {id}, width: 1 }}"))
        .count();
    assert_eq!(reads, 2);
    // One without RETURNING runs all the same.
    let q = analyze("WITH d AS (DELETE FROM t) SELECT 1").expect("analyses");
    assert_eq!(q.modifying.len(), 1);
    assert!(q.modifying[0].query.returning_columns.is_empty());
}

#[test]
fn misplaced_data_modifying_ctes_fail_as_in_postgres() {
    let top_level = "WITH clause containing a data-modifying statement must be at the top level";
    assert_eq!(
        error("SELECT * FROM (WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d) s"),
        (SqlState::FEATURE_NOT_SUPPORTED, top_level.into(), Some(21))
    );
    assert_eq!(
        error("WITH x AS (SELECT 1), y AS (WITH d AS (DELETE FROM t) SELECT 1) SELECT 1").1,
        top_level
    );
    assert_eq!(
        error("WITH d AS (DELETE FROM t) SELECT * FROM d"),
        (
            SqlState::FEATURE_NOT_SUPPORTED,
            "WITH query \"d\" does not have a RETURNING clause".into(),
            Some(41)
        )
    );
    assert_eq!(
        error("WITH RECURSIVE d AS (INSERT INTO t SELECT * FROM d RETURNING *) SELECT 1"),
        (
            SqlState::INVALID_RECURSION,
            "recursive query \"d\" must not contain data-modifying statements".into(),
            Some(16)
        )
    );
    assert_eq!(
        error("WITH m AS (MERGE INTO t USING u ON t.b = u.b WHEN MATCHED THEN DELETE) SELECT 1"),
        (
            SqlState::FEATURE_NOT_SUPPORTED,
            "MERGE not supported in WITH query".into(),
            Some(6)
        )
    );
}

#[test]
fn recursive_with_reads_ctes_written_later() {
    assert_eq!(
        names("WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT 1 AS x) SELECT * FROM a"),
        ["x"]
    );
    let q = analyze(
        "WITH RECURSIVE i AS (INSERT INTO t SELECT * FROM d RETURNING a), \
         d AS (DELETE FROM t RETURNING *) SELECT * FROM i",
    )
    .expect("analyses");
    assert_eq!(q.modifying.len(), 2);
    // Without RECURSIVE, or naming no CTE, the relation is missing.
    assert_eq!(
        error("WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS x) SELECT * FROM a").1,
        "relation \"b\" does not exist"
    );
    assert_eq!(
        error("WITH RECURSIVE a AS (SELECT * FROM nope), b AS (SELECT 1) SELECT 1").1,
        "relation \"nope\" does not exist"
    );
}
