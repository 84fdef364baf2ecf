//! `Session`: one backend's state machine (PostgreSQL's `postgres.c` main loop state and
//! `xact.c` transaction blocks), driven by the server for each protocol message.
//!
//! ```text
//!             BEGIN                     error
//!   Idle ───────────────▶ InBlock ─────────────────▶ Failed
//!    │ ▲                  │  ▲ COMMIT/ROLLBACK ──▶ Idle │ ROLLBACK ──▶ Idle
//!    │ │ end of message   │  └──── ROLLBACK TO ◀───────┘
//!    ▼ │ or Sync          ▼
//!   Implicit ──(BEGIN)──▶ InBlock
//! ```
//!
//! Rules:
//! 1. Outside a block every statement runs in an implicit transaction; a simple Query
//!    message with several statements runs them in one implicit transaction; extended
//!    protocol messages share one until Sync.
//! 2. An error in an implicit transaction rolls it back; in a block it leaves the block
//!    Failed, where only ROLLBACK, COMMIT (which rolls back) and ROLLBACK TO SAVEPOINT
//!    are accepted (25P02 otherwise).
//! 3. Configuration changes follow the transaction (see `guc` rule 2).
//!
//! Entry points: [`Session::start`], [`Session::simple_query`], the extended-protocol
//! methods in `extended.rs`, [`Session::transaction_status`].

mod acl_dependency;
mod aggregate_ddl;
mod alter_object;
mod alter_options;
mod alter_rewrite;
mod alter_table;
mod amcheck;
mod c_language;
mod call;
mod cast_ddl;
mod catalog_names;
mod composite_ddl;
mod constraint_ddl;
mod copy;
mod create_as;
mod cursor;
mod database_ddl;
mod db_role_setting;
mod ddl;
mod default_acl;
mod deferred_constraints;
mod dependency;
mod domain_ddl;
mod drop_owned;
mod enum_ddl;
mod explain;
mod extended;
mod extension_ddl;
mod foreign_data_catalog;
mod foreign_data_ddl;
mod foreign_key_ddl;
mod foreign_key_triggers;
mod foreign_table_ddl;
mod function_catalog;
mod function_ddl;
mod generated_ddl;
mod grant_ddl;
mod identity_ddl;
mod index_attach;
mod index_ddl;
mod index_expression_ddl;
mod inherit_alter;
mod inheritance;
mod init_privs;
mod interrupts;
mod listen;
mod lookup;
mod maintenance;
mod matview;
mod opclass_ddl;
mod partition_ddl;
mod partition_index;
mod partition_prune;
mod partition_routing;
mod plan_cache;
mod plpgsql_call;
mod plpgsql_host;
mod policy_ddl;
mod privilege;
mod procedural;
mod publication_ddl;
mod publication_filter;
mod range_ddl;
mod reassign_owned;
mod reindex;
mod relation_file;
mod rename_comment;
mod replica_identity;
mod role_catalog;
mod role_ddl;
mod role_membership;
mod role_session;
mod row_lock_access;
mod rowtype;
mod schema_ddl;
mod sequence_alter;
mod sequence_ddl;
mod speculative_insert;
mod sql_function;
mod statement;
mod statement_tracking;
mod subscription_ddl;
mod table_like;
mod tables;
mod temp_namespace;
mod toast_ddl;
mod trigger_ddl;
mod view_ddl;
mod xact;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use tusk_executor::OutputSettings;
use tusk_types::adt::bytea::ByteaOutput;
use tusk_types::adt::datetime::{DateStyle, IntervalStyle, TimeZone};
use tusk_types::{pg_err, Error, Result};

use crate::database::{BackendEntry, BackendSignals, Database};
use crate::guc::SessionConfig;
use crate::relcache::RelCache;
use crate::sink::Sink;
use crate::transaction::Transaction;

