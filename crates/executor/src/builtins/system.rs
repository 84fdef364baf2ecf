//! Session information and system functions (PostgreSQL docs §9.26, §9.27): `now()`,
//! `version()`, `pg_sleep()`, `current_setting()`, `set_config()`, ...

use tusk_types::Datum;

use super::{reg, Table};

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(t) => t,
        _ => "",
    }
}

/// `version()`: PostgreSQL's shape, so drivers that parse it find a PostgreSQL 15.
pub fn version_string() -> String {
    format!(
        "PostgreSQL 15.18 (tusk {}) on {}-{}, compiled by rustc, 64-bit",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH,
        std::env::consts::OS
    )
}

/// Registers PostgreSQL's cumulative-statistics functions `pg_stat_get_*(oid)`, each
/// answered by [`crate::SessionContext::cumulative_stat`] under its own name.
macro_rules! cumulative_stats {
    ($t:expr, $($name:literal),* $(,)?) => {
        $(
            reg($t, &[$name], |ctx, a| match a.first() {
                Some(Datum::Oid(oid)) => ctx.session.cumulative_stat($name, tusk_types::Oid(*oid)),
                _ => Ok(Datum::Null),
            });
        )*
    };
}

/// The argument-less `pg_stat_bgwriter` functions, answered the same way.
macro_rules! cluster_stats {
    ($t:expr, $($name:literal),* $(,)?) => {
        $(
            reg($t, &[$name], |ctx, _| {
                ctx.session.cumulative_stat($name, tusk_types::Oid(0))
            });
        )*
    };
}

