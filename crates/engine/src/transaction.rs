//! One session's transaction at the storage level: its xid (assigned lazily, at the first
//! write), subtransactions for savepoints, the command counter, snapshots, and the relation
//! files to create or remove with the outcome (PostgreSQL's `xact.c` state below the block
//! state machine of `session/xact.rs`).
//!
//! Rules:
//! 1. An xid is assigned only when the transaction writes (`GetCurrentTransactionId`); a
//!    write inside a savepoint writes with that level's subtransaction xid, assigned after
//!    its parent's.
//! 2. READ COMMITTED takes a snapshot per statement; REPEATABLE READ and SERIALIZABLE take
//!    one at the first statement and keep it.
//! 3. The command counter advances between statements that wrote (and inside DDL after
//!    each catalog change), so a statement never sees its own later changes and sees
//!    everything earlier commands did.
//! 4. Commit writes the commit record (with the relfilenodes of dropped relations), waits
//!    for it per `synchronous_commit`, sets the commit-log bits, leaves the proc array, and
//!    only then unlinks dropped relations' files (and removes dropped databases'
//!    directories). Abort unlinks the files of relations it created (and the directories
//!    of databases it created). ROLLBACK TO aborts the subtransactions of the levels
//!    rolled back.
//!
//! Entry points: [`Transaction`].

use tusk_storage::BufferPool;
use tusk_txn::{BackendId, Snapshot};
use tusk_types::{BufferUsage, Oid, RelFileLocator, Result, Xid};
use tusk_wal::SyncMode;

use crate::pgstat::PendingStats;
use crate::xact_services::XactServices;

/// `transaction_isolation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// READ UNCOMMITTED behaves as READ COMMITTED, as in PostgreSQL.
    ReadCommitted,
    /// REPEATABLE READ.
    RepeatableRead,
    /// SERIALIZABLE (run as REPEATABLE READ plus the checks tusk has).
    Serializable,
}

impl Isolation {
    /// From the GUC's value.
    pub fn from_setting(value: &str) -> Isolation {
        match value {
            "repeatable read" => Isolation::RepeatableRead,
            "serializable" => Isolation::Serializable,
            _ => Isolation::ReadCommitted,
        }
    }

    /// True for REPEATABLE READ and SERIALIZABLE (one snapshot per transaction).
    pub fn uses_transaction_snapshot(self) -> bool {
        self != Isolation::ReadCommitted
    }
}

/// A savepoint level.
#[derive(Debug, Default)]
struct SubLevel {
    /// Subtransaction xid, once this level wrote.
    xid: Option<Xid>,
    /// Subxids of released inner levels, committed or aborted with this one.
    released: Vec<Xid>,
    /// Relation files created at this level (removed if it aborts).
    created: Vec<RelFileLocator>,
    /// Relation files dropped at this level (removed when the top level commits).
    dropped: Vec<RelFileLocator>,
    /// Database directories created at this level (removed if it aborts).
    created_databases: Vec<Oid>,
    /// Databases dropped at this level (buffers and directory removed after commit).
    dropped_databases: Vec<Oid>,
    /// Catalog changes made at this level.
    catalog_changed: bool,
    /// Cumulative-statistics counts made at this level (`pgstat.rs`).
    stats: PendingStats,
}

/// One session's storage-level transaction state (see the module header).
#[derive(Debug)]
pub struct Transaction {
    /// The session's slot in the proc array.
    pub backend: BackendId,
    /// Level 0 is the top transaction, then one per savepoint.
    levels: Vec<SubLevel>,
    top_xid: Option<Xid>,
    /// Current command id (`curcid`).
    pub cid: u32,
    cid_used: bool,
    snapshot: Option<Snapshot>,
    /// Isolation level, fixed at the first statement.
    pub isolation: Isolation,
    active: bool,
    /// The session's database, for the statistics reported at transaction end.
    pub database: Oid,
    /// The backend's buffer usage at its last statistics report.
    reported_buffers: BufferUsage,
}

impl Transaction {
    /// Idle state for `backend`.
    pub fn new(backend: BackendId) -> Transaction {
        Transaction {
            backend,
            levels: vec![SubLevel::default()],
            top_xid: None,
            cid: 0,
            cid_used: false,
            snapshot: None,
            isolation: Isolation::ReadCommitted,
            active: false,
            database: Oid::INVALID,
            reported_buffers: BufferUsage::default(),
        }
    }

