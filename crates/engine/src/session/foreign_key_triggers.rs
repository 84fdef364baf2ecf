//! FOREIGN KEY enforcement for one statement (PostgreSQL's RI triggers in `ri_triggers.c`
//! fired from the AFTER trigger queue): every write of [`SessionTables`] to a table taking
//! part in a foreign key queues an event; at the end of the statement
//! ([`SessionTables::fire_foreign_key_events`]) each event is checked or acted upon, and
//! the writes actions make (CASCADE, SET NULL) queue further events, processed in the same
//! pass until none is left.
//!
//! ```text
//!  INSERT / UPDATE (key changed) on referencing table  ──▶ Check: referenced row must exist
//!  DELETE / UPDATE (key changed) on referenced table   ──▶ KeyGone: NO ACTION / RESTRICT
//!                                                          error if still referenced;
//!                                                          CASCADE / SET NULL act
//! ```
//!
//! Rules:
//! 1. Lookups read the newest row versions, not the statement's snapshot (PostgreSQL's RI
//!    queries run with a fresh snapshot and lock what they find): versions this
//!    transaction wrote count at once, whatever their command id.
//! 2. Concurrency: the check of a referencing row takes FOR KEY SHARE on the referenced
//!    row it found (as PostgreSQL's RI query does), so a concurrent DELETE or key update
//!    of that row waits for the checking transaction and then finds its row. A
//!    referenced row whose deleter or updater is still running is waited for, then
//!    looked at again; a referencing row whose inserter or deleter is still running is
//!    waited for likewise. Both waiting on each other is a deadlock, and one of them
//!    fails with 40P01 where PostgreSQL would report 23503.
//! 3. A referenced row inserted by a transaction still running is not there (PostgreSQL's
//!    snapshot does not see it either).
//! 4. NO ACTION is satisfied when another row with the old key exists at the end of the
//!    statement; RESTRICT is not.
//!
//! Entry points: [`SessionTables::queue_foreign_key_events`],
//! [`SessionTables::fire_foreign_key_events`].

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;

use tusk_access::nbtree::{ScanDirection, ScanKey, ScanStrategy};
use tusk_access::tuple::{
    HeapTupleHeader, HEAP_XMAX_COMMITTED, HEAP_XMAX_INVALID, HEAP_XMAX_LOCK_ONLY,
    HEAP_XMIN_COMMITTED, HEAP_XMIN_INVALID,
};
use tusk_access::{HeapTuple, HeapTupleRef};
use tusk_executor::{ModifyResult, RowLockResult, TableAccess};
use tusk_sql::ast_lock::{RowLockStrength, RowLockWait};
use tusk_txn::XidStatus;
use tusk_types::{pg_err, Datum, Error, ItemPointer, Oid, Result, Xid};

use super::tables::SessionTables;
use crate::foreign_key::{
    action, cast_integer, column_types, key_nulls, key_of, key_text, keys_equal, load_foreign_keys,
    ForeignKey, KeyNulls,
};
use crate::relcache::RelEntry;

/// A queued foreign-key event.
#[derive(Debug)]
pub(crate) enum Event {
    /// A referencing row was inserted, or updated with a changed key.
    Check { fk: usize, row: Vec<Datum> },
    /// A referenced row was deleted (`new` is `None`) or its key updated.
    KeyGone {
        fk: usize,
        old: Vec<Datum>,
        new: Option<Vec<Datum>>,
    },
}

/// The statement's foreign keys and queued events.
#[derive(Default)]
pub struct ForeignKeyQueue {
    keys: RefCell<Option<Arc<Vec<ForeignKey>>>>,
    events: RefCell<VecDeque<Event>>,
}

/// How a lookup treats row versions of transactions still running (rules 2 and 3).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// The referenced side: in-progress inserts are absent, in-progress deletes waited for.
    Referenced,
    /// The referencing side: both are waited for.
    Referencing,
}

enum Liveness {
    Live,
    Dead,
    Wait(Xid),
}

