//! The executor's window into the session ([`tusk_executor::SessionContext`]): settings,
//! cancellation, statement timeout and interruptible sleep.

use std::time::{Duration, Instant};

use tusk_executor::SessionContext;
use tusk_types::adt::acl::{ACL_SELECT, ACL_UPDATE, ACL_USAGE};
use tusk_types::{Error, Result, SqlState};

use crate::database::BackendSignals;
use crate::guc::SessionConfig;

/// Settings plus interrupt state for one running statement.
pub struct Interrupts<'a> {
    /// The session's configuration (current_setting / set_config).
    pub config: &'a mut SessionConfig,
    /// Signals raised on this backend.
    pub signals: &'a BackendSignals,
    /// When `statement_timeout` expires.
    pub deadline: Option<Instant>,
    /// Whether the role is a superuser (for set_config).
    pub superuser: bool,
    /// Sequence access, where the statement has catalogs.
    pub sequences: Option<SequenceAccess<'a>>,
    /// The shared state, for the monitoring functions (`pg_stat_get_activity`).
    pub database: Option<&'a crate::database::Database>,
    /// The session's database (`pg_database.oid`).
    pub database_oid: tusk_types::Oid,
    /// SQL function bodies analysed during this statement, by function OID and the
    /// call's argument types (a polymorphic function is analysed once per resolved
    /// signature): a function called once per row is read and analysed once.
    pub sql_functions: std::collections::HashMap<
        (tusk_types::Oid, Vec<tusk_types::Oid>),
        std::sync::Arc<tusk_executor::sql_function::SqlFunction>,
    >,
    /// Notices functions sent, for the client once the statement ends.
    pub notices: &'a mut Vec<(crate::sink::NoticeSeverity, Error)>,
    /// `pg_notify()` and friends, where the statement runs in a session.
    pub notify: Option<NotifyAccess<'a>>,
    /// The client's and the server's ends of a TCP connection (`inet_client_addr()`).
    pub connection_addresses: (Option<std::net::SocketAddr>, Option<std::net::SocketAddr>),
}

/// What `pg_notify()`, `pg_listening_channels()` and `pg_notification_queue_usage()`
/// need: the session's pending notifications and the shared hub.
pub struct NotifyAccess<'a> {
    /// The transaction's pending LISTEN / NOTIFY state.
    pub state: &'a mut super::listen::ListenState,
    /// The session's savepoint depth (where a notification is made).
    pub depth: usize,
    /// Backend process id.
    pub pid: i32,
    /// The shared hub.
    pub hub: &'a crate::notify::NotifyHub,
}

/// What sequence functions need: storage, the catalog, and the session's last values.
pub struct SequenceAccess<'a> {
    /// Storage and WAL.
    pub cluster: &'a crate::cluster::Cluster,
    /// Catalog reads.
    pub catalog: &'a crate::relcache::CatalogReader<'a>,
    /// `currval` per sequence in this session.
    pub values: &'a mut std::collections::HashMap<tusk_types::Oid, i64>,
    /// The sequence `lastval` reports.
    pub last: &'a mut Option<tusk_types::Oid>,
    /// `transaction_read_only`.
    pub read_only: bool,
    /// The current user when its sequence privileges are checked (`None`: a superuser).
    pub checked_user: Option<&'a str>,
}

impl SequenceAccess<'_> {
    fn sequence(
        &self,
        seq: tusk_types::Oid,
    ) -> Result<(
        std::sync::Arc<crate::relcache::RelEntry>,
        crate::sequence::SeqParams,
    )> {
        let entry = self.catalog.entry(seq)?.ok_or_else(|| {
            tusk_types::pg_err!(
                UNDEFINED_TABLE,
                "could not open relation with OID {}",
                seq.0
            )
        })?;
        if entry.info.kind != b'S' {
            return Err(tusk_types::pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a sequence",
                entry.info.name
            ));
        }
        let params = self.catalog.sequence_params(seq)?.ok_or_else(|| {
            Error::internal(format!("cache lookup failed for sequence {}", seq.0))
        })?;
        Ok((entry, params))
    }

    /// Checks that the current user holds one of `any_of` on the sequence (PostgreSQL's
    /// checks in `nextval`, `currval`, `setval`).
    ///
    /// Errors: 42501 `permission denied for sequence s`.
    fn check_privilege(
        &self,
        seq: tusk_types::Oid,
        any_of: tusk_types::adt::acl::AclMode,
    ) -> Result<()> {
        let Some(user) = self.checked_user else {
            return Ok(());
        };
        let Some(row) = super::privilege::class_acl(self.catalog, seq)? else {
            return Ok(());
        };
        let privileges = super::privilege::Privileges::read(self.catalog)?;
        let Some(me) = privileges.role_by_name(user).map(|r| r.oid) else {
            return Ok(());
        };
        let (have, _) = privileges.mask(
            me,
            row.owner,
            &row.acl,
            tusk_types::adt::acl::ObjectKind::Sequence,
            any_of,
        );
        if have == 0 {
            return Err(super::privilege::permission_denied("sequence", &row.name));
        }
        Ok(())
    }

    fn writable(&self, function: &str, name: &str) -> Result<()> {
        if self.read_only {
            return Err(tusk_types::pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute {}() in a read-only transaction",
                function
            )
            .context(format!("{function}({name})")));
        }
        Ok(())
    }
}

