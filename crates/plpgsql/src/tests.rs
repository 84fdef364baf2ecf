//! Interpreter tests over [`crate::test_host::TestHost`] (SELECTs without tables): the
//! function entry point, control flow, records, RAISE, EXCEPTION blocks, analysis caching.

use tusk_types::{type_oid, Datum, SqlState};

use crate::ast::{DeclType, StmtKind};
use crate::test_host::TestHost;
use crate::{
    execute_do, execute_function, ArgMode, FunctionArg, FunctionCall, FunctionResult, NoticeLevel,
};

fn call(
    source: &str,
    args: Vec<FunctionArg>,
    result_type: u32,
    returns_set: bool,
) -> (TestHost, tusk_types::Result<FunctionResult>) {
    let mut host = TestHost::default();
    let name = match result_type {
        23 => "integer",
        25 => "text",
        _ => "void",
    };
    let call = FunctionCall {
        signature: "f(integer)",
        source,
        args,
        result_type: tusk_types::Oid(result_type),
        result_type_name: name,
        returns_set,
    };
    let result = execute_function(&mut host, &call);
    (host, result)
}

fn int_arg(name: &str, v: i32) -> FunctionArg {
    FunctionArg {
        name: name.into(),
        mode: ArgMode::In,
        type_oid: type_oid::INT4,
        value: Datum::Int4(v),
    }
}

fn notices(code: &str) -> Vec<String> {
    let mut host = TestHost::default();
    execute_do(&mut host, code).unwrap_or_else(|e| panic!("{code}: {e:?}"));
    host.notices.into_iter().map(|(_, m)| m).collect()
}

#[test]
fn function_returns_a_value_computed_from_arguments() {
    let (_, result) = call(
        "DECLARE acc int := 1; BEGIN FOR i IN 1..n LOOP acc := acc * i; END LOOP; RETURN acc; END",
        vec![int_arg("n", 5)],
        23,
        false,
    );
    assert_eq!(result.unwrap(), FunctionResult::Value(Datum::Int4(120)));
    // $1 reaches the first argument too.
    let (_, result) = call("BEGIN RETURN $1 + 1; END", vec![int_arg("n", 4)], 23, false);
    assert_eq!(result.unwrap(), FunctionResult::Value(Datum::Int4(5)));
}

#[test]
fn function_result_is_converted_to_the_declared_type() {
    let (_, result) = call(
        "BEGIN RETURN n || '0'; END",
        vec![int_arg("n", 4)],
        23,
        false,
    );
    assert_eq!(result.unwrap(), FunctionResult::Value(Datum::Int4(40)));
}

#[test]
fn falling_off_the_end_without_return_is_2f005() {
    let (_, result) = call("BEGIN NULL; END", vec![], 23, false);
    let err = result.unwrap_err();
    assert_eq!(
        err.code,
        SqlState::S_R_E_FUNCTION_EXECUTED_NO_RETURN_STATEMENT
    );
    assert_eq!(
        err.message,
        "control reached end of function without RETURN"
    );
}

#[test]
fn set_returning_function_collects_return_next_and_return_query() {
    let (_, result) = call(
        "BEGIN FOR i IN 1..n LOOP RETURN NEXT i * 10; END LOOP; RETURN QUERY SELECT 7; RETURN; RETURN NEXT 99; END",
        vec![int_arg("n", 2)],
        23,
        true,
    );
    assert_eq!(
        result.unwrap(),
        FunctionResult::Rows(vec![
            vec![Datum::Int4(10)],
            vec![Datum::Int4(20)],
            vec![Datum::Int4(7)]
        ])
    );
}

#[test]
fn nested_blocks_shadow_and_labels_reach_outer_variables() {
    assert_eq!(
        notices(
            "<<outer_block>> DECLARE x int := 1; BEGIN
               DECLARE x int := 2; BEGIN RAISE NOTICE '% %', x, outer_block.x; END;
               RAISE NOTICE '%', x;
             END"
        ),
        ["2 1", "1"]
    );
}

#[test]
fn loops_exit_and_continue_by_label() {
    assert_eq!(
        notices(
            "DECLARE n int := 0; BEGIN
               <<a>> FOR i IN 1..3 LOOP
                 FOR j IN 1..3 LOOP
                   CONTINUE a WHEN j = 2;
                   n := n + 10 * i + j;
                 END LOOP;
               END LOOP;
               WHILE n > 0 LOOP n := n - 50; EXIT WHEN n < 20; END LOOP;
               RAISE NOTICE '%', n;
             END"
        ),
        ["13"]
    );
}

