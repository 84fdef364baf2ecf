//! What expression evaluation needs from the session: settings, identity, clocks and
//! interrupts.

use std::cell::RefCell;
use std::collections::BTreeMap;
use tusk_types::adt::bytea::ByteaOutput;
use tusk_types::adt::datetime::{DateStyle, IntervalStyle, TimeZone};

use tusk_sql::analyze::ConflictArbiter;
use tusk_types::{pg_err, BlockNumber, Datum, ItemPointer, OffsetNumber, Oid, Result};

use crate::index::{index_order, key_holds, IndexInfo, IndexScanKey, ScanDirection};

/// Session settings that change how values print and parse (PostgreSQL GUCs `DateStyle`,
/// `IntervalStyle`, `TimeZone`, `extra_float_digits`, `bytea_output`).
#[derive(Debug, Clone)]
pub struct OutputSettings {
    /// `DateStyle`.
    pub date_style: DateStyle,
    /// `IntervalStyle`.
    pub interval_style: IntervalStyle,
    /// `TimeZone`.
    pub time_zone: TimeZone,
    /// `extra_float_digits` (-15 .. 3).
    pub extra_float_digits: i32,
    /// `bytea_output`.
    pub bytea_output: ByteaOutput,
    /// What `'now'`, `'today'` and friends mean in date/time input: the transaction's
    /// start, µs since 2000-01-01 UTC (PostgreSQL's `GetCurrentTransactionStartTimestamp`).
    pub transaction_start: i64,
    /// `max_stack_depth` in kB: bounds the nesting input functions accept (JSON).
    pub max_stack_depth_kb: usize,
    /// User-defined types (enum labels) as of the session's last catalog read.
    pub user_types: std::sync::Arc<crate::user_types::UserTypes>,
    /// Names of catalog objects for the OID alias types that print and parse them
    /// (`regclass`, `regnamespace`, `regrole`, `regtype` of a user-defined type); `None`
    /// where there are no catalogs, and those values print as numbers.
    pub catalog_names: Option<CatalogNamesRef>,
}

/// Catalog objects by OID and by name, as the input and output functions of the OID
/// alias types see them (PostgreSQL docs §8.19): a name prints schema-qualified unless
/// the object is visible on the search path, each part quoted as an identifier when it
/// needs quotes.
pub trait CatalogNames {
    /// `regclassout`: the relation's name, `None` for an OID no relation has.
    fn relation_name(&self, rel: Oid) -> Option<String>;
    /// `regtypeout` of a type the built-in catalog lacks, `None` if no type has the OID.
    fn type_name(&self, type_oid: Oid) -> Option<String>;
    /// `regnamespaceout`: the schema's name.
    fn namespace_name(&self, namespace: Oid) -> Option<String>;
    /// `regroleout`: the role's name.
    fn role_name(&self, role: Oid) -> Option<String>;
    /// `regprocout` of a function the built-in catalog lacks, `None` if no function has
    /// the OID.
    fn function_name(&self, proc: Oid) -> Option<String> {
        let _ = proc;
        None
    }
    /// `regprocedureout` of a user-defined function: its name (qualified unless
    /// visible) and argument types, `name(integer,text)`; `None` if no function has the
    /// OID.
    fn function_signature(&self, proc: Oid) -> Option<String> {
        let _ = proc;
        None
    }
    /// `regprocin`: the user-defined functions named `name` (the built-in catalog has
    /// the others).
    ///
    /// Errors: catalog read errors.
    fn function_oids(&self, name: &str) -> Result<Vec<Oid>> {
        let _ = name;
        Ok(Vec::new())
    }
    /// `regprocedurein`: the user-defined functions named `name`, in schema `schema`
    /// when one is written, with their argument types (`proargtypes`).
    ///
    /// Errors: catalog read errors.
    fn function_signatures(
        &self,
        schema: Option<&str>,
        name: &str,
    ) -> Result<Vec<(Oid, Vec<Oid>)>> {
        let _ = (schema, name);
        Ok(Vec::new())
    }
    /// `regclassin` of a name (`schema.name`, or `name` on the search path).
    ///
    /// Errors: catalog read errors.
    fn relation_oid(&self, schema: Option<&str>, name: &str) -> Result<Option<Oid>>;
    /// `regnamespacein`.
    ///
    /// Errors: catalog read errors.
    fn namespace_oid(&self, name: &str) -> Result<Option<Oid>>;
    /// `regrolein`.
    ///
    /// Errors: catalog read errors.
    fn role_oid(&self, name: &str) -> Result<Option<Oid>>;
}

/// A shared [`CatalogNames`] (cloned with the settings that carry it).
#[derive(Clone)]
pub struct CatalogNamesRef(pub std::sync::Arc<dyn CatalogNames + Send + Sync>);

impl std::fmt::Debug for CatalogNamesRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CatalogNames")
    }
}

impl Default for OutputSettings {
    fn default() -> OutputSettings {
        OutputSettings {
            date_style: DateStyle::default(),
            interval_style: IntervalStyle::default(),
            time_zone: TimeZone::utc(),
            extra_float_digits: 1,
            bytea_output: ByteaOutput::Hex,
            transaction_start: 0,
            max_stack_depth_kb: 2048,
            catalog_names: None,
            user_types: Default::default(),
        }
    }
}