/// EXECUTE on a user-defined function (`proacl`, NULL meaning the owner's and PUBLIC's
/// EXECUTE), checked when a statement first calls it (PostgreSQL checks at executor
/// start-up).
///
/// Errors: 42501 `permission denied for function f`.
/// `pg_signal_backend`'s role OID (`ROLE_PG_SIGNAL_BACKEND`).
const PG_SIGNAL_BACKEND: tusk_types::Oid = tusk_types::Oid(4200);

fn check_execute_privilege(
    catalog: &crate::relcache::CatalogReader<'_>,
    user: &str,
    proc: tusk_types::Oid,
) -> Result<()> {
    let pg_proc = super::function_catalog::pg_proc();
    let rows = catalog.rows(pg_proc)?;
    let Some(row) = rows.first_matching(pg_proc.col("oid"), proc) else {
        return Ok(());
    };
    let acl = &row[pg_proc.col("proacl")];
    if matches!(acl, tusk_types::Datum::Null) {
        return Ok(());
    }
    let owner = match row[pg_proc.col("proowner")] {
        tusk_types::Datum::Oid(o) => tusk_types::Oid(o),
        _ => tusk_types::Oid(0),
    };
    let privileges = super::privilege::Privileges::read(catalog)?;
    let Some(role) = privileges.role_by_name(user).map(|r| r.oid) else {
        return Ok(());
    };
    let (granted, _) = privileges.mask(
        role,
        owner,
        acl,
        tusk_types::adt::acl::ObjectKind::Function,
        tusk_types::adt::acl::ACL_EXECUTE,
    );
    if granted == 0 {
        let name = match &row[pg_proc.col("proname")] {
            tusk_types::Datum::Text(t) => t.clone(),
            _ => String::new(),
        };
        return Err(super::privilege::permission_denied("function", &name));
    }
    Ok(())
}

/// `pg_read_all_stats`'s role OID.
const PG_READ_ALL_STATS: u32 = 3375;

fn no_catalogs() -> Error {
    Error::new(
        SqlState::FEATURE_NOT_SUPPORTED,
        "system catalogs are not available in this context",
    )
}

/// 57014 `canceling statement due to user request`.
pub fn cancel_error() -> Error {
    Error::new(
        SqlState::QUERY_CANCELED,
        "canceling statement due to user request",
    )
}

/// FATAL 57P01 `terminating connection due to administrator command`.
pub fn terminate_error() -> Error {
    Error::new(
        SqlState::ADMIN_SHUTDOWN,
        "terminating connection due to administrator command",
    )
    .fatal()
}

fn no_sequences() -> Error {
    Error::new(
        SqlState::FEATURE_NOT_SUPPORTED,
        "sequences are not available in this context",
    )
}

/// Errors for a pending terminate (FATAL 57P01), cancel or expired statement timeout
/// (57014).
pub fn check_signals(signals: &BackendSignals, deadline: Option<Instant>) -> Result<()> {
    if signals.terminating() {
        return Err(terminate_error());
    }
    if signals.take_cancel() {
        return Err(cancel_error());
    }
    if deadline.is_some_and(|d| Instant::now() >= d) {
        return Err(Error::new(
            SqlState::QUERY_CANCELED,
            "canceling statement due to statement timeout",
        ));
    }
    Ok(())
}

