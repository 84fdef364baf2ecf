//! Tests of [`SessionConfig`]: SET/RESET, transactions and savepoints, startup options,
//! SHOW and `pg_settings`, ParameterStatus reporting and reload. Expected values were
//! taken from PostgreSQL 15 running the same statements.

use super::*;
use crate::guc::server::tests::TempDir;

fn session() -> SessionConfig {
    SessionConfig::new(&ServerConfig::boot())
}

fn set(s: &mut SessionConfig, name: &str, value: &str) {
    s.set(name, Some(value), false, true).expect("SET succeeds");
}

fn set_local(s: &mut SessionConfig, name: &str, value: &str) {
    s.set(name, Some(value), true, true)
        .expect("SET LOCAL succeeds");
}

fn show(s: &SessionConfig, name: &str) -> String {
    s.show(name).expect("SHOW succeeds")
}

#[test]
fn set_and_show_with_units() {
    let mut s = session();
    assert_eq!(show(&s, "work_mem"), "4MB");
    assert_eq!(show(&s, "shared_buffers"), "128MB");
    assert_eq!(show(&s, "checkpoint_timeout"), "5min");
    assert_eq!(show(&s, "wal_buffers"), "4MB");
    assert_eq!(show(&s, "statement_timeout"), "0");
    assert_eq!(show(&s, "max_stack_depth"), "2MB");
    assert_eq!(show(&s, "log_autovacuum_min_duration"), "10min");
    assert_eq!(show(&s, "autovacuum_vacuum_cost_delay"), "2ms");
    assert_eq!(show(&s, "effective_cache_size"), "4GB");
    assert_eq!(show(&s, "data_directory_mode"), "0700");
    assert_eq!(show(&s, "archive_command"), "(disabled)");
    assert_eq!(show(&s, "server_version"), "15.18");
    set(&mut s, "work_mem", "1.5MB");
    assert_eq!(show(&s, "work_mem"), "1536kB");
    assert_eq!(s.get_int("work_mem"), 1536);
    set(&mut s, "statement_timeout", "1.5s");
    assert_eq!(show(&s, "statement_timeout"), "1500ms");
    set(&mut s, "statement_timeout", "1d");
    assert_eq!(show(&s, "statement_timeout"), "1d");
    set(&mut s, "vacuum_cost_delay", "500us");
    assert_eq!(show(&s, "vacuum_cost_delay"), "500us");
    assert_eq!(s.get_real("vacuum_cost_delay"), 0.5);
    set(&mut s, "WORK_MEM", "0x100");
    assert_eq!(show(&s, "work_mem"), "256kB");
    set(&mut s, "synchronous_commit", "true");
    assert_eq!(show(&s, "synchronous_commit"), "on");
    set(&mut s, "client_min_messages", "debug");
    assert_eq!(show(&s, "client_min_messages"), "debug2");
    set(&mut s, "enable_seqscan", "of");
    assert!(!s.get_bool("enable_seqscan"));
}

#[test]
fn special_show_names() {
    let mut s = session();
    assert_eq!(show(&s, "TIME ZONE"), "GMT");
    assert_eq!(show(&s, "transaction isolation level"), "read committed");
    s.set_internal("session_authorization", "alice")
        .expect("internal");
    assert_eq!(show(&s, "SESSION AUTHORIZATION"), "alice");
    assert_eq!(s.show_column_name("datestyle").expect("known"), "DateStyle");
    set(&mut s, "datestyle", "sql, dmy");
    assert_eq!(show(&s, "DateStyle"), "SQL, DMY");
    set(&mut s, "timezone", "america/new_york");
    assert_eq!(show(&s, "timezone"), "America/New_York");
    set(&mut s, "search_path", "a, \"B c\", d");
    assert_eq!(show(&s, "search_path"), "a, \"B c\", d");
}