/// Severities of notices functions send ([`SessionContext::notice`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    /// DEBUG1..5.
    Debug,
    /// LOG.
    Log,
    /// INFO (always sent).
    Info,
    /// NOTICE.
    Notice,
    /// WARNING.
    Warning,
}

/// The session services functions call back into (implemented by the engine).
pub trait SessionContext {
    /// `current_setting(name)`: the value as SHOW prints it (42704 if unknown).
    fn setting(&self, name: &str) -> Result<String>;
    /// `set_config(name, value, is_local)`: sets and returns the new value.
    fn set_setting(&mut self, name: &str, value: &str, is_local: bool) -> Result<String>;
    /// Returns 57014 if the statement was cancelled or timed out.
    fn check_interrupts(&self) -> Result<()>;
    /// Sleeps up to `micros`, waking early (with 57014) on cancel or timeout.
    fn sleep(&self, micros: u64) -> Result<()>;
    /// Current time, microseconds since 2000-01-01 UTC (`clock_timestamp()`).
    fn clock_now(&self) -> i64;
    /// `nextval(seq)`.
    ///
    /// Errors: 42809 if `seq` is not a sequence, 2200H at its limit.
    fn nextval(&mut self, seq: Oid) -> Result<i64> {
        let _ = seq;
        Err(no_sequences())
    }
    /// `currval(seq)`.
    ///
    /// Errors: 55000 `currval of sequence "s" is not yet defined in this session`.
    fn currval(&mut self, seq: Oid) -> Result<i64> {
        let _ = seq;
        Err(no_sequences())
    }
    /// `setval(seq, value, is_called)`; returns `value`.
    ///
    /// Errors: 22003 for a value out of the sequence's bounds.
    fn setval(&mut self, seq: Oid, value: i64, is_called: bool) -> Result<i64> {
        let _ = (seq, value, is_called);
        Err(no_sequences())
    }
    /// `lastval()`.
    ///
    /// Errors: 55000 `lastval is not yet defined in this session`.
    fn lastval(&mut self) -> Result<i64> {
        Err(no_sequences())
    }
    /// The name `regclass` output prints for a relation OID (`None`: print the number).
    fn relation_name(&self, rel: Oid) -> Option<String> {
        let _ = rel;
        None
    }
    /// Checks that the tables `query` changes may be updated or deleted from under the
    /// publications that cover them (PostgreSQL's `CheckCmdReplicaIdentity`); run once at
    /// the start of each INSERT, UPDATE, DELETE or MERGE.
    ///
    /// Errors: 55000 / 42P10 replica identity errors.
    fn check_replica_identity(&self, query: &tusk_sql::analyze::ModifyQuery) -> Result<()> {
        let _ = query;
        Ok(())
    }
    /// The visible rows of system catalog `catalog` (a `pg_class` OID such as 1259), each
    /// with one value per column of `tusk_catalog::syscat`'s description, for the catalog
    /// information functions (`pg_get_userbyid`, `pg_table_is_visible`, ...). The rows are
    /// shared and cached per catalog generation, with lookups by OID-valued columns.
    ///
    /// Errors: 0A000 where the statement has no catalogs; I/O errors.
    fn catalog_rows(
        &self,
        catalog: Oid,
    ) -> Result<std::sync::Arc<tusk_catalog::rows::CatalogRows>> {
        let _ = catalog;
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "system catalogs are not available in this context",
        ))
    }
    /// The size in bytes of relation `rel`'s main fork (`pg_relation_size`), `None` if
    /// there is no such relation.
    ///
    /// Errors: 0A000 where the statement has no catalogs; I/O errors.
    fn relation_size(&self, rel: Oid) -> Result<Option<i64>> {
        let _ = rel;
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "system catalogs are not available in this context",
        ))
    }
    /// The size in bytes of database `db`'s files (`pg_database_size` of a database other
    /// than the current one).
    ///
    /// Errors: 0A000 where the statement has no storage access; I/O errors.
    fn database_size(&self, db: Oid) -> Result<i64> {
        let _ = db;
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "system catalogs are not available in this context",
        ))
    }
    /// The rows of `pg_show_all_settings()` (the `pg_settings` view): one per parameter
    /// the role may see, 17 columns in `pg_proc` order.
    ///
    /// Errors: 0A000 where the statement has no session.
    fn pg_settings(&self) -> Result<Vec<Vec<Datum>>> {
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "pg_settings is not available in this context",
        ))
    }
    /// The rows of `pg_stat_get_activity(pid)` (the `pg_stat_activity` view): every
    /// backend, or only `pid`'s; 30 columns in `pg_proc` order.
    ///
    /// Errors: 0A000 where the statement has no session.
    fn backend_activity(&self, pid: Option<i32>) -> Result<Vec<Vec<Datum>>> {
        let _ = pid;
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "pg_stat_activity is not available in this context",
        ))
    }
    /// The rows of `pg_stat_statements(showtext)`: one per tracked statement, 43 columns
    /// in the extension's `pg_stat_statements` column order (PostgreSQL docs F.32).
    ///
    /// Errors: 55000 `pg_stat_statements must be loaded via shared_preload_libraries`
    /// when statement tracking is off; 0A000 where the statement has no session.
    fn statement_statistics(&self, showtext: bool) -> Result<Vec<Vec<Datum>>> {
        let _ = showtext;
        Err(tusk_types::Error::feature_not_supported(
            "pg_stat_statements in this context",
        ))
    }
    /// `pg_stat_statements_reset(userid, dbid, queryid)`: forgets the matching entries (0
    /// matches any).
    ///
    /// Errors: as [`SessionContext::statement_statistics`].
    fn reset_statement_statistics(&mut self, userid: Oid, dbid: Oid, queryid: i64) -> Result<()> {
        let _ = (userid, dbid, queryid);
        Err(tusk_types::Error::feature_not_supported(
            "pg_stat_statements_reset in this context",
        ))
    }
    /// The row of `pg_stat_statements_info()`: (dealloc, stats_reset).
    ///
    /// Errors: as [`SessionContext::statement_statistics`].
    fn statement_statistics_info(&self) -> Result<Vec<Datum>> {
        Err(tusk_types::Error::feature_not_supported(
            "pg_stat_statements_info in this context",
        ))
    }
    /// The rows of `pg_lock_status()` (the `pg_locks` view): held and awaited locks, 16
    /// columns in `pg_proc` order.
    ///
    /// Errors: 0A000 where the statement has no session.
    fn lock_status(&self) -> Result<Vec<Vec<Datum>>> {
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "pg_locks is not available in this context",
        ))
    }
    /// User-defined function `proc` (a `pg_proc` row the catalog tables do not have)
    /// analysed for a call: its body's statements, strictness and result shape. The
    /// executor runs it ([`crate::sql_function`]).
    ///
    /// `arg_types` are the call's actual argument types, which fix the types a
    /// polymorphic function's arguments and result stand for.
    ///
    /// Errors: 42883 if there is no such function; 0A000 for languages tusk cannot run
    /// (`language "plpgsql" is not supported yet`); the errors of analysing the body.
    fn sql_function(
        &mut self,
        proc: Oid,
        arg_types: &[Oid],
        output: &OutputSettings,
    ) -> Result<std::sync::Arc<crate::sql_function::SqlFunction>> {
        let _ = (output, arg_types);
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            format!(
                "user-defined function {} is not available in this context",
                proc.0
            ),
        ))
    }
    /// The schemas searched for unqualified names, in order, `pg_catalog` included where
    /// PostgreSQL puts it (what `current_schemas(true)` lists).
    fn search_path(&self) -> Vec<String> {
        Vec::new()
    }
    /// The user triggers of relation `rel` in name order (`pg_trigger` rows), `None`
    /// when it has none or the context has no catalogs.
    ///
    /// Errors: catalog read errors.
    fn relation_triggers(
        &mut self,
        rel: Oid,
    ) -> Result<Option<std::sync::Arc<crate::trigger::RelationTriggers>>> {
        let _ = rel;
        Ok(None)
    }

    /// Analyses one SQL statement a procedural-language function runs (PL/pgSQL's
    /// embedded SQL) against the session's catalog: `$n` are `param_types`, other names
    /// no column has resolve through `resolver`.
    ///
    /// Errors: syntax and analysis errors; 0A000 for statements other than SELECT,
    /// INSERT, UPDATE and DELETE, and where the statement has no catalogs.
    fn analyze_statement(
        &mut self,
        sql: &str,
        param_types: &[Oid],
        resolver: &dyn tusk_sql::analyze::ParamResolver,
        output: &OutputSettings,
    ) -> Result<crate::sql_function::FunctionStatement> {
        let _ = (sql, param_types, resolver, output);
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "SQL statements are not available in this context",
        ))
    }
    /// Analyses PL/pgSQL's `CALL procedure(...)` statement `sql` as a query of one
    /// column, the record of the procedure's output parameters (NULL for a procedure
    /// without any); with each output parameter's name and the parameter index of the
    /// variable passed for it (`None` when its argument is no variable).
    ///
    /// Errors: syntax and analysis errors; 42809 when the routine is no procedure.
    #[allow(clippy::type_complexity)]
    fn analyze_call(
        &mut self,
        sql: &str,
        param_types: &[Oid],
        resolver: &dyn tusk_sql::analyze::ParamResolver,
        output: &OutputSettings,
    ) -> Result<(
        crate::sql_function::FunctionStatement,
        Vec<(String, Option<usize>)>,
    )> {
        let _ = (sql, param_types, resolver, output);
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "SQL statements are not available in this context",
        ))
    }
    /// The commands relation `rel` accepts (PostgreSQL's `relation_is_updatable`:
    /// `tusk_sql::analyze::EVENT_*` bits), counting only its attribute `column` (1-based)
    /// if given; 0 for a relation that does not exist. The default knows no relations.
    ///
    /// Errors: catalog read errors and errors analysing a view's query.
    fn relation_is_updatable(
        &self,
        rel: Oid,
        column: Option<i16>,
        output: &OutputSettings,
    ) -> Result<i32> {
        let _ = (rel, column, output);
        Ok(0)
    }
    /// Sends a notice (PL/pgSQL's RAISE below EXCEPTION) to the client, if its
    /// level passes `client_min_messages`. The default drops it.
    fn notice(&mut self, level: NoticeLevel, notice: &tusk_types::Error) {
        let _ = (level, notice);
    }
    /// `pg_cancel_backend(pid)` (`terminate` false) or `pg_terminate_backend(pid,
    /// timeout)`: signals backend `pid`. False, with PostgreSQL's WARNING, when `pid` is
    /// not a backend, or when `timeout_ms` is positive and the backend did not end within
    /// it (PostgreSQL docs §9.27.2 "Server Signaling Functions").
    ///
    /// Errors: 42501 when the current role may not signal that backend; 22023 for a
    /// negative timeout; 0A000 where the statement has no session.
    fn signal_backend(&mut self, pid: i32, terminate: bool, timeout_ms: i64) -> Result<bool> {
        let _ = (pid, terminate, timeout_ms);
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "signalling backends is not available in this context",
        ))
    }
    /// `pg_notify(channel, payload)`: queues a notification, sent when the transaction
    /// commits (PostgreSQL's `Async_Notify`).
    ///
    /// Errors: 22023 for an empty or too long channel name (63 bytes at most) or a
    /// payload over 7999 bytes; 0A000 where the statement has no session.
    fn notify(&mut self, channel: &str, payload: &str) -> Result<()> {
        let _ = (channel, payload);
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "NOTIFY is not available in this context",
        ))
    }
    /// `pg_listening_channels()`: the channels the session listens on (committed
    /// LISTENs), in name order.
    fn listening_channels(&self) -> Vec<String> {
        Vec::new()
    }
    /// `pg_notification_queue_usage()`: the fraction (0 to 1) of the notification
    /// queue's capacity that undelivered notifications occupy.
    fn notification_queue_usage(&self) -> f64 {
        0.0
    }
    /// A WAL position in bytes (`pg_current_wal_lsn()` and friends).
    ///
    /// Errors: 0A000 where the statement has no session.
    fn wal_position(&self, which: WalPosition) -> Result<u64> {
        let _ = which;
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "WAL positions are not available in this context",
        ))
    }
    /// The value cumulative-statistics function `function` (a `pg_stat_get_*` name, the
    /// `pg_proc.prosrc` of the call) returns for `oid`: a table or index, or a database
    /// for the `pg_stat_get_db_*` functions (docs §28.2.24).
    ///
    /// Errors: 0A000 where the statement has no session or for a function tusk does not
    /// count for.
    fn cumulative_stat(&self, function: &str, oid: Oid) -> Result<Datum> {
        let _ = oid;
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            format!("{function} is not available in this context"),
        ))
    }
    /// The WAL's timeline and segment size in bytes (`pg_walfile_name()`).
    ///
    /// Errors: 0A000 where the statement has no session.
    fn wal_segments(&self) -> Result<(u32, u64)> {
        Err(tusk_types::Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "WAL positions are not available in this context",
        ))
    }
    /// The client's end of a TCP connection (`inet_client_addr()`, `inet_client_port()`);
    /// `None` for a Unix-domain socket or no connection.
    fn client_address(&self) -> Option<std::net::SocketAddr> {
        None
    }
    /// The server's end of a TCP connection (`inet_server_addr()`, `inet_server_port()`);
    /// `None` for a Unix-domain socket or no connection.
    fn server_address(&self) -> Option<std::net::SocketAddr> {
        None
    }
}

