//! The shared side of LISTEN / NOTIFY (PostgreSQL's `commands/async.c`): which backend
//! listens on which channel, and the notifications each is yet to receive.
//!
//! ```text
//!  backend A: NOTIFY ch, 'x'; COMMIT ──▶ NotifyHub::send ──▶ inbox of every backend of
//!                                                           the same database listening
//!                                                           on "ch" (A too) ──▶ wake
//!  backend B idle, polling its socket and its wake socket ──▶ take ──▶ NotificationResponse
//! ```
//!
//! Rules:
//! 1. A backend's channel set changes only when its transaction commits
//!    ([`NotifyHub::apply`]), and notifications are sent only when the notifying
//!    transaction commits ([`NotifyHub::send`]): a listener receives exactly the
//!    notifications committed while it was listening, in commit order (the hub's lock
//!    orders the sends), each transaction's in the order it made them.
//! 2. Notifications reach only backends connected to the notifier's database.
//! 3. Delivery is the backend's business: it takes its inbox ([`NotifyHub::take`]) when
//!    it is between transactions, and a send wakes an idle backend through the socket
//!    pair it registered ([`NotifyHub::listen_waker`]), so notifications arrive without
//!    the client sending anything.
//! 4. Undelivered notifications are held in memory, at most [`QUEUE_CAPACITY`] bytes over
//!    all inboxes; a commit that would exceed it fails with PostgreSQL's 54000 "too many
//!    notifications in the NOTIFY queue" (PostgreSQL's queue lives on disk and holds
//!    8 GB; tusk's is smaller because it is memory).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

use parking_lot::Mutex;
use tusk_types::{pg_err, Oid, Result};

/// Most bytes of undelivered notifications held for all listeners together (rule 4).
pub const QUEUE_CAPACITY: usize = 1 << 30;

/// Longest channel name in bytes (`NAMEDATALEN - 1`).
pub const MAX_CHANNEL_LEN: usize = 63;

/// Longest payload in bytes (`NOTIFY_PAYLOAD_MAX_LENGTH - 1`).
pub const MAX_PAYLOAD_LEN: usize = 7999;

/// One notification as the protocol's NotificationResponse carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Process id of the notifying backend.
    pub pid: i32,
    /// Channel name.
    pub channel: String,
    /// Payload ("" when none was given).
    pub payload: String,
}

impl Notification {
    /// Bytes the notification counts against [`QUEUE_CAPACITY`].
    fn size(&self) -> usize {
        self.channel.len() + self.payload.len() + 16
    }
}

/// A change of a backend's channel set, applied at commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAction {
    /// `LISTEN channel`.
    Listen(String),
    /// `UNLISTEN channel`.
    Unlisten(String),
    /// `UNLISTEN *` (also DISCARD ALL).
    UnlistenAll,
}

/// Checks a channel name and payload as `Async_Notify` does.
///
/// Errors: 22023 "channel name cannot be empty", "channel name too long",
/// "payload string too long".
pub fn check_notify(channel: &str, payload: &str) -> Result<()> {
    if channel.is_empty() {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "channel name cannot be empty"
        ));
    }
    if channel.len() > MAX_CHANNEL_LEN {
        return Err(pg_err!(INVALID_PARAMETER_VALUE, "channel name too long"));
    }
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(pg_err!(INVALID_PARAMETER_VALUE, "payload string too long"));
    }
    Ok(())
}

struct Listener {
    database: Oid,
    channels: BTreeSet<String>,
    inbox: VecDeque<Notification>,
    /// Write side of the backend's wake socket pair (rule 3).
    waker: UnixStream,
}

#[derive(Default)]
struct HubState {
    listeners: HashMap<i32, Listener>,
    /// Bytes in all inboxes.
    queued: usize,
}

/// Listening backends and their undelivered notifications (module header).
#[derive(Default)]
pub struct NotifyHub {
    state: Mutex<HubState>,
}

impl NotifyHub {
    /// An empty hub.
    pub fn new() -> NotifyHub {
        NotifyHub::default()
    }