    /// The statistics counts of the current savepoint level, to count into.
    pub fn stats(&mut self) -> &mut PendingStats {
        &mut self.levels.last_mut().expect("level 0 always exists").stats
    }

    /// Adds every level's counts to the shared statistics with the transaction's outcome
    /// (`pgstat.rs` rule 1).
    fn report_stats(&mut self, services: &XactServices, committed: bool) {
        let mut all = PendingStats::default();
        for level in &mut self.levels {
            all.merge_level(std::mem::take(&mut level.stats), true);
        }
        let now = tusk_storage::buffer::usage::current();
        let buffers = now.since(&self.reported_buffers);
        self.reported_buffers = now;
        services
            .stats
            .report_transaction(self.database, all, committed, buffers);
    }

    /// Begins a transaction (idempotent while one is active).
    pub fn begin(&mut self) {
        if !self.active {
            self.active = true;
            self.levels = vec![SubLevel::default()];
            self.top_xid = None;
            self.cid = 0;
            self.cid_used = false;
            self.snapshot = None;
        }
    }

    /// True between [`Transaction::begin`] and commit or abort.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Statement start: advances the command counter if the previous statement wrote, and
    /// takes the statement's snapshot (rule 2) with `isolation` as the transaction's level.
    pub fn start_statement(&mut self, services: &XactServices, isolation: Isolation) {
        self.begin();
        if self.snapshot.is_none() {
            self.isolation = isolation;
        }
        self.command_counter_increment();
        if self.snapshot.is_none() || !self.isolation.uses_transaction_snapshot() {
            self.snapshot = Some(services.procarray.snapshot(self.backend));
        }
    }

    /// `CommandCounterIncrement`: later reads see this command's changes.
    pub fn command_counter_increment(&mut self) {
        if self.cid_used {
            self.cid += 1;
            self.cid_used = false;
        }
    }

    /// The statement's snapshot (taken if none yet).
    pub fn snapshot(&mut self, services: &XactServices) -> &Snapshot {
        if self.snapshot.is_none() {
            self.snapshot = Some(services.procarray.snapshot(self.backend));
        }
        self.snapshot.as_ref().expect("just taken")
    }

    /// A fresh snapshot for catalog reads (PostgreSQL's catalog snapshot): sees every
    /// committed catalog change, whatever the isolation level.
    pub fn catalog_snapshot(&self, services: &XactServices) -> Snapshot {
        services.procarray.snapshot(self.backend)
    }

    /// The xid to write with, assigned now if needed (rule 1); marks the command id used.
    ///
    /// Errors: commit-log I/O errors.
    pub fn writing_xid(&mut self, services: &XactServices) -> Result<Xid> {
        self.cid_used = true;
        let top = match self.top_xid {
            Some(x) => x,
            None => {
                let x = services
                    .procarray
                    .assign_xid(self.backend, &services.clog)?;
                self.top_xid = Some(x);
                x
            }
        };
        if self.levels.len() == 1 {
            return Ok(top);
        }
        let depth = self.levels.len() - 1;
        // Parents get their subxids first, so a parent's xid precedes its children's.
        for level in 1..=depth {
            if self.levels[level].xid.is_none() {
                let x = services
                    .procarray
                    .assign_subxid(self.backend, &services.clog)?;
                self.levels[level].xid = Some(x);
            }
        }
        Ok(self.levels[depth].xid.expect("assigned above"))
    }

    /// The top-level xid, assigned now if the transaction has none yet
    /// (`GetTopTransactionId`): unlike [`Transaction::writing_xid`] it gives no xid to an
    /// open subtransaction and uses no command id.
    ///
    /// Errors: commit-log I/O errors.
    pub fn assign_top_xid(&mut self, services: &XactServices) -> Result<Xid> {
        if let Some(x) = self.top_xid {
            return Ok(x);
        }
        let x = services
            .procarray
            .assign_xid(self.backend, &services.clog)?;
        self.top_xid = Some(x);
        Ok(x)
    }

