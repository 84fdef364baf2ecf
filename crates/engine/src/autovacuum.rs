//! Autovacuum (PostgreSQL's `postmaster/autovacuum.c`, docs §25.1.6): tables whose
//! cumulative statistics say enough rows changed are VACUUMed and ANALYZEd without anyone
//! asking.
//!
//! ```text
//!  postmaster's "autovacuum launcher" thread
//!    every autovacuum_naptime: launcher_step
//!      for each database accepting connections:
//!        an internal superuser session (backend_type "autovacuum worker")
//!          tables_to_process: pgstat counts against the thresholds
//!          for each: VACUUM / ANALYZE through the session, lock taken only if free
//! ```
//!
//! Rules:
//! 1. **Thresholds are PostgreSQL's** (`relation_needs_vacanalyze`), with `reltuples`
//!    taken as 0 before the first VACUUM or ANALYZE: vacuum when `n_dead_tup >
//!    autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor * reltuples`, or
//!    `n_ins_since_vacuum > autovacuum_vacuum_insert_threshold +
//!    autovacuum_vacuum_insert_scale_factor * reltuples` (unless the insert threshold is
//!    -1); analyze when `n_mod_since_analyze > autovacuum_analyze_threshold +
//!    autovacuum_analyze_scale_factor * reltuples`. A table's reloptions
//!    (`autovacuum_enabled`, the same names for thresholds and scale factors) override the
//!    settings. Tables without statistics, temporary tables and system catalogs are left
//!    alone (no wraparound vacuums: tusk does not freeze yet).
//! 2. **It never waits for a lock**: a table whose ShareUpdateExclusiveLock is taken is
//!    skipped until the next round (`ConditionalLockAcquire`).
//! 3. **It never takes the server down**: each table runs in its own transaction, an
//!    error is logged and the next table is processed; the worker session counts neither
//!    against `max_connections` nor connection limits.
//! 4. **It never holds up shutdown**: the launcher checks its stop flag between tables,
//!    and the worker session, registered like any backend, is terminated by a fast
//!    shutdown (its VACUUM checks for that before each page).
//! 5. `pg_stat_activity` shows the worker with `backend_type` `autovacuum worker` and
//!    query `autovacuum: VACUUM public.t` (`VACUUM ANALYZE`, `ANALYZE`), as PostgreSQL's
//!    `autovac_report_activity`. The launcher itself has no row (tusk runs the worker on
//!    the launcher's thread).
//!
//! Entry points: [`launcher_step`], [`needs_vacanalyze`].

use std::sync::Arc;
use std::time::Duration;

use tusk_catalog::syscat;
use tusk_types::{Datum, Oid, Result};

use crate::database::{Database, BOOTSTRAP_SUPERUSER_FILE};
use crate::pgstat::TableStats;
use crate::session::{NullSink, Session, StartupInfo};

/// The settings of rule 1 for one table (server settings overridden by reloptions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// `autovacuum_enabled` (reloption; the `autovacuum` setting gates the launcher).
    pub enabled: bool,
    /// `autovacuum_vacuum_threshold`.
    pub vacuum_threshold: f64,
    /// `autovacuum_vacuum_scale_factor`.
    pub vacuum_scale_factor: f64,
    /// `autovacuum_vacuum_insert_threshold` (-1 disables insert-driven vacuums).
    pub insert_threshold: f64,
    /// `autovacuum_vacuum_insert_scale_factor`.
    pub insert_scale_factor: f64,
    /// `autovacuum_analyze_threshold`.
    pub analyze_threshold: f64,
    /// `autovacuum_analyze_scale_factor`.
    pub analyze_scale_factor: f64,
}

impl Thresholds {
    /// The server's settings.
    fn from_settings(db: &Database) -> Thresholds {
        let c = db.config.read();
        Thresholds {
            enabled: true,
            vacuum_threshold: c.int("autovacuum_vacuum_threshold") as f64,
            vacuum_scale_factor: c.real("autovacuum_vacuum_scale_factor"),
            insert_threshold: c.int("autovacuum_vacuum_insert_threshold") as f64,
            insert_scale_factor: c.real("autovacuum_vacuum_insert_scale_factor"),
            analyze_threshold: c.int("autovacuum_analyze_threshold") as f64,
            analyze_scale_factor: c.real("autovacuum_analyze_scale_factor"),
        }
    }