#[test]
fn errors_match_postgres() {
    let mut s = session();
    let err = s.show("nosuch").expect_err("unknown");
    assert_eq!(err.code, SqlState::UNDEFINED_OBJECT);
    assert_eq!(
        err.message,
        "unrecognized configuration parameter \"nosuch\""
    );
    let err = s
        .set("nosuch", Some("1"), false, true)
        .expect_err("unknown");
    assert_eq!(err.code, SqlState::UNDEFINED_OBJECT);
    let err = s
        .set("work_mem", Some("abc"), false, true)
        .expect_err("bad");
    assert_eq!(err.code, SqlState::INVALID_PARAMETER_VALUE);
    assert_eq!(
        err.message,
        "invalid value for parameter \"work_mem\": \"abc\""
    );
    let err = s
        .set("shared_buffers", Some("1GB"), false, true)
        .expect_err("postmaster");
    assert_eq!(err.code, SqlState::CANT_CHANGE_RUNTIME_PARAM);
    assert_eq!(
        err.message,
        "parameter \"shared_buffers\" cannot be changed without restarting the server"
    );
    let err = s
        .set("server_version", Some("1"), false, true)
        .expect_err("internal");
    assert_eq!(
        err.message,
        "parameter \"server_version\" cannot be changed"
    );
    let err = s
        .set("autovacuum_vacuum_cost_delay", Some("1"), false, true)
        .expect_err("sighup");
    assert_eq!(
        err.message,
        "parameter \"autovacuum_vacuum_cost_delay\" cannot be changed now"
    );
    let err = s
        .set("log_connections", Some("on"), false, true)
        .expect_err("backend");
    assert_eq!(
        err.message,
        "parameter \"log_connections\" cannot be set after connection start"
    );
    let err = s
        .set("lc_messages", Some("C"), false, false)
        .expect_err("superuser");
    assert_eq!(err.code, SqlState::INSUFFICIENT_PRIVILEGE);
    assert_eq!(
        err.message,
        "permission denied to set parameter \"lc_messages\""
    );
    s.set("lc_messages", Some("C"), false, true)
        .expect("superuser may");
    let err = s.set("myapp", Some("1"), false, true).expect_err("no dot");
    assert_eq!(
        err.message,
        "unrecognized configuration parameter \"myapp\""
    );
    let err = s
        .set("my-app.x", Some("1"), false, true)
        .expect_err("bad name");
    assert_eq!(err.code, SqlState::INVALID_NAME);
    assert_eq!(
        err.message,
        "invalid configuration parameter name \"my-app.x\""
    );
}

#[test]
fn placeholders_are_created_by_set_and_reset() {
    let mut s = session();
    assert!(s.show("myapp.foo").is_err());
    set(&mut s, "myapp.foo", "x");
    assert_eq!(show(&s, "myapp.foo"), "x");
    assert_eq!(show(&s, "MYAPP.FOO"), "x");
    s.reset("myapp.y", false).expect("reset creates");
    assert_eq!(show(&s, "myapp.y"), "");
    s.at_transaction_start();
    set(&mut s, "myapp.z", "q");
    s.at_abort();
    assert_eq!(show(&s, "myapp.z"), "");
    assert!(s.show_all().iter().all(|(n, _, _)| !n.starts_with("myapp")));
}

#[test]
fn rollback_undoes_set_and_commit_keeps_it() {
    let mut s = session();
    s.at_transaction_start();
    set(&mut s, "work_mem", "8MB");
    s.at_abort();
    assert_eq!(show(&s, "work_mem"), "4MB");
    s.at_transaction_start();
    set(&mut s, "work_mem", "8MB");
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "8MB");
    assert_eq!(s.get_source("work_mem"), Some(GucSource::Session));
}