    /// The xids whose changes count as this transaction's own (top and live subxids).
    pub fn current_xids(&self, services: &XactServices) -> Vec<Xid> {
        services.procarray.current_xids(self.backend)
    }

    /// The top-level xid, if assigned.
    pub fn top_xid(&self) -> Option<Xid> {
        self.top_xid
    }

    /// Records a relation file created by this transaction (removed on abort).
    pub fn created_relation(&mut self, locator: RelFileLocator) {
        let level = self.levels.last_mut().expect("level 0 always exists");
        level.created.push(locator);
        level.catalog_changed = true;
    }

    /// Whether relation file `locator` was created by the current subtransaction (or by a
    /// savepoint released into it): PostgreSQL's `rd_createSubid` / `rd_newRelfilenodeSubid`
    /// test of COPY FREEZE. Rows written into such a file vanish with it should this level
    /// abort, so they may be written already frozen.
    pub fn created_in_current_level(&self, locator: RelFileLocator) -> bool {
        self.levels
            .last()
            .expect("level 0 always exists")
            .created
            .contains(&locator)
    }

    /// Records a relation file dropped by this transaction (removed after commit).
    pub fn dropped_relation(&mut self, locator: RelFileLocator) {
        let level = self.levels.last_mut().expect("level 0 always exists");
        level.dropped.push(locator);
        level.catalog_changed = true;
    }

    /// Records a database directory created by this transaction (removed on abort).
    pub fn created_database(&mut self, db: Oid) {
        let level = self.levels.last_mut().expect("level 0 always exists");
        level.created_databases.push(db);
        level.catalog_changed = true;
    }

    /// Records a database dropped by this transaction (its buffers and directory are
    /// removed after commit).
    pub fn dropped_database(&mut self, db: Oid) {
        let level = self.levels.last_mut().expect("level 0 always exists");
        level.dropped_databases.push(db);
        level.catalog_changed = true;
    }

    /// Notes a catalog change (relation caches are invalidated when it commits).
    pub fn catalog_changed(&mut self) {
        self.levels
            .last_mut()
            .expect("level 0 always exists")
            .catalog_changed = true;
    }

    /// True if this transaction changed catalogs (its own cached relations are stale).
    pub fn has_catalog_changes(&self) -> bool {
        self.levels.iter().any(|l| l.catalog_changed)
    }

    /// `SAVEPOINT`: a new level.
    pub fn push_savepoint(&mut self) {
        self.levels.push(SubLevel::default());
    }

    /// How many savepoint levels are open (0 at the top level).
    pub fn savepoint_depth(&self) -> usize {
        self.levels.len() - 1
    }

    /// `RELEASE SAVEPOINT`: merges levels above `depth` (1-based savepoint count to keep)
    /// into the level below them.
    pub fn release_to(&mut self, depth: usize) {
        while self.levels.len() > depth + 1 {
            let level = self.levels.pop().expect("more than one level");
            let parent = self.levels.last_mut().expect("level 0 always exists");
            parent.released.extend(level.xid);
            parent.released.extend(level.released);
            parent.created.extend(level.created);
            parent.dropped.extend(level.dropped);
            parent.catalog_changed |= level.catalog_changed;
            parent.stats.merge_level(level.stats, true);
        }
    }

    /// `ROLLBACK TO SAVEPOINT`: aborts the levels from `depth` (1-based) up and starts
    /// that level afresh. Returns whether a rolled-back level had changed catalogs.
    ///
    /// Errors: commit-log I/O errors.
    pub fn rollback_to(
        &mut self,
        depth: usize,
        services: &XactServices,
        pool: &BufferPool,
    ) -> Result<bool> {
        let mut aborted = Vec::new();
        let mut created = Vec::new();
        let mut catalog = false;
        let mut stats = PendingStats::default();
        while self.levels.len() > depth {
            let level = self.levels.pop().expect("more than one level");
            aborted.extend(level.xid);
            aborted.extend(level.released);
            created.extend(level.created);
            catalog |= level.catalog_changed;
            stats.merge_level(level.stats, true);
        }
        if let Some(parent) = self.levels.last_mut() {
            parent.stats.merge_level(stats, false);
        }
        self.levels.push(SubLevel::default());
        if let (Some(top), false) = (self.top_xid, aborted.is_empty()) {
            services.manager.abort_subtransactions(top, &aborted)?;
            services.procarray.remove_subxids(self.backend, &aborted);
        }
        for locator in created {
            remove_relation(pool, locator);
        }
        self.cid_used = true;
        self.command_counter_increment();
        Ok(catalog)
    }

