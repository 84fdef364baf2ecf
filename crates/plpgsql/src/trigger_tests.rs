//! Trigger-function tests over [`crate::test_host::TestHost`]: `NEW`/`OLD` records,
//! `TG_*` variables, RETURN of a changed row or NULL, and direct calls refused.

use std::sync::Arc;

use tusk_types::adt::record::{Record, RecordDesc, RecordField};
use tusk_types::{type_oid, Datum, Oid, SqlState};

use crate::test_host::TestHost;
use crate::{CompiledFunction, TriggerData};

fn row(a: i32) -> Datum {
    let desc = Arc::new(RecordDesc {
        type_oid: type_oid::RECORD,
        fields: vec![RecordField {
            name: "a".into(),
            type_oid: type_oid::INT4,
            typmod: -1,
        }],
    });
    Datum::Record(Box::new(Record::new(desc, vec![Datum::Int4(a)])))
}

fn trigger(source: &str) -> CompiledFunction {
    let header = crate::FunctionHeader {
        params: Vec::new(),
        result_type: type_oid::TRIGGER,
        result_type_name: "trigger",
        returns_set: false,
        procedure: false,
        result_columns: Vec::new(),
        signature: "f()",
    };
    CompiledFunction::compile(source, &header).expect("compiles")
}

fn data(op: &str, new: Datum, old: Datum) -> TriggerData {
    TriggerData {
        new,
        old,
        name: "t".into(),
        when: "BEFORE".into(),
        level: "ROW".into(),
        op: op.into(),
        relid: Oid(16400),
        table_name: "tab".into(),
        table_schema: "public".into(),
        args: vec!["x".into(), "y".into()],
    }
}

#[test]
fn assigning_new_fields_changes_the_returned_row() {
    let f = trigger("BEGIN NEW.a := NEW.a * 10; RETURN NEW; END");
    let mut host = TestHost::default();
    let result = f
        .call_trigger(&mut host, &data("INSERT", row(4), Datum::Null))
        .expect("runs");
    assert_eq!(result, row(40));
}

#[test]
fn returning_null_skips_the_row_and_special_variables_are_set() {
    let f = trigger(
        "BEGIN RAISE NOTICE '% % % % % % %', TG_NAME, TG_WHEN, TG_LEVEL, TG_OP, \
         TG_TABLE_NAME, TG_NARGS, TG_ARGV[1]; RETURN NULL; END",
    );
    let mut host = TestHost::default();
    let result = f
        .call_trigger(&mut host, &data("DELETE", Datum::Null, row(1)))
        .expect("runs");
    assert_eq!(result, Datum::Null);
    let notices: Vec<String> = host.notices.into_iter().map(|(_, m)| m).collect();
    assert_eq!(notices, vec!["t BEFORE ROW DELETE tab 2 y"]);
}

#[test]
fn old_is_null_for_insert_and_direct_calls_are_refused() {
    // OLD has the table's row type in an INSERT trigger, and is NULL: its fields read
    // NULL (PostgreSQL 11 and later).
    let f = trigger("BEGIN RETURN OLD.a; END");
    let mut host = TestHost::default();
    let result = f
        .call_trigger(&mut host, &data("INSERT", row(1), Datum::Null))
        .expect("OLD's fields read NULL");
    assert_eq!(result, Datum::Null);
    let err = f.call(&mut host, &[]).expect_err("not called as a trigger");
    assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED);
    assert_eq!(
        err.message,
        "trigger functions can only be called as triggers"
    );
    let end = trigger("BEGIN END");
    let err = end
        .call_trigger(&mut host, &data("INSERT", row(1), Datum::Null))
        .expect_err("no RETURN");
    assert_eq!(
        err.message,
        "control reached end of trigger procedure without RETURN"
    );
}

#[test]
fn alias_for_new_reads_and_writes_the_row() {
    let f = trigger("DECLARE r ALIAS FOR new; BEGIN r.a := r.a + 1; RETURN r; END");
    let mut host = TestHost::default();
    let result = f
        .call_trigger(&mut host, &data("INSERT", row(1), Datum::Null))
        .expect("runs");
    assert_eq!(result, row(2));
}
