//! Transaction blocks: BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK TO, with
//! PostgreSQL's warnings and errors for each state (xact.c's `BeginTransactionBlock`,
//! `EndTransactionBlock`, `UserAbortTransactionBlock`, ...).

use tusk_sql::ast::{TransactionOption, TransactionStmt};
use tusk_types::{pg_err, Error, Result, SqlState};

use super::{now_pg_micros, Session};
use crate::sink::{NoticeSeverity, Sink};

/// Where the session stands with respect to transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockState {
    /// No transaction.
    Idle,
    /// A single statement's implicit transaction.
    Implicit,
    /// Several statements of one Query message (or extended messages before Sync).
    ImplicitBlock,
    /// Inside BEGIN ... COMMIT.
    InBlock,
    /// Inside a block after an error.
    Failed,
}

impl Session {
    /// Starts an implicit transaction if none is open.
    pub(crate) fn ensure_transaction(&mut self, multi: bool) {
        if self.block == BlockState::Idle {
            self.txn.begin();
            self.xact_start = now_pg_micros();
            self.snapshot_taken = false;
            self.output.transaction_start = self.xact_start;
            self.config.at_transaction_start();
            self.block = if multi {
                BlockState::ImplicitBlock
            } else {
                BlockState::Implicit
            };
        }
    }

    /// Ends an implicit transaction successfully.
    ///
    /// Errors: WAL flush and commit-log errors from the commit.
    pub(crate) fn commit_implicit(&mut self) -> Result<()> {
        if matches!(self.block, BlockState::Implicit | BlockState::ImplicitBlock) {
            self.finish_transaction(true)?;
        }
        Ok(())
    }

    fn finish_transaction(&mut self, commit: bool) -> Result<()> {
        let cluster = self.db.cluster.clone();
        let mut result = Ok(());
        if self.txn.is_active() {
            // Cached relation descriptors stay valid unless this transaction changed
            // catalogs (other backends' changes move the generation instead).
            if commit {
                if let Err(e) = self
                    .fire_deferred_at_commit()
                    .and_then(|()| self.pre_commit_on_commit_actions())
                    .and_then(|()| self.pre_commit_notify())
                {
                    self.on_commit.clear();
                    self.deferred_constraints.borrow_mut().clear();
                    self.at_transaction_end_notify(false);
                    let cluster = cluster.clone();
                    if let Err(abort) = self.txn.abort(&cluster.xact, &cluster.pool) {
                        tracing::warn!("could not abort transaction: {}", abort.message);
                    }
                    self.relcache.borrow_mut().clear();
                    cluster.xact.locks.release_all(self.txn.backend);
                    self.config.at_abort();
                    self.end_identity_change(false);
                    self.savepoints.clear();
                    self.portals.clear();
                    self.block = BlockState::Idle;
                    return Err(e);
                }
            }
            let changed_catalogs = self.txn.has_catalog_changes();
            if commit {
                let mode = crate::guc::sync_mode(&self.config.get_string("synchronous_commit"));
                let services = &cluster.xact;
                result = self
                    .txn
                    .commit(services, &cluster.pool, mode, || {
                        services
                            .catalog_generation
                            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                    })
                    .map(|_| ());
            } else {
                result = self.txn.abort(&cluster.xact, &cluster.pool);
            }
            if changed_catalogs {
                self.relcache.borrow_mut().clear();
            }
        }
        cluster.xact.locks.release_all(self.txn.backend);
        if commit && result.is_ok() {
            self.config.at_commit();
        } else {
            self.config.at_abort();
        }
        self.end_identity_change(commit && result.is_ok());
        self.savepoints.clear();
        self.portals.clear();
        self.cursors.at_transaction_end(commit && result.is_ok());
        self.block = BlockState::Idle;
        self.at_transaction_end_notify(commit && result.is_ok());
        self.deferred_constraints.borrow_mut().clear();
        result
    }