/// Which WAL position [`SessionContext::wal_position`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalPosition {
    /// The end of the last inserted record (`pg_current_wal_insert_lsn()`).
    Insert,
    /// Written to the operating system (`pg_current_wal_lsn()`).
    Write,
    /// Durable (`pg_current_wal_flush_lsn()`).
    Flush,
}

fn no_sequences() -> tusk_types::Error {
    tusk_types::Error::new(
        tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
        "sequences are not available in this context",
    )
}

/// Everything an expression may read while it runs.
pub struct EvalContext<'a> {
    /// Session services.
    pub session: &'a mut dyn SessionContext,
    /// Output formatting.
    pub output: &'a OutputSettings,
    /// Statement start (`statement_timestamp()`), µs since 2000-01-01 UTC.
    pub statement_start: i64,
    /// Transaction start (`now()`), µs since 2000-01-01 UTC.
    pub transaction_start: i64,
    /// `current_user`.
    pub current_user: &'a str,
    /// `session_user`.
    pub session_user: &'a str,
    /// `current_database()`.
    pub database: &'a str,
    /// `pg_backend_pid()`.
    pub backend_pid: i32,
    /// Bound parameter values (`$1` is index 0).
    pub params: &'a [Datum],
    /// The relations the statement reads and writes.
    pub tables: &'a dyn TableAccess,
    /// The data-modifying CTEs of the statements running (`modifying_cte.rs`).
    pub modifying_ctes: std::rc::Rc<crate::ModifyingCtes>,
}