    /// These thresholds with a table's `reloptions` (`name=value` texts) applied.
    pub fn with_reloptions(mut self, options: &[String]) -> Thresholds {
        for option in options {
            let Some((name, value)) = option.split_once('=') else {
                continue;
            };
            let number = value.parse::<f64>().ok();
            match (name, number) {
                ("autovacuum_enabled", _) => {
                    self.enabled = !matches!(
                        value.to_ascii_lowercase().as_str(),
                        "false" | "off" | "no" | "0" | "f" | "n"
                    )
                }
                ("autovacuum_vacuum_threshold", Some(v)) => self.vacuum_threshold = v,
                ("autovacuum_vacuum_scale_factor", Some(v)) => self.vacuum_scale_factor = v,
                ("autovacuum_vacuum_insert_threshold", Some(v)) => self.insert_threshold = v,
                ("autovacuum_vacuum_insert_scale_factor", Some(v)) => self.insert_scale_factor = v,
                ("autovacuum_analyze_threshold", Some(v)) => self.analyze_threshold = v,
                ("autovacuum_analyze_scale_factor", Some(v)) => self.analyze_scale_factor = v,
                _ => {}
            }
        }
        self
    }
}

/// Whether a table with `stats` and `reltuples` (-1: never vacuumed or analyzed) needs a
/// VACUUM and an ANALYZE (rule 1, `relation_needs_vacanalyze`).
pub fn needs_vacanalyze(t: &Thresholds, stats: &TableStats, reltuples: f64) -> (bool, bool) {
    if !t.enabled {
        return (false, false);
    }
    let reltuples = reltuples.max(0.0);
    let vacuum_limit = t.vacuum_threshold + t.vacuum_scale_factor * reltuples;
    let insert_limit = t.insert_threshold + t.insert_scale_factor * reltuples;
    let analyze_limit = t.analyze_threshold + t.analyze_scale_factor * reltuples;
    let vacuum = stats.dead_tuples as f64 > vacuum_limit
        || (t.insert_threshold >= 0.0 && stats.ins_since_vacuum as f64 > insert_limit);
    let analyze = stats.mod_since_analyze as f64 > analyze_limit;
    (vacuum, analyze)
}

/// One table autovacuum will process.
#[derive(Debug, Clone)]
struct Candidate {
    schema: String,
    name: String,
    vacuum: bool,
    analyze: bool,
}

/// One round of the launcher (see the module header): processes every database that
/// accepts connections, unless `autovacuum` or `track_counts` is off, and returns how long
/// to sleep (`autovacuum_naptime`). `pid` identifies the worker session in
/// `pg_stat_activity`; `stopping` is polled between tables (rule 4). Errors are logged,
/// never returned (rule 3).
pub fn launcher_step(db: &Arc<Database>, pid: i32, stopping: &dyn Fn() -> bool) -> Duration {
    let (enabled, naptime) = {
        let c = db.config.read();
        (
            c.bool("autovacuum") && c.bool("track_counts"),
            c.int("autovacuum_naptime").max(1) as u64,
        )
    };
    if enabled {
        if let Err(e) = run_round(db, pid, stopping) {
            tracing::error!("autovacuum: {}", e.message);
        }
    }
    Duration::from_secs(naptime)
}

fn run_round(db: &Arc<Database>, pid: i32, stopping: &dyn Fn() -> bool) -> Result<()> {
    let user = std::fs::read_to_string(db.data_dir().join(BOOTSTRAP_SUPERUSER_FILE))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "postgres".to_string());
    let databases = crate::session::connectable_databases(db, pid as u32)?;
    for database in databases {
        if stopping() {
            break;
        }
        if let Err(e) = process_database(db, pid, &user, &database, stopping) {
            tracing::error!(
                "autovacuum of database \"{}\" failed: {}",
                database,
                e.message
            );
        }
    }
    Ok(())
}

fn process_database(
    db: &Arc<Database>,
    pid: i32,
    user: &str,
    database: &str,
    stopping: &dyn Fn() -> bool,
) -> Result<()> {
    let mut session = Session::start_as(
        db.clone(),
        StartupInfo {
            user: user.to_string(),
            database: database.to_string(),
            settings: Vec::new(),
            client: None,
            server: None,
        },
        pid,
        0,
        crate::activity::AUTOVACUUM_WORKER,
    )?;
    let candidates = session.autovacuum_candidates(&Thresholds::from_settings(db))?;
    for c in candidates {
        if stopping() || session.terminating() {
            break;
        }
        let command = match (c.vacuum, c.analyze) {
            (true, true) => "VACUUM ANALYZE",
            (true, false) => "VACUUM",
            _ => "ANALYZE",
        };
        session.autovacuum_activity =
            Some(format!("autovacuum: {command} {}.{}", c.schema, c.name));
        let sql = format!(
            "{command} {}.{}",
            tusk_sql::quote_identifier(&c.schema),
            tusk_sql::quote_identifier(&c.name)
        );
        if let Err(e) = session.simple_query(&sql, &mut NullSink) {
            tracing::error!(
                "automatic {} of table \"{}.{}.{}\" failed: {}",
                if c.vacuum { "vacuum" } else { "analyze" },
                database,
                c.schema,
                c.name,
                e.message
            );
        }
        session.report_idle();
    }
    Ok(())
}

