//! Property test: `satisfies_mvcc` over the real proc array and commit log agrees with a
//! naive model of MVCC (a snapshot sees exactly the transactions committed before it was
//! taken, plus its own transaction's earlier commands), across random interleavings of
//! begin / savepoint / rollback to savepoint / insert / delete / lock / new statement /
//! commit / abort, also across xid wraparound. Hint bits returned by each check are applied, as a scan would.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use tusk_io::MemVfs;
use tusk_types::{Lsn, Xid};

use crate::infomask::*;
use crate::{
    satisfies_mvcc, Clog, CommandId, CurrentTransaction, ProcArray, Snapshot, TupleHeaderView,
    XidGenerator, XidStatus,
};

const SESSIONS: usize = 3;

#[derive(Clone, Debug)]
enum Op {
    Begin(usize),
    Insert(usize),
    Delete(usize, usize),
    Lock(usize, usize),
    Statement(usize),
    Savepoint(usize),
    RollbackToSavepoint(usize),
    Commit(usize),
    Abort(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let s = 0..SESSIONS;
    prop_oneof![
        s.clone().prop_map(Op::Begin),
        s.clone().prop_map(Op::Insert),
        (s.clone(), 0..16usize).prop_map(|(s, r)| Op::Delete(s, r)),
        (s.clone(), 0..16usize).prop_map(|(s, r)| Op::Lock(s, r)),
        s.clone().prop_map(Op::Statement),
        s.clone().prop_map(Op::Savepoint),
        s.clone().prop_map(Op::RollbackToSavepoint),
        s.clone().prop_map(Op::Commit),
        s.prop_map(Op::Abort),
    ]
}

struct Session {
    xid: Xid,
    /// Live subtransactions, innermost last; changes are written by the innermost.
    subxids: Vec<Xid>,
    curcid: CommandId,
    snapshot: Snapshot,
    /// Model: xids committed when the snapshot was taken.
    committed_at_snapshot: HashSet<u32>,
}

impl Session {
    fn writer(&self) -> Xid {
        *self.subxids.last().unwrap_or(&self.xid)
    }
}

struct World {
    clog: Clog,
    procs: ProcArray,
    sessions: Vec<Option<Session>>,
    tuples: Vec<TupleHeaderView>,
    committed: HashSet<u32>,
}

impl World {
    fn new(start: u32) -> World {
        let clog = Clog::open(Arc::new(MemVfs::new()), Path::new("/d"), None, 4).expect("clog");
        World {
            clog,
            procs: ProcArray::new(Arc::new(XidGenerator::new(Xid(start)))),
            sessions: (0..SESSIONS).map(|_| None).collect(),
            tuples: Vec::new(),
            committed: HashSet::new(),
        }
    }

    fn take_snapshot(&mut self, s: usize) {
        let snapshot = self.procs.snapshot(s as u32);
        let committed = self.committed.clone();
        let session = self.sessions[s].as_mut().expect("in a transaction");
        session.snapshot = snapshot;
        session.committed_at_snapshot = committed;
    }