#[test]
fn set_local_ends_with_the_transaction() {
    let mut s = session();
    s.at_transaction_start();
    set_local(&mut s, "work_mem", "8MB");
    assert_eq!(show(&s, "work_mem"), "8MB");
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "4MB");
    // SET then SET LOCAL at one level: commit keeps the SET value.
    s.at_transaction_start();
    set(&mut s, "work_mem", "8MB");
    set_local(&mut s, "work_mem", "16MB");
    assert_eq!(show(&s, "work_mem"), "16MB");
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "8MB");
}

#[test]
fn savepoints_follow_postgres() {
    let mut s = session();
    // BEGIN; SET 8MB; SAVEPOINT s; SET 16MB; ROLLBACK TO s → 8MB; COMMIT → 8MB.
    s.at_transaction_start();
    set(&mut s, "work_mem", "8MB");
    s.at_savepoint();
    set(&mut s, "work_mem", "16MB");
    s.at_rollback_to_savepoint();
    assert_eq!(show(&s, "work_mem"), "8MB");
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "8MB");
    s.reset("work_mem", false).expect("reset");

    // BEGIN; SAVEPOINT s; SET LOCAL 8MB; RELEASE s → 8MB; COMMIT → 4MB.
    s.at_transaction_start();
    s.at_savepoint();
    set_local(&mut s, "work_mem", "8MB");
    s.at_release_savepoint();
    assert_eq!(show(&s, "work_mem"), "8MB");
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "4MB");

    // BEGIN; SET LOCAL 8MB; SAVEPOINT a; SET 16MB; RELEASE a; COMMIT → 16MB.
    s.at_transaction_start();
    set_local(&mut s, "work_mem", "8MB");
    s.at_savepoint();
    set(&mut s, "work_mem", "16MB");
    s.at_release_savepoint();
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "16MB");
    s.reset("work_mem", false).expect("reset");

    // BEGIN; SET 8MB; SAVEPOINT a; SET LOCAL 16MB; RELEASE a → 16MB; COMMIT → 8MB.
    s.at_transaction_start();
    set(&mut s, "work_mem", "8MB");
    s.at_savepoint();
    set_local(&mut s, "work_mem", "16MB");
    s.at_release_savepoint();
    assert_eq!(show(&s, "work_mem"), "16MB");
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "8MB");
    s.reset("work_mem", false).expect("reset");

    // BEGIN; SET 8MB; SAVEPOINT a; SAVEPOINT b; SET 16MB; RELEASE b; ROLLBACK TO a → 8MB.
    s.at_transaction_start();
    set(&mut s, "work_mem", "8MB");
    s.at_savepoint();
    s.at_savepoint();
    set(&mut s, "work_mem", "16MB");
    s.at_release_savepoint();
    s.at_rollback_to_savepoint();
    assert_eq!(show(&s, "work_mem"), "8MB");
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "8MB");
    s.reset("work_mem", false).expect("reset");

    // BEGIN; SAVEPOINT a; SAVEPOINT b; SET 16MB; RELEASE b; RELEASE a; COMMIT → 16MB.
    s.at_transaction_start();
    s.at_savepoint();
    s.at_savepoint();
    set(&mut s, "work_mem", "16MB");
    s.at_release_savepoint();
    s.at_release_savepoint();
    s.at_commit();
    assert_eq!(show(&s, "work_mem"), "16MB");
}

#[test]
fn reset_all_is_transactional_and_skips_no_reset_all() {
    let mut s = session();
    set(&mut s, "work_mem", "2MB");
    s.set_internal("is_superuser", "on").expect("internal");
    s.at_transaction_start();
    s.reset_all();
    assert_eq!(show(&s, "work_mem"), "4MB");
    s.at_abort();
    assert_eq!(show(&s, "work_mem"), "2MB");
    s.reset_all();
    assert_eq!(show(&s, "work_mem"), "4MB");
    assert_eq!(show(&s, "is_superuser"), "on");
}

