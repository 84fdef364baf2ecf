//! Cumulative statistics (PostgreSQL's `pgstat`, docs §28.2 "The Cumulative Statistics
//! System"): per table and index counts of scans and tuple changes, live and dead tuple
//! estimates, vacuum and analyze times, and per database transaction and block counts,
//! read by the `pg_stat_*` views through the `pg_stat_get_*` functions.
//!
//! Rules:
//! 1. A backend counts into its transaction ([`PendingStats`], kept per savepoint level
//!    in `transaction.rs`) and adds the counts to the shared [`StatsStore`] when the
//!    transaction ends, as PostgreSQL's `AtEOXact_PgStat`: other sessions see them from
//!    then on.
//! 2. `n_tup_ins`/`n_tup_upd`/`n_tup_del` count every change, committed or not. Live and
//!    dead tuples follow the outcome: a commit makes inserted rows live and the old
//!    versions of updated and deleted rows dead; an abort (of the transaction or of a
//!    savepoint) makes the rows it inserted or updated dead.
//! 3. Scan counts do not depend on the outcome.
//! 4. The counts live in memory only: a restart starts them from zero (PostgreSQL keeps
//!    them across a clean shutdown in `pg_stat/`; tusk does not yet).
//!
//! Entry points: [`StatsStore`], [`PendingStats`], [`TableStats`], [`DatabaseStats`].

use std::collections::HashMap;

use parking_lot::Mutex;
use tusk_types::{BufferUsage, Datum, Oid};

/// The shared counts of one table or index (`PgStat_StatTabEntry`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableStats {
    /// Sequential scans of a table; index scans of an index.
    pub numscans: i64,
    /// Rows returned by sequential scans (table) or index entries returned (index).
    pub tuples_returned: i64,
    /// Rows fetched through index scans (index).
    pub tuples_fetched: i64,
    /// Rows inserted.
    pub tuples_inserted: i64,
    /// Rows updated (HOT updates included).
    pub tuples_updated: i64,
    /// Rows deleted.
    pub tuples_deleted: i64,
    /// HOT updates.
    pub tuples_hot_updated: i64,
    /// Live rows (estimate).
    pub live_tuples: i64,
    /// Dead row versions (estimate).
    pub dead_tuples: i64,
    /// Rows changed since the last ANALYZE.
    pub mod_since_analyze: i64,
    /// Rows inserted since the last VACUUM.
    pub ins_since_vacuum: i64,
    /// Last VACUUM (µs since 2000-01-01 UTC).
    pub last_vacuum: Option<i64>,
    /// Last ANALYZE (µs since 2000-01-01 UTC).
    pub last_analyze: Option<i64>,
    /// VACUUMs.
    pub vacuum_count: i64,
    /// ANALYZEs.
    pub analyze_count: i64,
    /// Last VACUUM by autovacuum (µs since 2000-01-01 UTC).
    pub last_autovacuum: Option<i64>,
    /// Last ANALYZE by autovacuum (µs since 2000-01-01 UTC).
    pub last_autoanalyze: Option<i64>,
    /// VACUUMs by autovacuum.
    pub autovacuum_count: i64,
    /// ANALYZEs by autovacuum.
    pub autoanalyze_count: i64,
}

/// The shared counts of one database (`PgStat_StatDBEntry`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DatabaseStats {
    /// Transactions committed.
    pub xact_commit: i64,
    /// Transactions rolled back.
    pub xact_rollback: i64,
    /// Shared buffers found in the pool.
    pub blocks_hit: i64,
    /// Shared buffers asked for (hits and reads).
    pub blocks_fetched: i64,
    /// Rows returned by sequential scans.
    pub tuples_returned: i64,
    /// Rows fetched through indexes.
    pub tuples_fetched: i64,
    /// Rows inserted.
    pub tuples_inserted: i64,
    /// Rows updated.
    pub tuples_updated: i64,
    /// Rows deleted.
    pub tuples_deleted: i64,
}

/// Changes to one table made at one savepoint level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeCounts {
    /// Rows inserted: the `n_tup_ins` count, whatever the outcome.
    pub inserted: i64,
    /// Rows updated (`n_tup_upd`).
    pub updated: i64,
    /// HOT updates (`n_tup_hot_upd`).
    pub hot_updated: i64,
    /// Rows deleted (`n_tup_del`).
    pub deleted: i64,
    /// Of these, the changes whose effect on live and dead rows waits for the outcome
    /// (those of aborted savepoints are in `aborted_dead` instead).
    pub pending_inserted: i64,
    /// Pending updates.
    pub pending_updated: i64,
    /// Pending deletes.
    pub pending_deleted: i64,
    /// Row versions already dead whatever the outcome (written by aborted savepoints).
    pub aborted_dead: i64,
}