impl SessionContext for Interrupts<'_> {
    fn setting(&self, name: &str) -> Result<String> {
        self.config.show(name)
    }

    fn notify(&mut self, channel: &str, payload: &str) -> Result<()> {
        match self.notify.as_mut() {
            Some(n) => n.state.notify(channel, payload, n.depth),
            None => Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "NOTIFY is not available in this context",
            )),
        }
    }

    fn listening_channels(&self) -> Vec<String> {
        self.notify
            .as_ref()
            .map(|n| n.hub.channels(n.pid))
            .unwrap_or_default()
    }

    fn notification_queue_usage(&self) -> f64 {
        self.notify.as_ref().map_or(0.0, |n| n.hub.usage())
    }

    fn signal_backend(&mut self, pid: i32, terminate: bool, timeout_ms: i64) -> Result<bool> {
        let db = self.database.ok_or_else(no_catalogs)?;
        if terminate && timeout_ms < 0 {
            return Err(tusk_types::pg_err!(
                INVALID_PARAMETER_VALUE,
                "\"timeout\" must not be negative"
            ));
        }
        let Some(target_role) = db.backend_role(pid) else {
            self.notices.push((
                crate::sink::NoticeSeverity::Warning,
                tusk_types::pg_err!(WARNING, "PID {} is not a PostgreSQL backend process", pid),
            ));
            return Ok(false);
        };
        if let Some(user) = self
            .sequences
            .as_ref()
            .and_then(|a| a.checked_user.map(|u| (a, u)))
        {
            let (access, user) = user;
            let privileges = super::privilege::Privileges::read(access.catalog)?;
            let me = privileges.role_by_name(user).map(|r| r.oid);
            if privileges.is_superuser(target_role) {
                return Err(tusk_types::pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "{}",
                    if terminate {
                        "must be a superuser to terminate superuser process"
                    } else {
                        "must be a superuser to cancel superuser query"
                    }
                ));
            }
            let allowed = me.is_some_and(|me| {
                privileges.has_privs_of_role(me, target_role)
                    || privileges.has_privs_of_role(me, PG_SIGNAL_BACKEND)
            });
            if !allowed {
                return Err(tusk_types::pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "{}",
                    if terminate {
                        "must be a member of the role whose process is being terminated or member of pg_signal_backend"
                    } else {
                        "must be a member of the role whose query is being canceled or member of pg_signal_backend"
                    }
                ));
            }
        }
        if !terminate {
            return Ok(db.cancel_backend_statement(pid));
        }
        if !db.terminate_backend(pid) {
            return Ok(false);
        }
        if timeout_ms == 0 {
            return Ok(true);
        }
        // pg_wait_until_termination: poll until the backend is gone or the time is up.
        let deadline = Instant::now() + Duration::from_millis(timeout_ms as u64);
        while db.backend_running(pid) {
            if Instant::now() >= deadline {
                self.notices.push((
                    crate::sink::NoticeSeverity::Warning,
                    tusk_types::pg_err!(
                        WARNING,
                        "backend with PID {} did not terminate within {} milliseconds",
                        pid,
                        timeout_ms
                    ),
                ));
                return Ok(false);
            }
            self.check_interrupts()?;
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(true)
    }

    fn wal_position(&self, which: tusk_executor::WalPosition) -> Result<u64> {
        use tusk_executor::WalPosition;
        let db = self.database.ok_or_else(no_catalogs)?;
        let wal = &db.cluster.wal;
        Ok(match which {
            WalPosition::Insert => wal.insert_lsn(),
            WalPosition::Write => wal.written_lsn(),
            WalPosition::Flush => wal.flushed_lsn(),
        }
        .0)
    }

    fn statement_statistics(&self, showtext: bool) -> Result<Vec<Vec<tusk_types::Datum>>> {
        let db = self.database.ok_or_else(no_catalogs)?;
        if !db.statement_stats.enabled() {
            return Err(crate::statement_stats::not_loaded());
        }
        if self.superuser {
            return Ok(db.statement_stats.rows(showtext, |_| true));
        }
        // Other roles see their own entries' texts, members of pg_read_all_stats all.
        let access = self.sequences.as_ref().ok_or_else(no_catalogs)?;
        let privileges = super::privilege::Privileges::read(access.catalog)?;
        let me = access
            .checked_user
            .and_then(|u| privileges.role_by_name(u))
            .map_or(tusk_types::Oid(0), |r| r.oid);
        let all = privileges.has_privs_of_role(me, tusk_types::Oid(PG_READ_ALL_STATS));
        Ok(db.statement_stats.rows(showtext, |userid| {
            all || privileges.has_privs_of_role(me, userid)
        }))
    }

    fn reset_statement_statistics(
        &mut self,
        userid: tusk_types::Oid,
        dbid: tusk_types::Oid,
        queryid: i64,
    ) -> Result<()> {
        let db = self.database.ok_or_else(no_catalogs)?;
        if !db.statement_stats.enabled() {
            return Err(crate::statement_stats::not_loaded());
        }
        db.statement_stats
            .reset(userid, dbid, queryid, super::now_pg_micros());
        Ok(())
    }

    fn statement_statistics_info(&self) -> Result<Vec<tusk_types::Datum>> {
        let db = self.database.ok_or_else(no_catalogs)?;
        if !db.statement_stats.enabled() {
            return Err(crate::statement_stats::not_loaded());
        }
        let (dealloc, reset) = db.statement_stats.info();
        Ok(vec![
            tusk_types::Datum::Int8(dealloc),
            tusk_types::Datum::TimestampTz(reset),
        ])
    }

    fn cumulative_stat(&self, function: &str, oid: tusk_types::Oid) -> Result<tusk_types::Datum> {
        let db = self.database.ok_or_else(no_catalogs)?;
        let store = &db.cluster.xact.stats;
        let cluster = &db.cluster;
        let value = if let Some(v) = crate::pgstat::bgwriter_value(
            function,
            &cluster.checkpoint_counts(),
            &cluster.pool.stats(),
        ) {
            Some(v)
        } else if function.starts_with("pg_stat_get_db_") {
            let backends = db
                .activity()
                .iter()
                .filter(|(_, _, status)| status.database_oid == oid)
                .count() as i32;
            crate::pgstat::database_value(function, &store.database(oid), backends)
        } else {
            crate::pgstat::relation_value(function, &store.relation(self.database_oid, oid))
        };
        value
            .ok_or_else(|| tusk_types::Error::feature_not_supported(format!("function {function}")))
    }

    fn client_address(&self) -> Option<std::net::SocketAddr> {
        self.connection_addresses.0
    }

    fn server_address(&self) -> Option<std::net::SocketAddr> {
        self.connection_addresses.1
    }

    fn wal_segments(&self) -> Result<(u32, u64)> {
        let db = self.database.ok_or_else(no_catalogs)?;
        let config = db.cluster.wal.config();
        Ok((config.timeline, config.segment_size))
    }

    fn set_setting(&mut self, name: &str, value: &str, is_local: bool) -> Result<String> {
        self.config
            .set(name, Some(value), is_local, self.superuser)?;
        self.config.show(name)
    }

    fn check_interrupts(&self) -> Result<()> {
        check_signals(self.signals, self.deadline)
    }

    fn nextval(&mut self, seq: tusk_types::Oid) -> Result<i64> {
        let access = self.sequences.as_mut().ok_or_else(no_sequences)?;
        let (entry, params) = access.sequence(seq)?;
        access.check_privilege(seq, ACL_USAGE | ACL_UPDATE)?;
        access.writable("nextval", &entry.info.name)?;
        let value = crate::sequence::nextval(
            &access.cluster.pool,
            &access.cluster.checkpointer,
            entry.locator,
            &params,
            &entry.info.name,
        )?;
        access.values.insert(seq, value);
        *access.last = Some(seq);
        Ok(value)
    }

    fn currval(&mut self, seq: tusk_types::Oid) -> Result<i64> {
        let access = self.sequences.as_mut().ok_or_else(no_sequences)?;
        let (entry, _) = access.sequence(seq)?;
        access.check_privilege(seq, ACL_SELECT | ACL_USAGE)?;
        access.values.get(&seq).copied().ok_or_else(|| {
            tusk_types::pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "currval of sequence \"{}\" is not yet defined in this session",
                entry.info.name
            )
        })
    }

    fn setval(&mut self, seq: tusk_types::Oid, value: i64, is_called: bool) -> Result<i64> {
        let access = self.sequences.as_mut().ok_or_else(no_sequences)?;
        let (entry, params) = access.sequence(seq)?;
        access.check_privilege(seq, ACL_UPDATE)?;
        access.writable("setval", &entry.info.name)?;
        crate::sequence::setval(
            &access.cluster.pool,
            &access.cluster.checkpointer,
            entry.locator,
            &params,
            &entry.info.name,
            value,
            is_called,
        )?;
        if is_called {
            access.values.insert(seq, value);
            *access.last = Some(seq);
        }
        Ok(value)
    }

    fn lastval(&mut self) -> Result<i64> {
        let access = self.sequences.as_mut().ok_or_else(no_sequences)?;
        let Some(seq) = *access.last else {
            return Err(tusk_types::pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "lastval is not yet defined in this session"
            ));
        };
        if access.catalog.entry(seq)?.is_none() {
            return Err(tusk_types::pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "lastval is not yet defined in this session"
            ));
        }
        access.values.get(&seq).copied().ok_or_else(no_sequences)
    }

    fn relation_name(&self, rel: tusk_types::Oid) -> Option<String> {
        let access = self.sequences.as_ref()?;
        let entry = access.catalog.entry(rel).ok()??;
        Some(
            if access.catalog.search_path.contains(&entry.info.namespace) {
                entry.info.name.clone()
            } else {
                format!("{}.{}", entry.info.namespace, entry.info.name)
            },
        )
    }

    fn check_replica_identity(&self, query: &tusk_sql::analyze::ModifyQuery) -> Result<()> {
        match self.sequences.as_ref() {
            Some(access) => {
                super::replica_identity::check_modify_replica_identity(access.catalog, query)
            }
            None => Err(no_catalogs()),
        }
    }

    fn catalog_rows(
        &self,
        catalog: tusk_types::Oid,
    ) -> Result<std::sync::Arc<tusk_catalog::rows::CatalogRows>> {
        let access = self.sequences.as_ref().ok_or_else(no_catalogs)?;
        let catalog = tusk_catalog::syscat::system_catalog(catalog).ok_or_else(no_catalogs)?;
        access.catalog.rows(catalog)
    }

    fn relation_size(&self, rel: tusk_types::Oid) -> Result<Option<i64>> {
        let access = self.sequences.as_ref().ok_or_else(no_catalogs)?;
        match access.catalog.entry(rel)? {
            // Views have no storage.
            Some(entry) if entry.info.kind == b'v' => Ok(Some(0)),
            Some(entry) => {
                let blocks = entry.heap.nblocks()?;
                Ok(Some(i64::from(blocks.0) * tusk_storage::PAGE_SIZE as i64))
            }
            None => Ok(None),
        }
    }

    fn database_size(&self, db: tusk_types::Oid) -> Result<i64> {
        let access = self.sequences.as_ref().ok_or_else(no_catalogs)?;
        Ok(access.cluster.pool.smgr().database_size(db)? as i64)
    }

    fn pg_settings(&self) -> Result<Vec<Vec<tusk_types::Datum>>> {
        use tusk_types::Datum;
        let text = |v: Option<String>| v.map_or(Datum::Null, Datum::Text);
        Ok(self
            .config
            .pg_settings_rows_for(self.superuser)
            .into_iter()
            .map(|r| {
                vec![
                    Datum::Text(r.name),
                    text(r.setting),
                    text(r.unit),
                    Datum::Text(r.category),
                    Datum::Text(r.short_desc),
                    text(r.extra_desc),
                    Datum::Text(r.context),
                    Datum::Text(r.vartype),
                    Datum::Text(r.source),
                    text(r.min_val),
                    text(r.max_val),
                    r.enumvals.map_or(Datum::Null, |values| {
                        Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
                            tusk_types::type_oid::TEXT,
                            values.into_iter().map(Datum::Text).collect(),
                        )))
                    }),
                    text(r.boot_val),
                    text(r.reset_val),
                    text(r.sourcefile),
                    r.sourceline.map_or(Datum::Null, Datum::Int4),
                    Datum::Bool(r.pending_restart),
                ]
            })
            .collect())
    }

    fn backend_activity(&self, pid: Option<i32>) -> Result<Vec<Vec<tusk_types::Datum>>> {
        let db = self.database.ok_or_else(no_catalogs)?;
        Ok(db
            .activity()
            .into_iter()
            .filter(|(p, _, _)| pid.is_none_or(|want| want == *p))
            .map(|(p, _, status)| crate::activity::activity_row(p, &status, true))
            .collect())
    }

    fn lock_status(&self) -> Result<Vec<Vec<tusk_types::Datum>>> {
        use tusk_types::Datum;
        let db = self.database.ok_or_else(no_catalogs)?;
        let locks = &db.cluster.xact.locks;
        let row = |((database, relation), backend, mode): (
            crate::lock::LockTag,
            u32,
            crate::lock::LockMode,
        ),
                   granted: bool| {
            let mut r = vec![
                Datum::Text("relation".into()),
                Datum::Oid(database.0),
                Datum::Oid(relation.0),
            ];
            r.extend(std::iter::repeat_n(Datum::Null, 7));
            r.extend([
                Datum::Text(format!("{backend}/1")),
                Datum::Int4(backend as i32),
                Datum::Text(mode.name().into()),
                Datum::Bool(granted),
                Datum::Bool(false),
                Datum::Null,
            ]);
            r
        };
        let mut rows: Vec<Vec<Datum>> = locks.held().into_iter().map(|l| row(l, true)).collect();
        rows.extend(locks.waiting().into_iter().map(|l| row(l, false)));
        Ok(rows)
    }

    fn sql_function(
        &mut self,
        proc: tusk_types::Oid,
        arg_types: &[tusk_types::Oid],
        output: &tusk_executor::OutputSettings,
    ) -> Result<std::sync::Arc<tusk_executor::sql_function::SqlFunction>> {
        let key = (proc, arg_types.to_vec());
        if let Some(function) = self.sql_functions.get(&key) {
            return Ok(function.clone());
        }
        let access = self.sequences.as_ref().ok_or_else(no_catalogs)?;
        if let Some(user) = access.checked_user {
            check_execute_privilege(access.catalog, user, proc)?;
        }
        let function = super::sql_function::prepare_call(access.catalog, output, proc, arg_types)?;
        self.sql_functions.insert(key, function.clone());
        Ok(function)
    }

    fn relation_triggers(
        &mut self,
        rel: tusk_types::Oid,
    ) -> Result<Option<std::sync::Arc<tusk_executor::trigger::RelationTriggers>>> {
        match self.sequences.as_ref() {
            Some(access) => super::trigger_ddl::relation_triggers(access.catalog, rel),
            None => Ok(None),
        }
    }

    fn analyze_statement(
        &mut self,
        sql: &str,
        param_types: &[tusk_types::Oid],
        resolver: &dyn tusk_sql::analyze::ParamResolver,
        output: &tusk_executor::OutputSettings,
    ) -> Result<tusk_executor::sql_function::FunctionStatement> {
        let access = self.sequences.as_ref().ok_or_else(no_catalogs)?;
        super::plpgsql_call::analyze_embedded(access.catalog, output, sql, param_types, resolver)
    }

    fn analyze_call(
        &mut self,
        sql: &str,
        param_types: &[tusk_types::Oid],
        resolver: &dyn tusk_sql::analyze::ParamResolver,
        output: &tusk_executor::OutputSettings,
    ) -> Result<(
        tusk_executor::sql_function::FunctionStatement,
        Vec<(String, Option<usize>)>,
    )> {
        let access = self.sequences.as_ref().ok_or_else(no_catalogs)?;
        super::plpgsql_call::analyze_call(access.catalog, output, sql, param_types, resolver)
    }

    fn notice(&mut self, level: tusk_executor::NoticeLevel, notice: &Error) {
        let threshold = self.config.get_string("client_min_messages");
        if let Some(severity) = super::plpgsql_host::notice_severity(level, &threshold) {
            self.notices.push((severity, notice.clone()));
        }
    }

    fn relation_is_updatable(
        &self,
        rel: tusk_types::Oid,
        column: Option<i16>,
        output: &tusk_executor::OutputSettings,
    ) -> Result<i32> {
        let Some(access) = self.sequences.as_ref() else {
            return Ok(0);
        };
        let Some(entry) = access.catalog.entry(rel)? else {
            return Ok(0);
        };
        let lookup = super::lookup::SessionLookup {
            builtin: tusk_executor::BuiltinLookup { settings: output },
            catalog: access.catalog,
        };
        // A system column (attnum <= 0) is none of a view's columns.
        let columns: Option<Vec<usize>> =
            column.map(|n| usize::try_from(n - 1).ok().into_iter().collect());
        tusk_sql::analyze::relation_is_updatable(&lookup, &entry.info, columns.as_deref())
    }

    fn search_path(&self) -> Vec<String> {
        self.sequences
            .as_ref()
            .map(|access| access.catalog.search_path.clone())
            .unwrap_or_default()
    }

    fn sleep(&self, micros: u64) -> Result<()> {
        let end = Instant::now() + Duration::from_micros(micros);
        loop {
            self.check_interrupts()?;
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            let until = match self.deadline {
                Some(d) if d < end => d,
                _ => end,
            };
            self.signals.sleep_until(until.max(now));
        }
    }

    fn clock_now(&self) -> i64 {
        super::now_pg_micros()
    }
}