#[test]
fn startup_options_become_reset_values() {
    let mut s = session();
    s.set_from_startup("work_mem", "8MB", false)
        .expect("startup");
    s.set_from_startup("application_name", "psql", false)
        .expect("startup");
    s.set_from_startup("log_connections", "on", true)
        .expect("superuser-backend");
    set(&mut s, "work_mem", "1MB");
    s.reset("work_mem", false).expect("reset");
    assert_eq!(show(&s, "work_mem"), "8MB");
    let row = s
        .pg_settings_rows()
        .into_iter()
        .find(|r| r.name == "work_mem")
        .expect("row");
    assert_eq!(row.source, "client");
    assert_eq!(row.reset_val.as_deref(), Some("8192"));
    let err = s
        .set_from_startup("log_connections", "on", false)
        .expect_err("not superuser");
    assert_eq!(
        err.message,
        "permission denied to set parameter \"log_connections\""
    );
    let err = s
        .set_from_startup("shared_buffers", "1GB", true)
        .expect_err("postmaster");
    assert_eq!(
        err.message,
        "parameter \"shared_buffers\" cannot be changed without restarting the server"
    );
    let err = s
        .set_from_startup("lc_messages", "C", false)
        .expect_err("superuser");
    assert_eq!(
        err.message,
        "permission denied to set parameter \"lc_messages\""
    );
}

#[test]
fn pg_settings_rows_carry_every_column() {
    let s = session();
    let rows = s.pg_settings_rows();
    assert!(rows.len() >= 345, "{}", rows.len());
    assert!(rows.iter().all(|r| r.name != "is_superuser"));
    let work_mem = rows
        .iter()
        .find(|r| r.name == "work_mem")
        .expect("work_mem");
    assert_eq!(work_mem.setting.as_deref(), Some("4096"));
    assert_eq!(work_mem.unit.as_deref(), Some("kB"));
    assert_eq!(work_mem.vartype, "integer");
    assert_eq!(work_mem.context, "user");
    assert_eq!(work_mem.source, "default");
    assert_eq!(work_mem.min_val.as_deref(), Some("64"));
    assert_eq!(work_mem.max_val.as_deref(), Some("2147483647"));
    assert_eq!(work_mem.boot_val.as_deref(), Some("4096"));
    assert_eq!(work_mem.enumvals, None);
    let iso = rows
        .iter()
        .find(|r| r.name == "IntervalStyle")
        .expect("IntervalStyle");
    assert_eq!(
        iso.enumvals.clone().expect("enum"),
        vec!["postgres", "postgres_verbose", "sql_standard", "iso_8601"]
    );
    assert_eq!(iso.min_val, None);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    let at = |n: &str| names.iter().position(|x| *x == n).expect("present");
    assert!(at("archive_timeout") < at("DateStyle") && at("DateStyle") < at("db_user_namespace"));
    let all = s.show_all();
    assert_eq!(all.len(), rows.len());
    let wm = all
        .iter()
        .find(|(n, _, _)| n == "work_mem")
        .expect("work_mem");
    assert_eq!(wm.1, "4MB");
    assert_eq!(
        wm.2,
        "Sets the maximum memory to be used for query workspaces."
    );
}

#[test]
fn reported_params_in_postgres_order_and_changes() {
    let mut s = session();
    s.set_internal("session_authorization", "postgres")
        .expect("internal");
    let all = s.reported_params();
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "application_name",
            "client_encoding",
            "DateStyle",
            "default_transaction_read_only",
            "in_hot_standby",
            "integer_datetimes",
            "IntervalStyle",
            "is_superuser",
            "server_encoding",
            "server_version",
            "session_authorization",
            "standard_conforming_strings",
            "TimeZone",
        ]
    );
    assert!(all.contains(&("server_version".into(), "15.18".into())));
    assert!(all.contains(&("client_encoding".into(), "UTF8".into())));
    assert!(s.take_reported_changes().is_empty());
    set(&mut s, "application_name", "app");
    set(&mut s, "work_mem", "8MB");
    set(&mut s, "DateStyle", "sql");
    assert_eq!(
        s.take_reported_changes(),
        vec![
            ("application_name".to_string(), "app".to_string()),
            ("DateStyle".to_string(), "SQL, MDY".to_string()),
        ]
    );
    s.at_transaction_start();
    set(&mut s, "TimeZone", "UTC");
    s.at_abort();
    assert!(
        s.take_reported_changes().is_empty(),
        "value is back to the reported one"
    );
}

