//! Table-level locks (PostgreSQL's heavyweight lock manager for relations, docs §13.3.1
//! "Table-Level Locks"): eight modes with PostgreSQL's conflict table, held until the
//! transaction ends, granted in arrival order among conflicting requests is not promised
//! (a waiter retries whenever a lock is released).
//!
//! Which statements take which mode (as PostgreSQL): SELECT `AccessShare`; INSERT, UPDATE,
//! DELETE `RowExclusive`; VACUUM and ANALYZE `ShareUpdateExclusive`; DROP TABLE, TRUNCATE
//! `AccessExclusive`; `LOCK TABLE` any mode.
//!
//! Deadlocks: a backend that has waited `deadlock_timeout` looks for a cycle of "waits for
//! a lock held by" edges through itself and, finding one, fails with 40P01.
//!
//! Entry point: [`LockManager`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use tusk_txn::BackendId;
use tusk_types::{pg_err, Oid, Result};

/// A table lock mode, weakest first (PostgreSQL's `LOCKMODE` 1..8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockMode {
    /// `ACCESS SHARE`.
    AccessShare = 1,
    /// `ROW SHARE`.
    RowShare,
    /// `ROW EXCLUSIVE`.
    RowExclusive,
    /// `SHARE UPDATE EXCLUSIVE`.
    ShareUpdateExclusive,
    /// `SHARE`.
    Share,
    /// `SHARE ROW EXCLUSIVE`.
    ShareRowExclusive,
    /// `EXCLUSIVE`.
    Exclusive,
    /// `ACCESS EXCLUSIVE`.
    AccessExclusive,
}

impl LockMode {
    /// The modes this one conflicts with (PostgreSQL's `LockConflicts`).
    pub fn conflicts_with(self, other: LockMode) -> bool {
        use LockMode::*;
        let conflicts: &[LockMode] = match self {
            AccessShare => &[AccessExclusive],
            RowShare => &[Exclusive, AccessExclusive],
            RowExclusive => &[Share, ShareRowExclusive, Exclusive, AccessExclusive],
            ShareUpdateExclusive => &[
                ShareUpdateExclusive,
                Share,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            Share => &[
                RowExclusive,
                ShareUpdateExclusive,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            ShareRowExclusive => &[
                RowExclusive,
                ShareUpdateExclusive,
                Share,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            Exclusive => &[
                RowShare,
                RowExclusive,
                ShareUpdateExclusive,
                Share,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
            AccessExclusive => &[
                AccessShare,
                RowShare,
                RowExclusive,
                ShareUpdateExclusive,
                Share,
                ShareRowExclusive,
                Exclusive,
                AccessExclusive,
            ],
        };
        conflicts.contains(&other)
    }

    /// The mode with PostgreSQL's number (1 = ACCESS SHARE ... 8 = ACCESS EXCLUSIVE).
    pub fn from_number(n: i32) -> Option<LockMode> {
        use LockMode::*;
        Some(match n {
            1 => AccessShare,
            2 => RowShare,
            3 => RowExclusive,
            4 => ShareUpdateExclusive,
            5 => Share,
            6 => ShareRowExclusive,
            7 => Exclusive,
            8 => AccessExclusive,
            _ => return None,
        })
    }

    /// The mode's name as PostgreSQL prints it (`AccessShareLock`).
    pub fn name(self) -> &'static str {
        use LockMode::*;
        match self {
            AccessShare => "AccessShareLock",
            RowShare => "RowShareLock",
            RowExclusive => "RowExclusiveLock",
            ShareUpdateExclusive => "ShareUpdateExclusiveLock",
            Share => "ShareLock",
            ShareRowExclusive => "ShareRowExclusiveLock",
            Exclusive => "ExclusiveLock",
            AccessExclusive => "AccessExclusiveLock",
        }
    }
}

/// A lockable relation: (database, relation OID).
pub type LockTag = (Oid, Oid);

#[derive(Default)]
struct State {
    /// Granted locks: tag → (backend, mode) pairs (one per mode held).
    granted: HashMap<LockTag, Vec<(BackendId, LockMode)>>,
    /// Backend → the lock it waits for.
    waiting: HashMap<BackendId, (LockTag, LockMode)>,
}

/// The cluster's table locks.
#[derive(Default)]
pub struct LockManager {
    state: Mutex<State>,
    released: Condvar,
}

impl std::fmt::Debug for LockManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockManager").finish_non_exhaustive()
    }
}

impl State {
    fn holds(&self, backend: BackendId, tag: LockTag, mode: LockMode) -> bool {
        self.granted
            .get(&tag)
            .is_some_and(|g| g.iter().any(|&(b, m)| b == backend && m == mode))
    }