impl ChangeCounts {
    /// Counts an insert.
    pub fn insert(&mut self) {
        self.inserted += 1;
        self.pending_inserted += 1;
    }

    /// Counts an update, HOT or not.
    pub fn update(&mut self, hot: bool) {
        self.updated += 1;
        self.hot_updated += i64::from(hot);
        self.pending_updated += 1;
    }

    /// Counts a delete.
    pub fn delete(&mut self) {
        self.deleted += 1;
        self.pending_deleted += 1;
    }

    fn add(&mut self, other: &ChangeCounts) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.hot_updated += other.hot_updated;
        self.deleted += other.deleted;
        self.pending_inserted += other.pending_inserted;
        self.pending_updated += other.pending_updated;
        self.pending_deleted += other.pending_deleted;
        self.aborted_dead += other.aborted_dead;
    }

    /// These changes as they count after their savepoint level aborted (rule 2).
    fn aborted(&self) -> ChangeCounts {
        ChangeCounts {
            pending_inserted: 0,
            pending_updated: 0,
            pending_deleted: 0,
            aborted_dead: self.aborted_dead + self.pending_inserted + self.pending_updated,
            ..*self
        }
    }
}

/// Scans of one table or index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanCounts {
    /// Scans started.
    pub scans: i64,
    /// Rows returned.
    pub returned: i64,
    /// Rows fetched (index scans).
    pub fetched: i64,
}

/// What one transaction level counted (rule 1).
#[derive(Debug, Clone, Default)]
pub struct PendingStats {
    /// Row changes by table.
    pub changes: HashMap<Oid, ChangeCounts>,
    /// Scans by table or index.
    pub scans: HashMap<Oid, ScanCounts>,
}

impl PendingStats {
    /// Folds a committed (`committed`) or rolled-back inner level into this one.
    pub fn merge_level(&mut self, inner: PendingStats, committed: bool) {
        for (rel, c) in inner.changes {
            let c = if committed { c } else { c.aborted() };
            self.changes.entry(rel).or_default().add(&c);
        }
        for (rel, s) in inner.scans {
            let e = self.scans.entry(rel).or_default();
            e.scans += s.scans;
            e.returned += s.returned;
            e.fetched += s.fetched;
        }
    }

    /// Counts one change to `rel`.
    pub fn count_change(&mut self, rel: Oid, f: impl FnOnce(&mut ChangeCounts)) {
        f(self.changes.entry(rel).or_default());
    }

    /// Counts a scan of `rel` (a table or an index).
    pub fn count_scan(&mut self, rel: Oid, f: impl FnOnce(&mut ScanCounts)) {
        f(self.scans.entry(rel).or_default());
    }

    fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.scans.is_empty()
    }
}

/// The cluster's cumulative statistics, by (database OID, relation OID) and database.
#[derive(Debug, Default)]
pub struct StatsStore {
    relations: Mutex<HashMap<(Oid, Oid), TableStats>>,
    databases: Mutex<HashMap<Oid, DatabaseStats>>,
}