impl SessionTables<'_> {
    /// The database's foreign keys, read once per statement.
    fn foreign_keys(&self) -> Result<Arc<Vec<ForeignKey>>> {
        if let Some(keys) = self.foreign_keys.keys.borrow().as_ref() {
            return Ok(keys.clone());
        }
        let keys = Arc::new(load_foreign_keys(&self.catalog)?);
        *self.foreign_keys.keys.borrow_mut() = Some(keys.clone());
        Ok(keys)
    }

    /// Whether writes to `rel` queue foreign-key events (it references or is referenced).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn has_foreign_keys(&self, rel: Oid) -> Result<bool> {
        Ok(self
            .foreign_keys()?
            .iter()
            .any(|f| f.rel == rel || f.ref_rel == rel))
    }

    /// Queues the events of one write to `rel`: `old` is the row before (UPDATE, DELETE),
    /// `new` the row after (INSERT, UPDATE).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn queue_foreign_key_events(
        &self,
        rel: Oid,
        old: Option<&[Datum]>,
        new: Option<&[Datum]>,
    ) -> Result<()> {
        let keys = self.foreign_keys()?;
        let mut events = self.foreign_keys.events.borrow_mut();
        for (i, fk) in keys.iter().enumerate() {
            if fk.rel == rel {
                if let Some(new) = new {
                    let changed =
                        old.is_none_or(|old| key_of(old, &fk.attnums) != key_of(new, &fk.attnums));
                    if changed {
                        events.push_back(Event::Check {
                            fk: i,
                            row: new.to_vec(),
                        });
                    }
                }
            }
            if fk.ref_rel == rel {
                if let Some(old) = old {
                    let changed = new.is_none_or(|new| {
                        key_of(old, &fk.ref_attnums) != key_of(new, &fk.ref_attnums)
                    });
                    if changed {
                        events.push_back(Event::KeyGone {
                            fk: i,
                            old: old.to_vec(),
                            new: new.map(<[Datum]>::to_vec),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks and acts on every queued event, and on those the actions queue (see the
    /// module header).
    ///
    /// Errors: 23503 for a violation (PostgreSQL's messages and DETAIL), 23502 for SET
    /// NULL into a NOT NULL column, 0A000 for SET DEFAULT; 40P01, 57014 while waiting;
    /// the writes' errors.
    pub(crate) fn fire_foreign_key_events(&self) -> Result<()> {
        loop {
            let Some(event) = self.foreign_keys.events.borrow_mut().pop_front() else {
                return Ok(());
            };
            let keys = self.foreign_keys()?;
            let fk = match &event {
                Event::Check { fk, .. } | Event::KeyGone { fk, .. } => &keys[*fk],
            };
            let restrict = match &event {
                Event::KeyGone { new: Some(_), .. } => fk.on_update == action::RESTRICT,
                Event::KeyGone { new: None, .. } => fk.on_delete == action::RESTRICT,
                Event::Check { .. } => false,
            };
            if !restrict && self.deferred.borrow().is_deferred(fk) {
                // `deferred_constraints` rule 2: it waits for SET CONSTRAINTS or COMMIT.
                let depth = self.txn.borrow().savepoint_depth();
                self.deferred.borrow_mut().events.push(
                    super::deferred_constraints::DeferredEvent {
                        constraint: fk.oid,
                        event,
                        depth,
                    },
                );
                continue;
            }
            self.fire_event(&keys, event)?;
        }
    }

    fn fire_event(&self, keys: &[ForeignKey], event: Event) -> Result<()> {
        match event {
            Event::Check { fk, row } => self.check_reference(&keys[fk], &row),
            Event::KeyGone { fk, old, new } => {
                self.referenced_key_gone(&keys[fk], &old, new.as_deref())
            }
        }
    }

    /// Fires the waiting events of deferred `constraints` (all when `None`), oldest first,
    /// with the events their actions queue (`deferred_constraints` rules 1, 4). Events of
    /// a constraint dropped since are skipped.
    ///
    /// Errors: those of [`SessionTables::fire_foreign_key_events`].
    pub(crate) fn fire_deferred_foreign_keys(&self, constraints: Option<&[Oid]>) -> Result<()> {
        let waiting = self.deferred.borrow_mut().take(constraints);
        if waiting.is_empty() {
            return Ok(());
        }
        // The list read at the events' statement may be stale: read it again.
        *self.foreign_keys.keys.borrow_mut() = None;
        let keys = self.foreign_keys()?;
        for waiting in waiting {
            let Some(index) = keys.iter().position(|k| k.oid == waiting.constraint) else {
                continue;
            };
            let event = match waiting.event {
                Event::Check { row, .. } => {
                    // Rule 4: only a referencing row still holding the key needs it.
                    let fk = &keys[index];
                    let key = key_of(&row, &fk.attnums);
                    let referencing = self.entry(fk.rel)?;
                    if self
                        .find_key_rows(&referencing, &fk.attnums, &key, Lookup::Referencing)?
                        .is_empty()
                    {
                        continue;
                    }
                    Event::Check { fk: index, row }
                }
                Event::KeyGone { old, new, .. } => Event::KeyGone {
                    fk: index,
                    old,
                    new,
                },
            };
            self.fire_event(&keys, event)?;
            self.fire_foreign_key_events()?;
        }
        Ok(())
    }

    /// The referenced row of a referencing row must exist (rule 1 of `foreign_key`).
    fn check_reference(&self, fk: &ForeignKey, row: &[Datum]) -> Result<()> {
        let key = key_of(row, &fk.attnums);
        let referencing = self.entry(fk.rel)?;
        let violation = || {
            pg_err!(
                FOREIGN_KEY_VIOLATION,
                "insert or update on table \"{}\" violates foreign key constraint \"{}\"",
                referencing.info.name,
                fk.name
            )
        };
        match key_nulls(&key, fk.match_full) {
            KeyNulls::Exempt => return Ok(()),
            KeyNulls::Mixed => {
                return Err(violation()
                    .detail("MATCH FULL does not allow mixing of null and nonnull key values."))
            }
            KeyNulls::None => {}
        }
        let referenced = self.entry(fk.ref_rel)?;
        loop {
            let found =
                self.find_key_rows(&referenced, &fk.ref_attnums, &key, Lookup::Referenced)?;
            let Some((tid, _)) = found.first() else {
                return Err(violation().detail(format!(
                    "{} is not present in table \"{}\".",
                    key_text(&referencing, &fk.attnums, &key, self.output)?,
                    referenced.info.name
                )));
            };
            // Rule 2: FOR KEY SHARE on the referenced row, so its deleter waits for us.
            let locked = self.lock_row_version(
                fk.ref_rel,
                &referenced.info.name,
                *tid,
                RowLockStrength::KeyShare,
                RowLockWait::Block,
            )?;
            if matches!(locked, RowLockResult::Locked { newer: None, .. }) {
                return Ok(());
            }
            // Changed meanwhile by a committed transaction: look again.
        }
    }

    /// A key left the referenced table: the constraint's action.
    fn referenced_key_gone(
        &self,
        fk: &ForeignKey,
        old: &[Datum],
        new: Option<&[Datum]>,
    ) -> Result<()> {
        let key = key_of(old, &fk.ref_attnums);
        if key.iter().any(Datum::is_null) {
            return Ok(());
        }
        let referenced = self.entry(fk.ref_rel)?;
        let referencing = self.entry(fk.rel)?;
        let action = match new {
            Some(_) => fk.on_update,
            None => fk.on_delete,
        };
        if action == action::NO_ACTION
            && !self
                .find_key_rows(&referenced, &fk.ref_attnums, &key, Lookup::Referenced)?
                .is_empty()
        {
            return Ok(());
        }
        let children = self.find_key_rows(&referencing, &fk.attnums, &key, Lookup::Referencing)?;
        if children.is_empty() {
            return Ok(());
        }
        match action {
            action::CASCADE if new.is_none() => {
                for (tid, _) in children {
                    self.cascade_delete(fk, &referencing, tid, &key)?;
                }
                Ok(())
            }
            action::CASCADE | action::SET_NULL => {
                let replacement: Vec<Datum> = match (action, new) {
                    (action::CASCADE, Some(new)) => key_of(new, &fk.ref_attnums)
                        .iter()
                        .zip(column_types(&referencing, &fk.attnums))
                        .map(|(v, t)| cast_integer(v, t))
                        .collect(),
                    _ => vec![Datum::Null; fk.attnums.len()],
                };
                let types = column_types(&referencing, &fk.attnums);
                if replacement
                    .iter()
                    .zip(&types)
                    .any(|(v, t)| matches!(v, Datum::Numeric(_)) && *t != tusk_types::type_oid::NUMERIC)
                {
                    return Err(Error::feature_not_supported(
                        "ON UPDATE CASCADE from a numeric key into an integer column",
                    ));
                }
                for (tid, row) in children {
                    self.cascade_update(fk, &referencing, tid, row, &key, &replacement)?;
                }
                Ok(())
            }
            action::SET_DEFAULT => Err(Error::feature_not_supported(
                "the SET DEFAULT foreign key action",
            )),
            _ => Err(pg_err!(
                FOREIGN_KEY_VIOLATION,
                "update or delete on table \"{}\" violates foreign key constraint \"{}\" on table \"{}\"",
                referenced.info.name,
                fk.name,
                referencing.info.name
            )
            .detail(format!(
                "{} is still referenced from table \"{}\".",
                key_text(&referenced, &fk.ref_attnums, &key, self.output)?,
                referencing.info.name
            ))),
        }
    }

    /// ON DELETE CASCADE of one referencing row, following a concurrent update of it
    /// while the newest version still holds the key.
    fn cascade_delete(
        &self,
        fk: &ForeignKey,
        referencing: &RelEntry,
        mut tid: ItemPointer,
        key: &[Datum],
    ) -> Result<()> {
        let types = column_types(referencing, &fk.attnums);
        loop {
            match self.delete(fk.rel, tid)? {
                ModifyResult::Done(_) | ModifyResult::Deleted => return Ok(()),
                ModifyResult::Updated { tid: next, row } => {
                    if !keys_equal(&key_of(&row, &fk.attnums), key, &types) {
                        return Ok(());
                    }
                    tid = next;
                }
            }
        }
    }

    /// ON UPDATE CASCADE / SET NULL of one referencing row: its key columns become
    /// `replacement`.
    fn cascade_update(
        &self,
        fk: &ForeignKey,
        referencing: &RelEntry,
        mut tid: ItemPointer,
        mut row: Vec<Datum>,
        key: &[Datum],
        replacement: &[Datum],
    ) -> Result<()> {
        let types = column_types(referencing, &fk.attnums);
        loop {
            for (&a, v) in fk.attnums.iter().zip(replacement) {
                row[a as usize - 1] = v.clone();
            }
            self.not_null_check(referencing, &row)?;
            match self.update(fk.rel, tid, &row)? {
                ModifyResult::Done(_) | ModifyResult::Deleted => return Ok(()),
                ModifyResult::Updated {
                    tid: next,
                    row: newest,
                } => {
                    if !keys_equal(&key_of(&newest, &fk.attnums), key, &types) {
                        return Ok(());
                    }
                    tid = next;
                    row = newest;
                }
            }
        }
    }

    /// NOT NULL of a row an action writes (23502 with PostgreSQL's DETAIL).
    fn not_null_check(&self, entry: &RelEntry, row: &[Datum]) -> Result<()> {
        for (i, column) in entry.info.live_columns() {
            if column.not_null && row.get(i).is_none_or(Datum::is_null) {
                let mut values = Vec::new();
                for (j, c) in entry.info.live_columns() {
                    let v = row.get(j).cloned().unwrap_or(Datum::Null);
                    values.push(if v.is_null() {
                        "null".to_string()
                    } else {
                        tusk_executor::io::text_out_string(&v, c.type_oid, self.output)?
                    });
                }
                return Err(pg_err!(
                    NOT_NULL_VIOLATION,
                    "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
                    column.name,
                    entry.info.name
                )
                .detail(format!("Failing row contains ({}).", values.join(", "))));
            }
        }
        Ok(())
    }

    /// The newest versions of `entry`'s rows whose columns `attnums` equal `key`, waiting
    /// for transactions still running as `mode` says (rules 1 to 3).
    fn find_key_rows(
        &self,
        entry: &RelEntry,
        attnums: &[i16],
        key: &[Datum],
        mode: Lookup,
    ) -> Result<Vec<(ItemPointer, Vec<Datum>)>> {
        let types = column_types(entry, attnums);
        loop {
            (self.check_interrupts)()?;
            let own = {
                let txn = self.txn.borrow();
                txn.current_xids(&self.cluster.xact)
            };
            let mut found = Vec::new();
            let mut wait = None;
            for (tid, tuple) in self.key_candidates(entry, attnums, key, &types)? {
                match self.liveness(&tuple.header(), &own, mode)? {
                    Liveness::Live => {
                        let row = entry.heap.deform(&entry.attrs, &tuple.as_ref())?;
                        found.push((tid, row));
                    }
                    Liveness::Dead => {}
                    Liveness::Wait(xid) => {
                        wait = Some(xid);
                        break;
                    }
                }
            }
            match wait {
                Some(xid) => self.with_writer(|w| w.wait_for_xid(xid, self.pid_of))?,
                None => return Ok(found),
            }
        }
    }

    /// Every row version of `entry` whose key equals `key`, whatever its visibility:
    /// through an index whose leading columns are `attnums`, else a sequential scan.
    fn key_candidates(
        &self,
        entry: &RelEntry,
        attnums: &[i16],
        key: &[Datum],
        types: &[Oid],
    ) -> Result<Vec<(ItemPointer, HeapTuple)>> {
        let mut error: Option<Error> = None;
        let mut matches = |t: &HeapTupleRef<'_>| match entry.heap.deform(&entry.attrs, t) {
            Ok(values) => keys_equal(&key_of(&values, attnums), key, types),
            Err(e) => {
                error.get_or_insert(e);
                false
            }
        };
        let mut out = Vec::new();
        let indexes = self.indexes(entry)?;
        let k = attnums.len();
        // A partial index lacks rows; an expression column is no column.
        let usable = indexes.iter().find(|ix| {
            !ix.is_partial()
                && ix.attnums.len() >= k
                && ix.attnums[..k]
                    .iter()
                    .all(|a| *a != 0 && attnums.contains(a))
        });
        if let Some(ix) = usable {
            let scan_keys: Vec<ScanKey> = ix.attnums[..k]
                .iter()
                .enumerate()
                .map(|(column, a)| {
                    let at = attnums
                        .iter()
                        .position(|x| x == a)
                        .expect("index column is a key column");
                    ScanKey {
                        column,
                        strategy: ScanStrategy::Equal,
                        value: cast_integer(&key[at], ix.types[column]),
                    }
                })
                .collect();
            let mut tids = Vec::new();
            for item in ix.index.scan(&scan_keys, ScanDirection::Forward)? {
                tids.push(item?.tid);
            }
            for root in tids {
                entry.heap.fetch_hot_chain(root, |tid, t| {
                    if matches(t) {
                        out.push((tid, t.to_owned_tuple()));
                    }
                    false
                })?;
            }
        } else {
            let nblocks = entry.heap.nblocks()?;
            for block in 0..nblocks.0 {
                (self.check_interrupts)()?;
                out.extend(
                    entry
                        .heap
                        .page_tuples(tusk_types::BlockNumber(block), &mut |_, t| matches(t))?,
                );
            }
        }
        if let Some(e) = error {
            return Err(e);
        }
        Ok(out)
    }

    /// Whether a row version counts for a lookup (rules 1 to 3).
    fn liveness(&self, h: &HeapTupleHeader, own: &[Xid], mode: Lookup) -> Result<Liveness> {
        let services = &self.cluster.xact;
        let is_own = |x: Xid| own.contains(&x);
        if h.infomask & HEAP_XMIN_INVALID != 0 && h.infomask & HEAP_XMIN_COMMITTED == 0 {
            return Ok(Liveness::Dead);
        }
        if crate::index_maintenance::inserted_and_deleted_by_one_transaction(h) {
            return Ok(Liveness::Dead);
        }
        if h.infomask & HEAP_XMIN_COMMITTED == 0 && h.xmin.is_normal() && !is_own(h.xmin) {
            if services.procarray.is_running(h.xmin) {
                return Ok(match mode {
                    Lookup::Referenced => Liveness::Dead,
                    Lookup::Referencing => Liveness::Wait(h.xmin),
                });
            }
            if services.clog.status(h.xmin)? != XidStatus::Committed {
                return Ok(Liveness::Dead);
            }
        }
        let xmax = h.xmax;
        if xmax == Xid::INVALID
            || h.infomask & HEAP_XMAX_INVALID != 0
            || h.infomask & HEAP_XMAX_LOCK_ONLY != 0
        {
            return Ok(Liveness::Live);
        }
        if is_own(xmax) || h.infomask & HEAP_XMAX_COMMITTED != 0 {
            return Ok(Liveness::Dead);
        }
        if services.procarray.is_running(xmax) {
            return Ok(Liveness::Wait(xmax));
        }
        Ok(match services.clog.status(xmax)? {
            XidStatus::Committed => Liveness::Dead,
            _ => Liveness::Live,
        })
    }
}