    fn blockers(&self, backend: BackendId, tag: LockTag, mode: LockMode) -> Vec<BackendId> {
        let mut out: Vec<BackendId> = self
            .granted
            .get(&tag)
            .map(|g| {
                g.iter()
                    .filter(|&&(b, m)| b != backend && mode.conflicts_with(m))
                    .map(|&(b, _)| b)
                    .collect()
            })
            .unwrap_or_default();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A cycle of lock waits through `start`.
    fn cycle(&self, start: BackendId) -> Option<Vec<(BackendId, LockTag, LockMode, BackendId)>> {
        fn walk(
            state: &State,
            start: BackendId,
            at: BackendId,
            path: &mut Vec<(BackendId, LockTag, LockMode, BackendId)>,
            depth: usize,
        ) -> bool {
            if depth > state.waiting.len() {
                return false;
            }
            let Some(&(tag, mode)) = state.waiting.get(&at) else {
                return false;
            };
            for holder in state.blockers(at, tag, mode) {
                path.push((at, tag, mode, holder));
                if holder == start || walk(state, start, holder, path, depth + 1) {
                    return true;
                }
                path.pop();
            }
            false
        }
        let mut path = Vec::new();
        walk(self, start, start, &mut path, 0).then_some(path)
    }
}

impl LockManager {
    /// A lock manager with no locks.
    pub fn new() -> LockManager {
        LockManager::default()
    }