    /// Error handling after a failed statement (rule 2).
    pub(crate) fn abort_after_error(&mut self) {
        match self.block {
            BlockState::Idle | BlockState::Implicit | BlockState::ImplicitBlock => {
                if let Err(e) = self.finish_transaction(false) {
                    tracing::warn!("could not abort transaction: {}", e.message);
                }
            }
            BlockState::InBlock => {
                // The failed work is undone now, as PostgreSQL's AbortTransaction does
                // (waiters on its rows and locks go on); the block then waits for ROLLBACK.
                let cluster = self.db.cluster.clone();
                if self.savepoints.is_empty() {
                    self.config.at_abort();
                    self.end_identity_change(false);
                    if self.txn.is_active() {
                        if let Err(e) = self.txn.abort(&cluster.xact, &cluster.pool) {
                            tracing::warn!("could not abort transaction: {}", e.message);
                        }
                        self.relcache.borrow_mut().clear();
                    }
                    cluster.xact.locks.release_all(self.txn.backend);
                } else {
                    self.config.at_rollback_to_savepoint();
                    // Only the innermost subtransaction fails (AbortSubTransaction).
                    let depth = self.savepoints.len();
                    self.deferred_constraints.borrow_mut().at_rollback_to(depth);
                    match self.txn.rollback_to(depth, &cluster.xact, &cluster.pool) {
                        Ok(true) => self.relcache.borrow_mut().clear(),
                        Ok(false) => {}
                        Err(e) => tracing::warn!("could not abort subtransaction: {}", e.message),
                    }
                }
                self.block = BlockState::Failed;
            }
            BlockState::Failed => {}
        }
    }

    /// Whether a statement may run in the current state: 25P02 in a failed block unless it
    /// ends the transaction or rolls back to a savepoint.
    pub(crate) fn check_not_failed(&self, exits_transaction: bool) -> Result<()> {
        if self.block == BlockState::Failed && !exits_transaction {
            return Err(Error::new(
                SqlState::IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block",
            ));
        }
        Ok(())
    }

    /// Marks that a query ran in the current transaction (see [`Session::snapshot_taken`]).
    pub(crate) fn note_snapshot(&mut self) {
        self.snapshot_taken = true;
    }

    /// PostgreSQL's `check_XactIsoLevel` and `check_transaction_read_only`, for SET
    /// TRANSACTION and plain SET alike: once a query ran in the transaction (or inside a
    /// savepoint), its isolation level is fixed and a read-only transaction stays so.
    ///
    /// Errors: 25001 with PostgreSQL's messages.
    pub(crate) fn check_transaction_mode_change(&self, name: &str, value: &str) -> Result<()> {
        if name.eq_ignore_ascii_case("transaction_isolation") {
            let changes = !self
                .config
                .get_string("transaction_isolation")
                .eq_ignore_ascii_case(value.trim());
            if changes && self.snapshot_taken {
                return Err(pg_err!(
                    ACTIVE_SQL_TRANSACTION,
                    "SET TRANSACTION ISOLATION LEVEL must be called before any query"
                ));
            }
            if changes && !self.savepoints.is_empty() {
                return Err(pg_err!(
                    ACTIVE_SQL_TRANSACTION,
                    "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction"
                ));
            }
        } else if name.eq_ignore_ascii_case("transaction_read_only") {
            let read_write = matches!(
                value.trim().to_ascii_lowercase().as_str(),
                "off" | "of" | "false" | "fals" | "fal" | "fa" | "f" | "no" | "n" | "0"
            );
            if read_write
                && self.snapshot_taken
                && self.config.get_string("transaction_read_only") == "on"
            {
                return Err(pg_err!(
                    ACTIVE_SQL_TRANSACTION,
                    "transaction read-write mode must be set before any query"
                ));
            }
        }
        Ok(())
    }

    fn apply_transaction_options(&mut self, options: &[TransactionOption]) -> Result<()> {
        for opt in options {
            match opt {
                TransactionOption::Isolation(level) => {
                    self.check_transaction_mode_change("transaction_isolation", level)?;
                    self.config
                        .set("transaction_isolation", Some(level), true, self.superuser)?
                }
                TransactionOption::ReadOnly(ro) => {
                    let value = if *ro { "on" } else { "off" };
                    self.check_transaction_mode_change("transaction_read_only", value)?;
                    self.config
                        .set("transaction_read_only", Some(value), true, self.superuser)?
                }
                TransactionOption::Deferrable(d) => self.config.set(
                    "transaction_deferrable",
                    Some(if *d { "on" } else { "off" }),
                    true,
                    self.superuser,
                )?,
            }
        }
        Ok(())
    }