pub(super) fn register(t: &mut Table) {
    cluster_stats!(
        t,
        "pg_stat_get_bgwriter_timed_checkpoints",
        "pg_stat_get_bgwriter_requested_checkpoints",
        "pg_stat_get_checkpoint_write_time",
        "pg_stat_get_checkpoint_sync_time",
        "pg_stat_get_bgwriter_buf_written_checkpoints",
        "pg_stat_get_bgwriter_buf_written_clean",
        "pg_stat_get_bgwriter_maxwritten_clean",
        "pg_stat_get_buf_written_backend",
        "pg_stat_get_buf_fsync_backend",
        "pg_stat_get_buf_alloc",
        "pg_stat_get_bgwriter_stat_reset_time",
    );
    cumulative_stats!(
        t,
        "pg_stat_get_numscans",
        "pg_stat_get_tuples_returned",
        "pg_stat_get_tuples_fetched",
        "pg_stat_get_tuples_inserted",
        "pg_stat_get_tuples_updated",
        "pg_stat_get_tuples_deleted",
        "pg_stat_get_tuples_hot_updated",
        "pg_stat_get_live_tuples",
        "pg_stat_get_dead_tuples",
        "pg_stat_get_mod_since_analyze",
        "pg_stat_get_ins_since_vacuum",
        "pg_stat_get_last_vacuum_time",
        "pg_stat_get_last_autovacuum_time",
        "pg_stat_get_last_analyze_time",
        "pg_stat_get_last_autoanalyze_time",
        "pg_stat_get_vacuum_count",
        "pg_stat_get_autovacuum_count",
        "pg_stat_get_analyze_count",
        "pg_stat_get_autoanalyze_count",
        "pg_stat_get_db_numbackends",
        "pg_stat_get_db_xact_commit",
        "pg_stat_get_db_xact_rollback",
        "pg_stat_get_db_blocks_fetched",
        "pg_stat_get_db_blocks_hit",
        "pg_stat_get_db_tuples_returned",
        "pg_stat_get_db_tuples_fetched",
        "pg_stat_get_db_tuples_inserted",
        "pg_stat_get_db_tuples_updated",
        "pg_stat_get_db_tuples_deleted",
        "pg_stat_get_db_conflict_all",
        "pg_stat_get_db_temp_files",
        "pg_stat_get_db_temp_bytes",
        "pg_stat_get_db_deadlocks",
        "pg_stat_get_db_checksum_failures",
        "pg_stat_get_db_checksum_last_failure",
        "pg_stat_get_db_blk_read_time",
        "pg_stat_get_db_blk_write_time",
        "pg_stat_get_db_session_time",
        "pg_stat_get_db_active_time",
        "pg_stat_get_db_idle_in_transaction_time",
        "pg_stat_get_db_sessions",
        "pg_stat_get_db_sessions_abandoned",
        "pg_stat_get_db_sessions_fatal",
        "pg_stat_get_db_sessions_killed",
        "pg_stat_get_db_stat_reset_time",
    );
    t.insert(
        "pg_lock_status",
        super::Builtin::Rows(|ctx, _| ctx.session.lock_status()),
    );
    t.insert(
        "show_all_settings",
        super::Builtin::Rows(|ctx, _| ctx.session.pg_settings()),
    );
    t.insert(
        "pg_stat_get_activity",
        super::Builtin::Rows(|ctx, a| {
            let pid = match a.first() {
                Some(Datum::Int4(p)) => Some(*p),
                _ => None,
            };
            ctx.session.backend_activity(pid)
        }),
    );
    reg(t, &["now"], |ctx, _| {
        Ok(Datum::TimestampTz(ctx.transaction_start))
    });
    reg(t, &["statement_timestamp"], |ctx, _| {
        Ok(Datum::TimestampTz(ctx.statement_start))
    });
    reg(t, &["clock_timestamp"], |ctx, _| {
        Ok(Datum::TimestampTz(ctx.session.clock_now()))
    });
    reg(t, &["pgsql_version"], |_, _| {
        Ok(Datum::Text(version_string()))
    });
    reg(t, &["pg_sleep"], |ctx, a| {
        let secs = match &a[0] {
            Datum::Float8(v) => *v,
            _ => 0.0,
        };
        if secs > 0.0 {
            ctx.session
                .sleep((secs * 1e6).min(u64::MAX as f64) as u64)?;
        }
        Ok(crate::io::void_value())
    });
    reg(t, &["current_database"], |ctx, _| {
        Ok(Datum::Text(ctx.database.to_string()))
    });
    reg(t, &["current_user"], |ctx, _| {
        Ok(Datum::Text(ctx.current_user.to_string()))
    });
    reg(t, &["session_user"], |ctx, _| {
        Ok(Datum::Text(ctx.session_user.to_string()))
    });
    reg(t, &["pg_backend_pid"], |ctx, _| {
        Ok(Datum::Int4(ctx.backend_pid))
    });
    // tusk accepts connections only once crash recovery has finished and has no hot
    // standby mode, so a backend never runs during recovery (PostgreSQL's
    // `RecoveryInProgress()` is false on a primary).
    reg(t, &["pg_is_in_recovery"], |_, _| Ok(Datum::Bool(false)));
    reg(t, &["pg_cancel_backend"], |ctx, a| {
        let pid = int4_arg(&a[0]);
        Ok(Datum::Bool(ctx.session.signal_backend(pid, false, 0)?))
    });
    reg(t, &["pg_terminate_backend"], |ctx, a| {
        let pid = int4_arg(&a[0]);
        let timeout = match a.get(1) {
            Some(Datum::Int8(v)) => *v,
            _ => 0,
        };
        Ok(Datum::Bool(ctx.session.signal_backend(pid, true, timeout)?))
    });
    reg(t, &["pg_notify"], |ctx, a| {
        // Not strict: a NULL channel or payload is an empty string, as in PostgreSQL.
        ctx.session.notify(text(&a[0]), text(&a[1]))?;
        Ok(crate::io::void_value())
    });
    reg(t, &["pg_notification_queue_usage"], |ctx, _| {
        Ok(Datum::Float8(ctx.session.notification_queue_usage()))
    });
    t.insert(
        "pg_listening_channels",
        super::Builtin::Set(|ctx, _| {
            Ok(ctx
                .session
                .listening_channels()
                .into_iter()
                .map(Datum::Text)
                .collect())
        }),
    );
    reg(t, &["show_config_by_name"], |ctx, a| {
        Ok(Datum::Text(ctx.session.setting(text(&a[0]))?))
    });
    reg(t, &["show_config_by_name_missing_ok"], |ctx, a| {
        match ctx.session.setting(text(&a[0])) {
            Ok(v) => Ok(Datum::Text(v)),
            Err(_) if matches!(a[1], Datum::Bool(true)) => Ok(Datum::Null),
            Err(e) => Err(e),
        }
    });
    reg(t, &["set_config_by_name"], |ctx, a| {
        let local = matches!(a[2], Datum::Bool(true));
        Ok(Datum::Text(ctx.session.set_setting(
            text(&a[0]),
            text(&a[1]),
            local,
        )?))
    });
}

/// An `int4` argument's value (0 for anything else, which the signature excludes).
fn int4_arg(d: &Datum) -> i32 {
    match d {
        Datum::Int4(v) => *v,
        _ => 0,
    }
}