pub(crate) use database_ddl::connectable_databases;
pub use extended::{ExecuteOutcome, Portal, Prepared};
pub use interrupts::{cancel_error, terminate_error as interrupts_terminate_error, Interrupts};
pub use plan_cache::CachedPlan;
pub(crate) use statement::NullSink;
pub use xact::BlockState;

/// What the client asked for in its startup packet.
#[derive(Debug, Clone, Default)]
pub struct StartupInfo {
    /// `user`.
    pub user: String,
    /// `database` (defaults to the user name).
    pub database: String,
    /// Parameters to set as GUCs: `options` (`-c name=value`) and the other startup
    /// parameters (`application_name`, `client_encoding`, `DateStyle`, ...).
    pub settings: Vec<(String, String)>,
    /// The client's address for a TCP connection (`pg_stat_activity.client_addr`).
    pub client: Option<std::net::SocketAddr>,
    /// The server's end of a TCP connection (`inet_server_addr()`).
    pub server: Option<std::net::SocketAddr>,
}

/// One backend's session.
pub struct Session {
    db: Arc<Database>,
    /// This session's configuration.
    pub config: SessionConfig,
    /// Connected role.
    pub user: String,
    /// Connected database.
    pub database: String,
    /// Backend process id (as BackendKeyData and `pg_backend_pid()` report it).
    pub pid: i32,
    /// Cancel key.
    pub secret_key: i32,
    /// The client's and the server's ends of a TCP connection (`None` for a Unix-domain
    /// socket), for `inet_client_addr()` and friends.
    connection_addresses: (Option<std::net::SocketAddr>, Option<std::net::SocketAddr>),
    superuser: bool,
    /// The authenticated and session users (`role_session.rs`).
    auth: role_session::Authorization,
    signals: Arc<BackendSignals>,
    block: BlockState,
    savepoints: Vec<String>,
    /// Whether a query has run in the current transaction (PostgreSQL's `FirstSnapshotSet`):
    /// from then on its isolation level and read-write mode are fixed.
    snapshot_taken: bool,
    xact_start: i64,
    stmt_start: i64,
    statement_deadline: Option<Instant>,
    prepared: HashMap<String, Arc<Prepared>>,
    portals: HashMap<String, Portal>,
    cursors: cursor::Cursors,
    /// The table of the COPY FREEZE whose rows are being inserted (see `copy.rs`).
    copy_freeze: Option<tusk_types::Oid>,
    output: OutputSettings,
    /// Enum labels added by `ALTER TYPE ... ADD VALUE`, with the transaction that added
    /// them: unusable until it commits (see `enum_ddl`).
    uncommitted_enum_values: Vec<(tusk_types::Xid, tusk_types::Oid)>,
    /// The relation cache's epoch when `output.user_types` was read.
    user_types_epoch: Option<u64>,
    config_generation: u64,
    /// The connected database's OID.
    db_oid: tusk_types::Oid,
    /// Storage-level transaction state.
    txn: Transaction,
    /// Cached relations.
    relcache: RefCell<RelCache>,
    /// `currval` per sequence.
    seq_values: HashMap<tusk_types::Oid, i64>,
    /// Notices functions sent while a statement ran (PL/pgSQL's RAISE), sent to the
    /// client when the statement ends.
    function_notices: Vec<(crate::sink::NoticeSeverity, tusk_types::Error)>,
    /// The sequence `lastval` reports.
    last_seq: Option<tusk_types::Oid>,
    /// A COPY FROM STDIN waiting for data.
    copy_in: Option<Box<copy::CopyIn>>,
    /// This backend's `pg_stat_activity` entry.
    status: Arc<parking_lot::Mutex<crate::activity::BackendStatus>>,
    /// The session made (or emptied) its temp schema `pg_temp_N` (`temp_namespace.rs`).
    temp_namespace_ready: bool,
    /// `ON COMMIT DELETE ROWS` / `DROP` temporary tables, by OID.
    on_commit: Vec<(tusk_types::Oid, tusk_sql::ast_ddl::OnCommit)>,
    /// Identities before this transaction's SET ROLE / SESSION AUTHORIZATION
    /// (`role_session.rs`, rule 5).
    identity_before_xact: Option<role_session::SavedIdentity>,
    /// Set while the session itself drops or empties its temporary relations (DISCARD,
    /// ON COMMIT actions): no ownership or privilege check applies, as in PostgreSQL.
    internal_cleanup: bool,
    /// LISTEN / NOTIFY state of the current transaction (`listen.rs`).
    listen: listen::ListenState,
    /// Deferred constraint events and the SET CONSTRAINTS state of the current
    /// transaction (`deferred_constraints.rs`).
    deferred_constraints: RefCell<deferred_constraints::DeferredConstraints>,
    /// The extension whose install script is running (`extension_ddl.rs`): objects
    /// created meanwhile become its members.
    creating_extension: Option<tusk_types::Oid>,
    /// Set while CREATE FOREIGN TABLE runs CREATE TABLE's steps
    /// (`foreign_table_ddl.rs`): the relation gets relkind `f` and no storage.
    creating_foreign_table: bool,
    /// Recent statement texts' pg_stat_statements identities (`statement_tracking.rs`).
    fingerprints: statement_tracking::FingerprintCache,
    /// Parsed query strings by their text with literals blanked (`tusk_sql::ParseCache`).
    parse_cache: tusk_sql::ParseCache,
    /// The lowest notice rank `client_min_messages` lets through to the client (see
    /// [`crate::sink::notice_passes`]); shared with the server's output sink.
    notice_floor: Arc<std::sync::atomic::AtomicU8>,
    /// Set in autovacuum's sessions: the text `pg_stat_activity.query` shows for the
    /// statement running (`autovacuum: VACUUM public.t`); VACUUM and ANALYZE then count
    /// as autovacuum's and skip tables they cannot lock at once (`crate::autovacuum`).
    pub(crate) autovacuum_activity: Option<String>,
}

