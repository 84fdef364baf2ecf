//! What each backend is doing, for `pg_stat_activity` (PostgreSQL's `PgBackendStatus`,
//! docs §28.2.3): state, current or last query, and the start times of the backend, its
//! transaction, its query and its last state change.
//!
//! Each backend owns one [`BackendStatus`] behind a mutex in its registry entry
//! (`database::BackendEntry`); it writes it at each query start and before each
//! ReadyForQuery ([`crate::session::Session::report_active`],
//! [`crate::session::Session::report_idle`]); any backend reads all of them for
//! `pg_stat_get_activity()`. Writers take the lock for a few field stores only.
//!
//! Entry points: [`BackendStatus`], [`BackendState`], [`activity_row`].

use std::net::SocketAddr;

use tusk_types::{Datum, Oid};

/// `pg_stat_activity.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendState {
    /// Running a query.
    Active,
    /// Waiting for a command.
    Idle,
    /// In a transaction block, not running a query.
    IdleInTransaction,
    /// In a failed transaction block.
    IdleInTransactionAborted,
}

impl BackendState {
    /// The text `pg_stat_activity.state` shows.
    pub fn name(self) -> &'static str {
        match self {
            BackendState::Active => "active",
            BackendState::Idle => "idle",
            BackendState::IdleInTransaction => "idle in transaction",
            BackendState::IdleInTransactionAborted => "idle in transaction (aborted)",
        }
    }
}

/// `backend_type` of sessions serving a client.
pub const CLIENT_BACKEND: &str = "client backend";
/// `backend_type` of autovacuum's sessions.
pub const AUTOVACUUM_WORKER: &str = "autovacuum worker";

/// One backend's activity. Times are µs since 2000-01-01 UTC.
#[derive(Debug, Clone)]
pub struct BackendStatus {
    /// `backend_start`.
    pub backend_start: i64,
    /// `xact_start` (while a transaction is open).
    pub xact_start: Option<i64>,
    /// `query_start`: start of the current or last query.
    pub query_start: Option<i64>,
    /// `state_change`.
    pub state_change: Option<i64>,
    /// `state`.
    pub state: BackendState,
    /// `query`: the current or last query's text.
    pub query: String,
    /// `application_name`.
    pub application_name: String,
    /// The client's address (`None` for a Unix-domain socket).
    pub client: Option<SocketAddr>,
    /// `backend_xid`: the top-level xid, once assigned.
    pub backend_xid: Option<u32>,
    /// `datid`.
    pub database_oid: Oid,
    /// `usesysid`.
    pub user_oid: Oid,
    /// `backend_type`: `client backend`, or `autovacuum worker` for autovacuum's
    /// sessions (`crate::autovacuum`).
    pub backend_type: &'static str,
}

impl BackendStatus {
    /// A backend that just connected: idle, no query yet.
    pub fn new(
        now: i64,
        database_oid: Oid,
        user_oid: Oid,
        client: Option<SocketAddr>,
    ) -> BackendStatus {
        BackendStatus {
            backend_start: now,
            xact_start: None,
            query_start: None,
            state_change: Some(now),
            state: BackendState::Idle,
            query: String::new(),
            application_name: String::new(),
            client,
            backend_xid: None,
            database_oid,
            user_oid,
            backend_type: CLIENT_BACKEND,
        }
    }
}

/// The `pg_stat_get_activity()` row of backend `pid`: its 31 OUT columns in
/// `pg_proc` order (datid, pid, usesysid, application_name, state, query,
/// wait_event_type, wait_event, xact_start, query_start, backend_start, state_change,
/// client_addr, client_hostname, client_port, backend_xid, backend_xmin, backend_type,
/// ssl, sslversion, sslcipher, sslbits, ssl_client_dn, ssl_client_serial, ssl_issuer_dn,
/// gss_auth, gss_princ, gss_enc, leader_pid, query_id). `visible` false gives PostgreSQL's
/// view of another role's backend: identity columns only, query `<insufficient
/// privilege>`.
pub fn activity_row(pid: i32, s: &BackendStatus, visible: bool) -> Vec<Datum> {
    let ts = |t: Option<i64>| t.map_or(Datum::Null, Datum::TimestampTz);
    let text = |t: &str| Datum::Text(t.to_string());
    let mut row = vec![
        Datum::Oid(s.database_oid.0),
        Datum::Int4(pid),
        Datum::Oid(s.user_oid.0),
        text(&s.application_name),
    ];
    if !visible {
        row.extend([Datum::Null, text("<insufficient privilege>")]);
        row.extend(std::iter::repeat_n(Datum::Null, 4));
        row.push(ts(Some(s.backend_start)));
        row.extend(std::iter::repeat_n(Datum::Null, 6));
        row.push(text(s.backend_type));
        row.extend(std::iter::repeat_n(Datum::Null, 12));
        return row;
    }
    row.extend([
        text(s.state.name()),
        text(&s.query),
        Datum::Null,
        Datum::Null,
    ]);
    row.extend([
        ts(s.xact_start),
        ts(s.query_start),
        ts(Some(s.backend_start)),
        ts(s.state_change),
    ]);
    match s.client {
        Some(addr) => row.extend([
            Datum::Bytea(tusk_types::adt::inet::Inet::from_ip(addr.ip()).to_key()),
            Datum::Null,
            Datum::Int4(i32::from(addr.port())),
        ]),
        None => row.extend([Datum::Null, Datum::Null, Datum::Int4(-1)]),
    }
    row.push(s.backend_xid.map_or(Datum::Null, Datum::Oid));
    row.push(Datum::Null);
    row.push(text(s.backend_type));
    // ssl, sslversion, sslcipher, sslbits, ssl_client_dn, ssl_client_serial, ssl_issuer_dn
    row.push(Datum::Bool(false));
    row.extend(std::iter::repeat_n(Datum::Null, 6));
    // gss_auth, gss_princ, gss_enc
    row.extend([Datum::Bool(false), Datum::Null, Datum::Bool(false)]);
    // leader_pid, query_id
    row.extend([Datum::Null, Datum::Null]);
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_every_out_column() {
        let s = BackendStatus::new(1, Oid(5), Oid(10), None);
        assert_eq!(activity_row(7, &s, true).len(), 30);
        assert_eq!(activity_row(7, &s, false).len(), 30);
        let out = tusk_catalog::builtin()
            .proc_by_oid(Oid(2022))
            .expect("pg_stat_get_activity")
            .out_columns
            .len();
        assert_eq!(out, 30);
    }
}