#[test]
fn records_take_their_shape_from_the_row_assigned() {
    assert_eq!(
        notices(
            "DECLARE r record; BEGIN
               SELECT 1 AS a, 'x' AS b INTO r;
               RAISE NOTICE '% % %', r.a, r.b, r;
               SELECT 'y' AS b INTO r;
               RAISE NOTICE '%', r.b;
             END"
        ),
        ["1 x (1,x)", "y"]
    );
    let mut host = TestHost::default();
    let err = execute_do(
        &mut host,
        "DECLARE r record; BEGIN RAISE NOTICE '%', r.a; END",
    )
    .unwrap_err();
    assert_eq!(err.code, SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE);
    assert_eq!(err.message, "record \"r\" is not assigned yet");
}

#[test]
fn raise_levels_reach_the_host_and_exception_carries_context() {
    let mut host = TestHost::default();
    let err = execute_do(
        &mut host,
        "\nBEGIN\n  RAISE WARNING 'w%', 1;\n  RAISE EXCEPTION USING MESSAGE = 'm', DETAIL = 'd';\nEND",
    )
    .unwrap_err();
    assert_eq!(host.notices, [(NoticeLevel::Warning, "w1".to_string())]);
    assert_eq!(
        (err.code, err.message.as_str()),
        (SqlState::RAISE_EXCEPTION, "m")
    );
    assert_eq!(err.detail.as_deref(), Some("d"));
    assert_eq!(
        err.context.as_deref(),
        Some("PL/pgSQL function inline_code_block line 4 at RAISE")
    );
}

#[test]
fn exception_handlers_match_by_condition_and_run_after_rollback() {
    let mut host = TestHost::default();
    execute_do(
        &mut host,
        "DECLARE x int; BEGIN
           BEGIN x := 1 / 0; EXCEPTION
             WHEN unique_violation THEN RAISE NOTICE 'wrong';
             WHEN data_exception THEN RAISE NOTICE 'class % %', SQLSTATE, SQLERRM;
           END;
           BEGIN x := 1; EXCEPTION WHEN OTHERS THEN NULL; END;
         END",
    )
    .expect("handled");
    assert_eq!(
        host.notices,
        [(
            NoticeLevel::Notice,
            "class 22012 division by zero".to_string()
        )]
    );
    assert_eq!(host.subtransactions, (2, 1, 1));
    // Unmatched conditions propagate, with the statement's context.
    let err = execute_do(
        &mut host,
        "BEGIN PERFORM 1 / 0; EXCEPTION WHEN unique_violation THEN NULL; END",
    )
    .unwrap_err();
    assert_eq!(err.code, SqlState::DIVISION_BY_ZERO);
}

#[test]
fn variable_declarations_check_constant_and_not_null() {
    let mut host = TestHost::default();
    let err = execute_do(
        &mut host,
        "DECLARE x int NOT NULL := 1; BEGIN x := NULL; END",
    )
    .unwrap_err();
    assert_eq!(err.code, SqlState::NULL_VALUE_NOT_ALLOWED);
    assert_eq!(
        err.message,
        "null value cannot be assigned to variable \"x\" declared NOT NULL"
    );
    let err = execute_do(&mut host, "DECLARE x int; BEGIN x := 'abc'; END").unwrap_err();
    assert_eq!(err.code, SqlState::INVALID_TEXT_REPRESENTATION);
    assert_eq!(
        err.context.as_deref(),
        Some("PL/pgSQL function inline_code_block line 1 at assignment")
    );
}

#[test]
fn analysed_expressions_are_reused_per_call_site() {
    let mut host = TestHost::default();
    execute_do(
        &mut host,
        "DECLARE n int := 0; BEGIN WHILE n < 50 LOOP n := n + 1; END LOOP; END",
    )
    .expect("runs");
    // The type name, the default, the condition and the assignment: once each.
    assert_eq!(host.prepared, 4);
}

#[test]
fn case_without_match_or_else_is_case_not_found() {
    let mut host = TestHost::default();
    let err = execute_do(&mut host, "BEGIN CASE 3 WHEN 1, 2 THEN NULL; END CASE; END").unwrap_err();
    assert_eq!(err.code, SqlState::CASE_NOT_FOUND);
    assert_eq!(
        err.hint.as_deref(),
        Some("CASE statement is missing ELSE part.")
    );
}

#[test]
fn foreach_walks_array_elements() {
    assert_eq!(
        notices("DECLARE s int := 0; v int; BEGIN FOREACH v IN ARRAY ARRAY[1,2,3] LOOP s := s + v; END LOOP; RAISE NOTICE '%', s; END"),
        ["6"]
    );
}