impl EvalContext<'_> {
    /// The same context with `params` as the bound parameter values (the next record of
    /// a COPY run through the insert's plan, a SQL function's arguments).
    pub fn with_params<'b>(&'b mut self, params: &'b [Datum]) -> EvalContext<'b> {
        EvalContext {
            session: &mut *self.session,
            output: self.output,
            statement_start: self.statement_start,
            transaction_start: self.transaction_start,
            current_user: self.current_user,
            session_user: self.session_user,
            database: self.database,
            backend_pid: self.backend_pid,
            params,
            tables: self.tables,
            modifying_ctes: self.modifying_ctes.clone(),
        }
    }
}

/// Rows of a scan: each row's TID and its values, one per attribute (dropped ones `Null`).
pub type RowIter<'a> = Box<dyn Iterator<Item = Result<(ItemPointer, Vec<Datum>)>> + 'a>;

/// What became of a row an UPDATE or DELETE went for (PostgreSQL's `TM_Result`, after the
/// wait for a concurrent writer has ended).
#[derive(Debug, Clone, PartialEq)]
pub enum ModifyResult {
    /// Done; for an UPDATE the new version's TID, for a DELETE the deleted row's.
    Done(ItemPointer),
    /// The row was deleted by a committed concurrent transaction (or by this statement
    /// already): skip it.
    Deleted,
    /// The row was updated by a committed concurrent transaction: the newest version, to
    /// re-check the statement's WHERE against (READ COMMITTED's EvalPlanQual) and retry.
    Updated {
        /// TID of the newest version.
        tid: ItemPointer,
        /// Its values.
        row: Vec<Datum>,
    },
}