#[test]
fn reload_reaches_sessions_unless_overridden() {
    let dir = TempDir::new();
    let conf = dir.0.join("postgresql.conf");
    std::fs::write(
        &conf,
        "work_mem = 4MB\nrandom_page_cost = 4\nlog_connections = off\n",
    )
    .expect("write");
    let mut server = ServerConfig::load(&dir.0, &[]).expect("load");
    let mut s = SessionConfig::new(&server);
    set(&mut s, "random_page_cost", "2");
    std::fs::write(
        &conf,
        "work_mem = 8MB\nrandom_page_cost = 3\nlog_connections = on\n",
    )
    .expect("write");
    server.reload(&dir.0);
    s.apply_reload(&server);
    assert_eq!(show(&s, "work_mem"), "8MB");
    assert_eq!(show(&s, "random_page_cost"), "2");
    assert_eq!(
        show(&s, "log_connections"),
        "off",
        "backend parameters stay"
    );
    s.reset("random_page_cost", false).expect("reset");
    assert_eq!(show(&s, "random_page_cost"), "3");
    let row = s
        .pg_settings_rows()
        .into_iter()
        .find(|r| r.name == "work_mem")
        .expect("row");
    assert_eq!(row.source, "configuration file");
    assert_eq!(row.sourcefile, Some(conf.display().to_string()));
    assert_eq!(row.sourceline, Some(1));
}

#[test]
fn transaction_parameters_follow_defaults() {
    let mut s = session();
    set(&mut s, "default_transaction_isolation", "serializable");
    s.at_transaction_start();
    assert_eq!(show(&s, "transaction_isolation"), "serializable");
    s.at_commit();
    let row = s
        .pg_settings_rows()
        .into_iter()
        .find(|r| r.name == "transaction_isolation")
        .expect("row");
    assert_eq!(row.source, "override");
}

#[test]
fn reserved_prefixes_remove_and_refuse_placeholders() {
    let mut s = session();
    set(&mut s, "plpgsql.extra_foo_warnings", "true");
    let warnings = s.reserve_prefix("plpgsql");
    assert_eq!(
        warnings,
        vec![(
            "invalid configuration parameter name \"plpgsql.extra_foo_warnings\", removing it"
                .to_string(),
            "\"plpgsql\" is now a reserved prefix.".to_string()
        )]
    );
    let err = s
        .set("plpgsql.extra_foo_warnings", Some("true"), false, true)
        .expect_err("reserved");
    assert_eq!(err.code, SqlState::INVALID_NAME);
    assert_eq!(
        err.detail.as_deref(),
        Some("\"plpgsql\" is a reserved prefix.")
    );
    let err = s.show("plpgsql.extra_foo_warnings").expect_err("gone");
    assert_eq!(
        err.message,
        "unrecognized configuration parameter \"plpgsql.extra_foo_warnings\""
    );
}

#[test]
fn hidden_compatibility_parameters() {
    let mut s = session();
    set(&mut s, "default_with_oids", "f");
    let err = s
        .set("default_with_oids", Some("t"), false, true)
        .expect_err("no oids");
    assert_eq!(err.code, SqlState::FEATURE_NOT_SUPPORTED);
    assert_eq!(err.message, "tables declared WITH OIDS are not supported");
    assert_eq!(show(&s, "ssl_renegotiation_limit"), "0");
    assert!(s
        .show_all()
        .iter()
        .all(|(n, _, _)| n != "default_with_oids"));
}