impl StatsStore {
    /// Adds a finished transaction's counts (rule 1): `pending` is every level of it
    /// merged, `committed` its outcome, `buffers` the backend's buffer usage since its
    /// last report.
    pub fn report_transaction(
        &self,
        database: Oid,
        pending: PendingStats,
        committed: bool,
        buffers: BufferUsage,
    ) {
        let mut db = DatabaseStats::default();
        if committed {
            db.xact_commit = 1;
        } else {
            db.xact_rollback = 1;
        }
        db.blocks_hit = buffers.shared_hit as i64;
        db.blocks_fetched = (buffers.shared_hit + buffers.shared_read) as i64;
        if !pending.is_empty() {
            let mut relations = self.relations.lock();
            for (rel, c) in pending.changes {
                let c = if committed { c } else { c.aborted() };
                let t = relations.entry((database, rel)).or_default();
                t.tuples_inserted += c.inserted;
                t.tuples_updated += c.updated;
                t.tuples_hot_updated += c.hot_updated;
                t.tuples_deleted += c.deleted;
                // `c` is already `aborted()` when the transaction rolled back.
                t.live_tuples += c.pending_inserted - c.pending_deleted;
                t.dead_tuples += c.pending_updated + c.pending_deleted + c.aborted_dead;
                t.mod_since_analyze += c.pending_inserted + c.pending_updated + c.pending_deleted;
                t.ins_since_vacuum += c.pending_inserted;
                t.live_tuples = t.live_tuples.max(0);
                db.tuples_inserted += c.inserted;
                db.tuples_updated += c.updated;
                db.tuples_deleted += c.deleted;
            }
            for (rel, s) in pending.scans {
                let t = relations.entry((database, rel)).or_default();
                t.numscans += s.scans;
                t.tuples_returned += s.returned;
                t.tuples_fetched += s.fetched;
                db.tuples_returned += s.returned;
                db.tuples_fetched += s.fetched;
            }
        }
        let mut databases = self.databases.lock();
        let d = databases.entry(database).or_default();
        d.xact_commit += db.xact_commit;
        d.xact_rollback += db.xact_rollback;
        d.blocks_hit += db.blocks_hit;
        d.blocks_fetched += db.blocks_fetched;
        d.tuples_returned += db.tuples_returned;
        d.tuples_fetched += db.tuples_fetched;
        d.tuples_inserted += db.tuples_inserted;
        d.tuples_updated += db.tuples_updated;
        d.tuples_deleted += db.tuples_deleted;
    }

    /// Records a VACUUM (`vacuum`) or ANALYZE of `rel` at `now` (µs since 2000-01-01),
    /// run by autovacuum if `auto`, that found `live` live row versions and, when it
    /// knows, `dead` dead ones (PostgreSQL's `pgstat_report_vacuum` /
    /// `pgstat_report_analyze`).
    #[allow(clippy::too_many_arguments)]
    pub fn report_maintenance(
        &self,
        database: Oid,
        rel: Oid,
        vacuum: bool,
        auto: bool,
        now: i64,
        live: i64,
        dead: Option<i64>,
    ) {
        let mut relations = self.relations.lock();
        let t = relations.entry((database, rel)).or_default();
        t.live_tuples = live;
        if let Some(dead) = dead {
            t.dead_tuples = dead;
        }
        match (vacuum, auto) {
            (true, false) => {
                t.last_vacuum = Some(now);
                t.vacuum_count += 1;
            }
            (true, true) => {
                t.last_autovacuum = Some(now);
                t.autovacuum_count += 1;
            }
            (false, false) => {
                t.last_analyze = Some(now);
                t.analyze_count += 1;
            }
            (false, true) => {
                t.last_autoanalyze = Some(now);
                t.autoanalyze_count += 1;
            }
        }
        if vacuum {
            t.ins_since_vacuum = 0;
        } else {
            t.mod_since_analyze = 0;
        }
    }

    /// The counts of relation `rel` of `database` (zeros if it has none yet).
    pub fn relation(&self, database: Oid, rel: Oid) -> TableStats {
        self.relations
            .lock()
            .get(&(database, rel))
            .copied()
            .unwrap_or_default()
    }

    /// The counts of `database` (zeros if it has none yet).
    pub fn database(&self, database: Oid) -> DatabaseStats {
        self.databases
            .lock()
            .get(&database)
            .copied()
            .unwrap_or_default()
    }

    /// Forgets a dropped database's counts.
    pub fn drop_database(&self, database: Oid) {
        self.databases.lock().remove(&database);
        self.relations.lock().retain(|(db, _), _| *db != database);
    }
}

