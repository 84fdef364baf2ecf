//! Statement statistics for pg_stat_statements (PostgreSQL docs F.32): planning-free
//! execution counts, times, rows, buffer and WAL usage per (user, database, query), where
//! a query is identified by the fingerprint of its parse tree with constants left out, and
//! shown as its text with constants replaced by `$1`, `$2`, ... (`pg_query`'s
//! fingerprint and normalization of PostgreSQL's own grammar).
//!
//! Rules:
//! 1. Statements are tracked only when `shared_preload_libraries` names
//!    `pg_stat_statements`, as in PostgreSQL; reading the view otherwise is 55000
//!    `pg_stat_statements must be loaded via shared_preload_libraries`.
//! 2. `pg_stat_statements.track` = `none` stops tracking; `top` (the default) and `all`
//!    both track the statements clients send (statements inside functions are not
//!    tracked separately). `pg_stat_statements.track_utility` (default on) decides for
//!    utility statements. `pg_stat_statements.max` (default 5000) bounds the entries: when
//!    a new one does not fit, the 5% least called are evicted and `dealloc` counts the
//!    eviction, as PostgreSQL's `entry_dealloc` does.
//! 3. Times are milliseconds (`float8`), the standard deviation is the population one
//!    (Welford's running sums), as PostgreSQL computes it.
//! 4. Entries live in memory: they are lost at restart (PostgreSQL saves them at a clean
//!    shutdown when `pg_stat_statements.save` is on; tusk does not yet).
//!
//! Entry points: [`StatementStats`], [`Execution`].

use std::collections::HashMap;

use parking_lot::Mutex;
use tusk_types::{BufferUsage, Datum, Oid};

/// The key of one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    userid: Oid,
    dbid: Oid,
    queryid: i64,
}

/// Counters of one entry (PostgreSQL's `Counters`).
#[derive(Clone, Debug, Default)]
struct Counters {
    query: String,
    calls: i64,
    total_ms: f64,
    min_ms: f64,
    max_ms: f64,
    mean_ms: f64,
    /// Sum of squared differences from the mean (Welford).
    sum_var: f64,
    rows: i64,
    buffers: BufferUsage,
    wal_records: i64,
    wal_fpi: i64,
    wal_bytes: u64,
}

/// One finished statement to add.
#[derive(Clone, Debug)]
pub struct Execution<'a> {
    /// The role it ran as.
    pub userid: Oid,
    /// The database.
    pub dbid: Oid,
    /// Its fingerprint.
    pub queryid: i64,
    /// Its text with constants replaced (kept from the first execution).
    pub query: &'a str,
    /// Execution time, ms.
    pub elapsed_ms: f64,
    /// Rows processed (returned or changed).
    pub rows: i64,
    /// Buffer usage during the statement.
    pub buffers: BufferUsage,
    /// WAL generated during the statement.
    pub wal: tusk_wal::usage::WalUsage,
}

struct Store {
    entries: HashMap<Key, Counters>,
    dealloc: i64,
    /// µs since 2000-01-01 of the last full reset.
    stats_reset: i64,
}

/// The shared statement statistics.
pub struct StatementStats {
    store: Mutex<Store>,
    enabled: bool,
}

/// Whether `shared_preload_libraries` names pg_stat_statements (rule 1).
pub fn preloaded(libraries: &str) -> bool {
    libraries
        .split(',')
        .any(|l| l.trim().trim_matches('"') == "pg_stat_statements")
}

/// 55000 `pg_stat_statements must be loaded via shared_preload_libraries` (rule 1).
pub fn not_loaded() -> tusk_types::Error {
    tusk_types::pg_err!(
        OBJECT_NOT_IN_PREREQUISITE_STATE,
        "pg_stat_statements must be loaded via shared_preload_libraries"
    )
}

impl StatementStats {
    /// An empty store reset at `now` (µs since 2000-01-01); `enabled` when the server
    /// started with pg_stat_statements preloaded (rule 1).
    pub fn new(now: i64, enabled: bool) -> StatementStats {
        StatementStats {
            enabled,
            store: Mutex::new(Store {
                entries: HashMap::new(),
                dealloc: 0,
                stats_reset: now,
            }),
        }
    }