/// Heap access for one statement, under its snapshot and command id (implemented by the
/// engine; [`MemTables`] in memory for tests). Values are rows of a relation's attributes
/// in `attnum` order, already of the columns' types; constraint checks (NOT NULL, CHECK)
/// are the executor's, not this layer's.
pub trait TableAccess {
    /// Rows of relation `rel` visible to the statement (a sequential scan).
    ///
    /// Errors: 42P01 for an unknown relation; I/O errors.
    fn scan(&self, rel: Oid) -> Result<RowIter<'_>>;
    /// Inserts `row` into `rel` (`heap_insert`), returning its TID.
    ///
    /// Errors: 54000 for a row too big; 25006 in a read-only transaction; I/O errors.
    fn insert(&self, rel: Oid, row: &[Datum]) -> Result<ItemPointer>;
    /// [`TableAccess::insert`] that also names the relation the row went to: a leaf
    /// partition when `rel` is partitioned, else `rel`.
    ///
    /// Errors: as [`TableAccess::insert`].
    fn insert_routed(&self, rel: Oid, row: &[Datum]) -> Result<(Oid, ItemPointer)> {
        Ok((rel, self.insert(rel, row)?))
    }
    /// Replaces the row version at `tid` with `row` (`heap_update`), waiting for a
    /// concurrent writer of that row to end first.
    ///
    /// Errors: 40001 `could not serialize access due to concurrent update` under
    /// REPEATABLE READ and SERIALIZABLE; as [`TableAccess::insert`].
    fn update(&self, rel: Oid, tid: ItemPointer, row: &[Datum]) -> Result<ModifyResult>;
    /// [`TableAccess::update`] of a row the statement reached through `root` (the
    /// table it names, a partitioned table or an inheritance parent): when `rel` is a
    /// partition and `row` no longer fits it, the row moves (deleted from `rel`, `row`
    /// inserted through `root`), as PostgreSQL's UPDATE row movement. Returns, with the
    /// outcome, the relation the new version lives in (the partition a moved row went
    /// to, else `rel`).
    ///
    /// Errors: as [`TableAccess::update`] and [`TableAccess::insert`].
    fn update_from(
        &self,
        root: Oid,
        rel: Oid,
        tid: ItemPointer,
        row: &[Datum],
    ) -> Result<(Oid, ModifyResult)> {
        let _ = root;
        Ok((rel, self.update(rel, tid, row)?))
    }
    /// Deletes the row version at `tid` (`heap_delete`), waiting like
    /// [`TableAccess::update`].
    ///
    /// Errors: as [`TableAccess::update`].
    fn delete(&self, rel: Oid, tid: ItemPointer) -> Result<ModifyResult>;
    /// The current transaction's top-level xid as a full transaction id (epoch in the
    /// high 32 bits), assigning one first when `assign` and it has none
    /// (`pg_current_xact_id()`); `None` when it has none and `assign` is false
    /// (`pg_current_xact_id_if_assigned()`).
    ///
    /// Errors: 25006 when assigning in a read-only transaction; 0A000 where the statement
    /// has no transaction (the default).
    fn current_full_xid(&self, assign: bool) -> Result<Option<u64>> {
        let _ = assign;
        Err(tusk_types::Error::feature_not_supported(
            "transaction ids in this context",
        ))
    }
    /// The statement's snapshot in full transaction ids: (xmin, xmax, running top-level
    /// transactions sorted), as `pg_current_snapshot()` shows it.
    ///
    /// Errors: 0A000 where the statement has no transaction (the default).
    fn current_snapshot(&self) -> Result<(u64, u64, Vec<u64>)> {
        Err(tusk_types::Error::feature_not_supported(
            "snapshots in this context",
        ))
    }
    /// The commit status of full transaction id `fxid` (`pg_xact_status`): `committed`,
    /// `aborted` or `in progress`; `None` when it is too old for the commit log to tell.
    ///
    /// Errors: 22023 `transaction ID N is in the future`; 0A000 where the statement has
    /// no transaction (the default).
    fn transaction_status(&self, fxid: u64) -> Result<Option<&'static str>> {
        let _ = fxid;
        Err(tusk_types::Error::feature_not_supported(
            "transaction status in this context",
        ))
    }
    /// Starts a new command within the statement (PL/pgSQL runs each of its statements
    /// as one): later scans see the writes made so far. The default does nothing.
    fn command_counter_increment(&self) {}
    /// Starts a subtransaction (a PL/pgSQL EXCEPTION block run inside a statement);
    /// returns its depth for [`TableAccess::end_subtransaction`].
    ///
    /// Errors: 0A000 where there are no subtransactions (the default).
    fn begin_subtransaction(&self) -> Result<usize> {
        Err(tusk_types::Error::feature_not_supported(
            "subtransactions in this context",
        ))
    }
    /// Ends the subtransaction at `depth` (and any above it), keeping its writes when
    /// `commit`, else rolling them back.
    ///
    /// Errors: commit-log I/O errors.
    fn end_subtransaction(&self, depth: usize, commit: bool) -> Result<()> {
        let _ = (depth, commit);
        Ok(())
    }
    /// Locks the row version at `tid` of `rel` (called `name` in errors) for `SELECT ...
    /// FOR UPDATE/SHARE` (PostgreSQL's `heap_lock_tuple` with EvalPlanQual's fetch of
    /// the newest version under READ COMMITTED).
    ///
    /// Errors: 55P03 `could not obtain lock on row in relation "t"` (NOWAIT); 40001
    /// under REPEATABLE READ and SERIALIZABLE when a committed transaction changed the
    /// row; 25006 in a read-only transaction; 0A000 where rows cannot be locked (the
    /// default).
    fn lock_row(
        &self,
        rel: Oid,
        name: &str,
        tid: ItemPointer,
        strength: tusk_sql::ast_lock::RowLockStrength,
        wait: tusk_sql::ast_lock::RowLockWait,
    ) -> Result<RowLockResult> {
        let _ = (rel, name, tid, wait);
        Err(tusk_types::Error::feature_not_supported(format!(
            "SELECT {} in this context",
            strength.clause_name()
        )))
    }
    /// The work PostgreSQL queues for the end of a statement (AFTER triggers: foreign key
    /// checks and actions), run once the statement's own writes are done.
    ///
    /// Errors: 23503 foreign key violations; the errors of the writes actions make.
    fn after_statement(&self) -> Result<()> {
        Ok(())
    }
    /// Fires the waiting events of deferred constraints (`constraints` by OID, all when
    /// `None`): what `SET CONSTRAINTS ... IMMEDIATE` and COMMIT run.
    ///
    /// Errors: 23503 foreign key violations; the errors of the writes actions make.
    fn fire_deferred_constraints(&self, constraints: Option<&[Oid]>) -> Result<()> {
        let _ = constraints;
        Ok(())
    }
    /// Number of attributes of relation `rel`, dropped ones included: the slots of its
    /// rows before their system columns. The default, `usize::MAX`, is for access that
    /// has no system columns (rows never carry them).
    ///
    /// Errors: 42P01 for an unknown relation.
    fn attribute_count(&self, rel: Oid) -> Result<usize> {
        let _ = rel;
        Ok(usize::MAX)
    }
    /// The system columns of the row version at `tid` of `rel`, in the order of
    /// `tusk_sql::analyze::system_columns::SYSTEM_COLUMNS` (ctid, xmin, cmin, xmax, cmax,
    /// tableoid), read from its tuple header as PostgreSQL's `heap_getsysattr` does.
    ///
    /// Errors: 0A000 where there are none (the default); I/O errors.
    fn system_columns(&self, rel: Oid, tid: ItemPointer) -> Result<Vec<Datum>> {
        let _ = (rel, tid);
        Err(tusk_types::Error::feature_not_supported(
            "system columns in this context",
        ))
    }
    /// The unique indexes (OIDs) that decide conflicts for `INSERT ... ON CONFLICT` on
    /// `rel` (PostgreSQL's `infer_arbiter_indexes`).
    ///
    /// Errors: 42P10 `there is no unique or exclusion constraint matching the ON CONFLICT
    /// specification`; 42704 `constraint "c" for table "t" does not exist`.
    fn conflict_arbiters(&self, rel: Oid, arbiter: &ConflictArbiter) -> Result<Vec<Oid>> {
        let _ = (rel, arbiter);
        Err(tusk_types::Error::feature_not_supported(
            "INSERT ... ON CONFLICT in this context",
        ))
    }
    /// Inserts `row` into `rel` unless a live row has an equal key in one of the
    /// `arbiters` indexes (PostgreSQL's speculative insertion): waits for transactions
    /// still writing an equal key and looks again, and never reports a unique violation
    /// of an arbiter index.
    ///
    /// Errors: as [`TableAccess::insert`] (23505 for indexes other than the arbiters).
    fn insert_speculative(
        &self,
        rel: Oid,
        row: &[Datum],
        arbiters: &[Oid],
    ) -> Result<SpeculativeInsert> {
        let _ = (rel, row, arbiters);
        Err(tusk_types::Error::feature_not_supported(
            "INSERT ... ON CONFLICT in this context",
        ))
    }
    /// The DO UPDATE of `INSERT ... ON CONFLICT` into `root`: replaces the conflicting
    /// row version at `tid` of `rel` (a leaf partition of `root`, or `root` itself) with
    /// `row`, given in `root`'s layout; the row may not leave its partition.
    ///
    /// Errors: 0A000 `invalid ON UPDATE specification` when the new row belongs in
    /// another partition; as [`TableAccess::update`].
    fn update_conflicting(
        &self,
        root: Oid,
        rel: Oid,
        tid: ItemPointer,
        row: &[Datum],
    ) -> Result<ModifyResult> {
        let _ = root;
        self.update(rel, tid, row)
    }
    /// The valid B-tree indexes of relation `rel` the planner may use (none by default;
    /// none for system catalogs and sequences).
    ///
    /// Errors: 42P01 for an unknown relation; catalog read errors.
    fn indexes(&self, rel: Oid) -> Result<Vec<IndexInfo>> {
        let _ = rel;
        Ok(Vec::new())
    }
    /// Verifies B-tree `index` as amcheck's `bt_index_check` / `bt_index_parent_check` do:
    /// the tree's structure, and with `heapallindexed` that every row the statement's
    /// snapshot sees has its entry.
    ///
    /// Errors: 42809 for a relation that is not an index; 0A000 for an index that is not
    /// a B-tree; XX002 `index_corrupted` for what the check finds.
    fn verify_index(&self, index: Oid, heapallindexed: bool) -> Result<()> {
        let _ = (index, heapallindexed);
        Err(tusk_types::Error::feature_not_supported(
            "index verification without table access",
        ))
    }
    /// Rows of relation `rel` found through its index `index` (an OID from
    /// [`TableAccess::indexes`]) whose key values satisfy every key, in index order or
    /// reversed (ties in heap TID order): each row once, in the version the statement's
    /// snapshot sees (PostgreSQL's `index_getnext_slot`).
    ///
    /// Errors: XX000 for an index `rel` does not have; 42P01; I/O errors.
    fn index_scan(
        &self,
        rel: Oid,
        index: Oid,
        keys: &[IndexScanKey],
        direction: ScanDirection,
    ) -> Result<RowIter<'_>> {
        let _ = (keys, direction);
        Err(no_index(rel, index))
    }
}