#[test]
fn database_defaults_rank_below_client_options() {
    let mut s = session();
    s.set_from_startup("work_mem", "8MB", false)
        .expect("client");
    s.set_default_from("work_mem", "2MB", GucSource::Database, false)
        .expect("ignored, lower priority");
    s.set_default_from("random_page_cost", "1.5", GucSource::User, false)
        .expect("role default");
    assert_eq!(show(&s, "work_mem"), "8MB");
    assert_eq!(show(&s, "random_page_cost"), "1.5");
    set(&mut s, "random_page_cost", "3");
    s.reset("random_page_cost", false).expect("reset");
    assert_eq!(show(&s, "random_page_cost"), "1.5");
    assert_eq!(s.get_source("random_page_cost"), Some(GucSource::User));
}

#[test]
fn set_transaction_rules_follow_postgres() {
    let mut s = session();
    s.at_transaction_start();
    set_local(&mut s, "transaction_isolation", "serializable");
    set_local(&mut s, "transaction_read_only", "on");
    s.set_first_snapshot_taken();
    let err = s
        .set("transaction_isolation", Some("repeatable read"), true, true)
        .expect_err("after a query");
    assert_eq!(err.code, SqlState::ACTIVE_SQL_TRANSACTION);
    assert_eq!(
        err.message,
        "SET TRANSACTION ISOLATION LEVEL must be called before any query"
    );
    set_local(&mut s, "transaction_isolation", "serializable");
    let err = s
        .set("transaction_read_only", Some("off"), true, true)
        .expect_err("read-write after a query");
    assert_eq!(
        err.message,
        "transaction read-write mode must be set before any query"
    );
    s.at_abort();
    s.at_transaction_start();
    s.at_savepoint();
    let err = s
        .set("transaction_deferrable", Some("on"), true, true)
        .expect_err("subtransaction");
    assert_eq!(
        err.message,
        "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction"
    );
    s.at_abort();
    assert_eq!(show(&s, "transaction_isolation"), "read committed");
}

#[test]
fn superuser_only_parameters_need_read_all_settings() {
    let s = session();
    let err = s.show_for("data_directory", false).expect_err("hidden");
    assert_eq!(err.code, SqlState::INSUFFICIENT_PRIVILEGE);
    assert_eq!(
        err.message,
        "must be superuser or have privileges of pg_read_all_settings to examine \"data_directory\""
    );
    assert!(s.show_for("data_directory", true).is_ok());
    let all = s.pg_settings_rows().len();
    let visible = s.pg_settings_rows_for(false).len();
    assert_eq!(all - visible, 21);
    assert_eq!(s.show_all_for(false).len(), visible);
}

#[test]
fn transaction_ends_report_what_they_undo() {
    let mut s = session();
    s.reported_params();
    // Statements that change nothing report nothing, transaction after transaction.
    for _ in 0..3 {
        s.at_transaction_start();
        s.at_commit();
        assert!(s.take_reported_changes().is_empty());
    }
    // A SET undone by ROLLBACK is reported when made and again when undone.
    s.at_transaction_start();
    set(&mut s, "DateStyle", "SQL, DMY");
    assert_eq!(
        s.take_reported_changes(),
        vec![("DateStyle".to_string(), "SQL, DMY".to_string())]
    );
    s.at_abort();
    assert_eq!(
        s.take_reported_changes(),
        vec![("DateStyle".to_string(), "ISO, MDY".to_string())]
    );
    // SET LOCAL inside a transaction that commits ends with it.
    s.at_transaction_start();
    set_local(&mut s, "TimeZone", "Asia/Tokyo");
    s.at_commit();
    assert!(s.take_reported_changes().is_empty());
    assert_eq!(show(&s, "TimeZone"), "GMT");
    // After all stacks emptied, later transactions still undo new SETs.
    s.at_transaction_start();
    set(&mut s, "work_mem", "8MB");
    s.at_abort();
    assert_eq!(show(&s, "work_mem"), "4MB");
}