    fn xmax_free(&self, t: &TupleHeaderView) -> bool {
        if t.xmax == Xid::INVALID {
            return true;
        }
        let status = self.clog.status(t.xmax).expect("status");
        status == XidStatus::Aborted
            || t.infomask & XMAX_LOCK_ONLY != 0 && status == XidStatus::Committed
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Begin(s) if self.sessions[s].is_none() => {
                let xid = self.procs.assign_xid(s as u32, &self.clog).expect("xid");
                self.sessions[s] = Some(Session {
                    xid,
                    subxids: Vec::new(),
                    curcid: 0,
                    snapshot: Snapshot {
                        xmin: xid,
                        xmax: xid,
                        xip: Vec::new(),
                        subxip: Vec::new(),
                        suboverflowed: false,
                    },
                    committed_at_snapshot: HashSet::new(),
                });
                self.take_snapshot(s);
            }
            Op::Insert(s) => {
                if let Some(session) = &self.sessions[s] {
                    self.tuples.push(TupleHeaderView {
                        xmin: session.writer(),
                        xmax: Xid::INVALID,
                        cmin: session.curcid,
                        cmax: 0,
                        infomask: XMAX_INVALID,
                    });
                }
            }
            Op::Delete(s, r) | Op::Lock(s, r) => {
                let Some(session) = &self.sessions[s] else {
                    return;
                };
                let (xid, cid) = (session.writer(), session.curcid);
                let r = r % self.tuples.len().max(1);
                let Some(t) = self.tuples.get(r).copied() else {
                    return;
                };
                if !self.xmax_free(&t) || !self.visible_in_model(s, &t) {
                    return;
                }
                let lock_only = matches!(op, Op::Lock(..));
                let t = &mut self.tuples[r];
                t.xmax = xid;
                t.cmax = cid;
                t.infomask &= !(XMAX_INVALID | XMAX_COMMITTED | XMAX_LOCK_ONLY);
                if lock_only {
                    t.infomask |= XMAX_LOCK_ONLY;
                }
            }
            Op::Statement(s) if self.sessions[s].is_some() => {
                self.sessions[s].as_mut().expect("session").curcid += 1;
                self.take_snapshot(s);
            }
            Op::Savepoint(s) if self.sessions[s].is_some() => {
                let sub = self
                    .procs
                    .assign_subxid(s as u32, &self.clog)
                    .expect("subxid");
                self.sessions[s]
                    .as_mut()
                    .expect("session")
                    .subxids
                    .push(sub);
            }
            Op::RollbackToSavepoint(s) => {
                let Some(session) = self.sessions[s].as_mut() else {
                    return;
                };
                let Some(sub) = session.subxids.pop() else {
                    return;
                };
                self.clog
                    .set_status(sub, XidStatus::Aborted, Lsn::INVALID)
                    .expect("set");
                self.procs.remove_subxids(s as u32, &[sub]);
            }
            Op::Commit(s) | Op::Abort(s) => {
                let Some(session) = self.sessions[s].take() else {
                    return;
                };
                let status = if matches!(op, Op::Commit(_)) {
                    self.committed.insert(session.xid.0);
                    self.committed.extend(session.subxids.iter().map(|x| x.0));
                    XidStatus::Committed
                } else {
                    XidStatus::Aborted
                };
                self.clog
                    .set_tree_status(session.xid, &session.subxids, status, Lsn::INVALID)
                    .expect("set");
                self.procs.end_transaction(s as u32);
            }
            _ => {}
        }
    }

    fn visible_in_model(&self, s: usize, t: &TupleHeaderView) -> bool {
        let session = self.sessions[s].as_ref().expect("session");
        let sees = |xid: Xid, cid: CommandId| {
            ((xid == session.xid || session.subxids.contains(&xid)) && cid < session.curcid)
                || session.committed_at_snapshot.contains(&xid.0)
        };
        let inserted = sees(t.xmin, t.cmin);
        let deleted =
            t.xmax != Xid::INVALID && t.infomask & XMAX_LOCK_ONLY == 0 && sees(t.xmax, t.cmax);
        inserted && !deleted
    }

    /// Checks every tuple for every session in a transaction, applying returned hints.
    fn check_all(&mut self) -> Result<(), TestCaseError> {
        for s in 0..SESSIONS {
            let Some(session) = &self.sessions[s] else {
                continue;
            };
            let xids = self.procs.current_xids(s as u32);
            let mut expected: Vec<Xid> = vec![session.xid];
            expected.extend(&session.subxids);
            prop_assert_eq!(&xids, &expected);
            let current = CurrentTransaction {
                xids: &xids,
                curcid: session.curcid,
            };
            for i in 0..self.tuples.len() {
                let t = self.tuples[i];
                let verdict =
                    satisfies_mvcc(&t, &session.snapshot, &current, &self.clog).expect("mvcc");
                prop_assert_eq!(
                    verdict.visible,
                    self.visible_in_model(s, &t),
                    "session {} tuple {} {:?} snapshot {:?}",
                    s,
                    i,
                    t,
                    session.snapshot
                );
                self.tuples[i].infomask |= verdict.hints;
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn mvcc_matches_naive_model(
        start in prop_oneof![Just(3u32), Just(u32::MAX - 4), 3u32..u32::MAX],
        ops in proptest::collection::vec(op(), 1..120),
    ) {
        let mut world = World::new(start);
        for op in &ops {
            world.apply(op);
            world.check_all()?;
        }
    }
}