/// What became of a row lock ([`TableAccess::lock_row`]).
#[derive(Debug, Clone, PartialEq)]
pub enum RowLockResult {
    /// Locked: the version at `tid`; `newer` holds its values when that is a newer
    /// version than the one asked for (a committed concurrent update, READ COMMITTED).
    Locked {
        /// TID of the locked version.
        tid: ItemPointer,
        /// Its values (attributes only) when it is not the version asked for.
        newer: Option<Vec<Datum>>,
    },
    /// SKIP LOCKED left the row out.
    Skipped,
    /// The row was deleted by a committed concurrent transaction.
    Deleted,
}

/// What became of a speculative insertion ([`TableAccess::insert_speculative`]). For a
/// partitioned target, `rel` is the leaf partition the row went to or lives in.
#[derive(Debug, Clone, PartialEq)]
pub enum SpeculativeInsert {
    /// Inserted at `tid` of `rel`.
    Inserted {
        /// The relation holding the new row.
        rel: Oid,
        /// TID of the new row version.
        tid: ItemPointer,
    },
    /// Not inserted: the live row version at `tid` of `rel` holds an equal arbiter key.
    Conflict {
        /// The relation holding the conflicting row.
        rel: Oid,
        /// TID of the conflicting row version.
        tid: ItemPointer,
        /// Its values, in the layout of the relation the insertion targeted.
        row: Vec<Datum>,
    },
}