    /// Sets the session defaults (`SET SESSION CHARACTERISTICS AS TRANSACTION ...`).
    pub(crate) fn set_session_characteristics(
        &mut self,
        options: &[TransactionOption],
    ) -> Result<()> {
        for opt in options {
            let (name, value) = match opt {
                TransactionOption::Isolation(level) => {
                    ("default_transaction_isolation", level.clone())
                }
                TransactionOption::ReadOnly(ro) => (
                    "default_transaction_read_only",
                    if *ro { "on" } else { "off" }.into(),
                ),
                TransactionOption::Deferrable(d) => (
                    "default_transaction_deferrable",
                    if *d { "on" } else { "off" }.into(),
                ),
            };
            self.config.set(name, Some(&value), false, self.superuser)?;
        }
        Ok(())
    }

    /// `SET TRANSACTION ...`: only meaningful inside a transaction block.
    pub(crate) fn set_transaction(
        &mut self,
        options: &[TransactionOption],
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if !matches!(self.block, BlockState::InBlock) {
            sink.notice(
                NoticeSeverity::Warning,
                &Error::new(
                    SqlState::NO_ACTIVE_SQL_TRANSACTION,
                    "SET TRANSACTION can only be used in transaction blocks",
                ),
            );
            return Ok(());
        }
        self.apply_transaction_options(options)
    }

    /// The current transaction's isolation level, read-only and deferrable modes, which
    /// `COMMIT AND CHAIN` / `ROLLBACK AND CHAIN` carry into the next transaction.
    fn transaction_characteristics(&self) -> Vec<TransactionOption> {
        vec![
            TransactionOption::Isolation(self.config.get_string("transaction_isolation")),
            TransactionOption::ReadOnly(self.config.get_string("transaction_read_only") == "on"),
            TransactionOption::Deferrable(self.config.get_string("transaction_deferrable") == "on"),
        ]
    }

    /// Starts the transaction block that `AND CHAIN` asks for, with the ended one's
    /// characteristics (PostgreSQL's `SaveTransactionCharacteristics`).
    fn chain_transaction(&mut self, characteristics: &[TransactionOption]) -> Result<()> {
        self.ensure_transaction(false);
        self.block = BlockState::InBlock;
        self.apply_transaction_options(characteristics)
    }