/// What PostgreSQL's statistics function `function` returns for relation `stats`, or
/// `None` if `function` is not one of the per-relation `pg_stat_get_*` functions tusk
/// counts for.
pub fn relation_value(function: &str, stats: &TableStats) -> Option<Datum> {
    let time = |t: Option<i64>| t.map_or(Datum::Null, Datum::TimestampTz);
    Some(match function {
        "pg_stat_get_numscans" => Datum::Int8(stats.numscans),
        "pg_stat_get_tuples_returned" => Datum::Int8(stats.tuples_returned),
        "pg_stat_get_tuples_fetched" => Datum::Int8(stats.tuples_fetched),
        "pg_stat_get_tuples_inserted" => Datum::Int8(stats.tuples_inserted),
        "pg_stat_get_tuples_updated" => Datum::Int8(stats.tuples_updated),
        "pg_stat_get_tuples_deleted" => Datum::Int8(stats.tuples_deleted),
        "pg_stat_get_tuples_hot_updated" => Datum::Int8(stats.tuples_hot_updated),
        "pg_stat_get_live_tuples" => Datum::Int8(stats.live_tuples),
        "pg_stat_get_dead_tuples" => Datum::Int8(stats.dead_tuples),
        "pg_stat_get_mod_since_analyze" => Datum::Int8(stats.mod_since_analyze),
        "pg_stat_get_ins_since_vacuum" => Datum::Int8(stats.ins_since_vacuum),
        "pg_stat_get_last_vacuum_time" => time(stats.last_vacuum),
        "pg_stat_get_last_analyze_time" => time(stats.last_analyze),
        "pg_stat_get_last_autovacuum_time" => time(stats.last_autovacuum),
        "pg_stat_get_last_autoanalyze_time" => time(stats.last_autoanalyze),
        "pg_stat_get_vacuum_count" => Datum::Int8(stats.vacuum_count),
        "pg_stat_get_analyze_count" => Datum::Int8(stats.analyze_count),
        "pg_stat_get_autovacuum_count" => Datum::Int8(stats.autovacuum_count),
        "pg_stat_get_autoanalyze_count" => Datum::Int8(stats.autoanalyze_count),
        _ => return None,
    })
}

/// What PostgreSQL's `pg_stat_get_db_*` function `function` returns for a database with
/// `stats` and `backends` connected sessions, or `None` if it is not one tusk answers.
/// Hot-standby conflicts and temporary files are zero (tusk has neither); what tusk does
/// not count (deadlocks, checksum failures, session times) is NULL.
pub fn database_value(function: &str, stats: &DatabaseStats, backends: i32) -> Option<Datum> {
    Some(match function {
        "pg_stat_get_db_numbackends" => Datum::Int4(backends),
        "pg_stat_get_db_xact_commit" => Datum::Int8(stats.xact_commit),
        "pg_stat_get_db_xact_rollback" => Datum::Int8(stats.xact_rollback),
        "pg_stat_get_db_blocks_fetched" => Datum::Int8(stats.blocks_fetched),
        "pg_stat_get_db_blocks_hit" => Datum::Int8(stats.blocks_hit),
        "pg_stat_get_db_tuples_returned" => Datum::Int8(stats.tuples_returned),
        "pg_stat_get_db_tuples_fetched" => Datum::Int8(stats.tuples_fetched),
        "pg_stat_get_db_tuples_inserted" => Datum::Int8(stats.tuples_inserted),
        "pg_stat_get_db_tuples_updated" => Datum::Int8(stats.tuples_updated),
        "pg_stat_get_db_tuples_deleted" => Datum::Int8(stats.tuples_deleted),
        "pg_stat_get_db_conflict_all" | "pg_stat_get_db_temp_files" => Datum::Int8(0),
        "pg_stat_get_db_temp_bytes" => Datum::Int8(0),
        "pg_stat_get_db_deadlocks"
        | "pg_stat_get_db_checksum_failures"
        | "pg_stat_get_db_checksum_last_failure"
        | "pg_stat_get_db_blk_read_time"
        | "pg_stat_get_db_blk_write_time"
        | "pg_stat_get_db_session_time"
        | "pg_stat_get_db_active_time"
        | "pg_stat_get_db_idle_in_transaction_time"
        | "pg_stat_get_db_sessions"
        | "pg_stat_get_db_sessions_abandoned"
        | "pg_stat_get_db_sessions_fatal"
        | "pg_stat_get_db_sessions_killed"
        | "pg_stat_get_db_stat_reset_time" => Datum::Null,
        _ => return None,
    })
}