/// XX000 for an index scan of an index the relation does not have.
pub(crate) fn no_index(rel: Oid, index: Oid) -> tusk_types::Error {
    tusk_types::Error::internal(format!(
        "relation with OID {} has no index with OID {}",
        rel.0, index.0
    ))
}

/// No relations at all: every access is 42P01 (for contexts without tables).
pub struct NoTables;

fn no_relation(rel: Oid) -> tusk_types::Error {
    pg_err!(
        UNDEFINED_TABLE,
        "could not open relation with OID {}",
        rel.0
    )
}

impl TableAccess for NoTables {
    fn scan(&self, rel: Oid) -> Result<RowIter<'_>> {
        Err(no_relation(rel))
    }
    fn insert(&self, rel: Oid, _row: &[Datum]) -> Result<ItemPointer> {
        Err(no_relation(rel))
    }
    fn update(&self, rel: Oid, _tid: ItemPointer, _row: &[Datum]) -> Result<ModifyResult> {
        Err(no_relation(rel))
    }
    fn delete(&self, rel: Oid, _tid: ItemPointer) -> Result<ModifyResult> {
        Err(no_relation(rel))
    }
}

/// Relations held in memory, for tests of the executor: no concurrency, no MVCC beyond
/// "a statement does not see rows it changed after its scan started" being the caller's
/// business. Row `n` of a relation (0-based) has TID block 0, offset `n + 1`. Indexes
/// are descriptions only: an index scan filters and sorts the live rows.
#[derive(Default)]
pub struct MemTables {
    relations: RefCell<BTreeMap<Oid, Vec<Option<Vec<Datum>>>>>,
    indexes: RefCell<BTreeMap<Oid, Vec<IndexInfo>>>,
    index_scans: std::cell::Cell<usize>,
}

impl MemTables {
    /// An empty set of relations.
    pub fn new() -> MemTables {
        MemTables::default()
    }

    /// Creates (or empties) relation `rel` holding `rows`.
    pub fn create(&self, rel: Oid, rows: Vec<Vec<Datum>>) {
        self.relations
            .borrow_mut()
            .insert(rel, rows.into_iter().map(Some).collect());
    }