    /// Runs a transaction-control statement; returns its command tag.
    pub(crate) fn transaction_statement(
        &mut self,
        stmt: &TransactionStmt,
        sink: &mut dyn Sink,
        start: bool,
    ) -> Result<String> {
        let no_txn_warning = |sink: &mut dyn Sink| {
            sink.notice(
                NoticeSeverity::Warning,
                &Error::new(
                    SqlState::NO_ACTIVE_SQL_TRANSACTION,
                    "there is no transaction in progress",
                ),
            )
        };
        match stmt {
            TransactionStmt::Begin(options) => {
                self.check_not_failed(false)?;
                match self.block {
                    BlockState::InBlock => sink.notice(
                        NoticeSeverity::Warning,
                        &Error::new(
                            SqlState::ACTIVE_SQL_TRANSACTION,
                            "there is already a transaction in progress",
                        ),
                    ),
                    _ => {
                        self.ensure_transaction(false);
                        self.block = BlockState::InBlock;
                    }
                }
                self.apply_transaction_options(options)?;
                Ok(if start { "START TRANSACTION" } else { "BEGIN" }.into())
            }
            TransactionStmt::Commit { chain } => {
                let characteristics = self.transaction_characteristics();
                let tag = match self.block {
                    BlockState::InBlock => {
                        self.finish_transaction(true)?;
                        "COMMIT"
                    }
                    BlockState::Failed => {
                        self.finish_transaction(false)?;
                        "ROLLBACK"
                    }
                    BlockState::ImplicitBlock => {
                        if *chain {
                            return Err(pg_err!(
                                NO_ACTIVE_SQL_TRANSACTION,
                                "COMMIT AND CHAIN can only be used in transaction blocks"
                            ));
                        }
                        self.finish_transaction(true)?;
                        "COMMIT"
                    }
                    BlockState::Idle | BlockState::Implicit => {
                        if *chain {
                            return Err(pg_err!(
                                NO_ACTIVE_SQL_TRANSACTION,
                                "COMMIT AND CHAIN can only be used in transaction blocks"
                            ));
                        }
                        no_txn_warning(sink);
                        "COMMIT"
                    }
                };
                if *chain {
                    self.chain_transaction(&characteristics)?;
                }
                Ok(tag.into())
            }
            TransactionStmt::Rollback { chain } => {
                let characteristics = self.transaction_characteristics();
                match self.block {
                    BlockState::InBlock | BlockState::Failed | BlockState::ImplicitBlock => {
                        self.finish_transaction(false)?
                    }
                    BlockState::Idle | BlockState::Implicit => {
                        if *chain {
                            return Err(pg_err!(
                                NO_ACTIVE_SQL_TRANSACTION,
                                "ROLLBACK AND CHAIN can only be used in transaction blocks"
                            ));
                        }
                        no_txn_warning(sink)
                    }
                }
                if *chain {
                    self.chain_transaction(&characteristics)?;
                }
                Ok("ROLLBACK".into())
            }
            TransactionStmt::Savepoint(name) => {
                self.check_not_failed(false)?;
                if self.block != BlockState::InBlock {
                    return Err(pg_err!(
                        NO_ACTIVE_SQL_TRANSACTION,
                        "SAVEPOINT can only be used in transaction blocks"
                    ));
                }
                self.config.at_savepoint();
                self.savepoints.push(name.clone());
                self.txn.push_savepoint();
                Ok("SAVEPOINT".into())
            }
            TransactionStmt::Release(name) => {
                self.check_not_failed(false)?;
                if self.block != BlockState::InBlock {
                    return Err(pg_err!(
                        NO_ACTIVE_SQL_TRANSACTION,
                        "RELEASE SAVEPOINT can only be used in transaction blocks"
                    ));
                }
                let Some(at) = self.savepoints.iter().rposition(|s| s == name) else {
                    return Err(pg_err!(
                        S_E_INVALID_SPECIFICATION,
                        "savepoint \"{}\" does not exist",
                        name
                    ));
                };
                while self.savepoints.len() > at {
                    self.savepoints.pop();
                    self.config.at_release_savepoint();
                }
                self.listen.at_release(at);
                self.deferred_constraints.borrow_mut().at_release(at);
                self.txn.release_to(at);
                Ok("RELEASE".into())
            }
            TransactionStmt::RollbackTo(name) => {
                if !matches!(self.block, BlockState::InBlock | BlockState::Failed) {
                    return Err(pg_err!(
                        NO_ACTIVE_SQL_TRANSACTION,
                        "ROLLBACK TO SAVEPOINT can only be used in transaction blocks"
                    ));
                }
                let Some(at) = self.savepoints.iter().rposition(|s| s == name) else {
                    return Err(pg_err!(
                        S_E_INVALID_SPECIFICATION,
                        "savepoint \"{}\" does not exist",
                        name
                    ));
                };
                while self.savepoints.len() > at + 1 {
                    self.savepoints.pop();
                    self.config.at_rollback_to_savepoint();
                    self.config.at_release_savepoint();
                }
                self.config.at_rollback_to_savepoint();
                self.cursors.at_rollback_to(at);
                self.listen.at_rollback_to(at);
                self.deferred_constraints
                    .borrow_mut()
                    .at_rollback_to(at + 1);
                let cluster = self.db.cluster.clone();
                if self.txn.rollback_to(at + 1, &cluster.xact, &cluster.pool)? {
                    self.relcache.borrow_mut().clear();
                }
                self.block = BlockState::InBlock;
                Ok("ROLLBACK".into())
            }
            TransactionStmt::TwoPhase(tag) => Err(Error::feature_not_supported(tag)),
        }
    }
}
