//! LISTEN, UNLISTEN, NOTIFY and `pg_notify()` in a session: what the current transaction
//! asked for, held until it ends (PostgreSQL's `Async_Listen`, `Async_Notify`,
//! `AtCommit_Notify`; the shared side is [`crate::notify`]).
//!
//! Rules:
//! 1. LISTEN / UNLISTEN and notifications are pending until the transaction commits;
//!    an abort forgets them, and so does ROLLBACK TO for those made after the savepoint
//!    (each entry remembers the savepoint depth it was made at; RELEASE hands it to the
//!    enclosing level).
//! 2. A transaction's notifications are sent in the order made, a repeat of one already
//!    pending (same channel and payload) dropped, as PostgreSQL folds duplicates.
//! 3. The queue's capacity is checked before the commit (54000 fails the commit); the
//!    notifications are sent after it, so a listener that reacts at once sees the
//!    committed data.
//! 4. Notifications are handed to the client only between transactions
//!    ([`Session::take_notifications`]); the backend waits on [`Session::notification_waker`]
//!    while idle so they arrive without client traffic.
//!
//! Limit: `pg_notify()` inside a PL/pgSQL EXCEPTION block that a function called from a
//! query rolls back is still sent (that subtransaction is the calling statement's, not
//! a session savepoint).

use std::os::unix::net::UnixStream;

use tusk_sql::ast::ListenStmt;
use tusk_types::Result;

use super::Session;
use crate::notify::{check_notify, ListenAction, Notification};

/// The current transaction's pending LISTEN / UNLISTEN actions and notifications, and
/// the wake socket once the session listens (module header).
#[derive(Default)]
pub struct ListenState {
    /// Actions with the savepoint depth they were made at.
    actions: Vec<(ListenAction, usize)>,
    /// Notifications (channel, payload) with the savepoint depth they were made at.
    notifies: Vec<(String, String, usize)>,
    /// Read side of the wake socket pair, once the session has listened.
    waker: Option<UnixStream>,
}

impl ListenState {
    /// Queues a notification made at savepoint depth `depth` (rule 2).
    ///
    /// Errors: 22023 for an empty or too long channel name or a too long payload.
    pub fn notify(&mut self, channel: &str, payload: &str, depth: usize) -> Result<()> {
        check_notify(channel, payload)?;
        if !self
            .notifies
            .iter()
            .any(|(c, p, _)| c == channel && p == payload)
        {
            self.notifies
                .push((channel.to_string(), payload.to_string(), depth));
        }
        Ok(())
    }

    /// ROLLBACK TO a savepoint with `outer` savepoints before it (rule 1).
    pub(crate) fn at_rollback_to(&mut self, outer: usize) {
        self.actions.retain(|(_, d)| *d <= outer);
        self.notifies.retain(|(_, _, d)| *d <= outer);
    }

    /// RELEASE of the savepoints above depth `outer` (rule 1).
    pub(crate) fn at_release(&mut self, outer: usize) {
        for (_, d) in &mut self.actions {
            *d = (*d).min(outer);
        }
        for (_, _, d) in &mut self.notifies {
            *d = (*d).min(outer);
        }
    }

    fn clear_pending(&mut self) {
        self.actions.clear();
        self.notifies.clear();
    }
}

impl Session {
    /// Runs LISTEN / UNLISTEN / NOTIFY; returns the command tag.
    ///
    /// Errors: 22023 from [`ListenState::notify`].
    pub(crate) fn listen_statement(&mut self, stmt: &ListenStmt) -> Result<String> {
        let depth = self.savepoints.len();
        Ok(match stmt {
            ListenStmt::Listen(channel) => {
                self.listen
                    .actions
                    .push((ListenAction::Listen(channel.clone()), depth));
                "LISTEN"
            }
            ListenStmt::Unlisten(channel) => {
                let action = match channel {
                    Some(c) => ListenAction::Unlisten(c.clone()),
                    None => ListenAction::UnlistenAll,
                };
                self.listen.actions.push((action, depth));
                "UNLISTEN"
            }
            ListenStmt::Notify { channel, payload } => {
                self.listen
                    .notify(channel, payload.as_deref().unwrap_or(""), depth)?;
                "NOTIFY"
            }
        }
        .into())
    }

    /// DISCARD ALL's `UNLISTEN *`.
    pub(crate) fn unlisten_all(&mut self) {
        let depth = self.savepoints.len();
        self.listen.actions.push((ListenAction::UnlistenAll, depth));
    }

    /// Before the commit (rule 3).
    ///
    /// Errors: 54000 when the notifications would overflow the queue.
    pub(crate) fn pre_commit_notify(&self) -> Result<()> {
        if self.listen.notifies.is_empty() {
            return Ok(());
        }
        self.db
            .notify
            .check_capacity(self.db_oid, &self.pending_notifications())
    }

    /// After the transaction ended: a commit applies the actions and sends the
    /// notifications (rules 1, 3), an abort forgets them.
    pub(crate) fn at_transaction_end_notify(&mut self, committed: bool) {
        if committed {
            if !self.listen.actions.is_empty() {
                let actions: Vec<ListenAction> =
                    self.listen.actions.iter().map(|(a, _)| a.clone()).collect();
                match self.db.notify.apply(self.pid, self.db_oid, &actions) {
                    Ok(Some(waker)) => self.listen.waker = Some(waker),
                    Ok(None) => {}
                    Err(e) => tracing::warn!("could not LISTEN: {}", e.message),
                }
            }
            if !self.listen.notifies.is_empty() {
                let notes = self.pending_notifications();
                self.db.notify.send(self.db_oid, &notes);
            }
        }
        self.listen.clear_pending();
    }

    fn pending_notifications(&self) -> Vec<Notification> {
        self.listen
            .notifies
            .iter()
            .map(|(channel, payload, _)| Notification {
                pid: self.pid,
                channel: channel.clone(),
                payload: payload.clone(),
            })
            .collect()
    }

    /// Notifications for the client, when the session is between transactions (rule 4);
    /// none inside a transaction block.
    pub fn take_notifications(&mut self) -> Vec<Notification> {
        if self.block != super::BlockState::Idle || self.listen.waker.is_none() {
            return Vec::new();
        }
        crate::notify::drain_waker(self.listen.waker.as_ref().expect("checked above"));
        self.db.notify.take(self.pid)
    }

    /// The socket that becomes readable when notifications arrive for this session,
    /// once it has listened (rule 4); `None` while it never listened.
    pub fn notification_waker(&self) -> Option<&UnixStream> {
        self.listen.waker.as_ref()
    }

    /// Whether the session is between transactions (notifications can be delivered).
    pub fn is_idle(&self) -> bool {
        self.block == super::BlockState::Idle
    }
}
