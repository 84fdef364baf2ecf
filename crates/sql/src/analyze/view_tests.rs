//! View expansion against a catalog holding one table `t (a int4, b text)` and views
//! over it: column names come from the view, views over views and aliases work, a view
//! reached again is 42P17, and PostgreSQL's reasons a view is not updatable.

use std::sync::Arc;

use tusk_types::{type_oid, Datum, Oid, Result};

use super::*;
use crate::ast::Statement;

/// The test catalog (also used by `view_dml_tests.rs`).
pub(super) struct Views;

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

/// A view of the test catalog: name, OID, columns (name, type), query.
type TestView = (
    &'static str,
    u32,
    &'static [(&'static str, Oid)],
    &'static str,
);

const VIEWS: &[TestView] = &[
    (
        "v",
        200,
        &[("x", type_oid::INT4), ("b", type_oid::TEXT)],
        "SELECT a, b FROM public.t",
    ),
    (
        "vv",
        201,
        &[("x", type_oid::INT4)],
        "SELECT x FROM public.v",
    ),
    (
        "loop",
        202,
        &[("x", type_oid::INT4)],
        "SELECT x FROM public.loop",
    ),
    (
        "dist",
        203,
        &[("a", type_oid::INT4)],
        "SELECT DISTINCT a FROM public.t",
    ),
    // Created when `t` had only `a`.
    (
        "narrow",
        205,
        &[("a", type_oid::INT4)],
        "SELECT * FROM public.t",
    ),
    // Written through by `view_dml_tests.rs`.
    (
        "rw",
        206,
        &[("a", type_oid::INT4), ("nn", type_oid::BOOL)],
        "SELECT a, b IS NULL AS nn FROM public.t WHERE b IS NOT NULL",
    ),
    (
        "checked",
        207,
        &[("a", type_oid::INT4), ("b", type_oid::TEXT)],
        "SELECT a, b FROM public.t WHERE b IS NOT NULL",
    ),
    (
        "over_checked",
        208,
        &[("a", type_oid::INT4)],
        "SELECT a FROM public.checked",
    ),
    (
        "pair",
        204,
        &[("a", type_oid::INT4)],
        "SELECT t.a FROM public.t, public.t u",
    ),
];

impl CatalogLookup for Views {
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
    fn operators(&self, _: &str) -> Vec<OperCandidate> {
        Vec::new()
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
    fn format_type(&self, _: Oid) -> String {
        "integer".into()
    }
    fn relation(&self, _: Option<&str>, name: &str) -> Result<Option<Arc<RelationInfo>>> {
        let (oid, kind, columns) = match VIEWS.iter().find(|v| v.0 == name) {
            Some((_, oid, columns, _)) => (
                *oid,
                b'v',
                columns.iter().map(|(n, t)| column(n, *t)).collect(),
            ),
            None if name == "t" => (
                100,
                b'r',
                vec![column("a", type_oid::INT4), column("b", type_oid::TEXT)],
            ),
            // `g (a int4, b int4 GENERATED ALWAYS AS (a) STORED)`, for `generated_tests.rs`.
            None if name == "g" => (
                101,
                b'r',
                vec![
                    column("a", type_oid::INT4),
                    ColumnInfo {
                        default: Some("a".into()),
                        generated: true,
                        ..column("b", type_oid::INT4)
                    },
                ],
            ),
            None => return Ok(None),
        };
        Ok(Some(Arc::new(RelationInfo {
            oid: Oid(oid),
            name: name.into(),
            namespace: "public".into(),
            kind,
            columns,
            primary_key: Vec::new(),
            checks: Vec::new(),
        })))
    }
    fn relation_options(&self, relation: Oid) -> Result<Vec<String>> {
        Ok(match relation.0 {
            207 => vec!["check_option=cascaded".into()],
            _ => Vec::new(),
        })
    }
    fn view_query(&self, view: Oid) -> Result<Option<String>> {
        Ok(VIEWS
            .iter()
            .find(|v| v.1 == view.0)
            .map(|v| v.3.to_string()))
    }
}

fn analyze(sql: &str) -> Result<Query> {
    let stmt = crate::parse(sql)?.pop().expect("one statement");
    let Statement::Select(select) = stmt.stmt else {
        panic!("not a SELECT: {sql}")
    };
    Analyzer::new(&Views, sql, Vec::new()).analyze_select(&select)
}

fn names(sql: &str) -> Vec<String> {
    analyze(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .columns
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[test]
fn a_view_has_its_own_column_names() {
    assert_eq!(names("SELECT * FROM v"), vec!["x", "b"]);
    assert_eq!(names("SELECT v.x FROM v"), vec!["x"]);
    assert_eq!(names("SELECT * FROM vv"), vec!["x"]);
    assert_eq!(names("SELECT * FROM v AS w (y)"), vec!["y", "b"]);
    assert_eq!(names("SELECT w.b FROM v w JOIN t ON true"), vec!["b"]);
    assert_eq!(names("SELECT * FROM narrow"), vec!["a"]);
    assert!(analyze("SELECT b FROM narrow").is_err());
    let err = analyze("SELECT a FROM v").expect_err("a is renamed x");
    assert_eq!(err.code, tusk_types::SqlState::UNDEFINED_COLUMN);
}

#[test]
fn a_view_reached_again_is_infinite_recursion() {
    let err = analyze("SELECT * FROM loop").expect_err("recursion");
    assert_eq!(err.code, tusk_types::SqlState::INVALID_OBJECT_DEFINITION);
    assert_eq!(
        err.message,
        "infinite recursion detected in rules for relation \"loop\""
    );
    assert_eq!(err.position, None);
}

#[test]
fn reasons_a_view_is_not_updatable_follow_postgres() {
    let analyzer = Analyzer::new(&Views, "", Vec::new());
    let reason = |name: &str| {
        let info = Views.relation(None, name).expect("lookup").expect("exists");
        analyzer
            .view_not_updatable_reason(&info)
            .expect("analysable")
    };
    assert_eq!(reason("v"), None);
    assert_eq!(reason("vv"), None);
    assert_eq!(
        reason("dist"),
        Some("Views containing DISTINCT are not automatically updatable.")
    );
    assert_eq!(
        reason("pair"),
        Some(
            "Views that do not select from a single table or view are not automatically updatable."
        )
    );
}