    /// Applies a committed transaction's LISTEN / UNLISTEN actions of backend `pid`
    /// (connected to `database`), in order. The first LISTEN registers the backend: the
    /// returned socket becomes readable whenever notifications arrive for it (rule 3).
    ///
    /// Errors: 58030 when the socket pair cannot be created.
    pub fn apply(
        &self,
        pid: i32,
        database: Oid,
        actions: &[ListenAction],
    ) -> Result<Option<UnixStream>> {
        let mut state = self.state.lock();
        let mut new_wake = None;
        for action in actions {
            match action {
                ListenAction::Listen(channel) => {
                    let listener = match state.listeners.entry(pid) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            let (reader, writer) = UnixStream::pair().map_err(|e| {
                                tusk_types::Error::io("could not create notification socket", &e)
                            })?;
                            reader
                                .set_nonblocking(true)
                                .and_then(|()| writer.set_nonblocking(true))
                                .map_err(|e| {
                                    tusk_types::Error::io("could not set notification socket", &e)
                                })?;
                            new_wake = Some(reader);
                            e.insert(Listener {
                                database,
                                channels: BTreeSet::new(),
                                inbox: VecDeque::new(),
                                waker: writer,
                            })
                        }
                    };
                    listener.channels.insert(channel.clone());
                }
                ListenAction::Unlisten(channel) => {
                    if let Some(l) = state.listeners.get_mut(&pid) {
                        l.channels.remove(channel);
                    }
                }
                ListenAction::UnlistenAll => {
                    if let Some(l) = state.listeners.get_mut(&pid) {
                        l.channels.clear();
                    }
                }
            }
        }
        Ok(new_wake)
    }

    /// Bytes `notifications` would add to the inboxes of `database`'s listeners.
    fn added_bytes(state: &HubState, database: Oid, notifications: &[Notification]) -> usize {
        state
            .listeners
            .values()
            .filter(|l| l.database == database)
            .map(|l| {
                notifications
                    .iter()
                    .filter(|n| l.channels.contains(&n.channel))
                    .map(Notification::size)
                    .sum::<usize>()
            })
            .sum()
    }

    /// Checks, before a commit, that its notifications fit (rule 4).
    ///
    /// Errors: 54000 "too many notifications in the NOTIFY queue".
    pub fn check_capacity(&self, database: Oid, notifications: &[Notification]) -> Result<()> {
        let state = self.state.lock();
        if state.queued + Self::added_bytes(&state, database, notifications) > QUEUE_CAPACITY {
            return Err(pg_err!(
                PROGRAM_LIMIT_EXCEEDED,
                "too many notifications in the NOTIFY queue"
            ));
        }
        Ok(())
    }

    /// Delivers a committed transaction's notifications (rules 1, 2): each goes into
    /// the inbox of every backend of `database` listening on its channel, and wakes it.
    /// The capacity was checked before the commit ([`NotifyHub::check_capacity`]).
    pub fn send(&self, database: Oid, notifications: &[Notification]) {
        let mut state = self.state.lock();
        let state = &mut *state;
        state.queued += Self::added_bytes(state, database, notifications);
        for l in state.listeners.values_mut() {
            if l.database != database {
                continue;
            }
            let before = l.inbox.len();
            l.inbox.extend(
                notifications
                    .iter()
                    .filter(|n| l.channels.contains(&n.channel))
                    .cloned(),
            );
            if l.inbox.len() > before {
                // A full socket buffer already means "wake up": the byte is not needed.
                let _ = (&l.waker).write(&[1]);
            }
        }
    }

    /// Takes backend `pid`'s undelivered notifications, oldest first.
    pub fn take(&self, pid: i32) -> Vec<Notification> {
        let mut state = self.state.lock();
        let state = &mut *state;
        let Some(l) = state.listeners.get_mut(&pid) else {
            return Vec::new();
        };
        let taken: Vec<Notification> = l.inbox.drain(..).collect();
        state.queued -= taken.iter().map(Notification::size).sum::<usize>();
        taken
    }

    /// The channels backend `pid` listens on, in name order (`pg_listening_channels()`).
    pub fn channels(&self, pid: i32) -> Vec<String> {
        self.state
            .lock()
            .listeners
            .get(&pid)
            .map(|l| l.channels.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The fraction of [`QUEUE_CAPACITY`] undelivered notifications occupy
    /// (`pg_notification_queue_usage()`, 0 to 1).
    pub fn usage(&self) -> f64 {
        self.state.lock().queued as f64 / QUEUE_CAPACITY as f64
    }

    /// Forgets backend `pid` (its session ended): its channels and undelivered
    /// notifications go.
    pub fn remove(&self, pid: i32) {
        let mut state = self.state.lock();
        if let Some(l) = state.listeners.remove(&pid) {
            state.queued -= l.inbox.iter().map(Notification::size).sum::<usize>();
        }
    }
}

/// Empties a backend's wake socket (see [`NotifyHub::apply`]) after it woke up.
pub fn drain_waker(reader: &UnixStream) {
    let mut buf = [0u8; 64];
    while matches!((&*reader).read(&mut buf), Ok(n) if n > 0) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(pid: i32, channel: &str, payload: &str) -> Notification {
        Notification {
            pid,
            channel: channel.into(),
            payload: payload.into(),
        }
    }

    #[test]
    fn listeners_of_the_channel_and_database_receive_in_order() {
        let hub = NotifyHub::new();
        let wake = hub
            .apply(1, Oid(5), &[ListenAction::Listen("a".into())])
            .expect("apply")
            .expect("first LISTEN registers");
        hub.apply(2, Oid(5), &[ListenAction::Listen("b".into())])
            .expect("apply");
        hub.apply(3, Oid(6), &[ListenAction::Listen("a".into())])
            .expect("apply");
        let notes = [note(9, "a", "1"), note(9, "b", "2"), note(9, "a", "3")];
        hub.check_capacity(Oid(5), &notes).expect("fits");
        hub.send(Oid(5), &notes);
        assert_eq!(hub.take(1), vec![note(9, "a", "1"), note(9, "a", "3")]);
        assert_eq!(hub.take(2), vec![note(9, "b", "2")]);
        assert!(hub.take(3).is_empty(), "another database's listener");
        assert!(hub.take(1).is_empty(), "taken once");
        let mut buf = [0u8; 4];
        assert!((&wake).read(&mut buf).expect("woken") > 0);
        drain_waker(&wake);
        assert_eq!(hub.usage(), 0.0);
    }

    #[test]
    fn unlisten_and_remove_stop_delivery() {
        let hub = NotifyHub::new();
        hub.apply(
            1,
            Oid(5),
            &[
                ListenAction::Listen("a".into()),
                ListenAction::Listen("b".into()),
                ListenAction::Unlisten("a".into()),
            ],
        )
        .expect("apply");
        assert_eq!(hub.channels(1), vec!["b".to_string()]);
        hub.send(Oid(5), &[note(9, "a", ""), note(9, "b", "")]);
        assert_eq!(hub.take(1), vec![note(9, "b", "")]);
        hub.apply(1, Oid(5), &[ListenAction::UnlistenAll])
            .expect("apply");
        assert!(hub.channels(1).is_empty());
        hub.apply(1, Oid(5), &[ListenAction::Listen("c".into())])
            .expect("apply");
        hub.send(Oid(5), &[note(9, "c", "x")]);
        assert!(hub.usage() > 0.0);
        hub.remove(1);
        assert_eq!(hub.usage(), 0.0);
        assert!(hub.channels(1).is_empty());
    }

    #[test]
    fn names_and_payloads_are_checked_like_postgres() {
        assert!(check_notify("ch", "").is_ok());
        assert_eq!(
            check_notify("", "x").unwrap_err().message,
            "channel name cannot be empty"
        );
        assert_eq!(
            check_notify(&"x".repeat(64), "").unwrap_err().message,
            "channel name too long"
        );
        assert!(check_notify(&"x".repeat(63), &"y".repeat(7999)).is_ok());
        assert_eq!(
            check_notify("c", &"y".repeat(8000)).unwrap_err().message,
            "payload string too long"
        );
    }
}