    /// Gives relation `rel` the index `index` (what [`TableAccess::indexes`] reports).
    pub fn create_index(&self, rel: Oid, index: IndexInfo) {
        self.indexes
            .borrow_mut()
            .entry(rel)
            .or_default()
            .push(index);
    }

    /// How many index scans have started.
    pub fn index_scans(&self) -> usize {
        self.index_scans.get()
    }

    /// The live rows of `rel`, in TID order.
    pub fn rows(&self, rel: Oid) -> Vec<Vec<Datum>> {
        self.relations
            .borrow()
            .get(&rel)
            .map(|rows| rows.iter().flatten().cloned().collect())
            .unwrap_or_default()
    }
}

fn mem_tid(index: usize) -> ItemPointer {
    ItemPointer {
        block: BlockNumber(0),
        offset: OffsetNumber(index as u16 + 1),
    }
}

impl TableAccess for MemTables {
    /// The width of the relation's first live row (rows all have the relation's width);
    /// `usize::MAX` (no system columns) while it has none.
    fn attribute_count(&self, rel: Oid) -> Result<usize> {
        Ok(self
            .relations
            .borrow()
            .get(&rel)
            .ok_or_else(|| no_relation(rel))?
            .iter()
            .flatten()
            .next()
            .map_or(usize::MAX, Vec::len))
    }

    /// Every row reads as frozen (xmin 2, PostgreSQL's `FrozenTransactionId`), written
    /// by command 0 and never deleted.
    fn system_columns(&self, rel: Oid, tid: ItemPointer) -> Result<Vec<Datum>> {
        Ok(vec![
            tusk_types::adt::tid::tid_datum(tid),
            Datum::Oid(2),
            Datum::Oid(0),
            Datum::Oid(0),
            Datum::Oid(0),
            Datum::Oid(rel.0),
        ])
    }

    fn scan(&self, rel: Oid) -> Result<RowIter<'_>> {
        let rows: Vec<_> = self
            .relations
            .borrow()
            .get(&rel)
            .ok_or_else(|| no_relation(rel))?
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.clone().map(|r| Ok((mem_tid(i), r))))
            .collect();
        Ok(Box::new(rows.into_iter()))
    }

    fn insert(&self, rel: Oid, row: &[Datum]) -> Result<ItemPointer> {
        let mut relations = self.relations.borrow_mut();
        let rows = relations.get_mut(&rel).ok_or_else(|| no_relation(rel))?;
        rows.push(Some(row.to_vec()));
        Ok(mem_tid(rows.len() - 1))
    }

    fn update(&self, rel: Oid, tid: ItemPointer, row: &[Datum]) -> Result<ModifyResult> {
        let mut relations = self.relations.borrow_mut();
        let rows = relations.get_mut(&rel).ok_or_else(|| no_relation(rel))?;
        let index = tid.offset.0 as usize - 1;
        match rows.get_mut(index) {
            Some(slot @ Some(_)) => {
                *slot = None;
                rows.push(Some(row.to_vec()));
                Ok(ModifyResult::Done(mem_tid(rows.len() - 1)))
            }
            _ => Ok(ModifyResult::Deleted),
        }
    }

    fn delete(&self, rel: Oid, tid: ItemPointer) -> Result<ModifyResult> {
        let mut relations = self.relations.borrow_mut();
        let rows = relations.get_mut(&rel).ok_or_else(|| no_relation(rel))?;
        let index = tid.offset.0 as usize - 1;
        match rows.get_mut(index) {
            Some(slot @ Some(_)) => {
                *slot = None;
                Ok(ModifyResult::Done(tid))
            }
            _ => Ok(ModifyResult::Deleted),
        }
    }

    fn indexes(&self, rel: Oid) -> Result<Vec<IndexInfo>> {
        if !self.relations.borrow().contains_key(&rel) {
            return Err(no_relation(rel));
        }
        Ok(self.indexes.borrow().get(&rel).cloned().unwrap_or_default())
    }

    fn index_scan(
        &self,
        rel: Oid,
        index: Oid,
        keys: &[IndexScanKey],
        direction: ScanDirection,
    ) -> Result<RowIter<'_>> {
        let info = self
            .indexes(rel)?
            .into_iter()
            .find(|i| i.oid == index)
            .ok_or_else(|| no_index(rel, index))?;
        self.index_scans.set(self.index_scans.get() + 1);
        let key_of = |row: &[Datum]| -> Vec<Datum> {
            info.columns
                .iter()
                .map(|c| {
                    row.get(c.attnum as usize - 1)
                        .cloned()
                        .unwrap_or(Datum::Null)
                })
                .collect()
        };
        let mut found: Vec<(Vec<Datum>, ItemPointer, Vec<Datum>)> = Vec::new();
        for item in self.scan(rel)? {
            let (tid, row) = item?;
            let key = key_of(&row);
            if key_holds(keys, &key) {
                found.push((key, tid, row));
            }
        }
        found.sort_by(|a, b| {
            info.columns
                .iter()
                .zip(a.0.iter().zip(&b.0))
                .map(|(c, (x, y))| index_order(c, x, y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.1.cmp(&b.1))
        });
        if direction == ScanDirection::Backward {
            found.reverse();
        }
        Ok(Box::new(
            found.into_iter().map(|(_, tid, row)| Ok((tid, row))),
        ))
    }
}