/// Microseconds since 2000-01-01 00:00:00 UTC, PostgreSQL's timestamp epoch.
pub fn now_pg_micros() -> i64 {
    const PG_EPOCH_UNIX_SECS: i64 = 946_684_800;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    now.as_micros() as i64 - PG_EPOCH_UNIX_SECS * 1_000_000
}

impl Session {
    /// Authenticates nothing (the server did), checks role and database, applies startup
    /// settings and registers the backend.
    ///
    /// Errors (all FATAL): 28000 `role "x" does not exist` and `role "x" is not permitted
    /// to log in` (`pg_authid.rolcanlogin`), 53300 `too many connections for role "x"`
    /// (`rolconnlimit`, not for superusers), 3D000 `database "x" does not
    /// exist`, 53300 too many connections, and GUC errors for bad startup settings.
    pub fn start(
        db: Arc<Database>,
        startup: StartupInfo,
        pid: i32,
        secret_key: i32,
    ) -> Result<Session> {
        Session::start_as(
            db,
            startup,
            pid,
            secret_key,
            crate::activity::CLIENT_BACKEND,
        )
    }

    /// [`Session::start`] for a backend of type `backend_type` (`pg_stat_activity`); only
    /// client backends count against `max_connections`.
    ///
    /// Errors: as [`Session::start`].
    pub(crate) fn start_as(
        db: Arc<Database>,
        startup: StartupInfo,
        pid: i32,
        secret_key: i32,
        backend_type: &'static str,
    ) -> Result<Session> {
        let role = role_catalog::login_role(&db, pid as u32, &startup.user)?.ok_or_else(|| {
            pg_err!(
                INVALID_AUTHORIZATION_SPECIFICATION,
                "role \"{}\" does not exist",
                startup.user
            )
            .fatal()
        })?;
        if !role.canlogin {
            return Err(pg_err!(
                INVALID_AUTHORIZATION_SPECIFICATION,
                "role \"{}\" is not permitted to log in",
                startup.user
            )
            .fatal());
        }
        let superuser = role.superuser;
        if !superuser
            && role.connlimit >= 0
            && db.backend_count_of_role(&startup.user) >= role.connlimit as usize
        {
            return Err(pg_err!(
                TOO_MANY_CONNECTIONS,
                "too many connections for role \"{}\"",
                startup.user
            )
            .fatal());
        }
        let database = database_ddl::login_database(&db, pid as u32, &startup.database)?
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_DATABASE,
                    "database \"{}\" does not exist",
                    startup.database
                )
                .fatal()
            })?;
        if !database.allow_connections {
            return Err(pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "database \"{}\" is not currently accepting connections",
                startup.database
            )
            .fatal());
        }
        if !superuser
            && database.connection_limit >= 0
            && db
                .activity()
                .iter()
                .filter(|(_, _, s)| s.database_oid == database.oid)
                .count()
                >= database.connection_limit as usize
        {
            return Err(pg_err!(
                TOO_MANY_CONNECTIONS,
                "too many connections for database \"{}\"",
                startup.database
            )
            .fatal());
        }
        let db_oid = database.oid;
        let mut config = SessionConfig::new(&db.config.read());
        for (source, name, value) in
            db_role_setting::startup_settings(&db, pid as u32, db_oid, role.oid)?
        {
            if let Err(e) = config.set_default_from(&name, &value, source, superuser) {
                tracing::warn!(
                    "ignoring stored setting \"{}={}\": {}",
                    name,
                    value,
                    e.message
                );
            }
        }
        for (name, value) in &startup.settings {
            config
                .set_from_startup(name, value, superuser)
                .map_err(Error::fatal)?;
        }
        config
            .set_internal("is_superuser", if superuser { "on" } else { "off" })
            .map_err(Error::fatal)?;
        config
            .set_internal("session_authorization", &startup.user)
            .map_err(Error::fatal)?;
        let signals = Arc::new(BackendSignals::default());
        let mut initial =
            crate::activity::BackendStatus::new(now_pg_micros(), db_oid, role.oid, startup.client);
        initial.application_name = config.get_string("application_name");
        initial.backend_type = backend_type;
        let status = Arc::new(parking_lot::Mutex::new(initial));
        db.register_backend(
            pid,
            BackendEntry {
                secret_key,
                signals: signals.clone(),
                user: startup.user.clone(),
                database: startup.database.clone(),
                superuser,
                status: status.clone(),
            },
        )?;
        let auth = role_session::Authorization::new(&startup.user, superuser);
        let mut session = Session {
            connection_addresses: (startup.client, startup.server),
            db,
            auth,
            config,
            user: startup.user,
            database: startup.database,
            pid,
            secret_key,
            superuser,
            signals,
            block: BlockState::Idle,
            savepoints: Vec::new(),
            snapshot_taken: false,
            xact_start: 0,
            stmt_start: 0,
            statement_deadline: None,
            prepared: HashMap::new(),
            portals: HashMap::new(),
            cursors: cursor::Cursors::default(),
            copy_freeze: None,
            output: OutputSettings::default(),
            uncommitted_enum_values: Vec::new(),
            user_types_epoch: None,
            config_generation: 0,
            db_oid,
            txn: {
                let mut txn = Transaction::new(pid as u32);
                txn.database = db_oid;
                txn
            },
            relcache: RefCell::new(RelCache::default()),
            seq_values: HashMap::new(),
            function_notices: Vec::new(),
            last_seq: None,
            copy_in: None,
            status,
            temp_namespace_ready: false,
            on_commit: Vec::new(),
            identity_before_xact: None,
            internal_cleanup: false,
            listen: listen::ListenState::default(),
            deferred_constraints: RefCell::default(),
            creating_extension: None,
            creating_foreign_table: false,
            fingerprints: Default::default(),
            parse_cache: Default::default(),
            notice_floor: Arc::new(std::sync::atomic::AtomicU8::new(crate::sink::NOTICE_RANK)),
            autovacuum_activity: None,
        };
        session.config_generation = session.db.config_generation();
        session.refresh_output_settings();
        if session.db.claim_temp_cleanup(db_oid) {
            if let Err(e) = session.remove_orphan_temp_namespaces() {
                tracing::warn!(
                    "could not remove leftover temporary relations: {}",
                    e.message
                );
            }
        }
        Ok(session)
    }

    /// Marks the backend active on `query` (PostgreSQL's `pgstat_report_activity` at
    /// query start).
    pub fn report_active(&self, query: &str) {
        let now = now_pg_micros();
        let mut s = self.status.lock();
        s.state = crate::activity::BackendState::Active;
        s.query = match &self.autovacuum_activity {
            Some(text) => text.clone(),
            None => query.to_string(),
        };
        s.query_start = Some(now);
        s.state_change = Some(now);
        if s.xact_start.is_none() {
            s.xact_start = Some(now);
        }
        s.application_name = self.config.get_string("application_name");
    }

    /// Marks the backend idle (or idle in a transaction block) before ReadyForQuery.
    pub fn report_idle(&self) {
        use crate::activity::BackendState;
        let state = match self.transaction_status() {
            b'T' => BackendState::IdleInTransaction,
            b'E' => BackendState::IdleInTransactionAborted,
            _ => BackendState::Idle,
        };
        let mut s = self.status.lock();
        if s.state != state {
            s.state_change = Some(now_pg_micros());
        }
        s.state = state;
        s.xact_start = (state != BackendState::Idle).then_some(self.xact_start);
        s.backend_xid = self.txn.top_xid().map(|x| x.0);
        s.application_name = self.config.get_string("application_name");
    }

    /// The shared database state.
    pub fn database_state(&self) -> &Arc<Database> {
        &self.db
    }

    /// The OID of the session's database.
    pub(crate) fn database_oid(&self) -> tusk_types::Oid {
        self.db_oid
    }

    /// Signals other threads raise on this backend.
    pub fn signals(&self) -> &Arc<BackendSignals> {
        &self.signals
    }

    /// ReadyForQuery's transaction status: `I` idle, `T` in a block, `E` failed block.
    pub fn transaction_status(&self) -> u8 {
        match self.block {
            BlockState::Idle | BlockState::Implicit | BlockState::ImplicitBlock => b'I',
            BlockState::InBlock => b'T',
            BlockState::Failed => b'E',
        }
    }

    /// GUC_REPORT parameters with their values, for ParameterStatus at startup.
    pub fn reported_params(&mut self) -> Vec<(String, String)> {
        self.config.reported_params()
    }

    /// Sends ParameterStatus for reported parameters that changed.
    pub fn report_changes(&mut self, sink: &mut dyn Sink) {
        for (severity, notice) in std::mem::take(&mut self.function_notices) {
            sink.notice(severity, &notice);
        }
        let changes = self.config.take_reported_changes();
        if !changes.is_empty() || self.output_settings_stale() {
            self.refresh_output_settings();
        }
        for (name, value) in changes {
            sink.parameter_status(&name, &value);
        }
    }

    /// The rank below which notices are not sent (`client_min_messages`), shared with
    /// the output sink, which drops notices below it (PostgreSQL's `client_min_messages`
    /// filter in `errstart`; INFO always goes out).
    pub fn notice_floor(&self) -> Arc<std::sync::atomic::AtomicU8> {
        self.notice_floor.clone()
    }

    /// Re-reads `client_min_messages` into the notice floor.
    pub(crate) fn refresh_notice_floor(&self) {
        let floor = crate::sink::threshold_rank(&self.config.get_string("client_min_messages"));
        self.notice_floor
            .store(floor, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether an output setting that is not `GUC_REPORT` (so not noticed by
    /// [`SessionConfig::take_reported_changes`]) changed: `extra_float_digits`,
    /// `bytea_output`.
    fn output_settings_stale(&self) -> bool {
        let escape = self.config.get_string("bytea_output") == "escape";
        self.output.extra_float_digits != self.config.get_int("extra_float_digits") as i32
            || escape != (self.output.bytea_output == ByteaOutput::Escape)
    }

    /// Re-reads the settings that shape value output (DateStyle, TimeZone, ...).
    fn refresh_output_settings(&mut self) {
        let date_style = DateStyle::default()
            .parse_setting(&self.config.get_string("DateStyle"))
            .unwrap_or_default();
        let interval_style = match self.config.get_string("IntervalStyle").as_str() {
            "postgres_verbose" => IntervalStyle::PostgresVerbose,
            "sql_standard" => IntervalStyle::SqlStandard,
            "iso_8601" => IntervalStyle::Iso8601,
            _ => IntervalStyle::Postgres,
        };
        let tz_name = self.config.get_string("TimeZone");
        // The GUC check accepted the name; a bare POSIX offset (`+02:00`, hours west) is
        // the one form the zone type does not parse itself.
        let time_zone = TimeZone::named(&tz_name)
            .or_else(|| {
                crate::guc::bare_posix_offset(&tz_name).map(|west| TimeZone::fixed(-west as i32))
            })
            .unwrap_or_else(TimeZone::utc);
        let bytea_output = if self.config.get_string("bytea_output") == "escape" {
            ByteaOutput::Escape
        } else {
            ByteaOutput::Hex
        };
        self.output = OutputSettings {
            date_style,
            interval_style,
            time_zone,
            extra_float_digits: self.config.get_int("extra_float_digits") as i32,
            bytea_output,
            transaction_start: self.xact_start,
            max_stack_depth_kb: self.config.get_int("max_stack_depth").max(100) as usize,
            catalog_names: self.output.catalog_names.take(),
            user_types: self.output.user_types.clone(),
        };
    }

    /// Points the output settings at the catalogs as the current statement sees them, for
    /// the values of `regclass` and its kin (see `catalog_names.rs`).
    pub(crate) fn refresh_catalog_names(&mut self) {
        let reader = self.catalog_reader();
        let names = catalog_names::Names(catalog_names::SessionCatalogNames::new(
            self.db.cluster.clone(),
            &reader,
        ));
        drop(reader);
        self.output.catalog_names = Some(tusk_executor::CatalogNamesRef(Arc::new(names)));
    }

    /// Re-applies the server configuration after a reload (SIGHUP).
    pub fn apply_reload(&mut self) {
        let server = self.db.config.read();
        self.config.apply_reload(&server);
        drop(server);
        self.refresh_output_settings();
    }

    /// True once the server asked this session to end.
    pub fn terminating(&self) -> bool {
        self.signals.terminating()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let cluster = self.db.cluster.clone();
        if self.txn.is_active() {
            if let Err(e) = self.txn.abort(&cluster.xact, &cluster.pool) {
                tracing::warn!(
                    "could not abort the transaction of an ending session: {}",
                    e.message
                );
            }
            cluster.xact.locks.release_all(self.txn.backend);
        }
        if self.temp_namespace_ready {
            // The session's temporary relations go with it (temp_namespace rule 4).
            self.block = BlockState::Idle;
            self.ensure_transaction(false);
            let dropped = self.discard_temp().and_then(|()| self.commit_implicit());
            if let Err(e) = dropped {
                self.abort_after_error();
                tracing::warn!("could not drop temporary relations: {}", e.message);
            }
        }
        cluster.xact.locks.release_all(self.txn.backend);
        cluster.xact.procarray.remove(self.txn.backend);
        self.db.notify.remove(self.pid);
        self.db.unregister_backend(self.pid);
    }
}