    /// Whether statements are tracked at all (rule 1).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Adds one execution, evicting entries first if `max` would be exceeded (rule 2).
    pub fn record(&self, e: &Execution<'_>, max: usize) {
        let key = Key {
            userid: e.userid,
            dbid: e.dbid,
            queryid: e.queryid,
        };
        let mut store = self.store.lock();
        if !store.entries.contains_key(&key) && store.entries.len() >= max.max(1) {
            let mut by_calls: Vec<(i64, Key)> =
                store.entries.iter().map(|(k, c)| (c.calls, *k)).collect();
            by_calls.sort_by_key(|(calls, _)| *calls);
            let evict = (by_calls.len() * 5 / 100).max(1);
            for (_, k) in by_calls.into_iter().take(evict) {
                store.entries.remove(&k);
            }
            store.dealloc += 1;
        }
        let c = store.entries.entry(key).or_insert_with(|| Counters {
            query: e.query.to_string(),
            ..Counters::default()
        });
        c.calls += 1;
        let t = e.elapsed_ms;
        if c.calls == 1 {
            c.min_ms = t;
            c.max_ms = t;
            c.mean_ms = t;
        } else {
            let old_mean = c.mean_ms;
            c.mean_ms += (t - old_mean) / c.calls as f64;
            c.sum_var += (t - old_mean) * (t - c.mean_ms);
            c.min_ms = c.min_ms.min(t);
            c.max_ms = c.max_ms.max(t);
        }
        c.total_ms += t;
        c.rows += e.rows;
        c.buffers.shared_hit += e.buffers.shared_hit;
        c.buffers.shared_read += e.buffers.shared_read;
        c.buffers.shared_dirtied += e.buffers.shared_dirtied;
        c.buffers.shared_written += e.buffers.shared_written;
        c.wal_records += e.wal.records as i64;
        c.wal_fpi += e.wal.fpi as i64;
        c.wal_bytes += e.wal.bytes;
    }

    /// Forgets the entries matching (0 matches any); all of them resets `stats_reset`.
    pub fn reset(&self, userid: Oid, dbid: Oid, queryid: i64, now: i64) {
        let mut store = self.store.lock();
        if userid.0 == 0 && dbid.0 == 0 && queryid == 0 {
            store.entries.clear();
            store.dealloc = 0;
            store.stats_reset = now;
            return;
        }
        store.entries.retain(|k, _| {
            !((userid.0 == 0 || k.userid == userid)
                && (dbid.0 == 0 || k.dbid == dbid)
                && (queryid == 0 || k.queryid == queryid))
        });
    }

    /// `(dealloc, stats_reset)`.
    pub fn info(&self) -> (i64, i64) {
        let store = self.store.lock();
        (store.dealloc, store.stats_reset)
    }

    /// The rows of `pg_stat_statements(showtext)` in its 43-column order; `visible(userid)`
    /// decides whether the caller may see an entry's text and queryid (others' entries show
    /// `<insufficient privilege>`, as PostgreSQL shows them to roles without
    /// `pg_read_all_stats`).
    pub fn rows(&self, showtext: bool, visible: impl Fn(Oid) -> bool) -> Vec<Vec<Datum>> {
        let store = self.store.lock();
        let mut out: Vec<Vec<Datum>> = Vec::with_capacity(store.entries.len());
        for (k, c) in &store.entries {
            let own = visible(k.userid);
            let query = match (showtext, own) {
                (false, _) => Datum::Null,
                (true, true) => Datum::Text(c.query.clone()),
                (true, false) => Datum::Text("<insufficient privilege>".into()),
            };
            let stddev = if c.calls > 1 {
                (c.sum_var / c.calls as f64).sqrt()
            } else {
                0.0
            };
            let mut row = vec![
                Datum::Oid(k.userid.0),
                Datum::Oid(k.dbid.0),
                Datum::Bool(true),
                if own {
                    Datum::Int8(k.queryid)
                } else {
                    Datum::Null
                },
                query,
                Datum::Int8(0),
            ];
            // Planning is not timed separately (pg_stat_statements.track_planning off).
            row.extend([0.0; 5].map(Datum::Float8));
            row.push(Datum::Int8(c.calls));
            row.extend([c.total_ms, c.min_ms, c.max_ms, c.mean_ms, stddev].map(Datum::Float8));
            row.push(Datum::Int8(c.rows));
            row.extend(
                [
                    c.buffers.shared_hit,
                    c.buffers.shared_read,
                    c.buffers.shared_dirtied,
                    c.buffers.shared_written,
                ]
                .map(|v| Datum::Int8(v as i64)),
            );
            // Local and temporary blocks: tusk's temporary tables use shared buffers and
            // its sorts and hashes do not spill to temporary files.
            row.extend([0i64; 6].map(Datum::Int8));
            // I/O timing (track_io_timing) is not measured.
            row.extend([0.0; 4].map(Datum::Float8));
            row.push(Datum::Int8(c.wal_records));
            row.push(Datum::Int8(c.wal_fpi));
            row.push(Datum::Numeric(tusk_types::adt::numeric::Numeric::from(
                c.wal_bytes as i64,
            )));
            // No JIT compilation.
            for _ in 0..4 {
                row.push(Datum::Int8(0));
                row.push(Datum::Float8(0.0));
            }
            out.push(row);
        }
        out
    }
}