#[test]
fn parse_assigns_declarations_to_their_blocks() {
    let f = crate::parse_do(
        "\nDECLARE\n  a int := 1;\n  b text;\nBEGIN\n  DECLARE c numeric;\n  BEGIN\n    FOR i IN 1..2 LOOP NULL; END LOOP;\n  END;\nEND",
    )
    .expect("parses");
    let outer = &f.body;
    let names = |ids: &[usize]| -> Vec<String> {
        ids.iter()
            .map(|&i| match &f.datums[i] {
                crate::ast::Datum::Var(v) => v.name.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(names(&outer.declared), ["a", "b"]);
    let StmtKind::Block(inner) = &outer.body[0].kind else {
        panic!("inner block expected");
    };
    assert_eq!(names(&inner.declared), ["c"]);
    let crate::ast::Datum::Var(c) = &f.datums[inner.declared[0]] else {
        panic!("variable expected");
    };
    assert_eq!(c.decl_type, DeclType::Named("numeric".into()));
}

#[test]
fn syntax_errors_are_42601() {
    let err = crate::parse_do("BEGIN IF THEN END IF; END").unwrap_err();
    assert_eq!(err.code, SqlState::SYNTAX_ERROR);
    let err = crate::parse_do("BEGIN y := 1; END").unwrap_err();
    assert_eq!(err.message, "\"y\" is not a known variable");
}

#[test]
fn errors_while_running_name_the_embedded_sql() {
    let mut host = TestHost::default();
    let err = execute_do(
        &mut host,
        "\nDECLARE\n  y int := 1;\n  x int := 1/0;\nBEGIN\nEND",
    )
    .unwrap_err();
    assert_eq!(
        err.context.as_deref(),
        Some("SQL expression \"1/0\"\nPL/pgSQL function inline_code_block line 4 during statement block local variable initialization")
    );
    let err = execute_do(&mut host, "DECLARE x int := 0; BEGIN x := 2 / x; END").unwrap_err();
    assert_eq!(
        err.context.as_deref(),
        Some("PL/pgSQL assignment \"x := 2 / x\"\nPL/pgSQL function inline_code_block line 1 at assignment")
    );
    // Analysis errors carry no SQL line.
    let err = execute_do(&mut host, "BEGIN RAISE NOTICE '%', nosuchvar; END").unwrap_err();
    assert_eq!(
        err.context.as_deref(),
        Some("PL/pgSQL function inline_code_block line 1 at RAISE")
    );
}

#[test]
fn return_with_a_value_in_a_do_block_is_refused_before_running() {
    let mut host = TestHost::default();
    let err = execute_do(
        &mut host,
        "BEGIN RAISE NOTICE 'ran'; IF false THEN RETURN 1; END IF; END",
    )
    .unwrap_err();
    assert_eq!(err.code, SqlState::DATATYPE_MISMATCH);
    assert_eq!(
        err.message,
        "RETURN cannot have a parameter in function returning void"
    );
    assert!(host.notices.is_empty());
}

#[test]
fn extra_checks_warn_or_fail_on_too_many_rows_and_column_counts() {
    let code = "DECLARE x int; y int; BEGIN
                  SELECT v INTO x FROM generate_series(1, 2) g(v);
                  SELECT 1, 2, 3 INTO x, y;
                END";
    let mut host = TestHost::default();
    host.settings_set = vec![("plpgsql.extra_warnings".into(), "all".into())];
    execute_do(&mut host, code).expect("only warnings");
    let messages: Vec<&str> = host.notices.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "query returned more than one row",
            "number of source and target fields in assignment does not match"
        ]
    );
    let mut host = TestHost::default();
    host.settings_set = vec![(
        "plpgsql.extra_errors".into(),
        "strict_multi_assignment".into(),
    )];
    let err = execute_do(&mut host, code).unwrap_err();
    assert_eq!(
        err.detail.as_deref(),
        Some("strict_multi_assignment check of extra_errors is active.")
    );
}

fn arg(name: &str, mode: ArgMode, v: Datum) -> FunctionArg {
    FunctionArg {
        name: name.into(),
        mode,
        type_oid: type_oid::INT4,
        value: v,
    }
}

#[test]
fn out_parameters_start_null_and_are_the_result() {
    // One OUT parameter: its value; falling off the end is a plain RETURN.
    let (_, result) = call(
        "BEGIN IF a > 0 THEN b := a * 2; RETURN; END IF; END",
        vec![int_arg("a", 4), arg("b", ArgMode::Out, Datum::Int4(99))],
        23,
        false,
    );
    assert_eq!(result.unwrap(), FunctionResult::Value(Datum::Int4(8)));
    let (_, result) = call(
        "BEGIN IF a > 0 THEN b := a * 2; END IF; END",
        vec![int_arg("a", -1), arg("b", ArgMode::Out, Datum::Null)],
        23,
        false,
    );
    assert_eq!(result.unwrap(), FunctionResult::Value(Datum::Null));
    // Several: a row of them, INOUT ones starting with the value passed.
    let (_, result) = call(
        "BEGIN a := a + 1; c := a * 10; END",
        vec![
            arg("a", ArgMode::InOut, Datum::Int4(1)),
            arg("c", ArgMode::Out, Datum::Null),
        ],
        2249,
        false,
    );
    assert_eq!(
        result.unwrap(),
        FunctionResult::Row(vec![Datum::Int4(2), Datum::Int4(20)])
    );
}

#[test]
fn return_next_without_a_value_adds_a_row_of_the_out_parameters() {
    let (_, result) = call(
        "BEGIN FOR k IN 1..n LOOP i := k; sq := k * k; RETURN NEXT; END LOOP; END",
        vec![
            int_arg("n", 2),
            arg("i", ArgMode::Out, Datum::Null),
            arg("sq", ArgMode::Out, Datum::Null),
        ],
        2249,
        true,
    );
    assert_eq!(
        result.unwrap(),
        FunctionResult::Rows(vec![
            vec![Datum::Int4(1), Datum::Int4(1)],
            vec![Datum::Int4(2), Datum::Int4(4)]
        ])
    );
    // RETURN NEXT of a variable (the grammar's dump keeps no expression for it).
    let (_, result) = call(
        "DECLARE v int := 5; BEGIN RETURN NEXT v; v := 6; RETURN NEXT v; END",
        vec![],
        23,
        true,
    );
    assert_eq!(
        result.unwrap(),
        FunctionResult::Rows(vec![vec![Datum::Int4(5)], vec![Datum::Int4(6)]])
    );
}

#[test]
fn return_with_a_value_is_refused_where_postgres_refuses_it() {
    let cases = [
        (
            "BEGIN b := 1; RETURN b; END",
            false,
            SqlState::DATATYPE_MISMATCH,
            "RETURN cannot have a parameter in function with OUT parameters",
        ),
        (
            "BEGIN b := 1; RETURN NEXT b; END",
            true,
            SqlState::DATATYPE_MISMATCH,
            "RETURN NEXT cannot have a parameter in function with OUT parameters",
        ),
        (
            "BEGIN RETURN 1; END",
            true,
            SqlState::DATATYPE_MISMATCH,
            "RETURN cannot have a parameter in function returning set",
        ),
    ];
    for (source, set, code, message) in cases {
        let (_, result) = call(source, vec![arg("b", ArgMode::Out, Datum::Null)], 23, set);
        let err = result.unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (code, message),
            "{source}"
        );
    }
}

