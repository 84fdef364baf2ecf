//! pg_stat_statements' side of running a statement a client sent (`statement_stats`):
//! measures it and adds it to the shared entries, and answers the extension's functions.
//!
//! Rules (see `statement_stats` for the store's):
//! 1. Only statements a client sends are measured (simple Query and Execute), each on its
//!    own within a multi-statement query string; statements run by functions, extension
//!    scripts or cursors are not.
//! 2. Only statements that complete are counted, as in PostgreSQL.
//! 3. A plannable statement (SELECT, INSERT, UPDATE, DELETE, VALUES, ...) is identified by
//!    its fingerprint and shown normalized; a utility statement keeps its text and is
//!    identified by the text's hash, as PostgreSQL 15 does. The last 256 texts' answers are
//!    kept per session, so a prepared statement is fingerprinted once.
//!
//! Entry points: [`Session::execute_tracked`].

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::Instant;

use tusk_types::{Datum, Oid, Result};

use super::extended::{Plan, Prepared};
use super::statement::RowTarget;
use super::Session;

/// Fingerprints of recent statement texts (rule 3).
#[derive(Default)]
pub(crate) struct FingerprintCache {
    entries: HashMap<String, (i64, String)>,
}

const CACHE_LIMIT: usize = 256;

impl Session {
    /// The entry limit if this statement is to be tracked (rules of `statement_stats`).
    fn tracking_limit(&self, utility: bool) -> Option<usize> {
        if !self.db.statement_stats.enabled() {
            return None;
        }
        let track = self.config.get_string("pg_stat_statements.track");
        if track.eq_ignore_ascii_case("none") {
            return None;
        }
        if utility {
            let utility_on = self.config.get_string("pg_stat_statements.track_utility");
            if matches!(
                utility_on.to_ascii_lowercase().as_str(),
                "off" | "false" | "0" | "no"
            ) {
                return None;
            }
        }
        let max = self.config.get_string("pg_stat_statements.max");
        Some(max.trim().parse::<usize>().unwrap_or(5000).max(100))
    }

    /// [`Session::execute`] for a statement a client sent, measured for
    /// pg_stat_statements when it is tracked (rules 1–3).
    pub(crate) fn execute_tracked(
        &mut self,
        prepared: &Prepared,
        params: &[Datum],
        formats: &[i16],
        target: RowTarget<'_>,
        send_description: bool,
    ) -> Result<String> {
        let utility = !matches!(prepared.plan, Plan::Query(_) | Plan::Modify(_));
        let Some(max) = self.tracking_limit(utility) else {
            return self.execute(prepared, params, formats, target, send_description);
        };
        let buffers = tusk_storage::buffer::usage::current();
        let wal = tusk_wal::usage::current();
        let start = Instant::now();
        let tag = self.execute(prepared, params, formats, target, send_description)?;
        let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
        let after = tusk_storage::buffer::usage::current();
        let wal = tusk_wal::usage::current().since(&wal);
        let text = statement_text(prepared);
        let (queryid, query) = self.fingerprint(text, utility);
        let userid = self.current_user_oid().unwrap_or(Oid(0));
        self.db.statement_stats.record(
            &crate::statement_stats::Execution {
                userid,
                dbid: self.db_oid,
                queryid,
                query: &query,
                elapsed_ms,
                rows: crate::statement_stats::tag_rows(&tag),
                buffers: after.since(&buffers),
                wal,
            },
            max,
        );
        Ok(tag)
    }

    fn fingerprint(&mut self, text: &str, utility: bool) -> (i64, String) {
        if let Some(found) = self.fingerprints.entries.get(text) {
            return found.clone();
        }
        let answer = match (utility, tusk_sql::fingerprint_normalized(text)) {
            (false, Some((id, normalized))) => (id as i64, normalized),
            _ => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                text.hash(&mut h);
                (h.finish() as i64, text.to_string())
            }
        };
        if self.fingerprints.entries.len() >= CACHE_LIMIT {
            self.fingerprints.entries.clear();
        }
        self.fingerprints
            .entries
            .insert(text.to_string(), answer.clone());
        answer
    }
}

/// The text of the statement itself within its query string (PostgreSQL's
/// `stmt_location` / `stmt_len`), without surrounding blanks.
fn statement_text(prepared: &Prepared) -> &str {
    let sql = prepared.sql.as_str();
    let start = prepared.raw.location.min(sql.len());
    let end = if prepared.raw.len == 0 {
        sql.len()
    } else {
        (start + prepared.raw.len).min(sql.len())
    };
    sql.get(start..end).unwrap_or(sql).trim()
}