/// What PostgreSQL's `pg_stat_bgwriter` function `function` returns for a cluster that
/// took `checkpoints` and whose buffer pool counted `buffers`, or `None` if it is not one
/// of them. Backends never sync relation files themselves (the checkpointer does), so
/// `buffers_backend_fsync` is zero; the counts start at start-up, with no reset time.
pub fn bgwriter_value(
    function: &str,
    checkpoints: &crate::cluster::CheckpointCounts,
    buffers: &tusk_storage::BufferStats,
) -> Option<Datum> {
    Some(match function {
        "pg_stat_get_bgwriter_timed_checkpoints" => Datum::Int8(checkpoints.timed),
        "pg_stat_get_bgwriter_requested_checkpoints" => Datum::Int8(checkpoints.requested),
        "pg_stat_get_checkpoint_write_time" => Datum::Float8(checkpoints.write_ms),
        "pg_stat_get_checkpoint_sync_time" => Datum::Float8(checkpoints.sync_ms),
        "pg_stat_get_bgwriter_buf_written_checkpoints" => {
            Datum::Int8(buffers.buffers_checkpoint as i64)
        }
        "pg_stat_get_bgwriter_buf_written_clean" => Datum::Int8(buffers.buffers_clean as i64),
        "pg_stat_get_bgwriter_maxwritten_clean" => Datum::Int8(buffers.maxwritten_clean as i64),
        "pg_stat_get_buf_written_backend" => Datum::Int8(buffers.buffers_backend as i64),
        "pg_stat_get_buf_fsync_backend" => Datum::Int8(0),
        "pg_stat_get_buf_alloc" => Datum::Int8(buffers.buffers_alloc as i64),
        "pg_stat_get_bgwriter_stat_reset_time" => Datum::Null,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: Oid = Oid(5);
    const T: Oid = Oid(16384);

    fn changes(inserted: i64, updated: i64, deleted: i64) -> PendingStats {
        let mut p = PendingStats::default();
        p.count_change(T, |c| {
            (0..inserted).for_each(|_| c.insert());
            (0..updated).for_each(|_| c.update(false));
            (0..deleted).for_each(|_| c.delete());
        });
        p
    }

    #[test]
    fn commit_makes_inserts_live_and_old_versions_dead() {
        let store = StatsStore::default();
        store.report_transaction(DB, changes(10, 0, 0), true, BufferUsage::default());
        store.report_transaction(DB, changes(0, 3, 2), true, BufferUsage::default());
        let t = store.relation(DB, T);
        assert_eq!(
            (t.tuples_inserted, t.tuples_updated, t.tuples_deleted),
            (10, 3, 2)
        );
        assert_eq!((t.live_tuples, t.dead_tuples), (8, 5));
        assert_eq!(t.mod_since_analyze, 15);
        assert_eq!(store.database(DB).xact_commit, 2);
    }

    #[test]
    fn abort_makes_written_rows_dead_and_keeps_live_rows() {
        let store = StatsStore::default();
        store.report_transaction(DB, changes(4, 0, 0), true, BufferUsage::default());
        store.report_transaction(DB, changes(5, 1, 2), false, BufferUsage::default());
        let t = store.relation(DB, T);
        assert_eq!(t.tuples_inserted, 9);
        assert_eq!((t.live_tuples, t.dead_tuples), (4, 6));
        assert_eq!(store.database(DB).xact_rollback, 1);
    }

    #[test]
    fn rolled_back_savepoint_counts_as_aborted_inside_a_commit() {
        let mut top = changes(1, 0, 0);
        top.merge_level(changes(3, 0, 0), false);
        top.merge_level(changes(2, 0, 0), true);
        let store = StatsStore::default();
        store.report_transaction(DB, top, true, BufferUsage::default());
        let t = store.relation(DB, T);
        assert_eq!((t.tuples_inserted, t.live_tuples, t.dead_tuples), (6, 3, 3));
    }

    #[test]
    fn maintenance_resets_its_counters() {
        let store = StatsStore::default();
        store.report_transaction(DB, changes(10, 0, 4), true, BufferUsage::default());
        store.report_maintenance(DB, T, true, false, 1_000, 6, Some(0));
        let t = store.relation(DB, T);
        assert_eq!((t.live_tuples, t.dead_tuples, t.vacuum_count), (6, 0, 1));
        assert_eq!((t.last_vacuum, t.ins_since_vacuum), (Some(1_000), 0));
        store.report_maintenance(DB, T, false, false, 2_000, 6, None);
        let t = store.relation(DB, T);
        assert_eq!((t.analyze_count, t.mod_since_analyze), (1, 0));
        // Autovacuum's runs are counted apart from manual ones.
        store.report_maintenance(DB, T, true, true, 3_000, 6, Some(2));
        let t = store.relation(DB, T);
        assert_eq!((t.vacuum_count, t.autovacuum_count), (1, 1));
        assert_eq!((t.last_autovacuum, t.dead_tuples), (Some(3_000), 2));
        assert_eq!(t.last_autoanalyze, None);
    }
}