    /// Commits (rule 4). Returns whether catalogs changed.
    ///
    /// Errors: WAL flush errors and commit-log I/O errors.
    pub fn commit(
        &mut self,
        services: &XactServices,
        pool: &BufferPool,
        mode: SyncMode,
        on_catalog_commit: impl FnOnce(),
    ) -> Result<bool> {
        let catalog = self.has_catalog_changes();
        let dropped: Vec<RelFileLocator> = self
            .levels
            .iter()
            .flat_map(|l| l.dropped.iter().copied())
            .collect();
        let dropped_databases: Vec<Oid> = self
            .levels
            .iter()
            .flat_map(|l| l.dropped_databases.iter().copied())
            .collect();
        let result = match self.top_xid {
            Some(xid) => {
                let subxids: Vec<Xid> = self
                    .levels
                    .iter()
                    .flat_map(|l| l.xid.into_iter().chain(l.released.iter().copied()))
                    .collect();
                services
                    .manager
                    .commit_with(xid, &subxids, mode, &dropped)
                    .map(|_| ())
            }
            None => Ok(()),
        };
        if catalog && result.is_ok() {
            on_catalog_commit();
        }
        self.report_stats(services, result.is_ok());
        services.end_transaction(self.backend);
        self.reset();
        result?;
        for locator in dropped {
            remove_relation(pool, locator);
        }
        for db in dropped_databases {
            remove_database(pool, db);
        }
        Ok(catalog)
    }

    /// Aborts: an abort record, the aborted bits, and the removal of created files.
    ///
    /// Errors: commit-log I/O errors.
    pub fn abort(&mut self, services: &XactServices, pool: &BufferPool) -> Result<()> {
        let created: Vec<RelFileLocator> = self
            .levels
            .iter()
            .flat_map(|l| l.created.iter().copied())
            .collect();
        let created_databases: Vec<Oid> = self
            .levels
            .iter()
            .flat_map(|l| l.created_databases.iter().copied())
            .collect();
        let result = match self.top_xid {
            Some(xid) => {
                let subxids: Vec<Xid> = self
                    .levels
                    .iter()
                    .flat_map(|l| l.xid.into_iter().chain(l.released.iter().copied()))
                    .collect();
                services.manager.abort(xid, &subxids).map(|_| ())
            }
            None => Ok(()),
        };
        self.report_stats(services, false);
        services.end_transaction(self.backend);
        self.reset();
        for locator in created {
            remove_relation(pool, locator);
        }
        for db in created_databases {
            remove_database(pool, db);
        }
        result
    }

    fn reset(&mut self) {
        self.active = false;
        self.levels = vec![SubLevel::default()];
        self.top_xid = None;
        self.cid = 0;
        self.cid_used = false;
        self.snapshot = None;
    }
}

/// Drops a relation's buffers and unlinks its files (errors are logged: the relation is
/// gone from the catalog either way; a leftover file is only wasted space).
pub fn remove_relation(pool: &BufferPool, locator: RelFileLocator) {
    pool.drop_relation_all_buffers(locator);
    if let Err(e) = pool.smgr().unlink(locator, None) {
        tracing::warn!(
            "could not remove relation files of {:?}: {}",
            locator,
            e.message
        );
    }
}

/// Drops a database's buffers and removes its directory (errors are logged: the database
/// is gone from the catalog either way; a leftover directory is only wasted space, and
/// start-up after a crash removes it).
pub fn remove_database(pool: &BufferPool, db: Oid) {
    pool.drop_database_buffers(db);
    if let Err(e) = pool.smgr().remove_database(db) {
        tracing::warn!(
            "could not remove the directory of database {}: {}",
            db.0,
            e.message
        );
    }
}

/// `pg_default`'s OID: where database relations live.
pub const DEFAULT_TABLESPACE: Oid = Oid(1663);
/// `pg_global`'s OID: where shared catalogs live.
pub const GLOBAL_TABLESPACE: Oid = Oid(1664);