    /// Takes `mode` on `tag` for `backend`, waiting while other backends hold conflicting
    /// modes. `check_interrupts` runs between waits; `pid_of` names backends in deadlock
    /// reports; `nowait` fails at once instead of waiting.
    ///
    /// Errors: 40P01 `deadlock detected` (DETAIL per PostgreSQL), 55P03 `could not obtain
    /// lock on relation "x"` with `nowait`, and `check_interrupts`'s errors.
    #[allow(clippy::too_many_arguments)]
    pub fn lock(
        &self,
        backend: BackendId,
        tag: LockTag,
        mode: LockMode,
        nowait: bool,
        relation_name: &dyn Fn() -> String,
        deadlock_timeout: Duration,
        pid_of: &dyn Fn(BackendId) -> i32,
        check_interrupts: &dyn Fn() -> Result<()>,
    ) -> Result<()> {
        let mut state = self.state.lock();
        if state.holds(backend, tag, mode) {
            return Ok(());
        }
        let started = Instant::now();
        let mut checked = false;
        loop {
            if state.blockers(backend, tag, mode).is_empty() {
                state.waiting.remove(&backend);
                state.granted.entry(tag).or_default().push((backend, mode));
                return Ok(());
            }
            if nowait {
                return Err(pg_err!(
                    LOCK_NOT_AVAILABLE,
                    "could not obtain lock on relation \"{}\"",
                    relation_name()
                ));
            }
            state.waiting.insert(backend, (tag, mode));
            self.released
                .wait_for(&mut state, Duration::from_millis(50));
            let interrupted = parking_lot::MutexGuard::unlocked(&mut state, check_interrupts);
            if let Err(e) = interrupted {
                state.waiting.remove(&backend);
                return Err(e);
            }
            if !checked && started.elapsed() >= deadlock_timeout {
                checked = true;
                if let Some(cycle) = state.cycle(backend) {
                    state.waiting.remove(&backend);
                    let detail = cycle
                        .iter()
                        .map(|(waiter, (_, rel), mode, holder)| {
                            format!(
                                "Process {} waits for {} on relation {} of database {}; blocked by process {}.",
                                pid_of(*waiter),
                                mode.name(),
                                rel.0,
                                tag.0 .0,
                                pid_of(*holder)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    drop(state);
                    self.released.notify_all();
                    return Err(pg_err!(T_R_DEADLOCK_DETECTED, "deadlock detected")
                        .detail(detail)
                        .hint("See server log for query details."));
                }
            }
        }
    }

    /// Releases every lock of `backend` (transaction end) and wakes the waiters.
    pub fn release_all(&self, backend: BackendId) {
        let mut state = self.state.lock();
        let mut any = false;
        state.granted.retain(|_, holders| {
            let before = holders.len();
            holders.retain(|&(b, _)| b != backend);
            any |= holders.len() != before;
            !holders.is_empty()
        });
        state.waiting.remove(&backend);
        drop(state);
        if any {
            self.released.notify_all();
        }
    }

    /// The locks held, for `pg_locks`: (tag, backend, mode).
    pub fn held(&self) -> Vec<(LockTag, BackendId, LockMode)> {
        let state = self.state.lock();
        let mut out: Vec<_> = state
            .granted
            .iter()
            .flat_map(|(tag, holders)| holders.iter().map(move |&(b, m)| (*tag, b, m)))
            .collect();
        out.sort_by_key(|(t, b, m)| (t.1 .0, *b, *m));
        out
    }

    /// The locks being waited for, for `pg_locks` rows with `granted` false: (tag,
    /// backend, mode).
    pub fn waiting(&self) -> Vec<(LockTag, BackendId, LockMode)> {
        let state = self.state.lock();
        let mut out: Vec<_> = state
            .waiting
            .iter()
            .map(|(b, (tag, mode))| (*tag, *b, *mode))
            .collect();
        out.sort_by_key(|(t, b, m)| (t.1 .0, *b, *m));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const TAG: LockTag = (Oid(5), Oid(16384));

    fn take(m: &LockManager, b: BackendId, mode: LockMode, nowait: bool) -> Result<()> {
        m.lock(
            b,
            TAG,
            mode,
            nowait,
            &|| "t".into(),
            Duration::from_millis(100),
            &|b| b as i32,
            &|| Ok(()),
        )
    }

    #[test]
    fn conflict_table_follows_postgres() {
        use LockMode::*;
        assert!(!AccessShare.conflicts_with(RowExclusive));
        assert!(AccessShare.conflicts_with(AccessExclusive));
        assert!(RowExclusive.conflicts_with(Share));
        assert!(!RowExclusive.conflicts_with(RowExclusive));
        assert!(ShareUpdateExclusive.conflicts_with(ShareUpdateExclusive));
        let m = LockManager::new();
        take(&m, 1, AccessShare, false).expect("first");
        take(&m, 2, RowExclusive, false).expect("compatible");
        let err = take(&m, 3, AccessExclusive, true).expect_err("conflicts");
        assert_eq!(err.message, "could not obtain lock on relation \"t\"");
        m.release_all(1);
        m.release_all(2);
        take(&m, 3, AccessExclusive, true).expect("free now");
        assert_eq!(m.held().len(), 1);
    }

    #[test]
    fn waiter_is_granted_after_release_and_deadlocks_are_found() {
        let m = Arc::new(LockManager::new());
        take(&m, 1, LockMode::AccessExclusive, false).expect("held");
        let m2 = m.clone();
        let waiter = std::thread::spawn(move || take(&m2, 2, LockMode::AccessShare, false));
        assert!(crate::test_support::wait_until(|| m
            .state
            .lock()
            .waiting
            .contains_key(&2)));
        m.release_all(1);
        waiter
            .join()
            .expect("thread")
            .expect("granted after release");
        // Deadlock: 2 holds TAG and waits for TAG2 held by 3, which waits for TAG.
        const TAG2: LockTag = (Oid(5), Oid(16385));
        m.lock(
            3,
            TAG2,
            LockMode::AccessExclusive,
            false,
            &|| "u".into(),
            Duration::from_millis(50),
            &|b| b as i32,
            &|| Ok(()),
        )
        .expect("3 holds u");
        let m3 = m.clone();
        let three = std::thread::spawn(move || {
            m3.lock(
                3,
                TAG,
                LockMode::AccessExclusive,
                false,
                &|| "t".into(),
                Duration::from_secs(3600),
                &|b| b as i32,
                &|| Ok(()),
            )
        });
        assert!(crate::test_support::wait_until(|| m
            .state
            .lock()
            .waiting
            .contains_key(&3)));
        let err = m
            .lock(
                2,
                TAG2,
                LockMode::AccessShare,
                false,
                &|| "u".into(),
                Duration::from_millis(50),
                &|b| b as i32,
                &|| Ok(()),
            )
            .expect_err("deadlock");
        assert_eq!(err.code, tusk_types::SqlState::T_R_DEADLOCK_DETECTED);
        m.release_all(2);
        three
            .join()
            .expect("thread")
            .expect("3 gets t once 2 gave up");
    }
}