#[test]
fn array_elements_are_assigned_by_subscript() {
    assert_eq!(
        notices(
            "DECLARE a int[]; m int[] := '{{1,2},{3,4}}'; i int := 2; BEGIN
               a[i] := 10; a[1] := '7'; a[4] := 40;
               m[i][1] := 30;
               RAISE NOTICE '% %', a, m;
             END"
        ),
        ["{7,10,NULL,40} {{1,2},{30,4}}"]
    );
    let mut host = TestHost::default();
    let err = execute_do(&mut host, "DECLARE a int[]; BEGIN a[NULL] := 1; END").unwrap_err();
    assert_eq!(err.code, SqlState::NULL_VALUE_NOT_ALLOWED);
    assert_eq!(
        err.message,
        "array subscript in assignment must not be null"
    );
    let err = execute_do(&mut host, "DECLARE a int := 1; BEGIN a[1] := 1; END").unwrap_err();
    assert_eq!(err.code, SqlState::DATATYPE_MISMATCH);
    assert_eq!(
        err.message,
        "cannot subscript type integer because it does not support subscripting"
    );
}

#[test]
fn record_fields_are_assigned_whole_or_by_subscript() {
    assert_eq!(
        notices(
            "DECLARE r record; BEGIN
               SELECT 1 AS n, ARRAY[1,2,3] AS arr INTO r;
               r.n := 42;
               r.arr[2] := 20;
               RAISE NOTICE '% %', r.n, r.arr;
             END"
        ),
        ["42 {1,20,3}"]
    );
    let function =
        crate::parse_do("DECLARE x record; z text; BEGIN x.y := 1; z := 'a.b := 2'; END")
            .expect("parses");
    let StmtKind::Assign { target, expr } = &function.body.body[0].kind else {
        panic!("assignment expected");
    };
    assert_eq!(expr.query, "x.y := 1");
    assert!(matches!(
        &function.datums[*target],
        crate::ast::Datum::RecordField { field, .. } if field == "y"
    ));
}
#[test]
fn bare_return_next_parses_in_functions_with_output_parameters() {
    let f = crate::parse::parse_function_with_outputs(
        "BEGIN RETURN NEXT; return  next ; END",
        &["a".into()],
        "SETOF integer",
        true,
    )
    .expect("parses");
    assert_eq!(f.body.body[0].kind, StmtKind::ReturnNext(None));
    assert_eq!(f.body.body[1].kind, StmtKind::ReturnNext(None));
}