/// The number a command tag ends with (`SELECT 5`, `INSERT 0 5`, `COPY 3`): the rows a
/// statement processed; 0 for tags without one.
pub fn tag_rows(tag: &str) -> i64 {
    tag.rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .filter(|_| tag.contains(' '))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exec(queryid: i64, ms: f64, rows: i64) -> Execution<'static> {
        Execution {
            userid: Oid(10),
            dbid: Oid(5),
            queryid,
            query: "select $1",
            elapsed_ms: ms,
            rows,
            buffers: BufferUsage::default(),
            wal: tusk_wal::usage::WalUsage::default(),
        }
    }

    #[test]
    fn counters_accumulate_with_population_stddev() {
        let s = StatementStats::new(0, true);
        for ms in [1.0, 2.0, 3.0, 4.0] {
            s.record(&exec(7, ms, 2), 10);
        }
        let rows = s.rows(true, |_| true);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.len(), 43);
        assert_eq!(r[11], Datum::Int8(4));
        assert_eq!(r[12], Datum::Float8(10.0));
        assert_eq!(r[13], Datum::Float8(1.0));
        assert_eq!(r[14], Datum::Float8(4.0));
        assert_eq!(r[15], Datum::Float8(2.5));
        assert_eq!(r[16], Datum::Float8(1.25f64.sqrt()));
        assert_eq!(r[17], Datum::Int8(8));
    }

    #[test]
    fn full_store_evicts_least_called_and_counts_dealloc() {
        let s = StatementStats::new(0, true);
        s.record(&exec(1, 1.0, 0), 2);
        s.record(&exec(1, 1.0, 0), 2);
        s.record(&exec(2, 1.0, 0), 2);
        s.record(&exec(3, 1.0, 0), 2);
        let ids: Vec<Datum> = s
            .rows(true, |_| true)
            .into_iter()
            .map(|r| r[3].clone())
            .collect();
        assert!(ids.contains(&Datum::Int8(1)) && ids.contains(&Datum::Int8(3)));
        assert_eq!(s.info().0, 1);
        s.reset(Oid(0), Oid(0), 3, 9);
        assert_eq!(s.rows(true, |_| true).len(), 1);
        s.reset(Oid(0), Oid(0), 0, 9);
        assert_eq!(s.info(), (0, 9));
    }

    #[test]
    fn preload_list_is_matched_by_name() {
        assert!(preloaded("pg_stat_statements"));
        assert!(preloaded("auto_explain, pg_stat_statements"));
        assert!(!preloaded(""));
        assert!(!preloaded("pg_stat_statements_x"));
    }

    #[test]
    fn rows_come_from_the_tag() {
        assert_eq!(tag_rows("SELECT 5"), 5);
        assert_eq!(tag_rows("INSERT 0 7"), 7);
        assert_eq!(tag_rows("CREATE TABLE"), 0);
        assert_eq!(tag_rows("BEGIN"), 0);
    }
}