impl Session {
    /// The tables of this database that need a VACUUM or ANALYZE (rule 1), in OID order.
    ///
    /// Errors: catalog read errors.
    fn autovacuum_candidates(&self, settings: &Thresholds) -> Result<Vec<Candidate>> {
        let reader = self.catalog_reader();
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        let c = |n: &str| class.col(n);
        let schemas: std::collections::HashMap<u32, String> = reader
            .scan(namespace)?
            .into_iter()
            .filter_map(
                |(_, r)| match (&r[namespace.col("oid")], &r[namespace.col("nspname")]) {
                    (Datum::Oid(o), Datum::Text(n)) => Some((*o, n.clone())),
                    _ => None,
                },
            )
            .collect();
        let stats = &self.database_state().cluster.xact.stats;
        let mut out = Vec::new();
        for (_, row) in reader.scan(class)? {
            let Datum::Oid(oid) = row[c("oid")] else {
                continue;
            };
            let kind_ok = matches!(&row[c("relkind")], Datum::Text(k) if k == "r" || k == "m");
            let temporary = matches!(&row[c("relpersistence")], Datum::Text(p) if p == "t");
            if !kind_ok || temporary || oid < syscat::FIRST_NORMAL_OBJECT_ID {
                continue;
            }
            let options: Vec<String> = match &row[c("reloptions")] {
                Datum::Array(a) => a
                    .elems
                    .iter()
                    .filter_map(|e| match e {
                        Datum::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let reltuples = match row[c("reltuples")] {
                Datum::Float4(v) => f64::from(v),
                Datum::Float8(v) => v,
                _ => -1.0,
            };
            let table_stats = stats.relation(self.database_oid(), Oid(oid));
            let (vacuum, analyze) =
                needs_vacanalyze(&settings.with_reloptions(&options), &table_stats, reltuples);
            if !vacuum && !analyze {
                continue;
            }
            let (Some(schema), Datum::Text(name)) = (
                match row[c("relnamespace")] {
                    Datum::Oid(n) => schemas.get(&n).cloned(),
                    _ => None,
                },
                &row[c("relname")],
            ) else {
                continue;
            };
            out.push((
                oid,
                Candidate {
                    schema,
                    name: name.clone(),
                    vacuum,
                    analyze,
                },
            ));
        }
        out.sort_by_key(|(oid, _)| *oid);
        Ok(out.into_iter().map(|(_, c)| c).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Thresholds {
        Thresholds {
            enabled: true,
            vacuum_threshold: 50.0,
            vacuum_scale_factor: 0.2,
            insert_threshold: 1000.0,
            insert_scale_factor: 0.2,
            analyze_threshold: 50.0,
            analyze_scale_factor: 0.1,
        }
    }

    #[test]
    fn dead_rows_past_threshold_plus_scaled_reltuples_need_a_vacuum() {
        let stats = TableStats {
            dead_tuples: 250,
            ..TableStats::default()
        };
        // 50 + 0.2 * 1000 = 250: not more than the limit.
        assert_eq!(
            needs_vacanalyze(&settings(), &stats, 1000.0),
            (false, false)
        );
        let stats = TableStats {
            dead_tuples: 251,
            ..stats
        };
        assert_eq!(needs_vacanalyze(&settings(), &stats, 1000.0), (true, false));
        // A table never vacuumed (reltuples -1) counts as empty.
        let stats = TableStats {
            dead_tuples: 51,
            mod_since_analyze: 51,
            ..TableStats::default()
        };
        assert_eq!(needs_vacanalyze(&settings(), &stats, -1.0), (true, true));
    }

    #[test]
    fn inserts_trigger_a_vacuum_unless_the_insert_threshold_is_minus_one() {
        let stats = TableStats {
            ins_since_vacuum: 1001,
            ..TableStats::default()
        };
        assert_eq!(needs_vacanalyze(&settings(), &stats, 0.0), (true, false));
        let off = settings().with_reloptions(&["autovacuum_vacuum_insert_threshold=-1".into()]);
        assert_eq!(needs_vacanalyze(&off, &stats, 0.0), (false, false));
    }

    #[test]
    fn reloptions_override_the_settings_and_can_disable_a_table() {
        let t = settings().with_reloptions(&[
            "autovacuum_vacuum_threshold=5".into(),
            "autovacuum_vacuum_scale_factor=0".into(),
            "fillfactor=70".into(),
        ]);
        assert_eq!((t.vacuum_threshold, t.vacuum_scale_factor), (5.0, 0.0));
        let stats = TableStats {
            dead_tuples: 6,
            ..TableStats::default()
        };
        assert_eq!(needs_vacanalyze(&t, &stats, 1e6), (true, false));
        let disabled = t.with_reloptions(&["autovacuum_enabled=false".into()]);
        assert_eq!(needs_vacanalyze(&disabled, &stats, 1e6), (false, false));
    }
}
